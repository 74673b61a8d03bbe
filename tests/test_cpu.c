/* tests/test_cpu.c — CUnit suite for emu/: the decoder, the RVC expander,
 * the interpreter (emu/cpu.c) and the disassembler.
 *
 * Every test builds a fresh fixture: 1 MiB of physical memory, an MMU, a
 * root page table and a hart.  Pages are mapped by writing Sv32 PTEs
 * straight into physical memory (no kernel), instructions are written into
 * the code frames through our own page-table lookup (not through the MMU
 * under test), and cpu_run() goes until the `ecall` that ends each sequence.
 *
 * Instruction words come from the encoders in tests/rvenc.h, written from
 * the unprivileged spec's opcode map (not from emu/insn.def, so a wrong row
 * there is caught).  Compressed encodings and their 32-bit expansions are
 * the assembler's output, pasted as numbers.
 *
 * The vector tables follow STYLE.md: every insn.def row must have at least
 * one vector, and test_insn_def_coverage fails, naming the row, when one
 * has none.
 *
 * Virtual layout of the standard fixture (frames deliberately not adjacent,
 * so an access that wrongly runs off the end of a host page reads garbage):
 *
 *   0x00010000  code page 0     R X U A        (filled with ecall)
 *   0x00011000  code page 1     R X U A        (filled with ecall)
 *   0x00020000  data page 0     R W U A D
 *   0x00021000  data page 1     R W U A D
 *   0x00022000  read-only page  R   U A
 *   0x00023000  nothing mapped  (HOLE_VA)
 *   0x00030000  two R W X pages (only in the self-modifying-code fixture)
 */
#include "emu/cpu.h"
#include "emu/insn.h"
#include "mmu/mmu.h"
#include "mmu/pmem.h"
#include "mmu/sv32.h"

#include <CUnit/CUnit.h>
#include "tests/rvenc.h"
#include "tests/suites.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* ------------------------------------------------------------------------
 * Failure messages that name the case (CUnit copies the text).
 */


/* ------------------------------------------------------------------------
 * The fixture.
 */

#define MEM_SIZE  (1024u * 1024)
#define CODE_VA   0x00010000u
#define DATA_VA   0x00020000u
#define RO_VA     0x00022000u
#define HOLE_VA   0x00023000u
#define RWX_VA    0x00030000u      /* used by the self-modifying-code tests */
#define ALIAS_VA  0x00040000u

#define F_CODE  (PTE_V | PTE_R | PTE_X | PTE_U | PTE_A)
#define F_DATA  (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define F_RO    (PTE_V | PTE_R | PTE_U | PTE_A)
#define F_RWX   (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)

#define GAP_BYTE 0xa7              /* fills the frames between mapped frames */

struct fx {
    struct pmem pm;
    struct mmu  mmu;
    struct cpu  cpu;
    uint32_t    root;              /* frame of the root page table */
    uint32_t    next;              /* bump allocator: next free frame */
    bool        up;                /* everything initialised */
};

/* A fresh frame, followed by a gap frame full of GAP_BYTE so that no two
 * allocated frames are adjacent in host memory. */
static uint32_t fx_frame(struct fx *f)
{
    uint32_t fr = f->next;
    CU_ASSERT_FATAL(fr + 2 <= f->pm.nframes);
    memset(pmem_frame(&f->pm, fr + 1), GAP_BYTE, PAGE_SIZE);
    f->next += 2;
    return fr;
}

/* The leaf PTE slot for va in our tables, making the level-0 table when
 * `make` is set (NULL when absent). */
static uint32_t *fx_pte(struct fx *f, uint32_t va, bool make)
{
    uint32_t *root = (uint32_t *)pmem_frame(&f->pm, f->root);
    uint32_t *l1 = &root[VA_VPN1(va)];
    if (!(*l1 & PTE_V)) {
        if (!make)
            return NULL;
        uint32_t t = fx_frame(f);
        memset(pmem_frame(&f->pm, t), 0, PAGE_SIZE);
        *l1 = PTE_MAKE(t, PTE_V);
    }
    uint32_t *l0 = (uint32_t *)pmem_frame(&f->pm, PTE_PPN(*l1));
    return &l0[VA_VPN0(va)];
}

static void fx_map(struct fx *f, uint32_t va, uint32_t frame, uint32_t flags)
{
    *fx_pte(f, va, true) = PTE_MAKE(frame, flags);
}

/* Map a new frame at va; returns the frame. */
static uint32_t fx_map_new(struct fx *f, uint32_t va, uint32_t flags)
{
    uint32_t fr = fx_frame(f);
    fx_map(f, va, fr, flags);
    return fr;
}

/* Host address of va through our own tables (the test's view of memory). */
static uint8_t *fx_host(struct fx *f, uint32_t va)
{
    uint32_t *pte = fx_pte(f, va, false);
    CU_ASSERT_FATAL(pte != NULL && (*pte & PTE_V));
    return pmem_frame(&f->pm, PTE_PPN(*pte)) + VA_OFFSET(va);
}

static uint32_t fx_frame_of(struct fx *f, uint32_t va)
{
    uint32_t *pte = fx_pte(f, va, false);
    CU_ASSERT_FATAL(pte != NULL);
    return PTE_PPN(*pte);
}

static void put16(struct fx *f, uint32_t va, uint16_t h) { memcpy(fx_host(f, va), &h, 2); }
static uint16_t get16(struct fx *f, uint32_t va)
{
    uint16_t h;
    memcpy(&h, fx_host(f, va), 2);
    return h;
}
/* 32-bit words go in as two halfwords: they may straddle a page. */
static void put32(struct fx *f, uint32_t va, uint32_t w)
{
    put16(f, va, (uint16_t)w);
    put16(f, va + 2, (uint16_t)(w >> 16));
}
static uint32_t get32(struct fx *f, uint32_t va)
{
    return (uint32_t)get16(f, va) | (uint32_t)get16(f, va + 2) << 16;
}
static void put_code(struct fx *f, uint32_t va, const uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put32(f, va + 4 * (uint32_t)i, w[i]);
}
static void put_halves(struct fx *f, uint32_t va, const uint16_t *h, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put16(f, va + 2 * (uint32_t)i, h[i]);
}
static void fill_ecall(struct fx *f, uint32_t page_va)
{
    for (uint32_t o = 0; o < PAGE_SIZE; o += 4)
        put32(f, page_va + o, ECALL);
}

/* The "cpu" suite runs with the block translator (where the host has
 * one), "cpu-interp" runs the same tests on the interpreter alone. */
static bool fx_use_jit = true;

/* A bare fixture: memory, MMU (satp set), hart; nothing mapped. */
static struct fx *fx_bare(void)
{
    struct fx *f = calloc(1, sizeof *f);
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(pmem_init(&f->pm, MEM_SIZE) == 0);
    CU_ASSERT_FATAL(mmu_init(&f->mmu, &f->pm) == 0);
    f->next = 1;
    f->root = fx_frame(f);
    memset(pmem_frame(&f->pm, f->root), 0, PAGE_SIZE);
    mmu_set_satp(&f->mmu, SATP_MODE_SV32 | f->root);
    CU_ASSERT_FATAL(cpu_init(&f->cpu, &f->mmu, fx_use_jit, NULL) == 0);
    f->up = true;
    return f;
}

/* The standard layout described at the top of the file. */
static struct fx *fx_new(void)
{
    struct fx *f = fx_bare();
    fx_map_new(f, CODE_VA, F_CODE);
    fx_map_new(f, CODE_VA + PAGE_SIZE, F_CODE);
    fx_map_new(f, DATA_VA, F_DATA);
    fx_map_new(f, DATA_VA + PAGE_SIZE, F_DATA);
    fx_map_new(f, RO_VA, F_RO);
    fill_ecall(f, CODE_VA);
    fill_ecall(f, CODE_VA + PAGE_SIZE);
    return f;
}

static void fx_free(struct fx *f)
{
    if (!f)
        return;
    if (f->up)
        cpu_destroy(&f->cpu);
    mmu_destroy(&f->mmu);
    pmem_free(&f->pm);
    free(f);
}

/* Run from pc with a budget of `budget` more instructions. */
static enum cpu_stop run_from(struct fx *f, uint32_t pc, uint64_t budget)
{
    f->cpu.pc = pc;
    return cpu_run(&f->cpu, f->cpu.instret + budget);
}

/* Expect the run to have stopped at an ecall at `pc`. */
#define EXPECT_ECALL_AT(f, rc, at) do {                                        \
        CHECK((rc) == CPU_STOP_TRAP, "cpu_run returned %d, want a trap", (int)(rc)); \
        CHECK((f)->cpu.trap.cause == CAUSE_ECALL_U, "trap cause %d, want ecall (8)",  \
              (f)->cpu.trap.cause);                                            \
        CHECK((f)->cpu.pc == (at), "stopped at pc 0x%x, want 0x%x",            \
              (f)->cpu.pc, (unsigned)(at));                                    \
    } while (0)

#define EXPECT_TRAP(f, rc, cause_, pc_, tval_) do {                            \
        CHECK((rc) == CPU_STOP_TRAP, "cpu_run returned %d, want a trap", (int)(rc)); \
        CHECK((f)->cpu.trap.cause == (cause_), "trap cause %d, want %d",       \
              (f)->cpu.trap.cause, (int)(cause_));                             \
        CHECK((f)->cpu.pc == (pc_), "trap pc 0x%x, want 0x%x",                 \
              (f)->cpu.pc, (unsigned)(pc_));                                   \
        CHECK((f)->cpu.trap.tval == (tval_), "tval 0x%x, want 0x%x",           \
              (f)->cpu.trap.tval, (unsigned)(tval_));                          \
    } while (0)

/* ------------------------------------------------------------------------
 * Instruction vectors.
 *
 * The instruction sits at VPC in a code page full of ecalls, so a branch or
 * jump stops at the ecall it lands on and c->pc tells where it went.  The
 * rd/rs1/rs2 registers are the instruction's own fields: the runner loads
 * rs1/rs2 with the vector's values, leaves every other register 0, and
 * afterwards checks rd and that no other register changed.  An 8-byte data
 * window at DWIN starts as `mem` and must end as `mem_out` (or unchanged
 * when mem_out is not given).  `pre`, when set, runs first at VPC - 4.
 */

#define VPC  (CODE_VA + 0x800u)
#define DWIN (DATA_VA + 0x800u)
#define INSTRET0 0x500000007ull    /* instret at the start: cycleh/instreth read 5 */

struct vec {
    int      op;              /* OP_xxx: the insn.def row under test */
    uint32_t word;
    uint32_t rs1, rs2;        /* initial register values */
    uint32_t rd;              /* expected rd */
    int32_t  to;              /* ecall it stops at, relative to VPC (0: +4) */
    uint32_t mem[2];          /* data window before */
    uint32_t mem_out[2];      /* data window after (when out is set) */
    bool     out;
    uint32_t pre;             /* instruction run first, or 0 */
    bool     trap;            /* the instruction itself traps: */
    int      cause;           /*   with this cause */
    uint32_t tval;            /*   and tval; pc stays VPC */
};

#define V(op_, word_, ...) { .op = OP_##op_, .word = (word_), __VA_ARGS__ }

/* RV32I computational, including edge cases: overflow wraps, signed vs
 * unsigned compares, shift amounts 0/31 and register amounts > 31, x0. */
