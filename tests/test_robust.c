/* tests/test_robust.c — bad input and hostile conditions, end to end
 * through build/vmlab: paths that are not regular files, malformed
 * options, exact instruction limits, host time limits, and core files
 * written into full, unwritable or vanishing places.  Each case wants one
 * clear line on stderr, the documented exit status, and no hang (every
 * run has a time limit, so a hang fails instead of blocking the suite). */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <limits.h>
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

#define VMLAB(r, ...) RUN_VMLAB(r, TIMEOUT, __VA_ARGS__)

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

    /* Files vmlab writes whole (a temporary one renamed over the name): a
     * FIFO or a symlink there is refused, not replaced by a regular file,
     * and --save-refs does not wait on the FIFO. */
    char link[96], target[96];
    snprintf(link, sizeof link, "%s/link", dir);
    snprintf(target, sizeof target, "%s/target", dir);
    FILE *t = fopen(target, "w");
    CU_ASSERT_FATAL(t != NULL);
    fputs("keep\n", t);
    fclose(t);
    CU_ASSERT_FATAL(symlink("target", link) == 0);
    const char *const outs[] = { fifo, link };
    for (int i = 0; i < 2; i++) {
        char pat[110];
        snprintf(pat, sizeof pat, "%s", outs[i]);
        VMLAB(&r, "run", "--core-pattern", pat, test_path("guests/null_deref"));
        CU_ASSERT_EQUAL(r.status, 139);
        snprintf(line, sizeof line, "vmlab: warning: %s is not a regular file; core not dumped",
                 outs[i]);
        check_contains(r.err, line, "--core-pattern, not a regular file");
        run_free(&r);
        static const char *const opts[] = { "--plot", "--save-refs" };
        for (int k = 0; k < 2; k++) {
            VMLAB(&r, "paging", "--refs", "1,2,3,4,1,2,5", opts[k], outs[i]);
            CU_ASSERT_FALSE(r.timed_out);
            CHECK(r.status == 2, "paging %s %s: status %d", opts[k], outs[i], r.status);
            snprintf(line, sizeof line, "vmlab paging: %s %s: not a regular file", opts[k], outs[i]);
            check_contains(r.err, line, "paging output, not a regular file");
            run_free(&r);
        }
    }
    struct stat st;
    CU_ASSERT(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    CU_ASSERT(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    char back[16] = { 0 };
    t = fopen(target, "r");
    CU_ASSERT(t && fgets(back, sizeof back, t) && !strcmp(back, "keep\n"));
    if (t)
        fclose(t);
    rm_dir(dir);
}

/* ------------------------------------------------------------------------
 * Option messages. */

static void test_option_messages(void)
{
    struct run_result r;
    /* numbers: decimal (or 0x), no sign or blanks (strtoull took " -1" as
     * 2^64 - 1, and "010" as eight), byte units only after K, M or G */
    static const char *const bad_counts[] = { " -1", "+5", " 7", "1B", "1iB", "0x", "10 ", "1KK" };
    for (size_t i = 0; i < sizeof bad_counts / sizeof *bad_counts; i++) {
        VMLAB(&r, "run", "--max-insns", bad_counts[i], test_path("guests/hello"));
        CHECK(r.status == 2, "--max-insns '%s': status %d", bad_counts[i], r.status);
        check_contains(r.err, "expected a positive number", "--max-insns");
        run_free(&r);
    }
    /* the limit stops hello after exactly that many instructions */
    static const struct { const char *v, *n; } counts[] = {
        { "010", "10" }, { "10", "10" }, { "9", "9" }, { "0x9", "9" }, { "0xa", "10" },
    };
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        VMLAB(&r, "run", "--no-core", "--stats", "--max-insns", counts[i].v, test_path("guests/hello"));
        char want[64];
        snprintf(want, sizeof want, "instructions retired   %s\n", counts[i].n);
        CHECK(r.status == 152 && strstr(r.err, want), "--max-insns %s: status %d, stderr:\n%s",
              counts[i].v, r.status, r.err);
        run_free(&r);
    }
    VMLAB(&r, "run", "--mem", "64KiB", "--mem", "1MB", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 0);
    run_free(&r);
    VMLAB(&r, "run", "--mem", "65536B", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 2);
    run_free(&r);
    /* no command at all: the commands, and where the options are, not all
     * 106 lines of --help (which stays whole on stdout) */
    VMLAB(&r, "--help");
    size_t help_lines = 0;
    for (const char *c = r.out; *c; c++)
        help_lines += *c == '\n';
    CHECK(r.status == 0 && help_lines > 60, "--help: status %d, %zu lines", r.status, help_lines);
    run_free(&r);
    /* `vmlab help run` is --help; a word that names no command is an error
     * (it was ignored) */
    VMLAB(&r, "help", "run");
    CHECK(r.status == 0 && strstr(r.out, "Usage: vmlab run"), "help run: status %d", r.status);
    run_free(&r);
    VMLAB(&r, "--help", "extra");
    CHECK(r.status == 2 && !*r.out && strstr(r.err, "not 'extra'") &&
          strchr(r.err, '\n') && !strchr(r.err, '\n')[1],
          "--help extra: status %d, stderr %s", r.status, r.err);
    run_free(&r);
    {
        char *argv[] = { (char *)test_path("vmlab"), NULL };
        CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, 30, &r), 0);
        size_t lines = 0;
        for (const char *c = r.err; *c; c++)
            lines += *c == '\n';
        CHECK(r.status == 2 && lines < 20 && strstr(r.err, "Usage: vmlab run") &&
              strstr(r.err, "vmlab --help\n") && !*r.out,
              "vmlab alone: status %d, %zu lines:\n%s", r.status, lines, r.err);
        run_free(&r);
    }
    /* a procfs file says its size is 0: it is read to its end, and found
     * not to be a program (it was called an empty file) */
    VMLAB(&r, "run", "/proc/self/maps");
    CHECK(r.status == 126 && strstr(r.err, "not an ELF file"), "run /proc/self/maps: %d, %s",
          r.status, r.err);
    run_free(&r);
    VMLAB(&r, "inspect", "/proc/self/status");
    CHECK(r.status != 0 && strstr(r.err, "not an ELF file"), "inspect /proc/self/status: %d, %s",
          r.status, r.err);
    run_free(&r);
    /* a short option inside a cluster is named, not the word before it */
    VMLAB(&r, "run", "-xyz", test_path("guests/hello"));
    CU_ASSERT_EQUAL(r.status, 2);
    expect_one_line(&r, "vmlab run: unknown option '-x' (see vmlab --help)", "run -xyz");
    run_free(&r);
    /* a bad --refs is a bad option value, like a bad --frames: status 2 */
    static const char *const bad_refs[] = { "abc", "", "-1", "1,,x" };
    for (size_t i = 0; i < sizeof bad_refs / sizeof *bad_refs; i++) {
        VMLAB(&r, "paging", "--refs", bad_refs[i]);
        CHECK(r.status == 2 && r.errlen > 0 && strchr(r.err, '\n') == r.err + r.errlen - 1,
              "paging --refs '%s': status %d, stderr \"%s\"", bad_refs[i], r.status, r.err);
        run_free(&r);
    }
    /* --trace '' is refused like --trace bogus */
    static const char *const bad_traces[] = { "", ",", "syscall,", ",fault", "syscall,,page", "bogus" };
    for (size_t i = 0; i < sizeof bad_traces / sizeof *bad_traces; i++) {
        VMLAB(&r, "run", "--trace", bad_traces[i], test_path("guests/hello"));
        CHECK(r.status == 2, "--trace '%s': status %d", bad_traces[i], r.status);
        check_contains(r.err, "expected a list of syscall,fault,page,signal,sched or all", "--trace");
        CU_ASSERT_EQUAL(r.outlen, 0);                 /* the program never ran */
        run_free(&r);
    }
    VMLAB(&r, "run", "--trace", "", test_path("guests/hello"));
    expect_one_line(&r, "vmlab: --trace '': expected a list of syscall,fault,page,signal,sched or all",
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
            CHECK(run_retired(&r) == strtoull(limits[i], NULL, 10),
                  "--max-insns %s%s: %llu instructions retired", limits[i],
                  interp ? " --interp" : "", run_retired(&r));
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
        CHECK(r.status == 128 + 24 && run_retired(&r) == 20, "%s --max-insns 20: status %d, %llu "
              "instructions retired", how, r.status, run_retired(&r));
        run_free(&r);
        VMLAB(&r, "run", "--stats", how, prog);
        CHECK(r.status == 7 && run_retired(&r) == 102, "%s: status %d, %llu retired", how, r.status,
              run_retired(&r));
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

/* ------------------------------------------------------------------------
 * --timeout: host time, both engines, also while the guest waits in read. */

static void test_timeout(void)
{
    char dir[64], spin[96], reader[96], line[160];
    make_dir(dir, sizeof dir, "timeout");
    snprintf(spin, sizeof spin, "%s/spin", dir);
    snprintf(reader, sizeof reader, "%s/reader", dir);
    static const uint32_t spin_code[] = { JAL(ZERO, 0) };                /* j . */
    struct rvelf e = { .code = (const uint8_t *)spin_code, .code_len = sizeof spin_code };
    CU_ASSERT_FATAL(rvelf_write(spin, &e) == 0);
    /* read(0, buf, 16) on a pipe nobody writes to, then exit(0) */
    static const uint32_t read_code[] = {
        ADDI(A0, ZERO, 0), LUI(A1, 0x100), ADDI(A2, ZERO, 16), ADDI(A7, ZERO, 63), ECALL,
        ADDI(A0, ZERO, 0), ADDI(A7, ZERO, 93), ECALL,
    };
    struct rvelf e2 = { .code = (const uint8_t *)read_code, .code_len = sizeof read_code,
                        .data_va = 0x00100000, .bss_len = 4096 };
    CU_ASSERT_FATAL(rvelf_write(reader, &e2) == 0);
    struct run_result r;
    for (int interp = 0; interp < 2; interp++) {
        const char *how = interp ? "--interp" : "--no-core";
        VMLAB(&r, "run", "--no-core", how, "--timeout", "0.3", spin);
        CHECK(r.status == 128 + 24 && !r.timed_out, "%s --timeout: status %d", how, r.status);
        snprintf(line, sizeof line, "vmlab: spin: time limit (--timeout) reached\n"
                 "CPU time limit exceeded (core not dumped)\n");
        CHECK(!strcmp(r.err, line), "%s --timeout: stderr \"%s\"", how, r.err);
        run_free(&r);
    }
    /* blocked in read on a FIFO that has a writer (the shell's fd 3) but
     * never data: the host's timer interrupts the read */
    char fifo[96];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
    char *argv[] = { "sh", "-c", "exec 3<>\"$2\"; exec \"$0\" run --no-core --timeout 0.5 \"$1\" <\"$2\"",
                     (char *)test_path("vmlab"), reader, fifo, NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, 10, &r), 0);
    CHECK(r.status == 128 + 24 && !r.timed_out, "blocked read: status %d%s", r.status,
          r.timed_out ? " (hung)" : "");
    run_free(&r);
    /* asleep for 30 s with --real-sleep: the same */
    char sleeper[96];
    snprintf(sleeper, sizeof sleeper, "%s/sleeper", dir);
    static const uint32_t sleep_code[] = {
        ADDI(A0, ZERO, 1), ADDI(A1, ZERO, 0), LUI(A2, 0x100), ADDI(A3, ZERO, 0),
        ADDI(A7, ZERO, 407), ECALL,                  /* clock_nanosleep_time64(MONOTONIC) */
        ADDI(A0, ZERO, 0), ADDI(A7, ZERO, 93), ECALL,
    };
    static const uint32_t thirty_s[4] = { 30, 0, 0, 0 };
    struct rvelf e3 = { .code = (const uint8_t *)sleep_code, .code_len = sizeof sleep_code,
                        .data_va = 0x00100000, .data = (const uint8_t *)thirty_s,
                        .data_len = sizeof thirty_s };
    CU_ASSERT_FATAL(rvelf_write(sleeper, &e3) == 0);
    VMLAB(&r, "run", "--no-core", "--real-sleep", "--timeout", "0.5", sleeper);
    CHECK(r.status == 128 + 24 && !r.timed_out, "--real-sleep sleeper: status %d", r.status);
    run_free(&r);
    /* bad values */
    static const char *const bad[] = { "0", "-1", "", "abc", "2s", "1e9" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        VMLAB(&r, "run", "--timeout", bad[i], spin);
        CHECK(r.status == 2 && strstr(r.err, "--timeout"), "--timeout '%s': status %d",
              bad[i], r.status);
        run_free(&r);
    }
    rm_dir(dir);
}

