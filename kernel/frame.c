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
    ft->free = malloc(sizeof *ft->free * pm->nframes);
    ft->use = calloc(pm->nframes, 1);
    ft->vpn = calloc(pm->nframes, sizeof *ft->vpn);
    if (!ft->free || !ft->use || !ft->vpn) {
        frame_destroy(ft);
        return -ENOMEM;
    }
    for (uint32_t i = 0; i < pm->nframes; i++)       /* top of stack = frame 0 */
        ft->free[i] = pm->nframes - 1 - i;
    ft->nfree = pm->nframes;
    return 0;
}

void frame_destroy(struct frame_table *ft)
{
    free(ft->free);
    free(ft->use);
    free(ft->vpn);
    memset(ft, 0, sizeof *ft);
}

uint32_t frame_alloc(struct frame_table *ft, enum frame_use use, uint32_t vpn)
{
    if (ft->nfree == 0)
        return FRAME_NONE;
    uint32_t f = ft->free[--ft->nfree];
    assert(ft->use[f] == FRAME_FREE);
    ft->use[f] = (uint8_t)use;
    ft->vpn[f] = vpn;
    memset(pmem_frame(ft->pm, f), 0, PAGE_SIZE);
    if (frame_used(ft) > ft->peak_used)
        ft->peak_used = frame_used(ft);
    return f;
}

void frame_release(struct frame_table *ft, uint32_t frame)
{
    assert(frame < ft->pm->nframes && ft->use[frame] != FRAME_FREE &&
           "frame_release: frame not in use");
    ft->use[frame] = FRAME_FREE;
    ft->vpn[frame] = 0;
    ft->free[ft->nfree++] = frame;
}
