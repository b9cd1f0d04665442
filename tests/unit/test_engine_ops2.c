/* Engine tests for the second batch of operators (time.c, track.c,
 * select.c, blank.c, stereo.c, effects.c, cross.c, buffer.c): offline
 * renders checked against the figures measured on Liquidsoap 2.1.3
 * (doc/runtime.md, "Reference figures, operators 2"): sample counts exact,
 * RMS within 0.5 dB (checked tighter where 2.1.3 is deterministic), and
 * no allocation per cycle once warm. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "tests/unit/engine_util.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"
#include "runtime/output.h"

/* chop without a metadata getter. */
#define NO_META_FN ((liq_cb_meta_map){NULL, NULL, NULL})

static liq_sb err = LIQ_SB_INIT;

static liq_source *sine_a(double freq, double duration, double amp)
{
  return liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(freq), LIQ_FLOAT(amp), duration, &err);
}

static liq_source *sine(double freq, double duration) { return sine_a(freq, duration, 1); }

/* Drops the caller's references to a list of sources. */
static void unref_all(liq_source **l, int n)
{
  for (int i = 0; i < n; i++) liq_source_unref(l[i]);
}

typedef struct chstats {
  long samples;
  double rms, l, r; /* overall and per channel RMS */
} chstats;

static double chan_rms(const char *path, int c)
{
  long n;
  float *x = eu_wav_channel(path, c, &n);
  double sq = 0;
  for (long i = 0; x && i < n; i++) sq += (double)x[i] * x[i];
  free(x);
  return n > 0 ? sqrt(sq / (double)n) : 0;
}

/* Renders s (consuming the caller's reference). */
static chstats render(liq_source *s, const char *name)
{
  chstats cs = {0};
  if (!s) {
    CHECK(0, "%s: could not build: %s", name, liq_sb_str(&err));
    liq_sb_reset(&err);
    return cs;
  }
  const char *path = eu_tmp_path(name);
  eu_render(s, path, 1, 100000);
  liq_source_unref(s);
  eu_stats st;
  if (eu_wav_stats(path, 0, -1, &st) != 0) {
    CHECK(0, "%s: no output file", name);
    return cs;
  }
  cs.samples = st.samples;
  cs.rms = st.rms;
  cs.l = chan_rms(path, 0);
  cs.r = chan_rms(path, 1);
  unlink(path);
  if (getenv("ENGINE_TEST_VERBOSE"))
    fprintf(stderr, "%s: %ld samples rms %f L %f R %f\n", name, cs.samples, cs.rms, cs.l, cs.r);
  return cs;
}

/* Within 0.5 dB, or both (near) silent. */
static int db_near(double a, double b)
{
  if (a < 1e-4 || b < 1e-4) return fabs(a - b) < 1e-4;
  return fabs(eu_db(a) - eu_db(b)) <= 0.5;
}

#define EXPECT(cs_, n_, rms_)                                                                \
  CHECK((cs_).samples == (n_) && db_near((cs_).rms, (rms_)),                                  \
        "%ld samples (want %ld), rms %f (want %f)", (cs_).samples, (long)(n_), (cs_).rms,      \
        (double)(rms_))

/* --- hooks ------------------------------------------------------------------- */

static int count_cb(void *ud, const liq_meta *m)
{
  (void)m;
  (*(int *)ud)++;
  return 0;
}

static int count_void(void *ud)
{
  (*(int *)ud)++;
  return 0;
}

static double last_pos;
static int pos_calls;

static int pos_cb(void *ud, double t, const liq_meta *m)
{
  (void)ud;
  (void)m;
  last_pos = t;
  pos_calls++;
  return 0;
}

/* --- time.c -------------------------------------------------------------------- */

