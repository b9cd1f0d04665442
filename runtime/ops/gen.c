/* gen: synthesized sources: sine, square, saw, noise, blank, source.fail.
 *
 * As in Liquidsoap 2.1.3 (measured, see doc/runtime.md): waves start at
 * phase 0 with amplitude 1 by default; square is +a on the first half of the
 * period and -a on the second; saw ramps from -a to +a; noise is uniform in
 * [-1, 1]. `duration` gives one track of trunc(duration * rate) samples,
 * after which the source is no longer ready (fallible); blank's duration
 * instead cuts an endless series of tracks of that length (infallible).
 * Frequency and amplitude getters are read once per fill. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <time.h>

#include "runtime/ops/ops.h"

typedef struct gen {
  liq_wave wave;
  liq_getter_float freq, amplitude;
  int64_t track_len;  /* samples per track; -1: one endless track */
  int64_t remaining;  /* in the current track (ignored when endless) */
  int repeat;         /* blank: a new track follows each one */
  int aborted;        /* abort_track: end the track at the next fill */
  double phase;       /* in periods, [0, 1) */
  uint64_t rng;       /* xorshift64* state for noise */
} gen;

typedef struct gen_args {
  liq_wave wave;
  liq_getter_float freq, amplitude;
  double duration;
  int repeat;
} gen_args;

/* Truncated, like 2.1.3: sine(duration=1.000015) gives 44100 samples. */
static int64_t samples_of(double seconds, int rate) { return (int64_t)(seconds * rate); }

static int gen_init(liq_source *s, const void *argp)
{
  const gen_args *a = argp;
  gen *g = liq_source_priv(s);
  g->wave = a->wave;
  g->freq = a->freq;
  g->amplitude = a->amplitude;
  g->repeat = a->repeat;
  g->track_len = a->duration < 0 ? -1 : samples_of(a->duration, liq_source_samplerate(s));
  g->remaining = g->track_len;
  g->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)s ^ 0x9E3779B97F4A7C15ull;
  if (!g->rng) g->rng = 1;
  return 0;
}

static void gen_uninit(liq_source *s)
{
  gen *g = liq_source_priv(s);
  liq_getter_float_release(&g->freq);
  liq_getter_float_release(&g->amplitude);
}

static int gen_ready(liq_source *s)
{
  gen *g = liq_source_priv(s);
  return g->track_len < 0 || g->repeat || g->remaining > 0;
}

static int64_t gen_remaining(liq_source *s)
{
  gen *g = liq_source_priv(s);
  return g->track_len < 0 ? -1 : g->remaining;
}

static void gen_abort_track(liq_source *s)
{
  gen *g = liq_source_priv(s);
  if (g->track_len >= 0) g->remaining = 0;
  /* Without this, a repeating blank would start its next track at once
   * instead of ending the current one (blank.skip on blank(duration=)). */
  if (g->track_len >= 0 && g->repeat) g->aborted = 1;
}

static int64_t gen_seek(liq_source *s, int64_t n)
{
  gen *g = liq_source_priv(s);
  if (n < 0) return 0;
  if (g->track_len >= 0 && n > g->remaining) n = g->remaining;
  if (g->track_len >= 0) g->remaining -= n;
  double f = liq_getter_float_get(&g->freq, s) / liq_source_samplerate(s);
  g->phase = fmod(g->phase + f * (double)n, 1.0);
  return n;
}

