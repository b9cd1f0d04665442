/* builtins: the registry (builtins.h) and the language's own entries.
 *
 * The operators the evaluator implements itself (+, ==, and, not, ::,
 * l[k], for, while...) have no C function of their own but a type, so
 * they are lang's table, registered before any stdlib module. `if` is not
 * listed: its labels `then`/`else` are keywords the type syntax cannot
 * write, and the checker types if/then/else directly. */
#include "lang/builtins.h"

#include <stdio.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/strbuf.h"

static const liq_builtin lang_ops[] = {
    {"+", "('a, 'a) -> 'a where 'a is a number type",
     "Adds two numbers.", "Math", NULL},
    {"-", "('a, 'a) -> 'a where 'a is a number type",
     "Subtracts two numbers.", "Math", NULL},
    {"*", "('a, 'a) -> 'a where 'a is a number type",
     "Multiplies two numbers.", "Math", NULL},
    {"/", "('a, 'a) -> 'a where 'a is a number type",
     "Divides two numbers (integer division on ints).", "Math", NULL},
    {"mod", "('a, 'a) -> 'a where 'a is a number type",
     "Remainder of a division.", "Math", NULL},
    {"~-", "('a) -> 'a where 'a is a number type",
     "The opposite of a number (unary minus).", "Math", NULL},
    {"^", "(string, string) -> string",
     "Concatenates two strings.", "String", NULL},
    {"==", "('a, 'a) -> bool where 'a is an orderable type",
     "Equality of comparable values.", "Bool", NULL},
    {"!=", "('a, 'a) -> bool where 'a is an orderable type",
     "Inequality of comparable values.", "Bool", NULL},
    {"<", "('a, 'a) -> bool where 'a is an orderable type",
     "Strictly less than.", "Bool", NULL},
    {"<=", "('a, 'a) -> bool where 'a is an orderable type",
     "Less than or equal.", "Bool", NULL},
    {">", "('a, 'a) -> bool where 'a is an orderable type",
     "Strictly greater than.", "Bool", NULL},
    {">=", "('a, 'a) -> bool where 'a is an orderable type",
     "Greater than or equal.", "Bool", NULL},
    {"_::_", "('a, ['a]) -> ['a]",
     "Adds an element in front of a list (x :: l).", "Control", NULL},
    {"_[_]", "([('a * string)], 'a) -> string where 'a is an orderable type",
     "l[k]: the value associated with key k in an association list, \"\" if none.", "Control", NULL},
    {"and", "(getter(bool), getter(bool)) -> bool",
     "Lazy conjunction (a and b).", "Control", NULL},
    {"for", "((() -> 'a?), (('a) -> unit)) -> unit",
     "Runs a function on every value of an iterator (for x = it do ... end).", "Control", NULL},
    {"not", "(bool) -> bool",
     "Boolean negation.", "Control", NULL},
    {"or", "(getter(bool), getter(bool)) -> bool",
     "Lazy disjunction (a or b).", "Control", NULL},
    {"while", "(getter(bool), (() -> unit)) -> unit",
     "Runs a function while a condition holds (while c do ... end).", "Control", NULL},
};

/* Registered entries, in order; types[i] is entries[i]'s derived type
 * (NULL when it has its own). */
static const liq_builtin **entries;
static char **types;
static size_t nentries, capentries;
static int initialised;

static void ensure(void)
{
  if (initialised) return;
  initialised = 1;
  liq_builtins_register(lang_ops, sizeof lang_ops / sizeof lang_ops[0]);
}

/* "(?label : type, type) -> result" from the parameter rows. */
static char *derive_type(const liq_builtin *b)
{
  liq_sb sb = LIQ_SB_INIT;
  liq_sb_putc(&sb, '(');
  for (int i = 0; i < b->nparams; i++) {
    const liq_param *p = &b->params[i];
    if (i) liq_sb_puts(&sb, ", ");
    if (p->dflt) liq_sb_putc(&sb, '?');
    if (p->label) liq_sb_printf(&sb, "%s : ", p->label);
    liq_sb_puts(&sb, p->type);
  }
  liq_sb_printf(&sb, ") -> %s", b->result);
  char *s = liq_mem_strdup(liq_sb_str(&sb));
  liq_sb_free(&sb);
  return s;
}

