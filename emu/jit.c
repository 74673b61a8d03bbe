/* emu/jit.c — a basic-block translator from RV32IM to x86-64.
 *
 * Host registers inside translated code:
 *     rbx  guest registers (struct cpu.x)      r12  data TLB (struct mmu.tlb)
 *     rbp  struct jit_ctx                      r13  instructions retired
 *     r8-r11, r14, r15  up to six guest registers a block uses most (in a
 *                       loop with two addresses stepping through memory,
 *                       r15 holds the second one's TLB entry instead)
 * rax, rcx, rdx, rsi and rdi are scratch (rdi also holds a group's host
 * address, or a loop's TLB entry: see tr_group and tlb_check).  Guest register r lives at
 * [rbx + 4*r]; x0 reads as zero and writes to it land in REG_SINK.  A block
 * loads the registers it keeps in host registers (those it reads before
 * writing) when it starts, and at every way out (a jump, a trap, a fault)
 * stores those written so far: whenever control leaves translated code,
 * struct cpu is exact.  (The MMU slow paths called from inside a block
 * read no guest register.)  rbx, rbp and r12-r15 are callee-saved in the
 * SysV ABI; the slow paths save r8-r11 around their calls.
 *
 * A load, e.g. lw a0, 8(a1), with a1 in r8 and a0 in r9:
 *     mov  esi, r8d             add  esi, 8            ; guest va
 *     mov  eax, esi             shr  eax, 8
 *     and  eax, 0xffff0                                ; TLB index * 16
 *     mov  edx, esi             and  edx, 0xfffff003   ; tag, alignment kept
 *     cmp  edx, [r12+rax]       jne  slow              ; read tag
 *     mov  rax, [r12+rax+8]     mov  eax, [rax+rsi]    ; addend, the load
 *     mov  r9d, eax
 * The slow path (after the block's body) calls mmu_load_slow; on a fault it
 * stores the registers, adds the instructions retired before this one and
 * leaves with the pc of this one, so the trap is precise.
 *
 * Recording (jit_record, emu/refrec.h): blocks translated for a recording
 * hart say what they touch.  With fetches, a block on code page C starts
 * with "is C the latest reference?" (else refrec_fetch), and after each
 * completed access to a page D other than C comes the pair "D, then C
 * again" — C because the next instruction of the block is fetched from C.
 * The pair either extends the run in the recorder's hot fields or goes to
 * its raw buffer (rax = ctx.rec, edx = D's key; emu/refrec.c says why the
 * swap is right):
 *     cmp  edx, [rax+m1]        jne  raw_stub       ; append (D, C) inline
 *     add  r15, 2                                   ; references in runs
 *     cmp  edx, [rax+m2]        je   done           ; C S C S: nothing moves
 *     mov  ecx, [rax+m2]        mov  [rax+m1], ecx  ; C A C B: the next one
 *     mov  [rax+m2], edx
 * A recording block keeps that count in r15 (so it caches five guest
 * registers, not six) and stores it into the recorder whenever control
 * leaves translated code or calls the recorder: a count in memory would
 * chain every access to the one before.
 * The last access of a block has no "then C" (what runs next is fetched
 * through the next block's check: it calls refrec_key), and the slow paths
 * call refrec_data once the access has completed.  Without fetches the
 * same inline step extends a run of single references.  A block that does
 * not record has none of this.  Recording blocks otherwise take the same
 * shapes as the others — chains, the jump cache, loops in place (whose
 * jump back checks the fetch of the start again), access groups (whose
 * notes follow the group's last access) and addressing through the base's
 * register — except a loop's TLB entry in rdi, which the notes' stubs use.
 */
#include "emu/jit.h"

#include "emu/cpu.h"

#if JIT_AVAILABLE

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CODE_BYTES   (32u << 20)        /* executable buffer */
/* Translated code finds the fetch TLB through r12 = mmu->tlb. */
_Static_assert(offsetof(struct mmu, tlb) == 0, "the data TLB starts struct mmu");
/* Bytes a block of n instructions may use: stores with their slow paths
 * are the longest code, and a block of 63 stores and a branch needs about
 * 140 per instruction (the test "the largest block fits" fails below
 * about 130), so this leaves room to spare. */
#define BLOCK_ROOM(n) (512u + 320u * (n))
/* Recording blocks: each access also has its inline note (about 50
 * bytes), a record stub (about 45) and a call in its slow path (about 60,
 * twice for a store). */
#define BLOCK_ROOM_REC(n) (512u + 768u * (n))

enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15 };
#define NOIDX (-1)

/* x86 condition codes (low nibble of Jcc / SETcc). */
enum { CC_B = 2, CC_AE = 3, CC_E = 4, CC_NE = 5, CC_L = 0xc, CC_GE = 0xd };

enum jit_exit {
    EXIT_PC = 1,             /* continue at ctx.pc */
    EXIT_CHAIN,              /* same, and ctx.chain is a jump to patch to it */
    EXIT_MEMFAULT,           /* mmu->fault says what; ctx.pc is the instruction */
    EXIT_TRAP,               /* ecall/ebreak: ctx.cause, ctx.tval, ctx.pc */
    EXIT_JCACHE,             /* continue at ctx.pc, which missed in the jump cache */
};

/* What translated code reads and writes through rbp. */
struct jit_ctx {
    uint32_t   *x;
    struct tlb_data *tlb;
    struct mmu *mmu;
    uint64_t    icount;
    uint64_t    budget;      /* chained jumps stop once icount reaches it */
    uint8_t    *chain;       /* EXIT_CHAIN: address of the rel32 to patch */
    uint32_t    pc;
    uint32_t    cause, tval;
    uint8_t     dirty;       /* a frame's blocks were dropped during this entry */
    struct refrec *rec;      /* recording: the recorder, else NULL */
    uint32_t    rec_va;      /* recording: a slow path's address across its call */
    uint32_t    jgen;        /* bumped whenever blocks are dropped or the buffer reset */
    struct jcache *jcache;   /* the jump cache (below) */
};

/* The jump cache: blocks by guest pc, for the ways out of a block whose
 * target is not chained — jalr (returns, indirect calls) and jumps to
 * another page.  Their code looks the target up here and jumps straight
 * into its block when the entry (made by the dispatcher) still says what
 * the dispatcher would find: no block was dropped since (jgen), and the
 * fetch TLB still holds the target's page, on the same frame.  Every
 * change of a mapping or its permissions (mprotect, munmap, a page swapped
 * out or reclaimed, aging's A-bit clears, a new satp) flushes the TLB
 * entries of the pages it touches, so the page must be found again by a
 * walk, through the dispatcher, before an entry for it hits again; a frame
 * whose code changes or goes drops its blocks.  The instruction budget is
 * checked before, as at a chained jump. */
#define JC_BITS 12
#define JC_SIZE (1u << JC_BITS)
struct jcache {
    uint32_t pc;             /* an odd pc (never a target) when empty */
    uint32_t jgen;
    uint32_t frame;          /* the target page's frame when it was made */
    uint32_t pad;
    uint8_t *code;
    uint64_t pad2;
};
_Static_assert(sizeof(struct tlb_fetch) == 16, "a fetch TLB entry is 16 bytes");

/* Blocks of one frame, by halfword offset.  Each points at the code, which
 * follows a header naming the pc it was translated for (a frame could be
 * mapped at another address later). */
struct jpage {
    uint8_t *entry[PAGE_SIZE / 2];
};
struct jhdr {
    uint32_t pc;
    uint32_t pad[3];         /* code stays 16-byte aligned */
};

typedef int (*enter_fn)(struct jit_ctx *ctx, const void *code, uint64_t icount, uint64_t budget);

struct jit {
    struct jit_ctx ctx;
    struct cpu    *cpu;
    uint8_t       *buf, *cur, *end;
    uint8_t       *epilogue;
    enter_fn       enter;
    struct jpage **pages;    /* per frame, allocated on first translation */
    uint32_t       nframes;
    uint32_t       pages_hwm; /* pages[f] is NULL for every f >= pages_hwm */
    uint64_t       gen;      /* bumped on every buffer reset */
    FILE          *perf_map; /* $VMLAB_PERF_MAP: /tmp/perf-PID.map for perf report */
    struct refrec *rec;      /* blocks record (jit_record) */
    struct jcache *jc;       /* JC_SIZE entries */
    struct jit_stats st;
};

static unsigned block_room(const struct jit *j, unsigned n)
{
    return j->rec ? BLOCK_ROOM_REC(n) : BLOCK_ROOM(n);
}

/* --- x86-64 encoding ------------------------------------------------------ */

struct emit {
    uint8_t *p, *end;
    bool     full;
};

static void b1(struct emit *e, unsigned v)
{
    if (e->p < e->end)
        *e->p++ = (uint8_t)v;
    else
        e->full = true;
}

static void b4(struct emit *e, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        b1(e, (v >> (8 * i)) & 0xff);
}

static void b8(struct emit *e, uint64_t v)
{
    b4(e, (uint32_t)v);
    b4(e, (uint32_t)(v >> 32));
}

/* An opcode of one byte, or two as 0x0fXX. */
static void opcode(struct emit *e, unsigned opc)
{
    if (opc > 0xff)
        b1(e, opc >> 8);
    b1(e, opc & 0xff);
}

static void rex(struct emit *e, int w, int reg, int idx, int base)
{
    unsigned r = 0x40 | (w ? 8 : 0) | (reg & 8 ? 4 : 0) |
                 (idx >= 0 && (idx & 8) ? 2 : 0) | (base & 8 ? 1 : 0);
    if (r != 0x40)
        b1(e, r);
}

/* opc with ModRM reg = reg (a register or an opcode extension) and
 * r/m = [base + idx + disp]. */
static void op_m(struct emit *e, int w, unsigned opc, int reg, int base, int idx, int32_t disp)
{
    rex(e, w, reg, idx, base);
    opcode(e, opc);
    int mod = disp == 0 && (base & 7) != RBP ? 0 : disp >= -128 && disp <= 127 ? 1 : 2;
    if (idx < 0 && (base & 7) != RSP) {
        b1(e, (unsigned)(mod << 6 | (reg & 7) << 3 | (base & 7)));
    } else {
        b1(e, (unsigned)(mod << 6 | (reg & 7) << 3 | 4));
        b1(e, (unsigned)((idx < 0 ? 4 : idx & 7) << 3 | (base & 7)));
    }
    if (mod == 1)
        b1(e, (uint8_t)disp);
    else if (mod == 2)
        b4(e, (uint32_t)disp);
}

/* opc with ModRM reg = reg and r/m = register rm. */
static void op_r(struct emit *e, int w, unsigned opc, int reg, int rm)
{
    rex(e, w, reg, NOIDX, rm);
    opcode(e, opc);
    b1(e, (unsigned)(0xc0 | (reg & 7) << 3 | (rm & 7)));
}

