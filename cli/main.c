/* cliq: the command-line driver.
 *
 *   cliq [OPTION]... FILE|EXPR|-...       run the scripts (in order)
 *   cliq --parse-only [--dump-ast] ...     parse and report
 *   cliq --check | -i ...                  type-check (and print the types)
 *   cliq -h NAME | --list-functions        builtin documentation
 *   cliq --list-settings                   every setting with its default
 *   cliq -v | -q | --debug ...             log to the console or not, debug level
 *   cliq --daemon [--pidfile PATH] ...     run detached (after a --check)
 *   cliq --version | --help
 *
 * Scripts are type-checked before they run (as liquidsoap does).
 *
 * As with liquidsoap, a positional argument that is not an existing file is
 * read as an expression (unless it ends in ".liq", then it is a missing
 * file), and "-" reads the script from standard input. Arguments after
 * `--` go to the script (argv()).
 *
 * The work itself is the library's (cliq.h): this file only reads options.
 * A script that defines no output just ends after evaluation with status 0
 * (2.1.3 exits 1 with "No output defined"; see doc/language.md). With
 * outputs, the clocks stream after evaluation until shutdown(), whose code
 * is the exit status (stdlib/lib_clock.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliq.h"

typedef enum { MODE_RUN, MODE_PARSE, MODE_CHECK, MODE_TYPES, MODE_HELP, MODE_LIST, MODE_SETTINGS } cli_mode;

typedef struct {
  cli_mode mode;
  int dump_ast;
  int strict; /* --strict: warnings fail --check */
  int daemon; /* --daemon */
  const char *pidfile;
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
        "      --list-settings   list the settings with their default values\n"
        "  -v, --verbose         print log messages on the console (standard error; the default)\n"
        "  -q, --quiet           do not print log messages on the console\n"
        "      --debug           print debugging log messages (log level 5)\n"
        "  -d, --daemon          check the scripts, then run them detached from the terminal\n"
        "                        (log to a file: settings.log.file); under systemd, run cliq\n"
        "                        in the foreground instead (Type=simple)\n"
        "      --pidfile PATH    with --daemon, write the daemon's pid to PATH\n"
        "      --error-format=F  print diagnostics as text (default) or json\n"
        "      --version         print the version and exit\n"
        "      --help            print this help and exit\n"
        "\n"
        "Signals: SIGTERM or SIGINT shut down cleanly (outputs closed, on_shutdown run,\n"
        "exit status 0), a second one exits at once; SIGHUP reopens the log file.\n"
        "\n"
        "Exit status: 0 on success, 1 on errors (syntax, type or uncaught runtime errors),\n"
        "n after exit(n) in a script.\n",
        out);
}

static int ends_with(const char *s, const char *suffix)
{
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int run(const cli_options *o)
{
  const char *const *in = o->inputs;
  switch (o->mode) {
  case MODE_PARSE: return cliq_parse(in, o->ninputs, o->dump_ast, stdout);
  case MODE_CHECK: return cliq_check(in, o->ninputs, o->strict ? CLIQ_CHECK_STRICT : 0, stdout);
  case MODE_TYPES:
    return cliq_check(in, o->ninputs, CLIQ_CHECK_PRINT_TYPES | (o->strict ? CLIQ_CHECK_STRICT : 0), stdout);
  case MODE_HELP: return cliq_help(o->help_name, stdout);
  case MODE_LIST: cliq_list_functions(stdout); return 0;
  case MODE_SETTINGS: cliq_list_settings(stdout); return 0;
  case MODE_RUN: break;
  }
  if (o->daemon) {
    /* Errors are reported here, while the terminal is still there. */
    int rc = cliq_check(in, o->ninputs, 0, stdout);
    if (rc != 0) return rc;
    rc = cliq_daemonize(o->pidfile);
    if (rc != 0) return rc < 0 ? 1 : 0;
  }
  return cliq_run(in, o->ninputs, o->script_argc, o->script_argv);
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
static int opt_settings(cli_options *o, const char *a) { (void)a; o->mode = MODE_SETTINGS; return -1; }
static int opt_daemon(cli_options *o, const char *a) { (void)a; o->daemon = 1; return -1; }
static int opt_pidfile(cli_options *o, const char *a) { o->pidfile = a; return -1; }
static int opt_verbose(cli_options *o, const char *a)
{
  (void)o;
  (void)a;
  cliq_set_setting("log.stdout", "true");
  return -1;
}
static int opt_quiet(cli_options *o, const char *a)
{
  (void)o;
  (void)a;
  cliq_set_setting("log.stdout", "false");
  return -1;
}
static int opt_debug(cli_options *o, const char *a)
{
  (void)o;
  (void)a;
  cliq_set_setting("log.level", "5");
  return -1;
}
static int opt_version(cli_options *o, const char *a)
{
  (void)o;
  (void)a;
  printf("cliq %s\n", cliq_version());
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
  if (strcmp(a, "json") == 0) cliq_set_error_format(CLIQ_ERRORS_JSON);
  else if (strcmp(a, "text") == 0) cliq_set_error_format(CLIQ_ERRORS_TEXT);
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
  {NULL, "--list-settings", 0, opt_settings},
  {"-v", "--verbose", 0, opt_verbose},
  {"-q", "--quiet", 0, opt_quiet},
  {NULL, "--debug", 0, opt_debug},
  {"-d", "--daemon", 0, opt_daemon},
  {NULL, "--pidfile", 1, opt_pidfile},
  {NULL, "--error-format=", 1, opt_error_format},
  {NULL, "--version", 0, opt_version},
  {NULL, "--help", 0, opt_usage},
};

int main(int argc, char **argv)
{
  cli_options opts = {MODE_RUN, 0, 0, 0, NULL, NULL, NULL, 0, NULL, 0};
  opts.inputs = calloc((size_t)argc, sizeof(char *));
  if (!opts.inputs) return 1;
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
    if (opts.mode != MODE_HELP && opts.mode != MODE_LIST && opts.mode != MODE_SETTINGS && opts.ninputs == 0) {
      fputs("cliq: no input given\n", stderr);
      usage(stderr);
      status = 1;
    } else {
      status = run(&opts);
    }
  }
  free(opts.inputs);
  cliq_cleanup();
  return status;
}
