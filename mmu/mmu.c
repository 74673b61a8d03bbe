/* mmu/mmu.c — Sv32 walk, A/D update, TLB fill and flush, slow paths. */
#include "mmu/mmu.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>

static const struct tlb_data  data_invalid  = { TLB_INVALID, TLB_INVALID, 0 };
static const struct tlb_fetch fetch_invalid = { TLB_INVALID, 0, 0 };

#define CHUNK (1u << TLB_CHUNK_BITS)
_Static_assert(TLB_SIZE % (64 * CHUNK) == 0 && ITLB_SIZE / CHUNK <= 64,
               "tlb_used and itlb_used cover the tables");

/* Zero the chunks filled since the last whole flush and make slot 0 empty
 * again (zero is empty everywhere else: see mmu.h). */
static void tlb_clear_all(struct mmu *m)
{
    for (unsigned w = 0; w < sizeof m->tlb_used / sizeof m->tlb_used[0]; w++)
        for (uint64_t bits = m->tlb_used[w]; bits; bits &= bits - 1) {
            unsigned c = w * 64 + (unsigned)__builtin_ctzll(bits);
            memset(&m->tlb[c * CHUNK], 0, CHUNK * sizeof m->tlb[0]);
        }
    for (uint64_t bits = m->itlb_used; bits; bits &= bits - 1)
        memset(&m->itlb[(unsigned)__builtin_ctzll(bits) * CHUNK], 0, CHUNK * sizeof m->itlb[0]);
    memset(m->tlb_used, 0, sizeof m->tlb_used);
    m->itlb_used = 0;
    m->tlb[0] = data_invalid;
    m->itlb[0] = fetch_invalid;
}

int mmu_init(struct mmu *m, struct pmem *pm)
{
    /* The tables come zeroed (mmu.h): memory that is not would translate
     * wrongly, so look at entries at both ends of each (one page read). */
    assert(m->tlb[TLB_SIZE - 1].rtag == 0 && m->tlb[TLB_SIZE - 1].wtag == 0 &&
           m->tlb[1].rtag == 0 && m->itlb[ITLB_SIZE - 1].tag == 0 && m->itlb[1].tag == 0);
    memset((char *)m + offsetof(struct mmu, pm), 0, sizeof *m - offsetof(struct mmu, pm));
    m->pm = pm;
    m->code_frames = calloc(pm->nframes, 1);
    m->write_tagged = calloc(pm->nframes, 1);
    if (!m->code_frames || !m->write_tagged) {
        mmu_destroy(m);
        return -ENOMEM;
    }
    tlb_clear_all(m);                 /* nothing used yet: slot 0 only */
    return 0;
}

void mmu_destroy(struct mmu *m)
{
    free(m->code_frames);
    free(m->write_tagged);
    m->code_frames = m->write_tagged = NULL;
}

void mmu_set_satp(struct mmu *m, uint32_t satp)
{
    assert(satp & SATP_MODE_SV32);
    m->satp = satp;
    mmu_flush_all(m);
}

void mmu_flush_all(struct mmu *m)
{
    tlb_clear_all(m);
    memset(m->write_tagged, 0, m->write_tagged_hwm);
    m->write_tagged_hwm = 0;
    m->st.flushes++;
}

void mmu_flush_range(struct mmu *m, gva_t va, uint32_t len)
{
    if (len == 0)
        return;
    uint64_t first = VA_VPN(va), last = ((uint64_t)va + len - 1) >> PAGE_SHIFT;
    if (last - first + 1 >= TLB_SIZE) {
        mmu_flush_all(m);
        return;
    }
    for (uint64_t vpn = first; vpn <= last; vpn++) {
        uint32_t page = (uint32_t)(vpn << PAGE_SHIFT);
        struct tlb_data *d = &m->tlb[vpn & (TLB_SIZE - 1)];
        struct tlb_fetch *f = &m->itlb[vpn & (ITLB_SIZE - 1)];
        if (d->rtag == page || d->wtag == page)
            *d = data_invalid;
        if (f->tag == page)
            *f = fetch_invalid;
    }
    m->st.flushes++;
}

