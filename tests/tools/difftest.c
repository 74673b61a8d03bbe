/* tests/tools/difftest.c — `vmlab-difftest`: random RV32IMAC programs run
 * under vmlab (both engines) and qemu-riscv32, in files of many programs
 * (tests/difftest.h).  make difftest runs it.
 *
 *   vmlab-difftest [-n PROGRAMS] [-p PER_FILE] [-s SEED] [-o DIR] [-v VMLAB]
 *
 * Defaults: 100000 programs, 1000 per file, seed 1, DIR build/difftest,
 * VMLAB build/vmlab.  File i uses seed SEED + i, so any file can be made
 * again alone.  Exits 0 when no program diverged, 1 when one did (the
 * reproducers are in DIR), 2 on a usage or setup error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/difftest.h"

static long number(const char *s, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < 0) {
        fprintf(stderr, "vmlab-difftest: %s %s: expected a number\n", what, s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long programs = 100000, per = 1000, seed = 1;
    struct difftest d = { .vmlab = "build/vmlab", .qemu = "qemu-riscv32",
                          .dir = "build/difftest", .log = stderr, .timeout = 120 };
    int c;
    while ((c = getopt(argc, argv, "n:p:s:o:v:")) != -1) {
        switch (c) {
        case 'n': programs = number(optarg, "-n"); break;
        case 'p': per = number(optarg, "-p"); break;
        case 's': seed = number(optarg, "-s"); break;
        case 'o': d.dir = optarg; break;
        case 'v': d.vmlab = optarg; break;
        default:
            fprintf(stderr, "usage: vmlab-difftest [-n PROGRAMS] [-p PER_FILE] [-s SEED] "
                            "[-o DIR] [-v VMLAB]\n");
            return 2;
        }
    }
    if (per < 1 || per > RVG_MAX_PROGS) {
        fprintf(stderr, "vmlab-difftest: -p %ld: between 1 and %d programs per file\n", per,
                RVG_MAX_PROGS);
        return 2;
    }
    if (access(d.vmlab, X_OK) != 0) {
        fprintf(stderr, "vmlab-difftest: %s: not found (run make)\n", d.vmlab);
        return 2;
    }
    if (mkdir(d.dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "vmlab-difftest: %s: %s\n", d.dir, strerror(errno));
        return 2;
    }
    time_t t0 = time(NULL);
    for (long i = 0; d.programs < programs; i++) {
        long n = programs - d.programs < per ? programs - d.programs : per;
        if (difftest_batch(&d, (uint64_t)(seed + i), (int)n) < 0)
            return 2;
        if (d.files % 50 == 0 || d.programs >= programs)
            fprintf(stderr, "difftest: %ld programs in %ld files, %ld divergences (%lds)\n",
                    d.programs, d.files, d.divergences, (long)(time(NULL) - t0));
    }
    printf("%ld programs in %ld files (seeds %ld..%ld), %ld runs: %ld divergences\n",
           d.programs, d.files, seed, seed + d.files - 1, d.runs, d.divergences);
    return d.divergences ? 1 : 0;
}
