/* codec/registry: every encoder name, its parameters and how it prints,
 * the encoder formats (values of encoder literals) and the dispatch of the
 * encoder interface; see encoder.h. */
#include "config.h"
#include "runtime/codec/encoder.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/value.h"

/* --- Parameters ------------------------------------------------------------------ */

#define P(n, t) {n, LIQ_EP_##t, NULL}
#define CHANNEL_PARAMS P("channels", INT), P("mono", BOOL), P("stereo", BOOL)

static const liq_ep_desc wav_params[] = {
    CHANNEL_PARAMS,    P("samplerate", INT), P("samplesize", INT),
    P("header", BOOL), P("duration", FLOAT),
};

/* libmp3lame; 2.1.3 has no `channels` for %mp3: cliq takes 1 or 2. */
#define MP3_COMMON                                                                  \
  CHANNEL_PARAMS, P("samplerate", INT), P("internal_quality", INT), P("id3v2", BOOL), \
      {"stereo_mode", LIQ_EP_STRING, "stereo|joint_stereo|default"}
static const liq_ep_desc mp3_cbr_params[] = {MP3_COMMON, P("bitrate", INT)};
static const liq_ep_desc mp3_vbr_params[] = {MP3_COMMON, P("quality", INT)};
static const liq_ep_desc mp3_abr_params[] = {MP3_COMMON, P("bitrate", INT), P("min_bitrate", INT),
                                             P("max_bitrate", INT), P("hard_min", BOOL)};

#define OGG_COMMON P("bytes_per_page", INT)
static const liq_ep_desc vorbis_params[] = {CHANNEL_PARAMS, P("samplerate", INT),
                                            P("quality", FLOAT), OGG_COMMON};
static const liq_ep_desc vorbis_br_params[] = {CHANNEL_PARAMS, P("samplerate", INT),
                                               P("bitrate", INT), P("min_bitrate", INT),
                                               P("max_bitrate", INT), OGG_COMMON};
static const liq_ep_desc flac_params[] = {CHANNEL_PARAMS, P("samplerate", INT),
                                          P("compression", INT), P("bits_per_sample", INT),
                                          OGG_COMMON};
static const liq_ep_desc shine_params[] = {CHANNEL_PARAMS, P("samplerate", INT), P("bitrate", INT)};
static const liq_ep_desc opus_params[] = {
    CHANNEL_PARAMS,
    P("samplerate", INT),
    {"bitrate", LIQ_EP_INT, "auto|max"},
    {"vbr", LIQ_EP_STRING, "none|constrained|unconstrained"},
    {"application", LIQ_EP_STRING, "audio|voip|restricted_lowdelay"},
    P("complexity", INT),
    P("frame_size", FLOAT),
    {"signal", LIQ_EP_STRING, "voice|music"},
    {"max_bandwidth", LIQ_EP_STRING, "narrow_band|medium_band|wide_band|super_wide_band|full_band"},
    P("dtx", BOOL),
    P("phase_inversion", BOOL),
    OGG_COMMON,
};
static const liq_ep_desc ogg_params[] = {P("bytes_per_page", INT)};

/* --- Printed forms (2.1.3's order and defaults) ------------------------------------ *
 * "k=v": printed with the given value or v; "#stereo": the mono/stereo flag;
 * "channels=2": the channel count however it was given; "?k": only when
 * given (floats as %f, 2.1.3's %wav duration). Parameters of a checked kind
 * missing from the list are not printed, as in 2.1.3 (stereo_mode...). */
static const char *const mp3_print[] = {"#stereo", "bitrate=128", "samplerate=44100", "id3v2=false", NULL};
static const char *const mp3_vbr_print[] = {"#stereo", "quality=4", "samplerate=44100", "id3v2=false", NULL};
static const char *const mp3_abr_print[] = {"#stereo", "bitrate=128", "hard_min=false", "samplerate=44100",
                                            "id3v2=false", NULL};
static const char *const wav_print[] = {"samplerate=44100", "channels=2", "samplesize=16", "header=true",
                                        "?duration", NULL};
static const char *const flac_print[] = {"channels=2", "bits_per_sample=16", "samplerate=44100",
                                         "compression=5", NULL};
static const char *const vorbis_print[] = {"quality=0.3", "channels=2", "samplerate=44100", NULL};
static const char *const vorbis_br_print[] = {"bitrate=128", "channels=2", "samplerate=44100", NULL};
static const char *const opus_print[] = {"vbr=\"constrained\"", "birate=\"auto\"", "channels=2",
                                         "samplerate=48000", "frame_size=20.", "dtx=false",
                                         "phase_inversion=true", NULL};