/* Group-1 ALU with an immediate: ext is the /digit (0 add, 1 or, 4 and,
 * 5 sub, 6 xor, 7 cmp). */
static void alu_ri(struct emit *e, int w, int ext, int reg, int32_t imm)
{
    if (imm >= -128 && imm <= 127) {
        op_r(e, w, 0x83, ext, reg);
        b1(e, (uint8_t)imm);
    } else {
        op_r(e, w, 0x81, ext, reg);
        b4(e, (uint32_t)imm);
    }
}

/* The same on a dword in memory. */
static void alu_mi(struct emit *e, int ext, int base, int idx, int32_t disp, int32_t imm)
{
    bool small = imm >= -128 && imm <= 127;
    op_m(e, 0, small ? 0x83 : 0x81, ext, base, idx, disp);
    if (small)
        b1(e, (uint8_t)imm);
    else
        b4(e, (uint32_t)imm);
}

static void mov_ri(struct emit *e, int reg, uint32_t imm)
{
    rex(e, 0, 0, NOIDX, reg);
    b1(e, 0xb8 + (reg & 7));
    b4(e, imm);
}

static void call_abs(struct emit *e, const void *fn)
{
    b1(e, 0x48);                              /* mov rax, imm64 */
    b1(e, 0xb8);
    b8(e, (uint64_t)(uintptr_t)fn);
    op_r(e, 0, 0xff, 2, RAX);                 /* call rax */
}

/* Jumps with a 32-bit displacement; they return where it is, to patch. */
static uint8_t *jmp32(struct emit *e)
{
    b1(e, 0xe9);
    uint8_t *at = e->p;
    b4(e, 0);
    return at;
}

static uint8_t *jcc32(struct emit *e, int cc)
{
    b1(e, 0x0f);
    b1(e, 0x80 | cc);
    uint8_t *at = e->p;
    b4(e, 0);
    return at;
}

static void patch(uint8_t *at, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (at + 4));
    memcpy(at, &rel, 4);
}

/* Guest registers: in memory, or (within a block) in a host register. */
#define GREG(r) RBX, NOIDX, 4 * (int32_t)(r)
#define CTX(f)  RBP, NOIDX, (int32_t)offsetof(struct jit_ctx, f)

#define NCACHE 6
static const int cache_reg[NCACHE] = { R8, R9, R10, R11, R14, R15 };
#define REC_COUNT R15                     /* recording blocks: refrec.count */
#define ECACHE2   R15                     /* a loop's second TLB entry (tr.ecache2) */
#define CALLER_SAVED 4                    /* r8-r11: saved around calls */

/* A slow path to emit after the block's body. */
struct stub {
    uint8_t *from;           /* the jne's rel32 */
    uint8_t *resume;         /* where the fast path goes on */
    uint32_t pc;             /* the instruction's pc */
    uint8_t  k;              /* instructions of the block before it */
    uint8_t  base;           /* of those, the ones r13 does not count yet: k - base */
    uint8_t  op, rd, rs2, len;
    uint8_t  va;             /* the host register holding the address */
    int8_t   ereg;           /* the register naming its TLB entry first (tr.ecache,
                              * tr.ecache2), or -1 */
    uint8_t *hit;            /* then: where the fast path goes on after a hit */
    uint32_t dirty;          /* cached registers written before it */
    uint32_t then;           /* recording: the page fetched next, or REFREC_NONE */
};

/* Recorder work to emit after the block's body (rax = the recorder). */
enum rstub_kind {
    RS_FETCH,                /* refrec_fetch(rec, arg) */
    RS_KEY,                  /* refrec_key(rec, edx, arg) */
    RS_RAW,                  /* append (edx, arg) to the raw buffer */
};
struct rstub {
    uint8_t *from;           /* the jcc's rel32 */
    uint8_t *back;           /* where to go on */
    uint32_t arg;            /* the page, or the page fetched next */
    enum rstub_kind kind;
};

struct tr {
    struct jit  *j;
    struct emit  e;
    uint32_t     page;       /* guest page of the block */
    int8_t       host[REG_SINK + 1];  /* guest register -> host register, or -1 */
    uint32_t     live_in;    /* bit g: cached g is read before the block writes it */
    uint32_t     dirty;      /* bit g: cached g written so far (in emitting order,
                              * which is the order the block runs in) */
    struct stub  stub[2 * JIT_MAX_INSNS];   /* one per access, two for one a group takes in */
    unsigned     nstub;
    struct refrec *rec;      /* recording (see the file comment) */
    unsigned     n;          /* instructions in the block */
    uint32_t     start;      /* the block's first pc */
    bool         loop;       /* it ends with a jump back to start: see exit_to */
    uint8_t     *body;       /* where its code goes on after the entry loads */
    int          ecache2;    /* a second such access, whose entry is in ECACHE2
                              * (the last cached register: allocate leaves it), or -1 */
    bool         extend;     /* groups may take in accesses through other registers
                              * (see group_end) */
    int          ecache;     /* a loop: the instruction whose access keeps its TLB
                              * entry's address in rdi (see tlb_check), or -1 */
    unsigned     base;       /* instructions before this one that r13 counts */
    int8_t       inner[JIT_MAX_INSNS];   /* a branch forward inside the block: the
                                          * index of its target, else -1 */
    bool         target[JIT_MAX_INSNS];  /* some inner branch goes here */
    uint8_t     *site[JIT_MAX_INSNS];    /* an inner branch's jcc, to patch */
    struct rstub rstub[2 * JIT_MAX_INSNS + 2];   /* a group's accesses have two notes */
    unsigned     nrstub;
};

/* reg = guest register g. */
static void get(struct tr *t, int reg, unsigned g)
{
    if (g == 0)
        op_r(&t->e, 0, 0x31, reg, reg);       /* xor reg, reg */
    else if (t->host[g] >= 0)
        op_r(&t->e, 0, 0x89, t->host[g], reg); /* mov reg, hreg */
    else
        op_m(&t->e, 0, 0x8b, reg, GREG(g));
}

/* reg = reg <op> guest register g, for an opcode of the form "op r32,
 * r/m32" (x0 is never cached; its memory word reads 0). */
static void alu(struct tr *t, unsigned opc, int reg, unsigned g)
{
    if (t->host[g] >= 0)
        op_r(&t->e, 0, opc, reg, t->host[g]);
    else
        op_m(&t->e, 0, opc, reg, GREG(g));
}

static void put(struct tr *t, int reg, unsigned g)
{
    if (t->host[g] >= 0) {
        op_r(&t->e, 0, 0x89, reg, t->host[g]); /* mov hreg, reg */
        t->dirty |= 1u << g;
    } else {
        op_m(&t->e, 0, 0x89, reg, GREG(g));
    }
}

static void put_imm(struct tr *t, unsigned g, uint32_t imm)
{
    if (t->host[g] >= 0) {
        mov_ri(&t->e, t->host[g], imm);
        t->dirty |= 1u << g;
    } else {
        op_m(&t->e, 0, 0xc7, 0, GREG(g));
        b4(&t->e, imm);
    }
}

/* Where an instruction writing guest register g computes its result: g's
 * host register when it is cached (so no move is needed), else rax. */
static int dst(const struct tr *t, unsigned g)
{
    return t->host[g] >= 0 ? t->host[g] : RAX;
}

/* The result is in D = dst(t, g): store it, or note the cached one dirty. */
static void fin(struct tr *t, int reg, unsigned g)
{
    if (reg == RAX)
        put(t, RAX, g);
    else
        t->dirty |= 1u << g;
}

/* reg = guest register g, unless reg already holds it. */
static void get_into(struct tr *t, int reg, unsigned g)
{
    if (g == 0 || t->host[g] != reg)
        get(t, reg, g);
}

/* Flags = compare guest registers a and b (cmp a, b). */
static void cmp_regs(struct tr *t, unsigned a, unsigned b)
{
    int ra = a != 0 && t->host[a] >= 0 ? t->host[a] : RAX;
    if (ra == RAX && a != 0 && b != 0 && t->host[b] >= 0) {
        op_m(&t->e, 0, 0x39, t->host[b], GREG(a));   /* cmp [a], b */
        return;
    }
    if (ra == RAX)
        get(t, RAX, a);
    if (b == 0)
        op_r(&t->e, 0, 0x85, ra, ra);         /* test a, a: cmp a, 0 */
    else
        alu(t, 0x3b, ra, b);
}

/* rd = rs1 <op> rs2 for an opcode of the form "op r32, r/m32"; comm: the
 * operands may be swapped. */
static void alu3(struct tr *t, unsigned opc, bool comm, const struct dinsn *d)
{
    int reg = dst(t, d->rd);
    unsigned a = d->rs1, b = d->rs2;
    if (reg == RAX && opc <= 0x33 && d->rd != 0 && (a == d->rd || (comm && b == d->rd))) {
        /* rd = rd <op> r with rd in memory and r in a host register: one
         * read-modify-write ("add [rd], r"; opc - 2 is the r/m32, r32 form) */
        unsigned r = a == d->rd ? b : a;
        if (r != 0 && t->host[r] >= 0) {
            op_m(&t->e, 0, opc - 2, t->host[r], GREG(d->rd));
            return;
        }
    }
    if (reg != RAX && b != 0 && t->host[b] == reg && (a == 0 || t->host[a] != reg)) {
        if (comm) {
            a = d->rs2;
            b = d->rs1;
        } else {
            reg = RAX;                        /* rd = rs2: compute aside */
        }
    }
    get_into(t, reg, a);
    alu(t, opc, reg, b);
    fin(t, reg, d->rd);
}

/* Every way out of a block first stores the cached registers written
 * before that point (dirty: the set there). */
static void write_back(struct tr *t, uint32_t dirty)
{
    for (unsigned g = 1; g < REG_SINK; g++)
        if (dirty >> g & 1)
            op_m(&t->e, 0, 0x89, t->host[g], GREG(g));
}

/* The block's start loads the cached registers it reads before writing;
 * the others hold nothing until written, and are not stored before. */
static void load_cached(struct tr *t)
{
    for (unsigned g = 1; g < REG_SINK; g++)
        if (t->live_in >> g & 1)
            op_m(&t->e, 0, 0x8b, t->host[g], GREG(g));
}

/* Calls into C keep r8-r11 on the stack (four pushes: still aligned). */
static void push_cached(struct tr *t)
{
    for (int i = 0; i < CALLER_SAVED; i++) {
        b1(&t->e, 0x41);
        b1(&t->e, 0x50 + (cache_reg[i] & 7));  /* push r8..r11 */
    }
}

static void pop_cached(struct tr *t)
{
    for (int i = CALLER_SAVED - 1; i >= 0; i--) {
        b1(&t->e, 0x41);
        b1(&t->e, 0x58 + (cache_reg[i] & 7));  /* pop */
    }
}

