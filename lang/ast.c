/* ast: the tree's arena allocator and its S-expression printer.
 *
 * Dump format (liq_ast_dump), stable because parser tests compare it:
 *
 *   literals     (int 1) (float 1.5) (string "a\n") (bool true) (null)
 *                (interp "a" (var x) "b") (regexp "a/b" "gi")
 *                (time 12h30m) (interval 11h15m 13h)    units w h m s, as written
 *                (encoder mp3) (encoder mp3.vbr ())     no parens / empty parens
 *                (encoder ffmpeg ((format (string "mp4")) (flag stereo) (encoder audio ...)))
 *   names        (var x) (field E name) (field? E name)
 *   structure    (tuple) (tuple A B) (list A (spread B)) (record (a A) (spread R))
 *                (methods E (a A)) (index L K) (block S...) (thunk E) (cast E TYPE)
 *   calls        (app FN (ARG...)), ARG is E, (~label E) or (argsof a.f [x !y])
 *   functions    (fun (PARAM...) BODY), (fun NAME (PARAM...) BODY) for `def rec`
 *                PARAM is (param [~label] PAT [: TYPE] [= DEFAULT]) or (argsof ...)
 *   control      (if C T [E]) (while C B) (for i FROM TO B) (for-in x ITER B)
 *                (try B [(catch e [ERRORS] H)] [(finally F)])
 *   operators    (not E) (neg E) (deref E) (:= A B) (+ A B) for every binop
 *                (and A B) (or A B) (:: A B) (?? A B) (@ A B)
 *   statements   (let [KIND] PAT [(doc "...")] [: TYPE] VALUE), KIND among
 *                replaces eval json.parse yaml.parse xml.parse sqlite.row
 *                sqlite.query json.stringify, then [(opts ARG...)];
 *                `def` prints as (def [rec] [KIND] ...) with the same layout.
 *                (open E) (ifdef NAME THEN [ELSE]) (ifndef ...) (ifencoder mp3 ...)
 *                (ifversion >= 2.0.0 THEN [ELSE])
 *   patterns     x _ (ptuple P...) (plist P... (... rest) P...) (plist (...))
 *                (precord a b? (c P) (... r)) (pmeth P (a b?)) (ppath a b c)
 *   types        int 'a _ (? T) (list T) (list-json T) (tuple T...)
 *                (-> (ARG...) T) ARG is T, (l T), (?l T) or (? T)
 *                (record (a T) (b? T) ("k" as k T)) (meth T (a T)) (meth? T ...)
 *                (ref int) i.e. (NAME T...) for a type with arguments,
 *                source (source _) (source (audio pcm(stereo)) (video none) ...)
 *                and (format ...) alike.
 * Strings are printed in double quotes with C escapes; floats with the
 * shortest decimal form that reads back the same (exponent only for very
 * large or small numbers), always with a '.', 'e', "inf" or "nan" so they
 * never look like ints: (float 1.) (float 0.5) (float 1e+20). */
#include "lang/ast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/mem.h"
#include "runtime/strbuf.h"

/* --- Arena ---------------------------------------------------------------- */

/* Chunks are chained; a request larger than a quarter of the chunk size gets
 * a chunk of its own so big arrays do not waste the rest of a chunk. Chunk
 * sizes double from ARENA_CHUNK to ARENA_CHUNK_MAX, so big trees take few
 * chunks. Chunks come zeroed from liq_mem_calloc (for large sizes the
 * allocator hands out fresh, already-zero pages), and as the arena never
 * hands memory out twice, allocations need no clearing. */
#define ARENA_CHUNK (64 * 1024)
#define ARENA_CHUNK_MAX (2 * 1024 * 1024)

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t used, size; /* of data */
  max_align_t data[];
} arena_chunk;

struct liq_ast_arena {
  arena_chunk *head;
  size_t chunk; /* size of the next ordinary chunk, 0 before the first */
};

liq_ast_arena *liq_ast_arena_new(void)
{
  return liq_mem_calloc(1, sizeof(liq_ast_arena));
}

