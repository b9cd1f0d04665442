/* amplify: multiply the samples by a factor (a getter read once per fill).
 * A metadata field (`override`, "liq_amplify" by default) holding "0.7" or
 * "-3 dB" replaces the factor from its position to the end of its track. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/ops/ops.h"

typedef struct amplify {
  liq_getter_float k;
  char *override;
  int overridden;
  double override_k;
} amplify;

typedef struct amplify_args {
  liq_getter_float k;
  const char *override;
} amplify_args;

/* "0.7" -> 0.7, "-6 dB" -> 0.501; 0 on malformed input. */
static int parse_gain(const char *v, double *out)
{
  char *end;
  double x = strtod(v, &end);
  if (end == v) return 0;
  while (*end == ' ') end++;
  if ((end[0] == 'd' || end[0] == 'D') && (end[1] == 'b' || end[1] == 'B')) {
    x = pow(10, x / 20);
    end += 2;
    while (*end == ' ') end++;
  }
  if (*end) return 0;
  *out = x;
  return 1;
}

static int amplify_init(liq_source *s, const void *argp)
{
  const amplify_args *a = argp;
  amplify *p = liq_source_priv(s);
  p->k = a->k;
  if (a->override) p->override = liq_mem_strdup(a->override);
  if (liq_source_format(s).kind != LIQ_CONTENT_PCM)
    return liq_source_set_error(s, "amplify needs pcm audio");
  return 0;
}

static void amplify_uninit(liq_source *s)
{
  amplify *p = liq_source_priv(s);
  liq_getter_float_release(&p->k);
  liq_mem_free(p->override);
}

static void scale(liq_frame *f, int from, int to, float k)
{
  if (k == 1.f) return;
  for (int c = 0; c < f->fmt.channels; c++) {
    float *d = liq_frame_pcm(f, c);
    for (int i = from; i < to; i++) d[i] *= k;
  }
}

static liq_fill amplify_fill(liq_source *s, liq_frame *f, int off, int len)
{
  amplify *p = liq_source_priv(s);
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  double k = liq_getter_float_get(&p->k, s);
  int pos = off;
  if (p->override)
    for (int i = liq_frame_meta_from(f, off); i < f->n_meta && f->meta[i].pos < off + r.n; i++) {
      const char *v = liq_meta_get(f->meta[i].meta, p->override);
      double g;
      if (!v || !parse_gain(v, &g)) continue;
      scale(f, pos, f->meta[i].pos, (float)(p->overridden ? p->override_k : k));
      pos = f->meta[i].pos;
      p->overridden = 1;
      p->override_k = g;
    }
  scale(f, pos, off + r.n, (float)(p->overridden ? p->override_k : k));
  if (r.eot) p->overridden = 0;
  return r;
}

static const liq_source_class amplify_class = {
    .name = "amplify",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(amplify),
    .init = amplify_init,
    .uninit = amplify_uninit,
    .fill = amplify_fill,
};

liq_source *liq_op_amplify(const char *id, liq_getter_float k, const char *override,
                           liq_source *in, liq_sb *err)
{
  amplify_args a = {k, override};
  return liq_source_new(&amplify_class, id, &in, 1, &a, err);
}
