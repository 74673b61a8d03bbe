/* emu/cpu.h — one RV32IMAC hart in U-mode: registers, the decode cache and
 * the interpreter loop, with the block translator (emu/jit.h) in front.
 * Every fetch, load and store goes through the MMU; the CPU knows nothing
 * of segments, signals or files: a trap (ecall, fault, illegal instruction)
 * stops the run loop and is handed up. */
#ifndef VMLAB_EMU_CPU_H
#define VMLAB_EMU_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include "emu/insn.h"
#include "emu/jit.h"
#include "emu/refrec.h"
#include "mmu/hostmem.h"
#include "mmu/mmu.h"

/* One decoded instruction as the interpreter keeps it: the address of its
 * handler (specialised for the instruction's length, so stepping to the
 * next slot never waits for a load), and its operands.  16 bytes. */
struct dslot {
    const void *h;           /* handler label inside cpu_run */
    int32_t     imm;
    uint8_t     rd, rs1, rs2; /* rd is REG_SINK when the encoding said x0 */
    uint8_t     op;          /* enum insn_op (DSLOT_OP), and DSLOT_* flags */
};
#define DSLOT_OP    0x7f     /* the opcode */
#define DSLOT_FUSED 0x80     /* runs a fused pair: this and the next instruction */
_Static_assert(OP_COUNT <= DSLOT_OP + 1, "opcodes fit in a slot's op bits");

/* Decoded instructions of one physical code frame: one slot per halfword
 * (an instruction may start at any even offset), plus sentinels that send
 * the interpreter to the next page. */
#define DPAGE_SLOTS (PAGE_SIZE / 2)
struct dpage {
    struct dslot slot[DPAGE_SLOTS + 2];
};

struct cpu_trap {
    int      cause;          /* CAUSE_* (mmu/sv32.h) */
    uint32_t tval;           /* fault address, or the instruction bits */
};

/* Breakpoints a debugger set (vmlab run --gdb): kept here, not written
 * into guest memory, so the decode cache and the translator see them.
 * The interpreter gives a slot at a breakpoint address a handler that
 * stops instead of decoding the instruction; the translator never starts a
 * block at one and ends a block before one.  Setting or removing one drops
 * the decoded and translated code of its frame (cpu_bp_insert/remove do
 * that through the caller, who knows the frame).  With none set nothing on
 * the hot path looks at them: only decoding and translating do. */
#define CPU_MAX_BPS 64
#define CPU_BP_NONE 1u           /* an odd pc: never an instruction address */

struct cpu_stats {
    uint64_t decoded;        /* instructions decoded into the cache */
    uint64_t dcache_drops;   /* frames whose decoded instructions were dropped */
    uint64_t straddles;      /* executions of page-straddling instructions */
    uint64_t dcache_flushes; /* whole decode cache freed: the host memory cap */
};

struct htab;

struct cpu {
    uint32_t x[33];          /* x0..x31, and REG_SINK (x0 writes land here) */
    uint32_t pc;
    uint64_t instret;        /* instructions retired */
    bool     resv_valid;     /* LR/SC reservation */
    uint32_t resv_addr;
    struct cpu_trap trap;    /* why cpu_run stopped with CPU_STOP_TRAP */
    struct mmu *mmu;

    struct dpage **dcache;   /* per physical frame, allocated on first fetch */
    uint32_t nframes;
    uint32_t dcache_hwm;     /* dcache[f] is NULL for every f >= dcache_hwm */
    struct hostmem *hm;      /* the budget decoded pages are charged to, or NULL */
    struct dpage xpage;      /* scratch page for an instruction straddling two pages */
    /* Near the instruction limit the interpreter turns two slots of the
     * running page into page-end sentinels, so that straight-line code
     * stops within the budget (emu/cpu.c, "exact stops"). */
    struct dslot *stop_at;   /* the first of the two, or NULL */
    uint64_t     limit;      /* the limit of the interpreter's current run */
    struct dslot stop_saved[2];
    struct dslot *stop_unfused[2]; /* fused pairs running unfused meanwhile, or NULL */
    const void   *stop_fused_h[2]; /* their fused handlers */
    struct jit  *jit;        /* block translator, or NULL: interpreter only */
    struct refrec *rec;      /* recording the page reference string, or NULL */
    const void *label_decode, *label_page_end; /* the loop's, for slots it did not decode */
    const void *label_fuse;  /* the loop's, for a slot decoded ahead and not yet fused */
    const struct htab *ht;   /* the loop's handler tables (emu/cpu.c) */
    bool         time_is_instret; /* rdtime reads instret, not the host clock:
                                   * for runs that must repeat exactly (fuzzers) */
    struct cpu_stats st;
    /* debugger breakpoints (see above) */
    uint32_t bp[CPU_MAX_BPS];
    unsigned nbp;
    uint32_t bp_skip_pc;     /* run this pc once without stopping ... */
    uint64_t bp_skip_instret; /* ... while instret is still this (a resume) */
};

