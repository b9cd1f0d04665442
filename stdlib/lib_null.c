/* lib_null: nullable values (2.1's null() function, null.case, null.default,
 * null.get, null.defined, null.map, null.to_list). */
#include "config.h"

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

LIQ_BUILTIN(b_null)
{
  liq_value v = liq_arg(c, 0);
  return v == LIQ_NOVALUE ? LIQ_NULL : v;
}

static bool is_null(liq_value v) { return liq_v_base(v) == LIQ_NULL; }

LIQ_BUILTIN(b_case)
{
  liq_value x = liq_arg(c, 0);
  if (is_null(x)) return liq_eval_call0(liq_arg(c, 1));
  return liq_eval_call1(liq_arg(c, 2), x);
}

LIQ_BUILTIN(b_default)
{
  liq_value x = liq_arg(c, 0);
  if (is_null(x)) return liq_eval_getter(liq_arg(c, 1));
  return x;
}

LIQ_BUILTIN(b_get)
{
  liq_value x = liq_arg(c, 0);
  if (!is_null(x)) return x;
  liq_value def = liq_arg_label(c, "default", LIQ_NULL);
  if (!is_null(def)) return def;
  liq_eval_raise("not_found", "no default value for null.get");
}

LIQ_BUILTIN(b_defined)
{
  return liq_v_bool(!is_null(liq_arg(c, 0)));
}

LIQ_BUILTIN(b_map)
{
  liq_value x = liq_arg(c, 1);
  if (is_null(x)) return LIQ_NULL;
  return liq_eval_call1(liq_arg(c, 0), x);
}

LIQ_BUILTIN(b_to_list)
{
  liq_value x = liq_arg(c, 0);
  if (is_null(x)) return LIQ_NIL;
  return liq_v_cons(x, LIQ_NIL);
}

static const liq_builtin_def null_defs[] = {
  {"null", "(?'a?) -> 'a?", "Create a nullable value (2.1 syntax: null() is null).", "Programming", b_null},
  {"null.case", "('a?, (() -> 'b), (('a) -> 'b)) -> 'b", "Return the result of a function depending on whether the value is null or not.", "Programming", b_case},
  {"null.default", "('a?, (() -> 'a)) -> 'a", "Return the value, or the default when it is null.", "Programming", b_default},
  {"null.get", "(?default : 'a?, 'a?) -> 'a", "Get the value of a nullable, raising not_found when null.", "Programming", b_get},
  {"null.defined", "('a?) -> bool", "Whether a value is not null.", "Programming", b_defined},
  {"null.map", "((('a) -> 'b), 'a?) -> 'b?", "Map a function on a nullable value.", "Programming", b_map},
  {"null.to_list", "('a?) -> ['a]", "The empty list for null, else a one-element list.", "Programming", b_to_list},
};

const liq_lib_module liq_lib_null = {"null", null_defs, LIQ_NELEMS(null_defs), NULL, NULL};
