/* typecheck: type inference over the AST (reference §4).
 *
 * ML-style inference with levels and let-polymorphism under the value
 * restriction, on top of the subtyping of types.h. Every expression node
 * gets its type in liq_ast.type (a liq_type *). Bindings of
 * `let json.parse`, `let eval` (and yaml/xml/sqlite) keep the type the
 * pattern expects in the LET node's `type` field: the evaluator reads it to
 * convert the parsed value.
 *
 * The environment starts with the builtins of the registered tables
 * (lang/builtins.h): a dotted name such as list.map becomes method `map`
 * of the value `list`, with its own polymorphic scheme. Checking a program
 * adds its top-level bindings to the environment, so the prelude and then
 * the script can be checked in turn with the same environment.
 *
 * A source's methods are the builtins source.NAME with the source as
 * their first positional argument (s.skip() is source.skip(s)).
 *
 * Errors go through liq_diag (codes "type", "unbound", "label", "arity",
 * "encoder", "fallible"), located at the offending expression, with a note
 * where the expected type comes from and a "did you mean" hint for unknown
 * names. An output given a statically fallible source (fallible.h) without
 * fallible=true is an error. With LIQ_TC_WARN, warnings (codes "unused",
 * "ignored", "deprecated") are printed after the program, in source order,
 * when it has no error.
 *
 * %ifdef blocks: the branch is chosen here (a name is defined when it is a
 * builtin or bound earlier); its statements are spliced into the enclosing
 * block. The choice is recorded in the IFDEF node (u.ifdef.decided and
 * u.ifdef.chosen, the BLOCK it picked or NULL for none), and the evaluator
 * follows it. */
#ifndef LIQ_TYPECHECK_H
#define LIQ_TYPECHECK_H

#include "lang/ast.h"
#include "lang/types.h"

typedef struct liq_tc_env liq_tc_env;

/* A top-level binding of a checked program. */
typedef struct {
  const char *name; /* dotted for `let a.b = ...` */
  liq_type *type;
  liq_span span;
} liq_tc_binding;

/* A new environment holding the registered builtins (lang's own and
 * whatever the stdlib declared, builtins.h). Reports malformed table types through liq_diag.
 * The environment owns the types of its bindings and of the programs
 * checked in it (their AST nodes point to them): they live until
 * liq_tc_env_free. Its type arena stays current (types.h) after each call
 * taking the environment, so the types it returns can be printed. */
liq_tc_env *liq_tc_env_new(void);
void liq_tc_env_free(liq_tc_env *env);

enum {
  LIQ_TC_QUIET = 1, /* check without reporting (the counts stay right) */
  LIQ_TC_WARN = 2,  /* also report warnings: unused variables and sources,
                       ignored values, deprecated constructs */
};

/* Checks a program (a LIQ_AST_BLOCK) in env. Returns the number of errors
 * reported. The top-level bindings are added to env. */
int liq_tc_program(liq_ast *program, liq_tc_env *env, unsigned flags);

/* The top-level bindings of the last program checked in env, in order.
 * Valid until the next liq_tc_program or liq_tc_env_free. */
const liq_tc_binding *liq_tc_bindings(const liq_tc_env *env, int *count);
/* The type of a binding (or any type) as `liquidsoap -i` prints it:
 * "('a, 'a) -> 'a where 'a is a number type". Caller frees (liq_mem_free). */
char *liq_tc_type_string(liq_type *t);

/* The type of a name in env (instantiated), or NULL: for `-h NAME` of
 * something defined in the prelude. Dotted names look methods up. */
liq_type *liq_tc_lookup(liq_tc_env *env, const char *name);

/* Parses a type written in the surface syntax (plus the constraint clause
 * of builtins.h) into a generalised type, in the current type arena. name
 * is used in diagnostics. Returns NULL after reporting an error. */
liq_type *liq_tc_parse_type(const char *name, const char *text);

#endif
