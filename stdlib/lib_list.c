/* lib_list: list functions. Lists are immutable cons cells (value.h); the
 * functions here walk them in C and call back into the evaluator for
 * higher-order ones. Temporaries go on the evaluator's root stack. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"

static liq_value list_arg(liq_call *c, int i)
{
  liq_value l = liq_v_base(liq_arg(c, i));
  if (l != LIQ_NIL && liq_value_kind(l) != LIQ_K_LIST) liq_eval_raise("invalid", "expected a list");
  return l;
}

/* Pushes the elements of l on the root stack; returns how many. */
static size_t spill(liq_value l)
{
  size_t n = 0;
  liq_value *pl = liq_eval_push(l);
  for (liq_value c = *pl; c != LIQ_NIL; c = liq_v_tail(c), n++) liq_eval_push(liq_v_head(c));
  /* Move the elements down over the list slot. */
  liq_value *base = pl;
  for (size_t i = 0; i < n; i++) base[i] = base[i + 1];
  liq_eval_pop(1);
  return n;
}

/* The list of the n values starting at slot items (rooted). */
static liq_value build(const liq_value *items, size_t n) { return liq_v_list(n, items); }

static liq_value *top(size_t n) { return liq_eval_push(LIQ_UNIT) - n; }

static liq_value dflt_or_raise(liq_call *c, const char *what)
{
  liq_value d = liq_arg_label(c, "default", LIQ_NULL);
  if (liq_v_base(d) != LIQ_NULL) return d;
  liq_eval_raise("not_found", "no default value for %s", what);
}

LIQ_BUILTIN(b_hd)
{
  liq_value l = list_arg(c, 0);
  if (l == LIQ_NIL) return dflt_or_raise(c, "list.hd");
  return liq_v_head(l);
}

LIQ_BUILTIN(b_tl)
{
  liq_value l = list_arg(c, 0);
  return l == LIQ_NIL ? LIQ_NIL : liq_v_tail(l);
}

LIQ_BUILTIN(b_nth)
{
  liq_value l = list_arg(c, 0);
  int64_t n = liq_arg_int(c, 1);
  for (; l != LIQ_NIL && n > 0; n--) l = liq_v_tail(l);
  if (l == LIQ_NIL || n < 0) return dflt_or_raise(c, "list.nth");
  return liq_v_head(l);
}

LIQ_BUILTIN(b_last)
{
  liq_value l = list_arg(c, 0);
  if (l == LIQ_NIL) return dflt_or_raise(c, "list.last");
  while (liq_v_tail(l) != LIQ_NIL) l = liq_v_tail(l);
  return liq_v_head(l);
}

LIQ_BUILTIN(b_length)
{
  return liq_v_int((int64_t)liq_v_list_length(list_arg(c, 0)));
}

LIQ_BUILTIN(b_is_empty)
{
  return liq_v_bool(list_arg(c, 0) == LIQ_NIL);
}

LIQ_BUILTIN(b_add)
{
  return liq_v_cons(liq_arg(c, 0), list_arg(c, 1));
}

LIQ_BUILTIN(b_append)
{
  liq_value *b = liq_eval_push(list_arg(c, 1));
  size_t n = spill(list_arg(c, 0));
  liq_value *items = top(n);
  liq_value *acc = &items[n];
  *acc = *b;
  for (size_t i = n; i > 0; i--) *acc = liq_v_cons(items[i - 1], *acc);
  liq_value r = *acc;
  liq_eval_pop((int)n + 2);
  return r;
}

LIQ_BUILTIN(b_rev)
{
  liq_value *l = liq_eval_push(list_arg(c, 0));
  liq_value *acc = liq_eval_push(LIQ_NIL);
  for (liq_value *cur = liq_eval_push(*l); *cur != LIQ_NIL; *cur = liq_v_tail(*cur))
    *acc = liq_v_cons(liq_v_head(*cur), *acc);
  liq_value r = *acc;
  liq_eval_pop(3);
  return r;
}

