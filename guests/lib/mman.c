/* mman.c — mappings: mmap2 and friends, and vmlab's call counters. */
#include <errno.h>
#include <stdarg.h>
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

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
    va_list ap;
    void *new_addr = NULL;

    if (flags & MREMAP_FIXED) {
        va_start(ap, flags);
        new_addr = va_arg(ap, void *);
        va_end(ap);
    }
    return (void *)__vmlab_ret(__syscall(SYS_mremap, (long)old, (long)old_len, (long)new_len,
                                         flags, (long)new_addr, 0));
}

int msync(void *addr, size_t len, int flags)
{
    return (int)__vmlab_ret(__syscall3(SYS_msync, addr, len, flags));
}

int madvise(void *addr, size_t len, int advice)
{
    return (int)__vmlab_ret(__syscall3(SYS_madvise, addr, len, advice));
}

/* POSIX: the error number is the result. */
int posix_madvise(void *addr, size_t len, int advice)
{
    long r = __syscall3(SYS_madvise, addr, len, advice);
    return r < 0 ? __vmlab_errno((int)-r) : 0;
}

int mincore(void *addr, size_t len, unsigned char *vec)
{
    return (int)__vmlab_ret(__syscall3(SYS_mincore, addr, len, vec));
}
