/* kernel/thread.c — threads: clone (CLONE_THREAD only), the thread exit
 * and exit_group, gettid, set_tid_address, set_robust_list, tkill and
 * tgkill, sched_yield, futex_time64, and the scheduler
 * (docs/platform/threads.md for the Linux facts).
 *
 * One hart, one address space.  The running thread's context is in the
 * hart (p->cpu) and its signal state in p->sig; a switch saves them into
 * its struct thread and loads the next one's.  Switches happen only
 * between two cpu_run calls: after a trap was served, or at the exact
 * instruction count where a time slice ends (the run loop passes it to
 * cpu_run as its limit), so the engines never carry a thread's state into
 * another's.  The LR/SC reservation is dropped at a switch, as Linux's
 * return to user mode does.
 *
 * Scheduling is round robin over the runnable threads in TID order, with
 * a slice of --quantum instructions; with --sched-seed S each slice is
 * drawn from 1..2*quantum by a xorshift generator seeded with S, so a run
 * repeats exactly for one seed and the interleaving moves with another.
 * Instructions, not host time, decide: the same seed gives the same run.
 */
#include "kernel/thread.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/hostsig.h"
#include "kernel/proc.h"
#include "kernel/syscall_impl.h"
#include "kernel/vm.h"

/* clone flags (include/uapi/linux/sched.h) */
#define CLONE_VM             0x00000100u
#define CLONE_FS             0x00000200u
#define CLONE_FILES          0x00000400u
#define CLONE_SIGHAND        0x00000800u
#define CLONE_PIDFD          0x00001000u
#define CLONE_PTRACE         0x00002000u
#define CLONE_VFORK          0x00004000u
#define CLONE_PARENT         0x00008000u
#define CLONE_THREAD         0x00010000u
#define CLONE_SYSVSEM        0x00040000u
#define CLONE_SETTLS         0x00080000u
#define CLONE_PARENT_SETTID  0x00100000u
#define CLONE_CHILD_CLEARTID 0x00200000u
#define CLONE_DETACHED       0x00400000u
#define CLONE_CHILD_SETTID   0x01000000u
#define CSIGNAL              0x000000ffu

#define CLONE_NEEDED  (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)
#define CLONE_ALLOWED (CLONE_NEEDED | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | CLONE_SETTLS | \
                       CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID |      \
                       CLONE_DETACHED | CSIGNAL)

/* futex (include/uapi/linux/futex.h) */
#define FUTEX_WAIT            0
#define FUTEX_WAKE            1
#define FUTEX_FD              2
#define FUTEX_REQUEUE         3
#define FUTEX_CMP_REQUEUE     4
#define FUTEX_WAKE_OP         5
#define FUTEX_LOCK_PI         6
#define FUTEX_UNLOCK_PI       7
#define FUTEX_TRYLOCK_PI      8
#define FUTEX_WAIT_BITSET     9
#define FUTEX_WAKE_BITSET     10
#define FUTEX_WAIT_REQUEUE_PI 11
#define FUTEX_CMP_REQUEUE_PI  12
#define FUTEX_LOCK_PI2        13
#define FUTEX_PRIVATE_FLAG    128
#define FUTEX_CLOCK_REALTIME  256
#define FUTEX_BITSET_ALL      0xffffffffu

#define GUEST_CLOCK_REALTIME  0
#define GUEST_CLOCK_MONOTONIC 1

static FILE *sched_trace(const struct proc *p)
{
    return proc_trace(p, TRACE_SCHED);
}

static uint64_t next_slice(struct thread_table *tt)
{
    if (!tt->rng)
        return tt->quantum;
    uint64_t x = tt->rng;                    /* xorshift64 */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    tt->rng = x;
    return 1 + x % (2 * tt->quantum);
}

int thread_init(struct proc *p, uint64_t quantum, uint64_t seed)
{
    struct thread_table *tt = &p->th;
    memset(tt, 0, sizeof *tt);
    struct thread *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->tid = p->pid;
    t->state = THREAD_RUNNING;
    tt->t[0] = t;
    tt->n = 1;
    tt->next_tid = p->pid + 1;
    tt->quantum = quantum ? quantum : DEFAULT_QUANTUM;
    /* a zero state would stay zero: mix the seed first */
    tt->rng = seed ? seed * 0x9e3779b97f4a7c15ull | 1 : 0;
    tt->switch_at = next_slice(tt);
    return 0;
}

void thread_free(struct proc *p)
{
    for (int i = 0; i < p->th.n; i++)
        free(p->th.t[i]);
    p->th.n = 0;
}

struct thread *thread_find(struct proc *p, int tid)
{
    for (int i = 0; i < p->th.n; i++)
        if (p->th.t[i]->tid == tid && p->th.t[i]->state != THREAD_EXITED)
            return p->th.t[i];
    return NULL;
}

const struct thread *thread_stack_owner(struct proc *p, uint32_t addr)
{
    for (int i = 0; i < p->th.n; i++) {
        const struct thread *t = p->th.t[i];
        if (t->state != THREAD_EXITED && t->stack_hi && addr >= t->stack_lo && addr < t->stack_hi)
            return t;
    }
    return NULL;
}

