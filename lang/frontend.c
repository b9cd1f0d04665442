/* frontend: runs the scanner and the parser over a source, and implements
 * the preprocessor services the scanner calls back: %include, doc comments
 * and error counting. See frontend.h for the API. */
#include "lang/frontend.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lang/diag.h"
#include "runtime/mem.h"
#include "lang/parser.h"
#include "lang/srcfile.h"
#include "runtime/strbuf.h"

/* Deeper nesting is almost surely a runaway include chain. */
#define MAX_INCLUDE_DEPTH 64

void liq_fe_error(liq_pstate *ps, liq_span span, const char *hint, const char *fmt, ...)
{
  ps->nerrors++;
  if (ps->nerrors > LIQ_MAX_ERRORS) return;
  liq_sb msg = LIQ_SB_INIT;
  va_list ap;
  va_start(ap, fmt);
  liq_sb_vprintf(&msg, fmt, ap);
  va_end(ap);
  liq_diag(LIQ_DIAG_ERROR, span, "syntax", hint, "%s", liq_sb_str(&msg));
  if (ps->nerrors == LIQ_MAX_ERRORS)
    liq_diag(LIQ_DIAG_NOTE, span, "syntax", NULL, "too many errors, giving up on this file");
  liq_sb_free(&msg);
}

/* --- Doc comments ----------------------------------------------------------- */

/* A run of `#` lines, each alone on its line, documents the `def` or `let`
 * on the very next line (the token filter picks it up). */
void liq_fe_comment(liq_pstate *ps, const char *text, size_t len, liq_span span)
{
  if ((ps->last_tok_src == span.file && ps->last_tok_line == span.line) ||
      (len > 1 && text[1] == '!')) {
    ps->doc_line = 0; /* a trailing comment after code, or a shebang */
    return;
  }
  text++, len--;
  if (len && *text == ' ') text++, len--;
  if (len && text[len - 1] == '\r') len--;
  if (ps->doc_line && ps->doc_src == span.file && ps->doc_line == span.line - 1) {
    liq_sb_putc(&ps->doc, '\n');
  } else {
    liq_sb_reset(&ps->doc);
  }
  liq_sb_append(&ps->doc, text, len);
  ps->doc_src = span.file;
  ps->doc_line = span.line;
}

/* --- %include --------------------------------------------------------------- */

static char *dir_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash) return liq_mem_strdup(".");
  if (slash == path) return liq_mem_strdup("/");
  return liq_mem_strndup(path, (size_t)(slash - path));
}

static char *join_path(const char *dir, const char *name)
{
  liq_sb sb = LIQ_SB_INIT;
  if (name[0] == '~' && (name[1] == '/' || name[1] == 0) && getenv("HOME")) {
    liq_sb_puts(&sb, getenv("HOME"));
    liq_sb_puts(&sb, name + 1);
  } else if (name[0] == '/' || !dir) {
    liq_sb_puts(&sb, name);
  } else {
    liq_sb_printf(&sb, "%s/%s", dir, name);
  }
  return liq_sb_take(&sb);
}

static char *real_path(const char *path)
{
  char buf[PATH_MAX];
  return realpath(path, buf) ? liq_mem_strdup(buf) : NULL;
}

void liq_fe_include(liq_pstate *ps, const char *directive, liq_include_kind kind, liq_span at)
{
  char open = kind == LIQ_INCLUDE_LIB ? '<' : '"', close = kind == LIQ_INCLUDE_LIB ? '>' : '"';
  const char *start = strchr(directive, open) + 1;
  const char *end = strrchr(directive, close);
  char *name = liq_mem_strndup(start, (size_t)(end - start));
  char *path;
  if (kind == LIQ_INCLUDE_LIB) {
    if (!ps->opts || !ps->opts->stdlib_dir) {
      liq_fe_error(ps, at, "use %include \"file\" with a path", "cannot %%include <%s>: no library directory is set", name);
      liq_mem_free(name);
      return;
    }
    path = join_path(ps->opts->stdlib_dir, name);
  } else {
    path = join_path(ps->dir, name);
  }
  liq_mem_free(name);

  char *real = real_path(path);
  if (!real) {
    if (kind != LIQ_INCLUDE_EXTRA)
      liq_fe_error(ps, at, NULL, "cannot %%include `%s`: %s", path, strerror(errno));
    liq_mem_free(path);
    return;
  }
  int cyclic = ps->root_real && strcmp(ps->root_real, real) == 0;
  for (int i = 0; i < ps->nincl && !cyclic; i++) cyclic = strcmp(ps->incl[i].real, real) == 0;
  if (cyclic || ps->nincl >= MAX_INCLUDE_DEPTH) {
    liq_fe_error(ps, at, NULL, cyclic ? "cyclic %%include of `%s`" : "%%include nested too deeply at `%s`",
                 path);
    liq_mem_free(real);
    liq_mem_free(path);
    return;
  }
  int src = liq_src_add_file(path);
  if (src < 0) {
    liq_fe_error(ps, at, NULL, "cannot %%include `%s`: %s", path, strerror(errno));
    liq_mem_free(real);
    liq_mem_free(path);
    return;
  }

  if (ps->nincl == ps->capincl) {
    ps->capincl = ps->capincl ? 2 * ps->capincl : 8;
    ps->incl = liq_mem_realloc(ps->incl, sizeof *ps->incl * (size_t)ps->capincl);
  }
  liq_incl_frame *f = &ps->incl[ps->nincl++];
  f->src = ps->src;
  f->line = ps->line;
  f->col = ps->col;
  f->off = ps->off;
  f->dir = ps->dir;
  f->real = real;
  ps->src = src;
  ps->line = ps->col = 1;
  ps->off = 0;
  ps->dir = dir_of(path);
  liq_mem_free(path);
  liq_lex_push(ps, src);
}

