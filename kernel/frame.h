/* kernel/frame.h — the physical frame allocator and who holds each frame.
 *
 * Frames are handed out from a free stack (lowest numbers first on a fresh
 * machine).  Each frame records its owner so the view and the inspector can
 * say what a frame holds: a page-table page, or which virtual page. */
#ifndef VMLAB_KERNEL_FRAME_H
#define VMLAB_KERNEL_FRAME_H

#include <stdint.h>
#include "mmu/pmem.h"

enum frame_use { FRAME_FREE = 0, FRAME_PAGETABLE, FRAME_PAGE };

struct frame_table {
    struct pmem *pm;
    uint32_t *free;           /* stack of free frame numbers */
    uint32_t  nfree;
    uint8_t  *use;            /* enum frame_use, per frame */
    uint32_t *vpn;            /* FRAME_PAGE: the virtual page it backs */
    uint32_t  peak_used;
};

#define FRAME_NONE UINT32_MAX

int  frame_init(struct frame_table *ft, struct pmem *pm);   /* 0 or -ENOMEM */
void frame_destroy(struct frame_table *ft);

/* Take a free frame, zero it, record its use.  Returns FRAME_NONE when
 * physical memory is exhausted. */
uint32_t frame_alloc(struct frame_table *ft, enum frame_use use, uint32_t vpn);

/* Give a frame back.  It must be in use. */
void frame_release(struct frame_table *ft, uint32_t frame);

static inline uint32_t frame_used(const struct frame_table *ft)
{
    return ft->pm->nframes - ft->nfree;
}

#endif
