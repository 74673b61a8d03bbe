/* tests/fuzz/fuzz_cpu.c — the hart (emu/) on arbitrary instruction bytes:
 * the block translator and the interpreter run the same code from the same
 * state, in the same slices of an instruction budget, and must agree.
 *
 * The address space, built straight in Sv32 tables (no kernel):
 *
 *   0x10000  code page 0   r-x   input bytes (then zeros)
 *   0x11000  code page 1   rwx   input bytes: self-modifying code lands here
 *   0x20000  two data pages rw-  a fixed pattern
 *   0x22000  read-only page r--
 *   0x23000  nothing             (the hole: faults)
 *
 * Input: 4 bytes of slice sizes, 32 register kinds and values (a kind turns
 * a value into an address near one of the pages, so loads and stores hit
 * something), then the code.  On an ecall the harness steps over it as a
 * system call would (a0 = -ENOSYS), up to a few times; any other trap ends
 * the run.  After every slice: same stop reason, pc, instret, registers,
 * trap, and page contents, and a stop at the limit exactly at the limit.
 *
 * The fixtures live across inputs (a TLB is 1 MiB to set up): each input
 * rewrites the pages and tables, flushes those pages' TLB entries (no other
 * page can have one: only these are ever mapped) and drops every decoded
 * and translated instruction, so no input sees another's state. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cpu.h"
#include "mmu/mmu.h"
#include "mmu/pmem.h"
#include "mmu/sv32.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MEM      (64u << 10)                     /* the smallest pmem: 16 frames */
#define CODE_VA  0x10000u
#define DATA_VA  0x20000u
#define RO_VA    0x22000u
#define HOLE_VA  0x23000u
#define BUDGET   3000u
#define ECALLS   8

static const struct { uint32_t va, flags; } pages[] = {
    { CODE_VA, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A },
    { CODE_VA + PAGE_SIZE, PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D },
    { DATA_VA, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D },
    { DATA_VA + PAGE_SIZE, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D },
    { RO_VA, PTE_V | PTE_R | PTE_U | PTE_A },
};
#define NPAGES (sizeof pages / sizeof pages[0])
#define ROOT_FRAME  0
#define TABLE_FRAME 1
#define PAGE_FRAME(i) (3 + 2 * (uint32_t)(i))   /* a gap frame after each */

struct machine {
    struct pmem pm;
    struct mmu  mmu;
    struct cpu  cpu;
};

static struct machine *machine_new(bool jit)
{
    struct machine *m = calloc(1, sizeof *m);
    if (!m || pmem_init(&m->pm, MEM) || mmu_init(&m->mmu, &m->pm) ||
        cpu_init(&m->cpu, &m->mmu, jit, NULL))
        fuzz_fail("cannot set up a machine");
    m->cpu.time_is_instret = true;
    mmu_set_satp(&m->mmu, SATP_MODE_SV32 | ROOT_FRAME);
    return m;
}

/* Fresh pages and tables for this input; nothing left from the last. */
static void machine_reset(struct machine *m, const uint8_t *code, size_t n)
{
    memset(m->pm.ram, 0, MEM);
    uint32_t *root = (uint32_t *)pmem_frame(&m->pm, ROOT_FRAME);
    uint32_t *l0 = (uint32_t *)pmem_frame(&m->pm, TABLE_FRAME);
    root[VA_VPN1(CODE_VA)] = PTE_MAKE(TABLE_FRAME, PTE_V);
    for (size_t i = 0; i < NPAGES; i++) {
        l0[VA_VPN0(pages[i].va)] = PTE_MAKE(PAGE_FRAME(i), pages[i].flags);
        memset(pmem_frame(&m->pm, PAGE_FRAME(i) + 1), 0xa7, PAGE_SIZE);
    }
    memcpy(pmem_frame(&m->pm, PAGE_FRAME(0)), code, n < PAGE_SIZE ? n : PAGE_SIZE);
    if (n > PAGE_SIZE)
        memcpy(pmem_frame(&m->pm, PAGE_FRAME(1)), code + PAGE_SIZE,
               n - PAGE_SIZE < PAGE_SIZE ? n - PAGE_SIZE : PAGE_SIZE);
    for (uint32_t o = 0; o < 2 * PAGE_SIZE; o += 4) {
        uint32_t v = o * 0x9e3779b1u ^ 0x5bd1e995u;
        memcpy(pmem_frame(&m->pm, PAGE_FRAME(2 + o / PAGE_SIZE)) + o % PAGE_SIZE, &v, 4);
    }
    memset(pmem_frame(&m->pm, PAGE_FRAME(4)), 0x3c, PAGE_SIZE);
    for (size_t i = 0; i < NPAGES; i++)
        mmu_flush_range(&m->mmu, pages[i].va, PAGE_SIZE);
    cpu_drop_decoded_all(&m->cpu);
    struct cpu *c = &m->cpu;
    memset(c->x, 0, sizeof c->x);
    c->instret = 0;
    c->resv_valid = false;
    c->resv_addr = 0;
    memset(&c->trap, 0, sizeof c->trap);
}