static void test_time(void)
{
  liq_source *in = sine(440, 5);
  chstats cs = render(liq_op_max_duration(NULL, 2.5, "liq_remaining", in, &err), "maxdur.wav");
  liq_source_unref(in);
  EXPECT(cs, 111132, 0.707083); /* 2.1.3: 63 whole frames */

  int tracks = 0;
  in = sine(440, 5);
  liq_source *ch = liq_op_chop(NULL, LIQ_FLOAT(1.5), NULL, NO_META_FN, in, &err);
  liq_source_on_track(ch, (liq_cb_meta){count_cb, &tracks, NULL});
  cs = render(ch, "chop.wav");
  liq_source_unref(in);
  EXPECT(cs, 220500, 0.707071);
  CHECK(tracks == 4, "chop(1.5) over 5 s: %d tracks", tracks);

  /* delay in stream time: 1 s tracks from chop, 1 s pause after each, so
   * fallback alternates sine and blank. 2.1.3 counts wall-clock time and
   * never comes back within the fast render (rms 0.322446). */
  liq_source *sn = sine(440, -1);
  liq_source *cp = liq_op_chop(NULL, LIQ_FLOAT(1), NULL, NO_META_FN, sn, &err);
  liq_source *dl = liq_op_delay(NULL, LIQ_FLOAT(1), 0, cp, &err);
  liq_source *bl = liq_op_blank(NULL, -1, &err);
  liq_source *fbin[2] = {dl, bl};
  liq_source *fb = liq_op_fallback(NULL, fbin, 2, 0, 1, NULL, &err);
  cs = render(liq_op_max_duration(NULL, 5, NULL, fb, &err), "delay.wav");
  CHECK(cs.samples == 220500 && fabs(cs.rms - 0.707071 * sqrt(3.0 / 5)) < 0.01, "delay: %ld %f",
        cs.samples, cs.rms);
  CHECK(liq_source_fallible(dl), "delay is fallible");
  liq_source *l[] = {sn, cp, dl, bl, fb};
  unref_all(l, 5);
}

/* --- track.c -------------------------------------------------------------------- */

static int make_sine880(void *ud, const liq_meta *m, liq_source **out)
{
  (void)ud;
  (void)m;
  *out = sine(880, 1);
  return 0;
}

static void test_track(void)
{
  int tracks = 0;
  liq_source *a = sine(440, 1), *b = sine(880, 1.03);
  liq_source *ab[2] = {a, b};
  liq_source *seq = liq_op_sequence(NULL, ab, 2, 0, &err);
  liq_source *m = liq_op_merge_tracks(NULL, seq, &err);
  liq_source_on_track(m, (liq_cb_meta){count_cb, &tracks, NULL});
  chstats cs = render(m, "merge.wav");
  EXPECT(cs, 89523, 0.707085);
  CHECK(tracks == 1, "merge_tracks: %d tracks", tracks);
  liq_source *l[] = {a, b, seq};
  unref_all(l, 3);

  a = sine(440, 2);
  cs = render(liq_op_append(NULL, a, (liq_cb_source_of_meta){make_sine880, NULL, NULL}, 1, 0, &err),
              "append.wav");
  EXPECT(cs, 132300, 0.707071);
  liq_source_unref(a);

  /* merge=true: one track, also when the original ends on a frame's end
   * (2 s here, 50 frames). */
  a = sine(440, 2);
  tracks = 0;
  m = liq_op_append(NULL, a, (liq_cb_source_of_meta){make_sine880, NULL, NULL}, 1, 1, &err);
  liq_source_on_track(m, (liq_cb_meta){count_cb, &tracks, NULL});
  cs = render(m, "append_merge.wav");
  EXPECT(cs, 132300, 0.707071);
  CHECK(tracks == 1, "append(merge=true): %d tracks", tracks);
  liq_source_unref(a);

  /* cue_cut: cliq's sine seeks, so cue_in 1 / cue_out 3.5 keep exactly
   * 2.5 s. 2.1.3's sine cannot seek: 109368 samples there. */
  a = sine(440, 5);
  liq_source *ins = liq_op_insert_metadata(NULL, a, &err);
  liq_meta *md = liq_meta_new();
  liq_meta_set(md, "liq_cue_in", "1.");
  liq_meta_set(md, "liq_cue_out", "3.5");
  liq_insert_metadata(ins, md, 0);
  liq_meta_unref(md);
  int cin = 0, cout = 0;
  cs = render(liq_op_cue_cut(NULL, NULL, NULL, (liq_cb_void){count_void, &cin, NULL},
                             (liq_cb_void){count_void, &cout, NULL}, ins, &err),
              "cue.wav");
  EXPECT(cs, 110250, 0.707071);
  CHECK(cin == 1 && cout == 1, "cue callbacks %d %d", cin, cout);
  liq_source_unref(ins);
  liq_source_unref(a);

  /* Hooks: 2.1.3 reports remaining 1. and position 1.32 (end of frame). */
  a = sine(440, 3);
  pos_calls = 0;
  cs = render(liq_op_on_end(NULL, LIQ_FLOAT(1), (liq_cb_position){pos_cb, NULL, NULL}, a, &err),
              "onend.wav");
  CHECK(pos_calls == 1 && NEAR(last_pos, 1.0, 1e-9), "on_end %d %f", pos_calls, last_pos);
  liq_source_unref(a);
  a = sine(440, 3);
  pos_calls = 0;
  cs = render(liq_op_on_offset(NULL, 1.3, 0, "liq_on_offset", (liq_cb_position){pos_cb, NULL, NULL},
                               a, &err),
              "onoff.wav");
  CHECK(pos_calls == 1 && NEAR(last_pos, 1.32, 1e-9), "on_offset %d %f", pos_calls, last_pos);
  EXPECT(cs, 132300, 0.707071);
  liq_source_unref(a);
}