enum cpu_stop {
    CPU_STOP_TRAP = 1,       /* cpu->trap says why; pc is the trapping instruction */
    CPU_STOP_LIMIT = 2,      /* instret reached the limit */
    CPU_STOP_NOMEM = 3,      /* no decode page: the host is out of memory, or
                              * the cap is smaller than one page */
    CPU_STOP_BREAK = 4,      /* pc is at a breakpoint, not yet executed */
    CPU_STOP_WATCH = 5,      /* cpu_finish_watched: the watched access took
                              * place; pc is the next instruction */
};

/* Set up a hart over mmu (registers zero).  Returns 0 or -ENOMEM.  Installs
 * the MMU's code-write hook so stores to code pages drop their decoded
 * instructions.  With use_jit, hot code is translated to host code where
 * the host allows it (emu/jit.h); otherwise everything is interpreted.
 * Decoded pages and translated code are charged to hm (NULL: no cap);
 * when it refuses, the cache is emptied and the charge tried again, so a
 * guest never pushes them past the cap (at worst it runs slower). */
int  cpu_init(struct cpu *c, struct mmu *mmu, bool use_jit, struct hostmem *hm);
void cpu_destroy(struct cpu *c);

/* Run from c->pc until a trap, or until c->instret reaches limit: the
 * stop is exact (c->instret == limit, pc the next instruction to run),
 * with or without the translator, whatever the code does.
 * On a trap, pc is the trapping instruction and no later instruction has
 * run; earlier ones have taken full effect.  Also stops before an
 * instruction at a breakpoint (CPU_STOP_BREAK; except at bp_skip_pc while
 * instret is bp_skip_instret), and with a trap of cause CAUSE_WATCHPOINT
 * before a load or store that would touch a watched range (the MMU holds
 * it back as it would a fault). */
enum cpu_stop cpu_run(struct cpu *c, uint64_t limit);

/* After a CAUSE_WATCHPOINT trap: perform the access, running that one
 * instruction with the watch check off.  Returns CPU_STOP_WATCH (pc is the
 * next instruction), or the trap the access raised (a page fault on the
 * second page of a crossing access: service it and run again). */
enum cpu_stop cpu_finish_watched(struct cpu *c);

/* Is there a breakpoint at va?  (A linear scan: a debugger sets few.) */
static inline bool cpu_bp_at(const struct cpu *c, uint32_t va)
{
    for (unsigned i = 0; i < c->nbp; i++)
        if (c->bp[i] == va)
            return true;
    return false;
}

/* Add or remove a breakpoint at va.  Insert returns 0, or -ENOSPC when
 * CPU_MAX_BPS are set (inserting one that exists is 0); remove returns 0
 * or -ENOENT.  The caller drops the decoded code of va's frame. */
int cpu_bp_insert(struct cpu *c, uint32_t va);
int cpu_bp_remove(struct cpu *c, uint32_t va);

/* Record every fetch, load and store into rec (emu/refrec.h) from now
 * on.  Must be called before the first cpu_run: what is decoded or
 * translated knows whether it records. */
void cpu_record(struct cpu *c, struct refrec *rec);

/* Drop the decoded instructions of one frame / of all frames (fence.i, or a
 * permission change that removes X or adds W). */
void cpu_drop_decoded(struct cpu *c, uint32_t frame);
void cpu_drop_decoded_all(struct cpu *c);

/* Read a user counter CSR (cycle, time, instret and their high halves).
 * Returns false for any other CSR number. */
bool cpu_read_counter(const struct cpu *c, uint32_t csr, uint64_t instret, uint32_t *val);

#endif
