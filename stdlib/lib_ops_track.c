/* lib_ops_track: bindings of the track and metadata operators
 * (max_duration delay chop append prepend merge_tracks insert_metadata
 * metadata.map drop_metadata cue_cut blank.detect/skip/strip/eat cross
 * crossfade buffer source.on_end on_offset), with 2.1.3's labels,
 * defaults and types. As in lib_ops_gen.c, arguments that can raise are
 * read before any callback struct is built. */
#include "config.h"

#include "stdlib/lib.h"
#include "runtime/clock.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"

#define S "source(audio='a, video='b, midi='c)"
#define P "source(audio=pcm('a), video='b, midi='c)"
#define PI "source(audio=pcm('a), video=internal('b), midi=internal('c))"

/* --- Time-based track control ------------------------------------------------ */

LIQ_BUILTIN(b_max_duration)
{
  double dur = liq_arg_float(c, 0);
  liq_source *in = liq_lib_arg_source(c, 1);
  const char *override = liq_lib_opt_str(c, "override", "liq_remaining");
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_max_duration(liq_lib_id(c), dur, override, in, &err), &err);
}

LIQ_BUILTIN(b_delay)
{
  liq_source *in = liq_lib_arg_source(c, 1);
  int initial = liq_lib_opt_bool(c, "initial", 0);
  liq_getter_float dl = liq_lib_getter_float(liq_arg(c, 0), 0.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_delay(liq_lib_id(c), dl, initial, in, &err), &err);
}

LIQ_BUILTIN(b_chop)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_value mv = liq_lib_opt(c, "metadata");
  /* A metadata getter is read at each cut; a list is constant. */
  int getter = mv != LIQ_NOVALUE && liq_eval_is_function(mv);
  liq_meta *m = mv == LIQ_NOVALUE || getter ? NULL : liq_lib_meta_of(mv);
  liq_cb_meta_map fn = getter ? liq_lib_cb_meta_getter(mv) : (liq_cb_meta_map){NULL, NULL, NULL};
  liq_getter_float every = liq_lib_getter_float(liq_lib_opt(c, "every"), 3.);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_chop(liq_lib_id(c), every, m, fn, in, &err);
  if (m) liq_meta_unref(m);
  return liq_lib_source_result(s, &err);
}

/* --- Tracks --------------------------------------------------------------------- */

LIQ_BUILTIN(b_merge_tracks)
{
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_merge_tracks(liq_lib_id(c), liq_lib_arg_source(c, 0), &err),
                               &err);
}

LIQ_BUILTIN(b_append)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  int insert_missing = liq_lib_opt_bool(c, "insert_missing", 1);
  int merge = liq_lib_opt_bool(c, "merge", 0);
  liq_cb_source_of_meta fn = liq_lib_cb_source_of_meta(liq_arg(c, 1));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_append(liq_lib_id(c), in, fn, insert_missing, merge, &err),
                               &err);
}

LIQ_BUILTIN(b_prepend)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  int merge = liq_lib_opt_bool(c, "merge", 0);
  liq_cb_source_of_meta fn = liq_lib_cb_source_of_meta(liq_arg(c, 1));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_prepend(liq_lib_id(c), in, fn, merge, &err), &err);
}

LIQ_BUILTIN(b_cue_cut)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  const char *cin = liq_lib_opt_str(c, "cue_in_metadata", NULL);
  const char *cout = liq_lib_opt_str(c, "cue_out_metadata", NULL);
  liq_cb_void on_in = liq_lib_cb_void(liq_lib_opt(c, "on_cue_in"));
  liq_cb_void on_out = liq_lib_cb_void(liq_lib_opt(c, "on_cue_out"));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_cue_cut(liq_lib_id(c), cin, cout, on_in, on_out, in, &err),
                               &err);
}

LIQ_BUILTIN(b_on_end)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  liq_getter_float delay = liq_lib_getter_float(liq_lib_opt(c, "delay"), 5.);
  liq_cb_position fn = liq_lib_cb_position(liq_arg(c, 1));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_on_end(liq_lib_id(c), delay, fn, in, &err), &err);
}

