/* inspect/coreread.c — reading a vmlab ELF core file back.
 *
 * The layout is the one kernel/core.c writes and PLATFORM.md §5 describes:
 *
 *   0      ELF header (52 bytes, ELFCLASS32, LSB, ET_CORE, EM_RISCV)
 *   52     program headers (32 bytes each): PT_NOTE, then PT_LOADs
 *   ...    notes: { u32 namesz, u32 descsz, u32 type, name, desc } each
 *          padded to 4 bytes
 *   4 KiB  memory: PT_LOAD contents back to back
 *
 * The file is parsed by hand rather than through libelf: a core has no
 * sections, and every field we use is read with rd16/rd32 from a range
 * that was checked against the file size first (all sums in 64 bits, so
 * nothing wraps).  Anything that does not fit is refused with one sentence.
 *
 * Known limits: the whole file is read into memory (at most 1 GiB); only
 * the first PT_NOTE and the first note of each type are used (a vmlab
 * process has one thread); PN_XNUM (65535+ program headers) is refused; a
 * VMLAB note of another version is skipped (vm.present false, vm.version
 * set), not refused, so older inspectors still explain newer cores.
 */
#include "inspect/coreread.h"
#include "kernel/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CORE_MAX_THREADS 1024     /* NT_PRSTATUS notes kept */

#include "kernel/core_note.h"
#include "kernel/segment.h"

/* ELF constants we need (kept local: <elf.h> redefines core.h's NT_*). */
#define EHDR32_SIZE   52
#define PHDR32_SIZE   32
#define EI_CLASS_OFF  4
#define EI_DATA_OFF   5
#define CLASS32       1
#define CLASS64       2
#define DATA_LSB      1
#define DATA_MSB      2
#define ET_REL_       1
#define ET_EXEC_      2
#define ET_DYN_       3
#define ET_CORE_      4
#define EM_RISCV_     243
#define PT_LOAD_      1
#define PT_NOTE_      4
#define PN_XNUM_      0xffff
#define SIGINFO_BYTES 128

#define COREREAD_FILE_MAX ((uint64_t)1 << 30)   /* biggest core we read */

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Little-endian reads; the caller has checked off+2 / off+4 <= size. */
static uint16_t rd16(const uint8_t *d, uint64_t off)
{
    return (uint16_t)(d[off] | d[off + 1] << 8);
}

static uint32_t rd32(const uint8_t *d, uint64_t off)
{
    return (uint32_t)d[off] | (uint32_t)d[off + 1] << 8 |
           (uint32_t)d[off + 2] << 16 | (uint32_t)d[off + 3] << 24;
}

static uint64_t align4(uint64_t v) { return (v + 3) & ~(uint64_t)3; }

static const char *machine_name(unsigned m)
{
    switch (m) {
    case 2:   return "SPARC";
    case 3:   return "x86 (i386)";
    case 4:   return "m68k";
    case 8:   return "MIPS";
    case 20:  return "PowerPC";
    case 21:  return "64-bit PowerPC";
    case 22:  return "IBM S/390";
    case 40:  return "32-bit ARM";
    case 43:  return "SPARC V9";
    case 50:  return "IA-64 (Itanium)";
    case 62:  return "x86-64";
    case 183: return "AArch64 (64-bit ARM)";
    case 243: return "RISC-V";
    case 258: return "LoongArch";
    default:  return NULL;
    }
}

static const char *type_name(unsigned t)
{
    switch (t) {
    case ET_REL_:  return "a relocatable object file (ET_REL)";
    case ET_EXEC_: return "an ELF executable (ET_EXEC)";
    case ET_DYN_:  return "a shared object or PIE executable (ET_DYN)";
    default:       return NULL;
    }
}

/* e_ident, e_type, e_machine: is this an RV32 LSB core at all?  Each
 * foreign kind of file gets a sentence that names what it is. */
