/* tests/test_e2e.c — end-to-end runs of the guest programs through
 * build/vmlab: stdout, exit status, stderr messages; and differential runs
 * against qemu-riscv32, the oracle for guest-visible behaviour. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emu/jit.h"
#include "tests/run.h"
#include "tests/suites.h"

#define TIMEOUT 60

/* Guests compared with qemu-riscv32 (rv32imac, and rv32im builds unless
 * noted): identical stdout and exit status. */
static const char *const diff_guests[] = {
    "hello", "layout", "stack_vs_heap", "callstack", "alloc", "alloc_strategies", "matrix",
    "isa_alu", "isa_muldiv", "isa_atomic", "isa_misaligned", "isa_compressed",
    "isa_csr", "mem_syscalls", "belady", "known_refs",
    /* faults and signals: same output, same death (qemu writes no core) */
    "null_deref", "write_text", "exec_stack", "stack_overflow", "stack_overflow_caught",
    "use_after_munmap", "heap_oom", "gc_barrier", "skip_fault", "abort", "sigill",
};

#define VMLAB(r, ...) RUN_VMLAB(r, TIMEOUT, __VA_ARGS__)

static void check_contains(const char *hay, const char *needle, const char *what)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "\n%s: expected \"%s\" in:\n%s\n", what, needle, hay);
        CU_FAIL("expected text missing");
    }
}


/* Run guest `rel` under qemu-riscv32 and under vmlab, translated and
 * interpreted (--interp), with the same argv (args: NULL-terminated, after
 * the program) and env: the same stdout and exit status as qemu, and the
 * same instruction count from both engines. */
static void differential_with(const char *rel, char *const *args)
{
    const char *path = test_path(rel);
    if (access(path, X_OK) != 0) {
        fprintf(stderr, "\nmissing guest %s\n", path);
        CU_FAIL("guest not built");
        return;
    }
    int nargs = 0;
    while (args[nargs] && nargs < 4)
        nargs++;
    struct run_result q;
    char *qargv[8] = { "qemu-riscv32", (char *)path };
    for (int i = 0; i < nargs; i++)
        qargv[2 + i] = args[i];
    CU_ASSERT_EQUAL_FATAL(run_cmd(qargv, NULL, NULL, TIMEOUT, &q), 0);
    unsigned long long count[2] = { 0, 0 };
    for (int interp = 0; interp < 2; interp++) {
        struct run_result v;
        char *vargv[12] = { (char *)test_path("vmlab"), "run", "--no-core", "--stats" };
        int n = 4;
        if (interp)
            vargv[n++] = "--interp";
        vargv[n++] = (char *)path;
        for (int i = 0; i < nargs; i++)
            vargv[n++] = args[i];
        vargv[n] = NULL;
        const char *how = interp ? "vmlab --interp" : "vmlab";
        CU_ASSERT_EQUAL_FATAL(run_cmd(vargv, NULL, NULL, TIMEOUT, &v), 0);
        CU_ASSERT_FALSE(v.timed_out);
        CU_ASSERT_EQUAL(v.status, q.status);
        CU_ASSERT(v.outlen > 0);
        if (v.outlen != q.outlen || memcmp(v.out, q.out, v.outlen) != 0) {
            fprintf(stderr, "\n%s: stdout differs from qemu-riscv32\n--- %s\n%s\n--- qemu\n%s\n",
                    rel, how, v.out, q.out);
            CU_FAIL("stdout differs from qemu-riscv32");
        }
        if (v.status != q.status)
            fprintf(stderr, "\n%s: status %s %d, qemu %d; vmlab stderr:\n%s\n", rel, how,
                    v.status, q.status, v.err);
        count[interp] = run_retired(&v);
        run_free(&v);
    }
    CHECK(count[0] > 0 && count[0] == count[1],
          "%s: %llu instructions retired translated, %llu interpreted", rel, count[0], count[1]);
    run_free(&q);
}

static void differential(const char *rel)
{
    char *args[] = { "arg1", "two words", NULL };
    differential_with(rel, args);
}

static void test_differential(void)
{
    if (!have_program("qemu-riscv32")) {
        CU_FAIL("qemu-riscv32 is not installed (make deps)");
        return;
    }
    char rel[128];
    for (size_t i = 0; i < sizeof diff_guests / sizeof *diff_guests; i++) {
        snprintf(rel, sizeof rel, "guests/%s", diff_guests[i]);
        differential(rel);
        if (strcmp(diff_guests[i], "isa_atomic") == 0)
            continue;                               /* needs the A extension */
        snprintf(rel, sizeof rel, "guests/rv32im/%s", diff_guests[i]);
        differential(rel);
    }
}

