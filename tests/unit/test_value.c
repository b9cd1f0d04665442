/* test_value: value representation (runtime/value.c). Exit 0 = pass; one
 * line per failed check.
 *
 * The printing and comparison expectations were captured from the
 * Liquidsoap 2.1.3 binary (`print(...)` in a script run with --check).
 * Test values are built on the pin stack (pin() below) so that GC-stress
 * builds, which collect at every allocation, exercise the constructors'
 * own rooting. */
#include "config.h"
#include "runtime/gc.h"
#include "runtime/mem.h"
#include "runtime/value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      failures++;                                                           \
    }                                                                       \
  } while (0)

/* --- Building test values ------------------------------------------------------ */

static liq_value *pinned[1024];
static size_t npinned;

static liq_value pin(liq_value v)
{
  pinned[npinned++] = liq_gc_pin(v);
  return v;
}

static void unpin_all(void)
{
  while (npinned > 0) liq_gc_unpin(pinned[--npinned]);
}

#define I(n) liq_v_int(n)
#define ARR(...) ((liq_value[]){__VA_ARGS__})
#define NAMES(...) ((const char *[]){__VA_ARGS__})
#define COUNT(...) (sizeof(ARR(__VA_ARGS__)) / sizeof(liq_value))
#define LIST(...) list_of(COUNT(__VA_ARGS__), ARR(__VA_ARGS__))
#define TUPLE(...) tuple_of(COUNT(__VA_ARGS__), ARR(__VA_ARGS__))

/* Each helper pins inside itself, so that f(S("a"), S("b")) is safe: two
 * function bodies never interleave. */
static liq_value list_of(size_t n, const liq_value *items) { return pin(liq_v_list(n, items)); }
static liq_value tuple_of(size_t n, const liq_value *items) { return pin(liq_v_tuple(n, items)); }
static liq_value REF(liq_value v) { return pin(liq_v_ref(v)); }
static liq_value S(const char *s) { return pin(liq_v_cstring(s)); }
static liq_value SB(const char *s, size_t len) { return pin(liq_v_string(s, len)); }
static liq_value F(double d) { return pin(liq_v_float(d)); }
static liq_sym sym(const char *s) { return liq_sym_permanent(s); }

/* v with methods names[i] = values[i]; the values must be pinned. */
static liq_value meths(liq_value v, size_t n, const char **names, const liq_value *values)
{
  liq_sym syms[16];
  for (size_t i = 0; i < n; i++) syms[i] = sym(names[i]);
  return pin(liq_v_meths_add(v, n, syms, values));
}
#define METHS(v, names, ...) meths(v, COUNT(__VA_ARGS__), NAMES names, ARR(__VA_ARGS__))
#define REC(names, ...) METHS(LIQ_UNIT, names, __VA_ARGS__)

/* want is a string literal: its length comes from sizeof, NULs included. */
static void expect_print(int line, liq_value v, bool quoted, const char *want, size_t want_len)
{
  liq_sb sb = LIQ_SB_INIT;
  liq_value_print(&sb, v, quoted);
  if (sb.len != want_len || memcmp(liq_sb_str(&sb), want, sb.len) != 0) {
    printf("%s:%d: printed `%s`, expected `%s`\n", __FILE__, line, liq_sb_str(&sb), want);
    failures++;
  }
  liq_sb_free(&sb);
}
#define PRINTS(v, want) expect_print(__LINE__, v, false, want, sizeof(want) - 1)
#define PRINTS_Q(v, want) expect_print(__LINE__, v, true, want, sizeof(want) - 1)

/* --- Integers -------------------------------------------------------------------- */

