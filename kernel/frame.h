/* kernel/frame.h — the physical frame allocator and who holds each frame.
 *
 * Frames are handed out lowest first on a fresh machine (a high-water
 * mark moves up through frames never used), and a released frame is
 * reused first (a stack).  So a process's metadata costs host memory only
 * for the frames it has touched, whatever --mem says.  Each frame records
 * its owner, so the view and the inspector can say what a frame holds (a
 * page-table page, or which virtual page), and the swap slot that holds a
 * copy of its page (the swap cache, kernel/reclaim.c). */
#ifndef VMLAB_KERNEL_FRAME_H
#define VMLAB_KERNEL_FRAME_H

#include <stdint.h>
#include <string.h>
#include "mmu/pmem.h"

enum frame_use { FRAME_FREE = 0, FRAME_PAGETABLE, FRAME_PAGE };

struct frame_table {
    struct pmem *pm;
    uint32_t *free;           /* stack of released frames */
    uint32_t  nfree;
    uint32_t  hwm;            /* frames [hwm, nframes) have never been used */
    uint8_t  *use;            /* enum frame_use, per frame */
    uint32_t *vpn;            /* FRAME_PAGE: the virtual page it backs */
    uint32_t *slot;           /* FRAME_PAGE: swap slot holding a copy, or 0 */
    uint32_t  used, peak_used;
    uint32_t  pages, peak_pages;  /* FRAME_PAGE frames: the resident set */
};

#define FRAME_NONE UINT32_MAX

int  frame_init(struct frame_table *ft, struct pmem *pm);   /* 0 or -ENOMEM */
void frame_destroy(struct frame_table *ft);

/* Take a free frame and record its use; its bytes are whatever the last
 * user left (frame_zero clears them).  Returns FRAME_NONE when
 * every frame is in use (the caller may reclaim one: kernel/reclaim.h). */
uint32_t frame_alloc(struct frame_table *ft, enum frame_use use, uint32_t vpn);

static inline void frame_zero(struct frame_table *ft, uint32_t frame)
{
    memset(pmem_frame(ft->pm, frame), 0, PAGE_SIZE);
}

/* Give a frame back.  It must be in use; its swap slot must have been
 * dealt with (slot 0). */
void frame_release(struct frame_table *ft, uint32_t frame);

static inline uint32_t frame_used(const struct frame_table *ft)
{
    return ft->used;
}

#endif
