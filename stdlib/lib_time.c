/* lib_time: wall-clock time (time, time.local, time.utc, localtime,
 * time.make, time.string, time.up) and time predicates (time_in_mod,
 * time.predicate, which reads its string as a time literal: 10h-11h30). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "stdlib/lib_regexp.h"
#include "runtime/mem.h"

static struct timespec started; /* time.up counts from here */

LIQ_BUILTIN(b_time)
{
  (void)c;
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

LIQ_BUILTIN(b_local) { return tm_record(c, 0); }
LIQ_BUILTIN(b_utc) { return tm_record(c, 1); }

LIQ_BUILTIN(b_up)
{
  (void)c;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return liq_v_float((double)(now.tv_sec - started.tv_sec) + (now.tv_nsec - started.tv_nsec) / 1e9);
}

/* The local time as seconds since the epoch (the UTC offset added). */
static int64_t local_seconds(void)
{
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  return (int64_t)now + tm.tm_gmtoff;
}

LIQ_BUILTIN(b_time_in_mod)
{
  int64_t a = liq_arg_int(c, 0), b = liq_arg_int(c, 1), m = liq_arg_int(c, 2);
  if (m <= 0) return LIQ_FALSE;
  int64_t t = local_seconds() % m;
  return liq_v_bool(a <= b ? a <= t && t < b : t >= a || t < b);
}

static int field_int(liq_value r, const char *name)
{
  liq_value v = liq_v_meth_get(r, liq_sym_permanent(name));
  if (v == LIQ_NOVALUE) liq_eval_raise("invalid", "time.make: missing field %s", name);
  return (int)liq_to_int(v);
}

/* mktime normalizes out-of-range fields (month 13 is January next year);
 * dst null lets it decide whether summer time applies. */
LIQ_BUILTIN(b_make)
{
  liq_value r = liq_arg(c, 0);
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  tm.tm_year = field_int(r, "year") - 1900;
  tm.tm_mon = field_int(r, "month") - 1;
  tm.tm_mday = field_int(r, "day");
  tm.tm_hour = field_int(r, "hour");
  tm.tm_min = field_int(r, "min");
  tm.tm_sec = field_int(r, "sec");
  liq_value dst = liq_v_meth_get(r, liq_sym_permanent("dst"));
  dst = dst == LIQ_NOVALUE ? LIQ_NULL : liq_v_base(dst);
  tm.tm_isdst = dst == LIQ_NULL ? -1 : dst == LIQ_TRUE;
  return liq_v_float((double)mktime(&tm));
}

static const char *const day_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
static const char *const month_names[] = {"January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December"};

/* 2.1.3's subset of strftime, with English names: %a %A %b %B %d %H %m %M
 * %S %w %Y %z %%; any other % sequence stays as it is. %z is the zone's
 * standard offset (2.1.3 ignores summer time there). */
LIQ_BUILTIN(b_string)
{
  liq_value t = liq_v_base(liq_arg_label(c, "time", LIQ_NULL));
  liq_value f = liq_arg(c, 0);
  const char *fmt = "%A, %d %B %Y %H:%M:%S";
  size_t flen = strlen(fmt);
  if (f != LIQ_NOVALUE && liq_v_base(f) != LIQ_NULL) fmt = liq_to_str(f, &flen);
  time_t when = t == LIQ_NULL ? time(NULL) : (time_t)floor(liq_to_float(t));
  struct tm tm;
  localtime_r(&when, &tm);
  tzset();
  long off = -timezone;
  liq_sb sb = LIQ_SB_INIT;
  for (size_t i = 0; i < flen; i++) {
    if (fmt[i] != '%' || i + 1 == flen) {
      liq_sb_putc(&sb, fmt[i]);
      continue;
    }
    switch (fmt[++i]) {
    case 'a': liq_sb_printf(&sb, "%.3s", day_names[tm.tm_wday]); break;
    case 'A': liq_sb_puts(&sb, day_names[tm.tm_wday]); break;
    case 'b': liq_sb_printf(&sb, "%.3s", month_names[tm.tm_mon]); break;
    case 'B': liq_sb_puts(&sb, month_names[tm.tm_mon]); break;
    case 'd': liq_sb_printf(&sb, "%02d", tm.tm_mday); break;
    case 'H': liq_sb_printf(&sb, "%02d", tm.tm_hour); break;
    case 'm': liq_sb_printf(&sb, "%02d", tm.tm_mon + 1); break;
    case 'M': liq_sb_printf(&sb, "%02d", tm.tm_min); break;
    case 'S': liq_sb_printf(&sb, "%02d", tm.tm_sec); break;
    case 'w': liq_sb_printf(&sb, "%d", tm.tm_wday); break;
    case 'Y': liq_sb_printf(&sb, "%d", tm.tm_year + 1900); break;
    case 'z': liq_sb_printf(&sb, "%c%02ld%02ld", off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60); break;
    case '%': liq_sb_putc(&sb, '%'); break;
    default: liq_sb_putc(&sb, '%'); liq_sb_putc(&sb, fmt[i]);
    }
  }
  return liq_v_string_sb(&sb);
}

/* --- time.predicate --------------------------------------------------------------
 * The string must be a time literal as the lexer reads it (lang/lexer.l's
 * TIME), or two joined by a dash; it is then parsed as a script, and the
 * predicate keeps the two points as nine ints (its builtin's data). */
#define TW "(?:[0-9]+w)"
#define TH "(?:[0-9]+h)"
#define TM "(?:[0-9]+m)"
#define TS "(?:[0-9]+s)"
#define TP "(?:" TW TH "?" TM "?" TS "?|" TW "?" TH "[0-9]+|" TW "?" TH "?" TM TS "?|" TW "?" TH "?" TM "?" TS "|" TW "?" TH ")"

static void point_ints(liq_value *out, const liq_ast_time_point *p)
{
  out[0] = liq_v_int(p->week);
  out[1] = liq_v_int(p->hour);
  out[2] = liq_v_int(p->min);
  out[3] = liq_v_int(p->sec);
}

static liq_ast_time_point ints_point(liq_value t, size_t i)
{
  liq_ast_time_point p = {(int)liq_v_int_val(liq_v_tuple_get(t, i)), (int)liq_v_int_val(liq_v_tuple_get(t, i + 1)),
                          (int)liq_v_int_val(liq_v_tuple_get(t, i + 2)), (int)liq_v_int_val(liq_v_tuple_get(t, i + 3))};
  return p;
}

static liq_value predicate_call(liq_call *c, liq_value data)
{
  (void)c;
  liq_ast_time_point f = ints_point(data, 0), t = ints_point(data, 4);
  return liq_v_bool(liq_eval_time_holds(&f, &t, (int)liq_v_int_val(liq_v_tuple_get(data, 8))));
}

/* The lexer's own checks, made first so that it never reports anything:
 * numbers of at most 6 digits, both ends with the same largest unit. */
static bool lexes_cleanly(const char *s, size_t len)
{
  size_t digits = 0;
  char largest[2] = {0, 0};
  int side = 0;
  for (size_t i = 0; i < len; i++) {
    char ch = s[i];
    if (ch >= '0' && ch <= '9') {
      if (++digits > 6) return false;
      continue;
    }
    digits = 0;
    if (ch == '-') side = 1;
    else if (ch != ' ' && ch != '\t' && !largest[side]) largest[side] = ch;
  }
  return !largest[1] || largest[0] == largest[1];
}

LIQ_BUILTIN(b_predicate)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  static const char pat[] = "^\\s*" TP "(\\s*-\\s*" TP ")?\\s*$";
  pcre2_code *code = liq_regexp_compile(pat, sizeof pat - 1, "");
  int ok = liq_regexp_each(code, s, len, 0, NULL, NULL) > 0 && lexes_cleanly(s, len);
  pcre2_code_free(code);
  liq_ast_arena *arena = liq_ast_arena_new();
  liq_ast *prog = ok ? liq_parse_text(arena, "<time.predicate>", s, len, NULL) : NULL;
  const liq_ast *e = prog && prog->u.block.nstmts == 1 ? prog->u.block.stmts[0] : NULL;
  if (!e || e->kind != LIQ_AST_TIME) {
    liq_ast_arena_free(arena);
    liq_eval_raise("string", "Failed to parse %s as time predicate", s);
  }
  liq_value items[9];
  point_ints(items, &e->u.time.from);
  point_ints(items + 4, &e->u.time.to);
  items[8] = liq_v_int(e->u.time.is_interval);
  liq_ast_arena_free(arena);
  liq_value *data = liq_eval_push(liq_v_tuple(9, items));
  liq_value r = liq_v_builtin(predicate_call, "time.predicate", *data);
  liq_eval_pop(1);
  return r;
}

