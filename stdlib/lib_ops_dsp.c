/* lib_ops_dsp: bindings of the sound-processing operators (fade.in/out,
 * normalize, compress, limit, filter, filter.fir, filter.iir.eq.*,
 * filter.iir.butterworth.*, filter.rc, echo, clip, stereo.pan,
 * stereo.width, stereo.ms.*, mean, audio_to_stereo, rms, peak), with
 * 2.1.3's labels, defaults and types. Arguments that can raise are read before any
 * callback struct is built (the engine owns the structs from the call on). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "stdlib/lib.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"

#define P "source(audio=pcm('a), video='b, midi='c)"
#define S "source(audio='a, video='b, midi='c)"
#define ST "source(audio=pcm(stereo), video='a, midi='b)"

/* A parameter that the engine only takes as a constant: a getter is read
 * once, at creation. */
static double const_float(const liq_call *c, const char *label, double dflt)
{
  liq_value v = liq_lib_opt(c, label);
  if (v == LIQ_NOVALUE) return dflt;
  if (liq_eval_is_function(v)) v = liq_eval_call0(v);
  return liq_to_float(v);
}

/* --- Fades ------------------------------------------------------------------ */

static liq_value fade(liq_call *c, int out)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  double duration = liq_lib_opt_float(c, "duration", 3.);
  const char *type = liq_lib_opt_str(c, "type", "lin");
  int shape = liq_fade_shape_parse(type);
  if (shape < 0) liq_eval_raise("invalid", "unknown fade type \"%s\" (lin, sin, log or exp)", type);
  const char *od = liq_lib_opt_str(c, "override_duration", out ? "liq_fade_out" : "liq_fade_in");
  const char *ot = liq_lib_opt_str(c, "override_type", "liq_fade_type");
  int ts = liq_lib_opt_bool(c, "track_sensitive", 1);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = out ? liq_op_fade_out(liq_lib_id(c), duration, shape, od, ot, ts, in, &err)
                      : liq_op_fade_in(liq_lib_id(c), duration, shape, od, ot, ts, in, &err);
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

static liq_value dynamics(liq_call *c, int limit)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_compress_opts o;
  if (limit) liq_limit_opts_default(&o);
  else liq_compress_opts_default(&o);
  o.track_sensitive = liq_lib_opt_bool(c, "track_sensitive", o.track_sensitive);
  liq_value ratio = liq_lib_opt(c, "ratio");
  if (ratio != LIQ_NOVALUE && !liq_eval_is_function(ratio) && liq_to_float(ratio) < 1)
    liq_eval_raise("invalid", "Ratio must be at least 1!");
  /* Getters last: nothing raises after them. */
  o.attack = liq_lib_getter_float(liq_lib_opt(c, "attack"), o.attack.constant);
  o.release = liq_lib_getter_float(liq_lib_opt(c, "release"), o.release.constant);
  o.ratio = liq_lib_getter_float(ratio, o.ratio.constant);
  o.threshold = liq_lib_getter_float(liq_lib_opt(c, "threshold"), o.threshold.constant);
  o.knee = liq_lib_getter_float(liq_lib_opt(c, "knee"), o.knee.constant);
  o.pre_gain = liq_lib_getter_float(liq_lib_opt(c, "pre_gain"), o.pre_gain.constant);
  o.gain = liq_lib_getter_float(liq_lib_opt(c, "gain"), o.gain.constant);
  o.wet = liq_lib_getter_float(liq_lib_opt(c, "wet"), o.wet.constant);
  o.lookahead = liq_lib_getter_float(liq_lib_opt(c, "lookahead"), o.lookahead.constant);
  o.window = liq_lib_getter_float(liq_lib_opt(c, "window"), o.window.constant);
  liq_sb err = LIQ_SB_INIT;
  static const char *const names[] = {"gain", "rms"};
  static const liq_builtin_fn fns[] = {m_comp_gain, m_comp_rms};
  return with_methods(liq_op_compress(liq_lib_id(c), &o, in, &err), &err, 2, names, fns);
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

