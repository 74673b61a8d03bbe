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

#define NT_PRSTATUS 1
#define NT_PRPSINFO 3
#define NT_AUXV     6
#define NT_SIGINFO  0x53494749u
#define NT_FILE     0x46494c45u
#define NT_VMLAB    0x564d4c31u      /* "VML1" */

#define PRSTATUS_SIZE 204
#define PRPSINFO_SIZE 128
#define PRSTATUS_REG  72             /* pr_reg: pc, x1..x31 */

/* The VMLAB note, version 1: little-endian u32 fields in this order.
 *   version, fault_valid, cause, access, addr, pc, si_code, stack_overflow,
 *   walk_levels, pte_addr[0] lo, hi, pte_addr[1] lo, hi, pte[0], pte[1],
 *   satp, instret lo, instret hi, stack_limit, brk_start, brk, nseg,
 *   then nseg records of { start, end, perms, kind, resident pages,
 *   char name[16] } (36 bytes each). */
#define VMLAB_NOTE_VERSION 1
#define VMLAB_NOTE_HEAD    (22 * 4)
#define VMLAB_NOTE_SEG     36

/* Write the core of p, dying of sig, to the file named by
 * opt.core_pattern (default "core.%e.%p": %e program, %p pid, %s signal,
 * %t time, %% percent), atomically: a temporary file in the same directory
 * renamed into place, so a failure never leaves a partial file.  Memory
 * that would push the file past opt.core_limit is left out (p_filesz 0),
 * as RLIMIT_CORE truncates; a limit too small for the notes writes
 * nothing.  Sets p->core_dumped and p->core_path on success; on failure
 * prints one warning line to stderr. */
void core_dump(struct proc *p, int sig);

/* Expand a core pattern into buf.  Returns 0 or -ENAMETOOLONG. */
int core_expand_pattern(const char *pattern, const char *comm, int pid, int sig,
                        long long t, char *buf, size_t len);

#endif
