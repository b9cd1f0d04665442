/* lib_error: script errors (error.register, error.raise, error.catch) and
 * the predefined kinds (error.not_found, error.invalid, ...). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "eval_internal.h"

static liq_value b_register(liq_call *c, liq_value d)
{
  (void)d;
  size_t len;
  const char *k = liq_arg_str(c, 0, &len);
  return liq_eval_error_new(k, "", 0);
}

static liq_value b_raise(liq_call *c, liq_value d)
{
  (void)d;
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
static liq_value b_catch(liq_call *c, liq_value d)
{
  (void)d;
  liq_value errors = liq_arg_label(c, "errors", LIQ_NULL);
  liq_value body = liq_arg(c, 0), handler = liq_arg(c, 1);
  liq_value result, exn;
  if (liq_eval_protect_call(body, &result, &exn)) return result;
  if (!liq_eval_error_matches(exn, errors)) liq_eval_raise_value(exn);
  return liq_eval_call1(handler, exn);
}

static liq_value b_kind(liq_call *c, liq_value d)
{
  (void)d;
  return liq_eval_error_kind(liq_arg(c, 0));
}

static liq_value b_message(liq_call *c, liq_value d)
{
  (void)d;
  return liq_eval_error_message(liq_arg(c, 0));
}

#define ERR_T "error.{kind : string, message : string, positions : [string]}"
static const liq_builtin_def error_defs[] = {
  {"error.register", "(string) -> " ERR_T, "Register an error of the given kind.", "Liquidsoap", b_register},
  {"error.raise", "(" ERR_T ", ?string) -> 'a", "Raise an error.", "Liquidsoap", b_raise},
  {"error.catch", "(errors : [" ERR_T "]?, (() -> 'a), ((" ERR_T ") -> 'a)) -> 'a", "Execute a function, catching eventual exceptions.", "Liquidsoap", b_catch},
  {"error.kind", "('b.{kind : 'a}) -> 'a", "Get the kind of an error.", "Liquidsoap", b_kind},
  {"error.message", "('b.{message : 'a}) -> 'a", "Get the message of an error.", "Liquidsoap", b_message},
};

static const char *const predefined[] = {
  "not_found", "invalid", "failure", "assertion", "string", "json", "file", "eval",
  "http", "socket", "clock", "process", "xml", "yaml", "sqlite", "division_by_zero",
  "stack_overflow", "not_implemented",
};

void liq_lib_error_init(void)
{
  liq_eval_register(error_defs, LIQ_NELEMS(error_defs));
  for (int i = 0; i < LIQ_NELEMS(predefined); i++) {
    char name[64];
    snprintf(name, sizeof name, "error.%s", predefined[i]);
    liq_eval_define(name, liq_eval_error_new(predefined[i], "", 0));
  }
}
