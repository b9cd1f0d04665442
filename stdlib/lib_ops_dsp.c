/* lib_ops_dsp: bindings of the sound-processing operators (fade.in/out,
 * normalize, compress, limit, filter, filter.fir, filter.iir.eq.*,
 * filter.iir.butterworth.*, filter.rc, echo, clip, stereo.pan,
 * stereo.width, stereo.ms.*, mean, audio_to_stereo, rms, peak), with
 * 2.1.3's labels, defaults and types.
 *
 * Each builtin declares its parameters once, in a liq_param table (the
 * registry derives its type and `-h` its parameter list from it), and
 * liq_lib_unpack fills the builtin's settings struct from the call.
 * Checks that can raise look at the raw arguments (liq_lib_param_arg)
 * before the unpacking builds any getter, or release the getters they
 * were given (the engine owns the structs from the constructor call on). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

#define P "source(audio=pcm('a), video='b, midi='c)"
#define S "source(audio='a, video='b, midi='c)"
#define ST "source(audio=pcm(stereo), video='a, midi='b)"

/* The rows most tables share: ?id and the input source (settings structs
 * name these fields `id` and `in`). */
#define ID_ROW(st) \
  LIQ_PARAM("id", "string?", "null", "Force the value of the source ID.", LIQ_P_STRING, st, id)
#define IN_ROW(type, doc, st) LIQ_PARAM(NULL, type, NULL, doc, LIQ_P_SOURCE, st, in)

/* A getter row without a default (a mandatory `{float}`) given a
 * function unpacks with -1 as the value liq_getter_float_get keeps when
 * the function's first call fails: give such a getter a sane one. */
static void getter_fallback(liq_getter_float *g, double v)
{
  if (g->fn) g->constant = v;
}

/* Releases the getters the rows of a table built into settings: for a
 * check that raises after liq_lib_unpack. */
static void release_getters(const liq_param *params, int n, void *settings)
{
  for (int k = 0; k < n; k++)
    if (params[k].kind == LIQ_P_GETTER_FLOAT)
      liq_getter_float_release((liq_getter_float *)((char *)settings + params[k].offset));
}

/* The plain value of a float parameter that the engine only checks
 * once, at creation: a getter is called now. */
static double const_float(liq_value v)
{
  if (liq_eval_is_function(v)) v = liq_eval_call0(v);
  return liq_to_float(v);
}

/* An operator with nothing but ?id and its source. */
typedef struct {
  const char *id;
  liq_source *in;
} plain_settings;

static const liq_param plain_params[] = {
  ID_ROW(plain_settings),
  IN_ROW(P, "Source to process.", plain_settings),
};

/* --- Fades ------------------------------------------------------------------ */

typedef struct {
  double duration;
  const char *override_duration, *override_type, *type;
  int track_sensitive;
  liq_source *in;
} fade_settings;

/* fade.in and fade.out differ by their defaults. The id is read by hand:
 * its default is no string but a fresh id made from the operator's name
 * ("fade.in", then "fade.in.1"...). */
