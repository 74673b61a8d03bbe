/* alloc_strategies — the same allocation pattern under each of malloc's
 * strategies, and what each one costs.
 *
 * An allocator chooses which free block a request gets.  First fit takes
 * the lowest one big enough; next fit goes on from where it stopped last;
 * best fit searches for the tightest; worst fit takes the largest, hoping
 * the rest stays useful; segregated size classes keep one list per size
 * range and look only where a fit can be.  The choice trades search time
 * against fragmentation: free bytes scattered in holes too small for the
 * next request.
 *
 * The pattern: 256 blocks of mixed sizes (mostly small, some medium, a
 * few large), then 3000 random frees and mallocs with a fixed seed, so
 * every strategy sees exactly the same requests.  For each strategy:
 *
 *   brk calls    how often malloc asked the kernel to move the break
 *   peak heap    the largest the heap grew
 *   ext. frag.   free bytes outside the largest free block, with the
 *                pattern's blocks still allocated: memory a request of
 *                that size could not use
 *   searched     free blocks looked at per malloc
 *
 * Between strategies everything is freed and malloc_trim(0) gives the
 * whole heap back, so each starts from an empty heap.  Any program can
 * pick a strategy too: VMLAB_MALLOC=best vmlab run build/guests/alloc.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <vmlab.h>

#define SLOTS 256
#define STEPS 3000

static void *slot[SLOTS];
static uint32_t seed;

static uint32_t next_random(void)
{
    seed = seed * 1103515245u + 12345u;         /* the C standard's example LCG */
    return seed >> 8;
}

/* Mostly small blocks, some medium, a few large: what programs do. */
static size_t request_size(void)
{
    uint32_t r = next_random() % 100;
    if (r < 70)
        return 16 + next_random() % 240;
    if (r < 95)
        return 256 + next_random() % 1792;
    return 2048 + next_random() % 14336;
}

struct outcome {
    unsigned brk_calls;
    unsigned long peak, ext_frag, free_bytes, mallocs, searched;
};

static void run(int strategy, struct outcome *o)
{
    struct malloc_info before, after;
    uintptr_t base = (uintptr_t)sbrk(0), peak = base;
    unsigned brk0 = vmlab_brk_calls();

    mallopt(M_VMLAB_STRATEGY, strategy);
    malloc_info_get(&before);
    seed = 2024;
    for (int i = 0; i < SLOTS; i++) {
        slot[i] = malloc(request_size());
        if ((uintptr_t)sbrk(0) > peak)
            peak = (uintptr_t)sbrk(0);
    }
    for (int step = 0; step < STEPS; step++) {
        int i = (int)(next_random() % SLOTS);
        if (slot[i]) {
            free(slot[i]);
            slot[i] = NULL;
        } else {
            slot[i] = malloc(request_size());
        }
        if ((uintptr_t)sbrk(0) > peak)
            peak = (uintptr_t)sbrk(0);
    }
    malloc_info_get(&after);
    o->free_bytes = after.bytes_free;
    o->ext_frag = after.bytes_free - after.largest_free;
    o->mallocs = after.mallocs - before.mallocs;
    o->searched = after.searched - before.searched;
    o->peak = peak - base;
    for (int i = 0; i < SLOTS; i++) {
        free(slot[i]);
        slot[i] = NULL;
    }
    malloc_trim(0);
    o->brk_calls = vmlab_brk_calls() - brk0;
}

int main(void)
{
    static const char *const about[] = {
        "the lowest free block that fits",
        "the next one that fits after the last choice",
        "the smallest that fits",
        "the largest",
        "the first fit within the request's size class",
    };
    struct outcome o[5];

    printf("alloc_strategies: %d blocks, then %d random frees and mallocs, under each\n"
           "malloc strategy (sizes 16 B to 16 KiB, the same sequence every time)\n\n",
           SLOTS, STEPS);
    for (int s = MALLOC_FIRST_FIT; s <= MALLOC_SIZE_CLASSES; s++)
        run(s, &o[s]);

    printf("%-8s %-46s %5s %10s %12s %9s\n", "strategy", "takes", "brk", "peak heap",
           "ext. frag.", "searched");
    for (int s = MALLOC_FIRST_FIT; s <= MALLOC_SIZE_CLASSES; s++)
        printf("%-8s %-46s %5u %7lu KiB %8lu B %3lu%% %6lu.%lu\n", malloc_strategy_name(s),
               about[s], o[s].brk_calls, o[s].peak / 1024, o[s].ext_frag,
               o[s].free_bytes ? o[s].ext_frag * 100 / o[s].free_bytes : 0,
               o[s].searched / o[s].mallocs, o[s].searched * 10 / o[s].mallocs % 10);
    printf("\nbrk: calls that moved (or asked for) the break, growing and trimming.\n"
           "ext. frag.: free bytes outside the largest free block, and their share of\n"
           "all free bytes, while the pattern's blocks are still allocated.\n"
           "searched: free blocks malloc looked at, per malloc.\n");
    return 0;
}
