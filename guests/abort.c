/* abort — a program that gives up on purpose.
 *
 * abort() sends the process SIGABRT (here with tgkill, like glibc's
 * raise()).  SIGABRT's default action is "terminate and dump core", the
 * same as SIGSEGV's, so the process dies with "Aborted (core dumped)" and
 * exit status 128 + 6 = 134.  Unlike a segmentation fault, nothing went
 * wrong in the hardware: the program itself decided that continuing would
 * be worse than stopping.  That is what a failed assert() does, and what
 * our malloc does when free() is handed a bad pointer or the same block
 * twice (see lib/malloc.c).
 *
 * The core file still records where the program stopped:
 *     vmlab run build/guests/abort
 *     vmlab inspect core.abort.*         (SIGABRT, sent by the process
 *                                         itself: si_code SI_TKILL)
 *     gdb-multiarch build/guests/abort core.abort.*    then: bt
 * The backtrace shows main -> check_balance -> abort -> raise.
 */
#include <stdio.h>
#include <stdlib.h>

#define NOINLINE __attribute__((noinline, noipa))

/* volatile: keep the compiler from working out the answer in advance. */
static volatile int deposits = 120, withdrawals = 150;

NOINLINE static void check_balance(void)
{
    int balance = deposits - withdrawals;

    printf("  check_balance: deposits %d - withdrawals %d = balance %d\n",
           deposits, withdrawals, balance);
    if (balance < 0) {
        printf("  a balance can never be negative: this is a bug, so stop now\n");
        printf("  calling abort() -> SIGABRT -> \"Aborted (core dumped)\", exit status 134\n");
        abort();
    }
    printf("  balance is fine\n");
}

int main(void)
{
    printf("abort: a program that stops itself with abort()\n\n");
    printf("When a program finds that one of its own rules is broken, the safest\n"
           "move is often to stop at once and leave a core file for debugging.\n"
           "That is what abort() does (and assert() when its condition is false).\n\n");
    printf("main calls check_balance():\n");
    check_balance();
    printf("not reached\n");
    return 0;
}