static int live_threads(const struct proc *p)
{
    int n = 0;
    for (int i = 0; i < p->th.n; i++)
        n += p->th.t[i]->state != THREAD_EXITED;
    return n;
}

/* --- switching ---------------------------------------------------------- */

static void save_context(struct proc *p, struct thread *t)
{
    memcpy(t->x, p->cpu.x, sizeof t->x);
    t->pc = p->cpu.pc;
    sig_thread_save(&p->sig, &t->sig);
}

static void load_context(struct proc *p, const struct thread *t)
{
    memcpy(p->cpu.x, t->x, sizeof t->x);
    p->cpu.x[0] = 0;
    p->cpu.pc = t->pc;
    sig_thread_load(&p->sig, &t->sig);
    p->cpu.resv_valid = false;           /* a switch breaks any LR/SC pair */
}

/* Drop exited threads other than the main one (it stays, as Linux's
 * thread-group leader stays a zombie until the last thread ends).
 * The running thread is never dropped here. */
static void reap(struct proc *p)
{
    struct thread_table *tt = &p->th;
    int w = 0;
    for (int i = 0; i < tt->n; i++) {
        struct thread *t = tt->t[i];
        if (t->state == THREAD_EXITED && i != 0 && i != tt->cur) {
            free(t);
            continue;
        }
        if (i == tt->cur)
            tt->cur = w;
        tt->t[w++] = t;
    }
    tt->n = w;
}

/* The guest time now on the clock of t's deadline. */
static int64_t deadline_now(const struct proc *p, const struct thread *t)
{
    return sys_guest_ns(p, (uint32_t)t->deadline_clock);
}

static void wake(struct proc *p, struct thread *t, long result)
{
    t->state = THREAD_RUNNING;
    t->has_deadline = false;
    if (!p->th.hart_saved && p->th.t[p->th.cur] == t)
        p->cpu.x[10] = (uint32_t)result;
    else
        t->x[10] = (uint32_t)result;
}

/* A signal ends t's wait with EINTR; a sleep with a `remain` writes the
 * time left there, as Linux's nanosleep does (a struct __kernel_timespec;
 * a bad pointer is not reported: the call has failed with EINTR). */
static void wake_eintr(struct proc *p, struct thread *t)
{
    if (t->state == THREAD_FUTEX && !t->futex_addr && t->has_deadline && t->sleep_rem) {
        int64_t left = t->deadline_ns - deadline_now(p, t);
        int64_t k[2] = { left > 0 ? left / 1000000000 : 0, left > 0 ? left % 1000000000 : 0 };
        vm_copy_out(p, t->sleep_rem, k, sizeof k, NULL);
        t->sleep_rem = 0;
    }
    wake(p, t, -EINTR);
}

/* Is t in a wait that a signal's handler restarts when it has SA_RESTART
 * (Linux's -ERESTARTSYS): a read or write, or a FUTEX_WAIT with no
 * timeout?  A timed futex wait, a sleep and a wait for a signal fail with
 * EINTR after any handler (-ERESTART_RESTARTBLOCK, -ERESTARTNOHAND). */
static bool wait_restarts(const struct thread *t)
{
    return t->state == THREAD_IO || (t->state == THREAD_FUTEX && t->futex_addr && !t->has_deadline);
}

/* Its first argument, which the result overwrote when it began to wait. */
static uint32_t wait_a0(const struct thread *t)
{
    return t->state == THREAD_IO ? t->io_a0 : t->futex_addr;
}

/* t's I/O wait is over: it makes its read or write again. */
static void wake_io(struct proc *p, struct thread *t)
{
    t->state = THREAD_RUNNING;
    t->x[10] = t->io_a0;                 /* the switch has saved the hart */
    t->pc -= 4;                          /* back onto the ecall */
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] thread %d: its fd is ready\n", t->tid);
}

/* poll_io's answer when a wait ended for kq_wake: the debugger's fd is
 * readable, or the wait took its longest. */
#define POLL_WAKE (-2)

/* Wake the I/O waiters whose fds are ready, waiting up to timeout_ms
 * (-1: for ever) for one to be.  The number woken, -1 if the wait was
 * interrupted (--timeout's timer), or POLL_WAKE if a wait (timeout_ms not
 * 0) ended for kq_wake: the debugger has something to say, or the window
 * must be drawn. */
