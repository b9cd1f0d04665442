/* lib_env: the process: environment variables (getenv, setenv,
 * environment.get/set, environment()), argv and getpid. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

extern char **environ;

LIQ_BUILTIN(b_getenv)
{
  const char *v = getenv(liq_arg_str(c, 0, NULL));
  if (v) return liq_v_cstring(v);
  liq_value def = liq_arg_label(c, "default", LIQ_NOVALUE);
  return def == LIQ_NOVALUE ? liq_v_cstring("") : def;
}

LIQ_BUILTIN(b_setenv)
{
  setenv(liq_arg_str(c, 0, NULL), liq_arg_str(c, 1, NULL), 1);
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_environment)
{
  (void)c;
  liq_value *acc = liq_eval_push(LIQ_NIL);
  for (char **e = environ; *e; e++) {
    const char *eq = strchr(*e, '=');
    if (!eq) continue;
    liq_value *k = liq_eval_push(liq_v_string(*e, (size_t)(eq - *e)));
    liq_value *v = liq_eval_push(liq_v_cstring(eq + 1));
    liq_value items[2] = {*k, *v};
    *k = liq_v_tuple(2, items);
    *acc = liq_v_cons(*k, *acc);
    liq_eval_pop(2);
  }
  liq_value r = *acc;
  liq_eval_pop(1);
  return r;
}

static liq_value argv_list = LIQ_NIL;
static int argv_rooted;

void liq_lib_env_set_argv(int argc, char **argv)
{
  if (!argv_rooted) {
    liq_gc_add_root(&argv_list);
    argv_rooted = 1;
  }
  argv_list = LIQ_NIL;
  for (int i = argc - 1; i >= 0; i--) {
    liq_value s = liq_v_cstring(argv[i]);
    argv_list = liq_v_cons(s, argv_list);
  }
}

/* argv(i): the i-th argument after `--` (from 1); the default ("") past
 * the end. 2.1.3's argv(0) is the script's name: cliq returns the default. */
LIQ_BUILTIN(b_argv)
{
  int64_t i = liq_arg_int(c, 0);
  liq_value l = argv_list;
  for (int64_t k = 1; k < i && l != LIQ_NIL; k++) l = liq_v_tail(l);
  if (i >= 1 && l != LIQ_NIL) return liq_v_head(l);
  liq_value def = liq_arg_label(c, "default", LIQ_NOVALUE);
  return def == LIQ_NOVALUE ? liq_v_cstring("") : def;
}

LIQ_BUILTIN(b_getpid)
{
  (void)c;
  return liq_v_int((int64_t)getpid());
}

static const liq_builtin_def env_defs[] = {
  {"getenv", "(?default : string, string) -> string", "Get the value associated to a variable in the process environment.", "System", b_getenv},
  {"setenv", "(string, string) -> unit", "Set the value associated to a variable in the process environment.", "System", b_setenv},
  {"environment", "() -> [(string * string)]", "The process environment.", "System", b_environment},
  {"environment.get", "(?default : string, string) -> string", "Get the value associated to a variable in the process environment.", "System", b_getenv},
  {"environment.set", "(string, string) -> unit", "Set the value associated to a variable in the process environment.", "System", b_setenv},
  {"getpid", "() -> int", "Get the process' pid.", "System", b_getpid},
  {"argv", "(?default : string, int) -> string", "The i-th argument given to the script after -- (from 1), or the default.", "System", b_argv},
};

static void env_close(void)
{
  if (argv_rooted) liq_gc_remove_root(&argv_list);
  argv_rooted = 0;
  argv_list = LIQ_NIL;
}

const liq_lib_module liq_lib_env = {"env", env_defs, LIQ_NELEMS(env_defs), NULL, env_close};
