/* srcfile: the registry of source texts (script files, %include'd files,
 * inline expressions, the prelude) and the span type that points into them.
 *
 * Texts are registered once and live until exit, so spans and diagnostics
 * can always show the line they point at. */
#ifndef LIQ_SRCFILE_H
#define LIQ_SRCFILE_H

#include <stddef.h>
#include <stdint.h>

/* A region of a source text. Lines and columns are 1-based; columns count
 * bytes; end_col is one past the last character (end == start for an empty
 * span, e.g. at end of file). */
typedef struct liq_span {
  int32_t file; /* liq_src id, -1 for "no position" (builtins) */
  int32_t line, col;
  int32_t end_line, end_col;
  uint32_t start, end; /* byte offsets */
} liq_span;

extern const liq_span liq_span_none;

/* Registers a text (copied) under a display name (copied). Returns its id. */
int liq_src_add(const char *name, const char *text, size_t len);
/* Reads a file and registers it; returns -1 and sets errno on failure. */
int liq_src_add_file(const char *path);
const char *liq_src_name(int id);
const char *liq_src_text(int id, size_t *len);
/* The text of line `line` (1-based) of source `id`, without its newline. */
const char *liq_src_line(int id, int line, size_t *len);
/* Releases every registered text (at exit, for leak checkers). */
void liq_src_free_all(void);

/* Joins two spans into one that covers both (same file). */
liq_span liq_span_join(liq_span a, liq_span b);

#endif
