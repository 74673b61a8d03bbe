/* inspect/inspect.c — `vmlab inspect CORE [--elf PROGRAM] [--json]`:
 * explain a vmlab core file to a student.
 *
 * The core is read with inspect/coreread.c.  inspect_report() first works out
 * everything the report says into a struct insp (the cause in words, the
 * faulting instruction, the backtrace with symbols and lines), then one of
 * two renderers prints it: text in this order
 *
 *   1 headline and cause     5 memory map (VMLAB note)
 *   2 faulting instruction   6 Sv32 walk of the faulting address
 *   3 registers              7 bytes around the fault, top of the stack
 *   4 backtrace
 *
 * or the same facts as one JSON object.
 *
 * Symbols come from the program's .symtab (elf_symbol), source lines from
 * its DWARF line table (elfutils libdw).  The program is the --elf file,
 * else the path in the core's NT_FILE note, else the first word of the
 * command line (each relative path tried from the current directory and
 * then from the core's directory).  Without it the report shows addresses.
 *
 * Backtrace: frame pointers, as GCC lays them out on RV32 with
 * -fno-omit-frame-pointer.  s0 (fp) is the caller's sp at entry (the CFA):
 *
 *        higher addresses
 *   fp-4   saved ra   (return address into the caller)
 *   fp-8   saved fp   (the caller's s0)
 *        ... locals ...                  <- sp
 *
 * A leaf function saves no ra (and GCC often restores s0 right after its
 * prologue), so when the crash is in one, frame 1 comes from the ra
 * register and the chain continues from s0, which is then the caller's fp.
 * Known limits: no DWARF CFI unwinding, so code built without frame
 * pointers gives a short or wrong backtrace (the report says which frames
 * were inferred); cores are trusted to be a vmlab process's (one thread).
 */
#include "inspect/inspect.h"

#include <assert.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/insn.h"
#include "inspect/coreread.h"
#include "kernel/elf.h"
#include "kernel/sigdef.h"
#include "kernel/segment.h"
#include "kernel/pte.h"
#include "mmu/sv32.h"

#define MAX_FRAMES   64           /* frames shown */
#define MAX_COUNTED  (1 << 20)    /* frames counted past those (deep recursion) */
#define AROUND       32           /* hexdump: bytes each side of the fault */
#define STACK_BYTES  64           /* words shown from sp */
#define USER_END     0xc0000000u  /* kernel/proc.h USER_TOP: no mapping above */

static const char *const abi[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6",
};

static const char *const access_word[3] = { "fetch", "load", "store" };

enum frame_from {
    FROM_PC,          /* the pc register (frame 0) */
    FROM_RA,          /* the ra register: frame 0 was a leaf */
    FROM_FP,          /* saved at fp-4 */
    FROM_SIGNAL,      /* the signal trampoline: a handler was running */
    FROM_UC,          /* the interrupted pc, from the signal frame's ucontext */
};

static const char *const from_word[] = {
    "pc", "ra register", "frame pointer chain", "signal frame", "interrupted context",
};

struct frame {
    uint32_t    pc;           /* pc, or a return address */
    enum frame_from from;
    const char *func;         /* symbol, or NULL */
    uint32_t    off;          /* pc - symbol start */
    const char *inlined;      /* innermost inlined function at pc, or NULL */
    const char *file;         /* source file (DWARF), or NULL */
    int         line;
};

struct insp {
    FILE       *out;
    const char *core_path;
    struct coreread c;
    /* the program file */
    bool        have_elf;
    struct elf_image img;
    char        elf_path[PATH_MAX];
    char        elf_msg[1400];     /* why none was found, or a mismatch warning */
    Elf        *elf;
    Dwarf      *dw;
    const char *program;           /* the name in the headline */
    /* the signal */
    int         sig, code;
    uint32_t    addr;              /* si_addr */
    bool        has_addr;          /* si_addr is an address (kernel-sent fault) */
    bool        fault;             /* the VMLAB fault record explains this signal */
    bool        stale_fault;       /* a fault record for an earlier, handled signal */
    const struct coreread_seg *seg;  /* segment holding the fault address */
    char        cause[512];
    char        hint[256];
    /* the instruction at pc */
    uint32_t    ipc;
    uint8_t     ibytes[4];
    unsigned    ilen;
    char        itext[64];
    const char *isrc;              /* "core" or "program" */
    char        iaddr[96];         /* "a0 (0x00010120) + 0" for loads/stores */
    char        inote[160];
    /* backtrace */
    struct frame bt[MAX_FRAMES];
    int         nbt;
    long        bt_more;           /* frames walked but not kept */
    char        bt_end[192];
    /* walk */
    char        walk_verdict[192];
};

/* ---------------------------------------------------------------------------
 * Small helpers */

static uint32_t get32(const uint8_t *b) { return (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                                                 (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24; }

static bool read32(const struct insp *s, uint32_t va, uint32_t *v)
{
    uint8_t b[4];
    if (coreread_mem(&s->c, va, b, 4) != 4)
        return false;
    *v = get32(b);
    return true;
}

/* Text from the core or the program may hold anything: print it so that
 * no byte can move the terminal cursor. */
static void put_safe(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch < 0x7f)
            fputc(ch, f);
        else
            fprintf(f, "\\x%02x", ch);
    }
}

static const char *size_str(uint64_t n, char buf[32])
{
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(buf, 32, "%llu MiB", (unsigned long long)(n >> 20));
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, 32, "%llu KiB", (unsigned long long)(n >> 10));
    else
        snprintf(buf, 32, "%llu bytes", (unsigned long long)n);
    return buf;
}

/* Is va in memory that holds code (an executable segment or PT_LOAD)? */
static bool is_code(const struct insp *s, uint32_t va)
{
    if (s->c.vm.present) {
        const struct coreread_seg *g = coreread_seg_at(&s->c, va);
        return g && (g->perms & 4);
    }
    for (int i = 0; i < s->c.nload; i++) {
        const struct coreread_load *l = &s->c.load[i];
        if (va >= l->vaddr && va - l->vaddr < l->memsz)
            return l->flags & 1;               /* PF_X */
    }
    return false;
}

/* Could va be a frame pointer: inside a writable, non-code segment? */
static bool is_stack(const struct insp *s, uint32_t va)
{
    if (s->c.vm.present) {
        const struct coreread_seg *g = coreread_seg_at(&s->c, va - 1);
        return g && (g->perms & 2) && !(g->perms & 4);
    }
    for (int i = 0; i < s->c.nload; i++) {
        const struct coreread_load *l = &s->c.load[i];
        if (va - 1 >= l->vaddr && va - 1 - l->vaddr < l->memsz)
            return (l->flags & 2) && !(l->flags & 1);
    }
    return false;
}

/* Bytes of the program file at va (its file-backed part), for code the
 * core left out.  Returns how many were available. */
static size_t elf_bytes(const struct insp *s, uint32_t va, uint8_t *out, size_t len)
{
    if (!s->have_elf)
        return 0;
    for (int i = 0; i < s->img.nseg; i++) {
        const struct elf_seg *g = &s->img.seg[i];
        if (va < g->start || va - g->start >= g->filesz)
            continue;
        uint64_t off = (uint64_t)g->file_off + (va - g->start);
        uint64_t n = g->filesz - (va - g->start);
        if (off >= s->img.size)
            return 0;
        if (n > s->img.size - off)
            n = s->img.size - off;
        if (n > len)
            n = len;
        memcpy(out, s->img.data + off, (size_t)n);
        return (size_t)n;
    }
    return 0;
}

