/* ast: the abstract syntax tree of a Liquidsoap script.
 *
 * The parser builds this tree; the type checker annotates it and the
 * evaluator walks it. The tree stays close to the surface syntax (so errors
 * can point at what the user wrote); sugar such as `a and b`, `x ?? d`,
 * string interpolation or time predicates keeps its own node kind and each
 * later phase gives it meaning.
 *
 * Memory: every node, string and array of a tree is allocated in the tree's
 * arena (liq_ast_arena); the whole tree is released at once with
 * liq_ast_arena_free. Nodes are never shared between arenas.
 *
 * Every node carries a span: the file it came from (an index into the source
 * registry of srcfile.h) and its start and end positions. Lines and columns
 * are 1-based; end_col points one past the last character. */
#ifndef LIQ_AST_H
#define LIQ_AST_H

#include <stddef.h>
#include <stdint.h>

#include "lang/srcfile.h"

/* --- Arena ---------------------------------------------------------------- */

typedef struct liq_ast_arena liq_ast_arena;

liq_ast_arena *liq_ast_arena_new(void);
void liq_ast_arena_free(liq_ast_arena *arena);
/* Zeroed memory living as long as the arena. */
void *liq_ast_alloc(liq_ast_arena *arena, size_t size);
char *liq_ast_strndup(liq_ast_arena *arena, const char *s, size_t len);

/* --- Types written in the script (annotations) ---------------------------- */

typedef struct liq_ast_type liq_ast_type;

typedef enum {
  LIQ_TY_NAME,     /* int, float, string, bool, unit, never, format, ... with optional args: ref(int) */
  LIQ_TY_VAR,      /* 'a */
  LIQ_TY_WILD,     /* _ */
  LIQ_TY_NULLABLE, /* t? */
  LIQ_TY_LIST,     /* [t], [t] as json.object */
  LIQ_TY_TUPLE,    /* (t * u * ...) */
  LIQ_TY_ARROW,    /* (t, ~l : u, ?x : v) -> w */
  LIQ_TY_RECORD,   /* {a : int, b? : string, "x" as y : int} */
  LIQ_TY_METH,     /* t.{a : int} and t?.{...} */
  LIQ_TY_SOURCE,   /* source, source(_), source(audio=pcm(stereo), ...), format(...) */
} liq_ast_type_kind;

typedef struct {
  const char *label;   /* NULL for a positional parameter */
  int optional;        /* ?label : t, or ?t */
  liq_ast_type *type;
} liq_ast_type_param;

typedef struct {
  const char *name;      /* the field name in the script */
  const char *json_name; /* "x" in `"x" as y : t`, else NULL */
  int optional;          /* a? : t */
  liq_ast_type *type;
} liq_ast_type_field;

/* A content kind inside source(...) : `pcm(stereo)`, `pcm_s16(mono)`,
 * `ffmpeg.audio.raw(sample_rate=44100)`, `none`, `'a`, `_`. */
typedef struct liq_ast_content_arg {
  const char *label; /* NULL for a bare argument such as `stereo` */
  const char *value; /* the argument as written: stereo, 2, "5.1", 44100 */
} liq_ast_content_arg;

typedef struct {
  const char *track;  /* audio, video, midi, audio_2, ... */
  const char *kind;   /* dotted name such as pcm or ffmpeg.audio.raw; NULL when var/wild */
  const char *var;    /* 'a when the content is a type variable, else NULL */
  liq_ast_content_arg *args;
  int nargs;
  int has_args;       /* pcm() vs pcm */
} liq_ast_track;