static inline double next_noise(gen *g)
{
  g->rng ^= g->rng >> 12;
  g->rng ^= g->rng << 25;
  g->rng ^= g->rng >> 27;
  uint64_t r = g->rng * 0x2545F4914F6CDD1Dull;
  return (double)(r >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static liq_fill gen_fill(liq_source *s, liq_frame *f, int off, int len)
{
  gen *g = liq_source_priv(s);
  liq_fill r = {len, 0};
  if (g->aborted) {
    g->aborted = 0;
    return (liq_fill){0, 1};
  }
  if (g->track_len >= 0) {
    if (g->remaining == 0 && g->repeat) g->remaining = g->track_len;
    if (g->remaining <= len) r = (liq_fill){(int)g->remaining, 1};
    g->remaining -= r.n;
  }
  int chans = f->fmt.channels;
  if (g->wave == LIQ_WAVE_BLANK) {
    liq_frame_silence(f, off, r.n);
    return r;
  }
  float *c0 = liq_frame_pcm(f, 0) + off;
  if (g->wave == LIQ_WAVE_NOISE) {
    /* Independent noise on every channel. */
    for (int c = 0; c < chans; c++) {
      float *d = liq_frame_pcm(f, c) + off;
      for (int i = 0; i < r.n; i++) d[i] = (float)next_noise(g);
    }
    return r;
  }
  double amp = liq_getter_float_get(&g->amplitude, s);
  double step = liq_getter_float_get(&g->freq, s) / liq_source_samplerate(s);
  double ph = g->phase;
  /* The phase of sample i is ph + i * step, not a running sum: where the
   * frequency divides the rate the wraps land exactly on 0, as 2.1.3's
   * (a running sum lands just under 1: +a instead of -a for saw and
   * square). */
  for (int i = 0; i < r.n; i++) {
    double x = ph + (double)i * step;
    x -= floor(x);
    c0[i] = (float)(g->wave == LIQ_WAVE_SINE     ? amp * sin(2 * M_PI * x)
                    : g->wave == LIQ_WAVE_SQUARE ? (x < 0.5 ? amp : -amp)
                                                 : amp * (2 * x - 1));
  }
  ph += (double)r.n * step;
  ph -= floor(ph);
  g->phase = ph;
  for (int c = 1; c < chans; c++)
    for (int i = 0; i < r.n; i++) liq_frame_pcm(f, c)[off + i] = c0[i];
  return r;
}

static int gen_fallible(liq_source *s)
{
  gen *g = liq_source_priv(s);
  return g->track_len >= 0 && !g->repeat;
}

#define GEN_CLASS(var, nm)                                                                        \
  static const liq_source_class var = {                                                           \
      .name = nm,                                                                                 \
      .type = LIQ_SOURCE_PASSIVE,                                                                 \
      .fallibility = LIQ_FALLIBLE_CUSTOM,                                                         \
      .priv_size = sizeof(gen),                                                                   \
      .fallible = gen_fallible,                                                                   \
      .init = gen_init,                                                                           \
      .uninit = gen_uninit,                                                                       \
      .is_ready = gen_ready,                                                                      \
      .fill = gen_fill,                                                                           \
      .remaining = gen_remaining,                                                                 \
      .abort_track = gen_abort_track,                                                             \
      .seek = gen_seek,                                                                           \
  }

GEN_CLASS(sine_class, "sine");
GEN_CLASS(square_class, "square");
GEN_CLASS(saw_class, "saw");
GEN_CLASS(noise_class, "noise");
GEN_CLASS(blank_class, "blank");

liq_source *liq_op_wave(liq_wave wave, const char *id, liq_getter_float freq,
                        liq_getter_float amplitude, double duration, liq_sb *err)
{
  static const liq_source_class *const classes[] = {
      [LIQ_WAVE_SINE] = &sine_class,   [LIQ_WAVE_SQUARE] = &square_class,
      [LIQ_WAVE_SAW] = &saw_class,     [LIQ_WAVE_NOISE] = &noise_class,
      [LIQ_WAVE_BLANK] = &blank_class,
  };
  gen_args a = {wave, freq, amplitude, duration, wave == LIQ_WAVE_BLANK};
  return liq_source_new(classes[wave], id, NULL, 0, &a, err);
}

liq_source *liq_op_noise(const char *id, double duration, liq_sb *err)
{
  return liq_op_wave(LIQ_WAVE_NOISE, id, LIQ_FLOAT(0), LIQ_FLOAT(1), duration, err);
}

liq_source *liq_op_blank(const char *id, double duration, liq_sb *err)
{
  return liq_op_wave(LIQ_WAVE_BLANK, id, LIQ_FLOAT(0), LIQ_FLOAT(0), duration, err);
}

/* --- source.fail: never ready ------------------------------------------------- */

static int fail_ready(liq_source *s)
{
  (void)s;
  return 0;
}

static const liq_source_class fail_class = {
    .name = "source.fail",
    .type = LIQ_SOURCE_PASSIVE,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .is_ready = fail_ready,
};

liq_source *liq_op_fail(const char *id, liq_sb *err)
{
  return liq_source_new(&fail_class, id, NULL, 0, NULL, err);
}