#define FADE_ROWS(dir)                                                                         \
  LIQ_PARAM_SELF("id", "string", "\"fade." #dir "\"", "Force the value of the source ID."),    \
  LIQ_PARAM("duration", "float", "3.",                                                         \
            "Duration of the fading. This value can be set on a per-file basis using the "     \
            "metadata field passed as override.",                                              \
            LIQ_P_FLOAT, fade_settings, duration),                                             \
  LIQ_PARAM("override_duration", "string", "liq_fade_" #dir,                                   \
            "Metadata field which, if present and containing a float, overrides the "          \
            "'duration' parameter for current track.",                                         \
            LIQ_P_STRING, fade_settings, override_duration),                                   \
  LIQ_PARAM("override_type", "string", "liq_fade_type",                                        \
            "Metadata field which, if present and correct, overrides the 'type' parameter "    \
            "for current track.",                                                              \
            LIQ_P_STRING, fade_settings, override_type),                                       \
  LIQ_PARAM("track_sensitive", "bool", "true",                                                 \
            "Be track sensitive (if `false` we only fade " #dir " once at the beginning of "   \
            "the track).",                                                                     \
            LIQ_P_BOOL, fade_settings, track_sensitive),                                       \
  LIQ_PARAM("type", "string", "lin",                                                           \
            "Fader shape (lin|sin|log|exp): linear, sinusoidal, logarithmic or exponential.",  \
            LIQ_P_STRING, fade_settings, type),                                                \
  IN_ROW(P, "Source to fade.", fade_settings)

static const liq_param fade_in_params[] = {FADE_ROWS(in)};
static const liq_param fade_out_params[] = {FADE_ROWS(out)};

static liq_value fade(liq_call *c, int out)
{
  const liq_param *params = out ? fade_out_params : fade_in_params;
  int n = out ? (int)LIQ_NELEMS(fade_out_params) : (int)LIQ_NELEMS(fade_in_params);
  fade_settings o;
  liq_lib_unpack(c, params, n, &o);
  liq_value idv = liq_lib_param_arg(c, params, n, "id");
  const char *id = idv == LIQ_NOVALUE ? NULL : liq_to_str(idv, NULL);
  int shape = liq_fade_shape_parse(o.type);
  if (shape < 0)
    liq_eval_raise("invalid", "unknown fade type \"%s\" (lin, sin, log or exp)", o.type);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = out ? liq_op_fade_out(id, o.duration, shape, o.override_duration, o.override_type,
                                        o.track_sensitive, o.in, &err)
                      : liq_op_fade_in(id, o.duration, shape, o.override_duration, o.override_type,
                                       o.track_sensitive, o.in, &err);
  return liq_lib_source_result(s, &err);
}

LIQ_BUILTIN(b_fade_in) { return fade(c, 0); }
LIQ_BUILTIN(b_fade_out) { return fade(c, 1); }

/* --- Dynamics ------------------------------------------------------------------ */

/* Wraps s (or raises with err) with the two methods fns[0..1] named
 * names[0..1], each a builtin whose data is a plain value of s. */
static liq_value with_methods(liq_source *s, liq_sb *err, int n, const char *const *names,
                              const liq_builtin_fn *fns)
{
  if (!s) liq_lib_raise_sb(err);
  liq_sb_free(err);
  liq_value *base = liq_eval_push(liq_lib_source_value(liq_source_ref(s), 0, NULL, NULL));
  liq_value *m = liq_eval_push(LIQ_NOVALUE);
  for (int i = 1; i < n; i++) liq_eval_push(LIQ_NOVALUE);
  for (int i = 0; i < n; i++) m[i] = liq_v_builtin(fns[i], names[i], *base);
  liq_value r = liq_lib_source_value(s, n, names, m);
  liq_eval_pop(n + 1);
  return r;
}

static liq_value m_comp_gain(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_float(liq_compress_get(liq_lib_source_of(d), 0));
}

static liq_value m_comp_rms(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_float(liq_compress_get(liq_lib_source_of(d), 1));
}

/* compress and limit: the engine's options plus the id and the input. */
typedef struct {
  const char *id;
  liq_compress_opts o;
  liq_source *in;
} dyn_settings;

#define DYN_ROW(label, dflt, doc, field) \
  LIQ_PARAM(label, "{float}", dflt, doc, LIQ_P_GETTER_FLOAT, dyn_settings, o.field)
#define DYN_ATTACK(dflt) DYN_ROW("attack", dflt, "Attack time (ms).", attack)
#define DYN_GAIN DYN_ROW("gain", "0.", "Post-amplification (dB).", gain)
#define DYN_PRE_GAIN DYN_ROW("pre_gain", "0.", "Pre-amplification (dB).", pre_gain)
#define DYN_RATIO(dflt) \
  DYN_ROW("ratio", dflt, "Gain reduction ratio (reduction is ratio:1).", ratio)
#define DYN_RELEASE(dflt) DYN_ROW("release", dflt, "Release time (ms).", release)
#define DYN_THRESHOLD(dflt) DYN_ROW("threshold", dflt, "Threshold level (dB).", threshold)
#define DYN_IN IN_ROW(P, "Source to process.", dyn_settings)

static const liq_param compress_params[] = {
  ID_ROW(dyn_settings),
  DYN_ATTACK("50."),
  DYN_GAIN,
  DYN_ROW("knee", "1.", "Knee width (dB).", knee),
  DYN_ROW("lookahead", "0.", "Lookahead (ms).", lookahead),
  DYN_PRE_GAIN,
  DYN_RATIO("2."),
  DYN_RELEASE("400."),
  DYN_THRESHOLD("-10."),
  LIQ_PARAM("track_sensitive", "bool", "false", "Reset on every track.", LIQ_P_BOOL, dyn_settings,
            o.track_sensitive),
  DYN_ROW("wet", "1.",
          "How much of input sound to output (between 0 and 1, 0 means only original sound, 1 "
          "means only compressed sound).",
          wet),
  DYN_ROW("window", "0.", "RMS window length (second). `0.` means peak mode.", window),
  DYN_IN,
};

/* limit has no id, knee, lookahead, track_sensitive, wet nor window:
 * those keep liq_limit_opts_default's values. */
static const liq_param limit_params[] = {
  DYN_ATTACK("50."),
  DYN_RELEASE("200."),
  DYN_RATIO("20."),
  DYN_THRESHOLD("-2."),
  DYN_PRE_GAIN,
  DYN_GAIN,
  DYN_IN,
};

static liq_value dynamics(liq_call *c, int limit)
{
  const liq_param *params = limit ? limit_params : compress_params;
  int n = limit ? (int)LIQ_NELEMS(limit_params) : (int)LIQ_NELEMS(compress_params);
  liq_value ratio = liq_lib_param_arg(c, params, n, "ratio");
  if (ratio != LIQ_NOVALUE && !liq_eval_is_function(ratio) && liq_to_float(ratio) < 1)
    liq_eval_raise("invalid", "Ratio must be at least 1!");
  dyn_settings o = {NULL, {{0}}, NULL};
  liq_limit_opts_default(&o.o); /* the fields limit has no row for */
  liq_lib_unpack(c, params, n, &o);
  liq_sb err = LIQ_SB_INIT;
  static const char *const names[] = {"gain", "rms"};
  static const liq_builtin_fn fns[] = {m_comp_gain, m_comp_rms};
  return with_methods(liq_op_compress(o.id, &o.o, o.in, &err), &err, 2, names, fns);
}

LIQ_BUILTIN(b_compress) { return dynamics(c, 0); }
LIQ_BUILTIN(b_limit) { return dynamics(c, 1); }

/* normalize's methods: their data is a plain value of the source. */
#define NORM_METHOD(fn, which)                                                \
  static liq_value fn(liq_call *c, liq_value d)                               \
  {                                                                           \
    (void)c;                                                                  \
    return liq_v_float(liq_normalize_get(liq_lib_source_of(d), which));       \
  }
NORM_METHOD(m_norm_rms, LIQ_NORM_RMS)
NORM_METHOD(m_norm_gain, LIQ_NORM_GAIN)
NORM_METHOD(m_norm_target_gain, LIQ_NORM_TARGET_GAIN)

typedef struct {
  const char *id;
  liq_normalize_opts o;
  int lufs; /* TODO(lufs): accepted for 2.1.3's type, unused: the engine measures RMS only */
  liq_source *in;
} norm_settings;

#define NORM_GETTER(label, dflt, doc, field) \
  LIQ_PARAM(label, "{float}", dflt, doc, LIQ_P_GETTER_FLOAT, norm_settings, o.field)
#define NORM_FLOAT(label, dflt, doc, field) \
  LIQ_PARAM(label, "float", dflt, doc, LIQ_P_FLOAT, norm_settings, o.field)

static const liq_param normalize_params[] = {
  ID_ROW(norm_settings),
  NORM_GETTER("target", "-13.", "Desired RMS (dB).", target),
  NORM_GETTER("up", "10.", "Characteristic time to go up.", up),
  NORM_GETTER("down", "0.1", "Characteristic time to go down.", down),
  NORM_FLOAT("gain_min", "-12.", "Minimal gain value (dB).", gain_min),
  NORM_FLOAT("gain_max", "12.", "Maximal gain value (dB).", gain_max),
  LIQ_PARAM("lufs", "bool", "false",
            "Use LUFS instead of RMS to compute intensity (not supported: ignored).", LIQ_P_BOOL,
            norm_settings, lufs),
  NORM_GETTER("lookahead", "0.",
              "How much time to look ahead of the signal (second). Setting a positive value "
              "delays the output by the corresponding amount of time.",
              lookahead),
  NORM_GETTER("window", "0.5",
              "Duration of the window used to compute the current RMS power (second).", window),
  NORM_GETTER("threshold", "-40.", "Minimal RMS for activaing gain control (dB).", threshold),
  LIQ_PARAM("track_sensitive", "bool", "true", "Start every track with a gain of 1.", LIQ_P_BOOL,
            norm_settings, o.track_sensitive),
  LIQ_PARAM("debug", "(float?)?", "null",
            "How often to print debug messages, in seconds, useful to finetune the parameters "
            "(log level 5 shows them).",
            LIQ_P_FLOAT_OR_NULL, norm_settings, o.debug),
  IN_ROW(P, "Source to normalize.", norm_settings),
};

LIQ_BUILTIN(b_normalize)
{
  norm_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(normalize_params), &o);
  liq_sb err = LIQ_SB_INIT;
  static const char *const names[] = {"rms", "gain", "target_gain"};
  static const liq_builtin_fn fns[] = {m_norm_rms, m_norm_gain, m_norm_target_gain};
  return with_methods(liq_op_normalize(o.id, &o.o, o.in, &err), &err, 3, names, fns);
}

