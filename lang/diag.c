/* diag: renders diagnostics; see diag.h for the formats. */
#include "lang/diag.h"

#include <stdarg.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/strbuf.h"

static liq_diag_format diag_format = LIQ_DIAG_TEXT;
static FILE *diag_stream;
static int nerrors, nwarnings;

void liq_diag_set_format(liq_diag_format format) { diag_format = format; }
void liq_diag_set_stream(FILE *out) { diag_stream = out; }
int liq_diag_errors(void) { return nerrors; }
int liq_diag_warnings(void) { return nwarnings; }
void liq_diag_reset(void) { nerrors = nwarnings = 0; }

static const char *severity_name(liq_diag_severity s)
{
  switch (s) {
  case LIQ_DIAG_ERROR: return "error";
  case LIQ_DIAG_WARNING: return "warning";
  default: return "note";
  }
}

static void json_string(liq_sb *out, const char *s)
{
  liq_sb_putc(out, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      liq_sb_putc(out, '\\');
      liq_sb_putc(out, (char)*p);
    } else if (*p == '\n') liq_sb_puts(out, "\\n");
    else if (*p == '\t') liq_sb_puts(out, "\\t");
    else if (*p < 0x20) liq_sb_printf(out, "\\u%04x", *p);
    else liq_sb_putc(out, (char)*p);
  }
  liq_sb_putc(out, '"');
}

/* The source line, then a caret line: ^ under the first character and ~
 * under the rest of the span on that line. Tabs are kept so the caret lines
 * up; UTF-8 continuation bytes take no column. */
static void render_excerpt(liq_sb *out, liq_span span)
{
  size_t len;
  const char *line = liq_src_line(span.file, span.line, &len);
  if (span.file < 0 || span.line < 1) return;
  /* control characters other than tabs (a NUL would cut the output short)
   * print as spaces, which keeps the caret in place */
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)line[i];
    liq_sb_putc(out, (c < 0x20 && c != '\t') || c == 0x7f ? ' ' : (char)c);
  }
  liq_sb_putc(out, '\n');
  size_t first = span.col > 0 ? (size_t)span.col - 1 : 0;
  size_t last = span.end_line == span.line && span.end_col > span.col
                    ? (size_t)span.end_col - 1 : len > first ? len : first + 1;
  if (span.end_line == span.line && span.end_col <= span.col) last = first + 1;
  for (size_t i = 0; i < first && i < len; i++) {
    unsigned char c = (unsigned char)line[i];
    if ((c & 0xC0) == 0x80) continue;
    liq_sb_putc(out, c == '\t' ? '\t' : ' ');
  }
  for (size_t i = len; i < first; i++) liq_sb_putc(out, ' ');
  liq_sb_putc(out, '^');
  for (size_t i = first + 1; i < last; i++) {
    if (i < len && (((unsigned char)line[i]) & 0xC0) == 0x80) continue;
    liq_sb_putc(out, '~');
  }
  liq_sb_putc(out, '\n');
}

void liq_diag(liq_diag_severity severity, liq_span span, const char *code,
              const char *hint, const char *fmt, ...)
{
  if (severity == LIQ_DIAG_ERROR) nerrors++;
  if (severity == LIQ_DIAG_WARNING) nwarnings++;
  liq_sb msg = LIQ_SB_INIT, out = LIQ_SB_INIT;
  va_list ap;
  va_start(ap, fmt);
  liq_sb_vprintf(&msg, fmt, ap);
  va_end(ap);
  const char *file = liq_src_name(span.file);
  if (diag_format == LIQ_DIAG_JSON) {
    liq_sb_puts(&out, "{\"file\":");
    json_string(&out, file);
    liq_sb_printf(&out, ",\"line\":%d,\"col\":%d,\"end_line\":%d,\"end_col\":%d,\"severity\":",
                  span.line, span.col, span.end_line, span.end_col);
    json_string(&out, severity_name(severity));
    liq_sb_puts(&out, ",\"code\":");
    json_string(&out, code);
    liq_sb_puts(&out, ",\"message\":");
    json_string(&out, liq_sb_str(&msg));
    if (hint) {
      liq_sb_puts(&out, ",\"hint\":");
      json_string(&out, hint);
    }
    liq_sb_puts(&out, "}\n");
  } else {
    if (span.file >= 0)
      liq_sb_printf(&out, "%s:%d:%d: ", file, span.line, span.col);
    liq_sb_printf(&out, "%s: %s\n", severity_name(severity), liq_sb_str(&msg));
    render_excerpt(&out, span);
    if (hint) liq_sb_printf(&out, "hint: %s\n", hint);
  }
  FILE *stream = diag_stream ? diag_stream : stderr;
  fputs(liq_sb_str(&out), stream);
  fflush(stream);
  liq_sb_free(&msg);
  liq_sb_free(&out);
}
