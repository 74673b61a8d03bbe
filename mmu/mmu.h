/* mmu/mmu.h — the Sv32 MMU: page walk, A/D bits, software TLB.
 *
 * The MMU only translates and reports faults, as a CPU would: a failed
 * access leaves a {cause, vaddr, access} record in mmu->fault and returns 0;
 * the kernel decides what it means.
 *
 * TLB: two direct-mapped arrays indexed by the virtual page number, one for
 * data (a read tag and a write tag sharing one host addend, 16 bytes) and
 * one for instruction fetch.  A tag is the page's virtual address, and
 * host = va + addend.  A tag is only filled when the PTE allows that access
 * and its A (and for writes D) bit is already set, so a hit never needs to
 * look at the PTE.  A frame that holds decoded instructions never gets a
 * write tag: stores to it take the slow path, which tells the decode cache
 * (mmu->code_write) first.
 *
 * An empty TLB needs no writes: an empty tag is TLB_INVALID, or 0 in any
 * slot but the first.  Slot i only ever holds pages whose VPN is i modulo
 * the table's size, and the one page whose address is 0 (page 0) has slot
 * 0, so a 0 tag elsewhere can match no lookup.  Zeroed memory with slot 0
 * set to TLB_INVALID is therefore an empty table: mmu_init writes one
 * entry of each table, and the host pages of the rest are only touched
 * when an entry on them is filled (tlb_used says which; mmu_flush_all
 * zeroes just those).  tlb_tag_valid is the rule, for code that reads
 * entries rather than looking one page up.
 *
 * Watchpoints without debug hardware: a debugger's watched range makes
 * every page it overlaps lose its write tag (a write watch), its read tag
 * (a read watch), or both, so every access to those pages takes the slow
 * path, which compares the access with the watched ranges.  An access that
 * overlaps one is reported as a fault with cause CAUSE_WATCHPOINT before
 * any byte moves; the CPU then performs it with the check off (watch_off,
 * cpu_finish_watched) and stops after the instruction.  Nothing changes on the hot path: the
 * other pages keep their tags, and with no watch the slow path tests one
 * counter.
 */
#ifndef VMLAB_MMU_MMU_H
#define VMLAB_MMU_MMU_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "mmu/pmem.h"
#include "mmu/sv32.h"

#define TLB_BITS    16                 /* data: 64 Ki entries, 1 MiB */
#define TLB_SIZE    (1u << TLB_BITS)
#define ITLB_BITS   12                 /* fetch: 4 Ki entries, 64 KiB */
#define ITLB_SIZE   (1u << ITLB_BITS)
/* A tag no lookup can match: lookups compare a page address whose low
 * bits are zero except, for a misaligned access, the bits below the access
 * size (MMU_TAG); bit 11 is never among them.  (1 would match a misaligned
 * 32-bit load from address 1 against an empty entry.) */
#define TLB_INVALID 0x800u
/* Entries per chunk of tlb_used: 256, 4 KiB of either table (a host page). */
#define TLB_CHUNK_BITS 8

/* Not a RISC-V cause: 24 is in the range the privileged spec leaves for
 * custom use.  A load or store touched a watched range; nothing was
 * accessed yet (mmu->watch_hit says which range). */
#define CAUSE_WATCHPOINT 24

#define MMU_WATCH_READ  1u                 /* loads (and AMOs) stop */
#define MMU_WATCH_WRITE 2u                 /* stores (and AMOs) stop */
#define MMU_MAX_WATCH   16

struct mmu_watch {
    gva_t    addr;
    uint32_t len;                   /* bytes, at least 1 */
    unsigned kinds;                 /* MMU_WATCH_* */
};

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* One data TLB entry: loads compare rtag, stores wtag; both name the same
 * page when both are valid, so they share the addend.  16 bytes, so the
 * index is a shift and four entries share a cache line. */
struct tlb_data {
    uint32_t  rtag;                 /* page va, or empty (tlb_tag_valid) */
    uint32_t  wtag;                 /* page va, or empty (tlb_tag_valid) */
    uintptr_t addend;               /* host address = va + addend */
};

/* Does the tag in TLB slot `slot` (of either table) name a page?  Not when
 * it is TLB_INVALID, nor when it is 0 outside slot 0 (the top of this
 * file).  Lookups need no such test: they compare with a page address of
 * their own slot, which neither empty value can equal. */
static inline bool tlb_tag_valid(uint32_t tag, uint32_t slot)
{
    return tag != TLB_INVALID && (tag != 0 || slot == 0);
}

/* One fetch TLB entry. */
struct tlb_fetch {
    uint32_t  tag;                  /* page va, or empty (tlb_tag_valid) */
    uint32_t  frame;                /* physical frame number of the page */
    uintptr_t addend;               /* host address = va + addend */
};

struct mmu_fault {
    int              cause;         /* CAUSE_*: 12/13/15 page fault, 1/5/7 access fault */
    gva_t            addr;          /* faulting virtual address (stval) */
    enum mmu_access  access;
};

