/* tests/test_threads.c — threads (kernel/thread.c) end to end through
 * build/vmlab with the raw-syscall guest tests/guests/threads_raw: clone,
 * join by the clear-tid futex, futex results and wake counts against
 * qemu-riscv32, signals to one thread, clone of a new process refused, the
 * scheduler's determinism per seed, deadlock detection, and cores with
 * every thread read by gdb-multiarch and vmlab inspect. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/run.h"
#include "tests/suites.h"

#define TIMEOUT 60
#define GUEST "tests/guests/threads_raw"

static void expect_in(const char *hay, const char *needle, const char *what)
{
    CHECK(strstr(hay, needle) != NULL, "%s: expected \"%s\"", what, needle);
    if (!strstr(hay, needle))
        fprintf(stderr, "\n%s: in:\n%s\n", what, hay);
}

/* stdout without the lines starting with one of the prefixes (NULL-ended):
 * the results where vmlab and qemu-riscv32 7.2 differ on purpose. */
static char *without(const char *text, const char *const *prefixes)
{
    char *out = calloc(1, strlen(text) + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (const char *l = text; *l;) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l + 1) : strlen(l);
        bool drop = false;
        for (int i = 0; prefixes[i]; i++)
            drop |= !strncmp(l, prefixes[i], strlen(prefixes[i]));
        if (!drop) {
            memcpy(out + o, l, n);
            o += n;
        }
        l += n;
    }
    return out;
}

/* threads_raw MODE under qemu-riscv32 and vmlab (translated and
 * interpreted), both encodings: the same stdout but for `skip` lines, the
 * same status.  Returns vmlab's stdout of the rv32imac build (malloc'd). */
static char *versus_qemu(const char *mode, const char *const *skip)
{
    char *kept = NULL;
    for (int im = 0; im < 2; im++) {
        const char *path = test_path(im ? "tests/guests/rv32im/threads_raw" : GUEST);
        struct run_result q;
        char *qargv[] = { "qemu-riscv32", (char *)path, (char *)mode, NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd(qargv, NULL, NULL, TIMEOUT, &q), 0);
        char *qo = without(q.out, skip);
        for (int interp = 0; interp < 2; interp++) {
            struct run_result v;
            CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&v, TIMEOUT, "run", "--no-core",
                                            interp ? "--interp" : "--no-core", path, mode), 0);
            char *vo = without(v.out, skip);
            CHECK(v.status == q.status, "%s %s: status %d, qemu %d", path, mode, v.status,
                  q.status);
            CHECK(qo && vo && !strcmp(qo, vo), "%s %s: stdout differs from qemu-riscv32:\n"
                  "--- vmlab%s\n%s--- qemu\n%s", path, mode, interp ? " --interp" : "",
                  v.out, q.out);
            if (!im && !interp)
                kept = strdup(v.out);
            free(vo);
            run_free(&v);
        }
        free(qo);
        run_free(&q);
    }
    return kept ? kept : strdup("");
}

/* A process-directed signal that every thread blocks stays the
 * process's (Linux's shared_pending, shown by sigpending) until a thread
 * unblocks it; that thread runs the handler.  vmlab used to leave it with
 * the thread on the hart, which never unblocked it. */
static void test_shared_pending(void)
{
    static const char *const skip[] = { NULL };
    char *out = versus_qemu("shared", skip);
    expect_in(out, "pending while every thread blocks it: 1\nhandler ran before a thread "
              "unblocked it: 0\ntaken by the thread that unblocked it: 1\npending after: 0\n",
              "shared");
    free(out);
}

/* A thread reads a pipe to its end while main waits in a join: every
 * thread waits at once, on an fd and a futex; the same as qemu-riscv32 on
 * both engines. */
static void test_input(void)
{
    static const char input[] = "one\ntwo\nthree\n";
    struct run_result q;
    char *qargv[] = { "qemu-riscv32", (char *)test_path(GUEST), "input", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd_input(qargv, NULL, NULL, input, TIMEOUT, &q), 0);
    expect_in(q.out, "input bytes: 14\ninput lines: 3\nlast read: 0\njoined the reader\n",
              "qemu");
    for (int interp = 0; interp < 2; interp++) {
        struct run_result v;
        char *argv[] = { (char *)test_path("vmlab"), "run", interp ? "--interp" : "--no-core",
                         (char *)test_path(GUEST), "input", NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd_input(argv, NULL, NULL, input, TIMEOUT, &v), 0);
        CHECK(v.status == q.status && !strcmp(v.out, q.out), "input%s: status %d, \"%s\"; "
              "qemu %d, \"%s\"", interp ? " --interp" : "", v.status, v.out, q.status, q.out);
        run_free(&v);
    }
    run_free(&q);
}

