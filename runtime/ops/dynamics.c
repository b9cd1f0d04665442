/* dynamics: compress (and limit, its high-ratio preset) and normalize.
 *
 * compress: a feed-forward compressor. The level is the channels' peak
 * (window = 0) or their RMS over `window` seconds (a running mean square
 * with that time constant), in dB. The gain computer has a soft knee of
 * width `knee`:
 *   over = level - threshold
 *   over < -knee/2          : 0
 *   |over| <= knee/2        : (1/ratio - 1) (over + knee/2)^2 / (2 knee)
 *   over > knee/2           : (1/ratio - 1) over
 * and that reduction (dB) is smoothed by one-pole filters: the `attack`
 * time constant when it deepens, `release` when it recovers. This is the
 * model that matches 2.1.3 (full-scale sine: compress -4.07 dB, limit
 * -1.00 dB of RMS, doc/runtime.md). Output = input * (pre_gain + reduction
 * + gain dB), mixed with the dry input by `wet`.
 *
 * normalize: automatic gain control. The input's RMS is tracked over
 * `window` seconds; above `threshold` the target gain is target - rms,
 * clamped to [gain_min, gain_max], and the applied gain moves toward it
 * with time constant `up` when rising and `down` when falling (updated per
 * fill, interpolated linearly across it). */
#include "config.h"

#include <math.h>

#include "ops.h"

static double db_to_lin(double db) { return pow(10, db / 20); }
static double lin_to_db(double x) { return x > 1e-12 ? 20 * log10(x) : -240; }

/* --- compress ------------------------------------------------------------------- */

void liq_compress_opts_default(liq_compress_opts *o)
{
  o->attack = LIQ_FLOAT(50);
  o->release = LIQ_FLOAT(400);
  o->ratio = LIQ_FLOAT(2);
  o->threshold = LIQ_FLOAT(-10);
  o->knee = LIQ_FLOAT(1);
  o->pre_gain = LIQ_FLOAT(0);
  o->gain = LIQ_FLOAT(0);
  o->wet = LIQ_FLOAT(1);
  o->window = 0;
}

void liq_limit_opts_default(liq_compress_opts *o)
{
  liq_compress_opts_default(o);
  o->release = LIQ_FLOAT(200);
  o->ratio = LIQ_FLOAT(20);
  o->threshold = LIQ_FLOAT(-2);
}

typedef struct comp {
  liq_compress_opts o;
  double ms;  /* running mean square (RMS mode) */
  double reduction; /* current gain reduction, dB (<= 0) */
} comp;

static int comp_init(liq_source *s, const void *argp)
{
  comp *p = liq_source_priv(s);
  p->o = *(const liq_compress_opts *)argp;
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM)
    return liq_source_set_error(s, "compress needs pcm audio");
  return 0;
}

static void comp_uninit(liq_source *s)
{
  comp *p = liq_source_priv(s);
  liq_getter_float *g[] = {&p->o.attack, &p->o.release, &p->o.ratio, &p->o.threshold,
                           &p->o.knee,   &p->o.pre_gain, &p->o.gain, &p->o.wet};
  for (size_t i = 0; i < sizeof g / sizeof *g; i++) liq_getter_float_release(g[i]);
}

/* Time constant (ms) to a per-sample smoothing coefficient. */
static double coef(double ms, double rate) { return ms > 0 ? exp(-1000.0 / (ms * rate)) : 0; }

static liq_fill comp_fill(liq_source *s, liq_frame *f, int off, int len)
{
  comp *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  double rate = liq_source_samplerate(s);
  double att = coef(liq_getter_float_get(&p->o.attack, s), rate);
  double rel = coef(liq_getter_float_get(&p->o.release, s), rate);
  double ratio = liq_getter_float_get(&p->o.ratio, s);
  double thr = liq_getter_float_get(&p->o.threshold, s);
  double knee = liq_getter_float_get(&p->o.knee, s);
  double pre = db_to_lin(liq_getter_float_get(&p->o.pre_gain, s));
  double post_db = liq_getter_float_get(&p->o.gain, s);
  double wet = liq_getter_float_get(&p->o.wet, s);
  double slope = ratio > 0 ? 1 / ratio - 1 : 0;
  double win = p->o.window > 0 ? exp(-1 / (p->o.window * rate)) : 0;
  int ch = f->fmt.channels;
  for (int i = off; i < off + r.n; i++) {
    double peak = 0, sq = 0;
    for (int c = 0; c < ch; c++) {
      double x = liq_frame_pcm(f, c)[i] * pre;
      peak = fmax(peak, fabs(x));
      sq += x * x;
    }
    double level = lin_to_db(peak);
    if (p->o.window > 0) {
      p->ms = win * p->ms + (1 - win) * sq / ch;
      level = 10 * log10(fmax(p->ms, 1e-24));
    }
    double over = level - thr, target;
    if (2 * over < -knee)
      target = 0;
    else if (knee > 0 && 2 * fabs(over) <= knee)
      target = slope * (over + knee / 2) * (over + knee / 2) / (2 * knee);
    else
      target = slope * over;
    double a = target < p->reduction ? att : rel;
    p->reduction = a * p->reduction + (1 - a) * target;
    double g = pre * db_to_lin(p->reduction + post_db);
    for (int c = 0; c < ch; c++) {
      float *d = liq_frame_pcm(f, c);
      d[i] = (float)(wet * d[i] * g + (1 - wet) * d[i]);
    }
  }
  return r;
}