static void call_saving(struct tr *t, const void *fn)
{
    push_cached(t);
    call_abs(&t->e, fn);
    pop_cached(t);
    if (t->ecache >= 0)
        op_r(&t->e, 1, 0x89, R12, RDI);       /* mov rdi, r12: a TLB entry again */
}

/* Pick the guest registers to keep in host registers: the most used ones,
 * if used at least twice (once, in a block that loops in place: its loads
 * and stores are then made once per entry, not once per turn). */
static void allocate(struct tr *t, const struct dinsn *d, unsigned n, bool loop, int regs)
{
    unsigned uses[REG_SINK + 1] = { 0 };
    uint32_t read_first = 0, written = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct insn_info *ii = &insn_info[d[i].op];
        if (ii->fmt && strchr("RIShBAC", ii->fmt)) {
            uses[d[i].rs1]++;
            read_first |= (1u << d[i].rs1) & ~written;
        }
        if (ii->fmt && strchr("RSBA", ii->fmt)) {
            uses[d[i].rs2]++;
            read_first |= (1u << d[i].rs2) & ~written;
        }
        if ((ii->flags & F_RD) && d[i].rd != REG_SINK) {
            uses[d[i].rd]++;
            written |= 1u << d[i].rd;
        }
    }
    uses[0] = 0;
    memset(t->host, -1, sizeof t->host);
    t->live_in = t->dirty = 0;
    if (t->rec && regs == NCACHE)
        regs = NCACHE - 1;                    /* r15 counts references */
    for (int k = 0; k < regs; k++) {
        unsigned best = 0;
        for (unsigned g = 1; g < REG_SINK; g++)
            if (uses[g] > uses[best])
                best = g;
        if (uses[best] < (loop ? 1u : 2u))
            break;
        t->host[best] = (int8_t)cache_reg[k];
        t->live_in |= read_first & 1u << best;
        uses[best] = 0;
    }
}

/* --- translation ------------------------------------------------------------ */

static void leave(struct tr *t, int code)
{
    mov_ri(&t->e, RAX, (uint32_t)code);
    uint8_t *at = jmp32(&t->e);
    if (!t->e.full)
        patch(at, t->j->epilogue);
}

static void add_icount(struct tr *t, unsigned n)
{
    if (n)
        alu_ri(&t->e, 1, 0, R13, (int32_t)n);
}

static void set_pc(struct tr *t, uint32_t pc)
{
    op_m(&t->e, 0, 0xc7, 0, CTX(pc));
    b4(&t->e, pc);
}

/* eax = the next pc (registers stored, instructions counted): jump into
 * its block through the jump cache, or leave for the dispatcher. */
static void jump_cached(struct tr *t)
{
    struct emit *e = &t->e;
    op_m(e, 0, 0x89, RAX, CTX(pc));
    uint8_t *miss[5];
    op_m(e, 1, 0x3b, R13, CTX(budget));       /* cmp r13, [budget] */
    miss[0] = jcc32(e, CC_AE);
    op_r(e, 0, 0x89, RAX, RCX);               /* ecx = (pc & mask) * 16 */
    alu_ri(e, 0, 4, RCX, (int32_t)((JC_SIZE - 1) << 1));
    op_r(e, 0, 0xc1, 4, RCX);                 /* shl ecx, 4 */
    b1(e, 4);
    op_m(e, 1, 0x03, RCX, CTX(jcache));       /* add rcx, [jcache] */
    op_m(e, 0, 0x3b, RAX, RCX, NOIDX, (int32_t)offsetof(struct jcache, pc));
    miss[1] = jcc32(e, CC_NE);
    op_m(e, 0, 0x8b, RDX, CTX(jgen));
    op_m(e, 0, 0x3b, RDX, RCX, NOIDX, (int32_t)offsetof(struct jcache, jgen));
    miss[2] = jcc32(e, CC_NE);
    /* the fetch TLB entry of the target's page (r12 = the mmu): this page,
     * this frame? */
    op_r(e, 0, 0x89, RAX, RDX);
    op_r(e, 0, 0xc1, 5, RDX);                 /* shr edx, 8 */
    b1(e, PAGE_SHIFT - 4);
    alu_ri(e, 0, 4, RDX, (int32_t)((ITLB_SIZE - 1) << 4));
    op_r(e, 0, 0x89, RAX, RSI);
    alu_ri(e, 0, 4, RSI, (int32_t)~PAGE_MASK);
    op_m(e, 0, 0x3b, RSI, R12, RDX, (int32_t)(offsetof(struct mmu, itlb) + offsetof(struct tlb_fetch, tag)));
    miss[3] = jcc32(e, CC_NE);
    op_m(e, 0, 0x8b, RSI, R12, RDX, (int32_t)(offsetof(struct mmu, itlb) + offsetof(struct tlb_fetch, frame)));
    op_m(e, 0, 0x3b, RSI, RCX, NOIDX, (int32_t)offsetof(struct jcache, frame));
    miss[4] = jcc32(e, CC_NE);
    op_m(e, 0, 0xff, 4, RCX, NOIDX, (int32_t)offsetof(struct jcache, code));   /* jmp [rcx+code] */
    for (int i = 0; i < 5; i++)
        if (!e->full)
            patch(miss[i], e->p);
    leave(t, EXIT_JCACHE);
}

static void rec_entry(struct tr *t);

/* Leave for guest address target, storing the cached registers written so
 * far (the instructions retired are counted already).  A target on the
 * block's own page gets a jump that the dispatcher can later point at the
 * target's block.  A loop (a block whose jump goes back to its own start)
 * goes round in place while the budget lasts, its registers staying in
 * host registers: such a block loads every cached register when it is
 * entered and counts them all written from the start, so any way out
 * stores them all, whatever iteration it is in. */
static void exit_to(struct tr *t, uint32_t target)
{
    struct emit *e = &t->e;
    if (t->loop && target == t->start) {
        if (t->rec && t->rec->fetches)
            rec_entry(t);                     /* the start is fetched again */
        op_m(e, 1, 0x3b, R13, CTX(budget));   /* cmp r13, [budget] */
        uint8_t *again = jcc32(e, CC_B);
        if (!e->full)
            patch(again, t->body);
    }
    write_back(t, t->dirty);
    if (PAGE_DOWN(target) == t->page) {
        op_m(e, 1, 0x3b, R13, CTX(budget));   /* cmp r13, [budget] */
        uint8_t *over = jcc32(e, CC_AE);      /* budget spent: no chaining */
        uint8_t *site = jmp32(e);             /* the chain: patched later */
        if (!e->full)
            patch(site, e->p);
        set_pc(t, target);
        b1(e, 0x48);                          /* lea rax, [rip + site - next] */
        b1(e, 0x8d);
        b1(e, 0x05);
        b4(e, (uint32_t)(int32_t)(site - (e->p + 4)));
        op_m(e, 1, 0x89, RAX, CTX(chain));
        leave(t, EXIT_CHAIN);
        if (!e->full)
            patch(over, e->p);
        set_pc(t, target);
        leave(t, EXIT_PC);
        return;
    }
    mov_ri(e, RAX, target);                   /* another page: see struct jcache */
    jump_cached(t);
}

/* esi = rs1 + imm; eax = TLB index * 16; edx = the compared tag; then
 * compare with the read or write tag and jump to a new stub if it differs. */
static int tlb_check(struct tr *t, const struct dinsn *d, unsigned size, bool store,
                     uint32_t pc, unsigned k)
{
    struct emit *e = &t->e;
    /* the address: in rs1's host register itself when the offset is 0
     * (the slow path copies it to esi), else in esi */
    int va = RSI;
    if (!d->imm && d->rs1 != 0 && t->host[d->rs1] >= 0 && (!t->rec || store || d->rd != d->rs1)) {
        va = t->host[d->rs1];
    } else if (d->imm && d->rs1 != 0 && t->host[d->rs1] >= 0) {
        op_m(e, 0, 0x8d, RSI, t->host[d->rs1], NOIDX, d->imm);   /* lea esi, [rs1 + imm] */
    } else {
        get(t, RSI, d->rs1);
        if (d->imm)
            alu_ri(e, 0, 0, RSI, d->imm);
    }
    int32_t tag = store ? (int32_t)offsetof(struct tlb_data, wtag) : (int32_t)offsetof(struct tlb_data, rtag);
    struct stub *s = &t->stub[t->nstub++];
    /* (a loop's cached entry is never in a recording block: no "then") */
    *s = (struct stub){
        .pc = pc, .k = (uint8_t)k, .base = (uint8_t)t->base, .op = d->op, .rd = d->rd,
        .rs2 = d->rs2, .len = d->len, .va = (uint8_t)va,
        .ereg = (int8_t)(t->ecache == (int)k ? RDI : t->ecache2 == (int)k ? ECACHE2 : -1),
        .dirty = t->dirty,
        .then = t->rec && t->rec->fetches && k + 1 < t->n ? t->page : REFREC_NONE,
    };
    if (s->ereg >= 0) {
        /* A loop's access, round after round on the same page mostly:
         * compare with the entry rdi (or ECACHE2) names, which the stub
         * sets to this address's entry when it is another.  The register
         * always names some entry of the TLB (the block's entry sets it to
         * the first, and so does every call for rdi; ECACHE2 is kept
         * across calls), and an entry can only hold a page of its own
         * index: a match is the ordinary hit. */
        op_r(e, 0, 0x89, va, RDX);            /* mov edx, va */
        alu_ri(e, 0, 4, RDX, (int32_t)MMU_TAG(0xffffffffu, size));
        op_m(e, 0, 0x3b, RDX, s->ereg, NOIDX, tag);
        s->from = jcc32(e, CC_NE);
        s->hit = e->p;
        op_m(e, 1, 0x8b, RAX, s->ereg, NOIDX, (int32_t)offsetof(struct tlb_data, addend));
        return va;
    }
    op_r(e, 0, 0x89, va, RAX);                /* mov eax, esi */
    op_r(e, 0, 0xc1, 5, RAX);                 /* shr eax, 8 */
    b1(e, PAGE_SHIFT - 4);
    alu_ri(e, 0, 4, RAX, (int32_t)((TLB_SIZE - 1) << 4));
    op_r(e, 0, 0x89, va, RDX);                /* mov edx, esi */
    alu_ri(e, 0, 4, RDX, (int32_t)MMU_TAG(0xffffffffu, size));
    op_m(e, 0, 0x3b, RDX, R12, RAX, tag);
    s->from = jcc32(e, CC_NE);
    op_m(e, 1, 0x8b, RAX, R12, RAX, (int32_t)offsetof(struct tlb_data, addend));
    return va;
}

/* --- recording (see the file comment) ------------------------------------- */

#define RECF(f) RAX, NOIDX, (int32_t)offsetof(struct refrec, f)

static struct rstub *rec_stub(struct tr *t, uint8_t *from, enum rstub_kind kind, uint32_t arg)
{
    struct rstub *r = &t->rstub[t->nrstub++];
    *r = (struct rstub){ from, NULL, arg, kind };
    return r;
}

