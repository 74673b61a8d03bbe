/* threads_raw — Linux threads by hand: clone with the flags a pthreads
 * library passes (an assembly trampoline starts the child on its own
 * stack), joins by the CLONE_CHILD_CLEARTID futex, and futex_time64's
 * results.  Only system calls and write(2): no libc state is shared
 * between threads, and no atomic instruction is used (the rv32im build has
 * none).  Output that depends on the interleaving is printed only where
 * the scheduler decides it (`race`), so the other modes print the same
 * under vmlab and qemu-riscv32.
 *
 *   threads_raw basic      three threads, each writes its slot; join; sums
 *   threads_raw futex      futex errors and wake counts
 *   threads_raw signal     tgkill to one thread; kill to a thread not blocking
 *   threads_raw suspend    rt_sigsuspend until another thread signals
 *   threads_raw many       threads until clone fails (vmlab: 64 alive), all joined
 *   threads_raw fork       a new process is refused
 *   threads_raw race N     two threads add 1 N times without a lock
 *   threads_raw deadlock   two threads wait on futexes nobody wakes
 *   threads_raw segv       a thread dereferences NULL
 *   threads_raw overflow   a thread recurses into its stack's guard page
 *   threads_raw input      a thread reads stdin to its end while main joins it
 *   threads_raw shared     kill while every thread blocks the signal: the
 *                          process keeps it until a thread unblocks it
 *   threads_raw restart    a signal to a thread in FUTEX_WAIT: an SA_RESTART
 *                          handler runs and the wait goes on (untimed), a
 *                          timed wait or one without SA_RESTART gets EINTR
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <vmlab.h>

#define SYS_read          63
#define SYS_write         64
#define SYS_exit          93
#define SYS_exit_group    94
#define SYS_set_tid_address 96
#define SYS_set_robust_list 99
#define SYS_sched_yield   124
#define SYS_kill          129
#define SYS_tkill         130
#define SYS_tgkill        131
#define SYS_rt_sigaction  134
#define SYS_rt_sigprocmask 135
#define SYS_rt_sigsuspend 133
#define SYS_rt_sigpending 136
#define SYS_getpid        172
#define SYS_gettid        178
#define SYS_munmap        215
#define SYS_clone         220
#define SYS_mmap2         222
#define SYS_mprotect      226
#define SYS_clock_nanosleep 407
#define SYS_futex         422

#define CLONE_VM             0x00000100
#define CLONE_FS             0x00000200
#define CLONE_FILES          0x00000400
#define CLONE_SIGHAND        0x00000800
#define CLONE_THREAD         0x00010000
#define CLONE_SYSVSEM        0x00040000
#define CLONE_SETTLS         0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define PTHREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
                       CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_LOCK_PI 6
#define FUTEX_WAIT_BITSET 9
#define FUTEX_PRIVATE 128

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
    register long a0 __asm__("a0") = a;
    register long a1 __asm__("a1") = b;
    register long a2 __asm__("a2") = c;
    register long a3 __asm__("a3") = d;
    register long a4 __asm__("a4") = e;
    register long a5 __asm__("a5") = f;
    register long a7 __asm__("a7") = n;
    __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
                     : "memory");
    return a0;
}
#define sys(n, a, b, c) sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* raw_clone(flags, stack_top, ptid, tls, ctid, fn, arg): the child starts
 * fn(arg) on stack_top with no frame above it and exits with its result. */
long raw_clone(long flags, void *stack, int *ptid, void *tls, int *ctid, long (*fn)(long),
               long arg);
__asm__(".text\n.globl raw_clone\n.type raw_clone,@function\nraw_clone:\n"
        "  andi a1, a1, -16\n"
        "  addi a1, a1, -16\n"
        "  sw a5, 0(a1)\n"
        "  sw a6, 4(a1)\n"
        "  li a7, 220\n"
        "  ecall\n"
        "  bnez a0, 1f\n"
        "  li s0, 0\n"
        "  li ra, 0\n"
        "  lw t0, 0(sp)\n"
        "  lw a0, 4(sp)\n"
        "  jalr t0\n"
        "  li a7, 93\n"
        "  ecall\n"
        "1: ret\n"
        ".size raw_clone, .-raw_clone\n");

/* --- output without libc --------------------------------------------------- */

static void out(const char *s)
{
    sys(SYS_write, 1, s, strlen(s));
}

