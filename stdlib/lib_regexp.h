/* lib_regexp: PCRE2 helpers shared with lib_string (string.split/replace
 * take regexp patterns, as in Liquidsoap 2.1.3). */
#ifndef LIQ_LIB_REGEXP_H
#define LIQ_LIB_REGEXP_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "runtime/value.h"

/* Compiles or raises a `string` error. The caller frees the code. */
pcre2_code *liq_regexp_compile(const char *pat, size_t len, const char *flags);
/* A compiled pattern owned by the heap: a regexp block without methods
 * (its finalizer frees the code). For builtins that run script code or
 * allocate while using a pattern: root the block (liq_eval_push) and an
 * error on the way leaves the code to the collector instead of leaking it.
 * Sets *code; raises like liq_regexp_compile. */
liq_value liq_regexp_owned(const char *pat, size_t len, const char *flags, pcre2_code **code);
liq_value liq_regexp_replace(pcre2_code *code, int global, liq_value f, liq_value str);
liq_value liq_regexp_split(pcre2_code *code, liq_value str);
liq_value liq_regexp_groups(pcre2_code *code, const char *s, size_t len, int with_whole);
int liq_regexp_each(pcre2_code *code, const char *s, size_t len, int global,
                    void (*cb)(void *ud, const char *s, PCRE2_SIZE *ov, int n), void *ud);

#endif
