/* kernel/query.c — see query.h. */
#include "kernel/query.h"

#include <errno.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "emu/insn.h"
#include "kernel/core.h"
#include "kernel/proc.h"
#include "kernel/pte.h"
#include "kernel/vm.h"
#include "kernel/walk_text.h"

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
    out->threads_created = p->th.created;
    out->context_switches = p->th.switches;
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
    out->hostmem_peak = p->hm.peak;
    out->hostmem_limit = p->hm.limit;
    out->hostmem_refused = p->hm.refused;
    out->dcache_flushes = p->cpu.st.dcache_flushes;
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
    if (c->threads_created)
        fprintf(out, "threads                %llu created, %llu context switches\n",
                (ull)c->threads_created, (ull)c->context_switches);
    fprintf(out, "vmlab's own memory     peak %llu KiB of a %llu MiB cap (--host-mem; "
            "%llu refused, decode cache freed %llu times)\n", (ull)(c->hostmem_peak + 1023) / 1024,
            (ull)(c->hostmem_limit >> 20), (ull)c->hostmem_refused, (ull)c->dcache_flushes);
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
    unsigned hit = p->stop_hit & (stop_mask | KQ_STOP_DEBUG);
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

int kq_perm_rule(struct proc *p, const char *spec, char *err, size_t errlen)
{
    int rc = proc_perm_rule(p, spec, err, errlen);
    if (rc == 0)
        proc_event(p, KQ_EV_PERM, 0, "--perm %s (PTEs rewritten, TLB flushed)", spec);
    return rc;
}

/* --- debugger control ------------------------------------------------------ */

int kq_pid(struct proc *p)
{
    return p->pid;
}

int kq_threads(struct proc *p, int *tids, int max)
{
    int n = 0;
    for (int i = 0; i < p->th.n; i++)
        if (p->th.t[i]->state != THREAD_EXITED) {
            if (n < max)
                tids[n] = p->th.t[i]->tid;
            n++;
        }
    return n;
}

int kq_current_tid(struct proc *p)
{
    return thread_cur(&p->th)->tid;
}

int kq_thread_list(struct proc *p, struct kq_thread *out, int max)
{
    int n = 0;
    for (int i = 0; i < p->th.n; i++) {
        const struct thread *t = p->th.t[i];
        if (t->state == THREAD_EXITED)
            continue;
        if (n < max) {
            bool cur = i == p->th.cur;
            struct kq_thread *k = &out[n];
            memset(k, 0, sizeof *k);
            k->tid = t->tid;
            k->state = t->state == THREAD_RUNNING ? KQ_THREAD_RUNNING : KQ_THREAD_WAITING;
            k->current = cur;
            k->pc = cur ? p->cpu.pc : t->pc;
            k->sp = cur ? p->cpu.x[2] : t->x[2];
            k->futex = t->state == THREAD_FUTEX ? t->futex_addr : 0;
            k->io_fd = t->state == THREAD_IO ? (int)t->io_a0 : -1;
            k->io_write = t->state == THREAD_IO && t->io_events == POLLOUT;
            k->stack_start = t->stack_lo;
            k->stack_end = t->stack_hi;
            if (i == 0)
                for (int j = 0; j < p->vmas.n; j++)
                    if (p->vmas.v[j].kind == VMA_STACK)
                        k->stack_start = p->vmas.v[j].start, k->stack_end = p->vmas.v[j].end;
        }
        n++;
    }
    return n;
}

/* Thread tid's registers: the hart's if it runs, else its saved ones. */
static bool thread_regs(struct proc *p, int tid, uint32_t **x, uint32_t **pc)
{
    struct thread *t = thread_find(p, tid);
    if (!t)
        return false;
    bool cur = t == thread_cur(&p->th);
    *x = cur ? p->cpu.x : t->x;
    *pc = cur ? &p->cpu.pc : &t->pc;
    return true;
}

bool kq_thread_select(struct proc *p, int tid)
{
    return thread_select(p, tid);
}

void kq_thread_lock(struct proc *p, int tid)
{
    thread_lock(p, tid);
}

void kq_wake(struct proc *p, int fd, bool now, int ms)
{
    p->dbg.wake_on = fd >= 0 || ms >= 0;
    p->dbg.wake_fd = fd >= 0 ? fd : -1;
    p->dbg.wake_now = fd >= 0 && now;
    p->dbg.wake_ms = ms >= 0 ? ms : -1;
}

