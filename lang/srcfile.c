/* srcfile: registry of source texts; see srcfile.h. */
#include "lang/srcfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "runtime/mem.h"

const liq_span liq_span_none = {-1, 0, 0, 0, 0, 0, 0};

typedef struct {
  char *name;
  char *text;
  size_t len;
  size_t *line_starts; /* offset of each line's first byte */
  int nlines;
} src_entry;

static src_entry *entries;
static int nentries, capentries;

int liq_src_add(const char *name, const char *text, size_t len)
{
  if (nentries == capentries) {
    capentries = capentries ? capentries * 2 : 16;
    entries = liq_mem_realloc(entries, sizeof *entries * (size_t)capentries);
  }
  src_entry *e = &entries[nentries];
  e->name = liq_mem_strdup(name);
  e->text = liq_mem_strndup(text, len);
  e->len = len;
  int cap = 64;
  e->line_starts = liq_mem_alloc(sizeof(size_t) * (size_t)cap);
  e->nlines = 0;
  e->line_starts[e->nlines++] = 0;
  for (const char *p = e->text, *end = e->text + len; (p = memchr(p, '\n', (size_t)(end - p)));) {
    if (e->nlines == cap) {
      cap *= 2;
      e->line_starts = liq_mem_realloc(e->line_starts, sizeof(size_t) * (size_t)cap);
    }
    e->line_starts[e->nlines++] = (size_t)(++p - e->text);
  }
  return nentries++;
}

int liq_src_add_file(const char *path)
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return -1;
  char *buf = NULL;
  size_t len = 0, cap = 0, n;
  do {
    if (cap - len < 4096) {
      cap = cap ? cap * 2 : 8192;
      buf = liq_mem_realloc(buf, cap);
    }
    n = fread(buf + len, 1, cap - len, f);
    len += n;
  } while (n > 0);
  int failed = ferror(f);
  if (f != stdin) fclose(f);
  if (failed) {
    liq_mem_free(buf);
    errno = EIO;
    return -1;
  }
  int id = liq_src_add(path, buf ? buf : "", len);
  liq_mem_free(buf);
  return id;
}

const char *liq_src_name(int id)
{
  return id >= 0 && id < nentries ? entries[id].name : "<builtin>";
}

const char *liq_src_text(int id, size_t *len)
{
  if (id < 0 || id >= nentries) {
    *len = 0;
    return "";
  }
  *len = entries[id].len;
  return entries[id].text;
}

const char *liq_src_line(int id, int line, size_t *len)
{
  *len = 0;
  if (id < 0 || id >= nentries) return "";
  src_entry *e = &entries[id];
  if (line < 1 || line > e->nlines) return "";
  size_t start = e->line_starts[line - 1];
  size_t end = line < e->nlines ? e->line_starts[line] - 1 : e->len;
  if (end > start && e->text[end - 1] == '\r') end--;
  *len = end - start;
  return e->text + start;
}

void liq_src_free_all(void)
{
  for (int i = 0; i < nentries; i++) {
    liq_mem_free(entries[i].name);
    liq_mem_free(entries[i].text);
    liq_mem_free(entries[i].line_starts);
  }
  liq_mem_free(entries);
  entries = NULL;
  nentries = capentries = 0;
}

liq_span liq_span_join(liq_span a, liq_span b)
{
  if (a.file < 0) return b;
  if (b.file < 0) return a;
  liq_span r = a;
  if (b.start < a.start) {
    r.line = b.line;
    r.col = b.col;
    r.start = b.start;
  }
  if (b.end > a.end) {
    r.end_line = b.end_line;
    r.end_col = b.end_col;
    r.end = b.end;
  }
  return r;
}
