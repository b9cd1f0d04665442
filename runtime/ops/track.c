/* track: operators on track structure: merge_tracks, append, prepend, cue_cut,
 * source.on_end and on_offset.
 *
 * append(s, f) calls f with the metadata of each track of s as the track
 * starts (an empty packet when the track has none, with insert_missing),
 * and plays one track of the source f returned right after that track; a
 * track whose metadata has liq_append="false" gets nothing appended. With
 * merge the appended track continues the original one. The appended
 * source is attached to append's clock when it is first used. prepend is
 * the mirror image (see its section).
 *
 * cue_cut reads liq_cue_in / liq_cue_out (seconds from the track start)
 * from the metadata at a track's first position: it seeks the input past
 * cue_in (dropping what was already produced) and ends the track at
 * cue_out with abort_track. 2.1.3's synthesized sources cannot seek, so
 * there cue_in only drops the first frame (measured); cliq's can.
 *
 * on_end and on_offset check after each fill, like 2.1.3: on_end fires
 * once per track when remaining <= delay, with the remaining time;
 * on_offset fires once per track when the position reaches offset, with
 * the position (2.1.3 reports 1.32 for offset 1.3: the frame's end). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/ops/ops.h"

/* --- merge_tracks ------------------------------------------------------------ */

static liq_fill merge_fill(liq_source *s, liq_frame *f, int off, int len)
{
  return liq_source_pull(liq_source_input(s, 0), f, off, len, LIQ_PULL_MERGE);
}

static const liq_source_class merge_class = {
    .name = "merge_tracks",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .fill = merge_fill,
};

liq_source *liq_op_merge_tracks(const char *id, liq_source *in, liq_sb *err)
{
  return liq_source_new(&merge_class, id, &in, 1, NULL, err);
}

/* --- append ---------------------------------------------------------------------- */

typedef struct append {
  liq_cb_source_of_meta fn;
  int insert_missing, merge;
  int track_start;     /* the next data of the input starts a track */
  liq_source *pending; /* to play after the current track */
  liq_source *playing; /* the appended track now playing */
} append;

typedef struct append_args {
  liq_cb_source_of_meta fn;
  int insert_missing, merge;
} append_args;

static int append_init(liq_source *s, const void *argp)
{
  const append_args *a = argp;
  append *p = liq_source_priv(s);
  p->fn = a->fn;
  p->insert_missing = a->insert_missing;
  p->merge = a->merge;
  p->track_start = 1;
  return 0;
}

static void append_uninit(liq_source *s)
{
  append *p = liq_source_priv(s);
  liq_cb_source_of_meta_release(&p->fn);
  liq_source_unref(p->pending);
  liq_source_unref(p->playing);
}

static int append_ready(liq_source *s)
{
  append *p = liq_source_priv(s);
  if (p->playing) return liq_source_is_ready(p->playing);
  return liq_source_is_ready(liq_source_input(s, 0));
}

/* Calls fn on the track's first metadata; keeps the result for later. */
static void append_prepare(liq_source *s, append *p, const liq_meta *m)
{
  if (!m && !p->insert_missing) return;
  if (!m) m = liq_meta_empty();
  const char *flag = liq_meta_get(m, "liq_append");
  if (flag && !strcmp(flag, "false")) return;
  liq_source *next = NULL;
  if (!p->fn.fn || p->fn.fn(p->fn.ud, m, &next) != 0 || !next) {
    if (p->fn.fn && !next) liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "append: no source to append.");
    return;
  }
  liq_sb err = LIQ_SB_INIT;
  if (liq_source_clock(s) && liq_source_attach(next, liq_source_clock(s), &err) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "append: %s", liq_sb_str(&err));
    liq_source_unref(next);
    next = NULL;
  }
  liq_sb_free(&err);
  liq_source_unref(p->pending);
  p->pending = next;
}

