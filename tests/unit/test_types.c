/* Unit tests of lang/types.c: printing, subtyping, sup, generalisation.
 * Types are built directly (no parser). Prints one line per failure and
 * ends with "types: N passed, M failed"; exit status 1 on failure. */
#include <stdio.h>
#include <string.h>

#include "runtime/mem.h"
#include "lang/types.h"

static int passed, failed;

static void expect_str(const char *what, char *got, const char *want)
{
  if (strcmp(got, want) == 0) passed++;
  else {
    failed++;
    printf("FAIL %s: got `%s`, want `%s`\n", what, got, want);
  }
  liq_mem_free(got);
}

static void expect(const char *what, int cond)
{
  if (cond) passed++;
  else {
    failed++;
    printf("FAIL %s\n", what);
  }
}

#define INT liq_ty_ground(LIQ_T_INT)
#define FLOAT liq_ty_ground(LIQ_T_FLOAT)
#define STR liq_ty_ground(LIQ_T_STRING)
#define BOOL liq_ty_ground(LIQ_T_BOOL)

static liq_type *arrow1(liq_type *a, liq_type *r)
{
  liq_ty_param p = {NULL, 0, a};
  return liq_ty_arrow(&p, 1, r);
}

static liq_type *record2(const char *n1, liq_type *t1, const char *n2, liq_type *t2)
{
  liq_type *r = liq_ty_unit();
  if (n2) r = liq_ty_meth(n2, NULL, 0, t2, r);
  return liq_ty_meth(n1, NULL, 0, t1, r);
}

static char *err_string(liq_ty_err *e)
{
  liq_sb sb = LIQ_SB_INIT;
  liq_ty_printer p;
  liq_ty_printer_init(&p);
  liq_ty_print(&sb, &p, e->left);
  liq_sb_puts(&sb, " / ");
  liq_ty_print(&sb, &p, e->right);
  liq_ty_printer_free(&p);
  return liq_sb_take(&sb);
}

static void test_printing(void)
{
  expect_str("int", liq_ty_to_string(INT), "int");
  expect_str("unit", liq_ty_to_string(liq_ty_unit()), "unit");
  liq_type *items[3] = {INT, STR, BOOL};
  expect_str("tuple", liq_ty_to_string(liq_ty_tuple(items, 3)), "int * string * bool");
  liq_type *tt = liq_ty_pair(liq_ty_pair(INT, INT), INT);
  expect_str("nested tuple", liq_ty_to_string(tt), "(int * int) * int");
  liq_ty_param ps[3] = {{NULL, 0, INT}, {"y", 1, INT}, {NULL, 1, INT}};
  expect_str("arrow", liq_ty_to_string(liq_ty_arrow(ps, 3, INT)), "(int, ?y : int, ?int) -> int");
  liq_type *a = liq_ty_var(0);
  a->u.var.level = LIQ_TY_GENERIC;
  expect_str("id", liq_ty_to_string(arrow1(a, a)), "('a) -> 'a");
  liq_type *w = liq_ty_var(0);
  expect_str("weak", liq_ty_to_string(liq_ty_nullable(w)), "'A?");
  expect_str("record", liq_ty_to_string(record2("b", STR, "a", INT)), "{a : int, b : string}");
  expect_str("meth", liq_ty_to_string(liq_ty_meth("foo", NULL, 0, STR, INT)), "int.{foo : string}");
  liq_type *n = liq_ty_var_c(0, LIQ_TY_C_NUM);
  n->u.var.level = LIQ_TY_GENERIC;
  liq_ty_param pn[2] = {{NULL, 0, n}, {NULL, 0, n}};
  expect_str("num", liq_ty_to_string(liq_ty_arrow(pn, 2, n)),
             "('a, 'a) -> 'a where 'a is a number type");
  expect_str("tuple param", liq_ty_to_string(arrow1(liq_ty_pair(INT, a), INT)),
             "((int * 'a)) -> int");
  expect_str("arrow param", liq_ty_to_string(arrow1(arrow1(INT, a), a)),
             "(((int) -> 'a)) -> 'a");
  expect_str("nullable arrow", liq_ty_to_string(liq_ty_list(liq_ty_nullable(liq_ty_arrow(NULL, 0, INT)))),
             "[(() -> int)?]");
  expect_str("getter", liq_ty_to_string(arrow1(liq_ty_getter(a), a)), "({'a}) -> 'a");
  expect_str("ref", liq_ty_to_string(liq_ty_ref(INT)), "ref(int)");
  expect_str("curried", liq_ty_to_string(liq_ty_arrow(pn, 2, liq_ty_arrow(NULL, 0, liq_ty_nullable(INT)))),
             "('a, 'a) -> () -> int? where 'a is a number type");
  liq_type *b = liq_ty_var(0);
  b->u.var.level = LIQ_TY_GENERIC;
  liq_type *scheme_var = liq_ty_var(0);
  scheme_var->u.var.level = LIQ_TY_GENERIC;
  liq_type *m = liq_ty_meth("right", &scheme_var, 1, arrow1(scheme_var, scheme_var), arrow1(b, b));
  expect_str("scheme", liq_ty_to_string(m), "(('a) -> 'a).{right : 'b.('b) -> 'b}");
  liq_type *open = liq_ty_meth("a", NULL, 0, a, b);
  expect_str("row", liq_ty_to_string(arrow1(open, a)), "('b.{a : 'a}) -> 'a");
}