static void test_ints(void)
{
  CHECK(liq_v_int_val(I(LIQ_INT_MAX)) == LIQ_INT_MAX);
  CHECK(liq_v_int_val(I(LIQ_INT_MIN)) == LIQ_INT_MIN);
  CHECK(liq_v_int_val(I(-1)) == -1);
  CHECK(liq_v_int_val(I(LIQ_INT_MAX + 1)) == LIQ_INT_MIN); /* wraps */
  CHECK(liq_int_add(LIQ_INT_MAX, 1) == LIQ_INT_MIN);
  CHECK(liq_int_sub(LIQ_INT_MIN, 1) == LIQ_INT_MAX);
  CHECK(liq_int_mul(LIQ_INT_MAX, 2) == -2);
  CHECK(liq_int_neg(LIQ_INT_MIN) == LIQ_INT_MIN);
  int64_t r;
  CHECK(liq_int_div(-7, 2, &r) && r == -3);
  CHECK(liq_int_div(LIQ_INT_MIN, -1, &r) && r == LIQ_INT_MIN);
  CHECK(liq_int_mod(7, -3, &r) && r == 1);
  CHECK(liq_int_mod(-7, 3, &r) && r == -1);
  CHECK(!liq_int_div(1, 0, &r));
  CHECK(!liq_int_mod(1, 0, &r));
  CHECK(liq_value_kind(I(3)) == LIQ_K_INT);
  CHECK(liq_is_int(I(0)) && !liq_is_obj(I(0)) && !liq_is_immediate(I(0)));
  CHECK(liq_is_immediate(LIQ_UNIT) && liq_is_immediate(LIQ_NIL) && !liq_is_obj(LIQ_NULL));
  PRINTS(I(LIQ_INT_MAX), "4611686018427387903");
  PRINTS(I(liq_int_add(LIQ_INT_MAX, 1)), "-4611686018427387904");
}

/* --- Printing -------------------------------------------------------------------- */

static void test_print_scalars(void)
{
  PRINTS(LIQ_UNIT, "()");
  PRINTS(LIQ_TRUE, "true");
  PRINTS(LIQ_NULL, "null");
  PRINTS(F(1.0), "1.");
  PRINTS(F(0.5), "0.5");
  PRINTS(F(0.1 + 0.2), "0.3");
  PRINTS(F(1e20), "1e+20");
  PRINTS(F(1.0 / 3.0), "0.333333333333");
  PRINTS(F(-2.5), "-2.5");
  PRINTS(F(NAN), "nan");
  PRINTS(F(-NAN), "-nan"); /* what 2.1.3 prints for 0./0. on x86 */
  PRINTS(F(INFINITY), "inf");
  PRINTS(F(-INFINITY), "-inf");
  PRINTS(F(-0.0), "-0.");
  PRINTS(F(123456789012.0), "123456789012.");
  PRINTS(F(1234567890123.0), "1.23456789012e+12");
  PRINTS(F(1e15), "1e+15");
  PRINTS(F(1e-5), "1e-05");
  PRINTS(F(0.0001), "0.0001");
  PRINTS(F(100.0), "100.");
  PRINTS(F(1.5e-7), "1.5e-07");
  PRINTS(F(123456.7), "123456.7");
  PRINTS(pin(liq_v_closure("code", "f", LIQ_NOVALUE, 0, NULL)), "<fun>");
  PRINTS(pin(liq_v_builtin(NULL, "print", LIQ_UNIT)), "<fun>");
  unpin_all();
}