/* The system calls a C library makes, against qemu-riscv32: the test
 * programs tests/guests/sys_*.c print every result (errors by name), in
 * both encodings.  sys_files works in a scratch directory of its own. */
static void test_syscall_differential(void)
{
    if (!have_program("qemu-riscv32")) {
        CU_FAIL("qemu-riscv32 is not installed (make deps)");
        return;
    }
    char scratch[64];
    snprintf(scratch, sizeof scratch, "/tmp/vmlab-sysfiles.XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(scratch) != NULL);
    static const char *const progs[] = { "sys_files", "sys_proc", "sys_mem" };
    for (size_t i = 0; i < sizeof progs / sizeof *progs; i++)
        for (int im = 0; im < 2; im++) {
            char rel[96];
            snprintf(rel, sizeof rel, "tests/guests/%s%s", im ? "rv32im/" : "", progs[i]);
            char *args[] = { scratch, NULL };
            differential_with(rel, args);
        }
    CU_ASSERT_EQUAL(rmdir(scratch), 0);           /* sys_files cleans up after itself */
}

/* Where qemu-riscv32 7.2 is not Linux, vmlab follows Linux: an unknown
 * madvise advice is EINVAL, mremap to length 0 is EINVAL. */
static void test_syscall_linux_only(void)
{
    struct run_result r;
    VMLAB(&r, "run", test_path("tests/guests/sys_mem"), "linux");
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "madvise(bad advice 12345)                        -1 Invalid argument",
                   "sys_mem linux");
    check_contains(r.out, "mremap(new_len 0)                                -1 Invalid argument",
                   "sys_mem linux");
    run_free(&r);

    /* Waiting for a signal nothing can send (every one blocked): Linux
     * would wait forever; vmlab says why and ends the process as SIGKILL
     * would. */
    VMLAB(&r, "run", test_path("tests/guests/sys_proc"), "pause-blocked");
    CU_ASSERT_EQUAL(r.status, 128 + 9);
    check_contains(r.err, "rt_sigsuspend", "waiting forever");
    check_contains(r.err, "nothing can send one", "waiting forever");
    run_free(&r);
    /* A signal another process sends ends a wait for one: pause dies of
     * SIGINT's default action, sigwaitinfo returns SIGUSR1 (the status),
     * under vmlab as under qemu-riscv32. */
    static const struct { const char *mode, *sig; int status; } waits[] = {
        { "pause", "INT", 130 }, { "sigwait", "USR1", 10 },
    };
    char guest[512];
    snprintf(guest, sizeof guest, "%s", test_path("tests/guests/sys_proc"));
    for (int i = 0; i < 2; i++)
        for (int q = 0; q < 2; q++) {
            char *argv[] = { q ? "qemu-riscv32" : (char *)test_path("vmlab"), q ? guest : "run",
                             q ? (char *)waits[i].mode : guest, q ? NULL : (char *)waits[i].mode,
                             NULL };
            struct run_proc rp;
            CU_ASSERT_FATAL(run_start(argv, NULL, NULL, false, &rp) == 0);
            bool up = run_wait_for(&rp, "waiting\n", 30) == 0;
            CHECK(up, "sys_proc %s: no \"waiting\"", waits[i].mode);
            if (up)                               /* in the wait or before: the same */
                CU_ASSERT_EQUAL(run_kill(rp.pid, waits[i].sig), 0);
            run_finish(&rp, 30, &r);
            CHECK(!r.timed_out && r.status == waits[i].status, "%s sys_proc %s, SIG%s from "
                  "outside: status %d (expected %d), stderr %s", q ? "qemu-riscv32" : "vmlab",
                  waits[i].mode, waits[i].sig, r.status, waits[i].status, r.err);
            run_free(&r);
        }
}

/* Signals sent to vmlab from outside — SIGINT as a terminal's Ctrl-C
 * sends it, kill(1)'s others — are the guest's, as qemu-riscv32 passes
 * them on: its handler runs (in a busy loop, in a read that is made again
 * with SA_RESTART or fails with EINTR without it, in a thread's read while
 * main joins), or the default action ends it.  Each case the same output
 * and status under vmlab, vmlab --interp and qemu-riscv32.  (vmlab used to
 * die of the signal itself, the guest's handler never running.)  Started
 * with signals ignored (a shell's `trap ''`, as nohup does), the guest
 * starts with them ignored, as execve leaves them: SIGINT is discarded,
 * and SIGHUP reaches the handler it sets.  (vmlab used to start the guest
 * with every signal at its default, and to drop a SIGHUP it had been
 * started ignoring even once the guest handled it.)  A real sleep
 * (vmlab --real-sleep) that a handled SIGINT cuts short fails with EINTR
 * and writes the time left, SA_RESTART or not (vmlab used to return 0). */