static int poll_io(struct proc *p, int timeout_ms)
{
    struct pollfd pf[MAX_THREADS + 2];
    struct thread *who[MAX_THREADS];
    int n = 0, woken = 0;
    for (int i = 0; i < p->th.n; i++)
        if (p->th.t[i]->state == THREAD_IO) {
            who[n] = p->th.t[i];
            pf[n++] = (struct pollfd){ .fd = p->th.t[i]->io_fd, .events = p->th.t[i]->io_events };
        }
    if (!n)
        return 0;
    bool dbg = timeout_ms != 0 && p->dbg.wake_on;
    if (dbg && p->dbg.wake_now)
        return POLL_WAKE;
    /* a signal from outside ends a wait too: its pipe is polled, so one
     * that came just before the poll is not missed */
    bool out = timeout_ms != 0 && p->opt.host_signals && hostsig_fd() >= 0;
    if (out && hostsig_waiting())
        return -1;
    bool fd = dbg && p->dbg.wake_fd >= 0, cut = false;
    if (fd)
        pf[n] = (struct pollfd){ .fd = p->dbg.wake_fd, .events = POLLIN };
    if (out)
        pf[n + fd] = (struct pollfd){ .fd = hostsig_fd(), .events = POLLIN };
    if (dbg && p->dbg.wake_ms >= 0 && (timeout_ms < 0 || timeout_ms > p->dbg.wake_ms)) {
        timeout_ms = p->dbg.wake_ms;
        cut = true;
    }
    int r = poll(pf, (nfds_t)(n + fd + out), timeout_ms);
    if (r < 0)
        return errno == EINTR ? -1 : 0;
    if (out && pf[n + fd].revents && hostsig_drain())
        return -1;                       /* as if the poll was interrupted */
    for (int k = 0; k < n; k++)
        if (pf[k].revents) {             /* ready, or hung up or bad: the call says which */
            wake_io(p, who[k]);
            woken++;
        }
    if (!woken && ((fd && pf[n].revents) || (cut && r == 0)))
        return POLL_WAKE;                /* Ctrl-C or gdb gone (the server looks), or a frame */
    return woken;
}

/* What a read (events POLLIN) or write (POLLOUT) on guest fd gfd that
 * would never end waits on, for the messages. */
static void io_forever(char *buf, size_t size, uint32_t gfd, short events)
{
    snprintf(buf, size, "%s fd %u (a pipe only this process can %s)",
             events == POLLIN ? "read from" : "write to", gfd,
             events == POLLIN ? "write to" : "read from");
}

int thread_io_wait(struct proc *p, int h, uint32_t gfd, short events)
{
    bool one = live_threads(p) < 2;
    /* under gdb or the view one thread waits as a thread of many does, in
     * the scheduler's poll, which also watches gdb's socket and ends in
     * time for the window's next frame (kq_wake) */
    bool dbg = p->dbg.wake_on;
    if (one && !dbg && (gfd >= PROC_FDS || !(p->pipes >> gfd & 1)))
        return 0;                        /* one thread, not its own pipe: nothing to ask */
    struct pollfd pf = { .fd = h, .events = events };
    if (poll(&pf, 1, 0) != 0)
        return 0;                        /* ready (or an error the call reports) */
    int fl = fcntl(h, F_GETFL);
    if (fl < 0 || (fl & O_NONBLOCK))
        return 0;                        /* the call fails with EAGAIN */
    if (p->sig.pending & ~p->sig.blocked)
        return one ? 0 : -EINTR;         /* a signal is waiting to be handled */
    if (one) {
        /* one thread: the host call waits, unless it would wait for ever
         * (as on Linux, where nothing but a signal ends it: vmlab ends a
         * pause nothing can wake the same way) */
        if (!sys_pipe_self_only(p, gfd, events)) {
            if (!dbg)
                return 0;
            goto wait;
        }
        char what[96];
        io_forever(what, sizeof what, gfd, events);
        snprintf(p->kill_msg, sizeof p->kill_msg, "%s waits for ever: its one thread is "
                 "the one waiting (no timers, no other processes): killed instead", what);
        proc_kill(p, SIGKILL, p->kill_msg);
        return -EINTR;
    }
wait:;
    struct thread *t = p->th.t[p->th.cur];
    t->state = THREAD_IO;
    t->io_fd = h;
    t->io_events = events;
    t->io_a0 = gfd;
    t->has_deadline = false;
    p->th.resched = true;
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] thread %d waits for fd %u to be %s\n", t->tid, gfd,
                events == POLLIN ? "readable" : "writable");
    return 1;
}

/* Time out every waiter whose deadline has passed on the guest clock. */
static void expire(struct proc *p)
{
    for (int i = 0; i < p->th.n; i++) {
        struct thread *t = p->th.t[i];
        if (t->state == THREAD_FUTEX && t->has_deadline && deadline_now(p, t) >= t->deadline_ns) {
            FILE *tr = sched_trace(p);
            if (tr && t->futex_bitset)
                fprintf(tr, "[sched] thread %d: futex wait on 0x%08x timed out\n", t->tid,
                        t->futex_addr);
            else if (tr)
                fprintf(tr, "[sched] thread %d: sleep over\n", t->tid);
            wake(p, t, t->timeout_result);
        }
    }
}

/* The function holding pc, or "?" */
static const char *func_at(struct proc *p, uint32_t pc, uint32_t *start)
{
    uint32_t off = 0;
    const char *sym = elf_symbol(&p->img, pc, &off);
    if (start)
        *start = sym ? pc - off : 0;
    return sym ? sym : "?";
}

/* " <- caller <- its caller ...": the frame-pointer chain from fp (vmlab
 * cc builds with frame pointers), after ra if pc's function is a leaf
 * that saved none. */
