/* test_gc: the tracing heap (runtime/gc.c). Exit 0 = pass; one line per
 * failed check.
 *
 * Covers roots (slots, pins, handles, hooks), pin stack misuse (in forked
 * children, which must abort), finalizers running exactly once, deferral
 * and safepoints, pacing by external bytes (10 GB of custom blocks each
 * owning 1 MiB of real C memory, peak RSS < 100 MB) and by heap bytes
 * (1 GB of strings and records, <= 10 MB live, peak RSS <= 64 MB).
 *
 * GC-stress builds (CLIQ_GC_STRESS: a collection at every allocation) run
 * the two big loops scaled down (live set and totals divided by about
 * 1000): the point there is missing pins, not pacing. Sanitizer builds
 * (ASan keeps freed memory in quarantine) check the collector's own byte
 * counters instead of RSS and print the RSS figures for information. */
#include "config.h"
#include "runtime/gc.h"
#include "runtime/mem.h"
#include "runtime/value.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(CLIQ_SANITIZERS) || defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

static int failures;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      failures++;                                                           \
    }                                                                       \
  } while (0)

static size_t peak_rss_kb(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  size_t kb = 0;
  if (!f) return 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmHWM: %zu kB", &kb) == 1) break;
  fclose(f);
  return kb;
}

/* Resets the high-water mark so that each test measures its own peak. */
static void reset_peak_rss(void)
{
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (!f) return;
  fputs("5", f);
  fclose(f);
}

static liq_gc_stats stats(void)
{
  liq_gc_stats s;
  liq_gc_get_stats(&s);
  return s;
}

/* --- Custom blocks used by several tests ------------------------------------ */

#define NTRACKED 1000
static int finalized[NTRACKED];

typedef struct tracked {
  int id;
  liq_value child; /* traced */
} tracked;

static void tracked_trace(void *p) { liq_gc_mark(((tracked *)p)->child); }
static void tracked_finalize(void *p) { finalized[((tracked *)p)->id]++; }
static const liq_custom_ops tracked_ops = {"tracked", tracked_trace, tracked_finalize, NULL};

static liq_value new_tracked(int id, liq_value child)
{
  liq_value *c = liq_gc_pin(child);
  liq_value v = liq_gc_custom_new(&tracked_ops, sizeof(tracked), 0);
  tracked *t = liq_gc_custom_payload(v);
  t->id = id;
  t->child = *c;
  liq_gc_unpin(c);
  return v;
}

static bool alive(int id) { return finalized[id] == 0; }

/* --- Roots ------------------------------------------------------------------ */

static liq_value hook_value;
static int hook_calls;
static void test_hook(void *data)
{
  hook_calls++;
  CHECK(data == &hook_value);
  liq_gc_mark(hook_value);
}

static void test_roots(void)
{
  memset(finalized, 0, sizeof finalized);
  liq_value global = new_tracked(0, LIQ_NOVALUE);
  liq_gc_add_root(&global);
  liq_value *pin = liq_gc_pin(new_tracked(1, LIQ_NOVALUE));
  liq_gc_handle *h = liq_gc_handle_new(new_tracked(2, LIQ_NOVALUE));
  hook_value = new_tracked(3, LIQ_NOVALUE);
  liq_gc_add_root_hook(test_hook, &hook_value);
  liq_gc_add_root_hook(test_hook, &hook_value); /* idempotent */
  /* Reached only through another block's trace function. */
  liq_value *chain = liq_gc_pin(new_tracked(5, new_tracked(4, LIQ_NOVALUE)));
  liq_value garbage = new_tracked(6, LIQ_NOVALUE);
  (void)garbage;

  hook_calls = 0;
  liq_gc_collect();
  CHECK(hook_calls == 1);
  for (int i = 0; i <= 5; i++) CHECK(alive(i));
  CHECK(finalized[6] == 1);

  liq_gc_unpin(chain);
  liq_gc_remove_root_hook(test_hook, &hook_value);
  liq_gc_handle_set(h, liq_gc_handle_get(h)); /* still the same block */
  liq_gc_collect();
  CHECK(finalized[3] == 1 && finalized[4] == 1 && finalized[5] == 1);
  CHECK(alive(0) && alive(1) && alive(2));

  liq_gc_handle_free(h);
  liq_gc_unpin(pin);
  liq_gc_remove_root(&global);
  liq_gc_collect();
  for (int i = 0; i <= 6; i++) CHECK(finalized[i] == 1);
  CHECK(liq_gc_pin_depth() == 0);
}

/* --- Finalizers ------------------------------------------------------------- */

