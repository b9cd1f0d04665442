/* mem: the single allocation choke point of cliq.
 *
 * Every byte cliq allocates (AST nodes, GC objects, audio buffers, codec
 * state) goes through these functions, after Lua's luaM_realloc_. With
 * jemalloc linked (the default) malloc is jemalloc's. The functions never
 * return NULL: on failure they run the registered emergency hook (the GC's
 * full collection) and retry once, then print "out of memory" and exit(2).
 *
 * Ownership: the caller owns what these return and releases it with
 * liq_mem_free. */
#ifndef LIQ_MEM_H
#define LIQ_MEM_H

#include <stddef.h>

void *liq_mem_alloc(size_t size);
void *liq_mem_calloc(size_t count, size_t size);
void *liq_mem_realloc(void *ptr, size_t size);
void liq_mem_free(void *ptr);
/* liq_mem_free for a block allocated (not reallocated) with exactly this
 * size: cheaper with jemalloc. */
void liq_mem_free_sized(void *ptr, size_t size);
char *liq_mem_strdup(const char *s);
char *liq_mem_strndup(const char *s, size_t len);

/* The hook runs when an allocation fails; it should free what it can. */
void liq_mem_set_emergency_hook(void (*hook)(void));

/* Bytes currently allocated through this module (usable sizes). */
size_t liq_mem_in_use(void);

#endif