/* Symbol and source line for a frame.  lookup is the address to look up:
 * the pc itself for frame 0, ra-1 for a return address (the call). */
static void describe(struct insp *s, struct frame *f, uint32_t lookup)
{
    f->func = NULL;
    f->file = NULL;
    f->inlined = NULL;
    f->line = 0;
    if (!s->have_elf)
        return;
    uint32_t off;
    f->func = elf_symbol(&s->img, lookup, &off);
    if (f->func)
        f->off = off + (f->pc - lookup);
    if (!s->dw)
        return;
    Dwarf_Die cu;
    if (!dwarf_addrdie(s->dw, lookup, &cu))
        return;
    Dwarf_Line *l = dwarf_getsrc_die(&cu, lookup);
    int line;
    if (l && dwarf_lineno(l, &line) == 0) {
        f->file = dwarf_linesrc(l, NULL, NULL);
        f->line = f->file ? line : 0;
    }
    Dwarf_Die *scopes = NULL;
    int n = dwarf_getscopes(&cu, lookup, &scopes);
    for (int i = 0; i < n; i++) {
        if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
            continue;
        Dwarf_Attribute a;
        if (dwarf_attr_integrate(&scopes[i], DW_AT_name, &a))
            f->inlined = dwarf_formstring(&a);
        break;
    }
    free(scopes);
}

static void sym_str(const struct frame *f, char *buf, size_t len)
{
    if (f->func && f->off)
        snprintf(buf, len, "%s+%u", f->func, f->off);
    else if (f->func)
        snprintf(buf, len, "%s", f->func);
    else
        snprintf(buf, len, "??");
}

/* ---------------------------------------------------------------------------
 * Finding the program */

static bool try_elf(struct insp *s, const char *path, char *tried, size_t tlen)
{
    char err[256];
    size_t used = strlen(tried);
    snprintf(tried + used, tlen - used, "%s%s", used ? ", " : "", path);
    if (access(path, F_OK) != 0)
        return false;
    if (elf_load(path, &s->img, err, sizeof err) != 0) {
        used = strlen(tried);
        snprintf(tried + used, tlen - used, " (%s)", err);
        return false;
    }
    snprintf(s->elf_path, sizeof s->elf_path, "%s", path);
    s->have_elf = true;
    return true;
}

/* path as given, then relative to the core's directory. */
static bool try_candidate(struct insp *s, const char *path, char *tried, size_t tlen)
{
    if (!path || !*path)
        return false;
    if (try_elf(s, path, tried, tlen))
        return true;
    const char *slash = strrchr(s->core_path, '/');
    if (path[0] == '/' || !slash)
        return false;
    char alt[PATH_MAX];
    int n = snprintf(alt, sizeof alt, "%.*s/%s", (int)(slash - s->core_path), s->core_path, path);
    return n > 0 && (size_t)n < sizeof alt && try_elf(s, alt, tried, tlen);
}

/* Does the program's read-only part (code, constants) match the core?  A
 * few changed bytes are a program that patched its own code (--perm
 * text=rwx); more is another program, or another build of it. */
static void check_match(struct insp *s)
{
    uint64_t cmp = 0, diff = 0;
    for (int i = 0; i < s->img.nseg; i++) {
        const struct elf_seg *g = &s->img.seg[i];
        if (g->perms & SEG_W)            /* data changes as the program runs */
            continue;
        for (uint64_t a = g->start; a < (uint64_t)g->start + g->filesz; a += 4096) {
            uint8_t core[4096], file[4096];
            size_t n = coreread_mem(&s->c, (uint32_t)a, core, sizeof core);
            size_t m = elf_bytes(s, (uint32_t)a, file, sizeof file);
            if (m < n)
                n = m;
            for (size_t k = 0; k < n; k++)
                diff += core[k] != file[k];
            cmp += n;
        }
    }
    if (diff > 16)
        snprintf(s->elf_msg, sizeof s->elf_msg, "Warning: the program file's code differs "
                 "from the code in the core (%llu of %llu bytes): it is probably not the "
                 "program that crashed, so symbols and lines may be wrong",
                 (unsigned long long)diff, (unsigned long long)cmp);
    else if (diff)
        snprintf(s->elf_msg, sizeof s->elf_msg, "Note: %llu bytes of code in the core differ "
                 "from the program file: the program changed its own code",
                 (unsigned long long)diff);
}

/* Load the program (--elf, NT_FILE, psargs).  Returns 0, or -1 with err
 * set when an --elf file given explicitly cannot be used. */
