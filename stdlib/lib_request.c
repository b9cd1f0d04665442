/* lib_request: requests and the sources that play files (single).
 *
 * A request value is a GC custom block holding one reference to a
 * runtime/request.h request. request.resolve probes the file on the
 * calling thread (the evaluator's, as 2.1.3 does); sources resolve on
 * their reader's worker thread (runtime/ops/file.c). */
#include "config.h"

#include <string.h>

#include "runtime/log.h"
#include "runtime/mem.h"
#include "runtime/request.h"
#include "stdlib/lib.h"
#include "stdlib/lib_source.h"

#define ID_ROW(st) \
  LIQ_PARAM("id", "string?", "null", "Force the value of the source ID.", LIQ_P_STRING, st, id)

/* --- Request values ---------------------------------------------------------- */

typedef struct {
  liq_request *req;
} req_payload;

static void req_finalize(void *p)
{
  req_payload *r = p;
  if (r->req) liq_request_unref(r->req);
}

static void req_print(void *p, liq_sb *sb)
{
  req_payload *r = p;
  liq_sb_printf(sb, "<request %d>", r->req ? liq_request_id(r->req) : -1);
}

static const liq_custom_ops req_ops = {"request", NULL, req_finalize, req_print};

static liq_request *req_of(liq_value v)
{
  if (liq_value_kind(v) != LIQ_K_CUSTOM || liq_gc_custom_ops(v) != &req_ops)
    liq_eval_raise("invalid", "expected a request");
  req_payload *r = liq_gc_custom_payload(v);
  if (!r->req) liq_eval_raise("invalid", "the request was destroyed");
  return r->req;
}

typedef struct {
  const char *uri;
  int persistent, temporary;
} create_settings;

static const liq_param create_params[] = {
  LIQ_PARAM_SELF("indicators", "[string]", "[]", "Indicators (unused: the URI is resolved itself)."),
  LIQ_PARAM("persistent", "bool", "false", "Unused (requests are freed when no longer used).",
            LIQ_P_BOOL, create_settings, persistent),
  LIQ_PARAM("temporary", "bool", "false", "Unused (no file is deleted).", LIQ_P_BOOL,
            create_settings, temporary),
  LIQ_PARAM(NULL, "string", NULL, "URI, with optional `annotate:k=\"v\",...:` prefix.", LIQ_P_STRING,
            create_settings, uri),
};

LIQ_BUILTIN(b_create)
{
  create_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(create_params), &o);
  liq_value v = liq_gc_custom_new(&req_ops, sizeof(req_payload), 256 + strlen(o.uri));
  ((req_payload *)liq_gc_custom_payload(v))->req = liq_request_new(o.uri);
  return v;
}

typedef struct {
  double timeout;
} resolve_settings;

static const liq_param resolve_params[] = {
  LIQ_PARAM_SELF("content_type", "source(audio='a, video='b, midi='c)?", "null", "Unused (audio is decoded to the clock's format)."),
  LIQ_PARAM("timeout", "float", "30.", "Unused (local files only).", LIQ_P_FLOAT, resolve_settings,
            timeout),
  LIQ_PARAM_SELF(NULL, "request", NULL, "The request."),
};

LIQ_BUILTIN(b_resolve)
{
  resolve_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(resolve_params), &o);
  liq_request *r = req_of(liq_arg(c, 0));
  liq_sb err = LIQ_SB_INIT;
  int ok = liq_request_resolve(r, &err) == 0;
  if (!ok) liq_log(LIQ_LOG_INFO, "request", "Could not resolve %s: %s", liq_request_uri(r), liq_sb_str(&err));
  liq_sb_free(&err);
  return liq_v_bool(ok);
}

LIQ_BUILTIN(b_metadata)
{
  liq_meta *m = liq_request_metadata(req_of(liq_arg(c, 0)));
  liq_value v = liq_lib_meta_value(m);
  liq_meta_unref(m);
  return v;
}

LIQ_BUILTIN(b_filename)
{
  const char *p = liq_request_filename(req_of(liq_arg(c, 0)));
  return liq_v_string(p ? p : "", p ? strlen(p) : 0);
}

