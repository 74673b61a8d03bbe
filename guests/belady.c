/* belady — Belady's anomaly from a real program.
 *
 * The program reads five pages of an array in the order of Belady's
 * reference string, 1 2 3 4 1 2 5 1 2 3 4 5 (Belady, Nelson and Shedler,
 * "An anomaly in space-time characteristics of certain programs running in
 * a paging machine", CACM 12(6), 1969).  Record it and keep only the
 * references to that array, and FIFO misses 9 times with 3 frames but 10
 * times with 4:
 *
 *     vmlab paging --only pages --policy fifo,lru,opt build/guests/belady
 *
 * (--only pages: the pages of the symbol `pages`.  Without it the string
 * also holds the program's code, stack and printf, as any real one does.)
 */
#include <stdint.h>
#include <stdio.h>

#define PAGE 4096
#define NPAGES 5

/* bss: zero-filled by the kernel on first touch, untouched before */
static volatile uint8_t pages[NPAGES][PAGE] __attribute__((aligned(PAGE)));

static const int order[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

int main(void)
{
    printf("Belady's string touches five pages of an array in this order:\n  ");
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
        printf("%d ", order[i]);
    printf("\n");
    for (int p = 0; p < NPAGES; p++)
        printf("  page %d = 0x%08lx (vpn 0x%05lx)\n", p + 1, (unsigned long)(uintptr_t)pages[p],
               (unsigned long)(uintptr_t)pages[p] >> 12);
    unsigned sum = 0;
    for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
        sum += pages[order[i] - 1][0];          /* one read of each page, in order */
    printf("done (sum %u). With FIFO, 3 frames miss 9 times and 4 frames 10 times:\n"
           "  vmlab paging --only pages --policy fifo,lru,opt build/guests/belady\n", sum);
    return 0;
}