static liq_fill append_fill(liq_source *s, liq_frame *f, int off, int len)
{
  append *p = liq_source_priv(s);
  if (p->playing) {
    liq_fill r = liq_source_get(p->playing, f, off, len);
    if (r.eot) {
      liq_source_unref(p->playing);
      p->playing = NULL;
    }
    return r;
  }
  liq_fill r = liq_source_get(liq_source_input(s, 0), f, off, len);
  if (p->track_start && r.n > 0) {
    int i = liq_frame_meta_from(f, off);
    append_prepare(s, p, i < f->n_meta && f->meta[i].pos == off ? f->meta[i].meta : NULL);
    p->track_start = 0;
  }
  if (r.eot) {
    p->track_start = 1;
    if (p->pending && liq_source_is_ready(p->pending)) {
      p->playing = p->pending;
      p->pending = NULL;
      if (p->merge) {
        /* No track end: the appended track goes on from here, or from the
         * next fill when this one ended the track at its last sample. */
        liq_frame_drop_mark(f, off + r.n);
        liq_fill r2 = r.n < len ? append_fill(s, f, off + r.n, len - r.n) : (liq_fill){0, 0};
        r.n += r2.n;
        r.eot = r2.eot;
      }
    } else {
      liq_source_unref(p->pending);
      p->pending = NULL;
    }
  }
  return r;
}

static const liq_source_class append_class = {
    .name = "append",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(append),
    .init = append_init,
    .uninit = append_uninit,
    .is_ready = append_ready,
    .fill = append_fill,
};

liq_source *liq_op_append(const char *id, liq_source *in, liq_cb_source_of_meta fn,
                          int insert_missing, int merge, liq_sb *err)
{
  append_args a = {fn, insert_missing, merge};
  return liq_source_new(&append_class, id, &in, 1, &a, err);
}

void liq_cb_source_of_meta_release(liq_cb_source_of_meta *cb)
{
  if (cb->release) cb->release(cb->ud);
  cb->release = NULL;
  cb->fn = NULL;
}

/* --- prepend ------------------------------------------------------------------------ */

/* prepend pulls the first data of each input track into a stash frame to
 * read the track's metadata (an empty packet when it has none, as 2.1.3
 * does), plays one track of the source f returned (when it is ready at
 * once), then the stash, then the rest of the track. A track whose
 * metadata has liq_prepend="false" gets nothing. 2.1.3 goes on pulling the
 * input while the prepended track plays and drops what it gets (its input
 * tracks come out shortened by the prepended length): cliq loses nothing. */
typedef struct prepend {
  liq_cb_source_of_meta fn;
  int merge;
  int track_start;       /* the next data of the input starts a track */
  liq_source *playing;   /* the prepended track now playing */
  liq_frame *stash;      /* first data of the input track, held back */
  int stash_pos, stash_eot;
} prepend;

typedef struct prepend_args {
  liq_cb_source_of_meta fn;
  int merge;
} prepend_args;

static int prepend_init(liq_source *s, const void *argp)
{
  const prepend_args *a = argp;
  prepend *p = liq_source_priv(s);
  p->fn = a->fn;
  p->merge = a->merge;
  p->track_start = 1;
  return 0;
}

static void prepend_uninit(liq_source *s)
{
  prepend *p = liq_source_priv(s);
  liq_cb_source_of_meta_release(&p->fn);
  liq_source_unref(p->playing);
  if (p->stash) liq_frame_unref(p->stash);
}

static int prepend_stashed(const prepend *p) { return p->stash && p->stash_pos < p->stash->len; }

static int prepend_ready(liq_source *s)
{
  prepend *p = liq_source_priv(s);
  if (p->playing) return liq_source_is_ready(p->playing);
  return prepend_stashed(p) || liq_source_is_ready(liq_source_input(s, 0));
}

/* The source to play before a track starting with metadata m, or NULL. */
static liq_source *prepend_make(liq_source *s, prepend *p, const liq_meta *m)
{
  const char *flag = liq_meta_get(m, "liq_prepend");
  if (flag && !strcmp(flag, "false")) return NULL;
  liq_source *next = NULL;
  if (p->fn.fn(p->fn.ud, m, &next) != 0 || !next) return NULL;
  liq_sb err = LIQ_SB_INIT;
  if (liq_source_attach(next, liq_source_clock(s), &err) != 0) {
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "prepend: %s", liq_sb_str(&err));
    liq_source_unref(next);
    next = NULL;
  } else if (!liq_source_is_ready(next)) {
    liq_source_unref(next); /* "success must be immediate" */
    next = NULL;
  }
  liq_sb_free(&err);
  return next;
}

/* At a track start: stashes the input's first data and picks the source
 * to prepend. Returns 0 when the input had nothing to give. */