static void test_print_strings(void)
{
  PRINTS(S("a"), "a");
  PRINTS_Q(S("a"), "\"a\"");
  PRINTS(LIST(S("a")), "[\"a\"]");
  PRINTS(SB("a\0b", 3), "a\0b"); /* bare: raw bytes (length-checked) */
  PRINTS(LIST(S("a\"b\\c\nd\te\r\001W\xc3\xa9")), "[\"a\\\"b\\\\c\\nd\\te\\r\\u0001W\xc3\xa9\"]");
  PRINTS(LIST(S("\x7f")), "[\"\\u007F\"]");
  PRINTS(LIST(SB("\x1f\0", 2)), "[\"\\u001F\\u0000\"]");
  PRINTS(LIST(S("\b\x0c\x0b\x07'/")), "[\"\\b\\u000C\\u000B\\u0007'/\"]");
  PRINTS(LIST(S("\xe2\x82\xac \xf0\x9f\x98\x80")), "[\"\xe2\x82\xac \xf0\x9f\x98\x80\"]");
  /* Scanned by lead bytes only: these count as UTF-8 and print raw. */
  PRINTS(LIST(S("\xc3")), "[\"\xc3\"]");
  PRINTS(LIST(S("\xc0\x80")), "[\"\xc0\x80\"]");
  PRINTS(LIST(S("\xc3\x01")), "[\"\xc3\x01\"]");
  PRINTS(LIST(S("\xe2\x82\x01")), "[\"\xe2\x82\x01\"]");
  PRINTS(LIST(S("\xf4\x90\x80\x80")), "[\"\xf4\x90\x80\x80\"]");
  PRINTS(LIST(S("\xc3\xa9\x01")), "[\"\xc3\xa9\\u0001\"]");
  /* Not UTF-8 by that scan: every byte outside ASCII graphics as \xXX. */
  PRINTS(LIST(S("\xff")), "[\"\\xFF\"]");
  PRINTS(LIST(S("\x7f\x01\x1f\xff\x80 ~")), "[\"\\x7F\\x01\\x1F\\xFF\\x80 ~\"]");
  PRINTS(LIST(S("\xff\t\n\"\\")), "[\"\\xFF\\t\\n\\\"\\\\\"]");
  PRINTS(LIST(SB("\xff'\b\x0c\x0b\x07\r\0~\x7f", 10)), "[\"\\xFF'\\b\\x0C\\x0B\\x07\\r\\x00~\\x7F\"]");
  PRINTS(LIST(S("\xc3\x01\x80")), "[\"\\xC3\\x01\\x80\"]");
  PRINTS(LIST(S("\xc3\x80\x80")), "[\"\\xC3\\x80\\x80\"]");
  PRINTS(LIST(S("\xf8\x80\x80\x80\x80")), "[\"\\xF8\\x80\\x80\\x80\\x80\"]");
  unpin_all();
}

static liq_value fun_repr(const char *repr)
{
  liq_value f = pin(liq_v_closure("code", NULL, LIQ_NOVALUE, 0, NULL));
  liq_v_closure_set_repr(f, S(repr));
  return f;
}