/* ------------------------------------------------------------------------
 * --host-mem: a guest running through more code pages than the cap holds
 * decoded (or translated) gets the same result, within the cap. */

#define CODE_PAGES 200

static void test_host_mem_cap(void)
{
    /* CODE_PAGES pages of addi a0,a0,1, twice over, then exit(a0 != expected) */
    size_t n = (size_t)CODE_PAGES * 1024 + 16, k = 0;
    uint32_t *code = malloc(n * 4);
    CU_ASSERT_FATAL(code != NULL);
    code[k++] = ADDI(S0, ZERO, 2);
    uint32_t top = RVELF_CODE_VA + 4 * (uint32_t)k;
    for (int i = 0; i < CODE_PAGES * 1024; i++)
        code[k++] = ADDI(A0, A0, 1);
    code[k++] = ADDI(S0, S0, -1);
    code[k++] = BEQ(S0, ZERO, 12);                        /* done: over the jump back */
    uint32_t at = RVELF_CODE_VA + 4 * (uint32_t)k, back = top - at;
    code[k++] = AUIPC(T0, (back + 0x800) >> 12);
    code[k++] = JALR(ZERO, (int32_t)(back << 20) >> 20, T0);
    uint32_t want = 2u * CODE_PAGES * 1024;
    code[k++] = LUI(T1, (want + 0x800) >> 12);
    code[k++] = ADDI(T1, T1, (int32_t)(want << 20) >> 20);
    code[k++] = SUB(A0, A0, T1);
    code[k++] = SLTU(A0, ZERO, A0);
    code[k++] = ADDI(A7, ZERO, 93);
    code[k++] = ECALL;
    char dir[64], prog[96];
    make_dir(dir, sizeof dir, "hostmem");
    snprintf(prog, sizeof prog, "%s/pages", dir);
    struct rvelf e = { .code = (const uint8_t *)code, .code_len = k * 4 };
    CU_ASSERT_FATAL(rvelf_write(prog, &e) == 0);
    free(code);
    struct run_result r;
    /* 4M: no room for the translator, 128 decoded pages; 34M: the
     * translator's buffer and 128 tables; default: no cap hit */
    static const char *const caps[] = { "4M", "34M", "256M" };
    for (size_t i = 0; i < 3; i++) {
        VMLAB(&r, "run", "--stats", "--host-mem", caps[i], prog);
        CHECK(r.status == 0, "--host-mem %s: status %d: %s", caps[i], r.status, r.err);
        const char *m = strstr(r.err, "vmlab's own memory     peak ");
        unsigned long long peak = 0, cap = 0, refused = 0;
        CHECK(m && sscanf(m, "vmlab's own memory     peak %llu KiB of a %llu MiB cap "
                          "(--host-mem; %llu refused", &peak, &cap, &refused) == 3,
              "--host-mem %s: no stats line", caps[i]);
        CHECK(peak <= cap * 1024, "--host-mem %s: peak %llu KiB over the cap", caps[i], peak);
        CHECK(i == 2 ? refused == 0 : refused > 0, "--host-mem %s: %llu refused", caps[i],
              refused);
        run_free(&r);
    }
    /* the swap maps are charged too: 16 GiB of swap keeps 16.6 MiB of them */
    VMLAB(&r, "run", "--host-mem", "8M", "--swap", "16G", prog);
    CU_ASSERT_EQUAL(r.status, 126);
    CHECK(r.err && strstr(r.err, "--swap 16384 MiB needs 16960 KiB of swap bookkeeping, more "
                          "than --host-mem leaves"), "--swap 16G under 8M: %s", r.err);
    run_free(&r);
    VMLAB(&r, "run", "--host-mem", "64M", "--swap", "16G", prog);
    CHECK(r.status == 0, "--swap 16G under 64M: status %d: %s", r.status, r.err);
    run_free(&r);
    VMLAB(&r, "run", "--host-mem", "100K", prog);
    CU_ASSERT_EQUAL(r.status, 2);
    expect_one_line(&r, "vmlab: --host-mem 100K: give a size between 1M and 64G, e.g. 256M",
                    "--host-mem 100K");
    run_free(&r);
    rm_dir(dir);
}