/* prepend: a = 1 s of 440 Hz at 0.5 with metadata `title` (and
 * liq_prepend=flag when given); 1 s of 880 Hz at full scale goes before. */
static void check_prepend(int merge, const char *flag, int with_meta, long want_samples,
                          int want_tracks)
{
  liq_source *a = sine_a(440, 1, 0.5);
  liq_source *ins = liq_op_insert_metadata(NULL, a, &err);
  if (with_meta) {
    liq_meta *md = liq_meta_new();
    liq_meta_set(md, "title", "a");
    if (flag) liq_meta_set(md, "liq_prepend", flag);
    liq_insert_metadata(ins, md, 0);
    liq_meta_unref(md);
  }
  liq_source *p = liq_op_prepend(NULL, ins, (liq_cb_source_of_meta){make_sine880, NULL, NULL},
                                 merge, &err);
  CHECK(p && liq_source_fallible(p), "prepend of a fallible source is fallible");
  int tracks = 0;
  liq_source_on_track(p, (liq_cb_meta){count_cb, &tracks, NULL});
  const char *path = eu_tmp_path("prepend.wav");
  eu_render(p, path, 1, 1000);
  eu_stats all, head, tail;
  CHECK(eu_wav_stats(path, 0, -1, &all) == 0 && eu_wav_stats(path, 0, 44100, &head) == 0,
        "prepend: no output");
  CHECK(all.samples == want_samples, "prepend(merge=%d, %s): %ld samples", merge,
        flag ? flag : "-", all.samples);
  /* The loud prepended tone first, then the original track. */
  int prepended = want_samples > 44100;
  CHECK(NEAR(head.rms, prepended ? 0.707071 : 0.353535, 1e-3), "prepend: first rms %f", head.rms);
  if (prepended && eu_wav_stats(path, 44100, -1, &tail) == 0)
    CHECK(NEAR(tail.rms, 0.353535, 1e-3), "prepend: then rms %f", tail.rms);
  CHECK(tracks == want_tracks, "prepend(merge=%d): %d tracks", merge, tracks);
  unlink(path);
  liq_source *l[] = {p, ins, a};
  unref_all(l, 3);
}

static void test_prepend(void)
{
  check_prepend(0, NULL, 1, 88200, 2);
  check_prepend(1, NULL, 1, 88200, 1);
  check_prepend(0, "false", 1, 44100, 1);
  check_prepend(0, NULL, 0, 88200, 2); /* without metadata: an empty packet */
}

/* --- select.c -------------------------------------------------------------------------- */

static int dyn_calls;

static int dyn_keep(void *ud, liq_source **out)
{
  (void)ud;
  dyn_calls++;
  *out = NULL;
  return 0;
}

/* A selector transition: the old side, a 0.2 s jingle, the new side. */
static int jingle_old_ready = -1;

static int jingle_transition(void *ud, liq_source *old, liq_source *new_, liq_source **out)
{
  if (ud) return -1; /* the failing variant */
  jingle_old_ready = liq_source_is_ready(old);
  liq_source *j = sine(220, 0.2);
  liq_source *seq[3] = {old, j, new_};
  *out = liq_op_sequence(NULL, seq, 3, 0, &err);
  liq_source_unref(j);
  return 0;
}

static void test_select_transitions(void)
{
  for (int failing = 0; failing < 2; failing++) {
    liq_source *a = sine(440, 1), *b = sine(880, 1);
    liq_source *ab[2] = {a, b};
    liq_transitions tr = {liq_mem_calloc(2, sizeof(liq_cb_switch_transition)), 2, 5., NULL};
    tr.fns[1] = (liq_cb_switch_transition){jingle_transition, failing ? &tr : NULL, NULL};
    liq_source *s = liq_op_rotate(NULL, ab, 2, NULL, 0, 1, &tr, &err);
    int tracks = 0;
    liq_source_on_track(s, (liq_cb_meta){count_cb, &tracks, NULL});
    jingle_old_ready = -1;
    chstats cs = render(s, "seltr.wav");
    if (failing) {
      /* A failed transition switches at once. */
      CHECK(cs.samples == 88200 && tracks == 2, "failed transition: %ld samples, %d tracks",
            cs.samples, tracks);
    } else {
      /* a (1 s), then one track: the jingle and b. The old side is never
       * ready: a's track had ended. */
      CHECK(cs.samples == 88200 + 8820 && tracks == 2, "jingle transition: %ld samples, %d tracks",
            cs.samples, tracks);
      CHECK(jingle_old_ready == 0, "old side ready: %d", jingle_old_ready);
    }
    liq_source_unref(a);
    liq_source_unref(b);
  }
}

