/* builtins: the registry of builtin signatures.
 *
 * Each stdlib module declares one `static const` table of liq_builtin
 * entries: a (possibly dotted) name, its type in the surface type syntax,
 * a one-line doc, a category and the C function. The type checker
 * (liq_tc_env_new), `-h NAME`, `--list-functions`, the evaluator's global
 * environment and the docs all read this one registry. Filling it needs no
 * heap: `--check` registers the tables and never starts the evaluator.
 *
 * Types are written as in a script's type annotations, with two
 * additions the annotation syntax lacks:
 *   - a trailing constraint clause: "('a, 'a) -> 'a where 'a is a number
 *     type" (also "an orderable type", "an internal media type", several
 *     separated by commas);
 *   - getters are written getter(t) or, as `liquidsoap -h` prints them,
 *     {t} (a brace after a dot opens methods, `{name : t, ...}` is a
 *     record).
 * A dotted name `list.map` adds method `map` to the value `list`; the
 * value itself is unit unless the table also has an entry for `list`.
 *
 * Parameter tables. An entry may give its parameters as a liq_param table
 * (in the order of its type, like libavfilter's AVOption) and its result
 * type instead of a whole type string: the registry then derives the type
 * ("(?label : type, ..., type) -> result") and `-h` lists each parameter
 * with its default and doc. The `kind` and `offset` of a row say how the
 * stdlib unpacks the argument into the builtin's settings struct; this
 * registry does not read them.
 *
 * Tables are registered once at start (lang's own table of operators
 * first, then the stdlib modules in their order) and must outlive the
 * registry (they are static). */
#ifndef LIQ_BUILTINS_H
#define LIQ_BUILTINS_H

#include <stddef.h>
#include <string.h>

#include "runtime/value.h" /* liq_builtin_fn */

typedef struct liq_param {
  const char *label; /* NULL: positional */
  const char *type;  /* surface syntax, as `-h` prints it: "{float}", "string?" */
  /* The default as a script writes it ("1.", "null", "\"liq_amplify\"",
   * "true"); NULL: the argument is mandatory. The stdlib's unpacking
   * parses it, so a default is spelled once. */
  const char *dflt;
  const char *doc;
  int kind;      /* stdlib's unpacking of the argument (lib_args.h) */
  size_t offset; /* where it goes in the builtin's settings struct */
} liq_param;

typedef struct liq_builtin {
  const char *name;
  /* The type; NULL when derived from params and result. */
  const char *type;
  const char *doc;
  const char *category;
  /* The C code; NULL means "no C code": defined in the prelude, by the
   * evaluator itself (operators) or as a value by its module. */
  liq_builtin_fn fn;
  const liq_param *params; /* NULL or nparams rows */
  int nparams;
  const char *result;      /* the result type, when the type is derived */
} liq_builtin;

/* The number of rows of a static parameter table. */
#define LIQ_PARAMS(table) (table), (int)(sizeof(table) / sizeof((table)[0]))

/* The category of the methods every source value has that are not
 * source.NAME functions (2.1.3 has no function form for them, or a
 * different one: source.fallible is a function, s.fallible a bool). Their
 * entries are named "source.NAME", have the method's own type and no C
 * code (the stdlib builds the methods); the checker types s.NAME with
 * them and nothing binds them as globals. */
#define LIQ_SOURCE_METHOD "Source method"
#define liq_builtin_is_source_method(b) \
  ((b)->category && strcmp((b)->category, LIQ_SOURCE_METHOD) == 0)

/* Registers a table of n entries (kept by reference). A later entry with
 * the same name replaces an earlier one. */
void liq_builtins_register(const liq_builtin *table, size_t n);
/* The entry for name, or NULL. */
const liq_builtin *liq_builtins_find(const char *name);
/* Number of registered entries and the i-th one, in registration order
 * (replaced entries excluded). */
size_t liq_builtins_count(void);
const liq_builtin *liq_builtins_at(size_t i);
/* The entry's type: its own, or the one derived from its parameters
 * (built once, owned by the registry). */
const char *liq_builtins_type(const liq_builtin *b);
/* Releases the registry (at exit, for leak checkers). */
void liq_builtins_free(void);

/* The names of Liquidsoap 2.x's standard library, so the checker can tell
 * a name cliq does not implement yet from a typo: a text of names sorted
 * bytewise (LC_ALL=C), one per line, that the stdlib registers at start
 * (kept by reference; it must outlive the registry). */
void liq_builtins_set_upstream(const char *text, size_t len);
/* Whether name is one of them. */
int liq_builtins_upstream_has(const char *name);
/* Whether one of them is "prefix.SOMETHING" (a module cliq lacks). */
int liq_builtins_upstream_module(const char *prefix);

#endif
