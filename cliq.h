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

/* Service use. cliq_run handles SIGTERM and SIGINT (a clean shutdown; a
 * second one exits at once) and SIGHUP (reopens the log file) on a thread
 * of its own, whatever signals the caller ignored. */
/* Sets a setting for the next cliq_run, as `settings.PATH.set(VALUE)` at
 * the top of the script would (so the script may change it again); VALUE
 * is true/false, a number or a string. -q, -v and --debug use it. */
void cliq_set_setting(const char *path, const char *value);
/* Every setting with its default value (markdown, as liquidsoap's). */
void cliq_list_settings(FILE *out);
/* Detaches from the terminal (fork, setsid, standard streams on /dev/null)
 * and writes the daemon's pid to pidfile (NULL: none; removed by
 * cliq_cleanup). Returns 0 in the daemon, 1 in the calling process (which
 * should exit 0), -1 on failure. Call it before any other cliq_ function
 * that starts threads (cliq_check is fine: its thread has ended). */
int cliq_daemonize(const char *pidfile);

/* Every builtin with its type, one per line. */
void cliq_list_functions(FILE *out);
/* A builtin's doc, type, category and parameters (a prelude function: its
 * inferred type); "Plugin not found!" for an unknown name, as liquidsoap. */
int cliq_help(const char *name, FILE *out);

/* Releases what the library keeps (source texts, syntax trees) at exit. */
void cliq_cleanup(void);

#endif
