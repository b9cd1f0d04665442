/* source: the generic part of every operator (life cycle, the get wrapper
 * with caching, track and metadata hooks, callbacks); see source.h. */
#include "config.h"
#include "runtime/source.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"

/* One produced stretch of the memo: [start, end), eot if the track ended. */
typedef struct memo_seg {
  int start, end, eot;
} memo_seg;

/* Where a consumer (the frame it fills, by serial) stands in the memo this
 * cycle. Pointers would not do: an output may release its frame and another
 * output get the same one back within a cycle. */
typedef struct memo_cursor {
  uint64_t serial;
  int seg;
} memo_cursor;

/* Track and metadata hooks in one list, by level. 2.1.3's function forms
 * (source.on_track(s, f)) wrap s in a new operator whose hooks run after
 * s's, while the methods (s.on_track(f)) hook s itself, where the
 * metadata hooks run before the track hooks. A level is one such
 * operator: hooks run level by level; within one, the operator's own hook
 * (the function form's, the first of every level but 0) first, then the
 * methods' metadata hooks, then their track hooks (measured on 2.1.3). */
typedef struct hook {
  liq_cb_meta cb;
  int on_track; /* else on_metadata */
  int level;
} hook;

typedef struct hook_list {
  hook *hooks;
  int n;
} hook_list;

struct liq_source {
  const liq_source_class *cls;
  atomic_int refs;
  char *id;
  liq_format fmt;
  liq_source **inputs;
  int n_inputs;
  int n_consumers; /* sources and clocks that pull from this one */
  liq_clock *clock;
  int awake;
  char *error; /* set by liq_source_set_error during init */

  /* Track state, maintained by the get wrapper. */
  int new_track; /* the next data starts a track */
  int64_t elapsed;
  liq_meta *last_meta;
  hook_list hooks;
  int hook_level; /* the level new hooks join (liq_source_new_hook_level) */

  /* Caching for several consumers. The arrays keep their capacity across
   * cycles, so steady state allocates nothing. */
  liq_frame *memo;
  int memo_pos; /* end of the last segment; -1 when empty */
  memo_seg *segs;
  int n_segs, cap_segs;
  memo_cursor *cursors;
  int n_cursors, cap_cursors;

  /* Private state follows, max-aligned. */
  _Alignas(max_align_t) unsigned char priv[];
};

/* --- Callbacks ------------------------------------------------------------ */

static const char *label(liq_source *s) { return s ? s->id : "callback"; }

double liq_getter_float_get(liq_getter_float *g, liq_source *s)
{
  if (!g->fn) return g->constant;
  double v;
  if (g->fn(g->ud, &v) != 0) {
    liq_log(LIQ_LOG_SEVERE, label(s), "Getter failed, keeping its last value %g.", g->constant);
    return g->constant;
  }
  g->constant = v;
  return v;
}

int liq_getter_bool_get(liq_getter_bool *g, liq_source *s)
{
  if (!g->fn) return g->constant;
  int v;
  if (g->fn(g->ud, &v) != 0) {
    liq_log(LIQ_LOG_SEVERE, label(s), "Predicate failed, taking it as false.");
    return 0;
  }
  g->constant = v;
  return v;
}

void liq_cb_void_call(liq_cb_void *cb, liq_source *s, const char *what)
{
  if (cb->fn && cb->fn(cb->ud) != 0)
    liq_log(LIQ_LOG_SEVERE, label(s), "Callback %s failed.", what);
}

void liq_cb_meta_call(liq_cb_meta *cb, liq_source *s, const liq_meta *m, const char *what)
{
  if (cb->fn && cb->fn(cb->ud, m) != 0)
    liq_log(LIQ_LOG_SEVERE, label(s), "Callback %s failed.", what);
}

void liq_cb_string_call(liq_cb_string *cb, liq_source *s, const char *str, const char *what)
{
  if (cb->fn && cb->fn(cb->ud, str) != 0)
    liq_log(LIQ_LOG_SEVERE, label(s), "Callback %s failed.", what);
}

#define RELEASE(cb)                                  \
  do {                                               \
    if ((cb)->release) (cb)->release((cb)->ud);      \
    (cb)->release = NULL;                            \
    (cb)->fn = NULL;                                 \
  } while (0)

