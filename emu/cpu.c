/* emu/cpu.c — the interpreter: decode-once per code page, threaded dispatch;
 * and cpu_run, which gives the block translator (emu/jit.c) what it can
 * run and the interpreter the rest.
 *
 * Decoded instructions live per physical frame (struct dpage), one slot per
 * halfword.  The loop keeps a pointer d to the current slot and derives pc
 * from it (pc = page_va + 2 * slot index), so straight-line code costs one
 * dispatch per instruction: `goto *d->h`.  Every handler exists twice, for
 * a 2-byte and a 4-byte encoding, so the step to the next slot is a
 * constant: the chain from one instruction to the next holds no load.
 * Control leaves the page through a jump/branch to another page, or by
 * running into the sentinel slot past the end; both re-translate pc through
 * the MMU (an execute TLB lookup) and check the instruction budget.
 *
 * Stores to a frame with decoded instructions go through the MMU slow path,
 * which calls cpu_drop_decoded() first (self-modifying code works without
 * fence.i); the slots are reset in place, so d stays valid.  The same call
 * drops the frame's translated blocks.
 *
 * Recording (cpu_record, emu/refrec.h): the loads, stores and atomics of a
 * recording hart are decoded to handlers of their own (the *_rec labels,
 * from the h2r/h4r tables) that note the access once it has completed,
 * and with it the fetch of the next instruction when it runs from the
 * same page (the next slot is on this page: nothing can come between).
 * Every other fetch is noted where the loop enters a page (refetch) and
 * where an instruction straddles into the next page (decode_fresh).  A
 * hart that does not record decodes to the usual handlers and never
 * reaches that code.
 */
#include "emu/cpu.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

static void on_code_write(void *ctx, uint32_t frame)
{
    cpu_drop_decoded(ctx, frame);
}

int cpu_init(struct cpu *c, struct mmu *mmu, bool use_jit)
{
    memset(c, 0, sizeof *c);
    c->mmu = mmu;
    c->nframes = mmu->pm->nframes;
    c->dcache = calloc(c->nframes, sizeof *c->dcache);
    if (!c->dcache)
        return -ENOMEM;
    mmu->code_write = on_code_write;
    mmu->code_ctx = c;
    if (use_jit)
        c->jit = jit_create(c);
    return 0;
}

void cpu_record(struct cpu *c, struct refrec *rec)
{
    assert(c->dcache_hwm == 0 && "cpu_record: code was decoded before recording started");
    c->rec = rec;
    if (c->jit)
        jit_record(c->jit, rec);
}

void cpu_destroy(struct cpu *c)
{
    if (c->dcache)
        for (uint32_t i = 0; i < c->dcache_hwm; i++)
            free(c->dcache[i]);
    free(c->dcache);
    c->dcache = NULL;
    jit_destroy(c->jit);
    c->jit = NULL;
}

int cpu_bp_insert(struct cpu *c, uint32_t va)
{
    if (cpu_bp_at(c, va))
        return 0;
    if (c->nbp == CPU_MAX_BPS)
        return -ENOSPC;
    c->bp[c->nbp++] = va;
    return 0;
}

int cpu_bp_remove(struct cpu *c, uint32_t va)
{
    for (unsigned i = 0; i < c->nbp; i++)
        if (c->bp[i] == va) {
            c->bp[i] = c->bp[--c->nbp];
            return 0;
        }
    return -ENOENT;
}

/* Resuming from a breakpoint at pc: its instruction runs once. */
static inline bool bp_skipped(const struct cpu *c, uint32_t pc, uint64_t icount)
{
    return pc == c->bp_skip_pc && icount == c->bp_skip_instret;
}

/* Handler addresses for the slots that are not instructions; set by
 * cpu_run (labels exist only inside it) before any slot is made. */
static const void *label_decode, *label_page_end;

static void dpage_reset(struct dpage *dp)
{
    memset(dp, 0, sizeof *dp);
    for (unsigned i = 0; i < DPAGE_SLOTS; i++)
        dp->slot[i].h = label_decode;
    for (unsigned i = DPAGE_SLOTS; i < DPAGE_SLOTS + 2; i++) {
        dp->slot[i].h = label_page_end;
        dp->slot[i].op = OP_PAGE_END;
    }
}

