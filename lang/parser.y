/* parser: the bison grammar of the Liquidsoap language (reference §2, HEAD
 * syntax plus the unambiguous 2.1 forms).
 *
 * A pure LALR(1) parser; conflicts are resolved with precedence only
 * (%expect 0). Its names carry the prefix liq_yy, as the scanner's do
 * (liq_yyparse, LIQ_YYSTYPE, LIQ_YYLTYPE). yylex below (liq_yylex) is the
 * token filter between the flex scanner (liq_lex_scan) and the grammar: it
 * handles %define, doc comments, the stack of open brackets/blocks used by
 * diagnostics, and skipping after a syntax error.
 *
 * Memory: every semantic value is allocated in the tree's arena, so popping
 * values during error recovery leaks nothing and no %destructor is needed.
 *
 * Choices worth knowing (see the reference's §2.2 for the precedence table):
 *   - `c ? a : b` takes the precedence of `:` (high), so
 *     `true ? 1 : 2 + 10` is `(true ? 1 : 2) + 10`, as in Liquidsoap;
 *   - `or` binds tighter than `and`, `not` looser than comparisons, `??`
 *     tighter than `+` and non-associative, `::` tighter than `+`;
 *   - unary minus binds tightest: `-x.f` is `(-x).f` (HEAD);
 *   - `null` alone is LIQ_AST_NULL, while `null(...)` (2.1) is an
 *     application of the variable `null` and `null.f` a field of it;
 *   - `_` in expression position is the variable `_` (2.1 writes `~x=_`);
 *     later phases reject other uses;
 *   - `x = e` accepts any left-hand side that reads as a pattern (HEAD):
 *     a name, `_`, tuples, lists, `a.b.c` paths and `(p : t)`;
 *   - `{` starts a record iff it is followed by `name =` or `...`, so the
 *     first statement of a thunk cannot be a bare `x = e` binding;
 *   - %ifdef & co are grammar nodes (HEAD): both branches must parse. */

%code requires {
#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"
#include "lang/frontend.h"
#include "runtime/strbuf.h"

/* The token filter drops everything after this many errors. */
#define LIQ_MAX_ERRORS 20

typedef struct { const char *s; size_t len; } liq_lit;
/* An arena-grown array of pointers, for lists built by the grammar. */
typedef struct { void **v; int n, cap; } liq_vec;

/* A preprocessor test: %ifdef name, %ifversion >= 2.0, ... */
typedef struct { liq_ast_ifdef_kind kind; const char *name; const char *op; } liq_pp;
typedef struct { liq_ast_let_kind kind; int recursive; const char *doc; } liq_letkw;
typedef struct { liq_ast_time_point from, to; int is_interval; } liq_time;
typedef struct { const char *pat; size_t len; const char *flags; } liq_re;
/* What follows `def`: a name or path, its parameters when it is a function. */
typedef struct { liq_ast_pat *pat; liq_ast_type *type; liq_vec params; int is_fun; } liq_defhead;

typedef enum { LIQ_INCLUDE_LOCAL, LIQ_INCLUDE_LIB, LIQ_INCLUDE_EXTRA } liq_include_kind;

/* One %include'd file being read: the includer's state to come back to,
 * and the included file's real path (for cycle detection). */
typedef struct {
  int src;
  int32_t line, col;
  uint32_t off;
  char *dir;
  char *real;
} liq_incl_frame;

/* An opened bracket or block, for "never closed" diagnostics. */
typedef struct {
  int tok;
  liq_span span;
  const char *callee; /* a `(` starting a line right after this name, else NULL */
} liq_opener;

typedef struct {
  const char *name;
  int tok;            /* INT, FLOAT, STRING, TRUE or FALSE */
  int64_t i;
  double f;
  liq_lit str;
} liq_define;

/* The state shared by the scanner, the token filter and the grammar. */
typedef struct liq_pstate {
  liq_ast_arena *arena;
  const liq_parse_opts *opts;
  void *scanner;
  /* scanner position in the current buffer */
  int src;
  int32_t line, col;
  uint32_t off;
  int32_t tok_line, tok_col;
  uint32_t tok_off;
  char *dir;       /* directory of the current file, for %include "..." */
  char *root_real; /* real path of the main file, NULL for text */
  liq_incl_frame *incl;
  int nincl, capincl;
  /* scanner state for strings, interpolations, comments */
  liq_sb sb;
  liq_span str_open;
  char quote;
  int str_cont; /* the chunk follows an interpolation */
  int str_esc;  /* the string is delimited by \" (see the scanner) */
  struct { char quote; int esc; int depth; liq_span open; } *interp;
  int ninterp, capinterp;
  int comment_depth;
  liq_span comment_open;
  char *raw_id;
  int type_mode; /* > 0 while the parser reads a type: `'a` is a TYVAR */
  /* token filter */
  int prev_tok;      /* the last token passed to the parser (its lookahead) */
  liq_span prev_span;
  int before_tok;    /* the token before it */
  liq_span before_span;
  int eof_reported;  /* the scanner already reported what is open at EOF */
  liq_sb doc;
  int doc_src, doc_line; /* last doc comment line, doc_line 0 = none */
  int last_tok_src, last_tok_line;
  liq_opener *open;
  int nopen, capopen;
  liq_define *defs;
  int ndefs, capdefs;
  int resync; /* skipping tokens after a syntax error */
  int nerrors;
  liq_ast *result;
  /* The type entry (liq_parse_type_text): the filter first hands the
   * parser start_token (START_TYPE), and the type read lands in
   * type_result. */
  int start_token;
  liq_ast_type *type_result;
} liq_pstate;

/* frontend.c */
void liq_fe_error(liq_pstate *ps, liq_span span, const char *hint, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));
void liq_fe_include(liq_pstate *ps, const char *directive, liq_include_kind kind, liq_span at);
void liq_fe_include_pop(liq_pstate *ps);
void liq_fe_comment(liq_pstate *ps, const char *text, size_t len, liq_span span);
/* lexer.l */
void liq_lex_start(liq_pstate *ps, int src);
void liq_lex_push(liq_pstate *ps, int src);
void liq_lex_finish(liq_pstate *ps);
}

%code provides {
/* lexer.l: the scanner's next token (flex's yylex, named by YY_DECL). */
int liq_lex_scan(LIQ_YYSTYPE *lval, LIQ_YYLTYPE *lloc, void *scanner);
}

%code {
#include <string.h>

#include "lang/diag.h"
#include "runtime/mem.h"

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, liq_pstate *ps);

#define YYLLOC_DEFAULT(Cur, Rhs, N)                                  \
  do {                                                               \
    if (N == 1) {                                                    \
      (Cur) = YYRHSLOC(Rhs, 1);                                      \
    } else if (N) {                                                  \
      (Cur) = cover(YYRHSLOC(Rhs, 1), YYRHSLOC(Rhs, N));             \
    } else {                                                         \
      (Cur) = YYRHSLOC(Rhs, 0);                                      \
      (Cur).line = (Cur).end_line;                                   \
      (Cur).col = (Cur).end_col;                                     \
      (Cur).start = (Cur).end;                                       \
    }                                                                \
  } while (0)

#define ARENA (ps->arena)
#define NEW(T) ((T *)liq_ast_alloc(ARENA, sizeof(T)))

/* From the start of a to the end of b (a's file wins when they differ). */
static liq_span cover(liq_span a, liq_span b)
{
  if (a.file != b.file || b.end < a.start) return a;
  a.end_line = b.end_line;
  a.end_col = b.end_col;
  a.end = b.end;
  return a;
}

static void vpush(liq_pstate *ps, liq_vec *v, void *x)
{
  if (v->n == v->cap) {
    int cap = v->cap ? 2 * v->cap : 4;
    void **nv = liq_ast_alloc(ARENA, sizeof(void *) * (size_t)cap);
    if (v->n) memcpy(nv, v->v, sizeof(void *) * (size_t)v->n);
    v->v = nv;
    v->cap = cap;
  }
  v->v[v->n++] = x;
}

static liq_vec vone(liq_pstate *ps, void *x)
{
  liq_vec v = {NULL, 0, 0};
  vpush(ps, &v, x);
  return v;
}

static liq_vec vempty(void)
{
  liq_vec v = {NULL, 0, 0};
  return v;
}

/* Copies a vector of pointers to structs of size `size` into one array. */
static void *flatten(liq_pstate *ps, liq_vec v, size_t size)
{
  if (!v.n) return NULL;
  char *a = liq_ast_alloc(ARENA, size * (size_t)v.n);
  for (int i = 0; i < v.n; i++) memcpy(a + size * (size_t)i, v.v[i], size);
  return a;
}

static liq_ast *mk(liq_pstate *ps, liq_ast_kind kind, liq_span span)
{
  liq_ast *n = NEW(liq_ast);
  n->kind = kind;
  n->span = span;
  return n;
}

static liq_ast *mk_var(liq_pstate *ps, const char *name, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_VAR, span);
  n->u.var.name = name;
  return n;
}

static liq_ast *mk_unary(liq_pstate *ps, liq_ast_kind kind, liq_ast *e, liq_span span)
{
  liq_ast *n = mk(ps, kind, span);
  n->u.unary.e = e;
  return n;
}

static liq_ast *mk_binary(liq_pstate *ps, liq_ast_kind kind, liq_ast *l, liq_ast *r, liq_span span)
{
  liq_ast *n = mk(ps, kind, span);
  n->u.binary.left = l;
  n->u.binary.right = r;
  return n;
}

static liq_ast *mk_binop(liq_pstate *ps, const char *op, liq_ast *l, liq_ast *r, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_BINOP, span);
  n->u.binop.op = op;
  n->u.binop.left = l;
  n->u.binop.right = r;
  return n;
}

static liq_ast *mk_field(liq_pstate *ps, liq_ast *e, const char *name, int optional,
                         liq_span name_span, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_FIELD, span);
  n->u.field.e = e;
  n->u.field.name = name;
  n->u.field.optional = optional;
  n->u.field.name_span = name_span;
  return n;
}

