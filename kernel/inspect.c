/* kernel/inspect.c — placeholder replaced by the real inspector below. */
#include "kernel/inspect.h"
#include <stdio.h>
int inspect_main(int argc, char **argv)
{
    (void)argc; (void)argv;
    fprintf(stderr, "vmlab inspect: not built yet\n");
    return 1;
}
