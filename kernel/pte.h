/* kernel/pte.h — what the vmlab kernel keeps in the PTE bits the hardware
 * leaves to software (Sv32 RSW, and every bit of a PTE with V = 0).  A
 * format header: page tables are saved in core files, and the inspector
 * reads them with these rules. */
#ifndef VMLAB_KERNEL_PTE_H
#define VMLAB_KERNEL_PTE_H

#include "mmu/sv32.h"

/* RSW bit 0 marks a PTE whose page has a frame but no access right now
 * (PROT_NONE): V is clear, the PPN is kept, so mprotect can bring it back. */
#define PTE_PARKED (1u << PTE_RSW_SHIFT)

#endif
