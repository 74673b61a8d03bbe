/* mmu/sv32.h — the Sv32 address and PTE formats (RISC-V privileged spec,
 * PLATFORM.md §6).  Bit layouts only; no policy.
 *
 *   virtual address   31        22 21        12 11          0
 *                    |  VPN[1]    |  VPN[0]    |   offset    |
 *
 *   PTE   31          20 19       10 9  8  7 6 5 4 3 2 1 0
 *        |   PPN[1]     |  PPN[0]   | RSW |D|A|G|U|X|W|R|V|
 */
#ifndef VMLAB_MMU_SV32_H
#define VMLAB_MMU_SV32_H

#include <stdint.h>

typedef uint32_t gva_t;   /* guest virtual address */
typedef uint64_t gpa_t;   /* guest physical address (34 bits in Sv32) */

#define PAGE_SHIFT 12
#define PAGE_SIZE  4096u
#define PAGE_MASK  (PAGE_SIZE - 1)
#define PAGE_DOWN(a) ((a) & ~(uint32_t)PAGE_MASK)
#define PAGE_UP(a)   (((a) + PAGE_MASK) & ~(uint32_t)PAGE_MASK)

#define PTE_V (1u << 0)   /* valid */
#define PTE_R (1u << 1)   /* readable */
#define PTE_W (1u << 2)   /* writable */
#define PTE_X (1u << 3)   /* executable */
#define PTE_U (1u << 4)   /* user-accessible */
#define PTE_G (1u << 5)   /* global */
#define PTE_A (1u << 6)   /* accessed */
#define PTE_D (1u << 7)   /* dirty */
#define PTE_RSW_SHIFT 8   /* two bits for the OS */
#define PTE_PPN_SHIFT 10

#define PTE_PPN(pte)     ((uint32_t)(pte) >> PTE_PPN_SHIFT)       /* 22-bit PPN */
#define PTE_PA(pte)      ((gpa_t)PTE_PPN(pte) << PAGE_SHIFT)       /* next table or page */
#define PTE_MAKE(ppn, f) (((uint32_t)(ppn) << PTE_PPN_SHIFT) | (f))
#define PTE_IS_LEAF(pte) (((pte) & (PTE_R | PTE_X)) != 0)

#define VA_VPN1(va)   (((uint32_t)(va) >> 22) & 0x3ff)
#define VA_VPN0(va)   (((uint32_t)(va) >> 12) & 0x3ff)
#define VA_VPN(va)    ((uint32_t)(va) >> PAGE_SHIFT)
#define VA_OFFSET(va) ((uint32_t)(va) & PAGE_MASK)
#define PTES_PER_TABLE 1024

/* satp (RV32): MODE bit 31, ASID 30:22, root PPN 21:0. */
#define SATP_MODE_SV32 (1u << 31)
#define SATP_PPN(s)    ((s) & 0x3fffff)

/* Access kinds, and the exception causes they raise (privileged spec
 * table 3.6 / PLATFORM.md §6.5). */
enum mmu_access { ACC_FETCH = 0, ACC_LOAD = 1, ACC_STORE = 2 };

#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_FETCH_PAGE_FAULT 12
#define CAUSE_LOAD_PAGE_FAULT  13
#define CAUSE_STORE_PAGE_FAULT 15

#endif
