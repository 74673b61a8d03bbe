/* cli/run.c — `vmlab run [OPTIONS] PROGRAM [ARGS...]`: run a guest to its
 * end with the shared run options (cli/options.c). */
#include "cli/cli.h"

#include "cli/view_options.h"

/* The view's own options are known here only to say where they belong. */
static int run_option(void *ctx, int code, const char *arg)
{
    (void)ctx;
    (void)arg;
    fprintf(stderr, "vmlab run: --%s is an option of vmlab view\n", view_option_name(code));
    return 2;
}

int cmd_run(int argc, char **argv)
{
    const struct run_command cmd = {
        .name = "run", .extra = view_options, .option = run_option,
    };
    return cli_run_command(argc, argv, &cmd);
}
