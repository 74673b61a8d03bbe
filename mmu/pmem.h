/* mmu/pmem.h — emulated physical memory: SIZE bytes split into 4 KiB frames.
 * Frame n holds physical addresses [n*4096, (n+1)*4096).  Page tables and
 * process pages both live here. */
#ifndef VMLAB_MMU_PMEM_H
#define VMLAB_MMU_PMEM_H

#include <stddef.h>
#include <stdint.h>
#include "mmu/sv32.h"

struct pmem {
    uint8_t *ram;         /* host backing, size bytes */
    uint64_t size;        /* multiple of PAGE_SIZE */
    uint32_t nframes;
};

#define PMEM_MIN_SIZE (64u * 1024)             /* 16 frames */
#define PMEM_MAX_SIZE (4ull * 1024 * 1024 * 1024)  /* 4 GiB */

/* Allocate SIZE bytes (rounded down to whole frames) of zeroed physical
 * memory.  Returns 0, -EINVAL if size is out of [PMEM_MIN_SIZE,
 * PMEM_MAX_SIZE], or -ENOMEM. */
int pmem_init(struct pmem *pm, uint64_t size);
void pmem_free(struct pmem *pm);

/* Host pointer for physical address pa, or NULL when [pa, pa+len) is not
 * inside physical memory (an access fault, never a host out-of-bounds). */
static inline uint8_t *pmem_ptr(const struct pmem *pm, gpa_t pa, uint32_t len)
{
    if (pa >= pm->size || len > pm->size - pa)
        return NULL;
    return pm->ram + pa;
}

static inline uint8_t *pmem_frame(const struct pmem *pm, uint32_t frame)
{
    return pm->ram + ((size_t)frame << PAGE_SHIFT);
}

#endif
