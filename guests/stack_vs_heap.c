/* stack_vs_heap — locals vanish at scope exit; heap blocks live until free.
 *
 * 1. A local variable lives in its function's stack frame.  When the
 *    function returns, the frame is popped and the next call reuses the
 *    same bytes: a pointer kept to the old local now sees the new call's
 *    data.  (Using such a "dangling" pointer is a bug; we do it on purpose.)
 * 2. A heap block from malloc has no scope: it survives the function that
 *    made it, until someone calls free.
 * 3. Every call costs stack: recursion depth times the frame size.
 * 4. Frame sizes are fixed when the program is compiled - except for a
 *    variable-length array, whose frame grows with the length chosen at
 *    run time.
 *
 * Usage: stack_vs_heap [N]   (N: an extra VLA length to try)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline))

static uintptr_t current_sp(void)
{
    uintptr_t sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    return sp;
}

/* ---- 1. a local vanishes ------------------------------------------------ */

static volatile int *kept_pointer;      /* survives the call; the local does not */

/* Both functions have the same shape, so their frames overlap exactly. */
static NOINLINE void set_local(int value)
{
    volatile int local = value;
    kept_pointer = &local;
    printf("  set_local(%d): its local is at 0x%08lx and holds %d\n", value,
           (unsigned long)(uintptr_t)&local, local);
}

static NOINLINE void other_call(int value)
{
    volatile int unrelated = value;
    printf("  other_call(%d): its local is at 0x%08lx and holds %d\n", value,
           (unsigned long)(uintptr_t)&unrelated, unrelated);
}

/* ---- 2. a heap block stays -------------------------------------------------- */

static NOINLINE int *make_heap_int(int value)
{
    int *p = malloc(sizeof *p);
    *p = value;
    printf("  make_heap_int(%d): block at 0x%08lx\n", value, (unsigned long)(uintptr_t)p);
    return p;                           /* fine: the block outlives this frame */
}

/* ---- 3. recursion ---------------------------------------------------------- */

static uintptr_t sp_at_depth[1001];

static NOINLINE int recurse(int depth, int max)
{
    volatile int local[4] = { depth, depth, depth, depth };

    sp_at_depth[depth] = current_sp();
    if (depth == max)
        return local[0];
    return recurse(depth + 1, max) + local[3] - depth;  /* not a tail call */
}

/* ---- 4. variable-length arrays --------------------------------------------- */

static NOINLINE void touch(volatile char *p, int n)
{
    p[0] = 1;
    p[n - 1] = 2;
}

static NOINLINE uintptr_t vla_frame(int n)
{
    uintptr_t top = (uintptr_t)__builtin_frame_address(0);
    volatile char buf[n];               /* the frame grows by n (rounded up) */

    touch(buf, n);
    return top - current_sp();
}

static NOINLINE uintptr_t fixed_frame(void)
{
    uintptr_t top = (uintptr_t)__builtin_frame_address(0);
    volatile char buf[16];

    touch(buf, 16);
    return top - current_sp();
}

int main(int argc, char **argv)
{
    int *heap_value;
    int seen;

    printf("1. Stack memory is freed automatically when a function returns\n");
    set_local(111);
    seen = *kept_pointer;               /* read at once, before another call */
    printf("  right after the return, the old address still holds %d (not erased,\n"
           "  just no longer owned by anyone)\n", seen);
    other_call(222);
    printf("  the kept pointer 0x%08lx now reads %d: the next call's frame reused it\n\n",
           (unsigned long)(uintptr_t)kept_pointer, *kept_pointer);

    printf("2. Heap memory lives until free(), whatever the scope\n");
    heap_value = make_heap_int(333);
    other_call(444);
    printf("  after the function returned and another call ran, the block still "
           "holds %d\n", *heap_value);
    free(heap_value);
    printf("  free() gave it back to the allocator; now it must not be used\n\n");

    printf("3. Each call pushes a frame: recursion depth costs stack\n");
    recurse(0, 1000);
    {
        static const int show[] = { 0, 1, 2, 3, 10, 100, 1000 };
        for (size_t i = 0; i < sizeof show / sizeof show[0]; i++) {
            int d = show[i];
            printf("  depth %4d: sp = 0x%08lx, %6lu bytes below depth 0\n", d,
                   (unsigned long)sp_at_depth[d],
                   (unsigned long)(sp_at_depth[0] - sp_at_depth[d]));
        }
        printf("  => %lu bytes per frame; the 8 MiB stack would hold about %lu frames\n\n",
               (unsigned long)(sp_at_depth[0] - sp_at_depth[1]),
               (unsigned long)(8u << 20) / (unsigned long)(sp_at_depth[0] - sp_at_depth[1]));
    }

    printf("4. Frame sizes are fixed at compile time, except variable-length arrays\n");
    printf("  fixed_frame (char buf[16]):        frame %4lu bytes\n",
           (unsigned long)fixed_frame());
    printf("  fixed_frame again:                 frame %4lu bytes (always the same)\n",
           (unsigned long)fixed_frame());
    {
        static const int sizes[] = { 16, 100, 1000, 4000 };
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
            printf("  vla_frame(%4d) (char buf[n]):     frame %4lu bytes\n", sizes[i],
                   (unsigned long)vla_frame(sizes[i]));
    }
    if (argc > 1) {
        int n = atoi(argv[1]);
        if (n > 0 && n <= 1 << 20)
            printf("  vla_frame(%d) from the command line: frame %lu bytes\n", n,
                   (unsigned long)vla_frame(n));
        else
            printf("  (ignoring %s: pick a length from 1 to 1048576)\n", argv[1]);
    }
    printf("  the VLA frame grows with n (rounded up to keep sp 16-byte aligned)\n");
    return 0;
}
