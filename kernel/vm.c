/* kernel/vm.c — page tables, demand paging, and user-memory copies. */
#include "kernel/vm.h"

#include <errno.h>
#include <string.h>

#include "kernel/proc.h"
#include "kernel/query.h"
#include "kernel/reclaim.h"

/* A debugger's write bringing a page in (vm_debug_copy): counted and
 * traced like a store fault, but with no permission check. */
#define ACC_DEBUG 3
static const char *const access_name[] = { "fetch", "load", "store", "debugger write" };

uint32_t vm_pte_perms(unsigned perms)
{
    uint32_t f = PTE_V | PTE_U;
    if (perms & (1 | 2))
        f |= PTE_R;
    if (perms & 2)
        f |= PTE_W;
    if (perms & 4)
        f |= PTE_X;
    return f;
}

static uint32_t *table_at(struct proc *p, uint32_t frame)
{
    return (uint32_t *)pmem_frame(&p->pm, frame);
}

uint32_t *vm_pte(struct proc *p, uint32_t va, bool alloc)
{
    uint32_t *root = table_at(p, p->root_frame);
    uint32_t *l1 = &root[VA_VPN1(va)];
    if (!(*l1 & PTE_V)) {
        if (!alloc)
            return NULL;
        uint32_t f = reclaim_alloc(p, FRAME_PAGETABLE, VA_VPN1(va));
        if (f == FRAME_NONE)
            return NULL;
        frame_zero(&p->frames, f);
        *l1 = PTE_MAKE(f, PTE_V);          /* pointer: R = W = X = 0 */
    }
    return &table_at(p, PTE_PPN(*l1))[VA_VPN0(va)];
}

int vm_map(struct proc *p, uint32_t va, uint32_t frame, unsigned perms)
{
    uint32_t *pte = vm_pte(p, va, true);
    if (!pte)
        return -ENOMEM;
    *pte = perms ? PTE_MAKE(frame, vm_pte_perms(perms))
                 : PTE_MAKE(frame, PTE_PARKED);
    return 0;
}

uint32_t vm_frame_of(struct proc *p, uint32_t va)
{
    uint32_t *pte = vm_pte(p, va, false);
    if (!pte || !pte_resident(*pte))
        return UINT32_MAX;
    return PTE_PPN(*pte);
}

void vm_count_pages(struct proc *p, uint32_t start, uint32_t end, uint32_t n[4])
{
    n[0] = n[1] = n[2] = n[3] = 0;
    const uint32_t *root = table_at(p, p->root_frame);
    for (uint32_t va = start; va < end && va >= start; va += PAGE_SIZE) {
        if (!(root[VA_VPN1(va)] & PTE_V)) {              /* a whole 4 MiB untouched */
            uint32_t next = (va | 0x3fffffu) + 1;
            uint32_t stop = next == 0 || next > end ? end : next;
            n[PTE_STATE_NONE] += (stop - va) / PAGE_SIZE;
            if (stop == end)
                break;
            va = stop - PAGE_SIZE;
            continue;
        }
        n[pte_state(*vm_pte(p, va, false))]++;
    }
}

void vm_unmap_range(struct proc *p, uint32_t start, uint32_t end)
{
    for (uint32_t va = start; va < end && va >= start; va += PAGE_SIZE) {
        uint32_t *root = table_at(p, p->root_frame);
        if (!(root[VA_VPN1(va)] & PTE_V)) {              /* skip a whole 4 MiB */
            uint32_t next = (va | 0x3fffffu) + 1;
            if (next == 0)
                break;
            va = next - PAGE_SIZE;
            continue;
        }
        uint32_t *pte = vm_pte(p, va, false);
        enum pte_state st = pte_state(*pte);
        if (st == PTE_STATE_SWAP) {
            swap_free(&p->swap, pte_swap_slot(*pte));
            *pte = 0;
            continue;
        }
        if (st != PTE_STATE_RESIDENT) {
            *pte = 0;
            continue;
        }
        uint32_t f = PTE_PPN(*pte);
        *pte = 0;
        cpu_drop_decoded(&p->cpu, f);
        reclaim_untrack(p, f);
        frame_release(&p->frames, f);
        FILE *t = proc_trace(p, TRACE_PAGE);
        if (t)
            fprintf(t, "[page] unmap 0x%08x (frame %u freed)\n", va, f);
    }
    mmu_flush_range(&p->mmu, start, end - start);
}

