/* output: the output state machine (see output.h) shared by every output;
 * what is done with the frames is the sink's (sink.h). output.dummy has no
 * sink, output.file a file sink. */
#include "config.h"
#include "runtime/output.h"

#include <string.h>

#include "runtime/log.h"
#include "runtime/sink.h"

typedef struct output {
  liq_output_opts opts;
  liq_sink *sink; /* NULL: output.dummy */
  int started;
  int wanted; /* start requested (opts.start, liq_output_start) */
  int64_t samples;
} output;

void liq_output_opts_default(liq_output_opts *o)
{
  memset(o, 0, sizeof *o);
  o->start = 1;
}

void liq_file_opts_default(liq_file_opts *o)
{
  memset(o, 0, sizeof *o);
  liq_output_opts_default(&o->out);
  o->file.perm = 0666;
  o->file.dir_perm = 0777;
  o->file.reopen_delay = 120;
}

static output *priv(liq_source *s) { return liq_source_priv(s); }

/* --- The state machine ---------------------------------------------------------- */

static void do_start(liq_source *s)
{
  output *o = priv(s);
  o->started = 1;
  liq_log(LIQ_LOG_INFO, liq_source_id(s), "Output started.");
  liq_cb_void_call(&o->opts.on_start, s, "on_start");
  if (o->sink) liq_sink_open(o->sink);
}

static void do_stop(liq_source *s)
{
  output *o = priv(s);
  if (!o->started) return;
  o->started = 0;
  if (o->sink) liq_sink_close(o->sink);
  liq_cb_void_call(&o->opts.on_stop, s, "on_stop");
}

static void output_animate(liq_source *s)
{
  output *o = priv(s);
  liq_source *in = liq_source_input(s, 0);
  if (!o->started) {
    if (!o->wanted || !liq_source_is_ready(in)) return;
    do_start(s);
  }
  liq_frame *f = liq_pool_acquire(liq_source_pool(s), liq_source_format(in));
  int n = f->capacity, pos = liq_source_pull(in, f, 0, n, LIQ_PULL_KEEP).n;
  f->len = pos;
  o->samples += pos;
  if (o->sink) liq_sink_write(o->sink, f);
  liq_frame_unref(f);
  if (pos < n) {
    if (!o->opts.fallible)
      liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Infallible source %s did not fill a frame!",
              liq_source_id(in));
    liq_log(LIQ_LOG_IMPORTANT, liq_source_id(s), "Source failed (no more tracks) stopping output...");
    do_stop(s);
  }
}

void liq_output_start(liq_source *s) { priv(s)->wanted = 1; }

void liq_output_stop(liq_source *s)
{
  priv(s)->wanted = 0;
  do_stop(s);
}

int liq_output_is_started(liq_source *s) { return priv(s)->started; }
int64_t liq_output_samples(liq_source *s) { return priv(s)->samples; }

/* --- Classes ------------------------------------------------------------------ */

typedef struct output_args {
  const liq_output_opts *opts;
  const liq_file_opts *file; /* NULL for output.dummy */
} output_args;

static int output_init(liq_source *s, const void *argp)
{
  const output_args *a = argp;
  output *o = priv(s);
  o->opts = *a->opts;
  o->wanted = o->opts.start;
  /* The sink first: it owns the file callbacks from now on, even when it
   * fails. The fallibility error, if any, still comes first. */
  liq_sb sink_err = LIQ_SB_INIT, e = LIQ_SB_INIT;
  if (a->file) o->sink = liq_sink_file_new(s, &a->file->file, a->file->format, &sink_err);
  int rc = 0;
  if (liq_source_check_fallible(liq_source_input(s, 0), o->opts.fallible, &e) != 0)
    rc = liq_source_set_error(s, "%s", liq_sb_str(&e));
  else if (a->file && !o->sink)
    rc = liq_source_set_error(s, "%s", liq_sb_str(&sink_err));
  liq_sb_free(&e);
  liq_sb_free(&sink_err);
  return rc;
}

static void output_uninit(liq_source *s)
{
  output *o = priv(s);
  do_stop(s);
  liq_cb_void_release(&o->opts.on_start);
  liq_cb_void_release(&o->opts.on_stop);
  liq_sink_free(o->sink);
}

static void output_sleep(liq_source *s) { do_stop(s); }

static const liq_source_class output_dummy_class = {
    .name = "output.dummy",
    .type = LIQ_SOURCE_OUTPUT,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(output),
    .init = output_init,
    .uninit = output_uninit,
    .sleep = output_sleep,
    .animate = output_animate,
};

static const liq_source_class output_file_class = {
    .name = "output.file",
    .type = LIQ_SOURCE_OUTPUT,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(output),
    .init = output_init,
    .uninit = output_uninit,
    .sleep = output_sleep,
    .animate = output_animate,
};

liq_source *liq_output_dummy_new(liq_source *input, const liq_output_opts *opts, liq_sb *err)
{
  output_args a = {opts, NULL};
  return liq_source_new(&output_dummy_class, opts->id, &input, 1, &a, err);
}

liq_source *liq_output_file_new(liq_source *input, const liq_file_opts *opts, liq_sb *err)
{
  output_args a = {&opts->out, opts};
  return liq_source_new(&output_file_class, opts->out.id, &input, 1, &a, err);
}
