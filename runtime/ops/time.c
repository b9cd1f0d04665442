/* time: operators that limit or cut tracks in time: max_duration, delay,
 * chop.
 *
 * max_duration counts samples from its creation (or from the point where
 * the `liq_remaining` metadata override reset the count) and becomes
 * unavailable once the count is spent. Like 2.1.3 it checks at fill
 * granularity: the fill that spends the budget is passed whole, so 2.5 s
 * gives 63 frames of 0.04 s (111132 samples, measured).
 *
 * delay(d, s) is not ready for d seconds after each end of track; time is
 * the clock's stream time here (2.1.3 uses Unix.time, whole wall-clock
 * seconds: its delay ends at the next whole second whatever d, and never
 * within a fast sync="none" render; tests/runtime/delay.liq).
 *
 * chop(every, s) ends the track every `every` seconds of data (an input
 * track end restarts the count) and attaches `metadata` at the start of
 * the tracks it creates. Like 2.1.3 it cuts on frame boundaries: a track
 * lasts `every` rounded up to whole frames, and the very first one a frame
 * more (measured: every=0.5 gives tracks of 14, 13, 13... frames of 0.04 s,
 * every=1 a first track of 26 frames). The count is of the data chop
 * passes: 2.1.3's chop (a script) compares the clock's time with the time
 * of its last cut, starting from 0, so when its source starts late (in a
 * sequence) it cuts at once, and under cue_cut (whose input time stands
 * still) never; the runtime tests avoid those cases. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

/* --- max_duration ---------------------------------------------------------- */

typedef struct maxdur {
  int64_t remaining; /* samples */
  char *override;
} maxdur;

typedef struct maxdur_args {
  double duration;
  const char *override;
} maxdur_args;

static int maxdur_init(liq_source *s, const void *argp)
{
  const maxdur_args *a = argp;
  maxdur *p = liq_source_priv(s);
  p->remaining = (int64_t)(a->duration * liq_source_samplerate(s));
  if (a->override) p->override = liq_mem_strdup(a->override);
  return 0;
}

static void maxdur_uninit(liq_source *s)
{
  maxdur *p = liq_source_priv(s);
  liq_mem_free(p->override);
}

static int maxdur_ready(liq_source *s)
{
  maxdur *p = liq_source_priv(s);
  return p->remaining > 0 && liq_source_is_ready(liq_source_input(s, 0));
}

static liq_fill maxdur_fill(liq_source *s, liq_frame *f, int off, int len)
{
  maxdur *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  p->remaining -= r.n;
  if (p->override)
    for (int i = liq_frame_meta_from(f, off); i < f->n_meta && f->meta[i].pos < off + r.n; i++) {
      const char *v = liq_meta_get(f->meta[i].meta, p->override);
      char *end;
      double d = v ? strtod(v, &end) : 0;
      if (v && end != v)
        p->remaining = (int64_t)(d * liq_source_samplerate(s)) - (off + r.n - f->meta[i].pos);
    }
  return r;
}

static int64_t maxdur_remaining(liq_source *s)
{
  maxdur *p = liq_source_priv(s);
  int64_t r = liq_source_remaining(liq_source_input(s, 0));
  return r < 0 || r > p->remaining ? p->remaining : r;
}

static const liq_source_class maxdur_class = {
    .name = "max_duration",
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(maxdur),
    .init = maxdur_init,
    .uninit = maxdur_uninit,
    .is_ready = maxdur_ready,
    .fill = maxdur_fill,
    .remaining = maxdur_remaining,
};

liq_source *liq_op_max_duration(const char *id, double duration, const char *override,
                                liq_source *in, liq_sb *err)
{
  maxdur_args a = {duration, override};
  return liq_source_new(&maxdur_class, id, &in, 1, &a, err);
}

/* --- delay ------------------------------------------------------------------ */

typedef struct delay {
  liq_getter_float d;
  int waiting;      /* a track ended (or initial) */
  double since;     /* stream time of that end; < 0: not known yet */
} delay;

typedef struct delay_args {
  liq_getter_float d;
  int initial;
} delay_args;

static int delay_init(liq_source *s, const void *argp)
{
  const delay_args *a = argp;
  delay *p = liq_source_priv(s);
  p->d = a->d;
  p->waiting = a->initial;
  p->since = -1;
  return 0;
}

