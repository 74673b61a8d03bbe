/* kernel/thread.h — Linux threads of one process: clone with the flags a
 * pthreads library passes, futex, the thread exit versus exit_group, and
 * a deterministic round-robin scheduler over one hart
 * (docs/platform/threads.md).
 *
 * The process keeps ONE struct cpu (the hart) and ONE address space.  The
 * running thread's registers live in the hart; every other thread's are
 * saved in its struct thread.  A context switch copies them out of and
 * into the hart, at a cpu_run stop only (a trap, or an exact instruction
 * limit), so the interpreter and the translator never see a thread. */
#ifndef VMLAB_KERNEL_THREAD_H
#define VMLAB_KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/signal.h"

struct proc;

#define MAX_THREADS 64               /* threads alive at once in one process */
#define DEFAULT_QUANTUM 10000u       /* instructions per time slice */

enum thread_state {
    THREAD_RUNNING,                  /* on the hart, or ready to be */
    THREAD_FUTEX,                    /* in FUTEX_WAIT */
    THREAD_IO,                       /* in read or write, its host fd not ready */
    THREAD_EXITED,                   /* gone; reaped at the next switch */
};

struct thread {
    int      tid;
    enum thread_state state;
    /* the hart context while not on the hart */
    uint32_t x[32];
    uint32_t pc;
    /* per-thread signal state while not on the hart (signal.h) */
    struct sig_thread sig;
    uint32_t clear_child_tid;        /* set_tid_address / CLONE_CHILD_CLEARTID */
    int      exit_code;
    /* the futex wait */
    uint32_t futex_addr;
    uint32_t futex_bitset;
    uint64_t wait_seq;               /* FIFO order among the waiters */
    bool     has_deadline;
    long     timeout_result;         /* a0 when the deadline passes */
    uint32_t sleep_rem;              /* thread_sleep's rem, or 0 */
    int      deadline_clock;         /* Linux clock id of the deadline */
    int64_t  deadline_ns;            /* absolute, on that guest clock */
    /* the I/O wait: the call is made again once io_fd is ready */
    int      io_fd;                  /* host fd */
    short    io_events;              /* POLLIN or POLLOUT */
    uint32_t io_a0;                  /* a0 to make the call again with */
    /* the stack clone gave it: the mapping holding the initial sp */
    uint32_t stack_sp;               /* initial sp (0 for the main thread) */
    uint32_t stack_lo, stack_hi;     /* that mapping, [lo, hi); 0 if none */
};

/* The threads of a process (struct proc's `th`). */
struct thread_table {
    struct thread *t[MAX_THREADS];
    int      n;                      /* entries used */
    int      cur;                    /* index of the thread on the hart */
    int      next_tid;
    uint64_t wait_seq;
    bool     resched;                /* switch at the next stop */
    bool     hart_saved;             /* inside a switch: the hart's context is saved */
    uint64_t switch_at;              /* instret at which the slice ends */
    uint64_t quantum;                /* --quantum */
    uint64_t rng;                    /* --sched-seed's xorshift state; 0: fixed slices */
    uint64_t switches;               /* context switches, for --stats */
    uint64_t created;                /* threads clone made */
    int      only_tid;               /* a debugger runs only this thread (0: all) */
};

/* Set up the table with the main thread (TID = pid).  0 or -ENOMEM. */
int  thread_init(struct proc *p, uint64_t quantum, uint64_t seed);
void thread_free(struct proc *p);

/* The thread on the hart. */
static inline struct thread *thread_cur(struct thread_table *tt)
{
    return tt->t[tt->cur];
}

/* The instret at which the run loop must stop to switch: UINT64_MAX with
 * one thread (nothing to switch to). */
static inline uint64_t thread_next_stop(const struct thread_table *tt)
{
    return tt->n > 1 ? tt->switch_at : UINT64_MAX;
}

/* After a cpu_run stop: switch if the slice is over or the running
 * thread blocked or exited.  Reports a deadlock (every thread waits and
 * nothing can wake one) and ends the process then. */
void thread_schedule(struct proc *p);

/* Switch the hart to thread tid if it can run (for a debugger's step).
 * Returns false (and changes nothing) if it does not exist or waits. */
bool thread_select(struct proc *p, int tid);

/* A debugger's "only this thread" (gdb's vCont;c:TID; scheduler-locking):
 * the scheduler picks thread tid alone while it can run; when it waits,
 * the others run until it can again.  0: every thread. */
void thread_lock(struct proc *p, int tid);

/* The thread with this TID, or NULL. */
struct thread *thread_find(struct proc *p, int tid);

/* The live thread that contains addr in its clone stack mapping, or NULL. */
const struct thread *thread_stack_owner(struct proc *p, uint32_t addr);

/* Wake up to n waiters on uaddr whose bitset meets `bitset`; returns the
 * number woken. */
int futex_wake(struct proc *p, uint32_t uaddr, int n, uint32_t bitset);

/* The running thread sleeps until deadline_ns on guest clock `clock`
 * (clock_nanosleep with other threads to run).  rem: where a relative
 * sleep writes the time left when a signal's handler cuts it short (the
 * call's `remain`), or 0. */
void thread_sleep(struct proc *p, int clock, int64_t deadline_ns, uint32_t rem);

/* The running thread waits for a signal (rt_sigsuspend with other
 * threads that could send one); its mask is set already. */
void thread_sigwait(struct proc *p);

/* A signal was queued for the thread on the hart from outside the run
 * (kernel/hostsig.h): if it waits (its context on the hart, not saved)
 * and may take one, it stops waiting — a read or write is made again
 * after the handler when sig_restarts says so, anything else fails with
 * EINTR — and the scheduler looks again. */
void thread_signal_wake(struct proc *p);

/* Before a read or write that would block on host fd h (guest fd gfd;
 * events POLLIN or POLLOUT): with other threads alive, the running thread
 * waits instead (THREAD_IO) and makes the call again once h is ready, so
 * the one host thread never sleeps in the host call while another guest
 * thread could make h ready (the writer of a pipe its reader waits on).
 * 1: it waits (the call's result is set when it wakes); 0: make the call
 * (one thread, a non-blocking fd, or h ready); -EINTR: a signal is
 * waiting to be handled. */
int thread_io_wait(struct proc *p, int h, uint32_t gfd, short events);

/* Queue a signal for thread t (tgkill, tkill; a process-directed signal
 * the running thread blocks).  A thread in a futex wait that does not
 * block it is woken with -EINTR. */
void thread_signal(struct proc *p, struct thread *t, const struct ksiginfo *info);

/* Exit status when every thread waits on a futex nobody can wake:
 * SIGKILL's, as the kernel's other "waits forever" kill (README). */
#define DEADLOCK_SIGNAL 9

#endif
