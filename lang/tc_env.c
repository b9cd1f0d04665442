/* tc_env: the type checker's environment (tc_internal.h).
 *
 * A stack of bindings, innermost last. Its bottom holds the builtins of
 * the registry (lang/builtins.h): each builtin's type string is parsed
 * (liq_tc_parse_type), and dotted names make a tree, so list.map becomes
 * method `map` of the value `list` with its own polymorphic scheme. The
 * method-only entries (source.NAME marked as source methods) make a record
 * of their own, env->source_methods. Programs push their bindings above. */
#include "lang/tc_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "lang/builtins.h"
#include "lang/frontend.h"
#include "runtime/mem.h"
#include "runtime/strbuf.h"

void liq_tc_env_push(liq_tc_env *env, const char *name, liq_type *type, liq_span span)
{
  if (env->n == env->cap) {
    env->cap = env->cap ? 2 * env->cap : 256;
    env->stack = liq_mem_realloc(env->stack, sizeof(binding) * (size_t)env->cap);
  }
  env->stack[env->n++] = (binding){name, type, span, 0, 0, NULL};
}

binding *liq_tc_env_find(liq_tc_env *env, const char *name)
{
  for (int i = env->n - 1; i >= 0; i--)
    if (strcmp(env->stack[i].name, name) == 0) return &env->stack[i];
  return NULL;
}

/* Parses "TYPE where 'a is a number type, ..." (builtins.h). */
liq_type *liq_tc_parse_type(const char *name, const char *text)
{
  const char *where = strstr(text, " where ");
  size_t len = where ? (size_t)(where - text) : strlen(text);
  liq_sb src = LIQ_SB_INIT;
  /* Getters as `liquidsoap -h` prints them, {t}, become getter(t); a brace
   * after a dot opens methods, one before `name :` a record. */
  unsigned char getter_brace[64];
  int depth = 0;
  char prev = 0;
  for (size_t i = 0; i < len; i++) {
    char ch = text[i];
    if (ch == '{' && depth < 64) {
      size_t k = i + 1;
      while (k < len && text[k] == ' ') k++;
      size_t id = k;
      while (k < len && (isalnum((unsigned char)text[k]) || text[k] == '_')) k++;
      int named = k > id;
      while (k < len && text[k] == ' ') k++;
      int record = k < len && (named ? text[k] == ':' : text[k] == '}');
      int getter = prev != '.' && !record;
      getter_brace[depth++] = (unsigned char)getter;
      liq_sb_puts(&src, getter ? "getter(" : "{");
    } else if (ch == '}' && depth > 0) {
      liq_sb_puts(&src, getter_brace[--depth] ? ")" : "}");
    } else {
      liq_sb_append(&src, &ch, 1);
    }
    if (ch != ' ') prev = ch;
  }
  liq_ast_arena *arena = liq_ast_arena_new();
  char label[256];
  snprintf(label, sizeof label, "<type of %s>", name);
  liq_ast_type *ty = liq_parse_type_text(arena, label, liq_sb_str(&src), src.len);
  liq_sb_free(&src);
  liq_type *r = NULL;
  if (ty) {
    tc c = {0};
    c.level = 1;
    c.no_pos = 1;
    tyvars vs = {.n = 0};
    r = liq_tc_of_ast_type(&c, ty, &vs);
    /* Constraint clause: 'a is a number type, 'b is an orderable type */
    const char *p = where ? where + 7 : NULL;
    while (p && *p) {
      while (*p == ' ' || *p == ',') p++;
      if (*p != '\'') break;
      const char *v = ++p;
      while (*p && *p != ' ') p++;
      size_t vl = (size_t)(p - v);
      unsigned cons = 0;
      if (!strncmp(p, " is a number type", 17)) cons = LIQ_TY_C_NUM;
      else if (!strncmp(p, " is an orderable type", 21)) cons = LIQ_TY_C_ORD;
      else if (!strncmp(p, " is an internal media type", 26)) cons = LIQ_TY_C_INTERNAL;
      for (int i = 0; i < vs.n; i++)
        if (strlen(vs.names[i]) == vl && !strncmp(vs.names[i], v, vl))
          vs.vars[i]->u.var.constraints |= cons;
      while (*p && *p != ',') p++;
    }
    liq_ty_generalize(r, 0);
  }
  liq_ast_arena_free(arena);
  return r;
}

/* A node of the tree of dotted builtin names. */
typedef struct name_node {
  const char *name;
  const liq_builtin *def;
  struct name_node **kids;
  int nkids, cap;
} name_node;

