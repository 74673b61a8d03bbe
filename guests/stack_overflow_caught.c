/* stack_overflow_caught — surviving a stack overflow with sigaltstack.
 *
 * The same bottomless recursion as stack_overflow, but first the program
 * installs a SIGSEGV handler.  That alone would not help: to run a
 * handler, the kernel pushes a signal frame (saved registers, siginfo) onto
 * the stack, and the stack is exactly what has run out.  The push would
 * fault too, and the process would die anyway.
 *
 * So the program also gives the kernel a second, reserved stack with
 * sigaltstack(), and asks for the handler to run there with SA_ONSTACK.
 * When dive() overflows, the kernel switches to the alternate stack,
 * builds the signal frame there and calls the handler, which reports the
 * faulting address and how deep the recursion got, and ends the process
 * with _exit(0).  (Returning would retry the same store and fault again.)
 *
 * The handler uses only write(), through the small helpers below, not
 * printf: they need little stack, and they do not touch stdout's buffer,
 * which the interrupted code might have been in the middle of filling.
 *
 *     vmlab run --trace fault,signal build/guests/stack_overflow_caught
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

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
static char alt_stack[SIGSTKSZ];        /* where the handler runs */

/* ---- output that is safe in a signal handler ------------------------------ */

static char *put_str(char *p, const char *s)
{
    while (*s)
        *p++ = *s++;
    return p;
}

static char *put_dec(char *p, unsigned long v)
{
    char digits[12];
    int n = 0;

    do
        digits[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n > 0)
        *p++ = digits[--n];
    return p;
}

static char *put_hex(char *p, unsigned long v)
{
    p = put_str(p, "0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        *p++ = "0123456789abcdef"[(v >> shift) & 15];
    return p;
}

static void put_line(const char *start, char *end)
{
    *end++ = '\n';
    write(STDOUT_FILENO, start, (size_t)(end - start));
}

/* ---- the handler ------------------------------------------------------------ */

static void on_overflow(int sig, siginfo_t *si, void *ctx)
{
    char line[100], *p;
    unsigned long addr = (unsigned long)si->si_addr;
    uintptr_t here = (uintptr_t)&line;
    int on_alt = here >= (uintptr_t)alt_stack && here < (uintptr_t)alt_stack + sizeof alt_stack;

    (void)sig;
    (void)ctx;
    p = put_str(line, "caught SIGSEGV: the stack overflowed.");
    put_line(line, p);
    p = put_str(line, "  faulting address (si_addr): ");
    p = put_hex(p, addr);
    put_line(line, p);
    p = put_str(line, "  that is ");
    p = put_dec(p, (stack_top - addr) / 1024);
    p = put_str(p, " KiB below the top of the stack: it hit its size limit");
    put_line(line, p);
    p = put_str(line, "  recursion depth reached: ");
    p = put_dec(p, depth);
    p = put_str(p, " calls");
    put_line(line, p);
    p = put_str(line, "  this handler runs on the alternate signal stack: ");
    p = put_str(p, on_alt ? "yes" : "no");
    put_line(line, p);
    p = put_str(line, "exiting with status 0 instead of dying");
    put_line(line, p);
    _exit(0);
}

/* ---- the recursion (as in stack_overflow.c) -------------------------------- */

static unsigned long current_sp(void)
{
    unsigned long sp;

    __asm__ volatile("mv %0, sp" : "=r"(sp));
    return sp;
}

/* The AT_EXECFN string is the last thing the kernel copied onto the
 * stack: its end rounded up to a page is the top. */
static unsigned long find_stack_top(void)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);

    return ((unsigned long)execfn + strlen(execfn) + 1 + PAGE - 1) & ~(PAGE - 1);
}

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

int main(void)
{
    stack_t ss;
    struct sigaction sa;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* line by line: _exit in the handler skips the flush */
    stack_top = find_stack_top();
    printf("stack_overflow_caught: a stack overflow, caught on an alternate stack\n\n");

    memset(&ss, 0, sizeof ss);
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    if (sigaltstack(&ss, NULL) < 0) {
        perror("sigaltstack");
        return 1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_overflow;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    if (sigaction(SIGSEGV, &sa, NULL) < 0) {
        perror("sigaction");
        return 1;
    }
    printf("Installed a SIGSEGV handler that runs on a %u-byte alternate stack\n"
           "(sigaltstack + SA_ONSTACK), because the normal stack will be full.\n\n",
           (unsigned)sizeof alt_stack);
    printf("The stack ends at 0x%08lx and may grow down to 0x%08lx\n"
           "(8 MiB, the default limit).\n",
           stack_top, stack_top - STACK_LIMIT);
    printf("Diving (one line every %d calls):\n", REPORT_EVERY);
    dive(0);
    printf("not reached\n");
    return 0;
}
