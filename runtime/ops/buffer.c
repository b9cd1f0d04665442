/* buffer: a bridge between two clocks.
 *
 *   input clock                         reader clock
 *   s --> [buffer.writer (OUTPUT)] ==> ring ==> [buffer (passive)] --> ...
 *
 * The writer is an output living in the input's clock: every cycle it
 * pulls a frame from the input and appends it to a ring shared with the
 * reader (under a mutex, the two clocks have their own threads). The
 * reader is a fallible passive source in the consumer's clock. It starts
 * unavailable ("buffering") until the ring holds `buffer` seconds; when
 * the ring runs dry it ends its track and buffers again, and when it
 * becomes available again it starts a new track replaying the last
 * metadata (2.1.3's replay_metadata and add_track_mark defaults). When the
 * ring would exceed `max` seconds (at least 1.1 buffer, as in 2.1.3) the
 * oldest data is dropped. Track marks and metadata travel through the ring
 * at their positions. The ring is allocated at creation (max seconds plus
 * a frame): no allocation per cycle. */
#include "config.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

typedef struct bev {
  int64_t pos;
  liq_meta *meta; /* NULL: a track mark */
} bev;

typedef struct ring {
  atomic_int refs;
  pthread_mutex_t lock;
  int channels, cap;
  float *data;       /* channels * cap */
  int64_t rd, wr;    /* absolute positions; wr - rd <= cap */
  bev *evs;
  int n_evs, cap_evs;
  int64_t buffer, max; /* samples */
  liq_meta *last_meta; /* for replay */
} ring;

static ring *ring_new(int channels, int64_t buffer, int64_t max, int frame)
{
  ring *r = liq_mem_calloc(1, sizeof *r);
  atomic_init(&r->refs, 1);
  pthread_mutex_init(&r->lock, NULL);
  r->channels = channels;
  r->buffer = buffer;
  r->max = max;
  r->cap = (int)max + frame;
  r->data = liq_mem_calloc((size_t)r->cap * (size_t)channels, sizeof(float));
  r->cap_evs = 16;
  r->evs = liq_mem_alloc(sizeof(bev) * (size_t)r->cap_evs);
  return r;
}

static void ring_unref(ring *r)
{
  if (!r || atomic_fetch_sub(&r->refs, 1) != 1) return;
  for (int i = 0; i < r->n_evs; i++) liq_meta_unref(r->evs[i].meta);
  liq_meta_unref(r->last_meta);
  pthread_mutex_destroy(&r->lock);
  liq_mem_free(r->evs);
  liq_mem_free(r->data);
  liq_mem_free(r);
}

/* With the lock held. */
static void ring_event(ring *r, int64_t pos, liq_meta *m)
{
  if (r->n_evs == r->cap_evs) {
    r->cap_evs *= 2;
    r->evs = liq_mem_realloc(r->evs, sizeof(bev) * (size_t)r->cap_evs);
  }
  r->evs[r->n_evs].pos = pos;
  r->evs[r->n_evs].meta = m ? liq_meta_ref(m) : NULL;
  r->n_evs++;
}

/* Drops events before pos; with the lock held. */
static void ring_drop_events(ring *r, int64_t pos)
{
  int k = 0;
  for (int i = 0; i < r->n_evs; i++) {
    if (r->evs[i].pos < pos) {
      if (r->evs[i].meta) {
        liq_meta_unref(r->last_meta);
        r->last_meta = r->evs[i].meta;
      }
    } else {
      r->evs[k++] = r->evs[i];
    }
  }
  r->n_evs = k;
}

/* --- the writer (an output in the input's clock) ---------------------------------- */

typedef struct writer {
  ring *ring;
  liq_output_opts opts;
  int started, wanted;
  int64_t dropped;
} writer;

static int writer_init(liq_source *s, const void *argp)
{
  const void *const *a = argp;
  writer *w = liq_source_priv(s);
  w->ring = (ring *)a[0];
  atomic_fetch_add(&w->ring->refs, 1);
  w->opts = *(const liq_output_opts *)a[1];
  w->wanted = w->opts.start;
  liq_sb e = LIQ_SB_INIT;
  if (liq_source_check_fallible(liq_source_input(s, 0), w->opts.fallible, &e) != 0) {
    liq_source_set_error(s, "%s", liq_sb_str(&e));
    liq_sb_free(&e);
    return -1;
  }
  return 0;
}

