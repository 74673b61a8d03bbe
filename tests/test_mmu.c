/* tests/test_mmu.c — CUnit suite for mmu/: physical memory, the Sv32 walk,
 * permission checks, A/D updates, the TLB and its flushes.
 *
 * Runs without the kernel: each test builds a fresh pmem, an MMU and a
 * root page table, and maps pages by writing PTEs straight into physical
 * memory with the PTE_* macros of mmu/sv32.h.  Expected physical addresses
 * are computed from our own tables, the TLB is observed through the MMU's
 * counters (mmu->st.walks, tlb_misses), and the code-write hook through a
 * counting hook installed by the test.
 */
#include "mmu/mmu.h"
#include "mmu/pmem.h"
#include "mmu/sv32.h"

#include <CUnit/CUnit.h>
#include "tests/suites.h"
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* ------------------------------------------------------------------------
 * The fixture.
 */

#define MEM_SIZE (1024u * 1024)

#define F_RW   (PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D)
#define F_RO   (PTE_V | PTE_R | PTE_U | PTE_A)
#define F_RX   (PTE_V | PTE_R | PTE_X | PTE_U | PTE_A)
#define F_RWX  (PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D)

struct mfx {
    struct pmem pm;
    struct mmu  mmu;
    uint32_t    root;          /* frame of the root table */
    uint32_t    next;          /* bump allocator */
};

static uint32_t mfx_frame(struct mfx *f)
{
    CU_ASSERT_FATAL(f->next < f->pm.nframes);
    memset(pmem_frame(&f->pm, f->next), 0, PAGE_SIZE);
    return f->next++;
}

static struct mfx *mfx_new_size(uint64_t size)
{
    struct mfx *f = calloc(1, sizeof *f);
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_FATAL(pmem_init(&f->pm, size) == 0);
    CU_ASSERT_FATAL(mmu_init(&f->mmu, &f->pm) == 0);
    f->next = 1;
    f->root = mfx_frame(f);
    mmu_set_satp(&f->mmu, SATP_MODE_SV32 | f->root);
    return f;
}
static struct mfx *mfx_new(void) { return mfx_new_size(MEM_SIZE); }

static void mfx_free(struct mfx *f)
{
    mmu_destroy(&f->mmu);
    pmem_free(&f->pm);
    free(f);
}

static uint32_t *mfx_root_pte(struct mfx *f, uint32_t va)
{
    return (uint32_t *)pmem_frame(&f->pm, f->root) + VA_VPN1(va);
}

/* The level-0 PTE for va, making the level-0 table if needed. */
static uint32_t *mfx_pte(struct mfx *f, uint32_t va)
{
    uint32_t *l1 = mfx_root_pte(f, va);
    if (!(*l1 & PTE_V))
        *l1 = PTE_MAKE(mfx_frame(f), PTE_V);
    return (uint32_t *)pmem_frame(&f->pm, PTE_PPN(*l1)) + VA_VPN0(va);
}

static void mfx_map(struct mfx *f, uint32_t va, uint32_t frame, uint32_t flags)
{
    *mfx_pte(f, va) = PTE_MAKE(frame, flags);
}

static uint32_t mfx_map_new(struct mfx *f, uint32_t va, uint32_t flags)
{
    uint32_t fr = mfx_frame(f);
    mfx_map(f, va, fr, flags);
    return fr;
}

static uint32_t phys32(struct mfx *f, gpa_t pa)
{
    uint32_t v;
    memcpy(&v, f->pm.ram + pa, 4);
    return v;
}
static void phys_put32(struct mfx *f, gpa_t pa, uint32_t v) { memcpy(f->pm.ram + pa, &v, 4); }
static gpa_t frame_pa(uint32_t frame) { return (gpa_t)frame << PAGE_SHIFT; }

static const int pf_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_PAGE_FAULT,
    [ACC_LOAD]  = CAUSE_LOAD_PAGE_FAULT,
    [ACC_STORE] = CAUSE_STORE_PAGE_FAULT,
};
static const int af_cause[] = {
    [ACC_FETCH] = CAUSE_FETCH_ACCESS,
    [ACC_LOAD]  = CAUSE_LOAD_ACCESS,
    [ACC_STORE] = CAUSE_STORE_ACCESS,
};
static const char *const acc_name[] = { "fetch", "load", "store" };

/* The three access kinds through the MMU's own entry points: each returns
 * true on success, or false with m->fault set. */
static bool access_va(struct mfx *f, uint32_t va, enum mmu_access acc)
{
    uint32_t v = 0x5a5a5a5a, frame;
    switch (acc) {
    case ACC_FETCH: return mmu_fetch_page(&f->mmu, va, &frame) != NULL;
    case ACC_LOAD:  return mmu_read32(&f->mmu, va, &v);
    case ACC_STORE: return mmu_write32(&f->mmu, va, v);
    }
    return false;
}

/* Expect every access kind at va to fault with the page-fault (or access-
 * fault) cause of that kind, both from mmu_walk and from the accessors;
 * `levels` is how many PTEs the walk read. */
static void expect_fault_all(struct mfx *f, uint32_t va, const int *cause, int levels,
                             const char *what)
{
    for (int acc = ACC_FETCH; acc <= ACC_STORE; acc++) {
        struct walk_result r;
        int rc = mmu_walk(&f->mmu, va, (enum mmu_access)acc, true, &r);
        CHECK(rc == cause[acc] && r.cause == cause[acc],
              "%s, %s at 0x%x: walk gave %d (r.cause %d), want %d",
              what, acc_name[acc], va, rc, r.cause, cause[acc]);
        CHECK(r.levels == levels, "%s, %s: walk read %d PTEs, want %d",
              what, acc_name[acc], r.levels, levels);
        memset(&f->mmu.fault, 0, sizeof f->mmu.fault);
        bool ok = access_va(f, va, (enum mmu_access)acc);
        CHECK(!ok, "%s, %s at 0x%x: access succeeded", what, acc_name[acc], va);
        CHECK(f->mmu.fault.cause == cause[acc] && f->mmu.fault.addr == va &&
              f->mmu.fault.access == (enum mmu_access)acc,
              "%s, %s: fault {cause %d, addr 0x%x, access %d}, want {%d, 0x%x, %d}",
              what, acc_name[acc], f->mmu.fault.cause, f->mmu.fault.addr,
              (int)f->mmu.fault.access, cause[acc], va, acc);
    }
}

/* ------------------------------------------------------------------------
 * The walk.
 */

