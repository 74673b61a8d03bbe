/* bench_cpu — the compute workload of `make bench`.
 *
 *     bench_cpu [SCALE]        SCALE >= 1, default 1
 *
 * Three classic kernels, each run SCALE times:
 *   - fib: the doubly recursive Fibonacci (calls, returns, stack traffic);
 *   - sieve: the sieve of Eratosthenes over a 1 MiB byte array (byte loads
 *     and stores, data-dependent branches);
 *   - matmul: 128 x 128 integer matrix products (mul, word loads, a tight
 *     inner loop).
 * One SCALE unit is about 1.4 G RV32 instructions (the exact count depends
 * on the compiler; `vmlab run --stats` prints it), so the default run stays
 * short enough for CI and `bench_cpu 7` is about 10 G.
 *
 * The program prints checksums only, all computed in 32-bit unsigned
 * arithmetic, so the output is the same under vmlab, qemu-riscv32 and a
 * native build on the host (this file also compiles with the host's libc;
 * no timing is done here: the harness times the whole process).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FIB_N         32        /* fib(32) = 2178309: ~7 M calls */
#define FIB_REPS      10
#define SIEVE_SIZE    (1u << 20)
#define SIEVE_REPS    28
#define MAT_N         128
#define MAT_REPS      32

static uint8_t composite[SIEVE_SIZE];
static uint32_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N], mc[MAT_N][MAT_N];

/* FNV-1a step over one 32-bit word: the running checksum of everything. */
static uint32_t mix(uint32_t h, uint32_t v)
{
    return (h ^ v) * 16777619u;
}

static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* Sieve the numbers below `limit`; returns the count of primes mixed with
 * their sum.  `limit` changes from call to call so no work can be reused. */
static uint32_t sieve(uint32_t limit)
{
    uint32_t count = 0, sum = 0;

    for (uint32_t i = 0; i < limit; i++)
        composite[i] = 0;
    for (uint32_t i = 2; i * i < limit; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j < limit; j += i)
                composite[j] = 1;
    for (uint32_t i = 2; i < limit; i++)
        if (!composite[i]) {
            count++;
            sum += i;
        }
    return mix(count, sum);
}

static void mat_fill(uint32_t seed)
{
    uint32_t x = seed | 1;

    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            x = x * 1664525u + 1013904223u;
            ma[i][j] = x >> 20;
            x = x * 1664525u + 1013904223u;
            mb[i][j] = x >> 20;
        }
}

/* mc = ma * mb, then feed the product back into ma so that every round
 * computes something new.  Returns a checksum of the product. */
static uint32_t matmul(void)
{
    uint32_t h = 2166136261u;

    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            uint32_t sum = 0;
            for (int k = 0; k < MAT_N; k++)
                sum += ma[i][k] * mb[k][j];
            mc[i][j] = sum;
        }
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            h = mix(h, mc[i][j]);
            ma[i][j] = (mc[i][j] >> 9) & 4095;
        }
    return h;
}

int main(int argc, char **argv)
{
    long scale = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
    uint32_t hfib = 2166136261u, hsieve = 2166136261u, hmat = 2166136261u;

    if (scale < 1 || scale > 1000) {
        fprintf(stderr, "usage: bench_cpu [SCALE]   (1..1000, default 1)\n");
        return 2;
    }
    for (long s = 0; s < scale; s++) {
        for (int r = 0; r < FIB_REPS; r++)
            hfib = mix(hfib, fib(FIB_N - (uint32_t)(r & 1)));
        for (int r = 0; r < SIEVE_REPS; r++)
            hsieve = mix(hsieve, sieve(SIEVE_SIZE - (uint32_t)r * 1000u));
        mat_fill((uint32_t)s);
        for (int r = 0; r < MAT_REPS; r++)
            hmat = mix(hmat, matmul());
    }
    printf("bench_cpu scale %ld: fib 0x%08x sieve 0x%08x matmul 0x%08x\n", scale,
           (unsigned)hfib, (unsigned)hsieve, (unsigned)hmat);
    printf("checksum 0x%08x\n", (unsigned)mix(mix(hfib, hsieve), hmat));
    return 0;
}
