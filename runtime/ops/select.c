/* select: rotate, random and source.dynamic, the selectors that are not
 * predicate-driven (switch.c has switch/fallback).
 *
 * rotate and random choose a ready child at each track boundary. rotate
 * plays weights[i] tracks of child i (if it stays ready) before moving to
 * the next ready child, in order; random picks among the ready children
 * with probability proportional to their weights (default 1; a weight <= 0
 * plays only when no other child is ready, as in 2.1.3). A child that stops being ready mid-track ends the track.
 * With replay_metadata, joining a child mid-track re-sends its last
 * metadata. Infallible iff some child is (as in 2.1.3). Transitions
 * between the children: transition.c (the child left has always ended its
 * track here).
 *
 * source.dynamic plays the source returned by a callback, asked once per
 * clock cycle (track_sensitive=false, the default) or only at track
 * boundaries; NULL keeps the current one. A new source is attached to the
 * clock when first selected; replacing the current source mid-track ends
 * its track. Fallible unless created with infallible=true (unchecked, as
 * in 2.1.3). */
#include "config.h"

#include <stdint.h>
#include <time.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

typedef struct sel {
  int random;
  liq_getter_float *weights; /* n entries */
  int replay_metadata;
  int selected;              /* -1: a selection is due */
  int idx, count;            /* rotate: current child and tracks played */
  int prev;                  /* the child played before, -1 if none */
  uint64_t rng;
  liq_trans tr;
} sel;

typedef struct sel_args {
  int random;
  const liq_getter_float *weights;
  int n_weights;
  int replay_metadata;
  const liq_transitions *tr;
} sel_args;

static int sel_init(liq_source *s, const void *argp)
{
  const sel_args *a = argp;
  sel *p = liq_source_priv(s);
  int n = liq_source_n_inputs(s);
  p->random = a->random;
  p->replay_metadata = a->replay_metadata;
  liq_trans_init(&p->tr, a->tr);
  p->selected = p->prev = -1;
  p->weights = liq_mem_alloc(sizeof(liq_getter_float) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++)
    p->weights[i] = a->weights && i < a->n_weights ? a->weights[i] : LIQ_FLOAT(1);
  p->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)s ^ 0xD1B54A32D192ED03ull;
  if (!p->rng) p->rng = 1;
  if (n == 0) return liq_source_set_error(s, "needs at least one source");
  return 0;
}

static void sel_uninit(liq_source *s)
{
  sel *p = liq_source_priv(s);
  if (p->weights)
    for (int i = 0; i < liq_source_n_inputs(s); i++) liq_getter_float_release(&p->weights[i]);
  liq_mem_free(p->weights);
  liq_trans_release(&p->tr);
}

static int any_ready(liq_source *s)
{
  for (int i = 0; i < liq_source_n_inputs(s); i++)
    if (liq_source_is_ready(liq_source_input(s, i))) return 1;
  return 0;
}

static int sel_ready(liq_source *s)
{
  sel *p = liq_source_priv(s);
  if (p->selected >= 0 && liq_trans_ready(&p->tr, liq_source_input(s, p->selected))) return 1;
  return any_ready(s);
}

static double uniform(sel *p)
{
  p->rng ^= p->rng >> 12;
  p->rng ^= p->rng << 25;
  p->rng ^= p->rng >> 27;
  return (double)((p->rng * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}

static int pick(liq_source *s, sel *p)
{
  int n = liq_source_n_inputs(s);
  if (p->random) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      double w = liq_getter_float_get(&p->weights[i], s);
      if (w > 0 && liq_source_is_ready(liq_source_input(s, i))) total += w;
    }
    if (total <= 0) {
      /* Only children weighted 0 are ready: 2.1.3 plays the first one. */
      for (int i = 0; i < n; i++)
        if (liq_source_is_ready(liq_source_input(s, i))) return i;
      return -1;
    }
    double x = uniform(p) * total;
    int last = -1;
    for (int i = 0; i < n; i++) {
      double w = liq_getter_float_get(&p->weights[i], s);
      if (w <= 0 || !liq_source_is_ready(liq_source_input(s, i))) continue;
      last = i;
      if (x < w) return i;
      x -= w;
    }
    return last;
  }
  /* rotate: more tracks from the current child, or the next ready one. */
  if (p->count < (int)liq_getter_float_get(&p->weights[p->idx], s) &&
      liq_source_is_ready(liq_source_input(s, p->idx))) {
    p->count++;
    return p->idx;
  }
  for (int k = 1; k <= n; k++) {
    int i = (p->idx + k) % n;
    if (liq_getter_float_get(&p->weights[i], s) >= 1 && liq_source_is_ready(liq_source_input(s, i))) {
      p->idx = i;
      p->count = 1;
      return i;
    }
  }
  return -1;
}

