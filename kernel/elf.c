/* kernel/elf.c — reading and validating static RV32 ELF executables.
 *
 * libelf (elfutils) decodes the headers; this file decides whether the
 * program is one vmlab can run and describes what to map.  Linux
 * fs/binfmt_elf.c load_elf_binary() is the model for what is accepted:
 * PT_LOAD segments are mapped page by page from the file, so a segment's
 * address and file offset must agree modulo the page size, and the part of
 * its first page before p_vaddr comes from the file too.
 *
 * Every offset read from the file is checked against the file size before
 * it is used; libelf's own accessors check what they read (gelf_getphdr,
 * elf_getdata, elf_strptr), and we check the rest ourselves.  Errors are one
 * human sentence in the caller's buffer; nothing here prints or exits.
 *
 * Known limits: PN_XNUM (65535+ program headers) is refused, as no linker
 * makes such an executable; elf_symbol() re-reads the symbol table on every
 * call (it serves traces and the inspector, not the hot path).
 */
#include "kernel/elf.h"
#include "kernel/file.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ELF_PAGE_SIZE   4096u
#define ELF_FILE_MAX    ((size_t)256 << 20)   /* biggest file elf_load reads */
#define ELF_NULL_END    0x1000u      /* page 0 stays unmapped: NULL faults */
#define ELF_USER_TOP    0x3ffff000u  /* signal trampoline page; stack above */

/* One PT_LOAD that passed the checks, before it is cut into segments. */
struct elf_load {
    size_t   idx;                    /* program header index (readelf -l) */
    uint32_t vaddr, memsz;
    uint32_t off, filesz;
    uint32_t flags;                  /* PF_R | PF_W | PF_X */
};

static uint32_t page_down(uint32_t a) { return a & ~(ELF_PAGE_SIZE - 1); }

/* a <= ELF_USER_TOP everywhere this is used, so it cannot wrap. */
static uint32_t page_up(uint32_t a)
{
    return (a + ELF_PAGE_SIZE - 1) & ~(ELF_PAGE_SIZE - 1);
}

__attribute__((format(printf, 3, 4)))
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* The last libelf error, as a sentence fragment. */
static const char *libelf_why(void)
{
    const char *m = elf_errmsg(-1);
    return m ? m : "unknown libelf error";
}

static const char *machine_name(unsigned m)
{
    switch (m) {
    case EM_386:       return "x86 (i386)";
    case EM_X86_64:    return "x86-64";
    case EM_ARM:       return "32-bit ARM";
    case EM_AARCH64:   return "AArch64 (64-bit ARM)";
    case EM_MIPS:
    case EM_MIPS_RS3_LE: return "MIPS";
    case EM_PPC:       return "PowerPC";
    case EM_PPC64:     return "64-bit PowerPC";
    case EM_SPARC:     return "SPARC";
    case EM_SPARCV9:   return "SPARC V9";
    case EM_S390:      return "IBM S/390";
    case EM_IA_64:     return "IA-64 (Itanium)";
    case EM_68K:       return "m68k";
    case EM_SH:        return "SuperH";
    case EM_XTENSA:    return "Xtensa";
    case EM_MSP430:    return "MSP430";
    case EM_AVR:       return "AVR";
    case EM_BPF:       return "eBPF";
    case EM_ALPHA:     return "Alpha";
    case EM_RISCV:     return "RISC-V";
#ifdef EM_LOONGARCH
    case EM_LOONGARCH: return "LoongArch";
#endif
    default:           return NULL;
    }
}

/* Checks on e_ident, done on the raw bytes before libelf sees the file, so
 * that a 64-bit or big-endian file gets a message that says so. */
