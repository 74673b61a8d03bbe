/* cli/inspect.c — `vmlab inspect CORE [--elf PROGRAM] [--json]`: explain a
 * core file (inspect/inspect.h). */
#include "cli/cli.h"

#include <string.h>

#include "inspect/inspect.h"

static int usage_error(FILE *errf, const char *what, const char *arg)
{
    fprintf(errf, "vmlab inspect: %s%s%s (usage: vmlab inspect CORE [--elf PROGRAM] [--json])\n",
            what, arg ? " " : "", arg ? arg : "");
    return 2;
}

/* Returns 0, 1 (core or --elf file unusable) or 2 (usage). */
int cmd_inspect_streams(FILE *out, FILE *errf, int argc, char **argv)
{
    struct inspect_options o = { 0 };
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) {
            o.json = true;
        } else if (!strcmp(a, "--elf")) {
            if (i + 1 >= argc)
                return usage_error(errf, "--elf needs a PROGRAM", NULL);
            o.elf = argv[++i];
        } else if (!strncmp(a, "--elf=", 6)) {
            o.elf = a + 6;
        } else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs("Usage: vmlab inspect CORE [--elf PROGRAM] [--json]\n"
                  "Explain a core file: the signal and its cause, the faulting instruction,\n"
                  "registers, backtrace, memory map, Sv32 walk and the bytes near the fault.\n"
                  "  --elf PROGRAM  the program that crashed (default: the path in the core)\n"
                  "  --json         the same report as one JSON object\n", out);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            return usage_error(errf, "unknown option", a);
        } else if (o.core) {
            return usage_error(errf, "more than one CORE given:", a);
        } else {
            o.core = a;
        }
    }
    if (!o.core)
        return usage_error(errf, "no CORE given", NULL);
    return inspect_report(out, errf, &o);
}

int cmd_inspect(int argc, char **argv)
{
    return cmd_inspect_streams(stdout, stderr, argc, argv);
}
