/* tests/test_elf.c — CUnit suite for kernel/elf.c.
 *
 * Each test builds a small RV32 ET_EXEC in memory with the generator below
 * (chosen program headers, optional sections and symbols), then checks
 * either the segments elf_load_mem derives from it or, for a deliberately
 * broken variant, that it is refused with a recognisable message.  The
 * sweep tests truncate and corrupt images byte by byte: under ASan they
 * prove the loader never reads outside its buffer.
 */
#include "kernel/elf.h"

#include <CUnit/CUnit.h>
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void elf_suite_add(void);

/* ------------------------------------------------------------------------
 * The generator: a description of an ELF file, and tb_build() to lay it out.
 *
 *   0            ELF header (52 bytes)
 *   52           program headers (32 bytes each)
 *   ...          zeros up to content_size (the "segment bytes")
 *   content_size .strtab, .symtab, .shstrtab, then the section headers
 *                (only if the description has sections or symbols)
 */

#define TB_MAX_PH   20
#define TB_MAX_SEC  8
#define TB_MAX_SYM  16
#define TB_CAP      0x10000

struct tb_sec {
    const char *name;
    uint32_t type, flags, addr, off, size;
};

struct tb_sym {
    const char *name;
    uint32_t value, size;
    unsigned type, bind;
    unsigned shndx;             /* 1-based index into tb.sec[], or SHN_* */
};

struct tb {
    Elf32_Ehdr eh;
    Elf32_Phdr ph[TB_MAX_PH];
    int nph;
    struct tb_sec sec[TB_MAX_SEC];
    int nsec;
    struct tb_sym sym[TB_MAX_SYM];
    int nsym;
    uint32_t content_size;
};

static void tb_ph(struct tb *t, uint32_t type, uint32_t flags, uint32_t off,
                  uint32_t vaddr, uint32_t filesz, uint32_t memsz)
{
    Elf32_Phdr *p = &t->ph[t->nph++];
    memset(p, 0, sizeof *p);
    p->p_type = type;
    p->p_flags = flags;
    p->p_offset = off;
    p->p_vaddr = p->p_paddr = vaddr;
    p->p_filesz = filesz;
    p->p_memsz = memsz;
    p->p_align = type == PT_LOAD ? 0x1000 : 4;
}

static void tb_sec(struct tb *t, const char *name, uint32_t type,
                   uint32_t flags, uint32_t addr, uint32_t off, uint32_t size)
{
    t->sec[t->nsec++] = (struct tb_sec){ name, type, flags, addr, off, size };
}

static void tb_sym(struct tb *t, const char *name, uint32_t value,
                   uint32_t size, unsigned type, unsigned bind, unsigned shndx)
{
    t->sym[t->nsym++] = (struct tb_sym){ name, value, size, type, bind, shndx };
}

/* An empty RV32 ET_EXEC header (no program headers yet). */
static void tb_init(struct tb *t)
{
    memset(t, 0, sizeof *t);
    memcpy(t->eh.e_ident, ELFMAG, SELFMAG);
    t->eh.e_ident[EI_CLASS] = ELFCLASS32;
    t->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    t->eh.e_ident[EI_VERSION] = EV_CURRENT;
    t->eh.e_type = ET_EXEC;
    t->eh.e_machine = EM_RISCV;
    t->eh.e_version = EV_CURRENT;
    t->eh.e_entry = 0x100b4;
    t->eh.e_phoff = sizeof(Elf32_Ehdr);
    t->eh.e_flags = EF_RISCV_RVC;
    t->eh.e_ehsize = sizeof(Elf32_Ehdr);
    t->eh.e_phentsize = sizeof(Elf32_Phdr);
    t->eh.e_shentsize = sizeof(Elf32_Shdr);
    t->content_size = 0x2300;
}

/* The standard good image:
 *   0: LOAD r-x off 0x0000 va 0x10000 filesz 0x1234 memsz 0x1234
 *   1: LOAD r-- off 0x2000 va 0x12000 filesz 0x0100 memsz 0x0100
 *   2: LOAD rw- off 0x2100 va 0x13100 filesz 0x0200 memsz 0x3000
 *   3: GNU_STACK rw- */
