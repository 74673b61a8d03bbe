/* kernel/core_note.h — the note records of a vmlab ELF core file
 * (PLATFORM.md §5.2): Linux's note types and sizes, and the layout of our
 * own VMLAB note.  A format header: the core writer (kernel/core.c) and
 * the core reader (inspect/coreread.c) both follow it. */
#ifndef VMLAB_KERNEL_CORE_NOTE_H
#define VMLAB_KERNEL_CORE_NOTE_H

#define NT_PRSTATUS 1
#define NT_PRPSINFO 3
#define NT_AUXV     6
#define NT_SIGINFO  0x53494749u
#define NT_FILE     0x46494c45u
#define NT_VMLAB    0x564d4c31u      /* "VML1" */
#define NT_VMLAB_THREADS 0x564d4c54u /* "VMLT" */

#define PRSTATUS_SIZE 204
#define PRPSINFO_SIZE 128
#define PRSTATUS_REG  72             /* pr_reg: pc, x1..x31 */

/* The VMLAB note, version 2: little-endian u32 fields in this order.
 *   version, fault_valid, cause, access, addr, pc, si_code, stack_overflow,
 *   walk_levels, pte_addr[0] lo, hi, pte_addr[1] lo, hi, pte[0], pte[1],
 *   satp, instret lo, instret hi, stack_limit, brk_start, brk, nseg,
 *   then nseg records of { start, end, perms, kind, resident pages,
 *   char name[16] } (36 bytes each),
 *   then each segment's page states, in segment order: 2 bits a page, the
 *   values of enum pte_state (kernel/pte.h: 0 never touched, 1 resident,
 *   2 on swap, 3 dropped to its file), four pages a byte, the first page in
 *   the lowest bits; VMLAB_NOTE_STATES(pages) bytes a segment.
 * Version 1 was the same up to the segment records. */
#define VMLAB_NOTE_VERSION 2
#define VMLAB_NOTE_HEAD    (22 * 4)
#define VMLAB_NOTE_SEG     36
#define VMLAB_NOTE_STATES(pages) (((pages) + 3u) / 4u)

/* The VMLAB threads note (name "VMLAB", type NT_VMLAB_THREADS), written
 * when the process has more than one thread: little-endian u32s
 *   count, overflow_tid (the thread whose stack guard page faulted, or 0),
 *   then count records of { tid, state (enum thread_state: 0 running,
 *   1 futex wait, 2 exited), futex address, stack start, stack end
 *   (the mapping holding the sp clone gave it; the main thread's: the
 *   stack segment), pc, sp } (28 bytes each),
 * in the order of the NT_PRSTATUS notes: the faulting thread first. */
#define VMLAB_THREADS_HEAD 8
#define VMLAB_THREADS_REC  28

#endif
