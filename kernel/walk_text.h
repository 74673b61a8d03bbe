/* kernel/walk_text.h — one Sv32 walk in words: the same lines for the walk
 * a core file records (vmlab inspect) and a walk of the live process
 * (gdb's `monitor walk`).  A format header: it works on plain values and
 * knows nothing of a process, so the inspector may include it. */
#ifndef VMLAB_KERNEL_WALK_TEXT_H
#define VMLAB_KERNEL_WALK_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A walk as the MMU made it (mmu_walk without A/D updates). */
struct walk_text {
    uint32_t va;
    int      access;              /* ACC_FETCH, ACC_LOAD, ACC_STORE */
    uint32_t satp;
    int      levels;              /* PTEs read: 0, 1 or 2 */
    uint64_t pte_addr[2];         /* [0] root entry, [1] leaf entry */
    uint32_t pte[2];
    bool     recorded;            /* a fault's walk read back later (a core): an
                                   * access the PTE allows means it changed since */
};

/* "V=1 R=0 W=0 X=0 U=0 G=0 A=0 D=0  PPN 0x000003" */
void walk_text_bits(uint32_t pte, char *buf, size_t len);

/* What the walk found, in one line: "leaf PTE V=0: no page is mapped at
 * this address", "leaf PTE has W=0: a store is not allowed", ... */
void walk_text_verdict(const struct walk_text *w, char *buf, size_t len);

/* The walk, one line per step, each indented by two spaces: the split of
 * the address, satp, each PTE read with its bits, then "=> verdict". */
void walk_text_print(FILE *o, const struct walk_text *w, const char *verdict);

#endif