static const struct vec vec_alu[] = {
    V(lui,   LUI(A0, 0x12345), .rd = 0x12345000),
    V(lui,   LUI(A0, 0xfffff), .rd = 0xfffff000),
    V(lui,   LUI(ZERO, 0x12345)),                           /* x0 stays 0 */
    V(auipc, AUIPC(A0, 0), .rd = VPC),
    V(auipc, AUIPC(A0, 0x80000), .rd = VPC + 0x80000000u),
    V(auipc, AUIPC(A0, 0xfffff), .rd = VPC - 0x1000u),
    V(addi,  ADDI(A0, A1, -1), .rs1 = 0, .rd = 0xffffffff),
    V(addi,  ADDI(A0, A1, 1), .rs1 = 0x7fffffff, .rd = 0x80000000),
    V(addi,  ADDI(A0, A1, 1), .rs1 = 0xffffffff, .rd = 0),
    V(addi,  ADDI(A0, A1, -2048), .rs1 = 0, .rd = 0xfffff800),
    V(addi,  ADDI(A0, A1, 2047), .rs1 = 1, .rd = 0x800),
    V(addi,  ADDI(ZERO, RA, 5), .rs1 = 7),                  /* addi x0, x1, 5 */
    V(addi,  ADDI(A1, A1, 3), .rs1 = 10, .rd = 13),         /* rd == rs1 */
    V(slti,  SLTI(A0, A1, 0), .rs1 = 0xffffffff, .rd = 1),
    V(slti,  SLTI(A0, A1, -1), .rs1 = 0, .rd = 0),
    V(slti,  SLTI(A0, A1, -2048), .rs1 = 0x80000000, .rd = 1),
    V(slti,  SLTI(A0, A1, 5), .rs1 = 5, .rd = 0),
    V(sltiu, SLTIU(A0, A1, -1), .rs1 = 0, .rd = 1),         /* imm is 0xffffffff */
    V(sltiu, SLTIU(A0, A1, 1), .rs1 = 0, .rd = 1),          /* seqz */
    V(sltiu, SLTIU(A0, A1, 1), .rs1 = 5, .rd = 0),
    V(sltiu, SLTIU(A0, A1, 5), .rs1 = 0xffffffff, .rd = 0),
    V(xori,  XORI(A0, A1, -1), .rs1 = 0x12345678, .rd = 0xedcba987),
    V(xori,  XORI(A0, A1, 0x7ff), .rs1 = 0x0f0f0f0f, .rd = 0x0f0f08f0),
    V(ori,   ORI(A0, A1, -2048), .rs1 = 1, .rd = 0xfffff801),
    V(ori,   ORI(A0, A1, 0x0f0), .rs1 = 0x00f, .rd = 0x0ff),
    V(andi,  ANDI(A0, A1, -1), .rs1 = 0x89abcdef, .rd = 0x89abcdef),
    V(andi,  ANDI(A0, A1, 0x0f0), .rs1 = 0xffffffff, .rd = 0xf0),
    V(andi,  ANDI(A0, A1, -2048), .rs1 = 0xffffffff, .rd = 0xfffff800),
    V(slli,  SLLI(A0, A1, 0), .rs1 = 0x80000001, .rd = 0x80000001),
    V(slli,  SLLI(A0, A1, 31), .rs1 = 3, .rd = 0x80000000),
    V(slli,  SLLI(A0, A1, 4), .rs1 = 0xf000000f, .rd = 0x000000f0),
    V(srli,  SRLI(A0, A1, 0), .rs1 = 0x80000001, .rd = 0x80000001),
    V(srli,  SRLI(A0, A1, 31), .rs1 = 0x80000000, .rd = 1),
    V(srli,  SRLI(A0, A1, 4), .rs1 = 0xf000000f, .rd = 0x0f000000),
    V(srai,  SRAI(A0, A1, 0), .rs1 = 0x80000001, .rd = 0x80000001),
    V(srai,  SRAI(A0, A1, 31), .rs1 = 0x80000000, .rd = 0xffffffff),
    V(srai,  SRAI(A0, A1, 4), .rs1 = 0xf000000f, .rd = 0xff000000),
    V(srai,  SRAI(A0, A1, 31), .rs1 = 0x7fffffff, .rd = 0),
    V(add,   ADD(A0, A1, A2), .rs1 = 0x7fffffff, .rs2 = 1, .rd = 0x80000000),
    V(add,   ADD(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 1, .rd = 0),
    V(add,   ADD(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0x80000000, .rd = 0),
    V(add,   ADD(ZERO, A1, A2), .rs1 = 1, .rs2 = 2),
    V(sub,   SUB(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 1, .rd = 0x7fffffff),
    V(sub,   SUB(A0, A1, A2), .rs1 = 0, .rs2 = 1, .rd = 0xffffffff),
    V(sub,   SUB(A0, A1, A2), .rs1 = 3, .rs2 = 0xfffffffe, .rd = 5),
    V(sll,   SLL(A0, A1, A2), .rs1 = 0x80000001, .rs2 = 0, .rd = 0x80000001),
    V(sll,   SLL(A0, A1, A2), .rs1 = 1, .rs2 = 31, .rd = 0x80000000),
    V(sll,   SLL(A0, A1, A2), .rs1 = 0x80000001, .rs2 = 32, .rd = 0x80000001),
    V(sll,   SLL(A0, A1, A2), .rs1 = 1, .rs2 = 33, .rd = 2),
    V(sll,   SLL(A0, A1, A2), .rs1 = 1, .rs2 = 0xffffffe1, .rd = 2),
    V(slt,   SLT(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 0, .rd = 1),
    V(slt,   SLT(A0, A1, A2), .rs1 = 0, .rs2 = 0xffffffff, .rd = 0),
    V(slt,   SLT(A0, A1, A2), .rs1 = 5, .rs2 = 5, .rd = 0),
    V(slt,   SLT(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0x7fffffff, .rd = 1),
    V(sltu,  SLTU(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 0, .rd = 0),
    V(sltu,  SLTU(A0, A1, A2), .rs1 = 0, .rs2 = 0xffffffff, .rd = 1),
    V(sltu,  SLTU(A0, A1, A2), .rs1 = 7, .rs2 = 7, .rd = 0),
    V(xor,   XOR(A0, A1, A2), .rs1 = 0xff00ff00, .rs2 = 0x0ff00ff0, .rd = 0xf0f0f0f0),
    V(srl,   SRL(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 31, .rd = 1),
    V(srl,   SRL(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 32, .rd = 0x80000000),
    V(srl,   SRL(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 36, .rd = 0x08000000),
    V(srl,   SRL(A0, A1, A2), .rs1 = 0x80000001, .rs2 = 0, .rd = 0x80000001),
    V(sra,   SRA(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 31, .rd = 0xffffffff),
    V(sra,   SRA(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 63, .rd = 0xffffffff),
    V(sra,   SRA(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 32, .rd = 0x80000000),
    V(sra,   SRA(A0, A1, A2), .rs1 = 0x40000000, .rs2 = 30, .rd = 1),
    V(sra,   SRA(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 4, .rd = 0xf8000000),
    V(or,    OR(A0, A1, A2), .rs1 = 0xf0f00000, .rs2 = 0x0000f0f0, .rd = 0xf0f0f0f0),
    V(and,   AND(A0, A1, A2), .rs1 = 0xff00ff00, .rs2 = 0x0ff00ff0, .rd = 0x0f000f00),
    V(fence, FENCE),
    V(fence, FENCE_TSO),
    V(fence_i, FENCE_I),
};

/* Jumps and branches: `to` is where the taken path lands (an ecall). */
static const struct vec vec_ctl[] = {
    V(jal,  JAL(A0, 16), .rd = VPC + 4, .to = 16),
    V(jal,  JAL(A0, -16), .rd = VPC + 4, .to = -16),
    V(jal,  JAL(RA, -0x800), .rd = VPC + 4, .to = -0x800),
    V(jal,  JAL(RA, 0x7fc), .rd = VPC + 4, .to = 0x7fc),
    V(jal,  JAL(RA, 0x1000), .rd = VPC + 4, .to = 0x1000),   /* next page */
    V(jal,  JAL(ZERO, 8), .to = 8),                            /* j: x0 stays 0 */
    V(jalr, JALR(A0, 0, A1), .rs1 = VPC + 12, .rd = VPC + 4, .to = 12),
    V(jalr, JALR(A0, 5, A1), .rs1 = VPC + 0x10, .rd = VPC + 4, .to = 0x14),  /* bit 0 cleared */
    V(jalr, JALR(A0, -7, A1), .rs1 = VPC + 0x20, .rd = VPC + 4, .to = 0x18),
    V(jalr, JALR(A0, 0, A1), .rs1 = VPC + 0x31, .rd = VPC + 4, .to = 0x30),
    V(jalr, JALR(A1, 0, A1), .rs1 = VPC + 8, .rd = VPC + 4, .to = 8),      /* rd == rs1 */
    V(jalr, JALR(ZERO, 0, RA), .rs1 = VPC - 0x100, .to = -0x100),         /* ret */
    V(beq,  BEQ(A1, A2, 8), .rs1 = 5, .rs2 = 5, .to = 8),
    V(beq,  BEQ(A1, A2, 8), .rs1 = 5, .rs2 = 6),
    V(beq,  BEQ(A1, A2, -8), .rs1 = 0x80000000, .rs2 = 0x80000000, .to = -8),
    V(bne,  BNE(A1, A2, 8), .rs1 = 5, .rs2 = 6, .to = 8),
    V(bne,  BNE(A1, A2, 8), .rs1 = 5, .rs2 = 5),
    V(bne,  BNE(A1, A2, -0x800), .rs1 = 0, .rs2 = 0xffffffff, .to = -0x800),
    V(blt,  BLT(A1, A2, 12), .rs1 = 0xffffffff, .rs2 = 0, .to = 12),
    V(blt,  BLT(A1, A2, 12), .rs1 = 0, .rs2 = 0xffffffff),
    V(blt,  BLT(A1, A2, 12), .rs1 = 5, .rs2 = 5),
    V(blt,  BLT(A1, A2, 0x7fc), .rs1 = 0x80000000, .rs2 = 0x7fffffff, .to = 0x7fc),
    V(bge,  BGE(A1, A2, 12), .rs1 = 0, .rs2 = 0xffffffff, .to = 12),
    V(bge,  BGE(A1, A2, 12), .rs1 = 0xffffffff, .rs2 = 0),
    V(bge,  BGE(A1, A2, -12), .rs1 = 5, .rs2 = 5, .to = -12),
    V(bltu, BLTU(A1, A2, 16), .rs1 = 0, .rs2 = 0xffffffff, .to = 16),
    V(bltu, BLTU(A1, A2, 16), .rs1 = 0xffffffff, .rs2 = 0),
    V(bltu, BLTU(A1, A2, 16), .rs1 = 3, .rs2 = 3),
    V(bgeu, BGEU(A1, A2, 16), .rs1 = 0xffffffff, .rs2 = 0, .to = 16),
    V(bgeu, BGEU(A1, A2, 16), .rs1 = 0, .rs2 = 0xffffffff),
    V(bgeu, BGEU(A1, A2, -16), .rs1 = 9, .rs2 = 9, .to = -16),
    V(bgeu, BGEU(ZERO, ZERO, 8), .to = 8),
};

/* Loads and stores on the window DWIN = { 0x80ff7f01, 0x12348765 }
 * (bytes 01 7f ff 80 65 87 34 12), including misaligned ones inside a page. */
#define WIN  .mem = { 0x80ff7f01, 0x12348765 }
#define SWIN .mem = { 0x11111111, 0x22222222 }
static const struct vec vec_mem[] = {
    V(lb,  LB(A0, 0, A1), .rs1 = DWIN, WIN, .rd = 0x01),
    V(lb,  LB(A0, 2, A1), .rs1 = DWIN, WIN, .rd = 0xffffffff),
    V(lb,  LB(A0, 3, A1), .rs1 = DWIN, WIN, .rd = 0xffffff80),
    V(lb,  LB(A0, 1, A1), .rs1 = DWIN, WIN, .rd = 0x7f),
    V(lb,  LB(A0, -1, A1), .rs1 = DWIN + 8, WIN, .rd = 0x12),
    V(lh,  LH(A0, 0, A1), .rs1 = DWIN, WIN, .rd = 0x7f01),
    V(lh,  LH(A0, 2, A1), .rs1 = DWIN, WIN, .rd = 0xffff80ff),
    V(lh,  LH(A0, 4, A1), .rs1 = DWIN, WIN, .rd = 0xffff8765),
    V(lh,  LH(A0, 6, A1), .rs1 = DWIN, WIN, .rd = 0x1234),
    V(lh,  LH(A0, 1, A1), .rs1 = DWIN, WIN, .rd = 0xffffff7f),   /* misaligned */
    V(lw,  LW(A0, 0, A1), .rs1 = DWIN, WIN, .rd = 0x80ff7f01),
    V(lw,  LW(A0, -4, A1), .rs1 = DWIN + 8, WIN, .rd = 0x12348765),
    V(lw,  LW(A0, 2, A1), .rs1 = DWIN, WIN, .rd = 0x876580ff),   /* misaligned */
    V(lw,  LW(A0, 0, A1), .rs1 = DWIN + 3, WIN, .rd = 0x34876580),
    V(lw,  LW(A1, 0, A1), .rs1 = DWIN, WIN, .rd = 0x80ff7f01),   /* rd == rs1 */
    V(lw,  LW(ZERO, 0, A1), .rs1 = DWIN, WIN),                   /* x0 stays 0 */
    V(lbu, LBU(A0, 2, A1), .rs1 = DWIN, WIN, .rd = 0xff),
    V(lbu, LBU(A0, 3, A1), .rs1 = DWIN, WIN, .rd = 0x80),
    V(lbu, LBU(A0, 7, A1), .rs1 = DWIN, WIN, .rd = 0x12),
    V(lhu, LHU(A0, 2, A1), .rs1 = DWIN, WIN, .rd = 0x80ff),
    V(lhu, LHU(A0, 4, A1), .rs1 = DWIN, WIN, .rd = 0x8765),
    V(lhu, LHU(A0, 3, A1), .rs1 = DWIN, WIN, .rd = 0x6580),      /* misaligned */
    V(sb,  SB(A2, 1, A1), .rs1 = DWIN, .rs2 = 0xabcdef99, SWIN,
       .out = true, .mem_out = { 0x11119911, 0x22222222 }),
    V(sb,  SB(A2, -1, A1), .rs1 = DWIN + 8, .rs2 = 0x80, SWIN,
       .out = true, .mem_out = { 0x11111111, 0x80222222 }),
    V(sh,  SH(A2, 2, A1), .rs1 = DWIN, .rs2 = 0xabcdef99, SWIN,
       .out = true, .mem_out = { 0xef991111, 0x22222222 }),
    V(sh,  SH(A2, 3, A1), .rs1 = DWIN, .rs2 = 0xabcdef99, SWIN,   /* misaligned */
       .out = true, .mem_out = { 0x99111111, 0x222222ef }),
    V(sw,  SW(A2, 4, A1), .rs1 = DWIN, .rs2 = 0xabcdef99, SWIN,
       .out = true, .mem_out = { 0x11111111, 0xabcdef99 }),
    V(sw,  SW(A2, -8, A1), .rs1 = DWIN + 8, .rs2 = 0xabcdef99, SWIN,
       .out = true, .mem_out = { 0xabcdef99, 0x22222222 }),
    V(sw,  SW(A2, 2, A1), .rs1 = DWIN, .rs2 = 0xabcdef99, SWIN,   /* misaligned */
       .out = true, .mem_out = { 0xef991111, 0x2222abcd }),
    V(sw,  SW(ZERO, 0, A1), .rs1 = DWIN, SWIN,                    /* stores x0 = 0 */
       .out = true, .mem_out = { 0, 0x22222222 }),
    /* faults: the instruction does not retire, memory is unchanged */
    V(lw,  LW(A0, 8, A1), .rs1 = HOLE_VA, .trap = true,
       .cause = CAUSE_LOAD_PAGE_FAULT, .tval = HOLE_VA + 8),
    V(lbu, LBU(A0, 0, A1), .rs1 = HOLE_VA + 0xfff, .trap = true,
       .cause = CAUSE_LOAD_PAGE_FAULT, .tval = HOLE_VA + 0xfff),
    V(sw,  SW(A2, 0, A1), .rs1 = RO_VA + 0x10, .rs2 = 1, .trap = true,
       .cause = CAUSE_STORE_PAGE_FAULT, .tval = RO_VA + 0x10),
    V(sb,  SB(A2, 0, A1), .rs1 = HOLE_VA, .rs2 = 1, .trap = true,
       .cause = CAUSE_STORE_PAGE_FAULT, .tval = HOLE_VA),
    V(sh,  SH(A2, 0, A1), .rs1 = CODE_VA, .rs2 = 1, .trap = true,   /* code is R-X */
       .cause = CAUSE_STORE_PAGE_FAULT, .tval = CODE_VA),
    V(lh,  LH(A0, 0, A1), .rs1 = 0x7ffff000, .trap = true,
       .cause = CAUSE_LOAD_PAGE_FAULT, .tval = 0x7ffff000),
    /* page 0 and VPN 0x10000 share TLB slot 0, the one a zeroed TLB
     * must not leave at tag 0 (mmu/mmu.h) */
    V(lw,  LW(A0, 0, A1), .rs1 = 0x10000000, .trap = true,
       .cause = CAUSE_LOAD_PAGE_FAULT, .tval = 0x10000000),
    V(lw,  LW(A0, 4, ZERO), .trap = true, .cause = CAUSE_LOAD_PAGE_FAULT, .tval = 4),
    V(lhu, LHU(A0, 1, ZERO), .trap = true, .cause = CAUSE_LOAD_PAGE_FAULT, .tval = 1),
    V(sw,  SW(A2, 0, ZERO), .rs2 = 1, .trap = true, .cause = CAUSE_STORE_PAGE_FAULT, .tval = 0),
    /* code pages are readable: load this very instruction */
    V(lw,  LW(A0, 0, A1), .rs1 = VPC, .rd = LW(A0, 0, A1)),
};

/* M: division never traps (spec table 7.1). */
static const struct vec vec_m[] = {
    V(mul,    MUL(A0, A1, A2), .rs1 = 0x7fffffff, .rs2 = 2, .rd = 0xfffffffe),
    V(mul,    MUL(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 0xffffffff, .rd = 1),
    V(mul,    MUL(A0, A1, A2), .rs1 = 0x12345678, .rs2 = 0x9abcdef0, .rd = 0x242d2080),
    V(mulh,   MULH(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0x80000000, .rd = 0x40000000),
    V(mulh,   MULH(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 0xffffffff, .rd = 0),
    V(mulh,   MULH(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 1, .rd = 0xffffffff),
    V(mulh,   MULH(A0, A1, A2), .rs1 = 0x7fffffff, .rs2 = 0x7fffffff, .rd = 0x3fffffff),
    V(mulh,   MULH(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0x7fffffff, .rd = 0xc0000000),
    V(mulhsu, MULHSU(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 0xffffffff, .rd = 0xffffffff),
    V(mulhsu, MULHSU(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0xffffffff, .rd = 0x80000000),
    V(mulhsu, MULHSU(A0, A1, A2), .rs1 = 1, .rs2 = 0xffffffff, .rd = 0),
    V(mulhsu, MULHSU(A0, A1, A2), .rs1 = 0x7fffffff, .rs2 = 0xffffffff, .rd = 0x7ffffffe),
    V(mulhsu, MULHSU(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 1, .rd = 0xffffffff),
    V(mulhu,  MULHU(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 0xffffffff, .rd = 0xfffffffe),
    V(mulhu,  MULHU(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0x80000000, .rd = 0x40000000),
    V(mulhu,  MULHU(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 2, .rd = 1),
    V(mulhu,  MULHU(A0, A1, A2), .rs1 = 0x12345678, .rs2 = 0x9abcdef0, .rd = 0x0b00ea4e),
    V(div,    DIV(A0, A1, A2), .rs1 = 7, .rs2 = 0xfffffffe, .rd = 0xfffffffd),   /* 7/-2 = -3 */
    V(div,    DIV(A0, A1, A2), .rs1 = 0xfffffff9, .rs2 = 2, .rd = 0xfffffffd),   /* -7/2 = -3 */
    V(div,    DIV(A0, A1, A2), .rs1 = 1234, .rs2 = 0, .rd = 0xffffffff),         /* /0 = -1 */
    V(div,    DIV(A0, A1, A2), .rs1 = 0, .rs2 = 0, .rd = 0xffffffff),
    V(div,    DIV(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0xffffffff, .rd = 0x80000000),
    V(divu,   DIVU(A0, A1, A2), .rs1 = 7, .rs2 = 2, .rd = 3),
    V(divu,   DIVU(A0, A1, A2), .rs1 = 1234, .rs2 = 0, .rd = 0xffffffff),
    V(divu,   DIVU(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0xffffffff, .rd = 0),
    V(divu,   DIVU(A0, A1, A2), .rs1 = 0xfffffff9, .rs2 = 2, .rd = 0x7ffffffc),
    V(rem,    REM(A0, A1, A2), .rs1 = 7, .rs2 = 0xfffffffe, .rd = 1),
    V(rem,    REM(A0, A1, A2), .rs1 = 0xfffffff9, .rs2 = 2, .rd = 0xffffffff),   /* -7%2 = -1 */
    V(rem,    REM(A0, A1, A2), .rs1 = 0xfffffff9, .rs2 = 0, .rd = 0xfffffff9),   /* %0 = dividend */
    V(rem,    REM(A0, A1, A2), .rs1 = 0x80000000, .rs2 = 0xffffffff, .rd = 0),
    V(remu,   REMU(A0, A1, A2), .rs1 = 7, .rs2 = 2, .rd = 1),
    V(remu,   REMU(A0, A1, A2), .rs1 = 0xfffffff9, .rs2 = 0, .rd = 0xfffffff9),
    V(remu,   REMU(A0, A1, A2), .rs1 = 0xffffffff, .rs2 = 10, .rd = 5),
    V(mul,    MUL(ZERO, A1, A2), .rs1 = 3, .rs2 = 3),
};

/* A: rd gets the old memory word, memory gets the new one.  DWIN holds
 * the operand word; DWIN + 4 is a sentinel that must not change. */
#define AMO_VEC(op_, enc, old, src, new_) \
    V(op_, enc(A0, A2, A1), .rs1 = DWIN, .rs2 = (src), .mem = { (old), 0x5a5a5a5a }, \
      .rd = (old), .out = true, .mem_out = { (new_), 0x5a5a5a5a })
static const struct vec vec_amo[] = {
    V(lr_w, LR_W(A0, A1), .rs1 = DWIN, .mem = { 0xdeadbeef, 0 }, .rd = 0xdeadbeef),
    V(lr_w, LR_W(A0, A1) | AQRL, .rs1 = DWIN + 4, .mem = { 0, 0x01020304 }, .rd = 0x01020304),
    V(lr_w, LR_W(A0, A1), .rs1 = DWIN + 2, .trap = true,           /* misaligned */
      .cause = CAUSE_MISALIGNED_LOAD, .tval = DWIN + 2),
    V(lr_w, LR_W(A0, A1), .rs1 = HOLE_VA + 4, .trap = true,
      .cause = CAUSE_LOAD_PAGE_FAULT, .tval = HOLE_VA + 4),
    /* no reservation: fails, rd = 1, memory unchanged */
    V(sc_w, SC_W(A0, A2, A1), .rs1 = DWIN, .rs2 = 0x77, .mem = { 0x11, 0x22 }, .rd = 1),
    /* after lr.w of the same word: succeeds, rd = 0, memory written */
    V(sc_w, SC_W(A0, A2, A1), .pre = LR_W(ZERO, A1), .rs1 = DWIN, .rs2 = 0x77,
      .mem = { 0x11, 0x22 }, .rd = 0, .out = true, .mem_out = { 0x77, 0x22 }),
    V(sc_w, SC_W(A0, A2, A1) | AQRL, .pre = LR_W(ZERO, A1), .rs1 = DWIN + 4, .rs2 = 0x99,
      .mem = { 0x11, 0x22 }, .rd = 0, .out = true, .mem_out = { 0x11, 0x99 }),
    V(sc_w, SC_W(A0, A2, A1), .rs1 = DWIN + 1, .rs2 = 0x77, .trap = true,
      .cause = CAUSE_MISALIGNED_STORE, .tval = DWIN + 1),
    /* reserved a read-only word: the store part faults */
    V(sc_w, SC_W(A0, A2, A1), .pre = LR_W(ZERO, A1), .rs1 = RO_VA + 8, .rs2 = 0x77,
      .trap = true, .cause = CAUSE_STORE_PAGE_FAULT, .tval = RO_VA + 8),
    AMO_VEC(amoswap_w, AMOSWAP_W, 5, 7, 7),
    AMO_VEC(amoswap_w, AMOSWAP_W, 0xffffffff, 0, 0),
    AMO_VEC(amoadd_w,  AMOADD_W,  0xffffffff, 2, 1),
    AMO_VEC(amoadd_w,  AMOADD_W,  0x7fffffff, 1, 0x80000000),
    AMO_VEC(amoxor_w,  AMOXOR_W,  0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0),
    AMO_VEC(amoand_w,  AMOAND_W,  0xff00ff00, 0x0ff00ff0, 0x0f000f00),
    AMO_VEC(amoor_w,   AMOOR_W,   0xff00ff00, 0x0ff00ff0, 0xfff0fff0),
    AMO_VEC(amomin_w,  AMOMIN_W,  0xffffffff, 1, 0xffffffff),   /* signed: -1 < 1 */
    AMO_VEC(amomin_w,  AMOMIN_W,  5, 0xfffffffd, 0xfffffffd),
    AMO_VEC(amomin_w,  AMOMIN_W,  0x80000000, 0x7fffffff, 0x80000000),
    AMO_VEC(amomax_w,  AMOMAX_W,  0xffffffff, 1, 1),
    AMO_VEC(amomax_w,  AMOMAX_W,  0x80000000, 0x7fffffff, 0x7fffffff),
    AMO_VEC(amominu_w, AMOMINU_W, 0xffffffff, 1, 1),            /* unsigned */
    AMO_VEC(amominu_w, AMOMINU_W, 0x80000000, 0x7fffffff, 0x7fffffff),
    AMO_VEC(amomaxu_w, AMOMAXU_W, 0xffffffff, 1, 0xffffffff),
    AMO_VEC(amomaxu_w, AMOMAXU_W, 1, 0x80000000, 0x80000000),
    /* rd == rs2: the source is read before rd is written */
    V(amoswap_w, AMOSWAP_W(A2, A2, A1), .rs1 = DWIN, .rs2 = 7, .mem = { 5, 0 },
      .rd = 5, .out = true, .mem_out = { 7, 0 }),
    /* rd == x0: memory still updated, x0 stays 0 */
    V(amoadd_w, AMOADD_W(ZERO, A2, A1) | AQRL, .rs1 = DWIN, .rs2 = 3, .mem = { 4, 0 },
      .out = true, .mem_out = { 7, 0 }),
    /* misaligned AMO: store/AMO address misaligned, memory untouched */
    V(amoadd_w, AMOADD_W(A0, A2, A1), .rs1 = DWIN + 2, .rs2 = 1, .mem = { 1, 2 },
      .trap = true, .cause = CAUSE_MISALIGNED_STORE, .tval = DWIN + 2),
    /* AMO on a read-only page or a hole: store/AMO page fault */
    V(amoor_w, AMOOR_W(A0, A2, A1), .rs1 = RO_VA + 4, .rs2 = 1, .trap = true,
      .cause = CAUSE_STORE_PAGE_FAULT, .tval = RO_VA + 4),
    V(amoswap_w, AMOSWAP_W(A0, A2, A1), .rs1 = HOLE_VA + 0x40, .rs2 = 1, .trap = true,
      .cause = CAUSE_STORE_PAGE_FAULT, .tval = HOLE_VA + 0x40),
    V(amomaxu_w, AMOMAXU_W(A0, A2, A1), .rs1 = CODE_VA + 0x40, .rs2 = 1, .trap = true,
      .cause = CAUSE_STORE_PAGE_FAULT, .tval = CODE_VA + 0x40),
};

/* System and Zicsr.  The counters are read-only and start at INSTRET0, so
 * cycle/instret read 7 and their high halves 5; any write is illegal. */
static const struct vec vec_sys[] = {
    V(ecall,  ECALL, .trap = true, .cause = CAUSE_ECALL_U, .tval = 0),
    V(ebreak, EBREAK, .trap = true, .cause = CAUSE_BREAKPOINT, .tval = VPC),
    V(csrrs,  CSRRS(A0, CSR_INSTRET, ZERO), .rd = 7),
    V(csrrs,  CSRRS(A0, CSR_CYCLE, ZERO), .rd = 7),
    V(csrrs,  CSRRS(A0, CSR_INSTRETH, ZERO), .rd = 5),
    V(csrrs,  CSRRS(A0, CSR_CYCLEH, ZERO), .rd = 5),
    V(csrrs,  CSRRS(A0, CSR_INSTRET, ZERO), .pre = ADDI(ZERO, ZERO, 0), .rd = 8),
    V(csrrs,  CSRRS(ZERO, CSR_CYCLE, ZERO)),                      /* rd = x0: a legal read */
    V(csrrs,  CSRRS(A0, CSR_CYCLE, A1), .rs1 = 1, .trap = true,    /* a write */
      .cause = CAUSE_ILLEGAL_INSN),
    V(csrrs,  CSRRS(A0, CSR_FFLAGS, ZERO), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrs,  CSRRS(A0, CSR_MSTATUS, ZERO), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrs,  CSRRS(A0, 0xc03, A1), .rs1 = 1, .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrc,  CSRRC(A0, CSR_CYCLEH, ZERO), .rd = 5),
    V(csrrc,  CSRRC(A0, CSR_INSTRET, A1), .rs1 = 0xffffffff, .trap = true,
      .cause = CAUSE_ILLEGAL_INSN),
    V(csrrw,  CSRRW(A0, CSR_CYCLE, A1), .rs1 = 0x1234, .trap = true,
      .cause = CAUSE_ILLEGAL_INSN),
    V(csrrw,  CSRRW(A0, CSR_CYCLE, ZERO), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrw,  CSRRW(ZERO, CSR_INSTRET, A1), .rs1 = 1, .trap = true,
      .cause = CAUSE_ILLEGAL_INSN),
    V(csrrw,  CSRRW(A0, CSR_FFLAGS, A1), .rs1 = 1, .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrwi, CSRRWI(A0, CSR_CYCLE, 0), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrwi, CSRRWI(A0, CSR_TIME, 5), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrsi, CSRRSI(A0, CSR_INSTRET, 0), .rd = 7),
    V(csrrsi, CSRRSI(A0, CSR_INSTRET, 1), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrci, CSRRCI(A0, CSR_INSTRETH, 0), .rd = 5),
    V(csrrci, CSRRCI(A0, CSR_CYCLE, 3), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
    V(csrrci, CSRRCI(A0, CSR_FFLAGS, 0), .trap = true, .cause = CAUSE_ILLEGAL_INSN),
};

static const struct {
    const char       *name;
    const struct vec *v;
    size_t            n;
} vec_tables[] = {
    { "alu", vec_alu, sizeof vec_alu / sizeof vec_alu[0] },
    { "ctl", vec_ctl, sizeof vec_ctl / sizeof vec_ctl[0] },
    { "mem", vec_mem, sizeof vec_mem / sizeof vec_mem[0] },
    { "m",   vec_m,   sizeof vec_m / sizeof vec_m[0] },
    { "amo", vec_amo, sizeof vec_amo / sizeof vec_amo[0] },
    { "sys", vec_sys, sizeof vec_sys / sizeof vec_sys[0] },
};

/* Which of rs1/rs2 are registers, by the decoder's format letter. */
static bool fmt_uses_rs1(char fmt) { return strchr("RIShBAC", fmt) != NULL; }
static bool fmt_uses_rs2(char fmt) { return strchr("RSBA", fmt) != NULL; }

/* Run one vector.  With `exact`, the budget is what the vector retires
 * plus the ecall, so the interpreter runs it with its exact-stop sentinels
 * planted right behind (and the translator leaves it to the interpreter);
 * otherwise it runs with a budget to spare.  Both must give the same
 * result. */
static void run_vector(const char *table, size_t idx, const struct vec *v, bool exact)
{
    const char *name = v->op > OP_ILLEGAL && v->op < OP_COUNT ? insn_info[v->op].name : "?";
    char id[80];
    snprintf(id, sizeof id, "%s[%zu] %s 0x%08x%s", table, idx, name, v->word,
             exact ? " (single-step)" : "");

    /* The vector must encode the row it claims to test. */
    struct dinsn d;
    insn_decode(v->word, 4, &d);
    CHECK(d.op == v->op, "%s: decodes as %s", id, insn_info[d.op].name);
    if (d.op != v->op)
        return;
    const struct insn_info *ii = &insn_info[v->op];
    unsigned rdf = (v->word >> 7) & 31, rs1f = (v->word >> 15) & 31, rs2f = (v->word >> 20) & 31;
    bool use1 = fmt_uses_rs1(ii->fmt), use2 = fmt_uses_rs2(ii->fmt) && v->op != OP_lr_w;
    CHECK((use1 && rs1f) || v->rs1 == 0, "%s: bad vector (rs1 value for x0)", id);
    CHECK((use2 && rs2f) || v->rs2 == 0, "%s: bad vector (rs2 value for x0)", id);

    struct fx *f = fx_new();
    struct cpu *c = &f->cpu;
    uint32_t start = VPC;
    put32(f, VPC, v->word);
    if (v->pre) {
        start = VPC - 4;
        put32(f, start, v->pre);
    }
    put32(f, DWIN, v->mem[0]);
    put32(f, DWIN + 4, v->mem[1]);

    uint32_t init[32] = { 0 };
    if (use1 && rs1f)
        init[rs1f] = v->rs1;
    if (use2 && rs2f)
        init[rs2f] = v->rs2;
    memcpy(c->x, init, sizeof init);
    c->instret = INSTRET0;
    uint64_t retired = v->pre ? 1 : 0;

    enum cpu_stop rc = run_from(f, start, exact ? retired + 2 : 1000);
    CHECK(rc == CPU_STOP_TRAP, "%s: cpu_run returned %d", id, (int)rc);
    if (v->trap) {
        CHECK(c->trap.cause == v->cause, "%s: cause %d, want %d", id, c->trap.cause, v->cause);
        CHECK(c->pc == VPC, "%s: trap pc 0x%x, want 0x%x", id, c->pc, VPC);
        CHECK(c->trap.tval == v->tval, "%s: tval 0x%x, want 0x%x", id, c->trap.tval, v->tval);
    } else {
        uint32_t at = VPC + (uint32_t)(v->to ? v->to : 4);
        CHECK(c->trap.cause == CAUSE_ECALL_U, "%s: cause %d, want the ecall", id, c->trap.cause);
        CHECK(c->pc == at, "%s: stopped at 0x%x, want 0x%x", id, c->pc, at);
        retired++;
    }
    CHECK(c->instret == INSTRET0 + retired, "%s: instret %llu, want %llu", id,
          (unsigned long long)(c->instret - INSTRET0), (unsigned long long)retired);

    for (unsigned r = 0; r < 32; r++) {
        uint32_t want = init[r];
        if (r == rdf && r != 0 && (ii->flags & F_RD) && !v->trap)
            want = v->rd;
        CHECK(c->x[r] == want, "%s: x%u = 0x%x, want 0x%x", id, r, c->x[r], want);
    }
    const uint32_t *mo = v->out ? v->mem_out : v->mem;
    CHECK(get32(f, DWIN) == mo[0] && get32(f, DWIN + 4) == mo[1],
          "%s: memory {0x%x, 0x%x}, want {0x%x, 0x%x}", id,
          get32(f, DWIN), get32(f, DWIN + 4), mo[0], mo[1]);
    fx_free(f);
}

static void run_table(const char *name)
{
    for (size_t t = 0; t < sizeof vec_tables / sizeof vec_tables[0]; t++)
        if (!strcmp(vec_tables[t].name, name))
            for (size_t i = 0; i < vec_tables[t].n; i++) {
                run_vector(name, i, &vec_tables[t].v[i], false);
                run_vector(name, i, &vec_tables[t].v[i], true);
            }
}

static void test_vectors_alu(void) { run_table("alu"); }
static void test_vectors_ctl(void) { run_table("ctl"); }
static void test_vectors_mem(void) { run_table("mem"); }
static void test_vectors_m(void)   { run_table("m"); }
static void test_vectors_amo(void) { run_table("amo"); }
static void test_vectors_sys(void) { run_table("sys"); }

static bool has_vector(int op)
{
    for (size_t t = 0; t < sizeof vec_tables / sizeof vec_tables[0]; t++)
        for (size_t i = 0; i < vec_tables[t].n; i++)
            if (vec_tables[t].v[i].op == op)
                return true;
    return false;
}

/* STYLE.md: "Instruction vectors come from insn.def: a row with no test
 * fails."  One failure per uncovered row, naming it. */
static void test_insn_def_coverage(void)
{
    unsigned rows = 0;
#define X(name, fmt, match, mask, flags)                                       \
    rows++;                                                                    \
    if (!has_vector(OP_##name))                                                \
        CU_assertImplementation(CU_FALSE, __LINE__,                            \
            "insn.def row without a test vector: " #name, __FILE__, "", CU_FALSE);
    INSN_LIST(X)
#undef X
    CU_ASSERT(rows == OP_COUNT - (OP_ILLEGAL + 1));
    CU_ASSERT(rows > 60);
}

/* Each row's own match value decodes to that row (first-match decoding
 * must not let an earlier row shadow a later one), and every vector's
 * word matches its row. */
static void test_decode_rows(void)
{
    for (int op = OP_ILLEGAL + 1; op < OP_COUNT; op++) {
        struct dinsn d;
        insn_decode(insn_info[op].match, 4, &d);
        CHECK(d.op == op, "match of %s decodes as %s", insn_info[op].name, insn_info[d.op].name);
        CHECK(d.len == 4, "%s: len %u", insn_info[op].name, d.len);
    }
    /* x0 destinations go to the sink; rd_arch keeps the encoding. */
    struct dinsn d;
    insn_decode(ADDI(ZERO, RA, 5), 4, &d);
    CU_ASSERT(d.op == OP_addi && d.rd == REG_SINK && d.rd_arch == 0 && d.rs1 == RA && d.imm == 5);
    insn_decode(ADDI(T6, S11, -2048), 4, &d);
    CU_ASSERT(d.op == OP_addi && d.rd == T6 && d.rs1 == S11 && d.imm == -2048);
    insn_decode(SW(A2, -4, SP), 4, &d);
    CU_ASSERT(d.op == OP_sw && d.rs1 == SP && d.rs2 == A2 && d.imm == -4 && d.rd == REG_SINK);
    insn_decode(BGE(A1, A2, -4096), 4, &d);
    CU_ASSERT(d.op == OP_bge && d.imm == -4096);
    insn_decode(BGE(A1, A2, 4094), 4, &d);
    CU_ASSERT(d.op == OP_bge && d.imm == 4094);
    insn_decode(JAL(RA, -1048576), 4, &d);
    CU_ASSERT(d.op == OP_jal && d.imm == -1048576 && d.rd == RA);
    insn_decode(JAL(RA, 1048574), 4, &d);
    CU_ASSERT(d.op == OP_jal && d.imm == 1048574);
    insn_decode(SRAI(A0, A1, 31), 4, &d);
    CU_ASSERT(d.op == OP_srai && d.imm == 31);
    insn_decode(CSRRS(A0, 0xfff, ZERO), 4, &d);
    CU_ASSERT(d.op == OP_csrrs && d.imm == 0xfff);
}

/* Words that are not RV32IMA+Zicsr+Zifencei decode as illegal and trap
 * with cause 2, at their own pc, without retiring. */
static void test_illegal_words(void)
{
    static const uint32_t words[] = {
        0xffffffffu,
        SLLI(A0, A0, 0) | 1u << 25,          /* slli with shamt[5]: RV64 only */
        SRLI(A0, A0, 0) | 1u << 25,
        SRAI(A0, A0, 0) | 1u << 25,
        LR_W(A0, A1) | (uint32_t)A2 << 20,   /* lr.w with rs2 != 0 */
        AMOADD_W(A0, A2, A1) | 1u << 12,     /* amoadd.d */
        LW(A0, 0, A1) | 1u << 12,            /* ld */
        ADD(A0, A1, A2) | 1u << 26,          /* unknown funct7 */
        0x0000000bu,                         /* custom-0 */
        0x00000007u,                         /* flw */
        0x30200073u,                         /* mret */
        0x10200073u,                         /* sret */
        0x10500073u,                         /* wfi */
        0x00200073u,                         /* uret (removed) */
        ECALL | 1u << 7,                     /* ecall with rd != 0 */
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        struct fx *f = fx_new();
        put32(f, CODE_VA + 8, words[i]);
        put_code(f, CODE_VA, (const uint32_t[]){ ADDI(A0, ZERO, 1), ADDI(A1, ZERO, 2) }, 2);
        enum cpu_stop rc = run_from(f, CODE_VA, 100);
        CHECK(rc == CPU_STOP_TRAP && f->cpu.trap.cause == CAUSE_ILLEGAL_INSN,
              "word 0x%08x: rc %d cause %d, want illegal", words[i], (int)rc, f->cpu.trap.cause);
        CHECK(f->cpu.pc == CODE_VA + 8, "word 0x%08x: pc 0x%x", words[i], f->cpu.pc);
        CHECK(f->cpu.instret == 2, "word 0x%08x: instret %llu", words[i],
              (unsigned long long)f->cpu.instret);
        CU_ASSERT(f->cpu.x[A0] == 1 && f->cpu.x[A1] == 2);
        fx_free(f);
    }
}

/* ------------------------------------------------------------------------
 * x0, jumps, LR/SC sequences.
 */

static void test_x0_discarded(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        ADDI(RA, ZERO, 7),
        ADDI(ZERO, RA, 5),          /* addi x0, x1, 5 */
        LUI(ZERO, 0xfffff),
        AUIPC(ZERO, 1),
        LW(ZERO, 0, A1),
        JAL(ZERO, 8),               /* j .+8 */
        ECALL,                      /* skipped */
        MUL(ZERO, RA, RA),
        CSRRS(ZERO, CSR_INSTRET, ZERO),
        AMOSWAP_W(ZERO, RA, A1),
        ADD(A0, ZERO, ZERO),        /* reads x0 into a0 */
        ADDI(A2, ZERO, 0),
        ECALL,
    };
    put_code(f, CODE_VA, prog, sizeof prog / sizeof prog[0]);
    put32(f, DATA_VA, 0xdeadbeef);
    f->cpu.x[A0] = 0x1234;
    f->cpu.x[A2] = 0x5678;
    f->cpu.x[A1] = DATA_VA;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 4 * 12);
    CU_ASSERT_EQUAL(f->cpu.x[0], 0);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0);
    CU_ASSERT_EQUAL(f->cpu.x[A2], 0);
    CU_ASSERT_EQUAL(get32(f, DATA_VA), 7);     /* the amoswap still stored */
    fx_free(f);
}

/* A call and return through jal/jalr, with link values. */
static void test_call_return(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        /* 0x00 */ JAL(RA, 0x10),          /* call f */
        /* 0x04 */ ADDI(A1, RA, 0),        /* a1 = ra after return (still 4) */
        /* 0x08 */ ECALL,
        /* 0x0c */ ECALL,
        /* 0x10 */ ADDI(A0, A0, 1),        /* f: */
        /* 0x14 */ JALR(T0, 0, RA),        /* return, t0 = 0x18 */
    };
    put_code(f, CODE_VA, prog, sizeof prog / sizeof prog[0]);
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 8);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1);
    CU_ASSERT_EQUAL(f->cpu.x[RA], CODE_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A1], CODE_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[T0], CODE_VA + 0x18);
    CU_ASSERT_EQUAL(f->cpu.instret, 4);
    fx_free(f);
}

static void test_lr_sc_sequences(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        LR_W(A0, A1),               /* reserve DATA_VA */
        SC_W(A3, A2, A4),           /* sc to DATA_VA + 4: different address, fails */
        SC_W(A5, A2, A1),           /* reservation gone: fails too */
        LR_W(A0, A1),
        SC_W(A6, A2, A1),           /* succeeds */
        SC_W(A7, A0, A1),           /* second sc without lr: fails */
        ECALL,
    };
    put_code(f, CODE_VA, prog, sizeof prog / sizeof prog[0]);
    put32(f, DATA_VA, 10);
    put32(f, DATA_VA + 4, 20);
    f->cpu.x[A1] = DATA_VA;
    f->cpu.x[A4] = DATA_VA + 4;
    f->cpu.x[A2] = 99;
    f->cpu.x[A3] = f->cpu.x[A5] = f->cpu.x[A6] = f->cpu.x[A7] = 0x55;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 4 * 6);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 10);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 1);
    CU_ASSERT_EQUAL(f->cpu.x[A5], 1);
    CU_ASSERT_EQUAL(f->cpu.x[A6], 0);
    CU_ASSERT_EQUAL(f->cpu.x[A7], 1);
    CU_ASSERT_EQUAL(get32(f, DATA_VA), 99);
    CU_ASSERT_EQUAL(get32(f, DATA_VA + 4), 20);     /* the failed sc wrote nothing */
    fx_free(f);
}

/* ------------------------------------------------------------------------
 * Compressed instructions.
 */

/* Assembler output: `c.*` encoding and the same instruction assembled with
 * .option norvc (what rvc_expand must produce). */
static const struct {
    uint16_t    c;
    uint32_t    w;
    const char *text;
} rvc_cases[] = {
    { 0x0808, 0x01010513, "c.addi4spn a0,sp,16" },
    { 0x1fe4, 0x3fc10493, "c.addi4spn s1,sp,1020" },
    { 0x41c8, 0x0045a503, "c.lw a0,4(a1)" },
    { 0x5fe0, 0x07c7a403, "c.lw s0,124(a5)" },
    { 0xc690, 0x00c6a423, "c.sw a2,8(a3)" },
    { 0xdcfc, 0x06f4ae23, "c.sw a5,124(s1)" },
    { 0x157d, 0xfff50513, "c.addi a0,-1" },
    { 0x037d, 0x01f30313, "c.addi t1,31" },
    { 0x0001, 0x00000013, "c.nop" },
    { 0x2ffd, 0x7fe000ef, "c.jal .+2046" },
    { 0x3001, 0x801ff0ef, "c.jal .-2048" },
    { 0x5781, 0xfe000793, "c.li a5,-32" },
    { 0x429d, 0x00700293, "c.li t0,7" },
    { 0x717d, 0xff010113, "c.addi16sp sp,-16" },
    { 0x617d, 0x1f010113, "c.addi16sp sp,496" },
    { 0x7101, 0xe0010113, "c.addi16sp sp,-512" },
    { 0x6505, 0x00001537, "c.lui a0,1" },
    { 0x7381, 0xfffe03b7, "c.lui t2,0xfffe0" },
    { 0x647d, 0x0001f437, "c.lui s0,0x1f" },
    { 0x8105, 0x00155513, "c.srli a0,1" },
    { 0x80fd, 0x01f4d493, "c.srli s1,31" },
    { 0x86fd, 0x41f6d693, "c.srai a3,31" },
    { 0x871d, 0x40775713, "c.srai a4,7" },
    { 0x9a7d, 0xfff67613, "c.andi a2,-1" },
    { 0x8815, 0x00547413, "c.andi s0,5" },
    { 0x8d0d, 0x40b50533, "c.sub a0,a1" },
    { 0x8c3d, 0x00f44433, "c.xor s0,a5" },
    { 0x8ed9, 0x00e6e6b3, "c.or a3,a4" },
    { 0x8cf1, 0x00c4f4b3, "c.and s1,a2" },
    { 0xbffd, 0xfffff06f, "c.j .-2" },
    { 0xa6e5, 0x3e80006f, "c.j .+1000" },
    { 0xcd7d, 0x0e050f63, "c.beqz a0,.+254" },
    { 0xd081, 0xf00480e3, "c.beqz s1,.-256" },
    { 0xe791, 0x00079663, "c.bnez a5,.+12" },
    { 0xfc7d, 0xfe041fe3, "c.bnez s0,.-2" },
    { 0x0506, 0x00151513, "c.slli a0,1" },
    { 0x0ffe, 0x01ff9f93, "c.slli t6,31" },
    { 0x4082, 0x00012083, "c.lwsp ra,0(sp)" },
    { 0x52fe, 0x0fc12283, "c.lwsp t0,252(sp)" },
    { 0x8082, 0x00008067, "c.jr ra" },
    { 0x8e02, 0x000e0067, "c.jr t3" },
    { 0x852e, 0x00b00533, "c.mv a0,a1" },
    { 0x8fa2, 0x00800fb3, "c.mv t6,s0" },
    { 0x9002, 0x00100073, "c.ebreak" },
    { 0x9502, 0x000500e7, "c.jalr a0" },
    { 0x9f82, 0x000f80e7, "c.jalr t6" },
    { 0x952e, 0x00b50533, "c.add a0,a1" },
    { 0x917e, 0x01f10133, "c.add sp,t6" },
    { 0xc02a, 0x00a12023, "c.swsp a0,0(sp)" },
    { 0xdffe, 0x0ff12e23, "c.swsp t6,252(sp)" },
};

static void test_rvc_expand(void)
{
    for (size_t i = 0; i < sizeof rvc_cases / sizeof rvc_cases[0]; i++) {
        uint32_t got = rvc_expand(rvc_cases[i].c);
        CHECK(got == rvc_cases[i].w, "rvc_expand(0x%04x) %s = 0x%08x, want 0x%08x",
              rvc_cases[i].c, rvc_cases[i].text, got, rvc_cases[i].w);
    }
}

/* Illegal or reserved RV32C encodings, and the F/D forms we do not have. */
static void test_rvc_reserved(void)
{
    static const struct { uint16_t c; const char *why; } bad[] = {
        { 0x0000, "all zero" },
        { 0x0004, "c.addi4spn with nzuimm 0 (rd' = s1)" },
        { 0x0010, "c.addi4spn with nzuimm 0 (rd' = a2)" },
        { 0x6501, "c.lui a0 with imm 0" },
        { 0x6001, "c.lui with rd 0 and imm 0" },
        { 0x6101, "c.addi16sp with imm 0" },
        { 0x4002, "c.lwsp rd=0" },
        { 0x5002, "c.lwsp rd=0, imm 32" },
        { 0x8002, "c.jr rs1=0" },
        { 0x2000, "c.fld" },
        { 0x6000, "c.flw" },
        { 0xa000, "c.fsd" },
        { 0xe000, "c.fsw" },
        { 0x2002, "c.fldsp" },
        { 0x6002, "c.flwsp" },
        { 0xa002, "c.fsdsp" },
        { 0xe002, "c.fswsp" },
        { 0x8000, "quadrant 0, funct3 4 (reserved)" },
        { 0x9005, "c.srli with shamt[5] = 1" },
        { 0x9405, "c.srai with shamt[5] = 1" },
        { 0x1506, "c.slli with shamt[5] = 1" },
        { 0x9d0d, "c.subw (RV64)" },
        { 0x9d2d, "c.addw (RV64)" },
        { 0x9d4d, "reserved (funct 100111, 10)" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t got = rvc_expand(bad[i].c);
        CHECK(got == 0, "rvc_expand(0x%04x) [%s] = 0x%08x, want 0", bad[i].c, bad[i].why, got);
    }
}

/* Reserved compressed encodings trap as illegal instructions at their pc;
 * so do 0x0000 and 0xffffffff. */
static void test_illegal_compressed_trap(void)
{
    static const uint16_t bad[] = { 0x0000, 0x6000, 0x8002, 0x6101, 0x4002 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct fx *f = fx_new();
        put16(f, CODE_VA, 0x4515);             /* c.li a0,5 */
        put16(f, CODE_VA + 2, bad[i]);
        enum cpu_stop rc = run_from(f, CODE_VA, 100);
        CHECK(rc == CPU_STOP_TRAP && f->cpu.trap.cause == CAUSE_ILLEGAL_INSN,
              "0x%04x: rc %d cause %d", bad[i], (int)rc, f->cpu.trap.cause);
        CHECK(f->cpu.pc == CODE_VA + 2, "0x%04x: pc 0x%x", bad[i], f->cpu.pc);
        CU_ASSERT_EQUAL(f->cpu.x[A0], 5);
        CU_ASSERT_EQUAL(f->cpu.instret, 1);
        fx_free(f);
    }
}

/* A mixed sequence: 32-bit instructions at 2-aligned addresses, c.jal,
 * c.jr, c.beqz/c.bnez, c.swsp/c.lwsp.  Assembled (offsets on the left):
 *
 *   00 4515      c.li   a0,5          14 2039      c.jal  22 <sub>
 *   02 00a50513  addi   a0,a0,10      16 0505      c.addi a0,1
 *   06 85aa      c.mv   a1,a0         18 c291      c.beqz a3,1c
 *   08 0585      c.addi a1,1          1a 4501      c.li   a0,0
 *   0a 12345637  lui    a2,0x12345    1c f2f5      c.bnez a3,0 <start>
 *   0e 8231      c.srli a2,0xc        1e 00000073  ecall
 *   10 c432      c.swsp a2,8(sp)      22 00000693  addi   a3,zero,0   <sub>
 *   12 4722      c.lwsp a4,8(sp)      26 058a      c.slli a1,0x2
 *                                     28 8082      c.jr   ra
 */
static void test_rvc_mixed_run(void)
{
    static const uint16_t prog[] = {
        0x4515, 0x0513, 0x00a5, 0x85aa, 0x0585, 0x5637, 0x1234, 0x8231,
        0xc432, 0x4722, 0x2039, 0x0505, 0xc291, 0x4501, 0xf2f5, 0x0073,
        0x0000, 0x0693, 0x0000, 0x058a, 0x8082,
    };
    struct fx *f = fx_new();
    put_halves(f, CODE_VA, prog, sizeof prog / sizeof prog[0]);
    f->cpu.x[SP] = DATA_VA + 0x100;
    f->cpu.x[A3] = 0x99;                       /* sub clears it */
    enum cpu_stop rc = run_from(f, CODE_VA, 1000);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x1e);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 16);
    CU_ASSERT_EQUAL(f->cpu.x[A1], 64);
    CU_ASSERT_EQUAL(f->cpu.x[A2], 0x12345);
    CU_ASSERT_EQUAL(f->cpu.x[A4], 0x12345);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 0);
    CU_ASSERT_EQUAL(f->cpu.x[RA], CODE_VA + 0x16);     /* c.jal links pc + 2 */
    CU_ASSERT_EQUAL(f->cpu.x[SP], DATA_VA + 0x100);
    CU_ASSERT_EQUAL(get32(f, DATA_VA + 0x108), 0x12345);
    CU_ASSERT_EQUAL(f->cpu.instret, 15);
    fx_free(f);
}

/* c.jalr links pc + 2; c.lw/c.sw; c.addi4spn; a compressed load fault
 * reports the compressed instruction's pc. */
static void test_rvc_more_run(void)
{
    struct fx *f = fx_new();
    put16(f, CODE_VA + 0, 0x0808);             /* c.addi4spn a0,sp,16 */
    put16(f, CODE_VA + 2, 0xc690);             /* c.sw a2,8(a3) */
    put16(f, CODE_VA + 4, 0x5fe0);             /* c.lw s0,124(a5) */
    put16(f, CODE_VA + 6, 0x9f82);             /* c.jalr t6 */
    f->cpu.x[SP] = 0x1000;
    f->cpu.x[A2] = 0xcafe;
    f->cpu.x[A3] = DATA_VA;                    /* stores at DATA_VA + 8 */
    f->cpu.x[A5] = DATA_VA + 8 - 124;          /* loads DATA_VA + 8 */
    f->cpu.x[T6] = CODE_VA + 0x20;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x20);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0x1010);
    CU_ASSERT_EQUAL(f->cpu.x[S0], 0xcafe);
    CU_ASSERT_EQUAL(f->cpu.x[RA], CODE_VA + 8);
    CU_ASSERT_EQUAL(get32(f, DATA_VA + 8), 0xcafe);
    CU_ASSERT_EQUAL(f->cpu.instret, 4);

    put16(f, CODE_VA + 0x40, 0x41c8);          /* c.lw a0,4(a1), a1 -> hole */
    f->cpu.x[A1] = HOLE_VA;
    rc = run_from(f, CODE_VA + 0x40, 100);
    EXPECT_TRAP(f, rc, CAUSE_LOAD_PAGE_FAULT, CODE_VA + 0x40, HOLE_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0x1010);
    fx_free(f);
}

/* ------------------------------------------------------------------------
 * Traps: ecall, ebreak, c.ebreak, illegal.
 */

static void test_ecall_ebreak(void)
{
    struct fx *f = fx_new();
    put_code(f, CODE_VA, (const uint32_t[]){ ADDI(A0, ZERO, 1), ECALL }, 2);
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_TRAP(f, rc, CAUSE_ECALL_U, CODE_VA + 4, 0);
    CU_ASSERT_EQUAL(f->cpu.instret, 1);

    put_code(f, CODE_VA + 0x10, (const uint32_t[]){ ADDI(A0, ZERO, 2), EBREAK }, 2);
    rc = run_from(f, CODE_VA + 0x10, 100);
    EXPECT_TRAP(f, rc, CAUSE_BREAKPOINT, CODE_VA + 0x14, CODE_VA + 0x14);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 2);
    CU_ASSERT_EQUAL(f->cpu.instret, 2);

    put16(f, CODE_VA + 0x20, 0x4515);          /* c.li a0,5 */
    put16(f, CODE_VA + 0x22, 0x9002);          /* c.ebreak */
    rc = run_from(f, CODE_VA + 0x20, 100);
    EXPECT_TRAP(f, rc, CAUSE_BREAKPOINT, CODE_VA + 0x22, CODE_VA + 0x22);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 5);

    /* 0x00000000 is the compressed all-zero illegal; 0xffffffff too */
    /* (tval for an illegal instruction: its bits, or 0 — PLATFORM.md §6.5) */
    put32(f, CODE_VA + 0x30, 0);
    rc = run_from(f, CODE_VA + 0x30, 100);
    CU_ASSERT_EQUAL(rc, CPU_STOP_TRAP);
    CU_ASSERT_EQUAL(f->cpu.trap.cause, CAUSE_ILLEGAL_INSN);
    CU_ASSERT_EQUAL(f->cpu.pc, CODE_VA + 0x30);
    CU_ASSERT_EQUAL(f->cpu.trap.tval, 0);
    put32(f, CODE_VA + 0x40, 0xffffffff);
    rc = run_from(f, CODE_VA + 0x40, 100);
    CU_ASSERT_EQUAL(rc, CPU_STOP_TRAP);
    CU_ASSERT_EQUAL(f->cpu.trap.cause, CAUSE_ILLEGAL_INSN);
    CU_ASSERT_EQUAL(f->cpu.pc, CODE_VA + 0x40);
    CU_ASSERT(f->cpu.trap.tval == 0 || f->cpu.trap.tval == 0xffffffff);

    /* an odd pc (only the kernel can set one): misaligned fetch */
    rc = run_from(f, CODE_VA + 0x51, 100);
    EXPECT_TRAP(f, rc, CAUSE_MISALIGNED_FETCH, CODE_VA + 0x51, CODE_VA + 0x51);
    fx_free(f);
}

/* ------------------------------------------------------------------------
 * Memory faults are precise.
 */

static void test_precise_load_fault(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        ADDI(A0, ZERO, 1),
        SW(A0, 0, A2),              /* visible */
        LW(A3, 8, A1),              /* a1 = HOLE_VA: faults */
        ADDI(A0, ZERO, 9),          /* must not run */
        ECALL,
    };
    put_code(f, CODE_VA, prog, 5);
    f->cpu.x[A1] = HOLE_VA;
    f->cpu.x[A2] = DATA_VA;
    f->cpu.x[A3] = 0x5555;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_TRAP(f, rc, CAUSE_LOAD_PAGE_FAULT, CODE_VA + 8, HOLE_VA + 8);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 0x5555);
    CU_ASSERT_EQUAL(get32(f, DATA_VA), 1);
    CU_ASSERT_EQUAL(f->cpu.instret, 2);

    /* the kernel maps the page and resumes at the same pc: it completes */
    fx_map_new(f, HOLE_VA, F_DATA);
    put32(f, HOLE_VA + 8, 0xabcd);
    mmu_flush_range(&f->mmu, HOLE_VA, PAGE_SIZE);
    rc = cpu_run(&f->cpu, f->cpu.instret + 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 16);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 0xabcd);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 9);
    CU_ASSERT_EQUAL(f->cpu.instret, 4);
    fx_free(f);
}

/* Misaligned accesses to an unmapped page at 0 (and at the page of an
 * invalid TLB tag) are page faults, never a match with an empty TLB entry. */
static void test_misaligned_near_null(void)
{
    static const uint32_t addrs[] = { 1, 2, 3, 0x101, 0x7ff, 0x801, 0x803, 0xffe };
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
        const uint32_t words[] = {
            LW(A0, 0, A1), LH(A0, 0, A1), LHU(A0, 0, A1), SW(A0, 0, A1), SH(A0, 0, A1),
        };
        for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
            struct fx *f = fx_new();
            const uint32_t prog[] = { ADDI(A2, ZERO, 5), words[k], ECALL };
            put_code(f, CODE_VA, prog, 3);
            f->cpu.x[A1] = addrs[i];
            enum cpu_stop rc = run_from(f, CODE_VA, 100);
            int cause = k >= 3 ? CAUSE_STORE_PAGE_FAULT : CAUSE_LOAD_PAGE_FAULT;
            CHECK(rc == CPU_STOP_TRAP && f->cpu.trap.cause == cause &&
                  f->cpu.trap.tval == addrs[i] && f->cpu.pc == CODE_VA + 4,
                  "word %zu at 0x%x: rc %d cause %d tval 0x%x pc 0x%x", k, addrs[i], (int)rc,
                  f->cpu.trap.cause, f->cpu.trap.tval, f->cpu.pc);
            fx_free(f);
        }
    }
}

static void test_store_fault_readonly(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = { ADDI(A0, ZERO, 3), SW(A0, 0x10, A1), ADDI(A0, ZERO, 4), ECALL };
    put_code(f, CODE_VA, prog, 4);
    put32(f, RO_VA + 0x10, 0x01020304);
    f->cpu.x[A1] = RO_VA;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_TRAP(f, rc, CAUSE_STORE_PAGE_FAULT, CODE_VA + 4, RO_VA + 0x10);
    CU_ASSERT_EQUAL(get32(f, RO_VA + 0x10), 0x01020304);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 3);
    /* the read-only page's PTE gained no D bit */
    CU_ASSERT_EQUAL(*fx_pte(f, RO_VA, false) & PTE_D, 0);
    fx_free(f);
}

/* Jumping into a mapped but non-executable page: cause 12 at the target,
 * the jump itself retired (ra written). */
static void test_fetch_fault_nx(void)
{
    struct fx *f = fx_new();
    put32(f, DATA_VA + 0x10, ADDI(A0, ZERO, 1));   /* a valid instruction, but NX */
    put_code(f, CODE_VA, (const uint32_t[]){ JALR(RA, 0, A1) }, 1);
    f->cpu.x[A1] = DATA_VA + 0x10;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, DATA_VA + 0x10, DATA_VA + 0x10);
    CU_ASSERT_EQUAL(f->cpu.x[RA], CODE_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0);
    CU_ASSERT_EQUAL(f->cpu.instret, 1);

    /* into a hole, by a branch */
    put_code(f, CODE_VA + 0x100, (const uint32_t[]){ JAL(ZERO, 0x20000 - 0x100) }, 1);
    rc = run_from(f, CODE_VA + 0x100, 100);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, CODE_VA + 0x20000, CODE_VA + 0x20000);

    /* to address 0 (TLB slot 0, see mmu/mmu.h) */
    put_code(f, CODE_VA + 0x200, (const uint32_t[]){ JALR(RA, 0, ZERO) }, 1);
    rc = run_from(f, CODE_VA + 0x200, 100);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, 0, 0);

    /* falling off the end of the last code page into a hole */
    put32(f, CODE_VA + 0x1ffc, ADDI(A2, ZERO, 7));
    rc = run_from(f, CODE_VA + 0x1ffc, 100);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, CODE_VA + 0x2000, CODE_VA + 0x2000);
    CU_ASSERT_EQUAL(f->cpu.x[A2], 7);
    fx_free(f);
}

/* Accesses crossing a page boundary: both halves from the right frames
 * (the frames are not adjacent), a fault names the first byte of the
 * faulting page, and a faulting store writes nothing. */
static void test_cross_page_access(void)
{
    struct fx *f = fx_new();
    /* DATA_VA+0x1ffe | RO_VA: a load across RW -> R works */
    put16(f, DATA_VA + 0x1ffe, 0x2211);
    put16(f, RO_VA, 0x4433);
    put_code(f, CODE_VA, (const uint32_t[]){ LW(A0, 0, A1), LH(A2, 1, A1), ECALL }, 3);
    f->cpu.x[A1] = DATA_VA + 0x1ffe;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 8);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0x44332211);
    CU_ASSERT_EQUAL(f->cpu.x[A2], 0x3322);

    /* lw crossing from RO_VA into the hole: cause 13, tval = the hole */
    put_code(f, CODE_VA + 0x20, (const uint32_t[]){ LW(A3, 0, A1), ECALL }, 2);
    f->cpu.x[A1] = RO_VA + 0xffd;
    f->cpu.x[A3] = 0x77;
    rc = run_from(f, CODE_VA + 0x20, 100);
    EXPECT_TRAP(f, rc, CAUSE_LOAD_PAGE_FAULT, CODE_VA + 0x20, HOLE_VA);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 0x77);

    /* sw crossing from RW into RO: cause 15, tval = RO_VA, nothing written */
    put32(f, DATA_VA + 0x1ffc, 0xaaaaaaaa);
    put_code(f, CODE_VA + 0x40, (const uint32_t[]){ SW(A2, 0, A1), ECALL }, 2);
    f->cpu.x[A1] = DATA_VA + 0x1ffe;
    f->cpu.x[A2] = 0x12345678;
    rc = run_from(f, CODE_VA + 0x40, 100);
    EXPECT_TRAP(f, rc, CAUSE_STORE_PAGE_FAULT, CODE_VA + 0x40, RO_VA);
    CU_ASSERT_EQUAL(get32(f, DATA_VA + 0x1ffc), 0xaaaaaaaa);
    CU_ASSERT_EQUAL(get16(f, RO_VA), 0x4433);

    /* sh and sw crossing from data page 0 into data page 1: work */
    put_code(f, CODE_VA + 0x60, (const uint32_t[]){ SH(A2, 0, A1), ECALL }, 2);
    f->cpu.x[A1] = DATA_VA + 0xfff;
    f->cpu.x[A2] = 0xa1b2c3d4;
    rc = run_from(f, CODE_VA + 0x60, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x64);
    CU_ASSERT_EQUAL(*fx_host(f, DATA_VA + 0xfff), 0xd4);
    CU_ASSERT_EQUAL(*fx_host(f, DATA_VA + 0x1000), 0xc3);
    CU_ASSERT_EQUAL(*fx_host(f, DATA_VA + 0x1001), 0);
    put_code(f, CODE_VA + 0x80, (const uint32_t[]){ SW(A2, 0, A1), LW(A3, 0, A1), ECALL }, 3);
    f->cpu.x[A1] = DATA_VA + 0xffd;
    rc = run_from(f, CODE_VA + 0x80, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x88);
    CU_ASSERT_EQUAL(get16(f, DATA_VA + 0xffd), 0xc3d4);
    CU_ASSERT_EQUAL(*fx_host(f, DATA_VA + 0xfff), 0xb2);
    CU_ASSERT_EQUAL(*fx_host(f, DATA_VA + 0x1000), 0xa1);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 0xa1b2c3d4);
    /* the gap frame after data page 0 was not written */
    uint8_t *gap = pmem_frame(&f->pm, fx_frame_of(f, DATA_VA) + 1);
    CU_ASSERT_EQUAL(gap[0], GAP_BYTE);
    CU_ASSERT_EQUAL(gap[1], GAP_BYTE);
    fx_free(f);
}

