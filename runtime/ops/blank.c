/* blank: silence detection: blank.detect, blank.skip, blank.strip,
 * blank.eat.
 *
 * Each fill is one analysis block (a frame in steady state, as in 2.1.3):
 * its RMS over all channels, in dB, below `threshold` makes it blank.
 * Like 2.1.3, only fills of whole frames are analysed: a frame split by a
 * track end (the fill ending the track early and the one completing the
 * frame) counts as neither blank nor noise (measured: a blank split at
 * 1.3 s is detected a frame later, sound coming back at 2.3 s is noticed
 * at 2.32 s). Blank time accumulates; once it exceeds max_blank
 * (strictly: 2.1.3 with max_blank=1 skips after 1.04 s of silence, 26
 * frames) the source enters the blank state and calls on_blank; noise
 * then has to last more than min_noise to leave it (on_noise).
 * track_sensitive resets the counters at each track end and leaves the
 * blank state there, calling on_noise (2.1.3 does); a track ending exactly
 * at a frame's end is handled at the next fill, where 2.1.3 notices it.
 *
 * blank.skip calls abort_track on its input when blank is detected.
 * blank.strip is not ready while in the blank state; since nobody pulls an
 * unready source, it keeps analysing its input itself from is_ready, at
 * most once per clock cycle (2.1.3's strip is an active source doing the
 * same). 2.1.3's strip analyses each frame before its consumer takes it:
 * the fill that makes it blank hands its block back (nothing played, track
 * ended), and the probed frame whose noise ends the blank state is kept
 * and played in that same cycle; other probed audio is dropped. A strip
 * that left the blank state at a track end is ready from the next cycle.
 * blank.eat drops what its input plays while in the blank state, within
 * the same fill, until noise comes back: the frame that makes it blank is
 * dropped too, so with a track boundary on a frame's end it keeps whole
 * frames of blank up to max_blank (measured: 0.28 s for 0.3, 0.48 s for
 * 0.5). A track end in the blank state is dropped with the rest unless
 * track_sensitive resets the state there (the track end is kept then).
 * at_beginning restricts it to blank before the first noise of a track
 * (of the stream without track_sensitive, as measured on 2.1.3). One fill
 * drops at most EAT_MAX_FILLS input fills (10 s of frames), so an endless
 * blank input still plays a frame now and then instead of stalling the
 * clock.
 *
 * Not reproduced (blank.strip behind a fallback, measured): 2.1.3
 * sometimes notices noise after a split frame one frame later still (the
 * split frame at an odd frame number) and, without track_sensitive, plays
 * the track that follows a blank ending mid-frame a frame shorter. */
#include "config.h"

#include <math.h>

#include "runtime/clock.h"
#include "runtime/ops/ops.h"

typedef enum blank_mode { BLANK_DETECT, BLANK_SKIP, BLANK_STRIP, BLANK_EAT } blank_mode;

#define EAT_MAX_FILLS 250

typedef struct blank {
  blank_mode mode;
  liq_cb_void on_blank, on_noise;
  double max_blank, min_noise, threshold; /* s, s, dB */
  int track_sensitive, start_blank, at_beginning;
  int in_blank;
  int noise_in_track;           /* eat: noise since the last reset */
  int64_t blank_len, noise_len; /* samples */
  int ended;                    /* the input's track ended at a frame's end */
  liq_frame *scratch;           /* strip: analysis while not ready */
  int64_t probed_tick;          /* strip: the cycle whose frame went to scratch */
  int held, held_pos, held_eot; /* strip: scratch samples left to play */
} blank;

static int blank_init(liq_source *s, const void *argp)
{
  const liq_blank_opts *o = argp;
  blank *p = liq_source_priv(s);
  p->mode = (blank_mode)o->mode;
  p->on_blank = o->on_blank;
  p->on_noise = o->on_noise;
  p->max_blank = o->max_blank;
  p->min_noise = o->min_noise;
  p->threshold = o->threshold;
  p->track_sensitive = o->track_sensitive;
  p->start_blank = o->start_blank;
  p->at_beginning = o->at_beginning;
  p->in_blank = o->start_blank;
  p->probed_tick = -1;
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM) return liq_source_set_error(s, "needs pcm audio");
  return 0;
}

