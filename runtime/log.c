/* log: leveled, timestamped log lines, the console and file writers and the
 * queue that keeps clock threads off the disk; see log.h. */
#include "config.h"
#include "runtime/log.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* Longer messages are cut at this size rather than allocated. */
#define LINE_MAX_BYTES 1024

static atomic_int current_level = LIQ_LOG_IMPORTANT;
static atomic_int to_console = 1;
static atomic_int with_date = 1;
static atomic_int unix_stamps;
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

void liq_log_configure(const liq_log_config *c)
{
  atomic_store(&current_level, c->level);
  atomic_store(&to_console, c->console != 0);
  atomic_store(&with_date, c->date != 0);
  atomic_store(&unix_stamps, c->unix_timestamps != 0);
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

/* --- Writing: console and file, under io_lock ------------------------------ */

static pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;
static char log_path[4096];
static int log_perms = 0600;
/* Set when liq_log_stop_writer gave up on a blocked writer (holding io_lock). */
static atomic_int writer_stuck;

/* The time prefix of a line ("" without settings.log.date). */
static int stamp(char *buf, size_t size)
{
  if (!atomic_load(&with_date)) {
    buf[0] = 0;
    return 0;
  }
  if (atomic_load(&unix_stamps)) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return snprintf(buf, size, "%ld.%06ld ", (long)tv.tv_sec, (long)tv.tv_usec);
  }
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  return (int)strftime(buf, size, "%Y/%m/%d %H:%M:%S ", &tm);
}

/* The console is written with write(2), not stdio: a writer stuck on a
 * stderr nobody reads (and left behind at exit) must not hold stderr's
 * FILE lock, which exit handlers flush. */
static void console_write(const char *line)
{
  size_t n = strlen(line);
  struct iovec iov[2] = {{(void *)line, n}, {(void *)"\n", 1}};
  size_t left = n + 1;
  int i = 0;
  while (left > 0) {
    ssize_t w = writev(STDERR_FILENO, iov + i, 2 - i);
    if (w < 0) {
      if (errno == EINTR) continue;
      return;
    }
    left -= (size_t)w;
    while (i < 2 && (size_t)w >= iov[i].iov_len) w -= (ssize_t)iov[i++].iov_len;
    if (i < 2) {
      iov[i].iov_base = (char *)iov[i].iov_base + w;
      iov[i].iov_len -= (size_t)w;
    }
  }
}

static void write_out(const char *line)
{
  pthread_mutex_lock(&io_lock);
  if (atomic_load(&to_console)) console_write(line);
  if (log_file) {
    fputs(line, log_file);
    fputc('\n', log_file);
    fflush(log_file);
  }
  pthread_mutex_unlock(&io_lock);
}

/* Opens path for appending or truncating; NULL with err filled on failure. */
static FILE *open_log(const char *path, int append, int perms, char *err, size_t errlen)
{
  int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), perms);
  FILE *f = fd < 0 ? NULL : fdopen(fd, append ? "a" : "w");
  if (!f) {
    if (errno == ENOENT) {
      char dir[4096];
      snprintf(dir, sizeof dir, "%s", path);
      char *slash = strrchr(dir, '/');
      if (slash) *slash = 0;
      snprintf(err, errlen, "log directory \"%s\" does not exist", slash ? dir : ".");
    } else {
      snprintf(err, errlen, "cannot open the log file \"%s\": %s", path, strerror(errno));
    }
    if (fd >= 0) close(fd);
    return NULL;
  }
  char start[64];
  stamp(start, sizeof start);
  fprintf(f, "%s>>> LOG START\n", start);
  fflush(f);
  return f;
}

int liq_log_open_file(const char *path, int append, int perms, char *err, size_t errlen)
{
  FILE *f = NULL;
  if (atomic_load(&writer_stuck)) {
    snprintf(err, errlen, "the log writer is blocked");
    return -1;
  }
  if (path) {
    if (strlen(path) >= sizeof log_path) {
      snprintf(err, errlen, "the log file path is too long");
      return -1;
    }
    if (!(f = open_log(path, append, perms, err, errlen))) return -1;
  }
  pthread_mutex_lock(&io_lock);
  if (log_file) fclose(log_file);
  log_file = f;
  snprintf(log_path, sizeof log_path, "%s", path ? path : "");
  log_perms = perms;
  pthread_mutex_unlock(&io_lock);
  return 0;
}

