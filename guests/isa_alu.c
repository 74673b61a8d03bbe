/* isa_alu — edge cases of the RV32I integer instructions.
 *
 * A differential test: every line is "name = value" in hex, so running it
 * under vmlab and under qemu-riscv32 and diffing the outputs pinpoints an
 * instruction that misbehaves.  The operations are written in inline
 * assembly so the compiler cannot work out the answers at compile time.
 *
 * Covered: shifts by 0, 1 and 31 (and register shift amounts >= 32, of
 * which only the low 5 bits count), slt/sltu/slti/sltiu with negative
 * numbers, add/sub wrap-around, logic ops with negative immediates,
 * lui/auipc, sign and zero extension of lb/lh/lbu/lhu, partial stores,
 * every branch on signed and unsigned extremes, jalr clearing bit 0, x0.
 */
#include <stdint.h>
#include <stdio.h>

static int failures;

static void show(const char *name, uint32_t v)
{
    printf("%-24s = 0x%08x\n", name, (unsigned)v);
}

static void expect(const char *name, uint32_t v, uint32_t want)
{
    show(name, v);
    if (v != want) {
        printf("  ^^^ expected 0x%08x\n", (unsigned)want);
        failures++;
    }
}

/* rd = a OP b, registers */
#define RR(op, a, b) ({ uint32_t r_; \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); r_; })
/* rd = a OP imm */
#define RI(op, a, imm) ({ uint32_t r_; \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(a), "i"(imm)); r_; })
/* 1 if the branch "op a, b, target" is taken */
#define BR(op, a, b) ({ uint32_t r_; \
    __asm__ volatile("li %0, 1\n\t" op " %1, %2, 1f\n\tli %0, 0\n1:" \
                     : "=&r"(r_) : "r"(a), "r"(b)); r_; })
/* load "op rd, off(p)" */
#define LD(op, p, off) ({ uint32_t r_; \
    __asm__ volatile(op " %0, %2(%1)" : "=r"(r_) : "r"(p), "i"(off) : "memory"); r_; })

/* Inputs come from volatile variables: never constants to the compiler. */
static volatile uint32_t v_zero = 0, v_one = 1, v_minus1 = 0xffffffff;
static volatile uint32_t v_min = 0x80000000, v_max = 0x7fffffff, v_pat = 0x87654321;
static volatile uint32_t v_31 = 31, v_32 = 32, v_33 = 33;

static unsigned char bytes[8] = { 0x80, 0x7f, 0xff, 0x01, 0x34, 0x12, 0xfe, 0xca };