static void test_select(void)
{
  for (int rnd = 0; rnd < 2; rnd++) {
    liq_source *a = sine(440, 1), *b = sine(880, 2);
    liq_source *ab[2] = {a, b};
    liq_source *s = rnd ? liq_op_random(NULL, ab, 2, NULL, 0, 1, NULL, &err)
                        : liq_op_rotate(NULL, ab, 2, NULL, 0, 1, NULL, &err);
    CHECK(liq_source_fallible(s), "rotate/random of fallible sources is fallible");
    chstats cs = render(s, "sel.wav");
    EXPECT(cs, 132300, 0.707071);
    liq_source_unref(a);
    liq_source_unref(b);
  }
  /* rotate(weights=[2,1]) over chopped sources: A A B A B B B. */
  liq_source *a = sine(440, 3), *b = sine(880, 2);
  liq_source *ca = liq_op_chop(NULL, LIQ_FLOAT(1), NULL, NO_META_FN, a, &err);
  liq_source *cb = liq_op_chop(NULL, LIQ_FLOAT(0.5), NULL, NO_META_FN, b, &err);
  liq_source *cab[2] = {ca, cb};
  liq_getter_float w[2] = {LIQ_FLOAT(2), LIQ_FLOAT(1)};
  chstats cs = render(liq_op_rotate(NULL, cab, 2, w, 2, 1, NULL, &err), "rotw.wav");
  EXPECT(cs, 220500, 0.707071);
  liq_source *l[] = {a, b, ca, cb};
  unref_all(l, 4);

  a = sine(440, 2);
  dyn_calls = 0;
  liq_source *d = liq_op_source_dynamic(NULL, (liq_cb_source){dyn_keep, NULL, NULL}, a, 0, 0, &err);
  CHECK(d && liq_source_fallible(d), "source.dynamic is fallible");
  cs = render(d, "dyn.wav");
  EXPECT(cs, 88200, 0.707071);
  CHECK(dyn_calls >= 50, "source.dynamic asks once per cycle: %d", dyn_calls);
  liq_source_unref(a);
}

/* --- blank.c ------------------------------------------------------------------------------ */

/* sequence([sine(440, 1 s), one blank track of `blank` s, sine(880, 1 s)]):
 * parts[3] is the sequence; the caller drops all four references. */
static liq_source *sine_blank_sine(double blank, liq_source *parts[4])
{
  parts[0] = sine(440, 1);
  parts[1] = liq_op_blank(NULL, blank, &err);
  parts[2] = sine(880, 1);
  parts[3] = liq_op_sequence(NULL, parts, 3, 0, &err);
  return parts[3];
}

static void test_blank(void)
{
  liq_source *parts[4];
  liq_blank_opts o;
  liq_blank_opts_default(&o);
  o.mode = 1;
  o.max_blank = 1;
  chstats cs = render(liq_op_blank_detect(NULL, &o, sine_blank_sine(3, parts), &err), "bskip.wav");
  EXPECT(cs, 134064, 0.573510); /* 2.1.3: skipped after 1.04 s of blank */
  unref_all(parts, 4);

  int blanks = 0, noises = 0;
  liq_blank_opts_default(&o);
  o.max_blank = 0.5;
  o.on_blank = (liq_cb_void){count_void, &blanks, NULL};
  o.on_noise = (liq_cb_void){count_void, &noises, NULL};
  liq_source *det = liq_op_blank_detect(NULL, &o, sine_blank_sine(2, parts), &err);
  CHECK(liq_blank_is_blank(det) == 0, "not blank at start");
  cs = render(det, "bdetect.wav");
  EXPECT(cs, 176400, 0.499975);
  CHECK(blanks == 1, "on_blank called %d times", blanks);
  /* The blank track's end leaves the blank state (2.1.3): once. */
  CHECK(noises == 1, "on_noise called %d times", noises);
  unref_all(parts, 4);

  /* blank.strip: unavailable once the blank is detected, from the frame
   * that detects it (the 26th of blank) on, which is not played, as in
   * tests/runtime/blank_strip.liq. (2.1.3 stops this fallible output after
   * one frame, 1764 samples.) */
  liq_blank_opts_default(&o);
  o.mode = 2;
  o.max_blank = 1;
  liq_source *st = liq_op_blank_detect(NULL, &o, sine_blank_sine(3, parts), &err);
  CHECK(liq_source_fallible(st), "blank.strip is fallible");
  cs = render(st, "bstrip.wav");
  CHECK(cs.samples == 44100 + 25 * 1764, "blank.strip: %ld samples", cs.samples);
  unref_all(parts, 4);

  /* blank.eat: of 1.5 s of blank ending mid-frame, 2.1.3 keeps 0.3 s
   * (101430 samples in all); without track_sensitive 0.28 s. */
  for (int ts = 1; ts >= 0; ts--) {
    liq_blank_opts_default(&o);
    o.mode = 3;
    o.max_blank = 0.3;
    o.track_sensitive = ts;
    cs = render(liq_op_blank_detect(NULL, &o, sine_blank_sine(1.5, parts), &err), "beat.wav");
    CHECK(cs.samples == (ts ? 101430 : 100548), "blank.eat (track_sensitive %d): %ld samples", ts,
          cs.samples);
    unref_all(parts, 4);
  }
}

