/* tc_internal: what the type checker's files share; typecheck.h is the
 * public side. typecheck.c is inference proper, tc_annot.c turns written
 * types into checker types, tc_env.c holds the environment and builds its
 * builtin bottom. Only these files include this header. */
#ifndef LIQ_TC_INTERNAL_H
#define LIQ_TC_INTERNAL_H

#include "lang/typecheck.h"

/* An entry of the environment's stack. */
typedef struct {
  const char *name;
  liq_type *type; /* generic variables are instantiated at each use */
  liq_span span;
  int used; /* read by a variable of the program */
  int warn; /* "unused variable" applies (a binding of a checked script) */
  const liq_ast *def; /* `x = def`: the expression, for fallible.c */
} binding;

struct liq_tc_env {
  binding *stack;
  int n, cap;
  liq_tc_binding *top; /* top-level bindings of the last program */
  int ntop, captop;
  liq_type *source_methods; /* record of the method-only entries (builtins.h) */
  liq_ast_arena *arena; /* names copied from programs and tables */
  liq_ty_arena *types;  /* every type of the environment and its programs */
};

/* The state of one check (liq_tc_program), or of the conversion of one
 * builtin's type (liq_tc_parse_type: no env). */
typedef struct {
  liq_tc_env *env;
  int no_pos; /* building builtin types: their text is no place to point at */
  int level;
  int errors;
  int quiet;
  int depth; /* block nesting: 0 is the program's top level */
  int warnings; /* report warnings (LIQ_TC_WARN) */
  struct pending_warning *pending;
  int npending, cappending;
} tc;

/* The type variables an annotation names: 'a is one variable throughout
 * it. 64 names is more than any annotation writes; past that, each use of
 * a new name is a fresh variable. */
typedef struct {
  const char *names[64];
  liq_type *vars[64];
  int n;
} tyvars;

/* tc_env.c: pushes a binding (name and type are kept, not copied); the
 * innermost binding of name, or NULL. */
void liq_tc_env_push(liq_tc_env *env, const char *name, liq_type *type, liq_span span);
binding *liq_tc_env_find(liq_tc_env *env, const char *name);

/* tc_annot.c: the type written t, at level c->level (positioned at t's
 * span unless c->no_pos); vs collects its named variables. */
liq_type *liq_tc_of_ast_type(tc *c, const liq_ast_type *t, tyvars *vs);

#endif
