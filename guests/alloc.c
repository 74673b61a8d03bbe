/* alloc — how malloc and free manage the heap.
 *
 * The runtime's allocator (guests/lib/malloc.c, described in malloc.h)
 * keeps the heap as a row of blocks, each with a small header, and a list
 * of the free ones.  This program shows, step by step:
 *   1. the first malloc creates the heap with brk and splits a big free block
 *   2. a freed block is reused: the same address comes back
 *   3. neighbouring free blocks are merged (coalesced) into a bigger one
 *   4. fragmentation: plenty of free bytes in small holes, yet a bigger
 *      request cannot use them
 *   5. the heap grows with brk when it is full, and shrinks when the top is free
 *   6. a large request bypasses the heap: it gets its own mmap mapping
 *
 * Run it with `vmlab run --trace syscall build/guests/alloc` to see when
 * the allocator really asks the kernel for memory (brk, mmap2, munmap):
 * most malloc and free calls make no system call at all.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vmlab.h>

static unsigned long addr(const void *p)
{
    return (unsigned long)(uintptr_t)p;
}

static void stats(const char *when)
{
    printf("malloc_stats %s:\n", when);
    malloc_stats();
}

static void dump(void)
{
    printf("heap blocks (payload address, block size incl. 8 bytes of header+footer):\n");
    malloc_dump();
}

int main(void)
{
    struct malloc_info mi;

    printf("== 0. Before the first malloc\n");
    stats("at start");

    printf("\n== 1. Three blocks: malloc(100), malloc(200), malloc(300)\n");
    char *a = malloc(100), *b = malloc(200), *c = malloc(300);
    printf("a = 0x%08lx\nb = 0x%08lx  (a + %lu: 100 bytes + 8 of header/footer, "
           "rounded to 8)\nc = 0x%08lx  (b + %lu)\n",
           addr(a), addr(b), addr(b) - addr(a), addr(c), addr(c) - addr(b));
    printf("The first malloc found no heap, so it called brk to get %u KiB, then split\n"
           "that one big free block: the blocks sit side by side, and the rest stays free.\n",
           MALLOC_GROW_MIN / 1024);
    dump();
    stats("after three mallocs");

    printf("\n== 2. Reuse: free(b), then malloc(200) again\n");
    free(b);
    char *d = malloc(200);
    printf("b was 0x%08lx, the new block is 0x%08lx:\n%s\n", addr(b), addr(d),
           d == b ? "the same address - the hole was reused (first fit)"
                  : "a different address");
    printf("Now free it and ask for less, malloc(120): the hole is split in two.\n");
    free(d);
    char *e = malloc(120);
    printf("malloc(120) = 0x%08lx %s\n", addr(e), e == b ? "(the same hole again)" : "");
    dump();

    printf("\n== 3. Coalescing: free(a) and free(e)\n");
    free(a);
    free(e);
    printf("a, e and the rest of b's old hole are neighbours, so free merged them:\n");
    dump();
    char *f = malloc(300);
    printf("malloc(300) = 0x%08lx: %s\n", addr(f),
           f == a ? "it fits in the merged hole at a's address,\n"
                    "which none of the pieces could have held alone"
                  : "placed elsewhere");

    printf("\n== 4. Fragmentation: 20 blocks of 64 bytes, then free every other one\n");
    char *p[20];
    for (int i = 0; i < 20; i++)
        p[i] = malloc(64);
    for (int i = 0; i < 20; i += 2)
        free(p[i]);
    printf("p[0] = 0x%08lx ... p[19] = 0x%08lx: 10 holes of %lu bytes in between\n",
           addr(p[0]), addr(p[19]), addr(p[1]) - addr(p[0]));
    unsigned long hole = addr(p[1]) - addr(p[0]);
    stats("with the holes (the free space at the top counts as one block)");
    char *g = malloc(256);
    printf("malloc(256) = 0x%08lx: %s\nthough together the holes hold %lu bytes.\n",
           addr(g), g > p[19] ? "after p[19], because no hole is big enough,"
                              : "inside the holes?",
           10 * hole);
    printf("That is external fragmentation: free memory, but in pieces too small to use.\n");

    printf("\n== 5. Growing and shrinking the heap with brk\n");
    unsigned brk_before = vmlab_brk_calls();
    malloc_info_get(&mi);
    unsigned long end_before = mi.heap_end;
    char *many[48];
    for (int i = 0; i < 48; i++) {
        many[i] = malloc(4000);
        memset(many[i], i, 4000);               /* touch it: the pages become real */
    }
    malloc_info_get(&mi);
    printf("48 x malloc(4000): the heap end moved from 0x%08lx to 0x%08lx;\n"
           "malloc called brk %u more time(s) to grow it by at least %u KiB each time.\n",
           end_before, mi.heap_end, vmlab_brk_calls() - brk_before, MALLOC_GROW_MIN / 1024);
    stats("with 48 more blocks");
    brk_before = vmlab_brk_calls();
    for (int i = 0; i < 48; i++)
        free(many[i]);
    malloc_info_get(&mi);
    printf("After freeing them all, they merged into one free block at the top of the\n"
           "heap.  It was over %u KiB, so free gave most of it back by lowering the\n"
           "break (brk called %u more time(s)); the heap end is now 0x%08lx, keeping\n"
           "%u KiB free at the top for later requests.\n",
           MALLOC_TRIM_THRESHOLD / 1024, vmlab_brk_calls() - brk_before, mi.heap_end,
           MALLOC_GROW_MIN / 1024);
    stats("after freeing them");

    printf("\n== 6. A large block: malloc(1 MiB) uses mmap, not the heap\n");
    unsigned mmaps = vmlab_mmap_calls(), munmaps = vmlab_munmap_calls();
    brk_before = vmlab_brk_calls();
    char *big = malloc(1 << 20);
    printf("big = 0x%08lx: far above the heap, just below the stack area, where mmap\n"
           "places new mappings (top-down).  mmap calls +%u, brk calls +%u\n",
           addr(big), vmlab_mmap_calls() - mmaps, vmlab_brk_calls() - brk_before);
    big[0] = 1;
    big[(1 << 20) - 1] = 2;
    stats("with the big block");
    free(big);
    printf("free(big) unmapped it at once (munmap calls +%u): its memory went straight\n"
           "back to the kernel, whereas freed heap blocks stay with the allocator.\n",
           vmlab_munmap_calls() - munmaps);

    printf("\n== 7. Clean up\n");
    free(c);
    free(f);
    free(g);
    for (int i = 1; i < 20; i += 2)
        free(p[i]);
    dump();
    stats("at the end");
    printf("Everything was freed and merged back into one free block.\n");
    return 0;
}
