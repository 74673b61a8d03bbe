/* kernel/query.c — see query.h. */
#include "kernel/query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu/insn.h"
#include "kernel/proc.h"
#include "kernel/pte.h"
#include "kernel/vm.h"

int kq_segments(struct proc *p, struct kq_segment *out, int max)
{
    for (int i = 0; i < p->vmas.n && i < max; i++) {
        const struct vma *v = &p->vmas.v[i];
        struct kq_segment *s = &out[i];
        s->start = v->start;
        s->end = v->end;
        s->perms = v->perms;
        s->kind = (int)v->kind;
        snprintf(s->name, sizeof s->name, "%s", v->name);
        uint32_t n[4];
        vm_count_pages(p, v->start, v->end, n);
        s->resident = n[PTE_STATE_RESIDENT];
        s->swapped = n[PTE_STATE_SWAP];
        s->file_only = n[PTE_STATE_FILE];
    }
    return p->vmas.n;
}

uint32_t kq_satp(struct proc *p)
{
    return p->mmu.satp;
}

uint32_t kq_root_pte(struct proc *p, unsigned i)
{
    const uint32_t *root = (const uint32_t *)pmem_frame(&p->pm, p->root_frame);
    return i < PTES_PER_TABLE ? root[i] : 0;
}

bool kq_leaf_pte(struct proc *p, unsigned i, unsigned j, uint32_t *pte)
{
    uint32_t r = kq_root_pte(p, i);
    if (!(r & PTE_V) || PTE_IS_LEAF(r) || j >= PTES_PER_TABLE)
        return false;
    const uint8_t *t = pmem_ptr(&p->pm, PTE_PA(r), PAGE_SIZE);
    if (!t)
        return false;
    memcpy(pte, t + 4 * j, 4);
    return true;
}

uint32_t kq_nframes(struct proc *p)
{
    return p->pm.nframes;
}

int kq_frame(struct proc *p, uint32_t f, uint32_t *vpn)
{
    if (f >= p->pm.nframes)
        return KQ_FRAME_FREE;
    if (vpn)
        *vpn = p->frames.vpn[f];
    switch (p->frames.use[f]) {
    case FRAME_PAGETABLE: return KQ_FRAME_PAGETABLE;
    case FRAME_PAGE: return KQ_FRAME_PAGE;
    default: return KQ_FRAME_FREE;
    }
}

int kq_page_state(struct proc *p, uint32_t va, uint32_t *slot)
{
    uint32_t *pte = vm_pte(p, va, false);
    uint32_t v = pte ? *pte : 0;
    if (slot)
        *slot = 0;
    switch (pte_state(v)) {
    case PTE_STATE_RESIDENT: return KQ_PAGE_RESIDENT;
    case PTE_STATE_FILE: return KQ_PAGE_FILE;
    case PTE_STATE_SWAP:
        if (slot)
            *slot = pte_swap_slot(v);
        return KQ_PAGE_SWAPPED;
    default: return KQ_PAGE_UNTOUCHED;
    }
}

bool kq_frame_info(struct proc *p, uint32_t f, struct kq_frame_info *out)
{
    memset(out, 0, sizeof *out);
    if (f >= p->pm.nframes)
        return false;
    out->use = kq_frame(p, f, &out->vpn);
    if (out->use != KQ_FRAME_PAGE)
        return true;
    uint32_t *pte = vm_pte(p, out->vpn << PAGE_SHIFT, false);
    if (pte && pte_resident(*pte) && PTE_PPN(*pte) == f) {
        out->accessed = *pte & PTE_A;
        out->dirty = *pte & PTE_D;
    }
    out->evictable = p->policy && policy_holds(p->policy, f);
    out->age = p->policy ? policy_age(p->policy, f) : 0;
    out->swap_slot = p->frames.slot[f];
    return true;
}

const char *kq_policy(struct proc *p, uint32_t *hand)
{
    if (hand)
        *hand = p->policy ? policy_hand(p->policy) : 0;
    return p->policy ? policy_name(policy_kind_of(p->policy)) : "none";
}

int kq_walk(struct proc *p, uint32_t va, int access, int *levels,
            uint64_t pte_addr[2], uint32_t pte[2], uint64_t *pa)
{
    struct walk_result r;
    int cause = mmu_walk(&p->mmu, va, (enum mmu_access)access, false, &r);
    *levels = r.levels;
    for (int i = 0; i < 2; i++) {
        pte_addr[i] = r.pte_addr[i];
        pte[i] = r.pte[i];
    }
    *pa = r.pa;
    return cause;
}

