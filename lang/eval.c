/* eval: the tree-walking evaluator (see eval.h for the model).
 *
 * Layout of this file: the root stack and call stack, errors (longjmp
 * based), environments and the global table, patterns, application, then
 * the expression walker and the toplevel. Builtins live in stdlib/lib_*.c;
 * the prelude in stdlib/prelude/ (.liq files). */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <sys/mman.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/diag.h"
#include "lang/enctype.h"
#include "lang/eval.h"
#include "lang/eval_internal.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/strbuf.h"

/* --- Root stack ---------------------------------------------------------------
 * Every temporary the walker holds across an allocation lives here. It is
 * a fixed array (slots never move); its size bounds the evaluation depth
 * together with max_depth below. */
#define STACK_SLOTS (1u << 22)
static liq_value *stk;
static size_t sp;

liq_value *liq_eval_push(liq_value v)
{
  if (sp >= STACK_SLOTS) liq_eval_raise("stack_overflow", "stack overflow");
  stk[sp] = v;
  return &stk[sp++];
}

void liq_eval_pop(int n) { sp -= (size_t)n; }

/* The call stack: call sites, for error positions. */
#define CALLS_MAX (1 << 20)
static liq_span *calls;
static int ncalls;
/* The default depth bound. ASan frames are much bigger (≈7 KB a level) and
 * ASan cleans up after a longjmp (the stack_overflow error) only when it
 * unwinds less than 64 MB of stack, above which it crashes on clock
 * threads: 8000 levels stay below that. A GC-stress build
 * collects at every allocation and each collection scans the whole root
 * stack, so a deep recursion costs depth^2: it gets a small bound. The
 * environment variable CLIQ_MAX_DEPTH overrides it (liq_eval_setup). */
#if defined(CLIQ_GC_STRESS)
#define DEFAULT_MAX_DEPTH 2000
#elif defined(CLIQ_SANITIZERS)
#define DEFAULT_MAX_DEPTH 8000
#else
#define DEFAULT_MAX_DEPTH 200000
#endif
static int max_depth = DEFAULT_MAX_DEPTH;
/* Address-based guard for the C stack: the CLI runs the evaluator on a
 * thread with a big stack and tells us its size. */
static char *stack_base;
static size_t stack_limit;

void liq_eval_set_max_depth(int depth) { max_depth = depth; }
void liq_eval_set_stack(void *base, size_t limit)
{
  stack_base = base;
  stack_limit = limit;
}

static liq_span cur_span(void) { return ncalls > 0 ? calls[ncalls - 1] : liq_span_none; }

static void push_call(liq_span sp_)
{
  if (ncalls >= max_depth || ncalls >= CALLS_MAX) liq_eval_raise("stack_overflow", "stack overflow");
  if (stack_base) {
    char here;
    if ((size_t)(stack_base - &here) > stack_limit) liq_eval_raise("stack_overflow", "stack overflow");
  }
  calls[ncalls++] = sp_;
}

static void root_hook(void *data)
{
  (void)data;
  for (size_t i = 0; i < sp; i++) liq_gc_mark(stk[i]);
}

/* --- Symbols --------------------------------------------------------------------
 * AST names are interned once: a small cache keyed by the name's address
 * alone (arena strings never move nor change while their tree lives). The
 * cache is emptied when a program starts (liq_eval_program) and at
 * shutdown, so the address of a freed tree's name is never matched. */
#define SYMCACHE 4096
static struct { const char *p; liq_sym s; } symcache[SYMCACHE];

liq_sym liq_eval_sym(const char *name)
{
  size_t h = ((uintptr_t)name >> 3) & (SYMCACHE - 1);
  if (symcache[h].p == name) return symcache[h].s;
  liq_sym s = liq_sym_permanent(name);
  symcache[h].p = name;
  symcache[h].s = s;
  return s;
}

/* --- Errors ------------------------------------------------------------------ */

typedef struct handler {
  jmp_buf jb;
  struct handler *prev;
  size_t sp;
  int ncalls;
  size_t pin_depth;
  liq_value *pin_mark;
} handler;

static handler *handlers;
static liq_value cur_exn = LIQ_NOVALUE; /* a GC root */
static int prelude_src_lo = -1, prelude_src_hi = -2;

static bool is_prelude(liq_span s) { return s.file >= prelude_src_lo && s.file <= prelude_src_hi; }

/* Error values: a custom block (kind, message, positions) carrying the
 * methods kind, message and positions. */
typedef struct {
  liq_value kind, message, positions;
} err_payload;

static void err_trace(void *p)
{
  err_payload *e = p;
  liq_gc_mark(e->kind);
  liq_gc_mark(e->message);
  liq_gc_mark(e->positions);
}

static void err_print(void *p, liq_sb *sb)
{
  err_payload *e = p;
  liq_sb_puts(sb, "error(kind=");
  liq_value_print(sb, e->kind, true);
  liq_sb_puts(sb, ", message=");
  liq_value_print(sb, e->message, true);
  liq_sb_puts(sb, ")");
}

static const liq_custom_ops err_ops = {"error", err_trace, NULL, err_print};

bool liq_eval_is_error(liq_value v)
{
  v = liq_v_base(v);
  return liq_value_kind(v) == LIQ_K_CUSTOM && liq_gc_custom_ops(v) == &err_ops;
}

liq_value liq_eval_error_kind(liq_value err)
{
  return ((err_payload *)liq_gc_custom_payload(liq_v_base(err)))->kind;
}
liq_value liq_eval_error_message(liq_value err)
{
  return ((err_payload *)liq_gc_custom_payload(liq_v_base(err)))->message;
}

static liq_value span_string(liq_span s)
{
  char buf[512];
  if (s.file < 0) return liq_v_cstring("<builtin>");
  snprintf(buf, sizeof buf, "%s:%d:%d", liq_src_name(s.file), s.line, s.col);
  return liq_v_cstring(buf);
}

/* A new error value; kind and message are strings (values). The positions
 * are the current call stack, innermost first. */
static liq_value error_make(liq_value kind, liq_value message, bool with_positions)
{
  liq_value *k = liq_eval_push(kind);
  liq_value *m = liq_eval_push(message);
  liq_value *pos = liq_eval_push(LIQ_NIL);
  if (with_positions) {
    for (int i = 0; i < ncalls; i++) {
      if (calls[i].file < 0) continue;
      liq_value s = span_string(calls[i]);
      *pos = liq_v_cons(s, *pos);
    }
  }
  liq_value *e = liq_eval_push(liq_gc_custom_new(&err_ops, sizeof(err_payload), 0));
  err_payload *p = liq_gc_custom_payload(*e);
  p->kind = *k;
  p->message = *m;
  p->positions = *pos;
  liq_sym names[3] = {liq_sym_permanent("kind"), liq_sym_permanent("message"),
                      liq_sym_permanent("positions")};
  liq_value vals[3] = {*k, *m, *pos};
  liq_value r = liq_v_meths_add(*e, 3, names, vals);
  liq_eval_pop(4);
  return r;
}

liq_value liq_eval_error_new(const char *kind, const char *msg, size_t msglen)
{
  liq_value *k = liq_eval_push(liq_v_cstring(kind));
  liq_value m = liq_v_string(msg, msglen);
  liq_value r = error_make(*k, m, false);
  liq_eval_pop(1);
  return r;
}

/* Where the error is reported and its call stack, saved at raise time. */
static liq_span *exn_spans;
static int exn_nspans;

void liq_eval_raise_value(liq_value err)
{
  cur_exn = err;
  /* Save the call stack for the toplevel report, skipping prelude frames
   * at the innermost end (errors raised inside the stdlib are reported
   * where the script called it). */
  int top = ncalls;
  while (top > 1 && is_prelude(calls[top - 1])) top--;
  exn_nspans = 0;
  for (int i = top - 1; i >= 0; i--)
    if (calls[i].file >= 0 && !is_prelude(calls[i])) exn_spans[exn_nspans++] = calls[i];
  if (!handlers) liq_gc_fatal("runtime error with no handler");
  longjmp(handlers->jb, 1);
}

liq_value (*liq_eval_on_raise)(liq_value err);

