/* cli/host.h — facts about the host process: its signal set-up (which
 * needs the host's <signal.h>, kept apart because kernel/signal.h defines
 * the guest's Linux RV32 signal constants under the same names) and where
 * this program's own file is. */
#ifndef VMLAB_CLI_HOST_H
#define VMLAB_CLI_HOST_H

#include <stddef.h>

/* Note which signals vmlab was started with ignored (nohup's SIGHUP, a
 * background job's SIGINT and SIGQUIT): execve keeps an ignored signal
 * ignored, so the guest starts with them ignored too.  Call first, before
 * vmlab changes any disposition.  host_inherited_ignored() gives them as
 * a mask of Linux signal numbers (bit n-1: signal n). */
void host_note_inherited(void);
unsigned host_inherited_ignored(void);

/* Ignore SIGPIPE in vmlab itself: a write to a closed pipe then fails
 * with EPIPE, which the kernel turns into the guest's SIGPIPE.  Ignore
 * SIGXFSZ too: a write past RLIMIT_FSIZE then fails with EFBIG (the guest
 * gets SIGXFSZ; a core or swap file that cannot be written is a warning). */
void host_ignore_sigpipe(void);

/* Catch the signals a user sends a program from outside — SIGINT and
 * SIGQUIT from the terminal, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2 from
 * kill(1) — and pass each to arrived(Linux signal number, si_code,
 * sender pid) from the handler (no SA_RESTART: a blocking call returns
 * EINTR).  Returns 0 or -errno. */
int host_forward_signals(void (*arrived)(int sig, int code, int pid));

/* The guest died of SIGINT: vmlab does too, once it has cleaned up, so
 * that a shell running it in a loop or a script stops there as it would
 * for the program itself (a shell waits for its child to die of SIGINT
 * before it gives up).  Returns only if the signal does not end it. */
void host_die_of_sigint(void);

/* The directory holding the running vmlab executable (symbolic links
 * resolved), without a trailing '/'.  Returns 0, or -1 if it cannot be
 * found or does not fit in n bytes. */
int host_exe_dir(char *dir, size_t n);

/* For --timeout: from `ms` milliseconds on, and every 100 ms after, a
 * SIGALRM that does nothing but interrupt a blocking read or write of the
 * guest's (EINTR), so the kernel sees the time is up.  Returns 0 or -errno. */
int host_arm_timeout(unsigned long long ms);

#endif
