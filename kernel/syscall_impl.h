/* kernel/syscall_impl.h — what the system-call files share (the syscall
 * module's own header: kernel/syscall.c dispatches, kernel/sysfile.c and
 * kernel/systime.c hold groups of calls). */
#ifndef VMLAB_KERNEL_SYSCALL_IMPL_H
#define VMLAB_KERNEL_SYSCALL_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/syscalls.def"

struct proc;

/* One handler per row of kernel/syscalls.def: the six argument registers
 * in, the result (or -errno, in Linux's numbering) out. */
#define SYS_DECLARE(name, nr, nargs, kinds) long sys_##name(struct proc *p, const uint32_t *a);
SYSCALL_LIST(SYS_DECLARE)
#undef SYS_DECLARE

/* The host fd behind guest fd, or -1 if it is not open. */
int sys_host_fd(const struct proc *p, uint32_t fd);

/* The host dirfd for a guest dirfd argument: AT_FDCWD (-100) is the
 * process's working directory.  -1 if the guest fd is not open. */
int sys_host_dirfd(const struct proc *p, uint32_t dirfd);

/* The first guest fd a new descriptor may not take: the soft
 * RLIMIT_NOFILE, at most the table's PROC_FDS slots. */
uint32_t sys_fd_limit(const struct proc *p);

/* Is a guest fd below the limit free? */
bool sys_fd_free(const struct proc *p);

/* Would a wait on guest fd gfd never end?  True when gfd is an end of a
 * pipe the guest made (pipe2, or a copy of one: p->pipes) and the other
 * end (the writing one for events POLLIN, the reading one for POLLOUT) is
 * open in the guest's fd table too: then only the guest can fill or drain
 * it, and nobody else ever will. */
bool sys_pipe_self_only(const struct proc *p, uint32_t gfd, short events);

/* The lowest free guest fd at or above `from` (to hold host fd h), or
 * -EMFILE.  The slot is filled on success. */
int sys_fd_install(struct proc *p, int h, uint32_t from);

/* Is host fd h one of vmlab's own /proc files (/proc/self/..., i.e.
 * /proc/PID/... or /proc/PID itself)?  They describe the emulator, not
 * the guest: /proc/self/mem written would overwrite vmlab's own code. */
bool sys_host_own_proc(int h);
/* Is the directory that path (relative to host dirfd) names its last
 * part in one of them?  /proc/self/fd/N opens vmlab's own fd N (the swap
 * file, say), which is not itself in /proc. */
bool sys_dir_own_proc(int dirfd, const char *path);

/* Close host fd h unless it is one of vmlab's own 0, 1, 2. */
void sys_host_close(int h);

/* Guest time on Linux clock id `id` (0..7, linux/time.h), in ns: the
 * host's clock plus the guest's sleeps for the wall and monotonic clocks
 * (kernel/systime.c). */
int64_t sys_guest_ns(const struct proc *p, uint32_t id);

/* --trace syscall: the strace-style line for call nr with arguments a
 * (printed as kinds says, see kernel/syscalls.def) and its result
 * (kernel/systrace.c). */
void systrace_call(struct proc *p, uint32_t nr, const uint32_t *a, const char *kinds, long ret);

/* A struct __kernel_timespec from the guest: the time in ns, -EFAULT, or
 * -EINVAL for a negative or out-of-range time (kernel/systime.c). */
int64_t sys_timespec_in(struct proc *p, uint32_t uaddr);

/* Wait `ns` nanoseconds of guest time: the guest clock moves on at once,
 * or with --real-sleep the host sleeps too (kernel/systime.c).  Returns
 * 0, or the time left (> 0) when a signal from outside came meanwhile
 * (hostsig_waiting: not taken yet). */
int64_t sys_sleep(struct proc *p, int64_t ns);

/* The same, with --real-sleep while kq_wake is on (gdb attached, the
 * view's window), until `end` (host monotonic ns): the wait is a poll of
 * gdb's socket and of the pipe of signals from outside, for wake_ms at
 * most at a time.  0 once `end` has passed (or --timeout's: the run loop
 * kills), SLEEP_WAKE when the run must stop for kq_wake's caller first
 * (KQ_STOP_WAKE is set), or the time left (> 0) when a signal came from
 * outside (not taken yet). */
#define SLEEP_WAKE (-1)
int64_t sys_sleep_woken(struct proc *p, int64_t end);

/* The end of such a sleep of ns from now; if sys_sleep_cut cut this call
 * short on the run before (the same pc), the end it had (Linux keeps it
 * in the restart_block). */
int64_t sys_sleep_end(struct proc *p, int64_t ns);

/* SLEEP_WAKE came: note the end for the call made again, -ERESTARTSYS. */
long sys_sleep_cut(struct proc *p, int64_t end);

#endif