static liq_ast *mk_app(liq_pstate *ps, liq_ast *fn, liq_vec args, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_APP, span);
  n->u.app.fn = fn;
  n->u.app.args = flatten(ps, args, sizeof(liq_ast_arg));
  n->u.app.nargs = args.n;
  return n;
}

static liq_ast *mk_items(liq_pstate *ps, liq_ast_kind kind, liq_vec items, liq_span span)
{
  liq_ast *n = mk(ps, kind, span);
  n->u.items.items = (liq_ast **)items.v;
  n->u.items.nitems = items.n;
  return n;
}

static liq_ast *mk_block(liq_pstate *ps, liq_vec stmts, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_BLOCK, span);
  n->u.block.stmts = (liq_ast **)stmts.v;
  n->u.block.nstmts = stmts.n;
  return n;
}

/* A block of one plain expression is that expression. */
static liq_ast *unblock(liq_ast *b)
{
  if (b->kind == LIQ_AST_BLOCK && b->u.block.nstmts == 1) {
    liq_ast *s = b->u.block.stmts[0];
    if (s->kind != LIQ_AST_LET && s->kind != LIQ_AST_OPEN && s->kind != LIQ_AST_IFDEF) return s;
  }
  return b;
}

static liq_ast *mk_record(liq_pstate *ps, liq_ast_kind kind, liq_ast *base, liq_vec fields,
                          liq_span span)
{
  liq_ast *n = mk(ps, kind, span);
  n->u.record.base = base;
  n->u.record.fields = flatten(ps, fields, sizeof(struct liq_ast_record_field));
  n->u.record.nfields = fields.n;
  return n;
}

static liq_ast *mk_fun(liq_pstate *ps, liq_vec params, liq_ast *body, const char *name, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_FUN, span);
  n->u.fun.params = flatten(ps, params, sizeof(liq_ast_param));
  n->u.fun.nparams = params.n;
  n->u.fun.body = body;
  n->u.fun.name = name;
  return n;
}

static liq_ast *mk_let(liq_pstate *ps, liq_ast_let_kind kind, liq_ast_pat *pat, liq_ast_type *type,
                       liq_ast *value, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_LET, span);
  n->u.let.kind = kind;
  n->u.let.pat = pat;
  n->u.let.type = type;
  n->u.let.value = value;
  return n;
}

static liq_ast_pat *mk_pat(liq_pstate *ps, liq_ast_pat_kind kind, liq_span span)
{
  liq_ast_pat *p = NEW(liq_ast_pat);
  p->kind = kind;
  p->span = span;
  return p;
}

static liq_ast_pat *mk_pvar(liq_pstate *ps, const char *name, liq_span span)
{
  liq_ast_pat *p = mk_pat(ps, LIQ_PAT_VAR, span);
  p->u.var.name = name;
  return p;
}

static liq_ast_pat *mk_ppath(liq_pstate *ps, liq_vec names, liq_span span)
{
  liq_ast_pat *p = mk_pat(ps, LIQ_PAT_PATH, span);
  p->u.path.names = (const char **)names.v;
  p->u.path.nnames = names.n;
  return p;
}

/* Items of a list pattern: plain patterns and at most one spread, which the
 * grammar passes as a LIQ_PAT_LIST marked with nbefore = -1. */
static liq_ast_pat *mk_plist(liq_pstate *ps, liq_vec items, liq_span span)
{
  liq_ast_pat *p = mk_pat(ps, LIQ_PAT_LIST, span);
  liq_vec before = vempty(), after = vempty();
  for (int i = 0; i < items.n; i++) {
    liq_ast_pat *it = items.v[i];
    /* a spread item is a LIQ_PAT_LIST with nbefore = -1 */
    if (it->kind == LIQ_PAT_LIST && it->u.list.has_spread && it->u.list.nbefore == -1) {
      if (p->u.list.has_spread)
        liq_fe_error(ps, it->span, NULL, "a list pattern can only have one `...` spread");
      p->u.list.has_spread = 1;
      p->u.list.spread = it->u.list.spread;
      continue;
    }
    vpush(ps, p->u.list.has_spread ? &after : &before, it);
  }
  p->u.list.before = (liq_ast_pat **)before.v;
  p->u.list.nbefore = before.n;
  p->u.list.after = (liq_ast_pat **)after.v;
  p->u.list.nafter = after.n;
  return p;
}

static liq_ast_pat *mk_pmeth(liq_pstate *ps, liq_ast_pat *base, liq_vec fields, liq_span span)
{
  liq_ast_pat *p = mk_pat(ps, LIQ_PAT_METH, span);
  p->u.meth.base = base;
  p->u.meth.fields = flatten(ps, fields, sizeof(liq_ast_pat_field));
  p->u.meth.nfields = fields.n;
  return p;
}

static liq_ast_type *mk_ty(liq_pstate *ps, liq_ast_type_kind kind, liq_span span)
{
  liq_ast_type *t = NEW(liq_ast_type);
  t->kind = kind;
  t->span = span;
  return t;
}

static liq_ast_type *mk_tyname(liq_pstate *ps, const char *name, liq_span span)
{
  if (strcmp(name, "source") == 0 || strcmp(name, "format") == 0) {
    liq_ast_type *t = mk_ty(ps, LIQ_TY_SOURCE, span);
    t->u.source.ctor = name;
    return t;
  }
  liq_ast_type *t = mk_ty(ps, LIQ_TY_NAME, span);
  t->u.name.name = name;
  return t;
}

static liq_ast_type *mk_arrow(liq_pstate *ps, liq_vec params, liq_ast_type *ret, liq_span span)
{
  liq_ast_type *t = mk_ty(ps, LIQ_TY_ARROW, span);
  t->u.arrow.params = flatten(ps, params, sizeof(liq_ast_type_param));
  t->u.arrow.nparams = params.n;
  t->u.arrow.ret = ret;
  return t;
}

static liq_ast_type_param *mk_tparam(liq_pstate *ps, const char *label, int optional, liq_ast_type *t)
{
  liq_ast_type_param *p = NEW(liq_ast_type_param);
  p->label = label;
  p->optional = optional;
  p->type = t;
  return p;
}

static liq_ast_type *mk_tymeth(liq_pstate *ps, liq_ast_type *base, liq_vec fields, int optional,
                               liq_span span)
{
  liq_ast_type *t = mk_ty(ps, LIQ_TY_METH, span);
  t->u.meth.base = base;
  t->u.meth.fields = flatten(ps, fields, sizeof(liq_ast_type_field));
  t->u.meth.nfields = fields.n;
  t->u.meth.optional_base = optional;
  return t;
}

static liq_ast_type_field *mk_tfield(liq_pstate *ps, const char *json_name, const char *name,
                                     int optional, liq_ast_type *t)
{
  liq_ast_type_field *f = NEW(liq_ast_type_field);
  f->json_name = json_name;
  f->name = name;
  f->optional = optional;
  f->type = t;
  return f;
}

/* Arguments of `name(...)` in a type: a constructor with type arguments such
 * as ref(int), or source/format with track descriptions. Each item is a
 * liq_ast_type, or a liq_ast_track marked by a NULL-type LIQ_TY_SOURCE
 * wrapper (see the tyarg rule). */
static liq_ast_type *mk_tyapp(liq_pstate *ps, const char *name, liq_vec args, liq_span span)
{
  int is_source = strcmp(name, "source") == 0 || strcmp(name, "format") == 0;
  if (!is_source) {
    liq_ast_type *t = mk_ty(ps, LIQ_TY_NAME, span);
    t->u.name.name = name;
    for (int i = 0; i < args.n; i++) {
      liq_ast_type *a = args.v[i];
      if (a->kind == LIQ_TY_SOURCE && a->u.source.ntracks < 0) {
        liq_fe_error(ps, a->span, "only source(...) and format(...) take track descriptions",
                     "unexpected track description in `%s(...)`", name);
        return t;
      }
    }
    t->u.name.args = (liq_ast_type **)args.v;
    t->u.name.nargs = args.n;
    return t;
  }
  liq_ast_type *t = mk_ty(ps, LIQ_TY_SOURCE, span);
  t->u.source.ctor = name;
  t->u.source.has_tracks = 1;
  liq_vec tracks = vempty();
  for (int i = 0; i < args.n; i++) {
    liq_ast_type *a = args.v[i];
    if (a->kind == LIQ_TY_SOURCE && a->u.source.ntracks < 0) {
      if (a->u.source.open) t->u.source.open = 1;
      else vpush(ps, &tracks, a->u.source.tracks);
    } else if (a->kind == LIQ_TY_WILD && args.n == 1) {
      t->u.source.wild = 1;
    } else {
      liq_fe_error(ps, a->span, "write tracks as `audio=pcm(stereo)`, or `_`",
                   "expected a track description in `%s(...)`", name);
    }
  }
  t->u.source.tracks = flatten(ps, tracks, sizeof(liq_ast_track));
  t->u.source.ntracks = tracks.n;
  return t;
}

static liq_ast_argsof *mk_argsof(liq_pstate *ps, liq_vec path, liq_vec sel, int has_sel)
{
  liq_ast_argsof *a = NEW(liq_ast_argsof);
  a->path = (const char **)path.v;
  a->npath = path.n;
  if (has_sel) {
    a->names = liq_ast_alloc(ARENA, sizeof(char *) * (size_t)(sel.n ? sel.n : 1));
    a->excluded = liq_ast_alloc(ARENA, sizeof(int) * (size_t)(sel.n ? sel.n : 1));
    for (int i = 0; i < sel.n; i++) {
      const char *s = sel.v[i];
      a->excluded[i] = s[0] == '!';
      a->names[i] = s + (s[0] == '!');
    }
    a->nnames = sel.n;
  }
  return a;
}

static liq_ast_arg *mk_arg(liq_pstate *ps, const char *label, liq_ast *value, liq_span span)
{
  liq_ast_arg *a = NEW(liq_ast_arg);
  a->label = label;
  a->value = value;
  a->span = span;
  return a;
}

