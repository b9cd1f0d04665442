/* lib_json: json.stringify and the typed parser behind `let json.parse`.
 *
 * Stringify follows 2.1.3's output: records are objects (fields listed
 * from the last added, as 2.1.3 prints them), tuples and lists arrays,
 * [(string * 'a)] lists stay arrays of pairs, null is null, unit is [].
 *
 * Parsing needs the target type. Until the type checker is wired in
 * (liq_ast.type), the type comes from the binding's annotation:
 * `let json.parse (x : {a : int}) = s`. Without one, the evaluator raises a
 * clear error (see eval.c). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "runtime/mem.h"

/* --- Stringify ---------------------------------------------------------------- */

static void json_string(liq_sb *sb, const char *s, size_t len)
{
  liq_sb_putc(sb, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    switch (ch) {
    case '"': liq_sb_puts(sb, "\\\""); break;
    case '\\': liq_sb_puts(sb, "\\\\"); break;
    case '\n': liq_sb_puts(sb, "\\n"); break;
    case '\t': liq_sb_puts(sb, "\\t"); break;
    case '\r': liq_sb_puts(sb, "\\r"); break;
    case '\b': liq_sb_puts(sb, "\\b"); break;
    case '\f': liq_sb_puts(sb, "\\f"); break;
    default:
      if (ch < 0x20) liq_sb_printf(sb, "\\u%04x", ch);
      else liq_sb_putc(sb, (char)ch);
    }
  }
  liq_sb_putc(sb, '"');
}

static void json_float(liq_sb *sb, double d)
{
  if (isnan(d) || isinf(d)) {
    liq_sb_puts(sb, "null");
    return;
  }
  char buf[64];
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, d);
    if (strtod(buf, NULL) == d) break;
  }
  liq_sb_puts(sb, buf);
  if (!strpbrk(buf, ".eE")) liq_sb_puts(sb, ".0");
}

static void indent(liq_sb *sb, int n)
{
  for (int i = 0; i < n; i++) liq_sb_puts(sb, "  ");
}

static void stringify(liq_sb *sb, liq_value v, bool compact, int depth)
{
  if (liq_v_is_record(v)) {
    size_t n = liq_v_meths_count(v);
    liq_sb_putc(sb, '{');
    for (size_t k = n; k > 0; k--) {
      size_t i = k - 1;
      if (!compact) {
        liq_sb_putc(sb, '\n');
        indent(sb, depth + 1);
      }
      json_string(sb, liq_sym_name(liq_v_meth_name_at(v, i)), liq_sym_len(liq_v_meth_name_at(v, i)));
      liq_sb_puts(sb, compact ? ":" : ": ");
      stringify(sb, liq_v_meth_value_at(v, i), compact, depth + 1);
      if (i > 0) liq_sb_putc(sb, ',');
    }
    if (!compact && n > 0) {
      liq_sb_putc(sb, '\n');
      indent(sb, depth);
    }
    liq_sb_putc(sb, '}');
    return;
  }
  v = liq_v_base(v);
  switch (liq_value_kind(v)) {
  case LIQ_K_INT: liq_sb_printf(sb, "%lld", (long long)liq_v_int_val(v)); return;
  case LIQ_K_FLOAT: json_float(sb, liq_v_float_val(v)); return;
  case LIQ_K_BOOL: liq_sb_puts(sb, v == LIQ_TRUE ? "true" : "false"); return;
  case LIQ_K_NULL: liq_sb_puts(sb, "null"); return;
  case LIQ_K_UNIT: liq_sb_puts(sb, "[]"); return;
  case LIQ_K_STRING: json_string(sb, liq_v_string_bytes(v), liq_v_string_len(v)); return;
  case LIQ_K_TUPLE:
  case LIQ_K_LIST: {
    bool tuple = liq_value_kind(v) == LIQ_K_TUPLE;
    size_t n = tuple ? liq_v_tuple_len(v) : liq_v_list_length(v);
    if (n == 0) {
      liq_sb_puts(sb, "[]");
      return;
    }
    liq_sb_puts(sb, compact ? "[" : "[ ");
    liq_value cur = v;
    for (size_t i = 0; i < n; i++) {
      liq_value x;
      if (tuple) x = liq_v_tuple_get(v, i);
      else {
        x = liq_v_head(cur);
        cur = liq_v_tail(cur);
      }
      if (i > 0) liq_sb_puts(sb, compact ? "," : ", ");
      stringify(sb, x, compact, depth);
    }
    liq_sb_puts(sb, compact ? "]" : " ]");
    return;
  }
  default:
    liq_eval_raise("json", "json.stringify: value cannot be represented in JSON");
  }
}

