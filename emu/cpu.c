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
 * the MMU (an execute TLB lookup) and check the instruction budget.  A
 * jump or branch whose target is on its own page knows so when decoded
 * (page offsets do not depend on the mapping): its slot holds the distance
 * to the target's slot, and taking it is one add to d (slot_fill).
 *
 * Exact stops without a count in the hot path.  Straight-line code is not
 * counted against the limit as it runs, so the loop makes sure no run can
 * pass it: a run from slot i ends within DPAGE_SLOTS - i instructions (at
 * a jump, or at the sentinel past the page).  A jump stays in its page
 * only while more than DPAGE_SLOTS instructions remain; otherwise
 * it goes through refetch, which checks the budget b left: if a run from
 * here could pass it (b < DPAGE_SLOTS - i), two slots at i + b and
 * i + b + 1 become page-end sentinels for this run (stop_plant).  A run
 * steps one or two slots per instruction, so it meets one of them within b
 * instructions, and refetch then removes them and looks again.  Stores
 * that reset the page re-plant them (cpu_drop_decoded).
 *
 * Fused pairs: an add or addi followed by a conditional branch to its own
 * page runs as one handler from the first one's slot (fuse_pair), which
 * reads the branch's operands from the next slot; a jump to the branch runs
 * it alone.  A pair steps over its branch's slot, so a pair whose branch
 * slot becomes a stop sentinel runs unfused until the stop is removed
 * (stop_plant), and a pair is never made with a sentinel.  A load or store
 * followed by a two-address add or addi is fused the same way
 * (fuse_access): the access traps before the add runs, and a store that
 * takes the slow path (which may reset this page) dispatches to the next
 * slot instead of running the add; and so are two word accesses in a row
 * (lw or sw, then lw or sw: a prologue's saves, an epilogue's restores).
 *
 * Stores to a frame with decoded instructions go through the MMU slow path,
 * which calls cpu_drop_decoded() first (self-modifying code works without
 * fence.i); the slots are reset in place, so d stays valid.  The same call
 * drops the frame's translated blocks.
 *
 * Recording (cpu_record, emu/refrec.h): the loop is compiled twice from
 * emu/interp.inc, and a recording hart runs the copy that notes every
 * access and every page it enters (interp_run_rec); a hart that does not
 * record runs the other, which has none of it.
 */
#include "emu/cpu.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <time.h>

/* Fused pairs: an add or addi (the kinds below) followed by a conditional
 * branch to its own page run as one handler, from the first one's slot
 * (fuse_pair). */
enum fuse_a { FZA_rr_addi, FZA_rr_add, FZA_addi, FZA_add, FUSE_NA };
#define FUSE_NB (OP_bgeu - OP_beq + 1)            /* beq bne blt bge bltu bgeu */
/* And a load or store followed by a two-address add or addi. */
enum fuse_m { FZM_lw, FZM_lbu, FZM_sw, FZM_sb, FUSE_NM };
/* And two word accesses in a row (the saves and restores of a prologue and
 * an epilogue): [first][second], each FZM_lw or FZM_sw. */
#define FUSE_NP 2
#define FZP_KIND(op) ((op) == OP_lw ? 0 : (op) == OP_sw ? 1 : -1)
/* And an add or addi followed by a two-address add or addi (a loop's
 * steps: p += 4; q += 512): [first kind][rr_addi/rr_add]. */

/* The loop's handler addresses, by encoding length (index 0: 2 bytes,
 * 1: 4 bytes).  near[] holds, for the jumps and branches, the handlers
 * used when the target is on the same page; near_j those of a jal that
 * links nothing (j).  rr[] holds two-address forms of ALU instructions,
 * for rd == rs1 (every compressed one but c.mv and c.li), and mv / li
 * those of add and addi from x0: they load one register number fewer. */
struct htab {
    const void *const *op[2];
    const void *const *near[2];
    const void *near_j[2];
    const void *const *rr[2];
    const void *mv[2], *li[2];
    const void *const (*fused)[2][FUSE_NA][FUSE_NB];   /* [la][lb][A kind][branch] */
    const void *const (*fused_m)[2][FUSE_NM][2];       /* [la][lb][access][rr_addi/rr_add] */
    const void *const (*fused_p)[2][FUSE_NP][FUSE_NP]; /* [la][lb][lw/sw][lw/sw] */
    const void *const (*fused_r)[2][FUSE_NA][2];       /* [la][lb][A kind][rr_addi/rr_add] */
};

