/* tests/suites.h — one CUnit suite per module; tests/main.c runs them all. */
#ifndef VMLAB_TESTS_SUITES_H
#define VMLAB_TESTS_SUITES_H

#define SUITE_LIST(X) \
    X(cpu)            \
    X(mmu)            \
    X(elf)            \
    X(kernel)         \
    X(policy)         \
    X(swap)           \
    X(paging)         \
    X(signal)         \
    X(core)           \
    X(inspect)        \
    X(view)           \
    X(gdb)            \
    X(robust)         \
    X(diff)           \
    X(e2e)            \
    X(threads)        \
    X(libc)           \
    X(pthread)

#define X(name) void name##_suite_add(void);
SUITE_LIST(X)
#undef X

/* Where the emulator and the guests were built ($VMLAB_BUILD, default
 * "build"), and helpers for paths under it. */
const char *test_build_dir(void);
/* "<build>/<rel>" in a static buffer (one of a few, rotating). */
const char *test_path(const char *rel);

/* Run $VMLAB_BUILD/vmlab with args (NULL-terminated), as run_cmd does
 * (tests/run.h); r holds the output. */
struct run_result;
int run_vmlab(struct run_result *r, int timeout_s, const char *const *args);
#define RUN_VMLAB(r, timeout_s, ...) run_vmlab(r, timeout_s, (const char *const[]){ __VA_ARGS__, NULL })

/* The "instructions retired" count in a vmlab --stats run's stderr, or 0. */
unsigned long long run_retired(const struct run_result *r);

/* An assertion whose failure message is formatted, naming the case:
 * CHECK(cond, "addi x%d", rd). */
void test_check_at(int ok, unsigned line, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define CHECK(ok, ...) test_check_at((ok), __LINE__, __FILE__, __VA_ARGS__)

#endif
