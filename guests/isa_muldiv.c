/* isa_muldiv — edge cases of the M extension (multiply and divide).
 *
 * A differential test, one "name = value" line per case.  RISC-V division
 * never traps (PLATFORM.md §2.1): dividing by zero gives all ones (div,
 * divu) or the dividend (rem, remu), and the one signed overflow,
 * INT_MIN / -1, gives INT_MIN with remainder 0.  The mulh* forms return the
 * high 32 bits of the 64-bit product, with signed, unsigned or mixed
 * operands.  Everything goes through inline assembly so the compiler
 * cannot fold it.
 */
#include <stdint.h>
#include <stdio.h>

static int failures;

static void expect(const char *name, uint32_t v, uint32_t want)
{
    printf("%-26s = 0x%08x\n", name, (unsigned)v);
    if (v != want) {
        printf("  ^^^ expected 0x%08x\n", (unsigned)want);
        failures++;
    }
}

#define RR(op, a, b) ({ uint32_t r_; \
    __asm__ volatile(op " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); r_; })

static volatile uint32_t v_zero = 0, v_one = 1, v_minus1 = 0xffffffff;
static volatile uint32_t v_min = 0x80000000, v_max = 0x7fffffff;
static volatile uint32_t v_seven = 7, v_minus7 = 0xfffffff9, v_two = 2, v_minus2 = 0xfffffffe;
static volatile uint32_t v_pat = 0x12345678;

int main(void)
{
    uint32_t z = v_zero, one = v_one, m1 = v_minus1, min = v_min, max = v_max;
    uint32_t s7 = v_seven, m7 = v_minus7, two = v_two, m2 = v_minus2, pat = v_pat;

    printf("isa_muldiv: RV32M edge cases\n");

    /* mul: the low 32 bits, the same for signed and unsigned */
    expect("mul max*2", RR("mul", max, two), 0xfffffffe);
    expect("mul -1*-1", RR("mul", m1, m1), 1);
    expect("mul min*-1", RR("mul", min, m1), 0x80000000);
    expect("mul pat*pat", RR("mul", pat, pat), 0x1df4d840);
    expect("mul x*0", RR("mul", pat, z), 0);

    /* mulh: signed x signed, high word */
    expect("mulh min*min", RR("mulh", min, min), 0x40000000);
    expect("mulh -1*-1", RR("mulh", m1, m1), 0);
    expect("mulh min*max", RR("mulh", min, max), 0xc0000000);
    expect("mulh max*max", RR("mulh", max, max), 0x3fffffff);
    expect("mulh -1*1", RR("mulh", m1, one), 0xffffffff);
    expect("mulh min*-1", RR("mulh", min, m1), 0);

    /* mulhu: unsigned x unsigned */
    expect("mulhu ffffffff*ffffffff", RR("mulhu", m1, m1), 0xfffffffe);
    expect("mulhu min*2", RR("mulhu", min, two), 1);
    expect("mulhu max*1", RR("mulhu", max, one), 0);
    expect("mulhu pat*pat", RR("mulhu", pat, pat), 0x014b66dc);

    /* mulhsu: signed rs1 x unsigned rs2 */
    expect("mulhsu -1*ffffffff", RR("mulhsu", m1, m1), 0xffffffff);
    expect("mulhsu min*ffffffff", RR("mulhsu", min, m1), 0x80000000);
    expect("mulhsu max*ffffffff", RR("mulhsu", max, m1), 0x7ffffffe);
    expect("mulhsu 1*ffffffff", RR("mulhsu", one, m1), 0);
    expect("mulhsu -2*2", RR("mulhsu", m2, two), 0xffffffff);

    /* div / divu */
    expect("div 7/0", RR("div", s7, z), 0xffffffff);
    expect("div -7/0", RR("div", m7, z), 0xffffffff);
    expect("divu 7/0", RR("divu", s7, z), 0xffffffff);
    expect("div min/-1 (overflow)", RR("div", min, m1), 0x80000000);
    expect("div -7/2", RR("div", m7, two), 0xfffffffd);
    expect("div 7/-2", RR("div", s7, m2), 0xfffffffd);
    expect("div -7/-2", RR("div", m7, m2), 3);
    expect("divu -7/2", RR("divu", m7, two), 0x7ffffffc);
    expect("div min/1", RR("div", min, one), 0x80000000);
    expect("divu min/-1", RR("divu", min, m1), 0);
    expect("divu -1/-1", RR("divu", m1, m1), 1);

    /* rem / remu: the sign follows the dividend */
    expect("rem 7/0", RR("rem", s7, z), 7);
    expect("rem -7/0", RR("rem", m7, z), 0xfffffff9);
    expect("remu -7/0", RR("remu", m7, z), 0xfffffff9);
    expect("rem min/-1 (overflow)", RR("rem", min, m1), 0);
    expect("rem -7/2", RR("rem", m7, two), 0xffffffff);
    expect("rem 7/-2", RR("rem", s7, m2), 1);
    expect("rem -7/-2", RR("rem", m7, m2), 0xffffffff);
    expect("remu -7/2", RR("remu", m7, two), 1);
    expect("remu pat/10", RR("remu", pat, (uint32_t)10), 0x12345678u % 10);
    expect("remu min/-1", RR("remu", min, m1), 0x80000000);

    /* rd equal to a source register (the result must not clobber early) */
    {
        uint32_t x = pat;
        __asm__ volatile("mul %0, %0, %0" : "+r"(x));
        expect("mul x,x,x", x, 0x1df4d840);
        x = m7;
        __asm__ volatile("div %0, %0, %1" : "+r"(x) : "r"(two));
        expect("div x,x,2", x, 0xfffffffd);
    }

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "all as expected", failures);
    return failures != 0;
}
