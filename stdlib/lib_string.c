/* lib_string: string functions and conversions (string.*, ^ is in the
 * evaluator, int_of_string & co). Strings are byte strings (2.1.3:
 * string.length("héllo") = 6). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "stdlib/lib_regexp.h"
#include "runtime/mem.h"

LIQ_BUILTIN(b_length)
{
  size_t len;
  liq_arg_str(c, 0, &len);
  return liq_v_int((int64_t)len);
}

LIQ_BUILTIN(b_sub)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  int64_t start = liq_to_int(liq_arg_label(c, "start", liq_v_int(0)));
  int64_t n = liq_to_int(liq_arg_label(c, "length", liq_v_int(0)));
  if (start < 0 || n < 0 || (uint64_t)start + (uint64_t)n > len) return liq_v_cstring("");
  return liq_v_string(s + start, (size_t)n);
}

LIQ_BUILTIN(b_concat)
{
  size_t seplen = 0;
  liq_value sepv = liq_arg_label(c, "separator", LIQ_NOVALUE);
  const char *sep = sepv == LIQ_NOVALUE ? "" : liq_to_str(sepv, &seplen);
  liq_sb sb = LIQ_SB_INIT;
  int first = 1;
  for (liq_value l = liq_v_base(liq_arg(c, 0)); l != LIQ_NIL; l = liq_v_tail(l)) {
    size_t len;
    const char *s = liq_to_str(liq_v_head(l), &len);
    if (!first) liq_sb_append(&sb, sep, seplen);
    liq_sb_append(&sb, s, len);
    first = 0;
  }
  return liq_v_string_sb(&sb);
}

LIQ_BUILTIN(b_split)
{
  size_t plen;
  liq_value sepv = liq_arg_label(c, "separator", LIQ_NOVALUE);
  if (sepv == LIQ_NOVALUE) liq_eval_raise("invalid", "missing argument separator");
  liq_value s = liq_arg(c, 0);
  liq_to_str(s, NULL);
  const char *pat = liq_to_str(sepv, &plen);
  pcre2_code *code;
  liq_eval_push(liq_regexp_owned(pat, plen, "", &code));
  liq_value r = liq_regexp_split(code, s);
  liq_eval_pop(1);
  return r;
}

LIQ_BUILTIN(b_replace)
{
  size_t plen;
  liq_value patv = liq_arg_label(c, "pattern", LIQ_NOVALUE);
  if (patv == LIQ_NOVALUE) liq_eval_raise("invalid", "missing argument pattern");
  liq_value f = liq_arg(c, 0), s = liq_arg(c, 1);
  liq_to_str(s, NULL);
  const char *pat = liq_to_str(patv, &plen);
  /* The replacement function may raise: the heap owns the code. */
  pcre2_code *code;
  liq_eval_push(liq_regexp_owned(pat, plen, "", &code));
  liq_value r = liq_regexp_replace(code, 1, f, s);
  liq_eval_pop(1);
  return r;
}

static bool has_at(const char *s, size_t len, const char *p, size_t plen, size_t at)
{
  return at + plen <= len && memcmp(s + at, p, plen) == 0;
}

LIQ_BUILTIN(b_contains)
{
  size_t len, pl;
  const char *s = liq_arg_str(c, 0, &len);
  liq_value v;
  if ((v = liq_arg_label(c, "prefix", LIQ_NOVALUE)) != LIQ_NOVALUE) {
    const char *p = liq_to_str(v, &pl);
    if (!has_at(s, len, p, pl, 0)) return LIQ_FALSE;
  }
  if ((v = liq_arg_label(c, "suffix", LIQ_NOVALUE)) != LIQ_NOVALUE) {
    const char *p = liq_to_str(v, &pl);
    if (pl > len || !has_at(s, len, p, pl, len - pl)) return LIQ_FALSE;
  }
  if ((v = liq_arg_label(c, "substring", LIQ_NOVALUE)) != LIQ_NOVALUE) {
    const char *p = liq_to_str(v, &pl);
    bool found = false;
    for (size_t i = 0; i + pl <= len && !found; i++) found = has_at(s, len, p, pl, i);
    if (!found) return LIQ_FALSE;
  }
  return LIQ_TRUE;
}