static void test_print_structures(void)
{
  PRINTS(LIST(I(1), I(2)), "[1, 2]");
  PRINTS(LIQ_NIL, "[]");
  PRINTS(TUPLE(I(1), TUPLE(I(2), I(3))), "(1, (2, 3))");
  PRINTS(LIST(LIST(I(1)), LIST(I(2))), "[[1], [2]]");
  PRINTS(LIST(LIQ_TRUE, LIQ_FALSE), "[true, false]");
  PRINTS(TUPLE(S("a"), F(1.5)), "(\"a\", 1.5)");
  PRINTS(LIST(TUPLE(S("x"), S("y"))), "[(\"x\", \"y\")]");
  PRINTS(TUPLE(S("a"), LIST(S("b"))), "(\"a\", [\"b\"])");
  PRINTS(LIST(LIQ_NULL), "[null]");
  PRINTS(LIST(LIQ_UNIT), "[()]");
  PRINTS(REF(I(1)), "ref(1)");
  PRINTS(LIST(REF(S("a"))), "[ref(\"a\")]");
  PRINTS(LIST(F(0.1 + 0.2), F(INFINITY), F(-NAN), F(1.0), F(-0.0)), "[0.3, inf, -nan, 1., -0.]");

  PRINTS(REC(("a", "b"), I(1), S("c")), "{a = 1, b = \"c\"}");
  PRINTS(REC(("b", "a"), I(1), S("c")), "{b = 1, a = \"c\"}"); /* insertion order */
  PRINTS(REC(("z", "a", "m"), I(1), I(2), I(3)), "{z = 1, a = 2, m = 3}");
  PRINTS(METHS(S("a"), ("b"), I(1)), "\"a\".{b = 1}");
  PRINTS(METHS(I(3), ("a"), REC(("b"), I(2))), "3.{a = {b = 2}}");
  PRINTS(METHS(TUPLE(I(1), S("a")), ("k"), I(2)), "(1, \"a\").{k = 2}");
  PRINTS(METHS(LIST(I(1)), ("k"), I(2)), "[1].{k = 2}");
  PRINTS(METHS(S("a"), ("b"), S("x")), "\"a\".{b = \"x\"}");
  PRINTS(LIST(METHS(S("a"), ("b"), S("x"))), "[\"a\".{b = \"x\"}]");
  PRINTS(REC(("a"), REC(("b"), S("s"))), "{a = {b = \"s\"}}");
  PRINTS(LIST(REC(("a"), S("x"))), "[{a = \"x\"}]");
  PRINTS(METHS(LIST(SB("a\0", 2)), ("b"), I(1)), "[\"a\\u0000\"].{b = 1}");
  PRINTS(METHS(REC(("a"), I(1)), ("b"), I(2)), "{a = 1, b = 2}"); /* ().{a=1}.{b=2} */
  liq_value f = pin(liq_v_closure("code", "map", LIQ_NOVALUE, 0, NULL));
  PRINTS(METHS(f, ("right"), f), "<fun>.{right = <fun>}");

  /* Functions with a constant body print as source (the evaluator builds
   * the text, see liq_v_closure_set_repr). */
  PRINTS(REC(("a"), fun_repr("{1}")), "{a = {1}}");
  PRINTS(fun_repr("fun (_,~x=2) -> \"a\""), "fun (_,~x=2) -> \"a\"");

  /* Overriding keeps the field's position. 2.1.3 keeps every version
   * ({a = 1, b = 2, a = 3}), a chain that grows each time a long-running
   * script updates a field; cliq prints the live fields only. */
  liq_value r = REC(("a", "b"), I(1), I(2));
  PRINTS(METHS(r, ("a"), I(3)), "{a = 3, b = 2}");
  PRINTS(METHS(r, ("c", "a"), I(3), I(5)), "{a = 5, b = 2, c = 3}");
  PRINTS(REC(("a", "b", "a"), I(1), I(2), I(3)), "{a = 3, b = 2}");
  char *s = liq_value_to_string(METHS(S("x"), ("y"), S("z")), false);
  CHECK(strcmp(s, "\"x\".{y = \"z\"}") == 0); /* a string with methods is quoted */
  liq_mem_free(s);
  unpin_all();
}

/* --- Methods --------------------------------------------------------------------- */

static void test_methods(void)
{
  liq_sym a = sym("a"), b = sym("b");
  liq_value r = REC(("a", "b"), I(1), I(2));
  CHECK(liq_v_is_record(r));
  CHECK(liq_v_base(r) == LIQ_UNIT);
  CHECK(liq_v_meths_count(r) == 2);
  CHECK(liq_v_meth_name_at(r, 0) == a && liq_v_meth_name_at(r, 1) == b);
  CHECK(liq_v_meth_get(r, b) == I(2));
  CHECK(liq_v_meth_get(r, sym("zz")) == LIQ_NOVALUE);
  liq_value r2 = pin(liq_v_meth_add(r, a, I(3)));
  CHECK(liq_v_meth_get(r2, a) == I(3) && liq_v_meth_get(r, a) == I(1)); /* r unchanged */
  CHECK(liq_v_meths_add(r, 0, NULL, NULL) == r);
  liq_value s = METHS(S("str"), ("x"), I(1));
  CHECK(!liq_v_is_record(s));
  CHECK(liq_value_kind(s) == LIQ_K_METHS && liq_value_kind(liq_v_base(s)) == LIQ_K_STRING);
  CHECK(liq_v_meth_get(S("plain"), a) == LIQ_NOVALUE);
  /* remeth: the methods of one value onto another */
  liq_value moved = pin(liq_v_remeth(r, s));
  CHECK(liq_v_meths_count(moved) == 3 && liq_v_meth_get(moved, b) == I(2));
  CHECK(liq_value_kind(liq_v_base(moved)) == LIQ_K_STRING);

  /* Big records use the sorted index: 200 fields, then overrides. */
  enum { N = 200 };
  liq_sym names[N];
  liq_value vals[N];
  char buf[32];
  for (int i = 0; i < N; i++) {
    snprintf(buf, sizeof buf, "f%d", i);
    names[i] = sym(buf);
    vals[i] = I(i);
  }
  liq_value big = pin(liq_v_record(N, names, vals));
  CHECK(liq_v_meths_count(big) == N);
  bool ok = true;
  for (int i = 0; i < N; i++)
    ok = ok && liq_v_meth_get(big, names[i]) == I(i) && liq_v_meth_name_at(big, (size_t)i) == names[i];
  CHECK(ok);
  CHECK(liq_v_meth_get(big, a) == LIQ_NOVALUE);
  liq_value big2 = pin(liq_v_meths_add(big, 2, (liq_sym[]){names[150], a}, ARR(I(-1), I(-2))));
  CHECK(liq_v_meths_count(big2) == N + 1);
  CHECK(liq_v_meth_get(big2, names[150]) == I(-1) && liq_v_meth_name_at(big2, 150) == names[150]);
  CHECK(liq_v_meth_get(big2, a) == I(-2) && liq_v_meth_name_at(big2, N) == a);
  ok = true;
  for (int i = 0; i < N; i++)
    if (i != 150) ok = ok && liq_v_meth_get(big2, names[i]) == I(i);
  CHECK(ok);
  unpin_all();
}

