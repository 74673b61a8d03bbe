/* cli/host.c — see host.h. */
#include "cli/host.h"

#include <signal.h>

void host_ignore_sigpipe(void)
{
    signal(SIGPIPE, SIG_IGN);
}