/* The block's first instruction is fetched: is its page the latest
 * reference already? */
static void rec_entry(struct tr *t)
{
    struct emit *e = &t->e;
    op_m(e, 1, 0x8b, RAX, CTX(rec));          /* mov rax, [rec] */
    op_m(e, 0, 0x81, 7, RECF(last));          /* cmp dword [rax+last], page */
    b4(e, t->page);
    rec_stub(t, jcc32(e, CC_NE), RS_FETCH, t->page)->back = e->p;
}

/* After the fast path of the k-th instruction's access (va = the register
 * holding its address: esi, or the base's own when the offset is 0). */
static void rec_access(struct tr *t, bool store, unsigned k, int va)
{
    struct emit *e = &t->e;
    bool fetches = t->rec->fetches;
    uint8_t *same = NULL;
    struct rstub *r;
    op_m(e, 1, 0x8b, RAX, CTX(rec));
    op_r(e, 0, 0x89, va, RDX);                /* mov edx, va */
    alu_ri(e, 0, 4, RDX, (int32_t)~PAGE_MASK); /* the page */
    if (fetches) {
        /* a store's fast path never writes a code page: C has no write tag */
        if (!store) {
            alu_ri(e, 0, 7, RDX, (int32_t)t->page);
            same = jcc32(e, CC_E);            /* a load from the code page: nothing new */
        } else {
            alu_ri(e, 0, 1, RDX, REFREC_W);
        }
        if (k + 1 == t->n) {                  /* the block's last: no "then C" */
            r = rec_stub(t, jmp32(e), RS_KEY, REFREC_NONE);
            r->back = e->p;
            if (same && !e->full)
                patch(same, e->p);
            return;
        }
    } else {
        if (store) {
            alu_ri(e, 0, 1, RDX, REFREC_W);
            op_m(e, 0, 0x3b, RDX, RECF(last));
        } else {
            op_m(e, 0, 0x8b, RCX, RECF(last));
            alu_ri(e, 0, 4, RCX, ~(int32_t)REFREC_W);
            op_r(e, 0, 0x39, RDX, RCX);       /* cmp ecx, edx */
        }
        same = jcc32(e, CC_E);                /* the same page again */
    }
    op_m(e, 0, 0x3b, RDX, RECF(m1));          /* cmp edx, [rax+m1] */
    r = rec_stub(t, jcc32(e, CC_NE), RS_RAW, fetches ? t->page : REFREC_NONE);
    alu_ri(e, 1, 0, REC_COUNT, fetches ? 2 : 1);   /* add r15, 2 (or 1) */
    if (!fetches)
        op_m(e, 0, 0x89, RDX, RECF(last));
    /* m1 = m2, m2 = edx: nothing to do when both are edx already */
    op_m(e, 0, 0x3b, RDX, RECF(m2));
    uint8_t *still = jcc32(e, CC_E);
    op_m(e, 0, 0x8b, RCX, RECF(m2));
    op_m(e, 0, 0x89, RCX, RECF(m1));
    op_m(e, 0, 0x89, RDX, RECF(m2));
    r->back = e->p;
    if (!e->full)
        patch(still, e->p);
    if (same && !e->full)
        patch(same, e->p);
}

/* refrec_data(rec, the address saved in rec_va, size, store, then), for a
 * slow path whose access has completed. */
static void rec_call_data(struct tr *t, unsigned size, bool store, uint32_t then)
{
    struct emit *e = &t->e;
    push_cached(t);
    op_m(e, 1, 0x8b, RDI, CTX(rec));
    op_m(e, 1, 0x89, REC_COUNT, RDI, NOIDX, (int32_t)offsetof(struct refrec, count));
    op_m(e, 0, 0x8b, RSI, CTX(rec_va));
    mov_ri(e, RDX, size);
    mov_ri(e, RCX, store);
    mov_ri(e, R8, then);
    call_abs(e, (const void *)refrec_data);
    pop_cached(t);
}

/* The raw append of refrec_raw(), inline: the swap of m1 and m2, the run
 * so far, then (edx, arg). */
static void rec_raw_append(struct tr *t, const struct rstub *r)
{
    struct emit *e = &t->e;
    op_m(e, 0, 0x8b, RCX, RECF(m2));          /* m1 = m2, m2 = edx */
    op_m(e, 0, 0x89, RCX, RECF(m1));
    op_m(e, 0, 0x89, RDX, RECF(m2));
    if (!t->rec->fetches)
        op_m(e, 0, 0x89, RDX, RECF(last));
    op_r(e, 1, 0x89, REC_COUNT, RCX);         /* rcx = the run's length */
    op_m(e, 1, 0x2b, RCX, RECF(mark));        /* sub rcx, [rax+mark] */
    uint8_t *norun = jcc32(e, CC_E);
    op_r(e, 1, 0xc1, 4, RCX);                 /* shl rcx, 2 */
    b1(e, 2);
    alu_ri(e, 1, 1, RCX, REFREC_RAW_RUN);     /* or rcx, REFREC_RAW_RUN */
    op_m(e, 1, 0x8b, RDI, RECF(raw));
    op_m(e, 1, 0x89, RCX, RDI, NOIDX, 0);     /* mov [rdi], rcx */
    alu_ri(e, 1, 0, RDI, 8);
    op_m(e, 1, 0x89, RDI, RECF(raw));
    op_m(e, 1, 0x89, REC_COUNT, RECF(mark));  /* the next run starts here */
    if (!e->full)
        patch(norun, e->p);
    op_m(e, 1, 0x8b, RDI, RECF(raw));
    op_m(e, 0, 0x89, RDX, RDI, NOIDX, 0);     /* mov [rdi], edx */
    op_m(e, 0, 0xc7, 0, RDI, NOIDX, 4);       /* mov dword [rdi+4], arg */
    b4(e, r->arg);
    alu_ri(e, 1, 0, RDI, 8);
    op_m(e, 1, 0x89, RDI, RECF(raw));
    op_m(e, 1, 0x3b, RDI, RECF(raw_end));     /* cmp rdi, [rax+raw_end] */
    uint8_t *room = jcc32(e, CC_B);
    if (!e->full)
        patch(room, r->back);
    op_m(e, 1, 0x89, REC_COUNT, RECF(count));
    op_r(e, 1, 0x89, RAX, RDI);
    call_saving(t, (const void *)refrec_drain);
}

static void emit_rstubs(struct tr *t)
{
    struct emit *e = &t->e;
    for (unsigned i = 0; i < t->nrstub; i++) {
        struct rstub *r = &t->rstub[i];
        if (!e->full)
            patch(r->from, e->p);
        if (r->kind != RS_RAW)
            op_m(e, 1, 0x89, REC_COUNT, RECF(count));   /* the recorder reads it */
        switch (r->kind) {
        case RS_FETCH:
            op_r(e, 1, 0x89, RAX, RDI);       /* mov rdi, rax (the recorder) */
            mov_ri(e, RSI, r->arg);
            call_saving(t, (const void *)refrec_fetch);
            break;
        case RS_KEY:
            op_r(e, 1, 0x89, RAX, RDI);
            op_r(e, 0, 0x89, RDX, RSI);       /* esi = the key */
            mov_ri(e, RDX, r->arg);
            call_saving(t, (const void *)refrec_key);
            break;
        case RS_RAW:
            rec_raw_append(t, r);
            break;
        }
        uint8_t *at = jmp32(e);
        if (!e->full)
            patch(at, r->back);
    }
}

static void tr_load(struct tr *t, const struct dinsn *d, uint32_t pc, unsigned k)
{
    static const unsigned mov[] = {
        [OP_lb] = 0x0fbe, [OP_lbu] = 0x0fb6, [OP_lh] = 0x0fbf, [OP_lhu] = 0x0fb7, [OP_lw] = 0x8b,
    };
    unsigned size = d->op == OP_lw ? 4 : d->op == OP_lh || d->op == OP_lhu ? 2 : 1;
    int va = tlb_check(t, d, size, false, pc, k);
    int reg = dst(t, d->rd);
    op_m(&t->e, 0, mov[d->op], reg, RAX, va, 0);
    fin(t, reg, d->rd);
    if (t->rec)
        rec_access(t, false, k, va);
    t->stub[t->nstub - 1].resume = t->e.p;
}

static void tr_store(struct tr *t, const struct dinsn *d, uint32_t pc, unsigned k)
{
    unsigned size = d->op == OP_sw ? 4 : d->op == OP_sh ? 2 : 1;
    int va = tlb_check(t, d, size, true, pc, k);
    int reg = d->rs2 != 0 && t->host[d->rs2] >= 0 ? t->host[d->rs2] : RCX;
    if (reg == RCX)
        get(t, RCX, d->rs2);
    if (size == 2)
        b1(&t->e, 0x66);
    op_m(&t->e, 0, size == 1 ? 0x88 : 0x89, reg, RAX, va, 0);
    if (t->rec)
        rec_access(t, true, k, va);
    t->stub[t->nstub - 1].resume = t->e.p;
}

