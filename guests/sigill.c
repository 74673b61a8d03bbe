/* sigill — executing something that is not an instruction.
 *
 * The CPU fetches whatever bytes the pc points at and tries to decode
 * them.  The RISC-V spec reserves the all-zero pattern as an illegal
 * instruction on purpose (zeroed memory is a common thing to jump into
 * by mistake), so decoding it raises an illegal-instruction exception
 * (scause 2).  The kernel turns that into SIGILL with si_code ILL_ILLOPC
 * and si_addr = the pc; with no handler the process dies:
 * "Illegal instruction (core dumped)", exit status 128 + 4 = 132.
 *
 * The page is fine here (text is r-x, so the fetch is allowed): this is
 * not a memory-protection fault but a decoding one.  Compare null_deref
 * (SIGSEGV: no page) and write_text (SIGSEGV: page forbids the access).
 *
 *     vmlab run --trace fault,signal build/guests/sigill
 *     vmlab inspect core.sigill.*
 */
#include <stdio.h>

#define NOINLINE __attribute__((noinline, noipa))

NOINLINE static void run_garbage(void)
{
    printf("  run_garbage: the next 4 bytes of code are 00 00 00 00\n");
    /* .4byte puts raw data in the instruction stream: the assembler
     * does not check it, the CPU will. */
    __asm__ volatile(".4byte 0x00000000");
    printf("  not reached: the zero word executed?!\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* even into a pipe: a buffer dies with the process */
    printf("sigill: the CPU meets a bit pattern that is not an instruction\n\n");
    printf("All-zero bits are defined to be an illegal instruction, so running\n"
           "into zeroed memory stops at once.  Expect SIGILL (ILL_ILLOPC) and\n"
           "exit status 132.\n\n");
    printf("main calls run_garbage():\n");
    run_garbage();
    printf("not reached\n");
    return 0;
}