static void tb_std(struct tb *t)
{
    tb_init(t);
    tb_ph(t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1234, 0x1234);
    tb_ph(t, PT_LOAD, PF_R,        0x2000, 0x12000, 0x0100, 0x0100);
    tb_ph(t, PT_LOAD, PF_R | PF_W, 0x2100, 0x13100, 0x0200, 0x3000);
    tb_ph(t, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
}

static uint32_t tb_add_str(uint8_t *buf, uint32_t base, uint32_t *len,
                           const char *s)
{
    uint32_t at = *len;
    size_t n = strlen(s) + 1;
    memcpy(buf + base + at, s, n);
    *len += (uint32_t)n;
    return at;
}

/* Lay out t into buf (TB_CAP bytes); returns the file size. */
static size_t tb_build(const struct tb *t, uint8_t *buf)
{
    Elf32_Ehdr eh = t->eh;
    size_t size = t->content_size;

    memset(buf, 0, TB_CAP);
    for (uint32_t i = 0; i < t->content_size; i++)
        if (i >= 0x400)
            buf[i] = (uint8_t)(i * 7 + 1); /* recognisable segment bytes */
    eh.e_phnum = (Elf32_Half)t->nph;
    if (t->nsec > 0 || t->nsym > 0) {
        Elf32_Shdr sh[TB_MAX_SEC + 4];
        uint32_t strtab = (uint32_t)((size + 3) & ~(size_t)3), strlen_ = 0;
        uint32_t symtab, shstr, shstrlen = 0;
        int n = 0, symidx, stridx, shstridx;

        memset(sh, 0, sizeof sh);
        tb_add_str(buf, strtab, &strlen_, "");
        uint32_t names[TB_MAX_SYM];
        for (int i = 0; i < t->nsym; i++)
            names[i] = tb_add_str(buf, strtab, &strlen_, t->sym[i].name);
        symtab = (strtab + strlen_ + 3) & ~3u;
        memset(buf + symtab, 0, sizeof(Elf32_Sym)); /* symbol 0 */
        for (int i = 0; i < t->nsym; i++) {
            Elf32_Sym s = { 0 };
            s.st_name = names[i];
            s.st_value = t->sym[i].value;
            s.st_size = t->sym[i].size;
            s.st_info = (unsigned char)ELF32_ST_INFO(t->sym[i].bind,
                                                     t->sym[i].type);
            s.st_shndx = (Elf32_Half)t->sym[i].shndx;
            memcpy(buf + symtab + (i + 1) * sizeof s, &s, sizeof s);
        }
        shstr = symtab + (uint32_t)((t->nsym + 1) * sizeof(Elf32_Sym));
        tb_add_str(buf, shstr, &shstrlen, "");
        n = 1; /* section 0 is SHT_NULL */
        for (int i = 0; i < t->nsec; i++, n++) {
            sh[n].sh_name = tb_add_str(buf, shstr, &shstrlen, t->sec[i].name);
            sh[n].sh_type = t->sec[i].type;
            sh[n].sh_flags = t->sec[i].flags;
            sh[n].sh_addr = t->sec[i].addr;
            sh[n].sh_offset = t->sec[i].off;
            sh[n].sh_size = t->sec[i].size;
            sh[n].sh_addralign = 4;
        }
        symidx = n++;
        stridx = n++;
        shstridx = n++;
        sh[symidx].sh_name = tb_add_str(buf, shstr, &shstrlen, ".symtab");
        sh[symidx].sh_type = SHT_SYMTAB;
        sh[symidx].sh_offset = symtab;
        sh[symidx].sh_size = (uint32_t)((t->nsym + 1) * sizeof(Elf32_Sym));
        sh[symidx].sh_link = (uint32_t)stridx;
        sh[symidx].sh_info = 1;
        sh[symidx].sh_entsize = sizeof(Elf32_Sym);
        sh[symidx].sh_addralign = 4;
        sh[stridx].sh_name = tb_add_str(buf, shstr, &shstrlen, ".strtab");
        sh[stridx].sh_type = SHT_STRTAB;
        sh[stridx].sh_offset = strtab;
        sh[stridx].sh_size = strlen_;
        sh[stridx].sh_addralign = 1;
        sh[shstridx].sh_name = tb_add_str(buf, shstr, &shstrlen, ".shstrtab");
        sh[shstridx].sh_type = SHT_STRTAB;
        sh[shstridx].sh_offset = shstr;
        sh[shstridx].sh_size = shstrlen;
        sh[shstridx].sh_addralign = 1;
        eh.e_shoff = (shstr + shstrlen + 3) & ~3u;
        eh.e_shnum = (Elf32_Half)n;
        eh.e_shstrndx = (Elf32_Half)shstridx;
        memcpy(buf + eh.e_shoff, sh, (size_t)n * sizeof(Elf32_Shdr));
        size = eh.e_shoff + (size_t)n * sizeof(Elf32_Shdr);
    }
    memcpy(buf, &eh, sizeof eh);
    for (int i = 0; i < t->nph; i++) {
        size_t at = t->eh.e_phoff + (size_t)i * sizeof(Elf32_Phdr);
        if (at + sizeof(Elf32_Phdr) <= TB_CAP)
            memcpy(buf + at, &t->ph[i], sizeof(Elf32_Phdr));
    }
    return size;
}

/* ------------------------------------------------------------------------
 * Helpers */

static uint8_t g_buf[TB_CAP];

/* Build t and load it; returns elf_load_mem's result. */
static int tb_load(const struct tb *t, struct elf_image *img, char *err,
                   size_t errlen)
{
    size_t n = tb_build(t, g_buf);
    return elf_load_mem(g_buf, n, img, err, errlen);
}

static const struct elf_seg *find_seg(const struct elf_image *img,
                                      const char *name)
{
    for (int i = 0; i < img->nseg; i++)
        if (strcmp(img->seg[i].name, name) == 0)
            return &img->seg[i];
    return NULL;
}

static void check_seg(const struct elf_image *img, int i, const char *name,
                      uint32_t start, uint32_t end, uint32_t off,
                      uint32_t filesz, unsigned perms)
{
    CU_ASSERT_FATAL(i < img->nseg);
    const struct elf_seg *s = &img->seg[i];
    CU_ASSERT_STRING_EQUAL(s->name, name);
    CU_ASSERT_EQUAL(s->start, start);
    CU_ASSERT_EQUAL(s->end, end);
    CU_ASSERT_EQUAL(s->file_off, off);
    CU_ASSERT_EQUAL(s->filesz, filesz);
    CU_ASSERT_EQUAL(s->perms, perms);
}

/* Invariants of any successfully loaded image. */
static void check_invariants(const struct elf_image *img)
{
    CU_ASSERT(img->nseg >= 1 && img->nseg <= ELF_MAX_SEGS);
    for (int i = 0; i < img->nseg; i++) {
        const struct elf_seg *s = &img->seg[i];
        CU_ASSERT(s->name[0] != '\0');
        CU_ASSERT(memchr(s->name, '\0', ELF_SEG_NAME) != NULL);
        CU_ASSERT(s->start % 4096 == 0 && s->end % 4096 == 0);
        CU_ASSERT(s->start < s->end);
        CU_ASSERT(s->start >= 0x1000 && s->end <= 0x3ffff000u);
        CU_ASSERT(s->filesz <= s->end - s->start);
        CU_ASSERT((uint64_t)s->file_off + s->filesz <= img->size);
        if (i > 0)
            CU_ASSERT(img->seg[i - 1].end <= s->start);
        for (int j = 0; j < i; j++)
            CU_ASSERT(strcmp(img->seg[j].name, s->name) != 0);
    }
    CU_ASSERT(img->end_bss <= img->seg[img->nseg - 1].end);
}

/* Load t, expect failure with a message containing word. */
static void expect_fail(const struct tb *t, const char *word)
{
    struct elf_image img;
    char err[256];

    memset(&img, 0xa5, sizeof img);
    CU_ASSERT_EQUAL(tb_load(t, &img, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, word));
    if (!strstr(err, word))
        fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", word, err);
    CU_ASSERT(strchr(err, '\n') == NULL);
    CU_ASSERT_PTR_NULL(img.data);     /* zeroed on failure */
    CU_ASSERT_EQUAL(img.nseg, 0);
    elf_free(&img);
}

/* Same, from raw bytes. */
static void expect_fail_mem(const void *buf, size_t n, const char *word)
{
    struct elf_image img;
    char err[256];

    CU_ASSERT_EQUAL(elf_load_mem(buf, n, &img, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, word));
    if (!strstr(err, word))
        fprintf(stderr, "\n  expected \"%s\" in \"%s\"\n", word, err);
    CU_ASSERT_PTR_NULL(img.data);
}

/* ------------------------------------------------------------------------
 * Good images */

static void test_good_layout(void)
{
    struct tb t;
    struct elf_image img;
    char err[256] = "";

    tb_std(&t);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 4);
    check_seg(&img, 0, "text",   0x10000, 0x12000, 0x0000, 0x1234, SEG_R | SEG_X);
    check_seg(&img, 1, "rodata", 0x12000, 0x13000, 0x2000, 0x0100, SEG_R);
    /* data's first page starts 0x100 before p_vaddr: file_off moves back
     * by as much, and filesz counts from the page start. */
    check_seg(&img, 2, "data",   0x13000, 0x14000, 0x2000, 0x0300, SEG_R | SEG_W);
    check_seg(&img, 3, "bss",    0x14000, 0x17000, 0,      0,      SEG_R | SEG_W);
    CU_ASSERT_EQUAL(img.entry, 0x100b4);
    CU_ASSERT_EQUAL(img.phdr_vaddr, 0x10034);   /* 0x10000 + e_phoff 52 */
    CU_ASSERT_EQUAL(img.phnum, 4);
    CU_ASSERT_EQUAL(img.phentsize, 32);
    CU_ASSERT_EQUAL(img.eflags, EF_RISCV_RVC);
    CU_ASSERT_EQUAL(img.end_bss, 0x16100);
    CU_ASSERT_EQUAL(img.size, 0x2300);
    CU_ASSERT_PTR_NOT_NULL(img.data);
    CU_ASSERT(memcmp(img.data, g_buf, img.size) == 0);
    check_invariants(&img);
    elf_free(&img);
    CU_ASSERT_PTR_NULL(img.data);
}

