/* tests/fuzz/fuzz.c — see fuzz.h. */
#define _GNU_SOURCE
#include "tests/fuzz/fuzz.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

const char *fuzz_file(int slot, const void *data, size_t size)
{
    static int fds[4] = { -1, -1, -1, -1 };
    static char paths[4][32];
    if (slot < 0 || slot > 3)
        fuzz_fail("fuzz_file: slot %d", slot);
    if (fds[slot] < 0) {
        fds[slot] = memfd_create("vmlab-fuzz", MFD_CLOEXEC);
        if (fds[slot] < 0)
            fuzz_fail("memfd_create failed");
        snprintf(paths[slot], sizeof paths[slot], "/proc/self/fd/%d", fds[slot]);
    }
    if (ftruncate(fds[slot], 0) != 0 || pwrite(fds[slot], data, size, 0) != (ssize_t)size)
        fuzz_fail("cannot fill the in-memory file (%zu bytes)", size);
    return paths[slot];
}

FILE *fuzz_null_stream(void)
{
    static FILE *f;
    if (!f && !(f = fopen("/dev/null", "w")))
        fuzz_fail("cannot open /dev/null");
    return f;
}

uint8_t fuzz_u8(struct fuzz_in *in)
{
    if (!in->n)
        return 0;
    in->n--;
    return *in->p++;
}

uint32_t fuzz_u32(struct fuzz_in *in)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v |= (uint32_t)fuzz_u8(in) << (8 * i);
    return v;
}

static void on_alarm(int sig)
{
    (void)sig;                     /* only here so that blocking calls return EINTR */
}

/* A POSIX timer on a real-time signal of its own: SIGALRM and its interval
 * timer are libFuzzer's (its -timeout check), and so are SIGUSR1/2. */
void fuzz_alarm(unsigned ms)
{
    static timer_t timer;
    static int made;
    if (!made) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGRTMIN + 2, &sa, NULL) != 0)
            fuzz_fail("cannot catch SIGRTMIN+2");
        struct sigevent ev;
        memset(&ev, 0, sizeof ev);
        ev.sigev_notify = SIGEV_SIGNAL;
        ev.sigev_signo = SIGRTMIN + 2;
        if (timer_create(CLOCK_MONOTONIC, &ev, &timer) != 0)
            fuzz_fail("cannot make a timer");
        made = 1;
    }
    struct itimerspec it = {
        .it_interval = { .tv_sec = 0, .tv_nsec = ms ? 100000000 : 0 },
        .it_value = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 },
    };
    if (timer_settime(timer, 0, &it, NULL) != 0)
        fuzz_fail("cannot set the timer");
}
