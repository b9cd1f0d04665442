/* Engine soak test: one hour of audio (90 000 cycles) through switch,
 * fallback, add, sequence, metadata insertion and a WAV file, rendered with
 * sync none. After a warm-up the resident set may not grow by more than
 * 1 MB, and no frame allocation may happen. Prints the render speed. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tests/unit/engine_util.h"
#include "runtime/log.h"
#include "runtime/ops/ops.h"
#include "runtime/output.h"

/* Alternates every 7 s of calls: a switch predicate in C. */
static int every_other(void *ud, int *out)
{
  long *calls = ud;
  *out = ((*calls)++ / 175) % 2 == 0;
  return 0;
}

typedef struct meta_feeder {
  liq_source *ins;
  long cycles;
} meta_feeder;

/* Inserts a metadata packet every 100 cycles (4 s), from the cycle hook. */
static void feed(void *ud, liq_clock *c)
{
  (void)c;
  meta_feeder *m = ud;
  if (++m->cycles % 100) return;
  liq_meta *p = liq_meta_new();
  char t[32];
  snprintf(t, sizeof t, "track %ld", m->cycles / 100);
  liq_meta_set(p, "title", t);
  liq_insert_metadata(m->ins, p, (m->cycles / 100) % 3 == 0);
  liq_meta_unref(p);
}

int main(void)
{
  liq_log_set_level(LIQ_LOG_SEVERE);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s1 = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(1), -1, &err);
  liq_source *s2 = liq_op_wave(LIQ_WAVE_SAW, NULL, LIQ_FLOAT(220), LIQ_FLOAT(0.5), -1, &err);
  liq_source *blank = liq_op_blank(NULL, 2.5, &err);
  long calls = 0;
  liq_switch_case sc[2] = {{{0, every_other, &calls, NULL}, s1, 0}, {LIQ_BOOL(1), s2, 0}};
  liq_source *sw = liq_op_switch(NULL, sc, 2, LIQ_BOOL(0), 1, NULL, &err);
  liq_source *seqin[2] = {liq_op_wave(LIQ_WAVE_SQUARE, NULL, LIQ_FLOAT(110), LIQ_FLOAT(0.3), 3, &err),
                          blank};
  liq_source *seq = liq_op_sequence(NULL, seqin, 2, 0, &err);
  liq_source *mixin[2] = {sw, seq};
  liq_source *mix = liq_op_add(NULL, mixin, 2, NULL, LIQ_BOOL(1), LIQ_BOOL(0), &err);
  liq_source *ins = liq_op_insert_metadata(NULL, mix, &err);
  liq_source *fbin[2] = {ins, blank};
  liq_source *fb = liq_op_fallback(NULL, fbin, 2, 1, 1, NULL, &err);
  liq_source *safe = liq_op_mksafe(NULL, fb, &err);

  liq_clock *c = liq_clock_new("soak", LIQ_SYNC_NONE);
  meta_feeder mf = {ins, 0};
  liq_clock_on_cycle_end(c, feed, &mf);
  liq_file_opts o;
  liq_file_opts_default(&o);
  /* The WAV encoder and file writes run, the hour of audio is not kept. */
  o.file.path = "/dev/null";
  liq_source *out = liq_output_file_new(safe, &o, &err);
  CHECK(out && liq_clock_add(c, out, &err) == 0, "output: %s", liq_sb_str(&err));

  liq_clock_run(c, 1500); /* one minute of warm-up */
  long rss0 = eu_rss_kb();
  uint64_t allocs = liq_frame_allocations();
  clock_t t0 = clock();
  int64_t cycles = 90000 - 1500;
  liq_clock_run(c, cycles);
  double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
  long rss1 = eu_rss_kb();
  printf("soak: %.0f s of audio in %.2f s CPU (x%.0f), RSS %ld -> %ld kB, %llu frame allocations\n",
         cycles * 0.04, cpu, cycles * 0.04 / cpu, rss0, rss1,
         (unsigned long long)(liq_frame_allocations() - allocs));
  CHECK(rss1 - rss0 < 1024, "RSS grew by %ld kB", rss1 - rss0);
  CHECK(liq_frame_allocations() == allocs, "frame allocations during the soak");

  CHECK(liq_output_samples(out) == 90000L * 1764, "soak output: %lld samples",
        (long long)liq_output_samples(out));
  liq_source *all[] = {out, safe, fb, ins, mix, seq, seqin[0], sw, blank, s2, s1};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) liq_source_unref(all[i]);
  liq_clock_free(c);
  liq_sb_free(&err);
  return eu_failures != 0;
}