static void callers(struct proc *p, FILE *out, uint32_t pc, uint32_t ra, uint32_t fp)
{
    uint32_t saved = 0, f0, f1;
    bool have = fp >= 8 && vm_copy_in(p, &saved, fp - 4, 4, NULL) == 0;
    func_at(p, pc, &f0);
    const char *leaf = ra ? func_at(p, ra - 1, &f1) : NULL;
    if (leaf && !(have && saved == ra) && f1 != f0 && f1)
        fprintf(out, " <- %s", leaf);
    for (int k = 0; k < 8 && fp >= 8; k++) {
        uint32_t rs, nfp;
        if (vm_copy_in(p, &rs, fp - 4, 4, NULL) || vm_copy_in(p, &nfp, fp - 8, 4, NULL) ||
            rs == 0)
            return;
        const char *f = func_at(p, rs - 1, &f1);
        if (!f1)
            return;
        fprintf(out, " <- %s", f);
        if (nfp <= fp)
            return;
        fp = nfp;
    }
}

static void report_deadlock(struct proc *p)
{
    FILE *out = p->opt.trace_out;
    bool io = false;
    for (int i = 0; i < p->th.n; i++)
        io |= p->th.t[i]->state == THREAD_IO;
    fprintf(out, "vmlab: deadlock: every thread waits on %s that no running thread can "
            "wake, and none has a timeout\n",
            io ? "a futex, a signal or a pipe" : "a futex (or a signal)");
    for (int i = 0; i < p->th.n; i++) {
        const struct thread *t = p->th.t[i];
        if (t->state == THREAD_EXITED) {
            fprintf(out, "  thread %d: exited\n", t->tid);
            continue;
        }
        uint32_t pc = t->pc - 4;             /* the ecall */
        uint32_t off = 0, woff = 0;
        const char *sym = elf_symbol(&p->img, pc, &off);
        char what[96] = "";
        const char *var = elf_symbol(&p->img, t->futex_addr, &woff);
        const struct thread *owner = thread_stack_owner(p, t->futex_addr);
        if (var && woff)
            snprintf(what, sizeof what, " (%s+%u)", var, woff);
        else if (var)
            snprintf(what, sizeof what, " (%s)", var);
        else if (owner)
            snprintf(what, sizeof what, " (in thread %d's stack mapping)", owner->tid);
        if (t->state == THREAD_IO) {
            char how[96];
            io_forever(how, sizeof how, (uint32_t)t->io_a0, t->io_events);
            fprintf(out, "  thread %d: waits to %s, pc 0x%08x", t->tid, how, pc);
        } else if (t->futex_bitset)
            fprintf(out, "  thread %d: futex wait on 0x%08x%s, pc 0x%08x", t->tid,
                    t->futex_addr, what, pc);
        else
            fprintf(out, "  thread %d: waits for a signal, pc 0x%08x", t->tid, pc);
        if (sym)
            fprintf(out, " in %s+0x%x", sym, off);
        callers(p, out, pc, t->x[1], t->x[8]);
        fputc('\n', out);
    }
    if (p->dbg.attached) {
        /* under gdb: stop with the SIGKILL held, as a fault's signal is,
         * so the waits can be looked at (info threads, bt); continue
         * delivers it, signal 0 looks again (and finds the same) */
        fprintf(out, "vmlab: deadlock: stopped for the debugger (continue: SIGKILL)\n");
        p->dbg.held = DEADLOCK_SIGNAL;
        p->dbg.held_info = (struct ksiginfo){ .signo = DEADLOCK_SIGNAL, .code = SI_KERNEL };
        p->stop_hit |= KQ_STOP_SIGNAL;
        p->th.resched = true;                /* nobody may run: look again first */
        return;
    }
    snprintf(p->kill_msg, sizeof p->kill_msg, "deadlock: %d threads wait on futexes%s "
             "nobody can wake (killed with SIGKILL)", live_threads(p), io ? " or pipes" : "");
    proc_kill(p, DEADLOCK_SIGNAL, p->kill_msg);
}

/* Signals from outside are on (kernel/hostsig.h) and a thread waits for
 * a signal (rt_sigsuspend) that one of them could end: one it does not
 * block and the process does not ignore.  Then nobody running is no
 * deadlock: another process, or the terminal, may still send it. */
static bool outside_can_wake(const struct proc *p)
{
    if (!p->opt.host_signals || hostsig_fd() < 0)
        return false;
    for (int i = 0; i < p->th.n; i++) {
        const struct thread *t = p->th.t[i];
        if (t->state == THREAD_FUTEX && !t->futex_addr && !t->futex_bitset && !t->has_deadline &&
            sig_outside_can_end(p, t->sig.blocked))
            return true;
    }
    return false;
}

/* Every thread waits, one for a signal from outside: wait for one (or for
 * kq_wake's debugger or frame).  POLL_WAKE, or 0 once a signal came or the
 * wait was interrupted (the run loop takes it, or sees --timeout's end). */
static int wait_outside(struct proc *p)
{
    struct pollfd pf[2] = { { .fd = hostsig_fd(), .events = POLLIN } };
    int n = 1, timeout = -1;
    if (p->dbg.wake_on && p->dbg.wake_now)
        return POLL_WAKE;
    if (p->dbg.wake_on && p->dbg.wake_fd >= 0)
        pf[n++] = (struct pollfd){ .fd = p->dbg.wake_fd, .events = POLLIN };
    if (p->dbg.wake_on)
        timeout = p->dbg.wake_ms;
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] every thread waits, one for a signal: waiting for one from outside\n");
    for (;;) {
        int r = poll(pf, (nfds_t)n, timeout);
        if (r < 0)
            return 0;                    /* a signal came, or --timeout's timer */
        if (pf[0].revents && hostsig_drain())
            return 0;
        if (r == 0 || (n > 1 && pf[1].revents))
            return POLL_WAKE;
    }
}

