/* pthread_api — the OS layer's pthreads, case by case.
 *
 * Every case prints "name: ok" or "name: FAILED (why)", and the last line
 * counts the failures; only main prints, so the output is the same
 * whatever the scheduler does (under vmlab and qemu-riscv32 alike).
 *
 * If pthread_create fails (a kernel without threads, or an rv32im build,
 * which has no atomics) the program says "no threads: ..." and exits 77.
 *
 * Usage: pthread_api            every case
 *        pthread_api exit-main  main calls pthread_exit while a thread
 *                               still runs: the process ends with status 0
 *                               when that thread ends, atexit functions run
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(name, cond, ...)                                   \
    do {                                                         \
        if (cond) {                                              \
            printf("%s: ok\n", name);                            \
        } else {                                                 \
            printf("%s: FAILED (", name);                        \
            printf(__VA_ARGS__);                                 \
            printf(")\n");                                       \
            failures++;                                          \
        }                                                        \
    } while (0)

static void create_or_quit(pthread_t *t, const pthread_attr_t *a, void *(*fn)(void *), void *arg)
{
    int r = pthread_create(t, a, fn, arg);
    if (r) {
        printf("no threads: pthread_create: %s\n", strerror(r));
        fflush(stdout);
        exit(77);
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Run n threads of fn, thread i getting i + 1; returns the sum of what
 * they return (as integers). */
static int run_all(int n, void *(*fn)(void *))
{
    pthread_t t[8];
    int sum = 0;

    for (int i = 0; i < n; i++)
        create_or_quit(&t[i], NULL, fn, (void *)(intptr_t)(i + 1));
    for (int i = 0; i < n; i++) {
        void *v;
        pthread_join(t[i], &v);
        sum += (int)(intptr_t)v;
    }
    return sum;
}

/* ---- create, join, self, detach -------------------------------------------- */

static volatile int finished_flag;

static void *quick(void *arg)
{
    finished_flag = 1;
    return (void *)((intptr_t)arg + 1);
}

static void *slow(void *arg)
{
    sleep_ms(50);
    return arg;
}

static void *report_self(void *arg)
{
    *(pthread_t *)arg = pthread_self();
    return NULL;
}

static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static int done_count;

static void *detached_worker(void *arg)
{
    (void)arg;
    sleep_ms(10);
    pthread_mutex_lock(&done_lock);
    done_count++;
    pthread_cond_signal(&done_cond);
    pthread_mutex_unlock(&done_lock);
    return NULL;
}

static void *exits_early(void *arg)
{
    pthread_exit((void *)((intptr_t)arg * 2));
}

static void test_threads(void)
{
    pthread_t t;
    void *v = NULL;

    create_or_quit(&t, NULL, quick, (void *)41);
    while (!finished_flag)
        sched_yield();
    sleep_ms(20);                       /* let it end before the join */
    int r = pthread_join(t, &v);
    CHECK("join a finished thread", r == 0 && (intptr_t)v == 42, "r %d, value %ld", r,
          (long)(intptr_t)v);

    create_or_quit(&t, NULL, slow, (void *)7);
    r = pthread_join(t, &v);            /* it is still asleep */
    CHECK("join a running thread", r == 0 && (intptr_t)v == 7, "r %d, value %ld", r,
          (long)(intptr_t)v);

    create_or_quit(&t, NULL, exits_early, (void *)21);
    r = pthread_join(t, &v);
    CHECK("pthread_exit's value reaches join", r == 0 && (intptr_t)v == 42, "value %ld",
          (long)(intptr_t)v);

    pthread_t seen = NULL;
    create_or_quit(&t, NULL, report_self, &seen);
    pthread_join(t, NULL);
    CHECK("pthread_self in a thread equals create's handle", pthread_equal(seen, t), "differ");
    CHECK("threads differ from main", !pthread_equal(pthread_self(), t) &&
          pthread_equal(pthread_self(), pthread_self()), "equal");
    CHECK("join self is EDEADLK", pthread_join(pthread_self(), NULL) == EDEADLK, "no");

    /* detached: one by attribute, one by pthread_detach while it runs */
    pthread_attr_t a;
    int st = -1;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    pthread_attr_getdetachstate(&a, &st);
    create_or_quit(&t, &a, detached_worker, NULL);
    pthread_attr_destroy(&a);
    create_or_quit(&t, NULL, detached_worker, NULL);
    r = pthread_detach(t);
    pthread_mutex_lock(&done_lock);
    while (done_count < 2)
        pthread_cond_wait(&done_cond, &done_lock);
    pthread_mutex_unlock(&done_lock);
    CHECK("detached threads run and end", r == 0 && st == PTHREAD_CREATE_DETACHED &&
          done_count == 2, "detach %d, state %d, done %d", r, st, done_count);

    /* many short threads: join gives each stack back (munmap), so the
     * next thread's mapping lands where an earlier one was. */
    uintptr_t first = 0, same = 0;
    for (int i = 0; i < 300; i++) {
        create_or_quit(&t, NULL, quick, NULL);
        pthread_join(t, NULL);
        if (i == 0)
            first = (uintptr_t)t;
        else if ((uintptr_t)t == first)
            same++;
    }
    CHECK("300 threads created and joined, stacks reused", same > 0,
          "no mapping came back: join does not unmap");
}

