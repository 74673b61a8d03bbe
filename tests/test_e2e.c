/* tests/test_e2e.c — end-to-end runs of the guest programs through
 * build/vmlab: stdout, exit status, stderr messages; and differential runs
 * against qemu-riscv32, the oracle for guest-visible behaviour. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/run.h"
#include "tests/suites.h"

#define TIMEOUT 60

/* Guests compared with qemu-riscv32 (rv32imac, and rv32im builds unless
 * noted): identical stdout and exit status. */
static const char *const diff_guests[] = {
    "hello", "layout", "stack_vs_heap", "callstack", "alloc", "matrix",
    "isa_alu", "isa_muldiv", "isa_atomic", "isa_misaligned", "isa_compressed",
    "isa_csr", "mem_syscalls",
};

static int vmlab(struct run_result *r, const char *const *args)
{
    char *argv[32];
    int n = 0;
    argv[n++] = (char *)test_path("vmlab");
    for (; *args && n < 31; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    return run_cmd(argv, NULL, NULL, TIMEOUT, r);
}

#define VMLAB(r, ...) vmlab(r, (const char *const[]){ __VA_ARGS__, NULL })

static void check_contains(const char *hay, const char *needle, const char *what)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "\n%s: expected \"%s\" in:\n%s\n", what, needle, hay);
        CU_FAIL("expected text missing");
    }
}

/* Run guest `rel` under vmlab and qemu-riscv32 with the same argv and env. */
static void differential(const char *rel)
{
    const char *path = test_path(rel);
    if (access(path, X_OK) != 0) {
        fprintf(stderr, "\nmissing guest %s\n", path);
        CU_FAIL("guest not built");
        return;
    }
    struct run_result v, q;
    char *vargv[] = { (char *)test_path("vmlab"), "run", (char *)path, "arg1", "two words", NULL };
    char *qargv[] = { "qemu-riscv32", (char *)path, "arg1", "two words", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(vargv, NULL, NULL, TIMEOUT, &v), 0);
    CU_ASSERT_EQUAL_FATAL(run_cmd(qargv, NULL, NULL, TIMEOUT, &q), 0);
    CU_ASSERT_FALSE(v.timed_out);
    CU_ASSERT_EQUAL(v.status, q.status);
    CU_ASSERT(v.outlen > 0);
    if (v.outlen != q.outlen || memcmp(v.out, q.out, v.outlen) != 0) {
        fprintf(stderr, "\n%s: stdout differs from qemu-riscv32\n--- vmlab\n%s\n--- qemu\n%s\n",
                rel, v.out, q.out);
        CU_FAIL("stdout differs from qemu-riscv32");
    }
    if (v.status != q.status)
        fprintf(stderr, "\n%s: status vmlab %d, qemu %d; vmlab stderr:\n%s\n", rel, v.status,
                q.status, v.err);
    run_free(&v);
    run_free(&q);
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

    /* physical memory exhausted */
    VMLAB(&r, "run", "--mem", "64K", test_path("guests/alloc"));
    CU_ASSERT_EQUAL(r.status, 128 + 9);
    check_contains(r.err, "out of memory", "--mem 64K");
    run_free(&r);

    VMLAB(&r, "run", "--trace", "all", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.err, "[syscall] write(1, \"Hello", "--trace all");
    check_contains(r.err, "[page] ", "--trace all");
    run_free(&r);
}

void e2e_suite_add(void)
{
    CU_pSuite s = CU_add_suite("e2e", NULL, NULL);
    CU_add_test(s, "samples: stdout, status, options", test_samples);
    CU_add_test(s, "command-line errors", test_cli);
    CU_add_test(s, "differential vs qemu-riscv32", test_differential);
}
