/* codec/opus: %opus and %ogg(%opus(...)) on libopus + libogg, in Ogg
 * (RFC 7845).
 *
 * Opus runs at 48 kHz (or 8/12/16/24 kHz by `samplerate`): libswresample
 * converts the stream's rate and channel count into an interleaved FIFO of
 * one frame's worth plus one stream frame, allocated at creation; each
 * full Opus frame (`frame_size` ms) becomes one Ogg packet. Granule
 * positions count 48 kHz samples including the encoder's lookahead
 * (pre-skip, OpusHead); flush pads the last frame with silence past the
 * lookahead and marks the real end in the last granule position, so the
 * decoded length is exact. Each start begins a new logical stream whose
 * OpusTags carry the metadata of that moment. */
#include "config.h"
#include "runtime/codec/encoder.h"

#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
#include <libswresample/swresample.h>
#include <ogg/ogg.h>
#include <opus.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/strbuf.h"

#define MAX_PACKET 4000 /* above libopus's 1275 bytes x 3 frames per packet */

typedef struct {
  OpusEncoder *enc;
  SwrContext *swr;
  ogg_stream_state os;
  int open; /* os holds a logical stream */
  int serial;
  int channels, rate, frame; /* frame: samples per Opus frame at rate */
  int preskip;               /* at 48 kHz */
  int64_t in_samples;        /* real samples given (at the stream's rate) */
  int64_t out_samples;       /* samples encoded (at rate) */
  int64_t packetno;
  float *fifo; /* interleaved, at rate */
  int fill, fifo_cap;
  uint8_t packet[MAX_PACKET];
  int page_bytes;
} opus_enc;

static void emit_pages(liq_encoder *e, int flush)
{
  opus_enc *o = e->priv;
  ogg_page og;
  for (;;) {
    int got = flush ? ogg_stream_flush(&o->os, &og)
              : o->page_bytes > 0 ? ogg_stream_pageout_fill(&o->os, &og, o->page_bytes)
                                  : ogg_stream_pageout(&o->os, &og);
    if (!got) break;
    uint8_t *out = liq_encoder_reserve(e, (size_t)(og.header_len + og.body_len));
    memcpy(out, og.header, (size_t)og.header_len);
    memcpy(out + og.header_len, og.body, (size_t)og.body_len);
    liq_encoder_produced(e, (size_t)(og.header_len + og.body_len));
  }
}

static void put_packet(opus_enc *o, const uint8_t *data, long n, int64_t granule, int bos, int eos)
{
  ogg_packet op = {(unsigned char *)data, n, bos, eos, granule, o->packetno++};
  ogg_stream_packetin(&o->os, &op);
}

static void le32(liq_sb *sb, uint32_t v)
{
  for (int i = 0; i < 4; i++) liq_sb_putc(sb, (char)(v >> (8 * i)));
}

static const char *const tag_keys[] = {"title", "artist", "album", "genre", "date", "tracknumber",
                                       "comment", NULL};

static void open_stream(liq_encoder *e, const liq_meta *meta)
{
  opus_enc *o = e->priv;
  if (o->open) ogg_stream_clear(&o->os);
  ogg_stream_init(&o->os, o->serial++);
  o->open = 1;
  o->packetno = 0;
  o->in_samples = o->out_samples = 0;
  o->fill = 0;
  opus_encoder_ctl(o->enc, OPUS_RESET_STATE);
  swr_init(o->swr); /* drops what the last stream left */
  uint8_t head[19] = {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, (uint8_t)o->channels,
                      (uint8_t)o->preskip, (uint8_t)(o->preskip >> 8)};
  uint32_t in_rate = (uint32_t)e->samplerate;
  for (int i = 0; i < 4; i++) head[12 + i] = (uint8_t)(in_rate >> (8 * i));
  /* output gain 0, mapping family 0 */
  put_packet(o, head, sizeof head, 0, 1, 0);
  emit_pages(e, 1);
  liq_sb tags = LIQ_SB_INIT;
  liq_sb_puts(&tags, "OpusTags");
  le32(&tags, 4);
  liq_sb_puts(&tags, "cliq");
  int n = 0;
  for (int i = 0; meta && tag_keys[i]; i++) n += liq_meta_get(meta, tag_keys[i]) != NULL;
  le32(&tags, (uint32_t)n);
  for (int i = 0; meta && tag_keys[i]; i++) {
    const char *v = liq_meta_get(meta, tag_keys[i]);
    if (!v) continue;
    le32(&tags, (uint32_t)(strlen(tag_keys[i]) + 1 + strlen(v)));
    liq_sb_printf(&tags, "%s=%s", tag_keys[i], v);
  }
  put_packet(o, (const uint8_t *)liq_sb_str(&tags), (long)tags.len, 0, 0, 0);
  liq_sb_free(&tags);
  emit_pages(e, 1);
}

