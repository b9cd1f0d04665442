/* frame: the unit of media that flows through the streaming graph, the
 * per-clock pool that recycles frames, and metadata packets.
 *
 * A frame holds one clock cycle worth of media (the clock's frame size, 1764
 * samples at 44.1 kHz by default, see clock.h) plus timed events: track
 * marks and metadata, each at a sample position inside the frame.
 *
 *   liq_frame (pooled, reference counted)
 *   +-------------------------------------------------------------+
 *   | fmt {kind=PCM, channels=2, samplerate}  capacity=1764       |
 *   | len = 1200   (filled prefix: samples [0, len) are valid)    |
 *   | planes[0] --> [ L0 L1 L2 ............ L1199 | ...unused... ] |
 *   | planes[1] --> [ R0 R1 R2 ............ R1199 | ...unused... ] |
 *   |                 ^ one contiguous block, channel after channel|
 *   | marks   = { 700 }          a track ended at sample 700      |
 *   | meta    = { {700, {title="b"}} }   metadata at sample 700   |
 *   +-------------------------------------------------------------+
 *
 * Content kinds. Audio is planar: one array per channel, `capacity` samples
 * each, element type given by the kind (float for PCM and PCM_F32, int16 for
 * PCM_S16). Every DSP operator works on PCM; content-agnostic operators
 * (fallback, sequence, metadata...) only move samples with liq_frame_blit,
 * which dispatches on the kind, so they carry any kind unchanged.
 * TODO(ffmpeg binding): ffmpeg frames will be one more kind whose "plane" is
 * a small array of {position, AVFrame reference}; blit/clear then move and
 * release references instead of copying samples, and nothing else changes.
 *
 * Pools. Each clock owns one pool (it runs on that clock's thread, but the
 * pool is locked so sources can also be torn down from the main thread).
 * A frame's buffers and its event arrays are allocated once and reused:
 * in steady state acquiring and releasing frames allocates nothing. The
 * global counter liq_frame_allocations() counts every allocation made by
 * this module (new frames, grown event arrays); tests assert that it stops
 * growing after warm-up.
 *
 * Ownership: liq_pool_acquire returns a new reference (refs = 1);
 * liq_frame_ref/unref count; the last unref returns the frame to its pool.
 * Metadata packets are immutable once shared, reference counted, and a
 * frame holds one reference per metadata event. */
#ifndef LIQ_FRAME_H
#define LIQ_FRAME_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* Frames carry at most this many channels (5.1 plus two spare). */
#define LIQ_MAX_CHANNELS 8

typedef enum liq_content_kind {
  LIQ_CONTENT_PCM,     /* planar float, the internal kind (Liquidsoap `pcm`) */
  LIQ_CONTENT_PCM_S16, /* planar int16 (`pcm_s16`) */
  LIQ_CONTENT_PCM_F32, /* planar float, typed apart from pcm (`pcm_f32`) */
} liq_content_kind;

typedef struct liq_format {
  liq_content_kind kind;
  int channels;   /* 1..LIQ_MAX_CHANNELS */
  int samplerate; /* Hz */
} liq_format;

size_t liq_content_sample_size(liq_content_kind kind);
const char *liq_content_name(liq_content_kind kind);
int liq_format_equal(liq_format a, liq_format b);

/* --- Metadata packets ----------------------------------------------------- */

/* An ordered string -> string map. Mutable with liq_meta_set only while the
 * creator holds the sole reference; immutable once attached or shared. */
typedef struct liq_meta liq_meta;

liq_meta *liq_meta_new(void);
/* Sets or replaces `key`. */
void liq_meta_set(liq_meta *m, const char *key, const char *value);
/* Borrowed value, NULL when absent. */
const char *liq_meta_get(const liq_meta *m, const char *key);
int liq_meta_count(const liq_meta *m);
const char *liq_meta_key(const liq_meta *m, int i);
const char *liq_meta_value(const liq_meta *m, int i);
liq_meta *liq_meta_copy(const liq_meta *m);
/* A shared empty packet (never freed; ref/unref are no-ops on it). */
liq_meta *liq_meta_empty(void);
liq_meta *liq_meta_ref(liq_meta *m);
void liq_meta_unref(liq_meta *m);