static void test_walk_two_level(void)
{
    struct mfx *f = mfx_new();
    const uint32_t va = 0x12345678;               /* VPN[1] 0x048, VPN[0] 0x345 */
    uint32_t fr = mfx_map_new(f, va, F_RW);
    uint32_t fr2 = mfx_map_new(f, va + PAGE_SIZE, F_RW);     /* VPN[0] 0x346 */
    uint32_t fr3 = mfx_map_new(f, 0x00345000, F_RW);         /* VPN[1] 0, VPN[0] 0x345 */
    uint32_t l0 = PTE_PPN(*mfx_root_pte(f, va));
    phys_put32(f, frame_pa(fr) + 0x678, 0x11111111);
    phys_put32(f, frame_pa(fr2) + 0x678, 0x22222222);
    phys_put32(f, frame_pa(fr3) + 0x678, 0x33333333);

    struct walk_result r;
    CU_ASSERT_EQUAL(mmu_walk(&f->mmu, va, ACC_LOAD, false, &r), 0);
    CU_ASSERT_EQUAL(r.cause, 0);
    CU_ASSERT_EQUAL(r.levels, 2);
    CU_ASSERT_EQUAL(r.pa, frame_pa(fr) + 0x678);
    CU_ASSERT_EQUAL(r.pte_addr[0], frame_pa(f->root) + 0x048 * 4);
    CU_ASSERT_EQUAL(r.pte_addr[1], frame_pa(l0) + 0x345 * 4);
    CU_ASSERT_EQUAL(r.pte[0], PTE_MAKE(l0, PTE_V));
    CU_ASSERT_EQUAL(r.pte[1], PTE_MAKE(fr, F_RW));

    uint32_t v = 0;
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x11111111);
    CU_ASSERT(mmu_read32(&f->mmu, va + PAGE_SIZE, &v) && v == 0x22222222);
    CU_ASSERT(mmu_read32(&f->mmu, 0x00345678, &v) && v == 0x33333333);
    CU_ASSERT(mmu_write32(&f->mmu, va + 4, 0xfeedface));
    CU_ASSERT_EQUAL(phys32(f, frame_pa(fr) + 0x67c), 0xfeedface);
    uint8_t b = 0;
    uint16_t h = 0;
    CU_ASSERT(mmu_read8(&f->mmu, va + 7, &b) && b == 0xfe);
    CU_ASSERT(mmu_read16(&f->mmu, va + 5, &h) && h == 0xedfa);
    CU_ASSERT(mmu_write8(&f->mmu, va + 1, 0x99));
    CU_ASSERT(mmu_write16(&f->mmu, va + 2, 0x7788));
    CU_ASSERT_EQUAL(phys32(f, frame_pa(fr) + 0x678), 0x77889911);
    mfx_free(f);
}

static void test_walk_root_invalid(void)
{
    struct mfx *f = mfx_new();
    mfx_map_new(f, 0x00400000, F_RWX);                   /* some other region */
    expect_fault_all(f, 0x80001000, pf_cause, 1, "no root entry");
    struct walk_result r;
    mmu_walk(&f->mmu, 0x80001000, ACC_LOAD, true, &r);
    CU_ASSERT_EQUAL(r.pte_addr[0], frame_pa(f->root) + VA_VPN1(0x80001000) * 4);
    CU_ASSERT_EQUAL(r.pte[0], 0);

    /* V = 0 with other bits set is still invalid */
    *mfx_root_pte(f, 0x80400000) = PTE_MAKE(f->next, PTE_R | PTE_W | PTE_X | PTE_U | PTE_A);
    expect_fault_all(f, 0x80400000, pf_cause, 1, "root entry V=0");
    uint64_t faults = f->mmu.st.faults;
    mmu_walk(&f->mmu, 0x80400000, ACC_LOAD, true, &r);
    CU_ASSERT_EQUAL(f->mmu.st.faults, faults + 1);
    mfx_free(f);
}

static void test_walk_leaf_invalid(void)
{
    struct mfx *f = mfx_new();
    mfx_map_new(f, 0x10000, F_RWX & ~PTE_V);
    expect_fault_all(f, 0x10000, pf_cause, 2, "leaf V=0");
    mfx_free(f);
}

/* R=0, W=1 is reserved (privileged spec; PLATFORM.md §6.4 step 3). */
static void test_walk_reserved_rw(void)
{
    struct mfx *f = mfx_new();
    mfx_map_new(f, 0x10000, PTE_V | PTE_W | PTE_U | PTE_A | PTE_D);
    expect_fault_all(f, 0x10000, pf_cause, 2, "leaf W without R");
    mfx_map_new(f, 0x11000, PTE_V | PTE_W | PTE_X | PTE_U | PTE_A | PTE_D);
    expect_fault_all(f, 0x11000, pf_cause, 2, "leaf WX without R");
    /* at the root level too */
    *mfx_root_pte(f, 0x00800000) = PTE_MAKE(mfx_frame(f), PTE_V | PTE_W);
    expect_fault_all(f, 0x00800000, pf_cause, 1, "root entry W without R");
    mfx_free(f);
}

/* A pointer PTE (R = X = 0) at level 0 has no further level: page fault. */
static void test_walk_pointer_at_level0(void)
{
    struct mfx *f = mfx_new();
    uint32_t t = mfx_frame(f);
    mfx_map(f, 0x10000, t, PTE_V);
    expect_fault_all(f, 0x10000, pf_cause, 2, "pointer PTE at level 0");
    mfx_free(f);
}

static void test_walk_user_bit(void)
{
    struct mfx *f = mfx_new();
    mfx_map_new(f, 0x10000, F_RWX & ~PTE_U);
    expect_fault_all(f, 0x10000, pf_cause, 2, "U=0 page");
    mfx_free(f);
}

/* Fetch needs X, load needs R (MXR = 0: X alone is not enough), store
 * needs W, for every legal R/W/X combination. */
static void test_walk_permissions(void)
{
    static const uint32_t perms[] = {
        PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X, PTE_R | PTE_W | PTE_X,
    };
    struct mfx *f = mfx_new();
    for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
        uint32_t va = 0x10000 + (uint32_t)i * PAGE_SIZE;
        mfx_map_new(f, va, perms[i] | PTE_V | PTE_U | PTE_A | PTE_D);
        for (int acc = ACC_FETCH; acc <= ACC_STORE; acc++) {
            bool want = acc == ACC_FETCH ? (perms[i] & PTE_X) :
                        acc == ACC_LOAD  ? (perms[i] & PTE_R) : (perms[i] & PTE_W);
            struct walk_result r;
            int rc = mmu_walk(&f->mmu, va + 0x10, (enum mmu_access)acc, false, &r);
            CHECK(want ? rc == 0 : rc == pf_cause[acc],
                  "perm %c%c%c, %s: walk gave %d", perms[i] & PTE_R ? 'r' : '-',
                  perms[i] & PTE_W ? 'w' : '-', perms[i] & PTE_X ? 'x' : '-',
                  acc_name[acc], rc);
            bool ok = access_va(f, va + 0x10, (enum mmu_access)acc);
            CHECK(ok == want, "perm %c%c%c, %s: access %s",
                  perms[i] & PTE_R ? 'r' : '-', perms[i] & PTE_W ? 'w' : '-',
                  perms[i] & PTE_X ? 'x' : '-', acc_name[acc], ok ? "allowed" : "denied");
            if (!want)
                CU_ASSERT_EQUAL(f->mmu.fault.cause, pf_cause[acc]);
        }
    }
    mfx_free(f);
}

/* A leaf or pointer whose PPN is outside physical memory is an access
 * fault (1/5/7), never a host read outside pmem. */
