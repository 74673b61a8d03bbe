/* stack_overflow — recursion that never stops runs out of stack.
 *
 * Every call pushes a frame: the return address, the caller's frame
 * pointer and the callee's locals.  dive() has a 1000-byte local buffer and
 * calls itself with no base case, so each level takes about 1 KiB more
 * stack, and the stack pointer walks steadily down.
 *
 * The stack segment starts small and grows on demand: when sp moves into a
 * page below the mapped part, the page fault is inside the area the stack
 * may grow into, so the kernel just maps a fresh zeroed page and the
 * program never notices.  But the stack has a maximum size (8 MiB by
 * default; `ulimit -s` in a shell, `vmlab run --stack-limit SIZE` here).
 * Below that limit lies a guard gap that no segment may use.  The first
 * store into it can't be satisfied: the kernel sends SIGSEGV, there is no
 * handler, and the process dies: "Segmentation fault (core dumped)", exit
 * status 139.  (Linux would not even be able to run a handler here: there
 * is no stack left to run it on; see stack_overflow_caught.)
 *
 * Try:
 *     vmlab run --trace fault build/guests/stack_overflow    (stack growth)
 *     vmlab run --stack-limit 1M build/guests/stack_overflow
 *     vmlab inspect core.stack_overflow.*    (thousands of dive frames)
 *
 * Addresses printed depend only on the program, its arguments and the
 * environment, so vmlab and qemu-riscv32 print the same ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#define NOINLINE __attribute__((noinline, noipa))
#define PAGE 4096ul
#define BUF_BYTES 1000
#define REPORT_EVERY 1000
#define STACK_LIMIT (8ul << 20)         /* the default, for vmlab and qemu */

static unsigned long stack_top;         /* highest stack address + 1 */
static volatile unsigned depth;         /* deepest level reached */
/* The base case that never comes (volatile, so the compiler can't tell:
 * it rejects recursion it can prove is infinite). */
static volatile unsigned stop_at = 0xffffffffu;

static unsigned long current_sp(void)
{
    unsigned long sp;

    __asm__ volatile("mv %0, sp" : "=r"(sp));
    return sp;
}

/* The stack's top: the AT_EXECFN string is the last thing the kernel
 * copied onto it, so its end rounded up to a page is the top. */
static unsigned long find_stack_top(void)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);

    return ((unsigned long)execfn + strlen(execfn) + 1 + PAGE - 1) & ~(PAGE - 1);
}

/* One level of recursion with a BUF_BYTES local buffer.  The buffer is
 * written (so its pages are really touched) and read after the recursive
 * call (so the compiler can neither drop it nor turn the call into a loop). */
NOINLINE static int dive(unsigned level)
{
    volatile char buf[BUF_BYTES];
    unsigned long sp = current_sp();

    buf[0] = (char)level;
    buf[BUF_BYTES - 1] = (char)level;
    depth = level;
    if (level == stop_at)
        return 0;
    if (level % REPORT_EVERY == 0)
        printf("  depth %5u: sp = 0x%08lx, %5lu KiB of stack in use\n", level, sp,
               (stack_top - sp) / 1024);
    return dive(level + 1) + buf[level % BUF_BYTES];
}

/* sp at the start of dive(level) for two levels: the size of one frame. */
NOINLINE static unsigned long probe(unsigned level, unsigned long *first)
{
    volatile char buf[BUF_BYTES];
    unsigned long sp = current_sp(), below;

    buf[0] = 0;
    if (level == 0) {
        *first = sp;
        below = probe(1, first);
        return below + buf[0];
    }
    return *first - sp + buf[0];
}

int main(void)
{
    unsigned long first = 0, frame, sp, lowest;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* even into a pipe: a buffer dies with the process */
    stack_top = find_stack_top();
    frame = probe(0, &first);
    sp = current_sp();
    lowest = stack_top - STACK_LIMIT;

    printf("stack_overflow: recursion without a base case\n\n");
    printf("The stack ends at 0x%08lx and may grow down to 0x%08lx\n"
           "(8 MiB, the default limit).\n",
           stack_top, lowest);
    printf("main's sp is 0x%08lx; each call of dive() takes %lu bytes\n"
           "(a %d-byte buffer, the return address, the saved frame pointer).\n",
           sp, frame, BUF_BYTES);
    printf("So expect the program to die after about %lu calls.\n\n",
           (sp - lowest) / frame);
    printf("Diving (one line every %d calls):\n", REPORT_EVERY);
    dive(0);
    printf("not reached\n");
    return 0;
}