LIQ_BUILTIN(b_trim)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  size_t a = 0, b = len;
  while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n' || s[a] == '\r' || s[a] == '\f')) a++;
  while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n' || s[b - 1] == '\r' || s[b - 1] == '\f')) b--;
  return liq_v_string(s + a, b - a);
}

LIQ_BUILTIN(b_case)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  bool lower = liq_v_base(liq_arg_label(c, "lower", LIQ_TRUE)) == LIQ_TRUE;
  liq_value *ps = liq_eval_push(liq_arg(c, 0));
  char *out;
  liq_value r = liq_v_string_new(len, &out);
  s = liq_to_str(*ps, &len);
  for (size_t i = 0; i < len; i++) out[i] = (char)(lower ? tolower((unsigned char)s[i]) : toupper((unsigned char)s[i]));
  liq_eval_pop(1);
  return r;
}

LIQ_BUILTIN(b_capitalize)
{
  size_t len;
  liq_arg_str(c, 0, &len);
  bool cap = liq_v_base(liq_arg_label(c, "capitalize", LIQ_TRUE)) == LIQ_TRUE;
  bool space = liq_v_base(liq_arg_label(c, "space_sensitive", LIQ_TRUE)) == LIQ_TRUE;
  liq_value *ps = liq_eval_push(liq_arg(c, 0));
  char *out;
  liq_value r = liq_v_string_new(len, &out);
  const char *s = liq_to_str(*ps, &len);
  bool start = true;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (start && isalpha(ch)) out[i] = (char)(cap ? toupper(ch) : tolower(ch));
    else out[i] = (char)ch;
    start = space ? (ch == ' ') : false;
    if (!space && i == 0) start = false;
  }
  liq_eval_pop(1);
  return r;
}

/* --- Escaping ----------------------------------------------------------------
 * string.escape walks the characters of a string (whole UTF-8 sequences in
 * utf8, bytes in ascii) and replaces those special_char selects by what
 * escape_char gives; both default to runtime/value.c's rules, the ones
 * print() uses to quote strings. encoding null picks utf8 when the string
 * scans as UTF-8, else ascii. */

/* The encoding argument: utf8 (true) or ascii (false); raises on a name
 * that is neither, or utf8 on a string that does not scan as UTF-8. */
static bool escape_encoding(liq_call *c, const char *s, size_t len)
{
  liq_value e = liq_v_base(liq_arg_label(c, "encoding", LIQ_NULL));
  bool scans = liq_utf8_scans(s, len);
  if (e == LIQ_NULL) return scans;
  const char *name = liq_to_str(e, NULL);
  if (strcmp(name, "ascii") == 0) return false;
  if (strcmp(name, "utf8") != 0) liq_eval_raise("invalid", "Encoding should be one of: \"ascii\" or \"utf8\".");
  if (!scans)
    liq_eval_raise("string", "Error while escaping utf8 string. If you are not sure about the string's "
                             "encoding, you should use `\"ascii\"` as this encoding never fails.");
  return true;
}

static liq_value opt_fun(liq_call *c, const char *label)
{
  liq_value f = liq_arg_label(c, label, LIQ_NULL);
  return liq_v_base(f) == LIQ_NULL ? LIQ_NOVALUE : f;
}

/* *acc with sb's bytes appended; sb is emptied and its buffer released,
 * so that nothing is lost if the script function called next raises. */
static void flush_into(liq_value *acc, liq_sb *sb)
{
  if (sb->len == 0) {
    liq_sb_free(sb);
    return;
  }
  size_t al = liq_v_string_len(*acc);
  char *out;
  liq_value n = liq_v_string_new(al + sb->len, &out);
  memcpy(out, liq_v_string_bytes(*acc), al);
  memcpy(out + al, sb->data, sb->len);
  *acc = n;
  liq_sb_free(sb);
}

/* Calls f(~encoding=args[0], args[1] := the character). */
static liq_value call_on_char(liq_value f, liq_value *args, liq_call *c, size_t i, size_t k)
{
  static const char *const labels[] = {"encoding", NULL};
  args[1] = liq_v_string(liq_arg_str(c, 0, NULL) + i, k);
  return liq_eval_apply(f, 2, labels, args);
}

/* prefix, the escaped string argument 0, suffix. Bytes collect in a C
 * buffer between script calls and in a rooted string value across them. */
