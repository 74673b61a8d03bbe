/* emu/jit.h — translate guest basic blocks to x86-64 machine code.
 *
 * A block is the straight-line run of guest instructions from one pc to the
 * first jump, branch, ecall/ebreak or page end (at most JIT_MAX_INSNS); it
 * also ends before a debugger's breakpoint, and none starts at one (the
 * interpreter stops there: struct cpu's bp[]).  Its
 * code works on the guest registers in struct cpu (never cached in host
 * registers across instructions, so a fault anywhere leaves exactly the
 * effects of the instructions before it), and every load and store does
 * the same inline TLB check as the interpreter, with the same slow paths.
 * Blocks are found by physical frame and page offset; a block that ends
 * with a jump to its own page is patched to jump straight into the next
 * block (chaining), with the instruction budget checked at each such jump;
 * one that jumps back to its own start loops in place.  Returns, indirect
 * calls and jumps to other pages go through a jump cache (emu/jit.c, struct
 * jcache) that holds only while the fetch TLB still maps the target's page
 * to the same frame and no block was dropped.
 *
 * Instructions a block cannot hold (CSRs, fence.i, atomics, illegal ones, a
 * 32-bit instruction straddling two pages) are left to the interpreter,
 * one at a time; so is the last stretch before an instruction limit, which
 * the interpreter meets exactly.
 *
 * Only on x86-64 hosts; elsewhere jit_create() returns NULL and the
 * interpreter runs everything.
 */
#ifndef VMLAB_EMU_JIT_H
#define VMLAB_EMU_JIT_H

#include <stdbool.h>
#include <stdint.h>

struct cpu;
struct jit;
struct refrec;

/* 1 where this build has a translator (x86-64, unless -DVMLAB_NO_JIT). */
#if defined(__x86_64__) && !defined(VMLAB_NO_JIT)
#define JIT_AVAILABLE 1
#else
#define JIT_AVAILABLE 0
#endif

#define JIT_MAX_INSNS 64

/* What the caller's loop should do after jit_run. */
enum jit_stop {
    JIT_STOP_TRAP = 1,       /* cpu->trap and cpu->pc are set (as CPU_STOP_TRAP) */
    JIT_STOP_INTERP,         /* run the interpreter from cpu->pc (near the limit,
                              * or an instruction blocks cannot hold) */
};

struct jit_stats {
    uint64_t blocks;         /* blocks translated */
    uint64_t insns;          /* guest instructions translated */
    uint64_t bytes;          /* host code made for them (slow paths included) */
    uint64_t chains;         /* block exits patched into direct jumps */
    uint64_t flushes;        /* whole code-buffer resets (buffer full) */
    uint64_t loop_tlb;       /* loops keeping a TLB entry in a register */
    uint64_t loop_tlb2;      /* of those, the ones keeping a second entry */
};

/* Make a translator for c, or NULL when this host has none or the
 * executable buffer cannot be mapped (then the interpreter does it all). */
struct jit *jit_create(struct cpu *c);
void jit_destroy(struct jit *j);

/* Run translated blocks from c->pc while more than JIT_MAX_INSNS + 1
 * instructions remain before limit.  *step is set when the instruction at
 * c->pc is one for the interpreter (so it should run exactly one). */
enum jit_stop jit_run(struct jit *j, uint64_t limit, bool *step);

/* The guest bytes of a frame changed or its mapping went: forget its
 * blocks (returns whether it had any).  Safe to call from inside a block
 * (via the store slow path). */
bool jit_drop_frame(struct jit *j, uint32_t frame);
void jit_drop_all(struct jit *j);

const struct jit_stats *jit_stats(const struct jit *j);

/* Translate every block from now on to record its fetches, loads and
 * stores into rec (emu/refrec.h; emu/jit.c says how).  Before the first
 * translation only. */
void jit_record(struct jit *j, struct refrec *rec);

/* For tests: shrink the code buffer to room for one block of `insns`
 * instructions (at least 1), so that it is reset before nearly every
 * translation; longer blocks do not fit and go to the interpreter. */
void jit_limit_buffer(struct jit *j, unsigned insns);

#endif