/* --- Filters ----------------------------------------------------------------------- */

/* filter and filter.rc. */
typedef struct {
  const char *id, *mode;
  liq_getter_float freq, q, wet;
  liq_source *in;
} filter_settings;

#define FILTER_WET                                                                            \
  LIQ_PARAM("wetness", "{float}", "1.",                                                       \
            "How much of the original signal should be added (1. means only filtered and 0. " \
            "means only original signal).",                                                   \
            LIQ_P_GETTER_FLOAT, filter_settings, wet)

static const liq_param filter_params[] = {
  ID_ROW(filter_settings),
  LIQ_PARAM("freq", "{float}", NULL, "Characteristic frequency of the filter.", LIQ_P_GETTER_FLOAT,
            filter_settings, freq),
  LIQ_PARAM("mode", "string", NULL,
            "Available modes are 'low' (for low-pass filter), 'high' (for high-pass filter), "
            "'band' (for band-pass filter) and 'notch' (for notch / band-stop / band-rejection "
            "filter).",
            LIQ_P_STRING, filter_settings, mode),
  LIQ_PARAM("q", "{float}", "1.", "Quality factor of the filter.", LIQ_P_GETTER_FLOAT,
            filter_settings, q),
  FILTER_WET,
  IN_ROW(P, "Source to filter.", filter_settings),
};

