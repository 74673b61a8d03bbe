/* kernel/reclaim.h — getting a frame when none is free: the replacement
 * policy picks a victim, the victim is dropped or written to swap, and
 * its PTE becomes a swap entry (Linux mm/vmscan.c and mm/swap_state.c in
 * miniature); and the OOM killer when nothing can be evicted
 * (mm/oom_kill.c).
 *
 * Which pages may be evicted: user pages (FRAME_PAGE), except the signal
 * trampoline.  Page-table pages stay.  How a victim leaves:
 *   - clean, with a copy in swap (swap cache): nothing is written, its PTE
 *     names that slot again (a swap-cache hit);
 *   - clean, of a file segment (text, rodata, untouched data): dropped, read
 *     back from the file on its next fault;
 *   - clean, anonymous and never written: dropped, zero-filled again;
 *   - otherwise (dirty): written to a swap slot.
 * The D bit says which: the Sv32 walk sets it on the first store, and a
 * page read back from swap comes in clean.
 */
#ifndef VMLAB_KERNEL_RECLAIM_H
#define VMLAB_KERNEL_RECLAIM_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/frame.h"

struct proc;

/* Frames kept for user pages when a page table is wanted: one instruction
 * may need four pages at once (an instruction straddling two pages, and a
 * misaligned access crossing two), and a little slack. */
#define RECLAIM_RESERVE 6

/* A frame for use/vpn (its bytes not cleared): a free one, or one
 * reclaimed from a victim.
 * Returns FRAME_NONE when no frame is free and no page can be evicted
 * (none held, no swap slot left, or swap writes failing), or when a page
 * table would eat into RECLAIM_RESERVE: the caller then invokes the OOM
 * killer.  (Page tables are never evicted, as in Linux: a program whose
 * page tables alone fill memory is killed.) */
uint32_t reclaim_alloc(struct proc *p, enum frame_use use, uint32_t vpn);

/* A user page now sits in frame (it may later be evicted). */
void reclaim_track(struct proc *p, uint32_t frame);

/* The page in frame is going away for its own reasons (unmapped): the
 * policy forgets it and its swap-cache slot is freed. */
void reclaim_untrack(struct proc *p, uint32_t frame);

/* Aging's sampling tick and --vmstat: called by the run loop every
 * interval while the policy wants it. */
void reclaim_tick(struct proc *p);

/* Memory is short enough that aging's samples matter (free frames below
 * the low watermark). */
bool reclaim_pressure(const struct proc *p);

/* Kill p as Linux's OOM killer does: SIGKILL, no core, and its line
 * ("Out of memory: Killed process PID (NAME) total-vm:...kB, ..."). */
void reclaim_oom_kill(struct proc *p);

#endif
