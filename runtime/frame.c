/* frame: frames, frame pools and metadata packets; see frame.h. */
#include "config.h"
#include "runtime/frame.h"

#include <pthread.h>
#include <string.h>

#include "runtime/mem.h"

static atomic_uint_fast64_t allocations;

uint64_t liq_frame_allocations(void) { return atomic_load(&allocations); }

static void count_allocation(void) { atomic_fetch_add(&allocations, 1); }

size_t liq_content_sample_size(liq_content_kind kind)
{
  switch (kind) {
  case LIQ_CONTENT_PCM:
  case LIQ_CONTENT_PCM_F32: return sizeof(float);
  case LIQ_CONTENT_PCM_S16: return sizeof(int16_t);
  }
  return sizeof(float);
}

const char *liq_content_name(liq_content_kind kind)
{
  switch (kind) {
  case LIQ_CONTENT_PCM: return "pcm";
  case LIQ_CONTENT_PCM_S16: return "pcm_s16";
  case LIQ_CONTENT_PCM_F32: return "pcm_f32";
  }
  return "?";
}

int liq_format_equal(liq_format a, liq_format b)
{
  return a.kind == b.kind && a.channels == b.channels && a.samplerate == b.samplerate;
}

/* --- Metadata ------------------------------------------------------------- */

struct liq_meta {
  atomic_int refs;
  int n, cap;
  char **kv; /* 2n strings: key0, value0, key1, value1... */
};

liq_meta *liq_meta_new(void)
{
  liq_meta *m = liq_mem_calloc(1, sizeof *m);
  atomic_init(&m->refs, 1);
  return m;
}

void liq_meta_set(liq_meta *m, const char *key, const char *value)
{
  for (int i = 0; i < m->n; i++)
    if (!strcmp(m->kv[2 * i], key)) {
      liq_mem_free(m->kv[2 * i + 1]);
      m->kv[2 * i + 1] = liq_mem_strdup(value);
      return;
    }
  if (m->n == m->cap) {
    m->cap = m->cap ? 2 * m->cap : 4;
    m->kv = liq_mem_realloc(m->kv, sizeof(char *) * 2 * (size_t)m->cap);
  }
  m->kv[2 * m->n] = liq_mem_strdup(key);
  m->kv[2 * m->n + 1] = liq_mem_strdup(value);
  m->n++;
}

const char *liq_meta_get(const liq_meta *m, const char *key)
{
  for (int i = 0; i < m->n; i++)
    if (!strcmp(m->kv[2 * i], key)) return m->kv[2 * i + 1];
  return NULL;
}

int liq_meta_count(const liq_meta *m) { return m->n; }
const char *liq_meta_key(const liq_meta *m, int i) { return m->kv[2 * i]; }
const char *liq_meta_value(const liq_meta *m, int i) { return m->kv[2 * i + 1]; }

liq_meta *liq_meta_copy(const liq_meta *m)
{
  liq_meta *c = liq_meta_new();
  for (int i = 0; i < m->n; i++) liq_meta_set(c, m->kv[2 * i], m->kv[2 * i + 1]);
  return c;
}

/* refs starts high enough that it never reaches zero. */
static liq_meta empty_meta = {1 << 30, 0, 0, NULL};

liq_meta *liq_meta_empty(void) { return &empty_meta; }

liq_meta *liq_meta_ref(liq_meta *m)
{
  atomic_fetch_add(&m->refs, 1);
  return m;
}

void liq_meta_unref(liq_meta *m)
{
  if (!m || atomic_fetch_sub(&m->refs, 1) != 1) return;
  for (int i = 0; i < 2 * m->n; i++) liq_mem_free(m->kv[i]);
  liq_mem_free(m->kv);
  liq_mem_free(m);
}

/* --- Pools ---------------------------------------------------------------- */

struct liq_pool {
  pthread_mutex_t lock;
  int frame_samples;
  liq_frame *free_list;
  liq_pool_stats stats;
  uint64_t serials; /* last serial handed out */
  int released; /* liq_pool_release was called; free when frames == 0 */
};

liq_pool *liq_pool_new(int frame_samples)
{
  liq_pool *p = liq_mem_calloc(1, sizeof *p);
  pthread_mutex_init(&p->lock, NULL);
  p->frame_samples = frame_samples;
  return p;
}