static name_node *node_child(name_node *n, const char *name, size_t len)
{
  for (int i = 0; i < n->nkids; i++)
    if (strlen(n->kids[i]->name) == len && !strncmp(n->kids[i]->name, name, len)) return n->kids[i];
  if (n->nkids == n->cap) {
    n->cap = n->cap ? 2 * n->cap : 4;
    n->kids = liq_mem_realloc(n->kids, sizeof(name_node *) * (size_t)n->cap);
  }
  name_node *k = liq_mem_calloc(1, sizeof *k);
  char *nm = liq_ty_alloc(len + 1);
  memcpy(nm, name, len);
  k->name = nm;
  n->kids[n->nkids++] = k;
  return k;
}

static void node_free(name_node *n)
{
  for (int i = 0; i < n->nkids; i++) node_free(n->kids[i]);
  liq_mem_free(n->kids);
  liq_mem_free(n);
}

/* The type of a builtin node: its own type (or unit) with its children as
 * methods, each child with its own scheme. Variables are at level 1. */
static liq_type *node_type(name_node *n, const char *path)
{
  liq_type *t = NULL;
  if (n->def) {
    t = liq_tc_parse_type(n->def->name, liq_builtins_type(n->def));
    if (t) {
      /* parse_type generalised; reopen at level 1 for the method schemes. */
      t = liq_ty_instantiate(t, 1);
    }
  }
  if (!t) t = liq_ty_unit();
  for (int i = n->nkids - 1; i >= 0; i--) {
    char sub[512];
    snprintf(sub, sizeof sub, "%s.%s", path, n->kids[i]->name);
    liq_type *kt = node_type(n->kids[i], sub);
    t = liq_ty_meth(n->kids[i]->name, NULL, 0, kt, t);
    liq_ty_generalize_meth(t, 0);
  }
  return t;
}

liq_tc_env *liq_tc_env_new(void)
{
  liq_tc_env *env = liq_mem_calloc(1, sizeof *env);
  env->arena = liq_ast_arena_new();
  env->types = liq_ty_arena_new();
  liq_ty_use_arena(env->types);
  name_node *root = liq_mem_calloc(1, sizeof *root);
  /* The method-only entries hang under their own root: a record type. */
  name_node *own_root = liq_mem_calloc(1, sizeof *own_root);
  size_t n = liq_builtins_count();
  for (size_t i = 0; i < n; i++) {
    const liq_builtin *b = liq_builtins_at(i);
    int own = liq_builtin_is_source_method(b);
    name_node *cur = own ? own_root : root;
    const char *p = own ? b->name + strlen("source.") : b->name;
    while (1) {
      const char *dot = p[0] && p[1] ? strchr(p + 1, '.') : NULL;
      size_t len = dot ? (size_t)(dot - p) : strlen(p);
      cur = node_child(cur, p, len);
      if (!dot) break;
      p = dot + 1;
    }
    cur->def = b;
  }
  for (int i = 0; i < root->nkids; i++) {
    liq_type *t = node_type(root->kids[i], root->kids[i]->name);
    liq_ty_generalize(t, 0);
    liq_tc_env_push(env, root->kids[i]->name, t, liq_span_none);
  }
  env->source_methods = node_type(own_root, "source");
  liq_ty_generalize(env->source_methods, 0);
  node_free(root);
  node_free(own_root);
  liq_ty_commit();
  return env;
}

void liq_tc_env_free(liq_tc_env *env)
{
  if (!env) return;
  liq_mem_free(env->stack);
  liq_mem_free(env->top);
  liq_ast_arena_free(env->arena);
  liq_ty_arena_free(env->types);
  liq_mem_free(env);
}

const liq_tc_binding *liq_tc_bindings(const liq_tc_env *env, int *count)
{
  *count = env->ntop;
  return env->top;
}

liq_type *liq_tc_lookup(liq_tc_env *env, const char *name)
{
  liq_ty_use_arena(env->types);
  char buf[512];
  snprintf(buf, sizeof buf, "%s", name);
  char *p = buf;
  char *dot = strchr(p + (p[0] ? 1 : 0), '.');
  if (dot) *dot = 0;
  binding *b = liq_tc_env_find(env, p);
  if (!b) return NULL;
  liq_type *t = liq_ty_instantiate(b->type, 0);
  while (dot) {
    p = dot + 1;
    dot = strchr(p, '.');
    if (dot) *dot = 0;
    liq_type *m = liq_ty_find_meth(t, p);
    if (!m) return NULL;
    t = liq_ty_instantiate_meth(m, 0);
  }
  return t;
}