#define TM_T "{sec : int, min : int, hour : int, day : int, month : int, year : int, week_day : int, year_day : int, dst : bool}"
static const liq_builtin_def time_defs[] = {
  {"time", "() -> float", "Return the current time since 00:00:00 GMT, Jan. 1, 1970, in seconds.", "System", b_time},
  {"time.local", "(?float?) -> " TM_T, "Convert a time in seconds into a date in the local time zone (current time when null).", "System", b_local},
  {"time.utc", "(?float?) -> " TM_T, "Convert a time in seconds into a date in the UTC time zone.", "System", b_utc},
  {"localtime", "(float?) -> " TM_T, "Deprecated: use time.local.", "System", b_local},
  {"gmtime", "(float?) -> " TM_T, "Deprecated: use time.utc.", "System", b_utc},
  {"time.up", "() -> float", "Current time, in seconds, since the script has started.", "System", b_up},
  {"time.make", "({day : int, dst : bool?, hour : int, min : int, month : int, sec : int, year : int}) -> float",
   "Convert a date and time in the local timezone into a time, in seconds, since 00:00:00 GMT, Jan. 1, 1970 "
   "(dst null: whether summer time applies is guessed).",
   "Liquidsoap", b_make},
  {"time.string", "(?time : float?, ?string?) -> string",
   "A string representation of the current time (or of `time`): %H, %M, %S are replaced by the hour, minute "
   "and second, %A (%a) by the week day (abbreviated), %w its number, %d by the month day, %m the month, %B (%b) "
   "its name (abbreviated), %Y by the year, %z by the timezone.",
   "String", b_string},
  {"time_in_mod", "(int, int, int) -> bool",
   "INTERNAL: time_in_mod(a,b,c) checks that the unix time T (local) satisfies a <= T mod c < b (wrapping around when b < a)", "Liquidsoap",
   b_time_in_mod},
  {"time.predicate", "(string) -> () -> bool", "Parse a string as a time predicate (10h-11h30, 1w, ...).",
   "Liquidsoap", b_predicate},
};

static void time_open(void)
{
  clock_gettime(CLOCK_MONOTONIC, &started);
}

const liq_lib_module liq_lib_time = {"time", time_defs, LIQ_NELEMS(time_defs), time_open, NULL};
