/* os.h — what the OS layer's files share (not installed for programs).
 *
 * The boundary: programs and picolibc's libc.a speak picolibc's numbering
 * (its errno values, O_* flags, AT_* flags, clock ids, F_* commands, all
 * inherited from newlib); the kernel speaks Linux's.  Every system call
 * wrapper converts at this boundary, in one place each, with the tables in
 * lib/abi.c.  Signal numbers, mmap flags, ioctls and the structures in
 * vmlab's own headers (signal.h, sys/mman.h, sys/resource.h, termios.h)
 * are Linux's already and pass through unchanged. */
#ifndef VMLAB_GUEST_OS_H
#define VMLAB_GUEST_OS_H

#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>

/* Linux's values where they differ from picolibc's (asm-generic). */
#define LINUX_AT_FDCWD            (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_REMOVEDIR        0x200
#define LINUX_AT_EACCESS          0x200
#define LINUX_AT_SYMLINK_FOLLOW   0x400
#define LINUX_AT_EMPTY_PATH       0x1000
#define LINUX_O_CLOEXEC           0x80000
#define LINUX_F_DUPFD_CLOEXEC     1030
#define LINUX_EINTR               4
#define LINUX_EAGAIN              11
#define LINUX_ENOSYS              38

/* The kernel's struct __kernel_timespec: two 64-bit words (rv32 has only
 * the time64 calls). */
struct ktimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

/* The kernel's struct statx (include/uapi/linux/stat.h): 256 bytes, the
 * same on every architecture.  The only stat call an rv32 kernel has. */
struct kstatx_time {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
};
struct kstatx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct kstatx_time atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};
_Static_assert(sizeof(struct kstatx) == 256, "struct statx is 256 bytes");
_Static_assert(__builtin_offsetof(struct kstatx, ino) == 32, "stx_ino at 32");
_Static_assert(__builtin_offsetof(struct kstatx, atime) == 64, "stx_atime at 64");
_Static_assert(__builtin_offsetof(struct kstatx, rdev_major) == 128, "stx_rdev at 128");
#define KSTATX_BASIC_STATS 0x7ffu

/* A raw result in -4095..-1 becomes -1 with errno set (picolibc's number
 * for the Linux one); anything else is returned as it is. */
long __vmlab_ret(long raw);

/* Linux errno -> picolibc errno (unknown numbers become EIO). */
int __vmlab_errno(int linux_errno);

/* picolibc O_* flags <-> Linux's, AT_* flags -> Linux's, dirfd. */
int __vmlab_oflags_to_linux(int flags);
int __vmlab_oflags_from_linux(int flags);
int __vmlab_atflags_to_linux(int flags);
int __vmlab_dirfd(int dirfd);

/* picolibc clockid_t -> Linux clock id, or -1 for one Linux lacks. */
int __vmlab_clockid(clockid_t clk);

/* struct timespec <-> the kernel's. */
void __vmlab_ts_to_k(const struct timespec *ts, struct ktimespec *k);
void __vmlab_ts_from_k(const struct ktimespec *k, struct timespec *ts);

/* Flush every open stream (stdio.c); for exit and abort. */
void __vmlab_stdio_flush_all(void);

#endif
