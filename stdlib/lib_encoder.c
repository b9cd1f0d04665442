/* lib_encoder: encoder literals (%mp3(...), %wav, %ogg(%vorbis)...) as
 * opaque format values. Nothing encodes yet: the value only records the
 * normalised parameters and prints them the way 2.1.3 does, defaults
 * included for the common encoders. */
#include "config.h"

#include <string.h>

#include "lang/eval_internal.h"
#include "stdlib/lib.h"
#include "runtime/mem.h"

typedef struct { char *text; } fmt_payload;

static void fmt_finalize(void *p) { liq_mem_free(((fmt_payload *)p)->text); }
static void fmt_print(void *p, liq_sb *sb) { liq_sb_puts(sb, ((fmt_payload *)p)->text); }
static const liq_custom_ops fmt_ops = {"format", NULL, fmt_finalize, fmt_print};

/* Defaults, in 2.1.3's print order. A NULL key is a flag slot (stereo). */
typedef struct { const char *name; const char *defaults[8]; } enc_defaults;
static const enc_defaults known[] = {
  {"mp3", {"#stereo", "bitrate=128", "samplerate=44100", "id3v2=false"}},
  {"mp3.cbr", {"#stereo", "bitrate=128", "samplerate=44100", "id3v2=false"}},
  {"mp3.vbr", {"#stereo", "quality=4", "samplerate=44100", "id3v2=false"}},
  {"mp3.abr", {"#stereo", "bitrate=128", "samplerate=44100", "id3v2=false"}},
  {"wav", {"samplerate=44100", "channels=2", "samplesize=16", "header=true"}},
  {"flac", {"channels=2", "bits_per_sample=16", "samplerate=44100", "compression=5"}},
  {"vorbis", {"quality=0.30", "channels=2", "samplerate=44100"}},
  {"opus", {"vbr=\"constrained\"", "birate=\"auto\"", "channels=2", "samplerate=48000", "frame_size=20.00", "dtx=false", "phase_inversion=true"}},
  {"ogg", {NULL}},
  {"ffmpeg", {NULL}},
  {"fdkaac", {"channels=2", "samplerate=44100", "bitrate=64", "aot=\"mpeg4_aac_lc\""}},
  {"shine", {"channels=2", "samplerate=44100", "bitrate=128"}},
  {"speex", {NULL}},
  {"external", {NULL}},
  {"audio.raw", {NULL}},
};

static void render(const liq_ast *e, liq_value env, liq_sb *out);

static void render_value(const liq_ast *v, liq_value env, liq_sb *out)
{
  (void)env;
  /* Parameters are literals in practice; print literal nodes directly so
   * rendering needs no evaluation. */
  switch (v->kind) {
  case LIQ_AST_INT: liq_sb_printf(out, "%lld", (long long)v->u.i); break;
  case LIQ_AST_FLOAT: liq_sb_printf(out, "%.2f", v->u.f); break;
  case LIQ_AST_STRING: liq_value_print_quoted(out, v->u.str.s, v->u.str.len); break;
  case LIQ_AST_BOOL: liq_sb_puts(out, v->u.b ? "true" : "false"); break;
  case LIQ_AST_ENCODER: render(v, env, out); break;
  case LIQ_AST_VAR: liq_sb_puts(out, v->u.var.name); break;
  default: liq_sb_puts(out, "<expr>"); break;
  }
}

static void render(const liq_ast *e, liq_value env, liq_sb *out)
{
  const char *name = e->u.enc.name;
  const enc_defaults *d = NULL;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp(known[i].name, name) == 0) d = &known[i];
  int np = e->u.enc.nparams;
  int *used = liq_mem_calloc((size_t)(np ? np : 1), sizeof(int));
  liq_sb_printf(out, "%%%s", name);
  liq_sb body = LIQ_SB_INIT;
  int first = 1;
#define SEP() do { if (!first) liq_sb_putc(&body, ','); first = 0; } while (0)
  for (int k = 0; d && k < 8 && d->defaults[k]; k++) {
    const char *def = d->defaults[k];
    if (def[0] == '#') {
      /* a flag slot: stereo/mono as given, else the default */
      const char *flag = def + 1;
      for (int i = 0; i < np; i++)
        if (!used[i] && e->u.enc.params[i].flag &&
            (!strcmp(e->u.enc.params[i].flag, "mono") || !strcmp(e->u.enc.params[i].flag, "stereo"))) {
          flag = e->u.enc.params[i].flag;
          used[i] = 1;
        }
      SEP();
      liq_sb_puts(&body, flag);
      continue;
    }
    const char *eq = strchr(def, '=');
    size_t kl = (size_t)(eq - def);
    int given = -1;
    for (int i = 0; i < np; i++)
      if (!used[i] && e->u.enc.params[i].label && strlen(e->u.enc.params[i].label) == kl &&
          !strncmp(e->u.enc.params[i].label, def, kl))
        given = i;
    SEP();
    if (given >= 0) {
      used[given] = 1;
      liq_sb_append(&body, def, kl + 1);
      render_value(e->u.enc.params[given].value, env, &body);
    } else liq_sb_puts(&body, def);
  }
  for (int i = 0; i < np; i++) {
    if (used[i]) continue;
    const liq_ast_enc_param *p = &e->u.enc.params[i];
    SEP();
    if (p->label) {
      liq_sb_printf(&body, "%s=", p->label);
      render_value(p->value, env, &body);
    } else if (p->flag) liq_sb_puts(&body, p->flag);
    else if (p->value) render_value(p->value, env, &body);
  }
#undef SEP
  if (body.len > 0 || e->u.enc.has_params || d) {
    liq_sb_putc(out, '(');
    liq_sb_append(out, liq_sb_str(&body), body.len);
    liq_sb_putc(out, ')');
  }
  liq_sb_free(&body);
  liq_mem_free(used);
}

liq_value liq_lib_encoder_value(const liq_ast *e, liq_value env)
{
  liq_sb sb = LIQ_SB_INIT;
  render(e, env, &sb);
  liq_value v = liq_gc_custom_new(&fmt_ops, sizeof(fmt_payload), sb.len + 1);
  ((fmt_payload *)liq_gc_custom_payload(v))->text = liq_sb_take(&sb);
  return v;
}