/* map/mapi/filter_map: results pushed, then built. */
static liq_value map_gen(liq_call *c, int mode)
{
  liq_value f = liq_arg(c, 0);
  liq_value *pf = liq_eval_push(f);
  size_t n = spill(list_arg(c, 1));
  liq_value *items = top(n);
  liq_eval_pop(1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    liq_value x = items[i];
    if (mode == 0) items[k++] = liq_eval_call1(*pf, x);
    else if (mode == 1) items[k++] = liq_eval_call2(*pf, liq_v_int((int64_t)i), x);
    else if (mode == 3) {
      liq_value y = liq_eval_call1(*pf, x);
      if (liq_v_base(y) != LIQ_NULL) items[k++] = y;
    }
  }
  liq_value r = build(items, k);
  liq_eval_pop((int)n + 1);
  return r;
}

LIQ_BUILTIN(b_map) { return map_gen(c, 0); }
LIQ_BUILTIN(b_mapi) { return map_gen(c, 1); }
/* list.filter works from the right, as in 2.1.3: the predicate, and
 * `remove` on each element dropped, see the last element first. */
LIQ_BUILTIN(b_filter)
{
  liq_value *pf = liq_eval_push(liq_arg(c, 0));
  liq_value *premove = liq_eval_push(liq_arg_label(c, "remove", LIQ_NOVALUE));
  size_t n = spill(list_arg(c, 1));
  liq_value *items = top(n);
  liq_value *acc = items + n; /* the slot top() pushed */
  *acc = LIQ_NIL;
  for (size_t i = n; i > 0; i--) {
    if (liq_v_base(liq_eval_call1(*pf, items[i - 1])) == LIQ_TRUE) *acc = liq_v_cons(items[i - 1], *acc);
    else if (*premove != LIQ_NOVALUE) liq_eval_call1(*premove, items[i - 1]);
  }
  liq_value r = *acc;
  liq_eval_pop((int)n + 3);
  return r;
}
LIQ_BUILTIN(b_filter_map) { return map_gen(c, 3); }

static liq_value iter_gen(liq_call *c, int indexed)
{
  liq_value *pf = liq_eval_push(liq_arg(c, 0));
  liq_value *cur = liq_eval_push(list_arg(c, 1));
  for (int64_t i = 0; *cur != LIQ_NIL; *cur = liq_v_tail(*cur), i++) {
    if (indexed) liq_eval_call2(*pf, liq_v_int(i), liq_v_head(*cur));
    else liq_eval_call1(*pf, liq_v_head(*cur));
  }
  liq_eval_pop(2);
  return LIQ_UNIT;
}

LIQ_BUILTIN(b_iter) { return iter_gen(c, 0); }
LIQ_BUILTIN(b_iteri) { return iter_gen(c, 1); }

LIQ_BUILTIN(b_fold)
{
  liq_value *pf = liq_eval_push(liq_arg(c, 0));
  liq_value *acc = liq_eval_push(liq_arg(c, 1));
  liq_value *cur = liq_eval_push(list_arg(c, 2));
  for (; *cur != LIQ_NIL; *cur = liq_v_tail(*cur)) *acc = liq_eval_call2(*pf, *acc, liq_v_head(*cur));
  liq_value r = *acc;
  liq_eval_pop(3);
  return r;
}

LIQ_BUILTIN(b_fold_right)
{
  liq_value *pf = liq_eval_push(liq_arg(c, 0));
  liq_value *acc = liq_eval_push(liq_arg(c, 1));
  size_t n = spill(list_arg(c, 2));
  liq_value *items = top(n);
  liq_eval_pop(1);
  for (size_t i = n; i > 0; i--) *acc = liq_eval_call2(*pf, items[i - 1], *acc);
  liq_value r = *acc;
  liq_eval_pop((int)n + 2);
  return r;
}

