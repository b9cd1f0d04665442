/* eval_internal: what the evaluator shares with the stdlib modules
 * (stdlib/lib_*.c), beyond eval.h. */
#ifndef LIQ_EVAL_INTERNAL_H
#define LIQ_EVAL_INTERNAL_H

#include <stdbool.h>

#include "lang/ast.h"
#include "lang/eval.h"
#include "lang/frontend.h" /* LIQ_LANG_VERSION, the version liquidsoap.version reports */

/* Interns an AST name, cached by address: name must stay alive and
 * unchanged while the program runs (an AST name or a literal). */
liq_sym liq_eval_sym(const char *name);

/* The names a FUN or THUNK node may look up where it is created, cached
 * per node (eval_capture.c); forgotten by liq_eval_capture_reset. */
const liq_sym *liq_eval_capture_names(const liq_ast *fn, int *n);
void liq_eval_capture_reset(void);

/* Errors. */
bool liq_eval_is_error(liq_value v);
liq_value liq_eval_error_kind(liq_value err);
liq_value liq_eval_error_message(liq_value err);
bool liq_eval_error_matches(liq_value err, liq_value errors);
/* Called by liq_eval_raise on each new error (error.raise and builtins'
 * errors; not on re-raises) before it unwinds; returns the error to raise
 * (error.on_error's handlers may replace it). NULL: none. */
extern liq_value (*liq_eval_on_raise)(liq_value err);
/* Calls f() catching script errors; true with *result on success. */
bool liq_eval_protect_call(liq_value f, liq_value *result, liq_value *exn);

/* string_of: strings unchanged, anything else printed. */
liq_value liq_eval_to_string(liq_value v);

/* Whether the current local time is in a time predicate (12h, 1w-2w...):
 * the two ends of an interval, or a single time in f (is_interval 0). */
bool liq_eval_time_holds(const liq_ast_time_point *f, const liq_ast_time_point *t, int is_interval);

/* Runs the prelude: its toplevel bindings go to the global table. */
int liq_eval_prelude(const liq_ast *program, int src_lo, int src_hi);
/* The C stack the evaluator runs on: its top and the usable size. */
void liq_eval_set_stack(void *base, size_t limit);
/* Calls f(args...) from a streaming thread that holds the heap lock, on a C
 * stack of the given base and usable size (NULL: the evaluator thread's).
 * An error no script handler caught is given to liq_eval_on_uncaught, else
 * logged (level 1, label "runtime") located as FILE:LINE:COL, and false
 * returned; the args must be rooted by the caller. */
bool liq_eval_callback(void *stack_base, size_t stack_limit, liq_value f, int nargs,
                       const liq_value *args, liq_value *result);
/* Called by liq_eval_callback on an uncaught error (heap lock held) with
 * its trace (where it was raised, then the callers, "FILE:LINE:COL" per
 * line); returns LIQ_NOVALUE when a handler took it (thread.on_error),
 * else the error to log: err, or the one a handler raised. NULL: none. */
extern liq_value (*liq_eval_on_uncaught)(liq_value err, const char *trace);

#define LIQ_NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
