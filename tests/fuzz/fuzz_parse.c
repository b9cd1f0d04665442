/* libFuzzer harness for the lexer, preprocessor and parser: any byte string
 * must either parse or produce diagnostics, never crash, hang or leak. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"
#include "frontend.h"

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
  (void)ast;
  liq_ast_arena_free(arena);
  liq_src_free_all();
  liq_diag_reset();
  return 0;
}
