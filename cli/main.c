/* cliq: the command-line driver.
 *
 *   cliq [OPTION]... FILE|EXPR|-...       run the scripts (in order)
 *   cliq --parse-only [--dump-ast] ...     parse and report
 *   cliq --check | -i ...                  type-check (and print the types)
 *   cliq -h NAME | --list-functions        builtin documentation
 *   cliq --version | --help
 *
 * Scripts are type-checked before they run (as liquidsoap does).
 *
 * As with liquidsoap, a positional argument that is not an existing file is
 * read as an expression (unless it ends in ".liq", then it is a missing
 * file), and "-" reads the script from standard input. Arguments after
 * `--` go to the script (argv()).
 *
 * Running: the evaluator runs on a thread with a large stack (deep script
 * recursion is bounded by the evaluator, which reports "stack overflow").
 * A script that defines no output just ends after evaluation with status 0
 * (2.1.3 exits 1 with "No output defined"; see doc/language.md). With
 * outputs, the clocks stream after evaluation until shutdown(), whose code
 * is the exit status (stdlib/lib_clock.c). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/eval.h"
#include "lang/eval_internal.h"
#include "lang/frontend.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"
#include "runtime/strbuf.h"
#include "lang/typecheck.h"

#ifndef CLIQ_STDLIB_DIR
#define CLIQ_STDLIB_DIR "/usr/local/share/cliq/libs"
#endif

/* The evaluator thread's stack, and how much of it scripts may use. */
#define EVAL_STACK_SIZE ((size_t)1 << 30)
#define EVAL_STACK_USABLE (EVAL_STACK_SIZE - ((size_t)64 << 20))

typedef enum { MODE_RUN, MODE_PARSE, MODE_CHECK, MODE_TYPES, MODE_HELP, MODE_LIST } cli_mode;

typedef struct {
  cli_mode mode;
  int dump_ast;
  int strict; /* --strict: warnings fail --check */
  const char *help_name;
  const char **inputs;
  int ninputs;
  char **script_argv;
  int script_argc;
} cli_options;

