/* tests/test_signal.c — signal actions, masks, rt_sigframe layout and
 * delivery, rt_sigreturn, default actions (PLATFORM.md §2, §3). */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/vm.h"
#include "tests/suites.h"

/* The layout numbers of PLATFORM.md §3, restated. */
_Static_assert(SIGFRAME_SIZE == 944, "rt_sigframe is 944 bytes on rv32");
_Static_assert(SIGFRAME_UC == 128, "ucontext follows the 128-byte siginfo");
_Static_assert(UC_SIGMASK == 20 && UC_MCONTEXT == 160, "ucontext offsets");
_Static_assert(UC_SIZE == 816 && UC_RESERVED == 804, "ucontext size");

static struct proc *new_proc(void)
{
    char *argv[] = { (char *)test_path("guests/hello"), NULL };
    char *envp[] = { NULL };
    struct proc_options o = { .mem_size = 8 << 20 };
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    if (!p)
        fprintf(stderr, "proc_create: %s\n", err);
    return p;
}

static int32_t sys(struct proc *p, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    uint32_t *x = p->cpu.x;
    x[17] = nr, x[10] = a0, x[11] = a1, x[12] = a2, x[13] = a3;
    syscall_dispatch(p);
    return (int32_t)x[10];
}

enum { NR_kill = 129, NR_tgkill = 131, NR_sigaltstack = 132, NR_rt_sigaction = 134,
       NR_rt_sigprocmask = 135, NR_rt_sigreturn = 139, NR_mmap2 = 222 };

static uint32_t scratch(struct proc *p)
{
    return (uint32_t)sys(p, NR_mmap2, 0, 8 * PAGE_SIZE, 3, 0x22);
}

static int32_t set_action(struct proc *p, uint32_t buf, int sig, uint32_t handler,
                          uint32_t flags, uint64_t mask)
{
    uint32_t act[5] = { handler, flags, (uint32_t)mask, (uint32_t)(mask >> 32), 0 };
    vm_copy_out(p, buf, act, sizeof act, NULL);
    return sys(p, NR_rt_sigaction, (uint32_t)sig, buf, 0, 8);
}

static uint32_t rd32(struct proc *p, uint32_t va)
{
    uint32_t v = 0xdeadbeef;
    CU_ASSERT_EQUAL(vm_copy_in(p, &v, va, 4, NULL), 0);
    return v;
}

static void test_default_actions(void)
{
    CU_ASSERT_EQUAL(sig_default_action(SIGSEGV), SIGDFL_CORE);
    CU_ASSERT_EQUAL(sig_default_action(SIGABRT), SIGDFL_CORE);
    CU_ASSERT_EQUAL(sig_default_action(SIGILL), SIGDFL_CORE);
    CU_ASSERT_EQUAL(sig_default_action(SIGTERM), SIGDFL_TERM);
    CU_ASSERT_EQUAL(sig_default_action(SIGUSR1), SIGDFL_TERM);
    CU_ASSERT_EQUAL(sig_default_action(SIGKILL), SIGDFL_TERM);
    CU_ASSERT_EQUAL(sig_default_action(SIGCHLD), SIGDFL_IGNORE);
    CU_ASSERT_EQUAL(sig_default_action(40), SIGDFL_TERM);
    CU_ASSERT_STRING_EQUAL(sig_description(SIGSEGV), "Segmentation fault");
    CU_ASSERT_STRING_EQUAL(sig_description(SIGABRT), "Aborted");
    CU_ASSERT_STRING_EQUAL(sig_description(SIGILL), "Illegal instruction");
}

/* Deliver SIGUSR1 (sent with kill) to a handler; check the frame and the
 * handler's registers; then edit the frame and rt_sigreturn. */
