/* tc_annot: types written in scripts and in the builtin tables, as checker
 * types (tc_internal.h).
 *
 * An annotation (`(x : int)`, `def f(~x : string) =`, a builtin's type
 * string once parsed) is a liq_ast_type; it becomes a liq_type at the
 * checker's current level, with 'a naming the same variable throughout
 * one annotation. Source types keep the 2.1 tracks (audio, video, midi)
 * first, in that order. */
#include "lang/tc_internal.h"

#include <string.h>

/* The type variable named name ('a without the quote) in vs. */
static liq_type *named_var(tc *c, const char *name, tyvars *vs)
{
  for (int i = 0; i < vs->n; i++)
    if (strcmp(vs->names[i], name) == 0) return vs->vars[i];
  liq_type *v = liq_ty_var(c->level);
  if (vs->n < 64) {
    vs->names[vs->n] = name;
    vs->vars[vs->n++] = v;
  }
  return v;
}

/* A content argument is kept as written: stereo, 2, or a variable 'a
 * (pcm('a): any channel layout). internal('a) is the variable 'a, a
 * content the runtime handles internally. */
static liq_type *content_of_track(tc *c, const liq_ast_track *tr, tyvars *vs)
{
  if (tr->var) return named_var(c, tr->var, vs);
  if (!tr->kind) return liq_ty_var(c->level);
  if (strcmp(tr->kind, "internal") == 0 && tr->nargs == 1 && tr->args[0].value[0] == '\'') {
    liq_type *v = liq_ty_deref(named_var(c, tr->args[0].value + 1, vs));
    if (v->kind == LIQ_T_VAR) v->u.var.constraints |= LIQ_TY_C_INTERNAL;
    return v;
  }
  liq_ty_arg args[16];
  int n = tr->nargs < 16 ? tr->nargs : 16;
  for (int i = 0; i < n; i++) {
    args[i].label = tr->args[i].label;
    const char *v = tr->args[i].value;
    args[i].type = v[0] == '\'' ? named_var(c, v + 1, vs) : liq_ty_named(v);
  }
  liq_type *k = liq_ty_constr(liq_ty_strdup(tr->kind), args, n);
  k->u.constr.has_args = tr->has_args;
  return k;
}

/* source(audio=..., video=..., midi=...): the three 2.1 tracks, in order;
 * other written tracks follow. A track not written is a fresh variable. */
static liq_type *source_type(tc *c, const liq_ast_type *t, tyvars *vs)
{
  static const char *const std[3] = {"audio", "video", "midi"};
  const char *ctor = t->u.source.ctor ? t->u.source.ctor : "source";
  int n = t->u.source.ntracks > 0 ? t->u.source.ntracks : 0;
  liq_ty_arg *args = liq_ty_alloc(sizeof(liq_ty_arg) * (size_t)(n + 3));
  int k = 0;
  for (int s = 0; s < 3; s++) {
    args[k].label = std[s];
    args[k].type = NULL;
    for (int i = 0; i < n; i++)
      if (t->u.source.tracks[i].track && strcmp(t->u.source.tracks[i].track, std[s]) == 0)
        args[k].type = content_of_track(c, &t->u.source.tracks[i], vs);
    if (!args[k].type) args[k].type = liq_ty_var_c(c->level, LIQ_TY_C_INTERNAL);
    k++;
  }
  for (int i = 0; i < n; i++) {
    const char *tn = t->u.source.tracks[i].track;
    if (tn && (!strcmp(tn, "audio") || !strcmp(tn, "video") || !strcmp(tn, "midi"))) continue;
    args[k].label = tn ? liq_ty_strdup(tn) : NULL;
    args[k].type = content_of_track(c, &t->u.source.tracks[i], vs);
    k++;
  }
  return liq_ty_constr(strcmp(ctor, "format") == 0 ? "format" : "source", args, k);
}

static liq_type *of_ast_fields(tc *c, liq_type *base, const liq_ast_type_field *fields, int n,
                               tyvars *vs)
{
  liq_type *t = base;
  for (int i = n - 1; i >= 0; i--) {
    liq_type *ft = liq_tc_of_ast_type(c, fields[i].type, vs);
    t = liq_ty_meth(liq_ty_strdup(fields[i].name), NULL, 0, ft, t);
    t->u.meth.optional = fields[i].optional;
    t->u.meth.json_name = liq_ty_strdup(fields[i].json_name);
  }
  return t;
}

