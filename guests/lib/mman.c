/* mman.c — mappings: mmap2 and friends, and vmlab's call counters. */
#include <errno.h>
#include <sys/mman.h>
#include <vmlab.h>

#include "os.h"

static unsigned nmmap, nmunmap;

unsigned vmlab_mmap_calls(void) { return nmmap; }
unsigned vmlab_munmap_calls(void) { return nmunmap; }

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (off & 4095) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    nmmap++;
    /* mmap2: the offset is in 4096-byte units, whatever the page size. */
    return (void *)__vmlab_ret(__syscall(SYS_mmap2, (long)addr, (long)len, prot, flags, fd,
                                         (long)((unsigned long)off / 4096)));
}

int munmap(void *addr, size_t len)
{
    nmunmap++;
    return (int)__vmlab_ret(__syscall2(SYS_munmap, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
    return (int)__vmlab_ret(__syscall3(SYS_mprotect, addr, len, prot));
}
