/* typecheck: inference over the AST; see typecheck.h.
 *
 * Structure: the program's bindings and warnings, suggestions, error
 * reporting, then one function per construct. The environment and its
 * builtins are in tc_env.c, the conversion of written types in tc_annot.c
 * (tc_internal.h). Surface sugar is typed directly rather than desugared, so
 * errors point at what the user wrote; operators are typed as calls of
 * their builtin (`+`, `==`, `_::_`, ...), which the tables declare. */
#include "lang/tc_internal.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/builtins.h"
#include "lang/diag.h"
#include "lang/enctype.h"
#include "lang/fallible.h"
#include "lang/frontend.h"
#include "runtime/codec/encoder.h"
#include "runtime/mem.h"
#include "runtime/strbuf.h"

/* --- Bindings and warnings ------------------------------------------------- */

typedef struct pending_warning {
  liq_span span;
  const char *code, *hint;
  char msg[512];
} pending_warning;

static const char *env_name(liq_tc_env *env, const char *name)
{
  return liq_ast_strndup(env->arena, name, strlen(name));
}

static void record_top(tc *c, const char *name, liq_type *type, liq_span span)
{
  liq_tc_env *env = c->env;
  if (env->ntop == env->captop) {
    env->captop = env->captop ? 2 * env->captop : 64;
    env->top = liq_mem_realloc(env->top, sizeof(liq_tc_binding) * (size_t)env->captop);
  }
  env->top[env->ntop++] = (liq_tc_binding){name, type, span};
}

/* A binding written in the checked program: warned about when unused,
 * unless its name starts with `_`. */
static void env_push_user(tc *c, const char *name, liq_type *type, liq_span span)
{
  liq_tc_env_push(c->env, name, type, span);
  c->env->stack[c->env->n - 1].warn = c->warnings && name[0] != '_';
}

/* Warnings wait in c->pending until the program is checked: they are
 * printed in source order, and only when it has no error (an error makes
 * them noise). */
static void warn_at(tc *c, liq_span span, const char *code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void warn_at(tc *c, liq_span span, const char *code, const char *hint, const char *fmt, ...)
{
  if (!c->warnings) return;
  if (c->npending == c->cappending) {
    c->cappending = c->cappending ? 2 * c->cappending : 16;
    c->pending = liq_mem_realloc(c->pending, sizeof *c->pending * (size_t)c->cappending);
  }
  pending_warning *w = &c->pending[c->npending++];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w->msg, sizeof w->msg, fmt, ap);
  va_end(ap);
  w->span = span;
  w->code = code;
  w->hint = hint;
}

static int warning_order(const void *a, const void *b)
{
  const pending_warning *x = a, *y = b;
  if (x->span.file != y->span.file) return x->span.file < y->span.file ? -1 : 1;
  if (x->span.line != y->span.line) return x->span.line < y->span.line ? -1 : 1;
  return (x->span.col > y->span.col) - (x->span.col < y->span.col);
}

static void flush_warnings(tc *c)
{
  if (c->errors == 0 && c->npending > 0) {
    qsort(c->pending, (size_t)c->npending, sizeof *c->pending, warning_order);
    for (int i = 0; i < c->npending; i++) {
      pending_warning *w = &c->pending[i];
      liq_diag(LIQ_DIAG_WARNING, w->span, w->code, w->hint, "%s", w->msg);
    }
  }
  liq_mem_free(c->pending);
}

/* Warns about the unused bindings from mark up, then leaves them to the
 * caller (which pops them or keeps the top level's). Functions are not
 * warned about (as in 2.1.3: a library of defs is normal). At the top
 * level only sources are: top-level bindings are what a script defines
 * (for -i, for the scripts after it), but a source nobody uses is a
 * mistake (2.1.3 warns about every unused top-level variable). */
static void warn_unused(tc *c, int mark, int toplevel)
{
  for (int i = mark; i < c->env->n; i++) {
    binding *b = &c->env->stack[i];
    if (!b->warn || b->used) continue;
    b->warn = 0;
    liq_type *d = liq_ty_demeth(b->type);
    if (d->kind == LIQ_T_ARROW) continue;
    if (d->kind == LIQ_T_CONSTR && strcmp(d->u.constr.name, "source") == 0)
      warn_at(c, b->span, "unused", "give it to an output (or start its name with `_` if that is meant)",
              "unused source `%s`: it is never used, so it will not play", b->name);
    else if (!toplevel)
      warn_at(c, b->span, "unused", NULL, "unused variable `%s`", b->name);
  }
}

static void pop_scope(tc *c, int mark)
{
  warn_unused(c, mark, 0);
  c->env->n = mark;
}

/* --- Suggestions ----------------------------------------------------------- */

/* Edit distance with adjacent transpositions counting one ("alpah" is one
 * edit from "alpha"). */
static int edit_distance(const char *a, const char *b)
{
  size_t n = strlen(a), m = strlen(b);
  if (n > 64 || m > 64) return 99;
  int d[65][65];
  for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
  for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
  for (size_t i = 1; i <= n; i++)
    for (size_t j = 1; j <= m; j++) {
      int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
        best = d[i - 2][j - 2] + 1;
      d[i][j] = best;
    }
  return d[n][m];
}

typedef struct {
  const char *best;
  int dist;
  const char *target;
  int short_ok; /* few candidates (fields, labels): one-letter names may match */
} suggest;

static void suggest_init(suggest *s, const char *target)
{
  s->best = NULL;
  s->dist = 1000;
  s->target = target;
  s->short_ok = 0;
}

static void suggest_try(suggest *s, const char *name)
{
  /* Only identifiers (no operators, no internal `_x_` names). */
  if (!name || strcmp(name, s->target) == 0 || !isalpha((unsigned char)name[0])) return;
  int d = edit_distance(s->target, name);
  int max = (int)strlen(s->target) / 3;
  if (max < 1) max = strlen(s->target) > 2 || s->short_ok ? 1 : 0;
  if (max > 3) max = 3;
  if (d <= max && d < s->dist) {
    s->dist = d;
    s->best = name;
  }
}

/* "did you mean `x`?" in buf, or NULL. */
static const char *suggest_hint(suggest *s, char *buf, size_t size)
{
  if (!s->best) return NULL;
  snprintf(buf, size, "did you mean `%s`?", s->best);
  return buf;
}

/* --- Errors ---------------------------------------------------------------- */

