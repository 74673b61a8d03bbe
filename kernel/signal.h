/* kernel/signal.h — Linux RV32 signals: actions, masks, delivery through
 * an rt_sigframe on the guest stack, rt_sigreturn, default actions
 * (PLATFORM.md §2, §3). */
#ifndef VMLAB_KERNEL_SIGNAL_H
#define VMLAB_KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sigdef.h"

struct proc;

struct k_sigaction {
    uint32_t handler;          /* SIG_DFL, SIG_IGN or a guest address */
    uint32_t flags;
    uint64_t mask;
};

struct sig_state {
    struct k_sigaction act[NSIG_LINUX + 1];
    uint64_t blocked;          /* bit n-1 = signal n */
    uint64_t pending;
    struct ksiginfo info[NSIG_LINUX + 1];
    uint32_t ss_sp, ss_size;   /* sigaltstack */
    uint32_t ss_flags;         /* SS_DISABLE or 0 (AUTODISARM kept in flags) */
    uint64_t delivered;        /* count, for --stats */
    /* rt_sigsuspend: the mask to put back once a handler is entered (the
     * frame saves it, so rt_sigreturn restores it) or, with no handler, at
     * the end of the next delivery round. */
    bool     restore_saved;
    uint64_t saved_mask;
    /* Process-directed signals every thread blocked when they came
     * (Linux's shared_pending): the first thread that unblocks one takes
     * it (sig_claim_shared).  The process's, not a thread's: a switch
     * leaves them. */
    uint64_t shared;
    struct ksiginfo shared_info[NSIG_LINUX + 1];
};

/* The part of the signal state that is each thread's own (Linux's
 * task_struct: blocked, pending, sas_ss_*), kept here for a thread that is
 * not on the hart; struct sig_state holds the running thread's. */
struct sig_thread {
    uint64_t blocked, pending;
    struct ksiginfo info[NSIG_LINUX + 1];
    uint32_t ss_sp, ss_size, ss_flags;
    bool     restore_saved;
    uint64_t saved_mask;
};

void sig_init(struct sig_state *s);

/* A system call's internal result when a signal came while it waited
 * (Linux's ERESTARTSYS, never seen by the guest): it is made again if no
 * handler runs for the signal delivered next, or if that handler has
 * SA_RESTART (sig_restarts); else it fails with EINTR. */
#define ERESTARTSYS 512
bool sig_restarts(const struct proc *p);

/* A context switch: the running thread's part of s goes to `save`, the
 * next one's comes from `load` (they may be the same). */
void sig_thread_save(const struct sig_state *s, struct sig_thread *save);
void sig_thread_load(struct sig_state *s, const struct sig_thread *load);

/* Queue info for a thread not on the hart (its part in t; the actions
 * in s).  Returns false if the signal is discarded (ignored). */
bool sig_queue_thread(const struct sig_state *s, struct sig_thread *t,
                      const struct ksiginfo *info);

/* Queue a signal (kill, tgkill, abort()).  Standard signals do not queue:
 * a second one while pending is merged. */
void sig_send(struct proc *p, const struct ksiginfo *info);

/* Queue a signal for the thread on the hart only (tgkill to it). */
void sig_send_here(struct proc *p, const struct ksiginfo *info);

/* The thread on the hart takes the shared signals it does not block
 * (into its own pending set).  Returns true if it took any. */
bool sig_claim_shared(struct proc *p);

/* With signals from outside on (kernel/hostsig.h): could one of them end
 * a wait of a thread whose mask is `mask` — one it does not block, whose
 * delivery does something (a handler, or a default that does not ignore)? */
bool sig_outside_can_end(const struct proc *p, uint64_t mask);

/* A synchronous fault: if the signal is blocked or ignored it is forced to
 * its default action (Linux force_sig_fault), then queued. */
void sig_force(struct proc *p, const struct ksiginfo *info);

/* End the process by sig as its default action would (dumping core for
 * the core signals) whatever handler is installed: for kills the kernel
 * decides itself, such as the --max-insns limit (SIGXCPU). */
void sig_fatal(struct proc *p, int sig);

/* Before returning to user mode: deliver every pending, unblocked signal
 * (run the default action, or build a handler frame).  May end the
 * process. */
void sig_deliver(struct proc *p);

/* The syscalls (return value for a0). */
long sig_sys_rt_sigaction(struct proc *p, int sig, uint32_t act, uint32_t oact, uint32_t setsize);
long sig_sys_rt_sigprocmask(struct proc *p, int how, uint32_t set, uint32_t oset, uint32_t setsize);
long sig_sys_sigaltstack(struct proc *p, uint32_t ss, uint32_t oss);
long sig_sys_rt_sigreturn(struct proc *p);
/* rt_sigpending(set, size): the pending signals that are blocked. */
long sig_sys_rt_sigpending(struct proc *p, uint32_t uset, uint32_t setsize);
/* rt_sigsuspend(mask, size): run with mask until a signal's handler has
 * run (the call then returns -EINTR; the old mask comes back with
 * rt_sigreturn) or its default action ends the process.  When no signal
 * can come (one thread, no timers, no other processes), the process is
 * killed with a message instead of waiting forever. */
long sig_sys_rt_sigsuspend(struct proc *p, uint32_t umask, uint32_t setsize);
/* Take the lowest pending signal in set off the queue for
 * rt_sigtimedwait, writing its siginfo to uinfo (if not 0).  Returns the
 * signal, 0 if none in set is pending, or -EFAULT. */
long sig_dequeue(struct proc *p, uint64_t set, uint32_t uinfo);
/* End a process that waits for a signal nothing can send (`call` names
 * the call, for the message). */
void sig_wait_forever(struct proc *p, const char *call);

#endif