static const liq_param filter_rc_params[] = {
  ID_ROW(filter_settings),
  LIQ_PARAM("frequency", "{float}", NULL, "Cutoff frequency.", LIQ_P_GETTER_FLOAT, filter_settings,
            freq),
  LIQ_PARAM("mode", "string", NULL,
            "Available modes are 'low' (for low-pass filter), 'high' (for high-pass filter).",
            LIQ_P_STRING, filter_settings, mode),
  FILTER_WET,
  IN_ROW(P, "Source to filter.", filter_settings),
};

/* Unpacks a filter or filter.rc call (rc: only low and high). */
static void filter_unpack(liq_call *c, const liq_param *params, int n, int rc,
                          filter_settings *o, liq_filter_mode *mode)
{
  o->q = LIQ_FLOAT(1.); /* filter.rc has none */
  liq_lib_unpack(c, params, n, o);
  getter_fallback(&o->freq, 1000.);
  const char *m = o->mode ? o->mode : "";
  if (!strcmp(m, "low")) *mode = LIQ_FILTER_LOW;
  else if (!strcmp(m, "high")) *mode = LIQ_FILTER_HIGH;
  else if (!rc && !strcmp(m, "band")) *mode = LIQ_FILTER_BAND;
  else if (!rc && !strcmp(m, "notch")) *mode = LIQ_FILTER_NOTCH;
  else {
    release_getters(params, n, o);
    liq_eval_raise("invalid", "invalid filter mode \"%s\" (%s)", m,
                   rc ? "low or high" : "low, high, band or notch");
  }
}

LIQ_BUILTIN(b_filter)
{
  filter_settings o;
  liq_filter_mode mode;
  filter_unpack(c, LIQ_PARAMS(filter_params), 0, &o, &mode);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_filter(o.id, o.freq, mode, o.q, o.wet, o.in, &err), &err);
}

LIQ_BUILTIN(b_filter_rc)
{
  filter_settings o;
  liq_filter_mode mode;
  filter_unpack(c, LIQ_PARAMS(filter_rc_params), 1, &o, &mode);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_filter_rc(o.id, o.freq, mode, o.wet, o.in, &err), &err);
}

typedef struct {
  const char *id;
  double beta, frequency;
  int coeffs;
  liq_source *in;
} fir_settings;

static const liq_param fir_params[] = {
  ID_ROW(fir_settings),
  LIQ_PARAM("beta", "float", NULL, "Beta should range between 0 and 1.", LIQ_P_FLOAT, fir_settings,
            beta),
  LIQ_PARAM("coeffs", "int", "255", "Number of coefficients", LIQ_P_INT_AS_INT, fir_settings,
            coeffs),
  LIQ_PARAM("frequency", "float", NULL,
            "Corner frequency in Hz (frequency at which the response is 0.5, that is -6 dB).",
            LIQ_P_FLOAT, fir_settings, frequency),
  IN_ROW(P, "Source to filter.", fir_settings),
};

LIQ_BUILTIN(b_filter_fir)
{
  fir_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(fir_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_fir(o.id, o.frequency, o.beta, o.coeffs, o.in, &err), &err);
}

/* The RBJ biquads. As in 2.x, allpass's `bandwidth` and the shelves'
 * `slope` are used as the Q itself (no octave or slope conversion), and
 * only the peak has a gain. The tables differ by the frequency's doc and
 * the Q's label, as in 2.1.3. */
typedef struct {
  const char *id;
  liq_getter_float freq, q, gain;
  liq_source *in;
} eq_settings;

