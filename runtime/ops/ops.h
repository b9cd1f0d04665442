/* ops: constructors of the built-in operators (the files of runtime/ops/).
 *
 * Each constructor returns a new reference or NULL with a message in `err`;
 * `id` NULL means the default "<name>.<n>". Input sources are borrowed (the
 * operator takes its own references). Callback structs are owned by the
 * operator from the call on, even when it fails. The stdlib binding maps
 * Liquidsoap's labelled arguments onto these parameters; defaults are
 * noted where they matter. */
#ifndef LIQ_OPS_H
#define LIQ_OPS_H

#include "runtime/frame.h"
#include "runtime/output.h"
#include "runtime/source.h"
#include "runtime/strbuf.h"

/* --- gen.c ------------------------------------------------------------------ */

typedef enum liq_wave {
  LIQ_WAVE_SINE,
  LIQ_WAVE_SQUARE,
  LIQ_WAVE_SAW,
  LIQ_WAVE_NOISE,
  LIQ_WAVE_BLANK,
} liq_wave;

/* sine/square/saw(?amplitude=1., ?duration=null, freq=440.); duration < 0
 * means endless. */
liq_source *liq_op_wave(liq_wave wave, const char *id, liq_getter_float freq,
                        liq_getter_float amplitude, double duration, liq_sb *err);
/* noise(?duration=null) */
liq_source *liq_op_noise(const char *id, double duration, liq_sb *err);
/* blank(?duration=-1.): with duration >= 0, endless tracks of that length. */
liq_source *liq_op_blank(const char *id, double duration, liq_sb *err);
/* source.fail(): never ready. */
liq_source *liq_op_fail(const char *id, liq_sb *err);

/* --- amplify.c ---------------------------------------------------------------- */

/* amplify(?override="liq_amplify", k, s): override NULL disables it. */
liq_source *liq_op_amplify(const char *id, liq_getter_float k, const char *override,
                           liq_source *in, liq_sb *err);

/* --- add.c -------------------------------------------------------------------- */

/* add(?normalize=true, ?power=false, ?weights=[], sources): weights NULL or
 * n entries. */
liq_source *liq_op_add(const char *id, liq_source *const *in, int n,
                       const liq_getter_float *weights, liq_getter_bool normalize,
                       liq_getter_bool power, liq_sb *err);

/* --- switch.c ------------------------------------------------------------------ */

/* --- transition.c: transitions of the selectors ------------------------------------ */

/* A selector's transition: *out receives a new reference to the source to
 * play from `old` (what is left of the child being left) to `new` (the
 * child being started). */
typedef struct liq_cb_switch_transition {
  int (*fn)(void *ud, liq_source *old, liq_source *new_, liq_source **out);
  void *ud;
  void (*release)(void *ud);
} liq_cb_switch_transition;

/* ?transitions, ?transition_length=5., ?override="liq_transition_length":
 * fns[i] (fn NULL: none) for child i; fns and override (NULL: none) are
 * liq_mem blocks owned by the operator given them. */
typedef struct liq_transitions {
  liq_cb_switch_transition *fns;
  int n;
  double length;
  char *override;
} liq_transitions;
void liq_transitions_release(liq_transitions *t);

/* The selectors' side (in their private state). */
typedef struct liq_trans {
  liq_transitions cfg;
  liq_source *playing; /* the transition now playing, or NULL */
  liq_meta *replay;    /* to replay when the child itself plays, or NULL */
} liq_trans;

/* Takes cfg's contents (cfg NULL: no transitions). */
void liq_trans_init(liq_trans *t, const liq_transitions *cfg);
void liq_trans_release(liq_trans *t);
/* Child i (`to`) starts after `from` (NULL for the first selection),
 * left mid-track if from_mid; `replay` (NULL: none) is the metadata to
 * replay when the child itself starts playing. Returns 1 if a transition
 * now plays. */
