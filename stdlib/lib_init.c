/* lib_init: the table of stdlib modules (as Lua's linit.c) and the start
 * and end of the standard library: declare (types only), open (values and
 * the prelude), close. See lib.h for the two steps. */
#include "config.h"

#include "lang/frontend.h"
#include "lang/eval_internal.h"
#include "stdlib/lib.h"

/* In order: a later module may add methods to an earlier value, and a
 * later entry of the same name replaces an earlier one. */
static const liq_lib_module *const modules[] = {
  &liq_lib_declared, &liq_lib_core, &liq_lib_null, &liq_lib_ref, &liq_lib_error,
  &liq_lib_list, &liq_lib_string, &liq_lib_math, &liq_lib_random, &liq_lib_regexp,
  &liq_lib_json, &liq_lib_file, &liq_lib_settings, &liq_lib_time, &liq_lib_env,
  &liq_lib_log, &liq_lib_runtime, &liq_lib_process, &liq_lib_thread, &liq_lib_source,
  &liq_lib_clock, &liq_lib_output, &liq_lib_ops_gen, &liq_lib_ops_track, &liq_lib_ops_dsp,
  &liq_lib_request,
};
#define NMODULES ((int)(sizeof modules / sizeof modules[0]))

static const liq_eval_literals literals = {
  liq_lib_template,
  liq_lib_regexp_new,
  liq_lib_encoder_value,
  liq_lib_json_parse_typed,
};

static int declared;
static liq_ast_arena *prelude_arena;

void liq_lib_declare(void)
{
  if (declared) return;
  declared = 1;
  for (int i = 0; i < NMODULES; i++)
    if (modules[i]->ndefs) liq_builtins_register(modules[i]->defs, (size_t)modules[i]->ndefs);
  liq_eval_set_literals(&literals);
  /* stdlib/liquidsoap_names.txt is every name of Liquidsoap 2.1.3's
   * `--list-functions`, cliq's own included: a name missing from the
   * registry but listed there is one cliq does not implement yet. */
  liq_builtins_set_upstream(liq_liquidsoap_names_text, (size_t)liq_liquidsoap_names_len);
}

bool liq_lib_open(void)
{
  liq_lib_declare();
  liq_eval_setup();
  for (int i = 0; i < NMODULES; i++) {
    if (modules[i]->ndefs) liq_eval_bind_table(modules[i]->defs, modules[i]->ndefs);
    if (modules[i]->open) modules[i]->open();
  }
  prelude_arena = liq_ast_arena_new();
  int src = liq_src_add("<prelude>", liq_prelude_text, (size_t)liq_prelude_len);
  liq_ast *prog = liq_parse_src(prelude_arena, src, NULL);
  if (!prog) return false;
  return liq_eval_prelude(prog, src, src) == 0;
}

void liq_lib_close(void)
{
  for (int i = NMODULES - 1; i >= 0; i--)
    if (modules[i]->close) modules[i]->close();
  liq_eval_shutdown();
  if (prelude_arena) liq_ast_arena_free(prelude_arena);
  prelude_arena = NULL;
}
