/* tests/rvgen.h — random RV32IMAC programs for differential testing
 * against qemu-riscv32 (tests/difftest.h runs them).
 *
 * A program is a list of units, each one or a few instructions that belong
 * together: an ALU, M or compressed instruction; a load or store with the
 * instructions that point its base register into the buffer (any
 * alignment, across the buffer's page boundary); an AMO at an aligned
 * word; an lr.w/sc.w pair; a forward branch or jump (jal, jalr, c.j,
 * c.jal, c.jr, c.jalr, c.beqz, c.bnez) over the next few units; a counted
 * loop around a few units.  Removing any unit leaves a valid program (a
 * branch's target is "k units on, or the end of the block"), which is what
 * shrinking needs.
 *
 * Only what Linux, qemu-riscv32 7.2 and vmlab all define is generated
 * (PLATFORM.md §7): no misaligned LR/SC/AMO, no CSR reads (qemu's counters
 * run on host time), no HINT or reserved encodings, no faults.  x31 is
 * never written: it points at the record each program prints.
 *
 * Many programs go into one ELF file, run one after another.  Each starts
 * from its own registers and buffer contents (a table in the data segment,
 * an xorshift fill) and ends by writing a 128-byte record to stdout:
 *
 *   word 0  the program's index      words 1..30  x1..x30
 *   word 31 an FNV-1a-style hash of the 512-byte buffer
 */
#ifndef VMLAB_TESTS_RVGEN_H
#define VMLAB_TESTS_RVGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define RVG_RECORD     128               /* bytes each program prints */
#define RVG_BUF_VA     0x0013ff00u       /* the buffer: 512 bytes across 0x140000 */
#define RVG_BUF_LEN    512u
#define RVG_MAX_PROGS  1500              /* per ELF file */

struct rvg_unit;

struct rvg_prog {
    uint32_t         init[30];           /* x1..x30 at the start */
    uint32_t         seed;               /* the buffer's fill (xorshift32, non-zero) */
    struct rvg_unit *units;
    int              nunits;
};

/* A fresh random program; *rng is an xorshift64 state (non-zero). */
void rvg_generate(struct rvg_prog *p, uint64_t *rng);
void rvg_free(struct rvg_prog *p);

/* The ELF file running progs[0..n) in turn (malloc'd, *len set), or NULL. */
uint8_t *rvg_elf(const struct rvg_prog *progs, int n, size_t *len);

/* For shrinking: the number of units, loop bodies included, and a copy of
 * p without the k-th of them (in order, a loop counting as one unit before
 * its body's).  Returns false when k is out of range. */
int  rvg_count(const struct rvg_prog *p);
bool rvg_without(const struct rvg_prog *p, int k, struct rvg_prog *out);

/* A deep copy of p (free it with rvg_free). */
void rvg_copy(const struct rvg_prog *p, struct rvg_prog *out);

/* The program as assembly, one instruction a line, with its registers. */
void rvg_list(const struct rvg_prog *p, FILE *out);

#endif
