/* lib_source: source values, the methods every source has, argument
 * helpers and the callback trampolines of the stream bindings (see
 * lib_source.h for the model and the threading rules). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "stdlib/lib.h"
#include "runtime/clock.h"
#include "stdlib/lib_source.h"
#include "runtime/log.h"
#include "runtime/mem.h"

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

/* --- Source values ---------------------------------------------------------------- */

typedef struct {
  liq_source *src;
} src_payload;

static void src_finalize(void *p)
{
  src_payload *sp = p;
  liq_source_unref(sp->src);
  sp->src = NULL;
}

static void src_print(void *p, liq_sb *sb)
{
  (void)p;
  liq_sb_puts(sb, "<source>");
}

static const liq_custom_ops source_ops = {"source", NULL, src_finalize, src_print};

/* What a source owns outside the heap is mostly pooled frames, shared per
 * clock; this flat figure makes a script that builds sources in a loop
 * (source.dynamic, append) still pace the collector. */
#define SOURCE_EXTERNAL_BYTES 4096

static liq_source *payload_source(liq_value data)
{
  return ((src_payload *)liq_gc_custom_payload(data))->src;
}

liq_source *liq_lib_source_of(liq_value v)
{
  v = liq_v_base(v);
  if (liq_value_kind(v) != LIQ_K_CUSTOM || liq_gc_custom_ops(v) != &source_ops)
    liq_eval_raise("invalid", "expected a source");
  return payload_source(v);
}

void liq_lib_raise_sb(liq_sb *err)
{
  liq_value *msg = liq_eval_push(liq_v_string(liq_sb_str(err), err->len));
  liq_sb_free(err);
  liq_eval_raise("invalid", "%s", liq_v_string_bytes(*msg));
}

liq_value liq_lib_source_result(liq_source *s, liq_sb *err)
{
  if (!s) liq_lib_raise_sb(err);
  liq_sb_free(err);
  return liq_lib_source_value(s, 0, NULL, NULL);
}

static double samples_to_s(liq_source *s, int64_t n)
{
  return (double)n / liq_source_samplerate(s);
}

static liq_value m_id(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_cstring(liq_source_id(payload_source(d)));
}

static liq_value m_is_ready(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_is_ready(payload_source(d)));
}

static liq_value m_skip(liq_call *c, liq_value d)
{
  (void)c;
  liq_source_abort_track(payload_source(d));
  return LIQ_UNIT;
}

static liq_value m_remaining(liq_call *c, liq_value d)
{
  (void)c;
  liq_source *s = payload_source(d);
  int64_t r = liq_source_remaining(s);
  return liq_v_float(r < 0 ? -1. : samples_to_s(s, r));
}

static liq_value m_elapsed(liq_call *c, liq_value d)
{
  (void)c;
  liq_source *s = payload_source(d);
  return liq_v_float(samples_to_s(s, liq_source_elapsed(s)));
}

static liq_value m_duration(liq_call *c, liq_value d)
{
  (void)c;
  liq_source *s = payload_source(d);
  int64_t r = liq_source_remaining(s);
  return liq_v_float(r < 0 ? -1. : samples_to_s(s, r + liq_source_elapsed(s)));
}

static liq_value m_on_track(liq_call *c, liq_value d)
{
  liq_source_on_track(payload_source(d), liq_lib_cb_meta(liq_arg(c, 0)));
  return LIQ_UNIT;
}

static liq_value m_on_metadata(liq_call *c, liq_value d)
{
  liq_source_on_metadata(payload_source(d), liq_lib_cb_meta(liq_arg(c, 0)));
  return LIQ_UNIT;
}

/* on_get_ready: sources get ready when their clock starts, that is when
 * streaming starts (with the on_start handlers). */
static liq_value m_on_get_ready(liq_call *c, liq_value d)
{
  (void)d;
  liq_lib_on_start(liq_arg(c, 0));
  return LIQ_UNIT;
}

/* on_shutdown / on_leave: the engine frees a graph only when streaming
 * ends, so both run then, with the global on_shutdown handlers. */
static liq_value m_on_shutdown(liq_call *c, liq_value d)
{
  (void)d;
  liq_lib_on_shutdown(liq_arg(c, 0));
  return LIQ_UNIT;
}

