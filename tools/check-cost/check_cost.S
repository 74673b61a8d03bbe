/* tools/check-cost/check_cost.S — bench_mem's random loop in the
 * translator's code, with and without the parts of its MMU check.
 * Each variant: int NAME(uint32_t *x, const void *tlb, const uint64_t *ctx,
 * uint8_t *window); 0 when the loop ran to its end, 1 on a TLB miss. */

/* COMPACT's access: eax = the entry's offset, edx = the tag; then the
 * host address is rcx + (uint32_t)(va + the entry's 32-bit offset). */
#define ACCESS8(va32, va64, op, arg) \
    mov va32, %eax; shr $9, %eax; and $0x7fff8, %eax; \
    mov va32, %edx; and $0xfffff003, %edx; \
    cmp 0x100000(%r12,%rax,1), %edx; jne 9f; \
    mov 0x100004(%r12,%rax,1), %eax; add va32, %eax; \
    op, arg

#define COMPACT 0
#define NAME cc_direct
#define CHECK 0
#define ADDEND 0
#define IDXMASK 0xffff0
#define MERGE 0
#include "loop.inc"

#undef NAME
#undef CHECK
#undef ADDEND
#define NAME cc_separate
#define CHECK 1
#define ADDEND 1
#include "loop.inc"

#undef NAME
#undef CHECK
#define NAME cc_addend
#define CHECK 0
#include "loop.inc"

#undef NAME
#undef IDXMASK
#define NAME cc_addend_l1
#define IDXMASK 0xf0
#include "loop.inc"

#undef NAME
#undef CHECK
#undef ADDEND
#undef IDXMASK
#define NAME cc_check_only
#define CHECK 1
#define ADDEND 0
#define IDXMASK 0xffff0
#include "loop.inc"

#undef NAME
#undef ADDEND
#undef MERGE
#define NAME cc_translated
#define ADDEND 1
#define MERGE 1
#include "loop.inc"

#undef NAME
#undef MERGE
#undef COMPACT
#define NAME cc_compact
#define MERGE 0
#define COMPACT 1
#include "loop.inc"

    .section .note.GNU-stack, "", @progbits
