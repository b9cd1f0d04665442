/* types: type representation, trail, generalisation, subtyping, sup and
 * printing. See types.h for the model. */
#include "lang/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"

/* --- Arenas ---------------------------------------------------------------- */

/* Types are small and shared everywhere; a bump allocator in 64 KiB chunks
 * keeps them cheap and releases them all at once. Each type environment
 * owns an arena (typecheck.c makes it current while it works); allocating
 * with no current arena is a bug of the caller. */
#define ARENA_CHUNK 65536

typedef struct chunk {
  struct chunk *next;
  size_t used, size;
  max_align_t data[];
} chunk;

struct liq_ty_arena {
  chunk *chunks;
};

static liq_ty_arena *current;
static int next_var_id;

liq_ty_arena *liq_ty_arena_new(void) { return liq_mem_calloc(1, sizeof(liq_ty_arena)); }

void liq_ty_arena_free(liq_ty_arena *a)
{
  if (!a) return;
  if (current == a) current = NULL;
  while (a->chunks) {
    chunk *next = a->chunks->next;
    liq_mem_free(a->chunks);
    a->chunks = next;
  }
  liq_mem_free(a);
}

liq_ty_arena *liq_ty_use_arena(liq_ty_arena *a)
{
  liq_ty_arena *old = current;
  current = a;
  return old;
}

void *liq_ty_alloc(size_t size)
{
  if (!current) {
    fputs("cliq: internal error: a type allocated with no current arena\n", stderr);
    abort();
  }
  size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  chunk *top = current->chunks;
  if (!top || top->used + size > top->size) {
    size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
    chunk *c = liq_mem_alloc(sizeof(chunk) + cap);
    c->next = top;
    c->used = 0;
    c->size = cap;
    current->chunks = top = c;
  }
  void *p = (char *)top->data + top->used;
  top->used += size;
  memset(p, 0, size);
  return p;
}

char *liq_ty_strdup(const char *s)
{
  if (!s) return NULL;
  size_t n = strlen(s);
  char *d = liq_ty_alloc(n + 1);
  memcpy(d, s, n + 1);
  return d;
}

static size_t trail_len;

/* --- Construction ---------------------------------------------------------- */

static liq_type *node(liq_ty_kind kind)
{
  liq_type *t = liq_ty_alloc(sizeof *t);
  t->kind = kind;
  t->pos = liq_span_none;
  return t;
}

liq_type *liq_ty_var_c(int level, unsigned constraints)
{
  liq_type *t = node(LIQ_T_VAR);
  t->u.var.level = level;
  t->u.var.constraints = constraints;
  t->u.var.id = next_var_id++;
  return t;
}

liq_type *liq_ty_var(int level) { return liq_ty_var_c(level, 0); }
liq_type *liq_ty_ground(liq_ty_kind kind) { return node(kind); }

liq_type *liq_ty_named(const char *name)
{
  liq_type *t = node(LIQ_T_GROUND);
  t->u.name = liq_ty_strdup(name);
  return t;
}

liq_type *liq_ty_tuple(liq_type **items, int n)
{
  liq_type *t = node(LIQ_T_TUPLE);
  t->u.tuple.n = n;
  if (n) {
    t->u.tuple.items = liq_ty_alloc(sizeof(liq_type *) * (size_t)n);
    memcpy(t->u.tuple.items, items, sizeof(liq_type *) * (size_t)n);
  }
  return t;
}

liq_type *liq_ty_unit(void) { return liq_ty_tuple(NULL, 0); }

liq_type *liq_ty_pair(liq_type *a, liq_type *b)
{
  liq_type *items[2] = {a, b};
  return liq_ty_tuple(items, 2);
}

static liq_type *wrap(liq_ty_kind kind, liq_type *inner)
{
  liq_type *t = node(kind);
  t->u.inner = inner;
  return t;
}

liq_type *liq_ty_list(liq_type *elem) { return wrap(LIQ_T_LIST, elem); }
liq_type *liq_ty_nullable(liq_type *inner) { return wrap(LIQ_T_NULLABLE, inner); }
liq_type *liq_ty_getter(liq_type *inner) { return wrap(LIQ_T_GETTER, inner); }

liq_type *liq_ty_arrow(const liq_ty_param *params, int n, liq_type *ret)
{
  liq_type *t = node(LIQ_T_ARROW);
  t->u.arrow.n = n;
  if (n) {
    t->u.arrow.params = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)n);
    memcpy(t->u.arrow.params, params, sizeof(liq_ty_param) * (size_t)n);
  }
  t->u.arrow.ret = ret;
  return t;
}

liq_type *liq_ty_meth(const char *name, liq_type **vars, int nvars, liq_type *type,
                      liq_type *base)
{
  liq_type *t = node(LIQ_T_METH);
  t->u.meth.name = name;
  t->u.meth.type = type;
  t->u.meth.base = base;
  t->u.meth.nvars = nvars;
  if (nvars) {
    t->u.meth.vars = liq_ty_alloc(sizeof(liq_type *) * (size_t)nvars);
    memcpy(t->u.meth.vars, vars, sizeof(liq_type *) * (size_t)nvars);
  }
  return t;
}

liq_type *liq_ty_constr(const char *name, const liq_ty_arg *args, int n)
{
  liq_type *t = node(LIQ_T_CONSTR);
  t->u.constr.name = name;
  t->u.constr.n = n;
  t->u.constr.has_args = n > 0;
  if (n) {
    t->u.constr.args = liq_ty_alloc(sizeof(liq_ty_arg) * (size_t)n);
    memcpy(t->u.constr.args, args, sizeof(liq_ty_arg) * (size_t)n);
  }
  return t;
}

liq_type *liq_ty_ref(liq_type *inner)
{
  liq_ty_arg a = {NULL, inner};
  return liq_ty_constr("ref", &a, 1);
}

liq_type *liq_ty_at(liq_type *t, liq_span pos)
{
  t = liq_ty_deref(t);
  if (t->kind == LIQ_T_VAR) return t; /* a free variable keeps its identity */
  liq_type *c = node(t->kind);
  *c = *t;
  c->pos = pos;
  return c;
}

/* --- Inspection ------------------------------------------------------------ */

liq_type *liq_ty_deref(liq_type *t)
{
  while (t->kind == LIQ_T_VAR && t->u.var.link) t = t->u.var.link;
  return t;
}