static liq_value m_last_metadata(liq_call *c, liq_value d)
{
  (void)c;
  const liq_meta *m = liq_source_last_metadata(payload_source(d));
  return m ? liq_lib_meta_value(m) : LIQ_NULL;
}

static liq_value m_seek(liq_call *c, liq_value d)
{
  liq_source *s = payload_source(d);
  double t = liq_arg_float(c, 0);
  int64_t n = liq_source_seek(s, (int64_t)llround(t * liq_source_samplerate(s)));
  return liq_v_float(samples_to_s(s, n));
}

static liq_value m_is_up(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_clock(payload_source(d)) != NULL);
}

static liq_value m_is_active(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_get_class(payload_source(d))->type != LIQ_SOURCE_PASSIVE);
}

static liq_value m_self_sync(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_get_class(payload_source(d))->self_sync);
}

static liq_value m_time(liq_call *c, liq_value d)
{
  (void)c;
  liq_clock *k = liq_source_clock(payload_source(d));
  return liq_v_float(k ? liq_clock_time(k) : 0.);
}

/* s.log.level(): the source's own log level, null when it follows the
 * global one; s.log.level.set(n). Lines are labelled by the source id. */
static liq_value m_log_level(liq_call *c, liq_value d)
{
  (void)c;
  int level = liq_log_label_level(liq_source_id(payload_source(d)));
  return level ? liq_v_int(level) : LIQ_NULL;
}

static liq_value m_log_set_level(liq_call *c, liq_value d)
{
  const char *id = liq_source_id(payload_source(d));
  int64_t level = liq_arg_int(c, 0);
  if (level < 1) level = 1;
  if (liq_log_set_label_level(id, level > 100 ? 100 : (int)level) < 0)
    liq_eval_raise("failure", "cannot set the log level of `%s`: more than %d sources have their own",
                   id, LIQ_LOG_MAX_LABELS);
  return LIQ_UNIT;
}

/* The `log` method's value: {level = getter.{set = setter}}. */
static liq_value log_record(liq_value blk)
{
  liq_value *get = liq_eval_push(liq_v_builtin(m_log_level, "log.level", blk));
  liq_value *set = liq_eval_push(liq_v_builtin(m_log_set_level, "log.level.set", blk));
  *get = liq_v_meth_add(*get, liq_sym_permanent("set"), *set);
  liq_sym level = liq_sym_permanent("level");
  liq_value r = liq_v_record(1, &level, get);
  liq_eval_pop(2);
  return r;
}

/* A method's value: a builtin on the source, or one of the two that are
 * not functions. */
typedef enum { METHOD_FN, METHOD_FALLIBLE, METHOD_LOG } method_kind;

typedef struct {
  const char *name;
  liq_builtin_fn fn; /* METHOD_FN */
  method_kind kind;
} method_def;

/* In the order 2.1.3 prints them; `fallible` is a plain bool and `log` a
 * record (log_record). */
static const method_def methods[] = {
  {"time", m_time, METHOD_FN},
  {"fallible", NULL, METHOD_FALLIBLE},
  {"skip", m_skip, METHOD_FN},
  {"seek", m_seek, METHOD_FN},
  {"is_active", m_is_active, METHOD_FN},
  {"is_up", m_is_up, METHOD_FN},
  {"log", NULL, METHOD_LOG},
  {"self_sync", m_self_sync, METHOD_FN},
  {"duration", m_duration, METHOD_FN},
  {"elapsed", m_elapsed, METHOD_FN},
  {"remaining", m_remaining, METHOD_FN},
  {"on_track", m_on_track, METHOD_FN},
  {"on_leave", m_on_shutdown, METHOD_FN},
  {"on_shutdown", m_on_shutdown, METHOD_FN},
  {"on_get_ready", m_on_get_ready, METHOD_FN},
  {"on_metadata", m_on_metadata, METHOD_FN},
  {"last_metadata", m_last_metadata, METHOD_FN},
  {"is_ready", m_is_ready, METHOD_FN},
  {"id", m_id, METHOD_FN},
};
#define NMETHODS LIQ_NELEMS(methods)

/* An output, as a source, never fails (2.1.3 says fallible = false). */
static int is_fallible(liq_source *s)
{
  return liq_source_get_class(s)->type != LIQ_SOURCE_OUTPUT && liq_source_fallible(s);
}