void liq_eval_raise(const char *kind, const char *fmt, ...)
{
  liq_sb sb = LIQ_SB_INIT;
  va_list ap;
  va_start(ap, fmt);
  liq_sb_vprintf(&sb, fmt, ap);
  va_end(ap);
  liq_value e = liq_eval_error_new(kind, liq_sb_str(&sb), sb.len);
  liq_sb_free(&sb);
  if (liq_eval_on_raise) e = liq_eval_on_raise(e);
  liq_eval_raise_value(e);
}

/* Runs fn(data) under a handler. Returns true on success (*result set);
 * false with *exn set when an error was raised. Both are pushed values'
 * slots owned by the caller? No: they are plain values, unrooted. */
typedef liq_value (*protected_fn)(void *data);

static bool protect(protected_fn fn, void *data, liq_value *result, liq_value *exn)
{
  handler h;
  h.prev = handlers;
  h.sp = sp;
  h.ncalls = ncalls;
  h.pin_mark = liq_gc_pin(LIQ_UNIT);
  h.pin_depth = liq_gc_pin_depth();
  handlers = &h;
  if (setjmp(h.jb) == 0) {
    liq_value r = fn(data);
    handlers = h.prev;
    liq_gc_unpin(h.pin_mark);
    *result = r;
    return true;
  }
  handlers = h.prev;
  sp = h.sp;
  ncalls = h.ncalls;
  while (liq_gc_pin_depth() > h.pin_depth)
    liq_gc_unpin(h.pin_mark + (liq_gc_pin_depth() - h.pin_depth));
  liq_gc_unpin(h.pin_mark);
  *exn = cur_exn;
  cur_exn = LIQ_NOVALUE;
  return false;
}

/* --- Globals ----------------------------------------------------------------- */

typedef struct { liq_sym key; liq_value v; } gslot;
static gslot *globals;
static size_t gcap, gcount;

static size_t ghash(liq_sym s) { return (size_t)((s >> 3) * 0x9E3779B97F4A7C15ull); }

static gslot *gfind(liq_sym s)
{
  size_t i = ghash(s) & (gcap - 1);
  while (globals[i].key && globals[i].key != s) i = (i + 1) & (gcap - 1);
  return &globals[i];
}

static liq_value global_get(liq_sym s)
{
  gslot *g = gfind(s);
  return g->key ? g->v : LIQ_NOVALUE;
}

static void global_set(liq_sym s, liq_value v)
{
  if ((gcount + 1) * 2 > gcap) {
    gslot *old = globals;
    size_t ocap = gcap;
    gcap = gcap ? gcap * 2 : 1024;
    globals = liq_mem_calloc(gcap, sizeof(gslot));
    for (size_t i = 0; i < ocap; i++)
      if (old[i].key) *gfind(old[i].key) = old[i];
    liq_mem_free(old);
  }
  gslot *g = gfind(s);
  if (!g->key) {
    g->key = s;
    gcount++;
  }
  g->v = v;
}

static void globals_hook(void *data)
{
  (void)data;
  for (size_t i = 0; i < gcap; i++)
    if (globals[i].key) liq_gc_mark(globals[i].v);
  liq_gc_mark(cur_exn);
}

/* Returns base with the field path[0..] set to v (rebuilding nested
 * values); path has n names. Values are rooted by the caller. */
static liq_value with_field(liq_value base, const char *const *path, int n, liq_value v)
{
  liq_sym s = liq_eval_sym(path[0]);
  if (n == 1) return liq_v_meth_add(base, s, v);
  liq_value inner = liq_v_meth_get(base, s);
  if (inner == LIQ_NOVALUE) inner = LIQ_UNIT;
  liq_value *b = liq_eval_push(base);
  liq_value *in = liq_eval_push(inner);
  liq_value nv = with_field(*in, path + 1, n - 1, v);
  liq_value r = liq_v_meth_add(*b, s, nv);
  liq_eval_pop(2);
  return r;
}

void liq_eval_define(const char *name, liq_value v)
{
  liq_value *pv = liq_eval_push(v);
  /* builtin names are never empty: parts[0] is always set */
  const char *parts[16] = {name};
  int n = 0;
  char *copy = liq_mem_strdup(name);
  for (char *p = strtok(copy, "."); p && n < 16; p = strtok(NULL, ".")) parts[n++] = p;
  liq_sym head = liq_sym_permanent(parts[0]);
  if (n == 1) {
    liq_value old = global_get(head);
    /* Keep the methods a module already has: "string" after "string.x". */
    if (old != LIQ_NOVALUE && liq_v_meths_count(old) > 0) *pv = liq_v_remeth(old, *pv);
    global_set(head, *pv);
  } else {
    liq_value base = global_get(head);
    if (base == LIQ_NOVALUE) base = LIQ_UNIT;
    /* Interning through liq_sym_permanent: with_field uses the cache keyed
     * by address, and these strings are temporary, so intern directly. */
    liq_value cur = base;
    liq_value *stack_vals[16];
    /* Build from the innermost: collect the existing chain. */
    liq_value *chain = liq_eval_push(cur);
    stack_vals[0] = chain;
    for (int i = 1; i < n - 1; i++) {
      liq_value inner = liq_v_meth_get(*stack_vals[i - 1], liq_sym_permanent(parts[i]));
      if (inner == LIQ_NOVALUE) inner = LIQ_UNIT;
      stack_vals[i] = liq_eval_push(inner);
    }
    liq_value *acc = liq_eval_push(*pv);
    for (int i = n - 1; i >= 1; i--) {
      liq_sym s = liq_sym_permanent(parts[i]);
      liq_value old = liq_v_meth_get(*stack_vals[i - 1], s);
      if (i == n - 1 && old != LIQ_NOVALUE && liq_v_meths_count(old) > 0) *acc = liq_v_remeth(old, *acc);
      *acc = liq_v_meth_add(*stack_vals[i - 1], s, *acc);
    }
    global_set(head, *acc);
    liq_eval_pop(n - 1 + 1);
  }
  liq_mem_free(copy);
  liq_eval_pop(1);
}

void liq_eval_bind_table(const liq_builtin_def *d, int n)
{
  for (int i = 0; i < n; i++)
    if (d[i].fn) liq_eval_define(d[i].name, liq_v_builtin(d[i].fn, d[i].name, LIQ_UNIT));
}

/* --- Environments -------------------------------------------------------------
 * A frame is an env object with two slots: the symbol and the value. The
 * chain ends with LIQ_NOVALUE, then the global table. */

static liq_value env_bind(liq_value env, liq_sym s, liq_value v)
{
  liq_value init[2] = {s, v};
  return liq_v_env(env, 2, init);
}

static liq_value env_lookup(liq_value env, liq_sym s)
{
  for (liq_value e = env; e != LIQ_NOVALUE; e = liq_v_env_parent(e))
    if (liq_v_env_get(e, 0) == s) return liq_v_env_get(e, 1);
  return global_get(s);
}

/* Toplevel bindings of the prelude go to the global table. */
static bool global_mode;

static void bind(liq_value *env, liq_sym s, liq_value v)
{
  if (global_mode) global_set(s, v);
  else *env = env_bind(*env, s, v);
}

/* --- Forward declarations ----------------------------------------------------- */

static liq_value eval(const liq_ast *e, liq_value env);
static liq_value eval_block(const liq_ast *e, liq_value env);

/* --- Application ---------------------------------------------------------------- */