void mmu_mark_code_frame(struct mmu *m, uint32_t frame)
{
    if (m->code_frames[frame])
        return;
    m->code_frames[frame] = 1;
    if (!m->write_tagged[frame])
        return;                     /* text pages, usually: nothing to scan */
    m->write_tagged[frame] = 0;
    uintptr_t host = (uintptr_t)pmem_frame(m->pm, frame);
    for (unsigned w = 0; w < sizeof m->tlb_used / sizeof m->tlb_used[0]; w++)
        for (uint64_t bits = m->tlb_used[w]; bits; bits &= bits - 1) {
            uint32_t first = (w * 64 + (unsigned)__builtin_ctzll(bits)) * CHUNK;
            for (uint32_t i = first; i < first + CHUNK; i++) {
                struct tlb_data *e = &m->tlb[i];
                if (tlb_tag_valid(e->wtag, i) && e->wtag + e->addend == host)
                    e->wtag = TLB_INVALID;
            }
        }
}

int mmu_watch_insert(struct mmu *m, gva_t addr, uint32_t len, unsigned kinds)
{
    kinds &= MMU_WATCH_READ | MMU_WATCH_WRITE;
    if (len == 0 || kinds == 0 || (uint64_t)addr + len > 0x100000000ull)
        return -EINVAL;
    if (m->nwatch == MMU_MAX_WATCH)
        return -ENOSPC;
    m->watch[m->nwatch++] = (struct mmu_watch){ addr, len, kinds };
    mmu_flush_range(m, addr, len);           /* drop the tags it forbids */
    return 0;
}

int mmu_watch_remove(struct mmu *m, gva_t addr, uint32_t len, unsigned kinds)
{
    kinds &= MMU_WATCH_READ | MMU_WATCH_WRITE;
    for (unsigned i = 0; i < m->nwatch; i++) {
        struct mmu_watch *w = &m->watch[i];
        if (w->addr == addr && w->len == len && w->kinds == kinds) {
            *w = m->watch[--m->nwatch];
            /* the pages get their tags back at their next slow access */
            return 0;
        }
    }
    return -ENOENT;
}

/* The TLB entry just filled for va's page loses the tags its watches
 * forbid: the read tag under a read watch, the write tag under a write
 * watch.  Returns host (translate's answer), so that translate can end in
 * a tail call and its own path stays as it was. */
static __attribute__((noinline)) uint8_t *watch_untag(struct mmu *m, gva_t va, uint8_t *host)
{
    gva_t page = PAGE_DOWN(va);
    unsigned k = 0;
    for (unsigned i = 0; i < m->nwatch; i++) {
        const struct mmu_watch *w = &m->watch[i];
        if ((uint64_t)w->addr < (uint64_t)page + PAGE_SIZE &&
            (uint64_t)w->addr + w->len > page)
            k |= w->kinds;
    }
    struct tlb_data *e = &m->tlb[VA_VPN(va) & (TLB_SIZE - 1)];
    if ((k & MMU_WATCH_READ) && e->rtag == page)
        e->rtag = TLB_INVALID;
    if ((k & MMU_WATCH_WRITE) && e->wtag == page)
        e->wtag = TLB_INVALID;
    return host;
}

/* Does an access of `kind` to [va, va+size) touch a watched range?  Then
 * record the hit and the fault (nothing is accessed). */
static __attribute__((noinline)) bool watch_trips(struct mmu *m, gva_t va, uint32_t size, unsigned kind,
                                 enum mmu_access access)
{
    if (m->watch_off)
        return false;
    for (unsigned i = 0; i < m->nwatch; i++) {
        const struct mmu_watch *w = &m->watch[i];
        if ((w->kinds & kind) && (uint64_t)va < (uint64_t)w->addr + w->len &&
            (uint64_t)va + size > w->addr) {
            m->watch_hit.addr = va > w->addr ? va : w->addr;
            m->watch_hit.kind = kind & w->kinds;
            m->watch_hit.index = (int)i;
            m->fault.cause = CAUSE_WATCHPOINT;
            m->fault.addr = va;
            m->fault.access = access;
            return true;
        }
    }
    return false;
}

/* The access fault and page fault causes for each access kind. */
static const int page_fault_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_PAGE_FAULT,
    [ACC_LOAD]  = CAUSE_LOAD_PAGE_FAULT,
    [ACC_STORE] = CAUSE_STORE_PAGE_FAULT,
};
static const int access_fault_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_ACCESS,
    [ACC_LOAD]  = CAUSE_LOAD_ACCESS,
    [ACC_STORE] = CAUSE_STORE_ACCESS,
};

/* The translation walk of the privileged spec (PLATFORM.md §6.4), for a
 * U-mode access with MXR = 0.  Superpages (leaf at level 1) are accepted
 * when aligned; the vmlab kernel itself only makes 4 KiB leaves. */