#define EQ_FREQ(doc) \
  LIQ_PARAM("frequency", "{float}", NULL, doc, LIQ_P_GETTER_FLOAT, eq_settings, freq)
#define EQ_Q(label, dflt, doc) \
  LIQ_PARAM(label, "{float}", dflt, doc, LIQ_P_GETTER_FLOAT, eq_settings, q)
#define EQ_IN IN_ROW(S, "Source to filter.", eq_settings)

/* low, high */
static const liq_param eq_corner_params[] = {
  ID_ROW(eq_settings), EQ_FREQ("Corner frequency"), EQ_Q("q", "1.", "Q"), EQ_IN,
};
/* bandpass, notch */
static const liq_param eq_center_params[] = {
  ID_ROW(eq_settings), EQ_FREQ("Center frequency"), EQ_Q("q", "1.", "Q"), EQ_IN,
};
/* 1/3, to the last digit of a double. */
static const liq_param eq_allpass_params[] = {
  ID_ROW(eq_settings),
  EQ_Q("bandwidth", "0.3333333333333333", "Bandwidth (in octaves)"),
  EQ_FREQ("Center frequency"),
  EQ_IN,
};
static const liq_param eq_peak_params[] = {
  ID_ROW(eq_settings),
  EQ_FREQ("Center frequency"),
  LIQ_PARAM("gain", "{float}", "1.", "Gain (in dB)", LIQ_P_GETTER_FLOAT, eq_settings, gain),
  EQ_Q("q", "1.", "Q"),
  EQ_IN,
};
static const liq_param eq_lowshelf_params[] = {
  ID_ROW(eq_settings), EQ_FREQ("Corner frequency"), EQ_Q("slope", "1.", "Shelf slope (dB/octave)"),
  EQ_IN,
};
static const liq_param eq_highshelf_params[] = {
  ID_ROW(eq_settings), EQ_FREQ("Center frequency"),
  EQ_Q("slope", "1.", "Shelf slope (in dB/octave)"), EQ_IN,
};

static liq_value iir_eq(liq_call *c, liq_filter_mode mode, const liq_param *params, int n)
{
  eq_settings o;
  o.gain = LIQ_FLOAT(0.); /* only the peak has a gain row */
  liq_lib_unpack(c, params, n, &o);
  getter_fallback(&o.freq, 1000.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_iir_eq(o.id, mode, o.freq, o.q, o.gain, o.in, &err), &err);
}

#define EQ_FN(fn, mode, table) \
  LIQ_BUILTIN(fn) { return iir_eq(c, mode, LIQ_PARAMS(table)); }
EQ_FN(b_eq_low, LIQ_FILTER_LOW, eq_corner_params)
EQ_FN(b_eq_high, LIQ_FILTER_HIGH, eq_corner_params)
EQ_FN(b_eq_band, LIQ_FILTER_BAND, eq_center_params)
EQ_FN(b_eq_allpass, LIQ_FILTER_ALLPASS, eq_allpass_params)
EQ_FN(b_eq_notch, LIQ_FILTER_NOTCH, eq_center_params)
EQ_FN(b_eq_peak, LIQ_FILTER_PEAK, eq_peak_params)
EQ_FN(b_eq_lowshelf, LIQ_FILTER_LOWSHELF, eq_lowshelf_params)
EQ_FN(b_eq_highshelf, LIQ_FILTER_HIGHSHELF, eq_highshelf_params)

typedef struct {
  const char *id;
  liq_getter_float low, high;
  double q;
  liq_source *in;
} low_high_settings;

static const liq_param eq_low_high_params[] = {
  ID_ROW(low_high_settings),
  LIQ_PARAM("low", "{float}", NULL, "Lower frequency of the bandpass filter.", LIQ_P_GETTER_FLOAT,
            low_high_settings, low),
  LIQ_PARAM("high", "{float}", NULL, "Higher frequency of the bandpass filter.",
            LIQ_P_GETTER_FLOAT, low_high_settings, high),
  LIQ_PARAM("q", "float", "1.", "Q factor.", LIQ_P_FLOAT, low_high_settings, q),
  IN_ROW(S, "Source to filter.", low_high_settings),
};

/* filter.iir.eq.low_high: eq.low at `high` then eq.high at `low`, each
 * left out when its frequency is the constant infinity / 0. */