static bool same_label(const char *a, const char *b)
{
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

bool liq_eval_is_function(liq_value v)
{
  liq_kind k = liq_value_kind(liq_v_base(v));
  return k == LIQ_K_CLOSURE || k == LIQ_K_BUILTIN;
}

static void bind_pat(const liq_ast_pat *p, liq_value v, liq_value *env);

#define MAX_ARGS 64

/* Applies f to the arguments; the arguments must be rooted by the caller. */
static liq_value apply(liq_value f, int n, const char *const *labels, const liq_value *args, liq_span at)
{
  liq_value fb = liq_v_base(f);
  liq_kind k = liq_value_kind(fb);
  if (k == LIQ_K_REF) {
    /* HEAD: a ref is a getter. */
    if (n != 0) liq_eval_raise("invalid", "a reference takes no argument");
    return liq_v_ref_get(fb);
  }
  if (k == LIQ_K_BUILTIN) {
    push_call(at);
    liq_call c = {n, labels, args, at};
    liq_value r = liq_v_builtin_fn(fb)(&c, liq_v_builtin_data(fb));
    ncalls--;
    return r;
  }
  if (k != LIQ_K_CLOSURE) liq_eval_raise("invalid", "this value is not a function");
  const liq_ast *code = liq_v_closure_code(fb);
  push_call(at);
  liq_value *fr = liq_eval_push(fb);
  liq_value *env = liq_eval_push(liq_v_closure_env(fb));
  const liq_ast *body;
  if (code->kind == LIQ_AST_THUNK) {
    if (n != 0) liq_eval_raise("invalid", "unexpected argument");
    body = code->u.unary.e;
  } else {
    int np = code->u.fun.nparams;
    const liq_ast_param *ps = code->u.fun.params;
    int assigned[MAX_ARGS];
    if (np > MAX_ARGS) liq_eval_raise("invalid", "too many parameters");
    for (int j = 0; j < np; j++) assigned[j] = -1;
    for (int i = 0; i < n; i++) {
      int j = 0;
      while (j < np && (assigned[j] >= 0 || !same_label(ps[j].label, labels[i]))) j++;
      if (j == np) {
        if (labels[i]) liq_eval_raise("invalid", "unexpected argument %s", labels[i]);
        liq_eval_raise("invalid", "too many arguments");
      }
      assigned[j] = i;
    }
    for (int j = 0; j < np; j++) {
      liq_value v;
      if (assigned[j] >= 0) v = args[assigned[j]];
      else {
        v = liq_v_closure_captured(*fr, (size_t)j);
        if (v == LIQ_NOVALUE) {
          if (ps[j].label) liq_eval_raise("invalid", "missing argument %s", ps[j].label);
          liq_eval_raise("invalid", "missing positional argument");
        }
      }
      bind_pat(ps[j].pat, v, env);
    }
    body = code->u.fun.body;
  }
  liq_value r = eval(body, *env);
  liq_eval_pop(2);
  ncalls--;
  return r;
}

liq_value liq_eval_apply(liq_value f, int nargs, const char *const *labels, const liq_value *args)
{
  static const char *const nolabels[MAX_ARGS];
  liq_value *a = liq_eval_push(f);
  size_t base = sp;
  for (int i = 0; i < nargs; i++) liq_eval_push(args[i]);
  liq_value r = apply(*a, nargs, labels ? labels : nolabels, &stk[base], cur_span());
  sp = base - 1;
  return r;
}

liq_value liq_eval_call0(liq_value f) { return liq_eval_apply(f, 0, NULL, NULL); }
liq_value liq_eval_call1(liq_value f, liq_value a) { return liq_eval_apply(f, 1, NULL, &a); }
liq_value liq_eval_call2(liq_value f, liq_value a, liq_value b)
{
  liq_value args[2] = {a, b};
  return liq_eval_apply(f, 2, NULL, args);
}

liq_value liq_eval_getter(liq_value g)
{
  return liq_eval_is_function(g) ? liq_eval_call0(g) : g;
}

/* --- Arguments for builtins ------------------------------------------------------ */

liq_value liq_arg(const liq_call *c, int i)
{
  for (int j = 0; j < c->nargs; j++)
    if (!c->labels[j] && i-- == 0) return c->args[j];
  return LIQ_NOVALUE;
}

liq_value liq_arg_label(const liq_call *c, const char *label, liq_value dflt)
{
  for (int j = 0; j < c->nargs; j++)
    if (c->labels[j] && strcmp(c->labels[j], label) == 0) return c->args[j];
  return dflt;
}

static liq_value need(const liq_call *c, int i)
{
  liq_value v = liq_arg(c, i);
  if (v == LIQ_NOVALUE) liq_eval_raise("invalid", "missing argument %d", i + 1);
  return v;
}

int64_t liq_to_int(liq_value v)
{
  v = liq_v_base(v);
  if (!liq_is_int(v)) liq_eval_raise("invalid", "expected an integer");
  return liq_v_int_val(v);
}

double liq_to_float(liq_value v)
{
  v = liq_v_base(v);
  if (liq_is_int(v)) return (double)liq_v_int_val(v);
  if (liq_value_kind(v) != LIQ_K_FLOAT) liq_eval_raise("invalid", "expected a float");
  return liq_v_float_val(v);
}

const char *liq_to_str(liq_value v, size_t *len)
{
  v = liq_v_base(v);
  if (liq_value_kind(v) != LIQ_K_STRING) liq_eval_raise("invalid", "expected a string");
  if (len) *len = liq_v_string_len(v);
  return liq_v_string_bytes(v);
}

int64_t liq_arg_int(const liq_call *c, int i) { return liq_to_int(need(c, i)); }
double liq_arg_float(const liq_call *c, int i) { return liq_to_float(need(c, i)); }
const char *liq_arg_str(const liq_call *c, int i, size_t *len) { return liq_to_str(need(c, i), len); }
bool liq_arg_bool(const liq_call *c, int i)
{
  liq_value v = liq_v_base(need(c, i));
  if (v != LIQ_TRUE && v != LIQ_FALSE) liq_eval_raise("invalid", "expected a boolean");
  return v == LIQ_TRUE;
}

/* --- Patterns ---------------------------------------------------------------------- */

static void bind_fields(const liq_ast_pat_field *fs, int n, liq_value v, liq_value *env, liq_span at)
{
  for (int i = 0; i < n; i++) {
    liq_value x = liq_v_meth_get(v, liq_eval_sym(fs[i].name));
    if (x == LIQ_NOVALUE) {
      if (!fs[i].optional) {
        calls[ncalls++] = at;
        liq_eval_raise("not_found", "no field %s in the value", fs[i].name);
      }
      x = LIQ_NULL;
    }
    if (fs[i].pat) bind_pat(fs[i].pat, x, env);
    else bind(env, liq_eval_sym(fs[i].name), x);
  }
}

static void pat_fail(liq_span at, const char *kind, const char *msg)
{
  calls[ncalls++] = at;
  liq_eval_raise(kind, "%s", msg);
}

static void bind_pat(const liq_ast_pat *p, liq_value v, liq_value *env)
{
  switch (p->kind) {
  case LIQ_PAT_VAR: bind(env, liq_eval_sym(p->u.var.name), v); return;
  case LIQ_PAT_WILD: return;
  case LIQ_PAT_TUPLE: {
    liq_value b = liq_v_base(v);
    int n = p->u.tuple.nitems;
    if (n == 0) return;
    if (liq_value_kind(b) != LIQ_K_TUPLE || (int)liq_v_tuple_len(b) != n)
      pat_fail(p->span, "invalid", "tuple pattern does not match");
    liq_value *pb = liq_eval_push(b);
    for (int i = 0; i < n; i++) bind_pat(p->u.tuple.items[i], liq_v_tuple_get(*pb, (size_t)i), env);
    liq_eval_pop(1);
    return;
  }
  case LIQ_PAT_LIST: {
    liq_value l = liq_v_base(v);
    size_t len = liq_v_list_length(l);
    int nb = p->u.list.nbefore, na = p->u.list.nafter;
    if ((!p->u.list.has_spread && len != (size_t)(nb + na)) || len < (size_t)(nb + na))
      pat_fail(p->span, "not_found",
               "List value does not have enough elements to fit the extraction pattern!");
    liq_value *pl = liq_eval_push(l);
    for (int i = 0; i < nb; i++) {
      bind_pat(p->u.list.before[i], liq_v_head(*pl), env);
      *pl = liq_v_tail(*pl);
    }
    /* The middle part: len - nb - na elements. */
    size_t mid = len - (size_t)nb - (size_t)na;
    liq_value *acc = liq_eval_push(LIQ_NIL);
    liq_value *rest = liq_eval_push(*pl);
    if (p->u.list.spread) {
      /* Rebuild the middle list in order. */
      size_t base = sp;
      for (size_t i = 0; i < mid; i++) {
        liq_eval_push(liq_v_head(*rest));
        *rest = liq_v_tail(*rest);
      }
      for (size_t i = mid; i > 0; i--) *acc = liq_v_cons(stk[base + i - 1], *acc);
      sp = base;
      bind(env, liq_eval_sym(p->u.list.spread), *acc);
    } else {
      for (size_t i = 0; i < mid; i++) *rest = liq_v_tail(*rest);
    }
    for (int i = 0; i < na; i++) {
      bind_pat(p->u.list.after[i], liq_v_head(*rest), env);
      *rest = liq_v_tail(*rest);
    }
    liq_eval_pop(3);
    return;
  }
  case LIQ_PAT_RECORD: {
    liq_value *pv = liq_eval_push(v);
    bind_fields(p->u.record.fields, p->u.record.nfields, *pv, env, p->span);
    if (p->u.record.has_spread && p->u.record.spread) {
      /* The remaining fields, as a record. */
      liq_value *r = liq_eval_push(LIQ_UNIT);
      size_t n = liq_v_meths_count(*pv);
      for (size_t i = 0; i < n; i++) {
        liq_sym name = liq_v_meth_name_at(*pv, i);
        int used = 0;
        for (int j = 0; j < p->u.record.nfields; j++)
          if (strcmp(p->u.record.fields[j].name, liq_sym_name(name)) == 0) used = 1;
        if (!used) *r = liq_v_meth_add(*r, name, liq_v_meth_value_at(*pv, i));
      }
      bind(env, liq_eval_sym(p->u.record.spread), *r);
      liq_eval_pop(1);
    }
    liq_eval_pop(1);
    return;
  }
  case LIQ_PAT_METH: {
    liq_value *pv = liq_eval_push(v);
    bind_fields(p->u.meth.fields, p->u.meth.nfields, *pv, env, p->span);
    /* The base binds the value without its methods (as 2.1.3 does). */
    bind_pat(p->u.meth.base, liq_v_base(*pv), env);
    liq_eval_pop(1);
    return;
  }
  case LIQ_PAT_PATH: {
    /* let a.b.c = v: rebind a with b.c replaced. */
    const char **names = p->u.path.names;
    int n = p->u.path.nnames;
    liq_sym head = liq_eval_sym(names[0]);
    liq_value *pv = liq_eval_push(v);
    liq_value cur = env_lookup(*env, head);
    if (cur == LIQ_NOVALUE) pat_fail(p->span, "not_found", "unbound variable in path");
    liq_value nv = with_field(cur, names + 1, n - 1, *pv);
    bind(env, head, nv);
    liq_eval_pop(1);
    return;
  }
  }
}

/* --- Expressions ------------------------------------------------------------------ */

/* The environment a closure keeps: a fresh chain binding only the names its
 * code may look up (eval_capture.c) that env binds, innermost value first
 * found; names env does not bind are globals, looked up at call time. */
static liq_value captured_env(const liq_ast *e, liq_value env)
{
  int n;
  const liq_sym *names = liq_eval_capture_names(e, &n);
  liq_value *penv = liq_eval_push(env);
  liq_value *out = liq_eval_push(LIQ_NOVALUE);
  for (int i = 0; i < n; i++) {
    for (liq_value f = *penv; f != LIQ_NOVALUE; f = liq_v_env_parent(f))
      if (liq_v_env_get(f, 0) == names[i]) {
        *out = env_bind(*out, names[i], liq_v_env_get(f, 1));
        break;
      }
  }
  liq_value r = *out;
  liq_eval_pop(2);
  return r;
}

static liq_value make_closure(const liq_ast *e, liq_value env)
{
  liq_value *penv = liq_eval_push(env);
  size_t base = sp;
  int np = e->kind == LIQ_AST_FUN ? e->u.fun.nparams : 0;
  for (int j = 0; j < np; j++) {
    const liq_ast *d = e->u.fun.params[j].def;
    liq_eval_push(d ? eval(d, *penv) : LIQ_NOVALUE);
  }
  const char *name = e->kind == LIQ_AST_FUN ? e->u.fun.name : NULL;
  *penv = captured_env(e, *penv);
  liq_value c;
  if (name) {
    /* def rec: the closure's environment binds its own name. */
    *penv = env_bind(*penv, liq_eval_sym(name), LIQ_UNIT);
    c = liq_v_closure(e, name, *penv, (size_t)np, &stk[base]);
    liq_v_env_set(*penv, 1, c);
  } else {
    c = liq_v_closure(e, NULL, *penv, (size_t)np, &stk[base]);
  }
  sp = base - 1;
  return c;
}

static liq_value str_value(const char *s) { return liq_v_cstring(s); }

/* string_of / interpolation: strings print bare. */
liq_value liq_eval_to_string(liq_value v)
{
  if (liq_value_kind(v) == LIQ_K_STRING) return v;
  liq_sb sb = LIQ_SB_INIT;
  liq_value_print(&sb, v, false);
  liq_value r = liq_v_string(liq_sb_str(&sb), sb.len);
  liq_sb_free(&sb);
  return r;
}

static liq_value arith(const char *op, liq_value a, liq_value b, liq_span at)
{
  liq_value x = liq_v_base(a), y = liq_v_base(b);
  if (liq_is_int(x) && liq_is_int(y)) {
    int64_t i = liq_v_int_val(x), j = liq_v_int_val(y), r = 0;
    switch (op[0]) {
    case '+': return liq_v_int(liq_int_add(i, j));
    case '-': return liq_v_int(liq_int_sub(i, j));
    case '*': return liq_v_int(liq_int_mul(i, j));
    case '/':
      if (!liq_int_div(i, j, &r)) goto divzero;
      return liq_v_int(r);
    case 'm':
      if (!liq_int_mod(i, j, &r)) goto divzero;
      return liq_v_int(r);
    }
  }
  double f = liq_to_float(x), g = liq_to_float(y);
  switch (op[0]) {
  case '+': return liq_v_float(f + g);
  case '-': return liq_v_float(f - g);
  case '*': return liq_v_float(f * g);
  case '/': return liq_v_float(f / g);
  case 'm': return liq_v_float(fmod(f, g));
  }
  liq_eval_raise("invalid", "unknown operator %s", op);
divzero:
  (void)at; /* the caller pushed the operator's span */
  liq_eval_raise("division_by_zero", "Division by zero");
}

/* The stdlib's literal builders (eval.h). */
static liq_eval_literals literals;

void liq_eval_set_literals(const liq_eval_literals *hooks) { literals = *hooks; }

static void no_literal(const char *what)
{
  liq_eval_raise("invalid", "%s values are not available in this build", what);
}

static liq_value binop(const char *op, liq_value a, liq_value b, liq_span at)
{
  switch (op[0]) {
  case '+': case '-': case '*': case '/': return arith(op, a, b, at);
  case 'm': return arith(op, a, b, at);
  case '^': {
    size_t la, lb;
    const char *sa = liq_to_str(a, &la), *sb = liq_to_str(b, &lb);
    char *out;
    /* Strings are immutable and a, b are rooted by the caller. */
    liq_value r = liq_v_string_new(la + lb, &out);
    sa = liq_to_str(a, &la);
    sb = liq_to_str(b, &lb);
    memcpy(out, sa, la);
    memcpy(out + la, sb, lb);
    return r;
  }
  case '%':
    if (!literals.template_apply) no_literal("template");
    return literals.template_apply(a, b);
  case '=': return liq_v_bool(liq_value_compare(a, b) == 0);
  case '!': return liq_v_bool(liq_value_compare(a, b) != 0);
  case '<':
    if (op[1] == '=') return liq_v_bool(liq_value_compare(a, b) <= 0);
    return liq_v_bool(liq_value_compare(a, b) < 0);
  case '>':
    if (op[1] == '=') return liq_v_bool(liq_value_compare(a, b) >= 0);
    return liq_v_bool(liq_value_compare(a, b) > 0);
  }
  liq_eval_raise("invalid", "unknown operator %s", op);
}

static bool truth(liq_value v, liq_span at)
{
  v = liq_v_base(v);
  if (v == LIQ_TRUE) return true;
  if (v == LIQ_FALSE) return false;
  calls[ncalls++] = at;
  liq_eval_raise("invalid", "expected a boolean");
}

static liq_value ref_set_fn(liq_call *c, liq_value r)
{
  liq_value v = liq_arg(c, 0);
  if (v == LIQ_NOVALUE) liq_eval_raise("invalid", "missing argument");
  liq_v_ref_set(r, v);
  return LIQ_UNIT;
}
static liq_value ref_get_fn(liq_call *c, liq_value r)
{
  (void)c;
  return liq_v_ref_get(r);
}

/* e.name: methods first; a ref also answers set and get. */
static liq_value field_of(liq_value v, const char *name, liq_span at, bool optional)
{
  liq_value x = liq_v_meth_get(v, liq_eval_sym(name));
  if (x != LIQ_NOVALUE) return x;
  liq_value b = liq_v_base(v);
  if (liq_value_kind(b) == LIQ_K_REF) {
    if (strcmp(name, "set") == 0) return liq_v_builtin(ref_set_fn, "ref.set", b);
    if (strcmp(name, "get") == 0) return liq_v_builtin(ref_get_fn, "ref.get", b);
  }
  if (optional) return LIQ_NULL;
  calls[ncalls++] = at;
  liq_eval_raise("not_found", "no method %s", name);
}

static bool is_defined(const char *name, liq_value env)
{
  char *copy = liq_mem_strdup(name);
  char *save = NULL;
  char *p = strtok_r(copy, ".", &save);
  liq_value v = env_lookup(env, liq_sym_permanent(p));
  while (v != LIQ_NOVALUE && (p = strtok_r(NULL, ".", &save)))
    v = liq_v_meth_get(v, liq_sym_permanent(p));
  liq_mem_free(copy);
  return v != LIQ_NOVALUE;
}

static bool ifdef_holds(const liq_ast *s, liq_value env)
{
  switch (s->u.ifdef.kind) {
  case LIQ_IFDEF: return is_defined(s->u.ifdef.name, env);
  case LIQ_IFNDEF: return !is_defined(s->u.ifdef.name, env);
  case LIQ_IFENCODER: return liq_enctype_known(s->u.ifdef.name);
  case LIQ_IFNENCODER: return !liq_enctype_known(s->u.ifdef.name);
  case LIQ_IFVERSION: return liq_ifversion_holds(s->u.ifdef.op, s->u.ifdef.name);
  }
  return false;
}

static liq_value json_parse_let(const liq_ast *e, liq_value src);

/* Runs the statements of a block in *env (a rooted slot), extending it.
 * Returns the value of the last statement. */
static liq_value eval_stmts(const liq_ast *blk, liq_value *env)
{
  liq_value last = LIQ_UNIT;
  for (int i = 0; i < blk->u.block.nstmts; i++) {
    const liq_ast *s = blk->u.block.stmts[i];
    switch (s->kind) {
    case LIQ_AST_LET: {
      liq_value v = eval(s->u.let.value, *env);
      liq_value *pv = liq_eval_push(v);
      switch (s->u.let.kind) {
      case LIQ_LET_PLAIN: break;
      case LIQ_LET_REPLACES: {
        const liq_ast_pat *p = s->u.let.pat;
        liq_value old = LIQ_NOVALUE;
        if (p->kind == LIQ_PAT_VAR) old = env_lookup(*env, liq_eval_sym(p->u.var.name));
        else if (p->kind == LIQ_PAT_PATH) {
          old = env_lookup(*env, liq_eval_sym(p->u.path.names[0]));
          for (int j = 1; old != LIQ_NOVALUE && j < p->u.path.nnames; j++)
            old = liq_v_meth_get(old, liq_eval_sym(p->u.path.names[j]));
        }
        if (old != LIQ_NOVALUE) *pv = liq_v_remeth(old, liq_v_base(*pv));
        break;
      }
      case LIQ_LET_JSON_PARSE: *pv = json_parse_let(s, *pv); break;
      default:
        calls[ncalls++] = s->span;
        liq_eval_raise("not_implemented", "this kind of binding is not supported yet");
      }
      bind_pat(s->u.let.pat, *pv, env);
      liq_eval_pop(1);
      last = LIQ_UNIT;
      break;
    }
    case LIQ_AST_OPEN: {
      liq_value *m = liq_eval_push(eval(s->u.unary.e, *env));
      size_t n = liq_v_meths_count(*m);
      for (size_t j = 0; j < n; j++) bind(env, liq_v_meth_name_at(*m, j), liq_v_meth_value_at(*m, j));
      liq_eval_pop(1);
      last = LIQ_UNIT;
      break;
    }
    case LIQ_AST_IFDEF: {
      /* The type checker's choice (typecheck.h) when it checked the node. */
      const liq_ast *b = s->u.ifdef.decided ? s->u.ifdef.chosen
                         : ifdef_holds(s, *env) ? s->u.ifdef.then_ : s->u.ifdef.else_;
      last = b ? eval_stmts(b, env) : LIQ_UNIT;
      break;
    }
    case LIQ_AST_BLOCK:
      /* begin ... end as a statement: its bindings stay visible (2.1.3). */
      last = eval_stmts(s, env);
      break;
    default: last = eval(s, *env); break;
    }
  }
  return last;
}

static liq_value eval_block(const liq_ast *e, liq_value env)
{
  liq_value *penv = liq_eval_push(env);
  liq_value r = eval_stmts(e, penv);
  liq_eval_pop(1);
  return r;
}

/* time_in_mod(a, b, c) on local time (reference §1.6). */
bool liq_eval_time_holds(const liq_ast_time_point *f, const liq_ast_time_point *t, int is_interval)
{
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  int64_t T = (int64_t)tm.tm_wday * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
  int64_t unit_mod, unit_len;
  const liq_ast_time_point *p = f;
  if (p->week >= 0) unit_mod = 7 * 86400;
  else if (p->hour >= 0) unit_mod = 86400;
  else if (p->min >= 0) unit_mod = 3600;
  else unit_mod = 60;
  if (p->sec >= 0) unit_len = 1;
  else if (p->min >= 0) unit_len = 60;
  else if (p->hour >= 0) unit_len = 3600;
  else unit_len = 86400;
#define SECS(q) ((int64_t)((q)->week >= 0 ? ((q)->week % 7) : 0) * 86400 + \
                 ((q)->hour >= 0 ? (q)->hour : 0) * 3600 + ((q)->min >= 0 ? (q)->min : 0) * 60 + \
                 ((q)->sec >= 0 ? (q)->sec : 0))
  int64_t a = SECS(f) % unit_mod;
  int64_t b = is_interval ? SECS(t) % unit_mod : (a + unit_len) % unit_mod;
#undef SECS
  /* A single time covers its last unit (12h is [12:00, 13:00)); an
   * interval a-b is [a, b), wrapping around the cycle when b < a, empty
   * when a == b (2.1.3: 0h-2h is false at 2:08, 2h-1h59 true). */
  int64_t x = T % unit_mod;
  if (a <= b) return a <= x && x < b;
  return x >= a || x < b;
}

