/* lib_thread: tasks run apart from the script (thread.run.recurrent, the
 * primitive under the prelude's thread.run and thread.when).
 *
 * As in 2.1.3, tasks only run while the script streams: the task thread is
 * started by liq_lib_stream_run (stdlib/lib_clock.c) once the clocks run,
 * and stopped after them; a script with no output (and without
 * settings.init.force_start) ends without running any. One thread runs
 * every task in turn, by due time then by creation order (2.1.3's `fast`
 * only picks a queue of its scheduler: accepted, no effect here).
 *
 * A task is a function returning the delay before its next run (negative:
 * never again). The task list is C memory under `lock`; the functions are
 * GC handles, created and freed with the heap lock held. Lock order: the
 * heap lock, then `lock` (never the reverse). Each run goes through
 * liq_eval_callback under the heap lock; an error is reported and ends the
 * task. After each run the thread pays the GC's debt (liq_gc_safepoint):
 * collections are deferred while streaming, and with no clock running
 * nothing else would.
 *
 * thread.on_error: an error no script handler caught, in a task or in a
 * callback a clock thread runs (getters, on_track...; both go through
 * liq_eval_callback), goes to the newest handler registered for its kind
 * (or for all kinds, null), once, with the error's trace as `backtrace`
 * (as 2.1.3 does for its threads; 2.1.3 stops the output on a clock
 * callback's error, cliq keeps streaming: the callback's result is its
 * default). An error a handler raises goes on to the older handlers; one
 * no handler takes is logged located (lang/eval.c). Either way the task
 * ends. error.on_error
 * (lib_error.c) sees all of them when they are raised. */
#include "config.h"

#include <pthread.h>
#include <time.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "stdlib/lib_thread.h"
#include "runtime/mem.h"

typedef struct {
  liq_gc_handle *fn;
  double at;     /* due time, CLOCK_MONOTONIC seconds */
  uint64_t seq;  /* creation order, to break ties */
} task;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake;
static int wake_init;
static task *tasks;
static size_t ntasks, captasks;
static uint64_t next_seq;
static pthread_t worker;
static int running, stopping;

/* Stack of the task thread: as big as a clock thread's (only touched
 * pages are committed), the evaluator's guard stops well before its end. */
#define TASK_STACK_SIZE ((size_t)1 << 30)
#define TASK_STACK_USABLE (TASK_STACK_SIZE - ((size_t)64 << 20))

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Needs `lock`. Takes ownership of fn. */
static void add_task(liq_gc_handle *fn, double at)
{
  if (ntasks == captasks) {
    captasks = captasks ? 2 * captasks : 16;
    tasks = liq_mem_realloc(tasks, sizeof *tasks * captasks);
  }
  tasks[ntasks++] = (task){fn, at, next_seq++};
  pthread_cond_signal(&wake);
}

/* Needs `lock`: the index of the next task due, or -1. */
static long next_task(void)
{
  long best = -1;
  for (size_t i = 0; i < ntasks; i++)
    if (best < 0 || tasks[i].at < tasks[best].at ||
        (tasks[i].at == tasks[best].at && tasks[i].seq < tasks[best].seq))
      best = (long)i;
  return best;
}

static void *task_thread(void *arg)
{
  (void)arg;
  char base;
  pthread_mutex_lock(&lock);
  while (!stopping) {
    long i = next_task();
    if (i < 0) {
      pthread_cond_wait(&wake, &lock);
      continue;
    }
    double left = tasks[i].at - now_s();
    if (left > 0) {
      struct timespec ts;
      clock_gettime(CLOCK_MONOTONIC, &ts);
      double until = (double)ts.tv_sec + ts.tv_nsec / 1e9 + left;
      ts.tv_sec = (time_t)until;
      ts.tv_nsec = (long)((until - (double)ts.tv_sec) * 1e9);
      pthread_cond_timedwait(&wake, &lock, &ts);
      continue;
    }
    task t = tasks[i];
    tasks[i] = tasks[--ntasks];
    pthread_mutex_unlock(&lock);

    liq_gc_lock();
    liq_value r = LIQ_UNIT;
    bool ok = liq_eval_callback(&base, TASK_STACK_USABLE, liq_gc_handle_get(t.fn), 0, NULL, &r);
    double delay = -1;
    if (ok) {
      r = liq_v_base(r);
      delay = liq_is_int(r) ? (double)liq_v_int_val(r) : liq_value_kind(r) == LIQ_K_FLOAT ? liq_v_float_val(r) : -1;
    }
    pthread_mutex_lock(&lock);
    if (delay >= 0 && !stopping) add_task(t.fn, now_s() + delay);
    else liq_gc_handle_free(t.fn);
    pthread_mutex_unlock(&lock);
    liq_gc_safepoint();
    liq_gc_unlock();
    pthread_mutex_lock(&lock);
  }
  pthread_mutex_unlock(&lock);
  return NULL;
}

static void init_wake(void)
{
  if (wake_init) return;
  pthread_condattr_t a;
  pthread_condattr_init(&a);
  pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
  pthread_cond_init(&wake, &a);
  pthread_condattr_destroy(&a);
  wake_init = 1;
}

