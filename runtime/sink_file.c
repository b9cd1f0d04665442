/* sink_file: the file sink of output.file.
 *
 * open expands the path template (metadata, then strftime), creates the
 * missing directories and opens the file, truncating it unless appending;
 * write encodes and writes a frame, reopening the file at each metadata
 * packet (reopen_on_metadata) and when reopen_when says so; close finishes
 * the file and calls on_close. A failed open or write closes the file:
 * with reopen_on_error it is opened again reopen_delay later (stream
 * time), otherwise the rest of the stream is dropped until the next start.
 *
 * The bytes come from the output's encoder (codec/encoder.h): started at
 * each open, flushed before each close. */
#include "config.h"
#include "runtime/sink.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"

typedef struct file_sink {
  liq_sink base;
  liq_sink_file_opts opts; /* path: NULL, see path_template */
  liq_encoder *enc;
  char *path_template;
  char *path;       /* the open file's name (the last one once closed) */
  int fd;           /* -1 when closed */
  double retry_at;  /* stream time of the next open after an error */
  double opened_at; /* stream time of the last open */
} file_sink;

static const char *id(file_sink *k) { return liq_source_id(k->base.owner); }

/* The owner's stream time (0 before it has a clock). */
static double now(file_sink *k)
{
  liq_clock *c = liq_source_clock(k->base.owner);
  return c ? liq_clock_time(c) : 0;
}

static int write_all(int fd, const uint8_t *b, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, b, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    b += w;
    n -= (size_t)w;
  }
  return 0;
}

/* --- The encoder ---------------------------------------------------------------- */

/* Writes what the encoder produced; -1 on a write error. */
static int drain(file_sink *k)
{
  size_t n;
  const uint8_t *b = liq_encoder_bytes(k->enc, &n);
  liq_encoder_consume(k->enc);
  return write_all(k->fd, b, n);
}

/* --- The file ------------------------------------------------------------------ */

/* Expands `$(key)` from the input's metadata, then strftime. */
static char *expand_path(file_sink *k)
{
  const liq_meta *m = liq_source_last_metadata(liq_source_input(k->base.owner, 0));
  liq_sb sb = LIQ_SB_INIT;
  for (const char *p = k->path_template; *p;) {
    const char *end;
    if (p[0] == '$' && p[1] == '(' && (end = strchr(p + 2, ')'))) {
      char *key = liq_mem_strndup(p + 2, (size_t)(end - p - 2));
      const char *v = m ? liq_meta_get(m, key) : NULL;
      for (; v && *v; v++) liq_sb_putc(&sb, *v == '/' ? '-' : *v);
      liq_mem_free(key);
      p = end + 1;
    } else {
      liq_sb_putc(&sb, *p++);
    }
  }
  char *pattern = liq_sb_take(&sb);
  time_t t = time(NULL);
  struct tm tm;
  localtime_r(&t, &tm);
  size_t cap = strlen(pattern) + 256;
  char *out = liq_mem_alloc(cap);
  if (strftime(out, cap, pattern, &tm) == 0 && *pattern) strcpy(out, pattern);
  liq_mem_free(pattern);
  return out;
}

static void make_dirs(const char *path, int perm)
{
  char *dir = liq_mem_strdup(path);
  for (char *p = dir + 1; *p; p++)
    if (*p == '/') {
      *p = 0;
      mkdir(dir, (mode_t)perm);
      *p = '/';
    }
  liq_mem_free(dir);
}

static int file_open(file_sink *k)
{
  k->opened_at = now(k);
  liq_mem_free(k->path);
  k->path = expand_path(k);
  make_dirs(k->path, k->opts.dir_perm);
  /* Appending opens read-write: the existing header is read back. */
  int flags = O_CREAT | (k->opts.append ? O_RDWR : O_WRONLY | O_TRUNC);
  k->fd = open(k->path, flags, k->opts.perm);
  if (k->fd < 0) {
    liq_log(LIQ_LOG_SEVERE, id(k), "Could not open %s: %s", k->path, strerror(errno));
    return -1;
  }
  /* Data goes at the end; not O_APPEND, which would defeat pwrite's offset
   * when the header is patched. */
  off_t end = lseek(k->fd, 0, SEEK_END);
  liq_encoder_start(k->enc, end > 0 ? (int64_t)end : 0,
                    liq_source_last_metadata(liq_source_input(k->base.owner, 0)));
  if (drain(k) != 0) return -1;
  liq_log(LIQ_LOG_INFO, id(k), "Opened %s.", k->path);
  return 0;
}

