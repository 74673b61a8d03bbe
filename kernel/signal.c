/* kernel/signal.c — signal actions, masks and delivery, Linux RV32 style.
 *
 * Delivery builds the kernel's rt_sigframe (PLATFORM.md §3: 944 bytes,
 * siginfo at +0, ucontext at +128, registers at uc+160) on the user stack
 * or the alternate stack, and enters the handler with a0 = signal,
 * a1 = &info, a2 = &uc, ra = the [sigpage] trampoline.  rt_sigreturn reads
 * every register back from the ucontext, so a handler that edits them
 * changes where and how the program resumes. */
#include "kernel/signal.h"

#include <errno.h>
#include <string.h>

#include "kernel/core.h"
#include "kernel/hostsig.h"
#include "kernel/proc.h"
#include "kernel/query.h"
#include "kernel/thread.h"
#include "kernel/vm.h"

#define BIT(sig)      (1ull << ((sig) - 1))
#define UNBLOCKABLE   (BIT(SIGKILL) | BIT(SIGSTOP))
/* Delivered before others, as Linux's SYNCHRONOUS_MASK. */
#define SYNCHRONOUS   (BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGTRAP) | \
                       BIT(SIGFPE) | BIT(SIGSYS))

void sig_init(struct sig_state *s)
{
    memset(s, 0, sizeof *s);
    s->ss_flags = SS_DISABLE;
}

enum sig_default sig_default_action(int sig)
{
    switch (sig) {
    case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGBUS:
    case SIGFPE: case SIGSEGV: case SIGXCPU: case SIGXFSZ: case SIGSYS:
        return SIGDFL_CORE;
    case SIGCHLD: case 23 /* SIGURG */: case 28 /* SIGWINCH */:
        return SIGDFL_IGNORE;
    case SIGCONT:
        return SIGDFL_CONT;
    case SIGSTOP: case 20: case 21: case 22:
        return SIGDFL_STOP;
    default:
        return SIGDFL_TERM;
    }
}

static const char *const names[32] = {
    "SIG0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",
    "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN",
    "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",
    "SIGIO", "SIGPWR", "SIGSYS",
};

const char *sig_name(int sig)
{
    if (sig >= 0 && sig < 32)
        return names[sig];
    return sig >= 32 && sig <= NSIG_LINUX ? "SIGRT" : "SIG?";
}

/* The messages bash prints for a child killed by a signal. */
const char *sig_description(int sig)
{
    static const char *const d[32] = {
        "Signal 0", "Hangup", "Interrupt", "Quit", "Illegal instruction",
        "Trace/breakpoint trap", "Aborted", "Bus error", "Floating point exception",
        "Killed", "User defined signal 1", "Segmentation fault", "User defined signal 2",
        "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited",
        "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)",
        "Stopped (tty output)", "Urgent I/O condition", "CPU time limit exceeded",
        "File size limit exceeded", "Virtual timer expired", "Profiling timer expired",
        "Window changed", "I/O possible", "Power failure", "Bad system call",
    };
    if (sig >= 0 && sig < 32)
        return d[sig];
    return "Real-time signal";
}

const char *sig_code_name(int sig, int code)
{
    if (code == SI_USER)
        return "SI_USER";
    if (code == SI_TKILL)
        return "SI_TKILL";
    if (code == SI_KERNEL)
        return "SI_KERNEL";
    switch (sig) {
    case SIGSEGV: return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : NULL;
    case SIGBUS:  return code == BUS_ADRALN ? "BUS_ADRALN" : code == BUS_ADRERR ? "BUS_ADRERR" : NULL;
    case SIGILL:  return code == ILL_ILLOPC ? "ILL_ILLOPC" : NULL;
    case SIGTRAP: return code == TRAP_BRKPT ? "TRAP_BRKPT" : NULL;
    default: return NULL;
    }
}

static bool ignored(const struct sig_state *s, int sig)
{
    uint32_t h = s->act[sig].handler;
    return h == SIG_IGN || (h == SIG_DFL && (sig_default_action(sig) == SIGDFL_IGNORE ||
                                             sig_default_action(sig) == SIGDFL_CONT));
}

void sig_thread_save(const struct sig_state *s, struct sig_thread *t)
{
    t->blocked = s->blocked;
    t->pending = s->pending;
    memcpy(t->info, s->info, sizeof t->info);
    t->ss_sp = s->ss_sp;
    t->ss_size = s->ss_size;
    t->ss_flags = s->ss_flags;
    t->restore_saved = s->restore_saved;
    t->saved_mask = s->saved_mask;
}