/* ------------------------------------------------------------------------
 * Instructions straddling two pages.
 */

static void test_straddle(void)
{
    struct fx *f = fx_new();
    /* 0xffe: lui a0,0x12345 straddles code pages 0 and 1 (frames not adjacent) */
    put16(f, CODE_VA + 0xffc, 0x0001);              /* c.nop */
    put32(f, CODE_VA + 0xffe, LUI(A0, 0x12345));
    put32(f, CODE_VA + 0x1002, ADDI(A0, A0, 0x678));
    put32(f, CODE_VA + 0x1006, ECALL);
    CU_ASSERT_EQUAL(get16(f, CODE_VA + 0x1000), 0x1234);
    uint64_t before = f->cpu.st.straddles;
    enum cpu_stop rc = run_from(f, CODE_VA + 0xffc, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x1006);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0x12345678);
    CU_ASSERT_EQUAL(f->cpu.instret, 3);
    CU_ASSERT(f->cpu.st.straddles > before);

    /* again (nothing cached may depend on the second page): patch the
     * upper half directly in memory, no drop needed for a straddler */
    put16(f, CODE_VA + 0x1000, 0x0abc);
    rc = run_from(f, CODE_VA + 0xffe, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x1006);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0x0abc5678);

    /* a straddling jal links pc + 4 and jumps relative to its own pc */
    put32(f, CODE_VA + 0xffe, JAL(RA, -0xffe + 0x40));   /* to CODE_VA + 0x40 */
    rc = run_from(f, CODE_VA + 0xffe, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x40);
    CU_ASSERT_EQUAL(f->cpu.x[RA], CODE_VA + 0x1002);

    /* a straddling auipc sees its own pc */
    put32(f, CODE_VA + 0xffe, AUIPC(A2, 1));
    rc = run_from(f, CODE_VA + 0xffe, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x1006);
    CU_ASSERT_EQUAL(f->cpu.x[A2], CODE_VA + 0xffe + 0x1000);

    /* a straddling load that faults reports its own pc */
    put32(f, CODE_VA + 0xffe, LW(A3, 0, A4));
    f->cpu.x[A4] = HOLE_VA;
    rc = run_from(f, CODE_VA + 0xffe, 100);
    EXPECT_TRAP(f, rc, CAUSE_LOAD_PAGE_FAULT, CODE_VA + 0xffe, HOLE_VA);
    fx_free(f);
}

