/* libc_lines — how many write calls output takes: line-buffered stdout
 * (as on a terminal) writes once per call that ends lines, unbuffered
 * stderr once per call; checked with vmlab run --trace syscall. */
#include <stdio.h>

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("one line: %d %s %.1f\n", 1, "printf", 1.5);       /* write #1 */
    printf("two lines\nin one printf\n");                     /* write #2 */
    printf("no newline yet: ");                               /* nothing */
    puts("puts ends it");                                     /* write #3 */
    fputs("fputs line\n", stdout);                            /* write #4 */
    fprintf(stderr, "stderr: %s %d\n", "one call", 1);        /* write #5, fd 2 */
    fputs("stderr fputs\n", stderr);                          /* write #6, fd 2 */
    return 0;
}
