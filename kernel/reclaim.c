/* kernel/reclaim.c — choosing and evicting victims, the swap cache, aging
 * ticks and the OOM killer (see reclaim.h).
 *
 * The policy (kernel/policy.c) lives in a world backed by the page
 * tables: a slot is a frame; "referenced?" is the A bit of the PTE that
 * maps it, and clearing A also flushes that page's TLB entry, because a
 * TLB hit never sets A — only a walk does, and the next access must walk.
 */
#include "kernel/reclaim.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/proc.h"
#include "kernel/pte.h"
#include "kernel/query.h"
#include "kernel/vm.h"

/* The choice in words, for --trace page and the view's event log. */
struct choice {
    struct proc *p;
    char   text[KQ_EVENT_TEXT];
    size_t len;
    int    steps;                 /* steps described; the rest are counted */
    int    more;
};

static bool want_text(const struct proc *p)
{
    return proc_trace(p, TRACE_PAGE) || p->events;
}

static void say(struct choice *c, const char *fmt, ...)
{
    if (c->len >= sizeof c->text)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->text + c->len, sizeof c->text - c->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->len += (size_t)n;
}

static uint32_t frame_va(const struct proc *p, uint32_t f)
{
    return p->frames.vpn[f] << PAGE_SHIFT;
}

static uint32_t *frame_pte(struct proc *p, uint32_t f)
{
    uint32_t *pte = vm_pte(p, frame_va(p, f), false);
    assert(pte && pte_resident(*pte) && PTE_PPN(*pte) == f && "reclaim: frame not mapped");
    return pte;
}

static bool world_referenced(void *ctx, uint32_t f, bool clear)
{
    struct proc *p = ((struct choice *)ctx)->p;
    uint32_t *pte = frame_pte(p, f);
    bool a = *pte & PTE_A;
    if (a && clear) {
        *pte &= ~PTE_A;
        mmu_flush_range(&p->mmu, frame_va(p, f), PAGE_SIZE);
    }
    return a;
}

static bool world_dirty(void *ctx, uint32_t f)
{
    struct proc *p = ((struct choice *)ctx)->p;
    return *frame_pte(p, f) & PTE_D;
}

static void world_step(void *ctx, uint32_t f, enum policy_step what)
{
    struct choice *c = ctx;
    if (what == PSTEP_VICTIM)
        return;                   /* said by evict(), with how it leaves */
    if (c->steps >= 6) {
        c->more++;
        return;
    }
    c->steps++;
    uint32_t pte = *frame_pte(c->p, f);
    if (what == PSTEP_CLEARED)
        say(c, "frame %u A=1 -> cleared; ", f);
    else
        say(c, "frame %u A=%d D=%d -> passed; ", f, !!(pte & PTE_A), !!(pte & PTE_D));
}

void reclaim_track(struct proc *p, uint32_t frame)
{
    if (p->policy)
        policy_insert(p->policy, frame);
}

void reclaim_untrack(struct proc *p, uint32_t frame)
{
    if (p->policy)
        policy_remove(p->policy, frame);
    if (p->frames.slot[frame]) {
        swap_free(&p->swap, p->frames.slot[frame]);
        p->frames.slot[frame] = 0;
    }
}

/* Make victim frame f free: drop it or write it to swap, and turn its PTE
 * into what says where the page is now.  Returns 0, or -errno with the
 * page left as it was (no slot, or the write failed). */
