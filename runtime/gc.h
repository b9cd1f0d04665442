/* gc: cliq's precise tracing heap for script values.
 *
 * Every script value that is not an immediate (see value.h) is a GC object:
 * a liq_obj header followed by its payload, allocated through liq_mem. The
 * collector is a non-moving, stop-the-world mark-and-sweep; value.c defines
 * what the object kinds are and how to trace them (liq_gc_register_kind),
 * this file only knows headers, roots and pacing.
 *
 * ## Values
 * A liq_value is one machine word. Its low two bits say what it is:
 *   ...1   a 63-bit integer (value.h)
 *   ..10   a static immediate: unit, true, false, null, [] (value.h)
 *   ..00   a pointer to a liq_obj (8-byte aligned), never 0
 * The word 0 (LIQ_NOVALUE) is no value at all: it marks empty slots and is
 * ignored by the collector.
 *
 * ## When collection happens (the contract)
 * - liq_gc_alloc checks the debt and may run a full collection before it
 *   returns. So any C code holding a GC value in a local variable across a
 *   call that may allocate a GC object must pin it first (liq_gc_pin) or keep
 *   it reachable from a root. GC-stress builds (CLIQ_GC_STRESS) collect at
 *   every allocation to flush out missing pins.
 * - Between liq_gc_defer_begin() and liq_gc_defer_end() (they nest)
 *   allocation does not collect: the debt accumulates and the streaming
 *   engine pays it at liq_gc_safepoint(), called at the end of each clock
 *   cycle. Exceptions, so pins are still needed inside a deferred region:
 *   GC-stress builds ignore deferral, and an emergency collection (an
 *   allocation failed, see below) always runs.
 * - liq_gc_collect() collects at once (runtime.gc.full_major).
 * - Emergency: the collector is registered as liq_mem's emergency hook. When
 *   the liq_mem allocation inside liq_gc_alloc fails, it runs a full
 *   collection (even in a deferred region) and liq_mem retries. Failures of
 *   other liq_mem allocations (C buffers) do not collect: so a collection
 *   only ever happens inside a GC allocation, liq_gc_collect or
 *   liq_gc_safepoint, and C code may hold unpinned values across plain
 *   liq_mem calls.
 *
 * ## Pacing (OCaml's space_overhead)
 * The collector counts heap bytes (object sizes) and external bytes (the
 * C-side memory declared by custom blocks). After a collection, with L the
 * surviving heap + external bytes, the next collection is due when heap +
 * external bytes exceed max(min_heap, L * (100 + space_overhead) / 100).
 * Counting external bytes is what makes a stream of small blocks owning big
 * C buffers trigger collections at all.
 * The min_heap floor only covers start-up, while the program builds its
 * heap and its live size is unknown. liq_gc_settle(), called when
 * streaming starts, collects and from then on the floor is a small
 * constant (64 kB): the threshold follows the live heap, like Lua's pause,
 * so a long-running stream holds about (100 + space_overhead)% of its live
 * heap instead of filling min_heap with garbage first.
 *
 * ## Roots (all enumerated by one function, mark_roots in gc.c)
 * 1. global root slots registered with liq_gc_add_root;
 * 2. the pin stack (liq_gc_pin / liq_gc_unpin, strictly LIFO, checked);
 * 3. handles (liq_gc_handle_new), for long-lived references from C objects;
 * 4. root hooks registered by other subsystems (the evaluator's stack,
 *    ...): each calls liq_gc_mark on the values it holds;
 * 5. the `keep` ranges of the allocation in progress (liq_gc_alloc_keep).
 * Permanent objects (LIQ_GC_PERMANENT) are never freed but are not roots:
 * they must not reference collectable objects.
 * Weak hooks run after marking and before sweeping, so that weak tables (the
 * symbol table in value.c) can drop the objects about to be freed.
 *
 * ## Threads
 * The heap has a single mutator at a time, guarded by one global lock that
 * the caller takes with liq_gc_lock() (a plain pthread mutex: not recursive).
 * Every entry point below except liq_gc_lock, liq_gc_init and the
 * liq_gc_is_* queries requires the calling thread to hold it; allocating,
 * pinning or collecting without it is a fatal internal error.
 *
 * ## Ownership
 * Values are never owned by C code: they live as long as they are reachable
 * from a root. Handles and registered roots are owned by whoever created
 * them and must be released. */
#ifndef LIQ_GC_H
#define LIQ_GC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uintptr_t liq_value;

/* No value: an empty slot. Never a script value. */
#define LIQ_NOVALUE ((liq_value)0)

