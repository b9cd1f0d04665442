/* codec/vorbis: %vorbis, %vorbis.cbr, %vorbis.abr and %ogg(%vorbis(...))
 * on libvorbis + libogg.
 *
 * A Vorbis stream in Ogg: each start (a new file) begins a new logical
 * stream (new serial number) whose comment header carries the metadata of
 * that moment; encode feeds libvorbis's analysis buffer and writes the
 * pages it completes; flush ends the stream (last page with eos). %vorbis
 * is VBR by quality (-0.1 .. 1.0), .cbr pins min = nominal = max bitrate,
 * .abr sets the nominal bitrate with optional bounds (kbit/s). */
#include "config.h"
#include "runtime/codec/encoder.h"

#include <stdlib.h>
#include <string.h>
#include <vorbis/vorbisenc.h>

#include "runtime/frame.h"

typedef struct {
  int open; /* the libvorbis and libogg state below is initialised */
  vorbis_info vi;
  vorbis_comment vc;
  vorbis_dsp_state vd;
  vorbis_block vb;
  ogg_stream_state os;
  int serial;
  /* Settings, from the format. */
  enum { VBR, CBR, ABR } rate;
  int channels, samplerate, bitrate, min_bitrate, max_bitrate, page_bytes;
  double quality;
} vorbis_enc;

static void emit_page(liq_encoder *e, const ogg_page *og)
{
  uint8_t *out = liq_encoder_reserve(e, (size_t)(og->header_len + og->body_len));
  memcpy(out, og->header, (size_t)og->header_len);
  memcpy(out + og->header_len, og->body, (size_t)og->body_len);
  liq_encoder_produced(e, (size_t)(og->header_len + og->body_len));
}

static void close_stream(vorbis_enc *v)
{
  if (!v->open) return;
  ogg_stream_clear(&v->os);
  vorbis_block_clear(&v->vb);
  vorbis_dsp_clear(&v->vd);
  vorbis_comment_clear(&v->vc);
  vorbis_info_clear(&v->vi);
  v->open = 0;
}

/* libvorbis's setup for the settings; 0 or the library's error. */
static int setup(vorbis_enc *v)
{
  vorbis_info_init(&v->vi);
  int rc;
  switch (v->rate) {
  case VBR: rc = vorbis_encode_init_vbr(&v->vi, v->channels, v->samplerate, (float)v->quality); break;
  case CBR: {
    long b = v->bitrate * 1000L;
    rc = vorbis_encode_init(&v->vi, v->channels, v->samplerate, b, b, b);
    break;
  }
  default:
    rc = vorbis_encode_init(&v->vi, v->channels, v->samplerate,
                            v->max_bitrate > 0 ? v->max_bitrate * 1000L : -1, v->bitrate * 1000L,
                            v->min_bitrate > 0 ? v->min_bitrate * 1000L : -1);
    break;
  }
  if (rc != 0) vorbis_info_clear(&v->vi);
  return rc;
}

static const char *const tag_keys[] = {"title", "artist", "album", "genre", "date", "tracknumber",
                                       "comment", NULL};

/* A new logical stream: headers with the comments of meta. */
static void open_stream(liq_encoder *e, const liq_meta *meta)
{
  vorbis_enc *v = e->priv;
  close_stream(v);
  if (setup(v) != 0) return; /* init checked the settings: cannot happen */
  vorbis_comment_init(&v->vc);
  for (int i = 0; meta && tag_keys[i]; i++) {
    const char *val = liq_meta_get(meta, tag_keys[i]);
    if (val) vorbis_comment_add_tag(&v->vc, tag_keys[i], val);
  }
  vorbis_analysis_init(&v->vd, &v->vi);
  vorbis_block_init(&v->vd, &v->vb);
  ogg_stream_init(&v->os, v->serial++);
  v->open = 1;
  ogg_packet h, hc, hcode;
  vorbis_analysis_headerout(&v->vd, &v->vc, &h, &hc, &hcode);
  ogg_stream_packetin(&v->os, &h);
  ogg_stream_packetin(&v->os, &hc);
  ogg_stream_packetin(&v->os, &hcode);
  /* The headers end on their own page, as the Vorbis spec asks. */
  ogg_page og;
  while (ogg_stream_flush(&v->os, &og)) emit_page(e, &og);
}

/* Runs the analysis on what was written and emits the completed pages
 * (all of them at the end of the stream). */
static void drain(liq_encoder *e, int end)
{
  vorbis_enc *v = e->priv;
  ogg_packet op;
  ogg_page og;
  while (vorbis_analysis_blockout(&v->vd, &v->vb) == 1) {
    vorbis_analysis(&v->vb, NULL);
    vorbis_bitrate_addblock(&v->vb);
    while (vorbis_bitrate_flushpacket(&v->vd, &op)) {
      ogg_stream_packetin(&v->os, &op);
      for (;;) {
        int got = v->page_bytes > 0 ? ogg_stream_pageout_fill(&v->os, &og, v->page_bytes)
                                    : ogg_stream_pageout(&v->os, &og);
        if (!got) break;
        emit_page(e, &og);
      }
    }
  }
  if (end)
    while (ogg_stream_flush(&v->os, &og)) emit_page(e, &og);
}

