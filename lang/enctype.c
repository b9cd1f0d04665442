/* enctype: static types of encoder literals; see enctype.h. */
#include "lang/enctype.h"

#include <stdio.h>
#include <string.h>

#include "runtime/codec/encoder.h"

/* Kinds, channel defaults and whether this build has an encoder come from
 * the codec registry (runtime/codec/registry.c). */
int liq_enctype_known(const char *name)
{
  return liq_encoder_kind_built(liq_encoder_kind_find(name));
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
  const liq_encoder_kind *d = liq_encoder_kind_find(name);
  if (!d || d->media == LIQ_ENC_TRACK) {
    snprintf(msg, size, "unsupported encoder `%%%s`", name);
    return NULL;
  }
  liq_type *audio = NULL, *video = NULL;
  if (d->media == LIQ_ENC_PCM || d->media == LIQ_ENC_VIDEO) {
    audio = pcm_of(e, d->channels, msg, size);
    if (!audio) return NULL;
    if (d->media == LIQ_ENC_VIDEO) video = content("canvas", NULL);
    return format(audio, video);
  }
  for (int i = 0; i < e->u.enc.nparams; i++) {
    const liq_ast *sub = e->u.enc.params[i].value;
    if (!sub || sub->kind != LIQ_AST_ENCODER || e->u.enc.params[i].label) continue;
    const char *sn = sub->u.enc.name[0] == '%' ? sub->u.enc.name + 1 : sub->u.enc.name;
    if (d->media == LIQ_ENC_OGG) {
      const liq_encoder_kind *sd = liq_encoder_kind_find(sn);
      if (!sd || (sd->media != LIQ_ENC_PCM && sd->media != LIQ_ENC_VIDEO)) {
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
