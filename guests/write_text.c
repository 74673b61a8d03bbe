/* write_text — the program tries to change its own machine code.
 *
 * answer() is a two-instruction function written in assembly below:
 *
 *     answer:  li  a0, 1        0x00100513   (addi a0, zero, 1)
 *              ret              0x00008067   (jalr zero, 0(ra))
 *
 * The immediate of `addi` lives in bits 31..20 of the instruction word, so
 * storing 0x00200513 over the first word would turn it into `li a0, 2`.
 * The program tries exactly that, with one ordinary 32-bit store.
 *
 * Code lives in the text segment, which the loader maps r-x: readable and
 * executable, but not writable.  The page is present and its page-table
 * entry is valid, only the W bit is 0, so the CPU raises a store page fault;
 * the kernel finds that the address IS inside a segment (text) that forbids
 * writing, and sends SIGSEGV with si_code SEGV_ACCERR ("invalid permissions
 * for mapped object"), not SEGV_MAPERR as for a NULL pointer.  The process
 * dies: "Segmentation fault (core dumped)", exit status 139.
 *
 * Keeping code read-only protects a program against its own bugs (a stray
 * pointer cannot corrupt the instructions) and against attackers who would
 * like to plant new instructions.
 *
 * Now make text writable and run it again:
 *     vmlab run --perm text=rwx build/guests/write_text
 * The store succeeds, the program reports it, and calling answer() again
 * returns 2: self-modifying code.  (The program cannot know about --perm;
 * it just tries.)  The `fence.i` after the store is the RISC-V way to say
 * "I changed instructions: fetch them again"; vmlab also notices the write
 * to a code page and throws away what it had decoded from it.
 */
#include <stdint.h>
#include <stdio.h>

int answer(void);

/* Fixed 4-byte encodings (norvc), so the word patched below is exactly
 * the `li` instruction on every build.  .balign 4: the store is aligned. */
__asm__(".pushsection .text\n"
        "    .balign 4\n"
        "    .globl answer\n"
        "    .type answer, @function\n"
        "answer:\n"
        "    .option push\n"
        "    .option norvc\n"
        "    li a0, 1\n"
        "    ret\n"
        "    .option pop\n"
        "    .size answer, . - answer\n"
        ".popsection\n");

#define LI_A0_IMM_SHIFT 20              /* I-type immediate: bits 31..20 */

extern char __text_start[], __text_end[];

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* even into a pipe: a buffer dies with the process */
    volatile uint32_t *code = (volatile uint32_t *)(uintptr_t)answer;
    uint32_t old = code[0];
    uint32_t patched = (old & ((1u << LI_A0_IMM_SHIFT) - 1)) | (2u << LI_A0_IMM_SHIFT);

    printf("write_text: a program that writes into its own code\n\n");
    printf("The text segment (0x%08lx-0x%08lx here) holds the machine code.\n"
           "It is mapped r-x: the CPU may read and execute it, not write it.\n\n",
           (unsigned long)__text_start, (unsigned long)__text_end);
    printf("answer() is at 0x%08lx and returns %d.\n", (unsigned long)(uintptr_t)code,
           answer());
    printf("Its first instruction word is 0x%08lx: li a0, 1\n", (unsigned long)old);
    printf("Storing 0x%08lx (li a0, 2) over it, at address 0x%08lx...\n",
           (unsigned long)patched, (unsigned long)(uintptr_t)code);
    printf("If text is read-only, as usual, this store faults: SIGSEGV with\n"
           "si_code SEGV_ACCERR (the page is there but forbids writing), exit 139.\n");

    code[0] = patched;

    /* Instruction fetch must see the new word (Zifencei). */
    __asm__ volatile(".option push\n\t.option arch, +zifencei\n\t"
                     "fence.i\n\t.option pop" : : : "memory");
    printf("the store succeeded: text was writable\n");
    printf("answer() now returns %d: the program changed its own code\n", answer());
    return 0;
}
