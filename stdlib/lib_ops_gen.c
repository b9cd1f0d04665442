/* lib_ops_gen: bindings of the generators (sine square saw noise blank
 * source.fail), amplify, add and the selectors (fallback switch mksafe
 * sequence once random rotate source.dynamic), with 2.1.3's labels,
 * defaults and types. Each builtin declares its parameters once, in a
 * liq_param table (lib_source.h) next to its settings struct; the builtin
 * reads its LIQ_PARAM_SELF rows (lists, tuples, nullable sources: anything
 * that can raise first), unpacks the others (which builds the callbacks),
 * calls the engine's constructor (runtime/ops/ops.h) and wraps the
 * result. */
#include "config.h"

#include "stdlib/lib.h"
#include "stdlib/lib_source.h"
#include "runtime/mem.h"

#define S "source(audio='a, video='b, midi='c)"
#define I "source(audio=internal('a), video=internal('b), midi=internal('c))"
#define P "source(audio=pcm('a), video='b, midi='c)"

/* The ?id row of a settings struct st with a `const char *id`. */
#define ID_ROW(st) \
  LIQ_PARAM("id", "string?", "null", "Force the value of the source ID.", LIQ_P_STRING, st, id)

/* --- Generators ------------------------------------------------------------ */

/* sine, square, saw. */
typedef struct {
  const char *id;
  liq_getter_float amplitude, freq;
  double duration;
} wave_settings;