/* Upper half on an unmapped or non-executable page: cause 12, tval = that
 * page, pc = the instruction; earlier instructions took effect. */
static void test_straddle_fault(void)
{
    struct fx *f = fx_bare();
    fx_map_new(f, CODE_VA, F_CODE);                  /* CODE_VA + 0x1000 unmapped */
    fill_ecall(f, CODE_VA);
    put16(f, CODE_VA + 0xffc, 0x4515);              /* c.li a0,5 */
    put16(f, CODE_VA + 0xffe, 0x0537);              /* low half of lui a0,... */
    enum cpu_stop rc = run_from(f, CODE_VA + 0xffc, 100);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, CODE_VA + 0xffe, CODE_VA + 0x1000);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 5);
    CU_ASSERT_EQUAL(f->cpu.instret, 1);

    /* now the next page exists but is not executable */
    fx_map_new(f, CODE_VA + 0x1000, F_DATA);
    put16(f, CODE_VA + 0x1000, 0x1234);
    mmu_flush_range(&f->mmu, CODE_VA + 0x1000, PAGE_SIZE);
    rc = run_from(f, CODE_VA + 0xffe, 100);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, CODE_VA + 0xffe, CODE_VA + 0x1000);

    /* a compressed instruction at 0xffe runs; the fetch after it faults */
    put16(f, CODE_VA + 0xffe, 0x0505);              /* c.addi a0,1 */
    rc = run_from(f, CODE_VA + 0xffe, 100);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, CODE_VA + 0x1000, CODE_VA + 0x1000);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 6);
    fx_free(f);
}

/* Straight-line code running off the end of a page continues on the next
 * (a different, non-adjacent frame). */
static void test_page_fallthrough(void)
{
    struct fx *f = fx_new();
    put32(f, CODE_VA + 0xff8, ADDI(A0, ZERO, 1));
    put32(f, CODE_VA + 0xffc, ADDI(A0, A0, 2));
    put32(f, CODE_VA + 0x1000, ADDI(A0, A0, 4));
    put32(f, CODE_VA + 0x1004, ECALL);
    enum cpu_stop rc = run_from(f, CODE_VA + 0xff8, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0x1004);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 7);
    CU_ASSERT_EQUAL(f->cpu.instret, 3);
    fx_free(f);
}

/* ------------------------------------------------------------------------
 * Self-modifying code and the decode cache.
 */

static struct fx *fx_rwx(void)
{
    struct fx *f = fx_new();
    fx_map_new(f, RWX_VA, F_RWX);
    fx_map_new(f, RWX_VA + PAGE_SIZE, F_RWX);
    fill_ecall(f, RWX_VA);
    fill_ecall(f, RWX_VA + PAGE_SIZE);
    return f;
}

/* The guest overwrites an instruction it already ran, then jumps back. */
static void test_smc_store_then_rerun(void)
{
    struct fx *f = fx_rwx();
    put_code(f, RWX_VA, (const uint32_t[]){ ADDI(A0, ZERO, 1), ECALL }, 2);
    enum cpu_stop rc = run_from(f, RWX_VA, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1);

    put_code(f, RWX_VA + 0x100, (const uint32_t[]){
        SW(T2, 0, T1),              /* patch RWX_VA */
        JAL(ZERO, -0x104),          /* back to RWX_VA */
    }, 2);
    f->cpu.x[T1] = RWX_VA;
    f->cpu.x[T2] = ADDI(A0, ZERO, 2);
    uint64_t drops = f->cpu.st.dcache_drops;
    rc = run_from(f, RWX_VA + 0x100, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 2);
    CU_ASSERT(f->cpu.st.dcache_drops > drops);

    /* a second patch of the same (re-decoded) word works too */
    f->cpu.x[T2] = ADDI(A0, ZERO, 3);
    rc = run_from(f, RWX_VA + 0x100, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 3);

    /* a one-byte patch from the other page: bit 7 of the word is rd[0],
     * so the low byte of "addi a1,zero,3" turns a0 into a1 */
    put_code(f, RWX_VA + 0x1000, (const uint32_t[]){ SB(T2, 0, T1), JAL(ZERO, -0x1004) }, 2);
    f->cpu.x[T2] = ADDI(A1, ZERO, 3) & 0xff;
    f->cpu.x[A0] = 0;
    rc = run_from(f, RWX_VA + 0x1000, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A1], 3);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 0);
    CU_ASSERT_EQUAL(get32(f, RWX_VA), ADDI(A1, ZERO, 3));
    fx_free(f);
}

/* The store patches the very next instruction on the same page, which was
 * decoded on an earlier run: the new one must run (for an amoswap too: see
 * test_amo_sc_on_code_page). */
static void test_smc_next_instruction(void)
{
    struct fx *f = fx_rwx();
    put_code(f, RWX_VA, (const uint32_t[]){
        SW(A2, 4, A1),
        ADDI(A0, ZERO, 1),
        ECALL,
    }, 3);
    f->cpu.x[A1] = RWX_VA;
    f->cpu.x[A2] = ADDI(A0, ZERO, 1);          /* first run: same word */
    enum cpu_stop rc = run_from(f, RWX_VA, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 8);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1);

    f->cpu.x[A2] = ADDI(A0, ZERO, 7);
    rc = run_from(f, RWX_VA, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 8);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 7);

    /* a store and the add after it run as one (fused): the patched add runs */
    put_code(f, RWX_VA + 0x100, (const uint32_t[]){
        SW(A2, 4, A1),
        ADDI(A0, A0, 1),
        ECALL,
    }, 3);
    for (int i = 0; i < 2; i++) {
        f->cpu.x[A0] = 10;
        f->cpu.x[A1] = RWX_VA + 0x100;
        f->cpu.x[A2] = ADDI(A0, A0, i == 0 ? 1 : 5);
        rc = run_from(f, RWX_VA + 0x100, 100);
        EXPECT_ECALL_AT(f, rc, RWX_VA + 0x108);
        CU_ASSERT_EQUAL(f->cpu.x[A0], i == 0 ? 11 : 15);
    }

    /* an AMO patching the next instruction (amoswap) */
    put_code(f, RWX_VA + 0x200, (const uint32_t[]){
        AMOSWAP_W(ZERO, A2, A1),
        ADDI(A4, ZERO, 1),
        ECALL,
    }, 3);
    f->cpu.x[A1] = RWX_VA + 0x204;
    f->cpu.x[A2] = ADDI(A4, ZERO, 1);
    rc = run_from(f, RWX_VA + 0x200, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 0x208);
    CU_ASSERT_EQUAL(f->cpu.x[A4], 1);
    CU_ASSERT_EQUAL(f->cpu.x[0], 0);
    f->cpu.x[A2] = ADDI(A4, ZERO, 9);
    rc = run_from(f, RWX_VA + 0x200, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 0x208);
    CU_ASSERT_EQUAL(f->cpu.x[A4], 9);
    CU_ASSERT_EQUAL(f->cpu.x[0], 0);
    fx_free(f);
}

/* An AMO or SC whose target word lies in a frame with decoded instructions
 * (code and data sharing a page, as in a JIT or a trampoline).  The access
 * goes through the code-write hook, which drops the frame's decoded slots
 * -- including the slot of the AMO/SC itself -- so the handler must take
 * rs2 and rd before the access.  (A regression test: they once read both
 * through the slot after it had been zeroed.) */
static void test_amo_sc_on_code_page(void)
{
    struct fx *f = fx_rwx();
    put_code(f, RWX_VA, (const uint32_t[]){
        AMOADD_W(A0, A2, A1),       /* word at RWX_VA + 0x100: 40 -> 42, a0 = 40 */
        ADD(A6, ZERO, ZERO),        /* a6 = x0 + x0 */
        LR_W(A3, A4),               /* word at RWX_VA + 0x104 */
        SC_W(A5, A2, A4),           /* succeeds: a5 = 0, word = 2 */
        ECALL,
    }, 5);
    put32(f, RWX_VA + 0x100, 40);
    put32(f, RWX_VA + 0x104, 7);
    f->cpu.x[A1] = RWX_VA + 0x100;
    f->cpu.x[A4] = RWX_VA + 0x104;
    f->cpu.x[A2] = 2;
    f->cpu.x[A5] = f->cpu.x[A6] = 0x55;
    enum cpu_stop rc = run_from(f, RWX_VA, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 16);
    CHECK(get32(f, RWX_VA + 0x100) == 42, "amoadd.w on a code page stored %u, want 42",
          get32(f, RWX_VA + 0x100));
    CHECK(f->cpu.x[A0] == 40, "amoadd.w on a code page: rd = %u, want 40", f->cpu.x[A0]);
    CHECK(f->cpu.x[0] == 0, "x0 = 0x%x after an AMO on a code page", f->cpu.x[0]);
    CHECK(f->cpu.x[A6] == 0, "x0 + x0 after an AMO on a code page = 0x%x, want 0",
          f->cpu.x[A6]);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 7);
    CHECK(get32(f, RWX_VA + 0x104) == 2, "sc.w on a code page stored %u",
          get32(f, RWX_VA + 0x104));
    CHECK(f->cpu.x[A5] == 0, "successful sc.w on a code page: rd = 0x%x, want 0", f->cpu.x[A5]);
    fx_free(f);
}

/* The code frame is also mapped writable at another address (an alias).
 * The alias had a TLB write entry before the code was decoded; a store
 * through it must still reach the decode cache (marking is per frame). */
static void test_smc_alias(void)
{
    struct fx *f = fx_new();
    uint32_t fr = fx_map_new(f, RWX_VA, F_CODE);
    fx_map(f, ALIAS_VA, fr, F_DATA);
    fill_ecall(f, RWX_VA);
    put_code(f, CODE_VA, (const uint32_t[]){
        SW(A2, 0x10, A1),           /* warm the alias's write entry */
        JAL(ZERO, RWX_VA - CODE_VA - 4),
    }, 2);
    f->cpu.x[A1] = ALIAS_VA;
    f->cpu.x[A2] = ADDI(A0, ZERO, 1);
    /* RWX_VA: ecall; the patched word goes to RWX_VA + 0x10 */
    put_code(f, RWX_VA, (const uint32_t[]){ JAL(ZERO, 0x10) }, 1);
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 0x14);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1);

    f->cpu.x[A2] = ADDI(A0, ZERO, 2);
    rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, RWX_VA + 0x14);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 2);
    fx_free(f);
}

/* A host-side write (the kernel, a debugger) bypasses the MMU: the stale
 * decoded instruction runs until cpu_drop_decoded; fence.i also drops. */
static void test_drop_decoded(void)
{
    struct fx *f = fx_new();
    put_code(f, CODE_VA, (const uint32_t[]){ ADDI(A0, ZERO, 1), ECALL }, 2);
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1);

    put32(f, CODE_VA, ADDI(A0, ZERO, 2));      /* behind the CPU's back */
    rc = run_from(f, CODE_VA, 100);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1);          /* the decoded copy ran: cache exists */

    CU_ASSERT_EQUAL(f->mmu.code_frames[fx_frame_of(f, CODE_VA)], 1);
    cpu_drop_decoded(&f->cpu, fx_frame_of(f, CODE_VA));
    CU_ASSERT_EQUAL(f->mmu.code_frames[fx_frame_of(f, CODE_VA)], 0);   /* unmarked */
    rc = run_from(f, CODE_VA, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 4);
    CU_ASSERT_EQUAL(f->mmu.code_frames[fx_frame_of(f, CODE_VA)], 1);   /* marked again */
    CU_ASSERT_EQUAL(f->cpu.x[A0], 2);

    put32(f, CODE_VA, ADDI(A0, ZERO, 3));
    cpu_drop_decoded_all(&f->cpu);
    rc = run_from(f, CODE_VA, 100);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 3);

    /* dropping another frame, or one out of range, changes nothing */
    put32(f, CODE_VA, ADDI(A0, ZERO, 4));
    cpu_drop_decoded(&f->cpu, fx_frame_of(f, DATA_VA));
    cpu_drop_decoded(&f->cpu, f->pm.nframes + 10);
    rc = run_from(f, CODE_VA, 100);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 3);

    /* fence.i on another page, then jump to the patched code */
    put_code(f, CODE_VA + 0x1000, (const uint32_t[]){ FENCE_I, JAL(ZERO, -0x1004) }, 2);
    rc = run_from(f, CODE_VA + 0x1000, 100);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 4);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 4);
    fx_free(f);
}

/* ------------------------------------------------------------------------
 * instret, the run limit, counters.
 */

static void test_instret_straight_line(void)
{
    struct fx *f = fx_new();
    uint32_t prog[40];
    for (unsigned i = 0; i < 39; i++)
        prog[i] = ADDI(A0, A0, 1);
    prog[39] = ECALL;
    put_code(f, CODE_VA + 0xf80, prog, 40);    /* crosses into page 1 */
    enum cpu_stop rc = run_from(f, CODE_VA + 0xf80, 1000);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 0xf80 + 39 * 4);
    CU_ASSERT_EQUAL(f->cpu.instret, 39);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 39);
    fx_free(f);
}

/* `j .` never ends: the limit (checked at taken jumps) stops it. */
static void test_limit_tight_loop(void)
{
    struct fx *f = fx_new();
    put32(f, CODE_VA + 0x20, JAL(ZERO, 0));
    enum cpu_stop rc = run_from(f, CODE_VA + 0x20, 1000);
    CU_ASSERT_EQUAL(rc, CPU_STOP_LIMIT);
    CU_ASSERT_EQUAL(f->cpu.instret, 1000);       /* checked at every jump: exact */
    CU_ASSERT_EQUAL(f->cpu.pc, CODE_VA + 0x20);
    uint64_t at = f->cpu.instret;
    rc = cpu_run(&f->cpu, at + 5);
    CU_ASSERT_EQUAL(rc, CPU_STOP_LIMIT);
    CU_ASSERT_EQUAL(f->cpu.instret, at + 5);
    rc = cpu_run(&f->cpu, at + 100000);
    CU_ASSERT_EQUAL(rc, CPU_STOP_LIMIT);
    CU_ASSERT_EQUAL(f->cpu.instret, at + 100000);

    /* a limit already reached runs nothing */
    f->cpu.pc = CODE_VA;                       /* an ecall */
    at = f->cpu.instret;
    rc = cpu_run(&f->cpu, at);
    CU_ASSERT_EQUAL(rc, CPU_STOP_LIMIT);
    CU_ASSERT_EQUAL(f->cpu.instret, at);
    CU_ASSERT_EQUAL(f->cpu.pc, CODE_VA);
    fx_free(f);
}

/* A block that jumps back to its own start goes round inside translated
 * code with its registers in host registers: a budget stops it exactly in
 * any iteration, with every register as the interpreter has it, and a
 * fault in a later iteration leaves exactly the earlier iterations done. */
static void test_limit_exact_loop(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        ADDI(A2, A2, 1),
        ADDI(A3, A3, 2),
        ADD(A0, A0, A3),
        JAL(ZERO, -12),
    };
    put_code(f, CODE_VA, prog, 4);
    static const uint64_t budgets[] = { 1, 3, 4, 5, 66, 67, 259, 1000, 4099 };
    for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++) {
        uint64_t n = budgets[i], it = n / 4, r = n % 4;
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.instret = 0;
        enum cpu_stop rc = run_from(f, CODE_VA, n);
        uint32_t a2 = (uint32_t)(it + (r >= 1)), a3 = 2 * (uint32_t)(it + (r >= 2));
        uint32_t a0 = (uint32_t)(it * (it + 1)) + (r >= 3 ? a3 : 0);
        CHECK(rc == CPU_STOP_LIMIT && f->cpu.instret == n, "budget %llu: rc %d, instret %llu",
              (unsigned long long)n, (int)rc, (unsigned long long)f->cpu.instret);
        CHECK(f->cpu.pc == CODE_VA + 4 * r, "budget %llu: pc 0x%x", (unsigned long long)n, f->cpu.pc);
        CHECK(f->cpu.x[A2] == a2 && f->cpu.x[A3] == a3 && f->cpu.x[A0] == a0,
              "budget %llu: a2 %u a3 %u a0 %u, want %u %u %u", (unsigned long long)n,
              f->cpu.x[A2], f->cpu.x[A3], f->cpu.x[A0], a2, a3, a0);
    }

    /* a load loop walking into the hole after RO_VA: iteration 101 faults */
    const uint32_t walk[] = {
        LW(A3, 0, A1),
        ADD(A0, A0, A3),
        ADDI(A1, A1, 4),
        ADDI(A2, A2, 1),
        BNE(A1, A4, -16),
        ECALL,
    };
    put_code(f, CODE_VA + 0x100, walk, 6);
    for (uint32_t k = 0; k < 100; k++)
        put32(f, HOLE_VA - 400 + 4 * k, k + 1);
    memset(f->cpu.x, 0, sizeof f->cpu.x);
    f->cpu.instret = 0;
    f->cpu.x[A1] = HOLE_VA - 400;
    f->cpu.x[A4] = HOLE_VA + 400;
    f->cpu.x[A3] = 0x5555;
    enum cpu_stop rc = run_from(f, CODE_VA + 0x100, 100000);
    EXPECT_TRAP(f, rc, CAUSE_LOAD_PAGE_FAULT, CODE_VA + 0x100, HOLE_VA);
    CU_ASSERT_EQUAL(f->cpu.instret, 500);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 5050);
    CU_ASSERT_EQUAL(f->cpu.x[A1], HOLE_VA);
    CU_ASSERT_EQUAL(f->cpu.x[A2], 100);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 100);

    /* the same loop over two data pages: the second is found in the TLB */
    for (uint32_t k = 0; k < 20; k++)
        put32(f, DATA_VA + PAGE_SIZE - 40 + 4 * k, 1000 + k);
    for (int round = 0; round < 2; round++) {
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.instret = 0;
        f->cpu.x[A1] = DATA_VA + PAGE_SIZE - 40;
        f->cpu.x[A4] = DATA_VA + PAGE_SIZE + 40;
        rc = run_from(f, CODE_VA + 0x100, 100000);
        EXPECT_ECALL_AT(f, rc, CODE_VA + 0x114);
        CU_ASSERT_EQUAL(f->cpu.x[A0], 20 * 1000 + 190);
        CU_ASSERT_EQUAL(f->cpu.x[A2], 20);
    }

    /* a store loop walking from the data pages into RO_VA */
    const uint32_t fill[] = {
        SW(A2, 0, A1),
        ADDI(A1, A1, 4),
        ADDI(A2, A2, 1),
        BNE(A1, A4, -12),
        ECALL,
    };
    put_code(f, CODE_VA + 0x200, fill, 5);
    memset(f->cpu.x, 0, sizeof f->cpu.x);
    f->cpu.instret = 0;
    f->cpu.x[A1] = RO_VA - 40;
    f->cpu.x[A4] = RO_VA + 40;
    rc = run_from(f, CODE_VA + 0x200, 100000);
    EXPECT_TRAP(f, rc, CAUSE_STORE_PAGE_FAULT, CODE_VA + 0x200, RO_VA);
    CU_ASSERT_EQUAL(f->cpu.instret, 40);
    CU_ASSERT_EQUAL(f->cpu.x[A1], RO_VA);
    CU_ASSERT_EQUAL(f->cpu.x[A2], 10);
    CU_ASSERT_EQUAL(get32(f, RO_VA - 4), 9);
    fx_free(f);
}

