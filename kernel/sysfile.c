/* kernel/sysfile.c — system calls on file descriptors and the file system
 * beyond read and write: ioctl, fcntl64, dup/dup3, pipe2, statx,
 * readlinkat, faccessat, unlinkat, mkdirat, getcwd, chdir.
 *
 * A guest fd is a slot in p->fds holding a host fd; every call here works
 * on the host's file (or pipe, or terminal) behind it, with Linux RV32's
 * argument and structure layouts on the guest side.  x86-64 Linux uses the
 * same asm-generic values for O_*, AT_*, F_* and the termios flags, so
 * those pass through; docs/platform/libc-syscalls.md has the facts.
 *
 * The working directory is the process's own: relative paths resolve
 * against p->cwd_fd (vmlab's directory until the guest calls chdir), so a
 * guest's chdir does not move vmlab (its core files, for one).
 */
#define _GNU_SOURCE                  /* statx, pipe2, O_PATH */
#include "kernel/syscall_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "kernel/proc.h"
#include "kernel/vm.h"

#define LINUX_AT_FDCWD       (-100)
#define LINUX_O_CLOEXEC      0x80000u
#define LINUX_O_NONBLOCK     0x800u
#define LINUX_O_DIRECT       0x4000u
#define LINUX_F_DUPFD_CLOEXEC 1030u
/* What F_GETFL reports: the access mode, O_APPEND, O_NONBLOCK, O_DSYNC,
 * O_DIRECT, O_LARGEFILE (the kernel sets it on every open of a 64-bit
 * process, and so on the host's files), O_NOATIME, O_SYNC. */
#define LINUX_STATUS_FLAGS   (3u | 0x400u | 0x800u | 0x1000u | 0x4000u | 0x8000u | 0x40000u | \
                              0x100000u)

int sys_host_fd(const struct proc *p, uint32_t fd)
{
    return fd < PROC_FDS ? p->fds[fd] : -1;
}

int sys_host_dirfd(const struct proc *p, uint32_t dirfd)
{
    if ((int32_t)dirfd == LINUX_AT_FDCWD)
        return p->cwd_fd >= 0 ? p->cwd_fd : AT_FDCWD;
    return sys_host_fd(p, dirfd);
}

/* The first guest fd no new descriptor may take: the soft RLIMIT_NOFILE,
 * at most the table's 64 slots.  Descriptors already above it stay open
 * (Linux: alloc_fd's end, and the checks in f_dupfd and ksys_dup3). */
uint32_t sys_fd_limit(const struct proc *p)
{
    return p->rlim[7][0] < PROC_FDS ? (uint32_t)p->rlim[7][0] : PROC_FDS;
}

bool sys_fd_free(const struct proc *p)
{
    for (uint32_t slot = 0; slot < sys_fd_limit(p); slot++)
        if (p->fds[slot] < 0)
            return true;
    return false;
}

bool sys_pipe_self_only(const struct proc *p, uint32_t gfd, short events)
{
    struct stat st, o;
    int h = sys_host_fd(p, gfd);
    if (h < 0 || !(p->pipes >> gfd & 1) || fstat(h, &st) != 0)
        return false;
    int other = events == POLLIN ? O_WRONLY : O_RDONLY;
    for (uint32_t i = 0; i < PROC_FDS; i++) {
        int g = p->fds[i];
        if (i == gfd || !(p->pipes >> i & 1) || g < 0)
            continue;
        int fl = fcntl(g, F_GETFL);
        if (fl >= 0 && (fl & O_ACCMODE) == other && fstat(g, &o) == 0 &&
            o.st_dev == st.st_dev && o.st_ino == st.st_ino)
            return true;
    }
    return false;
}

/* Guest fd slot now holds a copy of guest fd from: of a pipe of the
 * guest's own if from is one. */
static void fd_copied(struct proc *p, uint32_t from, uint32_t slot)
{
    p->pipes = (p->pipes & ~(1ull << slot)) | (p->pipes >> from & 1) << slot;
}

int sys_fd_install(struct proc *p, int h, uint32_t from)
{
    for (uint32_t slot = from; slot < sys_fd_limit(p); slot++)
        if (p->fds[slot] < 0) {
            p->fds[slot] = h;
            p->cloexec &= ~(1ull << slot);
            p->pipes &= ~(1ull << slot);
            return (int)slot;
        }
    return -EMFILE;
}

