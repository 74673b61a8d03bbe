/* ucontext.h — ucontext_t and mcontext_t (defined in signal.h, where the
 * SA_SIGINFO handler's third argument needs them). */
#ifndef VMLAB_UCONTEXT_H
#define VMLAB_UCONTEXT_H

#include <signal.h>

#endif
