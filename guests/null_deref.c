/* null_deref — storing through a NULL pointer.
 *
 * main() asks enter_score() to record a score; enter_score() looks the
 * player up, finds nobody, and passes the "no record" pointer, NULL, on to
 * save_score(), which stores into r->score without checking.
 *
 * NULL is address 0, and `score` sits 4 bytes into the record, so the
 * store goes to address 0x00000004.  Nothing is mapped there: the first
 * segment (the program's code) starts at 0x00010000, and the pages below
 * it belong to no segment at all, precisely so that a NULL pointer (plus a
 * small field offset) always faults.  What happens next:
 *
 *   1. the MMU finds no valid page-table entry for 0x00000004 and the CPU
 *      raises a store page fault (scause 15, stval 0x4);
 *   2. the kernel looks for a segment containing 0x4, finds none, and
 *      sends SIGSEGV with si_code SEGV_MAPERR ("address not mapped");
 *   3. the program has no handler, so the default action runs: the
 *      kernel writes a core file and the process dies.  The shell says
 *      "Segmentation fault (core dumped)"; the exit status is 128 + 11 = 139.
 *
 * Then look at the corpse:
 *     vmlab run build/guests/null_deref
 *     vmlab inspect core.null_deref.*      (the signal, the cause in words,
 *                                           the backtrace main -> enter_score
 *                                           -> save_score)
 *     gdb-multiarch build/guests/null_deref core.null_deref.*   then: bt
 *
 * Why `volatile`: storing through NULL is undefined behaviour in C, so a
 * compiler that can see the pointer is NULL may drop the store or replace
 * it with a trap instruction.  The pointer is read from a volatile
 * variable, which hides its value, so the real store instruction runs.
 */
#include <stdint.h>
#include <stdio.h>

#define NOINLINE __attribute__((noinline, noipa))

struct record {
    int id;                             /* offset 0 */
    int score;                          /* offset 4 */
};

/* The "table" of known players is empty: every lookup answers NULL.
 * volatile: the compiler must not assume what it holds. */
static struct record *volatile found_player = NULL;

NOINLINE static int save_score(struct record *r, int score)
{
    printf("  save_score: storing %d into r->score, at address 0x%08lx\n", score,
           (unsigned long)(uintptr_t)&r->score);
    printf("  (this is the store that faults)\n");
    r->score = score;
    printf("  not reached: the store succeeded?!\n");
    return r->id;
}

NOINLINE static void enter_score(const char *name, int score)
{
    struct record *r = found_player;

    printf("  enter_score: looked up \"%s\" and got r = 0x%08lx (NULL: no such player),\n"
           "  but passes it on without checking\n", name, (unsigned long)(uintptr_t)r);
    printf("  not reached: back in enter_score with id %d\n", save_score(r, score));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);   /* even into a pipe: a buffer dies with the process */
    printf("null_deref: writing through a NULL pointer\n\n");
    printf("A NULL pointer is address 0.  The lowest pages of the address space\n"
           "belong to no segment (the code starts at 0x00010000), so any access\n"
           "near address 0 makes the MMU fault and the kernel send SIGSEGV\n"
           "with si_code SEGV_MAPERR: no mapping at that address.\n\n");
    printf("main calls enter_score(\"ada\", 42):\n");
    enter_score("ada", 42);
    printf("not reached\n");
    return 0;
}