void thread_schedule(struct proc *p)
{
    struct thread_table *tt = &p->th;
    if (p->state != PROC_RUNNING)
        return;
    tt->resched = false;
    save_context(p, tt->t[tt->cur]);
    tt->hart_saved = true;
    reap(p);
    for (;;) {
        expire(p);
        poll_io(p, 0);
        /* round robin: the next runnable thread after the current one,
         * the current one last; under a debugger's lock that thread alone,
         * while it can run (waiting for the others is no deadlock) */
        int pick = -1;
        for (int k = 1; k <= tt->n; k++) {
            int i = (tt->cur + k) % tt->n;
            if (tt->t[i]->state == THREAD_RUNNING && tt->t[i]->tid == tt->only_tid) {
                pick = i;
                break;
            }
        }
        for (int k = 1; k <= tt->n && pick < 0; k++) {
            int i = (tt->cur + k) % tt->n;
            if (tt->t[i]->state == THREAD_RUNNING)
                pick = i;
        }
        if (pick >= 0) {
            if (pick != tt->cur) {
                tt->switches++;
                FILE *tr = sched_trace(p);
                if (tr)
                    fprintf(tr, "[sched] switch thread %d -> %d at instret %llu\n",
                            tt->t[tt->cur]->tid, tt->t[pick]->tid,
                            (unsigned long long)p->cpu.instret);
            }
            tt->cur = pick;
            load_context(p, tt->t[pick]);
            tt->hart_saved = false;
            tt->switch_at = p->cpu.instret + next_slice(tt);
            sig_deliver(p);
            return;
        }
        /* nobody can run: let guest time pass to the nearest deadline */
        struct thread *first = NULL;
        for (int i = 0; i < tt->n; i++) {
            struct thread *t = tt->t[i];
            if (t->state == THREAD_FUTEX && t->has_deadline &&
                (!first || t->deadline_ns - deadline_now(p, t) <
                           first->deadline_ns - deadline_now(p, first)))
                first = t;
        }
        bool io = false, stuck = true;       /* stuck: every I/O wait is for ever */
        for (int i = 0; i < tt->n; i++)
            if (tt->t[i]->state == THREAD_IO) {
                io = true;
                stuck = stuck && sys_pipe_self_only(p, tt->t[i]->io_a0, tt->t[i]->io_events);
            }
        if (io && !stuck) {
            /* threads wait on host fds: the host waits for one to be
             * ready, until the nearest deadline at most (a guest clock
             * that only moves on sleeps waits that long in real time) */
            int ms = -1;
            if (first) {
                int64_t ns = first->deadline_ns - deadline_now(p, first);
                ms = ns <= 0 ? 0 : ns > INT32_MAX * 1000000LL ? INT32_MAX
                                                               : (int)((ns + 999999) / 1000000);
            }
            int woken = poll_io(p, ms);
            if (woken == POLL_WAKE) {
                /* the run stops for kq_wake's caller, nobody on the hart yet:
                 * the next run looks again first (gdb may have written the
                 * current thread's registers: they are saved then) */
                load_context(p, tt->t[tt->cur]);
                tt->hart_saved = false;
                tt->resched = true;
                p->stop_hit |= KQ_STOP_WAKE;
                return;
            }
            if (woken < 0 && proc_time_up(p)) {
                load_context(p, tt->t[tt->cur]);
                tt->hart_saved = false;
                return;                  /* --timeout: the run loop kills */
            }
            if (woken < 0 && p->opt.host_signals && hostsig_waiting()) {
                load_context(p, tt->t[tt->cur]);
                tt->hart_saved = false;
                tt->resched = true;      /* the run loop takes it, then looks again */
                return;
            }
            if (woken == 0 && first && deadline_now(p, first) < first->deadline_ns)
                sys_sleep(p, first->deadline_ns - deadline_now(p, first));
            continue;
        }
        if (!first && outside_can_wake(p)) {
            int w = wait_outside(p);
            load_context(p, tt->t[tt->cur]);
            tt->hart_saved = false;
            tt->resched = true;          /* the run loop takes what came, then looks again */
            if (w == POLL_WAKE)
                p->stop_hit |= KQ_STOP_WAKE;
            return;
        }
        if (!first) {
            load_context(p, tt->t[tt->cur]);
            tt->hart_saved = false;
            report_deadlock(p);
            return;
        }
        int64_t cut = p->opt.real_sleep && p->dbg.wake_on
                          ? sys_sleep_woken(p, sys_guest_ns(p, GUEST_CLOCK_MONOTONIC) +
                                                   first->deadline_ns - deadline_now(p, first))
                          : sys_sleep(p, first->deadline_ns - deadline_now(p, first));
        if (cut) {
            load_context(p, tt->t[tt->cur]);
            tt->hart_saved = false;
            tt->resched = true;          /* a signal from outside, or gdb or the window */
            return;                      /* (KQ_STOP_WAKE): the run loop sees to it */
        }
        if (proc_time_up(p)) {
            load_context(p, tt->t[tt->cur]);
            tt->hart_saved = false;
            return;                      /* --timeout: the run loop kills */
        }
        if (first->state == THREAD_FUTEX && deadline_now(p, first) < first->deadline_ns)
            first->deadline_ns = deadline_now(p, first);    /* a clock step backwards */
    }
}