int liq_trans_start(liq_trans *t, liq_source *self, int i, liq_source *from, int from_mid,
                    liq_source *to, const liq_meta *replay);
int liq_trans_ready(liq_trans *t, liq_source *child);
/* Fills from the transition, then from the child. */
liq_fill liq_trans_fill(liq_trans *t, liq_source *child, liq_frame *f, int off, int len);
/* The transition if one plays, else child. */
liq_source *liq_trans_current(liq_trans *t, liq_source *child);

typedef struct liq_switch_case {
  liq_getter_bool pred; /* LIQ_BOOL(1) is the trivial {true} */
  liq_source *source;
  int single;           /* never two tracks in a row from this case */
} liq_switch_case;

/* switch(?track_sensitive=true, ?replay_metadata=true, ?transitions...,
 * cases); tr NULL: no transitions (its contents are taken). */
liq_source *liq_op_switch(const char *id, const liq_switch_case *cases, int n,
                          liq_getter_bool track_sensitive, int replay_metadata,
                          const liq_transitions *tr, liq_sb *err);
/* fallback(?track_sensitive=true, ?replay_metadata=true, ?transitions...,
 * sources) */
liq_source *liq_op_fallback(const char *id, liq_source *const *in, int n, int track_sensitive,
                            int replay_metadata, const liq_transitions *tr, liq_sb *err);
/* mksafe(s) = fallback(track_sensitive=false, [s, blank()]) */
liq_source *liq_op_mksafe(const char *id, liq_source *in, liq_sb *err);

/* --- sequence.c ------------------------------------------------------------------ */

/* sequence(?merge=false, sources) */
liq_source *liq_op_sequence(const char *id, liq_source *const *in, int n, int merge, liq_sb *err);
/* once(s) = sequence([s, source.fail()]) */
liq_source *liq_op_once(const char *id, liq_source *in, liq_sb *err);

/* --- metadata.c ------------------------------------------------------------------ */

/* insert_metadata(s), with the .insert_metadata(?new_track=false, m) method
 * below (thread-safe: applied at the start of the next fill). */
liq_source *liq_op_insert_metadata(const char *id, liq_source *in, liq_sb *err);
/* Takes a new reference to m. Returns -1 if s is not insert_metadata. */
int liq_insert_metadata(liq_source *s, liq_meta *m, int new_track);
/* metadata.map(?update=true, ?strip=false, ?insert_missing=true, f, s).
 * update: merge f's result into the packet (else replace it); strip: drop
 * keys whose new value is ""; insert_missing: at a track start without
 * metadata, call f on an empty packet and insert a non-empty result. */
liq_source *liq_op_metadata_map(const char *id, liq_cb_meta_map fn, int update, int strip,
                                int insert_missing, liq_source *in, liq_sb *err);
/* drop_metadata(s) */
liq_source *liq_op_drop_metadata(const char *id, liq_source *in, liq_sb *err);

/* --- fade.c --------------------------------------------------------------------- */

typedef enum liq_fade_shape {
  LIQ_FADE_LIN,
  LIQ_FADE_SIN,
  LIQ_FADE_LOG,
  LIQ_FADE_EXP,
} liq_fade_shape;

/* "lin" | "sin" | "log" | "exp"; -1 if unknown. */
int liq_fade_shape_parse(const char *s);
/* fade.in / fade.out(?duration=3., ?type="lin", ?override_duration=
 * "liq_fade_in"/"liq_fade_out", ?override_type="liq_fade_type",
 * ?track_sensitive=true, s). Overrides NULL disable them. */
liq_source *liq_op_fade_in(const char *id, double duration, liq_fade_shape type,
                           const char *override_duration, const char *override_type,
                           int track_sensitive, liq_source *in, liq_sb *err);
liq_source *liq_op_fade_out(const char *id, double duration, liq_fade_shape type,
                            const char *override_duration, const char *override_type,
                            int track_sensitive, liq_source *in, liq_sb *err);