static void error_at(tc *c, liq_span span, const char *code, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void error_at(tc *c, liq_span span, const char *code, const char *hint, const char *fmt, ...)
{
  c->errors++;
  if (c->quiet) return;
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  liq_diag(LIQ_DIAG_ERROR, span, code, hint, "%s", msg);
}

static void note_at(tc *c, liq_span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void note_at(tc *c, liq_span span, const char *fmt, ...)
{
  if (c->quiet) return;
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  liq_diag(LIQ_DIAG_NOTE, span, "type", NULL, "%s", msg);
}

/* Records in messages show at most this many fields: a module has dozens,
 * and the one that matters is named in the message anyway. */
#define ERR_MAX_FIELDS 4

static void printer_for_errors(liq_ty_printer *p)
{
  liq_ty_printer_init(p);
  p->max_fields = ERR_MAX_FIELDS;
}

static char *show(liq_ty_printer *p, liq_type *t)
{
  liq_sb sb = LIQ_SB_INIT;
  liq_ty_printer_prepare(p, t);
  liq_ty_print(&sb, p, t);
  return liq_sb_take(&sb);
}

static int span_valid(liq_span s) { return s.file >= 0 && s.line > 0; }

static int same_span(liq_span a, liq_span b)
{
  return a.file == b.file && a.start == b.start && a.end == b.end;
}

/* Reports a failed `value <: expected` check on the value at `where`. */
static void report_sub(tc *c, liq_span where, liq_ty_err *e, const char *what)
{
  liq_ty_printer p;
  printer_for_errors(&p);
  const char *subject = what ? what : "this value";
  switch (e->kind) {
  case LIQ_TY_ERR_NO_METHOD: {
    suggest s;
    suggest_init(&s, e->name);
    s.short_ok = 1;
    const char *names[256];
    int n = liq_ty_meth_names(e->left, names, 256);
    for (int i = 0; i < n && i < 256; i++) suggest_try(&s, names[i]);
    char hint[512];
    if (n <= ERR_MAX_FIELDS) {
      char *l = show(&p, e->left);
      error_at(c, where, "type", suggest_hint(&s, hint, sizeof hint),
               "%s has no method `%s` (its type is `%s`)", subject, e->name, l);
      liq_mem_free(l);
    } else {
      error_at(c, where, "type", suggest_hint(&s, hint, sizeof hint), "%s has no method `%s`",
               subject, e->name);
    }
    break;
  }
  case LIQ_TY_ERR_CONSTRAINT: {
    char *l = show(&p, e->left);
    error_at(c, where, "type",
             e->constraint & LIQ_TY_C_ORD ? "functions, sources and getters cannot be compared"
                                          : NULL,
             "%s has type `%s` but should be %s", subject, l,
             liq_ty_constraint_name(e->constraint));
    liq_mem_free(l);
    break;
  }
  case LIQ_TY_ERR_OCCURS: {
    char *l = show(&p, e->left), *r = show(&p, e->right);
    error_at(c, where, "type", NULL,
             "%s has type `%s` but should have type `%s`, which contains it (infinite type)",
             subject, l, r);
    liq_mem_free(l);
    liq_mem_free(r);
    break;
  }
  case LIQ_TY_ERR_MISMATCH: {
    char *l = show(&p, e->left), *r = show(&p, e->right);
    error_at(c, where, "type", NULL, "%s has type `%s` but should have type `%s`", subject, l, r);
    liq_type *leaf = liq_ty_deref(e->leaf_right);
    if (span_valid(leaf->pos) && !same_span(leaf->pos, where)) {
      char *lr = show(&p, leaf);
      note_at(c, leaf->pos, "type `%s` expected because of this", lr);
      liq_mem_free(lr);
    }
    liq_mem_free(l);
    liq_mem_free(r);
    break;
  }
  }
  liq_ty_printer_free(&p);
}

/* value <: expected, reporting at `where` on failure. */
static int check_sub(tc *c, liq_type *value, liq_type *expected, liq_span where, const char *what)
{
  liq_ty_err e;
  if (liq_ty_sub(value, expected, &e)) return 1;
  report_sub(c, where, &e, what);
  return 0;
}

/* --- Inference: helpers ---------------------------------------------------- */

static liq_type *infer(tc *c, liq_ast *e);
static liq_type *infer_block(tc *c, liq_ast *blk, int scoped);

static liq_type *fresh(tc *c) { return liq_ty_var(c->level); }

static liq_type *at(liq_type *t, liq_span pos)
{
  t->pos = pos;
  return t;
}

static liq_type *ground_at(liq_ty_kind k, liq_span pos) { return at(liq_ty_ground(k), pos); }

/* Whether the value of e may be generalised (the value restriction). */
static int is_value(const liq_ast *e)
{
  switch (e->kind) {
  case LIQ_AST_INT:
  case LIQ_AST_FLOAT:
  case LIQ_AST_STRING:
  case LIQ_AST_BOOL:
  case LIQ_AST_NULL:
  case LIQ_AST_VAR:
  case LIQ_AST_FUN:
  case LIQ_AST_THUNK:
  case LIQ_AST_ENCODER:
  case LIQ_AST_TIME:
    return 1;
  case LIQ_AST_TUPLE:
  case LIQ_AST_LIST:
    for (int i = 0; i < e->u.items.nitems; i++)
      if (!is_value(e->u.items.items[i])) return 0;
    return 1;
  case LIQ_AST_RECORD:
  case LIQ_AST_METHODS:
    if (e->u.record.base && !is_value(e->u.record.base)) return 0;
    for (int i = 0; i < e->u.record.nfields; i++)
      if (!e->u.record.fields[i].name || !is_value(e->u.record.fields[i].value)) return 0;
    return 1;
  case LIQ_AST_CAST:
    return is_value(e->u.cast.e);
  case LIQ_AST_BLOCK:
    for (int i = 0; i < e->u.block.nstmts; i++) {
      const liq_ast *s = e->u.block.stmts[i];
      if (s->kind == LIQ_AST_LET) {
        if (!is_value(s->u.let.value)) return 0;
      } else if (s->kind != LIQ_AST_IFDEF && !is_value(s)) return 0;
    }
    return 1;
  default:
    return 0;
  }
}

/* The display name of a called expression: f, a.b.f, or NULL. */
static int callee_name(const liq_ast *f, char *buf, size_t size)
{
  if (f->kind == LIQ_AST_VAR) return snprintf(buf, size, "%s", f->u.var.name) < (int)size;
  if (f->kind == LIQ_AST_FIELD) {
    char inner[256];
    if (!callee_name(f->u.field.e, inner, sizeof inner)) return 0;
    return snprintf(buf, size, "%s.%s", inner, f->u.field.name) < (int)size;
  }
  return 0;
}

/* The hint for an undefined name that Liquidsoap 2.x has (a builtin, or a
 * module such as `input`): cliq does not implement it yet. NULL when
 * Liquidsoap has no such name either. */
static const char *upstream_hint(const char *name, char *buf, size_t size)
{
  if (liq_builtins_upstream_has(name))
    snprintf(buf, size, "`%s` is a Liquidsoap 2.x builtin that cliq does not implement yet", name);
  else if (liq_builtins_upstream_module(name))
    snprintf(buf, size, "Liquidsoap 2.x has `%s.*` builtins; cliq does not implement them yet", name);
  else return NULL;
  return buf;
}

/* Looks up a variable, instantiating its scheme. */
static liq_type *lookup_var(tc *c, const char *name, liq_span span, int report)
{
  binding *b = liq_tc_env_find(c->env, name);
  if (!b) {
    if (report) {
      suggest s;
      suggest_init(&s, name);
      for (int i = c->env->n - 1; i >= 0; i--) suggest_try(&s, c->env->stack[i].name);
      char qualified[256];
      if (!s.best) {
        /* `lenght` -> `list.length`: look one level into the modules. */
        const char *names[512];
        for (int i = c->env->n - 1; i >= 0 && !s.best; i--) {
          int n = liq_ty_meth_names(c->env->stack[i].type, names, 512);
          for (int j = 0; j < n && j < 512; j++) {
            suggest_try(&s, names[j]);
            if (s.best == names[j]) {
              snprintf(qualified, sizeof qualified, "%s.%s", c->env->stack[i].name, names[j]);
              s.best = qualified;
              break;
            }
          }
        }
      }
      char hint[512];
      const char *h = upstream_hint(name, hint, sizeof hint);
      error_at(c, span, "unbound", h ? h : suggest_hint(&s, hint, sizeof hint),
               "undefined variable `%s`", name);
    }
    return NULL;
  }
  b->used = 1;
  return liq_ty_instantiate(b->type, c->level);
}

/* The type of method `name` of a value of type t (extending an open
 * record), or NULL after reporting. */
/* A method of a source value: an entry of the method-only table
 * (LIQ_SOURCE_METHOD in builtins.h: is_active, log, fallible : bool...)
 * with its own type, else the builtin source.NAME with s
 * given as its first positional argument (2.1.3's source methods), e.g.
 * source.on_track : (source(..), (metadata) -> unit) -> source(..) makes
 * s.on_track : ((metadata) -> unit) -> unit (a method returning the
 * source returns unit, as in 2.1.3) and source.id :
 * (source(..)) -> string makes s.id : () -> string. NULL when t is not a
 * source or there is no such builtin. */
static liq_type *source_method(tc *c, liq_type *t, const char *name, liq_span where)
{
  liq_type *d = liq_ty_demeth(t);
  if (d->kind != LIQ_T_CONSTR || strcmp(d->u.constr.name, "source") != 0) return NULL;
  liq_type *own = liq_ty_find_meth(c->env->source_methods, name);
  if (own) return liq_ty_instantiate_meth(own, c->level);
  binding *b = liq_tc_env_find(c->env, "source");
  liq_type *m = b ? liq_ty_find_meth(b->type, name) : NULL;
  liq_type *f = m ? liq_ty_deref(liq_ty_instantiate_meth(m, c->level)) : NULL;
  if (!f || f->kind != LIQ_T_ARROW) return NULL;
  int k = 0;
  while (k < f->u.arrow.n && (f->u.arrow.params[k].label || f->u.arrow.params[k].optional)) k++;
  if (k == f->u.arrow.n) return NULL;
  if (!check_sub(c, t, f->u.arrow.params[k].type, where, NULL)) return NULL;
  liq_ty_param params[32];
  int n = 0;
  for (int i = 0; i < f->u.arrow.n && n < 32; i++)
    if (i != k) params[n++] = f->u.arrow.params[i];
  /* source.on_track(s, f) returns s, the method s.on_track(f) unit. */
  liq_type *ret = liq_ty_demeth(f->u.arrow.ret);
  if (ret->kind == LIQ_T_CONSTR && strcmp(ret->u.constr.name, "source") == 0) ret = liq_ty_unit();
  else ret = f->u.arrow.ret;
  return liq_ty_arrow(params, n, ret);
}

static liq_type *field_of(tc *c, liq_type *t, const char *name, liq_span where, liq_span name_span)
{
  liq_type *m = liq_ty_find_meth(t, name);
  if (m) return liq_ty_instantiate_meth(m, c->level);
  liq_type *sm = source_method(c, t, name, where);
  if (sm) return sm;
  liq_type *f = fresh(c);
  liq_type *want = liq_ty_meth(name, NULL, 0, f, fresh(c));
  liq_ty_err e;
  if (liq_ty_sub(t, want, &e)) return f;
  liq_type *d = liq_ty_demeth(t);
  binding *src = liq_tc_env_find(c->env, "source");
  if (e.kind == LIQ_TY_ERR_NO_METHOD && src && d->kind == LIQ_T_CONSTR && strcmp(d->u.constr.name, "source") == 0) {
    /* A source's methods are the source.NAME builtins (source_method). */
    suggest sg;
    suggest_init(&sg, name);
    const char *names[256];
    int n = liq_ty_meth_names(src->type, names, 256);
    for (int i = 0; i < n && i < 256; i++) suggest_try(&sg, names[i]);
    n = liq_ty_meth_names(c->env->source_methods, names, 256);
    for (int i = 0; i < n && i < 256; i++) suggest_try(&sg, names[i]);
    char hint[512];
    error_at(c, name_span, "type", suggest_hint(&sg, hint, sizeof hint), "a source has no method `%s`", name);
    return NULL;
  }
  report_sub(c, where, &e, NULL);
  return NULL;
}

/* --- Application ----------------------------------------------------------- */

typedef struct {
  const char *label;
  liq_type *type;
  liq_span span;
} call_arg;

static void describe_param(liq_sb *sb, liq_ty_printer *p, const liq_ty_param *q)
{
  if (q->label) liq_sb_printf(sb, "`~%s` (of type `", q->label);
  else liq_sb_puts(sb, "a positional argument of type `");
  liq_ty_printer_prepare(p, q->type);
  liq_ty_print(sb, p, q->type);
  liq_sb_puts(sb, q->label ? "`)" : "`");
}

/* Types a call of a value of type tf. fname names it in messages (may be
 * NULL); fspan is where the function expression is. */
static liq_type *apply(tc *c, liq_type *tf, const char *fname, liq_span fspan, liq_span call_span,
                       call_arg *args, int nargs)
{
  liq_type *d = liq_ty_demeth(tf);
  char who[300];
  if (fname) snprintf(who, sizeof who, "`%s`", fname);
  else snprintf(who, sizeof who, "this function");
  if (d->kind == LIQ_T_VAR) {
    /* Unknown function: its type is built from the call. */
    liq_ty_param *ps = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)(nargs + 1));
    for (int i = 0; i < nargs; i++) {
      ps[i].label = args[i].label;
      ps[i].optional = 0;
      ps[i].type = args[i].type;
    }
    liq_type *ret = at(fresh(c), call_span);
    liq_type *arrow = at(liq_ty_arrow(ps, nargs, ret), call_span);
    check_sub(c, tf, arrow, fspan, NULL);
    return ret;
  }
  /* A reference is also its getter, r() (2.2; 2.1.3 only has !r). */
  if (d->kind == LIQ_T_CONSTR && strcmp(d->u.constr.name, "ref") == 0 && d->u.constr.n == 1)
    d = at(liq_ty_arrow(NULL, 0, d->u.constr.args[0].type), d->pos);
  if (d->kind != LIQ_T_ARROW) {
    liq_ty_printer p;
    printer_for_errors(&p);
    char *s = show(&p, tf);
    error_at(c, fspan, "type", NULL, "%s has type `%s`; it is not a function and cannot be called",
             fname ? who : "this value", s);
    liq_mem_free(s);
    liq_ty_printer_free(&p);
    return at(fresh(c), call_span);
  }
  int np = d->u.arrow.n;
  char used_small[64];
  char *used = np <= 64 ? used_small : liq_ty_alloc((size_t)np);
  memset(used, 0, (size_t)np);
  int rejected = 0;
  for (int i = 0; i < nargs; i++) {
    int found = -1;
    for (int j = 0; j < np; j++) {
      const char *l = d->u.arrow.params[j].label;
      if (used[j]) continue;
      if ((!l && !args[i].label) || (l && args[i].label && !strcmp(l, args[i].label))) {
        found = j;
        break;
      }
    }
    if (found < 0) {
      rejected++;
      if (args[i].label) {
        suggest s;
        suggest_init(&s, args[i].label);
        s.short_ok = 1;
        for (int j = 0; j < np; j++) suggest_try(&s, d->u.arrow.params[j].label);
        char hint[512];
        int had = 0;
        for (int j = 0; j < np; j++)
          if (d->u.arrow.params[j].label && !strcmp(d->u.arrow.params[j].label, args[i].label))
            had = 1;
        if (had)
          error_at(c, args[i].span, "label", NULL, "argument `%s` is given twice to %s",
                   args[i].label, who);
        else
          error_at(c, args[i].span, "label", suggest_hint(&s, hint, sizeof hint),
                   "%s has no argument labelled `%s`", who, args[i].label);
      } else {
        int positional = 0;
        for (int j = 0; j < np; j++)
          if (!d->u.arrow.params[j].label) positional++;
        if (positional)
          error_at(c, args[i].span, "arity", NULL,
                   "too many arguments: %s takes %d positional argument%s", who, positional,
                   positional > 1 ? "s" : "");
        else
          error_at(c, args[i].span, "arity", NULL, "%s takes no positional argument", who);
      }
      continue;
    }
    used[found] = 1;
    check_sub(c, args[i].type, d->u.arrow.params[found].type, args[i].span, NULL);
  }
  liq_sb missing = LIQ_SB_INIT;
  int nmissing = 0;
  liq_ty_printer p;
  printer_for_errors(&p);
  for (int j = 0; j < np; j++) {
    if (used[j] || d->u.arrow.params[j].optional) continue;
    if (nmissing++) liq_sb_puts(&missing, ", ");
    describe_param(&missing, &p, &d->u.arrow.params[j]);
  }
  /* A rejected argument usually is the missing one, misspelt. */
  if (nmissing && !rejected)
    error_at(c, call_span, "arity", NULL, "missing argument%s in this call to %s: %s",
             nmissing > 1 ? "s" : "", who, liq_sb_str(&missing));
  liq_sb_free(&missing);
  liq_ty_printer_free(&p);
  return d->u.arrow.ret;
}