static int check_ident(const uint8_t *d, size_t size, char *err, size_t errlen)
{
    if (size == 0)
        return fail(err, errlen, "empty file (0 bytes), not a core file");
    if (size < 4 || memcmp(d, "\177ELF", 4) != 0)
        return fail(err, errlen, "not an ELF file (bad magic), so not a core file");
    if (size < 20)
        return fail(err, errlen, "truncated: the ELF header is cut short (%zu bytes)", size);
    unsigned cls = d[EI_CLASS_OFF], enc = d[EI_DATA_OFF];
    if (cls != CLASS32 && cls != CLASS64)
        return fail(err, errlen, "corrupt ELF header: unknown class %u", cls);
    if (enc != DATA_LSB && enc != DATA_MSB)
        return fail(err, errlen, "corrupt ELF header: unknown data encoding %u", enc);
    /* e_type at 16 and e_machine at 18 in both classes */
    unsigned type = enc == DATA_LSB ? rd16(d, 16) : (unsigned)(d[16] << 8 | d[17]);
    unsigned mach = enc == DATA_LSB ? rd16(d, 18) : (unsigned)(d[18] << 8 | d[19]);
    const char *mname = machine_name(mach);
    char mbuf[32];
    if (!mname) {
        snprintf(mbuf, sizeof mbuf, "machine %u", mach);
        mname = mbuf;
    }
    const char *bits = cls == CLASS64 ? "64-bit " : "32-bit ";
    if (mach != EM_RISCV_)
        bits = "";
    if (type != ET_CORE_) {
        const char *tn = type_name(type);
        if (tn)
            return fail(err, errlen, "%s for %s%s, not a core file%s", tn, bits, mname,
                        type == ET_EXEC_ && mach == EM_RISCV_ && cls == CLASS32
                            ? " (run it with vmlab run)" : "");
        return fail(err, errlen, "an ELF file of type %u for %s%s, not a core file",
                    type, bits, mname);
    }
    if (mach != EM_RISCV_)
        return fail(err, errlen, "an ELF core for %s, not RISC-V", mname);
    if (cls != CLASS32)
        return fail(err, errlen, "an ELF core for 64-bit RISC-V (ELFCLASS64); "
                    "vmlab cores are 32-bit (RV32)");
    if (enc != DATA_LSB)
        return fail(err, errlen, "a big-endian ELF core; RISC-V cores are little-endian");
    if (size < EHDR32_SIZE)
        return fail(err, errlen, "truncated: the ELF header needs %d bytes, the file has %zu",
                    EHDR32_SIZE, size);
    return 0;
}

/* A NUL-terminated copy of at most n bytes of src (the field may lack the
 * NUL when it is full). */
static void copy_field(char *dst, const uint8_t *src, size_t n)
{
    size_t len = strnlen((const char *)src, n);
    memcpy(dst, src, len);
    dst[len] = 0;
}

static int parse_prstatus(struct coreread *c, const uint8_t *d, uint32_t sz,
                          char *err, size_t errlen)
{
    if (sz != PRSTATUS_SIZE)
        return fail(err, errlen, "corrupt NT_PRSTATUS note: %u bytes; an RV32 core's is %d",
                    sz, PRSTATUS_SIZE);
    if (c->nthreads == 0) {
        c->cursig = rd16(d, 12);
        c->sigpend = rd32(d, 16);
        c->sighold = rd32(d, 20);
        c->pr_pid = (int)rd32(d, 24);
        c->pc = rd32(d, PRSTATUS_REG);
        c->x[0] = 0;
        for (int i = 1; i < 32; i++)
            c->x[i] = rd32(d, PRSTATUS_REG + 4 * (uint64_t)i);
    }
    if (c->nthreads >= CORE_MAX_THREADS)
        return 0;                       /* more than a process can have: ignored */
    struct coreread_thread *t = realloc(c->thread, (size_t)(c->nthreads + 1) * sizeof *t);
    if (!t)
        return fail(err, errlen, "out of memory");
    c->thread = t;
    t += c->nthreads++;
    memset(t, 0, sizeof *t);
    t->tid = (int)rd32(d, 24);
    t->pc = rd32(d, PRSTATUS_REG);
    for (int i = 1; i < 32; i++)
        t->x[i] = rd32(d, PRSTATUS_REG + 4 * (uint64_t)i);
    return 0;
}

/* The VMLAB threads note: records matched to the NT_PRSTATUS threads by
 * TID (a record without one is ignored). */
