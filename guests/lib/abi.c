/* abi.c — the translation tables between picolibc's numbering and Linux's
 * (see os.h).  The Linux values are asm-generic's (include/uapi/asm-generic
 * errno-base.h, errno.h, fcntl.h; linux/time.h), recorded with their
 * sources in docs/platform/libc-syscalls.md; the picolibc values come
 * from its own headers, by name (the Linux-only ones need
 * __LINUX_ERRNO_EXTENSIONS__). */
#define _GNU_SOURCE 1
#define __LINUX_ERRNO_EXTENSIONS__ 1
#include <errno.h>
#include <fcntl.h>
#include <time.h>

#include "os.h"

/* Indexed by the Linux errno.  1..34 are the same in both (the historical
 * Unix numbers); from 35 on, newlib (and so picolibc) numbers differently. */
static const unsigned char errno_map[134] = {
    [1] = EPERM, [2] = ENOENT, [3] = ESRCH, [4] = EINTR, [5] = EIO, [6] = ENXIO,
    [7] = E2BIG, [8] = ENOEXEC, [9] = EBADF, [10] = ECHILD, [11] = EAGAIN,
    [12] = ENOMEM, [13] = EACCES, [14] = EFAULT, [15] = ENOTBLK, [16] = EBUSY,
    [17] = EEXIST, [18] = EXDEV, [19] = ENODEV, [20] = ENOTDIR, [21] = EISDIR,
    [22] = EINVAL, [23] = ENFILE, [24] = EMFILE, [25] = ENOTTY, [26] = ETXTBSY,
    [27] = EFBIG, [28] = ENOSPC, [29] = ESPIPE, [30] = EROFS, [31] = EMLINK,
    [32] = EPIPE, [33] = EDOM, [34] = ERANGE,
    [35] = EDEADLK, [36] = ENAMETOOLONG, [37] = ENOLCK, [38] = ENOSYS,
    [39] = ENOTEMPTY, [40] = ELOOP, [42] = ENOMSG, [43] = EIDRM, [44] = ECHRNG,
    [48] = ELNRNG, [49] = EUNATCH, [50] = ENOCSI, [52] = EBADE, [53] = EBADR,
    [54] = EXFULL, [55] = ENOANO, [56] = EBADRQC, [57] = EBADSLT, [59] = EBFONT,
    [60] = ENOSTR, [61] = ENODATA, [62] = ETIME, [63] = ENOSR, [64] = ENONET,
    [65] = ENOPKG, [66] = EREMOTE, [67] = ENOLINK, [68] = EADV, [69] = ESRMNT,
    [70] = ECOMM, [71] = EPROTO, [72] = EMULTIHOP, [73] = EDOTDOT, [74] = EBADMSG,
    [75] = EOVERFLOW, [76] = ENOTUNIQ, [77] = EBADFD, [78] = EREMCHG,
    [79] = ELIBACC, [80] = ELIBBAD, [81] = ELIBSCN, [82] = ELIBMAX,
    [83] = ELIBEXEC, [84] = EILSEQ, [86] = ESTRPIPE, [87] = EUSERS,
    [88] = ENOTSOCK, [89] = EDESTADDRREQ, [90] = EMSGSIZE, [91] = EPROTOTYPE,
    [92] = ENOPROTOOPT, [93] = EPROTONOSUPPORT, [94] = ESOCKTNOSUPPORT,
    [95] = EOPNOTSUPP, [96] = EPFNOSUPPORT, [97] = EAFNOSUPPORT,
    [98] = EADDRINUSE, [99] = EADDRNOTAVAIL, [100] = ENETDOWN,
    [101] = ENETUNREACH, [102] = ENETRESET, [103] = ECONNABORTED,
    [104] = ECONNRESET, [105] = ENOBUFS, [106] = EISCONN, [107] = ENOTCONN,
    [108] = ESHUTDOWN, [109] = ETOOMANYREFS, [110] = ETIMEDOUT,
    [111] = ECONNREFUSED, [112] = EHOSTDOWN, [113] = EHOSTUNREACH,
    [114] = EALREADY, [115] = EINPROGRESS, [116] = ESTALE, [122] = EDQUOT,
    [123] = ENOMEDIUM, [125] = ECANCELED, [130] = EOWNERDEAD,
    [131] = ENOTRECOVERABLE,
};