/* Calls the builtin (or rebound) operator `name` on typed arguments. */
static liq_type *apply_op(tc *c, const char *name, liq_ast *node, call_arg *args, int nargs)
{
  liq_type *tf;
  const char *dot = strchr(name, '.');
  if (dot && dot != name && (isalpha((unsigned char)name[0]) || name[0] == '_')) {
    /* A module member such as ref.get: the root, then its methods. */
    char root[64];
    snprintf(root, sizeof root, "%.*s", (int)(dot - name), name);
    tf = lookup_var(c, root, node->span, 1);
    while (tf && dot) {
      const char *next = strchr(dot + 1, '.');
      char field[64];
      snprintf(field, sizeof field, "%.*s", next ? (int)(next - dot - 1) : (int)strlen(dot + 1),
               dot + 1);
      liq_type *m = liq_ty_find_meth(tf, field);
      if (!m) {
        error_at(c, node->span, "unbound", NULL, "undefined variable `%s`", name);
        tf = NULL;
        break;
      }
      tf = liq_ty_instantiate_meth(m, c->level);
      dot = next;
    }
  } else tf = lookup_var(c, name, node->span, 1);
  if (!tf) return at(fresh(c), node->span);
  liq_type *r = apply(c, tf, name, node->span, node->span, args, nargs);
  return r;
}

