/* lib_runtime: runtime.gc.* (on top of gc.h's statistics and control,
 * shaped like OCaml's Gc records that Liquidsoap exposes) and
 * runtime.memory(). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "runtime/mem.h"

/* A record field: an int, or a float when is_float. */
typedef struct field {
  const char *name;
  int is_float;
  int64_t i;
  double f;
} field;

/* Builds {name = value, ...}. Names are interned first (that may collect),
 * then the floats are allocated and pinned until the record holds them. */
static liq_value record(int n, const field *f)
{
  liq_sym syms[32];
  liq_value vals[32];
  liq_value *pins[32];
  int np = 0;
  for (int i = 0; i < n; i++) syms[i] = liq_sym_permanent(f[i].name);
  for (int i = 0; i < n; i++)
    if (f[i].is_float) {
      pins[np] = liq_gc_pin(liq_v_float(f[i].f));
      vals[i] = *pins[np++];
    } else {
      vals[i] = liq_v_int(f[i].i);
    }
  liq_value r = liq_v_record((size_t)n, syms, vals);
  while (np > 0) liq_gc_unpin(pins[--np]);
  return r;
}

LIQ_BUILTIN(b_full_major)
{
  (void)c;
  liq_gc_collect();
  return LIQ_UNIT;
}

/* OCaml's Gc.stat, field by field, for cliq's heap (doc/runtime.md says
 * what each one means here). One word is 8 bytes. */
typedef struct gc_counters {
  liq_gc_stats s;
  size_t live_bytes, live_objects; /* 0 for quick_stat */
} gc_counters;

#define W(bytes) ((int64_t)((bytes) / 8))

static liq_value stat_record(const gc_counters *g)
{
  const liq_gc_stats *s = &g->s;
  int full = g->live_objects > 0;
  field f[] = {
    {"minor_words", 1, 0, 0},                       /* no minor heap */
    {"promoted_words", 1, 0, 0},                    /* nothing is promoted */
    {"major_words", 1, 0, (double)s->allocated_bytes / 8},
    {"minor_collections", 0, 0, 0},
    {"major_collections", 0, (int64_t)s->collections, 0},
    {"heap_words", 0, W(s->heap_bytes), 0},
    {"heap_chunks", 0, (int64_t)s->objects, 0},     /* one allocation each */
    {"live_words", 0, W(g->live_bytes), 0},
    {"live_blocks", 0, (int64_t)g->live_objects, 0},
    {"free_words", 0, full ? W(s->heap_bytes - g->live_bytes) : 0, 0},
    {"free_blocks", 0, full ? (int64_t)(s->objects - g->live_objects) : 0, 0},
    {"largest_free", 0, 0, 0},                      /* no free list */
    {"fragments", 0, 0, 0},
    {"compactions", 0, 0, 0},                       /* never compacts */
    {"top_heap_words", 0, W(s->peak_heap_bytes), 0},
    {"stack_size", 0, 0, 0},                        /* no OCaml stack */
  };
  return record((int)LIQ_NELEMS(f), f);
}

static void counters(gc_counters *g, int full)
{
  memset(g, 0, sizeof *g);
  liq_gc_get_stats(&g->s);
  if (full) liq_gc_census(&g->live_bytes, &g->live_objects);
}

static liq_value stat_now(int full)
{
  gc_counters g;
  counters(&g, full);
  return stat_record(&g);
}

static liq_value b_stat(liq_call *c, liq_value d) { return (void)c, (void)d, stat_now(1); }
static liq_value b_quick_stat(liq_call *c, liq_value d) { return (void)c, (void)d, stat_now(0); }

/* OCaml's Gc.print_stat layout, with the counters of runtime.gc.stat. */
LIQ_BUILTIN(b_print_stat)
{
  (void)c;
  gc_counters g;
  counters(&g, 1);
  const liq_gc_stats *s = &g.s;
  printf("minor_collections:      0\nmajor_collections:      %llu\ncompactions:            0\n\n"
         "minor_words:    0\npromoted_words: 0\nmajor_words:    %llu\n\n"
         "top_heap_words: %lld\nheap_words:     %lld\nlive_words:     %lld\nfree_words:     %lld\n"
         "largest_free:   0\nfragments:      0\n\nlive_blocks: %zu\nfree_blocks: %zu\nheap_chunks: %zu\n",
         (unsigned long long)s->collections, (unsigned long long)(s->allocated_bytes / 8),
         (long long)W(s->peak_heap_bytes), (long long)W(s->heap_bytes), (long long)W(g.live_bytes),
         (long long)W(s->heap_bytes - g.live_bytes), g.live_objects, s->objects - g.live_objects,
         s->objects);
  fflush(stdout);
  return LIQ_UNIT;
}

