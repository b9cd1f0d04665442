/* lib_runtime: runtime.gc.* (on top of gc.h's statistics and control,
 * shaped like OCaml's Gc records that Liquidsoap exposes) and
 * runtime.memory(). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval_internal.h"
#include "mem.h"

/* vals must be immediates (ints): interning the names may collect. */
static liq_value record(int n, const char *const *names, const liq_value *vals)
{
  liq_sym syms[32];
  for (int i = 0; i < n; i++) syms[i] = liq_sym_permanent(names[i]);
  return liq_v_record((size_t)n, syms, vals);
}

static liq_value b_full_major(liq_call *c, liq_value d)
{
  (void)c;
  (void)d;
  liq_gc_collect();
  return LIQ_UNIT;
}

static const char *const stat_names[] = {
  "minor_words", "promoted_words", "major_words", "minor_collections", "major_collections",
  "heap_words", "heap_chunks", "live_words", "live_blocks", "free_words", "free_blocks",
  "largest_free", "fragments", "compactions", "top_heap_words", "stack_size"};

static liq_value stat_record(void)
{
  liq_gc_stats s;
  liq_gc_get_stats(&s);
  liq_value v[16] = {
    liq_v_int(0), liq_v_int(0), liq_v_int(0), liq_v_int(0),
    liq_v_int((int64_t)s.collections), liq_v_int((int64_t)(s.heap_bytes / 8)), liq_v_int(1),
    liq_v_int((int64_t)(s.live_bytes / 8)), liq_v_int((int64_t)s.objects),
    liq_v_int(0), liq_v_int(0), liq_v_int(0), liq_v_int(0), liq_v_int(0),
    liq_v_int((int64_t)(s.peak_heap_bytes / 8)), liq_v_int(0)};
  return record(16, stat_names, v);
}

static liq_value b_stat(liq_call *c, liq_value d)
{
  (void)c;
  (void)d;
  return stat_record();
}

static liq_value b_print_stat(liq_call *c, liq_value d)
{
  (void)c;
  (void)d;
  liq_gc_stats s;
  liq_gc_get_stats(&s);
  printf("collections: %llu\nheap_bytes: %zu\nlive_bytes: %zu\nexternal_bytes: %zu\n"
         "objects: %zu\npeak_heap_bytes: %zu\nthreshold: %zu\n",
         (unsigned long long)s.collections, s.heap_bytes, s.live_bytes, s.external_bytes, s.objects,
         s.peak_heap_bytes, s.threshold);
  fflush(stdout);
  return LIQ_UNIT;
}

static const char *const ctl_names[] = {"space_overhead", "min_heap", "minor_heap_size", "max_overhead",
                                        "stack_limit", "allocation_policy", "verbose", "window_size"};

static liq_value b_get(liq_call *c, liq_value d)
{
  (void)c;
  (void)d;
  liq_gc_control ctl;
  liq_gc_get_control(&ctl);
  liq_value v[8] = {liq_v_int(ctl.space_overhead), liq_v_int((int64_t)ctl.min_heap), liq_v_int(0),
                    liq_v_int(500), liq_v_int(0), liq_v_int(0), liq_v_int(0), liq_v_int(1)};
  return record(8, ctl_names, v);
}

static liq_value b_set(liq_call *c, liq_value d)
{
  (void)d;
  liq_value r = liq_arg(c, 0);
  liq_gc_control ctl;
  liq_gc_get_control(&ctl);
  liq_value so = liq_v_meth_get(r, liq_sym_permanent("space_overhead"));
  if (so != LIQ_NOVALUE) ctl.space_overhead = (unsigned)liq_to_int(so);
  liq_value mh = liq_v_meth_get(r, liq_sym_permanent("min_heap"));
  if (mh != LIQ_NOVALUE) ctl.min_heap = (size_t)liq_to_int(mh);
  liq_gc_set_control(&ctl);
  return LIQ_UNIT;
}

static int64_t proc_kb(const char *key)
{
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  int64_t v = 0;
  size_t kl = strlen(key);
  while (fgets(line, sizeof line, f))
    if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
      v = (int64_t)strtoll(line + kl + 1, NULL, 10);
      break;
    }
  fclose(f);
  return v;
}

static liq_value b_memory(liq_call *c, liq_value d)
{
  (void)c;
  (void)d;
  static const char *const names[] = {"process_virtual_memory", "process_physical_memory",
                                      "process_peak_physical_memory", "heap_memory"};
  liq_value v[4] = {liq_v_int(proc_kb("VmSize") * 1024), liq_v_int(proc_kb("VmRSS") * 1024),
                    liq_v_int(proc_kb("VmHWM") * 1024), liq_v_int((int64_t)liq_mem_in_use())};
  return record(4, names, v);
}

#define STAT_T "{minor_words : int, promoted_words : int, major_words : int, minor_collections : int, major_collections : int, heap_words : int, heap_chunks : int, live_words : int, live_blocks : int, free_words : int, free_blocks : int, largest_free : int, fragments : int, compactions : int, top_heap_words : int, stack_size : int}"
static const liq_builtin_def runtime_defs[] = {
  {"runtime.gc.full_major", "() -> unit", "Run a full collection.", "Liquidsoap", b_full_major},
  {"runtime.gc.compact", "() -> unit", "Run a full collection (cliq's heap does not compact).", "Liquidsoap", b_full_major},
  {"runtime.gc.stat", "() -> " STAT_T, "Memory management counters (cliq maps its heap statistics onto OCaml's record).", "Liquidsoap", b_stat},
  {"runtime.gc.quick_stat", "() -> " STAT_T, "Same as runtime.gc.stat.", "Liquidsoap", b_stat},
  {"runtime.gc.print_stat", "() -> unit", "Print the heap statistics on stdout.", "Liquidsoap", b_print_stat},
  {"runtime.gc.get", "() -> {space_overhead : int, min_heap : int, minor_heap_size : int, max_overhead : int, stack_limit : int, allocation_policy : int, verbose : int, window_size : int}", "The GC parameters.", "Liquidsoap", b_get},
  {"runtime.gc.set", "({space_overhead : int, min_heap : int}) -> unit", "Change the GC parameters (space_overhead, min_heap).", "Liquidsoap", b_set},
  {"runtime.memory", "() -> {process_virtual_memory : int, process_physical_memory : int, process_peak_physical_memory : int, heap_memory : int}", "Memory usage of the process, in bytes.", "Liquidsoap", b_memory},
};

void liq_lib_runtime_init(void) { liq_eval_register(runtime_defs, LIQ_NELEMS(runtime_defs)); }