/* The value of s: `base` (the custom block itself, or unit for outputs)
 * with `fallible`, the extra methods and the common ones. */
static liq_value wrap(liq_source *s, int unit_base, int n, const char *const *names,
                      const liq_value *values)
{
  liq_value blk = liq_gc_custom_new(&source_ops, sizeof(src_payload), SOURCE_EXTERNAL_BYTES);
  ((src_payload *)liq_gc_custom_payload(blk))->src = s;
  liq_value *pb = liq_eval_push(blk);
  int total = NMETHODS + n;
  liq_sym *syms = liq_mem_alloc(sizeof(liq_sym) * (size_t)total);
  /* Consecutive evaluator stack slots: a rooted array. */
  liq_value *vals = NULL;
  for (int i = 0; i < NMETHODS; i++) {
    liq_value v = methods[i].kind == METHOD_FN  ? liq_v_builtin(methods[i].fn, methods[i].name, *pb)
                  : methods[i].kind == METHOD_LOG ? log_record(*pb)
                                                  : liq_v_bool(is_fallible(s));
    liq_value *slot = liq_eval_push(v);
    if (i == 0) vals = slot;
    syms[i] = liq_sym_permanent(methods[i].name);
  }
  for (int i = 0; i < n; i++) {
    liq_eval_push(values[i]);
    syms[NMETHODS + i] = liq_sym_permanent(names[i]);
  }
  liq_value r = liq_v_meths_add(unit_base ? LIQ_UNIT : *pb, (size_t)total, syms, vals);
  liq_mem_free(syms);
  liq_eval_pop(total + 1);
  return r;
}

liq_value liq_lib_source_value(liq_source *s, int n, const char *const *names,
                               const liq_value *values)
{
  return wrap(s, 0, n, names, values);
}

liq_value liq_lib_output_value(liq_source *s, int n, const char *const *names,
                               const liq_builtin_fn *fns)
{
  liq_value *blk = liq_eval_push(liq_lib_source_value(liq_source_ref(s), 0, NULL, NULL));
  *blk = liq_v_base(*blk);
  liq_value *vals = liq_eval_push(LIQ_NOVALUE);
  for (int i = 1; i < n; i++) liq_eval_push(LIQ_NOVALUE);
  for (int i = 0; i < n; i++) vals[i] = liq_v_builtin(fns[i], names[i], *blk);
  liq_value r = wrap(s, 1, n, names, vals);
  liq_eval_pop(n + 1);
  return r;
}

liq_value liq_lib_source_with_method(liq_source *s, liq_sb *err, const char *name, liq_builtin_fn fn)
{
  if (!s) liq_lib_raise_sb(err);
  liq_sb_free(err);
  liq_value *base = liq_eval_push(liq_lib_source_value(liq_source_ref(s), 0, NULL, NULL));
  liq_value *m = liq_eval_push(liq_v_builtin(fn, name, *base));
  liq_value r = liq_lib_source_value(s, 1, &name, m);
  liq_eval_pop(2);
  return r;
}

/* source.on_track(s, f) / source.on_metadata(s, f): the hook on a new
 * level (2.1.3 wraps s in an operator), and s. */
static liq_value b_on_track(liq_call *c, liq_value d)
{
  (void)d;
  liq_source *s = liq_lib_arg_source(c, 0);
  liq_source_new_hook_level(s);
  liq_source_on_track(s, liq_lib_cb_meta(liq_arg(c, 1)));
  return liq_arg(c, 0);
}

static liq_value b_on_metadata(liq_call *c, liq_value d)
{
  (void)d;
  liq_source *s = liq_lib_arg_source(c, 0);
  liq_source_new_hook_level(s);
  liq_source_on_metadata(s, liq_lib_cb_meta(liq_arg(c, 1)));
  return liq_arg(c, 0);
}

/* source.X(s, ...) for the methods whose 2.1.3 function form scripts
 * use: the method, with the source's value as data. */
#define FORWARD(fn, method)                                          \
  static liq_value fn(liq_call *c, liq_value d)                      \
  {                                                                  \
    (void)d;                                                         \
    liq_lib_arg_source(c, 0);                                        \
    return method(c, liq_v_base(liq_arg(c, 0)));                     \
  }
