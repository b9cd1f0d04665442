/* Engine test: no allocation per cycle in steady state. A graph with a
 * shared source (memo caching), add, fallback with a fallible branch,
 * filters, fades and metadata runs to warm up; then the frame module's
 * allocation counter and the bytes in use through liq_mem must not move
 * while thousands more cycles run. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/engine_util.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"
#include "runtime/output.h"

int main(void)
{
  liq_log_set_level(LIQ_LOG_SEVERE);
  liq_sb err = LIQ_SB_INIT;
  liq_source *a = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(440), LIQ_FLOAT(1), -1, &err);
  liq_source *n = liq_op_noise(NULL, -1, &err);
  liq_source *amp = liq_op_amplify(NULL, LIQ_FLOAT(0.5), "liq_amplify", a, &err);
  liq_source *mixin[3] = {a, amp, n};
  liq_source *mix = liq_op_add(NULL, mixin, 3, NULL, LIQ_BOOL(1), LIQ_BOOL(0), &err);
  /* A fallible branch that comes and goes: 1 s tracks of blank in a
   * sequence that ends, under a fallback. */
  liq_source *short_sine = liq_op_wave(LIQ_WAVE_SINE, NULL, LIQ_FLOAT(880), LIQ_FLOAT(1), 1.3, &err);
  liq_source *fbin[2] = {short_sine, mix};
  liq_source *fb = liq_op_fallback(NULL, fbin, 2, 0, 1, NULL, &err);
  liq_source *lp = liq_op_butterworth(NULL, LIQ_FILTER_LOW, LIQ_FLOAT(2000), 4, fb, &err);
  liq_source *fi = liq_op_fade_in(NULL, 1, LIQ_FADE_SIN, "liq_fade_in", "liq_fade_type", 1, lp, &err);
  liq_compress_opts co;
  liq_compress_opts_default(&co);
  liq_source *comp = liq_op_compress(NULL, &co, fi, &err);

  liq_clock *c = liq_clock_new("alloc", LIQ_SYNC_NONE);
  liq_output_opts oo;
  liq_output_opts_default(&oo);
  liq_source *out = liq_output_dummy_new(comp, &oo, &err);
  liq_source *out2 = liq_output_dummy_new(mix, &oo, &err);
  CHECK(out && out2, "outputs: %s", liq_sb_str(&err));
  CHECK(liq_clock_add(c, out, &err) == 0 && liq_clock_add(c, out2, &err) == 0, "%s",
        liq_sb_str(&err));

  liq_clock_run(c, 200); /* warm-up: 8 s, the short sine has come and gone */
  uint64_t allocs = liq_frame_allocations();
  size_t bytes = liq_mem_in_use();
  liq_pool_stats ps0, ps1;
  liq_pool_get_stats(liq_clock_pool(c), &ps0);
  int64_t cycles = 5000;
  liq_clock_run(c, cycles);
  liq_pool_get_stats(liq_clock_pool(c), &ps1);
  uint64_t d_allocs = liq_frame_allocations() - allocs;
  long d_bytes = (long)liq_mem_in_use() - (long)bytes;
  printf("after warm-up: %llu frame allocations, %ld bytes through liq_mem, "
         "%llu pool acquires (%.2f per cycle), %d frames (%zu bytes) in the pool\n",
         (unsigned long long)d_allocs, d_bytes,
         (unsigned long long)(ps1.acquires - ps0.acquires),
         (double)(ps1.acquires - ps0.acquires) / (double)cycles, ps1.frames, ps1.bytes);
  CHECK(d_allocs == 0, "frame allocations in steady state: %llu", (unsigned long long)d_allocs);
  CHECK(d_bytes == 0, "liq_mem bytes grew by %ld", d_bytes);
  CHECK(ps1.acquires - ps0.acquires >= (uint64_t)cycles, "outputs take pooled frames");
  CHECK(ps1.allocations == ps0.allocations, "no pool misses");

  liq_source *all[] = {out, out2, comp, fi, lp, fb, short_sine, mix, amp, n, a};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) liq_source_unref(all[i]);
  liq_clock_free(c);
  liq_sb_free(&err);
  return eu_failures != 0;
}
