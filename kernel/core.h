/* kernel/core.h — ELF core files of an emulated process (PLATFORM.md §5).
 *
 *   ELF header | PT_NOTE, PT_LOAD per segment | notes | (4 KiB aligned) memory
 *
 * Notes, in the kernel's order: NT_PRSTATUS, NT_PRPSINFO, NT_SIGINFO,
 * NT_AUXV, NT_FILE (owner "CORE"), then our own note (owner "VMLAB") with
 * what gdb does not need but a learner does: segment names and kinds, the
 * fault, the Sv32 walk of the faulting address, the instruction count. */
#ifndef VMLAB_KERNEL_CORE_H
#define VMLAB_KERNEL_CORE_H

#include <stddef.h>
#include <stdint.h>

struct proc;

#include "kernel/core_note.h"

/* Write the core of p, dying of sig, to the file named by
 * opt.core_pattern (default "core.%e.%p": %e program, %p pid, %s signal,
 * %t time, %% percent), atomically: a temporary file in the same directory
 * renamed into place, so a failure never leaves a partial file.  Memory
 * that would push the file past opt.core_limit is left out (p_filesz 0),
 * as RLIMIT_CORE truncates; a limit too small for the notes writes
 * nothing.  Sets p->core_dumped and p->core_path on success; on failure
 * (a full file system, RLIMIT_FSIZE, an unwritable or vanished directory)
 * prints one warning line to stderr and leaves no file behind: neither the
 * temporary one nor a changed file at the core's name. */
void core_dump(struct proc *p, int sig);

/* Write the core of p as it is now, dying of sig, into fd (a new, empty
 * file): no limit, no name, and nothing of p changes (a snapshot, as
 * gdb's gcore).  Returns 0 or -errno. */
int core_snapshot(struct proc *p, int sig, int fd);

/* Expand a core pattern into buf.  Returns 0 or -ENAMETOOLONG. */
int core_expand_pattern(const char *pattern, const char *comm, int pid, int sig,
                        long long t, char *buf, size_t len);

#endif
