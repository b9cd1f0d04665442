/* transition: the `transitions` of the selectors (switch, fallback, rotate,
 * random), shared by switch.c and select.c.
 *
 * transitions[i] is a script function (old, new) -> source called when the
 * selector starts child i after another child (not for the first
 * selection, nor when the same child is selected again; a missing entry is
 * `fun (_, y) -> y`, i.e. no transition). `new` is child i itself; `old` is
 * the child being left when it is left in the middle of a track
 * (track_sensitive=false), and a source that is never ready when its track
 * has ended (2.1.3: "there is no more data to fade out"). The result,
 * capped by max_duration(transition_length, override=`override`), plays as
 * the selector's new track until it is no longer ready, its own track
 * boundaries dropped; then the child goes on from where the transition
 * left it, in the same track. These are 2.1.3's timings, measured: `fun
 * (a, b) -> sequence([a, b])` plays transition_length of the old child,
 * then the new one; `fun (a, b) -> sequence([a, jingle, b])` at a track
 * end plays the jingle then transition_length of the new child as one
 * track. A transition that is not ready, or a script error, leaves the
 * child playing at once.
 *
 * With replay_metadata, the child's last packet is replayed where the
 * selector starts pulling the child itself: after the transition (2.1.3).
 *
 * The transition source is created on the clock thread and attached to the
 * selector's clock, like source.dynamic's sources; it is released as soon
 * as it has ended. */
#include "config.h"

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

void liq_transitions_release(liq_transitions *t)
{
  for (int i = 0; i < t->n; i++)
    if (t->fns[i].release) t->fns[i].release(t->fns[i].ud);
  liq_mem_free(t->fns);
  liq_mem_free(t->override);
  t->fns = NULL;
  t->override = NULL;
  t->n = 0;
}

void liq_trans_init(liq_trans *t, const liq_transitions *cfg)
{
  t->cfg = cfg ? *cfg : (liq_transitions){NULL, 0, 5., NULL};
  t->playing = NULL;
  t->replay = NULL;
}

void liq_trans_release(liq_trans *t)
{
  liq_source_unref(t->playing);
  t->playing = NULL;
  liq_meta_unref(t->replay);
  t->replay = NULL;
  liq_transitions_release(&t->cfg);
}

int liq_trans_start(liq_trans *t, liq_source *self, int i, liq_source *from, int from_mid,
                    liq_source *to, const liq_meta *replay)
{
  liq_source_unref(t->playing);
  t->playing = NULL;
  liq_meta_unref(t->replay);
  t->replay = replay ? liq_meta_ref((liq_meta *)replay) : NULL;
  if (!from || from == to || i >= t->cfg.n || !t->cfg.fns[i].fn) return 0;
  liq_sb err = LIQ_SB_INIT;
  /* `old`: the child being left, or a source never ready if its track
   * has ended. */
  liq_source *old = from_mid && liq_source_is_ready(from) ? liq_source_ref(from)
                                                          : liq_op_fail(NULL, &err);
  liq_source *out = NULL;
  if (old && t->cfg.fns[i].fn(t->cfg.fns[i].ud, old, to, &out) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(self), "Transition failed: switching at once.");
    liq_source_unref(out);
    out = NULL;
  }
  liq_source_unref(old);
  if (out == to) {
    /* fun (_, y) -> y: nothing to play before the child. */
    liq_source_unref(out);
    out = NULL;
  }
  if (out) {
    liq_source *capped = liq_op_max_duration(NULL, t->cfg.length, t->cfg.override, out, &err);
    liq_source_unref(out);
    out = capped;
  }
  if (out && liq_source_clock(self) && liq_source_attach(out, liq_source_clock(self), &err) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(self), "Transition: %s", liq_sb_str(&err));
    liq_source_unref(out);
    out = NULL;
  }
  liq_sb_free(&err);
  t->playing = out;
  return out != NULL;
}

int liq_trans_ready(liq_trans *t, liq_source *child)
{
  return (t->playing && liq_source_is_ready(t->playing)) || liq_source_is_ready(child);
}

liq_fill liq_trans_fill(liq_trans *t, liq_source *child, liq_frame *f, int off, int len)
{
  int n = 0;
  if (t->playing) {
    /* The transition's own track ends are not ours. */
    n = liq_source_pull(t->playing, f, off, len, LIQ_PULL_DROP).n;
    if (n < len) {
      /* The transition is over: the child goes on in the same track. */
      liq_source_unref(t->playing);
      t->playing = NULL;
    }
  }
  if (n == len) return (liq_fill){n, 0};
  if (!liq_source_is_ready(child)) return (liq_fill){n, 1};
  liq_fill c = liq_source_get(child, f, off + n, len - n);
  if (t->replay && c.n > 0) {
    /* Added after the child's fill, so that the child does not take it
     * for its own metadata. */
    liq_frame_add_meta(f, off + n, t->replay);
    liq_meta_unref(t->replay);
    t->replay = NULL;
  }
  return (liq_fill){n + c.n, c.eot};
}

liq_source *liq_trans_current(liq_trans *t, liq_source *child)
{
  return t->playing ? t->playing : child;
}
