/* tests/test_swap.c — paging under memory pressure, end to end: every
 * guest prints the same with a small --mem as with the defaults, under
 * every replacement policy and both engines (nothing is lost on the way
 * to swap and back); the live policies on known access patterns; the OOM
 * killer; swap files that fail; cores of swapped-out memory. */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/policy.h"
#include "kernel/proc.h"
#include "kernel/pte.h"
#include "kernel/vm.h"
#include "tests/run.h"
#include "tests/suites.h"

#define TIMEOUT 120

/* Guests and their arguments: small enough to run dozens of times, big
 * enough that 128 KiB of memory (32 frames) makes them swap. */
struct guest {
    const char *argv[4];
    const char *mem;              /* NULL: 128K */
    bool        one_policy;       /* only clock (both engines): a long run */
};
static const struct guest guests[] = {
    { .argv = { "hello", "arg1", "two words" } }, { .argv = { "layout" } }, { .argv = { "stack_vs_heap" } },
    { .argv = { "callstack" } }, { .argv = { "alloc" } }, { .argv = { "matrix" } }, { .argv = { "isa_alu" } },
    { .argv = { "isa_muldiv" } }, { .argv = { "isa_atomic" } }, { .argv = { "isa_misaligned" } },
    { .argv = { "isa_compressed" } }, { .argv = { "isa_csr" } }, { .argv = { "mem_syscalls" } }, { .argv = { "null_deref" } },
    { .argv = { "write_text" } }, { .argv = { "exec_stack" } }, { .argv = { "stack_overflow" } },
    { .argv = { "stack_overflow_caught" } }, { .argv = { "use_after_munmap" } }, { .argv = { "gc_barrier" } },
    { .argv = { "skip_fault" } }, { .argv = { "abort" } }, { .argv = { "sigill" } }, { .argv = { "thrash", "64" } },
    { .argv = { "swap_roundtrip", "256" } }, { .argv = { "working_set" } }, { .argv = { "oom", "4" } },
    { .argv = { "bench_fault", "2000" } }, { .argv = { "belady" } }, { .argv = { "known_refs" } },
    { .argv = { "debugme" } }, { .argv = { "swapped_core" } }, { .argv = { "thread_stacks" } },
    { .argv = { "deadlock" } },
    /* threads and allocators: a second or so each at 32 frames */
    { .argv = { "race" }, .one_policy = true }, { .argv = { "alloc_strategies" }, .one_policy = true },
    /* MOPS 0: no random phase, which at 32 frames is a page fault per
     * operation (a million of them); the writes and the hash still cross
     * 2 MiB */
    { .argv = { "bench_mem", "1", "0", "1" } },
    /* 1.5 G instructions; at 1M still 130 k pages read back from swap */
    { .argv = { "bench_cpu" }, .mem = "1M", .one_policy = true },
    /* its 1 GiB of heap needs 1 MiB of page tables, which never leave memory */
    { .argv = { "heap_oom" }, .mem = "4M", .one_policy = true },
};

static int vmlab_run(struct run_result *r, const char *const *opts, const char *const *guest)
{
    char *argv[24];
    int n = 0;
    argv[n++] = (char *)test_path("vmlab");
    argv[n++] = "run";
    argv[n++] = "--no-core";
    for (; opts && *opts; opts++)
        argv[n++] = (char *)*opts;
    char path[256];
    snprintf(path, sizeof path, "%s", test_path("guests/"));
    strncat(path, guest[0], sizeof path - strlen(path) - 1);
    argv[n++] = path;
    for (int i = 1; i < 4 && guest[i]; i++)
        argv[n++] = (char *)guest[i];
    argv[n] = NULL;
    return run_cmd(argv, NULL, NULL, TIMEOUT, r);
}

static unsigned long long stat_of(const char *err, const char *label)
{
    const char *p = strstr(err, label);
    return p ? strtoull(p + strlen(label), NULL, 10) : 0;
}

static void test_nothing_lost(void)
{
    unsigned long long swapped = 0;
    for (size_t g = 0; g < sizeof guests / sizeof *guests; g++) {
        const struct guest *G = &guests[g];
        struct run_result ref;
        CU_ASSERT_EQUAL_FATAL(vmlab_run(&ref, NULL, G->argv), 0);
        for (int k = 0; k < POLICY_COUNT; k++) {
            if (G->one_policy && k != POLICY_CLOCK)
                continue;
            for (int interp = 0; interp < 2; interp++) {
                const char *opts[] = { "--mem", G->mem ? G->mem : "128K", "--swap", "64M",
                                       "--stats", "--policy", policy_name((enum policy_kind)k),
                                       interp ? "--interp" : NULL, NULL };
                struct run_result r;
                CU_ASSERT_EQUAL_FATAL(vmlab_run(&r, opts, G->argv), 0);
                bool same = r.status == ref.status && r.outlen == ref.outlen &&
                            memcmp(r.out, ref.out, r.outlen) == 0;
                CHECK(same, "%s under --mem 128K --policy %s%s: status %d (defaults: %d), "
                      "stdout %s", G->argv[0], policy_name((enum policy_kind)k),
                      interp ? " --interp" : "", r.status, ref.status,
                      same ? "same" : "differs");
                if (!same)
                    fprintf(stderr, "\n--- 128K:\n%s\n--- defaults:\n%s\n--- stderr:\n%s\n",
                            r.out, ref.out, r.err);
                swapped += stat_of(r.err, "(major: ");
                run_free(&r);
            }
        }
        run_free(&ref);
    }
    /* the runs did swap: pages came back from swap by the thousand */
    CHECK(swapped > 10000, "%llu pages read back from swap in all", swapped);
}

