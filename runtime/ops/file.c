/* file: sources that play requests (single; playlist in playlist.c), on a
 * prefetching reader.
 *
 * The reader moves every slow step off the clock thread. Its worker thread
 * asks a provider for the next request, resolves and opens it (probing,
 * runtime/request.h), decodes it to the clock's format and writes the
 * samples into a bounded ring with timed events (track start with its
 * metadata, track end). The clock thread's fill only copies from the ring:
 *
 *   worker:  provider.next -> liq_request_open -> liq_decoder_read --+
 *                                                                   v
 *   ring:    [..... track A .....|END|START(meta) ..... track B .....]
 *             ^ rpos (clock)                         wpos (worker) ^
 *   clock:   fill copies [rpos, next event) into the frame
 *
 * The ring holds READER_SECONDS of audio: the next file is opened and its
 * start decoded while the current one plays (one request ahead, what
 * 2.1.3's prefetch=1 gives). When the clock runs faster than real time
 * (sync="none") it can catch up with the worker inside a track: fill then
 * waits for the worker, since the track is known to go on.
 *
 * Bad requests are logged once each (path and reason) and skipped. When
 * as many requests in a row as the provider has have failed, the worker
 * backs off (BACKOFF_SECONDS) instead of spinning; the source is not ready
 * meanwhile (it is fallible). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"
#include "runtime/request.h"

/* Decoded audio kept ahead: covers a slow disk or probe of the next file. */
#define READER_SECONDS 3
/* Samples decoded per step of the worker. */
#define READER_CHUNK 4096
/* Track events in the ring: two per track, so tiny files still fit. */
#define READER_EVENTS 64
/* Wait after a whole round of failures (and when the provider is empty). */
#define BACKOFF_SECONDS 1

typedef enum { EV_START, EV_END } ev_kind;

typedef struct reader_event {
  int64_t pos;
  ev_kind kind;
  liq_meta *meta;  /* EV_START: a reference */
  int64_t length;  /* EV_START: samples, -1 unknown */
} reader_event;

struct liq_reader {
  liq_request_provider prov;
  char *label;
  int rate, channels;
  pthread_mutex_t lock;
  pthread_cond_t cond; /* any change: data, space, stop, abort */
  pthread_t thread;
  int started, stop;
  float *ring[LIQ_MAX_CHANNELS];
  int64_t cap, rpos, wpos;
  reader_event ev[READER_EVENTS];
  int ev_head, ev_n;
  int abort;        /* clock -> worker: drop the current track */
  int gave_up;      /* worker: a whole round failed, backing off */
  int first_done;   /* worker: the first track started, or gave up */
  int busy;         /* worker: between tracks, opening the next one */
  int kicked;       /* the provider has something new: do not idle */
  int64_t seek_to;  /* clock -> worker: decode the track from this sample (-1: none) */
  double timeout;   /* longest wait for the worker */
  /* Clock side. */
  int in_track;
  int64_t track_len, track_pos;
};

static void push_event(liq_reader *r, reader_event e)
{
  r->ev[(r->ev_head + r->ev_n) % READER_EVENTS] = e;
  r->ev_n++;
  pthread_cond_broadcast(&r->cond);
}

static void pop_event(liq_reader *r)
{
  if (r->ev[r->ev_head].meta) liq_meta_unref(r->ev[r->ev_head].meta);
  r->ev_head = (r->ev_head + 1) % READER_EVENTS;
  r->ev_n--;
}

static void timed_wait(liq_reader *r, double seconds)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  ts.tv_sec += (time_t)seconds;
  ts.tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
  if (ts.tv_nsec >= 1000000000L) {
    ts.tv_sec++;
    ts.tv_nsec -= 1000000000L;
  }
  pthread_cond_timedwait(&r->cond, &r->lock, &ts);
}

static double mono_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A failure of the current request: logged once per request. */
static void report(liq_reader *r, liq_request *req, const char *why, int *failures)
{
  const char *path = liq_request_path(req);
  liq_log(liq_request_first_report(req) ? LIQ_LOG_SEVERE : LIQ_LOG_DEBUG, r->label,
          "Could not play %s: %s", path ? path : liq_request_uri(req), why);
  (*failures)++;
}

