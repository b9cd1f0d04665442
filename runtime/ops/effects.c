/* effects: echo, and the level meters rms and peak.
 *
 * echo(delay=0.5, feedback=-6 dB, ping_pong=false): a feedback delay line,
 * y[n] = x[n] + g y[n - d], with g = 10^(feedback/20). ping_pong (stereo
 * only; other layouts get the plain echo) is 2.x's design: the left
 * channel is pre-delayed by d and both channels feed back at 2d,
 *   l'[n] = l[n - d] + g l'[n - 2d],  r'[n] = r[n] + g r'[n - 2d],
 * so that a centred sound goes right (dry), left (d), right (2d)...
 * The lines hold one second more than the initial (doubled for ping_pong)
 * delay (at most an hour), allocated at init; a larger delay from a getter
 * is clamped to them.
 * NOTE: 2.x's delay line reads its past into a copy (Audio.sub copies), so
 * it loses everything between two fills: 2.1.3 only echoes within one
 * frame (and not across a track boundary), and ping_pong's pre-delay is
 * lost too. We keep the documented, continuous echo; the runtime tests
 * render the whole stream in one frame, where both agree.
 *
 * rms / peak(duration=0.5, s): pass the audio through and publish the RMS
 * (over all channels) or the peak of each window of `duration` seconds;
 * liq_level_get reads the last published value from any thread. */
#include "config.h"

#include <math.h>
#include <stdatomic.h>

#include "runtime/mem.h"
#include "runtime/ops/ops.h"

/* --- echo -------------------------------------------------------------------- */

typedef struct echo {
  liq_getter_float delay, feedback;
  int ping_pong;
  float *line; /* channels * cap output samples, channel after channel,
                  then (ping_pong) cap samples of the left input */
  int cap, pos, channels;
} echo;

typedef struct echo_args {
  liq_getter_float delay, feedback;
  int ping_pong;
} echo_args;

static int echo_init(liq_source *s, const void *argp)
{
  const echo_args *a = argp;
  echo *p = liq_source_priv(s);
  p->delay = a->delay;
  p->feedback = a->feedback;
  liq_format fmt = liq_source_format(s);
  if (fmt.kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "needs pcm audio");
  p->ping_pong = a->ping_pong && fmt.channels == 2;
  double d = liq_getter_float_get(&p->delay, s);
  if (!(d > 0)) d = 0;
  if (d > 3600) d = 3600; /* keeps cap an int */
  p->cap = (int)(((p->ping_pong ? 2 : 1) * d + 1) * fmt.samplerate) + 1;
  p->channels = fmt.channels;
  p->line = liq_mem_calloc((size_t)p->cap * (size_t)(fmt.channels + p->ping_pong), sizeof(float));
  return 0;
}

static void echo_uninit(liq_source *s)
{
  echo *p = liq_source_priv(s);
  liq_getter_float_release(&p->delay);
  liq_getter_float_release(&p->feedback);
  liq_mem_free(p->line);
}

static liq_fill echo_fill(liq_source *s, liq_frame *f, int off, int len)
{
  echo *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  double ds = liq_getter_float_get(&p->delay, s) * liq_source_samplerate(s);
  int maxd = p->ping_pong ? (p->cap - 1) / 2 : p->cap - 1;
  int d = ds > 0 ? (ds < maxd ? (int)ds : maxd) : 0;
  int fb = p->ping_pong ? 2 * d : d; /* feedback distance */
  if (fb < 1) fb = 1;
  float g = (float)pow(10, liq_getter_float_get(&p->feedback, s) / 20);
  int ch = p->channels;
  size_t cap = (size_t)p->cap;
  float *in_l = p->line + (size_t)ch * cap;
  for (int i = off; i < off + r.n; i++) {
    int rd = p->pos - fb, rin = p->pos - d;
    if (rd < 0) rd += p->cap;
    if (rin < 0) rin += p->cap;
    for (int c = 0; c < ch; c++) {
      float *x = liq_frame_pcm(f, c), *out = p->line + (size_t)c * cap;
      float in = x[i];
      if (p->ping_pong && c == 0) {
        in_l[p->pos] = x[i];
        in = in_l[rin];
      }
      x[i] = in + g * out[rd];
      out[p->pos] = x[i];
    }
    if (++p->pos == p->cap) p->pos = 0;
  }
  return r;
}

static const liq_source_class echo_class = {
    .name = "echo",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(echo),
    .init = echo_init,
    .uninit = echo_uninit,
    .fill = echo_fill,
};

liq_source *liq_op_echo(const char *id, liq_getter_float delay, liq_getter_float feedback,
                        int ping_pong, liq_source *in, liq_sb *err)
{
  echo_args a = {delay, feedback, ping_pong};
  return liq_source_new(&echo_class, id, &in, 1, &a, err);
}

/* --- rms / peak ------------------------------------------------------------------ */

typedef struct level {
  int peak;
  liq_getter_float duration;
  double acc;     /* sum of squares, or running peak */
  int64_t n;      /* samples (per channel) in the window */
  _Atomic double value;
} level;

typedef struct level_args {
  int peak;
  liq_getter_float duration;
} level_args;

static int level_init(liq_source *s, const void *argp)
{
  const level_args *a = argp;
  level *p = liq_source_priv(s);
  p->peak = a->peak;
  p->duration = a->duration;
  atomic_init(&p->value, 0.0);
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "needs pcm audio");
  return 0;
}

static void level_uninit(liq_source *s)
{
  level *p = liq_source_priv(s);
  liq_getter_float_release(&p->duration);
}

static liq_fill level_fill(liq_source *s, liq_frame *f, int off, int len)
{
  level *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  double dur = liq_getter_float_get(&p->duration, s);
  if (dur <= 0) return r;
  int64_t win = (int64_t)(dur * liq_source_samplerate(s));
  if (win < 1) win = 1;
  int ch = f->fmt.channels;
  for (int i = off; i < off + r.n; i++) {
    for (int c = 0; c < ch; c++) {
      double x = liq_frame_pcm(f, c)[i];
      if (p->peak) {
        if (fabs(x) > p->acc) p->acc = fabs(x);
      } else {
        p->acc += x * x;
      }
    }
    if (++p->n >= win) {
      atomic_store(&p->value, p->peak ? p->acc : sqrt(p->acc / ((double)p->n * ch)));
      p->acc = 0;
      p->n = 0;
    }
  }
  return r;
}

static const liq_source_class rms_class = {
    .name = "rms",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(level),
    .init = level_init,
    .uninit = level_uninit,
    .fill = level_fill,
};

static const liq_source_class peak_class = {
    .name = "peak",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(level),
    .init = level_init,
    .uninit = level_uninit,
    .fill = level_fill,
};

liq_source *liq_op_rms(const char *id, liq_getter_float duration, liq_source *in, liq_sb *err)
{
  level_args a = {0, duration};
  return liq_source_new(&rms_class, id, &in, 1, &a, err);
}

liq_source *liq_op_peak(const char *id, liq_getter_float duration, liq_source *in, liq_sb *err)
{
  level_args a = {1, duration};
  return liq_source_new(&peak_class, id, &in, 1, &a, err);
}

double liq_level_get(liq_source *s)
{
  const liq_source_class *c = liq_source_get_class(s);
  if (c != &rms_class && c != &peak_class) return -1;
  return atomic_load(&((level *)liq_source_priv(s))->value);
}
