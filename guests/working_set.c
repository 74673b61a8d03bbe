/* working_set — programs move between phases of locality.
 *
 * Denning's working set W(t, tau) is the set of pages a program touched in
 * its last tau references.  This program runs four phases, each looping
 * over a different number of pages: 8, then 48, then 4, then 24.  Watch
 * the resident set follow the phases with --vmstat while memory is short
 * (a phase larger than memory faults all the time; a small one after a
 * large one runs without faults, its pages stay resident), or the working
 * set itself with `vmlab paging --working-set`:
 *
 *     vmlab run --mem 192K --vmstat 200000 build/guests/working_set
 *     vmlab paging --working-set 20000 build/guests/working_set
 *
 * Each phase's page faults go to stderr; stdout gets a checksum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#define PAGE 4096

static long page_faults(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_majflt + u.ru_minflt;
}

int main(void)
{
    static const int phase_pages[] = { 8, 48, 4, 24 };
    unsigned char *a = malloc(64 * PAGE);
    if (!a)
        return 1;
    printf("working_set: four phases of locality over 8, 48, 4 and 24 pages\n");
    for (int ph = 0; ph < 4; ph++) {
        int pages = phase_pages[ph];
        long f0 = page_faults();
        unsigned sum = 0;
        for (int round = 0; round < 40; round++)
            for (int p = 0; p < pages; p++) {
                unsigned char *w = a + (size_t)p * PAGE + (round * 8) % PAGE;
                *w = (unsigned char)(*w + round);
                sum += *w;
            }
        fprintf(stderr, "phase %d: %2d pages, 40 rounds, %ld page faults\n", ph + 1, pages,
                page_faults() - f0);
        printf("phase %d: %d pages, checksum 0x%08x\n", ph + 1, pages, sum);
    }
    free(a);
    return 0;
}
