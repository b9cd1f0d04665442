/* libFuzzer harnesses for the front end. Built twice (Makefile.am):
 *   fuzz_parse  lexer, preprocessor and parser;
 *   fuzz_check  the same, then the type checker (FUZZ_TYPECHECK defined).
 * Any byte string must either pass or produce diagnostics: never crash, hang
 * or leak. liq_tc_program adds a program's top-level bindings to its
 * environment, so each input gets a fresh one (freeing it frees its
 * types). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "lang/frontend.h"
#ifdef FUZZ_TYPECHECK
#include "lang/typecheck.h"
#include "stdlib/lib.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static FILE *devnull;
  if (!devnull) {
    devnull = fopen("/dev/null", "w");
    liq_diag_set_stream(devnull);
  }
  /* %include <...> resolves against a directory that does not exist, so the
   * fuzzer cannot read arbitrary files through include directives. */
  liq_parse_opts opts = {"/nonexistent-cliq-fuzz-stdlib"};
  liq_ast_arena *arena = liq_ast_arena_new();
  liq_ast *ast = liq_parse_text(arena, "<fuzz>", (const char *)data, size, &opts);
#ifdef FUZZ_TYPECHECK
  if (ast) {
    liq_lib_declare(); /* every builtin's type: no heap needed */
    liq_tc_env *env = liq_tc_env_new();
    liq_tc_program(ast, env, LIQ_TC_QUIET);
    liq_tc_env_free(env);
  }
#else
  (void)ast;
#endif
  liq_ast_arena_free(arena);
  liq_src_free_all();
  liq_diag_reset();
  return 0;
}
