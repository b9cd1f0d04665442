/* eval_capture: the names a function may look up in the environment it is
 * created in, so that its closure captures only those bindings (eval.c's
 * make_closure) instead of the whole chain, which would keep every value
 * bound before it alive as long as the closure lives.
 *
 * The set is a safe over-approximation, computed once per FUN or THUNK node
 * and cached: every name the body can look up at run time, i.e. every
 * variable reference, the root of every `let a.b = ...` path and of every
 * `let replaces x`, every `%ifdef` name root, every `%argsof` path root,
 * wherever they occur in the body (nested functions and default values
 * included), without removing the names bound inside. Binding structure is
 * deliberately ignored: a name bound locally and also found outside costs
 * one extra captured binding, never a wrong lookup. Every child of every
 * node kind is visited: a new node kind must be added to the walker below.
 *
 * Cache invariant: entries are keyed by node address, and nodes live as long
 * as the program that holds them; liq_eval_capture_reset (called when a
 * program starts and at shutdown) forgets every entry, so an address reused
 * by a later program's tree is never matched with an old entry. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "lang/eval_internal.h"
#include "runtime/mem.h"

typedef struct {
  liq_sym *syms;
  int n, cap;
} names;

static void add(names *ns, liq_sym s)
{
  for (int i = 0; i < ns->n; i++)
    if (ns->syms[i] == s) return;
  if (ns->n == ns->cap) {
    ns->cap = ns->cap ? 2 * ns->cap : 8;
    ns->syms = liq_mem_realloc(ns->syms, (size_t)ns->cap * sizeof(liq_sym));
  }
  ns->syms[ns->n++] = s;
}

/* The root of a dotted name, as eval.c's is_defined interns it. */
static void add_root(names *ns, const char *dotted)
{
  size_t len = strcspn(dotted, ".");
  char *root = liq_mem_strndup(dotted, len);
  add(ns, liq_sym_permanent(root));
  liq_mem_free(root);
}

static void walk(const liq_ast *e, names *ns);

static void walk_args(const liq_ast_arg *args, int n, names *ns)
{
  for (int i = 0; i < n; i++) {
    if (args[i].value) walk(args[i].value, ns);
    if (args[i].argsof) add(ns, liq_eval_sym(args[i].argsof->path[0]));
  }
}

/* Patterns only look names up for `let a.b = v` (the root a). */
static void walk_pat(const liq_ast_pat *p, names *ns)
{
  switch (p->kind) {
  case LIQ_PAT_VAR:
  case LIQ_PAT_WILD: return;
  case LIQ_PAT_PATH: add(ns, liq_eval_sym(p->u.path.names[0])); return;
  case LIQ_PAT_TUPLE:
    for (int i = 0; i < p->u.tuple.nitems; i++) walk_pat(p->u.tuple.items[i], ns);
    return;
  case LIQ_PAT_LIST:
    for (int i = 0; i < p->u.list.nbefore; i++) walk_pat(p->u.list.before[i], ns);
    for (int i = 0; i < p->u.list.nafter; i++) walk_pat(p->u.list.after[i], ns);
    return;
  case LIQ_PAT_RECORD:
    for (int i = 0; i < p->u.record.nfields; i++)
      if (p->u.record.fields[i].pat) walk_pat(p->u.record.fields[i].pat, ns);
    return;
  case LIQ_PAT_METH:
    walk_pat(p->u.meth.base, ns);
    for (int i = 0; i < p->u.meth.nfields; i++)
      if (p->u.meth.fields[i].pat) walk_pat(p->u.meth.fields[i].pat, ns);
    return;
  }
}

static void walk_opt(const liq_ast *e, names *ns)
{
  if (e) walk(e, ns);
}

/* Walks n children, skipping the absent (NULL) ones. */
static void walk_each(names *ns, int n, const liq_ast *const *es)
{
  for (int i = 0; i < n; i++) walk_opt(es[i], ns);
}