void sig_thread_load(struct sig_state *s, const struct sig_thread *t)
{
    s->blocked = t->blocked;
    s->pending = t->pending;
    memcpy(s->info, t->info, sizeof s->info);
    s->ss_sp = t->ss_sp;
    s->ss_size = t->ss_size;
    s->ss_flags = t->ss_flags;
    s->restore_saved = t->restore_saved;
    s->saved_mask = t->saved_mask;
}

bool sig_queue_thread(const struct sig_state *s, struct sig_thread *t,
                      const struct ksiginfo *info)
{
    int sig = info->signo;
    if (!(t->blocked & BIT(sig)) && ignored(s, sig))
        return false;
    if (!(t->pending & BIT(sig)))
        t->info[sig] = *info;
    t->pending |= BIT(sig);
    return true;
}

void sig_send(struct proc *p, const struct ksiginfo *info)
{
    struct sig_state *s = &p->sig;
    int sig = info->signo;
    if (sig < 1 || sig > NSIG_LINUX)
        return;
    if (sig == SIGKILL) {                       /* cannot be caught or blocked */
        proc_kill(p, SIGKILL, NULL);
        return;
    }
    if (p->th.n > 1) {
        /* Process-directed: to the main thread if it does not block it,
         * else to the first thread in TID order that does not (Linux
         * complete_signal tries the group leader first); if every thread
         * blocks it, the running one keeps it pending. */
        for (int i = 0; i < p->th.n; i++) {
            struct thread *t = p->th.t[i];
            if (t->state == THREAD_EXITED)
                continue;
            if (i == p->th.cur ? !(s->blocked & BIT(sig)) : !(t->sig.blocked & BIT(sig))) {
                thread_signal(p, t, info);
                return;
            }
        }
        /* every thread blocks it: the process keeps it, for the first
         * thread that unblocks it */
        if (!(s->shared & BIT(sig)))
            s->shared_info[sig] = *info;
        s->shared |= BIT(sig);
        return;
    }
    sig_send_here(p, info);
}

/* The shared signals in take become the running thread's own. */
static void take_shared(struct sig_state *s, uint64_t take)
{
    take &= s->shared;
    for (int sig = 1; sig <= NSIG_LINUX; sig++)
        if (take & BIT(sig)) {
            if (!(s->pending & BIT(sig)))
                s->info[sig] = s->shared_info[sig];
            s->pending |= BIT(sig);
        }
    s->shared &= ~take;
}

bool sig_claim_shared(struct proc *p)
{
    struct sig_state *s = &p->sig;
    uint64_t take = s->shared & ~s->blocked;
    take_shared(s, take);
    return take != 0;
}

void sig_send_here(struct proc *p, const struct ksiginfo *info)
{
    struct sig_state *s = &p->sig;
    int sig = info->signo;
    if (!(s->blocked & BIT(sig)) && ignored(s, sig))
        return;                                 /* discarded at send time */
    if (!(s->pending & BIT(sig)))
        s->info[sig] = *info;
    s->pending |= BIT(sig);
}

void sig_force(struct proc *p, const struct ksiginfo *info)
{
    struct sig_state *s = &p->sig;
    int sig = info->signo;
    if ((s->blocked & BIT(sig)) || s->act[sig].handler == SIG_IGN) {
        s->act[sig].handler = SIG_DFL;
        s->blocked &= ~BIT(sig);
    }
    s->info[sig] = *info;
    s->pending |= BIT(sig);
}

static bool on_altstack(const struct sig_state *s, uint32_t sp)
{
    return s->ss_size && sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
}

static void put32(uint8_t *b, unsigned off, uint32_t v)
{
    memcpy(b + off, &v, 4);
}

static uint32_t get32(const uint8_t *b, unsigned off)
{
    uint32_t v;
    memcpy(&v, b + off, 4);
    return v;
}

void sig_encode_info(const struct ksiginfo *si, uint8_t out[SIGINFO_SIZE])
{
    memset(out, 0, SIGINFO_SIZE);
    put32(out, 0, (uint32_t)si->signo);
    put32(out, 4, (uint32_t)si->errno_);
    put32(out, 8, (uint32_t)si->code);
    if (si->code == SI_USER || si->code == SI_TKILL) {
        put32(out, 12, (uint32_t)si->pid);
        put32(out, 16, (uint32_t)si->uid);
    } else {
        put32(out, 12, si->addr);
    }
}