static void blank_uninit(liq_source *s)
{
  blank *p = liq_source_priv(s);
  liq_cb_void_release(&p->on_blank);
  liq_cb_void_release(&p->on_noise);
  liq_frame_unref(p->scratch);
}

static void track_end(liq_source *s, blank *p)
{
  if (!p->track_sensitive) return;
  p->blank_len = p->noise_len = 0;
  p->noise_in_track = 0;
  if (p->in_blank) {
    p->in_blank = 0;
    liq_cb_void_call(&p->on_noise, s, "on_noise");
  }
}

/* Accounts for the input's fill r at [off, off + r.n) of f: analyses it if
 * it is a whole frame, then handles its track end. A track ending at a
 * frame's end is handled at the next fill (2.1.3 calls on_noise there). */
static void analyse(liq_source *s, blank *p, liq_frame *f, int off, liq_fill r)
{
  int whole = off == 0 && r.n == liq_source_frame_samples(s);
  if (p->ended) {
    p->ended = 0;
    track_end(s, p);
  }
  if (r.eot && off + r.n == liq_source_frame_samples(s)) p->ended = 1;
  else if (r.eot) track_end(s, p);
  if (!whole) return;
  double sq = 0;
  for (int c = 0; c < f->fmt.channels; c++) {
    const float *d = liq_frame_pcm(f, c);
    for (int i = off; i < off + r.n; i++) sq += (double)d[i] * d[i];
  }
  double rms = sqrt(sq / ((double)r.n * f->fmt.channels));
  int silent = rms <= 0 || 20 * log10(rms) < p->threshold;
  double rate = liq_source_samplerate(s);
  if (silent) {
    p->noise_len = 0;
    p->blank_len += r.n;
    if (!p->in_blank && p->blank_len / rate > p->max_blank) {
      p->in_blank = 1;
      liq_cb_void_call(&p->on_blank, s, "on_blank");
      if (p->mode == BLANK_SKIP) liq_source_abort_track(liq_source_input(s, 0));
    }
  } else {
    p->blank_len = 0;
    p->noise_len += r.n;
    p->noise_in_track = 1;
    if (p->in_blank && p->noise_len / rate > p->min_noise) {
      p->in_blank = 0;
      liq_cb_void_call(&p->on_noise, s, "on_noise");
    }
  }
}

static int64_t tick_of(liq_source *s)
{
  liq_clock *c = liq_source_clock(s);
  return c ? liq_clock_ticks(c) : -1;
}

/* strip in the blank state: analyses this cycle's frame of the input into
 * scratch; keeps it to be played if it is the noise that ends the blank
 * state. After a track end on the last frame's end, 2.1.3's strip sees
 * that end alone in this cycle: with track_sensitive it leaves the blank
 * state and takes nothing, else the frame it takes counts as split (not
 * analysed, dropped). */
static void strip_probe(liq_source *s, blank *p)
{
  liq_source *in = liq_source_input(s, 0);
  p->probed_tick = tick_of(s);
  int after_end = p->ended;
  p->ended = 0;
  if (after_end && p->track_sensitive) {
    track_end(s, p);
    return;
  }
  if (!p->scratch) p->scratch = liq_pool_acquire(liq_source_pool(s), liq_source_format(in));
  liq_frame_clear(p->scratch);
  liq_fill r = liq_source_get(in, p->scratch, 0, p->scratch->capacity);
  if (after_end) {
    if (r.eot) p->ended = r.n == p->scratch->capacity;
    return;
  }
  int had_noise = p->noise_len;
  analyse(s, p, p->scratch, 0, r);
  if (!p->in_blank && p->noise_len > had_noise) {
    p->held = r.n;
    p->held_pos = 0;
    p->held_eot = r.eot;
  }
}

static int blank_ready(liq_source *s)
{
  blank *p = liq_source_priv(s);
  liq_source *in = liq_source_input(s, 0);
  if (p->mode != BLANK_STRIP) return liq_source_is_ready(in);
  if (p->held) return 1;
  /* This cycle's frame went to the analysis: nothing to play until the
   * next one. */
  if (p->probed_tick >= 0 && p->probed_tick == tick_of(s)) return 0;
  if (!p->in_blank) return liq_source_is_ready(in);
  if (tick_of(s) >= 0 && liq_source_is_ready(in)) strip_probe(s, p);
  return p->held > 0;
}