static liq_ast_param *mk_param(liq_pstate *ps, const char *label, liq_ast_pat *pat,
                               liq_ast_type *type, liq_ast *def, liq_span span)
{
  liq_ast_param *p = NEW(liq_ast_param);
  p->label = label;
  p->pat = pat;
  p->type = type;
  p->def = def;
  p->span = span;
  return p;
}

static liq_ast_pat_field *mk_pfield(liq_pstate *ps, const char *name, int optional, liq_ast_pat *pat)
{
  liq_ast_pat_field *f = NEW(liq_ast_pat_field);
  f->name = name;
  f->optional = optional;
  f->pat = pat;
  return f;
}

static struct liq_ast_record_field *mk_rfield(liq_pstate *ps, const char *name, liq_ast *value,
                                              liq_span span)
{
  struct liq_ast_record_field *f = NEW(struct liq_ast_record_field);
  f->name = name;
  f->value = value;
  f->span = span;
  return f;
}

static liq_ast_enc_param *mk_eparam(liq_pstate *ps, const char *label, const char *flag,
                                    liq_ast *value, liq_span span)
{
  liq_ast_enc_param *p = NEW(liq_ast_enc_param);
  p->label = label;
  p->flag = flag;
  p->value = value;
  p->span = span;
  return p;
}

static liq_ast *mk_encoder(liq_pstate *ps, const char *name, liq_vec params, int has_params,
                           liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_ENCODER, span);
  n->u.enc.name = name;
  n->u.enc.params = flatten(ps, params, sizeof(liq_ast_enc_param));
  n->u.enc.nparams = params.n;
  n->u.enc.has_params = has_params;
  return n;
}

static liq_ast *mk_ifdef(liq_pstate *ps, liq_pp pp, liq_ast *then_, liq_ast *else_, liq_span span)
{
  liq_ast *n = mk(ps, LIQ_AST_IFDEF, span);
  n->u.ifdef.kind = pp.kind;
  n->u.ifdef.name = pp.name;
  n->u.ifdef.op = pp.op;
  n->u.ifdef.then_ = then_;
  n->u.ifdef.else_ = else_;
  return n;
}

/* The left-hand side of `lhs = e` as a pattern (HEAD's bare bindings).
 * Returns NULL when it is not one. */
static liq_ast_pat *expr_to_pat(liq_pstate *ps, liq_ast *e)
{
  switch (e->kind) {
  case LIQ_AST_VAR:
    if (strcmp(e->u.var.name, "_") == 0) return mk_pat(ps, LIQ_PAT_WILD, e->span);
    return mk_pvar(ps, e->u.var.name, e->span);
  case LIQ_AST_TUPLE: {
    liq_ast_pat *p = mk_pat(ps, LIQ_PAT_TUPLE, e->span);
    p->u.tuple.items = liq_ast_alloc(ARENA, sizeof(liq_ast_pat *) * (size_t)(e->u.items.nitems + 1));
    for (int i = 0; i < e->u.items.nitems; i++)
      if (!(p->u.tuple.items[i] = expr_to_pat(ps, e->u.items.items[i]))) return NULL;
    p->u.tuple.nitems = e->u.items.nitems;
    return p;
  }
  case LIQ_AST_LIST: {
    liq_vec items = vempty();
    for (int i = 0; i < e->u.items.nitems; i++) {
      liq_ast *it = e->u.items.items[i];
      if (it->kind == LIQ_AST_SPREAD) {
        if (it->u.unary.e->kind != LIQ_AST_VAR) return NULL;
        liq_ast_pat *s = mk_pat(ps, LIQ_PAT_LIST, it->span);
        s->u.list.has_spread = 1;
        s->u.list.nbefore = -1;
        s->u.list.spread = it->u.unary.e->u.var.name;
        vpush(ps, &items, s);
      } else {
        liq_ast_pat *p = expr_to_pat(ps, it);
        if (!p) return NULL;
        vpush(ps, &items, p);
      }
    }
    return mk_plist(ps, items, e->span);
  }
  case LIQ_AST_FIELD: {
    /* a.b.c: a path of names */
    liq_vec names = vempty();
    liq_ast *x = e;
    while (x->kind == LIQ_AST_FIELD && !x->u.field.optional) x = x->u.field.e;
    if (x->kind != LIQ_AST_VAR) return NULL;
    int depth = 1;
    for (liq_ast *y = e; y != x; y = y->u.field.e) depth++;
    names.v = liq_ast_alloc(ARENA, sizeof(void *) * (size_t)depth);
    names.n = names.cap = depth;
    int i = depth - 1;
    for (liq_ast *y = e; y != x; y = y->u.field.e) names.v[i--] = (void *)y->u.field.name;
    names.v[0] = (void *)x->u.var.name;
    return mk_ppath(ps, names, e->span);
  }
  default:
    return NULL;
  }
}

static liq_ast *binding(liq_pstate *ps, liq_ast *lhs, liq_ast *value, liq_span span)
{
  liq_ast_type *type = NULL;
  liq_ast *target = lhs;
  if (target->kind == LIQ_AST_CAST) {
    type = target->u.cast.type;
    target = target->u.cast.e;
  }
  liq_ast_pat *pat = expr_to_pat(ps, target);
  if (!pat) {
    liq_fe_error(ps, lhs->span,
                 "the left of `=` must be a name, `_`, a tuple, a list or a path such as `a.b.c`; "
                 "did you mean `==`?",
                 "cannot bind a value to this expression");
    pat = mk_pat(ps, LIQ_PAT_WILD, lhs->span);
  }
  return mk_let(ps, LIQ_LET_PLAIN, pat, type, value, span);
}

/* let json.parse[...] options: keep them all, and json5 apart. */
static void let_opts(liq_pstate *ps, liq_ast *let, liq_vec opts)
{
  let->u.let.opts = flatten(ps, opts, sizeof(liq_ast_arg));
  let->u.let.nopts = opts.n;
  for (int i = 0; i < opts.n; i++) {
    liq_ast_arg *a = opts.v[i];
    if (a->label && strcmp(a->label, "json5") == 0) {
      let->u.let.json5 = a->value;
    } else if (!a->label && a->value && a->value->kind == LIQ_AST_VAR &&
               strcmp(a->value->u.var.name, "json5") == 0) {
      liq_ast *t = mk(ps, LIQ_AST_BOOL, a->span);
      t->u.b = 1;
      let->u.let.json5 = t;
    }
  }
}

static void yyerror(YYLTYPE *loc, liq_pstate *ps, const char *msg)
{
  liq_fe_error(ps, *loc, NULL, "%s", msg);
}
}

%define api.pure full
%define api.prefix {liq_yy}
%define api.location.type {liq_span}
%define parse.error custom
%locations
%expect 0
%param {liq_pstate *ps}

%initial-action {
  @$.file = ps->src;
  @$.line = @$.end_line = 1;
  @$.col = @$.end_col = 1;
  @$.start = @$.end = 0;
}

%union {
  int64_t i;
  double f;
  liq_lit str;
  liq_letkw kw;
  liq_time *time;
  liq_re re;
  liq_pp pp;
  liq_ast *ast;
  liq_ast_pat *pat;
  liq_ast_type *ty;
  liq_vec vec;
  liq_ast_arg *arg;
  liq_ast_param *param;
  liq_ast_argsof *argsof;
  liq_ast_type_param *tparam;
  liq_ast_type_field *tfield;
  liq_ast_pat_field *pfield;
  liq_ast_enc_param *eparam;
  struct liq_ast_record_field *rfield;
  liq_ast_track *track;
  liq_ast_content_arg *carg;
  struct { liq_ast_pat *pat; liq_ast_type *type; } lhs;
  liq_defhead *head;
}

%token END_OF_FILE 0 "end of file"
%token <i> INT "integer"
%token <f> FLOAT "float"
%token <str> STRING "string"
%token <str> STR_BEGIN "interpolated string"
%token <str> STR_MID "string part"
%token <str> STR_END "end of string"
%token <str> VAR "name"
%token <str> VARLPAR "name("
%token <str> VARLBRA "name["
%token <str> TYVAR "type variable"
%token <str> ENCODER "encoder"
%token <re> REGEXP "regular expression"
%token <time> TIME "time"
%token <kw> DEF "`def`"
%token <kw> LET "`let`"
%token <kw> LET_LBRA "`let ...[`"
%token <pp> PP_IF "`%ifdef`"
%token PP_ELSE "`%else`"
%token PP_ENDIF "`%endif`"
%token <str> PP_DEFINE "`%define`"
%token ARGSOF "`%argsof`"
%token FUN "`fun`" END "`end`" BEGIN_ "`begin`" IF "`if`" THEN "`then`" ELSE "`else`"
%token ELSIF "`elsif`" TRY "`try`" CATCH "`catch`" FINALLY "`finally`" DO "`do`"
%token WHILE "`while`" FOR "`for`" TO "`to`" NOT "`not`" OPEN "`open`" AND "`and`"
%token OR "`or`" TRUE "`true`" FALSE "`false`" NULL_ "`null`"
%token UNDERSCORE "`_`"
%token START_TYPE "type entry"
%token LPAR "`(`" RPAR "`)`" LBRA "`[`" RBRA "`]`" LCUR "`{`" RCUR "`}`"
%token COMMA "`,`" SEMI "`;`" DOT "`.`" QDOT "`?.`" DOTDOTDOT "`...`"
%token QUESTION "`?`" COALESCE "`??`" CONS "`::`" ASSIGN "`:=`" COLON "`:`"
%token ARROW "`->`" EQ "`=`" TILDE "`~`" BANG "`!`" PIPE "`@`"
%token <str> CMP "comparison"
%token <str> BINADD "operator"
%token <str> BINMUL "`/`"
%token <str> STAR "`*`" MINUS "`-`"
%token UMINUS "unary `-`"

/* Lowest to highest; see the reference §2.2 (HEAD). */
%precedence ARROW
%right ASSIGN
%precedence QUESTION
%left AND
%left OR
%precedence NOT
%left CMP PIPE
%left BINADD MINUS
%left STAR BINMUL
%nonassoc COALESCE
%right CONS
%precedence BANG
%precedence COLON
%precedence NO_APP
%precedence LPAR
%precedence QDOT
%precedence UMINUS

