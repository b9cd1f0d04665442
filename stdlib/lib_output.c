/* lib_output: output.dummy and output.file(%wav(...), path, s).
 *
 * Outputs return unit, as in 2.1.3. The fallibility check happens at
 * creation (the engine's liq_source_check_fallible): a fallible input
 * without fallible=true raises a located error saying that mksafe() or
 * fallible=true fixes it, and the script exits non-zero. The new output
 * joins its input's clock, or the default clock when streaming starts
 * (lib_clock.c). Encoders: only %wav exists in the engine; its parameters
 * are read back from the format value's printed form (lib_encoder.c keeps
 * the normalised parameters as text). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "stdlib/lib.h"
#include "runtime/clock.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"

static void output_opts(const liq_call *c, liq_output_opts *o)
{
  liq_output_opts_default(o);
  o->id = liq_lib_id(c);
  o->fallible = liq_lib_opt_bool(c, "fallible", 0);
  o->start = liq_lib_opt_bool(c, "start", 1);
  o->on_start = liq_lib_cb_void(liq_lib_opt(c, "on_start"));
  o->on_stop = liq_lib_cb_void(liq_lib_opt(c, "on_stop"));
}

static liq_value m_start(liq_call *c, liq_value d)
{
  (void)c;
  liq_output_start(liq_lib_source_of(d));
  return LIQ_UNIT;
}

/* stop and shutdown: the engine keeps a stopped output in its clock (it
 * restarts only on start()), which is what shutdown amounts to here. */
static liq_value m_stop(liq_call *c, liq_value d)
{
  (void)c;
  liq_output_stop(liq_lib_source_of(d));
  return LIQ_UNIT;
}

static liq_value m_is_started(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_output_is_started(liq_lib_source_of(d)));
}

static const char *const out_names[] = {"shutdown", "stop", "start", "is_started"};
static const liq_builtin_fn out_fns[] = {m_stop, m_stop, m_start, m_is_started};

/* unit with the source methods and start/stop/is_started/shutdown, as in
 * 2.1.3. */
static liq_value finish(liq_source *out, liq_source *input, liq_sb *err)
{
  if (!out) liq_lib_raise_sb(err);
  liq_sb_free(err);
  liq_value *v = liq_eval_push(liq_lib_output_value(liq_source_ref(out), 4, out_names, out_fns));
  liq_lib_clock_attach_output(out, input);
  liq_eval_pop(1);
  return *v;
}

LIQ_BUILTIN(b_dummy)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_output_opts o;
  output_opts(c, &o);
  liq_sb err = LIQ_SB_INIT;
  return finish(liq_output_dummy_new(in, &o, &err), in, &err);
}

/* One `key=value` or flag of a printed encoder, applied to the WAV format.
 * Returns 0, or -1 for a parameter %wav does not have. */
static int wav_param(liq_wav_format *w, const char *p, size_t n, double *duration)
{
  char buf[64];
  if (n >= sizeof buf) return -1;
  memcpy(buf, p, n);
  buf[n] = 0;
  char *eq = strchr(buf, '=');
  const char *val = eq ? eq + 1 : NULL;
  if (eq) *eq = 0;
  if (!strcmp(buf, "stereo") || !strcmp(buf, "mono")) {
    int on = !val || !strcmp(val, "true");
    w->channels = (buf[0] == 's') == on ? 2 : 1;
  } else if (!val) {
    return -1;
  } else if (!strcmp(buf, "samplerate")) {
    w->samplerate = atoi(val);
  } else if (!strcmp(buf, "channels")) {
    w->channels = atoi(val);
  } else if (!strcmp(buf, "samplesize")) {
    w->bits = atoi(val);
  } else if (!strcmp(buf, "header")) {
    w->header = !strcmp(val, "true");
  } else if (!strcmp(buf, "duration")) {
    *duration = atof(val);
  } else {
    return -1;
  }
  return 0;
}