/* ---- signals: the creator's mask, pthread_kill to one thread ----------------------- */

static void *report_mask(void *arg)
{
    sigset_t m;
    (void)arg;
    sigprocmask(SIG_BLOCK, NULL, &m);
    return (void *)(intptr_t)(sigismember(&m, SIGUSR1) * 2 + sigismember(&m, SIGUSR2));
}

static volatile pthread_t handled_in;
static volatile int handled;

static void on_usr2(int sig)
{
    (void)sig;
    handled_in = pthread_self();
    handled = 1;
}

static void *wait_for_signal(void *arg)
{
    (void)arg;
    while (!handled)
        sched_yield();
    return NULL;
}

static void test_signals(void)
{
    sigset_t usr1, before;
    pthread_t t;
    void *v;

    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, &before);
    create_or_quit(&t, NULL, report_mask, NULL);
    pthread_join(t, &v);
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    CHECK("a new thread has its creator's signal mask", (intptr_t)v == 2, "%ld",
          (long)(intptr_t)v);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sigaction(SIGUSR2, &sa, NULL);
    create_or_quit(&t, NULL, wait_for_signal, NULL);
    int r = pthread_kill(t, SIGUSR2);
    pthread_join(t, NULL);
    CHECK("pthread_kill runs the handler in that thread", r == 0 && handled &&
          pthread_equal(handled_in, t), "r %d, handled %d", r, handled);
    CHECK("pthread_kill with signal 0 checks, a bad signal is EINVAL",
          pthread_kill(pthread_self(), 0) == 0 && pthread_kill(pthread_self(), 99) == EINVAL,
          "no");
}

/* ---- attributes and stacks ------------------------------------------------------ */

static void *big_frame(void *arg)
{
    volatile char buf[192 * 1024];      /* more than the default 128 KiB stack */
    memset((char *)buf, 1, sizeof buf);
    return (void *)(intptr_t)(buf[0] + buf[sizeof buf - 1] + (intptr_t)arg);
}

static void test_attr(void)
{
    pthread_attr_t a;
    size_t s = 0, g = 0;

    pthread_attr_init(&a);
    pthread_attr_getstacksize(&a, &s);
    pthread_attr_getguardsize(&a, &g);
    CHECK("default stack 128 KiB, guard 4 KiB", s == 128 * 1024 && g == 4096, "%lu, %lu",
          (unsigned long)s, (unsigned long)g);
    CHECK("stack size below PTHREAD_STACK_MIN is EINVAL",
          pthread_attr_setstacksize(&a, 1000) == EINVAL, "accepted");
    pthread_attr_setstacksize(&a, 256 * 1024);
    pthread_attr_getstacksize(&a, &s);
    pthread_t t;
    void *v;
    create_or_quit(&t, &a, big_frame, (void *)1);
    pthread_join(t, &v);
    CHECK("a 256 KiB stack holds a 192 KiB frame", s == 256 * 1024 && (intptr_t)v == 3,
          "size %lu, value %ld", (unsigned long)s, (long)(intptr_t)v);
    pthread_attr_destroy(&a);
}

/* ---- per-thread errno ------------------------------------------------------------ */

static pthread_barrier_t errno_barrier;

static void *errno_worker(void *arg)
{
    int fresh = errno == 0;             /* a new thread's errno starts at 0 */
    errno = (int)(intptr_t)arg;
    pthread_barrier_wait(&errno_barrier);   /* everyone has set theirs */
    return (void *)(intptr_t)(fresh && errno == (int)(intptr_t)arg);
}