/* --- stereo.c / effects.c --------------------------------------------------------------------- */


/* RMS of channel c of a WAV over [from, to) seconds. */
static double win_rms(const char *path, int c, double from, double to)
{
  long n;
  float *x = eu_wav_channel(path, c, &n);
  long a = (long)(from * 44100), b = (long)(to * 44100);
  double sq = 0;
  for (long i = a; x && i < b && i < n; i++) sq += (double)x[i] * x[i];
  free(x);
  return b > a ? sqrt(sq / (double)(b - a)) : 0;
}

/* echo's tail: a 0.2 s tone (300 Hz, 0.2), then blank; d = 0.2 s, so the
 * echoes of the tone fill the silence at g, g^2... across frames and
 * across the track boundary. */
static void echo_tail(void)
{
  liq_source *l[] = {sine_a(300, 0.2, 0.2), liq_op_blank(NULL, 1, &err)};
  liq_source *q = liq_op_sequence(NULL, l, 2, 0, &err);
  liq_source *e = liq_op_echo(NULL, LIQ_FLOAT(0.2), LIQ_FLOAT(-6), 0, q, &err);
  const char *path = eu_tmp_path("echot.wav");
  eu_render(e, path, 1, 30);
  double g = pow(10, -6 / 20.0), x = 0.141421;
  double w0 = win_rms(path, 0, 0, 0.2), w1 = win_rms(path, 0, 0.2, 0.4);
  double w2 = win_rms(path, 0, 0.4, 0.6);
  CHECK(NEAR(w0, x, 0.0005) && NEAR(w1, x * g, 0.0005) && NEAR(w2, x * g * g, 0.0005),
        "echo tail: %f %f %f", w0, w1, w2);
  unlink(path);
  liq_source_unref(e);
  liq_source_unref(q);
  unref_all(l, 2);
}

/* echo(ping_pong): a tone on the left (300 Hz, 0.2) comes out pre-delayed
 * by d = 0.1 s there, then feeds back at 2d (60 periods, in phase); the
 * right stays silent. */