%type <ast> program block tblock stmt stmt_nb expr primary string
%type <vec> interp_parts top
%type <ast> opt_else pp_block encoder
%type <vec> stmts tstmts exprs litems rfields args arglist params paramlist elifs
%type <vec> patlist lpitems mpats tfields targs tstar tyargs cargs dotted sel eparams eplist path2
%type <ast> litem opt_finally opt_errs
%type <arg> arg
%type <param> param
%type <argsof> argsof
%type <pat> pattern lpitem pat_base
%type <pfield> mpat
%type <rfield> rfield
%type <eparam> eparam
%type <ty> typ type tother
%type <tparam> targ targ_l
%type <tfield> tfield
%type <ty> tyarg
%type <track> content
%type <carg> carg
%type <str> cval cname selitem bindvar
%type <lhs> letlhs
%type <head> defhead

%start entry

%%

/* A script, or (after the START_TYPE the filter sends first) one type. */
entry:
  program
| START_TYPE type     { ps->type_result = $2; }
;

program:
  %empty              { ps->result = mk_block(ps, vempty(), @$); $$ = ps->result; }
| top                 { ps->result = mk_block(ps, $1, @$); $$ = ps->result; }
| top SEMI            { ps->result = mk_block(ps, $1, @$); $$ = ps->result; }
;

/* The top level recovers from syntax errors statement by statement: the
 * offending token is dropped (yyclearin, which also guarantees progress) and
 * the token filter skips to the next line that starts at column 1 with a
 * token that can start a statement; so the next error can be reported right
 * away (yyerrok) without cascading. */
top:
  stmt                { $$ = vone(ps, $1); }
| top stmt            { $$ = $1; vpush(ps, &$$, $2); }
| top SEMI stmt       { $$ = $1; vpush(ps, &$$, $3); }
| error               { $$ = vempty(); yyerrok; yyclearin; }
| top error           { $$ = $1; yyerrok; yyclearin; }
;

block:
  stmts               { $$ = mk_block(ps, $1, @$); }
| stmts SEMI          { $$ = mk_block(ps, $1, @$); }
;

stmts:
  stmt                { $$ = vone(ps, $1); }
| stmts stmt          { $$ = $1; vpush(ps, &$$, $2); }
| stmts SEMI stmt     { $$ = $1; vpush(ps, &$$, $3); }
;

/* A thunk's first statement cannot be `x = e`: `{x = e}` is a record. */
tblock:
  tstmts              { $$ = mk_block(ps, $1, @$); }
| tstmts SEMI         { $$ = mk_block(ps, $1, @$); }
;

tstmts:
  stmt_nb             { $$ = vone(ps, $1); }
| tstmts stmt         { $$ = $1; vpush(ps, &$$, $2); }
| tstmts SEMI stmt    { $$ = $1; vpush(ps, &$$, $3); }
;

stmt:
  stmt_nb
| expr EQ expr        { $$ = binding(ps, $1, $3, @$); }
;

stmt_nb:
  expr
| OPEN expr           { $$ = mk_unary(ps, LIQ_AST_OPEN, $2, @$); }
| LET letlhs EQ expr  {
    $$ = mk_let(ps, $1.kind, $2.pat, $2.type, $4, @$);
    $$->u.let.doc = $1.doc;
  }
| LET_LBRA args RBRA letlhs EQ expr {
    $$ = mk_let(ps, $1.kind, $4.pat, $4.type, $6, @$);
    $$->u.let.doc = $1.doc;
    let_opts(ps, $$, $2);
  }
| DEF defhead opt_eq block END {
    liq_ast *value;
    if ($2->is_fun) {
      const char *name = NULL;
      if ($1.recursive) {
        name = $2->pat->kind == LIQ_PAT_VAR ? $2->pat->u.var.name
                                            : $2->pat->u.path.names[$2->pat->u.path.nnames - 1];
      }
      value = mk_fun(ps, $2->params, unblock($4), name, @$);
    } else {
      value = unblock($4);
    }
    $$ = mk_let(ps, $1.kind, $2->pat, $2->type, value, @$);
    $$->u.let.is_def = 1;
    $$->u.let.recursive = $1.recursive;
    $$->u.let.doc = $1.doc;
  }
;

opt_eq: %empty | EQ ;

letlhs:
  pattern             { $$.pat = $1; $$.type = NULL; }
| path2               { $$.pat = mk_ppath(ps, $1, @$); $$.type = NULL; }
| LPAR pattern COLON typ RPAR { $$.pat = $2; $$.type = $4; }
;

path2:
  VAR DOT VAR         { $$ = vone(ps, (void *)$1.s); vpush(ps, &$$, (void *)$3.s); }
| path2 DOT VAR       { $$ = $1; vpush(ps, &$$, (void *)$3.s); }
;

defhead:
  VAR                 { $$ = NEW(liq_defhead); $$->pat = mk_pvar(ps, $1.s, @1); $$->type = NULL; $$->is_fun = 0; }
| path2               { $$ = NEW(liq_defhead); $$->pat = mk_ppath(ps, $1, @1); $$->type = NULL; $$->is_fun = 0; }
| LPAR VAR COLON typ RPAR {
    $$ = NEW(liq_defhead);
    $$->pat = mk_pvar(ps, $2.s, @2); $$->type = $4; $$->is_fun = 0;
  }
| VARLPAR params RPAR {
    $$ = NEW(liq_defhead);
    $$->pat = mk_pvar(ps, $1.s, @1); $$->type = NULL; $$->params = $2; $$->is_fun = 1;
  }
| VAR DOT VARLPAR params RPAR {
    liq_vec names = vone(ps, (void *)$1.s);
    vpush(ps, &names, (void *)$3.s);
    $$ = NEW(liq_defhead);
    $$->pat = mk_ppath(ps, names, cover(@1, @3)); $$->type = NULL; $$->params = $4; $$->is_fun = 1;
  }
| path2 DOT VARLPAR params RPAR {
    liq_vec names = $1;
    vpush(ps, &names, (void *)$3.s);
    $$ = NEW(liq_defhead);
    $$->pat = mk_ppath(ps, names, cover(@1, @3)); $$->type = NULL; $$->params = $4; $$->is_fun = 1;
  }
;

/* --- Expressions --------------------------------------------------------- */

expr:
  primary
| UMINUS expr %prec UMINUS    { $$ = mk_unary(ps, LIQ_AST_NEG, $2, @$); }
| NOT expr                    { $$ = mk_unary(ps, LIQ_AST_NOT, $2, @$); }
| BANG expr                   { $$ = mk_unary(ps, LIQ_AST_DEREF, $2, @$); }
| expr ASSIGN expr            { $$ = mk_binary(ps, LIQ_AST_ASSIGN, $1, $3, @$); }
| expr QUESTION expr COLON expr {
    $$ = mk(ps, LIQ_AST_IF, @$);
    $$->u.cond.cond = $1; $$->u.cond.then_ = $3; $$->u.cond.else_ = $5;
  }
| expr AND expr               { $$ = mk_binary(ps, LIQ_AST_AND, $1, $3, @$); }
| expr OR expr                { $$ = mk_binary(ps, LIQ_AST_OR, $1, $3, @$); }
| expr CMP expr               { $$ = mk_binop(ps, $2.s, $1, $3, @$); }
| expr PIPE expr              { $$ = mk_binary(ps, LIQ_AST_PIPE, $1, $3, @$); }
| expr BINADD expr            { $$ = mk_binop(ps, $2.s, $1, $3, @$); }
| expr MINUS expr             { $$ = mk_binop(ps, $2.s, $1, $3, @$); }
| expr STAR expr              { $$ = mk_binop(ps, $2.s, $1, $3, @$); }
| expr BINMUL expr            { $$ = mk_binop(ps, $2.s, $1, $3, @$); }
| expr COALESCE expr          { $$ = mk_binary(ps, LIQ_AST_COALESCE, $1, $3, @$); }
| expr CONS expr              { $$ = mk_binary(ps, LIQ_AST_CONS, $1, $3, @$); }
| FUN LPAR params RPAR ARROW expr { $$ = mk_fun(ps, $3, $6, NULL, @$); }
;

primary:
  INT                 { $$ = mk(ps, LIQ_AST_INT, @$); $$->u.i = $1; }
| FLOAT               { $$ = mk(ps, LIQ_AST_FLOAT, @$); $$->u.f = $1; }
| TRUE                { $$ = mk(ps, LIQ_AST_BOOL, @$); $$->u.b = 1; }
| FALSE               { $$ = mk(ps, LIQ_AST_BOOL, @$); $$->u.b = 0; }
| NULL_               { $$ = mk(ps, LIQ_AST_NULL, @$); }
| string
| REGEXP              {
    $$ = mk(ps, LIQ_AST_REGEXP, @$);
    $$->u.regexp.pattern = $1.pat; $$->u.regexp.len = $1.len; $$->u.regexp.flags = $1.flags;
  }
| TIME                {
    $$ = mk(ps, LIQ_AST_TIME, @$);
    $$->u.time.from = $1->from; $$->u.time.to = $1->to; $$->u.time.is_interval = $1->is_interval;
  }
| encoder
| VAR                 { $$ = mk_var(ps, $1.s, @$); }
| UNDERSCORE          { $$ = mk_var(ps, "_", @$); }
| VARLPAR args RPAR   { $$ = mk_app(ps, mk_var(ps, $1.s, @1), $2, @$); }
| VARLBRA expr RBRA   { $$ = mk_binary(ps, LIQ_AST_INDEX, mk_var(ps, $1.s, @1), $2, @$); }
| primary DOT VAR     { $$ = mk_field(ps, $1, $3.s, 0, @3, @$); }
| primary QDOT VAR    { $$ = mk_field(ps, $1, $3.s, 1, @3, @$); }
| primary DOT VARLPAR args RPAR {
    $$ = mk_app(ps, mk_field(ps, $1, $3.s, 0, @3, cover(@1, @3)), $4, @$);
  }
| primary QDOT VARLPAR args RPAR {
    $$ = mk_app(ps, mk_field(ps, $1, $3.s, 1, @3, cover(@1, @3)), $4, @$);
  }
