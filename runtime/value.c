/* value: constructors, accessors, the symbol table, printing and comparison
 * of script values; see value.h for the representation. */
#include "config.h"
#include "runtime/value.h"

#include "runtime/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- Object layouts ---------------------------------------------------------- */

typedef struct vfloat {
  liq_obj hdr;
  double d;
} vfloat;

typedef struct vstring {
  liq_obj hdr;
  size_t len;
  char bytes[]; /* len bytes + NUL */
} vstring;

typedef struct vtuple {
  liq_obj hdr;
  size_t n;
  liq_value items[];
} vtuple;

typedef struct vcons {
  liq_obj hdr;
  liq_value head, tail;
} vcons;

typedef struct field {
  liq_sym name;
  liq_value value;
} field;

/* Fields in insertion order. With LIQ_METHS_INDEXED or more fields, an
 * index follows them: uint32_t order[n], the field positions sorted by
 * name pointer, for binary search; below that a linear scan is faster. */
#define LIQ_METHS_INDEXED 16
typedef struct vmeths {
  liq_obj hdr;
  liq_value base; /* never a vmeths */
  size_t n;       /* >= 1 */
  field fields[];
} vmeths;

typedef struct vclosure {
  liq_obj hdr;
  const void *code;
  const char *name;
  liq_value env;
  liq_value repr; /* LIQ_NOVALUE or a string printed instead of <fun> */
  size_t n;
  liq_value captured[];
} vclosure;

typedef struct venv {
  liq_obj hdr;
  liq_value parent;
  size_t n;
  liq_value slots[];
} venv;

typedef struct vbuiltin {
  liq_obj hdr;
  liq_builtin_fn fn;
  const char *name;
  liq_value data;
} vbuiltin;

typedef struct vref {
  liq_obj hdr;
  liq_value v;
} vref;

/* `chain` links the symbols of one intern-table bucket; it is a weak
 * reference, not traced. */
typedef struct vsym {
  liq_obj hdr;
  struct vsym *chain;
  uint32_t hash;
  uint32_t len;
  char bytes[];
} vsym;

/* --- Tracing ----------------------------------------------------------------- */

static void trace_tuple(liq_obj *o)
{
  vtuple *t = (vtuple *)o;
  for (size_t i = 0; i < t->n; i++) liq_gc_mark(t->items[i]);
}

static void trace_cons(liq_obj *o)
{
  vcons *c = (vcons *)o;
  liq_gc_mark(c->head);
  liq_gc_mark(c->tail);
}

static void trace_meths(liq_obj *o)
{
  vmeths *m = (vmeths *)o;
  liq_gc_mark(m->base);
  for (size_t i = 0; i < m->n; i++) {
    liq_gc_mark(m->fields[i].name);
    liq_gc_mark(m->fields[i].value);
  }
}

static void trace_closure(liq_obj *o)
{
  vclosure *c = (vclosure *)o;
  liq_gc_mark(c->env);
  liq_gc_mark(c->repr);
  for (size_t i = 0; i < c->n; i++) liq_gc_mark(c->captured[i]);
}

static void trace_env(liq_obj *o)
{
  venv *e = (venv *)o;
  liq_gc_mark(e->parent);
  for (size_t i = 0; i < e->n; i++) liq_gc_mark(e->slots[i]);
}

static void trace_builtin(liq_obj *o) { liq_gc_mark(((vbuiltin *)o)->data); }
static void trace_ref(liq_obj *o) { liq_gc_mark(((vref *)o)->v); }

static const liq_gc_kind kind_descs[] = {
  [LIQ_K_FLOAT] = {"float", NULL, NULL},
  [LIQ_K_STRING] = {"string", NULL, NULL},
  [LIQ_K_TUPLE] = {"tuple", trace_tuple, NULL},
  [LIQ_K_LIST] = {"list", trace_cons, NULL},
  [LIQ_K_METHS] = {"methods", trace_meths, NULL},
  [LIQ_K_CLOSURE] = {"closure", trace_closure, NULL},
  [LIQ_K_ENV] = {"env", trace_env, NULL},
  [LIQ_K_BUILTIN] = {"builtin", trace_builtin, NULL},
  [LIQ_K_REF] = {"ref", trace_ref, NULL},
  [LIQ_K_SYMBOL] = {"symbol", NULL, NULL},
};

liq_kind liq_value_kind(liq_value v)
{
  if (liq_is_int(v)) return LIQ_K_INT;
  switch (v) {
  case LIQ_UNIT: return LIQ_K_UNIT;
  case LIQ_TRUE:
  case LIQ_FALSE: return LIQ_K_BOOL;
  case LIQ_NULL: return LIQ_K_NULL;
  case LIQ_NIL: return LIQ_K_LIST;
  default: break;
  }
  if (!liq_is_obj(v)) liq_gc_fatal("not a value: %#lx", (unsigned long)v);
  return (liq_kind)liq_obj_of(v)->kind;
}

