/* mem: the single allocation choke point; see mem.h. */
#include "config.h"
#include "runtime/mem.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Accounting counts usable sizes. A fresh block's is known from the
 * requested size alone with jemalloc (nallocx: the size class, no lookup),
 * which also frees a block of known size faster (sdallocx). */
#ifdef HAVE_JEMALLOC
#include <jemalloc/jemalloc.h>
#define usable_size(p) malloc_usable_size(p)
#define fresh_size(p, n) nallocx((n), 0)
#else
#define usable_size(p) malloc_usable_size(p)
#define fresh_size(p, n) malloc_usable_size(p)
#endif

static void (*emergency_hook)(void);
/* Atomic: clock threads and the main thread allocate concurrently. */
static atomic_size_t bytes_in_use;

void liq_mem_set_emergency_hook(void (*hook)(void)) { emergency_hook = hook; }

size_t liq_mem_in_use(void) { return atomic_load(&bytes_in_use); }

static void out_of_memory(size_t size)
{
  fprintf(stderr, "cliq: out of memory (allocating %zu bytes)\n", size);
  exit(2);
}

void *liq_mem_realloc(void *ptr, size_t size)
{
  size_t old = ptr ? usable_size(ptr) : 0;
  if (size == 0) size = 1;
  void *res = ptr ? realloc(ptr, size) : malloc(size);
  if (!res && emergency_hook) {
    emergency_hook();
    res = ptr ? realloc(ptr, size) : malloc(size);
  }
  if (!res) out_of_memory(size);
  atomic_fetch_sub(&bytes_in_use, old);
  atomic_fetch_add(&bytes_in_use, ptr ? usable_size(res) : fresh_size(res, size));
  return res;
}

void *liq_mem_alloc(size_t size) { return liq_mem_realloc(NULL, size); }

void *liq_mem_calloc(size_t count, size_t size)
{
  if (size && count > (size_t)-1 / size) out_of_memory((size_t)-1);
  void *res = liq_mem_alloc(count * size);
  memset(res, 0, count * size);
  return res;
}

void liq_mem_free(void *ptr)
{
  if (!ptr) return;
  atomic_fetch_sub(&bytes_in_use, usable_size(ptr));
  free(ptr);
}

void liq_mem_free_sized(void *ptr, size_t size)
{
#ifdef HAVE_JEMALLOC
  if (size == 0) size = 1;
  atomic_fetch_sub(&bytes_in_use, nallocx(size, 0));
  sdallocx(ptr, size, 0);
#else
  (void)size;
  liq_mem_free(ptr);
#endif
}

char *liq_mem_strndup(const char *s, size_t len)
{
  char *res = liq_mem_alloc(len + 1);
  memcpy(res, s, len);
  res[len] = 0;
  return res;
}

char *liq_mem_strdup(const char *s) { return liq_mem_strndup(s, strlen(s)); }
