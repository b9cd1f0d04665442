/* types: the representation of Liquidsoap types, subtyping, and printing.
 *
 * The type checker (typecheck.c) builds these while it walks the AST and
 * stores them in liq_ast.type; the evaluator reads them back where a static
 * type is needed at run time (let json.parse, let eval).
 *
 * A type is a tree of liq_type nodes; a type variable is a node of kind
 * LIQ_T_VAR that is either free (link NULL) or linked to another type.
 * Always look at a type through liq_ty_deref.
 *
 * Polymorphism. Variables carry a level (ML-style generalisation with
 * levels). Generalising marks a variable generic (level LIQ_TY_GENERIC); a
 * generic variable never takes part in unification: liq_ty_instantiate
 * copies the type with fresh variables in its place. A method (record field)
 * has its own type scheme: the generic variables it owns are listed in
 * u.meth.vars, they are instantiated when the field is accessed and left
 * alone when the value holding the method is instantiated. So
 *   list : {map : 'a.'b.(('a) -> 'b, ['a]) -> ['b], ...}
 * keeps map polymorphic even when `list` itself is not.
 *
 * Subtyping. Every check is `a <: b` (liq_ty_sub, reference §4.2): width
 * subtyping on records, contravariant parameters, functions with extra
 * optional parameters, `t <: t?`, `() -> t <: {t}`. A free variable on the
 * right is bound covariantly: the link remembers it, and a later `c <: v`
 * that fails on v's current value widens v to the least upper bound
 * (liq_ty_sup) of both, e.g. `[3, null()]` : [int?] and
 * `if c then {a=1,b=2} else {a=1} end` : {a : int}. Once a covariant link
 * is read on the left of `<:` (the value was used as that type), it becomes
 * invariant and can no longer widen.
 *
 * Every mutation of a variable goes through a trail, so a failed check can
 * be undone (liq_ty_sub leaves types as they were when it fails, which is
 * also what its error message shows).
 *
 * Memory: types are allocated in the current arena (liq_ty_use_arena) and
 * released with it (types are shared freely between the AST, the
 * environments and error messages, so nothing is freed one by one). A type
 * environment (typecheck.h) owns one arena and makes it current while it
 * works: freeing the environment frees its types. */
#ifndef LIQ_TYPES_H
#define LIQ_TYPES_H

#include <limits.h>
#include <stddef.h>

#include "lang/srcfile.h"
#include "runtime/strbuf.h"

typedef enum {
  LIQ_T_VAR,
  LIQ_T_INT,
  LIQ_T_FLOAT,
  LIQ_T_STRING,
  LIQ_T_BOOL,
  LIQ_T_NEVER,
  LIQ_T_GROUND,   /* abstract named type: regexp, error, request, ... (u.name) */
  LIQ_T_TUPLE,    /* unit is the 0-tuple */
  LIQ_T_LIST,     /* u.inner */
  LIQ_T_NULLABLE, /* u.inner */
  LIQ_T_GETTER,   /* {t}: a t or a () -> t (u.inner) */
  LIQ_T_ARROW,
  LIQ_T_METH,     /* base.{name : scheme} */
  LIQ_T_CONSTR,   /* ref(t), source(audio=..), format(..), pcm(stereo) */
  LIQ_T_HOLE,     /* `_`: a part left out of an error message */
} liq_ty_kind;

/* Constraints on type variables (a bit set). */
enum {
  LIQ_TY_C_NUM = 1,      /* "a number type": int or float */
  LIQ_TY_C_ORD = 2,      /* "an orderable type": no functions, no sources */
  LIQ_TY_C_INTERNAL = 4, /* a media content the runtime can handle internally */
};

/* The level of a generalised variable. */
#define LIQ_TY_GENERIC INT_MAX

typedef struct liq_type liq_type;

typedef struct {
  const char *label; /* NULL for a positional parameter */
  int optional;
  liq_type *type;
} liq_ty_param;