static void test_walk_outside_pmem(void)
{
    struct mfx *f = mfx_new();
    uint32_t n = f->pm.nframes;
    mfx_map(f, 0x10000, n, F_RWX);                       /* first frame past the end */
    expect_fault_all(f, 0x10000, af_cause, 2, "leaf PPN = nframes");
    mfx_map(f, 0x11000, 0x3fffff, F_RWX);                /* PA 0x3_ffff_f000 */
    expect_fault_all(f, 0x11000, af_cause, 2, "leaf PPN = 0x3fffff");
    mfx_map(f, 0x12000, n + 0x100000, F_RWX);            /* PA above 4 GiB */
    expect_fault_all(f, 0x12000, af_cause, 2, "leaf PPN above 4 GiB");
    /* the pointer at level 1 leads outside: the level-0 PTE cannot be read */
    *mfx_root_pte(f, 0x00c00000) = PTE_MAKE(n + 3, PTE_V);
    expect_fault_all(f, 0x00c00000, af_cause, 1, "pointer PPN outside");
    *mfx_root_pte(f, 0x01000000) = PTE_MAKE(0x3fffff, PTE_V);
    expect_fault_all(f, 0x01000fff, af_cause, 1, "pointer PPN = 0x3fffff");

    /* the last frame is inside: its last word reads and writes */
    mfx_map(f, 0x13000, n - 1, F_RW);
    CU_ASSERT(mmu_write32(&f->mmu, 0x13ffc, 0xa5a5a5a5));
    CU_ASSERT_EQUAL(phys32(f, f->pm.size - 4), 0xa5a5a5a5);
    mfx_free(f);
}

/* satp pointing outside physical memory: the root PTE read is an access
 * fault and no PTE was read. */
static void test_walk_bad_satp(void)
{
    struct mfx *f = mfx_new();
    mfx_map_new(f, 0x10000, F_RWX);
    mmu_set_satp(&f->mmu, SATP_MODE_SV32 | f->pm.nframes);
    expect_fault_all(f, 0x10000, af_cause, 0, "root table at nframes");
    mmu_set_satp(&f->mmu, SATP_MODE_SV32 | 0x3fffff);
    expect_fault_all(f, 0x10000, af_cause, 0, "root table PPN 0x3fffff");
    /* back to the real root: works again */
    mmu_set_satp(&f->mmu, SATP_MODE_SV32 | f->root);
    CU_ASSERT(access_va(f, 0x10000, ACC_LOAD));
    mfx_free(f);
}

/* 4 MiB superpages: a leaf at level 1 with PPN[0] = 0 maps
 * PA = PPN[1] << 22 | VA[21:0]; PPN[0] != 0 is a misaligned superpage. */
static void test_superpage(void)
{
    struct mfx *f = mfx_new_size(8u * 1024 * 1024);      /* frames 0..2047 */
    *mfx_root_pte(f, 0x00400000) = PTE_MAKE(1024, F_RW);  /* PA 4 MiB */
    phys_put32(f, 0x412344, 0xc0ffee00);
    phys_put32(f, 0x7ffffc, 0x12121212);
    phys_put32(f, 0x401000, 0x34343434);

    struct walk_result r;
    CU_ASSERT_EQUAL(mmu_walk(&f->mmu, 0x00412345, ACC_LOAD, false, &r), 0);
    CU_ASSERT_EQUAL(r.levels, 1);
    CU_ASSERT_EQUAL(r.pa, 0x412345);
    CU_ASSERT_EQUAL(r.pte_addr[0], frame_pa(f->root) + 1 * 4);
    uint32_t v = 0;
    CU_ASSERT(mmu_read32(&f->mmu, 0x00412344, &v) && v == 0xc0ffee00);
    CU_ASSERT(mmu_read32(&f->mmu, 0x007ffffc, &v) && v == 0x12121212);
    CU_ASSERT(mmu_read32(&f->mmu, 0x00401000, &v) && v == 0x34343434);
    CU_ASSERT(mmu_write32(&f->mmu, 0x00400008, 0x5678));
    CU_ASSERT_EQUAL(phys32(f, 0x400008), 0x5678);

    /* misaligned: PPN[0] = 1 */
    *mfx_root_pte(f, 0x00800000) = PTE_MAKE(1025, F_RWX);
    expect_fault_all(f, 0x00800000, pf_cause, 1, "misaligned superpage");
    *mfx_root_pte(f, 0x00c00000) = PTE_MAKE(1024 | 0x200, F_RWX);
    expect_fault_all(f, 0x00c01000, pf_cause, 1, "misaligned superpage (PPN[0] bit 9)");

    /* aligned but beyond physical memory: access fault */
    *mfx_root_pte(f, 0x01000000) = PTE_MAKE(2048, F_RWX);
    expect_fault_all(f, 0x01000000, af_cause, 1, "superpage beyond pmem");

    /* A/D are set in the level-1 leaf */
    *mfx_root_pte(f, 0x01400000) = PTE_MAKE(0, PTE_V | PTE_R | PTE_W | PTE_U);
    CU_ASSERT(mmu_write32(&f->mmu, 0x01400100, 1));
    CU_ASSERT_EQUAL(*mfx_root_pte(f, 0x01400000) & (PTE_A | PTE_D), PTE_A | PTE_D);
    CU_ASSERT_EQUAL(phys32(f, 0x100), 1);
    mfx_free(f);
}

/* ------------------------------------------------------------------------
 * A and D (Svadu: the walk sets them in memory).
 */

static void test_ad_bits(void)
{
    struct mfx *f = mfx_new();
    const uint32_t base = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U;   /* A, D clear */
    uint32_t v;
    mfx_map_new(f, 0x10000, base);
    mfx_map_new(f, 0x11000, base);
    mfx_map_new(f, 0x12000, base);
    mfx_map_new(f, 0x13000, PTE_V | PTE_R | PTE_U);                /* read-only, no A */

    CU_ASSERT(mmu_read32(&f->mmu, 0x10000, &v));
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x10000) & (PTE_A | PTE_D), PTE_A);

    CU_ASSERT(mmu_write32(&f->mmu, 0x11000, 1));
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x11000) & (PTE_A | PTE_D), PTE_A | PTE_D);

    uint32_t frame;
    CU_ASSERT(mmu_fetch_page(&f->mmu, 0x12000, &frame) != NULL);
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x12000) & (PTE_A | PTE_D), PTE_A);

    /* a denied store sets nothing */
    CU_ASSERT_FALSE(mmu_write32(&f->mmu, 0x13000, 1));
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x13000) & (PTE_A | PTE_D), 0);

    /* after a load set A, a store to the same page still sets D */
    CU_ASSERT(mmu_write32(&f->mmu, 0x10004, 2));
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x10000) & (PTE_A | PTE_D), PTE_A | PTE_D);

    /* mmu_store_ptr (AMO/SC) is a store: sets A and D */
    mfx_map_new(f, 0x14000, base);
    CU_ASSERT(mmu_store_ptr(&f->mmu, 0x14008) != NULL);
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x14000) & (PTE_A | PTE_D), PTE_A | PTE_D);

    /* update_ad = true reports the updated PTE */
    mfx_map_new(f, 0x15000, base);
    struct walk_result r;
    CU_ASSERT_EQUAL(mmu_walk(&f->mmu, 0x15000, ACC_STORE, true, &r), 0);
    CU_ASSERT_EQUAL(r.pte[1] & (PTE_A | PTE_D), PTE_A | PTE_D);
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x15000), r.pte[1]);
    mfx_free(f);
}

