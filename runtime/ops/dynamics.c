/* dynamics: compress (and limit, its high-ratio preset) and normalize.
 *
 * compress: a feed-forward compressor. The level is the channels' peak
 * (window <= 0) or their RMS over `window` seconds (a running mean square
 * with that time constant), in dB. The gain computer has a soft knee of
 * width `knee` (every parameter is a getter, read once per fill):
 *   over = level - threshold
 *   over < -knee/2          : 0
 *   |over| <= knee/2        : (1/ratio - 1) (over + knee/2)^2 / (2 knee)
 *   over > knee/2           : (1/ratio - 1) over
 * and that reduction (dB) is smoothed by one-pole filters: the `attack`
 * time constant when it deepens, `release` when it recovers. This is the
 * model that matches 2.1.3 (full-scale sine: compress -4.07 dB, limit
 * -1.00 dB of RMS, doc/runtime.md). The level is floored at -80 dB. With
 * `pre_gain` applied first, output = x (1 - wet + wet * (reduction + gain
 * dB)). `lookahead` (ms, as 2.x has it) measures the level on the input
 * delayed by that much while the gain applies to the current sample; its
 * line is reallocated (zeroed) when the length changes. track_sensitive
 * resets the reduction and the mean square at each track end. The `gain`
 * (reduction, dB) and `rms` (linear; the peak in peak mode) methods are
 * published after each fill.
 *
 * normalize: automatic gain control, the model of 2.x's normalize, in
 * linear units. The mean square of the input (over its channels) is
 * smoothed per sample with time constant `window` (a getter; a = 1 -
 * exp(-1 / (window rate)), 1 when window <= 0); after each fill the gain
 * v (starting at 1) is updated from rms = sqrt(ms), if rms >= threshold:
 *   v += (1 - exp(-frame / tau)) (target / rms - v),
 * tau = `up` when v rms <= target, `down` otherwise, frame being the
 * frame duration whatever the fill's length; then v is clamped to
 * [gain_min, gain_max]. The fill is multiplied by the updated v (one
 * constant per fill). With track_sensitive, the first fill of each track
 * (the very first included) uses v = 1, skipping its update; the
 * smoothed mean square goes on across tracks. `lookahead` (s) delays the
 * output, not the measure, so that the gain anticipates (the first
 * lookahead seconds are silent, the last ones dropped; the line is
 * zeroed when its length changes). The methods' values (rms,
 * v, target / rms) are published after each fill for other threads. */
#include "config.h"

#include <math.h>
#include <stdatomic.h>

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

static double db_to_lin(double db) { return pow(10, db / 20); }
static double lin_to_db(double x) { return 20 * log10(x); }

/* --- lookahead lines ---------------------------------------------------------- */

/* A delay of len samples per channel (len 0: none), zeroed when its
 * length changes. */
typedef struct ring {
  float *buf; /* channels * len */
  int len, pos;
} ring;

/* Sizes r for `seconds` (at most a minute). */
static void ring_size(ring *r, int channels, double seconds, double rate)
{
  double n = seconds * rate;
  int len = n >= 1 ? (int)fmin(n, 60 * rate) : 0;
  if (len == r->len) return;
  liq_mem_free(r->buf);
  r->buf = len ? liq_mem_calloc((size_t)len * (size_t)channels, sizeof(float)) : NULL;
  r->len = len;
  r->pos = 0;
}

/* Stores x for channel c and returns the sample len steps older (x itself
 * when there is no delay); ring_next moves on once every channel is done. */
static float ring_swap(ring *r, int c, float x)
{
  if (!r->len) return x;
  float *slot = &r->buf[(size_t)c * (size_t)r->len + (size_t)r->pos];
  float old = *slot;
  *slot = x;
  return old;
}