void kq_cpu(struct proc *p, struct kq_cpu *out)
{
    out->pc = p->cpu.pc;
    memcpy(out->x, p->cpu.x, sizeof out->x);
    out->x[0] = 0;
    out->instret = p->cpu.instret;
}

bool kq_disasm(struct proc *p, uint32_t va, char *buf, size_t len)
{
    uint8_t bytes[4];
    size_t avail = 0;
    for (; avail < 4; avail++) {
        uint32_t f = vm_frame_of(p, va + (uint32_t)avail);
        if (f == UINT32_MAX)
            break;
        bytes[avail] = pmem_frame(&p->pm, f)[VA_OFFSET(va + (uint32_t)avail)];
    }
    return insn_disasm(va, bytes, avail, buf, len) != 0;
}

void kq_counters(struct proc *p, struct kq_counters *out)
{
    memset(out, 0, sizeof *out);
    out->instret = p->cpu.instret;
    out->syscalls = p->st.syscalls;
    out->signals = p->sig.delivered;
    out->tlb_misses = p->mmu.st.tlb_misses;
    out->walks = p->mmu.st.walks;
    out->tlb_flushes = p->mmu.st.flushes;
    out->faults_zero = p->st.faults_demand_zero;
    out->faults_file = p->st.faults_file;
    out->faults_stack = p->st.faults_stack_growth;
    out->faults_segv = p->st.faults_segv;
    out->faults_spurious = p->st.faults_spurious;
    out->faults_parked = p->st.faults_parked;
    out->swapins = p->st.swapins;
    out->file_refaults = p->st.file_refaults;
    out->faults_minor = p->st.faults_demand_zero + p->st.faults_file + p->st.faults_parked +
                        p->st.faults_spurious;
    out->faults_major = p->st.swapins + p->st.file_refaults;
    out->evictions = p->st.evictions;
    out->swapouts = p->st.swapouts;
    out->clean_drops = p->st.clean_drops;
    out->swapcache_hits = p->st.swapcache_hits;
    out->swapout_failures = p->st.swapout_failures;
    if (p->policy) {
        const struct policy_stats *ps = policy_stats(p->policy);
        snprintf(out->policy, sizeof out->policy, "%s", policy_name(policy_kind_of(p->policy)));
        out->hand_moves = ps->hand_moves;
        out->refs_cleared = ps->refs_cleared;
        out->aging_ticks = ps->ticks;
    }
    out->rss = p->frames.pages;
    out->rss_peak = p->frames.peak_pages;
    out->swap_used = p->swap.used;
    out->swap_peak = p->swap.peak;
    out->swap_slots = p->swap.nslots ? p->swap.nslots - 1 : 0;
    out->swap_reads = p->swap.reads;
    out->swap_writes = p->swap.writes;
    out->frames_used = frame_used(&p->frames);
    out->frames_total = p->pm.nframes;
    out->frames_peak = p->frames.peak_used;
    out->decoded = p->cpu.st.decoded;
    out->dcache_drops = p->cpu.st.dcache_drops;
    if (p->cpu.jit) {
        const struct jit_stats *j = jit_stats(p->cpu.jit);
        out->translated = true;
        out->jit_blocks = j->blocks;
        out->jit_insns = j->insns;
        out->jit_bytes = j->bytes;
        out->jit_chains = j->chains;
        out->jit_resets = j->flushes;
    }
}