static int find_program(struct insp *s, const char *elf_opt, char *err, size_t errlen)
{
    char tried[1024] = "";
    if (elf_opt) {
        if (elf_load(elf_opt, &s->img, err, errlen) != 0)
            return -1;
        snprintf(s->elf_path, sizeof s->elf_path, "%s", elf_opt);
        s->have_elf = true;
    } else {
        /* NT_FILE's path, else the command line's first word if different */
        const char *noted = s->c.nfile ? s->c.file[0].path : "";
        char first[81];
        snprintf(first, sizeof first, "%s", s->c.psargs);
        first[strcspn(first, " ")] = 0;
        bool found = try_candidate(s, noted, tried, sizeof tried);
        if (!found && strcmp(first, noted))
            found = try_candidate(s, first, tried, sizeof tried);
        if (!found) {
            if (tried[0])
                snprintf(s->elf_msg, sizeof s->elf_msg, "the program file was not found "
                         "(tried %s); pass --elf PROGRAM for symbols and source lines. "
                         "Showing addresses only.", tried);
            else
                snprintf(s->elf_msg, sizeof s->elf_msg, "the core names no program file; "
                         "pass --elf PROGRAM for symbols and source lines. "
                         "Showing addresses only.");
            return 0;
        }
    }
    check_match(s);
    if (elf_version(EV_CURRENT) != EV_NONE) {
        s->elf = elf_memory((char *)s->img.data, s->img.size);
        if (s->elf)
            s->dw = dwarf_begin_elf(s->elf, DWARF_C_READ, NULL);
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Why it died */

/* The signal a fault cause turns into (kernel/proc.c record_fault callers). */
static int cause_signal(int cause)
{
    switch (cause) {
    case CAUSE_ILLEGAL_INSN:      return SIGILL;
    case CAUSE_BREAKPOINT:        return SIGTRAP;
    case CAUSE_MISALIGNED_FETCH:
    case CAUSE_MISALIGNED_LOAD:
    case CAUSE_MISALIGNED_STORE:  return SIGBUS;
    default:                      return SIGSEGV;
    }
}

static void neighbours(const struct insp *s, uint32_t a, char *buf, size_t len)
{
    const struct coreread_seg *below = NULL, *above = NULL;
    for (int i = 0; i < s->c.vm.nseg; i++) {
        const struct coreread_seg *g = &s->c.vm.seg[i];
        if (g->end <= a && (!below || g->end > below->end))
            below = g;
        if (g->start > a && (!above || g->start < above->start))
            above = g;
    }
    if (below && above)
        snprintf(buf, len, " (it lies between %s, ending at 0x%08x, and %s, starting at 0x%08x)",
                 below->name, below->end, above->name, above->start);
    else if (below)
        snprintf(buf, len, " (it lies above every segment; the last, %s, ends at 0x%08x)",
                 below->name, below->end);
    else if (above)
        snprintf(buf, len, " (it lies below every segment; the first, %s, starts at 0x%08x)",
                 above->name, above->start);
    else
        buf[0] = 0;
}

static void explain_segv(struct insp *s)
{
    const struct coreread_vmlab *v = &s->c.vm;
    uint32_t a = v->addr;
    char perms[4], where[200], lim[32];
    const char *verb = v->access == ACC_FETCH ? "instruction fetch from"
                     : v->access == ACC_LOAD ? "load from" : "store to";
    if (v->access == ACC_FETCH && a == s->c.pc)
        verb = "jump to";

    if (v->cause == CAUSE_FETCH_ACCESS || v->cause == CAUSE_LOAD_ACCESS ||
        v->cause == CAUSE_STORE_ACCESS) {
        snprintf(s->cause, sizeof s->cause, "%s 0x%08x: an access fault: the page table "
                 "points outside the emulated physical memory.", verb, a);
        return;
    }
    if (s->seg) {
        const struct coreread_seg *g = s->seg;
        const char *what = v->access == ACC_FETCH ? "executable"
                         : v->access == ACC_LOAD ? "readable" : "writable";
        unsigned need = v->access == ACC_FETCH ? 4 : v->access == ACC_LOAD ? 1 : 2;
        if (g->perms == 0)
            snprintf(s->cause, sizeof s->cause, "%s 0x%08x in segment %s (---): the segment "
                     "allows no access at all (PROT_NONE).", verb, a, g->name);
        else if (!(g->perms & need))
            snprintf(s->cause, sizeof s->cause, "%s 0x%08x in segment %s (%s): the segment "
                     "is not %s.", verb, a, g->name, vma_perm_str(g->perms, perms), what);
        else
            snprintf(s->cause, sizeof s->cause, "%s 0x%08x in segment %s (%s): the segment "
                     "allows it now, so its permissions changed after the fault.",
                     verb, a, g->name, vma_perm_str(g->perms, perms));
        if (v->access == ACC_STORE && (g->perms & 4))
            snprintf(s->hint, sizeof s->hint, "Machine code is read-only so that a stray "
                     "pointer cannot rewrite the program; `vmlab run --perm %s=rwx` "
                     "would allow it.", g->name);
        else if (v->access == ACC_FETCH && g->kind == VMA_STACK)
            snprintf(s->hint, sizeof s->hint, "The stack holds data, not code; "
                     "`vmlab run --perm stack=rwx` would make it executable.");
        else if (v->access == ACC_FETCH)
            snprintf(s->hint, sizeof s->hint, "Only the text segment holds code: a jump "
                     "here usually means a corrupted function pointer or return address.");
        return;
    }
    if (v->stack_overflow) {
        snprintf(s->cause, sizeof s->cause, "%s 0x%08x just below the stack: stack overflow: "
                 "the stack could not grow past its %s limit.", verb, a,
                 size_str(v->stack_limit, lim));
        snprintf(s->hint, sizeof s->hint, "Look for unbounded recursion or a huge local "
                 "array in the backtrace; `vmlab run --stack-limit SIZE` changes the limit.");
        return;
    }
    if (a < PAGE_SIZE) {
        if (v->access == ACC_FETCH)
            snprintf(s->cause, sizeof s->cause, "%s 0x%08x: a call through a NULL function "
                     "pointer: page 0 is never mapped.", verb, a);
        else if (a == 0)
            snprintf(s->cause, sizeof s->cause, "%s 0x%08x: a NULL pointer dereference: "
                     "page 0 is never mapped.", verb, a);
        else
            snprintf(s->cause, sizeof s->cause, "%s 0x%08x: a NULL pointer dereference: "
                     "page 0 is never mapped (the address is %u bytes past NULL: a struct "
                     "field or array element reached through a NULL pointer).", verb, a, a);
        return;
    }
    neighbours(s, a, where, sizeof where);
    if (a >= USER_END)
        snprintf(s->cause, sizeof s->cause, "%s 0x%08x: no segment contains this address: "
                 "0x%08x and above belong to the kernel.", verb, a, USER_END);
    else
        snprintf(s->cause, sizeof s->cause, "%s 0x%08x: no segment contains this address%s.",
                 verb, a, where);
}

/* Is the VMLAB fault record about this signal (not an earlier one that a
 * handler dealt with)? */
static void check_fault(struct insp *s)
{
    const struct coreread_vmlab *v = &s->c.vm;
    if (!v->present || !v->fault_valid)
        return;
    if (cause_signal(v->cause) == s->sig && v->si_code == s->code &&
        (!s->c.has_siginfo || v->addr == s->addr))
        s->fault = true;
    else
        s->stale_fault = true;
}

static void explain(struct insp *s)
{
    const struct coreread *c = &s->c;
    int pid = c->has_prpsinfo ? c->pid : c->pr_pid;
    bool by_user = s->code == SI_USER || s->code == SI_TKILL;
    uint32_t sender = s->addr;                       /* si_pid for kill/tkill */

    if (s->fault && s->seg == NULL)
        s->seg = coreread_seg_at(c, c->vm.addr);
    if (s->fault && s->sig == SIGSEGV) {
        explain_segv(s);
    } else if (s->fault && s->sig == SIGILL) {
        uint8_t b[2];
        bool zero = (coreread_mem(c, c->vm.addr, b, 2) == 2 || elf_bytes(s, c->vm.addr, b, 2) == 2)
                    && b[0] == 0 && b[1] == 0;
        snprintf(s->cause, sizeof s->cause, "illegal instruction at 0x%08x: %s", c->vm.addr,
                 zero ? "0x0000 is the defined illegal instruction; running zero-filled "
                        "memory or data as code ends here."
                      : "these bytes are not an RV32IMAC instruction.");
    } else if (s->fault && s->sig == SIGTRAP) {
        snprintf(s->cause, sizeof s->cause, "breakpoint (ebreak) at 0x%08x: the program "
                 "contains a trap instruction (e.g. __builtin_trap()).", c->vm.addr);
    } else if (s->fault && s->sig == SIGBUS) {
        if (c->vm.cause == CAUSE_MISALIGNED_FETCH)
            snprintf(s->cause, sizeof s->cause, "jump to the misaligned address 0x%08x: "
                     "instructions start at even addresses.", c->vm.addr);
        else
            snprintf(s->cause, sizeof s->cause, "atomic access (LR/SC/AMO) to 0x%08x, which "
                     "is not 4-byte aligned: atomics need natural alignment.", c->vm.addr);
    } else if (s->sig == SIGABRT && by_user) {
        snprintf(s->cause, sizeof s->cause, "abort() was called (SIGABRT sent by the "
                 "program itself).");
    } else if (by_user && (int)sender == pid) {
        snprintf(s->cause, sizeof s->cause, "%s was sent by the program itself (%s).",
                 sig_name(s->sig), s->code == SI_TKILL ? "raise() or tgkill()" : "kill()");
    } else if (by_user) {
        snprintf(s->cause, sizeof s->cause, "%s was sent by process %d (%s).",
                 sig_name(s->sig), (int)sender, s->code == SI_TKILL ? "tgkill()" : "kill()");
    } else if (s->sig == SIGXCPU) {
        snprintf(s->cause, sizeof s->cause, "the instruction limit (--max-insns) was "
                 "reached, so the kernel sent SIGXCPU, as RLIMIT_CPU would.");
    } else if (s->has_addr && s->sig == SIGSEGV && !c->vm.present) {
        snprintf(s->cause, sizeof s->cause, "access to 0x%08x: %s (the core has no VMLAB note "
                 "this inspector understands, so no more detail).", s->addr,
                 s->code == SEGV_MAPERR ? "no segment contains this address"
                                        : "the segment there does not allow this access");
    } else if (s->code == SI_KERNEL) {
        snprintf(s->cause, sizeof s->cause, "the kernel sent %s.", sig_name(s->sig));
    } else {
        snprintf(s->cause, sizeof s->cause, "%s with si_code %d; the core records no fault "
                 "that explains it.", sig_name(s->sig), s->code);
    }
}

/* ---------------------------------------------------------------------------
 * The instruction at pc */

static const char *reg_or(int r) { return r >= 0 && r < 32 ? abi[r] : "?"; }

static void instruction(struct insp *s)
{
    const struct coreread *c = &s->c;
    s->ipc = c->pc;
    /* A signal sent by a system call: pc is past the ecall; show the ecall. */
    if ((s->code == SI_USER || s->code == SI_TKILL) && c->pc >= 4) {
        uint8_t b[4];
        if ((coreread_mem(c, c->pc - 4, b, 4) == 4 || elf_bytes(s, c->pc - 4, b, 4) == 4) &&
            get32(b) == 0x00000073) {
            s->ipc = c->pc - 4;
            snprintf(s->inote, sizeof s->inote, "the system call that sent the signal; "
                     "pc 0x%08x is the instruction after it", c->pc);
        }
    }
    size_t n = coreread_mem(c, s->ipc, s->ibytes, 4);
    s->isrc = "core";
    if (n < 2 || (n < 4 && insn_length((uint16_t)(s->ibytes[0] | s->ibytes[1] << 8)) == 4)) {
        uint8_t b[4];
        size_t m = elf_bytes(s, s->ipc, b, 4);
        if (m > n) {
            memcpy(s->ibytes, b, m);
            n = m;
            s->isrc = "program";
        }
    }
    s->ilen = insn_disasm(s->ipc, s->ibytes, n, s->itext, sizeof s->itext);
    if (s->ilen == 0) {
        s->isrc = NULL;
        if (!s->inote[0])
            snprintf(s->inote, sizeof s->inote, "no bytes at 0x%08x in the core%s: the pc "
                     "itself is not mapped", s->ipc, s->have_elf ? " or the program" : "");
        return;
    }
    /* the address a load or store used: base register + offset */
    uint16_t h = (uint16_t)(s->ibytes[0] | s->ibytes[1] << 8);
    uint32_t w = s->ilen == 4 ? get32(s->ibytes) : rvc_expand(h);
    if (w == 0)
        return;
    struct dinsn d;
    insn_decode(w, s->ilen, &d);
    if (d.op >= OP_COUNT || d.op == OP_ILLEGAL)
        return;
    if (insn_info[d.op].flags & (F_LOAD | F_STORE)) {
        uint32_t base = c->x[d.rs1 & 31];
        snprintf(s->iaddr, sizeof s->iaddr, "%s (0x%08x) %c %d = 0x%08x",
                 reg_or(d.rs1), base, d.imm < 0 ? '-' : '+',
                 d.imm < 0 ? -(int)d.imm : (int)d.imm, base + (uint32_t)d.imm);
    }
}

/* ---------------------------------------------------------------------------
 * Backtrace */

static bool add_frame(struct insp *s, uint32_t pc, enum frame_from from)
{
    if (s->nbt >= MAX_FRAMES) {
        /* keep walking to count them: a stack overflow's depth is news */
        if (++s->bt_more < MAX_COUNTED)
            return true;
        snprintf(s->bt_end, sizeof s->bt_end, "stopped after %d frames", MAX_FRAMES + MAX_COUNTED);
        return false;
    }
    struct frame *f = &s->bt[s->nbt++];
    f->pc = pc;
    f->from = from;
    f->off = 0;
    bool ret = from == FROM_RA || from == FROM_FP;
    describe(s, f, ret && pc ? pc - 1 : pc);
    return true;
}

/* Start address of the function holding va, or UINT32_MAX if unknown. */
static uint32_t func_start(const struct insp *s, uint32_t va)
{
    uint32_t off;
    if (!s->have_elf || !elf_symbol(&s->img, va, &off))
        return UINT32_MAX;
    return va - off;
}

static bool is_sigpage(const struct insp *s, uint32_t va)
{
    const struct coreread_seg *g = coreread_seg_at(&s->c, va);
    return g && g->kind == VMA_SIGPAGE;
}

/* Unwind from a register context: pc, ra and fp (s0).  The first frame is
 * added by the caller. */
static void unwind(struct insp *s, uint32_t pc, uint32_t ra, uint32_t fp, int depth)
{
    uint32_t saved = 0;
    bool have_saved = fp >= 8 && read32(s, fp - 4, &saved);
    bool leaf = false;
    if (ra && is_code(s, ra) && !(have_saved && saved == ra)) {
        uint32_t f0 = func_start(s, pc);
        leaf = !(f0 != UINT32_MAX && f0 == func_start(s, ra - 1));
    }
    if (leaf && !add_frame(s, ra, FROM_RA))
        return;
    for (bool first = true;; first = false) {
        uint32_t rs, nfp;
        if (fp == 0) {
            snprintf(s->bt_end, sizeof s->bt_end, "frame pointer 0: the outermost frame");
            return;
        }
        if (fp < 8 || !is_stack(s, fp) || !read32(s, fp - 4, &rs) || !read32(s, fp - 8, &nfp)) {
            snprintf(s->bt_end, sizeof s->bt_end, "frame pointer 0x%08x does not point into "
                     "the stack (code built without frame pointers?)", fp);
            return;
        }
        /* A leaf frame of unoptimised code saves only the old fp, at fp-4. */
        if (first && leaf && !is_code(s, rs) && rs > fp && is_stack(s, rs)) {
            fp = rs;
            first = false;
            if (!read32(s, fp - 4, &rs) || !read32(s, fp - 8, &nfp)) {
                snprintf(s->bt_end, sizeof s->bt_end, "frame at 0x%08x is not in the core", fp);
                return;
            }
        }
        if (rs == 0) {
            snprintf(s->bt_end, sizeof s->bt_end, "return address 0: the outermost frame");
            return;
        }
        if (is_sigpage(s, rs)) {
            /* The handler's caller is the trampoline; its frame (the
             * handler's CFA = fp) starts with siginfo, then the ucontext. */
            uint32_t mc = fp + SIGFRAME_UC + UC_MCONTEXT, upc, ura, ufp;
            if (!add_frame(s, rs, FROM_SIGNAL))
                return;
            if (depth > 4 || !read32(s, mc, &upc) || !read32(s, mc + 4, &ura) ||
                !read32(s, mc + 32, &ufp)) {
                snprintf(s->bt_end, sizeof s->bt_end, "signal frame at 0x%08x not readable", fp);
                return;
            }
            if (!add_frame(s, upc, FROM_UC))
                return;
            unwind(s, upc, ura, ufp, depth + 1);
            return;
        }
        if (!is_code(s, rs)) {
            snprintf(s->bt_end, sizeof s->bt_end, "saved return address 0x%08x at 0x%08x is "
                     "not code: the stack may be corrupted", rs, fp - 4);
            return;
        }
        if (!add_frame(s, rs, FROM_FP))
            return;
        if (nfp != 0 && nfp <= fp) {
            snprintf(s->bt_end, sizeof s->bt_end, "the next frame pointer 0x%08x is not above "
                     "0x%08x: the chain ends", nfp, fp);
            return;
        }
        fp = nfp;
    }
}

static void backtrace(struct insp *s)
{
    add_frame(s, s->c.pc, FROM_PC);
    unwind(s, s->c.pc, s->c.x[1], s->c.x[8], 0);
}

/* ---------------------------------------------------------------------------
 * Sv32 walk verdict */

static void pte_bits(uint32_t pte, char *buf, size_t len)
{
    snprintf(buf, len, "V=%u R=%u W=%u X=%u U=%u G=%u A=%u D=%u  PPN 0x%06x",
             pte & PTE_V ? 1 : 0, pte & PTE_R ? 1 : 0, pte & PTE_W ? 1 : 0,
             pte & PTE_X ? 1 : 0, pte & PTE_U ? 1 : 0, pte & PTE_G ? 1 : 0,
             pte & PTE_A ? 1 : 0, pte & PTE_D ? 1 : 0, PTE_PPN(pte));
}

static void leaf_verdict(char *buf, size_t len, const char *which, uint32_t pte, int access)
{
    static const char *const kind[3] = { "instruction fetch", "load", "store" };
    static const uint32_t need[3] = { PTE_X, PTE_R, PTE_W };
    static const char need_c[3] = { 'X', 'R', 'W' };
    if (!(pte & PTE_R) && (pte & PTE_W))
        snprintf(buf, len, "%s PTE has W=1 but R=0: a reserved combination, always a fault",
                 which);
    else if (!(pte & PTE_U))
        snprintf(buf, len, "%s PTE has U=0: user mode may not touch the page", which);
    else if (!(pte & need[access]))
        snprintf(buf, len, "%s PTE has %c=0: %s %s is not allowed", which, need_c[access],
                 access == ACC_FETCH ? "an" : "a", kind[access]);
    else
        snprintf(buf, len, "%s PTE allows the %s now (it changed after the fault)", which,
                 kind[access]);
}

static void walk_verdict(struct insp *s)
{
    const struct coreread_vmlab *v = &s->c.vm;
    uint32_t root = v->pte[0], leaf = v->pte[1];
    uint32_t lo = v->addr & ~0x3fffffu;
    if (v->cause != CAUSE_FETCH_PAGE_FAULT && v->cause != CAUSE_LOAD_PAGE_FAULT &&
        v->cause != CAUSE_STORE_PAGE_FAULT && v->cause != CAUSE_FETCH_ACCESS &&
        v->cause != CAUSE_LOAD_ACCESS && v->cause != CAUSE_STORE_ACCESS)
        snprintf(s->walk_verdict, sizeof s->walk_verdict, "not a page fault: the signal "
                 "came from the instruction itself, not from the page table");
    else if (v->walk_levels == 0)
        snprintf(s->walk_verdict, sizeof s->walk_verdict, "no page-table entry was read");
    else if (!(root & PTE_V))
        snprintf(s->walk_verdict, sizeof s->walk_verdict, "root PTE V=0: no page table for "
                 "this 4 MiB region (0x%08x-0x%08x)", lo, lo + 0x3fffffu);
    else if (PTE_IS_LEAF(root) || (root & PTE_W))
        leaf_verdict(s->walk_verdict, sizeof s->walk_verdict, "root (4 MiB megapage)", root,
                     v->access);
    else if (v->walk_levels < 2)
        snprintf(s->walk_verdict, sizeof s->walk_verdict, "the second-level table could not "
                 "be read (outside physical memory)");
    else if (!(leaf & PTE_V) && (leaf & PTE_PARKED))
        snprintf(s->walk_verdict, sizeof s->walk_verdict, "leaf PTE V=0: the page keeps its "
                 "frame (PPN 0x%06x) but its segment allows no access", PTE_PPN(leaf));
    else if (!(leaf & PTE_V))
        snprintf(s->walk_verdict, sizeof s->walk_verdict, "leaf PTE V=0: no page is mapped "
                 "at this address");
    else
        leaf_verdict(s->walk_verdict, sizeof s->walk_verdict, "leaf", leaf, v->access);
}

/* ---------------------------------------------------------------------------
 * Text report */

static void frame_text(FILE *o, int i, const struct frame *f)
{
    char sym[160];
    sym_str(f, sym, sizeof sym);
    fprintf(o, "  #%-2d 0x%08x in ", i, f->pc);
    if (f->from == FROM_SIGNAL) {
        fputs("<signal handler called>\n", o);
        return;
    }
    put_safe(o, sym);
    if (f->inlined && (!f->func || strcmp(f->inlined, f->func))) {
        fputs(" [inlined ", o);
        put_safe(o, f->inlined);
        fputs("]", o);
    }
    if (f->file) {
        fputs(" at ", o);
        put_safe(o, f->file);
        fprintf(o, ":%d", f->line);
    }
    if (f->from == FROM_RA)
        fputs("   (from the ra register: the frame above saved none)", o);
    else if (f->from == FROM_UC)
        fputs("   (interrupted by the signal)", o);
    fputc('\n', o);
}

static void hexdump_text(FILE *o, const struct insp *s, uint32_t center, bool mark)
{
    uint64_t start = (center & ~15u) >= AROUND ? (center & ~15u) - AROUND : 0;
    uint64_t end = (uint64_t)(center & ~15u) + 16 + AROUND;
    if (end > 0x100000000ull)
        end = 0x100000000ull;
    for (uint64_t a = start; a < end; a += 16) {
        uint8_t b[16];
        size_t n = coreread_mem(&s->c, (uint32_t)a, b, 16);
        fprintf(o, "  0x%08x: ", (uint32_t)a);
        for (size_t k = 0; k < 16; k++) {
            if (k < n)
                fprintf(o, "%02x ", b[k]);
            else
                fputs("-- ", o);
        }
        fputs(" |", o);
        for (size_t k = 0; k < 16; k++)
            fputc(k < n && b[k] >= 0x20 && b[k] < 0x7f ? b[k] : k < n ? '.' : ' ', o);
        fputs("|\n", o);
        if (mark && center >= a && center < a + 16)
            fprintf(o, "  %*s^^ 0x%08x\n", (int)(12 + 3 * (center - a)), "", center);
    }
}

static void report_text(struct insp *s)
{
    FILE *o = s->out;
    const struct coreread *c = &s->c;
    const struct coreread_vmlab *v = &c->vm;
    const char *cname = sig_code_name(s->sig, s->code);
    char buf[64], sym[160];
    int pid = c->has_prpsinfo ? c->pid : c->pr_pid;

    /* 1. headline */
    fputs("Program ", o);
    put_safe(o, s->program);
    fprintf(o, " (pid %d) was killed by %s (%s), ", pid, sig_name(s->sig),
            sig_description(s->sig));
    if (cname)
        fprintf(o, "%s.\n", cname);
    else
        fprintf(o, "si_code %d.\n", s->code);
    fputs("Cause: ", o);
    put_safe(o, s->cause);
    fputc('\n', o);
    if (s->hint[0])
        fprintf(o, "Hint: %s\n", s->hint);
    if (s->stale_fault)
        fprintf(o, "Note: the core also records an earlier fault (%s at 0x%08x, pc 0x%08x) "
                "that a signal handler dealt with; it is not what killed the program.\n",
                access_word[v->access], v->addr, v->pc);
    if (c->psargs[0]) {
        fputs("Command line: ", o);
        put_safe(o, c->psargs);
        fputc('\n', o);
    }
    if (v->present)
        fprintf(o, "Instructions executed: %llu\n", (unsigned long long)v->instret);
    if (s->have_elf) {
        fputs("Program file: ", o);
        put_safe(o, s->elf_path);
        fputs(s->dw ? " (symbols and source lines)\n" : " (symbols; no debug info for lines)\n", o);
    }
    if (s->elf_msg[0]) {
        fputs(s->have_elf ? "" : "Note: ", o);
        put_safe(o, s->elf_msg);
        fputc('\n', o);
    }

    /* 2. instruction */
    fputs("\nInstruction\n", o);
    if (s->ilen) {
        struct frame f = { .pc = s->ipc };
        describe(s, &f, s->ipc);
        sym_str(&f, sym, sizeof sym);
        fprintf(o, "  0x%08x", s->ipc);
        if (f.func) {
            fputs(" <", o);
            put_safe(o, sym);
            fputc('>', o);
        }
        fputs(":  ", o);
        for (unsigned k = 0; k < 4; k++)
            fprintf(o, k < s->ilen ? "%02x " : "   ", s->ibytes[k]);
        fprintf(o, "  %s", s->itext);
        if (f.file) {
            fputs("    ", o);
            put_safe(o, f.file);
            fprintf(o, ":%d", f.line);
        }
        fputc('\n', o);
        if (s->iaddr[0])
            fprintf(o, "  address = %s\n", s->iaddr);
        if (strcmp(s->isrc, "core"))
            fputs("  (bytes from the program file: the core does not hold them)\n", o);
    }
    if (s->inote[0])
        fprintf(o, "  (%s)\n", s->inote);

    /* 3. registers */
    fputs("\nRegisters\n", o);
    struct frame f0 = { .pc = c->pc };
    describe(s, &f0, c->pc);
    sym_str(&f0, sym, sizeof sym);
    fprintf(o, "  pc   0x%08x", c->pc);
    if (f0.func) {
        fputs("  <", o);
        put_safe(o, sym);
        fputc('>', o);
    }
    fputc('\n', o);
    for (int r = 0; r < 32; r++)
        fprintf(o, "%s%-4s 0x%08x%s", r % 4 ? "  " : "  ", abi[r], c->x[r],
                r % 4 == 3 ? "\n" : "");

    /* 4. backtrace */
    fputs("\nBacktrace\n", o);
    for (int i = 0; i < s->nbt; i++) {
        int same = 0;                   /* recursion: fold repeats of one frame */
        while (i + same + 1 < s->nbt && s->bt[i + same + 1].pc == s->bt[i].pc &&
               s->bt[i + same + 1].from == s->bt[i].from)
            same++;
        frame_text(o, i, &s->bt[i]);
        if (same > 1) {
            fprintf(o, "  ... the same frame %d more times (#%d-#%d): recursion\n", same,
                    i + 1, i + same);
            i += same;
        }
    }
    if (s->bt_more)
        fprintf(o, "  ... and %ld more frames not shown\n", s->bt_more);
    if (s->bt_end[0])
        fprintf(o, "  (%s)\n", s->bt_end);

    /* 5. memory map */
    fputs("\nMemory map\n", o);
    if (!v->present) {
        if (v->version)
            fprintf(o, "  (VMLAB note version %u is not one this inspector understands)\n",
                    v->version);
        else
            fputs("  (the core has no VMLAB note: program headers only)\n", o);
        for (int i = 0; i < c->nload; i++) {
            const struct coreread_load *l = &c->load[i];
            unsigned p = (l->flags & 4 ? 1 : 0) | (l->flags & 2 ? 2 : 0) | (l->flags & 1 ? 4 : 0);
            fprintf(o, "  0x%08x-0x%08x %s %10s\n", l->vaddr, (uint32_t)(l->vaddr + l->memsz),
                    vma_perm_str(p, buf), size_str(l->memsz, sym));
        }
    } else {
        fprintf(o, "  %-10s %-10s %-5s %10s %14s  %s\n", "start", "end", "perms", "size",
                "resident", "name");
        bool placed = !(s->fault && s->sig == SIGSEGV && !s->seg);
        for (int i = 0; i <= v->nseg; i++) {
            if (!placed && (i == v->nseg || v->seg[i].start > v->addr)) {
                fprintf(o, "  0x%08x %-44s<-- fault: no segment here\n", v->addr, "");
                placed = true;
            }
            if (i == v->nseg)
                break;
            const struct coreread_seg *g = &v->seg[i];
            char res[32];
            snprintf(res, sizeof res, "%u/%u pages", g->resident,
                     (g->end - g->start) / PAGE_SIZE);
            fprintf(o, "  0x%08x 0x%08x %-5s %10s %14s  ", g->start, g->end,
                    vma_perm_str(g->perms, buf), size_str(g->end - g->start, sym), res);
            put_safe(o, g->name);
            if (s->fault && g == s->seg)
                fprintf(o, "   <-- fault (%s at 0x%08x)", access_word[v->access], v->addr);
            fputc('\n', o);
        }
        fprintf(o, "  heap break 0x%08x (heap starts at 0x%08x); stack limit %s\n", v->brk,
                v->brk_start, size_str(v->stack_limit, sym));
    }

    /* 6. walk */
    if (!s->fault && !v->present) {
        fputs("\nSv32 walk\n  (no VMLAB note: the core does not record the walk)\n", o);
    } else if (!s->fault) {
        fputs("\nSv32 walk\n  (no fault record for this signal: there is no faulting "
              "address to walk)\n", o);
    } else {
        uint32_t a = v->addr;
        fprintf(o, "\nSv32 walk of 0x%08x (%s)\n", a, access_word[v->access]);
        fprintf(o, "  VA 0x%08x = VPN[1] 0x%03x (%u) | VPN[0] 0x%03x (%u) | offset 0x%03x\n",
                a, VA_VPN1(a), VA_VPN1(a), VA_VPN0(a), VA_VPN0(a), VA_OFFSET(a));
        fprintf(o, "  satp 0x%08x: %s, root table at PA 0x%08llx\n", v->satp,
                v->satp & SATP_MODE_SV32 ? "Sv32" : "Bare",
                (unsigned long long)SATP_PPN(v->satp) << PAGE_SHIFT);
        for (int l = 0; l < v->walk_levels; l++) {
            char bits[96];
            pte_bits(v->pte[l], bits, sizeof bits);
            fprintf(o, "  %-4s PTE at PA 0x%08llx (VPN[%d] * 4) = 0x%08x  %s\n",
                    l == 0 ? "root" : "leaf", (unsigned long long)v->pte_addr[l], 1 - l,
                    v->pte[l], bits);
        }
        fprintf(o, "  => %s\n", s->walk_verdict);
    }

    /* 7. memory */
    if (s->has_addr) {
        uint8_t probe;
        fprintf(o, "\nMemory around 0x%08x\n", s->addr);
        bool any = false;
        for (int64_t a = (int64_t)s->addr - AROUND; a < (int64_t)s->addr + AROUND + 16; a++)
            if (a >= 0 && a <= UINT32_MAX && coreread_mem(c, (uint32_t)a, &probe, 1))
                any = true;
        if (!any)
            fprintf(o, "  not mapped: the core holds nothing within %d bytes of 0x%08x\n",
                    AROUND, s->addr);
        else
            hexdump_text(o, s, s->addr, true);
    }
    uint32_t sp = c->x[2];
    fprintf(o, "\nTop of the stack (sp = 0x%08x)\n", sp);
    for (uint32_t k = 0; k < STACK_BYTES; k += 4) {
        uint32_t w;
        if ((uint64_t)sp + k > UINT32_MAX || !read32(s, sp + k, &w)) {
            fprintf(o, "  0x%08x: not in the core\n", sp + k);
            break;
        }
        fprintf(o, "  sp+%-3u 0x%08x: 0x%08x", k, sp + k, w);
        if (w && is_code(s, w)) {
            struct frame f = { .pc = w };
            describe(s, &f, w);
            sym_str(&f, sym, sizeof sym);
            fputs(f.func ? "  <" : "  (a code address)", o);
            if (f.func) {
                put_safe(o, sym);
                fputc('>', o);
            }
        }
        fputc('\n', o);
    }
}

/* ---------------------------------------------------------------------------
 * JSON report: one object, 2-space indented */

struct jw {
    FILE *f;
    int   depth;
    bool  comma[16];
};

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch < 0x20 || ch >= 0x7f)
            fprintf(f, "\\u%04x", ch);        /* any byte stays valid JSON */
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void jkey(struct jw *j, const char *key)
{
    if (j->comma[j->depth])
        fputc(',', j->f);
    j->comma[j->depth] = true;
    fprintf(j->f, "\n%*s", 2 * j->depth, "");
    if (key) {
        jstr(j->f, key);
        fputs(": ", j->f);
    }
}

static void jopen(struct jw *j, const char *key, char bracket)
{
    assert(j->depth + 1 < (int)(sizeof j->comma / sizeof *j->comma) && "jopen: too deep");
    if (j->depth > 0 || key)
        jkey(j, key);
    fputc(bracket, j->f);
    j->depth++;
    j->comma[j->depth] = false;
}

static void jclose(struct jw *j, char bracket)
{
    bool empty = !j->comma[j->depth];
    j->depth--;
    if (!empty)
        fprintf(j->f, "\n%*s", 2 * j->depth, "");
    fputc(bracket, j->f);
}

static void js(struct jw *j, const char *key, const char *v)
{
    jkey(j, key);
    if (v)
        jstr(j->f, v);
    else
        fputs("null", j->f);
}

static void ji(struct jw *j, const char *key, long long v)
{
    jkey(j, key);
    fprintf(j->f, "%lld", v);
}

static void jhex(struct jw *j, const char *key, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "0x%08llx", (unsigned long long)v);
    js(j, key, b);
}

