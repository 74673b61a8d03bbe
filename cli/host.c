/* cli/host.c — see host.h. */
#include "cli/host.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

void host_ignore_sigpipe(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* A file past RLIMIT_FSIZE (a core, the swap file): the write fails
     * with EFBIG and vmlab says so, instead of dying of SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
}

int host_exe_dir(char *dir, size_t n)
{
    char *real = realpath("/proc/self/exe", NULL);
    if (!real)
        return -1;
    char *slash = strrchr(real, '/');
    size_t len = slash ? (size_t)(slash - real) : 0;
    int rc = -1;
    if (slash && len < n) {
        memcpy(dir, real, len);
        dir[len] = 0;
        rc = 0;
    }
    free(real);
    return rc;
}