static liq_value eval_app(const liq_ast *e, liq_value env)
{
  const liq_ast *fe = e->u.app.fn;
  liq_value *f = liq_eval_push(LIQ_UNIT);
  if (fe->kind == LIQ_AST_FIELD) {
    liq_value obj = eval(fe->u.field.e, env);
    if (fe->u.field.optional && liq_v_base(obj) == LIQ_NULL) {
      liq_eval_pop(1);
      return LIQ_NULL;
    }
    *f = obj;
    *f = field_of(*f, fe->u.field.name, fe->u.field.name_span, fe->u.field.optional);
  } else {
    *f = eval(fe, env);
  }
  int n = e->u.app.nargs;
  if (n > MAX_ARGS) liq_eval_raise("invalid", "too many arguments");
  const char *labels[MAX_ARGS];
  size_t base = sp;
  for (int i = 0; i < n; i++) {
    const liq_ast_arg *a = &e->u.app.args[i];
    if (a->argsof) {
      calls[ncalls++] = a->span;
      liq_eval_raise("not_implemented", "%%argsof is not supported yet");
    }
    labels[i] = a->label;
    liq_value v = eval(a->value, env);
    liq_eval_push(v);
  }
  liq_value r = apply(*f, n, labels, &stk[base], e->span);
  sp = base - 1;
  return r;
}

