/* inspect/report.h — the report `vmlab inspect` gives on a core file, as
 * one plain structure: every fact it states, worked out once from the core
 * and the program file by report_build().  The renderers (inspect/render.h)
 * only lay it out, as text or as JSON, so a fact added here is added to
 * both.
 *
 * The fields are grouped by the report's sections, in the text's order:
 *
 *   1 headline and cause     5 memory map
 *   2 faulting instruction   6 Sv32 walk of the faulting address
 *   3 registers              7 memory around the fault, top of the stack
 *   4 backtrace
 *
 * Numbers are kept as numbers and named bits as booleans; how to print one
 * (hex, "16 KiB", "V=1" or "\"V\": true") is the renderer's choice.  The
 * words are kept as words: the cause, the hint, the verdicts, symbol names.
 * Every pointer points into the report itself or into what it keeps of the
 * core and the program (private to inspect/report.c); all of it lives
 * until report_free().
 */
#ifndef VMLAB_INSPECT_REPORT_H
#define VMLAB_INSPECT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define REPORT_MAX_FRAMES  64     /* backtrace frames kept */
#define REPORT_AROUND      32     /* memory: bytes shown each side of the fault */
#define REPORT_MEM_MAX     (2 * REPORT_AROUND + 32)   /* the window (see report_mem) */
#define REPORT_STACK_WORDS 16     /* top of the stack: words read from sp */
#define REPORT_PTE_BITS    "VRWXUGAD"  /* report_pte.bit[i] is PTE bit i (mmu/sv32.h) */

/* Where a code address is in the program (all NULL without a program file). */
struct report_place {
    const char *func;             /* the symbol holding it, or NULL */
    uint32_t    off;              /* address - the symbol's start (0 without func) */
    const char *inlined;          /* innermost function inlined there (DWARF), or NULL */
    const char *file;             /* source file (DWARF line table), or NULL */
    int         line;             /* its line (0 without file) */
};

/* How the backtrace found a frame. */
enum report_from {
    REPORT_FROM_PC,               /* the pc register (frame 0) */
    REPORT_FROM_RA,               /* the ra register: frame 0 was a leaf */
    REPORT_FROM_FP,               /* saved at fp-4 (the frame pointer chain) */
    REPORT_FROM_SIGNAL,           /* the signal trampoline: a handler was running */
    REPORT_FROM_UC,               /* the interrupted pc, from the signal frame's ucontext */
    REPORT_FROM_CFI,              /* the program's call frame information (DWARF CFI) */
};

struct report_frame {
    uint32_t            pc;       /* pc, or a return address */
    enum report_from    from;
    struct report_place at;       /* looked up at pc, or at the call (pc-1) for a return */
};

/* Which fault the core's VMLAB fault record describes. */
enum report_record {
    REPORT_RECORD_NONE,           /* no record (or no VMLAB note) */
    REPORT_RECORD_THIS,           /* the fault that became this signal */
    REPORT_RECORD_EARLIER,        /* an earlier fault a signal handler dealt with */
};

/* One row of the memory map. */
enum report_row_kind {
    REPORT_ROW_SEGMENT,           /* a segment of the VMLAB note */
    REPORT_ROW_NOTHING,           /* the fault address, where no segment is */
    REPORT_ROW_LOAD,              /* a PT_LOAD (the core has no VMLAB note) */
};

struct report_row {
    enum report_row_kind kind;
    uint32_t    start, end;       /* [start, end); NOTHING: start is the address, end 0 */
    char        perms[4];         /* "r-x" ("" for NOTHING) */
    const char *name;             /* SEGMENT: "text", "stack", ...; else NULL */
    const char *seg_kind;         /* SEGMENT: "file", "anon", "heap", "stack", "sigpage" */
    uint32_t    resident;         /* SEGMENT: pages with a frame at dump time */
    bool        states;           /* SEGMENT: the note says where the others were: */
    uint32_t    swapped;          /*   on swap */
    uint32_t    file_only;        /*   dropped clean, in the file only */
    uint32_t    untouched;        /*   never touched */
};

/* One PTE the walk read. */
struct report_pte {
    const char *level;            /* "root" or "leaf" */
    int         vpn;              /* the VPN index that chose it: 1 (root) or 0 (leaf) */
    uint64_t    addr;             /* its physical address */
    uint32_t    value;
    bool        bit[8];           /* value's bit i, named REPORT_PTE_BITS[i] */
    uint32_t    ppn;              /* value's PPN */
};

struct report_word {              /* a word on the stack */
    uint32_t            value;
    bool                code;     /* it is an address in code ... */
    struct report_place at;       /* ... and this is where (code only) */
};

/* The JSON rendering's version: 2 added each segment's swapped, file-only
 * and untouched pages (version 1 had no "version" field). */
#define REPORT_JSON_VERSION 2

