/* kernel/syscall.h — the Linux RV32 system-call layer (kernel/syscalls.def). */
#ifndef VMLAB_KERNEL_SYSCALL_H
#define VMLAB_KERNEL_SYSCALL_H

#include <stdint.h>

struct proc;

/* Handle the ecall that stopped the CPU: number in a7, arguments in a0..a5,
 * result (or -errno) in a0, pc advanced past the ecall (PLATFORM.md §1.1).
 * Numbers not in kernel/syscalls.def return -ENOSYS. */
void syscall_dispatch(struct proc *p);

/* The call's name for traces, or NULL. */
const char *syscall_name(uint32_t nr);

/* Linux errno name ("EFAULT") for traces, or NULL. */
const char *errno_name(long err);

#endif