typedef struct {
  const char *label; /* NULL for a positional argument: ref(int) */
  liq_type *type;
} liq_ty_arg;

struct liq_type {
  liq_ty_kind kind;
  /* Where the type was inferred (for "inferred at" notes); may be none. */
  liq_span pos;
  union {
    struct {
      liq_type *link;
      int level;
      unsigned constraints;
      int covariant; /* the link may still widen (see above) */
      int id;        /* creation order, to print deterministically */
    } var;
    const char *name;
    struct { liq_type **items; int n; } tuple;
    liq_type *inner;
    struct {
      liq_ty_param *params;
      int n;
      liq_type *ret;
      int elided; /* printing only: parameters shown as (...) */
    } arrow;
    struct {
      const char *name;
      liq_type *type;
      liq_type **vars; /* generic variables owned by this method's scheme */
      int nvars;
      liq_type *base;
      int optional;          /* foo? : t (HEAD) */
      const char *json_name; /* "x" as y : t */
      int elided;            /* printing only: other fields left out */
    } meth;
    struct {
      const char *name;
      liq_ty_arg *args;
      int n;
      int has_args; /* pcm() vs pcm */
    } constr;
  } u;
};

/* --- Construction ---------------------------------------------------------- */

typedef struct liq_ty_arena liq_ty_arena;
liq_ty_arena *liq_ty_arena_new(void);
/* Frees every type allocated in a (which stops being current). */
void liq_ty_arena_free(liq_ty_arena *a);
/* Makes a the arena of later allocations; returns the previous one. */
liq_ty_arena *liq_ty_use_arena(liq_ty_arena *a);
/* Allocation in the current arena (aborts if there is none). */
void *liq_ty_alloc(size_t size);
char *liq_ty_strdup(const char *s);

liq_type *liq_ty_var(int level);
liq_type *liq_ty_var_c(int level, unsigned constraints);
liq_type *liq_ty_ground(liq_ty_kind kind); /* INT, FLOAT, STRING, BOOL, NEVER, HOLE */
liq_type *liq_ty_named(const char *name);  /* abstract ground type */
liq_type *liq_ty_unit(void);
liq_type *liq_ty_tuple(liq_type **items, int n); /* copies the array */
liq_type *liq_ty_pair(liq_type *a, liq_type *b);
liq_type *liq_ty_list(liq_type *elem);
liq_type *liq_ty_nullable(liq_type *inner);
liq_type *liq_ty_getter(liq_type *inner);
liq_type *liq_ty_arrow(const liq_ty_param *params, int n, liq_type *ret); /* copies */
/* Adds method `name` (scheme: vars + type) on top of base. Copies vars. */
liq_type *liq_ty_meth(const char *name, liq_type **vars, int nvars, liq_type *type,
                      liq_type *base);
liq_type *liq_ty_constr(const char *name, const liq_ty_arg *args, int n); /* copies */
liq_type *liq_ty_ref(liq_type *inner);
/* A copy of t's head node with another position. */
liq_type *liq_ty_at(liq_type *t, liq_span pos);

/* --- Inspection ------------------------------------------------------------ */

/* Follows links. */
liq_type *liq_ty_deref(liq_type *t);
int liq_ty_is_free_var(liq_type *t);
int liq_ty_is_unit(liq_type *t);
/* Strips methods: the type under t's method chain (dereferenced). */
liq_type *liq_ty_demeth(liq_type *t);
/* Finds method `name` on t's chain (the outermost one), or NULL. */
liq_type *liq_ty_find_meth(liq_type *t, const char *name);
/* Collects t's method names (each once, outermost first) into names[max];
 * returns how many there are (possibly more than max). */
int liq_ty_meth_names(liq_type *t, const char **names, int max);

/* --- Trail ----------------------------------------------------------------- */

/* Every variable mutation is recorded; liq_ty_undo(mark) reverts to the
 * state at liq_ty_mark(). liq_ty_commit drops the records (call it when no
 * mark is pending, e.g. after each top-level check). */
