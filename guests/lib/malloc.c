/* malloc.c — vmlab's teaching allocator: boundary tags over brk, mmap for
 * large blocks, and five ways to choose a free block.
 *
 * Heap layout (every block starts 4 bytes before an 8-aligned payload):
 *
 *   heap_lo                                                       heap_hi
 *   | pad | prologue |  block  |  block  | ...  |  block  | epilogue |
 *          hdr  ftr   hdr..ftr                              hdr (size 0)
 *
 *   block:  [ header: size | flags ][ payload ............ ][ footer ]
 *            4 bytes                 size - 8 bytes            4 bytes
 *
 * size counts the whole block (a multiple of 8, at least 16); flags are
 * B_USED (allocated), B_MMAPPED (a block of its own mapping) and B_FOREIGN
 * (bytes between two of our brk areas that someone else took).  Header and
 * footer hold the same word ("boundary tags"), so free() can find both
 * neighbours in constant time.  The prologue and epilogue are permanently
 * "used" sentinels, so merging never runs off either end.
 *
 * A free block keeps two pointers in its payload: the next and previous
 * free block of its list, in address order.  Which list, and which block
 * of it malloc takes, is the strategy (VMLAB_MALLOC=name, or
 * mallopt(M_VMLAB_STRATEGY, MALLOC_...)):
 *
 *   first    one list; the first block big enough, from the lowest address
 *   next     one list; the first big enough after the previous choice
 *            (a roving pointer, wrapping around once)
 *   best     one list; the smallest block big enough (the whole list is
 *            searched unless a block fits exactly)
 *   worst    one list; the largest block
 *   classes  segregated lists, one per power-of-two size class; the first
 *            block big enough in the request's class or the next ones up
 *
 * Changing the strategy rebuilds the lists by walking the heap — the
 * boundary tags make every block findable.  malloc_info_get counts the
 * mallocs and the free blocks they looked at, which alloc_strategies uses.
 *
 * Thread-safe: one recursive lock (futex.c) around every entry point.
 * Known limits: not async-signal-safe (do not malloc in a
 * signal handler that can interrupt malloc); the lists are searched
 * linearly, and kept in address order by a linear insert.
 */
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmlab.h>

#include "os.h"

typedef uint32_t tag_t;

#define B_USED     1u
#define B_MMAPPED  2u
#define B_FOREIGN  4u
#define B_FLAGS    7u
#define MIN_BLOCK  16u          /* header + two list pointers + footer */
#define OVERHEAD   8u           /* header + footer */
#define PAGE       4096u

#define NCLASSES   14           /* [16,32) [32,64) ... [64 KiB, 128 KiB) and up */

static char *heap_base;         /* the break when the heap was made */
static char *heap_lo;           /* start of the brk area we own (0: none yet) */
static char *heap_hi;           /* its end; the epilogue tag is at heap_hi - 4 */
static char *lists[NCLASSES];   /* free lists, each in address order; [0] unless "classes" */
static char *rover;             /* next fit: where the last search ended */
static int strategy = -1;       /* MALLOC_FIRST_FIT ..., -1: not chosen yet */
static unsigned mmapped_blocks;
static unsigned long mmapped_bytes;
static unsigned long n_mallocs, n_searched;
static size_t mmap_threshold = MALLOC_MMAP_THRESHOLD;  /* see mallopt() */

/* ---- block helpers (b = address of a block's header) ---------------------- */

static tag_t tag(const char *b) { return *(const tag_t *)b; }
static size_t bsize(const char *b) { return tag(b) & ~B_FLAGS; }
static int is_used(const char *b) { return (tag(b) & B_USED) != 0; }
static char *next_block(char *b) { return b + bsize(b); }
static char *prev_block(char *b) { return b - (*(tag_t *)(b - 4) & ~B_FLAGS); }
static char *payload(char *b) { return b + 4; }
static char *block_of(void *p) { return (char *)p - 4; }

/* Write header and footer. */
static void set_block(char *b, size_t size, tag_t flags)
{
    *(tag_t *)b = (tag_t)size | flags;
    *(tag_t *)(b + size - 4) = (tag_t)size | flags;
}

static void set_epilogue(char *end)
{
    *(tag_t *)(end - 4) = B_USED;               /* size 0, used */
}