void liq_getter_float_release(liq_getter_float *g) { RELEASE(g); }
void liq_getter_bool_release(liq_getter_bool *g) { RELEASE(g); }
void liq_cb_void_release(liq_cb_void *cb) { RELEASE(cb); }
void liq_cb_meta_release(liq_cb_meta *cb) { RELEASE(cb); }
void liq_cb_string_release(liq_cb_string *cb) { RELEASE(cb); }
void liq_cb_meta_map_release(liq_cb_meta_map *cb) { RELEASE(cb); }

/* --- Ids ------------------------------------------------------------------ */

/* "<name>" for the first source of a class, then "<name>.1", "<name>.2"... */
typedef struct id_counter {
  const char *name;
  int count;
  struct id_counter *next;
} id_counter;

static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static id_counter *id_counters;

static char *fresh_id(const char *name)
{
  pthread_mutex_lock(&id_lock);
  id_counter *c = id_counters;
  while (c && strcmp(c->name, name)) c = c->next;
  if (!c) {
    c = liq_mem_calloc(1, sizeof *c);
    c->name = name;
    c->next = id_counters;
    id_counters = c;
  }
  int n = c->count++;
  pthread_mutex_unlock(&id_lock);
  liq_sb sb = LIQ_SB_INIT;
  if (n == 0)
    liq_sb_puts(&sb, name);
  else
    liq_sb_printf(&sb, "%s.%d", name, n);
  return liq_sb_take(&sb);
}

/* --- Life cycle ------------------------------------------------------------ */

static void source_free(liq_source *s)
{
  if (s->cls->uninit) s->cls->uninit(s);
  if (s->clock) liq_clock_unregister(s->clock, s);
  for (int i = 0; i < s->n_inputs; i++) {
    s->inputs[i]->n_consumers--;
    liq_source_unref(s->inputs[i]);
  }
  for (int i = 0; i < s->hooks.n; i++) liq_cb_meta_release(&s->hooks.hooks[i].cb);
  liq_mem_free(s->hooks.hooks);
  liq_meta_unref(s->last_meta);
  liq_frame_unref(s->memo);
  liq_mem_free(s->segs);
  liq_mem_free(s->cursors);
  liq_mem_free(s->inputs);
  liq_mem_free(s->error);
  liq_mem_free(s->id);
  liq_mem_free(s);
}

liq_source *liq_source_new(const liq_source_class *cls, const char *id,
                           liq_source *const *inputs, int n_inputs,
                           const void *args, liq_sb *err)
{
  liq_source *s = liq_mem_calloc(1, sizeof *s + cls->priv_size);
  s->cls = cls;
  atomic_init(&s->refs, 1);
  s->id = id ? liq_mem_strdup(id) : fresh_id(cls->name);
  s->new_track = 1;
  s->memo_pos = -1;
  const liq_stream_settings *st = liq_stream_get();
  s->fmt = (liq_format){LIQ_CONTENT_PCM, st->channels, st->samplerate};
  if (n_inputs > 0) {
    s->inputs = liq_mem_alloc(sizeof(liq_source *) * (size_t)n_inputs);
    for (int i = 0; i < n_inputs; i++) {
      s->inputs[i] = liq_source_ref(inputs[i]);
      s->inputs[i]->n_consumers++;
    }
    s->n_inputs = n_inputs;
    s->fmt = inputs[0]->fmt;
  }
  if (cls->init && cls->init(s, args) != 0) {
    if (err) liq_sb_printf(err, "%s: %s", s->id, s->error ? s->error : "initialization failed");
    source_free(s);
    return NULL;
  }
  return s;
}

liq_source *liq_source_ref(liq_source *s)
{
  atomic_fetch_add(&s->refs, 1);
  return s;
}

void liq_source_unref(liq_source *s)
{
  if (s && atomic_fetch_sub(&s->refs, 1) == 1) source_free(s);
}

int liq_source_set_error(liq_source *s, const char *fmt, ...)
{
  liq_sb sb = LIQ_SB_INIT;
  va_list ap;
  va_start(ap, fmt);
  liq_sb_vprintf(&sb, fmt, ap);
  va_end(ap);
  liq_mem_free(s->error);
  s->error = liq_sb_take(&sb);
  return -1;
}

/* --- Accessors -------------------------------------------------------------- */