struct liq_ast_type {
  liq_ast_type_kind kind;
  liq_span span;
  union {
    struct { const char *name; liq_ast_type **args; int nargs; } name;
    struct { const char *name; } var; /* without the quote */
    struct { liq_ast_type *inner; } nullable;
    struct { liq_ast_type *elem; int json_object; } list;
    struct { liq_ast_type **items; int nitems; } tuple;
    struct { liq_ast_type_param *params; int nparams; liq_ast_type *ret; } arrow;
    struct { liq_ast_type_field *fields; int nfields; } record;
    struct { liq_ast_type *base; liq_ast_type_field *fields; int nfields; int optional_base; } meth;
    /* ctor: "source" or "format" (same argument syntax).
     * has_tracks = 0: bare `source`; wild = 1: `source(_)`; open: `...` */
    struct { const char *ctor; liq_ast_track *tracks; int ntracks; int has_tracks; int wild; int open; } source;
  } u;
};

/* --- Patterns ---------------------------------------------------------------- */

typedef struct liq_ast_pat liq_ast_pat;

typedef enum {
  LIQ_PAT_VAR,    /* x */
  LIQ_PAT_WILD,   /* _ */
  LIQ_PAT_TUPLE,  /* (p, q) */
  LIQ_PAT_LIST,   /* [p, ...rest, q] */
  LIQ_PAT_RECORD, /* {a, b?, c = p, ...rest} */
  LIQ_PAT_METH,   /* p.{a, b = q} : a value with methods */
  LIQ_PAT_PATH,   /* a.b.c in `let a.b.c = e`: adds/overrides field b.c of a */
} liq_ast_pat_kind;

typedef struct {
  const char *name;
  int optional;      /* b? : binds null when absent */
  liq_ast_pat *pat;  /* c = p; NULL binds the field to its own name */
} liq_ast_pat_field;

struct liq_ast_pat {
  liq_ast_pat_kind kind;
  liq_span span;
  union {
    struct { const char *name; } var;
    struct { liq_ast_pat **items; int nitems; } tuple;
    /* before ... spread ... after; has_spread = 0 for a plain [p, q] */
    struct {
      liq_ast_pat **before; int nbefore;
      liq_ast_pat **after; int nafter;
      int has_spread;
      const char *spread; /* NULL for an anonymous `...` */
    } list;
    struct {
      liq_ast_pat_field *fields; int nfields;
      int has_spread; const char *spread; /* {a, ...rest} */
    } record;
    struct { liq_ast_pat *base; liq_ast_pat_field *fields; int nfields; } meth;
    struct { const char **names; int nnames; } path; /* a, b, c */
  } u;
};

/* --- Expressions and statements ------------------------------------------- */

typedef struct liq_ast liq_ast;

typedef enum {
  /* literals */
  LIQ_AST_INT,      /* u.i */
  LIQ_AST_FLOAT,    /* u.f */
  LIQ_AST_STRING,   /* u.str (escapes decoded) */
  LIQ_AST_BOOL,     /* u.b */
  LIQ_AST_NULL,     /* the `null` keyword (2.1 `null()` is an APP of var null) */
  LIQ_AST_INTERP,   /* "a#{e}b": u.interp, parts alternate strings and exprs */
  LIQ_AST_REGEXP,   /* r/pat/flags: u.regexp */
  LIQ_AST_TIME,     /* 12h30 or 12h-13h: u.time */
  LIQ_AST_ENCODER,  /* %mp3(...): u.enc */
  /* names and structure */
  LIQ_AST_VAR,      /* u.var */
  LIQ_AST_TUPLE,    /* u.items; () is a 0-tuple */
  LIQ_AST_LIST,     /* u.items, each item may be a SPREAD */
  LIQ_AST_SPREAD,   /* ...e inside a list or a record: u.unary */
  LIQ_AST_RECORD,   /* {a = 1, ...r}: u.record (base NULL) */
  LIQ_AST_METHODS,  /* e.{a = 1}: u.record with base e */
  LIQ_AST_FIELD,    /* e.name and e?.name: u.field */
  LIQ_AST_APP,      /* f(args), e.m(args): u.app */
  LIQ_AST_INDEX,    /* l[k]: u.binary (left = l, right = k) */
  LIQ_AST_FUN,      /* fun(params) -> body, and the value of def: u.fun */
  LIQ_AST_BLOCK,    /* begin ... end, thunk bodies, the program: u.block */
  LIQ_AST_THUNK,    /* { block }: u.unary, a function of no argument */
  LIQ_AST_CAST,     /* (e : t): u.cast */
  /* control */
  LIQ_AST_IF,       /* if/elsif/else and c ? a : b: u.cond (else_ may be NULL) */
  LIQ_AST_WHILE,    /* u.loop */
  LIQ_AST_FOR,      /* for i = a to b / for x = it: u.loop */
  LIQ_AST_TRY,      /* u.try_ */
  /* operators */
  LIQ_AST_NOT,      /* u.unary */
  LIQ_AST_NEG,      /* unary minus: u.unary */
  LIQ_AST_DEREF,    /* !r (2.1 syntax): u.unary */
  LIQ_AST_ASSIGN,   /* r := v: u.binary */
  LIQ_AST_BINOP,    /* + - * / mod ^ % == != < <= > >= : u.binop */
  LIQ_AST_AND,      /* u.binary, lazy right */
  LIQ_AST_OR,       /* u.binary, lazy right */
  LIQ_AST_CONS,     /* x :: l: u.binary */
  LIQ_AST_COALESCE, /* x ?? d: u.binary, lazy right */
  LIQ_AST_PIPE,     /* x @ f means f(x): u.binary */
  /* statements (only inside a BLOCK) */
  LIQ_AST_LET,      /* let/def bindings: u.let */
  LIQ_AST_OPEN,     /* open e: u.unary; binds e's methods for the rest of the block */
  LIQ_AST_IFDEF,    /* %ifdef/%ifndef/%ifencoder/%ifnencoder/%ifversion: u.ifdef */
} liq_ast_kind;

