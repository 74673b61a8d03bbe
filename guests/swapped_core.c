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
 */
#include <stdio.h>

#define PAGES 256
#define WORDS 1024                  /* 4 KiB of words: one page */

unsigned table[PAGES][WORDS];

static unsigned pattern(unsigned page, unsigned word)
{
    return 0x5eed0000u ^ (page << 12) ^ word;
}

static void crash(volatile unsigned *p)
{
    *p = table[0][0];               /* p is NULL: SIGSEGV */
}

int main(void)
{
    for (unsigned pg = 0; pg < PAGES; pg++)
        for (unsigned w = 0; w < WORDS; w++)
            table[pg][w] = pattern(pg, w);
    printf("swapped_core: filled %d pages; table[0][0] = 0x%08x, table[255][1023] = 0x%08x\n",
           PAGES, table[0][0], table[PAGES - 1][WORDS - 1]);
    fflush(stdout);
    crash(0);
    return 0;
}