void thread_signal(struct proc *p, struct thread *t, const struct ksiginfo *info)
{
    struct thread_table *tt = &p->th;
    int sig = info->signo;
    if (t == tt->t[tt->cur]) {
        sig_send_here(p, info);
        return;
    }
    if (!sig_queue_thread(&p->sig, &t->sig, info))
        return;
    if ((t->state != THREAD_FUTEX && t->state != THREAD_IO) || (t->sig.blocked >> (sig - 1) & 1))
        return;
    const struct k_sigaction *ka = &p->sig.act[sig];
    if (wait_restarts(t) && (ka->handler == SIG_DFL || (ka->flags & SA_RESTART))) {
        /* its read, write or futex wait is made again after the handler
         * (Linux's -ERESTARTSYS with SA_RESTART; a default action ends the
         * process) */
        FILE *tr = sched_trace(p);
        if (tr)
            fprintf(tr, "[sched] thread %d: a signal came, its %s is made again after it\n",
                    t->tid, t->state == THREAD_FUTEX ? "futex wait"
                            : t->io_events == POLLIN ? "read" : "write");
        t->x[10] = wait_a0(t);           /* the switch has saved its context */
        t->state = THREAD_RUNNING;
        t->pc -= 4;
        return;
    }
    wake_eintr(p, t);
}

/* --- system calls --------------------------------------------------------- */

static void clone_refused(struct proc *p, uint32_t flags, const char *why)
{
    FILE *tr = proc_trace(p, TRACE_SYSCALL | TRACE_SCHED);
    if (tr)
        fprintf(tr, "[sched] clone(flags=0x%x) refused: %s\n", flags, why);
}

/* clone(flags, newsp, parent_tid, tls, child_tid): riscv's argument order
 * (CONFIG_CLONE_BACKWARDS). */
long sys_clone(struct proc *p, const uint32_t *a)
{
    uint32_t flags = a[0], newsp = a[1], ptid = a[2], tls = a[3], ctid = a[4];
    struct thread_table *tt = &p->th;
    /* Linux's own consistency rules first (kernel/fork.c copy_process) */
    if (((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND)) ||
        ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))) {
        clone_refused(p, flags, "CLONE_THREAD needs CLONE_SIGHAND, CLONE_SIGHAND needs "
                      "CLONE_VM (as on Linux) -> EINVAL");
        return -EINVAL;
    }
    if (!(flags & CLONE_THREAD)) {
        clone_refused(p, flags, "a new process (fork, vfork, posix_spawn): vmlab runs one "
                      "process; only threads (CLONE_VM|CLONE_SIGHAND|CLONE_THREAD) -> ENOSYS");
        return -ENOSYS;
    }
    if (flags & ~CLONE_ALLOWED) {
        clone_refused(p, flags, "flags other than a thread's (namespaces, CLONE_VFORK, "
                      "CLONE_PIDFD, CLONE_PARENT, CLONE_PTRACE, ...) -> EINVAL");
        return -EINVAL;
    }
    int slot = -1;
    reap(p);
    if (tt->n < MAX_THREADS)
        slot = tt->n;
    if (slot < 0) {
        clone_refused(p, flags, "too many threads (64) -> EAGAIN");
        return -EAGAIN;
    }
    struct thread *t = calloc(1, sizeof *t);
    if (!t)
        return -ENOMEM;
    t->tid = tt->next_tid++;
    t->state = THREAD_RUNNING;
    /* the child: the parent's registers, 0 in a0, after the ecall
     * (syscall_dispatch has moved pc on already) */
    memcpy(t->x, p->cpu.x, sizeof t->x);
    t->pc = p->cpu.pc;
    t->x[10] = 0;
    if (newsp)
        t->x[2] = newsp;
    if (flags & CLONE_SETTLS)
        t->x[4] = tls;
    /* signals: the mask is inherited, nothing pending, no alternate stack
     * (a CLONE_VM child without CLONE_VFORK: sas_ss_reset) */
    sig_thread_save(&p->sig, &t->sig);
    t->sig.pending = 0;
    t->sig.ss_sp = t->sig.ss_size = 0;
    t->sig.ss_flags = SS_DISABLE;
    t->sig.restore_saved = false;
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_child_tid = ctid;
    t->stack_sp = newsp;
    struct vma *v = newsp ? vma_find(&p->vmas, newsp - 1) : NULL;
    if (v && v->kind != VMA_STACK) {
        /* Linux names it nothing since 4.5; vmlab says whose it is */
        t->stack_lo = v->start;
        t->stack_hi = v->end;
        if (v->kind == VMA_ANON)
            snprintf(v->name, sizeof v->name, "stack:%d", t->tid);
    }
    uint32_t tid = (uint32_t)t->tid;
    if (flags & CLONE_PARENT_SETTID)
        (void)vm_copy_out(p, ptid, &tid, 4, NULL);      /* a bad pointer is ignored */
    if (flags & CLONE_CHILD_SETTID)
        (void)vm_copy_out(p, ctid, &tid, 4, NULL);
    tt->t[slot] = t;
    tt->n++;
    tt->created++;
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] thread %d created by %d: pc=0x%08x sp=0x%08x tls=0x%08x\n",
                t->tid, tt->t[tt->cur]->tid, t->pc, t->x[2], t->x[4]);
    return t->tid;
}