static int parse_threads(struct coreread *c, const uint8_t *d, uint32_t sz,
                         char *err, size_t errlen)
{
    if (sz < VMLAB_THREADS_HEAD || (sz - VMLAB_THREADS_HEAD) % VMLAB_THREADS_REC ||
        rd32(d, 0) != (sz - VMLAB_THREADS_HEAD) / VMLAB_THREADS_REC)
        return fail(err, errlen, "corrupt VMLAB threads note: %u bytes", sz);
    c->overflow_tid = (int)rd32(d, 4);
    for (uint32_t k = 0; k < rd32(d, 0); k++) {
        const uint8_t *rec = d + VMLAB_THREADS_HEAD + (size_t)k * VMLAB_THREADS_REC;
        for (int i = 0; i < c->nthreads; i++) {
            struct coreread_thread *t = &c->thread[i];
            if (t->tid != (int)rd32(rec, 0) || t->has_info)
                continue;
            t->has_info = true;
            t->state = rd32(rec, 4);
            t->futex = rd32(rec, 8);
            t->stack_start = rd32(rec, 12);
            t->stack_end = rd32(rec, 16);
            break;
        }
    }
    return 0;
}

static int parse_prpsinfo(struct coreread *c, const uint8_t *d, uint32_t sz,
                          char *err, size_t errlen)
{
    if (sz != PRPSINFO_SIZE)
        return fail(err, errlen, "corrupt NT_PRPSINFO note: %u bytes; an RV32 core's is %d",
                    sz, PRPSINFO_SIZE);
    c->has_prpsinfo = true;
    c->uid = (int)rd32(d, 8);
    c->gid = (int)rd32(d, 12);
    c->pid = (int)rd32(d, 16);
    c->ppid = (int)rd32(d, 20);
    copy_field(c->fname, d + 32, 16);
    copy_field(c->psargs, d + 48, 80);
    return 0;
}

static int parse_siginfo(struct coreread *c, const uint8_t *d, uint32_t sz,
                         char *err, size_t errlen)
{
    if (sz != SIGINFO_BYTES)
        return fail(err, errlen, "corrupt NT_SIGINFO note: %u bytes; siginfo_t is %d",
                    sz, SIGINFO_BYTES);
    c->has_siginfo = true;
    c->si_signo = (int)rd32(d, 0);
    c->si_errno = (int)rd32(d, 4);
    c->si_code = (int)rd32(d, 8);
    c->si_addr = rd32(d, 12);
    c->si_uid = rd32(d, 16);
    return 0;
}

static int parse_auxv(struct coreread *c, const uint8_t *d, uint32_t sz,
                      char *err, size_t errlen)
{
    if (sz % 8)
        return fail(err, errlen, "corrupt NT_AUXV note: %u bytes is not a whole number "
                    "of 8-byte pairs", sz);
    uint32_t n = sz / 8;
    if (n == 0)
        return 0;
    c->auxv = calloc(n, sizeof *c->auxv);
    if (!c->auxv)
        return fail(err, errlen, "out of memory");
    for (uint32_t i = 0; i < n; i++) {
        uint32_t type = rd32(d, 8 * (uint64_t)i), val = rd32(d, 8 * (uint64_t)i + 4);
        if (type == 0)                               /* AT_NULL */
            break;
        c->auxv[c->nauxv][0] = type;
        c->auxv[c->nauxv][1] = val;
        c->nauxv++;
    }
    return 0;
}

/* NT_FILE: count, page_size, count x {start, end, pgoff}, count paths. */
static int parse_file(struct coreread *c, const uint8_t *d, uint32_t sz,
                      char *err, size_t errlen)
{
    if (sz < 8)
        return fail(err, errlen, "corrupt NT_FILE note: %u bytes, shorter than its header", sz);
    uint32_t count = rd32(d, 0);
    c->file_page_size = rd32(d, 4);
    if ((uint64_t)count * 12 > sz - 8)
        return fail(err, errlen, "corrupt NT_FILE note: %u entries do not fit in %u bytes",
                    count, sz);
    if (count == 0)
        return 0;
    c->file = calloc(count, sizeof *c->file);
    if (!c->file)
        return fail(err, errlen, "out of memory");
    uint64_t s = 8 + (uint64_t)count * 12;
    for (uint32_t i = 0; i < count; i++) {
        struct coreread_file *f = &c->file[i];
        f->start = rd32(d, 8 + 12 * (uint64_t)i);
        f->end = rd32(d, 12 + 12 * (uint64_t)i);
        f->pgoff = rd32(d, 16 + 12 * (uint64_t)i);
        const uint8_t *nul = s < sz ? memchr(d + s, 0, sz - s) : NULL;
        if (!nul)
            return fail(err, errlen, "corrupt NT_FILE note: it lists %u files but holds "
                        "only %u NUL-terminated names", count, i);
        f->path = (const char *)(d + s);
        s = (uint64_t)(nul - d) + 1;
        c->nfile++;
    }
    return 0;
}

