/* bench_mem — the memory workload of `make bench`.
 *
 *     bench_mem [MIB [MOPS [BRK_MIB]]]     defaults: 64 MiB, 17 M operations, 8 MiB
 *
 * Random reads and writes spread over a big buffer, so that nearly every
 * access lands on a different page than the one before: the TLB misses,
 * the page-table walks and the demand paging of a software MMU are what
 * this measures.  The buffer (MIB, a power of two) comes from malloc,
 * which hands such a large block its own mmap mapping; a second region of
 * BRK_MIB (a power of two) is grown with sbrk, i.e. the heap's brk end.
 * Each operation picks a word with a xorshift32 generator, reads it and
 * writes it back changed, and reads one word of the brk region.  A final
 * pass hashes the whole buffer.  The default run is about 0.6 G RV32
 * instructions and touches 72 MiB, which vmlab's default physical memory
 * (4 GiB) holds without swapping.  MOPS 0 leaves out the random phase.
 *
 * Output is checksums only, in 32-bit arithmetic, and identical under
 * vmlab, qemu-riscv32 and a native build (this file also compiles with the
 * host's libc; timing is the harness's job).
 */
#define _DEFAULT_SOURCE         /* sbrk in the host's <unistd.h> */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

/* xorshift32 (Marsaglia 2003): full period 2^32 - 1 for a non-zero seed. */
static uint32_t xorshift32(uint32_t *s)
{
    uint32_t x = *s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static int is_pow2(unsigned long v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/* Argument i as a number, or `def` when absent; -1 when not a number. */
static long arg(int argc, char **argv, int i, long def)
{
    char *end;
    long v;

    if (argc <= i)
        return def;
    v = strtol(argv[i], &end, 10);
    return *end == '\0' && v >= 0 ? v : -1;
}

int main(int argc, char **argv)
{
    long mib = arg(argc, argv, 1, 64), mops = arg(argc, argv, 2, 17);
    long brk_mib = arg(argc, argv, 3, 8);
    uint32_t s = 2463534242u, sum = 0, h = 2166136261u;
    uint32_t *buf, *heap;
    size_t words, brk_words;

    if (!is_pow2((unsigned long)mib) || mib > 1024 || mops < 0 || mops > 100000 ||
        !is_pow2((unsigned long)brk_mib) || brk_mib > 1024) {
        fprintf(stderr, "usage: bench_mem [MIB [MOPS [BRK_MIB]]]  "
                        "(MIB and BRK_MIB powers of two)\n");
        return 2;
    }
    words = (size_t)mib * MIB / 4;
    brk_words = (size_t)brk_mib * MIB / 4;

    buf = malloc(words * 4);
    if (!buf) {
        fprintf(stderr, "bench_mem: malloc(%ld MiB) failed\n", mib);
        return 1;
    }
    heap = sbrk((intptr_t)(brk_words * 4));
    if (heap == (void *)-1) {
        fprintf(stderr, "bench_mem: sbrk(%ld MiB) failed\n", brk_mib);
        return 1;
    }

    /* Touch every page: sequential writes, one demand-paging fault per page. */
    for (size_t i = 0; i < words; i++)
        buf[i] = (uint32_t)i * 2654435761u;
    for (size_t i = 0; i < brk_words; i++)
        heap[i] = (uint32_t)i ^ 0x5bd1e995u;

    /* The random phase: a read-modify-write in buf, a read in the brk area. */
    for (long op = 0; op < mops * 1000000L; op++) {
        uint32_t x = xorshift32(&s);
        uint32_t *p = &buf[x & (words - 1)];
        uint32_t v = *p;

        *p = v + (x >> 3);
        sum += v ^ heap[(x >> 7) & (brk_words - 1)];
    }

    for (size_t i = 0; i < words; i++)
        h = (h ^ buf[i]) * 16777619u;

    /* Give the brk area back before stdio may want a heap of its own. */
    if (sbrk(-(intptr_t)(brk_words * 4)) == (void *)-1) {
        fprintf(stderr, "bench_mem: shrinking brk failed\n");
        return 1;
    }
    free(buf);
    printf("bench_mem %ld MiB malloc + %ld MiB brk, %ld M operations: "
           "reads 0x%08x buffer 0x%08x\n", mib, brk_mib, mops, (unsigned)sum, (unsigned)h);
    printf("checksum 0x%08x\n", (unsigned)((sum ^ h) * 16777619u));
    return 0;
}