static int check_ident(const uint8_t *d, size_t size, char *err, size_t errlen)
{
    if (size == 0)
        return fail(err, errlen, "empty file (0 bytes); not a program");
    if (size < SELFMAG || memcmp(d, ELFMAG, SELFMAG) != 0) {
        if (size >= 2 && d[0] == '#' && d[1] == '!')
            return fail(err, errlen, "not an ELF file (bad magic): it is a "
                        "script (#!), not a compiled program");
        return fail(err, errlen, "not an ELF file (bad magic)");
    }
    if (size < EI_NIDENT)
        return fail(err, errlen, "truncated ELF header (the file has %zu "
                    "bytes; a 32-bit ELF header has %zu)", size,
                    sizeof(Elf32_Ehdr));
    if (d[EI_CLASS] == ELFCLASS64) {
        /* e_machine is at offset 18 in both classes. */
        const char *name = NULL;
        if (size >= 20 && d[EI_DATA] == ELFDATA2LSB)
            name = machine_name(d[18] | (unsigned)d[19] << 8);
        else if (size >= 20 && d[EI_DATA] == ELFDATA2MSB)
            name = machine_name((unsigned)d[18] << 8 | d[19]);
        return fail(err, errlen, "64-bit ELF%s%s%s; vmlab runs 32-bit "
                    "RISC-V (rv32) programs — compile with -march=rv32imac "
                    "-mabi=ilp32", name ? " (" : "", name ? name : "",
                    name ? ")" : "");
    }
    if (d[EI_CLASS] != ELFCLASS32)
        return fail(err, errlen, "corrupt ELF header (unknown ELF class %u)",
                    d[EI_CLASS]);
    if (d[EI_DATA] == ELFDATA2MSB)
        return fail(err, errlen, "big-endian ELF; vmlab runs little-endian "
                    "RISC-V programs");
    if (d[EI_DATA] != ELFDATA2LSB)
        return fail(err, errlen, "corrupt ELF header (unknown data encoding "
                    "%u)", d[EI_DATA]);
    if (size < sizeof(Elf32_Ehdr))
        return fail(err, errlen, "truncated ELF header (the file has %zu "
                    "bytes; a 32-bit ELF header has %zu)", size,
                    sizeof(Elf32_Ehdr));
    /* libelf refuses another version without an error of its own */
    uint32_t e_version = d[20] | (uint32_t)d[21] << 8 | (uint32_t)d[22] << 16 |
                         (uint32_t)d[23] << 24;
    if (d[EI_VERSION] != EV_CURRENT || e_version != EV_CURRENT)
        return fail(err, errlen, "corrupt ELF header: unknown ELF version "
                    "(EI_VERSION %u, e_version %u; both must be 1)",
                    d[EI_VERSION], e_version);
    return 0;
}

/* Checks on the decoded ELF header that do not involve program headers. */
static int check_ehdr(const GElf_Ehdr *eh, char *err, size_t errlen)
{
    if (eh->e_machine != EM_RISCV) {
        const char *name = machine_name(eh->e_machine);
        if (name)
            return fail(err, errlen, "built for %s, not RISC-V; vmlab runs "
                        "32-bit RISC-V (rv32) programs", name);
        return fail(err, errlen, "not a RISC-V program (ELF machine %u); "
                    "vmlab runs 32-bit RISC-V (rv32) programs",
                    eh->e_machine);
    }
    switch (eh->e_type) {
    case ET_EXEC:
        break;
    case ET_DYN:
        return fail(err, errlen, "position-independent/dynamic executable "
                    "(ET_DYN); link with -static (and -no-pie)");
    case ET_REL:
        return fail(err, errlen, "object file, not an executable (ET_REL); "
                    "link it first");
    case ET_CORE:
        return fail(err, errlen, "this is a core file; use 'vmlab inspect'");
    default:
        return fail(err, errlen, "not an executable (ELF type %u)",
                    eh->e_type);
    }
    /* RISC-V psABI: e_flags bits 1-2 give the float ABI, bit 3 is RVE. */
    switch (eh->e_flags & EF_RISCV_FLOAT_ABI) {
    case EF_RISCV_FLOAT_ABI_SOFT:
        break;
    case EF_RISCV_FLOAT_ABI_SINGLE:
        return fail(err, errlen, "built for a hard-float ABI (ilp32f); vmlab "
                    "has no F/D extension: use -mabi=ilp32");
    case EF_RISCV_FLOAT_ABI_DOUBLE:
        return fail(err, errlen, "built for a hard-float ABI (ilp32d); vmlab "
                    "has no F/D extension: use -mabi=ilp32");
    default:
        return fail(err, errlen, "built for a hard-float ABI (ilp32q); vmlab "
                    "has no F/D extension: use -mabi=ilp32");
    }
    if (eh->e_flags & EF_RISCV_RVE)
        return fail(err, errlen, "built for RV32E (16 registers, ilp32e); "
                    "vmlab runs RV32I programs: use -march=rv32imac "
                    "-mabi=ilp32");
    return 0;
}

