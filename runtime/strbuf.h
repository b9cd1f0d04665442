/* strbuf: a growable byte buffer used to build strings (diagnostics, value
 * printing, string literals in the lexer). Always NUL-terminated. */
#ifndef LIQ_STRBUF_H
#define LIQ_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct liq_sb {
  char *data; /* NUL-terminated; NULL until the first append */
  size_t len;
  size_t cap;
} liq_sb;

#define LIQ_SB_INIT {NULL, 0, 0}

void liq_sb_append(liq_sb *sb, const char *bytes, size_t len);
void liq_sb_puts(liq_sb *sb, const char *s);
void liq_sb_putc(liq_sb *sb, char c);
void liq_sb_printf(liq_sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void liq_sb_vprintf(liq_sb *sb, const char *fmt, va_list ap);
/* Returns the contents (never NULL) and leaves sb empty; caller frees. */
char *liq_sb_take(liq_sb *sb);
/* Contents as a C string (never NULL), still owned by sb. */
const char *liq_sb_str(liq_sb *sb);
void liq_sb_reset(liq_sb *sb);
void liq_sb_free(liq_sb *sb);

#endif
