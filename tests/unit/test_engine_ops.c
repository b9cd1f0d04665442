/* Engine tests: render operator graphs offline (sync none) to WAV and check
 * sample counts, RMS and peak against the values measured on Liquidsoap
 * 2.1.3 (doc/runtime.md), track boundaries, metadata and callbacks. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/engine_util.h"
#include "runtime/log.h"
#include "runtime/ops/ops.h"
#include "runtime/output.h"

static liq_sb err = LIQ_SB_INIT;

static liq_source *sine(double freq, double duration)
{
  return liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(freq), LIQ_FLOAT(1), duration, &err);
}

/* Renders a graph (consuming the caller's reference) and returns its stats. */
static eu_stats render(liq_source *s, const char *name, int fallible, int64_t cycles)
{
  eu_stats st;
  const char *path = eu_tmp_path(name);
  eu_render(s, path, fallible, cycles);
  liq_source_unref(s);
  if (eu_wav_stats(path, 0, -1, &st) != 0) {
    CHECK(0, "%s: no output file", name);
    memset(&st, 0, sizeof st);
  }
  unlink(path);
  return st;
}

static void test_sine(void)
{
  eu_stats st = render(sine(440, 5), "sine.wav", 1, -1);
  CHECK(st.samples == 220500, "sine 5 s: %ld samples", st.samples);
  CHECK(NEAR(st.rms, 0.707071, 0.0005), "sine rms %f", st.rms);
  CHECK(NEAR(st.peak, 0.999939, 0.0001), "sine peak %f", st.peak);
  /* The header is patched with the real sizes on close. */
  CHECK(st.data_size == 220500u * 4, "data size %u", st.data_size);
  CHECK(st.riff_size == 220500u * 4 + 36, "riff size %u", st.riff_size);

  /* Durations are truncated to samples, not to frames. */
  st = render(sine(440, 1.01), "sine101.wav", 1, -1);
  CHECK(st.samples == 44541, "sine 1.01 s: %ld samples", st.samples);
  st = render(sine(440, 1.000015), "sine1.wav", 1, -1);
  CHECK(st.samples == 44100, "sine 1.000015 s: %ld samples", st.samples);

  /* Phase 0, amplitude 1, trunc(x * 32767) at 16 bits: sample 1 is 2052. */
  const char *path = eu_tmp_path("phase.wav");
  liq_source *s = sine(440, 0.1);
  eu_render(s, path, 1, -1);
  liq_source_unref(s);
  long n;
  float *x = eu_wav_channel(path, 0, &n);
  CHECK(x && x[0] == 0 && x[1] * 32768 == 2052, "first samples %f %f", x ? x[0] : -1,
        x ? x[1] * 32768 : -1);
  free(x);
  unlink(path);

  st = render(liq_op_wave(LIQ_WAVE_SQUARE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(1), 2, &err),
              "square.wav", 1, -1);
  CHECK(NEAR(st.rms, 0.999969, 0.0005), "square rms %f", st.rms);
  st = render(liq_op_wave(LIQ_WAVE_SAW, NULL, LIQ_FLOAT(440), LIQ_FLOAT(1), 2, &err), "saw.wav",
              1, -1);
  CHECK(NEAR(st.rms, 0.577320, 0.002), "saw rms %f", st.rms);
  /* Where the frequency divides the rate, periods start exactly on a
   * sample: saw is at -1 there and square at +1 (2.1.3's samples 441,
   * 882... of a 200 Hz wave, measured), not at a period's end. */
  for (int w = 0; w < 2; w++) {
    path = eu_tmp_path("wrap.wav");
    s = liq_op_wave(w ? LIQ_WAVE_SQUARE : LIQ_WAVE_SAW, NULL, LIQ_FLOAT(200), LIQ_FLOAT(1), 1, &err);
    eu_render(s, path, 1, -1);
    liq_source_unref(s);
    x = eu_wav_channel(path, 0, &n);
    int starts = x && n == 44100;
    for (long k = 441; starts && k < n; k += 441) starts = w ? x[k] > 0.99f : x[k] < -0.99f;
    CHECK(starts, "%s at 200 Hz: a period does not start on its sample", w ? "square" : "saw");
    free(x);
    unlink(path);
  }
  st = render(liq_op_noise(NULL, 5, &err), "noise.wav", 1, -1);
  CHECK(st.samples == 220500 && NEAR(st.rms, 0.576951, 0.005), "noise %ld %f", st.samples,
            st.rms);
}