static const char *const fdkaac_print[] = {"channels=2", "samplerate=44100", "bitrate=64",
                                           "aot=\"mpeg4_aac_lc\"", NULL};
static const char *const shine_print[] = {"channels=2", "samplerate=44100", "bitrate=128", NULL};
static const char *const empty_print[] = {NULL};

#define PARAMS(a) a, (int)(sizeof a / sizeof a[0])
#define UNCHECKED NULL, 0

/* Whether this build encodes a kind is whether it has ops: each
 * implementation's library is required by configure (HAVE_LAME...). */
#ifdef HAVE_LAME
#define MP3_OPS &liq_mp3_encoder_ops
#else
#define MP3_OPS NULL
#endif
#ifdef HAVE_OPUS
#define OPUS_OPS &liq_opus_encoder_ops
#else
#define OPUS_OPS NULL
#endif
#ifdef HAVE_VORBIS
#define VORBIS_OPS &liq_vorbis_encoder_ops
#else
#define VORBIS_OPS NULL
#endif

/* %ogg's ops: never called, it says the container is built; liq_encoder_new
 * runs the nested stream's ops. */
static const liq_encoder_ops ogg_marker = {0};

static const liq_encoder_kind kinds[] = {
    {"wav", LIQ_ENC_PCM, 2, PARAMS(wav_params), wav_print, &liq_wav_encoder_ops},
    {"mp3", LIQ_ENC_PCM, 2, PARAMS(mp3_cbr_params), mp3_print, MP3_OPS},
    {"mp3.cbr", LIQ_ENC_PCM, 2, PARAMS(mp3_cbr_params), mp3_print, MP3_OPS},
    {"mp3.vbr", LIQ_ENC_PCM, 2, PARAMS(mp3_vbr_params), mp3_vbr_print, MP3_OPS},
    {"mp3.abr", LIQ_ENC_PCM, 2, PARAMS(mp3_abr_params), mp3_abr_print, MP3_OPS},
    {"mp3.fxp", LIQ_ENC_PCM, 2, PARAMS(shine_params), shine_print, NULL},
    {"shine", LIQ_ENC_PCM, 2, PARAMS(shine_params), shine_print, NULL},
    {"flac", LIQ_ENC_PCM, 2, PARAMS(flac_params), flac_print, NULL},
    {"vorbis", LIQ_ENC_PCM, 2, PARAMS(vorbis_params), vorbis_print, VORBIS_OPS},
    {"vorbis.cbr", LIQ_ENC_PCM, 2, PARAMS(vorbis_br_params), vorbis_br_print, VORBIS_OPS},
    {"vorbis.abr", LIQ_ENC_PCM, 2, PARAMS(vorbis_br_params), vorbis_br_print, VORBIS_OPS},
    {"opus", LIQ_ENC_PCM, 2, PARAMS(opus_params), opus_print, OPUS_OPS},
    {"speex", LIQ_ENC_PCM, 2, UNCHECKED, empty_print, NULL},
    {"fdkaac", LIQ_ENC_PCM, 2, UNCHECKED, fdkaac_print, NULL},
    {"external", LIQ_ENC_PCM, 2, UNCHECKED, empty_print, NULL},
    /* 2.1.3 types %theora alone with a stereo audio track too. */
    {"theora", LIQ_ENC_VIDEO, 2, UNCHECKED, empty_print, NULL},
    {"avi", LIQ_ENC_VIDEO, 2, UNCHECKED, empty_print, NULL},
    {"ndi", LIQ_ENC_VIDEO, 2, UNCHECKED, empty_print, NULL},
    /* The ogg container carries one stream, encoded by its kind's ops
     * (vorbis.c, opus.c); see stream_ops. */
    {"ogg", LIQ_ENC_OGG, 0, PARAMS(ogg_params), empty_print, &ogg_marker},
    {"ffmpeg", LIQ_ENC_FFMPEG, 0, UNCHECKED, empty_print, NULL},
    {"audio", LIQ_ENC_TRACK, 2, UNCHECKED, empty_print, NULL},
    {"audio.raw", LIQ_ENC_TRACK, 2, UNCHECKED, empty_print, NULL},
    {"audio.copy", LIQ_ENC_TRACK, 2, UNCHECKED, empty_print, NULL},
    {"video", LIQ_ENC_TRACK, 0, UNCHECKED, empty_print, NULL},
    {"video.raw", LIQ_ENC_TRACK, 0, UNCHECKED, empty_print, NULL},
    {"video.copy", LIQ_ENC_TRACK, 0, UNCHECKED, empty_print, NULL},
};

