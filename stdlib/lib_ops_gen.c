/* lib_ops_gen: bindings of the generators (sine square saw noise blank
 * source.fail), amplify, add and the selectors (fallback switch mksafe
 * sequence once random rotate source.dynamic), with 2.1.3's labels,
 * defaults and types. Each builtin reads its arguments (anything that can
 * raise first), then builds the callback structs, calls the engine's
 * constructor (runtime/ops/ops.h) and wraps the result. */
#include "config.h"

#include "stdlib/lib.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"

#define S "source(audio='a, video='b, midi='c)"
#define I "source(audio=internal('a), video=internal('b), midi=internal('c))"
#define P "source(audio=pcm('a), video='b, midi='c)"

/* --- Generators ------------------------------------------------------------ */

/* sine, square, saw. */
typedef struct {
  const char *id;
  liq_getter_float amplitude, freq;
  double duration;
} wave_settings;

static const liq_param wave_params[] = {
  LIQ_PARAM("id", "string?", "null", "Force the value of the source ID.", LIQ_P_STRING, wave_settings, id),
  LIQ_PARAM("amplitude", "{float}", "1.", "Maximal value of the waveform.", LIQ_P_GETTER_FLOAT,
            wave_settings, amplitude),
  LIQ_PARAM("duration", "float?", "null", "Duration in seconds (`null` means infinite).",
            LIQ_P_FLOAT_OR_NULL, wave_settings, duration),
  LIQ_PARAM(NULL, "{float}", "440.", "Frequency of the waveform.", LIQ_P_GETTER_FLOAT, wave_settings, freq),
};

static liq_value wave(liq_call *c, liq_wave w)
{
  wave_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(wave_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_wave(w, o.id, o.freq, o.amplitude, o.duration, &err), &err);
}

LIQ_BUILTIN(b_sine) { return wave(c, LIQ_WAVE_SINE); }
LIQ_BUILTIN(b_square) { return wave(c, LIQ_WAVE_SQUARE); }
LIQ_BUILTIN(b_saw) { return wave(c, LIQ_WAVE_SAW); }

LIQ_BUILTIN(b_noise)
{
  liq_sb err = LIQ_SB_INIT;
  double duration = liq_lib_opt_nullable_float(c, "duration", -1);
  return liq_lib_source_result(liq_op_noise(liq_lib_id(c), duration, &err), &err);
}

LIQ_BUILTIN(b_blank)
{
  liq_sb err = LIQ_SB_INIT;
  double duration = liq_lib_opt_float(c, "duration", -1);
  return liq_lib_source_result(liq_op_blank(liq_lib_id(c), duration, &err), &err);
}

LIQ_BUILTIN(b_fail)
{
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_fail(liq_lib_id(c), &err), &err);
}

/* --- amplify, add --------------------------------------------------------------- */

LIQ_BUILTIN(b_amplify)
{
  liq_source *in = liq_lib_arg_source(c, 1);
  const char *override = liq_lib_opt_str(c, "override", "liq_amplify");
  liq_getter_float k = liq_lib_getter_float(liq_arg(c, 0), 1.);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_amplify(liq_lib_id(c), k, override, in, &err), &err);
}

/* A list of getters (weights): a liq_mem array of n entries, NULL for []. */
static liq_getter_float *getter_list(liq_value list, int *n)
{
  list = liq_v_base(list == LIQ_NOVALUE ? LIQ_NIL : list);
  *n = (int)liq_v_list_length(list);
  if (*n == 0) return NULL;
  liq_getter_float *w = liq_mem_calloc((size_t)*n, sizeof *w);
  int i = 0;
  for (liq_value l = list; l != LIQ_NIL; l = liq_v_tail(l)) w[i++] = liq_lib_getter_float(liq_v_head(l), 1.);
  return w;
}