static int evict(struct proc *p, uint32_t f, struct choice *c)
{
    uint32_t va = frame_va(p, f);
    uint32_t *pte = frame_pte(p, f);
    const struct vma *v = vma_find(&p->vmas, va);
    assert(v && "evict: a tracked page outside every segment");
    bool dirty = *pte & PTE_D;
    uint32_t slot = p->frames.slot[f];
    uint32_t now;
    if (c) {
        if (c->more)
            say(c, "... %d more frames passed; ", c->more);
        say(c, "frame %u A=%d D=%d -> victim vpn 0x%05x (%s), ", f, !!(*pte & PTE_A), dirty,
            va >> PAGE_SHIFT, v->name);
    }
    if (slot && !dirty) {
        now = pte_swap_entry(slot);
        p->st.swapcache_hits++;
        if (c)
            say(c, "clean, its copy in swap slot %u is still good -> nothing written", slot);
    } else if (!dirty) {
        now = v->kind == VMA_FILE ? PTE_FILE_ENTRY : 0;
        p->st.clean_drops++;
        if (c)
            say(c, "clean -> dropped (%s)", v->kind == VMA_FILE ? "the file has it"
                                                             : "it is all zeros");
    } else {
        /* Dirty: its old copy, if any, is stale.  A fresh slot rather than
         * the old one when there is room: next-fit hands out neighbouring
         * slots, so the write-back buffer goes out in long runs (one
         * pwritev each); the old one is freed once the page is safe. */
        uint32_t old = slot;
        slot = swap_alloc(&p->swap);
        if (slot == SWAP_NONE)
            slot = old;                  /* swap full: rewrite it in place */
        if (slot == SWAP_NONE) {
            if (c)
                say(c, "dirty, but %s -> kept", swap_enabled(&p->swap) ? "swap is full"
                                                                      : "there is no swap");
            return -ENOSPC;
        }
        int rc = swap_write(&p->swap, slot, pmem_frame(&p->pm, f));
        if (rc) {
            if (slot != old)
                swap_free(&p->swap, slot);
            if (!p->swap_warned) {
                p->swap_warned = true;
                fprintf(stderr, "vmlab: warning: writing to the swap file failed (%s); "
                        "pages that cannot be written stay in memory\n", strerror(-rc));
            }
            if (c)
                say(c, "dirty, writing swap slot %u failed (%s) -> kept", slot, strerror(-rc));
            return rc;
        }
        if (old && old != slot)
            swap_free(&p->swap, old);
        now = pte_swap_entry(slot);
        p->st.swapouts++;
        if (c)
            say(c, "dirty -> swap slot %u", slot);
    }
    p->frames.slot[f] = 0;        /* the PTE names the slot now */
    *pte = now;
    mmu_flush_range(&p->mmu, va, PAGE_SIZE);
    cpu_drop_decoded(&p->cpu, f);
    p->st.evictions++;
    return 0;
}

/* One victim chosen, evicted and its frame freed; FRAME_NONE if none can
 * be.  A victim that cannot leave goes back to the policy, and another is
 * tried, at most once per page held. */
static uint32_t reclaim_one(struct proc *p)
{
    uint32_t tries = policy_count(p->policy);
    for (uint32_t i = 0; i < tries; i++) {
        struct choice c = { .p = p };
        struct policy_world w = { world_referenced, world_dirty,
                                  want_text(p) ? world_step : NULL, &c };
        uint32_t f = policy_victim(p->policy, &w);
        if (f == POLICY_NONE)
            break;
        int rc = evict(p, f, w.step ? &c : NULL);
        if (w.step) {
            FILE *t = proc_trace(p, TRACE_PAGE);
            if (t)
                fprintf(t, "[page] %s: %s\n", policy_name(policy_kind_of(p->policy)), c.text);
            proc_event(p, KQ_EV_PAGE, frame_va(p, f), "%s: %s",
                       policy_name(policy_kind_of(p->policy)), c.text);
        }
        if (rc == 0) {
            frame_release(&p->frames, f);
            return f;
        }
        p->st.swapout_failures++;
        policy_insert(p->policy, f);
    }
    return FRAME_NONE;
}

uint32_t reclaim_alloc(struct proc *p, enum frame_use use, uint32_t vpn)
{
    if (use == FRAME_PAGETABLE && p->policy) {
        /* A page-table page never leaves memory: keep RECLAIM_RESERVE
         * frames for user pages, or the pages one instruction needs at
         * once could not all be resident and it would fault forever. */
        uint32_t avail = p->pm.nframes - frame_used(&p->frames) + policy_count(p->policy);
        if (avail < RECLAIM_RESERVE + 1)
            return FRAME_NONE;
    }
    uint32_t f = frame_alloc(&p->frames, use, vpn);
    if (f != FRAME_NONE || !p->policy)
        return f;
    if (reclaim_one(p) == FRAME_NONE)
        return FRAME_NONE;
    return frame_alloc(&p->frames, use, vpn);
}