/* --- Frames --------------------------------------------------------------- */

typedef struct liq_pool liq_pool;

typedef struct liq_frame_meta {
  int pos;
  liq_meta *meta; /* one reference held by the frame */
} liq_frame_meta;

typedef struct liq_frame {
  liq_format fmt;
  int capacity; /* samples per channel */
  int len;      /* filled prefix, 0..capacity */
  void *planes[LIQ_MAX_CHANNELS];
  /* Track marks: sorted positions in [0, capacity] where a track ended.
   * A mark at `capacity` means the track ended exactly at the frame's end. */
  int *marks;
  int n_marks, cap_marks;
  /* Metadata events sorted by position (stable for equal positions). */
  liq_frame_meta *meta;
  int n_meta, cap_meta;
  /* Unique per acquisition (a frame reused from the pool gets a new one):
   * identifies a consumer in a cached source's memo for the cycle. */
  uint64_t serial;
  /* Private to frame.c. */
  atomic_int refs;
  liq_pool *pool;
  struct liq_frame *next_free;
} liq_frame;

/* The float samples of channel `c` (PCM and PCM_F32 frames). */
static inline float *liq_frame_pcm(liq_frame *f, int c) { return (float *)f->planes[c]; }
static inline int16_t *liq_frame_s16(liq_frame *f, int c) { return (int16_t *)f->planes[c]; }

liq_frame *liq_frame_ref(liq_frame *f);
void liq_frame_unref(liq_frame *f);

/* Empties the frame: len = 0, no marks, metadata references dropped. */
void liq_frame_clear(liq_frame *f);
/* Writes silence over samples [off, off + n) (does not change len). */
void liq_frame_silence(liq_frame *f, int off, int n);
/* Copies samples [soff, soff + n) of src to dst at doff, converting between
 * content kinds when they differ, and the metadata events in that range.
 * Track marks are not copied: they are the caller's business. Channel counts
 * must match. */
void liq_frame_blit(liq_frame *dst, int doff, const liq_frame *src, int soff, int n);
/* Adds a track mark at pos unless the frame already has one there. */
void liq_frame_add_mark(liq_frame *f, int pos);
/* Removes the track mark at pos, if any. */
void liq_frame_drop_mark(liq_frame *f, int pos);
/* Attaches metadata at pos, taking a new reference to `m`. */
void liq_frame_add_meta(liq_frame *f, int pos, liq_meta *m);
/* Drops metadata event i (its reference). */
void liq_frame_remove_meta(liq_frame *f, int i);
/* Index of the first metadata event at position >= pos (n_meta if none). */
int liq_frame_meta_from(const liq_frame *f, int pos);

/* --- Pools ---------------------------------------------------------------- */

typedef struct liq_pool_stats {
  uint64_t acquires;    /* liq_pool_acquire calls */
  uint64_t allocations; /* frames created because no free frame matched */
  int frames;           /* frames owned by the pool (in use + free) */
  int frames_free;
  size_t bytes;         /* sample bytes owned by the pool */
} liq_pool_stats;

/* A pool of frames of `frame_samples` samples per channel. */
liq_pool *liq_pool_new(int frame_samples);
/* Frees the pool's free frames; frames still referenced are freed when
 * their last reference goes (the pool lives until then). */
void liq_pool_release(liq_pool *p);
int liq_pool_frame_samples(const liq_pool *p);
/* A cleared frame of format `fmt`; new reference. */
liq_frame *liq_pool_acquire(liq_pool *p, liq_format fmt);
void liq_pool_get_stats(liq_pool *p, liq_pool_stats *out);

/* Allocations made by this module since start (all pools, all threads). */
uint64_t liq_frame_allocations(void);

#endif
