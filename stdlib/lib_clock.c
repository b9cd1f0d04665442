/* lib_clock: clocks at the script level and the streaming run.
 *
 * Clocks. clock.assign_new(id=, sync=, [s]) and clock(sync=, id=, s) (the
 * 2.1 forms) create a clock and attach the sources' graphs to it. An
 * output joins the clock of its input when the input has one; otherwise it
 * waits in `pending` and joins the default clock ("main", sync "auto") when
 * streaming starts, as in 2.1.3 where unassigned sources end up in the
 * default clock.
 *
 * Stream settings. settings.frame.duration, settings.frame.audio.samplerate
 * and settings.frame.audio.channels are read once, when the engine first
 * asks for the settings: at the creation of the first source (clock.h's
 * provider), so a script sets them before building its graph, like 2.1.3.
 *
 * Running (liq_lib_stream_run, after the whole program was evaluated, on
 * the evaluator thread holding the heap lock):
 *   1. pending outputs join their clock; no clock with an output, or a
 *      shutdown() already requested: run the on_shutdown handlers, return;
 *   2. settle the heap (liq_gc_settle: one collection, then pacing from
 *      the live heap rather than the start-up floor), and defer
 *      collections (liq_gc_defer_begin): allocations by callbacks
 *      only add debt, paid at each clock's cycle-end hook, which takes the
 *      heap lock and calls liq_gc_safepoint: the GC runs between cycles;
 *   3. start every clock with outputs, release the heap lock, wait until
 *      shutdown() (from a callback on any thread) wakes us;
 *   4. stop and join every clock (lock released: a clock thread may be
 *      waiting for it in a callback), re-take the lock, run the on_shutdown
 *      handlers, return shutdown's code.
 * The task thread (lib_thread.c: thread.run...) runs alongside the clocks,
 * started in 3 and stopped in 4; settings.init.force_start runs the loop
 * even with no output, as 2.1.3 does. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "stdlib/lib.h"
#include "runtime/clock.h"
#include "stdlib/lib_source.h"
#include "stdlib/lib_thread.h"
#include "runtime/log.h"
#include "runtime/mem.h"

static liq_clock **clocks;
static int n_clocks;
static liq_clock *default_clock;
static liq_source **pending;
static int n_pending;

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t run_cond = PTHREAD_COND_INITIALIZER;
static int shutdown_requested;
static int exit_code;

static void safepoint_hook(void *ud, liq_clock *c)
{
  (void)ud;
  (void)c;
  liq_gc_lock();
  liq_gc_safepoint();
  liq_gc_unlock();
}

static liq_clock *clock_new(const char *id, const char *sync)
{
  int mode = liq_sync_mode_parse(sync);
  if (mode < 0) liq_eval_raise("invalid", "unknown clock sync mode \"%s\" (auto, cpu or none)", sync);
  liq_clock *c = liq_clock_new(id, (liq_sync_mode)mode);
  liq_clock_on_cycle_end(c, safepoint_hook, NULL);
  /* Under run_lock: a signal's shutdown request walks the list. */
  pthread_mutex_lock(&run_lock);
  clocks = liq_mem_realloc(clocks, sizeof *clocks * (size_t)(n_clocks + 1));
  clocks[n_clocks++] = c;
  pthread_mutex_unlock(&run_lock);
  return c;
}

static void clock_add(liq_clock *c, liq_source *s)
{
  liq_sb err = LIQ_SB_INIT;
  if (liq_clock_add(c, s, &err) != 0) liq_lib_raise_sb(&err);
  liq_sb_free(&err);
}

/* Settings leaves as numbers, keeping the default when unset or odd. */
static double setting_num(const char *path, double dflt)
{
  liq_value v = liq_settings_get(path);
  if (v == LIQ_NOVALUE) return dflt;
  v = liq_v_base(v);
  if (liq_is_int(v)) return (double)liq_v_int_val(v);
  if (liq_value_kind(v) == LIQ_K_FLOAT) return liq_v_float_val(v);
  return dflt;
}

static void settings_provider(liq_stream_settings *s)
{
  s->frame_duration = setting_num("frame.duration", s->frame_duration);
  s->samplerate = (int)setting_num("frame.audio.samplerate", s->samplerate);
  s->channels = (int)setting_num("frame.audio.channels", s->channels);
  s->frame_audio_size = (int)setting_num("frame.audio.size", s->frame_audio_size);
  s->max_latency = setting_num("root.max_latency", s->max_latency);
}

