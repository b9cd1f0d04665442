/* lib_ops_track: bindings of the track and metadata operators
 * (max_duration delay chop append prepend merge_tracks insert_metadata
 * metadata.map drop_metadata cue_cut blank.detect/skip/strip/eat cross
 * crossfade buffer source.on_end on_offset), with 2.1.3's labels,
 * defaults and types. Each builtin declares its parameters once, in a
 * liq_param table (lib_source.h): the registry derives its type and `-h`
 * its parameter list, and liq_lib_unpack fills the builtin's settings
 * struct (the engine's own options struct where it has one), converting
 * everything that can raise before building any callback. LIQ_PARAM_SELF
 * rows, read by the builtin, are kept to what the kinds cannot express. */
#include "config.h"

#include "stdlib/lib.h"
#include "runtime/clock.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"

#define S "source(audio='a, video='b, midi='c)"
#define P "source(audio=pcm('a), video='b, midi='c)"
#define PI "source(audio=pcm('a), video=internal('b), midi=internal('c))"

/* Rows every operator shares. */
#define ID_ROW(st) \
  LIQ_PARAM("id", "string?", "null", "Force the value of the source ID.", LIQ_P_STRING, st, id)
#define SOURCE_ROW(type, doc, st) LIQ_PARAM(NULL, type, NULL, doc, LIQ_P_SOURCE, st, in)

/* --- Time-based track control ------------------------------------------------ */

typedef struct {
  const char *id, *override;
  double duration;
  liq_source *in;
} max_duration_settings;

static const liq_param max_duration_params[] = {
  ID_ROW(max_duration_settings),
  LIQ_PARAM("override", "string", "liq_remaining",
            "Metadata field which, if present and containing a float, overrides the remaining play "
            "time.",
            LIQ_P_STRING, max_duration_settings, override),
  LIQ_PARAM(NULL, "float", NULL, "Maximum duration", LIQ_P_FLOAT, max_duration_settings, duration),
  SOURCE_ROW(S, "The source to limit.", max_duration_settings),
};

LIQ_BUILTIN(b_max_duration)
{
  max_duration_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(max_duration_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_max_duration(o.id, o.duration, o.override, o.in, &err), &err);
}

typedef struct {
  const char *id;
  int initial;
  liq_getter_float delay;
  liq_source *in;
} delay_settings;

static const liq_param delay_params[] = {
  ID_ROW(delay_settings),
  LIQ_PARAM("initial", "bool", "false",
            "Start in unavailable state, as if a track had just finished.", LIQ_P_BOOL,
            delay_settings, initial),
  LIQ_PARAM(NULL, "{float}", NULL,
            "The source won't be ready less than this amount of seconds after any end of track",
            LIQ_P_GETTER_FLOAT, delay_settings, delay),
  SOURCE_ROW(S, "The source to delay.", delay_settings),
};

LIQ_BUILTIN(b_delay)
{
  delay_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(delay_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_delay(o.id, o.delay, o.initial, o.in, &err), &err);
}

/* chop has no id parameter. */
typedef struct {
  liq_getter_float every;
  liq_source *in;
} chop_settings;

static const liq_param chop_params[] = {
  LIQ_PARAM("every", "{float}", "3.", "Duration of a track (in seconds).", LIQ_P_GETTER_FLOAT,
            chop_settings, every),
  /* A list or a getter of one: no kind for that. */
  LIQ_PARAM_SELF("metadata", "{[(string * string)]}", "[]", "Metadata for tracks."),
  SOURCE_ROW(S, "The stream.", chop_settings),
};