/* Every heap object starts with this header. The list link threads all
 * objects for the sweep; `size` is the allocation size in bytes (header
 * included), which is what the pacing counts. */
typedef struct liq_obj {
  struct liq_obj *next;
  uint32_t size;
  uint8_t kind;   /* index into the kind table, see liq_gc_register_kind */
  uint8_t marked; /* 1 during a collection once reached; 0 otherwise */
  uint16_t flags; /* LIQ_GC_PERMANENT, kind-specific bits above it */
} liq_obj;

/* The object is never freed (nor finalized) by a collection. */
#define LIQ_GC_PERMANENT 0x1

static inline bool liq_is_obj(liq_value v) { return v != 0 && (v & 3) == 0; }
static inline liq_obj *liq_obj_of(liq_value v) { return (liq_obj *)v; }
static inline liq_value liq_value_of_obj(const liq_obj *o) { return (liq_value)o; }

/* --- Kinds ------------------------------------------------------------------
 * A kind says how to trace an object's children and what to do before its
 * memory is freed. Kind 0 is invalid and kind 1 is the custom block below;
 * value.h numbers its kinds from LIQ_GC_KIND_FIRST_FREE. */
#define LIQ_GC_KIND_CUSTOM 1
#define LIQ_GC_KIND_FIRST_FREE 2
#define LIQ_GC_KIND_MAX 64

typedef struct liq_gc_kind {
  const char *name;
  /* Calls liq_gc_mark on every value the object references; NULL = none. */
  void (*trace)(liq_obj *obj);
  /* Runs once, just before the object's memory is freed; NULL = none. It
   * must not allocate GC objects nor read other GC objects (they may have
   * been freed already in the same sweep). */
  void (*finalize)(liq_obj *obj);
} liq_gc_kind;

/* The descriptor must outlive the heap (use a static const). */
void liq_gc_register_kind(unsigned kind, const liq_gc_kind *desc);
/* The registered descriptor, or NULL. */
const liq_gc_kind *liq_gc_kind_desc(unsigned kind);

/* --- Lifecycle, lock ------------------------------------------------------ */

/* Idempotent. Installs the liq_mem emergency hook. */
void liq_gc_init(void);
/* Finalizes and frees every object, handle and table: the end of the
 * process (lets leak checkers see a clean heap). Needs the lock; releases
 * nothing else. The heap can be initialized again afterwards. */
void liq_gc_shutdown(void);

void liq_gc_lock(void);
void liq_gc_unlock(void);
/* Whether the calling thread holds the heap lock. */
bool liq_gc_lock_held(void);

/* --- Allocation ------------------------------------------------------------ */

/* A new object of `size` bytes (header included, size >= sizeof(liq_obj)),
 * zeroed past the header, of the given kind. May collect first (see the
 * contract above). Never returns NULL. */
liq_obj *liq_gc_alloc(unsigned kind, size_t size);

/* Same, but if the allocation collects, the values in the `keep` ranges are
 * marked too: how a constructor keeps its arguments alive across its own
 * allocation without pinning them one by one. */
typedef struct liq_gc_range {
  const liq_value *items;
  size_t len;
} liq_gc_range;
liq_obj *liq_gc_alloc_keep(unsigned kind, size_t size, const liq_gc_range *keep, size_t nkeep);

/* --- Marking (for trace functions and root hooks) -------------------------- */

/* Marks v if it is a heap object not yet marked; cheap on immediates. Only
 * meaningful during a collection (trace functions, root hooks). */
void liq_gc_mark(liq_value v);
/* During a weak hook: whether the object survives this collection. */
bool liq_gc_is_marked(const liq_obj *obj);
/* Whether a collection is running (finalizers, trace functions). */
bool liq_gc_is_collecting(void);

/* --- Roots ----------------------------------------------------------------- */

/* A global slot holding a value; the slot's content is read at each
 * collection. The slot must stay valid until liq_gc_remove_root. */
void liq_gc_add_root(liq_value *slot);
void liq_gc_remove_root(liq_value *slot);

/* Root hook: called during marking; calls liq_gc_mark on what it holds.
 * Hooks run in registration order; adding a registered (fn, data) pair
 * again does nothing; liq_gc_shutdown forgets them all. */
typedef void (*liq_gc_root_fn)(void *data);
void liq_gc_add_root_hook(liq_gc_root_fn fn, void *data);
void liq_gc_remove_root_hook(liq_gc_root_fn fn, void *data);

/* Weak hook: called after marking, before sweeping; drops references to
 * objects for which liq_gc_is_marked is false. */
