/* lib_callback: script functions given to the engine: the heap lock
 * from any thread, metadata packets as values and back, and the
 * trampolines from script values to the engine's callback structs (see
 * lib_source.h for the threading rules). Those whose values are sources
 * live in lib_source.c with the source values. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

/* --- Heap lock ---------------------------------------------------------------- */

int liq_lib_lock(void)
{
  if (liq_gc_lock_held()) return 0;
  liq_gc_lock();
  return 1;
}

void liq_lib_unlock(int taken)
{
  if (taken) liq_gc_unlock();
}

/* --- Metadata ------------------------------------------------------------------ */

liq_value liq_lib_meta_value(const liq_meta *m)
{
  liq_value *acc = liq_eval_push(LIQ_NIL);
  for (int i = m ? liq_meta_count(m) - 1 : -1; i >= 0; i--) {
    liq_value *pair = liq_eval_push(liq_v_cstring(liq_meta_key(m, i)));
    liq_eval_push(liq_v_cstring(liq_meta_value(m, i)));
    liq_value t = liq_v_tuple(2, pair);
    *acc = liq_v_cons(t, *acc);
    liq_eval_pop(2);
  }
  liq_value r = *acc;
  liq_eval_pop(1);
  return r;
}

static const char *str_or_empty(liq_value v)
{
  v = liq_v_base(v);
  return liq_value_kind(v) == LIQ_K_STRING ? liq_v_string_bytes(v) : "";
}

liq_meta *liq_lib_meta_of(liq_value list)
{
  liq_meta *m = liq_meta_new();
  for (liq_value l = liq_v_base(list); liq_value_kind(l) == LIQ_K_LIST && l != LIQ_NIL;
       l = liq_v_tail(l)) {
    liq_value t = liq_v_base(liq_v_head(l));
    if (liq_v_tuple_len(t) != 2) continue;
    liq_meta_set(m, str_or_empty(liq_v_tuple_get(t, 0)), str_or_empty(liq_v_tuple_get(t, 1)));
  }
  return m;
}

/* --- Trampolines ------------------------------------------------------------------ */

struct liq_lib_cb {
  liq_gc_handle *fn;
};

liq_lib_cb *liq_lib_cb_new(liq_value f)
{
  liq_lib_cb *cb = liq_mem_alloc(sizeof *cb);
  cb->fn = liq_gc_handle_new(f);
  return cb;
}

void liq_lib_cb_free(void *p)
{
  liq_lib_cb *cb = p;
  int taken = liq_lib_lock();
  liq_gc_handle_free(cb->fn);
  liq_lib_unlock(taken);
  liq_mem_free(cb);
}

#define CB_MAX_ARGS 4

int liq_lib_cb_run(liq_lib_cb *cb, int (*build)(void *ctx, liq_value *args), void *ctx,
                   int (*take)(void *ctx, liq_value result))
{
  int taken = liq_lib_lock();
  void *base = NULL;
  size_t usable = 0;
  liq_clock_thread_stack(&base, &usable);
  liq_value *args = liq_eval_push(LIQ_UNIT);
  for (int i = 1; i < CB_MAX_ARGS; i++) liq_eval_push(LIQ_UNIT);
  int n = build ? build(ctx, args) : 0;
  liq_value result = LIQ_UNIT;
  int ok = liq_eval_callback(base, usable, liq_gc_handle_get(cb->fn), n, args, &result);
  int rc = ok ? 0 : 1;
  if (ok && take) rc = take(ctx, result);
  liq_eval_pop(CB_MAX_ARGS);
  liq_lib_unlock(taken);
  return rc;
}

int liq_lib_is_fun(liq_value v)
{
  return v != LIQ_NOVALUE && liq_v_base(v) != LIQ_NULL && liq_eval_is_function(v);
}

/* Numbers coming back from getters: typed, but checked without raising
 * (no handler is installed at this point). */
static int take_float(void *ctx, liq_value r)
{
  r = liq_v_base(r);
  if (liq_is_int(r)) *(double *)ctx = (double)liq_v_int_val(r);
  else if (liq_value_kind(r) == LIQ_K_FLOAT) *(double *)ctx = liq_v_float_val(r);
  else return 1;
  return 0;
}

static int take_bool(void *ctx, liq_value r)
{
  *(int *)ctx = liq_v_base(r) == LIQ_TRUE;
  return 0;
}

static int getter_float_fn(void *ud, double *out) { return liq_lib_cb_run(ud, NULL, out, take_float); }
static int getter_bool_fn(void *ud, int *out) { return liq_lib_cb_run(ud, NULL, out, take_bool); }

