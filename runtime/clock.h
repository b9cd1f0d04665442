/* clock: stream settings and clocks, the threads that drive the graph.
 *
 * A clock owns a set of sources (attached through its outputs), a frame
 * pool, and, once started, one thread that repeats the streaming cycle:
 *
 *          +----------------------------------------------------------+
 *          |  cycle n  (frame = frame_samples samples, 0.04 s)        |
 *          |                                                          |
 *   start ---> for each OUTPUT, then each ACTIVE source: animate()    |
 *          |     output: while frame not full && source ready:        |
 *          |               liq_source_get(src, frame, pos, rest)      |
 *          |                 -> pulls inputs recursively (passive)    |
 *          |             encode + write frame[0, pos)                 |
 *          |   for each source: end_cycle()  (memos, cursors reset)   |
 *          |   cycle-end hooks  (the GC safepoint goes here)          |
 *          |   ticks += 1                                             |
 *          |   latency control:                                       |
 *          |     none        -> go on at once (offline rendering)     |
 *          |     cpu / auto  -> target = t0 + ticks * frame_duration  |
 *          |        ahead    -> sleep until target                    |
 *          |        behind   -> "We must catchup N seconds!" (at most |
 *          |                   once per log_delay)                    |
 *          |        behind > max_latency -> re-anchor t0 (reset)      |
 *          +-------------------- until stop requested ---------------+
 *
 * `auto` is `cpu` unless a ready output or active source is self-synced
 * (a soundcard), in which case that source paces the clock.
 *
 * Stream settings are process-wide (Liquidsoap's settings.frame.*): they
 * must be configured before the first source is created. */
#ifndef LIQ_CLOCK_H
#define LIQ_CLOCK_H

#include <stdint.h>

#include "runtime/frame.h"
#include "runtime/source.h"
#include "runtime/strbuf.h"

typedef struct liq_stream_settings {
  int samplerate;         /* settings.frame.audio.samplerate: 44100 */
  int channels;           /* settings.frame.audio.channels: 2 */
  double frame_duration;  /* settings.frame.duration: 0.04 s */
  int frame_audio_size;   /* settings.frame.audio.size: 0 = from duration */
  /* 2.1.3 rounds frames up to whole video frames even for audio-only
   * scripts (0.02 s gives 0.04 s at 25 fps); 0 disables the rounding. */
  double video_framerate; /* 25 */
  double max_latency;     /* settings.root.max_latency: 60 s */
  double log_delay;       /* settings.clock.log_delay: 1 s */
  double log_delay_threshold; /* lag before catchup logs start: 0.2 s */
} liq_stream_settings;

void liq_stream_settings_default(liq_stream_settings *s);
/* Sets the process-wide settings; call before creating sources. */
void liq_stream_configure(const liq_stream_settings *s);
/* The settings; when liq_stream_configure was not called, the defaults
 * amended by the provider, asked once at the first use (the scripting
 * layer reads settings.frame.* then: before the first source exists). */
const liq_stream_settings *liq_stream_get(void);
void liq_stream_set_provider(void (*fn)(liq_stream_settings *s));
/* Samples per frame derived from the settings. */
int liq_stream_frame_samples(void);

typedef enum liq_sync_mode {
  LIQ_SYNC_AUTO,
  LIQ_SYNC_CPU,
  LIQ_SYNC_NONE,
} liq_sync_mode;

const char *liq_sync_mode_name(liq_sync_mode m);
/* "auto" | "cpu" | "none"; -1 if unknown. */
int liq_sync_mode_parse(const char *s);

liq_clock *liq_clock_new(const char *id, liq_sync_mode sync);
/* Stops the clock (joining its thread), puts sources to sleep, releases
 * outputs and the pool. */
void liq_clock_free(liq_clock *c);
const char *liq_clock_id(const liq_clock *c);
liq_pool *liq_clock_pool(liq_clock *c);
int liq_clock_frame_samples(const liq_clock *c);

/* Attaches the graph of `s` to the clock; outputs and active sources become
 * the clock's roots (the clock takes a reference). */
int liq_clock_add(liq_clock *c, liq_source *s, liq_sb *err);

typedef void (*liq_clock_hook)(void *ud, liq_clock *c);
/* Called at the end of every cycle, on the clock thread. */
void liq_clock_on_cycle_end(liq_clock *c, liq_clock_hook fn, void *ud);

/* Runs cycles on the calling thread until a stop is requested, or until
 * `max_cycles` have run when it is >= 0. Returns the cycles run. */
int64_t liq_clock_run(liq_clock *c, int64_t max_cycles);
/* Runs liq_clock_run(c, -1) on a new thread. */
int liq_clock_start(liq_clock *c);
/* Thread-safe and callable from callbacks: ends the loop after the current
 * cycle. */
void liq_clock_request_stop(liq_clock *c);
int liq_clock_stop_requested(liq_clock *c);
/* Waits for the clock's thread (no-op when not started). */
void liq_clock_join(liq_clock *c);

/* Outputs and active sources attached (a clock without any has nothing to
 * run). */
int liq_clock_n_roots(const liq_clock *c);
/* On a clock thread: its stack base and the size callbacks may use (for
 * the evaluator's stack guard); returns 0 on any other thread. */
int liq_clock_thread_stack(void **base, size_t *usable);

int64_t liq_clock_ticks(const liq_clock *c);
/* Stream time: ticks * frame duration, in seconds. */
double liq_clock_time(const liq_clock *c);

/* Used by source.c. */
void liq_clock_register(liq_clock *c, liq_source *s);
void liq_clock_unregister(liq_clock *c, liq_source *s);

#endif