/* PT_INTERP: name the interpreter when its path is a sane string. */
static int fail_interp(const uint8_t *d, size_t size, const GElf_Phdr *ph,
                       char *err, size_t errlen)
{
    static const char tail[] = "; vmlab runs static executables (-static)";
    uint64_t off = ph->p_offset, len = ph->p_filesz;

    if (len >= 2 && len <= 128 && off <= size && size - off >= len &&
        d[off + len - 1] == '\0') {
        const char *s = (const char *)d + off;
        bool ok = true;
        for (uint64_t i = 0; i + 1 < len; i++)
            ok = ok && s[i] >= 0x21 && s[i] <= 0x7e;
        if (ok)
            return fail(err, errlen, "dynamically linked (interpreter %s)%s",
                        s, tail);
    }
    return fail(err, errlen, "dynamically linked (it has a PT_INTERP)%s",
                tail);
}

/* Check one PT_LOAD (program header i) and append it to loads[] unless it
 * is empty.  On entry the program header table is known to lie inside the
 * file; nothing about *ph is trusted yet. */
static int check_load(size_t i, const GElf_Phdr *ph, size_t size,
                      struct elf_load *loads, int *nload,
                      char *err, size_t errlen)
{
    uint64_t va = ph->p_vaddr, ms = ph->p_memsz;
    uint64_t off = ph->p_offset, fs = ph->p_filesz, al = ph->p_align;

    if (fs > ms)
        return fail(err, errlen, "segment %zu: its file size (0x%llx) is "
                    "larger than its memory size (0x%llx)", i,
                    (unsigned long long)fs, (unsigned long long)ms);
    if (ms == 0)
        return 0; /* maps nothing (Linux skips it too) */
    if (fs > 0 && (off > size || size - off < fs))
        return fail(err, errlen, "segment %zu: its bytes in the file "
                    "(offset 0x%llx, 0x%llx bytes) run past the end of the "
                    "file (%zu bytes): truncated file?", i,
                    (unsigned long long)off, (unsigned long long)fs, size);
    if (va + ms > UINT64_C(0x100000000))
        return fail(err, errlen, "segment %zu: address 0x%08llx + size "
                    "0x%llx overflows the 32-bit address space", i,
                    (unsigned long long)va, (unsigned long long)ms);
    if (va + ms > ELF_USER_TOP)
        return fail(err, errlen, "segment %zu: 0x%08llx-0x%08llx reaches "
                    "above 0x%08x, where the signal trampoline page and the "
                    "stack live", i, (unsigned long long)va,
                    (unsigned long long)(va + ms), ELF_USER_TOP);
    if (va < ELF_NULL_END)
        return fail(err, errlen, "segment %zu starts at 0x%08llx, in page 0, "
                    "which stays unmapped so that NULL pointers fault; link "
                    "at 0x10000 (the default)", i, (unsigned long long)va);
    if (al > 1 && (al & (al - 1)) != 0)
        return fail(err, errlen, "segment %zu: alignment 0x%llx is not a "
                    "power of two", i, (unsigned long long)al);
    /* For anonymous (p_filesz 0) segments the offset is never used. */
    if (fs > 0 && va % ELF_PAGE_SIZE != off % ELF_PAGE_SIZE)
        return fail(err, errlen, "segment %zu: address 0x%08llx and file "
                    "offset 0x%llx differ modulo the page size (%u), so its "
                    "file pages cannot be mapped", i, (unsigned long long)va,
                    (unsigned long long)off, ELF_PAGE_SIZE);
    if (fs > 0 && al > 1 && va % al != off % al)
        return fail(err, errlen, "segment %zu: address 0x%08llx and file "
                    "offset 0x%llx do not agree modulo its alignment 0x%llx",
                    i, (unsigned long long)va, (unsigned long long)off,
                    (unsigned long long)al);
    if (*nload == ELF_MAX_SEGS)
        return fail(err, errlen, "too many loadable segments (more than %d)",
                    ELF_MAX_SEGS);
    loads[(*nload)++] = (struct elf_load){
        .idx = i, .vaddr = (uint32_t)va, .memsz = (uint32_t)ms,
        .off = fs > 0 ? (uint32_t)off : 0, .filesz = (uint32_t)fs,
        .flags = ph->p_flags,
    };
    return 0;
}

