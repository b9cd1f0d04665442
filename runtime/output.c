/* output: output.dummy and output.file; see output.h for the state machine. */
#include "config.h"
#include "runtime/output.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"

typedef struct output {
  liq_output_opts opts;
  int is_file;
  int started;
  int wanted;  /* start requested (opts.start, liq_output_start) */
  int64_t samples;

  /* output.file only. */
  liq_file_opts file;
  char *path_template;
  char *path;  /* the open file's name */
  int fd;      /* -1 when closed */
  uint8_t *buf; /* one frame of encoded bytes, allocated at init */
  size_t buf_size;
  int header_ok; /* the open file starts with our header (patchable) */
  double retry_at; /* stream time of the next open after an error */
  double opened_at; /* stream time of the last open */
} output;

void liq_output_opts_default(liq_output_opts *o)
{
  memset(o, 0, sizeof *o);
  o->start = 1;
}

void liq_file_opts_default(liq_file_opts *o)
{
  memset(o, 0, sizeof *o);
  liq_output_opts_default(&o->out);
  o->wav.bits = 16;
  o->wav.header = 1;
  o->perm = 0666;
  o->dir_perm = 0777;
  o->reopen_delay = 120;
}

static output *priv(liq_source *s) { return liq_source_priv(s); }

/* --- Files ------------------------------------------------------------------ */

/* Expands `$(key)` from the input's metadata, then strftime. */
static char *expand_path(liq_source *s, const char *tpl)
{
  const liq_meta *m = liq_source_last_metadata(liq_source_input(s, 0));
  liq_sb sb = LIQ_SB_INIT;
  for (const char *p = tpl; *p;) {
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
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
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

/* The output's stream time (0 before it has a clock). */
static double now(liq_source *s)
{
  return liq_source_clock(s) ? liq_clock_time(liq_source_clock(s)) : 0;
}

static int file_open(liq_source *s)
{
  output *o = priv(s);
  o->opened_at = now(s);
  liq_mem_free(o->path);
  o->path = expand_path(s, o->path_template);
  make_dirs(o->path, o->file.dir_perm);
  /* Appending opens read-write: the existing header is read back below. */
  int flags = O_CREAT | (o->file.append ? O_RDWR : O_WRONLY | O_TRUNC);
  o->fd = open(o->path, flags, o->file.perm);
  if (o->fd < 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Could not open %s: %s", o->path, strerror(errno));
    return -1;
  }
  /* Appending: data goes at the end; a file that already has data keeps
   * its header (patched on close when it is ours). Not O_APPEND, which
   * would defeat pwrite's offset when patching. */
  off_t end = lseek(o->fd, 0, SEEK_END);
  o->header_ok = 0;
  if (o->file.wav.header) {
    if (end <= 0) {
      uint8_t h[LIQ_WAV_HEADER_SIZE];
      liq_wav_header(&o->file.wav, UINT32_MAX, h);
      if (write_all(o->fd, h, sizeof h) != 0) return -1;
      o->header_ok = 1;
    } else {
      uint8_t h[12];
      o->header_ok = pread(o->fd, h, 12, 0) == 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4);
    }
  }
  liq_log(LIQ_LOG_INFO, liq_source_id(s), "Opened %s.", o->path);
  return 0;
}

static void file_close(liq_source *s)
{
  output *o = priv(s);
  if (o->fd < 0) return;
  if (o->header_ok && liq_wav_patch(o->fd) != 0)
    liq_log(LIQ_LOG_INFO, liq_source_id(s), "%s is not seekable: WAV header sizes left open.", o->path);
  close(o->fd);
  o->fd = -1;
  liq_cb_string_call(&o->file.on_close, s, o->path, "on_close");
}

/* A write or open error: close, and retry later or stop. */
static void file_error(liq_source *s)
{
  output *o = priv(s);
  liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Error writing %s: %s", o->path ? o->path : "?",
          strerror(errno));
  file_close(s);
  o->retry_at = now(s) + o->file.reopen_delay;
}

static void file_write(liq_source *s, liq_frame *f, int off, int n)
{
  output *o = priv(s);
  if (n <= 0 || o->fd < 0) return;
  size_t bytes = liq_wav_encode(&o->file.wav, f, off, n, o->buf);
  if (write_all(o->fd, o->buf, bytes) != 0) {
    file_error(s);
    return;
  }
  if (o->file.flush) fsync(o->fd);
}

static void file_reopen(liq_source *s)
{
  file_close(s);
  if (file_open(s) != 0) file_error(s);
}

/* Writes the frame, splitting it at metadata when reopening on metadata. */
static void file_send(liq_source *s, liq_frame *f)
{
  output *o = priv(s);
  if (o->fd < 0 && o->file.reopen_on_error && now(s) >= o->retry_at && file_open(s) != 0)
    file_error(s);
  int pos = 0;
  if (o->file.reopen_on_metadata)
    for (int i = 0; i < f->n_meta && f->meta[i].pos < f->len; i++) {
      file_write(s, f, pos, f->meta[i].pos - pos);
      pos = f->meta[i].pos;
      file_reopen(s);
    }
  file_write(s, f, pos, f->len - pos);
  /* Like 2.1.3, reopen_when is not even asked within reopen_delay of the
   * open (2.1.3 counts wall-clock time; stream time keeps offline renders
   * deterministic and agrees with it on real-time clocks). */
  if (now(s) - o->opened_at >= o->file.reopen_delay && liq_getter_bool_get(&o->file.reopen_when, s))
    file_reopen(s);
}

