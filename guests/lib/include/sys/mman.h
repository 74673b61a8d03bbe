/* sys/mman.h — mapping memory (asm-generic values, PLATFORM.md §1.3).
 * picolibc has no such header; lib/mman.c has the calls. */
#ifndef VMLAB_SYS_MMAN_H
#define VMLAB_SYS_MMAN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED          0x01
#define MAP_PRIVATE         0x02
#define MAP_FIXED           0x10
#define MAP_ANONYMOUS       0x20
#define MAP_ANON            MAP_ANONYMOUS
#define MAP_NORESERVE       0x4000
#define MAP_POPULATE        0x8000
#define MAP_FIXED_NOREPLACE 0x100000

#define MAP_FAILED ((void *)-1)

#define MREMAP_MAYMOVE 1
#define MREMAP_FIXED   2

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4   /* drop the pages: anonymous ones read back as zero */
#define MADV_FREE       8
#define POSIX_MADV_NORMAL     MADV_NORMAL
#define POSIX_MADV_RANDOM     MADV_RANDOM
#define POSIX_MADV_SEQUENTIAL MADV_SEQUENTIAL
#define POSIX_MADV_WILLNEED   MADV_WILLNEED
#define POSIX_MADV_DONTNEED   MADV_DONTNEED

/* rv32 Linux has only mmap2, whose offset counts 4096-byte units; this
 * mmap takes a byte offset (a multiple of 4096) and converts it.  Returns
 * the mapping's address, or MAP_FAILED with errno set. */
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
/* Grow, shrink or move a mapping; MREMAP_MAYMOVE lets it move. */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...);
int msync(void *addr, size_t len, int flags);
int madvise(void *addr, size_t len, int advice);
int posix_madvise(void *addr, size_t len, int advice);
/* One byte per page of [addr, addr+len): bit 0 set if the page is in
 * physical memory now. */
int mincore(void *addr, size_t len, unsigned char *vec);

#ifdef __cplusplus
}
#endif

#endif
