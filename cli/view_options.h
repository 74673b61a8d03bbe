/* cli/view_options.h — the options only `vmlab view` takes (--snapshot,
 * --at-*), shared by cli/view_window.c, which handles them, and
 * cli/run.c, which names them in its error. */
#ifndef VMLAB_CLI_VIEW_OPTIONS_H
#define VMLAB_CLI_VIEW_OPTIONS_H

#include <getopt.h>

#include "cli/cli.h"

enum { VO_SNAP = CLI_OPT_COMMAND, VO_AT_INSN, VO_AT_FAULT, VO_AT_EXIT };

static const struct option view_options[] = {
    { "snapshot", required_argument, 0, VO_SNAP },
    { "at-insn", required_argument, 0, VO_AT_INSN },
    { "at-fault", no_argument, 0, VO_AT_FAULT },
    { "at-exit", no_argument, 0, VO_AT_EXIT },
    { 0, 0, 0, 0 },
};

static inline const char *view_option_name(int code)
{
    for (const struct option *o = view_options; o->name; o++)
        if (o->val == code)
            return o->name;
    return "?";
}

#endif