int liq_ty_is_free_var(liq_type *t) { return liq_ty_deref(t)->kind == LIQ_T_VAR; }

int liq_ty_is_unit(liq_type *t)
{
  t = liq_ty_deref(t);
  return t->kind == LIQ_T_TUPLE && t->u.tuple.n == 0;
}

liq_type *liq_ty_demeth(liq_type *t)
{
  t = liq_ty_deref(t);
  while (t->kind == LIQ_T_METH) t = liq_ty_deref(t->u.meth.base);
  return t;
}

liq_type *liq_ty_find_meth(liq_type *t, const char *name)
{
  for (t = liq_ty_deref(t); t->kind == LIQ_T_METH; t = liq_ty_deref(t->u.meth.base))
    if (strcmp(t->u.meth.name, name) == 0) return t;
  return NULL;
}

int liq_ty_meth_names(liq_type *t, const char **names, int max)
{
  int n = 0;
  for (t = liq_ty_deref(t); t->kind == LIQ_T_METH; t = liq_ty_deref(t->u.meth.base)) {
    int seen = 0;
    for (int i = 0; i < n && i < max; i++)
      if (strcmp(names[i], t->u.meth.name) == 0) seen = 1;
    if (seen) continue;
    if (n < max) names[n] = t->u.meth.name;
    n++;
  }
  return n;
}

/* --- Trail ----------------------------------------------------------------- */

typedef struct {
  liq_type *var;
  liq_type *link;
  int level;
  unsigned constraints;
  int covariant;
} trail_entry;

static trail_entry *trail;
static size_t trail_cap;

static void trail_push(liq_type *v)
{
  if (trail_len == trail_cap) {
    trail_cap = trail_cap ? trail_cap * 2 : 256;
    trail = liq_mem_realloc(trail, sizeof(trail_entry) * trail_cap);
  }
  trail[trail_len++] = (trail_entry){v, v->u.var.link, v->u.var.level, v->u.var.constraints,
                                     v->u.var.covariant};
}

size_t liq_ty_mark(void) { return trail_len; }

void liq_ty_undo(size_t mark)
{
  while (trail_len > mark) {
    trail_entry *e = &trail[--trail_len];
    e->var->u.var.link = e->link;
    e->var->u.var.level = e->level;
    e->var->u.var.constraints = e->constraints;
    e->var->u.var.covariant = e->covariant;
  }
}

void liq_ty_commit(void) { trail_len = 0; }

static void set_link(liq_type *v, liq_type *t, int covariant)
{
  trail_push(v);
  v->u.var.link = t;
  v->u.var.covariant = covariant;
}

static void set_level(liq_type *v, int level)
{
  trail_push(v);
  v->u.var.level = level;
}

static void add_constraints(liq_type *v, unsigned c)
{
  if ((v->u.var.constraints | c) == v->u.var.constraints) return;
  trail_push(v);
  v->u.var.constraints |= c;
}

/* --- Traversal helpers ----------------------------------------------------- */

/* Calls f on every free variable of t (once per occurrence), skipping the
 * variables owned by method schemes. */
typedef void (*var_fn)(liq_type *v, void *data);

static int owned(liq_type *v, liq_type **bound, int nbound)
{
  for (int i = 0; i < nbound; i++)
    if (bound[i] == v) return 1;
  return 0;
}

/* Method schemes nest rarely and shallowly; 256 owned variables in scope
 * at once is far beyond any real type. */
#define MAX_BOUND 256

static void walk_vars(liq_type *t, var_fn f, void *data, liq_type **bound, int nbound)
{
  t = liq_ty_deref(t);
  switch (t->kind) {
  case LIQ_T_VAR:
    if (!owned(t, bound, nbound)) f(t, data);
    break;
  case LIQ_T_TUPLE:
    for (int i = 0; i < t->u.tuple.n; i++) walk_vars(t->u.tuple.items[i], f, data, bound, nbound);
    break;
  case LIQ_T_LIST:
  case LIQ_T_NULLABLE:
  case LIQ_T_GETTER:
    walk_vars(t->u.inner, f, data, bound, nbound);
    break;
  case LIQ_T_ARROW:
    for (int i = 0; i < t->u.arrow.n; i++) walk_vars(t->u.arrow.params[i].type, f, data, bound, nbound);
    walk_vars(t->u.arrow.ret, f, data, bound, nbound);
    break;
  case LIQ_T_METH: {
    int n = nbound;
    for (int i = 0; i < t->u.meth.nvars && n < MAX_BOUND; i++) bound[n++] = t->u.meth.vars[i];
    walk_vars(t->u.meth.type, f, data, bound, n);
    walk_vars(t->u.meth.base, f, data, bound, nbound);
    break;
  }
  case LIQ_T_CONSTR:
    for (int i = 0; i < t->u.constr.n; i++) walk_vars(t->u.constr.args[i].type, f, data, bound, nbound);
    break;
  default:
    break;
  }
}

static void for_vars(liq_type *t, var_fn f, void *data)
{
  liq_type *bound[MAX_BOUND];
  walk_vars(t, f, data, bound, 0);
}

/* --- Polymorphism ---------------------------------------------------------- */

static void generalize_var(liq_type *v, void *data)
{
  int level = *(int *)data;
  if (v->u.var.level > level) v->u.var.level = LIQ_TY_GENERIC;
}

void liq_ty_generalize(liq_type *t, int level) { for_vars(t, generalize_var, &level); }

static void lower_var(liq_type *v, void *data)
{
  int level = *(int *)data;
  if (v->u.var.level != LIQ_TY_GENERIC && v->u.var.level > level) set_level(v, level);
}

void liq_ty_lower(liq_type *t, int level) { for_vars(t, lower_var, &level); }

static void has_generic_var(liq_type *v, void *data)
{
  if (v->u.var.level == LIQ_TY_GENERIC) *(int *)data = 1;
}

int liq_ty_has_generic(liq_type *t)
{
  int found = 0;
  for_vars(t, has_generic_var, &found);
  return found;
}

typedef struct {
  liq_type **vars;
  int n, cap;
  int level;
} var_set;