static void sort_loads(struct elf_load *l, int n)
{
    for (int i = 1; i < n; i++) {
        struct elf_load x = l[i];
        int j = i;
        for (; j > 0 && l[j - 1].vaddr > x.vaddr; j--)
            l[j] = l[j - 1];
        l[j] = x;
    }
}

/* Different segments may not share a page: the page would need two sets
 * of permissions and two sources for its bytes.  loads[] is sorted, so if
 * any pair overlaps then some neighbouring pair does. */
static int check_overlap(const struct elf_load *l, int n,
                         char *err, size_t errlen)
{
    for (int k = 1; k < n; k++) {
        const struct elf_load *a = &l[k - 1], *b = &l[k];
        if (page_up(a->vaddr + a->memsz) > page_down(b->vaddr))
            return fail(err, errlen, "segments %zu and %zu overlap "
                        "(0x%08x-0x%08x and 0x%08x-0x%08x; different "
                        "segments may not share a page)", a->idx, b->idx,
                        a->vaddr, a->vaddr + a->memsz, b->vaddr,
                        b->vaddr + b->memsz);
    }
    return 0;
}

static int check_entry(uint32_t entry, const struct elf_load *l, int n,
                       char *err, size_t errlen)
{
    for (int k = 0; k < n; k++) {
        if (entry < l[k].vaddr || entry - l[k].vaddr >= l[k].memsz)
            continue;
        if (!(l[k].flags & PF_X))
            return fail(err, errlen, "entry point 0x%08x is in segment %zu, "
                        "which is not executable", entry, l[k].idx);
        return 0;
    }
    return fail(err, errlen, "entry point 0x%08x is not inside any loadable "
                "segment", entry);
}

static int add_seg(struct elf_image *img, const char *name, uint32_t start,
                   uint32_t end, uint32_t file_off, uint32_t filesz,
                   unsigned perms, char *err, size_t errlen)
{
    if (img->nseg == ELF_MAX_SEGS)
        return fail(err, errlen, "too many segments (more than %d after "
                    "splitting data from bss)", ELF_MAX_SEGS);
    struct elf_seg *s = &img->seg[img->nseg++];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", name);
    s->start = start;
    s->end = end;
    s->file_off = file_off;
    s->filesz = filesz;
    s->perms = perms;
    return 0;
}

/* Cut the sorted, checked PT_LOADs into named page-granular segments:
 *
 *   X  -> "text"     R only -> "rodata"
 *   W  -> "data" = [page_down(vaddr), page_up(vaddr+filesz))  file-backed
 *         "bss"  = [page_up(vaddr+filesz), page_up(vaddr+memsz)) anonymous
 *
 * A segment's file bytes start at page_down(vaddr) (file_off moves back by
 * the same amount; check_load made that congruent) and end at
 * vaddr+filesz; the rest of the last file page is zero-filled by the
 * kernel, which is exactly the bss that shares a page with data. */
static int build_segs(struct elf_image *img, const struct elf_load *l, int n,
                      char *err, size_t errlen)
{
    for (int k = 0; k < n; k++) {
        const struct elf_load *p = &l[k];
        unsigned perms = (p->flags & PF_R ? SEG_R : 0) |
                         (p->flags & PF_W ? SEG_W : 0) |
                         (p->flags & PF_X ? SEG_X : 0);
        uint32_t start = page_down(p->vaddr);
        uint32_t end = page_up(p->vaddr + p->memsz);
        uint32_t off = 0, fsz = 0;
        const char *name = perms & SEG_X ? "text"
                         : perms & SEG_W ? "data" : "rodata";

        if (p->filesz > 0) {
            off = p->off - (p->vaddr - start);
            fsz = p->vaddr + p->filesz - start;
        }
        if (!(perms & SEG_W)) {
            if (add_seg(img, name, start, end, off, fsz, perms, err, errlen))
                return -1;
            continue;
        }
        if (p->filesz == 0) {
            if (add_seg(img, "bss", start, end, 0, 0, perms, err, errlen))
                return -1;
            continue;
        }
        uint32_t file_end = page_up(p->vaddr + p->filesz);
        if (add_seg(img, name, start, file_end, off, fsz, perms, err, errlen))
            return -1;
        if (file_end < end &&
            add_seg(img, "bss", file_end, end, 0, 0, perms, err, errlen))
            return -1;
    }
    return 0;
}