static call_arg arg_of(tc *c, liq_ast *e)
{
  call_arg a = {NULL, infer(c, e), e->span};
  return a;
}

/* The resolver of fallible.c: a script's variable bound to something
 * else than `x = e` resolves to an expression it knows nothing about. */
static const liq_ast unknown_def = {.kind = LIQ_AST_NULL};

static const liq_ast *resolve_def(void *ctx, const char *name, int *scope)
{
  liq_tc_env *env = ctx;
  for (int i = *scope - 1; i >= 0; i--) {
    if (strcmp(env->stack[i].name, name) != 0) continue;
    *scope = i;
    if (env->stack[i].def) return env->stack[i].def;
    return env->stack[i].span.file >= 0 ? &unknown_def : NULL;
  }
  return NULL;
}

/* output.*(s) without fallible=true: s must not be statically fallible. */
static void check_output_source(tc *c, const liq_ast *app, const char *name)
{
  const liq_ast *src = NULL;
  for (int i = 0; i < app->u.app.nargs; i++) {
    const liq_ast_arg *a = &app->u.app.args[i];
    if (a->argsof) return;
    if (a->label && strcmp(a->label, "fallible") == 0) return;
    if (!a->label) src = a->value;
  }
  const liq_ast *origin;
  if (!src || liq_fallible(src, resolve_def, c->env, c->env->n, &origin) != LIQ_FALL_FALLIBLE) return;
  char what[160] = "this source";
  if (src->kind == LIQ_AST_VAR) snprintf(what, sizeof what, "the source `%s`", src->u.var.name);
  char hint[320];
  snprintf(hint, sizeof hint, "wrap it in mksafe(...) (silence when it fails), or pass fallible=true to %.200s", name);
  error_at(c, src->span, "fallible", hint,
           "%s is fallible (it may stop streaming), but %s needs a source that never fails", what, name);
  if (origin != src) note_at(c, origin->span, "it can fail because of this");
}

/* The labelled parameters of g that `%argsof(g[sel])` selects, in order,
 * with their count in *n: all of them without a selection or when every
 * name is written !name (then all but those), else the names listed
 * without !. NULL after reporting when g is not a known function. */
static liq_ty_param *argsof_params(tc *c, const liq_ast_argsof *a, liq_span span, int *n)
{
  char path[256] = "";
  for (int j = 0; j < a->npath; j++) {
    if (j) strncat(path, ".", sizeof path - strlen(path) - 1);
    strncat(path, a->path[j], sizeof path - strlen(path) - 1);
  }
  liq_type *g = liq_tc_lookup(c->env, path);
  liq_type *gd = g ? liq_ty_demeth(g) : NULL;
  if (!gd || gd->kind != LIQ_T_ARROW) {
    error_at(c, span, "unbound", NULL, "%%argsof: `%s` is not a known function", path);
    return NULL;
  }
  int any_included = 0;
  for (int m = 0; m < a->nnames; m++)
    if (!a->excluded[m]) any_included = 1;
  liq_ty_param *ps = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)(gd->u.arrow.n + 1));
  *n = 0;
  for (int j = 0; j < gd->u.arrow.n; j++) {
    const liq_ty_param *gp = &gd->u.arrow.params[j];
    if (!gp->label) continue;
    int sel = !any_included;
    for (int m = 0; m < a->nnames; m++)
      if (!strcmp(a->names[m], gp->label)) sel = !a->excluded[m];
    if (sel) ps[(*n)++] = *gp;
  }
  return ps;
}

static liq_type *infer_app(tc *c, liq_ast *e)
{
  liq_ast *f = e->u.app.fn;
  liq_type *tf = infer(c, f);
  int n = e->u.app.nargs;
  call_arg *args = liq_ty_alloc(sizeof(call_arg) * (size_t)(n + 1));
  int k = 0;
  for (int i = 0; i < n; i++) {
    liq_ast_arg *a = &e->u.app.args[i];
    if (a->argsof) {
      /* %argsof(g[sel]) passes l = l for g's selected labelled parameters. */
      int ns;
      liq_ty_param *sel = argsof_params(c, a->argsof, a->span, &ns);
      if (!sel) continue;
      call_arg *grown = liq_ty_alloc(sizeof(call_arg) * (size_t)(n + k + ns + 1));
      memcpy(grown, args, sizeof(call_arg) * (size_t)k);
      args = grown;
      for (int j = 0; j < ns; j++) {
        liq_type *lt = lookup_var(c, sel[j].label, a->span, 1);
        if (lt) args[k++] = (call_arg){sel[j].label, lt, a->span};
      }
      continue;
    }
    args[k].label = a->label;
    args[k].type = infer(c, a->value);
    args[k].span = a->value->span;
    k++;
  }
  char name[256];
  int named = callee_name(f, name, sizeof name);
  int errors = c->errors;
  liq_type *r = apply(c, tf, named ? name : NULL, f->span, e->span, args, k);
  if (named && c->errors == errors && strncmp(name, "output.", 7) == 0) check_output_source(c, e, name);
  return r;
}

/* --- Patterns -------------------------------------------------------------- */

typedef struct {
  const char *name;
  liq_type *type;
  liq_span span;
} binder;

typedef struct {
  binder *v;
  int n, cap;
} binders;

static void add_binder(binders *bs, const char *name, liq_type *t, liq_span span)
{
  if (bs->n == bs->cap) {
    bs->cap = bs->cap ? 2 * bs->cap : 8;
    binder *nv = liq_ty_alloc(sizeof(binder) * (size_t)bs->cap);
    if (bs->n) memcpy(nv, bs->v, sizeof(binder) * (size_t)bs->n);
    bs->v = nv;
  }
  bs->v[bs->n++] = (binder){name, t, span};
}

/* Matches pattern p against a value of type t: constrains t and collects
 * the variables p binds. */