/* ------------------------------------------------------------------------
 * Core files written where they cannot be: a clear warning, the status of
 * the death (139), "(core not dumped)", no partial file left, and the file
 * already at the core's name kept as it was. */

/* Run `script` with sh, $0 = vmlab, $1 = dir, $2 = null_deref. */
static void sh_run(struct run_result *r, const char *script, const char *dir)
{
    char vm[PATH_MAX], guest[PATH_MAX];
    CU_ASSERT_FATAL(realpath(test_path("vmlab"), vm) && realpath(test_path("guests/null_deref"), guest));
    char *argv[] = { "sh", "-c", (char *)script, vm, (char *)dir, guest, NULL };
    CU_ASSERT_FATAL(run_cmd(argv, NULL, NULL, TIMEOUT, r) == 0);
}

/* The death, the warning naming `why`, and the directory listing the
 * script printed: only "core" (the old one, still saying "keep"). */
static void expect_no_core(const struct run_result *r, const char *why, const char *what)
{
    CHECK(r->status == 139, "%s: status %d", what, r->status);
    check_contains(r->err, "vmlab: warning: cannot write core file", what);
    check_contains(r->err, why, what);
    check_contains(r->err, "Segmentation fault (core not dumped)", what);
    CHECK(!strstr(r->err, "core written"), "%s: says a core was written", what);
    check_contains(r->out, "[. .. core ]keep\n", what);
}