FORWARD(b_source_id, m_id)
FORWARD(b_is_ready, m_is_ready)
FORWARD(b_skip, m_skip)
FORWARD(b_time, m_time)
FORWARD(b_remaining, m_remaining)
FORWARD(b_elapsed, m_elapsed)
FORWARD(b_duration, m_duration)
FORWARD(b_is_up, m_is_up)

/* source.seek(s, t) and source.on_shutdown/on_leave(s, f). */
static liq_value b_seek(liq_call *c, liq_value d)
{
  (void)d;
  liq_source *s = liq_lib_arg_source(c, 0);
  double t = liq_arg_float(c, 1);
  return liq_v_float(samples_to_s(s, liq_source_seek(s, (int64_t)llround(t * liq_source_samplerate(s)))));
}

static liq_value b_on_shutdown(liq_call *c, liq_value d)
{
  (void)d;
  liq_lib_arg_source(c, 0);
  liq_lib_on_shutdown(liq_arg(c, 1));
  return LIQ_UNIT;
}

static liq_value b_fallible(liq_call *c, liq_value d)
{
  (void)d;
  return liq_v_bool(liq_source_fallible(liq_lib_arg_source(c, 0)));
}

#define SRC "source(audio='a, video='b, midi='c)"
static const liq_builtin_def source_defs[] = {
  {"source.id", "(" SRC ") -> string", "Identifier of a source.", "Source / Track processing",
   b_source_id},
  {"source.is_ready", "(" SRC ") -> bool", "Indicate if a source is ready to stream.",
   "Source / Track processing", b_is_ready},
  {"source.skip", "(" SRC ") -> unit", "Skip to the next track.", "Source / Track processing",
   b_skip},
  {"source.time", "(" SRC ") -> float", "Get a source's time, based on its assigned clock.",
   "Source / Track processing", b_time},
  {"source.remaining", "(" SRC ") -> float", "Estimation of remaining time in the current track.",
   "Source / Track processing", b_remaining},
  {"source.elapsed", "(" SRC ") -> float", "Elapsed time in the current track.",
   "Source / Track processing", b_elapsed},
  {"source.duration", "(" SRC ") -> float", "Estimation of the duration of the current track.",
   "Source / Track processing", b_duration},
  {"source.is_up", "(" SRC ") -> bool", "Check whether a source is up.",
   "Source / Track processing", b_is_up},
  {"source.fallible", "(" SRC ") -> bool", "Indicate if a source may fail.",
   "Source / Track processing", b_fallible},
  {"source.seek", "(" SRC ", float) -> float",
   "Seek forward, in seconds; returns the time actually seeked (0. when the source cannot).",
   "Source / Track processing", b_seek},
  {"source.on_shutdown", "(" SRC ", (() -> unit)) -> unit",
   "Register a function to be called when the source shuts down.", "Source / Track processing",
   b_on_shutdown},
  {"source.on_leave", "(" SRC ", (() -> unit)) -> unit",
   "Register a function to be called when the source is not used anymore by another source "
   "(in cliq, when streaming ends).", "Source / Track processing", b_on_shutdown},
  /* Methods without a function form (builtins.h, LIQ_SOURCE_METHOD). */
  {"source.fallible", "bool", "Whether the source may fail.", LIQ_SOURCE_METHOD, NULL},
  {"source.is_active", "() -> bool", "Whether the source is active (not passive).",
   LIQ_SOURCE_METHOD, NULL},
  {"source.self_sync", "() -> bool", "Whether the source drives its own timing.",
   LIQ_SOURCE_METHOD, NULL},
  {"source.log", "{level : (() -> int?).{set : (int) -> unit}}",
   "The source's log level: null follows the global level; set it to see more or fewer of its lines.",
   LIQ_SOURCE_METHOD, NULL},
  {"source.on_get_ready", "((() -> unit)) -> unit",
   "Register a function to be called when the source gets ready (when streaming starts).",
   LIQ_SOURCE_METHOD, NULL},
  {"source.last_metadata", "() -> [(string * string)]?", "The last metadata of the source.",
   LIQ_SOURCE_METHOD, NULL},
  {"source.on_track", "(" SRC ", (([(string * string)]) -> unit)) -> " SRC,
   "Call a given handler on new tracks.", "Source / Track processing", b_on_track},
  {"source.on_metadata", "(" SRC ", (([(string * string)]) -> unit)) -> " SRC,
   "Call a given handler on metadata packets.", "Source / Track processing", b_on_metadata},
};

