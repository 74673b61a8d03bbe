/* kernel/frame.c — physical frame allocator. */
#include "kernel/frame.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int frame_init(struct frame_table *ft, struct pmem *pm)
{
    memset(ft, 0, sizeof *ft);
    ft->pm = pm;
    /* calloc: large arrays arrive as untouched zero pages. */
    ft->free = calloc(pm->nframes, sizeof *ft->free);
    ft->use = calloc(pm->nframes, 1);
    ft->vpn = calloc(pm->nframes, sizeof *ft->vpn);
    ft->slot = calloc(pm->nframes, sizeof *ft->slot);
    if (!ft->free || !ft->use || !ft->vpn || !ft->slot) {
        frame_destroy(ft);
        return -ENOMEM;
    }
    return 0;
}

void frame_destroy(struct frame_table *ft)
{
    free(ft->free);
    free(ft->use);
    free(ft->vpn);
    free(ft->slot);
    memset(ft, 0, sizeof *ft);
}

uint32_t frame_alloc(struct frame_table *ft, enum frame_use use, uint32_t vpn)
{
    uint32_t f;
    if (ft->nfree)
        f = ft->free[--ft->nfree];
    else if (ft->hwm < ft->pm->nframes)
        f = ft->hwm++;
    else
        return FRAME_NONE;
    assert(ft->use[f] == FRAME_FREE && ft->slot[f] == 0);
    ft->use[f] = (uint8_t)use;
    ft->vpn[f] = vpn;
    if (++ft->used > ft->peak_used)
        ft->peak_used = ft->used;
    if (use == FRAME_PAGE && ++ft->pages > ft->peak_pages)
        ft->peak_pages = ft->pages;
    return f;
}

void frame_release(struct frame_table *ft, uint32_t frame)
{
    assert(frame < ft->hwm && ft->use[frame] != FRAME_FREE &&
           "frame_release: frame not in use");
    assert(ft->slot[frame] == 0 && "frame_release: swap slot still attached");
    if (ft->use[frame] == FRAME_PAGE)
        ft->pages--;
    ft->use[frame] = FRAME_FREE;
    ft->vpn[frame] = 0;
    ft->free[ft->nfree++] = frame;
    ft->used--;
}