static void outn(long v)
{
    char b[16];
    int i = 15;
    b[i] = 0;
    int neg = v < 0;
    unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
    do {
        b[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        b[--i] = '-';
    out(b + i);
}

static void line(const char *what, long v)
{
    out(what);
    out(" ");
    outn(v);
    out("\n");
}

/* --- threads ------------------------------------------------------------------ */

#define STACK_SIZE (64 * 1024)
#define PAGE 4096

struct thr {
    int tid;                       /* CLONE_PARENT_SETTID, cleared at exit */
    char *map;                     /* guard page + stack */
    char tls[256] __attribute__((aligned(16)));
};

static void *stack_map(size_t size)
{
    long m = sys6(SYS_mmap2, 0, size + PAGE, 3 /* RW */, 0x22 /* PRIVATE|ANON */, -1, 0);
    if (m < 0 && m > -4096)
        return NULL;
    sys(SYS_mprotect, m, PAGE, 0);            /* the guard page: lowest */
    return (void *)m;
}

static int start(struct thr *t, long (*fn)(long), long arg, size_t size)
{
    t->map = stack_map(size);
    if (!t->map)
        return -1;
    long r = raw_clone(PTHREAD_FLAGS, t->map + PAGE + size, &t->tid, t->tls, &t->tid, fn, arg);
    return (int)r;
}

static void join(struct thr *t)
{
    for (;;) {
        int v = *(volatile int *)&t->tid;
        if (!v)
            return;
        sys6(SYS_futex, (long)&t->tid, FUTEX_WAIT, v, 0, 0, 0);
    }
}

/* --- basic -------------------------------------------------------------------- */

static volatile long slot[4];
static volatile int tids[4];

static long worker(long i)
{
    tids[i] = (int)sys(SYS_gettid, 0, 0, 0);
    long tp;
    __asm__ volatile("mv %0, tp" : "=r"(tp));
    long sum = 0;
    for (long k = 1; k <= 1000 * (i + 1); k++)
        sum += k;
    slot[i] = sum;
    if (i == 2)
        sys(SYS_sched_yield, 0, 0, 0);
    return tp == 0 ? 99 : 0;
}

static struct thr th[4];

static int basic(void)
{
    int pid = (int)sys(SYS_getpid, 0, 0, 0);
    line("main gettid == getpid:", sys(SYS_gettid, 0, 0, 0) == pid);
    line("set_robust_list(12):", sys(SYS_set_robust_list, 0, 12, 0));
    line("set_robust_list(8):", sys(SYS_set_robust_list, 0, 8, 0));
    for (int i = 0; i < 3; i++) {
        int r = start(&th[i], worker, i, STACK_SIZE);
        if (r <= 0) {
            line("clone failed:", r);
            return 1;
        }
    }
    for (int i = 0; i < 3; i++)
        join(&th[i]);
    for (int i = 0; i < 3; i++) {
        out("thread ");
        outn(i);
        line(" sum", slot[i]);
    }
    int distinct = tids[0] != pid && tids[1] != pid && tids[2] != pid && tids[0] != tids[1] &&
                   tids[1] != tids[2] && tids[0] != tids[2];
    line("distinct tids:", distinct);
    line("tid words cleared:", th[0].tid == 0 && th[1].tid == 0 && th[2].tid == 0);
    return 0;
}

/* --- futex -------------------------------------------------------------------- */

static volatile int word;
static volatile int ready[4];
static volatile int woke[4];

static long waiter(long i)
{
    ready[i] = 1;
    long r;
    do
        r = sys6(SYS_futex, (long)&word, FUTEX_WAIT | FUTEX_PRIVATE, 0, 0, 0, 0);
    while (r == -11 /* EAGAIN: not yet 0 */ && word == 0);
    woke[i] = 1;
    return 0;
}

static void nap(long ms)
{
    int64_t ts[2] = { 0, ms * 1000000 };
    sys6(SYS_clock_nanosleep, 1, 0, (long)ts, 0, 0, 0);
}

static int futex(void)
{
    int64_t ts[2] = { 0, 1000000 };        /* 1 ms */
    int v = 5;
    line("wait, value differs:", sys6(SYS_futex, (long)&v, FUTEX_WAIT, 4, 0, 0, 0));
    line("wait 1 ms:", sys6(SYS_futex, (long)&v, FUTEX_WAIT, 5, (long)ts, 0, 0));
    line("wait misaligned:", sys6(SYS_futex, (long)&v + 1, FUTEX_WAIT, 5, 0, 0, 0));
    line("wait wild pointer:", sys6(SYS_futex, 16, FUTEX_WAIT, 5, 0, 0, 0));
    line("wait bad timeout:", sys6(SYS_futex, (long)&v, FUTEX_WAIT, 5, 16, 0, 0));
    line("wait bitset 0:", sys6(SYS_futex, (long)&v, FUTEX_WAIT_BITSET, 5, 0, 0, 0));
    line("lock_pi:", sys6(SYS_futex, (long)&v, FUTEX_LOCK_PI, 0, 0, 0, 0));
    line("op 99:", sys6(SYS_futex, (long)&v, 99, 0, 0, 0, 0));
    line("wake nobody:", sys6(SYS_futex, (long)&v, FUTEX_WAKE, 1, 0, 0, 0));
    for (int i = 0; i < 3; i++)
        start(&th[i], waiter, i, STACK_SIZE);
    while (!(ready[0] && ready[1] && ready[2]))
        sys(SYS_sched_yield, 0, 0, 0);
    nap(100);                              /* they are in the wait now */
    line("wake 2:", sys6(SYS_futex, (long)&word, FUTEX_WAKE | FUTEX_PRIVATE, 2, 0, 0, 0));
    nap(100);
    line("woken:", woke[0] + woke[1] + woke[2]);
    word = 1;
    line("wake 5:", sys6(SYS_futex, (long)&word, FUTEX_WAKE | FUTEX_PRIVATE, 5, 0, 0, 0));
    for (int i = 0; i < 3; i++)
        join(&th[i]);
    line("joined, woken:", woke[0] + woke[1] + woke[2]);
    return 0;
}

/* --- signals ------------------------------------------------------------------- */

static volatile int got_tid, stop;

static void on_usr1(int sig)
{
    (void)sig;
    got_tid = (int)sys(SYS_gettid, 0, 0, 0);
}

static long spinner(long i)
{
    tids[i] = (int)sys(SYS_gettid, 0, 0, 0);
    if (i == 0) {                           /* thread 0 blocks SIGUSR1 */
        uint32_t set[2] = { 1u << 9, 0 };
        sys6(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)set, 0, 8, 0, 0);
    }
    ready[i] = 1;
    while (!stop)
        sys(SYS_sched_yield, 0, 0, 0);
    return 0;
}

static int signals(void)
{
    uint32_t act[4] = { (uint32_t)(uintptr_t)on_usr1, 0x10000000 /* SA_RESTART */, 0, 0 };
    sys6(SYS_rt_sigaction, 10, (long)act, 0, 8, 0, 0);
    int pid = (int)sys(SYS_getpid, 0, 0, 0);
    for (int i = 0; i < 2; i++)
        start(&th[i], spinner, i, STACK_SIZE);
    while (!(ready[0] && ready[1]))
        sys(SYS_sched_yield, 0, 0, 0);
    sys(SYS_tgkill, pid, tids[1], 10);
    while (!got_tid)
        sys(SYS_sched_yield, 0, 0, 0);
    line("tgkill ran the handler in that thread:", got_tid == tids[1]);
    got_tid = 0;
    uint32_t set[2] = { 1u << 9, 0 };
    sys6(SYS_rt_sigprocmask, 0, (long)set, 0, 8, 0, 0);      /* main blocks it too */
    sys(SYS_kill, pid, 10, 0);
    while (!got_tid)
        sys(SYS_sched_yield, 0, 0, 0);
    line("kill went to the thread not blocking it:", got_tid == tids[1]);
    line("tgkill to a gone tid:", sys(SYS_tgkill, pid, 0x7ffffff0, 10));
    line("tkill tid 0:", sys(SYS_tkill, 0, 10, 0));
    stop = 1;
    join(&th[0]);
    join(&th[1]);
    return 0;
}

/* --- restart: FUTEX_WAIT interrupted by a handler ------------------------ */

static volatile int fw, fw_ready, fw_tid, handled;
static volatile long fw_result;

static void on_usr2(int sig)
{
    (void)sig;
    handled++;
}

/* One FUTEX_WAIT on fw (value 0), for ever (arg 0) or for 10 s. */
static long futex_waiter(long timed)
{
    int64_t ts[2] = { 10, 0 };
    fw_tid = (int)sys(SYS_gettid, 0, 0, 0);
    fw_ready = 1;
    fw_result = sys6(SYS_futex, (long)&fw, FUTEX_WAIT | FUTEX_PRIVATE, 0, timed ? (long)ts : 0,
                     0, 0);
    return 0;
}

static void interrupt_wait(const char *what, long timed, uint32_t flags)
{
    uint32_t act[4] = { (uint32_t)(uintptr_t)on_usr2, flags, 0, 0 };
    sys6(SYS_rt_sigaction, 12, (long)act, 0, 8, 0, 0);
    fw = 0;
    fw_ready = 0;
    handled = 0;
    fw_result = 99;
    start(&th[0], futex_waiter, timed, STACK_SIZE);
    while (!fw_ready)
        sys(SYS_sched_yield, 0, 0, 0);
    nap(100);                              /* it waits now */
    sys(SYS_tgkill, sys(SYS_getpid, 0, 0, 0), fw_tid, 12);
    nap(100);
    out(what);
    out("\n");
    line("  handler ran:", handled);
    line("  still waiting after it:", fw_result == 99);
    fw = 1;
    sys6(SYS_futex, (long)&fw, FUTEX_WAKE | FUTEX_PRIVATE, 1, 0, 0, 0);
    join(&th[0]);
    line("  the wait returned:", fw_result);
}

static int restart(void)
{
    interrupt_wait("untimed FUTEX_WAIT, SA_RESTART handler:", 0, 0x10000000 /* SA_RESTART */);
    interrupt_wait("timed FUTEX_WAIT, SA_RESTART handler:", 1, 0x10000000);
    interrupt_wait("untimed FUTEX_WAIT, handler without SA_RESTART:", 0, 0);
    return 0;
}

/* --- shared: a process-directed signal every thread blocks ------------- */

static volatile int go_unblock;

static long unblocker(long i)
{
    (void)i;
    tids[0] = (int)sys(SYS_gettid, 0, 0, 0);
    ready[0] = 1;
    while (!go_unblock)
        sys(SYS_sched_yield, 0, 0, 0);
    uint32_t set[2] = { 1u << 9, 0 };
    sys6(SYS_rt_sigprocmask, 1 /* SIG_UNBLOCK */, (long)set, 0, 8, 0, 0);  /* taken here */
    return 0;
}

static int shared(void)
{
    uint32_t act[4] = { (uint32_t)(uintptr_t)on_usr1, 0x10000000 /* SA_RESTART */, 0, 0 };
    sys6(SYS_rt_sigaction, 10, (long)act, 0, 8, 0, 0);
    uint32_t set[2] = { 1u << 9, 0 }, pend[2] = { 0, 0 };
    sys6(SYS_rt_sigprocmask, 0 /* SIG_BLOCK */, (long)set, 0, 8, 0, 0);   /* the thread too */
    start(&th[0], unblocker, 0, STACK_SIZE);
    while (!ready[0])
        sys(SYS_sched_yield, 0, 0, 0);
    sys(SYS_kill, sys(SYS_getpid, 0, 0, 0), 10, 0);
    sys(SYS_rt_sigpending, pend, 8, 0);
    line("pending while every thread blocks it:", pend[0] >> 9 & 1);
    line("handler ran before a thread unblocked it:", got_tid != 0);
    go_unblock = 1;
    join(&th[0]);
    line("taken by the thread that unblocked it:", got_tid == tids[0]);
    pend[0] = 0;
    sys(SYS_rt_sigpending, pend, 8, 0);
    line("pending after:", pend[0] >> 9 & 1);
    return 0;
}

static volatile int main_tid;

static long poker(long i)
{
    (void)i;
    for (int k = 0; k < 50; k++)
        sys(SYS_sched_yield, 0, 0, 0);
    sys(SYS_tgkill, sys(SYS_getpid, 0, 0, 0), main_tid, 10);
    return 0;
}

static int suspend(void)
{
    uint32_t act[4] = { (uint32_t)(uintptr_t)on_usr1, 0, 0, 0 };
    sys6(SYS_rt_sigaction, 10, (long)act, 0, 8, 0, 0);
    main_tid = (int)sys(SYS_gettid, 0, 0, 0);
    uint32_t set[2] = { 1u << 9, 0 }, none[2] = { 0, 0 }, now[2];
    sys6(SYS_rt_sigprocmask, 0, (long)set, 0, 8, 0, 0);
    start(&th[0], poker, 0, STACK_SIZE);
    line("rt_sigsuspend:", sys(SYS_rt_sigsuspend, none, 8, 0));
    line("the handler ran in main:", got_tid == main_tid);
    sys6(SYS_rt_sigprocmask, 0, 0, (long)now, 8, 0, 0);
    line("the mask is back:", now[0] == (1u << 9));
    join(&th[0]);
    return 0;
}

static volatile int gate;
static struct thr many_th[80];

static long parked(long i)
{
    (void)i;
    while (!gate)
        sys6(SYS_futex, (long)&gate, FUTEX_WAIT, 0, 0, 0, 0);
    return 0;
}

static int many(void)
{
    int made = 0;
    long r = 0;
    while (made < 80) {
        r = start(&many_th[made], parked, made, 8 * 1024);
        if (r <= 0)
            break;
        made++;
    }
    line("threads made:", made);
    line("then clone:", r);
    gate = 1;
    sys6(SYS_futex, (long)&gate, FUTEX_WAKE, 0x7fffffff, 0, 0, 0);
    for (int i = 0; i < made; i++)
        join(&many_th[i]);
    line("all joined; clone again:", start(&many_th[0], parked, 0, 8 * 1024) > 0);
    join(&many_th[0]);
    return 0;
}

/* --- the rest ---------------------------------------------------------------- */

static int fork_refused(void)
{
    line("clone(SIGCHLD):", sys6(SYS_clone, 17, 0, 0, 0, 0, 0));
    line("clone(CLONE_VM|CLONE_VFORK|SIGCHLD):", sys6(SYS_clone, 0x4111, 0, 0, 0, 0, 0));
    line("clone(CLONE_THREAD):", sys6(SYS_clone, CLONE_THREAD, 0, 0, 0, 0, 0));
    line("clone(CLONE_SIGHAND):", sys6(SYS_clone, CLONE_SIGHAND, 0, 0, 0, 0, 0));
    return 0;
}

static volatile long counter;
static long race_n;

static long adder(long i)
{
    (void)i;
    for (long k = 0; k < race_n; k++) {
        long c = counter;                  /* load, add, store: not atomic */
        __asm__ volatile("" ::: "memory");
        counter = c + 1;
    }
    return 0;
}

static int race(long n)
{
    race_n = n;
    start(&th[0], adder, 0, STACK_SIZE);
    start(&th[1], adder, 1, STACK_SIZE);
    join(&th[0]);
    join(&th[1]);
    line("counter:", counter);
    return 0;
}

static volatile int never;

static long stuck(long i)
{
    (void)i;
    while (!never)
        sys6(SYS_futex, (long)&never, FUTEX_WAIT, 0, 0, 0, 0);
    return 0;
}

static int deadlock(void)
{
    start(&th[0], stuck, 0, STACK_SIZE);
    join(&th[0]);                          /* waits for a thread that waits */
    out("not reached\n");
    return 0;
}

static long crash(long i)
{
    (void)i;
    return *(volatile long *)(uintptr_t)i;  /* i = 0: NULL */
}

static int segv(void)
{
    start(&th[0], crash, 0, STACK_SIZE);
    join(&th[0]);
    out("not reached\n");
    return 0;
}

static long deep(long n)
{
    volatile char pad[512];
    pad[0] = (char)n;
    if (n < 1000000)
        return deep(n + 1) + pad[0];
    return pad[0];
}

static int overflow(void)
{
    start(&th[0], deep, 0, 16 * 1024);
    join(&th[0]);
    out("not reached\n");
    return 0;
}

/* --- input: every thread waits, one on stdin, one on a futex --------------- */

static long reader(long arg)
{
    (void)arg;
    char buf[256];
    long total = 0, r, lines = 0;
    while ((r = sys(SYS_read, 0, buf, sizeof buf)) > 0) {
        total += r;
        for (long i = 0; i < r; i++)
            lines += buf[i] == '\n';
    }
    line("input bytes:", total);
    line("input lines:", lines);
    line("last read:", r);
    return 0;
}

static int input(void)
{
    if (start(&th[0], reader, 0, STACK_SIZE) <= 0) {
        out("clone failed\n");
        return 1;
    }
    join(&th[0]);
    out("joined the reader\n");
    return 0;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "basic";
    if (!strcmp(m, "basic"))
        return basic();
    if (!strcmp(m, "futex"))
        return futex();
    if (!strcmp(m, "signal"))
        return signals();
    if (!strcmp(m, "suspend"))
        return suspend();
    if (!strcmp(m, "many"))
        return many();
    if (!strcmp(m, "fork"))
        return fork_refused();
    if (!strcmp(m, "race")) {
        long n = 0;
        for (const char *s = argc > 2 ? argv[2] : "100000"; *s; s++)
            n = n * 10 + (*s - '0');
        return race(n);
    }
    if (!strcmp(m, "deadlock"))
        return deadlock();
    if (!strcmp(m, "segv"))
        return segv();
    if (!strcmp(m, "overflow"))
        return overflow();
    if (!strcmp(m, "input"))
        return input();
    if (!strcmp(m, "shared"))
        return shared();
    if (!strcmp(m, "restart"))
        return restart();
    out("unknown mode\n");
    return 2;
}
