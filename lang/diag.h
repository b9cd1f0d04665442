/* diag: the one module that renders every diagnostic of every phase (lexer,
 * parser, preprocessor, type checker, evaluator).
 *
 * Text format (the default), on stderr:
 *
 *   file:line:col: error: message
 *   <the source line>
 *   <spaces>^~~~~              (underlines the span on that line)
 *   hint: a suggestion         (only when one helps)
 *
 * With --error-format=json, one JSON object per diagnostic and line:
 * {"file":…,"line":…,"col":…,"end_line":…,"end_col":…,"severity":…,
 *  "code":…,"message":…[,"hint":…]}. */
#ifndef LIQ_DIAG_H
#define LIQ_DIAG_H

#include <stdio.h>

#include "lang/srcfile.h"

typedef enum { LIQ_DIAG_ERROR, LIQ_DIAG_WARNING, LIQ_DIAG_NOTE } liq_diag_severity;
typedef enum { LIQ_DIAG_TEXT, LIQ_DIAG_JSON } liq_diag_format;

void liq_diag_set_format(liq_diag_format format);
void liq_diag_set_stream(FILE *out);

/* Reports one diagnostic. code is a short stable identifier such as
 * "syntax", "type", "unbound" (used by the JSON format), hint may be NULL. */
void liq_diag(liq_diag_severity severity, liq_span span, const char *code,
              const char *hint, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Counters since start (or the last reset). */
int liq_diag_errors(void);
int liq_diag_warnings(void);
void liq_diag_reset(void);

#endif
