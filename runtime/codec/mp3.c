/* codec/mp3: %mp3, %mp3.cbr, %mp3.vbr and %mp3.abr on libmp3lame.
 *
 * The stream's float samples go to lame_encode_buffer_ieee_float (lame
 * resamples when `samplerate` differs from the stream's and downmixes for
 * mono). As in 2.1.3 the Xing VBR tag is not written (the stream may not be
 * seekable). A flush ends the MPEG stream; the next start (a reopened file)
 * configures a fresh lame context. With id3v2=true each file begins with an
 * ID3v2 tag of the metadata current when it opens. */
#include "config.h"
#include "runtime/codec/encoder.h"

#include <lame.h>
#include <string.h>

typedef struct {
  lame_global_flags *gf;
  int used; /* encoded or flushed since the context was configured */
  /* Settings, from the format. */
  int channels, samplerate, quality, mode_set, mode;
  enum { CBR, VBR, ABR } rate;
  int bitrate, vbr_quality, min_bitrate, max_bitrate, hard_min, id3v2;
} mp3_enc;

/* The MPEG-1, 2 and 2.5 sample rates. */
static int valid_rate(int r)
{
  static const int rates[] = {8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000};
  for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
    if (rates[i] == r) return 1;
  return 0;
}

/* The MPEG-1 and 2 layer III bitrates (kbit/s); lame would clamp others. */
static int valid_bitrate(int b)
{
  static const int rates[] = {8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 192, 224, 256, 320};
  for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++)
    if (rates[i] == b) return 1;
  return 0;
}

static void set_tags(lame_global_flags *gf, const liq_meta *m)
{
  id3tag_init(gf);
  id3tag_v2_only(gf);
  const char *v;
  if ((v = liq_meta_get(m, "title"))) id3tag_set_title(gf, v);
  if ((v = liq_meta_get(m, "artist"))) id3tag_set_artist(gf, v);
  if ((v = liq_meta_get(m, "album"))) id3tag_set_album(gf, v);
  if ((v = liq_meta_get(m, "year"))) id3tag_set_year(gf, v);
  if ((v = liq_meta_get(m, "comment"))) id3tag_set_comment(gf, v);
  if ((v = liq_meta_get(m, "tracknumber"))) id3tag_set_track(gf, v);
  if ((v = liq_meta_get(m, "genre"))) id3tag_set_genre(gf, v);
}

/* A new lame context for the settings; 0 or -1. */
static int configure(liq_encoder *e, const liq_meta *tags)
{
  mp3_enc *p = e->priv;
  if (p->gf) lame_close(p->gf);
  p->used = 0;
  p->gf = lame_init();
  if (!p->gf) return -1;
  lame_global_flags *gf = p->gf;
  /* A mono stream feeds both channels of a stereo file. */
  lame_set_num_channels(gf, 2);
  lame_set_in_samplerate(gf, e->samplerate);
  lame_set_out_samplerate(gf, p->samplerate);
  lame_set_quality(gf, p->quality);
  lame_set_mode(gf, p->channels == 1 ? MONO : (MPEG_mode)p->mode);
  lame_set_bWriteVbrTag(gf, 0);
  lame_set_write_id3tag_automatic(gf, 0);
  switch (p->rate) {
  case CBR:
    lame_set_VBR(gf, vbr_off);
    lame_set_brate(gf, p->bitrate);
    break;
  case VBR:
    lame_set_VBR(gf, vbr_default);
    lame_set_VBR_q(gf, p->vbr_quality);
    break;
  case ABR:
    lame_set_VBR(gf, vbr_abr);
    lame_set_VBR_mean_bitrate_kbps(gf, p->bitrate);
    if (p->min_bitrate) lame_set_VBR_min_bitrate_kbps(gf, p->min_bitrate);
    if (p->max_bitrate) lame_set_VBR_max_bitrate_kbps(gf, p->max_bitrate);
    lame_set_VBR_hard_min(gf, p->hard_min);
    break;
  }
  if (tags) set_tags(gf, tags);
  return lame_init_params(gf) < 0 ? -1 : 0;
}