static void test_amplify_add(void)
{
  liq_source *in = sine(440, 5);
  eu_stats st = render(liq_op_amplify(NULL, LIQ_FLOAT(0.5), "liq_amplify", in, &err), "amp.wav",
                       1, -1);
  liq_source_unref(in);
  CHECK(NEAR(st.rms, 0.353529, 0.0005) && NEAR(st.peak, 0.499969, 0.0001), "amplify %f %f",
        st.rms, st.peak);

  liq_source *a = sine(440, 5), *b = sine(880, 5);
  liq_source *ab[2] = {a, b};
  st = render(liq_op_add(NULL, ab, 2, NULL, LIQ_BOOL(1), LIQ_BOOL(0), &err), "add.wav", 1, -1);
  CHECK(st.samples == 220500 && NEAR(st.rms, 0.499972, 0.0005) && NEAR(st.peak, 0.880035, 0.001),
        "add normalized %ld %f %f", st.samples, st.rms, st.peak);
  liq_source_unref(a);
  liq_source_unref(b);

  a = sine(440, 5), b = sine(880, 5);
  liq_source *ab2[2] = {a, b};
  liq_getter_float w[2] = {LIQ_FLOAT(0.25), LIQ_FLOAT(0.25)};
  st = render(liq_op_add(NULL, ab2, 2, w, LIQ_BOOL(0), LIQ_BOOL(0), &err), "addw.wav", 1, -1);
  CHECK(NEAR(st.rms, 0.25, 0.0005), "add weights, not normalized: %f", st.rms);
  liq_source_unref(a);
  liq_source_unref(b);
}

/* A shared source is computed once per cycle: add([s, s]) is s. */
static void test_shared_source(void)
{
  liq_source *s = sine(440, 2);
  liq_source *ss[2] = {s, s};
  const char *path = eu_tmp_path("shared.wav");
  liq_source *mix = liq_op_add(NULL, ss, 2, NULL, LIQ_BOOL(1), LIQ_BOOL(0), &err);
  eu_render(mix, path, 1, -1);
  liq_source_unref(mix);
  liq_source_unref(s);
  long n;
  float *x = eu_wav_channel(path, 1, &n);
  int bad = 0;
  for (long i = 0; x && i < n; i++) {
    float want = (float)sin(2 * M_PI * 440 * i / 44100.0);
    if (fabsf(x[i] - want) > 2.5e-4f) bad++;
  }
  CHECK(x && n == 88200 && bad == 0, "shared sine: %ld samples, %d off", n, bad);
  free(x);
  unlink(path);
}

typedef struct track_log {
  int n;
  double at[16];
  char title[16][32];
  liq_source *s;
} track_log;

static int on_track(void *ud, const liq_meta *m)
{
  track_log *t = ud;
  if (t->n < 16) {
    const char *v = liq_meta_get(m, "title");
    snprintf(t->title[t->n], 32, "%s", v ? v : "");
    t->at[t->n++] = 0;
  }
  return 0;
}

