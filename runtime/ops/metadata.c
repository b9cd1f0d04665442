/* metadata: insert_metadata, metadata.map and drop_metadata.
 *
 * These operators edit the metadata events of the frame their input just
 * filled, in [off, off + n): always after the input's fill, so that the
 * input never sees events that are not its own. */
#include "config.h"

#include <pthread.h>

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

/* --- insert_metadata ----------------------------------------------------------- */

/* Requests from any thread, applied by the clock thread at the next fill. */
typedef struct pending {
  liq_meta *meta;
  int new_track;
  struct pending *next;
} pending;

typedef struct inserter {
  pthread_mutex_t lock;
  pending *head, **tail;
} inserter;

static int ins_init(liq_source *s, const void *args)
{
  (void)args;
  inserter *p = liq_source_priv(s);
  pthread_mutex_init(&p->lock, NULL);
  p->tail = &p->head;
  return 0;
}

static void ins_uninit(liq_source *s)
{
  inserter *p = liq_source_priv(s);
  while (p->head) {
    pending *q = p->head;
    p->head = q->next;
    liq_meta_unref(q->meta);
    liq_mem_free(q);
  }
  pthread_mutex_destroy(&p->lock);
}

static liq_fill ins_fill(liq_source *s, liq_frame *f, int off, int len)
{
  inserter *p = liq_source_priv(s);
  pthread_mutex_lock(&p->lock);
  pending *q = p->head;
  if (q && q->new_track && liq_source_elapsed(s) > 0) {
    /* End the current track first (elapsed is 0 after that); the packet
     * opens the next one. */
    pthread_mutex_unlock(&p->lock);
    return (liq_fill){0, 1};
  }
  if (q) {
    p->head = NULL;
    p->tail = &p->head;
  }
  pthread_mutex_unlock(&p->lock);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  while (q) {
    pending *next = q->next;
    if (r.n > 0) {
      liq_frame_add_meta(f, off, q->meta);
      liq_meta_unref(q->meta);
      liq_mem_free(q);
    } else {
      /* Nothing to attach it to: keep it for the next fill. */
      pthread_mutex_lock(&p->lock);
      q->next = NULL;
      q->new_track = 0;
      *p->tail = q;
      p->tail = &q->next;
      pthread_mutex_unlock(&p->lock);
    }
    q = next;
  }
  return r;
}

static const liq_source_class insert_metadata_class = {
    .name = "insert_metadata",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(inserter),
    .init = ins_init,
    .uninit = ins_uninit,
    .fill = ins_fill,
};

liq_source *liq_op_insert_metadata(const char *id, liq_source *in, liq_sb *err)
{
  return liq_source_new(&insert_metadata_class, id, &in, 1, NULL, err);
}

int liq_insert_metadata(liq_source *s, liq_meta *m, int new_track)
{
  if (liq_source_get_class(s) != &insert_metadata_class) return -1;
  inserter *p = liq_source_priv(s);
  pending *q = liq_mem_calloc(1, sizeof *q);
  q->meta = liq_meta_ref(m);
  q->new_track = new_track;
  pthread_mutex_lock(&p->lock);
  *p->tail = q;
  p->tail = &q->next;
  pthread_mutex_unlock(&p->lock);
  return 0;
}

/* --- metadata.map ------------------------------------------------------------------ */

typedef struct mapper {
  liq_cb_meta_map fn;
  int update, strip, insert_missing;
  int track_start; /* the next fill starts a track */
} mapper;

typedef struct map_args {
  liq_cb_meta_map fn;
  int update, strip, insert_missing;
} map_args;

static int map_init(liq_source *s, const void *argp)
{
  const map_args *a = argp;
  mapper *p = liq_source_priv(s);
  p->fn = a->fn;
  p->update = a->update;
  p->strip = a->strip;
  p->insert_missing = a->insert_missing;
  p->track_start = 1;
  return 0;
}

static void map_uninit(liq_source *s)
{
  mapper *p = liq_source_priv(s);
  liq_cb_meta_map_release(&p->fn);
}

/* The packet that replaces `in`; NULL drops it. */
static liq_meta *apply(liq_source *s, mapper *p, const liq_meta *in)
{
  liq_meta *res = NULL;
  if (p->fn.fn(p->fn.ud, in, &res) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "metadata.map function failed; packet kept.");
    return liq_meta_copy(in);
  }
  if (!res) return NULL;
  liq_meta *out = p->update ? liq_meta_copy(in) : liq_meta_new();
  for (int i = 0; i < liq_meta_count(res); i++)
    liq_meta_set(out, liq_meta_key(res, i), liq_meta_value(res, i));
  liq_meta_unref(res);
  if (p->strip) {
    liq_meta *kept = liq_meta_new();
    for (int i = 0; i < liq_meta_count(out); i++)
      if (*liq_meta_value(out, i)) liq_meta_set(kept, liq_meta_key(out, i), liq_meta_value(out, i));
    liq_meta_unref(out);
    out = kept;
  }
  return out;
}

static liq_fill map_fill(liq_source *s, liq_frame *f, int off, int len)
{
  mapper *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  int i = liq_frame_meta_from(f, off);
  if (p->track_start && r.n > 0 && p->insert_missing && (i == f->n_meta || f->meta[i].pos != off)) {
    liq_meta *m = apply(s, p, liq_meta_empty());
    if (m && liq_meta_count(m) > 0) liq_frame_add_meta(f, off, m);
    liq_meta_unref(m);
    i = liq_frame_meta_from(f, off) + 1;
  }
  while (i < f->n_meta && f->meta[i].pos < off + r.n) {
    liq_meta *m = apply(s, p, f->meta[i].meta);
    if (!m) {
      liq_frame_remove_meta(f, i);
      continue;
    }
    liq_meta_unref(f->meta[i].meta);
    f->meta[i].meta = m;
    i++;
  }
  if (r.n > 0) p->track_start = 0;
  if (r.eot) p->track_start = 1;
  return r;
}

static const liq_source_class metadata_map_class = {
    .name = "metadata.map",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(mapper),
    .init = map_init,
    .uninit = map_uninit,
    .fill = map_fill,
};

liq_source *liq_op_metadata_map(const char *id, liq_cb_meta_map fn, int update, int strip,
                                int insert_missing, liq_source *in, liq_sb *err)
{
  map_args a = {fn, update, strip, insert_missing};
  return liq_source_new(&metadata_map_class, id, &in, 1, &a, err);
}

/* --- drop_metadata ------------------------------------------------------------------- */

static liq_fill drop_fill(liq_source *s, liq_frame *f, int off, int len)
{
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  int i = liq_frame_meta_from(f, off);
  while (i < f->n_meta && f->meta[i].pos < off + r.n) liq_frame_remove_meta(f, i);
  return r;
}

static const liq_source_class drop_metadata_class = {
    .name = "drop_metadata",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .fill = drop_fill,
};

liq_source *liq_op_drop_metadata(const char *id, liq_source *in, liq_sb *err)
{
  return liq_source_new(&drop_metadata_class, id, &in, 1, NULL, err);
}
