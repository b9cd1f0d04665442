/* codec/encoder: encoder formats, the registry of encoder kinds, and the
 * encoder interface every implementation (one file each: wav.c, mp3.c, ...)
 * plugs into.
 *
 *   %mp3(bitrate=192, mono)          an encoder literal (lang/)
 *        │ the evaluator hands its evaluated parameters to the stdlib
 *        ▼
 *   liq_enc_format                   kind + typed parameters + nested formats
 *        │ liq_encoder_new(format, stream channels, samplerate)
 *        ▼
 *   liq_encoder ──bytes──▶ sink      start / encode / flush, per file
 *
 * The registry (registry.c) describes every encoder name Liquidsoap has:
 * its parameters (name, type, printed default), its channel default, and
 * whether this build encodes it (the implementation's ops, from config.h).
 * The type checker (lang/enctype.c, lang/typecheck.c), `%ifencoder`, the
 * encoder values (stdlib/lib_encoder.c) and the outputs all read it.
 *
 * Encoder contract (all calls on one thread, the output's clock thread):
 *  - liq_encoder_new checks the parameters against the stream and opens
 *    the codec; NULL with a message in err when they do not fit.
 *  - start(existing, meta): a new file or stream begins; `existing` is the
 *    size of what the file already holds (append), `meta` the metadata
 *    at that point (tags: id3v2), may be NULL.
 *  - encode(f, off, n): samples [off, off + n) of a PCM frame.
 *  - flush: the stream ends; the codec's tail is produced. start may follow.
 *  - The bytes produced accumulate in the encoder's buffer until the sink
 *    takes them (liq_encoder_bytes, then liq_encoder_consume). The buffer
 *    keeps its capacity: in steady state encoding allocates nothing.
 *
 * Ownership: a liq_enc_format owns its strings and nested formats
 * (liq_enc_format_free). An encoder copies what it needs from the format
 * at creation and does not keep it. */
#ifndef LIQ_CODEC_ENCODER_H
#define LIQ_CODEC_ENCODER_H

#include <stddef.h>
#include <stdint.h>

#include "runtime/frame.h"
#include "runtime/strbuf.h"

/* --- Formats (encoder values) ---------------------------------------------- */

typedef enum {
  LIQ_EP_BOOL,
  LIQ_EP_INT,
  LIQ_EP_FLOAT, /* an int is accepted and converted */
  LIQ_EP_STRING,
  LIQ_EP_ENCODER, /* a nested format (%ogg(%vorbis), %ffmpeg(%audio)) */
} liq_ep_type;

/* A parameter an encoder accepts. */
typedef struct liq_ep_desc {
  const char *name;
  liq_ep_type type;
  /* A string's allowed values, "a|b|c" (NULL: any); for an INT, the
   * strings accepted instead of a number (%opus's bitrate="auto"). */
  const char *choices;
} liq_ep_desc;

/* A given parameter, typed. A flag `mono` is stored as mono=true. */
typedef struct liq_ep {
  char *name; /* NULL for a nested format */
  liq_ep_type type;
  union {
    int64_t i; /* BOOL and INT */
    double f;
    char *s;
    struct liq_enc_format *enc;
  } u;
} liq_ep;

typedef enum {
  LIQ_ENC_PCM,    /* one audio track (mp3, wav, vorbis...) */
  LIQ_ENC_VIDEO,  /* a video codec with a stereo audio track (theora, avi) */
  LIQ_ENC_OGG,    /* the ogg container: nested encoders */
  LIQ_ENC_FFMPEG, /* the ffmpeg container: nested %audio/%video tracks */
  LIQ_ENC_TRACK,  /* an %ffmpeg track: %audio, %video.copy... */
} liq_enc_media;

typedef struct liq_encoder_ops liq_encoder_ops;

/* An encoder name, as the registry knows it. */
typedef struct liq_encoder_kind {
  const char *name;  /* without '%': "mp3.cbr" */
  liq_enc_media media;
  int channels;      /* default channel count (PCM) */
  /* Parameters accepted; NULL: not checked (their names are the codec's
   * own options: %ffmpeg tracks; or encoders this build does not have). */
  const liq_ep_desc *params;
  int nparams;
  /* How 2.1.3 prints the value: the defaults in its order, "name=value";
   * a "#flag" slot prints the given mono/stereo flag or this default. */
  const char *const *print;
  const liq_encoder_ops *ops; /* NULL: this build cannot encode it */
} liq_encoder_kind;

typedef struct liq_enc_format {
  const liq_encoder_kind *kind;
  int has_params; /* written with parentheses */
  int n;
  liq_ep *p; /* in the order given */
} liq_enc_format;