/* The section that makes a segment "the" text/rodata/data/bss when two
 * segments would get the same name. */
static const struct {
    const char *seg, *sec[2];
} canon[] = {
    { "text",   { ".text",   NULL } },
    { "rodata", { ".rodata", NULL } },
    { "data",   { ".data",   ".sdata" } },
    { "bss",    { ".bss",    ".sbss" } },
};
#define NCANON (sizeof canon / sizeof canon[0])

/* Record in found[]/addr[] where the canonical sections are, if the file
 * has a usable section header table; else leave found[] false. */
static void find_canon(Elf *e, const GElf_Ehdr *eh, bool *found,
                       uint32_t *addr)
{
    size_t shnum, shstrndx;
    Elf_Scn *scn = NULL;

    if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf32_Shdr) ||
        elf_getshdrnum(e, &shnum) != 0 || shnum == 0 ||
        elf_getshdrstrndx(e, &shstrndx) != 0 || shstrndx >= shnum)
        return;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        const char *name;
        if (!gelf_getshdr(scn, &sh) || !(sh.sh_flags & SHF_ALLOC) ||
            sh.sh_size == 0)
            continue;
        name = elf_strptr(e, shstrndx, sh.sh_name);
        if (!name)
            continue;
        for (size_t c = 0; c < NCANON; c++)
            for (int j = 0; j < 2 && canon[c].sec[j]; j++)
                if (!found[c] && strcmp(name, canon[c].sec[j]) == 0) {
                    found[c] = true;
                    addr[c] = (uint32_t)sh.sh_addr;
                }
    }
    elf_errno(); /* a failed lookup above is not the caller's error */
}

/* Make segment names unique.  build_segs only uses the four base names in
 * canon[].  When one repeats, the segment holding its section (.text,
 * .rodata, .data/.sdata, .bss/.sbss) keeps the plain name, or the first in
 * address order if the sections do not tell; the others become "text2",
 * "text3", ... in address order. */
static void name_segs(Elf *e, const GElf_Ehdr *eh, struct elf_image *img)
{
    bool found[NCANON] = { false };
    uint32_t addr[NCANON] = { 0 };
    bool looked = false;

    for (size_t c = 0; c < NCANON; c++) {
        int count = 0, keep = -1, next = 2;

        for (int i = 0; i < img->nseg; i++)
            if (strcmp(img->seg[i].name, canon[c].seg) == 0) {
                count++;
                if (keep < 0)
                    keep = i;
            }
        if (count < 2)
            continue;
        if (!looked) {
            find_canon(e, eh, found, addr);
            looked = true;
        }
        for (int i = 0; found[c] && i < img->nseg; i++)
            if (strcmp(img->seg[i].name, canon[c].seg) == 0 &&
                addr[c] >= img->seg[i].start && addr[c] < img->seg[i].end)
                keep = i;
        for (int i = 0; i < img->nseg; i++)
            if (i != keep && strcmp(img->seg[i].name, canon[c].seg) == 0)
                snprintf(img->seg[i].name, ELF_SEG_NAME, "%s%d",
                         canon[c].seg, next++);
    }
}

/* AT_PHDR: PT_PHDR if present, else the PT_LOAD whose file bytes hold the
 * whole program header table, else 0. */
static uint32_t find_phdr_vaddr(bool have_pt_phdr, uint32_t pt_phdr,
                                const GElf_Ehdr *eh, size_t phnum,
                                const struct elf_load *l, int n)
{
    uint64_t lo = eh->e_phoff, hi = lo + (uint64_t)phnum * sizeof(Elf32_Phdr);

    if (have_pt_phdr)
        return pt_phdr;
    for (int k = 0; k < n; k++)
        if (l[k].filesz > 0 && l[k].off <= lo &&
            hi <= (uint64_t)l[k].off + l[k].filesz)
            return l[k].vaddr + (uint32_t)(lo - l[k].off);
    return 0;
}

/* Validate img->data[0, img->size) and fill the rest of *img.  On failure
 * returns -1 with err set; the caller frees. */