int __vmlab_errno(int e)
{
    if (e > 0 && e < (int)sizeof errno_map && errno_map[e])
        return errno_map[e];
    return EIO;
}

long __vmlab_ret(long r)
{
    if ((unsigned long)r > -4096UL) {
        errno = __vmlab_errno((int)-r);
        return -1;
    }
    return r;
}

/* picolibc O_* (newlib's _F* bits) and Linux's asm-generic O_* values. */
static const struct { int pico, linux; } oflags[] = {
    { O_CREAT, 0x40 }, { O_EXCL, 0x80 }, { O_NOCTTY, 0x100 }, { O_TRUNC, 0x200 },
    { O_APPEND, 0x400 }, { O_NONBLOCK, 0x800 }, { O_SYNC, 0x101000 },
    { O_DIRECTORY, 0x10000 }, { O_NOFOLLOW, 0x20000 }, { O_CLOEXEC, LINUX_O_CLOEXEC },
    { O_DIRECT, 0x4000 },
};
#define NOFLAGS (int)(sizeof oflags / sizeof *oflags)

int __vmlab_oflags_to_linux(int f)
{
    int l = f & O_ACCMODE;              /* 0, 1, 2 in both */
    for (int i = 0; i < NOFLAGS; i++)
        if ((f & oflags[i].pico) == oflags[i].pico)
            l |= oflags[i].linux;
    return l | 0x8000;                  /* O_LARGEFILE: offsets are 64-bit in the kernel */
}

int __vmlab_oflags_from_linux(int l)
{
    int f = l & O_ACCMODE;
    for (int i = 0; i < NOFLAGS; i++)
        if ((l & oflags[i].linux) == oflags[i].linux)
            f |= oflags[i].pico;
    return f;
}

int __vmlab_atflags_to_linux(int f)
{
    int l = 0;
    if (f & AT_SYMLINK_NOFOLLOW)
        l |= LINUX_AT_SYMLINK_NOFOLLOW;
    if (f & AT_SYMLINK_FOLLOW)
        l |= LINUX_AT_SYMLINK_FOLLOW;
    if (f & AT_REMOVEDIR)
        l |= LINUX_AT_REMOVEDIR;
    if (f & AT_EACCESS)
        l |= LINUX_AT_EACCESS;
    if (f & AT_EMPTY_PATH)
        l |= LINUX_AT_EMPTY_PATH;
    return l;
}

int __vmlab_dirfd(int dirfd)
{
    return dirfd == AT_FDCWD ? LINUX_AT_FDCWD : dirfd;
}

int __vmlab_clockid(clockid_t c)
{
    switch (c) {
    case CLOCK_REALTIME: return 0;
    case CLOCK_MONOTONIC: return 1;
    case CLOCK_PROCESS_CPUTIME_ID: return 2;
    case CLOCK_THREAD_CPUTIME_ID: return 3;
    case CLOCK_MONOTONIC_RAW: return 4;
    case CLOCK_REALTIME_COARSE: return 5;
    case CLOCK_MONOTONIC_COARSE: return 6;
    case CLOCK_BOOTTIME: return 7;
    default: return -1;
    }
}

void __vmlab_ts_to_k(const struct timespec *ts, struct ktimespec *k)
{
    k->tv_sec = ts->tv_sec;
    k->tv_nsec = ts->tv_nsec;
}

void __vmlab_ts_from_k(const struct ktimespec *k, struct timespec *ts)
{
    ts->tv_sec = (time_t)k->tv_sec;
    ts->tv_nsec = (long)k->tv_nsec;
}