const liq_encoder_kind *liq_encoder_kind_find(const char *name)
{
  if (name[0] == '%') name++;
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i].name, name) == 0) return &kinds[i];
  return NULL;
}

int liq_encoder_kind_built(const liq_encoder_kind *k) { return k && k->ops != NULL; }

const liq_ep_desc *liq_encoder_kind_param(const liq_encoder_kind *k, const char *name)
{
  for (int i = 0; i < k->nparams; i++)
    if (strcmp(k->params[i].name, name) == 0) return &k->params[i];
  return NULL;
}

void liq_encoder_kind_param_names(const liq_encoder_kind *k, liq_sb *sb)
{
  for (int i = 0; i < k->nparams; i++) liq_sb_printf(sb, "%s%s", i ? ", " : "", k->params[i].name);
}

const char *liq_ep_type_name(liq_ep_type t)
{
  switch (t) {
  case LIQ_EP_BOOL: return "bool";
  case LIQ_EP_INT: return "int";
  case LIQ_EP_FLOAT: return "float";
  case LIQ_EP_STRING: return "string";
  default: return "encoder";
  }
}

int liq_ep_choice_ok(const liq_ep_desc *d, const char *s)
{
  if (!d->choices) return 1;
  size_t n = strlen(s);
  for (const char *c = d->choices; *c;) {
    size_t l = strcspn(c, "|");
    if (l == n && !strncmp(c, s, n)) return 1;
    c += l + (c[l] == '|');
  }
  return 0;
}

/* --- Formats ------------------------------------------------------------------------ */

liq_enc_format *liq_enc_format_new(const liq_encoder_kind *k, int has_params)
{
  liq_enc_format *f = liq_mem_calloc(1, sizeof *f);
  f->kind = k;
  f->has_params = has_params;
  return f;
}

liq_ep *liq_enc_format_add(liq_enc_format *f, const char *name, liq_ep_type type)
{
  f->p = liq_mem_realloc(f->p, (size_t)(f->n + 1) * sizeof *f->p);
  liq_ep *p = &f->p[f->n++];
  memset(p, 0, sizeof *p);
  p->name = name ? liq_mem_strdup(name) : NULL;
  p->type = type;
  return p;
}

void liq_enc_format_free(liq_enc_format *f)
{
  if (!f) return;
  for (int i = 0; i < f->n; i++) {
    liq_mem_free(f->p[i].name);
    if (f->p[i].type == LIQ_EP_STRING) liq_mem_free(f->p[i].u.s);
    if (f->p[i].type == LIQ_EP_ENCODER) liq_enc_format_free(f->p[i].u.enc);
  }
  liq_mem_free(f->p);
  liq_mem_free(f);
}

liq_enc_format *liq_enc_format_copy(const liq_enc_format *f)
{
  liq_enc_format *c = liq_enc_format_new(f->kind, f->has_params);
  for (int i = 0; i < f->n; i++) {
    liq_ep *p = liq_enc_format_add(c, f->p[i].name, f->p[i].type);
    p->u = f->p[i].u;
    if (p->type == LIQ_EP_STRING) p->u.s = liq_mem_strdup(f->p[i].u.s);
    if (p->type == LIQ_EP_ENCODER) p->u.enc = liq_enc_format_copy(f->p[i].u.enc);
  }
  return c;
}

const liq_ep *liq_enc_format_get(const liq_enc_format *f, const char *name)
{
  for (int i = f->n - 1; i >= 0; i--)
    if (f->p[i].name && !strcmp(f->p[i].name, name)) return &f->p[i];
  return NULL;
}

int64_t liq_enc_format_int(const liq_enc_format *f, const char *name, int64_t dflt)
{
  const liq_ep *p = liq_enc_format_get(f, name);
  if (!p) return dflt;
  if (p->type == LIQ_EP_FLOAT) return (int64_t)p->u.f;
  return p->type == LIQ_EP_INT || p->type == LIQ_EP_BOOL ? p->u.i : dflt;
}

double liq_enc_format_float(const liq_enc_format *f, const char *name, double dflt)
{
  const liq_ep *p = liq_enc_format_get(f, name);
  if (!p) return dflt;
  if (p->type == LIQ_EP_FLOAT) return p->u.f;
  return p->type == LIQ_EP_INT ? (double)p->u.i : dflt;
}

const char *liq_enc_format_string(const liq_enc_format *f, const char *name, const char *dflt)
{
  const liq_ep *p = liq_enc_format_get(f, name);
  return p && p->type == LIQ_EP_STRING ? p->u.s : dflt;
}