/* Accesses through one base register with arithmetic between them (the
 * translator checks the TLB once for such a group when their bytes share
 * a page): every case where they do not must come out as the interpreter
 * has it — a span crossing into the next page, a missing page, a fault on
 * the second page after the first stores took effect, and stores into the
 * group's own code page. */
static void test_access_groups(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        SW(A2, 0, A1),
        ADDI(A3, A3, 1),
        SW(A3, 4, A1),
        LW(A4, 0, A1),
        ADD(A0, A4, A3),
        LW(A5, 4, A1),
        ECALL,
    };
    put_code(f, CODE_VA, prog, 7);
    static const struct { uint32_t base; int cause; uint32_t pc, tval; uint64_t instret; } cases[] = {
        { DATA_VA + 0x100, 0, CODE_VA + 24, 0, 6 },                    /* one page */
        { DATA_VA + PAGE_SIZE - 4, 0, CODE_VA + 24, 0, 6 },            /* across two */
        { RO_VA - 4, CAUSE_STORE_PAGE_FAULT, CODE_VA + 8, RO_VA, 2 },  /* the second faults */
        { HOLE_VA + 0x10, CAUSE_STORE_PAGE_FAULT, CODE_VA, HOLE_VA + 0x10, 0 },
        { RO_VA + 0x10, CAUSE_STORE_PAGE_FAULT, CODE_VA, RO_VA + 0x10, 0 },
    };
    for (int round = 0; round < 2; round++)      /* the second: translated, TLB warm */
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            memset(f->cpu.x, 0, sizeof f->cpu.x);
            f->cpu.instret = 0;
            f->cpu.x[A1] = cases[i].base;
            f->cpu.x[A2] = 0x1234 + (uint32_t)i;
            f->cpu.x[A3] = 10;
            f->cpu.x[A4] = 0x5555;
            enum cpu_stop rc = run_from(f, CODE_VA, 1000);
            if (cases[i].cause) {
                EXPECT_TRAP(f, rc, cases[i].cause, cases[i].pc, cases[i].tval);
                CU_ASSERT_EQUAL(f->cpu.x[A3], cases[i].instret >= 2 ? 11u : 10u);
                CU_ASSERT_EQUAL(f->cpu.x[A4], 0x5555);
            } else {
                EXPECT_ECALL_AT(f, rc, cases[i].pc);
                CU_ASSERT_EQUAL(f->cpu.x[A4], 0x1234 + (uint32_t)i);
                CU_ASSERT_EQUAL(f->cpu.x[A5], 11);
                CU_ASSERT_EQUAL(f->cpu.x[A0], 0x1234 + (uint32_t)i + 11);
            }
            CHECK(f->cpu.instret == cases[i].instret, "case %zu: instret %llu", i,
                  (unsigned long long)f->cpu.instret);
            if (cases[i].instret >= 2 && cases[i].base != RO_VA + 0x10)
                CU_ASSERT_EQUAL(get32(f, cases[i].base), 0x1234 + (uint32_t)i);
        }
    fx_free(f);

    /* a group of stores rewriting the instructions right after it */
    f = fx_rwx();
    put_code(f, RWX_VA, (const uint32_t[]){
        SW(A2, 16, A1),
        ADDI(A3, A3, 1),
        SW(A4, 20, A1),
        ADDI(A3, A3, 1),
        ADDI(A0, ZERO, 1),
        ADDI(A5, ZERO, 1),
        ECALL,
    }, 7);
    for (uint32_t v = 1; v <= 3; v++) {
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.x[A1] = RWX_VA;
        f->cpu.x[A2] = ADDI(A0, ZERO, (int32_t)(10 * v));
        f->cpu.x[A4] = ADDI(A5, ZERO, (int32_t)(20 * v));
        enum cpu_stop rc = run_from(f, RWX_VA, 100);
        EXPECT_ECALL_AT(f, rc, RWX_VA + 24);
        CU_ASSERT_EQUAL(f->cpu.x[A0], 10 * v);
        CU_ASSERT_EQUAL(f->cpu.x[A5], 20 * v);
        CU_ASSERT_EQUAL(f->cpu.x[A3], 2);
    }
    fx_free(f);
}

/* A group that takes in another register's access (x[i] += y[j]: lw x;
 * lw y; add; sw x, one check for x): the access taken in keeps its own
 * check, and whatever its slow path does — fill the TLB, evict x's entry,
 * fault — the group goes on the ordinary way; x read-only, misaligned or
 * across two pages fails the group's check; every budget stops exactly. */
static void test_access_groups_taking_in(void)
{
    struct fx *f = fx_new();
    put_code(f, CODE_VA, (const uint32_t[]){
        LW(A4, 0, A1),
        LW(A5, 0, A2),
        ADD(A4, A4, A5),
        SW(A4, 0, A1),
        ECALL,
    }, 5);
    const uint32_t Y = 0x00050000u;                           /* first touched one by one */
    const uint32_t FAR = DATA_VA + (TLB_SIZE << PAGE_SHIFT);  /* x's TLB index */
    for (uint32_t p = 0; p < 4; p++)
        fx_map_new(f, Y + p * PAGE_SIZE, F_DATA);
    fx_map_new(f, FAR, F_DATA);
    static const struct { uint32_t x, y; } cases[] = {
        { DATA_VA + 0x100, Y + 0x10 },                  /* y: a TLB miss, filled */
        { DATA_VA + 0x100, Y + PAGE_SIZE + 0x20 },
        { DATA_VA + 0x100, FAR + 0x30 },                /* y's fill evicts x's entry */
        { DATA_VA + 0x100, FAR + 0x30 },                /* x misses, y hits */
        { DATA_VA + 0x100, DATA_VA + 0x800 },           /* both on x's page */
        { DATA_VA + 0x100, Y + 0x10 },                  /* both hit */
        { DATA_VA + 0x202, Y + 2 * PAGE_SIZE },         /* x misaligned */
        { DATA_VA + PAGE_SIZE - 2, Y + 3 * PAGE_SIZE }, /* x across two pages */
        { DATA_VA + 0x100, DATA_VA + 0x101 },           /* y misaligned, on x's page */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t x = cases[i].x, y = cases[i].y, xv = 1000 * (uint32_t)i + 7, yv;
        put32(f, x, xv);
        if (y != x + 1)
            put32(f, y, 100 * (uint32_t)i + 1);
        yv = get32(f, y);
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.instret = 0;
        f->cpu.x[A1] = x;
        f->cpu.x[A2] = y;
        enum cpu_stop rc = run_from(f, CODE_VA, 100);
        EXPECT_ECALL_AT(f, rc, CODE_VA + 16);
        CHECK(f->cpu.instret == 4 && get32(f, x) == xv + yv && f->cpu.x[A4] == xv + yv &&
              f->cpu.x[A5] == yv, "case %zu (x 0x%x, y 0x%x): instret %llu, [x] 0x%x a4 0x%x a5 0x%x, "
              "want [x] = a4 = 0x%x, a5 0x%x", i, x, y, (unsigned long long)f->cpu.instret,
              get32(f, x), f->cpu.x[A4], f->cpu.x[A5], xv + yv, yv);
    }

    /* the access taken in faults: x loaded, not stored */
    put32(f, DATA_VA + 0x100, 77);
    memset(f->cpu.x, 0, sizeof f->cpu.x);
    f->cpu.instret = 0;
    f->cpu.x[A1] = DATA_VA + 0x100;
    f->cpu.x[A2] = HOLE_VA + 8;
    f->cpu.x[A5] = 0x5555;
    enum cpu_stop rc = run_from(f, CODE_VA, 100);
    EXPECT_TRAP(f, rc, CAUSE_LOAD_PAGE_FAULT, CODE_VA + 4, HOLE_VA + 8);
    CU_ASSERT_EQUAL(f->cpu.instret, 1);
    CU_ASSERT_EQUAL(f->cpu.x[A4], 77);
    CU_ASSERT_EQUAL(f->cpu.x[A5], 0x5555);
    CU_ASSERT_EQUAL(get32(f, DATA_VA + 0x100), 77);

    /* x read-only: the group's write check fails; the store faults last */
    put32(f, RO_VA + 0x10, 5);
    put32(f, Y + 0x10, 20);
    memset(f->cpu.x, 0, sizeof f->cpu.x);
    f->cpu.instret = 0;
    f->cpu.x[A1] = RO_VA + 0x10;
    f->cpu.x[A2] = Y + 0x10;
    rc = run_from(f, CODE_VA, 100);
    EXPECT_TRAP(f, rc, CAUSE_STORE_PAGE_FAULT, CODE_VA + 12, RO_VA + 0x10);
    CU_ASSERT_EQUAL(f->cpu.instret, 3);
    CU_ASSERT_EQUAL(f->cpu.x[A4], 25);
    CU_ASSERT_EQUAL(get32(f, RO_VA + 0x10), 5);

    /* budgets: stops after each instruction, nothing beyond it done */
    for (uint64_t b = 1; b <= 4; b++) {
        put32(f, DATA_VA + 0x100, 300);
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.instret = 0;
        f->cpu.x[A1] = DATA_VA + 0x100;
        f->cpu.x[A2] = Y + 0x10;
        rc = run_from(f, CODE_VA, b);
        CHECK(rc == CPU_STOP_LIMIT && f->cpu.instret == b && f->cpu.pc == CODE_VA + 4 * b,
              "budget %llu: rc %d, instret %llu, pc 0x%x", (unsigned long long)b, (int)rc,
              (unsigned long long)f->cpu.instret, f->cpu.pc);
        CHECK(f->cpu.x[A4] == (b >= 3 ? 320u : b >= 1 ? 300u : 0u) && f->cpu.x[A5] == (b >= 2 ? 20u : 0u) &&
              get32(f, DATA_VA + 0x100) == (b >= 4 ? 320u : 300u),
              "budget %llu: a4 %u a5 %u [x] %u", (unsigned long long)b, f->cpu.x[A4], f->cpu.x[A5],
              get32(f, DATA_VA + 0x100));
    }
    fx_free(f);
}

/* Returns and calls into another page go through the translator's jump
 * cache, straight into the target's block; a jump within the callee's page
 * is then chained from a block the dispatcher did not enter.  Whatever
 * changes the callee (a store into its code, a new frame under its page,
 * losing X, unmapped) must be seen by the next call. */
static void test_jump_cache(void)
{
    struct fx *f = fx_rwx();
    const uint32_t B = RWX_VA + PAGE_SIZE + 0x100;
    put_code(f, RWX_VA, (const uint32_t[]){
        SW(A4, 0, A5),               /* rewrites the callee's first word (or data) */
        JALR(RA, 0, A1),
        ADDI(A2, A2, 1),
        BNE(A2, A3, -8),
        ECALL,
    }, 5);
    put_code(f, B, (const uint32_t[]){
        ADDI(A0, A0, 1),
        BNE(A2, ZERO, 8),            /* taken from the second call on: then the */
        ADDI(A0, A0, 100),           /* block is entered through the jump cache */
        JALR(ZERO, 0, RA),
    }, 4);
    uint32_t fresh = fx_frame(f);    /* the page's next frame: other code */
    memset(pmem_frame(&f->pm, fresh), 0, PAGE_SIZE);
    const uint32_t other[] = { ADDI(A0, A0, 7), JALR(ZERO, 0, RA) };
    memcpy(pmem_frame(&f->pm, fresh) + 0x100, other, sizeof other);

    static const struct { int32_t add; bool data; } rounds[] = {
        { 1, false }, { 1, false }, { 3, false }, { 7, true }, { 7, true },
    };
    for (size_t r = 0; r < sizeof rounds / sizeof rounds[0]; r++) {
        if (r == 3) {                /* a new frame under the callee's page */
            fx_map(f, RWX_VA + PAGE_SIZE, fresh, F_RWX);
            mmu_flush_range(&f->mmu, RWX_VA + PAGE_SIZE, PAGE_SIZE);
            uint32_t fr;                 /* a fetch from that page fills the TLB again */
            CU_ASSERT_FATAL(mmu_fetch_page(&f->mmu, B + 0x40, &fr) != NULL);
            CU_ASSERT_EQUAL(fr, fresh);
        }
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.instret = 0;
        f->cpu.x[A1] = B;
        f->cpu.x[A3] = 50;
        f->cpu.x[A4] = ADDI(A0, A0, rounds[r].add);
        f->cpu.x[A5] = rounds[r].data ? DATA_VA : B;
        enum cpu_stop rc = run_from(f, RWX_VA, 100000);
        EXPECT_ECALL_AT(f, rc, RWX_VA + 16);
        uint32_t want = 50 * (uint32_t)rounds[r].add + (rounds[r].data ? 0 : 100);
        CHECK(f->cpu.x[A0] == want, "round %zu: a0 %u, want %u", r, f->cpu.x[A0], want);
        CU_ASSERT_EQUAL(f->cpu.x[A2], 50);
    }

    /* an exact stop inside the calls */
    memset(f->cpu.x, 0, sizeof f->cpu.x);
    f->cpu.instret = 0;
    f->cpu.x[A1] = B;
    f->cpu.x[A3] = 50;
    f->cpu.x[A5] = DATA_VA;
    enum cpu_stop rc = run_from(f, RWX_VA, 77);
    CU_ASSERT_EQUAL(rc, CPU_STOP_LIMIT);
    CU_ASSERT_EQUAL(f->cpu.instret, 77);
    /* (the callee is the new frame's two instructions) the sw, 15 rounds
     * of 5, and the call of a 16th */
    CU_ASSERT_EQUAL(f->cpu.x[A2], 15);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 105);
    CU_ASSERT_EQUAL(f->cpu.pc, B);

    /* the callee's page loses X, then its mapping */
    for (int k = 0; k < 2; k++) {
        *fx_pte(f, RWX_VA + PAGE_SIZE, false) = k == 0 ? PTE_MAKE(fresh, F_DATA) : 0;
        mmu_flush_range(&f->mmu, RWX_VA + PAGE_SIZE, PAGE_SIZE);
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.instret = 0;
        f->cpu.x[A1] = B;
        f->cpu.x[A3] = 50;
        f->cpu.x[A5] = DATA_VA;
        rc = run_from(f, RWX_VA, 100000);
        EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, B, B);
        CU_ASSERT_EQUAL(f->cpu.instret, 2);
        CU_ASSERT_EQUAL(f->cpu.x[RA], RWX_VA + 8);
    }
    fx_free(f);
}

/* A budget of n stops straight-line code after exactly n instructions, at
 * the next one's pc (single-stepping, as a debugger does, for n = 1). */
static void test_limit_exact_steps(void)
{
    struct fx *f = fx_new();
    uint32_t prog[12];
    for (unsigned i = 0; i < 11; i++)
        prog[i] = ADDI(A0, A0, 1);
    prog[11] = ECALL;
    put_code(f, CODE_VA, prog, 12);
    for (uint64_t n = 1; n <= 11; n++) {
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.instret = 0;
        enum cpu_stop rc = run_from(f, CODE_VA, n);
        CHECK(rc == CPU_STOP_LIMIT, "budget %llu: rc %d", (unsigned long long)n, (int)rc);
        CHECK(f->cpu.instret == n && f->cpu.x[A0] == n && f->cpu.pc == CODE_VA + 4 * n,
              "budget %llu: instret %llu a0 %u pc 0x%x", (unsigned long long)n,
              (unsigned long long)f->cpu.instret, f->cpu.x[A0], f->cpu.pc);
    }
    /* one step at a time through a mixed compressed/straddling stretch */
    put16(f, CODE_VA + 0xffa, 0x4515);              /* c.li a0,5 */
    put16(f, CODE_VA + 0xffc, 0x0505);              /* c.addi a0,1 */
    put32(f, CODE_VA + 0xffe, LUI(A1, 0x12345));    /* straddles */
    put32(f, CODE_VA + 0x1002, JAL(ZERO, -0x1002 + 0x40));
    static const uint32_t pcs[] = { 0xffc, 0xffe, 0x1002, 0x40 };
    f->cpu.pc = CODE_VA + 0xffa;
    for (unsigned i = 0; i < 4; i++) {
        enum cpu_stop rc = cpu_run(&f->cpu, f->cpu.instret + 1);
        CHECK(rc == CPU_STOP_LIMIT && f->cpu.pc == CODE_VA + pcs[i],
              "step %u: rc %d pc 0x%x, want 0x%x", i, (int)rc, f->cpu.pc, CODE_VA + pcs[i]);
    }
    CU_ASSERT_EQUAL(f->cpu.x[A0], 6);
    CU_ASSERT_EQUAL(f->cpu.x[A1], 0x12345000);
    enum cpu_stop rc = cpu_run(&f->cpu, f->cpu.instret + 1);
    EXPECT_TRAP(f, rc, CAUSE_ECALL_U, CODE_VA + 0x40, 0);

    /* single-stepping onto a straddler whose second page is missing */
    fx_free(f);
    f = fx_bare();
    fx_map_new(f, CODE_VA, F_CODE);
    put32(f, CODE_VA + 0xffa, ADDI(A0, ZERO, 1));
    put16(f, CODE_VA + 0xffe, 0x0537);
    rc = run_from(f, CODE_VA + 0xffa, 1);
    CU_ASSERT_EQUAL(rc, CPU_STOP_LIMIT);
    rc = cpu_run(&f->cpu, f->cpu.instret + 1);
    EXPECT_TRAP(f, rc, CAUSE_FETCH_PAGE_FAULT, CODE_VA + 0xffe, CODE_VA + 0x1000);
    CU_ASSERT_EQUAL(f->cpu.instret, 1);
    fx_free(f);
}

/* The limit is exact in straight-line code of any length and mix of
 * encodings: 100 instructions (the issue's case: --max-insns 20 let the
 * program finish), and a page of compressed ones, whatever the budget and
 * wherever the run starts in the page. */
static void test_limit_exact_straight(void)
{
    struct fx *f = fx_new();
    uint32_t prog[101];
    for (unsigned i = 0; i < 100; i++)
        prog[i] = ADDI(A0, A0, 1);
    prog[100] = ECALL;
    put_code(f, CODE_VA, prog, 101);
    for (uint64_t n = 1; n <= 100; n++) {
        f->cpu.x[A0] = 0;
        f->cpu.instret = 0;
        enum cpu_stop rc = run_from(f, CODE_VA, n);
        CHECK(rc == CPU_STOP_LIMIT && f->cpu.instret == n && f->cpu.x[A0] == n &&
              f->cpu.pc == CODE_VA + 4 * n, "budget %llu: rc %d instret %llu a0 %u pc 0x%x",
              (unsigned long long)n, (int)rc, (unsigned long long)f->cpu.instret,
              f->cpu.x[A0], f->cpu.pc);
    }
    fx_free(f);

    /* c.addi a0,1 everywhere, with a 32-bit addi every 7th: budgets of 1..3000
     * from several starting points (the run crosses into page 1) */
    f = fx_new();
    uint32_t at = CODE_VA;
    uint32_t pcs[4096];
    unsigned n = 0;
    while (at < CODE_VA + PAGE_SIZE + 0x800) {
        pcs[n++] = at;
        if (n % 7 == 0) {
            put32(f, at, ADDI(A0, A0, 1));
            at += 4;
        } else {
            put16(f, at, 0x0505);                  /* c.addi a0,1 */
            at += 2;
        }
    }
    static const unsigned starts[] = { 0, 1, 600, 1500 };
    static const uint64_t budgets[] = { 1, 2, 3, 17, 64, 65, 66, 500, 1000, 1999, 2047,
                                        2048, 2049, 2500, 3000 };
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++) {
        for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++) {
            unsigned i = starts[s];
            uint64_t want = budgets[b];
            if (i + want >= n)
                continue;
            f->cpu.x[A0] = 0;
            f->cpu.instret = 0;
            enum cpu_stop rc = run_from(f, pcs[i], want);
            CHECK(rc == CPU_STOP_LIMIT && f->cpu.instret == want && f->cpu.x[A0] == want &&
                  f->cpu.pc == pcs[i + want],
                  "start %u budget %llu: rc %d instret %llu a0 %u pc 0x%x, want 0x%x", i,
                  (unsigned long long)want, (int)rc, (unsigned long long)f->cpu.instret,
                  f->cpu.x[A0], f->cpu.pc, pcs[i + want]);
        }
    }
    fx_free(f);
}

/* Run until instret is n (from 0): in single steps, or in one call. */
static enum cpu_stop run_to(struct fx *f, uint64_t n, bool steps)
{
    if (!steps)
        return cpu_run(&f->cpu, n);
    enum cpu_stop rc = CPU_STOP_LIMIT;
    for (uint64_t i = f->cpu.instret; i < n && rc == CPU_STOP_LIMIT; i++)
        rc = cpu_run(&f->cpu, i + 1);
    return rc;
}

/* Pass 0 (single steps) records where a run stopped; pass 1 (a whole
 * run with the same budget) must stop at the same pc with the same
 * registers. */
static void same_as_stepped(struct fx *f, int pass, uint32_t start, uint64_t n, uint32_t want[33],
                            uint32_t *want_pc)
{
    if (pass == 0) {
        memcpy(want, f->cpu.x, 33 * sizeof *want);
        *want_pc = f->cpu.pc;
        return;
    }
    CHECK(f->cpu.pc == *want_pc && memcmp(f->cpu.x, want, 32 * sizeof *want) == 0,
          "start 0x%x budget %llu: pc 0x%x a0..a7 %u %u %u %u %u %u %u %u, "
          "stepped pc 0x%x a0..a7 %u %u %u %u %u %u %u %u", start, (unsigned long long)n,
          f->cpu.pc, f->cpu.x[A0], f->cpu.x[A1], f->cpu.x[A2], f->cpu.x[A3], f->cpu.x[A4],
          f->cpu.x[A5], f->cpu.x[A6], f->cpu.x[A7], *want_pc, want[A0], want[A1], want[A2],
          want[A3], want[A4], want[A5], want[A6], want[A7]);
}

/* Pairs the interpreter runs as one (an add or addi, then a branch to its
 * page; every mix of encodings): a run with any budget stops exactly where
 * single steps stop, inside a pair too, wherever the loop sits (across the
 * page end its pairs and its back branch are not fused). */
static void test_limit_exact_fused(void)
{
    static const uint16_t loop[] = {
        0x0505, 0xe111,                 /* c.addi a0,1; c.bnez a0,+4 */
        0x0585,                         /* c.addi a1,1 (skipped) */
        0x962a, 0x6363, 0x00e6,         /* c.add a2,a0; bltu a2,a4,+6 */
        0x0785,                         /* c.addi a5,1 */
        0x0813, 0x0035, 0xc191,         /* addi a6,a0,3; c.beqz a1,+4 */
        0x0001,                         /* c.nop (skipped) */
        0x08b3, 0x00c8, 0xd363, 0x00e8, /* add a7,a6,a2; bge a7,a4,+6 */
        0x0581,                         /* c.addi a1,0 */
        0x16fd, 0xfef9,                 /* c.addi a3,-1; c.bnez a3,loop */
        0x0073, 0x0000,                 /* ecall */
    };
    static const uint32_t starts[] = { CODE_VA + 0x100, CODE_VA + PAGE_SIZE - 0x16 };
    struct fx *f = fx_new();
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++) {
        put_halves(f, starts[s], loop, sizeof loop / sizeof *loop);
        for (uint64_t n = 1; n <= 218; n++) {
            uint32_t want[33] = { 0 }, want_pc = 0;
            for (int pass = 0; pass < 2; pass++) {
                cpu_drop_decoded_all(&f->cpu);        /* fused anew where it can be */
                memset(f->cpu.x, 0, sizeof f->cpu.x);
                f->cpu.x[A3] = 20;
                f->cpu.x[A4] = 50;
                f->cpu.instret = 0;
                f->cpu.pc = starts[s];
                enum cpu_stop rc = run_to(f, n, pass == 0);
                CHECK(rc == CPU_STOP_LIMIT && f->cpu.instret == n,
                      "start 0x%x budget %llu pass %d: rc %d instret %llu", starts[s],
                      (unsigned long long)n, pass, (int)rc, (unsigned long long)f->cpu.instret);
                same_as_stepped(f, pass, starts[s], n, want, &want_pc);
            }
        }
    }
    fx_free(f);
}

/* Adds and addis in a row, which the interpreter runs two at a time (an
 * add or addi, then a two-address add or addi; each mix of encodings; a
 * pair whose second one a branch jumps to; a pair after two loads, whose
 * first was decoded ahead as the loads' neighbour): a run with any budget
 * stops where single steps stop, wherever the loop sits (across the page
 * end no pair is made with the other page), and the pairs are made. */