static void on_code_write(void *ctx, uint32_t frame)
{
    cpu_drop_decoded(ctx, frame);
}

int cpu_init(struct cpu *c, struct mmu *mmu, bool use_jit, struct hostmem *hm)
{
    memset(c, 0, sizeof *c);
    c->mmu = mmu;
    c->hm = hm;
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
            hostmem_free(c->hm, HOSTMEM_DECODED, c->dcache[i], sizeof(struct dpage));
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

/* A function with no branch worth a fuzzer's coverage, run often: a
 * libFuzzer build leaves out the hooks on its compares (in fuzz_cpu,
 * fence.i's resets were two thirds of the time, nearly all in the hooks
 * on dpage_reset's loop).  Only clang fuzzes; nothing in other builds. */
#if defined(__clang__)
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

/* The handler addresses of the slots that are not instructions are the
 * loop's own (labels exist only inside it), set in c by the loop before
 * it makes any slot. */
NO_COVERAGE static void dpage_reset(const struct cpu *c, struct dpage *dp)
{
    memset(dp, 0, sizeof *dp);
    for (unsigned i = 0; i < DPAGE_SLOTS; i++)
        dp->slot[i].h = c->label_decode;
    for (unsigned i = DPAGE_SLOTS; i < DPAGE_SLOTS + 2; i++) {
        dp->slot[i].h = c->label_page_end;
        dp->slot[i].op = OP_PAGE_END;
    }
}

/* Is h one of the n handlers from tab on? */
static bool in_table(const void *const *tab, size_t n, const void *h)
{
    for (size_t i = 0; i < n; i++)
        if (tab[i] == h)
            return true;
    return false;
}

/* A slot running a fused pair (its op has DSLOT_FUSED): the plain handler
 * of its first instruction, which every slot may hold instead.  Each
 * table of fused handlers is searched as one array ([la] first). */
static const void *slot_unfused(const struct cpu *c, const struct dslot *s)
{
    const struct htab *ht = c->ht;
    const struct { const void *const *tab; size_t n; } tabs[] = {
        { &ht->fused[0][0][0][0], sizeof *ht->fused / sizeof(void *) },
        { &ht->fused_m[0][0][0][0], sizeof *ht->fused_m / sizeof(void *) },
        { &ht->fused_p[0][0][0][0], sizeof *ht->fused_p / sizeof(void *) },
        { &ht->fused_r[0][0][0][0], sizeof *ht->fused_r / sizeof(void *) },
    };
    for (size_t t = 0; t < sizeof tabs / sizeof tabs[0]; t++)
        for (unsigned la = 0; la < 2; la++)
            if (in_table(tabs[t].tab + la * tabs[t].n, tabs[t].n, s->h))
                return ht->op[la][s->op & DSLOT_OP];
    assert(!"slot_unfused: not a fused handler");
    return c->label_decode;                   /* decoding it again is always right */
}

/* Make s[0] and s[1] page-end sentinels, keeping what they held.  A fused
 * pair runs its second instruction without dispatching to its slot, so a
 * pair whose second slot is one of them (it starts at s - 2 or s - 1, on
 * the same page: base is its first slot) runs unfused meanwhile. */
static __attribute__((noinline)) void stop_plant(struct cpu *c, struct dslot *base, struct dslot *s)
{
    c->stop_saved[0] = s[0];
    c->stop_saved[1] = s[1];
    for (int i = 0; i < 2; i++) {
        s[i].h = c->label_page_end;
        s[i].op = OP_PAGE_END;
    }
    c->stop_at = s;
    for (int i = 0; i < 2; i++) {
        struct dslot *f = s - 2 + i;
        c->stop_unfused[i] = NULL;
        if (f >= base && (f->op & DSLOT_FUSED)) {
            c->stop_unfused[i] = f;
            c->stop_fused_h[i] = f->h;
            f->h = slot_unfused(c, f);
        }
    }
}

static __attribute__((noinline)) void stop_remove_slow(struct cpu *c)
{
    struct dslot *s = c->stop_at;
    s[0] = c->stop_saved[0];
    s[1] = c->stop_saved[1];
    for (int i = 0; i < 2; i++)
        if (c->stop_unfused[i])
            c->stop_unfused[i]->h = c->stop_fused_h[i];
    c->stop_at = NULL;
}

static inline void stop_remove(struct cpu *c)
{
    if (unlikely(c->stop_at))
        stop_remove_slow(c);
}

void cpu_drop_decoded(struct cpu *c, uint32_t frame)
{
    if (frame >= c->nframes)
        return;
    bool had = false;
    struct dpage *dp = c->dcache[frame];
    if (dp) {
        struct dslot *s = c->stop_at;
        dpage_reset(c, dp);
        if (s >= dp->slot && s < dp->slot + DPAGE_SLOTS + 2)
            stop_plant(c, dp->slot, s);         /* the reset removed them: again */
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

/* Free every decoded page (their frames' translated blocks go too). */
static void dcache_free_all(struct cpu *c)
{
    for (uint32_t f = 0; f < c->dcache_hwm; f++) {
        if (!c->dcache[f])
            continue;
        cpu_drop_decoded(c, f);
        hostmem_free(c->hm, HOSTMEM_DECODED, c->dcache[f], sizeof(struct dpage));
        c->dcache[f] = NULL;
    }
    c->st.dcache_flushes++;
}

/* A decode page for a frame, within the host memory budget: when none can
 * be had (the cap refuses, or the host has none), every decoded page is
 * freed and it is tried once more; NULL when that fails too.  Only at
 * refetch (no slot of any page is in use then, and no stop is planted). */
static __attribute__((noinline)) struct dpage *dpage_new(struct cpu *c)
{
    struct dpage *dp = hostmem_alloc(c->hm, HOSTMEM_DECODED, sizeof *dp);
    if (!dp) {                            /* the cap, or the host: make room */
        dcache_free_all(c);
        dp = hostmem_alloc(c->hm, HOSTMEM_DECODED, sizeof *dp);
    }
    if (dp)
        dpage_reset(c, dp);
    return dp;
}

bool cpu_read_counter(const struct cpu *c, uint32_t csr, uint64_t instret, uint32_t *val)
{
    uint64_t v;
    switch (csr & 0xf7f) {              /* 0xc0N and 0xc8N share the low bits */
    case 0xc00:                         /* cycle: one instruction per cycle */
    case 0xc02:                         /* instret */
        v = instret;
        break;
    case 0xc01: {                       /* time: a 10 MHz timebase, like qemu's virt board */
        if (c->time_is_instret) {
            v = instret;
            break;
        }
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
        refrec_fetch(c->rec, PAGE_DOWN(pc + 2));    /* its upper half's page */
    uint8_t b[4] = { hpage[off], hpage[off + 1], h2[0], h2[1] };
    c->st.straddles++;
    insn_decode_bytes(b, 4, d);
    return true;
}


/* Fill slot s from di.  With near (the scratch page passes false: its
 * slot is not in the page), a jump whose target is on the same page gets
 * its near handler, and imm becomes the byte distance from s to the
 * target's slot, so a taken jump adds it to the slot pointer instead of
 * computing pc.  Whether a target is on the page does not depend on where
 * the page is mapped: off is s's offset in it. */
static void slot_fill(struct dslot *s, const struct dinsn *di, const struct htab *ht,
                      bool near, uint32_t off)
{
    unsigned l = di->len == 4;
    s->h = ht->op[l][di->op];
    s->imm = di->imm;
    s->rd = di->rd;
    s->rs1 = di->rs1;
    s->rs2 = di->rs2;
    s->op = di->op;
    if (di->rd == di->rs1 && ht->rr[l][di->op])
        s->h = ht->rr[l][di->op];
    else if (di->rs1 == 0 && di->op == OP_add)
        s->h = ht->mv[l];
    else if (di->rs1 == 0 && di->op == OP_addi)
        s->h = ht->li[l];
    uint32_t t = off + (uint32_t)di->imm;        /* the target's offset, if a jump */
    const void *hn = di->op == OP_jal && di->rd == REG_SINK ? ht->near_j[l] : ht->near[l][di->op];
    if (near && hn && t < PAGE_SIZE) {
        s->h = hn;
        s->imm = ((int32_t)(t >> 1) - (int32_t)(off >> 1)) * (int32_t)sizeof *s;
    }
}

/* Which first instruction of a fused pair di can be, or -1. */
static int fuse_kind(const struct dinsn *di)
{
    if (di->rs1 == 0 || (di->op != OP_add && di->op != OP_addi))
        return -1;                            /* mv and li are not fused */
    if (di->rd == di->rs1)
        return di->op == OP_add ? FZA_rr_add : FZA_rr_addi;
    return di->op == OP_add ? FZA_add : FZA_addi;
}

static void fuse_pair(struct cpu *c, struct dslot *s, const uint8_t *hpage, uint32_t off,
                      uint32_t pc, const struct dinsn *da, bool pairs);

/* The two-address add or addi (FZA_rr_*) a filled slot holds, or -1. */
static int slot_rr_kind(const struct cpu *c, const struct dslot *e)
{
    unsigned op = e->op & DSLOT_OP;
    if (e->h == c->label_decode || (op != OP_add && op != OP_addi) || e->rd != e->rs1 ||
        e->rs1 == 0)
        return -1;
    return op == OP_add ? FZA_rr_add : FZA_rr_addi;
}

/* Slot e was just decoded ahead, as the second of a pair, and fused at
 * most with a branch (no run of pairs is decoded in one deep call): if it
 * could be the first of another pair, it is fused when it is reached
 * (the loop's do_fuse decodes it again), so that a jump to it or the run
 * after a pair still finds a pair there. */
static void fuse_later(const struct cpu *c, struct dslot *e)
{
    unsigned op = e->op;
    if (!(op & DSLOT_FUSED) && (op == OP_add || op == OP_addi || op == OP_lw || op == OP_lbu ||
                                op == OP_sw || op == OP_sb))
        e->h = c->label_fuse;
}

/* fuse_pair for a first instruction that is a load or store (slot s, da),
 * the next slot e at offset off2 (address pc2): fused with a two-address
 * add or addi there, or else (with pairs, and both word accesses) with a
 * lw or sw there.  The first access may trap before the second
 * instruction runs, as alone; a store that takes the slow path may have
 * reset the page, so the pair's handler then dispatches to e instead of
 * running e's instruction itself.  The second access of a pair is done as
 * its own handler would do it, with its own TLB check, from e's fields: a
 * lw may write the base register of the access after it. */
static void fuse_access(struct cpu *c, struct dslot *s, struct dslot *e, const uint8_t *hpage,
                        uint32_t off2, uint32_t pc2, const struct dinsn *da, bool pairs)
{
    int km = da->op == OP_lw ? FZM_lw : da->op == OP_lbu ? FZM_lbu :
             da->op == OP_sw ? FZM_sw : da->op == OP_sb ? FZM_sb : -1;
    if (km < 0)
        return;
    pairs = pairs && FZP_KIND(da->op) >= 0;
    if (e->h == c->label_decode) {
        struct dinsn db;
        if ((c->nbp && cpu_bp_at(c, pc2)) ||
            !insn_decode_bytes(hpage + off2, PAGE_SIZE - off2, &db))
            return;
        bool rr = fuse_kind(&db) >= 0 && db.rd == db.rs1;
        if (!rr && !(pairs && FZP_KIND(db.op) >= 0))
            return;
        slot_fill(e, &db, c->ht, true, off2);
        c->st.decoded++;
        /* for jumps to it; not a pair with the slot after it, so that a
         * run of accesses is not decoded (and fused) in one deep call */
        fuse_pair(c, e, hpage, off2, pc2, &db, false);
        fuse_later(c, e);
    }
    /* its length from the page, which is as it was when e was decoded */
    unsigned lb = insn_length((uint16_t)(hpage[off2] | hpage[off2 + 1] << 8)) == 4;
    int kb = slot_rr_kind(c, e);
    if (kb >= 0) {
        s->h = c->ht->fused_m[da->len == 4][lb][km][kb == FZA_rr_add];
        s->op |= DSLOT_FUSED;
        return;
    }
    int kp = FZP_KIND(e->op & DSLOT_OP);
    if (!pairs || kp < 0 || e->h == c->label_decode)
        return;
    s->h = c->ht->fused_p[da->len == 4][lb][FZP_KIND(da->op)][kp];
    s->op |= DSLOT_FUSED;
}

/* Slot s, at offset off of page hpage (pc its address), was just filled
 * from da: fuse it with the next instruction if that is a conditional
 * branch to this page.  The next slot is decoded here if it was not, so
 * the pair's handler reads the branch's operands from it; a jump to the
 * branch runs it alone.  Not when the branch is at a breakpoint, straddles
 * the page end, or its slot is a stop sentinel or anything else.  A load
 * or store is fused by fuse_access instead; pairs says whether it may
 * take a word access after a word access. */
static void fuse_pair(struct cpu *c, struct dslot *s, const uint8_t *hpage, uint32_t off,
                      uint32_t pc, const struct dinsn *da, bool pairs)
{
    const struct htab *ht = c->ht;
    int ka = fuse_kind(da);
    uint32_t off2 = off + da->len;
    if (off2 >= PAGE_SIZE)
        return;
    struct dslot *e = s + da->len / 2;
    if (ka < 0) {
        fuse_access(c, s, e, hpage, off2, pc + da->len, da, pairs);
        return;
    }
    if (e->h == c->label_decode) {
        /* only a branch, or (with pairs) a two-address add or addi: any
         * other instruction there is left to be decoded when it runs, and
         * fused with what follows it then */
        struct dinsn db;
        if ((c->nbp && cpu_bp_at(c, pc + da->len)) ||
            !insn_decode_bytes(hpage + off2, PAGE_SIZE - off2, &db))
            return;
        bool rr = pairs && fuse_kind(&db) >= 0 && db.rd == db.rs1;
        if (!rr && (db.op < OP_beq || db.op > OP_bgeu))
            return;
        slot_fill(e, &db, ht, true, off2);
        c->st.decoded++;
        if (rr) {                             /* for jumps to it; no run of pairs */
            fuse_pair(c, e, hpage, off2, pc + da->len, &db, false);
            fuse_later(c, e);
        }
    }
    unsigned ob = e->op & DSLOT_OP;
    int kb = pairs ? slot_rr_kind(c, e) : -1;
    if (kb >= 0) {
        unsigned lb = insn_length((uint16_t)(hpage[off2] | hpage[off2 + 1] << 8)) == 4;
        s->h = ht->fused_r[da->len == 4][lb][ka][kb == FZA_rr_add];
        s->op |= DSLOT_FUSED;
        return;
    }
    if (ob < OP_beq || ob > OP_bgeu || (e->op & DSLOT_FUSED))
        return;
    unsigned lb = e->h == ht->near[1][ob];
    if (e->h != ht->near[lb][ob])
        return;                               /* not to this page */
    s->h = ht->fused[da->len == 4][lb][ka][ob - OP_beq];
    s->op |= DSLOT_FUSED;
}

/* The scratch page: one freshly decoded instruction followed by sentinels,
 * for page-straddling instructions and exact single steps. */
static struct dslot *scratch_page(struct cpu *c)
{
    struct dslot *x = c->xpage.slot;
    memset(&x[1], 0, 2 * sizeof *x);
    x[1].h = x[2].h = c->label_page_end;
    x[1].op = x[2].op = OP_PAGE_END;
    return x;
}

/* The loop, twice: for a hart that does not record, and for one that
 * does (see emu/interp.inc). */
#define INTERP_NAME interp_run
#define INTERP_REC  0
#include "emu/interp.inc"
#undef INTERP_NAME
#undef INTERP_REC
#define INTERP_NAME interp_run_rec
#define INTERP_REC  1
#include "emu/interp.inc"
#undef INTERP_NAME
#undef INTERP_REC

enum cpu_stop cpu_run(struct cpu *c, uint64_t limit)
{
    while (c->jit && c->instret < limit) {
        bool step;
        if (jit_run(c->jit, limit, &step) == JIT_STOP_TRAP)
            return CPU_STOP_TRAP;
        if (!step)
            break;                    /* near the limit: the interpreter ends it */
        enum cpu_stop s = c->rec ? interp_run_rec(c, c->instret + 1) : interp_run(c, c->instret + 1);
        if (s != CPU_STOP_LIMIT)
            return s;
    }
    return c->rec ? interp_run_rec(c, limit) : interp_run(c, limit);
}

enum cpu_stop cpu_finish_watched(struct cpu *c)
{
    c->mmu->watch_off = true;                /* the access the MMU held back, now */
    enum cpu_stop s = c->rec ? interp_run_rec(c, c->instret + 1) : interp_run(c, c->instret + 1);
    c->mmu->watch_off = false;
    return s == CPU_STOP_LIMIT ? CPU_STOP_WATCH : s;
}