static void collect_meth_var(liq_type *v, void *data)
{
  var_set *s = data;
  if (v->u.var.level == LIQ_TY_GENERIC || v->u.var.level <= s->level) return;
  for (int i = 0; i < s->n; i++)
    if (s->vars[i] == v) return;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    liq_type **nv = liq_ty_alloc(sizeof(liq_type *) * (size_t)s->cap);
    if (s->n) memcpy(nv, s->vars, sizeof(liq_type *) * (size_t)s->n);
    s->vars = nv;
  }
  s->vars[s->n++] = v;
}

void liq_ty_generalize_meth(liq_type *m, int level)
{
  var_set s = {NULL, 0, 0, level};
  for_vars(m->u.meth.type, collect_meth_var, &s);
  for (int i = 0; i < s.n; i++) s.vars[i]->u.var.level = LIQ_TY_GENERIC;
  m->u.meth.vars = s.vars;
  m->u.meth.nvars = s.n;
}

/* Instantiation: a substitution from generic variables to fresh ones. */
typedef struct {
  liq_type **from, **to;
  int n, cap;
  int level;
  int all; /* substitute every generic variable, owned or not */
} subst;

static liq_type *subst_lookup(subst *s, liq_type *v)
{
  for (int i = 0; i < s->n; i++)
    if (s->from[i] == v) return s->to[i];
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    liq_type **nf = liq_ty_alloc(sizeof(liq_type *) * (size_t)s->cap);
    liq_type **nt = liq_ty_alloc(sizeof(liq_type *) * (size_t)s->cap);
    if (s->n) {
      memcpy(nf, s->from, sizeof(liq_type *) * (size_t)s->n);
      memcpy(nt, s->to, sizeof(liq_type *) * (size_t)s->n);
    }
    s->from = nf;
    s->to = nt;
  }
  liq_type *fresh = liq_ty_var_c(s->level, v->u.var.constraints);
  fresh->pos = v->pos;
  s->from[s->n] = v;
  s->to[s->n] = fresh;
  s->n++;
  return fresh;
}

static liq_type *inst(liq_type *t, subst *s, liq_type **bound, int nbound)
{
  liq_type *d = liq_ty_deref(t);
  liq_type *c;
  switch (d->kind) {
  case LIQ_T_VAR:
    if (d->u.var.level != LIQ_TY_GENERIC || owned(d, bound, nbound)) return d;
    return subst_lookup(s, d);
  case LIQ_T_TUPLE: {
    liq_type **items = NULL;
    for (int i = 0; i < d->u.tuple.n; i++) {
      liq_type *x = inst(d->u.tuple.items[i], s, bound, nbound);
      if (x != d->u.tuple.items[i] && !items) {
        items = liq_ty_alloc(sizeof(liq_type *) * (size_t)d->u.tuple.n);
        memcpy(items, d->u.tuple.items, sizeof(liq_type *) * (size_t)d->u.tuple.n);
      }
      if (items) items[i] = x;
    }
    if (!items) return d;
    c = node(LIQ_T_TUPLE);
    *c = *d;
    c->u.tuple.items = items;
    return c;
  }
  case LIQ_T_LIST:
  case LIQ_T_NULLABLE:
  case LIQ_T_GETTER: {
    liq_type *x = inst(d->u.inner, s, bound, nbound);
    if (x == d->u.inner) return d;
    c = node(d->kind);
    *c = *d;
    c->u.inner = x;
    return c;
  }
  case LIQ_T_ARROW: {
    liq_ty_param *params = NULL;
    for (int i = 0; i < d->u.arrow.n; i++) {
      liq_type *x = inst(d->u.arrow.params[i].type, s, bound, nbound);
      if (x != d->u.arrow.params[i].type && !params) {
        params = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)d->u.arrow.n);
        memcpy(params, d->u.arrow.params, sizeof(liq_ty_param) * (size_t)d->u.arrow.n);
      }
      if (params) params[i].type = x;
    }
    liq_type *ret = inst(d->u.arrow.ret, s, bound, nbound);
    if (!params && ret == d->u.arrow.ret) return d;
    c = node(LIQ_T_ARROW);
    *c = *d;
    if (params) c->u.arrow.params = params;
    c->u.arrow.ret = ret;
    return c;
  }
  case LIQ_T_METH: {
    int n = nbound;
    if (!s->all)
      for (int i = 0; i < d->u.meth.nvars && n < MAX_BOUND; i++) bound[n++] = d->u.meth.vars[i];
    liq_type *ty = inst(d->u.meth.type, s, bound, n);
    liq_type *base = inst(d->u.meth.base, s, bound, nbound);
    if (ty == d->u.meth.type && base == d->u.meth.base) return d;
    c = node(LIQ_T_METH);
    *c = *d;
    c->u.meth.type = ty;
    c->u.meth.base = base;
    if (s->all) {
      c->u.meth.vars = NULL;
      c->u.meth.nvars = 0;
    }
    return c;
  }
  case LIQ_T_CONSTR: {
    liq_ty_arg *args = NULL;
    for (int i = 0; i < d->u.constr.n; i++) {
      liq_type *x = inst(d->u.constr.args[i].type, s, bound, nbound);
      if (x != d->u.constr.args[i].type && !args) {
        args = liq_ty_alloc(sizeof(liq_ty_arg) * (size_t)d->u.constr.n);
        memcpy(args, d->u.constr.args, sizeof(liq_ty_arg) * (size_t)d->u.constr.n);
      }
      if (args) args[i].type = x;
    }
    if (!args) return d;
    c = node(LIQ_T_CONSTR);
    *c = *d;
    c->u.constr.args = args;
    return c;
  }
  default:
    return d;
  }
}

liq_type *liq_ty_instantiate(liq_type *t, int level)
{
  subst s = {NULL, NULL, 0, 0, level, 0};
  liq_type *bound[MAX_BOUND];
  return inst(t, &s, bound, 0);
}

liq_type *liq_ty_instantiate_meth(liq_type *m, int level)
{
  if (m->u.meth.nvars == 0) return m->u.meth.type;
  subst s = {NULL, NULL, 0, 0, level, 0};
  for (int i = 0; i < m->u.meth.nvars; i++) subst_lookup(&s, m->u.meth.vars[i]);
  liq_type *bound[MAX_BOUND];
  return inst(m->u.meth.type, &s, bound, 0);
}

/* --- Constraints ----------------------------------------------------------- */