void cpu_drop_decoded(struct cpu *c, uint32_t frame)
{
    if (frame >= c->nframes)
        return;
    bool had = false;
    if (c->dcache[frame]) {
        dpage_reset(c->dcache[frame]);
        had = true;
    }
    if (c->jit && jit_drop_frame(c->jit, frame))
        had = true;
    if (had)
        c->st.dcache_drops++;
    mmu_unmark_code_frame(c->mmu, frame);
}

void cpu_drop_decoded_all(struct cpu *c)
{
    for (uint32_t i = 0; i < c->dcache_hwm; i++)
        if (c->dcache[i])
            cpu_drop_decoded(c, i);
    if (c->jit)
        jit_drop_all(c->jit);
}

bool cpu_read_counter(const struct cpu *c, uint32_t csr, uint64_t instret, uint32_t *val)
{
    (void)c;
    uint64_t v;
    switch (csr & 0xf7f) {              /* 0xc0N and 0xc8N share the low bits */
    case 0xc00:                         /* cycle: one instruction per cycle */
    case 0xc02:                         /* instret */
        v = instret;
        break;
    case 0xc01: {                       /* time: a 10 MHz timebase, like qemu's virt board */
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        v = (uint64_t)ts.tv_sec * 10000000u + (uint64_t)ts.tv_nsec / 100;
        break;
    }
    default:
        return false;
    }
    if ((csr & 0xff0) != 0xc00 && (csr & 0xff0) != 0xc80)
        return false;
    *val = (csr & 0x080) ? (uint32_t)(v >> 32) : (uint32_t)v;
    return true;
}

/* Decode the instruction at pc into d, reading its bytes from the host
 * page hpage and, for a 32-bit instruction in the last halfword, its upper
 * half through the MMU (an execute check on the next page).  Returns false
 * on a fetch fault (c->mmu->fault set). */
static bool decode_fresh(struct cpu *c, const uint8_t *hpage, uint32_t pc, struct dinsn *d)
{
    uint32_t off = VA_OFFSET(pc);
    if (insn_decode_bytes(hpage + off, PAGE_SIZE - off, d))
        return true;
    /* a 32-bit instruction in the last halfword: its upper half is on the
     * next page, fetched (and permission-checked) through the MMU */
    uint32_t f2;
    uint8_t *h2 = mmu_fetch_page(c->mmu, pc + 2, &f2);
    if (!h2)
        return false;
    if (c->rec)
        refrec_fetch(c->rec, PAGE_DOWN(pc + 2));
    uint8_t b[4] = { hpage[off], hpage[off + 1], h2[0], h2[1] };
    c->st.straddles++;
    insn_decode_bytes(b, 4, d);
    return true;
}

static void slot_fill(struct dslot *s, const struct dinsn *di,
                      const void *const *h2, const void *const *h4)
{
    s->h = (di->len == 2 ? h2 : h4)[di->op];
    s->imm = di->imm;
    s->rd = di->rd;
    s->rs1 = di->rs1;
    s->rs2 = di->rs2;
    s->op = di->op;
}

/* The scratch page: one freshly decoded instruction followed by sentinels,
 * for page-straddling instructions and exact single steps. */
static struct dslot *scratch_page(struct cpu *c)
{
    struct dslot *x = c->xpage.slot;
    memset(&x[1], 0, 2 * sizeof *x);
    x[1].h = x[2].h = label_page_end;
    x[1].op = x[2].op = OP_PAGE_END;
    return x;
}

