/* tests/difftest.h — random programs (tests/rvgen.h) run under vmlab, with
 * the block translator and with --interp, and under qemu-riscv32; every
 * record must be the same, byte for byte, and every run must exit 0.
 *
 * A difference is a failure: the program whose record differs first (or
 * is missing) is run alone to confirm it, then shrunk — units removed one
 * at a time while the difference stays — and the smallest program is
 * written to DIR/divergence-SEED-K.elf with a listing and the records of
 * each runner in DIR/divergence-SEED-K.txt. */
#ifndef VMLAB_TESTS_DIFFTEST_H
#define VMLAB_TESTS_DIFFTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tests/rvgen.h"

struct difftest {
    const char *vmlab;            /* path of build/vmlab */
    const char *qemu;             /* "qemu-riscv32" */
    const char *dir;              /* for the ELF files and reproducers */
    FILE       *log;              /* progress and divergences (NULL: quiet) */
    int         timeout;          /* seconds per run */
    /* totals */
    long        programs, files, divergences, runs;
};

/* Generate nprogs programs from seed into one ELF file, run it three ways
 * and compare.  Returns the number of divergent programs found (0 or 1:
 * the first, shrunk), or -1 when the file could not be made or run. */
int difftest_batch(struct difftest *d, uint64_t seed, int nprogs);

/* The index of the first program whose record differs between two
 * outputs (or is missing from one), or -1 when they are equal. */
int difftest_first_difference(const char *a, size_t alen, const char *b, size_t blen);

/* Shrink *p while diverges(ctx, p) holds: drop one unit at a time, keep
 * the smaller program whenever it still diverges, until no single unit can
 * go.  *p must diverge on entry.  Returns the number of predicate calls. */
int difftest_shrink(struct rvg_prog *p, bool (*diverges)(void *ctx, const struct rvg_prog *),
                    void *ctx);

#endif
