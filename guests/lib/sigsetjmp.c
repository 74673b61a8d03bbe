/* sigsetjmp.c — sigsetjmp and siglongjmp over picolibc's setjmp/longjmp.
 *
 * sigsetjmp cannot be an ordinary C function calling setjmp: setjmp would
 * save the registers of a frame that is gone once sigsetjmp returns.  So
 * it is naked: it stores savemask, asks the kernel for the blocked set if
 * savemask is non-zero (one rt_sigprocmask, raw, so no frame is needed),
 * and then jumps (not calls) to setjmp, which saves the caller's ra, sp
 * and s0-s11 as if the program had called setjmp itself.  siglongjmp may
 * be plain C: it never returns. */
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>

__attribute__((naked)) int sigsetjmp(sigjmp_buf env, int savemask)
{
    (void)env;
    (void)savemask;
    __asm__ volatile(
        "sw     a1, %0(a0)\n"           /* env->__savemask = savemask */
        "beqz   a1, 1f\n"
        "mv     t0, a0\n"
        "li     a0, 0\n"                /* how: ignored, set is NULL */
        "li     a1, 0\n"                /* set = NULL: only read the mask */
        "addi   a2, t0, %1\n"           /* oldset = &env->__mask */
        "li     a3, 8\n"                /* sigsetsize */
        "li     a7, %2\n"
        "ecall\n"                       /* cannot fail: every pointer is good */
        "mv     a0, t0\n"
        "1:\n"
        "tail   setjmp\n"
        :
        : "i"(offsetof(struct __sigjmp_buf, __savemask)),
          "i"(offsetof(struct __sigjmp_buf, __mask)), "i"(SYS_rt_sigprocmask));
}

void siglongjmp(sigjmp_buf env, int val)
{
    if (env->__savemask)
        sigprocmask(SIG_SETMASK, &env->__mask, NULL);
    longjmp(env->__jb, val);
}