static const liq_param wave_params[] = {
  ID_ROW(wave_settings),
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

/* noise, blank, source.fail (no duration). */
typedef struct {
  const char *id;
  double duration; /* -1: forever */
} gen_settings;

static const liq_param noise_params[] = {
  ID_ROW(gen_settings),
  LIQ_PARAM("duration", "float?", "null", "Duration in seconds (`null` means infinite).",
            LIQ_P_FLOAT_OR_NULL, gen_settings, duration),
};

static const liq_param blank_params[] = {
  ID_ROW(gen_settings),
  LIQ_PARAM("duration", "float", "-1.",
            "Duration of blank tracks in seconds, Negative value means forever.", LIQ_P_FLOAT,
            gen_settings, duration),
};

static const liq_param fail_params[] = {ID_ROW(gen_settings)};

LIQ_BUILTIN(b_noise)
{
  gen_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(noise_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_noise(o.id, o.duration, &err), &err);
}

LIQ_BUILTIN(b_blank)
{
  gen_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(blank_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_blank(o.id, o.duration, &err), &err);
}

LIQ_BUILTIN(b_fail)
{
  gen_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(fail_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_fail(o.id, &err), &err);
}

/* --- amplify, add --------------------------------------------------------------- */

typedef struct {
  const char *id, *override; /* override NULL: no metadata override */
  liq_getter_float factor;
  liq_source *in;
} amplify_settings;

static const liq_param amplify_params[] = {
  ID_ROW(amplify_settings),
  LIQ_PARAM("override", "string?", "liq_amplify",
            "Specify the name of a metadata field that, when present and well-formed, overrides "
            "the amplification factor for the current track. Well-formed values are floats in "
            "decimal notation (e.g. `0.7`) which are taken as normal/linear multiplicative "
            "factors; values can be passed in decibels with the suffix `dB` (e.g. `-8.2 dB`, but "
            "the spaces do not matter).",
            LIQ_P_STRING, amplify_settings, override),
  LIQ_PARAM(NULL, "{float}", NULL, "Multiplicative factor.", LIQ_P_GETTER_FLOAT, amplify_settings,
            factor),
  LIQ_PARAM(NULL, P, NULL, "The source to amplify.", LIQ_P_SOURCE, amplify_settings, in),
};

LIQ_BUILTIN(b_amplify)
{
  amplify_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(amplify_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_amplify(o.id, o.factor, o.override, o.in, &err), &err);
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

typedef struct {
  const char *id;
  liq_getter_bool normalize, power;
} add_settings;

static const liq_param add_params[] = {
  ID_ROW(add_settings),
  LIQ_PARAM("normalize", "{bool}", "true",
            "Divide by the sum of weights of ready sources (or by the number of ready sources if "
            "weights are not specified).",
            LIQ_P_GETTER_BOOL, add_settings, normalize),
  LIQ_PARAM("power", "{bool}", "false", "Perform constant-power normalization.", LIQ_P_GETTER_BOOL,
            add_settings, power),
  LIQ_PARAM_SELF("weights", "[{float}]", "[]",
                 "Relative weight of the sources in the sum. The empty list stands for the "
                 "homogeneous distribution. These are used as amplification coefficients if we "
                 "are not normalizing."),
  LIQ_PARAM_SELF(NULL, "[" I "]", NULL, "The sources to mix."),
};

LIQ_BUILTIN(b_add)
{
  int n, nw;
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  liq_value wl = liq_lib_param_arg(c, LIQ_PARAMS(add_params), "weights");
  if (wl != LIQ_NOVALUE && (int)liq_v_list_length(liq_v_base(wl)) != 0 &&
      (int)liq_v_list_length(liq_v_base(wl)) != n) {
    liq_mem_free(in);
    liq_eval_raise("invalid", "add: there should be as many weights as sources");
  }
  add_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(add_params), &o);
  liq_getter_float *w = getter_list(wl, &nw);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_add(o.id, in, n, w, o.normalize, o.power, &err);
  liq_mem_free(w);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

/* --- Selectors -------------------------------------------------------------------- */

/* fallback, switch, random, rotate. */
typedef struct {
  const char *id, *override;
  int replay_metadata;
  int track_sensitive;           /* fallback */
  liq_getter_bool ts_predicate;  /* switch's track_sensitive */
  int all_predicates;            /* switch; TODO(engine): liq_op_switch has no such mode */
  double transition_length;
} selector_settings;

#define OVERRIDE_ROW                                                                         \
  LIQ_PARAM("override", "string", "liq_transition_length",                                   \
            "Metadata field which, if present and containing a float, overrides the "        \
            "`transition_length` parameter.",                                                 \
            LIQ_P_STRING, selector_settings, override)
#define REPLAY_ROW                                                                           \
  LIQ_PARAM("replay_metadata", "bool", "true",                                               \
            "Replay the last metadata of a child when switching to it in the middle of a "   \
            "track.",                                                                         \
            LIQ_P_BOOL, selector_settings, replay_metadata)
#define TRANSITION_ROWS                                                                       \
  LIQ_PARAM("transition_length", "float", "5.", "Maximum transition duration.", LIQ_P_FLOAT,  \
            selector_settings, transition_length),                                            \
  LIQ_PARAM_SELF("transitions", "[(" S ", " S ") -> " S "]", "[]",                             \
                 "Transition functions, padded with `fun (x,y) -> y` functions.")

/* The engine's transitions from the settings and the `transitions` row
 * (a list of functions, read here). Builds callbacks: call it once nothing
 * else can raise. */
static liq_transitions transitions_of(const liq_call *c, const liq_param *params, int n,
                                      const selector_settings *o)
{
  liq_transitions tr = {NULL, 0, o->transition_length, NULL};
  if (o->override) tr.override = liq_mem_strdup(o->override);
  liq_value l = liq_lib_param_arg(c, params, n, "transitions");
  l = liq_v_base(l == LIQ_NOVALUE ? LIQ_NIL : l);
  tr.n = (int)liq_v_list_length(l);
  if (tr.n) tr.fns = liq_mem_calloc((size_t)tr.n, sizeof *tr.fns);
  for (int i = 0; l != LIQ_NIL; l = liq_v_tail(l), i++)
    tr.fns[i] = liq_lib_cb_switch_transition(liq_v_head(l));
  return tr;
}

static const liq_param fallback_params[] = {
  ID_ROW(selector_settings),
  OVERRIDE_ROW,
  REPLAY_ROW,
  LIQ_PARAM("track_sensitive", "bool", "true", "Re-select only on end of tracks.", LIQ_P_BOOL,
            selector_settings, track_sensitive),
  TRANSITION_ROWS,
  LIQ_PARAM_SELF(NULL, "[" S "]", NULL, "The sources, by order of preference."),
};

LIQ_BUILTIN(b_fallback)
{
  int n;
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  selector_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(fallback_params), &o);
  liq_transitions tr = transitions_of(c, LIQ_PARAMS(fallback_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_fallback(o.id, in, n, o.track_sensitive, o.replay_metadata, &tr, &err);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

static const liq_param switch_params[] = {
  ID_ROW(selector_settings),
  LIQ_PARAM("all_predicates", "bool", "false",
            "Always evaluate all predicates when re-selecting (accepted, ignored by cliq).",
            LIQ_P_BOOL, selector_settings, all_predicates),
  OVERRIDE_ROW,
  REPLAY_ROW,
  LIQ_PARAM_SELF("single", "[bool]", "[]",
                 "Forbid the selection of a branch for two tracks in a row. The empty list stands "
                 "for `[false,...,false]`."),
  LIQ_PARAM("track_sensitive", "{bool}", "true", "Re-select only on end of tracks.",
            LIQ_P_GETTER_BOOL, selector_settings, ts_predicate),
  TRANSITION_ROWS,
  LIQ_PARAM_SELF(NULL, "[((() -> bool) * " S ")]", NULL,
                 "Sources with the predicate telling when they can be played."),
};

LIQ_BUILTIN(b_switch)
{
  liq_value cases = liq_v_base(liq_arg(c, 0));
  liq_value singles = liq_lib_param_arg(c, LIQ_PARAMS(switch_params), "single");
  singles = liq_v_base(singles == LIQ_NOVALUE ? LIQ_NIL : singles);
  int n = (int)liq_v_list_length(cases);
  if (singles != LIQ_NIL && (int)liq_v_list_length(singles) != n)
    liq_eval_raise("invalid", "switch: there should be as many singles as cases");
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
  selector_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(switch_params), &o);
  i = 0;
  for (liq_value l = cases; l != LIQ_NIL; l = liq_v_tail(l), i++)
    cs[i].pred = liq_lib_getter_bool(liq_v_tuple_get(liq_v_base(liq_v_head(l)), 0), 1);
  liq_transitions tr = transitions_of(c, LIQ_PARAMS(switch_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_switch(o.id, cs, n, o.ts_predicate, o.replay_metadata, &tr, &err);
  liq_mem_free(cs);
  return liq_lib_source_result(s, &err);
}

/* mksafe, once. */
typedef struct {
  const char *id;
  liq_source *in;
} unary_settings;

static const liq_param mksafe_params[] = {
  LIQ_PARAM("id", "string", "mksafe", "Force the value of the source ID.", LIQ_P_STRING,
            unary_settings, id),
  LIQ_PARAM(NULL, I, NULL, "the source to turn infaillible", LIQ_P_SOURCE, unary_settings, in),
};

LIQ_BUILTIN(b_mksafe)
{
  unary_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(mksafe_params), &o);
  /* The default (the row's own text) lets the engine number its ids:
   * mksafe, mksafe.1... */
  const char *id = o.id == mksafe_params[0].dflt ? NULL : o.id;
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_mksafe(id, o.in, &err), &err);
}

static const liq_param once_params[] = {
  LIQ_PARAM(NULL, S, NULL, "The input source.", LIQ_P_SOURCE, unary_settings, in),
};

LIQ_BUILTIN(b_once)
{
  unary_settings o = {NULL, NULL};
  liq_lib_unpack(c, LIQ_PARAMS(once_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_once(o.id, o.in, &err), &err);
}

typedef struct {
  const char *id;
  int merge;
} sequence_settings;

static const liq_param sequence_params[] = {
  ID_ROW(sequence_settings),
  LIQ_PARAM("merge", "bool", "false",
            "Merge tracks when advancing from one source to the next one. This will NOT merge "
            "consecutive tracks from the last source; see merge_tracks() if you need that too.",
            LIQ_P_BOOL, sequence_settings, merge),
  LIQ_PARAM_SELF(NULL, "[" S "]", NULL, "The sources, played in turn."),
};

LIQ_BUILTIN(b_sequence)
{
  int n;
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  sequence_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(sequence_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_sequence(o.id, in, n, o.merge, &err);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

/* random and rotate: the same parameters, only the docs of weights differ
 * in 2.1.3 (one table: the probability / the tracks per round). */
static const liq_param select_params[] = {
  ID_ROW(selector_settings),
  OVERRIDE_ROW,
  REPLAY_ROW,
  TRANSITION_ROWS,
  LIQ_PARAM_SELF("weights", "[{int}]", "[]",
                 "Weights of the children (padded with 1): for random, the probability that each "
                 "is selected; for rotate, how many tracks are played from it per round."),
  LIQ_PARAM_SELF(NULL, "[" S "]", NULL, "The sources to select from."),
};

static liq_value select_op(liq_call *c, int random)
{
  int n, nw;
  liq_source **in = liq_lib_source_list(liq_arg(c, 0), &n);
  selector_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(select_params), &o);
  liq_getter_float *w = getter_list(liq_lib_param_arg(c, LIQ_PARAMS(select_params), "weights"), &nw);
  liq_transitions tr = transitions_of(c, LIQ_PARAMS(select_params), &o);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = random ? liq_op_random(o.id, in, n, w, nw, o.replay_metadata, &tr, &err)
                         : liq_op_rotate(o.id, in, n, w, nw, o.replay_metadata, &tr, &err);
  liq_mem_free(w);
  liq_mem_free(in);
  return liq_lib_source_result(s, &err);
}

LIQ_BUILTIN(b_random) { return select_op(c, 1); }
LIQ_BUILTIN(b_rotate) { return select_op(c, 0); }

typedef struct {
  const char *id;
  int infallible, track_sensitive;
  double resurection_time; /* TODO(engine): liq_op_source_dynamic does not retry on a timer */
  liq_cb_source next;
} dynamic_settings;

static const liq_param dynamic_params[] = {
  ID_ROW(dynamic_settings),
  LIQ_PARAM("infallible", "bool", "false",
            "Whether the source is infallible or not (be careful when setting this, it will not "
            "be checked by the typing system).",
            LIQ_P_BOOL, dynamic_settings, infallible),
  LIQ_PARAM_SELF("init", S "?", "null", "Initial value for the source"),
  LIQ_PARAM("resurection_time", "float?", "1.",
            "When track sensitive and the source is unavailable, how long we should wait before "
            "trying to update source again (`null` means never; accepted, ignored by cliq).",
            LIQ_P_FLOAT_OR_NULL, dynamic_settings, resurection_time),
  LIQ_PARAM("track_sensitive", "bool", "false",
            "Whether the source should only be updated on track change.", LIQ_P_BOOL,
            dynamic_settings, track_sensitive),
  LIQ_PARAM(NULL, "(() -> " S "?)", "<fun>",
            "Function returning the source to be used, `null` means keep current source.",
            LIQ_P_CB_SOURCE, dynamic_settings, next),
};

LIQ_BUILTIN(b_dynamic)
{
  liq_value init = liq_lib_param_arg(c, LIQ_PARAMS(dynamic_params), "init");
  liq_source *init_src = init == LIQ_NOVALUE || liq_v_base(init) == LIQ_NULL ? NULL : liq_lib_source_of(init);
  dynamic_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(dynamic_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(
      liq_op_source_dynamic(o.id, o.next, init_src, o.track_sensitive, o.infallible, &err), &err);
}

static const liq_builtin_def gen_defs[] = {
  {"sine", NULL, "Generate a sine wave.", "Source / Input", b_sine, LIQ_PARAMS(wave_params), I},
  {"square", NULL, "Generate a square wave.", "Source / Input", b_square, LIQ_PARAMS(wave_params), I},
  {"saw", NULL, "Generate a saw wave.", "Source / Input", b_saw, LIQ_PARAMS(wave_params), I},
  {"noise", NULL, "Generate audio noise.", "Source / Input", b_noise, LIQ_PARAMS(noise_params), I},
  {"blank", NULL, "Produce silence.", "Source / Input", b_blank, LIQ_PARAMS(blank_params), I},
  {"source.fail", NULL, "A source that does not produce anything. No silence, no track at all.",
   "Source / Input", b_fail, LIQ_PARAMS(fail_params), S},
  {"amplify", NULL, "Multiply the amplitude of the signal.", "Source / Sound processing",
   b_amplify, LIQ_PARAMS(amplify_params), P},
  {"add", NULL,
   "Mix sources, with optional normalization. Only relay metadata from the first available "
   "source.",
   "Source / Sound processing", b_add, LIQ_PARAMS(add_params), I},
  {"fallback", NULL, "Select the first available source in a list.", "Source / Track processing",
   b_fallback, LIQ_PARAMS(fallback_params), S},
  {"switch", NULL, "At the beginning of a track, select the first source whose predicate is true.",
   "Source / Track processing", b_switch, LIQ_PARAMS(switch_params), S},
  {"mksafe", NULL,
   "Turn a source into an infaillible source by adding blank when the source is not available.",
   "Source / Track processing", b_mksafe, LIQ_PARAMS(mksafe_params), I},
  {"sequence", NULL,
   "Play a sequence of sources. By default, play one track per source, except for the last "
   "one which is played as much as available.",
   "Source / Track processing", b_sequence, LIQ_PARAMS(sequence_params), S},
  {"once", NULL, "Creates a source that plays only one track of the input source.",
   "Source / Track processing", b_once, LIQ_PARAMS(once_params), S},
  {"random", NULL, "At the beginning of every track, select a random ready child.",
   "Source / Track processing", b_random, LIQ_PARAMS(select_params), S},
  {"rotate", NULL, "Rotate between the sources.", "Source / Track processing", b_rotate,
   LIQ_PARAMS(select_params), S},
  {"source.dynamic", NULL, "Dynamically change the underlying source.",
   "Source / Track processing", b_dynamic, LIQ_PARAMS(dynamic_params), S},
};

const liq_lib_module liq_lib_ops_gen = {"ops_gen", gen_defs, LIQ_NELEMS(gen_defs), NULL, NULL};