/* --- filter.c ---------------------------------------------------------------------- */

typedef enum liq_filter_mode {
  LIQ_FILTER_LOW,
  LIQ_FILTER_HIGH,
  LIQ_FILTER_BAND,
  LIQ_FILTER_NOTCH,
  LIQ_FILTER_PEAK,
  LIQ_FILTER_LOWSHELF,
  LIQ_FILTER_HIGHSHELF,
  LIQ_FILTER_ALLPASS,
} liq_filter_mode;

/* filter(freq, mode, ?q=1., ?wetness=1., s): state-variable filter; modes
 * low, high, band, notch. */
liq_source *liq_op_filter(const char *id, liq_getter_float freq, liq_filter_mode mode,
                          liq_getter_float q, liq_getter_float wetness, liq_source *in,
                          liq_sb *err);
/* filter.iir.eq.<mode>(frequency, ?q, ?gain (dB, peak and shelves), s):
 * RBJ cookbook biquads, every mode. */
liq_source *liq_op_iir_eq(const char *id, liq_filter_mode mode, liq_getter_float freq,
                          liq_getter_float q, liq_getter_float gain_db, liq_source *in,
                          liq_sb *err);
/* filter.iir.butterworth.{low,high}(frequency, ?order=4, s): cascaded
 * biquads, plus a first-order section for odd orders (1..32). */
liq_source *liq_op_butterworth(const char *id, liq_filter_mode mode, liq_getter_float freq,
                               int order, liq_source *in, liq_sb *err);
/* filter.iir.butterworth.{bandpass,bandstop}(frequency1, frequency2,
 * ?order=4, s): 2 order poles, in biquads (order 1..16). */
liq_source *liq_op_butterworth_band(const char *id, int stop, double freq1, double freq2,
                                    int order, liq_source *in, liq_sb *err);
/* filter.fir(frequency, beta, ?coeffs=255, s): raised-cosine low pass
 * (-6 dB at frequency), coeffs taps (1..65536). */
liq_source *liq_op_fir(const char *id, double freq, double beta, int coeffs, liq_source *in,
                       liq_sb *err);
/* filter.rc(frequency, mode, ?wetness=1., s): first-order RC low/high
 * pass with time constant rc = 1 / frequency, like 2.1.3 (the -3 dB point
 * is therefore at frequency / 2 pi). */
liq_source *liq_op_filter_rc(const char *id, liq_getter_float freq, liq_filter_mode mode,
                             liq_getter_float wetness, liq_source *in, liq_sb *err);

/* --- dynamics.c ------------------------------------------------------------------- */

typedef struct liq_compress_opts {
  liq_getter_float attack;    /* ms, 50 */
  liq_getter_float release;   /* ms, 400 */
  liq_getter_float ratio;     /* 2 */
  liq_getter_float threshold; /* dB, -10 */
  liq_getter_float knee;      /* dB, 1 */
  liq_getter_float pre_gain;  /* dB, 0 */
  liq_getter_float gain;      /* dB, 0 */
  liq_getter_float wet;       /* 0..1, 1 */
  liq_getter_float lookahead; /* ms, 0: delay of the level detection */
  liq_getter_float window;    /* s; <= 0: peak detection, else RMS over it */
  int track_sensitive;        /* reset at each track end, 0 */
} liq_compress_opts;

void liq_compress_opts_default(liq_compress_opts *o);
liq_source *liq_op_compress(const char *id, const liq_compress_opts *o, liq_source *in,
                            liq_sb *err);
/* compress's methods as of the last fill: the gain reduction (dB), or
 * (rms != 0) the detected level (linear). -1 if s is not a compress. */
double liq_compress_get(liq_source *s, int rms);
/* limit's defaults: compress with attack 50 ms, release 200 ms, ratio 20,
 * threshold -2 dB. */
void liq_limit_opts_default(liq_compress_opts *o);

