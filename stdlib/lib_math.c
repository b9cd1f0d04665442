/* lib_math: numbers (abs, sqrt, pow, exp, log, trigonometry, rounding,
 * min/max and the constants). Functions on "numbers" accept ints and
 * floats and keep ints as ints where Liquidsoap does. */
#include "config.h"

#include <math.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

#define F1(NAME, EXPR)                                  \
  LIQ_BUILTIN(NAME)                                     \
  {                                                     \
    double x = liq_arg_float(c, 0);                     \
    return liq_v_float(EXPR);                           \
  }
F1(b_sqrt, sqrt(x))
F1(b_exp, exp(x))

F1(b_log10, log10(x))
F1(b_ln, log(x))
F1(b_cosh, cosh(x))
F1(b_sinh, sinh(x))
F1(b_tanh, tanh(x))
F1(b_sin, sin(x))
F1(b_cos, cos(x))
F1(b_tan, tan(x))
F1(b_asin, asin(x))
F1(b_acos, acos(x))
F1(b_atan, atan(x))
F1(b_floor, floor(x))
F1(b_ceil, ceil(x))
F1(b_round, round(x))

LIQ_BUILTIN(b_abs)
{
  liq_value v = liq_v_base(liq_arg(c, 0));
  if (liq_is_int(v)) {
    int64_t i = liq_v_int_val(v);
    return liq_v_int(i < 0 ? liq_int_neg(i) : i);
  }
  return liq_v_float(fabs(liq_to_float(v)));
}

LIQ_BUILTIN(b_pow)
{
  liq_value a = liq_v_base(liq_arg(c, 0)), b = liq_v_base(liq_arg(c, 1));
  if (liq_is_int(a) && liq_is_int(b)) {
    int64_t x = liq_v_int_val(a), n = liq_v_int_val(b), r = 1;
    if (n < 0) return liq_v_int(0);
    while (n--) r = liq_int_mul(r, x);
    return liq_v_int(r);
  }
  return liq_v_float(pow(liq_to_float(a), liq_to_float(b)));
}

LIQ_BUILTIN(b_min)
{
  liq_value a = liq_arg(c, 0), b = liq_arg(c, 1);
  return liq_value_compare(a, b) <= 0 ? a : b;
}

LIQ_BUILTIN(b_max)
{
  liq_value a = liq_arg(c, 0), b = liq_arg(c, 1);
  return liq_value_compare(a, b) >= 0 ? a : b;
}

LIQ_BUILTIN(b_is_nan)
{
  return liq_v_bool(isnan(liq_arg_float(c, 0)));
}

LIQ_BUILTIN(b_lsl)
{
  return liq_v_int((int64_t)((uint64_t)liq_arg_int(c, 0) << (liq_arg_int(c, 1) & 63)));
}

LIQ_BUILTIN(b_lsr)
{
  uint64_t x = (uint64_t)liq_arg_int(c, 0) & 0x7FFFFFFFFFFFFFFFull;
  return liq_v_int((int64_t)(x >> (liq_arg_int(c, 1) & 63)));
}

static const liq_builtin_def math_defs[] = {
  {"abs", "('a) -> 'a where 'a is a number type", "Absolute value.", "Math", b_abs},
  {"sqrt", "(float) -> float", "Square root.", "Math", b_sqrt},
  {"exp", "(float) -> float", "Exponential.", "Math", b_exp},
  {"log10", "(float) -> float", "Base 10 logarithm.", "Math", b_log10},
  {"ln", "(float) -> float", "Natural logarithm.", "Math", b_ln},
  {"cosh", "(float) -> float", "Hyperbolic cosine.", "Math", b_cosh},
  {"sinh", "(float) -> float", "Hyperbolic sine.", "Math", b_sinh},
  {"tanh", "(float) -> float", "Hyperbolic tangent.", "Math", b_tanh},
  {"sin", "(float) -> float", "Sine.", "Math", b_sin},
  {"cos", "(float) -> float", "Cosine.", "Math", b_cos},
  {"tan", "(float) -> float", "Tangent.", "Math", b_tan},
  {"asin", "(float) -> float", "Arc sine.", "Math", b_asin},
  {"acos", "(float) -> float", "Arc cosine.", "Math", b_acos},
  {"atan", "(float) -> float", "Arc tangent.", "Math", b_atan},
  {"floor", "(float) -> float", "Floor of a float.", "Math", b_floor},
  {"ceil", "(float) -> float", "Ceiling of a float.", "Math", b_ceil},
  {"round", "(float) -> float", "Round a float to the nearest integer.", "Math", b_round},
  {"pow", "('a, 'a) -> 'a where 'a is a number type", "Exponentiation.", "Math", b_pow},
  {"min", "('a, 'a) -> 'a where 'a is an orderable type", "Return the smallest of two values.", "Math", b_min},
  {"max", "('a, 'a) -> 'a where 'a is an orderable type", "Return the largest of two values.", "Math", b_max},
  {"float.is_nan", "(float) -> bool", "Whether a float is nan.", "Math", b_is_nan},
  {"lsl", "(int, int) -> int", "Logical shift left.", "Math", b_lsl},
  {"lsr", "(int, int) -> int", "Logical shift right.", "Math", b_lsr},
};

static void math_open(void)
{
  liq_eval_define("max_int", liq_v_int(LIQ_INT_MAX));
  liq_eval_define("min_int", liq_v_int(LIQ_INT_MIN));
  liq_eval_define("infinity", liq_v_float(INFINITY));
  liq_eval_define("nan", liq_v_float(NAN));
  liq_eval_define("pi", liq_v_float(M_PI));
}

const liq_lib_module liq_lib_math = {"math", math_defs, LIQ_NELEMS(math_defs), math_open, NULL};