static void ring_next(ring *r)
{
  if (r->len && ++r->pos == r->len) r->pos = 0;
}

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
  o->lookahead = LIQ_FLOAT(0);
  o->window = LIQ_FLOAT(0);
  o->track_sensitive = 0;
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
  double ms;        /* running mean square (the squared peak in peak mode) */
  double reduction; /* current gain reduction, dB (<= 0) */
  ring look;        /* the input, delayed for the level detection */
  int channels;
  _Atomic double pub_gain, pub_rms;
} comp;

static int comp_init(liq_source *s, const void *argp)
{
  comp *p = liq_source_priv(s);
  p->o = *(const liq_compress_opts *)argp;
  atomic_init(&p->pub_gain, 0.0);
  atomic_init(&p->pub_rms, 0.0);
  liq_format fmt = liq_source_format(s);
  p->channels = fmt.channels;
  if (fmt.kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "compress needs pcm audio");
  return 0;
}

static void comp_uninit(liq_source *s)
{
  comp *p = liq_source_priv(s);
  liq_getter_float *g[] = {&p->o.attack, &p->o.release,  &p->o.ratio, &p->o.threshold, &p->o.knee,
                           &p->o.pre_gain, &p->o.gain, &p->o.wet, &p->o.lookahead, &p->o.window};
  for (size_t i = 0; i < sizeof g / sizeof *g; i++) liq_getter_float_release(g[i]);
  liq_mem_free(p->look.buf);
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
  ring_size(&p->look, p->channels, liq_getter_float_get(&p->o.lookahead, s) / 1000, rate);
  double slope = ratio > 0 ? 1 / ratio - 1 : 0;
  double wsec = liq_getter_float_get(&p->o.window, s);
  double win = wsec > 0 ? exp(-1 / (wsec * rate)) : 0;
  int ch = p->channels;
  for (int i = off; i < off + r.n; i++) {
    double peak = 0, sq = 0;
    for (int c = 0; c < ch; c++) {
      float *d = liq_frame_pcm(f, c);
      d[i] = (float)(d[i] * pre);
      double x = ring_swap(&p->look, c, d[i]);
      peak = fmax(peak, fabs(x));
      sq += x * x;
    }
    ring_next(&p->look);
    double level;
    if (wsec > 0) {
      p->ms = win * p->ms + (1 - win) * sq / ch;
      level = 10 * log10(fmax(p->ms, 1e-8));
    } else {
      p->ms = peak * peak;
      level = lin_to_db(fmax(peak, 1e-4));
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
    float g = (float)(1 - wet + wet * db_to_lin(p->reduction + post_db));
    for (int c = 0; c < ch; c++) liq_frame_pcm(f, c)[i] *= g;
  }
  atomic_store(&p->pub_gain, p->reduction);
  atomic_store(&p->pub_rms, sqrt(p->ms));
  if (r.eot && p->o.track_sensitive) p->reduction = 0, p->ms = 0;
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

double liq_compress_get(liq_source *s, int rms)
{
  if (liq_source_get_class(s) != &compress_class) return -1;
  comp *p = liq_source_priv(s);
  return atomic_load(rms ? &p->pub_rms : &p->pub_gain);
}

/* --- normalize -------------------------------------------------------------------- */

void liq_normalize_opts_default(liq_normalize_opts *o)
{
  o->target = LIQ_FLOAT(-13);
  o->up = LIQ_FLOAT(10);
  o->down = LIQ_FLOAT(0.1);
  o->gain_min = -12;
  o->gain_max = 12;
  o->window = LIQ_FLOAT(0.5);
  o->threshold = LIQ_FLOAT(-40);
  o->lookahead = LIQ_FLOAT(0);
  o->track_sensitive = 1;
  o->debug = -1;
}

typedef struct norm {
  liq_normalize_opts o;
  double ms;     /* smoothed mean square */
  double gain;   /* v, linear */
  int new_track; /* the next fill starts a track */
  double since_debug; /* stream seconds since the last debug line (the
                         first fill prints one, as 2.1.3) */
  ring look;     /* lookahead: the output, delayed */
  _Atomic double pub[3]; /* liq_norm_value -> published value */
} norm;

static int norm_init(liq_source *s, const void *argp)
{
  norm *p = liq_source_priv(s);
  p->o = *(const liq_normalize_opts *)argp;
  p->gain = 1;
  p->new_track = 1;
  p->since_debug = INFINITY;
  atomic_init(&p->pub[LIQ_NORM_RMS], 0.0);
  atomic_init(&p->pub[LIQ_NORM_GAIN], 1.0);
  atomic_init(&p->pub[LIQ_NORM_TARGET_GAIN], 0.0);
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM)
    return liq_source_set_error(s, "normalize needs pcm audio");
  return 0;
}

static void norm_uninit(liq_source *s)
{
  norm *p = liq_source_priv(s);
  liq_getter_float_release(&p->o.target);
  liq_getter_float_release(&p->o.up);
  liq_getter_float_release(&p->o.down);
  liq_getter_float_release(&p->o.threshold);
  liq_getter_float_release(&p->o.window);
  liq_getter_float_release(&p->o.lookahead);
  liq_mem_free(p->look.buf);
}

static void update_gain(liq_source *s, norm *p, double target)
{
  double rms = sqrt(p->ms);
  if (rms < db_to_lin(liq_getter_float_get(&p->o.threshold, s))) return;
  double frame = (double)liq_source_frame_samples(s) / liq_source_samplerate(s);
  double tau = liq_getter_float_get(p->gain * rms <= target ? &p->o.up : &p->o.down, s);
  p->gain += (1 - exp(-frame / tau)) * (target / rms - p->gain);
  p->gain = fmax(db_to_lin(p->o.gain_min), fmin(db_to_lin(p->o.gain_max), p->gain));
}

static liq_fill norm_fill(liq_source *s, liq_frame *f, int off, int len)
{
  norm *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  int ch = f->fmt.channels;
  double rate = liq_source_samplerate(s), w = liq_getter_float_get(&p->o.window, s);
  double a = w > 0 ? 1 - exp(-1 / (w * rate)) : 1;
  ring_size(&p->look, ch, liq_getter_float_get(&p->o.lookahead, s), rate);
  for (int i = off; i < off + r.n; i++) {
    double sq = 0;
    for (int c = 0; c < ch; c++) {
      float *d = liq_frame_pcm(f, c);
      sq += (double)d[i] * d[i];
      d[i] = ring_swap(&p->look, c, d[i]);
    }
    ring_next(&p->look);
    p->ms += a * (sq / ch - p->ms);
  }
  if (r.n > 0) {
    double target = db_to_lin(liq_getter_float_get(&p->o.target, s));
    if (p->new_track && p->o.track_sensitive) p->gain = 1;
    else update_gain(s, p, target);
    p->new_track = 0;
    atomic_store(&p->pub[LIQ_NORM_RMS], sqrt(p->ms));
    atomic_store(&p->pub[LIQ_NORM_GAIN], p->gain);
    atomic_store(&p->pub[LIQ_NORM_TARGET_GAIN], target / sqrt(p->ms));
    p->since_debug += r.n / rate;
    if (p->o.debug >= 0 && p->since_debug >= p->o.debug) {
      /* As 2.1.3: current / target RMS, current / target gain. */
      liq_log(LIQ_LOG_DEBUG, liq_source_id(s), "rms: %.12g / %.12g\tgain: %.12g / %.12g", sqrt(p->ms),
              target, p->gain, target / sqrt(p->ms));
      p->since_debug = 0;
    }
    float g = (float)p->gain;
    for (int c = 0; c < ch; c++)
      for (int i = off; i < off + r.n; i++) liq_frame_pcm(f, c)[i] *= g;
  }
  if (r.eot) p->new_track = 1;
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

double liq_normalize_get(liq_source *s, liq_norm_value which)
{
  if (liq_source_get_class(s) != &normalize_class) return -1;
  return atomic_load(&((norm *)liq_source_priv(s))->pub[which]);
}