static void test_good_unsorted_phdrs(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    tb_init(&t);
    tb_ph(&t, PT_LOAD, PF_R | PF_W, 0x2100, 0x13100, 0x0200, 0x0200);
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1234, 0x1234);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 2);
    check_seg(&img, 0, "text", 0x10000, 0x12000, 0, 0x1234, SEG_R | SEG_X);
    check_seg(&img, 1, "data", 0x13000, 0x14000, 0x2000, 0x300, SEG_R | SEG_W);
    CU_ASSERT_EQUAL(img.end_bss, 0x13300);
    elf_free(&img);
}

static void test_good_pt_phdr(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    tb_std(&t);
    tb_ph(&t, PT_PHDR, PF_R, 52, 0x10040, 5 * 32, 5 * 32);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.phdr_vaddr, 0x10040);   /* PT_PHDR wins */
    CU_ASSERT_EQUAL(img.phnum, 5);
    elf_free(&img);
}

static void test_good_phdr_not_mapped(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    tb_init(&t);
    t.eh.e_entry = 0x11010;
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x1000, 0x11000, 0x800, 0x800);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.phdr_vaddr, 0);
    check_seg(&img, 0, "text", 0x11000, 0x12000, 0x1000, 0x800, SEG_R | SEG_X);
    elf_free(&img);

    /* Headers in a later PT_LOAD's file bytes: found by offset. */
    tb_init(&t);
    t.eh.e_phoff = 0x2010;
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1234, 0x1234);
    tb_ph(&t, PT_LOAD, PF_R,        0x2000, 0x12000, 0x0100, 0x0100);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.phdr_vaddr, 0x12010);
    elf_free(&img);
}

static void test_good_bss_only_load(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    tb_init(&t);
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1234, 0x1234);
    tb_ph(&t, PT_LOAD, PF_R | PF_W, 0x9999, 0x20010, 0, 0x5000);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 2);
    check_seg(&img, 1, "bss", 0x20000, 0x26000, 0, 0, SEG_R | SEG_W);
    CU_ASSERT_EQUAL(img.end_bss, 0x25010);
    check_invariants(&img);
    elf_free(&img);
}

static void test_good_bss_in_data_page(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    /* memsz ends in the same page as filesz: no separate bss segment; the
     * page's bytes after p_vaddr+p_filesz are zero because filesz stops
     * there. */
    tb_init(&t);
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1234, 0x1234);
    tb_ph(&t, PT_LOAD, PF_R | PF_W, 0x2100, 0x13100, 0x0200, 0x0e00);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 2);
    check_seg(&img, 1, "data", 0x13000, 0x14000, 0x2000, 0x300, SEG_R | SEG_W);
    CU_ASSERT_PTR_NULL(find_seg(&img, "bss"));
    CU_ASSERT_EQUAL(img.end_bss, 0x13f00);
    elf_free(&img);

    /* data filling whole pages, then bss */
    tb_init(&t);
    t.content_size = 0x3000;
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1234, 0x1234);
    tb_ph(&t, PT_LOAD, PF_R | PF_W, 0x2000, 0x13000, 0x1000, 0x1001);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 3);
    check_seg(&img, 1, "data", 0x13000, 0x14000, 0x2000, 0x1000, SEG_R | SEG_W);
    check_seg(&img, 2, "bss",  0x14000, 0x15000, 0, 0, SEG_R | SEG_W);
    elf_free(&img);
}

