/* lib_source: the header of the stream bindings, what their files share:
 *   lib_source_block.c  the heap block holding a source;
 *   lib_callback.c      heap lock, metadata values, trampolines;
 *   lib_args.c          arguments and parameter tables (liq_lib_unpack);
 *   lib_source.c        source values with their methods, source.*;
 *   lib_lifecycle.c     on_start / on_shutdown handlers;
 *   lib_clock.c         clocks and the streaming run;
 *   lib_output.c, lib_ops_*.c  the outputs and operators.
 * Calls go down this list only (a file calls those above it), except that
 * lib_callback.c's trampolines for sources are lib_source.c's.
 *
 * Source values. A source is a GC custom block owning one reference to a
 * liq_source (released by its finalizer), wrapped with the methods 2.1.3
 * gives every source (id, is_ready, skip, fallible, remaining, elapsed,
 * duration, on_track, on_metadata, on_shutdown, on_leave, on_get_ready,
 * last_metadata, seek, is_up, is_active, self_sync, time) plus
 * operator-specific ones, in the order 2.1.3 prints them.
 *
 * Callbacks. A script function given to the engine is kept alive by a GC
 * handle owned by the callback's `ud` and freed by its `release`. Calls
 * happen on clock threads: the trampoline takes the heap lock (unless the
 * calling thread already holds it: the evaluator thread during evaluation,
 * a callback calling a source method, a finalizer), runs the function
 * through liq_eval_callback with the clock thread's stack guard, and
 * returns non-zero when the script raised (the error is reported located
 * and the stream goes on). */
#ifndef LIQ_LIB_SOURCE_H
#define LIQ_LIB_SOURCE_H

#include <stddef.h>

#include "lang/eval_internal.h"
#include "runtime/ops/ops.h"

/* --- Source values ------------------------------------------------------ */

/* Wraps s (takes the reference) with the common methods and the n extra
 * ones (names and values, rooted by the caller). */
liq_value liq_lib_source_value(liq_source *s, int n, const char *const *names,
                               const liq_value *values);
/* An output's value: unit with the common methods and the n extra ones
 * (builtins made from fns, their data a value of the source). Takes the
 * reference. */
liq_value liq_lib_output_value(liq_source *s, int n, const char *const *names,
                               const liq_builtin_fn *fns);
/* The source of a value (borrowed); raises `invalid` when it is none. */
liq_source *liq_lib_source_of(liq_value v);
/* The same, NULL when the value is not a source. */
liq_source *liq_lib_source_peek(liq_value v);
/* A new source block owning s's reference, without methods, and the
 * source of a block (borrowed). */
liq_value liq_lib_source_block(liq_source *s);
liq_source *liq_lib_source_payload(liq_value block);
/* A constructor's result: raises with err's message when s is NULL, else
 * liq_lib_source_value(s, 0, ...). Frees err. */
liq_value liq_lib_source_result(liq_source *s, liq_sb *err);
/* The same with one extra method `name` (a builtin whose data is a plain
 * value of the same source, so fn reads it with liq_lib_source_of). */
liq_value liq_lib_source_with_method(liq_source *s, liq_sb *err, const char *name,
                                     liq_builtin_fn fn);
/* Raises `invalid` with err's message (freed). */
void liq_lib_raise_sb(liq_sb *err) __attribute__((noreturn));

/* --- Arguments ---------------------------------------------------------- */

/* A labelled argument or LIQ_NOVALUE. */
liq_value liq_lib_opt(const liq_call *c, const char *label);
int liq_lib_opt_bool(const liq_call *c, const char *label, int dflt);
/* The i-th positional argument as a source. */
liq_source *liq_lib_arg_source(const liq_call *c, int i);
/* A list of sources (borrowed, in a liq_mem array the caller frees). */
liq_source **liq_lib_source_list(liq_value list, int *n);

/* Parameter tables. A builtin declares its parameters once, as rows of
 * lang/builtins.h's liq_param (label, type, default, doc, kind, offset
 * into its settings struct); the registry derives its type and `-h` its
 * parameter list, and liq_lib_unpack fills the settings struct: the k-th
 * unlabelled row takes the k-th positional argument, a labelled row its
 * label, an absent argument the row's default. The default is written as
 * a script would (1., 5, true, null) except strings, written bare
 * (`-h` adds the quotes), and functions, written <fun> as `-h` prints
 * them (callback kinds give an empty callback when the argument is absent). LIQ_P_NONE rows are only declared: the builtin
 * reads them itself (lists, records...). */