static void test_sub(void)
{
  liq_ty_err e;
  expect("int <: int", liq_ty_sub(INT, INT, &e));
  expect("int </: string", !liq_ty_sub(INT, STR, &e));
  expect_str("int/string msg", err_string(&e), "int / string");
  expect("int <: int?", liq_ty_sub(INT, liq_ty_nullable(INT), &e));
  expect("int? </: int", !liq_ty_sub(liq_ty_nullable(INT), INT, &e));
  /* variables */
  liq_type *v = liq_ty_var(0);
  expect("int <: 'a", liq_ty_sub(INT, v, &e));
  expect("'a bound", liq_ty_deref(v)->kind == LIQ_T_INT);
  expect("string </: 'a=int", !liq_ty_sub(STR, v, &e));
  /* width subtyping */
  liq_type *ab = record2("a", INT, "b", INT);
  liq_type *a = record2("a", INT, NULL, NULL);
  expect("{a,b} <: {a}", liq_ty_sub(ab, a, &e));
  expect("{a} </: {a,b}", !liq_ty_sub(a, ab, &e));
  expect("no method b", e.kind == LIQ_TY_ERR_NO_METHOD && strcmp(e.name, "b") == 0);
  liq_type *as = record2("a", STR, NULL, NULL);
  expect("{a:int} </: {a:string}", !liq_ty_sub(a, as, &e));
  expect_str("field msg", err_string(&e), "{a : int, ...} / {a : string, ...}");
  /* tuple holes */
  expect("tuple mismatch", !liq_ty_sub(liq_ty_pair(INT, STR), liq_ty_pair(INT, INT), &e));
  expect_str("tuple msg", err_string(&e), "_ * string / _ * int");
  /* functions with extra optional args */
  liq_ty_param opt[2] = {{NULL, 0, INT}, {"x", 1, STR}};
  liq_type *f_opt = liq_ty_arrow(opt, 2, INT);
  expect("(int, ?x) -> int <: (int) -> int", liq_ty_sub(f_opt, arrow1(INT, INT), &e));
  expect("(int) -> int </: (int, ?x) -> int", !liq_ty_sub(arrow1(INT, INT), f_opt, &e));
  expect("ret mismatch", !liq_ty_sub(arrow1(INT, STR), arrow1(INT, INT), &e));
  expect_str("ret msg", err_string(&e), "(...) -> string / (...) -> int");
  /* contravariance: (int?) -> int <: (int) -> int */
  expect("contra", liq_ty_sub(arrow1(liq_ty_nullable(INT), INT), arrow1(INT, INT), &e));
  expect("contra fail", !liq_ty_sub(arrow1(INT, INT), arrow1(liq_ty_nullable(INT), INT), &e));
  /* getters */
  expect("float <: {float}", liq_ty_sub(FLOAT, liq_ty_getter(FLOAT), &e));
  expect("() -> float <: {float}", liq_ty_sub(liq_ty_arrow(NULL, 0, FLOAT), liq_ty_getter(FLOAT), &e));
  expect("() -> int </: {float}", !liq_ty_sub(liq_ty_arrow(NULL, 0, INT), liq_ty_getter(FLOAT), &e));
  /* constraints */
  liq_type *n = liq_ty_var_c(0, LIQ_TY_C_NUM);
  expect("string </: num", !liq_ty_sub(STR, n, &e));
  expect("constraint kind", e.kind == LIQ_TY_ERR_CONSTRAINT && e.constraint == LIQ_TY_C_NUM);
  expect("num var free after failure", liq_ty_is_free_var(n));
  expect("float <: num", liq_ty_sub(FLOAT, n, &e));
  liq_type *o = liq_ty_var_c(0, LIQ_TY_C_ORD);
  expect("fun </: ord", !liq_ty_sub(liq_ty_arrow(NULL, 0, INT), o, &e));
  expect("[int*string] <: ord", liq_ty_sub(liq_ty_list(liq_ty_pair(INT, STR)), o, &e));
  /* occurs check */
  liq_type *x = liq_ty_var(0);
  expect("occurs", !liq_ty_sub(x, arrow1(x, INT), &e) && e.kind == LIQ_TY_ERR_OCCURS);
  /* row extension */
  liq_type *row = liq_ty_var(0);
  expect("'r <: {a:int}", liq_ty_sub(row, a, &e));
  liq_type *r2 = liq_ty_var(0), *fa = liq_ty_var(0), *rest = liq_ty_var(0);
  liq_type *open = liq_ty_meth("a", NULL, 0, fa, rest);
  expect("{a:int,b:string} <: 'r.{a:'f}", liq_ty_sub(record2("a", INT, "b", STR), open, &e));
  expect("field var bound", liq_ty_deref(fa)->kind == LIQ_T_INT);
  expect_str("rest keeps b", liq_ty_to_string(rest), "{b : string}");
  (void)r2;
  /* extension of an open value */
  liq_type *base = liq_ty_var(0);
  liq_type *val = liq_ty_meth("a", NULL, 0, INT, base);
  expect("'r.{a} <: {a,b}", liq_ty_sub(val, ab, &e));
  expect_str("extended", liq_ty_to_string(val), "{a : int, b : int}");
  /* refs are invariant */
  expect("ref(int) </: ref(int?)", !liq_ty_sub(liq_ty_ref(INT), liq_ty_ref(liq_ty_nullable(INT)), &e));
  expect_str("ref msg", err_string(&e), "ref(int) / ref(int?)");
}

