/* exec_stack — running machine code that sits on the stack.
 *
 * make_and_run() copies the encodings of a tiny function,
 *
 *     li  a0, 42      0x02a00513   (addi a0, zero, 42)
 *     ret             0x00008067   (jalr zero, 0(ra))
 *
 * into a local array (so onto the stack), and then calls the array as if it
 * were a function.  The bytes are perfectly good instructions; whether they
 * may run is a question of page permissions.
 *
 * The stack is mapped rw-: data may be read and written there, but the X
 * bit of its pages is 0 (the ELF file asks for that with PT_GNU_STACK).  So
 * the very first fetch from the array raises an instruction page fault;
 * the kernel finds the address inside the stack segment, which forbids
 * executing, and sends SIGSEGV with si_code SEGV_ACCERR; si_addr is the
 * address of the array (= the pc).  The process dies with exit status 139.
 *
 * This "no execute" rule (NX, W^X) is what stops the classic attack that
 * overflows a buffer on the stack with machine code and jumps into it.
 *
 * Now allow it and run the program again:
 *     vmlab run --perm stack=rwx build/guests/exec_stack
 * The call works, returns 42, and the program exits with status 0.
 * (`fence.i` before the call tells the CPU that memory it may fetch
 * instructions from has just been written.)
 */
#include <stdint.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline, noipa))

static const uint32_t forty_two[] = {
    0x02a00513,                         /* li  a0, 42 */
    0x00008067,                         /* ret        */
};
#define NWORDS (sizeof forty_two / sizeof forty_two[0])

NOINLINE static int make_and_run(void)
{
    uint32_t code[NWORDS];              /* on the stack */
    int (*fn)(void) = (int (*)(void))(uintptr_t)code;
    int result;

    for (unsigned i = 0; i < NWORDS; i++)
        code[i] = forty_two[i];
    __asm__ volatile(".option push\n\t.option arch, +zifencei\n\t"
                     "fence.i\n\t.option pop" : : : "memory");

    printf("  copied %u instruction words into a local array at 0x%08lx (the stack)\n",
           (unsigned)NWORDS, (unsigned long)(uintptr_t)code);
    printf("  calling it: the CPU now fetches instructions from a stack page\n");
    printf("  (stack pages are rw-, not executable: expect SIGSEGV, SEGV_ACCERR, exit 139)\n");
    result = fn();
    printf("  the call returned %d: the stack was executable\n", result);
    return result;
}

int main(void)
{
    int r;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* even into a pipe: a buffer dies with the process */
    printf("exec_stack: running code that was copied onto the stack\n\n");
    printf("The stack holds data (locals, return addresses), so its pages are\n"
           "mapped readable and writable but not executable.\n\n");
    printf("main calls make_and_run():\n");
    r = make_and_run();
    printf("make_and_run() gave %d, so the code on the stack ran.\n", r);
    return r == 42 ? 0 : 1;
}