static liq_value escape_value(liq_call *c, const char *prefix, const char *suffix)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  bool utf8 = escape_encoding(c, s, len);
  liq_value special = opt_fun(c, "special_char"), escape = opt_fun(c, "escape_char");
  liq_value *args = liq_eval_push(liq_v_cstring(utf8 ? "utf8" : "ascii"));
  liq_eval_push(LIQ_UNIT);
  liq_value *acc = liq_eval_push(liq_v_cstring(""));
  liq_sb sb = LIQ_SB_INIT;
  liq_sb_puts(&sb, prefix);
  for (size_t i = 0; i < len;) {
    s = liq_arg_str(c, 0, NULL);
    size_t k = liq_escape_char_len(s, len, i, utf8);
    bool sp;
    if (special != LIQ_NOVALUE) {
      flush_into(acc, &sb);
      sp = liq_v_base(call_on_char(special, args, c, i, k)) == LIQ_TRUE;
    } else {
      sp = liq_escape_is_special(s + i, k, utf8);
    }
    s = liq_arg_str(c, 0, NULL);
    if (!sp) liq_sb_append(&sb, s + i, k);
    else if (escape == LIQ_NOVALUE) liq_escape_char(&sb, s + i, k, utf8);
    else {
      flush_into(acc, &sb);
      size_t el;
      const char *e = liq_to_str(call_on_char(escape, args, c, i, k), &el);
      liq_sb_append(&sb, e, el);
    }
    i += k;
  }
  liq_sb_puts(&sb, suffix);
  flush_into(acc, &sb);
  liq_value r = *acc;
  liq_eval_pop(3);
  return r;
}

LIQ_BUILTIN(b_escape)
{
  return escape_value(c, "", "");
}

LIQ_BUILTIN(b_quote)
{
  return escape_value(c, "\"", "\"");
}

/* string.escape.all: every character escaped, in utf8 (\uXXXX), hex
 * (\xHH per byte) or octal (\OOO per byte); " \ and the controls with a
 * short form keep it. */
LIQ_BUILTIN(b_escape_all)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  const char *format = liq_to_str(liq_arg_label(c, "format", liq_v_cstring("utf8")), NULL);
  bool utf8 = strcmp(format, "utf8") == 0;
  if (!utf8 && strcmp(format, "hex") != 0 && strcmp(format, "octal") != 0)
    liq_eval_raise("invalid", "Format should be one of: `\"octal\"`, `\"hex\"` or `\"utf8\"`.");
  if (utf8 && !liq_utf8_scans(s, len)) liq_eval_raise("string", "invalid utf8");
  liq_sb sb = LIQ_SB_INIT;
  for (size_t i = 0; i < len;) {
    size_t k = liq_escape_char_len(s, len, i, utf8);
    if (k == 1 && liq_escape_short(&sb, (unsigned char)s[i])) {
    } else if (utf8) {
      liq_sb_printf(&sb, "\\u%04X", liq_utf8_code_point(s + i, k));
    } else {
      liq_sb_printf(&sb, format[0] == 'h' ? "\\x%02X" : "\\%03o", (unsigned char)s[i]);
    }
    i += k;
  }
  return liq_v_string_sb(&sb);
}

static int hexval(int ch)
{
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static void put_utf8(liq_sb *sb, unsigned cp)
{
  if (cp < 0x80) liq_sb_putc(sb, (char)cp);
  else if (cp < 0x800) {
    liq_sb_putc(sb, (char)(0xC0 | (cp >> 6)));
    liq_sb_putc(sb, (char)(0x80 | (cp & 0x3F)));
  } else {
    liq_sb_putc(sb, (char)(0xE0 | (cp >> 12)));
    liq_sb_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
    liq_sb_putc(sb, (char)(0x80 | (cp & 0x3F)));
  }
}

LIQ_BUILTIN(b_unescape)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  liq_sb sb = LIQ_SB_INIT;
  for (size_t i = 0; i < len; i++) {
    if (s[i] != '\\' || i + 1 >= len) {
      liq_sb_putc(&sb, s[i]);
      continue;
    }
    char e = s[++i];
    switch (e) {
    case 'n': liq_sb_putc(&sb, '\n'); break;
    case 't': liq_sb_putc(&sb, '\t'); break;
    case 'r': liq_sb_putc(&sb, '\r'); break;
    case 'b': liq_sb_putc(&sb, '\b'); break;
    case 'x':
      if (i + 2 < len + 0 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
        liq_sb_putc(&sb, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
        i += 2;
      } else liq_sb_putc(&sb, 'x');
      break;
    case 'u':
      if (i + 4 < len + 0) {
        unsigned cp = 0;
        int ok = 1;
        for (int k = 1; k <= 4; k++) {
          int h = hexval(s[i + k]);
          if (h < 0) ok = 0;
          else cp = cp * 16 + (unsigned)h;
        }
        if (ok) {
          put_utf8(&sb, cp);
          i += 4;
          break;
        }
      }
      liq_sb_putc(&sb, 'u');
      break;
    default: liq_sb_putc(&sb, e);
    }
  }
  return liq_v_string_sb(&sb);
}

LIQ_BUILTIN(b_nth)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  int64_t i = liq_arg_int(c, 1);
  if (i < 0 || (size_t)i >= len) liq_eval_raise("not_found", "string.nth: index out of bounds");
  return liq_v_int((unsigned char)s[i]);
}

