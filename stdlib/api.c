/* api: the public interface (cliq.h) over the front end, the checker, the
 * standard library and the evaluator.
 *
 * Checking and help need only the registry (lib.h's declare step); running
 * starts the heap, opens the standard library and runs the prelude. Both
 * happen on a thread with a large stack: the checker and the evaluator
 * recurse on the syntax tree, and the evaluator bounds script recursion
 * itself ("stack overflow") well before that stack ends.
 *
 * Scripts are type-checked before they run, as liquidsoap does, in the
 * environment of the prelude (checked from its own parse: the evaluator
 * keeps the tree it runs) and of the scripts before them. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cliq.h"
#include "lang/diag.h"
#include "lang/eval.h"
#include "lang/frontend.h"
#include "lang/typecheck.h"
#include "runtime/gc.h"
#include "runtime/mem.h"
#include "runtime/strbuf.h"
#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

#ifndef CLIQ_STDLIB_DIR
#define CLIQ_STDLIB_DIR "/usr/local/share/cliq/libs"
#endif

/* The worker thread's stack, and how much of it scripts may use. */
#define BIG_STACK_SIZE ((size_t)1 << 30)
#define BIG_STACK_USABLE (BIG_STACK_SIZE - ((size_t)64 << 20))

const char *cliq_version(void) { return PACKAGE_VERSION; }

void cliq_set_error_format(cliq_error_format format)
{
  liq_diag_set_format(format == CLIQ_ERRORS_JSON ? LIQ_DIAG_JSON : LIQ_DIAG_TEXT);
}

/* --- Inputs --------------------------------------------------------------- */

/* Arenas live until cliq_cleanup: closures point into their trees. */
static liq_ast_arena **arenas;
static int narenas, caparenas;

static liq_ast_arena *new_arena(void)
{
  if (narenas == caparenas) {
    caparenas = caparenas ? 2 * caparenas : 8;
    arenas = liq_mem_realloc(arenas, sizeof *arenas * (size_t)caparenas);
  }
  return arenas[narenas++] = liq_ast_arena_new();
}

static int is_file(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Parses one input; NULL after reporting errors. */
static liq_ast *parse_input(const char *input)
{
  liq_parse_opts popts = {getenv("CLIQ_STDLIB") ? getenv("CLIQ_STDLIB") : CLIQ_STDLIB_DIR};
  liq_ast_arena *arena = new_arena();
  liq_ast *ast;
  if (strcmp(input, "-") == 0 || is_file(input)) {
    ast = liq_parse_file(arena, input, &popts);
  } else if (ends_with(input, ".liq")) {
    fprintf(stderr, "cliq: cannot open %s: %s\n", input, strerror(ENOENT));
    return NULL;
  } else {
    ast = liq_parse_text(arena, "<command line>", input, strlen(input), &popts);
  }
  if (ast == NULL || liq_diag_errors() > 0) return NULL;
  return ast;
}

int cliq_parse(const char *const *inputs, int n, int dump_ast, FILE *out)
{
  int failed = 0;
  for (int i = 0; i < n; i++) {
    liq_ast *ast = parse_input(inputs[i]);
    if (!ast) {
      failed = 1;
      continue;
    }
    if (dump_ast) {
      liq_sb sb = LIQ_SB_INIT;
      liq_ast_dump(&sb, ast);
      fprintf(out, "%s\n", liq_sb_str(&sb));
      liq_sb_free(&sb);
    }
  }
  return failed;
}

/* --- The worker thread ------------------------------------------------------ */

typedef struct job {
  int (*fn)(struct job *job);
  const char *const *inputs;
  int n;
  unsigned flags;
  FILE *out;
  const char *name;
  int argc;
  char **argv;
  void *stack_base;
  int status;
} job;

static void *job_thread(void *data)
{
  job *j = data;
  char base;
  j->stack_base = &base;
  j->status = j->fn(j);
  fflush(stdout);
  return NULL;
}

static int on_big_stack(job *j)
{
  pthread_attr_t attr;
  pthread_t th;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, BIG_STACK_SIZE);
  int rc = pthread_create(&th, &attr, job_thread, j);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    fputs("cliq: cannot create the evaluator thread\n", stderr);
    return 1;
  }
  pthread_join(th, NULL);
  return j->status;
}