/* rmw_pages (tests/guests): x[i] += y[j], the translator's group of x[i]'s
 * load and store taking in y[j]'s load.  At 16 or 32 frames y[j]'s page-in
 * often evicts x[i]'s page: had the store then gone through the group's
 * host address, x's update would be lost (or land in the frame's next
 * page), and the hashes would differ from the defaults'.  (Checked: with
 * the slow path going back into the group's fast copy, clock, nru and
 * aging runs here print another x; fifo and random happen to find the
 * evicted frame still holding x's page in the swap cache.) */
static void test_group_page_evicted(void)
{
    char *ref_argv[] = { (char *)test_path("vmlab"), "run", (char *)test_path("tests/guests/rmw_pages"),
                         NULL };
    struct run_result ref;
    CU_ASSERT_EQUAL_FATAL(run_cmd(ref_argv, NULL, NULL, TIMEOUT, &ref), 0);
    CU_ASSERT_EQUAL(ref.status, 0);
    CHECK(strstr(ref.out, "rmw_pages: 20000 operations, x 0x") != NULL, "rmw_pages printed %s", ref.out);
    static const char *const mems[] = { "64K", "128K" };
    for (int k = 0; k < POLICY_COUNT; k++)
        for (int m = 0; m < 2; m++)
            for (int interp = 0; interp < 2; interp++) {
                char *argv[] = { (char *)test_path("vmlab"), "run", "--mem", (char *)mems[m], "--stats",
                                 "--policy", (char *)policy_name((enum policy_kind)k),
                                 interp ? "--interp" : (char *)test_path("tests/guests/rmw_pages"),
                                 interp ? (char *)test_path("tests/guests/rmw_pages") : NULL, NULL };
                struct run_result r;
                CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r), 0);
                bool same = r.status == 0 && r.outlen == ref.outlen &&
                            memcmp(r.out, ref.out, r.outlen) == 0;
                CHECK(same, "rmw_pages at --mem %s --policy %s%s: status %d, stdout %s (defaults: %s)",
                      mems[m], policy_name((enum policy_kind)k), interp ? " --interp" : "", r.status,
                      r.out, ref.out);
                unsigned long long major = stat_of(r.err, "(major: ");
                CHECK(major > 5000, "rmw_pages --mem %s --policy %s: %llu pages read back from swap",
                      mems[m], policy_name((enum policy_kind)k), major);
                run_free(&r);
            }
    run_free(&ref);
}

/* --- swap files that fail ------------------------------------------------- */

/* A fresh empty directory for a swap file; "" when none could be made. */
static void temp_dir(char *dir, size_t len)
{
    snprintf(dir, len, "/tmp/vmlab-swaptest.XXXXXX");
    if (!mkdtemp(dir))
        dir[0] = 0;
}

/* The number of entries in dir (other than . and ..), or -1. */
static int dir_entries(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", dir);
    FILE *f = popen(cmd, "r");
    int n = -1;
    if (f) {
        if (fscanf(f, "%d", &n) != 1)
            n = -1;
        pclose(f);
    }
    return n;
}

static void remove_dir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

static void check_contains(const char *hay, const char *needle, const char *what)
{
    CHECK(strstr(hay, needle) != NULL, "%s: expected \"%s\"", what, needle);
    if (!strstr(hay, needle))
        fprintf(stderr, "\n%s: in:\n%s\n", what, hay);
}