/* list.ind(l, d, f) = f(x, l', ind(l', d, f)) */
LIQ_BUILTIN(b_ind)
{
  liq_value *pf = liq_eval_push(liq_arg(c, 2));
  liq_value *acc = liq_eval_push(liq_arg(c, 1));
  size_t n = spill(list_arg(c, 0));
  liq_value *items = top(n);
  liq_eval_pop(1);
  liq_value *tail = liq_eval_push(LIQ_NIL);
  for (size_t i = n; i > 0; i--) {
    liq_value args[3] = {items[i - 1], *tail, *acc};
    *acc = liq_eval_apply(*pf, 3, NULL, args);
    *tail = liq_v_cons(items[i - 1], *tail);
  }
  liq_value r = *acc;
  liq_eval_pop((int)n + 3);
  return r;
}

LIQ_BUILTIN(b_case)
{
  liq_value l = list_arg(c, 0);
  if (l == LIQ_NIL) return liq_arg(c, 1);
  return liq_eval_call2(liq_arg(c, 2), liq_v_head(l), liq_v_tail(l));
}

static liq_value *sort_fn;
static int sort_cmp(const void *a, const void *b)
{
  return (int)liq_to_int(liq_eval_call2(*sort_fn, *(const liq_value *)a, *(const liq_value *)b));
}

LIQ_BUILTIN(b_sort)
{
  liq_value *pf = liq_eval_push(liq_arg(c, 0));
  size_t n = spill(list_arg(c, 1));
  liq_value *items = top(n);
  liq_eval_pop(1);
  /* Stable merge sort would be nicer; qsort is not stable but
   * TODO(stability): Liquidsoap uses List.sort (stable merge sort). */
  liq_value *saved = sort_fn;
  sort_fn = pf;
  /* insertion-merge: simple stable sort for correctness */
  for (size_t i = 1; i < n; i++) {
    liq_value x = items[i];
    size_t j = i;
    liq_value *px = liq_eval_push(x);
    while (j > 0 && liq_to_int(liq_eval_call2(*pf, items[j - 1], *px)) > 0) {
      items[j] = items[j - 1];
      j--;
    }
    items[j] = *px;
    liq_eval_pop(1);
  }
  (void)sort_cmp;
  sort_fn = saved;
  liq_value r = build(items, n);
  liq_eval_pop((int)n + 1);
  return r;
}

LIQ_BUILTIN(b_assoc)
{
  liq_value k = liq_arg(c, 0);
  for (liq_value l = list_arg(c, 1); l != LIQ_NIL; l = liq_v_tail(l)) {
    liq_value p = liq_v_base(liq_v_head(l));
    if (liq_value_equal(liq_v_tuple_get(p, 0), k)) return liq_v_tuple_get(p, 1);
  }
  return dflt_or_raise(c, "list.assoc");
}

LIQ_BUILTIN(b_assoc_remove)
{
  liq_value *k = liq_eval_push(liq_arg(c, 0));
  size_t n = spill(list_arg(c, 1));
  liq_value *items = top(n);
  liq_eval_pop(1);
  size_t m = 0;
  int removed = 0;
  for (size_t i = 0; i < n; i++) {
    if (!removed && liq_value_equal(liq_v_tuple_get(liq_v_base(items[i]), 0), *k)) {
      removed = 1;
      continue;
    }
    items[m++] = items[i];
  }
  liq_value r = build(items, m);
  liq_eval_pop((int)n + 1);
  return r;
}

LIQ_BUILTIN(b_remove)
{
  liq_value *k = liq_eval_push(liq_arg(c, 0));
  size_t n = spill(list_arg(c, 1));
  liq_value *items = top(n);
  liq_eval_pop(1);
  size_t m = 0;
  int removed = 0;
  for (size_t i = 0; i < n; i++) {
    if (!removed && liq_value_equal(items[i], *k)) {
      removed = 1;
      continue;
    }
    items[m++] = items[i];
  }
  liq_value r = build(items, m);
  liq_eval_pop((int)n + 1);
  return r;
}