LIQ_BUILTIN(b_eq_low_high)
{
  low_high_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(eq_low_high_params), &o);
  getter_fallback(&o.low, 0.);
  getter_fallback(&o.high, 0.);
  int use_hi = o.high.fn || o.high.constant != INFINITY;
  int use_lo = o.low.fn || o.low.constant != 0;
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_source_ref(o.in);
  if (use_hi) {
    liq_source *f = liq_op_iir_eq(use_lo ? NULL : o.id, LIQ_FILTER_LOW, o.high, LIQ_FLOAT(o.q),
                                  LIQ_FLOAT(0), s, &err);
    liq_source_unref(s);
    if (!f) {
      liq_getter_float_release(&o.low);
      liq_lib_raise_sb(&err);
    }
    s = f;
  }
  if (use_lo) {
    liq_source *f =
        liq_op_iir_eq(o.id, LIQ_FILTER_HIGH, o.low, LIQ_FLOAT(o.q), LIQ_FLOAT(0), s, &err);
    liq_source_unref(s);
    s = f;
  }
  return liq_lib_source_result(s, &err);
}

/* filter.iir.butterworth.*: the frequencies are plain floats. */
typedef struct {
  const char *id;
  double freq, freq2;
  int order;
  liq_source *in;
} bw_settings;

#define BW_ORDER \
  LIQ_PARAM("order", "int", "4", "Filter order", LIQ_P_INT_AS_INT, bw_settings, order)
#define BW_IN IN_ROW(P, "Source to filter.", bw_settings)

static const liq_param bw_params[] = {
  ID_ROW(bw_settings),
  LIQ_PARAM("frequency", "float", NULL, "Corner frequency", LIQ_P_FLOAT, bw_settings, freq),
  BW_ORDER,
  BW_IN,
};

static const liq_param bw_band_params[] = {
  ID_ROW(bw_settings),
  LIQ_PARAM("frequency1", "float", NULL, "First corner frequency", LIQ_P_FLOAT, bw_settings, freq),
  LIQ_PARAM("frequency2", "float", NULL, "Second corner frequency", LIQ_P_FLOAT, bw_settings,
            freq2),
  BW_ORDER,
  BW_IN,
};

static liq_value butterworth(liq_call *c, liq_filter_mode mode)
{
  bw_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(bw_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_butterworth(o.id, mode, LIQ_FLOAT(o.freq), o.order, o.in, &err), &err);
}

static liq_value butterworth_band(liq_call *c, int stop)
{
  bw_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(bw_band_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_butterworth_band(o.id, stop, o.freq, o.freq2, o.order, o.in, &err), &err);
}

LIQ_BUILTIN(b_bw_bandpass) { return butterworth_band(c, 0); }
LIQ_BUILTIN(b_bw_bandstop) { return butterworth_band(c, 1); }

LIQ_BUILTIN(b_bw_low) { return butterworth(c, LIQ_FILTER_LOW); }
LIQ_BUILTIN(b_bw_high) { return butterworth(c, LIQ_FILTER_HIGH); }

/* --- Effects, channels ------------------------------------------------------------ */

typedef struct {
  const char *id;
  liq_getter_float delay, feedback;
  int ping_pong;
  liq_source *in;
} echo_settings;

static const liq_param echo_params[] = {
  ID_ROW(echo_settings),
  LIQ_PARAM("delay", "{float}", "0.5", "Delay in seconds.", LIQ_P_GETTER_FLOAT, echo_settings,
            delay),
  LIQ_PARAM("feedback", "{float}", "-6.", "Feedback coefficient in dB (negative).",
            LIQ_P_GETTER_FLOAT, echo_settings, feedback),
  LIQ_PARAM("ping_pong", "bool", "false", "Use ping-pong delay.", LIQ_P_BOOL, echo_settings,
            ping_pong),
  IN_ROW(P, "Source to process.", echo_settings),
};

LIQ_BUILTIN(b_echo)
{
  liq_value fb = liq_lib_param_arg(c, LIQ_PARAMS(echo_params), "feedback");
  if (fb != LIQ_NOVALUE && const_float(fb) > 0)
    liq_eval_raise("invalid", "feedback should be negative");
  echo_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(echo_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_echo(o.id, o.delay, o.feedback, o.ping_pong, o.in, &err),
                               &err);
}

LIQ_BUILTIN(b_clip)
{
  plain_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(plain_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_clip(o.id, o.in, &err), &err);
}

typedef struct {
  const char *id;
  liq_getter_float field, pan;
  liq_source *in;
} pan_settings;

static const liq_param pan_params[] = {
  ID_ROW(pan_settings),
  LIQ_PARAM("field", "{float}", "90.", "Field width in degrees (between 0 and 90).",
            LIQ_P_GETTER_FLOAT, pan_settings, field),
  LIQ_PARAM("pan", "{float}", "0.", "Pan ranges between -1 and 1.", LIQ_P_GETTER_FLOAT,
            pan_settings, pan),
  IN_ROW(ST, "Stereo source to pan.", pan_settings),
};

LIQ_BUILTIN(b_pan)
{
  pan_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(pan_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_stereo_pan(o.id, o.pan, o.field, o.in, &err), &err);
}

