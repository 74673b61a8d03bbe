/* cli/view_window.c — `vmlab view [OPTIONS] PROGRAM [ARGS...]` in
 * build/vmlab-view: the run options plus --snapshot and --at-*, and the
 * process driven by the window (view/view.h). */
#include "cli/cli.h"

#include "cli/view_options.h"
#include "view/view.h"

static int view_option(void *ctx, int code, const char *arg)
{
    struct view_options *vo = ctx;
    switch (code) {
    case VO_SNAP: vo->snapshot = arg; return 0;
    case VO_AT_FAULT: vo->at_fault = true; return 0;
    case VO_AT_EXIT: vo->at_exit = true; return 0;
    case VO_AT_INSN:
        if (cli_parse_size(arg, &vo->at_insn) || vo->at_insn == 0) {
            fprintf(stderr, "vmlab view: --at-insn %s: expected a positive number\n", arg);
            return 2;
        }
        return 0;
    default:
        return 2;
    }
}

static int view_check(void *ctx)
{
    const struct view_options *vo = ctx;
    if ((vo->at_insn != 0) + vo->at_fault + vo->at_exit > 1) {
        fprintf(stderr, "vmlab view: give only one of --at-insn, --at-fault, --at-exit\n");
        return 2;
    }
    return 0;
}

static int view_drive(void *ctx, struct proc *p)
{
    struct view_options *vo = ctx;
    vo->title = p->comm;
    return view_main(p, vo);
}

int cmd_view(int argc, char **argv)
{
    struct view_options vo = { 0 };
    const struct run_command cmd = {
        .name = "view", .extra = view_options, .option = view_option,
        .check = view_check, .drive = view_drive, .ctx = &vo,
    };
    return cli_run_command(argc, argv, &cmd);
}