liq_type *liq_tc_of_ast_type(tc *c, const liq_ast_type *t, tyvars *vs)
{
  liq_type *r = NULL;
  switch (t->kind) {
  case LIQ_TY_NAME: {
    const char *n = t->u.name.name;
    int na = t->u.name.nargs;
    if (na == 0) {
      if (!strcmp(n, "int")) r = liq_ty_ground(LIQ_T_INT);
      else if (!strcmp(n, "float")) r = liq_ty_ground(LIQ_T_FLOAT);
      else if (!strcmp(n, "string")) r = liq_ty_ground(LIQ_T_STRING);
      else if (!strcmp(n, "bool")) r = liq_ty_ground(LIQ_T_BOOL);
      else if (!strcmp(n, "unit")) r = liq_ty_unit();
      else if (!strcmp(n, "never")) r = liq_ty_ground(LIQ_T_NEVER);
      else r = liq_ty_named(n);
    } else if (!strcmp(n, "getter") && na == 1) {
      r = liq_ty_getter(liq_tc_of_ast_type(c, t->u.name.args[0], vs));
    } else {
      liq_ty_arg *args = liq_ty_alloc(sizeof(liq_ty_arg) * (size_t)na);
      for (int i = 0; i < na; i++) args[i].type = liq_tc_of_ast_type(c, t->u.name.args[i], vs);
      r = liq_ty_constr(liq_ty_strdup(n), args, na);
    }
    break;
  }
  case LIQ_TY_VAR:
    for (int i = 0; i < vs->n; i++)
      if (strcmp(vs->names[i], t->u.var.name) == 0) return vs->vars[i];
    r = liq_ty_var(c->level);
    if (vs->n < 64) {
      vs->names[vs->n] = t->u.var.name;
      vs->vars[vs->n++] = r;
    }
    break;
  case LIQ_TY_WILD:
    r = liq_ty_var(c->level);
    break;
  case LIQ_TY_NULLABLE:
    r = liq_ty_nullable(liq_tc_of_ast_type(c, t->u.nullable.inner, vs));
    break;
  case LIQ_TY_LIST: {
    liq_type *e = liq_tc_of_ast_type(c, t->u.list.elem, vs);
    if (t->u.list.json_object) e = liq_ty_pair(liq_ty_ground(LIQ_T_STRING), e);
    r = liq_ty_list(e);
    break;
  }
  case LIQ_TY_TUPLE: {
    liq_type **items = liq_ty_alloc(sizeof(liq_type *) * (size_t)(t->u.tuple.nitems + 1));
    for (int i = 0; i < t->u.tuple.nitems; i++)
      items[i] = liq_tc_of_ast_type(c, t->u.tuple.items[i], vs);
    r = liq_ty_tuple(items, t->u.tuple.nitems);
    break;
  }
  case LIQ_TY_ARROW: {
    int n = t->u.arrow.nparams;
    liq_ty_param *ps = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
      ps[i].label = liq_ty_strdup(t->u.arrow.params[i].label);
      ps[i].optional = t->u.arrow.params[i].optional;
      ps[i].type = liq_tc_of_ast_type(c, t->u.arrow.params[i].type, vs);
    }
    r = liq_ty_arrow(ps, n, liq_tc_of_ast_type(c, t->u.arrow.ret, vs));
    break;
  }
  case LIQ_TY_RECORD:
    r = of_ast_fields(c, liq_ty_unit(), t->u.record.fields, t->u.record.nfields, vs);
    break;
  case LIQ_TY_METH: {
    liq_type *base = liq_tc_of_ast_type(c, t->u.meth.base, vs);
    if (t->u.meth.optional_base) base = liq_ty_nullable(base);
    r = of_ast_fields(c, base, t->u.meth.fields, t->u.meth.nfields, vs);
    break;
  }
  case LIQ_TY_SOURCE:
    if (!t->u.source.has_tracks || t->u.source.wild) {
      liq_ty_arg args[3] = {{"audio", liq_ty_var_c(c->level, LIQ_TY_C_INTERNAL)},
                            {"video", liq_ty_var_c(c->level, LIQ_TY_C_INTERNAL)},
                            {"midi", liq_ty_var_c(c->level, LIQ_TY_C_INTERNAL)}};
      const char *ctor = t->u.source.ctor && !strcmp(t->u.source.ctor, "format") ? "format" : "source";
      r = liq_ty_constr(ctor, args, 3);
    } else {
      r = source_type(c, t, vs);
    }
    break;
  }
  if (!c->no_pos) r->pos = t->span;
  return r;
}
