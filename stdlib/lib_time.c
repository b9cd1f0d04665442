/* lib_time: wall-clock time (time, time.local, time.utc, localtime). */
#include "config.h"

#include <math.h>
#include <sys/time.h>
#include <time.h>

#include "eval_internal.h"

static liq_value b_time(liq_call *c, liq_value d)
{
  (void)c;
  (void)d;
  struct timeval tv;
  gettimeofday(&tv, NULL);
  return liq_v_float((double)tv.tv_sec + tv.tv_usec / 1e6);
}

/* A record {sec, min, hour, day, month, year, week_day, year_day, dst}
 * like 2.1.3's time.local. */
static liq_value tm_record(liq_call *c, int utc)
{
  liq_value t = liq_v_base(liq_arg(c, 0));
  time_t now;
  if (t == LIQ_NOVALUE || t == LIQ_NULL) now = time(NULL);
  else now = (time_t)floor(liq_to_float(t));
  struct tm tm;
  if (utc) gmtime_r(&now, &tm);
  else localtime_r(&now, &tm);
  static const char *const names[] = {"sec", "min", "hour", "day", "month", "year", "week_day", "year_day", "dst"};
  liq_value vals[9] = {liq_v_int(tm.tm_sec), liq_v_int(tm.tm_min), liq_v_int(tm.tm_hour),
                       liq_v_int(tm.tm_mday), liq_v_int(tm.tm_mon + 1), liq_v_int(tm.tm_year + 1900),
                       liq_v_int(tm.tm_wday), liq_v_int(tm.tm_yday + 1), liq_v_bool(tm.tm_isdst > 0)};
  liq_sym syms[9];
  for (int i = 0; i < 9; i++) syms[i] = liq_sym_permanent(names[i]);
  return liq_v_record(9, syms, vals);
}

static liq_value b_local(liq_call *c, liq_value d) { (void)d; return tm_record(c, 0); }
static liq_value b_utc(liq_call *c, liq_value d) { (void)d; return tm_record(c, 1); }

#define TM_T "{sec : int, min : int, hour : int, day : int, month : int, year : int, week_day : int, year_day : int, dst : bool}"
static const liq_builtin_def time_defs[] = {
  {"time", "() -> float", "Return the current time since 00:00:00 GMT, Jan. 1, 1970, in seconds.", "System", b_time},
  {"time.local", "(?float?) -> " TM_T, "Convert a time in seconds into a date in the local time zone (current time when null).", "System", b_local},
  {"time.utc", "(?float?) -> " TM_T, "Convert a time in seconds into a date in the UTC time zone.", "System", b_utc},
  {"localtime", "(float?) -> " TM_T, "Deprecated: use time.local.", "System", b_local},
  {"gmtime", "(float?) -> " TM_T, "Deprecated: use time.utc.", "System", b_utc},
};

void liq_lib_time_init(void) { liq_eval_register(time_defs, LIQ_NELEMS(time_defs)); }
