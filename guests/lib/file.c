/* file.c — files, directories, descriptors and terminals.  Flags are
 * picolibc's in, Linux's at the kernel (abi.c); stat goes through statx,
 * the only stat call an rv32 kernel has. */
#define _GNU_SOURCE 1                  /* AT_EMPTY_PATH */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "os.h"

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    long mode = (flags & O_CREAT) ? va_arg(ap, long) : 0;
    va_end(ap);
    return (int)__vmlab_ret(__syscall4(SYS_openat, __vmlab_dirfd(dirfd), path,
                                       __vmlab_oflags_to_linux(flags), mode));
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    long mode = (flags & O_CREAT) ? va_arg(ap, long) : 0;
    va_end(ap);
    return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return (int)__vmlab_ret(__syscall3(SYS_ioctl, fd, request, arg));
}

int tcgetattr(int fd, struct termios *t)
{
    return ioctl(fd, TCGETS, t);
}

int tcsetattr(int fd, int action, const struct termios *t)
{
    if (action < TCSANOW || action > TCSAFLUSH) {
        errno = EINVAL;
        return -1;
    }
    return ioctl(fd, TCSETS + (unsigned long)action, t);
}

/* A terminal is what answers TCGETS. */
int isatty(int fd)
{
    struct termios t;

    return ioctl(fd, TCGETS, &t) == 0;
}

/* ---- stat, through statx -------------------------------------------------------- */

/* picolibc's struct stat has 16-bit dev_t, ino_t, nlink_t, uid_t and
 * gid_t and a 32-bit off_t: the values are cut to fit, except the size,
 * which is EOVERFLOW when it does not fit (as 32-bit glibc's stat). */
static int stat_from_statx(const struct kstatx *k, struct stat *st)
{
    if (k->size > 0x7fffffffULL) {
        errno = EOVERFLOW;
        return -1;
    }
    memset(st, 0, sizeof *st);
    st->st_dev = (dev_t)((k->dev_major << 8) | (k->dev_minor & 0xff));
    st->st_ino = (ino_t)k->ino;
    st->st_mode = k->mode;
    st->st_nlink = (nlink_t)k->nlink;
    st->st_uid = (uid_t)k->uid;
    st->st_gid = (gid_t)k->gid;
    st->st_rdev = (dev_t)((k->rdev_major << 8) | (k->rdev_minor & 0xff));
    st->st_size = (off_t)k->size;
    st->st_blksize = (blksize_t)k->blksize;
    st->st_blocks = (blkcnt_t)k->blocks;
    st->st_atim.tv_sec = k->atime.tv_sec, st->st_atim.tv_nsec = k->atime.tv_nsec;
    st->st_mtim.tv_sec = k->mtime.tv_sec, st->st_mtim.tv_nsec = k->mtime.tv_nsec;
    st->st_ctim.tv_sec = k->ctime.tv_sec, st->st_ctim.tv_nsec = k->ctime.tv_nsec;
    return 0;
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
    struct kstatx k;
    long r = __vmlab_ret(__syscall(SYS_statx, __vmlab_dirfd(dirfd), (long)path,
                                   __vmlab_atflags_to_linux(flags), KSTATX_BASIC_STATS,
                                   (long)&k, 0));
    return r < 0 ? -1 : stat_from_statx(&k, st);
}

int stat(const char *path, struct stat *st)
{
    return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
    return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int fstat(int fd, struct stat *st)
{
    return fstatat(fd, "", st, AT_EMPTY_PATH);
}

/* ---- names in the file system --------------------------------------------------- */

int faccessat(int dirfd, const char *path, int mode, int flags)
{
    if (flags) {                        /* faccessat2 is not served */
        errno = EINVAL;
        return -1;
    }
    return (int)__vmlab_ret(__syscall3(SYS_faccessat, __vmlab_dirfd(dirfd), path, mode));
}

int access(const char *path, int mode)
{
    return faccessat(AT_FDCWD, path, mode, 0);
}

int unlinkat(int dirfd, const char *path, int flags)
{
    return (int)__vmlab_ret(__syscall3(SYS_unlinkat, __vmlab_dirfd(dirfd), path,
                                       __vmlab_atflags_to_linux(flags)));
}

int unlink(const char *path)
{
    return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
    return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
    return (int)__vmlab_ret(__syscall3(SYS_mkdirat, __vmlab_dirfd(dirfd), path, mode));
}

int mkdir(const char *path, mode_t mode)
{
    return mkdirat(AT_FDCWD, path, mode);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
    return __vmlab_ret(__syscall4(SYS_readlinkat, __vmlab_dirfd(dirfd), path, buf, size));
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
    return readlinkat(AT_FDCWD, path, buf, size);
}

char *getcwd(char *buf, size_t size)
{
    if (!buf) {                         /* the glibc extension: a buffer of its own */
        static char own[4096];
        buf = own;
        size = sizeof own;
    }
    return __vmlab_ret(__syscall2(SYS_getcwd, buf, size)) < 0 ? NULL : buf;
}

int chdir(const char *path)
{
    return (int)__vmlab_ret(__syscall1(SYS_chdir, path));
}

/* ---- descriptors ------------------------------------------------------------------ */

int dup(int fd)
{
    return (int)__vmlab_ret(__syscall1(SYS_dup, fd));
}

int dup3(int fd, int to, int flags)
{
    return (int)__vmlab_ret(__syscall3(SYS_dup3, fd, to, __vmlab_oflags_to_linux(flags) &
                                       LINUX_O_CLOEXEC));
}

/* dup2(fd, fd) is fd if fd is open (dup3 refuses equal fds). */
int dup2(int fd, int to)
{
    if (fd == to)
        return fcntl(fd, F_GETFD) < 0 ? -1 : fd;
    return dup3(fd, to, 0);
}

int pipe2(int fds[2], int flags)
{
    int l = __vmlab_oflags_to_linux(flags) & (LINUX_O_CLOEXEC | 0x800 /* O_NONBLOCK */);
    return (int)__vmlab_ret(__syscall2(SYS_pipe2, fds, l));
}

int pipe(int fds[2])
{
    return pipe2(fds, 0);
}

/* fcntl64: picolibc's F_* and O_* values in, Linux's to the kernel. */
int fcntl(int fd, int cmd, ...)
{
    va_list ap;
    va_start(ap, cmd);
    long arg = va_arg(ap, long);
    va_end(ap);
    long r;
    switch (cmd) {
    case F_DUPFD:
        return (int)__vmlab_ret(__syscall3(SYS_fcntl64, fd, 0, arg));
    case F_DUPFD_CLOEXEC:
        return (int)__vmlab_ret(__syscall3(SYS_fcntl64, fd, LINUX_F_DUPFD_CLOEXEC, arg));
    case F_GETFD:
        return (int)__vmlab_ret(__syscall3(SYS_fcntl64, fd, 1, 0));
    case F_SETFD:
        return (int)__vmlab_ret(__syscall3(SYS_fcntl64, fd, 2, arg & FD_CLOEXEC));
    case F_GETFL:
        r = __vmlab_ret(__syscall3(SYS_fcntl64, fd, 3, 0));
        return r < 0 ? -1 : __vmlab_oflags_from_linux((int)r);
    case F_SETFL:
        return (int)__vmlab_ret(__syscall3(SYS_fcntl64, fd, 4,
                                           __vmlab_oflags_to_linux((int)arg) & ~0x8000));
    default:
        errno = EINVAL;
        return -1;
    }
}
