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
 * The container (WAV, runtime/wav.c) is reached only through the four
 * container_* functions below: the place an encoder interface will take. */
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
  liq_wav_format wav;
  char *path_template;
  char *path;       /* the open file's name (the last one once closed) */
  int fd;           /* -1 when closed */
  uint8_t *buf;     /* one frame of encoded bytes, allocated at creation */
  int header_ok;    /* the open file starts with our header (patchable) */
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

/* --- The container ------------------------------------------------------------ */

/* Completes the format from the stream and checks that it fits; allocates
 * the encoding buffer. */
static int container_init(file_sink *k, liq_sb *err)
{
  liq_source *s = k->base.owner;
  liq_format in = liq_source_format(s);
  if (!k->wav.channels) k->wav.channels = in.channels;
  if (!k->wav.samplerate) k->wav.samplerate = in.samplerate;
  const char *why;
  if (liq_wav_check(&k->wav, &why) != 0) {
    liq_sb_printf(err, "%%wav: %s", why);
    return -1;
  }
  if (k->wav.samplerate != in.samplerate) {
    liq_sb_printf(err, "%%wav: samplerate %d differs from the stream's %d (no resampling)",
                  k->wav.samplerate, in.samplerate);
    return -1;
  }
  if (in.kind != LIQ_CONTENT_PCM) {
    liq_sb_printf(err, "%%wav needs pcm content, not %s", liq_content_name(in.kind));
    return -1;
  }
  k->buf = liq_mem_alloc(liq_wav_encoded_size(&k->wav, liq_source_frame_samples(s)));
  return 0;
}

/* A file was just opened, positioned at its end `end`: an empty one gets
 * our header; an existing one keeps its own (patched on close when it is
 * ours). */
static int container_start(file_sink *k, off_t end)
{
  k->header_ok = 0;
  if (!k->wav.header) return 0;
  if (end <= 0) {
    uint8_t h[LIQ_WAV_HEADER_SIZE];
    liq_wav_header(&k->wav, UINT32_MAX, h);
    if (write_all(k->fd, h, sizeof h) != 0) return -1;
    k->header_ok = 1;
  } else {
    uint8_t h[12];
    k->header_ok = pread(k->fd, h, 12, 0) == 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4);
  }
  return 0;
}

/* Encodes samples [off, off + n) of f into k->buf; returns the bytes. */
static size_t container_encode(file_sink *k, liq_frame *f, int off, int n)
{
  return liq_wav_encode(&k->wav, f, off, n, k->buf);
}

/* The file is about to be closed. */
static void container_finish(file_sink *k)
{
  if (k->header_ok && liq_wav_patch(k->fd) != 0)
    liq_log(LIQ_LOG_INFO, id(k), "%s is not seekable: WAV header sizes left open.", k->path);
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
  if (container_start(k, lseek(k->fd, 0, SEEK_END)) != 0) return -1;
  liq_log(LIQ_LOG_INFO, id(k), "Opened %s.", k->path);
  return 0;
}

static void file_close(liq_sink *base)
{
  file_sink *k = (file_sink *)base;
  if (k->fd < 0) return;
  container_finish(k);
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
  if (write_all(k->fd, k->buf, container_encode(k, f, off, n)) != 0) {
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
  liq_mem_free(k->buf);
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
                            const liq_wav_format *wav, liq_sb *err)
{
  file_sink *k = liq_mem_calloc(1, sizeof *k);
  k->base = (liq_sink){&file_sink_class, owner};
  k->opts = *opts;
  k->wav = *wav;
  k->fd = -1;
  k->path_template = liq_mem_strdup(opts->path ? opts->path : "");
  k->opts.path = NULL; /* borrowed from the caller */
  int ok = container_init(k, err) == 0;
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
