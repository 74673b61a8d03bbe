/* sys/syscall.h — system call numbers and raw ecall helpers.
 *
 * The SYS_* numbers are generated from the emulator's own table,
 * kernel/syscalls.def, so the guest and the kernel can never disagree.
 *
 * Linux RISC-V convention (PLATFORM.md §1.1): number in a7, arguments in
 * a0..a5, `ecall`, result in a0.  A result in -4095..-1 is -errno.  Every
 * register except a0 is preserved.  The __syscallN helpers return that raw
 * value; the libc-style wrappers (read, write, mmap, ...) turn it into
 * -1 + errno.
 */
#ifndef VMLAB_SYS_SYSCALL_H
#define VMLAB_SYS_SYSCALL_H

#include "../../../kernel/syscalls.def"

enum {
#define VMLAB_SYSNR(name, nr, nargs) SYS_##name = nr,
    SYSCALL_LIST(VMLAB_SYSNR)
#undef VMLAB_SYSNR
};

/* Numbers the emulator does not serve (it answers -ENOSYS, like Linux for
 * calls rv32 does not have); used by tests that check exactly that. */
#define SYS_clock_gettime32 113   /* the 32-bit-time call: rv32 has none */

static inline long __syscall0(long n)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0");
    __asm__ volatile("ecall" : "=r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long __syscall1(long n, long x0)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7) : "memory");
    return a0;
}

static inline long __syscall2(long n, long x0, long x1)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1) : "memory");
    return a0;
}

static inline long __syscall3(long n, long x0, long x1, long x2)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    register long a2 __asm__("a2") = x2;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2)
                     : "memory");
    return a0;
}

static inline long __syscall4(long n, long x0, long x1, long x2, long x3)
{
    register long a7 __asm__("a7") = n;
    register long a0 __asm__("a0") = x0;
    register long a1 __asm__("a1") = x1;
    register long a2 __asm__("a2") = x2;
    register long a3 __asm__("a3") = x3;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2), "r"(a3)
                     : "memory");
    return a0;
}

/* The general case, out of line (lib/syscall.c): raw result, -errno on
 * failure. */
long __syscall6(long n, long x0, long x1, long x2, long x3, long x4, long x5);

/* glibc-style generic entry: syscall(SYS_getpid), syscall(SYS_write, 1, s, n).
 * Returns the result, or -1 with errno set for results in -4095..-1. */
long syscall(long n, ...);

#endif
