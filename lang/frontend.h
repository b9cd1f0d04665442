/* frontend: the public entry points of the front end. They turn a script
 * (a file, a string or stdin) into an AST block: lexing (lexer.l), the token
 * filters of the reference's §1.9, the preprocessor (%include, %ifdef...,
 * %define) and parsing (parser.y).
 *
 * Errors and warnings are reported through liq_diag (code "syntax"); the
 * functions return NULL when at least one error was reported. The returned
 * tree lives in `arena` (see ast.h); the source texts it points into are
 * registered in the source registry (srcfile.h). */
#ifndef LIQ_FRONTEND_H
#define LIQ_FRONTEND_H

#include <stddef.h>

#include "lang/ast.h"

typedef struct liq_parse_opts {
  /* Directory searched by `%include <lib>`; NULL disables that form. */
  const char *stdlib_dir;
} liq_parse_opts;

/* Parses a whole program from a file; path "-" reads stdin. Returns a
 * LIQ_AST_BLOCK (possibly empty), or NULL after reporting errors via
 * liq_diag (including "cannot read file"). opts may be NULL. */
liq_ast *liq_parse_file(liq_ast_arena *arena, const char *path, const liq_parse_opts *opts);

/* Parses `len` bytes of `text`, registered under the display name `name`
 * (e.g. "<string>", "<prelude>"). Same result convention. %include paths are
 * relative to the current directory. */
liq_ast *liq_parse_text(liq_ast_arena *arena, const char *name, const char *text, size_t len,
                        const liq_parse_opts *opts);

/* Parses a type written as in an annotation (`(x : TYPE)`), for the types
 * of builtins. NULL after reporting errors. */
liq_ast_type *liq_parse_type_text(liq_ast_arena *arena, const char *name, const char *text, size_t len);

/* Parses an already registered source (id from liq_src_add). */
liq_ast *liq_parse_src(liq_ast_arena *arena, int src_id, const liq_parse_opts *opts);

/* The Liquidsoap version `%ifversion` compares with: cliq's compatibility
 * baseline. */
#define LIQ_LANG_VERSION "2.1.3"

/* Whether `%ifversion OP VERSION` holds (OP is >=, <=, >, <, == or !=;
 * NULL means >=). Versions compare numerically, component by component. */
int liq_ifversion_holds(const char *op, const char *version);

#endif