const liq_lib_module liq_lib_source = {"source", source_defs, LIQ_NELEMS(source_defs), NULL, NULL};

/* --- Arguments ------------------------------------------------------------------ */

liq_value liq_lib_opt(const liq_call *c, const char *label)
{
  return liq_arg_label(c, label, LIQ_NOVALUE);
}

double liq_lib_opt_float(const liq_call *c, const char *label, double dflt)
{
  liq_value v = liq_lib_opt(c, label);
  return v == LIQ_NOVALUE ? dflt : liq_to_float(v);
}

double liq_lib_opt_nullable_float(const liq_call *c, const char *label, double dflt)
{
  liq_value v = liq_lib_opt(c, label);
  return v == LIQ_NOVALUE || liq_v_base(v) == LIQ_NULL ? dflt : liq_to_float(v);
}

int liq_lib_opt_bool(const liq_call *c, const char *label, int dflt)
{
  liq_value v = liq_lib_opt(c, label);
  return v == LIQ_NOVALUE ? dflt : liq_v_base(v) == LIQ_TRUE;
}

int64_t liq_lib_opt_int(const liq_call *c, const char *label, int64_t dflt)
{
  liq_value v = liq_lib_opt(c, label);
  return v == LIQ_NOVALUE ? dflt : liq_to_int(v);
}

const char *liq_lib_opt_str(const liq_call *c, const char *label, const char *dflt)
{
  liq_value v = liq_lib_opt(c, label);
  if (v == LIQ_NOVALUE || liq_v_base(v) == LIQ_NULL) return dflt;
  return liq_to_str(v, NULL);
}

liq_source *liq_lib_arg_source(const liq_call *c, int i)
{
  liq_value v = liq_arg(c, i);
  if (v == LIQ_NOVALUE) liq_eval_raise("invalid", "missing source argument");
  return liq_lib_source_of(v);
}

liq_source **liq_lib_source_list(liq_value list, int *n)
{
  list = liq_v_base(list);
  size_t len = liq_v_list_length(list);
  liq_source **a = liq_mem_calloc(len ? len : 1, sizeof *a);
  size_t i = 0;
  for (liq_value l = list; l != LIQ_NIL; l = liq_v_tail(l)) {
    liq_value h = liq_v_base(liq_v_head(l));
    if (liq_value_kind(h) != LIQ_K_CUSTOM || liq_gc_custom_ops(h) != &source_ops) {
      liq_mem_free(a);
      liq_eval_raise("invalid", "expected a list of sources");
    }
    a[i++] = payload_source(h);
  }
  *n = (int)len;
  return a;
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

static int is_fun(liq_value v)
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
  if (is_fun(v)) return (liq_getter_float){dflt, getter_float_fn, liq_lib_cb_new(v), liq_lib_cb_free};
  return LIQ_FLOAT(liq_to_float(v));
}

liq_getter_bool liq_lib_getter_bool(liq_value v, int dflt)
{
  if (v == LIQ_NOVALUE) return LIQ_BOOL(dflt);
  if (is_fun(v)) return (liq_getter_bool){dflt, getter_bool_fn, liq_lib_cb_new(v), liq_lib_cb_free};
  return LIQ_BOOL(liq_v_base(v) == LIQ_TRUE);
}

static int cb_void_fn(void *ud) { return liq_lib_cb_run(ud, NULL, NULL, NULL); }

