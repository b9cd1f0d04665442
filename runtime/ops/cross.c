/* cross: transitions between consecutive tracks (cross, crossfade).
 *
 * cross holds back the last `duration` seconds of every track: the input
 * is read ahead into a ring so that, while a track plays, the ring always
 * keeps `duration` seconds minus one frame that have not been emitted
 * (2.1.3's conservative mode: remaining-time estimates are never trusted;
 * the frame less is 2.1.3's, measured: it gives its exact lengths). When the
 * input's track ends, the ring holds the track's tail ("before"); cross
 * then reads as much of the next track ("after", the head: as long as the
 * tail, as 2.1.3 does), hands both to the transition, plays the
 * transition until it is no longer ready, and goes on with the rest of
 * the new track:
 *
 *   input:   | A ...................... A | B ...................... B |
 *   output:  | A body  | T(A tail, B head) | B body  | T(B tail, -)  |
 *                       <---- duration --->          <- (last track) ->
 *
 * Track marks: a new track where the transition starts (when a track
 * follows: the last track's tail stays in its track), none where it ends (the new track's body goes on), and the transition's own inner
 * boundaries are the output's (sequence([a, b]) gives a track at b's
 * start). 2.1.3 marks no track at the transition's start, so that a
 * crossfaded stream is one track; upstream called that a bug and fixed
 * it in 2.4 (liquidsoap PR #5379: "switching to the transition is where
 * the new track begins"). The last track's tail goes through the transition with an empty
 * "after" (crossfade fades it out), as in 2.1.3. All of this happens
 * inside one fill: the input is pulled as fast as needed (2.1.3 runs it
 * in a child clock for the same effect), so an input with other
 * consumers must not be used here.
 *
 * The two sides are played by "cross.buffer" sources that own their
 * samples and know their exact remaining time (so fade.out works on
 * them). A side's metadata is the ending track's last packet (wherever it
 * was in the track) and the new track's first one. The transition is
 * built by a callback (cross) or, for crossfade, at each transition:
 * add(normalize=false, [fade.in(sin, fade_in, after), fade.out(sin,
 * fade_out, before)]), which is 2.1.3's cross.simple (smart: see
 * smart_transition). Only the transition being played holds the sides
 * (a second consumer would put them in memo mode). Buffers are allocated
 * at creation for the whole duration: no allocation per cycle.
 *
 * Differences from 2.1.3 (measured, doc/runtime.md): 2.1.3's fades follow
 * the clock's time through script getters, so a fade.out over a side
 * shorter than its duration starts one frame late. A tail shorter than
 * `minimum` (when >= 0) is not crossed: both sides play in turn, with the
 * track boundary between them. TODO(override_duration): liq_cross_duration
 * needs buffers resized per track. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

/* --- cross.buffer: plays a buffered stretch as one track ------------------------ */

typedef struct ev {
  int64_t pos;
  liq_meta *meta;
} ev;

typedef struct evlist {
  ev *v;
  int n, cap;
} evlist;

static void ev_push(evlist *l, int64_t pos, liq_meta *m)
{
  if (l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 8;
    l->v = liq_mem_realloc(l->v, sizeof(ev) * (size_t)l->cap);
  }
  l->v[l->n].pos = pos;
  l->v[l->n].meta = liq_meta_ref(m);
  l->n++;
}

static void ev_clear(evlist *l)
{
  for (int i = 0; i < l->n; i++) liq_meta_unref(l->v[i].meta);
  l->n = 0;
}

static void ev_free(evlist *l)
{
  ev_clear(l);
  liq_mem_free(l->v);
}

typedef struct player {
  float *data; /* channels * cap, channel after channel */
  int cap, channels;
  int len, pos;
  evlist evs;  /* positions relative to the start */
} player;

static int player_init(liq_source *s, const void *argp)
{
  player *p = liq_source_priv(s);
  p->cap = *(const int *)argp;
  p->channels = liq_source_format(s).channels;
  p->data = liq_mem_calloc((size_t)p->cap * (size_t)p->channels, sizeof(float));
  return 0;
}

static void player_uninit(liq_source *s)
{
  player *p = liq_source_priv(s);
  ev_free(&p->evs);
  liq_mem_free(p->data);
}

static int player_ready(liq_source *s)
{
  player *p = liq_source_priv(s);
  return p->pos < p->len;
}