/* --- Equality and order ---------------------------------------------------------- */

static int cmp(liq_value a, liq_value b) { return liq_value_compare(a, b); }

static void test_compare(void)
{
  /* Records: fields common to both sides, alphabetical order. */
  CHECK(liq_value_equal(REC(("a"), I(5)), REC(("a", "b"), I(5), I(6))));
  CHECK(liq_value_equal(METHS(S("bla"), ("x"), I(2)), S("bla")));
  CHECK(cmp(METHS(S("a"), ("x"), I(1)), METHS(S("a"), ("x"), I(0))) == 0);
  CHECK(cmp(REC(("a", "b"), I(5), I(1)), REC(("a", "b"), I(5), I(6))) < 0);
  CHECK(cmp(REC(("a", "b"), I(1), I(2)), REC(("a", "b"), I(2), I(1))) < 0);
  CHECK(cmp(REC(("b", "a"), I(1), I(2)), REC(("b", "a"), I(2), I(1))) > 0);
  CHECK(cmp(REC(("b", "a"), I(2), I(1)), REC(("a", "b"), I(2), I(1))) < 0);
  CHECK(cmp(REC(("z", "b", "c"), I(1), I(2), I(0)), REC(("z", "b", "c"), I(0), I(3), I(1))) < 0);
  CHECK(liq_value_equal(TUPLE(I(1), I(2)), METHS(TUPLE(I(1), I(2)), ("a"), I(2))));
  CHECK(liq_value_equal(REC(("a", "b"), I(1), I(2)), REC(("b", "a"), I(2), I(1))));
  CHECK(!liq_value_equal(REC(("a", "b"), I(1), I(2)), REC(("a", "b"), I(1), I(3))));
  CHECK(liq_value_equal(METHS(REC(("a", "b"), I(1), I(3)), ("a"), I(2)), REC(("a", "b"), I(2), I(3))));
  CHECK(cmp(METHS(REC(("a", "b"), I(1), I(3)), ("a"), I(2)), REC(("a", "b"), I(1), I(4))) > 0);
  /* Scalars and structures. */
  CHECK(liq_value_equal(I(1), METHS(I(1), ("a"), I(1))));
  CHECK(cmp(TUPLE(I(1), I(2)), TUPLE(I(1), I(3))) < 0);
  CHECK(cmp(LIST(I(1), I(2)), LIST(I(1), I(2), I(0))) < 0);
  CHECK(cmp(LIST(I(2)), LIST(I(1), I(2), I(0))) > 0);
  CHECK(cmp(LIQ_NIL, LIST(I(1))) < 0);
  CHECK(cmp(S("ab"), S("b")) < 0);
  CHECK(cmp(S("ab"), S("ab")) == 0 && cmp(S("ab"), S("abc")) < 0);
  CHECK(cmp(SB("a\0b", 3), SB("a\0c", 3)) < 0);
  CHECK(cmp(LIQ_FALSE, LIQ_TRUE) < 0);
  CHECK(cmp(LIQ_NULL, I(1)) < 0 && cmp(S("x"), LIQ_NULL) > 0);
  CHECK(liq_value_equal(LIQ_NULL, LIQ_NULL));
  CHECK(cmp(F(1.5), F(2.0)) < 0);
  CHECK(cmp(I(-3), I(2)) < 0 && cmp(I(LIQ_INT_MAX), I(LIQ_INT_MIN)) > 0);
  /* Floats compare like OCaml's compare: nan = nan, nan below all. */
  CHECK(liq_value_equal(F(NAN), F(-NAN)));
  CHECK(cmp(F(NAN), F(1.0)) < 0 && cmp(F(1.0), F(NAN)) > 0);
  CHECK(cmp(F(NAN), F(-INFINITY)) < 0);
  CHECK(liq_value_equal(LIST(F(NAN)), LIST(F(NAN))));
  CHECK(liq_value_equal(F(-0.0), F(0.0)));
  CHECK(cmp(LIST(TUPLE(I(1), S("a"))), LIST(TUPLE(I(1), S("b")))) < 0);
  CHECK(liq_value_equal(REF(I(1)), REF(I(1))));
  liq_value f = pin(liq_v_closure("c", NULL, LIQ_NOVALUE, 0, NULL));
  liq_value g = pin(liq_v_closure("c", NULL, LIQ_NOVALUE, 0, NULL));
  CHECK(liq_value_equal(f, f) && !liq_value_equal(f, g) && cmp(f, g) == -cmp(g, f));
  unpin_all();
}