typedef struct liq_normalize_opts {
  liq_getter_float target;    /* dB RMS, -13 */
  liq_getter_float up;        /* s, 10: time constant when raising the gain */
  liq_getter_float down;      /* s, 0.1: when lowering it */
  double gain_min, gain_max;  /* dB, -12 / 12 */
  liq_getter_float window;    /* s, 0.5: RMS time constant (<= 0: none) */
  liq_getter_float threshold; /* dB, -40: below it the gain holds */
  liq_getter_float lookahead; /* s, 0: the output is delayed by it */
  int track_sensitive;        /* reset at each track, 1 */
  double debug;               /* s of stream between "rms: .. gain: .." lines at
                                 level 5 (debug); < 0 (-1): none */
} liq_normalize_opts;

void liq_normalize_opts_default(liq_normalize_opts *o);
liq_source *liq_op_normalize(const char *id, const liq_normalize_opts *o, liq_source *in,
                             liq_sb *err);
/* normalize's `rms`, `gain` and `target_gain` methods (linear), as of the
 * last fill; callable from any thread. -1 if s is not a normalize. */
typedef enum { LIQ_NORM_RMS, LIQ_NORM_GAIN, LIQ_NORM_TARGET_GAIN } liq_norm_value;
double liq_normalize_get(liq_source *s, liq_norm_value which);

/* --- Callbacks used by the operators below ----------------------------------------- */

/* Builds a source from a track's metadata (append): *out receives a new
 * reference, or NULL for nothing. */
typedef struct liq_cb_source_of_meta {
  int (*fn)(void *ud, const liq_meta *m, liq_source **out);
  void *ud;
  void (*release)(void *ud);
} liq_cb_source_of_meta;
void liq_cb_source_of_meta_release(liq_cb_source_of_meta *cb);

/* A source getter (source.dynamic): *out receives a new reference, or NULL
 * to keep the current source. */
typedef struct liq_cb_source {
  int (*fn)(void *ud, liq_source **out);
  void *ud;
  void (*release)(void *ud);
} liq_cb_source;

/* on_end / on_offset handlers: (time in seconds, latest metadata). */
typedef struct liq_cb_position {
  int (*fn)(void *ud, double t, const liq_meta *m);
  void *ud;
  void (*release)(void *ud);
} liq_cb_position;

/* --- time.c ------------------------------------------------------------------------ */

/* max_duration(?override="liq_remaining", duration, s): fallible. */
liq_source *liq_op_max_duration(const char *id, double duration, const char *override,
                                liq_source *in, liq_sb *err);
/* delay(?initial=false, d, s): not ready for d s (stream time) after each
 * end of track; fallible. */
liq_source *liq_op_delay(const char *id, liq_getter_float d, int initial, liq_source *in,
                         liq_sb *err);
/* chop(?every=3., ?metadata=[], s): metadata NULL or borrowed (the
 * operator takes a reference); metadata_fn, when set, is called (with an
 * empty packet) for a new packet at each track chop starts, as 2.1.3
 * reads a metadata getter (the operator owns it). */
liq_source *liq_op_chop(const char *id, liq_getter_float every, liq_meta *metadata,
                        liq_cb_meta_map metadata_fn, liq_source *in, liq_sb *err);

/* --- track.c ------------------------------------------------------------------------ */

/* merge_tracks(s) */
liq_source *liq_op_merge_tracks(const char *id, liq_source *in, liq_sb *err);
/* append(?insert_missing=true, ?merge=false, s, f) */
liq_source *liq_op_append(const char *id, liq_source *in, liq_cb_source_of_meta fn,
                          int insert_missing, int merge, liq_sb *err);
/* prepend(?merge=false, s, f): f is called with the metadata of each track
 * as it starts (empty when it has none; liq_prepend="false" inhibits it);
 * one track of its source plays before the track if that source is ready
 * at once. */
