/* codec/wav: the native WAV encoder; see wav.h. */
#include "config.h"
#include "runtime/codec/wav.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runtime/codec/encoder.h"

int liq_wav_check(const liq_wav_format *fmt, const char **why)
{
  if (fmt->channels < 1 || fmt->channels > LIQ_MAX_CHANNELS) {
    *why = "unsupported number of channels";
    return -1;
  }
  if (fmt->bits != 8 && fmt->bits != 16 && fmt->bits != 24 && fmt->bits != 32) {
    *why = "samplesize must be 8, 16, 24 or 32";
    return -1;
  }
  if (fmt->samplerate <= 0) {
    *why = "invalid samplerate";
    return -1;
  }
  return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

void liq_wav_header(const liq_wav_format *fmt, uint32_t data_bytes, uint8_t out[LIQ_WAV_HEADER_SIZE])
{
  int block = fmt->channels * fmt->bits / 8;
  /* Placeholders as written by Liquidsoap 2.1.3. */
  uint32_t riff = data_bytes == UINT32_MAX ? 0xEFFFFFFFu : data_bytes + 36;
  uint32_t data = data_bytes == UINT32_MAX ? 0xEFFFFFDBu : data_bytes;
  memcpy(out, "RIFF", 4);
  put32(out + 4, riff);
  memcpy(out + 8, "WAVEfmt ", 8);
  put32(out + 16, 16);
  put16(out + 20, 1);
  put16(out + 22, (uint16_t)fmt->channels);
  put32(out + 24, (uint32_t)fmt->samplerate);
  put32(out + 28, (uint32_t)(fmt->samplerate * block));
  put16(out + 32, (uint16_t)block);
  put16(out + 34, (uint16_t)fmt->bits);
  memcpy(out + 36, "data", 4);
  put32(out + 40, data);
}

size_t liq_wav_encoded_size(const liq_wav_format *fmt, int n)
{
  return (size_t)n * (size_t)fmt->channels * (size_t)(fmt->bits / 8);
}

/* Scale to the integer range and truncate toward zero, with saturation:
 * 2.1.3 writes trunc(x * 32767) at 16 bits. */
static inline int32_t quantize(float x, double scale)
{
  if (!(x > -1.f)) return (int32_t)-scale;
  if (x >= 1.f) return (int32_t)scale;
  return (int32_t)(x * scale);
}

/* The sample of output channel c at i, mapping channel counts. */
static inline float sample(liq_frame *f, int channels, int c, int i)
{
  int in = f->fmt.channels;
  if (in == channels) return liq_frame_pcm(f, c)[i];
  if (channels == 1) {
    float sum = 0;
    for (int k = 0; k < in; k++) sum += liq_frame_pcm(f, k)[i];
    return sum / (float)in;
  }
  return liq_frame_pcm(f, c < in ? c : in - 1)[i];
}

size_t liq_wav_encode(const liq_wav_format *fmt, liq_frame *f, int off, int n, uint8_t *out)
{
  int ch = fmt->channels;
  uint8_t *p = out;
  for (int i = off; i < off + n; i++)
    for (int c = 0; c < ch; c++) {
      float x = sample(f, ch, c, i);
      switch (fmt->bits) {
      case 8: *p++ = (uint8_t)(quantize(x, 127) + 128); break;
      case 16: put16(p, (uint16_t)(int16_t)quantize(x, 32767)); p += 2; break;
      case 24: {
        uint32_t v = (uint32_t)quantize(x, 8388607);
        p[0] = (uint8_t)v;
        p[1] = (uint8_t)(v >> 8);
        p[2] = (uint8_t)(v >> 16);
        p += 3;
        break;
      }
      default: put32(p, (uint32_t)quantize(x, 2147483647.0)); p += 4; break;
      }
    }
  return (size_t)(p - out);
}

int liq_wav_patch(int fd)
{
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < LIQ_WAV_HEADER_SIZE) return -1;
  uint64_t data = (uint64_t)st.st_size - LIQ_WAV_HEADER_SIZE;
  /* Sizes past 4 GiB cannot be represented: keep the placeholders. */
  if (data > 0xFFFFFFFFu - 36) return 0;
  uint8_t b[4];
  put32(b, (uint32_t)(data + 36));
  if (pwrite(fd, b, 4, 4) != 4) return -1;
  put32(b, (uint32_t)data);
  if (pwrite(fd, b, 4, 40) != 4) return -1;
  return 0;
}