static int64_t player_remaining(liq_source *s)
{
  player *p = liq_source_priv(s);
  return p->len - p->pos;
}

static void player_abort(liq_source *s)
{
  player *p = liq_source_priv(s);
  p->pos = p->len;
}

static liq_fill player_fill(liq_source *s, liq_frame *f, int off, int len)
{
  player *p = liq_source_priv(s);
  int n = p->len - p->pos < len ? p->len - p->pos : len;
  for (int c = 0; c < p->channels; c++)
    memcpy(liq_frame_pcm(f, c) + off, p->data + (size_t)c * (size_t)p->cap + p->pos,
           sizeof(float) * (size_t)n);
  for (int i = 0; i < p->evs.n; i++)
    if (p->evs.v[i].pos >= p->pos && p->evs.v[i].pos < p->pos + n)
      liq_frame_add_meta(f, off + (int)(p->evs.v[i].pos - p->pos), p->evs.v[i].meta);
  p->pos += n;
  return (liq_fill){n, p->pos == p->len};
}

static const liq_source_class player_class = {
    .name = "cross.buffer",
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(player),
    .init = player_init,
    .uninit = player_uninit,
    .is_ready = player_ready,
    .fill = player_fill,
    .remaining = player_remaining,
    .abort_track = player_abort,
};

/* --- cross ------------------------------------------------------------------------ */

typedef enum { BODY, TRANSITION } cross_state;

typedef struct cross {
  liq_cb_transition fn;     /* fn NULL: the built-in crossfade */
  double fade_in, fade_out; /* crossfade */
  liq_crossfade_smart smart; /* crossfade(smart=true) */
  int minimum;              /* samples: shorter tails are not crossed; -1 */
  int plain;                /* this "transition" is the two sides in turn */
  int dur;                  /* buffered samples per side */
  int keep;                 /* samples held back while a track plays */
  int width;                /* samples of the level analysis */
  int channels;
  /* The ring: samples [rd, wr) of the current track not emitted yet. */
  float *ring;
  int cap;
  int64_t rd, wr;
  evlist evs;               /* metadata in the ring, absolute positions */
  int eot_seen;             /* the track's end is at wr */
  liq_meta *track_meta;     /* the last packet read from the track, or NULL */
  cross_state state;
  liq_source *before, *after; /* cross.buffer players */
  liq_source *trans;          /* the transition now playing */
  liq_frame *scratch;
} cross;

typedef struct cross_args {
  double duration, width, fade_in, fade_out, minimum;
  liq_cb_transition fn;
  const liq_crossfade_smart *smart;
} cross_args;

/* add(normalize=false, [fade.in(after), fade.out(before)]), 2.1.3's
 * cross.simple, each fade optional. */
static liq_source *built_in(cross *p, int fade_before, int fade_after, liq_sb *err)
{
  liq_source *fi = fade_after ? liq_op_fade_in(NULL, p->fade_in, LIQ_FADE_SIN, NULL, NULL, 1,
                                               p->after, err)
                              : liq_source_ref(p->after);
  liq_source *fo = fade_before ? liq_op_fade_out(NULL, p->fade_out, LIQ_FADE_SIN, NULL, NULL, 1,
                                                 p->before, err)
                               : liq_source_ref(p->before);
  liq_source *t = NULL;
  if (fi && fo) {
    liq_source *pair[2] = {fi, fo};
    t = liq_op_add(NULL, pair, 2, NULL, LIQ_BOOL(0), LIQ_BOOL(0), err);
  }
  liq_source_unref(fi);
  liq_source_unref(fo);
  return t;
}

/* sequence([before, after]) */
static liq_source *sides_in_turn(cross *p, liq_sb *err)
{
  liq_source *seq[2] = {p->before, p->after};
  return liq_op_sequence(NULL, seq, 2, 0, err);
}

/* crossfade(smart=true): the transition from the levels of both sides,
 * by 2.1.3's documented rules (cross.smart); NULL on error. */