/* 48 kHz granule of `samples` at the encoder's rate. */
static int64_t granule(const opus_enc *o, int64_t samples) { return samples * 48000 / o->rate; }

/* Encodes every full frame of the FIFO. */
static void encode_frames(liq_encoder *e, int eos_at_last)
{
  opus_enc *o = e->priv;
  int done = 0;
  while (o->fill - done >= o->frame) {
    int k = opus_encode_float(o->enc, o->fifo + (size_t)done * (size_t)o->channels, o->frame,
                              o->packet, MAX_PACKET);
    done += o->frame;
    if (k < 0) continue; /* cannot happen with valid settings */
    o->out_samples += o->frame;
    int last = eos_at_last && o->fill - done < o->frame;
    int64_t g = granule(o, o->out_samples);
    if (last) g = o->preskip + av_rescale(o->in_samples, 48000, e->samplerate);
    put_packet(o, o->packet, k, g, 0, last);
  }
  memmove(o->fifo, o->fifo + (size_t)done * (size_t)o->channels,
          (size_t)(o->fill - done) * (size_t)o->channels * sizeof(float));
  o->fill -= done;
  emit_pages(e, eos_at_last);
}

/* The channel mapping of the other encoders (wav.c): mono is the average
 * of the stream's channels (swr's default would add them at -3 dB), a
 * mono stream feeds every channel. Other layouts: swr's defaults. */
static int set_mix(SwrContext *swr, int in, int out)
{
  double m[2 * LIQ_MAX_CHANNELS] = {0};
  if (out == 1 && in > 1) {
    for (int c = 0; c < in; c++) m[c] = 1.0 / in;
  } else if (in == 1 && out == 2) {
    m[0] = m[1] = 1;
  } else {
    return 0;
  }
  return swr_set_matrix(swr, m, out == 1 ? in : 1);
}

static int valid_frame_ms(double ms)
{
  static const double sizes[] = {2.5, 5, 10, 20, 40, 60};
  for (int i = 0; i < 6; i++)
    if (ms == sizes[i]) return 1;
  return 0;
}

