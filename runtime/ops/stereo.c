/* stereo: channel tools: stereo.pan, stereo.width, stereo.ms.encode /
 * decode (mid/side, see ops.h), mean (to mono), audio_to_stereo, plus the
 * sample-wise clip.
 *
 * stereo.pan uses the tangent law, normalized so that the two gains sum to
 * one: with phi0 = field / 2 and phi = pan * phi0,
 *   (gl - gr) / (gl + gr) = tan(phi) / tan(phi0),  gl + gr = 1,
 * a positive pan favouring the left channel. Measured on 2.1.3: pan=0.5
 * gives gains 0.7071 / 0.2929, pan=-1 gives 0 / 1 (and pan=0 halves both).
 * stereo.width works on mid/side as 2.x does: with w = (width + 1) / 2
 * and a = w / sqrt(w^2 + (1 - w)^2), m = (l + r) / 2, s = (l - r) / 2,
 * l' = (1 - a) m - a s, r' = (1 - a) m + a s. So width = -1 is mono
 * (a = 0) and width = 1 keeps only the side, with the channels swapped;
 * even width = 0 (the default) is not the identity (a = 1 / sqrt 2).
 * Measured on 2.1.3 (tests/runtime/stereo_width). */
#include "config.h"

#include <math.h>

#include "runtime/ops/ops.h"

/* --- stereo.pan / stereo.width ------------------------------------------- */

typedef struct pan {
  liq_getter_float pan, field; /* pan: the width for stereo.width */
} pan;

typedef struct pan_args {
  liq_getter_float a, b;
} pan_args;

static int pan_init(liq_source *s, const void *argp)
{
  const pan_args *a = argp;
  pan *p = liq_source_priv(s);
  p->pan = a->a;
  p->field = a->b;
  liq_format fmt = liq_source_format(s);
  if (fmt.kind != LIQ_CONTENT_PCM || fmt.channels != 2)
    return liq_source_set_error(s, "needs stereo pcm audio");
  return 0;
}

static void pan_uninit(liq_source *s)
{
  pan *p = liq_source_priv(s);
  liq_getter_float_release(&p->pan);
  liq_getter_float_release(&p->field);
}

static liq_fill pan_fill(liq_source *s, liq_frame *f, int off, int len)
{
  pan *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  double phi0 = liq_getter_float_get(&p->field, s) * M_PI / 360.;
  double x = liq_getter_float_get(&p->pan, s);
  if (x < -1) x = -1;
  if (x > 1) x = 1;
  double t0 = tan(phi0);
  double d = t0 != 0 ? tan(x * phi0) / t0 : 0;
  float gl = (float)((1 + d) / 2), gr = (float)((1 - d) / 2);
  float *l = liq_frame_pcm(f, 0), *rr = liq_frame_pcm(f, 1);
  for (int i = off; i < off + r.n; i++) {
    l[i] *= gl;
    rr[i] *= gr;
  }
  return r;
}

static liq_fill width_fill(liq_source *s, liq_frame *f, int off, int len)
{
  pan *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  double w = (liq_getter_float_get(&p->pan, s) + 1) / 2;
  double a = w / sqrt(w * w + (1 - w) * (1 - w));
  float cm = (float)((1 - a) / 2), cs = (float)(a / 2);
  float *l = liq_frame_pcm(f, 0), *rr = liq_frame_pcm(f, 1);
  for (int i = off; i < off + r.n; i++) {
    float m = (l[i] + rr[i]) * cm, sd = (l[i] - rr[i]) * cs;
    l[i] = m - sd;
    rr[i] = m + sd;
  }
  return r;
}

static const liq_source_class pan_class = {
    .name = "stereo.pan",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(pan),
    .init = pan_init,
    .uninit = pan_uninit,
    .fill = pan_fill,
};

static const liq_source_class width_class = {
    .name = "stereo.width",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(pan),
    .init = pan_init,
    .uninit = pan_uninit,
    .fill = width_fill,
};

liq_source *liq_op_stereo_pan(const char *id, liq_getter_float pan_, liq_getter_float field,
                              liq_source *in, liq_sb *err)
{
  pan_args a = {pan_, field};
  return liq_source_new(&pan_class, id, &in, 1, &a, err);
}

liq_source *liq_op_stereo_width(const char *id, liq_getter_float width, liq_source *in,
                                liq_sb *err)
{
  pan_args a = {width, LIQ_FLOAT(0)};
  return liq_source_new(&width_class, id, &in, 1, &a, err);
}

/* --- stereo.ms.encode / decode ---------------------------------------------- */

typedef struct ms {
  int decode;
  double width;
} ms;

static int ms_init(liq_source *s, const void *argp)
{
  *(ms *)liq_source_priv(s) = *(const ms *)argp;
  liq_format fmt = liq_source_format(s);
  if (fmt.kind != LIQ_CONTENT_PCM || fmt.channels != 2)
    return liq_source_set_error(s, "needs stereo pcm audio");
  return 0;
}

static liq_fill ms_fill(liq_source *s, liq_frame *f, int off, int len)
{
  const ms *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  float a = p->decode ? 1.f : 0.5f, b = p->decode ? (float)p->width : 0.5f;
  float *l = liq_frame_pcm(f, 0), *rr = liq_frame_pcm(f, 1);
  for (int i = off; i < off + r.n; i++) {
    float x = l[i], y = rr[i];
    l[i] = a * x + b * y;
    rr[i] = a * x - b * y;
  }
  return r;
}