static void test_sequence_tracks(void)
{
  liq_source *parts[3] = {sine(440, 1), liq_op_blank(NULL, 0.5, &err), sine(880, 1.03)};
  liq_source *seq = liq_op_sequence(NULL, parts, 3, 0, &err);
  for (int i = 0; i < 3; i++) liq_source_unref(parts[i]);
  /* blank(duration=0.5) repeats, so the sequence never ends: 100 cycles. */
  track_log tl = {0};
  liq_source_on_track(seq, (liq_cb_meta){on_track, &tl, NULL});
  const char *path = eu_tmp_path("seq.wav");
  eu_render(seq, path, 1, 100);
  liq_source_unref(seq);
  eu_stats st;
  eu_wav_stats(path, 0, 44100, &st);
  CHECK(NEAR(st.rms, 0.7071, 0.001), "seq first second %f", st.rms);
  eu_wav_stats(path, 44100, 66150, &st);
  CHECK(st.peak == 0, "seq blank part peak %f", st.peak);
  eu_wav_stats(path, 66150, 111573, &st);
  CHECK(NEAR(st.rms, 0.7071, 0.001), "seq third part %f", st.rms);
  eu_wav_stats(path, 111573, -1, &st);
  CHECK(st.peak == 0, "blank repeats after: %f", st.peak);
  CHECK(tl.n >= 3, "on_track count %d", tl.n);
  unlink(path);

  /* The 2.1.3 reference: sequence of finite sines ends after their sum. */
  liq_source *p2[2] = {sine(440, 1), sine(880, 2)};
  st = render(liq_op_sequence(NULL, p2, 2, 0, &err), "seq2.wav", 1, -1);
  CHECK(st.samples == 132300, "sequence length %ld", st.samples);
  liq_source_unref(p2[0]);
  liq_source_unref(p2[1]);

  /* once(fallback([sine 1 s, sine 2 s])) plays the first track only. */
  liq_source *p3[2] = {sine(440, 1), sine(880, 2)};
  liq_source *fb = liq_op_fallback(NULL, p3, 2, 1, 1, NULL, &err);
  st = render(liq_op_once(NULL, fb, &err), "once.wav", 1, -1);
  CHECK(st.samples == 44100, "once(fallback) length %ld", st.samples);
  liq_source_unref(fb);
  liq_source_unref(p3[0]);
  liq_source_unref(p3[1]);
}

static void test_fallibility(void)
{
  liq_source *s = sine(440, 1);
  liq_file_opts o;
  liq_file_opts_default(&o);
  o.file.path = eu_tmp_path("never.wav");
  liq_sb e = LIQ_SB_INIT;
  liq_source *out = liq_output_file_new(s, &o, &e);
  CHECK(!out && strstr(liq_sb_str(&e), "That source is fallible"), "fallible check: %s",
        liq_sb_str(&e));
  liq_sb_free(&e);
  CHECK(liq_source_fallible(s), "sine(duration) is fallible");
  liq_source *safe = liq_op_mksafe(NULL, s, &err);
  CHECK(!liq_source_fallible(safe), "mksafe is infallible");
  /* mksafe: one second of sine then silence, no interruption. */
  const char *path = eu_tmp_path("mksafe.wav");
  eu_render(safe, path, 0, 50);
  eu_stats st;
  eu_wav_stats(path, 0, 44100, &st);
  CHECK(NEAR(st.rms, 0.7071, 0.001), "mksafe sine part %f", st.rms);
  eu_wav_stats(path, 44100, -1, &st);
  CHECK(st.samples == 88200 && st.peak == 0, "mksafe blank part %ld %f", st.samples, st.peak);
  unlink(path);
  liq_source_unref(safe);
  liq_source_unref(s);

  liq_source *inf = sine(440, -1);
  liq_source *pair[2] = {s = sine(440, 1), inf};
  liq_source *fb = liq_op_fallback(NULL, pair, 2, 1, 1, NULL, &err);
  CHECK(!liq_source_fallible(fb), "fallback with an infallible child is infallible");
  liq_source *fb2 = liq_op_fallback(NULL, pair, 1, 1, 1, NULL, &err);
  CHECK(liq_source_fallible(fb2), "fallback of fallible children is fallible");
  liq_source *once = liq_op_once(NULL, inf, &err);
  CHECK(liq_source_fallible(once), "once is fallible");
  liq_switch_case sc[1] = {{LIQ_BOOL(1), inf, 0}};
  liq_source *sw = liq_op_switch(NULL, sc, 1, LIQ_BOOL(1), 1, NULL, &err);
  CHECK(!liq_source_fallible(sw), "switch({true}, infallible) is infallible");
  liq_source_unref(sw);
  liq_switch_case sc2[1] = {{LIQ_BOOL(0), inf, 0}};
  sw = liq_op_switch(NULL, sc2, 1, LIQ_BOOL(1), 1, NULL, &err);
  CHECK(liq_source_fallible(sw), "switch({false}, s) is fallible");
  liq_source_unref(sw);
  liq_source *amp = liq_op_amplify(NULL, LIQ_FLOAT(1), NULL, s, &err);
  CHECK(liq_source_fallible(amp), "amplify of a fallible source is fallible");
  liq_source *add = liq_op_add(NULL, pair, 2, NULL, LIQ_BOOL(1), LIQ_BOOL(0), &err);
  CHECK(!liq_source_fallible(add), "add with an infallible input is infallible");
  liq_source *all[] = {fb, fb2, once, amp, add, inf, s};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) liq_source_unref(all[i]);
}

