/* cli/host.c — see host.h. */
#include "cli/host.h"

#include <signal.h>

void host_ignore_sigpipe(void)
{
    signal(SIGPIPE, SIG_IGN);
    /* A file past RLIMIT_FSIZE (a core, the swap file): the write fails
     * with EFBIG and vmlab says so, instead of dying of SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
}
