/* syscall.c — the generic syscall() entry, plain I/O, _exit, and the
 * program break.
 *
 * Each wrapper issues one `ecall` (sys/syscall.h) and hands the raw result
 * to __vmlab_ret, which turns -4095..-1 into -1 with errno set
 * (PLATFORM.md §1.1; numbers converted in abi.c).  brk is the exception:
 * the kernel call never fails, it returns the (possibly unchanged) break.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vmlab.h>

#include "os.h"

/* Counters behind vmlab_brk_calls() and friends (mman.c counts mmaps). */
unsigned __vmlab_nbrk;

unsigned vmlab_brk_calls(void) { return __vmlab_nbrk; }

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
        __vmlab_nbrk++;
    return __vmlab_ret(__syscall(n, x[0], x[1], x[2], x[3], x[4], x[5]));
}

ssize_t read(int fd, void *buf, size_t count)
{
    return __vmlab_ret(__syscall3(SYS_read, fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
    return __vmlab_ret(__syscall3(SYS_write, fd, buf, count));
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
    return __vmlab_ret(__syscall3(SYS_readv, fd, iov, iovcnt));
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    return __vmlab_ret(__syscall3(SYS_writev, fd, iov, iovcnt));
}

int close(int fd)
{
    return (int)__vmlab_ret(__syscall1(SYS_close, fd));
}

/* rv32 has only _llseek(fd, high, low, &result, whence): the kernel's
 * offsets are 64-bit; picolibc's off_t is 32-bit, so a result that does
 * not fit is EOVERFLOW, as glibc's 32-bit lseek reports it. */
off_t lseek(int fd, off_t offset, int whence)
{
    int64_t result = 0, off = offset;
    long r = __vmlab_ret(__syscall(SYS_llseek, fd, (long)(off >> 32), (long)(off & 0xffffffff),
                                   (long)&result, whence, 0));
    if (r < 0)
        return -1;
    if (result != (off_t)result) {
        errno = EOVERFLOW;
        return -1;
    }
    return (off_t)result;
}

void _exit(int status)
{
    for (;;)
        __syscall1(SYS_exit_group, status);
}

/* ---- the program break ---------------------------------------------------- */

static uintptr_t cur_brk;       /* cached break; 0 = not asked yet */

static uintptr_t raw_brk(uintptr_t addr)
{
    __vmlab_nbrk++;
    return (uintptr_t)__syscall1(SYS_brk, addr);
}

int brk(void *addr)
{
    cur_brk = raw_brk((uintptr_t)addr);
    if (cur_brk != (uintptr_t)addr) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

/* sbrk over brk, so the heap is the kernel's `heap` segment (picolibc's
 * own sbrk hands out a fixed array between linker symbols instead). */
void *sbrk(ptrdiff_t incr)
{
    uintptr_t old, want;

    if (cur_brk == 0)
        cur_brk = raw_brk(0);
    old = cur_brk;
    if (incr == 0)
        return (void *)old;
    want = old + (uintptr_t)incr;
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
