/* tests/test_robust.c — bad input and hostile conditions, end to end
 * through build/vmlab: paths that are not regular files, malformed
 * options, exact instruction limits, host time limits, and core files
 * written into full, unwritable or vanishing places.  Each case wants one
 * clear line on stderr, the documented exit status, and no hang (every
 * run has a time limit, so a hang fails instead of blocking the suite). */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/run.h"
#include "tests/rvelf.h"
#include "tests/rvenc.h"
#include "tests/suites.h"

#define TIMEOUT 30

static int vmlab(struct run_result *r, const char *const *args)
{
    char *argv[40];
    int n = 0;
    argv[n++] = (char *)test_path("vmlab");
    for (; *args && n < 39; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    return run_cmd(argv, NULL, NULL, TIMEOUT, r);
}
#define VMLAB(r, ...) vmlab(r, (const char *const[]){ __VA_ARGS__, NULL })

/* stderr is exactly one line, and it is `want`. */
static void expect_one_line(const struct run_result *r, const char *want, const char *what)
{
    bool ok = r->errlen > 0 && strchr(r->err, '\n') == r->err + r->errlen - 1 &&
              strncmp(r->err, want, strlen(want)) == 0 && r->err[strlen(want)] == '\n';
    CHECK(ok, "%s: stderr \"%s\", want the one line \"%s\"", what, r->err, want);
}

static void check_contains(const char *hay, const char *needle, const char *what)
{
    CHECK(strstr(hay, needle) != NULL, "%s: expected \"%s\" in \"%.300s\"", what, needle, hay);
}

/* A fresh directory under /tmp, removed (with its files) by rm_dir. */
static void make_dir(char *dir, size_t n, const char *tag)
{
    snprintf(dir, n, "/tmp/vmlab-robust-%s.XXXXXX", tag);
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
}

static void rm_dir(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CU_ASSERT(system(cmd) == 0);
}

/* ------------------------------------------------------------------------
 * Paths that name FIFOs: refused at once, before anything is opened. */

static void test_fifo_paths(void)
{
    char dir[64], fifo[96], prog[96], core[96], pattern[100], line[160];
    make_dir(dir, sizeof dir, "fifo");
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
    struct run_result r;

    VMLAB(&r, "run", fifo);
    CU_ASSERT_FALSE(r.timed_out);
    CU_ASSERT_EQUAL(r.status, 126);
    snprintf(line, sizeof line, "vmlab: %s: not a regular file", fifo);
    expect_one_line(&r, line, "run FIFO");
    run_free(&r);

    VMLAB(&r, "inspect", fifo);
    CU_ASSERT_FALSE(r.timed_out);
    CU_ASSERT_EQUAL(r.status, 1);
    snprintf(line, sizeof line, "vmlab inspect: %s: not a regular file", fifo);
    expect_one_line(&r, line, "inspect FIFO");
    run_free(&r);

    /* a real core, then --elf naming the FIFO */
    snprintf(prog, sizeof prog, "%s/prog", dir);
    snprintf(core, sizeof core, "%s/core", dir);
    snprintf(pattern, sizeof pattern, "%s/core", dir);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", test_path("guests/null_deref"), prog);
    CU_ASSERT_FATAL(system(cmd) == 0);
    VMLAB(&r, "run", "--core-pattern", pattern, prog);
    CU_ASSERT_EQUAL(r.status, 139);
    run_free(&r);
    CU_ASSERT_FATAL(access(core, R_OK) == 0);

    VMLAB(&r, "inspect", core, "--elf", fifo);
    CU_ASSERT_FALSE(r.timed_out);
    CU_ASSERT_EQUAL(r.status, 1);
    expect_one_line(&r, line, "inspect --elf FIFO");
    run_free(&r);

    /* the core's NT_FILE names the program: make that path a FIFO.  The
     * report still comes (addresses only), and says why. */
    CU_ASSERT(unlink(prog) == 0);
    CU_ASSERT_FATAL(mkfifo(prog, 0600) == 0);
    VMLAB(&r, "inspect", core);
    CU_ASSERT_FALSE(r.timed_out);
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "SEGV_MAPERR", "inspect, core naming a FIFO");
    check_contains(r.out, "(not a regular file)", "inspect, core naming a FIFO");
    run_free(&r);
    VMLAB(&r, "inspect", "--json", core);
    CU_ASSERT_FALSE(r.timed_out);
    CU_ASSERT_EQUAL(r.status, 0);
    run_free(&r);

    /* devices too */
    VMLAB(&r, "run", "/dev/null");
    CU_ASSERT_EQUAL(r.status, 126);
    expect_one_line(&r, "vmlab: /dev/null: not a regular file", "run /dev/null");
    run_free(&r);
    rm_dir(dir);
}

/* ------------------------------------------------------------------------
 * Option messages. */