LIQ_BUILTIN(b_normalize)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_normalize_opts o;
  liq_normalize_opts_default(&o);
  o.gain_min = liq_lib_opt_float(c, "gain_min", o.gain_min);
  o.gain_max = liq_lib_opt_float(c, "gain_max", o.gain_max);
  o.track_sensitive = liq_lib_opt_bool(c, "track_sensitive", o.track_sensitive);
  o.target = liq_lib_getter_float(liq_lib_opt(c, "target"), o.target.constant);
  o.up = liq_lib_getter_float(liq_lib_opt(c, "up"), o.up.constant);
  o.down = liq_lib_getter_float(liq_lib_opt(c, "down"), o.down.constant);
  o.threshold = liq_lib_getter_float(liq_lib_opt(c, "threshold"), o.threshold.constant);
  o.window = liq_lib_getter_float(liq_lib_opt(c, "window"), o.window.constant);
  o.lookahead = liq_lib_getter_float(liq_lib_opt(c, "lookahead"), o.lookahead.constant);
  liq_sb err = LIQ_SB_INIT;
  static const char *const names[] = {"rms", "gain", "target_gain"};
  static const liq_builtin_fn fns[] = {m_norm_rms, m_norm_gain, m_norm_target_gain};
  return with_methods(liq_op_normalize(liq_lib_id(c), &o, in, &err), &err, 3, names, fns);
}

/* --- Filters ----------------------------------------------------------------------- */

static liq_filter_mode filter_mode(const liq_call *c, int rc)
{
  const char *m = liq_lib_opt_str(c, "mode", NULL);
  if (!m) liq_eval_raise("invalid", "missing argument mode");
  if (!strcmp(m, "low")) return LIQ_FILTER_LOW;
  if (!strcmp(m, "high")) return LIQ_FILTER_HIGH;
  if (!rc && !strcmp(m, "band")) return LIQ_FILTER_BAND;
  if (!rc && !strcmp(m, "notch")) return LIQ_FILTER_NOTCH;
  liq_eval_raise("invalid", "invalid filter mode \"%s\" (%s)", m,
                 rc ? "low or high" : "low, high, band or notch");
}

static liq_value labelled(const liq_call *c, const char *label)
{
  liq_value v = liq_lib_opt(c, label);
  if (v == LIQ_NOVALUE) liq_eval_raise("invalid", "missing argument %s", label);
  return v;
}

LIQ_BUILTIN(b_filter)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_filter_mode mode = filter_mode(c, 0);
  liq_getter_float freq = liq_lib_getter_float(labelled(c, "freq"), 1000.);
  liq_getter_float q = liq_lib_getter_float(liq_lib_opt(c, "q"), 1.);
  liq_getter_float wet = liq_lib_getter_float(liq_lib_opt(c, "wetness"), 1.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_filter(liq_lib_id(c), freq, mode, q, wet, in, &err), &err);
}

LIQ_BUILTIN(b_filter_fir)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  double freq = liq_to_float(labelled(c, "frequency")), beta = liq_to_float(labelled(c, "beta"));
  int coeffs = (int)liq_lib_opt_int(c, "coeffs", 255);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_fir(liq_lib_id(c), freq, beta, coeffs, in, &err), &err);
}

LIQ_BUILTIN(b_filter_rc)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_filter_mode mode = filter_mode(c, 1);
  liq_getter_float freq = liq_lib_getter_float(labelled(c, "frequency"), 1000.);
  liq_getter_float wet = liq_lib_getter_float(liq_lib_opt(c, "wetness"), 1.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_filter_rc(liq_lib_id(c), freq, mode, wet, in, &err), &err);
}

/* The RBJ biquads. As in 2.x, allpass's `bandwidth` and the shelves'
 * `slope` are used as the Q itself (no octave or slope conversion), and
 * only the peak has a gain. */
static liq_value iir_eq(liq_call *c, liq_filter_mode mode)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_value freq_v = labelled(c, "frequency");
  const char *q_label = mode == LIQ_FILTER_ALLPASS                                 ? "bandwidth"
                        : mode == LIQ_FILTER_LOWSHELF || mode == LIQ_FILTER_HIGHSHELF ? "slope"
                                                                                     : "q";
  double q_dflt = mode == LIQ_FILTER_ALLPASS ? 1. / 3. : 1.;
  liq_getter_float freq = liq_lib_getter_float(freq_v, 1000.);
  liq_getter_float q = liq_lib_getter_float(liq_lib_opt(c, q_label), q_dflt);
  liq_getter_float gain =
      mode == LIQ_FILTER_PEAK ? liq_lib_getter_float(liq_lib_opt(c, "gain"), 1.) : LIQ_FLOAT(0.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_iir_eq(liq_lib_id(c), mode, freq, q, gain, in, &err), &err);
}

#define EQ_FN(fn, mode) \
  LIQ_BUILTIN(fn) { return iir_eq(c, mode); }
