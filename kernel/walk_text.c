/* kernel/walk_text.c — see walk_text.h. */
#include "kernel/walk_text.h"

#include "kernel/pte.h"
#include "mmu/sv32.h"

void walk_text_bits(uint32_t pte, char *buf, size_t len)
{
    snprintf(buf, len, "V=%u R=%u W=%u X=%u U=%u G=%u A=%u D=%u  PPN 0x%06x",
             pte & PTE_V ? 1 : 0, pte & PTE_R ? 1 : 0, pte & PTE_W ? 1 : 0,
             pte & PTE_X ? 1 : 0, pte & PTE_U ? 1 : 0, pte & PTE_G ? 1 : 0,
             pte & PTE_A ? 1 : 0, pte & PTE_D ? 1 : 0, PTE_PPN(pte));
}

static void leaf_verdict(char *buf, size_t len, const struct walk_text *w, const char *which,
                         uint32_t pte, uint64_t pa)
{
    static const char *const kind[3] = { "instruction fetch", "load", "store" };
    static const uint32_t need[3] = { PTE_X, PTE_R, PTE_W };
    static const char need_c[3] = { 'X', 'R', 'W' };
    int access = w->access;
    if (!(pte & PTE_R) && (pte & PTE_W))
        snprintf(buf, len, "%s PTE has W=1 but R=0: a reserved combination, always a fault",
                 which);
    else if (!(pte & PTE_U))
        snprintf(buf, len, "%s PTE has U=0: user mode may not touch the page", which);
    else if (!(pte & need[access]))
        snprintf(buf, len, "%s PTE has %c=0: %s %s is not allowed", which, need_c[access],
                 access == ACC_FETCH ? "an" : "a", kind[access]);
    else if (w->recorded)
        snprintf(buf, len, "%s PTE allows the %s now (it changed after the fault)", which,
                 kind[access]);
    else
        snprintf(buf, len, "%s PTE allows the %s: physical address 0x%08llx", which,
                 kind[access], (unsigned long long)pa);
}

void walk_text_verdict(const struct walk_text *w, char *buf, size_t len)
{
    uint32_t root = w->pte[0], leaf = w->pte[1];
    uint32_t lo = w->va & ~0x3fffffu;
    if (w->levels == 0)
        snprintf(buf, len, "no page-table entry was read");
    else if (!(root & PTE_V))
        snprintf(buf, len, "root PTE V=0: no page table for this 4 MiB region "
                 "(0x%08x-0x%08x)", lo, lo + 0x3fffffu);
    else if (PTE_IS_LEAF(root) || (root & PTE_W))
        leaf_verdict(buf, len, w, "root (4 MiB megapage)", root,
                     PTE_PA(root) | (w->va & 0x3fffffu));
    else if (w->levels < 2)
        snprintf(buf, len, "the second-level table could not be read (outside physical memory)");
    else if (!(leaf & PTE_V) && (leaf & PTE_SW_MASK) == PTE_SW_PARKED)
        snprintf(buf, len, "leaf PTE V=0: the page keeps its frame (PPN 0x%06x) but its "
                 "segment allows no access", PTE_PPN(leaf));
    else if (pte_state(leaf) == PTE_STATE_SWAP)
        snprintf(buf, len, "leaf PTE V=0, swap entry: slot %u — the page is on swap; an "
                 "access would read it back (a major fault)", pte_swap_slot(leaf));
    else if (pte_state(leaf) == PTE_STATE_FILE)
        snprintf(buf, len, "leaf PTE V=0, dropped clean: the page's file holds it; an access "
                 "would read it back from the file (a major fault)");
    else if (!(leaf & PTE_V))
        snprintf(buf, len, "leaf PTE V=0: no page is mapped at this address");
    else
        leaf_verdict(buf, len, w, "leaf", leaf, PTE_PA(leaf) | VA_OFFSET(w->va));
}

void walk_text_print(FILE *o, const struct walk_text *w, const char *verdict)
{
    uint32_t a = w->va;
    fprintf(o, "  VA 0x%08x = VPN[1] 0x%03x (%u) | VPN[0] 0x%03x (%u) | offset 0x%03x\n",
            a, VA_VPN1(a), VA_VPN1(a), VA_VPN0(a), VA_VPN0(a), VA_OFFSET(a));
    fprintf(o, "  satp 0x%08x: %s, root table at PA 0x%08llx\n", w->satp,
            w->satp & SATP_MODE_SV32 ? "Sv32" : "Bare",
            (unsigned long long)SATP_PPN(w->satp) << PAGE_SHIFT);
    for (int l = 0; l < w->levels && l < 2; l++) {
        char bits[96];
        walk_text_bits(w->pte[l], bits, sizeof bits);
        fprintf(o, "  %-4s PTE at PA 0x%08llx (VPN[%d] * 4) = 0x%08x  %s\n",
                l == 0 ? "root" : "leaf", (unsigned long long)w->pte_addr[l], 1 - l,
                w->pte[l], bits);
    }
    fprintf(o, "  => %s\n", verdict);
}
