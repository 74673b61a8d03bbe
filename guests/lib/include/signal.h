/* signal.h — Linux RV32 signals: numbers, sigaction, siginfo_t,
 * ucontext_t, and the calls around them.
 *
 * Replaces picolibc's signal.h and sys/signal.h (same include guards):
 * theirs number signals like BSD (SIGBUS 10, SIGUSR1 30), keep a 32-bit
 * sigset_t and an emulated signal table.  These follow the Linux RV32 user
 * ABI (PLATFORM.md §2-§3), checked with _Static_assert below, so a handler
 * sees exactly the bytes the kernel (or qemu-riscv32) wrote into the
 * signal frame.  The calls are in lib/signal.c and lib/sigsetjmp.S.
 */
#ifndef _SIGNAL_H_
#define _SIGNAL_H_

#include <sys/types.h>
#include <sys/_sigset.h>
#include <sys/_timespec.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- numbers (PLATFORM.md §2.1) ----------------------------------------- */
#define SIGHUP     1
#define SIGINT     2
#define SIGQUIT    3
#define SIGILL     4
#define SIGTRAP    5
#define SIGABRT    6
#define SIGIOT     SIGABRT
#define SIGBUS     7
#define SIGFPE     8
#define SIGKILL    9
#define SIGUSR1   10
#define SIGSEGV   11
#define SIGUSR2   12
#define SIGPIPE   13
#define SIGALRM   14
#define SIGTERM   15
#define SIGSTKFLT 16
#define SIGCHLD   17
#define SIGCONT   18
#define SIGSTOP   19
#define SIGTSTP   20
#define SIGTTIN   21
#define SIGTTOU   22
#define SIGURG    23
#define SIGXCPU   24
#define SIGXFSZ   25
#define SIGVTALRM 26
#define SIGPROF   27
#define SIGWINCH  28
#define SIGIO     29
#define SIGPOLL   SIGIO
#define SIGPWR    30
#define SIGSYS    31
#define SIGRTMIN  32
#define SIGRTMAX  64
#define NSIG      65
#define _NSIG     NSIG

typedef int sig_atomic_t;
typedef void (*sighandler_t)(int);
typedef sighandler_t _sig_func_ptr;
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

#if !defined(_SIGSET_T_DECLARED)
#define _SIGSET_T_DECLARED
typedef __sigset_t sigset_t;
#endif

/* ---- sigaction flags (§2.4).  There is no SA_RESTORER on riscv. --------- */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000u
#define SA_NOMASK    SA_NODEFER
#define SA_ONESHOT   SA_RESETHAND

#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* ---- alternate signal stack --------------------------------------------- */
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM 0x80000000u
#define MINSIGSTKSZ   2048
#define SIGSTKSZ      8192

/* ---- si_code values (§2.2) ---------------------------------------------- */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_QUEUE    (-1)
#define SI_TIMER    (-2)
#define SI_MESGQ    (-3)
#define SI_ASYNCIO  (-4)
#define SI_SIGIO    (-5)
#define SI_TKILL    (-6)
#define SEGV_MAPERR 1   /* no segment at that address */
#define SEGV_ACCERR 2   /* a segment is there, but forbids this access */
#define BUS_ADRALN  1
#define BUS_ADRERR  2
#define BUS_OBJERR  3
#define ILL_ILLOPC  1
#define ILL_ILLOPN  2
#define ILL_ILLADR  3
#define ILL_ILLTRP  4
#define ILL_PRVOPC  5
#define ILL_PRVREG  6
#define ILL_COPROC  7
#define ILL_BADSTK  8
#define TRAP_BRKPT  1
#define TRAP_TRACE  2
#define FPE_INTDIV  1

union sigval {
    int sival_int;
    void *sival_ptr;
};

#define SIGEV_SIGNAL 0
#define SIGEV_NONE   1
#define SIGEV_THREAD 2

/* struct sigevent: 64 bytes, Linux's layout (for timer_create in time.h;
 * vmlab has no timers yet). */
struct sigevent {
    union sigval sigev_value;
    int sigev_signo;
    int sigev_notify;
    union {
        int __pad[13];
        struct {
            void (*sigev_notify_function)(union sigval);
            void *sigev_notify_attributes;
        };
    };
};

/* siginfo_t: 128 bytes (§3.3).  Note the order signo, errno, code. */
typedef struct {
    int si_signo;
    int si_errno;
    int si_code;
    union {
        void *si_addr;                  /* SIGSEGV SIGBUS SIGILL SIGTRAP SIGFPE */
        struct {
            pid_t si_pid;               /* kill, tgkill, sigqueue */
            unsigned int si_uid;        /* 32 bits, as the kernel writes it
                                           (picolibc's uid_t has 16) */
            union sigval si_value;
        };
        int __si_pad[29];
    };
} siginfo_t;