liq_getter_float liq_lib_getter_float(liq_value v, double dflt)
{
  if (v == LIQ_NOVALUE) return LIQ_FLOAT(dflt);
  if (liq_lib_is_fun(v)) return (liq_getter_float){dflt, getter_float_fn, liq_lib_cb_new(v), liq_lib_cb_free};
  return LIQ_FLOAT(liq_to_float(v));
}

liq_getter_bool liq_lib_getter_bool(liq_value v, int dflt)
{
  if (v == LIQ_NOVALUE) return LIQ_BOOL(dflt);
  if (liq_lib_is_fun(v)) return (liq_getter_bool){dflt, getter_bool_fn, liq_lib_cb_new(v), liq_lib_cb_free};
  return LIQ_BOOL(liq_v_base(v) == LIQ_TRUE);
}

static int cb_void_fn(void *ud) { return liq_lib_cb_run(ud, NULL, NULL, NULL); }

liq_cb_void liq_lib_cb_void(liq_value f)
{
  if (!liq_lib_is_fun(f)) return (liq_cb_void){NULL, NULL, NULL};
  return (liq_cb_void){cb_void_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

static int build_meta(void *ctx, liq_value *args)
{
  args[0] = liq_lib_meta_value(ctx);
  return 1;
}

static int cb_meta_fn(void *ud, const liq_meta *m)
{
  return liq_lib_cb_run(ud, build_meta, (void *)m, NULL);
}

liq_cb_meta liq_lib_cb_meta(liq_value f)
{
  if (!liq_lib_is_fun(f)) return (liq_cb_meta){NULL, NULL, NULL};
  return (liq_cb_meta){cb_meta_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

static int build_string(void *ctx, liq_value *args)
{
  args[0] = liq_v_cstring(ctx);
  return 1;
}

static int cb_string_fn(void *ud, const char *s)
{
  return liq_lib_cb_run(ud, build_string, (void *)s, NULL);
}

liq_cb_string liq_lib_cb_string(liq_value f)
{
  if (!liq_lib_is_fun(f)) return (liq_cb_string){NULL, NULL, NULL};
  return (liq_cb_string){cb_string_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

typedef struct {
  const liq_meta *in;
  liq_meta **out;
} meta_map_ctx;

static int build_meta_map(void *ctx, liq_value *args)
{
  args[0] = liq_lib_meta_value(((meta_map_ctx *)ctx)->in);
  return 1;
}

static int take_meta(void *ctx, liq_value r)
{
  *((meta_map_ctx *)ctx)->out = liq_lib_meta_of(r);
  return 0;
}

static int cb_meta_map_fn(void *ud, const liq_meta *in, liq_meta **out)
{
  meta_map_ctx ctx = {in, out};
  *out = NULL;
  return liq_lib_cb_run(ud, build_meta_map, &ctx, take_meta);
}

liq_cb_meta_map liq_lib_cb_meta_map(liq_value f)
{
  if (!liq_lib_is_fun(f)) return (liq_cb_meta_map){NULL, NULL, NULL};
  return (liq_cb_meta_map){cb_meta_map_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

/* A metadata getter as a meta map that ignores its packet: f(). */
static int cb_meta_getter_fn(void *ud, const liq_meta *in, liq_meta **out)
{
  meta_map_ctx ctx = {in, out};
  *out = NULL;
  return liq_lib_cb_run(ud, NULL, &ctx, take_meta);
}

liq_cb_meta_map liq_lib_cb_meta_getter(liq_value f)
{
  if (!liq_lib_is_fun(f)) return (liq_cb_meta_map){NULL, NULL, NULL};
  return (liq_cb_meta_map){cb_meta_getter_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

typedef struct {
  double t;
  const liq_meta *m;
} position_ctx;

static int build_position(void *ctx, liq_value *args)
{
  position_ctx *p = ctx;
  args[0] = liq_v_float(p->t);
  args[1] = liq_lib_meta_value(p->m);
  return 2;
}

static int cb_position_fn(void *ud, double t, const liq_meta *m)
{
  position_ctx ctx = {t, m};
  return liq_lib_cb_run(ud, build_position, &ctx, NULL);
}

liq_cb_position liq_lib_cb_position(liq_value f)
{
  if (!liq_lib_is_fun(f)) return (liq_cb_position){NULL, NULL, NULL};
  return (liq_cb_position){cb_position_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}