/* mmu_walk with update_ad = false writes nothing anywhere. */
static void test_walk_inspect_writes_nothing(void)
{
    struct mfx *f = mfx_new();
    const uint32_t base = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U;
    mfx_map_new(f, 0x10000, base);
    *mfx_root_pte(f, 0x00400000) = PTE_MAKE(0, base);            /* a superpage too */
    mfx_map_new(f, 0x11000, PTE_V | PTE_R | PTE_U);
    uint32_t before = *mfx_pte(f, 0x10000);
    uint8_t *snap = malloc(f->pm.size);
    CU_ASSERT_FATAL(snap != NULL);
    memcpy(snap, f->pm.ram, f->pm.size);

    static const uint32_t vas[] = { 0x10000, 0x10ffc, 0x00400000, 0x11000, 0x99999000 };
    for (size_t i = 0; i < sizeof vas / sizeof vas[0]; i++) {
        for (int acc = ACC_FETCH; acc <= ACC_STORE; acc++) {
            struct walk_result r;
            mmu_walk(&f->mmu, vas[i], (enum mmu_access)acc, false, &r);
            if (vas[i] == 0x10000) {
                CU_ASSERT_EQUAL(r.cause, 0);
                CU_ASSERT_EQUAL(r.pte[1], before);
            }
        }
    }
    CU_ASSERT(memcmp(snap, f->pm.ram, f->pm.size) == 0);
    CU_ASSERT_EQUAL(*mfx_pte(f, 0x10000) & (PTE_A | PTE_D), 0);
    free(snap);
    mfx_free(f);
}

/* ------------------------------------------------------------------------
 * The TLB.
 */

/* A hit does not look at the PTE again: changing the PTE in memory keeps
 * the old translation until that page is flushed (as on hardware without
 * sfence.vma).  This is what proves the TLB is in use. */
static void test_tlb_stale_until_flush(void)
{
    struct mfx *f = mfx_new();
    const uint32_t va = 0x10000;
    uint32_t f1 = mfx_map_new(f, va, F_RW);
    uint32_t f2 = mfx_frame(f);
    phys_put32(f, frame_pa(f1), 0x11111111);
    phys_put32(f, frame_pa(f2), 0x22222222);
    uint32_t v = 0;

    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x11111111);
    uint64_t walks = f->mmu.st.walks, misses = f->mmu.st.tlb_misses;
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x11111111);
    CU_ASSERT_EQUAL(f->mmu.st.walks, walks);
    CU_ASSERT_EQUAL(f->mmu.st.tlb_misses, misses);

    mfx_map(f, va, f2, F_RW);                              /* no flush */
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x11111111);
    CU_ASSERT_EQUAL(f->mmu.st.walks, walks);

    mmu_flush_range(&f->mmu, va, 4);
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x22222222);
    CU_ASSERT_EQUAL(f->mmu.st.walks, walks + 1);

    /* an invalidated PTE is also only seen after the flush */
    *mfx_pte(f, va) = 0;
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x22222222);
    mmu_flush_range(&f->mmu, va + 0xfff, 1);               /* any byte of the page */
    CU_ASSERT_FALSE(mmu_read32(&f->mmu, va, &v));
    CU_ASSERT_EQUAL(f->mmu.fault.cause, CAUSE_LOAD_PAGE_FAULT);

    /* a zero-length flush flushes nothing */
    mfx_map(f, va, f1, F_RW);
    mmu_flush_range(&f->mmu, va, PAGE_SIZE);
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x11111111);
    mfx_map(f, va, f2, F_RW);
    mmu_flush_range(&f->mmu, va, 0);
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 0x11111111);
    mfx_free(f);
}

static void test_tlb_flush_all(void)
{
    struct mfx *f = mfx_new();
    uint32_t a1 = mfx_map_new(f, 0x10000, F_RW), b1 = mfx_map_new(f, 0x40000000, F_RX);
    uint32_t a2 = mfx_frame(f), b2 = mfx_frame(f);
    phys_put32(f, frame_pa(a1), 1);
    phys_put32(f, frame_pa(b1), 2);
    phys_put32(f, frame_pa(a2), 3);
    phys_put32(f, frame_pa(b2), 4);
    uint32_t v, frame;
    CU_ASSERT(mmu_read32(&f->mmu, 0x10000, &v) && v == 1);
    CU_ASSERT(mmu_fetch_page(&f->mmu, 0x40000000, &frame) == pmem_frame(&f->pm, b1));
    mfx_map(f, 0x10000, a2, F_RW);
    mfx_map(f, 0x40000000, b2, F_RX);
    CU_ASSERT(mmu_read32(&f->mmu, 0x10000, &v) && v == 1);
    uint64_t flushes = f->mmu.st.flushes;
    mmu_flush_all(&f->mmu);
    CU_ASSERT_EQUAL(f->mmu.st.flushes, flushes + 1);
    CU_ASSERT(mmu_read32(&f->mmu, 0x10000, &v) && v == 3);
    CU_ASSERT(mmu_fetch_page(&f->mmu, 0x40000000, &frame) == pmem_frame(&f->pm, b2));
    CU_ASSERT_EQUAL(frame, b2);
    CU_ASSERT(mmu_read32(&f->mmu, 0x40000000, &v) && v == 4);
    mfx_free(f);
}

/* Installing a new satp flushes the TLB. */
static void test_tlb_set_satp_flushes(void)
{
    struct mfx *f = mfx_new();
    uint32_t a = mfx_map_new(f, 0x10000, F_RW);
    phys_put32(f, frame_pa(a), 0xaaaa);
    uint32_t v;
    CU_ASSERT(mmu_read32(&f->mmu, 0x10000, &v) && v == 0xaaaa);
    /* a second address space mapping the same va elsewhere */
    uint32_t root2 = mfx_frame(f), l0 = mfx_frame(f), b = mfx_frame(f);
    phys_put32(f, frame_pa(root2) + VA_VPN1(0x10000) * 4, PTE_MAKE(l0, PTE_V));
    phys_put32(f, frame_pa(l0) + VA_VPN0(0x10000) * 4, PTE_MAKE(b, F_RW));
    phys_put32(f, frame_pa(b), 0xbbbb);
    mmu_set_satp(&f->mmu, SATP_MODE_SV32 | root2);
    CU_ASSERT(mmu_read32(&f->mmu, 0x10000, &v) && v == 0xbbbb);
    mmu_set_satp(&f->mmu, SATP_MODE_SV32 | f->root);
    CU_ASSERT(mmu_read32(&f->mmu, 0x10000, &v) && v == 0xaaaa);
    mfx_free(f);
}

/* A range flush drops exactly the pages it overlaps: other entries still
 * hit (no walk), including one in the same TLB slot's alias position. */
