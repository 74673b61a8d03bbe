/* tests/test_pthread.c — the guests' pthreads (guests/lib/pthread.c,
 * pthread_sync.c, futex.c, clone.S): the test programs pthread_api and
 * thread_overflow and the samples thread_stacks, race and deadlock under
 * qemu-riscv32 (real Linux threads) and under vmlab, and `vmlab cc
 * -pthread`.
 *
 * A guest whose pthread_create fails says "no threads: pthread_create:
 * REASON" and exits 77.  A vmlab run that ends so with ENOSYS or EINVAL
 * (a kernel that refuses clone) is skipped, counted and named in one line
 * at the end, so these runs start checking by themselves once vmlab's
 * kernel has threads; under qemu, or for any other reason, it fails.
 */
#include <CUnit/CUnit.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/run.h"
#include "tests/suites.h"

#define TIMEOUT 60

static char tmpdir[64];
static int skipped;                     /* vmlab runs refused for want of clone */
static char skip_reason[128];

static int suite_init(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vmlab-pthread.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int suite_clean(void)
{
    char cmd[128];
    if (skipped)
        fprintf(stderr, "\n(pthread: %d vmlab run(s) skipped: vmlab's kernel refuses clone: %s)\n",
                skipped, skip_reason);
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void check_contains(const char *hay, const char *needle, const char *what)
{
    CHECK(hay && strstr(hay, needle) != NULL, "%s: expected \"%s\" in:\n%s", what, needle,
          hay ? hay : "(nothing)");
}

/* True (and counted) if a vmlab run ended because clone was refused. */
static bool refused(const struct run_result *r)
{
    static const char tag[] = "no threads: pthread_create: ";
    const char *p = strstr(r->out, tag);
    if (r->status != 77 || !p)
        return false;
    p += sizeof tag - 1;
    if (strncmp(p, "Function not implemented", 24) && strncmp(p, "Invalid argument", 16))
        return false;
    skipped++;
    snprintf(skip_reason, sizeof skip_reason, "%.*s", (int)strcspn(p, "\n"), p);
    return true;
}

static void run_qemu(const char *rel, const char *arg, int timeout_s, struct run_result *r)
{
    char *qa[] = { "qemu-riscv32", (char *)test_path(rel), (char *)arg, NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(qa, NULL, NULL, timeout_s, r), 0);
}

/* vmlab run --no-core [--interp] PROG [ARG]. */
static void run_vm(const char *rel, const char *arg, bool interp, int timeout_s,
                   struct run_result *r)
{
    char *va[8] = { (char *)test_path("vmlab"), "run", "--no-core" };
    int n = 3;
    if (interp)
        va[n++] = "--interp";
    va[n++] = (char *)test_path(rel);
    va[n++] = (char *)arg;
    va[n] = NULL;
    CU_ASSERT_EQUAL_FATAL(run_cmd(va, NULL, NULL, timeout_s, r), 0);
}

/* The guest's output must be deterministic: vmlab, both engines, gives
 * qemu's stdout and status.  Returns false if vmlab refused clone. */
static bool same_as_qemu(const char *rel, const char *arg, const struct run_result *q)
{
    for (int interp = 0; interp < 2; interp++) {
        struct run_result v;
        run_vm(rel, arg, interp, TIMEOUT, &v);
        if (refused(&v)) {
            run_free(&v);
            return false;
        }
        {
            CHECK(!v.timed_out && v.status == q->status, "%s%s: status %d, qemu %d:\n%s", rel,
                  interp ? " --interp" : "", v.status, q->status, v.err);
            CHECK(!strcmp(v.out, q->out), "%s%s: stdout differs from qemu-riscv32:\n%s\n--- qemu:\n%s",
                  rel, interp ? " --interp" : "", v.out, q->out);
        }
        run_free(&v);
    }
    return true;
}

/* Every pthread case of tests/guests/pthread_api.c, then main's
 * pthread_exit with a thread still running. */
static void test_api(void)
{
    struct run_result q;
    run_qemu("tests/guests/pthread_api", NULL, TIMEOUT, &q);
    CHECK(q.status == 0, "pthread_api under qemu: status %d:\n%s%s", q.status, q.out, q.err);
    check_contains(q.out, "\nall as expected: 0 failure(s)\n", "pthread_api under qemu");
    CHECK(!strstr(q.out, "FAILED"), "pthread_api under qemu:\n%s", q.out);
    if (same_as_qemu("tests/guests/pthread_api", NULL, &q)) {
        /* The locks under preemption every few instructions, two ways. */
        static const char *const seeds[] = { "1", "2" };
        for (int i = 0; i < 2; i++) {
            struct run_result v;
            CU_ASSERT_EQUAL_FATAL(RUN_VMLAB(&v, TIMEOUT, "run", "--no-core", "--quantum", "7",
                                            "--sched-seed", seeds[i],
                                            test_path("tests/guests/pthread_api")), 0);
            CHECK(v.status == 0 && !strcmp(v.out, q.out),
                  "pthread_api --quantum 7 --sched-seed %s: status %d:\n%s%s", seeds[i],
                  v.status, v.out, v.err);
            run_free(&v);
        }
    }
    run_free(&q);

    run_qemu("tests/guests/pthread_api", "exit-main", TIMEOUT, &q);
    CHECK(q.status == 0, "pthread_api exit-main under qemu: status %d", q.status);
    CU_ASSERT_STRING_EQUAL(q.out, "main calls pthread_exit\n"
                                  "the last thread ends: the process exits 0\n"
                                  "atexit ran\n");
    same_as_qemu("tests/guests/pthread_api", "exit-main", &q);
    run_free(&q);
}

/* rv32im has no atomics: pthread_create says ENOSYS, under vmlab (now,
 * whatever its kernel) and qemu alike. */
static void test_rv32im_has_none(void)
{
    struct run_result q, v;
    run_qemu("tests/guests/rv32im/pthread_api", NULL, TIMEOUT, &q);
    run_vm("tests/guests/rv32im/pthread_api", NULL, false, TIMEOUT, &v);
    static const char want[] = "no threads: pthread_create: Function not implemented\n";
    CU_ASSERT_EQUAL(q.status, 77);
    CU_ASSERT_EQUAL(v.status, 77);
    CU_ASSERT_STRING_EQUAL(q.out, want);
    CU_ASSERT_STRING_EQUAL(v.out, want);
    run_free(&q);
    run_free(&v);
}

/* A thread's stack overflow hits its guard page: SIGSEGV kills the
 * process; a handler on the thread's alternate stack sees the fault in
 * the guard page, SEGV_ACCERR. */
static void test_guard_page(void)
{
    static const char *const arg[2] = { NULL, "catch" };
    for (int i = 0; i < 2; i++) {
        struct run_result q, v;
        run_qemu("tests/guests/thread_overflow", arg[i], TIMEOUT, &q);
        CHECK(q.status == (i ? 0 : 128 + 11), "thread_overflow %s under qemu: status %d",
              arg[i] ? arg[i] : "", q.status);
        check_contains(q.out, "thread: recursing on a 64 KiB stack\n", "thread_overflow");
        if (i)
            check_contains(q.out, "SEGV_ACCERR; in the guard page below its stack: yes\n",
                           "thread_overflow catch");
        run_vm("tests/guests/thread_overflow", arg[i], false, TIMEOUT, &v);
        if (!refused(&v)) {
            CHECK(v.status == q.status, "thread_overflow %s under vmlab: status %d, qemu %d:\n%s",
                  arg[i] ? arg[i] : "", v.status, q.status, v.err);
            if (i)
                CU_ASSERT_STRING_EQUAL(v.out, q.out);
        }
        run_free(&q);
        run_free(&v);
    }
}

#define NTHREADS_SAMPLE 4   /* guests/thread_stacks.c's NTHREADS */
static const char *const stack_verdicts[] = {
    "every local on a stack of its own (at least 128 KiB apart): yes\n",
    "every thread its own errno (thread-local storage):        yes\n",
    "one heap block, the same address in every thread:         yes\n",
    "what the threads wrote into it: 11 22 33 44\n",
};

/* The samples: thread_stacks' verdicts under qemu and vmlab; race's exact
 * total with a mutex and deadlock's two waits under qemu (it hangs there:
 * killed after 2 s). */
static void test_samples(void)
{
    struct run_result q, v;

    run_qemu("guests/thread_stacks", NULL, TIMEOUT, &q);
    run_vm("guests/thread_stacks", NULL, false, TIMEOUT, &v);
    CU_ASSERT_EQUAL(q.status, 0);
    bool vm = !refused(&v);
    CU_ASSERT(!vm || v.status == 0);
    for (size_t i = 0; i < sizeof stack_verdicts / sizeof *stack_verdicts; i++) {
        check_contains(q.out, stack_verdicts[i], "thread_stacks under qemu");
        if (vm)
            check_contains(v.out, stack_verdicts[i], "thread_stacks under vmlab");
    }
    run_free(&q);
    run_free(&v);

    /* `keep`: the threads are alive when main returns, so the address
     * space at exit (--maps) holds every thread's stack, stack:TID. */
    run_qemu("guests/thread_stacks", "keep", TIMEOUT, &q);
    CU_ASSERT_EQUAL(q.status, 0);
    check_contains(q.out, stack_verdicts[3], "thread_stacks keep under qemu");
    char *va[] = { (char *)test_path("vmlab"), "run", "--no-core", "--maps",
                   (char *)test_path("guests/thread_stacks"), "keep", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(va, NULL, NULL, TIMEOUT, &v), 0);
    if (!refused(&v)) {
        CU_ASSERT_EQUAL(v.status, 0);
        CU_ASSERT_STRING_EQUAL(v.out, q.out);
        int stacks = 0;
        for (const char *p = v.err; (p = strstr(p, " stack:")) != NULL; p++)
            stacks++;
        CHECK(stacks == NTHREADS_SAMPLE, "thread_stacks keep --maps: %d thread stacks:\n%s",
              stacks, v.err);
    }
    run_free(&q);
    run_free(&v);

    /* Under vmlab, race's seeds and deadlock's report are test_threads'
     * (its "pthread samples on the scheduler"); here, qemu's side. */
    run_qemu("guests/race", NULL, TIMEOUT, &q);
    CU_ASSERT_EQUAL(q.status, 0);
    check_contains(q.out, "with a mutex:   2000000 (0 updates lost)\n", "race under qemu");
    check_contains(q.out, "without a lock: ", "race under qemu");
    run_free(&q);

    run_qemu("guests/deadlock", NULL, 2, &q);
    CHECK(q.timed_out, "deadlock under qemu did not hang: status %d", q.status);
    check_contains(q.out, "thread 1: holds mutex A (at 0x", "deadlock under qemu");
    check_contains(q.out, "thread 2: holds mutex B (at 0x", "deadlock under qemu");
    run_free(&q);
}

/* Threads and a pipe (tests/guests/thread_pipe.c): a reader waits on an
 * empty pipe, a writer on a full one, a signal ends a wait in read, and
 * the output is qemu's.  vmlab's threads share one host thread, so a read
 * that blocked in the host used to hang the whole program. */
static void test_pipe(void)
{
    struct run_result q;
    run_qemu("tests/guests/thread_pipe", NULL, TIMEOUT, &q);
    CU_ASSERT_EQUAL(q.status, 0);
    check_contains(q.out, "1. read 5 bytes: hello\n", "thread_pipe under qemu");
    check_contains(q.out, "2. 262144 bytes through the pipe", "thread_pipe under qemu");
    check_contains(q.out, "3. read in the thread: -1 (Interrupted system call)\n",
                   "thread_pipe under qemu");
    check_contains(q.out, "4. readv of 3 + 10 bytes from a pipe holding 5: 5\n",
                   "thread_pipe under qemu");
    same_as_qemu("tests/guests/thread_pipe", NULL, &q);
    run_free(&q);

    /* the waits, as --trace sched shows them */
    struct run_result v;
    char *va[] = { (char *)test_path("vmlab"), "run", "--no-core", "--trace", "sched",
                   (char *)test_path("tests/guests/thread_pipe"), NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(va, NULL, NULL, TIMEOUT, &v), 0);
    if (!refused(&v)) {
        check_contains(v.err, " waits for fd 3 to be readable\n", "thread_pipe --trace sched");
        check_contains(v.err, " waits for fd 4 to be writable\n", "thread_pipe --trace sched");
        check_contains(v.err, ": its fd is ready\n", "thread_pipe --trace sched");
    }
    run_free(&v);
}

/* Waits that never end (tests/guests/thread_pipe.c self, full, crossed):
 * qemu-riscv32, as Linux, is still waiting when its time is up; vmlab,
 * both engines, ends each with one message and status 137, after the
 * same output as qemu's up to the wait. */
static void test_pipe_forever(void)
{
    static const struct {
        const char *mode, *msg;
    } cases[] = {
        { "self", "vmlab: thread_pipe: read from fd 3 (a pipe only this process can write to) "
                  "waits for ever: its one thread is the one waiting (no timers, no other "
                  "processes): killed instead\n" },
        { "full", "vmlab: thread_pipe: write to fd 4 (a pipe only this process can read from) "
                  "waits for ever: its one thread" },
        { "crossed", "vmlab: deadlock: every thread waits on a futex, a signal or a pipe that "
                     "no running thread can wake" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct run_result q;
        run_qemu("tests/guests/thread_pipe", cases[i].mode, 1, &q);
        CHECK(q.timed_out, "thread_pipe %s: qemu-riscv32 did not wait (status %d)",
              cases[i].mode, q.status);
        for (int interp = 0; interp < 2; interp++) {
            struct run_result v;
            run_vm("tests/guests/thread_pipe", cases[i].mode, interp, TIMEOUT, &v);
            if (!refused(&v)) {
                CHECK(!v.timed_out && v.status == 137, "thread_pipe %s%s: status %d%s: %s",
                      cases[i].mode, interp ? " --interp" : "", v.status,
                      v.timed_out ? " (timed out)" : "", v.err);
                CHECK(!strcmp(v.out, q.out), "thread_pipe %s: stdout %s, qemu's %s",
                      cases[i].mode, v.out, q.out);
                check_contains(v.err, cases[i].msg, cases[i].mode);
            }
            run_free(&v);
        }
        run_free(&q);
    }
    /* two threads, each on a pipe only the other writes to */
    struct run_result v;
    run_vm("tests/guests/thread_pipe", "crossed", false, TIMEOUT, &v);
    if (!refused(&v)) {
        check_contains(v.err, ": waits to read from fd 3 (a pipe only this process can write "
                              "to), pc 0x", "crossed: main");
        check_contains(v.err, " in read+0x10 <- main\n", "crossed: main");
        check_contains(v.err, " in read+0x10 <- crossed\n", "crossed: the thread");
        check_contains(v.err, "deadlock: 2 threads wait on futexes or pipes nobody can wake",
                       "crossed");
    }
    run_free(&v);
}

/* vmlab cc -pthread and -lpthread link a threaded program; -pthread with
 * rv32im is one error line. */
static void test_cc_pthread(void)
{
    char src[128], vmlab_abs[4096];
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(test_path("vmlab"), vmlab_abs));
    snprintf(src, sizeof src, "%s/t.c", tmpdir);
    FILE *f = fopen(src, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs("#include <pthread.h>\n#include <stdio.h>\n"
          "static void *hi(void *a) { printf(\"hi from %s\\n\", (char *)a); return a; }\n"
          "int main(void) { pthread_t t; void *r;\n"
          "  if (pthread_create(&t, NULL, hi, \"a thread\")) return 77;\n"
          "  pthread_join(t, &r); printf(\"joined: %s\\n\", (char *)r); return 0; }\n", f);
    CU_ASSERT_EQUAL(fclose(f), 0);

    struct run_result r;
    char *cc[] = { vmlab_abs, "cc", "-pthread", "-O2", "-o", "t", "t.c", "-lpthread", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(cc, NULL, tmpdir, TIMEOUT, &r), 0);
    CHECK(r.status == 0, "vmlab cc -pthread ... -lpthread: status %d: %s", r.status, r.err);
    run_free(&r);
    char *qa[] = { "qemu-riscv32", "./t", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(qa, NULL, tmpdir, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT_STRING_EQUAL(r.out, "hi from a thread\njoined: a thread\n");
    run_free(&r);

    char *im[] = { vmlab_abs, "cc", "-march=rv32im", "-pthread", "-o", "t", "t.c", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(im, NULL, tmpdir, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 2);
    CU_ASSERT_STRING_EQUAL(r.err, "vmlab cc: -pthread needs the A extension (atomic "
                                  "instructions): build for rv32imac, not -march=rv32im\n");
    run_free(&r);
}

static void test_no_qemu(void)
{
    CU_FAIL("qemu-riscv32 is not installed (make deps)");
}

void pthread_suite_add(void)
{
    CU_pSuite s = CU_add_suite("pthread", suite_init, suite_clean);
    if (!have_program("qemu-riscv32")) {
        CU_add_test(s, "qemu-riscv32 is installed", test_no_qemu);
        return;
    }
    CU_add_test(s, "pthread API, case by case, vs qemu-riscv32", test_api);
    CU_add_test(s, "rv32im: no atomics, no threads (ENOSYS)", test_rv32im_has_none);
    CU_add_test(s, "a thread's stack overflow hits its guard page", test_guard_page);
    CU_add_test(s, "samples thread_stacks, race, deadlock", test_samples);
    CU_add_test(s, "threads and a pipe: a wait in read or write lets the others run",
                test_pipe);
    CU_add_test(s, "waits no thread can end: a pipe only the process uses (status 137)",
                test_pipe_forever);
    CU_add_test(s, "vmlab cc -pthread", test_cc_pthread);
}