/* A predicate that turns false after `limit` calls to its getter. */
typedef struct flip {
  int calls, limit;
} flip;

static int flip_pred(void *ud, int *out)
{
  flip *f = ud;
  *out = f->calls++ < f->limit;
  return 0;
}

static void test_switch(void)
{
  /* Not track sensitive: the predicates are read at the end of each frame
   * (twice in the first cycle: the initial choice, then the end of frame)
   * and a change takes effect at the next frame, with a track mark there,
   * as in 2.1.3. */
  liq_source *a = sine(440, -1), *b = liq_op_blank(NULL, -1, &err);
  flip fl = {0, 20};
  liq_switch_case sc[2] = {{{0, flip_pred, &fl, NULL}, a, 0}, {LIQ_BOOL(1), b, 0}};
  liq_source *sw = liq_op_switch(NULL, sc, 2, LIQ_BOOL(0), 1, NULL, &err);
  track_log tl = {0};
  liq_source_on_track(sw, (liq_cb_meta){on_track, &tl, NULL});
  const char *path = eu_tmp_path("switch.wav");
  eu_render(sw, path, 1, 50);
  eu_stats st;
  eu_wav_stats(path, 0, -1, &st);
  CHECK(st.samples == 50 * 1764, "switch length %ld", st.samples);
  long n;
  float *x = eu_wav_channel(path, 0, &n);
  long last_loud = -1;
  for (long i = 0; x && i < n; i++)
    if (fabsf(x[i]) > 0) last_loud = i;
  /* Call 21 (false) is at the end of cycle 19: b plays from cycle 20. */
  CHECK(last_loud + 1 == 20 * 1764, "switched at %ld", last_loud);
  CHECK(tl.n == 2, "two tracks, got %d", tl.n);
  free(x);
  unlink(path);
  liq_source_unref(sw);
  liq_source_unref(a);
  liq_source_unref(b);

  /* Track sensitive fallback: stays on a ready source until its track
   * ends, then goes back to the first ready one. */
  liq_source *seqs[2] = {sine(440, 0.5), sine(880, -1)};
  liq_source *fb = liq_op_fallback(NULL, seqs, 2, 1, 1, NULL, &err);
  path = eu_tmp_path("fallback.wav");
  eu_render(fb, path, 0, 25);
  eu_wav_stats(path, 0, 22050, &st);
  CHECK(NEAR(st.rms, 0.7071, 0.001), "fallback first %f", st.rms);
  eu_wav_stats(path, 22050, -1, &st);
  CHECK(st.samples == 25 * 1764 && NEAR(st.rms, 0.7071, 0.001), "fallback second %ld %f",
        st.samples, st.rms);
  unlink(path);
  liq_source_unref(fb);
  liq_source_unref(seqs[0]);
  liq_source_unref(seqs[1]);
}

static int meta_count;
static char meta_last[64];

static int on_meta(void *ud, const liq_meta *m)
{
  (void)ud;
  meta_count++;
  const char *t = liq_meta_get(m, "title");
  snprintf(meta_last, sizeof meta_last, "%s", t ? t : "");
  return 0;
}

static int upper_title(void *ud, const liq_meta *in, liq_meta **out)
{
  (void)ud;
  const char *t = liq_meta_get(in, "title");
  if (!t) {
    *out = NULL;
    return 0;
  }
  char buf[64];
  snprintf(buf, sizeof buf, "%s", t);
  for (char *p = buf; *p; p++)
    if (*p >= 'a' && *p <= 'z') *p -= 32;
  *out = liq_meta_new();
  liq_meta_set(*out, "title", buf);
  return 0;
}

static int failing_getter(void *ud, double *out)
{
  int *calls = ud;
  if ((*calls)++ >= 10) return -1;
  *out = 0.5;
  return 0;
}