static void test_create_join(void)
{
    static const char *const skip[] = { "set_robust_list", NULL };
    char *out = versus_qemu("basic", skip);
    expect_in(out, "thread 2 sum 4501500\n", "basic");
    expect_in(out, "distinct tids: 1\n", "basic");
    expect_in(out, "tid words cleared: 1\n", "basic: CLONE_CHILD_CLEARTID");
    expect_in(out, "set_robust_list(12): 0\nset_robust_list(8): -22\n", "basic");
    free(out);
}

/* The wake counts depend, under qemu, on the host having run the three
 * waiters into their wait within the 100 ms main naps: compared under
 * vmlab only, where the scheduler decides. */
static void test_futex(void)
{
    static const char *const skip[] = { "lock_pi", "wake 2:", "woken:", "wake 5:", NULL };
    char *out = versus_qemu("futex", skip);
    expect_in(out, "wait, value differs: -11\nwait 1 ms: -110\nwait misaligned: -22\n"
              "wait wild pointer: -14\n", "futex errors");
    expect_in(out, "lock_pi: -38\n", "futex: PI ops are ENOSYS");
    expect_in(out, "wake 2: 2\nwoken: 2\nwake 5: 1\njoined, woken: 3\n", "futex wake counts");
    free(out);
}

static void test_signals(void)
{
    static const char *const skip[] = { NULL };
    char *out = versus_qemu("signal", skip);
    expect_in(out, "tgkill ran the handler in that thread: 1\n", "tgkill");
    expect_in(out, "kill went to the thread not blocking it: 1\n", "kill");
    free(out);
    out = versus_qemu("suspend", skip);
    expect_in(out, "rt_sigsuspend: -4\nthe handler ran in main: 1\nthe mask is back: 1\n",
              "rt_sigsuspend woken by another thread");
    free(out);
}

/* A handler interrupts a thread's FUTEX_WAIT: with SA_RESTART an untimed
 * wait is made again and ends with the wake (vmlab used to return EINTR);
 * a timed one, or a handler without SA_RESTART, gets EINTR (Linux's
 * futex_wait: -ERESTARTSYS, or -ERESTART_RESTARTBLOCK with a timeout). */
static void test_futex_restart(void)
{
    static const char *const skip[] = { NULL };
    char *out = versus_qemu("restart", skip);
    expect_in(out, "untimed FUTEX_WAIT, SA_RESTART handler:\n  handler ran: 1\n"
              "  still waiting after it: 1\n  the wait returned: 0\n", "restarted");
    expect_in(out, "timed FUTEX_WAIT, SA_RESTART handler:\n  handler ran: 1\n"
              "  still waiting after it: 0\n  the wait returned: -4\n", "timed: EINTR");
    expect_in(out, "untimed FUTEX_WAIT, handler without SA_RESTART:\n  handler ran: 1\n"
              "  still waiting after it: 0\n  the wait returned: -4\n", "no SA_RESTART: EINTR");
    free(out);
}

/* 64 threads alive at most (the 64th clone is EAGAIN); joined, their
 * slots are free again. */
static void test_thread_limit(void)
{
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&r, TIMEOUT, "run", test_path(GUEST), "many"), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    expect_in(r.out, "threads made: 63\nthen clone: -11\nall joined; clone again: 1\n",
              "the thread limit");
    run_free(&r);
}

static void test_fork_refused(void)
{
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&r, TIMEOUT, "run", "--trace", "sched",
                                    test_path(GUEST), "fork"), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    expect_in(r.out, "clone(SIGCHLD): -38\nclone(CLONE_VM|CLONE_VFORK|SIGCHLD): -38\n"
              "clone(CLONE_THREAD): -22\nclone(CLONE_SIGHAND): -22\n", "fork refused");
    expect_in(r.err, "[sched] clone(flags=0x11) refused: a new process", "--trace sched");
    run_free(&r);
}

