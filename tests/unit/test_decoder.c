/* test_decoder: runtime/codec/decoder.h and runtime/request.h on fixtures
 * made with ffmpeg in a scratch directory. Exit 0 = pass; one line per
 * failed check; exit 77-like skip is not used: ffmpeg is required.
 *
 * Checks: a 3 s 440 Hz sine (amplitude 0.5) in flac at 48 kHz mono comes
 * out at 44.1 kHz stereo with the right length, both channels equal and
 * the right level (mono in the center: 3 dB down, as 2.1.3); the duration and tags; a seek to 1.5 s lands on the
 * sample the signal has there (phase checked against the formula); seeking
 * back to 0 restarts; missing, empty and garbage files fail with a reason;
 * annotate: parsing and path resolution. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/codec/decoder.h"
#include "runtime/mem.h"
#include "runtime/request.h"

static int failures;

#define CHECK(cond)                                                         \
  do {                                                                      \
    if (!(cond)) {                                                          \
      printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      failures++;                                                           \
    }                                                                       \
  } while (0)

static char dir[] = "/tmp/test_decoder.XXXXXX";

static void path_of(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", dir, name); }

#define RATE 44100
#define SECS 3
/* The amplitude on each channel: 0.5 in mono, 3 dB down in stereo. */
#define AMP (0.5 / M_SQRT2)

static void test_decode(void)
{
  char p[512], cmd[1024];
  path_of(p, sizeof p, "t.flac");
  snprintf(cmd, sizeof cmd,
           "ffmpeg -nostdin -loglevel error -y -f lavfi -i 'aevalsrc=0.5*sin(2*PI*440*t):s=48000:d=%d' "
           "-metadata title=Tone -metadata artist=Gen %s",
           SECS, p);
  CHECK(system(cmd) == 0);
  liq_sb err = LIQ_SB_INIT;
  liq_decoder *d = liq_decoder_open(p, RATE, 2, &err);
  CHECK(d != NULL);
  if (!d) {
    printf("open: %s\n", liq_sb_str(&err));
    liq_sb_free(&err);
    return;
  }
  CHECK(fabs(liq_decoder_duration(d) - SECS) < 0.01);
  CHECK(strcmp(liq_decoder_codec(d), "flac") == 0);
  liq_meta *m = liq_decoder_metadata(d);
  CHECK(liq_meta_get(m, "title") && strcmp(liq_meta_get(m, "title"), "Tone") == 0);
  CHECK(liq_meta_get(m, "artist") && strcmp(liq_meta_get(m, "artist"), "Gen") == 0);
  liq_meta_unref(m);

  static float l[RATE * SECS + RATE], r[RATE * SECS + RATE];
  float *out[2] = {l, r};
  long total = 0;
  for (;;) {
    float *o[2] = {l + total, r + total};
    int n = liq_decoder_read(d, o, 1000, &err);
    CHECK(n >= 0);
    if (n <= 0) break;
    total += n;
    if (total > RATE * SECS + RATE - 1000) break;
  }
  CHECK(labs(total - RATE * SECS) <= 2);
  double sum = 0, diff = 0;
  for (long i = 0; i < total; i++) {
    sum += (double)l[i] * l[i];
    diff += fabs((double)l[i] - r[i]);
  }
  CHECK(fabs(sqrt(sum / (double)total) - AMP / M_SQRT2) < 0.005);
  CHECK(diff == 0);

  /* Seek to 1.5 s: the next samples are the signal at t = 1.5 s + i/RATE
   * (within the resampler's error). */
  CHECK(liq_decoder_seek(d, 1.5, &err) == 0);
  int n = liq_decoder_read(d, out, 2000, &err);
  CHECK(n == 2000);
  double maxerr = 0;
  for (int i = 100; i < n; i++) {
    double t = 1.5 + (double)i / RATE;
    double e = fabs(l[i] - AMP * sin(2 * M_PI * 440 * t));
    if (e > maxerr) maxerr = e;
  }
  CHECK(maxerr < 0.02);
  /* The rest of the file after the seek: 1.5 s. */
  long rest = n;
  while ((n = liq_decoder_read(d, out, 4000, &err)) > 0) rest += n;
  CHECK(labs(rest - RATE * 3 / 2) <= 64);
  CHECK(liq_decoder_seek(d, 0, &err) == 0);
  n = liq_decoder_read(d, out, 1000, &err);
  CHECK(n == 1000 && fabs(l[10] - AMP * sin(2 * M_PI * 440 * 10.0 / RATE)) < 0.02);
  liq_decoder_close(d);
  liq_sb_free(&err);
}