bool kq_thread_reg(struct proc *p, int tid, int n, uint32_t *v)
{
    uint32_t *x, *pc;
    if (n < 0 || n >= KQ_NREGS || !thread_regs(p, tid, &x, &pc))
        return false;
    *v = n == KQ_REG_PC ? *pc : n == 0 ? 0 : x[n];
    return true;
}

bool kq_thread_set_reg(struct proc *p, int tid, int n, uint32_t v)
{
    uint32_t *x, *pc;
    if (n < 0 || n >= KQ_NREGS || !thread_regs(p, tid, &x, &pc))
        return false;
    if (n == KQ_REG_PC)
        *pc = v;
    else if (n != 0)
        x[n] = v;
    return true;
}

const char *kq_comm(struct proc *p)
{
    return p->comm;
}

const char *kq_exe(struct proc *p)
{
    return p->exe ? p->exe : p->path;
}

const uint8_t *kq_exe_image(struct proc *p, size_t *size)
{
    *size = p->img.size;
    return p->img.data;
}

size_t kq_cmdline(struct proc *p, char *out, size_t max)
{
    size_t len = p->arg_end - p->arg_start;
    if (len > max)
        len = max;
    return vm_debug_copy(p, p->arg_start, out, len, false);
}

size_t kq_auxv(struct proc *p, uint8_t *out, size_t max)
{
    size_t len = (size_t)p->auxc * 4;
    memcpy(out, p->auxv, len < max ? len : max);
    return len;
}

/* Remove every breakpoint and watchpoint. */
static void debug_clear(struct proc *p)
{
    while (p->cpu.nbp)
        kq_break_remove(p, p->cpu.bp[0]);
    while (p->mmu.nwatch) {
        const struct mmu_watch *w = &p->mmu.watch[0];
        mmu_watch_remove(&p->mmu, w->addr, w->len, w->kinds);
    }
}

void kq_debug_attach(struct proc *p, bool on)
{
    if (on) {
        p->dbg.attached = true;
        return;
    }
    debug_clear(p);
    if (p->dbg.held)
        kq_deliver(p, p->dbg.held);        /* as if the debugger passed it on */
    p->dbg.attached = false;
    p->dbg.pass = 0;
    p->dbg.last_stop = 0;
}

void kq_debug_pass(struct proc *p, uint64_t pass)
{
    p->dbg.pass = pass;
}

bool kq_reg(struct proc *p, int n, uint32_t *v)
{
    if (n < 0 || n >= KQ_NREGS)
        return false;
    *v = n == KQ_REG_PC ? p->cpu.pc : n == 0 ? 0 : p->cpu.x[n];
    return true;
}

bool kq_set_reg(struct proc *p, int n, uint32_t v)
{
    if (n < 0 || n >= KQ_NREGS)
        return false;
    if (n == KQ_REG_PC)
        p->cpu.pc = v;
    else if (n != 0)
        p->cpu.x[n] = v;
    return true;
}

size_t kq_peek(struct proc *p, uint32_t va, void *buf, size_t len)
{
    return vm_debug_copy(p, va, buf, len, false);
}

size_t kq_poke(struct proc *p, uint32_t va, const void *buf, size_t len)
{
    return vm_debug_copy(p, va, (void *)(uintptr_t)buf, len, true);
}

/* A breakpoint came or went at va: the interpreter's slots and the
 * translator's blocks of its frame are made again. */
static void bp_changed(struct proc *p, uint32_t va)
{
    uint32_t f = vm_frame_of(p, va);
    if (f != UINT32_MAX)
        cpu_drop_decoded(&p->cpu, f);
}

int kq_break_insert(struct proc *p, uint32_t va)
{
    int rc = cpu_bp_insert(&p->cpu, va);
    if (rc == 0)
        bp_changed(p, va);
    return rc;
}

int kq_break_remove(struct proc *p, uint32_t va)
{
    int rc = cpu_bp_remove(&p->cpu, va);
    if (rc == 0)
        bp_changed(p, va);
    return rc;
}

static unsigned watch_kinds(enum kq_watch_kind kind)
{
    return (kind & KQ_WATCH_WRITE ? MMU_WATCH_WRITE : 0) | (kind & KQ_WATCH_READ ? MMU_WATCH_READ : 0);
}

int kq_watch_insert(struct proc *p, uint32_t va, uint32_t len, enum kq_watch_kind kind)
{
    return mmu_watch_insert(&p->mmu, va, len, watch_kinds(kind));
}