/* --- %wav on the encoder interface --------------------------------------------- */

typedef struct {
  liq_wav_format fmt;
  uint32_t data_bytes; /* in the header: UINT32_MAX for placeholders */
  int ours;            /* this file starts with the header we wrote */
} wav_enc;

static int wav_init(liq_encoder *e, const liq_enc_format *f, liq_sb *err)
{
  wav_enc *w = e->priv;
  w->fmt.channels = liq_enc_format_channels(f, e->channels);
  w->fmt.samplerate = (int)liq_enc_format_int(f, "samplerate", e->samplerate);
  w->fmt.bits = (int)liq_enc_format_int(f, "samplesize", 16);
  w->fmt.header = liq_enc_format_int(f, "header", 1) != 0;
  const char *why;
  if (liq_wav_check(&w->fmt, &why) != 0) {
    liq_sb_printf(err, "%%wav: %s", why);
    return -1;
  }
  if (w->fmt.samplerate != e->samplerate) {
    liq_sb_printf(err, "%%wav: samplerate %d differs from the stream's %d (no resampling)",
                  w->fmt.samplerate, e->samplerate);
    return -1;
  }
  /* duration: 2.1.3 writes the sizes of that many seconds in the header. */
  double d = liq_enc_format_float(f, "duration", -1);
  double bytes = d * w->fmt.samplerate * w->fmt.channels * (w->fmt.bits / 8);
  w->data_bytes = d >= 0 && bytes < 0xFFFFFFFFu - 36 ? (uint32_t)bytes : UINT32_MAX;
  liq_encoder_reserve(e, liq_wav_encoded_size(&w->fmt, e->frame_samples) + LIQ_WAV_HEADER_SIZE);
  return 0;
}

/* An empty file gets our header; an appended one keeps its own. */
static void wav_start(liq_encoder *e, int64_t existing, const liq_meta *meta)
{
  (void)meta;
  wav_enc *w = e->priv;
  w->ours = 0;
  if (!w->fmt.header || existing > 0) return;
  w->ours = 1;
  liq_wav_header(&w->fmt, w->data_bytes, liq_encoder_reserve(e, LIQ_WAV_HEADER_SIZE));
  liq_encoder_produced(e, LIQ_WAV_HEADER_SIZE);
}

static void wav_encode(liq_encoder *e, liq_frame *f, int off, int n)
{
  wav_enc *w = e->priv;
  uint8_t *out = liq_encoder_reserve(e, liq_wav_encoded_size(&w->fmt, n));
  liq_encoder_produced(e, liq_wav_encode(&w->fmt, f, off, n, out));
}

static void wav_flush(liq_encoder *e) { (void)e; }

/* Patches a file that starts with a WAV header: ours, or the one an
 * appended file had (the file sink opens those read-write). */
static int wav_patch_file(liq_encoder *e, int fd)
{
  wav_enc *w = e->priv;
  uint8_t h[12];
  if (!w->fmt.header) return 0;
  if (!w->ours &&
      (pread(fd, h, 12, 0) != 12 || memcmp(h, "RIFF", 4) || memcmp(h + 8, "WAVE", 4)))
    return 0;
  return liq_wav_patch(fd);
}

const liq_encoder_ops liq_wav_encoder_ops = {
    .priv_size = sizeof(wav_enc),
    .init = wav_init,
    .start = wav_start,
    .encode = wav_encode,
    .flush = wav_flush,
    .patch = wav_patch_file,
};
