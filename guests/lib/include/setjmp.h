/* setjmp.h — picolibc's setjmp/longjmp, plus what POSIX adds: sigjmp_buf,
 * sigsetjmp and siglongjmp (lib/sigsetjmp.c), which picolibc leaves out on
 * RISC-V.  sigsetjmp(env, 1) also saves the blocked-signal mask and
 * siglongjmp puts it back: the way out of a signal handler (the handler
 * runs with its signal blocked; a plain longjmp would leave it blocked). */
#ifndef VMLAB_SETJMP_H
#define VMLAB_SETJMP_H

#include_next <setjmp.h>
#include <sys/_sigset.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct __sigjmp_buf {
    jmp_buf __jb;               /* what setjmp saves: ra, sp, s0-s11 */
    unsigned long __savemask;   /* sigsetjmp's second argument */
    __sigset_t __mask;          /* the blocked set when it was called */
} sigjmp_buf[1];

int sigsetjmp(sigjmp_buf env, int savemask) __attribute__((__returns_twice__));
void siglongjmp(sigjmp_buf env, int val) __attribute__((__noreturn__));

/* XSI: like setjmp/longjmp, never touching the signal mask. */
#define _setjmp(env)       setjmp(env)
#define _longjmp(env, val) longjmp((env), (val))

#ifdef __cplusplus
}
#endif

#endif
