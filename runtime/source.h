/* source: the operator contract of the streaming graph.
 *
 * Every node of the graph (generator, operator, output) is a liq_source
 * whose behaviour comes from a `static const liq_source_class` descriptor,
 * after libavfilter's AVFilter. The contract, stated once:
 *
 *  - liq_source_new allocates the source with `priv_size` zeroed bytes of
 *    private state, references the inputs, then calls `init(s, args)`. If
 *    init fails (returns -1 after liq_source_set_error) `uninit` still runs,
 *    so uninit must cope with a partly initialised state; then the source is
 *    freed and liq_source_new returns NULL with the message in `err`.
 *    Callback structs passed in `args` belong to the source from the call
 *    on: init copies them into the private state before anything can fail,
 *    and uninit releases them.
 *  - `fill(s, f, off, len)` writes at most `len` samples into frame `f` at
 *    [off, off + n) and returns {n, eot}. It produces at most ONE track: n <
 *    len always means the current track ended at off + n (the wrapper sets
 *    eot then), and eot with n == len means the track ends exactly there.
 *    The caller loops (outputs until their frame is full). A fill may attach
 *    metadata to f at positions in [off, off + n). `fill` is only called
 *    when `is_ready` said yes in the same cycle. Frames are never resized:
 *    operators that need scratch space keep a pooled frame in their state.
 *  - `is_ready(s)`: whether the source can produce now. It may change after
 *    a fill (a finite sine is not ready once its last samples are out).
 *  - `remaining(s)`: samples left in the current track, -1 if unknown.
 *  - `abort_track(s)`: end the current track now (telnet "skip").
 *  - `seek(s, n)`: move n samples within the track; returns samples moved.
 *  - `wake_up`/`sleep`: acquire and release resources (files, devices);
 *    called when the source's clock starts and stops.
 *  - `animate(s)`: ACTIVE and OUTPUT sources only, once per clock cycle,
 *    whether anyone reads them or not. PASSIVE sources compute only when
 *    pulled.
 *  - NULL entries get defaults: is_ready, remaining and seek forward to the
 *    first input (or say ready / unknown / 0 without inputs); abort_track
 *    forwards to every input.
 *
 * Frame caching. A source pulled by several consumers (n_consumers > 1)
 * computes once per cycle into its own pooled memo frame; each consumer
 * copies the part it asks for. Positions are clock-aligned: sample p of the
 * cycle is the same for every consumer, the way Liquidsoap 2.1.3 does it.
 * Each consumer (identified by the serial of the frame it fills) has a cursor in the memo's
 * list of segments, so zero-length tracks are seen once by each consumer.
 *
 * Tracks and metadata. The wrapper liq_source_get adds the track mark to
 * the frame on eot, keeps `elapsed` and `last_metadata`, and runs the
 * on_metadata hooks (for every packet) and the on_track hooks (at the
 * first data of each track, with the metadata found at that position or
 * an empty packet); a packet at a track's start has its metadata hooks
 * run before the track hooks, like 2.1.3. Hooks run inside frame
 * computation, on the clock thread.
 *
 * Fallibility is static: an infallible source must be ready at every cycle
 * and fill whole frames. Outputs refuse fallible sources unless created with
 * fallible=true (liq_source_check_fallible).
 *
 * Script callbacks. The evaluator plugs closures in through small C
 * callback structs {fn, ud, release}. A callback returns 0 on success and
 * non-zero on failure; a failure is logged with the source's label (the
 * callback itself should log the script-level details first) and the
 * stream goes on: getters keep their last good value, predicates count as
 * false, hooks are skipped for that event. `release(ud)` runs when the
 * owning source is freed. Ownership: structs are copied into the source,
 * which then owns `ud`.
 *
 * Ownership of sources: liq_source_new returns a new reference; a source
 * holds a reference on each input; the clock holds one on each output. */
#ifndef LIQ_SOURCE_H
#define LIQ_SOURCE_H

#include <stdint.h>

#include "runtime/frame.h"
#include "runtime/strbuf.h"

typedef struct liq_source liq_source;
typedef struct liq_clock liq_clock;

/* --- Callbacks ------------------------------------------------------------ */

/* A float parameter that may be a constant or a script getter. With fn NULL
 * the value is `constant`; otherwise fn's last good result is cached there. */
typedef struct liq_getter_float {
  double constant;
  int (*fn)(void *ud, double *out);
  void *ud;
  void (*release)(void *ud);
} liq_getter_float;