int liq_ty_satisfies(liq_type *t, unsigned c)
{
  t = liq_ty_deref(t);
  if (!c) return 1;
  switch (t->kind) {
  case LIQ_T_VAR:
    if (t->u.var.level != LIQ_TY_GENERIC) add_constraints(t, c);
    return 1;
  case LIQ_T_METH:
    if (c & LIQ_TY_C_ORD)
      for (liq_type *m = t; m->kind == LIQ_T_METH; m = liq_ty_deref(m->u.meth.base))
        if (!liq_ty_satisfies(m->u.meth.type, LIQ_TY_C_ORD)) return 0;
    return liq_ty_satisfies(liq_ty_demeth(t), c);
  case LIQ_T_INT:
  case LIQ_T_FLOAT:
  case LIQ_T_NEVER:
    return 1;
  default:
    break;
  }
  if ((c & LIQ_TY_C_NUM)) return 0;
  if (!(c & LIQ_TY_C_ORD)) return 1;
  switch (t->kind) {
  case LIQ_T_STRING:
  case LIQ_T_BOOL:
  case LIQ_T_GROUND:
    return 1;
  case LIQ_T_TUPLE:
    for (int i = 0; i < t->u.tuple.n; i++)
      if (!liq_ty_satisfies(t->u.tuple.items[i], LIQ_TY_C_ORD)) return 0;
    return 1;
  case LIQ_T_LIST:
  case LIQ_T_NULLABLE:
    return liq_ty_satisfies(t->u.inner, LIQ_TY_C_ORD);
  default:
    return 0; /* functions, getters, sources, refs, formats */
  }
}

const char *liq_ty_constraint_name(unsigned c)
{
  if ((c & LIQ_TY_C_NUM) && (c & LIQ_TY_C_ORD)) return "an orderable type and a number type";
  if (c & LIQ_TY_C_NUM) return "a number type";
  if (c & LIQ_TY_C_ORD) return "an orderable type";
  if (c & LIQ_TY_C_INTERNAL) return "an internal media type";
  return "any type";
}

/* --- Subtyping ------------------------------------------------------------- */

static liq_type *hole(void) { return node(LIQ_T_HOLE); }

static int fail(liq_ty_err *err, liq_ty_err_kind kind, liq_type *a, liq_type *b)
{
  err->kind = kind;
  err->left = err->leaf_left = a;
  err->right = err->leaf_right = b;
  err->name = NULL;
  err->constraint = 0;
  return 0;
}

static int occurs(liq_type *v, liq_type *t)
{
  t = liq_ty_deref(t);
  if (t == v) return 1;
  switch (t->kind) {
  case LIQ_T_TUPLE:
    for (int i = 0; i < t->u.tuple.n; i++)
      if (occurs(v, t->u.tuple.items[i])) return 1;
    return 0;
  case LIQ_T_LIST:
  case LIQ_T_NULLABLE:
  case LIQ_T_GETTER:
    return occurs(v, t->u.inner);
  case LIQ_T_ARROW:
    for (int i = 0; i < t->u.arrow.n; i++)
      if (occurs(v, t->u.arrow.params[i].type)) return 1;
    return occurs(v, t->u.arrow.ret);
  case LIQ_T_METH:
    return occurs(v, t->u.meth.type) || occurs(v, t->u.meth.base);
  case LIQ_T_CONSTR:
    for (int i = 0; i < t->u.constr.n; i++)
      if (occurs(v, t->u.constr.args[i].type)) return 1;
    return 0;
  default:
    return 0;
  }
}

/* Binds free variable v to t. value_side: v is on the left of `<:`, so
 * the error shows v as the value's type. */
static int bind(liq_type *v, liq_type *t, int covariant, int value_side, liq_ty_err *err)
{
  t = liq_ty_deref(t);
  if (t == v) return 1;
  if (occurs(v, t))
    return value_side ? fail(err, LIQ_TY_ERR_OCCURS, v, t) : fail(err, LIQ_TY_ERR_OCCURS, t, v);
  if (t->kind == LIQ_T_VAR) {
    /* Variable to variable: the survivor takes both constraints. */
    if (t->u.var.level > v->u.var.level) set_level(t, v->u.var.level);
    add_constraints(t, v->u.var.constraints);
  } else {
    liq_ty_lower(t, v->u.var.level);
    if (v->u.var.constraints && !liq_ty_satisfies(t, v->u.var.constraints)) {
      fail(err, LIQ_TY_ERR_CONSTRAINT, value_side ? v : t, value_side ? t : v);
      err->constraint = v->u.var.constraints;
      return 0;
    }
  }
  set_link(v, t, covariant);
  return 1;
}

static int sub_rec(liq_type *a, liq_type *b, liq_ty_err *err);

/* Error display builders: keep the failing part, hole the rest. */
static liq_type *display_tuple(liq_type *t, int i, liq_type *part)
{
  liq_type **items = liq_ty_alloc(sizeof(liq_type *) * (size_t)t->u.tuple.n);
  for (int j = 0; j < t->u.tuple.n; j++) items[j] = j == i ? part : hole();
  return liq_ty_tuple(items, t->u.tuple.n);
}

static liq_type *display_arrow_param(liq_type *t, int i, liq_type *part)
{
  liq_ty_param *params = liq_ty_alloc(sizeof(liq_ty_param) * (size_t)t->u.arrow.n);
  for (int j = 0; j < t->u.arrow.n; j++) {
    params[j] = t->u.arrow.params[j];
    params[j].type = j == i ? part : hole();
  }
  return liq_ty_arrow(params, t->u.arrow.n, hole());
}

static liq_type *display_arrow_ret(liq_type *t, liq_type *part)
{
  liq_type *r = liq_ty_arrow(NULL, 0, part);
  r->u.arrow.elided = t->u.arrow.n > 0;
  return r;
}

static liq_type *display_field(const char *name, liq_type *part)
{
  liq_type *m = liq_ty_meth(name, NULL, 0, part, liq_ty_unit());
  m->u.meth.elided = 1;
  return m;
}

static liq_type *display_constr(liq_type *t, int i, liq_type *part)
{
  liq_ty_arg *args = liq_ty_alloc(sizeof(liq_ty_arg) * (size_t)t->u.constr.n);
  for (int j = 0; j < t->u.constr.n; j++) {
    args[j] = t->u.constr.args[j];
    args[j].type = j == i ? part : hole();
  }
  return liq_ty_constr(t->u.constr.name, args, t->u.constr.n);
}