static void bind_pat(tc *c, liq_ast_pat *p, liq_type *t, binders *bs)
{
  switch (p->kind) {
  case LIQ_PAT_VAR:
    add_binder(bs, p->u.var.name, t, p->span);
    break;
  case LIQ_PAT_WILD:
    break;
  case LIQ_PAT_TUPLE: {
    int n = p->u.tuple.nitems;
    liq_type **items = liq_ty_alloc(sizeof(liq_type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) items[i] = at(fresh(c), p->u.tuple.items[i]->span);
    liq_type *tt = at(liq_ty_tuple(items, n), p->span);
    if (!check_sub(c, t, tt, p->span, "the value matched by this pattern")) return;
    for (int i = 0; i < n; i++) bind_pat(c, p->u.tuple.items[i], items[i], bs);
    break;
  }
  case LIQ_PAT_LIST: {
    liq_type *elem = at(fresh(c), p->span);
    liq_type *lt = at(liq_ty_list(elem), p->span);
    if (!check_sub(c, t, lt, p->span, "the value matched by this pattern")) return;
    for (int i = 0; i < p->u.list.nbefore; i++) bind_pat(c, p->u.list.before[i], elem, bs);
    if (p->u.list.spread) add_binder(bs, p->u.list.spread, lt, p->span);
    for (int i = 0; i < p->u.list.nafter; i++) bind_pat(c, p->u.list.after[i], elem, bs);
    break;
  }
  case LIQ_PAT_RECORD:
  case LIQ_PAT_METH: {
    liq_ast_pat_field *fs = p->kind == LIQ_PAT_RECORD ? p->u.record.fields : p->u.meth.fields;
    int n = p->kind == LIQ_PAT_RECORD ? p->u.record.nfields : p->u.meth.nfields;
    for (int i = 0; i < n; i++) {
      liq_type *ft;
      if (fs[i].optional) {
        liq_type *m = liq_ty_find_meth(t, fs[i].name);
        ft = m ? liq_ty_nullable(liq_ty_instantiate_meth(m, c->level))
               : liq_ty_nullable(fresh(c));
      } else {
        ft = field_of(c, t, fs[i].name, p->span, p->span);
        if (!ft) continue;
      }
      if (fs[i].pat) bind_pat(c, fs[i].pat, ft, bs);
      else add_binder(bs, fs[i].name, ft, p->span);
    }
    if (p->kind == LIQ_PAT_RECORD && p->u.record.spread) add_binder(bs, p->u.record.spread, t, p->span);
    if (p->kind == LIQ_PAT_METH && p->u.meth.base) bind_pat(c, p->u.meth.base, t, bs);
    break;
  }
  case LIQ_PAT_PATH:
    /* Handled by check_let. */
    break;
  }
}

/* --- Let ------------------------------------------------------------------- */

/* The type of `t` with method path names[0..n) set to value type v. The
 * caller generalises the result as a whole (as 2.1.3 does for
 * `let a.b = v`, i.e. `a = a.{b = v}`); when v may not be generalised,
 * its variables are lowered here. */
static liq_type *set_path(tc *c, liq_type *t, const char **names, int n, liq_type *v, int generalise,
                          liq_span span)
{
  liq_type *inner;
  if (n == 1) inner = v;
  else {
    liq_type *m = liq_ty_find_meth(t, names[0]);
    if (!m) {
      liq_ty_printer p;
      printer_for_errors(&p);
      error_at(c, span, "type", NULL, "cannot set a field of `%s`: it has no method `%s`", names[0],
               names[0]);
      liq_ty_printer_free(&p);
      return t;
    }
    liq_type *sub = liq_ty_instantiate_meth(m, c->level + 1);
    inner = set_path(c, sub, names + 1, n - 1, v, generalise, span);
  }
  liq_type *r = liq_ty_meth(names[0], NULL, 0, inner, t);
  r->pos = span;
  if (!generalise) liq_ty_lower(inner, c->level);
  return r;
}

static const char *pat_path_name(tc *c, liq_ast_pat *p)
{
  liq_sb sb = LIQ_SB_INIT;
  for (int i = 0; i < p->u.path.nnames; i++) {
    if (i) liq_sb_putc(&sb, '.');
    liq_sb_puts(&sb, p->u.path.names[i]);
  }
  const char *r = env_name(c->env, liq_sb_str(&sb));
  liq_sb_free(&sb);
  return r;
}

static void check_let(tc *c, liq_ast *s)
{
  liq_ast *value = s->u.let.value;
  liq_ast_pat *pat = s->u.let.pat;
  liq_ast_let_kind kind = s->u.let.kind;
  c->level++;
  liq_type *tv;
  if (kind == LIQ_LET_PLAIN || kind == LIQ_LET_REPLACES) {
    tv = infer(c, value);
  } else {
    /* eval, json.parse & co: the value is a string, the bound type comes
     * from the pattern's uses (and annotation). */
    liq_type *ts = infer(c, value);
    check_sub(c, ts, ground_at(LIQ_T_STRING, value->span), value->span, NULL);
    if (s->u.let.json5) {
      liq_type *tj = infer(c, s->u.let.json5);
      check_sub(c, tj, ground_at(LIQ_T_BOOL, s->u.let.json5->span), s->u.let.json5->span, NULL);
    }
    tv = kind == LIQ_LET_JSON_STRINGIFY ? ground_at(LIQ_T_STRING, s->span) : at(fresh(c), s->span);
  }
  if (s->u.let.type) {
    tyvars vs = {.n = 0};
    liq_type *ann = liq_tc_of_ast_type(c, s->u.let.type, &vs);
    check_sub(c, tv, ann, value->span, NULL);
    tv = ann;
  }
  int gen = (kind == LIQ_LET_PLAIN || kind == LIQ_LET_REPLACES) && is_value(value);
  binders bs = {0};
  if (pat->kind == LIQ_PAT_PATH) {
    c->level--;
    const char *root = pat->u.path.names[0];
    c->level++;
    liq_type *old = lookup_var(c, root, pat->span, 1);
    c->level--;
    if (!old) {
      s->type = tv;
      return;
    }
    liq_type *nt = set_path(c, old, pat->u.path.names + 1, pat->u.path.nnames - 1, tv, gen, pat->span);
    liq_ty_generalize(nt, c->level);
    liq_tc_env_push(c->env, root, nt, pat->span);
    s->type = tv;
    if (c->depth == 0) record_top(c, pat_path_name(c, pat), tv, pat->span);
    return;
  }
  bind_pat(c, pat, tv, &bs);
  c->level--;
  if (kind == LIQ_LET_REPLACES && pat->kind == LIQ_PAT_VAR) {
    /* The new value keeps the methods of the old one it does not redefine. */
    binding *old = liq_tc_env_find(c->env, pat->u.var.name);
    if (old) {
      liq_type *ot = liq_ty_instantiate(old->type, c->level + 1);
      const char *names[256];
      int n = liq_ty_meth_names(ot, names, 256);
      liq_type *nt = tv;
      for (int i = n - 1; i >= 0; i--) {
        if (i >= 256 || liq_ty_find_meth(tv, names[i])) continue;
        liq_type *m = liq_ty_find_meth(ot, names[i]);
        nt = liq_ty_meth(m->u.meth.name, m->u.meth.vars, m->u.meth.nvars, m->u.meth.type, nt);
      }
      tv = nt;
      bs.v[0].type = nt;
    }
  }
  if (gen) liq_ty_generalize(tv, c->level);
  else liq_ty_lower(tv, c->level);
  s->type = tv;
  for (int i = 0; i < bs.n; i++) {
    env_push_user(c, bs.v[i].name, bs.v[i].type, bs.v[i].span);
    if (pat->kind == LIQ_PAT_VAR) c->env->stack[c->env->n - 1].def = value;
    /* Like liquidsoap -i: only plain `x = ...` bindings are listed. */
    if (c->depth == 0 && pat->kind == LIQ_PAT_VAR)
      record_top(c, bs.v[i].name, bs.v[i].type, bs.v[i].span);
  }
}

/* --- Functions ------------------------------------------------------------- */

static liq_type *infer_fun(tc *c, liq_ast *e)
{
  int mark = c->env->n;
  int np = e->u.fun.nparams;
  liq_ty_param *ps = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)(np + 1));
  int k = 0;
  binders bs = {0};
  tyvars vs = {.n = 0};
  for (int i = 0; i < np; i++) {
    liq_ast_param *q = &e->u.fun.params[i];
    if (q->argsof) {
      /* %argsof(g[sel]): copies g's selected labelled parameters. */
      int ns;
      liq_ty_param *sel = argsof_params(c, q->argsof, q->span, &ns);
      if (!sel) continue;
      liq_ty_param *grown = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)(np + k + ns + 1));
      memcpy(grown, ps, sizeof(liq_ty_param) * (size_t)k);
      ps = grown;
      for (int j = 0; j < ns; j++) {
        ps[k++] = sel[j];
        add_binder(&bs, sel[j].label, sel[j].type, q->span);
      }
      continue;
    }
    liq_type *t = q->type ? liq_tc_of_ast_type(c, q->type, &vs) : at(fresh(c), q->span);
    if (q->def) {
      liq_type *td = infer(c, q->def);
      check_sub(c, td, t, q->def->span, NULL);
    }
    ps[k].label = q->label;
    ps[k].optional = q->def != NULL;
    ps[k].type = t;
    k++;
    if (q->pat) bind_pat(c, q->pat, t, &bs);
    else if (q->label) add_binder(&bs, q->label, t, q->span);
  }
  liq_type *self = NULL;
  if (e->u.fun.name) {
    self = at(fresh(c), e->span);
    liq_tc_env_push(c->env, e->u.fun.name, self, e->span);
  }
  for (int i = 0; i < bs.n; i++) env_push_user(c, bs.v[i].name, bs.v[i].type, bs.v[i].span);
  int errors_before = c->errors;
  liq_type *body = infer(c, e->u.fun.body);
  pop_scope(c, mark);
  liq_type *r = at(liq_ty_arrow(ps, k, body), e->span);
  if (self && c->errors == errors_before) check_sub(c, r, self, e->span, "this recursive function");
  return r;
}

/* --- Blocks ---------------------------------------------------------------- */

static int name_defined(tc *c, const char *name)
{
  char buf[256];
  snprintf(buf, sizeof buf, "%s", name);
  char *dot = strchr(buf, '.');
  if (dot) *dot = 0;
  binding *b = liq_tc_env_find(c->env, buf);
  if (!b) return 0;
  if (!dot) return 1;
  return liq_tc_lookup(c->env, name) != NULL;
}