static liq_source *smart_transition(liq_source *s, cross *p, double a, double b, liq_sb *err)
{
  const liq_crossfade_smart *m = &p->smart;
  if (a <= m->medium && b <= m->medium && fabs(a - b) <= m->margin)
    return built_in(p, 1, 1, err); /* both quiet and close: full crossfade */
  if (b >= a + m->margin && a >= m->medium && b <= m->high)
    return built_in(p, 1, 0, err); /* the new one clearly louder: fade the old out */
  if (a >= b + m->margin && b >= m->medium && a <= m->high)
    return built_in(p, 0, 1, err); /* the old one clearly louder: fade the new in */
  if (b >= a + m->margin && a <= m->medium && b <= m->high)
    return built_in(p, 0, 0, err); /* the old one already low: no fade */
  /* Too loud to overlap, or too different: the default transition. */
  liq_source *t = NULL;
  if (m->dflt.fn) {
    if (m->dflt.fn(m->dflt.ud, p->before, p->after, &t) != 0) {
      liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Default transition failed: playing both sides in turn.");
      liq_source_unref(t);
      t = NULL;
    }
    if (t) return t;
  }
  return sides_in_turn(p, err);
}

static int cross_init(liq_source *s, const void *argp)
{
  const cross_args *a = argp;
  cross *p = liq_source_priv(s);
  p->fn = a->fn;
  if (a->smart) p->smart = *a->smart;
  p->fade_in = a->fade_in;
  p->fade_out = a->fade_out;
  liq_format fmt = liq_source_format(s);
  if (fmt.kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "needs pcm audio");
  if (!(a->duration > 0)) return liq_source_set_error(s, "duration must be positive");
  p->dur = (int)(a->duration * fmt.samplerate);
  p->width = (int)(a->width * fmt.samplerate);
  p->minimum = a->minimum < 0 ? -1 : (int)(a->minimum * fmt.samplerate);
  if (p->width < 1) p->width = 1;
  p->channels = fmt.channels;
  int frame = liq_source_frame_samples(s);
  p->keep = p->dur > frame ? p->dur - frame : p->dur;
  p->cap = p->dur + 2 * frame + 1;
  p->ring = liq_mem_calloc((size_t)p->cap * (size_t)p->channels, sizeof(float));
  liq_sb e = LIQ_SB_INIT;
  int cap = p->dur + frame;
  p->before = liq_source_new(&player_class, NULL, NULL, 0, &cap, &e);
  p->after = liq_source_new(&player_class, NULL, NULL, 0, &cap, &e);
  liq_sb_free(&e);
  if (!p->before || !p->after) return liq_source_set_error(s, "could not create the buffers");
  return 0;
}

static void cross_uninit(liq_source *s)
{
  cross *p = liq_source_priv(s);
  if (p->fn.release) p->fn.release(p->fn.ud);
  if (p->smart.dflt.release) p->smart.dflt.release(p->smart.dflt.ud);
  liq_source_unref(p->trans);
  liq_source_unref(p->before);
  liq_source_unref(p->after);
  liq_frame_unref(p->scratch);
  liq_meta_unref(p->track_meta);
  ev_free(&p->evs);
  liq_mem_free(p->ring);
}

static float *ring_at(cross *p, int c, int64_t pos) { return p->ring + (size_t)c * (size_t)p->cap + pos % p->cap; }

/* Pulls up to `want` samples of the current track into the ring. */
static void pull(liq_source *s, cross *p, int want)
{
  liq_source *in = liq_source_input(s, 0);
  if (!p->scratch) p->scratch = liq_pool_acquire(liq_source_pool(s), liq_source_format(in));
  int room = p->cap - (int)(p->wr - p->rd);
  if (want > room) want = room;
  if (want > p->scratch->capacity) want = p->scratch->capacity;
  if (want <= 0) return;
  liq_fill r = liq_source_get(in, p->scratch, 0, want);
  for (int c = 0; c < p->channels; c++) {
    const float *x = liq_frame_pcm(p->scratch, c);
    for (int i = 0; i < r.n; i++) *ring_at(p, c, p->wr + i) = x[i];
  }
  for (int i = 0; i < p->scratch->n_meta && p->scratch->meta[i].pos < r.n; i++) {
    ev_push(&p->evs, p->wr + p->scratch->meta[i].pos, p->scratch->meta[i].meta);
    liq_meta_unref(p->track_meta);
    p->track_meta = liq_meta_ref(p->scratch->meta[i].meta);
  }
  liq_frame_clear(p->scratch);
  p->wr += r.n;
  if (r.eot) p->eot_seen = 1;
}

