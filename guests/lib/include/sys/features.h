/* sys/features.h — picolibc's feature macros, plus the POSIX options this
 * OS layer provides.  picolibc defines these only for Cygwin and RTEMS,
 * and its headers hide the matching names without them (CLOCK_MONOTONIC,
 * CLOCK_PROCESS_CPUTIME_ID, clock_gettime, nanosleep, clock_nanosleep).
 * _POSIX_TIMERS also declares timer_create and friends, which vmlab does
 * not provide (a program using them fails to link).  _POSIX_THREADS
 * (lib/pthread.c) only where threads can run: with the A extension (an
 * rv32im build has no atomics, and no threads). */
#ifndef VMLAB_SYS_FEATURES_H
#define VMLAB_SYS_FEATURES_H

#include_next <sys/features.h>

#ifndef _POSIX_MONOTONIC_CLOCK
#define _POSIX_MONOTONIC_CLOCK 200809L
#endif
#ifndef _POSIX_CPUTIME
#define _POSIX_CPUTIME 200809L
#endif
#ifndef _POSIX_THREAD_CPUTIME
#define _POSIX_THREAD_CPUTIME 200809L
#endif
#ifndef _POSIX_TIMERS
#define _POSIX_TIMERS 200809L
#endif
#ifndef _POSIX_CLOCK_SELECTION
#define _POSIX_CLOCK_SELECTION 200809L
#endif
#if defined(__riscv_atomic) && !defined(_POSIX_THREADS)
#define _POSIX_THREADS 200809L
#endif

#endif
