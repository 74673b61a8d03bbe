/* signal.c — sigaction and friends, raise and abort, signal names.
 *
 * The rt_sigaction record differs between Linux and qemu-riscv32 7.2
 * (PLATFORM.md §2.4, §7.1):
 *
 *     Linux:  +0 handler  +4 flags  +8 mask (8 bytes)             16 bytes
 *     qemu:   +0 handler  +4 flags  +8 restorer  +12 mask (8)      20 bytes
 *
 * No single record carries a non-zero mask that both read the same way, so
 * the OS layer always passes a 20-byte buffer whose mask words are all zero
 * (both read "empty mask"; qemu's extra word is harmless), and a 20-byte
 * buffer for the old action (qemu writes 20 bytes).  The same binary then
 * behaves identically under vmlab and qemu.
 *
 * A non-empty sa_mask is still honoured: such handlers are installed behind
 * a small trampoline (mask_trampoline) that blocks the mask with
 * sigprocmask before calling the real handler.  rt_sigreturn restores the
 * pre-signal mask either way.  Known limit: a signal in sa_mask that arrives
 * in the few instructions before the trampoline blocks it is not held back.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os.h"

#define KSIGSET_SIZE 8          /* rt_sig*: the kernel's sigset is 64 bits */

/* Word layout of the buffer passed to rt_sigaction (see above). */
enum { KSA_HANDLER, KSA_FLAGS, KSA_WORDS = 5 };

struct user_action {
    void *handler;              /* the program's handler */
    sigset_t mask;              /* its sa_mask (non-empty) */
    int flags;                  /* its sa_flags */
};

static struct user_action masked[NSIG];

static int sigset_empty(const sigset_t *s)
{
    return s->__bits[0] == 0 && s->__bits[1] == 0;
}

static void mask_trampoline(int sig, siginfo_t *si, void *uc)
{
    struct user_action *ua = &masked[sig];

    sigprocmask(SIG_BLOCK, &ua->mask, NULL);
    if (ua->flags & SA_SIGINFO)
        ((void (*)(int, siginfo_t *, void *))ua->handler)(sig, si, uc);
    else
        ((void (*)(int))ua->handler)(sig);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *oldact)
{
    unsigned long kact[KSA_WORDS] = {0}, kold[KSA_WORDS] = {0};
    struct user_action prev;
    long r;

    if (sig <= 0 || sig >= NSIG) {
        errno = EINVAL;
        return -1;
    }
    prev = masked[sig];
    if (act) {
        kact[KSA_HANDLER] = (unsigned long)act->sa_handler;
        kact[KSA_FLAGS] = (unsigned long)act->sa_flags;
        if (!sigset_empty(&act->sa_mask) && act->sa_handler != SIG_DFL &&
            act->sa_handler != SIG_IGN) {
            masked[sig].handler = (void *)act->sa_handler;
            masked[sig].mask = act->sa_mask;
            masked[sig].flags = act->sa_flags;
            kact[KSA_HANDLER] = (unsigned long)mask_trampoline;
            kact[KSA_FLAGS] |= SA_SIGINFO;
        }
    }
    r = __syscall4(SYS_rt_sigaction, sig, act ? kact : 0, oldact ? kold : 0, KSIGSET_SIZE);
    if (r < 0) {
        masked[sig] = prev;
        return (int)__vmlab_ret(r);
    }
    if (oldact) {
        memset(oldact, 0, sizeof *oldact);
        if (kold[KSA_HANDLER] == (unsigned long)mask_trampoline) {
            oldact->sa_handler = (void (*)(int))prev.handler;
            oldact->sa_mask = prev.mask;
            oldact->sa_flags = prev.flags;
        } else {
            oldact->sa_handler = (void (*)(int))kold[KSA_HANDLER];
            oldact->sa_flags = (int)kold[KSA_FLAGS];
        }
    }
    return 0;
}

/* BSD semantics, as glibc's signal(): the handler stays installed and
 * interrupted calls restart. */
sighandler_t signal(int sig, sighandler_t handler)
{
    struct sigaction sa, old;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    if (sigaction(sig, &sa, &old) < 0)
        return SIG_ERR;
    return old.sa_handler;
}

int siginterrupt(int sig, int flag)
{
    struct sigaction sa;

    if (sigaction(sig, NULL, &sa) < 0)
        return -1;
    if (flag)
        sa.sa_flags &= ~SA_RESTART;
    else
        sa.sa_flags |= SA_RESTART;
    return sigaction(sig, &sa, NULL);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oldset)
{
    return (int)__vmlab_ret(__syscall4(SYS_rt_sigprocmask, how, set, oldset, KSIGSET_SIZE));
}

int sigaltstack(const stack_t *ss, stack_t *old_ss)
{
    return (int)__vmlab_ret(__syscall2(SYS_sigaltstack, ss, old_ss));
}