static liq_value eval_try(const liq_ast *e, liq_value env);

static liq_value eval(const liq_ast *e, liq_value env)
{
  switch (e->kind) {
  case LIQ_AST_INT: return liq_v_int(e->u.i);
  case LIQ_AST_FLOAT: return liq_v_float(e->u.f);
  case LIQ_AST_STRING: return liq_v_string(e->u.str.s, e->u.str.len);
  case LIQ_AST_BOOL: return liq_v_bool(e->u.b);
  case LIQ_AST_NULL: return LIQ_NULL;
  case LIQ_AST_INTERP: {
    liq_value *penv = liq_eval_push(env);
    liq_sb *sb = liq_mem_calloc(1, sizeof *sb);
    /* The buffer is freed on every path: errors unwind through here, so
     * evaluate the parts first onto the stack, then concatenate. */
    size_t base = sp;
    for (int i = 0; i < e->u.interp.nparts; i++) {
      const liq_ast_interp_part *p = &e->u.interp.parts[i];
      if (!p->expr) continue;
      liq_value v = eval(p->expr, *penv);
      liq_eval_push(v);
      stk[sp - 1] = liq_eval_to_string(stk[sp - 1]);
    }
    size_t k = base;
    for (int i = 0; i < e->u.interp.nparts; i++) {
      const liq_ast_interp_part *p = &e->u.interp.parts[i];
      if (!p->expr) liq_sb_append(sb, p->str, p->len);
      else {
        liq_value s = stk[k++];
        liq_sb_append(sb, liq_v_string_bytes(s), liq_v_string_len(s));
      }
    }
    sp = base - 1;
    liq_value r = liq_v_string(sb->data ? sb->data : "", sb->len);
    liq_sb_free(sb);
    liq_mem_free(sb);
    return r;
  }
  case LIQ_AST_REGEXP: {
    push_call(e->span);
    if (!literals.regexp) no_literal("regexp");
    liq_value r = literals.regexp(e->u.regexp.pattern, e->u.regexp.len, e->u.regexp.flags);
    ncalls--;
    return r;
  }
  case LIQ_AST_TIME: return liq_v_bool(liq_eval_time_holds(&e->u.time.from, &e->u.time.to, e->u.time.is_interval));
  case LIQ_AST_ENCODER: {
    if (!literals.encoder) no_literal("encoder");
    int n = e->u.enc.nparams;
    size_t base = sp;
    for (int i = 0; i < n; i++) liq_eval_push(LIQ_NOVALUE);
    for (int i = 0; i < n; i++)
      if (e->u.enc.params[i].value) stk[base + (size_t)i] = eval(e->u.enc.params[i].value, env);
    push_call(e->span);
    liq_value r = literals.encoder(e, stk + base);
    ncalls--;
    sp = base;
    return r;
  }
  case LIQ_AST_VAR: {
    liq_value v = env_lookup(env, liq_eval_sym(e->u.var.name));
    if (v == LIQ_NOVALUE) {
      calls[ncalls++] = e->span;
      liq_eval_raise("not_found", "unbound variable %s", e->u.var.name);
    }
    return v;
  }
  case LIQ_AST_TUPLE: {
    int n = e->u.items.nitems;
    if (n == 0) return LIQ_UNIT;
    liq_value *penv = liq_eval_push(env);
    size_t base = sp;
    for (int i = 0; i < n; i++) {
      liq_value v = eval(e->u.items.items[i], *penv);
      liq_eval_push(v);
    }
    liq_value r = liq_v_tuple((size_t)n, &stk[base]);
    sp = base - 1;
    return r;
  }
  case LIQ_AST_LIST: {
    int n = e->u.items.nitems;
    if (n == 0) return LIQ_NIL;
    liq_value *penv = liq_eval_push(env);
    size_t base = sp;
    for (int i = 0; i < n; i++) {
      const liq_ast *it = e->u.items.items[i];
      if (it->kind == LIQ_AST_SPREAD) {
        liq_value *l = liq_eval_push(eval(it->u.unary.e, *penv));
        liq_value cur = liq_v_base(*l);
        sp--;
        for (; cur != LIQ_NIL; cur = liq_v_tail(cur)) liq_eval_push(liq_v_head(cur));
      } else {
        liq_value v = eval(it, *penv);
        liq_eval_push(v);
      }
    }
    liq_value r = liq_v_list(sp - base, &stk[base]);
    sp = base - 1;
    return r;
  }
  case LIQ_AST_SPREAD:
    calls[ncalls++] = e->span;
    liq_eval_raise("invalid", "spread outside a list or record");
  case LIQ_AST_RECORD:
  case LIQ_AST_METHODS: {
    /* Runs of named fields are added in one step: their values wait on
     * the root stack (names are permanent symbols) until a spread or the
     * end. */
    liq_value *penv = liq_eval_push(env);
    liq_value *acc = liq_eval_push(e->u.record.base ? eval(e->u.record.base, *penv) : LIQ_UNIT);
    size_t base = sp;
    liq_sym names[MAX_ARGS];
    for (int i = 0; i < e->u.record.nfields; i++) {
      const struct liq_ast_record_field *f = &e->u.record.fields[i];
      if (f->name && sp - base == MAX_ARGS) {
        *acc = liq_v_meths_add(*acc, MAX_ARGS, names, &stk[base]);
        sp = base;
      }
      liq_value *pv = liq_eval_push(eval(f->value, *penv));
      if (f->name) {
        names[pv - &stk[base]] = liq_eval_sym(f->name); /* may collect: v is rooted */
        continue;
      }
      *acc = liq_v_meths_add(*acc, (size_t)(pv - &stk[base]), names, &stk[base]);
      size_t m = liq_v_meths_count(*pv);
      for (size_t j = 0; j < m; j++)
        *acc = liq_v_meth_add(*acc, liq_v_meth_name_at(*pv, j), liq_v_meth_value_at(*pv, j));
      sp = base;
    }
    *acc = liq_v_meths_add(*acc, sp - base, names, &stk[base]);
    liq_value r = *acc;
    sp = base - 2;
    return r;
  }
  case LIQ_AST_FIELD: {
    liq_value *v = liq_eval_push(eval(e->u.field.e, env));
    liq_value r;
    if (e->u.field.optional && liq_v_base(*v) == LIQ_NULL) r = LIQ_NULL;
    else r = field_of(*v, e->u.field.name, e->u.field.name_span, e->u.field.optional);
    liq_eval_pop(1);
    return r;
  }
  case LIQ_AST_APP: return eval_app(e, env);
  case LIQ_AST_INDEX: {
    liq_value *penv = liq_eval_push(env);
    liq_value *l = liq_eval_push(eval(e->u.binary.left, *penv));
    liq_value *k = liq_eval_push(eval(e->u.binary.right, *penv));
    liq_value r = liq_v_cstring("");
    /* r is fresh; l and k stay valid (k is read before any allocation). */
    for (liq_value c = liq_v_base(*l); c != LIQ_NIL; c = liq_v_tail(c)) {
      liq_value p = liq_v_base(liq_v_head(c));
      if (liq_value_equal(liq_v_tuple_get(p, 0), *k)) {
        r = liq_v_tuple_get(p, 1);
        break;
      }
    }
    liq_eval_pop(3);
    return r;
  }
  case LIQ_AST_FUN:
  case LIQ_AST_THUNK: return make_closure(e, env);
  case LIQ_AST_BLOCK: return eval_block(e, env);
  case LIQ_AST_CAST: return eval(e->u.cast.e, env);
  case LIQ_AST_IF: {
    liq_value *penv = liq_eval_push(env);
    bool c = truth(eval(e->u.cond.cond, *penv), e->u.cond.cond->span);
    liq_value r = LIQ_UNIT;
    if (c) r = eval(e->u.cond.then_, *penv);
    else if (e->u.cond.else_) r = eval(e->u.cond.else_, *penv);
    liq_eval_pop(1);
    return r;
  }
  case LIQ_AST_WHILE: {
    liq_value *penv = liq_eval_push(env);
    while (truth(eval(e->u.loop.cond, *penv), e->u.loop.cond->span)) {
      eval(e->u.loop.body, *penv);
      liq_gc_safepoint();
    }
    liq_eval_pop(1);
    return LIQ_UNIT;
  }
  case LIQ_AST_FOR: {
    liq_value *penv = liq_eval_push(env);
    liq_value *inner = liq_eval_push(LIQ_UNIT);
    liq_sym var = liq_eval_sym(e->u.loop.var);
    if (e->u.loop.to) {
      int64_t a = liq_to_int(eval(e->u.loop.from, *penv));
      int64_t b = liq_to_int(eval(e->u.loop.to, *penv));
      for (int64_t i = a; i <= b; i++) {
        *inner = env_bind(*penv, var, liq_v_int(i));
        eval(e->u.loop.body, *inner);
        liq_gc_safepoint();
      }
    } else {
      liq_value *it = liq_eval_push(eval(e->u.loop.from, *penv));
      for (;;) {
        liq_value x = liq_eval_call0(*it);
        if (liq_v_base(x) == LIQ_NULL) break;
        *inner = env_bind(*penv, var, x);
        eval(e->u.loop.body, *inner);
        liq_gc_safepoint();
      }
      liq_eval_pop(1);
    }
    liq_eval_pop(2);
    return LIQ_UNIT;
  }
  case LIQ_AST_TRY: return eval_try(e, env);
  case LIQ_AST_NOT: return liq_v_bool(!truth(eval(e->u.unary.e, env), e->u.unary.e->span));
  case LIQ_AST_NEG: {
    liq_value v = liq_v_base(eval(e->u.unary.e, env));
    if (liq_is_int(v)) return liq_v_int(liq_int_neg(liq_v_int_val(v)));
    return liq_v_float(-liq_to_float(v));
  }
  case LIQ_AST_DEREF: {
    liq_value v = liq_v_base(eval(e->u.unary.e, env));
    if (liq_value_kind(v) == LIQ_K_REF) return liq_v_ref_get(v);
    return apply(v, 0, NULL, NULL, e->span);
  }
  case LIQ_AST_ASSIGN: {
    liq_value *penv = liq_eval_push(env);
    liq_value *r = liq_eval_push(eval(e->u.binary.left, *penv));
    liq_value v = eval(e->u.binary.right, *penv);
    liq_value b = liq_v_base(*r);
    if (liq_value_kind(b) == LIQ_K_REF) liq_v_ref_set(b, v);
    else {
      liq_value set = liq_v_meth_get(*r, liq_eval_sym("set"));
      if (set == LIQ_NOVALUE) {
        calls[ncalls++] = e->span;
        liq_eval_raise("invalid", "cannot assign to this value");
      }
      liq_eval_push(v);
      apply(set, 1, (const char *[]){NULL}, &stk[sp - 1], e->span);
      liq_eval_pop(1);
    }
    liq_eval_pop(2);
    return LIQ_UNIT;
  }
  case LIQ_AST_BINOP: {
    liq_value *penv = liq_eval_push(env);
    liq_value *a = liq_eval_push(eval(e->u.binop.left, *penv));
    liq_value *b = liq_eval_push(eval(e->u.binop.right, *penv));
    push_call(e->span);
    liq_value r = binop(e->u.binop.op, *a, *b, e->span);
    ncalls--;
    liq_eval_pop(3);
    return r;
  }
  case LIQ_AST_AND: {
    liq_value *penv = liq_eval_push(env);
    bool r = truth(eval(e->u.binary.left, *penv), e->u.binary.left->span) &&
             truth(eval(e->u.binary.right, *penv), e->u.binary.right->span);
    liq_eval_pop(1);
    return liq_v_bool(r);
  }
  case LIQ_AST_OR: {
    liq_value *penv = liq_eval_push(env);
    bool r = truth(eval(e->u.binary.left, *penv), e->u.binary.left->span) ||
             truth(eval(e->u.binary.right, *penv), e->u.binary.right->span);
    liq_eval_pop(1);
    return liq_v_bool(r);
  }
  case LIQ_AST_CONS: {
    liq_value *penv = liq_eval_push(env);
    liq_value *a = liq_eval_push(eval(e->u.binary.left, *penv));
    liq_value l = liq_v_base(eval(e->u.binary.right, *penv));
    liq_value r = liq_v_cons(*a, l);
    liq_eval_pop(2);
    return r;
  }
  case LIQ_AST_COALESCE: {
    liq_value *penv = liq_eval_push(env);
    liq_value v = eval(e->u.binary.left, *penv);
    if (liq_v_base(v) == LIQ_NULL) v = eval(e->u.binary.right, *penv);
    liq_eval_pop(1);
    return v;
  }
  case LIQ_AST_PIPE: {
    liq_value *penv = liq_eval_push(env);
    liq_value *x = liq_eval_push(eval(e->u.binary.left, *penv));
    liq_value *f = liq_eval_push(eval(e->u.binary.right, *penv));
    liq_value r = apply(*f, 1, (const char *[]){NULL}, x, e->span);
    liq_eval_pop(3);
    return r;
  }
  case LIQ_AST_LET:
  case LIQ_AST_OPEN:
  case LIQ_AST_IFDEF: {
    /* A binding used as an expression: evaluate it in a block of its own. */
    liq_ast blk;
    const liq_ast *one[1] = {e};
    blk.kind = LIQ_AST_BLOCK;
    blk.span = e->span;
    blk.u.block.stmts = (liq_ast **)one;
    blk.u.block.nstmts = 1;
    return eval_block(&blk, env);
  }
  }
  liq_eval_raise("invalid", "cannot evaluate this expression");
}

