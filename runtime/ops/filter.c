/* filter: linear filters on pcm audio, with per-channel state.
 *
 *  filter                    Chamberlin state-variable filter as 2.x
 *                            runs it: f = 2 sin(pi freq / rate) (no clamp:
 *                            the docs say only freq <= rate / 4 is handled
 *                            well), and q both scales the input and damps,
 *                            high = q x - low - q band; low, high, band or
 *                            notch (= high + low) output.
 *  filter.iir.eq.*           RBJ "Audio EQ cookbook" biquads, with 2.x's
 *                            choices: the band pass has a constant skirt
 *                            gain (peak gain Q); allpass takes its
 *                            `bandwidth` and the shelves their `slope` as
 *                            the Q itself; the shelves' gain is 0 dB and
 *                            their a1 is (A + 1) cos w0 with the sign the
 *                            cookbook has for the other shelf (low: +,
 *                            high: -) and without its factor 2, so that
 *                            they are not flat: a fixed tilt measured on
 *                            2.1.3 (tests/runtime/filter_iir_eq_*shelf).
 *  filter.iir.butterworth.*  low/high: cascaded biquads with the
 *                            Butterworth Qs (plus a one-pole section for
 *                            odd orders). bandpass/bandstop: the analog
 *                            Butterworth prototype's poles moved to the
 *                            band (w0 = sqrt(w1 w2), bw = w2 - w1, both
 *                            prewarped: w = 2 tan(pi f / rate)), mapped by
 *                            the bilinear transform z = (2 + s) / (2 - s)
 *                            and grouped into biquads by conjugate pairs;
 *                            the gain is normalized, as in 2.x, at the
 *                            arithmetic centre (f1 + f2) / 2 (band pass) or
 *                            to sqrt(|H(1)| |H(-1)|) (band stop).
 *  filter.rc                 one-pole RC low/high pass with time constant
 *                            rc = 1 / frequency, as 2.x computes it (so
 *                            the -3 dB point is at frequency / 2 pi); both
 *                            modes use alpha = dt / (rc + dt), so the high
 *                            pass is y = alpha (y + x - x_prev): far below
 *                            unity gain, as 2.x renders it.
 *
 *  filter.fir                low-pass FIR as 2.x designs it: a raised-cosine
 *                            spectrum (1 up to f1 = (1 - beta) f, 0 from
 *                            f2 = (1 + beta) f, f in cycles per sample,
 *                            times tau = 0.5 / f) sampled at 2048 points,
 *                            taken back to time (cosine sum / 2048), the
 *                            `coeffs` taps centred on 0, normalized to unit
 *                            DC gain. Every channel is filtered (2.x only
 *                            touches the first two).
 *
 * Parameters are getters read once per fill; coefficients are recomputed
 * only when a value changed. Biquads run in transposed direct form II in
 * double precision. wetness mixes wet * filtered + (1 - wet) * input. */
#include "config.h"

#include <complex.h>
#include <math.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/ops/ops.h"

/* Butterworth order limit: 16 biquads keep the state a fixed size (order
 * 32 for low/high, 16 for the bands). */
#define MAX_SECTIONS 16

typedef struct biquad {
  double b0, b1, b2, a1, a2; /* normalized by a0 */
} biquad;

typedef struct filt {
  enum { SVF, EQ, BUTTER, BAND, RC } kind;
  liq_filter_mode mode;
  liq_getter_float freq, q, gain, wet;
  int order;
  double freq2; /* band: the second corner frequency */
  /* Cached parameters of the current coefficients. */
  double cfreq, cq, cgain;
  biquad sec[MAX_SECTIONS + 1];
  int n_sec;
  double rc_alpha;
  /* State per channel and section: TDF-II z1, z2 (svf: low, band; rc: y, x). */
  double z[LIQ_MAX_CHANNELS][MAX_SECTIONS + 1][2];
} filt;

typedef struct filt_args {
  int kind;
  liq_filter_mode mode;
  liq_getter_float freq, q, gain, wet;
  int order;
  double freq2;
} filt_args;