void kq_print_stats(const struct kq_counters *c, FILE *out)
{
    typedef unsigned long long ull;
    fprintf(out, "--- vmlab stats ---\n");
    fprintf(out, "instructions retired   %llu\n", (ull)c->instret);
    fprintf(out, "system calls           %llu\n", (ull)c->syscalls);
    fprintf(out, "page faults            %llu (zero-fill %llu, from file %llu, stack growth %llu, SIGSEGV %llu)\n",
            (ull)(c->faults_minor + c->faults_major + c->faults_segv),
            (ull)c->faults_zero, (ull)c->faults_file, (ull)c->faults_stack, (ull)c->faults_segv);
    fprintf(out, "  minor, major         %llu, %llu (major: %llu read back from swap, %llu from the file)\n",
            (ull)c->faults_minor, (ull)c->faults_major, (ull)c->swapins, (ull)c->file_refaults);
    fprintf(out, "frames in use          %u of %u (peak %u, %u KiB)\n",
            c->frames_used, c->frames_total, c->frames_peak, c->frames_peak * 4);
    fprintf(out, "resident set           %u pages (peak %u, %u KiB)\n", c->rss, c->rss_peak,
            c->rss_peak * 4);
    fprintf(out, "evictions              %llu (written to swap %llu, clean drops %llu, swap-cache hits %llu, kept %llu)\n",
            (ull)c->evictions, (ull)c->swapouts, (ull)c->clean_drops, (ull)c->swapcache_hits,
            (ull)c->swapout_failures);
    fprintf(out, "replacement policy     %s (hand moves %llu, A bits cleared %llu", c->policy,
            (ull)c->hand_moves, (ull)c->refs_cleared);
    if (!strcmp(c->policy, "aging"))
        fprintf(out, ", samples %llu", (ull)c->aging_ticks);
    fprintf(out, ")\n");
    if (c->swap_slots)
        fprintf(out, "swap                   %u of %u pages in use (peak %u), %llu written, %llu read back\n",
                c->swap_used, c->swap_slots, c->swap_peak, (ull)c->swap_writes, (ull)c->swap_reads);
    else
        fprintf(out, "swap                   none (--swap 0)\n");
    fprintf(out, "TLB misses             %llu (page-table walks %llu)\n",
            (ull)c->tlb_misses, (ull)c->walks);
    fprintf(out, "interpreter decoded    %llu instructions (code pages dropped %llu)\n",
            (ull)c->decoded, (ull)c->dcache_drops);
    if (c->translated)
        fprintf(out, "translated blocks      %llu (%llu instructions, %llu KiB of host code, "
                "%llu jumps chained, %llu buffer resets)\n", (ull)c->jit_blocks,
                (ull)c->jit_insns, (ull)(c->jit_bytes + 1023) / 1024, (ull)c->jit_chains,
                (ull)c->jit_resets);
    else
        fprintf(out, "translated blocks      none (interpreter only)\n");
    fprintf(out, "signals delivered      %llu\n", (ull)c->signals);
}

void kq_events_enable(struct proc *p)
{
    if (!p->events)
        p->events = calloc(PROC_EVENTS, sizeof *p->events);
}

int kq_events(struct proc *p, struct kq_event *out, int max)
{
    int n = (int)p->ev_count < max ? (int)p->ev_count : max;
    unsigned first = p->ev_head + p->ev_count - (unsigned)n;
    for (int i = 0; i < n; i++) {
        const struct proc_event *e = &p->events[(first + (unsigned)i) % PROC_EVENTS];
        out[i].kind = e->kind;
        out[i].instret = e->instret;
        out[i].addr = e->addr;
        memcpy(out[i].text, e->text, sizeof out[i].text);
    }
    return n;
}

void kq_state(struct proc *p, struct kq_state *out)
{
    out->running = p->state == PROC_RUNNING;
    out->status = proc_status(p);
    out->term_sig = p->state == PROC_KILLED ? p->term_sig : 0;
    out->core_path = p->core_dumped ? p->core_path : NULL;
    out->fault_valid = p->fault.valid;
    out->fault_addr = p->fault.addr;
    out->fault_pc = p->fault.pc;
    out->fault_access = p->fault.access;
}

unsigned kq_run(struct proc *p, uint64_t n, unsigned stop_mask)
{
    p->stop_mask = stop_mask;
    p->stop_hit = 0;
    proc_step(p, n);
    unsigned hit = p->stop_hit & stop_mask;
    p->stop_mask = p->stop_hit = 0;
    return hit;
}

int kq_set_perms(struct proc *p, uint32_t va, unsigned perms)
{
    struct vma *v = vma_find(&p->vmas, va);
    if (!v)
        return -ENOMEM;
    char name[VMA_NAME], a[4], b[4];
    uint32_t start = v->start, end = v->end;
    unsigned old = v->perms;
    snprintf(name, sizeof name, "%s", v->name);
    int rc = vma_protect(p, start, end, perms);
    if (rc == 0)
        proc_event(p, KQ_EV_PERM, start, "%s 0x%08x-0x%08x: %s -> %s (PTEs rewritten, TLB flushed)",
                   name, start, end, vma_perm_str(old, a), vma_perm_str(perms, b));
    return rc;
}
