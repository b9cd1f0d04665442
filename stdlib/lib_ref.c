/* lib_ref: references. Both 2.1 (`!r`, `r := v`, ref.get, ref.set) and HEAD
 * (`r()`, `r.set(v)`) forms work on the same value; the evaluator gives refs
 * their `get`/`set` methods and makes them callable. */
#include "config.h"

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

LIQ_BUILTIN(b_ref)
{
  return liq_v_ref(liq_arg(c, 0));
}

static liq_value as_ref(liq_value v)
{
  v = liq_v_base(v);
  if (liq_value_kind(v) != LIQ_K_REF) liq_eval_raise("invalid", "expected a reference");
  return v;
}

LIQ_BUILTIN(b_get)
{
  return liq_v_ref_get(as_ref(liq_arg(c, 0)));
}

LIQ_BUILTIN(b_set)
{
  liq_v_ref_set(as_ref(liq_arg(c, 0)), liq_arg(c, 1));
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_incr)
{
  liq_value r = as_ref(liq_arg(c, 0));
  liq_v_ref_set(r, liq_v_int(liq_int_add(liq_to_int(liq_v_ref_get(r)), 1)));
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_decr)
{
  liq_value r = as_ref(liq_arg(c, 0));
  liq_v_ref_set(r, liq_v_int(liq_int_sub(liq_to_int(liq_v_ref_get(r)), 1)));
  return LIQ_UNIT;
}

/* The getter ref.getter returns: a builtin reading the ref bound as data.
 * (Returning the ref itself would not do: getters are told from constants
 * by being functions, and a ref is a value.) */
static liq_value read_bound_ref(liq_call *c, liq_value r)
{
  (void)c;
  return liq_v_ref_get(r);
}

LIQ_BUILTIN(b_getter)
{
  return liq_v_builtin(read_bound_ref, "ref.getter", as_ref(liq_arg(c, 0)));
}

static const liq_builtin_def ref_defs[] = {
  {"ref", "('a) -> ref('a)", "Create a reference, i.e. a value which can be modified.", "Programming", b_ref},
  {"ref.get", "(ref('a)) -> 'a", "Retrieve the contents of a reference.", "Programming", b_get},
  {"ref.set", "(ref('a), 'a) -> unit", "Set the value of a reference.", "Programming", b_set},
  {"ref.incr", "(ref(int)) -> unit", "Increment a reference to an integer.", "Programming", b_incr},
  {"ref.decr", "(ref(int)) -> unit", "Decrement a reference to an integer.", "Programming", b_decr},
  {"ref.getter", "(ref('a)) -> () -> 'a", "Create a getter from a reference.", "Programming", b_getter},
};

const liq_lib_module liq_lib_ref = {"ref", ref_defs, LIQ_NELEMS(ref_defs), NULL, NULL};
