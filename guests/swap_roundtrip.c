/* swap_roundtrip — pages go to swap and come back unchanged.
 *
 * The program fills many pages, each with its own pattern, then reads
 * every byte back (in the other order) and counts the bytes that differ.
 * With a small --mem most of the pages have been evicted to swap by the
 * time they are read: each comes back through a major fault, and must be
 * exactly as it was written.  A page that was read back and not written
 * again keeps its swap slot (the swap cache): evicting it a second time
 * writes nothing.
 *
 *     vmlab run --mem 128K --stats build/guests/swap_roundtrip
 *     vmlab run --mem 128K --trace page build/guests/swap_roundtrip 2>&1 | head
 *
 * Usage: swap_roundtrip [PAGES [wait]]   (default 1024 pages, 4 MiB)
 * With `wait` it stops after writing until a line arrives on stdin, so you
 * can look at the swap file meanwhile (vmlab run --swap-file DIR ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096

static unsigned char pattern(unsigned page, unsigned i)
{
    return (unsigned char)((page * 131u + i * 7u) ^ (page >> 3) ^ (i >> 5));
}

int main(int argc, char **argv)
{
    unsigned pages = argc > 1 ? (unsigned)atoi(argv[1]) : 1024;
    if (pages < 1 || pages > 262144) {
        fprintf(stderr, "usage: swap_roundtrip [PAGES between 1 and 262144]\n");
        return 2;
    }
    unsigned char *a = malloc((size_t)pages * PAGE);
    if (!a) {
        fprintf(stderr, "swap_roundtrip: out of memory\n");
        return 1;
    }
    for (unsigned p = 0; p < pages; p++)
        for (unsigned i = 0; i < PAGE; i++)
            a[(size_t)p * PAGE + i] = pattern(p, i);
    printf("wrote %u pages (%u KiB), each with its own pattern\n", pages, pages * 4);
    if (argc > 2 && !strcmp(argv[2], "wait")) {
        char c;
        printf("waiting for a line on stdin before reading them back\n");
        fflush(stdout);
        while (read(0, &c, 1) == 1 && c != '\n')
            ;
    }
    unsigned long bad = 0;
    unsigned first_bad = 0;
    for (unsigned p = pages; p-- > 0;)
        for (unsigned i = 0; i < PAGE; i++)
            if (a[(size_t)p * PAGE + i] != pattern(p, i) && !bad++)
                first_bad = p;
    if (bad)
        printf("read them back: %lu bytes differ (first in page %u)\n", bad, first_bad);
    else
        printf("read them back in reverse order: every byte is as it was written\n");
    /* second round: read only, so clean pages leave without a write */
    unsigned sum = 0;
    for (unsigned p = 0; p < pages; p++)
        sum += a[(size_t)p * PAGE + p % PAGE];
    printf("read again: checksum 0x%08x\n", sum);
    free(a);
    return bad ? 1 : 0;
}
