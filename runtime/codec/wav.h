/* wav: the native WAV encoder (Liquidsoap's %wav): a 44-byte RIFF/WAVE
 * header followed by interleaved little-endian integer PCM.
 *
 *   offset  0 "RIFF" | 4 riff size (file size - 8) | 8 "WAVE"
 *          12 "fmt " | 16 16 | 20 format 1 (PCM) | 22 channels
 *          24 samplerate | 28 byte rate | 32 block align | 34 bits
 *          36 "data" | 40 data size | 44 samples...
 *
 * While a file is written the two sizes hold placeholders (2.1.3's values:
 * RIFF 0xEFFFFFFF, data 0xEFFFFFDB) so a reader of an unfinished or
 * unseekable stream still plays it; liq_wav_patch writes the real sizes
 * when the output closes a seekable file. The encoder interface's %wav
 * (liq_wav_encoder_ops, encoder.h) is built on these functions. */
#ifndef LIQ_CODEC_WAV_H
#define LIQ_CODEC_WAV_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/frame.h"

#define LIQ_WAV_HEADER_SIZE 44

typedef struct liq_wav_format {
  int channels;   /* 1..LIQ_MAX_CHANNELS */
  int samplerate; /* written in the header; must equal the stream's */
  int bits;       /* 8, 16, 24 or 32 */
  int header;     /* write (and patch) the header */
} liq_wav_format;

/* 0 if the format is valid, else -1 with a message in *why. */
int liq_wav_check(const liq_wav_format *fmt, const char **why);
/* Writes the header with the given data size (placeholder: UINT32_MAX). */
void liq_wav_header(const liq_wav_format *fmt, uint32_t data_bytes, uint8_t out[LIQ_WAV_HEADER_SIZE]);
/* Bytes liq_wav_encode produces for n samples. */
size_t liq_wav_encoded_size(const liq_wav_format *fmt, int n);
/* Interleaves samples [off, off + n) of a PCM frame into out. Channels are
 * mapped: a mono file from a stereo frame averages them, a stereo file
 * from a mono frame duplicates it. Returns the bytes written. */
size_t liq_wav_encode(const liq_wav_format *fmt, liq_frame *f, int off, int n, uint8_t *out);
/* Rewrites the header sizes of an open file whose data ends at the current
 * end of file. Returns -1 when the file cannot be sought. */
int liq_wav_patch(int fd);

#endif