static void emit_stubs(struct tr *t)
{
    struct emit *e = &t->e;
    for (unsigned i = 0; i < t->nstub; i++) {
        struct stub *s = &t->stub[i];
        bool store = s->op == OP_sb || s->op == OP_sh || s->op == OP_sw;
        unsigned size = s->op == OP_lw || s->op == OP_sw ? 4 :
                        s->op == OP_lh || s->op == OP_lhu || s->op == OP_sh ? 2 : 1;
        if (!e->full)
            patch(s->from, e->p);
        if (s->ereg >= 0) {                   /* ereg = this address's entry: a hit? */
            op_r(e, 0, 0x89, s->va, RAX);
            op_r(e, 0, 0xc1, 5, RAX);
            b1(e, PAGE_SHIFT - 4);
            alu_ri(e, 0, 4, RAX, (int32_t)((TLB_SIZE - 1) << 4));
            op_m(e, 1, 0x8d, s->ereg, R12, RAX, 0);   /* lea ereg, [r12 + rax] */
            op_m(e, 0, 0x3b, RDX, s->ereg, NOIDX,
                 store ? (int32_t)offsetof(struct tlb_data, wtag) : (int32_t)offsetof(struct tlb_data, rtag));
            uint8_t *hit = jcc32(e, CC_E);
            if (!e->full)
                patch(hit, s->hit);
        }
        if (s->va != RSI)
            op_r(e, 0, 0x89, s->va, RSI);     /* mov esi, va */
        if (t->rec)
            op_m(e, 0, 0x89, RSI, CTX(rec_va));   /* the address, for the recorder */
        op_m(e, 1, 0x8b, RDI, CTX(mmu));      /* rdi = mmu; esi = va already */
        mov_ri(e, RDX, size);
        uint8_t *fault;
        if (store) {
            get(t, RCX, s->rs2);
            call_saving(t, (const void *)mmu_store_slow);
            op_r(e, 0, 0x84, RAX, RAX);       /* test al, al */
            fault = jcc32(e, CC_E);
            /* a store into a frame of translated code dropped blocks,
             * maybe this one: leave after the store */
            op_m(e, 0, 0x80, 7, CTX(dirty));  /* cmp byte [dirty], 0 */
            b1(e, 0);
            if (t->rec) {
                uint8_t *left = jcc32(e, CC_NE);
                rec_call_data(t, size, true, s->then);
                uint8_t *back = jmp32(e);
                if (!e->full) {
                    patch(back, s->resume);
                    patch(left, e->p);
                }
                rec_call_data(t, size, true, REFREC_NONE);   /* the next block says the rest */
            } else {
                uint8_t *back = jcc32(e, CC_E);
                if (!e->full)
                    patch(back, s->resume);
            }
            write_back(t, s->dirty);         /* a store writes no register */
            add_icount(t, s->k + 1u - s->base);
            set_pc(t, s->pc + s->len);
            leave(t, EXIT_PC);
        } else {
            call_saving(t, (const void *)mmu_load_slow);
            op_r(e, 1, 0x0fba, 4, RAX);       /* bt rax, 32: MMU_LOAD_FAULT */
            b1(e, 32);
            fault = jcc32(e, CC_B);
            if (s->op == OP_lb)
                op_r(e, 0, 0x0fbe, RAX, RAX); /* movsx eax, al */
            else if (s->op == OP_lh)
                op_r(e, 0, 0x0fbf, RAX, RAX); /* movsx eax, ax */
            put(t, RAX, s->rd);
            if (t->rec)
                rec_call_data(t, size, false, s->then);
            uint8_t *back = jmp32(e);
            if (!e->full)
                patch(back, s->resume);
        }
        if (!e->full)
            patch(fault, e->p);
        write_back(t, s->dirty);
        add_icount(t, s->k - s->base);
        set_pc(t, s->pc);
        leave(t, EXIT_MEMFAULT);
    }
}

/* Can a block hold this instruction? */
static bool translatable(unsigned op)
{
    switch (op) {
    case OP_DECODE: case OP_PAGE_END: case OP_ILLEGAL:
    case OP_fence_i:
    case OP_csrrw: case OP_csrrs: case OP_csrrc:
    case OP_csrrwi: case OP_csrrsi: case OP_csrrci:
    case OP_lr_w: case OP_sc_w:
    case OP_amoswap_w: case OP_amoadd_w: case OP_amoxor_w: case OP_amoand_w:
    case OP_amoor_w: case OP_amomin_w: case OP_amomax_w: case OP_amominu_w:
    case OP_amomaxu_w:
        return false;
    default:
        return true;
    }
}

/* Does this instruction end a block (it emits its own exits)? */
static bool ends_block(unsigned op)
{
    switch (op) {
    case OP_jal: case OP_jalr:
    case OP_beq: case OP_bne: case OP_blt: case OP_bge: case OP_bltu: case OP_bgeu:
    case OP_ecall: case OP_ebreak:
        return true;
    default:
        return false;
    }
}

/* Emit one instruction (the k-th of the block, at pc). */
static void tr_insn(struct tr *t, const struct dinsn *d, uint32_t pc, unsigned k)
{
    struct emit *e = &t->e;
    uint32_t next = pc + d->len;
    switch (d->op) {
    case OP_lui:
        put_imm(t, d->rd, (uint32_t)d->imm);
        return;
    case OP_auipc:
        put_imm(t, d->rd, pc + (uint32_t)d->imm);
        return;
    case OP_jal:
        put_imm(t, d->rd, next);
        add_icount(t, k + 1 - t->base);
        exit_to(t, pc + (uint32_t)d->imm);
        return;
    case OP_jalr:
        get(t, RAX, d->rs1);                  /* before rd is written: rd may be rs1 */
        if (d->imm)
            alu_ri(e, 0, 0, RAX, d->imm);
        alu_ri(e, 0, 4, RAX, -2);
        put_imm(t, d->rd, next);
        write_back(t, t->dirty);
        add_icount(t, k + 1 - t->base);
        jump_cached(t);
        return;
    case OP_beq: case OP_bne: case OP_blt: case OP_bge: case OP_bltu: case OP_bgeu: {
        static const int cc[] = {
            [OP_beq] = CC_E, [OP_bne] = CC_NE, [OP_blt] = CC_L,
            [OP_bge] = CC_GE, [OP_bltu] = CC_B, [OP_bgeu] = CC_AE,
        };
        add_icount(t, k + 1 - t->base);
        cmp_regs(t, d->rs1, d->rs2);
        if (t->inner[k] >= 0) {               /* forward inside the block */
            t->base = k + 1;
            t->site[k] = jcc32(e, cc[d->op]);
            return;
        }
        uint32_t target = pc + (uint32_t)d->imm;
        if (t->loop && target == t->start) {
            /* the way round first: one taken jump a turn, not two */
            uint8_t *out = jcc32(e, cc[d->op] ^ 1);   /* the opposite condition */
            exit_to(t, target);
            if (!e->full)
                patch(out, e->p);
            exit_to(t, next);
            return;
        }
        uint8_t *taken = jcc32(e, cc[d->op]);
        exit_to(t, next);
        if (!e->full)
            patch(taken, e->p);
        exit_to(t, target);
        return;
    }
    case OP_lb: case OP_lh: case OP_lw: case OP_lbu: case OP_lhu:
        tr_load(t, d, pc, k);
        return;
    case OP_sb: case OP_sh: case OP_sw:
        tr_store(t, d, pc, k);
        return;
    case OP_addi: case OP_xori: case OP_ori: case OP_andi: {
        static const int ext[] = { [OP_addi] = 0, [OP_xori] = 6, [OP_ori] = 1, [OP_andi] = 4 };
        if (d->rs1 == 0) {
            put_imm(t, d->rd, d->op == OP_andi ? 0 : (uint32_t)d->imm);
            return;
        }
        int reg = dst(t, d->rd);
        if (t->host[d->rs1] == reg && d->imm == 0 && d->op != OP_andi)
            return;                           /* rd = rd: nothing changes */
        if (reg == RAX && d->rs1 == d->rd) {   /* rd in memory: "add [rd], imm" */
            if (d->imm || d->op == OP_andi)
                alu_mi(e, ext[d->op], GREG(d->rd), d->imm);
            return;
        }
        if (d->op == OP_addi && d->imm && t->host[d->rs1] >= 0 && t->host[d->rs1] != reg) {
            op_m(e, 0, 0x8d, reg, t->host[d->rs1], NOIDX, d->imm);   /* lea reg, [rs1 + imm] */
        } else {
            get_into(t, reg, d->rs1);
            if (d->imm || d->op == OP_andi)
                alu_ri(e, 0, ext[d->op], reg, d->imm);
        }
        fin(t, reg, d->rd);
        return;
    }
    case OP_slti: case OP_sltiu:
        op_r(e, 0, 0x31, RCX, RCX);           /* xor ecx, ecx */
        if (d->rs1 != 0 && t->host[d->rs1] >= 0) {
            alu_ri(e, 0, 7, t->host[d->rs1], d->imm);   /* cmp rs1, imm */
        } else {
            get(t, RAX, d->rs1);
            alu_ri(e, 0, 7, RAX, d->imm);     /* cmp eax, imm */
        }
        op_r(e, 0, 0x0f90 | (d->op == OP_slti ? CC_L : CC_B), 0, RCX);
        put(t, RCX, d->rd);
        return;
    case OP_slli: case OP_srli: case OP_srai: {
        int reg = dst(t, d->rd);
        get_into(t, reg, d->rs1);
        op_r(e, 0, 0xc1, d->op == OP_slli ? 4 : d->op == OP_srli ? 5 : 7, reg);
        b1(e, (unsigned)d->imm & 31);
        fin(t, reg, d->rd);
        return;
    }
    case OP_add: case OP_sub: case OP_xor: case OP_or: case OP_and: case OP_mul: {
        static const unsigned opc[] = {
            [OP_add] = 0x03, [OP_sub] = 0x2b, [OP_xor] = 0x33, [OP_or] = 0x0b,
            [OP_and] = 0x23, [OP_mul] = 0x0faf,
        };
        alu3(t, opc[d->op], d->op != OP_sub, d);
        return;
    }
    case OP_sll: case OP_srl: case OP_sra: {
        get(t, RCX, d->rs2);                  /* first: rd may be rs2 */
        int reg = dst(t, d->rd);
        get_into(t, reg, d->rs1);
        op_r(e, 0, 0xd3, d->op == OP_sll ? 4 : d->op == OP_srl ? 5 : 7, reg);   /* by cl, mod 32 */
        fin(t, reg, d->rd);
        return;
    }
    case OP_slt: case OP_sltu:
        op_r(e, 0, 0x31, RCX, RCX);
        cmp_regs(t, d->rs1, d->rs2);
        op_r(e, 0, 0x0f90 | (d->op == OP_slt ? CC_L : CC_B), 0, RCX);
        put(t, RCX, d->rd);
        return;
    case OP_mulh: case OP_mulhsu: case OP_mulhu:
        /* 64-bit operands, sign- or zero-extended; the product fits */
        get(t, RAX, d->rs1);
        if (d->op != OP_mulhu)
            op_r(e, 1, 0x63, RAX, RAX);       /* movsxd rax, eax */
        get(t, RCX, d->rs2);
        if (d->op == OP_mulh)
            op_r(e, 1, 0x63, RCX, RCX);
        op_r(e, 1, 0x0faf, RAX, RCX);         /* imul rax, rcx */
        op_r(e, 1, 0xc1, 5, RAX);             /* shr rax, 32 */
        b1(e, 32);
        put(t, RAX, d->rd);
        return;
    case OP_div: case OP_divu: case OP_rem: case OP_remu: {
        const void *fn = d->op == OP_div ? (const void *)rv_div : d->op == OP_divu ? (const void *)rv_divu :
                         d->op == OP_rem ? (const void *)rv_rem : (const void *)rv_remu;
        get(t, RDI, d->rs1);
        get(t, RSI, d->rs2);
        call_saving(t, fn);
        put(t, RAX, d->rd);
        return;
    }
    case OP_fence:
        return;                               /* one hart, in-order memory */
    case OP_ecall: case OP_ebreak:
        write_back(t, t->dirty);
        add_icount(t, k - t->base);           /* a trap retires nothing */
        set_pc(t, pc);
        op_m(e, 0, 0xc7, 0, CTX(cause));
        b4(e, d->op == OP_ecall ? CAUSE_ECALL_U : CAUSE_BREAKPOINT);
        op_m(e, 0, 0xc7, 0, CTX(tval));
        b4(e, d->op == OP_ecall ? 0 : pc);
        leave(t, EXIT_TRAP);
        return;
    default:
        return;                               /* not reached: translatable() */
    }
}

