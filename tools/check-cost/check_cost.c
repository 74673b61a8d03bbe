/* tools/check-cost — what vmlab's MMU check costs, measured on the host.
 *
 *     check_cost [MTURNS [RUNS]]     defaults: 17 (million turns), 3
 *
 * bench_mem's random phase is the one target of issue 16 where vmlab does
 * not reliably beat qemu-riscv32.  This runs that loop's translated code
 * (check_cost.S, copied from the translator's output for bench_mem's block
 * at 0x10214) outside vmlab, over the same memory bench_mem uses — 64 MiB
 * at random plus 8 MiB of "brk", filled before each run — in seven
 * variants: as translated; with each access checked on its own (the code
 * before a96dafc), and that without the compare, without the addend's
 * dependency, with a TLB that fits in L1, or with 8-byte TLB entries; and
 * with nothing at all (qemu-user's direct mapping, host = base + guest
 * address).  The variants run in turn, RUNS rounds,
 * and each must end with the same checksum.  The table gives medians.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

typedef int loop_fn(uint32_t *x, const void *tlb, const uint64_t *ctx, uint8_t *window);
loop_fn cc_direct, cc_translated, cc_separate, cc_addend, cc_addend_l1, cc_check_only, cc_compact;

/* struct tlb_data's layout (mmu/mmu.h): read tag, write tag, addend. */
struct entry {
    uint32_t rtag, wtag;
    uint64_t addend;
};
/* The compact variant's: one tag, the page's offset in the window. */
struct entry8 {
    uint32_t tag, offset;
};

#define TLB_ENTRIES 65536u
#define BUF_VA      0x02000010u     /* malloc's mmap chunk: 16 bytes in */
#define BUF_WORDS   (16u << 20)     /* 64 MiB */
#define HEAP_VA     0x01000000u
#define HEAP_WORDS  (2u << 20)      /* 8 MiB */
#define WINDOW      0x06400000u     /* guest addresses 0 .. 100 MiB */

static const struct variant {
    const char *name;
    loop_fn *fn;
    const char *what;
} variants[] = {
    { "direct", cc_direct, "no check: host = window + guest address (qemu-user)" },
    { "translated", cc_translated, "vmlab's code: buf's load and store share one check, heap's own" },
    { "separate", cc_separate, "each access checked on its own (tag compare, then the addend)" },
    { "compact", cc_compact, "separate, with 8-byte entries (32-bit offsets): half the lines" },
    { "check-only", cc_check_only, "separate's compares, the data from the window (no dependency)" },
    { "addend", cc_addend, "separate's addends, no compare (the dependency alone)" },
    { "addend-L1", cc_addend_l1, "the same with 16 TLB entries, always in L1" },
};
#define NVARIANTS (sizeof variants / sizeof variants[0])

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static long number(const char *s, long lo, long hi, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
        fprintf(stderr, "check_cost: %s must be a number from %ld to %ld, not '%s'\n", what, lo,
                hi, s);
        exit(2);
    }
    return v;
}

/* The guest registers bench_mem's loop starts with (its first turn's
 * addresses made the way the code before the loop makes them). */
static void start(uint32_t *x, uint32_t turns)
{
    uint32_t s = 2463534242u;

    memset(x, 0, 40 * sizeof *x);
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    x[6] = BUF_WORDS - 1;                                   /* t1 */
    x[10] = HEAP_VA;                                        /* a0 */
    x[11] = HEAP_WORDS - 1;                                 /* a1 */
    x[12] = BUF_VA + (s & (BUF_WORDS - 1)) * 4;             /* a2 */
    x[13] = HEAP_VA + ((s >> 7) & (HEAP_WORDS - 1)) * 4;    /* a3 */
    x[15] = s;                                              /* a5 */
    x[17] = turns;                                          /* a7 */
    x[22] = BUF_VA;                                         /* s6 */
    x[28] = s >> 3;                                         /* t3 */
}

/* buf and heap as bench_mem fills them before its random phase. */
static void fill(uint8_t *window)
{
    uint32_t *buf = (uint32_t *)(window + BUF_VA), *heap = (uint32_t *)(window + HEAP_VA);

    for (uint32_t i = 0; i < BUF_WORDS; i++)
        buf[i] = i * 2654435761u;
    for (uint32_t i = 0; i < HEAP_WORDS; i++)
        heap[i] = i ^ 0x5bd1e995u;
}