/* Moves ring samples [rd, rd + n) to f at off, with their metadata. */
static void emit(cross *p, liq_frame *f, int off, int n)
{
  for (int c = 0; c < p->channels; c++) {
    float *d = liq_frame_pcm(f, c) + off;
    for (int i = 0; i < n; i++) d[i] = *ring_at(p, c, p->rd + i);
  }
  int k = 0;
  for (int i = 0; i < p->evs.n; i++) {
    if (p->evs.v[i].pos < p->rd + n) {
      liq_frame_add_meta(f, off + (int)(p->evs.v[i].pos - p->rd), p->evs.v[i].meta);
      liq_meta_unref(p->evs.v[i].meta);
    } else {
      p->evs.v[k++] = p->evs.v[i];
    }
  }
  p->evs.n = k;
  p->rd += n;
}

static double level_db(player *b, int from, int n)
{
  if (n <= 0) return -INFINITY;
  double sq = 0;
  for (int c = 0; c < b->channels; c++)
    for (int i = from; i < from + n; i++) {
      double x = b->data[(size_t)c * (size_t)b->cap + (size_t)i];
      sq += x * x;
    }
  double rms = sqrt(sq / ((double)n * b->channels));
  return rms > 0 ? 20 * log10(rms) : -INFINITY;
}

/* The ring's tail goes to `before`; the next track's head is read into
 * `after`. Returns 0 when both are empty (nothing to transition). */
static int prepare(liq_source *s, cross *p)
{
  player *a = liq_source_priv(p->before), *b = liq_source_priv(p->after);
  liq_source *in = liq_source_input(s, 0);
  int n = (int)(p->wr - p->rd);
  a->len = n;
  a->pos = 0;
  ev_clear(&a->evs);
  for (int c = 0; c < p->channels; c++)
    for (int i = 0; i < n; i++) a->data[(size_t)c * (size_t)a->cap + i] = *ring_at(p, c, p->rd + i);
  for (int i = 0; i < p->evs.n; i++) ev_push(&a->evs, p->evs.v[i].pos - p->rd, p->evs.v[i].meta);
  ev_clear(&p->evs);
  p->rd = p->wr = 0;
  p->eot_seen = 0;
  /* The ending track's last packet, wherever it was. */
  liq_meta *before_meta = p->track_meta;
  p->track_meta = NULL;
  /* The next track's head, through the ring (empty now): as long as the
   * tail, so that both sides cover the same time (2.1.3). Not
   * liq_source_pull: this stops at the end of the first track with data
   * (skipping empty ones), and the ring's room bounds each read. */
  int head = a->len;
  int empty = 0;
  while (!p->eot_seen && p->wr < head && liq_source_is_ready(in) && empty < LIQ_MAX_EMPTY_TRACKS) {
    int64_t before = p->wr;
    pull(s, p, head - (int)p->wr);
    if (p->wr == before && p->eot_seen && p->wr == 0) {
      /* An empty track: skip it. */
      p->eot_seen = 0;
      empty++;
    }
  }
  n = (int)p->wr;
  b->len = n;
  b->pos = 0;
  ev_clear(&b->evs);
  for (int c = 0; c < p->channels; c++)
    for (int i = 0; i < n; i++) b->data[(size_t)c * (size_t)b->cap + i] = *ring_at(p, c, i);
  for (int i = 0; i < p->evs.n; i++) ev_push(&b->evs, p->evs.v[i].pos, p->evs.v[i].meta);
  ev_clear(&p->evs);
  /* The rest of the new track continues in the ring after the head. */
  p->rd = p->wr = 0;
  if (a->len == 0 && b->len == 0) {
    liq_meta_unref(before_meta);
    return 0;
  }
  /* Too little of the old track for a transition (minimum): both sides
   * in turn, with the track boundary between them (2.1.3). */
  p->plain = p->minimum >= 0 && a->len < p->minimum;
  double la = level_db(a, a->len > p->width ? a->len - p->width : 0,
                       a->len < p->width ? a->len : p->width);
  double lb = level_db(b, 0, b->len < p->width ? b->len : p->width);
  liq_source *t = NULL;
  liq_sb e = LIQ_SB_INIT;
  if (p->plain) {
    t = sides_in_turn(p, &e);
  } else if (p->fn.fn) {
    liq_cross_side sa = {la, before_meta ? before_meta : liq_meta_empty(), p->before};
    liq_cross_side sb = {lb, b->evs.n ? b->evs.v[0].meta : liq_meta_empty(), p->after};
    if (p->fn.fn(p->fn.ud, &sa, &sb, &t) != 0 || !t) {
      liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Transition failed: playing both sides in turn.");
      liq_source_unref(t);
      t = sides_in_turn(p, &e);
    }
  } else if (p->smart.on) {
    t = smart_transition(s, p, la, lb, &e);
  } else {
    t = built_in(p, 1, 1, &e);
  }
  liq_sb_free(&e);
  liq_source_unref(p->trans);
  p->trans = t;
  liq_meta_unref(before_meta);
  liq_sb err = LIQ_SB_INIT;
  if (p->trans && liq_source_attach(p->trans, liq_source_clock(s), &err) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Transition: %s", liq_sb_str(&err));
    liq_source_unref(p->trans);
    p->trans = NULL;
  }
  liq_sb_free(&err);
  return p->trans != NULL;
}