LIQ_BUILTIN(b_on_offset)
{
  liq_source *in = liq_lib_arg_source(c, 1);
  double offset = liq_lib_opt_float(c, "offset", -1.);
  int force = liq_lib_opt_bool(c, "force", 0);
  const char *override = liq_lib_opt_str(c, "override", "liq_on_offset");
  liq_cb_position fn = liq_lib_cb_position(liq_arg(c, 0));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_on_offset(liq_lib_id(c), offset, force, override, fn, in, &err),
                               &err);
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

LIQ_BUILTIN(b_insert_metadata)
{
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_insert_metadata(liq_lib_id(c), liq_lib_arg_source(c, 0), &err);
  return liq_lib_source_with_method(s, &err, "insert_metadata", m_insert_metadata);
}

LIQ_BUILTIN(b_metadata_map)
{
  liq_source *in = liq_lib_arg_source(c, 1);
  int update = liq_lib_opt_bool(c, "update", 1);
  int strip = liq_lib_opt_bool(c, "strip", 0);
  int insert_missing = liq_lib_opt_bool(c, "insert_missing", 1);
  liq_cb_meta_map fn = liq_lib_cb_meta_map(liq_arg(c, 0));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_metadata_map(liq_lib_id(c), fn, update, strip, insert_missing, in, &err), &err);
}

LIQ_BUILTIN(b_drop_metadata)
{
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_drop_metadata(NULL, liq_lib_arg_source(c, 0), &err), &err);
}

/* --- Blank detection ---------------------------------------------------------------- */

static liq_value m_is_blank(liq_call *c, liq_value d)
{
  (void)c;
  return liq_v_bool(liq_blank_is_blank(liq_lib_source_of(d)) == 1);
}

static liq_value blank_op(liq_call *c, int mode, int src_arg)
{
  liq_source *in = liq_lib_arg_source(c, src_arg);
  liq_blank_opts o;
  liq_blank_opts_default(&o);
  o.mode = mode;
  o.max_blank = liq_lib_opt_float(c, "max_blank", o.max_blank);
  o.min_noise = liq_lib_opt_float(c, "min_noise", o.min_noise);
  o.threshold = liq_lib_opt_float(c, "threshold", o.threshold);
  o.track_sensitive = liq_lib_opt_bool(c, "track_sensitive", o.track_sensitive);
  o.start_blank = liq_lib_opt_bool(c, "start_blank", o.start_blank);
  o.at_beginning = liq_lib_opt_bool(c, "at_beginning", o.at_beginning);
  if (mode == 0) {
    o.on_noise = liq_lib_cb_void(liq_lib_opt(c, "on_noise"));
    o.on_blank = liq_lib_cb_void(liq_arg(c, 0));
  }
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_with_method(liq_op_blank_detect(liq_lib_id(c), &o, in, &err), &err, "is_blank", m_is_blank);
}

LIQ_BUILTIN(b_blank_detect) { return blank_op(c, 0, 1); }
LIQ_BUILTIN(b_blank_skip) { return blank_op(c, 1, 0); }
LIQ_BUILTIN(b_blank_strip) { return blank_op(c, 2, 0); }
LIQ_BUILTIN(b_blank_eat) { return blank_op(c, 3, 0); }

/* --- Transitions ------------------------------------------------------------------- */

LIQ_BUILTIN(b_cross)
{
  liq_source *in = liq_lib_arg_source(c, 1);
  liq_value dv = liq_lib_opt(c, "duration");
  /* The duration getter is read once: the engine buffers that much. */
  if (dv != LIQ_NOVALUE && liq_eval_is_function(dv)) dv = liq_eval_call0(dv);
  double duration = dv == LIQ_NOVALUE ? 5. : liq_to_float(dv);
  double width = liq_lib_opt_float(c, "width", 2.);
  double minimum = liq_lib_opt_float(c, "minimum", -1.);
  liq_cb_transition fn = liq_lib_cb_transition(liq_arg(c, 0));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_cross(liq_lib_id(c), duration, width, minimum, fn, in, &err),
                               &err);
}