LIQ_BUILTIN(b_chop)
{
  chop_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(chop_params), &o);
  liq_value mv = liq_lib_param_arg(c, LIQ_PARAMS(chop_params), "metadata");
  /* A metadata getter is read at each cut; a list is constant. */
  int getter = mv != LIQ_NOVALUE && liq_eval_is_function(mv);
  liq_meta *m = mv == LIQ_NOVALUE || getter ? NULL : liq_lib_meta_of(mv);
  liq_cb_meta_map fn = getter ? liq_lib_cb_meta_getter(mv) : (liq_cb_meta_map){NULL, NULL, NULL};
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_chop(NULL, o.every, m, fn, o.in, &err);
  if (m) liq_meta_unref(m);
  return liq_lib_source_result(s, &err);
}

/* --- Tracks --------------------------------------------------------------------- */

/* merge_tracks, insert_metadata: an id and a source. */
typedef struct {
  const char *id;
  liq_source *in;
} id_source_settings;

static const liq_param merge_tracks_params[] = {
  ID_ROW(id_source_settings),
  SOURCE_ROW(S, "The source whose tracks are merged.", id_source_settings),
};

LIQ_BUILTIN(b_merge_tracks)
{
  id_source_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(merge_tracks_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_merge_tracks(o.id, o.in, &err), &err);
}

/* append, prepend. */
typedef struct {
  const char *id;
  int insert_missing, merge;
  liq_source *in;
} append_settings;

#define MERGE_ROW \
  LIQ_PARAM("merge", "bool", "false", "Merge the track with its appended track.", LIQ_P_BOOL, \
            append_settings, merge)
#define APPEND_FN_TYPE "(([(string * string)]) -> " S ")"

static const liq_param append_params[] = {
  ID_ROW(append_settings),
  LIQ_PARAM("insert_missing", "bool", "true",
            "Treat track beginnings without metadata as having empty one.", LIQ_P_BOOL,
            append_settings, insert_missing),
  MERGE_ROW,
  SOURCE_ROW(S, "The source to append tracks to.", append_settings),
  /* A source of a metadata packet: no kind for that callback. */
  LIQ_PARAM_SELF(NULL, APPEND_FN_TYPE, NULL,
                 "Given the metadata, build the source producing the track to append. This source "
                 "is allowed to fail (produce nothing) if no relevant track is to be appended."),
};

static const liq_param prepend_params[] = {
  ID_ROW(append_settings),
  MERGE_ROW,
  SOURCE_ROW(S, "The source to prepend tracks to.", append_settings),
  LIQ_PARAM_SELF(NULL, APPEND_FN_TYPE, NULL,
                 "Given the metadata, build the source producing the track to prepend. This source "
                 "is allowed to fail (produce nothing) if no relevant track is to be appended. "
                 "However, success must be immediate or it will not be taken into account."),
};

LIQ_BUILTIN(b_append)
{
  append_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(append_params), &o);
  liq_cb_source_of_meta fn = liq_lib_cb_source_of_meta(liq_arg(c, 1));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_append(o.id, o.in, fn, o.insert_missing, o.merge, &err),
                               &err);
}

LIQ_BUILTIN(b_prepend)
{
  append_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(prepend_params), &o);
  liq_cb_source_of_meta fn = liq_lib_cb_source_of_meta(liq_arg(c, 1));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_prepend(o.id, o.in, fn, o.merge, &err), &err);
}

typedef struct {
  const char *id, *cue_in_metadata, *cue_out_metadata;
  liq_cb_void on_cue_in, on_cue_out;
  liq_source *in;
} cue_cut_settings;

static const liq_param cue_cut_params[] = {
  ID_ROW(cue_cut_settings),
  LIQ_PARAM("cue_in_metadata", "string", "liq_cue_in", "Metadata for cue in points.", LIQ_P_STRING,
            cue_cut_settings, cue_in_metadata),
  LIQ_PARAM("cue_out_metadata", "string", "liq_cue_out", "Metadata for cue out points.",
            LIQ_P_STRING, cue_cut_settings, cue_out_metadata),
  LIQ_PARAM("on_cue_in", "(() -> unit)", "<fun>", "Callback to execute on cue in", LIQ_P_CB_VOID,
            cue_cut_settings, on_cue_in),
  LIQ_PARAM("on_cue_out", "(() -> unit)", "<fun>", "Callback to execute on cue out", LIQ_P_CB_VOID,
            cue_cut_settings, on_cue_out),
  SOURCE_ROW(S, "The source to cut.", cue_cut_settings),
};