| primary DOT VARLBRA expr RBRA {
    $$ = mk_binary(ps, LIQ_AST_INDEX, mk_field(ps, $1, $3.s, 0, @3, cover(@1, @3)), $4, @$);
  }
| primary DOT LCUR rfields opt_comma RCUR { $$ = mk_record(ps, LIQ_AST_METHODS, $1, $4, @$); }
| LPAR RPAR           { $$ = mk_items(ps, LIQ_AST_TUPLE, vempty(), @$); }
| LPAR expr RPAR      { $$ = $2; }
| LPAR expr COMMA exprs RPAR {
    liq_vec v = vone(ps, $2);
    for (int i = 0; i < $4.n; i++) vpush(ps, &v, $4.v[i]);
    $$ = mk_items(ps, LIQ_AST_TUPLE, v, @$);
  }
| LPAR expr COLON typ RPAR {
    $$ = mk(ps, LIQ_AST_CAST, @$); $$->u.cast.e = $2; $$->u.cast.type = $4;
  }
| LBRA RBRA           { $$ = mk_items(ps, LIQ_AST_LIST, vempty(), @$); }
| LBRA litems opt_comma RBRA { $$ = mk_items(ps, LIQ_AST_LIST, $2, @$); }
| LCUR RCUR           { $$ = mk_record(ps, LIQ_AST_RECORD, NULL, vempty(), @$); }
| LCUR rfields opt_comma RCUR { $$ = mk_record(ps, LIQ_AST_RECORD, NULL, $2, @$); }
| LCUR tblock RCUR    { $$ = mk_unary(ps, LIQ_AST_THUNK, unblock($2), @$); }
| BEGIN_ block END    { $$ = $2; $$->span = @$; }
| IF block THEN block elifs opt_else END {
    liq_ast *else_ = $6;
    for (int i = $5.n - 2; i >= 0; i -= 2) {
      liq_ast *c = $5.v[i], *t = $5.v[i + 1];
      liq_ast *n = mk(ps, LIQ_AST_IF, cover(c->span, else_ ? else_->span : t->span));
      n->u.cond.cond = c; n->u.cond.then_ = t; n->u.cond.else_ = else_;
      else_ = n;
    }
    $$ = mk(ps, LIQ_AST_IF, @$);
    $$->u.cond.cond = unblock($2); $$->u.cond.then_ = unblock($4); $$->u.cond.else_ = else_;
  }
| WHILE expr DO block END {
    $$ = mk(ps, LIQ_AST_WHILE, @$); $$->u.loop.cond = $2; $$->u.loop.body = unblock($4);
  }
| FOR bindvar EQ expr TO expr DO block END {
    $$ = mk(ps, LIQ_AST_FOR, @$);
    $$->u.loop.var = $2.s; $$->u.loop.from = $4; $$->u.loop.to = $6; $$->u.loop.body = unblock($8);
  }
| FOR bindvar EQ expr DO block END {
    $$ = mk(ps, LIQ_AST_FOR, @$);
    $$->u.loop.var = $2.s; $$->u.loop.from = $4; $$->u.loop.body = unblock($6);
  }
| TRY block CATCH bindvar opt_errs DO block opt_finally END {
    $$ = mk(ps, LIQ_AST_TRY, @$);
    $$->u.try_.body = unblock($2); $$->u.try_.var = $4.s; $$->u.try_.errors = $5;
    $$->u.try_.handler = unblock($7); $$->u.try_.finally_ = $8;
  }
| TRY block FINALLY block END {
    $$ = mk(ps, LIQ_AST_TRY, @$);
    $$->u.try_.body = unblock($2); $$->u.try_.finally_ = unblock($4);
  }
| PP_IF pp_block PP_ENDIF { $$ = mk_ifdef(ps, $1, $2, NULL, @$); }
| PP_IF pp_block PP_ELSE pp_block PP_ENDIF { $$ = mk_ifdef(ps, $1, $2, $4, @$); }
;

string:
  STRING              {
    $$ = mk(ps, LIQ_AST_STRING, @$); $$->u.str.s = $1.s; $$->u.str.len = $1.len;
  }
| interp_parts STR_END {
    liq_ast_interp_part *p = NEW(liq_ast_interp_part);
    p->str = $2.s; p->len = $2.len;
    liq_vec v = $1;
    vpush(ps, &v, p);
    $$ = mk(ps, LIQ_AST_INTERP, @$);
    $$->u.interp.parts = flatten(ps, v, sizeof(liq_ast_interp_part));
    $$->u.interp.nparts = v.n;
  }
;

/* Alternating literal chunks and expressions, as liq_ast_interp_part *. */
interp_parts:
  STR_BEGIN expr      {
    liq_ast_interp_part *p = NEW(liq_ast_interp_part);
    p->str = $1.s; p->len = $1.len;
    $$ = vone(ps, p);
    p = NEW(liq_ast_interp_part);
    p->expr = $2;
    vpush(ps, &$$, p);
  }
| interp_parts STR_MID expr {
    $$ = $1;
    liq_ast_interp_part *p = NEW(liq_ast_interp_part);
    p->str = $2.s; p->len = $2.len;
    vpush(ps, &$$, p);
    p = NEW(liq_ast_interp_part);
    p->expr = $3;
    vpush(ps, &$$, p);
  }
;

encoder:
  ENCODER %prec NO_APP { $$ = mk_encoder(ps, $1.s, vempty(), 0, @$); }
| ENCODER LPAR eparams RPAR { $$ = mk_encoder(ps, $1.s, $3, 1, @$); }
;

eparams:
  %empty              { $$ = vempty(); }
| eplist opt_comma
;

eplist:
  eparam              { $$ = vone(ps, $1); }
| eplist COMMA eparam { $$ = $1; vpush(ps, &$$, $3); }
;

eparam:
  VAR EQ expr         { $$ = mk_eparam(ps, $1.s, NULL, $3, @$); }
| STRING EQ expr      { $$ = mk_eparam(ps, $1.s, NULL, $3, @$); }
| VAR                 { $$ = mk_eparam(ps, NULL, $1.s, NULL, @$); }
| STRING              { $$ = mk_eparam(ps, NULL, $1.s, NULL, @$); }
| encoder             { $$ = mk_eparam(ps, NULL, NULL, $1, @$); }
;

opt_comma: %empty | COMMA ;

exprs:
  expr                { $$ = vone(ps, $1); }
| exprs COMMA expr    { $$ = $1; vpush(ps, &$$, $3); }
;

litems:
  litem               { $$ = vone(ps, $1); }
| litems COMMA litem  { $$ = $1; vpush(ps, &$$, $3); }
;

litem:
  expr
| DOTDOTDOT expr      { $$ = mk_unary(ps, LIQ_AST_SPREAD, $2, @$); }
;

rfields:
  rfield              { $$ = vone(ps, $1); }
| rfields COMMA rfield { $$ = $1; vpush(ps, &$$, $3); }
;

rfield:
  VAR EQ expr         { $$ = mk_rfield(ps, $1.s, $3, @$); }
| DOTDOTDOT expr      { $$ = mk_rfield(ps, NULL, $2, @$); }
;

elifs:
  %empty              { $$ = vempty(); }
| elifs ELSIF block THEN block {
    $$ = $1; vpush(ps, &$$, unblock($3)); vpush(ps, &$$, unblock($5));
  }
;

opt_else:
  %empty              { $$ = NULL; }
| ELSE block          { $$ = unblock($2); }
;

bindvar:
  VAR
| UNDERSCORE          { $$.s = "_"; $$.len = 1; }
;

opt_errs:
  %empty              { $$ = NULL; }
| COLON expr          { $$ = $2; }
;

opt_finally:
  %empty              { $$ = NULL; }
| FINALLY block       { $$ = unblock($2); }
;

pp_block:
  %empty              { $$ = mk_block(ps, vempty(), @$); }
| block
;

/* --- Arguments and parameters --------------------------------------------- */

args:
  %empty              { $$ = vempty(); }
| arglist opt_comma
;

arglist:
  arg                 { $$ = vone(ps, $1); }
| arglist COMMA arg   { $$ = $1; vpush(ps, &$$, $3); }
;

arg:
  VAR EQ expr         { $$ = mk_arg(ps, $1.s, $3, @$); }
| expr                { $$ = mk_arg(ps, NULL, $1, @$); }
| argsof              { $$ = mk_arg(ps, NULL, NULL, @$); $$->argsof = $1; }
;

argsof:
  ARGSOF LPAR dotted RPAR { $$ = mk_argsof(ps, $3, vempty(), 0); }
| ARGSOF LPAR dotted DOT VARLBRA sel RBRA RPAR {
    liq_vec path = $3;
    vpush(ps, &path, (void *)$5.s);
    $$ = mk_argsof(ps, path, $6, 1);
  }
| ARGSOF LPAR VARLBRA sel RBRA RPAR { $$ = mk_argsof(ps, vone(ps, (void *)$3.s), $4, 1); }
;

dotted:
  VAR                 { $$ = vone(ps, (void *)$1.s); }
| dotted DOT VAR      { $$ = $1; vpush(ps, &$$, (void *)$3.s); }
;

sel:
  selitem             { $$ = vone(ps, (void *)$1.s); }
| sel COMMA selitem   { $$ = $1; vpush(ps, &$$, (void *)$3.s); }
;

selitem:
  VAR
| BANG VAR            {
    char *s = liq_ast_alloc(ARENA, $2.len + 2);
    s[0] = '!';
    memcpy(s + 1, $2.s, $2.len + 1);
    $$.s = s; $$.len = $2.len + 1;
  }
;

params:
  %empty              { $$ = vempty(); }
| paramlist opt_comma
;

paramlist:
  param               { $$ = vone(ps, $1); }
| paramlist COMMA param { $$ = $1; vpush(ps, &$$, $3); }
;

param:
  TILDE VAR           { $$ = mk_param(ps, $2.s, mk_pvar(ps, $2.s, @2), NULL, NULL, @$); }
