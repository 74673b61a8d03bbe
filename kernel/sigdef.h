/* kernel/sigdef.h — the Linux RV32 signal ABI as numbers and names:
 * signal numbers, si_code values, sa_flags, the rt_sigframe layout, the
 * siginfo image (PLATFORM.md §2, §3).  A format header: readers of core
 * files (inspect/) use it without the kernel's signal machinery. */
#ifndef VMLAB_KERNEL_SIGDEF_H
#define VMLAB_KERNEL_SIGDEF_H

#include <stdint.h>

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
#define SIGXFSZ 25
#define SIGSYS 31

/* si_code values (PLATFORM.md §2.2) */
#define SI_USER     0
#define SI_KERNEL   0x80
#define SI_TKILL    (-6)
#define ILL_ILLOPC  1
#define TRAP_BRKPT  1
#define TRAP_TRACE  2            /* a single step */
#define TRAP_HWBKPT 4            /* a hardware breakpoint or watchpoint */
#define BUS_ADRALN  1
#define BUS_ADRERR  2
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2

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

enum sig_default { SIGDFL_TERM, SIGDFL_CORE, SIGDFL_IGNORE, SIGDFL_STOP, SIGDFL_CONT };

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

#endif