static void test_alu_pairs(void)
{
    static const uint16_t loop[] = {
        0x2283, 0x0004,                 /* lw t0,0(s0) */
        0x2303, 0x0044,                 /* lw t1,4(s0) */
        0x0505,                         /* c.addi a0,1 */
        0x95aa,                         /* c.add a1,a0 */
        0x8613, 0x0035,                 /* addi a2,a1,3 */
        0x0613, 0xfff6,                 /* addi a2,a2,-1 */
        0x0733, 0x00a6,                 /* add a4,a2,a0 */
        0x972e,                         /* c.add a4,a1 */
        0x97ba,                         /* c.add a5,a4 */
        0x8793, 0x0057,                 /* addi a5,a5,5 */
        0x7393, 0x0015,                 /* andi t2,a0,1 */
        0x9363, 0x0003,                 /* bnez t2,mid (+6) */
        0x0805,                         /* c.addi a6,1 */
        0x0889,                         /* mid: c.addi a7,2 */
        0x929a,                         /* c.add t0,t1 */
        0x16fd,                         /* c.addi a3,-1 */
        0xfae1,                         /* c.bnez a3,loop */
        0x0073, 0x0000,                 /* ecall */
    };
    enum { TURNS = 6, ALL = 16 * TURNS + TURNS / 2 };   /* c.addi a6 runs every other turn */
    static const uint32_t starts[] = { CODE_VA + 0x100, CODE_VA + PAGE_SIZE - 0x1c,
                                       CODE_VA + PAGE_SIZE - 0x16 };
    struct fx *f = fx_new();
    put32(f, DATA_VA, 1000);
    put32(f, DATA_VA + 4, 7);
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++) {
        put_halves(f, starts[s], loop, sizeof loop / sizeof *loop);
        for (uint64_t n = 1; n <= ALL + 1; n++) {
            uint32_t want[33] = { 0 }, want_pc = 0;
            for (int pass = 0; pass < 2; pass++) {
                cpu_drop_decoded_all(&f->cpu);        /* fused anew where it can be */
                memset(f->cpu.x, 0, sizeof f->cpu.x);
                f->cpu.x[S0] = DATA_VA;
                f->cpu.x[A3] = TURNS;
                f->cpu.instret = 0;
                f->cpu.pc = starts[s];
                enum cpu_stop rc = run_to(f, n, pass == 0);
                bool done = n == ALL + 1;             /* the ecall */
                CHECK(done ? rc == CPU_STOP_TRAP && f->cpu.instret == ALL
                           : rc == CPU_STOP_LIMIT && f->cpu.instret == n,
                      "start 0x%x budget %llu pass %d: rc %d instret %llu", starts[s],
                      (unsigned long long)n, pass, (int)rc, (unsigned long long)f->cpu.instret);
                same_as_stepped(f, pass, starts[s], n, want, &want_pc);
            }
        }
        /* the loop ran to its ecall */
        CU_ASSERT_EQUAL(f->cpu.x[A0], TURNS);
        CU_ASSERT_EQUAL(f->cpu.x[A6], TURNS / 2);
        CU_ASSERT_EQUAL(f->cpu.x[A7], 2 * TURNS);
        CU_ASSERT_EQUAL(f->cpu.x[T0], 1007);
        /* the interpreter made the pairs: the one after the loads too */
        if (s == 0 && !fx_use_jit) {
            const struct dpage *dp = f->cpu.dcache[fx_frame_of(f, CODE_VA)];
            CU_ASSERT_FATAL(dp != NULL);
            static const unsigned at[] = { 0x08, 0x0c, 0x14, 0x1a, 0x28, 0x2a };
            for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
                unsigned op = dp->slot[(0x100 + at[i]) / 2].op;
                CHECK(op & DSLOT_FUSED, "slot +0x%x: op 0x%x, not fused", at[i], op);
            }
        }
    }
    fx_free(f);
}

/* Word accesses in a row, which the interpreter runs two at a time (a lw
 * or sw, then a lw or sw; every mix of encodings, a load that writes the
 * next access's base, the second access on another page): a run with any
 * budget leaves registers and memory as single steps do, wherever the loop
 * sits (across the page end a pair is not made, and one access straddles
 * it); a fault in either access stops at that access with the other done
 * or not done as alone; and a store that rewrites the access after it
 * runs the new one. */
static void test_access_pairs(void)
{
    static const uint16_t loop[] = {
        0xa023, 0x00a5,                 /* sw a0,0(a1) */
        0xc1d0,                         /* c.sw a2,4(a1) */
        0x4194,                         /* c.lw a3,0(a1) */
        0xa583, 0x0045,                 /* lw a1,4(a1): the next one's base */
        0xa703, 0x0005,                 /* lw a4,0(a1): another page */
        0xc598,                         /* c.sw a4,8(a1) */
        0xa703, 0x0085,                 /* lw a4,8(a1) */
        0xc5d4,                         /* c.sw a3,12(a1) */
        0x41cc,                         /* c.lw a1,4(a1) */
        0x0505,                         /* c.addi a0,1 */
        0x17fd,                         /* c.addi a5,-1 */
        0xf3ed,                         /* c.bnez a5,loop */
        0x0073, 0x0000,                 /* ecall */
    };
    const uint32_t p = DATA_VA + PAGE_SIZE - 8, q = DATA_VA + PAGE_SIZE + 0x10;
    /* the second: its lw a4,8(a1) straddles the page end */
    static const uint32_t starts[] = { CODE_VA + 0x100, CODE_VA + PAGE_SIZE - 0x14,
                                       CODE_VA + PAGE_SIZE - 0x12 };
    struct fx *f = fx_new();
    uint8_t *data = fx_host(f, DATA_VA), *data2 = fx_host(f, DATA_VA + PAGE_SIZE);
    static uint8_t want_data[2][PAGE_SIZE];
    for (size_t s = 0; s < sizeof starts / sizeof *starts; s++) {
        put_halves(f, starts[s], loop, sizeof loop / sizeof *loop);
        for (uint64_t n = 1; n <= 12 * 8 + 1; n++) {
            uint32_t want[33] = { 0 }, want_pc = 0;
            for (int pass = 0; pass < 2; pass++) {
                cpu_drop_decoded_all(&f->cpu);        /* fused anew where it can be */
                memset(data, 0x5a, PAGE_SIZE);
                memset(data2, 0xa5, PAGE_SIZE);
                put32(f, q + 4, p);                   /* c.lw a1,4(a1) goes back to p */
                memset(f->cpu.x, 0, sizeof f->cpu.x);
                f->cpu.x[A1] = p;
                f->cpu.x[A2] = q;
                f->cpu.x[A5] = 8;
                f->cpu.instret = 0;
                f->cpu.pc = starts[s];
                enum cpu_stop rc = run_to(f, n, pass == 0);
                bool done = n == 12 * 8 + 1;                  /* the ecall */
                CHECK(done ? rc == CPU_STOP_TRAP && f->cpu.instret == n - 1
                           : rc == CPU_STOP_LIMIT && f->cpu.instret == n,
                      "start 0x%x budget %llu pass %d: rc %d instret %llu", starts[s],
                      (unsigned long long)n, pass, (int)rc, (unsigned long long)f->cpu.instret);
                if (pass == 0) {
                    memcpy(want, f->cpu.x, sizeof want);
                    want_pc = f->cpu.pc;
                    memcpy(want_data[0], data, PAGE_SIZE);
                    memcpy(want_data[1], data2, PAGE_SIZE);
                    continue;
                }
                CHECK(f->cpu.pc == want_pc && memcmp(f->cpu.x, want, 32 * sizeof *want) == 0 &&
                      memcmp(want_data[0], data, PAGE_SIZE) == 0 &&
                      memcmp(want_data[1], data2, PAGE_SIZE) == 0,
                      "start 0x%x budget %llu: pc 0x%x a0..a5 %x %x %x %x %x %x, stepped "
                      "pc 0x%x a0..a5 %x %x %x %x %x %x (memory %s)", starts[s],
                      (unsigned long long)n, f->cpu.pc, f->cpu.x[A0], f->cpu.x[A1],
                      f->cpu.x[A2], f->cpu.x[A3], f->cpu.x[A4], f->cpu.x[A5], want_pc,
                      want[A0], want[A1], want[A2], want[A3], want[A4], want[A5],
                      memcmp(want_data[0], data, PAGE_SIZE) == 0 &&
                      memcmp(want_data[1], data2, PAGE_SIZE) == 0 ? "the same" : "differs");
            }
        }
        /* the loop ran to its ecall: a0 counts the rounds, and the last
         * round's stores are in memory */
        CU_ASSERT_EQUAL(f->cpu.x[A0], 8);
        CU_ASSERT_EQUAL(get32(f, p), 7);
        CU_ASSERT_EQUAL(get32(f, q + 12), 7);
        /* the interpreter made pairs: the first sw's slot runs two
         * accesses, and so does the lw at +0xc */
        if (s == 0 && !fx_use_jit) {
            const struct dpage *dp = f->cpu.dcache[fx_frame_of(f, CODE_VA)];
            CU_ASSERT_FATAL(dp != NULL);
            CHECK(dp->slot[0x100 / 2].op == (OP_sw | DSLOT_FUSED) &&
                  dp->slot[0x10c / 2].op == (OP_lw | DSLOT_FUSED),
                  "slots 0x100 and 0x10c: op 0x%x 0x%x, want fused sw and lw",
                  dp->slot[0x100 / 2].op, dp->slot[0x10c / 2].op);
        }
    }

    /* faults: in the second access (the first is done, instret counts it),
     * then in the first (the second is not done) */
    put_code(f, CODE_VA + 0x200, (const uint32_t[]){
        SW(A0, 0, A1),
        LW(A3, 0, A2),
        ECALL,
    }, 3);
    for (int which = 0; which < 2; which++) {
        for (int run = 0; run < 2; run++) {         /* decoding it, then decoded */
            memset(f->cpu.x, 0, sizeof f->cpu.x);
            put32(f, DATA_VA, 0);
            f->cpu.x[A0] = 0x1234;
            f->cpu.x[A1] = which == 0 ? DATA_VA : RO_VA;
            f->cpu.x[A2] = which == 0 ? HOLE_VA + 8 : DATA_VA;
            f->cpu.instret = 0;
            enum cpu_stop rc = run_from(f, CODE_VA + 0x200, 100);
            if (which == 0) {
                EXPECT_TRAP(f, rc, CAUSE_LOAD_PAGE_FAULT, CODE_VA + 0x204, HOLE_VA + 8);
                CU_ASSERT_EQUAL(f->cpu.instret, 1);
                CU_ASSERT_EQUAL(get32(f, DATA_VA), 0x1234);
            } else {
                EXPECT_TRAP(f, rc, CAUSE_STORE_PAGE_FAULT, CODE_VA + 0x200, RO_VA);
                CU_ASSERT_EQUAL(f->cpu.instret, 0);
            }
            CU_ASSERT_EQUAL(f->cpu.x[A3], 0);
        }
    }
    fx_free(f);

    /* a store that rewrites the access after it (the pair's second): the
     * new one runs, decoded again */
    f = fx_rwx();
    put_code(f, RWX_VA, (const uint32_t[]){
        SW(A2, 4, A1),
        LW(A3, 0, A4),
        ECALL,
    }, 3);
    put32(f, DATA_VA, 11);
    put32(f, DATA_VA + 4, 22);
    for (int i = 0; i < 3; i++) {
        f->cpu.x[A1] = RWX_VA;
        f->cpu.x[A2] = i == 1 ? LW(A3, 4, A4) : LW(A3, 0, A4);
        f->cpu.x[A3] = 0;
        f->cpu.x[A4] = DATA_VA;
        enum cpu_stop rc = run_from(f, RWX_VA, 100);
        EXPECT_ECALL_AT(f, rc, RWX_VA + 8);
        CHECK(f->cpu.x[A3] == (i == 1 ? 22u : 11u), "run %d: a3 %u", i, f->cpu.x[A3]);
    }
    fx_free(f);
}

/* Near the limit, a store that rewrites the instructions ahead resets the
 * decoded page: the stop is still exact, with the new instructions' own
 * lengths (two 32-bit instructions become four compressed ones). */
static void test_limit_exact_smc(void)
{
    for (uint64_t budget = 1; budget <= 12; budget++) {
        struct fx *f = fx_rwx();
        const uint32_t prog[] = {
            SW(T2, 12, T1),             /* rewrite the two addi below */
            ADDI(A1, A1, 1),
            ADDI(A1, A1, 1),
            ADDI(A0, A0, 100),          /* becomes c.addi a0,1; c.addi a0,1 */
            ADDI(A0, A0, 100),          /* stays */
            ECALL,
        };
        put_code(f, RWX_VA, prog, 6);
        f->cpu.x[T1] = RWX_VA;
        f->cpu.x[T2] = 0x05050505u;
        f->cpu.instret = 0;
        enum cpu_stop rc = run_from(f, RWX_VA, budget);
        /* retired: sw, addi, addi, c.addi, c.addi, addi, ecall (trap) */
        static const uint32_t pc_after[] = { 0, 4, 8, 12, 14, 16, 20 };
        static const uint32_t a0_after[] = { 0, 0, 0, 0, 1, 2, 102 };
        if (budget <= 6) {
            CHECK(rc == CPU_STOP_LIMIT && f->cpu.instret == budget &&
                  f->cpu.pc == RWX_VA + pc_after[budget] && f->cpu.x[A0] == a0_after[budget],
                  "budget %llu: rc %d instret %llu pc 0x%x a0 %u", (unsigned long long)budget,
                  (int)rc, (unsigned long long)f->cpu.instret, f->cpu.pc, f->cpu.x[A0]);
        } else {
            EXPECT_ECALL_AT(f, rc, RWX_VA + 20);
            CU_ASSERT_EQUAL(f->cpu.instret, 6);
            CU_ASSERT_EQUAL(f->cpu.x[A0], 102);
        }
        fx_free(f);
    }
}

/* A breakpoint stops before its instruction; resuming runs it once from
 * the scratch page and goes on.  At a page's first byte, a jump run that
 * way must still land where it points (its target is in the same page as
 * the scratch instruction's pc, but not in the scratch page), and the
 * breakpoint must stop again the next time round; also under a budget. */
static void test_breakpoint_resume(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        JAL(ZERO, 12),              /* CODE_VA, page-aligned: the breakpoint */
        ADDI(A0, A0, 100),          /* skipped */
        ADDI(A0, A0, 100),          /* skipped */
        ADDI(A0, A0, 1),            /* +12 */
        BNE(A0, A1, -16),           /* back to the breakpoint */
        ECALL,
    };
    put_code(f, CODE_VA, prog, 6);
    f->cpu.x[A1] = 3;
    CU_ASSERT_EQUAL_FATAL(cpu_bp_insert(&f->cpu, CODE_VA), 0);
    for (uint64_t budget = 100000; budget >= 1; budget = budget == 100000 ? 2 : budget - 1) {
        memset(f->cpu.x, 0, sizeof f->cpu.x);
        f->cpu.x[A1] = 3;
        f->cpu.instret = 0;
        f->cpu.pc = CODE_VA;
        unsigned stops = 0, slices = 0;
        enum cpu_stop rc;
        do {
            rc = cpu_run(&f->cpu, f->cpu.instret + budget);
            CU_ASSERT_FATAL(++slices < 100);
            if (rc == CPU_STOP_BREAK) {
                CU_ASSERT_EQUAL(f->cpu.pc, CODE_VA);
                stops++;
                f->cpu.bp_skip_pc = f->cpu.pc;             /* resume, as gdb's continue */
                f->cpu.bp_skip_instret = f->cpu.instret;
            }
        } while (rc == CPU_STOP_BREAK || rc == CPU_STOP_LIMIT);
        EXPECT_ECALL_AT(f, rc, CODE_VA + 20);
        CHECK(stops == 3 && f->cpu.x[A0] == 3 && f->cpu.instret == 9,
              "budget %llu: %u stops, a0 %u, instret %llu", (unsigned long long)budget, stops,
              f->cpu.x[A0], (unsigned long long)f->cpu.instret);
        if (budget == 1)
            break;
    }
    fx_free(f);
}

/* Stopping at the limit loses nothing: a counted loop run in small slices
 * ends with the same registers and instret as in one go. */
static void test_limit_resume(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        ADDI(A0, A0, 1),            /* loop: */
        BNE(A0, A1, -4),
        ECALL,
    };
    put_code(f, CODE_VA, prog, 3);
    f->cpu.x[A1] = 1000;
    f->cpu.pc = CODE_VA;
    enum cpu_stop rc;
    unsigned slices = 0;
    do {
        rc = cpu_run(&f->cpu, f->cpu.instret + 7);
        slices++;
        CU_ASSERT_FATAL(slices < 10000);
        if (rc == CPU_STOP_LIMIT) {
            CU_ASSERT(f->cpu.pc == CODE_VA || f->cpu.pc == CODE_VA + 4);
            CU_ASSERT_EQUAL(f->cpu.instret, 7 * (uint64_t)slices);   /* exact stops */
        }
    } while (rc == CPU_STOP_LIMIT);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 8);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 1000);
    CU_ASSERT_EQUAL(f->cpu.instret, 2000);
    CU_ASSERT(slices > 100);
    fx_free(f);
}

/* rdinstret/rdcycle read instret as it was before the reading instruction;
 * the difference of two reads counts the instructions between them. */
static void test_counters(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        CSRRS(A0, CSR_INSTRET, ZERO),          /* 100 */
        ADDI(T0, ZERO, 1),
        BEQ(ZERO, ZERO, 8),                    /* taken: counts once */
        ECALL,
        JAL(ZERO, 4),
        CSRRS(A1, CSR_INSTRET, ZERO),          /* 104 */
        CSRRS(A2, CSR_CYCLE, ZERO),            /* 105 */
        CSRRS(A3, CSR_INSTRETH, ZERO),         /* 0 */
        CSRRSI(A4, CSR_CYCLEH, 0),             /* 0 */
        ECALL,
    };
    put_code(f, CODE_VA, prog, sizeof prog / sizeof prog[0]);
    f->cpu.instret = 100;
    f->cpu.x[A3] = f->cpu.x[A4] = 0x55;
    enum cpu_stop rc = run_from(f, CODE_VA, 1000);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 36);
    CU_ASSERT_EQUAL(f->cpu.x[A0], 100);
    CU_ASSERT_EQUAL(f->cpu.x[A1], 104);
    CU_ASSERT_EQUAL(f->cpu.x[A2], 105);
    CU_ASSERT_EQUAL(f->cpu.x[A3], 0);
    CU_ASSERT_EQUAL(f->cpu.x[A4], 0);
    CU_ASSERT_EQUAL(f->cpu.instret, 108);

    /* cpu_read_counter directly */
    uint32_t v = 0;
    CU_ASSERT(cpu_read_counter(&f->cpu, CSR_INSTRET, 0x123456789ull, &v) && v == 0x23456789);
    CU_ASSERT(cpu_read_counter(&f->cpu, CSR_INSTRETH, 0x123456789ull, &v) && v == 1);
    CU_ASSERT(cpu_read_counter(&f->cpu, CSR_CYCLE, 42, &v) && v == 42);
    CU_ASSERT(cpu_read_counter(&f->cpu, CSR_TIME, 0, &v));
    CU_ASSERT_FALSE(cpu_read_counter(&f->cpu, CSR_FFLAGS, 0, &v));
    CU_ASSERT_FALSE(cpu_read_counter(&f->cpu, 0xc03, 0, &v));     /* hpmcounter3 */
    CU_ASSERT_FALSE(cpu_read_counter(&f->cpu, 0xb00, 0, &v));     /* mcycle */
    CU_ASSERT_FALSE(cpu_read_counter(&f->cpu, 0x400, 0, &v));
    CU_ASSERT_FALSE(cpu_read_counter(&f->cpu, 0xd00, 0, &v));
    fx_free(f);
}

/* rdtime moves forward: spin until it changes (bounded by instructions,
 * not by wall time), then check it went up, not down. */
static void test_rdtime(void)
{
    struct fx *f = fx_new();
    const uint32_t prog[] = {
        CSRRS(A0, CSR_TIME, ZERO),
        CSRRS(A1, CSR_TIME, ZERO),  /* loop: */
        BEQ(A0, A1, -4),
        ECALL,
    };
    put_code(f, CODE_VA, prog, 4);
    enum cpu_stop rc = run_from(f, CODE_VA, 200000000);
    EXPECT_ECALL_AT(f, rc, CODE_VA + 12);
    uint32_t d = f->cpu.x[A1] - f->cpu.x[A0];
    CU_ASSERT(d != 0 && d < 0x80000000u);
    fx_free(f);
}

/* ------------------------------------------------------------------------
 * The disassembler.
 */

static void dis(uint32_t pc, uint32_t w, unsigned len, char *buf, size_t n, unsigned *ret)
{
    uint8_t b[4] = { (uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16), (uint8_t)(w >> 24) };
    *ret = insn_disasm(pc, b, len, buf, n);
}