/* One translation, step by step, for traces, the inspector and the view. */
struct walk_result {
    int      levels;                /* PTEs read: 1 or 2 */
    gpa_t    pte_addr[2];           /* [0] root entry, [1] leaf entry */
    uint32_t pte[2];                /* their values (after any A/D update) */
    gpa_t    pa;                    /* result, when cause == 0 */
    int      cause;                 /* 0 or CAUSE_* */
};

struct mmu_stats {
    uint64_t tlb_misses;            /* slow-path translations */
    uint64_t walks;                 /* page-table walks */
    uint64_t faults;                /* walks that ended in a fault */
    uint64_t flushes;               /* flush calls (range or whole) */
};

struct mmu {
    /* first: the hot path indexes them (generated code too). */
    struct tlb_data  tlb[TLB_SIZE];
    struct tlb_fetch itlb[ITLB_SIZE];
    struct pmem     *pm;
    uint32_t         satp;          /* MODE | ASID | root PPN */
    uint8_t         *code_frames;   /* per frame: decoded instructions exist */
    uint8_t         *write_tagged;  /* per frame: a write tag may name it (cleared
                                     * when the whole TLB is flushed) */
    uint32_t         write_tagged_hwm; /* write_tagged[f] is 0 for f >= this */
    void           (*code_write)(void *ctx, uint32_t frame); /* before a store to such a frame */
    void            *code_ctx;
    struct mmu_fault fault;         /* the last fault */
    struct mmu_stats st;
    /* chunks (TLB_CHUNK_BITS) of the tables holding an entry filled since
     * the last whole flush; a bit per chunk, set at each fill */
    uint64_t         tlb_used[(TLB_SIZE >> TLB_CHUNK_BITS) / 64];
    uint64_t         itlb_used;
    /* watched ranges (see the top of this file) */
    struct mmu_watch watch[MMU_MAX_WATCH];
    unsigned         nwatch;
    bool             watch_off;     /* the CPU is performing a reported access */
    struct {
        gva_t    addr;              /* first watched byte the access touched */
        unsigned kind;              /* MMU_WATCH_READ or _WRITE: what it did */
        int      index;             /* which watch[] */
    } watch_hit;                    /* the last CAUSE_WATCHPOINT */
};

/* Set up an MMU over pm with translation off (satp 0 is invalid here: the
 * kernel sets a root before running).  *m must be zeroed memory (calloc,
 * a static): its 1 MiB of TLB is taken as it is, an empty TLB (the top of
 * this file), so that only the pages of entries used are ever touched.
 * Every other field is set here.  Returns 0 or -ENOMEM. */
int  mmu_init(struct mmu *m, struct pmem *pm);
void mmu_destroy(struct mmu *m);

/* Install satp (MODE must be Sv32) and flush the whole TLB (nothing to do
 * when no entry was filled since the last whole flush). */
void mmu_set_satp(struct mmu *m, uint32_t satp);

/* Walk the page table for va as `access` from U-mode.  With update_ad the
 * A bit (and D for stores) is set in the leaf PTE as hardware with Svadu
 * does; without it nothing is written (inspection).  Returns 0 and fills
 * r->pa, or the fault cause (also in r->cause).  Never reads outside
 * physical memory: such a PTE address is an access fault. */
int mmu_walk(struct mmu *m, gva_t va, enum mmu_access access, bool update_ad,
             struct walk_result *r);

/* Drop every TLB entry / those for pages overlapping [va, va+len). */
void mmu_flush_all(struct mmu *m);
void mmu_flush_range(struct mmu *m, gva_t va, uint32_t len);

/* Watch [addr, addr+len) for kinds (MMU_WATCH_*): the pages it overlaps
 * lose those TLB tags.  Returns 0, -EINVAL (len 0, no kind, or wrapping
 * past 4 GiB) or -ENOSPC (MMU_MAX_WATCH set).  Remove takes the same
 * arguments; returns 0 or -ENOENT. */
int mmu_watch_insert(struct mmu *m, gva_t addr, uint32_t len, unsigned kinds);
int mmu_watch_remove(struct mmu *m, gva_t addr, uint32_t len, unsigned kinds);

/* Mark a frame as holding decoded instructions: its write tags are dropped
 * so the next store to it goes through code_write.  mmu_unmark_code_frame
 * is called by the decode cache when it drops the frame's instructions. */
void mmu_mark_code_frame(struct mmu *m, uint32_t frame);
static inline void mmu_unmark_code_frame(struct mmu *m, uint32_t frame)
{
    m->code_frames[frame] = 0;
}

/* Slow paths (out of line): page crossings, misses, faults.  Return true on
 * success; on failure m->fault is set and nothing was written. */
bool mmu_read_slow(struct mmu *m, gva_t va, uint32_t size, void *out);
bool mmu_write_slow(struct mmu *m, gva_t va, uint32_t size, const void *in);

/* Translate for instruction fetch: host pointer to the page holding pc and
 * its frame number.  Returns NULL on a fault (m->fault set). */
uint8_t *mmu_fetch_page_slow(struct mmu *m, gva_t pc, uint32_t *frame);