static void test_tlb_flush_range_selective(void)
{
    struct mfx *f = mfx_new();
    const uint32_t p1 = 0x10000, p2 = 0x11000, p3 = p1 + TLB_SIZE * PAGE_SIZE;  /* p3: p1's slot */
    uint32_t f1 = mfx_map_new(f, p1, F_RW), f2 = mfx_map_new(f, p2, F_RW);
    uint32_t f3 = mfx_map_new(f, p3, F_RW);
    mfx_map_new(f, p2 + PAGE_SIZE, F_RW);
    phys_put32(f, frame_pa(f1), 1);
    phys_put32(f, frame_pa(f2), 2);
    phys_put32(f, frame_pa(f3), 3);
    uint32_t v;

    /* same slot: p3 evicts p1, and each reads its own data */
    CU_ASSERT(mmu_read32(&f->mmu, p1, &v) && v == 1);
    CU_ASSERT(mmu_read32(&f->mmu, p3, &v) && v == 3);
    CU_ASSERT(mmu_read32(&f->mmu, p1, &v) && v == 1);
    CU_ASSERT(mmu_write32(&f->mmu, p3 + 4, 33));
    CU_ASSERT(mmu_read32(&f->mmu, p1 + 4, &v) && v == 0);
    CU_ASSERT(mmu_read32(&f->mmu, p3 + 4, &v) && v == 33);

    CU_ASSERT(mmu_read32(&f->mmu, p1, &v) && v == 1);
    CU_ASSERT(mmu_read32(&f->mmu, p2, &v) && v == 2);
    uint64_t w = f->mmu.st.walks;

    mmu_flush_range(&f->mmu, p3, PAGE_SIZE);      /* p3 is not cached now: p1 stays */
    CU_ASSERT(mmu_read32(&f->mmu, p1, &v) && v == 1);
    CU_ASSERT(mmu_read32(&f->mmu, p2, &v) && v == 2);
    CHECK(f->mmu.st.walks == w, "flushing p1's alias dropped p1 (%llu walks)",
          (unsigned long long)(f->mmu.st.walks - w));

    w = f->mmu.st.walks;
    mmu_flush_range(&f->mmu, p1, PAGE_SIZE);
    CU_ASSERT(mmu_read32(&f->mmu, p2, &v) && v == 2);
    CHECK(f->mmu.st.walks == w, "flushing p1 dropped p2");
    CU_ASSERT(mmu_read32(&f->mmu, p1, &v) && v == 1);
    CHECK(f->mmu.st.walks == w + 1, "p1 was not dropped by its flush");

    /* two bytes across the p2 / p2+1 boundary drop both, not p1 */
    CU_ASSERT(mmu_read32(&f->mmu, p2 + PAGE_SIZE, &v));
    w = f->mmu.st.walks;
    mmu_flush_range(&f->mmu, p2 + PAGE_SIZE - 1, 2);
    CU_ASSERT(mmu_read32(&f->mmu, p1, &v));
    CHECK(f->mmu.st.walks == w, "range flush of p2..p2+1 dropped p1");
    CU_ASSERT(mmu_read32(&f->mmu, p2, &v));
    CU_ASSERT(mmu_read32(&f->mmu, p2 + PAGE_SIZE, &v));
    CHECK(f->mmu.st.walks == w + 2, "range flush of p2..p2+1: %llu walks after, want 2",
          (unsigned long long)(f->mmu.st.walks - w));
    mfx_free(f);
}

/* A range covering more pages than the TLB has entries: every page in it
 * is dropped (its PTE change becomes visible), whatever slot it uses. */
static void test_tlb_flush_large_range(void)
{
    struct mfx *f = mfx_new();
    const uint32_t a = 0x00400000, len = TLB_SIZE * PAGE_SIZE + 2 * PAGE_SIZE;
    const uint32_t b = a + len - PAGE_SIZE;       /* last page of the range */
    const uint32_t c = a + PAGE_SIZE * 7;
    uint32_t fa = mfx_map_new(f, a, F_RW), fb = mfx_map_new(f, b, F_RW);
    uint32_t fc = mfx_map_new(f, c, F_RW), fn = mfx_frame(f);
    phys_put32(f, frame_pa(fa), 1);
    phys_put32(f, frame_pa(fb), 2);
    phys_put32(f, frame_pa(fc), 3);
    phys_put32(f, frame_pa(fn), 9);
    uint32_t v;
    CU_ASSERT(mmu_read32(&f->mmu, a, &v) && v == 1);
    CU_ASSERT(mmu_read32(&f->mmu, b, &v) && v == 2);
    CU_ASSERT(mmu_read32(&f->mmu, c, &v) && v == 3);
    mfx_map(f, a, fn, F_RW);
    mfx_map(f, b, fn, F_RW);
    mfx_map(f, c, fn, F_RW);
    mmu_flush_range(&f->mmu, a + 0x800, len - PAGE_SIZE);   /* unaligned start */
    CU_ASSERT(mmu_read32(&f->mmu, a, &v) && v == 9);
    CU_ASSERT(mmu_read32(&f->mmu, b, &v) && v == 9);
    CU_ASSERT(mmu_read32(&f->mmu, c, &v) && v == 9);

    /* just under TLB_SIZE pages, wrapping around the slot numbers */
    const uint32_t s0 = 0x00800000 + TLB_SIZE / 2 * PAGE_SIZE;  /* mid-TLB slot */
    const uint32_t s1 = s0 + (TLB_SIZE - 2) * PAGE_SIZE;        /* the slot before it, - 1 */
    const uint32_t s2 = s1 + PAGE_SIZE;                         /* just outside the range */
    mfx_map_new(f, s0, F_RW);
    mfx_map_new(f, s1, F_RW);
    mfx_map_new(f, s2, F_RW);
    CU_ASSERT(mmu_read32(&f->mmu, s0, &v) && v == 0);
    CU_ASSERT(mmu_read32(&f->mmu, s1, &v) && v == 0);
    CU_ASSERT(mmu_read32(&f->mmu, s2, &v) && v == 0);
    mfx_map(f, s0, fn, F_RW);
    mfx_map(f, s1, fn, F_RW);
    mfx_map(f, s2, fn, F_RW);
    uint64_t fl = f->mmu.st.flushes;
    mmu_flush_range(&f->mmu, s0, (TLB_SIZE - 1) * PAGE_SIZE);
    CU_ASSERT_EQUAL(f->mmu.st.flushes, fl + 1);
    CU_ASSERT(mmu_read32(&f->mmu, s0, &v) && v == 9);
    CU_ASSERT(mmu_read32(&f->mmu, s1, &v) && v == 9);
    CU_ASSERT(mmu_read32(&f->mmu, s2, &v) && v == 0);          /* not in the range */

    /* the whole address space */
    mfx_map(f, a, fa, F_RW);
    mmu_flush_range(&f->mmu, 0, 0xffffffffu);
    CU_ASSERT(mmu_read32(&f->mmu, a, &v) && v == 1);
    mfx_free(f);
}

/* The write tag is only filled once D is set: loads hit after the first
 * walk, the first store walks again (and sets D), later stores hit. */