| TILDE VAR EQ expr   { $$ = mk_param(ps, $2.s, mk_pvar(ps, $2.s, @2), NULL, $4, @$); }
| TILDE LPAR VAR COLON typ RPAR { $$ = mk_param(ps, $3.s, mk_pvar(ps, $3.s, @3), $5, NULL, @$); }
| TILDE LPAR VAR COLON typ RPAR EQ expr {
    $$ = mk_param(ps, $3.s, mk_pvar(ps, $3.s, @3), $5, $8, @$);
  }
| TILDE VAR COLON pattern { $$ = mk_param(ps, $2.s, $4, NULL, NULL, @$); }
| TILDE VAR COLON pattern EQ expr { $$ = mk_param(ps, $2.s, $4, NULL, $6, @$); }
| TILDE VAR COLON LPAR pattern COLON typ RPAR { $$ = mk_param(ps, $2.s, $5, $7, NULL, @$); }
| TILDE VAR COLON LPAR pattern COLON typ RPAR EQ expr {
    $$ = mk_param(ps, $2.s, $5, $7, $10, @$);
  }
| pattern             { $$ = mk_param(ps, NULL, $1, NULL, NULL, @$); }
| pattern EQ expr     { $$ = mk_param(ps, NULL, $1, NULL, $3, @$); }
| LPAR pattern COLON typ RPAR { $$ = mk_param(ps, NULL, $2, $4, NULL, @$); }
| LPAR pattern COLON typ RPAR EQ expr { $$ = mk_param(ps, NULL, $2, $4, $7, @$); }
| argsof              { $$ = mk_param(ps, NULL, NULL, NULL, NULL, @$); $$->argsof = $1; }
;

/* --- Patterns -------------------------------------------------------------- */

pattern:
  VAR                 { $$ = mk_pvar(ps, $1.s, @$); }
| UNDERSCORE          { $$ = mk_pat(ps, LIQ_PAT_WILD, @$); }
| LPAR RPAR           { $$ = mk_pat(ps, LIQ_PAT_TUPLE, @$); }
| LPAR pattern RPAR   { $$ = $2; }
| LCUR RCUR           { $$ = mk_pat(ps, LIQ_PAT_RECORD, @$); }
| LCUR mpats RCUR     {
    $$ = mk_pat(ps, LIQ_PAT_RECORD, @$);
    $$->u.record.fields = flatten(ps, $2, sizeof(liq_ast_pat_field));
    $$->u.record.nfields = $2.n;
  }
| LCUR mpats COMMA DOTDOTDOT RCUR {
    $$ = mk_pat(ps, LIQ_PAT_RECORD, @$);
    $$->u.record.fields = flatten(ps, $2, sizeof(liq_ast_pat_field));
    $$->u.record.nfields = $2.n;
    $$->u.record.has_spread = 1;
  }
| LCUR mpats COMMA DOTDOTDOT VAR RCUR {
    $$ = mk_pat(ps, LIQ_PAT_RECORD, @$);
    $$->u.record.fields = flatten(ps, $2, sizeof(liq_ast_pat_field));
    $$->u.record.nfields = $2.n;
    $$->u.record.has_spread = 1;
    $$->u.record.spread = $5.s;
  }
| LCUR DOTDOTDOT VAR RCUR {
    $$ = mk_pat(ps, LIQ_PAT_RECORD, @$);
    $$->u.record.has_spread = 1;
    $$->u.record.spread = $3.s;
  }
| VAR DOT LCUR mpats RCUR { $$ = mk_pmeth(ps, mk_pvar(ps, $1.s, @1), $4, @$); }
| UNDERSCORE DOT LCUR mpats RCUR { $$ = mk_pmeth(ps, mk_pat(ps, LIQ_PAT_WILD, @1), $4, @$); }
| pat_base
| pat_base DOT LCUR mpats RCUR { $$ = mk_pmeth(ps, $1, $4, @$); }
;

/* Tuple and list patterns, which may carry methods: (x, y).{a} */
pat_base:
  LPAR pattern COMMA patlist RPAR {
    $$ = mk_pat(ps, LIQ_PAT_TUPLE, @$);
    liq_vec v = vone(ps, $2);
    for (int i = 0; i < $4.n; i++) vpush(ps, &v, $4.v[i]);
    $$->u.tuple.items = (liq_ast_pat **)v.v;
    $$->u.tuple.nitems = v.n;
  }
| LBRA RBRA           { $$ = mk_plist(ps, vempty(), @$); }
| LBRA lpitems RBRA   { $$ = mk_plist(ps, $2, @$); }
;

patlist:
  pattern             { $$ = vone(ps, $1); }
| patlist COMMA pattern { $$ = $1; vpush(ps, &$$, $3); }
;

lpitems:
  lpitem              { $$ = vone(ps, $1); }
| lpitems COMMA lpitem { $$ = $1; vpush(ps, &$$, $3); }
;

lpitem:
  pattern
| DOTDOTDOT           {
    $$ = mk_pat(ps, LIQ_PAT_LIST, @$); $$->u.list.has_spread = 1; $$->u.list.nbefore = -1;
  }
| DOTDOTDOT UNDERSCORE {
    $$ = mk_pat(ps, LIQ_PAT_LIST, @$); $$->u.list.has_spread = 1; $$->u.list.nbefore = -1;
  }
| DOTDOTDOT VAR       {
    $$ = mk_pat(ps, LIQ_PAT_LIST, @$); $$->u.list.has_spread = 1; $$->u.list.nbefore = -1;
    $$->u.list.spread = $2.s;
  }
;

mpats:
  mpat                { $$ = vone(ps, $1); }
| mpats COMMA mpat    { $$ = $1; vpush(ps, &$$, $3); }
;

mpat:
  VAR                 { $$ = mk_pfield(ps, $1.s, 0, NULL); }
| VAR QUESTION        { $$ = mk_pfield(ps, $1.s, 1, NULL); }
| VAR EQ pattern      { $$ = mk_pfield(ps, $1.s, 0, $3); }
;

/* --- Types ------------------------------------------------------------------ */

/* The scanner reads `'a` as a type variable only between tyenter and the
 * end of the type. tyenter is reduced without a lookahead token (its
 * states are consistent), so the first token of the type is already read
 * in type mode. */
typ:
  tyenter type        { $$ = $2; ps->type_mode--; }
;

tyenter:
  %empty              { ps->type_mode++; }
;

type:
  cname               { $$ = mk_tyname(ps, $1.s, @$); }
| cname DOT LCUR tfields RCUR { $$ = mk_tymeth(ps, mk_tyname(ps, $1.s, @1), $4, 0, @$); }
| tother
| tother DOT LCUR tfields RCUR { $$ = mk_tymeth(ps, $1, $4, 0, @$); }
| type QDOT LCUR tfields RCUR {
    $$ = mk_tymeth(ps, $1, $4, 1, @$);
  }
| LPAR RPAR ARROW type { $$ = mk_arrow(ps, vempty(), $4, @$); }
| LPAR type RPAR ARROW type { $$ = mk_arrow(ps, vone(ps, mk_tparam(ps, NULL, 0, $2)), $5, @$); }
| LPAR type COMMA targs RPAR ARROW type {
    liq_vec v = vone(ps, mk_tparam(ps, NULL, 0, $2));
    for (int i = 0; i < $4.n; i++) vpush(ps, &v, $4.v[i]);
    $$ = mk_arrow(ps, v, $7, @$);
  }
| LPAR targ_l RPAR ARROW type { $$ = mk_arrow(ps, vone(ps, $2), $5, @$); }
| LPAR targ_l COMMA targs RPAR ARROW type {
    liq_vec v = vone(ps, $2);
    for (int i = 0; i < $4.n; i++) vpush(ps, &v, $4.v[i]);
    $$ = mk_arrow(ps, v, $7, @$);
  }
;

tother:
  type QUESTION       { $$ = mk_ty(ps, LIQ_TY_NULLABLE, @$); $$->u.nullable.inner = $1; }
| UNDERSCORE          { $$ = mk_ty(ps, LIQ_TY_WILD, @$); }
| TYVAR               { $$ = mk_ty(ps, LIQ_TY_VAR, @$); $$->u.var.name = $1.s; }
| LBRA type RBRA      { $$ = mk_ty(ps, LIQ_TY_LIST, @$); $$->u.list.elem = $2; }
| LBRA type RBRA VAR VAR DOT VAR {
    $$ = mk_ty(ps, LIQ_TY_LIST, @$); $$->u.list.elem = $2; $$->u.list.json_object = 1;
    if (strcmp($4.s, "as") || strcmp($5.s, "json") || strcmp($7.s, "object"))
      liq_fe_error(ps, cover(@4, @7), NULL, "expected `as json.object` after a list type");
  }
| LCUR RCUR           { $$ = mk_ty(ps, LIQ_TY_RECORD, @$); }
| LCUR tfields RCUR   {
    $$ = mk_ty(ps, LIQ_TY_RECORD, @$);
    $$->u.record.fields = flatten(ps, $2, sizeof(liq_ast_type_field));
    $$->u.record.nfields = $2.n;
  }
| VARLPAR tyargs RPAR { $$ = mk_tyapp(ps, $1.s, $2, @$); }
| LPAR type RPAR      { $$ = $2; }
| LPAR type STAR tstar RPAR {
    $$ = mk_ty(ps, LIQ_TY_TUPLE, @$);
    liq_vec v = vone(ps, $2);
    for (int i = 0; i < $4.n; i++) vpush(ps, &v, $4.v[i]);
    $$->u.tuple.items = (liq_ast_type **)v.v;
    $$->u.tuple.nitems = v.n;
  }
;

tstar:
  type                { $$ = vone(ps, $1); }
| tstar STAR type     { $$ = $1; vpush(ps, &$$, $3); }
;

targs:
  targ                { $$ = vone(ps, $1); }
| targs COMMA targ    { $$ = $1; vpush(ps, &$$, $3); }
;

targ:
  type                { $$ = mk_tparam(ps, NULL, 0, $1); }
| targ_l
;

targ_l:
  VAR COLON type      { $$ = mk_tparam(ps, $1.s, 0, $3); }