liq_source *liq_op_prepend(const char *id, liq_source *in, liq_cb_source_of_meta fn, int merge,
                           liq_sb *err);
/* cue_cut(?cue_in_metadata="liq_cue_in", ?cue_out_metadata="liq_cue_out",
 * ?on_cue_in, ?on_cue_out, s); NULL keys take the defaults. */
liq_source *liq_op_cue_cut(const char *id, const char *cue_in_metadata,
                           const char *cue_out_metadata, liq_cb_void on_cue_in,
                           liq_cb_void on_cue_out, liq_source *in, liq_sb *err);
/* source.on_end(?delay=5., s, f) */
liq_source *liq_op_on_end(const char *id, liq_getter_float delay, liq_cb_position fn,
                          liq_source *in, liq_sb *err);
/* on_offset(?force=false, ?offset=-1., ?override="liq_on_offset", f, s) */
liq_source *liq_op_on_offset(const char *id, double offset, int force, const char *override,
                             liq_cb_position fn, liq_source *in, liq_sb *err);

/* --- select.c ----------------------------------------------------------------------- */

/* rotate / random(?replay_metadata=true, ?weights=[], ?transitions...,
 * sources): weights NULL or n_weights entries, padded with 1; tr as for
 * switch. */
liq_source *liq_op_rotate(const char *id, liq_source *const *in, int n,
                          const liq_getter_float *weights, int n_weights, int replay_metadata,
                          const liq_transitions *tr, liq_sb *err);
liq_source *liq_op_random(const char *id, liq_source *const *in, int n,
                          const liq_getter_float *weights, int n_weights, int replay_metadata,
                          const liq_transitions *tr, liq_sb *err);
/* source.dynamic(?infallible=false, ?init=null, ?track_sensitive=false, f);
 * init may be NULL (borrowed). */
liq_source *liq_op_source_dynamic(const char *id, liq_cb_source fn, liq_source *init,
                                  int track_sensitive, int infallible, liq_sb *err);

/* --- blank.c ------------------------------------------------------------------------ */

typedef struct liq_blank_opts {
  int mode;            /* 0 blank.detect, 1 blank.skip, 2 blank.strip, 3 blank.eat */
  liq_cb_void on_blank, on_noise;
  double max_blank;    /* s, 20 */
  double min_noise;    /* s, 0 */
  double threshold;    /* dB, -40 */
  int track_sensitive; /* 1 */
  int start_blank;     /* 0 */
  int at_beginning;    /* 0, blank.eat */
} liq_blank_opts;

void liq_blank_opts_default(liq_blank_opts *o);
liq_source *liq_op_blank_detect(const char *id, const liq_blank_opts *o, liq_source *in,
                                liq_sb *err);
/* The is_blank method: 1/0, -1 if s is not a blank.* operator. */
int liq_blank_is_blank(liq_source *s);

/* --- stereo.c ------------------------------------------------------------------------ */

/* stereo.pan(?field=90., ?pan=0., s), stereo.width(?width=0., s): stereo. */
liq_source *liq_op_stereo_pan(const char *id, liq_getter_float pan, liq_getter_float field,
                              liq_source *in, liq_sb *err);
liq_source *liq_op_stereo_width(const char *id, liq_getter_float width, liq_source *in,
                                liq_sb *err);
/* stereo.ms.encode(s): (l, r) -> ((l + r) / 2, (l - r) / 2).
 * stereo.ms.decode(?width=1., s): (m, s) -> (m + width s, m - width s). */
liq_source *liq_op_stereo_ms(const char *id, int decode, double width, liq_source *in,
                             liq_sb *err);
/* mean(?normalize=true, s): mono. audio_to_stereo(s): stereo. */
liq_source *liq_op_mean(const char *id, int normalize, liq_source *in, liq_sb *err);
liq_source *liq_op_audio_to_stereo(const char *id, liq_source *in, liq_sb *err);
/* clip(s): into [-1, 1], nan to 0. */
liq_source *liq_op_clip(const char *id, liq_source *in, liq_sb *err);