static void test_finalizers_once(void)
{
  memset(finalized, 0, sizeof finalized);
  liq_value *keep = liq_gc_pin(LIQ_NIL);
  for (int i = 0; i < NTRACKED; i++) {
    liq_value b = new_tracked(i, LIQ_NOVALUE);
    if (i % 3 == 0) *keep = liq_v_cons(b, *keep);
  }
  liq_gc_collect();
  liq_gc_collect();
  for (int i = 0; i < NTRACKED; i++) CHECK(finalized[i] == (i % 3 == 0 ? 0 : 1));
  *keep = LIQ_NIL;
  liq_gc_collect();
  liq_gc_collect();
  for (int i = 0; i < NTRACKED; i++) CHECK(finalized[i] == 1);
  liq_gc_unpin(keep);
}

/* --- Fatal misuse, in forked children ----------------------------------------- */

static bool child_aborts(void (*fn)(void))
{
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    /* The child's "internal error" message is expected: hide it. */
    if (!freopen("/dev/null", "w", stderr)) _exit(3);
    fn();
    _exit(0);
  }
  int status;
  if (waitpid(pid, &status, 0) != pid) return false;
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

static void misuse_unpin_order(void)
{
  liq_value *a = liq_gc_pin(LIQ_UNIT);
  liq_value *b = liq_gc_pin(LIQ_UNIT);
  (void)b;
  liq_gc_unpin(a); /* b is on top */
}

static void misuse_unpin_empty(void)
{
  liq_value *a = liq_gc_pin(LIQ_UNIT);
  liq_gc_unpin(a);
  liq_gc_unpin(a);
}

static void misuse_pin_overflow(void)
{
  for (int i = 0; i <= LIQ_GC_PIN_MAX; i++) liq_gc_pin(LIQ_UNIT);
}

static void misuse_alloc_unlocked(void)
{
  liq_gc_unlock();
  liq_v_float(1.0);
}

static void misuse_double_lock(void) { liq_gc_lock(); }

static void misuse_defer_end(void) { liq_gc_defer_end(); }

static liq_value alloc_in_finalizer_block;
static void bad_finalize(void *p)
{
  (void)p;
  liq_v_float(2.0);
}
static const liq_custom_ops bad_ops = {"bad", NULL, bad_finalize, NULL};
static void misuse_alloc_in_finalizer(void)
{
  alloc_in_finalizer_block = liq_gc_custom_new(&bad_ops, 0, 0);
  alloc_in_finalizer_block = LIQ_NOVALUE;
  liq_gc_collect();
}

static void test_misuse(void)
{
  CHECK(child_aborts(misuse_unpin_order));
  CHECK(child_aborts(misuse_unpin_empty));
  CHECK(child_aborts(misuse_pin_overflow));
  CHECK(child_aborts(misuse_alloc_unlocked));
  CHECK(child_aborts(misuse_double_lock));
  CHECK(child_aborts(misuse_defer_end));
  CHECK(child_aborts(misuse_alloc_in_finalizer));
  CHECK(liq_gc_pin_depth() == 0);
  /* Correct use does not abort. */
  liq_value *a = liq_gc_pin(LIQ_UNIT);
  liq_value *b = liq_gc_pin(LIQ_UNIT);
  liq_gc_unpin(b);
  liq_gc_unpin(a);
}

/* --- Deferral and safepoints ------------------------------------------------ */

static void test_defer(void)
{
  liq_gc_collect();
  uint64_t before = stats().collections;
  liq_gc_defer_begin();
  liq_gc_defer_begin(); /* nests */
  for (int i = 0; i < 200000; i++) liq_v_float(i); /* 6.4 MB of garbage */
  liq_gc_defer_end();
#ifdef CLIQ_GC_STRESS
  CHECK(stats().collections > before); /* stress mode ignores deferral */
  liq_gc_defer_end();
#else
  CHECK(stats().collections == before);
  CHECK(stats().heap_bytes > stats().threshold);
  liq_gc_defer_end();
  CHECK(liq_gc_safepoint());
#endif
  CHECK(!liq_gc_safepoint()); /* no debt left */
  CHECK(stats().heap_bytes < stats().threshold);
}

/* --- Control ---------------------------------------------------------------- */

static void test_control(void)
{
  liq_gc_control c;
  liq_gc_get_control(&c);
  CHECK(c.space_overhead == 120);
  CHECK(c.min_heap == (size_t)1 << 20);
  liq_gc_collect();
  CHECK(stats().threshold == c.min_heap); /* nothing live: the floor */

  /* 4 MB live: the threshold becomes 4 MB * 2.2. */
  liq_value *big = liq_gc_pin(LIQ_NIL);
  for (int i = 0; i < 4; i++) {
    char *bytes;
    liq_value s = liq_v_string_new(1 << 20, &bytes);
    memset(bytes, 'x', 1 << 20);
    *big = liq_v_cons(s, *big);
  }
  liq_gc_collect();
  liq_gc_stats s = stats();
  CHECK(s.live_bytes >= 4 << 20);
  CHECK(s.threshold == s.live_bytes + s.live_bytes / 100 * 120 + s.live_bytes % 100 * 120 / 100);

  liq_gc_control c2 = c;
  c2.space_overhead = 20;
  liq_gc_set_control(&c2);
  s = stats();
  CHECK(s.threshold == s.live_bytes + s.live_bytes / 100 * 20 + s.live_bytes % 100 * 20 / 100);
  liq_gc_set_control(&c);
  liq_gc_unpin(big);
  liq_gc_collect();
}

