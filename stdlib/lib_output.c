/* lib_output: output.dummy and output.file(%mp3(...), path, s).
 *
 * Outputs return unit, as in 2.1.3. The fallibility check happens at
 * creation (the engine's liq_source_check_fallible): a fallible input
 * without fallible=true raises a located error saying that mksafe() or
 * fallible=true fixes it, and the script exits non-zero. The new output
 * joins its input's clock, or the default clock when streaming starts
 * (lib_clock.c). The format is the encoder value's structure (lib_encoder.c,
 * runtime/codec/encoder.h): the output builds its encoder from it, and
 * refuses encoders this build does not have. Each output declares its parameters
 * once, in a liq_param table whose rows point into runtime/output.h's
 * liq_output_opts / liq_file_opts; the format and the file name, which no
 * row kind expresses, are read by the builtin itself. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "stdlib/lib.h"
#include "runtime/clock.h"
#include "runtime/codec/encoder.h"
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

/* The format value output.file was given (the registry says whether this
 * build encodes it; liq_encoder_new checks it against the stream). */
static const liq_enc_format *format_arg(liq_value fmt)
{
  const liq_enc_format *f = liq_lib_format_of(fmt);
  if (!f) liq_eval_raise("invalid", "output.file expects an encoder format such as %%wav");
  if (!liq_encoder_kind_built(f->kind))
    liq_eval_raise("invalid", "encoder %%%s is not available in this build", f->kind->name);
  return f;
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
  /* A format value (lib_encoder.c), read by format_arg. */
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
  /* The format first: it may raise before anything is owned. The value
   * stays alive (an argument) while the output builds its encoder. */
  o.file.format = format_arg(liq_arg(c, 0));
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