int vm_move_range(struct proc *p, uint32_t from, uint32_t to, uint32_t len)
{
    /* Every destination table first, so that a shortage of frames changes
     * nothing. */
    for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
        uint32_t *src = vm_pte(p, from + off, false);
        if (src && *src && !vm_pte(p, to + off, true))
            return -ENOMEM;
    }
    for (uint32_t off = 0; off < len; off += PAGE_SIZE) {
        uint32_t *src = vm_pte(p, from + off, false);
        if (!src || !*src)
            continue;
        uint32_t *dst = vm_pte(p, to + off, false);
        *dst = *src;                                /* frame, parked or whatever it holds */
        *src = 0;
        if (pte_resident(*dst)) {
            uint32_t f = PTE_PPN(*dst);
            p->frames.vpn[f] = VA_VPN(to + off);
            cpu_drop_decoded(&p->cpu, f);
        }
    }
    mmu_flush_range(&p->mmu, from, len);
    mmu_flush_range(&p->mmu, to, len);
    return 0;
}

/* Fill a new frame for page va of VMA v: file bytes or the signal
 * trampoline (the frame is zeroed already). */
static inline void fill_page(struct proc *p, const struct vma *v, uint32_t va, uint8_t *dst)
{
    if (v->kind == VMA_FILE) {
        uint32_t off = va - v->start;
        if (off < v->filesz) {
            uint32_t n = v->filesz - off < PAGE_SIZE ? v->filesz - off : PAGE_SIZE;
            memcpy(dst, vma_bytes(p, v) + v->file_off + off, n);   /* bounds checked at map time */
        }
    } else if (v->kind == VMA_SIGPAGE) {
        static const uint32_t tramp[2] = { 0x08b00893, 0x00000073 }; /* li a7,139; ecall */
        memcpy(dst, tramp, sizeof tramp);
    }
}

bool vm_page_bytes(struct proc *p, const struct vma *v, uint32_t va, uint8_t *out)
{
    uint32_t *pte = vm_pte(p, va, false);
    uint32_t e = pte ? *pte : 0;
    switch (pte_state(e)) {
    case PTE_STATE_RESIDENT:
        memcpy(out, pmem_frame(&p->pm, PTE_PPN(e)), PAGE_SIZE);
        return true;
    case PTE_STATE_SWAP:                         /* read the slot; the page stays out */
        if (swap_read(&p->swap, pte_swap_slot(e), out) == 0)
            return true;
        memset(out, 0, PAGE_SIZE);
        return false;
    default:                                     /* never touched, or dropped clean */
        memset(out, 0, PAGE_SIZE);
        fill_page(p, v, PAGE_DOWN(va), out);
        return true;
    }
}

/* Grow the stack VMA down to cover va if the limit and guard gap allow. */
static struct vma *grow_stack(struct proc *p, uint32_t va)
{
    int i = vma_first_above(&p->vmas, va);
    if (i >= p->vmas.n || p->vmas.v[i].kind != VMA_STACK)
        return NULL;
    struct vma *s = &p->vmas.v[i];
    uint32_t lowest = STACK_TOP - p->stack_limit;
    uint32_t new_start = PAGE_DOWN(va);
    if (va < lowest)
        return NULL;
    if (i > 0 && p->vmas.v[i - 1].end + STACK_GUARD_GAP > new_start)
        return NULL;
    FILE *t = proc_trace(p, TRACE_FAULT);
    if (t)
        fprintf(t, "[fault] stack grows from 0x%08x down to 0x%08x (%u KiB of %u KiB limit)\n",
                s->start, new_start, (STACK_TOP - new_start) / 1024, p->stack_limit / 1024);
    s->start = new_start;
    p->st.faults_stack_growth++;
    proc_event(p, KQ_EV_PAGE, new_start, "stack grows down to 0x%08x", new_start);
    return s;
}

static inline int page_in(struct proc *p, struct vma *v, uint32_t va, int access);

int vm_fault(struct proc *p, uint32_t va, int access)
{
    struct vma *v = vma_find(&p->vmas, va);
    if (!v)
        v = grow_stack(p, va);
    if (!v)
        return SEGV_MAPERR;
    /* Linux riscv access_error(): write implies read. */
    if (v->kind == VMA_FILE && v->file && va - v->start >= PAGE_UP(v->filesz))
        return VM_FAULT_SIGBUS;                  /* wholly past the end of the file */
    bool ok = access == ACC_FETCH ? (v->perms & 4)
            : access == ACC_LOAD  ? (v->perms & 3)
            : (v->perms & 2);
    if (!ok)
        return SEGV_ACCERR;
    return page_in(p, v, va, access);
}

/* Give page va of v its frame (its contents from swap, the file or
 * zeros), as the access (or ACC_DEBUG) that needs it: vm_fault after the
 * permission checks. */