/* --- External bytes pace the collector -------------------------------------- */

typedef struct buffer_block {
  char *data;
} buffer_block;

static size_t buffers_live, buffers_peak;

static void buffer_finalize(void *p)
{
  buffer_block *b = p;
  liq_mem_free(b->data);
  buffers_live--;
}
static const liq_custom_ops buffer_ops = {"buffer", NULL, buffer_finalize, NULL};

static void test_external_pacing(void)
{
#ifdef CLIQ_GC_STRESS
  const size_t total_mb = 64;
#else
  const size_t total_mb = 10240; /* 10 GB in 1 MiB blocks */
#endif
  const size_t mb = (size_t)1 << 20;
  liq_gc_collect();
  reset_peak_rss();
  size_t max_ext = 0;
  uint64_t before = stats().collections;
  for (size_t i = 0; i < total_mb; i++) {
    liq_value v = liq_gc_custom_new(&buffer_ops, sizeof(buffer_block), mb);
    buffer_block *b = liq_gc_custom_payload(v);
    b->data = liq_mem_alloc(mb);
    memset(b->data, (int)i, mb); /* really resident */
    if (++buffers_live > buffers_peak) buffers_peak = buffers_live;
    size_t ext = stats().external_bytes;
    if (ext > max_ext) max_ext = ext;
  }
  liq_gc_collect();
  size_t rss = peak_rss_kb();
  printf("external pacing: %zu MiB allocated, %llu collections, peak %zu buffers "
         "alive, peak external %zu KiB, peak RSS %zu KiB\n",
         total_mb, (unsigned long long)(stats().collections - before), buffers_peak,
         max_ext >> 10, rss);
  CHECK(buffers_live == 0);
  CHECK(stats().external_bytes == 0);
  CHECK(buffers_peak <= 8);
  CHECK(max_ext <= 8 * mb);
  if (!SANITIZED) CHECK(rss < 100 * 1024);
}

/* --- Heap bytes pace the collector ------------------------------------------- */

static void test_heap_pacing(void)
{
#ifdef CLIQ_GC_STRESS
  const size_t nslots = 16, total = (size_t)1 << 20;
#else
  const size_t nslots = 1500, total = (size_t)1 << 30; /* 1 GB */
#endif
  liq_sym names[3] = {liq_sym_permanent("name"), liq_sym_permanent("size"),
                      liq_sym_permanent("gain")};
  liq_value slots = liq_v_env(LIQ_NOVALUE, nslots, NULL);
  liq_gc_add_root(&slots);
  liq_gc_collect();
  reset_peak_rss();
  size_t allocated = 0, max_live = 0;
  unsigned seed = 1;
  uint64_t before = stats().collections;
  for (size_t i = 0; allocated < total; i++) {
    seed = seed * 1103515245u + 12345u;
    size_t len = 1000 + (seed >> 8) % 10000; /* average 6 KB */
    char *bytes;
    liq_value s = liq_v_string_new(len, &bytes);
    memset(bytes, 'a' + (int)(i % 26), len);
    liq_value *ps = liq_gc_pin(s);
    liq_value gain = liq_v_float((double)i / 7);
    liq_value vals[3] = {*ps, liq_v_int((int64_t)len), gain};
    liq_value rec = liq_v_record(3, names, vals);
    liq_gc_unpin(ps);
    liq_v_env_set(slots, i % nslots, rec);
    allocated += len + 200;
    if (i % 1000 == 0) {
      liq_gc_stats st = stats();
      if (st.live_bytes > max_live) max_live = st.live_bytes;
    }
  }
  liq_gc_collect();
  size_t live = stats().live_bytes;
  size_t rss = peak_rss_kb();
  printf("heap pacing: %zu MiB allocated, %llu collections, live after GC %zu KiB "
         "(max seen %zu KiB), peak heap %zu KiB, peak RSS %zu KiB\n",
         allocated >> 20, (unsigned long long)(stats().collections - before), live >> 10,
         max_live >> 10, stats().peak_heap_bytes >> 10, rss);
  CHECK(live <= 10 << 20);
  CHECK(max_live <= 10 << 20);
  if (!SANITIZED) CHECK(rss <= 64 * 1024);
  liq_gc_remove_root(&slots);
  liq_gc_collect();
}

