/* matrix — a compute-heavy guest: integer matrix products and division.
 *
 * Multiplies two 120 x 120 integer matrices three times (about 5 million
 * multiply-adds), then runs a loop of multiplications, divisions and
 * remainders (mul, mulh, mulhu, div, divu, rem, remu).  It prints checksums
 * only, so its output is the same on every correct RV32IM machine.  Use it
 * to compare speed (`make bench`) and to see a program whose three
 * 56 KiB matrices live in the bss segment.
 */
#include <stdint.h>
#include <stdio.h>

#define N 120
#define ROUNDS 3

static uint32_t a[N][N], b[N][N], c[N][N];      /* bss: 3 x 57600 bytes */

static void fill(void)
{
    uint32_t x = 12345;

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            x = x * 1664525u + 1013904223u;
            a[i][j] = x >> 20;                  /* 0..4095 */
            x = x * 1664525u + 1013904223u;
            b[i][j] = x >> 20;
        }
}

static void multiply(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            uint32_t sum = 0;
            for (int k = 0; k < N; k++)
                sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
}

static uint32_t checksum(void)
{
    uint32_t h = 2166136261u;                   /* FNV-1a over the words */

    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            h = (h ^ c[i][j]) * 16777619u;
    return h;
}

/* Feed the result back into a so each round computes something new. */
static void feed_back(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            a[i][j] = (c[i][j] >> 7) & 4095;
}

static void divisions(uint32_t *usum, int32_t *ssum, uint32_t *hsum)
{
    uint32_t x = 987654321u, us = 0, hs = 0;
    int32_t ss = 0;

    for (int32_t i = 1; i <= 200000; i++) {
        x = x * 1103515245u + (uint32_t)i;
        uint32_t d = (uint32_t)(i % 1000) + 2;          /* never 0 */
        int32_t sx = (int32_t)x;                        /* often negative */
        int32_t sd = (i & 1) ? (int32_t)d : -(int32_t)d;

        us += x / d + x % (d + 5);                      /* divu, remu */
        ss += sx / sd + sx % (sd | 1);                  /* div, rem */
        hs ^= (uint32_t)(((uint64_t)x * (d << 20)) >> 32);          /* mulhu */
        hs += (uint32_t)(((int64_t)sx * (int64_t)sd * 4099) >> 32); /* mulh */
    }
    *usum = us;
    *ssum = ss;
    *hsum = hs;
}

int main(void)
{
    uint32_t us, hs;
    int32_t ss;

    printf("matrix: %d x %d integer matrices, %d products\n", N, N, ROUNDS);
    fill();
    for (int r = 0; r < ROUNDS; r++) {
        multiply();
        printf("  product %d: checksum 0x%08x, c[0][0] = %u, c[%d][%d] = %u\n", r + 1,
               (unsigned)checksum(), (unsigned)c[0][0], N - 1, N - 1,
               (unsigned)c[N - 1][N - 1]);
        feed_back();
    }
    divisions(&us, &ss, &hs);
    printf("division loop: unsigned 0x%08x, signed %d (0x%08x),\n"
           "               high products 0x%08x\n",
           (unsigned)us, (int)ss, (unsigned)ss, (unsigned)hs);
    return 0;
}