const char *liq_kind_name(liq_kind k)
{
  switch (k) {
  case LIQ_K_INT: return "int";
  case LIQ_K_UNIT: return "unit";
  case LIQ_K_BOOL: return "bool";
  case LIQ_K_NULL: return "null";
  default: {
    const liq_gc_kind *d = liq_gc_kind_desc((unsigned)k); /* evaluator kinds too */
    return d ? d->name : "unknown";
  }
  }
}

/* The object behind v, checked to be of kind k (a wrong kind is a bug in
 * the caller, caught here rather than as memory corruption). */
static void *as(liq_value v, liq_kind k)
{
  if (!liq_is_obj(v) || liq_obj_of(v)->kind != k)
    liq_gc_fatal("expected a %s value, got a %s", liq_kind_name(k),
                 liq_kind_name(liq_value_kind(v)));
  return liq_obj_of(v);
}

static bool is_kind(liq_value v, liq_kind k) { return liq_is_obj(v) && liq_obj_of(v)->kind == k; }

/* --- Integers ---------------------------------------------------------------- */

bool liq_int_div(int64_t a, int64_t b, int64_t *res)
{
  if (b == 0) return false;
  *res = liq_int_wrap((uint64_t)(a / b)); /* in int64, min_int / -1 fits */
  return true;
}

bool liq_int_mod(int64_t a, int64_t b, int64_t *res)
{
  if (b == 0) return false;
  *res = a % b;
  return true;
}

/* --- Floats, strings ------------------------------------------------------- */

liq_value liq_v_float(double d)
{
  vfloat *f = (vfloat *)liq_gc_alloc(LIQ_K_FLOAT, sizeof *f);
  f->d = d;
  return liq_value_of_obj(&f->hdr);
}

double liq_v_float_val(liq_value v) { return ((vfloat *)as(v, LIQ_K_FLOAT))->d; }

liq_value liq_v_string_new(size_t len, char **bytes)
{
  vstring *s = (vstring *)liq_gc_alloc(LIQ_K_STRING, sizeof *s + len + 1);
  s->len = len;
  *bytes = s->bytes;
  return liq_value_of_obj(&s->hdr);
}

liq_value liq_v_string(const char *bytes, size_t len)
{
  char *dst;
  liq_value v = liq_v_string_new(len, &dst);
  memcpy(dst, bytes, len);
  return v;
}

liq_value liq_v_cstring(const char *s) { return liq_v_string(s, strlen(s)); }

size_t liq_v_string_len(liq_value v) { return ((vstring *)as(v, LIQ_K_STRING))->len; }
const char *liq_v_string_bytes(liq_value v) { return ((vstring *)as(v, LIQ_K_STRING))->bytes; }

/* --- Tuples and lists ------------------------------------------------------ */

liq_value liq_v_tuple(size_t n, const liq_value *items)
{
  if (n == 0) return LIQ_UNIT;
  liq_gc_range keep = {items, n};
  vtuple *t = (vtuple *)liq_gc_alloc_keep(LIQ_K_TUPLE, sizeof *t + n * sizeof(liq_value), &keep, 1);
  t->n = n;
  memcpy(t->items, items, n * sizeof(liq_value));
  return liq_value_of_obj(&t->hdr);
}

liq_value liq_v_string_sb(liq_sb *sb)
{
  liq_value r = liq_v_string(sb->data ? sb->data : "", sb->len);
  liq_sb_free(sb);
  return r;
}

size_t liq_v_tuple_len(liq_value v)
{
  return v == LIQ_UNIT ? 0 : ((vtuple *)as(v, LIQ_K_TUPLE))->n;
}

liq_value liq_v_tuple_get(liq_value v, size_t i)
{
  vtuple *t = as(v, LIQ_K_TUPLE);
  if (i >= t->n) liq_gc_fatal("tuple index %zu out of range (%zu)", i, t->n);
  return t->items[i];
}

liq_value liq_v_cons(liq_value head, liq_value tail)
{
  liq_value args[2] = {head, tail};
  liq_gc_range keep = {args, 2};
  vcons *c = (vcons *)liq_gc_alloc_keep(LIQ_K_LIST, sizeof *c, &keep, 1);
  c->head = head;
  c->tail = tail;
  return liq_value_of_obj(&c->hdr);
}

liq_value liq_v_list(size_t n, const liq_value *items)
{
  liq_value *acc = liq_gc_pin(LIQ_NIL);
  for (size_t i = n; i-- > 0;) {
    liq_value args[2] = {items[i], *acc};
    liq_gc_range keep[2] = {{items, i}, {args, 2}};
    vcons *c = (vcons *)liq_gc_alloc_keep(LIQ_K_LIST, sizeof *c, keep, 2);
    c->head = args[0];
    c->tail = args[1];
    *acc = liq_value_of_obj(&c->hdr);
  }
  liq_value res = *acc;
  liq_gc_unpin(acc);
  return res;
}

liq_value liq_v_head(liq_value cons) { return ((vcons *)as(cons, LIQ_K_LIST))->head; }
liq_value liq_v_tail(liq_value cons) { return ((vcons *)as(cons, LIQ_K_LIST))->tail; }