/* --- groups of accesses through one base register ---------------------------
 *
 * Loads and stores through the same base register b (sw s0, 8(sp); sw s1,
 * 4(sp); ...) with only register arithmetic between them, b unchanged,
 * form a group when their bytes span less than a page.  The group first
 * checks that the span [b + lo, b + hi] lies in one page and that the TLB
 * holds that page for reading (if the group loads) and writing (if it
 * stores): then every access of the group would hit the same entry, and
 * each is one host instruction through rdi = the host address of b + lo.
 * Otherwise (a miss, a span crossing pages, a watched or code page) the
 * group runs a second copy of its instructions made the ordinary way, each
 * access with its own check and slow path, so faults stay precise.
 *
 * A group may also take in up to GROUP_FOREIGN accesses through other
 * registers (x[i] += y[j]: lw x; lw y; add; sw x is one check for x's load
 * and store, and y's own).  Those keep their own check and slow path in
 * the fast copy, and their slow path goes on in the second copy, after
 * their instruction: a slow path may change the TLB or the frames (a
 * page-in may evict the group's page), so the group's check is trusted
 * only until then.  Nothing else in the fast copy can change the TLB: it
 * has no other slow path and no call.  Blocks with a loop's cached TLB
 * entry in rdi (tr.ecache) and recording blocks take in none. */
#define GROUP_FOREIGN 2u

static bool is_access(unsigned op)
{
    switch (op) {
    case OP_lb: case OP_lh: case OP_lw: case OP_lbu: case OP_lhu:
    case OP_sb: case OP_sh: case OP_sw:
        return true;
    default:
        return false;
    }
}

static bool is_store(unsigned op)
{
    return op == OP_sb || op == OP_sh || op == OP_sw;
}

static unsigned access_size(unsigned op)
{
    return op == OP_lw || op == OP_sw ? 4 : op == OP_lh || op == OP_lhu || op == OP_sh ? 2 : 1;
}

/* The end (exclusive) of the group starting at instruction i, or i when
 * none starts there (fewer than two accesses). */
static unsigned group_end(const struct tr *t, const struct dinsn *d, unsigned n, unsigned i)
{
    if (!is_access(d[i].op) || d[i].rs1 == 0)
        return i;
    unsigned b = d[i].rs1, members = 0, end = i, foreign = 0;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    for (unsigned k = i; k < n; k++) {
        unsigned op = d[k].op;
        bool writes_b = (insn_info[op].flags & F_RD) && d[k].rd == b;
        if (k > i && t->target[k])
            break;                            /* entered from elsewhere: past the check */
        if (is_access(op) && d[k].rs1 != b) {
            if (!t->extend || writes_b || ++foreign > GROUP_FOREIGN)
                break;
            continue;                         /* taken in, if a member follows */
        }
        if (is_access(op)) {
            int32_t l = lo < d[k].imm ? lo : d[k].imm;
            int32_t h = d[k].imm + (int32_t)access_size(op) - 1;
            h = hi > h ? hi : h;
            if (h - l >= (int32_t)PAGE_SIZE)
                break;
            lo = l;
            hi = h;
            members++;
            end = k + 1;
            if (writes_b)
                break;                        /* the last one: b changes */
            continue;
        }
        if (ends_block(op) || writes_b || op == OP_div || op == OP_divu || op == OP_rem ||
            op == OP_remu)
            break;                            /* control, b changes, or a call */
    }
    return members >= 2 ? end : i;
}

/* A loop's register v and how the loop writes it: not at all (0: v is the
 * same each time round), only v += constant (1: a counter), or otherwise
 * (2). */
static int loop_reg_kind(const struct dinsn *d, unsigned n, unsigned v)
{
    int kind = 0;
    if (v == 0)
        return 0;
    for (unsigned k = 0; k < n; k++) {
        if (!(insn_info[d[k].op].flags & F_RD) || d[k].rd != v)
            continue;
        if (d[k].op != OP_addi || d[k].rs1 != v)
            return 2;
        kind = 1;
    }
    return kind;
}

/* Does the base register b of a loop's access d[i] step through memory,
 * so that the access is likely on the page it was on the last time round
 * (the loop TLB entry in rdi, tr.ecache)?  The writes to b that reach the
 * access, going back round the loop from it, must be steps (b += constant,
 * b += a register the loop leaves alone) back to one that sets b afresh
 * from a counter (counter << k, counter + such a register: a[i] as
 * (i << 2) + a), or there must be nothing else.  An address made afresh
 * each time round some other way (a hash, a random index, a pointer
 * loaded) is not: there the cached entry misses every time, and its check
 * costs more than it saves (bench_mem's random phase: 0.81 s against
 * 0.71 s without it).  With inner branches some writes may be skipped, so
 * then every write to b must be one of those. */
static bool walks_pages(const struct dinsn *d, unsigned n, unsigned i, bool inner)
{
    unsigned b = d[i].rs1;
    if (b == 0)
        return true;
    for (unsigned back = 1; back <= n; back++) {
        const struct dinsn *x = &d[(i + n - back) % n];
        if (!(insn_info[x->op].flags & F_RD) || x->rd != b)
            continue;
        unsigned p = x->rs1, q = x->rs2;
        if (x->op == OP_add && (q == b || (p != b && loop_reg_kind(d, n, q) != 0))) {
            q = x->rs1;                       /* b, or the one that changes, first */
            p = x->rs2;
        }
        bool add_inv = x->op == OP_add && loop_reg_kind(d, n, q) == 0;
        if ((x->op == OP_addi && p == b) || (add_inv && p == b))
            continue;                         /* a step */
        bool fresh = (x->op == OP_addi || x->op == OP_slli || add_inv) &&
                     loop_reg_kind(d, n, p) < 2;
        if (!fresh)
            return false;
        if (!inner)
            return true;                      /* the writes before it do not reach */
    }
    return true;
}

/* Instructions i .. end-1, a group (see above). */
static void tr_group(struct tr *t, const struct dinsn *d, const uint32_t *pcs, unsigned i,
                     unsigned end)
{
    struct emit *e = &t->e;
    unsigned b = d[i].rs1;
    int32_t lo = INT32_MAX, hi = INT32_MIN;
    bool loads = false, stores = false;
    unsigned foreign[GROUP_FOREIGN] = { 0 }, nforeign = 0;   /* their stubs, fast copy */
    for (unsigned k = i; k < end; k++)
        if (is_access(d[k].op) && d[k].rs1 == b) {
            int32_t h = d[k].imm + (int32_t)access_size(d[k].op) - 1;
            lo = lo < d[k].imm ? lo : d[k].imm;
            hi = hi > h ? hi : h;
            if (is_store(d[k].op))
                stores = true;
            else
                loads = true;
        }
    /* One slot: every member has the same offset and size (a load and a
     * store back, x[i] += ...).  Then the ordinary tag, alignment bits
     * kept, says all of it: the span cannot cross a page when aligned,
     * and a misaligned address misses. */
    unsigned size = 0;
    for (unsigned k = i; k < end && size != ~0u; k++)
        if (is_access(d[k].op) && d[k].rs1 == b)
            size = (size == 0 || size == access_size(d[k].op)) && d[k].imm == lo
                   ? access_size(d[k].op) : ~0u;
    bool slot = size != ~0u;
    /* va = b + lo: b's own register when lo is 0 in a slot, else esi */
    int va = RSI;
    if (slot && lo == 0 && t->host[b] >= 0)
        va = t->host[b];
    else if (t->host[b] >= 0)
        op_m(e, 0, 0x8d, RSI, t->host[b], NOIDX, lo);   /* lea esi, [b + lo] */
    else {
        get(t, RSI, b);
        if (lo)
            alu_ri(e, 0, 0, RSI, lo);
    }
    uint8_t *slow[3];
    unsigned nslow = 0;
    if (!slot) {
        /* edx = b + hi: on esi's page? */
        op_m(e, 0, 0x8d, RDX, RSI, NOIDX, hi - lo);     /* lea edx, [rsi + hi - lo] */
        op_r(e, 0, 0x31, RSI, RDX);                     /* xor edx, esi */
        op_r(e, 0, 0xf7, 0, RDX);                       /* test edx, page bits */
        b4(e, ~(uint32_t)PAGE_MASK);
        slow[nslow++] = jcc32(e, CC_NE);
    }
    op_r(e, 0, 0x89, va, RAX);                          /* the TLB entry of va's page */
    op_r(e, 0, 0xc1, 5, RAX);
    b1(e, PAGE_SHIFT - 4);
    alu_ri(e, 0, 4, RAX, (int32_t)((TLB_SIZE - 1) << 4));
    op_r(e, 0, 0x89, va, RDX);
    alu_ri(e, 0, 4, RDX, slot ? (int32_t)MMU_TAG(0xffffffffu, size) : (int32_t)~PAGE_MASK);
    if (loads) {
        op_m(e, 0, 0x3b, RDX, R12, RAX, (int32_t)offsetof(struct tlb_data, rtag));
        slow[nslow++] = jcc32(e, CC_NE);
    }
    if (stores) {
        op_m(e, 0, 0x3b, RDX, R12, RAX, (int32_t)offsetof(struct tlb_data, wtag));
        slow[nslow++] = jcc32(e, CC_NE);
    }
    op_m(e, 1, 0x8b, RDI, R12, RAX, (int32_t)offsetof(struct tlb_data, addend));
    op_r(e, 1, 0x03, RDI, va);                          /* add rdi, va: host of b + lo */
    if (t->rec)
        op_m(e, 0, 0x89, va, CTX(rec_va));              /* the page, for the notes below */

    uint32_t dirty = t->dirty;
    for (unsigned k = i; k < end; k++) {
        const struct dinsn *x = &d[k];
        int32_t off = x->imm - lo;
        if (!is_access(x->op)) {
            tr_insn(t, x, pcs[k], k);
        } else if (x->rs1 != b) {
            tr_insn(t, x, pcs[k], k);         /* taken in: its own check and stub */
            foreign[nforeign++] = t->nstub - 1;
        } else if (is_store(x->op)) {
            int reg = x->rs2 != 0 && t->host[x->rs2] >= 0 ? t->host[x->rs2] : RCX;
            if (reg == RCX)
                get(t, RCX, x->rs2);
            if (x->op == OP_sh)
                b1(e, 0x66);
            op_m(e, 0, x->op == OP_sb ? 0x88 : 0x89, reg, RDI, NOIDX, off);
        } else {
            static const unsigned mov[] = {
                [OP_lb] = 0x0fbe, [OP_lbu] = 0x0fb6, [OP_lh] = 0x0fbf, [OP_lhu] = 0x0fb7, [OP_lw] = 0x8b,
            };
            int reg = dst(t, x->rd);
            op_m(e, 0, mov[x->op], reg, RDI, NOIDX, off);
            fin(t, reg, x->rd);
        }
    }
    /* Recording: the notes of the accesses, in order, once they are all
     * done (a note's stubs may call the recorder, which rdi does not
     * survive).  They are all on rec_va's page, and nothing else was
     * referenced in between (the instruction fetches are the notes'
     * "then C"), so the string is the one the accesses made one by one. */
    if (t->rec)                               /* (which takes in no other access) */
        for (unsigned k = i; k < end; k++)
            if (is_access(d[k].op)) {
                op_m(e, 0, 0x8b, RSI, CTX(rec_va));
                rec_access(t, is_store(d[k].op), k, RSI);
            }
    uint32_t after = t->dirty;
    uint8_t *done = jmp32(e);
    for (unsigned k = 0; k < nslow; k++)
        if (!e->full)
            patch(slow[k], e->p);
    t->dirty = dirty;                         /* the same instructions, the ordinary way */
    for (unsigned k = i, f = 0; k < end; k++) {
        tr_insn(t, &d[k], pcs[k], k);
        /* a taken-in access's slow path in the fast copy goes on here, with
         * the same registers cached and written */
        if (is_access(d[k].op) && d[k].rs1 != b)
            t->stub[foreign[f++]].resume = e->p;
    }
    if (!e->full)
        patch(done, e->p);
    t->dirty |= after;
}

