/* lib_source: source values (a source block with the methods every
 * source has, lib_source.h), the source.* builtins, and the trampolines
 * whose arguments or results are source values. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

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
  return liq_v_cstring(liq_source_id(liq_lib_source_payload(d)));
}

static liq_value m_is_ready(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_is_ready(liq_lib_source_payload(d)));
}

static liq_value m_skip(liq_call *c, liq_value d)
{
  (void)c;
  liq_source_abort_track(liq_lib_source_payload(d));
  return LIQ_UNIT;
}

static liq_value m_remaining(liq_call *c, liq_value d)
{
  (void)c;
  liq_source *s = liq_lib_source_payload(d);
  int64_t r = liq_source_remaining(s);
  return liq_v_float(r < 0 ? -1. : samples_to_s(s, r));
}

static liq_value m_elapsed(liq_call *c, liq_value d)
{
  (void)c;
  liq_source *s = liq_lib_source_payload(d);
  return liq_v_float(samples_to_s(s, liq_source_elapsed(s)));
}

static liq_value m_duration(liq_call *c, liq_value d)
{
  (void)c;
  liq_source *s = liq_lib_source_payload(d);
  int64_t r = liq_source_remaining(s);
  return liq_v_float(r < 0 ? -1. : samples_to_s(s, r + liq_source_elapsed(s)));
}

static liq_value m_on_track(liq_call *c, liq_value d)
{
  liq_source_on_track(liq_lib_source_payload(d), liq_lib_cb_meta(liq_arg(c, 0)));
  return LIQ_UNIT;
}

static liq_value m_on_metadata(liq_call *c, liq_value d)
{
  liq_source_on_metadata(liq_lib_source_payload(d), liq_lib_cb_meta(liq_arg(c, 0)));
  return LIQ_UNIT;
}

/* on_get_ready: sources get ready when their clock starts, that is when
 * streaming starts (with the on_start handlers). */
LIQ_BUILTIN(m_on_get_ready)
{
  liq_lib_on_start(liq_arg(c, 0));
  return LIQ_UNIT;
}

/* on_shutdown / on_leave: the engine frees a graph only when streaming
 * ends, so both run then, with the global on_shutdown handlers. */
LIQ_BUILTIN(m_on_shutdown)
{
  liq_lib_on_shutdown(liq_arg(c, 0));
  return LIQ_UNIT;
}

static liq_value m_last_metadata(liq_call *c, liq_value d)
{
  (void)c;
  const liq_meta *m = liq_source_last_metadata(liq_lib_source_payload(d));
  return m ? liq_lib_meta_value(m) : LIQ_NULL;
}

static liq_value m_seek(liq_call *c, liq_value d)
{
  liq_source *s = liq_lib_source_payload(d);
  double t = liq_arg_float(c, 0);
  int64_t n = liq_source_seek(s, (int64_t)llround(t * liq_source_samplerate(s)));
  return liq_v_float(samples_to_s(s, n));
}

static liq_value m_is_up(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_clock(liq_lib_source_payload(d)) != NULL);
}

static liq_value m_is_active(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_get_class(liq_lib_source_payload(d))->type != LIQ_SOURCE_PASSIVE);
}

static liq_value m_self_sync(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_source_get_class(liq_lib_source_payload(d))->self_sync);
}

static liq_value m_time(liq_call *c, liq_value d)
{
  (void)c;
  liq_clock *k = liq_source_clock(liq_lib_source_payload(d));
  return liq_v_float(k ? liq_clock_time(k) : 0.);
}

/* s.log.level(): the source's own log level, null when it follows the
 * global one; s.log.level.set(n). Lines are labelled by the source id. */
static liq_value m_log_level(liq_call *c, liq_value d)
{
  (void)c;
  int level = liq_log_label_level(liq_source_id(liq_lib_source_payload(d)));
  return level ? liq_v_int(level) : LIQ_NULL;
}

static liq_value m_log_set_level(liq_call *c, liq_value d)
{
  const char *id = liq_source_id(liq_lib_source_payload(d));
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
  liq_value *pb = liq_eval_push(liq_lib_source_block(s));
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
LIQ_BUILTIN(b_on_track)
{
  liq_source *s = liq_lib_arg_source(c, 0);
  liq_source_new_hook_level(s);
  liq_source_on_track(s, liq_lib_cb_meta(liq_arg(c, 1)));
  return liq_arg(c, 0);
}

LIQ_BUILTIN(b_on_metadata)
{
  liq_source *s = liq_lib_arg_source(c, 0);
  liq_source_new_hook_level(s);
  liq_source_on_metadata(s, liq_lib_cb_meta(liq_arg(c, 1)));
  return liq_arg(c, 0);
}

/* source.X(s, ...) for the methods whose 2.1.3 function form scripts
 * use: the method, with the source's value as data. */
#define FORWARD(fn, method)                                          \
  LIQ_BUILTIN(fn)                                                    \
  {                                                                  \
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
LIQ_BUILTIN(b_seek)
{
  liq_source *s = liq_lib_arg_source(c, 0);
  double t = liq_arg_float(c, 1);
  return liq_v_float(samples_to_s(s, liq_source_seek(s, (int64_t)llround(t * liq_source_samplerate(s)))));
}

LIQ_BUILTIN(b_on_shutdown)
{
  liq_lib_arg_source(c, 0);
  liq_lib_on_shutdown(liq_arg(c, 1));
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_fallible)
{
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

/* A source coming back from a script function: a new reference, or NULL
 * for null (nullable results) and non-sources. */
static int take_source(void *ctx, liq_value r)
{
  r = liq_v_base(r);
  liq_source **out = ctx;
  *out = NULL;
  liq_source *s = liq_lib_source_peek(r);
  if (s) *out = liq_source_ref(s);
  return 0;
}

static int cb_source_fn(void *ud, liq_source **out)
{
  return liq_lib_cb_run(ud, NULL, out, take_source);
}

liq_cb_source liq_lib_cb_source(liq_value f)
{
  if (!liq_lib_is_fun(f)) return (liq_cb_source){NULL, NULL, NULL};
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
  if (!liq_lib_is_fun(f)) return (liq_cb_source_of_meta){NULL, NULL, NULL};
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
  if (!liq_lib_is_fun(f)) return (liq_cb_transition){NULL, NULL, NULL};
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
  if (!liq_lib_is_fun(f)) return (liq_cb_switch_transition){NULL, NULL, NULL};
  return (liq_cb_switch_transition){cb_switch_transition_fn, liq_lib_cb_new(f), liq_lib_cb_free};
}
