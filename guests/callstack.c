/* callstack — the call stack is last-in, first-out.
 *
 * main calls level_one, which calls level_two, ... down to walk_stack.
 * Each call pushes a frame; walk_stack then follows the chain of frame
 * pointers from its own frame back to main's and prints every frame.
 *
 * How the chain works (RV32, built with -fno-omit-frame-pointer): each
 * function's prologue saves the return address (ra) and its caller's frame
 * pointer, then points s0 (fp) at the top of its own frame:
 *
 *     higher addresses
 *     fp - 4 :  saved ra      (where this function returns to)
 *     fp - 8 :  saved fp      (the caller's frame: the next link)
 *     ...       locals, spilled registers
 *     sp     :  bottom of the frame
 *
 * _start sets fp to 0, so the walk stops after main.  The return
 * addresses are named by comparing them with function addresses this
 * program knows (the nearest function start below the address).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NOINLINE __attribute__((noinline))

void _start(void);
int main(int argc, char **argv);
static int level_one(int x);
static int level_two(int x);
static int level_three(int x);
static int level_four(int x);
static int walk_stack(int x);

struct known_fn {
    const char *name;
    uintptr_t addr;
};

static struct known_fn known[] = {
    { "_start", (uintptr_t)_start },
    { "main", (uintptr_t)main },
    { "level_one", (uintptr_t)level_one },
    { "level_two", (uintptr_t)level_two },
    { "level_three", (uintptr_t)level_three },
    { "level_four", (uintptr_t)level_four },
    { "walk_stack", (uintptr_t)walk_stack },
};

/* The known function containing pc: the one starting closest below it. */
static const struct known_fn *function_at(uintptr_t pc)
{
    const struct known_fn *best = NULL;

    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].addr <= pc && (!best || known[i].addr > best->addr))
            best = &known[i];
    return best;
}

static uintptr_t current_sp(void)
{
    uintptr_t sp;
    __asm__ volatile("mv %0, sp" : "=r"(sp));
    return sp;
}

static int frames_seen;

static NOINLINE int walk_stack(int x)
{
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t bottom = current_sp();
    const char *name = "walk_stack";

    printf("walk_stack: following the frame pointers, newest frame first:\n\n");
    printf("  #  function     frame (low-high)        size  saved ra    returns into\n");
    while (fp != 0) {
        uintptr_t ra = ((uintptr_t *)fp)[-1];
        uintptr_t caller_fp = ((uintptr_t *)fp)[-2];
        const struct known_fn *caller = function_at(ra);

        printf("  %d  %-11s  0x%08lx-0x%08lx  %4lu  0x%08lx  %s+%#lx\n", frames_seen, name,
               (unsigned long)bottom, (unsigned long)fp, (unsigned long)(fp - bottom),
               (unsigned long)ra, caller ? caller->name : "?",
               caller ? (unsigned long)(ra - caller->addr) : 0UL);
        frames_seen++;
        name = caller ? caller->name : "?";
        bottom = fp;                    /* the caller's frame starts where ours ends */
        fp = caller_fp;
    }
    printf("\n  (main's saved fp is 0: _start cleared it, so the walk stops here.)\n");
    return x + 1;
}

/* Each level has locals of a different size, so the frames differ.  The
 * work after each call keeps the compiler from turning it into a jump. */
static NOINLINE int level_four(int x)
{
    volatile int scratch[2] = { x, x + 1 };
    int r = walk_stack(scratch[0]);
    return r + scratch[1];
}

static NOINLINE int level_three(int x)
{
    volatile int scratch[16];
    for (int i = 0; i < 16; i++)
        scratch[i] = x + i;
    int r = level_four(scratch[3]);
    return r + scratch[15];
}

static NOINLINE int level_two(int x)
{
    volatile char name[40];
    for (int i = 0; i < 40; i++)
        name[i] = (char)('a' + i % 26);
    int r = level_three(x + name[1]);
    return r + name[39];
}

static NOINLINE int level_one(int x)
{
    volatile int scratch = x * 3;
    int r = level_two(scratch);
    return r - 1;
}

int main(int argc, char **argv)
{
    uintptr_t sp_before, sp_after;
    int r;

    (void)argv;
    printf("The call chain: main -> level_one -> level_two -> level_three\n"
           "                -> level_four -> walk_stack\n\n");
    printf("Functions (their code is in the text segment):\n");
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        printf("  %-11s 0x%08lx\n", known[i].name, (unsigned long)known[i].addr);
    printf("\n");

    sp_before = current_sp();
    r = level_one(argc);
    sp_after = current_sp();

    printf("\nLast in, first out: walk_stack was called last and sits lowest in\n"
           "memory (the stack grows down); it returned first, then level_four, ...,\n"
           "and each return popped one frame by moving sp back up.\n");
    printf("main's sp before the calls: 0x%08lx, after they all returned: 0x%08lx\n(%s)\n",
           (unsigned long)sp_before, (unsigned long)sp_after,
           sp_before == sp_after ? "the same: every frame was popped" : "different?!");
    printf("%d frames were on the stack at the deepest point; result %d\n", frames_seen, r);
    return 0;
}
