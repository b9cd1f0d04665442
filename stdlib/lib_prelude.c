/* lib_prelude: starts the evaluator: registers every builtin module (in a
 * fixed order: later modules may add methods to earlier values) and runs
 * the embedded prelude (stdlib/prelude/ (.liq files), see Makefile.am). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "lang/diag.h"
#include "lang/eval_internal.h"
#include "lang/frontend.h"
#include "stdlib/lib_source.h"
#include "stdlib/lib_thread.h"

static liq_ast_arena *prelude_arena;

bool liq_eval_init(void)
{
  liq_eval_setup();
  liq_lib_core_init();
  liq_lib_null_init();
  liq_lib_ref_init();
  liq_lib_error_init();
  liq_lib_list_init();
  liq_lib_string_init();
  liq_lib_math_init();
  liq_lib_random_init();
  liq_lib_regexp_init();
  liq_lib_json_init();
  liq_lib_file_init();
  liq_lib_settings_init();
  liq_lib_time_init();
  liq_lib_env_init();
  liq_lib_log_init();
  liq_lib_runtime_init();
  liq_lib_encoder_init();
  liq_lib_process_init();
  liq_lib_thread_init();
  liq_lib_source_init();
  liq_lib_clock_init();
  liq_lib_output_init();
  liq_lib_ops_gen_init();
  liq_lib_ops_track_init();
  liq_lib_ops_dsp_init();
  prelude_arena = liq_ast_arena_new();
  int src = liq_src_add("<prelude>", liq_prelude_text, (size_t)liq_prelude_len);
  liq_ast *prog = liq_parse_src(prelude_arena, src, NULL);
  if (!prog) return false;
  return liq_eval_prelude(prog, src, src) == 0;
}

void liq_lib_env_shutdown(void);
void liq_lib_settings_shutdown(void);

void liq_eval_shutdown_all(void);
void liq_eval_shutdown_all(void)
{
  liq_lib_thread_shutdown();
  liq_lib_error_shutdown();
  liq_lib_env_shutdown();
  liq_lib_settings_shutdown();
  liq_eval_shutdown();
  if (prelude_arena) liq_ast_arena_free(prelude_arena);
  prelude_arena = NULL;
}
