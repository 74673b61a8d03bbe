/* mmu/pmem.c — emulated physical memory. */
#include "mmu/pmem.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int pmem_init(struct pmem *pm, uint64_t size)
{
    memset(pm, 0, sizeof *pm);
    if (size < PMEM_MIN_SIZE || size > PMEM_MAX_SIZE)
        return -EINVAL;
    size &= ~(uint64_t)PAGE_MASK;
    /* Anonymous host mapping: zeroed, and host pages are only committed
     * when the guest touches a frame, so --mem 4G costs nothing up front. */
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -ENOMEM;
    /* Huge host pages for guest RAM: random guest accesses would otherwise
     * spend most of their time in host TLB misses. */
    madvise(p, size, MADV_HUGEPAGE);
    pm->ram = p;
    pm->size = size;
    pm->nframes = (uint32_t)(size >> PAGE_SHIFT);
    return 0;
}

void pmem_free(struct pmem *pm)
{
    if (pm->ram)
        munmap(pm->ram, pm->size);
    memset(pm, 0, sizeof *pm);
}