static int parse_vmlab(struct coreread *c, const uint8_t *d, uint32_t sz,
                       char *err, size_t errlen)
{
    struct coreread_vmlab *v = &c->vm;
    if (sz < 4)
        return fail(err, errlen, "corrupt VMLAB note: %u bytes, too short for its version", sz);
    v->version = rd32(d, 0);
    if (v->version != 1 && v->version != VMLAB_NOTE_VERSION)
        return 0;                   /* newer or older: keep going without it */
    if (sz < VMLAB_NOTE_HEAD)
        return fail(err, errlen, "corrupt VMLAB note: %u bytes; version 1 needs at least %d",
                    sz, VMLAB_NOTE_HEAD);
    uint32_t h[VMLAB_NOTE_HEAD / 4];
    for (int i = 0; i < VMLAB_NOTE_HEAD / 4; i++)
        h[i] = rd32(d, 4 * (uint64_t)i);
    uint32_t nseg = h[21];
    uint64_t need = VMLAB_NOTE_HEAD + (uint64_t)nseg * VMLAB_NOTE_SEG;
    if (need > sz || (v->version == 1 && need != sz))
        return fail(err, errlen, "corrupt VMLAB note: %u segments need %llu bytes, the note "
                    "has %u", nseg, (unsigned long long)need, sz);
    if (h[3] > 2 || h[8] > 2)
        return fail(err, errlen, "corrupt VMLAB note: access kind %u, walk levels %u",
                    h[3], h[8]);
    v->fault_valid = h[1] != 0;
    v->cause = (int)h[2];
    v->access = (int)h[3];
    v->addr = h[4];
    v->pc = h[5];
    v->si_code = (int)h[6];
    v->stack_overflow = h[7] != 0;
    v->walk_levels = (int)h[8];
    v->pte_addr[0] = h[9] | (uint64_t)h[10] << 32;
    v->pte_addr[1] = h[11] | (uint64_t)h[12] << 32;
    v->pte[0] = h[13];
    v->pte[1] = h[14];
    v->satp = h[15];
    v->instret = h[16] | (uint64_t)h[17] << 32;
    v->stack_limit = h[18];
    v->brk_start = h[19];
    v->brk = h[20];
    if (nseg) {
        v->seg = calloc(nseg, sizeof *v->seg);
        if (!v->seg)
            return fail(err, errlen, "out of memory");
    }
    for (uint32_t i = 0; i < nseg; i++) {
        const uint8_t *r = d + VMLAB_NOTE_HEAD + (uint64_t)i * VMLAB_NOTE_SEG;
        struct coreread_seg *s = &v->seg[i];
        s->start = rd32(r, 0);
        s->end = rd32(r, 4);
        s->perms = rd32(r, 8);
        s->kind = rd32(r, 12);
        s->resident = rd32(r, 16);
        copy_field(s->name, r + 20, COREREAD_SEG_NAME);
        if (s->start >= s->end || s->perms > 7)
            return fail(err, errlen, "corrupt VMLAB note: segment %u is [0x%08x, 0x%08x) "
                        "with perms %u", i, s->start, s->end, s->perms);
        v->nseg++;
    }
    if (v->version >= 2) {               /* page states after the records */
        uint64_t at = need;
        for (uint32_t i = 0; i < nseg; i++) {
            struct coreread_seg *s = &v->seg[i];
            uint32_t pages = (s->end - s->start) / 4096;
            uint64_t bytes = VMLAB_NOTE_STATES((uint64_t)pages);
            if (at + bytes > sz)
                return fail(err, errlen, "corrupt VMLAB note: the page states of segment %u "
                            "end past the note", i);
            uint32_t n[4] = { 0 };
            for (uint32_t k = 0; k < pages; k++)
                n[d[at + k / 4] >> (2 * (k % 4)) & 3]++;
            at += bytes;
            if (n[1] != s->resident)
                return fail(err, errlen, "corrupt VMLAB note: segment %u has %u resident pages "
                            "but %u page states say so", i, s->resident, n[1]);
            s->untouched = n[0];
            s->swapped = n[2];
            s->file_only = n[3];
        }
        if (at != sz)
            return fail(err, errlen, "corrupt VMLAB note: %llu bytes after the page states",
                        (unsigned long long)(sz - at));
    }
    v->present = true;
    return 0;
}