/* A piece of an interpolated string. */
typedef struct {
  const char *str; size_t len; /* literal text when expr is NULL */
  liq_ast *expr;
} liq_ast_interp_part;

/* One side of a time predicate: -1 marks a unit that was not written. */
typedef struct {
  int week, hour, min, sec;
} liq_ast_time_point;

/* An encoder parameter: `k = e`, `"k" = e`, a bare flag `stereo` or
 * `"flag"`, or a nested encoder `%vorbis(...)` (in value, label NULL). */
typedef struct {
  const char *label;   /* NULL for a flag or a nested encoder */
  const char *flag;    /* the flag's name when label and value are NULL */
  liq_ast *value;      /* the value expression, or a nested LIQ_AST_ENCODER */
  liq_span span;
} liq_ast_enc_param;

/* A call argument: label NULL for positional. An `%argsof(f[a,!b])` entry has
 * argsof set: it passes `l = l` for each selected labelled parameter of f. */
typedef struct liq_ast_argsof {
  const char **path; int npath;   /* f, or a.b.f */
  const char **names; int nnames; /* selection, NULL/0 when none given */
  int *excluded;                  /* excluded[i]: name i was written !name */
} liq_ast_argsof;

typedef struct {
  const char *label;
  liq_ast *value;
  liq_ast_argsof *argsof;
  liq_span span;
} liq_ast_arg;

/* A function parameter. label NULL = positional. The parameter binds pat
 * (usually a VAR; `~x` binds x; `~x:p` (HEAD) binds pattern p). */
typedef struct {
  const char *label;
  liq_ast_pat *pat;
  liq_ast_type *type;      /* NULL when not annotated */
  liq_ast *def;            /* default value: the parameter is optional */
  liq_ast_argsof *argsof;  /* %argsof(...) in a parameter list */
  liq_span span;
} liq_ast_param;

typedef enum {
  LIQ_LET_PLAIN,       /* let x = e, x = e, def x = ... end */
  LIQ_LET_REPLACES,    /* let replaces / def replaces: keep the old methods */
  LIQ_LET_EVAL,        /* let eval p = e */
  LIQ_LET_JSON_PARSE,  /* let json.parse[json5=e] p = e */
  LIQ_LET_YAML_PARSE,
  LIQ_LET_XML_PARSE,
  LIQ_LET_SQLITE_ROW,
  LIQ_LET_SQLITE_QUERY,
  LIQ_LET_JSON_STRINGIFY, /* 2.1 only */
} liq_ast_let_kind;

