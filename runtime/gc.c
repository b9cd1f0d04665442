/* gc: the tracing heap for script values; see gc.h for the contract.
 *
 * Design: non-moving, stop-the-world mark-and-sweep.
 * - Every object is one liq_mem allocation threaded on a single list; the
 *   sweep walks that list, frees the unmarked objects and clears the marks.
 * - Marking uses an explicit gray stack (no C recursion, so a million-cell
 *   list is fine).
 * - Not incremental, on purpose. Script heaps are small (a few MB of values:
 *   audio lives in frame pools and custom blocks, outside the heap), and a
 *   full collection costs about 0.6 ms per MB of small objects (measured:
 *   2 M floats and conses, 55 MB, 32 ms at -O2), so a typical heap pauses
 *   for a few ms, well inside a 40 ms frame. The streaming engine defers
 *   collections to the end of a cycle (liq_gc_defer_* / liq_gc_safepoint),
 *   where a pause delays no output.
 *   An incremental collector would need a write barrier on every mutation
 *   (refs, environment frames), a contract the whole evaluator would have to
 *   honour; non-moving stop-the-world needs nothing but pinning.
 *   TODO(perf): if real scripts grow heaps of hundreds of MB, revisit with
 *   an incremental mark (tri-colour with a Dijkstra barrier in liq_v_ref_set
 *   and the env setters).
 * - Pacing after OCaml's space_overhead, with custom blocks' external bytes
 *   counted like heap bytes (gc.h). */
#include "config.h"
#include "runtime/gc.h"

#include "runtime/mem.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Custom block layout: header, ops, declared external bytes, payload. */
typedef struct custom_block {
  liq_obj hdr;
  const liq_custom_ops *ops;
  size_t external;
  _Alignas(max_align_t) unsigned char payload[];
} custom_block;

struct liq_gc_handle {
  liq_value value;
  liq_gc_handle *prev, *next;
};

typedef struct hook {
  liq_gc_root_fn fn;
  void *data;
} hook;

typedef struct hook_list {
  hook *items;
  size_t len, cap;
} hook_list;

#define DEFAULT_SPACE_OVERHEAD 120
#define DEFAULT_MIN_HEAP ((size_t)1 << 20)
/* The floor once settled: bounds how often the per-collection fixed costs
 * (roots, weak tables) are paid when almost nothing is live. */
#define SETTLED_MIN_HEAP ((size_t)64 << 10)

static const liq_gc_kind *kinds[LIQ_GC_KIND_MAX];

/* The whole heap state. Guarded by heap_lock (held_here tells whether the
 * current thread has it). */
static struct {
  bool initialized;
  bool collecting;
  bool shutting_down; /* liq_gc_is_marked is false for everything */
  bool allocating;    /* inside liq_gc_alloc_keep (emergency collections) */
  bool settled;       /* liq_gc_settle was called: min_heap no longer applies */
  unsigned defer_depth;

  liq_obj *objects; /* every allocated object, newest first */
  size_t nobjects;
  size_t heap_bytes;
  size_t peak_heap_bytes;
  uint64_t allocated_bytes; /* every object ever allocated */
  size_t external_bytes;
  size_t live_bytes;    /* heap bytes after the last collection */
  size_t live_external; /* external bytes after the last collection */
  size_t threshold;
  uint64_t collections;
  liq_gc_control control;

  liq_obj **gray; /* marked objects whose children are not yet marked */
  size_t gray_len, gray_cap;

  liq_value **roots;
  size_t roots_len, roots_cap;
  hook_list root_hooks, weak_hooks;
  liq_value pins[LIQ_GC_PIN_MAX];
  size_t npins;
  liq_gc_handle *handles;
  const liq_gc_range *keep; /* arguments of the allocation in progress */
  size_t nkeep;
} G;

static pthread_mutex_t heap_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local bool held_here;