static const liq_source_class compress_class = {
    .name = "compress",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(comp),
    .init = comp_init,
    .uninit = comp_uninit,
    .fill = comp_fill,
};

liq_source *liq_op_compress(const char *id, const liq_compress_opts *o, liq_source *in,
                            liq_sb *err)
{
  return liq_source_new(&compress_class, id, &in, 1, o, err);
}

/* --- normalize -------------------------------------------------------------------- */

void liq_normalize_opts_default(liq_normalize_opts *o)
{
  o->target = LIQ_FLOAT(-13);
  o->up = LIQ_FLOAT(10);
  o->down = LIQ_FLOAT(0.1);
  o->gain_min = -12;
  o->gain_max = 12;
  o->window = 0.5;
  o->threshold = LIQ_FLOAT(-40);
  o->track_sensitive = 1;
}

typedef struct norm {
  liq_normalize_opts o;
  double ms;   /* running mean square */
  double gain; /* dB, applied at the end of the last fill */
} norm;

static int norm_init(liq_source *s, const void *argp)
{
  norm *p = liq_source_priv(s);
  p->o = *(const liq_normalize_opts *)argp;
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM)
    return liq_source_set_error(s, "normalize needs pcm audio");
  if (p->o.window <= 0) return liq_source_set_error(s, "window must be positive");
  return 0;
}

static void norm_uninit(liq_source *s)
{
  norm *p = liq_source_priv(s);
  liq_getter_float_release(&p->o.target);
  liq_getter_float_release(&p->o.up);
  liq_getter_float_release(&p->o.down);
  liq_getter_float_release(&p->o.threshold);
}

static void apply_gain(liq_source *s, norm *p, liq_frame *f, int off, int n)
{
  double rate = liq_source_samplerate(s);
  int ch = f->fmt.channels;
  double sq = 0;
  for (int c = 0; c < ch; c++) {
    const float *d = liq_frame_pcm(f, c) + off;
    for (int i = 0; i < n; i++) sq += (double)d[i] * d[i];
  }
  double dt = n / rate;
  double a = exp(-dt / p->o.window);
  p->ms = a * p->ms + (1 - a) * sq / ((double)n * ch);
  double rms = 10 * log10(fmax(p->ms, 1e-24));
  double old = p->gain;
  if (rms > liq_getter_float_get(&p->o.threshold, s)) {
    double target = liq_getter_float_get(&p->o.target, s) - rms;
    target = fmin(fmax(target, p->o.gain_min), p->o.gain_max);
    double tau = liq_getter_float_get(target > p->gain ? &p->o.up : &p->o.down, s);
    double k = tau > 0 ? 1 - exp(-dt / tau) : 1;
    p->gain += k * (target - p->gain);
  }
  for (int i = 0; i < n; i++) {
    double g = db_to_lin(old + (p->gain - old) * (i + 1) / n);
    for (int c = 0; c < ch; c++) liq_frame_pcm(f, c)[off + i] *= (float)g;
  }
}

static liq_fill norm_fill(liq_source *s, liq_frame *f, int off, int len)
{
  norm *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  if (r.n > 0) apply_gain(s, p, f, off, r.n);
  if (r.eot && p->o.track_sensitive) {
    p->ms = 0;
    p->gain = 0;
  }
  return r;
}

static const liq_source_class normalize_class = {
    .name = "normalize",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(norm),
    .init = norm_init,
    .uninit = norm_uninit,
    .fill = norm_fill,
};

liq_source *liq_op_normalize(const char *id, const liq_normalize_opts *o, liq_source *in,
                             liq_sb *err)
{
  return liq_source_new(&normalize_class, id, &in, 1, o, err);
}