static inline __attribute__((always_inline)) int page_in(struct proc *p, struct vma *v,
                                                         uint32_t va, int access)
{
    uint32_t page = PAGE_DOWN(va);
    uint32_t *pte = vm_pte(p, page, true);
    if (!pte)
        return -ENOMEM;
    enum pte_state state = pte_state(*pte);
    if (state == PTE_STATE_RESIDENT && !(*pte & PTE_V)) {
        /* parked: frame kept while inaccessible, allowed again */
        *pte = (*pte & ~PTE_SW_MASK) | vm_pte_perms(v->perms);
        p->st.faults_parked++;
        return 0;
    }
    if (state == PTE_STATE_RESIDENT) {  /* already mapped and allowed: a stale TLB entry */
        p->st.faults_spurious++;
        mmu_flush_range(&p->mmu, page, PAGE_SIZE);
        return 0;
    }
    uint32_t f = reclaim_alloc(p, FRAME_PAGE, VA_VPN(page));
    if (f == FRAME_NONE)
        return -ENOMEM;
    /* The access that faulted is a reference (A), and a store makes the
     * page dirty (D): the PTE starts as the walk would leave it. */
    uint32_t ad = PTE_A | (access == ACC_STORE || access == ACC_DEBUG ? PTE_D : 0);
    const char *event, *how;             /* for the event log, for --trace page */
    if (state == PTE_STATE_SWAP) {
        uint32_t slot = pte_swap_slot(*pte);
        int rc = swap_read(&p->swap, slot, pmem_frame(&p->pm, f));
        if (rc) {
            frame_release(&p->frames, f);
            snprintf(p->kill_msg, sizeof p->kill_msg,
                     "cannot read page 0x%08x back from swap slot %u: %s", page, slot,
                     rc == -EIO ? "the swap file is shorter than it was (truncated?)"
                     : rc == -EBADMSG ? "the page read back is not the page written (the swap "
                                        "file was changed or truncated behind vmlab's back)"
                     : strerror(-rc));
            return VM_FAULT_SWAPIN;
        }
        p->st.swapins++;
        if (2 * p->swap.used > p->swap.nslots) {
            /* Swap more than half full (Linux vm_swap_full()): give the
             * slot back now; the page is dirty again, as it has no copy. */
            swap_free(&p->swap, slot);
            ad |= PTE_D;
        } else {
            p->frames.slot[f] = slot;    /* swap cache: evicting it clean writes nothing */
        }
        event = how = "read back from swap (major fault)";
    } else {
        frame_zero(&p->frames, f);
        fill_page(p, v, page, pmem_frame(&p->pm, f));
        if (state == PTE_STATE_FILE) {
            p->st.file_refaults++;
            event = how = "read back from the file (major fault)";
        } else if (v->kind == VMA_FILE) {
            p->st.faults_file++;
            event = "from the file", how = "filled from the ELF file";
        } else {
            if (v->kind != VMA_SIGPAGE)
                p->st.faults_demand_zero++;
            event = "zero-filled";
            how = v->kind == VMA_SIGPAGE ? "signal trampoline" : "zero-filled";
        }
    }
    uint32_t slot_was = state == PTE_STATE_SWAP ? pte_swap_slot(*pte) : 0;
    *pte = PTE_MAKE(f, vm_pte_perms(v->perms) | ad);
    if (v->kind != VMA_SIGPAGE)
        reclaim_track(p, f);
    proc_event(p, KQ_EV_PAGE, page, "%s 0x%08x in %s: frame %u, %s", access_name[access], va,
               v->name, f, event);
    FILE *t = proc_trace(p, TRACE_PAGE);
    if (t) {
        if (slot_was)
            fprintf(t, "[page] %s fault at 0x%08x in %s: frame %u, read back from swap slot %u "
                    "(major fault)\n", access_name[access], va, v->name, f, slot_was);
        else
            fprintf(t, "[page] %s fault at 0x%08x in %s: frame %u, %s\n", access_name[access],
                    va, v->name, f, how);
    }
    return 0;
}

/* Translate one user page for the kernel, faulting it in when the segment
 * allows.  Returns a host pointer to va, or NULL. */
static uint8_t *user_ptr(struct proc *p, uint32_t va, enum mmu_access acc)
{
    uint8_t *h = mmu_tlb_lookup(&p->mmu, va, acc);
    if (h)
        return h;
    struct walk_result r;
    for (int tries = 0; tries < 2; tries++) {
        if (mmu_walk(&p->mmu, va, acc, true, &r) == 0)
            return pmem_ptr(&p->pm, r.pa, 1);
        if (vm_fault(p, va, acc) != 0)
            return NULL;
    }
    return NULL;
}