int liq_pool_frame_samples(const liq_pool *p) { return p->frame_samples; }

static void frame_destroy(liq_frame *f)
{
  liq_mem_free(f->planes[0]);
  liq_mem_free(f->marks);
  liq_mem_free(f->meta);
  liq_mem_free(f);
}

/* Called with the lock held; frees the pool once released and empty. */
static int pool_maybe_free(liq_pool *p)
{
  if (!p->released || p->stats.frames > 0) return 0;
  pthread_mutex_unlock(&p->lock);
  pthread_mutex_destroy(&p->lock);
  liq_mem_free(p);
  return 1;
}

static void pool_drop_free_frames(liq_pool *p)
{
  while (p->free_list) {
    liq_frame *f = p->free_list;
    p->free_list = f->next_free;
    p->stats.frames--;
    p->stats.frames_free--;
    p->stats.bytes -= (size_t)f->capacity * (size_t)f->fmt.channels *
                      liq_content_sample_size(f->fmt.kind);
    frame_destroy(f);
  }
}

void liq_pool_release(liq_pool *p)
{
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  p->released = 1;
  pool_drop_free_frames(p);
  if (!pool_maybe_free(p)) pthread_mutex_unlock(&p->lock);
}

void liq_pool_get_stats(liq_pool *p, liq_pool_stats *out)
{
  pthread_mutex_lock(&p->lock);
  *out = p->stats;
  pthread_mutex_unlock(&p->lock);
}

static liq_frame *frame_create(liq_pool *p, liq_format fmt)
{
  liq_frame *f = liq_mem_calloc(1, sizeof *f);
  size_t ss = liq_content_sample_size(fmt.kind);
  size_t plane = (size_t)p->frame_samples * ss;
  char *data = liq_mem_calloc((size_t)fmt.channels, plane);
  for (int c = 0; c < fmt.channels; c++) f->planes[c] = data + (size_t)c * plane;
  f->fmt = fmt;
  f->capacity = p->frame_samples;
  f->pool = p;
  /* Room for the common case (a couple of events per frame) up front. */
  f->cap_marks = 4;
  f->marks = liq_mem_alloc(sizeof(int) * (size_t)f->cap_marks);
  f->cap_meta = 4;
  f->meta = liq_mem_alloc(sizeof(liq_frame_meta) * (size_t)f->cap_meta);
  p->stats.allocations++;
  p->stats.frames++;
  p->stats.bytes += plane * (size_t)fmt.channels;
  count_allocation();
  return f;
}

liq_frame *liq_pool_acquire(liq_pool *p, liq_format fmt)
{
  pthread_mutex_lock(&p->lock);
  p->stats.acquires++;
  liq_frame **link = &p->free_list, *f = NULL;
  for (; *link; link = &(*link)->next_free)
    if (liq_format_equal((*link)->fmt, fmt)) {
      f = *link;
      *link = f->next_free;
      p->stats.frames_free--;
      break;
    }
  if (!f) f = frame_create(p, fmt);
  f->serial = ++p->serials;
  pthread_mutex_unlock(&p->lock);
  f->next_free = NULL;
  atomic_init(&f->refs, 1);
  return f;
}

liq_frame *liq_frame_ref(liq_frame *f)
{
  atomic_fetch_add(&f->refs, 1);
  return f;
}

void liq_frame_unref(liq_frame *f)
{
  if (!f || atomic_fetch_sub(&f->refs, 1) != 1) return;
  liq_frame_clear(f);
  liq_pool *p = f->pool;
  pthread_mutex_lock(&p->lock);
  if (p->released) {
    p->stats.frames--;
    frame_destroy(f);
    if (!pool_maybe_free(p)) pthread_mutex_unlock(&p->lock);
    return;
  }
  f->next_free = p->free_list;
  p->free_list = f;
  p->stats.frames_free++;
  pthread_mutex_unlock(&p->lock);
}

/* --- Frame contents -------------------------------------------------------- */

void liq_frame_clear(liq_frame *f)
{
  for (int i = 0; i < f->n_meta; i++) liq_meta_unref(f->meta[i].meta);
  f->n_meta = 0;
  f->n_marks = 0;
  f->len = 0;
}

