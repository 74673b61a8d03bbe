/* inspect/report.c — building the report on a core (inspect/report.h):
 * every fact `vmlab inspect` states, worked out once, for the renderers
 * (inspect/render.c) to lay out.
 *
 * The core is read with inspect/coreread.c.  report_build() then works out,
 * section by section: the signal and the cause in words, the faulting
 * instruction, the registers, the backtrace with symbols and lines, the
 * memory map, the Sv32 walk and its verdict, the bytes around the fault
 * and the words at the top of the stack.  Every read of guest memory goes
 * through coreread_mem(), which checks it against the core.
 *
 * Symbols come from the program's .symtab (elf_symbol), source lines from
 * its DWARF line table (elfutils libdw).  The program is the --elf file,
 * else the path in the core's NT_FILE note, else the first word of the
 * command line (each relative path tried from the current directory and
 * then from the core's directory).  Without it the report shows addresses.
 *
 * Backtrace: the program's DWARF call frame information (CFI: .debug_frame,
 * else .eh_frame, read with libdw's dwarf_cfi_addrframe), which says for
 * any pc where the caller's sp (the CFA) and saved registers are — the
 * only way through code built without frame pointers, such as picolibc.
 * Where a pc has no CFI, the walk goes on with frame pointers, as GCC lays
 * them out on RV32 with -fno-omit-frame-pointer.  s0 (fp) is the caller's
 * sp at entry (the CFA):
 *
 *        higher addresses
 *   fp-4   saved ra   (return address into the caller)
 *   fp-8   saved fp   (the caller's s0)
 *        ... locals ...                  <- sp
 *
 * A frame CFI finds through s0 is reported as the frame pointer chain; one
 * whose return address is still in ra (a leaf) as the ra register.  A
 * leaf function saves no ra (and GCC often restores s0 right after its
 * prologue), so without CFI, when the crash is in one, frame 1 comes from
 * the ra register and the chain continues from s0, which is then the
 * caller's fp.  Known limits: without CFI, code built without frame
 * pointers gives a short or wrong backtrace (the report says which frames
 * were inferred); cores are trusted to be a vmlab process's (one thread).
 */
#include "inspect/report.h"

#include <assert.h>
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <limits.h>
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
#include "kernel/walk_text.h"
#include "mmu/sv32.h"

#define MAX_COUNTED  (1 << 20)    /* frames counted past those kept (deep recursion) */
#define USER_END     0xc0000000u  /* kernel/proc.h USER_TOP: no mapping above */

/* What the report keeps of its sources: the names in it point in here. */
struct report_src {
    struct coreread c;
    bool        have_elf;
    struct elf_image img;
    char        elf_path[PATH_MAX];
    Elf        *elf;
    Dwarf      *dw;
    Dwarf_CFI  *cfi[2];           /* .debug_frame (owned by dw), .eh_frame (ours) */
};

static const char *const access_word[3] = { "fetch", "load", "store" };

const char *const report_reg_name[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6",
};

/* ---------------------------------------------------------------------------
 * Small helpers */

static uint32_t get32(const uint8_t *b) { return (uint32_t)b[0] | (uint32_t)b[1] << 8 |
                                                 (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24; }

static bool read32(const struct report_src *s, uint32_t va, uint32_t *v)
{
    uint8_t b[4];
    if (coreread_mem(&s->c, va, b, 4) != 4)
        return false;
    *v = get32(b);
    return true;
}

const char *report_size_str(uint64_t n, char buf[32])
{
    if (n >= (1u << 20) && n % (1u << 20) == 0)
        snprintf(buf, 32, "%llu MiB", (unsigned long long)(n >> 20));
    else if (n >= 1024 && n % 1024 == 0)
        snprintf(buf, 32, "%llu KiB", (unsigned long long)(n >> 10));
    else
        snprintf(buf, 32, "%llu bytes", (unsigned long long)n);
    return buf;
}

/* A PT_LOAD's p_flags (PF_R 4 | PF_W 2 | PF_X 1) as segment perms
 * (PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4). */
static unsigned load_perms(unsigned flags)
{
    return (flags & 4 ? 1 : 0) | (flags & 2 ? 2 : 0) | (flags & 1 ? 4 : 0);
}

/* The perms of the memory at va (its segment, or without the VMLAB note
 * its PT_LOAD); false when nothing is mapped there. */
static bool perms_at(const struct report_src *s, uint32_t va, unsigned *perms)
{
    if (s->c.vm.present) {
        const struct coreread_seg *g = coreread_seg_at(&s->c, va);
        if (g)
            *perms = g->perms;
        return g != NULL;
    }
    for (int i = 0; i < s->c.nload; i++) {
        const struct coreread_load *l = &s->c.load[i];
        if (va >= l->vaddr && va - l->vaddr < l->memsz) {
            *perms = load_perms(l->flags);
            return true;
        }
    }
    return false;
}

/* Is va in memory that holds code (an executable segment or PT_LOAD)? */
static bool is_code(const struct report_src *s, uint32_t va)
{
    unsigned p;
    return perms_at(s, va, &p) && (p & SEG_X);
}

/* Could va be a frame pointer: inside a writable, non-code segment? */
static bool is_stack(const struct report_src *s, uint32_t va)
{
    unsigned p;
    return perms_at(s, va - 1, &p) && (p & SEG_W) && !(p & SEG_X);
}

/* Bytes of the program file at va (its file-backed part), for code the
 * core left out.  Returns how many were available. */
static size_t elf_bytes(const struct report_src *s, uint32_t va, uint8_t *out, size_t len)
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

/* The compilation unit whose ranges hold addr, found by looking at every
 * one: for when .debug_aranges cannot say.  A partly discarded object
 * (--gc-sections, picolibc's) leaves (0, 0) pairs inside an aranges set,
 * and libdw 0.188 then rejects the whole table (docs/platform/picolibc.md). */
static bool cu_by_walk(Dwarf *dw, uint32_t addr, Dwarf_Die *out)
{
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        if (dwarf_offdie(dw, off + hsize, out) && dwarf_haspc(out, addr) > 0)
            return true;
        off = next;
    }
    return false;
}

/* Symbol and source line of the code address pc.  lookup is the address
 * to look up: pc itself, or pc-1 for a return address (the call). */