EQ_FN(b_eq_low, LIQ_FILTER_LOW)
EQ_FN(b_eq_high, LIQ_FILTER_HIGH)
EQ_FN(b_eq_band, LIQ_FILTER_BAND)
EQ_FN(b_eq_allpass, LIQ_FILTER_ALLPASS)
EQ_FN(b_eq_notch, LIQ_FILTER_NOTCH)
EQ_FN(b_eq_peak, LIQ_FILTER_PEAK)
EQ_FN(b_eq_lowshelf, LIQ_FILTER_LOWSHELF)
EQ_FN(b_eq_highshelf, LIQ_FILTER_HIGHSHELF)

/* filter.iir.eq.low_high: eq.low at `high` then eq.high at `low`, each
 * left out when its frequency is the constant infinity / 0. */
LIQ_BUILTIN(b_eq_low_high)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_value lo = labelled(c, "low"), hi = labelled(c, "high");
  double q = liq_lib_opt_float(c, "q", 1.);
  int use_hi = liq_eval_is_function(hi) || liq_to_float(hi) != INFINITY;
  int use_lo = liq_eval_is_function(lo) || liq_to_float(lo) != 0;
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_source_ref(in);
  if (use_hi) {
    liq_source *f = liq_op_iir_eq(use_lo ? NULL : liq_lib_id(c), LIQ_FILTER_LOW,
                                  liq_lib_getter_float(hi, 0), LIQ_FLOAT(q), LIQ_FLOAT(0), s, &err);
    liq_source_unref(s);
    if (!f) liq_lib_raise_sb(&err);
    s = f;
  }
  if (use_lo) {
    liq_source *f = liq_op_iir_eq(liq_lib_id(c), LIQ_FILTER_HIGH, liq_lib_getter_float(lo, 0),
                                  LIQ_FLOAT(q), LIQ_FLOAT(0), s, &err);
    liq_source_unref(s);
    s = f;
  }
  return liq_lib_source_result(s, &err);
}

static liq_value butterworth(liq_call *c, liq_filter_mode mode)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  int order = (int)liq_lib_opt_int(c, "order", 4);
  liq_getter_float freq = liq_lib_getter_float(labelled(c, "frequency"), 1000.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_butterworth(liq_lib_id(c), mode, freq, order, in, &err), &err);
}

static liq_value butterworth_band(liq_call *c, int stop)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  int order = (int)liq_lib_opt_int(c, "order", 4);
  double f1 = liq_to_float(labelled(c, "frequency1")), f2 = liq_to_float(labelled(c, "frequency2"));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_butterworth_band(liq_lib_id(c), stop, f1, f2, order, in, &err),
                               &err);
}

LIQ_BUILTIN(b_bw_bandpass) { return butterworth_band(c, 0); }
LIQ_BUILTIN(b_bw_bandstop) { return butterworth_band(c, 1); }

LIQ_BUILTIN(b_bw_low) { return butterworth(c, LIQ_FILTER_LOW); }
LIQ_BUILTIN(b_bw_high) { return butterworth(c, LIQ_FILTER_HIGH); }

/* --- Effects, channels ------------------------------------------------------------ */

LIQ_BUILTIN(b_echo)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  int ping_pong = liq_lib_opt_bool(c, "ping_pong", 0);
  liq_value fb_v = liq_lib_opt(c, "feedback");
  if (fb_v != LIQ_NOVALUE && const_float(c, "feedback", -6.) > 0)
    liq_eval_raise("invalid", "feedback should be negative");
  liq_getter_float delay = liq_lib_getter_float(liq_lib_opt(c, "delay"), 0.5);
  liq_getter_float feedback = liq_lib_getter_float(fb_v, -6.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_echo(liq_lib_id(c), delay, feedback, ping_pong, in, &err), &err);
}

LIQ_BUILTIN(b_clip)
{
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_clip(liq_lib_id(c), liq_lib_arg_source(c, 0), &err), &err);
}

LIQ_BUILTIN(b_pan)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_getter_float pan = liq_lib_getter_float(liq_lib_opt(c, "pan"), 0.);
  liq_getter_float field = liq_lib_getter_float(liq_lib_opt(c, "field"), 90.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_stereo_pan(liq_lib_id(c), pan, field, in, &err), &err);
}

/* stereo.width(?id, ?{float}, s): the width is the optional positional
 * argument before the source. */
LIQ_BUILTIN(b_width)
{
  int has_width = liq_arg(c, 1) != LIQ_NOVALUE;
  liq_source *in = liq_lib_arg_source(c, has_width ? 1 : 0);
  liq_getter_float width = liq_lib_getter_float(has_width ? liq_arg(c, 0) : LIQ_NOVALUE, 0.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_stereo_width(liq_lib_id(c), width, in, &err), &err);
}