static void test_errno(void)
{
    errno = 99;
    pthread_barrier_init(&errno_barrier, NULL, 4);
    int good = run_all(4, errno_worker);
    pthread_barrier_destroy(&errno_barrier);
    CHECK("errno is per thread (0 in a new thread)", good == 4 && errno == 99, "%d of 4, main %d",
          good, errno);
}

/* ---- mutexes ---------------------------------------------------------------------- */

struct try_arg {
    pthread_mutex_t *m;
    int r_try, r_unlock;
};

static void *other_thread_tries(void *arg)
{
    struct try_arg *x = arg;
    x->r_unlock = pthread_mutex_unlock(x->m);
    x->r_try = pthread_mutex_trylock(x->m);
    if (x->r_try == 0)
        pthread_mutex_unlock(x->m);
    return NULL;
}

static void from_other_thread(struct try_arg *x)
{
    pthread_t t;
    create_or_quit(&t, NULL, other_thread_tries, x);
    pthread_join(t, NULL);
}

static void test_mutex(void)
{
    pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER, e, rec;
    pthread_mutexattr_t a;
    int r1, r2, r3, r4;

    pthread_mutex_lock(&n);
    r1 = pthread_mutex_trylock(&n);
    r2 = pthread_mutex_destroy(&n);
    pthread_mutex_unlock(&n);
    r3 = pthread_mutex_trylock(&n);
    pthread_mutex_unlock(&n);
    CHECK("normal: trylock of a held mutex is EBUSY, then 0", r1 == EBUSY && r3 == 0 &&
          r2 == EBUSY, "%d, %d, destroy %d", r1, r3, r2);

    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&e, &a);
    r1 = pthread_mutex_unlock(&e);
    pthread_mutex_lock(&e);
    r2 = pthread_mutex_lock(&e);
    r3 = pthread_mutex_trylock(&e);
    struct try_arg x = { &e, -1, -1 };
    from_other_thread(&x);
    r4 = pthread_mutex_unlock(&e);
    CHECK("errorcheck: unlock unlocked EPERM, relock EDEADLK, trylock EBUSY",
          r1 == EPERM && r2 == EDEADLK && r3 == EBUSY, "%d, %d, %d", r1, r2, r3);
    CHECK("errorcheck: another thread's unlock EPERM, its trylock EBUSY",
          x.r_unlock == EPERM && x.r_try == EBUSY && r4 == 0, "%d, %d, own unlock %d",
          x.r_unlock, x.r_try, r4);

    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &a);
    r1 = pthread_mutex_lock(&rec) | pthread_mutex_lock(&rec) | pthread_mutex_trylock(&rec);
    pthread_mutex_unlock(&rec);
    pthread_mutex_unlock(&rec);
    struct try_arg y = { &rec, -1, -1 };
    from_other_thread(&y);              /* still held once */
    pthread_mutex_unlock(&rec);
    struct try_arg z = { &rec, -1, -1 };
    from_other_thread(&z);              /* free now */
    CHECK("recursive: three locks need three unlocks", r1 == 0 && y.r_try == EBUSY &&
          z.r_try == 0 && z.r_unlock == EPERM, "%d, %d, %d", r1, y.r_try, z.r_try);
    int type = -1;
    pthread_mutexattr_gettype(&a, &type);
    CHECK("mutexattr type", type == PTHREAD_MUTEX_RECURSIVE &&
          pthread_mutexattr_settype(&a, 42) == EINVAL, "%d", type);
    pthread_mutexattr_destroy(&a);
}

/* Four threads and a shared counter under a mutex: the exact total. */
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int count_total;

static void *count_up(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&count_lock);
        count_total++;
        pthread_mutex_unlock(&count_lock);
    }
    return NULL;
}

static void test_mutex_contended(void)
{
    run_all(4, count_up);
    CHECK("a mutex under contention: 4 x 20000 increments", count_total == 80000, "%d",
          count_total);
}

/* ---- condition variables ------------------------------------------------------------- */

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static int q_items, q_taken, q_go, q_awake;

static void *consumer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&q_lock);
        while (q_items == 0)
            pthread_cond_wait(&q_cond, &q_lock);
        q_items--;
        q_taken++;
        pthread_mutex_unlock(&q_lock);
    }
    return NULL;
}

static void *wait_for_go(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&q_lock);
    q_awake++;                          /* here: about to wait */
    while (!q_go)
        pthread_cond_wait(&q_cond, &q_lock);
    q_awake--;
    pthread_mutex_unlock(&q_lock);
    return NULL;
}

