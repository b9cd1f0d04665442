/* log: leveled, timestamped log lines shared by the whole runtime.
 *
 * A line reads like Liquidsoap's:
 *
 *   2024/05/01 12:00:00 [sine.1:3] Source ended.
 *
 * i.e. local time, then the label (a source id, "clock.main", "output"...)
 * and the level. Levels follow Liquidsoap: 1 critical, 2 severe, 3 important,
 * 4 info, 5 debug; lines above the current level (default 3) are dropped
 * before any formatting work. A line is formatted on the stack (logging
 * allocates nothing) and goes to the console (standard error), to the log
 * file, or to an installed sink (tests capture lines that way).
 *
 * Where lines are written:
 *
 *   liq_log ──▶ format on the stack ──┬─ sink installed: sink(line), now
 *                                     ├─ no writer: write now (console, file)
 *                                     └─ writer running: queue ──▶ writer
 *                                        (LIQ_LOG_QUEUE lines; full: the    thread
 *                                        line is dropped and counted)       │
 *                                                                          ▼
 *                                                       console, file (fflush)
 *
 * The writer thread (liq_log_start_writer) runs while the clocks stream,
 * so a clock thread that logs never waits for the disk: it copies its
 * line into the queue under a short lock. When lines were dropped, the
 * writer logs how many once the queue has drained. liq_log_stop_writer
 * writes whatever is queued before it returns.
 *
 * The runtime reads no settings: the standard library pushes them
 * (liq_log_configure, liq_log_open_file). */
#ifndef LIQ_LOG_H
#define LIQ_LOG_H

#include <stdarg.h>
#include <stddef.h>

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
 * NULL restores the console and file. The sink runs under the log mutex:
 * it must not log. */
typedef void (*liq_log_sink)(void *ud, int level, const char *line);
void liq_log_set_sink(liq_log_sink sink, void *ud);

/* How lines look and whether they reach the console. */
typedef struct liq_log_config {
  int level;           /* global level, 1..5 (more: everything) */
  int console;         /* write lines to standard error */
  int date;            /* prefix "YYYY/MM/DD HH:MM:SS" (0: no time at all) */
  int unix_timestamps; /* with date: seconds since the epoch, microseconds */
} liq_log_config;
void liq_log_configure(const liq_log_config *config);

/* Log to the file at `path` (NULL: stop logging to a file), created with
 * `perms` (e.g. 0600), truncated unless `append`. Writes ">>> LOG START".
 * On failure returns -1 with a message in err, and keeps the previous file. */
int liq_log_open_file(const char *path, int append, int perms, char *err, size_t errlen);
/* Closes and opens the log file again at the same path, appending (after
 * logrotate moved it: SIGHUP). Returns 0, also when no file is open. */
int liq_log_reopen(char *err, size_t errlen);

/* The writer thread: lines are queued (at most LIQ_LOG_QUEUE) while it
 * runs. stop writes every queued line, then joins it; when the writer is
 * still blocked (a console pipe nobody reads, a hung disk) after
 * LIQ_LOG_STOP_SECONDS, so that exiting is not held up forever, stop
 * returns -1 and leaves it: later lines are queued or dropped, and the
 * file is never closed nor reopened. */
#define LIQ_LOG_QUEUE 512
#define LIQ_LOG_STOP_SECONDS 5
void liq_log_start_writer(void);
int liq_log_stop_writer(void);
/* Lines dropped because the queue was full, since the start. */
unsigned long liq_log_dropped(void);

#endif