LIQ_BUILTIN(b_uri)
{
  const char *u = liq_request_uri(req_of(liq_arg(c, 0)));
  return liq_v_string(u, strlen(u));
}

LIQ_BUILTIN(b_id) { return liq_v_int(liq_request_id(req_of(liq_arg(c, 0)))); }

typedef struct {
  int force;
} destroy_settings;

static const liq_param destroy_params[] = {
  LIQ_PARAM("force", "bool", "false", "Unused (nothing is deleted).", LIQ_P_BOOL, destroy_settings, force),
  LIQ_PARAM_SELF(NULL, "request", NULL, "The request."),
};

LIQ_BUILTIN(b_destroy)
{
  destroy_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(destroy_params), &o);
  liq_value v = liq_arg(c, 0);
  req_of(v);
  req_payload *r = liq_gc_custom_payload(v);
  liq_request_unref(r->req);
  r->req = NULL;
  return LIQ_UNIT;
}

/* request.duration(path): probes the file; -1. when it cannot. */
LIQ_BUILTIN(b_duration)
{
  liq_request *r = liq_request_new(liq_arg_str(c, 0, NULL));
  liq_sb err = LIQ_SB_INIT;
  double d = liq_request_resolve(r, &err) == 0 ? liq_request_duration(r) : -1;
  liq_sb_free(&err);
  liq_request_unref(r);
  return liq_v_float(d);
}

/* --- single ------------------------------------------------------------------ */

typedef struct {
  const char *id;
  int fallible;
  int64_t prefetch;
  double timeout;
  const char *uri;
} single_settings;

static const liq_param single_params[] = {
  ID_ROW(single_settings),
  LIQ_PARAM("fallible", "bool", "false", "Enforce fallibility of the request.", LIQ_P_BOOL,
            single_settings, fallible),
  LIQ_PARAM("prefetch", "int", "1",
            "How many requests should be queued in advance (the reader decodes one ahead).",
            LIQ_P_INT, single_settings, prefetch),
  LIQ_PARAM("timeout", "float", "20.", "Timeout (in sec.) for a single download.", LIQ_P_FLOAT,
            single_settings, timeout),
  LIQ_PARAM(NULL, "string", NULL, "URI where to find the file", LIQ_P_STRING, single_settings, uri),
};

LIQ_BUILTIN(b_single)
{
  single_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(single_params), &o);
  liq_sb err = LIQ_SB_INIT;
  return liq_lib_source_result(liq_op_single(o.id, o.uri, o.timeout, &err), &err);
}

/* --- playlist ---------------------------------------------------------------- */

typedef struct {
  const char *id;
  int64_t prefetch;
  int loop;
  const char *mime_type;
  const char *mode;
  int native;
  liq_cb_string on_reload;
  const char *prefix;
  int64_t reload;
  const char *reload_mode;
  double timeout;
  const char *uri;
} playlist_settings;

/* TODO(check_next): a script predicate would run on the reader's worker
 * thread, which has no evaluator stack guard yet; it is left out of the
 * table rather than accepted and ignored. */