void *liq_source_priv(liq_source *s) { return s->priv; }
const liq_source_class *liq_source_get_class(const liq_source *s) { return s->cls; }
const char *liq_source_id(const liq_source *s) { return s->id; }
int liq_source_n_inputs(const liq_source *s) { return s->n_inputs; }
liq_source *liq_source_input(const liq_source *s, int i) { return s->inputs[i]; }
liq_clock *liq_source_clock(const liq_source *s) { return s->clock; }
liq_format liq_source_format(const liq_source *s) { return s->fmt; }
/* Added for the channel operators (mean, audio_to_stereo), whose format is
 * not their input's; only meaningful during init, before any consumer
 * looked at the format. */
void liq_source_set_format(liq_source *s, liq_format fmt) { s->fmt = fmt; }
liq_pool *liq_source_pool(const liq_source *s) { return s->clock ? liq_clock_pool(s->clock) : NULL; }
int liq_source_frame_samples(const liq_source *s)
{
  return s->clock ? liq_clock_frame_samples(s->clock) : liq_stream_frame_samples();
}
int liq_source_samplerate(const liq_source *s) { return s->fmt.samplerate; }
int64_t liq_source_elapsed(const liq_source *s) { return s->elapsed; }
const liq_meta *liq_source_last_metadata(const liq_source *s) { return s->last_meta; }

int liq_source_fallible(liq_source *s)
{
  switch (s->cls->fallibility) {
  case LIQ_FALLIBLE_NEVER: return 0;
  case LIQ_FALLIBLE_ALWAYS: return 1;
  case LIQ_FALLIBLE_ANY_INPUT:
    for (int i = 0; i < s->n_inputs; i++)
      if (liq_source_fallible(s->inputs[i])) return 1;
    return 0;
  case LIQ_FALLIBLE_ALL_INPUTS:
    for (int i = 0; i < s->n_inputs; i++)
      if (!liq_source_fallible(s->inputs[i])) return 0;
    return 1;
  case LIQ_FALLIBLE_LAST_INPUT:
    return s->n_inputs == 0 || liq_source_fallible(s->inputs[s->n_inputs - 1]);
  case LIQ_FALLIBLE_CUSTOM: return s->cls->fallible(s);
  }
  return 1;
}

int liq_source_check_fallible(liq_source *input, int allow_fallible, liq_sb *err)
{
  if (allow_fallible || !liq_source_fallible(input)) return 0;
  if (err)
    liq_sb_printf(err,
                  "Invalid value: That source is fallible: %s may stop producing data, "
                  "and an output needs a source that never fails. Pass fallible=true "
                  "to the output, or make the source infallible with mksafe().",
                  input->id);
  return -1;
}

/* --- Hooks ------------------------------------------------------------------ */

static void hook_add(liq_source *s, liq_cb_meta cb, int on_track)
{
  hook_list *l = &s->hooks;
  l->hooks = liq_mem_realloc(l->hooks, sizeof(hook) * (size_t)(l->n + 1));
  l->hooks[l->n++] = (hook){cb, on_track, s->hook_level};
}

void liq_source_on_track(liq_source *s, liq_cb_meta cb) { hook_add(s, cb, 1); }
void liq_source_on_metadata(liq_source *s, liq_cb_meta cb) { hook_add(s, cb, 0); }

void liq_source_new_hook_level(liq_source *s) { s->hook_level++; }

/* --- Streaming ---------------------------------------------------------------- */

/* Readiness as the class sees it, ignoring the memo. */
static int class_ready(liq_source *s)
{
  /* Nothing pulls from an output. */
  if (s->cls->type == LIQ_SOURCE_OUTPUT) return 0;
  if (s->cls->is_ready) return s->cls->is_ready(s);
  return s->n_inputs == 0 || liq_source_is_ready(s->inputs[0]);
}

int liq_source_is_ready(liq_source *s)
{
  /* A cached source that produced this cycle stays ready for its other
   * consumers: the memo may still hold data they have not read. */
  return s->n_segs > 0 || class_ready(s);
}

int64_t liq_source_remaining(liq_source *s)
{
  if (s->cls->remaining) return s->cls->remaining(s);
  return s->n_inputs ? liq_source_remaining(s->inputs[0]) : -1;
}

void liq_source_abort_track(liq_source *s)
{
  if (s->cls->abort_track) {
    s->cls->abort_track(s);
    return;
  }
  for (int i = 0; i < s->n_inputs; i++) liq_source_abort_track(s->inputs[i]);
}