/* The race: the same seed, the same total (and both engines agree);
 * different seeds, different totals; updates are lost. */
static void test_seeds(void)
{
    char totals[4][64];
    const char *seeds[] = { "1", "2", "3", "4" };
    for (int i = 0; i < 4; i++) {
        struct run_result a, b;
        CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&a, TIMEOUT, "run", "--quantum", "500", "--sched-seed",
                                        seeds[i], test_path(GUEST), "race", "20000"), 0);
        CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&b, TIMEOUT, "run", "--interp", "--quantum", "500",
                                        "--sched-seed", seeds[i], test_path(GUEST), "race",
                                        "20000"), 0);
        CU_ASSERT_EQUAL(a.status, 0);
        CHECK(!strcmp(a.out, b.out), "seed %s: translated \"%s\", interpreted \"%s\"", seeds[i],
              a.out, b.out);
        snprintf(totals[i], sizeof totals[i], "%s", a.out);
        long n = strncmp(a.out, "counter: ", 9) ? -1 : strtol(a.out + 9, NULL, 10);
        CHECK(n > 0 && n < 40000, "seed %s: %ld: updates must be lost", seeds[i], n);
        run_free(&a);
        run_free(&b);
    }
    struct run_result again;
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&again, TIMEOUT, "run", "--quantum", "500", "--sched-seed",
                                    "1", test_path(GUEST), "race", "20000"), 0);
    CHECK(!strcmp(again.out, totals[0]), "seed 1 twice: \"%s\" then \"%s\"", totals[0],
          again.out);
    run_free(&again);
    int distinct = 0;
    for (int i = 0; i < 4; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen |= !strcmp(totals[i], totals[j]);
        distinct += !seen;
    }
    CHECK(distinct >= 3, "4 seeds gave only %d different totals", distinct);
    /* a slice longer than the whole work: no interleaving, nothing lost */
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&again, TIMEOUT, "run", "--quantum", "100000000",
                                    test_path(GUEST), "race", "20000"), 0);
    expect_in(again.out, "counter: 40000\n", "one slice each");
    run_free(&again);
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&again, TIMEOUT, "run", "--quantum", "0", test_path(GUEST)), 0);
    CU_ASSERT_EQUAL(again.status, 2);
    expect_in(again.err, "--quantum 0: expected a positive number", "--quantum 0");
    run_free(&again);
}

static void test_deadlock(void)
{
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&r, TIMEOUT, "run", test_path(GUEST), "deadlock"), 0);
    CU_ASSERT_FALSE(r.timed_out);
    CU_ASSERT_EQUAL(r.status, 137);
    expect_in(r.err, "vmlab: deadlock: every thread waits on a futex (or a signal)", "deadlock");
    expect_in(r.err, " (th), pc 0x", "deadlock: main waits on the tid word in th");
    expect_in(r.err, " in join+0x1a <- main\n", "deadlock: main's wait");
    expect_in(r.err, " (never), pc 0x", "deadlock: the thread waits on `never`");
    expect_in(r.err, " in stuck+0x", "deadlock: the thread's wait");
    expect_in(r.err, "deadlock: 2 threads wait on futexes nobody can wake", "deadlock");
    CHECK(strstr(r.out, "not reached") == NULL, "deadlock: main went on");
    run_free(&r);
}

/* A fault in a thread kills every thread; the core has both, the faulting
 * one first, for gdb-multiarch and vmlab inspect. */