LIQ_BUILTIN(b_cue_cut)
{
  cue_cut_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(cue_cut_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_cue_cut(o.id, o.cue_in_metadata, o.cue_out_metadata,
                                              o.on_cue_in, o.on_cue_out, o.in, &err),
                               &err);
}

#define POSITION_FN_TYPE "((float, [(string * string)]) -> unit)"

typedef struct {
  const char *id;
  liq_getter_float delay;
  liq_cb_position fn;
  liq_source *in;
} on_end_settings;

static const liq_param on_end_params[] = {
  ID_ROW(on_end_settings),
  LIQ_PARAM("delay", "{float}", "5.",
            "Execute handler when remaining time is less or equal to this value.",
            LIQ_P_GETTER_FLOAT, on_end_settings, delay),
  SOURCE_ROW(S, "The source to watch.", on_end_settings),
  LIQ_PARAM(NULL, POSITION_FN_TYPE, NULL,
            "Function to execute. First argument is the remaining time, second is the latest "
            "metadata. That function should be fast because it is executed in the main streaming "
            "thread.",
            LIQ_P_CB_POSITION, on_end_settings, fn),
};

LIQ_BUILTIN(b_on_end)
{
  on_end_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(on_end_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_on_end(o.id, o.delay, o.fn, o.in, &err), &err);
}

typedef struct {
  const char *id, *override;
  int force;
  double offset;
  liq_cb_position fn;
  liq_source *in;
} on_offset_settings;

static const liq_param on_offset_params[] = {
  ID_ROW(on_offset_settings),
  LIQ_PARAM("force", "bool", "false",
            "Force execution of callback if track ends before 'offset' position has been reached.",
            LIQ_P_BOOL, on_offset_settings, force),
  LIQ_PARAM("offset", "float", "-1.",
            "Execute handler when position in track is equal or more than to this value.",
            LIQ_P_FLOAT, on_offset_settings, offset),
  LIQ_PARAM("override", "string", "liq_on_offset",
            "Metadata field which, if present and containing a float, overrides the 'offset' "
            "parameter.",
            LIQ_P_STRING, on_offset_settings, override),
  LIQ_PARAM(NULL, POSITION_FN_TYPE, NULL,
            "Function to execute. First argument is the actual position within the current track, "
            "second is the latest metadata. That function should be fast because it is executed in "
            "the main streaming thread.",
            LIQ_P_CB_POSITION, on_offset_settings, fn),
  SOURCE_ROW(S, "The source to watch.", on_offset_settings),
};

LIQ_BUILTIN(b_on_offset)
{
  on_offset_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(on_offset_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_on_offset(o.id, o.offset, o.force, o.override, o.fn, o.in, &err), &err);
}

/* --- Metadata ------------------------------------------------------------------- */

/* The .insert_metadata(?new_track=false, m) method. */
static liq_value m_insert_metadata(liq_call *c, liq_value d)
{
  liq_meta *m = liq_lib_meta_of(liq_arg(c, 0));
  liq_insert_metadata(liq_lib_source_of(d), m, liq_lib_opt_bool(c, "new_track", 0));
  liq_meta_unref(m);
  return LIQ_UNIT;
}

static const liq_param insert_metadata_params[] = {
  ID_ROW(id_source_settings),
  SOURCE_ROW(S, "The source to insert metadata into.", id_source_settings),
};

