/* sys_mem — mremap, msync, mincore and madvise, each result printed, for
 * the differential suite (vmlab vs qemu-riscv32).
 *
 * `sys_mem linux` adds the cases where qemu-riscv32 7.2 does not do what
 * Linux does (an unknown madvise advice is accepted; mremap to length 0
 * is ENOMEM, not EINVAL); the suite checks those under vmlab alone
 * (docs/platform/libc-syscalls.md). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE 4096

static void result(const char *what, long r)
{
    if (r == -1)
        printf("%-48s -1 %s\n", what, strerror(errno));
    else
        printf("%-48s %ld\n", what, r);
}

static void residency(const char *what, void *p, size_t pages)
{
    unsigned char vec[16];
    int r = mincore(p, pages * PAGE, vec);
    printf("%-48s ", what);
    if (r != 0) {
        printf("-1 %s\n", strerror(errno));
        return;
    }
    for (size_t i = 0; i < pages; i++)
        putchar(vec[i] & 1 ? '#' : '.');
    putchar('\n');
}

int main(int argc, char **argv)
{
    int linux_only = argc > 1 && !strcmp(argv[1], "linux");
    char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return 1;
    residency("mincore of a fresh 4-page mapping", m, 4);
    m[0] = 'a';
    m[2 * PAGE] = 'c';
    residency("after storing into pages 0 and 2", m, 4);
    (void)*(volatile char *)(m + 3 * PAGE);
    residency("after reading page 3", m, 4);
    result("mincore(m + 1, ...) (not page-aligned)", mincore(m + 1, PAGE, (unsigned char[1]){0}));
    result("mincore past the end of the mapping", mincore(m, 8 * PAGE, (unsigned char[8]){0}));

    result("madvise(page 2, MADV_DONTNEED)", madvise(m + 2 * PAGE, PAGE, MADV_DONTNEED));
    printf("%-48s %d\n", "page 2 reads back", m[2 * PAGE]);
    printf("%-48s %c\n", "page 0 still holds", m[0]);
    result("madvise(MADV_WILLNEED)", madvise(m, 4 * PAGE, MADV_WILLNEED));
    if (linux_only)
        result("madvise(bad advice 12345)", madvise(m, PAGE, 12345));
    result("madvise(m + 1, ...) (not page-aligned)", madvise(m + 1, PAGE, MADV_NORMAL));

    result("msync(MS_SYNC)", msync(m, PAGE, MS_SYNC));
    result("msync(MS_SYNC | MS_ASYNC)", msync(m, PAGE, MS_SYNC | MS_ASYNC));
    result("msync(m + 1, ...)", msync(m + 1, PAGE, MS_ASYNC));

    /* shrink in place, then move it elsewhere with the data */
    strcpy(m, "kept across mremap");
    char *s = mremap(m, 4 * PAGE, 2 * PAGE, 0);
    printf("%-48s %s\n", "mremap shrink stays in place", s == m ? "yes" : "no");
    char *g = mremap(s, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
    printf("%-48s %s\n", "mremap grow (MREMAP_MAYMOVE) succeeded", g != MAP_FAILED ? "yes" : "no");
    printf("%-48s %s\n", "data after the move", g != MAP_FAILED ? g : "-");
    if (g != MAP_FAILED) {
        g[63 * PAGE] = 'z';
        printf("%-48s %c\n", "the new last page is usable", g[63 * PAGE]);
    }
    result("mremap(grow, no MREMAP_MAYMOVE) of a fenced page",
           (long)mremap(g, PAGE, 2 * PAGE, 0) == -1 ? -1 : 0);
    result("mremap(bad flags)", (long)mremap(g, PAGE, PAGE, 0x100) == -1 ? -1 : 0);
    if (linux_only)
        result("mremap(new_len 0)", (long)mremap(g, PAGE, 0, 0) == -1 ? -1 : 0);
    result("munmap the moved mapping", munmap(g, 64 * PAGE));
    return 0;
}