int kill(pid_t pid, int sig)
{
    return (int)__vmlab_ret(__syscall2(SYS_kill, pid, sig));
}

int tgkill(pid_t tgid, pid_t tid, int sig)
{
    return (int)__vmlab_ret(__syscall3(SYS_tgkill, tgid, tid, sig));
}

/* Send sig to this thread; a handler runs before raise returns. */
int raise(int sig)
{
    return tgkill(getpid(), gettid(), sig);
}

/* Flush every stream, then die with SIGABRT.  If a handler returns, or the
 * signal is ignored or blocked, put back the default action, unblock it
 * and try again. */
void abort(void)
{
    struct sigaction sa;
    sigset_t set;

    __vmlab_stdio_flush_all();
    raise(SIGABRT);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGABRT, &sa, NULL);
    sigemptyset(&set);
    sigaddset(&set, SIGABRT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(SIGABRT);
    _exit(127);
}

/* ---- signal sets: bit (sig - 1) ------------------------------------------- */

int sigemptyset(sigset_t *set)
{
    set->__bits[0] = set->__bits[1] = 0;
    return 0;
}

int sigfillset(sigset_t *set)
{
    set->__bits[0] = set->__bits[1] = ~0UL;
    return 0;
}

static int sig_ok(int sig)
{
    if (sig <= 0 || sig >= NSIG) {
        errno = EINVAL;
        return 0;
    }
    return 1;
}

int sigaddset(sigset_t *set, int sig)
{
    if (!sig_ok(sig))
        return -1;
    set->__bits[(sig - 1) / 32] |= 1UL << ((sig - 1) % 32);
    return 0;
}

int sigdelset(sigset_t *set, int sig)
{
    if (!sig_ok(sig))
        return -1;
    set->__bits[(sig - 1) / 32] &= ~(1UL << ((sig - 1) % 32));
    return 0;
}

int sigismember(const sigset_t *set, int sig)
{
    if (!sig_ok(sig))
        return -1;
    return (set->__bits[(sig - 1) / 32] >> ((sig - 1) % 32)) & 1;
}

/* ---- names (picolibc's strsignal knows BSD's numbers, not Linux's) ---------- */

static const char *const sig_text[32] = {
    "Unknown signal 0", "Hangup", "Interrupt", "Quit", "Illegal instruction",
    "Trace/breakpoint trap", "Aborted", "Bus error", "Floating point exception",
    "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
    "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited",
    "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)",
    "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded",
    "File size limit exceeded", "Virtual timer expired", "Profiling timer expired",
    "Window changed", "I/O possible", "Power failure", "Bad system call",
};

char *strsignal(int sig)
{
    static char buf[32];

    if (sig >= 1 && sig < 32)
        return (char *)sig_text[sig];
    if (sig >= SIGRTMIN && sig <= SIGRTMAX)
        snprintf(buf, sizeof buf, "Real-time signal %d", sig - SIGRTMIN);
    else
        snprintf(buf, sizeof buf, "Unknown signal %d", sig);
    return buf;
}

void psignal(int sig, const char *msg)
{
    if (msg && *msg)
        fprintf(stderr, "%s: %s\n", msg, strsignal(sig));
    else
        fprintf(stderr, "%s\n", strsignal(sig));
}

void psiginfo(const siginfo_t *info, const char *msg)
{
    psignal(info->si_signo, msg);
}

/* ---- waiting for signals -------------------------------------------------------- */

int sigpending(sigset_t *set)
{
    return (int)__vmlab_ret(__syscall2(SYS_rt_sigpending, set, KSIGSET_SIZE));
}

/* Always -1: EINTR once a handler has run (or EFAULT). */
int sigsuspend(const sigset_t *mask)
{
    return (int)__vmlab_ret(__syscall2(SYS_rt_sigsuspend, mask, KSIGSET_SIZE));
}

int pause(void)
{
    sigset_t now;

    if (sigprocmask(SIG_BLOCK, NULL, &now) < 0)
        return -1;
    return sigsuspend(&now);
}

int sigtimedwait(const sigset_t *set, siginfo_t *info, const struct timespec *timeout)
{
    struct ktimespec k;

    if (timeout)
        __vmlab_ts_to_k(timeout, &k);
    return (int)__vmlab_ret(__syscall4(SYS_rt_sigtimedwait_time64, set, info,
                                       timeout ? &k : NULL, KSIGSET_SIZE));
}

int sigwaitinfo(const sigset_t *set, siginfo_t *info)
{
    return sigtimedwait(set, info, NULL);
}

/* POSIX: the error number is the result. */
int sigwait(const sigset_t *set, int *sig)
{
    int r;

    do
        r = sigtimedwait(set, NULL, NULL);
    while (r < 0 && errno == EINTR);
    if (r < 0)
        return errno;
    *sig = r;
    return 0;
}
