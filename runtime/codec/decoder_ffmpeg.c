/* decoder_ffmpeg: runtime/codec/decoder.h on libavformat (demuxing and
 * probing), libavcodec (decoding) and libswresample (resampling, remixing
 * and conversion to planar float).
 *
 *   av_read_frame -> packet -> avcodec_send_packet / receive_frame -> frame
 *     -> swr_convert -> pending (planar float, clock rate and channels)
 *     -> liq_decoder_read copies out of pending
 *
 * The pending buffer grows to the largest converted frame and is then
 * reused. The converter is rebuilt when a frame's input format changes
 * (chained Ogg streams may change rate or channels between tracks). */
#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
#include <libswresample/swresample.h>

#include "runtime/codec/decoder.h"
#include "runtime/log.h"
#include "runtime/mem.h"

struct liq_decoder {
  AVFormatContext *fmt;
  AVCodecContext *dec;
  SwrContext *swr;
  AVPacket *pkt;
  AVFrame *frame;
  int stream;
  int rate, channels;
  /* The converter's current input format. */
  int in_rate, in_channels, in_format;
  float *pending[LIQ_MAX_CHANNELS];
  int pending_cap, pending_pos, pending_len;
  int draining; /* end of input: decoder flushed with a NULL packet */
  int done;     /* decoder and converter drained */
  /* After a seek: output samples before this time (seconds) are dropped. */
  double skip_to;
  liq_meta *meta;
};

/* The libraries' own messages go to the log under "ffmpeg": their errors
 * at info level, the rest at debug (a bad file is reported once, with its
 * path, by whoever opened it). */
static void av_log_to_liq(void *avcl, int level, const char *fmt, va_list vl)
{
  if (level > AV_LOG_WARNING) return;
  int lvl = level <= AV_LOG_ERROR ? LIQ_LOG_INFO : LIQ_LOG_DEBUG;
  if (!liq_log_enabled(lvl)) return;
  char line[1024];
  int prefix = 1;
  av_log_format_line2(avcl, level, fmt, vl, line, sizeof line, &prefix);
  size_t n = strlen(line);
  while (n && line[n - 1] == '\n') line[--n] = 0;
  if (n) liq_log(lvl, "ffmpeg", "%s", line);
}

static pthread_once_t log_once = PTHREAD_ONCE_INIT;
static void set_log(void) { av_log_set_callback(av_log_to_liq); }

static void av_err(liq_sb *err, const char *what, int code)
{
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, buf, sizeof buf);
  liq_sb_printf(err, "%s: %s", what, buf);
}

/* Liquidsoap's key names: lowercase; ffmpeg's "track" is "tracknumber". */
static void add_tags(liq_meta *m, const AVDictionary *dict)
{
  const AVDictionaryEntry *e = NULL;
  while ((e = av_dict_get(dict, "", e, AV_DICT_IGNORE_SUFFIX))) {
    char key[128];
    size_t i = 0;
    for (; e->key[i] && i < sizeof key - 1; i++) key[i] = (char)tolower((unsigned char)e->key[i]);
    key[i] = 0;
    if (!strcmp(key, "track")) strcpy(key, "tracknumber");
    if (!liq_meta_get(m, key)) liq_meta_set(m, key, e->value);
  }
}

/* (Re)builds the converter for frame's format. */
static int setup_swr(liq_decoder *d, const AVFrame *fr, liq_sb *err)
{
  AVChannelLayout in_layout, out_layout;
  int in_ch = fr->ch_layout.nb_channels;
  if (in_ch <= 0) {
    liq_sb_puts(err, "the audio stream has no channels");
    return -1;
  }
  if (fr->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || fr->ch_layout.order == AV_CHANNEL_ORDER_CUSTOM)
    av_channel_layout_default(&in_layout, in_ch);
  else if (av_channel_layout_copy(&in_layout, &fr->ch_layout) < 0) {
    liq_sb_puts(err, "bad channel layout");
    return -1;
  }
  av_channel_layout_default(&out_layout, d->channels);
  swr_free(&d->swr);
  int r = swr_alloc_set_opts2(&d->swr, &out_layout, AV_SAMPLE_FMT_FLTP, d->rate, &in_layout,
                              (enum AVSampleFormat)fr->format, fr->sample_rate, 0, NULL);
  /* Mono goes to the center, i.e. 3 dB down on each side of a stereo
   * pair: what 2.1.3's ffmpeg decoder gives (measured: 0.5 -> 0.3535). */
  if (r >= 0) r = swr_init(d->swr);
  av_channel_layout_uninit(&in_layout);
  av_channel_layout_uninit(&out_layout);
  if (r < 0) {
    av_err(err, "cannot set up the resampler", r);
    return -1;
  }
  d->in_rate = fr->sample_rate;
  d->in_channels = in_ch;
  d->in_format = fr->format;
  return 0;
}