/* --- The state machine ---------------------------------------------------------- */

static void do_start(liq_source *s)
{
  output *o = priv(s);
  o->started = 1;
  liq_log(LIQ_LOG_INFO, liq_source_id(s), "Output started.");
  liq_cb_void_call(&o->opts.on_start, s, "on_start");
  if (o->is_file && file_open(s) != 0) file_error(s);
}

static void do_stop(liq_source *s)
{
  output *o = priv(s);
  if (!o->started) return;
  o->started = 0;
  if (o->is_file) file_close(s);
  liq_cb_void_call(&o->opts.on_stop, s, "on_stop");
}

static void output_animate(liq_source *s)
{
  output *o = priv(s);
  liq_source *in = liq_source_input(s, 0);
  if (!o->started) {
    if (!o->wanted || !liq_source_is_ready(in)) return;
    do_start(s);
  }
  liq_frame *f = liq_pool_acquire(liq_source_pool(s), liq_source_format(in));
  int n = f->capacity, pos = liq_source_pull(in, f, 0, n, LIQ_PULL_KEEP).n;
  f->len = pos;
  o->samples += pos;
  if (o->is_file) file_send(s, f);
  liq_frame_unref(f);
  if (pos < n) {
    if (!o->opts.fallible)
      liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Infallible source %s did not fill a frame!",
              liq_source_id(in));
    liq_log(LIQ_LOG_IMPORTANT, liq_source_id(s), "Source failed (no more tracks) stopping output...");
    do_stop(s);
  }
}

void liq_output_start(liq_source *s) { priv(s)->wanted = 1; }

void liq_output_stop(liq_source *s)
{
  priv(s)->wanted = 0;
  do_stop(s);
}

int liq_output_is_started(liq_source *s) { return priv(s)->started; }
int64_t liq_output_samples(liq_source *s) { return priv(s)->samples; }

/* --- Classes ------------------------------------------------------------------ */

typedef struct output_args {
  const liq_output_opts *opts;
  const liq_file_opts *file; /* NULL for output.dummy */
} output_args;

static int output_init(liq_source *s, const void *argp)
{
  const output_args *a = argp;
  output *o = priv(s);
  o->fd = -1;
  o->opts = *a->opts;
  o->wanted = o->opts.start;
  if (a->file) o->file = *a->file;
  liq_sb e = LIQ_SB_INIT;
  if (liq_source_check_fallible(liq_source_input(s, 0), o->opts.fallible, &e) != 0) {
    liq_source_set_error(s, "%s", liq_sb_str(&e));
    liq_sb_free(&e);
    return -1;
  }
  if (!a->file) return 0;
  o->is_file = 1;
  o->path_template = liq_mem_strdup(a->file->path ? a->file->path : "");
  liq_format in = liq_source_format(s);
  if (!o->file.wav.channels) o->file.wav.channels = in.channels;
  if (!o->file.wav.samplerate) o->file.wav.samplerate = in.samplerate;
  const char *why;
  if (liq_wav_check(&o->file.wav, &why) != 0) return liq_source_set_error(s, "%%wav: %s", why);
  if (o->file.wav.samplerate != in.samplerate)
    return liq_source_set_error(s, "%%wav: samplerate %d differs from the stream's %d (no resampling)",
                                o->file.wav.samplerate, in.samplerate);
  if (in.kind != LIQ_CONTENT_PCM)
    return liq_source_set_error(s, "%%wav needs pcm content, not %s", liq_content_name(in.kind));
  if (!*o->path_template) return liq_source_set_error(s, "empty file name");
  o->buf_size = liq_wav_encoded_size(&o->file.wav, liq_source_frame_samples(s));
  o->buf = liq_mem_alloc(o->buf_size);
  return 0;
}

static void output_uninit(liq_source *s)
{
  output *o = priv(s);
  do_stop(s);
  liq_cb_void_release(&o->opts.on_start);
  liq_cb_void_release(&o->opts.on_stop);
  liq_cb_string_release(&o->file.on_close);
  liq_getter_bool_release(&o->file.reopen_when);
  liq_mem_free(o->buf);
  liq_mem_free(o->path);
  liq_mem_free(o->path_template);
}

static void output_sleep(liq_source *s) { do_stop(s); }

static const liq_source_class output_dummy_class = {
    .name = "output.dummy",
    .type = LIQ_SOURCE_OUTPUT,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(output),
    .init = output_init,
    .uninit = output_uninit,
    .sleep = output_sleep,
    .animate = output_animate,
};

static const liq_source_class output_file_class = {
    .name = "output.file",
    .type = LIQ_SOURCE_OUTPUT,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(output),
    .init = output_init,
    .uninit = output_uninit,
    .sleep = output_sleep,
    .animate = output_animate,
};

liq_source *liq_output_dummy_new(liq_source *input, const liq_output_opts *opts, liq_sb *err)
{
  output_args a = {opts, NULL};
  return liq_source_new(&output_dummy_class, opts->id, &input, 1, &a, err);
}

liq_source *liq_output_file_new(liq_source *input, const liq_file_opts *opts, liq_sb *err)
{
  output_args a = {&opts->out, opts};
  return liq_source_new(&output_file_class, opts->out.id, &input, 1, &a, err);
}