typedef enum {
  LIQ_P_NONE,
  LIQ_P_FLOAT,          /* double */
  LIQ_P_FLOAT_OR_NULL,  /* double, -1 for null: the engine's "no limit" */
  LIQ_P_INT,            /* int64_t */
  LIQ_P_INT_AS_INT,     /* int */
  LIQ_P_BOOL,           /* int, 0 or 1 */
  LIQ_P_STRING,         /* const char *, borrowed from the argument; null: NULL */
  LIQ_P_SOURCE,         /* liq_source *, borrowed */
  /* Built last, once nothing can raise: they own a handle on the value. */
  LIQ_P_GETTER_FLOAT,   /* liq_getter_float: a float or a function */
  LIQ_P_GETTER_BOOL,    /* liq_getter_bool */
  LIQ_P_CB_VOID,        /* liq_cb_void (null or absent: none) */
  LIQ_P_CB_META,        /* liq_cb_meta */
  LIQ_P_CB_STRING,      /* liq_cb_string */
  LIQ_P_CB_META_MAP,    /* liq_cb_meta_map */
  LIQ_P_CB_POSITION,    /* liq_cb_position */
  LIQ_P_CB_SOURCE,      /* liq_cb_source */
  LIQ_P_CB_TRANSITION,  /* liq_cb_transition */
} liq_lib_param_kind;

/* A row: LIQ_PARAM(label or NULL, type, default or NULL, doc, kind,
 * settings type, field). */
#define LIQ_PARAM(label, type, dflt, doc, kind, st, field) \
  { label, type, dflt, doc, kind, offsetof(st, field) }
/* A row the builtin reads itself. */
#define LIQ_PARAM_SELF(label, type, dflt, doc) { label, type, dflt, doc, LIQ_P_NONE, 0 }

/* Fills settings from c's arguments following the n rows. Raises
 * `invalid` (before building any callback) on an argument of the wrong
 * kind. */
void liq_lib_unpack(const liq_call *c, const liq_param *params, int n, void *settings);
/* The argument of a LIQ_P_NONE row (LIQ_NOVALUE when absent). */
liq_value liq_lib_param_arg(const liq_call *c, const liq_param *params, int n, const char *label);

/* --- Metadata ------------------------------------------------------------ */

/* [(string * string)] from a packet (NULL gives []). */
liq_value liq_lib_meta_value(const liq_meta *m);
/* A new packet from such a list. */
liq_meta *liq_lib_meta_of(liq_value list);

/* --- Trampolines ---------------------------------------------------------- */

/* A float/bool parameter: a number, or a getter (function) called on each
 * use. A missing value (LIQ_NOVALUE) gives the default constant. */
liq_getter_float liq_lib_getter_float(liq_value v, double dflt);
liq_getter_bool liq_lib_getter_bool(liq_value v, int dflt);
/* Whether v is a function (not absent, not null). */
int liq_lib_is_fun(liq_value v);
/* Callbacks from functions; LIQ_NOVALUE or null gives an empty callback. */
liq_cb_void liq_lib_cb_void(liq_value f);
liq_cb_meta liq_lib_cb_meta(liq_value f);
liq_cb_string liq_lib_cb_string(liq_value f);
liq_cb_meta_map liq_lib_cb_meta_map(liq_value f);
/* A metadata getter f() as a meta map (its packet argument unused). */
liq_cb_meta_map liq_lib_cb_meta_getter(liq_value f);
liq_cb_position liq_lib_cb_position(liq_value f);
liq_cb_source liq_lib_cb_source(liq_value f);
liq_cb_source_of_meta liq_lib_cb_source_of_meta(liq_value f);
liq_cb_transition liq_lib_cb_transition(liq_value f);
liq_cb_switch_transition liq_lib_cb_switch_transition(liq_value f);

/* The common form of every trampoline, for callbacks built elsewhere:
 * `build` (may be NULL) runs with the heap lock held and fills args (at
 * most 4, rooted by the caller of the function through the evaluator's
 * stack); `take` (may be NULL) reads the result. Returns 0 on success. */
typedef struct liq_lib_cb liq_lib_cb;
liq_lib_cb *liq_lib_cb_new(liq_value f);
void liq_lib_cb_free(void *cb);
int liq_lib_cb_run(liq_lib_cb *cb, int (*build)(void *ctx, liq_value *args), void *ctx,
                   int (*take)(void *ctx, liq_value result));

/* --- Heap lock from any thread -------------------------------------------- */

/* Takes the heap lock unless this thread holds it; returns what to pass to
 * liq_lib_unlock. */
int liq_lib_lock(void);
void liq_lib_unlock(int taken);

/* --- Module registration -------------------------------------------------- */

/* The clock a new output joins: its input's, else pending (the default
 * clock at run time). Takes a new reference to out. */
void liq_lib_clock_attach_output(liq_source *out, liq_source *input);
/* Registers f to run when streaming starts (on_start), or at once when it
 * has started. */
void liq_lib_on_start(liq_value f);
/* Registers f to run when streaming ends (on_shutdown). */
void liq_lib_on_shutdown(liq_value f);
/* Runs the on_start handlers (streaming starts), the on_shutdown ones
 * (streaming ended), forgets them all (at exit). */
void liq_lib_lifecycle_start(void);
void liq_lib_lifecycle_end(void);
void liq_lib_lifecycle_free(void);
/* Runs the streaming part after evaluation (lib_clock.c): returns the exit
 * status. Called on the evaluator thread holding the heap lock. */
int liq_lib_stream_run(void);
/* Releases every clock and script-level stream state (at exit, heap lock
 * held). */
void liq_lib_stream_free(void);

#endif