static void ensure_pending(liq_decoder *d, int n)
{
  if (n <= d->pending_cap) return;
  for (int c = 0; c < d->channels; c++)
    d->pending[c] = liq_mem_realloc(d->pending[c], (size_t)n * sizeof(float));
  d->pending_cap = n;
}

/* Drops the start of pending that lies before skip_to; t is the time of
 * pending's first sample (negative when unknown). */
static void apply_skip(liq_decoder *d, double t)
{
  if (d->skip_to <= 0) return;
  if (t < 0) return;
  int64_t drop = (int64_t)((d->skip_to - t) * d->rate + 0.5);
  if (drop <= 0) {
    d->skip_to = 0;
    return;
  }
  if (drop >= d->pending_len) {
    d->pending_len = 0;
    return;
  }
  d->pending_pos = (int)drop;
  d->skip_to = 0;
}

/* Converts one decoded frame (NULL: flush the converter) into pending. */
static int convert(liq_decoder *d, const AVFrame *fr, liq_sb *err)
{
  if (fr && (!d->swr || fr->sample_rate != d->in_rate || fr->format != d->in_format ||
             fr->ch_layout.nb_channels != d->in_channels))
    if (setup_swr(d, fr, err) < 0) return -1;
  if (!d->swr) return 0;
  int want = swr_get_out_samples(d->swr, fr ? fr->nb_samples : 0);
  if (want < 0) want = 0;
  ensure_pending(d, want + 32);
  int n = swr_convert(d->swr, (uint8_t **)d->pending, d->pending_cap,
                      fr ? (const uint8_t **)fr->extended_data : NULL, fr ? fr->nb_samples : 0);
  if (n < 0) {
    av_err(err, "resampling failed", n);
    return -1;
  }
  d->pending_pos = 0;
  d->pending_len = n;
  if (fr && d->skip_to > 0) {
    AVStream *st = d->fmt->streams[d->stream];
    int64_t pts = fr->best_effort_timestamp;
    apply_skip(d, pts == AV_NOPTS_VALUE ? -1 : (double)pts * av_q2d(st->time_base));
  }
  return 0;
}

/* Refills pending. Returns 1 when it holds samples, 0 at the end, -1 on a
 * fatal error. Damaged packets are skipped. */
static int refill(liq_decoder *d, liq_sb *err)
{
  while (!d->done) {
    int r = avcodec_receive_frame(d->dec, d->frame);
    if (r >= 0) {
      int c = convert(d, d->frame, err);
      av_frame_unref(d->frame);
      if (c < 0) return -1;
      if (d->pending_len > d->pending_pos) return 1;
      continue;
    }
    if (r == AVERROR_EOF) {
      d->done = 1;
      if (convert(d, NULL, err) < 0) return -1;
      return d->pending_len > d->pending_pos;
    }
    if (r != AVERROR(EAGAIN)) {
      /* A frame the decoder could not make: skip it. */
      continue;
    }
    if (d->draining) {
      d->done = 1;
      continue;
    }
    r = av_read_frame(d->fmt, d->pkt);
    if (r < 0) {
      /* End of file, or a read error (truncated file): drain what the
       * decoder holds. */
      if (r != AVERROR_EOF)
        liq_log(LIQ_LOG_DEBUG, "decoder", "read stops early: %s", av_err2str(r));
      d->draining = 1;
      avcodec_send_packet(d->dec, NULL);
      continue;
    }
    if (d->pkt->stream_index == d->stream) {
      r = avcodec_send_packet(d->dec, d->pkt);
      if (r < 0 && r != AVERROR(EAGAIN))
        liq_log(LIQ_LOG_DEBUG, "decoder", "damaged packet skipped: %s", av_err2str(r));
    }
    av_packet_unref(d->pkt);
  }
  return 0;
}

