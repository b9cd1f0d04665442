/* lib_regexp: PCRE2 helpers shared with lib_string (string.split/replace
 * take regexp patterns, as in Liquidsoap 2.1.3). */
#ifndef LIQ_LIB_REGEXP_H
#define LIQ_LIB_REGEXP_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "value.h"

/* Compiles or raises a `string` error. The caller frees the code. */
pcre2_code *liq_regexp_compile(const char *pat, size_t len, const char *flags);
liq_value liq_regexp_replace(pcre2_code *code, int global, liq_value f, liq_value str);
liq_value liq_regexp_split(pcre2_code *code, liq_value str);
liq_value liq_regexp_groups(pcre2_code *code, const char *s, size_t len, int with_whole);
int liq_regexp_each(pcre2_code *code, const char *s, size_t len, int global,
                    void (*cb)(void *ud, const char *s, PCRE2_SIZE *ov, int n), void *ud);

#endif
