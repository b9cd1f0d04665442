/* builtins: the registry of builtin signatures.
 *
 * Each stdlib module declares one `static const` table of liq_builtin
 * entries: a (possibly dotted) name, its type in the surface type syntax,
 * a one-line doc and a category. The type checker (liq_tc_env_new), `-h
 * NAME`, `--list-functions` and the docs all read the same tables.
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
 * Tables are registered once at start (the core table first, then the
 * evaluator's: liq_eval_register registers its tables here) and must
 * outlive the registry (they are static). */
#ifndef LIQ_BUILTINS_H
#define LIQ_BUILTINS_H

#include <stddef.h>
#include <string.h>

#include "runtime/value.h" /* liq_builtin_fn */

typedef struct liq_builtin {
  const char *name;
  const char *type;
  const char *doc;
  const char *category;
  /* The evaluator's implementation (added by the evaluator, issue 4):
   * NULL means "no C code: defined in the prelude". Entries written with
   * the four fields above leave it NULL. eval.h's liq_builtin_def is this
   * struct. */
  liq_builtin_fn fn;
} liq_builtin;

/* The category of the methods every source value has that are not
 * source.NAME functions (2.1.3 has no function form for them, or a
 * different one: source.fallible is a function, s.fallible a bool). Their
 * entries are named "source.NAME", have the method's own type and no C
 * code (lib_source.c builds the methods); the checker types s.NAME with
 * them and nothing binds them as globals. */
#define LIQ_SOURCE_METHOD "Source method"
#define liq_builtin_is_source_method(b) \
  ((b)->category && strcmp((b)->category, LIQ_SOURCE_METHOD) == 0)

/* Registers a table of n entries (kept by reference). A later entry with
 * the same name replaces an earlier one. */
void liq_builtins_register(const liq_builtin *table, size_t n);
/* Registers the core tables (builtins_core.c); idempotent. */
void liq_builtins_init(void);
/* The entry for name, or NULL. */
const liq_builtin *liq_builtins_find(const char *name);
/* Number of registered entries and the i-th one, in registration order
 * (replaced entries excluded). */
size_t liq_builtins_count(void);
const liq_builtin *liq_builtins_at(size_t i);
/* Releases the registry (at exit, for leak checkers). */
void liq_builtins_free(void);

/* The type-only table (builtins_core.c). */
extern const liq_builtin liq_builtins_core[];
extern const size_t liq_builtins_core_count;

#endif
