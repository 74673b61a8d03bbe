/* rmw_pages — x[i] += y[j] at random over two arrays of pages, then a hash
 * of both: the same output whatever the memory size, the policy or the
 * engine.
 *
 * The translator checks the TLB once for the load and the store of x[i]
 * and lets the load of y[j] between them keep its own check (a group that
 * takes in another register's access, emu/jit.c).  Under a few frames,
 * y[j]'s page-in may evict x[i]'s page and hand its frame to y: the store
 * must then find x[i] again, not write through the address the group's
 * check gave.  The test suite runs this at --mem 64K (16 frames) against
 * the default memory.
 *
 * Usage: rmw_pages [OPS]   (default 20000) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define WORDS (40u * 1024)      /* 40 pages each */

static uint32_t x[WORDS], y[WORDS];

int main(int argc, char **argv)
{
    long ops = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    uint32_t s = 2463534242u, hx = 2166136261u, hy = 2166136261u;

    if (ops < 1 || ops > 100000000) {
        fprintf(stderr, "usage: rmw_pages [OPS from 1 to 100000000]\n");
        return 2;
    }
    for (uint32_t i = 0; i < WORDS; i++) {
        x[i] = i;
        y[i] = i * 2654435761u;
    }
    for (long op = 0; op < ops; op++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        uint32_t *p = &x[s % WORDS];
        *p += y[(s >> 8) % WORDS];
    }
    for (uint32_t i = 0; i < WORDS; i++) {
        hx = (hx ^ x[i]) * 16777619u;
        hy = (hy ^ y[i]) * 16777619u;
    }
    printf("rmw_pages: %ld operations, x 0x%08x, y 0x%08x\n", ops, (unsigned)hx, (unsigned)hy);
    return 0;
}