liq_decoder *liq_decoder_open(const char *path, int samplerate, int channels, liq_sb *err)
{
  if (channels < 1 || channels > LIQ_MAX_CHANNELS || samplerate <= 0) {
    liq_sb_puts(err, "unsupported output format");
    return NULL;
  }
  pthread_once(&log_once, set_log);
  liq_decoder *d = liq_mem_calloc(1, sizeof *d);
  d->rate = samplerate;
  d->channels = channels;
  d->stream = -1;
  int r = avformat_open_input(&d->fmt, path, NULL, NULL);
  if (r < 0) {
    av_err(err, "cannot open", r);
    goto fail;
  }
  r = avformat_find_stream_info(d->fmt, NULL);
  if (r < 0) {
    av_err(err, "cannot read stream information", r);
    goto fail;
  }
  const AVCodec *codec = NULL;
  r = av_find_best_stream(d->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, &codec, 0);
  if (r < 0 || !codec) {
    liq_sb_puts(err, r == AVERROR_DECODER_NOT_FOUND ? "no decoder for its audio" : "no audio stream");
    goto fail;
  }
  d->stream = r;
  AVStream *st = d->fmt->streams[r];
  d->dec = avcodec_alloc_context3(codec);
  if (!d->dec || avcodec_parameters_to_context(d->dec, st->codecpar) < 0) {
    liq_sb_puts(err, "cannot set up the decoder");
    goto fail;
  }
  d->dec->pkt_timebase = st->time_base;
  r = avcodec_open2(d->dec, codec, NULL);
  if (r < 0) {
    av_err(err, "cannot open the decoder", r);
    goto fail;
  }
  /* Other streams (cover art, video) are not read. */
  for (unsigned i = 0; i < d->fmt->nb_streams; i++)
    if ((int)i != d->stream) d->fmt->streams[i]->discard = AVDISCARD_ALL;
  d->pkt = av_packet_alloc();
  d->frame = av_frame_alloc();
  if (!d->pkt || !d->frame) {
    liq_sb_puts(err, "out of memory");
    goto fail;
  }
  d->meta = liq_meta_new();
  add_tags(d->meta, d->fmt->metadata);
  add_tags(d->meta, st->metadata);
  return d;
fail:
  liq_decoder_close(d);
  return NULL;
}

void liq_decoder_close(liq_decoder *d)
{
  if (!d) return;
  swr_free(&d->swr);
  avcodec_free_context(&d->dec);
  avformat_close_input(&d->fmt);
  av_packet_free(&d->pkt);
  av_frame_free(&d->frame);
  for (int c = 0; c < LIQ_MAX_CHANNELS; c++) liq_mem_free(d->pending[c]);
  if (d->meta) liq_meta_unref(d->meta);
  liq_mem_free(d);
}

liq_meta *liq_decoder_metadata(const liq_decoder *d) { return liq_meta_ref(d->meta); }

double liq_decoder_duration(const liq_decoder *d)
{
  if (d->fmt->duration != AV_NOPTS_VALUE && d->fmt->duration > 0)
    return (double)d->fmt->duration / AV_TIME_BASE;
  AVStream *st = d->fmt->streams[d->stream];
  if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
    return (double)st->duration * av_q2d(st->time_base);
  return -1;
}

const char *liq_decoder_codec(const liq_decoder *d) { return d->dec->codec->name; }

int liq_decoder_read(liq_decoder *d, float *const *out, int n, liq_sb *err)
{
  int written = 0;
  while (written < n) {
    if (d->pending_pos >= d->pending_len) {
      int r = refill(d, err);
      if (r < 0) return written ? written : -1;
      if (r == 0) break;
    }
    int k = d->pending_len - d->pending_pos;
    if (k > n - written) k = n - written;
    for (int c = 0; c < d->channels; c++)
      memcpy(out[c] + written, d->pending[c] + d->pending_pos, (size_t)k * sizeof(float));
    d->pending_pos += k;
    written += k;
  }
  return written;
}

int liq_decoder_seek(liq_decoder *d, double seconds, liq_sb *err)
{
  if (seconds < 0) seconds = 0;
  int64_t ts = (int64_t)(seconds * AV_TIME_BASE);
  int r = avformat_seek_file(d->fmt, -1, INT64_MIN, ts, ts, 0);
  if (r < 0) r = av_seek_frame(d->fmt, -1, ts, AVSEEK_FLAG_BACKWARD);
  if (r < 0) {
    av_err(err, "cannot seek", r);
    return -1;
  }
  avcodec_flush_buffers(d->dec);
  if (d->swr) {
    /* Forget the converter's delay line: rebuilt at the next frame. */
    swr_free(&d->swr);
    d->in_rate = 0;
  }
  d->pending_pos = d->pending_len = 0;
  d->draining = d->done = 0;
  d->skip_to = seconds;
  return 0;
}