static int elf_parse(struct elf_image *img, char *err, size_t errlen)
{
    const uint8_t *d = img->data;
    size_t size = img->size;
    struct elf_load loads[ELF_MAX_SEGS];
    int nload = 0, rc = -1;
    bool have_pt_phdr = false;
    uint32_t pt_phdr = 0;
    GElf_Ehdr eh;
    size_t phnum, libelf_phnum;
    Elf *e;

    if (check_ident(d, size, err, errlen))
        return -1;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(err, errlen, "libelf: %s", libelf_why());
    elf_errno(); /* clear any stale error */
    /* elf_memory takes a non-const pointer: with native-order (LSB) data,
     * libelf reads the image in place and never writes to it. */
    e = elf_memory((char *)img->data, size);
    if (!e)
        return fail(err, errlen, "libelf cannot read the file: %s",
                    libelf_why());
    if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        fail(err, errlen, "cannot read the ELF header (libelf: %s)",
             libelf_why());
        goto out_end;
    }
    if (check_ehdr(&eh, err, errlen))
        goto out_end;

    /* Program header table: our own bounds check on the raw e_phnum, since
     * libelf quietly shortens a table that runs past the end of the file. */
    if (eh.e_phnum == 0) {
        fail(err, errlen, "no program headers, so nothing to load (not an "
             "executable?)");
        goto out_end;
    }
    if (eh.e_phnum == PN_XNUM) {
        fail(err, errlen, "too many program headers (PN_XNUM); not a "
             "plain executable");
        goto out_end;
    }
    if (eh.e_phentsize != sizeof(Elf32_Phdr)) {
        fail(err, errlen, "corrupt ELF header: program header entry size is "
             "%u, not %zu", eh.e_phentsize, sizeof(Elf32_Phdr));
        goto out_end;
    }
    phnum = eh.e_phnum;
    if (eh.e_phoff > size || (size - eh.e_phoff) / sizeof(Elf32_Phdr) < phnum) {
        fail(err, errlen, "truncated file: the program header table (%zu "
             "entries at offset 0x%llx) runs past the end of the file (%zu "
             "bytes)", phnum, (unsigned long long)eh.e_phoff, size);
        goto out_end;
    }
    if (elf_getphdrnum(e, &libelf_phnum) != 0 || libelf_phnum != phnum) {
        fail(err, errlen, "cannot read the program headers (libelf: %s)",
             libelf_why());
        goto out_end;
    }

    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph)) {
            fail(err, errlen, "cannot read program header %zu (libelf: %s)",
                 i, libelf_why());
            goto out_end;
        }
        if (ph.p_type == PT_INTERP) {
            fail_interp(d, size, &ph, err, errlen);
            goto out_end;
        }
        if (ph.p_type == PT_PHDR && !have_pt_phdr) {
            have_pt_phdr = true;
            pt_phdr = (uint32_t)ph.p_vaddr;
        }
        if (ph.p_type == PT_LOAD &&
            check_load(i, &ph, size, loads, &nload, err, errlen))
            goto out_end;
    }
    if (nload == 0) {
        fail(err, errlen, "no loadable segments (PT_LOAD): nothing to run");
        goto out_end;
    }
    sort_loads(loads, nload);
    if (check_overlap(loads, nload, err, errlen) ||
        check_entry((uint32_t)eh.e_entry, loads, nload, err, errlen) ||
        build_segs(img, loads, nload, err, errlen))
        goto out_end;
    name_segs(e, &eh, img);

    img->entry = (uint32_t)eh.e_entry;
    img->phdr_vaddr = find_phdr_vaddr(have_pt_phdr, pt_phdr, &eh, phnum,
                                      loads, nload);
    img->phnum = (uint32_t)phnum;
    img->phentsize = eh.e_phentsize;
    img->eflags = (uint32_t)eh.e_flags;
    img->end_bss = 0;
    for (int k = 0; k < nload; k++)
        if (loads[k].vaddr + loads[k].memsz > img->end_bss)
            img->end_bss = loads[k].vaddr + loads[k].memsz;
    rc = 0;
out_end:
    elf_end(e);
    return rc;
}

/* Take ownership of data (malloc'd, size bytes) and parse it into *img. */
static int elf_take(uint8_t *data, size_t size, struct elf_image *img,
                    char *err, size_t errlen)
{
    img->data = data;
    img->size = size;
    if (elf_parse(img, err, errlen) != 0) {
        elf_free(img);
        return -1;
    }
    return 0;
}

/* Read PATH whole and validate it (see elf.h).  On entry *img may hold
 * anything; it is overwritten.  On success returns 0, img->data is the
 * file (free with elf_free).  On failure returns -1, *img is zeroed and
 * err holds one line without the path (the caller adds it).  Refuses
 * directories, non-regular files, empty files and files over 256 MiB. */