static void echo_ping_pong(void)
{
  liq_source *a = sine_a(300, 1, 0.2);
  liq_source *p = liq_op_stereo_pan(NULL, LIQ_FLOAT(1), LIQ_FLOAT(90), a, &err);
  liq_source *e = liq_op_echo(NULL, LIQ_FLOAT(0.1), LIQ_FLOAT(-6), 1, p, &err);
  const char *path = eu_tmp_path("echopp.wav");
  eu_render(e, path, 1, -1);
  double g = pow(10, -6 / 20.0), x = 0.141421;
  double w0 = win_rms(path, 0, 0, 0.1), w1 = win_rms(path, 0, 0.1, 0.3);
  double w2 = win_rms(path, 0, 0.3, 0.5), r = win_rms(path, 1, 0, 1);
  CHECK(w0 < 1e-6 && NEAR(w1, x, 0.0005) && NEAR(w2, x * (1 + g), 0.0005) && r < 1e-6,
        "echo ping_pong: %f %f %f, right %f", w0, w1, w2, r);
  unlink(path);
  liq_source *l[] = {e, p, a};
  unref_all(l, 3);
}
static void test_channels(void)
{
  liq_source *a = sine(440, 2);
  liq_source *amp = liq_op_amplify(NULL, LIQ_FLOAT(2), NULL, a, &err);
  chstats cs = render(liq_op_clip(NULL, amp, &err), "clip.wav");
  EXPECT(cs, 88200, 0.884280);
  liq_source_unref(amp);
  liq_source_unref(a);

  a = sine(440, 2);
  cs = render(liq_op_stereo_pan(NULL, LIQ_FLOAT(0.5), LIQ_FLOAT(90), a, &err), "pan.wav");
  CHECK(cs.samples == 88200 && NEAR(cs.l, 0.499971, 0.0005) && NEAR(cs.r, 0.207086, 0.0005),
        "pan 0.5: %f %f", cs.l, cs.r);
  liq_source_unref(a);

  /* pan=-1: right only; then width -1 (mono) and mean. */
  a = sine(440, 2);
  liq_source *p = liq_op_stereo_pan(NULL, LIQ_FLOAT(-1), LIQ_FLOAT(90), a, &err);
  cs = render(liq_source_ref(p), "panl.wav");
  CHECK(NEAR(cs.l, 0, 0.0001) && NEAR(cs.r, 0.707071, 0.0005), "pan -1: %f %f", cs.l, cs.r);
  liq_source_unref(p);
  liq_source_unref(a);
  a = sine(440, 2);
  p = liq_op_stereo_pan(NULL, LIQ_FLOAT(-1), LIQ_FLOAT(90), a, &err);
  cs = render(liq_op_stereo_width(NULL, LIQ_FLOAT(-1), p, &err), "widthm.wav");
  CHECK(NEAR(cs.l, 0.353529, 0.0005) && NEAR(cs.r, 0.353529, 0.0005), "width -1: %f %f", cs.l,
        cs.r);
  liq_source_unref(p);
  liq_source_unref(a);

  /* 2.1.3: stereo.width(0., stereo.pan(pan=0.5, ...)) silences the left
   * channel (width 0 is not the identity). */
  a = sine(440, 2);
  p = liq_op_stereo_pan(NULL, LIQ_FLOAT(0.5), LIQ_FLOAT(90), a, &err);
  cs = render(liq_op_stereo_width(NULL, LIQ_FLOAT(0), p, &err), "width0.wav");
  CHECK(NEAR(cs.l, 0, 0.0001) && NEAR(cs.r, 0.207107, 0.0005), "width 0: %f %f", cs.l, cs.r);
  liq_source_unref(p);
  liq_source_unref(a);

  a = sine(440, 2);
  p = liq_op_stereo_pan(NULL, LIQ_FLOAT(-1), LIQ_FLOAT(90), a, &err);
  liq_source *mn = liq_op_mean(NULL, 1, p, &err);
  CHECK(mn && liq_source_format(mn).channels == 1, "mean is mono");
  cs = render(liq_op_audio_to_stereo(NULL, mn, &err), "mean.wav");
  CHECK(cs.samples == 88200 && NEAR(cs.l, 0.353529, 0.0005) && NEAR(cs.r, 0.353529, 0.0005),
        "mean: %f %f", cs.l, cs.r);
  liq_source *l[] = {mn, p, a};
  unref_all(l, 3);
  a = sine(440, 2);
  p = liq_op_stereo_pan(NULL, LIQ_FLOAT(-1), LIQ_FLOAT(90), a, &err);
  mn = liq_op_mean(NULL, 0, p, &err);
  cs = render(liq_op_audio_to_stereo(NULL, mn, &err), "meann.wav");
  EXPECT(cs, 88200, 0.707071);
  liq_source *l2[] = {mn, p, a};
  unref_all(l2, 3);

  /* echo: y = x + g y[n - d]; 300 Hz at 0.2 with d = 0.5 s (150 whole
   * periods, in phase): 0.2, then 0.2 (1 + g), ... The first 0.5 s is
   * untouched. The line spans frames (2.1.3's loses its past between two
   * fills, so there this stays unchanged). */
  a = sine_a(300, 3, 0.2);
  const char *path = eu_tmp_path("echo.wav");
  liq_source *e = liq_op_echo(NULL, LIQ_FLOAT(0.5), LIQ_FLOAT(-6), 0, a, &err);
  eu_render(e, path, 1, -1);
  liq_source_unref(e);
  liq_source_unref(a);
  eu_stats st0, st1;
  eu_wav_stats(path, 0, 22050, &st0);
  eu_wav_stats(path, 22050, 44100, &st1);
  double g = pow(10, -6 / 20.0);
  CHECK(st0.samples == 132300 && NEAR(st0.rms, 0.141405, 0.0005) &&
            NEAR(st1.rms, 0.141405 * (1 + g), 0.001),
        "echo: %ld %f %f", st0.samples, st0.rms, st1.rms);
  unlink(path);

  echo_tail();
  echo_ping_pong();

  a = sine(440, 2);
  liq_source *rm = liq_op_rms(NULL, LIQ_FLOAT(0.5), a, &err);
  cs = render(liq_source_ref(rm), "rms.wav");
  CHECK(NEAR(liq_level_get(rm), 0.707107, 0.0005), "rms %f (2.1.3: 0.707107)", liq_level_get(rm));
  liq_source_unref(rm);
  liq_source_unref(a);
  a = sine_a(440, 2, 0.5);
  rm = liq_op_peak(NULL, LIQ_FLOAT(0.5), a, &err);
  cs = render(liq_source_ref(rm), "peak.wav");
  CHECK(NEAR(liq_level_get(rm), 0.5, 0.0005), "peak %f (2.1.3: 0.5)", liq_level_get(rm));
  liq_source_unref(rm);
  liq_source_unref(a);
}

