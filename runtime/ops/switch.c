/* switch: select among sources by predicates; fallback and mksafe.
 *
 * At each track boundary the first case whose predicate holds and whose
 * source is ready is selected; a `single` case is never picked twice in a
 * row. Predicates are evaluated at most once per clock cycle for a choice
 * (is_ready and fill share it). Not track sensitive, the choice is made
 * again at the end of every frame; a different one ends the track at the
 * frame's end and plays from the next frame (2.1.3's timing, measured).
 * Besides, when a frame starts, a case of higher priority with a constant
 * true predicate (fallback's) whose source became ready by itself since
 * (source.dynamic, delay, blank.strip) is taken at once, and an unselected
 * switch keeps the choice of the previous frame's end for its parents:
 * a nested switch's predicates change what its parent sees one frame
 * later (both measured on 2.1.3: tests/runtime/fallback_ts, fallback_transition). A
 * source that stops being ready ends our track where it stopped. With
 * replay_metadata, joining a source mid-track re-sends its last metadata.
 * fallback is switch with {true} everywhere; mksafe(s) is
 * fallback(track_sensitive=false, [s, blank()]).
 *
 * Fallibility as in 2.1.3: infallible iff some case has the trivial {true}
 * predicate (a constant getter), is not single, and its source is
 * infallible. Transitions between the cases: transition.c. */
#include "config.h"

#include "runtime/clock.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

typedef struct sw {
  liq_switch_case *cases;
  int n;
  liq_getter_bool track_sensitive;
  int replay_metadata;
  int selected; /* current case, -1 when a selection is due */
  int last;     /* case of the previous track, for `single` */
  int next;          /* the choice made for cycle next_tick, or -1 */
  int64_t next_tick; /* -1: none */
  int prev;          /* the case played before, -1 if none */
  int prev_mid;      /* it was left in the middle of a track */
  int started;       /* the case whose transition is already built, or -1 */
  int64_t eval_tick; /* the cycle of the last end-of-frame choice, -1: none */
  int eval_best;     /* that choice */
  int64_t checked_tick; /* the cycle whose start was checked (sw_fill) */
  liq_trans tr;
} sw;

/* Set on this clock thread while a switch makes its end-of-frame choice:
 * the switches it asks then choose afresh and remember it (eval_*). */
static _Thread_local int deciding;

typedef struct sw_args {
  const liq_switch_case *cases;
  int n;
  liq_getter_bool track_sensitive;
  int replay_metadata;
  const liq_transitions *tr;
} sw_args;

static int sw_init(liq_source *s, const void *argp)
{
  const sw_args *a = argp;
  sw *p = liq_source_priv(s);
  p->n = a->n;
  p->cases = liq_mem_alloc(sizeof(liq_switch_case) * (size_t)(a->n ? a->n : 1));
  for (int i = 0; i < a->n; i++) p->cases[i] = a->cases[i];
  p->track_sensitive = a->track_sensitive;
  p->replay_metadata = a->replay_metadata;
  liq_trans_init(&p->tr, a->tr);
  p->selected = p->last = p->next = p->prev = p->started = -1;
  p->next_tick = p->eval_tick = p->checked_tick = -1;
  if (a->n == 0) return liq_source_set_error(s, "switch needs at least one source");
  return 0;
}

static void sw_uninit(liq_source *s)
{
  sw *p = liq_source_priv(s);
  for (int i = 0; i < p->n; i++) liq_getter_bool_release(&p->cases[i].pred);
  liq_getter_bool_release(&p->track_sensitive);
  liq_trans_release(&p->tr);
  liq_mem_free(p->cases);
}

static int sw_fallible(liq_source *s)
{
  sw *p = liq_source_priv(s);
  for (int i = 0; i < p->n; i++) {
    liq_switch_case *c = &p->cases[i];
    if (!c->pred.fn && c->pred.constant && !c->single && !liq_source_fallible(c->source)) return 0;
  }
  return 1;
}