LIQ_BUILTIN(b_mem)
{
  liq_value k = liq_arg(c, 0);
  for (liq_value l = list_arg(c, 1); l != LIQ_NIL; l = liq_v_tail(l))
    if (liq_value_equal(liq_v_head(l), k)) return LIQ_TRUE;
  return LIQ_FALSE;
}

/* exists (mode 0), for_all (1), find (2), index (3) */
static liq_value search(liq_call *c, int mode)
{
  liq_value *pf = liq_eval_push(liq_arg(c, 0));
  liq_value *cur = liq_eval_push(list_arg(c, 1));
  liq_value r = LIQ_NOVALUE;
  for (int64_t i = 0; *cur != LIQ_NIL; *cur = liq_v_tail(*cur), i++) {
    bool t = liq_v_base(liq_eval_call1(*pf, liq_v_head(*cur))) == LIQ_TRUE;
    if (mode == 0 && t) { r = LIQ_TRUE; break; }
    if (mode == 1 && !t) { r = LIQ_FALSE; break; }
    if (mode == 2 && t) { r = liq_v_head(*cur); break; }
    if (mode == 3 && t) { r = liq_v_int(i); break; }
  }
  liq_eval_pop(2);
  if (r != LIQ_NOVALUE) return r;
  switch (mode) {
  case 0: return LIQ_FALSE;
  case 1: return LIQ_TRUE;
  case 2: return dflt_or_raise(c, "list.find");
  default: return liq_v_int(-1);
  }
}

LIQ_BUILTIN(b_exists) { return search(c, 0); }
LIQ_BUILTIN(b_for_all) { return search(c, 1); }
LIQ_BUILTIN(b_find) { return search(c, 2); }
LIQ_BUILTIN(b_index) { return search(c, 3); }

LIQ_BUILTIN(b_init)
{
  int64_t n = liq_arg_int(c, 0);
  liq_value *pf = liq_eval_push(liq_arg(c, 1));
  for (int64_t i = 0; i < n; i++) {
    liq_value v = liq_eval_call1(*pf, liq_v_int(i));
    liq_eval_push(v);
  }
  liq_value r = build(pf + 1, (size_t)(n > 0 ? n : 0));
  liq_eval_pop((int)(n > 0 ? n : 0) + 1);
  return r;
}

LIQ_BUILTIN(b_indexed)
{
  size_t n = spill(list_arg(c, 0));
  liq_value *items = top(n);
  liq_eval_pop(1);
  for (size_t i = 0; i < n; i++) {
    liq_value p[2] = {liq_v_int((int64_t)i), items[i]};
    items[i] = liq_v_tuple(2, p);
  }
  liq_value r = build(items, n);
  liq_eval_pop((int)n);
  return r;
}

LIQ_BUILTIN(b_prefix)
{
  int64_t k = liq_arg_int(c, 0);
  size_t n = spill(list_arg(c, 1));
  liq_value *items = top(n);
  liq_eval_pop(1);
  size_t m = k < 0 ? 0 : (size_t)k < n ? (size_t)k : n;
  liq_value r = build(items, m);
  liq_eval_pop((int)n);
  return r;
}

/* list.slice(offset=, length=, l) (HEAD) */
LIQ_BUILTIN(b_slice)
{
  int64_t off = liq_to_int(liq_arg_label(c, "offset", liq_v_int(0)));
  size_t n = spill(list_arg(c, 0));
  liq_value *items = top(n);
  liq_eval_pop(1);
  int64_t len = liq_to_int(liq_arg_label(c, "length", liq_v_int((int64_t)n)));
  if (off < 0) off = 0;
  if ((size_t)off > n) off = (int64_t)n;
  if (len < 0) len = 0;
  if ((size_t)(off + len) > n) len = (int64_t)n - off;
  liq_value r = build(items + off, (size_t)len);
  liq_eval_pop((int)n);
  return r;
}