static int prepend_start(liq_source *s, prepend *p, int len)
{
  if (!p->stash) p->stash = liq_pool_acquire(liq_source_pool(s), liq_source_format(s));
  liq_frame_clear(p->stash);
  liq_fill r = liq_source_get(liq_source_input(s, 0), p->stash, 0, len);
  p->stash->len = r.n;
  p->stash_pos = 0;
  p->stash_eot = r.eot;
  if (r.n == 0) return 0;
  p->track_start = r.eot;
  int i = liq_frame_meta_from(p->stash, 0);
  int has_meta = i < p->stash->n_meta && p->stash->meta[i].pos == 0;
  p->playing = prepend_make(s, p, has_meta ? p->stash->meta[i].meta : liq_meta_empty());
  return 1;
}

static liq_fill prepend_fill(liq_source *s, liq_frame *f, int off, int len)
{
  prepend *p = liq_source_priv(s);
  liq_fill r = {0, 0};
  if (!p->playing && !prepend_stashed(p) && p->track_start && !prepend_start(s, p, len)) {
    r.eot = p->stash_eot;
    return r;
  }
  if (p->playing) {
    r = liq_source_get(p->playing, f, off, len);
    if (!r.eot) return r;
    liq_source_unref(p->playing);
    p->playing = NULL;
    if (!p->merge || r.n == len) {
      r.eot = !p->merge;
      return r;
    }
    liq_frame_drop_mark(f, off + r.n);
    r.eot = 0; /* merged: the input's track goes on in the same track */
  }
  if (prepend_stashed(p)) {
    int n = p->stash->len - p->stash_pos;
    if (n > len - r.n) n = len - r.n;
    liq_frame_blit(f, off + r.n, p->stash, p->stash_pos, n);
    p->stash_pos += n;
    r.n += n;
    if (!prepend_stashed(p) && p->stash_eot) r.eot = 1;
    /* A short fill means "track ended" (source.h): once the stash is out,
     * the rest of the frame comes from the input's same track. */
    if (r.eot || r.n == len) return r;
  }
  liq_fill ri = liq_source_get(liq_source_input(s, 0), f, off + r.n, len - r.n);
  if (ri.eot) p->track_start = 1;
  r.n += ri.n;
  r.eot = ri.eot;
  return r;
}

static int64_t prepend_remaining(liq_source *s)
{
  prepend *p = liq_source_priv(s);
  int64_t rest = liq_source_remaining(liq_source_input(s, 0));
  if (prepend_stashed(p)) {
    if (p->stash_eot) rest = 0;
    if (rest >= 0) rest += p->stash->len - p->stash_pos;
  }
  if (!p->playing) return rest;
  int64_t r = liq_source_remaining(p->playing);
  return !p->merge ? r : r < 0 || rest < 0 ? -1 : r + rest;
}

static void prepend_abort(liq_source *s)
{
  prepend *p = liq_source_priv(s);
  if (p->playing) {
    liq_source_abort_track(p->playing);
    return;
  }
  if (prepend_stashed(p)) {
    p->stash_pos = p->stash->len;
    if (p->stash_eot) return;
  }
  liq_source_abort_track(liq_source_input(s, 0));
}

static int64_t prepend_seek(liq_source *s, int64_t n)
{
  prepend *p = liq_source_priv(s);
  if (p->playing || prepend_stashed(p)) return 0;
  return liq_source_seek(liq_source_input(s, 0), n);
}

static const liq_source_class prepend_class = {
    .name = "prepend",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(prepend),
    .init = prepend_init,
    .uninit = prepend_uninit,
    .is_ready = prepend_ready,
    .fill = prepend_fill,
    .remaining = prepend_remaining,
    .abort_track = prepend_abort,
    .seek = prepend_seek,
};

liq_source *liq_op_prepend(const char *id, liq_source *in, liq_cb_source_of_meta fn, int merge,
                           liq_sb *err)
{
  prepend_args a = {fn, merge};
  return liq_source_new(&prepend_class, id, &in, 1, &a, err);
}

/* --- cue_cut -------------------------------------------------------------------------- */

typedef struct cue {
  char *in_key, *out_key;
  liq_cb_void on_cue_in, on_cue_out;
  int track_start;
  int64_t pos;     /* position in the input track, in samples */
  int64_t cue_out; /* -1: none */
} cue;

typedef struct cue_args {
  const char *in_key, *out_key;
  liq_cb_void on_cue_in, on_cue_out;
} cue_args;