/* Inner branches: a conditional branch a short way forward on the block's
 * page need not end the block.  Decoding goes on past it, and when its
 * target is one of the block's instructions it becomes a jump inside the
 * block (the fall-through and the target join there), so a loop with an
 * if in it can still go round in place.  Such a block loads all its
 * cached registers on entry and counts them written from the start, as a
 * loop does.  r13 counts instructions retired along the way taken: an
 * inner branch adds those before it, a join adds those of the way that
 * falls into it, and every exit adds those since (tr.base).  Groups stop
 * before a join: the way that jumps there has not made the group's
 * check. */
#define INNER_REACH 64u                  /* bytes: how far forward */

static bool inner_candidate(const struct dinsn *d, uint32_t pc)
{
    switch (d->op) {
    case OP_beq: case OP_bne: case OP_blt: case OP_bge: case OP_bltu: case OP_bgeu:
        return d->imm > 0 && (uint32_t)d->imm <= INNER_REACH &&
               PAGE_DOWN(pc + (uint32_t)d->imm) == PAGE_DOWN(pc);
    default:
        return false;
    }
}

/* Resolve the candidates among ds[0..n): each gets its target's index in
 * t->inner, or the block ends with it (and with it every candidate before
 * it whose target was past it).  Returns the new n; *ended and *next (the
 * pc after the block) follow. */
static unsigned place_inner(struct tr *t, const struct dinsn *ds, const uint32_t *pcs, unsigned n,
                            bool *ended, uint32_t *next)
{
    memset(t->target, 0, sizeof t->target);
    for (bool again = true; again;) {
        again = false;
        for (unsigned b = 0; b < n; b++) {
            t->inner[b] = -1;
            if (!inner_candidate(&ds[b], pcs[b]))
                continue;
            if (b + 1 == n && *ended) {
                break;                        /* the block's own ending branch */
            }
            uint32_t to = pcs[b] + (uint32_t)ds[b].imm;
            unsigned j = b + 1;
            while (j < n && pcs[j] < to)
                j++;
            if (j < n && pcs[j] == to) {
                t->inner[b] = (int8_t)j;
                continue;
            }
            n = b + 1;                        /* it ends the block after all */
            *ended = true;
            *next = pcs[b] + ds[b].len;
            again = true;
            break;
        }
    }
    for (unsigned b = 0; b < n; b++)
        if (t->inner[b] >= 0)
            t->target[t->inner[b]] = true;
    return n;
}

/* Does the block's last instruction d (at pc) jump back to the block's
 * start? */
static bool loops_back(const struct dinsn *d, uint32_t pc, uint32_t start)
{
    switch (d->op) {
    case OP_jal:
    case OP_beq: case OP_bne: case OP_blt: case OP_bge: case OP_bltu: case OP_bgeu:
        return pc + (uint32_t)d->imm == start;
    default:
        return false;
    }
}

/* Decode the instruction at pc from its page's bytes.  Returns false for
 * one a block must not hold (it straddles the page end, or is not
 * translatable). */
static bool tr_decode(const uint8_t *hpage, uint32_t pc, struct dinsn *d)
{
    uint32_t off = VA_OFFSET(pc);
    return insn_decode_bytes(hpage + off, PAGE_SIZE - off, d) && translatable(d->op);
}

static uint8_t *align16(uint8_t *p)
{
    return (uint8_t *)(((uintptr_t)p + 15) & ~(uintptr_t)15);
}

static void buffer_reset(struct jit *j)
{
    for (uint32_t f = 0; f < j->pages_hwm; f++)
        if (j->pages[f])
            memset(j->pages[f], 0, sizeof *j->pages[f]);
    j->cur = align16(j->epilogue + 64);
    j->gen++;
    j->ctx.jgen++;
    j->st.flushes++;
}

/* Free every frame's block table (the host memory cap refused a new one):
 * all blocks are forgotten, as at a buffer reset. */
static void free_tables(struct jit *j)
{
    buffer_reset(j);
    for (uint32_t f = 0; f < j->pages_hwm; f++) {
        hostmem_free(j->cpu->hm, HOSTMEM_TRANSLATED, j->pages[f], sizeof(struct jpage));
        j->pages[f] = NULL;
    }
}

/* A block table for frame, within the host memory budget (emptying all
 * tables once when none can be had).  Returns false when there is none:
 * the interpreter runs the code. */
static bool table_for(struct jit *j, uint32_t frame)
{
    if (j->pages[frame])
        return true;
    struct hostmem *hm = j->cpu->hm;
    j->pages[frame] = hostmem_alloc(hm, HOSTMEM_TRANSLATED, sizeof(struct jpage));
    if (!j->pages[frame]) {                   /* the cap, or the host: make room */
        free_tables(j);
        j->pages[frame] = hostmem_alloc(hm, HOSTMEM_TRANSLATED, sizeof(struct jpage));
    }
    if (!j->pages[frame])
        return false;
    if (frame >= j->pages_hwm)
        j->pages_hwm = frame + 1;
    return true;
}

/* Translate the block at pc (in frame, whose bytes are hpage).  Returns
 * its code, or NULL if the first instruction is not for a block (or no
 * table can be had for its frame). */
static uint8_t *translate(struct jit *j, const uint8_t *hpage, uint32_t pc, uint32_t frame)
{
    struct dinsn d;
    struct cpu *c = j->cpu;
    if (!tr_decode(hpage, pc, &d) || (c->nbp && cpu_bp_at(c, pc)))
        return NULL;                          /* the interpreter runs (or stops at) it */
    if (!table_for(j, frame))
        return NULL;
    struct mmu *mmu = j->cpu->mmu;
    if (!mmu->code_frames[frame])
        mmu_mark_code_frame(mmu, frame);       /* stores to it take the slow path */

    struct tr t;
    t.j = j;
    t.nstub = 0;
    t.nrstub = 0;
    t.rec = j->rec;
    t.page = PAGE_DOWN(pc);
    struct dinsn ds[JIT_MAX_INSNS];
    uint32_t pcs[JIT_MAX_INSNS];
    unsigned n = 0;
    uint32_t a = pc;
    bool ended = false;
    ds[0] = d;
    for (;;) {
        pcs[n] = a;
        a += ds[n].len;
        if (ends_block(ds[n].op) && !inner_candidate(&ds[n], pcs[n])) {
            n++;
            ended = true;
            break;
        }
        n++;
        if (n == JIT_MAX_INSNS || PAGE_DOWN(a) != t.page || !tr_decode(hpage, a, &ds[n]) ||
            (c->nbp && cpu_bp_at(c, a)))     /* a block ends before a breakpoint */
            break;
    }
    n = place_inner(&t, ds, pcs, n, &ended, &a);
    t.loop = ended && loops_back(&ds[n - 1], pcs[n - 1], pc);
    t.n = n;
    t.base = 0;
    bool inner = false;
    for (unsigned i = 0; i < n; i++)
        inner |= t.inner[i] >= 0;
    t.start = pc;
    t.ecache = t.ecache2 = -1;
    t.extend = false;
    if (t.loop && !t.rec) {                   /* the recorder's stubs use rdi */
        bool groups = false;
        for (unsigned i = 0; i < n; i++)
            if (group_end(&t, ds, n, i) > i)
                groups = true;                /* they use rdi */
        for (unsigned i = 0; i < n && !groups && t.ecache2 < 0; i++)
            if (is_access(ds[i].op) && walks_pages(ds, n, i, inner)) {
                if (t.ecache < 0)
                    t.ecache = (int)i;
                else
                    t.ecache2 = (int)i;
            }
    }
    t.extend = !t.rec && t.ecache < 0;        /* rdi is free for groups (see group_end) */
    allocate(&t, ds, n, t.loop, t.ecache2 >= 0 ? NCACHE - 1 : NCACHE);
    if (t.loop || inner) {
        /* every cached register loaded and counted written from the start:
         * then any way out may store them all, whatever the path */
        for (unsigned g = 1; g < REG_SINK; g++)
            if (t.host[g] >= 0)
                t.live_in |= 1u << g;
        for (unsigned i = 0; i < n; i++)
            if ((insn_info[ds[i].op].flags & F_RD) && t.host[ds[i].rd] >= 0)
                t.dirty |= 1u << ds[i].rd;
    }

    unsigned room = block_room(j, n);
    if ((size_t)(j->end - j->cur) < sizeof(struct jhdr) + room) {
        buffer_reset(j);
        if ((size_t)(j->end - j->cur) < sizeof(struct jhdr) + room)
            return NULL;                      /* only with jit_limit_buffer */
    }
    struct jhdr *h = (struct jhdr *)j->cur;
    uint8_t *code = j->cur + sizeof *h;
    t.e = (struct emit){ code, code + room, false };
    if (t.rec && t.rec->fetches)
        rec_entry(&t);
    load_cached(&t);
    if (t.ecache >= 0)
        op_r(&t.e, 1, 0x89, R12, RDI);        /* mov rdi, r12: the first entry */
    if (t.ecache2 >= 0)
        op_r(&t.e, 1, 0x89, R12, ECACHE2);    /* and ECACHE2's */
    t.body = t.e.p;
    for (unsigned i = 0; i < n;) {
        if (t.target[i]) {                    /* inner branches land here */
            add_icount(&t, i - t.base);       /* the way that falls through */
            t.base = i;
            for (unsigned b = 0; b < i; b++)
                if (t.inner[b] == (int)i && !t.e.full)
                    patch(t.site[b], t.e.p);
        }
        unsigned end = group_end(&t, ds, n, i);
        if (end > i) {
            tr_group(&t, ds, pcs, i, end);
            i = end;
        } else {
            tr_insn(&t, &ds[i], pcs[i], i);
            i++;
        }
    }
    if (!ended) {
        add_icount(&t, n - t.base);
        exit_to(&t, a);
    }
    emit_stubs(&t);
    if (t.rec)
        emit_rstubs(&t);
    if (t.e.full)                             /* cannot happen: block_room is a bound */
        return NULL;                          /* the interpreter runs it */
    h->pc = pc;
    j->cur = align16(t.e.p);
    j->pages[frame]->entry[VA_OFFSET(pc) >> 1] = code;
    j->st.blocks++;
    j->st.loop_tlb += t.ecache >= 0;
    j->st.loop_tlb2 += t.ecache2 >= 0;
    j->st.insns += n;
    j->st.bytes += (uint64_t)(t.e.p - code);
    if (j->perf_map)
        fprintf(j->perf_map, "%lx %lx vmlab-block-0x%08x-%u-insns\n", (unsigned long)(uintptr_t)code,
                (unsigned long)(t.e.p - code), pc, n);
    return code;
}