typedef enum {
  LIQ_IFDEF,        /* %ifdef name */
  LIQ_IFNDEF,       /* %ifndef name */
  LIQ_IFENCODER,    /* %ifencoder %mp3 */
  LIQ_IFNENCODER,   /* %ifnencoder %mp3 */
  LIQ_IFVERSION,    /* %ifversion >= 2.0.0 */
} liq_ast_ifdef_kind;

struct liq_ast {
  liq_ast_kind kind;
  liq_span span;
  /* Filled by the type checker (typecheck.h): the node's type, NULL until
   * checked. A LET node holds the bound type. */
  struct liq_type *type;
  union {
    int64_t i;
    double f;
    int b;
    struct { const char *s; size_t len; } str;
    struct { const char *name; } var;
    struct { liq_ast_interp_part *parts; int nparts; } interp;
    struct { const char *pattern; size_t len; const char *flags; } regexp;
    /* is_interval = 0: a single time (12h) stored in from */
    struct { liq_ast_time_point from, to; int is_interval; } time;
    struct { const char *name; liq_ast_enc_param *params; int nparams; int has_params; } enc;
    struct { liq_ast **items; int nitems; } items;
    struct { liq_ast *e; } unary;
    struct { liq_ast *left, *right; } binary;
    struct { const char *op; liq_ast *left, *right; } binop;
    /* fields: VAR = e entries (name set) and ...e spreads (name NULL) */
    struct {
      liq_ast *base;
      struct liq_ast_record_field { const char *name; liq_ast *value; liq_span span; } *fields;
      int nfields;
    } record;
    struct { liq_ast *e; const char *name; int optional; liq_span name_span; } field;
    struct { liq_ast *fn; liq_ast_arg *args; int nargs; } app;
    /* name: the function's own name for `def rec` (recursive), else NULL */
    struct { liq_ast_param *params; int nparams; liq_ast *body; const char *name; } fun;
    struct { liq_ast **stmts; int nstmts; } block;
    struct { liq_ast *e; liq_ast_type *type; } cast;
    struct { liq_ast *cond, *then_, *else_; } cond;
    /* WHILE: cond/body. FOR: var, and either from/to (to != NULL) or an iterator in from */
    struct { liq_ast *cond, *body; const char *var; liq_ast *from, *to; } loop;
    /* try body catch var : errors do handler finally fin end */
    struct { liq_ast *body; const char *var; liq_ast *errors; liq_ast *handler; liq_ast *finally_; } try_;
    struct {
      liq_ast_let_kind kind;
      int is_def;          /* written with def */
      int recursive;       /* def rec */
      liq_ast_pat *pat;
      liq_ast_type *type;  /* let (x : t) = e / def (x : t) = ... */
      liq_ast *value;
      liq_ast *json5;      /* let json.parse[json5=e] (a bare `json5` flag gives true) */
      liq_ast_arg *opts;   /* every entry of the [...] after json.parse & co, as written */
      int nopts;
      const char *doc;     /* the comment lines right before a def, or NULL */
    } let;
    struct {
      liq_ast_ifdef_kind kind;
      const char *name;    /* the tested name, the encoder (without %), or the version */
      const char *op;      /* %ifversion operator */
      liq_ast *then_, *else_; /* BLOCKs; else_ may be NULL. Their bindings
                                 are spliced into the enclosing block. */
      /* Set by the type checker: decided, and the BLOCK it chose (NULL for
       * none); the evaluator follows it, or tests itself when undecided. */
      const liq_ast *chosen;
      int decided;
    } ifdef;
  } u;
};

/* Renders the tree as an S-expression, for parser tests and debugging. */
struct liq_sb;
void liq_ast_dump(struct liq_sb *out, const liq_ast *node);
void liq_ast_dump_type(struct liq_sb *out, const liq_ast_type *type);
void liq_ast_dump_pat(struct liq_sb *out, const liq_ast_pat *pat);

#endif