static const liq_param playlist_params[] = {
  ID_ROW(playlist_settings),
  LIQ_PARAM("prefetch", "int", "1",
            "How many requests should be queued in advance (the reader decodes one ahead).",
            LIQ_P_INT, playlist_settings, prefetch),
  LIQ_PARAM("loop", "bool", "true", "Loop on the playlist.", LIQ_P_BOOL, playlist_settings, loop),
  LIQ_PARAM("mime_type", "string?", "null",
            "Default MIME type for the playlist. `null` means automatic detection (\"audio/x-scpls\" "
            "reads a pls playlist whatever its name).", LIQ_P_STRING,
            playlist_settings, mime_type),
  LIQ_PARAM("mode", "string", "randomize",
            "Play the files in the playlist either in the order (\"normal\" mode), or shuffle the "
            "playlist each time it is loaded, and play it in this order for a whole round "
            "(\"randomize\" mode), or pick a random file in the playlist each time (\"random\" "
            "mode).",
            LIQ_P_STRING, playlist_settings, mode),
  LIQ_PARAM("native", "bool", "false", "Use native implementation (cliq has only one).",
            LIQ_P_BOOL, playlist_settings, native),
  LIQ_PARAM("on_reload", "(string) -> unit", "<fun>", "Callback called after playlist has reloaded.",
            LIQ_P_CB_STRING, playlist_settings, on_reload),
  LIQ_PARAM("prefix", "string", "",
            "Add a constant prefix to all requests. Useful for passing extra information using "
            "annotate.",
            LIQ_P_STRING, playlist_settings, prefix),
  LIQ_PARAM("reload", "int", "0",
            "Amount of time (in seconds or rounds), when applicable, before which the playlist is "
            "reloaded; 0 means never.",
            LIQ_P_INT, playlist_settings, reload),
  LIQ_PARAM("reload_mode", "string", "seconds",
            "Unit of the reload parameter, either \"never\" (never reload the playlist), "
            "\"rounds\", \"seconds\" or \"watch\" (reload the file whenever it is changed).",
            LIQ_P_STRING, playlist_settings, reload_mode),
  LIQ_PARAM("timeout", "float", "20.", "Timeout (in sec.) for a single download.", LIQ_P_FLOAT,
            playlist_settings, timeout),
  LIQ_PARAM(NULL, "string", NULL, "Playlist URI.", LIQ_P_STRING, playlist_settings, uri),
};

/* .reload(?empty_queue, ?uri) */
static liq_value m_reload(liq_call *c, liq_value d)
{
  liq_value u = liq_lib_opt(c, "uri");
  const char *uri = u == LIQ_NOVALUE || liq_v_base(u) == LIQ_NULL ? NULL : liq_v_string_bytes(u);
  liq_playlist_reload(liq_lib_source_of(d), uri);
  return LIQ_UNIT;
}

static liq_value m_remaining_files(liq_call *c, liq_value d)
{
  (void)c;
  int n;
  char **files = liq_playlist_remaining_files(liq_lib_source_of(d), &n);
  liq_value *items = liq_eval_push(LIQ_NOVALUE);
  for (int i = 1; i < n; i++) liq_eval_push(LIQ_NOVALUE);
  for (int i = 0; i < n; i++) items[i] = liq_v_string(files[i], strlen(files[i]));
  liq_value r = liq_v_list((size_t)n, items);
  liq_eval_pop(n ? n : 1);
  for (int i = 0; i < n; i++) liq_mem_free(files[i]);
  liq_mem_free(files);
  return r;
}

LIQ_BUILTIN(b_playlist)
{
  playlist_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(playlist_params), &o);
  liq_playlist_args a = {o.uri, o.prefix, o.mime_type, LIQ_PLAYLIST_RANDOMIZE, o.loop, LIQ_PLAYLIST_RELOAD_SECONDS,
                         (int)o.reload, o.timeout, o.on_reload};
  liq_sb err = LIQ_SB_INIT;
  if (!strcmp(o.mode, "normal")) a.mode = LIQ_PLAYLIST_NORMAL;
  else if (!strcmp(o.mode, "random")) a.mode = LIQ_PLAYLIST_RANDOM;
  else if (strcmp(o.mode, "randomize")) liq_sb_printf(&err, "invalid playlist mode %s", o.mode);
  if (!strcmp(o.reload_mode, "never")) a.reload_mode = LIQ_PLAYLIST_RELOAD_NEVER;
  else if (!strcmp(o.reload_mode, "rounds")) a.reload_mode = LIQ_PLAYLIST_RELOAD_ROUNDS;
  else if (!strcmp(o.reload_mode, "watch")) a.reload_mode = LIQ_PLAYLIST_RELOAD_WATCH;
  else if (strcmp(o.reload_mode, "seconds")) liq_sb_printf(&err, "invalid reload mode %s", o.reload_mode);
  if (err.len) {
    liq_cb_string_release(&a.on_reload);
    liq_lib_raise_sb(&err);
  }
  liq_source *s = liq_op_playlist(o.id, &a, &err);
  if (!s) liq_lib_raise_sb(&err);
  liq_sb_free(&err);
  static const char *const names[] = {"reload", "remaining_files"};
  liq_value *base = liq_eval_push(liq_lib_source_value(liq_source_ref(s), 0, NULL, NULL));
  liq_value *m = liq_eval_push(LIQ_NOVALUE);
  liq_eval_push(LIQ_NOVALUE);
  m[0] = liq_v_builtin(m_reload, names[0], *base);
  m[1] = liq_v_builtin(m_remaining_files, names[1], *base);
  liq_value r = liq_lib_source_value(s, 2, names, m);
  liq_eval_pop(3);
  return r;
}