/* Push the frame and redirect the hart to the handler.  Returns false if
 * the frame could not be written (the caller forces SIGSEGV). */
static bool setup_frame(struct proc *p, int sig, struct k_sigaction *ka)
{
    struct sig_state *s = &p->sig;
    uint32_t *x = p->cpu.x;
    uint32_t sp = x[2];
    bool was_on_alt = on_altstack(s, sp);
    bool use_alt = false;
    if ((ka->flags & SA_ONSTACK) && !(s->ss_flags & SS_DISABLE) && s->ss_size && !was_on_alt) {
        sp = s->ss_sp + s->ss_size;
        use_alt = true;
    }
    uint32_t frame = (sp - SIGFRAME_SIZE) & ~15u;
    if ((use_alt || was_on_alt) && !on_altstack(s, frame + 1))
        return false;                           /* the alternate stack overflowed */
    if (frame > sp)
        return false;                           /* wrapped below 0 */

    uint8_t f[SIGFRAME_SIZE];
    memset(f, 0, sizeof f);
    sig_encode_info(&s->info[sig], f + SIGFRAME_INFO);
    uint8_t *uc = f + SIGFRAME_UC;
    put32(uc, UC_STACK_SP, s->ss_sp);
    put32(uc, UC_STACK_FLAGS, (s->ss_flags & SS_DISABLE) ? SS_DISABLE
                              : (was_on_alt ? SS_ONSTACK : 0) | (s->ss_flags & SS_AUTODISARM));
    put32(uc, UC_STACK_SIZE, s->ss_size);
    uint64_t saved = s->restore_saved ? s->saved_mask : s->blocked;
    put32(uc, UC_SIGMASK, (uint32_t)saved);
    put32(uc, UC_SIGMASK + 4, (uint32_t)(saved >> 32));
    put32(uc, UC_MCONTEXT, p->cpu.pc);
    for (int i = 1; i < 32; i++)
        put32(uc, UC_MCONTEXT + 4 * (unsigned)i, x[i]);
    if (vm_copy_out(p, frame, f, sizeof f, NULL))
        return false;

    if (s->restore_saved) {                     /* rt_sigsuspend's mask ends here */
        s->blocked = s->saved_mask;
        s->restore_saved = false;
    }
    s->blocked |= ka->mask;
    if (!(ka->flags & SA_NODEFER))
        s->blocked |= BIT(sig);
    s->blocked &= ~UNBLOCKABLE;
    if (use_alt && (s->ss_flags & SS_AUTODISARM)) {
        s->ss_sp = s->ss_size = 0;
        s->ss_flags = SS_DISABLE;
    }
    uint32_t handler = ka->handler;
    if (ka->flags & SA_RESETHAND)
        ka->handler = SIG_DFL;
    p->cpu.pc = handler;
    x[2] = frame;
    x[1] = SIGPAGE_ADDR;
    x[10] = (uint32_t)sig;
    x[11] = frame + SIGFRAME_INFO;
    x[12] = frame + SIGFRAME_UC;
    p->cpu.resv_valid = false;
    p->fault.valid = false;          /* handled: a later core must not blame it */
    s->delivered++;
    proc_event(p, KQ_EV_SIGNAL, frame, "%s -> handler 0x%08x, frame at 0x%08x%s", sig_name(sig),
               handler, frame, use_alt ? " (alternate stack)" : "");
    FILE *t = proc_trace(p, TRACE_SIGNAL);
    if (t)
        fprintf(t, "[signal] %s delivered to handler 0x%08x, frame at 0x%08x%s\n",
                sig_name(sig), handler, frame, use_alt ? " (alternate stack)" : "");
    return true;
}

static void default_action(struct proc *p, int sig)
{
    FILE *t = proc_trace(p, TRACE_SIGNAL);
    switch (sig_default_action(sig)) {
    case SIGDFL_IGNORE:
    case SIGDFL_CONT:
    case SIGDFL_STOP:          /* no job control here: nothing to stop for */
        if (t)
            fprintf(t, "[signal] %s ignored (default action)\n", sig_name(sig));
        return;
    case SIGDFL_TERM:
        if (t)
            fprintf(t, "[signal] %s: default action terminates the process\n", sig_name(sig));
        proc_kill(p, sig, NULL);
        return;
    case SIGDFL_CORE:
        if (t)
            fprintf(t, "[signal] %s: default action terminates the process and dumps core\n",
                    sig_name(sig));
        proc_kill(p, sig, NULL);
        core_dump(p, sig);
        return;
    }
}