typedef struct liq_getter_bool {
  int constant;
  int (*fn)(void *ud, int *out);
  void *ud;
  void (*release)(void *ud);
} liq_getter_bool;

typedef struct liq_cb_void {
  int (*fn)(void *ud);
  void *ud;
  void (*release)(void *ud);
} liq_cb_void;

typedef struct liq_cb_meta {
  int (*fn)(void *ud, const liq_meta *m);
  void *ud;
  void (*release)(void *ud);
} liq_cb_meta;

typedef struct liq_cb_string {
  int (*fn)(void *ud, const char *s);
  void *ud;
  void (*release)(void *ud);
} liq_cb_string;

/* Metadata rewriting: *out receives a new packet (a new reference), or NULL
 * to drop the packet. */
typedef struct liq_cb_meta_map {
  int (*fn)(void *ud, const liq_meta *in, liq_meta **out);
  void *ud;
  void (*release)(void *ud);
} liq_cb_meta_map;

#define LIQ_FLOAT(x) ((liq_getter_float){(x), NULL, NULL, NULL})
#define LIQ_BOOL(x) ((liq_getter_bool){(x), NULL, NULL, NULL})

/* Call a callback; `s` labels the log line on failure. */
double liq_getter_float_get(liq_getter_float *g, liq_source *s);
int liq_getter_bool_get(liq_getter_bool *g, liq_source *s);
/* A getter without fn is constant: operators precompute from it. */
static inline int liq_getter_float_is_const(const liq_getter_float *g) { return !g->fn; }
void liq_cb_void_call(liq_cb_void *cb, liq_source *s, const char *what);
void liq_cb_meta_call(liq_cb_meta *cb, liq_source *s, const liq_meta *m, const char *what);
void liq_cb_string_call(liq_cb_string *cb, liq_source *s, const char *str, const char *what);
void liq_getter_float_release(liq_getter_float *g);
void liq_getter_bool_release(liq_getter_bool *g);
void liq_cb_void_release(liq_cb_void *cb);
void liq_cb_meta_release(liq_cb_meta *cb);
void liq_cb_string_release(liq_cb_string *cb);
void liq_cb_meta_map_release(liq_cb_meta_map *cb);

/* --- The descriptor ------------------------------------------------------- */

typedef enum liq_source_type {
  LIQ_SOURCE_PASSIVE, /* computes when pulled */
  LIQ_SOURCE_ACTIVE,  /* animated every cycle (live inputs, buffer's writer) */
  LIQ_SOURCE_OUTPUT,  /* animated every cycle; the clock's roots */
} liq_source_type;

typedef enum liq_fallibility {
  LIQ_FALLIBLE_NEVER,      /* sine, blank, noise */
  LIQ_FALLIBLE_ALWAYS,     /* source.fail, once, max_duration */
  LIQ_FALLIBLE_ANY_INPUT,  /* fallible iff some input is: amplify, filters */
  LIQ_FALLIBLE_ALL_INPUTS, /* fallible iff every input is: add, fallback */
  LIQ_FALLIBLE_LAST_INPUT, /* sequence */
  LIQ_FALLIBLE_CUSTOM,     /* the class's `fallible` decides: switch */
} liq_fallibility;

/* Consumers loop on liq_source_get until their frame is full (the loop is
 * liq_source_pull). Empty
 * tracks (n = 0, eot) are legitimate: a switch leaving a source ends its
 * track with no data, and nested selectors can stack several such ends at
 * one position. A consumer gives up on the frame after this many empty
 * tracks in a row, so that a misbehaving source cannot spin the clock. */
#define LIQ_MAX_EMPTY_TRACKS 16

typedef struct liq_fill {
  int n;   /* samples written */
  int eot; /* the track ended after them */
} liq_fill;

typedef struct liq_source_class {
  const char *name; /* Liquidsoap operator name; default id prefix */
  liq_source_type type;
  liq_fallibility fallibility;
  int self_sync; /* paces its clock itself (soundcards) */
  size_t priv_size;
  int (*fallible)(liq_source *s);
  int (*init)(liq_source *s, const void *args);
  void (*uninit)(liq_source *s);
  int (*is_ready)(liq_source *s);
  liq_fill (*fill)(liq_source *s, liq_frame *f, int off, int len);
  int64_t (*remaining)(liq_source *s);
  void (*abort_track)(liq_source *s);
  int64_t (*seek)(liq_source *s, int64_t samples);
  void (*wake_up)(liq_source *s);
  void (*sleep)(liq_source *s);
  void (*animate)(liq_source *s);
} liq_source_class;

