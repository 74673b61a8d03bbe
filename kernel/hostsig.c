/* kernel/hostsig.c — signals from outside the emulated process: the
 * terminal's Ctrl-C (SIGINT) and Ctrl-\ (SIGQUIT), kill(1) from another
 * shell (SIGTERM, SIGHUP, SIGUSR1, SIGUSR2).  As under qemu-user, vmlab
 * catches them in itself (cli/host.c installs the host handlers) and the
 * guest gets them: its handler runs, or their default action ends it.
 *
 * The host handler only notes the signal (hostsig_arrived: an atomic OR
 * and a byte down a pipe, both async-signal-safe).  The run loop takes
 * what came at an instruction boundary: the CPU runs in slices of at most
 * TIMEOUT_SLICE instructions while forwarding is on (a few milliseconds),
 * and a host call that waits (a read of the terminal, the scheduler's
 * poll, a pause) returns EINTR, or polls the pipe.  Linux's restart rules
 * then apply (kernel/syscall.c, -ERESTARTSYS).
 */
#include "kernel/hostsig.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "kernel/proc.h"
#include "kernel/signal.h"

uint32_t hostsig_pending;                /* bit n-1: Linux signal n came */
static int codes[33], pids[33];          /* its si_code and si_pid */
static int wake_pipe[2] = { -1, -1 };

int hostsig_init(void)
{
    if (wake_pipe[0] >= 0)
        return 0;
    if (pipe(wake_pipe) != 0)
        return -errno;
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(wake_pipe[i], F_GETFL);
        if (fl < 0 || fcntl(wake_pipe[i], F_SETFL, fl | O_NONBLOCK) != 0 ||
            fcntl(wake_pipe[i], F_SETFD, FD_CLOEXEC) != 0) {
            int e = errno;
            close(wake_pipe[0]);
            close(wake_pipe[1]);
            wake_pipe[0] = wake_pipe[1] = -1;
            return -e;
        }
    }
    return 0;
}

void hostsig_arrived(int sig, int code, int pid)
{
    if (sig < 1 || sig > 32)
        return;
    int saved = errno;                   /* a handler must leave errno alone */
    codes[sig] = code;
    pids[sig] = pid;
    __atomic_fetch_or(&hostsig_pending, 1u << (sig - 1), __ATOMIC_SEQ_CST);
    if (wake_pipe[1] >= 0) {
        char c = 0;
        ssize_t r = write(wake_pipe[1], &c, 1);   /* full: a byte is there already */
        (void)r;
    }
    errno = saved;
}

int hostsig_fd(void)
{
    return wake_pipe[0];
}

bool hostsig_drain(void)
{
    char buf[64];
    while (wake_pipe[0] >= 0 && read(wake_pipe[0], buf, sizeof buf) > 0)
        ;
    return hostsig_waiting();
}

bool hostsig_take(struct proc *p)
{
    hostsig_drain();
    uint32_t m = __atomic_exchange_n(&hostsig_pending, 0, __ATOMIC_SEQ_CST);
    for (int sig = 1; sig <= 32; sig++)
        if (m >> (sig - 1) & 1) {
            struct ksiginfo si = { .signo = sig, .code = codes[sig], .pid = pids[sig] };
            FILE *t = proc_trace(p, TRACE_SIGNAL);
            if (t)
                fprintf(t, "[signal] %s from outside (pid %d, si_code %d) -> the guest\n",
                        sig_name(sig), pids[sig], codes[sig]);
            sig_send(p, &si);
        }
    return m != 0;
}
