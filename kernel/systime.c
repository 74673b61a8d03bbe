/* kernel/systime.c — guest time: the clocks and sleeping.
 *
 * A sleeping guest does not sleep the host.  The guest's wall and
 * monotonic clocks are the host's plus every sleep the guest asked for
 * (p->clock_offset_ns), so a program that sleeps 5 s sees 5 s pass at
 * once — and a test or a demo does not wait.  --real-sleep makes the host
 * sleep instead (the offset then stays 0).  The CPU-time clocks are the
 * emulator's own CPU time; sleeping adds nothing to them, as on Linux.
 *
 * rv32 Linux has only the 64-bit-time calls (clock_gettime64 403,
 * clock_getres_time64 406, clock_nanosleep_time64 407): the 32-bit ones,
 * nanosleep (101) and gettimeofday (169) included, do not exist there, and
 * the C library builds nanosleep, sleep and gettimeofday on these
 * (docs/platform/libc-syscalls.md).
 */
#include "kernel/syscall_impl.h"

#include <errno.h>
#include <poll.h>
#include <time.h>

#include "kernel/hostsig.h"
#include "kernel/proc.h"
#include "kernel/vm.h"

#define NSEC_PER_SEC 1000000000LL

/* Linux clock ids 0..7 (linux/time.h) as host clocks, and whether the
 * guest's sleeps move them. */
static const struct { clockid_t host; bool slept; } clocks[] = {
    [0] = { CLOCK_REALTIME, true },           [1] = { CLOCK_MONOTONIC, true },
    [2] = { CLOCK_PROCESS_CPUTIME_ID, false }, [3] = { CLOCK_THREAD_CPUTIME_ID, false },
    [4] = { CLOCK_MONOTONIC_RAW, true },      [5] = { CLOCK_REALTIME_COARSE, true },
    [6] = { CLOCK_MONOTONIC_COARSE, true },   [7] = { CLOCK_BOOTTIME, true },
};
#define NCLOCKS (sizeof clocks / sizeof clocks[0])

int64_t sys_guest_ns(const struct proc *p, uint32_t id)
{
    struct timespec ts;
    clock_gettime(clocks[id].host, &ts);
    int64_t ns = (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
    return clocks[id].slept ? ns + p->clock_offset_ns : ns;
}

int64_t sys_sleep(struct proc *p, int64_t ns)
{
    if (ns <= 0)
        return 0;
    if (!p->opt.real_sleep) {
        p->clock_offset_ns += ns;
        return 0;
    }
    struct timespec req = { (time_t)(ns / NSEC_PER_SEC), (long)(ns % NSEC_PER_SEC) };
    while (clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &req) == EINTR) {
        if (proc_time_up(p))
            return 0;                          /* --timeout's timer: the run loop kills */
        if (p->opt.host_signals && hostsig_waiting()) {
            int64_t left = (int64_t)req.tv_sec * NSEC_PER_SEC + req.tv_nsec;
            return left > 0 ? left : 1;        /* a signal from outside, not taken yet */
        }
    }
    return 0;
}

int64_t sys_sleep_end(struct proc *p, int64_t ns)
{
    bool again = p->dbg.sleep_cut && p->dbg.sleep_pc == p->cpu.pc;
    p->dbg.sleep_cut = false;
    return again ? p->dbg.sleep_end : sys_guest_ns(p, 1) + ns;
}

long sys_sleep_cut(struct proc *p, int64_t end)
{
    p->dbg.sleep_cut = true;
    p->dbg.sleep_pc = p->cpu.pc;
    p->dbg.sleep_end = end;
    return -ERESTARTSYS;
}

int64_t sys_sleep_woken(struct proc *p, int64_t end)
{
    for (;;) {
        int64_t left = end - sys_guest_ns(p, 1);
        if (left <= 0 || proc_time_up(p))
            return 0;
        if (p->opt.host_signals && hostsig_waiting())
            return left;
        bool wake = p->dbg.wake_now;
        if (!wake) {
            struct pollfd pf[2];
            nfds_t n = 0;
            if (p->dbg.wake_fd >= 0)
                pf[n++] = (struct pollfd){ .fd = p->dbg.wake_fd, .events = POLLIN };
            if (p->opt.host_signals && hostsig_fd() >= 0)
                pf[n++] = (struct pollfd){ .fd = hostsig_fd(), .events = POLLIN };
            int64_t ms = (left + 999999) / 1000000;
            bool capped = p->dbg.wake_ms >= 0 && ms > p->dbg.wake_ms;
            int r = poll(pf, n, capped ? p->dbg.wake_ms : ms > INT32_MAX ? INT32_MAX : (int)ms);
            wake = (r == 0 && capped) || (r > 0 && p->dbg.wake_fd >= 0 && pf[0].revents);
        }
        if (wake) {
            p->stop_hit |= KQ_STOP_WAKE;
            return SLEEP_WAKE;
        }
    }
}

