/* cli/host.c — see host.h. */
#include "cli/host.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

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

static void on_alarm(int sig)
{
    (void)sig;                     /* only here so that blocking calls return EINTR */
}

int host_arm_timeout(unsigned long long ms)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;      /* no SA_RESTART: a blocked read returns EINTR */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0)
        return -errno;
    struct itimerval it = {
        .it_interval = { .tv_sec = 0, .tv_usec = 100000 },
        .it_value = { .tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)(ms % 1000) * 1000 },
    };
    if (!it.it_value.tv_sec && !it.it_value.tv_usec)
        it.it_value.tv_usec = 1;
    return setitimer(ITIMER_REAL, &it, NULL) ? -errno : 0;
}
