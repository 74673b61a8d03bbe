/* thrash — a working set a little larger than memory.
 *
 * The program sweeps over an array again and again, touching one word in
 * each page: a cyclic walk, the pattern that defeats FIFO and clock.  Pass
 * by pass the number of pages it walks (its working set) grows.  While
 * they fit in the frames the kernel can give it, each pass costs no page
 * faults after the first sweep.  As soon as the working set is a little
 * larger than memory, every touch of every sweep is a page fault that
 * reads the page back from swap (a major fault), and the time per pass
 * explodes: the program is thrashing.
 *
 *     vmlab run --mem 256K build/guests/thrash          (64 frames)
 *     vmlab run --mem 256K --policy random build/guests/thrash
 *     vmlab run --mem 256K --vmstat 2000000 build/guests/thrash
 *
 * Each pass's faults (from getrusage: ru_majflt, ru_minflt) and time go to
 * stderr; stdout gets a checksum of what the sweeps read, which is the
 * same whatever the memory size or the policy: swapping loses nothing.
 * Usage: thrash [MAX_PAGES]   (default 80)
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#define PAGE 4096
#define SWEEPS 10

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void faults(long *minor, long *major)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    *minor = u.ru_minflt;
    *major = u.ru_majflt;
}

int main(int argc, char **argv)
{
    int max = argc > 1 ? atoi(argv[1]) : 80;
    if (max < 8 || max > 65536) {
        fprintf(stderr, "usage: thrash [MAX_PAGES between 8 and 65536]\n");
        return 2;
    }
    unsigned char *a = malloc((size_t)max * PAGE);
    if (!a) {
        fprintf(stderr, "thrash: out of memory\n");
        return 1;
    }
    printf("thrash: sweeping over 8 .. %d pages, %d sweeps a pass\n", max, SWEEPS);
    fprintf(stderr, "%8s %10s %12s %12s %10s\n", "pages", "KiB", "minor faults", "major faults",
            "us/pass");
    for (int pages = 8; pages <= max; pages += pages < 32 ? 8 : 4) {
        long min0, maj0, min1, maj1;
        faults(&min0, &maj0);
        double t0 = now_ms();
        unsigned sum = 0;
        for (int s = 0; s < SWEEPS; s++)
            for (int p = 0; p < pages; p++) {
                unsigned char *w = a + (size_t)p * PAGE + (p * 64) % PAGE;
                *w = (unsigned char)(*w + p + s);
                sum = sum * 31 + *w;
            }
        double t1 = now_ms();
        faults(&min1, &maj1);
        fprintf(stderr, "%8d %10d %12ld %12ld %10ld\n", pages, pages * 4, min1 - min0,
                maj1 - maj0, (long)((t1 - t0) * 1000));
        printf("%d pages: checksum 0x%08x\n", pages, sum);
    }
    free(a);
    return 0;
}