static void *reader_main(void *arg)
{
  liq_reader *r = arg;
  float *scratch[LIQ_MAX_CHANNELS] = {0};
  for (int c = 0; c < r->channels; c++) scratch[c] = liq_mem_alloc(READER_CHUNK * sizeof(float));
  liq_decoder *dec = NULL;
  liq_request *req = NULL;
  liq_meta *start_meta = NULL;
  int64_t start_len = -1, track_samples = 0;
  int failures = 0;
  liq_sb err = LIQ_SB_INIT;

  pthread_mutex_lock(&r->lock);
  while (!r->stop) {
    if (!dec) {
      int count = r->prov.count ? r->prov.count(r->prov.ud) : 1;
      if (failures > 0 && failures >= (count > 0 ? count : 1)) {
        r->gave_up = r->first_done = 1;
        r->busy = 0;
        pthread_cond_broadcast(&r->cond);
        timed_wait(r, BACKOFF_SECONDS);
        r->busy = 1;
        failures = 0;
        continue;
      }
      r->kicked = 0;
      pthread_mutex_unlock(&r->lock);
      int dec_failed = 0;
      req = r->prov.next(r->prov.ud);
      if (req) {
        liq_sb_reset(&err);
        dec = liq_request_open(req, r->rate, r->channels, &err);
        if (dec) {
          start_meta = liq_request_metadata(req);
          double d = liq_request_duration(req);
          start_len = d < 0 ? -1 : (int64_t)(d * r->rate + 0.5);
          track_samples = 0;
        } else {
          report(r, req, liq_sb_str(&err), &failures);
          liq_request_unref(req);
          req = NULL;
          dec_failed = 1;
        }
      }
      pthread_mutex_lock(&r->lock);
      if (!req && !dec_failed) {
        /* The provider has nothing now (empty playlist, or a round
         * without loop is over): wait. */
        r->gave_up = r->first_done = 1;
        r->busy = 0;
        pthread_cond_broadcast(&r->cond);
        if (!r->kicked) timed_wait(r, BACKOFF_SECONDS);
        r->busy = 1;
      }
      continue;
    }
    int64_t space = r->cap - (r->wpos - r->rpos);
    if ((space < READER_CHUNK || r->ev_n > READER_EVENTS - 2) && !r->abort) {
      pthread_cond_wait(&r->cond, &r->lock);
      continue;
    }
    if (r->seek_to >= 0 && !r->abort) {
      /* The clock seeked past what was buffered of this track (and
       * dropped it): the decoder goes to the target. */
      int64_t to = r->seek_to;
      r->seek_to = -1;
      pthread_mutex_unlock(&r->lock);
      liq_sb_reset(&err);
      if (liq_decoder_seek(dec, (double)to / r->rate, &err) == 0)
        track_samples = to;
      else
        liq_log(LIQ_LOG_SEVERE, r->label, "Seeking in %s failed: %s", liq_request_path(req),
                liq_sb_str(&err));
      pthread_mutex_lock(&r->lock);
      continue;
    }
    int want = READER_CHUNK;
    int aborted = r->abort;
    int n = 0;
    if (!aborted) {
      pthread_mutex_unlock(&r->lock);
      liq_sb_reset(&err);
      n = liq_decoder_read(dec, scratch, want, &err);
      pthread_mutex_lock(&r->lock);
      aborted = r->abort;
      if (!aborted && r->seek_to >= 0) continue; /* the chunk is before the target */
    }
    if (aborted) {
      /* The clock already ended the track (and queued its end if it had
       * started). */
      r->abort = 0;
      r->seek_to = -1;
      n = -2;
    }
    if (n > 0) {
      if (start_meta) {
        push_event(r, (reader_event){r->wpos, EV_START, start_meta, start_len});
        start_meta = NULL;
        failures = 0;
        r->gave_up = 0;
        r->first_done = 1;
      }
      for (int c = 0; c < r->channels; c++) {
        int64_t at = r->wpos % r->cap;
        int64_t k1 = r->cap - at < n ? r->cap - at : n;
        memcpy(r->ring[c] + at, scratch[c], (size_t)k1 * sizeof(float));
        memcpy(r->ring[c], scratch[c] + k1, (size_t)(n - k1) * sizeof(float));
      }
      r->wpos += n;
      track_samples += n;
      pthread_cond_broadcast(&r->cond);
    }
    if (n < want) {
      /* End of the track (or an error that ends it, or an abort). */
      if (n == -1 && track_samples > 0)
        liq_log(LIQ_LOG_SEVERE, r->label, "Decoding %s stopped: %s", liq_request_path(req),
                liq_sb_str(&err));
      if (track_samples > 0 && n != -2)
        push_event(r, (reader_event){r->wpos, EV_END, NULL, 0});
      r->busy = 1; /* set with the end: is_ready waits for the next track */
      r->seek_to = -1;
      pthread_mutex_unlock(&r->lock);
      if (track_samples == 0 && n != -2)
        report(r, req, n == -1 ? liq_sb_str(&err) : "no audio could be decoded", &failures);
      liq_decoder_close(dec);
      dec = NULL;
      if (start_meta) liq_meta_unref(start_meta);
      start_meta = NULL;
      liq_request_unref(req);
      req = NULL;
      pthread_mutex_lock(&r->lock);
    }
  }
  pthread_mutex_unlock(&r->lock);
  liq_decoder_close(dec);
  if (start_meta) liq_meta_unref(start_meta);
  if (req) liq_request_unref(req);
  for (int c = 0; c < r->channels; c++) liq_mem_free(scratch[c]);
  liq_sb_free(&err);
  return NULL;
}