static void jb(struct jw *j, const char *key, bool v)
{
    jkey(j, key);
    fputs(v ? "true" : "false", j->f);
}

static void jnull(struct jw *j, const char *key)
{
    jkey(j, key);
    fputs("null", j->f);
}

static void json_frame(struct jw *j, const struct frame *f)
{
    jopen(j, NULL, '{');
    jhex(j, "pc", f->pc);
    js(j, "function", f->from == FROM_SIGNAL ? "<signal handler called>" : f->func);
    ji(j, "offset", f->func ? f->off : 0);
    js(j, "inlined", f->inlined);
    js(j, "file", f->file);
    if (f->file)
        ji(j, "line", f->line);
    else
        jnull(j, "line");
    js(j, "from", from_word[f->from]);
    jclose(j, '}');
}

/* {start, available, bytes: "xx xx -- ..."} with "--" for bytes the core
 * does not hold. */
static void json_bytes(struct jw *j, const char *key, const struct insp *s, uint32_t start,
                       uint32_t len)
{
    char hex[3 * 256 + 1] = "";
    long avail = 0;
    if (len > 256)
        len = 256;
    for (uint32_t k = 0; k < len; k++) {
        uint8_t b;
        bool have = (uint64_t)start + k <= UINT32_MAX &&
                    coreread_mem(&s->c, start + k, &b, 1) == 1;
        avail += have;
        if (have)
            snprintf(hex + 3 * k, 4, k + 1 < len ? "%02x " : "%02x", b);
        else
            snprintf(hex + 3 * k, 4, k + 1 < len ? "-- " : "--");
    }
    jopen(j, key, '{');
    jhex(j, "start", start);
    ji(j, "length", len);
    ji(j, "available", avail);
    js(j, "bytes", hex);
    jclose(j, '}');
}

