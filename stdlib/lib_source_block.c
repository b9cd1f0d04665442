/* lib_source_block: the heap block that holds a source: a GC custom
 * block owning one reference to a liq_source, released by its finalizer.
 * Every source value's base is one (lib_source.c adds the methods). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "runtime/clock.h"
#include "runtime/log.h"
#include "runtime/mem.h"
#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

/* --- Source values ---------------------------------------------------------------- */

typedef struct {
  liq_source *src;
} src_payload;

static void src_finalize(void *p)
{
  src_payload *sp = p;
  liq_source_unref(sp->src);
  sp->src = NULL;
}

static void src_print(void *p, liq_sb *sb)
{
  (void)p;
  liq_sb_puts(sb, "<source>");
}

static const liq_custom_ops source_ops = {"source", NULL, src_finalize, src_print};

/* What a source owns outside the heap is mostly pooled frames, shared per
 * clock; this flat figure makes a script that builds sources in a loop
 * (source.dynamic, append) still pace the collector. */
#define SOURCE_EXTERNAL_BYTES 4096

liq_source *liq_lib_source_payload(liq_value data)
{
  return ((src_payload *)liq_gc_custom_payload(data))->src;
}

liq_source *liq_lib_source_peek(liq_value v)
{
  v = liq_v_base(v);
  if (liq_value_kind(v) != LIQ_K_CUSTOM || liq_gc_custom_ops(v) != &source_ops) return NULL;
  return liq_lib_source_payload(v);
}

liq_source *liq_lib_source_of(liq_value v)
{
  liq_source *s = liq_lib_source_peek(v);
  if (!s) liq_eval_raise("invalid", "expected a source");
  return s;
}

liq_value liq_lib_source_block(liq_source *s)
{
  liq_value blk = liq_gc_custom_new(&source_ops, sizeof(src_payload), SOURCE_EXTERNAL_BYTES);
  ((src_payload *)liq_gc_custom_payload(blk))->src = s;
  return blk;
}

void liq_lib_raise_sb(liq_sb *err)
{
  liq_value *msg = liq_eval_push(liq_v_string(liq_sb_str(err), err->len));
  liq_sb_free(err);
  liq_eval_raise("invalid", "%s", liq_v_string_bytes(*msg));
}