/* --- Checking ----------------------------------------------------------------- */

/* A type environment holding the registered builtins and the prelude's
 * bindings. NULL if the prelude does not type-check, a bug of cliq. */
static liq_tc_env *checked_env(liq_ast_arena *arena)
{
  liq_lib_declare();
  liq_tc_env *env = liq_tc_env_new();
  liq_ast *prelude = liq_parse_text(arena, "<prelude>", liq_prelude_text, (size_t)liq_prelude_len, NULL);
  if (!prelude || liq_tc_program(prelude, env, 0) > 0) {
    fputs("cliq: internal error: the prelude does not type-check\n", stderr);
    liq_tc_env_free(env);
    return NULL;
  }
  return env;
}

static int check_job(job *j)
{
  liq_ast_arena *arena = liq_ast_arena_new();
  liq_tc_env *env = checked_env(arena);
  int failed = env == NULL;
  for (int i = 0; env && i < j->n; i++) {
    liq_ast *ast = parse_input(j->inputs[i]);
    if (!ast || liq_tc_program(ast, env, LIQ_TC_WARN) > 0) {
      failed = 1;
      continue;
    }
    if (!(j->flags & CLIQ_CHECK_PRINT_TYPES)) continue;
    int nb;
    const liq_tc_binding *b = liq_tc_bindings(env, &nb);
    for (int k = 0; k < nb; k++) {
      char *type = liq_tc_type_string(b[k].type);
      fprintf(j->out, "%s : %s\n", b[k].name, type);
      liq_mem_free(type);
    }
  }
  liq_tc_env_free(env);
  liq_ast_arena_free(arena);
  return failed || ((j->flags & CLIQ_CHECK_STRICT) && liq_diag_warnings() > 0);
}

int cliq_check(const char *const *inputs, int n, unsigned flags, FILE *out)
{
  job j = {check_job, inputs, n, flags, out, NULL, 0, NULL, NULL, 0};
  return on_big_stack(&j);
}

/* --- Help ------------------------------------------------------------------------ */

void cliq_list_functions(FILE *out)
{
  liq_lib_declare();
  for (size_t i = 0; i < liq_builtins_count(); i++) {
    const liq_builtin *b = liq_builtins_at(i);
    if (!liq_builtin_is_source_method(b)) fprintf(out, "%s : %s\n", b->name, liq_builtins_type(b));
  }
}

/* As `liquidsoap -h`: " * label : type (default: d)" then the doc. */
static void print_params(const liq_builtin *b, FILE *out)
{
  if (!b->nparams) return;
  fputs("\nParameters:\n", out);
  for (int i = 0; i < b->nparams; i++) {
    const liq_param *p = &b->params[i];
    fprintf(out, "\n * %s : %s", p->label ? p->label : "(unlabeled)", p->type);
    /* String defaults are written bare in the tables (lib_source.h). */
    if (p->dflt && p->kind == LIQ_P_STRING && strcmp(p->dflt, "null") != 0)
      fprintf(out, " (default: \"%s\")", p->dflt);
    else if (p->dflt)
      fprintf(out, " (default: %s)", p->dflt);
    fprintf(out, "\n     %s\n", p->doc ? p->doc : "");
  }
}

static int help_job(job *j)
{
  liq_lib_declare();
  const liq_builtin *d = liq_builtins_find(j->name);
  if (d) {
    fprintf(j->out, "%s\n\nType: %s\n\nCategory: %s\n", d->doc ? d->doc : "", liq_builtins_type(d),
            d->category ? d->category : "");
    print_params(d, j->out);
    return 0;
  }
  /* Defined in the prelude: its inferred type. */
  liq_ast_arena *arena = liq_ast_arena_new();
  liq_tc_env *env = checked_env(arena);
  liq_type *t = env ? liq_tc_lookup(env, j->name) : NULL;
  if (t) {
    char *type = liq_tc_type_string(t);
    fprintf(j->out, "Defined in the prelude.\n\nType: %s\n", type);
    liq_mem_free(type);
  } else {
    /* As liquidsoap: an unknown name is not an error. */
    fputs("Plugin not found!\n", j->out);
    if (liq_builtins_upstream_has(j->name))
      fprintf(j->out, "`%s` is a Liquidsoap 2.x builtin that cliq does not implement yet.\n", j->name);
  }
  liq_tc_env_free(env);
  liq_ast_arena_free(arena);
  return 0;
}