/* --- effects.c ----------------------------------------------------------------------- */

/* echo(?delay=0.5, ?feedback=-6. (dB), ?ping_pong=false, s) */
liq_source *liq_op_echo(const char *id, liq_getter_float delay, liq_getter_float feedback,
                        int ping_pong, liq_source *in, liq_sb *err);
/* rms / peak(?duration=0.5, s); liq_level_get reads the `rms`/`peak`
 * method (thread-safe), -1 if s is neither. */
liq_source *liq_op_rms(const char *id, liq_getter_float duration, liq_source *in, liq_sb *err);
liq_source *liq_op_peak(const char *id, liq_getter_float duration, liq_source *in, liq_sb *err);
double liq_level_get(liq_source *s);

/* --- cross.c --------------------------------------------------------------------------- */

/* One side of a transition: the level (dB) over the `width` seconds next
 * to the boundary, the side's metadata (the last packet of the ending
 * track, the first of the new one, or an empty packet) and a source that
 * plays the buffered audio as one track (borrowed). */
typedef struct liq_cross_side {
  double db_level;
  const liq_meta *metadata;
  liq_source *source;
} liq_cross_side;

/* cross's transition function: *out receives a new reference to the
 * source to play between the tracks. */
typedef struct liq_cb_transition {
  int (*fn)(void *ud, const liq_cross_side *before, const liq_cross_side *after,
            liq_source **out);
  void *ud;
  void (*release)(void *ud);
} liq_cb_transition;

/* cross(?duration=5., ?width=2., ?minimum=-1., transition, s): fallible.
 * A tail shorter than minimum (>= 0) is not crossed: both sides play in
 * turn. */
liq_source *liq_op_cross(const char *id, double duration, double width, double minimum,
                         liq_cb_transition fn, liq_source *in, liq_sb *err);
/* crossfade(smart=true): ?high=-15., ?medium=-32., ?margin=4. (dB) and
 * ?default (fn NULL: sequence([a, b])), owned by the operator. */
typedef struct liq_crossfade_smart {
  int on;
  double high, medium, margin;
  liq_cb_switch_transition dflt;
} liq_crossfade_smart;

/* crossfade(?duration=5., ?fade_in=3., ?fade_out=3., ?width=2.,
 * ?minimum=-1., ?smart, s). Not smart (smart NULL or off), the transition is add(normalize=
 * false, [fade.in(type="sin"), fade.out(type="sin")]) as in 2.1.3's
 * cross.simple; smart, it depends on the levels of both sides (cross.c). */
liq_source *liq_op_crossfade(const char *id, double duration, double fade_in, double fade_out,
                             double width, double minimum, const liq_crossfade_smart *smart,
                             liq_source *in, liq_sb *err);

/* --- buffer.c ---------------------------------------------------------------------------- */

/* buffer(?buffer=1., ?max=10., ?fallible=true, ?start=true, ?on_start,
 * ?on_stop, s): returns the reader (a fallible passive source for the
 * consumer's clock) and, in *writer, a new reference to the writer, an
 * output that the caller adds to the input's clock (liq_clock_add).
 * writer_opts carries fallible/start/on_start/on_stop (owned from the
 * call on). max is raised to 1.1 * buffer if smaller. */
liq_source *liq_op_buffer(const char *id, double buffer, double max,
                          const liq_output_opts *writer_opts, liq_source *in,
                          liq_source **writer, liq_sb *err);
/* The buffer_length method: buffered samples, -1 if s is not a buffer. */
int64_t liq_buffer_length(liq_source *s);

/* --- file.c: sources playing requests ------------------------------------ */

typedef struct liq_request liq_request;

/* Where a file source's requests come from. Called on the reader's worker
 * thread: `next` returns the next request (a new reference) or NULL when
 * there is none now; `count` (may be NULL: 1) how many distinct requests a
 * round has, so that a round of failures backs off instead of spinning. */
