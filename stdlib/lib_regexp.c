/* lib_regexp: regular expressions on PCRE2. A regexp value is a custom
 * block (the compiled pattern) carrying the methods replace, exec, split and
 * test, printed as r/pattern/flags like Liquidsoap 2.1.3. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "stdlib/lib_regexp.h"
#include "runtime/mem.h"

typedef struct {
  pcre2_code *code;
  char *pattern;
  size_t len;
  char flags[8];
  int global;
} re_payload;

static void re_finalize(void *p)
{
  re_payload *r = p;
  if (r->code) pcre2_code_free(r->code);
  liq_mem_free(r->pattern);
}

static void re_print(void *p, liq_sb *sb)
{
  re_payload *r = p;
  liq_sb_puts(sb, "r/");
  liq_sb_append(sb, r->pattern, r->len);
  liq_sb_putc(sb, '/');
  liq_sb_puts(sb, r->flags);
}

static const liq_custom_ops re_ops = {"regexp", NULL, re_finalize, re_print};

pcre2_code *liq_regexp_compile(const char *pat, size_t len, const char *flags)
{
  uint32_t opts = PCRE2_UTF;
  for (const char *f = flags; f && *f; f++) {
    if (*f == 'i') opts |= PCRE2_CASELESS;
    else if (*f == 'm') opts |= PCRE2_MULTILINE;
    else if (*f == 's') opts |= PCRE2_DOTALL;
    else if (*f == 'x') opts |= PCRE2_EXTENDED;
  }
  int err;
  PCRE2_SIZE off;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, len, opts, &err, &off, NULL);
  if (!code) {
    /* Retry without UTF for byte patterns. */
    code = pcre2_compile((PCRE2_SPTR)pat, len, opts & ~PCRE2_UTF, &err, &off, NULL);
  }
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    liq_eval_raise("string", "invalid regular expression: %s", (char *)msg);
  }
  return code;
}

/* Calls cb for each match (all of them when global). Returns the number of
 * matches; ov receives the ovector of the last match. */
int liq_regexp_each(pcre2_code *code, const char *s, size_t len, int global,
                    void (*cb)(void *ud, const char *s, PCRE2_SIZE *ov, int n), void *ud)
{
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  size_t start = 0;
  int count = 0;
  while (start <= len) {
    int rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, 0, md, NULL);
    if (rc < 0) break;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    count++;
    if (cb) cb(ud, s, ov, rc);
    if (!global) break;
    start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
  }
  pcre2_match_data_free(md);
  return count;
}

static re_payload *re_of(liq_value v)
{
  v = liq_v_base(v);
  if (liq_value_kind(v) != LIQ_K_CUSTOM || liq_gc_custom_ops(v) != &re_ops)
    liq_eval_raise("invalid", "expected a regexp");
  return liq_gc_custom_payload(v);
}

static liq_value m_test(liq_call *c, liq_value self)
{
  size_t len;
  const char *s = liq_arg_str(c, 0, &len);
  return liq_v_bool(liq_regexp_each(re_of(self)->code, s, len, 0, NULL, NULL) > 0);
}

/* exec: the groups of the first match as (index, substring), like 2.1.3
 * (index 0, the whole match, and unmatched groups are left out). */
typedef struct { PCRE2_SIZE ov[64]; int n; } first_match;
static void keep_first(void *ud, const char *s, PCRE2_SIZE *ov, int n)
{
  (void)s;
  first_match *m = ud;
  m->n = n > 32 ? 32 : n;
  memcpy(m->ov, ov, (size_t)m->n * 2 * sizeof(PCRE2_SIZE));
}