static inline uint8_t *mmu_fetch_page(struct mmu *m, gva_t pc, uint32_t *frame)
{
    struct tlb_fetch *e = &m->itlb[VA_VPN(pc) & (ITLB_SIZE - 1)];
    if (likely(e->tag == PAGE_DOWN(pc))) {
        *frame = e->frame;
        return (uint8_t *)(uintptr_t)(PAGE_DOWN(pc) + e->addend);
    }
    return mmu_fetch_page_slow(m, pc, frame);
}

/* Host pointer for an aligned word that is about to be read and written
 * (AMO, SC): translated as a store, so a read-only page is a store/AMO page
 * fault.  NULL on a fault (m->fault set). */
uint8_t *mmu_store_ptr_slow(struct mmu *m, gva_t va);
static inline uint8_t *mmu_store_ptr(struct mmu *m, gva_t va)
{
    struct tlb_data *e = &m->tlb[VA_VPN(va) & (TLB_SIZE - 1)];
    if (likely(e->wtag == PAGE_DOWN(va)))
        return (uint8_t *)(uintptr_t)(va + e->addend);
    return mmu_store_ptr_slow(m, va);
}

/* The host address of va if the TLB holds a translation of its page for
 * `access` (so the access is allowed and A/D are already set), else NULL.
 * For the kernel's own accesses to user memory. */
static inline uint8_t *mmu_tlb_lookup(struct mmu *m, gva_t va, enum mmu_access access)
{
    gva_t page = PAGE_DOWN(va);
    if (access == ACC_FETCH) {
        struct tlb_fetch *e = &m->itlb[VA_VPN(va) & (ITLB_SIZE - 1)];
        return e->tag == page ? (uint8_t *)(uintptr_t)(va + e->addend) : NULL;
    }
    struct tlb_data *e = &m->tlb[VA_VPN(va) & (TLB_SIZE - 1)];
    uint32_t tag = access == ACC_STORE ? e->wtag : e->rtag;
    return tag == page ? (uint8_t *)(uintptr_t)(va + e->addend) : NULL;
}

/* The data TLB entry of va: its byte offset straight from va (entries are
 * 16 bytes), one shift and one mask where indexing would take three. */
_Static_assert(sizeof(struct tlb_data) == 16, "a data TLB entry is 16 bytes");
static inline struct tlb_data *mmu_tlb_entry(struct mmu *m, gva_t va)
{
    return (struct tlb_data *)(void *)((char *)m->tlb +
                                       ((va >> (PAGE_SHIFT - 4)) & ((TLB_SIZE - 1) << 4)));
}

/* By-value slow paths for the interpreter, so that no register has its
 * address taken on the hot path: a load returns the zero-extended value,
 * or MMU_LOAD_FAULT. */
#define MMU_LOAD_FAULT (1ull << 32)
uint64_t mmu_load_slow(struct mmu *m, gva_t va, uint32_t size);
bool mmu_store_slow(struct mmu *m, gva_t va, uint32_t size, uint32_t val);

/* The hot path: index, one tag compare, host addend.  The compared value
 * keeps the address's alignment bits, so a misaligned access (the only kind
 * that can cross a page) never matches a page-aligned tag and takes the
 * slow path.  Little-endian host assumed (x86-64, aarch64). */
#define MMU_TAG(va, bytes) ((va) & ~(uint32_t)(PAGE_MASK & ~((bytes) - 1u)))
#define MMU_ACCESSORS(bits)                                                   \
static inline uint64_t mmu_load##bits(struct mmu *m, gva_t va)               \
{                                                                             \
    struct tlb_data *e = mmu_tlb_entry(m, va);                                \
    if (likely(e->rtag == MMU_TAG(va, (bits) / 8))) {                         \
        uint##bits##_t v_;                                                    \
        memcpy(&v_, (void *)(uintptr_t)(va + e->addend), (bits) / 8);        \
        return v_;                                                            \
    }                                                                         \
    return mmu_load_slow(m, va, (bits) / 8);                                  \
}                                                                             \
static inline bool mmu_store##bits(struct mmu *m, gva_t va, uint##bits##_t v) \
{                                                                             \
    struct tlb_data *e = mmu_tlb_entry(m, va);                                \
    if (likely(e->wtag == MMU_TAG(va, (bits) / 8))) {                         \
        memcpy((void *)(uintptr_t)(va + e->addend), &v, (bits) / 8);         \
        return true;                                                          \
    }                                                                         \
    return mmu_store_slow(m, va, (bits) / 8, v);                              \
}                                                                             \
static inline bool mmu_read##bits(struct mmu *m, gva_t va, uint##bits##_t *v) \
{                                                                             \
    uint64_t r = mmu_load##bits(m, va);                                       \
    if (r & MMU_LOAD_FAULT)                                                   \
        return false;                                                         \
    *v = (uint##bits##_t)r;                                                   \
    return true;                                                              \
}                                                                             \
static inline bool mmu_write##bits(struct mmu *m, gva_t va, uint##bits##_t v) \
{                                                                             \
    return mmu_store##bits(m, va, v);                                         \
}
MMU_ACCESSORS(8)
MMU_ACCESSORS(16)
MMU_ACCESSORS(32)
#undef MMU_ACCESSORS

#endif