static int cross_ready(liq_source *s)
{
  cross *p = liq_source_priv(s);
  if (p->state == TRANSITION && p->trans && liq_source_is_ready(p->trans)) return 1;
  return p->wr > p->rd || liq_source_is_ready(liq_source_input(s, 0));
}

static liq_fill cross_fill(liq_source *s, liq_frame *f, int off, int len)
{
  cross *p = liq_source_priv(s);
  liq_source *in = liq_source_input(s, 0);
  liq_fill r = {0, 0};
  /* Not liq_source_pull: cross ends its own track at each boundary of the
   * transition that goes on, and reads its input through the ring. */
  while (r.n < len) {
    if (p->state == TRANSITION) {
      if (!p->trans || !liq_source_is_ready(p->trans)) {
        p->state = BODY;
        continue;
      }
      liq_fill t = liq_source_get(p->trans, f, off + r.n, len - r.n);
      r.n += t.n;
      if (!t.eot) continue;
      if (liq_source_is_ready(p->trans)) {
        /* A track boundary inside the transition is ours too (2.1.3); our
         * consumer counts the empty ones. */
        r.eot = 1;
        break;
      }
      /* The transition's last track goes on with the new track's body. */
      liq_frame_drop_mark(f, off + r.n);
      p->state = BODY;
      continue;
    }
    /* Keep `dur` samples back until the track's end is known. */
    int want = len - r.n;
    int keep = p->keep;
    while (!p->eot_seen && p->wr - p->rd < (int64_t)keep + want) {
      if (!liq_source_is_ready(in)) {
        p->eot_seen = 1; /* the input stopped: treat as the track's end */
        break;
      }
      pull(s, p, (int)((int64_t)keep + want - (p->wr - p->rd)));
    }
    int64_t avail = p->wr - p->rd - keep;
    if (avail > 0) {
      int n = avail < want ? (int)avail : want;
      emit(p, f, off + r.n, n);
      r.n += n;
      continue;
    }
    /* Only the tail is left: the transition starts a new track, unless
     * no track follows (the last tail goes on in its own track). */
    if (!prepare(s, p)) {
      r.eot = 1;
      break;
    }
    p->state = TRANSITION;
    if (!p->plain && ((player *)liq_source_priv(p->after))->len > 0) {
      r.eot = 1;
      break;
    }
  }
  return r;
}

static const liq_source_class cross_class = {
    .name = "cross",
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(cross),
    .init = cross_init,
    .uninit = cross_uninit,
    .is_ready = cross_ready,
    .fill = cross_fill,
};

static const liq_source_class crossfade_class = {
    .name = "crossfade",
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(cross),
    .init = cross_init,
    .uninit = cross_uninit,
    .is_ready = cross_ready,
    .fill = cross_fill,
};

liq_source *liq_op_cross(const char *id, double duration, double width, double minimum,
                         liq_cb_transition fn, liq_source *in, liq_sb *err)
{
  cross_args a = {duration, width, 0, 0, minimum, fn, NULL};
  if (!fn.fn) {
    if (err) liq_sb_printf(err, "cross: no transition function");
    return NULL;
  }
  return liq_source_new(&cross_class, id, &in, 1, &a, err);
}

liq_source *liq_op_crossfade(const char *id, double duration, double fade_in, double fade_out,
                             double width, double minimum, const liq_crossfade_smart *smart,
                             liq_source *in, liq_sb *err)
{
  cross_args a = {duration, width, fade_in, fade_out, minimum, {NULL, NULL, NULL}, smart};
  return liq_source_new(&crossfade_class, id, &in, 1, &a, err);
}