int main(int argc, char **argv)
{
    long mturns = argc > 1 ? number(argv[1], 1, 1000, "MTURNS") : 17;
    long runs = argc > 2 ? number(argv[2], 1, 100, "RUNS") : 3;
    uint8_t *window = mmap(NULL, WINDOW, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct entry *tlb = mmap(NULL, TLB_ENTRIES * (sizeof *tlb + sizeof(struct entry8)), PROT_READ | PROT_WRITE,
                             MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static double t[NVARIANTS][100];
    static uint32_t x[40];
    static uint64_t ctx[8];
    uint32_t sum = 0;

    if (argc > 3) {
        fprintf(stderr, "usage: check_cost [MTURNS [RUNS]]\n");
        return 2;
    }
    if (window == MAP_FAILED || tlb == MAP_FAILED) {
        perror("check_cost: mmap");
        return 1;
    }
    madvise(window, WINDOW, MADV_HUGEPAGE);    /* as vmlab's physical memory */
    /* Every entry's addend is the window (guest page p at window + p), so
     * the small-TLB variant's wrong entries still give the right address;
     * the tags are those of the pages bench_mem maps. */
    struct entry8 *tlb8 = (struct entry8 *)(tlb + TLB_ENTRIES);   /* at tlb + 1 MiB */
    for (uint32_t i = 0; i < TLB_ENTRIES; i++)
        tlb[i].addend = (uint64_t)(uintptr_t)window;
    for (uint32_t va = BUF_VA & ~0xfffu; va < BUF_VA + BUF_WORDS * 4; va += 4096)
        tlb[(va >> 12) % TLB_ENTRIES].rtag = tlb[(va >> 12) % TLB_ENTRIES].wtag =
            tlb8[(va >> 12) % TLB_ENTRIES].tag = va;
    for (uint32_t va = HEAP_VA; va < HEAP_VA + HEAP_WORDS * 4; va += 4096)
        tlb[(va >> 12) % TLB_ENTRIES].rtag = tlb[(va >> 12) % TLB_ENTRIES].wtag =
            tlb8[(va >> 12) % TLB_ENTRIES].tag = va;
    ctx[4] = UINT64_MAX;                      /* the budget: never reached */

    for (long r = 0; r < runs; r++)
        for (unsigned k = 0; k < NVARIANTS; k++) {
            unsigned v = (unsigned)(k + (unsigned long)r) % NVARIANTS;   /* rotate the order */
            fill(window);                     /* each run starts from the same data */
            start(x, (uint32_t)(mturns * 1000000));
            double t0 = now();
            int rc = variants[v].fn(x, tlb, ctx, window);
            t[v][r] = now() - t0;
            if (rc != 0 || x[16] != (uint32_t)(mturns * 1000000)) {
                fprintf(stderr, "check_cost: %s stopped early (a TLB miss)\n", variants[v].name);
                return 1;
            }
            if (r == 0 && k == 0)
                sum = x[23];
            else if (x[23] != sum) {
                fprintf(stderr, "check_cost: %s's checksum differs\n", variants[v].name);
                return 1;
            }
        }

    double direct = 0;
    printf("bench_mem's random loop, %ld M turns of 22 RV32 instructions (3 accesses), the\n"
           "translator's code run natively; medians of %ld rounds (checksum 0x%08x):\n",
           mturns, runs, sum);
    printf("  %-11s %8s %9s %8s  %s\n", "variant", "time s", "x direct", "ns/turn", "what it does");
    for (unsigned v = 0; v < NVARIANTS; v++) {
        qsort(t[v], (size_t)runs, sizeof t[v][0], cmp_double);
        double m = runs % 2 ? t[v][runs / 2] : (t[v][runs / 2 - 1] + t[v][runs / 2]) / 2;
        if (v == 0)
            direct = m;
        printf("  %-11s %8.3f %9.2f %8.1f  %s\n", variants[v].name, m, m / direct,
               m * 1e9 / ((double)mturns * 1e6), variants[v].what);
    }
    return 0;
}