typedef struct {                        /* sigaltstack: 12 bytes */
    void *ss_sp;
    int ss_flags;
    size_t ss_size;
} stack_t;

/* ---- machine context (§3.4) ----------------------------------------------
 * __gregs[0] is the pc; __gregs[i] is register x_i for i = 1..31.  The FP
 * area is never filled on vmlab (RV32IMAC has no F/D); its last words must
 * stay zero for rt_sigreturn. */
#define REG_PC 0
#define REG_RA 1
#define REG_SP 2
#define REG_GP 3
#define REG_TP 4
#define REG_S0 8
#define REG_FP REG_S0
#define REG_S1 9
#define REG_A0 10
#define REG_A1 11
#define REG_A7 17
#define NGREG  32

typedef unsigned long greg_t;
typedef greg_t gregset_t[NGREG];

typedef struct {
    gregset_t __gregs;                          /* uc + 160 */
    _Alignas(16) unsigned char __fpregs[528];   /* uc + 288: f0..f31, fcsr, ext header */
} mcontext_t;

typedef struct ucontext {
    unsigned long uc_flags;                     /*   0 */
    struct ucontext *uc_link;                   /*   4 */
    stack_t uc_stack;                           /*   8 */
    sigset_t uc_sigmask;                        /*  20: restored by sigreturn */
    unsigned char __uc_pad[1024 / 8 - sizeof(sigset_t)]; /* room for 1024 signals */
    mcontext_t uc_mcontext;                     /* 160 (aligned to 16) */
} ucontext_t;

_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t is 128 bytes");
_Static_assert(__builtin_offsetof(siginfo_t, si_code) == 8, "si_code at 8");
_Static_assert(__builtin_offsetof(siginfo_t, si_addr) == 12, "si_addr at 12");
_Static_assert(__builtin_offsetof(siginfo_t, si_pid) == 12, "si_pid at 12");
_Static_assert(__builtin_offsetof(siginfo_t, si_uid) == 16, "si_uid at 16");
_Static_assert(sizeof(stack_t) == 12, "stack_t is 12 bytes");
_Static_assert(sizeof(sigset_t) == 8, "sigset_t is 64 bits");
_Static_assert(sizeof(struct sigevent) == 64, "sigevent is 64 bytes");
_Static_assert(__builtin_offsetof(ucontext_t, uc_stack) == 8, "uc_stack at 8");
_Static_assert(__builtin_offsetof(ucontext_t, uc_sigmask) == 20, "uc_sigmask at 20");
_Static_assert(__builtin_offsetof(ucontext_t, uc_mcontext) == 160, "mcontext at 160");
_Static_assert(__builtin_offsetof(ucontext_t, uc_mcontext.__fpregs) == 288, "FP area at 288");
_Static_assert(sizeof(ucontext_t) == 816, "ucontext_t is 816 bytes");

/* ---- sigaction ------------------------------------------------------------
 * The user-level struct (like glibc's and musl's).  lib/signal.c turns it
 * into the kernel's {handler, flags, mask} record; see there for how the
 * kernel/qemu difference in that record is handled. */
struct sigaction {
    union {
        void (*sa_handler)(int);
        void (*sa_sigaction)(int, siginfo_t *, void *);
    };
    sigset_t sa_mask;                   /* extra signals blocked in the handler */
    int sa_flags;                       /* SA_* */
};

int sigaction(int sig, const struct sigaction *__restrict act,
              struct sigaction *__restrict oldact);
sighandler_t signal(int sig, sighandler_t handler);
int sigprocmask(int how, const sigset_t *__restrict set, sigset_t *__restrict oldset);
int sigpending(sigset_t *set);
int sigsuspend(const sigset_t *mask);
int sigwait(const sigset_t *__restrict set, int *__restrict sig);
int sigwaitinfo(const sigset_t *__restrict set, siginfo_t *__restrict info);
int sigtimedwait(const sigset_t *__restrict set, siginfo_t *__restrict info,
                 const struct timespec *__restrict timeout);
int sigaltstack(const stack_t *__restrict ss, stack_t *__restrict old_ss);
int siginterrupt(int sig, int flag);
int kill(pid_t pid, int sig);
int tgkill(pid_t tgid, pid_t tid, int sig);
int raise(int sig);
int pause(void);
void psignal(int sig, const char *msg);
void psiginfo(const siginfo_t *info, const char *msg);

int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);

#ifdef __cplusplus
}
#endif

#endif