/* --- cross.c ------------------------------------------------------------------------------ */

static liq_source *xfade_of(const double *freqs, int n, double track, double d, double fi,
                            double fo)
{
  liq_source *in[4];
  for (int i = 0; i < n; i++) in[i] = sine(freqs[i], track);
  liq_source *seq = liq_op_sequence(NULL, in, n, 0, &err);
  liq_source *x = liq_op_crossfade(NULL, d, fi, fo, 2, -1, NULL, seq, &err);
  unref_all(in, n);
  liq_source_unref(seq);
  return x;
}

static int seq_transition(void *ud, const liq_cross_side *before, const liq_cross_side *after,
                          liq_source **out)
{
  (void)ud;
  liq_source *sides[2] = {before->source, after->source};
  *out = liq_op_sequence(NULL, sides, 2, 0, &err);
  return *out ? 0 : -1;
}

static void test_cross(void)
{
  static const double f2[] = {440, 880}, f3[] = {440, 880, 660};
  /* 2.1.3: 486864 samples, rms 0.643117 (a track holds back one frame
   * less than `duration`). */
  chstats cs = render(xfade_of(f2, 2, 8, 5, 3, 3), "xfade.wav");
  EXPECT(cs, 486864, 0.643117);
  /* 2.1.3: 705600 samples, rms 0.645703. */
  cs = render(xfade_of(f3, 3, 8, 5, 3, 3), "xfade3.wav");
  EXPECT(cs, 705600, 0.645703);
  /* 2.1.3: 398664 samples, rms 0.652431. */
  cs = render(xfade_of(f2, 2, 6, 3, 2, 2), "xfade2.wav");
  EXPECT(cs, 398664, 0.652431);
  /* 444528 samples as in 2.1.3. A track starts at each transition (not in
   * 2.1.3, see cross.c). */
  liq_source *x = xfade_of(f3, 3, 4, 1, 1, 1);
  int tracks = 0;
  liq_source_on_track(x, (liq_cb_meta){count_cb, &tracks, NULL});
  cs = render(x, "xfade4.wav");
  CHECK(cs.samples == 444528, "crossfade 3x4 s: %ld samples", cs.samples);
  CHECK(tracks == 3, "crossfade: %d tracks", tracks);
  /* A transition's inner track boundary is the output's: sequence(before,
   * after) over two 2 s tracks with 1 s sides gives tracks of 1 + 1 + 2 s. */
  liq_source *in[2] = {sine(440, 2), sine(880, 2)};
  liq_source *seq = liq_op_sequence(NULL, in, 2, 0, &err);
  x = liq_op_cross(NULL, 1, 2, -1, (liq_cb_transition){seq_transition, NULL, NULL}, seq, &err);
  tracks = 0;
  liq_source_on_track(x, (liq_cb_meta){count_cb, &tracks, NULL});
  cs = render(x, "cross.wav");
  EXPECT(cs, 4 * 44100, 0.707107);
  CHECK(tracks == 3, "cross: %d tracks", tracks);
  unref_all(in, 2);
  liq_source_unref(seq);
}

/* --- buffer.c ----------------------------------------------------------------------------- */

static void test_buffer(void)
{
  /* Both clocks stepped by hand (sync none, one thread): the input clock
   * runs first and fills the ring with the whole 3 s, then the reader's
   * clock renders it: same length and level. */
  liq_source *a = sine(440, 3);
  liq_output_opts wo;
  liq_output_opts_default(&wo);
  wo.fallible = 1;
  liq_source *w = NULL;
  liq_source *rd = liq_op_buffer(NULL, 1, 10, &wo, a, &w, &err);
  CHECK(rd && w && liq_source_fallible(rd), "buffer: %s", liq_sb_str(&err));
  liq_clock *ic = liq_clock_new("buffer-in", LIQ_SYNC_NONE);
  CHECK(liq_clock_add(ic, w, &err) == 0, "%s", liq_sb_str(&err));
  liq_clock_run(ic, 100);
  CHECK(liq_buffer_length(rd) == 132300, "buffered %lld", (long long)liq_buffer_length(rd));
  chstats cs = render(rd, "buffer.wav");
  EXPECT(cs, 132300, 0.707071);
  liq_clock_free(ic);
  liq_source_unref(w);
  liq_source_unref(a);

  /* max=1.5 s: the oldest 1.5 s are dropped; a track mark survives. */
  liq_source *b1 = sine(440, 1.5), *b2 = sine(880, 1.5);
  liq_source *bb[2] = {b1, b2};
  liq_source *seq = liq_op_sequence(NULL, bb, 2, 0, &err);
  liq_output_opts_default(&wo);
  wo.fallible = 1;
  rd = liq_op_buffer(NULL, 0.5, 2, &wo, seq, &w, &err);
  ic = liq_clock_new("buffer-in2", LIQ_SYNC_NONE);
  CHECK(liq_clock_add(ic, w, &err) == 0, "%s", liq_sb_str(&err));
  liq_clock_run(ic, 100);
  int tracks = 0;
  liq_source_on_track(rd, (liq_cb_meta){count_cb, &tracks, NULL});
  cs = render(rd, "buffer2.wav");
  CHECK(cs.samples == 88200, "buffer max 2 s: %ld samples", cs.samples);
  CHECK(tracks == 2, "buffer: %d tracks", tracks);
  liq_clock_free(ic);
  liq_source *l[] = {w, seq, b1, b2};
  unref_all(l, 4);
}

