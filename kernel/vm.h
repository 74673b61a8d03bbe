/* kernel/vm.h — building and editing the process's Sv32 page table, and
 * reaching user memory from the kernel (page by page, through the same
 * walk the CPU uses, faulting pages in as Linux's copy_from_user does). */
#ifndef VMLAB_KERNEL_VM_H
#define VMLAB_KERNEL_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mmu/mmu.h"
#include "mmu/sv32.h"
#include "kernel/pte.h"
#include "kernel/sigdef.h"

struct proc;


/* PTE permission bits for PROT_* perms (W implies R: W alone is reserved). */
uint32_t vm_pte_perms(unsigned perms);

/* Host pointer to the level-0 PTE for va, or NULL if its second-level table
 * does not exist (and alloc is false, or no frame is left). */
uint32_t *vm_pte(struct proc *p, uint32_t va, bool alloc);

/* Map va to frame with perms.  Returns 0 or -ENOMEM (no frame for a table). */
int vm_map(struct proc *p, uint32_t va, uint32_t frame, unsigned perms);

/* Unmap every page in [start, end): release frames, clear PTEs, flush the
 * TLB range and drop decoded instructions. */
void vm_unmap_range(struct proc *p, uint32_t start, uint32_t end);

/* Count the pages of [start, end) by where they are: n[PTE_STATE_*]
 * (never touched, resident, on swap, dropped to the file). */
void vm_count_pages(struct proc *p, uint32_t start, uint32_t end, uint32_t n[4]);

/* Move the pages of [from, from+len) to [to, to+len) (page-aligned, not
 * overlapping), as mremap does: each PTE moves with its frame (or whatever
 * else it holds), the old PTEs are cleared, both ranges leave the TLB and
 * the frames' decoded instructions are dropped.  Returns 0, or -ENOMEM
 * (no frame for a page table) with nothing moved. */
int vm_move_range(struct proc *p, uint32_t from, uint32_t to, uint32_t len);

/* The frame holding va's page (valid or parked PTE), or UINT32_MAX. */
uint32_t vm_frame_of(struct proc *p, uint32_t va);

/* Page-fault policy (Linux mm/memory.c handle_mm_fault, in miniature).
 * Called for cause 12/13/15 at va.  Returns 0 when the page is now mapped
 * (retry the access), or a SIGSEGV si_code: SEGV_MAPERR (no segment) or
 * SEGV_ACCERR (segment forbids it); VM_FAULT_SIGBUS for a page of a file
 * mapping past the file's end (Linux: SIGBUS, BUS_ADRERR);
 * VM_FAULT_SWAPIN when the page's swap slot cannot be read back; or
 * -ENOMEM when no frame is free and none can be reclaimed (the OOM
 * killer's case).  A page coming back from swap is a major fault. */
int vm_fault(struct proc *p, uint32_t va, int access);

#define VM_FAULT_SIGBUS 100   /* a file mapping's page past the end of the file */
#define VM_FAULT_SWAPIN 101   /* the page could not be read back from swap (p->kill_msg says why) */

/* Copy between kernel and user memory.  Every page is checked as a user
 * access of that kind; a missing page inside a segment is faulted in.
 * Return 0, or -EFAULT (nothing more is copied at the first bad page;
 * *done, if given, says how many bytes made it). */
int vm_copy_in(struct proc *p, void *dst, uint32_t src, size_t len, size_t *done);
int vm_copy_out(struct proc *p, uint32_t dst, const void *src, size_t len, size_t *done);

/* Check that [va, va+len) may be accessed as acc by the user (faulting
 * pages in as a copy would).  Returns 0 or -EFAULT.  For calls that must
 * not consume input into a buffer they cannot fill, such as read. */
int vm_probe(struct proc *p, uint32_t va, size_t len, enum mmu_access acc);

/* The bytes of page va of VMA v as the process sees them: its frame, its
 * swap slot (read, not swapped in), or for a page never touched (or
 * dropped clean) what the first touch would give: file bytes, the signal
 * trampoline, or zeros.  Changes nothing.  False (and zeros) when the
 * swap slot cannot be read. */
struct vma;
bool vm_page_bytes(struct proc *p, const struct vma *v, uint32_t va, uint8_t *out);

/* A debugger's access to [va, va+len) (kernel/query.h kq_peek, kq_poke):
 * permissions are not checked; a page without a frame reads as
 * vm_page_bytes says and is brought in (like a store fault, counted and
 * traced as a "debugger write") when written; a write into code drops its
 * decoded instructions and marks the page dirty.  Returns the bytes done:
 * it stops at the first page in no segment. */
size_t vm_debug_copy(struct proc *p, uint32_t va, void *buf, size_t len, bool write);

/* Copy a NUL-terminated user string of at most max bytes (including the
 * NUL).  Returns its length, -EFAULT, or -ENAMETOOLONG. */
long vm_copy_str(struct proc *p, char *dst, uint32_t src, size_t max);

#endif
