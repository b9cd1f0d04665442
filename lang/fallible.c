/* fallible: static fallibility of source expressions (see fallible.h).
 *
 * Rules (2.1.3, reference/runtime.md §1.5):
 *   - generators: sine/noise/blank/square/saw are infallible, unless given
 *     a duration= (sine(duration=1.) ends); playlist, single, once,
 *     request.queue, input.*, source.fail are fallible;
 *   - buffer, max_duration, delay, blank.strip, crossfade can fail whatever
 *     their input;
 *   - mksafe is infallible; effects (amplify, fade.in, ...) are as their
 *     source argument;
 *   - fallback is infallible when one of its sources is; switch when one
 *     of its cases has the literal predicate {true} and an infallible
 *     source; add when one of its sources is; rotate/random when all are;
 *     sequence as its last source.
 * Recursion through variables is bounded by the scope index, which only
 * decreases, so it terminates. */
#include "lang/fallible.h"

#include <stdio.h>
#include <string.h>

typedef enum { K_INFALLIBLE, K_GENERATOR, K_FALLIBLE, K_EFFECT, K_FALLBACK, K_SWITCH, K_ANY, K_ALL, K_LAST } kind;

static const struct {
  const char *name;
  kind k;
} ops[] = {
  {"mksafe", K_INFALLIBLE},       {"sine", K_GENERATOR},          {"noise", K_GENERATOR},
  {"square", K_GENERATOR},        {"saw", K_GENERATOR},           {"blank", K_INFALLIBLE},
  {"playlist", K_FALLIBLE},       {"single", K_FALLIBLE},         {"once", K_FALLIBLE},
  {"request.queue", K_FALLIBLE},  {"input.harbor", K_FALLIBLE},   {"input.http", K_FALLIBLE},
  {"source.fail", K_FALLIBLE},    {"buffer", K_FALLIBLE},         {"max_duration", K_FALLIBLE},
  {"delay", K_FALLIBLE},          {"blank.strip", K_FALLIBLE},    {"crossfade", K_FALLIBLE},
  {"amplify", K_EFFECT},          {"normalize", K_EFFECT},        {"compress", K_EFFECT},
  {"filter", K_EFFECT},           {"filter.iir.butterworth.high", K_EFFECT},
  {"filter.iir.butterworth.low", K_EFFECT},                       {"fade.in", K_EFFECT},
  {"fade.out", K_EFFECT},         {"mean", K_EFFECT},             {"chop", K_EFFECT},
  {"map_metadata", K_EFFECT},     {"insert_metadata", K_EFFECT},  {"drop_metadata", K_EFFECT},
  {"blank.skip", K_EFFECT},       {"blank.detect", K_EFFECT},     {"skip_blank", K_EFFECT},
  {"source.on_track", K_EFFECT},  {"source.on_metadata", K_EFFECT}, {"clock", K_EFFECT},
  {"fallback", K_FALLBACK},       {"switch", K_SWITCH},           {"add", K_ANY},
  {"rotate", K_ALL},              {"random", K_ALL},              {"sequence", K_LAST},
};

typedef struct {
  liq_fall_resolve resolve;
  void *ctx;
  const liq_ast **origin;
} walk;

static liq_fall of(walk *w, const liq_ast *e, int scope);

static int callee(const liq_ast *f, char *buf, size_t size)
{
  if (f->kind == LIQ_AST_VAR) return (size_t)snprintf(buf, size, "%s", f->u.var.name) < size;
  if (f->kind != LIQ_AST_FIELD) return 0;
  char inner[128];
  if (!callee(f->u.field.e, inner, sizeof inner)) return 0;
  return (size_t)snprintf(buf, size, "%s.%s", inner, f->u.field.name) < size;
}

/* The last positional argument (the source, or the list of sources). */
static const liq_ast *last_positional(const liq_ast *app)
{
  for (int i = app->u.app.nargs - 1; i >= 0; i--)
    if (!app->u.app.args[i].label && !app->u.app.args[i].argsof) return app->u.app.args[i].value;
  return NULL;
}

static int has_label(const liq_ast *app, const char *label)
{
  for (int i = 0; i < app->u.app.nargs; i++)
    if (app->u.app.args[i].label && strcmp(app->u.app.args[i].label, label) == 0) return 1;
  return 0;
}

/* {true} written as such. */
static int trivially_true(const liq_ast *p)
{
  if (p->kind != LIQ_AST_THUNK) return 0;
  const liq_ast *b = p->u.unary.e;
  if (b->kind == LIQ_AST_BLOCK && b->u.block.nstmts == 1) b = b->u.block.stmts[0];
  return b->kind == LIQ_AST_BOOL && b->u.b;
}