static void test_widening(void)
{
  liq_ty_err e;
  /* [3, null()] */
  liq_type *elem = liq_ty_var(0);
  expect("int <: e", liq_ty_sub(INT, elem, &e));
  expect("'A? <: e (widens)", liq_ty_sub(liq_ty_nullable(liq_ty_var(0)), elem, &e));
  expect_str("[int?]", liq_ty_to_string(liq_ty_list(elem)), "[int?]");
  /* records join */
  liq_type *r = liq_ty_var(0);
  expect("{a,b} <: r", liq_ty_sub(record2("a", INT, "b", INT), r, &e));
  expect("{a} <: r", liq_ty_sub(record2("a", INT, NULL, NULL), r, &e));
  expect_str("join", liq_ty_to_string(r), "{a : int}");
  liq_type *r3 = liq_ty_var(0);
  liq_type *c1 = liq_ty_meth("a", NULL, 0, INT, record2("b", INT, "c", INT));
  liq_type *c2 = liq_ty_meth("a", NULL, 0, STR, record2("b", INT, "d", STR));
  expect("c1 <: r3", liq_ty_sub(c1, r3, &e));
  expect("c2 <: r3", liq_ty_sub(c2, r3, &e));
  expect_str("common fields", liq_ty_to_string(r3), "{b : int}");
  /* [[3], [null()]] */
  liq_type *inner = liq_ty_var(0);
  liq_ty_sub(INT, inner, &e);
  liq_type *outer = liq_ty_var(0);
  expect("[w] <: o", liq_ty_sub(liq_ty_list(inner), outer, &e));
  expect("['A?] <: o", liq_ty_sub(liq_ty_list(liq_ty_nullable(liq_ty_var(0))), outer, &e));
  expect_str("[[int?]]", liq_ty_to_string(liq_ty_list(outer)), "[[int?]]");
  /* a covariant link used on the left no longer widens */
  liq_type *w = liq_ty_var(0);
  liq_ty_sub(INT, w, &e);
  liq_type *u = liq_ty_var(0);
  expect("w <: u", liq_ty_sub(w, u, &e));
  expect("'A? <: u", liq_ty_sub(liq_ty_nullable(liq_ty_var(0)), u, &e));
  expect_str("w stays int", liq_ty_to_string(w), "int");
  expect_str("u widened", liq_ty_to_string(u), "int?");
  /* incompatible stays an error */
  liq_type *z = liq_ty_var(0);
  liq_ty_sub(INT, z, &e);
  expect("string </: z", !liq_ty_sub(STR, z, &e));
  expect_str("z unchanged", liq_ty_to_string(z), "int");
}

