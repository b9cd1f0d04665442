/* clock: stream settings, the streaming cycle and latency control; see
 * clock.h for the cycle diagram. */
#include "config.h"
#include "runtime/clock.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "runtime/log.h"
#include "runtime/mem.h"

/* --- Stream settings -------------------------------------------------------- */

void liq_stream_settings_default(liq_stream_settings *s)
{
  s->samplerate = 44100;
  s->channels = 2;
  s->frame_duration = 0.04;
  s->frame_audio_size = 0;
  s->video_framerate = 25;
  s->max_latency = 60;
  s->log_delay = 1;
  s->log_delay_threshold = 0.2;
}

static liq_stream_settings settings;
static int settings_set;
static void (*settings_provider)(liq_stream_settings *s);

void liq_stream_set_provider(void (*fn)(liq_stream_settings *s)) { settings_provider = fn; }

void liq_stream_configure(const liq_stream_settings *s)
{
  settings = *s;
  settings_set = 1;
}

const liq_stream_settings *liq_stream_get(void)
{
  if (!settings_set) {
    liq_stream_settings_default(&settings);
    if (settings_provider) settings_provider(&settings);
    settings_set = 1;
  }
  return &settings;
}

int liq_stream_frame_samples(void)
{
  const liq_stream_settings *s = liq_stream_get();
  if (s->frame_audio_size > 0) return s->frame_audio_size;
  if (s->video_framerate > 0) {
    /* Whole video frames, at least one (2.1.3's rounding). The epsilon
     * keeps 0.04 * 25 = 1.0000000000000002 at one frame. */
    double per_video = s->samplerate / s->video_framerate;
    double frames = ceil(s->frame_duration * s->video_framerate - 1e-9);
    if (frames < 1) frames = 1;
    return (int)lround(frames * per_video);
  }
  int n = (int)ceil(s->frame_duration * s->samplerate - 1e-9);
  return n < 1 ? 1 : n;
}

const char *liq_sync_mode_name(liq_sync_mode m)
{
  switch (m) {
  case LIQ_SYNC_AUTO: return "auto";
  case LIQ_SYNC_CPU: return "cpu";
  case LIQ_SYNC_NONE: return "none";
  }
  return "?";
}

int liq_sync_mode_parse(const char *s)
{
  if (!strcmp(s, "auto")) return LIQ_SYNC_AUTO;
  if (!strcmp(s, "cpu")) return LIQ_SYNC_CPU;
  if (!strcmp(s, "none")) return LIQ_SYNC_NONE;
  return -1;
}

/* --- Clocks ------------------------------------------------------------------ */

typedef struct cycle_hook {
  liq_clock_hook fn;
  void *ud;
} cycle_hook;

struct liq_clock {
  char *id;
  char *label; /* "clock.<id>" for log lines */
  liq_sync_mode sync;
  liq_pool *pool;
  int frame_samples;
  double frame_duration; /* frame_samples / samplerate */

  /* All attached sources (weak: a source unregisters when freed). */
  liq_source **sources;
  int n_sources, cap_sources;
  /* Outputs and active sources, in attachment order (strong). */
  liq_source **roots;
  int n_roots;

  cycle_hook *hooks;
  int n_hooks;

  atomic_int stop;
  atomic_llong ticks;
  int started; /* sources woken */
  pthread_t thread;
  int has_thread;

