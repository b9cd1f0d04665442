/* decoder: reading audio files into the clock's format.
 *
 * A decoder opens a path, finds its best audio stream and hands out planar
 * float samples at the samplerate and channel count asked for at open time
 * (the clock's), resampling and remixing as needed. Tags become metadata
 * with Liquidsoap's key names (title, artist, album, genre, date, tracknumber,
 * comment, ...: lowercase, ffmpeg's "track" as "tracknumber"); the duration
 * is the container's when it says it.
 *
 * Threading: a decoder is used by one thread at a time (the request worker
 * opens and fills ahead; see runtime/request.h). Opening probes the file and
 * may block on the disk: never do it on a clock thread.
 *
 * Errors: a missing, unreadable, empty, truncated or garbage file fails
 * liq_decoder_open (NULL, the reason in err) or ends decoding early; a
 * damaged packet in the middle is skipped. Nothing here aborts the process.
 *
 * Ownership: liq_decoder_open returns a decoder the caller closes with
 * liq_decoder_close; liq_decoder_metadata returns a new reference. */
#ifndef LIQ_DECODER_H
#define LIQ_DECODER_H

#include <stdint.h>

#include "runtime/frame.h"
#include "runtime/strbuf.h"

typedef struct liq_decoder liq_decoder;

/* Opens `path` for decoding to `samplerate` Hz and `channels` channels.
 * NULL on failure, with the reason (without the path) in err. */
liq_decoder *liq_decoder_open(const char *path, int samplerate, int channels, liq_sb *err);
void liq_decoder_close(liq_decoder *d);

/* The file's tags (a new reference; an empty packet when it has none). */
liq_meta *liq_decoder_metadata(const liq_decoder *d);
/* Duration in seconds as the container says it; -1 when unknown. */
double liq_decoder_duration(const liq_decoder *d);
/* The decoder library's name of the codec ("mp3", "vorbis", ...). */
const char *liq_decoder_codec(const liq_decoder *d);

/* Decodes up to n samples per channel into out[0..channels-1] (each with
 * room for n floats). Returns the samples written: fewer than n only at
 * the end of the stream (0 once it is over), -1 on an error that ends it
 * (reason in err). */
int liq_decoder_read(liq_decoder *d, float *const *out, int n, liq_sb *err);

/* Moves to `seconds` from the start. Returns 0, or -1 (err set) when the
 * file cannot seek there; decoding then goes on where it was. */
int liq_decoder_seek(liq_decoder *d, double seconds, liq_sb *err);

#endif
