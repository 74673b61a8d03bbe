/* syscall.c — libc-style wrappers around the Linux RV32 system calls.
 *
 * Each wrapper issues one `ecall` (sys/syscall.h) and converts a result in
 * -4095..-1 into -1 with errno set (PLATFORM.md §1.1).  brk is the
 * exception: the kernel call never fails, it returns the (possibly
 * unchanged) break.  Signal calls are in signal.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <vmlab.h>

int errno;

/* Counters behind vmlab_brk_calls() and friends. */
static unsigned nbrk, nmmap, nmunmap;

unsigned vmlab_brk_calls(void) { return nbrk; }
unsigned vmlab_mmap_calls(void) { return nmmap; }
unsigned vmlab_munmap_calls(void) { return nmunmap; }

/* Raw kernel result -> libc convention. */
static long ret(long r)
{
    if ((unsigned long)r > -4096UL) {
        errno = (int)-r;
        return -1;
    }
    return r;
}

long __syscall6(long n, long x0, long x1, long x2, long x3, long x4, long x5)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    register long a2 __asm__("a2") = x2;
    register long a3 __asm__("a3") = x3;
    register long a4 __asm__("a4") = x4;
    register long a5 __asm__("a5") = x5;
    __asm__ volatile("ecall"
                     : "+r"(a0)
                     : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5)
                     : "memory");
    return a0;
}

/* Reads six argument words whatever the call takes: on RISC-V the extra
 * va_arg reads just pick up unused argument registers. */
long syscall(long n, ...)
{
    va_list ap;
    long x[6];

    va_start(ap, n);
    for (int i = 0; i < 6; i++)
        x[i] = va_arg(ap, long);
    va_end(ap);
    if (n == SYS_brk)
        nbrk++;
    return ret(__syscall6(n, x[0], x[1], x[2], x[3], x[4], x[5]));
}

ssize_t read(int fd, void *buf, size_t count)
{
    return ret(__syscall3(SYS_read, fd, (long)buf, (long)count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
    return ret(__syscall3(SYS_write, fd, (long)buf, (long)count));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    return ret(__syscall3(SYS_writev, fd, (long)iov, iovcnt));
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    long mode = (flags & O_CREAT) ? va_arg(ap, long) : 0;
    va_end(ap);
    return (int)ret(__syscall4(SYS_openat, dirfd, (long)path, flags, mode));
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    long mode = (flags & O_CREAT) ? va_arg(ap, long) : 0;
    va_end(ap);
    return openat(AT_FDCWD, path, flags, mode);
}

int close(int fd)
{
    return (int)ret(__syscall1(SYS_close, fd));
}

/* rv32 has only _llseek(fd, high, low, &result, whence). */
off_t lseek(int fd, off_t offset, int whence)
{
    long long result = 0;
    long long off = offset;
    long r = ret(__syscall6(SYS_llseek, fd, (long)(off >> 32), (long)(off & 0xffffffff),
                            (long)&result, whence, 0));
    return r < 0 ? -1 : (off_t)result;
}

void _exit(int status)
{
    for (;;)
        __syscall1(SYS_exit_group, status);
}

/* ---- the program break ---------------------------------------------------- */

static unsigned long cur_brk;   /* cached break; 0 = not asked yet */

static unsigned long raw_brk(unsigned long addr)
{
    nbrk++;
    return (unsigned long)__syscall1(SYS_brk, (long)addr);
}

int brk(void *addr)
{
    cur_brk = raw_brk((unsigned long)addr);
    if (cur_brk != (unsigned long)addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void *sbrk(intptr_t incr)
{
    unsigned long old, want;

    if (cur_brk == 0)
        cur_brk = raw_brk(0);
    old = cur_brk;
    if (incr == 0)
        return (void *)old;
    want = old + (unsigned long)incr;
    if ((incr > 0 && want < old) || (incr < 0 && want > old)) {
        errno = ENOMEM;                 /* would wrap around */
        return (void *)-1;
    }
    cur_brk = raw_brk(want);
    if (cur_brk != want) {
        errno = ENOMEM;
        return (void *)-1;
    }
    return (void *)old;
}

/* ---- mappings ------------------------------------------------------------- */

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    if (off & 4095) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    nmmap++;
    /* mmap2: the offset is in 4096-byte units, whatever the page size. */
    return (void *)ret(__syscall6(SYS_mmap2, (long)addr, (long)len, prot,
                                  flags, fd, off / 4096));
}

int munmap(void *addr, size_t len)
{
    nmunmap++;
    return (int)ret(__syscall2(SYS_munmap, (long)addr, (long)len));
}

int mprotect(void *addr, size_t len, int prot)
{
    return (int)ret(__syscall3(SYS_mprotect, (long)addr, (long)len, prot));
}

int getpagesize(void)
{
    return 4096;
}

/* ---- process, time, randomness ---------------------------------------------- */

pid_t getpid(void)
{
    return (pid_t)__syscall0(SYS_getpid);
}

pid_t gettid(void)
{
    return (pid_t)__syscall0(SYS_gettid);
}

int getrusage(int who, struct rusage *usage)
{
    return (int)ret(__syscall2(SYS_getrusage, who, (long)usage));
}

int uname(struct utsname *buf)
{
    return (int)ret(__syscall1(SYS_uname, (long)buf));
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    /* The kernel writes {s64 sec, s64 nsec}; our struct has the same bytes. */
    return (int)ret(__syscall2(SYS_clock_gettime64, clk, (long)ts));
}

time_t time(time_t *t)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return -1;
    if (t)
        *t = ts.tv_sec;
    return ts.tv_sec;
}

ssize_t getrandom(void *buf, size_t len, unsigned int flags)
{
    return ret(__syscall3(SYS_getrandom, (long)buf, (long)len, flags));
}