static void test_tlb_dirty_write_tag(void)
{
    struct mfx *f = mfx_new();
    const uint32_t va = 0x10000;
    mfx_map_new(f, va, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A);   /* D clear */
    uint32_t v;
    uint64_t m0 = f->mmu.st.tlb_misses;
    CU_ASSERT(mmu_read32(&f->mmu, va, &v));
    CU_ASSERT_EQUAL(f->mmu.st.tlb_misses, m0 + 1);
    CU_ASSERT(mmu_read32(&f->mmu, va + 8, &v));
    CU_ASSERT_EQUAL(f->mmu.st.tlb_misses, m0 + 1);
    CU_ASSERT_EQUAL(*mfx_pte(f, va) & PTE_D, 0);

    CU_ASSERT(mmu_write32(&f->mmu, va, 5));                     /* miss: sets D */
    CU_ASSERT_EQUAL(f->mmu.st.tlb_misses, m0 + 2);
    CU_ASSERT_EQUAL(*mfx_pte(f, va) & PTE_D, PTE_D);
    CU_ASSERT(mmu_write32(&f->mmu, va + 4, 6));                 /* hit */
    CU_ASSERT(mmu_write8(&f->mmu, va + 9, 7));
    CU_ASSERT_EQUAL(f->mmu.st.tlb_misses, m0 + 2);
    CU_ASSERT(mmu_read32(&f->mmu, va + 4, &v) && v == 6);
    CU_ASSERT_EQUAL(f->mmu.st.tlb_misses, m0 + 2);

    /* a read-only page: the read tag never lets a store through */
    mfx_map_new(f, va + PAGE_SIZE, F_RO);
    CU_ASSERT(mmu_read32(&f->mmu, va + PAGE_SIZE, &v));
    CU_ASSERT_FALSE(mmu_write32(&f->mmu, va + PAGE_SIZE, 1));
    CU_ASSERT_EQUAL(f->mmu.fault.cause, CAUSE_STORE_PAGE_FAULT);
    CU_ASSERT(mmu_store_ptr(&f->mmu, va + PAGE_SIZE) == NULL);
    CU_ASSERT_FALSE(mmu_write8(&f->mmu, va + PAGE_SIZE + 3, 1));
    /* and an execute-only page's fetch tag never lets a load through */
    mfx_map_new(f, va + 2 * PAGE_SIZE, PTE_V | PTE_X | PTE_U | PTE_A);
    uint32_t frame;
    CU_ASSERT(mmu_fetch_page(&f->mmu, va + 2 * PAGE_SIZE, &frame) != NULL);
    CU_ASSERT_FALSE(mmu_read32(&f->mmu, va + 2 * PAGE_SIZE, &v));
    CU_ASSERT_EQUAL(f->mmu.fault.cause, CAUSE_LOAD_PAGE_FAULT);
    mfx_free(f);
}

struct hook_log {
    unsigned calls;
    uint32_t last_frame;
};

static void count_hook(void *ctx, uint32_t frame)
{
    struct hook_log *log = ctx;
    log->calls++;
    log->last_frame = frame;
}

/* Stores to a frame marked as holding decoded code go through the slow
 * path and call code_write first; the mark is then cleared. */
static void test_code_write_hook(void)
{
    struct mfx *f = mfx_new();
    struct hook_log log = { 0, 0 };
    f->mmu.code_write = count_hook;
    f->mmu.code_ctx = &log;
    const uint32_t va = 0x10000, alias = 0x20000, other = 0x30000;
    uint32_t fr = mfx_map_new(f, va, F_RWX);
    mfx_map(f, alias, fr, F_RW);
    mfx_map_new(f, other, F_RW);

    CU_ASSERT(mmu_write32(&f->mmu, va, 1));                     /* fills write tags */
    CU_ASSERT(mmu_write32(&f->mmu, alias + 4, 2));
    CU_ASSERT_EQUAL(log.calls, 0);

    mmu_mark_code_frame(&f->mmu, fr);
    CU_ASSERT_EQUAL(f->mmu.code_frames[fr], 1);
    uint32_t v;
    CU_ASSERT(mmu_read32(&f->mmu, va, &v) && v == 1);           /* loads: no hook */
    CU_ASSERT(mmu_write32(&f->mmu, other, 3));                  /* other frame: no hook */
    CU_ASSERT_EQUAL(log.calls, 0);

    CU_ASSERT(mmu_write32(&f->mmu, alias + 8, 4));              /* through the alias */
    CU_ASSERT_EQUAL(log.calls, 1);
    CU_ASSERT_EQUAL(log.last_frame, fr);
    CU_ASSERT_EQUAL(f->mmu.code_frames[fr], 0);
    CU_ASSERT_EQUAL(phys32(f, frame_pa(fr) + 8), 4);
    CU_ASSERT(mmu_write32(&f->mmu, va + 12, 5));                /* unmarked now */
    CU_ASSERT_EQUAL(log.calls, 1);

    /* marked again: a byte store and an AMO pointer call it too */
    mmu_mark_code_frame(&f->mmu, fr);
    CU_ASSERT(mmu_write8(&f->mmu, va + 1, 6));
    CU_ASSERT_EQUAL(log.calls, 2);
    mmu_mark_code_frame(&f->mmu, fr);
    CU_ASSERT(mmu_store_ptr(&f->mmu, va + 16) == pmem_frame(&f->pm, fr) + 16);
    CU_ASSERT_EQUAL(log.calls, 3);

    /* the mark survives a flush: a load that refills the entry must not
     * give the marked frame a write tag (the store would bypass the hook) */
    mmu_mark_code_frame(&f->mmu, fr);
    mmu_flush_all(&f->mmu);
    CU_ASSERT(mmu_read32(&f->mmu, va, &v));
    CU_ASSERT(mmu_read32(&f->mmu, alias, &v));
    uint32_t xf;
    CU_ASSERT(mmu_fetch_page(&f->mmu, va, &xf) != NULL);
    CU_ASSERT(mmu_write32(&f->mmu, va + 20, 8));
    CU_ASSERT_EQUAL(log.calls, 4);

    /* a store that faults calls nothing */
    mfx_map_new(f, 0x40000, F_RX);
    uint32_t frame;
    CU_ASSERT(mmu_fetch_page(&f->mmu, 0x40000, &frame) != NULL);
    mmu_mark_code_frame(&f->mmu, frame);
    CU_ASSERT_FALSE(mmu_write32(&f->mmu, 0x40000, 1));
    CU_ASSERT_EQUAL(log.calls, 4);

    /* a page-crossing store whose second half faults writes nothing */
    mfx_map_new(f, 0x3f000, F_RW);
    phys_put32(f, frame_pa(PTE_PPN(*mfx_pte(f, 0x3f000))) + 0xffc, 0x01020304);
    CU_ASSERT_FALSE(mmu_write32(&f->mmu, 0x3fffe, 0xaabbccdd));
    CU_ASSERT_EQUAL(phys32(f, frame_pa(PTE_PPN(*mfx_pte(f, 0x3f000))) + 0xffc), 0x01020304);
    mfx_free(f);
}

/* Entries of both tables that name a page (mmu.h's rule). */
static unsigned tlb_valid_entries(const struct mmu *m)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < TLB_SIZE; i++)
        n += tlb_tag_valid(m->tlb[i].rtag, i) || tlb_tag_valid(m->tlb[i].wtag, i);
    for (uint32_t i = 0; i < ITLB_SIZE; i++)
        n += tlb_tag_valid(m->itlb[i].tag, i);
    return n;
}

/* A fresh TLB is zeroed memory, never written but for slot 0 (mmu.h): no
 * entry is valid, page 0 and the pages sharing its slot miss and fault
 * when unmapped and read their own frames when mapped, a page elsewhere
 * misses too, and a whole flush after fills in many chunks leaves no
 * entry that could hit — slot 0 included. */