bool reclaim_pressure(const struct proc *p)
{
    /* Linux's low watermark idea: start looking at pages before the last
     * frame is gone.  A sixteenth of memory, at least four frames. */
    uint32_t low = p->pm.nframes / 16 < 4 ? 4 : p->pm.nframes / 16;
    return p->pm.nframes - frame_used(&p->frames) < low;
}

static void vmstat_line(struct proc *p)
{
    FILE *o = p->opt.trace_out;
    const struct proc_stats *s = &p->st, *l = &p->vmstat_last;
    if (!p->vmstat_header)
        fprintf(o, "[vmstat] %14s %7s %7s %7s %6s %6s %7s %7s\n", "instructions", "free",
                "res", "swapped", "si", "so", "minor", "major");
    uint64_t minor = s->faults_demand_zero + s->faults_file + s->faults_parked + s->faults_spurious;
    uint64_t lminor = l->faults_demand_zero + l->faults_file + l->faults_parked + l->faults_spurious;
    fprintf(o, "[vmstat] %14llu %7u %7u %7u %6llu %6llu %7llu %7llu\n",
            (unsigned long long)p->cpu.instret, p->pm.nframes - frame_used(&p->frames),
            p->frames.pages, p->swap.used, (unsigned long long)(s->swapins - l->swapins),
            (unsigned long long)(s->swapouts - l->swapouts),
            (unsigned long long)(minor - lminor),
            (unsigned long long)(s->swapins + s->file_refaults - l->swapins - l->file_refaults));
    p->vmstat_last = *s;
    p->vmstat_header = true;
}

void reclaim_tick(struct proc *p)
{
    uint64_t now = p->cpu.instret;
    if (p->opt.vmstat && now >= p->next_vmstat) {
        vmstat_line(p);
        p->next_vmstat = now + p->opt.vmstat;
    }
    if (p->policy && policy_ticks(p->policy) && now >= p->next_tick) {
        if (reclaim_pressure(p)) {
            struct choice c = { .p = p };
            struct policy_world w = { world_referenced, world_dirty, NULL, &c };
            policy_tick(p->policy, &w);
        }
        p->next_tick = now + (p->opt.aging_interval ? p->opt.aging_interval
                                                    : DEFAULT_AGING_INTERVAL);
    }
}

void reclaim_oom_kill(struct proc *p)
{
    uint64_t total = 0, anon = 0, file = 0;
    for (int i = 0; i < p->vmas.n; i++) {
        const struct vma *v = &p->vmas.v[i];
        total += v->end - v->start;
        for (uint32_t va = v->start; va < v->end && va >= v->start; va += PAGE_SIZE) {
            uint32_t *pte = vm_pte(p, va, false);
            if (!pte || !pte_resident(*pte))
                continue;
            if (v->kind == VMA_FILE && !(*pte & PTE_D))
                file++;
            else
                anon++;
        }
    }
    snprintf(p->kill_msg, sizeof p->kill_msg,
             "Out of memory: Killed process %d (%s) total-vm:%llukB, anon-rss:%llukB, "
             "file-rss:%llukB, swap:%llukB", p->pid, p->comm, (unsigned long long)total / 1024,
             (unsigned long long)anon * 4, (unsigned long long)file * 4,
             (unsigned long long)p->swap.used * 4);
    FILE *t = proc_trace(p, TRACE_PAGE | TRACE_FAULT);
    if (t)
        fprintf(t, "[page] no free frame, no page that can be evicted%s -> OOM killer\n",
                swap_enabled(&p->swap) ? " and no free swap slot" : " (no swap)");
    p->kill_reason = p->kill_msg;
    p->kill_reason_is_line = true;
    p->fault.valid = false;
    proc_kill(p, SIGKILL, p->kill_msg);
}
