/* lib_log: log(label=, level=, msg) and the log.* shorthands. Messages at
 * a level <= settings.log.level go to stderr as
 *   YYYY/MM/DD HH:MM:SS [label:level] message
 * (Liquidsoap's format; levels 1 critical .. 5 debug). The runtime's own
 * logging (runtime/log.h) is separate. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

static void emit(const char *label, int level, const char *msg, size_t len)
{
  liq_value lv = liq_settings_get("log.level");
  int max = lv == LIQ_NOVALUE ? 3 : (int)liq_v_int_val(liq_v_base(lv));
  if (level > max) return;
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  char ts[32];
  strftime(ts, sizeof ts, "%Y/%m/%d %H:%M:%S", &tm);
  fprintf(stderr, "%s [%s:%d] %.*s\n", ts, label, level, (int)len, msg);
  fflush(stderr);
}

static liq_value do_log(liq_call *c, int level)
{
  size_t len;
  const char *msg = liq_arg_str(c, 0, &len);
  const char *label = "lang";
  liq_value l = liq_arg_label(c, "label", LIQ_NOVALUE);
  if (l != LIQ_NOVALUE) label = liq_to_str(l, NULL);
  if (level < 0) level = (int)liq_to_int(liq_arg_label(c, "level", liq_v_int(3)));
  emit(label, level, msg, len);
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

const liq_lib_module liq_lib_log = {"log", log_defs, LIQ_NELEMS(log_defs), NULL, NULL};