static void walk(const liq_ast *e, names *ns)
{
  switch (e->kind) {
  case LIQ_AST_REGEXP: /* literals and time predicates look nothing up */
  case LIQ_AST_TIME:
  case LIQ_AST_NULL:
  case LIQ_AST_BOOL:
  case LIQ_AST_INT:
  case LIQ_AST_FLOAT:
  case LIQ_AST_STRING: return;
  case LIQ_AST_INTERP:
    for (int i = 0; i < e->u.interp.nparts; i++) walk_opt(e->u.interp.parts[i].expr, ns);
    return;
  case LIQ_AST_ENCODER:
    for (int i = 0; i < e->u.enc.nparams; i++) walk_opt(e->u.enc.params[i].value, ns);
    return;
  case LIQ_AST_VAR: add(ns, liq_eval_sym(e->u.var.name)); return;
  case LIQ_AST_TUPLE:
  case LIQ_AST_LIST:
    for (int i = 0; i < e->u.items.nitems; i++) walk(e->u.items.items[i], ns);
    return;
  case LIQ_AST_RECORD:
  case LIQ_AST_METHODS:
    walk_opt(e->u.record.base, ns);
    for (int i = 0; i < e->u.record.nfields; i++) walk(e->u.record.fields[i].value, ns);
    return;
  case LIQ_AST_FIELD: walk(e->u.field.e, ns); return;
  case LIQ_AST_APP:
    walk(e->u.app.fn, ns);
    walk_args(e->u.app.args, e->u.app.nargs, ns);
    return;
  case LIQ_AST_FUN:
    for (int i = 0; i < e->u.fun.nparams; i++) {
      walk_opt(e->u.fun.params[i].def, ns);
      if (e->u.fun.params[i].argsof) add(ns, liq_eval_sym(e->u.fun.params[i].argsof->path[0]));
    }
    walk(e->u.fun.body, ns);
    return;
  case LIQ_AST_BLOCK:
    for (int i = 0; i < e->u.block.nstmts; i++) walk(e->u.block.stmts[i], ns);
    return;
  case LIQ_AST_CAST: walk(e->u.cast.e, ns); return;
  case LIQ_AST_IF: walk_each(ns, 3, (const liq_ast *[]){e->u.cond.cond, e->u.cond.then_, e->u.cond.else_}); return;
  case LIQ_AST_WHILE:
  case LIQ_AST_FOR:
    walk_each(ns, 4, (const liq_ast *[]){e->u.loop.cond, e->u.loop.from, e->u.loop.to, e->u.loop.body});
    return;
  case LIQ_AST_TRY:
    walk_each(ns, 4, (const liq_ast *[]){e->u.try_.body, e->u.try_.errors, e->u.try_.handler, e->u.try_.finally_});
    return;
  case LIQ_AST_SPREAD:
  case LIQ_AST_THUNK:
  case LIQ_AST_NOT:
  case LIQ_AST_NEG:
  case LIQ_AST_DEREF:
  case LIQ_AST_OPEN: walk(e->u.unary.e, ns); return;
  case LIQ_AST_INDEX:
  case LIQ_AST_ASSIGN:
  case LIQ_AST_AND:
  case LIQ_AST_OR:
  case LIQ_AST_CONS:
  case LIQ_AST_COALESCE:
  case LIQ_AST_PIPE: walk_each(ns, 2, (const liq_ast *[]){e->u.binary.left, e->u.binary.right}); return;
  case LIQ_AST_BINOP: walk_each(ns, 2, (const liq_ast *[]){e->u.binop.left, e->u.binop.right}); return;
  case LIQ_AST_LET: {
    const liq_ast_pat *p = e->u.let.pat;
    walk(e->u.let.value, ns);
    walk_opt(e->u.let.json5, ns);
    walk_args(e->u.let.opts, e->u.let.nopts, ns);
    walk_pat(p, ns);
    if (e->u.let.kind == LIQ_LET_REPLACES && p->kind == LIQ_PAT_VAR) add(ns, liq_eval_sym(p->u.var.name));
    return;
  }
  case LIQ_AST_IFDEF:
    if (e->u.ifdef.kind == LIQ_IFDEF || e->u.ifdef.kind == LIQ_IFNDEF) add_root(ns, e->u.ifdef.name);
    walk_opt(e->u.ifdef.then_, ns);
    walk_opt(e->u.ifdef.else_, ns);
    return;
  }
}

/* --- Cache: open addressing on the node address ----------------------------- */

typedef struct {
  const liq_ast *node;
  liq_sym *syms;
  int n;
} entry;

static entry *table;
static size_t tcap, tcount;

static size_t slot_of(const liq_ast *node)
{
  return (size_t)(((uintptr_t)node >> 4) * 0x9E3779B97F4A7C15ull) & (tcap - 1);
}

static void insert(entry en)
{
  size_t i = slot_of(en.node);
  while (table[i].node) i = (i + 1) & (tcap - 1);
  table[i] = en;
  tcount++;
}

const liq_sym *liq_eval_capture_names(const liq_ast *fn, int *n)
{
  if (tcap) {
    for (size_t i = slot_of(fn); table[i].node; i = (i + 1) & (tcap - 1))
      if (table[i].node == fn) {
        *n = table[i].n;
        return table[i].syms;
      }
  }
  if (2 * (tcount + 1) > tcap) {
    entry *old = table;
    size_t oldcap = tcap;
    tcap = tcap ? 2 * tcap : 256;
    table = liq_mem_calloc(tcap, sizeof *table);
    tcount = 0;
    for (size_t i = 0; i < oldcap; i++)
      if (old[i].node) insert(old[i]);
    liq_mem_free(old);
  }
  names ns = {NULL, 0, 0};
  walk(fn, &ns);
  insert((entry){fn, ns.syms, ns.n});
  *n = ns.n;
  return ns.syms;
}

void liq_eval_capture_reset(void)
{
  for (size_t i = 0; i < tcap; i++) liq_mem_free(table[i].syms);
  liq_mem_free(table);
  table = NULL;
  tcap = tcount = 0;
}
