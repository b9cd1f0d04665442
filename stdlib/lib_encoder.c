/* lib_encoder: encoder literals (%mp3(...), %wav, %ogg(%vorbis)...) as
 * format values: a GC custom block owning a liq_enc_format
 * (runtime/codec/encoder.h), its parameters typed by the codec registry.
 * The type checker has already rejected unknown parameters and wrong types
 * of literal values; values computed at run time are checked here. Outputs
 * read the structure (liq_lib_format_of); printing gives 2.1.3's form. */
#include "config.h"

#include <string.h>

#include "lang/eval_internal.h"
#include "runtime/codec/encoder.h"
#include "runtime/mem.h"
#include "stdlib/lib.h"

typedef struct {
  liq_enc_format *fmt;
} fmt_payload;

static void fmt_finalize(void *p) { liq_enc_format_free(((fmt_payload *)p)->fmt); }
static void fmt_print(void *p, liq_sb *sb) { liq_enc_format_print(((fmt_payload *)p)->fmt, sb); }
static const liq_custom_ops fmt_ops = {"format", NULL, fmt_finalize, fmt_print};

static void bad_type(const liq_encoder_kind *k, const char *name, liq_ep_type want)
{
  liq_eval_raise("invalid", "%%%s: parameter `%s` takes a %s", k->name, name, liq_ep_type_name(want));
}

/* Stores value v as parameter `name` of f, typed by the registry. */
static void add_param(liq_enc_format *f, const char *name, liq_value v)
{
  const liq_encoder_kind *k = f->kind;
  const liq_ep_desc *d = k->params ? liq_encoder_kind_param(k, name) : NULL;
  if (k->params && !d) {
    liq_sb sb = LIQ_SB_INIT;
    liq_encoder_kind_param_names(k, &sb);
    liq_value *names = liq_eval_push(liq_v_cstring(liq_sb_str(&sb)));
    liq_sb_free(&sb);
    liq_eval_raise("invalid", "%%%s has no parameter `%s` (valid: %s)", k->name, name,
                   liq_v_string_bytes(*names));
  }
  liq_value b = liq_v_base(v);
  liq_kind vk = liq_value_kind(b);
  liq_ep_type t;
  if (d) t = d->type == LIQ_EP_INT && d->choices && vk == LIQ_K_STRING ? LIQ_EP_STRING : d->type;
  else if (vk == LIQ_K_INT) t = LIQ_EP_INT;
  else if (vk == LIQ_K_FLOAT) t = LIQ_EP_FLOAT;
  else if (vk == LIQ_K_BOOL) t = LIQ_EP_BOOL;
  else if (vk == LIQ_K_STRING) t = LIQ_EP_STRING;
  else liq_eval_raise("invalid", "%%%s: parameter `%s` must be a number, a string or a bool", k->name, name);
  liq_ep p = {0};
  p.type = t;
  switch (t) {
  case LIQ_EP_BOOL:
    if (vk != LIQ_K_BOOL) bad_type(k, name, t);
    p.u.i = b == LIQ_TRUE;
    break;
  case LIQ_EP_INT:
    if (vk != LIQ_K_INT) bad_type(k, name, t);
    p.u.i = liq_v_int_val(b);
    break;
  case LIQ_EP_FLOAT:
    if (vk == LIQ_K_INT) p.u.f = (double)liq_v_int_val(b);
    else if (vk == LIQ_K_FLOAT) p.u.f = liq_v_float_val(b);
    else bad_type(k, name, t);
    break;
  case LIQ_EP_STRING:
    if (vk != LIQ_K_STRING) bad_type(k, name, t);
    if (d && !liq_ep_choice_ok(d, liq_v_string_bytes(b)))
      liq_eval_raise("invalid", "%%%s: invalid %s \"%s\" (one of %s)", k->name, name,
                     liq_v_string_bytes(b), d->choices);
    break;
  default: bad_type(k, name, t);
  }
  /* Only now allocate: the raises above leak nothing. */
  liq_ep *slot = liq_enc_format_add(f, name, t);
  slot->u = p.u;
  if (t == LIQ_EP_STRING) slot->u.s = liq_mem_strdup(liq_v_string_bytes(b));
}

/* The format of a value built by liq_lib_encoder_value (borrowed from
 * the value), or NULL. */
const liq_enc_format *liq_lib_format_of(liq_value v)
{
  v = liq_v_base(v);
  if (liq_value_kind(v) != LIQ_K_CUSTOM || liq_gc_custom_ops(v) != &fmt_ops) return NULL;
  return ((fmt_payload *)liq_gc_custom_payload(v))->fmt;
}

liq_value liq_lib_encoder_value(const liq_ast *e, const liq_value *vals)
{
  const liq_encoder_kind *k = liq_encoder_kind_find(e->u.enc.name);
  if (!k) liq_eval_raise("invalid", "unsupported encoder %s", e->u.enc.name);
  /* The value first: its finalizer frees the format if a parameter raises. */
  liq_value *v = liq_eval_push(liq_gc_custom_new(&fmt_ops, sizeof(fmt_payload), 0));
  fmt_payload *pl = liq_gc_custom_payload(*v);
  pl->fmt = liq_enc_format_new(k, e->u.enc.has_params);
  for (int i = 0; i < e->u.enc.nparams; i++) {
    const liq_ast_enc_param *p = &e->u.enc.params[i];
    if (p->flag) {
      add_param(pl->fmt, p->flag, LIQ_TRUE);
    } else if (p->label) {
      add_param(pl->fmt, p->label, vals[i]);
    } else if (p->value) {
      const liq_enc_format *sub = liq_lib_format_of(vals[i]);
      if (!sub) liq_eval_raise("invalid", "%%%s: a nested parameter must be an encoder", k->name);
      /* Nested formats are copied: the value may be shared. */
      liq_ep *slot = liq_enc_format_add(pl->fmt, NULL, LIQ_EP_ENCODER);
      slot->u.enc = liq_enc_format_copy(sub);
    }
  }
  liq_gc_set_external(*v, sizeof(liq_enc_format) + (size_t)pl->fmt->n * sizeof(liq_ep));
  liq_eval_pop(1);
  return *v;
}