static struct report_place place_at(const struct report_src *s, uint32_t pc, uint32_t lookup)
{
    struct report_place p = { 0 };
    if (!s->have_elf)
        return p;
    uint32_t off;
    p.func = elf_symbol(&s->img, lookup, &off);
    if (p.func)
        p.off = off + (pc - lookup);
    if (!s->dw)
        return p;
    Dwarf_Die cu;
    if (!dwarf_addrdie(s->dw, lookup, &cu) && !cu_by_walk(s->dw, lookup, &cu))
        return p;
    Dwarf_Line *l = dwarf_getsrc_die(&cu, lookup);
    int line;
    if (l && dwarf_lineno(l, &line) == 0) {
        p.file = dwarf_linesrc(l, NULL, NULL);
        p.line = p.file ? line : 0;
    }
    Dwarf_Die *scopes = NULL;
    int n = dwarf_getscopes(&cu, lookup, &scopes);
    for (int i = 0; i < n; i++) {
        if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
            continue;
        Dwarf_Attribute a;
        if (dwarf_attr_integrate(&scopes[i], DW_AT_name, &a))
            p.inlined = dwarf_formstring(&a);
        break;
    }
    free(scopes);
    return p;
}

/* ---------------------------------------------------------------------------
 * Finding the program */

static bool try_elf(struct report_src *s, const char *path, char *tried, size_t tlen)
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
static bool try_candidate(struct report *r, const char *path, char *tried, size_t tlen)
{
    if (!path || !*path)
        return false;
    if (try_elf(r->src, path, tried, tlen))
        return true;
    const char *slash = strrchr(r->core, '/');
    if (path[0] == '/' || !slash)
        return false;
    char alt[PATH_MAX];
    int n = snprintf(alt, sizeof alt, "%.*s/%s", (int)(slash - r->core), r->core, path);
    return n > 0 && (size_t)n < sizeof alt && try_elf(r->src, alt, tried, tlen);
}

/* Does the program's read-only part (code, constants) match the core?  A
 * few changed bytes among many are a program that patched its own code
 * (--perm text=rwx); more, or a good part of a small program's, is
 * another program, or another build of it. */
static void check_match(struct report *r)
{
    const struct report_src *s = r->src;
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
    if (diff > 16 || diff * 4 > cmp)
        snprintf(r->program_note, sizeof r->program_note, "Warning: the program file's code "
                 "differs from the code in the core (%llu of %llu bytes): it is probably not "
                 "the program that crashed, so symbols and lines may be wrong",
                 (unsigned long long)diff, (unsigned long long)cmp);
    else if (diff)
        snprintf(r->program_note, sizeof r->program_note, "Note: %llu bytes of code in the "
                 "core differ from the program file: the program changed its own code",
                 (unsigned long long)diff);
}

/* Load the program (--elf, NT_FILE, psargs).  Returns 0, or -1 with err
 * set when an --elf file given explicitly cannot be used. */
static int find_program(struct report *r, const char *elf_opt, char *err, size_t errlen)
{
    struct report_src *s = r->src;
    char tried[1024] = "";
    if (elf_opt) {
        if (elf_load(elf_opt, &s->img, err, errlen) != 0) {
            if (strstr(err, "this is a core file"))   /* the loader's advice is for run */
                snprintf(err, errlen, "a core file, not a program: --elf wants the program "
                         "that crashed");
            return -1;
        }
        snprintf(s->elf_path, sizeof s->elf_path, "%s", elf_opt);
        s->have_elf = true;
    } else {
        /* NT_FILE's path, else the command line's first word if different */
        const char *noted = s->c.nfile ? s->c.file[0].path : "";
        char first[81];
        snprintf(first, sizeof first, "%s", s->c.psargs);
        first[strcspn(first, " ")] = 0;
        bool found = try_candidate(r, noted, tried, sizeof tried);
        if (!found && strcmp(first, noted))
            found = try_candidate(r, first, tried, sizeof tried);
        if (!found) {
            if (tried[0])
                snprintf(r->program_note, sizeof r->program_note, "the program file was not "
                         "found (tried %s); pass --elf PROGRAM for symbols and source lines. "
                         "Showing addresses only.", tried);
            else
                snprintf(r->program_note, sizeof r->program_note, "the core names no program "
                         "file; pass --elf PROGRAM for symbols and source lines. "
                         "Showing addresses only.");
            return 0;
        }
    }
    check_match(r);
    if (elf_version(EV_CURRENT) != EV_NONE) {
        s->elf = elf_memory((char *)s->img.data, s->img.size);
        if (s->elf)
            s->dw = dwarf_begin_elf(s->elf, DWARF_C_READ, NULL);
        if (s->dw)
            s->cfi[0] = dwarf_getcfi(s->dw);
        if (s->elf)
            s->cfi[1] = dwarf_getcfi_elf(s->elf);
    }
    r->program_file = s->elf_path;
    r->lines = s->dw != NULL;
    return 0;
}

/* ---------------------------------------------------------------------------
 * 1 Headline: who died of what */

static void headline(struct report *r)
{
    const struct coreread *c = &r->src->c;
    struct report_signal *g = &r->sig;
    r->program = c->nfile ? c->file[0].path : c->psargs[0] ? c->psargs
               : c->fname[0] ? c->fname : "(unknown)";
    r->pid = c->has_prpsinfo ? c->pid : c->pr_pid;
    r->command_line = c->psargs;
    r->note = c->vm.present;
    r->note_version = c->vm.version;
    r->instret = c->vm.present ? c->vm.instret : 0;
    g->number = c->cursig ? c->cursig : c->si_signo;
    g->name = sig_name(g->number);
    g->description = sig_description(g->number);
    g->code = c->has_siginfo ? c->si_code : 0;
    g->code_name = sig_code_name(g->number, g->code);
    g->addr = c->si_addr;
    g->has_addr = c->has_siginfo && g->code > 0 && g->code != SI_KERNEL &&
                  (g->number == SIGSEGV || g->number == SIGBUS || g->number == SIGILL ||
                   g->number == SIGTRAP || g->number == SIGFPE);
}

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

/* Is the VMLAB fault record about this signal (not an earlier one that a
 * handler dealt with)?  Which segment holds the address? */