/* --- request.queue ------------------------------------------------------------ */

typedef struct {
  const char *id;
  int interactive;
  int64_t prefetch;
  int native;
  double timeout;
} queue_settings;

static const liq_param queue_params[] = {
  ID_ROW(queue_settings),
  LIQ_PARAM("interactive", "bool", "true",
            "Should the queue be controllable via telnet? (cliq has no telnet server yet.)",
            LIQ_P_BOOL, queue_settings, interactive),
  LIQ_PARAM("prefetch", "int", "1",
            "How many requests should be queued in advance (the reader decodes one ahead).",
            LIQ_P_INT, queue_settings, prefetch),
  LIQ_PARAM("native", "bool", "false", "Use native implementation (cliq has only one).",
            LIQ_P_BOOL, queue_settings, native),
  LIQ_PARAM_SELF("queue", "[request]", "[]", "Initial queue of requests."),
  LIQ_PARAM("timeout", "float", "20.", "Timeout (in sec.) for a single download.", LIQ_P_FLOAT,
            queue_settings, timeout),
};

static liq_value request_value(liq_request *r)
{
  liq_value v = liq_gc_custom_new(&req_ops, sizeof(req_payload), 256);
  ((req_payload *)liq_gc_custom_payload(v))->req = r;
  return v;
}

/* The requests of a [request] list (borrowed, in a liq_mem array). */
static liq_request **request_list(liq_value list, int *n)
{
  list = liq_v_base(list);
  size_t len = liq_v_list_length(list);
  liq_request **a = liq_mem_calloc(len ? len : 1, sizeof *a);
  size_t i = 0;
  for (liq_value l = list; l != LIQ_NIL; l = liq_v_tail(l)) a[i++] = req_of(liq_v_head(l));
  *n = (int)len;
  return a;
}

static liq_value m_push(liq_call *c, liq_value d)
{
  liq_request_queue_push(liq_lib_source_of(d), req_of(liq_arg(c, 0)));
  return LIQ_UNIT;
}

static liq_value m_push_uri(liq_call *c, liq_value d)
{
  liq_request *r = liq_request_new(liq_arg_str(c, 0, NULL));
  liq_request_queue_push(liq_lib_source_of(d), r);
  liq_request_unref(r);
  return LIQ_UNIT;
}

static liq_value m_set_queue(liq_call *c, liq_value d)
{
  int n;
  liq_request **rs = request_list(liq_arg(c, 0), &n);
  liq_request_queue_set(liq_lib_source_of(d), rs, n);
  liq_mem_free(rs);
  return LIQ_UNIT;
}

static liq_value m_queue(liq_call *c, liq_value d)
{
  (void)c;
  int n;
  liq_request **rs = liq_request_queue_get(liq_lib_source_of(d), &n);
  liq_value *items = liq_eval_push(LIQ_NOVALUE);
  for (int i = 1; i < n; i++) liq_eval_push(LIQ_NOVALUE);
  /* Each block takes its request's reference as soon as it exists. */
  for (int i = 0; i < n; i++) {
    items[i] = request_value(rs[i]);
    rs[i] = NULL;
  }
  liq_value r = liq_v_list((size_t)n, items);
  liq_eval_pop(n ? n : 1);
  liq_mem_free(rs);
  return r;
}

