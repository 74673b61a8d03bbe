/* tests/main.c — runs every CUnit suite, prints the summary, and exits
 * non-zero on any failure.  `vmlab-tests NAME...` runs only those suites. */
#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/host.h"
#include "tests/run.h"
#include "tests/suites.h"

const char *test_build_dir(void)
{
    const char *b = getenv("VMLAB_BUILD");
    return b && *b ? b : "build";
}

const char *test_path(const char *rel)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", test_build_dir(), rel);
    return b;
}

int run_vmlab(struct run_result *r, int timeout_s, const char *const *args)
{
    char *argv[48];
    int n = 0;
    argv[n++] = (char *)test_path("vmlab");
    for (; *args && n < 47; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    return run_cmd(argv, NULL, NULL, timeout_s, r);
}

unsigned long long run_retired(const struct run_result *r)
{
    const char *p = strstr(r->err, "instructions retired");
    return p ? strtoull(p + strlen("instructions retired"), NULL, 10) : 0;
}

void test_check_at(int ok, unsigned line, const char *file, const char *fmt, ...)
{
    char msg[320];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    CU_assertImplementation(ok ? CU_TRUE : CU_FALSE, line, msg, file, "", CU_FALSE);
}

int main(int argc, char **argv)
{
    host_ignore_sigpipe();                  /* as vmlab: EPIPE goes to the guest */
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
#define X(name) name##_suite_add();
    SUITE_LIST(X)
#undef X
    if (argc > 1) {
        /* deactivate suites not named */
        for (CU_pSuite s = CU_get_registry()->pSuite; s; s = s->pNext) {
            int keep = 0;
            for (int i = 1; i < argc; i++)
                keep |= !strcmp(s->pName, argv[i]);
            if (!keep)
                CU_set_suite_active(s, CU_FALSE);
        }
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed() +
                      CU_get_number_of_tests_failed();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    if (ran == 0) {
        fprintf(stderr, "vmlab-tests: no test ran\n");
        return 1;
    }
    return failed ? 1 : 0;
}
