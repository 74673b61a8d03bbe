/* isa_misaligned — loads and stores at addresses that are not a multiple
 * of their size.
 *
 * RISC-V lets an implementation trap on them; Linux then emulates the
 * access, and qemu-riscv32 and vmlab simply perform it byte by byte
 * (PLATFORM.md §2.3, §7.1).  Either way the program sees an ordinary load
 * or store, which is what this differential test checks: lw/lh/lhu/sw/sh
 * at every misaligned offset of a buffer, and across the boundary between
 * two pages of an mmap'd area (the access touches both pages).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static int failures;

static void expect(const char *name, uint32_t v, uint32_t want)
{
    printf("%-28s = 0x%08x\n", name, (unsigned)v);
    if (v != want) {
        printf("  ^^^ expected 0x%08x\n", (unsigned)want);
        failures++;
    }
}

#define LD(op, p) ({ uint32_t r_; \
    __asm__ volatile(op " %0, 0(%1)" : "=r"(r_) : "r"(p) : "memory"); r_; })
#define ST(op, p, v) \
    __asm__ volatile(op " %1, 0(%0)" : : "r"(p), "r"((uint32_t)(v)) : "memory")

static _Alignas(8) unsigned char buf[16];

static void fill(volatile unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(0x10 + i);
}

/* The little-endian value of n bytes at p, assembled one byte at a time. */
static uint32_t bytes_le(const volatile unsigned char *p, int n)
{
    uint32_t v = 0;

    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

int main(void)
{
    volatile unsigned char *b = buf;
    char name[40];

    printf("isa_misaligned: misaligned loads and stores\n");

    for (int off = 1; off <= 3; off++) {
        fill(b, sizeof buf);
        snprintf(name, sizeof name, "lw at +%d", off);
        expect(name, LD("lw", b + off), bytes_le(b + off, 4));
    }
    for (int off = 1; off <= 3; off += 2) {
        fill(b, sizeof buf);
        b[off + 1] = 0xf0;                      /* make the halfword negative */
        snprintf(name, sizeof name, "lh at +%d", off);
        expect(name, LD("lh", b + off), 0xffff0000 | bytes_le(b + off, 2));
        snprintf(name, sizeof name, "lhu at +%d", off);
        expect(name, LD("lhu", b + off), bytes_le(b + off, 2));
    }
    for (int off = 1; off <= 3; off++) {
        fill(b, sizeof buf);
        ST("sw", b + off, 0xa1b2c3d4);
        snprintf(name, sizeof name, "sw at +%d, read back", off);
        expect(name, bytes_le(b + off, 4), 0xa1b2c3d4);
        expect("  byte before", b[off - 1], 0x10 + off - 1);
        expect("  byte after", b[off + 4], 0x10 + off + 4);
    }
    for (int off = 1; off <= 5; off += 2) {
        fill(b, sizeof buf);
        ST("sh", b + off, 0xbeef);
        snprintf(name, sizeof name, "sh at +%d, read back", off);
        expect(name, bytes_le(b + off, 2), 0xbeef);
        expect("  the 4 bytes around it", bytes_le(b + off - 1, 4),
               (uint32_t)(0x10 + off - 1) | 0xbeef00u | (uint32_t)(0x10 + off + 2) << 24);
    }

    /* Across a page boundary: two pages, the access straddles them. */
    {
        unsigned char *area = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        volatile unsigned char *edge;

        if (area == MAP_FAILED) {
            printf("mmap failed\n");
            return 1;
        }
        edge = area + 4096;                     /* first byte of page 2 */
        for (int i = -4; i < 4; i++)
            edge[i] = (unsigned char)(0xe0 + i + 4);
        expect("lw at page end - 2", LD("lw", edge - 2), 0xe5e4e3e2);
        expect("lw at page end - 1", LD("lw", edge - 1), 0xe6e5e4e3);
        expect("lw at page end - 3", LD("lw", edge - 3), 0xe4e3e2e1);
        expect("lh at page end - 1", LD("lh", edge - 1), 0xffffe4e3);
        expect("lhu at page end - 1", LD("lhu", edge - 1), 0xe4e3);
        ST("sw", edge - 3, 0x44332211);
        expect("sw at page end - 3, page 1", bytes_le(edge - 4, 4), 0x332211e0);
        expect("sw at page end - 3, page 2", bytes_le(edge, 4), 0xe7e6e544);
        ST("sh", edge - 1, 0x6655);
        expect("sh at page end - 1", bytes_le(edge - 2, 4), 0xe5665522);
        munmap(area, 8192);
    }

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "all as expected", failures);
    return failures != 0;
}
