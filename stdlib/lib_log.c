/* lib_log: log(label=, level=, msg), the log.* shorthands and the log.*
 * settings.
 *
 * Script lines and the engine's own go through runtime/log.h alike, as
 *   YYYY/MM/DD HH:MM:SS [label:level] message
 * (Liquidsoap's format; levels 1 critical .. 5 debug), so both obey
 * settings.log.level, the per-label levels (s.log.level.set), the console
 * switch and the log file. The runtime reads no settings: this module pushes
 * them whenever a log.* leaf changes (lib_settings.c watches them), and
 * opens the log file when streaming starts, as 2.1.3 does, so a script may
 * set log.file and log.file.path in any order. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "runtime/log.h"
#include "runtime/strbuf.h"

static int setting_int(const char *path, int dflt)
{
  liq_value v = liq_settings_get(path);
  if (v == LIQ_NOVALUE) return dflt;
  v = liq_v_base(v);
  if (liq_is_int(v)) return (int)liq_v_int_val(v);
  if (v == LIQ_TRUE || v == LIQ_FALSE) return liq_v_bool_val(v);
  return dflt;
}

static const char *setting_str(const char *path, const char *dflt)
{
  liq_value v = liq_settings_get(path);
  if (v == LIQ_NOVALUE) return dflt;
  v = liq_v_base(v);
  return liq_value_kind(v) == LIQ_K_STRING ? liq_v_string_bytes(v) : dflt;
}

/* The log file's settings once streaming started (file_started): a change
 * then opens the new file at once. */
static int file_started;
static char script_name[256] = "cliq";
static char file_path[4096];
static int file_on, file_append;

/* log.file.path's template: strftime first (so that a script name with a
 * '%' stays as it is), then <script>, <pid>, <home>, <syslogdir>,
 * <sysrundir>. */
static void expand_path(const char *tmpl, liq_sb *out)
{
  char timed[4096];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  if (strftime(timed, sizeof timed, tmpl, &tm) == 0 && tmpl[0]) snprintf(timed, sizeof timed, "%s", tmpl);
  static const struct {
    const char *name;
    int which;
  } vars[] = {{"<script>", 0}, {"<pid>", 1}, {"<home>", 2}, {"<syslogdir>", 3}, {"<sysrundir>", 4}};
  for (const char *p = timed; *p;) {
    size_t k = 0;
    for (; k < sizeof vars / sizeof vars[0]; k++)
      if (strncmp(p, vars[k].name, strlen(vars[k].name)) == 0) break;
    if (k == sizeof vars / sizeof vars[0]) {
      liq_sb_putc(out, *p++);
      continue;
    }
    const char *home = getenv("HOME");
    switch (vars[k].which) {
    case 0: liq_sb_printf(out, "%s", script_name); break;
    case 1: liq_sb_printf(out, "%ld", (long)getpid()); break;
    case 2: liq_sb_printf(out, "%s", home ? home : ""); break;
    case 3: liq_sb_printf(out, "/var/log"); break;
    default: liq_sb_printf(out, "/var/run"); break;
    }
    p += strlen(vars[k].name);
  }
}

/* Opens (or closes) the log file as the settings say; -1 with err. */
static int apply_file(char *err, size_t errlen)
{
  int on = setting_int("log.file", 0);
  int append = setting_int("log.file.append", 1);
  liq_sb path = LIQ_SB_INIT;
  expand_path(setting_str("log.file.path", ""), &path);
  int rc = 0;
  if (on && path.len == 0) {
    snprintf(err, errlen, "settings.log.file.path is empty");
    rc = -1;
  } else if (on != file_on || append != file_append || strcmp(liq_sb_str(&path), file_path) != 0) {
    rc = liq_log_open_file(on ? liq_sb_str(&path) : NULL, append, setting_int("log.file.perms", 0600),
                           err, errlen);
    if (rc == 0) {
      file_on = on;
      file_append = append;
      snprintf(file_path, sizeof file_path, "%s", liq_sb_str(&path));
    }
  }
  liq_sb_free(&path);
  return rc;
}