void liq_fe_include_pop(liq_pstate *ps)
{
  liq_incl_frame *f = &ps->incl[--ps->nincl];
  liq_mem_free(ps->dir);
  liq_mem_free(f->real);
  ps->src = f->src;
  ps->line = f->line;
  ps->col = f->col;
  ps->off = f->off;
  ps->dir = f->dir;
}

/* --- Entry points ------------------------------------------------------------- */

/* A script, or with type_out a type (the parser's type entry). */
static liq_ast *parse(liq_ast_arena *arena, int src, const char *path, const liq_parse_opts *opts,
                      liq_ast_type **type_out)
{
  liq_pstate ps;
  memset(&ps, 0, sizeof ps);
  if (type_out) {
    ps.start_token = START_TYPE;
    ps.type_mode = 1; /* the first token of the type is read in type mode */
  }
  ps.arena = arena;
  ps.opts = opts;
  ps.src = src;
  ps.line = ps.col = 1;
  ps.dir = path ? dir_of(path) : NULL;
  ps.root_real = path ? real_path(path) : NULL;
  ps.prev_span = liq_span_none;
  liq_lex_start(&ps, src);
  int rc = liq_yyparse(&ps);
  liq_lex_finish(&ps);
  while (ps.nincl) liq_fe_include_pop(&ps);
  liq_mem_free(ps.dir);
  liq_mem_free(ps.root_real);
  liq_mem_free(ps.incl);
  liq_mem_free(ps.interp);
  liq_mem_free(ps.open);
  liq_mem_free(ps.defs);
  liq_mem_free(ps.raw_id);
  liq_sb_free(&ps.sb);
  liq_sb_free(&ps.doc);
  if (type_out) *type_out = rc || ps.nerrors ? NULL : ps.type_result;
  return rc || ps.nerrors ? NULL : ps.result;
}

liq_ast *liq_parse_src(liq_ast_arena *arena, int src_id, const liq_parse_opts *opts)
{
  return parse(arena, src_id, NULL, opts, NULL);
}

liq_ast *liq_parse_text(liq_ast_arena *arena, const char *name, const char *text, size_t len,
                        const liq_parse_opts *opts)
{
  return parse(arena, liq_src_add(name, text, len), NULL, opts, NULL);
}

liq_ast_type *liq_parse_type_text(liq_ast_arena *arena, const char *name, const char *text, size_t len)
{
  liq_ast_type *t = NULL;
  parse(arena, liq_src_add(name, text, len), NULL, NULL, &t);
  return t;
}

liq_ast *liq_parse_file(liq_ast_arena *arena, const char *path, const liq_parse_opts *opts)
{
  int src = liq_src_add_file(path);
  if (src < 0) {
    liq_diag(LIQ_DIAG_ERROR, liq_span_none, "io", NULL, "cannot read `%s`: %s", path, strerror(errno));
    return NULL;
  }
  return parse(arena, src, strcmp(path, "-") == 0 ? NULL : path, opts, NULL);
}

int liq_ifversion_holds(const char *op, const char *version)
{
  const char *a = LIQ_LANG_VERSION, *b = version;
  int c = 0;
  for (int i = 0; i < 3 && c == 0; i++) {
    long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);
    if (x != y) c = x < y ? -1 : 1;
    if (*a == '.') a++;
    if (*b == '.') b++;
  }
  if (!op || !strcmp(op, ">=")) return c >= 0;
  if (!strcmp(op, "<=")) return c <= 0;
  if (!strcmp(op, ">")) return c > 0;
  if (!strcmp(op, "<")) return c < 0;
  if (!strcmp(op, "==")) return c == 0;
  return c != 0;
}
