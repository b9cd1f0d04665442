/* value: the representation of script values, the evaluator's contract.
 *
 * A liq_value is a tagged machine word (gc.h):
 *
 *   bits  ...xxxxxxx1   int: a 63-bit OCaml-style integer in the upper bits
 *   bits  ...0nnnn10    immediate number n: () true false null []
 *   bits  ...xxxxx000   pointer to a GC object whose header says its kind
 *
 * Heap kinds (all immutable unless said otherwise):
 *   float     boxed double
 *   string    bytes + length, may contain NULs, NUL-terminated for C
 *   tuple     n >= 1 items (the 0-tuple is the immediate LIQ_UNIT)
 *   cons      head :: tail; the empty list is the immediate LIQ_NIL
 *   meths     a base value + fields (symbol, value) in insertion order.
 *             Any value can carry methods; a record is LIQ_UNIT with
 *             methods. The base is never itself a meths object, and field
 *             names are distinct. Adding methods builds a new wrapper.
 *   closure   code pointer + name (both borrowed from the evaluator's AST)
 *             + env value + captured values (settable, for `def rec`)
 *             + optional printed form
 *   env       environment frame: parent value + n slots (mutable)
 *   builtin   C function + name + bound data value
 *   ref       a mutable cell
 *   symbol    an interned name (field names); compare symbols with ==
 *   custom    gc.h's custom blocks (sources, regexps, encoders...)
 * The evaluator can add kinds: number them from LIQ_K_FIRST_FREE and
 * register them with liq_gc_register_kind.
 *
 * Symbols: the intern table is weak. A symbol only referenced by the table
 * is freed at the next collection, so a 24/7 script building records with
 * ever new names (JSON) does not grow it forever. Names that live in C
 * data (the AST, builtin tables) use liq_sym_permanent, never freed.
 *
 * GC rules for every function here: constructors keep their arguments alive
 * across their own allocation (arrays included), but the value they return
 * is only as safe as any other: pin it before the next allocation. Accessors
 * never allocate. Everything needs the heap lock (gc.h).
 *
 * Equality and order follow Liquidsoap: structural; methods are ignored
 * except between records, which compare on the fields common to both sides,
 * in alphabetical order of names; floats compare like OCaml's `compare`
 * (nan equals nan and is below every other float); null is below anything. */
#ifndef LIQ_VALUE_H
#define LIQ_VALUE_H

#include "runtime/gc.h"
#include "runtime/strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

_Static_assert(sizeof(liq_value) == 8, "cliq needs 64-bit words");

/* --- Kinds ----------------------------------------------------------------- */

typedef enum liq_kind {
  LIQ_K_CUSTOM = LIQ_GC_KIND_CUSTOM,
  LIQ_K_FLOAT = LIQ_GC_KIND_FIRST_FREE,
  LIQ_K_STRING,
  LIQ_K_TUPLE,
  LIQ_K_LIST, /* a cons cell; liq_value_kind also says LIST for LIQ_NIL */
  LIQ_K_METHS,
  LIQ_K_CLOSURE,
  LIQ_K_ENV,
  LIQ_K_BUILTIN,
  LIQ_K_REF,
  LIQ_K_SYMBOL,
  LIQ_K_FIRST_FREE, /* first heap kind the evaluator may add */
  /* Kinds of non-heap values, above every GC kind. */
  LIQ_K_INT = LIQ_GC_KIND_MAX,
  LIQ_K_UNIT,
  LIQ_K_BOOL,
  LIQ_K_NULL,
} liq_kind;

/* --- Immediates ------------------------------------------------------------ */

#define LIQ_IMMEDIATE(n) ((liq_value)(((uintptr_t)(n) << 2) | 2))
#define LIQ_UNIT LIQ_IMMEDIATE(0)
#define LIQ_FALSE LIQ_IMMEDIATE(1)
#define LIQ_TRUE LIQ_IMMEDIATE(2)
#define LIQ_NULL LIQ_IMMEDIATE(3)
#define LIQ_NIL LIQ_IMMEDIATE(4)

static inline bool liq_is_immediate(liq_value v) { return (v & 3) == 2; }
static inline liq_value liq_v_bool(bool b) { return b ? LIQ_TRUE : LIQ_FALSE; }
static inline bool liq_v_bool_val(liq_value v) { return v == LIQ_TRUE; }

/* --- Integers: 63 bits, wrapping like OCaml's ------------------------------ */

#define LIQ_INT_MAX ((int64_t)4611686018427387903)
#define LIQ_INT_MIN (-LIQ_INT_MAX - 1)

static inline bool liq_is_int(liq_value v) { return (v & 1) != 0; }