static void test_option_messages(void)
{
    struct run_result r;
    /* --trace '' is refused like --trace bogus */
    static const char *const bad_traces[] = { "", ",", "syscall,", ",fault", "syscall,,page", "bogus" };
    for (size_t i = 0; i < sizeof bad_traces / sizeof *bad_traces; i++) {
        VMLAB(&r, "run", "--trace", bad_traces[i], test_path("guests/hello"));
        CHECK(r.status == 2, "--trace '%s': status %d", bad_traces[i], r.status);
        check_contains(r.err, "expected a list of syscall,fault,page,signal or all", "--trace");
        CU_ASSERT_EQUAL(r.outlen, 0);                 /* the program never ran */
        run_free(&r);
    }
    VMLAB(&r, "run", "--trace", "", test_path("guests/hello"));
    expect_one_line(&r, "vmlab: --trace '': expected a list of syscall,fault,page,signal or all",
                    "--trace ''");
    run_free(&r);

    /* a view option given to run names the option, not its value */
    VMLAB(&r, "run", "--at-insn", "5", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 2);
    expect_one_line(&r, "vmlab run: --at-insn is an option of vmlab view", "run --at-insn");
    run_free(&r);
}

/* ------------------------------------------------------------------------
 * --max-insns: the same exact stop with both engines. */

/* "instructions retired N" from --stats, or 0. */
static unsigned long long retired(const struct run_result *r)
{
    const char *p = strstr(r->err, "instructions retired");
    return p ? strtoull(p + strlen("instructions retired"), NULL, 10) : 0;
}

static void test_max_insns_exact(void)
{
    static const char *const limits[] = { "1", "2", "20", "1000", "4097", "12345" };
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++) {
        for (int interp = 0; interp < 2; interp++) {
            struct run_result r;
            if (interp)
                VMLAB(&r, "run", "--no-core", "--stats", "--interp", "--max-insns", limits[i],
                      test_path("guests/matrix"));
            else
                VMLAB(&r, "run", "--no-core", "--stats", "--max-insns", limits[i],
                      test_path("guests/matrix"));
            CHECK(r.status == 128 + 24, "--max-insns %s%s: status %d", limits[i],
                  interp ? " --interp" : "", r.status);
            CHECK(retired(&r) == strtoull(limits[i], NULL, 10),
                  "--max-insns %s%s: %llu instructions retired", limits[i],
                  interp ? " --interp" : "", retired(&r));
            check_contains(r.err, "instruction limit (--max-insns) reached", "--max-insns");
            run_free(&r);
        }
    }
}

/* The case: 100 instructions of straight-line code, then exit(7).
 * --max-insns 20 must stop it (SIGXCPU) after exactly 20, with both
 * engines; without a limit it exits 7, as under qemu-riscv32. */
static void test_max_insns_straight_line(void)
{
    uint32_t code[104];
    for (int i = 0; i < 100; i++)
        code[i] = ADDI(A1, A1, 1);
    code[100] = ADDI(A0, ZERO, 7);
    code[101] = ADDI(A7, ZERO, 93);                 /* exit */
    code[102] = ECALL;
    char dir[64], prog[96];
    make_dir(dir, sizeof dir, "straight");
    snprintf(prog, sizeof prog, "%s/straight", dir);
    struct rvelf e = { .code = (const uint8_t *)code, .code_len = 103 * 4 };
    CU_ASSERT_FATAL(rvelf_write(prog, &e) == 0);
    struct run_result r;
    for (int interp = 0; interp < 2; interp++) {
        const char *how = interp ? "--interp" : "--stats";
        VMLAB(&r, "run", "--no-core", "--stats", how, "--max-insns", "20", prog);
        CHECK(r.status == 128 + 24 && retired(&r) == 20, "%s --max-insns 20: status %d, %llu "
              "instructions retired", how, r.status, retired(&r));
        run_free(&r);
        VMLAB(&r, "run", "--stats", how, prog);
        CHECK(r.status == 7 && retired(&r) == 102, "%s: status %d, %llu retired", how, r.status,
              retired(&r));
        run_free(&r);
    }
    if (have_program("qemu-riscv32")) {
        char *argv[] = { "qemu-riscv32", prog, NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r), 0);
        CU_ASSERT_EQUAL(r.status, 7);
        run_free(&r);
    }
    rm_dir(dir);
}

void robust_suite_add(void)
{
    CU_pSuite s = CU_add_suite("robust", NULL, NULL);
    if (!s)
        return;
    CU_add_test(s, "paths naming FIFOs and devices", test_fifo_paths);
    CU_add_test(s, "option messages", test_option_messages);
    CU_add_test(s, "--max-insns: exact in both engines", test_max_insns_exact);
    CU_add_test(s, "--max-insns: 20 of 100 straight-line instructions", test_max_insns_straight_line);
}