void liq_lib_log_settings_changed(void)
{
  liq_log_config c = {setting_int("log.level", 3), setting_int("log.stdout", 1), setting_int("log.date", 1),
                      setting_int("log.unix_timestamps", 0)};
  liq_log_configure(&c);
  char err[512];
  if (file_started && apply_file(err, sizeof err) != 0) liq_log(LIQ_LOG_SEVERE, "log", "%s", err);
}

int liq_lib_log_start(const char *script)
{
  if (script) {
    const char *base = strrchr(script, '/');
    snprintf(script_name, sizeof script_name, "%s", base ? base + 1 : script);
    size_t n = strlen(script_name);
    if (n > 4 && strcmp(script_name + n - 4, ".liq") == 0) script_name[n - 4] = 0;
  }
  char err[512];
  if (apply_file(err, sizeof err) != 0) {
    fprintf(stderr, "cliq: error: %s\nhint: set another one with settings.log.file.path.set(\"<path>\")\n",
            err);
    return 1;
  }
  file_started = 1;
  liq_log_start_writer();
  return 0;
}

/* A writer still blocked after LIQ_LOG_STOP_SECONDS is left behind
 * (runtime/log.h): exiting goes on. */
void liq_lib_log_stop(void) { (void)liq_log_stop_writer(); }

static liq_value do_log(liq_call *c, int level)
{
  size_t len;
  const char *msg = liq_arg_str(c, 0, &len);
  const char *label = "lang";
  liq_value l = liq_arg_label(c, "label", LIQ_NOVALUE);
  if (l != LIQ_NOVALUE) label = liq_to_str(l, NULL);
  if (level < 0) level = (int)liq_to_int(liq_arg_label(c, "level", liq_v_int(3)));
  liq_log(level, label, "%.*s", (int)(len > 4096 ? 4096 : len), msg);
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_log) { return do_log(c, -1); }
LIQ_BUILTIN(b_critical) { return do_log(c, 1); }
LIQ_BUILTIN(b_severe) { return do_log(c, 2); }
LIQ_BUILTIN(b_important) { return do_log(c, 3); }
LIQ_BUILTIN(b_info) { return do_log(c, 4); }
LIQ_BUILTIN(b_debug) { return do_log(c, 5); }

static const liq_builtin_def log_defs[] = {
  {"log", "(?label : string, ?level : int, string) -> unit", "Log a message.", "Liquidsoap", b_log},
  {"log.critical", "(?label : string, string) -> unit", "Log a critical message (level 1).", "Liquidsoap", b_critical},
  {"log.severe", "(?label : string, string) -> unit", "Log a severe message (level 2).", "Liquidsoap", b_severe},
  {"log.important", "(?label : string, string) -> unit", "Log an important message (level 3).", "Liquidsoap", b_important},
  {"log.warning", "(?label : string, string) -> unit", "Log a warning (level 3, as log.important).", "Liquidsoap", b_important},
  {"log.info", "(?label : string, string) -> unit", "Log an information message (level 4).", "Liquidsoap", b_info},
  {"log.debug", "(?label : string, string) -> unit", "Log a debug message (level 5).", "Liquidsoap", b_debug},
};

/* The settings leaves exist (lib_settings.c opens first): apply them. */
static void log_open(void) { liq_lib_log_settings_changed(); }

/* The log file stays open until here: lines of the last callbacks and of
 * the shutdown reach it. */
static void log_close(void)
{
  char err[64];
  (void)liq_log_stop_writer();
  liq_log_open_file(NULL, 0, 0, err, sizeof err);
  file_started = file_on = 0;
  file_path[0] = 0;
}

const liq_lib_module liq_lib_log = {"log", log_defs, LIQ_NELEMS(log_defs), log_open, log_close};
