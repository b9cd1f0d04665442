/* enctype: static types of encoder literals; see enctype.h. */
#include "lang/enctype.h"

#include <stdio.h>
#include <string.h>

typedef enum { A_NONE, A_PCM, A_CONTAINER_OGG, A_CONTAINER_FFMPEG } audio_kind;

/* One encoder name. `built` says whether this build can produce it (for
 * %ifencoder); it must agree with the encoders the runtime registers. */
static const struct enc_desc {
  const char *name;
  audio_kind audio;
  int video;    /* has a video track (canvas) */
  int channels; /* default channel count */
  int built;
} encoders[] = {
    {"mp3", A_PCM, 0, 2, 1},       {"mp3.cbr", A_PCM, 0, 2, 1},   {"mp3.vbr", A_PCM, 0, 2, 1},
    {"mp3.abr", A_PCM, 0, 2, 1},   {"mp3.fxp", A_PCM, 0, 2, 0},   {"shine", A_PCM, 0, 2, 0},
    {"wav", A_PCM, 0, 2, 1},       {"flac", A_PCM, 0, 2, 0},      {"vorbis", A_PCM, 0, 2, 1},
    {"vorbis.cbr", A_PCM, 0, 2, 1}, {"vorbis.abr", A_PCM, 0, 2, 1}, {"opus", A_PCM, 0, 2, 1},
    {"speex", A_PCM, 0, 2, 0},     {"fdkaac", A_PCM, 0, 2, 0},    {"external", A_PCM, 0, 2, 0},
    /* 2.1.3 types %theora alone with a stereo audio track too. */
    {"theora", A_PCM, 1, 2, 0},    {"avi", A_PCM, 1, 2, 0},       {"ndi", A_PCM, 1, 2, 0},
    {"ogg", A_CONTAINER_OGG, 0, 0, 1}, {"ffmpeg", A_CONTAINER_FFMPEG, 0, 0, 1},
};

static const struct enc_desc *find(const char *name)
{
  for (size_t i = 0; i < sizeof encoders / sizeof encoders[0]; i++)
    if (strcmp(encoders[i].name, name) == 0) return &encoders[i];
  return NULL;
}

int liq_enctype_known(const char *name)
{
  if (name[0] == '%') name++;
  const struct enc_desc *d = find(name);
  return d && d->built;
}

static liq_type *content(const char *kind, const char *param)
{
  if (!param) return liq_ty_constr(kind, NULL, 0);
  liq_ty_arg a = {NULL, liq_ty_named(param)};
  return liq_ty_constr(kind, &a, 1);
}

static liq_type *pcm(int channels)
{
  switch (channels) {
  case 1: return content("pcm", "mono");
  case 2: return content("pcm", "stereo");
  case 6: return content("pcm", "5.1");
  default: return NULL;
  }
}

static liq_type *format(liq_type *audio, liq_type *video)
{
  liq_ty_arg args[3] = {{"audio", audio ? audio : content("none", NULL)},
                        {"video", video ? video : content("none", NULL)},
                        {"midi", content("none", NULL)}};
  return liq_ty_constr("format", args, 3);
}

/* The channel count given by e's parameters (default dflt), or -1 with a
 * message when it is not a literal. */
static int channels_of(const liq_ast *e, int dflt, char *msg, size_t size)
{
  int ch = dflt;
  for (int i = 0; i < e->u.enc.nparams; i++) {
    const liq_ast_enc_param *p = &e->u.enc.params[i];
    if (p->flag) {
      if (!strcmp(p->flag, "mono")) ch = 1;
      else if (!strcmp(p->flag, "stereo")) ch = 2;
      continue;
    }
    if (!p->label || !p->value) continue;
    int is_mono = !strcmp(p->label, "mono"), is_stereo = !strcmp(p->label, "stereo");
    if (is_mono || is_stereo) {
      if (p->value->kind != LIQ_AST_BOOL) {
        snprintf(msg, size, "`%s` must be a literal `true` or `false`: the format's type depends on it",
                 p->label);
        return -1;
      }
      ch = (is_mono == (p->value->u.b != 0)) ? 1 : 2;
    } else if (!strcmp(p->label, "channels") || !strcmp(p->label, "ac")) {
      if (p->value->kind != LIQ_AST_INT) {
        snprintf(msg, size, "`%s` must be a literal integer: the format's type depends on it",
                 p->label);
        return -1;
      }
      ch = (int)p->value->u.i;
    }
  }
  return ch;
}

static liq_type *pcm_of(const liq_ast *e, int dflt, char *msg, size_t size)
{
  int ch = channels_of(e, dflt, msg, size);
  if (ch < 0) return NULL;
  liq_type *t = pcm(ch);
  if (!t) snprintf(msg, size, "unsupported number of channels: %d (use 1, 2 or 6)", ch);
  return t;
}

liq_type *liq_enctype_of(const liq_ast *e, char *msg, size_t size)
{
  const char *name = e->u.enc.name;
  if (name[0] == '%') name++;
  const struct enc_desc *d = find(name);
  if (!d) {
    snprintf(msg, size, "unsupported encoder `%%%s`", name);
    return NULL;
  }
  liq_type *audio = NULL, *video = NULL;
  if (d->audio == A_PCM) {
    audio = pcm_of(e, d->channels, msg, size);
    if (!audio) return NULL;
    if (d->video) video = content("canvas", NULL);
    return format(audio, video);
  }
  for (int i = 0; i < e->u.enc.nparams; i++) {
    const liq_ast *sub = e->u.enc.params[i].value;
    if (!sub || sub->kind != LIQ_AST_ENCODER || e->u.enc.params[i].label) continue;
    const char *sn = sub->u.enc.name[0] == '%' ? sub->u.enc.name + 1 : sub->u.enc.name;
    if (d->audio == A_CONTAINER_OGG) {
      const struct enc_desc *sd = find(sn);
      if (!sd || sd->audio != A_PCM) {
        snprintf(msg, size, "`%%%s` cannot be put in an ogg container", sn);
        return NULL;
      }
      if (!strcmp(sn, "theora")) video = content("canvas", NULL);
      else if (!(audio = pcm_of(sub, sd->channels, msg, size))) return NULL;
      continue;
    }
    /* %ffmpeg: tracks named after their media (%audio, %video.copy, ...). */
    const char *dot = strchr(sn, '.');
    const char *mode = dot ? dot + 1 : "";
    int is_video = strstr(sn, "video") != NULL, is_audio = strstr(sn, "audio") != NULL;
    if (!is_audio && !is_video) {
      snprintf(msg, size, "`%%%s`: an ffmpeg track must be named after its media (%%audio, %%video)", sn);
      return NULL;
    }
    liq_type *t;
    if (!strcmp(mode, "copy")) t = content(is_video ? "ffmpeg.video.copy" : "ffmpeg.audio.copy", NULL);
    else if (!strcmp(mode, "raw")) t = content(is_video ? "ffmpeg.video.raw" : "ffmpeg.audio.raw", NULL);
    else if (is_video) t = content("canvas", NULL);
    else if (!(t = pcm_of(sub, 2, msg, size))) return NULL;
    if (is_video) video = t;
    else audio = t;
  }
  return format(audio, video);
}