LIQ_BUILTIN(b_insert_metadata)
{
  id_source_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(insert_metadata_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_insert_metadata(o.id, o.in, &err);
  return liq_lib_source_with_method(s, &err, "insert_metadata", m_insert_metadata);
}

typedef struct {
  const char *id;
  int insert_missing, strip, update;
  liq_cb_meta_map fn;
  liq_source *in;
} metadata_map_settings;

static const liq_param metadata_map_params[] = {
  ID_ROW(metadata_map_settings),
  LIQ_PARAM("insert_missing", "bool", "true",
            "Treat track beginnings without metadata as having empty ones. The operational order "
            "is: create empty if needed, map and strip if enabled.",
            LIQ_P_BOOL, metadata_map_settings, insert_missing),
  LIQ_PARAM("strip", "bool", "false",
            "Completely remove empty metadata. Operates on both empty values and empty metadata "
            "chunk.",
            LIQ_P_BOOL, metadata_map_settings, strip),
  LIQ_PARAM("update", "bool", "true",
            "Update metadata. If false, existing metadata are cleared and only returned values are "
            "set as new metadata.",
            LIQ_P_BOOL, metadata_map_settings, update),
  LIQ_PARAM(NULL, "(([(string * string)]) -> [(string * string)])", NULL,
            "A function that returns new metadata.", LIQ_P_CB_META_MAP, metadata_map_settings, fn),
  SOURCE_ROW(S, "The source whose metadata are rewritten.", metadata_map_settings),
};

LIQ_BUILTIN(b_metadata_map)
{
  metadata_map_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(metadata_map_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_metadata_map(o.id, o.fn, o.update, o.strip, o.insert_missing, o.in, &err), &err);
}

/* drop_metadata has no id parameter. */
typedef struct {
  liq_source *in;
} drop_metadata_settings;

static const liq_param drop_metadata_params[] = {
  SOURCE_ROW(S, "The source whose metadata are dropped.", drop_metadata_settings),
};

LIQ_BUILTIN(b_drop_metadata)
{
  drop_metadata_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(drop_metadata_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_drop_metadata(NULL, o.in, &err), &err);
}

/* --- Blank detection ---------------------------------------------------------------- */

/* blank.detect/skip/strip/eat: one engine struct, four parameter lists
 * (2.1.3 orders them differently), sharing their rows. */
typedef struct {
  const char *id;
  liq_blank_opts o;
  liq_source *in;
} blank_settings;

#define BLANK_ROW(label, type, dflt, doc, kind, field) \
  LIQ_PARAM(label, type, dflt, doc, kind, blank_settings, o.field)
#define BLANK_MAX_BLANK \
  BLANK_ROW("max_blank", "float", "20.", "Maximum duration of silence allowed, in seconds.", \
            LIQ_P_FLOAT, max_blank)
#define BLANK_MIN_NOISE \
  BLANK_ROW("min_noise", "float", "0.", \
            "Minimum duration of noise required to end silence, in seconds.", LIQ_P_FLOAT, \
            min_noise)
#define BLANK_START_BLANK \
  BLANK_ROW("start_blank", "bool", "false", "Start assuming we have blank.", LIQ_P_BOOL, \
            start_blank)
#define BLANK_THRESHOLD \
  BLANK_ROW("threshold", "float", "-40.", \
            "Power in decibels under which the stream is considered silent.", LIQ_P_FLOAT, \
            threshold)
#define BLANK_TRACK_SENSITIVE \
  BLANK_ROW("track_sensitive", "bool", "true", "Reset blank counter at each track.", LIQ_P_BOOL, \
            track_sensitive)
#define BLANK_SOURCE SOURCE_ROW(P, "The source to watch.", blank_settings)

static const liq_param blank_detect_params[] = {
  ID_ROW(blank_settings),
  BLANK_MAX_BLANK,
  BLANK_MIN_NOISE,
  BLANK_ROW("on_noise", "(() -> unit)", "<fun>", "Handler called when noise is detected.",
            LIQ_P_CB_VOID, on_noise),
  BLANK_START_BLANK,
  BLANK_THRESHOLD,
  BLANK_TRACK_SENSITIVE,
  BLANK_ROW(NULL, "(() -> unit)", NULL, "Handler called when blank is detected.", LIQ_P_CB_VOID,
            on_blank),
  BLANK_SOURCE,
};

static const liq_param blank_skip_params[] = {
  ID_ROW(blank_settings),
  BLANK_THRESHOLD,
  BLANK_ROW("max_blank", "float", "20.", "Maximum silence length allowed, in seconds.", LIQ_P_FLOAT,
            max_blank),
  BLANK_MIN_NOISE,
  BLANK_TRACK_SENSITIVE,
  BLANK_SOURCE,
};

static const liq_param blank_strip_params[] = {
  ID_ROW(blank_settings),
  BLANK_MAX_BLANK,
  BLANK_MIN_NOISE,
  BLANK_START_BLANK,
  BLANK_THRESHOLD,
  BLANK_TRACK_SENSITIVE,
  BLANK_SOURCE,
};

static const liq_param blank_eat_params[] = {
  ID_ROW(blank_settings),
  BLANK_ROW("at_beginning", "bool", "false", "Only eat at the beginning of a track.", LIQ_P_BOOL,
            at_beginning),
  BLANK_MAX_BLANK,
  BLANK_MIN_NOISE,
  BLANK_START_BLANK,
  BLANK_THRESHOLD,
  BLANK_TRACK_SENSITIVE,
  BLANK_SOURCE,
};

static liq_value m_is_blank(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_blank_is_blank(liq_lib_source_of(d)) == 1);
}

