/* queue: request.queue, a source playing requests pushed by the script, on
 * the prefetching reader of file.c.
 *
 * The queue is a FIFO of requests shared by the script (push, set_queue,
 * queue) and the reader's worker (which pops the next one when the current
 * track is decoded, i.e. up to one request ahead of what plays), under the
 * queue's mutex. A push wakes the worker at once. A bad request is logged
 * once and dropped; an empty queue makes the source unavailable. */
#include "config.h"

#include <pthread.h>

#include "runtime/mem.h"
#include "runtime/ops/ops.h"
#include "runtime/request.h"

typedef struct rq {
  pthread_mutex_t lock;
  liq_request **items; /* FIFO: items[head .. head + n) modulo cap */
  int head, n, cap;
} rq;

static liq_request *rq_next(void *ud)
{
  rq *q = ud;
  pthread_mutex_lock(&q->lock);
  liq_request *r = NULL;
  if (q->n) {
    r = q->items[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
  }
  pthread_mutex_unlock(&q->lock);
  return r; /* the queue's reference goes to the reader */
}

/* A failed request is dropped: one round is the whole queue, plus it. */
static int rq_count(void *ud)
{
  rq *q = ud;
  pthread_mutex_lock(&q->lock);
  int n = q->n + 1;
  pthread_mutex_unlock(&q->lock);
  return n;
}

static void rq_clear(rq *q)
{
  for (int i = 0; i < q->n; i++) liq_request_unref(q->items[(q->head + i) % q->cap]);
  q->head = q->n = 0;
}

static void rq_release(void *ud)
{
  rq *q = ud;
  rq_clear(q);
  liq_mem_free(q->items);
  pthread_mutex_destroy(&q->lock);
  liq_mem_free(q);
}

/* Lock held. Takes a new reference to r. */
static void rq_push(rq *q, liq_request *r)
{
  if (q->n == q->cap) {
    int cap = q->cap ? 2 * q->cap : 16;
    liq_request **items = liq_mem_alloc((size_t)cap * sizeof *items);
    for (int i = 0; i < q->n; i++) items[i] = q->items[(q->head + i) % q->cap];
    liq_mem_free(q->items);
    q->items = items;
    q->cap = cap;
    q->head = 0;
  }
  q->items[(q->head + q->n) % q->cap] = liq_request_ref(r);
  q->n++;
}

typedef struct queue_src {
  liq_reader *reader;
  rq *q; /* owned by the reader */
  double timeout;
} queue_src;

typedef struct queue_args {
  liq_request *const *initial;
  int n_initial;
  double timeout;
} queue_args;

static int queue_init(liq_source *s, const void *argp)
{
  const queue_args *a = argp;
  queue_src *p = liq_source_priv(s);
  p->timeout = a->timeout;
  rq *q = liq_mem_calloc(1, sizeof *q);
  pthread_mutex_init(&q->lock, NULL);
  for (int i = 0; i < a->n_initial; i++) rq_push(q, a->initial[i]);
  p->q = q;
  liq_format fmt = liq_source_format(s);
  p->reader = liq_reader_new(liq_source_id(s), fmt.samplerate, fmt.channels,
                             (liq_request_provider){rq_next, rq_count, q, rq_release});
  return 0;
}

static void queue_uninit(liq_source *s) { liq_reader_free(((queue_src *)liq_source_priv(s))->reader); }
static void queue_wake_up(liq_source *s)
{
  queue_src *p = liq_source_priv(s);
  liq_reader_start(p->reader, p->timeout);
}
static void queue_sleep(liq_source *s) { liq_reader_stop(((queue_src *)liq_source_priv(s))->reader); }
static int queue_ready(liq_source *s) { return liq_reader_is_ready(((queue_src *)liq_source_priv(s))->reader); }
static int64_t queue_remaining(liq_source *s)
{
  return liq_reader_remaining(((queue_src *)liq_source_priv(s))->reader);
}
static void queue_abort(liq_source *s) { liq_reader_abort_track(((queue_src *)liq_source_priv(s))->reader); }
static int64_t queue_seek(liq_source *s, int64_t n)
{
  return liq_reader_seek(((queue_src *)liq_source_priv(s))->reader, n);
}
static liq_fill queue_fill(liq_source *s, liq_frame *f, int off, int len)
{
  return liq_reader_fill(((queue_src *)liq_source_priv(s))->reader, f, off, len);
}

static const liq_source_class queue_class = {
    .name = "request.queue",
    .type = LIQ_SOURCE_PASSIVE,
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(queue_src),
    .init = queue_init,
    .uninit = queue_uninit,
    .is_ready = queue_ready,
    .fill = queue_fill,
    .remaining = queue_remaining,
    .abort_track = queue_abort,
    .seek = queue_seek,
    .wake_up = queue_wake_up,
    .sleep = queue_sleep,
};

liq_source *liq_op_request_queue(const char *id, liq_request *const *initial, int n,
                                 double timeout, liq_sb *err)
{
  queue_args a = {initial, n, timeout};
  return liq_source_new(&queue_class, id, NULL, 0, &a, err);
}

static queue_src *queue_of(liq_source *s)
{
  return liq_source_get_class(s) == &queue_class ? liq_source_priv(s) : NULL;
}

void liq_request_queue_push(liq_source *s, liq_request *r)
{
  queue_src *p = queue_of(s);
  if (!p) return;
  pthread_mutex_lock(&p->q->lock);
  rq_push(p->q, r);
  pthread_mutex_unlock(&p->q->lock);
  liq_reader_kick(p->reader);
}

void liq_request_queue_set(liq_source *s, liq_request *const *rs, int n)
{
  queue_src *p = queue_of(s);
  if (!p) return;
  pthread_mutex_lock(&p->q->lock);
  rq_clear(p->q);
  for (int i = 0; i < n; i++) rq_push(p->q, rs[i]);
  pthread_mutex_unlock(&p->q->lock);
  liq_reader_kick(p->reader);
}

liq_request **liq_request_queue_get(liq_source *s, int *n)
{
  queue_src *p = queue_of(s);
  *n = 0;
  if (!p) return NULL;
  pthread_mutex_lock(&p->q->lock);
  int k = p->q->n;
  liq_request **out = liq_mem_alloc((size_t)(k ? k : 1) * sizeof *out);
  for (int i = 0; i < k; i++) out[i] = liq_request_ref(p->q->items[(p->q->head + i) % p->q->cap]);
  pthread_mutex_unlock(&p->q->lock);
  *n = k;
  return out;
}