bool liq_lib_tasks_force_start(void)
{
  liq_value v = liq_settings_get("init.force_start");
  return v != LIQ_NOVALUE && liq_v_base(v) == LIQ_TRUE;
}

void liq_lib_tasks_start(void)
{
  init_wake();
  if (running) return;
  stopping = 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, TASK_STACK_SIZE);
  running = pthread_create(&worker, &attr, task_thread, NULL) == 0;
  pthread_attr_destroy(&attr);
}

void liq_lib_tasks_stop(void)
{
  if (!running) return;
  pthread_mutex_lock(&lock);
  stopping = 1;
  pthread_cond_signal(&wake);
  pthread_mutex_unlock(&lock);
  pthread_join(worker, NULL);
  running = 0;
}

/* thread.on_error's handlers: a rooted list of (kind or null, handler)
 * pairs, newest first. */
static liq_value err_handlers = LIQ_NIL;
static int err_rooted;

/* The handler applied to (backtrace, error): what protect_call runs. */
static liq_value apply_err_handler(liq_call *c, liq_value data)
{
  (void)c;
  static const char *const labels[2] = {"backtrace", NULL};
  liq_value args[2] = {liq_v_tuple_get(data, 1), liq_v_tuple_get(data, 2)};
  return liq_eval_apply(liq_v_tuple_get(data, 0), 2, labels, args);
}

/* As 2.1.3: the newest handler of the error's kind takes it; an error that
 * handler raises goes on to the older handlers, and the last one no
 * handler takes is logged. */
static liq_value on_uncaught(liq_value err, const char *trace)
{
  liq_value *pe = liq_eval_push(err);
  liq_value *l = liq_eval_push(err_handlers);
  liq_value *call = liq_eval_push(LIQ_UNIT);
  for (; *l != LIQ_NIL; *l = liq_v_tail(*l)) {
    liq_value h = liq_v_head(*l), kind = liq_v_base(liq_v_tuple_get(h, 0));
    if (kind != LIQ_NULL && !liq_value_equal(liq_eval_error_kind(kind), liq_eval_error_kind(*pe)))
      continue;
    *call = liq_v_cstring(trace);
    liq_value items[3] = {liq_v_tuple_get(h, 1), *call, *pe};
    *call = liq_v_tuple(3, items);
    *call = liq_v_builtin(apply_err_handler, "thread.on_error", *call);
    liq_value r, exn;
    if (liq_eval_protect_call(*call, &r, &exn)) {
      *pe = LIQ_NOVALUE;
      break;
    }
    *pe = exn;
  }
  liq_value left = *pe;
  liq_eval_pop(3);
  return left;
}

LIQ_BUILTIN(b_on_error)
{
  liq_value items[2] = {liq_arg(c, 0), liq_arg(c, 1)};
  liq_value h = liq_v_tuple(2, items);
  err_handlers = liq_v_cons(h, err_handlers);
  return LIQ_UNIT;
}

static void thread_open(void)
{
  if (!err_rooted) liq_gc_add_root(&err_handlers);
  err_rooted = 1;
  err_handlers = LIQ_NIL;
  liq_eval_on_uncaught = on_uncaught;
}

void liq_lib_thread_shutdown(void)
{
  liq_eval_on_uncaught = NULL;
  if (err_rooted) liq_gc_remove_root(&err_handlers);
  err_rooted = 0;
  err_handlers = LIQ_NIL;
  for (size_t i = 0; i < ntasks; i++) liq_gc_handle_free(tasks[i].fn);
  liq_mem_free(tasks);
  tasks = NULL;
  ntasks = captasks = 0;
}

LIQ_BUILTIN(b_recurrent)
{
  double delay = liq_to_float(liq_arg_label(c, "delay", liq_v_float(0)));
  liq_gc_handle *fn = liq_gc_handle_new(liq_arg(c, 0));
  init_wake();
  pthread_mutex_lock(&lock);
  add_task(fn, now_s() + (delay > 0 ? delay : 0));
  pthread_mutex_unlock(&lock);
  return LIQ_UNIT;
}

static const liq_builtin_def thread_defs[] = {
  {"thread.run.recurrent", "(?fast : bool, ?delay : float, (() -> float)) -> unit",
   "Run a recurrent function in a separate thread, starting after `delay` seconds; the function returns the "
   "delay (in sec.) before its next run (none when strictly negative). Tasks run while the script streams "
   "(from the start of the outputs, or with settings.init.force_start); `fast` has no effect in cliq.",
   "Liquidsoap", b_recurrent},
#define ERR_T "error.{kind : string, message : string, positions : [string]}"
  {"thread.on_error", "((" ERR_T ")?, ((backtrace : string, " ERR_T ") -> unit)) -> unit",
   "Register the function to be called when an error of the given kind (any kind when `null`) is raised "
   "and not caught in a thread: a task of thread.run or a callback run by a clock (getters, on_track...). "
   "The newest matching handler is called, once, with the error's trace (FILE:LINE:COL lines) as "
   "`backtrace`; the task ends, the stream goes on. Errors no handler takes are logged.",
   "Liquidsoap", b_on_error},
#undef ERR_T
};

const liq_lib_module liq_lib_thread = {"thread", thread_defs, LIQ_NELEMS(thread_defs), thread_open,
                                       liq_lib_thread_shutdown};
