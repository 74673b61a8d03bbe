/* cli/view.c — `vmlab view` in build/vmlab: start build/vmlab-view (beside
 * this program), which has SDL linked in; vmlab itself stays free of it so
 * `vmlab run` starts quickly.  vmlab-view links cli/view_window.c instead. */
#include "cli/cli.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli/host.h"

int cmd_view(int argc, char **argv)
{
    (void)argc;
    char self[4096];
    if (host_exe_dir(self, sizeof self - 16) != 0) {
        fprintf(stderr, "vmlab: cannot find my own path to start vmlab-view\n");
        return 1;
    }
    strcat(self, "/vmlab-view");
    /* argv[0] is "view": vmlab-view sees the same command line as vmlab. */
    char **full = argv - 1;
    full[0] = self;
    execv(self, full);
    fprintf(stderr, "vmlab: cannot run %s: %s (build it with make)\n", self, strerror(errno));
    return 1;
}