/* The case to play now, -1 if none. */
static int best(liq_source *s, sw *p)
{
  for (int i = 0; i < p->n; i++) {
    liq_switch_case *c = &p->cases[i];
    if (c->single && p->last == i) continue;
    if (liq_source_is_ready(c->source) && liq_getter_bool_get(&c->pred, s)) return i;
  }
  return -1;
}

static int64_t tick(liq_source *s)
{
  liq_clock *c = liq_source_clock(s);
  return c ? liq_clock_ticks(c) : -1;
}

/* The case to start now: predicates are evaluated at most once per cycle
 * for this (is_ready and fill ask in turn), and a choice made at the end
 * of the previous frame stands if its source is still ready. */
static int choose(liq_source *s, sw *p)
{
  int64_t t = tick(s);
  int cached = t >= 0 && p->next_tick == t &&
               (p->next < 0 || liq_source_is_ready(p->cases[p->next].source));
  if (!cached && !deciding && t > 0 && p->eval_tick == t - 1 &&
      (p->eval_best < 0 || liq_source_is_ready(p->cases[p->eval_best].source)) &&
      !liq_getter_bool_get(&p->track_sensitive, s))
    return p->eval_best; /* the previous frame's end decided */
  if (!cached) {
    p->next = best(s, p);
    p->next_tick = t;
  }
  if (deciding) {
    p->eval_tick = t;
    p->eval_best = p->next;
  }
  return p->next;
}

/* At a frame's start, not track sensitive: a fallback case before the
 * selected one whose source is ready now, or -1. */
static int ready_before(sw *p)
{
  for (int i = 0; i < p->selected; i++) {
    liq_switch_case *c = &p->cases[i];
    if (c->pred.fn || !c->pred.constant || (c->single && p->last == i)) continue;
    if (liq_source_is_ready(c->source)) return i;
  }
  return -1;
}

static int sw_ready(liq_source *s)
{
  sw *p = liq_source_priv(s);
  if (p->selected >= 0 && liq_trans_ready(&p->tr, p->cases[p->selected].source)) return 1;
  return choose(s, p) >= 0;
}

/* The current case is left (mid-track or at its end): a selection is due. */
static void leave(sw *p, int mid)
{
  p->prev = p->selected;
  p->prev_mid = mid;
  p->selected = -1;
}

/* The transition to case b, from the case played before. Joining b
 * mid-track, its last metadata is replayed (what the listener missed). */
static void start(liq_source *s, sw *p, int b)
{
  liq_source *src = p->cases[b].source;
  const liq_meta *replay =
      p->replay_metadata && liq_source_elapsed(src) > 0 ? liq_source_last_metadata(src) : NULL;
  liq_trans_start(&p->tr, s, b, p->prev >= 0 ? p->cases[p->prev].source : NULL, p->prev_mid, src,
                  replay);
}

static liq_fill sw_fill(liq_source *s, liq_frame *f, int off, int len)
{
  sw *p = liq_source_priv(s);
  if (p->selected >= 0 && !liq_trans_ready(&p->tr, p->cases[p->selected].source)) {
    /* The current source stopped: that ends our track here. */
    leave(p, 0);
    return (liq_fill){0, 1};
  }
  int64_t t = tick(s);
  if (p->selected >= 0 && t >= 0 && p->checked_tick != t) {
    p->checked_tick = t;
    int b = liq_getter_bool_get(&p->track_sensitive, s) ? -1 : ready_before(p);
    if (b >= 0) {
      leave(p, 1);
      p->next = b;
      p->next_tick = t;
      return (liq_fill){0, 1};
    }
  }
  if (p->selected < 0) {
    int b = choose(s, p);
    p->next_tick = -1;
    if (b < 0) return (liq_fill){0, 1};
    p->selected = p->last = b;
    if (p->started != b) start(s, p, b);
    p->started = -1;
  }
  liq_fill r = liq_trans_fill(&p->tr, p->cases[p->selected].source, f, off, len);
  if (r.eot) {
    leave(p, 0);
  } else if (off + r.n == f->capacity && !liq_getter_bool_get(&p->track_sensitive, s)) {
    /* Not track sensitive: the choice is made again at the end of each
     * frame and a change takes effect from the next one, as in 2.1.3. */
    int was_deciding = deciding;
    deciding = 1;
    int b = best(s, p);
    deciding = was_deciding;
    p->eval_tick = tick(s);
    p->eval_best = b;
    if (b != p->selected) {
      leave(p, 1);
      p->next = b;
      p->next_tick = tick(s) + 1;
      r.eot = 1;
      /* 2.1.3 builds the transition when it decides. */
      if (b >= 0) start(s, p, b);
      p->started = b;
    }
  }
  return r;
}