  /* Latency control. */
  double t0;        /* monotonic time of tick 0 */
  double last_log;  /* last catchup log */
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

liq_clock *liq_clock_new(const char *id, liq_sync_mode sync)
{
  liq_clock *c = liq_mem_calloc(1, sizeof *c);
  c->id = liq_mem_strdup(id ? id : "main");
  liq_sb sb = LIQ_SB_INIT;
  liq_sb_printf(&sb, "clock.%s", c->id);
  c->label = liq_sb_take(&sb);
  c->sync = sync;
  c->frame_samples = liq_stream_frame_samples();
  c->frame_duration = (double)c->frame_samples / liq_stream_get()->samplerate;
  c->pool = liq_pool_new(c->frame_samples);
  atomic_init(&c->stop, 0);
  atomic_init(&c->ticks, 0);
  return c;
}

const char *liq_clock_id(const liq_clock *c) { return c->id; }
liq_pool *liq_clock_pool(liq_clock *c) { return c->pool; }
int liq_clock_frame_samples(const liq_clock *c) { return c->frame_samples; }
int64_t liq_clock_ticks(const liq_clock *c) { return atomic_load(&c->ticks); }
double liq_clock_time(const liq_clock *c) { return liq_clock_ticks(c) * c->frame_duration; }

int liq_clock_n_roots(const liq_clock *c) { return c->n_roots; }

void liq_clock_register(liq_clock *c, liq_source *s)
{
  if (c->n_sources == c->cap_sources) {
    c->cap_sources = c->cap_sources ? 2 * c->cap_sources : 16;
    c->sources = liq_mem_realloc(c->sources, sizeof(liq_source *) * (size_t)c->cap_sources);
  }
  c->sources[c->n_sources++] = s;
  if (c->started) liq_source_wake_up(s);
}

void liq_clock_unregister(liq_clock *c, liq_source *s)
{
  for (int i = 0; i < c->n_sources; i++)
    if (c->sources[i] == s) {
      memmove(c->sources + i, c->sources + i + 1,
              sizeof(liq_source *) * (size_t)(c->n_sources - i - 1));
      c->n_sources--;
      return;
    }
}

int liq_clock_add(liq_clock *c, liq_source *s, liq_sb *err)
{
  if (liq_source_attach(s, c, err) != 0) return -1;
  if (liq_source_get_class(s)->type != LIQ_SOURCE_PASSIVE) {
    c->roots = liq_mem_realloc(c->roots, sizeof(liq_source *) * (size_t)(c->n_roots + 1));
    c->roots[c->n_roots++] = liq_source_ref(s);
  }
  return 0;
}

void liq_clock_on_cycle_end(liq_clock *c, liq_clock_hook fn, void *ud)
{
  c->hooks = liq_mem_realloc(c->hooks, sizeof(cycle_hook) * (size_t)(c->n_hooks + 1));
  c->hooks[c->n_hooks++] = (cycle_hook){fn, ud};
}

void liq_clock_request_stop(liq_clock *c) { atomic_store(&c->stop, 1); }
int liq_clock_stop_requested(liq_clock *c) { return atomic_load(&c->stop); }

/* Whether a ready self-synced root paces the clock (auto mode). */
static int delegated(liq_clock *c)
{
  for (int i = 0; i < c->n_roots; i++)
    if (liq_source_get_class(c->roots[i])->self_sync && liq_source_is_ready(c->roots[i]))
      return 1;
  return 0;
}

static void sleep_s(double d)
{
  struct timespec ts = {(time_t)d, (long)((d - (time_t)d) * 1e9)};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {}
}

static void latency_control(liq_clock *c)
{
  if (c->sync == LIQ_SYNC_NONE || (c->sync == LIQ_SYNC_AUTO && delegated(c))) return;
  const liq_stream_settings *st = liq_stream_get();
  double target = c->t0 + liq_clock_ticks(c) * c->frame_duration;
  double now = now_s();
  if (now < target) {
    sleep_s(target - now);
    return;
  }
  double lag = now - target;
  if (lag >= st->max_latency) {
    liq_log(LIQ_LOG_SEVERE, c->label, "Too much latency! Resetting active sources...");
    c->t0 = now - liq_clock_ticks(c) * c->frame_duration;
  } else if (lag >= st->log_delay_threshold && now - c->last_log >= st->log_delay) {
    liq_log(LIQ_LOG_SEVERE, c->label, "We must catchup %.2f seconds!", lag);
    c->last_log = now;
  }
}

static void start_sources(liq_clock *c)
{
  if (c->started) return;
  c->started = 1;
  liq_log(LIQ_LOG_IMPORTANT, c->label, "Streaming loop starts in %s mode, frames of %d samples.",
          liq_sync_mode_name(c->sync), c->frame_samples);
  for (int i = 0; i < c->n_sources; i++) liq_source_wake_up(c->sources[i]);
  c->t0 = now_s();
  c->last_log = -1e9;
}

static void cycle(liq_clock *c)
{
  for (int i = 0; i < c->n_roots; i++) liq_source_animate(c->roots[i]);
  for (int i = 0; i < c->n_sources; i++) liq_source_end_cycle(c->sources[i]);
  for (int i = 0; i < c->n_hooks; i++) c->hooks[i].fn(c->hooks[i].ud, c);
  atomic_fetch_add(&c->ticks, 1);
  latency_control(c);
}

int64_t liq_clock_run(liq_clock *c, int64_t max_cycles)
{
  start_sources(c);
  int64_t n = 0;
  while (!liq_clock_stop_requested(c) && (max_cycles < 0 || n < max_cycles)) {
    cycle(c);
    n++;
  }
  return n;
}

/* Clock threads run script callbacks, and the evaluator's C-stack guard
 * needs each thread's own stack base and usable size: every clock thread
 * gets a big stack (pages are only committed when touched) and records its
 * base in a thread-local at entry, before any callback can run. */
#define CLOCK_STACK_SIZE ((size_t)1 << 30)
#define CLOCK_STACK_USABLE (CLOCK_STACK_SIZE - ((size_t)64 << 20))
static __thread char *thread_stack_base;

int liq_clock_thread_stack(void **base, size_t *usable)
{
  if (!thread_stack_base) return 0;
  *base = thread_stack_base;
  *usable = CLOCK_STACK_USABLE;
  return 1;
}

static void *clock_thread(void *arg)
{
  liq_clock *c = arg;
  char base;
  thread_stack_base = &base;
  liq_clock_run(c, -1);
  liq_log(LIQ_LOG_IMPORTANT, c->label, "Streaming loop stopped.");
  return NULL;
}

int liq_clock_start(liq_clock *c)
{
  if (c->has_thread) return 0;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, CLOCK_STACK_SIZE);
  int rc = pthread_create(&c->thread, &attr, clock_thread, c);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    liq_log(LIQ_LOG_CRITICAL, c->label, "Could not start the clock thread.");
    return -1;
  }
  c->has_thread = 1;
  return 0;
}

void liq_clock_join(liq_clock *c)
{
  if (!c->has_thread) return;
  pthread_join(c->thread, NULL);
  c->has_thread = 0;
}

void liq_clock_free(liq_clock *c)
{
  if (!c) return;
  liq_clock_request_stop(c);
  liq_clock_join(c);
  for (int i = 0; i < c->n_sources; i++) liq_source_sleep(c->sources[i]);
  /* Releasing the roots frees the graph; freed sources unregister. */
  for (int i = 0; i < c->n_roots; i++) liq_source_unref(c->roots[i]);
  /* Sources still alive (held elsewhere) forget this clock. */
  for (int i = 0; i < c->n_sources; i++) liq_source_detach(c->sources[i]);
  liq_pool_release(c->pool);
  liq_mem_free(c->roots);
  liq_mem_free(c->sources);
  liq_mem_free(c->hooks);
  liq_mem_free(c->label);
  liq_mem_free(c->id);
  liq_mem_free(c);
}