static void test_disasm_text(void)
{
    static const struct { uint32_t pc, w; unsigned len; const char *text; } cases[] = {
        { 0x10000, ADDI(SP, SP, -16), 4, "addi    sp,sp,-16" },
        { 0x10000, LW(A0, 8, A1), 4, "lw      a0,8(a1)" },
        { 0x10000, LBU(T6, -1, S11), 4, "lbu     t6,-1(s11)" },
        { 0x10000, SW(A2, -4, SP), 4, "sw      a2,-4(sp)" },
        { 0x10000, ADD(A0, ZERO, S10), 4, "add     a0,zero,s10" },
        { 0x10000, SRAI(A0, A1, 31), 4, "srai    a0,a1,31" },
        { 0x10000, BEQ(A1, A2, 8), 4, "beq     a1,a2,0x10008" },
        { 0x10010, BNE(A1, A2, -16), 4, "bne     a1,a2,0x10000" },
        { 0x10010, JAL(RA, -16), 4, "jal     ra,0x10000" },
        { 0x10010, JALR(RA, 4, T0), 4, "jalr    ra,4(t0)" },
        { 0x10010, LUI(A0, 0x12345), 4, "lui     a0,0x12345" },
        { 0x10010, CSRRS(A0, CSR_CYCLE, ZERO), 4, "csrrs   a0,cycle,zero" },
        { 0x10010, CSRRS(A0, CSR_INSTRETH, ZERO), 4, "csrrs   a0,instreth,zero" },
        { 0x10010, CSRRSI(A0, 0x7c0, 3), 4, "csrrsi  a0,0x7c0,3" },
        { 0x10010, ECALL, 4, "ecall" },
        { 0x10010, FENCE_I, 4, "fence.i" },
        { 0x10010, LR_W(A0, A1), 4, "lr.w    a0,(a1)" },
        { 0x10010, SC_W(A0, A2, A1), 4, "sc.w    a0,a2,(a1)" },
        { 0x10010, MULHSU(A0, A1, A2), 4, "mulhsu  a0,a1,a2" },
        { 0x10010, 0x1141, 2, "c.addi  sp,sp,-16" },
        { 0x10010, 0x4082, 2, "c.lw    ra,0(sp)" },
        { 0x10010, 0x9002, 2, "c.ebreak" },
        { 0x10010, 0xffffffff, 4, "(illegal instruction)" },
        { 0x10010, 0x0000, 2, "(illegal instruction)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        unsigned ret;
        memset(buf, 0, sizeof buf);
        dis(cases[i].pc, cases[i].w, cases[i].len, buf, sizeof buf, &ret);
        CHECK(ret == cases[i].len, "disasm 0x%08x: returned %u", cases[i].w, ret);
        CHECK(!strcmp(buf, cases[i].text), "disasm 0x%08x: \"%s\", want \"%s\"",
              cases[i].w, buf, cases[i].text);
    }
}

/* Mnemonic and operands are separated by white space for every row, even
 * the long AMO names (objdump style "amoadd.w a0,a2,(a1)"). */
static void test_disasm_amo_spacing(void)
{
    static const struct { uint32_t w; const char *mn, *ops; } cases[] = {
        { AMOADD_W(A0, A2, A1),  "amoadd.w",  "a0,a2,(a1)" },
        { AMOSWAP_W(A0, A2, A1), "amoswap.w", "a0,a2,(a1)" },
        { AMOMAXU_W(T0, T1, T2), "amomaxu.w", "t0,t1,(t2)" },
        { AMOMIN_W(S0, S1, SP),  "amomin.w",  "s0,s1,(sp)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64], mn[64] = "", ops[64] = "";
        unsigned ret;
        dis(0, cases[i].w, 4, buf, sizeof buf, &ret);
        int n = sscanf(buf, "%63s %63s", mn, ops);
        CHECK(n == 2 && !strcmp(mn, cases[i].mn) && !strcmp(ops, cases[i].ops),
              "disasm 0x%08x: \"%s\", want mnemonic \"%s\" then \"%s\"",
              cases[i].w, buf, cases[i].mn, cases[i].ops);
    }
}

/* Never writes past buflen, always terminates, refuses short input. */
static void test_disasm_bounds(void)
{
    char buf[8];
    unsigned ret;
    uint8_t b[4] = { 0x13, 0x01, 0x01, 0xff };      /* addi sp,sp,-16 */
    CU_ASSERT_EQUAL(insn_disasm(0, b, 0, buf, sizeof buf), 0);
    CU_ASSERT_EQUAL(insn_disasm(0, b, 1, buf, sizeof buf), 0);
    CU_ASSERT_EQUAL(insn_disasm(0, b, 2, buf, sizeof buf), 0);
    CU_ASSERT_EQUAL(insn_disasm(0, b, 3, buf, sizeof buf), 0);
    uint8_t cb[2] = { 0x41, 0x11 };                 /* c.addi sp,-16 */
    CU_ASSERT_EQUAL(insn_disasm(0, cb, 2, buf, sizeof buf), 2);

    /* every vector word and every compressed case into exact-size heap
     * buffers of 1..24 bytes (ASan reports any overflow) */
    for (size_t t = 0; t < sizeof vec_tables / sizeof vec_tables[0]; t++) {
        for (size_t i = 0; i < vec_tables[t].n; i++) {
            for (size_t n = 1; n <= 24; n++) {
                char *p = malloc(n);
                CU_ASSERT_FATAL(p != NULL);
                dis(0x10000, vec_tables[t].v[i].word, 4, p, n, &ret);
                CU_ASSERT_EQUAL(ret, 4);
                CU_ASSERT(memchr(p, 0, n) != NULL);
                free(p);
            }
        }
    }
    for (size_t i = 0; i < sizeof rvc_cases / sizeof rvc_cases[0]; i++) {
        for (size_t n = 1; n <= 24; n++) {
            char *p = malloc(n);
            CU_ASSERT_FATAL(p != NULL);
            dis(0x10000, rvc_cases[i].c, 2, p, n, &ret);
            CU_ASSERT_EQUAL(ret, 2);
            CU_ASSERT(memchr(p, 0, n) != NULL);
            free(p);
        }
    }
    /* buflen 0 writes nothing */
    buf[0] = 'x';
    CU_ASSERT_EQUAL(insn_disasm(0, b, 4, buf, 0), 4);
    CU_ASSERT_EQUAL(buf[0], 'x');
    /* truncation keeps a prefix of the full text */
    char full[64];
    insn_disasm(0, b, 4, full, sizeof full);
    insn_disasm(0, b, 4, buf, sizeof buf);
    CU_ASSERT_EQUAL(strlen(buf), sizeof buf - 1);
    CU_ASSERT(!strncmp(buf, full, sizeof buf - 1));
}

/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------
 * The translator against the interpreter: random programs.
 *
 * Each program mixes ALU, M, loads and stores (some misaligned, some
 * crossing into the next page, some faulting on a read-only or unmapped
 * page), compressed instructions, branches and jumps in both directions
 * (loops, and landings in the middle of an instruction), counter reads and
 * fence.i (which the translator leaves to the interpreter).  Both engines
 * run it in the same slices of the instruction budget; after every slice
 * the pc, instret, registers, trap and data pages must be identical.
 */
static uint32_t rnd_state = 0x2545f491u;
static uint32_t rnd(void)
{
    uint32_t x = rnd_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rnd_state = x;
}
static uint32_t rnd_below(uint32_t n) { return rnd() % n; }

/* A destination register: any but the bases x5..x8 (x0 included); half of
 * the time one of a few, so that blocks use registers often enough for the
 * translator to keep them in host registers. */
static unsigned rnd_rd(void)
{
    unsigned r;
    if (rnd_below(2))
        return 9 + rnd_below(5);
    do
        r = rnd_below(32);
    while (r >= 5 && r <= 8);
    return r;
}

/* A source register: any, or (half of the time) one of the few. */
static unsigned rnd_rs(void)
{
    return rnd_below(2) ? 9 + rnd_below(5) : rnd_below(32);
}

static int32_t rnd_off(int32_t span) { return (int32_t)(rnd_below((uint32_t)span) * 2) - span; }

/* Append one random instruction at *at; returns its length. */
static uint32_t rnd_insn(struct fx *a, struct fx *b, uint32_t at)
{
    static const uint8_t rf[][2] = {   /* funct7, funct3 of OP (0x33) */
        {0x00, 0}, {0x20, 0}, {0x00, 1}, {0x00, 2}, {0x00, 3}, {0x00, 4}, {0x00, 5},
        {0x20, 5}, {0x00, 6}, {0x00, 7}, {0x01, 0}, {0x01, 1}, {0x01, 2}, {0x01, 3},
        {0x01, 4}, {0x01, 5}, {0x01, 6}, {0x01, 7},
    };
    unsigned rd = rnd_rd(), rs1 = rnd_rs(), rs2 = rnd_rs();
    int32_t imm = (int32_t)rnd_below(4096) - 2048;
    uint32_t w;
    unsigned k = rnd_below(100);
    if (k < 25) {
        const uint8_t *f = rf[rnd_below(sizeof rf / sizeof rf[0])];
        w = ENC_R(f[0], rs2, rs1, f[1], rd, 0x33);
    } else if (k < 40) {
        static const uint8_t f3[] = { 0, 2, 3, 4, 6, 7 };
        unsigned sh = rnd_below(3);
        if (sh == 0)
            w = ENC_I(imm, rs1, f3[rnd_below(6)], rd, 0x13);
        else if (sh == 1)
            w = rnd_below(2) ? SLLI(rd, rs1, rnd_below(32)) : SRLI(rd, rs1, rnd_below(32));
        else
            w = SRAI(rd, rs1, rnd_below(32));
    } else if (k < 45) {
        w = rnd_below(2) ? LUI(rd, rnd()) : AUIPC(rd, rnd());
    } else if (k < 60) {
        static const uint8_t lf3[] = { 0, 1, 2, 4, 5 };
        unsigned k2 = rnd_below(60);          /* data; read-only; the hole (faults) */
        unsigned base = k2 < 57 ? 5 : k2 < 59 ? 6 : 7;
        w = ENC_I(imm, base, lf3[rnd_below(5)], rd, 0x03);
    } else if (k < 72) {
        unsigned k2 = rnd_below(60);          /* data; code (when writable); RO, hole */
        unsigned base = k2 < 54 ? 5 : k2 < 58 ? 8 : 6 + (k2 & 1);
        if (base == 8)
            imm = rnd_off(200);               /* near the code: self-modifying */
        w = ENC_S(imm, rs2, base, rnd_below(3));
    } else if (k < 80) {
        static const uint8_t bf3[] = { 0, 1, 4, 5, 6, 7 };
        w = ENC_B(rnd_off(48), rs2, rs1, bf3[rnd_below(6)]);
    } else if (k < 83) {
        w = rnd_below(2) ? JAL(rd, rnd_off(64)) : JALR(rd, rnd_off(24) + (int32_t)rnd_below(2), 8);
    } else if (k < 95) {
        /* compressed: c.addi, c.mv, c.add (rd != 0 for all three) */
        unsigned r = rnd_below(31) + 1, r2 = rnd_below(31) + 1, c = rnd_below(3);
        uint16_t h;
        if (r >= 5 && r <= 8)
            r = 9;
        if (c == 0)
            h = (uint16_t)(0x0001 | ((U32(imm) >> 5) & 1) << 12 | r << 7 | (U32(imm) & 31) << 2);
        else
            h = (uint16_t)((c == 1 ? 0x8002 : 0x9002) | r << 7 | r2 << 2);
        put16(a, at, h);
        put16(b, at, h);
        return 2;
    } else if (k < 97) {
        w = CSRRS(rd, rnd_below(2) ? CSR_INSTRET : CSR_CYCLE, 0);
    } else if (k < 99 || rnd_below(3)) {
        w = rnd_below(2) ? FENCE : FENCE_I;
    } else {
        w = rnd_below(4) ? ECALL : EBREAK;
    }
    put32(a, at, w);
    put32(b, at, w);
    return 4;
}

static bool same_pages(struct fx *a, struct fx *b, uint32_t va, unsigned n)
{
    for (unsigned i = 0; i < n; i++, va += PAGE_SIZE)
        if (memcmp(fx_host(a, va), fx_host(b, va), PAGE_SIZE))
            return false;
    return true;
}

/* Both engines after one slice that was to end at instret `want`: the
 * same state, and a stop at the limit exactly at it. */
static void rnd_compare(struct fx *a, struct fx *b, int prog, int slice, uint64_t want,
                        enum cpu_stop ra, enum cpu_stop rb, bool *bad)
{
    struct cpu *x = &a->cpu, *y = &b->cpu;
    if (!*bad && ((ra == CPU_STOP_LIMIT && x->instret != want) ||
                  (rb == CPU_STOP_LIMIT && y->instret != want))) {
        CHECK(0, "program %d slice %d: stopped at the limit at instret %llu (translated) and "
                 "%llu (interpreted), want %llu", prog, slice, (unsigned long long)x->instret,
              (unsigned long long)y->instret, (unsigned long long)want);
        *bad = true;
    }
    bool same = ra == rb && x->pc == y->pc && x->instret == y->instret &&
                !memcmp(x->x, y->x, 32 * sizeof x->x[0]) &&
                (ra != CPU_STOP_TRAP ||
                 (x->trap.cause == y->trap.cause && x->trap.tval == y->trap.tval)) &&
                same_pages(a, b, DATA_VA, 2) && same_pages(a, b, RWX_VA, 2);
    if (!same && !*bad) {
        unsigned r = 0;
        while (r < 32 && x->x[r] == y->x[r])
            r++;
        CHECK(0, "program %d slice %d: translated rc %d pc 0x%x instret %llu cause %d | "
                 "interpreted rc %d pc 0x%x instret %llu cause %d | first differing register x%u",
              prog, slice, (int)ra, x->pc, (unsigned long long)x->instret, x->trap.cause,
              (int)rb, y->pc, (unsigned long long)y->instret, y->trap.cause, r);
        *bad = true;
    }
}

/* 63 stores through `bases` base registers in turn and a branch at
 * CODE_VA, the registers they use set; returns the branch's address. */
static uint32_t put_stores_block(struct fx *f, int bases)
{
    uint32_t at = CODE_VA;
    for (int i = 0; i < JIT_MAX_INSNS - 1; i++, at += 4)
        put32(f, at, i % 2 ? SH(A0 + i % 6, 2 * i, A1 + i % bases) : SW(A0 + i % 6, 4 * i, A1 + i % bases));
    put32(f, at, BEQ(ZERO, ZERO, 8));
    for (int r = 0; r < 5; r++)
        f->cpu.x[A1 + r] = DATA_VA + 8 * (uint32_t)r;
    return at;
}

static uint32_t put_largest_block(struct fx *f)
{
    return put_stores_block(f, 5);
}

/* The largest blocks fit their reserved room: 63 stores (the longest
 * code with slow paths) and a branch, with all six host registers in use;
 * and the same through two bases in turn, where each group of one base's
 * stores takes in two of the other's (both copies of those have their own
 * checks and slow paths). */
static void test_jit_largest_block(void)
{
    for (int bases = 5; bases >= 2; bases -= 3) {
        struct fx *f = fx_new();
        uint32_t at = put_stores_block(f, bases);
        enum cpu_stop rc = run_from(f, CODE_VA, 1000);
        EXPECT_ECALL_AT(f, rc, at + 8);
        CU_ASSERT_EQUAL(f->cpu.instret, JIT_MAX_INSNS);
        for (int i = 0; i < JIT_MAX_INSNS - 1; i++)
            if (i + bases >= JIT_MAX_INSNS - 1) {    /* the last store to its address */
                uint32_t va = DATA_VA + 8 * (uint32_t)(i % bases) + (i % 2 ? 2u : 4u) * (uint32_t)i;
                uint32_t v = f->cpu.x[A0 + i % 6];
                CHECK(i % 2 ? get16(f, va) == (uint16_t)v : get32(f, va) == v,
                      "%d bases: store %d to 0x%x lost", bases, i, va);
            }
#if JIT_AVAILABLE
        if (fx_use_jit)                       /* that block, and the ecall's */
            CHECK(jit_stats(f->cpu.jit)->blocks == 2 &&
                  jit_stats(f->cpu.jit)->insns == JIT_MAX_INSNS + 1,
                  "%d bases: %llu blocks, %llu instructions translated", bases,
                  (unsigned long long)jit_stats(f->cpu.jit)->blocks,
                  (unsigned long long)jit_stats(f->cpu.jit)->insns);
#endif
        fx_free(f);
    }
}

/* Many small chained blocks run through a code buffer with room for one:
 * it is reset before each translation (so a block whose exit asks to be
 * chained is gone by then, and must not be patched), the first block (of
 * three instructions) never fits and is interpreted, and the run ends as
 * it would without resets. */
static void test_jit_buffer_resets(void)
{
    enum { PAIRS = 400, PASSES = 20 };
    struct fx *f = fx_new();
    uint32_t at = CODE_VA;
    put32(f, at, ADDI(A1, ZERO, PASSES));
    at += 4;
    uint32_t loop = at;
    for (int i = 0; i < PAIRS; i++) {
        put32(f, at, ADDI(A0, A0, 1));
        put32(f, at + 4, BNE(A0, ZERO, 4));   /* taken: one block per pair */
        at += 8;
    }
    put32(f, at, ADDI(A1, A1, -1));
    put32(f, at + 4, BNE(A1, ZERO, (int32_t)(loop - (at + 4))));
    put32(f, at + 8, ECALL);
    if (f->cpu.jit)                           /* room for one block of two */
        jit_limit_buffer(f->cpu.jit, 2);
    enum cpu_stop rc = run_from(f, CODE_VA, 1000000);
    EXPECT_ECALL_AT(f, rc, at + 8);
    CU_ASSERT_EQUAL(f->cpu.x[A0], PAIRS * PASSES);
    CU_ASSERT_EQUAL(f->cpu.instret, 1 + PASSES * (2 * PAIRS + 2));
#if JIT_AVAILABLE
    if (fx_use_jit) {
        const struct jit_stats *js = jit_stats(f->cpu.jit);
        CHECK(js->flushes >= PASSES, "%llu buffer resets", (unsigned long long)js->flushes);
        CHECK(js->chains > 0, "no jumps chained");
    }
#endif
    fx_free(f);
}

/* The same random program, data and registers in a and b. */
static void rnd_program(struct fx *a, struct fx *b)
{
    for (uint32_t o = 0; o < 2 * PAGE_SIZE; o += 4) {
        uint32_t v = rnd();
        put32(a, DATA_VA + o, v);
        put32(b, DATA_VA + o, v);
    }
    /* code on a read-only page or a writable one (self-modifying) */
    uint32_t start = (rnd_below(2) ? CODE_VA : RWX_VA) + (rnd_below(2) ? 0x100 : 0xf00);
    uint32_t at = start;
    for (int i = 0; i < 120; i++)
        at += rnd_insn(a, b, at);
    uint32_t init[32];
    for (unsigned r = 0; r < 32; r++)
        init[r] = rnd_below(4) ? rnd() : rnd_below(8) - 4;
    init[0] = 0;
    init[5] = DATA_VA + 0x800;
    init[6] = RO_VA + 0x800;
    init[7] = HOLE_VA + 0x800;
    init[8] = start + 4 * rnd_below(40);
    memcpy(a->cpu.x, init, sizeof init);
    memcpy(b->cpu.x, init, sizeof init);
    a->cpu.pc = b->cpu.pc = start;
}

/* small budgets (the stops must be exact) and larger ones */
static const uint64_t rnd_slices[] = { 1, 2, 3, 5, 7, 11, 16, 20, 33, 65, 66, 67, 100, 500, 3000 };

/* Program number prog on a translating hart *a and an interpreting *b. */
static void rnd_pair(int prog, struct fx **a, struct fx **b)
{
    bool saved = fx_use_jit;
    fx_use_jit = true;
    *a = fx_rwx();
    fx_use_jit = false;
    *b = fx_rwx();
    fx_use_jit = saved;
    rnd_program(*a, *b);
    if ((*a)->cpu.jit && prog % 4 == 3)     /* a buffer that fills every few blocks */
        jit_limit_buffer((*a)->cpu.jit, 40);
}

static void test_jit_vs_interp_random(void)
{
    uint64_t retired = 0, translated = 0, resets = 0;
    rnd_state = 0x2545f491u;
    for (int prog = 0; prog < 400; prog++) {
        struct fx *a, *b;
        rnd_pair(prog, &a, &b);

        bool bad = false;
        for (int slice = 0; slice < 40 && !bad; slice++) {
            uint64_t n = rnd_slices[rnd_below(sizeof rnd_slices / sizeof rnd_slices[0])];
            uint64_t want = a->cpu.instret + n;
            enum cpu_stop ra = cpu_run(&a->cpu, want);
            enum cpu_stop rb = cpu_run(&b->cpu, b->cpu.instret + n);
            rnd_compare(a, b, prog, slice, want, ra, rb, &bad);
            if (ra == CPU_STOP_TRAP)
                break;
        }
        retired += a->cpu.instret;
        if (a->cpu.jit) {
            translated += jit_stats(a->cpu.jit)->insns;
            resets += jit_stats(a->cpu.jit)->flushes;
        }
        fx_free(a);
        fx_free(b);
        if (bad)
            break;
    }
    /* the programs must run long enough to mean something, and on x86-64
     * through translated blocks where the build has a translator */
    CHECK(retired > 100000, "only %llu instructions retired", (unsigned long long)retired);
#if JIT_AVAILABLE
    CHECK(translated > 10000, "only %llu instructions translated", (unsigned long long)translated);
    CHECK(resets > 20, "only %llu code buffer resets", (unsigned long long)resets);
#endif
    printf("\n  [%llu instructions retired, %llu translated, %llu buffer resets] ",
           (unsigned long long)retired, (unsigned long long)translated, (unsigned long long)resets);
}

/* The same comparison with several threads on one hart, as the kernel runs
 * them (kernel/thread.c): one address space, one TLB and one code cache,
 * and per thread only the registers and pc, swapped in and out between two
 * cpu_run calls with the LR/SC reservation dropped.  Three threads start
 * in the same random program with different registers, so they share the
 * code and the data page and write over each other's data; slices of
 * random length go round robin, and after every slice both engines must
 * agree on everything (a thread that traps leaves the round). */
#define RND_THREADS 3
struct rnd_thread {
    uint32_t x[32], pc;
    bool     done;
};

static void rnd_switch(struct cpu *c, struct rnd_thread *from, const struct rnd_thread *to)
{
    if (from) {
        memcpy(from->x, c->x, sizeof from->x);
        from->pc = c->pc;
    }
    memcpy(c->x, to->x, sizeof to->x);
    c->x[0] = 0;
    c->pc = to->pc;
    c->resv_valid = false;
}

static void test_jit_vs_interp_threads(void)
{
    uint64_t retired = 0, switches = 0;
    rnd_state = 0x6d2b79f5u;
    for (int prog = 0; prog < 400; prog++) {
        struct fx *a, *b;
        rnd_pair(prog, &a, &b);
        struct rnd_thread ta[RND_THREADS], tb[RND_THREADS];
        for (int t = 0; t < RND_THREADS; t++) {
            memcpy(ta[t].x, a->cpu.x, sizeof ta[t].x);
            ta[t].pc = a->cpu.pc;
            ta[t].done = false;
            if (t > 0)                  /* a0..a7 and t3..t6 of its own */
                for (unsigned r = 10; r < 32; r++)
                    if (r <= 17 || r >= 28)
                        ta[t].x[r] = rnd_below(4) ? rnd() : rnd_below(8) - 4;
            tb[t] = ta[t];
        }
        int cur = 0, live = RND_THREADS;
        bool bad = false;
        for (int slice = 0; slice < 60 && live && !bad; slice++) {
            int next = cur;
            do
                next = (next + 1) % RND_THREADS;
            while (ta[next].done);
            if (next != cur || slice == 0) {
                rnd_switch(&a->cpu, slice ? &ta[cur] : NULL, &ta[next]);
                rnd_switch(&b->cpu, slice ? &tb[cur] : NULL, &tb[next]);
                cur = next;
                switches++;
            }
            uint64_t n = rnd_slices[rnd_below(sizeof rnd_slices / sizeof rnd_slices[0])];
            uint64_t want = a->cpu.instret + n;
            enum cpu_stop ra = cpu_run(&a->cpu, want);
            enum cpu_stop rb = cpu_run(&b->cpu, b->cpu.instret + n);
            rnd_compare(a, b, prog, slice, want, ra, rb, &bad);
            if (ra == CPU_STOP_TRAP) {
                ta[cur].done = tb[cur].done = true;
                live--;
            }
        }
        retired += a->cpu.instret;
        fx_free(a);
        fx_free(b);
        if (bad)
            break;
    }
    CHECK(retired > 100000, "only %llu instructions retired", (unsigned long long)retired);
    CHECK(switches > 2000, "only %llu switches", (unsigned long long)switches);
    printf("\n  [%llu instructions retired by %d threads a program, %llu switches] ",
           (unsigned long long)retired, RND_THREADS, (unsigned long long)switches);
}

/* The recorder (emu/refrec.h) on the same random programs: the
 * translator's inline runs and raw appends against the interpreter
 * stepping one instruction at a time (every note then goes through
 * refrec.c's slow paths), with and without fetches.  The strings must be
 * identical, reference by reference. */
struct recbuf {
    uint32_t *k;
    size_t    n, cap;
    uint32_t  hist[REFREC_HIST];
};

static void recbuf_one(struct recbuf *b, uint32_t key)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 4096;
        b->k = realloc(b->k, b->cap * sizeof *b->k);
    }
    b->k[b->n++] = key;
    memmove(&b->hist[1], &b->hist[0], (REFREC_HIST - 1) * sizeof b->hist[0]);
    b->hist[0] = key;
}

static int recbuf_sink(void *ctx, const struct refrec_token *t, size_t n)
{
    struct recbuf *b = ctx;
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == REFREC_RUN) {
            for (uint64_t k = 0; k < t[i].count; k++)
                recbuf_one(b, b->hist[t[i].period - 1]);
            continue;
        }
        uint32_t before = b->hist[0];
        recbuf_one(b, t[i].key);
        if (t[i].kind == REFREC_PAIR)
            recbuf_one(b, before);
    }
    return 0;
}

static void test_recording_random(void)
{
    static const uint64_t slices[] = { 1, 7, 16, 65, 100, 500, 3000 };
    bool saved = fx_use_jit;
    uint64_t refs = 0;
    rnd_state = 0x7f4a7c15u;
    int nprog = getenv("VMLAB_REC_PROGRAMS") ? atoi(getenv("VMLAB_REC_PROGRAMS")) : 160;
    for (int prog = 0; prog < nprog; prog++) {
        fx_use_jit = true;
        struct fx *a = fx_rwx();
        fx_use_jit = false;
        struct fx *b = fx_rwx();
        fx_use_jit = saved;
        struct refrec *ra = malloc(sizeof *ra), *rb = malloc(sizeof *rb);
        struct recbuf ba = { 0 }, bb = { 0 };
        bool fetches = prog % 3 != 2;
        refrec_init(ra, fetches, recbuf_sink, &ba);
        refrec_init(rb, fetches, recbuf_sink, &bb);
        cpu_record(&a->cpu, ra);
        cpu_record(&b->cpu, rb);
        rnd_program(a, b);
        for (int slice = 0; slice < 40; slice++) {
            uint64_t n = slices[rnd_below(sizeof slices / sizeof slices[0])];
            /* b catches up one instruction at a time (a may run past its
             * budget to the next branch); to a's trap, if a stopped at one */
            enum cpu_stop sa = cpu_run(&a->cpu, a->cpu.instret + n), sb = CPU_STOP_LIMIT;
            while (sb == CPU_STOP_LIMIT &&
                   (b->cpu.instret < a->cpu.instret || (sa == CPU_STOP_TRAP && b->cpu.instret == a->cpu.instret)))
                sb = cpu_run(&b->cpu, b->cpu.instret + 1);
            if (sa == CPU_STOP_TRAP || sb == CPU_STOP_TRAP)
                break;
        }
        refrec_finish(ra);
        refrec_finish(rb);
        size_t i = 0;
        while (i < ba.n && i < bb.n && ba.k[i] == bb.k[i])
            i++;
        CHECK(a->cpu.instret == b->cpu.instret && ba.n == bb.n && i == ba.n,
              "program %d%s: %zu and %zu references, first difference at %zu (0x%x vs 0x%x); "
              "instret %llu, %llu; pc 0x%x, 0x%x", prog, fetches ? "" : " (data only)", ba.n, bb.n, i,
              i < ba.n ? ba.k[i] : 0, i < bb.n ? bb.k[i] : 0, (unsigned long long)a->cpu.instret,
              (unsigned long long)b->cpu.instret, a->cpu.pc, b->cpu.pc);
        CU_ASSERT_EQUAL(refrec_count(ra), ba.n);
        refs += ba.n;
        free(ba.k);
        free(bb.k);
        fx_free(a);
        fx_free(b);
        free(ra);
        free(rb);
    }
    CHECK(refs > 20000, "only %llu references recorded", (unsigned long long)refs);
}

/* f[0] runs with the translator, f[1] with the interpreter alone; both
 * hold the same code at CODE_VA. */
static void fx_pair(struct fx *f[2], const uint32_t *code, unsigned n)
{
    bool saved = fx_use_jit;
    for (int e = 0; e < 2; e++) {
        fx_use_jit = e == 0;
        f[e] = fx_new();
        put_code(f[e], CODE_VA, code, n);
    }
    fx_use_jit = saved;
}

/* A loop with an if inside: the forward branch is a jump inside the
 * translated block, which still goes round in place.  Every budget stops
 * where the interpreter stops, with the same registers, and the walk
 * into the hole after RO_VA faults at the same instruction count. */