static int cue_init(liq_source *s, const void *argp)
{
  const cue_args *a = argp;
  cue *p = liq_source_priv(s);
  p->on_cue_in = a->on_cue_in;
  p->on_cue_out = a->on_cue_out;
  p->in_key = liq_mem_strdup(a->in_key ? a->in_key : "liq_cue_in");
  p->out_key = liq_mem_strdup(a->out_key ? a->out_key : "liq_cue_out");
  p->track_start = 1;
  p->cue_out = -1;
  return 0;
}

static void cue_uninit(liq_source *s)
{
  cue *p = liq_source_priv(s);
  liq_cb_void_release(&p->on_cue_in);
  liq_cb_void_release(&p->on_cue_out);
  liq_mem_free(p->in_key);
  liq_mem_free(p->out_key);
}

static int64_t meta_seconds(const liq_meta *m, const char *key, int rate)
{
  const char *v = m ? liq_meta_get(m, key) : NULL;
  char *end;
  double d = v ? strtod(v, &end) : -1;
  if (!v || end == v || d < 0) return -1;
  return (int64_t)(d * rate);
}

static liq_fill cue_fill(liq_source *s, liq_frame *f, int off, int len)
{
  cue *p = liq_source_priv(s);
  liq_source *in = liq_source_input(s, 0);
  int rate = liq_source_samplerate(s);
  int want = len;
  if (p->cue_out >= 0 && p->cue_out - p->pos < want) want = (int)(p->cue_out - p->pos);
  liq_fill r = liq_source_get(in, f, off, want);
  if (p->track_start && r.n > 0) {
    p->track_start = 0;
    int i = liq_frame_meta_from(f, off);
    const liq_meta *m = i < f->n_meta && f->meta[i].pos == off ? f->meta[i].meta : NULL;
    int64_t cin = meta_seconds(m, p->in_key, rate);
    p->cue_out = meta_seconds(m, p->out_key, rate);
    if (cin > 0) {
      liq_log(LIQ_LOG_IMPORTANT, liq_source_id(s), "Cueing in...");
      liq_cb_void_call(&p->on_cue_in, s, "on_cue_in");
      if (cin < r.n) {
        /* Keep [cin, n): shift it to off; the track's metadata stays. */
        for (int c = 0; c < f->fmt.channels; c++) {
          float *d = liq_frame_pcm(f, c);
          memmove(d + off, d + off + cin, sizeof(float) * (size_t)(r.n - cin));
        }
        int n = r.n - (int)cin;
        while (f->n_meta > i + 1 && f->meta[f->n_meta - 1].pos >= off + n)
          liq_frame_remove_meta(f, f->n_meta - 1);
        p->pos = cin + n;
        r.n = n;
        if (!r.eot) return r;
      } else if (!r.eot) {
        liq_source_seek(in, cin - r.n);
        p->pos = cin;
        /* Nothing kept of the first fill but its metadata at off. */
        int64_t w = len;
        if (p->cue_out >= 0 && p->cue_out - p->pos < w) w = p->cue_out - p->pos;
        if (w < 0) w = 0;
        liq_fill r2 = liq_source_get(in, f, off, (int)w);
        r.n = r2.n;
        r.eot = r2.eot;
        p->pos += r2.n;
        want = (int)w;
        goto out;
      }
    }
  }
  p->pos += r.n;
out:
  if (!r.eot && p->cue_out >= 0 && p->pos >= p->cue_out) {
    liq_log(LIQ_LOG_IMPORTANT, liq_source_id(s), "Cueing out...");
    liq_cb_void_call(&p->on_cue_out, s, "on_cue_out");
    liq_source_abort_track(in);
    r.eot = 1;
  }
  (void)want;
  if (r.eot) {
    p->track_start = 1;
    p->pos = 0;
    p->cue_out = -1;
  }
  return r;
}

static int64_t cue_remaining(liq_source *s)
{
  cue *p = liq_source_priv(s);
  int64_t r = liq_source_remaining(liq_source_input(s, 0));
  if (p->cue_out >= 0 && (r < 0 || p->cue_out - p->pos < r)) r = p->cue_out - p->pos;
  return r;
}

static const liq_source_class cue_class = {
    .name = "cue_cut",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(cue),
    .init = cue_init,
    .uninit = cue_uninit,
    .fill = cue_fill,
    .remaining = cue_remaining,
};