static int64_t sw_remaining(liq_source *s)
{
  sw *p = liq_source_priv(s);
  return p->selected >= 0 ? liq_source_remaining(liq_trans_current(&p->tr, p->cases[p->selected].source))
                          : -1;
}

static void sw_abort_track(liq_source *s)
{
  sw *p = liq_source_priv(s);
  if (p->selected >= 0)
    liq_source_abort_track(liq_trans_current(&p->tr, p->cases[p->selected].source));
}

static int64_t sw_seek(liq_source *s, int64_t n)
{
  sw *p = liq_source_priv(s);
  return p->selected >= 0 ? liq_source_seek(liq_trans_current(&p->tr, p->cases[p->selected].source), n)
                          : 0;
}

#define SW_CLASS(var, nm)                                                                         \
  static const liq_source_class var = {                                                           \
      .name = nm,                                                                                 \
      .fallibility = LIQ_FALLIBLE_CUSTOM,                                                         \
      .priv_size = sizeof(sw),                                                                    \
      .fallible = sw_fallible,                                                                    \
      .init = sw_init,                                                                            \
      .uninit = sw_uninit,                                                                        \
      .is_ready = sw_ready,                                                                       \
      .fill = sw_fill,                                                                            \
      .remaining = sw_remaining,                                                                  \
      .abort_track = sw_abort_track,                                                              \
      .seek = sw_seek,                                                                            \
  }

SW_CLASS(switch_class, "switch");
SW_CLASS(fallback_class, "fallback");
SW_CLASS(mksafe_class, "mksafe");

static liq_source *make(const liq_source_class *cls, const char *id, const liq_switch_case *cases,
                        int n, liq_getter_bool ts, int replay, const liq_transitions *tr,
                        liq_sb *err)
{
  liq_source **in = liq_mem_alloc(sizeof(liq_source *) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) in[i] = cases[i].source;
  sw_args a = {cases, n, ts, replay, tr};
  liq_source *s = liq_source_new(cls, id, in, n, &a, err);
  liq_mem_free(in);
  return s;
}

liq_source *liq_op_switch(const char *id, const liq_switch_case *cases, int n,
                          liq_getter_bool track_sensitive, int replay_metadata,
                          const liq_transitions *tr, liq_sb *err)
{
  return make(&switch_class, id, cases, n, track_sensitive, replay_metadata, tr, err);
}

static liq_source *fallback_of(const liq_source_class *cls, const char *id, liq_source *const *in,
                               int n, int track_sensitive, int replay_metadata,
                               const liq_transitions *tr, liq_sb *err)
{
  liq_switch_case *cases = liq_mem_calloc((size_t)(n ? n : 1), sizeof *cases);
  for (int i = 0; i < n; i++) cases[i] = (liq_switch_case){LIQ_BOOL(1), in[i], 0};
  liq_source *s = make(cls, id, cases, n, LIQ_BOOL(track_sensitive), replay_metadata, tr, err);
  liq_mem_free(cases);
  return s;
}

liq_source *liq_op_fallback(const char *id, liq_source *const *in, int n, int track_sensitive,
                            int replay_metadata, const liq_transitions *tr, liq_sb *err)
{
  return fallback_of(&fallback_class, id, in, n, track_sensitive, replay_metadata, tr, err);
}

liq_source *liq_op_mksafe(const char *id, liq_source *in, liq_sb *err)
{
  liq_source *blank = liq_op_blank(NULL, -1, err);
  liq_source *pair[2] = {in, blank};
  liq_source *s = fallback_of(&mksafe_class, id, pair, 2, 0, 1, NULL, err);
  liq_source_unref(blank);
  return s;
}