/* Walk the notes in [off, off+len) (already inside the file). */
static int parse_notes(struct coreread *c, uint64_t off, uint64_t len,
                       char *err, size_t errlen)
{
    const uint8_t *d = c->data;
    uint64_t pos = off, end = off + len;
    bool seen_prstatus = false, seen_prpsinfo = false, seen_siginfo = false;
    bool seen_auxv = false, seen_file = false, seen_vmlab = false;
    const uint8_t *threads = NULL;
    uint32_t threads_sz = 0;
    int rc = 0;

    while (pos < end && rc == 0) {
        if (end - pos < 12)
            return fail(err, errlen, "corrupt notes: a note header at offset 0x%llx is cut "
                        "short by the end of the PT_NOTE segment", (unsigned long long)pos);
        uint32_t namesz = rd32(d, pos), descsz = rd32(d, pos + 4), type = rd32(d, pos + 8);
        uint64_t name = pos + 12, desc = name + align4(namesz), desc_end = desc + descsz;
        if (desc > end || desc_end > end)
            return fail(err, errlen, "corrupt note at offset 0x%llx: namesz %u and descsz %u "
                        "run past the end of the PT_NOTE segment",
                        (unsigned long long)pos, namesz, descsz);
        bool core = namesz == 5 && memcmp(d + name, "CORE", 5) == 0;
        bool vmlab = namesz == 6 && memcmp(d + name, "VMLAB", 6) == 0;
        const uint8_t *p = d + desc;
        if (core && type == NT_PRSTATUS) {
            seen_prstatus = true;
            rc = parse_prstatus(c, p, descsz, err, errlen);
        } else if (core && type == NT_PRPSINFO && !seen_prpsinfo) {
            seen_prpsinfo = true;
            rc = parse_prpsinfo(c, p, descsz, err, errlen);
        } else if (core && type == NT_SIGINFO && !seen_siginfo) {
            seen_siginfo = true;
            rc = parse_siginfo(c, p, descsz, err, errlen);
        } else if (core && type == NT_AUXV && !seen_auxv) {
            seen_auxv = true;
            rc = parse_auxv(c, p, descsz, err, errlen);
        } else if (core && type == NT_FILE && !seen_file) {
            seen_file = true;
            rc = parse_file(c, p, descsz, err, errlen);
        } else if (vmlab && type == NT_VMLAB && !seen_vmlab) {
            seen_vmlab = true;
            rc = parse_vmlab(c, p, descsz, err, errlen);
        } else if (vmlab && type == NT_VMLAB_THREADS && !threads) {
            threads = p;
            threads_sz = descsz;
        }
        pos = align4(desc_end);     /* the last note's padding may be missing */
    }
    if (rc == 0 && !seen_prstatus)
        return fail(err, errlen, "no NT_PRSTATUS note: the core holds no registers");
    if (rc == 0 && threads)
        rc = parse_threads(c, threads, threads_sz, err, errlen);
    return rc;
}