liq_value liq_regexp_groups(pcre2_code *code, const char *s, size_t len, int with_whole)
{
  first_match m = {{0}, 0};
  if (!liq_regexp_each(code, s, len, 0, keep_first, &m)) return LIQ_NIL;
  liq_value *acc = liq_eval_push(LIQ_NIL);
  for (int i = m.n - 1; i >= (with_whole ? 0 : 1); i--) {
    if (m.ov[2 * i] == PCRE2_UNSET) continue;
    liq_value *str = liq_eval_push(liq_v_string(s + m.ov[2 * i], m.ov[2 * i + 1] - m.ov[2 * i]));
    liq_value items[2] = {liq_v_int(i), *str};
    *str = liq_v_tuple(2, items);
    *acc = liq_v_cons(*str, *acc);
    liq_eval_pop(1);
  }
  liq_value r = *acc;
  liq_eval_pop(1);
  return r;
}

static liq_value m_exec(liq_call *c, liq_value self)
{
  liq_value *ps = liq_eval_push(liq_arg(c, 0));
  size_t len;
  const char *s = liq_to_str(*ps, &len);
  /* Copy: s must stay valid while allocating (strings do not move, and *ps
   * keeps it alive). */
  liq_value r = liq_regexp_groups(re_of(self)->code, s, len, 0);
  liq_eval_pop(1);
  return r;
}

/* replace(f, s) and split(s) collect match offsets first, then build. */
typedef struct { size_t *offs; size_t n, cap; } spans;
static void collect(void *ud, const char *s, PCRE2_SIZE *ov, int n)
{
  (void)s;
  (void)n;
  spans *sp = ud;
  if (sp->n + 2 > sp->cap) {
    sp->cap = sp->cap ? sp->cap * 2 : 16;
    sp->offs = liq_mem_realloc(sp->offs, sp->cap * sizeof(size_t));
  }
  sp->offs[sp->n++] = ov[0];
  sp->offs[sp->n++] = ov[1];
}

liq_value liq_regexp_replace(pcre2_code *code, int global, liq_value f, liq_value str)
{
  liq_value *pf = liq_eval_push(f);
  liq_value *ps = liq_eval_push(str);
  size_t len;
  const char *s = liq_to_str(*ps, &len);
  spans sp = {NULL, 0, 0};
  liq_regexp_each(code, s, len, global, collect, &sp);
  /* Evaluate the replacements (they may raise: free sp first on that path
   * by keeping the offsets on the root stack as ints). */
  size_t n = sp.n / 2;
  liq_value *base = liq_eval_push(LIQ_UNIT);
  liq_eval_pop(1);
  for (size_t i = 0; i < sp.n; i++) liq_eval_push(liq_v_int((int64_t)sp.offs[i]));
  liq_mem_free(sp.offs);
  for (size_t i = 0; i < n; i++) {
    s = liq_to_str(*ps, &len);
    size_t a = (size_t)liq_v_int_val(base[2 * i]), b = (size_t)liq_v_int_val(base[2 * i + 1]);
    liq_value *m = liq_eval_push(liq_v_string(s + a, b - a));
    liq_value rep = liq_eval_call1(*pf, *m);
    liq_eval_pop(1);
    liq_eval_push(rep);
  }
  liq_sb sb = LIQ_SB_INIT;
  s = liq_to_str(*ps, &len);
  size_t pos = 0;
  for (size_t i = 0; i < n; i++) {
    size_t a = (size_t)liq_v_int_val(base[2 * i]), b = (size_t)liq_v_int_val(base[2 * i + 1]);
    liq_sb_append(&sb, s + pos, a - pos);
    size_t rl;
    const char *r = liq_to_str(base[2 * n + i], &rl);
    liq_sb_append(&sb, r, rl);
    pos = b;
  }
  liq_sb_append(&sb, s + pos, len - pos);
  liq_value r = liq_v_string(sb.data ? sb.data : "", sb.len);
  liq_sb_free(&sb);
  liq_eval_pop((int)(3 * n) + 2);
  return r;
}