static int oe_init(liq_encoder *e, const liq_enc_format *outer, liq_sb *err)
{
  opus_enc *o = e->priv;
  const liq_enc_format *f = outer;
  o->page_bytes = (int)liq_enc_format_int(outer, "bytes_per_page", 0);
  if (!strcmp(outer->kind->name, "ogg")) {
    f = NULL;
    for (int i = 0; i < outer->n; i++)
      if (outer->p[i].type == LIQ_EP_ENCODER) f = outer->p[i].u.enc;
  }
  if (liq_enc_format_int(f, "bytes_per_page", 0))
    o->page_bytes = (int)liq_enc_format_int(f, "bytes_per_page", 0);
  o->channels = liq_enc_format_channels(f, 2);
  o->rate = (int)liq_enc_format_int(f, "samplerate", 48000);
  double ms = liq_enc_format_float(f, "frame_size", 20);
  if (o->channels != 1 && o->channels != 2) {
    liq_sb_printf(err, "%%opus: %d channels (1 or 2)", o->channels);
    return -1;
  }
  if (o->rate != 8000 && o->rate != 12000 && o->rate != 16000 && o->rate != 24000 && o->rate != 48000) {
    liq_sb_printf(err, "%%opus: samplerate %d (8000, 12000, 16000, 24000 or 48000)", o->rate);
    return -1;
  }
  if (!valid_frame_ms(ms)) {
    liq_sb_printf(err, "%%opus: frame_size %g ms (2.5, 5, 10, 20, 40 or 60)", ms);
    return -1;
  }
  o->frame = (int)(ms * o->rate / 1000);
  const char *app = liq_enc_format_string(f, "application", "audio");
  int application = !strcmp(app, "voip") ? OPUS_APPLICATION_VOIP
                    : !strcmp(app, "restricted_lowdelay") ? OPUS_APPLICATION_RESTRICTED_LOWDELAY
                                                          : OPUS_APPLICATION_AUDIO;
  int rc;
  o->enc = opus_encoder_create(o->rate, o->channels, application, &rc);
  if (!o->enc) {
    liq_sb_printf(err, "%%opus: %s", opus_strerror(rc));
    return -1;
  }
  const liq_ep *br = liq_enc_format_get(f, "bitrate");
  int bitrate = br && br->type == LIQ_EP_INT ? (int)br->u.i * 1000 : OPUS_AUTO;
  if (br && br->type == LIQ_EP_STRING && !strcmp(br->u.s, "max")) bitrate = OPUS_BITRATE_MAX;
  if (bitrate != OPUS_AUTO && bitrate != OPUS_BITRATE_MAX && (bitrate < 5000 || bitrate > 512000)) {
    liq_sb_printf(err, "%%opus: bitrate %d kbit/s (5 to 512)", bitrate / 1000);
    return -1;
  }
  opus_encoder_ctl(o->enc, OPUS_SET_BITRATE(bitrate));
  const char *vbr = liq_enc_format_string(f, "vbr", "constrained");
  opus_encoder_ctl(o->enc, OPUS_SET_VBR(strcmp(vbr, "none") != 0));
  opus_encoder_ctl(o->enc, OPUS_SET_VBR_CONSTRAINT(!strcmp(vbr, "constrained")));
  int complexity = (int)liq_enc_format_int(f, "complexity", 10);
  if (complexity < 0 || complexity > 10) {
    liq_sb_printf(err, "%%opus: complexity %d (0 to 10)", complexity);
    return -1;
  }
  opus_encoder_ctl(o->enc, OPUS_SET_COMPLEXITY(complexity));
  const char *signal = liq_enc_format_string(f, "signal", NULL);
  if (signal)
    opus_encoder_ctl(o->enc, OPUS_SET_SIGNAL(!strcmp(signal, "voice") ? OPUS_SIGNAL_VOICE : OPUS_SIGNAL_MUSIC));
  const char *bw = liq_enc_format_string(f, "max_bandwidth", NULL);
  if (bw) {
    static const char *const names[] = {"narrow_band", "medium_band", "wide_band", "super_wide_band", "full_band"};
    static const int values[] = {OPUS_BANDWIDTH_NARROWBAND, OPUS_BANDWIDTH_MEDIUMBAND,
                                 OPUS_BANDWIDTH_WIDEBAND, OPUS_BANDWIDTH_SUPERWIDEBAND,
                                 OPUS_BANDWIDTH_FULLBAND};
    for (int i = 0; i < 5; i++)
      if (!strcmp(bw, names[i])) opus_encoder_ctl(o->enc, OPUS_SET_MAX_BANDWIDTH(values[i]));
  }
  opus_encoder_ctl(o->enc, OPUS_SET_DTX(liq_enc_format_int(f, "dtx", 0) != 0));
  opus_encoder_ctl(o->enc, OPUS_SET_PHASE_INVERSION_DISABLED(liq_enc_format_int(f, "phase_inversion", 1) == 0));
  int lookahead = 0;
  opus_encoder_ctl(o->enc, OPUS_GET_LOOKAHEAD(&lookahead));
  o->preskip = (int)granule(o, lookahead);
  AVChannelLayout in, out;
  av_channel_layout_default(&in, e->channels);
  av_channel_layout_default(&out, o->channels);
  if (swr_alloc_set_opts2(&o->swr, &out, AV_SAMPLE_FMT_FLT, o->rate, &in, AV_SAMPLE_FMT_FLTP,
                          e->samplerate, 0, NULL) < 0 ||
      set_mix(o->swr, e->channels, o->channels) < 0 || swr_init(o->swr) < 0) {
    liq_sb_printf(err, "%%opus: cannot convert %d channels at %d Hz", e->channels, e->samplerate);
    return -1;
  }
  /* One stream frame converted (with the resampler's delay) plus an Opus frame. */
  o->fifo_cap = (int)av_rescale_rnd(e->frame_samples + 256, o->rate, e->samplerate, AV_ROUND_UP) +
                2 * o->frame + 64;
  o->fifo = liq_mem_alloc((size_t)o->fifo_cap * (size_t)o->channels * sizeof(float));
  o->serial = rand();
  return 0;
}