static void expect_fail(const char *name, const char *reason)
{
  char p[512];
  path_of(p, sizeof p, name);
  liq_request *r = liq_request_new(p);
  liq_sb err = LIQ_SB_INIT;
  CHECK(liq_request_resolve(r, &err) < 0);
  if (!strstr(liq_sb_str(&err), reason)) {
    printf("%s: reason \"%s\", expected \"%s\"\n", name, liq_sb_str(&err), reason);
    failures++;
  }
  /* A second resolution fails the same way without probing again. */
  liq_sb_reset(&err);
  CHECK(liq_request_resolve(r, &err) < 0 && strstr(liq_sb_str(&err), reason));
  CHECK(liq_request_filename(r) == NULL);
  CHECK(liq_request_duration(r) < 0);
  liq_request_unref(r);
  liq_sb_free(&err);
}

static void test_bad(void)
{
  char p[512], cmd[1024];
  path_of(p, sizeof p, "empty.ogg");
  FILE *f = fopen(p, "w");
  CHECK(f != NULL);
  if (f) fclose(f);
  path_of(p, sizeof p, "garbage.mp3");
  snprintf(cmd, sizeof cmd, "head -c 100000 /dev/urandom > %s", p);
  CHECK(system(cmd) == 0);
  path_of(p, sizeof p, "text.wav");
  snprintf(cmd, sizeof cmd, "echo 'not audio at all' > %s", p);
  CHECK(system(cmd) == 0);
  expect_fail("missing.mp3", "No such file");
  expect_fail("empty.ogg", "empty file");
  expect_fail("garbage.mp3", "");
  expect_fail("text.wav", "");
  expect_fail(".", "not a regular file");
  liq_sb err = LIQ_SB_INIT;
  path_of(p, sizeof p, "garbage.mp3");
  CHECK(liq_decoder_open(p, RATE, 2, &err) == NULL && err.len > 0);
  liq_sb_free(&err);
}

static void test_requests(void)
{
  liq_meta *m = liq_meta_new();
  liq_sb err = LIQ_SB_INIT;
  const char *loc = liq_request_parse_annotations("annotate:a=\"x,y\",b=\"q\\\"\":annotate:c=3:f.mp3", m, &err);
  CHECK(loc && strcmp(loc, "f.mp3") == 0);
  CHECK(liq_meta_get(m, "a") && strcmp(liq_meta_get(m, "a"), "x,y") == 0);
  CHECK(liq_meta_get(m, "b") && strcmp(liq_meta_get(m, "b"), "q\"") == 0);
  CHECK(liq_meta_get(m, "c") && strcmp(liq_meta_get(m, "c"), "3") == 0);
  CHECK(liq_request_parse_annotations("annotate:=1:f", m, &err) == NULL && err.len > 0);
  liq_sb_reset(&err);
  CHECK(liq_request_parse_annotations("annotate:a=\"open:f", m, &err) == NULL && err.len > 0);
  liq_meta_unref(m);
  liq_sb_free(&err);

  setenv("HOME", "/home/someone", 1);
  char *p = liq_request_local_path("~/x.mp3");
  CHECK(strcmp(p, "/home/someone/x.mp3") == 0);
  liq_mem_free(p);
  p = liq_request_local_path("file:///a/b.mp3");
  CHECK(strcmp(p, "/a/b.mp3") == 0);
  liq_mem_free(p);
  char cwd[1024], want[1100];
  CHECK(getcwd(cwd, sizeof cwd) != NULL);
  snprintf(want, sizeof want, "%s/rel/c.ogg", cwd);
  p = liq_request_local_path("rel/c.ogg");
  CHECK(strcmp(p, want) == 0);
  liq_mem_free(p);

  /* A resolved request: annotations win over tags, filename is absolute. */
  char uri[600];
  snprintf(uri, sizeof uri, "annotate:title=\"Mine\":%s/t.flac", dir);
  liq_request *r = liq_request_new(uri);
  CHECK(liq_request_filename(r) == NULL);
  CHECK(liq_request_resolve(r, &err) == 0);
  liq_meta *rm = liq_request_metadata(r);
  CHECK(strcmp(liq_meta_get(rm, "title"), "Mine") == 0);
  CHECK(strcmp(liq_meta_get(rm, "artist"), "Gen") == 0);
  liq_meta_unref(rm);
  CHECK(fabs(liq_request_duration(r) - SECS) < 0.01);
  liq_decoder *d = liq_request_open(r, 22050, 1, &err);
  CHECK(d != NULL);
  liq_decoder_close(d);
  liq_request_unref(r);
  liq_sb_free(&err);
}

int main(void)
{
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  test_decode();
  test_bad();
  test_requests();
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (system(cmd) != 0) printf("could not remove %s\n", dir);
  return failures ? 1 : 0;
}