/* After the run: "[" the directory's names "]" the old core's text; no
 * single quotes, so it also goes inside an sh -c '...' */
#define LIST_AND_KEEP "st=$?; printf \"[\"; ls -a \"$1\" | tr \"\\n\" \" \"; printf \"]\"; " \
                      "cat \"$1/core\"; exit $st"

static bool can_mount(void)
{
    return geteuid() == 0 && system("unshare -m true 2>/dev/null") == 0;
}

static void test_core_full_fs(void)
{
    char dir[64];
    make_dir(dir, sizeof dir, "fullfs");
    struct run_result r;
    /* RLIMIT_FSIZE (ulimit -f, 512-byte blocks): the core does not fit */
    sh_run(&r, "echo keep > \"$1/core\"; ulimit -f 40; \"$0\" run --core-pattern \"$1/core\" "
           "\"$2\" >/dev/null; " LIST_AND_KEEP, dir);
    expect_no_core(&r, "the file size limit (ulimit -f) is too small", "ulimit -f 40");
    run_free(&r);
    /* a file system with 32 KiB of room */
    if (can_mount()) {
        sh_run(&r, "exec unshare -m sh -c 'mount -t tmpfs -o size=32k none \"$1\" || exit 99; "
               "echo keep > \"$1/core\"; \"$0\" run --core-pattern \"$1/core\" \"$2\" "
               ">/dev/null; " LIST_AND_KEEP "' \"$0\" \"$1\" \"$2\"", dir);
        expect_no_core(&r, "No space left on device", "a full tmpfs");
        run_free(&r);
    } else {
        printf("\n  [no tiny tmpfs: unshare -m needs root; RLIMIT_FSIZE only] ");
    }
    rm_dir(dir);
}