LIQ_BUILTIN(b_crossfade)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  double duration = liq_lib_opt_float(c, "duration", 5.);
  double fade_in = liq_lib_opt_float(c, "fade_in", 3.);
  double fade_out = liq_lib_opt_float(c, "fade_out", 3.);
  double width = liq_lib_opt_float(c, "width", 2.);
  double minimum = liq_lib_opt_float(c, "minimum", -1.);
  liq_crossfade_smart smart = {liq_lib_opt_bool(c, "smart", 0), liq_lib_opt_float(c, "high", -15.),
                               liq_lib_opt_float(c, "medium", -32.),
                               liq_lib_opt_float(c, "margin", 4.), {NULL, NULL, NULL}};
  if (smart.on) smart.dflt = liq_lib_cb_switch_transition(liq_lib_opt(c, "default"));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_crossfade(liq_lib_id(c), duration, fade_in, fade_out, width, minimum, &smart, in, &err),
      &err);
}

/* --- buffer ------------------------------------------------------------------------ */

/* The writer runs in the input's clock: the input's own clock when it has
 * one, else the default clock (lib_clock.c). */
LIQ_BUILTIN(b_buffer)
{
  liq_source *in = liq_lib_arg_source(c, 0);
  double buf = liq_lib_opt_float(c, "buffer", 1.);
  double max = liq_lib_opt_float(c, "max", 10.);
  liq_output_opts o;
  liq_output_opts_default(&o);
  o.fallible = liq_lib_opt_bool(c, "fallible", 1);
  o.start = liq_lib_opt_bool(c, "start", 1);
  o.on_start = liq_lib_cb_void(liq_lib_opt(c, "on_start"));
  o.on_stop = liq_lib_cb_void(liq_lib_opt(c, "on_stop"));
  liq_sb err = LIQ_SB_INIT;
  liq_source *writer = NULL;
  liq_source *reader = liq_op_buffer(liq_lib_id(c), buf, max, &o, in, &writer, &err);
  if (reader) liq_lib_clock_attach_output(writer, in);
  return liq_lib_source_result(reader, &err);
}