static int same_label(const char *a, const char *b)
{
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

static int sub_arrow(liq_type *a, liq_type *b, liq_ty_err *err)
{
  int n1 = a->u.arrow.n;
  char used_small[32];
  char *used = n1 <= 32 ? used_small : liq_ty_alloc((size_t)n1);
  memset(used, 0, (size_t)n1);
  for (int j = 0; j < b->u.arrow.n; j++) {
    liq_ty_param *q = &b->u.arrow.params[j];
    int found = -1;
    for (int i = 0; i < n1; i++)
      if (!used[i] && same_label(a->u.arrow.params[i].label, q->label)) {
        found = i;
        break;
      }
    if (found < 0 || (q->optional && !a->u.arrow.params[found].optional))
      return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
    used[found] = 1;
    /* Parameters are contravariant. */
    if (!sub_rec(q->type, a->u.arrow.params[found].type, err)) {
      liq_type *l = err->left, *r = err->right, *ll = err->leaf_left;
      err->left = display_arrow_param(a, found, r);
      err->right = display_arrow_param(b, j, l);
      err->leaf_left = err->leaf_right;
      err->leaf_right = ll;
      return 0;
    }
  }
  for (int i = 0; i < n1; i++)
    if (!used[i] && !a->u.arrow.params[i].optional) return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
  if (!sub_rec(a->u.arrow.ret, b->u.arrow.ret, err)) {
    err->left = display_arrow_ret(a, err->left);
    err->right = display_arrow_ret(b, err->right);
    return 0;
  }
  return 1;
}

/* A method chain flattened: the visible fields (outermost first, shadowed
 * ones dropped) and the base under them. */
typedef struct {
  liq_type **fields;
  int n;
  liq_type *base;
} meth_view;

static void view_meths(liq_type *t, meth_view *v)
{
  int cap = 0;
  v->fields = NULL;
  v->n = 0;
  for (t = liq_ty_deref(t); t->kind == LIQ_T_METH; t = liq_ty_deref(t->u.meth.base)) {
    int seen = 0;
    for (int i = 0; i < v->n; i++)
      if (strcmp(v->fields[i]->u.meth.name, t->u.meth.name) == 0) seen = 1;
    if (seen) continue;
    if (v->n == cap) {
      cap = cap ? 2 * cap : 8;
      liq_type **nf = liq_ty_alloc(sizeof(liq_type *) * (size_t)cap);
      if (v->n) memcpy(nf, v->fields, sizeof(liq_type *) * (size_t)v->n);
      v->fields = nf;
    }
    v->fields[v->n++] = t;
  }
  v->base = t;
}

/* Rebuilds a chain from fields (skipping those marked in skip) over base. */
static liq_type *rebuild_meths(liq_type **fields, int n, const char *skip, liq_type *base)
{
  liq_type *t = base;
  for (int i = n - 1; i >= 0; i--) {
    if (skip && skip[i]) continue;
    liq_type *m = node(LIQ_T_METH);
    *m = *fields[i];
    m->u.meth.base = t;
    t = m;
  }
  return t;
}

static int sub_meth(liq_type *a, liq_type *b, liq_ty_err *err)
{
  meth_view vb;
  view_meths(b, &vb);
  /* Both bases known and incompatible (a string where an error is
   * expected): that, not a missing method, is the mistake to report. */
  liq_type *ab = liq_ty_demeth(a), *bb = liq_ty_deref(vb.base);
  if (ab->kind != LIQ_T_VAR && bb->kind != LIQ_T_VAR) {
    size_t mark = liq_ty_mark();
    liq_ty_err ignored;
    int ok = sub_rec(ab, bb, &ignored);
    liq_ty_undo(mark);
    if (!ok) return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
  }
  for (int j = 0; j < vb.n; j++) {
    liq_type *fb = vb.fields[j];
    const char *name = fb->u.meth.name;
    liq_type *fa = liq_ty_find_meth(a, name);
    if (!fa) {
      liq_type *base = liq_ty_demeth(a);
      if (fb->u.meth.optional) continue;
      if (base->kind == LIQ_T_VAR) {
        /* Row extension: the value's open base gains the method. */
        liq_type *rest = liq_ty_var(base->u.var.level);
        liq_type *ty = liq_ty_instantiate_meth(fb, base->u.var.level);
        liq_type *ext = liq_ty_meth(name, NULL, 0, ty, rest);
        if (!bind(base, ext, 0, 1, err)) return 0;
        continue;
      }
      fail(err, LIQ_TY_ERR_NO_METHOD, a, b);
      err->name = name;
      return 0;
    }
    int level = LIQ_TY_GENERIC - 1;
    liq_type *ta = liq_ty_instantiate_meth(fa, level);
    liq_type *tb = liq_ty_instantiate_meth(fb, level);
    if (fb->u.meth.optional && !fa->u.meth.optional) {
      /* {foo : t?} <: {foo? : t} (HEAD) */
      tb = liq_ty_nullable(tb);
    }
    if (!sub_rec(ta, tb, err)) {
      err->left = display_field(name, err->left);
      err->right = display_field(name, err->right);
      return 0;
    }
  }
  liq_type *bbase = liq_ty_deref(vb.base);
  meth_view va;
  view_meths(a, &va);
  if (bbase->kind == LIQ_T_VAR) {
    /* An open row on the right takes every field the right did not name. */
    char *skip = liq_ty_alloc((size_t)va.n + 1);
    for (int i = 0; i < va.n; i++)
      for (int j = 0; j < vb.n; j++)
        if (strcmp(va.fields[i]->u.meth.name, vb.fields[j]->u.meth.name) == 0) skip[i] = 1;
    return sub_rec(rebuild_meths(va.fields, va.n, skip, va.base), bbase, err);
  }
  return sub_rec(va.base, bbase, err);
}

static int sub_rec(liq_type *a, liq_type *b, liq_ty_err *err)
{
  /* A covariant link on the right may widen to the least upper bound. */
  while (b->kind == LIQ_T_VAR && b->u.var.link) {
    if (b->u.var.covariant) {
      size_t mark = liq_ty_mark();
      if (sub_rec(a, b->u.var.link, err)) return 1;
      liq_ty_err first = *err;
      liq_ty_undo(mark);
      liq_type *s = liq_ty_sup(a, b->u.var.link);
      if (s && !occurs(b, s)) {
        set_link(b, s, 1);
        return 1;
      }
      *err = first;
      return 0;
    }
    b = b->u.var.link;
  }
  /* A covariant link read on the left is now used at that type. */
  while (a->kind == LIQ_T_VAR && a->u.var.link) {
    if (a->u.var.covariant) set_link(a, a->u.var.link, 0);
    a = a->u.var.link;
  }
  if (a == b) return 1;
  if (b->kind == LIQ_T_VAR) return bind(b, a, 1, 0, err);
  if (a->kind == LIQ_T_VAR) return bind(a, b, 0, 1, err);
  if (b->kind == LIQ_T_METH) return sub_meth(a, b, err);
  if (a->kind == LIQ_T_METH && b->kind == LIQ_T_NULLABLE && liq_ty_demeth(a)->kind != LIQ_T_NULLABLE) {
    /* t.{m} <: (t.{m})?: the methods go with the value into the option
     * (an error where an `error.{kind...}?` is expected). */
    if (sub_rec(a, b->u.inner, err)) return 1;
    if (err->left == a) err->right = b;
    return 0;
  }
  if (a->kind == LIQ_T_METH) return sub_rec(liq_ty_demeth(a), b, err);
  if (a->kind == LIQ_T_NEVER) return 1;
  switch (b->kind) {
  case LIQ_T_NULLABLE:
    if (a->kind == LIQ_T_NULLABLE) {
      if (sub_rec(a->u.inner, b->u.inner, err)) return 1;
      err->left = liq_ty_nullable(err->left);
      err->right = liq_ty_nullable(err->right);
      return 0;
    }
    if (sub_rec(a, b->u.inner, err)) return 1;
    if (err->left == a) err->right = b; /* int vs string? reads better whole */
    return 0;
  case LIQ_T_GETTER:
    if (a->kind == LIQ_T_GETTER) {
      if (sub_rec(a->u.inner, b->u.inner, err)) return 1;
      err->left = liq_ty_getter(err->left);
      err->right = liq_ty_getter(err->right);
      return 0;
    }
    if (a->kind == LIQ_T_ARROW && a->u.arrow.n == 0) {
      if (sub_rec(a->u.arrow.ret, b->u.inner, err)) return 1;
      err->left = display_arrow_ret(a, err->left);
      err->right = liq_ty_getter(err->right);
      return 0;
    }
    if (sub_rec(a, b->u.inner, err)) return 1;
    if (err->left == a) err->right = b;
    return 0;
  default:
    break;
  }
  if (a->kind != b->kind) return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
  switch (a->kind) {
  case LIQ_T_INT:
  case LIQ_T_FLOAT:
  case LIQ_T_STRING:
  case LIQ_T_BOOL:
    return 1;
  case LIQ_T_GROUND:
    return strcmp(a->u.name, b->u.name) == 0 ? 1 : fail(err, LIQ_TY_ERR_MISMATCH, a, b);
  case LIQ_T_TUPLE:
    if (a->u.tuple.n != b->u.tuple.n) return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
    for (int i = 0; i < a->u.tuple.n; i++)
      if (!sub_rec(a->u.tuple.items[i], b->u.tuple.items[i], err)) {
        err->left = display_tuple(a, i, err->left);
        err->right = display_tuple(b, i, err->right);
        return 0;
      }
    return 1;
  case LIQ_T_LIST:
    if (sub_rec(a->u.inner, b->u.inner, err)) return 1;
    err->left = liq_ty_list(err->left);
    err->right = liq_ty_list(err->right);
    return 0;
  case LIQ_T_ARROW:
    return sub_arrow(a, b, err);
  case LIQ_T_CONSTR:
    if (strcmp(a->u.constr.name, b->u.constr.name) != 0 || a->u.constr.n != b->u.constr.n)
      return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
    for (int i = 0; i < a->u.constr.n; i++) {
      if (!same_label(a->u.constr.args[i].label, b->u.constr.args[i].label))
        return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
      /* Constructor parameters are invariant. */
      int ok = sub_rec(a->u.constr.args[i].type, b->u.constr.args[i].type, err);
      if (ok && !sub_rec(b->u.constr.args[i].type, a->u.constr.args[i].type, err)) {
        liq_type *l = err->left, *ll = err->leaf_left;
        err->left = err->right;
        err->right = l;
        err->leaf_left = err->leaf_right;
        err->leaf_right = ll;
        ok = 0;
      }
      if (!ok) {
        err->left = display_constr(a, i, err->left);
        err->right = display_constr(b, i, err->right);
        return 0;
      }
    }
    return 1;
  default:
    return fail(err, LIQ_TY_ERR_MISMATCH, a, b);
  }
}

int liq_ty_sub(liq_type *a, liq_type *b, liq_ty_err *err)
{
  liq_ty_err local;
  if (!err) err = &local;
  size_t mark = liq_ty_mark();
  if (sub_rec(a, b, err)) return 1;
  liq_ty_undo(mark);
  return 0;
}

int liq_ty_unify(liq_type *a, liq_type *b, liq_ty_err *err)
{
  size_t mark = liq_ty_mark();
  if (liq_ty_sub(a, b, err) && liq_ty_sub(b, a, err)) return 1;
  liq_ty_undo(mark);
  return 0;
}

/* --- Least upper bound ----------------------------------------------------- */

static int try_sub(liq_type *a, liq_type *b)
{
  liq_ty_err err;
  size_t mark = liq_ty_mark();
  if (sub_rec(a, b, &err)) return 1;
  liq_ty_undo(mark);
  return 0;
}

liq_type *liq_ty_sup(liq_type *a, liq_type *b)
{
  if (try_sub(a, b)) return b;
  if (try_sub(b, a)) return a;
  a = liq_ty_deref(a);
  b = liq_ty_deref(b);
  size_t mark = liq_ty_mark();
  liq_type *s = NULL;
  if (a->kind == LIQ_T_METH || b->kind == LIQ_T_METH) {
    /* Records join on the fields both have with compatible types. */
    meth_view va, vb;
    view_meths(a, &va);
    view_meths(b, &vb);
    liq_type *base = liq_ty_sup(va.base, vb.base);
    if (!base) goto out;
    s = base;
    for (int i = va.n - 1; i >= 0; i--) {
      liq_type *fa = va.fields[i];
      for (int j = 0; j < vb.n; j++) {
        liq_type *fb = vb.fields[j];
        if (strcmp(fa->u.meth.name, fb->u.meth.name) != 0) continue;
        liq_type *level_ta = liq_ty_instantiate_meth(fa, LIQ_TY_GENERIC - 1);
        liq_type *level_tb = liq_ty_instantiate_meth(fb, LIQ_TY_GENERIC - 1);
        size_t m2 = liq_ty_mark();
        liq_type *ft = liq_ty_sup(level_ta, level_tb);
        if (!ft) {
          liq_ty_undo(m2);
          break;
        }
        s = liq_ty_meth(fa->u.meth.name, NULL, 0, ft, s);
        break;
      }
    }
    return s;
  }
  if (a->kind == LIQ_T_NULLABLE || b->kind == LIQ_T_NULLABLE) {
    liq_type *x = a->kind == LIQ_T_NULLABLE ? a->u.inner : a;
    liq_type *y = b->kind == LIQ_T_NULLABLE ? b->u.inner : b;
    liq_type *in = liq_ty_sup(x, y);
    if (in) return liq_ty_nullable(in);
    goto out;
  }
  if (a->kind != b->kind) goto out;
  switch (a->kind) {
  case LIQ_T_LIST:
  case LIQ_T_GETTER: {
    liq_type *in = liq_ty_sup(a->u.inner, b->u.inner);
    if (in) return a->kind == LIQ_T_LIST ? liq_ty_list(in) : liq_ty_getter(in);
    break;
  }
  case LIQ_T_TUPLE: {
    if (a->u.tuple.n != b->u.tuple.n) break;
    liq_type **items = liq_ty_alloc(sizeof(liq_type *) * (size_t)(a->u.tuple.n + 1));
    for (int i = 0; i < a->u.tuple.n; i++) {
      items[i] = liq_ty_sup(a->u.tuple.items[i], b->u.tuple.items[i]);
      if (!items[i]) goto out;
    }
    return liq_ty_tuple(items, a->u.tuple.n);
  }
  case LIQ_T_ARROW: {
    /* Same parameters, joined results. */
    if (a->u.arrow.n != b->u.arrow.n) break;
    for (int i = 0; i < a->u.arrow.n; i++) {
      liq_ty_param *p = &a->u.arrow.params[i], *q = &b->u.arrow.params[i];
      if (!same_label(p->label, q->label) || p->optional != q->optional) goto out;
      if (!try_sub(p->type, q->type) || !try_sub(q->type, p->type)) goto out;
    }
    liq_type *ret = liq_ty_sup(a->u.arrow.ret, b->u.arrow.ret);
    if (ret) return liq_ty_arrow(a->u.arrow.params, a->u.arrow.n, ret);
    break;
  }
  default:
    break;
  }
out:
  liq_ty_undo(mark);
  return NULL;
}

/* --- Printing -------------------------------------------------------------- */

void liq_ty_printer_init(liq_ty_printer *p) { memset(p, 0, sizeof *p); }

void liq_ty_printer_free(liq_ty_printer *p)
{
  for (int i = 0; i < p->nvars; i++) liq_mem_free(p->names[i]);
  liq_mem_free(p->vars);
  liq_mem_free(p->names);
  memset(p, 0, sizeof *p);
}

static const char *var_name(liq_ty_printer *p, liq_type *v)
{
  for (int i = 0; i < p->nvars; i++)
    if (p->vars[i] == v) return p->names[i];
  if (p->nvars == p->cap) {
    p->cap = p->cap ? 2 * p->cap : 8;
    p->vars = liq_mem_realloc(p->vars, sizeof(liq_type *) * (size_t)p->cap);
    p->names = liq_mem_realloc(p->names, sizeof(char *) * (size_t)p->cap);
  }
  int generic = v->u.var.level == LIQ_TY_GENERIC;
  int k = generic ? p->ngeneric++ : p->nweak++;
  char buf[32];
  char letter = (char)((generic ? 'a' : 'A') + k % 26);
  if (k < 26) snprintf(buf, sizeof buf, "'%c", letter);
  else snprintf(buf, sizeof buf, "'%c%d", letter, k / 26);
  p->vars[p->nvars] = v;
  p->names[p->nvars] = liq_mem_strdup(buf);
  return p->names[p->nvars++];
}

/* Contexts: where parentheses are needed around arrows and tuples. */
enum { CTX_TOP, CTX_ARG, CTX_POSTFIX };

static void print_rec(liq_sb *out, liq_ty_printer *p, liq_type *t, int ctx);

static int cmp_meth(const void *x, const void *y)
{
  const liq_type *a = *(liq_type *const *)x, *b = *(liq_type *const *)y;
  return strcmp(a->u.meth.name, b->u.meth.name);
}

static void print_meths(liq_sb *out, liq_ty_printer *p, liq_type *t)
{
  meth_view v;
  view_meths(t, &v);
  int elided = 0;
  for (liq_type *m = liq_ty_deref(t); m->kind == LIQ_T_METH; m = liq_ty_deref(m->u.meth.base))
    if (m->u.meth.elided) elided = 1;
  liq_type **sorted = liq_mem_alloc(sizeof(liq_type *) * (size_t)(v.n + 1));
  if (v.n) memcpy(sorted, v.fields, sizeof(liq_type *) * (size_t)v.n);
  qsort(sorted, (size_t)v.n, sizeof(liq_type *), cmp_meth);
  liq_type *base = liq_ty_deref(v.base);
  int record = base->kind == LIQ_T_TUPLE && base->u.tuple.n == 0;
  if (!record) {
    print_rec(out, p, base, CTX_POSTFIX);
    liq_sb_putc(out, '.');
  }
  liq_sb_putc(out, '{');
  int shown = v.n;
  if (p->max_fields > 0 && shown > p->max_fields) {
    shown = p->max_fields;
    elided = 1;
  }
  for (int i = 0; i < shown; i++) {
    liq_type *m = sorted[i];
    if (i) liq_sb_puts(out, ", ");
    if (m->u.meth.json_name) liq_sb_printf(out, "\"%s\" as ", m->u.meth.json_name);
    liq_sb_puts(out, m->u.meth.name);
    liq_sb_puts(out, m->u.meth.optional ? "? : " : " : ");
    for (int k = 0; k < m->u.meth.nvars; k++) {
      liq_sb_puts(out, var_name(p, m->u.meth.vars[k]));
      liq_sb_putc(out, '.');
    }
    print_rec(out, p, m->u.meth.type, CTX_TOP);
  }
  if (elided) liq_sb_puts(out, shown ? ", ..." : "...");
  liq_sb_putc(out, '}');
  liq_mem_free(sorted);
}

static void print_rec(liq_sb *out, liq_ty_printer *p, liq_type *t, int ctx)
{
  t = liq_ty_deref(t);
  switch (t->kind) {
  case LIQ_T_VAR:
    if ((t->u.var.constraints & LIQ_TY_C_INTERNAL) && !(t->u.var.constraints & ~LIQ_TY_C_INTERNAL))
      liq_sb_printf(out, "%sinternal(%s)", t->u.var.level == LIQ_TY_GENERIC ? "" : "?",
                    var_name(p, t));
    else liq_sb_puts(out, var_name(p, t));
    break;
  case LIQ_T_INT: liq_sb_puts(out, "int"); break;
  case LIQ_T_FLOAT: liq_sb_puts(out, "float"); break;
  case LIQ_T_STRING: liq_sb_puts(out, "string"); break;
  case LIQ_T_BOOL: liq_sb_puts(out, "bool"); break;
  case LIQ_T_NEVER: liq_sb_puts(out, "never"); break;
  case LIQ_T_HOLE: liq_sb_putc(out, '_'); break;
  case LIQ_T_GROUND: liq_sb_puts(out, t->u.name); break;
  case LIQ_T_TUPLE:
    if (t->u.tuple.n == 0) {
      liq_sb_puts(out, "unit");
      break;
    }
    if (ctx != CTX_TOP) liq_sb_putc(out, '(');
    for (int i = 0; i < t->u.tuple.n; i++) {
      if (i) liq_sb_puts(out, " * ");
      print_rec(out, p, t->u.tuple.items[i], CTX_ARG);
    }
    if (ctx != CTX_TOP) liq_sb_putc(out, ')');
    break;
  case LIQ_T_LIST:
    liq_sb_putc(out, '[');
    print_rec(out, p, t->u.inner, CTX_TOP);
    liq_sb_putc(out, ']');
    break;
  case LIQ_T_NULLABLE:
    print_rec(out, p, t->u.inner, CTX_POSTFIX);
    liq_sb_putc(out, '?');
    break;
  case LIQ_T_GETTER:
    liq_sb_putc(out, '{');
    print_rec(out, p, t->u.inner, CTX_TOP);
    liq_sb_putc(out, '}');
    break;
  case LIQ_T_ARROW:
    if (ctx != CTX_TOP) liq_sb_putc(out, '(');
    liq_sb_putc(out, '(');
    if (t->u.arrow.elided) liq_sb_puts(out, "...");
    else
      for (int i = 0; i < t->u.arrow.n; i++) {
        liq_ty_param *q = &t->u.arrow.params[i];
        if (i) liq_sb_puts(out, ", ");
        if (q->optional) liq_sb_putc(out, '?');
        if (q->label) liq_sb_printf(out, "%s : ", q->label);
        print_rec(out, p, q->type, CTX_ARG);
      }
    liq_sb_puts(out, ") -> ");
    print_rec(out, p, t->u.arrow.ret, CTX_TOP);
    if (ctx != CTX_TOP) liq_sb_putc(out, ')');
    break;
  case LIQ_T_METH:
    print_meths(out, p, t);
    break;
  case LIQ_T_CONSTR:
    liq_sb_puts(out, t->u.constr.name);
    if (t->u.constr.has_args || t->u.constr.n) {
      liq_sb_putc(out, '(');
      for (int i = 0; i < t->u.constr.n; i++) {
        if (i) liq_sb_puts(out, ", ");
        if (t->u.constr.args[i].label) liq_sb_printf(out, "%s=", t->u.constr.args[i].label);
        print_rec(out, p, t->u.constr.args[i].type, CTX_TOP);
      }
      liq_sb_putc(out, ')');
    }
    break;
  }
}

static void collect_print_var(liq_type *v, void *data)
{
  var_set *s = data;
  for (int i = 0; i < s->n; i++)
    if (s->vars[i] == v) return;
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 8;
    liq_type **nv = liq_ty_alloc(sizeof(liq_type *) * (size_t)s->cap);
    if (s->n) memcpy(nv, s->vars, sizeof(liq_type *) * (size_t)s->n);
    s->vars = nv;
  }
  s->vars[s->n++] = v;
}