size_t liq_ty_mark(void);
void liq_ty_undo(size_t mark);
void liq_ty_commit(void);

/* --- Polymorphism ---------------------------------------------------------- */

/* Marks generic every free variable of t whose level is above `level`
 * (variables owned by method schemes are already generic). */
void liq_ty_generalize(liq_type *t, int level);
/* Lowers every free variable of t to at most `level` (a binding that is
 * not generalised must not let its variables be generalised later). */
void liq_ty_lower(liq_type *t, int level);
/* A copy of t with fresh variables (at `level`) for its generic variables,
 * except those owned by method schemes. Returns t itself when it has none. */
liq_type *liq_ty_instantiate(liq_type *t, int level);
/* The type of method field m (a LIQ_T_METH node), instantiated. */
liq_type *liq_ty_instantiate_meth(liq_type *m, int level);
/* Generalises a method's type: fills the vars of meth node m with the free
 * variables of its type above `level`. */
void liq_ty_generalize_meth(liq_type *m, int level);
/* Whether t has a generic variable (not owned by a method scheme). */
int liq_ty_has_generic(liq_type *t);

/* --- Subtyping ------------------------------------------------------------- */

typedef enum {
  LIQ_TY_ERR_MISMATCH,   /* left is not a subtype of right */
  LIQ_TY_ERR_NO_METHOD,  /* left has no method `name` */
  LIQ_TY_ERR_CONSTRAINT, /* left does not satisfy `constraint` */
  LIQ_TY_ERR_OCCURS,     /* binding would build an infinite type */
} liq_ty_err_kind;

/* Why a check failed. left and right are the two types as the message
 * should show them: the parts that matched are replaced by holes (`_`),
 * records keep only the field that failed. leaf_right is the innermost
 * expected type (its pos says where that expectation came from). */
typedef struct {
  liq_ty_err_kind kind;
  liq_type *left, *right;
  liq_type *leaf_left, *leaf_right;
  const char *name;      /* NO_METHOD: the missing method */
  unsigned constraint;   /* CONSTRAINT: the violated constraint */
} liq_ty_err;

/* a <: b. Returns 1 on success. On failure returns 0, undoes what the
 * check did, and fills err (may be NULL). */
int liq_ty_sub(liq_type *a, liq_type *b, liq_ty_err *err);
/* a <: b and b <: a. */
int liq_ty_unify(liq_type *a, liq_type *b, liq_ty_err *err);
/* Least upper bound: a type s with a <: s and b <: s, or NULL. */
liq_type *liq_ty_sup(liq_type *a, liq_type *b);
/* Whether a value of type t can be compared (ord constraint). */
int liq_ty_satisfies(liq_type *t, unsigned constraints);

/* --- Printing -------------------------------------------------------------- */

/* Names variables consistently across several types (an error message
 * prints both sides and a note with one printer). Generic variables print
 * as 'a, 'b, ...; other (weak) ones as 'A, 'B, ... */
typedef struct liq_ty_printer {
  liq_type **vars;
  char **names;
  int nvars, cap;
  int ngeneric, nweak;
  int max_fields; /* > 0: records print at most this many fields, then ... */
} liq_ty_printer;

void liq_ty_printer_init(liq_ty_printer *p);
void liq_ty_printer_free(liq_ty_printer *p);
/* Names t's variables in creation order (call before printing t). */
void liq_ty_printer_prepare(liq_ty_printer *p, liq_type *t);
void liq_ty_print(liq_sb *out, liq_ty_printer *p, liq_type *t);
/* The constraints of the variables printed so far, as
 * " where 'a is a number type, 'b is an orderable type", or "". */
void liq_ty_print_constraints(liq_sb *out, liq_ty_printer *p);
/* Whole type plus its where clause, in a fresh printer (for -i). Caller
 * frees the result with liq_mem_free. */
char *liq_ty_to_string(liq_type *t);
/* Describes a constraint set: "a number type", "an orderable type". */
const char *liq_ty_constraint_name(unsigned constraints);

#endif
