/* engine_util: helpers shared by the streaming engine tests
 * (tests/unit/test_engine_*.c): checks, offline rendering to WAV, and WAV
 * statistics computed in C (sample count, RMS, peak). */
#ifndef ENGINE_UTIL_H
#define ENGINE_UTIL_H

#include <stdint.h>

#include "runtime/clock.h"
#include "runtime/source.h"

extern int eu_failures;

#define CHECK(cond, ...)                                                \
  do {                                                                  \
    if (!(cond)) {                                                      \
      eu_failures++;                                                    \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                     \
      fprintf(stderr, "\n");                                            \
    }                                                                   \
  } while (0)

#define NEAR(a, b, tol) (fabs((double)(a) - (double)(b)) <= (tol))

typedef struct eu_stats {
  long samples;   /* per channel */
  int channels;
  double rms;     /* over all channels, full scale = 1 */
  double peak;
  uint32_t riff_size, data_size; /* header fields as written */
} eu_stats;

/* Statistics of a 16-bit WAV over samples [from, to) (to < 0: the end). */
int eu_wav_stats(const char *path, long from, long to, eu_stats *out);
/* The samples of channel c, as floats; caller frees with free(). */
float *eu_wav_channel(const char *path, int c, long *n);

/* A fresh path under $TMPDIR for this test. */
const char *eu_tmp_path(const char *name);

/* Renders `src` (borrowed) to a 16-bit stereo WAV with a sync=none clock
 * until the output stops or max_cycles ran. Returns the cycles run, or -1
 * if the output could not be created (message printed). */
int64_t eu_render(liq_source *src, const char *path, int fallible, int64_t max_cycles);

double eu_db(double x);
/* Peak resident set size growth helper: current VmRSS in kB. */
long eu_rss_kb(void);
/* Counts log lines containing a needle (installs a capturing sink). */
void eu_capture_logs(const char *needle);
int eu_captured(void);

#endif