static void report_json(struct insp *s)
{
    struct jw jw = { .f = s->out }, *j = &jw;
    const struct coreread *c = &s->c;
    const struct coreread_vmlab *v = &c->vm;
    char buf[64];

    jopen(j, NULL, '{');
    js(j, "core", s->core_path);
    js(j, "program", s->program);
    js(j, "program_file", s->have_elf ? s->elf_path : NULL);
    js(j, "program_note", s->elf_msg[0] ? s->elf_msg : NULL);
    ji(j, "pid", c->has_prpsinfo ? c->pid : c->pr_pid);
    js(j, "command_line", c->psargs);
    if (v->present)
        ji(j, "instructions", (long long)v->instret);
    else
        jnull(j, "instructions");

    jopen(j, "signal", '{');
    ji(j, "number", s->sig);
    js(j, "name", sig_name(s->sig));
    js(j, "description", sig_description(s->sig));
    ji(j, "code", s->code);
    js(j, "code_name", sig_code_name(s->sig, s->code));
    if (s->has_addr)
        jhex(j, "addr", s->addr);
    else
        jnull(j, "addr");
    jclose(j, '}');
    js(j, "cause", s->cause);
    js(j, "hint", s->hint[0] ? s->hint : NULL);
    js(j, "access", s->fault ? access_word[v->access] : NULL);
    jb(j, "stack_overflow", s->fault && v->stack_overflow);
    jb(j, "earlier_fault_handled", s->stale_fault);
    if (s->fault && s->seg) {
        jopen(j, "segment", '{');
        js(j, "name", s->seg->name);
        js(j, "perms", vma_perm_str(s->seg->perms, buf));
        jhex(j, "start", s->seg->start);
        jhex(j, "end", s->seg->end);
        jclose(j, '}');
    } else {
        jnull(j, "segment");
    }

    jopen(j, "instruction", '{');
    jhex(j, "pc", s->ipc);
    if (s->ilen) {
        char hex[16];
        for (unsigned k = 0; k < s->ilen; k++)
            snprintf(hex + 3 * k, 4, k + 1 < s->ilen ? "%02x " : "%02x", s->ibytes[k]);
        js(j, "bytes", hex);
        js(j, "text", s->itext);
        js(j, "bytes_from", s->isrc);
    } else {
        jnull(j, "bytes");
        jnull(j, "text");
        jnull(j, "bytes_from");
    }
    js(j, "address", s->iaddr[0] ? s->iaddr : NULL);
    js(j, "note", s->inote[0] ? s->inote : NULL);
    jclose(j, '}');

    jopen(j, "registers", '{');
    jhex(j, "pc", c->pc);
    for (int r = 0; r < 32; r++)
        jhex(j, abi[r], c->x[r]);
    jclose(j, '}');

    jopen(j, "backtrace", '[');
    for (int i = 0; i < s->nbt; i++)
        json_frame(j, &s->bt[i]);
    jclose(j, ']');
    js(j, "backtrace_end", s->bt_end[0] ? s->bt_end : NULL);

    jopen(j, "segments", '[');
    for (int i = 0; i < v->nseg; i++) {
        const struct coreread_seg *g = &v->seg[i];
        jopen(j, NULL, '{');
        js(j, "name", g->name);
        jhex(j, "start", g->start);
        jhex(j, "end", g->end);
        js(j, "perms", vma_perm_str(g->perms, buf));
        ji(j, "size", (long long)(g->end - g->start));
        ji(j, "resident_pages", g->resident);
        js(j, "kind", coreread_kind_name(g->kind));
        jb(j, "fault", s->fault && g == s->seg);
        jclose(j, '}');
    }
    jclose(j, ']');
    if (v->present) {
        jhex(j, "brk_start", v->brk_start);
        jhex(j, "brk", v->brk);
        ji(j, "stack_limit", v->stack_limit);
    }

    if (s->fault) {
        uint32_t a = v->addr;
        jopen(j, "walk", '{');
        jhex(j, "va", a);
        ji(j, "vpn1", VA_VPN1(a));
        ji(j, "vpn0", VA_VPN0(a));
        ji(j, "offset", VA_OFFSET(a));
        jhex(j, "satp", v->satp);
        jopen(j, "ptes", '[');
        for (int l = 0; l < v->walk_levels; l++) {
            uint32_t p = v->pte[l];
            jopen(j, NULL, '{');
            js(j, "level", l == 0 ? "root" : "leaf");
            jhex(j, "addr", v->pte_addr[l]);
            jhex(j, "value", p);
            jb(j, "V", p & PTE_V);
            jb(j, "R", p & PTE_R);
            jb(j, "W", p & PTE_W);
            jb(j, "X", p & PTE_X);
            jb(j, "U", p & PTE_U);
            jb(j, "G", p & PTE_G);
            jb(j, "A", p & PTE_A);
            jb(j, "D", p & PTE_D);
            jhex(j, "ppn", PTE_PPN(p));
            jclose(j, '}');
        }
        jclose(j, ']');
        js(j, "verdict", s->walk_verdict);
        jclose(j, '}');
    } else {
        jnull(j, "walk");
    }

    jopen(j, "memory", '{');
    if (s->has_addr) {
        uint32_t start = s->addr >= AROUND ? s->addr - AROUND : 0;
        uint32_t len = (uint64_t)s->addr + AROUND > UINT32_MAX ? UINT32_MAX - start
                                                               : s->addr + AROUND - start;
        json_bytes(j, "fault", s, start, len);
    } else {
        jnull(j, "fault");
    }
    jopen(j, "stack", '{');
    jhex(j, "sp", c->x[2]);
    jopen(j, "words", '[');
    for (uint32_t k = 0; k < STACK_BYTES; k += 4) {
        uint32_t w, a = c->x[2] + k;
        if ((uint64_t)c->x[2] + k > UINT32_MAX || !read32(s, a, &w))
            break;
        struct frame f = { .pc = w };
        if (w && is_code(s, w))
            describe(s, &f, w);
        char sym[160];
        sym_str(&f, sym, sizeof sym);
        jopen(j, NULL, '{');
        jhex(j, "addr", a);
        jhex(j, "value", w);
        js(j, "symbol", f.func ? sym : NULL);
        jclose(j, '}');
    }
    jclose(j, ']');
    jclose(j, '}');
    jclose(j, '}');
    jclose(j, '}');
    fputc('\n', s->out);
}