static int cmp_var_id(const void *x, const void *y)
{
  const liq_type *a = *(liq_type *const *)x, *b = *(liq_type *const *)y;
  return a->u.var.id - b->u.var.id;
}

/* Variables are named in creation order, as liquidsoap does: in
 * `('b.{a : 'a}) -> 'a` the field's variable was created first. */
void liq_ty_printer_prepare(liq_ty_printer *p, liq_type *t)
{
  var_set s = {NULL, 0, 0, 0};
  liq_type *bound[MAX_BOUND];
  walk_vars(t, collect_print_var, &s, bound, 0);
  if (s.n > 1) qsort(s.vars, (size_t)s.n, sizeof(liq_type *), cmp_var_id);
  for (int i = 0; i < s.n; i++) var_name(p, s.vars[i]);
}

void liq_ty_print(liq_sb *out, liq_ty_printer *p, liq_type *t) { print_rec(out, p, t, CTX_TOP); }

void liq_ty_print_constraints(liq_sb *out, liq_ty_printer *p)
{
  int first = 1;
  for (int i = 0; i < p->nvars; i++) {
    unsigned c = p->vars[i]->u.var.constraints & (LIQ_TY_C_NUM | LIQ_TY_C_ORD);
    if (!c) continue;
    liq_sb_printf(out, "%s%s is %s", first ? " where " : ", ", p->names[i],
                  liq_ty_constraint_name(c));
    first = 0;
  }
}

char *liq_ty_to_string(liq_type *t)
{
  liq_sb sb = LIQ_SB_INIT;
  liq_ty_printer p;
  liq_ty_printer_init(&p);
  liq_ty_printer_prepare(&p, t);
  liq_ty_print(&sb, &p, t);
  liq_ty_print_constraints(&sb, &p);
  liq_ty_printer_free(&p);
  return liq_sb_take(&sb);
}
