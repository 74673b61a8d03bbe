/* inspect/inspect.h — reading vmlab core files back and explaining them. */
#ifndef VMLAB_INSPECT_INSPECT_H
#define VMLAB_INSPECT_INSPECT_H

#include <stdio.h>

/* `vmlab inspect CORE [--elf PROGRAM] [--json]` (argv[0] is "inspect").
 * Returns the process exit status: 0, or 1 with one error line for a
 * missing, truncated, corrupt or foreign core. */
int inspect_main(int argc, char **argv);

/* The same, writing the report to out and error lines to errf (tests). */
int inspect_run(FILE *out, FILE *errf, int argc, char **argv);

#endif