static void test_metadata(void)
{
  liq_source *s = sine(440, -1);
  liq_source *ins = liq_op_insert_metadata(NULL, s, &err);
  liq_source *map = liq_op_metadata_map(NULL, (liq_cb_meta_map){upper_title, NULL, NULL}, 1, 0,
                                        0, ins, &err);
  liq_source_on_metadata(map, (liq_cb_meta){on_meta, NULL, NULL});
  liq_meta *m = liq_meta_new();
  liq_meta_set(m, "title", "hello");
  liq_meta_set(m, "liq_amplify", "-6 dB");
  liq_insert_metadata(ins, m, 0);
  liq_meta_unref(m);
  track_log tl = {0};
  liq_source_on_track(map, (liq_cb_meta){on_track, &tl, NULL});
  liq_source *amp = liq_op_amplify(NULL, LIQ_FLOAT(1), "liq_amplify", map, &err);
  const char *path = eu_tmp_path("meta.wav");
  eu_render(amp, path, 0, 10);
  CHECK(meta_count == 1 && !strcmp(meta_last, "HELLO"), "metadata seen %d '%s'", meta_count,
        meta_last);
  CHECK(tl.n == 1 && !strcmp(tl.title[0], "HELLO"), "on_track with title: %d '%s'", tl.n,
        tl.title[0]);
  eu_stats st;
  eu_wav_stats(path, 0, -1, &st);
  CHECK(NEAR(st.rms, 0.7071 * pow(10, -6 / 20.0), 0.001), "liq_amplify override: %f", st.rms);
  unlink(path);

  /* new_track: the current track ends and the packet opens the next. */
  m = liq_meta_new();
  liq_meta_set(m, "title", "second");
  liq_insert_metadata(ins, m, 1);
  liq_meta_unref(m);
  eu_render(amp, path, 0, 10);
  CHECK(tl.n == 2 && !strcmp(tl.title[1], "SECOND"), "new track: %d '%s'", tl.n, tl.title[1]);
  eu_wav_stats(path, 0, -1, &st);
  CHECK(NEAR(st.rms, 0.7071, 0.001), "override ends with its track: %f", st.rms);
  unlink(path);

  liq_source *drop = liq_op_drop_metadata(NULL, ins, &err);
  meta_count = 0;
  liq_source_on_metadata(drop, (liq_cb_meta){on_meta, NULL, NULL});
  m = liq_meta_new();
  liq_meta_set(m, "title", "dropped");
  liq_insert_metadata(ins, m, 0);
  liq_meta_unref(m);
  eu_render(drop, path, 0, 5);
  CHECK(meta_count == 0, "drop_metadata let %d through", meta_count);
  unlink(path);
  liq_source *all[] = {drop, amp, map, ins, s};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) liq_source_unref(all[i]);

  /* A failing getter logs and keeps its last value; the stream goes on. */
  eu_capture_logs("Getter failed");
  int calls = 0;
  liq_getter_float g = {1, failing_getter, &calls, NULL};
  liq_source *amp2 = liq_op_amplify(NULL, g, NULL, sine(440, 1), &err);
  liq_source_unref(liq_source_input(amp2, 0));
  eu_stats st2 = render(amp2, "getter.wav", 1, -1);
  CHECK(st2.samples == 44100 && NEAR(st2.rms, 0.3535, 0.001), "failing getter: %ld %f",
        st2.samples, st2.rms);
  CHECK(eu_captured() == 25 - 10, "getter failures logged: %d", eu_captured());
  eu_capture_logs(NULL);
}

/* Renders s (consuming the caller's reference) and measures the windows
 * [at[i], at[i + 1]) of its first channel into w[0 .. n - 2]. */
static void render_windows(liq_source *s, const char *name, const long *at, int n, eu_stats *w)
{
  const char *path = eu_tmp_path(name);
  eu_render(s, path, 1, -1);
  liq_source_unref(s);
  for (int i = 0; i + 1 < n; i++) eu_wav_stats(path, at[i], at[i + 1], &w[i]);
  unlink(path);
}

