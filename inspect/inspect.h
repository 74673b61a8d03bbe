/* inspect/inspect.h — explaining vmlab core files (`vmlab inspect`). */
#ifndef VMLAB_INSPECT_INSPECT_H
#define VMLAB_INSPECT_INSPECT_H

#include <stdbool.h>
#include <stdio.h>

struct inspect_options {
    const char *core;             /* the core file */
    const char *elf;              /* --elf PROGRAM, or NULL: found from the core */
    bool        json;             /* --json: one JSON object instead of text */
    bool        live;             /* the core is a snapshot of a process a debugger
                                   * stopped (gdb's monitor explain): the text says
                                   * "is stopped by", and leaves out what the
                                   * debugger shows (registers, backtrace, maps,
                                   * memory) */
};

/* Write the report on o->core to out, and any error as one line to errf.
 * Returns 0, or 1 for a missing, truncated, corrupt or foreign core or an
 * unusable program file. */
int inspect_report(FILE *out, FILE *errf, const struct inspect_options *o);

#endif