static void usage(FILE *out)
{
  fputs("Usage: cliq [OPTION]... [FILE|EXPR|-]... [-- ARG...]\n"
        "A C implementation of the Liquidsoap stream-scripting language.\n"
        "\n"
        "Each argument is a script file, an inline expression, or - for standard input.\n"
        "They run in order; arguments after -- are given to the script (argv()).\n"
        "\n"
        "Options:\n"
        "  -p, --parse-only      parse the scripts and report syntax errors\n"
        "      --dump-ast        with --parse-only, print each syntax tree on stdout\n"
        "  -c, --check           parse and type-check the scripts, run nothing\n"
        "  -i, --print-types     type-check and print the type of each top-level binding\n"
        "      --strict          with --check or -i, warnings are errors (exit status 1)\n"
        "  -h NAME               print the type, category and description of a builtin\n"
        "      --list-functions  list the builtins with their types\n"
        "      --error-format=F  print diagnostics as text (default) or json\n"
        "      --version         print the version and exit\n"
        "      --help            print this help and exit\n"
        "\n"
        "Exit status: 0 on success, 1 on errors (syntax, type or uncaught runtime errors),\n"
        "n after exit(n) in a script.\n",
        out);
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

/* Arenas live until exit: closures point into their trees. */
static liq_ast_arena **arenas;
static int narenas;

/* Parses one command-line input; NULL after reporting errors. */
static liq_ast *parse_input(const char *input)
{
  liq_parse_opts popts = {getenv("CLIQ_STDLIB") ? getenv("CLIQ_STDLIB") : CLIQ_STDLIB_DIR};
  liq_ast_arena *arena = liq_ast_arena_new();
  arenas[narenas++] = arena;
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

static int run_parse(const cli_options *opts)
{
  int failed = 0;
  for (int i = 0; i < opts->ninputs; i++) {
    liq_ast *ast = parse_input(opts->inputs[i]);
    if (!ast) {
      failed = 1;
      continue;
    }
    if (opts->dump_ast) {
      liq_sb out = LIQ_SB_INIT;
      liq_ast_dump(&out, ast);
      puts(liq_sb_str(&out));
      liq_sb_free(&out);
    }
  }
  return failed;
}

/* A type environment holding the registered builtins and the prelude's
 * bindings (the prelude is checked like a script, from its own parse:
 * the evaluator keeps the tree it runs). NULL if the prelude does not
 * type-check, which is a bug of cliq. */
static liq_tc_env *checked_env(liq_ast_arena *arena)
{
  liq_tc_env *env = liq_tc_env_new();
  liq_ast *prelude = liq_parse_text(arena, "<prelude>", liq_prelude_text, (size_t)liq_prelude_len, NULL);
  if (!prelude || liq_tc_program(prelude, env, 0) > 0) {
    fputs("cliq: internal error: the prelude does not type-check\n", stderr);
    liq_tc_env_free(env);
    return NULL;
  }
  return env;
}

/* --check and -i: the scripts are checked in order in one environment, so
 * a later script sees the bindings of an earlier one. */
static int run_check(const cli_options *opts)
{
  liq_ast_arena *arena = liq_ast_arena_new();
  liq_tc_env *env = checked_env(arena);
  int failed = env == NULL;
  for (int i = 0; env && i < opts->ninputs; i++) {
    liq_ast *ast = parse_input(opts->inputs[i]);
    if (!ast || liq_tc_program(ast, env, LIQ_TC_WARN) > 0) {
      failed = 1;
      continue;
    }
    if (opts->mode != MODE_TYPES) continue;
    int n;
    const liq_tc_binding *b = liq_tc_bindings(env, &n);
    for (int k = 0; k < n; k++) {
      char *type = liq_tc_type_string(b[k].type);
      printf("%s : %s\n", b[k].name, type);
      liq_mem_free(type);
    }
  }
  liq_tc_env_free(env);
  liq_ast_arena_free(arena);
  return failed || (opts->strict && liq_diag_warnings() > 0);
}

static int run_help(const cli_options *opts)
{
  /* The registry: the evaluator's tables and the type-only ones. */
  if (opts->mode == MODE_LIST) {
    for (size_t i = 0; i < liq_builtins_count(); i++) {
      const liq_builtin *b = liq_builtins_at(i);
      if (!liq_builtin_is_source_method(b)) printf("%s : %s\n", b->name, b->type);
    }
    return 0;
  }
  const liq_builtin *d = liq_builtins_find(opts->help_name);
  if (d) {
    printf("%s\n\nType: %s\n\nCategory: %s\n", d->doc ? d->doc : "", d->type ? d->type : "?",
           d->category ? d->category : "");
    return 0;
  }
  /* Defined in the prelude: its inferred type. */
  liq_ast_arena *arena = liq_ast_arena_new();
  liq_tc_env *env = checked_env(arena);
  liq_type *t = env ? liq_tc_lookup(env, opts->help_name) : NULL;
  if (t) {
    char *type = liq_tc_type_string(t);
    printf("Defined in the prelude.\n\nType: %s\n", type);
    liq_mem_free(type);
  } else {
    /* As liquidsoap: an unknown name is not an error. */
    printf("Plugin not found!\n");
  }
  liq_tc_env_free(env);
  liq_ast_arena_free(arena);
  return 0;
}

/* Each script is type-checked (in the environment of the prelude and the
 * scripts before it) before it runs: a type error stops everything with
 * status 1. Then the program streams (lib_clock.c): the clocks that have
 * outputs run until shutdown(); without outputs that returns at once. The
 * types stay alive while the scripts run and stream (the evaluator reads
 * those the checker left on `let json.parse` nodes). */
static int run_scripts(const cli_options *opts)
{
  liq_ast_arena *arena = liq_ast_arena_new();
  liq_tc_env *env = checked_env(arena);
  int status = env == NULL;
  for (int i = 0; !status && i < opts->ninputs; i++) {
    liq_ast *ast = parse_input(opts->inputs[i]);
    status = !ast || liq_tc_program(ast, env, 0) > 0 || liq_eval_program(ast) != 0;
  }
  if (!status) status = liq_lib_stream_run();
  liq_tc_env_free(env);
  liq_ast_arena_free(arena);
  return status;
}

void liq_eval_shutdown_all(void);
void liq_lib_env_set_argv(int argc, char **argv);

static void on_exit_request(int status)
{
  fflush(stdout);
  fflush(stderr);
  exit(status);
}

typedef struct {
  cli_options *opts;
  int status;
} eval_job;

static void *eval_thread(void *data)
{
  eval_job *job = data;
  char base;
  liq_gc_lock();
  liq_gc_init();
  liq_value_init();
  liq_eval_set_stack(&base, EVAL_STACK_USABLE);
  liq_eval_exit_hook = on_exit_request;
  if (!liq_eval_init()) {
    fputs("cliq: internal error: the prelude failed\n", stderr);
    job->status = 1;
  } else {
    liq_lib_env_set_argv(job->opts->script_argc, job->opts->script_argv);
    if (job->opts->mode == MODE_RUN) job->status = run_scripts(job->opts);
    else if (job->opts->mode == MODE_CHECK || job->opts->mode == MODE_TYPES) job->status = run_check(job->opts);
    else job->status = run_help(job->opts);
  }
  fflush(stdout);
  liq_lib_stream_free();
  liq_eval_shutdown_all();
  liq_gc_shutdown();
  liq_gc_unlock();
  return NULL;
}

static int run_eval(cli_options *opts)
{
  eval_job job = {opts, 0};
  pthread_attr_t attr;
  pthread_t th;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, EVAL_STACK_SIZE);
  if (pthread_create(&th, &attr, eval_thread, &job) != 0) {
    fputs("cliq: cannot create the evaluator thread\n", stderr);
    return 1;
  }
  pthread_join(th, NULL);
  pthread_attr_destroy(&attr);
  return job.status;
}

/* Options: each entry matches an argument (or its prefix ending in '=');
 * the handler returns -1 to continue, else an exit status. */
typedef struct {
  const char *short_name, *long_name;
  int takes_arg;
  int (*handle)(cli_options *opts, const char *arg);
} cli_opt;

static int opt_parse(cli_options *o, const char *a) { (void)a; o->mode = MODE_PARSE; return -1; }
static int opt_check(cli_options *o, const char *a) { (void)a; o->mode = MODE_CHECK; return -1; }
static int opt_types(cli_options *o, const char *a) { (void)a; o->mode = MODE_TYPES; return -1; }
static int opt_strict(cli_options *o, const char *a) { (void)a; o->strict = 1; return -1; }
static int opt_dump(cli_options *o, const char *a) { (void)a; o->dump_ast = 1; return -1; }
static int opt_help_name(cli_options *o, const char *a) { o->mode = MODE_HELP; o->help_name = a; return -1; }
static int opt_list(cli_options *o, const char *a) { (void)a; o->mode = MODE_LIST; return -1; }
static int opt_version(cli_options *o, const char *a)
{
  (void)o;
  (void)a;
  printf("cliq %s\n", PACKAGE_VERSION);
  return 0;
}
static int opt_usage(cli_options *o, const char *a)
{
  (void)o;
  (void)a;
  usage(stdout);
  return 0;
}
static int opt_error_format(cli_options *o, const char *a)
{
  (void)o;
  if (strcmp(a, "json") == 0) liq_diag_set_format(LIQ_DIAG_JSON);
  else if (strcmp(a, "text") == 0) liq_diag_set_format(LIQ_DIAG_TEXT);
  else {
    fprintf(stderr, "cliq: unknown error format '%s' (expected text or json)\n", a);
    return 1;
  }
  return -1;
}

static const cli_opt options[] = {
  {"-p", "--parse-only", 0, opt_parse},
  {NULL, "--dump-ast", 0, opt_dump},
  {"-c", "--check", 0, opt_check},
  {"-i", "--print-types", 0, opt_types},
  {NULL, "--strict", 0, opt_strict},
  {"-h", NULL, 1, opt_help_name},
  {NULL, "--list-functions", 0, opt_list},
  {NULL, "--error-format=", 1, opt_error_format},
  {NULL, "--version", 0, opt_version},
  {NULL, "--help", 0, opt_usage},
};

int main(int argc, char **argv)
{
  cli_options opts = {MODE_RUN, 0, 0, NULL, NULL, 0, NULL, 0};
  opts.inputs = liq_mem_calloc((size_t)argc, sizeof(char *));
  arenas = liq_mem_calloc((size_t)argc + 1, sizeof *arenas);
  int status = -1;
  for (int i = 1; i < argc && status < 0; i++) {
    const char *arg = argv[i];
    if (arg[0] != '-' || strcmp(arg, "-") == 0) {
      opts.inputs[opts.ninputs++] = arg;
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      opts.script_argv = argv + i + 1;
      opts.script_argc = argc - i - 1;
      break;
    }
    const cli_opt *o = NULL;
    const char *val = NULL;
    for (size_t k = 0; k < sizeof options / sizeof options[0] && !o; k++) {
      const cli_opt *c = &options[k];
      if (c->short_name && strcmp(arg, c->short_name) == 0) o = c;
      else if (c->long_name && ends_with(c->long_name, "=") &&
               strncmp(arg, c->long_name, strlen(c->long_name)) == 0) {
        o = c;
        val = arg + strlen(c->long_name);
      } else if (c->long_name && strcmp(arg, c->long_name) == 0) o = c;
    }
    if (!o) {
      fprintf(stderr, "cliq: unknown option '%s'\n", arg);
      usage(stderr);
      status = 1;
      break;
    }
    if (o->takes_arg && !val) {
      if (i + 1 >= argc) {
        fprintf(stderr, "cliq: option %s needs an argument\n", arg);
        status = 1;
        break;
      }
      val = argv[++i];
    }
    status = o->handle(&opts, val);
  }
  if (status < 0) {
    if (opts.mode != MODE_HELP && opts.mode != MODE_LIST && opts.ninputs == 0) {
      fputs("cliq: no input given\n", stderr);
      usage(stderr);
      status = 1;
    } else if (opts.mode == MODE_PARSE) {
      status = run_parse(&opts);
    } else {
      status = run_eval(&opts);
    }
  }
  for (int i = 0; i < narenas; i++) liq_ast_arena_free(arenas[i]);
  liq_mem_free(arenas);
  liq_mem_free(opts.inputs);
  liq_src_free_all();
  return status;
}
