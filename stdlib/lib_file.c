/* lib_file: file.exists, file.size, file.contents, file.write, file.read,
 * file.remove. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stdlib/lib.h"
#include "lang/eval_internal.h"
#include "runtime/mem.h"

LIQ_BUILTIN(b_exists)
{
  struct stat st;
  return liq_v_bool(stat(liq_arg_str(c, 0, NULL), &st) == 0);
}

LIQ_BUILTIN(b_is_directory)
{
  struct stat st;
  return liq_v_bool(stat(liq_arg_str(c, 0, NULL), &st) == 0 && S_ISDIR(st.st_mode));
}

LIQ_BUILTIN(b_size)
{
  const char *path = liq_arg_str(c, 0, NULL);
  struct stat st;
  if (stat(path, &st) != 0) liq_eval_raise("file", "cannot stat %s: %s", path, strerror(errno));
  return liq_v_int((int64_t)st.st_size);
}

static liq_value read_all(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f) liq_eval_raise("file", "cannot open %s: %s", path, strerror(errno));
  liq_sb sb = LIQ_SB_INIT;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) liq_sb_append(&sb, buf, n);
  fclose(f);
  liq_value r = liq_v_string(sb.data ? sb.data : "", sb.len);
  liq_sb_free(&sb);
  return r;
}

LIQ_BUILTIN(b_contents)
{
  char *path = liq_mem_strdup(liq_arg_str(c, 0, NULL));
  /* path copied: the allocation may collect the argument? No (it is on the
   * stack), but read_all raises, so free before raising. */
  FILE *f = fopen(path, "rb");
  if (!f) {
    char msg[512];
    snprintf(msg, sizeof msg, "cannot open %s: %s", path, strerror(errno));
    liq_mem_free(path);
    liq_eval_raise("file", "%s", msg);
  }
  fclose(f);
  liq_value r = read_all(path);
  liq_mem_free(path);
  return r;
}

LIQ_BUILTIN(b_write)
{
  const char *path = liq_arg_str(c, 0, NULL);
  liq_value data = liq_arg_label(c, "data", LIQ_NOVALUE);
  if (data == LIQ_NOVALUE) liq_eval_raise("invalid", "missing argument data");
  liq_value *pd = liq_eval_push(liq_eval_getter(data));
  bool append = liq_v_base(liq_arg_label(c, "append", LIQ_FALSE)) == LIQ_TRUE;
  size_t len = 0;
  const char *s = liq_v_base(*pd) == LIQ_NULL ? "" : liq_to_str(*pd, &len);
  path = liq_arg_str(c, 0, NULL);
  FILE *f = fopen(path, append ? "ab" : "wb");
  if (!f) liq_eval_raise("file", "cannot open %s: %s", path, strerror(errno));
  fwrite(s, 1, len, f);
  fclose(f);
  liq_eval_pop(1);
  return LIQ_UNIT;
}

/* file.read(path): a function returning the next chunk, "" at the end.
 * Reads the whole file at once (TODO(streaming): read by chunks). */
static liq_value read_next(liq_call *c, liq_value data)
{
  (void)c;
  liq_value v = liq_v_ref_get(data);
  liq_v_ref_set(data, liq_v_cstring(""));
  return v;
}

LIQ_BUILTIN(b_read)
{
  liq_value *s = liq_eval_push(b_contents(c, LIQ_UNIT));
  *s = liq_v_ref(*s);
  liq_value r = liq_v_builtin(read_next, "file.read", *s);
  liq_eval_pop(1);
  return r;
}

LIQ_BUILTIN(b_remove)
{
  unlink(liq_arg_str(c, 0, NULL));
  return LIQ_UNIT;
}

static const liq_builtin_def file_defs[] = {
  {"file.exists", "(string) -> bool", "Returns true if the file or directory exists.", "File", b_exists},
  {"file.is_directory", "(string) -> bool", "Returns true if the path is a directory.", "File", b_is_directory},
  {"file.size", "(string) -> int", "File size in bytes.", "File", b_size},
  {"file.contents", "(string) -> string", "Read the whole contents of a file.", "File", b_contents},
  {"file.write", "(data : {string?}, ?perms : int, ?append : bool, string) -> unit", "Write data to a file.", "File", b_write},
  {"file.read", "(string) -> () -> string", "Read the content of a file; the function returns \"\" at the end.", "File", b_read},
  {"file.remove", "(string) -> unit", "Remove a file.", "File", b_remove},
};

const liq_lib_module liq_lib_file = {"file", file_defs, LIQ_NELEMS(file_defs), NULL, NULL};
