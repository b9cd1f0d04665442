/* sequence: one track from each source in turn, then the last source for as
 * long as it is ready; once(s) = sequence([s, source.fail()]). A source
 * that is not ready when its turn comes is skipped (except the last). With
 * merge, the track marks between sources are removed, so the whole
 * sequence plays as one track. */
#include "config.h"

#include "runtime/mem.h"
#include "runtime/ops/ops.h"

typedef struct seq {
  int idx; /* the source now playing */
  int merge;
} seq;

static int seq_init(liq_source *s, const void *argp)
{
  seq *p = liq_source_priv(s);
  p->merge = *(const int *)argp;
  if (liq_source_n_inputs(s) == 0) return liq_source_set_error(s, "sequence needs a source");
  return 0;
}

/* Skips sources that cannot play their turn now. */
static liq_source *current(liq_source *s, seq *p)
{
  int n = liq_source_n_inputs(s);
  while (p->idx < n - 1 && !liq_source_is_ready(liq_source_input(s, p->idx))) p->idx++;
  return liq_source_input(s, p->idx);
}

static int seq_ready(liq_source *s) { return liq_source_is_ready(current(s, liq_source_priv(s))); }

static liq_fill seq_fill(liq_source *s, liq_frame *f, int off, int len)
{
  seq *p = liq_source_priv(s);
  int n = liq_source_n_inputs(s);
  liq_fill r = {0, 0};
  for (;;) {
    liq_fill ri = liq_source_get(current(s, p), f, off + r.n, len - r.n);
    r.n += ri.n;
    r.eot = ri.eot;
    if (!ri.eot || p->idx == n - 1) break;
    p->idx++;
    if (!p->merge || r.n == len || !liq_source_is_ready(current(s, p))) break;
    /* Merging: the next source continues this track. */
    liq_frame_drop_mark(f, off + r.n);
    r.eot = 0;
  }
  return r;
}

static int64_t seq_remaining(liq_source *s)
{
  return liq_source_remaining(current(s, liq_source_priv(s)));
}

static void seq_abort_track(liq_source *s)
{
  liq_source_abort_track(current(s, liq_source_priv(s)));
}

static int64_t seq_seek(liq_source *s, int64_t n)
{
  return liq_source_seek(current(s, liq_source_priv(s)), n);
}

static const liq_source_class sequence_class = {
    .name = "sequence",
    .fallibility = LIQ_FALLIBLE_LAST_INPUT,
    .priv_size = sizeof(seq),
    .init = seq_init,
    .is_ready = seq_ready,
    .fill = seq_fill,
    .remaining = seq_remaining,
    .abort_track = seq_abort_track,
    .seek = seq_seek,
};

liq_source *liq_op_sequence(const char *id, liq_source *const *in, int n, int merge, liq_sb *err)
{
  return liq_source_new(&sequence_class, id, in, n, &merge, err);
}

liq_source *liq_op_once(const char *id, liq_source *in, liq_sb *err)
{
  liq_source *fail = liq_op_fail(NULL, err);
  liq_source *pair[2] = {in, fail};
  liq_source *s = liq_op_sequence(id, pair, 2, 0, err);
  liq_source_unref(fail);
  return s;
}
