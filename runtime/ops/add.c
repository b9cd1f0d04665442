/* add: mix the ready inputs.
 *
 * The first ready input leads: it fills the output frame directly and its
 * tracks and metadata are add's. Every other ready input is pulled into a
 * scratch frame for the same span (across its own track ends, which are
 * not relayed) and mixed in. With normalize (the default) input i is scaled
 * by w_i / sum(w), or by w_i / sqrt(sum(w^2)) with power=true, the sums
 * over every input, ready or not (2.1.3: an input that ended or is not
 * ready yet still counts); without normalize by w_i. Weights default to
 * 1. */
#include "config.h"

#include <math.h>

#include "runtime/mem.h"
#include "runtime/ops/ops.h"

typedef struct add {
  liq_getter_float *weights; /* n_inputs entries */
  liq_getter_bool normalize, power;
  liq_frame *scratch;        /* pooled, kept across cycles */
} add;

typedef struct add_args {
  const liq_getter_float *weights;
  liq_getter_bool normalize, power;
} add_args;

static int add_init(liq_source *s, const void *argp)
{
  const add_args *a = argp;
  add *p = liq_source_priv(s);
  int n = liq_source_n_inputs(s);
  p->normalize = a->normalize;
  p->power = a->power;
  p->weights = liq_mem_alloc(sizeof(liq_getter_float) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) p->weights[i] = a->weights ? a->weights[i] : LIQ_FLOAT(1);
  if (n == 0) return liq_source_set_error(s, "add needs at least one source");
  for (int i = 0; i < n; i++)
    if (liq_source_format(liq_source_input(s, i)).kind != LIQ_CONTENT_PCM ||
        liq_source_format(liq_source_input(s, i)).channels != liq_source_format(s).channels)
      return liq_source_set_error(s, "add needs pcm inputs with the same channels");
  return 0;
}

static void add_uninit(liq_source *s)
{
  add *p = liq_source_priv(s);
  if (p->weights)
    for (int i = 0; i < liq_source_n_inputs(s); i++) liq_getter_float_release(&p->weights[i]);
  liq_mem_free(p->weights);
  liq_getter_bool_release(&p->normalize);
  liq_getter_bool_release(&p->power);
  liq_frame_unref(p->scratch);
}

static int add_ready(liq_source *s)
{
  for (int i = 0; i < liq_source_n_inputs(s); i++)
    if (liq_source_is_ready(liq_source_input(s, i))) return 1;
  return 0;
}

static void mix(liq_frame *dst, const liq_frame *src, int from, int to, float k)
{
  for (int c = 0; c < dst->fmt.channels; c++) {
    float *d = liq_frame_pcm(dst, c);
    const float *x = (const float *)src->planes[c];
    for (int i = from; i < to; i++) d[i] += k * x[i];
  }
}

static liq_fill add_fill(liq_source *s, liq_frame *f, int off, int len)
{
  add *p = liq_source_priv(s);
  int n = liq_source_n_inputs(s);
  int lead = -1;
  double total = 0;
  int power = liq_getter_bool_get(&p->power, s);
  /* The leader is the first input ready now. */
  for (int i = 0; i < n; i++) {
    double w = liq_getter_float_get(&p->weights[i], s);
    total += power ? w * w : w;
    if (lead < 0 && liq_source_is_ready(liq_source_input(s, i))) lead = i;
  }
  if (lead < 0) return (liq_fill){0, 1};
  if (power) total = sqrt(total);
  int norm = liq_getter_bool_get(&p->normalize, s) && total > 0;
  double wl = p->weights[lead].constant;
  liq_fill r = liq_source_get(liq_source_input(s, lead), f, off, len);
  float kl = (float)(norm ? wl / total : wl);
  if (kl != 1.f)
    for (int c = 0; c < f->fmt.channels; c++) {
      float *d = liq_frame_pcm(f, c);
      for (int i = off; i < off + r.n; i++) d[i] *= kl;
    }
  for (int i = lead + 1; i < n; i++) {
    liq_source *in = liq_source_input(s, i);
    if (!liq_source_is_ready(in)) continue;
    if (!p->scratch) p->scratch = liq_pool_acquire(liq_source_pool(s), f->fmt);
    float k = (float)(norm ? p->weights[i].constant / total : p->weights[i].constant);
    liq_fill ri = liq_source_pull(in, p->scratch, off, r.n, LIQ_PULL_KEEP);
    mix(f, p->scratch, off, off + ri.n, k);
    /* Only the leader's metadata and marks are add's. */
    liq_frame_clear(p->scratch);
  }
  return r;
}

static const liq_source_class add_class = {
    .name = "add",
    .fallibility = LIQ_FALLIBLE_ALL_INPUTS,
    .priv_size = sizeof(add),
    .init = add_init,
    .uninit = add_uninit,
    .is_ready = add_ready,
    .fill = add_fill,
};

liq_source *liq_op_add(const char *id, liq_source *const *in, int n,
                       const liq_getter_float *weights, liq_getter_bool normalize,
                       liq_getter_bool power, liq_sb *err)
{
  add_args a = {weights, normalize, power};
  return liq_source_new(&add_class, id, in, n, &a, err);
}