#define NEXT_FREE(b) (*(char **)((b) + 4))
#define PREV_FREE(b) (*(char **)((b) + 8))

static size_t round_up(size_t n, size_t to)
{
    return (n + to - 1) & ~(to - 1);
}

/* ---- the free lists, each sorted by address ---------------------------------- */

static int class_of(size_t size)
{
    int c = 0;

    for (size_t s = size >> 5; s && c < NCLASSES - 1; s >>= 1)
        c++;
    return c;                                   /* 16..31 -> 0, 32..63 -> 1, ... */
}

static char **list_for(size_t size)
{
    return &lists[strategy == MALLOC_SIZE_CLASSES ? class_of(size) : 0];
}

static void list_insert(char *b)
{
    char **head = list_for(bsize(b));
    char *prev = NULL, *cur = *head;

    while (cur && cur < b) {
        prev = cur;
        cur = NEXT_FREE(cur);
    }
    NEXT_FREE(b) = cur;
    PREV_FREE(b) = prev;
    if (prev)
        NEXT_FREE(prev) = b;
    else
        *head = b;
    if (cur)
        PREV_FREE(cur) = b;
}

static void list_remove(char *b)
{
    char **head = list_for(bsize(b));

    if (rover == b)
        rover = NEXT_FREE(b);
    if (PREV_FREE(b))
        NEXT_FREE(PREV_FREE(b)) = NEXT_FREE(b);
    else
        *head = NEXT_FREE(b);
    if (NEXT_FREE(b))
        PREV_FREE(NEXT_FREE(b)) = PREV_FREE(b);
}

/* Make b, on a list, a free block of `size` bytes: its list may change. */
static void resize_free(char *b, size_t size)
{
    list_remove(b);
    set_block(b, size, 0);
    list_insert(b);
}

/* Put every free block of the heap on the list the strategy wants. */
static void rebuild_lists(void)
{
    for (int c = 0; c < NCLASSES; c++)
        lists[c] = NULL;
    rover = NULL;
    if (!heap_lo)
        return;
    for (char *b = heap_lo + 12; bsize(b) != 0; b = next_block(b))
        if (!is_used(b))
            list_insert(b);
}

static const char *const strategy_names[] = { "first", "next", "best", "worst", "classes" };

/* The strategy, chosen on first use from $VMLAB_MALLOC (first fit when
 * it is unset or not a strategy's name). */
static void choose_strategy(void)
{
    const char *want = getenv("VMLAB_MALLOC");

    strategy = MALLOC_FIRST_FIT;
    for (int i = 0; want && i <= MALLOC_SIZE_CLASSES; i++)
        if (!strcmp(want, strategy_names[i]))
            strategy = i;
}

/* ---- freeing: coalesce and give the top back -------------------------------- */

/* Hand the top of the heap back to the kernel if the last block is free
 * and at least MALLOC_TRIM_THRESHOLD bytes: keep MALLOC_GROW_MIN of it. */
static void trim_top(char *b)
{
    size_t size = bsize(b), rel;

    if (next_block(b) != heap_hi - 4 || size < MALLOC_TRIM_THRESHOLD)
        return;
    if ((char *)sbrk(0) != heap_hi)
        return;                                 /* someone else moved brk */
    rel = (size - MALLOC_GROW_MIN) & ~(size_t)(PAGE - 1);
    if (rel == 0 || sbrk(-(intptr_t)rel) == (void *)-1)
        return;
    heap_hi -= rel;
    resize_free(b, size - rel);
    set_epilogue(heap_hi);
}

/* Mark block b free, merge it with free neighbours, put it on its list.
 * Returns the (possibly bigger) free block that now contains b. */
static char *coalesce(char *b)
{
    size_t size = bsize(b);
    char *next = next_block(b);

    if (!is_used(next)) {                       /* absorb the next block */
        list_remove(next);
        size += bsize(next);
    }
    if (!is_used(b - 4)) {                      /* the footer before b: merge into prev */
        char *prev = prev_block(b);
        list_remove(prev);
        size += bsize(prev);
        b = prev;
    }
    set_block(b, size, 0);
    list_insert(b);
    return b;
}

static void release(char *b)
{
    trim_top(coalesce(b));
}

/* ---- growing the heap ------------------------------------------------------- */