static void test_cond(void)
{
    pthread_t t, w[3];

    create_or_quit(&t, NULL, consumer, NULL);
    for (int i = 0; i < 100; i++) {
        pthread_mutex_lock(&q_lock);
        q_items++;
        pthread_cond_signal(&q_cond);
        pthread_mutex_unlock(&q_lock);
        if (i % 10 == 0)
            sched_yield();
    }
    pthread_join(t, NULL);
    CHECK("cond signal: 100 items produced and consumed", q_taken == 100 && q_items == 0,
          "taken %d, left %d", q_taken, q_items);

    for (int i = 0; i < 3; i++)
        create_or_quit(&w[i], NULL, wait_for_go, NULL);
    for (;;) {                          /* until all three wait */
        pthread_mutex_lock(&q_lock);
        int n = q_awake;
        pthread_mutex_unlock(&q_lock);
        if (n == 3)
            break;
        sleep_ms(1);
    }
    pthread_mutex_lock(&q_lock);
    q_go = 1;
    pthread_cond_broadcast(&q_cond);
    pthread_mutex_unlock(&q_lock);
    for (int i = 0; i < 3; i++)
        pthread_join(w[i], NULL);
    CHECK("cond broadcast wakes all three waiters", q_awake == 0, "%d still waiting", q_awake);
}

static long ms_between(const struct timespec *a, const struct timespec *b)
{
    return (long)((b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000);
}

/* Wait on c until the time `ms` from now on clock clk: returns what the
 * last pthread_cond_timedwait returned (it loops over early wake-ups),
 * and in *late whether it returned no earlier than the deadline. */
static int wait_until(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk, int ms, int *late)
{
    struct timespec deadline, end;
    int r;

    clock_gettime(clk, &deadline);
    deadline.tv_nsec += ms * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    do
        r = pthread_cond_timedwait(c, m, &deadline);
    while (r == 0);
    clock_gettime(clk, &end);
    *late = ms_between(&deadline, &end) >= 0;
    return r;
}

static void test_timedwait(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c = PTHREAD_COND_INITIALIZER, mc;
    pthread_condattr_t ca;
    struct timespec deadline;
    int r, late;

    pthread_mutex_lock(&m);
    r = wait_until(&c, &m, CLOCK_REALTIME, 30, &late);
    CHECK("timedwait (CLOCK_REALTIME) times out: ETIMEDOUT, not early", r == ETIMEDOUT && late,
          "r %d", r);
    CHECK("timedwait holds the mutex again on return", pthread_mutex_trylock(&m) == EBUSY, "no");

    pthread_condattr_init(&ca);
    CHECK("condattr_setclock: MONOTONIC yes, PROCESS_CPUTIME no",
          pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) == 0 &&
          pthread_condattr_setclock(&ca, CLOCK_PROCESS_CPUTIME_ID) == EINVAL, "no");
    pthread_cond_init(&mc, &ca);
    r = wait_until(&mc, &m, CLOCK_MONOTONIC, 30, &late);
    CHECK("timedwait (CLOCK_MONOTONIC) times out", r == ETIMEDOUT && late, "r %d", r);

    deadline.tv_sec = 1;                /* long past */
    deadline.tv_nsec = 0;
    r = pthread_cond_timedwait(&c, &m, &deadline);
    CHECK("timedwait with a past deadline: ETIMEDOUT at once", r == ETIMEDOUT, "r %d", r);
    deadline.tv_nsec = 1000000000L;
    r = pthread_cond_timedwait(&c, &m, &deadline);
    CHECK("timedwait with tv_nsec 1e9: EINVAL", r == EINVAL, "r %d", r);
    pthread_mutex_unlock(&m);
}

/* ---- once and keys ---------------------------------------------------------------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs;
static pthread_barrier_t once_barrier;

static void init_once(void)
{
    once_runs++;
    sleep_ms(5);                        /* the others arrive meanwhile */
}

static void *call_once(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&once_barrier);
    pthread_once(&once, init_once);
    return (void *)(intptr_t)(once_runs == 1);
}

static void test_once(void)
{
    pthread_barrier_init(&once_barrier, NULL, 4);
    int saw_one = run_all(4, call_once);
    pthread_once(&once, init_once);
    CHECK("pthread_once runs once; every caller sees it done", once_runs == 1 && saw_one == 4,
          "runs %d, saw %d", once_runs, saw_one);
}

