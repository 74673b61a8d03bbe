/* cli/view_window.c — `vmlab view [OPTIONS] PROGRAM [ARGS...]` in
 * build/vmlab-view: the run options plus --snapshot and --at-*, and the
 * process driven by the window (view/view.h). */
#include "cli/cli.h"

#include <time.h>

#include "cli/view_options.h"
#include "gdb/server.h"
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

/* gdb drives the run, about ms milliseconds per frame of the window. */
static bool drive_gdb(void *ctx, int ms)
{
    struct gdb_server *g = ctx;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        long spent = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
        if (spent >= ms)
            return true;
        gdb_wait_limit(g, (int)(ms - spent));    /* a read of stdin waits a frame at most */
        if (!gdb_poll(g, gdb_running(g) ? 0 : (int)(ms - spent)))
            return false;
    }
}

static int view_drive(void *ctx, struct proc *p, struct gdb_server *gdb)
{
    struct view_options *vo = ctx;
    vo->title = p->comm;
    if (gdb) {
        if (!vo->snapshot && (vo->at_insn || vo->at_fault || vo->at_exit)) {
            fprintf(stderr, "vmlab view: --at-* is not used with --gdb: gdb says where the "
                    "run goes\n");
            vo->at_insn = 0;
            vo->at_fault = vo->at_exit = false;
        }
        if (vo->snapshot) {                   /* no window: gdb alone, then the picture */
            gdb_serve(gdb);
        } else {
            vo->drive = drive_gdb;
            vo->drive_ctx = gdb;
            vo->driver = "gdb";
        }
    }
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