/* One-line pretty form: {"a": 1} with spaces, as 2.1.3 prints objects
 * that fit on a line. */
static void oneline(liq_sb *sb, const char *compact, size_t len)
{
  int instr = 0;
  for (size_t i = 0; i < len; i++) {
    char ch = compact[i];
    liq_sb_putc(sb, ch);
    if (instr) {
      if (ch == '\\' && i + 1 < len) liq_sb_putc(sb, compact[++i]);
      else if (ch == '"') instr = 0;
      continue;
    }
    if (ch == '"') instr = 1;
    else if (ch == ',' || ch == ':') liq_sb_putc(sb, ' ');
    else if ((ch == '{' || ch == '[') && i + 1 < len && compact[i + 1] != '}' && compact[i + 1] != ']')
      liq_sb_putc(sb, ' ');
    if (i + 1 < len && (compact[i + 1] == '}' || compact[i + 1] == ']') && ch != '{' && ch != '[')
      liq_sb_putc(sb, ' ');
  }
}

LIQ_BUILTIN(b_stringify)
{
  bool compact = liq_v_base(liq_arg_label(c, "compact", LIQ_FALSE)) == LIQ_TRUE;
  liq_sb sb = LIQ_SB_INIT;
  /* stringify raises only before appending anything problematic; the
   * buffer leaks on that path: TODO(leak) use an arena. */
  stringify(&sb, liq_arg(c, 0), compact, 0);
  if (!compact && sb.len > 0 && sb.data[0] == '{') {
    /* Short objects fit on one line (2.1.3's Format margin, approximated:
     * TODO(format) match OCaml's box layout exactly). */
    liq_sb flat = LIQ_SB_INIT, one = LIQ_SB_INIT;
    stringify(&flat, liq_arg(c, 0), true, 0);
    oneline(&one, flat.data, flat.len);
    liq_sb_free(&flat);
    if (one.len <= 70) {
      liq_sb_free(&sb);
      sb = one;
    } else liq_sb_free(&one);
  }
  liq_value r = liq_v_string(sb.data ? sb.data : "", sb.len);
  liq_sb_free(&sb);
  return r;
}

/* --- Parsing -------------------------------------------------------------------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jkind;
typedef struct jnode {
  jkind kind;
  int b;
  double num;
  int is_int;
  long long i;
  char *s; size_t len;             /* string, or object key */
  struct jnode **items; size_t n;  /* array items / object values */
  char **keys; size_t *keylens;
} jnode;

typedef struct { const char *p, *end; const char *err; } jparser;

static void jfree(jnode *j)
{
  if (!j) return;
  for (size_t i = 0; i < j->n; i++) {
    jfree(j->items[i]);
    if (j->keys) liq_mem_free(j->keys[i]);
  }
  liq_mem_free(j->items);
  liq_mem_free(j->keys);
  liq_mem_free(j->keylens);
  liq_mem_free(j->s);
  liq_mem_free(j);
}

static void ws(jparser *p)
{
  while (p->p < p->end && (*p->p == ' ' || *p->p == '\n' || *p->p == '\t' || *p->p == '\r')) p->p++;
}

static jnode *jvalue(jparser *p, int depth);