static liq_fill sel_fill(liq_source *s, liq_frame *f, int off, int len)
{
  sel *p = liq_source_priv(s);
  if (p->selected >= 0 && !liq_trans_ready(&p->tr, liq_source_input(s, p->selected))) {
    p->prev = p->selected;
    p->selected = -1;
    return (liq_fill){0, 1};
  }
  if (p->selected < 0) {
    p->selected = pick(s, p);
    if (p->selected < 0) return (liq_fill){0, 1};
    liq_source *src = liq_source_input(s, p->selected);
    /* Joining a child mid-track: replay what the listener missed. */
    const liq_meta *replay =
        p->replay_metadata && liq_source_elapsed(src) > 0 ? liq_source_last_metadata(src) : NULL;
    liq_trans_start(&p->tr, s, p->selected, p->prev >= 0 ? liq_source_input(s, p->prev) : NULL, 0,
                    src, replay);
  }
  liq_fill r = liq_trans_fill(&p->tr, liq_source_input(s, p->selected), f, off, len);
  if (r.eot) {
    p->prev = p->selected;
    p->selected = -1;
  }
  return r;
}

static int64_t sel_remaining(liq_source *s)
{
  sel *p = liq_source_priv(s);
  return p->selected >= 0
             ? liq_source_remaining(liq_trans_current(&p->tr, liq_source_input(s, p->selected)))
             : -1;
}

static void sel_abort_track(liq_source *s)
{
  sel *p = liq_source_priv(s);
  if (p->selected >= 0)
    liq_source_abort_track(liq_trans_current(&p->tr, liq_source_input(s, p->selected)));
}

static const liq_source_class rotate_class = {
    .name = "rotate",
    .fallibility = LIQ_FALLIBLE_ALL_INPUTS,
    .priv_size = sizeof(sel),
    .init = sel_init,
    .uninit = sel_uninit,
    .is_ready = sel_ready,
    .fill = sel_fill,
    .remaining = sel_remaining,
    .abort_track = sel_abort_track,
};

static const liq_source_class random_class = {
    .name = "random",
    .fallibility = LIQ_FALLIBLE_ALL_INPUTS,
    .priv_size = sizeof(sel),
    .init = sel_init,
    .uninit = sel_uninit,
    .is_ready = sel_ready,
    .fill = sel_fill,
    .remaining = sel_remaining,
    .abort_track = sel_abort_track,
};

liq_source *liq_op_rotate(const char *id, liq_source *const *in, int n,
                          const liq_getter_float *weights, int n_weights, int replay_metadata,
                          const liq_transitions *tr, liq_sb *err)
{
  sel_args a = {0, weights, n_weights, replay_metadata, tr};
  return liq_source_new(&rotate_class, id, in, n, &a, err);
}

liq_source *liq_op_random(const char *id, liq_source *const *in, int n,
                          const liq_getter_float *weights, int n_weights, int replay_metadata,
                          const liq_transitions *tr, liq_sb *err)
{
  sel_args a = {1, weights, n_weights, replay_metadata, tr};
  return liq_source_new(&random_class, id, in, n, &a, err);
}

/* --- source.dynamic ----------------------------------------------------------------- */

typedef struct dyn {
  liq_cb_source fn;
  int track_sensitive, infallible;
  liq_source *cur;     /* one reference */
  int boundary;        /* at a track boundary (or before the first track) */
  int64_t asked_tick;  /* the cycle fn was last called in */
} dyn;

typedef struct dyn_args {
  liq_cb_source fn;
  liq_source *init;
  int track_sensitive, infallible;
} dyn_args;

