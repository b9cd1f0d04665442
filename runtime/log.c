/* log: leveled, timestamped log lines; see log.h. */
#include "config.h"
#include "log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static atomic_int current_level = LIQ_LOG_IMPORTANT;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static liq_log_sink log_sink;
static void *log_sink_ud;

void liq_log_set_level(int level) { atomic_store(&current_level, level); }
int liq_log_get_level(void) { return atomic_load(&current_level); }
int liq_log_enabled(int level) { return level <= atomic_load(&current_level); }

void liq_log_set_sink(liq_log_sink sink, void *ud)
{
  pthread_mutex_lock(&log_lock);
  log_sink = sink;
  log_sink_ud = ud;
  pthread_mutex_unlock(&log_lock);
}

void liq_vlog(int level, const char *label, const char *fmt, va_list ap)
{
  if (!liq_log_enabled(level)) return;
  /* Long messages are cut at the buffer size rather than allocated. */
  char line[1024];
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  int n = (int)strftime(line, sizeof line, "%Y/%m/%d %H:%M:%S", &tm);
  n += snprintf(line + n, sizeof line - (size_t)n, " [%s:%d] ", label ? label : "main", level);
  if (n < (int)sizeof line) vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  pthread_mutex_lock(&log_lock);
  if (log_sink)
    log_sink(log_sink_ud, level, line);
  else
    fprintf(stderr, "%s\n", line);
  pthread_mutex_unlock(&log_lock);
}

void liq_log(int level, const char *label, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  liq_vlog(level, label, fmt, ap);
  va_end(ap);
}