static enum cpu_stop interp_run(struct cpu *c, uint64_t limit)
{
    /* Handler tables: one entry per opcode for each encoding length. */
#define X(name, fmt, match, mask, flags) [OP_##name] = &&op_##name##_2,
    static const void *const h2[OP_COUNT] = {
        [OP_DECODE] = &&do_decode, [OP_PAGE_END] = &&do_page_end, [OP_ILLEGAL] = &&do_illegal,
        INSN_LIST(X)
    };
#undef X
#define X(name, fmt, match, mask, flags) [OP_##name] = &&op_##name##_4,
    static const void *const h4[OP_COUNT] = {
        [OP_DECODE] = &&do_decode, [OP_PAGE_END] = &&do_page_end, [OP_ILLEGAL] = &&do_illegal,
        INSN_LIST(X)
    };
#undef X
    label_decode = &&do_decode;
    label_page_end = &&do_page_end;
    /* A recording hart's tables: the same, but for the memory handlers. */
    static const void *h2r[OP_COUNT], *h4r[OP_COUNT];
    static bool rec_tables;
    if (unlikely(c->rec && !rec_tables)) {
        memcpy(h2r, h2, sizeof h2);
        memcpy(h4r, h4, sizeof h4);
#define R(name) h2r[OP_##name] = &&op_##name##_rec_2, h4r[OP_##name] = &&op_##name##_rec_4;
        R(lb) R(lh) R(lw) R(lbu) R(lhu) R(sb) R(sh) R(sw) R(lr_w) R(sc_w)
        R(amoswap_w) R(amoadd_w) R(amoxor_w) R(amoand_w) R(amoor_w)
        R(amomin_w) R(amomax_w) R(amominu_w) R(amomaxu_w)
#undef R
        rec_tables = true;
    }
    struct refrec *const rec = c->rec;
    const void *const *const t2 = rec ? h2r : h2;
    const void *const *const t4 = rec ? h4r : h4;

    struct mmu *const mmu = c->mmu;
    uint32_t *const x = c->x;
    uint64_t icount = c->instret;
    uint32_t pc = c->pc;          /* valid at refetch only; elsewhere use PC() */
    uint32_t page_va = 0;         /* va of the executing page (or the scratch pc) */
    uint32_t frame = 0;
    uint8_t *hpage = NULL;        /* host bytes of that page */
    struct dslot *base = NULL, *d = NULL;
    struct dinsn di;
    uint32_t a, v;

#define PC()       (page_va + ((uint32_t)(d - base) << 1))
#define DISPATCH() goto *d->h
#define NEXT()     do { icount++; d += L / 2; DISPATCH(); } while (0)
#define JUMP(target) do {                                                  \
        uint32_t t_ = (target);                                            \
        icount++;                                                          \
        if (likely(PAGE_DOWN(t_) == page_va && icount < limit &&           \
                   base != c->xpage.slot)) {                               \
            d = base + (VA_OFFSET(t_) >> 1);                               \
            DISPATCH();                                                    \
        }                                                                  \
        pc = t_;                                                           \
        goto refetch;                                                      \
    } while (0)
#define TRAP(cause_, tval_) do {                                           \
        c->pc = PC(); c->trap.cause = (cause_); c->trap.tval = (tval_);    \
        goto stop_trap;                                                    \
    } while (0)
#define MEMFAULT() TRAP(mmu->fault.cause, mmu->fault.addr)
#define RS1 x[d->rs1]
#define RS2 x[d->rs2]
#define RD  x[d->rd]
#define SRS1 ((int32_t)x[d->rs1])
#define SRS2 ((int32_t)x[d->rs2])
    /* Each handler twice: L is the encoding's length in bytes. */
#define HANDLER(name, ...)                                                 \
    op_##name##_2: { enum { L = 2 }; __VA_ARGS__; }                        \
    op_##name##_4: { enum { L = 4 }; __VA_ARGS__; }

