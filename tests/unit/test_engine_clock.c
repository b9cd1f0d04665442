/* Engine test: clocks. Frame size from the settings (2.1.3 rounding),
 * cpu sync paces at real time on its own thread, a slow cycle triggers the
 * rate-limited "We must catchup" log, stop requests from callbacks end the
 * loop, a source cannot join two clocks, and the cycle-end hook runs once
 * per cycle. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/engine_util.h"
#include "runtime/log.h"
#include "runtime/ops/ops.h"
#include "runtime/output.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void count_cycles(void *ud, liq_clock *c)
{
  (void)c;
  (*(long *)ud)++;
}

/* Sleeps 0.5 s in cycle 5: the clock falls behind and must catch up. */
static void slow_cycle(void *ud, liq_clock *c)
{
  (void)ud;
  if (liq_clock_ticks(c) == 5) usleep(500000);
  if (liq_clock_ticks(c) == 40) liq_clock_request_stop(c);
}

static void test_frame_size(void)
{
  liq_stream_settings st;
  liq_stream_settings_default(&st);
  double want[][2] = {{0.01, 1764}, {0.02, 1764}, {0.04, 1764}, {0.05, 3528}, {0.1, 5292}};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    st.frame_duration = want[i][0];
    liq_stream_configure(&st);
    CHECK(liq_stream_frame_samples() == (int)want[i][1], "duration %g: %d samples", want[i][0],
          liq_stream_frame_samples());
  }
  st.video_framerate = 0;
  st.frame_duration = 0.02;
  liq_stream_configure(&st);
  CHECK(liq_stream_frame_samples() == 882, "no video rounding: %d", liq_stream_frame_samples());
  st.frame_audio_size = 1024;
  liq_stream_configure(&st);
  CHECK(liq_stream_frame_samples() == 1024, "audio size: %d", liq_stream_frame_samples());
  liq_stream_settings_default(&st);
  liq_stream_configure(&st);
}

static void test_cpu_sync(void)
{
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(1), 0.5, &err);
  liq_clock *c = liq_clock_new("cpu", LIQ_SYNC_CPU);
  long cycles = 0;
  liq_clock_on_cycle_end(c, count_cycles, &cycles);
  liq_output_opts o;
  liq_output_opts_default(&o);
  o.fallible = 1;
  liq_source *out = liq_output_dummy_new(s, &o, &err);
  CHECK(liq_clock_add(c, out, &err) == 0, "%s", liq_sb_str(&err));
  double t0 = now();
  CHECK(liq_clock_start(c) == 0, "thread");
  while (liq_output_samples(out) < 22050 && now() - t0 < 5) usleep(1000);
  double wall = now() - t0;
  liq_clock_request_stop(c);
  liq_clock_join(c);
  CHECK(liq_output_samples(out) == 22050, "0.5 s rendered: %lld",
        (long long)liq_output_samples(out));
  /* 13 cycles of 0.04 s; the first runs at once. */
  CHECK(wall > 0.4 && wall < 0.9, "cpu sync took %.3f s for 0.5 s of audio", wall);
  CHECK(cycles == liq_clock_ticks(c), "hook ran once per cycle: %ld vs %lld", cycles,
        (long long)liq_clock_ticks(c));

  /* Same graph in another clock: refused. */
  liq_clock *c2 = liq_clock_new("other", LIQ_SYNC_NONE);
  liq_source *out2 = liq_output_dummy_new(s, &o, &err);
  liq_sb_reset(&err);
  CHECK(liq_clock_add(c2, out2, &err) != 0 && strstr(liq_sb_str(&err), "two clocks"),
        "two clocks: %s", liq_sb_str(&err));
  liq_source_unref(out2);
  liq_clock_free(c2);
  liq_source_unref(out);
  liq_source_unref(s);
  liq_clock_free(c);
  liq_sb_free(&err);
}

static void test_catchup(void)
{
  liq_sb err = LIQ_SB_INIT;
  eu_capture_logs("We must catchup");
  liq_source *s = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(1), -1, &err);
  liq_clock *c = liq_clock_new("slow", LIQ_SYNC_CPU);
  liq_clock_on_cycle_end(c, slow_cycle, NULL);
  liq_output_opts o;
  liq_output_opts_default(&o);
  liq_source *out = liq_output_dummy_new(s, &o, &err);
  CHECK(liq_clock_add(c, out, &err) == 0, "%s", liq_sb_str(&err));
  double t0 = now();
  liq_clock_run(c, -1);
  double wall = now() - t0;
  /* 40 cycles = 1.6 s of audio; the 0.5 s stall is caught up, not added. */
  CHECK(wall > 1.5 && wall < 1.9, "1.6 s of audio took %.3f s", wall);
  CHECK(eu_captured() == 1, "catchup logged %d times (rate limited to one)", eu_captured());
  eu_capture_logs(NULL);
  liq_source_unref(out);
  liq_source_unref(s);
  liq_clock_free(c);
  liq_sb_free(&err);
}

/* Per-label levels: a label's own level wins over the global one, both
 * ways, and removing it restores the global one. */
static void test_label_levels(void)
{
  eu_capture_logs("label-test");
  liq_log(LIQ_LOG_INFO, "quiet", "label-test 1"); /* global level is severe */
  CHECK(liq_log_set_label_level("loud", LIQ_LOG_DEBUG) == 0, "set loud");
  CHECK(liq_log_set_label_level("mute", LIQ_LOG_CRITICAL) == 0, "set mute");
  CHECK(liq_log_label_level("loud") == LIQ_LOG_DEBUG, "loud level");
  CHECK(liq_log_label_level("quiet") == 0, "quiet follows the global level");
  liq_log(LIQ_LOG_DEBUG, "loud", "label-test 2");   /* emitted */
  liq_log(LIQ_LOG_SEVERE, "mute", "label-test 3");  /* dropped */
  liq_log(LIQ_LOG_SEVERE, "quiet", "label-test 4"); /* emitted */
  CHECK(eu_captured() == 2, "%d lines emitted", eu_captured());
  CHECK(liq_log_enabled(LIQ_LOG_DEBUG), "a debug label enables debug lines");
  liq_log_set_label_level("loud", 0);
  liq_log_set_label_level("mute", 0);
  liq_log(LIQ_LOG_DEBUG, "loud", "label-test 5"); /* dropped again */
  CHECK(eu_captured() == 2, "%d lines after removal", eu_captured());
  CHECK(!liq_log_enabled(LIQ_LOG_DEBUG), "no label left above the global level");
  char name[16];
  int rc = 0;
  for (int i = 0; i <= LIQ_LOG_MAX_LABELS && rc == 0; i++) {
    snprintf(name, sizeof name, "l%d", i);
    rc = liq_log_set_label_level(name, LIQ_LOG_INFO);
  }
  CHECK(rc == -1, "the table is bounded");
  for (int i = 0; i < LIQ_LOG_MAX_LABELS; i++) {
    snprintf(name, sizeof name, "l%d", i);
    liq_log_set_label_level(name, 0);
  }
  eu_capture_logs(NULL);
}

int main(void)
{
  liq_log_set_level(LIQ_LOG_SEVERE);
  test_frame_size();
  test_cpu_sync();
  test_catchup();
  test_label_levels();
  return eu_failures != 0;
}