/* The fields without a row keep liq_blank_opts_default's values (no
 * callbacks but blank.detect's). */
static liq_value blank_op(liq_call *c, int mode, const liq_param *params, int n)
{
  blank_settings o;
  liq_blank_opts_default(&o.o);
  liq_lib_unpack(c, params, n, &o);
  o.o.mode = mode;
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_with_method(liq_op_blank_detect(o.id, &o.o, o.in, &err), &err, "is_blank",
                                    m_is_blank);
}

LIQ_BUILTIN(b_blank_detect) { return blank_op(c, 0, LIQ_PARAMS(blank_detect_params)); }
LIQ_BUILTIN(b_blank_skip) { return blank_op(c, 1, LIQ_PARAMS(blank_skip_params)); }
LIQ_BUILTIN(b_blank_strip) { return blank_op(c, 2, LIQ_PARAMS(blank_strip_params)); }
LIQ_BUILTIN(b_blank_eat) { return blank_op(c, 3, LIQ_PARAMS(blank_eat_params)); }

/* --- Transitions ------------------------------------------------------------------- */

#define MINIMUM_ROW(st) \
  LIQ_PARAM("minimum", "float", "-1.", \
            "Minimum duration (in sec.) for a cross: If the track ends without any warning (e.g. " \
            "in case of skip) there may not be enough data for a decent composition. Set to 0. " \
            "to avoid having transitions after skips, or more to avoid transitions on short " \
            "tracks. With a negative default, transitions always occur.", \
            LIQ_P_FLOAT, st, minimum)
#define OVERRIDE_DURATION_ROW(st) \
  LIQ_PARAM("override_duration", "string", "liq_cross_duration", \
            "Metadata field which, if present and containing a float, overrides the 'duration' " \
            "parameter for current track (ignored by cliq).", \
            LIQ_P_STRING, st, override_duration)
#define CONSERVATIVE_DOC " (cliq always does, whatever its value)."
#define CROSS_SIDE "{db_level : float, metadata : [(string * string)], source : " P "}"

/* active, conservative and override_duration are accepted as 2.1.3 does
 * and unused: TODO(override_duration) in runtime/ops/cross.c; the engine
 * is always conservative and pulls its input itself (no child clock to
 * keep active). */
typedef struct {
  const char *id, *override_duration;
  int active, conservative;
  double minimum, width;
  liq_cb_transition fn;
  liq_source *in;
} cross_settings;