void liq_gc_fatal(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("cliq: internal error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

static void require_lock(const char *what)
{
  if (!held_here) liq_gc_fatal("%s without holding the heap lock", what);
}

/* --- Lock ------------------------------------------------------------------ */

void liq_gc_lock(void)
{
  if (held_here) liq_gc_fatal("heap lock taken twice by the same thread");
  pthread_mutex_lock(&heap_lock);
  held_here = true;
}

void liq_gc_unlock(void)
{
  require_lock("liq_gc_unlock");
  held_here = false;
  pthread_mutex_unlock(&heap_lock);
}

bool liq_gc_lock_held(void) { return held_here; }

/* --- Pacing ---------------------------------------------------------------- */

static void update_threshold(void)
{
  size_t base = G.live_bytes + G.live_external;
  size_t t = base + base / 100 * G.control.space_overhead
             + base % 100 * G.control.space_overhead / 100;
  size_t floor = G.settled ? SETTLED_MIN_HEAP : G.control.min_heap;
  G.threshold = t > floor ? t : floor;
}

static bool debt_exceeded(size_t extra)
{
  return G.heap_bytes + G.external_bytes + extra > G.threshold;
}

/* --- Marking --------------------------------------------------------------- */

void liq_gc_mark(liq_value v)
{
  if (!liq_is_obj(v)) return;
  liq_obj *o = liq_obj_of(v);
  if (o->marked) return;
  if (!G.collecting) liq_gc_fatal("liq_gc_mark outside a collection");
  o->marked = 1;
  if (!kinds[o->kind]->trace) return; /* a leaf: nothing to scan */
  if (G.gray_len == G.gray_cap) {
    /* liq_mem's emergency hook is a no-op while collecting, so this cannot
     * re-enter the collector. */
    G.gray_cap = G.gray_cap ? 2 * G.gray_cap : 256;
    G.gray = liq_mem_realloc(G.gray, G.gray_cap * sizeof *G.gray);
  }
  G.gray[G.gray_len++] = o;
}

static void drain_gray(void)
{
  while (G.gray_len > 0) {
    liq_obj *o = G.gray[--G.gray_len];
    kinds[o->kind]->trace(o);
  }
}

bool liq_gc_is_marked(const liq_obj *obj)
{
  return !G.shutting_down && (obj->marked || (obj->flags & LIQ_GC_PERMANENT));
}

bool liq_gc_is_collecting(void) { return G.collecting; }

static void run_hooks(const hook_list *l)
{
  for (size_t i = 0; i < l->len; i++) l->items[i].fn(l->items[i].data);
}

/* The one place that enumerates every root. */
static void mark_roots(void)
{
  for (size_t i = 0; i < G.roots_len; i++) liq_gc_mark(*G.roots[i]);
  for (size_t i = 0; i < G.npins; i++) liq_gc_mark(G.pins[i]);
  for (liq_gc_handle *h = G.handles; h; h = h->next) liq_gc_mark(h->value);
  run_hooks(&G.root_hooks);
  for (size_t r = 0; r < G.nkeep; r++)
    for (size_t i = 0; i < G.keep[r].len; i++) liq_gc_mark(G.keep[r].items[i]);
}

/* --- Sweeping -------------------------------------------------------------- */

static void free_object(liq_obj *o)
{
  const liq_gc_kind *k = kinds[o->kind];
  if (k->finalize) k->finalize(o);
  G.heap_bytes -= o->size;
  G.nobjects--;
  liq_mem_free_sized(o, o->size);
}

static void sweep(void)
{
  liq_obj **link = &G.objects;
  while (*link) {
    liq_obj *o = *link;
    if (o->marked || (o->flags & LIQ_GC_PERMANENT)) {
      o->marked = 0;
      link = &o->next;
    } else {
      *link = o->next;
      free_object(o);
    }
  }
}

static void collect(void)
{
  if (G.collecting) return;
  G.collecting = true;
  mark_roots();
  drain_gray();
  run_hooks(&G.weak_hooks);
  sweep();
  G.collections++;
  G.live_bytes = G.heap_bytes;
  G.live_external = G.external_bytes;
  update_threshold();
  G.collecting = false;
  /* The gray stack is empty again; keep a small one, drop a big one. */
  if (G.gray_cap > 4096) {
    liq_mem_free(G.gray);
    G.gray = NULL;
    G.gray_cap = 0;
  }
}

/* liq_mem's emergency hook: an allocation failed somewhere. Collect only
 * when that is safe: inside a GC allocation (the only place C code expects
 * a collection, so a failing malloc of a C buffer never frees values its
 * caller holds unpinned), made by this thread, outside a collection. */
static void emergency_collect(void)
{
  if (G.initialized && held_here && G.allocating && !G.collecting) collect();
}

/* --- Lifecycle --------------------------------------------------------------- */

static void custom_trace(liq_obj *o)
{
  custom_block *b = (custom_block *)o;
  if (b->ops->trace) b->ops->trace(b->payload);
}

static void custom_finalize(liq_obj *o)
{
  custom_block *b = (custom_block *)o;
  if (b->ops->finalize) b->ops->finalize(b->payload);
  G.external_bytes -= b->external;
  b->external = 0;
}

static const liq_gc_kind custom_kind = {"custom", custom_trace, custom_finalize};

void liq_gc_register_kind(unsigned kind, const liq_gc_kind *desc)
{
  if (kind == 0 || kind >= LIQ_GC_KIND_MAX) liq_gc_fatal("bad GC kind %u", kind);
  if (kinds[kind] && kinds[kind] != desc) liq_gc_fatal("GC kind %u registered twice", kind);
  kinds[kind] = desc;
}

const liq_gc_kind *liq_gc_kind_desc(unsigned kind)
{
  return kind < LIQ_GC_KIND_MAX ? kinds[kind] : NULL;
}

void liq_gc_init(void)
{
  if (G.initialized) return;
  kinds[LIQ_GC_KIND_CUSTOM] = &custom_kind;
  G.control.space_overhead = DEFAULT_SPACE_OVERHEAD;
  G.control.min_heap = DEFAULT_MIN_HEAP;
  update_threshold();
  liq_mem_set_emergency_hook(emergency_collect);
  G.initialized = true;
}

void liq_gc_shutdown(void)
{
  require_lock("liq_gc_shutdown");
  if (G.collecting) liq_gc_fatal("liq_gc_shutdown during a collection");
  G.collecting = true;
  G.shutting_down = true;
  run_hooks(&G.weak_hooks); /* weak tables let go of everything */
  while (G.objects) {
    liq_obj *o = G.objects;
    G.objects = o->next;
    free_object(o);
  }
  while (G.handles) {
    liq_gc_handle *h = G.handles;
    G.handles = h->next;
    liq_mem_free(h);
  }
  liq_mem_free(G.gray);
  liq_mem_free(G.roots);
  liq_mem_free(G.root_hooks.items);
  liq_mem_free(G.weak_hooks.items);
  liq_mem_set_emergency_hook(NULL);
  memset(&G, 0, sizeof G);
}

/* --- Allocation ------------------------------------------------------------ */

liq_obj *liq_gc_alloc_keep(unsigned kind, size_t size, const liq_gc_range *keep, size_t nkeep)
{
  require_lock("GC allocation");
  if (!G.initialized) liq_gc_fatal("GC allocation before liq_gc_init");
  if (G.collecting) liq_gc_fatal("GC allocation during a collection (in a finalizer?)");
  if (kind >= LIQ_GC_KIND_MAX || !kinds[kind]) liq_gc_fatal("allocation of unregistered kind %u", kind);
  if (size < sizeof(liq_obj) || size > UINT32_MAX)
    liq_gc_fatal("bad GC object size %zu", size);
  /* From here to the end, a collection (scheduled or emergency, inside
   * liq_mem_alloc) keeps the caller's arguments. */
  G.keep = keep;
  G.nkeep = nkeep;
  G.allocating = true;
#ifdef CLIQ_GC_STRESS
  collect();
#else
  if (G.defer_depth == 0 && debt_exceeded(size)) collect();
#endif
  liq_obj *o = liq_mem_alloc(size);
  memset(o, 0, size);
  o->size = (uint32_t)size;
  o->kind = (uint8_t)kind;
  o->next = G.objects;
  G.objects = o;
  G.nobjects++;
  G.heap_bytes += size;
  G.allocated_bytes += size;
  if (G.heap_bytes > G.peak_heap_bytes) G.peak_heap_bytes = G.heap_bytes;
  G.keep = NULL;
  G.nkeep = 0;
  G.allocating = false;
  return o;
}

liq_obj *liq_gc_alloc(unsigned kind, size_t size) { return liq_gc_alloc_keep(kind, size, NULL, 0); }

/* --- Roots ----------------------------------------------------------------- */

void liq_gc_add_root(liq_value *slot)
{
  require_lock("liq_gc_add_root");
  if (G.roots_len == G.roots_cap) {
    G.roots_cap = G.roots_cap ? 2 * G.roots_cap : 16;
    G.roots = liq_mem_realloc(G.roots, G.roots_cap * sizeof *G.roots);
  }
  G.roots[G.roots_len++] = slot;
}

void liq_gc_remove_root(liq_value *slot)
{
  require_lock("liq_gc_remove_root");
  for (size_t i = G.roots_len; i-- > 0;) {
    if (G.roots[i] == slot) {
      G.roots[i] = G.roots[--G.roots_len];
      return;
    }
  }
  liq_gc_fatal("liq_gc_remove_root: slot %p is not a root", (void *)slot);
}

/* Idempotent: adding a (fn, data) pair already there does nothing, so a
 * subsystem's init can run again after liq_gc_shutdown cleared the lists. */
static void hook_add(hook_list *l, liq_gc_root_fn fn, void *data)
{
  require_lock("adding a GC hook");
  for (size_t i = 0; i < l->len; i++)
    if (l->items[i].fn == fn && l->items[i].data == data) return;
  if (l->len == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 8;
    l->items = liq_mem_realloc(l->items, l->cap * sizeof *l->items);
  }
  l->items[l->len++] = (hook){fn, data};
}

static void hook_remove(hook_list *l, liq_gc_root_fn fn, void *data)
{
  require_lock("removing a GC hook");
  for (size_t i = 0; i < l->len; i++) {
    if (l->items[i].fn == fn && l->items[i].data == data) {
      /* Keep the order: hooks run in registration order. */
      memmove(&l->items[i], &l->items[i + 1], (l->len - i - 1) * sizeof *l->items);
      l->len--;
      return;
    }
  }
  liq_gc_fatal("removing a GC hook that was never added");
}

void liq_gc_add_root_hook(liq_gc_root_fn fn, void *data) { hook_add(&G.root_hooks, fn, data); }
void liq_gc_remove_root_hook(liq_gc_root_fn fn, void *data) { hook_remove(&G.root_hooks, fn, data); }
void liq_gc_add_weak_hook(liq_gc_root_fn fn, void *data) { hook_add(&G.weak_hooks, fn, data); }
void liq_gc_remove_weak_hook(liq_gc_root_fn fn, void *data) { hook_remove(&G.weak_hooks, fn, data); }

liq_value *liq_gc_pin(liq_value v)
{
  require_lock("liq_gc_pin");
  if (G.npins == LIQ_GC_PIN_MAX)
    liq_gc_fatal("pin stack overflow (%d values pinned)", LIQ_GC_PIN_MAX);
  G.pins[G.npins] = v;
  return &G.pins[G.npins++];
}

void liq_gc_unpin(liq_value *slot)
{
  require_lock("liq_gc_unpin");
  if (G.npins == 0) liq_gc_fatal("liq_gc_unpin on an empty pin stack");
  if (slot != &G.pins[G.npins - 1]) {
    ptrdiff_t idx = slot - G.pins;
    liq_gc_fatal("pin stack misuse: unpinning slot %td, but the top is slot %zu",
                 idx, G.npins - 1);
  }
  G.pins[--G.npins] = LIQ_NOVALUE;
}

size_t liq_gc_pin_depth(void) { return G.npins; }

liq_gc_handle *liq_gc_handle_new(liq_value v)
{
  require_lock("liq_gc_handle_new");
  liq_gc_handle *h = liq_mem_alloc(sizeof *h);
  h->value = v;
  h->prev = NULL;
  h->next = G.handles;
  if (G.handles) G.handles->prev = h;
  G.handles = h;
  return h;
}

liq_value liq_gc_handle_get(const liq_gc_handle *h) { return h->value; }

void liq_gc_handle_set(liq_gc_handle *h, liq_value v) { h->value = v; }

void liq_gc_handle_free(liq_gc_handle *h)
{
  if (!h) return;
  require_lock("liq_gc_handle_free");
  if (h->prev) h->prev->next = h->next;
  else G.handles = h->next;
  if (h->next) h->next->prev = h->prev;
  liq_mem_free(h);
}

/* --- Custom blocks --------------------------------------------------------- */

static custom_block *as_custom(liq_value v)
{
  if (!liq_is_obj(v)) liq_gc_fatal("not a custom block");
  liq_obj *o = liq_obj_of(v);
  if (o->kind != LIQ_GC_KIND_CUSTOM)
    liq_gc_fatal("not a custom block (kind %s)", kinds[o->kind]->name);
  return (custom_block *)o;
}

liq_value liq_gc_custom_new(const liq_custom_ops *ops, size_t payload_size,
                            size_t external_bytes)
{
  custom_block *b = (custom_block *)liq_gc_alloc(LIQ_GC_KIND_CUSTOM,
                                                 sizeof(custom_block) + payload_size);
  b->ops = ops;
  b->external = external_bytes;
  G.external_bytes += external_bytes;
  return liq_value_of_obj(&b->hdr);
}

void *liq_gc_custom_payload(liq_value v) { return as_custom(v)->payload; }

const liq_custom_ops *liq_gc_custom_ops(liq_value v) { return as_custom(v)->ops; }

void liq_gc_set_external(liq_value custom, size_t bytes)
{
  custom_block *b = as_custom(custom);
  G.external_bytes = G.external_bytes - b->external + bytes;
  b->external = bytes;
}

size_t liq_gc_get_external(liq_value custom) { return as_custom(custom)->external; }

/* --- Scheduling ------------------------------------------------------------ */

void liq_gc_collect(void)
{
  require_lock("liq_gc_collect");
  collect();
}

void liq_gc_settle(void)
{
  require_lock("liq_gc_settle");
  G.settled = true;
  collect();
}

void liq_gc_census(size_t *live_bytes, size_t *live_objects)
{
  require_lock("liq_gc_census");
  if (G.collecting) liq_gc_fatal("liq_gc_census during a collection");
  /* A collection's mark phase without its sweep: marks are cleared here. */
  G.collecting = true;
  mark_roots();
  drain_gray();
  size_t bytes = 0, n = 0;
  for (liq_obj *o = G.objects; o; o = o->next)
    if (o->marked || (o->flags & LIQ_GC_PERMANENT)) {
      o->marked = 0;
      bytes += o->size;
      n++;
    }
  G.collecting = false;
  *live_bytes = bytes;
  *live_objects = n;
}

bool liq_gc_safepoint(void)
{
  require_lock("liq_gc_safepoint");
  if (G.collecting || !debt_exceeded(0)) return false;
  collect();
  return true;
}

void liq_gc_defer_begin(void)
{
  require_lock("liq_gc_defer_begin");
  G.defer_depth++;
}

void liq_gc_defer_end(void)
{
  require_lock("liq_gc_defer_end");
  if (G.defer_depth == 0) liq_gc_fatal("liq_gc_defer_end without liq_gc_defer_begin");
  G.defer_depth--;
}

/* --- Statistics and control ------------------------------------------------ */

void liq_gc_get_stats(liq_gc_stats *out)
{
  out->collections = G.collections;
  out->heap_bytes = G.heap_bytes;
  out->live_bytes = G.live_bytes;
  out->external_bytes = G.external_bytes;
  out->objects = G.nobjects;
  out->peak_heap_bytes = G.peak_heap_bytes;
  out->allocated_bytes = G.allocated_bytes;
  out->threshold = G.threshold;
}

void liq_gc_get_control(liq_gc_control *out) { *out = G.control; }

void liq_gc_set_control(const liq_gc_control *in)
{
  require_lock("liq_gc_set_control");
  G.control = *in;
  update_threshold();
}