static void test_outside_signals(void)
{
    static const struct {
        const char *mode, *sigs[4], *input;
        bool in_read;                 /* send once it waits in read(0) */
        const char *expect;
        int status;
        const char *ignored;          /* started with these ignored (sh's trap ''), */
        const char *before;           /* and this comes before "ready" */
        const char *opt;              /* vmlab's option, if any */
        const char *wait_in;          /* send once /proc/PID/syscall starts so */
    } cases[] = {
        { "spin", { "INT" }, NULL, false,
          "[SIGINT handler]\ncaught SIGINT (si_code 0), ending cleanly\n", 0, NULL, NULL, NULL, NULL },
        { "default", { "INT" }, NULL, false, "", 130, NULL, NULL, NULL, NULL },
        { "read", { "INT" }, "hello\n", true, "[SIGINT handler]\n"
          "SA_RESTART: handler ran 1 time(s) (si_code 0); read returned 6: \"hello\"\n", 0, NULL, NULL, NULL, NULL },
        { "eintr", { "INT" }, NULL, true, "[SIGINT handler]\n"
          "no SA_RESTART: handler ran 1 time(s) (si_code 0); read returned -1 (EINTR)\n", 0, NULL, NULL, NULL, NULL },
        { "several", { "USR1", "USR2", "HUP", "TERM" }, NULL, false,
          "User defined signal 1 handled\nUser defined signal 2 handled\nHangup handled\n"
          "Terminated handled\n", 0, NULL, NULL, NULL, NULL },
        { "thread", { "INT" }, "line\n", false, "[SIGINT handler]\nthread: handler ran 1 "
          "time(s) (si_code 0); read returned 5: \"line\"\njoined; SIGINT handled 1 time(s)\n", 0, NULL, NULL, NULL, NULL },
        { "thread-own", { "INT" }, "line\n", false, "[SIGINT handler]\nthread: handler ran 1 "
          "time(s) (si_code 0); read returned 5: \"line\"\njoined; SIGINT handled 1 time(s)\n", 0, NULL, NULL, NULL, NULL },
        { "inherited", { "INT", "HUP" }, NULL, false, "Hangup handled\n", 0, "HUP INT PIPE",
          "Hangup: ignored\nInterrupt: ignored\nBroken pipe: ignored\n"
          "User defined signal 1: default\n", NULL, NULL },
        { "sleep", { "INT" }, NULL, false, "[SIGINT handler]\nnanosleep: handler ran 1 time(s); "
          "returned -1 (EINTR), some of the 20 s left\n", 0, NULL, NULL, "--real-sleep",
          "230 " /* x86-64 clock_nanosleep */ },
        { "thread-sleep", { "INT" }, NULL, false, "[SIGINT handler]\nnanosleep: handler ran 1 "
          "time(s); returned -1 (EINTR), some of the 20 s left; the other still slept; "
          "joined\n", 0, NULL, NULL, "--real-sleep", "230 " },
    };
    char guest[512], vmlab[512];
    snprintf(guest, sizeof guest, "%s", test_path("tests/guests/outside_signals"));
    snprintf(vmlab, sizeof vmlab, "%s", test_path("vmlab"));
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        for (int who = 0; who < 3; who++) {
            char *argv[11], trap[96];
            int n = 0;
            if (cases[c].ignored) {
                snprintf(trap, sizeof trap, "trap '' %s; exec \"$@\"", cases[c].ignored);
                argv[n++] = "/bin/sh";
                argv[n++] = "-c";
                argv[n++] = trap;
                argv[n++] = "sh";
            }
            if (who < 2) {
                argv[n++] = vmlab;
                argv[n++] = "run";
                if (who == 1)
                    argv[n++] = "--interp";
                if (cases[c].opt)
                    argv[n++] = (char *)cases[c].opt;
            } else {
                argv[n++] = "qemu-riscv32";
            }
            argv[n++] = guest;
            argv[n++] = (char *)cases[c].mode;
            argv[n] = NULL;
            const char *name = who == 0 ? "vmlab" : who == 1 ? "vmlab --interp" : "qemu-riscv32";
            struct run_proc rp;
            struct run_result r;
            CU_ASSERT_FATAL(run_start(argv, NULL, NULL, true, &rp) == 0);
            bool up = run_wait_for(&rp, "ready\n", 30) == 0;
            CHECK(up, "%s %s: no \"ready\"", name, cases[c].mode);
            if (up && cases[c].in_read)
                CHECK(run_wait_in_read(rp.pid, 30) == 0, "%s %s: never waited in read", name,
                      cases[c].mode);
            if (up && cases[c].wait_in)
                CHECK(run_wait_in_syscall(rp.pid, cases[c].wait_in, 30) == 0, "%s %s: never "
                      "waited in the host call", name, cases[c].mode);
            for (int k = 0; up && k < 4 && cases[c].sigs[k]; k++)
                CU_ASSERT_EQUAL(run_kill(rp.pid, cases[c].sigs[k]), 0);
            if (!cases[c].input && *cases[c].expect)
                run_wait_for(&rp, cases[c].expect, 30);   /* before stdin closes */
            if (cases[c].input) {
                run_wait_for(&rp, "[SIGINT handler]\n", 30);   /* it has run: now the input */
                ssize_t len = (ssize_t)strlen(cases[c].input);
                CU_ASSERT_EQUAL(write(rp.in, cases[c].input, (size_t)len), len);
            }
            run_finish(&rp, 30, &r);
            const char *before = cases[c].before ? cases[c].before : "";
            const char *out = r.out;
            if (!strncmp(out, before, strlen(before)) &&
                !strncmp(out + strlen(before), "ready\n", 6))
                out += strlen(before) + 6;
            else
                CHECK(0, "%s %s: stdout does not start with\n%sready\n--- but:\n%s", name,
                      cases[c].mode, before, r.out);
            CHECK(!r.timed_out && r.status == cases[c].status && !strcmp(out, cases[c].expect),
                  "%s %s: status %d (expected %d), stdout after ready:\n%s--- expected:\n%s"
                  "--- stderr:\n%s", name, cases[c].mode, r.status, cases[c].status, out,
                  cases[c].expect, r.err);
            if (who < 2)
                CHECK(!*r.err, "%s %s: stderr \"%s\"", name, cases[c].mode, r.err);
            run_free(&r);
        }
    }
}

