/* eval: the tree-walking evaluator and the builtin calling convention.
 *
 * The evaluator walks the AST of lang/ast.h directly (strict, left to right,
 * reference §5). Environments are chains of small GC frames (one binding
 * each: symbol + value) ending in the global table, which holds the builtins
 * and the prelude's toplevel bindings. A closure captures a fresh chain
 * holding only the bindings its code may look up (eval_capture.c), so it
 * does not keep the rest of its defining environment alive.
 *
 * Runtime errors are script exceptions: liq_eval_raise unwinds (longjmp) to
 * the nearest `try`, error.catch or the toplevel, which reports
 *   file:line:col: error: uncaught runtime error: KIND: MESSAGE
 * with the source line, then the call stack as `  called from` lines.
 *
 * GC: every value the evaluator holds across an allocation sits on its own
 * root stack (a root hook of gc.h), not on gc.h's small pin stack, so deep
 * recursion only meets the evaluator's own depth bound ("stack overflow").
 * Builtins may use liq_gc_pin as usual; pins are unwound with the error. */
#ifndef LIQ_EVAL_H
#define LIQ_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/builtins.h"
#include "runtime/value.h"

/* The arguments of a builtin call. Labels are NULL for positional ones. The
 * values stay alive during the call (they are on the evaluator's stack). */
struct liq_call {
  int nargs;
  const char *const *labels;
  const liq_value *args;
  liq_span span; /* the call site */
};

/* One builtin: name (dotted for module members: "list.hd"), type in surface
 * syntax as `liquidsoap -h NAME` prints it, doc, category, and the C code:
 * the struct of lang/builtins.h, shared with the type checker. */
typedef struct liq_builtin liq_builtin_def;

/* A builtin's C function whose data argument (the value a method was
 * built with) is unused: LIQ_BUILTIN(b_sine) { ... c ... }. */
#define LIQ_BUILTIN(fn) static liq_value fn(liq_call *c, liq_value data_ __attribute__((unused)))

/* --- Setup ----------------------------------------------------------------- */

/* The literals whose values the stdlib builds: the evaluator calls these
 * hooks, set once at start (liq_eval_set_literals), and raises `invalid`
 * when a hook is missing. */
typedef struct liq_eval_literals {
  /* "$(k)" % [("k", "v")] */
  liq_value (*template_apply)(liq_value tmpl, liq_value assoc);
  /* r/pat/flags */
  liq_value (*regexp)(const char *pat, size_t len, const char *flags);
  /* %mp3(...): an encoder value; vals[i] is the value of parameter i
   * (nested encoders evaluated the same way; LIQ_NOVALUE for a flag) */
  liq_value (*encoder)(const liq_ast *e, const liq_value *vals);
  /* let json.parse: JSON into a value of type ty (raises `json`); ty NULL
   * keeps JSON's own shape (objects become records, arrays lists). */
  liq_value (*json_parse)(liq_value src, const liq_ast_type *ty);
} liq_eval_literals;
void liq_eval_set_literals(const liq_eval_literals *hooks);

/* Sets up the evaluator's stacks and global table (heap lock held). */
void liq_eval_setup(void);
void liq_eval_shutdown(void);
/* Binds every entry of a table that has C code in the global environment
 * (a dotted name adds a method to the value of its prefix). The types are
 * the registry's (builtins.h): binding does not register. */
void liq_eval_bind_table(const liq_builtin_def *defs, int n);
/* Binds a value under a (possibly dotted) global name. */
void liq_eval_define(const char *name, liq_value v);

/* --- Running ---------------------------------------------------------------- */

/* Evaluates a parsed program (a BLOCK) at the toplevel. Returns 0, or 1
 * after reporting an uncaught runtime error. exit() in the script ends the
 * process via liq_eval_exit_hook. */
int liq_eval_program(const liq_ast *program);
/* Maximum evaluation depth (nested calls) before "stack overflow"; the
 * default depends on the build and CLIQ_MAX_DEPTH overrides it. */
void liq_eval_set_max_depth(int depth);

/* --- For builtins ------------------------------------------------------------ */

/* Raises a runtime error of the given kind (not_found, invalid, failure...)
 * located at the current call site. Never returns. */
void liq_eval_raise(const char *kind, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
/* Raises an error value (as built by error.raise). */
void liq_eval_raise_value(liq_value err) __attribute__((noreturn));

/* Calls a function value (closure or builtin) with arguments. */
liq_value liq_eval_apply(liq_value f, int nargs, const char *const *labels, const liq_value *args);
/* Shorthands for positional calls. */
liq_value liq_eval_call0(liq_value f);
liq_value liq_eval_call1(liq_value f, liq_value a);
liq_value liq_eval_call2(liq_value f, liq_value a, liq_value b);
/* Forces a getter: calls it when it is a function, else returns it. */
liq_value liq_eval_getter(liq_value g);
bool liq_eval_is_function(liq_value v);

/* Arguments: the i-th positional argument (LIQ_NOVALUE when absent), a
 * labelled one (dflt when absent). */
liq_value liq_arg(const liq_call *c, int i);
liq_value liq_arg_label(const liq_call *c, const char *label, liq_value dflt);
/* Typed access to a positional argument; raises `invalid` on a mismatch. */
int64_t liq_arg_int(const liq_call *c, int i);
double liq_arg_float(const liq_call *c, int i);   /* accepts ints too */
const char *liq_arg_str(const liq_call *c, int i, size_t *len);
bool liq_arg_bool(const liq_call *c, int i);
/* Checks a value's kind for a builtin (seeing through methods). */
int64_t liq_to_int(liq_value v);
double liq_to_float(liq_value v);
const char *liq_to_str(liq_value v, size_t *len);

/* Error values: kind and message strings. */
liq_value liq_eval_error_new(const char *kind, const char *msg, size_t msglen);

/* The evaluator's root stack: values pushed stay alive until popped (LIFO).
 * Cheaper than liq_gc_pin and unwound automatically on errors. */
liq_value *liq_eval_push(liq_value v);
void liq_eval_pop(int n);

/* The process exit status requested by exit(n), handled by the CLI. */
extern void (*liq_eval_exit_hook)(int status);

#endif
