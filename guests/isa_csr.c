/* isa_csr — the user-level counters and what user mode may not touch.
 *
 * rdcycle, rdtime and rdinstret read the cycle, time and instructions-
 * retired counters (CSRs 0xc00, 0xc01, 0xc02; the ...h forms give the high
 * 32 bits).  Their values differ from machine to machine and run to run,
 * so this differential test prints only whether they behave: a second read
 * after some work is larger, and the 64-bit value read as high/low/high is
 * consistent.
 *
 * Then it tries two things a user program may not do: read a machine-mode
 * CSR (mstatus) and write a read-only counter.  Both are illegal
 * instructions: the kernel sends SIGILL with si_code ILL_ILLOPC and
 * si_addr = the instruction.  A SA_SIGINFO handler checks the details and
 * moves the saved pc past the 4-byte instruction, so the program goes on.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static int failures;

static void check(const char *what, int ok)
{
    printf("%-50s %s\n", what, ok ? "ok" : "FAILED");
    if (!ok)
        failures++;
}

/* The csr* instructions need the Zicsr extension, which -march=rv32imac
 * does not name (GCC 12 follows the 2019 ISA spec, where Zicsr is split
 * out); enable it just for these snippets. */
#define ZICSR(text) ".option push\n\t.option arch, +zicsr\n\t" text "\n\t.option pop"

#define READ_CSR(insn) ({ uint32_t r_; __asm__ volatile(insn " %0" : "=r"(r_)); r_; })

/* The 64-bit counter: read high, low, high again until high is stable. */
#define READ_CSR64(lo_insn, hi_insn) ({                                     \
        uint32_t hi_, lo_, hi2_;                                            \
        do {                                                                \
            hi_ = READ_CSR(hi_insn);                                        \
            lo_ = READ_CSR(lo_insn);                                        \
            hi2_ = READ_CSR(hi_insn);                                       \
        } while (hi_ != hi2_);                                              \
        (uint64_t)hi_ << 32 | lo_; })

static volatile uint32_t sink;

static void busy_work(void)
{
    for (uint32_t i = 0; i < 100000; i++)
        sink += i * 3;
}

static void counter(const char *name, uint64_t first, uint64_t second)
{
    char line[64];

    snprintf(line, sizeof line, "%s increases after some work", name);
    check(line, second > first);
}

/* ---- the SIGILL part ------------------------------------------------------- */

static volatile int sig_seen, code_seen;
static volatile uintptr_t addr_seen, pc_seen;

static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    sig_seen = sig;
    code_seen = si->si_code;
    addr_seen = (uintptr_t)si->si_addr;
    pc_seen = uc->uc_mcontext.__gregs[REG_PC];
    uc->uc_mcontext.__gregs[REG_PC] += 4;       /* skip the csr instruction */
}

static void expect_sigill(const char *what, uintptr_t insn_addr, uint32_t after)
{
    char line[80];

    snprintf(line, sizeof line, "%s: SIGILL", what);
    check(line, sig_seen == SIGILL);
    check("  si_code is ILL_ILLOPC", code_seen == ILL_ILLOPC);
    check("  si_addr is the instruction", addr_seen == insn_addr);
    check("  saved pc is the instruction", pc_seen == insn_addr);
    check("  resumed after it", after == 1);
    sig_seen = code_seen = 0;
    addr_seen = pc_seen = 0;
}

int main(void)
{
    struct sigaction sa;
    uint32_t c1, c2, t1, t2, i1, i2, after;
    uint64_t w1, w2;
    uintptr_t insn;

    printf("isa_csr: user counters and illegal CSR accesses\n");

    c1 = READ_CSR("rdcycle");
    t1 = READ_CSR("rdtime");
    i1 = READ_CSR("rdinstret");
    busy_work();
    c2 = READ_CSR("rdcycle");
    t2 = READ_CSR("rdtime");
    i2 = READ_CSR("rdinstret");
    counter("rdcycle", c1, c2);
    counter("rdtime", t1, t2);
    counter("rdinstret", i1, i2);

    w1 = READ_CSR64("rdcycle", "rdcycleh");
    busy_work();
    w2 = READ_CSR64("rdcycle", "rdcycleh");
    counter("cycle (64-bit: rdcycleh, rdcycle)", w1, w2);
    w1 = READ_CSR64("rdinstret", "rdinstreth");
    busy_work();
    w2 = READ_CSR64("rdinstret", "rdinstreth");
    counter("instret (64-bit)", w1, w2);
    w1 = READ_CSR64("rdtime", "rdtimeh");
    busy_work();
    w2 = READ_CSR64("rdtime", "rdtimeh");
    counter("time (64-bit)", w1, w2);
    {
        uint32_t a, b;
        __asm__ volatile(ZICSR("csrr %0, cycle\n\tcsrrs %1, 0xc00, x0") : "=r"(a), "=r"(b));
        check("csrr cycle, then csrrs 0xc00 (in order)", b >= a);
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);

    __asm__ volatile(ZICSR("la %0, 1f\n\t"
                           "li %1, 0\n"
                           "1:\tcsrr %1, mstatus\n\t"
                           "li %1, 1")
                     : "=&r"(insn), "=&r"(after) : : "memory");
    expect_sigill("csrr mstatus (machine mode only)", insn, after);

    __asm__ volatile(ZICSR("la %0, 1f\n\t"
                           "li %1, 0\n"
                           "1:\tcsrw cycle, %0\n\t"
                           "li %1, 1")
                     : "=&r"(insn), "=&r"(after) : : "memory");
    expect_sigill("csrw cycle (a read-only counter)", insn, after);

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "all as expected", failures);
    return failures != 0;
}