bool sys_host_own_proc(int h)
{
    struct statfs sf;
    if (fstatfs(h, &sf) != 0)
        return true;                          /* cannot tell: refuse */
    if (sf.f_type != 0x9fa0)                  /* PROC_SUPER_MAGIC (linux/magic.h) */
        return false;
    char link[64], target[256], mine[32];
    snprintf(link, sizeof link, "/proc/self/fd/%d", h);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return true;
    target[n] = 0;
    int len = snprintf(mine, sizeof mine, "/proc/%ld", (long)getpid());
    return strncmp(target, mine, (size_t)len) == 0 && (target[len] == '/' || target[len] == 0);
}

bool sys_dir_own_proc(int dirfd, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return false;                         /* in dirfd, itself checked when opened */
    char dir[4096];
    size_t dl = slash == path ? 1 : (size_t)(slash - path);
    memcpy(dir, path, dl);
    dir[dl] = 0;
    int d = openat(dirfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    bool own = d >= 0 && sys_host_own_proc(d);
    if (d >= 0)
        close(d);
    return own;
}

void sys_host_close(int h)
{
    if (h > 2)
        close(h);
}

/* A path argument of an *at call: copied in (at most PATH_MAX bytes), and
 * the host directory it is relative to in *dirfd (an absolute path ignores
 * the dirfd, as on Linux).  Returns 0, -EFAULT, -ENAMETOOLONG or -EBADF. */
static long at_path(struct proc *p, uint32_t udirfd, uint32_t upath, char path[4096],
                    int *dirfd)
{
    long n = vm_copy_str(p, path, upath, 4096);
    if (n < 0)
        return n;
    *dirfd = path[0] == '/' ? AT_FDCWD : sys_host_dirfd(p, udirfd);
    return *dirfd == -1 ? -EBADF : 0;
}

/* --- terminals ----------------------------------------------------------------- */

/* The kernel's struct termios (asm-generic termbits, 36 bytes): four
 * flag words, c_line, c_cc[19].  x86-64 Linux uses the same layout and
 * values, so the host's fields carry over one to one. */
#define KTERMIOS_SIZE 36
#define KNCCS         19

static void termios_to_k(const struct termios *t, uint8_t k[KTERMIOS_SIZE])
{
    uint32_t w[4] = { t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag };
    memcpy(k, w, sizeof w);
    k[16] = t->c_line;
    memcpy(k + 17, t->c_cc, KNCCS);
}

static void termios_from_k(const uint8_t k[KTERMIOS_SIZE], struct termios *t)
{
    uint32_t w[4];
    memcpy(w, k, sizeof w);
    t->c_iflag = w[0], t->c_oflag = w[1], t->c_cflag = w[2], t->c_lflag = w[3];
    t->c_line = k[16];
    memcpy(t->c_cc, k + 17, KNCCS);
}

/* The terminal ioctls a C library uses: TCGETS (isatty, tcgetattr),
 * TCSETS/TCSETSW/TCSETSF (tcsetattr), TIOCGWINSZ, FIONREAD.  Anything
 * else, or any of them on a non-terminal, is -ENOTTY, as Linux says. */
long sys_ioctl(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    switch (a[1]) {
    case 0x5401: {                                      /* TCGETS */
        struct termios t;
        uint8_t k[KTERMIOS_SIZE];
        if (tcgetattr(fd, &t) != 0)
            return -ENOTTY;
        termios_to_k(&t, k);
        return vm_copy_out(p, a[2], k, sizeof k, NULL);
    }
    case 0x5402: case 0x5403: case 0x5404: {           /* TCSETS, TCSETSW, TCSETSF */
        struct termios t;
        uint8_t k[KTERMIOS_SIZE];
        if (tcgetattr(fd, &t) != 0)
            return -ENOTTY;
        if (vm_copy_in(p, k, a[2], sizeof k, NULL))
            return -EFAULT;
        termios_from_k(k, &t);
        int how = a[1] == 0x5402 ? TCSANOW : a[1] == 0x5403 ? TCSADRAIN : TCSAFLUSH;
        return tcsetattr(fd, how, &t) ? -errno : 0;
    }
    case 0x5413: {                                      /* TIOCGWINSZ */
        struct winsize ws;
        if (ioctl(fd, TIOCGWINSZ, &ws) != 0)
            return -ENOTTY;
        uint16_t k[4] = { ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel };
        return vm_copy_out(p, a[2], k, sizeof k, NULL);
    }
    case 0x541b: {                                      /* FIONREAD */
        int n;
        if (ioctl(fd, FIONREAD, &n) != 0)
            return -errno;
        int32_t k = n;
        return vm_copy_out(p, a[2], &k, sizeof k, NULL);
    }
    default:
        return -ENOTTY;
    }
}

/* --- descriptors ------------------------------------------------------------------ */

long sys_dup(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (h < 0)
        return -errno;
    int slot = sys_fd_install(p, h, 0);
    if (slot < 0)
        close(h);
    else
        fd_copied(p, a[0], (uint32_t)slot);
    return slot;
}

/* dup3(old, new, flags): new is closed first if open; old == new is
 * -EINVAL (dup2's "return new" case is the C library's). */
long sys_dup3(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    if (a[1] >= sys_fd_limit(p))
        return -EBADF;
    if (a[0] == a[1] || (a[2] & ~LINUX_O_CLOEXEC))
        return -EINVAL;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (h < 0)
        return -errno;
    if (p->fds[a[1]] >= 0)
        sys_host_close(p->fds[a[1]]);
    p->fds[a[1]] = h;
    fd_copied(p, a[0], a[1]);
    if (a[2] & LINUX_O_CLOEXEC)
        p->cloexec |= 1ull << a[1];
    else
        p->cloexec &= ~(1ull << a[1]);
    return (long)a[1];
}

/* fcntl64: duplicating (F_DUPFD, F_DUPFD_CLOEXEC), the close-on-exec flag
 * (F_GETFD, F_SETFD; kept per guest fd, there is no exec) and the status
 * flags (F_GETFL, F_SETFL).  Locks and the rest: -EINVAL. */
long sys_fcntl64(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    switch (a[1]) {
    case 0: case LINUX_F_DUPFD_CLOEXEC: {               /* F_DUPFD */
        if (a[2] >= sys_fd_limit(p))
            return -EINVAL;
        int h = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (h < 0)
            return -errno;
        int slot = sys_fd_install(p, h, a[2]);
        if (slot < 0) {
            close(h);
            return slot;
        }
        fd_copied(p, a[0], (uint32_t)slot);
        if (a[1] == LINUX_F_DUPFD_CLOEXEC)
            p->cloexec |= 1ull << slot;
        return slot;
    }
    case 1:                                             /* F_GETFD */
        return (p->cloexec >> a[0]) & 1;
    case 2:                                             /* F_SETFD */
        if (a[2] & 1)
            p->cloexec |= 1ull << a[0];
        else
            p->cloexec &= ~(1ull << a[0]);
        return 0;
    case 3: {                                           /* F_GETFL */
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0)
            return -errno;
        return fl & (int)LINUX_STATUS_FLAGS;
    }
    case 4: {                                           /* F_SETFL */
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0)
            return -errno;
        uint32_t settable = O_APPEND | LINUX_O_NONBLOCK | LINUX_O_DIRECT | O_NOATIME;
        fl = (fl & ~(int)settable) | (int)(a[2] & settable);
        return fcntl(fd, F_SETFL, fl) ? -errno : 0;
    }
    default:
        return -EINVAL;
    }
}