void sig_fatal(struct proc *p, int sig)
{
    default_action(p, sig);
    if (p->state == PROC_RUNNING)               /* an ignore/stop default */
        proc_kill(p, sig, NULL);
}

/* With a debugger attached, a signal about to be delivered stops the
 * process instead (ptrace's signal-delivery-stop) and waits for the
 * debugger (kq_deliver) — unless it is SIGKILL, one the debugger passes
 * on without a stop, the one it is delivering itself, or ignored. */
static __attribute__((noinline)) bool debugger_takes(struct proc *p, int sig)
{
    struct sig_state *s = &p->sig;
    if (sig == SIGKILL || sig == p->dbg.let_through || (p->dbg.pass & BIT(sig)) ||
        ignored(s, sig))
        return false;
    p->dbg.held = sig;
    p->dbg.held_info = s->info[sig];
    p->stop_hit |= KQ_STOP_SIGNAL;
    return true;
}

static void deliver_pending(struct proc *p)
{
    struct sig_state *s = &p->sig;
    if (unlikely(s->shared & ~s->blocked))
        sig_claim_shared(p);                    /* this thread unblocked one */
    while (p->state == PROC_RUNNING) {
        uint64_t ready = s->pending & ~s->blocked;
        if (!ready) {
            if (s->restore_saved) {             /* no handler ran: the mask comes back */
                s->blocked = s->saved_mask;
                s->restore_saved = false;
            }
            return;
        }
        if (ready & SYNCHRONOUS)
            ready &= SYNCHRONOUS;
        int sig = __builtin_ctzll(ready) + 1;
        s->pending &= ~BIT(sig);
        struct k_sigaction *ka = &s->act[sig];
        if (ka->handler == SIG_IGN)
            continue;
        if (unlikely(p->dbg.attached) && debugger_takes(p, sig))
            return;
        if (ka->handler == SIG_DFL) {
            default_action(p, sig);
            continue;
        }
        if (!setup_frame(p, sig, ka)) {
            /* Linux force_sigsegv(): a SIGSEGV whose own frame failed is
             * reset to the default action, so the process dies. */
            FILE *t = proc_trace(p, TRACE_SIGNAL);
            if (t)
                fprintf(t, "[signal] cannot push the frame for %s at sp=0x%08x -> SIGSEGV\n",
                        sig_name(sig), p->cpu.x[2]);
            if (sig == SIGSEGV)
                ka->handler = SIG_DFL;
            struct ksiginfo si = { .signo = SIGSEGV, .code = SI_KERNEL };
            sig_force(p, &si);
        }
    }
}

bool sig_restarts(const struct proc *p)
{
    const struct sig_state *s = &p->sig;
    uint64_t ready = s->pending & ~s->blocked;
    if (!ready)
        ready = s->shared & ~s->blocked;       /* the thread's own come first */
    if (!ready)
        return true;
    if (ready & SYNCHRONOUS)
        ready &= SYNCHRONOUS;
    const struct k_sigaction *ka = &s->act[__builtin_ctzll(ready) + 1];
    return ka->handler == SIG_DFL || ka->handler == SIG_IGN || (ka->flags & SA_RESTART);
}

void sig_deliver(struct proc *p)
{
    /* usually nothing is pending, for the thread or the process */
    if ((p->sig.pending | p->sig.shared) & ~p->sig.blocked)
        deliver_pending(p);
}

/* --- system calls ----------------------------------------------------------- */

