/* request: URIs, annotations and resolution; see request.h. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/mem.h"
#include "runtime/request.h"

struct liq_request {
  atomic_int refs;
  int id;
  char *uri;
  pthread_mutex_t lock;
  liq_meta *annotations; /* parsed at creation */
  int resolved;          /* 1: ok, -1: failed */
  char *path;
  char *error;           /* why resolution failed */
  liq_meta *meta;        /* annotations + tags, once resolved */
  double duration;
  atomic_int reported;
};

static atomic_int next_id;

static int is_key_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

const char *liq_request_parse_annotations(const char *uri, liq_meta *m, liq_sb *err)
{
  while (!strncmp(uri, "annotate:", 9)) {
    const char *p = uri + 9;
    for (;;) {
      const char *k = p;
      while (is_key_char(*p)) p++;
      if (p == k || *p != '=') {
        liq_sb_printf(err, "malformed annotation in %s", uri);
        return NULL;
      }
      char *key = liq_mem_strndup(k, (size_t)(p - k));
      p++;
      liq_sb v = LIQ_SB_INIT;
      liq_sb_puts(&v, "");
      if (*p == '"') {
        p++;
        while (*p && *p != '"') {
          if (*p == '\\' && p[1]) p++;
          liq_sb_putc(&v, *p++);
        }
        if (*p != '"') {
          liq_mem_free(key);
          liq_sb_free(&v);
          liq_sb_printf(err, "unterminated annotation value in %s", uri);
          return NULL;
        }
        p++;
      } else {
        while (*p && *p != ',' && *p != ':') liq_sb_putc(&v, *p++);
      }
      liq_meta_set(m, key, liq_sb_str(&v));
      liq_mem_free(key);
      liq_sb_free(&v);
      if (*p == ',') {
        p++;
        continue;
      }
      if (*p == ':') {
        uri = p + 1;
        break;
      }
      liq_sb_printf(err, "malformed annotation in %s", uri);
      return NULL;
    }
  }
  return uri;
}

char *liq_request_local_path(const char *loc)
{
  if (!strncmp(loc, "file://", 7)) loc += 7;
  liq_sb sb = LIQ_SB_INIT;
  if (loc[0] == '~' && (loc[1] == '/' || loc[1] == 0)) {
    const char *home = getenv("HOME");
    liq_sb_puts(&sb, home ? home : "");
    liq_sb_puts(&sb, loc + 1);
  } else if (loc[0] != '/') {
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) {
      liq_sb_puts(&sb, cwd);
      liq_sb_putc(&sb, '/');
    }
    liq_sb_puts(&sb, loc);
  } else {
    liq_sb_puts(&sb, loc);
  }
  return liq_sb_take(&sb);
}

liq_request *liq_request_new(const char *uri)
{
  liq_request *r = liq_mem_calloc(1, sizeof *r);
  atomic_init(&r->refs, 1);
  r->id = atomic_fetch_add(&next_id, 1);
  r->uri = liq_mem_strdup(uri);
  pthread_mutex_init(&r->lock, NULL);
  r->annotations = liq_meta_new();
  r->duration = -1;
  liq_sb err = LIQ_SB_INIT;
  if (!liq_request_parse_annotations(uri, r->annotations, &err)) {
    r->resolved = -1;
    r->error = liq_sb_take(&err);
  }
  return r;
}

liq_request *liq_request_ref(liq_request *r)
{
  atomic_fetch_add(&r->refs, 1);
  return r;
}

void liq_request_unref(liq_request *r)
{
  if (!r || atomic_fetch_sub(&r->refs, 1) != 1) return;
  pthread_mutex_destroy(&r->lock);
  liq_meta_unref(r->annotations);
  if (r->meta) liq_meta_unref(r->meta);
  liq_mem_free(r->uri);
  liq_mem_free(r->path);
  liq_mem_free(r->error);
  liq_mem_free(r);
}

int liq_request_first_report(liq_request *r) { return !atomic_exchange(&r->reported, 1); }

int liq_request_id(const liq_request *r) { return r->id; }
const char *liq_request_uri(const liq_request *r) { return r->uri; }

const char *liq_request_filename(liq_request *r)
{
  pthread_mutex_lock(&r->lock);
  const char *p = r->resolved > 0 ? r->path : NULL;
  pthread_mutex_unlock(&r->lock);
  return p;
}