LIQ_BUILTIN(b_char)
{
  char ch = (char)liq_arg_int(c, 0);
  return liq_v_string(&ch, 1);
}

LIQ_BUILTIN(b_make)
{
  int64_t n = liq_arg_int(c, 0);
  int64_t code = liq_to_int(liq_arg_label(c, "char_code", liq_v_int(' ')));
  if (n < 0) n = 0;
  char *out;
  liq_value r = liq_v_string_new((size_t)n, &out);
  memset(out, (int)code, (size_t)n);
  return r;
}

LIQ_BUILTIN(b_match)
{
  size_t plen, len;
  liq_value patv = liq_arg_label(c, "pattern", LIQ_NOVALUE);
  const char *s = liq_arg_str(c, 0, &len);
  const char *pat = liq_to_str(patv, &plen);
  pcre2_code *code = liq_regexp_compile(pat, plen, "");
  int n = liq_regexp_each(code, s, len, 0, NULL, NULL);
  pcre2_code_free(code);
  return liq_v_bool(n > 0);
}

LIQ_BUILTIN(b_extract)
{
  size_t plen, len;
  liq_value patv = liq_arg_label(c, "pattern", LIQ_NOVALUE);
  liq_value *ps = liq_eval_push(liq_arg(c, 0));
  const char *s = liq_to_str(*ps, &len);
  const char *pat = liq_to_str(patv, &plen);
  pcre2_code *code;
  liq_eval_push(liq_regexp_owned(pat, plen, "", &code));
  liq_value r = liq_regexp_groups(code, s, len, 0);
  liq_eval_pop(2);
  return r;
}

/* --- Base64 and URL encoding -------------------------------------------------- */

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

LIQ_BUILTIN(b_base64_encode)
{
  size_t len;
  const unsigned char *s = (const unsigned char *)liq_arg_str(c, 0, &len);
  liq_sb sb = LIQ_SB_INIT;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t n = (uint32_t)s[i] << 16;
    if (i + 1 < len) n |= (uint32_t)s[i + 1] << 8;
    if (i + 2 < len) n |= s[i + 2];
    liq_sb_putc(&sb, b64_alphabet[n >> 18]);
    liq_sb_putc(&sb, b64_alphabet[(n >> 12) & 63]);
    liq_sb_putc(&sb, i + 1 < len ? b64_alphabet[(n >> 6) & 63] : '=');
    liq_sb_putc(&sb, i + 2 < len ? b64_alphabet[n & 63] : '=');
  }
  return liq_v_string_sb(&sb);
}

/* As 2.1.3: groups of four characters, each '=' (worth 0) dropping one
 * byte of its group; an incomplete last group is ignored; any other
 * character outside the alphabet is an error. */
LIQ_BUILTIN(b_base64_decode)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  for (size_t i = 0; i < len; i++)
    if (s[i] != '=' && (s[i] == 0 || !strchr(b64_alphabet, s[i])))
      liq_eval_raise("invalid", "Invalid base64 string!");
  liq_sb sb = LIQ_SB_INIT;
  for (size_t i = 0; i + 4 <= len; i += 4) {
    uint32_t n = 0;
    int pad = 0;
    for (int k = 0; k < 4; k++) {
      char ch = s[i + k];
      n <<= 6;
      if (ch == '=') pad++;
      else n |= (uint32_t)(strchr(b64_alphabet, ch) - b64_alphabet);
    }
    char out[3] = {(char)(n >> 16), (char)(n >> 8), (char)n};
    liq_sb_append(&sb, out, (size_t)(3 - (pad > 3 ? 3 : pad)));
  }
  return liq_v_string_sb(&sb);
}

