/* kernel/pte.h — what the vmlab kernel keeps in the PTE bits the hardware
 * leaves to software.  A format header: page tables are saved in core
 * files, and the inspector reads them with these rules.
 *
 * A PTE with V = 1 is the hardware's (mmu/sv32.h).  A PTE with V = 0 is
 * never looked at by the walk beyond V, so the kernel uses every other
 * bit, as Linux does for its not-present PTEs
 * (arch/riscv/include/asm/pgtable.h, "Format of swap PTE"; see
 * docs/platform/swap.md).  R, W and X stay 0, so such a PTE can never be
 * mistaken for a leaf; RSW (bits 9:8) says what the page is:
 *
 *   31                      10 9 8 7     1 0
 *  |            0             |0 0|   0   |0|   never touched: zero-fill or
 *                                                first read from the file
 *  |      frame number        |0 1| A D.. |0|   parked: resident, but the
 *                                                segment allows no access now
 *  |      swap slot           |1 0|   0   |0|   swapped out to that slot
 *  |            0             |1 1|   0   |0|   dropped: the page was clean,
 *                                                its file still holds it
 */
#ifndef VMLAB_KERNEL_PTE_H
#define VMLAB_KERNEL_PTE_H

#include <stdint.h>

#include "mmu/sv32.h"

#define PTE_SW_SHIFT   PTE_RSW_SHIFT
#define PTE_SW_MASK    (3u << PTE_SW_SHIFT)
#define PTE_SW_NONE    (0u << PTE_SW_SHIFT)
#define PTE_SW_PARKED  (1u << PTE_SW_SHIFT)
#define PTE_SW_SWAP    (2u << PTE_SW_SHIFT)
#define PTE_SW_FILE    (3u << PTE_SW_SHIFT)

/* The parked marker: a PTE whose page has a frame but no access right now
 * (PROT_NONE): V is clear, the PPN is kept, so mprotect can bring it back. */
#define PTE_PARKED     PTE_SW_PARKED

/* What a PTE says about its page. */
enum pte_state {
    PTE_STATE_NONE,           /* never touched (or a clean zero page dropped) */
    PTE_STATE_RESIDENT,       /* has a frame (V = 1, or parked) */
    PTE_STATE_SWAP,           /* on swap, in slot pte_swap_slot() */
    PTE_STATE_FILE,           /* dropped clean: read back from the file */
};

static inline enum pte_state pte_state(uint32_t pte)
{
    if (pte & PTE_V)
        return PTE_STATE_RESIDENT;
    switch (pte & PTE_SW_MASK) {
    case PTE_SW_PARKED: return PTE_STATE_RESIDENT;
    case PTE_SW_SWAP:   return PTE_STATE_SWAP;
    case PTE_SW_FILE:   return PTE_STATE_FILE;
    default:            return PTE_STATE_NONE;
    }
}

static inline int pte_resident(uint32_t pte)
{
    return pte_state(pte) == PTE_STATE_RESIDENT;
}

static inline uint32_t pte_swap_entry(uint32_t slot)
{
    return (slot << PTE_PPN_SHIFT) | PTE_SW_SWAP;
}

static inline uint32_t pte_swap_slot(uint32_t pte)
{
    return pte >> PTE_PPN_SHIFT;
}

#define PTE_FILE_ENTRY PTE_SW_FILE

#endif
