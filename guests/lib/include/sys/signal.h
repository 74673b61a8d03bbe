/* sys/signal.h — the same as <signal.h> (vmlab's, Linux RV32 layout). */
#ifndef _SYS_SIGNAL_H
#define _SYS_SIGNAL_H
#include <signal.h>
#endif
