/* output: the outputs of the graph, output.dummy and output.file (any encoder).
 *
 * An output is an input source + an encoder + a sink (sink.h).
 * This module is the part every output shares: a liq_source of type OUTPUT
 * with one input, animated once per cycle by its clock, that runs the
 * state machine and pulls the frames; the sink stores them (output.file:
 * a file sink, see sink_file.c); output.dummy has no sink.
 *
 *   idle --(start requested && input ready)--> on_start, sink open --> started
 *   started: fill one frame (liq_source_pull), hand it to the sink; a short
 *            frame means the input stopped:
 *            "Source failed (no more tracks) stopping output...",
 *            sink close (output.file: flush the encoder, patch the WAV header, on_close),
 *            on_stop --> idle
 *
 * An idle output with `start` set restarts when its input is ready again
 * (and output.file then truncates the file again unless `append`).
 * Creating an output on a fallible input without fallible=true fails with
 * "That source is fallible". */
#ifndef LIQ_OUTPUT_H
#define LIQ_OUTPUT_H

#include "runtime/sink.h"
#include "runtime/source.h"
#include "runtime/strbuf.h"

typedef struct liq_output_opts {
  const char *id;   /* NULL: default id */
  int fallible;     /* accept a fallible input */
  int start;        /* start as soon as the input is ready */
  liq_cb_void on_start;
  liq_cb_void on_stop;
} liq_output_opts;

/* fallible=0, start=1, no callbacks. */
void liq_output_opts_default(liq_output_opts *o);

typedef struct liq_file_opts {
  liq_output_opts out;
  liq_sink_file_opts file; /* handed to the file sink (sink.h) */
  const liq_enc_format *format; /* borrowed; NULL: %wav at the stream's channels */
} liq_file_opts;

/* Defaults of Liquidsoap's output.file, format NULL. */
void liq_file_opts_default(liq_file_opts *o);

/* Both return a new reference or NULL with err set; the source's graph is
 * not attached to a clock yet (liq_clock_add). */
liq_source *liq_output_dummy_new(liq_source *input, const liq_output_opts *opts, liq_sb *err);
liq_source *liq_output_file_new(liq_source *input, const liq_file_opts *opts, liq_sb *err);

/* Script methods: start/stop on request, and the current state. */
void liq_output_start(liq_source *o);
void liq_output_stop(liq_source *o);
int liq_output_is_started(liq_source *o);
/* Samples written since creation (all files). */
int64_t liq_output_samples(liq_source *o);

#endif