/* --- try / catch / finally --------------------------------------------------------- */

typedef struct {
  const liq_ast *body;
  liq_value env;
} try_data;

static liq_value run_body(void *d)
{
  try_data *t = d;
  return eval(t->body, t->env);
}

bool liq_eval_protect_call(liq_value f, liq_value *result, liq_value *exn);

static liq_value call0_thunk(void *d) { return liq_eval_call0(*(liq_value *)d); }

/* Calls f() catching errors. Returns true and *result on success. */
bool liq_eval_protect_call(liq_value f, liq_value *result, liq_value *exn)
{
  liq_value *pf = liq_eval_push(f);
  bool ok = protect(call0_thunk, pf, result, exn);
  liq_eval_pop(1);
  return ok;
}

/* Whether err's kind is in the list of error values (null: all). */
bool liq_eval_error_matches(liq_value err, liq_value errors)
{
  errors = liq_v_base(errors);
  if (errors == LIQ_NULL || errors == LIQ_NOVALUE) return true;
  liq_value k = liq_eval_error_kind(err);
  for (liq_value c = errors; c != LIQ_NIL; c = liq_v_tail(c)) {
    liq_value x = liq_v_head(c);
    if (liq_eval_is_error(x) && liq_value_equal(liq_eval_error_kind(x), k)) return true;
  }
  return false;
}

