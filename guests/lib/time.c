/* time.c — clocks and sleeping.  rv32 kernels have only the 64-bit-time
 * calls (clock_gettime64, clock_getres_time64, clock_nanosleep_time64),
 * with the kernel's two-word timespec; gettimeofday, nanosleep, sleep and
 * usleep are built on them, picolibc's time() calls gettimeofday, and
 * clock() reads the process CPU-time clock.  Under vmlab a sleep moves the
 * program's clock on without waiting (vmlab run --real-sleep waits). */
#include <errno.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "os.h"

/* clock_gettime64 or clock_getres_time64 (nr) on picolibc's clock id. */
static int clock_call(long nr, clockid_t clk, struct timespec *ts)
{
    struct ktimespec k;
    int id = __vmlab_clockid(clk);
    long r;

    if (id < 0) {
        errno = EINVAL;
        return -1;
    }
    r = __vmlab_ret(__syscall2(nr, id, ts ? &k : NULL));
    if (r == 0 && ts)
        __vmlab_ts_from_k(&k, ts);
    return (int)r;
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
    return clock_call(SYS_clock_gettime64, clk, ts);
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

int clock_getres(clockid_t clk, struct timespec *res)
{
    return clock_call(SYS_clock_getres_time64, clk, res);
}

/* POSIX: returns the error number itself, not -1 with errno. */
int clock_nanosleep(clockid_t clk, int flags, const struct timespec *req, struct timespec *rem)
{
    struct ktimespec k, krem;
    int id = __vmlab_clockid(clk);
    long r;

    if (id < 0)
        return EINVAL;
    __vmlab_ts_to_k(req, &k);
    r = __syscall4(SYS_clock_nanosleep_time64, id, flags & TIMER_ABSTIME ? 1 : 0, &k,
                   rem ? &krem : NULL);
    if (r < 0) {
        if (r == -LINUX_EINTR && rem)
            __vmlab_ts_from_k(&krem, rem);
        return __vmlab_errno((int)-r);
    }
    return 0;
}

/* Linux's nanosleep measures with CLOCK_MONOTONIC. */
int nanosleep(const struct timespec *req, struct timespec *rem)
{
    int e = clock_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
    if (e) {
        errno = e;
        return -1;
    }
    return 0;
}

unsigned sleep(unsigned seconds)
{
    struct timespec ts = { (time_t)seconds, 0 };
    return nanosleep(&ts, &ts) ? (unsigned)ts.tv_sec : 0;
}

int usleep(useconds_t us)
{
    struct timespec ts = { (time_t)(us / 1000000), (long)(us % 1000000) * 1000 };
    return nanosleep(&ts, NULL);
}

/* struct tms holds 32-bit clock_t ticks (USER_HZ 100) on rv32; so does
 * picolibc's. */
clock_t times(struct tms *buf)
{
    return (clock_t)__vmlab_ret(__syscall1(SYS_times, buf));
}