static void test_deliver_and_return(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = scratch(p);
    CU_ASSERT_EQUAL(set_action(p, buf, SIGUSR1, 0x10100, SA_SIGINFO, 1ull << (SIGUSR2 - 1)), 0);
    uint32_t *x = p->cpu.x;
    for (int i = 1; i < 32; i++)
        x[i] = 0x1000u * (uint32_t)i;
    x[2] = STACK_TOP - 0x1004;                 /* unaligned sp */
    p->cpu.pc = 0x10200;
    uint32_t sp = x[2], old_pc = p->cpu.pc;
    /* kill(getpid(), SIGUSR1): queued, delivered on the way out */
    p->cpu.x[17] = NR_kill, x[10] = (uint32_t)p->pid, x[11] = SIGUSR1;
    p->cpu.pc -= 4;                            /* syscall_dispatch adds 4 */
    syscall_dispatch(p);
    CU_ASSERT_EQUAL(x[10], 0);
    CU_ASSERT(p->sig.pending & (1u << (SIGUSR1 - 1)));
    x[10] = 0xa0a0;                            /* the interrupted a0 */
    sig_deliver(p);
    uint32_t frame = (sp - 944) & ~15u;
    CU_ASSERT_EQUAL(p->cpu.pc, 0x10100);
    CU_ASSERT_EQUAL(x[2], frame);
    CU_ASSERT_EQUAL(x[10], SIGUSR1);
    CU_ASSERT_EQUAL(x[11], frame);
    CU_ASSERT_EQUAL(x[12], frame + 128);
    CU_ASSERT_EQUAL(x[1], SIGPAGE_ADDR);
    CU_ASSERT_EQUAL(x[5], 0x5000);             /* others unchanged */
    /* siginfo */
    CU_ASSERT_EQUAL(rd32(p, frame + 0), SIGUSR1);
    CU_ASSERT_EQUAL(rd32(p, frame + 4), 0);
    CU_ASSERT_EQUAL(rd32(p, frame + 8), SI_USER);
    CU_ASSERT_EQUAL(rd32(p, frame + 12), (uint32_t)p->pid);
    CU_ASSERT_EQUAL(rd32(p, frame + 16), (uint32_t)getuid());
    /* ucontext */
    uint32_t uc = frame + 128;
    CU_ASSERT_EQUAL(rd32(p, uc + UC_STACK_FLAGS), SS_DISABLE);
    CU_ASSERT_EQUAL(rd32(p, uc + UC_SIGMASK), 0);          /* mask before delivery */
    CU_ASSERT_EQUAL(rd32(p, uc + UC_MCONTEXT), old_pc);
    CU_ASSERT_EQUAL(rd32(p, uc + UC_MCONTEXT + 4 * 2), sp);
    CU_ASSERT_EQUAL(rd32(p, uc + UC_MCONTEXT + 4 * 10), 0xa0a0);
    CU_ASSERT_EQUAL(rd32(p, uc + UC_MCONTEXT + 4 * 31), 0x1f000);
    CU_ASSERT_EQUAL(rd32(p, uc + UC_RESERVED), 0);
    /* blocked in the handler: sa_mask | the signal */
    CU_ASSERT_EQUAL(p->sig.blocked, (1ull << (SIGUSR1 - 1)) | (1ull << (SIGUSR2 - 1)));
    /* the trampoline page holds li a7,139; ecall */
    CU_ASSERT_EQUAL(rd32(p, SIGPAGE_ADDR), 0x08b00893);
    CU_ASSERT_EQUAL(rd32(p, SIGPAGE_ADDR + 4), 0x00000073);

    /* The handler edits the saved pc and a0, then returns. */
    uint32_t newpc = old_pc + 8, newa0 = 77;
    vm_copy_out(p, uc + UC_MCONTEXT, &newpc, 4, NULL);
    vm_copy_out(p, uc + UC_MCONTEXT + 40, &newa0, 4, NULL);
    x[5] = 0;                                  /* clobbered by the handler */
    p->cpu.pc = SIGPAGE_ADDR + 4;
    x[17] = NR_rt_sigreturn;
    syscall_dispatch(p);
    CU_ASSERT_EQUAL(p->cpu.pc, newpc);
    CU_ASSERT_EQUAL(x[10], 77);
    CU_ASSERT_EQUAL(x[5], 0x5000);
    CU_ASSERT_EQUAL(x[2], sp);
    CU_ASSERT_EQUAL(p->sig.blocked, 0);
    CU_ASSERT_EQUAL(p->sig.delivered, 1);
    proc_destroy(p);
}

static void test_flags(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = scratch(p);
    CU_ASSERT_EQUAL(set_action(p, buf, SIGUSR2, 0x10100, SA_NODEFER | SA_RESETHAND, 0), 0);
    struct ksiginfo si = { .signo = SIGUSR2, .code = SI_TKILL, .pid = p->pid };
    sig_send(p, &si);
    sig_deliver(p);
    CU_ASSERT_EQUAL(p->cpu.pc, 0x10100);
    CU_ASSERT_EQUAL(p->sig.blocked, 0);                   /* NODEFER */
    CU_ASSERT_EQUAL(p->sig.act[SIGUSR2].handler, SIG_DFL); /* RESETHAND */
    CU_ASSERT_EQUAL(p->sig.act[SIGUSR2].flags, SA_NODEFER | SA_RESETHAND);
    CU_ASSERT_EQUAL(rd32(p, p->cpu.x[11] + 8), (uint32_t)SI_TKILL);
    /* a second one now takes the default action: terminate, no core */
    sig_send(p, &si);
    sig_deliver(p);
    CU_ASSERT_EQUAL(p->state, PROC_KILLED);
    CU_ASSERT_EQUAL(p->term_sig, SIGUSR2);
    CU_ASSERT_FALSE(p->core_dumped);
    CU_ASSERT_EQUAL(proc_status(p), 128 + SIGUSR2);
    proc_destroy(p);
}