/* stereo.width(?id, ?{float}, s): the width is an optional positional
 * argument before the source. Positional arguments come in order and the
 * checker fills the width's slot first (2.1.3 also types
 * `stereo.width(s)` as s for the width), so whenever the source is
 * there, so is the width, and the rows can be unpacked by position. */
typedef struct {
  const char *id;
  liq_getter_float width;
  liq_source *in;
} width_settings;

static const liq_param width_params[] = {
  ID_ROW(width_settings),
  LIQ_PARAM(NULL, "{float}", "0.", "Width of the signal (-1: mono, 0.: original, 1.: wide stereo).",
            LIQ_P_GETTER_FLOAT, width_settings, width),
  IN_ROW(ST, "Stereo source to process.", width_settings),
};

LIQ_BUILTIN(b_width)
{
  width_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(width_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_stereo_width(o.id, o.width, o.in, &err), &err);
}

typedef struct {
  const char *id;
  double width;
  liq_source *in;
} ms_settings;

static const liq_param ms_encode_params[] = {
  ID_ROW(ms_settings),
  IN_ROW(ST, "Left+right stereo source.", ms_settings),
};

static const liq_param ms_decode_params[] = {
  ID_ROW(ms_settings),
  LIQ_PARAM("width", "float", "1.", "Width of the stereo field.", LIQ_P_FLOAT, ms_settings, width),
  IN_ROW(ST, "Mid+side stereo source.", ms_settings),
};

LIQ_BUILTIN(b_ms_encode)
{
  ms_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(ms_encode_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_stereo_ms(o.id, 0, 1., o.in, &err), &err);
}

LIQ_BUILTIN(b_ms_decode)
{
  ms_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(ms_decode_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_stereo_ms(o.id, 1, o.width, o.in, &err), &err);
}

typedef struct {
  const char *id;
  int normalize;
  liq_source *in;
} mean_settings;

static const liq_param mean_params[] = {
  ID_ROW(mean_settings),
  LIQ_PARAM("normalize", "bool", "true", "Divide the output volume by the number of channels.",
            LIQ_P_BOOL, mean_settings, normalize),
  IN_ROW(P, "Source whose mean should be computed.", mean_settings),
};

LIQ_BUILTIN(b_mean)
{
  mean_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(mean_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_mean(o.id, o.normalize, o.in, &err), &err);
}

LIQ_BUILTIN(b_to_stereo)
{
  plain_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(plain_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_audio_to_stereo(o.id, o.in, &err), &err);
}

/* rms / peak with their .rms / .peak method. */
static liq_value m_level(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_float(liq_level_get(liq_lib_source_of(d)));
}

typedef struct {
  const char *id;
  liq_getter_float duration;
  liq_source *in;
} level_settings;

static const liq_param level_params[] = {
  ID_ROW(level_settings),
  LIQ_PARAM("duration", "{float}", "0.5",
            "Duration of the window (in seconds). A value <= 0, means that computation should "
            "not be performed.",
            LIQ_P_GETTER_FLOAT, level_settings, duration),
  IN_ROW(P, "Source to measure.", level_settings),
};

