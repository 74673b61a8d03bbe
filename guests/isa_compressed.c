/* isa_compressed — the C extension: 16-bit encodings of common instructions.
 *
 * A differential test.  In the rv32imac build every snippet is written
 * with explicit c.* mnemonics (under `.option rvc`), so the CPU must decode
 * the 2-byte forms: c.li, c.lui, c.addi, c.addi16sp, c.addi4spn, c.slli,
 * c.srli, c.srai, c.andi, c.mv, c.add, c.sub, c.xor, c.or, c.and, c.lw,
 * c.sw, c.lwsp, c.swsp, c.j, c.jal, c.jr, c.jalr, c.beqz, c.bnez, c.nop.
 * The rv32im build (no C extension) assembles the same snippets from the
 * equivalent 4-byte instructions, so both builds print identical lines.
 *
 * The last test runs code placed in an mmap'd area so that one 4-byte
 * instruction starts 2 bytes before the end of a page: fetching it needs
 * both pages.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static int failures;

static void expect(const char *name, uint32_t v, uint32_t want)
{
    printf("%-30s = 0x%08x\n", name, (unsigned)v);
    if (v != want) {
        printf("  ^^^ expected 0x%08x\n", (unsigned)want);
        failures++;
    }
}

#ifdef __riscv_compressed
#define PICK(c_form, full_form) ".option push\n\t.option rvc\n\t" c_form "\n\t.option pop"
#else
#define PICK(c_form, full_form) full_form
#endif

/* One-register snippets work on a0 (x10), which every c.* form can name. */
#define ON_A0(init, c_form, full_form) ({                                   \
        register uint32_t a0_ __asm__("a0") = (init);                       \
        __asm__ volatile(PICK(c_form, full_form) : "+r"(a0_));              \
        a0_; })
/* Two-register snippets: a0 = a0 OP a1. */
#define ON_A0_A1(init, other, c_form, full_form) ({                         \
        register uint32_t a0_ __asm__("a0") = (init);                       \
        register uint32_t a1_ __asm__("a1") = (other);                      \
        __asm__ volatile(PICK(c_form, full_form) : "+r"(a0_) : "r"(a1_));   \
        a0_; })

static volatile uint32_t v_pat = 0x87654321, v_min = 0x80000000;
static uint32_t mem[40];