void liq_frame_silence(liq_frame *f, int off, int n)
{
  size_t ss = liq_content_sample_size(f->fmt.kind);
  for (int c = 0; c < f->fmt.channels; c++)
    memset((char *)f->planes[c] + (size_t)off * ss, 0, (size_t)n * ss);
}

/* Float to s16 truncates toward zero after scaling by 32767, like
 * Liquidsoap 2.1.3's WAV writer, with saturation. */
static inline int16_t float_to_s16(float x)
{
  if (!(x > -1.f)) return -32767;
  if (x >= 1.f) return 32767;
  return (int16_t)(x * 32767.f);
}

void liq_frame_blit(liq_frame *dst, int doff, const liq_frame *src, int soff, int n)
{
  if (n <= 0) return;
  int same = liq_content_sample_size(dst->fmt.kind) == liq_content_sample_size(src->fmt.kind);
  for (int c = 0; c < dst->fmt.channels; c++) {
    if (same) {
      size_t ss = liq_content_sample_size(dst->fmt.kind);
      memmove((char *)dst->planes[c] + (size_t)doff * ss,
              (const char *)src->planes[c] + (size_t)soff * ss, (size_t)n * ss);
    } else if (dst->fmt.kind == LIQ_CONTENT_PCM_S16) {
      const float *s = (const float *)src->planes[c] + soff;
      int16_t *d = (int16_t *)dst->planes[c] + doff;
      for (int i = 0; i < n; i++) d[i] = float_to_s16(s[i]);
    } else {
      const int16_t *s = (const int16_t *)src->planes[c] + soff;
      float *d = (float *)dst->planes[c] + doff;
      for (int i = 0; i < n; i++) d[i] = (float)s[i] / 32767.f;
    }
  }
  for (int i = liq_frame_meta_from(src, soff); i < src->n_meta && src->meta[i].pos < soff + n; i++)
    liq_frame_add_meta(dst, doff + src->meta[i].pos - soff, src->meta[i].meta);
}

void liq_frame_add_mark(liq_frame *f, int pos)
{
  int i = f->n_marks;
  while (i > 0 && f->marks[i - 1] > pos) i--;
  if (i > 0 && f->marks[i - 1] == pos) return;
  if (f->n_marks == f->cap_marks) {
    f->cap_marks *= 2;
    f->marks = liq_mem_realloc(f->marks, sizeof(int) * (size_t)f->cap_marks);
    count_allocation();
  }
  memmove(f->marks + i + 1, f->marks + i, sizeof(int) * (size_t)(f->n_marks - i));
  f->marks[i] = pos;
  f->n_marks++;
}

void liq_frame_drop_mark(liq_frame *f, int pos)
{
  for (int i = 0; i < f->n_marks; i++)
    if (f->marks[i] == pos) {
      memmove(f->marks + i, f->marks + i + 1, sizeof(int) * (size_t)(f->n_marks - i - 1));
      f->n_marks--;
      return;
    }
}

void liq_frame_remove_meta(liq_frame *f, int i)
{
  liq_meta_unref(f->meta[i].meta);
  memmove(f->meta + i, f->meta + i + 1, sizeof(liq_frame_meta) * (size_t)(f->n_meta - i - 1));
  f->n_meta--;
}

void liq_frame_add_meta(liq_frame *f, int pos, liq_meta *m)
{
  int i = f->n_meta;
  while (i > 0 && f->meta[i - 1].pos > pos) i--;
  if (f->n_meta == f->cap_meta) {
    f->cap_meta *= 2;
    f->meta = liq_mem_realloc(f->meta, sizeof(liq_frame_meta) * (size_t)f->cap_meta);
    count_allocation();
  }
  memmove(f->meta + i + 1, f->meta + i, sizeof(liq_frame_meta) * (size_t)(f->n_meta - i));
  f->meta[i].pos = pos;
  f->meta[i].meta = liq_meta_ref(m);
  f->n_meta++;
}

int liq_frame_meta_from(const liq_frame *f, int pos)
{
  int i = 0;
  while (i < f->n_meta && f->meta[i].pos < pos) i++;
  return i;
}