/* The 63-bit integer congruent to x modulo 2^63 (OCaml's wrap-around). */
static inline int64_t liq_int_wrap(uint64_t x)
{
  /* Shift out the top bit, then sign-extend from bit 62 (gcc's >> on a
   * negative int64_t is arithmetic). */
  return (int64_t)(x << 1) >> 1;
}

/* Any int64_t is accepted and wrapped into 63 bits. */
static inline liq_value liq_v_int(int64_t n) { return ((uint64_t)n << 1) | 1; }
static inline int64_t liq_v_int_val(liq_value v) { return (int64_t)v >> 1; }

/* Arithmetic on values already in the 63-bit range; results wrap. */
static inline int64_t liq_int_add(int64_t a, int64_t b) { return liq_int_wrap((uint64_t)a + (uint64_t)b); }
static inline int64_t liq_int_sub(int64_t a, int64_t b) { return liq_int_wrap((uint64_t)a - (uint64_t)b); }
static inline int64_t liq_int_mul(int64_t a, int64_t b) { return liq_int_wrap((uint64_t)a * (uint64_t)b); }
static inline int64_t liq_int_neg(int64_t a) { return liq_int_wrap(-(uint64_t)a); }
/* Division and remainder truncate toward zero (min_int / -1 = min_int, like
 * OCaml). Return false on division by zero (the caller raises). */
bool liq_int_div(int64_t a, int64_t b, int64_t *res);
bool liq_int_mod(int64_t a, int64_t b, int64_t *res);

/* --- Dispatch ---------------------------------------------------------------- */

/* The kind of v itself: LIQ_K_METHS for a value with methods (look at
 * liq_v_base(v) to see through them). */
liq_kind liq_value_kind(liq_value v);
const char *liq_kind_name(liq_kind k);

/* --- Floats, strings ------------------------------------------------------- */

liq_value liq_v_float(double d);
double liq_v_float_val(liq_value v);

liq_value liq_v_string(const char *bytes, size_t len);
liq_value liq_v_cstring(const char *s);
/* A new string of len bytes to fill through *bytes before the value is
 * used anywhere (strings are immutable once published). */
liq_value liq_v_string_new(size_t len, char **bytes);
/* A string of sb's bytes; frees sb's buffer (sb is left empty). */
liq_value liq_v_string_sb(liq_sb *sb);
size_t liq_v_string_len(liq_value v);
const char *liq_v_string_bytes(liq_value v); /* NUL-terminated */

/* --- Tuples and lists ------------------------------------------------------ */

/* n == 0 gives LIQ_UNIT. */
liq_value liq_v_tuple(size_t n, const liq_value *items);
size_t liq_v_tuple_len(liq_value v); /* 0 for LIQ_UNIT */
liq_value liq_v_tuple_get(liq_value v, size_t i);

liq_value liq_v_cons(liq_value head, liq_value tail);
liq_value liq_v_list(size_t n, const liq_value *items);
liq_value liq_v_head(liq_value cons);
liq_value liq_v_tail(liq_value cons);
size_t liq_v_list_length(liq_value list);

/* --- Symbols ---------------------------------------------------------------- */

typedef liq_value liq_sym; /* a LIQ_K_SYMBOL object */

liq_sym liq_sym_intern(const char *bytes, size_t len);
/* Interns and makes the symbol permanent (never freed). */
liq_sym liq_sym_permanent(const char *name);
const char *liq_sym_name(liq_sym s); /* NUL-terminated */
size_t liq_sym_len(liq_sym s);
/* Symbols currently in the intern table. */
size_t liq_sym_table_count(void);

/* --- Methods --------------------------------------------------------------- */

/* v with the n given methods: a name already on v keeps its position and
 * takes the new value, a new name is appended; later duplicates in the
 * arguments win. n == 0 returns v. */
liq_value liq_v_meths_add(liq_value v, size_t n, const liq_sym *names, const liq_value *values);
liq_value liq_v_meth_add(liq_value v, liq_sym name, liq_value value);
/* A record: LIQ_UNIT with these methods. */
liq_value liq_v_record(size_t n, const liq_sym *names, const liq_value *values);
/* The method's value, or LIQ_NOVALUE when v has no such method. */
liq_value liq_v_meth_get(liq_value v, liq_sym name);
/* v without its methods. */
liq_value liq_v_base(liq_value v);
/* Methods in insertion order. */
size_t liq_v_meths_count(liq_value v);
liq_sym liq_v_meth_name_at(liq_value v, size_t i);
liq_value liq_v_meth_value_at(liq_value v, size_t i);
/* `to` with the methods of `from` added (Liquidsoap's remeth). */
liq_value liq_v_remeth(liq_value from, liq_value to);
/* A record whose base is unit and has at least one method. */
bool liq_v_is_record(liq_value v);

/* --- Functions ------------------------------------------------------------- */

/* Closures. `code` and `name` are borrowed and must outlive the value (AST
 * or static data). `captured` may be NULL: the slots start as LIQ_NOVALUE. */