static liq_value level(liq_call *c, int peak)
{
  level_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(level_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = peak ? liq_op_peak(o.id, o.duration, o.in, &err)
                       : liq_op_rms(o.id, o.duration, o.in, &err);
  return liq_lib_source_with_method(s, &err, peak ? "peak" : "rms", m_level);
}

LIQ_BUILTIN(b_rms) { return level(c, 0); }
LIQ_BUILTIN(b_peak) { return level(c, 1); }

#define SP "Source / Sound processing"
#define DYN_METHODS ".{gain : () -> float, rms : () -> float}"
static const liq_builtin_def dsp_defs[] = {
  {"fade.in", NULL, "Fade the beginning of tracks.", "Source / Fade", b_fade_in,
   LIQ_PARAMS(fade_in_params), P},
  {"fade.out", NULL, "Fade the end of tracks.", "Source / Fade", b_fade_out,
   LIQ_PARAMS(fade_out_params), P},
  {"compress", NULL, "Compress the signal.", SP, b_compress, LIQ_PARAMS(compress_params),
   P DYN_METHODS},
  {"limit", NULL, "Limit the signal.", SP, b_limit, LIQ_PARAMS(limit_params), P DYN_METHODS},
  {"normalize", NULL, "Normalize the signal.", SP, b_normalize, LIQ_PARAMS(normalize_params),
   P ".{rms : () -> float, gain : () -> float, target_gain : () -> float}"},
  {"filter", NULL, "Perform several kinds of filtering on the signal.", SP, b_filter,
   LIQ_PARAMS(filter_params), P},
  {"filter.fir", NULL, "Low-pass FIR filter.", SP, b_filter_fir, LIQ_PARAMS(fir_params), P},
  {"filter.rc", NULL, "First-order filter (RC).", SP, b_filter_rc, LIQ_PARAMS(filter_rc_params), P},
  {"filter.iir.butterworth.low", NULL, "IIR filter: Butterworth low-pass.", SP, b_bw_low,
   LIQ_PARAMS(bw_params), P},
  {"filter.iir.butterworth.high", NULL, "IIR filter: Butterworth high-pass.", SP, b_bw_high,
   LIQ_PARAMS(bw_params), P},
  {"filter.iir.butterworth.bandpass", NULL, "IIR filter: Butterworth band-pass.", SP,
   b_bw_bandpass, LIQ_PARAMS(bw_band_params), P},
  {"filter.iir.butterworth.bandstop", NULL, "IIR filter: Butterworth band-stop.", SP,
   b_bw_bandstop, LIQ_PARAMS(bw_band_params), P},
  {"echo", NULL, "Add echo.", SP, b_echo, LIQ_PARAMS(echo_params), P},
  {"clip", NULL,
   "Clip samples, i.e. ensure that all values are between -1 and 1: values lower than -1 "
   "become -1 and values higher than 1 become 1.",
   SP, b_clip, LIQ_PARAMS(plain_params), P},
  {"stereo.pan", NULL, "Pan a stereo sound.", SP, b_pan, LIQ_PARAMS(pan_params), ST},
  {"stereo.width", NULL, "Spacializer which allows controlling the width of the signal.", SP,
   b_width, LIQ_PARAMS(width_params), ST},
  {"stereo.ms.encode", NULL, "Encode left+right stereo to mid+side stereo (M/S).", SP,
   b_ms_encode, LIQ_PARAMS(ms_encode_params), ST},
  {"stereo.ms.decode", NULL, "Decode mid+side stereo (M/S) to left+right stereo.", SP,
   b_ms_decode, LIQ_PARAMS(ms_decode_params), ST},
  {"mean", NULL, "Produce mono audio by taking the mean of all audio channels.",
   "Source / Conversion", b_mean, LIQ_PARAMS(mean_params),
   "source(audio=pcm(mono), video='b, midi='c)"},
  {"audio_to_stereo", NULL, "Convert any pcm audio source into a stereo source.",
   "Source / Conversion", b_to_stereo, LIQ_PARAMS(plain_params),
   "source(audio=pcm(stereo), video='b, midi='c)"},
  {"rms", NULL, "Get current RMS volume of the source.", "Source / Visualization", b_rms,
   LIQ_PARAMS(level_params), P ".{rms : () -> float}"},
  {"peak", NULL, "Get current peak volume of the source.", "Source / Visualization", b_peak,
   LIQ_PARAMS(level_params), P ".{peak : () -> float}"},
  {"filter.iir.eq.low", NULL, "IIR low-pass filter (RBJ biquad).", SP, b_eq_low,
   LIQ_PARAMS(eq_corner_params), S},
  {"filter.iir.eq.high", NULL, "IIR high-pass filter (RBJ biquad).", SP, b_eq_high,
   LIQ_PARAMS(eq_corner_params), S},
  {"filter.iir.eq.bandpass", NULL, "IIR band-pass filter (RBJ biquad).", SP, b_eq_band,
   LIQ_PARAMS(eq_center_params), S},
  {"filter.iir.eq.allpass", NULL, "IIR all-pass filter (RBJ biquad).", SP, b_eq_allpass,
   LIQ_PARAMS(eq_allpass_params), S},
  {"filter.iir.eq.notch", NULL, "IIR notch filter (RBJ biquad).", SP, b_eq_notch,
   LIQ_PARAMS(eq_center_params), S},
  {"filter.iir.eq.peak", NULL, "IIR peak filter (RBJ biquad).", SP, b_eq_peak,
   LIQ_PARAMS(eq_peak_params), S},
  {"filter.iir.eq.low_high", NULL,
   "A bandpass filter obtained by chaining a low-pass and a high-pass filter.", SP, b_eq_low_high,
   LIQ_PARAMS(eq_low_high_params), S},
  {"filter.iir.eq.lowshelf", NULL, "IIR low shelf filter (RBJ biquad).", SP, b_eq_lowshelf,
   LIQ_PARAMS(eq_lowshelf_params), S},
  {"filter.iir.eq.highshelf", NULL, "IIR high shelf filter (RBJ biquad).", SP, b_eq_highshelf,
   LIQ_PARAMS(eq_highshelf_params), S},
};

const liq_lib_module liq_lib_ops_dsp = {"ops_dsp", dsp_defs, LIQ_NELEMS(dsp_defs), NULL, NULL};
