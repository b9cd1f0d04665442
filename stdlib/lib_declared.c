/* lib_declared: names whose type comes from this table while their value
 * comes from elsewhere or nowhere yet.
 *
 * Some are values a module defines in its `open` (max_int, infinity,
 * error.*, settings.*), or helpers the evaluator or prelude provides; the
 * others (single, playlist, request.queue, input.harbor, output.icecast...)
 * are names of 2.1.3 whose implementation is still missing: they
 * type-check but are unbound when a script runs. TODO(issue 12): a name is
 * registered only when it runs. Types are checked against `liquidsoap -h
 * NAME` of 2.1.3; a later module's entry of the same name replaces one of
 * these. Type syntax: see lang/builtins.h. */
#include "stdlib/lib.h"

#include "lang/eval_internal.h" /* LIQ_NELEMS */

static const liq_builtin declared_defs[] = {
    {"bool_of_float", "(float) -> bool",
     "A float as a boolean (non-zero is true).", "Control", NULL},
    {"bool_of_int", "(int) -> bool",
     "An int as a boolean (non-zero is true).", "Control", NULL},
    {"error.assertion", "error.{kind : string, message : string, positions : [string]}",
     "Kind of assertion failures.", "Error", NULL},
    {"error.eval", "error.{kind : string, message : string, positions : [string]}",
     "Kind of evaluation errors.", "Error", NULL},
    {"error.failure", "error.{kind : string, message : string, positions : [string]}",
     "Kind of generic failures.", "Error", NULL},
    {"error.file", "error.{kind : string, message : string, positions : [string]}",
     "Kind of file errors.", "Error", NULL},
    {"error.http", "error.{kind : string, message : string, positions : [string]}",
     "Kind of HTTP errors.", "Error", NULL},
    {"error.invalid", "error.{kind : string, message : string, positions : [string]}",
     "Kind of invalid values.", "Error", NULL},
    {"error.json", "error.{kind : string, message : string, positions : [string]}",
     "Kind of JSON errors.", "Error", NULL},
    {"error.not_found", "error.{kind : string, message : string, positions : [string]}",
     "Kind of missing values.", "Error", NULL},
    {"error.socket", "error.{kind : string, message : string, positions : [string]}",
     "Kind of socket errors.", "Error", NULL},
    {"error.string", "error.{kind : string, message : string, positions : [string]}",
     "Kind of string errors.", "Error", NULL},
    {"getter.changes", "(getter('a)) -> () -> bool where 'a is an orderable type",
     "A function that tells whether the getter's value changed since its last call.", "Getter", NULL},
    {"infinity", "float",
     "Positive infinity.", "Math", NULL},
    {"list.cons", "('a, ['a]) -> ['a]",
     "Adds an element in front of a list.", "List", NULL},
    {"list.make", "(int, 'a) -> ['a]",
     "A list of n copies of a value.", "List", NULL},
    {"list.mem_assoc", "('a, [('a * 'b)]) -> bool where 'a is an orderable type",
     "Whether a key is bound in an association list.", "List", NULL},
    {"list.pick", "(?default : 'a?, ['a]) -> 'a",
     "A random element of a list.", "List", NULL},
    {"list.randomize", "(['a]) -> ['a]",
     "The list shuffled.", "List", NULL},
    {"list.snoc", "('a, ['a]) -> ['a]",
     "Adds an element at the end of a list.", "List", NULL},
    {"max_int", "int",
     "The largest int.", "Math", NULL},
    {"min_int", "int",
     "The smallest int.", "Math", NULL},
    {"nan", "float",
     "Not a number.", "Math", NULL},
    {"string.hex_of_int", "(?pad : int, int) -> string",
     "An int in hexadecimal.", "String", NULL},
    {"string.is_int", "(string) -> bool",
     "Whether a string is an integer.", "String", NULL},
    {"string.to_float", "(?default : float, string) -> float",
     "Parses a float.", "String", NULL},
    {"string.utf8", "unit",
     "UTF-8 helpers.", "String", NULL},
    {"settings", "unit",
     "The settings tree.", "Settings", NULL},
    {"settings.log", "unit",
     "Logging settings.", "Settings", NULL},
    {"settings.log.level", "(() -> int).{comments : string, description : string, set : (int) -> unit}",
     "Log level (1 to 5).", "Settings", NULL},
    {"settings.log.stdout", "(() -> bool).{comments : string, description : string, set : (bool) -> unit}",
     "Log to standard output.", "Settings", NULL},
    {"settings.log.file", "(() -> bool).{comments : string, description : string, set : (bool) -> unit}",
     "Log to a file.", "Settings", NULL},
    {"settings.log.file.path", "(() -> string).{comments : string, description : string, set : (string) -> unit}",
     "Path of the log file.", "Settings", NULL},
    {"settings.init", "unit",
     "Start-up settings.", "Settings", NULL},
    {"settings.init.allow_root", "(() -> bool).{comments : string, description : string, set : (bool) -> unit}",
     "Allow running as root.", "Settings", NULL},
    {"settings.init.force_start", "(() -> bool).{comments : string, description : string, set : (bool) -> unit}",
     "Start even without outputs.", "Settings", NULL},
    {"settings.frame", "unit",
     "Frame settings.", "Settings", NULL},
    {"settings.frame.duration", "(() -> float).{comments : string, description : string, set : (float) -> unit}",
     "Frame duration, in seconds.", "Settings", NULL},
    {"settings.frame.audio", "unit",
     "Audio frame settings.", "Settings", NULL},
    {"settings.frame.audio.samplerate", "(() -> int).{comments : string, description : string, set : (int) -> unit}",
     "Sample rate.", "Settings", NULL},
    {"settings.frame.audio.channels", "(() -> int).{comments : string, description : string, set : (int) -> unit}",
     "Number of audio channels.", "Settings", NULL},
    {"settings.server", "unit",
     "Server settings.", "Settings", NULL},
    {"settings.server.telnet", "(() -> bool).{comments : string, description : string, set : (bool) -> unit}",
     "Enable the telnet server.", "Settings", NULL},
    {"settings.server.telnet.port", "(() -> int).{comments : string, description : string, set : (int) -> unit}",
     "Telnet server port.", "Settings", NULL},
    /* Sources, operators and outputs (2.1.3's types, their own methods
     * left out; a source value's methods are the source.NAME entries). */
#define SRC "source(audio='a, video='b, midi='c)"
#define PCM "source(audio=pcm('a), video='b, midi='c)"
#define FMT "format(audio='a, video='b, midi='c)"
#define OUT "{id : () -> string, is_started : () -> bool, shutdown : () -> unit, skip : () -> unit, start : () -> unit, stop : () -> unit}"
#define OUTARGS "?id : string?, ?fallible : bool, ?on_start : (() -> unit), ?on_stop : (() -> unit), ?start : bool"
#define TRANS "?transition_length : float, ?transitions : [(" SRC ", " SRC ") -> " SRC "]"
    {"input.harbor", "(?id : string?, ?buffer : float, ?debug : bool, ?dumpfile : string?, ?icy : bool, ?icy_metadata_charset : string?, ?log_overfull : bool, ?logfile : string?, ?max : float, ?metadata_charset : string?, ?on_connect : (([(string * string)]) -> unit), ?on_disconnect : (() -> unit), ?password : string, ?port : int, ?replay_metadata : bool, ?timeout : float, ?user : string, string) -> " SRC,
     "Receive a stream from a source client (harbor).", "Source / Input", NULL},
    {"input.http", "(?id : string?, ?clock_safe : bool, ?debug : bool, ?format : string?, ?log_overfull : bool, ?max_buffer : float, ?new_track_on_metadata : bool, ?on_connect : (([(string * string)]) -> unit), ?on_disconnect : (() -> unit), ?poll_delay : float, ?self_sync : bool, ?start : bool, ?timeout : float, ?user_agent : string, {string}) -> " SRC,
     "Forward an HTTP stream.", "Source / Input", NULL},
    {"output.icecast", "(" OUTARGS ", ?chunked : bool, ?connection_timeout : float, ?description : string?, ?dumpfile : string?, ?encoding : string?, ?format : string, ?genre : string?, ?headers : [(string * string)], ?host : string, ?icy_id : int, ?icy_metadata : string, ?method : string, ?mount : string, ?name : string, ?on_connect : (() -> unit), ?on_disconnect : (() -> unit), ?on_error : ((string) -> float), ?password : string, ?port : int, ?protocol : string, ?public : bool, ?timeout : float, ?url : string?, ?user : string?, " FMT ", " SRC ") -> " OUT,
     "Stream a source to an icecast server.", "Output", NULL},
    {"output.ao", "(" OUTARGS ", ?buffer_size : int, ?channels_matrix : string, ?clock_safe : bool, ?driver : string, ?options : [(string * string)], " PCM ") -> " OUT,
     "Play a source on the sound card (libao).", "Output", NULL},
    {"output.pulseaudio", "(" OUTARGS ", ?client : string, ?clock_safe : bool, ?device : string, " PCM ") -> " OUT,
     "Play a source through pulseaudio.", "Output", NULL},
    {"server.register", "(?namespace : string?, ?description : string, ?usage : string?, string, ((string) -> string)) -> unit",
     "Register a server (telnet) command.", "Interaction", NULL},
#undef SRC
#undef PCM
#undef FMT
#undef OUT
#undef OUTARGS
#undef TRANS
};

const liq_lib_module liq_lib_declared = {"declared", declared_defs, LIQ_NELEMS(declared_defs), NULL, NULL};

