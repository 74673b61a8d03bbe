/* tests/fuzz/fuzz_elf.c — the ELF loader (kernel/elf.c) on arbitrary
 * bytes, from memory and from a file.
 *
 * Promises checked: the two ways agree; a refusal is one non-empty line;
 * an accepted image describes segments a kernel can map (page-aligned,
 * sorted, disjoint, inside the user range, file bytes inside the file,
 * the entry in an executable segment); symbol lookups return strings
 * inside the image, and named ones have ranges that do not wrap. */
#include <stdbool.h>
#include <string.h>

#include "kernel/elf.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_image(const struct elf_image *img, size_t size)
{
    if (img->nseg < 1 || img->nseg > ELF_MAX_SEGS)
        fuzz_fail("%d segments", img->nseg);
    if (img->size != size)
        fuzz_fail("image size %zu, file %zu", img->size, size);
    bool entry_ok = false;
    for (int i = 0; i < img->nseg; i++) {
        const struct elf_seg *s = &img->seg[i];
        if ((s->start | s->end) & 0xfff || s->start >= s->end || s->start < 0x1000 ||
            s->end > 0x3ffff000u)
            fuzz_fail("segment %d: [0x%x, 0x%x)", i, s->start, s->end);
        if (i && s->start < img->seg[i - 1].end)
            fuzz_fail("segment %d overlaps or is out of order", i);
        if (s->filesz > s->end - s->start || (uint64_t)s->file_off + s->filesz > size)
            fuzz_fail("segment %d: %u file bytes at %u, file %zu", i, s->filesz, s->file_off,
                      size);
        if (s->perms & ~7u)
            fuzz_fail("segment %d: perms %u", i, s->perms);
        if (!memchr(s->name, 0, sizeof s->name))
            fuzz_fail("segment %d: name not terminated", i);
        if ((s->perms & SEG_X) && img->entry >= s->start && img->entry < s->end)
            entry_ok = true;
    }
    if (!entry_ok)
        fuzz_fail("entry 0x%x outside every executable segment", img->entry);
}

static void check_symbol(const struct elf_image *img, uint32_t addr)
{
    uint32_t off = 0;
    const char *name = elf_symbol(img, addr, &off);
    if (!name)
        return;
    const char *lo = (const char *)img->data, *hi = lo + img->size;
    if (name < lo || name >= hi || !memchr(name, 0, (size_t)(hi - name)))
        fuzz_fail("symbol for 0x%x is not a string inside the image", addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image a, b;
    char ea[256], eb[256];
    int ra = elf_load_mem(data, size, &a, ea, sizeof ea);
    int rb = elf_load(fuzz_file(0, data, size), &b, eb, sizeof eb);
    if (ra != rb || (ra && strcmp(ea, eb)))
        fuzz_fail("from memory %d \"%s\", from a file %d \"%s\"", ra, ra ? ea : "",
                  rb, rb ? eb : "");
    if (ra) {
        if (!ea[0] || strchr(ea, '\n'))
            fuzz_fail("refusal is not one line: \"%s\"", ea);
        return 0;
    }
    check_image(&a, size);
    check_symbol(&a, a.entry);
    uint32_t start, len;
    static const char *const names[] = { "main", "_start", "counter", "" };
    for (int i = 0; i < 4; i++)
        if (elf_symbol_range(&a, names[i], &start, &len) == 0 && (uint64_t)start + len > 0x100000000ull)
            fuzz_fail("symbol %s: 0x%x + %u wraps", names[i], start, len);
    for (int i = 0; i < a.nseg; i++) {
        check_symbol(&a, a.seg[i].start);
        check_symbol(&a, a.seg[i].end - 1);
    }
    elf_free(&a);
    elf_free(&b);
    return 0;
}