/* Get at least `need` more bytes of free block from the kernel with sbrk.
 * Returns 0, or -1 (errno ENOMEM) if brk refused. */
static int grow(size_t need)
{
    size_t incr = need + 32;                    /* room for the sentinels */
    char *old, *end, *b;

    if (incr < MALLOC_GROW_MIN)
        incr = MALLOC_GROW_MIN;
    incr = round_up(incr, PAGE);
    /* Make the new break a multiple of 8 even if someone else left it odd,
     * so the next growth continues right at our epilogue. */
    incr += (size_t)(0 - ((uintptr_t)sbrk(0) + incr)) & 7;
    if (incr < need || incr > (size_t)INTPTR_MAX) {
        errno = ENOMEM;
        return -1;
    }
    old = sbrk((intptr_t)incr);
    if (old == (void *)-1)
        return -1;                              /* sbrk set ENOMEM */
    end = old + incr;

    if (!heap_lo) {
        /* First area: pad to 8, prologue, one big free block, epilogue. */
        heap_base = old;
        heap_lo = (char *)round_up((uintptr_t)old, 8);
        set_block(heap_lo + 4, 8, B_USED);      /* prologue */
        b = heap_lo + 12;
    } else if (old == heap_hi) {
        /* Contiguous: the old epilogue becomes the new block's header. */
        b = heap_hi - 4;
    } else if (old > heap_hi) {
        /* Someone else moved the break: the gap becomes a foreign block. */
        char *nb = (char *)round_up((uintptr_t)old, 8) + 4;
        set_block(heap_hi - 4, (size_t)(nb - (heap_hi - 4)), B_USED | B_FOREIGN);
        b = nb;
    } else {
        errno = ENOMEM;                         /* the break went below our heap */
        return -1;
    }
    heap_hi = end;
    set_epilogue(end);
    set_block(b, (size_t)(end - 4 - b), B_USED);
    coalesce(b);                                /* no trim: we want it */
    return 0;
}

/* ---- mmap'd blocks -------------------------------------------------------- */

/* A large block gets a mapping of its own:
 *   map+0: unused   map+4: header (length | B_MMAPPED | B_USED)   map+8: payload */
static void *mmap_alloc(size_t n)
{
    size_t len = round_up(n + OVERHEAD, PAGE);
    char *m;

    if (len < n) {
        errno = ENOMEM;
        return NULL;
    }
    m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;                            /* errno from mmap */
    *(tag_t *)(m + 4) = (tag_t)len | B_MMAPPED | B_USED;
    mmapped_blocks++;
    mmapped_bytes += len;
    return m + 8;
}

static void mmap_free(char *b)
{
    size_t len = bsize(b);

    mmapped_blocks--;
    mmapped_bytes -= len;
    munmap(b - 4, len);
}

/* ---- the public interface ----------------------------------------------- */

__attribute__((noreturn)) static void heap_corrupt(const char *what, void *p)
{
    fprintf(stderr, "%s: invalid pointer or double free: %p\n", what, p);
    abort();
}

/* Check that p is something malloc handed out and that is still allocated. */
static char *checked_block(const char *what, void *p)
{
    char *b = block_of(p);

    if ((uintptr_t)p & 7)
        heap_corrupt(what, p);
    if (heap_lo && b > heap_lo && b < heap_hi - 4) {
        if ((tag(b) & (B_USED | B_MMAPPED | B_FOREIGN)) != B_USED ||
            bsize(b) < MIN_BLOCK || b + bsize(b) > heap_hi - 4 ||
            *(tag_t *)(b + bsize(b) - 4) != tag(b))
            heap_corrupt(what, p);
        return b;
    }
    if ((((uintptr_t)p - 8) & (PAGE - 1)) == 0 &&
        (tag(b) & (B_USED | B_MMAPPED)) == (B_USED | B_MMAPPED))
        return b;
    heap_corrupt(what, p);
}

/* Block size for a heap request of n bytes (n < mmap_threshold). */
static size_t block_size_for(size_t n)
{
    n = round_up(n + OVERHEAD, 8);
    return n < MIN_BLOCK ? MIN_BLOCK : n;
}

/* The free block the strategy picks for `need` bytes, or NULL.  Every
 * block looked at is counted in n_searched. */