/* --- Other kinds ----------------------------------------------------------------- */

static liq_value dummy_builtin(liq_call *call, liq_value data)
{
  (void)call;
  return data;
}

static void test_kinds(void)
{
  liq_value t = TUPLE(I(1), S("x"));
  CHECK(liq_v_tuple_len(t) == 2 && liq_v_tuple_len(LIQ_UNIT) == 0);
  CHECK(liq_v_tuple(0, NULL) == LIQ_UNIT);
  CHECK(strcmp(liq_v_string_bytes(liq_v_tuple_get(t, 1)), "x") == 0);
  liq_value l = LIST(I(1), I(2), I(3));
  CHECK(liq_v_list_length(l) == 3 && liq_v_head(liq_v_tail(l)) == I(2));
  CHECK(liq_value_kind(LIQ_NIL) == LIQ_K_LIST && liq_value_kind(l) == LIQ_K_LIST);
  CHECK(liq_v_string_len(SB("a\0b", 3)) == 3);
  CHECK(liq_v_float_val(F(2.5)) == 2.5);

  liq_value env = pin(liq_v_env(LIQ_NOVALUE, 3, NULL));
  liq_value child = pin(liq_v_env(env, 2, ARR(S("p"), I(7))));
  liq_v_env_set(env, 1, S("slot"));
  CHECK(liq_v_env_parent(child) == env && liq_v_env_size(child) == 2);
  CHECK(liq_v_env_get(child, 1) == I(7) && liq_v_env_get(env, 0) == LIQ_NOVALUE);

  static const int code;
  liq_value c = pin(liq_v_closure(&code, "f", child, 2, NULL));
  liq_v_closure_set_captured(c, 0, c); /* def rec: the closure sees itself */
  liq_v_closure_set_captured(c, 1, S("cap"));
  CHECK(liq_v_closure_code(c) == &code && strcmp(liq_v_closure_name(c), "f") == 0);
  CHECK(liq_v_closure_env(c) == child && liq_v_closure_ncaptured(c) == 2);

  liq_value bi = pin(liq_v_builtin(dummy_builtin, "dummy", S("data")));
  CHECK(liq_v_builtin_fn(bi)(NULL, liq_v_builtin_data(bi)) == liq_v_builtin_data(bi));
  CHECK(strcmp(liq_v_builtin_name(bi), "dummy") == 0);

  liq_value r = REF(I(1));
  liq_v_ref_set(r, S("new"));
  liq_gc_collect(); /* the mutated slots are traced */
  CHECK(strcmp(liq_v_string_bytes(liq_v_ref_get(r)), "new") == 0);
  CHECK(strcmp(liq_v_string_bytes(liq_v_env_get(env, 1)), "slot") == 0);
  CHECK(strcmp(liq_v_string_bytes(liq_v_env_get(child, 0)), "p") == 0);
  CHECK(strcmp(liq_v_string_bytes(liq_v_closure_captured(c, 1)), "cap") == 0);
  CHECK(liq_v_closure_captured(c, 0) == c);
  CHECK(strcmp(liq_kind_name(liq_value_kind(c)), "closure") == 0);
  unpin_all();
}