typedef struct liq_request_provider {
  liq_request *(*next)(void *ud);
  int (*count)(void *ud);
  void *ud;
  void (*release)(void *ud);
} liq_request_provider;

/* The prefetching reader behind file sources (see file.c): a worker
 * thread decodes ahead into a bounded ring; the clock thread copies out.
 * The reader owns prov. label names its log lines. */
typedef struct liq_reader liq_reader;
liq_reader *liq_reader_new(const char *label, int samplerate, int channels,
                           liq_request_provider prov);
/* Starts the worker and waits (at most timeout seconds) for the first
 * track or a round of failures. */
void liq_reader_start(liq_reader *r, double timeout);
void liq_reader_stop(liq_reader *r);
void liq_reader_free(liq_reader *r);
/* The liq_source_class entries of a file source, for its clock thread. */
int liq_reader_is_ready(liq_reader *r);
liq_fill liq_reader_fill(liq_reader *r, liq_frame *f, int off, int len);
int64_t liq_reader_remaining(liq_reader *r);
void liq_reader_abort_track(liq_reader *r);
/* Forward only, within the current track: returns the samples skipped
 * (up to the track's end when it is decoded already). Beyond the buffered
 * audio the worker seeks its decoder, and fill waits for it. */
int64_t liq_reader_seek(liq_reader *r, int64_t n);
/* The provider has something new (a push): wake the worker now. */
void liq_reader_kick(liq_reader *r);

/* single(?timeout=20., uri): loops on one request. */
liq_source *liq_op_single(const char *id, const char *uri, double timeout, liq_sb *err);

/* --- playlist.c ------------------------------------------------------------- */

typedef enum { LIQ_PLAYLIST_NORMAL, LIQ_PLAYLIST_RANDOMIZE, LIQ_PLAYLIST_RANDOM } liq_playlist_mode;
typedef enum {
  LIQ_PLAYLIST_RELOAD_NEVER,
  LIQ_PLAYLIST_RELOAD_SECONDS,
  LIQ_PLAYLIST_RELOAD_ROUNDS,
  LIQ_PLAYLIST_RELOAD_WATCH,
} liq_playlist_reload_mode;

typedef struct liq_playlist_args {
  const char *uri;    /* playlist file or directory */
  const char *prefix; /* prepended to every entry; NULL: none */
  const char *mime_type; /* NULL: from the name (.pls) and contents */
  liq_playlist_mode mode;
  int loop;
  liq_playlist_reload_mode reload_mode;
  int reload;         /* seconds or rounds; 0: never */
  double timeout;     /* waiting for the first track at wake-up */
  liq_cb_string on_reload; /* owned by the source, even on failure */
} liq_playlist_args;

liq_source *liq_op_playlist(const char *id, const liq_playlist_args *args, liq_sb *err);
/* .reload(?uri): loads the playlist again (from uri when not NULL) now. */
void liq_playlist_reload(liq_source *s, const char *uri);
/* .remaining_files(): the URIs left in the round, in play order (all of
 * them in random mode); a liq_mem array of liq_mem strings. */
char **liq_playlist_remaining_files(liq_source *s, int *n);

/* --- queue.c ---------------------------------------------------------------- */

/* request.queue(?queue=initial, ?timeout): initial requests are borrowed. */
liq_source *liq_op_request_queue(const char *id, liq_request *const *initial, int n,
                                 double timeout, liq_sb *err);
/* The methods; each does nothing on a source that is not a queue. push
 * takes its own reference; get returns new references in a liq_mem array
 * (the requests not yet taken by the reader, in order). */
void liq_request_queue_push(liq_source *s, liq_request *r);
void liq_request_queue_set(liq_source *s, liq_request *const *rs, int n);
liq_request **liq_request_queue_get(liq_source *s, int *n);

#endif
