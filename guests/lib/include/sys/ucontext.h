/* sys/ucontext.h — see <ucontext.h>. */
#ifndef VMLAB_SYS_UCONTEXT_H
#define VMLAB_SYS_UCONTEXT_H
#include <signal.h>
#endif