/* --- Symbols ---------------------------------------------------------------------- */

static void test_symbols(void)
{
  liq_sym a = pin(liq_sym_intern("alpha", 5));
  CHECK(liq_sym_intern("alpha", 5) == a);
  CHECK(liq_sym_intern("alphb", 5) != a);
  liq_sym nul = pin(liq_sym_intern("a\0b", 3));
  CHECK(liq_sym_len(nul) == 3 && memcmp(liq_sym_name(nul), "a\0b", 3) == 0);
  CHECK(liq_sym_intern("a\0c", 3) != nul && liq_sym_intern("a\0b", 3) == nul);
  CHECK(liq_sym_len(a) == 5 && strcmp(liq_sym_name(a), "alpha") == 0);
  unpin_all();

  /* A symbol used by a live record survives collections; names nothing
   * references go away, so the table does not grow forever. */
  liq_gc_collect();
  size_t base = liq_sym_table_count();
#ifdef CLIQ_GC_STRESS
  const int rounds = 300;
#else
  const int rounds = 200000;
#endif
  liq_value *keep = liq_gc_pin(LIQ_UNIT);
  size_t max_count = 0;
  char buf[32];
  for (int i = 0; i < rounds; i++) {
    snprintf(buf, sizeof buf, "key%d", i);
    liq_sym k = liq_sym_intern(buf, strlen(buf));
    liq_value r = liq_v_meth_add(LIQ_UNIT, k, I(i));
    if (i == 1234 % rounds) *keep = r;
    if (liq_sym_table_count() > max_count) max_count = liq_sym_table_count();
  }
  liq_gc_collect();
  size_t after = liq_sym_table_count();
  printf("symbols: %d names interned, table peak %zu, %zu after collection (base %zu)\n",
         rounds, max_count, after, base);
  CHECK(after <= base + 1);
  CHECK(max_count < 100000);
  snprintf(buf, sizeof buf, "key%d", 1234 % rounds);
  liq_sym kept = liq_sym_intern(buf, strlen(buf));
  CHECK(liq_v_meth_name_at(*keep, 0) == kept);
  CHECK(liq_v_meth_get(*keep, kept) == I(1234 % rounds));
  liq_gc_unpin(keep);

  liq_sym p = liq_sym_permanent("permanent_name");
  liq_gc_collect();
  CHECK(liq_sym_intern("permanent_name", 14) == p);
}

int main(void)
{
  setvbuf(stdout, NULL, _IOLBF, 0);
  liq_gc_lock();
  liq_value_init();
  test_ints();
  test_print_scalars();
  test_print_strings();
  test_print_structures();
  test_methods();
  test_compare();
  test_kinds();
  test_symbols();
  CHECK(liq_gc_pin_depth() == 0);
  liq_gc_shutdown();
  CHECK(liq_sym_table_count() == 0);
  liq_gc_unlock();
  if (failures) printf("test_value: %d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