/* OCaml's Gc.control. Only space_overhead means something for cliq's
 * collector; max_overhead reads 1000000, OCaml's "never compact"; the
 * others have no counterpart and read 0 (doc/runtime.md). */
LIQ_BUILTIN(b_get)
{
  (void)c;
  liq_gc_control ctl;
  liq_gc_get_control(&ctl);
  field f[] = {
    {"allocation_policy", 0, 0, 0},     {"custom_major_ratio", 0, 0, 0},
    {"custom_minor_max_size", 0, 0, 0}, {"custom_minor_ratio", 0, 0, 0},
    {"major_heap_increment", 0, 0, 0},  {"max_overhead", 0, 1000000, 0},
    {"minor_heap_size", 0, 0, 0},       {"space_overhead", 0, ctl.space_overhead, 0},
    {"stack_limit", 0, 0, 0},           {"verbose", 0, 0, 0},
    {"window_size", 0, 0, 0},
  };
  return record((int)LIQ_NELEMS(f), f);
}

LIQ_BUILTIN(b_set)
{
  liq_value so = liq_v_meth_get(liq_arg(c, 0), liq_sym_permanent("space_overhead"));
  liq_gc_control ctl;
  liq_gc_get_control(&ctl);
  int64_t v = liq_to_int(so);
  if (v < 1) liq_eval_raise("invalid", "runtime.gc.set: space_overhead must be positive, not %lld",
                            (long long)v);
  ctl.space_overhead = (unsigned)(v > 100000 ? 100000 : v);
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

LIQ_BUILTIN(b_memory)
{
  (void)c;
  field f[] = {
    {"process_virtual_memory", 0, proc_kb("VmSize") * 1024, 0},
    {"process_physical_memory", 0, proc_kb("VmRSS") * 1024, 0},
    {"process_peak_physical_memory", 0, proc_kb("VmHWM") * 1024, 0},
    {"heap_memory", 0, (int64_t)liq_mem_in_use(), 0},
  };
  return record((int)LIQ_NELEMS(f), f);
}

#define STAT_T                                                                              \
  "{compactions : int, fragments : int, free_blocks : int, free_words : int, heap_chunks : int, " \
  "heap_words : int, largest_free : int, live_blocks : int, live_words : int, "                 \
  "major_collections : int, major_words : float, minor_collections : int, minor_words : float, " \
  "promoted_words : float, stack_size : int, top_heap_words : int}"
#define CONTROL_T                                                                               \
  "{allocation_policy : int, custom_major_ratio : int, custom_minor_max_size : int, "             \
  "custom_minor_ratio : int, major_heap_increment : int, max_overhead : int, "                   \
  "minor_heap_size : int, space_overhead : int, stack_limit : int, verbose : int, "              \
  "window_size : int}"
static const liq_builtin_def runtime_defs[] = {
  {"runtime.gc.full_major", "() -> unit", "Run a full collection.", "Liquidsoap", b_full_major},
  {"runtime.gc.compact", "() -> unit", "Run a full collection (cliq's heap does not compact).", "Liquidsoap", b_full_major},
  {"runtime.gc.stat", "() -> " STAT_T, "Memory management counters, in OCaml's Gc.stat shape; live_words and live_blocks count the reachable objects (a mark phase, no sweep). See doc/runtime.md for what each field means in cliq.", "Liquidsoap", b_stat},
  {"runtime.gc.quick_stat", "() -> " STAT_T, "Same as runtime.gc.stat except that live_words, live_blocks, free_words, free_blocks, largest_free and fragments are 0 (no heap walk).", "Liquidsoap", b_quick_stat},
  {"runtime.gc.print_stat", "() -> unit", "Print runtime.gc.stat's counters on stdout, in OCaml's Gc.print_stat layout.", "Liquidsoap", b_print_stat},
  {"runtime.gc.get", "() -> " CONTROL_T, "The GC parameters, in OCaml's Gc.control shape: only space_overhead is cliq's own (see doc/runtime.md).", "Liquidsoap", b_get},
  {"runtime.gc.set", "(" CONTROL_T ") -> unit", "Set the GC parameters: cliq uses space_overhead (percent of the live heap allowed as garbage before a collection) and ignores the others.", "Liquidsoap", b_set},
  {"runtime.memory", "() -> {process_virtual_memory : int, process_physical_memory : int, process_peak_physical_memory : int, heap_memory : int}", "Memory usage of the process, in bytes.", "Liquidsoap", b_memory},
};

const liq_lib_module liq_lib_runtime = {"runtime", runtime_defs, LIQ_NELEMS(runtime_defs), NULL, NULL};
