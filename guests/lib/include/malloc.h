/* malloc.h — the allocator's prototypes plus helpers that make it visible.
 *
 * vmlab's own allocator replaces picolibc's: it is the one the samples
 * teach with.  How the heap works (lib/malloc.c):
 *   - Requests below MALLOC_MMAP_THRESHOLD are carved out of the brk heap.
 *     Every block has a 4-byte header and a 4-byte footer holding its size
 *     and an in-use bit ("boundary tags"); payloads are 8-byte aligned.
 *   - Free blocks sit on lists sorted by address.  malloc takes one that
 *     is big enough — the first (first fit, the default), or as another
 *     strategy says (next, best, worst fit, segregated size classes:
 *     VMLAB_MALLOC or mallopt) — and splits off the rest if it is large
 *     enough to be a block of its own.
 *   - free() merges the block with free neighbours (coalescing), so two
 *     adjacent holes become one bigger hole.
 *   - When nothing fits, the heap grows with sbrk() by at least
 *     MALLOC_GROW_MIN bytes; if brk refuses, malloc returns NULL (ENOMEM).
 *     A free block of MALLOC_TRIM_THRESHOLD or more at the top of the heap
 *     is given back to the kernel by lowering the break.
 *   - Requests of MALLOC_MMAP_THRESHOLD or more get their own mmap()
 *     mapping and free() unmaps it (like glibc's M_MMAP_THRESHOLD, which
 *     mallopt() changes here too).
 */
#ifndef VMLAB_MALLOC_H
#define VMLAB_MALLOC_H

#include <stddef.h>

#define MALLOC_MMAP_THRESHOLD (128 * 1024)
#define MALLOC_GROW_MIN       (64 * 1024)
#define MALLOC_TRIM_THRESHOLD (128 * 1024)

/* mallopt parameters: glibc's number, and vmlab's own. */
#define M_MMAP_THRESHOLD (-3)
#define M_VMLAB_STRATEGY (-100)

/* The strategies (M_VMLAB_STRATEGY values; VMLAB_MALLOC=first, next,
 * best, worst or classes in the environment picks one at start). */
#define MALLOC_FIRST_FIT    0   /* the first free block big enough, by address */
#define MALLOC_NEXT_FIT     1   /* the first after the last one taken */
#define MALLOC_BEST_FIT     2   /* the smallest that fits */
#define MALLOC_WORST_FIT    3   /* the largest */
#define MALLOC_SIZE_CLASSES 4   /* one list per power-of-two size class */

void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
/* A block whose address is a multiple of align (a power of two); always
 * from the brk heap.  valloc: page-aligned; pvalloc: whole pages. */
void *memalign(size_t align, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);

/* Tune the allocator, like glibc's mallopt.  M_MMAP_THRESHOLD: requests of
 * `value` bytes or more get their own mmap, smaller ones come from the brk
 * heap (default MALLOC_MMAP_THRESHOLD; 0 sends everything to mmap).
 * M_VMLAB_STRATEGY: how malloc picks a free block (MALLOC_FIRST_FIT, ...);
 * the free lists are rebuilt for it at once.  Blocks already handed out
 * keep where they are.  Returns 1 on success, 0 for an unknown parameter
 * or value. */
int mallopt(int param, int value);

/* "first", "next", "best", "worst", "classes", or NULL. */
const char *malloc_strategy_name(int strategy);

/* Give free memory at the top of the heap back to the kernel, keeping
 * `pad` bytes; with nothing allocated and pad 0, the whole heap goes back
 * and the next malloc starts a fresh one.  Returns 1 if the break moved. */
int malloc_trim(size_t pad);

/* The usable size of an allocated block (>= what was asked for). */
size_t malloc_usable_size(void *p);

/* Print a summary to stdout (unlike glibc, which uses stderr, so it shows
 * up in a sample's output): heap range, number of blocks used and free,
 * free bytes, largest free block, mmap'd blocks, brk/mmap call counts. */
void malloc_stats(void);

/* Print every heap block, one per line: address, size, used/free. */
void malloc_dump(void);

struct malloc_info {
    int strategy;                         /* MALLOC_FIRST_FIT ... */
    unsigned long mallocs;                /* heap mallocs so far (not mmap'd ones) */
    unsigned long searched;               /* free blocks they looked at */
    unsigned long heap_start, heap_end;   /* [start, end) owned by malloc */
    unsigned blocks_used, blocks_free;
    unsigned long bytes_used, bytes_free; /* block sizes incl. headers */
    unsigned long largest_free;
    unsigned mmapped_blocks;
    unsigned long mmapped_bytes;
};
void malloc_info_get(struct malloc_info *mi);

#endif