static int filt_init(liq_source *s, const void *argp)
{
  const filt_args *a = argp;
  filt *p = liq_source_priv(s);
  p->kind = a->kind;
  p->mode = a->mode;
  p->freq = a->freq;
  p->q = a->q;
  p->gain = a->gain;
  p->wet = a->wet;
  p->order = a->order;
  p->freq2 = a->freq2;
  p->cfreq = -1;
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM)
    return liq_source_set_error(s, "filters need pcm audio");
  if (p->kind == BUTTER && (p->order < 1 || p->order > 2 * MAX_SECTIONS))
    return liq_source_set_error(s, "order must be between 1 and %d", 2 * MAX_SECTIONS);
  if (p->kind == BAND && (p->order < 1 || p->order > MAX_SECTIONS))
    return liq_source_set_error(s, "order must be between 1 and %d", MAX_SECTIONS);
  if (p->kind == SVF && p->mode > LIQ_FILTER_NOTCH)
    return liq_source_set_error(s, "mode must be low, high, band or notch");
  if ((p->kind == BUTTER || p->kind == RC) && p->mode != LIQ_FILTER_LOW && p->mode != LIQ_FILTER_HIGH)
    return liq_source_set_error(s, "mode must be low or high");
  return 0;
}

static void filt_uninit(liq_source *s)
{
  filt *p = liq_source_priv(s);
  liq_getter_float_release(&p->freq);
  liq_getter_float_release(&p->q);
  liq_getter_float_release(&p->gain);
  liq_getter_float_release(&p->wet);
}