liq_reader *liq_reader_new(const char *label, int samplerate, int channels,
                           liq_request_provider prov)
{
  liq_reader *r = liq_mem_calloc(1, sizeof *r);
  r->prov = prov;
  r->label = liq_mem_strdup(label);
  r->rate = samplerate;
  r->channels = channels;
  r->cap = (int64_t)samplerate * READER_SECONDS;
  if (r->cap < 4 * READER_CHUNK) r->cap = 4 * READER_CHUNK;
  for (int c = 0; c < channels; c++) r->ring[c] = liq_mem_alloc((size_t)r->cap * sizeof(float));
  pthread_mutex_init(&r->lock, NULL);
  pthread_cond_init(&r->cond, NULL);
  return r;
}

void liq_reader_start(liq_reader *r, double timeout)
{
  if (r->started) return;
  r->stop = r->abort = r->gave_up = r->first_done = 0;
  r->seek_to = -1;
  r->busy = 1;
  r->timeout = timeout;
  if (pthread_create(&r->thread, NULL, reader_main, r) != 0) {
    liq_log(LIQ_LOG_SEVERE, r->label, "cannot start the reader thread");
    return;
  }
  r->started = 1;
  /* Streaming starts with the first track ready, as 2.1.3 prepares it at
   * wake-up; the work itself is the worker's. */
  double t0 = mono_now();
  pthread_mutex_lock(&r->lock);
  while (!r->first_done && mono_now() - t0 < timeout) timed_wait(r, 0.05);
  pthread_mutex_unlock(&r->lock);
}

void liq_reader_stop(liq_reader *r)
{
  if (!r->started) return;
  pthread_mutex_lock(&r->lock);
  r->stop = 1;
  pthread_cond_broadcast(&r->cond);
  pthread_mutex_unlock(&r->lock);
  pthread_join(r->thread, NULL);
  r->started = 0;
  while (r->ev_n) pop_event(r);
  r->rpos = r->wpos = 0;
  r->in_track = 0;
}

void liq_reader_free(liq_reader *r)
{
  if (!r) return;
  liq_reader_stop(r);
  pthread_mutex_destroy(&r->lock);
  pthread_cond_destroy(&r->cond);
  for (int c = 0; c < LIQ_MAX_CHANNELS; c++) liq_mem_free(r->ring[c]);
  if (r->prov.release) r->prov.release(r->prov.ud);
  liq_mem_free(r->label);
  liq_mem_free(r);
}

