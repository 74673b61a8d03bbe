/* cli/main.c — `vmlab COMMAND ...`: the usage text and the dispatch to one
 * file per command (cli/run.c, cli/view.c, cli/inspect.c, cli/cc.c). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/host.h"

int main(int argc, char **argv)
{
    /* A closed pipe is the guest's business: its write gets EPIPE and the
     * guest gets SIGPIPE, as on Linux; vmlab itself must not die of it. */
    host_note_inherited();          /* before vmlab changes a disposition */
    host_ignore_sigpipe();
    if (argc < 2) {
        cli_usage_short(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    static const char *const commands[] = { "run", "view", "inspect", "cc", "paging" };
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        /* `vmlab help run`: one usage text covers every command */
        bool known = argc < 3;
        for (size_t i = 0; !known && i < sizeof commands / sizeof *commands; i++)
            known = !strcmp(argv[2], commands[i]);
        if (!known || argc > 3) {
            fprintf(stderr, "vmlab: %s takes at most a command name (run, view, inspect, cc, "
                    "paging), not '%s'\n", cmd, argv[known ? 3 : 2]);
            return 2;
        }
        cli_usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("vmlab %s (RV32IMAC, Sv32, Linux RV32 user ABI)\n", VMLAB_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "view"))
        return cmd_view(argc - 1, argv + 1);
    if (!strcmp(cmd, "inspect"))
        return cmd_inspect(argc - 1, argv + 1);
    if (!strcmp(cmd, "cc"))
        return cmd_cc(argc - 1, argv + 1);
    if (!strcmp(cmd, "paging"))
        return cmd_paging(argc - 1, argv + 1);
    fprintf(stderr, "vmlab: unknown command '%s' (expected run, view, inspect, cc, paging; see vmlab --help)\n", cmd);
    return 2;
}