static int ifdef_holds(tc *c, const liq_ast *s)
{
  const char *n = s->u.ifdef.name;
  switch (s->u.ifdef.kind) {
  case LIQ_IFDEF: return name_defined(c, n);
  case LIQ_IFNDEF: return !name_defined(c, n);
  case LIQ_IFENCODER: return liq_enctype_known(n);
  case LIQ_IFNENCODER: return !liq_enctype_known(n);
  case LIQ_IFVERSION: return liq_ifversion_holds(s->u.ifdef.op, s->u.ifdef.name);
  }
  return 0;
}

/* A statement whose value is dropped (not the last of its block, or the
 * last of the program) should have type unit (2.1.3's warning 3). */
static void warn_ignored(tc *c, liq_ast *s, liq_type *t)
{
  if (!c->warnings || !t) return;
  liq_type *d = liq_ty_demeth(t);
  if (d->kind == LIQ_T_VAR || d->kind == LIQ_T_NEVER || liq_ty_is_unit(d)) return;
  liq_ty_printer p;
  printer_for_errors(&p);
  char *ts = show(&p, t);
  if (d->kind == LIQ_T_ARROW)
    warn_at(c, s->span, "ignored", NULL,
             "this function (of type `%s`) is ignored: did you forget to apply it to its arguments?", ts);
  else
    warn_at(c, s->span, "ignored", "use ignore(...) if dropping it is meant",
             "this expression should have type unit: its value, of type `%s`, is ignored", ts);
  liq_mem_free(ts);
  liq_ty_printer_free(&p);
}

/* Checks statements; returns the type of the last one (unit when it is a
 * binding or there is none). */
static liq_type *check_stmts(tc *c, liq_ast *blk)
{
  liq_type *last = NULL;
  for (int i = 0; i < blk->u.block.nstmts; i++) {
    liq_ast *s = blk->u.block.stmts[i];
    last = NULL;
    switch (s->kind) {
    case LIQ_AST_LET:
      check_let(c, s);
      break;
    case LIQ_AST_OPEN: {
      liq_type *t = infer(c, s->u.unary.e);
      const char *names[512];
      int n = liq_ty_meth_names(t, names, 512);
      for (int j = (n < 512 ? n : 512) - 1; j >= 0; j--) {
        liq_type *m = liq_ty_find_meth(t, names[j]);
        liq_tc_env_push(c->env, names[j], m->u.meth.type, s->span);
      }
      break;
    }
    case LIQ_AST_IFDEF: {
      liq_ast *branch = ifdef_holds(c, s) ? s->u.ifdef.then_ : s->u.ifdef.else_;
      s->u.ifdef.chosen = branch;
      s->u.ifdef.decided = 1;
      if (branch) last = check_stmts(c, branch);
      break;
    }
    default:
      last = infer(c, s);
      if (i + 1 < blk->u.block.nstmts || c->depth == 0) warn_ignored(c, s, last);
      break;
    }
  }
  return last;
}

static liq_type *infer_block(tc *c, liq_ast *blk, int scoped)
{
  int mark = c->env->n;
  c->depth++;
  liq_type *t = check_stmts(c, blk);
  c->depth--;
  if (scoped) pop_scope(c, mark);
  return t ? t : at(liq_ty_unit(), blk->span);
}

/* --- Expressions ----------------------------------------------------------- */

static liq_type *infer_list(tc *c, liq_ast *e)
{
  liq_type *elem = at(fresh(c), e->span);
  for (int i = 0; i < e->u.items.nitems; i++) {
    liq_ast *it = e->u.items.items[i];
    if (it->kind == LIQ_AST_SPREAD) {
      liq_type *t = infer(c, it->u.unary.e);
      it->type = t;
      check_sub(c, t, at(liq_ty_list(elem), e->span), it->u.unary.e->span, NULL);
    } else {
      liq_type *t = infer(c, it);
      check_sub(c, t, elem, it->span, NULL);
    }
  }
  return at(liq_ty_list(elem), e->span);
}

/* A record literal, or methods added to a value. */
static liq_type *add_fields(tc *c, liq_type *base, liq_ast *e)
{
  liq_type *t = base;
  for (int i = 0; i < e->u.record.nfields; i++) {
    struct liq_ast_record_field *f = &e->u.record.fields[i];
    if (!f->name) {
      /* ...r: r's methods join the record. */
      liq_type *tr = infer(c, f->value);
      const char *names[256];
      int n = liq_ty_meth_names(tr, names, 256);
      if (n == 0 && !liq_ty_is_free_var(liq_ty_demeth(tr)) && !liq_ty_is_unit(liq_ty_demeth(tr))) {
        liq_ty_printer p;
        printer_for_errors(&p);
        char *s = show(&p, tr);
        error_at(c, f->value->span, "type", NULL, "only records can be spread; this value has type `%s`", s);
        liq_mem_free(s);
        liq_ty_printer_free(&p);
      }
      for (int j = n - 1; j >= 0; j--) {
        if (j >= 256) continue;
        liq_type *m = liq_ty_find_meth(tr, names[j]);
        t = liq_ty_meth(m->u.meth.name, m->u.meth.vars, m->u.meth.nvars, m->u.meth.type, t);
      }
      continue;
    }
    /* As in 2.1.3, a field is not generalised on its own: the binding
     * holding the record is (value restriction permitting). */
    liq_type *fv = infer(c, f->value);
    t = at(liq_ty_meth(f->name, NULL, 0, fv, t), f->span);
  }
  return t;
}

static liq_type *infer_if(tc *c, liq_ast *e)
{
  liq_type *tc_ = infer(c, e->u.cond.cond);
  check_sub(c, tc_, ground_at(LIQ_T_BOOL, e->u.cond.cond->span), e->u.cond.cond->span,
            "this condition");
  liq_type *r = at(fresh(c), e->span);
  liq_type *tt = infer(c, e->u.cond.then_);
  check_sub(c, tt, r, e->u.cond.then_->span, "this branch");
  if (e->u.cond.else_) {
    liq_type *te = infer(c, e->u.cond.else_);
    check_sub(c, te, r, e->u.cond.else_->span, "this branch");
  } else {
    liq_ty_err err;
    if (!liq_ty_sub(at(liq_ty_unit(), e->span), r, &err)) {
      liq_ty_printer p;
      printer_for_errors(&p);
      char *s = show(&p, tt);
      error_at(c, e->u.cond.then_->span, "type", "add an `else` branch, or ignore the value",
               "this branch has type `%s` but an `if` without `else` must have type `unit`", s);
      liq_mem_free(s);
      liq_ty_printer_free(&p);
    }
  }
  return r;
}

static liq_type *error_type(tc *c)
{
  /* The type of error values, as error.register returns it. */
  liq_type *reg = lookup_var(c, "error", liq_span_none, 0);
  if (reg) {
    liq_type *m = liq_ty_find_meth(reg, "register");
    if (m) {
      liq_type *d = liq_ty_demeth(liq_ty_instantiate_meth(m, c->level));
      if (d->kind == LIQ_T_ARROW) return d->u.arrow.ret;
    }
  }
  return liq_ty_named("error");
}

static liq_type *infer_try(tc *c, liq_ast *e)
{
  liq_type *r = at(fresh(c), e->span);
  liq_type *tb = infer(c, e->u.try_.body);
  check_sub(c, tb, r, e->u.try_.body->span, NULL);
  liq_type *err = error_type(c);
  if (e->u.try_.errors) {
    liq_type *te = infer(c, e->u.try_.errors);
    liq_type *want = liq_ty_nullable(liq_ty_list(err));
    check_sub(c, te, at(want, e->u.try_.errors->span), e->u.try_.errors->span, "this list of errors");
  }
  if (e->u.try_.handler) {
    int mark = c->env->n;
    if (e->u.try_.var) liq_tc_env_push(c->env, e->u.try_.var, err, e->span);
    liq_type *th = infer(c, e->u.try_.handler);
    c->env->n = mark;
    check_sub(c, th, r, e->u.try_.handler->span, "this handler");
  }
  if (e->u.try_.finally_) {
    liq_type *tf = infer(c, e->u.try_.finally_);
    check_sub(c, tf, at(liq_ty_unit(), e->u.try_.finally_->span), e->u.try_.finally_->span,
              "this `finally` block");
  }
  return r;
}