static void test_core_unwritable_dir(void)
{
    char dir[64];
    make_dir(dir, sizeof dir, "rodir");
    struct run_result r;
    if (can_mount()) {
        /* read-only even for root */
        sh_run(&r, "exec unshare -m sh -c 'echo keep > \"$1/core\"; "
               "mount --bind -o ro \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit 99; "
               "\"$0\" run --core-pattern \"$1/core\" \"$2\" >/dev/null; " LIST_AND_KEEP "' "
               "\"$0\" \"$1\" \"$2\"", dir);
        expect_no_core(&r, "Read-only file system", "a read-only directory");
    } else {
        sh_run(&r, "echo keep > \"$1/core\"; chmod 555 \"$1\"; \"$0\" run --core-pattern "
               "\"$1/core\" \"$2\" >/dev/null; " LIST_AND_KEEP, dir);
        expect_no_core(&r, "Permission denied", "an unwritable directory");
    }
    run_free(&r);
    /* a directory that does not exist */
    VMLAB(&r, "run", "--core-pattern", "/nonexistent-vmlab-dir/core", test_path("guests/null_deref"));
    CU_ASSERT_EQUAL(r.status, 139);
    check_contains(r.err, "cannot write core file /nonexistent-vmlab-dir/core: No such file or "
                   "directory; core not dumped", "no directory");
    run_free(&r);
    rm_dir(dir);
}