static void writer_stop(liq_source *s)
{
  writer *w = liq_source_priv(s);
  if (!w->started) return;
  w->started = 0;
  liq_cb_void_call(&w->opts.on_stop, s, "on_stop");
}

static void writer_uninit(liq_source *s)
{
  writer *w = liq_source_priv(s);
  writer_stop(s);
  liq_cb_void_release(&w->opts.on_start);
  liq_cb_void_release(&w->opts.on_stop);
  ring_unref(w->ring);
}

static void writer_animate(liq_source *s)
{
  writer *w = liq_source_priv(s);
  liq_source *in = liq_source_input(s, 0);
  if (!w->started) {
    if (!w->wanted || !liq_source_is_ready(in)) return;
    w->started = 1;
    liq_cb_void_call(&w->opts.on_start, s, "on_start");
  }
  liq_frame *f = liq_pool_acquire(liq_source_pool(s), liq_source_format(in));
  int n = f->capacity, pos = liq_source_pull(in, f, 0, n, LIQ_PULL_KEEP).n;
  ring *rg = w->ring;
  pthread_mutex_lock(&rg->lock);
  /* Make room: drop the oldest data beyond max. */
  int64_t excess = rg->wr + pos - rg->rd - rg->max;
  if (excess > 0) {
    rg->rd += excess;
    w->dropped += excess;
    ring_drop_events(rg, rg->rd);
  }
  for (int c = 0; c < rg->channels; c++) {
    const float *x = liq_frame_pcm(f, c);
    float *d = rg->data + (size_t)c * (size_t)rg->cap;
    for (int i = 0; i < pos; i++) d[(rg->wr + i) % rg->cap] = x[i];
  }
  for (int i = 0; i < f->n_meta && f->meta[i].pos < pos; i++) ring_event(rg, rg->wr + f->meta[i].pos, f->meta[i].meta);
  for (int i = 0; i < f->n_marks; i++)
    if (f->marks[i] > 0 && f->marks[i] <= pos) ring_event(rg, rg->wr + f->marks[i], NULL);
  rg->wr += pos;
  pthread_mutex_unlock(&rg->lock);
  liq_frame_unref(f);
  if (pos < n) writer_stop(s);
}

static void writer_sleep(liq_source *s) { writer_stop(s); }

static const liq_source_class writer_class = {
    .name = "buffer.writer",
    .type = LIQ_SOURCE_OUTPUT,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(writer),
    .init = writer_init,
    .uninit = writer_uninit,
    .sleep = writer_sleep,
    .animate = writer_animate,
};

/* --- the reader ----------------------------------------------------------------------- */

typedef struct reader {
  ring *ring;
  int buffering;
  int replay; /* replay the last metadata at the next data */
} reader;

static int reader_init(liq_source *s, const void *argp)
{
  const void *const *a = argp;
  reader *rd = liq_source_priv(s);
  rd->ring = (ring *)a[0];
  atomic_fetch_add(&rd->ring->refs, 1);
  liq_source_set_format(s, *(const liq_format *)a[2]);
  rd->buffering = 1;
  return 0;
}

static void reader_uninit(liq_source *s)
{
  reader *rd = liq_source_priv(s);
  ring_unref(rd->ring);
}

static int reader_ready(liq_source *s)
{
  reader *rd = liq_source_priv(s);
  ring *rg = rd->ring;
  pthread_mutex_lock(&rg->lock);
  int64_t have = rg->wr - rg->rd;
  if (rd->buffering && have >= rg->buffer) {
    rd->buffering = 0;
    rd->replay = 1;
  }
  int ok = !rd->buffering && have > 0;
  pthread_mutex_unlock(&rg->lock);
  return ok;
}