/* url.encode: letters, digits and _ . - * stay; a space becomes + (plus)
 * or %20; every other byte %XX. url.decode: the reverse, + read as a space
 * when plus; a % not followed by two hex digits is an error. */
static liq_value url_code(liq_call *c, bool decode)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  bool plus = liq_v_base(liq_arg_label(c, "plus", LIQ_TRUE)) == LIQ_TRUE;
  liq_sb sb = LIQ_SB_INIT;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (!decode) {
      if (isalnum(ch) || (ch && strchr("_.-*", ch))) liq_sb_putc(&sb, (char)ch);
      else if (ch == ' ' && plus) liq_sb_putc(&sb, '+');
      else liq_sb_printf(&sb, "%%%02X", ch);
    } else if (ch == '+' && plus) liq_sb_putc(&sb, ' ');
    else if (ch != '%') liq_sb_putc(&sb, (char)ch);
    else if (i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      liq_sb_putc(&sb, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
      i += 2;
    } else {
      liq_sb_free(&sb);
      liq_eval_raise("invalid", "url.decode: invalid percent-encoding");
    }
  }
  return liq_v_string_sb(&sb);
}

LIQ_BUILTIN(b_url_encode)
{
  return url_code(c, false);
}

LIQ_BUILTIN(b_url_decode)
{
  return url_code(c, true);
}

/* --- Conversions ------------------------------------------------------------- */

LIQ_BUILTIN(b_int_of_string)
{
  const char *s = liq_arg_str(c, 0, NULL);
  liq_value def = liq_arg_label(c, "default", liq_v_int(0));
  while (isspace((unsigned char)*s)) s++;
  char *end;
  errno = 0;
  long long v;
  int neg = 0;
  const char *p = s;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) v = strtoll(p + 2, &end, 16);
  else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) v = strtoll(p + 2, &end, 8);
  else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) v = strtoll(p + 2, &end, 2);
  else v = strtoll(p, &end, 10);
  if (end == p || *end || errno) return def;
  return liq_v_int(neg ? -v : v);
}

LIQ_BUILTIN(b_float_of_string)
{
  const char *s = liq_arg_str(c, 0, NULL);
  liq_value def = liq_arg_label(c, "default", liq_v_float(0.0));
  char *end;
  double v = strtod(s, &end);
  if (end == s || *end) return def;
  return liq_v_float(v);
}

LIQ_BUILTIN(b_bool_of_string)
{
  const char *s = liq_arg_str(c, 0, NULL);
  if (strcmp(s, "true") == 0) return LIQ_TRUE;
  if (strcmp(s, "false") == 0) return LIQ_FALSE;
  return liq_arg_label(c, "default", LIQ_FALSE);
}

LIQ_BUILTIN(b_string_of_float)
{
  double f = liq_arg_float(c, 0);
  liq_value dp = liq_v_base(liq_arg_label(c, "decimal_places", LIQ_NULL));
  liq_sb sb = LIQ_SB_INIT;
  if (dp != LIQ_NULL) liq_sb_printf(&sb, "%.*f", (int)liq_to_int(dp), f);
  else liq_value_print_float(&sb, f);
  return liq_v_string_sb(&sb);
}

LIQ_BUILTIN(b_float_of_int)
{
  return liq_v_float((double)liq_arg_int(c, 0));
}

/* Truncation toward zero; nan and floats beyond the int range give 0
 * (2.1.3 prints 0 for int(nan) and int(1e28)). */
static liq_value float_to_int(double f)
{
  if (isnan(f) || f >= 9.3e18 || f <= -9.3e18) return liq_v_int(0);
  return liq_v_int((int64_t)f);
}

LIQ_BUILTIN(b_int_of_float)
{
  return float_to_int(liq_arg_float(c, 0));
}

/* int and float take any number: an int or a float. */
LIQ_BUILTIN(b_int)
{
  liq_value v = liq_v_base(liq_arg(c, 0));
  return liq_is_int(v) ? v : float_to_int(liq_arg_float(c, 0));
}