static liq_type *infer_for(tc *c, liq_ast *e)
{
  liq_type *tv;
  if (e->u.loop.to) {
    liq_type *a = infer(c, e->u.loop.from), *b = infer(c, e->u.loop.to);
    check_sub(c, a, ground_at(LIQ_T_INT, e->u.loop.from->span), e->u.loop.from->span, NULL);
    check_sub(c, b, ground_at(LIQ_T_INT, e->u.loop.to->span), e->u.loop.to->span, NULL);
    tv = ground_at(LIQ_T_INT, e->span);
  } else {
    liq_type *it = infer(c, e->u.loop.from);
    tv = at(fresh(c), e->span);
    liq_type *want = at(liq_ty_arrow(NULL, 0, liq_ty_nullable(tv)), e->u.loop.from->span);
    check_sub(c, it, want, e->u.loop.from->span, "this iterator");
  }
  int mark = c->env->n;
  liq_tc_env_push(c->env, e->u.loop.var, tv, e->span);
  liq_type *tb = infer(c, e->u.loop.body);
  c->env->n = mark;
  check_sub(c, tb, at(liq_ty_unit(), e->u.loop.body->span), e->u.loop.body->span, "this loop body");
  return at(liq_ty_unit(), e->span);
}

static liq_type *infer_deref(tc *c, liq_ast *e)
{
  warn_at(c, e->span, "deprecated", "call the reference instead: r() (Liquidsoap 2.2)",
          "`!` is deprecated for reading a reference");
  liq_type *t = infer(c, e->u.unary.e);
  liq_type *d = liq_ty_demeth(t);
  if (d->kind == LIQ_T_ARROW && d->u.arrow.n == 0) return d->u.arrow.ret; /* HEAD refs */
  call_arg a = {NULL, t, e->u.unary.e->span};
  return apply_op(c, "ref.get", e, &a, 1);
}

static liq_type *infer_assign(tc *c, liq_ast *e)
{
  liq_type *t = infer(c, e->u.binary.left);
  call_arg v = {NULL, infer(c, e->u.binary.right), e->u.binary.right->span};
  liq_type *set = liq_ty_find_meth(t, "set");
  if (set) {
    liq_type *ts = liq_ty_instantiate_meth(set, c->level);
    apply(c, ts, "set", e->u.binary.left->span, e->span, &v, 1);
    return at(liq_ty_unit(), e->span);
  }
  call_arg args[2] = {{NULL, t, e->u.binary.left->span}, v};
  return apply_op(c, "ref.set", e, args, 2);
}

/* x.y.z naming a Liquidsoap builtin cliq lacks: reported as an undefined
 * variable with upstream_hint (true), whether its root is unbound
 * (input.harbor) or lacks the method (output.icecast; t is the root's
 * type, NULL before it is inferred). An open record (a parameter's type)
 * or a source may still get the method: not reported. */
static int upstream_field(tc *c, liq_ast *e, liq_type *t)
{
  char full[256], hint[512];
  if (e->u.field.optional || !callee_name(e, full, sizeof full) || !liq_builtins_upstream_has(full))
    return 0;
  if (!t) {
    char root[256];
    snprintf(root, sizeof root, "%.*s", (int)strcspn(full, "."), full);
    if (liq_tc_env_find(c->env, root)) return 0;
  } else {
    liq_type *d = liq_ty_demeth(t);
    if (liq_ty_find_meth(t, e->u.field.name) || d->kind == LIQ_T_VAR ||
        (d->kind == LIQ_T_CONSTR && strcmp(d->u.constr.name, "source") == 0))
      return 0;
  }
  error_at(c, e->span, "unbound", upstream_hint(full, hint, sizeof hint), "undefined variable `%s`",
           full);
  return 1;
}

static liq_type *infer_field(tc *c, liq_ast *e)
{
  if (upstream_field(c, e, NULL)) return at(fresh(c), e->span);
  liq_type *t = infer(c, e->u.field.e);
  if (upstream_field(c, e, t)) return at(fresh(c), e->span);
  if (e->u.field.optional) {
    /* x?.m : the method of a nullable value, null when absent. */
    liq_type *d = liq_ty_deref(t);
    liq_type *inner = d->kind == LIQ_T_NULLABLE ? d->u.inner : t;
    liq_type *m = liq_ty_find_meth(inner, e->u.field.name);
    if (!m) m = liq_ty_find_meth(t, e->u.field.name);
    liq_type *ft = m ? liq_ty_instantiate_meth(m, c->level) : fresh(c);
    liq_type *fd = liq_ty_deref(ft);
    return fd->kind == LIQ_T_NULLABLE ? ft : at(liq_ty_nullable(ft), e->span);
  }
  liq_type *ft = field_of(c, t, e->u.field.name, e->u.field.e->span, e->u.field.name_span);
  return ft ? ft : at(fresh(c), e->span);
}

/* An encoder's parameters against the codec registry: each name must be
 * one of the encoder's (a flag one of its bool parameters) and each value
 * of the parameter's type (an int is a float); literal strings must be
 * one of the allowed choices. Nested encoders are checked the same way. */
static void check_encoder_params(tc *c, liq_ast *e)
{
  const liq_encoder_kind *k = liq_encoder_kind_find(e->u.enc.name);
  for (int i = 0; i < e->u.enc.nparams; i++) {
    liq_ast_enc_param *p = &e->u.enc.params[i];
    liq_ast *v = p->value;
    if (v && v->kind == LIQ_AST_ENCODER) {
      check_encoder_params(c, v);
      continue;
    }
    liq_type *t = v ? infer(c, v) : NULL;
    const char *name = p->label ? p->label : p->flag;
    if (!k || !k->params || !name) continue;
    const liq_ep_desc *d = liq_encoder_kind_param(k, name);
    if (!d) {
      suggest sg;
      suggest_init(&sg, name);
      for (int j = 0; j < k->nparams; j++) suggest_try(&sg, k->params[j].name);
      char hint[512];
      liq_sb names = LIQ_SB_INIT;
      liq_encoder_kind_param_names(k, &names);
      error_at(c, p->span, "encoder", suggest_hint(&sg, hint, sizeof hint),
               "%%%s has no parameter `%s`; its parameters are: %s", k->name, name,
               liq_sb_str(&names));
      liq_sb_free(&names);
      continue;
    }
    if (!v) {
      if (d->type != LIQ_EP_BOOL)
        error_at(c, p->span, "encoder", NULL, "%%%s: `%s` is not a flag: give it a%s %s value",
                 k->name, name, d->type == LIQ_EP_INT ? "n" : "", liq_ep_type_name(d->type));
      continue;
    }
    liq_ty_kind want = d->type == LIQ_EP_BOOL    ? LIQ_T_BOOL
                       : d->type == LIQ_EP_INT   ? LIQ_T_INT
                       : d->type == LIQ_EP_FLOAT ? LIQ_T_FLOAT
                                                 : LIQ_T_STRING;
    liq_type *got = liq_ty_deref(t);
    int ground = got->kind == LIQ_T_INT || got->kind == LIQ_T_FLOAT ||
                 got->kind == LIQ_T_STRING || got->kind == LIQ_T_BOOL;
    /* An int parameter with choices also takes those strings. */
    if (ground && got->kind == LIQ_T_STRING && want == LIQ_T_INT && d->choices) want = LIQ_T_STRING;
    if (ground && got->kind != want && !(want == LIQ_T_FLOAT && got->kind == LIQ_T_INT)) {
      const char *found = got->kind == LIQ_T_INT     ? "an int"
                          : got->kind == LIQ_T_FLOAT ? "a float"
                          : got->kind == LIQ_T_BOOL  ? "a bool"
                                                     : "a string";
      error_at(c, v->span, "encoder", NULL, "%%%s: `%s` takes a%s %s%s%s, not %s", k->name, name,
               d->type == LIQ_EP_INT ? "n" : "", liq_ep_type_name(d->type),
               d->type == LIQ_EP_INT && d->choices ? " or one of " : "",
               d->type == LIQ_EP_INT && d->choices ? d->choices : "", found);
    } else if (!ground) {
      check_sub(c, t, ground_at(want, v->span), v->span, "this encoder parameter");
    } else if (v->kind == LIQ_AST_STRING && !liq_ep_choice_ok(d, v->u.str.s)) {
      error_at(c, v->span, "encoder", NULL, "%%%s: `%s` must be %sone of %s", k->name, name,
               d->type == LIQ_EP_INT ? "an int or " : "", d->choices);
    }
  }
}