/* --- Life cycle ------------------------------------------------------------ */

/* id: NULL for "<name>.<n>". Returns a new reference or NULL (err set). */
liq_source *liq_source_new(const liq_source_class *cls, const char *id,
                           liq_source *const *inputs, int n_inputs,
                           const void *args, liq_sb *err);
liq_source *liq_source_ref(liq_source *s);
void liq_source_unref(liq_source *s);
/* For init: records the error message (printf-style) and returns -1. */
int liq_source_set_error(liq_source *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* --- Accessors -------------------------------------------------------------- */

void *liq_source_priv(liq_source *s);
const liq_source_class *liq_source_get_class(const liq_source *s);
const char *liq_source_id(const liq_source *s);
int liq_source_n_inputs(const liq_source *s);
liq_source *liq_source_input(const liq_source *s, int i);
liq_clock *liq_source_clock(const liq_source *s);
/* The content this source produces (inputs' format, or the stream's). */
liq_format liq_source_format(const liq_source *s);
/* For init only: operators whose output format differs from their first
 * input's (mean to mono, audio_to_stereo) declare it here. */
void liq_source_set_format(liq_source *s, liq_format fmt);
/* The pool of the source's clock (NULL before it is attached). */
liq_pool *liq_source_pool(const liq_source *s);
int liq_source_frame_samples(const liq_source *s);
int liq_source_samplerate(const liq_source *s);
int liq_source_fallible(liq_source *s);
/* Samples produced in the current track. */
int64_t liq_source_elapsed(const liq_source *s);
/* Borrowed; NULL when the current track had no metadata yet. */
const liq_meta *liq_source_last_metadata(const liq_source *s);

/* --- Streaming (clock thread) ------------------------------------------------ */

int liq_source_is_ready(liq_source *s);
liq_fill liq_source_get(liq_source *s, liq_frame *f, int off, int len);
int64_t liq_source_remaining(liq_source *s);
void liq_source_abort_track(liq_source *s);
int64_t liq_source_seek(liq_source *s, int64_t samples);

/* What liq_source_pull does with the track ends (marks) of its input. */
typedef enum liq_pull_tracks {
  LIQ_PULL_KEEP,  /* they stay in f: the input's tracks are the caller's */
  LIQ_PULL_MERGE, /* one is dropped when the input goes on after it, at the
                     frame's end too if the input is still ready then; the
                     one where the input stopped stays (merge_tracks) */
  LIQ_PULL_DROP,  /* all are dropped (a transition's tracks are not its
                     selector's) */
} liq_pull_tracks;

/* The consumer loop, for whoever needs a range filled rather than one
 * track: gets from `in` into f at [off, off + len) while the range is not
 * full, fewer than LIQ_MAX_EMPTY_TRACKS empty tracks came in a row and `in`
 * is ready (asked before each get, the first included). Returns {n, eot}:
 * n samples written at [off, off + n), n < len meaning that the input
 * stopped (or kept ending empty tracks); eot when f has the input's track
 * end at off + n (never with LIQ_PULL_DROP). Does not touch f->len. */
liq_fill liq_source_pull(liq_source *in, liq_frame *f, int off, int len, liq_pull_tracks tracks);

/* Hooks; the source owns the callbacks from now on. */
void liq_source_on_track(liq_source *s, liq_cb_meta cb);
void liq_source_on_metadata(liq_source *s, liq_cb_meta cb);
/* Starts a new hook level: hooks added from now on run after the ones
 * before, as if on a new operator wrapping s (2.1.3's source.on_track(s, f)
 * function forms; see source.c). The next hook added is that operator's
 * own: add it right after. */
void liq_source_new_hook_level(liq_source *s);

/* Outputs call this at creation: an error unless `input` is infallible or
 * the output was given fallible=true. */
int liq_source_check_fallible(liq_source *input, int allow_fallible, liq_sb *err);

/* --- Used by clock.c ---------------------------------------------------------- */

/* Attach s and its inputs (recursively) to clock c. Fails if some source is
 * already in another clock. */
int liq_source_attach(liq_source *s, liq_clock *c, liq_sb *err);
void liq_source_wake_up(liq_source *s);
void liq_source_sleep(liq_source *s);
void liq_source_animate(liq_source *s);
/* End of cycle: drops the memo and consumer cursors. */
void liq_source_end_cycle(liq_source *s);
/* The clock is going away: forget it. */
void liq_source_detach(liq_source *s);

#endif
