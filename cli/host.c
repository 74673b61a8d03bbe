/* cli/host.c — see host.h. */
#include "cli/host.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
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

/* Linux's numbers, which the host's may not be (they are on x86-64 and
 * aarch64 Linux) */
static const struct { int host, linux_sig; } forwarded[] = {
    { SIGHUP, 1 }, { SIGINT, 2 }, { SIGQUIT, 3 }, { SIGUSR1, 10 }, { SIGUSR2, 12 }, { SIGTERM, 15 },
};
/* Those whose inherited SIG_IGN the guest keeps: the forwarded ones and
 * the others a parent may ignore (SIGKILL and SIGSTOP cannot be). */
static const struct { int host, linux_sig; } inheritable[] = {
    { SIGHUP, 1 },   { SIGINT, 2 },   { SIGQUIT, 3 },  { SIGUSR1, 10 },  { SIGUSR2, 12 },
    { SIGPIPE, 13 }, { SIGALRM, 14 }, { SIGTERM, 15 }, { SIGCHLD, 17 },  { SIGTSTP, 20 },
    { SIGTTIN, 21 }, { SIGTTOU, 22 }, { SIGURG, 23 },  { SIGXCPU, 24 },  { SIGXFSZ, 25 },
    { SIGVTALRM, 26 }, { SIGPROF, 27 }, { SIGWINCH, 28 },
};
static unsigned inherited_ignored;

void host_note_inherited(void)
{
    inherited_ignored = 0;
    for (size_t i = 0; i < sizeof inheritable / sizeof *inheritable; i++) {
        struct sigaction old;
        if (sigaction(inheritable[i].host, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
            old.sa_handler == SIG_IGN)
            inherited_ignored |= 1u << (inheritable[i].linux_sig - 1);
    }
}

unsigned host_inherited_ignored(void)
{
    return inherited_ignored;
}
static void (*arrived_fn)(int, int, int);

static void on_forwarded(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
        if (forwarded[i].host == sig && arrived_fn)
            arrived_fn(forwarded[i].linux_sig, si ? si->si_code : 0, si ? (int)si->si_pid : 0);
}

int host_forward_signals(void (*arrived)(int sig, int code, int pid))
{
    arrived_fn = arrived;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_forwarded;
    sa.sa_flags = SA_SIGINFO;      /* no SA_RESTART: a blocked read returns EINTR */
    sigfillset(&sa.sa_mask);
    /* Caught even when vmlab was started with one ignored (nohup): the
     * guest starts with it ignored then (host_inherited_ignored), and
     * discards it as Linux would, unless it sets a handler of its own. */
    for (size_t i = 0; i < sizeof forwarded / sizeof *forwarded; i++)
        if (sigaction(forwarded[i].host, &sa, NULL) != 0)
            return -errno;
    return 0;
}

void host_die_of_sigint(void)
{
    fflush(NULL);
    signal(SIGINT, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    raise(SIGINT);
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
