/* lib_args: reading a builtin's arguments: labelled options with their
 * defaults, sources and lists of sources, and the parameter tables
 * (lang/builtins.h's liq_param) unpacked into a settings struct. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

/* --- Arguments ------------------------------------------------------------------ */

liq_value liq_lib_opt(const liq_call *c, const char *label)
{
  return liq_arg_label(c, label, LIQ_NOVALUE);
}

int liq_lib_opt_bool(const liq_call *c, const char *label, int dflt)
{
  liq_value v = liq_lib_opt(c, label);
  return v == LIQ_NOVALUE ? dflt : liq_v_base(v) == LIQ_TRUE;
}

liq_source *liq_lib_arg_source(const liq_call *c, int i)
{
  liq_value v = liq_arg(c, i);
  if (v == LIQ_NOVALUE) liq_eval_raise("invalid", "missing source argument");
  return liq_lib_source_of(v);
}

liq_source **liq_lib_source_list(liq_value list, int *n)
{
  list = liq_v_base(list);
  size_t len = liq_v_list_length(list);
  liq_source **a = liq_mem_calloc(len ? len : 1, sizeof *a);
  size_t i = 0;
  for (liq_value l = list; l != LIQ_NIL; l = liq_v_tail(l)) {
    liq_source *s = liq_lib_source_peek(liq_v_head(l));
    if (!s) {
      liq_mem_free(a);
      liq_eval_raise("invalid", "expected a list of sources");
    }
    a[i++] = s;
  }
  *n = (int)len;
  return a;
}

/* --- Parameter tables ------------------------------------------------------------ */

/* The argument of row k: by label, or the j-th positional one where j
 * counts the unlabelled rows before k. */
static liq_value row_arg(const liq_call *c, const liq_param *params, int k)
{
  if (params[k].label) return liq_lib_opt(c, params[k].label);
  int j = 0;
  for (int i = 0; i < k; i++) j += params[i].label == NULL;
  return liq_arg(c, j);
}

liq_value liq_lib_param_arg(const liq_call *c, const liq_param *params, int n, const char *label)
{
  for (int k = 0; k < n; k++)
    if (params[k].label && strcmp(params[k].label, label) == 0) return row_arg(c, params, k);
  return LIQ_NOVALUE;
}

static int is_null(liq_value v) { return v == LIQ_NOVALUE || liq_v_base(v) == LIQ_NULL; }

/* The row's default as a number ("null" gives -1: no limit). */
static double default_num(const liq_param *p)
{
  if (!p->dflt || strcmp(p->dflt, "null") == 0) return -1;
  return strtod(p->dflt, NULL);
}

/* Conversions that may raise: before any callback is built. */
static void unpack_plain(const liq_call *c, const liq_param *params, int k, char *out)
{
  const liq_param *p = &params[k];
  liq_value v = row_arg(c, params, k);
  int absent = v == LIQ_NOVALUE;
  switch ((liq_lib_param_kind)p->kind) {
  case LIQ_P_FLOAT: *(double *)out = absent ? default_num(p) : liq_to_float(v); break;
  case LIQ_P_FLOAT_OR_NULL: *(double *)out = absent ? default_num(p) : is_null(v) ? -1 : liq_to_float(v); break;
  case LIQ_P_INT: *(int64_t *)out = absent ? (int64_t)default_num(p) : liq_to_int(v); break;
  case LIQ_P_INT_AS_INT: *(int *)out = absent ? (int)default_num(p) : (int)liq_to_int(v); break;
  case LIQ_P_BOOL:
    *(int *)out = absent ? p->dflt && strcmp(p->dflt, "true") == 0 : liq_v_base(v) == LIQ_TRUE;
    break;
  case LIQ_P_STRING:
    *(const char **)out = absent ? (p->dflt && strcmp(p->dflt, "null") != 0 ? p->dflt : NULL)
                          : is_null(v) ? NULL : liq_to_str(v, NULL);
    break;
  case LIQ_P_SOURCE:
    if (absent) liq_eval_raise("invalid", "missing source argument");
    *(liq_source **)out = liq_lib_source_of(v);
    break;
  default: break;
  }
}

/* Callbacks and getters: own a handle on their value. */
static void unpack_callback(const liq_call *c, const liq_param *params, int k, char *out)
{
  const liq_param *p = &params[k];
  liq_value v = row_arg(c, params, k);
  switch ((liq_lib_param_kind)p->kind) {
  case LIQ_P_GETTER_FLOAT: *(liq_getter_float *)out = liq_lib_getter_float(v, default_num(p)); break;
  case LIQ_P_GETTER_BOOL:
    *(liq_getter_bool *)out = liq_lib_getter_bool(v, p->dflt && strcmp(p->dflt, "true") == 0);
    break;
  case LIQ_P_CB_VOID: *(liq_cb_void *)out = liq_lib_cb_void(v); break;
  case LIQ_P_CB_META: *(liq_cb_meta *)out = liq_lib_cb_meta(v); break;
  case LIQ_P_CB_STRING: *(liq_cb_string *)out = liq_lib_cb_string(v); break;
  case LIQ_P_CB_META_MAP: *(liq_cb_meta_map *)out = liq_lib_cb_meta_map(v); break;
  case LIQ_P_CB_POSITION: *(liq_cb_position *)out = liq_lib_cb_position(v); break;
  case LIQ_P_CB_SOURCE: *(liq_cb_source *)out = liq_lib_cb_source(v); break;
  case LIQ_P_CB_TRANSITION: *(liq_cb_transition *)out = liq_lib_cb_transition(v); break;
  default: break;
  }
}

void liq_lib_unpack(const liq_call *c, const liq_param *params, int n, void *settings)
{
  char *base = settings;
  for (int k = 0; k < n; k++)
    if (params[k].kind < LIQ_P_GETTER_FLOAT) unpack_plain(c, params, k, base + params[k].offset);
  for (int k = 0; k < n; k++)
    if (params[k].kind >= LIQ_P_GETTER_FLOAT) unpack_callback(c, params, k, base + params[k].offset);
}