/* The process ends: the status is the main thread's when every thread
 * left by exit (Linux reports the group leader's exit_code), else
 * exit_group's. */
static void process_exit(struct proc *p, int code)
{
    p->state = PROC_EXITED;
    p->exit_code = code & 0xff;
}

long sys_exit(struct proc *p, const uint32_t *a)
{
    struct thread_table *tt = &p->th;
    struct thread *t = tt->t[tt->cur];
    t->exit_code = (int)(a[0] & 0xff);
    if (live_threads(p) == 1) {
        process_exit(p, tt->t[0]->state == THREAD_EXITED ? tt->t[0]->exit_code : t->exit_code);
        return 0;
    }
    if (t->clear_child_tid) {
        uint32_t zero = 0;
        if (vm_copy_out(p, t->clear_child_tid, &zero, 4, NULL) == 0)
            futex_wake(p, t->clear_child_tid, 1, FUTEX_BITSET_ALL);
    }
    t->state = THREAD_EXITED;
    tt->resched = true;
    char name[VMA_NAME];
    snprintf(name, sizeof name, "stack:%d", t->tid);
    struct vma *v = t->stack_hi ? vma_find(&p->vmas, t->stack_lo) : NULL;
    if (v && !strcmp(v->name, name))
        snprintf(v->name, sizeof v->name, "mmap");      /* an ordinary area again */
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] thread %d exited with %d\n", t->tid, t->exit_code);
    return 0;
}

long sys_exit_group(struct proc *p, const uint32_t *a)
{
    process_exit(p, (int)a[0]);
    return 0;
}

long sys_gettid(struct proc *p, const uint32_t *a)
{
    (void)a;
    return p->th.t[p->th.cur]->tid;
}

long sys_set_tid_address(struct proc *p, const uint32_t *a)
{
    struct thread *t = p->th.t[p->th.cur];
    t->clear_child_tid = a[0];
    return t->tid;
}

/* set_robust_list(head, len): accepted and kept nowhere (vmlab never
 * ends one thread while others hold its locks: a fatal signal ends them
 * all).  len must be the rv32 struct robust_list_head's size, 12. */
long sys_set_robust_list(struct proc *p, const uint32_t *a)
{
    (void)p;
    return a[1] == 12 ? 0 : -EINVAL;
}

long sys_sched_yield(struct proc *p, const uint32_t *a)
{
    (void)a;
    if (p->th.n > 1)
        p->th.resched = true;
    return 0;
}

static long send_to_thread(struct proc *p, int tid, int sig)
{
    if (sig < 0 || sig > NSIG_LINUX || tid <= 0)
        return -EINVAL;
    struct thread *t = thread_find(p, tid);
    if (!t)
        return -ESRCH;
    if (sig == 0)
        return 0;
    struct ksiginfo si = { .signo = sig, .code = SI_TKILL, .pid = p->pid, .uid = (int)getuid() };
    if (sig == SIGKILL)
        proc_kill(p, SIGKILL, NULL);
    else
        thread_signal(p, t, &si);
    return 0;
}

long sys_tkill(struct proc *p, const uint32_t *a)
{
    return send_to_thread(p, (int32_t)a[0], (int32_t)a[1]);
}

long sys_tgkill(struct proc *p, const uint32_t *a)
{
    int32_t tgid = (int32_t)a[0], tid = (int32_t)a[1], sig = (int32_t)a[2];
    if (sig < 0 || sig > NSIG_LINUX || tgid <= 0 || tid <= 0)
        return -EINVAL;
    if (tgid != p->pid)
        return -ESRCH;
    return send_to_thread(p, tid, sig);
}

int futex_wake(struct proc *p, uint32_t uaddr, int n, uint32_t bitset)
{
    int woken = 0;
    while (woken < n) {
        struct thread *first = NULL;
        for (int i = 0; i < p->th.n; i++) {
            struct thread *t = p->th.t[i];
            if (t->state == THREAD_FUTEX && t->futex_addr == uaddr && (t->futex_bitset & bitset) &&
                (!first || t->wait_seq < first->wait_seq))
                first = t;
        }
        if (!first)
            break;
        wake(p, first, 0);
        woken++;
    }
    return woken;
}

/* futex_time64(uaddr, op, val, timeout, uaddr2, val3): WAIT, WAKE and
 * their BITSET forms, private or not (one address space: the same). */