int liq_enc_format_channels(const liq_enc_format *f, int dflt)
{
  int ch = dflt;
  for (int i = 0; i < f->n; i++) {
    const liq_ep *p = &f->p[i];
    if (!p->name) continue;
    int mono = !strcmp(p->name, "mono"), stereo = !strcmp(p->name, "stereo");
    if ((mono || stereo) && p->type == LIQ_EP_BOOL) ch = (mono == (p->u.i != 0)) ? 1 : 2;
    else if ((!strcmp(p->name, "channels") || !strcmp(p->name, "ac")) && p->type == LIQ_EP_INT)
      ch = (int)p->u.i;
  }
  return ch;
}

/* --- Printing --------------------------------------------------------------------- */

static int is_channel_param(const char *n)
{
  return !strcmp(n, "mono") || !strcmp(n, "stereo") || !strcmp(n, "channels");
}

static void print_format(const liq_enc_format *f, liq_sb *out);

static void print_value(const liq_ep *p, int long_float, liq_sb *sb)
{
  switch (p->type) {
  case LIQ_EP_BOOL: liq_sb_puts(sb, p->u.i ? "true" : "false"); break;
  case LIQ_EP_INT: liq_sb_printf(sb, "%lld", (long long)p->u.i); break;
  case LIQ_EP_FLOAT: liq_sb_printf(sb, long_float ? "%f" : "%.2f", p->u.f); break;
  case LIQ_EP_STRING: liq_value_print_quoted(sb, p->u.s, strlen(p->u.s)); break;
  case LIQ_EP_ENCODER: print_format(p->u.enc, sb); break;
  }
}

/* A default as printed: floats with two decimals. */
static void print_default(const char *v, liq_sb *sb)
{
  if (strchr(v, '.') && v[0] != '"') liq_sb_printf(sb, "%.2f", strtod(v, NULL));
  else liq_sb_puts(sb, v);
}

static void print_format(const liq_enc_format *f, liq_sb *out)
{
  const liq_encoder_kind *k = f->kind;
  int used[64] = {0}; /* a literal has far fewer parameters */
  liq_sb_printf(out, "%%%s", k->name);
  liq_sb body = LIQ_SB_INIT;
  int first = 1;
#define SEP()                                 \
  do {                                        \
    if (!first) liq_sb_putc(&body, ',');      \
    first = 0;                                \
  } while (0)
  for (const char *const *s = k->print; *s; s++) {
    const char *slot = *s;
    if (slot[0] == '#' || !strncmp(slot, "channels=", 9)) {
      int ch = liq_enc_format_channels(f, k->channels);
      for (int i = 0; i < f->n && i < 64; i++)
        if (f->p[i].name && is_channel_param(f->p[i].name)) used[i] = 1;
      SEP();
      if (slot[0] == '#') liq_sb_puts(&body, ch == 1 ? "mono" : "stereo");
      else liq_sb_printf(&body, "channels=%d", ch);
      continue;
    }
    if (!strncmp(slot, "birate=", 7)) {
      /* %opus: 2.1.3 prints its default as `birate` (sic) and a given
       * bitrate in bit/s. */
      const liq_ep *b = liq_enc_format_get(f, "bitrate");
      for (int i = 0; i < f->n && i < 64; i++)
        if (f->p[i].name && !strcmp(f->p[i].name, "bitrate")) used[i] = 1;
      SEP();
      if (!b) liq_sb_puts(&body, slot);
      else if (b->type == LIQ_EP_INT) liq_sb_printf(&body, "bitrate=%lld", (long long)b->u.i * 1000);
      else {
        liq_sb_puts(&body, "bitrate=");
        print_value(b, 0, &body);
      }
      continue;
    }
    int optional = slot[0] == '?';
    const char *name = slot + optional;
    size_t kl = optional ? strlen(name) : (size_t)(strchr(name, '=') - name);
    int given = -1;
    for (int i = 0; i < f->n && i < 64; i++)
      if (f->p[i].name && strlen(f->p[i].name) == kl && !strncmp(f->p[i].name, name, kl)) {
        given = i;
        used[i] = 1;
      }
    if (optional && given < 0) continue;
    SEP();
    liq_sb_append(&body, name, kl);
    liq_sb_putc(&body, '=');
    if (given >= 0) print_value(&f->p[given], optional, &body);
    else print_default(name + kl + 1, &body);
  }
  for (int i = 0; i < f->n && i < 64; i++) {
    const liq_ep *p = &f->p[i];
    /* A checked kind prints only its listed parameters. */
    if (used[i] || (k->params && p->name)) continue;
    SEP();
    if (p->name) {
      liq_sb_printf(&body, "%s=", p->name);
    }
    print_value(p, 0, &body);
  }
#undef SEP
  if (body.len > 0 || f->has_params || k->print[0]) {
    liq_sb_putc(out, '(');
    liq_sb_append(out, liq_sb_str(&body), body.len);
    liq_sb_putc(out, ')');
  }
  liq_sb_free(&body);
}

