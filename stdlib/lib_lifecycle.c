/* lib_lifecycle: the script's on_start and on_shutdown handlers (and the
 * source methods on_get_ready, on_shutdown, on_leave, which run with
 * them). The streaming run (lib_clock.c) calls start when the clocks
 * start and end after they stopped. Handlers are list values (newest
 * first) held in GC roots, added at the first registration. */
#include "config.h"

#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

static liq_value start_fns = LIQ_NIL;
static liq_value shutdown_fns = LIQ_NIL;
static int started;
static int rooted;

static void root(void)
{
  if (rooted) return;
  liq_gc_add_root(&start_fns);
  liq_gc_add_root(&shutdown_fns);
  rooted = 1;
}

void liq_lib_on_start(liq_value f)
{
  if (started) {
    liq_value r;
    liq_eval_callback(NULL, 0, f, 0, NULL, &r);
    return;
  }
  root();
  start_fns = liq_v_cons(f, start_fns);
}

void liq_lib_on_shutdown(liq_value f)
{
  root();
  shutdown_fns = liq_v_cons(f, shutdown_fns);
}

/* Handlers run in registration order; an error in one is reported and the
 * others still run. Empties the list. */
static void run_handlers(liq_value *list)
{
  liq_value *fns = liq_eval_push(LIQ_NIL);
  for (liq_value l = *list; l != LIQ_NIL; l = liq_v_tail(l)) *fns = liq_v_cons(liq_v_head(l), *fns);
  *list = LIQ_NIL;
  for (liq_value l = *fns; l != LIQ_NIL; l = liq_v_tail(l)) {
    liq_value r;
    liq_eval_callback(NULL, 0, liq_v_head(l), 0, NULL, &r);
  }
  liq_eval_pop(1);
}

void liq_lib_lifecycle_start(void)
{
  started = 1;
  run_handlers(&start_fns);
}

void liq_lib_lifecycle_end(void) { run_handlers(&shutdown_fns); }

void liq_lib_lifecycle_free(void)
{
  if (rooted) {
    liq_gc_remove_root(&start_fns);
    liq_gc_remove_root(&shutdown_fns);
  }
  start_fns = shutdown_fns = LIQ_NIL;
  started = 0;
  rooted = 0;
}