static liq_value ms(liq_call *c, int decode)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  double width = liq_lib_opt_float(c, "width", 1.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_stereo_ms(liq_lib_id(c), decode, width, in, &err), &err);
}

LIQ_BUILTIN(b_ms_encode) { return ms(c, 0); }
LIQ_BUILTIN(b_ms_decode) { return ms(c, 1); }

LIQ_BUILTIN(b_mean)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_mean(liq_lib_id(c), liq_lib_opt_bool(c, "normalize", 1), in, &err), &err);
}

LIQ_BUILTIN(b_to_stereo)
{
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_audio_to_stereo(liq_lib_id(c), liq_lib_arg_source(c, 0), &err),
                               &err);
}

/* rms / peak with their .rms / .peak method. */
static liq_value m_level(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_float(liq_level_get(liq_lib_source_of(d)));
}

static liq_value level(liq_call *c, int peak)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_getter_float dur = liq_lib_getter_float(liq_lib_opt(c, "duration"), 0.5);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = peak ? liq_op_peak(liq_lib_id(c), dur, in, &err) : liq_op_rms(liq_lib_id(c), dur, in, &err);
  return liq_lib_source_with_method(s, &err, peak ? "peak" : "rms", m_level);
}

LIQ_BUILTIN(b_rms) { return level(c, 0); }
LIQ_BUILTIN(b_peak) { return level(c, 1); }

#define FADE_TYPE                                                                              \
  "(?id : string, ?duration : float, ?override_duration : string, ?override_type : string, "   \
  "?track_sensitive : bool, ?type : string, " P ") -> " P