refetch:
    if (unlikely(icount >= limit)) {
        c->pc = pc;
        c->instret = icount;
        return CPU_STOP_LIMIT;
    }
    if (unlikely(pc & 1)) {       /* only reachable if the kernel set an odd pc */
        c->pc = pc;
        c->trap.cause = CAUSE_MISALIGNED_FETCH;
        c->trap.tval = pc;
        goto stop_trap;
    }
    hpage = mmu_fetch_page(mmu, pc, &frame);
    if (unlikely(!hpage)) {
        c->pc = pc;
        c->trap.cause = mmu->fault.cause;
        c->trap.tval = mmu->fault.addr;
        goto stop_trap;
    }
    if (unlikely(rec))
        refrec_fetch_fast(rec, PAGE_DOWN(pc));
    if (unlikely(!c->dcache[frame])) {
        c->dcache[frame] = malloc(sizeof(struct dpage));
        if (!c->dcache[frame]) {
            c->pc = pc;
            c->instret = icount;
            return CPU_STOP_NOMEM;
        }
        dpage_reset(c->dcache[frame]);
        if (frame >= c->dcache_hwm)
            c->dcache_hwm = frame + 1;
    }
    if (unlikely(limit - icount < CPU_EXACT_STEPS)) {
        /* Near the budget: run one instruction at a time so the count is
         * exact (single-stepping). */
        if (unlikely(c->nbp) && cpu_bp_at(c, pc) && !bp_skipped(c, pc, icount)) {
            c->pc = pc;
            c->instret = icount;
            return CPU_STOP_BREAK;
        }
        base = scratch_page(c);
        if (!decode_fresh(c, hpage, pc, &di)) {
            c->pc = pc;
            c->trap.cause = mmu->fault.cause;
            c->trap.tval = mmu->fault.addr;
            goto stop_trap;
        }
        slot_fill(base, &di, t2, t4);
        page_va = pc;
        d = base;
        DISPATCH();
    }
    page_va = PAGE_DOWN(pc);
    base = c->dcache[frame]->slot;
    d = base + (VA_OFFSET(pc) >> 1);
    DISPATCH();

do_page_end:
    pc = PC();
    goto refetch;

do_decode: {
    uint32_t pc_here = PC();
    if (unlikely(c->nbp) && cpu_bp_at(c, pc_here)) {
        d->h = &&do_break;                    /* the slot stops, until dropped */
        goto do_break;
    }
    if (unlikely(VA_OFFSET(pc_here) == PAGE_SIZE - 2 && insn_length(
            (uint16_t)(hpage[PAGE_SIZE - 2] | hpage[PAGE_SIZE - 1] << 8)) == 4)) {
        /* Straddles two pages: run it from the scratch page, decoded afresh
         * each time, so nothing cached depends on the second page. */
        if (!decode_fresh(c, hpage, pc_here, &di))
            MEMFAULT();
        base = d = scratch_page(c);
        slot_fill(d, &di, t2, t4);
        page_va = pc_here;
        DISPATCH();
    }
    decode_fresh(c, hpage, pc_here, &di);     /* within the page: cannot fault */
    slot_fill(d, &di, t2, t4);
    c->st.decoded++;
    if (unlikely(!mmu->code_frames[frame]))
        mmu_mark_code_frame(mmu, frame);
    DISPATCH();
}

do_break: {
    /* A breakpoint: stop before the instruction, unless resuming from it;
     * then run it once from the scratch page (the slot keeps stopping). */
    uint32_t pc_here = PC();
    if (!bp_skipped(c, pc_here, icount)) {
        c->pc = pc_here;
        c->instret = icount;
        return CPU_STOP_BREAK;
    }
    if (!decode_fresh(c, hpage, pc_here, &di))
        MEMFAULT();
    base = d = scratch_page(c);
    slot_fill(d, &di, h2, h4);
    page_va = pc_here;
    DISPATCH();
}

do_illegal:
    TRAP(CAUSE_ILLEGAL_INSN, 0);

    /* --- RV32I ----------------------------------------------------------- */