LIQ_BUILTIN(b_float)
{
  return liq_v_float(liq_arg_float(c, 0));
}

static const liq_builtin_def string_defs[] = {
  {"string.length", "(string) -> int", "Return the length of the string (in bytes).", "String", b_length},
  {"string.sub", "(string, start : int, length : int) -> string", "Return a sub string; \"\" when out of bounds.", "String", b_sub},
  {"string.concat", "(?separator : string, [string]) -> string", "Concatenate strings.", "String", b_concat},
  {"string.split", "(separator : string, string) -> [string]", "Split a string at 'separator' (a regular expression).", "String", b_split},
  {"string.replace", "(pattern : string, ((string) -> string), string) -> string", "Replace substrings matching a regular expression.", "String", b_replace},
  {"string.contains", "(?prefix : string, ?substring : string, ?suffix : string, string) -> bool", "Test whether a string contains a prefix, a substring and/or a suffix.", "String", b_contains},
  {"string.trim", "(string) -> string", "Return a string without leading and trailing whitespace.", "String", b_trim},
  {"string.case", "(?lower : bool, string) -> string", "Convert a string to lower or upper case.", "String", b_case},
  {"string.capitalize", "(?capitalize : bool, ?space_sensitive : bool, string) -> string", "Capitalize or uncapitalize the words of a string.", "String", b_capitalize},
  {"string.escape", "(?special_char : ((encoding : string, string) -> bool)?, ?escape_char : ((encoding : string, string) -> string)?, ?encoding : string?, string) -> string",
   "Escape special characters in a string. By default, the string is assumed to be \"utf8\" encoded "
   "(\"ascii\" when it is not valid UTF-8) and is escaped following JSON and javascript specification.",
   "String", b_escape},
  {"string.escape.all", "(?format : string, string) -> string",
   "Escape each character in the given string using a specific escape sequence: \"utf8\" (default), \"hex\" or \"octal\".",
   "String", b_escape_all},
  {"string.quote", "(?encoding : string?, string) -> string",
   "Return a quoted copy of the given string (escaped as string.escape does).", "String", b_quote},
  {"string.unescape", "(string) -> string", "Unescape a string.", "String", b_unescape},
  {"string.base64.encode", "(string) -> string", "Encode a string in Base64.", "String", b_base64_encode},
  {"string.base64.decode", "(string) -> string", "Decode a Base64 encoded string.", "String", b_base64_decode},
  {"url.encode", "(?plus : bool, string) -> string", "Encode an url (e.g. \" \" becomes \"%20\", or \"+\" when plus is true).", "String", b_url_encode},
  {"url.decode", "(?plus : bool, string) -> string", "Decode an encoded url (e.g. \"%20\" becomes \" \", and \"+\" too when plus is true).", "String", b_url_decode},
  {"string.nth", "(string, int) -> int", "The code of the n-th byte of a string.", "String", b_nth},
  {"string.char", "(int) -> string", "A string of one byte.", "String", b_char},
  {"string.make", "(?char_code : int, int) -> string", "A string of n copies of a byte.", "String", b_make},
  {"string.match", "(pattern : string, string) -> bool", "Match a string with a regular expression.", "String", b_match},
  {"string.extract", "(pattern : string, string) -> [(int * string)]", "Extract the groups of a regular expression match.", "String", b_extract},
  {"int_of_string", "(?default : int, string) -> int", "Convert a string to an int.", "String", b_int_of_string},
  {"float_of_string", "(?default : float, string) -> float", "Convert a string to a float.", "String", b_float_of_string},
  {"bool_of_string", "(?default : bool, string) -> bool", "Convert a string to a bool.", "String", b_bool_of_string},
  {"string_of_float", "(?decimal_places : int?, float) -> string", "String representation of a float.", "String", b_string_of_float},
  {"float_of_int", "(int) -> float", "Convert an int to a float.", "Math", b_float_of_int},
  {"int_of_float", "(float) -> int", "Convert a float to an int.", "Math", b_int_of_float},
  {"int", "('a) -> int where 'a is a number type", "Convert a number to an integer.", "Math", b_int},
  {"float", "('a) -> float where 'a is a number type", "Convert a number to a float.", "Math", b_float},
};

const liq_lib_module liq_lib_string = {"string", string_defs, LIQ_NELEMS(string_defs), NULL, NULL};