/* RBJ cookbook coefficients. */
static biquad rbj(liq_filter_mode mode, double freq, double rate, double q, double gain_db)
{
  double w = 2 * M_PI * freq / rate, cw = cos(w), sw = sin(w);
  double alpha = sw / (2 * q), A = pow(10, gain_db / 40);
  double b0, b1, b2, a0, a1, a2;
  switch (mode) {
  case LIQ_FILTER_HIGH:
    b0 = (1 + cw) / 2, b1 = -(1 + cw), b2 = (1 + cw) / 2, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case LIQ_FILTER_BAND:
    b0 = sw / 2, b1 = 0, b2 = -sw / 2, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case LIQ_FILTER_NOTCH:
    b0 = 1, b1 = -2 * cw, b2 = 1, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case LIQ_FILTER_ALLPASS:
    b0 = 1 - alpha, b1 = -2 * cw, b2 = 1 + alpha, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  case LIQ_FILTER_PEAK:
    b0 = 1 + alpha * A, b1 = -2 * cw, b2 = 1 - alpha * A;
    a0 = 1 + alpha / A, a1 = -2 * cw, a2 = 1 - alpha / A;
    break;
  case LIQ_FILTER_LOWSHELF: /* A = 1: see the top comment */
    b0 = 2 + 2 * alpha, b1 = -4 * cw, b2 = 2 - 2 * alpha, a0 = 2 + 2 * alpha, a1 = 2 * cw;
    a2 = 2 - 2 * alpha;
    break;
  case LIQ_FILTER_HIGHSHELF:
    b0 = 2 + 2 * alpha, b1 = -4 * cw, b2 = 2 - 2 * alpha, a0 = 2 + 2 * alpha, a1 = -2 * cw;
    a2 = 2 - 2 * alpha;
    break;
  default: /* low */
    b0 = (1 - cw) / 2, b1 = 1 - cw, b2 = (1 - cw) / 2, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
    break;
  }
  return (biquad){b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

/* One-pole section as a degenerate biquad (bilinear transform). */
static biquad one_pole(liq_filter_mode mode, double freq, double rate)
{
  double k = tan(M_PI * freq / rate);
  double a1 = (k - 1) / (k + 1);
  if (mode == LIQ_FILTER_HIGH) return (biquad){1 / (k + 1), -1 / (k + 1), 0, a1, 0};
  return (biquad){k / (k + 1), k / (k + 1), 0, a1, 0};
}

/* Response of the cascade at z. */
static double complex cascade_at(const biquad *sec, int n, double complex z)
{
  double complex h = 1, zi = 1 / z;
  for (int k = 0; k < n; k++) {
    const biquad *b = &sec[k];
    h *= (b->b0 + b->b1 * zi + b->b2 * zi * zi) / (1 + b->a1 * zi + b->a2 * zi * zi);
  }
  return h;
}

/* Butterworth band pass (stop = 0) or band stop of the given order between
 * f1 and f2 (see the top comment); returns the number of sections. */
static int butter_band(biquad *sec, int order, int stop, double f1, double f2, double rate)
{
  double w1 = 2 * tan(M_PI * f1 / rate), w2 = 2 * tan(M_PI * f2 / rate);
  double w0 = sqrt(w1 * w2), bw = w2 - w1;
  double complex zp[2 * MAX_SECTIONS];
  int np = 0;
  for (int i = 0; i < 2 * order; i++) {
    double th = (i + (order % 2 ? 0 : 0.5)) * M_PI / order;
    double complex p = cexp(I * th);
    if (creal(p) >= 0) continue;
    double complex hba = stop ? 0.5 * bw / p : 0.5 * p * bw;
    double complex t = csqrt(1 - (w0 / hba) * (w0 / hba));
    zp[np++] = (2 + hba * (1 + t)) / (2 - hba * (1 + t));
    zp[np++] = (2 + hba * (1 - t)) / (2 - hba * (1 - t));
  }
  /* Numerator of every section: zeros at 1 and -1 (pass), or at the
   * mapped +-j w0 (stop). */
  double complex zz = (2 + I * w0) / (2 - I * w0);
  double nb1 = stop ? -2 * creal(zz) : 0, nb2 = stop ? 1 : -1;
  int n = 0;
  double real_pole = 0;
  int have_real = 0;
  for (int i = 0; i < np; i++) {
    double re = creal(zp[i]), im = cimag(zp[i]);
    if (fabs(im) > 1e-9) {
      if (im > 0) sec[n++] = (biquad){1, nb1, nb2, -2 * re, re * re + im * im};
    } else if (have_real) {
      sec[n++] = (biquad){1, nb1, nb2, -(re + real_pole), re * real_pole};
      have_real = 0;
    } else {
      real_pole = re, have_real = 1;
    }
  }
  double g = stop ? sqrt(cabs(cascade_at(sec, n, 1)) * cabs(cascade_at(sec, n, -1)))
                  : cabs(cascade_at(sec, n, cexp(I * M_PI * (f1 + f2) / rate)));
  if (n > 0 && g > 0) sec[0].b0 /= g, sec[0].b1 /= g, sec[0].b2 /= g;
  return n;
}

static void update(liq_source *s, filt *p)
{
  double rate = liq_source_samplerate(s);
  double freq = liq_getter_float_get(&p->freq, s);
  double q = liq_getter_float_get(&p->q, s);
  double g = liq_getter_float_get(&p->gain, s);
  if (freq == p->cfreq && q == p->cq && g == p->cgain) return;
  p->cfreq = freq, p->cq = q, p->cgain = g;
  if (freq > rate * 0.499) freq = rate * 0.499;
  if (freq < 1e-3) freq = 1e-3;
  if (q <= 0) q = 1e-3;
  switch (p->kind) {
  case EQ:
    p->sec[0] = rbj(p->mode, freq, rate, q, g);
    p->n_sec = 1;
    break;
  case BUTTER:
    p->n_sec = 0;
    for (int k = 0; k < p->order / 2; k++) {
      double qk = 1 / (2 * sin((2 * k + 1) * M_PI / (2 * p->order)));
      p->sec[p->n_sec++] = rbj(p->mode, freq, rate, qk, 0);
    }
    if (p->order % 2) p->sec[p->n_sec++] = one_pole(p->mode, freq, rate);
    break;
  case BAND:
    p->n_sec = butter_band(p->sec, p->order, p->mode == LIQ_FILTER_NOTCH, freq,
                           fmin(p->freq2, rate * 0.499), rate);
    break;
  case RC: {
    double rc = 1 / freq, dt = 1 / rate;
    p->rc_alpha = dt / (rc + dt);
    break;
  }
  default: break;
  }
}

static liq_fill filt_fill(liq_source *s, liq_frame *f, int off, int len)
{
  filt *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  update(s, p);
  double wet = liq_getter_float_get(&p->wet, s), dry = 1 - wet;
  double rate = liq_source_samplerate(s);
  for (int c = 0; c < f->fmt.channels; c++) {
    float *d = liq_frame_pcm(f, c) + off;
    double(*z)[2] = p->z[c];
    if (p->kind == SVF) {
      double fc = 2 * sin(M_PI * p->cfreq / rate), q = p->cq;
      double low = z[0][0], band = z[0][1];
      for (int i = 0; i < r.n; i++) {
        double x = d[i];
        low += fc * band;
        double high = q * x - low - q * band;
        band += fc * high;
        double y = p->mode == LIQ_FILTER_LOW    ? low
                   : p->mode == LIQ_FILTER_HIGH ? high
                   : p->mode == LIQ_FILTER_BAND ? band
                                                : high + low;
        d[i] = (float)(wet * y + dry * x);
      }
      z[0][0] = low, z[0][1] = band;
    } else if (p->kind == RC) {
      double a = p->rc_alpha, y = z[0][0], xp = z[0][1];
      for (int i = 0; i < r.n; i++) {
        double x = d[i];
        y = p->mode == LIQ_FILTER_LOW ? y + a * (x - y) : a * (y + x - xp);
        xp = x;
        d[i] = (float)(wet * y + dry * x);
      }
      z[0][0] = y, z[0][1] = xp;
    } else {
      for (int i = 0; i < r.n; i++) {
        double x = d[i], y = x;
        for (int k = 0; k < p->n_sec; k++) {
          const biquad *b = &p->sec[k];
          double in = y;
          y = b->b0 * in + z[k][0];
          z[k][0] = b->b1 * in - b->a1 * y + z[k][1];
          z[k][1] = b->b2 * in - b->a2 * y;
        }
        d[i] = (float)(wet * y + dry * x);
      }
    }
  }
  return r;
}

#define FILT_CLASS(var, nm)                                                                       \
  static const liq_source_class var = {                                                           \
      .name = nm,                                                                                 \
      .fallibility = LIQ_FALLIBLE_ANY_INPUT,                                                      \
      .priv_size = sizeof(filt),                                                                  \
      .init = filt_init,                                                                          \
      .uninit = filt_uninit,                                                                      \
      .fill = filt_fill,                                                                          \
  }

FILT_CLASS(svf_class, "filter");
FILT_CLASS(eq_class, "filter.iir.eq");
FILT_CLASS(butter_class, "filter.iir.butterworth");
FILT_CLASS(bandpass_class, "filter.iir.butterworth.bandpass");
FILT_CLASS(bandstop_class, "filter.iir.butterworth.bandstop");
FILT_CLASS(rc_class, "filter.rc");

liq_source *liq_op_filter(const char *id, liq_getter_float freq, liq_filter_mode mode,
                          liq_getter_float q, liq_getter_float wetness, liq_source *in,
                          liq_sb *err)
{
  filt_args a = {SVF, mode, freq, q, LIQ_FLOAT(0), wetness, 0, 0};
  return liq_source_new(&svf_class, id, &in, 1, &a, err);
}

liq_source *liq_op_iir_eq(const char *id, liq_filter_mode mode, liq_getter_float freq,
                          liq_getter_float q, liq_getter_float gain_db, liq_source *in,
                          liq_sb *err)
{
  filt_args a = {EQ, mode, freq, q, gain_db, LIQ_FLOAT(1), 0, 0};
  return liq_source_new(&eq_class, id, &in, 1, &a, err);
}

liq_source *liq_op_butterworth(const char *id, liq_filter_mode mode, liq_getter_float freq,
                               int order, liq_source *in, liq_sb *err)
{
  filt_args a = {BUTTER, mode, freq, LIQ_FLOAT(1), LIQ_FLOAT(0), LIQ_FLOAT(1), order, 0};
  return liq_source_new(&butter_class, id, &in, 1, &a, err);
}

liq_source *liq_op_butterworth_band(const char *id, int stop, double freq1, double freq2,
                                    int order, liq_source *in, liq_sb *err)
{
  filt_args a = {BAND,         stop ? LIQ_FILTER_NOTCH : LIQ_FILTER_BAND,
                 LIQ_FLOAT(freq1), LIQ_FLOAT(1), LIQ_FLOAT(0), LIQ_FLOAT(1), order, freq2};
  return liq_source_new(stop ? &bandstop_class : &bandpass_class, id, &in, 1, &a, err);
}

liq_source *liq_op_filter_rc(const char *id, liq_getter_float freq, liq_filter_mode mode,
                             liq_getter_float wetness, liq_source *in, liq_sb *err)
{
  filt_args a = {RC, mode, freq, LIQ_FLOAT(1), LIQ_FLOAT(0), wetness, 0, 0};
  return liq_source_new(&rc_class, id, &in, 1, &a, err);
}

/* --- filter.fir ------------------------------------------------------------------- */

#define FIR_POINTS 2048

typedef struct fir {
  double *taps; /* n taps, then channels * n past inputs (a ring per channel) */
  int n, pos, channels;
} fir;

typedef struct fir_args {
  double freq, beta;
  int n;
} fir_args;

/* The taps of the top comment, normalized to unit DC gain. */
static void fir_design(double *taps, int n, double freq, double beta)
{
  double f1 = (1 - beta) * freq, f2 = (1 + beta) * freq, tau = 0.5 / freq;
  double spec[FIR_POINTS / 2 + 1];
  for (int i = 0; i <= FIR_POINTS / 2; i++) {
    double f = (double)i / FIR_POINTS;
    spec[i] = tau * (f <= f1 ? 1 : f <= f2 ? 0.5 * (1 + cos(M_PI * tau / beta * (f - f1))) : 0);
  }
  double sum = 0;
  for (int k = 0; k < n; k++) {
    int m = k - (n - 1) / 2; /* the spectrum is even: h(m) = h(-m) */
    double h = spec[0] + spec[FIR_POINTS / 2] * cos(M_PI * m);
    for (int i = 1; i < FIR_POINTS / 2; i++) h += 2 * spec[i] * cos(2 * M_PI * i * m / FIR_POINTS);
    taps[k] = h / FIR_POINTS;
    sum += taps[k];
  }
  for (int k = 0; k < n; k++) taps[k] /= sum;
}

static int fir_init(liq_source *s, const void *argp)
{
  const fir_args *a = argp;
  fir *p = liq_source_priv(s);
  liq_format fmt = liq_source_format(s);
  if (fmt.kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "filters need pcm audio");
  if (a->n < 1 || a->n > 65536) return liq_source_set_error(s, "coeffs must be between 1 and 65536");
  if (!(a->freq > 0)) return liq_source_set_error(s, "frequency must be positive");
  p->n = a->n;
  p->channels = fmt.channels;
  p->taps = liq_mem_calloc((size_t)a->n * (size_t)(fmt.channels + 1), sizeof(double));
  fir_design(p->taps, a->n, a->freq / fmt.samplerate, a->beta);
  return 0;
}

static void fir_uninit(liq_source *s) { liq_mem_free(((fir *)liq_source_priv(s))->taps); }

static liq_fill fir_fill(liq_source *s, liq_frame *f, int off, int len)
{
  fir *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  int n = p->n, pos = p->pos;
  for (int c = 0; c < p->channels; c++) {
    double *past = p->taps + (size_t)n * (size_t)(c + 1);
    float *d = liq_frame_pcm(f, c);
    pos = p->pos;
    for (int i = off; i < off + r.n; i++) {
      past[pos] = d[i];
      if (++pos == n) pos = 0;
      double y = 0; /* past[pos] is now the oldest input */
      for (int k = 0, j = pos; k < n; k++, j = j + 1 == n ? 0 : j + 1) y += p->taps[k] * past[j];
      d[i] = (float)y;
    }
  }
  p->pos = pos;
  return r;
}

static const liq_source_class fir_class = {
    .name = "filter.fir",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(fir),
    .init = fir_init,
    .uninit = fir_uninit,
    .fill = fir_fill,
};

liq_source *liq_op_fir(const char *id, double freq, double beta, int coeffs, liq_source *in,
                       liq_sb *err)
{
  fir_args a = {freq, beta, coeffs};
  return liq_source_new(&fir_class, id, &in, 1, &a, err);
}