static void wav_of_format(liq_value fmt, liq_wav_format *w)
{
  fmt = liq_v_base(fmt);
  if (liq_value_kind(fmt) != LIQ_K_CUSTOM || strcmp(liq_gc_custom_ops(fmt)->name, "format") != 0)
    liq_eval_raise("invalid", "output.file expects an encoder format such as %%wav");
  liq_sb sb = LIQ_SB_INIT;
  liq_value_print(&sb, fmt, false);
  const char *t = liq_sb_str(&sb);
  if (strncmp(t, "%wav", 4) != 0 || (t[4] != 0 && t[4] != '(')) {
    char *name = liq_mem_strndup(t, strcspn(t, "("));
    liq_sb_free(&sb);
    liq_value *msg = liq_eval_push(liq_v_cstring(name));
    liq_mem_free(name);
    liq_eval_raise("invalid", "unsupported encoder %s: only %%wav is available", liq_v_string_bytes(*msg));
  }
  double duration = 0;
  int bad = 0;
  for (const char *p = t[4] ? t + 5 : t + 4; *p && *p != ')' && !bad;) {
    size_t n = strcspn(p, ",)");
    bad = wav_param(w, p, n, &duration) != 0;
    p += n;
    if (*p == ',') p++;
  }
  liq_sb_free(&sb);
  if (bad) liq_eval_raise("invalid", "unsupported %%wav parameter");
  /* The printed form always carries samplerate=44100, 2.1.3's default,
   * which there follows settings.frame.audio.samplerate: take the
   * stream's rate then (the input exists: the settings are fixed). */
  if (w->samplerate == 44100) w->samplerate = liq_stream_get()->samplerate;
  const char *why;
  if (liq_wav_check(w, &why) != 0) liq_eval_raise("invalid", "%%wav: %s", why);
}

LIQ_BUILTIN(b_file)
{
  liq_file_opts o;
  liq_file_opts_default(&o);
  /* The format first: it may raise before anything is owned. */
  wav_of_format(liq_arg(c, 0), &o.wav);
  liq_source *in = liq_lib_arg_source(c, 2);
  liq_value path = liq_arg(c, 1);
  if (liq_eval_is_function(path)) path = liq_eval_call0(path);
  liq_value *ppath = liq_eval_push(path);
  o.path = liq_to_str(*ppath, NULL);
  o.append = liq_lib_opt_bool(c, "append", 0);
  o.perm = (int)liq_lib_opt_int(c, "perm", 0666);
  o.dir_perm = (int)liq_lib_opt_int(c, "dir_perm", 0777);
  o.flush = liq_lib_opt_bool(c, "flush", 0);
  o.reopen_on_metadata = liq_lib_opt_bool(c, "reopen_on_metadata", 0);
  o.reopen_on_error = liq_lib_opt_bool(c, "reopen_on_error", 0);
  o.reopen_delay = liq_lib_opt_float(c, "reopen_delay", 120.);
  output_opts(c, &o.out);
  o.reopen_when = liq_lib_getter_bool(liq_lib_opt(c, "reopen_when"), 0);
  o.on_close = liq_lib_cb_string(liq_lib_opt(c, "on_close"));
  liq_sb err = LIQ_SB_INIT;
  liq_source *out = liq_output_file_new(in, &o, &err);
  liq_eval_pop(1);
  return finish(out, in, &err);
}

#define OUT_OPTS "?id : string?, ?fallible : bool, ?on_start : (() -> unit), ?on_stop : (() -> unit), ?start : bool"
/* What an output returns (2.1.3's -h prints only `unit`): the source
 * methods of lib_source.c and out_names above. */
#define OUT_VALUE                                                                          \
  "unit.{id : () -> string, fallible : bool, is_ready : () -> bool, skip : () -> unit, "    \
  "time : () -> float, elapsed : () -> float, remaining : () -> float, "                   \
  "duration : () -> float, is_up : () -> bool, seek : (float) -> float, "                  \
  "last_metadata : () -> [(string * string)]?, "                                           \
  "on_track : ((([(string * string)]) -> unit)) -> unit, "                                 \
  "on_metadata : ((([(string * string)]) -> unit)) -> unit, "                              \
  "on_shutdown : ((() -> unit)) -> unit, on_leave : ((() -> unit)) -> unit, "              \
  "on_get_ready : ((() -> unit)) -> unit, shutdown : () -> unit, stop : () -> unit, "      \
  "start : () -> unit, is_started : () -> bool}"
static const liq_builtin_def output_defs[] = {
  {"output.dummy", "(" OUT_OPTS ", source(audio='a, video='b, midi='c)) -> " OUT_VALUE,
   "Dummy output: consumes its source without producing anything.", "Source / Output", b_dummy},
  {"output.file",
   "(?id : string?, ?append : bool, ?dir_perm : int, ?fallible : bool, ?flush : bool, "
   "?on_close : ((string) -> unit), ?on_start : (() -> unit), ?on_stop : (() -> unit), "
   "?perm : int, ?reopen_delay : float, ?reopen_on_error : bool, ?reopen_on_metadata : bool, "
   "?reopen_when : (() -> bool), ?start : bool, format(audio='a, video='b, midi='c), getter(string), source(audio='a, video='b, midi='c)) -> " OUT_VALUE,
   "Output the source stream to a file.", "Source / Output", b_file},
};

const liq_lib_module liq_lib_output = {"output", output_defs, LIQ_NELEMS(output_defs), NULL, NULL};
