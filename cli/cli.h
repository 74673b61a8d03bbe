/* cli/cli.h — the vmlab command line: one file per command (cli/run.c,
 * cli/view.c, cli/inspect.c, cli/cc.c, ...), and the option parsing they share
 * (cli/options.c): sizes, --perm, --trace and every other run option.
 *
 * The command line is the top room: it may include anything below it, and
 * nothing below includes it.  It turns argv into option structs, creates
 * the process, hands it to whatever drives it (proc_run, the window, ...),
 * and prints what a shell prints when it ends. */
#ifndef VMLAB_CLI_CLI_H
#define VMLAB_CLI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/proc.h"

struct gdb_server;

#define VMLAB_VERSION "0.1.0"

/* The whole usage text (vmlab --help). */
void cli_usage(FILE *out);
/* The commands alone, and where the options are (vmlab with no command). */
void cli_usage_short(FILE *out);

/* "64M", "4096", "1G", "8k", "64KiB", "0x1000" -> bytes: decimal unless 0x,
 * no sign or blanks.  Returns 0 or -EINVAL. */
int cli_parse_size(const char *s, uint64_t *out);

/* "syscall,fault" -> TRACE_* bits.  Returns 0 or -EINVAL. */
int cli_parse_trace(const char *s, unsigned *out);

/* Everything the run options set: the kernel's options, what to print at
 * exit, and the --perm rules to apply once the process exists. */
#define CLI_MAX_PERMS 32
struct run_setup {
    struct proc_options po;
    bool        stats, maps;
    const char *perms[CLI_MAX_PERMS];
    int         nperms;
    const char *gdb;                        /* --gdb PORT or HOST:PORT, or NULL */
};

/* Option codes handed to a command's own handler start here; the shared
 * run options use the codes below it. */
#define CLI_OPT_COMMAND 512

/* A command built on the run options (run, view, ...). */
struct run_command {
    const char *name;                       /* "run", "view" */
    const struct option *extra;             /* its own options, {0} terminated, or NULL */
    /* Handle one of `extra` (code >= CLI_OPT_COMMAND).  Returns 0, or an
     * exit status after printing one error line. */
    int (*option)(void *ctx, int code, const char *arg);
    /* After parsing, before the process is made: check the combination.
     * Returns 0 or an exit status (message printed).  May be NULL. */
    int (*check)(void *ctx);
    /* Run the process to its end; returns the shell status.  gdb is the
     * debugger's session (--gdb: it has attached, nothing has run yet) or
     * NULL.  NULL drive: proc_run, after the gdb session if there is one. */
    int (*drive)(void *ctx, struct proc *p, struct gdb_server *gdb);
    /* Called instead of the "no PROGRAM" error when argv names none (NULL:
     * that error).  Returns the exit status. */
    int (*no_program)(void *ctx);
    void *ctx;
};

/* Parse argv (argv[0] is the command name) into rs and the command's own
 * options, create the process for PROGRAM ARGS..., apply --perm, drive it,
 * then print the shell's death message, --maps and --stats.  Returns the
 * exit status: the program's, 128+signal, 2 for a bad option, 126 when the
 * program cannot be loaded. */
int cli_run_command(int argc, char **argv, const struct run_command *cmd);

/* --gdb: listen on spec, say on stderr how to attach gdb to `program`,
 * wait for it, and add the monitor commands that need the rest of vmlab
 * (explain).  Returns the session, or NULL after one error line (then the
 * exit status is 2). */
struct gdb_server *cli_gdb_start(const char *spec, struct proc *p, const char *program);

/* The commands. */
int cmd_run(int argc, char **argv);
int cmd_view(int argc, char **argv);       /* cli/view.c or cli/view_window.c */
int cmd_inspect(int argc, char **argv);
int cmd_cc(int argc, char **argv);         /* cli/cc.c: becomes gcc */
int cmd_paging(int argc, char **argv);     /* cli/paging.c */

/* The inspect command writing to chosen streams (for tests). */
int cmd_inspect_streams(FILE *out, FILE *errf, int argc, char **argv);

#endif
