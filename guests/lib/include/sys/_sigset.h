/* sys/_sigset.h — the signal set, Linux's 64-bit one.
 *
 * Replaces picolibc's header of the same name (same include guard), whose
 * sigset_t is one 32-bit word: Linux RV32 has 64 signals and the kernel
 * reads and writes 8-byte sets (PLATFORM.md §2.4).  Every picolibc header
 * that names sigset_t (sys/select.h, spawn.h) takes it from here, so
 * there is one sigset_t in a program. */
#ifndef _SYS__SIGSET_H_
#define _SYS__SIGSET_H_

/* Bit n-1 of the 64 is signal n.  Two words, not a uint64_t, so that the
 * set sits at offset 20 in ucontext_t, where the kernel puts it. */
typedef struct {
    unsigned long __bits[2];
} __sigset_t;

#endif
