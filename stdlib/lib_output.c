/* lib_output: output.dummy and output.file(%wav(...), path, s).
 *
 * Outputs return unit, as in 2.1.3. The fallibility check happens at
 * creation (the engine's liq_source_check_fallible): a fallible input
 * without fallible=true raises a located error saying that mksafe() or
 * fallible=true fixes it, and the script exits non-zero. The new output
 * joins its input's clock, or the default clock when streaming starts
 * (lib_clock.c). Encoders: only %wav exists in the engine; its parameters
 * are read back from the format value's printed form (lib_encoder.c keeps
 * the normalised parameters as text). Each output declares its parameters
 * once, in a liq_param table whose rows point into runtime/output.h's
 * liq_output_opts / liq_file_opts; the format and the file name, which no
 * row kind expresses, are read by the builtin itself. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "stdlib/lib.h"
#include "runtime/clock.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"

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

/* The rows every output has, for a settings struct st whose
 * liq_output_opts is the member m (out, file.out). Each table places them
 * itself: 2.1.3 sorts an output's labels, so output.file's own interleave
 * with them. */
#define OUT_ID_ROW(st, m) \
  LIQ_PARAM("id", "string?", "null", "Force the value of the source ID.", LIQ_P_STRING, st, m.id)
#define OUT_FALLIBLE_ROW(st, m)                                                                   \
  LIQ_PARAM("fallible", "bool", "false",                                                          \
            "Allow the child source to fail, in which case the output will be stopped until the " \
            "source is available again.",                                                         \
            LIQ_P_BOOL, st, m.fallible)
#define OUT_CALLBACK_ROWS(st, m)                                                                  \
  LIQ_PARAM("on_start", "(() -> unit)", "<fun>", "Callback executed when output starts.",         \
            LIQ_P_CB_VOID, st, m.on_start),                                                       \
  LIQ_PARAM("on_stop", "(() -> unit)", "<fun>", "Callback executed when output stops.",           \
            LIQ_P_CB_VOID, st, m.on_stop)
#define OUT_START_ROW(st, m)                                                                      \
  LIQ_PARAM("start", "bool", "true", "Start output as soon as it is available.", LIQ_P_BOOL, st,  \
            m.start)

typedef struct {
  liq_output_opts out;
  liq_source *in;
} dummy_settings;

static const liq_param dummy_params[] = {
  OUT_ID_ROW(dummy_settings, out),
  OUT_FALLIBLE_ROW(dummy_settings, out),
  OUT_CALLBACK_ROWS(dummy_settings, out),
  OUT_START_ROW(dummy_settings, out),
  LIQ_PARAM(NULL, "source(audio='a, video='b, midi='c)", NULL, "The source to consume.",
            LIQ_P_SOURCE, dummy_settings, in),
};

LIQ_BUILTIN(b_dummy)
{
  dummy_settings o;
  liq_output_opts_default(&o.out);
  liq_lib_unpack(c, LIQ_PARAMS(dummy_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return finish(liq_output_dummy_new(o.in, &o.out, &err), o.in, &err);
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

typedef struct {
  liq_file_opts file;
  liq_source *in;
} file_settings;

static const liq_param file_params[] = {
  OUT_ID_ROW(file_settings, file.out),
  LIQ_PARAM("append", "bool", "false", "Do not truncate but append in the file if it exists.",
            LIQ_P_BOOL, file_settings, file.file.append),
  LIQ_PARAM("dir_perm", "int", "511",
            "Permission of the directories if some have to be created, up to umask. Although "
            "you can enter values in octal notation (0oXXX) they will be displayed in decimal "
            "(for instance, 0o777 = 7*8^2 + 7*8 + 7 = 511).",
            LIQ_P_INT_AS_INT, file_settings, file.file.dir_perm),
  OUT_FALLIBLE_ROW(file_settings, file.out),
  LIQ_PARAM("flush", "bool", "false", "Perform a flush after each write.", LIQ_P_BOOL,
            file_settings, file.file.flush),
  LIQ_PARAM("on_close", "((string) -> unit)", "<fun>",
            "This function will be called for each file, after that it is finished and closed. "
            "The filename will be passed as argument.",
            LIQ_P_CB_STRING, file_settings, file.file.on_close),
  OUT_CALLBACK_ROWS(file_settings, file.out),
  LIQ_PARAM("perm", "int", "438",
            "Permission of the file if it has to be created, up to umask. You can and should "
            "write this number in octal notation: 0oXXX. The default value is however displayed "
            "in decimal (0o666 = 6*8^2 + 6*8 + 6 = 438).",
            LIQ_P_INT_AS_INT, file_settings, file.file.perm),
  LIQ_PARAM("reopen_delay", "float", "120.", "Prevent re-opening within that delay, in seconds.",
            LIQ_P_FLOAT, file_settings, file.file.reopen_delay),
  LIQ_PARAM("reopen_on_error", "bool", "false", "Re-open if some error occurs.", LIQ_P_BOOL,
            file_settings, file.file.reopen_on_error),
  LIQ_PARAM("reopen_on_metadata", "bool", "false", "Re-open on every new metadata information.",
            LIQ_P_BOOL, file_settings, file.file.reopen_on_metadata),
  LIQ_PARAM("reopen_when", "(() -> bool)", "{false}", "When should the output be re-opened.",
            LIQ_P_GETTER_BOOL, file_settings, file.file.reopen_when),
  OUT_START_ROW(file_settings, file.out),
  /* A format value (only %wav), read back by wav_of_format. */
  LIQ_PARAM_SELF(NULL, "format(audio='a, video='b, midi='c)", NULL, "Encoding format."),
  /* A string or a function returning one, called once here. */
  LIQ_PARAM_SELF(NULL, "{string}", NULL,
                 "Filename where to output the stream. Some strftime conversion specifiers are "
                 "available: `%SMHdmY`. You can also use `$(..)` interpolation notation for "
                 "metadata."),
  LIQ_PARAM(NULL, "source(audio='a, video='b, midi='c)", NULL, "The source to write.",
            LIQ_P_SOURCE, file_settings, in),
};

LIQ_BUILTIN(b_file)
{
  file_settings o;
  liq_file_opts_default(&o.file);
  /* The format first: it may raise before anything is owned. */
  wav_of_format(liq_arg(c, 0), &o.file.wav);
  liq_value path = liq_arg(c, 1);
  if (liq_eval_is_function(path)) path = liq_eval_call0(path);
  liq_value *ppath = liq_eval_push(path);
  o.file.file.path = liq_to_str(*ppath, NULL);
  liq_lib_unpack(c, LIQ_PARAMS(file_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *out = liq_output_file_new(o.in, &o.file, &err);
  liq_eval_pop(1);
  return finish(out, o.in, &err);
}

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
  {"output.dummy", NULL, "Dummy output: consumes its source without producing anything.",
   "Source / Output", b_dummy, LIQ_PARAMS(dummy_params), OUT_VALUE},
  {"output.file", NULL, "Output the source stream to a file.", "Source / Output", b_file,
   LIQ_PARAMS(file_params), OUT_VALUE},
};

const liq_lib_module liq_lib_output = {"output", output_defs, LIQ_NELEMS(output_defs), NULL, NULL};