static liq_value m_length(liq_call *c, liq_value d)
{
  (void)c;
  int n;
  liq_request **rs = liq_request_queue_get(liq_lib_source_of(d), &n);
  for (int i = 0; i < n; i++) liq_request_unref(rs[i]);
  liq_mem_free(rs);
  return liq_v_int(n);
}

LIQ_BUILTIN(b_queue)
{
  queue_settings o;
  liq_lib_unpack(c, LIQ_PARAMS(queue_params), &o);
  liq_value init = liq_lib_param_arg(c, LIQ_PARAMS(queue_params), "queue");
  int n = 0;
  liq_request **rs = init == LIQ_NOVALUE ? NULL : request_list(init, &n);
  liq_sb err = LIQ_SB_INIT;
  liq_source *s = liq_op_request_queue(o.id, rs, n, o.timeout, &err);
  liq_mem_free(rs);
  if (!s) liq_lib_raise_sb(&err);
  liq_sb_free(&err);
  static const char *const names[] = {"length", "push", "queue", "set_queue"};
  liq_value *base = liq_eval_push(liq_lib_source_value(liq_source_ref(s), 0, NULL, NULL));
  liq_value *m = liq_eval_push(LIQ_NOVALUE);
  for (int i = 1; i < 5; i++) liq_eval_push(LIQ_NOVALUE);
  m[0] = liq_v_builtin(m_length, "length", *base);
  m[1] = liq_v_builtin(m_push, "push", *base);
  m[4] = liq_v_builtin(m_push_uri, "push.uri", *base);
  m[1] = liq_v_meth_add(m[1], liq_sym_permanent("uri"), m[4]);
  m[2] = liq_v_builtin(m_queue, "queue", *base);
  m[3] = liq_v_builtin(m_set_queue, "set_queue", *base);
  liq_value r = liq_lib_source_value(s, 4, names, m);
  liq_eval_pop(6);
  return r;
}

#define SRC "source(audio='a, video='b, midi='c)"

static const liq_builtin_def request_defs[] = {
  {"single", NULL,
   "Loop on a request. It never fails if the request is static, meaning that it can be fetched "
   "once.",
   "Source / Input", b_single, LIQ_PARAMS(single_params), SRC},
  {"playlist", NULL, "Read a playlist or a directory and play all files.", "Source / Input",
   b_playlist, LIQ_PARAMS(playlist_params),
   SRC ".{reload : (?empty_queue : bool, ?uri : string?) -> unit, remaining_files : () -> [string]}"},
  {"request.queue", NULL, "Play a queue of requests (the first one is prefetched).",
   "Source / Track processing", b_queue, LIQ_PARAMS(queue_params),
   SRC ".{length : () -> int, push : ((request) -> unit).{uri : (string) -> unit}, "
   "queue : () -> [request], set_queue : ([request]) -> unit}"},
  {"request.create", NULL, "Create a request from an URI.", "Liquidsoap", b_create,
   LIQ_PARAMS(create_params), "request"},
  {"request.resolve", NULL, "Resolve a request, i.e. find and probe its file. Returns true on success.",
   "Liquidsoap", b_resolve, LIQ_PARAMS(resolve_params), "bool"},
  {"request.metadata", "(request) -> [(string * string)]", "Get the metadata of a request.",
   "Liquidsoap", b_metadata},
  {"request.filename", "(request) -> string",
   "Return a valid local filename if the request is ready, and the empty string otherwise.",
   "Liquidsoap", b_filename},
  {"request.uri", "(request) -> string", "Initial URI of a request.", "Liquidsoap", b_uri},
  {"request.id", "(request) -> int", "Identifier of a request.", "Liquidsoap", b_id},
  {"request.destroy", NULL, "Destroy a request (it can no longer be used).", "Liquidsoap",
   b_destroy, LIQ_PARAMS(destroy_params), "unit"},
  {"request.duration", "(string) -> float",
   "Compute the duration in seconds of audio data contained in a request. Returns -1. when it "
   "cannot be computed.",
   "Liquidsoap", b_duration},
};

const liq_lib_module liq_lib_request = {"request", request_defs, LIQ_NELEMS(request_defs), NULL, NULL};