/* The kind named name ("mp3", "%mp3"), or NULL. */
const liq_encoder_kind *liq_encoder_kind_find(const char *name);
/* Whether this build encodes kind (nested kinds included for containers). */
int liq_encoder_kind_built(const liq_encoder_kind *k);
/* The parameter `name` of kind, or NULL. */
const liq_ep_desc *liq_encoder_kind_param(const liq_encoder_kind *k, const char *name);
/* Appends the parameter names of k, comma-separated. */
void liq_encoder_kind_param_names(const liq_encoder_kind *k, liq_sb *sb);
const char *liq_ep_type_name(liq_ep_type t);
/* Whether s is one of d's choices (always, without choices). */
int liq_ep_choice_ok(const liq_ep_desc *d, const char *s);

/* An empty format of kind k (parameters added with liq_enc_format_add). */
liq_enc_format *liq_enc_format_new(const liq_encoder_kind *k, int has_params);
/* Appends a parameter slot, zeroed, named name (copied; NULL for a nested format). */
liq_ep *liq_enc_format_add(liq_enc_format *f, const char *name, liq_ep_type type);
void liq_enc_format_free(liq_enc_format *f);
/* A deep copy. */
liq_enc_format *liq_enc_format_copy(const liq_enc_format *f);
/* 2.1.3's printed form: %mp3(stereo,bitrate=128,samplerate=44100,id3v2=false). */
void liq_enc_format_print(const liq_enc_format *f, liq_sb *sb);
/* The last given parameter `name`, or NULL. */
const liq_ep *liq_enc_format_get(const liq_enc_format *f, const char *name);
int64_t liq_enc_format_int(const liq_enc_format *f, const char *name, int64_t dflt);
double liq_enc_format_float(const liq_enc_format *f, const char *name, double dflt);
const char *liq_enc_format_string(const liq_enc_format *f, const char *name, const char *dflt);
/* The channel count: mono/stereo flags and booleans, channels=N, in order. */
int liq_enc_format_channels(const liq_enc_format *f, int dflt);

/* --- Encoders ---------------------------------------------------------------- */

typedef struct liq_encoder liq_encoder;

struct liq_encoder_ops {
  size_t priv_size; /* zeroed state at e->priv */
  /* Reads the format; 0, or -1 with a message. uninit runs even then. */
  int (*init)(liq_encoder *e, const liq_enc_format *f, liq_sb *err);
  void (*start)(liq_encoder *e, int64_t existing, const liq_meta *meta);
  void (*encode)(liq_encoder *e, liq_frame *f, int off, int n);
  void (*flush)(liq_encoder *e);
  /* Optional: rewrites what a finished seekable file's header needs
   * (WAV sizes); -1 when the file cannot be sought. */
  int (*patch)(liq_encoder *e, int fd);
  void (*uninit)(liq_encoder *e);
  /* Optional: C bytes the codec holds besides the output buffer. */
  size_t (*held)(const liq_encoder *e);
};

struct liq_encoder {
  const liq_encoder_kind *kind;
  const liq_encoder_ops *ops; /* kind's, or the nested stream's for %ogg */
  int channels, samplerate; /* the stream's (input frames) */
  int frame_samples;        /* the stream's frame length */
  uint8_t *out;             /* produced bytes not yet taken */
  size_t len, cap;
  void *priv;
};

/* A new encoder for a stream of the given format, or NULL with err set
 * (not built here, parameters that do not fit the stream). */
liq_encoder *liq_encoder_new(const liq_enc_format *f, liq_format stream, int frame_samples,
                             liq_sb *err);
void liq_encoder_start(liq_encoder *e, int64_t existing, const liq_meta *meta);
void liq_encoder_encode(liq_encoder *e, liq_frame *f, int off, int n);
void liq_encoder_flush(liq_encoder *e);
/* 0 when done or not needed, -1 when fd cannot be sought. */
int liq_encoder_patch(liq_encoder *e, int fd);
/* The bytes produced so far; the sink consumes them when written. */
const uint8_t *liq_encoder_bytes(const liq_encoder *e, size_t *n);
void liq_encoder_consume(liq_encoder *e);
/* C bytes held (buffer capacity + codec state), for memory accounting. */
size_t liq_encoder_held(const liq_encoder *e);
/* NULL is allowed. */
void liq_encoder_free(liq_encoder *e);

/* For implementations: room for n more bytes at the end of the buffer
 * (grown once, then reused); liq_encoder_produced(e, k) commits k of them. */
uint8_t *liq_encoder_reserve(liq_encoder *e, size_t n);
static inline void liq_encoder_produced(liq_encoder *e, size_t k) { e->len += k; }

/* The implementations (one file each). */
extern const liq_encoder_ops liq_wav_encoder_ops; /* wav.c */
extern const liq_encoder_ops liq_mp3_encoder_ops; /* mp3.c */
extern const liq_encoder_ops liq_vorbis_encoder_ops; /* vorbis.c: also %ogg(%vorbis) */
extern const liq_encoder_ops liq_opus_encoder_ops;   /* opus.c: also %ogg(%opus) */

#endif