int kq_watch_remove(struct proc *p, uint32_t va, uint32_t len, enum kq_watch_kind kind)
{
    return mmu_watch_remove(&p->mmu, va, len, watch_kinds(kind));
}

unsigned kq_resume(struct proc *p, uint64_t n, unsigned stop_mask, bool from_stop)
{
    if (p->dbg.held)                      /* kq_deliver left one: still stopped */
        return p->dbg.last_stop = KQ_STOP_SIGNAL;
    if (from_stop) {                      /* pass a breakpoint right here, once */
        p->cpu.bp_skip_pc = p->cpu.pc;
        p->cpu.bp_skip_instret = p->cpu.instret;
    }
    uint64_t before = p->cpu.instret;
    unsigned hit = kq_run(p, n, stop_mask);
    if (hit & KQ_STOP_WATCH) {
        const struct mmu *m = &p->mmu;
        p->dbg.watch_addr = m->watch_hit.addr;
        p->dbg.watch_kinds = m->watch[m->watch_hit.index].kinds;
    }
    if (n == 1 && !(hit & KQ_STOP_DEBUG) && (p->cpu.instret != before || (hit & KQ_STOP_SYSCALL)))
        hit |= KQ_STOP_STEP;
    return p->dbg.last_stop = hit;
}

void kq_stop(struct proc *p, struct kq_stop *out)
{
    memset(out, 0, sizeof *out);
    out->why = p->dbg.last_stop;
    if (p->dbg.held) {
        out->signo = p->dbg.held;
        out->code = p->dbg.held_info.code;
        out->addr = p->dbg.held_info.addr;
    }
    out->watch_addr = p->dbg.watch_addr;
    unsigned k = p->dbg.watch_kinds;
    out->watch_kind = (k & MMU_WATCH_READ) && (k & MMU_WATCH_WRITE) ? KQ_WATCH_ACCESS
                    : (k & MMU_WATCH_READ) ? KQ_WATCH_READ : KQ_WATCH_WRITE;
}

size_t kq_siginfo(struct proc *p, uint8_t out[KQ_SIGINFO_SIZE])
{
    struct ksiginfo si = { .signo = SIGTRAP };
    unsigned why = p->dbg.last_stop;
    if (p->dbg.held)
        si = p->dbg.held_info;
    else if (why & KQ_STOP_WATCH)
        si.code = TRAP_HWBKPT, si.addr = p->dbg.watch_addr;
    else if (why & KQ_STOP_BREAK)
        si.code = TRAP_BRKPT, si.addr = p->cpu.pc;
    else if (why & KQ_STOP_STEP)
        si.code = TRAP_TRACE, si.addr = p->cpu.pc;
    else
        return 0;
    sig_encode_info(&si, out);
    return KQ_SIGINFO_SIZE;
}

void kq_deliver(struct proc *p, int sig)
{
    int held = p->dbg.held;
    struct ksiginfo info = p->dbg.held_info;
    p->dbg.held = 0;
    if (p->state != PROC_RUNNING)
        return;
    if (sig < 1 || sig > NSIG_LINUX) {
        if (held && p->fault.valid)
            p->fault.valid = false;       /* discarded: the fault never became a signal */
        return;
    }
    if (sig != held)
        info = (struct ksiginfo){ .signo = sig, .code = SI_USER, .pid = p->pid,
                                  .uid = (int)getuid() };
    p->sig.info[sig] = info;
    p->sig.pending |= 1ull << (sig - 1);
    p->dbg.let_through = sig;
    sig_deliver(p);                       /* a frame, or the default action */
    p->dbg.let_through = 0;
}

void kq_kill(struct proc *p)
{
    proc_kill(p, SIGKILL, "killed by the debugger");
}

/* --- reports ----------------------------------------------------------------- */

void kq_print_maps(struct proc *p, FILE *out)
{
    proc_print_maps(p, out);
}

void kq_print_proc_maps(struct proc *p, FILE *out)
{
    for (int i = 0; i < p->vmas.n; i++) {
        const struct vma *v = &p->vmas.v[i];
        char perm[4];
        vma_perm_str(v->perms, perm);
        /* Linux pads the fields to 25 + 6 * sizeof(void *) - 1 columns (48
         * on a 32-bit kernel), then a space, then the name */
        int n = fprintf(out, "%08x-%08x %sp %08x 00:00 0 ", v->start, v->end, perm,
                        v->kind == VMA_FILE ? v->file_off : 0);
        fprintf(out, "%*s ", n < 48 ? 48 - n : 0, "");
        if (v->kind == VMA_FILE)
            fprintf(out, "%s\n", vma_path(p, v));
        else
            fprintf(out, v->name[0] == '[' ? "%s\n" : "[%s]\n", v->name);
    }
}