liq_value liq_regexp_split(pcre2_code *code, liq_value str)
{
  liq_value *ps = liq_eval_push(str);
  size_t len;
  const char *s = liq_to_str(*ps, &len);
  spans sp = {NULL, 0, 0};
  liq_regexp_each(code, s, len, 1, collect, &sp);
  size_t n = sp.n / 2, pos = 0;
  liq_value *base = liq_eval_push(LIQ_UNIT);
  liq_eval_pop(1);
  size_t k = 0, pushed = 0;
  for (size_t i = 0; i <= n; i++) {
    size_t a = i < n ? sp.offs[2 * i] : len;
    size_t b = i < n ? sp.offs[2 * i + 1] : len;
    if (i < n && b == a && a == 0) continue; /* empty match at start */
    s = liq_v_string_bytes(*ps);
    liq_value piece = liq_v_string(s + pos, a - pos);
    liq_eval_push(piece);
    k++;
    pushed++;
    pos = b;
  }
  liq_mem_free(sp.offs);
  /* 2.1.3 drops a trailing empty piece (OCaml Pcre.split). */
  if (k > 0 && liq_v_string_len(base[k - 1]) == 0) k--;
  liq_value r = liq_v_list(k, base);
  liq_eval_pop((int)pushed + 1);
  return r;
}

static liq_value m_replace(liq_call *c, liq_value self)
{
  re_payload *r = re_of(self);
  return liq_regexp_replace(r->code, r->global, liq_arg(c, 0), liq_arg(c, 1));
}

static liq_value m_split(liq_call *c, liq_value self)
{
  return liq_regexp_split(re_of(self)->code, liq_arg(c, 0));
}

liq_value liq_regexp_owned(const char *pat, size_t len, const char *flags, pcre2_code **code)
{
  liq_value v = liq_gc_custom_new(&re_ops, sizeof(re_payload), len + 256);
  re_payload *r = liq_gc_custom_payload(v);
  /* Compiled after the allocation: a failed compilation raises before the
   * code exists, and the block's finalizer accepts a NULL code. */
  r->pattern = liq_mem_strndup(pat, len);
  r->len = len;
  snprintf(r->flags, sizeof r->flags, "%s", flags ? flags : "");
  r->global = flags && strchr(flags, 'g') != NULL;
  r->code = liq_regexp_compile(pat, len, flags);
  *code = r->code;
  return v;
}

liq_value liq_lib_regexp_new(const char *pat, size_t len, const char *flags)
{
  pcre2_code *code;
  liq_value *v = liq_eval_push(liq_regexp_owned(pat, len, flags, &code));
  static const char *const names[4] = {"replace", "exec", "split", "test"};
  static const liq_builtin_fn fns[4] = {m_replace, m_exec, m_split, m_test};
  for (int i = 0; i < 4; i++) {
    liq_sym sym = liq_sym_permanent(names[i]); /* may collect: before b */
    liq_value b = liq_v_builtin(fns[i], names[i], liq_v_base(*v));
    *v = liq_v_meth_add(*v, sym, b);
  }
  liq_value res = *v;
  liq_eval_pop(1);
  return res;
}

LIQ_BUILTIN(b_regexp)
{
  size_t len;
  const char *pat = liq_arg_str(c, 0, &len);
  char flags[8] = "";
  size_t nf = 0;
  for (liq_value l = liq_v_base(liq_arg_label(c, "flags", LIQ_NIL)); l != LIQ_NIL; l = liq_v_tail(l)) {
    const char *f = liq_to_str(liq_v_head(l), NULL);
    if (nf < sizeof flags - 1 && f[0]) flags[nf++] = f[0];
  }
  flags[nf] = 0;
  char *copy = liq_mem_strndup(pat, len);
  /* copy: the pattern string may be collected during allocation */
  liq_value r = liq_lib_regexp_new(copy, len, flags);
  liq_mem_free(copy);
  return r;
}

static const liq_builtin_def regexp_defs[] = {
  {"regexp", "(?flags : [string], string) -> regexp.{exec : (string) -> [(int * string)], replace : (((string) -> string), string) -> string, split : (string) -> [string], test : (string) -> bool}", "Create a regular expression (PCRE2). Flags: g (global replace), i, m, s, x.", "String", b_regexp},
};

const liq_lib_module liq_lib_regexp = {"regexp", regexp_defs, LIQ_NELEMS(regexp_defs), NULL, NULL};