| TILDE VAR COLON type { $$ = mk_tparam(ps, $2.s, 0, $4); }
| QUESTION VAR COLON type { $$ = mk_tparam(ps, $2.s, 1, $4); }
| QUESTION type       { $$ = mk_tparam(ps, NULL, 1, $2); }
;

tfields:
  tfield              { $$ = vone(ps, $1); }
| tfields COMMA tfield { $$ = $1; vpush(ps, &$$, $3); }
;

tfield:
  VAR COLON type      { $$ = mk_tfield(ps, NULL, $1.s, 0, $3); }
| VAR QUESTION COLON type { $$ = mk_tfield(ps, NULL, $1.s, 1, $4); }
| STRING VAR VAR COLON type {
    if (strcmp($2.s, "as")) liq_fe_error(ps, @2, NULL, "expected `as` after a field's JSON name");
    $$ = mk_tfield(ps, $1.s, $3.s, 0, $5);
  }
| STRING VAR VAR QUESTION COLON type {
    if (strcmp($2.s, "as")) liq_fe_error(ps, @2, NULL, "expected `as` after a field's JSON name");
    $$ = mk_tfield(ps, $1.s, $3.s, 1, $6);
  }
;

/* Inside name(...): types, or track descriptions for source/format. A
 * track is wrapped in a LIQ_TY_SOURCE with ntracks = -1 (see mk_tyapp). */
tyargs:
  tyarg               { $$ = vone(ps, $1); }
| tyargs COMMA tyarg  { $$ = $1; vpush(ps, &$$, $3); }
;

tyarg:
  type
| VAR EQ content      {
    $$ = mk_ty(ps, LIQ_TY_SOURCE, @$);
    $$->u.source.ntracks = -1;
    $3->track = $1.s;
    $$->u.source.tracks = $3;
  }
| DOTDOTDOT           { $$ = mk_ty(ps, LIQ_TY_SOURCE, @$); $$->u.source.ntracks = -1; $$->u.source.open = 1; }
;

content:
  cname               { $$ = NEW(liq_ast_track); $$->kind = $1.s; }
| VARLPAR cargs RPAR  {
    $$ = NEW(liq_ast_track); $$->kind = $1.s; $$->has_args = 1;
    $$->args = flatten(ps, $2, sizeof(liq_ast_content_arg)); $$->nargs = $2.n;
  }
| cname DOT VARLPAR cargs RPAR {
    $$ = NEW(liq_ast_track); $$->has_args = 1;
    char *k = liq_ast_alloc(ARENA, $1.len + $3.len + 2);
    memcpy(k, $1.s, $1.len); k[$1.len] = '.'; memcpy(k + $1.len + 1, $3.s, $3.len + 1);
    $$->kind = k;
    $$->args = flatten(ps, $4, sizeof(liq_ast_content_arg)); $$->nargs = $4.n;
  }
| TYVAR               { $$ = NEW(liq_ast_track); $$->var = $1.s; }
| UNDERSCORE          { $$ = NEW(liq_ast_track); }
;

/* A dotted name as one string: pcm, ffmpeg.audio.raw, request.request. */
cname:
  VAR
| cname DOT VAR       {
    char *k = liq_ast_alloc(ARENA, $1.len + $3.len + 2);
    memcpy(k, $1.s, $1.len); k[$1.len] = '.'; memcpy(k + $1.len + 1, $3.s, $3.len + 1);
    $$.s = k; $$.len = $1.len + $3.len + 1;
  }
;

cargs:
  %empty              { $$ = vempty(); }
| carg                { $$ = vone(ps, $1); }
| cargs COMMA carg    { $$ = $1; vpush(ps, &$$, $3); }
;

carg:
  cval                { $$ = NEW(liq_ast_content_arg); $$->value = $1.s; }
| TYVAR               {
    /* pcm('a), internal('a) (as `liquidsoap -h` prints): kept as written. */
    $$ = NEW(liq_ast_content_arg);
    char *v = liq_ast_alloc(ARENA, $1.len + 2);
    v[0] = '\''; memcpy(v + 1, $1.s, $1.len + 1);
    $$->value = v;
  }
| VAR EQ cval         { $$ = NEW(liq_ast_content_arg); $$->label = $1.s; $$->value = $3.s; }
;

/* Content arguments are kept as written. */
cval:
  VAR
| INT                 { $$.s = liq_ast_strndup(ARENA, liq_src_text(@1.file, &$$.len) + @1.start, @1.end - @1.start); $$.len = @1.end - @1.start; }
| FLOAT               { $$.s = liq_ast_strndup(ARENA, liq_src_text(@1.file, &$$.len) + @1.start, @1.end - @1.start); $$.len = @1.end - @1.start; }
| STRING
;

%%

/* --- The token filter ----------------------------------------------------- */

static int is_opener(int tok)
{
  switch (tok) {
  case IF: case BEGIN_: case DEF: case WHILE: case FOR: case TRY: case PP_IF:
  case LPAR: case VARLPAR: case LBRA: case VARLBRA: case LCUR: case LET_LBRA:
    return 1;
  default:
    return 0;
  }
}

/* The token closing what `open` opened. */
static int closer_of(int open)
{
  switch (open) {
  case LPAR: case VARLPAR: return RPAR;
  case LBRA: case VARLBRA: case LET_LBRA: return RBRA;
  case LCUR: return RCUR;
  case PP_IF: return PP_ENDIF;
  default: return END;
  }
}

static yysymbol_kind_t closer_sym(int open)
{
  switch (closer_of(open)) {
  case RPAR: return YYSYMBOL_RPAR;
  case RBRA: return YYSYMBOL_RBRA;
  case RCUR: return YYSYMBOL_RCUR;
  case PP_ENDIF: return YYSYMBOL_PP_ENDIF;
  default: return YYSYMBOL_END;
  }
}

static const char *token_text(int tok)
{
  switch (tok) {
  case IF: return "if"; case BEGIN_: return "begin"; case DEF: return "def";
  case WHILE: return "while"; case FOR: return "for"; case TRY: return "try";
  case LPAR: case VARLPAR: return "(";
  case LBRA: case VARLBRA: case LET_LBRA: return "["; case LCUR: return "{";
  case RPAR: return ")"; case RBRA: return "]"; case RCUR: return "}";
  case PP_ENDIF: return "%endif"; default: return "end";
  }
}

static void track_openers(liq_pstate *ps, int tok, liq_span span, int nl_before)
{
  if (is_opener(tok)) {
    if (ps->nopen == ps->capopen) {
      ps->capopen = ps->capopen ? 2 * ps->capopen : 16;
      ps->open = liq_mem_realloc(ps->open, sizeof *ps->open * (size_t)ps->capopen);
    }
    liq_opener *o = &ps->open[ps->nopen++];
    o->tok = tok;
    o->span = span;
    if (tok == VARLPAR || tok == VARLBRA || tok == LET_LBRA) {
      /* point at the bracket, not at the name before it */
      o->span.start = o->span.end - 1;
      o->span.col = o->span.end_col - 1;
      o->span.line = o->span.end_line;
    }
    o->callee = NULL;
    if (tok == LPAR && nl_before && ps->prev_tok == VAR) {
      size_t len;
      const char *text = liq_src_text(ps->prev_span.file, &len);
      o->callee = liq_ast_strndup(ps->arena, text + ps->prev_span.start,
                                  ps->prev_span.end - ps->prev_span.start);
    }
  } else if (tok == END || tok == RPAR || tok == RBRA || tok == RCUR || tok == PP_ENDIF) {
    if (ps->nopen && closer_of(ps->open[ps->nopen - 1].tok) == tok) ps->nopen--;
  }
}

/* Can this token start a statement? Used to resynchronise after an error. */
static int starts_stmt(int tok)
{
  switch (tok) {
  case END: case ELSE: case ELSIF: case THEN: case DO: case TO: case CATCH: case FINALLY:
  case RPAR: case RBRA: case RCUR: case COMMA: case SEMI: case DOT: case QDOT: case EQ:
  case PP_ELSE: case PP_ENDIF: case CMP: case BINADD: case BINMUL: case STAR: case MINUS:
  case AND: case OR: case QUESTION: case COALESCE: case CONS: case ASSIGN: case COLON:
  case ARROW: case PIPE: case STR_MID: case STR_END:
    return 0;
  default:
    return 1;
  }
}

static int yylex(YYSTYPE *lval, YYLTYPE *lloc, liq_pstate *ps)
{
  if (ps->start_token) {
    int tok = ps->start_token;
    ps->start_token = 0;
    *lloc = ps->prev_span;
    return tok;
  }
  for (;;) {
    int tok = liq_lex_scan(lval, lloc, ps->scanner);
    if (ps->nerrors >= LIQ_MAX_ERRORS) tok = END_OF_FILE;
    int nl_before = lloc->file != ps->prev_span.file || lloc->line > ps->prev_span.end_line;

    if (tok == PP_DEFINE) {
      /* %define NAME value (2.1): later uses of NAME read as the value. */
      YYSTYPE v;
      YYLTYPE vloc;
      int vt = liq_lex_scan(&v, &vloc, ps->scanner);
      if (vt != INT && vt != FLOAT && vt != STRING && vt != TRUE && vt != FALSE) {
        liq_fe_error(ps, *lloc, "write `%define NAME value` with an int, float, string or bool",
                     "`%%define` needs a literal value");
        continue;
      }
      if (ps->ndefs == ps->capdefs) {
        ps->capdefs = ps->capdefs ? 2 * ps->capdefs : 8;
        ps->defs = liq_mem_realloc(ps->defs, sizeof *ps->defs * (size_t)ps->capdefs);
      }
      liq_define *d = &ps->defs[ps->ndefs++];
      d->name = lval->str.s;
      d->tok = vt;
      d->i = vt == INT ? v.i : 0;
      d->f = vt == FLOAT ? v.f : 0;
      d->str = vt == STRING ? v.str : lval->str;
      continue;
    }
    if (tok == VAR)
      for (int i = ps->ndefs - 1; i >= 0; i--)
        if (strcmp(ps->defs[i].name, lval->str.s) == 0) {
          tok = ps->defs[i].tok;
          if (tok == INT) lval->i = ps->defs[i].i;
          else if (tok == FLOAT) lval->f = ps->defs[i].f;
          else if (tok == STRING) lval->str = ps->defs[i].str;
          break;
        }

    if (ps->resync) {
      /* after a syntax error: skip to a statement starting a line at column 1 */
      if (tok != END_OF_FILE && !(nl_before && lloc->col == 1 && starts_stmt(tok))) {
        ps->prev_tok = tok;
        ps->prev_span = *lloc;
        continue;
      }
      ps->resync = 0;
      ps->nopen = 0;
    }

    if (tok == DEF || tok == LET || tok == LET_LBRA) {
      lval->kw.doc = NULL;
      if (ps->doc_line && ps->doc_src == lloc->file && ps->doc_line == lloc->line - 1 && ps->doc.len)
        lval->kw.doc = liq_ast_strndup(ps->arena, ps->doc.data, ps->doc.len);
    }
    ps->doc_line = 0;
    ps->last_tok_src = lloc->file;
    ps->last_tok_line = lloc->end_line;

    track_openers(ps, tok, *lloc, nl_before);
    ps->before_tok = ps->prev_tok;
    ps->before_span = ps->prev_span;
    ps->prev_tok = tok;
    ps->prev_span = *lloc;
    return tok;
  }
}