void liq_lib_clock_attach_output(liq_source *out, liq_source *input)
{
  liq_clock *c = liq_source_clock(input);
  if (c) {
    liq_sb err = LIQ_SB_INIT;
    int rc = liq_clock_add(c, out, &err);
    liq_source_unref(out);
    if (rc != 0) liq_lib_raise_sb(&err);
    liq_sb_free(&err);
    return;
  }
  pending = liq_mem_realloc(pending, sizeof *pending * (size_t)(n_pending + 1));
  pending[n_pending++] = out;
}

void liq_lib_request_shutdown(int code)
{
  pthread_mutex_lock(&run_lock);
  if (!shutdown_requested) exit_code = code;
  shutdown_requested = 1;
  for (int i = 0; i < n_clocks; i++) liq_clock_request_stop(clocks[i]);
  pthread_cond_broadcast(&run_cond);
  pthread_mutex_unlock(&run_lock);
}

#define SRC "source(audio='a, video='b, midi='c)"
#define SYNC_DOC                                                                              \
  "Synchronization mode. One of: `\"auto\"`, `\"cpu\"`, or `\"none\"`. Defaults to `\"auto\"`, " \
  "which synchronizes with the CPU clock if none of the active sources are attached to their "  \
  "own clock (e.g. ALSA input, etc). `\"cpu\"` always synchronizes with the CPU clock. "         \
  "`\"none\"` removes all synchronization control."

typedef struct {
  int code;
} shutdown_settings;

static const liq_param shutdown_params[] = {
  LIQ_PARAM("code", "int", "0", "Exit code. Default: `0`", LIQ_P_INT_AS_INT, shutdown_settings, code),
};

LIQ_BUILTIN(b_shutdown)
{
  shutdown_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(shutdown_params), &o);
  liq_lib_request_shutdown(o.code);
  return LIQ_UNIT;
}

/* on_start and on_shutdown keep the function itself (lib_lifecycle.c). */
static const liq_param handler_params[] = {
  LIQ_PARAM_SELF(NULL, "(() -> unit)", NULL, "The function to call."),
};

LIQ_BUILTIN(b_on_shutdown)
{
  liq_lib_on_shutdown(liq_arg(c, 0));
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_on_start)
{
  liq_lib_on_start(liq_arg(c, 0));
  return LIQ_UNIT;
}

/* clock and clock.assign_new. */
typedef struct {
  const char *id, *sync; /* id NULL: "main" */
  liq_source *in;
} clock_settings;

static const liq_param assign_new_params[] = {
  LIQ_PARAM("id", "string?", "null", "Identifier for the new clock (`null`: \"main\").",
            LIQ_P_STRING, clock_settings, id),
  LIQ_PARAM("sync", "string", "auto", SYNC_DOC, LIQ_P_STRING, clock_settings, sync),
  LIQ_PARAM_SELF(NULL, "[" SRC "]", NULL, "List of sources to which the new clock will be assigned."),
};

LIQ_BUILTIN(b_assign_new)
{
  int n;
  liq_source **srcs = liq_lib_source_list(liq_arg(c, 0), &n);
  liq_value *keep = liq_eval_push(liq_arg(c, 0));
  (void)keep;
  clock_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(assign_new_params), &o);
  liq_clock *k = clock_new(o.id, o.sync);
  liq_sb err = LIQ_SB_INIT;
  int rc = 0;
  for (int i = 0; i < n && rc == 0; i++) rc = liq_clock_add(k, srcs[i], &err);
  liq_mem_free(srcs);
  liq_eval_pop(1);
  if (rc != 0) liq_lib_raise_sb(&err);
  liq_sb_free(&err);
  return LIQ_UNIT;
}

static const liq_param unify_params[] = {
  LIQ_PARAM_SELF(NULL, "[" SRC "]", NULL, "The sources that must share one clock."),
};

/* clock.unify(l): the sources share one clock. Those that have a clock
 * must have the same one; the others join it. When none has a clock yet
 * there is nothing to join: they get their clock with their outputs. */
LIQ_BUILTIN(b_unify)
{
  int n;
  liq_source **srcs = liq_lib_source_list(liq_arg(c, 0), &n);
  liq_value *keep = liq_eval_push(liq_arg(c, 0));
  (void)keep;
  liq_sb err = LIQ_SB_INIT;
  int first = -1, rc = 0;
  for (int i = 0; i < n && rc == 0; i++) {
    if (!liq_source_clock(srcs[i])) continue;
    if (first < 0) first = i;
    else if (liq_source_clock(srcs[i]) != liq_source_clock(srcs[first])) {
      liq_sb_printf(&err, "A source cannot belong to two clocks (%s, %s).", liq_source_id(srcs[first]),
                    liq_source_id(srcs[i]));
      rc = -1;
    }
  }
  for (int i = 0; i < n && rc == 0 && first >= 0; i++)
    if (!liq_source_clock(srcs[i])) rc = liq_clock_add(liq_source_clock(srcs[first]), srcs[i], &err);
  liq_mem_free(srcs);
  liq_eval_pop(1);
  if (rc != 0) liq_lib_raise_sb(&err);
  liq_sb_free(&err);
  return LIQ_UNIT;
}