static liq_value eval_try(const liq_ast *e, liq_value env)
{
  liq_value *penv = liq_eval_push(env);
  try_data t = {e->u.try_.body, *penv};
  liq_value result = LIQ_UNIT, exn = LIQ_NOVALUE;
  bool ok = protect(run_body, &t, &result, &exn);
  liq_value *pres = liq_eval_push(result);
  liq_value *pexn = liq_eval_push(exn);
  if (!ok) {
    liq_value errors = LIQ_NULL;
    if (e->u.try_.errors) errors = eval(e->u.try_.errors, *penv);
    if (e->u.try_.handler && liq_eval_error_matches(*pexn, errors)) {
      liq_value *henv = liq_eval_push(*penv);
      if (e->u.try_.var && strcmp(e->u.try_.var, "_") != 0)
        *henv = env_bind(*henv, liq_eval_sym(e->u.try_.var), *pexn);
      if (e->u.try_.finally_) {
        try_data h = {e->u.try_.handler, *henv};
        liq_value hexn = LIQ_NOVALUE;
        if (!protect(run_body, &h, pres, &hexn)) {
          *pexn = hexn;
          eval(e->u.try_.finally_, *penv);
          liq_eval_raise_value(*pexn);
        }
      } else {
        *pres = eval(e->u.try_.handler, *henv);
      }
      liq_eval_pop(1);
      ok = true;
    }
  }
  if (e->u.try_.finally_) eval(e->u.try_.finally_, *penv);
  if (!ok) liq_eval_raise_value(*pexn);
  liq_value r = *pres;
  liq_eval_pop(3);
  return r;
}

/* --- let json.parse ----------------------------------------------------------------- */

static liq_value json_parse_let(const liq_ast *s, liq_value src)
{
  /* Without an annotation the value keeps the shape JSON gives it (the
   * inferred type is not available here yet). */
  const liq_ast_type *ty = s->u.let.type;
  liq_value *ps = liq_eval_push(src);
  push_call(s->span);
  if (!literals.json_parse) no_literal("json.parse");
  liq_value r = literals.json_parse(*ps, ty);
  ncalls--;
  liq_eval_pop(1);
  return r;
}