/* ---------------------------------------------------------------------------
 * Entry points */

static void insp_free(struct insp *s)
{
    if (s->dw)
        dwarf_end(s->dw);
    if (s->elf)
        elf_end(s->elf);
    elf_free(&s->img);
    coreread_free(&s->c);
}

/* The report on CORE (with the program ELF, or found from the core) to
 * out, the one error line to errf.  Returns 0, or 1 when the core or the
 * program file is unusable. */
int inspect_report(FILE *out, FILE *errf, const struct inspect_options *o)
{
    const char *core = o->core, *elf_opt = o->elf;
    bool json = o->json;
    struct insp *s = calloc(1, sizeof *s);
    char err[512];
    int rc = 1;
    if (!s) {
        fprintf(errf, "vmlab inspect: %s: out of memory\n", core);
        return 1;
    }
    s->out = out;
    s->core_path = core;
    if (coreread_open(core, &s->c, err, sizeof err) != 0) {
        fprintf(errf, "vmlab inspect: %s: %s\n", core, err);
        goto out_free;
    }
    if (find_program(s, elf_opt, err, sizeof err) != 0) {
        fprintf(errf, "vmlab inspect: %s: %s\n", elf_opt, err);
        goto out_free;
    }
    const struct coreread *c = &s->c;
    s->program = c->nfile ? c->file[0].path : c->psargs[0] ? c->psargs
               : c->fname[0] ? c->fname : "(unknown)";
    s->sig = c->cursig ? c->cursig : c->si_signo;
    s->code = c->has_siginfo ? c->si_code : 0;
    s->addr = c->si_addr;
    s->has_addr = c->has_siginfo && s->code > 0 && s->code != SI_KERNEL &&
                  (s->sig == SIGSEGV || s->sig == SIGBUS || s->sig == SIGILL ||
                   s->sig == SIGTRAP || s->sig == SIGFPE);
    check_fault(s);
    explain(s);
    instruction(s);
    backtrace(s);
    if (s->fault)
        walk_verdict(s);
    if (json)
        report_json(s);
    else
        report_text(s);
    fflush(out);
    rc = ferror(out) ? 1 : 0;
    if (rc)
        fprintf(errf, "vmlab inspect: %s: error writing the report\n", core);
out_free:
    insp_free(s);
    free(s);
    return rc;
}
