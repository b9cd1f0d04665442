/* lib_core: control and printing builtins (print, ignore, fst, snd,
 * string_of, exit, sleep, getters, liquidsoap.version, %-templates). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "runtime/mem.h"

LIQ_BUILTIN(b_print)
{
  liq_value nl = liq_arg_label(c, "newline", LIQ_TRUE);
  liq_sb sb = LIQ_SB_INIT;
  liq_value_print(&sb, liq_arg(c, 0), false);
  if (liq_v_base(nl) == LIQ_TRUE) liq_sb_putc(&sb, '\n');
  fwrite(liq_sb_str(&sb), 1, sb.len, stdout);
  fflush(stdout);
  liq_sb_free(&sb);
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_ignore)
{
  (void)c;
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_fst)
{
  return liq_v_tuple_get(liq_v_base(liq_arg(c, 0)), 0);
}

LIQ_BUILTIN(b_snd)
{
  return liq_v_tuple_get(liq_v_base(liq_arg(c, 0)), 1);
}

LIQ_BUILTIN(b_string_of)
{
  liq_value v = liq_arg(c, 0);
  liq_value fields = liq_arg_label(c, "fields", LIQ_TRUE);
  if (liq_v_base(fields) == LIQ_FALSE) v = liq_v_base(v);
  return liq_eval_to_string(v);
}

LIQ_BUILTIN(b_exit)
{
  int status = (int)liq_arg_int(c, 0);
  fflush(stdout);
  if (liq_eval_exit_hook) liq_eval_exit_hook(status);
  exit(status);
}

LIQ_BUILTIN(b_sleep)
{
  double s = liq_arg_float(c, 0);
  if (s > 0) {
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
  }
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_getter_get)
{
  return liq_eval_getter(liq_arg(c, 0));
}

LIQ_BUILTIN(b_getter)
{
  return liq_arg(c, 0);
}

LIQ_BUILTIN(b_getter_case)
{
  liq_value g = liq_arg(c, 0);
  if (liq_eval_is_function(g)) return liq_eval_call1(liq_arg(c, 2), g);
  return liq_eval_call1(liq_arg(c, 1), g);
}

LIQ_BUILTIN(b_getter_is_constant)
{
  return liq_v_bool(!liq_eval_is_function(liq_arg(c, 0)));
}

/* getter.map(f, g): a getter; when g is constant, a constant. Otherwise a
 * builtin closure over (f, g). */
static liq_value getter_map_call(liq_call *c, liq_value data)
{
  (void)c;
  liq_value *pd = liq_eval_push(data);
  liq_value x = liq_eval_getter(liq_v_tuple_get(*pd, 1));
  liq_value r = liq_eval_call1(liq_v_tuple_get(*pd, 0), x);
  liq_eval_pop(1);
  return r;
}

LIQ_BUILTIN(b_getter_map)
{
  liq_value f = liq_arg(c, 0), g = liq_arg(c, 1);
  if (!liq_eval_is_function(g)) return liq_eval_call1(f, g);
  liq_value items[2] = {f, g};
  liq_value *t = liq_eval_push(liq_v_tuple(2, items));
  liq_value r = liq_v_builtin(getter_map_call, "getter.map", *t);
  liq_eval_pop(1);
  return r;
}

/* "$(k) and $(if $(k),yes,no)" % [("k", "v")]: substitutes $(name) by the
 * value in the association list ("" when absent). The $(if ...) form is
 * not supported (TODO(scope): rarely used). */
liq_value liq_lib_template(liq_value tmpl, liq_value assoc)
{
  size_t len;
  const char *s = liq_to_str(tmpl, &len);
  liq_sb sb = LIQ_SB_INIT;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '$' && i + 1 < len && s[i + 1] == '(') {
      const char *end = memchr(s + i + 2, ')', len - i - 2);
      if (end) {
        size_t klen = (size_t)(end - (s + i + 2));
        for (liq_value l = liq_v_base(assoc); l != LIQ_NIL; l = liq_v_tail(l)) {
          liq_value p = liq_v_base(liq_v_head(l));
          size_t kl;
          const char *k = liq_to_str(liq_v_tuple_get(p, 0), &kl);
          if (kl == klen && memcmp(k, s + i + 2, klen) == 0) {
            size_t vl;
            const char *v = liq_to_str(liq_v_tuple_get(p, 1), &vl);
            liq_sb_append(&sb, v, vl);
            break;
          }
        }
        i = (size_t)(end - s);
        continue;
      }
    }
    liq_sb_putc(&sb, s[i]);
  }
  liq_value r = liq_v_string(sb.data ? sb.data : "", sb.len);
  liq_sb_free(&sb);
  return r;
}

LIQ_BUILTIN(b_template)
{
  return liq_lib_template(liq_arg(c, 0), liq_arg(c, 1));
}

LIQ_BUILTIN(b_version)
{
  (void)c;
  return liq_v_cstring(LIQ_LANG_VERSION);
}

LIQ_BUILTIN(b_compare)
{
  int r = liq_value_compare(liq_arg(c, 0), liq_arg(c, 1));
  return liq_v_int(r < 0 ? -1 : r > 0);
}

static const liq_builtin_def core_defs[] = {
  {"print", "(?newline : bool, 'a) -> unit", "Print on standard output.", "Interaction", b_print},
  {"ignore", "('a) -> unit", "Convert anything to unit, for avoiding warnings.", "Programming", b_ignore},
  {"fst", "(('a * 'b)) -> 'a", "Get the first component of a pair.", "Programming", b_fst},
  {"snd", "(('a * 'b)) -> 'b", "Get the second component of a pair.", "Programming", b_snd},
  {"string_of", "(?fields : bool, 'a) -> string", "Return the representation of a value.", "String", b_string_of},
  {"string", "(?fields : bool, 'a) -> string", "Return the representation of a value (HEAD name of string_of).", "String", b_string_of},
  {"exit", "(int) -> unit", "Immediately stop the application with the given exit code.", "System", b_exit},
  {"sleep", "(float) -> unit", "Sleep for a given amount of seconds.", "System", b_sleep},
  {"getter", "({'a}) -> {'a}", "Create a getter.", "Getter", b_getter},
  {"getter.get", "({'a}) -> 'a", "Get the value of a getter.", "Getter", b_getter_get},
  {"getter.case", "({'a}, (('a) -> 'b), (((() -> 'a)) -> 'b)) -> 'b", "Return a value depending on whether the getter is constant or not.", "Getter", b_getter_case},
  {"getter.is_constant", "({'a}) -> bool", "Determine if a getter is a constant.", "Getter", b_getter_is_constant},
  {"getter.map", "((('a) -> 'b), {'a}) -> {'b}", "Apply a function on a getter.", "Getter", b_getter_map},
  {"%", "(string, [(string * string)]) -> string", "String template: substitutes $(k) by its value in the list.", "String", b_template},
  {"compare", "('a, 'a) -> int", "Compare two values: -1, 0 or 1.", "Programming", b_compare},
  {"liquidsoap.version.get", "() -> string", "The Liquidsoap version cliq implements.", "Liquidsoap", b_version},
};

static void core_open(void)
{
  liq_eval_define("liquidsoap.version", liq_v_cstring(LIQ_LANG_VERSION));
}

const liq_lib_module liq_lib_core = {"core", core_defs, LIQ_NELEMS(core_defs), core_open, NULL};