/* Headers, then notes.  c->data/c->size are set. */
static int parse(struct coreread *c, char *err, size_t errlen)
{
    const uint8_t *d = c->data;
    size_t size = c->size;

    if (check_ident(d, size, err, errlen))
        return -1;
    uint32_t phoff = rd32(d, 28);
    unsigned phentsize = rd16(d, 42), phnum = rd16(d, 44);
    if (d[6] != 1 || rd32(d, 20) != 1)
        return fail(err, errlen, "corrupt ELF header: unknown ELF version");
    if (phentsize != PHDR32_SIZE)
        return fail(err, errlen, "corrupt ELF header: program headers are %u bytes, "
                    "ELF32 ones are %d", phentsize, PHDR32_SIZE);
    if (phnum == 0)
        return fail(err, errlen, "corrupt core: no program headers (no notes, no memory)");
    if (phnum == PN_XNUM_)
        return fail(err, errlen, "corrupt core: 65535+ program headers (PN_XNUM) "
                    "are not supported");
    if ((uint64_t)phoff + (uint64_t)phnum * PHDR32_SIZE > size)
        return fail(err, errlen, "truncated: the program headers run past the end of "
                    "the file (%u headers at offset %u, file has %zu bytes)", phnum, phoff, size);

    int nload = 0;
    for (unsigned i = 0; i < phnum; i++)
        nload += rd32(d, phoff + (uint64_t)i * PHDR32_SIZE) == PT_LOAD_;
    if (nload) {
        c->load = calloc((size_t)nload, sizeof *c->load);
        if (!c->load)
            return fail(err, errlen, "out of memory");
    }
    bool have_note = false;
    uint64_t note_off = 0, note_len = 0;
    for (unsigned i = 0; i < phnum; i++) {
        uint64_t ph = phoff + (uint64_t)i * PHDR32_SIZE;
        uint32_t type = rd32(d, ph), off = rd32(d, ph + 4), vaddr = rd32(d, ph + 8);
        uint32_t filesz = rd32(d, ph + 16), memsz = rd32(d, ph + 20), flags = rd32(d, ph + 24);
        if (type == PT_NOTE_ && !have_note) {
            if ((uint64_t)off + filesz > size)
                return fail(err, errlen, "truncated: the notes run past the end of the file "
                            "(%u bytes at offset %u, file has %zu)", filesz, off, size);
            have_note = true;
            note_off = off;
            note_len = filesz;
        } else if (type == PT_LOAD_) {
            if ((uint64_t)off + filesz > size)
                return fail(err, errlen, "truncated: the memory at 0x%08x (program header %u) "
                            "runs past the end of the file (needs %llu bytes, file has %zu)",
                            vaddr, i, (unsigned long long)off + filesz, size);
            if (filesz > memsz)
                return fail(err, errlen, "corrupt program header %u: p_filesz %u is larger "
                            "than p_memsz %u", i, filesz, memsz);
            if ((uint64_t)vaddr + memsz > 0x100000000ull)
                return fail(err, errlen, "corrupt program header %u: 0x%08x + %u wraps past "
                            "the 32-bit address space", i, vaddr, memsz);
            struct coreread_load *l = &c->load[c->nload++];
            l->vaddr = vaddr;
            l->memsz = memsz;
            l->filesz = filesz;
            l->offset = off;
            l->flags = flags & 7;
        }
    }
    if (!have_note)
        return fail(err, errlen, "corrupt core: no PT_NOTE segment (no registers, no signal)");
    return parse_notes(c, note_off, note_len, err, errlen);
}

void coreread_free(struct coreread *c)
{
    if (!c)
        return;
    free(c->data);
    free(c->auxv);
    free(c->file);
    free(c->load);
    free(c->vm.seg);
    free(c->thread);
    memset(c, 0, sizeof *c);
}

/* Parse c->data (owned by c); on failure free everything. */
static int take(struct coreread *c, char *err, size_t errlen)
{
    if (parse(c, err, errlen)) {
        coreread_free(c);
        return -1;
    }
    return 0;
}

int coreread_open_mem(const void *buf, size_t size, struct coreread *c,
                      char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (size) {
        c->data = malloc(size);
        if (!c->data)
            return fail(err, errlen, "out of memory (%zu bytes)", size);
        memcpy(c->data, buf, size);
    }
    c->size = size;
    return take(c, err, errlen);
}

int coreread_open(const char *path, struct coreread *c, char *err, size_t errlen)
{
    memset(c, 0, sizeof *c);
    if (file_read_path(path, COREREAD_FILE_MAX, "a core file", &c->data, &c->size, err, errlen))
        return -1;
    return take(c, err, errlen);
}

size_t coreread_mem(const struct coreread *c, uint32_t va, void *out, size_t len)
{
    uint8_t *o = out;
    size_t done = 0;
    uint64_t a = va;

    while (done < len && a <= UINT32_MAX) {
        const struct coreread_load *hit = NULL;
        for (int i = 0; i < c->nload && !hit; i++) {
            const struct coreread_load *l = &c->load[i];
            if (a >= l->vaddr && a < (uint64_t)l->vaddr + l->filesz)
                hit = l;
        }
        if (!hit)
            break;
        uint64_t avail = (uint64_t)hit->vaddr + hit->filesz - a;
        size_t n = len - done < avail ? len - done : (size_t)avail;
        memcpy(o + done, c->data + hit->offset + (a - hit->vaddr), n);
        done += n;
        a += n;
    }
    return done;
}

const struct coreread_seg *coreread_seg_at(const struct coreread *c, uint32_t va)
{
    for (int i = 0; i < c->vm.nseg; i++)
        if (va >= c->vm.seg[i].start && va < c->vm.seg[i].end)
            return &c->vm.seg[i];
    return NULL;
}

const char *coreread_kind_name(uint32_t kind)
{
    switch (kind) {
    case VMA_FILE:    return "file";
    case VMA_ANON:    return "anon";
    case VMA_HEAP:    return "heap";
    case VMA_STACK:   return "stack";
    case VMA_SIGPAGE: return "sigpage";
    default:          return "?";
    }
}