/* A struct __kernel_timespec from the guest: {s64 sec, s64 nsec}.  An rv32
 * kernel reads only the low 32 bits of tv_nsec (the C library's timespec
 * has a 32-bit long there, the rest is padding).  Returns the value in ns,
 * -EFAULT, or -EINVAL for a negative or out-of-range time. */
int64_t sys_timespec_in(struct proc *p, uint32_t uaddr)
{
    int64_t k[2];
    if (vm_copy_in(p, k, uaddr, sizeof k, NULL))
        return -EFAULT;
    int32_t nsec = (int32_t)(uint32_t)k[1];
    if (k[0] < 0 || nsec < 0 || nsec >= NSEC_PER_SEC)
        return -EINVAL;
    if (k[0] > INT64_MAX / NSEC_PER_SEC / 2)
        return INT64_MAX / 2;                   /* centuries: sleep "forever" */
    return k[0] * NSEC_PER_SEC + nsec;
}

static long timespec_out(struct proc *p, uint32_t uaddr, int64_t ns)
{
    int64_t k[2] = { ns / NSEC_PER_SEC, ns % NSEC_PER_SEC };
    return vm_copy_out(p, uaddr, k, sizeof k, NULL);
}

long sys_clock_gettime64(struct proc *p, const uint32_t *a)
{
    if (a[0] >= NCLOCKS)
        return -EINVAL;
    return timespec_out(p, a[1], sys_guest_ns(p, a[0]));
}

long sys_clock_getres_time64(struct proc *p, const uint32_t *a)
{
    if (a[0] >= NCLOCKS)
        return -EINVAL;
    struct timespec ts;
    if (clock_getres(clocks[a[0]].host, &ts) != 0)
        return -EINVAL;
    return a[1] ? timespec_out(p, a[1], (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec) : 0;
}

/* clock_nanosleep(clock, flags, request, remain): relative, or until an
 * absolute time with TIMER_ABSTIME (1).  The wall, monotonic and boot
 * clocks only: the raw and coarse clocks cannot sleep (-EOPNOTSUPP, as on
 * Linux), and the CPU-time clocks are -EINVAL here (Linux sleeps until the
 * process has used that much CPU time; vmlab does not model it).  Only a
 * signal from outside can cut a sleep short, and only a real one
 * (--real-sleep): if the guest then has one to take (not blocked, not
 * ignored), the call fails with EINTR, even after an SA_RESTART handler,
 * and a relative sleep writes the time left to `remain` (Linux's
 * do_nanosleep; signal(7) lists nanosleep among the calls never
 * restarted); else it sleeps on.  With other threads the same holds for
 * any signal (thread_sleep). */
long sys_clock_nanosleep_time64(struct proc *p, const uint32_t *a)
{
    if (a[0] >= NCLOCKS || !clocks[a[0]].slept)
        return -EINVAL;
    if (a[0] == 4 || a[0] == 5 || a[0] == 6)
        return -EOPNOTSUPP;
    if (a[1] & ~1u)
        return -EINVAL;
    int64_t ns = sys_timespec_in(p, a[2]);
    if (ns < 0)
        return ns;
    if (p->th.n > 1) {                          /* others run meanwhile */
        thread_sleep(p, (int)a[0], a[1] & 1 ? ns : sys_guest_ns(p, a[0]) + ns, a[1] & 1 ? 0 : a[3]);
        return 0;
    }
    if (a[1] & 1)
        ns -= sys_guest_ns(p, a[0]);
    int64_t end = p->opt.real_sleep && p->dbg.wake_on ? sys_sleep_end(p, ns) : 0;
    while (end || ns > 0) {
        int64_t left = end ? sys_sleep_woken(p, end) : sys_sleep(p, ns);
        if (left == SLEEP_WAKE)
            return sys_sleep_cut(p, end);       /* gdb or the window: made again */
        if (!left)
            break;
        hostsig_take(p);
        if ((p->sig.pending | p->sig.shared) & ~p->sig.blocked) {
            if (!(a[1] & 1) && a[3] && timespec_out(p, a[3], left))
                return -EFAULT;
            return -EINTR;
        }
        ns = left;                              /* blocked or ignored: sleep on */
    }
    return 0;
}