static const liq_param cross_params[] = {
  ID_ROW(cross_settings),
  LIQ_PARAM("active", "bool", "false",
            "The active behavior is to keep ticking the child's clock when the operator is not "
            "streaming (ignored by cliq, which has no child clock).",
            LIQ_P_BOOL, cross_settings, active),
  LIQ_PARAM("conservative", "bool", "true",
            "Do not trust remaining time estimations, always buffering data in advance"
            CONSERVATIVE_DOC,
            LIQ_P_BOOL, cross_settings, conservative),
  /* Read once, when the operator is built (it buffers that much), and a
   * raising getter raises from the call: not a LIQ_P_GETTER_FLOAT. */
  LIQ_PARAM_SELF("duration", "{float}", "5.",
                 "Duration (in seconds) of buffered data from each track that is used to compute "
                 "the transition between tracks."),
  MINIMUM_ROW(cross_settings),
  OVERRIDE_DURATION_ROW(cross_settings),
  LIQ_PARAM("width", "float", "2.", "Width of the power computation window.", LIQ_P_FLOAT,
            cross_settings, width),
  LIQ_PARAM(NULL, "((" CROSS_SIDE ", " CROSS_SIDE ") -> " P ")", NULL,
            "Transition function, composing from the end of a track and the next track. The "
            "sources corresponding to the two tracks are decorated with fields indicating the "
            "power of the signal before and after the transition (`db_level`), and the metadata "
            "(`metadata`).",
            LIQ_P_CB_TRANSITION, cross_settings, fn),
  SOURCE_ROW(P, "The source whose tracks are crossed.", cross_settings),
};

LIQ_BUILTIN(b_cross)
{
  /* Read first: the getter may raise, and unpacking builds a callback. */
  liq_value dv = liq_lib_param_arg(c, LIQ_PARAMS(cross_params), "duration");
  if (dv != LIQ_NOVALUE && liq_eval_is_function(dv)) dv = liq_eval_call0(dv);
  double duration = dv == LIQ_NOVALUE ? 5. : liq_to_float(dv);
  cross_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(cross_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_cross(o.id, duration, o.width, o.minimum, o.fn, o.in, &err), &err);
}

/* deduplicate and conservative are accepted and unused (the engine's
 * transitions add no duplicate metadata, and it is always conservative);
 * override_duration as for cross. */
typedef struct {
  const char *id, *override_duration;
  double duration, fade_in, fade_out, minimum, width;
  int deduplicate, conservative;
  liq_crossfade_smart smart;
  liq_source *in;
} crossfade_settings;

#define SMART_ROW(label, type, dflt, doc, kind, field) \
  LIQ_PARAM(label, type, dflt, doc, kind, crossfade_settings, smart.field)

static const liq_param crossfade_params[] = {
  ID_ROW(crossfade_settings),
  LIQ_PARAM("duration", "float", "5.",
            "Duration (in seconds) of buffered data from each track that is used to compute the "
            "transition between tracks.",
            LIQ_P_FLOAT, crossfade_settings, duration),
  OVERRIDE_DURATION_ROW(crossfade_settings),
  LIQ_PARAM("fade_in", "float", "3.", "Fade-in duration, if any.", LIQ_P_FLOAT, crossfade_settings,
            fade_in),
  LIQ_PARAM("fade_out", "float", "3.", "Fade-out duration, if any.", LIQ_P_FLOAT,
            crossfade_settings, fade_out),
  SMART_ROW("smart", "bool", "false", "Enable smart crossfading", LIQ_P_BOOL, on),
  /* A transition of two sources: no kind for that callback. */
  LIQ_PARAM_SELF("default", "((" PI ", " PI ") -> " PI ")", "<fun>",
                 "Smart crossfade: transition used when no rule applies (default: sequence)."),
  SMART_ROW("high", "float", "-15.", "Smart crossfade: value, in dB, for loud sound level.",
            LIQ_P_FLOAT, high),
  SMART_ROW("medium", "float", "-32.", "Smart crossfade: value, in dB, for medium sound level.",
            LIQ_P_FLOAT, medium),
  SMART_ROW("margin", "float", "4.",
            "Smart crossfade: margin to detect sources that have too different sound level for "
            "crossing.",
            LIQ_P_FLOAT, margin),
  LIQ_PARAM("deduplicate", "bool", "true",
            "Crossfade transitions can generate duplicate metadata. When `true`, the operator "
            "removes duplicate metadata from the returned source (cliq's transitions add none).",
            LIQ_P_BOOL, crossfade_settings, deduplicate),
  MINIMUM_ROW(crossfade_settings),
  LIQ_PARAM("width", "float", "2.", "Width of the volume analysis window.", LIQ_P_FLOAT,
            crossfade_settings, width),
  LIQ_PARAM("conservative", "bool", "true", "Always prepare for a premature end-of-track"
            CONSERVATIVE_DOC, LIQ_P_BOOL, crossfade_settings, conservative),
  SOURCE_ROW(PI, "The input source.", crossfade_settings),
};

