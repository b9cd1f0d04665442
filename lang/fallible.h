/* fallible: which source expressions are statically fallible.
 *
 * An output refuses a fallible source unless given fallible=true (2.1.3
 * raises "That source is fallible" when the output is built). The type
 * checker reports it before anything runs, for the sources whose
 * fallibility follows from the script's text: the known operators (table
 * in fallible.c, measured on 2.1.3, see reference/runtime.md §1.5), through
 * variables bound to them. Anything else (a function's parameter, an
 * operator the table does not know) is "unknown" and never reported. */
#ifndef LIQ_FALLIBLE_H
#define LIQ_FALLIBLE_H

#include "lang/ast.h"

typedef enum { LIQ_FALL_UNKNOWN, LIQ_FALL_INFALLIBLE, LIQ_FALL_FALLIBLE } liq_fall;

/* Finds the expression bound to name among the bindings below *scope
 * (an index into the checker's environment), and sets *scope to its
 * binding's index. NULL when the name is not bound to a known expression. */
typedef const liq_ast *(*liq_fall_resolve)(void *ctx, const char *name, int *scope);

/* The fallibility of source expression e, whose variables are resolved
 * below scope. When fallible, *origin is the operator call that makes it
 * so (for the message). */
liq_fall liq_fallible(const liq_ast *e, liq_fall_resolve resolve, void *ctx, int scope,
                      const liq_ast **origin);

#endif
