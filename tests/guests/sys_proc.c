/* sys_proc — identities, signals waited for, sleeping and the clocks,
 * limits and usage: each result printed, for the differential suite
 * (vmlab vs qemu-riscv32).  Nothing printed depends on the time, a pid or
 * the machine, only on how the calls behave.
 *
 * `sys_proc pause` and `sys_proc sigwait` (for SIGUSR1) say "waiting" and
 * wait for a signal, which only another process can send (the test does,
 * through vmlab or qemu); `sys_proc pause-blocked` waits with every signal
 * blocked, which nothing can end: Linux would wait forever, vmlab ends the
 * process with a message.  `sys_proc nap` sleeps 2 s (meant for
 * --real-sleep) and says whether it returned 0 and 2 s passed;
 * `sys_proc timedwait` waits 2 s for SIGUSR1 (sigtimedwait) the same way. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static void result(const char *what, long r)
{
    if (r == -1)
        printf("%-46s -1 %s\n", what, strerror(errno));
    else
        printf("%-46s %ld\n", what, r);
}

static volatile sig_atomic_t usr1_count, usr2_count;
static volatile unsigned usr1_uid, usr1_code;
static volatile int usr1_pid;

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    usr1_count++;
    usr1_uid = si->si_uid;
    usr1_pid = si->si_pid;
    usr1_code = (unsigned)si->si_code;
}

static void on_usr2(int sig)
{
    (void)sig;
    usr2_count++;
}

static long long ns_of(const struct timespec *t)
{
    return t->tv_sec * 1000000000LL + t->tv_nsec;
}

int main(int argc, char **argv)
{
    struct sigaction sa;
    sigset_t set, old, pend;

    if (argc > 1 && !strcmp(argv[1], "pause")) {
        printf("waiting\n");
        fflush(stdout);
        return pause();
    }
    if (argc > 1 && !strcmp(argv[1], "pause-blocked")) {
        sigfillset(&set);
        sigprocmask(SIG_BLOCK, &set, NULL);
        sigfillset(&set);
        return sigsuspend(&set);
    }
    if (argc > 1 && !strcmp(argv[1], "sigwait")) {
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        printf("waiting\n");
        fflush(stdout);
        return sigwaitinfo(&set, NULL);
    }

    if (argc > 1 && (!strcmp(argv[1], "nap") || !strcmp(argv[1], "timedwait"))) {
        bool nap = !strcmp(argv[1], "nap");
        struct timespec t0, t1, req = { 2, 0 };
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigprocmask(SIG_BLOCK, &set, NULL);
        printf("sleeping\n");
        fflush(stdout);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        errno = 0;
        int r = nap ? nanosleep(&req, NULL) : sigtimedwait(&set, NULL, &req);
        int err = errno;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long long ms = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        printf("%s(2 s) returned %d%s; 2 s passed: %s\n", nap ? "nanosleep" : "sigtimedwait", r,
               r < 0 && err == EAGAIN ? " EAGAIN" : "", ms >= 2000 ? "yes" : "no");
        return 0;
    }

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* --- identities: the same as the host's for vmlab and qemu alike */
    printf("%-46s %s\n", "getuid() == geteuid()", getuid() == geteuid() ? "yes" : "no");
    printf("%-46s %s\n", "getgid() == getegid()", getgid() == getegid() ? "yes" : "no");
    printf("%-46s %s\n", "getppid() > 1", getppid() > 1 ? "yes" : "no");
    printf("%-46s %s\n", "getppid() != getpid()", getppid() != getpid() ? "yes" : "no");
    result("sched_yield()", sched_yield());

    /* --- a signal sent to ourselves names us: si_pid, si_uid, si_code */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    result("kill(getpid(), SIGUSR1)", kill(getpid(), SIGUSR1));
    printf("%-46s %d\n", "handler ran", (int)usr1_count);
    printf("%-46s %s\n", "si_uid == getuid()", usr1_uid == getuid() ? "yes" : "no");
    printf("%-46s %s\n", "si_pid == getpid()", usr1_pid == getpid() ? "yes" : "no");
    printf("%-46s %u (SI_USER)\n", "si_code", usr1_code);

    /* --- pending while blocked, then delivered by sigsuspend */
    signal(SIGUSR2, on_usr2);
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR2);
    result("sigpending()", sigpending(&pend));
    printf("%-46s %d %d\n", "SIGUSR2, SIGUSR1 pending", sigismember(&pend, SIGUSR2),
           sigismember(&pend, SIGUSR1));
    printf("%-46s %d\n", "SIGUSR2 handler ran (blocked)", (int)usr2_count);
    sigset_t none;
    sigemptyset(&none);
    result("sigsuspend(empty mask)", sigsuspend(&none));
    printf("%-46s %d\n", "SIGUSR2 handler ran", (int)usr2_count);
    sigset_t now;
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("%-46s %d\n", "SIGUSR2 blocked again after sigsuspend", sigismember(&now, SIGUSR2));

    /* --- sigtimedwait: take a blocked signal without its handler */
    raise(SIGUSR1);
    siginfo_t si;
    struct timespec zero = { 0, 0 };
    result("sigtimedwait({USR1, USR2})", sigtimedwait(&set, &si, &zero));
    printf("%-46s %d, code %d, uid ok %s\n", "siginfo", si.si_signo, si.si_code,
           si.si_uid == getuid() ? "yes" : "no");
    printf("%-46s %d\n", "SIGUSR1 handler ran (still 1)", (int)usr1_count);
    struct timespec tiny = { 0, 1000 };
    result("sigtimedwait with nothing pending", sigtimedwait(&set, &si, &tiny));
    struct timespec bad = { 0, 1000000000 };
    result("sigtimedwait(tv_nsec = 1e9)", sigtimedwait(&set, &si, &bad));
    int got = 0;
    raise(SIGUSR2);
    printf("%-46s %d, sig %d\n", "sigwait", sigwait(&set, &got), got);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* --- sleeping and the clocks */
    struct timespec t0, t1, req = { 0, 20 * 1000 * 1000 }, res;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    result("nanosleep(20 ms)", nanosleep(&req, NULL));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%-46s %s\n", "monotonic clock moved >= 20 ms", ns_of(&t1) - ns_of(&t0) >= 20000000
           ? "yes" : "no");
    result("usleep(1000)", usleep(1000));
    result("sleep(0)", (long)sleep(0));
    struct timespec past = { 1, 0 };
    result("clock_nanosleep(ABSTIME, 1970)", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
                                                              &past, NULL));
    result("clock_nanosleep(tv_nsec = -1)", clock_nanosleep(CLOCK_REALTIME, 0,
                                                            &(struct timespec){ 0, -1 }, NULL));
    result("nanosleep(tv_sec = -1)", nanosleep(&(struct timespec){ -1, 0 }, NULL));
    result("clock_getres(CLOCK_MONOTONIC)", clock_getres(CLOCK_MONOTONIC, &res));
    printf("%-46s %s\n", "resolution at most 1 ms", res.tv_sec == 0 && res.tv_nsec <= 1000000
           ? "yes" : "no");
    struct tms tm;
    printf("%-46s %s\n", "times() succeeds", times(&tm) != (clock_t)-1 ? "yes" : "no");
    printf("%-46s %ld\n", "sysconf(_SC_CLK_TCK)", sysconf(_SC_CLK_TCK));
    printf("%-46s %ld\n", "sysconf(_SC_PAGESIZE)", sysconf(_SC_PAGESIZE));

    /* --- limits and usage */
    struct rlimit rl;
    result("getrlimit(RLIMIT_STACK)", getrlimit(RLIMIT_STACK, &rl));
    printf("%-46s %llu KiB\n", "stack soft limit", rl.rlim_cur / 1024);
    result("getrlimit(RLIMIT_CORE)", getrlimit(RLIMIT_CORE, &rl));
    printf("%-46s %llu\n", "core soft limit", rl.rlim_cur);
    result("getrlimit(RLIMIT_AS)", getrlimit(RLIMIT_AS, &rl));
    printf("%-46s %s\n", "address space unlimited", rl.rlim_cur == RLIM_INFINITY ? "yes" : "no");
    result("getrlimit(99)", getrlimit(99, &rl));
    rl.rlim_cur = 0;
    rl.rlim_max = 0;
    result("setrlimit(RLIMIT_CORE, 0)", setrlimit(RLIMIT_CORE, &rl));
    getrlimit(RLIMIT_CORE, &rl);
    printf("%-46s %llu %llu\n", "core limits now", rl.rlim_cur, rl.rlim_max);
    rl.rlim_cur = 2;
    rl.rlim_max = 1;
    result("setrlimit(soft > hard)", setrlimit(RLIMIT_CORE, &rl));
    struct rusage ru;
    result("getrusage(RUSAGE_SELF)", getrusage(RUSAGE_SELF, &ru));
    printf("%-46s %s\n", "ru_maxrss > 0", ru.ru_maxrss > 0 ? "yes" : "no");
    result("getrusage(RUSAGE_CHILDREN)", getrusage(RUSAGE_CHILDREN, &ru));
    printf("%-46s %ld\n", "children's ru_minflt", ru.ru_minflt);
    result("getrusage(42)", getrusage(42, &ru));

    struct utsname u;
    result("uname", uname(&u));
    printf("%-46s %s %s\n", "sysname, machine", u.sysname, u.machine);
    return 0;
}
