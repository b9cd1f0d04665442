/* cliq.h: the public interface of the cliq library, all that a driver
 * (cli/main.c) or an embedder needs. Everything else is internal: one
 * header per subsystem under lang/, runtime/ and stdlib/.
 *
 * Inputs. Each entry of `inputs` is a script file, "-" for standard input,
 * or (when it is not an existing file and does not end in ".liq") a script
 * given as text. They are handled in order in one environment: a later
 * script sees the bindings of an earlier one.
 *
 * Diagnostics (syntax, type and runtime errors, warnings) go to standard
 * error as `file:line:col: error: message`, the source line and a caret,
 * or as one JSON object per line (cliq_set_error_format). Each function
 * returns an exit status: 0 on success, 1 after errors, n after exit(n). */
#ifndef CLIQ_H
#define CLIQ_H

#include <stdio.h>

typedef enum { CLIQ_ERRORS_TEXT, CLIQ_ERRORS_JSON } cliq_error_format;

/* cliq_check flags. */
#define CLIQ_CHECK_PRINT_TYPES 1 /* print each toplevel binding's type (-i) */
#define CLIQ_CHECK_STRICT 2      /* warnings fail the check */

/* The version of cliq ("0.1.0"). */
const char *cliq_version(void);
void cliq_set_error_format(cliq_error_format format);

/* Parses the inputs and reports syntax errors; with dump_ast, prints each
 * syntax tree as an S-expression on out. */
int cliq_parse(const char *const *inputs, int n, int dump_ast, FILE *out);
/* Parses and type-checks the inputs (after the prelude); runs nothing and
 * needs no heap. */
int cliq_check(const char *const *inputs, int n, unsigned flags, FILE *out);
/* Type-checks and runs the inputs, then streams until shutdown() when they
 * defined outputs. argv are the script's arguments (argv()). */
int cliq_run(const char *const *inputs, int n, int argc, char **argv);

/* Every builtin with its type, one per line. */
void cliq_list_functions(FILE *out);
/* A builtin's doc, type, category and parameters (a prelude function: its
 * inferred type); "Plugin not found!" for an unknown name, as liquidsoap. */
int cliq_help(const char *name, FILE *out);

/* Releases what the library keeps (source texts, syntax trees) at exit. */
void cliq_cleanup(void);

#endif