static void test_inner_branch_loop(void)
{
    static const uint32_t code[] = {
        LBU(A0, 0, A1), ADDI(A1, A1, 1), BNE(A0, ZERO, 12),   /* a byte; skip two if not 0 */
        ADDI(A5, A5, 1), ADD(A3, A3, A4),
        ADDI(A4, A4, 1), BNE(A4, A2, -24), ECALL,
    };
    static const uint64_t budgets[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 17, 23, 64, 65,
                                        66, 67, 100, 101, 333, 1000, 1001, 1002, 1003, 100000 };
    struct fx *f[2];
    fx_pair(f, code, sizeof code / sizeof code[0]);
    for (int e = 0; e < 2; e++) {
        for (uint32_t o = 0; o < PAGE_SIZE; o += 2)      /* RO_VA's bytes: 0 1 2 0 1 2 ... */
            put16(f[e], RO_VA + o, (uint16_t)(o % 3 | ((o + 1) % 3) << 8));
    }
    for (size_t i = 0; i < sizeof budgets / sizeof budgets[0]; i++) {
        enum cpu_stop rc[2];
        for (int e = 0; e < 2; e++) {
            memset(f[e]->cpu.x, 0, sizeof f[e]->cpu.x);
            f[e]->cpu.instret = 0;
            f[e]->cpu.x[A1] = HOLE_VA - 700;          /* 700 bytes, then the hole */
            f[e]->cpu.x[A2] = 100000;
            rc[e] = run_from(f[e], CODE_VA, budgets[i]);
        }
        CHECK(rc[0] == rc[1] && f[0]->cpu.instret == f[1]->cpu.instret && f[0]->cpu.pc == f[1]->cpu.pc &&
              !memcmp(f[0]->cpu.x, f[1]->cpu.x, sizeof f[0]->cpu.x),
              "budget %llu: rc %d/%d, instret %llu/%llu, pc 0x%x/0x%x, a3 %u/%u, a5 %u/%u",
              (unsigned long long)budgets[i], (int)rc[0], (int)rc[1],
              (unsigned long long)f[0]->cpu.instret, (unsigned long long)f[1]->cpu.instret,
              f[0]->cpu.pc, f[1]->cpu.pc, f[0]->cpu.x[A3], f[1]->cpu.x[A3], f[0]->cpu.x[A5],
              f[1]->cpu.x[A5]);
        if (budgets[i] == 100000) {
            EXPECT_TRAP(f[0], rc[0], CAUSE_LOAD_PAGE_FAULT, CODE_VA, HOLE_VA);
            CU_ASSERT_EQUAL(f[0]->cpu.x[A4], 700);
            CU_ASSERT_EQUAL(f[0]->cpu.x[A5], 234);       /* the zeros among 700 bytes */
        }
    }
#if JIT_AVAILABLE
    /* the loop is one block (the ecall's is the other): the if did not split it */
    CU_ASSERT(jit_stats(f[0]->cpu.jit)->blocks <= 2);
#endif
    for (int e = 0; e < 2; e++)
        fx_free(f[e]);
}

/* A loop keeps its TLB entry in a register only when its address steps
 * through memory (a pointer advanced by a constant, an array indexed by a
 * counter); an address made afresh each time round some other way (here
 * a hash of a counter) would miss it every time.  Either way both engines
 * end alike. */
static void test_loop_tlb_entry(void)
{
    static const uint32_t stride[] = {
        LW(A0, 0, A1), ADD(A3, A3, A0), ADDI(A1, A1, 4), BNE(A1, A2, -12), ECALL,
    };
    static const uint32_t hashed[] = {
        ADDI(A4, A4, 52), ANDI(A5, A4, 0x7fc), ADD(A1, A5, A6), LW(A0, 0, A1),
        ADD(A3, A3, A0), ADDI(A2, A2, -1), BNE(A2, ZERO, -24), ECALL,
    };
    /* a[i] as (i << 2) + a, the load overwriting its base (dead: made
     * afresh from the counter before the next time round) */
    static const uint32_t indexed[] = {
        LW(A1, 0, A1), ADD(A3, A3, A1), ADDI(A4, A4, 1), SLLI(A1, A4, 2), ADD(A1, A1, A6),
        BNE(A4, A2, -20), ECALL,
    };
    /* a + i, the register the loop leaves alone first */
    static const uint32_t offset[] = {
        LW(A0, 0, A1), ADD(A3, A3, A0), ADDI(A4, A4, 4), ADD(A1, A6, A4), BNE(A4, A2, -16), ECALL,
    };
    const struct { const uint32_t *code; size_t n; uint64_t loop_tlb; } cases[] = {
        { stride, sizeof stride / sizeof stride[0], 1 },
        { hashed, sizeof hashed / sizeof hashed[0], 0 },
        { indexed, sizeof indexed / sizeof indexed[0], 1 },
        { offset, sizeof offset / sizeof offset[0], 1 },
    };
    for (size_t c = 0; c < 4; c++) {
        struct fx *f[2];
        enum cpu_stop rc[2];
        fx_pair(f, cases[c].code, (unsigned)cases[c].n);
        for (int e = 0; e < 2; e++) {
            for (uint32_t o = 0; o < 2 * PAGE_SIZE; o += 4)
                put32(f[e], DATA_VA + o, o * 2654435761u);
            f[e]->cpu.x[A1] = c >= 2 ? DATA_VA + 0x100 : DATA_VA;
            f[e]->cpu.x[A2] = c == 0 ? DATA_VA + 2 * PAGE_SIZE : c == 1 ? 5000 : c == 2 ? 1900 : 7000;
            f[e]->cpu.x[A6] = DATA_VA + 0x100;
            rc[e] = run_from(f[e], CODE_VA, 1000000);
        }
        CU_ASSERT_EQUAL(rc[0], rc[1]);
        CU_ASSERT_EQUAL(f[0]->cpu.instret, f[1]->cpu.instret);
        CU_ASSERT_EQUAL(memcmp(f[0]->cpu.x, f[1]->cpu.x, sizeof f[0]->cpu.x), 0);
#if JIT_AVAILABLE
        CU_ASSERT_EQUAL(jit_stats(f[0]->cpu.jit)->loop_tlb, cases[c].loop_tlb);
#endif
        for (int e = 0; e < 2; e++)
            fx_free(f[e]);
    }
}

/* A copy loop walks two addresses at once, and keeps a TLB entry in a
 * register for each.  The source starts on one page and the destination
 * on another; one of them walks into a page it may not use (the store
 * into RO_VA, or the load into the hole after it) while the other is
 * still on its first or second page.  Every budget around the page ends
 * stops where the interpreter stops, with the same registers and memory,
 * and the fault is the interpreter's: same instruction, same address. */
static void test_loop_two_tlb_entries(void)
{
    static const uint32_t code[] = {
        LW(A0, 0, A1), SW(A0, 0, A2), ADDI(A1, A1, 4), ADDI(A2, A2, 4), BNE(A1, A3, -16), ECALL,
    };
    static const struct { uint32_t src, dst; int cause; uint32_t tval; unsigned turns; } cases[] = {
        { DATA_VA + 0x800, DATA_VA + 0x100, CAUSE_STORE_PAGE_FAULT, RO_VA, 1984 },
        { DATA_VA + 0x1400, DATA_VA, CAUSE_LOAD_PAGE_FAULT, HOLE_VA, 1792 },
        { DATA_VA + 0x10, DATA_VA + 0x1000, CAUSE_STORE_PAGE_FAULT, RO_VA, 1024 },
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct fx *f[2];
        fx_pair(f, code, sizeof code / sizeof code[0]);
        for (int e = 0; e < 2; e++) {
            for (uint32_t o = 0; o < 2 * PAGE_SIZE; o += 4)
                put32(f[e], DATA_VA + o, o * 2654435761u);
            for (uint32_t o = 0; o < PAGE_SIZE; o += 4)
                put32(f[e], RO_VA + o, ~o);
        }
        /* the turn the fault comes in, and the turns either side of the
         * page ends each address crosses on the way */
        uint64_t budgets[64];
        unsigned nb = 0;
        unsigned turns[] = { 1, 2, 63, 64, 65, 255, 256, 257, 511, 512, 513, 959, 960, 961,
                             cases[c].turns - 1, cases[c].turns, cases[c].turns + 1 };
        for (size_t t = 0; t < sizeof turns / sizeof turns[0]; t++)
            for (unsigned k = 0; k < 5 && nb < 64; k += 2)
                budgets[nb++] = 5ull * turns[t] + k;
        budgets[nb - 1] = 1000000;
        enum cpu_stop rc[2] = { CPU_STOP_LIMIT, CPU_STOP_LIMIT };
        for (unsigned b = 0; b < nb; b++) {
            for (int e = 0; e < 2; e++) {
                memset(f[e]->cpu.x, 0, sizeof f[e]->cpu.x);
                f[e]->cpu.instret = 0;
                f[e]->cpu.x[A1] = cases[c].src;
                f[e]->cpu.x[A2] = cases[c].dst;
                f[e]->cpu.x[A3] = HOLE_VA + 0x100;  /* never reached */
                rc[e] = run_from(f[e], CODE_VA, budgets[b]);
            }
            CHECK(rc[0] == rc[1] && f[0]->cpu.instret == f[1]->cpu.instret &&
                  f[0]->cpu.pc == f[1]->cpu.pc && !memcmp(f[0]->cpu.x, f[1]->cpu.x, sizeof f[0]->cpu.x),
                  "case %zu, budget %llu: rc %d/%d, instret %llu/%llu, pc 0x%x/0x%x, a1 0x%x/0x%x, "
                  "a2 0x%x/0x%x", c, (unsigned long long)budgets[b], (int)rc[0], (int)rc[1],
                  (unsigned long long)f[0]->cpu.instret, (unsigned long long)f[1]->cpu.instret,
                  f[0]->cpu.pc, f[1]->cpu.pc, f[0]->cpu.x[A1], f[1]->cpu.x[A1], f[0]->cpu.x[A2],
                  f[1]->cpu.x[A2]);
            for (uint32_t o = 0; o < 2 * PAGE_SIZE; o += 4)
                if (get32(f[0], DATA_VA + o) != get32(f[1], DATA_VA + o)) {
                    CHECK(0, "case %zu, budget %llu: the word at 0x%x differs", c,
                          (unsigned long long)budgets[b], DATA_VA + o);
                    break;
                }
        }
        /* the last budget ran to the fault */
        uint32_t at = cases[c].cause == CAUSE_LOAD_PAGE_FAULT ? CODE_VA : CODE_VA + 4;
        EXPECT_TRAP(f[0], rc[0], cases[c].cause, at, cases[c].tval);
        CU_ASSERT_EQUAL(f[0]->cpu.instret, 5ull * cases[c].turns + (at - CODE_VA) / 4);
#if JIT_AVAILABLE
        CU_ASSERT_EQUAL(jit_stats(f[0]->cpu.jit)->loop_tlb2, 1);
#endif
        for (int e = 0; e < 2; e++)
            fx_free(f[e]);
    }
}

/* A loop using more registers than the translator keeps in host
 * registers: a0-a5, used most, are kept; s2-s8 stay in struct cpu, and the
 * loop updates them in place (add s2, s2, a0 and the other ALU forms, with
 * registers and immediates small and large) and compares one with a kept
 * register (bne s8, a3), each a single instruction on memory.  The two
 * engines must agree at every stop, inside a turn and at the end. */
static void test_alu_on_memory_registers(void)
{
    static const uint32_t code[] = {
        ADD(A0, A0, A1), XOR(A2, A2, A0), ADD(S2, S2, A0), SUB(S3, S3, A1),
        XOR(S4, S4, A2), OR(S5, S5, A3), AND(S6, S6, A4), ADD(S7, A5, S7),
        ADDI(S2, S2, 3), XORI(S3, S3, 0x7f5), ADDI(S4, S4, -1000), ORI(S5, S5, 0x400),
        ANDI(S6, S6, -17), ADD(A0, A0, A4), ADD(A1, A1, A2), XOR(A1, A1, A5),
        ADD(A2, A2, A3), ADDI(A3, A3, 1), ADD(A4, A4, A3), XOR(A4, A4, A0),
        ADDI(A5, A5, 7), ADD(A5, A5, A1), BNE(S8, A3, -88), ECALL,
    };
    static const uint32_t init[][2] = {
        { A0, 0x12345678 }, { A1, 0x9abcdef1 }, { A2, 0x0f0f0f0f }, { A3, 0 },
        { A4, 0x31415926 }, { A5, 0x27182818 }, { S2, 5 }, { S3, 0xdeadbeef },
        { S4, 0x80000000 }, { S5, 0x11 }, { S6, 0xffffffff }, { S7, 0x7fffffff }, { S8, 1000 },
    };
    const unsigned n = sizeof code / sizeof code[0] - 1;    /* a turn */
    struct fx *f[2];
    fx_pair(f, code, sizeof code / sizeof code[0]);
    const uint64_t budgets[] = { 1, 3, 8, 9, 13, n - 1, n, n + 1, 2 * n + 5, 500 * n + 11,
                                 999 * n + 22, 1000 * n, 1000 * n + 1, 5000000 };
    enum cpu_stop rc[2] = { CPU_STOP_LIMIT, CPU_STOP_LIMIT };
    for (size_t b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
        for (int e = 0; e < 2; e++) {
            memset(f[e]->cpu.x, 0, sizeof f[e]->cpu.x);
            f[e]->cpu.instret = 0;
            for (size_t i = 0; i < sizeof init / sizeof init[0]; i++)
                f[e]->cpu.x[init[i][0]] = init[i][1];
            rc[e] = run_from(f[e], CODE_VA, budgets[b]);
        }
        CHECK(rc[0] == rc[1] && f[0]->cpu.instret == f[1]->cpu.instret &&
              f[0]->cpu.pc == f[1]->cpu.pc && !memcmp(f[0]->cpu.x, f[1]->cpu.x, sizeof f[0]->cpu.x),
              "budget %llu: rc %d/%d, instret %llu/%llu, pc 0x%x/0x%x, s2 0x%x/0x%x, s6 0x%x/0x%x",
              (unsigned long long)budgets[b], (int)rc[0], (int)rc[1],
              (unsigned long long)f[0]->cpu.instret, (unsigned long long)f[1]->cpu.instret,
              f[0]->cpu.pc, f[1]->cpu.pc, f[0]->cpu.x[S2], f[1]->cpu.x[S2], f[0]->cpu.x[S6],
              f[1]->cpu.x[S6]);
    }
    /* the last ran to the ecall after 1000 turns */
    CU_ASSERT_EQUAL(f[0]->cpu.instret, 1000ull * n);
    CU_ASSERT_EQUAL(f[0]->cpu.x[A3], 1000);
    CU_ASSERT_EQUAL(f[0]->cpu.pc, CODE_VA + 4 * n);
    /* and got what the same loop in C gets */
    uint32_t a0 = 0x12345678, a1 = 0x9abcdef1, a2 = 0x0f0f0f0f, a3 = 0, a4 = 0x31415926,
             a5 = 0x27182818, s2 = 5, s3 = 0xdeadbeef, s4 = 0x80000000, s5 = 0x11,
             s6 = 0xffffffff, s7 = 0x7fffffff;
    do {
        a0 += a1; a2 ^= a0; s2 += a0; s3 -= a1; s4 ^= a2; s5 |= a3; s6 &= a4; s7 += a5;
        s2 += 3; s3 ^= 0x7f5; s4 -= 1000; s5 |= 0x400; s6 &= (uint32_t)-17;
        a0 += a4; a1 += a2; a1 ^= a5; a2 += a3; a3++; a4 += a3; a4 ^= a0; a5 += 7; a5 += a1;
    } while (a3 != 1000);
    const uint32_t want[][2] = { { A0, a0 }, { A1, a1 }, { A2, a2 }, { A4, a4 }, { A5, a5 },
                                 { S2, s2 }, { S3, s3 }, { S4, s4 }, { S5, s5 }, { S6, s6 },
                                 { S7, s7 } };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        CHECK(f[0]->cpu.x[want[i][0]] == want[i][1], "x%u: 0x%x, want 0x%x", want[i][0],
              f[0]->cpu.x[want[i][0]], want[i][1]);
    for (int e = 0; e < 2; e++)
        fx_free(f[e]);
}

/* A loop that chases pointers between two data pages: lw a0, 0(a0) (the
 * address register is the one loaded), then a load and a store through
 * a0 that share one TLB check, round and round in place.  The string the
 * translator records must be the interpreter's, reference by reference,
 * with and without fetches. */
static void test_recording_chase_loop(void)
{
    static const uint32_t code[] = {
        LW(A0, 0, A0), LW(A1, 4, A0), SW(A1, 8, A0), ADDI(A2, A2, -1), BNE(A2, ZERO, -16), ECALL,
    };
    const uint32_t node0 = DATA_VA + 0x10, node1 = DATA_VA + PAGE_SIZE + 0x20;
    for (int fetches = 0; fetches < 2; fetches++) {
        struct fx *f[2];
        struct refrec *rec[2];
        struct recbuf buf[2] = { { 0 }, { 0 } };
        fx_pair(f, code, sizeof code / sizeof code[0]);
        for (int e = 0; e < 2; e++) {
            put32(f[e], node0, node1);
            put32(f[e], node1, node0);
            f[e]->cpu.x[A0] = node0;
            f[e]->cpu.x[A2] = 1000;
            rec[e] = malloc(sizeof *rec[e]);
            refrec_init(rec[e], fetches, recbuf_sink, &buf[e]);
            cpu_record(&f[e]->cpu, rec[e]);
        }
        enum cpu_stop rc = run_from(f[0], CODE_VA, 100000);
        EXPECT_ECALL_AT(f[0], rc, CODE_VA + 20);
        f[1]->cpu.pc = CODE_VA;
        while (f[1]->cpu.instret < f[0]->cpu.instret &&
               cpu_run(&f[1]->cpu, f[1]->cpu.instret + 1) == CPU_STOP_LIMIT)
            ;                                 /* the interpreter, one by one */
        for (int e = 0; e < 2; e++)
            refrec_finish(rec[e]);
        size_t i = 0;
        while (i < buf[0].n && i < buf[1].n && buf[0].k[i] == buf[1].k[i])
            i++;
        CHECK(buf[0].n == buf[1].n && i == buf[0].n,
              "%s: %zu and %zu references, first difference at %zu", fetches ? "fetches" : "data only",
              buf[0].n, buf[1].n, i);
        /* with fetches every access is "D C", 3 a round; without, the
         * same page again collapses: one new page a round */
        CHECK(buf[0].n >= (fetches ? 6000u : 1000u), "only %zu references", buf[0].n);
        CU_ASSERT_EQUAL(get32(f[0], node0 + 8), get32(f[1], node0 + 8));
        for (int e = 0; e < 2; e++) {
            free(buf[e].k);
            free(rec[e]);
            fx_free(f[e]);
        }
    }
}

/* A recording block of 63 stores and a branch fits its room too. */
static void test_jit_largest_block_recording(void)
{
    struct fx *f = fx_new();
    struct refrec *rec = malloc(sizeof *rec);
    struct recbuf rb = { 0 };
    refrec_init(rec, true, recbuf_sink, &rb);
    cpu_record(&f->cpu, rec);
    uint32_t at = put_largest_block(f);
    enum cpu_stop rc = run_from(f, CODE_VA, 1000);
    EXPECT_ECALL_AT(f, rc, at + 8);
    refrec_finish(rec);
#if JIT_AVAILABLE
    CU_ASSERT_EQUAL(jit_stats(f->cpu.jit)->blocks, 2);
#endif
    /* code, data, code, data, ...: every store is "C D" */
    CU_ASSERT_EQUAL(rb.n, 2 * (JIT_MAX_INSNS - 1) + 1);
    CU_ASSERT(rb.n > 2 && rb.k[0] == CODE_VA && rb.k[1] == (DATA_VA | REFREC_W));
    free(rb.k);
    free(rec);
    fx_free(f);
}

static int use_jit(void)
{
    fx_use_jit = true;
    return 0;
}

static int use_interp(void)
{
    fx_use_jit = false;
    return 0;
}

static void add_cpu_tests(CU_pSuite s)
{
    CU_add_test(s, "insn.def: every row has a vector", test_insn_def_coverage);
    CU_add_test(s, "decode: every row's match decodes to it", test_decode_rows);
    CU_add_test(s, "vectors: RV32I computational", test_vectors_alu);
    CU_add_test(s, "vectors: jumps and branches", test_vectors_ctl);
    CU_add_test(s, "vectors: loads and stores", test_vectors_mem);
    CU_add_test(s, "vectors: M", test_vectors_m);
    CU_add_test(s, "vectors: A", test_vectors_amo);
    CU_add_test(s, "vectors: system and Zicsr", test_vectors_sys);
    CU_add_test(s, "illegal 32-bit words trap", test_illegal_words);
    CU_add_test(s, "writes to x0 are discarded", test_x0_discarded);
    CU_add_test(s, "jal/jalr call and return", test_call_return);
    CU_add_test(s, "lr/sc sequences", test_lr_sc_sequences);
    CU_add_test(s, "rvc_expand: assembler pairs", test_rvc_expand);
    CU_add_test(s, "rvc_expand: reserved encodings give 0", test_rvc_reserved);
    CU_add_test(s, "reserved compressed encodings trap", test_illegal_compressed_trap);
    CU_add_test(s, "mixed compressed/32-bit run", test_rvc_mixed_run);
    CU_add_test(s, "compressed c.lw/c.sw/c.jalr run", test_rvc_more_run);
    CU_add_test(s, "ecall, ebreak, c.ebreak, illegal", test_ecall_ebreak);
    CU_add_test(s, "precise load fault and resume", test_precise_load_fault);
    CU_add_test(s, "store to a read-only page", test_store_fault_readonly);
    CU_add_test(s, "misaligned accesses near address 0", test_misaligned_near_null);
    CU_add_test(s, "fetch from a non-executable page", test_fetch_fault_nx);
    CU_add_test(s, "accesses crossing a page", test_cross_page_access);
    CU_add_test(s, "instruction straddling two pages", test_straddle);
    CU_add_test(s, "straddle into a missing/NX page", test_straddle_fault);
    CU_add_test(s, "falling through to the next page", test_page_fallthrough);
    CU_add_test(s, "self-modifying code: patch and jump back", test_smc_store_then_rerun);
    CU_add_test(s, "self-modifying code: next instruction", test_smc_next_instruction);
    CU_add_test(s, "self-modifying code: through an alias", test_smc_alias);
    CU_add_test(s, "AMO and SC on a decoded code page", test_amo_sc_on_code_page);
    CU_add_test(s, "cpu_drop_decoded and fence.i", test_drop_decoded);
    CU_add_test(s, "instret: straight line", test_instret_straight_line);
    CU_add_test(s, "limit stops j .", test_limit_tight_loop);
    CU_add_test(s, "limit: exact single steps", test_limit_exact_steps);
    CU_add_test(s, "limit and faults: exact in a loop block", test_limit_exact_loop);
    CU_add_test(s, "accesses through one base: page crossings, faults, code", test_access_groups);
    CU_add_test(s, "accesses through one base taking in another's: misses, faults, budgets",
                test_access_groups_taking_in);
    CU_add_test(s, "calls and returns across pages: the jump cache follows every change", test_jump_cache);
    CU_add_test(s, "limit: exact in straight-line code", test_limit_exact_straight);
    CU_add_test(s, "limit: exact across a code rewrite", test_limit_exact_smc);
    CU_add_test(s, "limit: exact inside fused pairs", test_limit_exact_fused);
    CU_add_test(s, "word accesses in a row: exact stops, faults, a rewrite", test_access_pairs);
    CU_add_test(s, "adds in a row: exact stops, the pair after a jump and after loads",
                test_alu_pairs);
    CU_add_test(s, "breakpoint on a page-aligned jump, resumed", test_breakpoint_resume);
    CU_add_test(s, "limit: resume in slices", test_limit_resume);
    CU_add_test(s, "rdcycle/rdinstret values", test_counters);
    CU_add_test(s, "rdtime increases", test_rdtime);
    CU_add_test(s, "disasm: text", test_disasm_text);
    CU_add_test(s, "disasm: AMO mnemonic spacing", test_disasm_amo_spacing);
    CU_add_test(s, "disasm: bounds", test_disasm_bounds);
}

void cpu_suite_add(void)
{
    CU_pSuite s = CU_add_suite("cpu", use_jit, use_interp);
    if (s) {
        add_cpu_tests(s);
        CU_add_test(s, "translator = interpreter on random programs", test_jit_vs_interp_random);
        CU_add_test(s, "translator = interpreter on random programs, three threads a program",
                    test_jit_vs_interp_threads);
        CU_add_test(s, "translator: code buffer resets", test_jit_buffer_resets);
        CU_add_test(s, "translator: the largest block fits", test_jit_largest_block);
        CU_add_test(s, "translator: the largest recording block fits", test_jit_largest_block_recording);
        CU_add_test(s, "translator: a loop with an if inside, exact stops and faults",
                    test_inner_branch_loop);
        CU_add_test(s, "recorded strings: a pointer-chasing loop, translator = interpreter",
                    test_recording_chase_loop);
        CU_add_test(s, "translator: a loop keeps its TLB entry only when its address steps",
                    test_loop_tlb_entry);
        CU_add_test(s, "translator: a copy loop keeps a TLB entry for each address, and faults exactly",
                    test_loop_two_tlb_entries);
        CU_add_test(s, "translator: ALU ops and compares on registers kept in memory, exact stops",
                    test_alu_on_memory_registers);
        CU_add_test(s, "recorded strings: translator = interpreter stepping, random programs",
                    test_recording_random);
    }
    s = CU_add_suite("cpu-interp", use_interp, use_jit);
    if (s)
        add_cpu_tests(s);
}