/* Combines the sources of a list literal: K_ANY (infallible if one is),
 * K_ALL (if all are), K_LAST (as the last), K_SWITCH (pairs). */
static liq_fall of_list(walk *w, const liq_ast *l, kind k, int scope)
{
  if (!l || l->kind != LIQ_AST_LIST || l->u.items.nitems == 0) return LIQ_FALL_UNKNOWN;
  int n = l->u.items.nitems, infallible = 0, fallible = 0;
  const liq_ast *first_origin = NULL;
  for (int i = 0; i < n; i++) {
    const liq_ast *it = l->u.items.items[i];
    if (it->kind == LIQ_AST_SPREAD) return LIQ_FALL_UNKNOWN;
    if (k == K_SWITCH) {
      if (it->kind != LIQ_AST_TUPLE || it->u.items.nitems != 2) return LIQ_FALL_UNKNOWN;
      if (!trivially_true(it->u.items.items[0])) {
        fallible++;
        continue;
      }
      it = it->u.items.items[1];
    }
    if (k == K_LAST && i < n - 1) continue;
    liq_fall f = of(w, it, scope);
    if (f == LIQ_FALL_INFALLIBLE) infallible++;
    else if (f == LIQ_FALL_FALLIBLE) {
      fallible++;
      if (!first_origin) first_origin = *w->origin;
    }
  }
  liq_fall r;
  if (k == K_ALL) r = fallible ? LIQ_FALL_FALLIBLE : infallible == n ? LIQ_FALL_INFALLIBLE : LIQ_FALL_UNKNOWN;
  else if (k == K_LAST) r = infallible ? LIQ_FALL_INFALLIBLE : fallible ? LIQ_FALL_FALLIBLE : LIQ_FALL_UNKNOWN;
  else r = infallible ? LIQ_FALL_INFALLIBLE : fallible == n ? LIQ_FALL_FALLIBLE : LIQ_FALL_UNKNOWN;
  if (r == LIQ_FALL_FALLIBLE && first_origin) *w->origin = first_origin;
  return r;
}

static liq_fall of(walk *w, const liq_ast *e, int scope)
{
  while (e && (e->kind == LIQ_AST_CAST || (e->kind == LIQ_AST_BLOCK && e->u.block.nstmts == 1)))
    e = e->kind == LIQ_AST_CAST ? e->u.cast.e : e->u.block.stmts[0];
  if (!e) return LIQ_FALL_UNKNOWN;
  if (e->kind == LIQ_AST_VAR) {
    const liq_ast *def = w->resolve(w->ctx, e->u.var.name, &scope);
    return def ? of(w, def, scope) : LIQ_FALL_UNKNOWN;
  }
  char name[128];
  if (e->kind != LIQ_AST_APP || !callee(e->u.app.fn, name, sizeof name)) return LIQ_FALL_UNKNOWN;
  /* A local variable of that name is not the operator. */
  int s = scope;
  if (w->resolve(w->ctx, name, &s)) return LIQ_FALL_UNKNOWN;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    if (strcmp(ops[i].name, name) != 0) continue;
    liq_fall r;
    switch (ops[i].k) {
    case K_INFALLIBLE: return LIQ_FALL_INFALLIBLE;
    case K_GENERATOR:
      if (!has_label(e, "duration")) return LIQ_FALL_INFALLIBLE;
      *w->origin = e;
      return LIQ_FALL_FALLIBLE;
    case K_FALLIBLE: *w->origin = e; return LIQ_FALL_FALLIBLE;
    case K_EFFECT: return of(w, last_positional(e), scope);
    case K_FALLBACK:
    case K_ANY:
      r = of_list(w, last_positional(e), K_ANY, scope);
      if (r == LIQ_FALL_FALLIBLE && ops[i].k == K_FALLBACK) *w->origin = e;
      return r;
    case K_SWITCH:
      if (has_label(e, "single")) return LIQ_FALL_UNKNOWN;
      r = of_list(w, last_positional(e), K_SWITCH, scope);
      if (r == LIQ_FALL_FALLIBLE) *w->origin = e;
      return r;
    case K_ALL:
    case K_LAST: return of_list(w, last_positional(e), ops[i].k, scope);
    }
  }
  return LIQ_FALL_UNKNOWN;
}

liq_fall liq_fallible(const liq_ast *e, liq_fall_resolve resolve, void *ctx, int scope,
                      const liq_ast **origin)
{
  walk w = {resolve, ctx, origin};
  *origin = e;
  return of(&w, e, scope);
}