void liq_builtins_register(const liq_builtin *table, size_t n)
{
  ensure(); /* lang's table first: later tables replace its entries */
  for (size_t i = 0; i < n; i++) {
    size_t j;
    /* A source method and a function may share a name (source.fallible). */
    for (j = 0; j < nentries; j++)
      if (strcmp(entries[j]->name, table[i].name) == 0 &&
          liq_builtin_is_source_method(entries[j]) == liq_builtin_is_source_method(&table[i]))
        break;
    if (j == nentries) {
      if (nentries == capentries) {
        capentries = capentries ? 2 * capentries : 256;
        entries = liq_mem_realloc(entries, sizeof(*entries) * capentries);
        types = liq_mem_realloc(types, sizeof(*types) * capentries);
      }
      nentries++;
    } else {
      liq_mem_free(types[j]);
    }
    entries[j] = &table[i];
    types[j] = table[i].type ? NULL : derive_type(&table[i]);
  }
}

/* The function when a source method has the same name (registered later). */
const liq_builtin *liq_builtins_find(const char *name)
{
  ensure();
  for (size_t i = 0; i < nentries; i++)
    if (strcmp(entries[i]->name, name) == 0) return entries[i];
  return NULL;
}

size_t liq_builtins_count(void)
{
  ensure();
  return nentries;
}

const liq_builtin *liq_builtins_at(size_t i) { return i < liq_builtins_count() ? entries[i] : NULL; }

const char *liq_builtins_type(const liq_builtin *b)
{
  if (b->type) return b->type;
  for (size_t i = 0; i < nentries; i++)
    if (entries[i] == b) return types[i];
  return "?"; /* an entry that was never registered */
}

void liq_builtins_free(void)
{
  for (size_t i = 0; i < nentries; i++) liq_mem_free(types[i]);
  liq_mem_free(types);
  liq_mem_free(entries);
  entries = NULL;
  types = NULL;
  nentries = capentries = 0;
  initialised = 0;
}

/* --- Liquidsoap's names ---------------------------------------------------------
 * A binary search on the sorted text itself: no index to build or free. */

static const char *up_text;
static size_t up_len;

void liq_builtins_set_upstream(const char *text, size_t len)
{
  up_text = text;
  up_len = len;
}

/* Compares the line [s, e) of the text with key, bytewise. */
static int line_cmp(size_t s, size_t e, const char *key, size_t klen)
{
  size_t n = e - s < klen ? e - s : klen;
  int r = memcmp(up_text + s, key, n);
  if (r) return r;
  return e - s < klen ? -1 : e - s > klen ? 1 : 0;
}

/* The start of the first line not below key (up_len when none). */
static size_t lower_bound(const char *key, size_t klen)
{
  size_t lo = 0, hi = up_len; /* lo is a line start; the answer is in [lo, hi] */
  while (lo < hi) {
    size_t s = lo + (hi - lo) / 2, e;
    while (s > lo && up_text[s - 1] != '\n') s--;
    for (e = s; e < up_len && up_text[e] != '\n'; e++) {}
    if (line_cmp(s, e, key, klen) < 0) lo = e < up_len ? e + 1 : up_len;
    else hi = s;
  }
  return lo;
}

static size_t line_end(size_t s)
{
  while (s < up_len && up_text[s] != '\n') s++;
  return s;
}

int liq_builtins_upstream_has(const char *name)
{
  if (!up_text || !name[0]) return 0;
  size_t klen = strlen(name), s = lower_bound(name, klen);
  return s < up_len && line_cmp(s, line_end(s), name, klen) == 0;
}

int liq_builtins_upstream_module(const char *prefix)
{
  if (!up_text || !prefix[0]) return 0;
  char key[256];
  size_t klen = (size_t)snprintf(key, sizeof key, "%s.", prefix);
  if (klen >= sizeof key) return 0;
  size_t s = lower_bound(key, klen);
  return s < up_len && line_end(s) - s > klen && memcmp(up_text + s, key, klen) == 0;
}
