/* hello — the smallest vmlab guest: print a greeting and the arguments.
 *
 * Every guest starts in _start (lib/crt0.S), which finds argc and argv on
 * the initial stack the kernel built and calls main.  printf is picolibc's;
 * vmlab's OS layer (lib/stdio.c) buffers stdout and hands the bytes to the
 * kernel with write(): one call per line on a terminal, one at exit into a
 * pipe or a file.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello, world!  This is a RISC-V program talking to you through write().\n");
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    return 0;
}