static const char *const access_word[] = { "fetch", "load", "store" };

/* What the kernel does when the program touches va for access now. */
static void fault_policy(struct proc *p, uint32_t va, int access, char *buf, size_t len)
{
    const struct vma *v = vma_find(&p->vmas, va);
    static const unsigned need[3] = { 4, 3, 2 };
    if (!v) {
        int i = vma_first_above(&p->vmas, va);
        bool stack = i < p->vmas.n && p->vmas.v[i].kind == VMA_STACK &&
                     va >= STACK_TOP - p->stack_limit &&
                     (i == 0 || p->vmas.v[i - 1].end + STACK_GUARD_GAP <= PAGE_DOWN(va));
        snprintf(buf, len, stack ? "the stack grows down to cover it" :
                 "SIGSEGV, SEGV_MAPERR: no segment here");
        return;
    }
    char perm[4];
    if (!(v->perms & need[access])) {
        snprintf(buf, len, "SIGSEGV, SEGV_ACCERR: %s is %s", v->name, vma_perm_str(v->perms, perm));
        return;
    }
    uint32_t *pte = vm_pte(p, va, false);
    uint32_t e = pte ? *pte : 0;
    if (e & PTE_V)
        snprintf(buf, len, "allowed (the page is in memory)");
    else if (pte_state(e) == PTE_STATE_RESIDENT)
        snprintf(buf, len, "allowed: the page gets its frame back");
    else if (pte_state(e) == PTE_STATE_SWAP)
        snprintf(buf, len, "a major fault: a new frame, read back from swap slot %u",
                 pte_swap_slot(e));
    else if (pte_state(e) == PTE_STATE_FILE)
        snprintf(buf, len, "a major fault: a new frame, read back from the file");
    else if (v->kind == VMA_FILE && v->file && va - v->start >= PAGE_UP(v->filesz))
        snprintf(buf, len, "SIGBUS: past the end of the mapped file");
    else
        snprintf(buf, len, "demand paging: a new frame, %s", v->kind == VMA_FILE
                 ? "filled from the file" : v->kind == VMA_SIGPAGE ? "the signal trampoline"
                 : "zero-filled");
}

void kq_print_walk(struct proc *p, uint32_t va, FILE *out)
{
    struct walk_result r;
    mmu_walk(&p->mmu, va, ACC_LOAD, false, &r);
    struct walk_text w = { .va = va, .access = ACC_LOAD, .satp = p->mmu.satp, .levels = r.levels };
    for (int l = 0; l < 2; l++) {
        w.pte_addr[l] = r.pte_addr[l];
        w.pte[l] = r.pte[l];
    }
    fprintf(out, "Sv32 walk of 0x%08x\n", va);
    static const int order[3] = { ACC_LOAD, ACC_STORE, ACC_FETCH };
    char verdict[3][192];
    for (int i = 0; i < 3; i++) {            /* the walk reads the same PTEs for each */
        w.access = order[i];
        walk_text_verdict(&w, verdict[i], sizeof verdict[i]);
    }
    if (!strcmp(verdict[0], verdict[1]) && !strcmp(verdict[0], verdict[2])) {
        walk_text_print(out, &w, verdict[0]);
    } else {
        char first[200];
        snprintf(first, sizeof first, "load:  %s", verdict[0]);
        walk_text_print(out, &w, first);
        fprintf(out, "     store: %s\n     fetch: %s\n", verdict[1], verdict[2]);
    }
    const struct vma *v = vma_find(&p->vmas, va);
    char perm[4];
    if (v) {
        uint32_t resident = 0;
        for (uint32_t a = v->start; a < v->end; a += PAGE_SIZE)
            resident += vm_frame_of(p, a) != UINT32_MAX;
        fprintf(out, "Segment: %s 0x%08x-0x%08x %s (%u/%u pages in memory)\n", v->name,
                v->start, v->end, vma_perm_str(v->perms, perm), resident,
                (v->end - v->start) / PAGE_SIZE);
    } else {
        fprintf(out, "Segment: none contains 0x%08x\n", va);
    }
    fprintf(out, "If the program touched it now:\n");
    for (int i = 0; i < 3; i++) {
        char what[128];
        fault_policy(p, va, order[i], what, sizeof what);
        fprintf(out, "  %-5s %s\n", access_word[order[i]], what);
    }
}