static void test_tlb_zeroed_is_empty(void)
{
    struct mfx *f = mfx_new();
    const uint32_t alias = 0x10000000;            /* VPN 0x10000: slot 0, like page 0 */
    CU_ASSERT_FATAL(tlb_valid_entries(&f->mmu) == 0);      /* else a hit would use NULL */
    for (int acc = ACC_FETCH; acc <= ACC_STORE; acc++) {
        CU_ASSERT(mmu_tlb_lookup(&f->mmu, 0, (enum mmu_access)acc) == NULL);
        CU_ASSERT(mmu_tlb_lookup(&f->mmu, alias, (enum mmu_access)acc) == NULL);
        CU_ASSERT(mmu_tlb_lookup(&f->mmu, 0x5000, (enum mmu_access)acc) == NULL);
    }
    expect_fault_all(f, 0, pf_cause, 1, "page 0, fresh TLB");
    expect_fault_all(f, alias, pf_cause, 1, "VPN 0x10000, fresh TLB");
    expect_fault_all(f, 0x5000, pf_cause, 1, "page 5, fresh TLB");
    uint32_t v;
    CU_ASSERT(!mmu_read32(&f->mmu, 2, &v) && f->mmu.fault.addr == 2);   /* misaligned */
    CU_ASSERT(!mmu_write8(&f->mmu, 7, 1) && f->mmu.fault.cause == CAUSE_STORE_PAGE_FAULT);

    /* mapped: page 0 and its alias take turns in slot 0 */
    uint32_t z = mfx_map_new(f, 0, F_RWX), za = mfx_map_new(f, alias, F_RWX);
    phys_put32(f, frame_pa(z), 0x100);
    phys_put32(f, frame_pa(za), 0x200);
    uint32_t frame;
    CU_ASSERT(mmu_read32(&f->mmu, 0, &v) && v == 0x100);
    CU_ASSERT(mmu_read32(&f->mmu, alias, &v) && v == 0x200);
    CU_ASSERT(mmu_write32(&f->mmu, 4, 0x101) && phys32(f, frame_pa(z) + 4) == 0x101);
    CU_ASSERT(mmu_fetch_page(&f->mmu, alias, &frame) == pmem_frame(&f->pm, za) && frame == za);
    CU_ASSERT(mmu_fetch_page(&f->mmu, 0, &frame) == pmem_frame(&f->pm, z) && frame == z);
    CU_ASSERT(mmu_read32(&f->mmu, 0, &v) && v == 0x100);

    /* fills in chunks far apart, then the PTEs change and a whole flush */
    const uint32_t far[] = { 0x1000, 0x00123000, 0x0ffff000, 0x40abc000 };
    uint32_t fr[4], fn = mfx_frame(f);
    phys_put32(f, frame_pa(fn), 9);
    for (int i = 0; i < 4; i++) {
        fr[i] = mfx_map_new(f, far[i], F_RWX);
        phys_put32(f, frame_pa(fr[i]), (uint32_t)i + 1);
        CU_ASSERT(mmu_write32(&f->mmu, far[i] + 4, 7));
        CU_ASSERT(mmu_read32(&f->mmu, far[i], &v) && v == (uint32_t)i + 1);
        CU_ASSERT(mmu_fetch_page(&f->mmu, far[i], &frame) != NULL && frame == fr[i]);
    }
    CHECK(tlb_valid_entries(&f->mmu) == 2 * 5, "%u valid entries, want 10",
          tlb_valid_entries(&f->mmu));

    /* a code frame's write tags go, wherever the entry is */
    struct hook_log log = { 0, 0 };
    f->mmu.code_write = count_hook;
    f->mmu.code_ctx = &log;
    mmu_mark_code_frame(&f->mmu, fr[2]);
    CU_ASSERT(mmu_write32(&f->mmu, far[2] + 8, 8));
    CU_ASSERT_EQUAL(log.calls, 1);
    CU_ASSERT_EQUAL(log.last_frame, fr[2]);

    for (int i = 0; i < 4; i++)
        mfx_map(f, far[i], fn, F_RW);
    *mfx_pte(f, 0) = 0;                           /* page 0 unmapped again */
    mfx_map(f, alias, fn, F_RW);
    mmu_flush_all(&f->mmu);
    CU_ASSERT_EQUAL(tlb_valid_entries(&f->mmu), 0);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT(mmu_read32(&f->mmu, far[i], &v) && v == 9);
        CU_ASSERT(mmu_fetch_page(&f->mmu, far[i], &frame) == NULL);   /* no X now */
    }
    expect_fault_all(f, 0, pf_cause, 2, "page 0 after the flush");
    CU_ASSERT(mmu_read32(&f->mmu, alias, &v) && v == 9);
    mfx_free(f);
}

/* ------------------------------------------------------------------------
 * Page crossings and fetch.
 */

static void test_cross_page(void)
{
    struct mfx *f = mfx_new();
    mfx_pte(f, 0x10000);                                        /* the level-0 table first */
    uint32_t a = mfx_map_new(f, 0x10000, F_RW);
    uint32_t gap = mfx_frame(f);                                /* a + 1: not mapped */
    uint32_t b = mfx_map_new(f, 0x11000, F_RW);
    mfx_map_new(f, 0x12000, F_RO);
    CU_ASSERT_FATAL(gap == a + 1 && b == a + 2);
    memset(pmem_frame(&f->pm, gap), 0xee, PAGE_SIZE);
    phys_put32(f, frame_pa(a) + 0xffc, 0x44332211);
    phys_put32(f, frame_pa(b), 0x88776655);
    uint32_t v;
    uint16_t h;
    CU_ASSERT(mmu_read32(&f->mmu, 0x10ffe, &v) && v == 0x66554433);
    CU_ASSERT(mmu_read32(&f->mmu, 0x10ffd, &v) && v == 0x55443322);
    CU_ASSERT(mmu_read16(&f->mmu, 0x10fff, &h) && h == 0x5544);
    CU_ASSERT(mmu_write32(&f->mmu, 0x10fff, 0xd4c3b2a1));
    CU_ASSERT_EQUAL(phys32(f, frame_pa(a) + 0xffc), 0xa1332211);
    CU_ASSERT_EQUAL(phys32(f, frame_pa(b)), 0x88d4c3b2);
    CU_ASSERT_EQUAL(phys32(f, frame_pa(gap)), 0xeeeeeeee);

    /* into a read-only page: store faults at its first byte, writes nothing */
    phys_put32(f, frame_pa(b) + 0xffc, 0x01020304);
    CU_ASSERT_FALSE(mmu_write32(&f->mmu, 0x11ffe, 0xffffffff));
    CU_ASSERT_EQUAL(f->mmu.fault.cause, CAUSE_STORE_PAGE_FAULT);
    CU_ASSERT_EQUAL(f->mmu.fault.addr, 0x12000);
    CU_ASSERT_EQUAL(phys32(f, frame_pa(b) + 0xffc), 0x01020304);
    CU_ASSERT_FALSE(mmu_write16(&f->mmu, 0x11fff, 0xffff));
    CU_ASSERT_EQUAL(phys32(f, frame_pa(b) + 0xffc), 0x01020304);

    /* into a hole: the load faults at the hole's first byte */
    CU_ASSERT(mmu_read32(&f->mmu, 0x12ffc, &v));
    CU_ASSERT_FALSE(mmu_read32(&f->mmu, 0x12ffe, &v));
    CU_ASSERT_EQUAL(f->mmu.fault.cause, CAUSE_LOAD_PAGE_FAULT);
    CU_ASSERT_EQUAL(f->mmu.fault.addr, 0x13000);
    /* from a hole: the fault is at the access address */
    CU_ASSERT_FALSE(mmu_read32(&f->mmu, 0xfffe, &v));
    CU_ASSERT_EQUAL(f->mmu.fault.addr, 0xfffe);
    /* wrapping at the top of the address space does not crash */
    mfx_map_new(f, 0xfffff000, F_RW);
    CU_ASSERT(mmu_read8(&f->mmu, 0xffffffff, (uint8_t *)&h));
    (void)mmu_read32(&f->mmu, 0xfffffffe, &v);
    mfx_free(f);
}