void liq_gc_add_weak_hook(liq_gc_root_fn fn, void *data);
void liq_gc_remove_weak_hook(liq_gc_root_fn fn, void *data);

/* Pin stack: temporaries of C code across allocations.
 *   liq_value *acc = liq_gc_pin(LIQ_NIL);
 *   for (...) *acc = liq_v_cons(x, *acc);   // the slot can be updated
 *   liq_gc_unpin(acc);
 * liq_gc_pin pushes v and returns its slot, valid until unpinned.
 * liq_gc_unpin pops: the slot must be the top one (LIFO), otherwise it is a
 * fatal internal error, as is overflowing the stack (LIQ_GC_PIN_MAX). */
#define LIQ_GC_PIN_MAX 4096
liq_value *liq_gc_pin(liq_value v);
void liq_gc_unpin(liq_value *slot);
/* Current depth; to check balance around a call in tests and asserts. */
size_t liq_gc_pin_depth(void);

/* Handles: long-lived references from C objects (sources holding
 * callbacks...). A handle is a root until freed. */
typedef struct liq_gc_handle liq_gc_handle;
liq_gc_handle *liq_gc_handle_new(liq_value v);
liq_value liq_gc_handle_get(const liq_gc_handle *h);
void liq_gc_handle_set(liq_gc_handle *h, liq_value v);
void liq_gc_handle_free(liq_gc_handle *h); /* NULL is ignored */

/* --- Custom blocks ----------------------------------------------------------
 * An object owning C-side state (a source, an encoder, a buffer). The
 * payload is `payload_size` zeroed bytes, maximally aligned. The block
 * declares how many bytes of C memory it owns (external bytes) so that the
 * pacing sees them; update the figure with liq_gc_set_external when it
 * changes (it does not collect by itself; the next allocation or safepoint
 * will). The finalizer should free that memory and runs exactly once. */
struct liq_sb;
typedef struct liq_custom_ops {
  const char *name; /* prints as <name> when `print` is NULL */
  void (*trace)(void *payload);    /* liq_gc_mark its values; may be NULL */
  void (*finalize)(void *payload); /* same rules as liq_gc_kind; may be NULL */
  /* Appends how the value prints (value.c's printer); may be NULL. */
  void (*print)(void *payload, struct liq_sb *sb);
} liq_custom_ops;

liq_value liq_gc_custom_new(const liq_custom_ops *ops, size_t payload_size,
                            size_t external_bytes);
void *liq_gc_custom_payload(liq_value v);
const liq_custom_ops *liq_gc_custom_ops(liq_value v);
void liq_gc_set_external(liq_value custom, size_t bytes);
size_t liq_gc_get_external(liq_value custom);

/* --- Scheduling ------------------------------------------------------------ */

/* A full collection now (no-op when called during one). */
void liq_gc_collect(void);
/* Collects if the debt is exceeded, ignoring deferral: the caller says this
 * is a safe point (end of a streaming cycle). Returns whether it did. */
bool liq_gc_safepoint(void);
/* Start-up is over (streaming starts): collect now and pace from the live
 * heap from now on (see Pacing above). */
void liq_gc_settle(void);
/* Counts the reachable objects and their bytes without freeing anything
 * (a mark phase; runtime.gc.stat). Not during a collection. */
void liq_gc_census(size_t *live_bytes, size_t *live_objects);
void liq_gc_defer_begin(void);
void liq_gc_defer_end(void);

/* --- Statistics and control (runtime.gc.*) --------------------------------- */

typedef struct liq_gc_stats {
  uint64_t collections;
  size_t heap_bytes;      /* bytes of all objects currently allocated */
  size_t live_bytes;      /* heap bytes right after the last collection */
  size_t external_bytes;  /* bytes declared by live custom blocks */
  size_t objects;         /* objects currently allocated */
  size_t peak_heap_bytes; /* high-water mark of heap_bytes */
  size_t threshold;       /* heap + external bytes that trigger the next one */
  uint64_t allocated_bytes; /* bytes of every object ever allocated */
} liq_gc_stats;

typedef struct liq_gc_control {
  unsigned space_overhead; /* percent, default 120 (OCaml's default) */
  size_t min_heap;         /* bytes, default 1 MiB: no collection below it
                              until liq_gc_settle */
} liq_gc_control;

void liq_gc_get_stats(liq_gc_stats *out);
void liq_gc_get_control(liq_gc_control *out);
/* Recomputes the threshold from the last collection's live bytes. */
void liq_gc_set_control(const liq_gc_control *in);

/* Prints "cliq: internal error: <msg>" and aborts. */
void liq_gc_fatal(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#endif