static int copy(struct proc *p, uint32_t uva, uint8_t *kbuf, size_t len,
                enum mmu_access acc, size_t *done)
{
    size_t n = 0;
    int rc = 0;
    while (n < len) {
        uint32_t va = uva + (uint32_t)n;
        if (va < uva) {                      /* wrapped past 4 GiB */
            rc = -EFAULT;
            break;
        }
        size_t chunk = PAGE_SIZE - VA_OFFSET(va);
        if (chunk > len - n)
            chunk = len - n;
        uint8_t *h = user_ptr(p, va, acc);
        if (!h) {
            rc = -EFAULT;
            break;
        }
        if (acc == ACC_STORE) {
            uint32_t f = (uint32_t)((h - p->pm.ram) >> PAGE_SHIFT);
            if (p->mmu.code_frames[f])
                cpu_drop_decoded(&p->cpu, f);
            memcpy(h, kbuf + n, chunk);
        } else {
            memcpy(kbuf + n, h, chunk);
        }
        n += chunk;
    }
    if (done)
        *done = n;
    return rc;
}

int vm_probe(struct proc *p, uint32_t va, size_t len, enum mmu_access acc)
{
    if (len == 0)
        return 0;
    uint64_t end = (uint64_t)va + len;
    if (end > 0x100000000ull)
        return -EFAULT;
    for (uint64_t a = PAGE_DOWN(va); a < end; a += PAGE_SIZE)
        if (!user_ptr(p, (uint32_t)(a < va ? va : a), acc))
            return -EFAULT;
    return 0;
}

int vm_copy_in(struct proc *p, void *dst, uint32_t src, size_t len, size_t *done)
{
    return copy(p, src, dst, len, ACC_LOAD, done);
}

int vm_copy_out(struct proc *p, uint32_t dst, const void *src, size_t len, size_t *done)
{
    return copy(p, dst, (uint8_t *)(uintptr_t)src, len, ACC_STORE, done);
}

long vm_copy_str(struct proc *p, char *dst, uint32_t src, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        uint8_t *h = user_ptr(p, src + (uint32_t)i, ACC_LOAD);
        if (!h)
            return -EFAULT;
        dst[i] = (char)*h;
        if (!dst[i])
            return (long)i;
    }
    return -ENAMETOOLONG;
}

/* The page va for a debugger: its host bytes and PTE when it has a frame.
 * To be written, a page without one is brought in first (page_in, with
 * no permission check).  NULL when it has none (and is only read), when
 * va is in no segment or past the end of a mapped file, or when no frame
 * can be had. */
static uint8_t *debug_page(struct proc *p, uint32_t va, bool write, uint32_t **pte_out)
{
    uint32_t *pte = vm_pte(p, va, false);
    if (!pte || !pte_resident(*pte)) {
        struct vma *v = vma_find(&p->vmas, va);
        if (!write || !v || (v->kind == VMA_FILE && v->file && va - v->start >= PAGE_UP(v->filesz)) ||
            page_in(p, v, va, ACC_DEBUG) != 0)
            return NULL;
        pte = vm_pte(p, va, false);
    }
    *pte_out = pte;
    return pmem_frame(&p->pm, PTE_PPN(*pte));
}

size_t vm_debug_copy(struct proc *p, uint32_t va, void *buf, size_t len, bool write)
{
    uint8_t *b = buf;
    size_t n = 0;
    while (n < len) {
        uint32_t a = va + (uint32_t)n;
        if (a < va)                              /* wrapped past 4 GiB */
            break;
        size_t off = VA_OFFSET(a), chunk = PAGE_SIZE - off;
        if (chunk > len - n)
            chunk = len - n;
        uint32_t *pte = NULL;
        uint8_t *host = debug_page(p, a, write, &pte);
        if (!host && !write) {
            struct vma *v = vma_find(&p->vmas, a);
            uint8_t page[PAGE_SIZE];
            if (!v || (v->kind == VMA_FILE && v->file && a - v->start >= PAGE_UP(v->filesz)))
                break;
            /* not in memory: what it holds; reading a swap slot for a look
             * is not one of the program's page-ins, so it is not counted */
            uint64_t reads = p->swap.reads, errors = p->swap.read_errors;
            bool ok = vm_page_bytes(p, v, a, page);
            p->swap.reads = reads;
            p->swap.read_errors = errors;
            if (!ok)
                break;
            memcpy(b + n, page + off, chunk);
        } else if (!host) {
            break;
        } else if (write) {
            uint32_t f = PTE_PPN(*pte);
            if (p->mmu.code_frames[f])
                cpu_drop_decoded(&p->cpu, f);    /* new code: decode it again */
            memcpy(host + off, b + n, chunk);
            if (*pte & PTE_V)
                *pte |= PTE_D;                   /* it now differs from its backing */
        } else {
            memcpy(b + n, host + off, chunk);
        }
        n += chunk;
    }
    return n;
}
