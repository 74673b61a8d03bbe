/* known_refs — a reference string known in advance, to check the
 * recorder (tests/test_paging.c): refpattern() below is written in
 * assembly so that every fetch, load and store is where the comments say.
 *
 * Pages: P, P1, P2 are refpattern's three code pages; A0, A1, A2 the
 * three pages of `area`.  A call from main (on page M) records, with
 * instruction fetches (a page repeated right after itself counts once):
 *
 *   P A0 P A1 P A0w P A0 P A2w P A0 A1  (P A0 P A1) x 3  P A2 P1 A0 P1 P2 A0 P2 M
 *
 * — a load from page D by code on page P is "P D P" (the next instruction
 * is fetched from P again), the load from P itself adds nothing, the AMO
 * writes A2, the misaligned load reads the end of A0 and the start of A1,
 * the last instruction of P is a load (A2) followed by code on P1, and a
 * 32-bit load straddles P1 and P2 (its bytes are fetched from both, then
 * it reads A0).  Without fetches (--data-only) the load from P is a data
 * reference like any other, and a load right after a store to the same
 * page adds nothing:
 *
 *   A0 A1 A0w P A2w A0 A1 A0 A1 A0 A1 A0 A1 A2 A0
 *
 * (This is the rv32imac build; the rv32im one has no AMO and no 2-byte
 * instructions, so no straddling.)
 * The program prints the pages' addresses for the test.
 */
#include <stdint.h>
#include <stdio.h>

#define PAGE 4096

static uint8_t area[3 * PAGE] __attribute__((aligned(PAGE)));

void refpattern(uint8_t *a, unsigned loops);

__asm__(
"    .pushsection .text.refpattern, \"ax\", @progbits\n"
"    .balign 4096\n"
"    .globl refpattern\n"
"    .type refpattern, @function\n"
"refpattern:\n"                         /* a0 = area, a1 = loops; page P */
"    .option push\n"
"    .option norvc\n"
"    lw     t0, 0(a0)\n"                 /* A0 */
"    lui    t2, 1\n"                     /* t2 = 4096 */
"    add    t3, a0, t2\n"                /* t3 = A1 */
"    lw     t0, 0(t3)\n"                 /* A1 */
"    sw     t0, 8(a0)\n"                 /* A0, written */
"    lw     t0, 12(a0)\n"                /* A0 */
"    auipc  t4, 0\n"
"    lw     t0, 0(t4)\n"                 /* P itself: nothing new */
"    add    t5, t3, t2\n"                /* t5 = A2 */
#ifdef __riscv_atomic
"    amoadd.w t0, t2, (t5)\n"            /* A2, written */
#else
"    lw     t0, 0(t5)\n"                 /* (rv32im: no atomics) */
"    sw     t0, 0(t5)\n"
#endif
"    lw     t0, -2(t3)\n"                /* A0 and A1: across the boundary */
"1:  lw     t0, 0(a0)\n"                 /* A0 */
"    lw     t0, 0(t3)\n"                 /* A1 */
"    addi   a1, a1, -1\n"
"    bnez   a1, 1b\n"
"    j      2f\n"
"    .org   refpattern + 4092\n"
"2:  lw     t0, 0(t5)\n"                 /* A2: the last instruction of P */
"    lw     t0, 4(a0)\n"                 /* A0, from P1 */
#ifdef __riscv_compressed
"    j      3f\n"
"    .org   refpattern + 8188\n"
"    .option rvc\n"
"3:  c.nop\n"                            /* at 8188: two bytes */
"    .option norvc\n"
"    lw     t0, 8(a0)\n"                 /* at 8190: straddles P1 and P2; A0 */
#else
"    j      3f\n"                        /* (rv32im: no 2-byte instructions, no straddling) */
"    .org   refpattern + 8188\n"
"3:  lw     t0, 8(a0)\n"
"    .org   refpattern + 8192\n"
#endif
"    ret\n"                              /* from P2 */
"    .option pop\n"
"    .size refpattern, . - refpattern\n"
"    .popsection\n");

int main(void)
{
    uintptr_t p = (uintptr_t)refpattern, a = (uintptr_t)area;
    printf("code %08lx %08lx %08lx area %08lx %08lx %08lx\n", (unsigned long)p,
           (unsigned long)p + PAGE, (unsigned long)p + 2 * PAGE, (unsigned long)a,
           (unsigned long)a + PAGE, (unsigned long)a + 2 * PAGE);
    refpattern(area, 3);
    printf("done\n");
    return 0;
}