LIQ_BUILTIN(b_crossfade)
{
  crossfade_settings o;
  o.smart.dflt = (liq_cb_switch_transition){NULL, NULL, NULL};
  liq_lib_unpack(c, LIQ_PARAMS(crossfade_params), &o);
  if (o.smart.on)
    o.smart.dflt =
        liq_lib_cb_switch_transition(liq_lib_param_arg(c, LIQ_PARAMS(crossfade_params), "default"));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_crossfade(o.id, o.duration, o.fade_in, o.fade_out, o.width,
                                                o.minimum, &o.smart, o.in, &err),
                               &err);
}

/* --- buffer ------------------------------------------------------------------------ */

/* The writer's options are liq_output_opts (its id is unused: the
 * writer is named after the buffer's). */
typedef struct {
  liq_output_opts out;
  double buffer, max;
  liq_source *in;
} buffer_settings;

static const liq_param buffer_params[] = {
  LIQ_PARAM("id", "string?", "null", "Force the value of the source ID.", LIQ_P_STRING,
            buffer_settings, out.id),
  LIQ_PARAM("buffer", "float", "1.", "Amount of data to pre-buffer, in seconds.", LIQ_P_FLOAT,
            buffer_settings, buffer),
  LIQ_PARAM("fallible", "bool", "true", "Allow the child source to fail.", LIQ_P_BOOL,
            buffer_settings, out.fallible),
  LIQ_PARAM("max", "float", "10.", "Maximum amount of buffered data, in seconds.", LIQ_P_FLOAT,
            buffer_settings, max),
  LIQ_PARAM("on_start", "(() -> unit)", "<fun>", "Callback executed when output starts.",
            LIQ_P_CB_VOID, buffer_settings, out.on_start),
  LIQ_PARAM("on_stop", "(() -> unit)", "<fun>", "Callback executed when output stops.",
            LIQ_P_CB_VOID, buffer_settings, out.on_stop),
  LIQ_PARAM("start", "bool", "true", "Start output as soon as it is available.", LIQ_P_BOOL,
            buffer_settings, out.start),
  SOURCE_ROW(S, "The source to buffer.", buffer_settings),
};

/* The writer runs in the input's clock: the input's own clock when it has
 * one, else the default clock (lib_clock.c). */