int64_t liq_source_seek(liq_source *s, int64_t samples)
{
  if (s->cls->seek) return s->cls->seek(s, samples);
  return s->n_inputs ? liq_source_seek(s->inputs[0], samples) : 0;
}

/* Runs the track hooks (track) and the metadata hooks (packet: m is a
 * metadata packet), level by level. A hook registered by a hook runs from
 * the next packet or track on. */
static void run_hooks(liq_source *s, const liq_meta *m, int track, int packet)
{
  int n = s->hooks.n;
  for (int start = 0, end; start < n; start = end) {
    int level = s->hooks.hooks[start].level;
    for (end = start; end < n && s->hooks.hooks[end].level == level;) end++;
    for (int pass = 0; pass < 3; pass++) /* own, metadata, track */
      for (int k = start; k < end; k++) {
        hook *h = &s->hooks.hooks[k];
        int own = k == start && level > 0;
        int in_pass = pass == 0 ? own : !own && h->on_track == pass - 1;
        if (in_pass && (h->on_track ? track : packet))
          liq_cb_meta_call(&h->cb, s, m, h->on_track ? "on_track" : "on_metadata");
      }
  }
}

static void set_last_meta(liq_source *s, liq_meta *m)
{
  liq_meta_unref(s->last_meta);
  s->last_meta = m ? liq_meta_ref(m) : NULL;
}

/* Runs the class's fill and keeps the track state; fires the hooks. */
static liq_fill produce(liq_source *s, liq_frame *f, int off, int len)
{
  /* Sources without fill (outputs, source.fail) are never ready. */
  liq_fill r = s->cls->fill ? s->cls->fill(s, f, off, len) : (liq_fill){0, 1};
  if (r.n < len) r.eot = 1;
  int first = liq_frame_meta_from(f, off);
  int last = first;
  while (last < f->n_meta && f->meta[last].pos < off + r.n) last++;
  int i = first;
  if (s->new_track && (r.n > 0 || last > first)) {
    s->new_track = 0;
    set_last_meta(s, NULL);
    /* The track's first packet goes with its track hooks. */
    int packet = last > first && f->meta[first].pos == off;
    if (packet) set_last_meta(s, f->meta[i++].meta);
    run_hooks(s, packet ? f->meta[first].meta : liq_meta_empty(), 1, packet);
  }
  for (; i < last; i++) {
    set_last_meta(s, f->meta[i].meta);
    run_hooks(s, f->meta[i].meta, 0, 1);
  }
  s->elapsed += r.n;
  if (r.eot) {
    s->new_track = 1;
    s->elapsed = 0;
  }
  return r;
}

static memo_cursor *cursor_for(liq_source *s, const liq_frame *f)
{
  for (int i = 0; i < s->n_cursors; i++)
    if (s->cursors[i].serial == f->serial) return &s->cursors[i];
  if (s->n_cursors == s->cap_cursors) {
    s->cap_cursors = s->cap_cursors ? 2 * s->cap_cursors : 4;
    s->cursors = liq_mem_realloc(s->cursors, sizeof(memo_cursor) * (size_t)s->cap_cursors);
  }
  memo_cursor *c = &s->cursors[s->n_cursors++];
  c->serial = f->serial;
  c->seg = 0;
  return c;
}

/* Produces one more segment into the memo, starting at `pos` or after the
 * last segment. Returns 0 when the source is not ready. */
static int memo_extend(liq_source *s, int pos)
{
  if (!class_ready(s)) return 0;
  if (!s->memo) s->memo = liq_pool_acquire(liq_source_pool(s), s->fmt);
  int start = s->memo_pos > pos ? s->memo_pos : pos;
  if (start >= s->memo->capacity) return 0;
  liq_fill r = produce(s, s->memo, start, s->memo->capacity - start);
  if (s->n_segs == s->cap_segs) {
    s->cap_segs = s->cap_segs ? 2 * s->cap_segs : 4;
    s->segs = liq_mem_realloc(s->segs, sizeof(memo_seg) * (size_t)s->cap_segs);
  }
  s->segs[s->n_segs++] = (memo_seg){start, start + r.n, r.eot};
  s->memo_pos = start + r.n;
  return 1;
}