/* --- Toplevel --------------------------------------------------------------------- */

void (*liq_eval_exit_hook)(int status);

static liq_value run_program(void *d)
{
  const liq_ast *prog = d;
  liq_value *env = liq_eval_push(LIQ_NOVALUE);
  liq_value r = eval_stmts(prog, env);
  liq_eval_pop(1);
  return r;
}

static void report(liq_value exn)
{
  liq_value *pe = liq_eval_push(exn);
  size_t kl, ml;
  const char *k = liq_to_str(liq_eval_error_kind(*pe), &kl);
  const char *m = liq_to_str(liq_eval_error_message(*pe), &ml);
  liq_span at = exn_nspans > 0 ? exn_spans[0] : liq_span_none;
  if (at.file < 0) {
    fprintf(stderr, "error: uncaught runtime error: %.*s: %.*s\n", (int)kl, k, (int)ml, m);
  } else {
    liq_diag(LIQ_DIAG_ERROR, at, "runtime", NULL, "uncaught runtime error: %.*s: %.*s", (int)kl, k,
             (int)ml, m);
  }
  /* Long traces (deep recursion) keep the 10 innermost calls and the
   * outermost one. */
  for (int i = 1; i < exn_nspans; i++) {
    if (i == 11 && exn_nspans > 12) {
      fputs("  ...\n", stderr);
      i = exn_nspans - 1;
    }
    fprintf(stderr, "  called from %s:%d:%d\n", liq_src_name(exn_spans[i].file), exn_spans[i].line,
            exn_spans[i].col);
  }
  fflush(stderr);
  liq_eval_pop(1);
}

int liq_eval_program(const liq_ast *program)
{
  liq_value result, exn;
  /* Trees of earlier programs may be gone: forget what was cached by
   * node or name address. */
  liq_eval_capture_reset();
  memset(symcache, 0, sizeof symcache);
  if (protect(run_program, (void *)program, &result, &exn)) return 0;
  report(exn);
  return 1;
}

int liq_eval_prelude(const liq_ast *program, int src_lo, int src_hi)
{
  prelude_src_lo = src_lo;
  prelude_src_hi = src_hi;
  global_mode = true;
  int r = liq_eval_program(program);
  global_mode = false;
  return r;
}

static bool initialized;

static void *reserve(size_t bytes)
{
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) liq_gc_fatal("cannot reserve %zu bytes for the evaluator", bytes);
  return p;
}

void liq_eval_setup(void)
{
  if (initialized) return;
  initialized = true;
  /* The three deep-recursion arrays are reserved with mmap, outside
   * liq_mem: pages are only committed when a deep recursion touches them,
   * so the resident size of ordinary scripts stays small. */
  stk = reserve(STACK_SLOTS * sizeof(liq_value));
  calls = reserve(CALLS_MAX * sizeof(liq_span));
  exn_spans = reserve(CALLS_MAX * sizeof(liq_span));
  const char *depth = getenv("CLIQ_MAX_DEPTH");
  if (depth && atoi(depth) > 0) max_depth = atoi(depth);
  liq_gc_add_root_hook(root_hook, NULL);
  liq_gc_add_root_hook(globals_hook, NULL);
  global_set(liq_sym_permanent("_"), LIQ_UNIT);
  (void)str_value;
}

void liq_eval_shutdown(void)
{
  if (!initialized) return;
  liq_gc_remove_root_hook(root_hook, NULL);
  liq_gc_remove_root_hook(globals_hook, NULL);
  munmap(stk, STACK_SLOTS * sizeof(liq_value));
  munmap(calls, CALLS_MAX * sizeof(liq_span));
  munmap(exn_spans, CALLS_MAX * sizeof(liq_span));
  liq_mem_free(globals);
  globals = NULL;
  gcap = gcount = 0;
  memset(symcache, 0, sizeof symcache);
  liq_eval_capture_reset();
  initialized = false;
}

/* --- Callbacks from the streaming threads -------------------------------------
 * Clock threads call script closures (getters, hooks) while holding the heap
 * lock. The evaluator's state (root stack, call stack, handlers, pins) is
 * global and only touched under that lock, strictly LIFO: a callback pushes
 * on top of whatever the paused evaluator thread left and pops back before
 * the lock is released, so threads can share it (this needs every builtin
 * to keep the lock for its whole call: none releases it). The C-stack guard is the
 * one per-thread piece: the caller passes the base and usable size of its
 * own stack, installed for the call and restored after (NULL: the calling
 * thread is the evaluator's own, keep its guard). */
typedef struct {
  liq_value f;
  int nargs;
  const liq_value *args;
} cb_data;

static liq_value cb_thunk(void *d)
{
  cb_data *c = d;
  return liq_eval_apply(c->f, c->nargs, NULL, c->args);
}

liq_value (*liq_eval_on_uncaught)(liq_value err, const char *trace);

/* Where the error saved by the last raise was raised, then its callers
 * ("FILE:LINE:COL", one per line): the trace of an uncaught error. */
static void trace_text(liq_sb *sb)
{
  for (int i = 0; i < exn_nspans; i++)
    liq_sb_printf(sb, "%s:%d:%d\n", liq_src_name(exn_spans[i].file), exn_spans[i].line,
                  exn_spans[i].col);
}

/* An error no handler took, on one log line: where, what, and the first
 * callers (a log line is no place for a deep recursion's trace). */
static void log_uncaught(liq_value exn)
{
  size_t kl, ml;
  const char *k = liq_to_str(liq_eval_error_kind(exn), &kl);
  const char *m = liq_to_str(liq_eval_error_message(exn), &ml);
  liq_sb sb = LIQ_SB_INIT;
  if (exn_nspans > 0)
    liq_sb_printf(&sb, "%s:%d:%d: ", liq_src_name(exn_spans[0].file), exn_spans[0].line, exn_spans[0].col);
  liq_sb_printf(&sb, "uncaught runtime error: %.*s: %.*s", (int)kl, k, (int)ml, m);
  for (int i = 1; i < exn_nspans && i <= 5; i++)
    liq_sb_printf(&sb, "%s%s:%d:%d", i == 1 ? " (called from " : ", ", liq_src_name(exn_spans[i].file),
                  exn_spans[i].line, exn_spans[i].col);
  if (exn_nspans > 1) liq_sb_puts(&sb, exn_nspans > 6 ? ", ...)" : ")");
  liq_log(LIQ_LOG_CRITICAL, "runtime", "%s", liq_sb_str(&sb));
  liq_sb_free(&sb);
}

bool liq_eval_callback(void *stack_base_, size_t limit, liq_value f, int nargs,
                       const liq_value *args, liq_value *result)
{
  char *saved_base = stack_base;
  size_t saved_limit = stack_limit;
  if (stack_base_) {
    stack_base = stack_base_;
    stack_limit = limit;
  }
  liq_value *pf = liq_eval_push(f);
  cb_data d = {*pf, nargs, args};
  liq_value exn = LIQ_NOVALUE;
  bool ok = protect(cb_thunk, &d, result, &exn);
  if (!ok) {
    /* The hook's handlers may raise and overwrite the saved trace: the
     * line is logged from what was saved before them. */
    *pf = exn;
    liq_sb trace = LIQ_SB_INIT;
    trace_text(&trace);
    liq_span *spans = liq_mem_alloc(sizeof *spans * (size_t)(exn_nspans + 1));
    int nspans = exn_nspans;
    memcpy(spans, exn_spans, sizeof *spans * (size_t)nspans);
    liq_value left = liq_eval_on_uncaught ? liq_eval_on_uncaught(*pf, liq_sb_str(&trace)) : *pf;
    if (left == *pf) {
      memcpy(exn_spans, spans, sizeof *spans * (size_t)nspans);
      exn_nspans = nspans;
    }
    if (left != LIQ_NOVALUE) log_uncaught(left);
    liq_mem_free(spans);
    liq_sb_free(&trace);
  }
  liq_eval_pop(1);
  stack_base = saved_base;
  stack_limit = saved_limit;
  return ok;
}
