/* malloc.h — the allocator's prototypes plus helpers that make it visible.
 *
 * vmlab's own allocator replaces picolibc's: it is the one the samples
 * teach with.  How the heap works (lib/malloc.c):
 *   - Requests below MALLOC_MMAP_THRESHOLD are carved out of the brk heap.
 *     Every block has a 4-byte header and a 4-byte footer holding its size
 *     and an in-use bit ("boundary tags"); payloads are 8-byte aligned.
 *   - Free blocks sit on a list sorted by address.  malloc takes the first
 *     one big enough (first fit) and splits off the rest if it is large
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

/* mallopt parameters (glibc's numbers). */
#define M_MMAP_THRESHOLD (-3)

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
 * Blocks already handed out keep where they are.  Returns 1 on success,
 * 0 for an unknown parameter or a negative value. */
int mallopt(int param, int value);

/* The usable size of an allocated block (>= what was asked for). */
size_t malloc_usable_size(void *p);

/* Print a summary to stdout (unlike glibc, which uses stderr, so it shows
 * up in a sample's output): heap range, number of blocks used and free,
 * free bytes, largest free block, mmap'd blocks, brk/mmap call counts. */
void malloc_stats(void);

/* Print every heap block, one per line: address, size, used/free. */
void malloc_dump(void);

struct malloc_info {
    unsigned long heap_start, heap_end;   /* [start, end) owned by malloc */
    unsigned blocks_used, blocks_free;
    unsigned long bytes_used, bytes_free; /* block sizes incl. headers */
    unsigned long largest_free;
    unsigned mmapped_blocks;
    unsigned long mmapped_bytes;
};
void malloc_info_get(struct malloc_info *mi);

#endif