int mmu_walk(struct mmu *m, gva_t va, enum mmu_access access, bool update_ad,
             struct walk_result *r)
{
    memset(r, 0, sizeof *r);
    m->st.walks++;
    gpa_t table = (gpa_t)SATP_PPN(m->satp) << PAGE_SHIFT;
    uint32_t vpn[2] = { VA_VPN0(va), VA_VPN1(va) };
    int cause = 0;

    for (int level = 1; level >= 0; level--) {
        gpa_t pte_addr = table + (gpa_t)vpn[level] * 4;
        uint8_t *p = pmem_ptr(m->pm, pte_addr, 4);
        if (!p) {                                    /* step 2: PMA check */
            cause = access_fault_cause[access];
            goto out;
        }
        uint32_t pte;
        memcpy(&pte, p, 4);
        r->pte_addr[r->levels] = pte_addr;
        r->pte[r->levels] = pte;
        r->levels++;

        if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W))) {   /* step 3 */
            cause = page_fault_cause[access];
            goto out;
        }
        if (!PTE_IS_LEAF(pte)) {                     /* step 4: next level */
            if (level == 0) {
                cause = page_fault_cause[access];
                goto out;
            }
            table = PTE_PA(pte);
            continue;
        }
        /* step 5: leaf permission check, U-mode */
        bool ok = (pte & PTE_U) &&
                  ((access == ACC_FETCH && (pte & PTE_X)) ||
                   (access == ACC_LOAD && (pte & PTE_R)) ||
                   (access == ACC_STORE && (pte & PTE_W)));
        if (!ok) {
            cause = page_fault_cause[access];
            goto out;
        }
        gpa_t pa;
        if (level == 1) {                            /* step 6: superpage */
            if (PTE_PPN(pte) & 0x3ff) {
                cause = page_fault_cause[access];
                goto out;
            }
            pa = PTE_PA(pte) | ((gpa_t)vpn[0] << PAGE_SHIFT) | VA_OFFSET(va);
        } else {
            pa = PTE_PA(pte) | VA_OFFSET(va);
        }
        /* step 7: Svadu — set A, and D on a store, in memory */
        uint32_t want = PTE_A | (access == ACC_STORE ? PTE_D : 0);
        if (update_ad && (pte & want) != want) {
            pte |= want;
            memcpy(p, &pte, 4);
            r->pte[r->levels - 1] = pte;
        }
        if (!pmem_ptr(m->pm, pa, 1)) {               /* step 8: PMA check */
            cause = access_fault_cause[access];
            goto out;
        }
        r->pa = pa;
        goto out;
    }
out:
    r->cause = cause;
    if (cause)
        m->st.faults++;
    return cause;
}

/* Translate one page for `access` and refill the TLB entry.  Returns the
 * host pointer for va, or NULL with m->fault set. */
static uint8_t *translate(struct mmu *m, gva_t va, enum mmu_access access)
{
    struct walk_result r;
    m->st.tlb_misses++;
    if (mmu_walk(m, va, access, true, &r)) {
        m->fault.cause = r.cause;
        m->fault.addr = va;
        m->fault.access = access;
        return NULL;
    }
    uint32_t pte = r.pte[r.levels - 1];
    gva_t page = PAGE_DOWN(va);
    uint32_t frame = (uint32_t)(r.pa >> PAGE_SHIFT);
    uint8_t *host_page = pmem_frame(m->pm, frame);

    uintptr_t addend = (uintptr_t)host_page - (uintptr_t)page;
    /* Fill every kind this PTE allows without a further A/D update (the
     * data entry as a whole: its tags share the addend).  A superpage leaf
     * is cached per 4 KiB page, which is exact. */
    if (pte & PTE_A) {
        uint32_t slot = VA_VPN(va) & (TLB_SIZE - 1), islot = VA_VPN(va) & (ITLB_SIZE - 1);
        if (pte & PTE_R) {
            bool w = (pte & PTE_W) && (pte & PTE_D) && !m->code_frames[frame];
            if (w) {
                m->write_tagged[frame] = 1;
                if (frame >= m->write_tagged_hwm)
                    m->write_tagged_hwm = frame + 1;
            }
            m->tlb[slot] = (struct tlb_data){ page, w ? page : TLB_INVALID, addend };
            m->tlb_used[slot >> TLB_CHUNK_BITS >> 6] |= 1ull << (slot >> TLB_CHUNK_BITS & 63);
        }
        if (pte & PTE_X) {
            m->itlb[islot] = (struct tlb_fetch){ page, frame, addend };
            m->itlb_used |= 1ull << (islot >> TLB_CHUNK_BITS);
        }
    }
    if (unlikely(m->nwatch))                         /* watched: keep it slow */
        return watch_untag(m, va, host_page + VA_OFFSET(va));   /* a tail call */
    return host_page + VA_OFFSET(va);
}