/* The program file removed and a mapped data file truncated while the
 * program runs: vmlab holds what it read (the mapping keeps the file's
 * bytes from mmap time), the crash still writes a whole core, and inspect
 * explains it without the program file. */
static void test_files_vanish(void)
{
    char dir[64], prog[96], data[96], fifo[96], core[96];
    make_dir(dir, sizeof dir, "vanish");
    snprintf(prog, sizeof prog, "%s/prog", dir);
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(core, sizeof core, "%s/core", dir);
    /* open "data", mmap it, create "ready", read(0) one byte (the FIFO), write
     * the mapping's first 16 bytes, then store to address 4 */
    static const uint32_t code[] = {
        ADDI(A0, ZERO, -100), LUI(A1, 0x100), ADDI(A2, ZERO, 0), ADDI(A7, ZERO, 56), ECALL,
        ADDI(S1, A0, 0),                                                    /* fd */
        ADDI(A0, ZERO, 0), LUI(A1, 1), ADDI(A2, ZERO, 1), ADDI(A3, ZERO, 2), ADDI(A4, S1, 0),
        ADDI(A5, ZERO, 0), ADDI(A7, ZERO, 222), ECALL,
        ADDI(S2, A0, 0),                                                    /* the map */
        ADDI(A0, ZERO, -100), LUI(A1, 0x100), ADDI(A1, A1, 8), ADDI(A2, ZERO, 0x41),
        ADDI(A3, ZERO, 0x1a4), ADDI(A7, ZERO, 56), ECALL,                   /* O_CREAT|O_WRONLY */
        ADDI(A0, ZERO, 0), LUI(A1, 0x100), ADDI(A1, A1, 64), ADDI(A2, ZERO, 1),
        ADDI(A7, ZERO, 63), ECALL,                                          /* read(0) */
        ADDI(A0, ZERO, 1), ADDI(A1, S2, 0), ADDI(A2, ZERO, 16), ADDI(A7, ZERO, 64), ECALL,
        SW(A0, 4, ZERO),
    };
    static const char names[] = "data\0\0\0\0ready";
    struct rvelf e = { .code = (const uint8_t *)code, .code_len = sizeof code,
                       .data_va = 0x00100000, .data = (const uint8_t *)names,
                       .data_len = sizeof names, .bss_len = 4096 };
    CU_ASSERT_FATAL(rvelf_write(prog, &e) == 0);
    FILE *f = fopen(data, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("0123456789abcdef and more", f);
    fclose(f);
    CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
    struct run_result r;
    char vm[PATH_MAX];
    CU_ASSERT_FATAL(realpath(test_path("vmlab"), vm) != NULL);
    char *argv[] = { "sh", "-c",
        "cd \"$1\" || exit 99; exec 3<>fifo; \"$0\" run --core-pattern core ./prog <fifo & "
        "n=0; while [ ! -e ready ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done; "
        "rm prog; : > data; echo x >&3; wait $!",
        vm, dir, NULL };
    CU_ASSERT_FATAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r) == 0);
    CHECK(r.status == 139, "status %d: %s", r.status, r.err);
    CHECK(r.outlen == 16 && !memcmp(r.out, "0123456789abcdef", 16),
          "the mapping read back \"%s\"", r.out);
    check_contains(r.err, "Segmentation fault (core dumped)", "files vanish");
    run_free(&r);
    VMLAB(&r, "inspect", core);
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "SEGV_MAPERR", "inspect after the program went");
    check_contains(r.out, "the program file was not found", "inspect after the program went");
    run_free(&r);
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
    CU_add_test(s, "--timeout: running, and waiting in read", test_timeout);
    CU_add_test(s, "--host-mem: more code than the cap holds", test_host_mem_cap);
    CU_add_test(s, "core files on a full file system", test_core_full_fs);
    CU_add_test(s, "core files into an unwritable directory", test_core_unwritable_dir);
    CU_add_test(s, "program and mapped file removed or truncated while in use", test_files_vanish);
}