static void test_good_two_text_numbered(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    tb_init(&t);
    t.content_size = 0x4000;
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1000, 0x1000);
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x1000, 0x21000, 0x1000, 0x1000);
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x2000, 0x32000, 0x1000, 0x1000);
    tb_ph(&t, PT_LOAD, PF_R | PF_W, 0x3000, 0x43000, 0x0100, 0x0100);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 4);
    CU_ASSERT_STRING_EQUAL(img.seg[0].name, "text");
    CU_ASSERT_STRING_EQUAL(img.seg[1].name, "text2");
    CU_ASSERT_STRING_EQUAL(img.seg[2].name, "text3");
    CU_ASSERT_STRING_EQUAL(img.seg[3].name, "data");
    check_invariants(&img);
    elf_free(&img);
}

/* -z separate-code style: headers in an R-only segment, code, then
 * .rodata and .eh_frame in a second R-only segment.  The one holding
 * .rodata is "rodata"; the header segment is "rodata2". */
static void test_good_sections_refine_names(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    tb_init(&t);
    t.content_size = 0x3400;
    t.eh.e_entry = 0x11000;
    tb_ph(&t, PT_LOAD, PF_R,        0x0000, 0x10000, 0x0200, 0x0200);
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x1000, 0x11000, 0x0800, 0x0800);
    tb_ph(&t, PT_LOAD, PF_R,        0x2000, 0x12000, 0x0400, 0x0400);
    tb_ph(&t, PT_LOAD, PF_R | PF_W, 0x3000, 0x13000, 0x0400, 0x2000);
    tb_sec(&t, ".note.gnu.build-id", SHT_NOTE, SHF_ALLOC, 0x100d4, 0xd4, 0x24);
    tb_sec(&t, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
           0x11000, 0x1000, 0x800);
    tb_sec(&t, ".rodata", SHT_PROGBITS, SHF_ALLOC, 0x12000, 0x2000, 0x300);
    tb_sec(&t, ".eh_frame", SHT_PROGBITS, SHF_ALLOC, 0x12300, 0x2300, 0x100);
    tb_sec(&t, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
           0x13000, 0x3000, 0x400);
    tb_sec(&t, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
           0x13400, 0x3400, 0x1c00);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 5);
    CU_ASSERT_STRING_EQUAL(img.seg[0].name, "rodata2");
    CU_ASSERT_STRING_EQUAL(img.seg[1].name, "text");
    CU_ASSERT_STRING_EQUAL(img.seg[2].name, "rodata");
    CU_ASSERT_STRING_EQUAL(img.seg[3].name, "data");
    CU_ASSERT_STRING_EQUAL(img.seg[4].name, "bss");
    check_invariants(&img);
    elf_free(&img);

    /* Without sections the first in address order keeps the plain name. */
    t.nsec = 0;
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(img.seg[0].name, "rodata");
    CU_ASSERT_STRING_EQUAL(img.seg[2].name, "rodata2");
    elf_free(&img);
}

static void test_good_eh_frame_only_is_rodata(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    tb_init(&t);
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0x0000, 0x10000, 0x1234, 0x1234);
    tb_ph(&t, PT_LOAD, PF_R,        0x2000, 0x12000, 0x0100, 0x0100);
    tb_sec(&t, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
           0x10054, 0x54, 0x11e0);
    tb_sec(&t, ".eh_frame", SHT_PROGBITS, SHF_ALLOC, 0x12000, 0x2000, 0x100);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 2);
    CU_ASSERT_STRING_EQUAL(img.seg[1].name, "rodata");
    elf_free(&img);
}

static void test_good_rwx_and_empty_load(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];

    /* ld -N: one RWX segment with a bss tail, plus an empty PT_LOAD that
     * maps nothing and is ignored. */
    tb_init(&t);
    tb_ph(&t, PT_LOAD, PF_R | PF_W | PF_X, 0x0000, 0x10000, 0x2300, 0x4000);
    tb_ph(&t, PT_LOAD, PF_R, 0, 0x10000, 0, 0);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.nseg, 2);
    check_seg(&img, 0, "text", 0x10000, 0x13000, 0, 0x2300,
              SEG_R | SEG_W | SEG_X);
    check_seg(&img, 1, "bss",  0x13000, 0x14000, 0, 0, SEG_R | SEG_W | SEG_X);
    CU_ASSERT_EQUAL(img.end_bss, 0x14000);
    elf_free(&img);
}

static void test_good_load_mem_copies(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];
    static uint8_t src[TB_CAP];
    size_t n;

    tb_std(&t);
    n = tb_build(&t, src);
    CU_ASSERT_EQUAL_FATAL(elf_load_mem(src, n, &img, err, sizeof err), 0);
    CU_ASSERT(img.data != src);
    memset(src, 0, n);
    CU_ASSERT(memcmp(img.data, ELFMAG, SELFMAG) == 0);
    CU_ASSERT_EQUAL(img.size, n);
    elf_free(&img);
}