int liq_log_reopen(char *err, size_t errlen)
{
  if (atomic_load(&writer_stuck)) {
    snprintf(err, errlen, "the log writer is blocked");
    return -1;
  }
  int rc = 0;
  pthread_mutex_lock(&io_lock);
  if (log_file) {
    FILE *f = open_log(log_path, 1, log_perms, err, errlen);
    if (f) {
      fclose(log_file);
      log_file = f;
    } else {
      rc = -1;
    }
  }
  pthread_mutex_unlock(&io_lock);
  return rc;
}

/* --- The queue and its writer thread --------------------------------------- */

/* A ring of fixed lines: queuing allocates nothing, and a burst of lines
 * costs at most LIQ_LOG_QUEUE * LINE_MAX_BYTES of memory. */
static char queue[LIQ_LOG_QUEUE][LINE_MAX_BYTES];
static int q_head, q_count;
static int q_running, q_stop;
static unsigned long q_dropped, q_dropped_unreported;
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t q_done = PTHREAD_COND_INITIALIZER;
static pthread_t q_thread;

static void *writer_main(void *arg)
{
  (void)arg;
  char line[LINE_MAX_BYTES];
  pthread_mutex_lock(&q_lock);
  for (;;) {
    while (q_count == 0 && !q_stop) pthread_cond_wait(&q_cond, &q_lock);
    if (q_count == 0) break;
    memcpy(line, queue[q_head], sizeof line);
    q_head = (q_head + 1) % LIQ_LOG_QUEUE;
    q_count--;
    unsigned long dropped = q_count == 0 ? q_dropped_unreported : 0;
    q_dropped_unreported -= dropped;
    pthread_mutex_unlock(&q_lock);
    write_out(line);
    if (dropped) {
      int n = stamp(line, sizeof line);
      snprintf(line + n, sizeof line - (size_t)n,
               "[log:2] %lu log lines were dropped: the log queue (%d lines) was full.", dropped,
               LIQ_LOG_QUEUE);
      write_out(line);
    }
    pthread_mutex_lock(&q_lock);
  }
  q_running = 0;
  pthread_cond_broadcast(&q_done);
  pthread_mutex_unlock(&q_lock);
  return NULL;
}

void liq_log_start_writer(void)
{
  pthread_mutex_lock(&q_lock);
  if (!q_running && pthread_create(&q_thread, NULL, writer_main, NULL) == 0) {
    q_running = 1;
    q_stop = 0;
  }
  pthread_mutex_unlock(&q_lock);
}

int liq_log_stop_writer(void)
{
  pthread_mutex_lock(&q_lock);
  int running = q_running && !q_stop;
  q_stop = 1;
  pthread_cond_signal(&q_cond);
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += LIQ_LOG_STOP_SECONDS;
  int rc = 0;
  while (running && q_running && rc == 0) rc = pthread_cond_timedwait(&q_done, &q_lock, &deadline);
  int stuck = running && q_running;
  pthread_mutex_unlock(&q_lock);
  if (stuck) {
    /* Blocked on the console or the disk: leave it; what it holds is lost. */
    atomic_store(&writer_stuck, 1);
    pthread_detach(q_thread);
    return -1;
  }
  if (running) pthread_join(q_thread, NULL);
  return 0;
}

unsigned long liq_log_dropped(void)
{
  pthread_mutex_lock(&q_lock);
  unsigned long n = q_dropped;
  pthread_mutex_unlock(&q_lock);
  return n;
}

/* Queues the line when the writer runs; false when the caller must write. */
static int enqueue(const char *line)
{
  pthread_mutex_lock(&q_lock);
  int queued = q_running;
  if (queued && q_count == LIQ_LOG_QUEUE) {
    q_dropped++;
    q_dropped_unreported++;
  } else if (queued) {
    snprintf(queue[(q_head + q_count) % LIQ_LOG_QUEUE], LINE_MAX_BYTES, "%s", line);
    q_count++;
    pthread_cond_signal(&q_cond);
  }
  pthread_mutex_unlock(&q_lock);
  return queued;
}

void liq_vlog(int level, const char *label, const char *fmt, va_list ap)
{
  if (!emits(level, label)) return;
  char line[LINE_MAX_BYTES];
  int n = stamp(line, sizeof line);
  n += snprintf(line + n, sizeof line - (size_t)n, "[%s:%d] ", label ? label : "main", level);
  if (n < (int)sizeof line) vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  pthread_mutex_lock(&log_lock);
  if (log_sink) {
    log_sink(log_sink_ud, level, line);
    pthread_mutex_unlock(&log_lock);
    return;
  }
  pthread_mutex_unlock(&log_lock);
  if (!enqueue(line)) write_out(line);
}

void liq_log(int level, const char *label, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  liq_vlog(level, label, fmt, ap);
  va_end(ap);
}