HANDLER(lui,   RD = (uint32_t)d->imm; NEXT())
HANDLER(auipc, RD = PC() + (uint32_t)d->imm; NEXT())
HANDLER(jal,   a = PC() + (uint32_t)d->imm; RD = PC() + L; JUMP(a))
HANDLER(jalr,  a = (RS1 + (uint32_t)d->imm) & ~1u; RD = PC() + L; JUMP(a))
HANDLER(beq,   if (RS1 == RS2) JUMP(PC() + (uint32_t)d->imm); NEXT())
HANDLER(bne,   if (RS1 != RS2) JUMP(PC() + (uint32_t)d->imm); NEXT())
HANDLER(blt,   if (SRS1 < SRS2) JUMP(PC() + (uint32_t)d->imm); NEXT())
HANDLER(bge,   if (SRS1 >= SRS2) JUMP(PC() + (uint32_t)d->imm); NEXT())
HANDLER(bltu,  if (RS1 < RS2) JUMP(PC() + (uint32_t)d->imm); NEXT())
HANDLER(bgeu,  if (RS1 >= RS2) JUMP(PC() + (uint32_t)d->imm); NEXT())

    /* Loads and stores: the TLB hit is inline; the value never goes
     * through memory (by-value slow paths). */
#define LOAD(bits, conv) do {                                              \
        uint64_t r_ = mmu_load##bits(mmu, RS1 + (uint32_t)d->imm);         \
        if (unlikely(r_ & MMU_LOAD_FAULT))                                 \
            MEMFAULT();                                                    \
        RD = (uint32_t)conv(r_);                                           \
        NEXT();                                                            \
    } while (0)