void liq_ast_arena_free(liq_ast_arena *arena)
{
  if (!arena) return;
  arena_chunk *c = arena->head;
  while (c) {
    arena_chunk *next = c->next;
    liq_mem_free(c);
    c = next;
  }
  liq_mem_free(arena);
}

/* A chunk of `total` bytes, header included. */
static arena_chunk *chunk_new(size_t total)
{
  arena_chunk *c = liq_mem_calloc(1, total);
  c->size = total - sizeof(arena_chunk);
  return c;
}

void *liq_ast_alloc(liq_ast_arena *arena, size_t size)
{
  /* 8 bytes is all a tree needs (pointers, int64_t, double) */
  const size_t align = 8;
  size = (size + align - 1) / align * align;
  if (size == 0) size = align;
  arena_chunk *c = arena->head;
  if (!c || c->size - c->used < size) {
    if (!arena->chunk) arena->chunk = ARENA_CHUNK;
    else if (arena->chunk < ARENA_CHUNK_MAX && size <= arena->chunk / 4) arena->chunk *= 2;
    int own = size > arena->chunk / 4;
    arena_chunk *n = chunk_new(own ? sizeof(arena_chunk) + size : arena->chunk);
    if (c && own) {
      /* a dedicated chunk goes behind the current one, which keeps its room */
      n->next = c->next;
      c->next = n;
    } else {
      n->next = c;
      arena->head = n;
    }
    c = n;
  }
  void *p = (char *)c->data + c->used;
  c->used += size;
  return p;
}

char *liq_ast_strndup(liq_ast_arena *arena, const char *s, size_t len)
{
  char *p = liq_ast_alloc(arena, len + 1);
  memcpy(p, s, len);
  p[len] = 0;
  return p;
}

/* --- Dump ------------------------------------------------------------------ */

static void dump_expr(liq_sb *out, const liq_ast *n);

static void dump_string(liq_sb *out, const char *s, size_t len)
{
  liq_sb_putc(out, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': liq_sb_puts(out, "\\\""); break;
    case '\\': liq_sb_puts(out, "\\\\"); break;
    case '\n': liq_sb_puts(out, "\\n"); break;
    case '\t': liq_sb_puts(out, "\\t"); break;
    case '\r': liq_sb_puts(out, "\\r"); break;
    default:
      if (c < 0x20 || c == 0x7f) liq_sb_printf(out, "\\x%02x", c);
      else liq_sb_putc(out, (char)c);
    }
  }
  liq_sb_putc(out, '"');
}

static void dump_cstr(liq_sb *out, const char *s) { dump_string(out, s, strlen(s)); }

/* A label or flag: bare when it is a plain name, quoted otherwise. */
static void dump_name(liq_sb *out, const char *s)
{
  int plain = *s != 0;
  for (const char *p = s; *p; p++)
    if (!(((unsigned char)*p >= 0x80) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '\''))
      plain = 0;
  if (plain) liq_sb_puts(out, s);
  else dump_cstr(out, s);
}

static void dump_float(liq_sb *out, double f)
{
  if (isnan(f)) {
    liq_sb_puts(out, "nan");
    return;
  }
  if (isinf(f)) {
    liq_sb_puts(out, f > 0 ? "inf" : "-inf");
    return;
  }
  char buf[64];
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(buf, sizeof buf, "%.*g", prec, f);
    if (strtod(buf, NULL) == f) break;
  }
  if (strchr(buf, 'e') && fabs(f) >= 1e-4 && fabs(f) < 1e15)
    /* 1000. rather than 1e+03 */
    for (int prec = 0; prec <= 17; prec++) {
      snprintf(buf, sizeof buf, "%.*f", prec, f);
      if (strtod(buf, NULL) == f) break;
    }
  liq_sb_puts(out, buf);
  if (!strpbrk(buf, ".e")) liq_sb_puts(out, ".");
}

static void dump_time_point(liq_sb *out, liq_ast_time_point p)
{
  if (p.week >= 0) liq_sb_printf(out, "%dw", p.week);
  if (p.hour >= 0) liq_sb_printf(out, "%dh", p.hour);
  if (p.min >= 0) liq_sb_printf(out, "%dm", p.min);
  if (p.sec >= 0) liq_sb_printf(out, "%ds", p.sec);
}

