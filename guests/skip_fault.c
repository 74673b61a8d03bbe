/* skip_fault — a signal handler that steps over the faulting instruction.
 *
 * When an instruction faults, the kernel saves every register of the
 * interrupted program in the signal frame (a ucontext_t) before calling the
 * handler, and rt_sigreturn loads them all back when the handler returns.
 * The saved pc (uc_mcontext.__gregs[REG_PC]) is the address of the
 * faulting instruction itself, so by default the instruction runs again
 * (gc_barrier relies on that).  A handler may also change the saved
 * registers, and the program then continues from whatever they say.
 *
 * This handler moves the saved pc past the faulting instruction.  How far?
 * RISC-V instructions are 4 bytes, or 2 bytes for the compressed (C
 * extension) forms, and the lowest two bits of the first 16-bit half tell
 * which: binary 11 means 4 bytes, anything else means 2.  So the handler
 * reads the halfword at the pc, and adds 2 or 4.
 *
 * A skipped load never writes its destination register, so the program
 * sees the value the register held before: "the load returned" garbage
 * that happens to be the old contents.  A skipped store simply never
 * happens.  Debuggers and emulators use this trick; ordinary programs
 * should not (the rest of the program goes on with a wrong value).
 *
 *     vmlab run --trace fault,signal build/guests/skip_fault
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define NOINLINE __attribute__((noinline, noipa))
#define PAGE 4096
#define MAX_SKIPS 10                    /* a runaway guard */

/* What the handler saw at the last fault (read by main afterwards). */
static volatile unsigned skips;
static volatile int last_code;
static volatile uintptr_t last_addr, last_pc;
static volatile unsigned last_len;
static volatile uint32_t last_insn;

static void skip_insn(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    uintptr_t pc = uc->uc_mcontext.__gregs[REG_PC];
    const uint16_t *half = (const uint16_t *)pc;
    unsigned len = (half[0] & 3) == 3 ? 4 : 2;

    if (++skips > MAX_SKIPS) {          /* something is very wrong: die */
        signal(sig, SIG_DFL);
        return;
    }
    last_code = si->si_code;
    last_addr = (uintptr_t)si->si_addr;
    last_pc = pc;
    last_len = len;
    last_insn = len == 4 ? (uint32_t)half[0] | (uint32_t)half[1] << 16 : half[0];
    uc->uc_mcontext.__gregs[REG_PC] = pc + len;
}

static const char *code_name(int code)
{
    return code == SEGV_MAPERR ? "SEGV_MAPERR (nothing mapped there)"
         : code == SEGV_ACCERR ? "SEGV_ACCERR (mapped, access not allowed)"
         : "other";
}

/* What the handler found and did at the last fault. */
static void report(void)
{
    printf("  the handler saw: si_addr 0x%08lx, si_code %s\n",
           (unsigned long)last_addr, code_name(last_code));
    printf("  the faulting instruction at pc 0x%08lx is %u bytes long (0x%0*lx),\n"
           "  so the handler set the saved pc to 0x%08lx\n",
           (unsigned long)last_pc, last_len, last_len * 2, (unsigned long)last_insn,
           (unsigned long)(last_pc + last_len));
}

/* lw with a 4-byte encoding.  `v` starts as `before`; if the load is
 * skipped, that is what comes back. */
NOINLINE static int load_word(const volatile int *p, int before)
{
    int v = before;

    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "lw %0, 0(%1)\n\t"
                     ".option pop" : "+r"(v) : "r"(p) : "memory");
    return v;
}

#ifdef __riscv_compressed
/* c.lw, the 2-byte form: it can only name registers x8..x15, so pin the
 * operands to a4 (x14) and a5 (x15). */
NOINLINE static int load_word_compressed(const volatile int *p, int before)
{
    register int v __asm__("a4") = before;
    register const volatile int *q __asm__("a5") = p;

    __asm__ volatile("c.lw %0, 0(%1)" : "+r"(v) : "r"(q) : "memory");
    return v;
}
#endif

/* sb with a 4-byte encoding (RV32C has no byte store). */
NOINLINE static void store_byte(volatile char *p, char c)
{
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "sb %1, 0(%0)\n\t"
                     ".option pop" : : "r"(p), "r"(c) : "memory");
}

static const char greeting[] = "hello";  /* in rodata: read-only */

int main(void)
{
    struct sigaction sa;
    void *no_access;
    int v;

    printf("skip_fault: a SIGSEGV handler that skips the faulting instruction\n\n");

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = skip_insn;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSEGV, &sa, NULL) < 0) {
        perror("sigaction");
        return 1;
    }
    no_access = mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (no_access == MAP_FAILED) {
        perror("mmap");
        return 1;
    }

    printf("1. lw (4 bytes) from address 0x00000010, near NULL:\n");
    v = load_word((const volatile int *)16, 1234);
    report();
    printf("  the load \"returned\" %d: the register kept its old value\n\n", v);

#ifdef __riscv_compressed
    printf("2. c.lw (2 bytes) from a PROT_NONE page at 0x%08lx:\n",
           (unsigned long)(uintptr_t)no_access);
    v = load_word_compressed(no_access, 5678);
#else
    printf("2. lw (4 bytes; this build has no compressed instructions)\n"
           "   from a PROT_NONE page at 0x%08lx:\n", (unsigned long)(uintptr_t)no_access);
    v = load_word(no_access, 5678);
#endif
    report();
    printf("  the load \"returned\" %d: the register kept its old value\n\n", v);

    printf("3. sb (4 bytes) of 'J' into the string constant \"%s\" (rodata, r--):\n",
           greeting);
    store_byte((volatile char *)greeting, 'J');
    report();
    printf("  the string is still \"%s\": the store never happened\n\n", greeting);

    printf("%u faults, %u instructions skipped; the program carries on and exits 0.\n",
           skips, skips);
    return 0;
}