#define EQ_Q "(?id : string?, frequency : getter(float), ?q : getter(float), " S ") -> " S
#define EQ_SHELF "(?id : string?, frequency : getter(float), ?slope : getter(float), " S ") -> " S
static const liq_builtin_def dsp_defs[] = {
  {"fade.in", FADE_TYPE, "Fade the beginning of tracks.", "Source / Fade", b_fade_in},
  {"fade.out", FADE_TYPE, "Fade the end of tracks.", "Source / Fade", b_fade_out},
  {"compress",
   "(?id : string?, ?attack : getter(float), ?gain : getter(float), ?knee : getter(float), "
   "?lookahead : getter(float), ?pre_gain : getter(float), ?ratio : getter(float), ?release : "
   "getter(float), ?threshold : getter(float), ?track_sensitive : bool, ?wet : getter(float), "
   "?window : getter(float), " P ") -> " P ".{gain : () -> float, rms : () -> float}",
   "Compress the signal.", "Source / Sound processing", b_compress},
  {"limit",
   "(?attack : getter(float), ?release : getter(float), ?ratio : getter(float), ?threshold : "
   "getter(float), ?pre_gain : getter(float), ?gain : getter(float), " P ") -> " P
   ".{gain : () -> float, rms : () -> float}",
   "Limit the signal.", "Source / Sound processing", b_limit},
  {"normalize",
   "(?id : string?, ?target : getter(float), ?up : getter(float), ?down : getter(float), "
   "?gain_min : float, ?gain_max : float, ?lufs : bool, ?lookahead : getter(float), ?window : "
   "getter(float), ?threshold : getter(float), ?track_sensitive : bool, ?debug : (float?)?, " P
   ") -> " P ".{rms : () -> float, gain : () -> float, target_gain : () -> float}",
   "Normalize the signal.", "Source / Sound processing", b_normalize},
  {"filter",
   "(?id : string?, freq : getter(float), mode : string, ?q : getter(float), ?wetness : "
   "getter(float), " P ") -> " P,
   "Perform several kinds of filtering on the signal.", "Source / Sound processing", b_filter},
  {"filter.fir",
   "(?id : string?, beta : float, ?coeffs : int, frequency : float, " P ") -> " P,
   "Low-pass FIR filter.", "Source / Sound processing", b_filter_fir},
  {"filter.rc",
   "(?id : string?, frequency : getter(float), mode : string, ?wetness : getter(float), " P
   ") -> " P,
   "First-order filter (RC).", "Source / Sound processing", b_filter_rc},
  {"filter.iir.butterworth.low", "(?id : string?, frequency : float, ?order : int, " P ") -> " P,
   "IIR filter: Butterworth low-pass.", "Source / Sound processing", b_bw_low},
  {"filter.iir.butterworth.high", "(?id : string?, frequency : float, ?order : int, " P ") -> " P,
   "IIR filter: Butterworth high-pass.", "Source / Sound processing", b_bw_high},
  {"filter.iir.butterworth.bandpass",
   "(?id : string?, frequency1 : float, frequency2 : float, ?order : int, " P ") -> " P,
   "IIR filter: Butterworth band-pass.", "Source / Sound processing", b_bw_bandpass},
  {"filter.iir.butterworth.bandstop",
   "(?id : string?, frequency1 : float, frequency2 : float, ?order : int, " P ") -> " P,
   "IIR filter: Butterworth band-stop.", "Source / Sound processing", b_bw_bandstop},
  {"echo",
   "(?id : string?, ?delay : getter(float), ?feedback : getter(float), ?ping_pong : bool, " P
   ") -> " P,
   "Add echo.", "Source / Sound processing", b_echo},
  {"clip", "(?id : string?, " P ") -> " P, "Clip samples, i.e. ensure that all values are "
   "between -1 and 1: values lower than -1 become -1 and values higher than 1 become 1.",
   "Source / Sound processing", b_clip},
  {"stereo.pan", "(?id : string?, ?field : getter(float), ?pan : getter(float), " ST ") -> " ST,
   "Pan a stereo sound.", "Source / Sound processing", b_pan},
  {"stereo.width", "(?id : string?, ?getter(float), " ST ") -> " ST,
   "Spacializer which allows controlling the width of the signal.",
   "Source / Sound processing", b_width},
  {"stereo.ms.encode", "(?id : string?, " ST ") -> " ST,
   "Encode left+right stereo to mid+side stereo (M/S).", "Source / Sound processing",
   b_ms_encode},
  {"stereo.ms.decode", "(?id : string?, ?width : float, " ST ") -> " ST,
   "Decode mid+side stereo (M/S) to left+right stereo.", "Source / Sound processing",
   b_ms_decode},
  {"mean", "(?id : string?, ?normalize : bool, " P ") -> source(audio=pcm(mono), video='b, midi='c)",
   "Produce mono audio by taking the mean of all audio channels.", "Source / Conversion",
   b_mean},
  {"audio_to_stereo", "(?id : string?, " P ") -> source(audio=pcm(stereo), video='b, midi='c)",
   "Convert any pcm audio source into a stereo source.", "Source / Conversion", b_to_stereo},
  {"rms", "(?id : string?, ?duration : getter(float), " P ") -> " P ".{rms : () -> float}",
   "Get current RMS volume of the source.", "Source / Visualization", b_rms},
  {"peak", "(?id : string?, ?duration : getter(float), " P ") -> " P ".{peak : () -> float}",
   "Get current peak volume of the source.", "Source / Visualization", b_peak},
  {"filter.iir.eq.low", EQ_Q, "IIR low-pass filter (RBJ biquad).", "Source / Sound processing",
   b_eq_low},
  {"filter.iir.eq.high", EQ_Q, "IIR high-pass filter (RBJ biquad).", "Source / Sound processing",
   b_eq_high},
  {"filter.iir.eq.bandpass", EQ_Q, "IIR band-pass filter (RBJ biquad).",
   "Source / Sound processing", b_eq_band},
  {"filter.iir.eq.allpass",
   "(?id : string?, ?bandwidth : getter(float), frequency : getter(float), " S ") -> " S,
   "IIR all-pass filter (RBJ biquad).", "Source / Sound processing", b_eq_allpass},
  {"filter.iir.eq.notch", EQ_Q, "IIR notch filter (RBJ biquad).", "Source / Sound processing",
   b_eq_notch},
  {"filter.iir.eq.peak",
   "(?id : string?, frequency : getter(float), ?gain : getter(float), ?q : getter(float), " S
   ") -> " S,
   "IIR peak filter (RBJ biquad).", "Source / Sound processing", b_eq_peak},
  {"filter.iir.eq.low_high",
   "(?id : string?, low : getter(float), high : getter(float), ?q : float, " S ") -> " S,
   "A bandpass filter obtained by chaining a low-pass and a high-pass filter.",
   "Source / Sound processing", b_eq_low_high},
  {"filter.iir.eq.lowshelf", EQ_SHELF, "IIR low shelf filter (RBJ biquad).",
   "Source / Sound processing", b_eq_lowshelf},
  {"filter.iir.eq.highshelf", EQ_SHELF, "IIR high shelf filter (RBJ biquad).",
   "Source / Sound processing", b_eq_highshelf},
};

const liq_lib_module liq_lib_ops_dsp = {"ops_dsp", dsp_defs, LIQ_NELEMS(dsp_defs), NULL, NULL};
