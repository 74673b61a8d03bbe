/* outside_signals — signals sent to the program from outside: the
 * terminal's Ctrl-C, kill(1).  It prints "ready" once its handlers are in
 * place; the test (tests/test_e2e.c) then sends the signals.  The same
 * output under vmlab and qemu-riscv32, which both pass the host's signals
 * on to the guest.
 *
 *   outside_signals spin        SIGINT's handler ends a busy loop
 *   outside_signals default     no handler: SIGINT ends it (status 130)
 *   outside_signals read        signal(): SA_RESTART, a read of stdin goes on
 *   outside_signals eintr       sigaction without SA_RESTART: read fails, EINTR
 *   outside_signals several     SIGUSR1, SIGUSR2, SIGHUP, SIGTERM handled in turn
 *   outside_signals thread      a thread reads stdin, main joins it; SIGINT
 *   outside_signals thread-own  the same with SIGINT blocked in main: the
 *                               reader takes it, its read goes on (SA_RESTART)
 *   outside_signals sleep       a 20 s nanosleep: SIGINT's handler (SA_RESTART)
 *                               runs and the sleep fails, EINTR, time left
 *                               (vmlab: with --real-sleep)
 *   outside_signals thread-sleep  the same in main while a thread (SIGINT
 *                               blocked) sleeps 1 s: main's sleep fails at
 *                               once, not when the other wakes
 *   outside_signals inherited   run with signals ignored (nohup, a background
 *                               job): says how each starts; SIGHUP's handler
 *                               still runs once it sets one
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got[32], last_code = -99;

static void on_signal(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got[sig]++;
    last_code = si->si_code;
    if (sig == SIGINT) {                         /* the test waits for it */
        static const char note[] = "[SIGINT handler]\n";
        ssize_t r = write(1, note, sizeof note - 1);
        (void)r;
    }
}

static void handle(int sig, int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void ready(void)
{
    printf("ready\n");
    fflush(stdout);
}

static void report_read(const char *how, long n, int err, const char *buf)
{
    printf("%s: handler ran %d time(s) (si_code %d); read returned %ld", how, (int)got[SIGINT],
           (int)last_code, n);
    if (n < 0)
        printf(" (%s)", err == EINTR ? "EINTR" : strerror(err));
    else
        printf(": \"%.*s\"", (int)(n > 0 && buf[n - 1] == '\n' ? n - 1 : n), buf);
    printf("\n");
}

static volatile int reader_up, sleeper_done;

static void *sleeper(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    pthread_sigmask(SIG_BLOCK, &s, NULL);        /* main takes it */
    struct timespec req = { 1, 0 };
    nanosleep(&req, NULL);
    __atomic_store_n(&sleeper_done, 1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void *reader(void *arg)
{
    char *buf = arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);      /* thread-own: main blocks it */
    __atomic_store_n(&reader_up, 1, __ATOMIC_SEQ_CST);
    long n = read(0, buf, 63);
    report_read("thread", n, errno, buf);
    return NULL;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "spin";
    char buf[64];
    if (!strcmp(m, "spin")) {
        handle(SIGINT, 0);
        ready();
        while (!got[SIGINT])
            ;
        printf("caught SIGINT (si_code %d), ending cleanly\n", (int)last_code);
        return 0;
    }
    if (!strcmp(m, "default")) {
        ready();
        for (;;)
            ;
    }
    if (!strcmp(m, "read")) {
        handle(SIGINT, SA_RESTART);
        ready();
        long n = read(0, buf, sizeof buf);
        report_read("SA_RESTART", n, errno, buf);
        return 0;
    }
    if (!strcmp(m, "eintr")) {
        handle(SIGINT, 0);
        ready();
        errno = 0;
        long n = read(0, buf, sizeof buf);
        report_read("no SA_RESTART", n, errno, buf);
        return 0;
    }
    if (!strcmp(m, "several")) {
        static const int sigs[] = { SIGUSR1, SIGUSR2, SIGHUP, SIGTERM };
        for (int i = 0; i < 4; i++)
            handle(sigs[i], 0);
        ready();
        for (int i = 0; i < 4; i++) {
            while (!got[sigs[i]])
                ;
            printf("%s handled\n", strsignal(sigs[i]));
            fflush(stdout);
        }
        return 0;
    }
    if (!strcmp(m, "thread") || !strcmp(m, "thread-own")) {
        handle(SIGINT, SA_RESTART);
        if (!strcmp(m, "thread-own")) {
            sigset_t s;
            sigemptyset(&s);
            sigaddset(&s, SIGINT);
            pthread_sigmask(SIG_BLOCK, &s, NULL);
        }
        pthread_t t;
        if (pthread_create(&t, NULL, reader, buf) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
        while (!__atomic_load_n(&reader_up, __ATOMIC_SEQ_CST))
            sched_yield();                       /* its mask is set: now the signal may come */
        ready();
        pthread_join(t, NULL);
        printf("joined; SIGINT handled %d time(s)\n", (int)got[SIGINT]);
        return 0;
    }
    if (!strcmp(m, "sleep") || !strcmp(m, "thread-sleep")) {
        handle(SIGINT, SA_RESTART);              /* nanosleep is never restarted */
        pthread_t t;
        bool threaded = !strcmp(m, "thread-sleep");
        if (threaded && pthread_create(&t, NULL, sleeper, NULL) != 0) {
            printf("pthread_create failed\n");
            return 1;
        }
        ready();
        struct timespec req = { 20, 0 }, rem = { -1, -1 };
        errno = 0;
        int r = nanosleep(&req, &rem);
        int err = errno;
        bool left = rem.tv_sec >= 0 && rem.tv_sec < 20 && rem.tv_nsec >= 0 &&
                    (rem.tv_sec > 0 || rem.tv_nsec > 0);
        printf("nanosleep: handler ran %d time(s); returned %d%s, %s", (int)got[SIGINT], r,
               r ? (err == EINTR ? " (EINTR)" : " (not EINTR)") : "",
               left ? "some of the 20 s left" : "no time left written");
        if (threaded) {
            bool asleep = !__atomic_load_n(&sleeper_done, __ATOMIC_SEQ_CST);
            pthread_join(t, NULL);
            printf("; %s; joined", asleep ? "the other still slept" : "the other had woken");
        }
        printf("\n");
        return 0;
    }
    if (!strcmp(m, "inherited")) {
        static const int sigs[] = { SIGHUP, SIGINT, SIGPIPE, SIGUSR1 };
        for (int i = 0; i < 4; i++) {
            struct sigaction old;
            sigaction(sigs[i], NULL, &old);
            printf("%s: %s\n", strsignal(sigs[i]), old.sa_handler == SIG_IGN   ? "ignored"
                                                   : old.sa_handler == SIG_DFL ? "default"
                                                                               : "caught");
        }
        handle(SIGHUP, 0);
        ready();
        while (!got[SIGHUP])
            ;
        printf("Hangup handled\n");
        return 0;
    }
    printf("unknown mode\n");
    return 2;
}
