/* process.c — who am I, what machine is this, limits and usage,
 * randomness, sysconf. */
#include <errno.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "os.h"

pid_t getpid(void)
{
    return (pid_t)__syscall0(SYS_getpid);
}

pid_t gettid(void)
{
    return (pid_t)__syscall0(SYS_gettid);
}

int uname(struct utsname *buf)
{
    return (int)__vmlab_ret(__syscall1(SYS_uname, buf));
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
    return __vmlab_ret(__syscall3(SYS_getrandom, buf, len, flags));
}

/* At most 256 bytes, all or nothing (picolibc's arc4random uses it). */
int getentropy(void *buf, size_t len)
{
    char *p = buf;

    if (len > 256) {
        errno = EIO;
        return -1;
    }
    while (len) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int getpagesize(void)
{
    return 4096;
}

long sysconf(int name)
{
    switch (name) {
    case _SC_PAGESIZE:
        return getauxval(AT_PAGESZ) ? (long)getauxval(AT_PAGESZ) : 4096;
    case _SC_CLK_TCK:
        return 100;                         /* USER_HZ, the unit of times() */
    case _SC_NPROCESSORS_CONF:
    case _SC_NPROCESSORS_ONLN:
        return 1;
    case _SC_OPEN_MAX:
        return 64;                          /* vmlab's file table */
    case _SC_ARG_MAX:
        return 131072;
    case _SC_CHILD_MAX:
        return 1;                           /* no fork */
    case _SC_NGROUPS_MAX:
        return 65536;
    case _SC_VERSION:
        return 200809L;
    case _SC_STREAM_MAX:
        return 16;
    case _SC_TZNAME_MAX:
        return 6;
    case _SC_LINE_MAX:
        return 2048;
    default:
        errno = EINVAL;
        return -1;
    }
}

uid_t getuid(void) { return (uid_t)__syscall0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)__syscall0(SYS_geteuid); }
gid_t getgid(void) { return (gid_t)__syscall0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)__syscall0(SYS_getegid); }
pid_t getppid(void) { return (pid_t)__syscall0(SYS_getppid); }

int sched_yield(void)
{
    return (int)__vmlab_ret(__syscall0(SYS_sched_yield));
}

/* rv32 kernels have only prlimit64; struct rlimit here is its 64-bit one. */
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit)
{
    return (int)__vmlab_ret(__syscall4(SYS_prlimit64, pid, resource, new_limit, old_limit));
}

int getrlimit(int resource, struct rlimit *rlim)
{
    return prlimit(0, resource, NULL, rlim);
}

int setrlimit(int resource, const struct rlimit *rlim)
{
    return prlimit(0, resource, rlim, NULL);
}

/* The kernel's struct rusage on rv32: 32-bit timevals, then 14 longs. */
int getrusage(int who, struct rusage *ru)
{
    long k[18];
    if (__vmlab_ret(__syscall2(SYS_getrusage, who, k)) < 0)
        return -1;
    ru->ru_utime.tv_sec = k[0], ru->ru_utime.tv_usec = k[1];
    ru->ru_stime.tv_sec = k[2], ru->ru_stime.tv_usec = k[3];
    long *rest = &ru->ru_maxrss;
    for (int i = 0; i < 14; i++)
        rest[i] = k[4 + i];
    return 0;
}