/* Write buf to a fresh temporary file; returns its path in path. */
static bool write_temp(char *path, size_t pathlen, const void *buf, size_t n)
{
    int fd;

    snprintf(path, pathlen, "/tmp/vmlab-test-elf-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return false;
    if (n > 0 && write(fd, buf, n) != (ssize_t)n) {
        close(fd);
        unlink(path);
        return false;
    }
    close(fd);
    return true;
}

static void test_good_from_file(void)
{
    struct tb t;
    struct elf_image img;
    char err[256], path[64];
    size_t n;

    tb_std(&t);
    n = tb_build(&t, g_buf);
    CU_ASSERT_FATAL(write_temp(path, sizeof path, g_buf, n));
    CU_ASSERT_EQUAL(elf_load(path, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(img.size, n);
    CU_ASSERT_EQUAL(img.nseg, 4);
    CU_ASSERT_PTR_NOT_NULL(find_seg(&img, "bss"));
    CU_ASSERT(img.data && memcmp(img.data, g_buf, n) == 0);
    elf_free(&img);
    unlink(path);
}

/* ------------------------------------------------------------------------
 * Symbols */

/* The standard image plus .text/.rodata/.data/.bss sections and symbols. */
static void tb_with_symbols(struct tb *t)
{
    tb_std(t);
    tb_sec(t, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
           0x10054, 0x54, 0x11e0);                              /* 1 */
    tb_sec(t, ".rodata", SHT_PROGBITS, SHF_ALLOC, 0x12000, 0x2000, 0x100);
    tb_sec(t, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
           0x13100, 0x2100, 0x200);                             /* 3 */
    tb_sec(t, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
           0x13300, 0x2300, 0x2e00);                            /* 4 */
    tb_sym(t, "$xrv32i2p1_m2p0", 0x10054, 0, STT_NOTYPE, STB_LOCAL, 1);
    tb_sym(t, "_start", 0x10054, 0, STT_NOTYPE, STB_GLOBAL, 1);
    tb_sym(t, "main", 0x100b4, 0x40, STT_FUNC, STB_GLOBAL, 1);
    tb_sym(t, "helper", 0x10100, 0x20, STT_FUNC, STB_LOCAL, 1);
    tb_sym(t, "asm_label", 0x10200, 0, STT_NOTYPE, STB_GLOBAL, 1);
    tb_sym(t, "counter", 0x13104, 4, STT_OBJECT, STB_GLOBAL, 3);
    tb_sym(t, "table", 0x13400, 0x100, STT_OBJECT, STB_GLOBAL, 4);
    tb_sym(t, "rv.c", 0, 0, STT_FILE, STB_LOCAL, SHN_ABS);
    tb_sym(t, "__global_pointer$", 0x13900, 0, STT_NOTYPE, STB_GLOBAL,
           SHN_ABS);
    tb_sym(t, "puts", 0, 0, STT_FUNC, STB_GLOBAL, SHN_UNDEF);
}

static void test_symbols(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];
    uint32_t off = 12345;
    const char *n;

    tb_with_symbols(&t);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);

    n = elf_symbol(&img, 0x100b4, &off);
    CU_ASSERT(n && strcmp(n, "main") == 0);
    CU_ASSERT_EQUAL(off, 0);
    n = elf_symbol(&img, 0x100f3, &off);
    CU_ASSERT(n && strcmp(n, "main") == 0);
    CU_ASSERT_EQUAL(off, 0x3f);
    n = elf_symbol(&img, 0x10110, &off);
    CU_ASSERT(n && strcmp(n, "helper") == 0);
    CU_ASSERT_EQUAL(off, 0x10);
    /* size-0 label: nearest preceding one in the same code section, and
     * never a "$x" mapping symbol */
    n = elf_symbol(&img, 0x10060, &off);
    CU_ASSERT(n && strcmp(n, "_start") == 0);
    CU_ASSERT_EQUAL(off, 0xc);
    n = elf_symbol(&img, 0x10210, &off);
    CU_ASSERT(n && strcmp(n, "asm_label") == 0);
    CU_ASSERT_EQUAL(off, 0x10);
    /* after helper ends, nothing we can name: not "_start+..." */
    CU_ASSERT_PTR_NULL(elf_symbol(&img, 0x10130, &off));
    /* data objects */
    n = elf_symbol(&img, 0x13106, &off);
    CU_ASSERT(n && strcmp(n, "counter") == 0);
    CU_ASSERT_EQUAL(off, 2);
    n = elf_symbol(&img, 0x134ff, NULL);
    CU_ASSERT(n && strcmp(n, "table") == 0);
    CU_ASSERT_PTR_NULL(elf_symbol(&img, 0x13500, NULL));
    CU_ASSERT_PTR_NULL(elf_symbol(&img, 0x13900, NULL)); /* size-0 ABS */
    CU_ASSERT_PTR_NULL(elf_symbol(&img, 0, NULL));
    CU_ASSERT_PTR_NULL(elf_symbol(&img, 0xffffffffu, NULL));
    /* the name lives in the image */
    n = elf_symbol(&img, 0x100b4, NULL);
    CU_ASSERT(n >= (const char *)img.data &&
              n < (const char *)img.data + img.size);
    elf_free(&img);
}

static void test_symbols_none(void)
{
    struct tb t;
    struct elf_image img;
    char err[256];
    uint32_t off = 7;

    tb_std(&t);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    CU_ASSERT_PTR_NULL(elf_symbol(&img, 0x100b4, &off));
    elf_free(&img);

    memset(&img, 0, sizeof img);
    CU_ASSERT_PTR_NULL(elf_symbol(&img, 0x100b4, &off));
    CU_ASSERT_PTR_NULL(elf_symbol(NULL, 0x100b4, &off));
}

static void test_free_zeroed(void)
{
    struct elf_image img;
    struct tb t;
    char err[256];

    memset(&img, 0, sizeof img);
    elf_free(&img);
    elf_free(&img);
    elf_free(NULL);
    tb_std(&t);
    CU_ASSERT_EQUAL_FATAL(tb_load(&t, &img, err, sizeof err), 0);
    elf_free(&img);
    elf_free(&img); /* zeroed by the first call */
    CU_ASSERT_PTR_NULL(img.data);
}

/* ------------------------------------------------------------------------
 * Broken images: each is refused with a recognisable word. */

static void test_bad_magic(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_ident[EI_MAG1] = 'X';
    expect_fail(&t, "magic");
    expect_fail_mem("#!/bin/sh\necho hi\n", 18, "script");
    expect_fail_mem("\x7f" "EL", 3, "magic");
}

/* A version other than 1 in e_ident or e_version: named as such, not
 * "libelf: no error" (libelf refuses it without an error of its own). */
static void test_bad_version(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_ident[EI_VERSION] = 2;
    expect_fail(&t, "unknown ELF version (EI_VERSION 2, e_version 1");
    t.eh.e_ident[EI_VERSION] = 0;
    expect_fail(&t, "EI_VERSION 0");
    tb_std(&t);
    t.eh.e_version = 7;
    expect_fail(&t, "e_version 7");
}

static void test_bad_class64(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_ident[EI_CLASS] = ELFCLASS64;
    expect_fail(&t, "64-bit");
    expect_fail(&t, "RISC-V");
    t.eh.e_machine = EM_X86_64;
    expect_fail(&t, "x86-64");
    expect_fail(&t, "-mabi=ilp32");
    t.eh.e_ident[EI_CLASS] = 7;
    expect_fail(&t, "class");
}

static void test_bad_big_endian(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_ident[EI_DATA] = ELFDATA2MSB;
    expect_fail(&t, "big-endian");
    t.eh.e_ident[EI_DATA] = 0;
    expect_fail(&t, "encoding");
}

static void test_bad_machine(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_machine = EM_386;
    expect_fail(&t, "x86");
    t.eh.e_machine = EM_ARM;
    expect_fail(&t, "ARM");
    t.eh.e_machine = 9999;
    expect_fail(&t, "9999");
    expect_fail(&t, "RISC-V");
}

static void test_bad_type(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_type = ET_DYN;
    expect_fail(&t, "-static");
    expect_fail(&t, "dynamic");
    t.eh.e_type = ET_REL;
    expect_fail(&t, "object file");
    t.eh.e_type = ET_CORE;
    expect_fail(&t, "vmlab inspect");
    t.eh.e_type = ET_NONE;
    expect_fail(&t, "not an executable");
}

static void test_bad_truncated(void)
{
    struct tb t;
    size_t n;

    tb_std(&t);
    n = tb_build(&t, g_buf);
    CU_ASSERT(n > 200);
    expect_fail_mem(g_buf, 10, "truncated");
    expect_fail_mem(g_buf, 40, "truncated");
    expect_fail_mem(g_buf, 52, "truncated");                 /* no phdrs */
    expect_fail_mem(g_buf, 52 + 32 + 10, "truncated");
    expect_fail_mem(g_buf, 52 + 4 * 32, "past the end");     /* no bytes */
    expect_fail_mem(g_buf, 0x2200, "past the end");          /* data cut */
}

static void test_bad_phdr_table(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_phentsize = 56;
    expect_fail(&t, "entry size");
    tb_std(&t);
    t.eh.e_phoff = 0xfffffff0u;
    expect_fail(&t, "truncated");
    tb_std(&t);
    t.nph = 0;
    expect_fail(&t, "program headers");
}

static void test_bad_offset_past_eof(void)
{
    struct tb t;

    tb_std(&t);
    t.ph[2].p_filesz = 0x300;      /* 0x2100 + 0x300 > 0x2300 */
    expect_fail(&t, "past the end");
    expect_fail(&t, "segment 2");
    tb_std(&t);
    t.ph[1].p_offset = 0xfffff000u; /* huge offset, no wrap-around */
    t.ph[1].p_vaddr = 0x12000;
    expect_fail(&t, "past the end");
}

static void test_bad_filesz_gt_memsz(void)
{
    struct tb t;

    tb_std(&t);
    t.ph[1].p_memsz = 0x80;
    expect_fail(&t, "larger than its memory size");
}

static void test_bad_overlap(void)
{
    struct tb t;

    tb_std(&t);
    t.ph[1].p_vaddr = 0x11000;     /* inside text */
    t.ph[1].p_offset = 0x2000;
    expect_fail(&t, "segments 0 and 1 overlap");

    /* disjoint bytes, but rodata starts in text's last page */
    tb_std(&t);
    t.ph[1].p_vaddr = 0x11400;
    t.ph[1].p_offset = 0x1400;
    t.ph[1].p_filesz = t.ph[1].p_memsz = 0x10;
    t.eh.e_entry = 0x10100;
    expect_fail(&t, "overlap");
    expect_fail(&t, "share a page");

    /* bss of one segment runs into the next */
    tb_std(&t);
    t.ph[2].p_vaddr = 0x11100;
    t.ph[2].p_offset = 0x2100;
    expect_fail(&t, "overlap");
}

static void test_bad_entry(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_entry = 0x50000;
    expect_fail(&t, "entry point");
    expect_fail(&t, "not inside");
    t.eh.e_entry = 0x12010;        /* in rodata */
    expect_fail(&t, "not executable");
    t.eh.e_entry = 0x15000;        /* in bss */
    expect_fail(&t, "not executable");
}

static void test_bad_vaddr(void)
{
    struct tb t;

    tb_std(&t);
    t.ph[2].p_vaddr = 0xfffff100u;
    t.ph[2].p_offset = 0x2100;
    expect_fail(&t, "overflow");
    tb_std(&t);
    t.ph[2].p_vaddr = 0x3fffe100u; /* bss reaches the trampoline page */
    expect_fail(&t, "0x3ffff000");
    tb_std(&t);
    t.ph[2].p_vaddr = 0x3fffe100u;
    t.ph[2].p_memsz = 0xf00;       /* ends exactly at 0x3ffff000: fine */
    {
        struct elf_image img;
        char err[256];
        CU_ASSERT_EQUAL(tb_load(&t, &img, err, sizeof err), 0);
        elf_free(&img);
    }
    tb_std(&t);
    t.ph[0].p_vaddr = 0;           /* would map page 0 */
    t.eh.e_entry = 0x100;
    expect_fail(&t, "NULL");
}

static void test_bad_alignment(void)
{
    struct tb t;

    tb_std(&t);
    t.ph[2].p_offset = 0x2080;     /* vaddr 0x13100: not congruent */
    expect_fail(&t, "page size");
    tb_std(&t);
    t.ph[1].p_align = 0x3000;
    expect_fail(&t, "power of two");
    tb_std(&t);
    t.content_size = 0x3200;
    t.ph[1].p_offset = 0x3000;     /* page-congruent, not 64K-congruent */
    t.ph[1].p_align = 0x10000;
    expect_fail(&t, "alignment");
}

static void test_bad_interp(void)
{
    struct tb t;

    tb_std(&t);
    static const char interp[] = "/lib/ld-linux-riscv32-ilp32.so.1";
    tb_ph(&t, PT_INTERP, PF_R, 0x1000, 0x11000, sizeof interp, sizeof interp);
    tb_build(&t, g_buf);
    memcpy(g_buf + 0x1000, interp, sizeof interp);
    expect_fail_mem(g_buf, t.content_size, "dynamically linked");
    expect_fail_mem(g_buf, t.content_size, "ld-linux-riscv32");
    expect_fail_mem(g_buf, t.content_size, "-static");
    /* an interpreter path pointing outside the file is not read */
    t.ph[t.nph - 1].p_offset = 0x7fffffff;
    expect_fail(&t, "PT_INTERP");
}

static void test_bad_flags(void)
{
    struct tb t;

    tb_std(&t);
    t.eh.e_flags = EF_RISCV_RVC | EF_RISCV_FLOAT_ABI_DOUBLE;
    expect_fail(&t, "hard-float");
    expect_fail(&t, "-mabi=ilp32");
    t.eh.e_flags = EF_RISCV_FLOAT_ABI_SINGLE;
    expect_fail(&t, "hard-float");
    t.eh.e_flags = EF_RISCV_FLOAT_ABI_QUAD;
    expect_fail(&t, "hard-float");
    t.eh.e_flags = EF_RISCV_RVE | EF_RISCV_RVC;
    expect_fail(&t, "RV32E");
}

static void test_bad_no_load(void)
{
    struct tb t;

    tb_init(&t);
    tb_ph(&t, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
    expect_fail(&t, "no loadable");
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0, 0x10000, 0, 0);   /* empty */
    expect_fail(&t, "no loadable");
}

static void test_bad_too_many(void)
{
    struct tb t;

    tb_init(&t);
    t.content_size = 0x1000;
    t.eh.e_entry = 0x10000;
    for (uint32_t i = 0; i < 17; i++)
        tb_ph(&t, PT_LOAD, PF_R | PF_X, 0, 0x10000 + i * 0x2000, 0x10, 0x10);
    expect_fail(&t, "too many");

    /* 9 RW loads split into 18 segments */
    tb_init(&t);
    t.content_size = 0x1000;
    t.eh.e_entry = 0x10000;
    tb_ph(&t, PT_LOAD, PF_R | PF_X, 0, 0x10000, 0x10, 0x10);
    for (uint32_t i = 1; i < 9; i++)
        tb_ph(&t, PT_LOAD, PF_R | PF_W, 0, 0x10000 + i * 0x4000, 0x10, 0x2000);
    expect_fail(&t, "too many");
}

static void test_bad_empty(void)
{
    struct elf_image img;
    char err[256];
    static const uint8_t one = 0;

    expect_fail_mem(&one, 0, "empty");
    expect_fail_mem(NULL, 0, "empty");
    CU_ASSERT_EQUAL(elf_load_mem(NULL, 100, &img, err, sizeof err), -1);
    /* the size is refused before anything is copied */
    expect_fail_mem(&one, (size_t)300 << 20, "too large");
}

static void test_bad_files(void)
{
    struct elf_image img;
    char err[256], path[64], dir[64];
    int fd;

    CU_ASSERT_EQUAL(elf_load("/nonexistent/vmlab/prog", &img, err,
                             sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "No such file"));
    CU_ASSERT_PTR_NULL(img.data);

    snprintf(dir, sizeof dir, "/tmp/vmlab-test-elf-dir-XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    CU_ASSERT_EQUAL(elf_load(dir, &img, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "directory"));
    rmdir(dir);

    CU_ASSERT_FATAL(write_temp(path, sizeof path, "", 0));
    CU_ASSERT_EQUAL(elf_load(path, &img, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "empty"));

    /* a sparse 257 MiB file: refused from its size, nothing is read */
    fd = open(path, O_WRONLY);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT(ftruncate(fd, (off_t)257 << 20) == 0);
    close(fd);
    CU_ASSERT_EQUAL(elf_load(path, &img, err, sizeof err), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "too large"));
    unlink(path);

    CU_ASSERT_EQUAL(elf_load("/dev/null", &img, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "not a regular file");

    /* a FIFO with no writer: refused at once, never opened (an open for
     * reading would wait for a writer forever) */
    char fifo[96];
    snprintf(dir, sizeof dir, "/tmp/vmlab-test-elf-fifo-XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
    CU_ASSERT_EQUAL(elf_load(fifo, &img, err, sizeof err), -1);
    CU_ASSERT_STRING_EQUAL(err, "not a regular file");
    unlink(fifo);
    rmdir(dir);
}

static void test_bad_small_err_buffer(void)
{
    struct tb t;
    struct elf_image img;
    char err[8];

    tb_std(&t);
    t.eh.e_type = ET_REL;
    memset(err, 'x', sizeof err);
    CU_ASSERT_EQUAL(tb_load(&t, &img, err, sizeof err), -1);
    CU_ASSERT_EQUAL(err[7], '\0');
    CU_ASSERT_EQUAL(tb_load(&t, &img, NULL, 0), -1);
}

/* ------------------------------------------------------------------------
 * Robustness sweeps (meaningful under ASan) */

static void load_any(const uint8_t *buf, size_t n, bool symbols)
{
    struct elf_image img;
    char err[256];

    err[0] = '\0';
    if (elf_load_mem(buf, n, &img, err, sizeof err) != 0) {
        CU_ASSERT(err[0] != '\0');
        CU_ASSERT_PTR_NULL(img.data);
        return;
    }
    check_invariants(&img);
    if (symbols) {
        static const uint32_t probe[] = { 0x10054, 0x100b8, 0x10110,
                                          0x10210, 0x13106, 0x13410 };
        for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
            uint32_t off;
            const char *s = elf_symbol(&img, probe[i], &off);
            if (s)
                CU_ASSERT(s >= (const char *)img.data &&
                          strlen(s) < img.size);
        }
    }
    elf_free(&img);
}

static void test_sweep_truncation(void)
{
    struct tb t;
    static uint8_t buf[TB_CAP];
    size_t n;

    tb_with_symbols(&t);
    n = tb_build(&t, buf);
    /* Every cut length, each in its own exact-size heap block so that ASan
     * catches a read one byte past the end. */
    for (size_t cut = 0; cut <= n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        CU_ASSERT_FATAL(copy != NULL);
        memcpy(copy, buf, cut);
        load_any(copy, cut, cut == n);
        free(copy);
    }
}

static void test_sweep_corruption(void)
{
    struct tb t;
    static uint8_t good[TB_CAP], bad[TB_CAP];
    static const uint8_t vals[] = { 0x00, 0xff, 0x80, 0x7f, 0x01, 0x10 };
    size_t n, hdr;
    Elf32_Ehdr eh;

    tb_with_symbols(&t);
    n = tb_build(&t, good);
    memcpy(&eh, good, sizeof eh);
    /* ELF header + program headers, then the whole tail: symbol and
     * string tables and section headers. */
    hdr = sizeof eh + (size_t)t.nph * sizeof(Elf32_Phdr);
    for (size_t i = 0; i < n; i++) {
        if (i >= hdr && i < t.content_size)
            continue;
        for (size_t v = 0; v < sizeof vals; v++) {
            memcpy(bad, good, n);
            bad[i] = (uint8_t)(good[i] == vals[v] ? vals[v] ^ 0x55 : vals[v]);
            load_any(bad, n, true);
        }
    }
}

/* ------------------------------------------------------------------------
 * A real guest, if the build has one */

static void test_real_guest(void)
{
    const char *dirs[] = { "/guests/hello", "/guests/rv32im/hello" };
    const char *build = getenv("VMLAB_BUILD");

    if (!build)
        return;
    for (size_t i = 0; i < 2; i++) {
        char path[4096];
        struct elf_image img;
        char err[256];
        const struct elf_seg *text;

        snprintf(path, sizeof path, "%s%s", build, dirs[i]);
        if (access(path, R_OK) != 0)
            continue;
        CU_ASSERT_EQUAL_FATAL(elf_load(path, &img, err, sizeof err), 0);
        check_invariants(&img);
        text = find_seg(&img, "text");
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT(text->perms & SEG_X);
        CU_ASSERT(img.entry >= text->start && img.entry < text->end);
        CU_ASSERT_EQUAL(img.phentsize, 32);
        CU_ASSERT(img.phnum >= 1);
        CU_ASSERT(img.end_bss > text->start);
        CU_ASSERT_EQUAL(img.eflags & EF_RISCV_FLOAT_ABI, 0);
        CU_ASSERT_PTR_NOT_NULL(elf_symbol(&img, img.entry, NULL));
        elf_free(&img);
    }
}

/* ------------------------------------------------------------------------ */

static const struct {
    const char *name;
    void (*fn)(void);
} elf_tests[] = {
    { "good: text/rodata/data/bss layout", test_good_layout },
    { "good: program headers out of order", test_good_unsorted_phdrs },
    { "good: PT_PHDR gives AT_PHDR", test_good_pt_phdr },
    { "good: AT_PHDR from the PT_LOAD holding e_phoff, or 0",
      test_good_phdr_not_mapped },
    { "good: RW PT_LOAD with p_filesz 0 is bss", test_good_bss_only_load },
    { "good: bss sharing data's last page", test_good_bss_in_data_page },
    { "good: repeated names are numbered", test_good_two_text_numbered },
    { "good: sections pick the plain name", test_good_sections_refine_names },
    { "good: .eh_frame-only segment is rodata",
      test_good_eh_frame_only_is_rodata },
    { "good: RWX segment, empty PT_LOAD", test_good_rwx_and_empty_load },
    { "good: elf_load_mem copies", test_good_load_mem_copies },
    { "good: elf_load from a file", test_good_from_file },
    { "symbols: functions, labels, objects", test_symbols },
    { "symbols: none", test_symbols_none },
    { "elf_free on zeroed image", test_free_zeroed },
    { "bad: magic", test_bad_magic },
    { "bad: ELF version", test_bad_version },
    { "bad: 64-bit class", test_bad_class64 },
    { "bad: big-endian", test_bad_big_endian },
    { "bad: machine", test_bad_machine },
    { "bad: ET_DYN/ET_REL/ET_CORE", test_bad_type },
    { "bad: truncated files", test_bad_truncated },
    { "bad: program header table", test_bad_phdr_table },
    { "bad: segment bytes past EOF", test_bad_offset_past_eof },
    { "bad: p_filesz > p_memsz", test_bad_filesz_gt_memsz },
    { "bad: overlapping segments", test_bad_overlap },
    { "bad: entry point", test_bad_entry },
    { "bad: addresses", test_bad_vaddr },
    { "bad: alignment", test_bad_alignment },
    { "bad: PT_INTERP", test_bad_interp },
    { "bad: hard-float and RVE flags", test_bad_flags },
    { "bad: no PT_LOAD", test_bad_no_load },
    { "bad: too many segments", test_bad_too_many },
    { "bad: empty / too large buffers", test_bad_empty },
    { "bad: files (missing, directory, empty, huge)", test_bad_files },
    { "bad: small error buffer", test_bad_small_err_buffer },
    { "sweep: every truncation", test_sweep_truncation },
    { "sweep: corrupted header and table bytes", test_sweep_corruption },
    { "real guest: $VMLAB_BUILD/guests/hello", test_real_guest },
};

/* Register the "elf" suite with CUnit.  Called by tests/main.c after
 * CU_initialize_registry(); on a CUnit error it registers what it can and
 * leaves the error in CU_get_error(). */
void elf_suite_add(void)
{
    CU_pSuite s = CU_add_suite("elf", NULL, NULL);

    if (!s)
        return;
    for (size_t i = 0; i < sizeof elf_tests / sizeof elf_tests[0]; i++)
        if (!CU_add_test(s, elf_tests[i].name, elf_tests[i].fn))
            return;
}
