/* lib_error: script errors (error.register, error.raise, error.catch,
 * error.on_error) and the predefined kinds (error.not_found, ...).
 *
 * error.on_error's handlers (a rooted list, newest first) see every new
 * error when it is raised, caught or not (2.1.3 calls them once per stack
 * level the error crosses; cliq once). A handler that raises replaces the
 * error; errors raised while handlers run do not reach them again. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

static liq_value handlers = LIQ_NIL;
static int rooted, in_handlers;

/* A handler applied to the error: the builtin protect_call runs. */
static liq_value apply_handler(liq_call *c, liq_value data)
{
  (void)c;
  return liq_eval_call1(liq_v_tuple_get(data, 0), liq_v_tuple_get(data, 1));
}

static liq_value on_raise(liq_value err)
{
  if (handlers == LIQ_NIL || in_handlers) return err;
  liq_value *pe = liq_eval_push(err);
  liq_value *l = liq_eval_push(handlers);
  liq_value *call = liq_eval_push(LIQ_UNIT);
  in_handlers = 1;
  liq_value exn = LIQ_NOVALUE;
  for (; *l != LIQ_NIL && exn == LIQ_NOVALUE; *l = liq_v_tail(*l)) {
    liq_value items[2] = {liq_v_head(*l), *pe};
    *call = liq_v_tuple(2, items);
    *call = liq_v_builtin(apply_handler, "error.on_error", *call);
    liq_value r;
    if (liq_eval_protect_call(*call, &r, &exn)) exn = LIQ_NOVALUE;
  }
  in_handlers = 0;
  liq_value r = exn == LIQ_NOVALUE ? *pe : exn;
  liq_eval_pop(3);
  return r;
}

LIQ_BUILTIN(b_on_error)
{
  handlers = liq_v_cons(liq_arg(c, 0), handlers);
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_register)
{
  size_t len;
  const char *k = liq_arg_str(c, 0, &len);
  return liq_eval_error_new(k, "", 0);
}

LIQ_BUILTIN(b_raise)
{
  liq_value e = liq_arg(c, 0);
  if (!liq_eval_is_error(e)) liq_eval_raise("invalid", "error.raise expects an error");
  liq_value msg = liq_arg(c, 1);
  size_t ml = 0;
  const char *m = msg == LIQ_NOVALUE ? "" : liq_to_str(msg, &ml);
  size_t kl;
  const char *k = liq_to_str(liq_eval_error_kind(e), &kl);
  char kind[256];
  snprintf(kind, sizeof kind, "%.*s", (int)kl, k);
  liq_eval_raise(kind, "%.*s", (int)ml, m);
}

/* error.catch(errors=?, body, handler) (2.1) */
LIQ_BUILTIN(b_catch)
{
  liq_value errors = liq_arg_label(c, "errors", LIQ_NULL);
  liq_value body = liq_arg(c, 0), handler = liq_arg(c, 1);
  liq_value result, exn;
  if (liq_eval_protect_call(body, &result, &exn)) return result;
  if (!liq_eval_error_matches(exn, errors)) liq_eval_raise_value(exn);
  return liq_eval_call1(handler, exn);
}

LIQ_BUILTIN(b_kind)
{
  return liq_eval_error_kind(liq_arg(c, 0));
}

LIQ_BUILTIN(b_message)
{
  return liq_eval_error_message(liq_arg(c, 0));
}

#define ERR_T "error.{kind : string, message : string, positions : [string]}"
static const liq_builtin_def error_defs[] = {
  {"error.register", "(string) -> " ERR_T, "Register an error of the given kind.", "Liquidsoap", b_register},
  {"error.raise", "(" ERR_T ", ?string) -> 'a", "Raise an error.", "Liquidsoap", b_raise},
  {"error.catch", "(errors : [" ERR_T "]?, (() -> 'a), ((" ERR_T ") -> 'a)) -> 'a", "Execute a function, catching eventual exceptions.", "Liquidsoap", b_catch},
  {"error.kind", "('b.{kind : 'a}) -> 'a", "Get the kind of an error.", "Liquidsoap", b_kind},
  {"error.message", "('b.{message : 'a}) -> 'a", "Get the message of an error.", "Liquidsoap", b_message},
  {"error.on_error", "(((" ERR_T ") -> unit)) -> unit",
   "Register a callback to monitor errors raised during the execution of the program (caught or not, in "
   "the script or in its tasks). The callback is allowed to re-raise a different error if needed.",
   "Liquidsoap", b_on_error},
};

static const char *const predefined[] = {
  "not_found", "invalid", "failure", "assertion", "string", "json", "file", "eval",
  "http", "socket", "clock", "process", "xml", "yaml", "sqlite", "division_by_zero",
  "stack_overflow", "not_implemented",
};

static void error_close(void)
{
  if (rooted) liq_gc_remove_root(&handlers);
  rooted = 0;
  handlers = LIQ_NIL;
  liq_eval_on_raise = NULL;
}

static void error_open(void)
{
  if (!rooted) {
    liq_gc_add_root(&handlers);
    rooted = 1;
  }
  handlers = LIQ_NIL;
  liq_eval_on_raise = on_raise;
  for (int i = 0; i < LIQ_NELEMS(predefined); i++) {
    char name[64];
    snprintf(name, sizeof name, "error.%s", predefined[i]);
    liq_eval_define(name, liq_eval_error_new(predefined[i], "", 0));
  }
}

const liq_lib_module liq_lib_error = {"error", error_defs, LIQ_NELEMS(error_defs), error_open, error_close};