int main(void)
{
    uint32_t zero = v_zero, one = v_one, m1 = v_minus1, min = v_min, max = v_max;
    uint32_t pat = v_pat;

    printf("isa_alu: RV32I integer edge cases\n");

    /* shifts */
    expect("sll pat,0", RR("sll", pat, zero), 0x87654321);
    expect("sll pat,31", RR("sll", pat, v_31), 0x80000000);
    expect("sll pat,32 (=0)", RR("sll", pat, v_32), 0x87654321);
    expect("sll pat,33 (=1)", RR("sll", pat, v_33), 0x0eca8642);
    expect("srl pat,31", RR("srl", pat, v_31), 1);
    expect("srl pat,33 (=1)", RR("srl", pat, v_33), 0x43b2a190);
    expect("sra pat,31", RR("sra", pat, v_31), 0xffffffff);
    expect("sra max,31", RR("sra", max, v_31), 0);
    expect("sra pat,4", RR("sra", pat, (uint32_t)4), 0xf8765432);
    expect("slli pat,0", RI("slli", pat, 0), 0x87654321);
    expect("slli pat,31", RI("slli", pat, 31), 0x80000000);
    expect("srli pat,0", RI("srli", pat, 0), 0x87654321);
    expect("srli pat,31", RI("srli", pat, 31), 1);
    expect("srai pat,0", RI("srai", pat, 0), 0x87654321);
    expect("srai pat,31", RI("srai", pat, 31), 0xffffffff);
    expect("srai min,1", RI("srai", min, 1), 0xc0000000);

    /* comparisons */
    expect("slt -1,0", RR("slt", m1, zero), 1);
    expect("sltu -1,0", RR("sltu", m1, zero), 0);
    expect("slt 0,-1", RR("slt", zero, m1), 0);
    expect("sltu 0,-1", RR("sltu", zero, m1), 1);
    expect("slt min,max", RR("slt", min, max), 1);
    expect("sltu min,max", RR("sltu", min, max), 0);
    expect("slt x,x", RR("slt", pat, pat), 0);
    expect("slti -1,0", RI("slti", m1, 0), 1);
    expect("slti 0,-1", RI("slti", zero, -1), 0);
    expect("sltiu 0,-1 (0<ffffffff)", RI("sltiu", zero, -1), 1);
    expect("sltiu -1,-1", RI("sltiu", m1, -1), 0);
    expect("sltiu 0,1 (seqz)", RI("sltiu", zero, 1), 1);
    expect("sltiu 1,1 (seqz)", RI("sltiu", one, 1), 0);
    expect("sltu 0,x (snez x)", RR("sltu", zero, pat), 1);

    /* arithmetic wrap-around and logic with negative immediates */
    expect("add max,1", RR("add", max, one), 0x80000000);
    expect("sub min,1", RR("sub", min, one), 0x7fffffff);
    expect("sub 0,min", RR("sub", zero, min), 0x80000000);
    expect("addi -1,1", RI("addi", m1, 1), 0);
    expect("addi 0,-2048", RI("addi", zero, -2048), 0xfffff800);
    expect("addi 0,2047", RI("addi", zero, 2047), 0x000007ff);
    expect("xori pat,-1 (not)", RI("xori", pat, -1), 0x789abcde);
    expect("andi pat,-16", RI("andi", pat, -16), 0x87654320);
    expect("ori 0,-2048", RI("ori", zero, -2048), 0xfffff800);
    expect("andi pat,0x7ff", RI("andi", pat, 0x7ff), 0x321);
    expect("and/or/xor", RR("and", pat, RR("or", max, RR("xor", pat, m1))), 0x07654321);

    /* lui and auipc */
    {
        uint32_t r, here, there;
        __asm__ volatile("lui %0, 0xfffff" : "=r"(r));
        expect("lui 0xfffff", r, 0xfffff000);
        __asm__ volatile("lui %0, 0x80000" : "=r"(r));
        expect("lui 0x80000", r, 0x80000000);
        __asm__ volatile("1: auipc %0, 0\n\tla %1, 1b" : "=&r"(here), "=&r"(there));
        expect("auipc 0 - its own pc", here - there, 0);
        __asm__ volatile("1: auipc %0, 1\n\tla %1, 1b" : "=&r"(here), "=&r"(there));
        expect("auipc 1 - its own pc", here - there, 0x1000);
        __asm__ volatile("1: auipc %0, 0xfffff\n\tla %1, 1b" : "=&r"(here), "=&r"(there));
        expect("auipc -1 - its own pc", here - there, 0xfffff000);
    }

    /* loads: sign extension vs zero extension */
    {
        unsigned char *p = bytes;
        __asm__ volatile("" : "+r"(p));
        expect("lb 0x80", LD("lb", p, 0), 0xffffff80);
        expect("lbu 0x80", LD("lbu", p, 0), 0x80);
        expect("lb 0x7f", LD("lb", p, 1), 0x7f);
        expect("lb 0xff", LD("lb", p, 2), 0xffffffff);
        expect("lbu 0xff", LD("lbu", p, 2), 0xff);
        expect("lh 0x7f80", LD("lh", p, 0), 0x7f80);
        expect("lh 0x01ff", LD("lh", p, 2), 0x01ff);
        expect("lh 0xcafe", LD("lh", p, 6), 0xffffcafe);
        expect("lhu 0xcafe", LD("lhu", p, 6), 0xcafe);
        expect("lw", LD("lw", p, 4), 0xcafe1234);
        expect("lw -4(p+8)", LD("lw", p + 8, -4), 0xcafe1234);
    }

    /* stores write only their own bytes */
    {
        static uint32_t word[2];
        uint32_t *w = word;
        word[0] = 0x11111111;
        __asm__ volatile("sb %1, 1(%0)" : : "r"(w), "r"(0xabcdefu) : "memory");
        expect("sb at +1", word[0], 0x1111ef11);
        __asm__ volatile("sh %1, 2(%0)" : : "r"(w), "r"(0x98765432u) : "memory");
        expect("sh at +2", word[0], 0x5432ef11);
        __asm__ volatile("sw %1, 4(%0)" : : "r"(w), "r"(0xdeadbeefu) : "memory");
        expect("sw at +4", word[1], 0xdeadbeef);
        expect("word[0] untouched", word[0], 0x5432ef11);
    }

    /* branches on extremes */
    expect("beq x,x", BR("beq", pat, pat), 1);
    expect("bne x,x", BR("bne", pat, pat), 0);
    expect("blt min,max", BR("blt", min, max), 1);
    expect("blt max,min", BR("blt", max, min), 0);
    expect("bge max,min", BR("bge", max, min), 1);
    expect("bge x,x", BR("bge", pat, pat), 1);
    expect("blt -1,0", BR("blt", m1, zero), 1);
    expect("bltu -1,0", BR("bltu", m1, zero), 0);
    expect("bltu 0,-1", BR("bltu", zero, m1), 1);
    expect("bgeu -1,0", BR("bgeu", m1, zero), 1);
    expect("bgeu min,max", BR("bgeu", min, max), 1);
    expect("bgeu x,x", BR("bgeu", pat, pat), 1);
    expect("bltu x,x", BR("bltu", pat, pat), 0);

    /* jal/jalr: link register, and jalr clears bit 0 of the target */
    {
        uint32_t link, want, landed;
        __asm__ volatile("la %1, 2f\n\t"
                         "jal %0, 1f\n"
                         "2:\tli %2, 0\n\t"
                         "j 3f\n"
                         "1:\tli %2, 1\n"
                         "3:"
                         : "=&r"(link), "=&r"(want), "=&r"(landed));
        expect("jal landed", landed, 1);
        expect("jal link - next pc", link - want, 0);
        __asm__ volatile("la %1, 1f\n\t"
                         "li %2, 0\n\t"
                         "addi %0, %1, 1\n\t"       /* odd target */
                         "jalr %0, 0(%0)\n\t"
                         "li %2, 2\n"
                         "1:\taddi %2, %2, 1"
                         : "=&r"(link), "=&r"(want), "=&r"(landed));
        expect("jalr odd target", landed, 1);
        __asm__ volatile(".option push\n\t.option norvc\n\t"  /* 4-byte steps */
                         "la %1, 1f\n\t"
                         "li %2, 0\n\t"
                         "jalr %0, 8(%1)\n"
                         "1:\taddi %2, %2, 10\n\t"
                         "addi %2, %2, 20\n\t"
                         "addi %2, %2, 1\n\t"        /* 1f + 8 */
                         ".option pop"
                         : "=&r"(link), "=&r"(want), "=&r"(landed));
        expect("jalr 8(rs) landed", landed, 1);
        expect("jalr link - next pc", link - want, 0);
    }

    /* x0 stays zero */
    {
        uint32_t r;
        __asm__ volatile("addi x0, x0, 5\n\tmv %0, x0" : "=r"(r));
        expect("x0 after addi x0,x0,5", r, 0);
        __asm__ volatile("lui x0, 0x12345\n\tadd %0, x0, x0" : "=r"(r));
        expect("x0 after lui x0", r, 0);
    }

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "all as expected", failures);
    return failures != 0;
}