/* Both machines after a slice; pages too when `pages` (at the end and at
 * traps: comparing 20 KiB after every short slice would be most of the
 * harness's time). */
static void compare(const struct machine *a, const struct machine *b, enum cpu_stop ra,
                    enum cpu_stop rb, uint64_t want, int slice, bool pages_too)
{
    const struct cpu *x = &a->cpu, *y = &b->cpu;
    if (ra != rb || x->pc != y->pc || x->instret != y->instret)
        fuzz_fail("slice %d: translated stop %d pc 0x%x instret %llu, interpreted stop %d pc "
                  "0x%x instret %llu", slice, ra, x->pc, (unsigned long long)x->instret, rb,
                  y->pc, (unsigned long long)y->instret);
    if (ra == CPU_STOP_LIMIT && x->instret != want)
        fuzz_fail("slice %d: stopped at instret %llu, the limit was %llu", slice,
                  (unsigned long long)x->instret, (unsigned long long)want);
    for (int r = 1; r < 32; r++)
        if (x->x[r] != y->x[r])
            fuzz_fail("slice %d: x%d = 0x%x translated, 0x%x interpreted", slice, r, x->x[r],
                      y->x[r]);
    if (ra == CPU_STOP_TRAP && (x->trap.cause != y->trap.cause || x->trap.tval != y->trap.tval))
        fuzz_fail("slice %d: trap %d/0x%x translated, %d/0x%x interpreted", slice,
                  x->trap.cause, x->trap.tval, y->trap.cause, y->trap.tval);
    for (size_t i = 0; pages_too && i < NPAGES; i++)
        if (memcmp(pmem_frame(&a->pm, PAGE_FRAME(i)), pmem_frame(&b->pm, PAGE_FRAME(i)),
                   PAGE_SIZE))
            fuzz_fail("slice %d: page 0x%x differs", slice, pages[i].va);
}

/* A register's starting value: kind selects raw or "near a page". */
static uint32_t reg_value(uint8_t kind, uint32_t v)
{
    static const uint32_t near[] = { CODE_VA, CODE_VA + PAGE_SIZE, DATA_VA, DATA_VA + PAGE_SIZE,
                                     RO_VA, HOLE_VA };
    switch (kind & 3) {
    case 0: return v;
    case 1: return (uint32_t)(int32_t)(int8_t)v;                      /* small */
    default: return near[(kind >> 2) % 6] + (v & 0xfff) - 0x400;       /* an address */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct machine *a, *b;
    if (!a) {
        a = machine_new(true);
        b = machine_new(false);
    }
    struct fuzz_in in = { data, size };
    uint8_t slice_code[4];
    for (int i = 0; i < 4; i++)
        slice_code[i] = fuzz_u8(&in);
    uint32_t regs[32];
    uint8_t kinds[32];
    for (int r = 0; r < 32; r++)
        kinds[r] = fuzz_u8(&in);
    for (int r = 0; r < 32; r++)
        regs[r] = reg_value(kinds[r], fuzz_u32(&in));
    regs[0] = 0;
    machine_reset(a, in.p, in.n);
    machine_reset(b, in.p, in.n);
    memcpy(a->cpu.x, regs, sizeof regs);
    memcpy(b->cpu.x, regs, sizeof regs);
    a->cpu.pc = b->cpu.pc = CODE_VA;

    int ecalls = 0;
    for (int slice = 0; a->cpu.instret < BUDGET; slice++) {
        /* slice sizes 1..64, or up to 4096, from the input's first bytes */
        uint8_t s = slice_code[slice % 4];
        uint64_t n = s < 128 ? 1 + s % 64 : 1 + (uint64_t)(s - 128) * 32;
        uint64_t want = a->cpu.instret + n;
        enum cpu_stop ra = cpu_run(&a->cpu, want);
        enum cpu_stop rb = cpu_run(&b->cpu, b->cpu.instret + n);
        compare(a, b, ra, rb, want, slice, ra != CPU_STOP_LIMIT || a->cpu.instret >= BUDGET);
        if (ra == CPU_STOP_NOMEM)
            fuzz_fail("out of host memory");
        if (ra != CPU_STOP_TRAP)
            continue;                           /* compared in full at the end */
        if (a->cpu.trap.cause != CAUSE_ECALL_U || ++ecalls > ECALLS)
            break;
        a->cpu.pc += 4;                         /* as a system call returns */
        b->cpu.pc += 4;
        a->cpu.x[10] = b->cpu.x[10] = (uint32_t)-38;
    }
    return 0;
}