static pthread_key_t key, key2;
static int destroyed[8], destroyed_n, again_n;
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

static void destroy(void *v)
{
    pthread_mutex_lock(&key_lock);
    destroyed[destroyed_n++ % 8] = (int)(intptr_t)v;
    pthread_mutex_unlock(&key_lock);
}

/* Sets a new value once: the destructors run a second round. */
static void destroy_again(void *v)
{
    pthread_mutex_lock(&key_lock);
    again_n++;
    pthread_mutex_unlock(&key_lock);
    if ((intptr_t)v == 1)
        pthread_setspecific(key2, (void *)2);
}

static void *use_keys(void *arg)
{
    int before = pthread_getspecific(key) == NULL;
    pthread_setspecific(key, arg);
    pthread_setspecific(key2, (void *)1);
    return (void *)(intptr_t)(before && pthread_getspecific(key) == arg);
}

static void test_keys(void)
{
    CHECK("key_create", pthread_key_create(&key, destroy) == 0 &&
          pthread_key_create(&key2, destroy_again) == 0, "failed");
    pthread_setspecific(key, (void *)100);
    int good = run_all(3, use_keys);
    int sum = 0;
    for (int i = 0; i < destroyed_n && i < 8; i++)
        sum += destroyed[i];
    CHECK("keys: each thread its own value", good == 3 && pthread_getspecific(key) == (void *)100,
          "%d of 3, main %p", good, pthread_getspecific(key));
    CHECK("destructors ran at each thread's exit with its value", destroyed_n == 3 && sum == 6,
          "%d calls, sum %d", destroyed_n, sum);
    CHECK("a destructor that sets a value gets a second round", again_n == 6, "%d calls",
          again_n);
    pthread_key_delete(key);
    pthread_key_t k3;
    pthread_key_create(&k3, NULL);
    CHECK("key_delete; a new key starts NULL", pthread_getspecific(k3) == NULL &&
          pthread_setspecific(key, (void *)1) == (k3 == key ? 0 : EINVAL), "stale value");
}

/* ---- stdio and malloc from several threads --------------------------------------------- */

static FILE *shared_file;

static void *write_lines(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int i = 0; i < 200; i++) {
        char *p = malloc(16 + (size_t)(i % 7) * 40);
        fprintf(shared_file, "thread %d line %03d %s\n", me, i, "abcdefghijklmnopqrstuvwxyz");
        free(p);
    }
    return NULL;
}

static void test_stdio_malloc(void)
{
    char path[] = "/tmp/pthread_api.XXXXXX";
    int fd = mkstemp(path);

    shared_file = fd >= 0 ? fdopen(fd, "w+") : NULL;
    if (!shared_file) {
        CHECK("stdio from four threads", 0, "no temporary file");
        return;
    }
    run_all(4, write_lines);
    rewind(shared_file);
    char line[128];
    int whole = 0, bad = 0, per[5] = { 0 };
    while (fgets(line, sizeof line, shared_file)) {
        int who, n;
        char rest[64];
        if (sscanf(line, "thread %d line %d %63s", &who, &n, rest) == 3 && who >= 1 &&
            who <= 4 && n == per[who] && !strcmp(rest, "abcdefghijklmnopqrstuvwxyz")) {
            per[who]++;
            whole++;
        } else {
            bad++;
        }
    }
    fclose(shared_file);
    unlink(path);
    CHECK("fprintf and malloc from four threads: 800 whole lines in order per thread",
          whole == 800 && bad == 0, "%d whole, %d broken", whole, bad);
}

/* ---- main ------------------------------------------------------------------------------- */

static void at_exit(void)
{
    printf("atexit ran\n");
}

static void *last_one(void *arg)
{
    (void)arg;
    sleep_ms(30);
    printf("the last thread ends: the process exits 0\n");
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "exit-main")) {
        pthread_t t;
        atexit(at_exit);
        create_or_quit(&t, NULL, last_one, NULL);
        printf("main calls pthread_exit\n");
        fflush(stdout);
        pthread_exit((void *)3);
    }
    test_threads();
    test_signals();
    test_attr();
    test_errno();
    test_mutex();
    test_mutex_contended();
    test_cond();
    test_timedwait();
    test_once();
    test_keys();
    test_stdio_malloc();
    printf("all as expected: %d failure(s)\n", failures);
    return failures != 0;
}