static void file_close(liq_sink *base)
{
  file_sink *k = (file_sink *)base;
  if (k->fd < 0) return;
  liq_encoder_flush(k->enc);
  if (drain(k) != 0)
    liq_log(LIQ_LOG_SEVERE, id(k), "Error writing %s: %s", k->path, strerror(errno));
  else if (liq_encoder_patch(k->enc, k->fd) != 0)
    liq_log(LIQ_LOG_INFO, id(k), "%s is not seekable: header sizes left open.", k->path);
  close(k->fd);
  k->fd = -1;
  liq_cb_string_call(&k->opts.on_close, base->owner, k->path, "on_close");
}

/* A write or open error: close, and retry later or stop. */
static void file_error(file_sink *k)
{
  liq_log(LIQ_LOG_SEVERE, id(k), "Error writing %s: %s", k->path ? k->path : "?", strerror(errno));
  file_close(&k->base);
  k->retry_at = now(k) + k->opts.reopen_delay;
}

static void file_sink_open(liq_sink *base)
{
  file_sink *k = (file_sink *)base;
  if (file_open(k) != 0) file_error(k);
}

static void file_reopen(file_sink *k)
{
  file_close(&k->base);
  if (file_open(k) != 0) file_error(k);
}

static void file_write(file_sink *k, liq_frame *f, int off, int n)
{
  if (n <= 0 || k->fd < 0) return;
  liq_encoder_encode(k->enc, f, off, n);
  if (drain(k) != 0) {
    file_error(k);
    return;
  }
  if (k->opts.flush) fsync(k->fd);
}

/* Writes the frame, splitting it at metadata when reopening on metadata. */
static void file_sink_write(liq_sink *base, liq_frame *f)
{
  file_sink *k = (file_sink *)base;
  if (k->fd < 0 && k->opts.reopen_on_error && now(k) >= k->retry_at && file_open(k) != 0)
    file_error(k);
  int pos = 0;
  if (k->opts.reopen_on_metadata)
    for (int i = 0; i < f->n_meta && f->meta[i].pos < f->len; i++) {
      file_write(k, f, pos, f->meta[i].pos - pos);
      pos = f->meta[i].pos;
      file_reopen(k);
    }
  file_write(k, f, pos, f->len - pos);
  /* Like 2.1.3, reopen_when is not even asked within reopen_delay of the
   * open (2.1.3 counts wall-clock time; stream time keeps offline renders
   * deterministic and agrees with it on real-time clocks). */
  if (now(k) - k->opened_at >= k->opts.reopen_delay &&
      liq_getter_bool_get(&k->opts.reopen_when, base->owner))
    file_reopen(k);
}

static void file_sink_uninit(liq_sink *base)
{
  file_sink *k = (file_sink *)base;
  liq_cb_string_release(&k->opts.on_close);
  liq_getter_bool_release(&k->opts.reopen_when);
  liq_encoder_free(k->enc);
  liq_mem_free(k->path);
  liq_mem_free(k->path_template);
}

static const liq_sink_class file_sink_class = {
    .open = file_sink_open,
    .write = file_sink_write,
    .close = file_close,
    .uninit = file_sink_uninit,
};

liq_sink *liq_sink_file_new(liq_source *owner, const liq_sink_file_opts *opts,
                            const liq_enc_format *format, liq_sb *err)
{
  file_sink *k = liq_mem_calloc(1, sizeof *k);
  k->base = (liq_sink){&file_sink_class, owner};
  k->opts = *opts;
  k->fd = -1;
  k->path_template = liq_mem_strdup(opts->path ? opts->path : "");
  k->opts.path = NULL; /* borrowed from the caller */
  liq_enc_format wav = {liq_encoder_kind_find("wav"), 0, 0, NULL};
  k->enc = liq_encoder_new(format ? format : &wav, liq_source_format(owner),
                           liq_source_frame_samples(owner), err);
  int ok = k->enc != NULL;
  if (ok && !*k->path_template) {
    liq_sb_printf(err, "empty file name");
    ok = 0;
  }
  if (!ok) {
    liq_sink_free(&k->base);
    return NULL;
  }
  return &k->base;
}