liq_source *liq_op_cue_cut(const char *id, const char *cue_in_metadata,
                           const char *cue_out_metadata, liq_cb_void on_cue_in,
                           liq_cb_void on_cue_out, liq_source *in, liq_sb *err)
{
  cue_args a = {cue_in_metadata, cue_out_metadata, on_cue_in, on_cue_out};
  return liq_source_new(&cue_class, id, &in, 1, &a, err);
}

/* --- source.on_end / on_offset ------------------------------------------------------ */

typedef struct pos_hook {
  int end;                 /* on_end, else on_offset */
  liq_getter_float when;   /* delay or offset, seconds */
  liq_cb_position fn;
  int force;               /* on_offset: fire at the end if not reached */
  char *override;          /* on_offset: metadata overriding the offset */
  double cur_offset;
  int fired;
} pos_hook;

typedef struct pos_args {
  int end;
  liq_getter_float when;
  liq_cb_position fn;
  int force;
  const char *override;
} pos_args;

static int pos_init(liq_source *s, const void *argp)
{
  const pos_args *a = argp;
  pos_hook *p = liq_source_priv(s);
  p->end = a->end;
  p->when = a->when;
  p->fn = a->fn;
  p->force = a->force;
  if (a->override) p->override = liq_mem_strdup(a->override);
  p->cur_offset = -1;
  return 0;
}

static void pos_uninit(liq_source *s)
{
  pos_hook *p = liq_source_priv(s);
  liq_getter_float_release(&p->when);
  if (p->fn.release) p->fn.release(p->fn.ud);
  liq_mem_free(p->override);
}

static void pos_call(liq_source *s, pos_hook *p, double t)
{
  p->fired = 1;
  const liq_meta *m = liq_source_last_metadata(liq_source_input(s, 0));
  if (p->fn.fn && p->fn.fn(p->fn.ud, t, m ? m : liq_meta_empty()) != 0)
    liq_log(LIQ_LOG_SEVERE, liq_source_id(s), "Callback %s failed.", p->end ? "on_end" : "on_offset");
}

static liq_fill pos_fill(liq_source *s, liq_frame *f, int off, int len)
{
  pos_hook *p = liq_source_priv(s);
  liq_source *in = liq_source_input(s, 0);
  double rate = liq_source_samplerate(s);
  liq_fill r = liq_source_get(in, f, off, len);
  if (!p->end && p->override)
    for (int i = liq_frame_meta_from(f, off); i < f->n_meta && f->meta[i].pos < off + r.n; i++) {
      const char *v = liq_meta_get(f->meta[i].meta, p->override);
      char *e;
      double d = v ? strtod(v, &e) : 0;
      if (v && e != v) p->cur_offset = d;
    }
  if (!p->fired && !r.eot) {
    if (p->end) {
      int64_t rem = liq_source_remaining(in);
      double d = liq_getter_float_get(&p->when, s);
      if (rem >= 0 && rem / rate <= d) pos_call(s, p, rem / rate);
    } else {
      double o = p->cur_offset >= 0 ? p->cur_offset : liq_getter_float_get(&p->when, s);
      double el = liq_source_elapsed(in) / rate;
      if (o >= 0 && el >= o) pos_call(s, p, el);
    }
  }
  if (r.eot) {
    if (!p->fired && !p->end && p->force) pos_call(s, p, (liq_source_elapsed(s) + r.n) / rate);
    p->fired = 0;
    p->cur_offset = -1;
  }
  return r;
}

static const liq_source_class on_end_class = {
    .name = "source.on_end",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(pos_hook),
    .init = pos_init,
    .uninit = pos_uninit,
    .fill = pos_fill,
};

static const liq_source_class on_offset_class = {
    .name = "on_offset",
    .fallibility = LIQ_FALLIBLE_ANY_INPUT,
    .priv_size = sizeof(pos_hook),
    .init = pos_init,
    .uninit = pos_uninit,
    .fill = pos_fill,
};

liq_source *liq_op_on_end(const char *id, liq_getter_float delay, liq_cb_position fn,
                          liq_source *in, liq_sb *err)
{
  pos_args a = {1, delay, fn, 0, NULL};
  return liq_source_new(&on_end_class, id, &in, 1, &a, err);
}

liq_source *liq_op_on_offset(const char *id, double offset, int force, const char *override,
                             liq_cb_position fn, liq_source *in, liq_sb *err)
{
  pos_args a = {0, LIQ_FLOAT(offset), fn, force, override};
  return liq_source_new(&on_offset_class, id, &in, 1, &a, err);
}