static char *find_fit(size_t need)
{
    char *pick = NULL;

    switch (strategy) {
    case MALLOC_FIRST_FIT:
        for (char *b = lists[0]; b; b = NEXT_FREE(b)) {
            n_searched++;
            if (bsize(b) >= need)
                return b;
        }
        return NULL;
    case MALLOC_NEXT_FIT: {
        char *start = rover ? rover : lists[0];
        for (char *b = start; b; b = NEXT_FREE(b)) {
            n_searched++;
            if (bsize(b) >= need)
                return b;
        }
        for (char *b = lists[0]; b && b != start; b = NEXT_FREE(b)) {   /* wrap around */
            n_searched++;
            if (bsize(b) >= need)
                return b;
        }
        return NULL;
    }
    case MALLOC_BEST_FIT:
        for (char *b = lists[0]; b; b = NEXT_FREE(b)) {
            n_searched++;
            if (bsize(b) >= need && (!pick || bsize(b) < bsize(pick))) {
                pick = b;
                if (bsize(b) == need)
                    break;                      /* nothing fits better */
            }
        }
        return pick;
    case MALLOC_WORST_FIT:
        for (char *b = lists[0]; b; b = NEXT_FREE(b)) {
            n_searched++;
            if (bsize(b) >= need && (!pick || bsize(b) > bsize(pick)))
                pick = b;
        }
        return pick;
    default:                                    /* MALLOC_SIZE_CLASSES */
        for (int c = class_of(need); c < NCLASSES; c++)
            for (char *b = lists[c]; b; b = NEXT_FREE(b)) {
                n_searched++;
                if (bsize(b) >= need)
                    return b;
            }
        return NULL;
    }
}

/* A block of `need` bytes (block_size_for) from the brk heap: the block
 * the strategy picks, split if the rest can be a block of its own; the
 * heap grows once if nothing fits.  Returns the payload, or NULL with
 * errno ENOMEM. */
static void *heap_alloc(size_t need)
{
    if (strategy < 0)
        choose_strategy();
    n_mallocs++;
    for (int attempt = 0; attempt < 2; attempt++) {
        char *b = find_fit(need);
        if (b) {
            size_t size = bsize(b);
            list_remove(b);
            if (size - need >= MIN_BLOCK) {     /* split: the rest stays free */
                char *rest = b + need;
                set_block(rest, size - need, 0);
                list_insert(rest);
                rover = rest;
                size = need;
            } else {
                rover = NEXT_FREE(b);           /* next fit goes on after b */
            }
            set_block(b, size, B_USED);
            return payload(b);
        }
        if (attempt == 0 && grow(need) < 0)
            return NULL;                        /* errno = ENOMEM */
    }
    errno = ENOMEM;
    return NULL;
}

/* malloc itself.  The other entry points call this, not malloc: picolibc
 * declares malloc with the malloc attribute, and the compiler would then
 * treat the block's header, just below the payload, as out of bounds. */
static void *alloc(size_t n)
{
    if (n >= mmap_threshold)
        return mmap_alloc(n);
    return heap_alloc(block_size_for(n));
}

static void *malloc_unlocked(size_t n)
{
    return alloc(n);
}

/* An aligned block comes from the heap: ask for `align` bytes more, then
 * cut the front off as a free block of its own so that the payload lands
 * on the boundary (at least MIN_BLOCK in, so the front is a real block). */