static void test_altstack(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = scratch(p);
    uint32_t alt = buf + PAGE_SIZE, altsize = 4 * PAGE_SIZE;
    uint32_t ss[3] = { alt, 0, 1000 };
    vm_copy_out(p, buf + 64, ss, sizeof ss, NULL);
    CU_ASSERT_EQUAL(sys(p, NR_sigaltstack, buf + 64, 0, 0, 0), -ENOMEM);  /* < MINSIGSTKSZ */
    ss[1] = 7;
    ss[2] = altsize;
    vm_copy_out(p, buf + 64, ss, sizeof ss, NULL);
    CU_ASSERT_EQUAL(sys(p, NR_sigaltstack, buf + 64, 0, 0, 0), -EINVAL);  /* bad flags */
    ss[1] = 0;
    vm_copy_out(p, buf + 64, ss, sizeof ss, NULL);
    CU_ASSERT_EQUAL(sys(p, NR_sigaltstack, buf + 64, buf + 128, 0, 0), 0);
    CU_ASSERT_EQUAL(rd32(p, buf + 128 + 4), SS_DISABLE);                   /* old: none */
    CU_ASSERT_EQUAL(set_action(p, buf, SIGSEGV, 0x10100, SA_ONSTACK | SA_SIGINFO, 0), 0);
    struct ksiginfo si = { .signo = SIGSEGV, .code = SEGV_MAPERR, .addr = 0x40000ffc };
    sig_force(p, &si);
    sig_deliver(p);
    uint32_t frame = (alt + altsize - 944) & ~15u;
    CU_ASSERT_EQUAL(p->cpu.x[2], frame);
    CU_ASSERT_EQUAL(rd32(p, frame + 12), 0x40000ffc);                     /* si_addr */
    CU_ASSERT_EQUAL(rd32(p, frame + 8), SEGV_MAPERR);
    CU_ASSERT_EQUAL(rd32(p, frame + 128 + UC_STACK_SP), alt);
    CU_ASSERT_EQUAL(rd32(p, frame + 128 + UC_STACK_SIZE), altsize);
    /* while on the alternate stack, sigaltstack reports SS_ONSTACK and refuses changes */
    CU_ASSERT_EQUAL(sys(p, NR_sigaltstack, 0, buf + 128, 0, 0), 0);
    CU_ASSERT_EQUAL(rd32(p, buf + 128 + 4), SS_ONSTACK);
    CU_ASSERT_EQUAL(sys(p, NR_sigaltstack, buf + 64, 0, 0, 0), -EPERM);
    proc_destroy(p);
}

/* A frame that cannot be pushed kills the process with SIGSEGV. */
static void test_frame_fault(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = scratch(p);
    CU_ASSERT_EQUAL(set_action(p, buf, SIGSEGV, 0x10100, SA_SIGINFO, 0), 0);
    p->cpu.x[2] = 0x2000;                        /* sp points nowhere */
    struct ksiginfo si = { .signo = SIGSEGV, .code = SEGV_MAPERR, .addr = 0x1ff0 };
    sig_force(p, &si);
    sig_deliver(p);
    CU_ASSERT_EQUAL(p->state, PROC_KILLED);
    CU_ASSERT_EQUAL(p->term_sig, SIGSEGV);
    proc_destroy(p);
}

/* A synchronous fault whose signal is blocked is forced to its default. */
static void test_blocked_fault(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = scratch(p);
    CU_ASSERT_EQUAL(set_action(p, buf, SIGSEGV, 0x10100, 0, 0), 0);
    uint32_t set[2] = { 1u << (SIGSEGV - 1), 0 };
    vm_copy_out(p, buf + 64, set, sizeof set, NULL);
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigprocmask, 0, buf + 64, 0, 8), 0);
    struct ksiginfo si = { .signo = SIGSEGV, .code = SEGV_ACCERR, .addr = 0x10000 };
    sig_force(p, &si);
    sig_deliver(p);
    CU_ASSERT_EQUAL(p->state, PROC_KILLED);
    CU_ASSERT_EQUAL(p->term_sig, SIGSEGV);
    proc_destroy(p);
}