static liq_type *infer_encoder(tc *c, liq_ast *e)
{
  char msg[512];
  liq_type *t = liq_enctype_of(e, msg, sizeof msg);
  if (!t) {
    error_at(c, e->span, "encoder", NULL, "%s", msg);
    return at(fresh(c), e->span);
  }
  check_encoder_params(c, e);
  return at(t, e->span);
}

static liq_type *infer_regexp(tc *c, liq_ast *e)
{
  liq_type *re = lookup_var(c, "regexp", e->span, 0);
  if (re) {
    liq_type *d = liq_ty_demeth(re);
    if (d->kind == LIQ_T_ARROW) return liq_ty_at(d->u.arrow.ret, e->span);
  }
  return at(liq_ty_named("regexp"), e->span);
}

static liq_type *infer_binop(tc *c, liq_ast *e)
{
  call_arg args[2] = {arg_of(c, e->u.binop.left), arg_of(c, e->u.binop.right)};
  return apply_op(c, e->u.binop.op, e, args, 2);
}

static liq_type *infer(tc *c, liq_ast *e)
{
  liq_type *t = NULL;
  switch (e->kind) {
  case LIQ_AST_INT: t = ground_at(LIQ_T_INT, e->span); break;
  case LIQ_AST_FLOAT: t = ground_at(LIQ_T_FLOAT, e->span); break;
  case LIQ_AST_STRING: t = ground_at(LIQ_T_STRING, e->span); break;
  case LIQ_AST_BOOL: t = ground_at(LIQ_T_BOOL, e->span); break;
  case LIQ_AST_NULL: t = at(liq_ty_nullable(fresh(c)), e->span); break;
  case LIQ_AST_INTERP:
    for (int i = 0; i < e->u.interp.nparts; i++)
      if (e->u.interp.parts[i].expr) infer(c, e->u.interp.parts[i].expr);
    t = ground_at(LIQ_T_STRING, e->span);
    break;
  case LIQ_AST_REGEXP: t = infer_regexp(c, e); break;
  case LIQ_AST_TIME: t = ground_at(LIQ_T_BOOL, e->span); break;
  case LIQ_AST_ENCODER: t = infer_encoder(c, e); break;
  case LIQ_AST_VAR:
    t = lookup_var(c, e->u.var.name, e->span, 1);
    t = t ? liq_ty_at(t, e->span) : at(fresh(c), e->span);
    break;
  case LIQ_AST_TUPLE: {
    int n = e->u.items.nitems;
    liq_type **items = liq_ty_alloc(sizeof(liq_type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) items[i] = infer(c, e->u.items.items[i]);
    t = at(liq_ty_tuple(items, n), e->span);
    break;
  }
  case LIQ_AST_LIST: t = infer_list(c, e); break;
  case LIQ_AST_SPREAD:
    error_at(c, e->span, "syntax", NULL, "`...` is only allowed in lists and records");
    t = infer(c, e->u.unary.e);
    break;
  case LIQ_AST_RECORD: t = add_fields(c, at(liq_ty_unit(), e->span), e); break;
  case LIQ_AST_METHODS: t = add_fields(c, infer(c, e->u.record.base), e); break;
  case LIQ_AST_FIELD: t = infer_field(c, e); break;
  case LIQ_AST_APP: t = infer_app(c, e); break;
  case LIQ_AST_INDEX: {
    call_arg args[2] = {arg_of(c, e->u.binary.left), arg_of(c, e->u.binary.right)};
    t = apply_op(c, "_[_]", e, args, 2);
    break;
  }
  case LIQ_AST_FUN: t = infer_fun(c, e); break;
  case LIQ_AST_BLOCK: t = infer_block(c, e, 1); break;
  case LIQ_AST_THUNK: t = at(liq_ty_arrow(NULL, 0, infer(c, e->u.unary.e)), e->span); break;
  case LIQ_AST_CAST: {
    liq_type *te = infer(c, e->u.cast.e);
    tyvars vs = {.n = 0};
    liq_type *ann = liq_tc_of_ast_type(c, e->u.cast.type, &vs);
    check_sub(c, te, ann, e->u.cast.e->span, NULL);
    t = ann;
    break;
  }
  case LIQ_AST_IF: t = infer_if(c, e); break;
  case LIQ_AST_WHILE: {
    liq_type *tc_ = infer(c, e->u.loop.cond);
    check_sub(c, tc_, ground_at(LIQ_T_BOOL, e->u.loop.cond->span), e->u.loop.cond->span,
              "this condition");
    liq_type *tb = infer(c, e->u.loop.body);
    check_sub(c, tb, at(liq_ty_unit(), e->u.loop.body->span), e->u.loop.body->span, "this loop body");
    t = at(liq_ty_unit(), e->span);
    break;
  }
  case LIQ_AST_FOR: t = infer_for(c, e); break;
  case LIQ_AST_TRY: t = infer_try(c, e); break;
  case LIQ_AST_NOT: {
    call_arg a = arg_of(c, e->u.unary.e);
    t = apply_op(c, "not", e, &a, 1);
    break;
  }
  case LIQ_AST_NEG: {
    call_arg a = arg_of(c, e->u.unary.e);
    t = apply_op(c, "~-", e, &a, 1);
    break;
  }
  case LIQ_AST_DEREF: t = infer_deref(c, e); break;
  case LIQ_AST_ASSIGN: t = infer_assign(c, e); break;
  case LIQ_AST_BINOP: t = infer_binop(c, e); break;
  case LIQ_AST_AND:
  case LIQ_AST_OR: {
    liq_type *a = infer(c, e->u.binary.left), *b = infer(c, e->u.binary.right);
    check_sub(c, a, liq_ty_ground(LIQ_T_BOOL), e->u.binary.left->span, NULL);
    check_sub(c, b, liq_ty_ground(LIQ_T_BOOL), e->u.binary.right->span, NULL);
    t = ground_at(LIQ_T_BOOL, e->span);
    break;
  }
  case LIQ_AST_CONS: {
    call_arg args[2] = {arg_of(c, e->u.binary.left), arg_of(c, e->u.binary.right)};
    t = apply_op(c, "_::_", e, args, 2);
    break;
  }
  case LIQ_AST_COALESCE: {
    liq_type *x = infer(c, e->u.binary.left);
    liq_type *r = at(fresh(c), e->span);
    check_sub(c, x, at(liq_ty_nullable(r), e->u.binary.left->span), e->u.binary.left->span, NULL);
    liq_type *d = infer(c, e->u.binary.right);
    check_sub(c, d, r, e->u.binary.right->span, "this default value");
    t = r;
    break;
  }
  case LIQ_AST_PIPE: {
    call_arg a = arg_of(c, e->u.binary.left);
    liq_type *tf = infer(c, e->u.binary.right);
    char name[256];
    int named = callee_name(e->u.binary.right, name, sizeof name);
    t = apply(c, tf, named ? name : NULL, e->u.binary.right->span, e->span, &a, 1);
    break;
  }
  case LIQ_AST_LET:
  case LIQ_AST_OPEN:
  case LIQ_AST_IFDEF: {
    /* A statement where an expression is expected (a block of one). */
    liq_ast blk = *e;
    liq_ast *one[1] = {e};
    blk.kind = LIQ_AST_BLOCK;
    blk.u.block.stmts = one;
    blk.u.block.nstmts = 1;
    t = infer_block(c, &blk, 1);
    break;
  }
  }
  e->type = t;
  return t;
}

int liq_tc_program(liq_ast *program, liq_tc_env *env, unsigned flags)
{
  liq_ty_use_arena(env->types);
  tc c = {0};
  c.env = env;
  c.quiet = (flags & LIQ_TC_QUIET) != 0;
  c.warnings = !c.quiet && (flags & LIQ_TC_WARN) != 0;
  int start = env->n;
  c.depth = -1; /* the program block itself is depth 0 */
  env->ntop = 0;
  if (program->kind == LIQ_AST_BLOCK) infer_block(&c, program, 0);
  else infer(&c, program);
  warn_unused(&c, start, 1); /* the top level's stay bound */
  flush_warnings(&c);
  liq_ty_commit();
  return c.errors;
}

char *liq_tc_type_string(liq_type *t) { return liq_ty_to_string(t); }