static void test_fetch_page(void)
{
    struct mfx *f = mfx_new();
    uint32_t x = mfx_map_new(f, 0x10000, F_RX);
    mfx_map_new(f, 0x11000, F_RW);
    uint32_t frame = 0xdead;
    uint8_t *p = mmu_fetch_page(&f->mmu, 0x10abc, &frame);
    CU_ASSERT(p == pmem_frame(&f->pm, x));
    CU_ASSERT_EQUAL(frame, x);
    uint64_t w = f->mmu.st.walks;
    frame = 0;
    CU_ASSERT(mmu_fetch_page(&f->mmu, 0x10ffe, &frame) == pmem_frame(&f->pm, x));
    CU_ASSERT_EQUAL(frame, x);
    CU_ASSERT_EQUAL(f->mmu.st.walks, w);                         /* hit */

    CU_ASSERT(mmu_fetch_page(&f->mmu, 0x11004, &frame) == NULL);
    CU_ASSERT_EQUAL(f->mmu.fault.cause, CAUSE_FETCH_PAGE_FAULT);
    CU_ASSERT_EQUAL(f->mmu.fault.addr, 0x11004);
    CU_ASSERT_EQUAL(f->mmu.fault.access, ACC_FETCH);
    /* a load of the RW page filled a read tag: still no fetch */
    uint32_t v;
    CU_ASSERT(mmu_read32(&f->mmu, 0x11000, &v));
    CU_ASSERT(mmu_fetch_page(&f->mmu, 0x11000, &frame) == NULL);
    mfx_free(f);
}

/* ------------------------------------------------------------------------
 * Physical memory.
 */

static void test_pmem_init_bounds(void)
{
    struct pmem pm;
    CU_ASSERT_EQUAL(pmem_init(&pm, 0), -EINVAL);
    CU_ASSERT(pm.ram == NULL && pm.size == 0);
    pmem_free(&pm);                                     /* safe after a failure */
    CU_ASSERT_EQUAL(pmem_init(&pm, PMEM_MIN_SIZE - PAGE_SIZE), -EINVAL);
    CU_ASSERT_EQUAL(pmem_init(&pm, PMEM_MIN_SIZE - 1), -EINVAL);  /* rounds down */
    CU_ASSERT_EQUAL(pmem_init(&pm, PMEM_MAX_SIZE + PAGE_SIZE), -EINVAL);
    CU_ASSERT_EQUAL(pmem_init(&pm, 1ull << 40), -EINVAL);
    CU_ASSERT_EQUAL(pmem_init(&pm, UINT64_MAX), -EINVAL);

    CU_ASSERT_EQUAL_FATAL(pmem_init(&pm, PMEM_MIN_SIZE), 0);
    CU_ASSERT_EQUAL(pm.size, PMEM_MIN_SIZE);
    CU_ASSERT_EQUAL(pm.nframes, PMEM_MIN_SIZE / PAGE_SIZE);
    CU_ASSERT(pm.ram != NULL && pm.ram[0] == 0 && pm.ram[pm.size - 1] == 0);
    pmem_free(&pm);
    CU_ASSERT(pm.ram == NULL);

    CU_ASSERT_EQUAL_FATAL(pmem_init(&pm, 3 * 1024 * 1024 + 123), 0);   /* rounded down */
    CU_ASSERT_EQUAL(pm.size, 3 * 1024 * 1024);
    CU_ASSERT_EQUAL(pm.nframes, 768);
    pmem_free(&pm);
}

static void test_pmem_ptr_bounds(void)
{
    struct pmem pm;
    CU_ASSERT_EQUAL_FATAL(pmem_init(&pm, MEM_SIZE), 0);
    CU_ASSERT(pmem_ptr(&pm, 0, 1) == pm.ram);
    CU_ASSERT(pmem_ptr(&pm, 0, MEM_SIZE) == pm.ram);
    CU_ASSERT(pmem_ptr(&pm, 1, MEM_SIZE) == NULL);
    CU_ASSERT(pmem_ptr(&pm, MEM_SIZE - 4, 4) == pm.ram + MEM_SIZE - 4);
    CU_ASSERT(pmem_ptr(&pm, MEM_SIZE - 3, 4) == NULL);
    CU_ASSERT(pmem_ptr(&pm, MEM_SIZE, 1) == NULL);
    CU_ASSERT(pmem_ptr(&pm, MEM_SIZE, 0) == NULL);
    CU_ASSERT(pmem_ptr(&pm, MEM_SIZE - 1, 0) == pm.ram + MEM_SIZE - 1);
    CU_ASSERT(pmem_ptr(&pm, (gpa_t)1 << 33, 4) == NULL);
    CU_ASSERT(pmem_ptr(&pm, UINT64_MAX - 2, 4) == NULL);          /* pa + len wraps */
    CU_ASSERT(pmem_ptr(&pm, 4, UINT32_MAX) == NULL);
    CU_ASSERT(pmem_frame(&pm, 3) == pm.ram + 3 * PAGE_SIZE);
    pmem_free(&pm);
}

/* ------------------------------------------------------------------------ */

void mmu_suite_add(void)
{
    CU_pSuite s = CU_add_suite("mmu", NULL, NULL);
    if (!s)
        return;
    CU_add_test(s, "walk: two levels, PA and PTE addresses", test_walk_two_level);
    CU_add_test(s, "walk: root PTE invalid", test_walk_root_invalid);
    CU_add_test(s, "walk: leaf V=0", test_walk_leaf_invalid);
    CU_add_test(s, "walk: reserved R=0 W=1", test_walk_reserved_rw);
    CU_add_test(s, "walk: pointer PTE at level 0", test_walk_pointer_at_level0);
    CU_add_test(s, "walk: U=0 page from U-mode", test_walk_user_bit);
    CU_add_test(s, "walk: R/W/X permission matrix", test_walk_permissions);
    CU_add_test(s, "walk: PPN outside pmem is an access fault", test_walk_outside_pmem);
    CU_add_test(s, "walk: satp outside pmem", test_walk_bad_satp);
    CU_add_test(s, "walk: superpages", test_superpage);
    CU_add_test(s, "A/D bits", test_ad_bits);
    CU_add_test(s, "walk without update_ad writes nothing", test_walk_inspect_writes_nothing);
    CU_add_test(s, "TLB: stale until flushed", test_tlb_stale_until_flush);
    CU_add_test(s, "TLB: flush_all", test_tlb_flush_all);
    CU_add_test(s, "TLB: set_satp flushes", test_tlb_set_satp_flushes);
    CU_add_test(s, "TLB: range flush is selective", test_tlb_flush_range_selective);
    CU_add_test(s, "TLB: range larger than the TLB", test_tlb_flush_large_range);
    CU_add_test(s, "TLB: zeroed memory is an empty TLB", test_tlb_zeroed_is_empty);
    CU_add_test(s, "TLB: write tag waits for D", test_tlb_dirty_write_tag);
    CU_add_test(s, "code frames call code_write", test_code_write_hook);
    CU_add_test(s, "page-crossing accesses", test_cross_page);
    CU_add_test(s, "mmu_fetch_page", test_fetch_page);
    CU_add_test(s, "pmem_init bounds", test_pmem_init_bounds);
    CU_add_test(s, "pmem_ptr bounds", test_pmem_ptr_bounds);
}