static const liq_builtin_def track_defs[] = {
  {"max_duration", "(?id : string?, ?override : string, float, " S ") -> " S,
   "Limit source duration.", "Source / Track processing", b_max_duration},
  {"delay", "(?id : string?, ?initial : bool, getter(float), " S ") -> " S,
   "Make the source unavailable for a given time between tracks.", "Source / Track processing",
   b_delay},
  {"chop", "(?every : getter(float), ?metadata : getter([(string * string)]), " S ") -> " S,
   "Regularly insert track boundaries in a stream (useful for testing tracks).",
   "Source / Track processing", b_chop},
  {"merge_tracks", "(?id : string?, " S ") -> " S, "Merge all the tracks of a source.",
   "Source / Track processing", b_merge_tracks},
  {"append",
   "(?id : string?, ?insert_missing : bool, ?merge : bool, " S ", (([(string * string)]) -> " S
   ")) -> " S,
   "Append an extra track to every track. Set the metadata 'liq_append' to 'false' to "
   "inhibit appending on one track.",
   "Source / Track processing", b_append},
  {"prepend", "(?id : string?, ?merge : bool, " S ", (([(string * string)]) -> " S ")) -> " S,
   "Prepend an extra track before every track. Set the metadata 'liq_prepend' to 'false' to "
   "inhibit prepending on one track.",
   "Source / Track processing", b_prepend},
  {"cue_cut",
   "(?id : string?, ?cue_in_metadata : string, ?cue_out_metadata : string, ?on_cue_in : (() -> "
   "unit), ?on_cue_out : (() -> unit), " S ") -> " S,
   "Start track after a cue in point and stop it at cue out point.",
   "Source / Track processing", b_cue_cut},
  {"source.on_end", "(?id : string?, ?delay : getter(float), " S ", ((float, [(string * string)]) -> unit)) -> " S,
   "Call a given handler when there is less than a given amount of time remaining before then "
   "end of track.",
   "Source / Track processing", b_on_end},
  {"on_offset",
   "(?id : string?, ?force : bool, ?offset : float, ?override : string, ((float, [(string * "
   "string)]) -> unit), " S ") -> " S,
   "Call a given handler when position in track is equal or more than a given amount of time.",
   "Source / Track processing", b_on_offset},
  {"insert_metadata",
   "(?id : string?, " S ") -> " S ".{insert_metadata : (?new_track : bool, [(string * string)]) -> "
   "unit}",
   "Dynamically insert metadata in a stream. Returns the source decorated with a method "
   "`insert_metadata` which is a function of type `(?new_track, metadata) -> unit`.",
   "Source / Track processing", b_insert_metadata},
  {"metadata.map",
   "(?id : string?, ?insert_missing : bool, ?strip : bool, ?update : bool, (([(string * string)]) "
   "-> [(string * string)]), " S ") -> " S,
   "Rewrite metadata on the fly using a function.", "Source / Track processing", b_metadata_map},
  {"drop_metadata", "(" S ") -> " S, "Removes all metadata coming from a source.",
   "Source / Track processing", b_drop_metadata},
  {"blank.detect",
   "(?id : string?, ?max_blank : float, ?min_noise : float, ?on_noise : (() -> unit), "
   "?start_blank : bool, ?threshold : float, ?track_sensitive : bool, (() -> unit), " P ") -> " P
   ".{is_blank : () -> bool}",
   "Calls a given handler when detecting a blank.", "Source / Track processing", b_blank_detect},
  {"blank.skip",
   "(?id : string?, ?threshold : float, ?max_blank : float, ?min_noise : float, "
   "?track_sensitive : bool, " P ") -> " P ".{is_blank : () -> bool}",
   "Skip track when detecting a blank.", "Source / Track processing", b_blank_skip},
  {"blank.strip",
   "(?id : string?, ?max_blank : float, ?min_noise : float, ?start_blank : bool, ?threshold : "
   "float, ?track_sensitive : bool, " P ") -> " P ".{is_blank : () -> bool}",
   "Make the source unavailable when it is streaming blank.", "Source / Track processing",
   b_blank_strip},
  {"blank.eat",
   "(?id : string?, ?at_beginning : bool, ?max_blank : float, ?min_noise : float, ?start_blank : "
   "bool, ?threshold : float, ?track_sensitive : bool, " P ") -> " P ".{is_blank : () -> bool}",
   "Eat blanks, i.e., drop the contents of the stream until it is not blank anymore.",
   "Source / Track processing", b_blank_eat},
  {"cross",
   "(?id : string?, ?active : bool, ?conservative : bool, ?duration : getter(float), ?minimum : "
   "float, ?override_duration : string, ?width : float, (({db_level : float, metadata : [(string "
   "* string)], source : " P "}, {db_level : float, metadata : [(string * string)], source : " P
   "}) -> " P "), " P ") -> " P,
   "Cross operator, allowing the composition of the _n_ last seconds of a track with the "
   "beginning of the next track, using a transition function.",
   "Source / Fade", b_cross},
  {"crossfade",
   "(?id : string?, ?duration : float, ?override_duration : string, ?fade_in : float, ?fade_out "
   ": float, ?smart : bool, ?default : ((" PI ", " PI ") -> " PI "), ?high : float, ?medium : "
   "float, ?margin : float, ?deduplicate : bool, ?minimum : float, ?width : float, ?conservative "
   ": bool, " PI ") -> " PI,
   "Crossfade between tracks, taking the respective volume levels into account in the choice "
   "of the transition.",
   "Source / Fade", b_crossfade},
  {"buffer",
   "(?id : string?, ?buffer : float, ?fallible : bool, ?max : float, ?on_start : (() -> unit), "
   "?on_stop : (() -> unit), ?start : bool, " S ") -> " S,
   "Create a buffer between two different clocks.", "Source / Track processing", b_buffer},
};

const liq_lib_module liq_lib_ops_track = {"ops_track", track_defs, LIQ_NELEMS(track_defs), NULL, NULL};
