/* time.c — clocks.  rv32 kernels have only the 64-bit-time calls
 * (clock_gettime64 and friends), with the kernel's two-word timespec;
 * picolibc's time() calls gettimeofday, and clock() is built here on the
 * process CPU-time clock. */
#include <errno.h>
#include <sys/time.h>
#include <time.h>

#include "os.h"

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    struct ktimespec k;
    int id = __vmlab_clockid(clk);
    long r;

    if (id < 0) {
        errno = EINVAL;
        return -1;
    }
    r = __vmlab_ret(__syscall2(SYS_clock_gettime64, id, &k));
    if (r == 0)
        __vmlab_ts_from_k(&k, ts);
    return (int)r;
}

int gettimeofday(struct timeval *tv, void *tz)
{
    struct timespec ts;

    (void)tz;                       /* obsolete: no time zone is kept */
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return -1;
    if (tv) {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return 0;
}

/* CPU time in CLOCKS_PER_SEC units (1000000 on RISC-V picolibc). */
clock_t clock(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
        return (clock_t)-1;
    return (clock_t)(ts.tv_sec * CLOCKS_PER_SEC + ts.tv_nsec / (1000000000 / CLOCKS_PER_SEC));
}
