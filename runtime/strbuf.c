/* strbuf: growable byte buffer; see strbuf.h. */
#include "runtime/strbuf.h"

#include <stdio.h>
#include <string.h>

#include "runtime/mem.h"

static void reserve(liq_sb *sb, size_t extra)
{
  if (sb->len + extra + 1 <= sb->cap) return;
  size_t cap = sb->cap ? sb->cap : 32;
  while (cap < sb->len + extra + 1) cap *= 2;
  sb->data = liq_mem_realloc(sb->data, cap);
  sb->cap = cap;
}

void liq_sb_append(liq_sb *sb, const char *bytes, size_t len)
{
  reserve(sb, len);
  if (len) memcpy(sb->data + sb->len, bytes, len);
  sb->len += len;
  sb->data[sb->len] = 0;
}

void liq_sb_puts(liq_sb *sb, const char *s) { liq_sb_append(sb, s, strlen(s)); }

void liq_sb_putc(liq_sb *sb, char c) { liq_sb_append(sb, &c, 1); }

void liq_sb_vprintf(liq_sb *sb, const char *fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return;
  reserve(sb, (size_t)n);
  vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
  sb->len += (size_t)n;
}

void liq_sb_printf(liq_sb *sb, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  liq_sb_vprintf(sb, fmt, ap);
  va_end(ap);
}

const char *liq_sb_str(liq_sb *sb)
{
  reserve(sb, 0);
  sb->data[sb->len] = 0;
  return sb->data;
}

char *liq_sb_take(liq_sb *sb)
{
  liq_sb_str(sb);
  char *res = sb->data;
  sb->data = NULL;
  sb->len = sb->cap = 0;
  return res;
}

void liq_sb_reset(liq_sb *sb)
{
  sb->len = 0;
  if (sb->data) sb->data[0] = 0;
}

void liq_sb_free(liq_sb *sb)
{
  liq_mem_free(sb->data);
  sb->data = NULL;
  sb->len = sb->cap = 0;
}