static void delay_uninit(liq_source *s)
{
  delay *p = liq_source_priv(s);
  liq_getter_float_release(&p->d);
}

static double now(liq_source *s)
{
  liq_clock *c = liq_source_clock(s);
  return c ? liq_clock_time(c) : 0;
}

static int delay_ready(liq_source *s)
{
  delay *p = liq_source_priv(s);
  if (p->waiting) {
    if (p->since < 0) p->since = now(s);
    if (now(s) - p->since < liq_getter_float_get(&p->d, s)) return 0;
    p->waiting = 0;
  }
  return liq_source_is_ready(liq_source_input(s, 0));
}

static liq_fill delay_fill(liq_source *s, liq_frame *f, int off, int len)
{
  delay *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  if (r.eot) {
    p->waiting = 1;
    /* The track ended during this cycle, at the end of the data. */
    p->since = now(s) + (double)(off + r.n) / liq_source_samplerate(s);
  }
  return r;
}

static const liq_source_class delay_class = {
    .name = "delay",
    .fallibility = LIQ_FALLIBLE_ALWAYS,
    .priv_size = sizeof(delay),
    .init = delay_init,
    .uninit = delay_uninit,
    .is_ready = delay_ready,
    .fill = delay_fill,
};

liq_source *liq_op_delay(const char *id, liq_getter_float d, int initial, liq_source *in,
                         liq_sb *err)
{
  delay_args a = {d, initial};
  return liq_source_new(&delay_class, id, &in, 1, &a, err);
}

/* --- chop ------------------------------------------------------------------- */

typedef struct chop {
  liq_getter_float every;
  liq_meta *meta;   /* attached at the tracks chop starts, even empty (2.1.3) */
  liq_cb_meta_map meta_fn; /* when set, computes meta afresh at each of them */
  int64_t pos;      /* samples into the current chopped track */
  int chopped;      /* the next data starts a track chop created */
  int started;      /* the first track is over */
} chop;

typedef struct chop_args {
  liq_getter_float every;
  liq_meta *meta;
  liq_cb_meta_map meta_fn;
} chop_args;

static int chop_init(liq_source *s, const void *argp)
{
  const chop_args *a = argp;
  chop *p = liq_source_priv(s);
  p->every = a->every;
  p->meta = liq_meta_ref(a->meta ? a->meta : liq_meta_empty());
  p->meta_fn = a->meta_fn;
  return 0;
}

static void chop_uninit(liq_source *s)
{
  chop *p = liq_source_priv(s);
  liq_getter_float_release(&p->every);
  liq_cb_meta_map_release(&p->meta_fn);
  liq_meta_unref(p->meta);
}

static liq_fill chop_fill(liq_source *s, liq_frame *f, int off, int len)
{
  chop *p = liq_source_priv(s);
  int64_t fs = liq_source_frame_samples(s);
  double frames = ceil(liq_getter_float_get(&p->every, s) * liq_source_samplerate(s) / fs - 1e-9);
  int64_t every = (frames < 1 ? 1 : (int64_t)frames + !p->started) * fs;
  int64_t left = every - p->pos;
  int want = left < len ? (int)left : len;
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, want);
  if (p->chopped && r.n > 0) {
    liq_meta *fresh = NULL;
    if (p->meta_fn.fn && p->meta_fn.fn(p->meta_fn.ud, liq_meta_empty(), &fresh) != 0)
      liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "chop's metadata getter failed; last packet kept.");
    if (fresh) {
      liq_meta_unref(p->meta);
      p->meta = fresh;
    }
    liq_frame_add_meta(f, off, p->meta);
    p->chopped = 0;
  }
  p->pos += r.n;
  if (r.eot) {
    /* The input's own track end. */
    p->pos = 0;
    p->chopped = 0;
    p->started = 1;
    return r;
  }
  if (p->pos >= every) {
    p->pos = 0;
    p->chopped = 1;
    p->started = 1;
    r.eot = 1;
  }
  return r;
}

static const liq_source_class chop_class = {
    .name = "chop",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(chop),
    .init = chop_init,
    .uninit = chop_uninit,
    .fill = chop_fill,
};

liq_source *liq_op_chop(const char *id, liq_getter_float every, liq_meta *metadata,
                        liq_cb_meta_map metadata_fn, liq_source *in, liq_sb *err)
{
  chop_args a = {every, metadata, metadata_fn};
  return liq_source_new(&chop_class, id, &in, 1, &a, err);
}
