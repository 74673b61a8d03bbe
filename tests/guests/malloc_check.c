/* malloc_check — the teaching allocator's strategies, checked block by
 * block: holes of known sizes are made, then one request is placed, and
 * the block each strategy must pick is named in advance.  Also memalign,
 * calloc, realloc and malloc_trim.  Prints one line per check and ends
 * with "all as expected: N failure(s)". */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok)
{
    printf("%-62s %s\n", what, ok ? "ok" : "FAILED");
    failures += !ok;
}

/* A heap of fences and holes: [f0][hole 300][f1][hole 150][f2][hole 500][f3]
 * (payload sizes).  Returns the holes' addresses (as malloc gave them). */
static void make_holes(void *hole[3], void *fence[4])
{
    static const size_t sizes[3] = { 300, 150, 500 };

    for (int i = 0; i < 3; i++) {
        fence[i] = malloc(40);
        hole[i] = malloc(sizes[i]);
    }
    fence[3] = malloc(40);
    for (int i = 0; i < 3; i++)
        free(hole[i]);
}

static void clear(void *fence[4])
{
    for (int i = 0; i < 4; i++)
        free(fence[i]);
    malloc_trim(0);
}

int main(void)
{
    void *hole[3], *fence[4], *p, *q;
    char line[96];

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* first fit: the lowest hole big enough for 140 bytes is the first */
    mallopt(M_VMLAB_STRATEGY, MALLOC_FIRST_FIT);
    make_holes(hole, fence);
    p = malloc(140);
    check("first fit: malloc(140) takes the 300-byte hole (lowest)", p == hole[0]);
    free(p);
    clear(fence);

    /* best fit: the tightest hole is the 150-byte one */
    mallopt(M_VMLAB_STRATEGY, MALLOC_BEST_FIT);
    make_holes(hole, fence);
    p = malloc(140);
    check("best fit: malloc(140) takes the 150-byte hole (tightest)", p == hole[1]);
    free(p);
    clear(fence);

    /* worst fit: the largest free block is the rest of the heap, above
     * everything; with a 200-byte request it is not a hole at all */
    mallopt(M_VMLAB_STRATEGY, MALLOC_WORST_FIT);
    make_holes(hole, fence);
    p = malloc(200);
    check("worst fit: malloc(200) takes the largest block (above f3)",
          (uintptr_t)p > (uintptr_t)fence[3]);
    free(p);
    clear(fence);

    /* next fit: the search goes on from the last block taken — here the
     * free rest above f3, where the fences came from — so the holes below
     * are passed over until the search wraps around */
    mallopt(M_VMLAB_STRATEGY, MALLOC_NEXT_FIT);
    make_holes(hole, fence);
    p = malloc(140);
    check("next fit: malloc(140) goes on above f3, not to the lowest hole",
          (uintptr_t)p > (uintptr_t)fence[3]);
    free(p);
    mallopt(M_VMLAB_STRATEGY, MALLOC_NEXT_FIT);   /* the rover starts at the bottom again */
    p = malloc(140);
    q = malloc(100);
    check("next fit: from the bottom, malloc(140) takes the first hole", p == hole[0]);
    check("next fit: then malloc(100) goes on from the rest of that hole",
          (uintptr_t)q > (uintptr_t)p && (uintptr_t)q < (uintptr_t)fence[1]);
    free(q);
    free(p);
    clear(fence);

    /* size classes: a 140-byte request looks in the 128..255 class first,
     * where the 150-byte hole is */
    mallopt(M_VMLAB_STRATEGY, MALLOC_SIZE_CLASSES);
    make_holes(hole, fence);
    p = malloc(140);
    check("classes: malloc(140) takes the hole of its class (150)", p == hole[1]);
    free(p);
    struct malloc_info mi;
    malloc_info_get(&mi);
    unsigned long before = mi.searched;
    p = malloc(20);
    malloc_info_get(&mi);
    check("classes: a small request looks at few blocks", mi.searched - before <= 3);
    free(p);
    clear(fence);

    /* changing the strategy with blocks in the heap keeps every one */
    mallopt(M_VMLAB_STRATEGY, MALLOC_FIRST_FIT);
    make_holes(hole, fence);
    mallopt(M_VMLAB_STRATEGY, MALLOC_SIZE_CLASSES);
    mallopt(M_VMLAB_STRATEGY, MALLOC_BEST_FIT);
    p = malloc(140);
    check("switching strategies keeps the holes (best fit finds 150)", p == hole[1]);
    free(p);
    clear(fence);

    /* the rest of the interface */
    mallopt(M_VMLAB_STRATEGY, MALLOC_FIRST_FIT);
    for (size_t align = 16; align <= 4096; align *= 4) {
        p = memalign(align, 100);
        snprintf(line, sizeof line, "memalign(%zu, 100) is aligned", align);
        check(line, p && ((uintptr_t)p & (align - 1)) == 0);
        free(p);
    }
    int e = posix_memalign(&p, 3, 10);
    check("posix_memalign with alignment 3 is EINVAL", e != 0 && e == 22);
    unsigned char *c = calloc(100, 3);
    int zero = 1;
    for (int i = 0; i < 300; i++)
        zero &= c[i] == 0;
    check("calloc(100, 3) is zeroed", zero);
    memset(c, 'x', 300);
    c = realloc(c, 5000);
    check("realloc to 5000 keeps the bytes", c && c[0] == 'x' && c[299] == 'x');
    check("malloc_usable_size >= 5000", malloc_usable_size(c) >= 5000);
    free(c);
    volatile size_t huge = (size_t)-1 / 2;     /* volatile: gcc would refuse the call */
    check("calloc overflow fails", calloc(huge, 4) == NULL);
    check("mallopt(unknown strategy) fails", mallopt(M_VMLAB_STRATEGY, 9) == 0);
    check("malloc_strategy_name(MALLOC_BEST_FIT) is \"best\"",
          !strcmp(malloc_strategy_name(MALLOC_BEST_FIT), "best"));
    void *a = malloc(1000);
    free(a);
    void *brk_before = sbrk(0);
    check("malloc_trim(0) with nothing allocated gives the heap back", malloc_trim(0) == 1);
    check("... and the break is lower", (uintptr_t)sbrk(0) < (uintptr_t)brk_before);
    p = malloc(10);
    check("the next malloc makes a new heap", p != NULL);
    free(p);

    printf("all as expected: %d failure(s)\n", failures);
    return failures != 0;
}