/* --- Long structures are marked without recursion --------------------------- */

static void test_long_list(void)
{
#ifdef CLIQ_GC_STRESS
  const size_t n = 2000;
#else
  const size_t n = 1000000;
#endif
  liq_value *l = liq_gc_pin(LIQ_NIL);
  for (size_t i = 0; i < n; i++) *l = liq_v_cons(liq_v_int((int64_t)i), *l);
  liq_gc_collect();
  CHECK(liq_v_list_length(*l) == n);
  CHECK(liq_v_int_val(liq_v_head(*l)) == (int64_t)n - 1);
  size_t objects = stats().objects;
  CHECK(objects >= n);
  liq_gc_unpin(l);
  liq_gc_collect();
  CHECK(stats().objects < objects - n + 100);
}

/* --- External byte accounting ---------------------------------------------------------- */

static void test_external_accounting(void)
{
  liq_value *v = liq_gc_pin(liq_gc_custom_new(&buffer_ops, sizeof(buffer_block), 1000));
  buffer_block *b = liq_gc_custom_payload(*v);
  b->data = liq_mem_alloc(10);
  buffers_live++;
  size_t base = stats().external_bytes;
  liq_gc_set_external(*v, 5000);
  CHECK(stats().external_bytes == base + 4000);
  CHECK(liq_gc_get_external(*v) == 5000);
  CHECK(liq_gc_custom_ops(*v) == &buffer_ops);
  liq_gc_unpin(v);
  liq_gc_collect();
  CHECK(stats().external_bytes == base - 1000);
  CHECK(buffers_live == 0);
}

/* --- Census and settling ------------------------------------------------------ */

/* liq_gc_census counts what a collection would keep, frees nothing and
 * leaves no marks behind; allocated_bytes counts every allocation. */
static void test_census(void)
{
  liq_gc_collect();
  uint64_t alloc0 = stats().allocated_bytes;
  liq_value *keep = liq_gc_pin(LIQ_NIL);
  for (int i = 0; i < 100; i++) *keep = liq_v_cons(liq_v_float(i), *keep);
  for (int i = 0; i < 100; i++) (void)liq_v_float(i); /* garbage */
  liq_gc_stats before = stats();
  CHECK(before.allocated_bytes - alloc0 == before.heap_bytes - stats().live_bytes);
  size_t live, n;
  liq_gc_census(&live, &n);
  CHECK(stats().objects == before.objects && stats().heap_bytes == before.heap_bytes);
  CHECK(n + 100 == before.objects);
  CHECK(live < before.heap_bytes);
  liq_gc_collect(); /* marks were cleared: the garbage goes, the list stays */
  CHECK(stats().objects == n && stats().heap_bytes == live);
  CHECK(liq_v_list_length(*keep) == 100);
  liq_gc_unpin(keep);
  liq_gc_collect();
}

/* Settling ends the start-up floor: a small live heap gets a threshold of
 * (100 + space_overhead)% of it, or 64 kB, well under min_heap. Last
 * test: settling is for good. */
static void test_settle(void)
{
  liq_value *keep = liq_gc_pin(LIQ_NIL);
  for (int i = 0; i < 4000; i++) *keep = liq_v_cons(liq_v_int(i), *keep);
  liq_gc_collect();
  CHECK(stats().threshold == ((size_t)1 << 20)); /* the start-up floor */
  liq_gc_settle();
  liq_gc_stats s = stats();
  size_t base = s.live_bytes + s.external_bytes;
  size_t want = base + base / 100 * 120 + base % 100 * 120 / 100;
  if (want < (64 << 10)) want = 64 << 10;
  CHECK(s.threshold == want);
  CHECK(s.threshold < ((size_t)1 << 20) / 2);
  liq_gc_unpin(keep);
  liq_gc_collect();
}

int main(void)
{
  setvbuf(stdout, NULL, _IOLBF, 0);
  liq_gc_lock();
  liq_value_init();
  /* The RSS measures first, while the process is small. */
  test_external_pacing();
  test_heap_pacing();
  test_roots();
  test_finalizers_once();
  test_misuse();
  test_defer();
  test_control();
  test_external_accounting();
  test_long_list();
  test_census();
  test_settle();

  /* Shutdown finalizes what is left, exactly once. */
  memset(finalized, 0, sizeof finalized);
  liq_value *last = liq_gc_pin(new_tracked(7, LIQ_NOVALUE));
  (void)last;
  liq_gc_shutdown();
  CHECK(finalized[7] == 1);
  CHECK(stats().objects == 0 && stats().heap_bytes == 0);
  liq_gc_unlock();

  if (failures) printf("test_gc: %d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