static liq_fill reader_fill(liq_source *s, liq_frame *f, int off, int len)
{
  reader *rd = liq_source_priv(s);
  ring *rg = rd->ring;
  pthread_mutex_lock(&rg->lock);
  int64_t have = rg->wr - rg->rd;
  int n = have < len ? (int)have : len;
  int eot = 0;
  /* Stop at the first track mark in range (one track per fill). */
  for (int i = 0; i < rg->n_evs; i++)
    if (!rg->evs[i].meta && rg->evs[i].pos >= rg->rd && rg->evs[i].pos - rg->rd <= n) {
      n = (int)(rg->evs[i].pos - rg->rd);
      eot = 1;
      break;
    }
  for (int c = 0; c < rg->channels; c++) {
    const float *d = rg->data + (size_t)c * (size_t)rg->cap;
    float *x = liq_frame_pcm(f, c) + off;
    for (int i = 0; i < n; i++) x[i] = d[(rg->rd + i) % rg->cap];
  }
  int has_meta_at_start = 0;
  for (int i = 0; i < rg->n_evs; i++)
    if (rg->evs[i].meta && rg->evs[i].pos >= rg->rd && rg->evs[i].pos < rg->rd + n) {
      liq_frame_add_meta(f, off + (int)(rg->evs[i].pos - rg->rd), rg->evs[i].meta);
      if (rg->evs[i].pos == rg->rd) has_meta_at_start = 1;
    }
  if (rd->replay && n > 0) {
    if (!has_meta_at_start && rg->last_meta) liq_frame_add_meta(f, off, rg->last_meta);
    rd->replay = 0;
  }
  rg->rd += n;
  /* Consume the mark we stopped at, and events now behind us. */
  if (eot)
    for (int i = 0; i < rg->n_evs; i++)
      if (!rg->evs[i].meta && rg->evs[i].pos == rg->rd) {
        rg->evs[i].pos = -1;
        break;
      }
  ring_drop_events(rg, rg->rd);
  if (rg->wr == rg->rd) {
    /* Ran dry: end the track and buffer again. */
    rd->buffering = 1;
    eot = 1;
  }
  pthread_mutex_unlock(&rg->lock);
  return (liq_fill){n, eot || n < len};
}

static const liq_source_class reader_class = {
    .name = "buffer",
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(reader),
    .init = reader_init,
    .uninit = reader_uninit,
    .is_ready = reader_ready,
    .fill = reader_fill,
};

liq_source *liq_op_buffer(const char *id, double buffer, double max,
                          const liq_output_opts *writer_opts, liq_source *in,
                          liq_source **writer_out, liq_sb *err)
{
  *writer_out = NULL;
  liq_format fmt = liq_source_format(in);
  if (buffer < 0) buffer = 0;
  if (max < 1.1 * buffer) max = 1.1 * buffer;
  int frame = liq_stream_frame_samples();
  int64_t maxs = (int64_t)(max * fmt.samplerate);
  if (maxs < frame) maxs = frame;
  ring *rg = ring_new(fmt.channels, (int64_t)(buffer * fmt.samplerate), maxs, frame);
  liq_output_opts wo = *writer_opts;
  const void *wa[2] = {rg, &wo};
  liq_sb wid = LIQ_SB_INIT;
  if (id) liq_sb_printf(&wid, "%s.writer", id);
  liq_source *w = liq_source_new(&writer_class, id ? liq_sb_str(&wid) : NULL, &in, 1, wa, err);
  liq_sb_free(&wid);
  liq_source *r = NULL;
  if (w) {
    const void *ra[3] = {rg, NULL, &fmt};
    r = liq_source_new(&reader_class, id, NULL, 0, ra, err);
  }
  ring_unref(rg);
  if (!r) {
    liq_source_unref(w);
    return NULL;
  }
  *writer_out = w;
  return r;
}

int64_t liq_buffer_length(liq_source *s)
{
  if (liq_source_get_class(s) != &reader_class) return -1;
  ring *rg = ((reader *)liq_source_priv(s))->ring;
  pthread_mutex_lock(&rg->lock);
  int64_t n = rg->wr - rg->rd;
  pthread_mutex_unlock(&rg->lock);
  return n;
}