/* A page-crossing access is done in two parts, both translated before any
 * byte moves: a fault names the first byte of the page that faulted, and a
 * store that faults writes nothing (PLATFORM.md §7.1). */
bool mmu_read_slow(struct mmu *m, gva_t va, uint32_t size, void *out)
{
    uint32_t first = PAGE_SIZE - VA_OFFSET(va);
    if (first > size)
        first = size;
    uint8_t *h0 = mmu_tlb_lookup(m, va, ACC_LOAD);       /* misaligned accesses come here too */
    if (!h0 && !(h0 = translate(m, va, ACC_LOAD)))
        return false;
    if (first == size) {
        if (unlikely(m->nwatch) && watch_trips(m, va, size, MMU_WATCH_READ, ACC_LOAD))
            return false;
        memcpy(out, h0, size);
        return true;
    }
    uint8_t *h1 = mmu_tlb_lookup(m, va + first, ACC_LOAD);
    if (!h1)
        h1 = translate(m, va + first, ACC_LOAD);
    if (!h1)
        return false;
    if (unlikely(m->nwatch) && watch_trips(m, va, size, MMU_WATCH_READ, ACC_LOAD))
        return false;
    memcpy(out, h0, first);
    memcpy((uint8_t *)out + first, h1, size - first);
    return true;
}

static uint8_t *translate_store(struct mmu *m, gva_t va)
{
    uint8_t *h = mmu_tlb_lookup(m, va, ACC_STORE);         /* never a code frame: no hook */
    if (h)
        return h;
    h = translate(m, va, ACC_STORE);
    if (h) {
        uint32_t frame = (uint32_t)((h - m->pm->ram) >> PAGE_SHIFT);
        if (m->code_frames[frame] && m->code_write) {
            m->code_write(m->code_ctx, frame);    /* drops decoded code */
            m->code_frames[frame] = 0;
        }
    }
    return h;
}

uint64_t mmu_load_slow(struct mmu *m, gva_t va, uint32_t size)
{
    uint32_t v = 0;
    if (!mmu_read_slow(m, va, size, &v))
        return MMU_LOAD_FAULT;
    return v;
}

bool mmu_store_slow(struct mmu *m, gva_t va, uint32_t size, uint32_t val)
{
    return mmu_write_slow(m, va, size, &val);
}

uint8_t *mmu_store_ptr_slow(struct mmu *m, gva_t va)
{
    uint8_t *h = translate_store(m, va);
    if (h && unlikely(m->nwatch) &&          /* an AMO or SC reads and writes */
        watch_trips(m, va, 4, MMU_WATCH_READ | MMU_WATCH_WRITE, ACC_STORE))
        return NULL;
    return h;
}

bool mmu_write_slow(struct mmu *m, gva_t va, uint32_t size, const void *in)
{
    uint32_t first = PAGE_SIZE - VA_OFFSET(va);
    if (first > size)
        first = size;
    uint8_t *h0 = translate_store(m, va);
    if (!h0)
        return false;
    if (first == size) {
        if (unlikely(m->nwatch) && watch_trips(m, va, size, MMU_WATCH_WRITE, ACC_STORE))
            return false;
        memcpy(h0, in, size);
        return true;
    }
    uint8_t *h1 = translate_store(m, va + first);
    if (!h1)
        return false;
    if (unlikely(m->nwatch) && watch_trips(m, va, size, MMU_WATCH_WRITE, ACC_STORE))
        return false;
    memcpy(h0, in, first);
    memcpy(h1, (const uint8_t *)in + first, size - first);
    return true;
}

uint8_t *mmu_fetch_page_slow(struct mmu *m, gva_t pc, uint32_t *frame)
{
    uint8_t *h = translate(m, pc, ACC_FETCH);
    if (!h)
        return NULL;
    *frame = (uint32_t)((h - m->pm->ram) >> PAGE_SHIFT);
    return h - VA_OFFSET(pc);
}
