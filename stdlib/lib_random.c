/* lib_random: random.int, random.float, random.bool (seeded from the time
 * at startup; not cryptographic). */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

static double unit(void) { return (double)random() / 2147483648.0; }

LIQ_BUILTIN(b_int)
{
  int64_t lo = liq_to_int(liq_arg_label(c, "min", liq_v_int(LIQ_INT_MIN)));
  int64_t hi = liq_to_int(liq_arg_label(c, "max", liq_v_int(LIQ_INT_MAX)));
  if (hi <= lo) return liq_v_int(lo);
  uint64_t span = (uint64_t)hi - (uint64_t)lo;
  uint64_t r = ((uint64_t)random() << 33) ^ ((uint64_t)random() << 2) ^ (uint64_t)random();
  return liq_v_int((int64_t)((uint64_t)lo + r % span));
}

LIQ_BUILTIN(b_float)
{
  double lo = liq_to_float(liq_arg_label(c, "min", liq_v_float(0.)));
  double hi = liq_to_float(liq_arg_label(c, "max", liq_v_float(1.)));
  return liq_v_float(lo + (hi - lo) * unit());
}

LIQ_BUILTIN(b_bool)
{
  (void)c;
  return liq_v_bool(random() & 1);
}

static const liq_builtin_def random_defs[] = {
  {"random.int", "(?min : int, ?max : int) -> int", "Generate a random value between min (included) and max (excluded).", "Math", b_int},
  {"random.float", "(?min : float, ?max : float) -> float", "Generate a random value between min (included) and max (excluded).", "Math", b_float},
  {"random.bool", "() -> bool", "Generate a random boolean.", "Math", b_bool},
};

static void random_open(void)
{
  srandom((unsigned)time(NULL) ^ (unsigned)clock());
}

const liq_lib_module liq_lib_random = {"random", random_defs, LIQ_NELEMS(random_defs), random_open, NULL};
