/* crash_in_libc — faults inside picolibc's code, for vmlab inspect's
 * backtrace through a library built without frame pointers:
 *   crash_in_libc strlen   strlen(NULL), two calls deep
 *   crash_in_libc qsort    a comparator that faults, called from qsort
 *   crash_in_libc tp       a load through tp before TLS exists (tp = 0)
 *   crash_in_libc errno    a failing call with tp = 0: the C library's store
 *                          into errno faults */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *volatile missing;        /* NULL, and the compiler cannot know */

static __attribute__((noinline)) size_t name_length(const char *name)
{
    volatile size_t n = strlen(name);       /* strlen(NULL): the fault is in picolibc */
    return n;                               /* (volatile: no tail call, this frame stays) */
}

static __attribute__((noinline)) void greet(void)
{
    printf("length %zu\n", name_length(missing));
}

struct item {
    int key;
    int *weight;                            /* NULL in one item */
};

static int by_weight(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    return *x->weight - *y->weight;         /* faults on the NULL weight */
}

static __attribute__((noinline)) void sort_items(void)
{
    static int w[4] = { 3, 1, 4, 1 };
    struct item items[6] = { { 1, &w[0] }, { 2, &w[1] }, { 3, NULL }, { 4, &w[2] },
                             { 5, &w[3] }, { 6, &w[0] } };
    qsort(items, 6, sizeof *items, by_weight);
    printf("sorted %d\n", items[0].key);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 2)
        perror(argv[2]);    /* links picolibc's strerror, whose partly discarded debug
                               ranges libdw rejects: the inspector must cope */
    const char *what = argc > 1 ? argv[1] : "strlen";
    if (!strcmp(what, "strlen"))
        greet();
    else if (!strcmp(what, "qsort"))
        sort_items();
    else if (!strcmp(what, "errno")) {
        __asm__ volatile("mv tp, zero");
        return close(-1);                   /* sets errno: a store at tp + errno's offset */
    } else if (!strcmp(what, "tp")) {
        __asm__ volatile("mv tp, zero");    /* as if crt0 had never set it up */
        return *(volatile int *)__builtin_thread_pointer() + (int)strlen(what);
    }
    return 0;
}