static const liq_param clock_params[] = {
  LIQ_PARAM("sync", "string", "auto", SYNC_DOC, LIQ_P_STRING, clock_settings, sync),
  LIQ_PARAM("id", "string?", "null", "Identifier for the new clock (`null`: \"main\").",
            LIQ_P_STRING, clock_settings, id),
  LIQ_PARAM(NULL, SRC, NULL, "The source (and its graph) to put on the new clock.", LIQ_P_SOURCE,
            clock_settings, in),
};

LIQ_BUILTIN(b_clock)
{
  clock_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(clock_params), &o);
  clock_add(clock_new(o.id, o.sync), o.in);
  return liq_arg(c, 0);
}

static const liq_builtin_def clock_defs[] = {
  {"clock", NULL,
   "Assign a new clock to the given source (and to other time-dependent sources) and return "
   "the source. It is a conveniency wrapper around clock.assign_new(), allowing more concise "
   "scripts in some cases.",
   "Liquidsoap", b_clock, LIQ_PARAMS(clock_params), SRC},
  {"clock.assign_new", NULL, "Create a new clock and assign it to a list of sources.", "Liquidsoap",
   b_assign_new, LIQ_PARAMS(assign_new_params), "unit"},
  {"clock.unify", NULL,
   "Enforce that a list of sources all belong to the same clock: those without a clock join the "
   "clock of the others (two different clocks are an error).",
   "Liquidsoap", b_unify, LIQ_PARAMS(unify_params), "unit"},
  {"shutdown", NULL, "Shutdown the application.", "System", b_shutdown,
   LIQ_PARAMS(shutdown_params), "unit"},
  {"on_start", NULL, "Register a function to be called when Liquidsoap starts.", "System",
   b_on_start, LIQ_PARAMS(handler_params), "unit"},
  {"on_shutdown", NULL, "Register a function to be called when Liquidsoap shuts down.", "System",
   b_on_shutdown, LIQ_PARAMS(handler_params), "unit"},
};

static void clock_open(void)
{
  liq_stream_set_provider(settings_provider);
}

const liq_lib_module liq_lib_clock = {"clock", clock_defs, LIQ_NELEMS(clock_defs), clock_open, liq_lib_stream_free};

int liq_lib_stream_run(void)
{
  for (int i = 0; i < n_pending; i++) {
    liq_source *out = pending[i];
    liq_clock *c = liq_source_clock(liq_source_input(out, 0));
    if (!c) {
      if (!default_clock) default_clock = clock_new("main", "auto");
      c = default_clock;
    }
    liq_sb err = LIQ_SB_INIT;
    if (liq_clock_add(c, out, &err) != 0) {
      fprintf(stderr, "error: %s\n", liq_sb_str(&err));
      liq_sb_free(&err);
      return 1;
    }
    liq_sb_free(&err);
  }
  int running = 0;
  for (int i = 0; i < n_clocks; i++) running += liq_clock_n_roots(clocks[i]) > 0;
  if ((running > 0 || liq_lib_tasks_force_start()) && !shutdown_requested) {
    liq_lib_lifecycle_start();
    liq_gc_settle();
    liq_gc_defer_begin();
    for (int i = 0; i < n_clocks; i++)
      if (liq_clock_n_roots(clocks[i]) > 0) liq_clock_start(clocks[i]);
    liq_lib_tasks_start();
    liq_gc_unlock();
    pthread_mutex_lock(&run_lock);
    while (!shutdown_requested) pthread_cond_wait(&run_cond, &run_lock);
    pthread_mutex_unlock(&run_lock);
    for (int i = 0; i < n_clocks; i++) liq_clock_join(clocks[i]);
    liq_lib_tasks_stop();
    liq_gc_lock();
    liq_gc_defer_end();
  }
  liq_lib_lifecycle_end();
  return exit_code;
}

void liq_lib_stream_free(void)
{
  for (int i = 0; i < n_pending; i++) liq_source_unref(pending[i]);
  liq_mem_free(pending);
  pending = NULL;
  n_pending = 0;
  pthread_mutex_lock(&run_lock);
  for (int i = 0; i < n_clocks; i++) liq_clock_free(clocks[i]);
  liq_mem_free(clocks);
  clocks = NULL;
  n_clocks = 0;
  pthread_mutex_unlock(&run_lock);
  default_clock = NULL;
  liq_lib_lifecycle_free();
}