int cliq_help(const char *name, FILE *out)
{
  job j = {help_job, NULL, 0, 0, out, name, 0, NULL, NULL, 0};
  return on_big_stack(&j);
}

/* --- Running ---------------------------------------------------------------------- */

/* Command-line settings (cliq_set_setting), applied after the standard
 * library opened, before the scripts run. */
#define MAX_CLI_SETTINGS 16
static struct {
  const char *path, *value;
} cli_settings[MAX_CLI_SETTINGS];
static int n_cli_settings;

void cliq_set_setting(const char *path, const char *value)
{
  for (int i = 0; i < n_cli_settings; i++)
    if (strcmp(cli_settings[i].path, path) == 0) {
      cli_settings[i].value = value;
      return;
    }
  if (n_cli_settings == MAX_CLI_SETTINGS) {
    fprintf(stderr, "cliq: warning: too many settings on the command line; %s ignored\n", path);
    return;
  }
  cli_settings[n_cli_settings].path = path;
  cli_settings[n_cli_settings++].value = value;
}

static int apply_cli_settings(void)
{
  char err[512];
  for (int i = 0; i < n_cli_settings; i++)
    if (liq_lib_settings_set_text(cli_settings[i].path, cli_settings[i].value, err, sizeof err) != 0) {
      fprintf(stderr, "cliq: error: %s\n", err);
      return 1;
    }
  return 0;
}

void cliq_list_settings(FILE *out) { liq_lib_settings_list(out); }

int cliq_daemonize(const char *pidfile) { return liq_lib_daemonize(pidfile); }

/* The first input that is a script file names the log file (<script>). */
static const char *script_input(const job *j)
{
  struct stat st;
  for (int i = 0; i < j->n; i++)
    if (strcmp(j->inputs[i], "-") != 0 && stat(j->inputs[i], &st) == 0 && S_ISREG(st.st_mode)) return j->inputs[i];
  return NULL;
}

static void on_exit_request(int status)
{
  liq_lib_log_stop();
  fflush(stdout);
  fflush(stderr);
  exit(status);
}

/* The types stay alive while the scripts run and stream (the evaluator
 * reads those the checker left on `let json.parse` nodes). */
static int run_job(job *j)
{
  int status;
  liq_gc_lock();
  liq_gc_init();
  liq_value_init();
  liq_eval_set_stack(j->stack_base, BIG_STACK_USABLE);
  liq_eval_exit_hook = on_exit_request;
  if (!liq_lib_open()) {
    fputs("cliq: internal error: the prelude failed\n", stderr);
    status = 1;
  } else {
    liq_lib_env_set_argv(j->argc, j->argv);
    liq_ast_arena *arena = liq_ast_arena_new();
    liq_tc_env *env = checked_env(arena);
    status = env == NULL || apply_cli_settings();
    for (int i = 0; !status && i < j->n; i++) {
      liq_ast *ast = parse_input(j->inputs[i]);
      status = !ast || liq_tc_program(ast, env, 0) > 0 || liq_eval_program(ast) != 0;
    }
    /* The clocks that have outputs run until shutdown(); without outputs
     * this returns at once. */
    if (!status) status = liq_lib_log_start(script_input(j));
    if (!status) status = liq_lib_stream_run();
    liq_lib_log_stop();
    liq_tc_env_free(env);
    liq_ast_arena_free(arena);
  }
  fflush(stdout);
  liq_lib_close();
  liq_gc_shutdown();
  liq_gc_unlock();
  return status;
}

int cliq_run(const char *const *inputs, int n, int argc, char **argv)
{
  job j = {run_job, inputs, n, 0, stdout, NULL, argc, argv, NULL, 0};
  liq_lib_signals_start();
  int status = on_big_stack(&j);
  liq_lib_signals_stop();
  return status;
}

void cliq_cleanup(void)
{
  for (int i = 0; i < narenas; i++) liq_ast_arena_free(arenas[i]);
  liq_mem_free(arenas);
  arenas = NULL;
  narenas = caparenas = 0;
  liq_builtins_free();
  liq_src_free_all();
  liq_lib_daemon_cleanup();
}