static void test_syscall_errors(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = scratch(p);
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigaction, SIGUSR1, 0, buf, 16), -EINVAL);
    CU_ASSERT_EQUAL(set_action(p, buf, SIGKILL, 1, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(set_action(p, buf, 65, 1, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(set_action(p, buf, 0, 1, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigaction, SIGUSR1, 0x10, 0, 8), -EFAULT);
    /* oact: 16 bytes written, the 5th word untouched (the kernel's struct) */
    CU_ASSERT_EQUAL(set_action(p, buf, SIGUSR1, 0x10100, SA_SIGINFO, 0), 0);
    uint32_t fill[5] = { 9, 9, 9, 9, 9 };
    vm_copy_out(p, buf + 256, fill, sizeof fill, NULL);
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigaction, SIGUSR1, 0, buf + 256, 8), 0);
    CU_ASSERT_EQUAL(rd32(p, buf + 256), 0x10100);
    CU_ASSERT_EQUAL(rd32(p, buf + 260), SA_SIGINFO);
    CU_ASSERT_EQUAL(rd32(p, buf + 264), 0);
    CU_ASSERT_EQUAL(rd32(p, buf + 272), 9);
    /* sigprocmask: KILL/STOP never blocked; bad how */
    uint32_t all[2] = { 0xffffffff, 0xffffffff };
    vm_copy_out(p, buf + 64, all, sizeof all, NULL);
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigprocmask, 2, buf + 64, 0, 8), 0);
    CU_ASSERT_EQUAL(p->sig.blocked & (1u << (SIGKILL - 1)), 0);
    CU_ASSERT_EQUAL(p->sig.blocked & (1u << (SIGSTOP - 1)), 0);
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigprocmask, 1, buf + 64, buf + 80, 8), 0);
    CU_ASSERT_EQUAL(p->sig.blocked, 0);
    CU_ASSERT_EQUAL(rd32(p, buf + 80), 0xfffffeffu & ~(1u << (SIGSTOP - 1)));
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigprocmask, 7, buf + 64, 0, 8), -EINVAL);
    CU_ASSERT_EQUAL(sys(p, NR_rt_sigprocmask, 0, buf + 64, 0, 4), -EINVAL);
    /* kill/tgkill targets */
    CU_ASSERT_EQUAL(sys(p, NR_kill, 1, 0, 0, 0), -ESRCH);
    CU_ASSERT_EQUAL(sys(p, NR_kill, (uint32_t)p->pid, 99, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(sys(p, NR_kill, (uint32_t)p->pid, 0, 0, 0), 0);
    CU_ASSERT_EQUAL(sys(p, NR_tgkill, (uint32_t)p->pid, (uint32_t)p->pid + 1, SIGUSR1, 0), -ESRCH);
    /* an ignored signal is discarded */
    CU_ASSERT_EQUAL(set_action(p, buf, SIGUSR2, SIG_IGN, 0, 0), 0);
    CU_ASSERT_EQUAL(sys(p, NR_kill, (uint32_t)p->pid, SIGUSR2, 0, 0), 0);
    CU_ASSERT_EQUAL(p->sig.pending, 0);
    CU_ASSERT_EQUAL(sys(p, NR_kill, (uint32_t)p->pid, SIGCHLD, 0, 0), 0);   /* default ignore */
    CU_ASSERT_EQUAL(p->sig.pending, 0);
    /* a bad frame on rt_sigreturn is SIGSEGV */
    p->cpu.x[2] = 0x100;
    sys(p, NR_rt_sigreturn, 0, 0, 0, 0);
    sig_deliver(p);
    CU_ASSERT_EQUAL(p->state, PROC_KILLED);
    CU_ASSERT_EQUAL(p->term_sig, SIGSEGV);
    proc_destroy(p);
}

void signal_suite_add(void)
{
    CU_pSuite s = CU_add_suite("signal", NULL, NULL);
    CU_add_test(s, "default actions and names", test_default_actions);
    CU_add_test(s, "rt_sigframe delivery and rt_sigreturn", test_deliver_and_return);
    CU_add_test(s, "SA_NODEFER, SA_RESETHAND, SI_TKILL", test_flags);
    CU_add_test(s, "sigaltstack and SA_ONSTACK", test_altstack);
    CU_add_test(s, "frame push fault kills with SIGSEGV", test_frame_fault);
    CU_add_test(s, "blocked synchronous fault is forced", test_blocked_fault);
    CU_add_test(s, "syscall errors, masks, ignored signals", test_syscall_errors);
}