static char *jstr(jparser *p, size_t *len)
{
  liq_sb sb = LIQ_SB_INIT;
  p->p++;
  while (p->p < p->end && *p->p != '"') {
    char ch = *p->p++;
    if (ch == '\\' && p->p < p->end) {
      char e = *p->p++;
      switch (e) {
      case 'n': liq_sb_putc(&sb, '\n'); break;
      case 't': liq_sb_putc(&sb, '\t'); break;
      case 'r': liq_sb_putc(&sb, '\r'); break;
      case 'b': liq_sb_putc(&sb, '\b'); break;
      case 'f': liq_sb_putc(&sb, '\f'); break;
      case 'u': {
        unsigned cp = 0;
        for (int k = 0; k < 4 && p->p < p->end; k++) {
          char h = *p->p++;
          cp = cp * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
        }
        if (cp < 0x80) liq_sb_putc(&sb, (char)cp);
        else if (cp < 0x800) {
          liq_sb_putc(&sb, (char)(0xC0 | (cp >> 6)));
          liq_sb_putc(&sb, (char)(0x80 | (cp & 0x3F)));
        } else {
          liq_sb_putc(&sb, (char)(0xE0 | (cp >> 12)));
          liq_sb_putc(&sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
          liq_sb_putc(&sb, (char)(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default: liq_sb_putc(&sb, e);
      }
    } else liq_sb_putc(&sb, ch);
  }
  if (p->p >= p->end) p->err = "unterminated string";
  else p->p++;
  *len = sb.len;
  char *r = sb.data ? liq_sb_take(&sb) : liq_mem_strdup("");
  return r;
}

static void jpush(jnode *j, jnode *x, char *key, size_t keylen, size_t *cap)
{
  if (j->n == *cap) {
    *cap = *cap ? *cap * 2 : 4;
    j->items = liq_mem_realloc(j->items, *cap * sizeof(jnode *));
    if (j->kind == J_OBJ) {
      j->keys = liq_mem_realloc(j->keys, *cap * sizeof(char *));
      j->keylens = liq_mem_realloc(j->keylens, *cap * sizeof(size_t));
    }
  }
  if (j->kind == J_OBJ) {
    j->keys[j->n] = key;
    j->keylens[j->n] = keylen;
  }
  j->items[j->n++] = x;
}

static jnode *jvalue(jparser *p, int depth)
{
  ws(p);
  if (p->p >= p->end) {
    p->err = "unexpected end of input";
    return NULL;
  }
  if (depth > 1000) {
    p->err = "nesting too deep";
    return NULL;
  }
  jnode *j = liq_mem_calloc(1, sizeof *j);
  char ch = *p->p;
  if (ch == '{' || ch == '[') {
    j->kind = ch == '{' ? J_OBJ : J_ARR;
    char close = ch == '{' ? '}' : ']';
    size_t cap = 0;
    p->p++;
    ws(p);
    if (p->p < p->end && *p->p == close) {
      p->p++;
      return j;
    }
    for (;;) {
      char *key = NULL;
      size_t keylen = 0;
      if (j->kind == J_OBJ) {
        ws(p);
        if (p->p >= p->end || *p->p != '"') { p->err = "expected a key"; break; }
        key = jstr(p, &keylen);
        ws(p);
        if (p->p >= p->end || *p->p != ':') { liq_mem_free(key); p->err = "expected ':'"; break; }
        p->p++;
      }
      jnode *x = jvalue(p, depth + 1);
      if (!x) { liq_mem_free(key); break; }
      jpush(j, x, key, keylen, &cap);
      ws(p);
      if (p->p < p->end && *p->p == ',') { p->p++; continue; }
      if (p->p < p->end && *p->p == close) { p->p++; return j; }
      p->err = "expected ',' or a closing bracket";
      break;
    }
    jfree(j);
    return NULL;
  }
  if (ch == '"') {
    j->kind = J_STR;
    j->s = jstr(p, &j->len);
    return j;
  }
  if (!strncmp(p->p, "true", 4) || !strncmp(p->p, "false", 5)) {
    j->kind = J_BOOL;
    j->b = p->p[0] == 't';
    p->p += j->b ? 4 : 5;
    return j;
  }
  if (!strncmp(p->p, "null", 4)) {
    j->kind = J_NULL;
    p->p += 4;
    return j;
  }
  char *end;
  j->kind = J_NUM;
  j->num = strtod(p->p, &end);
  if (end == p->p) {
    p->err = "invalid JSON value";
    jfree(j);
    return NULL;
  }
  j->is_int = 1;
  for (const char *q = p->p; q < end; q++)
    if (*q == '.' || *q == 'e' || *q == 'E') j->is_int = 0;
  if (j->is_int) j->i = strtoll(p->p, NULL, 10);
  p->p = end;
  return j;
}

/* Converts with the type; on mismatch sets *err (a static message). */
static liq_value convert(const jnode *j, const liq_ast_type *t, const char **err);

static liq_value generic(const jnode *j, const char **err)
{
  switch (j->kind) {
  case J_NULL: return LIQ_NULL;
  case J_BOOL: return liq_v_bool(j->b);
  case J_NUM: return j->is_int ? liq_v_int(j->i) : liq_v_float(j->num);
  case J_STR: return liq_v_string(j->s, j->len);
  case J_ARR: {
    size_t base_n = j->n;
    liq_value *first = liq_eval_push(LIQ_UNIT);
    liq_eval_pop(1);
    for (size_t i = 0; i < base_n; i++) {
      liq_value x = generic(j->items[i], err);
      liq_eval_push(x);
    }
    liq_value r = liq_v_list(base_n, first);
    liq_eval_pop((int)base_n);
    return r;
  }
  case J_OBJ: {
    liq_value *acc = liq_eval_push(LIQ_UNIT);
    for (size_t i = 0; i < j->n; i++) {
      liq_value *x = liq_eval_push(generic(j->items[i], err));
      liq_sym s = liq_sym_intern(j->keys[i], j->keylens[i]);
      *acc = liq_v_meth_add(*acc, s, *x);
      liq_eval_pop(1);
    }
    liq_value r = *acc;
    liq_eval_pop(1);
    return r;
  }
  }
  return LIQ_UNIT;
}

static const jnode *obj_get(const jnode *j, const char *key)
{
  size_t kl = strlen(key);
  for (size_t i = 0; i < j->n; i++)
    if (j->keylens[i] == kl && memcmp(j->keys[i], key, kl) == 0) return j->items[i];
  return NULL;
}

static liq_value convert(const jnode *j, const liq_ast_type *t, const char **err)
{
  if (*err) return LIQ_UNIT;
  switch (t->kind) {
  case LIQ_TY_VAR:
  case LIQ_TY_WILD: return generic(j, err);
  case LIQ_TY_NULLABLE:
    if (j->kind == J_NULL) return LIQ_NULL;
    return convert(j, t->u.nullable.inner, err);
  case LIQ_TY_NAME: {
    const char *n = t->u.name.name;
    if (!strcmp(n, "int") && j->kind == J_NUM && j->is_int) return liq_v_int(j->i);
    if (!strcmp(n, "float") && j->kind == J_NUM) return liq_v_float(j->num);
    if (!strcmp(n, "string") && j->kind == J_STR) return liq_v_string(j->s, j->len);
    if (!strcmp(n, "bool") && j->kind == J_BOOL) return liq_v_bool(j->b);
    if (!strcmp(n, "unit")) return LIQ_UNIT;
    *err = n;
    return LIQ_UNIT;
  }
  case LIQ_TY_LIST: {
    if (t->u.list.json_object) {
      if (j->kind != J_OBJ) { *err = "object"; return LIQ_UNIT; }
      const liq_ast_type *pt = t->u.list.elem;
      const liq_ast_type *vt = pt->kind == LIQ_TY_TUPLE && pt->u.tuple.nitems == 2 ? pt->u.tuple.items[1] : pt;
      liq_value *first = liq_eval_push(LIQ_UNIT);
      liq_eval_pop(1);
      for (size_t i = 0; i < j->n; i++) {
        liq_value *k = liq_eval_push(liq_v_string(j->keys[i], j->keylens[i]));
        liq_value *v = liq_eval_push(convert(j->items[i], vt, err));
        liq_value items[2] = {*k, *v};
        *k = liq_v_tuple(2, items);
        liq_eval_pop(1);
      }
      liq_value r = liq_v_list(j->n, first);
      liq_eval_pop((int)j->n);
      return r;
    }
    if (j->kind != J_ARR) { *err = "array"; return LIQ_UNIT; }
    liq_value *first = liq_eval_push(LIQ_UNIT);
    liq_eval_pop(1);
    for (size_t i = 0; i < j->n; i++) {
      liq_value x = convert(j->items[i], t->u.list.elem, err);
      liq_eval_push(x);
    }
    liq_value r = liq_v_list(j->n, first);
    liq_eval_pop((int)j->n);
    return r;
  }
  case LIQ_TY_TUPLE: {
    if (j->kind != J_ARR || j->n < (size_t)t->u.tuple.nitems) { *err = "tuple"; return LIQ_UNIT; }
    liq_value *first = liq_eval_push(LIQ_UNIT);
    liq_eval_pop(1);
    int n = t->u.tuple.nitems;
    for (int i = 0; i < n; i++) {
      liq_value x = convert(j->items[i], t->u.tuple.items[i], err);
      liq_eval_push(x);
    }
    liq_value r = liq_v_tuple((size_t)n, first);
    liq_eval_pop(n);
    return r;
  }
  case LIQ_TY_RECORD:
  case LIQ_TY_METH: {
    if (j->kind != J_OBJ) { *err = "object"; return LIQ_UNIT; }
    const liq_ast_type_field *fs = t->kind == LIQ_TY_RECORD ? t->u.record.fields : t->u.meth.fields;
    int n = t->kind == LIQ_TY_RECORD ? t->u.record.nfields : t->u.meth.nfields;
    liq_value *acc = liq_eval_push(LIQ_UNIT);
    for (int i = 0; i < n; i++) {
      const jnode *x = obj_get(j, fs[i].json_name ? fs[i].json_name : fs[i].name);
      liq_value v;
      if (!x || x->kind == J_NULL) {
        if (fs[i].optional || fs[i].type->kind == LIQ_TY_NULLABLE) v = LIQ_NULL;
        else { *err = fs[i].name; break; }
      } else v = convert(x, fs[i].type, err);
      liq_value *pv = liq_eval_push(v);
      *acc = liq_v_meth_add(*acc, liq_sym_permanent(fs[i].name), *pv);
      liq_eval_pop(1);
    }
    liq_value r = *acc;
    liq_eval_pop(1);
    return r;
  }
  default: *err = "supported type"; return LIQ_UNIT;
  }
}

liq_value liq_lib_json_parse_typed(liq_value src, const liq_ast_type *ty)
{
  size_t len;
  const char *s = liq_to_str(src, &len);
  jparser p = {s, s + len, NULL};
  jnode *j = jvalue(&p, 0);
  if (j) {
    ws(&p);
    if (p.p < p.end) p.err = "trailing characters";
  }
  if (!j || p.err) {
    jfree(j);
    liq_eval_raise("json", "Parse error: %s", p.err ? p.err : "invalid JSON");
  }
  const char *err = NULL;
  liq_value r = ty ? convert(j, ty, &err) : generic(j, &err);
  jfree(j);
  if (err) liq_eval_raise("json", "Parse error: JSON value does not have the expected type (%s)", err);
  return r;
}

static const liq_builtin_def json_defs[] = {
  {"json.stringify", "(?compact : bool, ?json5 : bool, 'a) -> string", "Convert a value to JSON. Records are objects, lists and tuples arrays.", "String", b_stringify},
};

const liq_lib_module liq_lib_json = {"json", json_defs, LIQ_NELEMS(json_defs), NULL, NULL};
