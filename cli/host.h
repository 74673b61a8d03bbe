/* cli/host.h — host process set-up that needs the host's <signal.h>,
 * kept apart because kernel/signal.h defines the guest's (Linux RV32)
 * signal constants under the same names. */
#ifndef VMLAB_CLI_HOST_H
#define VMLAB_CLI_HOST_H

/* Ignore SIGPIPE in vmlab itself: a write to a closed pipe then fails
 * with EPIPE, which the kernel turns into the guest's SIGPIPE.  Ignore
 * SIGXFSZ too: a write past RLIMIT_FSIZE then fails with EFBIG. */
void host_ignore_sigpipe(void);

#endif