/* 2.1.3 prints a lone %vorbis or %opus inside the ogg container it implies. */
void liq_enc_format_print(const liq_enc_format *f, liq_sb *sb)
{
  int in_ogg = !strncmp(f->kind->name, "vorbis", 6) || !strcmp(f->kind->name, "opus");
  if (in_ogg) liq_sb_puts(sb, "%ogg(");
  print_format(f, sb);
  if (in_ogg) liq_sb_putc(sb, ')');
}

/* --- Encoders ------------------------------------------------------------------- */

/* The ops that encode f: its kind's, or for %ogg(...) its one stream's
 * (Vorbis or Opus here). NULL with a message when not built. */
static const liq_encoder_ops *stream_ops(const liq_enc_format *f, liq_sb *err)
{
  const liq_encoder_kind *k = f->kind;
  if (k->media == LIQ_ENC_OGG) {
    const liq_enc_format *inner = NULL;
    int n = 0;
    for (int i = 0; i < f->n; i++)
      if (f->p[i].type == LIQ_EP_ENCODER) {
        inner = f->p[i].u.enc;
        n++;
      }
    if (n != 1) {
      liq_sb_printf(err, "%%ogg: %s", n ? "one stream only (several are not encoded yet)" : "no stream");
      return NULL;
    }
    const char *in = inner->kind->name;
    if ((strncmp(in, "vorbis", 6) != 0 && strcmp(in, "opus") != 0) || !inner->kind->ops) {
      liq_sb_printf(err, "%%ogg(%%%s) is not available in this build", in);
      return NULL;
    }
    return inner->kind->ops;
  }
  if (!k->ops) liq_sb_printf(err, "encoder %%%s is not available in this build", k->name);
  return k->ops;
}

liq_encoder *liq_encoder_new(const liq_enc_format *f, liq_format stream, int frame_samples,
                             liq_sb *err)
{
  const liq_encoder_kind *k = f->kind;
  const liq_encoder_ops *ops = stream_ops(f, err);
  if (!ops) return NULL;
  if (stream.kind != LIQ_CONTENT_PCM) {
    liq_sb_printf(err, "%%%s needs pcm content, not %s", k->name, liq_content_name(stream.kind));
    return NULL;
  }
  liq_encoder *e = liq_mem_calloc(1, sizeof *e);
  e->kind = k;
  e->channels = stream.channels;
  e->samplerate = stream.samplerate;
  e->frame_samples = frame_samples;
  e->ops = ops;
  e->priv = ops->priv_size ? liq_mem_calloc(1, ops->priv_size) : NULL;
  if (ops->init(e, f, err) != 0) {
    liq_encoder_free(e);
    return NULL;
  }
  return e;
}

void liq_encoder_start(liq_encoder *e, int64_t existing, const liq_meta *meta)
{
  e->ops->start(e, existing, meta);
}

void liq_encoder_encode(liq_encoder *e, liq_frame *f, int off, int n)
{
  if (n > 0) e->ops->encode(e, f, off, n);
}

void liq_encoder_flush(liq_encoder *e) { e->ops->flush(e); }

int liq_encoder_patch(liq_encoder *e, int fd)
{
  return e->ops->patch ? e->ops->patch(e, fd) : 0;
}

const uint8_t *liq_encoder_bytes(const liq_encoder *e, size_t *n)
{
  *n = e->len;
  return e->out;
}

void liq_encoder_consume(liq_encoder *e) { e->len = 0; }

size_t liq_encoder_held(const liq_encoder *e)
{
  return e->cap + e->ops->priv_size + (e->ops->held ? e->ops->held(e) : 0);
}

uint8_t *liq_encoder_reserve(liq_encoder *e, size_t n)
{
  if (e->len + n > e->cap) {
    size_t cap = e->cap ? e->cap : 4096;
    while (cap < e->len + n) cap *= 2;
    e->out = liq_mem_realloc(e->out, cap);
    e->cap = cap;
  }
  return e->out + e->len;
}

void liq_encoder_free(liq_encoder *e)
{
  if (!e) return;
  if (e->ops->uninit) e->ops->uninit(e);
  liq_mem_free(e->priv);
  liq_mem_free(e->out);
  liq_mem_free(e);
}