LIQ_BUILTIN(b_insert)
{
  int64_t k = liq_arg_int(c, 0);
  liq_value *x = liq_eval_push(liq_arg(c, 1));
  size_t n = spill(list_arg(c, 2));
  liq_value *items = top(n);
  liq_eval_pop(1);
  liq_eval_push(LIQ_UNIT);
  if (k < 0) k = 0;
  if ((size_t)k > n) k = (int64_t)n;
  memmove(items + k + 1, items + k, (n - (size_t)k) * sizeof(liq_value));
  items[k] = *x;
  liq_value r = build(items, n + 1);
  liq_eval_pop((int)n + 2);
  return r;
}

LIQ_BUILTIN(b_shuffle)
{
  size_t n = spill(list_arg(c, 0));
  liq_value *items = top(n);
  liq_eval_pop(1);
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)random() % i;
    liq_value t = items[i - 1];
    items[i - 1] = items[j];
    items[j] = t;
  }
  liq_value r = build(items, n);
  liq_eval_pop((int)n);
  return r;
}

LIQ_BUILTIN(b_flatten)
{
  /* Pushing on the root stack never allocates, so walking with plain C
   * locals is safe until build(). */
  liq_value *ls = liq_eval_push(list_arg(c, 0));
  size_t total = 0;
  for (liq_value l = *ls; l != LIQ_NIL; l = liq_v_tail(l))
    for (liq_value m = liq_v_base(liq_v_head(l)); m != LIQ_NIL; m = liq_v_tail(m), total++)
      liq_eval_push(liq_v_head(m));
  liq_value r = build(ls + 1, total);
  liq_eval_pop((int)total + 1);
  return r;
}

/* list.iterator(l): a function returning each element then null. */
static liq_value iterator_next(liq_call *c, liq_value data)
{
  (void)c;
  liq_value l = liq_v_ref_get(data);
  if (liq_v_base(l) == LIQ_NIL) return LIQ_NULL;
  liq_v_ref_set(data, liq_v_tail(l));
  return liq_v_head(l);
}

LIQ_BUILTIN(b_iterator)
{
  liq_value *r = liq_eval_push(liq_v_ref(list_arg(c, 0)));
  liq_value f = liq_v_builtin(iterator_next, "list.iterator", *r);
  liq_eval_pop(1);
  return f;
}

