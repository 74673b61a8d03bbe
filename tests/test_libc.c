/* tests/test_libc.c — the guests' C library: `vmlab cc` (from any
 * directory, from an installed layout, its own error lines), and ordinary
 * C programs built with it and compared with qemu-riscv32. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/run.h"
#include "tests/suites.h"

#define TIMEOUT 120

static char tmpdir[64];          /* per suite run, removed at the end */
static char vmlab_abs[4096];     /* build/vmlab as an absolute path */

static int suite_init(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vmlab-libc.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    return realpath(test_path("vmlab"), vmlab_abs) ? 0 : -1;
}

static int suite_clean(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    CU_ASSERT_EQUAL(fclose(f), 0);
}

static void check_contains(const char *hay, const char *needle, const char *what)
{
    CHECK(strstr(hay, needle) != NULL, "%s: expected \"%s\" in: %s", what, needle, hay);
}

/* Run argv in tmpdir; the result in r. */
static void run_in_tmp(char *const argv[], struct run_result *r)
{
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, tmpdir, TIMEOUT, r), 0);
}

static const char hello_src[] =
    "#include <stdio.h>\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    printf(\"%s: %d args, %.2f\\n\", argv[0], argc, 2.5);\n"
    "    return 3;\n"
    "}\n";

/* From a directory that is neither the repository nor the build tree;
 * both encodings; the program runs and its status is main's. */
static void test_cc_any_directory(void)
{
    char src[128];
    snprintf(src, sizeof src, "%s/hi.c", tmpdir);
    write_file(src, hello_src);
    static const char *const march[] = { NULL, "-march=rv32im" };
    for (int i = 0; i < 2; i++) {
        struct run_result r;
        char *cc[] = { vmlab_abs, "cc", "-O2", "-Wall", "-o", "hi", "hi.c", NULL, NULL };
        if (march[i]) {
            cc[6] = (char *)march[i];
            cc[7] = "hi.c";
        }
        run_in_tmp(cc, &r);
        CHECK(r.status == 0, "vmlab cc %s: status %d: %s", march[i] ? march[i] : "", r.status,
              r.err);
        run_free(&r);
        char *run[] = { vmlab_abs, "run", "./hi", "x", NULL };
        run_in_tmp(run, &r);
        CU_ASSERT_EQUAL(r.status, 3);
        CU_ASSERT_STRING_EQUAL(r.out, "./hi: 2 args, 2.50\n");
        run_free(&r);
    }
    /* -march=rv32im really gives no compressed instructions: readelf
     * shows the attribute the linker wrote. */
    struct run_result r;
    char *re[] = { "riscv64-unknown-elf-readelf", "-A", "hi", NULL };
    run_in_tmp(re, &r);
    check_contains(r.out, "rv32i2p1_m2p0", "readelf -A of an rv32im build");
    CU_ASSERT_PTR_NULL(strstr(r.out, "_c2p0"));
    run_free(&r);
}

/* An installed copy: PREFIX/bin/vmlab finds PREFIX/lib/vmlab (here a
 * link to the build tree's copy of the OS layer). */
static void test_cc_installed_layout(void)
{
    char cmd[8400];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/prefix/bin %s/prefix/lib && cp %s %s/prefix/bin/vmlab && "
             "ln -s \"$(realpath %s)\" %s/prefix/lib/vmlab",
             tmpdir, tmpdir, vmlab_abs, tmpdir, test_path("lib/vmlab"), tmpdir);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    char src[128], bin[128];
    snprintf(src, sizeof src, "%s/inst.c", tmpdir);
    write_file(src, hello_src);
    snprintf(bin, sizeof bin, "%s/prefix/bin/vmlab", tmpdir);
    struct run_result r;
    char *cc[] = { bin, "cc", "-o", "inst", "inst.c", NULL };
    run_in_tmp(cc, &r);
    CHECK(r.status == 0, "installed vmlab cc: status %d: %s", r.status, r.err);
    run_free(&r);
    char *run[] = { bin, "run", "./inst", NULL };
    run_in_tmp(run, &r);
    CU_ASSERT_EQUAL(r.status, 3);
    CU_ASSERT_STRING_EQUAL(r.out, "./inst: 1 args, 2.50\n");
    run_free(&r);
    /* a copy with no OS layer beside it says so in one line */
    snprintf(cmd, sizeof cmd, "mkdir -p %s/bare && cp %s %s/bare/vmlab", tmpdir, vmlab_abs,
             tmpdir);
    CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
    snprintf(bin, sizeof bin, "%s/bare/vmlab", tmpdir);
    char *cc2[] = { bin, "cc", "-o", "inst", "inst.c", NULL };
    run_in_tmp(cc2, &r);
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "OS layer", "vmlab cc without lib/vmlab");
    CU_ASSERT_EQUAL(strchr(r.err, '\n'), r.err + r.errlen - 1);
    run_free(&r);
}