/* Takes back the input's block [off, off + n) of f: its metadata and its
 * track end. */
static void drop_block(liq_frame *f, int off, int n)
{
  for (int i = liq_frame_meta_from(f, off); i < f->n_meta;) liq_frame_remove_meta(f, i);
  liq_frame_drop_mark(f, off + n);
}

static liq_fill eat_fill(liq_source *s, blank *p, liq_frame *f, int off, int len)
{
  liq_source *in = liq_source_input(s, 0);
  for (int fills = 1;; fills++) {
    liq_fill r = liq_source_get(in, f, off, len);
    analyse(s, p, f, off, r);
    if (!p->in_blank || (p->at_beginning && p->noise_in_track) || fills == EAT_MAX_FILLS)
      return r;
    drop_block(f, off, r.n);
    if (r.eot && p->ended && p->track_sensitive) {
      /* The dropped track ended on a frame's end: the track end stays, at
       * off, and resets the state now. */
      p->ended = 0;
      track_end(s, p);
      return (liq_fill){0, 1};
    }
    if (!liq_source_is_ready(in)) return (liq_fill){0, 1};
  }
}

static liq_fill blank_fill(liq_source *s, liq_frame *f, int off, int len)
{
  blank *p = liq_source_priv(s);
  if (p->held) {
    /* The probed frame that ended the blank state. */
    int n = p->held < len ? p->held : len;
    liq_frame_blit(f, off, p->scratch, p->held_pos, n);
    p->held -= n;
    p->held_pos += n;
    return (liq_fill){n, p->held == 0 && p->held_eot};
  }
  if (p->mode == BLANK_EAT) return eat_fill(s, p, f, off, len);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  int was_blank = p->in_blank;
  analyse(s, p, f, off, r);
  if (p->mode == BLANK_STRIP && p->in_blank && !was_blank) {
    /* Stripping: take back the block that made us blank (2.1.3 analyses
     * each frame before it is played); it was this cycle's analysis. */
    p->probed_tick = tick_of(s);
    drop_block(f, off, r.n);
    return (liq_fill){0, 1};
  }
  return r;
}

static int blank_fallible(liq_source *s)
{
  blank *p = liq_source_priv(s);
  return p->mode == BLANK_STRIP || liq_source_fallible(liq_source_input(s, 0));
}

#define BLANK_CLASS(var, nm)                                                                      \
  static const liq_source_class var = {                                                           \
      .name = nm,                                                                                 \
      .fallibility = LIQ_FALLIBLE_CUSTOM,                                                         \
      .priv_size = sizeof(blank),                                                                 \
      .fallible = blank_fallible,                                                                 \
      .init = blank_init,                                                                         \
      .uninit = blank_uninit,                                                                     \
      .is_ready = blank_ready,                                                                    \
      .fill = blank_fill,                                                                         \
  }

BLANK_CLASS(detect_class, "blank.detect");
BLANK_CLASS(skip_class, "blank.skip");
BLANK_CLASS(strip_class, "blank.strip");
BLANK_CLASS(eat_class, "blank.eat");

void liq_blank_opts_default(liq_blank_opts *o)
{
  *o = (liq_blank_opts){0};
  o->max_blank = 20;
  o->min_noise = 0;
  o->threshold = -40;
  o->track_sensitive = 1;
}

liq_source *liq_op_blank_detect(const char *id, const liq_blank_opts *o, liq_source *in,
                                liq_sb *err)
{
  static const liq_source_class *const classes[] = {&detect_class, &skip_class, &strip_class,
                                                     &eat_class};
  liq_blank_opts a = *o;
  if (a.mode < 0 || a.mode > 3) a.mode = 0;
  return liq_source_new(classes[a.mode], id, &in, 1, &a, err);
}

int liq_blank_is_blank(liq_source *s)
{
  const liq_source_class *c = liq_source_get_class(s);
  if (c != &detect_class && c != &skip_class && c != &strip_class && c != &eat_class) return -1;
  return ((blank *)liq_source_priv(s))->in_blank;
}