struct report {
    /* 1 headline and cause */
    const char *core;             /* the core file, as named */
    const char *program;          /* the program's name in the headline */
    int         pid;
    const char *command_line;     /* pr_psargs; "" when the core has none */
    bool        note;             /* the core has a VMLAB note this inspector reads */
    uint32_t    note_version;     /* the VMLAB note's version as found; 0: no note */
    uint64_t    instret;          /* instructions executed (note only) */
    const char *program_file;     /* the program file read for symbols, or NULL */
    bool        lines;            /* ... and it has DWARF source lines */
    char        program_note[1400]; /* why none was found, or that it does not match; or "" */
    struct report_signal {
        int         number;
        const char *name;         /* "SIGSEGV" */
        const char *description;  /* "Segmentation fault" */
        int         code;         /* si_code */
        const char *code_name;    /* "SEGV_MAPERR", or NULL */
        bool        has_addr;     /* si_addr is an address (a fault the kernel sent) */
        uint32_t    addr;         /* si_addr */
    } sig;
    char        cause[512];       /* why it died, in words */
    char        hint[256];        /* what to look at or try, or "" */
    struct report_fault {         /* the VMLAB fault record */
        enum report_record record;
        const char *access;       /* "fetch", "load" or "store" (a record only) */
        uint32_t    addr, pc;     /* the faulting address and the pc (a record only) */
        bool        stack_overflow;  /* the stack could not grow to addr */
        int         seg;          /* map.row[seg] is the segment holding addr (THIS
                                     only), or -1 */
    } fault;

    /* 2 the faulting instruction */
    struct report_insn {
        uint32_t    pc;           /* the pc, or the ecall before it (see note) */
        unsigned    len;          /* 2 or 4 bytes; 0: none found (then only pc and note) */
        uint8_t     bytes[4];
        char        text[64];     /* disassembly */
        const char *from;         /* "core" or "program": which held the bytes */
        struct report_place at;
        char        address[96];  /* a load's or store's address, worked out; or "" */
        char        note[160];    /* or "" */
    } insn;

    /* 3 registers */
    struct report_regs {
        uint32_t    pc;
        uint32_t    x[32];        /* x[0] is 0; x[2] is sp */
        struct report_place pc_at;
    } regs;

    /* 4 backtrace (a renderer may fold repeated frames: recursion) */
    struct report_backtrace {
        int         n;
        struct report_frame frame[REPORT_MAX_FRAMES];
        long        more;         /* frames walked past those kept */
        char        end[192];     /* why the walk stopped, or "" */
    } bt;

    /* 5 memory map: the VMLAB note's segments in address order, with a
     * NOTHING row where a SIGSEGV address has none; without the note, the
     * PT_LOADs in file order. */
    struct report_map {
        int         n;
        struct report_row *row;
        uint32_t    brk_start, brk;   /* the heap (note only) */
        uint32_t    stack_limit;      /* bytes (note only) */
    } map;

    /* 6 Sv32 walk of fault.addr for fault.access (record THIS only) */
    struct report_walk {
        const char *none;         /* why there is no walk, or NULL */
        unsigned    vpn[2];       /* the address split: vpn[i] is VPN[i] ... */
        unsigned    offset;       /* ... and the page offset */
        uint32_t    satp;
        const char *mode;         /* "Sv32" or "Bare" */
        uint64_t    root;         /* the root table's physical address */
        int         levels;       /* PTEs read: 0, 1 or 2 */
        struct report_pte pte[2];
        char        verdict[192]; /* what the walk says about the access */
    } walk;

    /* 7 memory around sig.addr (sig.has_addr only): the bytes from 16-byte
     * row (sig.addr & ~15) - REPORT_AROUND up to sig.addr + REPORT_AROUND
     * + 16, clipped to the 32-bit space; then the top of the stack. */
    struct report_mem {
        uint32_t    start;        /* the window is [start, start + len) */
        unsigned    len;
        uint8_t     byte[REPORT_MEM_MAX];
        bool        have[REPORT_MEM_MAX];   /* the core holds byte[i] */
    } mem;
    struct report_stack {
        int         n;            /* words at sp, sp+4, ...: fewer than all when
                                     the core stops holding them */
        struct report_word word[REPORT_STACK_WORDS];
    } stack;

    /* 4b every thread, the faulting one first (cores of more than one
     * thread only: n is 0 otherwise) */
    struct report_threads {
        int         n;
        struct report_thread {
            int         tid;
            const char *state;    /* "running", "futex wait", "exited", or "?" */
            uint32_t    futex;    /* the futex address (futex wait only) */
            uint32_t    stack_start, stack_end;   /* its stack mapping, or 0 0 */
            const char *stack_name;   /* that segment's name, or NULL */
            uint32_t    pc, sp;
            struct report_backtrace bt;
        } *t;
        int         overflow_tid; /* the thread whose stack overflowed, or 0 */
    } threads;
    struct report_src *src;       /* the core and the program (inspect/report.c) */
};

/* Read the core file at core (and the program: the file elf, or NULL to
 * find it from the core) and work out the report into *r.  Returns 0, or
 * -1 with one line in err (no newline) naming the unusable file and why:
 * "CORE: truncated: ...", "ELF: not an ELF file ...".  A missing program
 * file is no error (the report says so).  Never reads outside the core,
 * whatever it holds.  Either way *r must be freed with report_free(). */
__attribute__((warn_unused_result))
int report_build(struct report *r, const char *core, const char *elf, char *err,
                 size_t errlen);

/* Free what report_build() allocated and zero *r.  Safe on a zeroed one. */
void report_free(struct report *r);

/* The ABI names of x0..x31: "zero", "ra", "sp", ... */
extern const char *const report_reg_name[32];

/* n bytes as the report words a size: "8 MiB", "12 KiB", "100 bytes". */
const char *report_size_str(uint64_t n, char buf[32]);

#endif