long sys_futex_time64(struct proc *p, const uint32_t *a)
{
    uint32_t uaddr = a[0], op = a[1], val = a[2], uts = a[3], val3 = a[5];
    int cmd = (int)(op & ~(uint32_t)(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME));
    bool realtime = op & FUTEX_CLOCK_REALTIME;
    uint32_t bitset = FUTEX_BITSET_ALL;
    if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET &&
        cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2)
        return -ENOSYS;                      /* Linux's rule (FUTEX_WAIT since 4.5) */
    switch (cmd) {
    case FUTEX_WAKE_BITSET:
        bitset = val3;
        /* fall through */
    case FUTEX_WAKE:
        if (!bitset)
            return -EINVAL;
        if (uaddr & 3)
            return -EINVAL;
        return futex_wake(p, uaddr, (int32_t)val <= 0 ? 0 : (int)val, bitset);
    case FUTEX_WAIT_BITSET:
        bitset = val3;
        /* fall through */
    case FUTEX_WAIT:
        break;
    case FUTEX_LOCK_PI: case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI:
    case FUTEX_WAIT_REQUEUE_PI: case FUTEX_CMP_REQUEUE_PI: case FUTEX_LOCK_PI2:
        return -ENOSYS;                      /* priority inheritance: not here */
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: case FUTEX_WAKE_OP:
        return -ENOSYS;                      /* not modelled (docs/platform/threads.md) */
    default:
        return -ENOSYS;                      /* Linux: unknown op -ENOSYS */
    }
    /* the wait */
    int64_t ns = 0;
    if (uts) {
        ns = sys_timespec_in(p, uts);
        if (ns < 0)
            return ns;
    }
    if (!bitset)
        return -EINVAL;
    if (uaddr & 3)
        return -EINVAL;
    uint32_t cur;
    if (vm_copy_in(p, &cur, uaddr, 4, NULL))
        return -EFAULT;
    if (cur != val)
        return -EAGAIN;
    if ((p->sig.pending | p->sig.shared) & ~p->sig.blocked)   /* one is waiting to be */
        return uts ? -EINTR : -ERESTARTSYS;  /* handled: made again after it (see above) */
    struct thread *t = p->th.t[p->th.cur];
    t->state = THREAD_FUTEX;
    t->futex_addr = uaddr;
    t->futex_bitset = bitset;
    t->wait_seq = p->th.wait_seq++;
    t->has_deadline = uts != 0;
    t->timeout_result = -ETIMEDOUT;
    if (uts) {
        /* FUTEX_WAIT: relative, on CLOCK_MONOTONIC; WAIT_BITSET: absolute,
         * CLOCK_MONOTONIC or with FUTEX_CLOCK_REALTIME the wall clock */
        t->deadline_clock = realtime && cmd != FUTEX_WAIT ? GUEST_CLOCK_REALTIME
                                                          : GUEST_CLOCK_MONOTONIC;
        t->deadline_ns = cmd == FUTEX_WAIT ? sys_guest_ns(p, GUEST_CLOCK_MONOTONIC) + ns : ns;
    }
    p->th.resched = true;
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] thread %d waits on futex 0x%08x (value %u)%s\n", t->tid, uaddr, val,
                uts ? " with a timeout" : "");
    return 0;                                /* the result is set when it wakes */
}

void thread_sleep(struct proc *p, int clock, int64_t deadline_ns, uint32_t rem)
{
    struct thread *t = p->th.t[p->th.cur];
    t->sleep_rem = rem;
    t->state = THREAD_FUTEX;             /* a wait no futex_wake can end */
    t->futex_addr = 0;
    t->futex_bitset = 0;
    t->has_deadline = true;
    t->deadline_clock = clock;
    t->deadline_ns = deadline_ns;
    t->timeout_result = 0;
    p->th.resched = true;
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] thread %d sleeps\n", t->tid);
}

void thread_signal_wake(struct proc *p)
{
    struct thread_table *tt = &p->th;
    struct thread *t = tt->t[tt->cur];
    if (tt->hart_saved || t->state == THREAD_RUNNING || t->state == THREAD_EXITED ||
        !(p->sig.pending & ~p->sig.blocked))
        return;
    if (wait_restarts(t) && sig_restarts(p)) {
        p->cpu.x[10] = wait_a0(t);
        t->state = THREAD_RUNNING;           /* made again after the handler */
        t->has_deadline = false;
        p->cpu.pc -= 4;
    } else {
        wake_eintr(p, t);
    }
    tt->resched = true;
}

void thread_sigwait(struct proc *p)
{
    struct thread *t = p->th.t[p->th.cur];
    t->state = THREAD_FUTEX;             /* only a signal ends it */
    t->futex_addr = 0;
    t->futex_bitset = 0;
    t->has_deadline = false;
    p->th.resched = true;
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] thread %d waits for a signal\n", t->tid);
}

void thread_lock(struct proc *p, int tid)
{
    p->th.only_tid = tid;
}

bool thread_select(struct proc *p, int tid)
{
    struct thread_table *tt = &p->th;
    struct thread *t = thread_find(p, tid);
    if (!t || t->state != THREAD_RUNNING || p->state != PROC_RUNNING)
        return false;
    if (t == tt->t[tt->cur])
        return true;
    save_context(p, tt->t[tt->cur]);
    for (int i = 0; i < tt->n; i++)
        if (tt->t[i] == t)
            tt->cur = i;
    load_context(p, t);
    tt->switches++;
    tt->switch_at = p->cpu.instret + next_slice(tt);
    FILE *tr = sched_trace(p);
    if (tr)
        fprintf(tr, "[sched] the debugger puts thread %d on the hart\n", tid);
    return true;
}