size_t liq_v_list_length(liq_value list)
{
  size_t n = 0;
  for (; list != LIQ_NIL; list = liq_v_tail(list)) n++;
  return n;
}

/* --- Symbols ---------------------------------------------------------------- *
 * A chained hash table of vsym, weak: the GC's weak hook drops symbols that
 * no live value references, then the sweep frees them. The table shrinks
 * when it gets sparse, so its size follows the number of live names. */

#define SYM_MIN_BUCKETS 64

static struct {
  vsym **buckets;
  size_t nbuckets; /* a power of two, or 0 before the first symbol */
  size_t count;
} symtab;

static uint32_t sym_hash(const char *bytes, size_t len)
{
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)bytes[i]) * 16777619u;
  return h;
}

static void sym_rehash(size_t nbuckets)
{
  vsym **nb = liq_mem_calloc(nbuckets, sizeof *nb);
  for (size_t i = 0; i < symtab.nbuckets; i++) {
    vsym *s = symtab.buckets[i];
    while (s) {
      vsym *next = s->chain;
      size_t j = s->hash & (nbuckets - 1);
      s->chain = nb[j];
      nb[j] = s;
      s = next;
    }
  }
  liq_mem_free(symtab.buckets);
  symtab.buckets = nb;
  symtab.nbuckets = nbuckets;
}

static void sym_weak_hook(void *data)
{
  (void)data;
  for (size_t i = 0; i < symtab.nbuckets; i++) {
    vsym **link = &symtab.buckets[i];
    while (*link) {
      if (liq_gc_is_marked(&(*link)->hdr)) {
        link = &(*link)->chain;
      } else {
        *link = (*link)->chain;
        symtab.count--;
      }
    }
  }
  if (symtab.count == 0) {
    liq_mem_free(symtab.buckets);
    symtab.buckets = NULL;
    symtab.nbuckets = 0;
  } else if (symtab.nbuckets > SYM_MIN_BUCKETS && symtab.count < symtab.nbuckets / 8) {
    size_t nb = symtab.nbuckets;
    while (nb > SYM_MIN_BUCKETS && symtab.count < nb / 8) nb /= 2;
    sym_rehash(nb);
  }
}

static vsym *sym_find(const char *bytes, size_t len, uint32_t h)
{
  if (symtab.nbuckets == 0) return NULL;
  for (vsym *s = symtab.buckets[h & (symtab.nbuckets - 1)]; s; s = s->chain)
    if (s->hash == h && s->len == len && memcmp(s->bytes, bytes, len) == 0) return s;
  return NULL;
}

liq_sym liq_sym_intern(const char *bytes, size_t len)
{
  if (len > UINT32_MAX) liq_gc_fatal("symbol too long");
  uint32_t h = sym_hash(bytes, len);
  vsym *s = sym_find(bytes, len, h);
  if (s) return liq_value_of_obj(&s->hdr);
  /* The allocation may collect and prune the table: find the bucket after. */
  s = (vsym *)liq_gc_alloc(LIQ_K_SYMBOL, sizeof *s + len + 1);
  s->hash = h;
  s->len = (uint32_t)len;
  memcpy(s->bytes, bytes, len);
  if (symtab.count >= symtab.nbuckets)
    sym_rehash(symtab.nbuckets ? 2 * symtab.nbuckets : SYM_MIN_BUCKETS);
  size_t j = h & (symtab.nbuckets - 1);
  s->chain = symtab.buckets[j];
  symtab.buckets[j] = s;
  symtab.count++;
  return liq_value_of_obj(&s->hdr);
}

liq_sym liq_sym_permanent(const char *name)
{
  liq_sym s = liq_sym_intern(name, strlen(name));
  liq_obj_of(s)->flags |= LIQ_GC_PERMANENT;
  return s;
}

const char *liq_sym_name(liq_sym s) { return ((vsym *)as(s, LIQ_K_SYMBOL))->bytes; }
size_t liq_sym_len(liq_sym s) { return ((vsym *)as(s, LIQ_K_SYMBOL))->len; }
size_t liq_sym_table_count(void) { return symtab.count; }

static int sym_cmp_names(liq_sym a, liq_sym b)
{
  const vsym *x = (const vsym *)liq_obj_of(a), *y = (const vsym *)liq_obj_of(b);
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->bytes, y->bytes, n);
  if (c) return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* --- Methods --------------------------------------------------------------- */

static uint32_t *meths_index(vmeths *m) { return (uint32_t *)&m->fields[m->n]; }

static size_t meths_size(size_t n)
{
  return sizeof(vmeths) + n * sizeof(field) + (n >= LIQ_METHS_INDEXED ? n * sizeof(uint32_t) : 0);
}

