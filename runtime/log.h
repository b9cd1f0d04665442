/* log: leveled, timestamped log lines shared by the whole runtime.
 *
 * A line reads like Liquidsoap's:
 *
 *   2024/05/01 12:00:00 [sine.1:3] Source ended.
 *
 * i.e. local time, then the label (a source id, "clock.main", "output"...)
 * and the level. Levels follow Liquidsoap: 1 critical, 2 severe, 3 important,
 * 4 info, 5 debug; lines above the current level (default 3) are dropped
 * before any formatting work. Lines go to stderr unless a sink is installed
 * (tests capture lines that way). Safe to call from any clock thread: a line
 * is formatted on the stack and emitted under one mutex, so lines never
 * interleave and logging allocates nothing. */
#ifndef LIQ_LOG_H
#define LIQ_LOG_H

#include <stdarg.h>

enum {
  LIQ_LOG_CRITICAL = 1,
  LIQ_LOG_SEVERE = 2,
  LIQ_LOG_IMPORTANT = 3,
  LIQ_LOG_INFO = 4,
  LIQ_LOG_DEBUG = 5,
};

void liq_log_set_level(int level);
int liq_log_get_level(void);
/* True when a line at `level` would be emitted for some label (skip
 * costly arguments). */
int liq_log_enabled(int level);

/* Per-label levels (a source's `log.level.set`): lines of that label
 * follow this level instead of the global one. level 0 removes the
 * override. Returns -1 when the table (LIQ_LOG_MAX_LABELS labels of up to
 * 63 bytes) is full or the label too long. */
#define LIQ_LOG_MAX_LABELS 64
int liq_log_set_label_level(const char *label, int level);
/* The label's own level, 0 when it follows the global one. */
int liq_log_label_level(const char *label);

void liq_log(int level, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void liq_vlog(int level, const char *label, const char *fmt, va_list ap);

/* Replace the destination of complete lines (without the trailing newline);
 * NULL restores stderr. The sink runs under the log mutex: it must not log. */
typedef void (*liq_log_sink)(void *ud, int level, const char *line);
void liq_log_set_sink(liq_log_sink sink, void *ud);

#endif