/* What vmlab cc itself refuses is one line naming the fix; what gcc
 * refuses is gcc's message and gcc's status. */
static void test_cc_errors(void)
{
    struct run_result r;
    char *env_nogcc[] = { "PATH=/nonexistent", NULL };
    char *cc[] = { vmlab_abs, "cc", "-o", "x", "x.c", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(cc, env_nogcc, tmpdir, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "gcc-riscv64-unknown-elf", "no cross compiler");
    CU_ASSERT_EQUAL(strchr(r.err, '\n'), r.err + r.errlen - 1);
    run_free(&r);

    char *env_nopico[] = { "PATH=/usr/bin:/bin", "VMLAB_PICOLIBC=/nonexistent", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(cc, env_nopico, tmpdir, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "picolibc-riscv64-unknown-elf", "no picolibc");
    CU_ASSERT_EQUAL(strchr(r.err, '\n'), r.err + r.errlen - 1);
    run_free(&r);

    char *bad_isa[] = { vmlab_abs, "cc", "-march=rv64gc", "-o", "x", "x.c", NULL };
    run_in_tmp(bad_isa, &r);
    CU_ASSERT_EQUAL(r.status, 2);
    check_contains(r.err, "rv32imac and rv32im", "-march=rv64gc");
    run_free(&r);

    char src[128];
    snprintf(src, sizeof src, "%s/broken.c", tmpdir);
    write_file(src, "int main(void) { return undeclared_thing; }\n");
    char *broken[] = { vmlab_abs, "cc", "-o", "broken", "broken.c", NULL };
    run_in_tmp(broken, &r);
    CU_ASSERT_EQUAL(r.status, 1);
    check_contains(r.err, "broken.c:1:", "gcc's own message");
    check_contains(r.err, "undeclared_thing", "gcc's own message");
    CU_ASSERT_PTR_NULL(strstr(r.err, "vmlab cc:"));
    run_free(&r);
}

/* Several sources, -c and linking objects, -D and -I, -lm: every option
 * reaches gcc. */
static void test_cc_pass_through(void)
{
    char path[160];
    snprintf(path, sizeof path, "%s/inc", tmpdir);
    CU_ASSERT_EQUAL_FATAL(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/inc/two.h", tmpdir);
    write_file(path, "double twice(double);\n");
    snprintf(path, sizeof path, "%s/two.c", tmpdir);
    write_file(path, "#include \"two.h\"\n#include <math.h>\n"
                     "double twice(double x) { return 2 * sqrt(x * x); }\n");
    snprintf(path, sizeof path, "%s/main.c", tmpdir);
    write_file(path, "#include <stdio.h>\n#include \"two.h\"\n"
                     "int main(void) { printf(\"%s %g\\n\", GREETING, twice(-1.5)); return 0; }\n");
    struct run_result r;
    char *c1[] = { vmlab_abs, "cc", "-c", "-O2", "-Iinc", "two.c", NULL };
    run_in_tmp(c1, &r);
    CHECK(r.status == 0, "vmlab cc -c: %s", r.err);
    run_free(&r);
    char *c2[] = { vmlab_abs, "cc", "-Iinc", "-DGREETING=\"twice\"", "-o", "prog", "main.c",
                   "two.o", "-lm", NULL };
    run_in_tmp(c2, &r);
    CHECK(r.status == 0, "vmlab cc main.c two.o -lm: %s", r.err);
    run_free(&r);
    char *run[] = { vmlab_abs, "run", "./prog", NULL };
    run_in_tmp(run, &r);
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT_STRING_EQUAL(r.out, "twice 3\n");
    run_free(&r);
}

/* The allocator's strategies, block by block (tests/guests/malloc_check.c
 * names the block each must pick), under vmlab and qemu-riscv32 alike. */
static void test_malloc_strategies(void)
{
    for (int im = 0; im < 2; im++) {
        char rel[64];
        snprintf(rel, sizeof rel, "tests/guests/%smalloc_check", im ? "rv32im/" : "");
        struct run_result r, q;
        char *v[] = { vmlab_abs, "run", (char *)test_path(rel), NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd(v, NULL, NULL, TIMEOUT, &r), 0);
        CHECK(r.status == 0, "%s: status %d:\n%s", rel, r.status, r.out);
        check_contains(r.out, "all as expected: 0 failure(s)", rel);
        char *qa[] = { "qemu-riscv32", (char *)test_path(rel), NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd(qa, NULL, NULL, TIMEOUT, &q), 0);
        CU_ASSERT_STRING_EQUAL(r.out, q.out);
        run_free(&r);
        run_free(&q);
    }
}

/* Ordinary C programs (tests/guests/libc_*.c) under vmlab, translated and
 * interpreted, and under qemu-riscv32, in both encodings: the same stdout
 * and status.  Program `name` gets `arg` (or none) and `input` on stdin. */
static void libc_differential(const char *name, const char *arg, const char *input)
{
    for (int im = 0; im < 2; im++) {
        char rel[96];
        snprintf(rel, sizeof rel, "tests/guests/%s%s", im ? "rv32im/" : "", name);
        char *prog = (char *)test_path(rel);
        struct run_result q, v;
        char *qa[] = { "qemu-riscv32", prog, (char *)arg, NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd_input(qa, NULL, NULL, input, TIMEOUT, &q), 0);
        for (int interp = 0; interp < 2; interp++) {
            char *va[] = { vmlab_abs, "run", "--no-core", interp ? "--interp" : prog,
                           interp ? prog : (char *)arg, interp ? (char *)arg : NULL, NULL };
            CU_ASSERT_EQUAL_FATAL(run_cmd_input(va, NULL, NULL, input, TIMEOUT, &v), 0);
            CHECK(v.status == q.status, "%s%s: status %d, qemu %d: %s", rel,
                  interp ? " --interp" : "", v.status, q.status, v.err);
            CHECK(v.outlen > 0 && v.outlen == q.outlen && !memcmp(v.out, q.out, v.outlen),
                  "%s%s: stdout differs from qemu-riscv32:\n%s\n--- qemu:\n%s", rel,
                  interp ? " --interp" : "", v.out, q.out);
            run_free(&v);
        }
        run_free(&q);
    }
}

static void test_libc_programs(void)
{
    if (!have_program("qemu-riscv32")) {
        CU_FAIL("qemu-riscv32 is not installed (make deps)");
        return;
    }
    libc_differential("libc_strings", NULL, NULL);
    libc_differential("libc_float", NULL, NULL);
    libc_differential("libc_files", tmpdir, NULL);
    libc_differential("libc_errors", NULL, NULL);
    libc_differential("libc_time", NULL, NULL);
    libc_differential("libc_stdin", NULL, "A title line\n4\n10 20\n30 -18\nsome text\nand more\n");
}

/* One write per call: a printf of one line (or of several, or a puts) on
 * line-buffered stdout is one write, one fprintf to stderr is one write;
 * and into a pipe, hello's whole output is one write at exit. */
static void test_one_write_per_line(void)
{
    struct run_result r;
    char *v[] = { vmlab_abs, "run", "--trace", "syscall", (char *)test_path("tests/guests/libc_lines"),
                  NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(v, NULL, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    static const char *const writes[] = {
        "[syscall] write(1, \"one line: 1 printf 1.5\\n\", 23) = 23\n",
        "[syscall] write(1, \"two lines\\nin one printf\\n\", 24) = 24\n",
        "[syscall] write(1, \"no newline yet: puts ends it\\n\", 29) = 29\n",
        "[syscall] write(1, \"fputs line\\n\", 11) = 11\n",
        "[syscall] write(2, \"stderr: one call 1\\n\", 19) = 19\n",
        "[syscall] write(2, \"stderr fputs\\n\", 13) = 13\n",
    };
    int n = 0;
    for (const char *p = r.err; (p = strstr(p, "[syscall] write(")); p++)
        n++;
    CHECK(n == 6, "libc_lines: %d writes, expected 6:\n%s", n, r.err);
    for (size_t i = 0; i < sizeof writes / sizeof *writes; i++)
        check_contains(r.err, writes[i], "libc_lines --trace syscall");
    run_free(&r);

    char *h[] = { vmlab_abs, "run", "--trace", "syscall", (char *)test_path("guests/hello"), "x",
                  NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(h, NULL, NULL, TIMEOUT, &r), 0);
    n = 0;
    for (const char *p = r.err; (p = strstr(p, "[syscall] write(1,")); p++)
        n++;
    CHECK(n == 1, "hello into a pipe: %d writes, expected 1 (at exit):\n%s", n, r.err);
    run_free(&r);
}

void libc_suite_add(void)
{
    CU_pSuite s = CU_add_suite("libc", suite_init, suite_clean);
    CU_add_test(s, "vmlab cc from any directory, both encodings", test_cc_any_directory);
    CU_add_test(s, "vmlab cc from an installed layout", test_cc_installed_layout);
    CU_add_test(s, "vmlab cc: its errors and gcc's", test_cc_errors);
    CU_add_test(s, "vmlab cc passes gcc options through", test_cc_pass_through);
    CU_add_test(s, "malloc strategies, block by block", test_malloc_strategies);
    CU_add_test(s, "C programs vs qemu-riscv32 (strings, float, files, errors, time, stdin)",
                test_libc_programs);
    CU_add_test(s, "one write per printf", test_one_write_per_line);
}