/* Position of `name` in m's fields, or -1. */
static ptrdiff_t meths_find(const vmeths *m, liq_sym name)
{
  if (m->n < LIQ_METHS_INDEXED) {
    for (size_t i = 0; i < m->n; i++)
      if (m->fields[i].name == name) return (ptrdiff_t)i;
    return -1;
  }
  const uint32_t *order = (const uint32_t *)&m->fields[m->n];
  size_t lo = 0, hi = m->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    liq_sym s = m->fields[order[mid]].name;
    if (s == name) return order[mid];
    if (s < name) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/* Merging the old fields (sequence numbers 0..m-1) with the new ones
 * (m..m+n-1): sorted by (name, seq), each run of equal names is one result
 * field, placed where its first occurrence was, holding its last value. */
#define MERGE_SMALL 32
typedef struct merge_entry {
  liq_sym name;
  size_t seq;
} merge_entry;

typedef struct merge_group {
  size_t first, last; /* sequence numbers */
  size_t rank;        /* position in name order */
} merge_group;

static int cmp_entry(const void *a, const void *b)
{
  const merge_entry *x = a, *y = b;
  if (x->name != y->name) return x->name < y->name ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_group_first(const void *a, const void *b)
{
  const merge_group *x = a, *y = b;
  return (x->first > y->first) - (x->first < y->first);
}

/* The same merge for a result without an index (fewer than
 * LIQ_METHS_INDEXED fields in all): a linear search per new field. */
static liq_value meths_add_small(liq_value v, vmeths *old, size_t n, const liq_sym *names,
                                 const liq_value *values)
{
  field tmp[LIQ_METHS_INDEXED];
  size_t k = old ? old->n : 0;
  if (k) memcpy(tmp, old->fields, k * sizeof *tmp);
  for (size_t i = 0; i < n; i++) {
    as(names[i], LIQ_K_SYMBOL);
    size_t j = 0;
    while (j < k && tmp[j].name != names[i]) j++;
    tmp[j] = (field){names[i], values[i]};
    if (j == k) k++;
  }
  /* tmp's values stay valid across the allocation: the old ones through v,
   * the new ones through the keep ranges, and nothing moves. */
  liq_gc_range keep[3] = {{&v, 1}, {names, n}, {values, n}};
  vmeths *res = (vmeths *)liq_gc_alloc_keep(LIQ_K_METHS, meths_size(k), keep, 3);
  res->base = old ? old->base : v;
  res->n = k;
  memcpy(res->fields, tmp, k * sizeof *tmp);
  return liq_value_of_obj(&res->hdr);
}

liq_value liq_v_meths_add(liq_value v, size_t n, const liq_sym *names, const liq_value *values)
{
  if (n == 0) return v;
  vmeths *old = is_kind(v, LIQ_K_METHS) ? (vmeths *)liq_obj_of(v) : NULL;
  size_t m = old ? old->n : 0, total = m + n;
  if (total < LIQ_METHS_INDEXED) return meths_add_small(v, old, n, names, values);

  /* Small merges (the usual `v.{x = ...}`) use the stack. */
  merge_entry ent_small[MERGE_SMALL];
  merge_group grp_small[MERGE_SMALL];
  merge_entry *ent = total <= MERGE_SMALL ? ent_small : liq_mem_alloc(total * sizeof *ent);
  merge_group *grp = total <= MERGE_SMALL ? grp_small : liq_mem_alloc(total * sizeof *grp);
  for (size_t i = 0; i < m; i++) ent[i] = (merge_entry){old->fields[i].name, i};
  for (size_t i = 0; i < n; i++) {
    as(names[i], LIQ_K_SYMBOL);
    ent[m + i] = (merge_entry){names[i], m + i};
  }
  qsort(ent, total, sizeof *ent, cmp_entry);
  size_t ng = 0;
  for (size_t i = 0; i < total; i++) {
    if (i > 0 && ent[i].name == ent[i - 1].name) {
      grp[ng - 1].last = ent[i].seq;
    } else {
      grp[ng] = (merge_group){ent[i].seq, ent[i].seq, ng};
      ng++;
    }
  }
  if (ent != ent_small) liq_mem_free(ent);
  qsort(grp, ng, sizeof *grp, cmp_group_first);

  liq_gc_range keep[3] = {{&v, 1}, {names, n}, {values, n}};
  vmeths *res = (vmeths *)liq_gc_alloc_keep(LIQ_K_METHS, meths_size(ng), keep, 3);
  /* v survived the allocation (kept), so `old` is still valid. */
  res->base = old ? old->base : v;
  res->n = ng;
  uint32_t *order = ng >= LIQ_METHS_INDEXED ? meths_index(res) : NULL;
  for (size_t p = 0; p < ng; p++) {
    size_t src = grp[p].last;
    res->fields[p] = src < m ? old->fields[src] : (field){names[src - m], values[src - m]};
    if (order) order[grp[p].rank] = (uint32_t)p;
  }
  if (grp != grp_small) liq_mem_free(grp);
  return liq_value_of_obj(&res->hdr);
}

liq_value liq_v_meth_add(liq_value v, liq_sym name, liq_value value)
{
  return liq_v_meths_add(v, 1, &name, &value);
}

liq_value liq_v_record(size_t n, const liq_sym *names, const liq_value *values)
{
  return liq_v_meths_add(LIQ_UNIT, n, names, values);
}

liq_value liq_v_meth_get(liq_value v, liq_sym name)
{
  if (!is_kind(v, LIQ_K_METHS)) return LIQ_NOVALUE;
  vmeths *m = (vmeths *)liq_obj_of(v);
  ptrdiff_t i = meths_find(m, name);
  return i < 0 ? LIQ_NOVALUE : m->fields[i].value;
}

liq_value liq_v_base(liq_value v)
{
  return is_kind(v, LIQ_K_METHS) ? ((vmeths *)liq_obj_of(v))->base : v;
}

size_t liq_v_meths_count(liq_value v)
{
  return is_kind(v, LIQ_K_METHS) ? ((vmeths *)liq_obj_of(v))->n : 0;
}

static const field *field_at(liq_value v, size_t i)
{
  vmeths *m = as(v, LIQ_K_METHS);
  if (i >= m->n) liq_gc_fatal("method index %zu out of range (%zu)", i, m->n);
  return &m->fields[i];
}

liq_sym liq_v_meth_name_at(liq_value v, size_t i) { return field_at(v, i)->name; }
liq_value liq_v_meth_value_at(liq_value v, size_t i) { return field_at(v, i)->value; }

liq_value liq_v_remeth(liq_value from, liq_value to)
{
  if (!is_kind(from, LIQ_K_METHS)) return to;
  /* liq_v_meths_add takes plain arrays (which it keeps alive across its
   * allocation), so copy the fields out of `from`. */
  vmeths *m = (vmeths *)liq_obj_of(from);
  size_t n = m->n;
  liq_value *arr = liq_mem_alloc(2 * n * sizeof *arr);
  for (size_t i = 0; i < n; i++) {
    arr[i] = m->fields[i].name;
    arr[n + i] = m->fields[i].value;
  }
  liq_value res = liq_v_meths_add(to, n, arr, arr + n);
  liq_mem_free(arr);
  return res;
}

bool liq_v_is_record(liq_value v)
{
  return is_kind(v, LIQ_K_METHS) && ((vmeths *)liq_obj_of(v))->base == LIQ_UNIT;
}

/* --- Functions ------------------------------------------------------------- */

liq_value liq_v_closure(const void *code, const char *name, liq_value env,
                        size_t ncaptured, const liq_value *captured)
{
  liq_gc_range keep[2] = {{&env, 1}, {captured, captured ? ncaptured : 0}};
  vclosure *c = (vclosure *)liq_gc_alloc_keep(
      LIQ_K_CLOSURE, sizeof *c + ncaptured * sizeof(liq_value), keep, 2);
  c->code = code;
  c->name = name;
  c->env = env;
  c->n = ncaptured;
  if (captured) memcpy(c->captured, captured, ncaptured * sizeof(liq_value));
  return liq_value_of_obj(&c->hdr);
}

const void *liq_v_closure_code(liq_value v) { return ((vclosure *)as(v, LIQ_K_CLOSURE))->code; }
const char *liq_v_closure_name(liq_value v) { return ((vclosure *)as(v, LIQ_K_CLOSURE))->name; }
liq_value liq_v_closure_env(liq_value v) { return ((vclosure *)as(v, LIQ_K_CLOSURE))->env; }
size_t liq_v_closure_ncaptured(liq_value v) { return ((vclosure *)as(v, LIQ_K_CLOSURE))->n; }

static liq_value *captured_slot(liq_value v, size_t i)
{
  vclosure *c = as(v, LIQ_K_CLOSURE);
  if (i >= c->n) liq_gc_fatal("captured index %zu out of range (%zu)", i, c->n);
  return &c->captured[i];
}

liq_value liq_v_closure_captured(liq_value v, size_t i) { return *captured_slot(v, i); }
void liq_v_closure_set_captured(liq_value v, size_t i, liq_value x) { *captured_slot(v, i) = x; }

void liq_v_closure_set_repr(liq_value v, liq_value repr)
{
  if (repr != LIQ_NOVALUE) as(repr, LIQ_K_STRING);
  ((vclosure *)as(v, LIQ_K_CLOSURE))->repr = repr;
}

liq_value liq_v_builtin(liq_builtin_fn fn, const char *name, liq_value data)
{
  liq_gc_range keep = {&data, 1};
  vbuiltin *b = (vbuiltin *)liq_gc_alloc_keep(LIQ_K_BUILTIN, sizeof *b, &keep, 1);
  b->fn = fn;
  b->name = name;
  b->data = data;
  return liq_value_of_obj(&b->hdr);
}

liq_builtin_fn liq_v_builtin_fn(liq_value v) { return ((vbuiltin *)as(v, LIQ_K_BUILTIN))->fn; }
const char *liq_v_builtin_name(liq_value v) { return ((vbuiltin *)as(v, LIQ_K_BUILTIN))->name; }
liq_value liq_v_builtin_data(liq_value v) { return ((vbuiltin *)as(v, LIQ_K_BUILTIN))->data; }

/* --- Environment frames ---------------------------------------------------- */

liq_value liq_v_env(liq_value parent, size_t n, const liq_value *init)
{
  liq_gc_range keep[2] = {{&parent, 1}, {init, init ? n : 0}};
  venv *e = (venv *)liq_gc_alloc_keep(LIQ_K_ENV, sizeof *e + n * sizeof(liq_value), keep, 2);
  e->parent = parent;
  e->n = n;
  if (init) memcpy(e->slots, init, n * sizeof(liq_value));
  return liq_value_of_obj(&e->hdr);
}

liq_value liq_v_env_parent(liq_value env) { return ((venv *)as(env, LIQ_K_ENV))->parent; }
size_t liq_v_env_size(liq_value env) { return ((venv *)as(env, LIQ_K_ENV))->n; }

static liq_value *env_slot(liq_value env, size_t i)
{
  venv *e = as(env, LIQ_K_ENV);
  if (i >= e->n) liq_gc_fatal("env slot %zu out of range (%zu)", i, e->n);
  return &e->slots[i];
}

liq_value liq_v_env_get(liq_value env, size_t i) { return *env_slot(env, i); }
void liq_v_env_set(liq_value env, size_t i, liq_value x) { *env_slot(env, i) = x; }

/* --- References ------------------------------------------------------------ */

liq_value liq_v_ref(liq_value x)
{
  liq_gc_range keep = {&x, 1};
  vref *r = (vref *)liq_gc_alloc_keep(LIQ_K_REF, sizeof *r, &keep, 1);
  r->v = x;
  return liq_value_of_obj(&r->hdr);
}

liq_value liq_v_ref_get(liq_value r) { return ((vref *)as(r, LIQ_K_REF))->v; }
/* A kind-specific header bit (gc.h): the reference is watched. */
#define VREF_WATCHED 0x100
static liq_ref_watcher ref_watcher;

void liq_v_ref_set_watcher(liq_ref_watcher w) { ref_watcher = w; }
void liq_v_ref_watch(liq_value r) { ((vref *)as(r, LIQ_K_REF))->hdr.flags |= VREF_WATCHED; }

void liq_v_ref_set(liq_value r, liq_value x)
{
  vref *ref = as(r, LIQ_K_REF);
  ref->v = x;
  if ((ref->hdr.flags & VREF_WATCHED) && ref_watcher) ref_watcher(r);
}

/* --- Printing ---------------------------------------------------------------- */

void liq_value_print_float(liq_sb *sb, double d)
{
  char buf[64];
  int n = snprintf(buf, sizeof buf, "%.12g", d);
  liq_sb_append(sb, buf, (size_t)n);
  /* "1" -> "1.", "-0" -> "-0."; leaves 1e+20, 0.5, inf, nan, -nan alone. */
  if (strspn(buf, "-0123456789") == (size_t)n) liq_sb_putc(sb, '.');
}

/* 2.1.3 quotes a string in one of two ways. If its bytes scan as UTF-8 by
 * lead bytes alone (a lead byte 0xC0-0xDF, 0xE0-0xEF or 0xF0-0xF7 takes the
 * next 1, 2 or 3 bytes whatever they are, and a sequence may be cut by the
 * end; only bytes 0x80-0xBF and 0xF8-0xFF cannot start a character), ASCII
 * controls print as \uXXXX and multibyte characters as they are. Otherwise
 * every byte outside 0x20-0x7E prints as \xXX. In both modes " \ \n \t \r
 * \b have their short escapes. (Measured against the 2.1.3 binary.)
 * string.escape (stdlib/lib_string.c) uses the same rules, split into the
 * pieces below so that a script can replace one of them. */
static size_t utf8_seq_len(unsigned char b)
{
  if (b < 0x80) return 1;
  if (b >= 0xC0 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF7) return 4;
  return 0;
}

bool liq_utf8_scans(const char *bytes, size_t len)
{
  const unsigned char *s = (const unsigned char *)bytes;
  for (size_t i = 0; i < len;) {
    size_t k = utf8_seq_len(s[i]);
    if (k == 0) return false;
    i += k;
  }
  return true;
}

size_t liq_escape_char_len(const char *bytes, size_t len, size_t i, bool utf8)
{
  size_t k = utf8 ? utf8_seq_len((unsigned char)bytes[i]) : 1;
  if (k == 0) k = 1;
  return k > len - i ? len - i : k;
}

bool liq_escape_is_special(const char *c, size_t clen, bool utf8)
{
  unsigned char b = (unsigned char)c[0];
  if (clen != 1) return false;
  return b < 0x20 || b == '"' || b == '\\' || (utf8 ? b == 0x7F : b >= 0x7F);
}

bool liq_escape_short(liq_sb *sb, unsigned char c)
{
  const char *e;
  switch (c) {
  case '"': e = "\\\""; break;
  case '\\': e = "\\\\"; break;
  case '\n': e = "\\n"; break;
  case '\t': e = "\\t"; break;
  case '\r': e = "\\r"; break;
  case '\b': e = "\\b"; break;
  default: return false;
  }
  liq_sb_puts(sb, e);
  return true;
}

unsigned liq_utf8_code_point(const char *c, size_t clen)
{
  const unsigned char *s = (const unsigned char *)c;
  static const unsigned char lead_mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  unsigned cp = s[0] & lead_mask[clen < 5 ? clen : 4];
  for (size_t i = 1; i < clen; i++) cp = (cp << 6) | (s[i] & 0x3F);
  return cp;
}

void liq_escape_char(liq_sb *sb, const char *c, size_t clen, bool utf8)
{
  if (clen == 1 && liq_escape_short(sb, (unsigned char)c[0])) return;
  if (utf8) {
    liq_sb_printf(sb, "\\u%04X", liq_utf8_code_point(c, clen));
    return;
  }
  for (size_t i = 0; i < clen; i++) liq_sb_printf(sb, "\\x%02X", (unsigned char)c[i]);
}

void liq_value_print_quoted(liq_sb *sb, const char *bytes, size_t len)
{
  bool utf8 = liq_utf8_scans(bytes, len);
  liq_sb_putc(sb, '"');
  for (size_t i = 0; i < len;) {
    size_t k = liq_escape_char_len(bytes, len, i, utf8);
    if (liq_escape_is_special(bytes + i, k, utf8)) liq_escape_char(sb, bytes + i, k, utf8);
    else liq_sb_append(sb, bytes + i, k);
    i += k;
  }
  liq_sb_putc(sb, '"');
}

static void print_value(liq_sb *sb, liq_value v, bool quoted);

static void print_fields(liq_sb *sb, const vmeths *m)
{
  for (size_t i = 0; i < m->n; i++) {
    if (i) liq_sb_puts(sb, ", ");
    const vsym *s = (const vsym *)liq_obj_of(m->fields[i].name);
    liq_sb_append(sb, s->bytes, s->len);
    liq_sb_puts(sb, " = ");
    print_value(sb, m->fields[i].value, true);
  }
}

static void print_value(liq_sb *sb, liq_value v, bool quoted)
{
  switch (liq_value_kind(v)) {
  case LIQ_K_INT: liq_sb_printf(sb, "%lld", (long long)liq_v_int_val(v)); return;
  case LIQ_K_UNIT: liq_sb_puts(sb, "()"); return;
  case LIQ_K_BOOL: liq_sb_puts(sb, v == LIQ_TRUE ? "true" : "false"); return;
  case LIQ_K_NULL: liq_sb_puts(sb, "null"); return;
  case LIQ_K_FLOAT: liq_value_print_float(sb, liq_v_float_val(v)); return;
  case LIQ_K_STRING: {
    const vstring *s = (const vstring *)liq_obj_of(v);
    if (quoted) liq_value_print_quoted(sb, s->bytes, s->len);
    else liq_sb_append(sb, s->bytes, s->len);
    return;
  }
  case LIQ_K_TUPLE: {
    const vtuple *t = (const vtuple *)liq_obj_of(v);
    liq_sb_putc(sb, '(');
    for (size_t i = 0; i < t->n; i++) {
      if (i) liq_sb_puts(sb, ", ");
      print_value(sb, t->items[i], true);
    }
    liq_sb_putc(sb, ')');
    return;
  }
  case LIQ_K_LIST:
    liq_sb_putc(sb, '[');
    for (liq_value l = v; l != LIQ_NIL; l = ((vcons *)liq_obj_of(l))->tail) {
      if (l != v) liq_sb_puts(sb, ", ");
      print_value(sb, ((vcons *)liq_obj_of(l))->head, true);
    }
    liq_sb_putc(sb, ']');
    return;
  case LIQ_K_METHS: {
    const vmeths *m = (const vmeths *)liq_obj_of(v);
    if (m->base == LIQ_UNIT) {
      liq_sb_putc(sb, '{');
    } else {
      print_value(sb, m->base, true);
      liq_sb_puts(sb, ".{");
    }
    print_fields(sb, m);
    liq_sb_putc(sb, '}');
    return;
  }
  case LIQ_K_CLOSURE: {
    const vclosure *c = (const vclosure *)liq_obj_of(v);
    if (c->repr == LIQ_NOVALUE) {
      liq_sb_puts(sb, "<fun>");
    } else {
      const vstring *s = (const vstring *)liq_obj_of(c->repr);
      liq_sb_append(sb, s->bytes, s->len);
    }
    return;
  }
  case LIQ_K_BUILTIN: liq_sb_puts(sb, "<fun>"); return;
  case LIQ_K_REF:
    liq_sb_puts(sb, "ref(");
    print_value(sb, ((vref *)liq_obj_of(v))->v, true);
    liq_sb_putc(sb, ')');
    return;
  case LIQ_K_CUSTOM: {
    const liq_custom_ops *ops = liq_gc_custom_ops(v);
    if (ops->print) ops->print(liq_gc_custom_payload(v), sb);
    else liq_sb_printf(sb, "<%s>", ops->name);
    return;
  }
  case LIQ_K_SYMBOL: {
    const vsym *s = (const vsym *)liq_obj_of(v);
    liq_sb_append(sb, s->bytes, s->len);
    return;
  }
  default:
    liq_sb_printf(sb, "<%s>", liq_kind_name(liq_value_kind(v)));
    return;
  }
}

void liq_value_print(liq_sb *sb, liq_value v, bool quoted) { print_value(sb, v, quoted); }

char *liq_value_to_string(liq_value v, bool quoted)
{
  liq_sb sb = LIQ_SB_INIT;
  print_value(&sb, v, quoted);
  return liq_sb_take(&sb);
}

/* --- Comparison -------------------------------------------------------------- */

static int sign(int64_t x) { return (x > 0) - (x < 0); }

/* OCaml's compare on floats: a total order where nan equals nan and is
 * below everything else. */
static int cmp_float(double x, double y)
{
  if (x < y) return -1;
  if (x > y) return 1;
  if (x == y) return 0;
  return isnan(x) ? (isnan(y) ? 0 : -1) : 1;
}

static int cmp_sym_ptr(const void *a, const void *b)
{
  return sym_cmp_names(*(const liq_sym *)a, *(const liq_sym *)b);
}

/* Records: the fields present on both sides, in alphabetical order. */
static int cmp_records(const vmeths *a, const vmeths *b)
{
  liq_sym small[32];
  liq_sym *common = a->n <= 32 ? small : liq_mem_alloc(a->n * sizeof *common);
  size_t nc = 0;
  for (size_t i = 0; i < a->n; i++)
    if (meths_find(b, a->fields[i].name) >= 0) common[nc++] = a->fields[i].name;
  qsort(common, nc, sizeof *common, cmp_sym_ptr);
  int c = 0;
  for (size_t i = 0; i < nc && c == 0; i++)
    c = liq_value_compare(a->fields[meths_find(a, common[i])].value,
                          b->fields[meths_find(b, common[i])].value);
  if (common != small) liq_mem_free(common);
  return c;
}

int liq_value_compare(liq_value a, liq_value b)
{
  for (;;) {
    if (a == b) return 0;
    if (liq_v_is_record(a) && liq_v_is_record(b))
      return cmp_records((const vmeths *)liq_obj_of(a), (const vmeths *)liq_obj_of(b));
    a = liq_v_base(a);
    b = liq_v_base(b);
    if (a == b) return 0;
    liq_kind ka = liq_value_kind(a), kb = liq_value_kind(b);
    if (ka != kb) {
      /* Only null and a value share a type; other mixes cannot be typed but
       * still get a fixed order. */
      if (ka == LIQ_K_NULL) return -1;
      if (kb == LIQ_K_NULL) return 1;
      return ka < kb ? -1 : 1;
    }
    switch (ka) {
    case LIQ_K_INT: return sign(liq_v_int_val(a) - liq_v_int_val(b));
    case LIQ_K_BOOL: return a == LIQ_TRUE ? 1 : -1; /* a != b */
    case LIQ_K_UNIT:
    case LIQ_K_NULL: return 0;
    case LIQ_K_FLOAT: return cmp_float(liq_v_float_val(a), liq_v_float_val(b));
    case LIQ_K_STRING: {
      const vstring *x = (const vstring *)liq_obj_of(a), *y = (const vstring *)liq_obj_of(b);
      size_t n = x->len < y->len ? x->len : y->len;
      int c = memcmp(x->bytes, y->bytes, n);
      if (c) return c < 0 ? -1 : 1;
      return (x->len > y->len) - (x->len < y->len);
    }
    case LIQ_K_TUPLE: {
      const vtuple *x = (const vtuple *)liq_obj_of(a), *y = (const vtuple *)liq_obj_of(b);
      size_t n = x->n < y->n ? x->n : y->n;
      for (size_t i = 0; i < n; i++) {
        int c = liq_value_compare(x->items[i], y->items[i]);
        if (c) return c;
      }
      return (x->n > y->n) - (x->n < y->n);
    }
    case LIQ_K_LIST: {
      if (a == LIQ_NIL) return -1; /* a != b, so b is a cons */
      if (b == LIQ_NIL) return 1;
      const vcons *x = (const vcons *)liq_obj_of(a), *y = (const vcons *)liq_obj_of(b);
      int c = liq_value_compare(x->head, y->head);
      if (c) return c;
      a = x->tail;
      b = y->tail;
      continue;
    }
    case LIQ_K_REF:
      a = ((vref *)liq_obj_of(a))->v;
      b = ((vref *)liq_obj_of(b))->v;
      continue;
    default:
      /* Functions, custom blocks, frames: identity, in address order. */
      return a < b ? -1 : 1;
    }
  }
}

bool liq_value_equal(liq_value a, liq_value b) { return liq_value_compare(a, b) == 0; }

/* --- Init ------------------------------------------------------------------- */

void liq_value_init(void)
{
  liq_gc_init();
  for (unsigned k = LIQ_GC_KIND_FIRST_FREE; k < LIQ_K_FIRST_FREE; k++)
    liq_gc_register_kind(k, &kind_descs[k]);
  liq_gc_add_weak_hook(sym_weak_hook, NULL);
}