/* pipe2(fds, flags): a host pipe, its two ends in the lowest free slots. */
long sys_pipe2(struct proc *p, const uint32_t *a)
{
    if (a[1] & ~(LINUX_O_CLOEXEC | LINUX_O_NONBLOCK))
        return -EINVAL;
    int h[2];
    if (pipe2(h, O_CLOEXEC | ((a[1] & LINUX_O_NONBLOCK) ? O_NONBLOCK : 0)) != 0)
        return -errno;
    int r = sys_fd_install(p, h[0], 0);
    int w = r < 0 ? r : sys_fd_install(p, h[1], 0);
    int32_t out[2] = { r, w };
    if (w < 0 || vm_copy_out(p, a[0], out, sizeof out, NULL)) {
        if (r >= 0)
            p->fds[r] = -1;
        if (w >= 0)
            p->fds[w] = -1;
        close(h[0]);
        close(h[1]);
        return w < 0 ? w : -EFAULT;
    }
    if (a[1] & LINUX_O_CLOEXEC)
        p->cloexec |= 1ull << r | 1ull << w;
    p->pipes |= 1ull << r | 1ull << w;
    return 0;
}

/* --- the file system ----------------------------------------------------------------- */

/* statx(dirfd, path, flags, mask, buf): struct statx is the same 256
 * bytes on every architecture (fixed-size fields only), so the host's
 * answer is copied as it is. */