#define MS_CLASS(var, nm)                                                                          \
  static const liq_source_class var = {                                                            \
      .name = nm,                                                                                  \
      .fallibility = LIQ_FALLIBLE_ANY_INPUT,                                                       \
      .priv_size = sizeof(ms),                                                                     \
      .init = ms_init,                                                                             \
      .fill = ms_fill,                                                                             \
  }

MS_CLASS(ms_encode_class, "stereo.ms.encode");
MS_CLASS(ms_decode_class, "stereo.ms.decode");

liq_source *liq_op_stereo_ms(const char *id, int decode, double width, liq_source *in,
                             liq_sb *err)
{
  ms a = {decode, width};
  return liq_source_new(decode ? &ms_decode_class : &ms_encode_class, id, &in, 1, &a, err);
}

/* --- mean / audio_to_stereo ------------------------------------------------ */

/* Both read their input into a pooled scratch frame of the input's format
 * and write the converted channels into the caller's frame. */
typedef struct chmap {
  int normalize;
  liq_frame *scratch;
} chmap;

static int chmap_init_common(liq_source *s, int out_channels)
{
  liq_format fmt = liq_source_format(s);
  if (fmt.kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "needs pcm audio");
  fmt.channels = out_channels;
  liq_source_set_format(s, fmt);
  return 0;
}

static int mean_init(liq_source *s, const void *argp)
{
  chmap *p = liq_source_priv(s);
  p->normalize = *(const int *)argp;
  return chmap_init_common(s, 1);
}

static int a2s_init(liq_source *s, const void *argp)
{
  (void)argp;
  return chmap_init_common(s, 2);
}

static void chmap_uninit(liq_source *s)
{
  chmap *p = liq_source_priv(s);
  liq_frame_unref(p->scratch);
}

/* Pulls [off, off + len) of the input into the scratch frame; the caller
 * converts the samples, then moves the events with move_events. */
static liq_fill chmap_pull(liq_source *s, chmap *p, int off, int len)
{
  liq_source *in = liq_source_input(s, 0);
  if (!p->scratch) p->scratch = liq_pool_acquire(liq_source_pool(s), liq_source_format(in));
  liq_frame_clear(p->scratch);
  return liq_source_get(in, p->scratch, off, len);
}

/* Metadata goes along; the input's track mark is re-added by our wrapper. */
static void move_events(chmap *p, liq_frame *f, int off, int n)
{
  liq_frame *sc = p->scratch;
  for (int i = liq_frame_meta_from(sc, off); i < sc->n_meta && sc->meta[i].pos < off + n; i++)
    liq_frame_add_meta(f, sc->meta[i].pos, sc->meta[i].meta);
  liq_frame_clear(sc);
}

static liq_fill mean_fill(liq_source *s, liq_frame *f, int off, int len)
{
  chmap *p = liq_source_priv(s);
  liq_fill r = chmap_pull(s, p, off, len);
  int ch = p->scratch->fmt.channels;
  float k = p->normalize ? 1.f / (float)ch : 1.f;
  float *d = liq_frame_pcm(f, 0);
  for (int i = off; i < off + r.n; i++) {
    float acc = 0;
    for (int c = 0; c < ch; c++) acc += liq_frame_pcm(p->scratch, c)[i];
    d[i] = acc * k;
  }
  move_events(p, f, off, r.n);
  return r;
}

/* Mono is duplicated, stereo copied; more channels keep the first two. */
static liq_fill a2s_fill(liq_source *s, liq_frame *f, int off, int len)
{
  chmap *p = liq_source_priv(s);
  liq_fill r = chmap_pull(s, p, off, len);
  int ch = p->scratch->fmt.channels;
  for (int c = 0; c < 2; c++) {
    const float *src = liq_frame_pcm(p->scratch, ch == 1 ? 0 : c);
    float *d = liq_frame_pcm(f, c);
    for (int i = off; i < off + r.n; i++) d[i] = src[i];
  }
  move_events(p, f, off, r.n);
  return r;
}

static const liq_source_class mean_class = {
    .name = "mean",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(chmap),
    .init = mean_init,
    .uninit = chmap_uninit,
    .fill = mean_fill,
};

static const liq_source_class a2s_class = {
    .name = "audio_to_stereo",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(chmap),
    .init = a2s_init,
    .uninit = chmap_uninit,
    .fill = a2s_fill,
};

liq_source *liq_op_mean(const char *id, int normalize, liq_source *in, liq_sb *err)
{
  return liq_source_new(&mean_class, id, &in, 1, &normalize, err);
}

liq_source *liq_op_audio_to_stereo(const char *id, liq_source *in, liq_sb *err)
{
  return liq_source_new(&a2s_class, id, &in, 1, NULL, err);
}

/* --- clip ----------------------------------------------------------------------- */

static int clip_init(liq_source *s, const void *argp)
{
  (void)argp;
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "needs pcm audio");
  return 0;
}

static liq_fill clip_fill(liq_source *s, liq_frame *f, int off, int len)
{
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  for (int c = 0; c < f->fmt.channels; c++) {
    float *d = liq_frame_pcm(f, c);
    for (int i = off; i < off + r.n; i++) {
      float x = d[i];
      d[i] = x != x ? 0.f : x < -1.f ? -1.f : x > 1.f ? 1.f : x;
    }
  }
  return r;
}

static const liq_source_class clip_class = {
    .name = "clip",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .init = clip_init,
    .fill = clip_fill,
};

liq_source *liq_op_clip(const char *id, liq_source *in, liq_sb *err)
{
  return liq_source_new(&clip_class, id, &in, 1, NULL, err);
}