static int dyn_init(liq_source *s, const void *argp)
{
  const dyn_args *a = argp;
  dyn *p = liq_source_priv(s);
  p->fn = a->fn;
  p->track_sensitive = a->track_sensitive;
  p->infallible = a->infallible;
  p->boundary = 1;
  p->asked_tick = -1;
  if (a->init) p->cur = liq_source_ref(a->init);
  return 0;
}

static void dyn_uninit(liq_source *s)
{
  dyn *p = liq_source_priv(s);
  if (p->fn.release) p->fn.release(p->fn.ud);
  liq_source_unref(p->cur);
}

static int dyn_fallible(liq_source *s) { return !((dyn *)liq_source_priv(s))->infallible; }

/* Attaches `next` to our clock; takes over the caller's reference. */
static int dyn_adopt(liq_source *s, dyn *p, liq_source *next)
{
  liq_sb err = LIQ_SB_INIT;
  if (liq_source_clock(s) && liq_source_attach(next, liq_source_clock(s), &err) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "source.dynamic: %s", liq_sb_str(&err));
    liq_sb_free(&err);
    liq_source_unref(next);
    return 0;
  }
  liq_sb_free(&err);
  liq_source_unref(p->cur);
  p->cur = next;
  return 1;
}

/* Returns 1 if the current source changed. */
static int dyn_update(liq_source *s, dyn *p)
{
  if (!p->fn.fn || (p->track_sensitive && !p->boundary && p->cur)) return 0;
  liq_clock *c = liq_source_clock(s);
  int64_t tick = c ? liq_clock_ticks(c) : -1;
  if (c && tick == p->asked_tick) return 0;
  p->asked_tick = tick;
  liq_source *next = NULL;
  if (p->fn.fn(p->fn.ud, &next) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "source.dynamic: callback failed.");
    return 0;
  }
  if (!next) return 0;
  if (next == p->cur) {
    liq_source_unref(next);
    return 0;
  }
  return dyn_adopt(s, p, next);
}

static int dyn_ready(liq_source *s)
{
  dyn *p = liq_source_priv(s);
  if (p->cur && !liq_source_clock(p->cur) && liq_source_clock(s)) {
    /* The initial source: attach it on first use. */
    liq_source *cur = liq_source_ref(p->cur);
    dyn_adopt(s, p, cur);
  }
  dyn_update(s, p);
  return p->cur && liq_source_is_ready(p->cur);
}

static liq_fill dyn_fill(liq_source *s, liq_frame *f, int off, int len)
{
  dyn *p = liq_source_priv(s);
  liq_source *before = p->cur;
  if (dyn_update(s, p) && before && !p->boundary) {
    /* Switched mid-track: end ours here. */
    p->boundary = 1;
    return (liq_fill){0, 1};
  }
  if (!p->cur || !liq_source_is_ready(p->cur)) return (liq_fill){0, 1};
  liq_fill r = liq_source_get(p->cur, f, off, len);
  p->boundary = r.eot;
  return r;
}

static int64_t dyn_remaining(liq_source *s)
{
  dyn *p = liq_source_priv(s);
  return p->cur ? liq_source_remaining(p->cur) : -1;
}

static void dyn_abort_track(liq_source *s)
{
  dyn *p = liq_source_priv(s);
  if (p->cur) liq_source_abort_track(p->cur);
}

static const liq_source_class dynamic_class = {
    .name = "source.dynamic",
    .fallibility = LIQ_FALLIBLE_CUSTOM,
    .priv_size = sizeof(dyn),
    .fallible = dyn_fallible,
    .init = dyn_init,
    .uninit = dyn_uninit,
    .is_ready = dyn_ready,
    .fill = dyn_fill,
    .remaining = dyn_remaining,
    .abort_track = dyn_abort_track,
};

liq_source *liq_op_source_dynamic(const char *id, liq_cb_source fn, liq_source *init,
                                  int track_sensitive, int infallible, liq_sb *err)
{
  dyn_args a = {fn, init, track_sensitive, infallible};
  return liq_source_new(&dynamic_class, id, NULL, 0, &a, err);
}