long sys_statx(struct proc *p, const uint32_t *a)
{
    char path[4096];
    int dirfd;
    long rc = at_path(p, a[0], a[1], path, &dirfd);
    if (rc)
        return rc;
    struct statx stx;
    _Static_assert(sizeof stx == 256, "struct statx is 256 bytes");
    unsigned flags = a[2] & (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH |
                             AT_STATX_SYNC_TYPE);
    if (a[2] & ~flags)
        return -EINVAL;
    if (statx(dirfd, path, (int)flags, a[3], &stx) != 0)
        return -errno;
    return vm_copy_out(p, a[4], &stx, sizeof stx, NULL);
}

long sys_readlinkat(struct proc *p, const uint32_t *a)
{
    char path[4096], target[4096];
    int dirfd;
    long rc = at_path(p, a[0], a[1], path, &dirfd);
    if (rc)
        return rc;
    if ((int32_t)a[3] <= 0)
        return -EINVAL;
    ssize_t n = readlinkat(dirfd, path, target, sizeof target);
    if (n < 0)
        return -errno;
    char mine[32];
    snprintf(mine, sizeof mine, "/proc/%ld/exe", (long)getpid());
    if (p->exe && (!strcmp(path, "/proc/self/exe") || !strcmp(path, "/proc/thread-self/exe") ||
                   !strcmp(path, mine)))
        n = (ssize_t)snprintf(target, sizeof target, "%s", p->exe);  /* the guest's program, as qemu-user */
    size_t len = (size_t)n < a[3] ? (size_t)n : a[3];    /* truncated, no NUL */
    return vm_copy_out(p, a[2], target, len, NULL) ? -EFAULT : (long)len;
}

long sys_faccessat(struct proc *p, const uint32_t *a)
{
    char path[4096];
    int dirfd;
    long rc = at_path(p, a[0], a[1], path, &dirfd);
    if (rc)
        return rc;
    if (a[2] & ~7u)
        return -EINVAL;
    return faccessat(dirfd, path, (int)a[2], 0) ? -errno : 0;
}

long sys_unlinkat(struct proc *p, const uint32_t *a)
{
    char path[4096];
    int dirfd;
    long rc = at_path(p, a[0], a[1], path, &dirfd);
    if (rc)
        return rc;
    if (a[2] & ~(uint32_t)AT_REMOVEDIR)
        return -EINVAL;
    return unlinkat(dirfd, path, (int)a[2]) ? -errno : 0;
}

long sys_mkdirat(struct proc *p, const uint32_t *a)
{
    char path[4096];
    int dirfd;
    long rc = at_path(p, a[0], a[1], path, &dirfd);
    if (rc)
        return rc;
    return mkdirat(dirfd, path, (mode_t)(a[2] & 07777)) ? -errno : 0;
}

/* The working directory's path, or -ENOENT if it is gone. */
static int cwd_path(const struct proc *p, char *buf, size_t n)
{
    if (p->cwd_fd < 0)
        return getcwd(buf, n) ? 0 : -errno;
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", p->cwd_fd);
    ssize_t len = readlink(link, buf, n - 1);
    if (len < 0)
        return -errno;
    buf[len] = 0;
    return buf[0] == '/' ? 0 : -ENOENT;
}

/* getcwd(buf, size) returns the length including the NUL (the C library
 * returns buf). */
long sys_getcwd(struct proc *p, const uint32_t *a)
{
    char path[4096];
    int rc = cwd_path(p, path, sizeof path);
    if (rc)
        return rc;
    size_t len = strlen(path) + 1;
    if (len > a[1])
        return -ERANGE;
    return vm_copy_out(p, a[0], path, len, NULL) ? -EFAULT : (long)len;
}

long sys_chdir(struct proc *p, const uint32_t *a)
{
    char path[4096];
    int base;
    long rc = at_path(p, (uint32_t)LINUX_AT_FDCWD, a[0], path, &base);
    if (rc)
        return rc;
    int fd = openat(base, path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (sys_host_own_proc(fd)) {
        close(fd);                            /* vmlab's /proc/self: openat relative to it */
        return -EACCES;
    }
    if (p->cwd_fd >= 0)
        close(p->cwd_fd);
    p->cwd_fd = fd;
    return 0;
}
