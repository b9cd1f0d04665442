/* engine_util: helpers for the engine tests; see engine_util.h. */
#include "config.h"
#include "tests/unit/engine_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/log.h"
#include "runtime/output.h"

int eu_failures;

static uint32_t rd32(const unsigned char *p)
{
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int16_t *read_wav(const char *path, long *frames, int *channels, eu_stats *hdr)
{
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  unsigned char h[44];
  if (fread(h, 1, 44, fp) != 44 || memcmp(h, "RIFF", 4) || memcmp(h + 36, "data", 4)) {
    fclose(fp);
    return NULL;
  }
  *channels = h[22] | h[23] << 8;
  if (hdr) {
    hdr->riff_size = rd32(h + 4);
    hdr->data_size = rd32(h + 40);
  }
  fseek(fp, 0, SEEK_END);
  long bytes = ftell(fp) - 44;
  fseek(fp, 44, SEEK_SET);
  int16_t *d = malloc((size_t)bytes + 2);
  long got = (long)fread(d, 1, (size_t)bytes, fp);
  fclose(fp);
  *frames = got / 2 / *channels;
  return d;
}

int eu_wav_stats(const char *path, long from, long to, eu_stats *out)
{
  long frames;
  int ch;
  memset(out, 0, sizeof *out);
  int16_t *d = read_wav(path, &frames, &ch, out);
  if (!d) return -1;
  out->samples = frames;
  out->channels = ch;
  if (to < 0 || to > frames) to = frames;
  double sq = 0, peak = 0;
  for (long i = from * ch; i < to * ch; i++) {
    double x = d[i] / 32768.0;
    sq += x * x;
    if (fabs(x) > peak) peak = fabs(x);
  }
  long n = (to - from) * ch;
  out->rms = n > 0 ? sqrt(sq / (double)n) : 0;
  out->peak = peak;
  free(d);
  return 0;
}

float *eu_wav_channel(const char *path, int c, long *n)
{
  int ch;
  int16_t *d = read_wav(path, n, &ch, NULL);
  if (!d) return NULL;
  float *x = malloc(sizeof(float) * (size_t)(*n + 1));
  for (long i = 0; i < *n; i++) x[i] = d[i * ch + c] / 32768.0f;
  free(d);
  return x;
}

const char *eu_tmp_path(const char *name)
{
  static char buf[8][512];
  static int k;
  const char *dir = getenv("TMPDIR");
  char *b = buf[k++ % 8];
  snprintf(b, sizeof buf[0], "%s/cliq-engine-%d-%s", dir ? dir : "/tmp", (int)getpid(), name);
  return b;
}

static int stop_clock(void *ud)
{
  liq_clock_request_stop(ud);
  return 0;
}

int64_t eu_render(liq_source *src, const char *path, int fallible, int64_t max_cycles)
{
  liq_clock *c = liq_clock_new("test", LIQ_SYNC_NONE);
  liq_file_opts o;
  liq_file_opts_default(&o);
  o.file.path = path;
  o.out.fallible = fallible;
  o.out.on_stop = (liq_cb_void){stop_clock, c, NULL};
  liq_sb err = LIQ_SB_INIT;
  liq_source *out = liq_output_file_new(src, &o, &err);
  if (!out || liq_clock_add(c, out, &err) != 0) {
    fprintf(stderr, "eu_render: %s\n", liq_sb_str(&err));
    liq_sb_free(&err);
    liq_source_unref(out);
    liq_clock_free(c);
    return -1;
  }
  liq_sb_free(&err);
  int64_t n = liq_clock_run(c, max_cycles);
  liq_source_unref(out);
  liq_clock_free(c);
  return n;
}

double eu_db(double x) { return 20 * log10(x); }

long eu_rss_kb(void)
{
  FILE *fp = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (fp && fgets(line, sizeof line, fp))
    if (!strncmp(line, "VmRSS:", 6)) kb = atol(line + 6);
  if (fp) fclose(fp);
  return kb;
}

static const char *needle;
static int captured;

static void sink(void *ud, int level, const char *line)
{
  (void)ud;
  (void)level;
  if (needle && strstr(line, needle)) captured++;
  if (getenv("ENGINE_TEST_VERBOSE")) fprintf(stderr, "%s\n", line);
}

void eu_capture_logs(const char *n)
{
  needle = n;
  captured = 0;
  liq_log_set_sink(sink, NULL);
}

int eu_captured(void) { return captured; }