long sig_sys_rt_sigaction(struct proc *p, int sig, uint32_t act, uint32_t oact, uint32_t setsize)
{
    struct sig_state *s = &p->sig;
    if (setsize != 8)
        return -EINVAL;
    if (sig < 1 || sig > NSIG_LINUX || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    uint32_t in[4];
    if (act && vm_copy_in(p, in, act, sizeof in, NULL))
        return -EFAULT;
    if (oact) {
        struct k_sigaction *o = &s->act[sig];
        uint32_t out[4] = { o->handler, o->flags, (uint32_t)o->mask, (uint32_t)(o->mask >> 32) };
        if (vm_copy_out(p, oact, out, sizeof out, NULL))
            return -EFAULT;
    }
    if (act) {
        struct k_sigaction *n = &s->act[sig];
        n->handler = in[0];
        n->flags = in[1];
        n->mask = ((uint64_t)in[3] << 32 | in[2]) & ~UNBLOCKABLE;
        if (ignored(s, sig))
            s->pending &= ~BIT(sig);           /* POSIX: discard pending */
    }
    return 0;
}

long sig_sys_rt_sigprocmask(struct proc *p, int how, uint32_t set, uint32_t oset, uint32_t setsize)
{
    struct sig_state *s = &p->sig;
    if (setsize != 8)
        return -EINVAL;
    uint64_t old = s->blocked, n = 0;
    if (set) {
        uint32_t w[2];
        if (vm_copy_in(p, w, set, sizeof w, NULL))
            return -EFAULT;
        n = (uint64_t)w[1] << 32 | w[0];
        switch (how) {
        case 0: n = old | n; break;            /* SIG_BLOCK */
        case 1: n = old & ~n; break;           /* SIG_UNBLOCK */
        case 2: break;                         /* SIG_SETMASK */
        default: return -EINVAL;
        }
    }
    if (oset) {
        uint32_t w[2] = { (uint32_t)old, (uint32_t)(old >> 32) };
        if (vm_copy_out(p, oset, w, sizeof w, NULL))
            return -EFAULT;
    }
    if (set)
        s->blocked = n & ~UNBLOCKABLE;
    return 0;
}

/* Linux do_sigaltstack(): install ss (if any) given the current sp. */
static long do_sigaltstack(struct proc *p, const uint32_t ss[3], uint32_t sp)
{
    struct sig_state *s = &p->sig;
    if (on_altstack(s, sp))
        return -EPERM;
    uint32_t flags = ss[1], mode = flags & ~SS_AUTODISARM;
    if (mode != 0 && mode != SS_ONSTACK && mode != SS_DISABLE)
        return -EINVAL;
    if (mode == SS_DISABLE) {
        s->ss_sp = s->ss_size = 0;
        s->ss_flags = SS_DISABLE;
        return 0;
    }
    if (ss[2] < MINSIGSTKSZ)
        return -ENOMEM;
    s->ss_sp = ss[0];
    s->ss_size = ss[2];
    s->ss_flags = flags & SS_AUTODISARM;
    return 0;
}

long sig_sys_sigaltstack(struct proc *p, uint32_t ss, uint32_t oss)
{
    struct sig_state *s = &p->sig;
    uint32_t sp = p->cpu.x[2];
    uint32_t old[3] = { s->ss_sp, (s->ss_flags & SS_DISABLE) ? SS_DISABLE
                                  : (on_altstack(s, sp) ? SS_ONSTACK : 0) | (s->ss_flags & SS_AUTODISARM),
                        s->ss_size };
    if (ss) {
        uint32_t in[3];
        if (vm_copy_in(p, in, ss, sizeof in, NULL))
            return -EFAULT;
        long rc = do_sigaltstack(p, in, sp);
        if (rc)
            return rc;
    }
    if (oss && vm_copy_out(p, oss, old, sizeof old, NULL))
        return -EFAULT;
    return 0;
}

long sig_sys_rt_sigreturn(struct proc *p)
{
    uint32_t *x = p->cpu.x;
    uint32_t frame = x[2];
    uint8_t uc[UC_SIZE];
    if (vm_copy_in(p, uc, frame + SIGFRAME_UC, sizeof uc, NULL) ||
        get32(uc, UC_RESERVED) != 0 || get32(uc, UC_EXT_MAGIC) != 0 ||
        get32(uc, UC_EXT_SIZE) != 0) {
        FILE *t = proc_trace(p, TRACE_SIGNAL);
        if (t)
            fprintf(t, "[signal] rt_sigreturn: bad frame at sp=0x%08x -> SIGSEGV\n", frame);
        struct ksiginfo si = { .signo = SIGSEGV, .code = SI_KERNEL };
        sig_force(p, &si);
        return (long)(int32_t)x[10];
    }
    uint64_t mask = (uint64_t)get32(uc, UC_SIGMASK + 4) << 32 | get32(uc, UC_SIGMASK);
    p->sig.blocked = mask & ~UNBLOCKABLE;
    p->cpu.pc = get32(uc, UC_MCONTEXT) & ~1u;
    for (int i = 1; i < 32; i++)
        x[i] = get32(uc, UC_MCONTEXT + 4 * (unsigned)i);
    uint32_t ss[3] = { get32(uc, UC_STACK_SP), get32(uc, UC_STACK_FLAGS), get32(uc, UC_STACK_SIZE) };
    (void)do_sigaltstack(p, ss, x[2]);          /* errors squashed, as Linux restore_altstack */
    p->cpu.resv_valid = false;
    FILE *t = proc_trace(p, TRACE_SIGNAL);
    if (t)
        fprintf(t, "[signal] rt_sigreturn: resuming at pc=0x%08x\n", p->cpu.pc);
    return (long)(int32_t)x[10];
}

long sig_sys_rt_sigpending(struct proc *p, uint32_t uset, uint32_t setsize)
{
    if (setsize > 8)
        return -EINVAL;
    uint64_t set = (p->sig.pending | p->sig.shared) & p->sig.blocked;
    uint32_t w[2] = { (uint32_t)set, (uint32_t)(set >> 32) };
    return vm_copy_out(p, uset, w, setsize, NULL);
}

/* Would delivering sig now run something: a handler, or a default action
 * that does more than ignore it? */
static bool acts(const struct sig_state *s, int sig)
{
    return s->act[sig].handler != SIG_IGN && !ignored(s, sig);
}

void sig_wait_forever(struct proc *p, const char *call)
{
    static char why[160];
    snprintf(why, sizeof why, "%s waits for a signal, but nothing can send one "
             "(one thread, no timers, and what other processes may send is blocked "
             "or ignored): killed instead", call);
    proc_kill(p, SIGKILL, why);
}

bool sig_outside_can_end(const struct proc *p, uint64_t mask)
{
    for (int sig = 1; sig <= 32 && p->opt.host_signals; sig++)
        if ((HOSTSIG_SET >> (sig - 1) & 1) && !(mask & BIT(sig)) && acts(&p->sig, sig))
            return true;
    return false;
}

long sig_sys_rt_sigsuspend(struct proc *p, uint32_t umask, uint32_t setsize)
{
    struct sig_state *s = &p->sig;
    if (setsize != 8)
        return -EINVAL;
    uint32_t w[2];
    if (vm_copy_in(p, w, umask, sizeof w, NULL))
        return -EFAULT;
    uint64_t mask = ((uint64_t)w[1] << 32 | w[0]) & ~UNBLOCKABLE;
    take_shared(s, ~mask);                      /* the mask it waits with lets them in */
    uint64_t ready = s->pending & ~mask;
    for (int sig = 1; sig <= NSIG_LINUX; sig++)
        if ((ready & BIT(sig)) && !acts(s, sig))
            ready &= ~BIT(sig), s->pending &= ~BIT(sig);   /* discarded on delivery */
    if (!ready && (p->th.n > 1 || sig_outside_can_end(p, mask))) {
        /* other threads may send one, or another process (or the
         * terminal) through vmlab: wait with mask (its handler's frame
         * saves the old mask, as below); the scheduler tells a wait
         * nothing can end from one that a signal from outside may */
        s->saved_mask = s->blocked;
        s->restore_saved = true;
        s->blocked = mask;
        thread_sigwait(p);
        return -EINTR;
    }
    if (!ready) {
        sig_wait_forever(p, "rt_sigsuspend");
        return -EINTR;
    }
    s->saved_mask = s->blocked;
    s->restore_saved = true;
    s->blocked = mask;
    return -EINTR;                              /* sig_deliver runs the handler next */
}

long sig_dequeue(struct proc *p, uint64_t set, uint32_t uinfo)
{
    struct sig_state *s = &p->sig;
    take_shared(s, set & ~UNBLOCKABLE);         /* sigwaitinfo takes the process's too */
    uint64_t ready = s->pending & set & ~UNBLOCKABLE;
    if (!ready)
        return 0;
    if (ready & SYNCHRONOUS)
        ready &= SYNCHRONOUS;
    int sig = __builtin_ctzll(ready) + 1;
    if (uinfo) {
        uint8_t info[SIGINFO_SIZE];
        sig_encode_info(&s->info[sig], info);
        if (vm_copy_out(p, uinfo, info, sizeof info, NULL))
            return -EFAULT;
    }
    s->pending &= ~BIT(sig);
    return sig;
}