void kq_print_frames(struct proc *p, FILE *out)
{
    uint32_t n = p->pm.nframes, used = frame_used(&p->frames);
    fprintf(out, "%u frames of 4 KiB (%u MiB); %u in use (peak %u), %u free; "
            "%u pages on swap\n", n, n / 256, used, p->frames.peak_used, n - used, p->swap.used);
    fprintf(out, "  frame     holds\n");
    for (uint32_t f = 0; f < p->frames.hwm; f++) {          /* frames above were never used */
        uint32_t vpn = p->frames.vpn[f];
        if (p->frames.use[f] == FRAME_PAGETABLE) {
            if (f == p->root_frame)
                fprintf(out, "  0x%05x   page table: the root (satp)\n", f);
            else
                fprintf(out, "  0x%05x   page table for 0x%08x-0x%08x (root entry %u)\n", f,
                        vpn << 22, (vpn << 22) + 0x3fffffu, vpn);
        } else if (p->frames.use[f] == FRAME_PAGE) {
            uint32_t va = vpn << PAGE_SHIFT;
            const struct vma *v = vma_find(&p->vmas, va);
            uint32_t *pte = vm_pte(p, va, false);
            uint32_t e = pte ? *pte : 0;
            fprintf(out, "  0x%05x   page 0x%08x  %-10s PTE %c%c%c%s%s%s%s\n", f, va,
                    v ? v->name : "?", e & PTE_R ? 'r' : '-', e & PTE_W ? 'w' : '-',
                    e & PTE_X ? 'x' : '-', e & PTE_V ? "" : " parked (no access)",
                    e & PTE_A ? " accessed" : "", e & PTE_D ? " dirty" : "",
                    p->frames.slot[f] ? " (a copy in swap)" : "");
        }
    }
}

void kq_print_tlb(struct proc *p, FILE *out)
{
    const struct mmu *m = &p->mmu;
    unsigned nd = 0, nf = 0;
    for (uint32_t i = 0; i < TLB_SIZE; i++)
        nd += tlb_tag_valid(m->tlb[i].rtag, i) || tlb_tag_valid(m->tlb[i].wtag, i);
    for (uint32_t i = 0; i < ITLB_SIZE; i++)
        nf += tlb_tag_valid(m->itlb[i].tag, i);
    fprintf(out, "Data TLB: %u entries, direct-mapped by virtual page number; %u valid\n",
            TLB_SIZE, nd);
    fprintf(out, "  page        frame    tags (a missing tag sends that access to the slow path)\n");
    for (uint32_t i = 0; i < TLB_SIZE; i++) {
        const struct tlb_data *e = &m->tlb[i];
        bool r = tlb_tag_valid(e->rtag, i), w = tlb_tag_valid(e->wtag, i);
        if (!r && !w)
            continue;
        uint32_t page = r ? e->rtag : e->wtag;
        uintptr_t host = (uintptr_t)page + e->addend;
        fprintf(out, "  0x%08x  0x%05x  %c %c\n", page, (unsigned)((host - (uintptr_t)p->pm.ram) >> PAGE_SHIFT),
                r ? 'R' : '-', w ? 'W' : '-');
    }
    fprintf(out, "Fetch TLB: %u entries; %u valid\n", ITLB_SIZE, nf);
    for (uint32_t i = 0; i < ITLB_SIZE; i++)
        if (tlb_tag_valid(m->itlb[i].tag, i))
            fprintf(out, "  0x%08x  0x%05x  X\n", m->itlb[i].tag, m->itlb[i].frame);
    fprintf(out, "Watchpoints (their pages get no tag of that kind): %u\n", m->nwatch);
    for (unsigned i = 0; i < m->nwatch; i++) {
        const struct mmu_watch *w = &m->watch[i];
        fprintf(out, "  0x%08x, %u bytes, %s\n", w->addr, w->len,
                w->kinds == (MMU_WATCH_READ | MMU_WATCH_WRITE) ? "reads and writes"
                : w->kinds & MMU_WATCH_READ ? "reads" : "writes");
    }
}

int kq_write_core(struct proc *p, int sig, int fd)
{
    return core_snapshot(p, sig, fd);
}