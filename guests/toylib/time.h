/* time.h — clocks.  rv32 has only the 64-bit-time system calls
 * (clock_gettime64, nr 403), so time_t and tv_sec are 64 bits. */
#ifndef VMLAB_TIME_H
#define VMLAB_TIME_H

#include <sys/types.h>

/* Same bytes as the kernel's struct __kernel_timespec {s64 sec; s64 nsec}:
 * on little-endian the high half of nsec is the (always zero) padding. */
struct timespec {
    time_t tv_sec;
    long tv_nsec;
    int __pad;
};

#define CLOCK_REALTIME           0
#define CLOCK_MONOTONIC          1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID  3
#define CLOCK_MONOTONIC_RAW      4
#define CLOCK_BOOTTIME           7

int clock_gettime(clockid_t clk, struct timespec *ts);
time_t time(time_t *t);

#endif