static void check_fault(struct report *r)
{
    const struct coreread *c = &r->src->c;
    const struct coreread_vmlab *v = &c->vm;
    struct report_fault *f = &r->fault;
    f->seg = -1;
    if (!v->present || !v->fault_valid)
        return;
    f->access = access_word[v->access];
    f->addr = v->addr;
    f->pc = v->pc;
    f->stack_overflow = v->stack_overflow;
    if (cause_signal(v->cause) == r->sig.number && v->si_code == r->sig.code &&
        (!c->has_siginfo || v->addr == r->sig.addr)) {
        const struct coreread_seg *g = coreread_seg_at(c, v->addr);
        f->record = REPORT_RECORD_THIS;
        f->seg = g ? (int)(g - v->seg) : -1;
    } else {
        f->record = REPORT_RECORD_EARLIER;
    }
}

/* The segment holding the fault address, or NULL. */
static const struct coreread_seg *fault_seg(const struct report *r)
{
    return r->fault.seg >= 0 ? &r->src->c.vm.seg[r->fault.seg] : NULL;
}

static void neighbours(const struct report *r, uint32_t a, char *buf, size_t len)
{
    const struct coreread_vmlab *v = &r->src->c.vm;
    const struct coreread_seg *below = NULL, *above = NULL;
    for (int i = 0; i < v->nseg; i++) {
        const struct coreread_seg *g = &v->seg[i];
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

/* Decode the instruction at va (from the core, else the program).  Returns
 * its length, or 0 if there are no bytes or no instruction there. */
static unsigned decode_at(const struct report_src *s, uint32_t va, struct dinsn *d)
{
    uint8_t b[4];
    size_t n = coreread_mem(&s->c, va, b, 4);
    if (n < 4) {
        size_t m = elf_bytes(s, va, b, 4);
        n = m > n ? m : n;
    }
    unsigned len = insn_decode_bytes(b, n, d);
    return len && d->op != OP_ILLEGAL && d->op < OP_COUNT ? len : 0;
}

/* Did this load or store reach its address through tp?  Either tp is its
 * base register (the local-exec TLS access the linker relaxes to
 * "lw a0, 4(tp)"), or the instruction before it made the base from tp
 * ("add a5, a5, tp" of an unrelaxed %tprel_add).  Returns the offset from
 * tp in *off. */
static bool through_tp(const struct report_src *s, uint32_t pc, int32_t *off)
{
    struct dinsn d, prev;
    if (!decode_at(s, pc, &d) || !(insn_info[d.op].flags & (F_LOAD | F_STORE)))
        return false;
    *off = d.imm;
    if (d.rs1 == 4)
        return true;
    for (uint32_t back = 2; back <= 4; back += 2)
        if (pc >= back && decode_at(s, pc - back, &prev) == back && prev.op == OP_add &&
            prev.rd == d.rs1 && (prev.rs1 == 4 || prev.rs2 == 4))
            return true;
    return false;
}

static void explain_segv(struct report *r)
{
    const struct coreread_vmlab *v = &r->src->c.vm;
    const struct coreread_seg *g = fault_seg(r);
    uint32_t a = v->addr;
    char perms[4], where[200], lim[32];
    const char *verb = v->access == ACC_FETCH ? "instruction fetch from"
                     : v->access == ACC_LOAD ? "load from" : "store to";
    if (v->access == ACC_FETCH && a == r->src->c.pc)
        verb = "jump to";

    if (v->cause == CAUSE_FETCH_ACCESS || v->cause == CAUSE_LOAD_ACCESS ||
        v->cause == CAUSE_STORE_ACCESS) {
        snprintf(r->cause, sizeof r->cause, "%s 0x%08x: an access fault: the page table "
                 "points outside the emulated physical memory.", verb, a);
        return;
    }
    if (g) {
        const char *what = v->access == ACC_FETCH ? "executable"
                         : v->access == ACC_LOAD ? "readable" : "writable";
        unsigned need = v->access == ACC_FETCH ? 4 : v->access == ACC_LOAD ? 1 : 2;
        if (g->perms == 0)
            snprintf(r->cause, sizeof r->cause, "%s 0x%08x in segment %s (---): the segment "
                     "allows no access at all (PROT_NONE).", verb, a, g->name);
        else if (!(g->perms & need))
            snprintf(r->cause, sizeof r->cause, "%s 0x%08x in segment %s (%s): the segment "
                     "is not %s.", verb, a, g->name, vma_perm_str(g->perms, perms), what);
        else
            snprintf(r->cause, sizeof r->cause, "%s 0x%08x in segment %s (%s): the segment "
                     "allows it now, so its permissions changed after the fault.",
                     verb, a, g->name, vma_perm_str(g->perms, perms));
        if (v->access == ACC_STORE && (g->perms & 4))
            snprintf(r->hint, sizeof r->hint, "Machine code is read-only so that a stray "
                     "pointer cannot rewrite the program; `vmlab run --perm %s=rwx` "
                     "would allow it.", g->name);
        else if (v->access == ACC_FETCH && g->kind == VMA_STACK)
            snprintf(r->hint, sizeof r->hint, "The stack holds data, not code; "
                     "`vmlab run --perm stack=rwx` would make it executable.");
        else if (v->access == ACC_FETCH)
            snprintf(r->hint, sizeof r->hint, "Only the text segment holds code: a jump "
                     "here usually means a corrupted function pointer or return address.");
        return;
    }
    if (v->stack_overflow) {
        snprintf(r->cause, sizeof r->cause, "%s 0x%08x just below the stack: stack overflow: "
                 "the stack could not grow past its %s limit.", verb, a,
                 report_size_str(v->stack_limit, lim));
        snprintf(r->hint, sizeof r->hint, "Look for unbounded recursion or a huge local "
                 "array in the backtrace; `vmlab run --stack-limit SIZE` changes the limit.");
        return;
    }
    int32_t tp_off;
    if (a < PAGE_SIZE && v->access != ACC_FETCH && r->src->c.x[4] == 0 &&
        through_tp(r->src, r->src->c.pc, &tp_off)) {
        snprintf(r->cause, sizeof r->cause, "%s 0x%08x through the thread pointer: the "
                 "thread pointer (tp) is 0: TLS was never set up.  Thread-local variables "
                 "(errno, _Thread_local) are reached as tp + offset (here %d); the kernel "
                 "starts every program with tp = 0, and nothing pointed it at a TLS block.",
                 verb, a, (int)tp_off);
        snprintf(r->hint, sizeof r->hint, "The C library's start-up code sets tp before "
                 "main (vmlab cc's crt0: guests/lib/start.c); code that runs before it, or a "
                 "program with its own _start, must set up TLS first or not touch errno.");
        return;
    }
    if (a < PAGE_SIZE) {
        if (v->access == ACC_FETCH)
            snprintf(r->cause, sizeof r->cause, "%s 0x%08x: a call through a NULL function "
                     "pointer: page 0 is never mapped.", verb, a);
        else if (a == 0)
            snprintf(r->cause, sizeof r->cause, "%s 0x%08x: a NULL pointer dereference: "
                     "page 0 is never mapped.", verb, a);
        else
            snprintf(r->cause, sizeof r->cause, "%s 0x%08x: a NULL pointer dereference: "
                     "page 0 is never mapped (the address is %u bytes past NULL: a struct "
                     "field or array element reached through a NULL pointer).", verb, a, a);
        return;
    }
    neighbours(r, a, where, sizeof where);
    if (a >= USER_END)
        snprintf(r->cause, sizeof r->cause, "%s 0x%08x: no segment contains this address: "
                 "0x%08x and above belong to the kernel.", verb, a, USER_END);
    else
        snprintf(r->cause, sizeof r->cause, "%s 0x%08x: no segment contains this address%s.",
                 verb, a, where);
}

/* The cause in words (and a hint). */
static void explain(struct report *r)
{
    const struct report_src *s = r->src;
    const struct coreread *c = &s->c;
    int sig = r->sig.number, code = r->sig.code;
    bool fault = r->fault.record == REPORT_RECORD_THIS;
    bool by_user = code == SI_USER || code == SI_TKILL;
    uint32_t sender = r->sig.addr;                   /* si_pid for kill/tkill */

    if (fault && sig == SIGSEGV) {
        explain_segv(r);
    } else if (fault && sig == SIGILL) {
        uint8_t b[2];
        bool zero = (coreread_mem(c, c->vm.addr, b, 2) == 2 || elf_bytes(s, c->vm.addr, b, 2) == 2)
                    && b[0] == 0 && b[1] == 0;
        snprintf(r->cause, sizeof r->cause, "illegal instruction at 0x%08x: %s", c->vm.addr,
                 zero ? "0x0000 is the defined illegal instruction; running zero-filled "
                        "memory or data as code ends here."
                      : "these bytes are not an RV32IMAC instruction.");
    } else if (fault && sig == SIGTRAP) {
        snprintf(r->cause, sizeof r->cause, "breakpoint (ebreak) at 0x%08x: the program "
                 "contains a trap instruction (e.g. __builtin_trap()).", c->vm.addr);
    } else if (fault && sig == SIGBUS) {
        if (c->vm.cause == CAUSE_MISALIGNED_FETCH)
            snprintf(r->cause, sizeof r->cause, "jump to the misaligned address 0x%08x: "
                     "instructions start at even addresses.", c->vm.addr);
        else
            snprintf(r->cause, sizeof r->cause, "atomic access (LR/SC/AMO) to 0x%08x, which "
                     "is not 4-byte aligned: atomics need natural alignment.", c->vm.addr);
    } else if (sig == SIGABRT && by_user) {
        snprintf(r->cause, sizeof r->cause, "abort() was called (SIGABRT sent by the "
                 "program itself).");
    } else if (by_user && (int)sender == r->pid) {
        snprintf(r->cause, sizeof r->cause, "%s was sent by the program itself (%s).",
                 r->sig.name, code == SI_TKILL ? "raise() or tgkill()" : "kill()");
    } else if (by_user) {
        snprintf(r->cause, sizeof r->cause, "%s was sent by process %d (%s).",
                 r->sig.name, (int)sender, code == SI_TKILL ? "tgkill()" : "kill()");
    } else if (sig == SIGXCPU) {
        snprintf(r->cause, sizeof r->cause, "a limit of the run was reached (--max-insns "
                 "instructions or --timeout seconds), so the kernel sent SIGXCPU, as "
                 "RLIMIT_CPU would.");
    } else if (r->sig.has_addr && sig == SIGSEGV && !c->vm.present) {
        snprintf(r->cause, sizeof r->cause, "access to 0x%08x: %s (the core has no VMLAB note "
                 "this inspector understands, so no more detail).", r->sig.addr,
                 code == SEGV_MAPERR ? "no segment contains this address"
                                     : "the segment there does not allow this access");
    } else if (code == SI_KERNEL) {
        snprintf(r->cause, sizeof r->cause, "the kernel sent %s.", r->sig.name);
    } else {
        snprintf(r->cause, sizeof r->cause, "%s with si_code %d; the core records no fault "
                 "that explains it.", r->sig.name, code);
    }
}

/* ---------------------------------------------------------------------------
 * 2 The instruction at pc, 3 the registers */

static const char *reg_or(int r) { return r >= 0 && r < 32 ? report_reg_name[r] : "?"; }

static void instruction(struct report *r)
{
    const struct report_src *s = r->src;
    const struct coreread *c = &s->c;
    struct report_insn *in = &r->insn;
    in->pc = c->pc;
    /* A signal sent by a system call: pc is past the ecall; show the ecall. */
    if ((r->sig.code == SI_USER || r->sig.code == SI_TKILL) && c->pc >= 4) {
        uint8_t b[4];
        if ((coreread_mem(c, c->pc - 4, b, 4) == 4 || elf_bytes(s, c->pc - 4, b, 4) == 4) &&
            get32(b) == 0x00000073) {
            in->pc = c->pc - 4;
            snprintf(in->note, sizeof in->note, "the system call that sent the signal; "
                     "pc 0x%08x is the instruction after it", c->pc);
        }
    }
    size_t n = coreread_mem(c, in->pc, in->bytes, 4);
    in->from = "core";
    if (n < 2 || (n < 4 && insn_length((uint16_t)(in->bytes[0] | in->bytes[1] << 8)) == 4)) {
        uint8_t b[4];
        size_t m = elf_bytes(s, in->pc, b, 4);
        if (m > n) {
            memcpy(in->bytes, b, m);
            n = m;
            in->from = "program";
        }
    }
    in->len = insn_disasm(in->pc, in->bytes, n, in->text, sizeof in->text);
    if (in->len == 0) {
        in->from = NULL;
        if (!in->note[0])
            snprintf(in->note, sizeof in->note, "no bytes at 0x%08x in the core%s: the pc "
                     "itself is not mapped", in->pc, s->have_elf ? " or the program" : "");
        return;
    }
    in->at = place_at(s, in->pc, in->pc);
    /* the address a load or store used: base register + offset */
    uint16_t h = (uint16_t)(in->bytes[0] | in->bytes[1] << 8);
    uint32_t w = in->len == 4 ? get32(in->bytes) : rvc_expand(h);
    if (w == 0)
        return;
    struct dinsn d;
    insn_decode(w, in->len, &d);
    if (d.op >= OP_COUNT || d.op == OP_ILLEGAL)
        return;
    if (insn_info[d.op].flags & (F_LOAD | F_STORE)) {
        uint32_t base = c->x[d.rs1 & 31];
        snprintf(in->address, sizeof in->address, "%s (0x%08x) %c %d = 0x%08x",
                 reg_or(d.rs1), base, d.imm < 0 ? '-' : '+',
                 d.imm < 0 ? -(int)d.imm : (int)d.imm, base + (uint32_t)d.imm);
    }
}

static void registers(struct report *r)
{
    const struct coreread *c = &r->src->c;
    r->regs.pc = c->pc;
    memcpy(r->regs.x, c->x, sizeof r->regs.x);
    r->regs.pc_at = place_at(r->src, c->pc, c->pc);
}

/* ---------------------------------------------------------------------------
 * 4 Backtrace */

static bool add_frame(struct report *r, uint32_t pc, enum report_from from)
{
    struct report_backtrace *bt = &r->bt;
    if (bt->n >= REPORT_MAX_FRAMES) {
        /* keep walking to count them: a stack overflow's depth is news */
        if (++bt->more < MAX_COUNTED)
            return true;
        snprintf(bt->end, sizeof bt->end, "stopped after %d frames",
                 REPORT_MAX_FRAMES + MAX_COUNTED);
        return false;
    }
    struct report_frame *f = &bt->frame[bt->n++];
    bool ret = from == REPORT_FROM_RA || from == REPORT_FROM_FP || from == REPORT_FROM_CFI;
    f->pc = pc;
    f->from = from;
    f->at = place_at(r->src, pc, ret && pc ? pc - 1 : pc);
    return true;
}

/* Start address of the function holding va, or UINT32_MAX if unknown. */
static uint32_t func_start(const struct report_src *s, uint32_t va)
{
    uint32_t off;
    if (!s->have_elf || !elf_symbol(&s->img, va, &off))
        return UINT32_MAX;
    return va - off;
}

static bool is_sigpage(const struct report_src *s, uint32_t va)
{
    const struct coreread_seg *g = coreread_seg_at(&s->c, va);
    return g && g->kind == VMA_SIGPAGE;
}

/* Unwind with frame pointers from a register context: pc, ra and fp (s0);
 * ra 0 if it is not known.  The first frame is added by the caller. */
static void fp_unwind(struct report *r, uint32_t pc, uint32_t ra, uint32_t fp, int depth)
{
    const struct report_src *s = r->src;
    char *end = r->bt.end;
    size_t endlen = sizeof r->bt.end;
    uint32_t saved = 0;
    bool have_saved = fp >= 8 && read32(s, fp - 4, &saved);
    bool leaf = false;
    if (ra && is_code(s, ra) && !(have_saved && saved == ra)) {
        uint32_t f0 = func_start(s, pc);
        leaf = !(f0 != UINT32_MAX && f0 == func_start(s, ra - 1));
    }
    if (leaf && !add_frame(r, ra, REPORT_FROM_RA))
        return;
    for (bool first = true;; first = false) {
        uint32_t rs, nfp;
        if (fp == 0) {
            snprintf(end, endlen, "frame pointer 0: the outermost frame");
            return;
        }
        if (fp < 8 || !is_stack(s, fp) || !read32(s, fp - 4, &rs) || !read32(s, fp - 8, &nfp)) {
            snprintf(end, endlen, "frame pointer 0x%08x does not point into the stack (code "
                     "built without frame pointers?)", fp);
            return;
        }
        /* A leaf frame of unoptimised code saves only the old fp, at fp-4. */
        if (first && leaf && !is_code(s, rs) && rs > fp && is_stack(s, rs)) {
            fp = rs;
            first = false;
            if (!read32(s, fp - 4, &rs) || !read32(s, fp - 8, &nfp)) {
                snprintf(end, endlen, "frame at 0x%08x is not in the core", fp);
                return;
            }
        }
        if (rs == 0) {
            snprintf(end, endlen, "return address 0: the outermost frame");
            return;
        }
        if (is_sigpage(s, rs)) {
            /* The handler's caller is the trampoline; its frame (the
             * handler's CFA = fp) starts with siginfo, then the ucontext. */
            uint32_t mc = fp + SIGFRAME_UC + UC_MCONTEXT, upc, ura, ufp;
            if (!add_frame(r, rs, REPORT_FROM_SIGNAL))
                return;
            if (depth > 4 || !read32(s, mc, &upc) || !read32(s, mc + 4, &ura) ||
                !read32(s, mc + 32, &ufp)) {
                snprintf(end, endlen, "signal frame at 0x%08x not readable", fp);
                return;
            }
            if (!add_frame(r, upc, REPORT_FROM_UC))
                return;
            fp_unwind(r, upc, ura, ufp, depth + 1);
            return;
        }
        if (!is_code(s, rs)) {
            snprintf(end, endlen, "saved return address 0x%08x at 0x%08x is not code: the "
                     "stack may be corrupted", rs, fp - 4);
            return;
        }
        if (!add_frame(r, rs, REPORT_FROM_FP))
            return;
        if (nfp != 0 && nfp <= fp) {
            snprintf(end, endlen, "the next frame pointer 0x%08x is not above 0x%08x: the "
                     "chain ends", nfp, fp);
            return;
        }
        fp = nfp;
    }
}

/* A register state of one frame: x[i] for DWARF register i (RISC-V numbers
 * x0..x31 as 0..31), known[i] when the value could be recovered. */
struct uregs {
    uint32_t x[32];
    bool     known[32];
};

/* Evaluate a CFI expression (the few operations GCC emits) over the
 * frame's registers, with cfa for DW_OP_call_frame_cfa.  A location is
 * read from the core unless the expression ends with DW_OP_stack_value.
 * Returns true with the value in *out. */
static bool cfi_eval(const struct report_src *s, const Dwarf_Op *ops, size_t n,
                     const struct uregs *u, uint32_t cfa, bool location, uint32_t *out)
{
    uint32_t st[8];
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned op = ops[i].atom;
        if (op == DW_OP_stack_value) {
            location = false;
            continue;
        }
        if (sp == 8)
            return false;
        if (op >= DW_OP_lit0 && op <= DW_OP_lit31) {
            st[sp++] = op - DW_OP_lit0;
        } else if (op >= DW_OP_breg0 && op <= DW_OP_breg31) {
            if (!u->known[op - DW_OP_breg0])
                return false;
            st[sp++] = u->x[op - DW_OP_breg0] + (uint32_t)ops[i].number;
        } else if (op == DW_OP_bregx) {
            if (ops[i].number >= 32 || !u->known[ops[i].number])
                return false;
            st[sp++] = u->x[ops[i].number] + (uint32_t)ops[i].number2;
        } else if (op == DW_OP_call_frame_cfa) {
            st[sp++] = cfa;
        } else if (op == DW_OP_consts || op == DW_OP_constu || op == DW_OP_const1u ||
                   op == DW_OP_const1s || op == DW_OP_const2u || op == DW_OP_const2s ||
                   op == DW_OP_const4u || op == DW_OP_const4s) {
            st[sp++] = (uint32_t)ops[i].number;
        } else if (op == DW_OP_plus_uconst && sp >= 1) {
            st[sp - 1] += (uint32_t)ops[i].number;
        } else if ((op == DW_OP_plus || op == DW_OP_minus) && sp >= 2) {
            sp--;
            st[sp - 1] = op == DW_OP_plus ? st[sp - 1] + st[sp] : st[sp - 1] - st[sp];
        } else if (op == DW_OP_deref && sp >= 1) {
            if (!read32(s, st[sp - 1], &st[sp - 1]))
                return false;
        } else {
            return false;                   /* nothing GCC writes for RV32 */
        }
    }
    if (sp != 1)
        return false;
    if (!location) {
        *out = st[0];
        return true;
    }
    return read32(s, st[0], out);
}

/* Frames looked up recently: recursion asks for the same pcs again and
 * again (a stack overflow's core has a hundred thousand frames). */
#define CFI_CACHE 4
struct cfi_cache {
    uint32_t    lookup[CFI_CACHE];
    Dwarf_Frame *frame[CFI_CACHE];
    unsigned    next;
};

static Dwarf_Frame *cfi_frame(const struct report_src *s, struct cfi_cache *cc, uint32_t lookup)
{
    for (int i = 0; i < CFI_CACHE; i++)
        if (cc->frame[i] && cc->lookup[i] == lookup)
            return cc->frame[i];
    Dwarf_Frame *f = NULL;
    for (int i = 0; i < 2 && !f; i++)
        if (s->cfi[i] && dwarf_cfi_addrframe(s->cfi[i], lookup, &f) != 0)
            f = NULL;
    if (!f)
        return NULL;
    unsigned k = cc->next++ % CFI_CACHE;
    free(cc->frame[k]);
    cc->frame[k] = f;
    cc->lookup[k] = lookup;
    return f;
}

/* One step up with CFI: the frame of the code at `lookup` (pc, or pc-1 for
 * a return address), registers u, becomes its caller's: *cfa, the caller's
 * registers in *up, the return address in *ret (or *ret_known false: the
 * outermost frame), and how it was found.  Returns false when this pc has
 * no usable CFI. */
static bool cfi_step(const struct report_src *s, struct cfi_cache *cc, uint32_t lookup,
                     const struct uregs *u, struct uregs *up, uint32_t *cfa, uint32_t *ret,
                     bool *ret_known, enum report_from *from)
{
    Dwarf_Frame *f = cfi_frame(s, cc, lookup);
    if (!f)
        return false;
    Dwarf_Op *ops, mem[3];
    size_t n;
    if (dwarf_frame_cfa(f, &ops, &n) != 0 || n == 0 || !cfi_eval(s, ops, n, u, 0, false, cfa))
        return false;
    int ra = dwarf_frame_info(f, NULL, NULL, NULL);
    if (ra < 0 || ra >= 32)
        return false;
    *from = REPORT_FROM_CFI;
    if (n == 1 && (ops[0].atom == DW_OP_breg8 || (ops[0].atom == DW_OP_bregx &&
                                                   ops[0].number == 8)))
        *from = REPORT_FROM_FP;             /* CFA = s0 + k: the frame pointer's frame */
    memset(up, 0, sizeof *up);
    for (int i = 1; i < 32; i++) {
        if (dwarf_frame_register(f, i, mem, &ops, &n) != 0)
            continue;                       /* unknown */
        if (n == 0 && ops == NULL) {        /* same value: this frame left it alone */
            up->x[i] = u->x[i];
            up->known[i] = u->known[i];
            if (i == ra)
                *from = REPORT_FROM_RA;
        } else if (n > 0) {
            up->known[i] = cfi_eval(s, ops, n, u, *cfa, true, &up->x[i]);
        }                                   /* else undefined */
    }
    *ret_known = up->known[ra];
    *ret = up->x[ra];
    up->x[2] = *cfa;                        /* the caller's sp is the CFA */
    up->known[2] = true;
    return true;
}

/* The backtrace from the core's registers: CFI where the program has it,
 * frame pointers where it has not, and through signal frames. */
static void unwind(struct report *r)
{
    const struct report_src *s = r->src;
    const struct coreread *c = &s->c;
    struct cfi_cache cc = { .next = 0 };
    struct uregs u, up;
    char *end = r->bt.end;
    size_t endlen = sizeof r->bt.end;
    uint32_t pc = c->pc;
    bool exact = true;                      /* pc is where it stopped, not a return address */
    memcpy(u.x, c->x, sizeof u.x);
    for (int i = 0; i < 32; i++)
        u.known[i] = true;
    for (int signals = 0;;) {
        uint32_t cfa, ret;
        bool ret_known;
        enum report_from from;
        if (!cfi_step(s, &cc, exact || !pc ? pc : pc - 1, &u, &up, &cfa, &ret, &ret_known,
                      &from)) {
            /* no CFI for this code: frame pointers from here */
            fp_unwind(r, pc, exact && u.known[1] ? u.x[1] : 0, u.known[8] ? u.x[8] : 0,
                      signals);
            break;
        }
        if (!ret_known || ret == 0) {
            snprintf(end, endlen, "the call frame information marks the return address "
                     "undefined: the outermost frame");
            break;
        }
        if (!exact && from == REPORT_FROM_RA) {
            /* Only the frame that stopped can still hold its return
             * address in ra: any frame above it made a call, which wrote
             * ra.  (Followed, the walk goes round the same pc for ever.) */
            snprintf(end, endlen, "the call frame information of 0x%08x leaves the return "
                     "address in ra, which this frame's call overwrote: the stack may be "
                     "corrupted", pc);
            break;
        }
        if (is_sigpage(s, ret)) {
            /* A signal handler's caller is the trampoline; the signal frame
             * sits at the handler's CFA: siginfo, then the ucontext. */
            uint32_t mc = cfa + SIGFRAME_UC + UC_MCONTEXT;
            if (!add_frame(r, ret, REPORT_FROM_SIGNAL))
                break;
            bool ok = signals < 4 && read32(s, mc, &pc);
            for (int i = 1; i < 32 && ok; i++) {
                ok = read32(s, mc + 4 * (uint32_t)i, &u.x[i]);
                u.known[i] = true;
            }
            if (!ok) {
                snprintf(end, endlen, "signal frame at 0x%08x not readable", cfa);
                break;
            }
            if (!add_frame(r, pc, REPORT_FROM_UC))
                break;
            signals++;
            exact = true;
            continue;
        }
        if (!is_code(s, ret)) {
            snprintf(end, endlen, "return address 0x%08x (call frame information of "
                     "0x%08x) is not code: the stack may be corrupted", ret, pc);
            break;
        }
        if (!add_frame(r, ret, from))
            break;
        if (!exact && up.x[2] <= u.x[2] && u.known[2]) {
            snprintf(end, endlen, "the caller's stack pointer 0x%08x is not above 0x%08x: "
                     "the walk stops", up.x[2], u.x[2]);
            break;
        }
        u = up;
        pc = ret;
        exact = false;
    }
    for (int i = 0; i < CFI_CACHE; i++)
        free(cc.frame[i]);
}

static void backtrace(struct report *r)
{
    const struct coreread *c = &r->src->c;
    add_frame(r, c->pc, REPORT_FROM_PC);
    unwind(r);
}

/* Each thread's backtrace: the unwinder walks from the core's registers,
 * so each thread's are put there in turn (and the first thread's back). */
static int threads(struct report *r)
{
    struct coreread *c = &r->src->c;
    if (c->nthreads < 2)
        return 0;
    r->threads.t = calloc((size_t)c->nthreads, sizeof *r->threads.t);
    if (!r->threads.t)
        return -1;
    r->threads.n = c->nthreads;
    r->threads.overflow_tid = c->overflow_tid;
    struct report_backtrace first = r->bt;
    uint32_t pc = c->pc, x[32];
    memcpy(x, c->x, sizeof x);
    static const char *const state[] = { "running", "futex wait", "exited" };
    for (int i = 0; i < c->nthreads; i++) {
        const struct coreread_thread *ct = &c->thread[i];
        struct report_thread *t = &r->threads.t[i];
        t->tid = ct->tid;
        t->state = !ct->has_info ? "?" : ct->state < 3 ? state[ct->state] : "?";
        t->futex = ct->futex;
        t->stack_start = ct->stack_start;
        t->stack_end = ct->stack_end;
        const struct coreread_seg *g = ct->stack_end ? coreread_seg_at(c, ct->stack_start) : NULL;
        t->stack_name = g ? g->name : NULL;
        t->pc = ct->pc;
        t->sp = ct->x[2];
        if (i == 0) {
            t->bt = first;
            continue;
        }
        memset(&r->bt, 0, sizeof r->bt);
        c->pc = ct->pc;
        memcpy(c->x, ct->x, sizeof c->x);
        backtrace(r);
        t->bt = r->bt;
    }
    r->bt = first;
    c->pc = pc;
    memcpy(c->x, x, sizeof x);
    return 0;
}

/* A fault in a thread stack's guard page: say whose stack overflowed. */
static void thread_overflow(struct report *r)
{
    const struct coreread *c = &r->src->c;
    if (!c->overflow_tid || r->fault.record != REPORT_RECORD_THIS)
        return;
    r->fault.stack_overflow = true;
    for (int i = 0; i < c->nthreads; i++) {
        const struct coreread_thread *t = &c->thread[i];
        if (t->tid != c->overflow_tid)
            continue;
        snprintf(r->cause, sizeof r->cause, "stack overflow of thread %d: the %s at 0x%08x "
                 "hit the guard page (no access allowed) just below that thread's stack "
                 "0x%08x-0x%08x (%u KiB); the thread recursed too deep or its locals are "
                 "too big for its stack.", t->tid, r->fault.access ? r->fault.access : "access",
                 r->fault.addr, t->stack_start, t->stack_end,
                 (t->stack_end - t->stack_start) / 1024);
        snprintf(r->hint, sizeof r->hint, "give the thread a larger stack "
                 "(pthread_attr_setstacksize) or make the recursion shallower.");
        return;
    }
}

/* ---------------------------------------------------------------------------
 * 5 Memory map */

/* Returns 0, or -1 when out of memory. */
static int memory_map(struct report *r)
{
    const struct coreread *c = &r->src->c;
    const struct coreread_vmlab *v = &c->vm;
    struct report_map *m = &r->map;
    int max = v->present ? v->nseg + 1 : c->nload;
    m->row = calloc(max ? (size_t)max : 1, sizeof *m->row);
    if (!m->row)
        return -1;
    if (!v->present) {
        for (int i = 0; i < c->nload; i++) {
            const struct coreread_load *l = &c->load[i];
            struct report_row *w = &m->row[m->n++];
            w->kind = REPORT_ROW_LOAD;
            w->start = l->vaddr;
            w->end = l->vaddr + l->memsz;
            vma_perm_str(load_perms(l->flags), w->perms);
        }
        return 0;
    }
    m->brk_start = v->brk_start;
    m->brk = v->brk;
    m->stack_limit = v->stack_limit;
    bool placed = !(r->fault.record == REPORT_RECORD_THIS && r->sig.number == SIGSEGV &&
                    r->fault.seg < 0);
    for (int i = 0; i <= v->nseg; i++) {
        if (!placed && (i == v->nseg || v->seg[i].start > v->addr)) {
            m->row[m->n++] = (struct report_row){ .kind = REPORT_ROW_NOTHING, .start = v->addr };
            placed = true;
        }
        if (i == v->nseg)
            break;
        const struct coreread_seg *g = &v->seg[i];
        struct report_row *w = &m->row[m->n++];
        w->kind = REPORT_ROW_SEGMENT;
        w->start = g->start;
        w->end = g->end;
        vma_perm_str(g->perms, w->perms);
        w->name = g->name;
        w->seg_kind = coreread_kind_name(g->kind);
        w->resident = g->resident;
        w->states = v->version >= 2;
        w->swapped = g->swapped;
        w->file_only = g->file_only;
        w->untouched = g->untouched;
    }
    /* with a fault segment there is no NOTHING row: fault.seg indexes the rows too */
    assert((r->fault.seg < 0 || m->n == v->nseg) && "memory_map: fault.seg is not its row");
    return 0;
}

/* ---------------------------------------------------------------------------
 * 6 Sv32 walk of the fault address and its verdict */

static void walk_verdict(struct report *r)
{
    const struct coreread_vmlab *v = &r->src->c.vm;
    if (v->cause != CAUSE_FETCH_PAGE_FAULT && v->cause != CAUSE_LOAD_PAGE_FAULT &&
        v->cause != CAUSE_STORE_PAGE_FAULT && v->cause != CAUSE_FETCH_ACCESS &&
        v->cause != CAUSE_LOAD_ACCESS && v->cause != CAUSE_STORE_ACCESS) {
        snprintf(r->walk.verdict, sizeof r->walk.verdict, "not a page fault: the signal came "
                 "from the instruction itself, not from the page table");
        return;
    }
    struct walk_text w = { .va = v->addr, .access = v->access, .satp = v->satp,
                           .levels = v->walk_levels, .recorded = true };
    for (int l = 0; l < 2; l++) {
        w.pte_addr[l] = v->pte_addr[l];
        w.pte[l] = v->pte[l];
    }
    walk_text_verdict(&w, r->walk.verdict, sizeof r->walk.verdict);
}

static void walk(struct report *r)
{
    const struct coreread_vmlab *v = &r->src->c.vm;
    struct report_walk *w = &r->walk;
    if (r->fault.record != REPORT_RECORD_THIS) {
        w->none = !v->present ? "no VMLAB note: the core does not record the walk"
                : "no fault record for this signal: there is no faulting address to walk";
        return;
    }
    w->vpn[1] = VA_VPN1(v->addr);
    w->vpn[0] = VA_VPN0(v->addr);
    w->offset = VA_OFFSET(v->addr);
    w->satp = v->satp;
    w->mode = v->satp & SATP_MODE_SV32 ? "Sv32" : "Bare";
    w->root = (uint64_t)SATP_PPN(v->satp) << PAGE_SHIFT;
    w->levels = v->walk_levels;
    for (int l = 0; l < v->walk_levels; l++) {
        struct report_pte *p = &w->pte[l];
        p->level = l == 0 ? "root" : "leaf";
        p->vpn = 1 - l;
        p->addr = v->pte_addr[l];
        p->value = v->pte[l];
        for (int b = 0; b < 8; b++)
            p->bit[b] = v->pte[l] >> b & 1;
        p->ppn = PTE_PPN(v->pte[l]);
    }
    walk_verdict(r);
}

/* ---------------------------------------------------------------------------
 * 7 Memory around the fault, the top of the stack */

static void memory(struct report *r)
{
    const struct coreread *c = &r->src->c;
    struct report_mem *m = &r->mem;
    if (!r->sig.has_addr)
        return;
    uint32_t a = r->sig.addr;
    uint64_t lo = (a & ~15u) >= REPORT_AROUND ? (a & ~15u) - REPORT_AROUND : 0;
    uint64_t hi = (uint64_t)a + REPORT_AROUND + 16;
    if (hi > 0x100000000ull)
        hi = 0x100000000ull;
    assert(hi - lo <= REPORT_MEM_MAX && "memory: window too large");
    m->start = (uint32_t)lo;
    m->len = (unsigned)(hi - lo);
    for (unsigned k = 0; k < m->len; k++)
        m->have[k] = coreread_mem(c, m->start + k, &m->byte[k], 1) == 1;
}

static void stack(struct report *r)
{
    const struct report_src *s = r->src;
    uint32_t sp = s->c.x[2];
    struct report_stack *st = &r->stack;
    for (uint32_t k = 0; k < 4 * REPORT_STACK_WORDS; k += 4) {
        struct report_word *w = &st->word[st->n];
        if ((uint64_t)sp + k > UINT32_MAX || !read32(s, sp + k, &w->value))
            break;
        w->code = w->value && is_code(s, w->value);
        if (w->code)
            w->at = place_at(s, w->value, w->value);
        st->n++;
    }
}

/* ---------------------------------------------------------------------------
 * Entry points */

int report_build(struct report *r, const char *core, const char *elf, char *err,
                 size_t errlen)
{
    char why[512];
    memset(r, 0, sizeof *r);
    r->core = core;
    r->fault.seg = -1;
    r->src = calloc(1, sizeof *r->src);
    if (!r->src)
        goto out_of_memory;
    if (coreread_open(core, &r->src->c, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", core, why);
        return -1;
    }
    if (find_program(r, elf, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s: %s", elf, why);
        return -1;
    }
    headline(r);
    check_fault(r);
    explain(r);
    instruction(r);
    registers(r);
    backtrace(r);
    if (threads(r) != 0)
        goto out_of_memory;
    thread_overflow(r);
    if (memory_map(r) != 0)
        goto out_of_memory;
    walk(r);
    memory(r);
    stack(r);
    return 0;
out_of_memory:
    snprintf(err, errlen, "%s: out of memory", core);
    return -1;
}

void report_free(struct report *r)
{
    struct report_src *s = r->src;
    if (s) {
        if (s->cfi[1])
            dwarf_cfi_end(s->cfi[1]);
        if (s->dw)
            dwarf_end(s->dw);
        if (s->elf)
            elf_end(s->elf);
        elf_free(&s->img);
        coreread_free(&s->c);
        free(s);
    }
    free(r->map.row);
    free(r->threads.t);
    memset(r, 0, sizeof *r);
}