liq_cb_void liq_lib_cb_void(liq_value f)
{
  if (!is_fun(f)) return (liq_cb_void){NULL, NULL, NULL};
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
  if (!is_fun(f)) return (liq_cb_meta){NULL, NULL, NULL};
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
  if (!is_fun(f)) return (liq_cb_string){NULL, NULL, NULL};
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
  if (!is_fun(f)) return (liq_cb_meta_map){NULL, NULL, NULL};
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
  if (!is_fun(f)) return (liq_cb_meta_map){NULL, NULL, NULL};
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
  if (!is_fun(f)) return (liq_cb_position){NULL, NULL, NULL};
  return (liq_cb_position){cb_position_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

/* A source coming back from a script function: a new reference, or NULL
 * for null (nullable results) and non-sources. */
static int take_source(void *ctx, liq_value r)
{
  r = liq_v_base(r);
  liq_source **out = ctx;
  *out = NULL;
  if (liq_value_kind(r) == LIQ_K_CUSTOM && liq_gc_custom_ops(r) == &source_ops)
    *out = liq_source_ref(payload_source(r));
  return 0;
}

static int cb_source_fn(void *ud, liq_source **out)
{
  return liq_lib_cb_run(ud, NULL, out, take_source);
}

liq_cb_source liq_lib_cb_source(liq_value f)
{
  if (!is_fun(f)) return (liq_cb_source){NULL, NULL, NULL};
  return (liq_cb_source){cb_source_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

typedef struct {
  const liq_meta *m;
  liq_source **out;
} som_ctx;

static int build_som(void *ctx, liq_value *args)
{
  args[0] = liq_lib_meta_value(((som_ctx *)ctx)->m);
  return 1;
}

static int take_som(void *ctx, liq_value r) { return take_source(((som_ctx *)ctx)->out, r); }

static int cb_som_fn(void *ud, const liq_meta *m, liq_source **out)
{
  som_ctx ctx = {m, out};
  *out = NULL;
  return liq_lib_cb_run(ud, build_som, &ctx, take_som);
}

liq_cb_source_of_meta liq_lib_cb_source_of_meta(liq_value f)
{
  if (!is_fun(f)) return (liq_cb_source_of_meta){NULL, NULL, NULL};
  return (liq_cb_source_of_meta){cb_som_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

/* cross: each side is a record {db_level, metadata, source} like 2.1.3's. */
typedef struct {
  const liq_cross_side *before, *after;
  liq_source **out;
} transition_ctx;

static liq_value side_value(const liq_cross_side *side)
{
  liq_value *vals = liq_eval_push(liq_v_float(side->db_level));
  liq_eval_push(liq_lib_meta_value(side->metadata));
  liq_eval_push(liq_lib_source_value(liq_source_ref(side->source), 0, NULL, NULL));
  liq_sym names[3] = {liq_sym_permanent("db_level"), liq_sym_permanent("metadata"),
                      liq_sym_permanent("source")};
  liq_value r = liq_v_record(3, names, vals);
  liq_eval_pop(3);
  return r;
}

static int build_transition(void *ctx, liq_value *args)
{
  transition_ctx *t = ctx;
  args[0] = side_value(t->before);
  args[1] = side_value(t->after);
  return 2;
}

static int take_transition(void *ctx, liq_value r) { return take_source(((transition_ctx *)ctx)->out, r); }

static int cb_transition_fn(void *ud, const liq_cross_side *before, const liq_cross_side *after,
                            liq_source **out)
{
  transition_ctx ctx = {before, after, out};
  *out = NULL;
  return liq_lib_cb_run(ud, build_transition, &ctx, take_transition);
}

liq_cb_transition liq_lib_cb_transition(liq_value f)
{
  if (!is_fun(f)) return (liq_cb_transition){NULL, NULL, NULL};
  return (liq_cb_transition){cb_transition_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}

/* The selectors' transitions: (old, new) -> source. */
typedef struct {
  liq_source *old, *new_;
  liq_source **out;
} switch_transition_ctx;

static int build_switch_transition(void *ctx, liq_value *args)
{
  switch_transition_ctx *t = ctx;
  args[0] = liq_lib_source_value(liq_source_ref(t->old), 0, NULL, NULL);
  args[1] = liq_lib_source_value(liq_source_ref(t->new_), 0, NULL, NULL);
  return 2;
}

static int take_switch_transition(void *ctx, liq_value r)
{
  return take_source(((switch_transition_ctx *)ctx)->out, r);
}

static int cb_switch_transition_fn(void *ud, liq_source *old, liq_source *new_, liq_source **out)
{
  switch_transition_ctx ctx = {old, new_, out};
  *out = NULL;
  return liq_lib_cb_run(ud, build_switch_transition, &ctx, take_switch_transition);
}

liq_cb_switch_transition liq_lib_cb_switch_transition(liq_value f)
{
  if (!is_fun(f)) return (liq_cb_switch_transition){NULL, NULL, NULL};
  return (liq_cb_switch_transition){cb_switch_transition_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}
