/* request: a URI to play, its metadata, and where it resolved to.
 *
 * A request is made from a URI as a script writes it:
 *
 *   annotate:title="Intro",liq_cue_in="2.":~/music/intro.mp3
 *   \______ annotations (metadata) _____/ \___ the location ___/
 *
 * Annotations are k="v" pairs (backslash escapes in v), comma-separated,
 * and may nest (annotate:a="1":annotate:b="2":x.mp3). Resolution turns the
 * location into a local path: `~` and `~/` become $HOME, a relative path is
 * made absolute against the working directory, `file://` is dropped; then
 * the file is probed with the decoder (runtime/codec/decoder.h), which
 * gives the duration and the tags. Tags do not override annotations.
 *
 * Resolution opens and probes the file: it blocks on the disk, so it runs
 * on a worker thread (runtime/ops/file.c) or the evaluator thread, never on
 * a clock thread.
 *
 * Ownership: liq_request_new returns a new reference; requests are
 * reference counted (shared between script values and the source playing
 * them) and immutable once resolved, except through these functions,
 * which lock. */
#ifndef LIQ_REQUEST_H
#define LIQ_REQUEST_H

#include "runtime/codec/decoder.h"
#include "runtime/frame.h"
#include "runtime/strbuf.h"

typedef struct liq_request liq_request;

liq_request *liq_request_new(const char *uri);
liq_request *liq_request_ref(liq_request *r);
void liq_request_unref(liq_request *r);

/* A process-wide serial number (Liquidsoap's request id, "rid"). */
int liq_request_id(const liq_request *r);
/* The URI as given. */
const char *liq_request_uri(const liq_request *r);
/* The local path once resolved, else NULL (borrowed; stable once set). */
const char *liq_request_filename(liq_request *r);
/* The local path tried by resolution, even when it failed (NULL before
 * any; borrowed, stable once set). For messages. */
const char *liq_request_path(liq_request *r);
/* Annotations, plus tags and "filename" once resolved (new reference). */
liq_meta *liq_request_metadata(liq_request *r);
/* Duration in seconds: -1 when unknown (not resolved, or the container
 * does not say). */
double liq_request_duration(liq_request *r);

/* Resolves r: finds the file and probes it. Returns 0, or -1 with the
 * reason in err (also remembered: later calls fail the same way at once).
 * Blocking; never on a clock thread. */
int liq_request_resolve(liq_request *r, liq_sb *err);

/* 1 the first time it is called on r, then 0: bad files are logged once. */
int liq_request_first_report(liq_request *r);

/* Opens a decoder on a resolved request for `samplerate`/`channels`; the
 * caller closes it. NULL with err set on failure. Blocking. */
liq_decoder *liq_request_open(liq_request *r, int samplerate, int channels, liq_sb *err);

/* Parses the annotations off uri: adds them to m and returns a pointer to
 * the location inside uri. Returns NULL (err set) on a malformed prefix. */
const char *liq_request_parse_annotations(const char *uri, liq_meta *m, liq_sb *err);
/* The local path for a location (a new liq_mem string). */
char *liq_request_local_path(const char *location);

#endif