/* --- Syntax errors ------------------------------------------------------------ */

/* The token as written, when it is short and on one line. */
static int token_source(const YYLTYPE *loc, const char **text)
{
  size_t len;
  const char *src = liq_src_text(loc->file, &len);
  if (loc->line != loc->end_line || loc->end <= loc->start || loc->end - loc->start > 30 ||
      loc->end > len)
    return 0;
  *text = src + loc->start;
  return (int)(loc->end - loc->start);
}

/* The keyword a token stands for, or NULL. */
static const char *keyword_text(yysymbol_kind_t sym)
{
  switch (sym) {
  case YYSYMBOL_DEF: return "def"; case YYSYMBOL_LET: return "let"; case YYSYMBOL_FUN: return "fun";
  case YYSYMBOL_END: return "end"; case YYSYMBOL_BEGIN_: return "begin"; case YYSYMBOL_IF: return "if";
  case YYSYMBOL_THEN: return "then"; case YYSYMBOL_ELSE: return "else";
  case YYSYMBOL_ELSIF: return "elsif"; case YYSYMBOL_TRY: return "try";
  case YYSYMBOL_CATCH: return "catch"; case YYSYMBOL_FINALLY: return "finally";
  case YYSYMBOL_DO: return "do"; case YYSYMBOL_WHILE: return "while"; case YYSYMBOL_FOR: return "for";
  case YYSYMBOL_TO: return "to"; case YYSYMBOL_NOT: return "not"; case YYSYMBOL_OPEN: return "open";
  case YYSYMBOL_AND: return "and"; case YYSYMBOL_OR: return "or";
  default: return NULL;
  }
}

/* Is the unexpected keyword at loc written as a name: followed by `=`, or
 * in a parameter or argument list and followed by `,`, `)` or `=`? */
static int used_as_name(const liq_pstate *ps, const YYLTYPE *loc)
{
  size_t len;
  const char *src = liq_src_text(loc->file, &len);
  size_t i = loc->end;
  while (i < len && (src[i] == ' ' || src[i] == '\t')) i++;
  if (i >= len) return 0;
  int bind = src[i] == '=' && (i + 1 >= len || src[i + 1] != '=');
  int in_list = ps->before_tok == COMMA || ps->before_tok == LPAR || ps->before_tok == VARLPAR ||
                ps->before_tok == TILDE;
  return bind || (in_list && (src[i] == ',' || src[i] == ')'));
}

/* Tokens worth naming in "expected ..." when many are possible: the ones
 * that end or continue a construct, as opposed to operators and whatever
 * can start an expression. */
static int structural(yysymbol_kind_t sym)
{
  return sym == YYSYMBOL_DO || sym == YYSYMBOL_THEN || sym == YYSYMBOL_RPAR ||
         sym == YYSYMBOL_RBRA || sym == YYSYMBOL_RCUR;
}

static int yyreport_syntax_error(const yypcontext_t *ctx, liq_pstate *ps)
{
  ps->type_mode = 0;
  ps->resync = 1;
  if (ps->nerrors >= LIQ_MAX_ERRORS) return 0;
  yysymbol_kind_t la = yypcontext_token(ctx);
  YYLTYPE loc = *yypcontext_location(ctx);
  const liq_opener *top = ps->nopen ? &ps->open[ps->nopen - 1] : NULL;
  if (la == YYSYMBOL_YYEOF) {
    if (ps->eof_reported) return 0;
    /* point just after the last token rather than at an empty last line */
    if (ps->before_span.file >= 0) {
      loc = ps->before_span;
      loc.line = loc.end_line;
      loc.col = loc.end_col;
      loc.start = loc.end;
    }
  }

  if (la == YYSYMBOL_YYEOF && top) {
    liq_sb hint = LIQ_SB_INIT;
    liq_sb_printf(&hint, "add `%s`", token_text(closer_of(top->tok)));
    const char *what = token_text(top->tok);
    int n = (int)strlen(what);
    if (top->tok == PP_IF) {
      /* the directive as written: %ifdef, %ifnencoder, ... */
      size_t len;
      what = liq_src_text(top->span.file, &len) + top->span.start;
      for (n = 1; what[n] >= 'a' && what[n] <= 'z'; n++) continue;
    }
    liq_fe_error(ps, top->span, liq_sb_str(&hint), "this `%.*s` is never closed", n, what);
    liq_sb_free(&hint);
    return 0;
  }
  if ((la == YYSYMBOL_PP_ENDIF || la == YYSYMBOL_PP_ELSE)) {
    int open_if = 0;
    for (int i = 0; i < ps->nopen; i++) open_if |= ps->open[i].tok == PP_IF;
    if (!open_if) {
      liq_fe_error(ps, loc, NULL, "`%s` without a matching `%%ifdef`",
                   la == YYSYMBOL_PP_ENDIF ? "%endif" : "%else");
      return 0;
    }
  }
  if (ps->before_tok == EQ &&
      (la == YYSYMBOL_YYEOF || la == YYSYMBOL_END || la == YYSYMBOL_RPAR ||
       la == YYSYMBOL_RCUR || la == YYSYMBOL_RBRA || la == YYSYMBOL_COMMA || la == YYSYMBOL_SEMI)) {
    liq_fe_error(ps, ps->before_span, NULL, "missing value after `=`");
    return 0;
  }

  liq_sb msg = LIQ_SB_INIT;
  const char *text;
  int n;
  if (la == YYSYMBOL_YYEOF) {
    liq_sb_puts(&msg, "unexpected end of file");
  } else if (la == YYSYMBOL_STR_MID || la == YYSYMBOL_STR_END) {
    /* the `}` closing an interpolation comes too early */
    liq_sb_puts(&msg, "unexpected `}`");
    loc.end_line = loc.line;
    loc.end_col = loc.col + 1;
    loc.end = loc.start + 1;
  } else if ((n = token_source(&loc, &text)) > 0) {
    liq_sb_printf(&msg, "unexpected `%.*s`", n, text);
  } else {
    liq_sb_printf(&msg, "unexpected %s", yysymbol_name(la));
  }

  const char *hint = NULL;
  liq_sb hintb = LIQ_SB_INIT;
  const liq_opener *callee = NULL;
  for (int i = ps->nopen - 1; i >= 0 && !callee; i--)
    if (ps->open[i].callee) callee = &ps->open[i];
  const char *kw = keyword_text(la);
  if (la == YYSYMBOL_LPAR && ps->before_tok == RPAR && ps->before_span.end_line == loc.line) {
    hint = "the result of a call cannot be called directly: bind it to a name first";
  } else if (la == YYSYMBOL_COALESCE) {
    hint = "`??` does not chain: add parentheses, as in `a ?? (b ?? c)`";
  } else if (kw && used_as_name(ps, &loc)) {
    liq_sb_printf(&hintb, "`%s` is a keyword; it cannot be used as a name", kw);
    hint = liq_sb_str(&hintb);
  } else if (callee) {
    liq_sb_printf(&hintb, "a `(` at the start of a line begins a new expression; to call `%s`, "
                  "put the `(` on the same line", callee->callee);
    hint = liq_sb_str(&hintb);
  } else if (top && closer_sym(top->tok) != la &&
             (la == YYSYMBOL_RPAR || la == YYSYMBOL_RBRA || la == YYSYMBOL_RCUR ||
              (la == YYSYMBOL_END && closer_sym(top->tok) != YYSYMBOL_END))) {
    /* a closer that does not match the innermost opener */
    liq_sb_printf(&hintb, "the `%s` at line %d, column %d is not closed yet",
                  top->tok == VARLPAR ? "(" : top->tok == VARLBRA ? "[" : token_text(top->tok),
                  top->span.line, top->span.col);
    hint = liq_sb_str(&hintb);
  }

  /* `??` is non-associative: what the grammar would accept there (`::`)
   * is not what the user meant, the hint says it. */
  if (la != YYSYMBOL_COALESCE) {
    yysymbol_kind_t expected[YYNTOKENS];
    int nexp = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
    if (nexp > 3) {
      /* Where an expression may go on (any binary operator) or a statement
       * may start, only the keyword or bracket that ends the construct
       * helps: `while c` then a new line expects `do`. */
      int kept = 0;
      for (int i = 0; i < nexp; i++)
        if (structural(expected[i])) expected[kept++] = expected[i];
      nexp = kept;
    }
    if (nexp > 0 && nexp <= 3) {
      liq_sb_puts(&msg, ", expected ");
      for (int i = 0; i < nexp; i++)
        liq_sb_printf(&msg, "%s%s", i == 0 ? "" : i == nexp - 1 ? " or " : ", ",
                      yysymbol_name(expected[i]));
    }
  }
  liq_fe_error(ps, loc, hint, "%s", liq_sb_str(&msg));
  liq_sb_free(&msg);
  liq_sb_free(&hintb);
  return 0;
}