const char *liq_request_path(liq_request *r)
{
  pthread_mutex_lock(&r->lock);
  const char *p = r->resolved ? r->path : NULL;
  pthread_mutex_unlock(&r->lock);
  return p;
}

liq_meta *liq_request_metadata(liq_request *r)
{
  pthread_mutex_lock(&r->lock);
  liq_meta *m = liq_meta_ref(r->meta ? r->meta : r->annotations);
  pthread_mutex_unlock(&r->lock);
  return m;
}

double liq_request_duration(liq_request *r)
{
  pthread_mutex_lock(&r->lock);
  double d = r->duration;
  pthread_mutex_unlock(&r->lock);
  return d;
}

/* Probing is done outside the lock: only the results are published under
 * it. With keep, the probing decoder (opened for rate/channels) is handed
 * over instead of closed. */
static int resolve(liq_request *r, int rate, int channels, liq_decoder **keep, liq_sb *err)
{
  pthread_mutex_lock(&r->lock);
  int state = r->resolved;
  if (state < 0) liq_sb_puts(err, r->error);
  pthread_mutex_unlock(&r->lock);
  if (state) return state > 0 ? 0 : -1;

  liq_meta *scratch = liq_meta_new();
  const char *loc = liq_request_parse_annotations(r->uri, scratch, err);
  liq_meta_unref(scratch);
  char *path = liq_request_local_path(loc ? loc : "");
  liq_sb why = LIQ_SB_INIT;
  struct stat st;
  liq_decoder *d = NULL;
  if (stat(path, &st) < 0)
    liq_sb_printf(&why, "%s", strerror(errno));
  else if (!S_ISREG(st.st_mode))
    liq_sb_puts(&why, "not a regular file");
  else if (st.st_size == 0)
    liq_sb_puts(&why, "empty file");
  else
    d = liq_decoder_open(path, rate, channels, &why);

  pthread_mutex_lock(&r->lock);
  if (r->resolved) { /* another thread got there first */
    pthread_mutex_unlock(&r->lock);
    liq_decoder_close(d);
    liq_mem_free(path);
    liq_sb_free(&why);
    return resolve(r, rate, channels, keep, err);
  }
  if (d) {
    liq_meta *m = liq_meta_copy(r->annotations);
    liq_meta *tags = liq_decoder_metadata(d);
    for (int i = 0; i < liq_meta_count(tags); i++)
      if (!liq_meta_get(m, liq_meta_key(tags, i)))
        liq_meta_set(m, liq_meta_key(tags, i), liq_meta_value(tags, i));
    liq_meta_unref(tags);
    liq_meta_set(m, "filename", path);
    liq_meta_set(m, "initial_uri", r->uri);
    char rid[16];
    snprintf(rid, sizeof rid, "%d", r->id);
    liq_meta_set(m, "rid", rid);
    liq_meta_set(m, "temporary", "false");
    liq_meta_set(m, "decoder", "FFMPEG");
    r->meta = m;
    r->duration = liq_decoder_duration(d);
    r->path = path;
    r->resolved = 1;
  } else {
    r->resolved = -1;
    r->error = liq_sb_take(&why);
    r->path = path;
    liq_sb_puts(err, r->error);
  }
  pthread_mutex_unlock(&r->lock);
  int ok = d ? 0 : -1;
  if (keep)
    *keep = d;
  else
    liq_decoder_close(d);
  liq_sb_free(&why);
  return ok;
}

int liq_request_resolve(liq_request *r, liq_sb *err) { return resolve(r, 44100, 2, NULL, err); }

liq_decoder *liq_request_open(liq_request *r, int samplerate, int channels, liq_sb *err)
{
  liq_decoder *d = NULL;
  pthread_mutex_lock(&r->lock);
  int state = r->resolved;
  pthread_mutex_unlock(&r->lock);
  if (!state) {
    if (resolve(r, samplerate, channels, &d, err) < 0) return NULL;
    if (d) return d; /* else another thread resolved it meanwhile */
  } else if (liq_request_resolve(r, err) < 0) {
    return NULL;
  }
  return liq_decoder_open(r->path, samplerate, channels, err);
}