int elf_load(const char *path, struct elf_image *img, char *err, size_t errlen)
{
    uint8_t *buf;
    size_t size;

    memset(img, 0, sizeof *img);
    if (err && errlen > 0)
        err[0] = '\0';
    if (file_read_path(path, ELF_FILE_MAX, "a program", &buf, &size, err, errlen))
        return -1;
    if (size == 0)
        return fail(err, errlen, "empty file (0 bytes); not a program");
    return elf_take(buf, size, img, err, errlen);
}

/* Same as elf_load, from size bytes at buf (copied; buf is not kept).
 * Returns 0, or -1 with *img zeroed and err set. */
int elf_load_mem(const void *buf, size_t size, struct elf_image *img,
                 char *err, size_t errlen)
{
    uint8_t *copy;

    memset(img, 0, sizeof *img);
    if (err && errlen > 0)
        err[0] = '\0';
    if (size == 0)
        return fail(err, errlen, "empty file (0 bytes); not a program");
    if (!buf)
        return fail(err, errlen, "no data (NULL buffer)");
    if (size > ELF_FILE_MAX)
        return fail(err, errlen, "file too large (%zu MiB; vmlab loads "
                    "programs of up to %zu MiB)", size >> 20,
                    ELF_FILE_MAX >> 20);
    copy = malloc(size);
    if (!copy)
        return fail(err, errlen, "out of memory (%zu bytes)", size);
    memcpy(copy, buf, size);
    return elf_take(copy, size, img, err, errlen);
}

/* Free img->data and zero *img.  Safe on a zeroed or already freed image. */
void elf_free(struct elf_image *img)
{
    if (!img)
        return;
    free(img->data);
    memset(img, 0, sizeof *img);
}

/* A symbol elf_symbol may answer with.  Section symbols, file symbols,
 * undefined ones and assembler mapping symbols ("$x...", "$d") are not. */
static bool sym_usable(const GElf_Sym *s, const char *name)
{
    int type = GELF_ST_TYPE(s->st_info);

    if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
        return false;
    if (s->st_shndx == SHN_UNDEF || !name || !name[0] || name[0] == '$' ||
        strncmp(name, ".L", 2) == 0)
        return false;
    return true;
}

/* Is s better than best (both contain the address)?  Prefer the innermost
 * (highest start), then functions, then global over local. */
static bool sym_better(const GElf_Sym *s, const GElf_Sym *best)
{
    bool sf = GELF_ST_TYPE(s->st_info) == STT_FUNC;
    bool bf = GELF_ST_TYPE(best->st_info) == STT_FUNC;
    bool sg = GELF_ST_BIND(s->st_info) != STB_LOCAL;
    bool bg = GELF_ST_BIND(best->st_info) != STB_LOCAL;

    if (s->st_value != best->st_value)
        return s->st_value > best->st_value;
    if (sf != bf)
        return sf;
    return sg && !bg;
}

/* Does section shndx hold code and contain addr? */
static bool in_code_section(Elf *e, size_t shndx, uint32_t addr)
{
    GElf_Shdr sh;
    Elf_Scn *scn;

    if (shndx == SHN_UNDEF || shndx >= SHN_LORESERVE)
        return false;
    scn = elf_getscn(e, shndx);
    if (!scn || !gelf_getshdr(scn, &sh))
        return false;
    return (sh.sh_flags & SHF_EXECINSTR) && addr >= sh.sh_addr &&
           addr - sh.sh_addr < sh.sh_size;
}