static void test_fades(void)
{
  /* 2.1.3: fade.in(duration=2.) over 4 s of sine: RMS 0.575166 (lin),
   * 0.584137 (sin), 0.616488 (log), 0.544580 (exp); fade.out lin 0.575164.
   * 2.1.3 steps its gain per frame: allow 0.5 dB. */
  struct {
    liq_fade_shape t;
    double rms;
  } cases[] = {{LIQ_FADE_LIN, 0.575166}, {LIQ_FADE_SIN, 0.584137}, {LIQ_FADE_LOG, 0.616488},
               {LIQ_FADE_EXP, 0.544580}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    liq_source *s = sine(440, 4);
    eu_stats st = render(liq_op_fade_in(NULL, 2, cases[i].t, "liq_fade_in", "liq_fade_type", 1, s,
                                        &err),
                         "fadein.wav", 1, -1);
    liq_source_unref(s);
    CHECK(st.samples == 176400 && fabs(eu_db(st.rms / cases[i].rms)) < 0.5 &&
              fabs(eu_db(st.rms / cases[i].rms)) < 0.1,
          "fade.in shape %d: rms %f vs %f", (int)cases[i].t, st.rms, cases[i].rms);
  }
  liq_source *s = sine(440, 4);
  const char *path = eu_tmp_path("fadeout.wav");
  liq_source *fo = liq_op_fade_out(NULL, 2, LIQ_FADE_LIN, "liq_fade_out", "liq_fade_type", 1, s, &err);
  eu_render(fo, path, 1, -1);
  liq_source_unref(fo);
  liq_source_unref(s);
  eu_stats st;
  eu_wav_stats(path, 0, -1, &st);
  CHECK(st.samples == 176400 && fabs(eu_db(st.rms / 0.575164)) < 0.1, "fade.out rms %f", st.rms);
  eu_wav_stats(path, 176400 - 441, -1, &st);
  CHECK(st.peak < 0.011, "fade.out ends near silence: %f", st.peak);
  unlink(path);

  /* fade.out(1.) over 1.5 s: the fill ending at 0.52 s leaves 0.98 s and
   * keeps gain 1; the fade then runs over those 0.98 s from that frame's
   * start (2.1.3): 1 - 0.04 / 0.98 over 0.52-0.56 s. 450 Hz: whole
   * periods in a frame. */
  s = sine(450, 1.5);
  const long out_at[] = {21168, 22932, 24696};
  eu_stats w[3];
  render_windows(liq_op_fade_out(NULL, 1, LIQ_FADE_LIN, NULL, NULL, 1, s, &err), "fadeout2.wav",
                 out_at, 3, w);
  liq_source_unref(s);
  CHECK(NEAR(w[0].rms, 0.7071, 0.0005), "fade.out: gain 1 until 0.52 s: %f", w[0].rms);
  CHECK(NEAR(w[1].rms, (1 - 0.04 / 0.98) * 0.7071, 0.0005), "fade.out at 0.52 s: %f", w[1].rms);

  /* A track starting mid-frame (1.5 s, frames of 1764 samples): its first
   * fill is silent, then the gain counts from the start of the frame where
   * it began, as 2.1.3's: 0.04 over 1.52-1.56 s, 0.08 over 1.56-1.60 s. */
  liq_source *two[2] = {sine(440, 1.5), sine(440, 1.5)};
  liq_source *seq = liq_op_sequence(NULL, two, 2, 0, &err);
  liq_source_unref(two[0]);
  liq_source_unref(two[1]);
  const long in_at[] = {66150, 67032, 68796, 70560};
  render_windows(liq_op_fade_in(NULL, 1, LIQ_FADE_LIN, NULL, NULL, 1, seq, &err), "fadein2.wav",
                 in_at, 4, w);
  liq_source_unref(seq);
  CHECK(w[0].peak == 0, "fade.in: first fill of a mid-frame track silent: %f", w[0].peak);
  CHECK(NEAR(w[1].rms, 0.04 * 0.7071, 0.0005), "fade.in at 1.52 s: %f", w[1].rms);
  CHECK(NEAR(w[2].rms, 0.08 * 0.7071, 0.0005), "fade.in at 1.56 s: %f", w[2].rms);
}

