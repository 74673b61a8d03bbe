/* swapped_core — a crash while much of memory is on swap.
 *
 * The program fills 1 MiB of globals, a page at a time, with a pattern,
 * then dereferences a NULL pointer.  Under a small --mem most of those
 * pages are on swap when it dies, not in memory.  The core file still
 * holds every byte: the kernel reads swapped pages back as it writes the
 * core, and the core's VMLAB note says which pages were where.
 *
 *     vmlab run --mem 128K build/guests/swapped_core
 *     vmlab inspect core.swapped_core.*          (the map: pages on swap)
 *     gdb-multiarch build/guests/swapped_core core.swapped_core.* \
 *         -batch -ex 'print/x table[0][0]' -ex 'print/x table[255][1023]'
 *
 * With the argument `protect` it dies another way: it makes the first page
 * of the table read-only (that page is on swap by then) and stores into
 * it.  The Sv32 walk in the core then ends at a swap entry, and
 * `vmlab inspect` says so.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGES 256
#define WORDS 1024                  /* 4 KiB of words: one page */

unsigned table[PAGES][WORDS] __attribute__((aligned(4096)));

static unsigned pattern(unsigned page, unsigned word)
{
    return 0x5eed0000u ^ (page << 12) ^ word;
}

static void crash(volatile unsigned *p)
{
    *p = table[1][1];               /* p is NULL: SIGSEGV */
}

int main(int argc, char **argv)
{
    for (unsigned pg = 0; pg < PAGES; pg++)
        for (unsigned w = 0; w < WORDS; w++)
            table[pg][w] = pattern(pg, w);
    /* (page 0 is left alone from here on: under a small --mem it stays on swap) */
    printf("swapped_core: filled %d pages; table[1][0] = 0x%08x, table[255][1023] = 0x%08x\n",
           PAGES, table[1][0], table[PAGES - 1][WORDS - 1]);
    fflush(stdout);
    if (argc > 1 && !strcmp(argv[1], "protect")) {
        if (mprotect(table[0], 4096, PROT_READ) != 0) {
            perror("mprotect");
            return 1;
        }
        table[0][1] = 1;            /* read-only now: SIGSEGV, SEGV_ACCERR */
    }
    crash(0);
    return 0;
}