/* The Vorbis format of f: f itself, or the stream inside %ogg(...). */
static const liq_enc_format *vorbis_format(const liq_enc_format *f, int *page_bytes)
{
  *page_bytes = (int)liq_enc_format_int(f, "bytes_per_page", 0);
  if (strcmp(f->kind->name, "ogg") != 0) return f;
  /* One nested Vorbis stream: registry.c's stream_ops checked it. */
  const liq_enc_format *inner = NULL;
  for (int i = 0; i < f->n; i++)
    if (f->p[i].type == LIQ_EP_ENCODER) inner = f->p[i].u.enc;
  int inner_bytes = (int)liq_enc_format_int(inner, "bytes_per_page", 0);
  if (inner_bytes) *page_bytes = inner_bytes;
  return inner;
}

static int vorbis_init(liq_encoder *e, const liq_enc_format *outer, liq_sb *err)
{
  vorbis_enc *v = e->priv;
  const liq_enc_format *f = vorbis_format(outer, &v->page_bytes);
  const char *name = f->kind->name;
  v->rate = !strcmp(name, "vorbis.cbr") ? CBR : !strcmp(name, "vorbis.abr") ? ABR : VBR;
  v->channels = liq_enc_format_channels(f, 2);
  v->samplerate = (int)liq_enc_format_int(f, "samplerate", e->samplerate);
  v->quality = liq_enc_format_float(f, "quality", 0.3);
  v->bitrate = (int)liq_enc_format_int(f, "bitrate", 128);
  v->min_bitrate = (int)liq_enc_format_int(f, "min_bitrate", 0);
  v->max_bitrate = (int)liq_enc_format_int(f, "max_bitrate", 0);
  v->serial = rand();
  if (v->channels < 1 || v->channels > LIQ_MAX_CHANNELS) {
    liq_sb_printf(err, "%%%s: unsupported number of channels %d", name, v->channels);
    return -1;
  }
  if (v->samplerate != e->samplerate) {
    liq_sb_printf(err, "%%%s: samplerate %d differs from the stream's %d (no resampling)", name,
                  v->samplerate, e->samplerate);
    return -1;
  }
  if (v->rate == VBR && (v->quality < -0.1 || v->quality > 1.0)) {
    liq_sb_printf(err, "%%%s: quality must be between -0.1 and 1.0", name);
    return -1;
  }
  if (setup(v) != 0) {
    liq_sb_printf(err, "%%%s: libvorbis has no mode for these settings (%d channels, %d Hz)", name,
                  v->channels, v->samplerate);
    return -1;
  }
  vorbis_info_clear(&v->vi);
  return 0;
}

static void vorbis_start(liq_encoder *e, int64_t existing, const liq_meta *meta)
{
  (void)existing; /* appended Ogg streams chain: each is complete */
  open_stream(e, meta);
}

static void vorbis_encode(liq_encoder *e, liq_frame *f, int off, int n)
{
  vorbis_enc *v = e->priv;
  if (!v->open) open_stream(e, NULL);
  if (!v->open) return;
  float **buf = vorbis_analysis_buffer(&v->vd, n);
  int in = f->fmt.channels;
  for (int c = 0; c < v->channels; c++) {
    if (in == v->channels || (v->channels > 1 && in > 1)) {
      memcpy(buf[c], liq_frame_pcm(f, c < in ? c : in - 1) + off, (size_t)n * sizeof(float));
    } else if (v->channels == 1) { /* the mix */
      for (int i = 0; i < n; i++) {
        float s = 0;
        for (int k = 0; k < in; k++) s += liq_frame_pcm(f, k)[off + i];
        buf[0][i] = s / (float)in;
      }
    } else { /* mono to every channel */
      memcpy(buf[c], liq_frame_pcm(f, 0) + off, (size_t)n * sizeof(float));
    }
  }
  vorbis_analysis_wrote(&v->vd, n);
  drain(e, 0);
}

static void vorbis_flush(liq_encoder *e)
{
  vorbis_enc *v = e->priv;
  if (!v->open) return;
  vorbis_analysis_wrote(&v->vd, 0);
  drain(e, 1);
  close_stream(v);
}

static void vorbis_uninit(liq_encoder *e)
{
  if (e->priv) close_stream(e->priv);
}

const liq_encoder_ops liq_vorbis_encoder_ops = {
    .priv_size = sizeof(vorbis_enc),
    .init = vorbis_init,
    .start = vorbis_start,
    .encode = vorbis_encode,
    .flush = vorbis_flush,
    .uninit = vorbis_uninit,
};
