/* kernel/hostsig.h — signals sent to vmlab from outside, passed on to the
 * guest (see hostsig.c).  Forwarding is on for a process whose
 * opt.host_signals is set; the host handlers are the CLI's. */
#ifndef VMLAB_KERNEL_HOSTSIG_H
#define VMLAB_KERNEL_HOSTSIG_H

#include <stdbool.h>
#include <stdint.h>

struct proc;

/* The signals passed on (bit n-1: Linux signal n): SIGHUP, SIGINT,
 * SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM — what a terminal or kill(1) sends
 * a program.  cli/host.c catches these. */
#define HOSTSIG_SET 0x4a07u

/* Make the pipe that wakes waits when a signal comes.  0 or -errno. */
int hostsig_init(void);

/* From the host's signal handler (async-signal-safe): Linux signal sig
 * came, with its si_code and sender pid. */
void hostsig_arrived(int sig, int code, int pid);

/* Did any come since the last hostsig_take?  (Inline: the run loop asks
 * at every stop of the CPU.) */
extern uint32_t hostsig_pending;
static inline bool hostsig_waiting(void)
{
    return __atomic_load_n(&hostsig_pending, __ATOMIC_RELAXED) != 0;
}

/* The pipe's read end: readable once a signal came (-1 before init). */
int hostsig_fd(void);

/* The pipe was readable: empty it, and say whether a signal is waiting
 * to be taken (a byte may come after its signal was taken already). */
bool hostsig_drain(void);

/* Queue what came as process-directed signals of p (kill's rules); true
 * if any did. */
bool hostsig_take(struct proc *p);

#endif
