/* log: leveled, timestamped log lines; see log.h. */
#include "config.h"
#include "runtime/log.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static atomic_int current_level = LIQ_LOG_IMPORTANT;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static liq_log_sink log_sink;
static void *log_sink_ud;

/* Per-label levels, under log_lock; nlabels and max_label_level are read
 * without it so that lines of unlisted labels cost no lock when the table
 * is empty. Fixed storage: setting a level allocates nothing. */
static struct {
  char label[64];
  int level;
} labels[LIQ_LOG_MAX_LABELS];
static atomic_int nlabels;
static atomic_int max_label_level;

void liq_log_set_level(int level) { atomic_store(&current_level, level); }
int liq_log_get_level(void) { return atomic_load(&current_level); }
int liq_log_enabled(int level)
{
  return level <= atomic_load(&current_level) || level <= atomic_load(&max_label_level);
}

static int find_label(const char *label)
{
  for (int i = 0; i < atomic_load(&nlabels); i++)
    if (strcmp(labels[i].label, label) == 0) return i;
  return -1;
}

int liq_log_set_label_level(const char *label, int level)
{
  if (strlen(label) >= sizeof labels[0].label) return -1;
  int rc = 0;
  pthread_mutex_lock(&log_lock);
  int i = find_label(label);
  int n = atomic_load(&nlabels);
  if (i < 0 && level > 0) {
    if (n == LIQ_LOG_MAX_LABELS) rc = -1;
    else {
      i = n;
      strcpy(labels[i].label, label);
      atomic_store(&nlabels, n + 1);
    }
  }
  if (i >= 0 && level > 0) labels[i].level = level;
  else if (i >= 0) {
    labels[i] = labels[n - 1];
    atomic_store(&nlabels, n - 1);
  }
  int max = 0;
  for (int k = 0; k < atomic_load(&nlabels); k++)
    if (labels[k].level > max) max = labels[k].level;
  atomic_store(&max_label_level, max);
  pthread_mutex_unlock(&log_lock);
  return rc;
}

int liq_log_label_level(const char *label)
{
  pthread_mutex_lock(&log_lock);
  int i = find_label(label);
  int level = i < 0 ? 0 : labels[i].level;
  pthread_mutex_unlock(&log_lock);
  return level;
}

/* Whether a line of this label at this level is emitted. */
static int emits(int level, const char *label)
{
  if (atomic_load(&nlabels) == 0) return level <= atomic_load(&current_level);
  int own = label ? liq_log_label_level(label) : 0;
  return level <= (own ? own : atomic_load(&current_level));
}

void liq_log_set_sink(liq_log_sink sink, void *ud)
{
  pthread_mutex_lock(&log_lock);
  log_sink = sink;
  log_sink_ud = ud;
  pthread_mutex_unlock(&log_lock);
}

void liq_vlog(int level, const char *label, const char *fmt, va_list ap)
{
  if (!emits(level, label)) return;
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
