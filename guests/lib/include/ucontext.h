/* ucontext.h — ucontext_t and mcontext_t, Linux RV32 layout.  They are
 * defined in signal.h, where an SA_SIGINFO handler's third argument needs
 * them.  getcontext/setcontext/makecontext/swapcontext are not provided. */
#ifndef VMLAB_UCONTEXT_H
#define VMLAB_UCONTEXT_H
#include <signal.h>
#endif
