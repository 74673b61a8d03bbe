/* heap_oom — the heap is big, but not endless.
 *
 * The program asks malloc for 1 MiB at a time, over and over, until malloc
 * gives up and returns NULL (errno ENOMEM).  Then it reports how much it
 * got, frees everything, and shows that the heap works again.
 *
 * Where the memory comes from.  Our malloc (lib/malloc.c) normally gives
 * requests of 128 KiB or more a mapping of their own (mmap).  Here it is
 * told with mallopt(M_MMAP_THRESHOLD, ...) to carve even 1 MiB blocks out
 * of the brk heap, so what runs out is the heap itself: the program break
 * moves up from the end of the bss until the kernel refuses to move it
 * further, because the pages above are taken (the signal-return page at
 * 0x3ffff000, then the stack's guard gap and the stack).  That is about
 * 1 GiB of the 4 GiB a 32-bit address can name.  (With mmap'd blocks the
 * amount would depend on where the system is willing to place mappings:
 * qemu-riscv32 also uses the space above the stack, vmlab does not.)
 *
 * Demand paging makes this cheap.  malloc only hands out addresses; a page
 * gets a physical frame when it is first touched.  The program writes one
 * byte at the start of each block (and malloc writes its 4-byte headers and
 * footers), so about 2 pages of each 1 MiB block are ever backed by real
 * memory: some 8 MiB in all, plus 1 MiB of page tables to map 1 GiB of
 * heap.  Had it filled every block, it would need 1 GiB of memory: with a
 * small --mem pages would go to swap, and once memory and swap are both
 * full the OOM killer ends the process (SIGKILL, exit status 137), as
 * Linux does.  Page tables never go to swap, so below about 2 MiB of
 * --mem even this program's page tables do not fit and it is OOM-killed
 * (the `oom` sample shows the OOM killer on purpose).
 *
 *     vmlab run --stats build/guests/heap_oom     (frames in use stays small)
 *     vmlab run --trace syscall build/guests/heap_oom 2>&1 | tail
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MIB (1024 * 1024)
#define BLOCK MIB
#define MAX_BLOCKS 4096                 /* more than a 32-bit heap can hold */
#define REPORT_EVERY 128                /* MiB between progress lines */

static char *blocks[MAX_BLOCKS];

int main(void)
{
    unsigned n = 0;
    unsigned long start_brk, end_brk;
    char *p;

    printf("heap_oom: malloc until the heap is exhausted\n\n");
    if (!mallopt(M_MMAP_THRESHOLD, 64 * MIB)) {
        printf("mallopt failed\n");
        return 1;
    }
    start_brk = (unsigned long)sbrk(0);
    printf("Blocks of 1 MiB come from the brk heap (mallopt M_MMAP_THRESHOLD).\n");
    printf("The program break starts at 0x%08lx.\n\n", start_brk);

    errno = 0;
    while (n < MAX_BLOCKS && (p = malloc(BLOCK)) != NULL) {
        p[0] = (char)n;                 /* touch one byte: one page gets a frame */
        blocks[n++] = p;
        if (n % REPORT_EVERY == 0)
            printf("  %4u MiB so far; the break is at 0x%08lx\n", n,
                   (unsigned long)sbrk(0));
    }
    end_brk = (unsigned long)sbrk(0);
    printf("\nmalloc returned NULL, errno %s, after %u blocks: %u MiB in all.\n",
           errno == ENOMEM ? "ENOMEM" : "(not ENOMEM)", n, n * (BLOCK / MIB));
    printf("The heap grew from 0x%08lx to 0x%08lx.  brk refused to move the\n"
           "break another 1 MiB up: that would run into the pages at the top of\n"
           "this area (the signal-return page at 0x3ffff000, then the stack).\n",
           start_brk, end_brk);
    printf("Only the touched pages got physical frames: about 2 per block.\n\n");

    for (unsigned i = 0; i < n; i++) {
        if (blocks[i][0] != (char)i) {
            printf("block %u lost its first byte!\n", i);
            return 1;
        }
    }
    printf("Every block still holds the byte written to it.\n");

    for (unsigned i = 0; i < n; i++)
        free(blocks[i]);
    printf("Freed all %u blocks; malloc gave the memory back with brk:\n"
           "the break is now at 0x%08lx.\n", n, (unsigned long)sbrk(0));

    p = malloc(BLOCK);
    printf("A new malloc(1 MiB) %s.\n", p ? "succeeds again" : "still fails");
    free(p);
    return p ? 0 : 1;
}
