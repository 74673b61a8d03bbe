/* tests/fuzz/fuzz.c — see fuzz.h. */
#define _GNU_SOURCE
#include "tests/fuzz/fuzz.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
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

void fuzz_alarm(unsigned ms)
{
    static int installed;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_alarm;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGALRM, &sa, NULL) != 0)
            fuzz_fail("cannot catch SIGALRM");
        installed = 1;
    }
    struct itimerval it = {
        .it_interval = { .tv_sec = 0, .tv_usec = ms ? 100000 : 0 },
        .it_value = { .tv_sec = ms / 1000, .tv_usec = (suseconds_t)(ms % 1000) * 1000 },
    };
    if (setitimer(ITIMER_REAL, &it, NULL) != 0)
        fuzz_fail("cannot set a timer");
}