static int mp3_init(liq_encoder *e, const liq_enc_format *f, liq_sb *err)
{
  mp3_enc *p = e->priv;
  const char *name = f->kind->name;
  p->rate = !strcmp(name, "mp3.vbr") ? VBR : !strcmp(name, "mp3.abr") ? ABR : CBR;
  p->channels = liq_enc_format_channels(f, 2);
  /* 2.1.3's default samplerate is 44100: here the stream's when MPEG has it. */
  p->samplerate = (int)liq_enc_format_int(f, "samplerate", valid_rate(e->samplerate) ? e->samplerate : 44100);
  p->quality = (int)liq_enc_format_int(f, "internal_quality", 2);
  p->bitrate = (int)liq_enc_format_int(f, "bitrate", 128);
  p->vbr_quality = (int)liq_enc_format_int(f, "quality", 4);
  p->min_bitrate = (int)liq_enc_format_int(f, "min_bitrate", 0);
  p->max_bitrate = (int)liq_enc_format_int(f, "max_bitrate", 0);
  p->hard_min = liq_enc_format_int(f, "hard_min", 0) != 0;
  p->id3v2 = liq_enc_format_int(f, "id3v2", 0) != 0;
  const char *mode = liq_enc_format_string(f, "stereo_mode", "joint_stereo");
  p->mode = !strcmp(mode, "stereo") ? STEREO : !strcmp(mode, "default") ? NOT_SET : JOINT_STEREO;
  if (p->channels != 1 && p->channels != 2) {
    liq_sb_printf(err, "%%%s: %d channels (MP3 has 1 or 2)", name, p->channels);
    return -1;
  }
  if (e->channels != 1 && e->channels != 2) {
    liq_sb_printf(err, "%%%s: the stream has %d channels (MP3 takes 1 or 2)", name, e->channels);
    return -1;
  }
  if (!valid_rate(p->samplerate)) {
    liq_sb_printf(err, "%%%s: invalid samplerate %d (MPEG rates: 8000 to 48000 Hz)", name,
                  p->samplerate);
    return -1;
  }
  if (p->rate == CBR && !valid_bitrate(p->bitrate)) {
    liq_sb_printf(err, "%%%s: invalid bitrate %d (MPEG bitrates: 8 to 320 kbit/s)", name, p->bitrate);
    return -1;
  }
  if (p->vbr_quality < 0 || p->vbr_quality > 9) {
    liq_sb_printf(err, "%%%s: quality must be between 0 and 9", name);
    return -1;
  }
  if (configure(e, NULL) != 0) {
    liq_sb_printf(err, "%%%s: libmp3lame rejects these parameters (bitrate %d at %d Hz)", name,
                  p->bitrate, p->samplerate);
    return -1;
  }
  /* The largest frame's output, reserved once: lame's bound. */
  liq_encoder_reserve(e, (size_t)e->frame_samples * 5 / 4 + 7200);
  return 0;
}

static void mp3_start(liq_encoder *e, int64_t existing, const liq_meta *meta)
{
  mp3_enc *p = e->priv;
  int tag = p->id3v2 && existing == 0;
  if ((p->used || tag) && configure(e, tag ? meta : NULL) != 0) return;
  if (!tag) return;
  /* A tag of metadata present at the open (none: no tag). */
  size_t n = lame_get_id3v2_tag(p->gf, NULL, 0);
  if (n == 0 || !meta) return;
  uint8_t *out = liq_encoder_reserve(e, n);
  liq_encoder_produced(e, lame_get_id3v2_tag(p->gf, out, n));
}

static void mp3_encode(liq_encoder *e, liq_frame *f, int off, int n)
{
  mp3_enc *p = e->priv;
  if (!p->gf) return;
  p->used = 1;
  const float *l = liq_frame_pcm(f, 0) + off;
  const float *r = f->fmt.channels > 1 ? liq_frame_pcm(f, 1) + off : l;
  size_t cap = (size_t)n * 5 / 4 + 7200;
  uint8_t *out = liq_encoder_reserve(e, cap);
  int k = lame_encode_buffer_ieee_float(p->gf, l, r, n, out, (int)cap);
  if (k > 0) liq_encoder_produced(e, (size_t)k);
}

static void mp3_flush(liq_encoder *e)
{
  mp3_enc *p = e->priv;
  if (!p->gf) return;
  p->used = 1;
  uint8_t *out = liq_encoder_reserve(e, 7200);
  int k = lame_encode_flush(p->gf, out, 7200);
  if (k > 0) liq_encoder_produced(e, (size_t)k);
}

static void mp3_uninit(liq_encoder *e)
{
  mp3_enc *p = e->priv;
  if (p && p->gf) lame_close(p->gf);
}

const liq_encoder_ops liq_mp3_encoder_ops = {
    .priv_size = sizeof(mp3_enc),
    .init = mp3_init,
    .start = mp3_start,
    .encode = mp3_encode,
    .flush = mp3_flush,
    .uninit = mp3_uninit,
};