#define STORE(bits) do {                                                   \
        if (unlikely(!mmu_store##bits(mmu, RS1 + (uint32_t)d->imm,         \
                                      (uint##bits##_t)RS2)))               \
            MEMFAULT();                                                    \
        NEXT();                                                            \
    } while (0)
HANDLER(lb,  LOAD(8, (int8_t)))
HANDLER(lh,  LOAD(16, (int16_t)))
HANDLER(lw,  LOAD(32, (uint32_t)))
HANDLER(lbu, LOAD(8, (uint8_t)))
HANDLER(lhu, LOAD(16, (uint16_t)))
HANDLER(sb,  STORE(8))
HANDLER(sh,  STORE(16))
HANDLER(sw,  STORE(32))
#undef LOAD
#undef STORE

    /* The recording variants: the access, then the note of it (and of the
     * next fetch, when the next slot is on this page). */
#define REC_THEN() (d + L / 2 < base + DPAGE_SLOTS && base != c->xpage.slot ? page_va : REFREC_NONE)
#define REC(va_, bytes_, store_) refrec_data_fast(rec, (va_), (bytes_), (store_), REC_THEN())
#define LOAD_REC(bits, conv) do {                                          \
        a = RS1 + (uint32_t)d->imm;                                        \
        uint64_t r_ = mmu_load##bits(mmu, a);                              \
        if (unlikely(r_ & MMU_LOAD_FAULT))                                 \
            MEMFAULT();                                                    \
        RD = (uint32_t)conv(r_);                                           \
        REC(a, (bits) / 8, false);                                         \
        NEXT();                                                            \
    } while (0)
#define STORE_REC(bits) do {                                               \
        a = RS1 + (uint32_t)d->imm;                                        \
        if (unlikely(!mmu_store##bits(mmu, a, (uint##bits##_t)RS2)))       \
            MEMFAULT();                                                    \
        REC(a, (bits) / 8, true);                                          \
        NEXT();                                                            \
    } while (0)
HANDLER(lb_rec,  LOAD_REC(8, (int8_t)))
HANDLER(lh_rec,  LOAD_REC(16, (int16_t)))
HANDLER(lw_rec,  LOAD_REC(32, (uint32_t)))
HANDLER(lbu_rec, LOAD_REC(8, (uint8_t)))
HANDLER(lhu_rec, LOAD_REC(16, (uint16_t)))
HANDLER(sb_rec,  STORE_REC(8))
HANDLER(sh_rec,  STORE_REC(16))
HANDLER(sw_rec,  STORE_REC(32))
#undef LOAD_REC
#undef STORE_REC

HANDLER(addi,  RD = RS1 + (uint32_t)d->imm; NEXT())
HANDLER(slti,  RD = SRS1 < d->imm; NEXT())
HANDLER(sltiu, RD = RS1 < (uint32_t)d->imm; NEXT())
HANDLER(xori,  RD = RS1 ^ (uint32_t)d->imm; NEXT())
HANDLER(ori,   RD = RS1 | (uint32_t)d->imm; NEXT())
HANDLER(andi,  RD = RS1 & (uint32_t)d->imm; NEXT())
HANDLER(slli,  RD = RS1 << d->imm; NEXT())
HANDLER(srli,  RD = RS1 >> d->imm; NEXT())
HANDLER(srai,  RD = (uint32_t)(SRS1 >> d->imm); NEXT())
HANDLER(add,   RD = RS1 + RS2; NEXT())
HANDLER(sub,   RD = RS1 - RS2; NEXT())
HANDLER(sll,   RD = RS1 << (RS2 & 31); NEXT())
HANDLER(slt,   RD = SRS1 < SRS2; NEXT())
HANDLER(sltu,  RD = RS1 < RS2; NEXT())
HANDLER(xor,   RD = RS1 ^ RS2; NEXT())
HANDLER(srl,   RD = RS1 >> (RS2 & 31); NEXT())
HANDLER(sra,   RD = (uint32_t)(SRS1 >> (RS2 & 31)); NEXT())
HANDLER(or,    RD = RS1 | RS2; NEXT())
HANDLER(and,   RD = RS1 & RS2; NEXT())
HANDLER(fence, NEXT())                              /* one hart, in-order memory */
HANDLER(ecall, TRAP(CAUSE_ECALL_U, 0))
HANDLER(ebreak, TRAP(CAUSE_BREAKPOINT, PC()))

    /* --- Zifencei: drop every decoded instruction (slots reset in place) -- */
HANDLER(fence_i, cpu_drop_decoded_all(c); NEXT())

    /* --- Zicsr: the counters are read-only; any write is illegal ---------- */
#define CSR_READ                                                           \
    if (d->rs1 != 0 || !cpu_read_counter(c, (uint32_t)d->imm, icount, &v)) \
        goto do_illegal;                                                   \
    RD = v; NEXT()
HANDLER(csrrs, CSR_READ)                           /* rs1 field: register or uimm */
HANDLER(csrrc, CSR_READ)
HANDLER(csrrsi, CSR_READ)
HANDLER(csrrci, CSR_READ)
HANDLER(csrrw, goto do_illegal)
HANDLER(csrrwi, goto do_illegal)
#undef CSR_READ

    /* --- M: RISC-V division never traps (spec table 7.1) ---------------- */
HANDLER(mul,    RD = RS1 * RS2; NEXT())
HANDLER(mulh,   RD = (uint32_t)((int64_t)SRS1 * (int64_t)SRS2 >> 32); NEXT())
HANDLER(mulhsu, RD = (uint32_t)((int64_t)SRS1 * (int64_t)(uint64_t)RS2 >> 32); NEXT())
HANDLER(mulhu,  RD = (uint32_t)((uint64_t)RS1 * (uint64_t)RS2 >> 32); NEXT())
HANDLER(div,  RD = rv_div(RS1, RS2); NEXT())
HANDLER(divu, RD = rv_divu(RS1, RS2); NEXT())
HANDLER(rem,  RD = rv_rem(RS1, RS2); NEXT())
HANDLER(remu, RD = rv_remu(RS1, RS2); NEXT())

    /* --- A: one hart, so every AMO is trivially atomic ------------------- */
#define LR_W(then_)                                                        \
    a = RS1;                                                               \
    if (a & 3)                                                             \
        TRAP(CAUSE_MISALIGNED_LOAD, a);                                    \
    uint64_t r_ = mmu_load32(mmu, a);                                      \
    if (unlikely(r_ & MMU_LOAD_FAULT))                                     \
        MEMFAULT();                                                        \
    RD = (uint32_t)r_;                                                     \
    c->resv_valid = true;                                                  \
    c->resv_addr = a;                                                      \
    then_;                                                                 \
    NEXT()
HANDLER(lr_w, LR_W((void)0))
HANDLER(lr_w_rec, LR_W(REC(a, 4, false)))
#undef LR_W
    /* SC and AMOs read their operands before the store: a store into a
     * page of decoded code resets its slots, this one included. */
#define SC_W(then_)                                                        \
    a = RS1;                                                               \
    uint8_t rd_ = d->rd;                                                   \
    if (a & 3)                                                             \
        TRAP(CAUSE_MISALIGNED_STORE, a);                                   \
    if (c->resv_valid && c->resv_addr == a) {                              \
        if (unlikely(!mmu_store32(mmu, a, RS2)))                           \
            MEMFAULT();                                                    \
        x[rd_] = 0;                                                        \
        then_;                                                             \
    } else {                                                               \
        x[rd_] = 1;                                                        \
    }                                                                      \
    c->resv_valid = false;                                                 \
    NEXT()
HANDLER(sc_w, SC_W((void)0))
HANDLER(sc_w_rec, SC_W(REC(a, 4, true)))            /* a failed SC accesses nothing */
#undef SC_W

#define AMO_THEN(expr, then_)                                              \
    a = RS1;                                                               \
    uint8_t rd_ = d->rd;                                                   \
    uint32_t old, src = RS2, res;                                          \
    if (a & 3)                                                             \
        TRAP(CAUSE_MISALIGNED_STORE, a);                                   \
    uint8_t *p_ = mmu_store_ptr(mmu, a);                                   \
    if (unlikely(!p_))                                                     \
        MEMFAULT();                                                        \
    memcpy(&old, p_, 4);                                                   \
    res = (expr);                                                          \
    memcpy(p_, &res, 4);                                                   \
    x[rd_] = old;                                                          \
    then_;                                                                 \
    NEXT()
#define AMO(expr) AMO_THEN(expr, (void)0)
#define AMO_REC(expr) AMO_THEN(expr, REC(a, 4, true))
HANDLER(amoswap_w, AMO(src))
HANDLER(amoadd_w,  AMO(old + src))
HANDLER(amoxor_w,  AMO(old ^ src))
HANDLER(amoand_w,  AMO(old & src))
HANDLER(amoor_w,   AMO(old | src))
HANDLER(amomin_w,  AMO((int32_t)old < (int32_t)src ? old : src))
HANDLER(amomax_w,  AMO((int32_t)old > (int32_t)src ? old : src))
HANDLER(amominu_w, AMO(old < src ? old : src))
HANDLER(amomaxu_w, AMO(old > src ? old : src))
HANDLER(amoswap_w_rec, AMO_REC(src))
HANDLER(amoadd_w_rec,  AMO_REC(old + src))
HANDLER(amoxor_w_rec,  AMO_REC(old ^ src))
HANDLER(amoand_w_rec,  AMO_REC(old & src))
HANDLER(amoor_w_rec,   AMO_REC(old | src))
HANDLER(amomin_w_rec,  AMO_REC((int32_t)old < (int32_t)src ? old : src))
HANDLER(amomax_w_rec,  AMO_REC((int32_t)old > (int32_t)src ? old : src))
HANDLER(amominu_w_rec, AMO_REC(old < src ? old : src))
HANDLER(amomaxu_w_rec, AMO_REC(old > src ? old : src))
#undef AMO
#undef AMO_REC
#undef AMO_THEN
#undef REC
#undef REC_THEN

stop_trap:
    c->instret = icount;
    return CPU_STOP_TRAP;
}

enum cpu_stop cpu_run(struct cpu *c, uint64_t limit)
{
    while (c->jit && c->instret < limit) {
        bool step;
        if (jit_run(c->jit, limit, &step) == JIT_STOP_TRAP)
            return CPU_STOP_TRAP;
        if (!step)
            break;                    /* near the limit: the interpreter ends it */
        enum cpu_stop s = interp_run(c, c->instret + 1);
        if (s != CPU_STOP_LIMIT)
            return s;
    }
    return interp_run(c, limit);
}

enum cpu_stop cpu_finish_watched(struct cpu *c)
{
    c->mmu->watch_off = true;                /* the access the MMU held back, now */
    enum cpu_stop s = interp_run(c, c->instret + 1);
    c->mmu->watch_off = false;
    return s == CPU_STOP_LIMIT ? CPU_STOP_WATCH : s;
}