void liq_reader_kick(liq_reader *r)
{
  pthread_mutex_lock(&r->lock);
  r->kicked = 1;
  pthread_cond_broadcast(&r->cond);
  pthread_mutex_unlock(&r->lock);
}

int liq_reader_is_ready(liq_reader *r)
{
  pthread_mutex_lock(&r->lock);
  /* Between tracks with the worker still opening the next one: the clock
   * ran ahead of it (sync="none", or a slow disk); wait rather than report
   * a gap. In real time the next track's start is already in the ring. */
  if (!r->in_track && !r->ev_n && r->busy && r->started) {
    double t0 = mono_now();
    while (!r->in_track && !r->ev_n && r->busy && !r->stop && mono_now() - t0 < r->timeout)
      timed_wait(r, 0.1);
  }
  int ready = r->in_track || (r->ev_n > 0 && r->ev[r->ev_head].kind == EV_START);
  pthread_mutex_unlock(&r->lock);
  return ready;
}

int64_t liq_reader_remaining(liq_reader *r)
{
  pthread_mutex_lock(&r->lock);
  int64_t rem = -1;
  /* The container's duration may be a little off: never below 0. */
  if (r->in_track && r->track_len >= 0)
    rem = r->track_len > r->track_pos ? r->track_len - r->track_pos : 0;
  pthread_mutex_unlock(&r->lock);
  return rem;
}

void liq_reader_abort_track(liq_reader *r)
{
  pthread_mutex_lock(&r->lock);
  if (r->in_track) {
    int i = 0;
    for (; i < r->ev_n; i++)
      if (r->ev[(r->ev_head + i) % READER_EVENTS].kind == EV_END) break;
    if (i < r->ev_n) {
      r->rpos = r->ev[(r->ev_head + i) % READER_EVENTS].pos;
    } else {
      r->rpos = r->wpos;
      r->abort = 1;
      push_event(r, (reader_event){r->wpos, EV_END, NULL, 0});
    }
    pthread_cond_broadcast(&r->cond);
  }
  pthread_mutex_unlock(&r->lock);
}

int64_t liq_reader_seek(liq_reader *r, int64_t n)
{
  if (n <= 0) return 0;
  pthread_mutex_lock(&r->lock);
  if (!r->in_track) {
    pthread_mutex_unlock(&r->lock);
    return 0;
  }
  int64_t end = -1; /* the track's end, when queued */
  for (int i = 0; i < r->ev_n; i++) {
    reader_event *e = &r->ev[(r->ev_head + i) % READER_EVENTS];
    if (e->kind == EV_END) {
      end = e->pos;
      break;
    }
  }
  int64_t moved;
  if (end >= 0 || r->wpos - r->rpos >= n) {
    /* Inside what is buffered (or up to the queued end). */
    moved = end >= 0 && end - r->rpos < n ? end - r->rpos : n;
    r->rpos += moved;
  } else {
    /* Beyond: the worker seeks its decoder to the target; fill waits for
     * it. The target is counted from the track's start. */
    moved = n;
    r->seek_to = r->track_pos + n;
    r->rpos = r->wpos;
  }
  r->track_pos += moved;
  pthread_cond_broadcast(&r->cond);
  pthread_mutex_unlock(&r->lock);
  return moved;
}