/* The cached path: copy from the memo, extending it as needed. */
static liq_fill cached_get(liq_source *s, liq_frame *f, int off, int len)
{
  memo_cursor *cur = cursor_for(s, f);
  liq_fill r = {0, 0};
  while (r.n < len) {
    int pos = off + r.n;
    int k = cur->seg;
    while (k < s->n_segs && s->segs[k].end <= pos &&
           !(s->segs[k].start == pos && s->segs[k].end == pos))
      k++;
    if (k == s->n_segs) {
      /* Nothing left for this consumer: the cursor may sit past segments
       * that cover pos (it consumed them), so produce from pos onwards. */
      cur->seg = k;
      if (!memo_extend(s, pos)) break;
      continue;
    }
    memo_seg sg = s->segs[k];
    if (sg.start > pos) {
      /* This consumer asks for time before the memo began (another consumer
       * pulled first, later in the frame): that span was not computed. */
      int n = (sg.start < off + len ? sg.start : off + len) - pos;
      liq_frame_silence(f, pos, n);
      r.n += n;
      continue;
    }
    int end = sg.end < off + len ? sg.end : off + len;
    liq_frame_blit(f, pos, s->memo, pos, end - pos);
    r.n += end - pos;
    cur->seg = end == sg.end ? k + 1 : k;
    if (end == sg.end && sg.eot) {
      r.eot = 1;
      break;
    }
  }
  return r;
}

liq_fill liq_source_get(liq_source *s, liq_frame *f, int off, int len)
{
  liq_fill r = s->n_consumers > 1 ? cached_get(s, f, off, len) : produce(s, f, off, len);
  if (r.n < len) r.eot = 1;
  if (r.eot) liq_frame_add_mark(f, off + r.n);
  return r;
}

liq_fill liq_source_pull(liq_source *in, liq_frame *f, int off, int len, liq_pull_tracks tracks)
{
  int pos = off, end = off + len, empty = 0, eot = 0;
  while (pos < end && empty < LIQ_MAX_EMPTY_TRACKS && liq_source_is_ready(in)) {
    /* The input goes on after its track end: merging drops the end only
     * now, so that the one where the input stops stays. */
    if (eot && tracks == LIQ_PULL_MERGE) liq_frame_drop_mark(f, pos);
    liq_fill r = liq_source_get(in, f, pos, end - pos);
    pos += r.n;
    empty = r.n == 0 ? empty + 1 : 0;
    eot = r.eot;
    if (eot && tracks == LIQ_PULL_DROP) {
      liq_frame_drop_mark(f, pos);
      eot = 0;
    }
  }
  if (eot && tracks == LIQ_PULL_MERGE && pos == end && liq_source_is_ready(in)) {
    liq_frame_drop_mark(f, pos);
    eot = 0;
  }
  return (liq_fill){pos - off, eot};
}

/* --- Clock side ------------------------------------------------------------------ */

int liq_source_attach(liq_source *s, liq_clock *c, liq_sb *err)
{
  if (s->clock == c) return 0;
  if (s->clock) {
    if (err)
      liq_sb_printf(err, "A source cannot belong to two clocks: %s is in clock %s, not %s.",
                    s->id, liq_clock_id(s->clock), liq_clock_id(c));
    return -1;
  }
  if (liq_stream_frame_samples() != liq_clock_frame_samples(c)) {
    if (err) liq_sb_printf(err, "%s: frame size changed after the source was created.", s->id);
    return -1;
  }
  s->clock = c;
  liq_clock_register(c, s);
  for (int i = 0; i < s->n_inputs; i++)
    if (liq_source_attach(s->inputs[i], c, err) != 0) return -1;
  return 0;
}

void liq_source_wake_up(liq_source *s)
{
  if (s->awake) return;
  s->awake = 1;
  if (s->cls->wake_up) s->cls->wake_up(s);
}

void liq_source_sleep(liq_source *s)
{
  if (!s->awake) return;
  s->awake = 0;
  if (s->cls->sleep) s->cls->sleep(s);
}

void liq_source_animate(liq_source *s)
{
  if (s->cls->animate) s->cls->animate(s);
}

void liq_source_end_cycle(liq_source *s)
{
  if (s->memo) liq_frame_clear(s->memo);
  s->memo_pos = -1;
  s->n_segs = 0;
  s->n_cursors = 0;
}

void liq_source_detach(liq_source *s)
{
  liq_frame_unref(s->memo);
  s->memo = NULL;
  s->clock = NULL;
}
