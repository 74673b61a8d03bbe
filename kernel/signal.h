/* kernel/signal.h — Linux RV32 signals: actions, masks, delivery through
 * an rt_sigframe on the guest stack, rt_sigreturn, default actions
 * (PLATFORM.md §2, §3). */
#ifndef VMLAB_KERNEL_SIGNAL_H
#define VMLAB_KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

struct proc;

#define NSIG_LINUX 64
#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGXCPU 24
#define SIGSYS 31

/* si_code values (PLATFORM.md §2.2) */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_TKILL    (-6)
#define ILL_ILLOPC  1
#define TRAP_BRKPT  1
#define BUS_ADRALN  1
#define BUS_ADRERR  2
/* SEGV_MAPERR / SEGV_ACCERR are in kernel/vm.h */

/* sa_flags (PLATFORM.md §2.4) */
#define SA_SIGINFO   0x00000004u
#define SA_ONSTACK   0x08000000u
#define SA_RESTART   0x10000000u
#define SA_NODEFER   0x40000000u
#define SA_RESETHAND 0x80000000u
#define SIG_DFL 0u
#define SIG_IGN 1u
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define SS_AUTODISARM 0x80000000u
#define MINSIGSTKSZ 2048

/* Frame layout (PLATFORM.md §3): the kernel's 944-byte rt_sigframe. */
#define SIGFRAME_SIZE     944
#define SIGFRAME_INFO     0
#define SIGFRAME_UC       128
#define UC_FLAGS          0
#define UC_LINK           4
#define UC_STACK_SP       8
#define UC_STACK_FLAGS    12
#define UC_STACK_SIZE     16
#define UC_SIGMASK        20
#define UC_MCONTEXT       160          /* pc, then x1..x31 */
#define UC_RESERVED       804          /* must be 0 on sigreturn */
#define UC_EXT_MAGIC      808
#define UC_EXT_SIZE       812
#define UC_SIZE           816

#define SIGINFO_SIZE 128

/* The kernel's view of a siginfo (what goes into the 128 bytes). */
struct ksiginfo {
    int      signo, errno_, code;
    uint32_t addr;             /* faults: si_addr (offset 12) */
    int      pid, uid;         /* kill/tkill: offsets 12 and 16 */
};

struct k_sigaction {
    uint32_t handler;          /* SIG_DFL, SIG_IGN or a guest address */
    uint32_t flags;
    uint64_t mask;
};

enum sig_default { SIGDFL_TERM, SIGDFL_CORE, SIGDFL_IGNORE, SIGDFL_STOP, SIGDFL_CONT };

struct sig_state {
    struct k_sigaction act[NSIG_LINUX + 1];
    uint64_t blocked;          /* bit n-1 = signal n */
    uint64_t pending;
    struct ksiginfo info[NSIG_LINUX + 1];
    uint32_t ss_sp, ss_size;   /* sigaltstack */
    uint32_t ss_flags;         /* SS_DISABLE or 0 (AUTODISARM kept in flags) */
    uint64_t delivered;        /* count, for --stats */
};

void sig_init(struct sig_state *s);

/* Default action of a signal (PLATFORM.md §2.1). */
enum sig_default sig_default_action(int sig);

/* "Segmentation fault", "Illegal instruction", ... (what a shell prints). */
const char *sig_description(int sig);
/* "SIGSEGV" */
const char *sig_name(int sig);
/* "SEGV_ACCERR" etc., or NULL. */
const char *sig_code_name(int sig, int code);

/* The 128-byte siginfo_t image (PLATFORM.md §3.3), as the frame and the
 * core file's NT_SIGINFO carry it. */
void sig_encode_info(const struct ksiginfo *si, uint8_t out[SIGINFO_SIZE]);

/* Queue a signal (kill, tgkill, abort()).  Standard signals do not queue:
 * a second one while pending is merged. */
void sig_send(struct proc *p, const struct ksiginfo *info);

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

#endif
