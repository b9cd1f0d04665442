/* sink: where an output's stream goes (a file today; network sinks later).
 *
 * An output is an input source + an encoder (codec/encoder.h) + a sink. output.c
 * runs the state machine and pulls the frames; the sink stores them. The
 * contract, all calls from the output on the clock thread:
 *
 *  - open(k): the output starts. A sink copes with its own failures (it
 *    logs them and may retry on a later write): the output goes on.
 *  - write(k, f): one pulled frame, samples [0, f->len) with their
 *    metadata; f->len is short when the input stopped (close follows).
 *  - close(k): the output stops. A closed sink can be opened again, and
 *    closing a closed sink does nothing.
 *  - liq_sink_free closes the sink first.
 *
 * Ownership: the output owns its sink. The sink borrows its `owner` (the
 * output; the sink never outlives it), which labels its log lines and
 * callbacks and gives it the clock and the input's metadata. Callback
 * structs in the options belong to the sink from the constructor's call on,
 * even when it fails. */
#ifndef LIQ_SINK_H
#define LIQ_SINK_H

#include "runtime/source.h"
#include "runtime/strbuf.h"
#include "runtime/codec/encoder.h"

typedef struct liq_sink liq_sink;

typedef struct liq_sink_class {
  void (*open)(liq_sink *k);
  void (*write)(liq_sink *k, liq_frame *f);
  void (*close)(liq_sink *k);
  void (*uninit)(liq_sink *k); /* releases what the sink owns (closed already) */
} liq_sink_class;

/* The common head of every sink; an implementation's state follows it. */
struct liq_sink {
  const liq_sink_class *cls;
  liq_source *owner;
};

void liq_sink_open(liq_sink *k);
void liq_sink_write(liq_sink *k, liq_frame *f);
void liq_sink_close(liq_sink *k);
/* Closes, releases and frees k; NULL is allowed. */
void liq_sink_free(liq_sink *k);

/* --- Files (sink_file.c) ---------------------------------------------------- */

typedef struct liq_sink_file_opts {
  /* File name: `$(key)` is replaced by the input's last metadata value (a
   * '/' in it becomes '-'), then strftime conversions apply; expanded at
   * each open. */
  const char *path;
  int append;
  int perm;     /* of created files */
  int dir_perm; /* of created directories: missing ones are created */
  int flush;    /* fsync after each write */
  int reopen_on_metadata;
  int reopen_on_error;
  double reopen_delay;         /* stream seconds: reopen_when is not asked
                                  within this long of an open, and an open
                                  that failed is retried after this long */
  liq_getter_bool reopen_when; /* checked once per frame */
  liq_cb_string on_close;      /* called with the file name after closing */
} liq_sink_file_opts;

/* A file sink encoding with `format` (borrowed; NULL: %wav with the
 * stream's channels). Returns NULL with err set when the format does not
 * fit the owner's stream or the path is empty. Nothing is opened before
 * liq_sink_open. */
liq_sink *liq_sink_file_new(liq_source *owner, const liq_sink_file_opts *opts,
                            const liq_enc_format *format, liq_sb *err);

#endif