static void oe_start(liq_encoder *e, int64_t existing, const liq_meta *meta)
{
  (void)existing; /* appended Ogg streams chain */
  open_stream(e, meta);
}

static void convert(liq_encoder *e, const uint8_t **in, int n)
{
  opus_enc *o = e->priv;
  uint8_t *out = (uint8_t *)(o->fifo + (size_t)o->fill * (size_t)o->channels);
  int k = swr_convert(o->swr, &out, o->fifo_cap - o->fill, in, n);
  if (k > 0) o->fill += k;
}

static void oe_encode(liq_encoder *e, liq_frame *f, int off, int n)
{
  opus_enc *o = e->priv;
  if (!o->open) open_stream(e, NULL);
  const uint8_t *in[LIQ_MAX_CHANNELS];
  for (int c = 0; c < f->fmt.channels && c < LIQ_MAX_CHANNELS; c++)
    in[c] = (const uint8_t *)(liq_frame_pcm(f, c) + off);
  /* In pieces that fit the FIFO whatever n is. */
  int chunk = e->frame_samples > 0 ? e->frame_samples : 1024;
  for (int done = 0; done < n; done += chunk) {
    int m = n - done < chunk ? n - done : chunk;
    const uint8_t *p[LIQ_MAX_CHANNELS];
    for (int c = 0; c < f->fmt.channels && c < LIQ_MAX_CHANNELS; c++)
      p[c] = in[c] + (size_t)done * sizeof(float);
    convert(e, p, m);
    encode_frames(e, 0);
  }
  o->in_samples += n;
}

static void oe_flush(liq_encoder *e)
{
  opus_enc *o = e->priv;
  if (!o->open) return;
  convert(e, NULL, 0); /* the resampler's tail */
  /* Silence past the lookahead, to a whole frame. */
  int pad = (int)((int64_t)o->preskip * o->rate / 48000) + o->frame;
  while (pad > 0) {
    int room = o->fifo_cap - o->fill;
    int k = pad < room ? pad : room;
    memset(o->fifo + (size_t)o->fill * (size_t)o->channels, 0, (size_t)k * (size_t)o->channels * sizeof(float));
    o->fill += k;
    pad -= k;
    encode_frames(e, pad <= 0);
  }
  ogg_stream_clear(&o->os);
  o->open = 0;
}

static void oe_uninit(liq_encoder *e)
{
  opus_enc *o = e->priv;
  if (o->open) ogg_stream_clear(&o->os);
  if (o->enc) opus_encoder_destroy(o->enc);
  swr_free(&o->swr);
  liq_mem_free(o->fifo);
}

const liq_encoder_ops liq_opus_encoder_ops = {
    .priv_size = sizeof(opus_enc),
    .init = oe_init,
    .start = oe_start,
    .encode = oe_encode,
    .flush = oe_flush,
    .uninit = oe_uninit,
};
