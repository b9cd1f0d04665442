/* fade: fade.in and fade.out, gain ramps at track boundaries (one gain per fill).
 *
 * Shapes map [0, 1] onto [0, 1] (the formulas of 2.1.3's mkfade):
 *   lin x;  sin (1 + sin((x - 1/2) pi)) / 2;
 *   log ln(1 + 10x) / ln 11;  exp (e^(2x-1) - e^-1) / (e - e^-1).
 * fade.in applies shape(t / d) over the first d seconds of each track
 * (only the first track without track_sensitive). fade.out starts after
 * the fill that leaves at most d of the track, over what is left then
 * (D), and applies shape(1 - t / D); it needs an input that knows its
 * remaining time.
 *
 * 2.1.3's fades are script functions re-evaluated once per frame: here too
 * each fill holds one gain (the 0.25 s at either end of a 1 s fade come
 * out 1 dB quieter than a per-sample ramp, as measured on 2.1.3:
 * tests/runtime/fade_out.liq). t is its clock's time, as 2.1.3's (mkfade
 * reads source.time, the start of the current frame) since the frame
 * where the track (fade.in) or the fade (fade.out) began: 0 for that
 * first fill, then the samples from that frame's start to the current
 * frame's start. A track starting mid-frame is thus that much further
 * into its fade at each later frame (tests/runtime/fade_in.liq, second
 * track at 1.5 s). Duration/type overrides in
 * metadata at a track's start apply to that track (2.1.3 applies them from
 * the next one, its on_track running before on_metadata). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/ops/ops.h"

int liq_fade_shape_parse(const char *s)
{
  if (!strcmp(s, "lin")) return LIQ_FADE_LIN;
  if (!strcmp(s, "sin")) return LIQ_FADE_SIN;
  if (!strcmp(s, "log")) return LIQ_FADE_LOG;
  if (!strcmp(s, "exp")) return LIQ_FADE_EXP;
  return -1;
}

static double shape(liq_fade_shape t, double x)
{
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  switch (t) {
  case LIQ_FADE_SIN: return (1 + sin((x - 0.5) * M_PI)) / 2;
  case LIQ_FADE_LOG: return log(1 + 10 * x) / log(11);
  case LIQ_FADE_EXP: return (exp(2 * x - 1) - exp(-1)) / (exp(1) - exp(-1));
  default: return x;
  }
}

typedef struct fade {
  int out;              /* fade.out */
  double duration;      /* s, default for each track */
  liq_fade_shape type;
  char *override_duration, *override_type;
  int track_sensitive;
  /* Per track. */
  double cur_duration;
  liq_fade_shape cur_type;
  int64_t pos;          /* samples since the track (fade.out: fade) start */
  int lead;             /* offset of that start in its frame */
  int64_t span;         /* fade.out: D in samples, 0 until the fade starts */
  int done;             /* fade.in without track_sensitive: faded once */
} fade;

typedef struct fade_args {
  int out;
  double duration;
  liq_fade_shape type;
  const char *override_duration, *override_type;
  int track_sensitive;
} fade_args;

static int fade_init(liq_source *s, const void *argp)
{
  const fade_args *a = argp;
  fade *p = liq_source_priv(s);
  p->out = a->out;
  p->duration = p->cur_duration = a->duration;
  p->type = p->cur_type = a->type;
  if (a->override_duration) p->override_duration = liq_mem_strdup(a->override_duration);
  if (a->override_type) p->override_type = liq_mem_strdup(a->override_type);
  p->track_sensitive = a->track_sensitive;
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM)
    return liq_source_set_error(s, "fades need pcm audio");
  return 0;
}

static void fade_uninit(liq_source *s)
{
  fade *p = liq_source_priv(s);
  liq_mem_free(p->override_duration);
  liq_mem_free(p->override_type);
}

/* Metadata overrides in [from, to). */
static void overrides(fade *p, liq_frame *f, int from, int to)
{
  for (int i = liq_frame_meta_from(f, from); i < f->n_meta && f->meta[i].pos < to; i++) {
    const char *v;
    char *end;
    if (p->override_duration && (v = liq_meta_get(f->meta[i].meta, p->override_duration))) {
      double d = strtod(v, &end);
      if (end != v && d >= 0) p->cur_duration = d;
    }
    if (p->override_type && (v = liq_meta_get(f->meta[i].meta, p->override_type))) {
      int t = liq_fade_shape_parse(v);
      if (t >= 0) p->cur_type = (liq_fade_shape)t;
    }
  }
}

static void gain(liq_frame *f, int i, float g)
{
  for (int c = 0; c < f->fmt.channels; c++) liq_frame_pcm(f, c)[i] *= g;
}

static liq_fill fade_fill(liq_source *s, liq_frame *f, int off, int len)
{
  fade *p = liq_source_priv(s);
  liq_source *in = liq_source_input(s, 0);
  int rate = liq_source_samplerate(s);
  int64_t rem = p->out ? liq_source_remaining(in) : -1;
  liq_fill r = liq_source_get(in, f, off, len);
  overrides(p, f, off, off + r.n);
  if (!p->out) {
    int64_t d = (int64_t)(p->cur_duration * rate);
    if (p->pos == 0) p->lead = off;
    /* One gain per fill, from the clock time since the track's first frame. */
    int64_t t = p->pos + p->lead - off;
    if (t < d && !p->done) {
      float g = (float)shape(p->cur_type, (double)t / (double)d);
      for (int i = 0; i < r.n; i++) gain(f, off + i, g);
    } else if (!p->track_sensitive)
      p->done = 1;
    p->pos += r.n;
  } else if (rem >= 0) {
    int64_t d = (int64_t)(p->cur_duration * rate);
    int64_t left = rem - r.n < 0 ? 0 : rem - r.n;
    if (!p->span && left <= d) {
      /* The fade starts after this fill, over what remains. */
      p->span = left > 0 ? left : 1;
      p->lead = off;
      p->pos = 0;
    } else if (p->span) {
      /* One gain per fill, from the clock time since the fade's first frame. */
      int64_t t = p->pos + p->lead - off;
      float g = (float)shape(p->cur_type, 1 - (double)t / (double)p->span);
      for (int i = 0; i < r.n; i++) gain(f, off + i, g);
    }
    p->pos += r.n;
  }
  if (r.eot && p->track_sensitive) {
    p->pos = 0;
    p->span = 0;
    p->cur_duration = p->duration;
    p->cur_type = p->type;
  }
  return r;
}

static const liq_source_class fade_in_class = {
    .name = "fade.in",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(fade),
    .init = fade_init,
    .uninit = fade_uninit,
    .fill = fade_fill,
};

static const liq_source_class fade_out_class = {
    .name = "fade.out",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(fade),
    .init = fade_init,
    .uninit = fade_uninit,
    .fill = fade_fill,
};

liq_source *liq_op_fade_in(const char *id, double duration, liq_fade_shape type,
                           const char *override_duration, const char *override_type,
                           int track_sensitive, liq_source *in, liq_sb *err)
{
  fade_args a = {0, duration, type, override_duration, override_type, track_sensitive};
  return liq_source_new(&fade_in_class, id, &in, 1, &a, err);
}

liq_source *liq_op_fade_out(const char *id, double duration, liq_fade_shape type,
                            const char *override_duration, const char *override_type,
                            int track_sensitive, liq_source *in, liq_sb *err)
{
  fade_args a = {1, duration, type, override_duration, override_type, track_sensitive};
  return liq_source_new(&fade_out_class, id, &in, 1, &a, err);
}