liq_fill liq_reader_fill(liq_reader *r, liq_frame *f, int off, int len)
{
  liq_fill res = {0, 0};
  pthread_mutex_lock(&r->lock);
  for (;;) {
    while (r->ev_n && r->ev[r->ev_head].pos == r->rpos) {
      reader_event *e = &r->ev[r->ev_head];
      if (e->kind == EV_END) {
        int was = r->in_track;
        pop_event(r);
        r->in_track = 0;
        if (was) {
          res.eot = 1;
          goto out;
        }
        continue;
      }
      if (r->in_track || res.n) goto out; /* one track per fill */
      liq_frame_add_meta(f, off + res.n, e->meta);
      r->in_track = 1;
      r->track_len = e->length;
      r->track_pos = 0;
      pop_event(r);
    }
    if (res.n == len || !r->in_track) break;
    int64_t avail = r->wpos - r->rpos;
    if (r->ev_n && r->ev[r->ev_head].pos - r->rpos < avail) avail = r->ev[r->ev_head].pos - r->rpos;
    if (avail == 0) {
      /* Inside a track whose end is not queued yet: the worker is behind
       * (sync="none" or a slow disk). The track goes on, so wait for it. */
      if (r->stop || !r->started) break;
      pthread_cond_wait(&r->cond, &r->lock);
      continue;
    }
    int k = len - res.n < avail ? len - res.n : (int)avail;
    int64_t at = r->rpos % r->cap;
    int k1 = r->cap - at < k ? (int)(r->cap - at) : k;
    for (int c = 0; c < r->channels; c++) {
      float *d = liq_frame_pcm(f, c) + off + res.n;
      memcpy(d, r->ring[c] + at, (size_t)k1 * sizeof(float));
      memcpy(d + k1, r->ring[c], (size_t)(k - k1) * sizeof(float));
    }
    res.n += k;
    r->rpos += k;
    r->track_pos += k;
    pthread_cond_broadcast(&r->cond);
  }
out:
  pthread_mutex_unlock(&r->lock);
  return res;
}

/* --- single ------------------------------------------------------------------ */

typedef struct single_prov {
  liq_request *req;
} single_prov;

static liq_request *single_next(void *ud) { return liq_request_ref(((single_prov *)ud)->req); }

static void single_release(void *ud)
{
  single_prov *p = ud;
  liq_request_unref(p->req);
  liq_mem_free(p);
}

typedef struct single_args {
  const char *uri;
  double timeout;
} single_args;

typedef struct single {
  liq_reader *reader;
  double timeout;
} single;

static int single_init(liq_source *s, const void *argp)
{
  const single_args *a = argp;
  single *p = liq_source_priv(s);
  p->timeout = a->timeout;
  single_prov *prov = liq_mem_calloc(1, sizeof *prov);
  prov->req = liq_request_new(a->uri);
  liq_format fmt = liq_source_format(s);
  p->reader = liq_reader_new(liq_source_id(s), fmt.samplerate, fmt.channels,
                             (liq_request_provider){single_next, NULL, prov, single_release});
  return 0;
}

static void single_uninit(liq_source *s) { liq_reader_free(((single *)liq_source_priv(s))->reader); }
static void single_wake_up(liq_source *s)
{
  single *p = liq_source_priv(s);
  liq_reader_start(p->reader, p->timeout);
}
static void single_sleep(liq_source *s) { liq_reader_stop(((single *)liq_source_priv(s))->reader); }
static int single_ready(liq_source *s) { return liq_reader_is_ready(((single *)liq_source_priv(s))->reader); }
static int64_t single_remaining(liq_source *s)
{
  return liq_reader_remaining(((single *)liq_source_priv(s))->reader);
}
static int64_t single_seek(liq_source *s, int64_t n)
{
  return liq_reader_seek(((single *)liq_source_priv(s))->reader, n);
}
static void single_abort(liq_source *s) { liq_reader_abort_track(((single *)liq_source_priv(s))->reader); }
static liq_fill single_fill(liq_source *s, liq_frame *f, int off, int len)
{
  return liq_reader_fill(((single *)liq_source_priv(s))->reader, f, off, len);
}

static const liq_source_class single_class = {
    .name = "single",
    .type = LIQ_SOURCE_PASSIVE,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(single),
    .init = single_init,
    .uninit = single_uninit,
    .is_ready = single_ready,
    .fill = single_fill,
    .remaining = single_remaining,
    .abort_track = single_abort,
    .seek = single_seek,
    .wake_up = single_wake_up,
    .sleep = single_sleep,
};

liq_source *liq_op_single(const char *id, const char *uri, double timeout, liq_sb *err)
{
  single_args a = {uri, timeout};
  return liq_source_new(&single_class, id, NULL, 0, &a, err);
}