liq_value liq_v_closure(const void *code, const char *name, liq_value env,
                        size_t ncaptured, const liq_value *captured);
const void *liq_v_closure_code(liq_value v);
const char *liq_v_closure_name(liq_value v);
liq_value liq_v_closure_env(liq_value v);
size_t liq_v_closure_ncaptured(liq_value v);
liq_value liq_v_closure_captured(liq_value v, size_t i);
void liq_v_closure_set_captured(liq_value v, size_t i, liq_value x);
/* The printed form (a string value) instead of `<fun>`. Liquidsoap 2.1.3
 * prints a function whose body is a constant as source: `{1}` for
 * fun () -> 1, `fun (_,~x=2) -> "a"`; the evaluator builds that text. */
void liq_v_closure_set_repr(liq_value v, liq_value repr);

/* Builtins: the evaluator defines struct liq_call (the arguments of a call)
 * and the calling convention; `data` is a value bound at creation. */
typedef struct liq_call liq_call;
typedef liq_value (*liq_builtin_fn)(liq_call *call, liq_value data);
liq_value liq_v_builtin(liq_builtin_fn fn, const char *name, liq_value data);
liq_builtin_fn liq_v_builtin_fn(liq_value v);
const char *liq_v_builtin_name(liq_value v);
liq_value liq_v_builtin_data(liq_value v);

/* --- Environment frames ---------------------------------------------------- */

/* n slots, copied from init or LIQ_NOVALUE when init is NULL. */
liq_value liq_v_env(liq_value parent, size_t n, const liq_value *init);
liq_value liq_v_env_parent(liq_value env);
size_t liq_v_env_size(liq_value env);
liq_value liq_v_env_get(liq_value env, size_t i);
void liq_v_env_set(liq_value env, size_t i, liq_value x);

/* --- References ------------------------------------------------------------ */

liq_value liq_v_ref(liq_value x);
liq_value liq_v_ref_get(liq_value r);
void liq_v_ref_set(liq_value r, liq_value x);
/* A watched reference calls the watcher after each liq_v_ref_set (every
 * form of assignment goes through it): the settings leaves, whose new
 * values the standard library pushes into the runtime at once. One
 * watcher for the process; it runs on the thread that sets, heap lock
 * held. */
typedef void (*liq_ref_watcher)(liq_value r);
void liq_v_ref_set_watcher(liq_ref_watcher w);
void liq_v_ref_watch(liq_value r);

/* --- Printing, equality, order --------------------------------------------- */

/* Appends v as Liquidsoap 2.1.3 prints it. With quoted false, a plain
 * string (no methods) prints bare, as print() and string_of() do; strings
 * inside structures are always quoted and escaped. */
void liq_value_print(liq_sb *sb, liq_value v, bool quoted);
/* The same as a new NUL-terminated string (the caller frees it with
 * liq_mem_free); use liq_value_print when the bytes may contain NULs. */
char *liq_value_to_string(liq_value v, bool quoted);
/* A float as 2.1.3 prints it: %.12g, plus "." if that looks like an int. */
void liq_value_print_float(liq_sb *sb, double d);
/* A string literal as 2.1.3 quotes it ("a\n\u0001" or "\xFF"). */
void liq_value_print_quoted(liq_sb *sb, const char *bytes, size_t len);
/* The pieces of that quoting (string.escape lets a script replace the
 * last two). A string is taken as UTF-8 when it scans as UTF-8 by lead
 * bytes alone; its characters are then whole sequences (cut by the end of
 * the string), else single bytes. */
bool liq_utf8_scans(const char *bytes, size_t len);
/* The length of the character at i (>= 1). */
size_t liq_escape_char_len(const char *bytes, size_t len, size_t i, bool utf8);
/* Whether a character is escaped by default: " \ and controls, and in
 * ASCII every byte above 0x7E. */
bool liq_escape_is_special(const char *c, size_t clen, bool utf8);
/* Appends the short escape of " \ \n \t \r \b; false for other bytes. */
bool liq_escape_short(liq_sb *sb, unsigned char c);
/* The code point of a (lead-byte scanned) UTF-8 sequence. */
unsigned liq_utf8_code_point(const char *c, size_t clen);
/* The default escape: a short escape, else \uXXXX of the code point
 * (UTF-8) or \xHH per byte (ASCII). */
void liq_escape_char(liq_sb *sb, const char *c, size_t clen, bool utf8);

/* Negative, zero or positive. Never allocates. */
int liq_value_compare(liq_value a, liq_value b);
bool liq_value_equal(liq_value a, liq_value b);

/* Registers the kinds and the symbol table with the GC (and initializes
 * it). Call once, with the heap lock held; again after liq_gc_shutdown. */
void liq_value_init(void);

#endif
