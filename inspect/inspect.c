/* inspect/inspect.c — `vmlab inspect CORE [--elf PROGRAM] [--json]`:
 * explain a vmlab core file to a student.
 *
 * One report, two renderings.  inspect/report.c reads the core (with
 * inspect/coreread.c) and the program, and works out every fact the report
 * states into one struct report (inspect/report.h): the cause in words,
 * the faulting instruction, the registers, the backtrace with symbols and
 * lines, the memory map, the Sv32 walk, the bytes around the fault and the
 * top of the stack.  inspect/render.c then lays that out, as text in this
 * order
 *
 *   1 headline and cause     5 memory map (VMLAB note)
 *   2 faulting instruction   6 Sv32 walk of the faulting address
 *   3 registers              7 bytes around the fault, top of the stack
 *   4 backtrace
 *
 * or as the same facts in one JSON object.  How the program file is found
 * and how the backtrace is unwound is told at the top of report.c.
 */
#include "inspect/inspect.h"

#include <limits.h>
#include <stdlib.h>

#include "inspect/render.h"
#include "inspect/report.h"

int inspect_report(FILE *out, FILE *errf, const struct inspect_options *o)
{
    struct report *r = calloc(1, sizeof *r);
    char err[PATH_MAX + 600];
    int rc = 1;
    if (!r) {
        fprintf(errf, "vmlab inspect: %s: out of memory\n", o->core);
        return 1;
    }
    if (report_build(r, o->core, o->elf, err, sizeof err) != 0) {
        fprintf(errf, "vmlab inspect: %s\n", err);
        goto out_free;
    }
    if (o->json)
        render_json(out, r);
    else if (o->live)
        render_text_stopped(out, r);
    else
        render_text(out, r);
    fflush(out);
    rc = ferror(out) ? 1 : 0;
    if (rc)
        fprintf(errf, "vmlab inspect: %s: error writing the report\n", o->core);
out_free:
    report_free(r);
    free(r);
    return rc;
}
