/* lib: what every stdlib module shares: the module descriptor, the table
 * of modules (lib_init.c) and the literal builders the evaluator calls
 * through liq_eval_literals.
 *
 * A module is one file stdlib/lib_NAME.c with one `static const` table of
 * builtins and one exported descriptor `liq_lib_NAME`. Start-up has two
 * steps (lib_init.c):
 *   declare  registers every table in lang's registry (builtins.h) and
 *            the literal hooks: no heap, enough for --check, -h and
 *            --list-functions;
 *   open     for each module in order, binds its table's C functions in
 *            the global environment, then runs its `open` (values that
 *            need the heap: constants, settings, error kinds); then runs
 *            the prelude. Later modules may add methods to earlier
 *            values.
 * `close` runs at exit in the reverse order. */
#ifndef LIQ_LIB_H
#define LIQ_LIB_H

#include <stdio.h>

#include "lang/builtins.h"
#include "lang/eval.h"

typedef struct liq_lib_module {
  const char *name;
  const liq_builtin *defs;
  int ndefs;
  void (*open)(void);  /* NULL: nothing beyond the table */
  void (*close)(void); /* NULL: nothing to release */
} liq_lib_module;

/* The modules, in lib_init.c's order. */
extern const liq_lib_module liq_lib_declared, liq_lib_core, liq_lib_null, liq_lib_ref,
    liq_lib_error, liq_lib_list, liq_lib_string, liq_lib_math, liq_lib_random, liq_lib_regexp,
    liq_lib_json, liq_lib_file, liq_lib_settings, liq_lib_time, liq_lib_env, liq_lib_log,
    liq_lib_runtime, liq_lib_process, liq_lib_thread, liq_lib_source, liq_lib_clock,
    liq_lib_output, liq_lib_ops_gen, liq_lib_ops_track, liq_lib_ops_dsp, liq_lib_request;

/* Registers every module's table and the literal hooks; idempotent. */
void liq_lib_declare(void);
/* Binds the modules and runs the prelude (heap lock held). False when the
 * prelude failed, a bug of cliq. */
bool liq_lib_open(void);
/* Closes the modules, the evaluator and the prelude (heap lock held). */
void liq_lib_close(void);

/* The script's arguments, for argv() (lib_env.c). */
void liq_lib_env_set_argv(int argc, char **argv);

/* The embedded prelude (generated from the .liq files of stdlib/prelude/). */
extern const char liq_prelude_text[];
extern const unsigned long liq_prelude_len;
/* The names of Liquidsoap 2.1.3's builtins (stdlib/liquidsoap_names.txt),
 * for the checker's "not implemented yet" hint. */
extern const char liq_liquidsoap_names_text[];
extern const unsigned long liq_liquidsoap_names_len;

/* Literal builders (liq_eval_literals). */
liq_value liq_lib_template(liq_value tmpl, liq_value assoc); /* lib_core.c */
liq_value liq_lib_regexp_new(const char *pat, size_t len, const char *flags); /* lib_regexp.c */
liq_value liq_lib_encoder_value(const liq_ast *e, const liq_value *vals); /* lib_encoder.c */
/* The format of an encoder value (borrowed from it), or NULL. */
const struct liq_enc_format *liq_lib_format_of(liq_value v); /* lib_encoder.c */
liq_value liq_lib_json_parse_typed(liq_value src, const liq_ast_type *ty); /* lib_json.c */

/* Settings: a setting's current value (NOVALUE when unknown), for the
 * modules that read one (log level, frame duration...). */
liq_value liq_settings_get(const char *path);
/* Sets a leaf from text (true/false, a number, a string), as the command
 * line does (-q, --debug); -1 with a message for an unknown path or a
 * value of the wrong type. Needs the opened library. */
int liq_lib_settings_set_text(const char *path, const char *text, char *err, size_t errlen);
/* Every setting with its default, in --list-settings' markdown. No heap. */
void liq_lib_settings_list(FILE *out);

/* Logging (lib_log.c): the log.* settings are pushed into runtime/log.c
 * when one changes; the log file is opened, and the writer thread started,
 * when streaming starts (liq_lib_log_start, 1 with an error printed when
 * the file cannot be opened), stopped after it, every queued line written
 * (liq_lib_log_stop). script: the first script's path, for <script>. */
void liq_lib_log_settings_changed(void);
int liq_lib_log_start(const char *script);
void liq_lib_log_stop(void);

/* Shutdown (lib_clock.c): stop the clocks and return `code` from the
 * streaming run; any thread, also before streaming starts. */
void liq_lib_request_shutdown(int code);

/* Signals (lib_service.c): SIGTERM, SIGINT and SIGHUP blocked in every
 * thread and handled on one thread, from cliq_run's start (before any
 * other thread) to its end. */
void liq_lib_signals_start(void);
void liq_lib_signals_stop(void);
/* Daemon mode: -1 on failure (printed); 1 in the original process, which
 * should exit 0: the daemon runs and wrote its pid file; 0 in the daemon.
 * Call it before any thread exists. cleanup removes the pid file. */
int liq_lib_daemonize(const char *pidfile);
void liq_lib_daemon_cleanup(void);

#endif