static const liq_builtin_def list_defs[] = {
  {"list.hd", "(?default : 'a?, ['a]) -> 'a", "Return the head (first element) of a list, or default if the list is empty.", "List", b_hd},
  {"list.tl", "(['a]) -> ['a]", "Return the list without its first element.", "List", b_tl},
  {"list.nth", "(?default : 'a?, ['a], int) -> 'a", "Get the n-th element of a list (the first is at position 0).", "List", b_nth},
  {"list.length", "(['a]) -> int", "Compute the length of a list.", "List", b_length},
  {"list.append", "(['a], ['a]) -> ['a]", "Catenate two lists.", "List", b_append},
  {"list.rev", "(['a]) -> ['a]", "Revert list order.", "List", b_rev},
  {"list.map", "((('a) -> 'b), ['a]) -> ['b]", "Map a function on every element of a list.", "List", b_map},
  {"list.mapi", "(((int, 'a) -> 'b), ['a]) -> ['b]", "Map a function on every element of a list, along with its index.", "List", b_mapi},
  {"list.iter", "((('a) -> unit), ['a]) -> unit", "Call a function on every element of a list.", "List", b_iter},
  {"list.iteri", "(((int, 'a) -> unit), ['a]) -> unit", "Call a function on every element of a list, along with its index.", "List", b_iteri},
  {"list.filter", "(?remove : (('a) -> unit), (('a) -> bool), ['a]) -> ['a]", "Filter a list according to a predicate (from the right); remove is called on each element removed.", "List", b_filter},
  {"list.filter_map", "((('a) -> 'b?), ['a]) -> ['b]", "Map and keep the non-null results.", "List", b_filter_map},
  {"list.fold", "((('a, 'b) -> 'a), 'a, ['b]) -> 'a", "Fold a function on every element of a list: list.fold(f,x1,[e1,..,en]) is f(...f(f(x1,e1),e2)...,en).", "List", b_fold},
  {"list.fold.right", "((('a, 'b) -> 'b), 'b, ['a]) -> 'b", "Fold a function on every element of a list, from the right.", "List", b_fold_right},
  {"list.sort", "((('a, 'a) -> int), ['a]) -> ['a]", "Sort a list according to a comparison function (stable).", "List", b_sort},
  {"list.assoc", "(?default : 'a?, 'b, [('b * 'a)]) -> 'a where 'b is an orderable type", "l.assoc(k) returns the first v such that (k,v) is in the list l.", "List", b_assoc},
  {"list.assoc.remove", "('a, [('a * 'b)]) -> [('a * 'b)] where 'a is an orderable type", "Remove the first pair from an associative list.", "List", b_assoc_remove},
  {"list.remove", "('a, ['a]) -> ['a] where 'a is an orderable type", "Remove the first occurrence of a value from a list.", "List", b_remove},
  {"list.mem", "('a, ['a]) -> bool where 'a is an orderable type", "Check whether an element belongs to a list.", "List", b_mem},
  {"list.exists", "((('a) -> bool), ['a]) -> bool", "Determine whether there exists an element satisfying a predicate.", "List", b_exists},
  {"list.for_all", "((('a) -> bool), ['a]) -> bool", "Determine whether all the elements satisfy a predicate.", "List", b_for_all},
  {"list.find", "(?default : 'a?, (('a) -> bool), ['a]) -> 'a", "Look for the first element satisfying a predicate.", "List", b_find},
  {"list.index", "((('a) -> bool), ['a]) -> int", "Index of the first element satisfying a predicate (-1 if none).", "List", b_index},
  {"list.init", "(int, ((int) -> 'a)) -> ['a]", "Initialize a list.", "List", b_init},
  {"list.is_empty", "(['a]) -> bool", "Whether a list is empty.", "List", b_is_empty},
  {"list.last", "(?default : 'a?, ['a]) -> 'a", "Return the last element of a list.", "List", b_last},
  {"list.add", "('a, ['a]) -> ['a]", "Add an element at the top of a list.", "List", b_add},
  {"list.case", "(['a], 'b, (('a, ['a]) -> 'b)) -> 'b", "Define a function by case analysis on a list.", "List", b_case},
  {"list.ind", "(['a], 'b, (('a, ['a], 'b) -> 'b)) -> 'b", "Define a function by induction on a list.", "List", b_ind},
  {"list.iterator", "(['a]) -> () -> 'a?", "Create an iterator over the elements of a list.", "List", b_iterator},
  {"list.indexed", "(['a]) -> [(int * 'a)]", "Associate to each element of a list its index.", "List", b_indexed},
  {"list.prefix", "(int, ['a]) -> ['a]", "First n elements of a list.", "List", b_prefix},
  {"list.slice", "(?offset : int, ?length : int, ['a]) -> ['a]", "Sub-list from offset, of the given length.", "List", b_slice},
  {"list.insert", "(int, 'a, ['a]) -> ['a]", "Insert an element at a given position.", "List", b_insert},
  {"list.shuffle", "(['a]) -> ['a]", "Shuffle the content of a list.", "List", b_shuffle},
  {"list.flatten", "([['a]]) -> ['a]", "Concatenate a list of lists.", "List", b_flatten},
};

const liq_lib_module liq_lib_list = {"list", list_defs, LIQ_NELEMS(list_defs), NULL, NULL};