static void test_core(void)
{
    char dir[64], pattern[128], core[128];
    snprintf(dir, sizeof dir, "/tmp/vmlab-threads.XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    snprintf(pattern, sizeof pattern, "%s/core", dir);
    snprintf(core, sizeof core, "%s/core", dir);
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&r, TIMEOUT, "run", "--maps", "--core-pattern", pattern,
                                    test_path(GUEST), "segv"), 0);
    CU_ASSERT_EQUAL(r.status, 139);
    expect_in(r.err, " stack:", "--maps names the thread's stack");
    run_free(&r);
    if (!have_program("gdb-multiarch")) {
        CU_FAIL("gdb-multiarch is not installed (make deps)");
    } else {
        char *gdb[] = { "gdb-multiarch", "-nx", "-batch", (char *)test_path(GUEST), core,
                        "-ex", "info threads", "-ex", "thread apply all bt", NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd(gdb, NULL, NULL, TIMEOUT, &r), 0);
        expect_in(r.out, "* 1    LWP ", "gdb info threads");
        expect_in(r.out, "crash (i=0)", "gdb: the faulting thread");
        expect_in(r.out, "  2    LWP ", "gdb info threads: the main thread");
        expect_in(r.out, "join (t=", "gdb: main waits in join");
        run_free(&r);
    }
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&r, TIMEOUT, "inspect", core), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    expect_in(r.out, "Threads (2)", "inspect lists the threads");
    expect_in(r.out, "in crash", "inspect: the faulting thread's backtrace");
    expect_in(r.out, "in join", "inspect: main's backtrace");
    run_free(&r);

    unlink(core);
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&r, TIMEOUT, "run", "--trace", "fault", "--core-pattern",
                                    pattern, test_path(GUEST), "overflow"), 0);
    CU_ASSERT_EQUAL(r.status, 139);
    expect_in(r.err, "stack overflow of thread", "--trace fault");
    run_free(&r);
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&r, TIMEOUT, "inspect", core), 0);
    expect_in(r.out, "stack overflow of thread", "inspect: the guard page");
    run_free(&r);
    unlink(core);
    rmdir(dir);
}

/* The pthread samples on vmlab's scheduler: race's lost updates move
 * with the seed (that one seed repeats is test_seeds'; each run here costs
 * about a second, nine under ASan); deadlock's report names both mutexes
 * and where each thread waits. */
static void test_samples(void)
{
    struct run_result a, c;
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&a, TIMEOUT, "run", "--sched-seed", "7",
                                    test_path("guests/race")), 0);
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&c, TIMEOUT, "run", "--stats", "--sched-seed", "8",
                                    test_path("guests/race")), 0);
    expect_in(c.err, "\nthreads                8 created, ", "--stats: threads");
    CU_ASSERT_EQUAL(a.status, 0);
    CHECK(strcmp(a.out, c.out) != 0, "race, seeds 7 and 8 alike:\n%s", a.out);
    expect_in(a.out, "with a mutex:   2000000 (0 updates lost)", "race with a mutex");
    run_free(&a);
    run_free(&c);
    CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&a, TIMEOUT, "run", test_path("guests/deadlock")), 0);
    CU_ASSERT_EQUAL(a.status, 137);
    expect_in(a.err, " (a), pc 0x", "deadlock: a wait on mutex a");
    expect_in(a.err, " (b), pc 0x", "deadlock: a wait on mutex b");
    expect_in(a.err, "<- pthread_mutex_lock <- worker", "deadlock: where");
    expect_in(a.err, "<- pthread_join <- main", "deadlock: main joins");
    run_free(&a);
}

void threads_suite_add(void)
{
    CU_pSuite s = CU_add_suite("threads", NULL, NULL);
    CU_add_test(s, "clone, exit, join by the clear-tid futex (vs qemu)", test_create_join);
    CU_add_test(s, "futex_time64 results and wake counts (vs qemu)", test_futex);
    CU_add_test(s, "tgkill to one thread, kill to one not blocking it, rt_sigsuspend (vs qemu)",
                test_signals);
    CU_add_test(s, "a thread reads stdin while main joins it (vs qemu)", test_input);
    CU_add_test(s, "a handler in FUTEX_WAIT: made again with SA_RESTART, else EINTR (vs qemu)",
                test_futex_restart);
    CU_add_test(s, "kill while every thread blocks it: the first to unblock takes it (vs qemu)",
                test_shared_pending);
    CU_add_test(s, "clone of a new process refused", test_fork_refused);
    CU_add_test(s, "64 threads at most, slots reused after joins", test_thread_limit);
    CU_add_test(s, "scheduler: same seed same run, seeds differ, both engines", test_seeds);
    CU_add_test(s, "deadlock reported, status 137", test_deadlock);
    CU_add_test(s, "samples race and deadlock on the scheduler", test_samples);
    CU_add_test(s, "a fault in a thread: core with every thread (gdb, inspect)", test_core);
}