LIQ_BUILTIN(b_add)
{
  int n, nw;
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  liq_value wl = liq_lib_opt(c, "weights");
  if (wl != LIQ_NOVALUE && (int)liq_v_list_length(liq_v_base(wl)) != 0 &&
      (int)liq_v_list_length(liq_v_base(wl)) != n) {
    liq_mem_free(in);
    liq_eval_raise("invalid", "add: there should be as many weights as sources");
  }
  liq_getter_float *w = getter_list(wl, &nw);
  liq_getter_bool norm = liq_lib_getter_bool(liq_lib_opt(c, "normalize"), 1);
  liq_getter_bool power = liq_lib_getter_bool(liq_lib_opt(c, "power"), 0);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_add(liq_lib_id(c), in, n, w, norm, power, &err);
  liq_mem_free(w);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

/* --- Selectors -------------------------------------------------------------------- */

/* ?transitions, ?transition_length and ?override of the selectors. Builds
 * callbacks: call it once nothing else can raise. */
static liq_transitions transitions_of(liq_call *c)
{
  liq_transitions tr = {NULL, 0, liq_lib_opt_float(c, "transition_length", 5.), NULL};
  const char *ov = liq_lib_opt_str(c, "override", "liq_transition_length");
  if (ov) tr.override = liq_mem_strdup(ov);
  liq_value l = liq_lib_opt(c, "transitions");
  l = liq_v_base(l == LIQ_NOVALUE ? LIQ_NIL : l);
  tr.n = (int)liq_v_list_length(l);
  if (tr.n) tr.fns = liq_mem_calloc((size_t)tr.n, sizeof *tr.fns);
  for (int i = 0; l != LIQ_NIL; l = liq_v_tail(l), i++)
    tr.fns[i] = liq_lib_cb_switch_transition(liq_v_head(l));
  return tr;
}

LIQ_BUILTIN(b_fallback)
{
  int n;
  int ts = liq_lib_opt_bool(c, "track_sensitive", 1);
  int replay = liq_lib_opt_bool(c, "replay_metadata", 1);
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  liq_transitions tr = transitions_of(c);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_fallback(liq_lib_id(c), in, n, ts, replay, &tr, &err);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

LIQ_BUILTIN(b_switch)
{
  liq_value cases = liq_v_base(liq_arg(c, 0));
  liq_value singles = liq_v_base(liq_arg_label(c, "single", LIQ_NIL));
  int n = (int)liq_v_list_length(cases);
  if (singles != LIQ_NIL && (int)liq_v_list_length(singles) != n)
    liq_eval_raise("invalid", "switch: there should be as many singles as cases");
  int replay = liq_lib_opt_bool(c, "replay_metadata", 1);
  liq_switch_case *cs = liq_mem_calloc(n ? (size_t)n : 1, sizeof *cs);
  int i = 0;
  for (liq_value l = cases; l != LIQ_NIL; l = liq_v_tail(l), i++) {
    liq_value t = liq_v_base(liq_v_head(l));
    cs[i].source = liq_lib_source_of(liq_v_tuple_get(t, 1));
    if (singles != LIQ_NIL) {
      cs[i].single = liq_v_base(liq_v_head(singles)) == LIQ_TRUE;
      singles = liq_v_tail(singles);
    }
  }
  /* Nothing raises from here on: the callbacks can be built. */
  i = 0;
  for (liq_value l = cases; l != LIQ_NIL; l = liq_v_tail(l), i++)
    cs[i].pred = liq_lib_getter_bool(liq_v_tuple_get(liq_v_base(liq_v_head(l)), 0), 1);
  liq_getter_bool ts = liq_lib_getter_bool(liq_lib_opt(c, "track_sensitive"), 1);
  liq_transitions tr = transitions_of(c);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_switch(liq_lib_id(c), cs, n, ts, replay, &tr, &err);
  liq_mem_free(cs);
  return liq_lib_source_result(s, &err);
}

LIQ_BUILTIN(b_mksafe)
{
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_mksafe(liq_lib_id(c), liq_lib_arg_source(c, 0), &err), &err);
}

LIQ_BUILTIN(b_sequence)
{
  int n;
  int merge = liq_lib_opt_bool(c, "merge", 0);
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_sequence(liq_lib_id(c), in, n, merge, &err);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

LIQ_BUILTIN(b_once)
{
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_once(NULL, liq_lib_arg_source(c, 0), &err), &err);
}

static liq_value select_op(liq_call *c, int random)
{
  int n, nw;
  int replay = liq_lib_opt_bool(c, "replay_metadata", 1);
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  liq_getter_float *w = getter_list(liq_lib_opt(c, "weights"), &nw);
  liq_transitions tr = transitions_of(c);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = random ? liq_op_random(liq_lib_id(c), in, n, w, nw, replay, &tr, &err)
                         : liq_op_rotate(liq_lib_id(c), in, n, w, nw, replay, &tr, &err);
  liq_mem_free(w);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

LIQ_BUILTIN(b_random) { return select_op(c, 1); }
LIQ_BUILTIN(b_rotate) { return select_op(c, 0); }

LIQ_BUILTIN(b_dynamic)
{
  liq_value init = liq_lib_opt(c, "init");
  liq_source *init_src = init == LIQ_NOVALUE || liq_v_base(init) == LIQ_NULL ? NULL : liq_lib_source_of(init);
  int ts = liq_lib_opt_bool(c, "track_sensitive", 0);
  int infallible = liq_lib_opt_bool(c, "infallible", 0);
  liq_cb_source fn = liq_lib_cb_source(liq_arg(c, 0));
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_source_dynamic(liq_lib_id(c), fn, init_src, ts, infallible, &err),
                               &err);
}

#define TRANSITIONS "?transition_length : float, ?transitions : [(" S ", " S ") -> " S "]"
static const liq_builtin_def gen_defs[] = {
  {"sine", NULL, "Generate a sine wave.", "Source / Input", b_sine, LIQ_PARAMS(wave_params), I},
  {"square", NULL, "Generate a square wave.", "Source / Input", b_square, LIQ_PARAMS(wave_params), I},
  {"saw", NULL, "Generate a saw wave.", "Source / Input", b_saw, LIQ_PARAMS(wave_params), I},
  {"noise", "(?id : string?, ?duration : float?) -> " I, "Generate audio noise.",
   "Source / Input", b_noise},
  {"blank", "(?id : string?, ?duration : float) -> " I, "Produce silence.", "Source / Input",
   b_blank},
  {"source.fail", "(?id : string?) -> " S,
   "A source that does not produce anything. No silence, no track at all.", "Source / Input",
   b_fail},
  {"amplify", "(?id : string?, ?override : string?, getter(float), " P ") -> " P,
   "Multiply the amplitude of the signal.", "Source / Sound processing", b_amplify},
  {"add",
   "(?id : string?, ?normalize : getter(bool), ?power : getter(bool), ?weights : "
   "[getter(float)], [" I "]) -> " I,
   "Mix sources, with optional normalization. Only relay metadata from the first available "
   "source.",
   "Source / Sound processing", b_add},
  {"fallback",
   "(?id : string?, ?override : string, ?replay_metadata : bool, ?track_sensitive : bool, "
   TRANSITIONS ", [" S "]) -> " S,
   "Select the first available source in a list.", "Source / Track processing", b_fallback},
  {"switch",
   "(?id : string?, ?all_predicates : bool, ?override : string, ?replay_metadata : bool, "
   "?single : [bool], ?track_sensitive : getter(bool), " TRANSITIONS
   ", [((() -> bool) * " S ")]) -> " S,
   "At the beginning of a track, select the first source whose predicate is true.",
   "Source / Track processing", b_switch},
  {"mksafe", "(?id : string, " I ") -> " I,
   "Turn a source into an infaillible source by adding blank when the source is not available.",
   "Source / Track processing", b_mksafe},
  {"sequence", "(?id : string?, ?merge : bool, [" S "]) -> " S,
   "Play a sequence of sources. By default, play one track per source, except for the last "
   "one which is played as much as available.",
   "Source / Track processing", b_sequence},
  {"once", "(" S ") -> " S, "Creates a source that plays only one track of the input source.",
   "Source / Track processing", b_once},
  {"random",
   "(?id : string?, ?override : string, ?replay_metadata : bool, " TRANSITIONS
   ", ?weights : [getter(int)], [" S "]) -> " S,
   "At the beginning of every track, select a random ready child.",
   "Source / Track processing", b_random},
  {"rotate",
   "(?id : string?, ?override : string, ?replay_metadata : bool, " TRANSITIONS
   ", ?weights : [getter(int)], [" S "]) -> " S,
   "Rotate between the sources.", "Source / Track processing", b_rotate},
  {"source.dynamic",
   "(?id : string?, ?infallible : bool, ?init : " S "?, ?resurection_time : float?, "
   "?track_sensitive : bool, ?(() -> " S "?)) -> " S,
   "Dynamically change the underlying source.", "Source / Track processing", b_dynamic},
};

const liq_lib_module liq_lib_ops_gen = {"ops_gen", gen_defs, LIQ_NELEMS(gen_defs), NULL, NULL};
