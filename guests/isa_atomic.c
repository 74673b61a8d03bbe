/* isa_atomic — the A extension: lr/sc and the amo*.w instructions.
 *
 * A differential test (rv32imac only; the rv32im build skips it).  Each
 * AMO atomically loads the old value into rd and stores "old OP rs2"; the
 * test prints both.  amomin/amomax compare as signed numbers, the ...u
 * forms as unsigned, so 0xfffffffe is the smallest signed value here but
 * the largest unsigned one.  sc.w writes 0 to rd on success and non-zero
 * (1 on Linux and qemu) when it fails: without a reservation, or after a
 * reservation on another address.
 */
#include <stdint.h>
#include <stdio.h>

static int failures;

static void expect(const char *name, uint32_t v, uint32_t want)
{
    printf("%-30s = 0x%08x\n", name, (unsigned)v);
    if (v != want) {
        printf("  ^^^ expected 0x%08x\n", (unsigned)want);
        failures++;
    }
}

static uint32_t word;                   /* naturally aligned, as AMOs need */
static uint32_t other;

/* old = AMO(op, &word, val); prints old and the new memory value */
#define AMO(op, init, val, want_old, want_new) do {                          \
        uint32_t old_;                                                       \
        word = (init);                                                       \
        __asm__ volatile(op " %0, %2, (%1)"                                  \
                         : "=&r"(old_) : "r"(&word), "r"((uint32_t)(val))    \
                         : "memory");                                        \
        expect(op " old", old_, want_old);                                   \
        expect(op " memory", word, want_new);                                \
    } while (0)

int main(void)
{
    uint32_t r, v;

    printf("isa_atomic: RV32A lr/sc and AMOs\n");

    /* lr/sc success: load-reserved, then store-conditional to the same word */
    word = 100;
    __asm__ volatile("lr.w %0, (%2)\n\t"
                     "addi %0, %0, 1\n\t"
                     "sc.w %1, %0, (%2)"
                     : "=&r"(v), "=&r"(r) : "r"(&word) : "memory");
    expect("lr.w value + 1", v, 101);
    expect("sc.w result (0 = success)", r, 0);
    expect("memory after sc.w", word, 101);

    /* sc without a reservation: the reservation was used up by the last sc */
    __asm__ volatile("sc.w %0, %1, (%2)" : "=&r"(r) : "r"(555u), "r"(&word) : "memory");
    expect("sc.w without lr (fails)", r != 0, 1);
    expect("sc.w result value", r, 1);
    expect("memory unchanged", word, 101);

    /* reservation on one word, sc to another */
    other = 7;
    __asm__ volatile("lr.w %0, (%2)\n\t"
                     "sc.w %1, %0, (%3)"
                     : "=&r"(v), "=&r"(r) : "r"(&word), "r"(&other) : "memory");
    expect("sc.w to another address", r != 0, 1);
    expect("other unchanged", other, 7);

    /* an lr/sc retry loop: atomic increment, the usual way */
    word = 41;
    __asm__ volatile("1: lr.w.aq %0, (%2)\n\t"
                     "addi %0, %0, 1\n\t"
                     "sc.w.rl %1, %0, (%2)\n\t"
                     "bnez %1, 1b"
                     : "=&r"(v), "=&r"(r) : "r"(&word) : "memory");
    expect("lr.w.aq/sc.w.rl loop", word, 42);

    AMO("amoswap.w", 0x11111111, 0x22222222, 0x11111111, 0x22222222);
    AMO("amoadd.w", 0x7fffffff, 1, 0x7fffffff, 0x80000000);
    AMO("amoadd.w", 5, 0xfffffffd, 5, 2);
    AMO("amoxor.w", 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xf0f0f0f0);
    AMO("amoand.w", 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0x0f000f00);
    AMO("amoor.w", 0xff00ff00, 0x0ff00ff0, 0xff00ff00, 0xfff0fff0);
    /* signed vs unsigned: -2 against 1 */
    AMO("amomin.w", 0xfffffffe, 1, 0xfffffffe, 0xfffffffe);
    AMO("amomax.w", 0xfffffffe, 1, 0xfffffffe, 1);
    AMO("amominu.w", 0xfffffffe, 1, 0xfffffffe, 1);
    AMO("amomaxu.w", 0xfffffffe, 1, 0xfffffffe, 0xfffffffe);
    AMO("amomin.w", 0x80000000, 0x7fffffff, 0x80000000, 0x80000000);
    AMO("amomax.w", 0x80000000, 0x7fffffff, 0x80000000, 0x7fffffff);
    AMO("amominu.w", 0x80000000, 0x7fffffff, 0x80000000, 0x7fffffff);
    AMO("amomaxu.w", 0x80000000, 0x7fffffff, 0x80000000, 0x80000000);
    AMO("amoadd.w.aqrl", 10, 20, 10, 30);
    AMO("amoswap.w.aq", 1, 2, 1, 2);

    /* rd = x0: the old value is dropped, memory still updated */
    word = 1000;
    __asm__ volatile("amoadd.w x0, %1, (%0)" : : "r"(&word), "r"(24u) : "memory");
    expect("amoadd.w x0 memory", word, 1024);

    /* rd == rs2: the old value replaces the operand after the operation */
    word = 3;
    v = 4;
    __asm__ volatile("amoadd.w %0, %0, (%1)" : "+r"(v) : "r"(&word) : "memory");
    expect("amoadd.w rd==rs2 old", v, 3);
    expect("amoadd.w rd==rs2 memory", word, 7);

    printf("%s: %d failure(s)\n", failures ? "FAILED" : "all as expected", failures);
    return failures != 0;
}