/* RMS of a sine of `freq` through a filter, relative to the input. */
static double filtered_gain(liq_source *(*mk)(liq_source *), double freq)
{
  /* At -12 dB, so that gains up to +12 dB do not clip. */
  liq_source *s = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(freq), LIQ_FLOAT(0.25), 2, &err);
  liq_source *f = mk(s);
  liq_source_unref(s);
  const char *path = eu_tmp_path("filter.wav");
  eu_render(f, path, 1, -1);
  liq_source_unref(f);
  eu_stats st;
  eu_wav_stats(path, 44100, -1, &st); /* skip the transient */
  unlink(path);
  return st.rms / (0.25 * 0.70710678);
}

static liq_source *mk_butter_low(liq_source *s)
{
  return liq_op_butterworth(NULL, LIQ_FILTER_LOW, LIQ_FLOAT(1000), 4, s, &err);
}
static liq_source *mk_butter_high(liq_source *s)
{
  return liq_op_butterworth(NULL, LIQ_FILTER_HIGH, LIQ_FLOAT(1000), 3, s, &err);
}
static liq_source *mk_svf_low(liq_source *s)
{
  return liq_op_filter(NULL, LIQ_FLOAT(1000), LIQ_FILTER_LOW, LIQ_FLOAT(1), LIQ_FLOAT(1), s, &err);
}
static liq_source *mk_svf_high_q2(liq_source *s)
{
  return liq_op_filter(NULL, LIQ_FLOAT(1000), LIQ_FILTER_HIGH, LIQ_FLOAT(2), LIQ_FLOAT(1), s, &err);
}
static liq_source *mk_eq_band_q2(liq_source *s)
{
  return liq_op_iir_eq(NULL, LIQ_FILTER_BAND, LIQ_FLOAT(1000), LIQ_FLOAT(2), LIQ_FLOAT(0), s, &err);
}
static liq_source *mk_peak(liq_source *s)
{
  return liq_op_iir_eq(NULL, LIQ_FILTER_PEAK, LIQ_FLOAT(1000), LIQ_FLOAT(1), LIQ_FLOAT(6), s, &err);
}
static liq_source *mk_rc_low(liq_source *s)
{
  return liq_op_filter_rc(NULL, LIQ_FLOAT(1000), LIQ_FILTER_LOW, LIQ_FLOAT(1), s, &err);
}

static void test_filters(void)
{
  double g;
  g = filtered_gain(mk_butter_low, 100);
  CHECK(fabs(eu_db(g)) < 0.1, "butterworth low passes 100 Hz: %f dB", eu_db(g));
  /* 2.1.3: order 4 at its cutoff, RMS 0.124825 from 0.25 (-3.03 dB). */
  g = filtered_gain(mk_butter_low, 1000);
  CHECK(NEAR(eu_db(g), -3.01, 0.2), "butterworth low at cutoff: %f dB", eu_db(g));
  g = filtered_gain(mk_butter_low, 4000);
  CHECK(NEAR(eu_db(g), -48.2, 1.5), "butterworth low order 4, 2 octaves up: %f dB", eu_db(g));
  g = filtered_gain(mk_butter_high, 1000);
  CHECK(NEAR(eu_db(g), -3.01, 0.2), "butterworth high (order 3) at cutoff: %f dB", eu_db(g));
  g = filtered_gain(mk_butter_high, 250);
  CHECK(eu_db(g) < -34, "butterworth high order 3, 2 octaves down: %f dB", eu_db(g));
  g = filtered_gain(mk_svf_low, 100);
  CHECK(fabs(eu_db(g)) < 0.5, "svf low passes 100 Hz: %f dB", eu_db(g));
  /* 2.1.3, filter(freq=1000., mode="low") on an 8 kHz sine at 0.25:
   * RMS 0.003342 (-34.46 dB relative). */
  g = filtered_gain(mk_svf_low, 8000);
  CHECK(NEAR(eu_db(g), eu_db(0.003342 / (0.25 * 0.70710678)), 0.1), "svf low at 8 kHz: %f dB",
        eu_db(g));
  /* 2.1.3, filter(freq=1000., mode="high", q=2.) at 1 kHz: RMS -15.05 dB
   * from -15.05 (q scales the input as well as the damping). */
  g = filtered_gain(mk_svf_high_q2, 1000);
  CHECK(fabs(eu_db(g)) < 0.1, "svf high q=2 at its frequency: %f dB", eu_db(g));
  /* 2.1.3, filter.iir.eq.bandpass(q=2.) at its center: peak -6.02 dB from
   * -12.04 (constant skirt gain: the peak gain is Q). */
  g = filtered_gain(mk_eq_band_q2, 1000);
  CHECK(NEAR(eu_db(g), 6.02, 0.1), "eq bandpass q=2 at its center: %f dB", eu_db(g));
  /* 2.1.3: filter.iir.eq.peak(gain=6.) at its center, 0.352656 (+6.0 dB). */
  g = filtered_gain(mk_peak, 1000);
  CHECK(NEAR(eu_db(g), 6, 0.1), "eq peak +6 dB at its center: %f dB", eu_db(g));
  /* 2.1.3, filter.rc(frequency=1000., mode="low") at 1 kHz: RMS 0.027498
   * from 0.25 (-16.2 dB: its rc is 1 / frequency). */
  g = filtered_gain(mk_rc_low, 1000);
  CHECK(NEAR(eu_db(g), eu_db(0.027498 / (0.25 * 0.70710678)), 0.2), "rc low: %f dB", eu_db(g));
}

