/* blank: silence detection: blank.detect, blank.skip, blank.strip.
 *
 * Each fill is one analysis block (a frame in steady state, as in 2.1.3):
 * its RMS over all channels, in dB, below `threshold` makes it blank.
 * Blank time accumulates; once it exceeds max_blank (strictly: 2.1.3 with
 * max_blank=1 skips after 1.04 s of silence, 26 frames) the source enters
 * the blank state and calls on_blank; noise then has to last more than
 * min_noise to leave it (on_noise). track_sensitive resets the counters
 * at each track.
 *
 * blank.skip calls abort_track on its input when blank is detected.
 * blank.strip is not ready while in the blank state; since nobody pulls an
 * unready source, it keeps analysing its input itself from is_ready, at
 * most once per clock cycle, discarding that audio (2.1.3's strip is an
 * active source doing the same). */
#include "config.h"

#include <math.h>

#include "../clock.h"
#include "ops.h"

typedef enum blank_mode { BLANK_DETECT, BLANK_SKIP, BLANK_STRIP } blank_mode;

typedef struct blank {
  blank_mode mode;
  liq_cb_void on_blank, on_noise;
  double max_blank, min_noise, threshold; /* s, s, dB */
  int track_sensitive, start_blank;
  int in_blank;
  int64_t blank_len, noise_len; /* samples */
  liq_frame *scratch;           /* strip: analysis while not ready */
  int64_t probed_tick;
} blank;

static int blank_init(liq_source *s, const void *argp)
{
  const liq_blank_opts *o = argp;
  blank *p = liq_source_priv(s);
  p->mode = (blank_mode)o->mode;
  p->on_blank = o->on_blank;
  p->on_noise = o->on_noise;
  p->max_blank = o->max_blank;
  p->min_noise = o->min_noise;
  p->threshold = o->threshold;
  p->track_sensitive = o->track_sensitive;
  p->start_blank = o->start_blank;
  p->in_blank = o->start_blank;
  p->probed_tick = -1;
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "needs pcm audio");
  return 0;
}

static void blank_uninit(liq_source *s)
{
  blank *p = liq_source_priv(s);
  liq_cb_void_release(&p->on_blank);
  liq_cb_void_release(&p->on_noise);
  liq_frame_unref(p->scratch);
}

static void analyse(liq_source *s, blank *p, liq_frame *f, int off, int n)
{
  if (n <= 0) return;
  double sq = 0;
  for (int c = 0; c < f->fmt.channels; c++) {
    const float *d = liq_frame_pcm(f, c);
    for (int i = off; i < off + n; i++) sq += (double)d[i] * d[i];
  }
  double rms = sqrt(sq / ((double)n * f->fmt.channels));
  int silent = rms <= 0 || 20 * log10(rms) < p->threshold;
  double rate = liq_source_samplerate(s);
  if (silent) {
    p->noise_len = 0;
    p->blank_len += n;
    if (!p->in_blank && p->blank_len / rate > p->max_blank) {
      p->in_blank = 1;
      liq_cb_void_call(&p->on_blank, s, "on_blank");
      if (p->mode == BLANK_SKIP) liq_source_abort_track(liq_source_input(s, 0));
    }
  } else {
    p->blank_len = 0;
    p->noise_len += n;
    if (p->in_blank && p->noise_len / rate > p->min_noise) {
      p->in_blank = 0;
      liq_cb_void_call(&p->on_noise, s, "on_noise");
    }
  }
}

static void track_end(blank *p)
{
  if (!p->track_sensitive) return;
  p->blank_len = p->noise_len = 0;
  /* A new track starts out of the blank state (skip just left it). */
  if (p->mode != BLANK_STRIP) p->in_blank = 0;
}

static int blank_ready(liq_source *s)
{
  blank *p = liq_source_priv(s);
  liq_source *in = liq_source_input(s, 0);
  if (p->mode != BLANK_STRIP || !p->in_blank) return liq_source_is_ready(in);
  liq_clock *c = liq_source_clock(s);
  int64_t tick = c ? liq_clock_ticks(c) : -1;
  if (c && tick != p->probed_tick && liq_source_is_ready(in)) {
    p->probed_tick = tick;
    if (!p->scratch) p->scratch = liq_pool_acquire(liq_source_pool(s), liq_source_format(in));
    liq_fill r = liq_source_get(in, p->scratch, 0, p->scratch->capacity);
    analyse(s, p, p->scratch, 0, r.n);
    if (r.eot) track_end(p);
    liq_frame_clear(p->scratch);
  }
  return !p->in_blank && liq_source_is_ready(in);
}

static liq_fill blank_fill(liq_source *s, liq_frame *f, int off, int len)
{
  blank *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  analyse(s, p, f, off, r.n);
  if (r.eot) track_end(p);
  /* Stripping: stop at the block that made us blank. */
  if (p->mode == BLANK_STRIP && p->in_blank) r.eot = 1;
  return r;
}

static int blank_fallible(liq_source *s)
{
  blank *p = liq_source_priv(s);
  return p->mode == BLANK_STRIP || liq_source_fallible(liq_source_input(s, 0));
}

#define BLANK_CLASS(var, nm)                                                                      \
  static const liq_source_class var = {                                                           \
      .name = nm,                                                                                 \
      .fallibility = LIQ_FALLIBLE_CUSTOM,                                                         \
      .priv_size = sizeof(blank),                                                                 \
      .fallible = blank_fallible,                                                                 \
      .init = blank_init,                                                                         \
      .uninit = blank_uninit,                                                                     \
      .is_ready = blank_ready,                                                                    \
      .fill = blank_fill,                                                                         \
  }

BLANK_CLASS(detect_class, "blank.detect");
BLANK_CLASS(skip_class, "blank.skip");
BLANK_CLASS(strip_class, "blank.strip");

void liq_blank_opts_default(liq_blank_opts *o)
{
  *o = (liq_blank_opts){0};
  o->max_blank = 20;
  o->min_noise = 0;
  o->threshold = -40;
  o->track_sensitive = 1;
}

liq_source *liq_op_blank_detect(const char *id, const liq_blank_opts *o, liq_source *in,
                                liq_sb *err)
{
  static const liq_source_class *const classes[] = {&detect_class, &skip_class, &strip_class};
  liq_blank_opts a = *o;
  if (a.mode < 0 || a.mode > 2) a.mode = 0;
  return liq_source_new(classes[a.mode], id, &in, 1, &a, err);
}

int liq_blank_is_blank(liq_source *s)
{
  const liq_source_class *c = liq_source_get_class(s);
  if (c != &detect_class && c != &skip_class && c != &strip_class) return -1;
  return ((blank *)liq_source_priv(s))->in_blank;
}