LIQ_BUILTIN(b_buffer)
{
  buffer_settings o;
  liq_output_opts_default(&o.out);
  liq_lib_unpack(c, LIQ_PARAMS(buffer_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *writer = NULL;
  liq_source *reader = liq_op_buffer(o.out.id, o.buffer, o.max, &o.out, o.in, &writer, &err);
  if (reader) liq_lib_clock_attach_output(writer, o.in);
  return liq_lib_source_result(reader, &err);
}

#define BLANK_RESULT P ".{is_blank : () -> bool}"

static const liq_builtin_def track_defs[] = {
  {"max_duration", NULL, "Limit source duration.", "Source / Track processing", b_max_duration,
   LIQ_PARAMS(max_duration_params), S},
  {"delay", NULL, "Make the source unavailable for a given time between tracks.",
   "Source / Track processing", b_delay, LIQ_PARAMS(delay_params), S},
  {"chop", NULL, "Regularly insert track boundaries in a stream (useful for testing tracks).",
   "Source / Track processing", b_chop, LIQ_PARAMS(chop_params), S},
  {"merge_tracks", NULL, "Merge all the tracks of a source.", "Source / Track processing",
   b_merge_tracks, LIQ_PARAMS(merge_tracks_params), S},
  {"append", NULL,
   "Append an extra track to every track. Set the metadata 'liq_append' to 'false' to "
   "inhibit appending on one track.",
   "Source / Track processing", b_append, LIQ_PARAMS(append_params), S},
  {"prepend", NULL,
   "Prepend an extra track before every track. Set the metadata 'liq_prepend' to 'false' to "
   "inhibit prepending on one track.",
   "Source / Track processing", b_prepend, LIQ_PARAMS(prepend_params), S},
  {"cue_cut", NULL, "Start track after a cue in point and stop it at cue out point.",
   "Source / Track processing", b_cue_cut, LIQ_PARAMS(cue_cut_params), S},
  {"source.on_end", NULL,
   "Call a given handler when there is less than a given amount of time remaining before then "
   "end of track.",
   "Source / Track processing", b_on_end, LIQ_PARAMS(on_end_params), S},
  {"on_offset", NULL,
   "Call a given handler when position in track is equal or more than a given amount of time.",
   "Source / Track processing", b_on_offset, LIQ_PARAMS(on_offset_params), S},
  {"insert_metadata", NULL,
   "Dynamically insert metadata in a stream. Returns the source decorated with a method "
   "`insert_metadata` which is a function of type `(?new_track, metadata) -> unit`.",
   "Source / Track processing", b_insert_metadata, LIQ_PARAMS(insert_metadata_params),
   S ".{insert_metadata : (?new_track : bool, [(string * string)]) -> unit}"},
  {"metadata.map", NULL, "Rewrite metadata on the fly using a function.",
   "Source / Track processing", b_metadata_map, LIQ_PARAMS(metadata_map_params), S},
  {"drop_metadata", NULL, "Removes all metadata coming from a source.",
   "Source / Track processing", b_drop_metadata, LIQ_PARAMS(drop_metadata_params), S},
  {"blank.detect", NULL, "Calls a given handler when detecting a blank.",
   "Source / Track processing", b_blank_detect, LIQ_PARAMS(blank_detect_params), BLANK_RESULT},
  {"blank.skip", NULL, "Skip track when detecting a blank.", "Source / Track processing",
   b_blank_skip, LIQ_PARAMS(blank_skip_params), BLANK_RESULT},
  {"blank.strip", NULL, "Make the source unavailable when it is streaming blank.",
   "Source / Track processing", b_blank_strip, LIQ_PARAMS(blank_strip_params), BLANK_RESULT},
  {"blank.eat", NULL,
   "Eat blanks, i.e., drop the contents of the stream until it is not blank anymore.",
   "Source / Track processing", b_blank_eat, LIQ_PARAMS(blank_eat_params), BLANK_RESULT},
  {"cross", NULL,
   "Cross operator, allowing the composition of the _n_ last seconds of a track with the "
   "beginning of the next track, using a transition function.",
   "Source / Fade", b_cross, LIQ_PARAMS(cross_params), P},
  {"crossfade", NULL,
   "Crossfade between tracks, taking the respective volume levels into account in the choice "
   "of the transition.",
   "Source / Fade", b_crossfade, LIQ_PARAMS(crossfade_params), PI},
  {"buffer", NULL, "Create a buffer between two different clocks.", "Source / Track processing",
   b_buffer, LIQ_PARAMS(buffer_params), S},
};

const liq_lib_module liq_lib_ops_track = {"ops_track", track_defs, LIQ_NELEMS(track_defs), NULL, NULL};