/* Find the name for addr (see elf_symbol); it points into img->data. */
static const char *lookup(Elf *e, const struct elf_image *img, uint32_t addr,
                          uint32_t *off)
{
    const char *lo = (const char *)img->data, *hi = lo + img->size;
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;

    while ((scn = elf_nextscn(e, scn)) != NULL)
        if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
            break;
    if (!scn)
        return NULL;
    Elf_Data *data = elf_getdata(scn, NULL);
    size_t symsz = gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT);
    if (!data || symsz == 0)
        return NULL;

    GElf_Sym best = { 0 }, zero = { 0 };
    const char *best_name = NULL, *zero_name = NULL;
    uint64_t fence = 0; /* end of the last sized function before addr */
    size_t n = data->d_size / symsz;

    for (size_t i = 1; i < n; i++) {
        GElf_Sym s;
        const char *name;
        if (!gelf_getsym(data, (int)i, &s))
            break;
        name = elf_strptr(e, sh.sh_link, s.st_name);
        if (!sym_usable(&s, name))
            continue;
        /* The name must lie in our buffer, which outlives the Elf handle. */
        if (name < lo || name >= hi || !memchr(name, '\0', (size_t)(hi - name)))
            continue;
        if (s.st_size > 0) {
            uint64_t end = s.st_value + s.st_size;
            if (addr >= s.st_value && addr < end) {
                if (!best_name || sym_better(&s, &best)) {
                    best = s;
                    best_name = name;
                }
            } else if (GELF_ST_TYPE(s.st_info) == STT_FUNC &&
                       end <= addr && end > fence) {
                fence = end;
            }
            continue;
        }
        /* Size 0: a code label (e.g. _start in assembly) in addr's section. */
        if (s.st_value > addr)
            continue;
        if (GELF_ST_TYPE(s.st_info) == STT_OBJECT)
            continue;
        if (zero_name && (s.st_value < zero.st_value ||
                          (s.st_value == zero.st_value &&
                           !sym_better(&s, &zero))))
            continue;
        if (!in_code_section(e, s.st_shndx, addr))
            continue;
        zero = s;
        zero_name = name;
    }
    if (best_name) {
        if (off)
            *off = addr - (uint32_t)best.st_value;
        return best_name;
    }
    if (zero_name && zero.st_value >= fence) {
        if (off)
            *off = addr - (uint32_t)zero.st_value;
        return zero_name;
    }
    return NULL;
}

/* Name the symbol containing addr, for traces and the inspector.  Looks in
 * .symtab: a FUNC/OBJECT/NOTYPE symbol whose [value, value+size) holds addr
 * (the innermost; functions win ties), else the nearest size-0 code label
 * at or below addr in the same code section, unless a sized function ends
 * between the two.  Returns a NUL-terminated name inside img->data (valid
 * until elf_free) and sets *off (if off is not NULL) to addr - value; or
 * NULL when the file has no symbol table or nothing matches.  Reads the
 * symbol table again on each call: fine for traces, not for hot paths. */
int elf_symbol_range(const struct elf_image *img, const char *name, uint32_t *start, uint32_t *size)
{
    if (!img || !img->data || img->size < sizeof(Elf32_Ehdr) ||
        elf_version(EV_CURRENT) == EV_NONE)
        return -ENOENT;
    Elf *e = elf_memory((char *)img->data, img->size);
    if (!e)
        return -ENOENT;
    int rc = -ENOENT;
    Elf_Scn *scn = NULL;
    GElf_Shdr sh;
    while ((scn = elf_nextscn(e, scn)) != NULL)
        if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
            break;
    Elf_Data *data = scn ? elf_getdata(scn, NULL) : NULL;
    size_t symsz = gelf_fsize(e, ELF_T_SYM, 1, EV_CURRENT);
    size_t n = data && symsz ? data->d_size / symsz : 0;
    for (size_t i = 1; i < n && rc; i++) {
        GElf_Sym s;
        if (!gelf_getsym(data, (int)i, &s))
            break;
        const char *nm = elf_strptr(e, sh.sh_link, s.st_name);
        if (s.st_size > 0 && sym_usable(&s, nm) && !strcmp(nm, name) &&
            s.st_value + s.st_size <= UINT32_MAX) {
            *start = (uint32_t)s.st_value;
            *size = (uint32_t)s.st_size;
            rc = 0;
        }
    }
    elf_end(e);
    elf_errno();
    return rc;
}

const char *elf_symbol(const struct elf_image *img, uint32_t addr, uint32_t *off)
{
    const char *name;
    Elf *e;

    if (!img || !img->data || img->size < sizeof(Elf32_Ehdr) ||
        elf_version(EV_CURRENT) == EV_NONE)
        return NULL;
    /* See elf_parse: libelf only reads the (validated, LSB) image. */
    e = elf_memory((char *)img->data, img->size);
    if (!e)
        return NULL;
    name = elf_kind(e) == ELF_K_ELF ? lookup(e, img, addr, off) : NULL;
    elf_end(e);
    elf_errno(); /* do not leave a lookup failure behind for others */
    return name;
}