/* --trace syscall names arguments as strace does. */
static void test_trace_format(void)
{
    char scratch[64];
    snprintf(scratch, sizeof scratch, "/tmp/vmlab-trace.XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(scratch) != NULL);
    struct run_result r;
    VMLAB(&r, "run", "--trace", "syscall", test_path("tests/guests/sys_files"), scratch);
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.err, "[syscall] mkdirat(AT_FDCWD, \"d\", 0755) = 0", "trace mkdirat");
    check_contains(r.err, "[syscall] mkdirat(AT_FDCWD, \"d\", 0755) = -1 EEXIST (File exists)",
                   "trace an error");
    check_contains(r.err, "[syscall] openat(AT_FDCWD, \"f.txt\", O_WRONLY|O_CREAT|O_TRUNC|"
                   "O_LARGEFILE, 0644) = 3", "trace openat");
    check_contains(r.err, "[syscall] write(3, \"hello file\\n\", 11) = 11", "trace write");
    check_contains(r.err, "[syscall] read(20, \"h\", 1) = 1", "trace read");
    check_contains(r.err, "[syscall] statx(AT_FDCWD, \"missing\", 0, 0x7ff, ", "trace statx");
    check_contains(r.err, "[syscall] fcntl64(3, F_SETFD, 0x1) = 0", "trace fcntl64");
    check_contains(r.err, "[syscall] ioctl(3, TIOCGWINSZ, ", "trace ioctl");
    check_contains(r.err, "[syscall] exit_group(0) = ?", "trace exit_group");
    run_free(&r);
    CU_ASSERT_EQUAL(rmdir(scratch), 0);

    VMLAB(&r, "run", "--trace", "syscall", test_path("tests/guests/sys_proc"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.err, "[syscall] rt_sigaction(SIGUSR1, ", "trace rt_sigaction");
    check_contains(r.err, "[syscall] rt_sigprocmask(SIG_BLOCK, ", "trace rt_sigprocmask");
    check_contains(r.err, "[syscall] clock_nanosleep_time64(CLOCK_MONOTONIC, 0, ", "trace sleep");
    check_contains(r.err, "[syscall] prlimit64(0, RLIMIT_STACK, NULL, ", "trace prlimit64");
    check_contains(r.err, "[syscall] rt_sigtimedwait_time64(", "trace sigtimedwait");
    check_contains(r.err, "= -1 EAGAIN (Resource temporarily unavailable)", "trace EAGAIN");
    run_free(&r);

    VMLAB(&r, "run", "--trace", "syscall", test_path("tests/guests/sys_mem"));
    check_contains(r.err, "[syscall] mmap2(NULL, 16384, PROT_READ|PROT_WRITE, "
                   "MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x", "trace mmap2");
    check_contains(r.err, ", MADV_DONTNEED) = 0", "trace madvise");
    run_free(&r);
}

/* Each sample's own expectations, independent of qemu. */
static void test_samples(void)
{
    struct run_result r;
    VMLAB(&r, "run", test_path("guests/hello"), "a", "b");
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "Hello", "hello");
    check_contains(r.out, "argc = 3", "hello");
    run_free(&r);

    VMLAB(&r, "run", "--maps", test_path("guests/layout"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "text", "layout");
    check_contains(r.out, "rodata", "layout");
    check_contains(r.out, "bss", "layout");
    check_contains(r.out, "heap", "layout");
    check_contains(r.out, "stack", "layout");
    check_contains(r.err, "r-xp", "layout --maps");
    check_contains(r.err, "[sigpage]", "layout --maps");
    run_free(&r);

    VMLAB(&r, "run", "--trace", "syscall", test_path("guests/alloc"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.err, "[syscall] brk(", "alloc --trace syscall");
    check_contains(r.err, "[syscall] mmap2(", "alloc --trace syscall");
    run_free(&r);

    /* VMLAB_MALLOC picks the allocator's strategy for any program */
    char *argv_best[] = { (char *)test_path("vmlab"), "run", (char *)test_path("guests/alloc"),
                          NULL };
    char *env_best[] = { "PATH=/usr/bin:/bin", "VMLAB_MALLOC=best", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv_best, env_best, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "strategy: best fit", "VMLAB_MALLOC=best alloc");
    run_free(&r);
    VMLAB(&r, "run", test_path("guests/alloc"));
    check_contains(r.out, "strategy: first fit", "alloc (default strategy)");
    run_free(&r);

    VMLAB(&r, "run", test_path("guests/alloc_strategies"));
    CU_ASSERT_EQUAL(r.status, 0);
    static const char *const rows[] = { "\nfirst ", "\nnext ", "\nbest ", "\nworst ",
                                        "\nclasses " };
    for (int i = 0; i < 5; i++)
        check_contains(r.out, rows[i], "alloc_strategies table");
    run_free(&r);

    VMLAB(&r, "run", "--stats", test_path("guests/matrix"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "checksum", "matrix");
    check_contains(r.err, "instructions retired", "matrix --stats");
    check_contains(r.err, "page faults", "matrix --stats");
    run_free(&r);

    VMLAB(&r, "run", test_path("guests/callstack"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "walk_stack", "callstack");
    run_free(&r);

    VMLAB(&r, "run", test_path("guests/stack_vs_heap"));
    CU_ASSERT_EQUAL(r.status, 0);
    run_free(&r);
}

/* Command-line errors: one clear line, non-zero status, never a crash. */
/* VMLAB_PERF_MAP=1 writes /tmp/perf-PID.map naming every translated block
 * (what `perf report` reads for code without symbols). */
static void test_perf_map(void)
{
#if JIT_AVAILABLE
    struct run_result r;
    /* the shell prints its pid, then becomes vmlab: that pid names the map */
    char *argv[] = { "sh", "-c", "echo $$; exec \"$0\" run \"$1\"", (char *)test_path("vmlab"),
                     (char *)test_path("guests/hello"), NULL };
    char *envp[] = { "PATH=/usr/bin:/bin", "VMLAB_PERF_MAP=1", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv, envp, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    long pid = strtol(r.out, NULL, 10);
    char name[64];
    snprintf(name, sizeof name, "/tmp/perf-%ld.map", pid);
    FILE *f = fopen(name, "r");
    CHECK(f != NULL, "%s was not written", name);
    if (f) {
        char line[128];
        int n = 0, good = 0;
        while (fgets(line, sizeof line, f)) {
            unsigned long addr, size;
            unsigned pc, insns;
            n++;
            good += sscanf(line, "%lx %lx vmlab-block-0x%8x-%u-insns", &addr, &size, &pc,
                           &insns) == 4 && size > 0 && pc >= 0x10000 && insns >= 1;
        }
        fclose(f);
        CHECK(n >= 10 && good == n, "%s: %d lines, %d well-formed", name, n, good);
        unlink(name);
    }
    run_free(&r);
#endif
}

/* tools/check-cost runs bench_mem's random loop as the translator emits it
 * (make bench's "what the MMU check costs"): every variant must compute
 * what bench_mem itself computes, so its checksum after a million turns is
 * the "reads" bench_mem 64 1 prints under vmlab. */
static void test_check_cost(void)
{
#if JIT_AVAILABLE
    struct run_result c, v;
    char *cargv[] = { (char *)test_path("bench/check_cost"), "1", "1", NULL };
    char *vargv[] = { (char *)test_path("vmlab"), "run", (char *)test_path("guests/bench_mem"),
                      "64", "1", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(cargv, NULL, NULL, TIMEOUT, &c), 0);
    CU_ASSERT_EQUAL_FATAL(run_cmd(vargv, NULL, NULL, TIMEOUT, &v), 0);
    CHECK(c.status == 0, "check_cost 1 1: status %d, stderr: %s", c.status, c.err);
    CU_ASSERT_EQUAL(v.status, 0);
    const char *cs = strstr(c.out, "(checksum 0x"), *vs = strstr(v.out, "reads 0x");
    CHECK(cs && vs && strncmp(cs + 10, vs + 6, 10) == 0, "check_cost's checksum %.20s, "
          "bench_mem's %.15s", cs ? cs : "(none)", vs ? vs : "(none)");
    int rows = 0;
    for (const char *p = c.out; (p = strstr(p, "\n  ")) != NULL; p++)
        rows++;
    CHECK(rows == 8, "check_cost printed %d table lines, not a heading and 7 variants", rows);
    run_free(&c);
    run_free(&v);
    /* bad arguments: one line, status 2 */
    char *bad[] = { (char *)test_path("bench/check_cost"), "0", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(bad, NULL, NULL, TIMEOUT, &c), 0);
    CU_ASSERT_EQUAL(c.status, 2);
    check_contains(c.err, "MTURNS must be a number from 1 to 1000", "check_cost 0");
    run_free(&c);
#endif
}

static void test_cli(void)
{
    struct run_result r;
    VMLAB(&r, "--version");
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "vmlab", "--version");
    run_free(&r);

    VMLAB(&r, "--help");
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "--mem", "--help");
    run_free(&r);

    VMLAB(&r, "frobnicate");
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "unknown command", "bad command");
    run_free(&r);

    VMLAB(&r, "run");
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "no PROGRAM", "run without program");
    run_free(&r);

    VMLAB(&r, "run", "--mem", "12", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "--mem", "bad --mem");
    run_free(&r);

    VMLAB(&r, "run", "--bogus", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "--bogus", "bad option");
    run_free(&r);

    VMLAB(&r, "run", "--trace", "syscal", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 2);
    run_free(&r);

    VMLAB(&r, "run", "/bin/sh");
    CU_ASSERT_EQUAL(r.status, 126);
    check_contains(r.err, "vmlab: /bin/sh: 64-bit ELF", "x86 program");
    CU_ASSERT_EQUAL(strchr(r.err, '\n'), r.err + r.errlen - 1);   /* one line */
    run_free(&r);

    VMLAB(&r, "run", "/nonexistent");
    CU_ASSERT_EQUAL(r.status, 126);
    check_contains(r.err, "/nonexistent", "missing program");
    run_free(&r);

    VMLAB(&r, "run", "--perm", "txt=rw", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "valid names", "bad --perm");
    run_free(&r);

    /* --max-insns: killed like RLIMIT_CPU, SIGXCPU = 24 */
    VMLAB(&r, "run", "--no-core", "--max-insns", "10000", test_path("guests/matrix"));
    CU_ASSERT_EQUAL(r.status, 128 + 24);
    check_contains(r.err, "CPU time limit exceeded", "--max-insns");
    run_free(&r);

    /* physical memory exhausted and no swap: the OOM killer, as Linux's */
    VMLAB(&r, "run", "--mem", "64K", "--swap", "0", test_path("guests/alloc"));
    CU_ASSERT_EQUAL(r.status, 128 + 9);
    check_contains(r.err, "vmlab: Out of memory: Killed process ", "--mem 64K --swap 0");
    check_contains(r.err, " (alloc) total-vm:", "--mem 64K --swap 0");
    check_contains(r.err, "kB, swap:0kB\nKilled\n", "--mem 64K --swap 0");
    run_free(&r);

    VMLAB(&r, "run", "--trace", "all", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.err, "[syscall] write(1, \"Hello", "--trace all");
    check_contains(r.err, "[page] ", "--trace all");
    run_free(&r);
}

/* The crash samples: status, the shell's message, and the core file. */
struct crash_case {
    const char *guest;
    int         status;
    const char *message;      /* on stderr */
    const char *stdout_has;
};

static const struct crash_case crashes[] = {
    { "null_deref", 139, "Segmentation fault (core dumped)", "NULL" },
    { "write_text", 139, "Segmentation fault (core dumped)", "li a0, 2" },
    { "exec_stack", 139, "Segmentation fault (core dumped)", "the stack" },
    { "stack_overflow", 139, "Segmentation fault (core dumped)", "depth" },
    { "use_after_munmap", 139, "Segmentation fault (core dumped)", "munmap" },
    { "abort", 134, "Aborted (core dumped)", "abort()" },
    { "sigill", 132, "Illegal instruction (core dumped)", "run_garbage" },
};

static char crash_dir[64];

static const char *core_of(const char *guest)
{
    static char path[160];
    snprintf(path, sizeof path, "%s/core.%.15s", crash_dir, guest);   /* %e: comm, 15 chars */
    return path;
}

static void test_crashes(void)
{
    snprintf(crash_dir, sizeof crash_dir, "/tmp/vmlab-e2e.XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(crash_dir) != NULL);
    char pattern[128];
    snprintf(pattern, sizeof pattern, "%s/core.%%e", crash_dir);
    for (size_t i = 0; i < sizeof crashes / sizeof *crashes; i++) {
        const struct crash_case *cc = &crashes[i];
        char rel[64];
        snprintf(rel, sizeof rel, "guests/%s", cc->guest);
        struct run_result r;
        VMLAB(&r, "run", "--core-pattern", pattern, test_path(rel));
        CU_ASSERT_EQUAL(r.status, cc->status);
        check_contains(r.err, cc->message, cc->guest);
        check_contains(r.err, "vmlab inspect", cc->guest);
        check_contains(r.out, cc->stdout_has, cc->guest);
        CU_ASSERT_EQUAL(access(core_of(cc->guest), R_OK), 0);
        run_free(&r);
        /* --no-core: the message says so, and no file appears */
        VMLAB(&r, "run", "--no-core", "--core-pattern", "/tmp/vmlab-must-not-exist.%e",
              test_path(rel));
        CU_ASSERT_EQUAL(r.status, cc->status);
        check_contains(r.err, "(core not dumped)", cc->guest);
        run_free(&r);
    }
    char nofile[96];
    snprintf(nofile, sizeof nofile, "/tmp/vmlab-must-not-exist.%s", "null_deref");
    CU_ASSERT_NOT_EQUAL(access(nofile, F_OK), 0);
}

/* Samples that survive their faults, and --perm changing the outcome. */
static void test_recoveries(void)
{
    struct run_result r;
    VMLAB(&r, "run", "--no-core", "--perm", "text=rwx", test_path("guests/write_text"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "the store succeeded", "write_text --perm text=rwx");
    run_free(&r);

    VMLAB(&r, "run", "--no-core", "--perm", "stack=rwx", test_path("guests/exec_stack"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "returned 42", "exec_stack --perm stack=rwx");
    run_free(&r);

    VMLAB(&r, "run", "--no-core", "--perm", "stack=rwx", test_path("guests/rv32im/exec_stack"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "returned 42", "rv32im exec_stack --perm stack=rwx");
    run_free(&r);

    VMLAB(&r, "run", "--trace", "signal", test_path("guests/stack_overflow_caught"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "caught SIGSEGV", "stack_overflow_caught");
    check_contains(r.err, "(alternate stack)", "stack_overflow_caught --trace signal");
    run_free(&r);

    VMLAB(&r, "run", "--no-core", "--trace", "fault", test_path("guests/stack_overflow"));
    CU_ASSERT_EQUAL(r.status, 139);
    check_contains(r.err, "stack overflow", "stack_overflow --trace fault");
    run_free(&r);

    /* a smaller --stack-limit overflows sooner */
    VMLAB(&r, "run", "--no-core", "--stack-limit", "64K", test_path("guests/stack_overflow"));
    CU_ASSERT_EQUAL(r.status, 139);
    CU_ASSERT_PTR_NULL(strstr(r.out, "depth 1000:"));
    run_free(&r);

    VMLAB(&r, "run", "--stats", test_path("guests/gc_barrier"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "remembered set", "gc_barrier");
    check_contains(r.err, "signals delivered      5", "gc_barrier --stats");
    run_free(&r);

    VMLAB(&r, "run", test_path("guests/skip_fault"));
    CU_ASSERT_EQUAL(r.status, 0);
    run_free(&r);

    VMLAB(&r, "run", test_path("guests/heap_oom"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "malloc returned NULL", "heap_oom");
    run_free(&r);
}

/* gdb-multiarch opens our cores: the faulting function, its source line,
 * and the callers. */
static void test_gdb(void)
{
    if (!have_program("gdb-multiarch")) {
        CU_FAIL("gdb-multiarch is not installed (make deps)");
        return;
    }
    const char *core = core_of("null_deref");
    CU_ASSERT_EQUAL_FATAL(access(core, R_OK), 0);
    struct run_result r;
    char *argv[] = { "gdb-multiarch", "-nx", "-batch", "-ex", "bt", "-ex", "info registers pc",
                     (char *)test_path("guests/null_deref"), (char *)core, NULL };
    CU_ASSERT_EQUAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r), 0);
    check_contains(r.out, "Program terminated with signal SIGSEGV", "gdb");
    check_contains(r.out, "#0  ", "gdb bt");
    check_contains(r.out, "save_score", "gdb bt");
    check_contains(r.out, "null_deref.c:", "gdb bt");
    check_contains(r.out, "enter_score", "gdb bt");
    check_contains(r.out, "main", "gdb bt");
    run_free(&r);

    core = core_of("abort");
    char *argv2[] = { "gdb-multiarch", "-nx", "-batch", "-ex", "bt",
                      (char *)test_path("guests/abort"), (char *)core, NULL };
    CU_ASSERT_EQUAL(run_cmd(argv2, NULL, NULL, TIMEOUT, &r), 0);
    check_contains(r.out, "SIGABRT", "gdb abort");
    check_contains(r.out, "abort", "gdb abort bt");
    run_free(&r);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", crash_dir);
    CU_ASSERT_EQUAL(system(cmd), 0);
}

/* The checks behind PLATFORM.md (shared/tools/core-check), pointed at
 * vmlab: sigcheck prints every siginfo/ucontext field and syscall result
 * the document asserts, and check_sigcheck.py --kernel compares.  The
 * shared folder lies beside the repository ($VMLAB_SHARED overrides). */
static void test_platform_checks(void)
{
    const char *shared = getenv("VMLAB_SHARED") ? getenv("VMLAB_SHARED") : "../shared";
    char dir[512], src[600], elf[600], out[600], cmd[2400];
    snprintf(dir, sizeof dir, "%s/tools/core-check", shared);
    snprintf(src, sizeof src, "%s/sigcheck.c", dir);
    if (access(src, R_OK) != 0) {
        fprintf(stderr, "\n(platform checks skipped: %s not found; set VMLAB_SHARED)\n", src);
        return;
    }
    snprintf(elf, sizeof elf, "%s/sigcheck.elf", test_build_dir());
    snprintf(out, sizeof out, "%s/sigcheck.vmlab.txt", test_build_dir());
    snprintf(cmd, sizeof cmd,
             "riscv64-unknown-elf-gcc -march=rv32im -mabi=ilp32 -static -nostdlib -ffreestanding "
             "-fno-builtin -O1 -g -o %s %s -lgcc", elf, src);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "env -i FOO=bar %s run --no-core %s arg1 > %s 2>&1",
             test_path("vmlab"), elf, out);
    CU_ASSERT_EQUAL(system(cmd), 0);
    struct run_result r;
    char *argv[] = { "python3", dir, out, "--kernel", NULL };
    char script[600];
    snprintf(script, sizeof script, "%s/check_sigcheck.py", dir);
    argv[1] = script;
    CU_ASSERT_EQUAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "ALL PASS", "check_sigcheck.py --kernel");
    run_free(&r);
}

void e2e_suite_add(void)
{
    CU_pSuite s = CU_add_suite("e2e", NULL, NULL);
    CU_add_test(s, "samples: stdout, status, options", test_samples);
    CU_add_test(s, "command-line errors", test_cli);
    CU_add_test(s, "VMLAB_PERF_MAP names translated blocks", test_perf_map);
    CU_add_test(s, "tools/check-cost computes bench_mem's random loop", test_check_cost);
    CU_add_test(s, "differential vs qemu-riscv32", test_differential);
    CU_add_test(s, "system calls vs qemu-riscv32", test_syscall_differential);
    CU_add_test(s, "system calls where qemu is not Linux", test_syscall_linux_only);
    CU_add_test(s, "--trace syscall in strace's style", test_trace_format);
    CU_add_test(s, "crashes: status, message, core file", test_crashes);
    CU_add_test(s, "recoveries, --perm, stack limit", test_recoveries);
    CU_add_test(s, "signals from outside (Ctrl-C, kill) reach the guest, as under qemu",
                test_outside_signals);
    CU_add_test(s, "gdb-multiarch reads the cores", test_gdb);
    CU_add_test(s, "PLATFORM.md checks (shared/tools/core-check)", test_platform_checks);
}