static uint8_t *lookup(struct jit *j, uint32_t frame, uint32_t pc)
{
    if (!j->pages[frame])
        return NULL;
    uint8_t *code = j->pages[frame]->entry[VA_OFFSET(pc) >> 1];
    if (code && ((struct jhdr *)(code - sizeof(struct jhdr)))->pc != pc)
        return NULL;
    return code;
}

/* The entry and exit sequences, at the start of the buffer. */
static void emit_trampolines(struct jit *j)
{
    struct emit e = { j->buf, j->end, false };
    j->enter = (enter_fn)(uintptr_t)e.p;
    b1(&e, 0x53);                             /* push rbx, rbp, r12-r15 */
    b1(&e, 0x55);
    for (int r = R12; r <= R15; r++) {
        b1(&e, 0x41);
        b1(&e, 0x50 + (r & 7));
    }
    alu_ri(&e, 1, 5, RSP, 8);                 /* sub rsp, 8: calls stay aligned */
    op_r(&e, 1, 0x89, RDI, RBP);              /* mov rbp, rdi */
    if (j->rec) {                             /* r15 = the recorder's count */
        op_m(&e, 1, 0x8b, RAX, CTX(rec));
        op_m(&e, 1, 0x8b, REC_COUNT, RAX, NOIDX, (int32_t)offsetof(struct refrec, count));
    }
    op_m(&e, 1, 0x8b, RBX, CTX(x));
    op_m(&e, 1, 0x8b, R12, CTX(tlb));
    op_r(&e, 1, 0x89, RDX, R13);
    op_m(&e, 1, 0x89, RCX, CTX(budget));
    op_r(&e, 0, 0xff, 4, RSI);                /* jmp rsi */
    j->epilogue = e.p;
    op_m(&e, 1, 0x89, R13, CTX(icount));
    if (j->rec) {
        op_m(&e, 1, 0x8b, RCX, CTX(rec));
        op_m(&e, 1, 0x89, REC_COUNT, RCX, NOIDX, (int32_t)offsetof(struct refrec, count));
    }
    alu_ri(&e, 1, 0, RSP, 8);
    for (int r = R15; r >= R12; r--) {
        b1(&e, 0x41);
        b1(&e, 0x58 + (r & 7));
    }
    b1(&e, 0x5d);
    b1(&e, 0x5b);
    b1(&e, 0xc3);
    j->cur = align16(j->epilogue + 64);
}

struct jit *jit_create(struct cpu *c)
{
    if (!hostmem_charge(c->hm, HOSTMEM_TRANSLATED, CODE_BYTES + JC_SIZE * sizeof(struct jcache)))
        return NULL;                          /* a cap below the code buffer: interpret */
    struct jit *j = calloc(1, sizeof *j);
    void *buf = MAP_FAILED;
    if (j) {
        j->jc = malloc(JC_SIZE * sizeof *j->jc);
        j->pages = j->jc ? calloc(c->nframes, sizeof *j->pages) : NULL;
        buf = mmap(NULL, CODE_BYTES, PROT_READ | PROT_WRITE | PROT_EXEC,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    }
    if (!j || !j->pages || buf == MAP_FAILED) {
        if (buf != MAP_FAILED)
            munmap(buf, CODE_BYTES);
        if (j) {
            free(j->pages);
            free(j->jc);
        }
        free(j);
        hostmem_release(c->hm, HOSTMEM_TRANSLATED, CODE_BYTES + JC_SIZE * sizeof(struct jcache));
        return NULL;
    }
    j->cpu = c;
    j->nframes = c->nframes;
    j->buf = buf;
    j->end = j->buf + CODE_BYTES;
    j->ctx.x = c->x;
    j->ctx.tlb = c->mmu->tlb;
    j->ctx.mmu = c->mmu;
    j->ctx.jgen = 1;
    j->ctx.jcache = j->jc;
    for (unsigned i = 0; i < JC_SIZE; i++)
        j->jc[i] = (struct jcache){ 1, 0, 0, 0, NULL, 0 };
    emit_trampolines(j);
    const char *pm = getenv("VMLAB_PERF_MAP");
    if (pm && *pm && strcmp(pm, "0") != 0) {
        char name[64];
        snprintf(name, sizeof name, "/tmp/perf-%ld.map", (long)getpid());
        j->perf_map = fopen(name, "a");
        if (!j->perf_map)
            fprintf(stderr, "vmlab: warning: cannot write %s; no perf map\n", name);
        else
            setvbuf(j->perf_map, NULL, _IOLBF, 0);
    }
    return j;
}

void jit_destroy(struct jit *j)
{
    if (!j)
        return;
    for (uint32_t f = 0; f < j->pages_hwm; f++)
        hostmem_free(j->cpu->hm, HOSTMEM_TRANSLATED, j->pages[f], sizeof(struct jpage));
    free(j->pages);
    free(j->jc);
    munmap(j->buf, CODE_BYTES);
    hostmem_release(j->cpu->hm, HOSTMEM_TRANSLATED, CODE_BYTES + JC_SIZE * sizeof(struct jcache));
    if (j->perf_map)
        fclose(j->perf_map);
    free(j);
}

bool jit_drop_frame(struct jit *j, uint32_t frame)
{
    if (frame >= j->nframes || !j->pages[frame])
        return false;
    memset(j->pages[frame], 0, sizeof *j->pages[frame]);
    j->ctx.dirty = 1;
    j->ctx.jgen++;                            /* no jump-cache entry may lead into them */
    return true;
}

void jit_drop_all(struct jit *j)
{
    for (uint32_t f = 0; f < j->pages_hwm; f++)
        jit_drop_frame(j, f);
}

const struct jit_stats *jit_stats(const struct jit *j)
{
    return &j->st;
}

void jit_limit_buffer(struct jit *j, unsigned insns)
{
    if (insns < 1)
        insns = 1;
    if (insns > JIT_MAX_INSNS)
        insns = JIT_MAX_INSNS;
    buffer_reset(j);
    j->end = j->cur + sizeof(struct jhdr) + block_room(j, insns);
    j->st.flushes = 0;
}

void jit_record(struct jit *j, struct refrec *rec)
{
    assert(j->st.blocks == 0 && "jit_record: blocks were translated before recording started");
    j->rec = rec;
    j->ctx.rec = rec;
    emit_trampolines(j);                      /* they carry the count in r15 */
}

enum jit_stop jit_run(struct jit *j, uint64_t limit, bool *step)
{
    struct cpu *c = j->cpu;
    struct mmu *mmu = c->mmu;
    uint64_t budget = limit > JIT_MAX_INSNS + 1 ? limit - JIT_MAX_INSNS - 1 : 0;
    *step = false;
    bool fill = false;                        /* the pc missed in the jump cache */
    while (c->instret < budget) {
        uint32_t pc = c->pc, frame;
        if (pc & 1)
            return JIT_STOP_INTERP;           /* the interpreter raises the trap */
        uint8_t *hpage = mmu_fetch_page(mmu, pc, &frame);
        if (!hpage) {
            c->trap.cause = mmu->fault.cause;
            c->trap.tval = mmu->fault.addr;
            return JIT_STOP_TRAP;
        }
        uint8_t *code = lookup(j, frame, pc);
        if (!code && !(code = translate(j, hpage, pc, frame))) {
            *step = true;
            return JIT_STOP_INTERP;
        }
        if (fill) {
            struct jcache *jc = &j->jc[(pc >> 1) & (JC_SIZE - 1)];
            *jc = (struct jcache){ pc, j->ctx.jgen, frame, 0, code, 0 };
        }
        j->ctx.dirty = 0;
        int r = j->enter(&j->ctx, code, c->instret, budget);
        c->instret = j->ctx.icount;
        c->pc = j->ctx.pc;
        fill = r == EXIT_JCACHE;
        switch (r) {
        case EXIT_PC:
        case EXIT_JCACHE:
            break;
        case EXIT_CHAIN: {
            /* Chains stay within one page, hence one frame and one
             * translation of it; the block that left (maybe entered
             * through the jump cache, not the one entered here) is on
             * the page of the new pc. */
            uint8_t *site = j->ctx.chain;
            uint64_t gen = j->gen;
            uint32_t f;
            uint8_t *hp = mmu_fetch_page(mmu, c->pc, &f);
            if (!hp)
                break;                        /* the fetch fault is raised above */
            uint8_t *next = lookup(j, f, c->pc);
            if (!next)
                next = translate(j, hp, c->pc, f);
            if (next && gen == j->gen) {
                patch(site, next);
                j->st.chains++;
            }
            break;
        }
        case EXIT_MEMFAULT:
            c->trap.cause = mmu->fault.cause;
            c->trap.tval = mmu->fault.addr;
            return JIT_STOP_TRAP;
        case EXIT_TRAP:
            c->trap.cause = (int)j->ctx.cause;
            c->trap.tval = j->ctx.tval;
            return JIT_STOP_TRAP;
        default:
            abort();
        }
    }
    return JIT_STOP_INTERP;
}

#else   /* no translator for this host */

struct jit *jit_create(struct cpu *c)
{
    (void)c;
    return NULL;
}

void jit_destroy(struct jit *j)
{
    (void)j;
}

enum jit_stop jit_run(struct jit *j, uint64_t limit, bool *step)
{
    (void)j;
    (void)limit;
    *step = false;
    return JIT_STOP_INTERP;
}

bool jit_drop_frame(struct jit *j, uint32_t frame)
{
    (void)j;
    (void)frame;
    return false;
}

void jit_drop_all(struct jit *j)
{
    (void)j;
}

const struct jit_stats *jit_stats(const struct jit *j)
{
    (void)j;
    static const struct jit_stats none;
    return &none;
}

void jit_limit_buffer(struct jit *j, unsigned insns)
{
    (void)j;
    (void)insns;
}

void jit_record(struct jit *j, struct refrec *rec)
{
    (void)j;
    (void)rec;
}

#endif
