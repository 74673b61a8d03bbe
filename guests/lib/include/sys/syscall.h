/* sys/syscall.h — Linux RV32 system call numbers and the raw ecall.
 *
 * The SYS_* numbers come from the emulator's own table, kernel/syscalls.def
 * (installed beside this header as <vmlab/syscalls.def>), so the guest and
 * the kernel can never disagree about a number.
 *
 * Convention (PLATFORM.md §1.1): number in a7, arguments in a0..a5,
 * `ecall`, result in a0; a result in -4095..-1 is -errno in *Linux*
 * numbering.  Every register except a0 is preserved.  __syscall() returns
 * that raw value; the C library wrappers (read, write, mmap, ...) turn it
 * into -1 with errno set in picolibc's numbering (lib/syscall.c).
 */
#ifndef VMLAB_SYS_SYSCALL_H
#define VMLAB_SYS_SYSCALL_H

#include <vmlab/syscalls.def>

enum {
#define VMLAB_SYSNR(name, nr, nargs, kinds) SYS_##name = nr,
    SYSCALL_LIST(VMLAB_SYSNR)
#undef VMLAB_SYSNR
};

/* Numbers the emulator does not serve (it answers -ENOSYS, like a Linux
 * RV32 kernel, which has no 32-bit-time calls); for tests of exactly that. */
#define SYS_clock_gettime32 113

/* The raw call: six argument words whatever the call takes (unused
 * registers are harmless).  Returns a0 as the kernel left it. */
static inline long __syscall(long n, long x0, long x1, long x2, long x3, long x4, long x5)
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

#define __syscall0(n)                   __syscall((n), 0, 0, 0, 0, 0, 0)
#define __syscall1(n, a)                __syscall((n), (long)(a), 0, 0, 0, 0, 0)
#define __syscall2(n, a, b)             __syscall((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define __syscall3(n, a, b, c)          __syscall((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define __syscall4(n, a, b, c, d)       __syscall((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)

/* glibc's generic entry: syscall(SYS_getpid), syscall(SYS_write, 1, s, n).
 * Returns the result, or -1 with errno set (picolibc's numbering) for a
 * result in -4095..-1. */
long syscall(long n, ...);

#endif
