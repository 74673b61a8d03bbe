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
    X(libc)

#define X(name) void name##_suite_add(void);
SUITE_LIST(X)
#undef X

/* Where the emulator and the guests were built ($VMLAB_BUILD, default
 * "build"), and helpers for paths under it. */
const char *test_build_dir(void);
/* "<build>/<rel>" in a static buffer (one of a few, rotating). */
const char *test_path(const char *rel);

/* An assertion whose failure message is formatted, naming the case:
 * CHECK(cond, "addi x%d", rd). */
void test_check_at(int ok, unsigned line, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define CHECK(ok, ...) test_check_at((ok), __LINE__, __FILE__, __VA_ARGS__)

#endif