static void test_generalize(void)
{
  liq_type *a = liq_ty_var(1);
  liq_type *f = arrow1(a, a);
  liq_ty_generalize(f, 0);
  expect_str("generalized", liq_ty_to_string(f), "('a) -> 'a");
  liq_type *i1 = liq_ty_instantiate(f, 0);
  liq_type *i2 = liq_ty_instantiate(f, 0);
  liq_ty_err e;
  expect("inst1 int", liq_ty_sub(arrow1(INT, INT), i1, &e));
  expect("inst2 string", liq_ty_sub(arrow1(STR, STR), i2, &e));
  expect_str("scheme intact", liq_ty_to_string(f), "('a) -> 'a");
  /* a weak variable stays shared */
  liq_type *w = liq_ty_var(0);
  liq_type *g = arrow1(w, w);
  liq_ty_generalize(g, 0);
  expect("no copy without generic vars", liq_ty_instantiate(g, 0) == g);
  /* method schemes survive the instantiation of their holder */
  liq_type *mv = liq_ty_var(2);
  liq_type *m = liq_ty_meth("id", NULL, 0, arrow1(mv, mv), liq_ty_unit());
  liq_ty_generalize_meth(m, 1);
  liq_type *holder = liq_ty_instantiate(m, 0);
  expect("holder shared", holder == m);
  liq_type *t1 = liq_ty_instantiate_meth(m, 0);
  liq_type *t2 = liq_ty_instantiate_meth(m, 0);
  expect("meth inst int", liq_ty_sub(arrow1(INT, INT), t1, &e));
  expect("meth inst string", liq_ty_sub(arrow1(STR, STR), t2, &e));
  expect_str("meth print", liq_ty_to_string(m), "{id : 'a.('a) -> 'a}");
  /* lowering prevents a later generalisation */
  liq_type *l = liq_ty_var(3);
  liq_ty_lower(l, 0);
  liq_ty_generalize(l, 0);
  expect_str("lowered stays weak", liq_ty_to_string(l), "'A");
}

int main(void)
{
  liq_ty_arena *arena = liq_ty_arena_new();
  liq_ty_use_arena(arena);
  test_printing();
  test_sub();
  test_widening();
  test_generalize();
  liq_ty_arena_free(arena);
  printf("types: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