static void *memalign_unlocked(size_t align, size_t n)
{
    char *p, *b, *nb;
    uintptr_t a;

    if (align <= 8)
        return alloc(n);
    if (align & (align - 1)) {
        errno = EINVAL;
        return NULL;
    }
    if (n > SIZE_MAX / 2 || align > SIZE_MAX / 4) {
        errno = ENOMEM;
        return NULL;
    }
    p = heap_alloc(block_size_for(n) + align + MIN_BLOCK);
    if (!p || ((uintptr_t)p & (align - 1)) == 0)
        return p;
    b = block_of(p);
    a = round_up((uintptr_t)p + MIN_BLOCK, align);
    nb = (char *)a - 4;
    set_block(nb, bsize(b) - (size_t)(nb - b), B_USED);
    set_block(b, (size_t)(nb - b), B_USED);
    release(b);
    return (void *)a;
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    void *p;

    if (align < sizeof(void *) || (align & (align - 1)))
        return EINVAL;
    p = memalign(align, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    return memalign(PAGE, n);
}

void *pvalloc(size_t n)
{
    return memalign(PAGE, round_up(n, PAGE));
}

static int mallopt_unlocked(int param, int value)
{
    switch (param) {
    case M_MMAP_THRESHOLD:
        if (value < 0)
            return 0;
        mmap_threshold = (size_t)value;
        return 1;
    case M_VMLAB_STRATEGY:
        if (value < MALLOC_FIRST_FIT || value > MALLOC_SIZE_CLASSES)
            return 0;
        strategy = value;
        rebuild_lists();
        return 1;
    default:
        return 0;
    }
}

const char *malloc_strategy_name(int s)
{
    return s >= MALLOC_FIRST_FIT && s <= MALLOC_SIZE_CLASSES ? strategy_names[s] : NULL;
}

static int malloc_trim_unlocked(size_t pad)
{
    char *top, *first;

    if (!heap_lo || (char *)sbrk(0) != heap_hi)
        return 0;
    first = heap_lo + 12;
    top = prev_block(heap_hi - 4);              /* the block before the epilogue */
    if (top == first && !is_used(first) && pad == 0) {
        /* Nothing is allocated: the whole heap goes back to the kernel,
         * and the next malloc starts a new one. */
        if (sbrk(-(intptr_t)(heap_hi - heap_base)) == (void *)-1)
            return 0;
        heap_lo = heap_hi = NULL;
        rebuild_lists();
        return 1;
    }
    if (is_used(top) || bsize(top) < pad + MIN_BLOCK + PAGE)
        return 0;
    size_t rel = (bsize(top) - MIN_BLOCK - pad) & ~(size_t)(PAGE - 1);
    if (rel == 0 || sbrk(-(intptr_t)rel) == (void *)-1)
        return 0;
    heap_hi -= rel;
    resize_free(top, bsize(top) - rel);
    set_epilogue(heap_hi);
    return 1;
}

static void free_unlocked(void *p)
{
    char *b;

    if (!p)
        return;
    b = checked_block("free", p);
    if (tag(b) & B_MMAPPED)
        mmap_free(b);
    else
        release(b);
}

static void *calloc_unlocked(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    p = alloc(n * size);
    if (p && !(tag(block_of(p)) & B_MMAPPED))   /* fresh mappings are zero */
        memset(p, 0, n * size);
    return p;
}

static size_t malloc_usable_size_unlocked(void *p)
{
    return p ? bsize(checked_block("malloc_usable_size", p)) - OVERHEAD : 0;
}

static void *realloc_unlocked(void *p, size_t n)
{
    char *b, *next;
    size_t size, need, old_usable;
    void *q;

    if (!p)
        return alloc(n);
    if (n == 0) {
        free(p);
        return NULL;
    }
    b = checked_block("realloc", p);
    size = bsize(b);
    old_usable = size - OVERHEAD;
    if (tag(b) & B_MMAPPED) {
        if (n <= old_usable && n >= mmap_threshold)
            return p;
    } else if (n < mmap_threshold) {
        need = block_size_for(n);
        next = next_block(b);
        if (need <= size) {                     /* shrink in place */
            if (size - need >= MIN_BLOCK) {
                set_block(b, need, B_USED);
                set_block(b + need, size - need, B_USED);
                release(b + need);
            }
            return p;
        }
        if (!is_used(next) && size + bsize(next) >= need) {
            size_t total = size + bsize(next);  /* grow into the free neighbour */
            list_remove(next);
            if (total - need >= MIN_BLOCK) {
                set_block(b, need, B_USED);
                set_block(b + need, total - need, 0);
                list_insert(b + need);
            } else {
                set_block(b, total, B_USED);
            }
            return p;
        }
    }
    q = alloc(n);
    if (!q)
        return NULL;                            /* p is left untouched */
    memcpy(q, p, old_usable < n ? old_usable : n);
    free(p);
    return q;
}

/* ---- making the heap visible ---------------------------------------------- */

static void malloc_info_get_unlocked(struct malloc_info *mi)
{
    memset(mi, 0, sizeof *mi);
    if (strategy < 0)
        choose_strategy();
    mi->strategy = strategy;
    mi->mallocs = n_mallocs;
    mi->searched = n_searched;
    mi->mmapped_blocks = mmapped_blocks;
    mi->mmapped_bytes = mmapped_bytes;
    if (!heap_lo)
        return;
    mi->heap_start = (unsigned long)heap_lo;
    mi->heap_end = (unsigned long)heap_hi;
    for (char *b = heap_lo + 12; bsize(b) != 0; b = next_block(b)) {
        if (tag(b) & B_FOREIGN)
            continue;
        if (is_used(b)) {
            mi->blocks_used++;
            mi->bytes_used += bsize(b);
        } else {
            mi->blocks_free++;
            mi->bytes_free += bsize(b);
            if (bsize(b) > mi->largest_free)
                mi->largest_free = bsize(b);
        }
    }
}

void malloc_stats(void)
{
    struct malloc_info mi;

    malloc_info_get(&mi);
    if (mi.heap_start)
        printf("  heap: 0x%08lx-0x%08lx, %lu bytes\n"
               "  used: %u blocks, %lu bytes;  free: %u blocks, %lu bytes, largest %lu\n",
               mi.heap_start, mi.heap_end, mi.heap_end - mi.heap_start,
               mi.blocks_used, mi.bytes_used, mi.blocks_free, mi.bytes_free,
               mi.largest_free);
    else
        printf("  heap: not created yet\n");
    printf("  mmap'd blocks: %u, %lu bytes;  system calls so far: brk %u, mmap %u, munmap %u\n",
           mi.mmapped_blocks, mi.mmapped_bytes, vmlab_brk_calls(),
           vmlab_mmap_calls(), vmlab_munmap_calls());
    printf("  strategy: %s fit; %lu heap mallocs looked at %lu free blocks\n",
           strategy_names[mi.strategy], mi.mallocs, mi.searched);
}

static void malloc_dump_unlocked(void)
{
    if (!heap_lo) {
        printf("  (heap not created yet)\n");
        return;
    }
    for (char *b = heap_lo + 12; bsize(b) != 0; b = next_block(b))
        printf("  %#010lx  %7lu bytes  %s\n", (unsigned long)payload(b),
               (unsigned long)bsize(b),
               (tag(b) & B_FOREIGN) ? "(not malloc's)" : is_used(b) ? "used" : "free");
}

/* ---- the public entry points: one lock around each -------------------------- */

/* Recursive (realloc calls free, aligned_alloc calls memalign), so an
 * entry point may call another. */
static struct __lock heap_lock;

void *malloc(size_t n)
{
    __vmlab_rlock(&heap_lock);
    void *r = malloc_unlocked(n);
    __vmlab_runlock(&heap_lock);
    return r;
}

void *memalign(size_t align, size_t n)
{
    __vmlab_rlock(&heap_lock);
    void *r = memalign_unlocked(align, n);
    __vmlab_runlock(&heap_lock);
    return r;
}

int mallopt(int param, int value)
{
    __vmlab_rlock(&heap_lock);
    int r = mallopt_unlocked(param, value);
    __vmlab_runlock(&heap_lock);
    return r;
}

int malloc_trim(size_t pad)
{
    __vmlab_rlock(&heap_lock);
    int r = malloc_trim_unlocked(pad);
    __vmlab_runlock(&heap_lock);
    return r;
}

void free(void *p)
{
    __vmlab_rlock(&heap_lock);
    free_unlocked(p);
    __vmlab_runlock(&heap_lock);
}

void *calloc(size_t n, size_t size)
{
    __vmlab_rlock(&heap_lock);
    void *r = calloc_unlocked(n, size);
    __vmlab_runlock(&heap_lock);
    return r;
}

size_t malloc_usable_size(void *p)
{
    __vmlab_rlock(&heap_lock);
    size_t r = malloc_usable_size_unlocked(p);
    __vmlab_runlock(&heap_lock);
    return r;
}

void *realloc(void *p, size_t n)
{
    __vmlab_rlock(&heap_lock);
    void *r = realloc_unlocked(p, n);
    __vmlab_runlock(&heap_lock);
    return r;
}

void malloc_info_get(struct malloc_info *mi)
{
    __vmlab_rlock(&heap_lock);
    malloc_info_get_unlocked(mi);
    __vmlab_runlock(&heap_lock);
}

void malloc_dump(void)
{
    __vmlab_rlock(&heap_lock);
    malloc_dump_unlocked();
    __vmlab_runlock(&heap_lock);
}