/* --- allocation --------------------------------------------------------------------------------- */

static void test_alloc(void)
{
  liq_source *a = sine(440, -1), *b = sine(660, -1);
  liq_source *ca = liq_op_chop(NULL, LIQ_FLOAT(0.7), NULL, NO_META_FN, a, &err);
  liq_source *cb = liq_op_chop(NULL, LIQ_FLOAT(0.3), NULL, NO_META_FN, b, &err);
  liq_source *ab[2] = {ca, cb};
  liq_source *rot = liq_op_rotate(NULL, ab, 2, NULL, 0, 1, NULL, &err);
  liq_source *xf = liq_op_crossfade(NULL, 0.5, 0.3, 0.3, 2, -1, NULL, rot, &err);
  liq_source *mg = liq_op_merge_tracks(NULL, xf, &err);
  liq_source *pn = liq_op_stereo_pan(NULL, LIQ_FLOAT(0.3), LIQ_FLOAT(90), mg, &err);
  liq_source *wd = liq_op_stereo_width(NULL, LIQ_FLOAT(0.2), pn, &err);
  liq_source *ec = liq_op_echo(NULL, LIQ_FLOAT(0.3), LIQ_FLOAT(-6), 1, wd, &err);
  liq_source *rm = liq_op_rms(NULL, LIQ_FLOAT(0.5), ec, &err);
  liq_blank_opts o;
  liq_blank_opts_default(&o);
  liq_source *bd = liq_op_blank_detect(NULL, &o, rm, &err);
  liq_source *mn = liq_op_mean(NULL, 1, bd, &err);
  liq_source *st = liq_op_audio_to_stereo(NULL, mn, &err);
  liq_source *cl = liq_op_clip(NULL, st, &err);
  liq_clock *c = liq_clock_new("alloc2", LIQ_SYNC_NONE);
  liq_output_opts oo;
  liq_output_opts_default(&oo);
  oo.fallible = 1; /* crossfade is fallible */
  liq_source *out = liq_output_dummy_new(cl, &oo, &err);
  CHECK(out && liq_clock_add(c, out, &err) == 0, "%s", liq_sb_str(&err));
  liq_clock_run(c, 200);
  uint64_t allocs = liq_frame_allocations();
  size_t bytes = liq_mem_in_use();
  liq_clock_run(c, 3000);
  uint64_t d_allocs = liq_frame_allocations() - allocs;
  long d_bytes = (long)liq_mem_in_use() - (long)bytes;
  printf("ops2 graph after warm-up: %llu frame allocations, %ld bytes through liq_mem\n",
         (unsigned long long)d_allocs, d_bytes);
  CHECK(d_allocs == 0, "frame allocations in steady state: %llu", (unsigned long long)d_allocs);
  CHECK(d_bytes == 0, "liq_mem bytes grew by %ld", d_bytes);
  CHECK(liq_output_samples(out) == (int64_t)3200 * 1764, "the graph ran: %lld samples",
        (long long)liq_output_samples(out));
  liq_source *l[] = {out, cl, st, mn, bd, rm, ec, wd, pn, mg, xf, rot, ca, cb, a, b};
  unref_all(l, 16);
  liq_clock_free(c);
}

int main(void)
{
  liq_log_set_level(getenv("ENGINE_TEST_VERBOSE") ? LIQ_LOG_DEBUG : LIQ_LOG_CRITICAL);
  test_time();
  test_track();
  test_prepend();
  test_select();
  test_blank();
  test_channels();
  test_cross();
  test_select_transitions();
  test_buffer();
  test_alloc();
  liq_sb_free(&err);
  if (eu_failures) fprintf(stderr, "%d check(s) failed\n", eu_failures);
  return eu_failures != 0;
}