int main(void)
{
    uint32_t pat = v_pat, min = v_min;

    printf("isa_compressed: RV32C forms\n");

    expect("c.li a0,-32", ON_A0(0, "c.li a0, -32", "li a0, -32"), 0xffffffe0);
    expect("c.li a0,31", ON_A0(0, "c.li a0, 31", "li a0, 31"), 31);
    expect("c.lui a0,1", ON_A0(0, "c.lui a0, 1", "lui a0, 1"), 0x1000);
    expect("c.lui a0,0x1f", ON_A0(0, "c.lui a0, 0x1f", "lui a0, 0x1f"), 0x1f000);
    expect("c.lui a0,0xfffff", ON_A0(0, "c.lui a0, 0xfffff", "lui a0, 0xfffff"), 0xfffff000);
    expect("c.lui a0,0xfffe0", ON_A0(0, "c.lui a0, 0xfffe0", "lui a0, 0xfffe0"), 0xfffe0000);
    expect("c.addi a0,-32", ON_A0(100, "c.addi a0, -32", "addi a0, a0, -32"), 68);
    expect("c.addi a0,31", ON_A0(100, "c.addi a0, 31", "addi a0, a0, 31"), 131);
    expect("c.nop", ON_A0(5, "c.nop", "nop"), 5);
    expect("c.slli a0,31", ON_A0(pat, "c.slli a0, 31", "slli a0, a0, 31"), 0x80000000);
    expect("c.slli a0,4", ON_A0(pat, "c.slli a0, 4", "slli a0, a0, 4"), 0x76543210);
    expect("c.srli a0,31", ON_A0(pat, "c.srli a0, 31", "srli a0, a0, 31"), 1);
    expect("c.srli a0,4", ON_A0(pat, "c.srli a0, 4", "srli a0, a0, 4"), 0x08765432);
    expect("c.srai a0,31", ON_A0(min, "c.srai a0, 31", "srai a0, a0, 31"), 0xffffffff);
    expect("c.srai a0,4", ON_A0(pat, "c.srai a0, 4", "srai a0, a0, 4"), 0xf8765432);
    expect("c.andi a0,-32", ON_A0(pat, "c.andi a0, -32", "andi a0, a0, -32"), 0x87654320);
    expect("c.andi a0,15", ON_A0(pat, "c.andi a0, 15", "andi a0, a0, 15"), 1);
    expect("c.andi a0,0", ON_A0(pat, "c.andi a0, 0", "andi a0, a0, 0"), 0);

    expect("c.mv a0,a1", ON_A0_A1(1, pat, "c.mv a0, a1", "mv a0, a1"), 0x87654321);
    expect("c.add a0,a1", ON_A0_A1(0x7fffffff, 1, "c.add a0, a1", "add a0, a0, a1"),
           0x80000000);
    expect("c.sub a0,a1", ON_A0_A1(0, 1, "c.sub a0, a1", "sub a0, a0, a1"), 0xffffffff);
    expect("c.xor a0,a1", ON_A0_A1(pat, 0xffffffff, "c.xor a0, a1", "xor a0, a0, a1"),
           0x789abcde);
    expect("c.or a0,a1", ON_A0_A1(0xf0f0f0f0, 0x0f, "c.or a0, a1", "or a0, a0, a1"),
           0xf0f0f0ff);
    expect("c.and a0,a1", ON_A0_A1(pat, 0xffff0000, "c.and a0, a1", "and a0, a0, a1"),
           0x87650000);

    /* c.lw / c.sw: offsets 0..124 from a base in x8..x15 */
    {
        mem[0] = 0x11111111;
        mem[31] = 0x31313131;
        expect("c.lw a0,0(a1)", ON_A0_A1(0, (uint32_t)mem, "c.lw a0, 0(a1)", "lw a0, 0(a1)"),
               0x11111111);
        expect("c.lw a0,124(a1)",
               ON_A0_A1(0, (uint32_t)mem, "c.lw a0, 124(a1)", "lw a0, 124(a1)"), 0x31313131);
        register uint32_t a0 __asm__("a0") = 0xc0ffee;
        register uint32_t a1 __asm__("a1") = (uint32_t)mem;
        __asm__ volatile(PICK("c.sw a0, 8(a1)\n\tc.sw a0, 120(a1)",
                              "sw a0, 8(a1)\n\tsw a0, 120(a1)")
                         : : "r"(a0), "r"(a1) : "memory");
        expect("c.sw a0,8(a1)", mem[2], 0xc0ffee);
        expect("c.sw a0,120(a1)", mem[30], 0xc0ffee);
    }

    /* sp-relative forms: make room with c.addi16sp, store with c.swsp, load
     * with c.lwsp, take an address with c.addi4spn, then give the room back. */
    {
        register uint32_t a0 __asm__("a0");
        register uint32_t a1 __asm__("a1") = 0x5a5a1234;
        register uint32_t a2 __asm__("a2");
        register uint32_t a3 __asm__("a3");
        register uint32_t a4 __asm__("a4");
        __asm__ volatile(
            PICK("mv a4, sp\n\t"
                 "c.addi16sp sp, -512\n\t"
                 "c.swsp a1, 252(sp)\n\t"
                 "c.lwsp a0, 252(sp)\n\t"
                 "c.addi4spn a2, sp, 1020\n\t"
                 "c.addi16sp sp, 496\n\t"
                 "sub a3, a4, sp\n\t"
                 "c.addi16sp sp, 16",
                 "mv a4, sp\n\t"
                 "addi sp, sp, -512\n\t"
                 "sw a1, 252(sp)\n\t"
                 "lw a0, 252(sp)\n\t"
                 "addi a2, sp, 1020\n\t"
                 "addi sp, sp, 496\n\t"
                 "sub a3, a4, sp\n\t"
                 "addi sp, sp, 16")
            : "=&r"(a0), "=&r"(a2), "=&r"(a3), "=&r"(a4) : "r"(a1) : "memory");
        /* Register variables are only pinned inside the asm: copy them out
         * before any call can clobber a0..a4. */
        uint32_t loaded = a0, spn = a2 - a4, moved = a3;
        expect("c.swsp/c.lwsp 252(sp)", loaded, 0x5a5a1234);
        expect("c.addi4spn 1020 - old sp", spn, (uint32_t)(1020 - 512));
        expect("c.addi16sp -512,+496: moved", moved, 16);
    }

    /* control flow */
    expect("c.j over c.li",
           ON_A0(1, "c.j 1f\n\tc.li a0, 9\n1:", "j 1f\n\tli a0, 9\n1:"), 1);
    expect("c.beqz taken",
           ON_A0(0, "c.beqz a0, 1f\n\tc.li a0, 9\n1:", "beqz a0, 1f\n\tli a0, 9\n1:"), 0);
    expect("c.beqz not taken",
           ON_A0(3, "c.beqz a0, 1f\n\tc.li a0, 9\n1:", "beqz a0, 1f\n\tli a0, 9\n1:"), 9);
    expect("c.bnez taken",
           ON_A0(3, "c.bnez a0, 1f\n\tc.li a0, 9\n1:", "bnez a0, 1f\n\tli a0, 9\n1:"), 3);
    expect("c.bnez not taken",
           ON_A0(0, "c.bnez a0, 1f\n\tc.li a0, 9\n1:", "bnez a0, 1f\n\tli a0, 9\n1:"), 9);
    expect("c.bnez backward loop",
           ON_A0_A1(0, 0, "c.li a1, 5\n1:\tc.addi a0, 3\n\tc.addi a1, -1\n\tc.bnez a1, 1b",
                    "li a1, 5\n1:\taddi a0, a0, 3\n\taddi a1, a1, -1\n\tbnez a1, 1b"), 15);
    {
        register uint32_t a0 __asm__("a0") = 0;
        __asm__ volatile(PICK("c.jal 1f\n\t"
                              "c.addi a0, 7\n\t"
                              "c.j 2f\n"
                              "1:\tc.addi a0, 1\n\t"
                              "c.jr ra\n"
                              "2:",
                              "jal ra, 1f\n\t"
                              "addi a0, a0, 7\n\t"
                              "j 2f\n"
                              "1:\taddi a0, a0, 1\n\t"
                              "jr ra\n"
                              "2:")
                         : "+r"(a0) : : "ra");
        expect("c.jal + c.jr ra", a0, 8);
    }
    {
        register uint32_t a0 __asm__("a0") = 0;
        register uint32_t a1 __asm__("a1");
        __asm__ volatile(PICK("la a1, 1f\n\t"
                              "c.jalr a1\n\t"
                              "c.addi a0, 4\n\t"
                              "c.j 2f\n"
                              "1:\tc.addi a0, 2\n\t"
                              "c.jr ra\n"
                              "2:",
                              "la a1, 1f\n\t"
                              "jalr ra, 0(a1)\n\t"
                              "addi a0, a0, 4\n\t"
                              "j 2f\n"
                              "1:\taddi a0, a0, 2\n\t"
                              "jr ra\n"
                              "2:")
                         : "+r"(a0), "=&r"(a1) : : "ra");
        expect("c.jalr a1 + c.jr ra", a0, 6);
    }
    {
        /* a 4-byte instruction at an address that is 2 mod 4 */
        register uint32_t a0 __asm__("a0") = 0;
        __asm__ volatile(PICK(".balign 4\n\t"
                              "c.addi a0, 1\n\t"
                              ".option norvc\n\t"
                              "addi a0, a0, 0x100\n\t"      /* at 4n + 2 */
                              ".option rvc\n\t"
                              "c.addi a0, 1",
                              "addi a0, a0, 1\n\t"
                              "addi a0, a0, 0x100\n\t"
                              "addi a0, a0, 1")
                         : "+r"(a0));
        expect("4-byte insn at 2 mod 4", a0, 0x102);
    }

    /* Code that straddles a page boundary, in an mmap'd area. */
    {
        unsigned char *area = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
                                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        unsigned char *entry;
        int (*fn)(int);

        if (area == MAP_FAILED) {
            printf("mmap failed\n");
            return 1;
        }
#ifdef __riscv_compressed
        /* page end - 4: c.addi a0,1 | page end - 2: addi a0,a0,2 (crosses) | c.jr ra */
        static const uint16_t code[] = { 0x0505, 0x0513, 0x0025, 0x8082 };
#else
        /* page end - 4: addi a0,a0,1 | page end: addi a0,a0,2 | ret */
        static const uint16_t code[] = { 0x0513, 0x0015, 0x0513, 0x0025, 0x8067, 0x0000 };
#endif
        entry = area + 4096 - 4;
        memcpy(entry, code, sizeof code);
        if (mprotect(area, 8192, PROT_READ | PROT_EXEC) != 0) {
            printf("mprotect failed\n");
            return 1;
        }
        __asm__ volatile(".insn i 0x0f, 1, x0, x0, 0" ::: "memory");   /* fence.i */
        fn = (int (*)(int))(void *)entry;
        expect("code across a page boundary", (uint32_t)fn(0x40), 0x43);
        munmap(area, 8192);
    }

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "all as expected", failures);
    return failures != 0;
}
