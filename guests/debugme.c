/* debugme — a small program to practise gdb on: vmlab run --gdb PORT.
 *
 *     vmlab run --gdb 1234 build/guests/debugme &
 *     gdb-multiarch build/guests/debugme -ex 'target remote :1234'
 *     (gdb) break square          stop each time square() is called
 *     (gdb) continue
 *     (gdb) bt                    main -> add_up -> square
 *     (gdb) finish                back in add_up, with square's answer
 *     (gdb) print total           a local of add_up
 *     (gdb) watch counter         stop at the store that changes the global
 *     (gdb) set var limit = 5     the program then sums 1..5 instead
 *     (gdb) monitor walk &counter ... (monitor help lists what vmlab adds)
 *
 * add_up(n) sums the squares 1..n and counts, in the global `counter`, how
 * many it added; main prints the sum.  Nothing here is clever: every
 * function is kept out of line so that breakpoints and `finish` have
 * something to stop in.
 */
#include <stdio.h>

#define NOINLINE __attribute__((noinline, noipa))

int counter;                           /* in bss: how many squares were added */
int limit = 3;                         /* in data: how far add_up goes */

NOINLINE int square(int v)
{
    int sq = v * v;
    return sq;
}

NOINLINE int add_up(int n)
{
    int total = 0;
    for (int i = 1; i <= n; i++) {
        total += square(i);
        counter++;
    }
    return total;
}

int main(void)
{
    int result = add_up(limit);
    printf("sum of the squares 1..%d = %d (%d added)\n", limit, result, counter);
    return 0;
}