/* RMS (dB) of a render, over samples [from, end). */
static double render_rms_db(liq_source *s, long from)
{
  const char *path = eu_tmp_path("dyn.wav");
  eu_render(s, path, 1, -1);
  liq_source_unref(s);
  eu_stats st;
  eu_wav_stats(path, from, -1, &st);
  unlink(path);
  return eu_db(st.rms);
}

static void test_dynamics(void)
{
  /* Full-scale 440 Hz sine, 3 s, defaults. 2.1.3: compress RMS 0.442565,
   * limit 0.630226 (sox over the whole file). */
  liq_compress_opts co;
  liq_compress_opts_default(&co);
  liq_source *s = sine(440, 3);
  double db = render_rms_db(liq_op_compress(NULL, &co, s, &err), 0);
  liq_source_unref(s);
  CHECK(NEAR(db, eu_db(0.442565), 0.2), "compress rms %f dB", db);
  liq_limit_opts_default(&co);
  s = sine(440, 3);
  db = render_rms_db(liq_op_compress(NULL, &co, s, &err), 0);
  liq_source_unref(s);
  CHECK(NEAR(db, eu_db(0.630226), 0.2), "limit rms %f dB", db);

  /* normalize(up=0.5) of a -23 dB RMS sine over 8 s. 2.1.3: RMS 0.224583
   * over the file, -13 dB target reached. */
  liq_normalize_opts no;
  liq_normalize_opts_default(&no);
  no.up = LIQ_FLOAT(0.5);
  s = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(0.1), 8, &err);
  db = render_rms_db(liq_op_normalize(NULL, &no, s, &err), 0);
  CHECK(NEAR(db, eu_db(0.224583), 0.5), "normalize rms %f dB", db);
  liq_source_unref(s);
  s = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(0.1), 8, &err);
  db = render_rms_db(liq_op_normalize(NULL, &no, s, &err), 6 * 44100);
  CHECK(NEAR(db, -13, 0.3), "normalize reaches its target: %f dB", db);
  liq_source_unref(s);
  /* normalize(debug=0.5): a line every half second of stream, at level 5. */
  liq_log_set_level(LIQ_LOG_DEBUG);
  eu_capture_logs("gain: ");
  no.debug = 0.5;
  s = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(0.1), 2, &err);
  render_rms_db(liq_op_normalize(NULL, &no, s, &err), 0);
  liq_source_unref(s);
  CHECK(eu_captured() >= 3 && eu_captured() <= 4, "normalize debug lines over 2 s: %d", eu_captured());
  eu_capture_logs(NULL);
  liq_log_set_level(LIQ_LOG_SEVERE);
}

int main(void)
{
  liq_log_set_level(LIQ_LOG_SEVERE);
  eu_capture_logs(NULL);
  test_sine();
  test_amplify_add();
  test_shared_source();
  test_sequence_tracks();
  test_fallibility();
  test_switch();
  test_metadata();
  test_fades();
  test_filters();
  test_dynamics();
  liq_sb_free(&err);
  if (eu_failures) fprintf(stderr, "%d check(s) failed\n", eu_failures);
  return eu_failures != 0;
}