/* A swap file vmlab may not create: one clear line, status 126, no run. */
static void test_swap_file_unusable(void)
{
    struct run_result r;
    const char *guest[] = { "hello", NULL };
    const char *bad[] = { "--swap-file", "/proc/vmlab-cannot-be-here/swap", NULL };
    CU_ASSERT_EQUAL_FATAL(vmlab_run(&r, bad, guest), 0);
    CU_ASSERT_EQUAL(r.status, 126);
    check_contains(r.err, "cannot create swap file /proc/vmlab-cannot-be-here/swap: ",
                   "unwritable --swap-file");
    CU_ASSERT_EQUAL(r.outlen, 0);
    run_free(&r);

    /* an existing file is never overwritten */
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    CU_ASSERT_FATAL(dir[0] != 0);
    snprintf(path, sizeof path, "%s/precious", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    fputs("keep me\n", f);
    fclose(f);
    const char *exists[] = { "--swap-file", path, NULL };
    CU_ASSERT_EQUAL_FATAL(vmlab_run(&r, exists, guest), 0);
    CU_ASSERT_EQUAL(r.status, 126);
    check_contains(r.err, "already exists; vmlab will not overwrite it", "existing --swap-file");
    run_free(&r);
    char buf[32] = "";
    f = fopen(path, "r");
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_PTR_NOT_NULL(fgets(buf, sizeof buf, f));
    fclose(f);
    CU_ASSERT_STRING_EQUAL(buf, "keep me\n");

    /* a new name: made, used, removed at exit */
    snprintf(path, sizeof path, "%s/swapfile", dir);
    const char *fresh[] = { "--swap-file", path, "--mem", "128K", "--stats", NULL };
    const char *rt[] = { "swap_roundtrip", "256", NULL };
    CU_ASSERT_EQUAL_FATAL(vmlab_run(&r, fresh, rt), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "every byte is as it was written", "--swap-file NEW");
    CU_ASSERT(stat_of(r.err, "(major: ") > 100);
    CU_ASSERT_EQUAL(access(path, F_OK), -1);          /* removed */
    run_free(&r);
    /* a directory: an unlinked file in it, nothing left behind */
    const char *indir[] = { "--swap-file", dir, "--mem", "128K", NULL };
    CU_ASSERT_EQUAL_FATAL(vmlab_run(&r, indir, rt), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT_EQUAL(dir_entries(dir), 1);             /* only "precious" */
    run_free(&r);
    remove_dir(dir);
}

/* A full file system (RLIMIT_FSIZE): writes fail with EFBIG, the pages stay
 * in memory, clean pages still leave, and when nothing more can go the OOM
 * killer ends the run; nothing is corrupted and nothing is left behind. */
static void test_swap_file_full(void)
{
    char dir[64], cmd[1024];
    temp_dir(dir, sizeof dir);
    CU_ASSERT_FATAL(dir[0] != 0);
    /* 64 blocks of 512 bytes: room for 7 pages after slot 0 */
    snprintf(cmd, sizeof cmd, "ulimit -f 64; exec %s run --no-core --mem 128K --swap-file %s "
             "%s 512", test_path("vmlab"), dir, test_path("guests/swap_roundtrip"));
    char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 128 + 9);
    check_contains(r.err, "vmlab: warning: writing to the swap file failed (File too large)",
                   "swap on a full file system");
    check_contains(r.err, "vmlab: Out of memory: Killed process ", "swap on a full file system");
    CU_ASSERT(strstr(r.out, "differ") == NULL);
    CU_ASSERT_EQUAL(dir_entries(dir), 0);
    run_free(&r);
    remove_dir(dir);
}

/* The swap file cut short behind vmlab's back while pages are in it: the
 * next swap-in cannot read its page, and the process dies of SIGBUS with
 * one line saying why — never a page of wrong data. */
static void test_swap_file_truncated(void)
{
    char dir[64], path[128];
    temp_dir(dir, sizeof dir);
    CU_ASSERT_FATAL(dir[0] != 0);
    snprintf(path, sizeof path, "%s/swap", dir);
    char *argv[] = { (char *)test_path("vmlab"), "run", "--no-core", "--mem", "128K",
                     "--swap-file", path, (char *)test_path("guests/swap_roundtrip"), "256",
                     "wait", NULL };
    struct run_proc rp;
    CU_ASSERT_EQUAL_FATAL(run_start(argv, NULL, NULL, true, &rp), 0);
    CU_ASSERT_EQUAL(run_wait_for(&rp, "waiting", TIMEOUT), 0);
    CU_ASSERT_EQUAL(truncate(path, 0), 0);
    /* the guest may already be dead: its next swap-in (say, of the stack
     * page its read(0) buffer is on) came after the cut */
    if (write(rp.in, "\n", 1) != 1)
        CU_ASSERT_EQUAL(errno, EPIPE);
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(run_finish(&rp, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 128 + 7);               /* SIGBUS */
    const char *ebuf = r.err, *buf = r.out;
    check_contains(ebuf, "back from swap slot ", "truncated swap file");
    /* a short read, or a hole where the file grew again: both are caught */
    CHECK(strstr(ebuf, "the swap file is shorter than it was (truncated?)") ||
          strstr(ebuf, "the swap file was changed or truncated behind vmlab's back"),
          "truncated swap file: the reason");
    check_contains(ebuf, "Bus error", "truncated swap file");
    CU_ASSERT(strstr(buf, "every byte") == NULL && strstr(buf, "differ") == NULL);
    CU_ASSERT_EQUAL(access(path, F_OK), -1);          /* removed all the same */
    run_free(&r);
    remove_dir(dir);
}

/* A core written while most of the data is on swap holds the real bytes:
 * gdb-multiarch reads them back from the core. */
static void test_core_of_swapped_memory(void)
{
    char dir[64], pattern[128], core[128];
    temp_dir(dir, sizeof dir);
    CU_ASSERT_FATAL(dir[0] != 0);
    snprintf(pattern, sizeof pattern, "%s/core.%%e", dir);
    snprintf(core, sizeof core, "%s/core.swapped_core", dir);
    char *run[] = { (char *)test_path("vmlab"), "run", "--mem", "128K", "--maps",
                    "--core-pattern", pattern, (char *)test_path("guests/swapped_core"), NULL };
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(run_cmd(run, NULL, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 128 + 11);
    const char *bss = strstr(r.err, " bss ");
    unsigned on_swap = 0;
    const char *paren = bss ? strstr(bss, "pages in memory (") : NULL;
    if (paren)
        on_swap = (unsigned)strtoul(paren + strlen("pages in memory ("), NULL, 10);
    CHECK(on_swap > 200, "bss pages on swap at the crash: %u", on_swap);
    run_free(&r);
    if (!have_program("gdb-multiarch")) {
        CU_FAIL("gdb-multiarch is not installed (make deps)");
        remove_dir(dir);
        return;
    }
    char *gdb[] = { "gdb-multiarch", "-nx", "-batch", (char *)test_path("guests/swapped_core"), core,
                    "-ex", "print/x table[0][0]", "-ex", "print/x table[100][7]",
                    "-ex", "print/x table[255][1023]", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(gdb, NULL, NULL, TIMEOUT, &r), 0);
    check_contains(r.out, "$1 = 0x5eed0000", "gdb on a core of swapped memory");
    check_contains(r.out, "$2 = 0x5eeb4007", "gdb on a core of swapped memory");
    check_contains(r.out, "$3 = 0x5ee2f3ff", "gdb on a core of swapped memory");
    run_free(&r);

    /* vmlab inspect: the map counts the pages on swap (the VMLAB note keeps
     * every page's state) */
    char *insp[] = { (char *)test_path("vmlab"), "inspect", "--json", core, NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(insp, NULL, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    check_contains(r.out, "\"version\": 2", "inspect --json of swapped memory");
    const char *b = strstr(r.out, "\"name\": \"bss\"");
    const char *sw = b ? strstr(b, "\"swapped_pages\": ") : NULL;
    CHECK(sw && strtoul(sw + strlen("\"swapped_pages\": "), NULL, 10) == on_swap,
          "inspect --json: bss swapped_pages, --maps said %u", on_swap);
    run_free(&r);

    /* a store into a read-only page that is on swap: the walk ends at the
     * swap entry, and the bytes around the fault come from swap */
    char *prot[] = { (char *)test_path("vmlab"), "run", "--mem", "128K", "--core-pattern", pattern,
                     (char *)test_path("guests/swapped_core"), "protect", NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(prot, NULL, NULL, TIMEOUT, &r), 0);
    CU_ASSERT_EQUAL(r.status, 128 + 11);
    run_free(&r);
    char *text[] = { (char *)test_path("vmlab"), "inspect", core, NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(text, NULL, NULL, TIMEOUT, &r), 0);
    check_contains(r.out, "SEGV_ACCERR", "inspect: store to a swapped read-only page");
    check_contains(r.out, "=> leaf PTE V=0, swap entry: slot ", "inspect: the walk");
    check_contains(r.out, "the page is on swap; an access would read it back (a major fault)",
                   "inspect: the walk");
    check_contains(r.out, "00 00 ed 5e 01 00 ed 5e 02 00 ed 5e 03 00 ed 5e", "inspect: memory");
    run_free(&r);
    remove_dir(dir);
}

void swap_suite_add(void)
{
    CU_pSuite s = CU_add_suite("swap", NULL, NULL);
    CU_add_test(s, "nothing lost: every guest at --mem 128K, every policy, both engines",
                test_nothing_lost);
    CU_add_test(s, "a group's page evicted by the access it takes in (rmw_pages)", test_group_page_evicted);
    CU_add_test(s, "swap file: unwritable, existing, new, a directory", test_swap_file_unusable);
    CU_add_test(s, "swap file on a full file system", test_swap_file_full);
    CU_add_test(s, "swap file truncated behind vmlab's back", test_swap_file_truncated);
    CU_add_test(s, "a core of swapped memory, read by gdb-multiarch and vmlab inspect", test_core_of_swapped_memory);
}