static void dump_fields(liq_sb *out, const liq_ast_type_field *f, int n)
{
  for (int i = 0; i < n; i++) {
    liq_sb_puts(out, " (");
    if (f[i].json_name) {
      dump_cstr(out, f[i].json_name);
      liq_sb_puts(out, " as ");
    }
    dump_name(out, f[i].name);
    if (f[i].optional) liq_sb_putc(out, '?');
    liq_sb_putc(out, ' ');
    liq_ast_dump_type(out, f[i].type);
    liq_sb_putc(out, ')');
  }
}

void liq_ast_dump_type(liq_sb *out, const liq_ast_type *t)
{
  switch (t->kind) {
  case LIQ_TY_NAME:
    if (t->u.name.nargs == 0) {
      liq_sb_puts(out, t->u.name.name);
      break;
    }
    liq_sb_printf(out, "(%s", t->u.name.name);
    for (int i = 0; i < t->u.name.nargs; i++) {
      liq_sb_putc(out, ' ');
      liq_ast_dump_type(out, t->u.name.args[i]);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_TY_VAR: liq_sb_printf(out, "'%s", t->u.var.name); break;
  case LIQ_TY_WILD: liq_sb_putc(out, '_'); break;
  case LIQ_TY_NULLABLE:
    liq_sb_puts(out, "(? ");
    liq_ast_dump_type(out, t->u.nullable.inner);
    liq_sb_putc(out, ')');
    break;
  case LIQ_TY_LIST:
    liq_sb_puts(out, t->u.list.json_object ? "(list-json " : "(list ");
    liq_ast_dump_type(out, t->u.list.elem);
    liq_sb_putc(out, ')');
    break;
  case LIQ_TY_TUPLE:
    liq_sb_puts(out, "(tuple");
    for (int i = 0; i < t->u.tuple.nitems; i++) {
      liq_sb_putc(out, ' ');
      liq_ast_dump_type(out, t->u.tuple.items[i]);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_TY_ARROW:
    liq_sb_puts(out, "(-> (");
    for (int i = 0; i < t->u.arrow.nparams; i++) {
      const liq_ast_type_param *p = &t->u.arrow.params[i];
      if (i) liq_sb_putc(out, ' ');
      if (p->label || p->optional) {
        liq_sb_printf(out, "(%s%s ", p->optional ? "?" : "", p->label ? p->label : "");
        liq_ast_dump_type(out, p->type);
        liq_sb_putc(out, ')');
      } else {
        liq_ast_dump_type(out, p->type);
      }
    }
    liq_sb_puts(out, ") ");
    liq_ast_dump_type(out, t->u.arrow.ret);
    liq_sb_putc(out, ')');
    break;
  case LIQ_TY_RECORD:
    liq_sb_puts(out, "(record");
    dump_fields(out, t->u.record.fields, t->u.record.nfields);
    liq_sb_putc(out, ')');
    break;
  case LIQ_TY_METH:
    liq_sb_puts(out, t->u.meth.optional_base ? "(meth? " : "(meth ");
    liq_ast_dump_type(out, t->u.meth.base);
    dump_fields(out, t->u.meth.fields, t->u.meth.nfields);
    liq_sb_putc(out, ')');
    break;
  case LIQ_TY_SOURCE:
    if (!t->u.source.has_tracks) {
      liq_sb_puts(out, t->u.source.ctor);
      break;
    }
    liq_sb_printf(out, "(%s", t->u.source.ctor);
    if (t->u.source.wild) liq_sb_puts(out, " _");
    for (int i = 0; i < t->u.source.ntracks; i++) {
      const liq_ast_track *tr = &t->u.source.tracks[i];
      liq_sb_printf(out, " (%s ", tr->track);
      if (tr->var) liq_sb_printf(out, "'%s", tr->var);
      else liq_sb_puts(out, tr->kind ? tr->kind : "_");
      if (tr->has_args) {
        liq_sb_putc(out, '(');
        for (int j = 0; j < tr->nargs; j++) {
          if (j) liq_sb_putc(out, ',');
          if (tr->args[j].label) liq_sb_printf(out, "%s=", tr->args[j].label);
          liq_sb_puts(out, tr->args[j].value);
        }
        liq_sb_putc(out, ')');
      }
      liq_sb_putc(out, ')');
    }
    if (t->u.source.open) liq_sb_puts(out, " ...");
    liq_sb_putc(out, ')');
    break;
  }
}

static void dump_pat_fields(liq_sb *out, const liq_ast_pat_field *f, int n)
{
  for (int i = 0; i < n; i++) {
    if (i) liq_sb_putc(out, ' ');
    if (f[i].pat) {
      liq_sb_printf(out, "(%s ", f[i].name);
      liq_ast_dump_pat(out, f[i].pat);
      liq_sb_putc(out, ')');
    } else {
      liq_sb_printf(out, "%s%s", f[i].name, f[i].optional ? "?" : "");
    }
  }
}

void liq_ast_dump_pat(liq_sb *out, const liq_ast_pat *p)
{
  switch (p->kind) {
  case LIQ_PAT_VAR: liq_sb_puts(out, p->u.var.name); break;
  case LIQ_PAT_WILD: liq_sb_putc(out, '_'); break;
  case LIQ_PAT_TUPLE:
    liq_sb_puts(out, "(ptuple");
    for (int i = 0; i < p->u.tuple.nitems; i++) {
      liq_sb_putc(out, ' ');
      liq_ast_dump_pat(out, p->u.tuple.items[i]);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_PAT_LIST:
    liq_sb_puts(out, "(plist");
    for (int i = 0; i < p->u.list.nbefore; i++) {
      liq_sb_putc(out, ' ');
      liq_ast_dump_pat(out, p->u.list.before[i]);
    }
    if (p->u.list.has_spread)
      liq_sb_printf(out, p->u.list.spread ? " (... %s)" : " (...)",
                    p->u.list.spread ? p->u.list.spread : "");
    for (int i = 0; i < p->u.list.nafter; i++) {
      liq_sb_putc(out, ' ');
      liq_ast_dump_pat(out, p->u.list.after[i]);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_PAT_RECORD:
    liq_sb_puts(out, "(precord");
    if (p->u.record.nfields) liq_sb_putc(out, ' ');
    dump_pat_fields(out, p->u.record.fields, p->u.record.nfields);
    if (p->u.record.has_spread)
      liq_sb_printf(out, p->u.record.spread ? " (... %s)" : " (...)",
                    p->u.record.spread ? p->u.record.spread : "");
    liq_sb_putc(out, ')');
    break;
  case LIQ_PAT_METH:
    liq_sb_puts(out, "(pmeth ");
    liq_ast_dump_pat(out, p->u.meth.base);
    liq_sb_puts(out, " (");
    dump_pat_fields(out, p->u.meth.fields, p->u.meth.nfields);
    liq_sb_puts(out, "))");
    break;
  case LIQ_PAT_PATH:
    liq_sb_puts(out, "(ppath");
    for (int i = 0; i < p->u.path.nnames; i++) liq_sb_printf(out, " %s", p->u.path.names[i]);
    liq_sb_putc(out, ')');
    break;
  }
}

static void dump_argsof(liq_sb *out, const liq_ast_argsof *a)
{
  liq_sb_puts(out, "(argsof ");
  for (int i = 0; i < a->npath; i++) liq_sb_printf(out, "%s%s", i ? "." : "", a->path[i]);
  if (a->names) {
    liq_sb_puts(out, " [");
    for (int i = 0; i < a->nnames; i++)
      liq_sb_printf(out, "%s%s%s", i ? " " : "", a->excluded[i] ? "!" : "", a->names[i]);
    liq_sb_putc(out, ']');
  }
  liq_sb_putc(out, ')');
}

static void dump_args(liq_sb *out, const liq_ast_arg *args, int n)
{
  liq_sb_putc(out, '(');
  for (int i = 0; i < n; i++) {
    if (i) liq_sb_putc(out, ' ');
    if (args[i].argsof) {
      dump_argsof(out, args[i].argsof);
    } else if (args[i].label) {
      liq_sb_printf(out, "(~%s ", args[i].label);
      dump_expr(out, args[i].value);
      liq_sb_putc(out, ')');
    } else {
      dump_expr(out, args[i].value);
    }
  }
  liq_sb_putc(out, ')');
}

static void dump_params(liq_sb *out, const liq_ast_param *ps, int n)
{
  liq_sb_putc(out, '(');
  for (int i = 0; i < n; i++) {
    const liq_ast_param *p = &ps[i];
    if (i) liq_sb_putc(out, ' ');
    if (p->argsof) {
      dump_argsof(out, p->argsof);
      continue;
    }
    liq_sb_puts(out, "(param ");
    if (p->label) liq_sb_printf(out, "~%s ", p->label);
    liq_ast_dump_pat(out, p->pat);
    if (p->type) {
      liq_sb_puts(out, " : ");
      liq_ast_dump_type(out, p->type);
    }
    if (p->def) {
      liq_sb_puts(out, " = ");
      dump_expr(out, p->def);
    }
    liq_sb_putc(out, ')');
  }
  liq_sb_putc(out, ')');
}

static void dump_list(liq_sb *out, const char *head, liq_ast *const *items, int n)
{
  liq_sb_printf(out, "(%s", head);
  for (int i = 0; i < n; i++) {
    liq_sb_putc(out, ' ');
    dump_expr(out, items[i]);
  }
  liq_sb_putc(out, ')');
}

static void dump2(liq_sb *out, const char *head, const liq_ast *a, const liq_ast *b)
{
  liq_sb_printf(out, "(%s ", head);
  dump_expr(out, a);
  if (b) {
    liq_sb_putc(out, ' ');
    dump_expr(out, b);
  }
  liq_sb_putc(out, ')');
}

static const char *let_kind_name(liq_ast_let_kind k)
{
  switch (k) {
  case LIQ_LET_PLAIN: return NULL;
  case LIQ_LET_REPLACES: return "replaces";
  case LIQ_LET_EVAL: return "eval";
  case LIQ_LET_JSON_PARSE: return "json.parse";
  case LIQ_LET_YAML_PARSE: return "yaml.parse";
  case LIQ_LET_XML_PARSE: return "xml.parse";
  case LIQ_LET_SQLITE_ROW: return "sqlite.row";
  case LIQ_LET_SQLITE_QUERY: return "sqlite.query";
  case LIQ_LET_JSON_STRINGIFY: return "json.stringify";
  }
  return NULL;
}

static void dump_record_fields(liq_sb *out, const liq_ast *n)
{
  for (int i = 0; i < n->u.record.nfields; i++) {
    const struct liq_ast_record_field *f = &n->u.record.fields[i];
    if (f->name) {
      liq_sb_printf(out, " (%s ", f->name);
      dump_expr(out, f->value);
      liq_sb_putc(out, ')');
    } else {
      liq_sb_putc(out, ' ');
      dump2(out, "spread", f->value, NULL);
    }
  }
}

static void dump_expr(liq_sb *out, const liq_ast *n)
{
  switch (n->kind) {
  case LIQ_AST_INT: liq_sb_printf(out, "(int %lld)", (long long)n->u.i); break;
  case LIQ_AST_FLOAT:
    liq_sb_puts(out, "(float ");
    dump_float(out, n->u.f);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_STRING:
    liq_sb_puts(out, "(string ");
    dump_string(out, n->u.str.s, n->u.str.len);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_BOOL: liq_sb_puts(out, n->u.b ? "(bool true)" : "(bool false)"); break;
  case LIQ_AST_NULL: liq_sb_puts(out, "(null)"); break;
  case LIQ_AST_INTERP:
    liq_sb_puts(out, "(interp");
    for (int i = 0; i < n->u.interp.nparts; i++) {
      const liq_ast_interp_part *p = &n->u.interp.parts[i];
      liq_sb_putc(out, ' ');
      if (p->expr) dump_expr(out, p->expr);
      else dump_string(out, p->str, p->len);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_REGEXP:
    liq_sb_puts(out, "(regexp ");
    dump_string(out, n->u.regexp.pattern, n->u.regexp.len);
    liq_sb_putc(out, ' ');
    dump_cstr(out, n->u.regexp.flags);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_TIME:
    liq_sb_puts(out, n->u.time.is_interval ? "(interval " : "(time ");
    dump_time_point(out, n->u.time.from);
    if (n->u.time.is_interval) {
      liq_sb_putc(out, ' ');
      dump_time_point(out, n->u.time.to);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_ENCODER:
    liq_sb_printf(out, "(encoder %s", n->u.enc.name);
    if (n->u.enc.has_params) {
      liq_sb_puts(out, " (");
      for (int i = 0; i < n->u.enc.nparams; i++) {
        const liq_ast_enc_param *p = &n->u.enc.params[i];
        if (i) liq_sb_putc(out, ' ');
        if (p->label) {
          liq_sb_putc(out, '(');
          dump_name(out, p->label);
          liq_sb_putc(out, ' ');
          dump_expr(out, p->value);
          liq_sb_putc(out, ')');
        } else if (p->value) {
          dump_expr(out, p->value);
        } else {
          liq_sb_puts(out, "(flag ");
          dump_name(out, p->flag);
          liq_sb_putc(out, ')');
        }
      }
      liq_sb_putc(out, ')');
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_VAR: liq_sb_printf(out, "(var %s)", n->u.var.name); break;
  case LIQ_AST_TUPLE: dump_list(out, "tuple", n->u.items.items, n->u.items.nitems); break;
  case LIQ_AST_LIST: dump_list(out, "list", n->u.items.items, n->u.items.nitems); break;
  case LIQ_AST_SPREAD: dump2(out, "spread", n->u.unary.e, NULL); break;
  case LIQ_AST_RECORD:
    liq_sb_puts(out, "(record");
    dump_record_fields(out, n);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_METHODS:
    liq_sb_puts(out, "(methods ");
    dump_expr(out, n->u.record.base);
    dump_record_fields(out, n);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_FIELD:
    liq_sb_puts(out, n->u.field.optional ? "(field? " : "(field ");
    dump_expr(out, n->u.field.e);
    liq_sb_printf(out, " %s)", n->u.field.name);
    break;
  case LIQ_AST_APP:
    liq_sb_puts(out, "(app ");
    dump_expr(out, n->u.app.fn);
    liq_sb_putc(out, ' ');
    dump_args(out, n->u.app.args, n->u.app.nargs);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_INDEX: dump2(out, "index", n->u.binary.left, n->u.binary.right); break;
  case LIQ_AST_FUN:
    liq_sb_puts(out, "(fun ");
    if (n->u.fun.name) liq_sb_printf(out, "%s ", n->u.fun.name);
    dump_params(out, n->u.fun.params, n->u.fun.nparams);
    liq_sb_putc(out, ' ');
    dump_expr(out, n->u.fun.body);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_BLOCK: dump_list(out, "block", n->u.block.stmts, n->u.block.nstmts); break;
  case LIQ_AST_THUNK: dump2(out, "thunk", n->u.unary.e, NULL); break;
  case LIQ_AST_CAST:
    liq_sb_puts(out, "(cast ");
    dump_expr(out, n->u.cast.e);
    liq_sb_putc(out, ' ');
    liq_ast_dump_type(out, n->u.cast.type);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_IF:
    liq_sb_puts(out, "(if ");
    dump_expr(out, n->u.cond.cond);
    liq_sb_putc(out, ' ');
    dump_expr(out, n->u.cond.then_);
    if (n->u.cond.else_) {
      liq_sb_putc(out, ' ');
      dump_expr(out, n->u.cond.else_);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_WHILE: dump2(out, "while", n->u.loop.cond, n->u.loop.body); break;
  case LIQ_AST_FOR:
    liq_sb_printf(out, "(%s %s ", n->u.loop.to ? "for" : "for-in", n->u.loop.var);
    dump_expr(out, n->u.loop.from);
    if (n->u.loop.to) {
      liq_sb_putc(out, ' ');
      dump_expr(out, n->u.loop.to);
    }
    liq_sb_putc(out, ' ');
    dump_expr(out, n->u.loop.body);
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_TRY:
    liq_sb_puts(out, "(try ");
    dump_expr(out, n->u.try_.body);
    if (n->u.try_.handler) {
      liq_sb_printf(out, " (catch %s ", n->u.try_.var);
      if (n->u.try_.errors) {
        dump_expr(out, n->u.try_.errors);
        liq_sb_putc(out, ' ');
      }
      dump_expr(out, n->u.try_.handler);
      liq_sb_putc(out, ')');
    }
    if (n->u.try_.finally_) {
      liq_sb_putc(out, ' ');
      dump2(out, "finally", n->u.try_.finally_, NULL);
    }
    liq_sb_putc(out, ')');
    break;
  case LIQ_AST_NOT: dump2(out, "not", n->u.unary.e, NULL); break;
  case LIQ_AST_NEG: dump2(out, "neg", n->u.unary.e, NULL); break;
  case LIQ_AST_DEREF: dump2(out, "deref", n->u.unary.e, NULL); break;
  case LIQ_AST_ASSIGN: dump2(out, ":=", n->u.binary.left, n->u.binary.right); break;
  case LIQ_AST_BINOP: dump2(out, n->u.binop.op, n->u.binop.left, n->u.binop.right); break;
  case LIQ_AST_AND: dump2(out, "and", n->u.binary.left, n->u.binary.right); break;
  case LIQ_AST_OR: dump2(out, "or", n->u.binary.left, n->u.binary.right); break;
  case LIQ_AST_CONS: dump2(out, "::", n->u.binary.left, n->u.binary.right); break;
  case LIQ_AST_COALESCE: dump2(out, "??", n->u.binary.left, n->u.binary.right); break;
  case LIQ_AST_PIPE: dump2(out, "@", n->u.binary.left, n->u.binary.right); break;
  case LIQ_AST_LET: {
    const char *kind = let_kind_name(n->u.let.kind);
    liq_sb_puts(out, n->u.let.is_def ? "(def " : "(let ");
    if (n->u.let.recursive) liq_sb_puts(out, "rec ");
    if (kind) liq_sb_printf(out, "%s ", kind);
    if (n->u.let.nopts) {
      liq_sb_puts(out, "(opts ");
      dump_args(out, n->u.let.opts, n->u.let.nopts);
      liq_sb_puts(out, ") ");
    }
    liq_ast_dump_pat(out, n->u.let.pat);
    if (n->u.let.doc) {
      liq_sb_puts(out, " (doc ");
      dump_cstr(out, n->u.let.doc);
      liq_sb_putc(out, ')');
    }
    if (n->u.let.type) {
      liq_sb_puts(out, " : ");
      liq_ast_dump_type(out, n->u.let.type);
    }
    liq_sb_putc(out, ' ');
    dump_expr(out, n->u.let.value);
    liq_sb_putc(out, ')');
    break;
  }
  case LIQ_AST_OPEN: dump2(out, "open", n->u.unary.e, NULL); break;
  case LIQ_AST_IFDEF: {
    static const char *const heads[] = {"ifdef", "ifndef", "ifencoder", "ifnencoder", "ifversion"};
    liq_sb_printf(out, "(%s ", heads[n->u.ifdef.kind]);
    if (n->u.ifdef.op) liq_sb_printf(out, "%s ", n->u.ifdef.op);
    liq_sb_printf(out, "%s ", n->u.ifdef.name);
    dump_expr(out, n->u.ifdef.then_);
    if (n->u.ifdef.else_) {
      liq_sb_putc(out, ' ');
      dump_expr(out, n->u.ifdef.else_);
    }
    liq_sb_putc(out, ')');
    break;
  }
  }
}

void liq_ast_dump(liq_sb *out, const liq_ast *node)
{
  dump_expr(out, node);
}
