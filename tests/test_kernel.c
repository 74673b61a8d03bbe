/* tests/test_kernel.c — the mini kernel: process set-up, VMAs, demand
 * paging, stack growth, permission changes, and each system call (called
 * directly through syscall_dispatch on a real guest image). */
#include <CUnit/CUnit.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/pte.h"
#include "kernel/syscall.h"
#include "kernel/vm.h"
#include "tests/suites.h"

static struct proc *new_proc_opts(const char *guest, struct proc_options *o)
{
    char *argv[] = { (char *)test_path(guest), "one", "two", NULL };
    char *envp[] = { "A=1", "HOME=/nowhere", NULL };
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, o, err, sizeof err);
    if (!p)
        fprintf(stderr, "proc_create(%s): %s\n", argv[0], err);
    return p;
}

static struct proc *new_proc(void)
{
    struct proc_options o = { .mem_size = 8 << 20 };
    return new_proc_opts("guests/hello", &o);
}

/* Make a system call as the guest would. */
static int32_t sys(struct proc *p, uint32_t nr, const uint32_t a[6])
{
    uint32_t *x = p->cpu.x;
    x[17] = nr;
    for (int i = 0; i < 6; i++)
        x[10 + i] = a[i];
    uint32_t pc = p->cpu.pc;
    syscall_dispatch(p);
    CU_ASSERT_EQUAL(p->cpu.pc, pc + 4);
    return (int32_t)x[10];
}
#define SYS(p, nr, ...) sys(p, nr, (const uint32_t[6]){ __VA_ARGS__ })

enum { NR_openat = 56, NR_close = 57, NR_readlinkat = 78, NR_llseek = 62, NR_read = 63, NR_write = 64, NR_writev = 66, NR_exit = 93, NR_exit_group = 94,
       NR_set_tid_address = 96, NR_uname = 160, NR_getpid = 172, NR_gettid = 178,
       NR_brk = 214, NR_munmap = 215, NR_mmap2 = 222, NR_mprotect = 226,
       NR_getrandom = 278, NR_clock_gettime64 = 403,
       NR_dup = 23, NR_dup3 = 24, NR_fcntl64 = 25, NR_pipe2 = 59, NR_mremap = 216,
       NR_mincore = 232, NR_madvise = 233, NR_prlimit64 = 261, NR_rt_sigsuspend = 133,
       NR_rt_sigpending = 136, NR_rt_sigprocmask = 135, NR_kill = 129,
       NR_clock_nanosleep_time64 = 407, NR_rt_sigtimedwait_time64 = 421 };

static uint32_t map_anon(struct proc *p, uint32_t len, uint32_t prot)
{
    return (uint32_t)SYS(p, NR_mmap2, 0, len, prot, 0x22 /* PRIVATE|ANON */, (uint32_t)-1, 0);
}

enum { NR_sigaltstack = 132, NR_rt_sigaction = 134 };

/* --- process set-up --------------------------------------------------- */

static void test_layout(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    const char *want[] = { "text", "rodata", "data", "bss", "[sigpage]", "stack" };
    CU_ASSERT_EQUAL(p->vmas.n, 6);
    for (int i = 0; i < p->vmas.n && i < 6; i++)
        CU_ASSERT_STRING_EQUAL(p->vmas.v[i].name, want[i]);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, p->img.entry)->perms, 5);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, 0x10000)->start, 0x10000);
    CU_ASSERT_PTR_NULL(vma_find(&p->vmas, 0));                 /* page 0 unmapped */
    CU_ASSERT_EQUAL(p->vmas.v[5].end, STACK_TOP);
    CU_ASSERT_EQUAL(p->brk, PAGE_UP(p->img.end_bss));
    CU_ASSERT_EQUAL(p->cpu.pc, p->img.entry);
    proc_destroy(p);
}

static void test_initial_stack(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t sp = p->cpu.x[2];
    CU_ASSERT_EQUAL(sp & 15, 0);
    uint32_t w[8];
    CU_ASSERT_EQUAL(vm_copy_in(p, w, sp, sizeof w, NULL), 0);
    CU_ASSERT_EQUAL(w[0], 3);                                   /* argc */
    char s[64];
    CU_ASSERT(vm_copy_str(p, s, w[2], sizeof s) > 0);
    CU_ASSERT_STRING_EQUAL(s, "one");
    CU_ASSERT_EQUAL(w[4], 0);                                   /* argv NULL */
    CU_ASSERT(vm_copy_str(p, s, w[5], sizeof s) > 0);
    CU_ASSERT_STRING_EQUAL(s, "A=1");
    CU_ASSERT_EQUAL(w[7], 0);                                   /* envp NULL */
    /* auxv follows: find AT_PAGESZ, AT_ENTRY, AT_RANDOM, AT_NULL */
    uint32_t aux[34];
    CU_ASSERT_EQUAL(vm_copy_in(p, aux, sp + 32, sizeof aux, NULL), 0);
    int found = 0;
    for (int i = 0; i < 34; i += 2) {
        if (aux[i] == 6) { CU_ASSERT_EQUAL(aux[i + 1], 4096); found |= 1; }
        if (aux[i] == 9) { CU_ASSERT_EQUAL(aux[i + 1], p->img.entry); found |= 2; }
        if (aux[i] == 25) { CU_ASSERT(aux[i + 1] > sp && aux[i + 1] < STACK_TOP); found |= 4; }
        if (aux[i] == 3) { CU_ASSERT_EQUAL(aux[i + 1], p->img.phdr_vaddr); found |= 8; }
        if (aux[i] == 0) { found |= 16; break; }
    }
    CU_ASSERT_EQUAL(found, 31);
    proc_destroy(p);
}

static void test_bad_program(void)
{
    struct proc_options o = { .mem_size = 8 << 20 };
    char *argv[] = { "/bin/sh", NULL }, *envp[] = { NULL };
    char err[256] = "";
    CU_ASSERT_PTR_NULL(proc_create("/bin/sh", argv, envp, &o, err, sizeof err));
    CU_ASSERT(strstr(err, "64-bit") != NULL);
    argv[0] = "/nonexistent/prog";
    CU_ASSERT_PTR_NULL(proc_create(argv[0], argv, envp, &o, err, sizeof err));
    CU_ASSERT(strstr(err, "No such file") != NULL || strstr(err, "cannot open") != NULL);
}

/* --- demand paging and faults ------------------------------------------- */

static void test_demand_paging(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    struct vma *bss = NULL;
    for (int i = 0; i < p->vmas.n; i++)
        if (!strcmp(p->vmas.v[i].name, "bss"))
            bss = &p->vmas.v[i];
    CU_ASSERT_FATAL(bss != NULL);
    uint32_t word;
    CU_ASSERT_EQUAL(vm_copy_in(p, &word, p->img.entry, 4, NULL), 0);   /* page table exists */
    uint32_t used = frame_used(&p->frames);
    uint64_t zf = p->st.faults_demand_zero;
    CU_ASSERT_EQUAL(vm_frame_of(p, bss->start), UINT32_MAX);   /* not touched yet */
    CU_ASSERT_EQUAL(vm_fault(p, bss->start + 8, ACC_STORE), 0);
    CU_ASSERT_NOT_EQUAL(vm_frame_of(p, bss->start), UINT32_MAX);
    CU_ASSERT_EQUAL(frame_used(&p->frames), used + 1);
    CU_ASSERT_EQUAL(p->st.faults_demand_zero, zf + 1);
    uint8_t z[64];
    CU_ASSERT_EQUAL(vm_copy_in(p, z, bss->start, sizeof z, NULL), 0);
    for (int i = 0; i < 64; i++)
        CU_ASSERT_EQUAL(z[i], 0);
    /* file-backed text page holds the file's bytes */
    CU_ASSERT_EQUAL(vm_copy_in(p, &word, p->img.entry, 4, NULL), 0);
    uint32_t off = p->img.seg[0].file_off + (p->img.entry - p->img.seg[0].start);
    CU_ASSERT_EQUAL(memcmp(&word, p->img.data + off, 4), 0);
    /* no segment -> MAPERR; segment forbids -> ACCERR */
    CU_ASSERT_EQUAL(vm_fault(p, 0, ACC_LOAD), SEGV_MAPERR);
    CU_ASSERT_EQUAL(vm_fault(p, p->img.entry, ACC_STORE), SEGV_ACCERR);
    CU_ASSERT_EQUAL(vm_fault(p, bss->start, ACC_FETCH), SEGV_ACCERR);
    proc_destroy(p);
}

static void test_stack_growth(void)
{
    struct proc_options o = { .mem_size = 8 << 20, .stack_limit = 256 * 1024 };
    struct proc *p = new_proc_opts("guests/hello", &o);
    CU_ASSERT_FATAL(p != NULL);
    struct vma *st = &p->vmas.v[p->vmas.n - 1];
    CU_ASSERT_STRING_EQUAL(st->name, "stack");
    uint32_t low = st->start;
    CU_ASSERT_EQUAL(vm_fault(p, low - 100, ACC_STORE), 0);      /* grows */
    st = &p->vmas.v[p->vmas.n - 1];
    CU_ASSERT_EQUAL(st->start, PAGE_DOWN(low - 100));
    CU_ASSERT_EQUAL(p->st.faults_stack_growth, 1);
    CU_ASSERT_EQUAL(vm_fault(p, STACK_TOP - 256 * 1024, ACC_STORE), 0);   /* at the limit */
    CU_ASSERT_EQUAL(vm_fault(p, STACK_TOP - 256 * 1024 - 4, ACC_STORE), SEGV_MAPERR);
    proc_destroy(p);
}

/* The one permission path: PTEs rewritten, TLB flushed, decoded code dropped. */
static void test_vma_protect(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t a = map_anon(p, 3 * PAGE_SIZE, 3);
    CU_ASSERT_FATAL(a >= MMAP_MIN_ADDR && a < MMAP_TOP);
    uint32_t v = 0x12345678;
    CU_ASSERT_EQUAL(vm_copy_out(p, a + PAGE_SIZE, &v, 4, NULL), 0);
    CU_ASSERT_TRUE(mmu_write32(&p->mmu, a + PAGE_SIZE, 7));      /* TLB now has a write tag */
    CU_ASSERT_EQUAL(vma_protect(p, a + PAGE_SIZE, a + 2 * PAGE_SIZE, 1), 0);
    CU_ASSERT_EQUAL(p->vmas.n, 9);                                 /* split in three */
    CU_ASSERT_FALSE(mmu_write32(&p->mmu, a + PAGE_SIZE, 8));     /* flushed: now faults */
    CU_ASSERT_EQUAL(p->mmu.fault.cause, CAUSE_STORE_PAGE_FAULT);
    uint32_t r;
    CU_ASSERT_TRUE(mmu_read32(&p->mmu, a + PAGE_SIZE, &r));
    CU_ASSERT_EQUAL(r, 7);
    /* PROT_NONE keeps the frame; making it readable again shows the data */
    CU_ASSERT_EQUAL(vma_protect(p, a + PAGE_SIZE, a + 2 * PAGE_SIZE, 0), 0);
    CU_ASSERT_FALSE(mmu_read32(&p->mmu, a + PAGE_SIZE, &r));
    CU_ASSERT_EQUAL(vm_fault(p, a + PAGE_SIZE, ACC_LOAD), SEGV_ACCERR);
    CU_ASSERT_EQUAL(vma_protect(p, a + PAGE_SIZE, a + 2 * PAGE_SIZE, 3), 0);
    CU_ASSERT_TRUE(mmu_read32(&p->mmu, a + PAGE_SIZE, &r));
    CU_ASSERT_EQUAL(r, 7);
    CU_ASSERT_EQUAL(p->vmas.n, 7);                                 /* merged back into one */
    CU_ASSERT_EQUAL(vma_find(&p->vmas, a)->end, a + 3 * PAGE_SIZE);
    /* errors: unaligned, hole */
    CU_ASSERT_EQUAL(vma_protect(p, a + 1, a + PAGE_SIZE, 1), -EINVAL);
    CU_ASSERT_EQUAL(vma_protect(p, 0x20000000, 0x20001000, 1), -ENOMEM);
    proc_destroy(p);
}

/* A page made writable, written with new code, then made executable runs
 * the new code: decoded instructions and TLB entries were dropped. */
static void test_protect_then_execute(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t a = map_anon(p, PAGE_SIZE, 3);
    const uint32_t prog1[] = { 0x00100513, 0x00000073 };   /* li a0,1; ecall */
    const uint32_t prog2[] = { 0x00200513, 0x00000073 };   /* li a0,2; ecall */
    CU_ASSERT_EQUAL(vm_copy_out(p, a, prog1, sizeof prog1, NULL), 0);
    CU_ASSERT_EQUAL(vma_protect(p, a, a + PAGE_SIZE, 5), 0);
    p->cpu.pc = a;
    CU_ASSERT_EQUAL(cpu_run(&p->cpu, UINT64_MAX), CPU_STOP_TRAP);
    CU_ASSERT_EQUAL(p->cpu.trap.cause, CAUSE_ECALL_U);
    CU_ASSERT_EQUAL(p->cpu.x[10], 1);
    /* Write new code: first the store faults (r-x), then make it rw-. */
    CU_ASSERT_FALSE(mmu_write32(&p->mmu, a, prog2[0]));
    CU_ASSERT_EQUAL(vma_protect(p, a, a + PAGE_SIZE, 3), 0);
    CU_ASSERT_TRUE(mmu_write32(&p->mmu, a, prog2[0]));
    p->cpu.pc = a;                                   /* not executable now */
    CU_ASSERT_EQUAL(cpu_run(&p->cpu, UINT64_MAX), CPU_STOP_TRAP);
    CU_ASSERT_EQUAL(p->cpu.trap.cause, CAUSE_FETCH_PAGE_FAULT);
    CU_ASSERT_EQUAL(vma_protect(p, a, a + PAGE_SIZE, 5), 0);
    p->cpu.pc = a;
    CU_ASSERT_EQUAL(cpu_run(&p->cpu, UINT64_MAX), CPU_STOP_TRAP);
    CU_ASSERT_EQUAL(p->cpu.trap.cause, CAUSE_ECALL_U);
    CU_ASSERT_EQUAL(p->cpu.x[10], 2);
    proc_destroy(p);
}

static void test_out_of_frames(void)
{
    /* 16 frames and no swap: the dirty pages cannot leave */
    struct proc_options o = { .mem_size = 64 * 1024, .swap_size = 0 };
    struct proc *p = new_proc_opts("guests/hello", &o);
    CU_ASSERT_FATAL(p != NULL);
    uint32_t a = map_anon(p, 64 * PAGE_SIZE, 3);
    int rc = 0;
    for (uint32_t i = 0; i < 64 && rc == 0; i++)
        rc = vm_fault(p, a + i * PAGE_SIZE, ACC_STORE);
    CU_ASSERT_EQUAL(rc, -ENOMEM);
    CU_ASSERT_EQUAL(frame_used(&p->frames), p->pm.nframes);
    proc_destroy(p);
}

/* --- paging under memory pressure (kernel/reclaim.c) --------------------- */

/* Touch va as the guest would (a store or a load through the MMU, which
 * sets A and D), serving page faults as the run loop does.  Returns the
 * number of faults it took. */
static int touch(struct proc *p, uint32_t va, bool store)
{
    for (int faults = 0; faults < 8; faults++) {
        bool ok = store ? mmu_store32(&p->mmu, va, va) : !(mmu_load32(&p->mmu, va) & MMU_LOAD_FAULT);
        if (ok)
            return faults;
        CU_ASSERT_EQUAL_FATAL(vm_fault(p, va, store ? ACC_STORE : ACC_LOAD), 0);
    }
    CU_FAIL("touch: no progress");
    return 8;
}

/* A process with 64K of memory (16 frames) and an anonymous area of
 * `pages`, whose user frames all hold pages of that area afterwards;
 * returns the area and, in *n, how many frames the policy holds. */
static struct proc *pressure(enum policy_kind k, uint32_t pages, uint32_t *area, uint32_t *n)
{
    struct proc_options o = { .mem_size = 64 * 1024, .swap_size = 1 << 20, .policy = (int)k };
    struct proc *p = new_proc_opts("guests/hello", &o);
    CU_ASSERT_FATAL(p != NULL);
    *area = map_anon(p, pages * PAGE_SIZE, 3);
    for (uint32_t round = 0; round < 2; round++)
        for (uint32_t i = 0; i < pages; i++)
            touch(p, *area + i * PAGE_SIZE, true);
    *n = policy_count(p->policy);
    return p;
}

/* A cyclic walk over N+1 pages with N frames: under fifo and clock every
 * access is a page fault, read back from swap. */
static void test_cyclic_walk_faults_every_time(void)
{
    enum policy_kind kinds[] = { POLICY_FIFO, POLICY_CLOCK };
    for (int k = 0; k < 2; k++) {
        uint32_t area, n;
        struct proc *p = pressure(kinds[k], 32, &area, &n);
        CU_ASSERT(n >= 8 && n < 16);
        proc_destroy(p);
        p = pressure(kinds[k], n + 1, &area, &n);   /* the same N, now N+1 pages */
        uint64_t in0 = p->st.swapins;
        int faults = 0;
        for (uint32_t round = 0; round < 4; round++)
            for (uint32_t i = 0; i <= n; i++)
                faults += touch(p, area + i * PAGE_SIZE, false);
        CHECK(faults == 4 * (int)(n + 1), "%s: %d faults in %u accesses", policy_name(kinds[k]),
              faults, 4 * (n + 1));
        CU_ASSERT_EQUAL(p->st.swapins - in0, (uint64_t)faults);
        proc_destroy(p);
    }
}

/* The live clock hand skips a page whose A bit the MMU set, and clears
 * it (flushing that TLB entry, so the next access sets A again). */
static void test_clock_live_second_chance(void)
{
    uint32_t area, n;
    struct proc *p = pressure(POLICY_CLOCK, 24, &area, &n);
    uint32_t order[16];
    CU_ASSERT_EQUAL(policy_order(p->policy, order, 16), n);
    uint32_t first = order[0];                  /* where the hand is */
    uint32_t va = p->frames.vpn[first] << PAGE_SHIFT;
    uint32_t *pte = vm_pte(p, va, false);
    /* every A bit clear but the first frame's, whose page is then used */
    for (uint32_t i = 0; i < n; i++)
        *vm_pte(p, p->frames.vpn[order[i]] << PAGE_SHIFT, false) &= ~PTE_A;
    mmu_flush_all(&p->mmu);
    touch(p, va, false);
    CU_ASSERT_TRUE(*pte & PTE_A);               /* the walk set it */
    uint32_t victim_va = p->frames.vpn[order[1]] << PAGE_SHIFT;
    uint64_t cleared0 = policy_stats(p->policy)->refs_cleared;
    touch(p, area + 30 * PAGE_SIZE, true);      /* a new page: one victim */
    CU_ASSERT_EQUAL(policy_stats(p->policy)->refs_cleared - cleared0, 1);
    CU_ASSERT_FALSE(*pte & PTE_A);              /* second chance taken */
    CU_ASSERT_EQUAL(pte_state(*pte), PTE_STATE_RESIDENT);
    CU_ASSERT_EQUAL(pte_state(*vm_pte(p, victim_va, false)), PTE_STATE_SWAP);
    CU_ASSERT_PTR_NULL(mmu_tlb_lookup(&p->mmu, va, ACC_LOAD));   /* its entry flushed */
    proc_destroy(p);
}

/* All A bits clear, as a sweep of the kernel's would leave them. */
static void clear_accessed(struct proc *p)
{
    uint32_t order[16], n = policy_order(p->policy, order, 16);
    for (uint32_t i = 0; i < n; i++)
        *vm_pte(p, p->frames.vpn[order[i]] << PAGE_SHIFT, false) &= ~PTE_A;
    mmu_flush_all(&p->mmu);
}

/* Enhanced clock takes a clean page before dirty ones, wherever the hand
 * is, and a clean page with a good swap copy leaves without a write (a
 * swap-cache hit). */
static void test_nru_live_prefers_clean(void)
{
    uint32_t area, n;
    struct proc *p = pressure(POLICY_NRU, 24, &area, &n);   /* all dirty */
    uint32_t y = area;
    while (pte_state(*vm_pte(p, y, false)) != PTE_STATE_SWAP)
        y += PAGE_SIZE;
    clear_accessed(p);
    touch(p, y, false);                         /* read back: clean, its slot kept */
    uint32_t *pte = vm_pte(p, y, false);
    CU_ASSERT_FALSE(*pte & PTE_D);
    CU_ASSERT_NOT_EQUAL(p->frames.slot[PTE_PPN(*pte)], 0);
    clear_accessed(p);
    uint32_t order[16];
    policy_order(p->policy, order, 16);
    CU_ASSERT_NOT_EQUAL(order[0], PTE_PPN(*pte));   /* the hand is elsewhere */
    uint64_t hits0 = p->st.swapcache_hits, outs0 = p->st.swapouts;
    uint32_t z = area;
    while (z == y || pte_resident(*vm_pte(p, z, false)))
        z += PAGE_SIZE;
    touch(p, z, true);                          /* one victim */
    CU_ASSERT_EQUAL(pte_state(*pte), PTE_STATE_SWAP);
    CU_ASSERT_EQUAL(p->st.swapcache_hits - hits0, 1);
    CU_ASSERT_EQUAL(p->st.swapouts - outs0, 0);  /* nothing written */
    proc_destroy(p);
}

/* mprotect over pages that have no frame — on swap, dropped to their file —
 * leaves them where they are (a dropped page's PTE has the parked bit among
 * its marks: it must not be taken for a frame). */
static void test_protect_leaves_evicted_pages(void)
{
    uint32_t area, n;
    struct proc *p = pressure(POLICY_CLOCK, 24, &area, &n);
    /* a text page dropped clean: read-only, so evicting it drops it */
    const struct vma *text = &p->vmas.v[0];
    CU_ASSERT_STRING_EQUAL_FATAL(text->name, "text");
    uint32_t t = text->start, *tp = vm_pte(p, t, true);
    *tp = PTE_FILE_ENTRY;
    uint32_t s = area;
    while (pte_state(*vm_pte(p, s, false)) != PTE_STATE_SWAP)
        s += PAGE_SIZE;
    uint32_t swap_pte = *vm_pte(p, s, false);
    CU_ASSERT_EQUAL(vma_protect(p, text->start, text->end, 7), 0);
    CU_ASSERT_EQUAL(vma_protect(p, area, area + 24 * PAGE_SIZE, 1), 0);
    CU_ASSERT_EQUAL(*vm_pte(p, t, false), PTE_FILE_ENTRY);
    CU_ASSERT_EQUAL(*vm_pte(p, s, false), swap_pte);
    CU_ASSERT_EQUAL(vm_frame_of(p, t), UINT32_MAX);
    /* and the page comes back from its file / from swap when touched */
    CU_ASSERT_EQUAL(vm_fault(p, t, ACC_FETCH), 0);
    CU_ASSERT_EQUAL(pte_state(*vm_pte(p, t, false)), PTE_STATE_RESIDENT);
    CU_ASSERT_EQUAL(vm_fault(p, s, ACC_LOAD), 0);
    CU_ASSERT_EQUAL(pte_state(*vm_pte(p, s, false)), PTE_STATE_RESIDENT);
    proc_destroy(p);
}

/* --- system calls --------------------------------------------------------- */

static void test_sys_brk(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t b0 = (uint32_t)SYS(p, NR_brk, 0);
    CU_ASSERT_EQUAL(b0, p->brk_start);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, b0 + 10000), b0 + 10000);
    struct vma *h = vma_find(&p->vmas, b0);
    CU_ASSERT_FATAL(h != NULL);
    CU_ASSERT_STRING_EQUAL(h->name, "heap");
    CU_ASSERT_EQUAL(h->end, PAGE_UP(b0 + 10000));
    uint32_t v = 42;
    CU_ASSERT_EQUAL(vm_copy_out(p, b0 + 9000, &v, 4, NULL), 0);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, b0 + 100), b0 + 100);       /* shrink */
    CU_ASSERT_EQUAL(vm_copy_out(p, b0 + 9000, &v, 4, NULL), -EFAULT);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, b0 - 4096), b0 + 100);      /* below start */
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, 0x40000000), b0 + 100);     /* would cover [sigpage] */
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, b0 + 8192), b0 + 8192);     /* grows back: zeros */
    CU_ASSERT_EQUAL(vm_copy_in(p, &v, b0 + 4096, 4, NULL), 0);
    CU_ASSERT_EQUAL(v, 0);
    proc_destroy(p);
}

static void test_sys_mmap(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t a = map_anon(p, 4096, 3);
    CU_ASSERT_EQUAL(a, MMAP_TOP - 4096);                       /* top-down, as qemu */
    uint32_t b = map_anon(p, 10000, 1);
    CU_ASSERT_EQUAL(b, a - 12288);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, b)->perms, 1);
    /* errors */
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, 0, 3, 0x22, (uint32_t)-1, 0), -EINVAL);     /* len 0 */
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, 4096, 3, 0x20, (uint32_t)-1, 0), -EINVAL);  /* no type */
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, 4096, 3, 0x02, 7, 0), -EBADF);               /* file */
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0x20000001, 4096, 3, 0x32, (uint32_t)-1, 0), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, 0xfffff000, 3, 0x22, (uint32_t)-1, 0), -ENOMEM);
    /* MAP_FIXED replaces; FIXED_NOREPLACE refuses */
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_mmap2, 0x20000000, 8192, 3, 0x32, (uint32_t)-1, 0), 0x20000000);
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0x20001000, 4096, 1, 0x100022, (uint32_t)-1, 0), -EEXIST);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_mmap2, 0x20001000, 4096, 1, 0x32, (uint32_t)-1, 0), 0x20001000);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, 0x20000000)->perms, 3);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, 0x20001000)->perms, 1);
    /* munmap the middle page of three */
    uint32_t c = map_anon(p, 3 * 4096, 3);
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, c + 4096, 4096), 0);
    CU_ASSERT_PTR_NULL(vma_find(&p->vmas, c + 4096));
    CU_ASSERT_PTR_NOT_NULL(vma_find(&p->vmas, c));
    CU_ASSERT_PTR_NOT_NULL(vma_find(&p->vmas, c + 8192));
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, c + 1, 4096), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, c, 0), -EINVAL);
    /* mprotect */
    CU_ASSERT_EQUAL(SYS(p, NR_mprotect, c, 4096, 1), 0);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, c)->perms, 1);
    CU_ASSERT_EQUAL(SYS(p, NR_mprotect, c, 3 * 4096, 1), -ENOMEM);   /* hole in range */
    CU_ASSERT_EQUAL(SYS(p, NR_mprotect, c + 2, 4096, 1), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_mprotect, c, 4096, 8), -EINVAL);
    proc_destroy(p);
}

static void test_sys_io(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, 4096, 3);
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, "", 1, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_write, 1, buf, 0), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_write, 5, buf, 1), -EBADF);
    CU_ASSERT_EQUAL(SYS(p, NR_write, 1, 0, 10), -EFAULT);           /* NULL */
    CU_ASSERT_EQUAL(SYS(p, NR_write, 1, 0xdead0000, 10), -EFAULT);  /* wild */
    CU_ASSERT_EQUAL(SYS(p, NR_read, 40, buf, 10), -EBADF);
    CU_ASSERT_EQUAL(SYS(p, NR_read, 0, 0x100, 10), -EFAULT);      /* checked before reading */
    CU_ASSERT_EQUAL(SYS(p, NR_read, 0, p->img.entry, 10), -EFAULT); /* text is not writable */
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 1, buf, (uint32_t)-1), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 1, 0x10, 1), -EFAULT);
    uint32_t iov[4] = { buf, 0, buf, 0 };
    CU_ASSERT_EQUAL(vm_copy_out(p, buf + 64, iov, sizeof iov, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 1, buf + 64, 2), 0);
    /* a closed pipe: EPIPE, and SIGPIPE pending for the guest */
    int pfd[2];
    CU_ASSERT_FATAL(pipe(pfd) == 0);
    close(pfd[0]);
    p->fds[5] = pfd[1];
    CU_ASSERT_EQUAL(SYS(p, NR_write, 5, buf, 1), -EPIPE);
    CU_ASSERT(p->sig.pending & (1u << (13 - 1)));
    CU_ASSERT_EQUAL(SYS(p, NR_close, 5), 0);
    CU_ASSERT_EQUAL(SYS(p, 9999, 0), -ENOSYS);
    CU_ASSERT_EQUAL(SYS(p, 113, 0), -ENOSYS);                       /* clock_gettime32 */
    proc_destroy(p);
}

static void test_sys_misc(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, 4096, 3);
    CU_ASSERT_EQUAL(SYS(p, NR_getpid, 0), SYS(p, NR_gettid, 0));
    CU_ASSERT_EQUAL(SYS(p, NR_set_tid_address, buf), SYS(p, NR_gettid, 0));
    CU_ASSERT_EQUAL(SYS(p, NR_uname, buf), 0);
    char u[390];
    CU_ASSERT_EQUAL(vm_copy_in(p, u, buf, sizeof u, NULL), 0);
    CU_ASSERT_STRING_EQUAL(u, "Linux");
    CU_ASSERT_STRING_EQUAL(u + 4 * 65, "riscv32");
    CU_ASSERT_EQUAL(SYS(p, NR_uname, 0x100), -EFAULT);
    CU_ASSERT_EQUAL(SYS(p, NR_clock_gettime64, 1, buf), 0);
    int64_t ts[2];
    CU_ASSERT_EQUAL(vm_copy_in(p, ts, buf, sizeof ts, NULL), 0);
    CU_ASSERT(ts[1] >= 0 && ts[1] < 1000000000);
    CU_ASSERT_EQUAL(SYS(p, NR_clock_gettime64, 99, buf), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_getrandom, buf, 100, 0), 100);
    CU_ASSERT_EQUAL(SYS(p, NR_getrandom, buf, 100, 0x100), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_getrandom, 0, 100, 0), -EFAULT);
    SYS(p, NR_exit_group, 0x1234);
    CU_ASSERT_EQUAL(p->state, PROC_EXITED);
    CU_ASSERT_EQUAL(proc_status(p), 0x34);
    proc_destroy(p);
}

/* vmlab's own /proc/self is not the guest's: opening any of it (mem, to
 * write over the emulator's code; maps; the directory, to open relative
 * to it) is refused, and /proc/self/exe names the guest's program, as
 * under qemu-user. */
static void test_sys_own_proc(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, PAGE_SIZE, 3);
    char pidpath[64];
    snprintf(pidpath, sizeof pidpath, "/proc/%ld/maps", (long)getpid());
    const char *const refused[] = { "/proc/self/mem", "/proc/self/maps", "/proc/self",
                                    "/proc/thread-self/mem", pidpath, "/proc/self/fd/2",
                                    "/proc//self/./fd/1" };
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        CU_ASSERT_EQUAL(vm_copy_out(p, buf, refused[i], strlen(refused[i]) + 1, NULL), 0);
        int32_t fd = SYS(p, NR_openat, (uint32_t)-100, buf, 2 /* O_RDWR */, 0);
        if (fd == -EISDIR)                    /* the directory: read-only */
            fd = SYS(p, NR_openat, (uint32_t)-100, buf, 0, 0);
        CHECK(fd == -EACCES, "openat(\"%s\") = %d, expected -EACCES", refused[i], fd);
    }
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, "/proc/version", 14, NULL), 0);
    int32_t fd = SYS(p, NR_openat, (uint32_t)-100, buf, 0, 0);
    CHECK(fd >= 3, "openat(\"/proc/version\") = %d: other /proc files open", fd);
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, "/proc/self/exe", 15, NULL), 0);
    int32_t n = SYS(p, NR_readlinkat, (uint32_t)-100, buf, buf + 256, 1024);
    char link[1025] = { 0 };
    CU_ASSERT_FATAL(n > 0 && n <= 1024);
    CU_ASSERT_EQUAL(vm_copy_in(p, link, buf + 256, (size_t)n, NULL), 0);
    CHECK(strstr(link, "guests/hello") != NULL, "readlink(/proc/self/exe) = \"%s\"", link);
    proc_destroy(p);
}

/* openat, read, llseek, close, and a private file mapping paged in on
 * demand (SIGBUS past the end of the file). */
static void test_sys_files(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, 2 * PAGE_SIZE, 3);
    const char *path = test_path("guests/hello");
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, path, strlen(path) + 1, NULL), 0);
    int32_t fd = SYS(p, NR_openat, (uint32_t)-100, buf, 0, 0);
    CU_ASSERT_FATAL(fd >= 3);
    CU_ASSERT_EQUAL(SYS(p, NR_read, (uint32_t)fd, buf + PAGE_SIZE, 4), 4);
    uint8_t magic[4];
    CU_ASSERT_EQUAL(vm_copy_in(p, magic, buf + PAGE_SIZE, 4, NULL), 0);
    CU_ASSERT_EQUAL(memcmp(magic, "\177ELF", 4), 0);
    /* llseek to 4096, read a word; then map page 1 of the file and compare */
    CU_ASSERT_EQUAL(SYS(p, NR_llseek, (uint32_t)fd, 0, 4096, buf + 64, 0), 0);
    uint32_t pos[2], w1, w2;
    CU_ASSERT_EQUAL(vm_copy_in(p, pos, buf + 64, 8, NULL), 0);
    CU_ASSERT_EQUAL(pos[0], 4096);
    CU_ASSERT_EQUAL(SYS(p, NR_read, (uint32_t)fd, buf + 128, 4), 4);
    CU_ASSERT_EQUAL(vm_copy_in(p, &w1, buf + 128, 4, NULL), 0);
    uint32_t m = (uint32_t)SYS(p, NR_mmap2, 0, 3 * PAGE_SIZE, 1, 0x02, (uint32_t)fd, 1);
    CU_ASSERT_FATAL(m < MMAP_TOP && (m & PAGE_MASK) == 0);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, m)->kind, VMA_FILE);
    CU_ASSERT_EQUAL(vm_copy_in(p, &w2, m, 4, NULL), 0);
    CU_ASSERT_EQUAL(w1, w2);
    /* pages wholly past the end of the file: SIGBUS (hello, with its debug
     * information, is well under 4 MiB) */
    uint32_t big = (uint32_t)SYS(p, NR_mmap2, 0, 1024 * PAGE_SIZE, 1, 0x02, (uint32_t)fd, 0);
    CU_ASSERT_EQUAL(vm_fault(p, big + 1023 * PAGE_SIZE, ACC_LOAD), VM_FAULT_SIGBUS);
    CU_ASSERT_EQUAL(vm_fault(p, big, ACC_LOAD), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, PAGE_SIZE, 3, 0x01, (uint32_t)fd, 0), -ENODEV);
    CU_ASSERT_EQUAL(SYS(p, NR_close, (uint32_t)fd), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_close, (uint32_t)fd), -EBADF);
    CU_ASSERT_EQUAL(SYS(p, NR_read, (uint32_t)fd, buf, 4), -EBADF);
    /* the mapping outlives the descriptor */
    CU_ASSERT_EQUAL(vm_copy_in(p, &w2, m, 4, NULL), 0);
    CU_ASSERT_EQUAL(w1, w2);
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, "/nonexistent/x", 15, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_openat, (uint32_t)-100, buf, 0, 0), -ENOENT);
    CU_ASSERT_EQUAL(SYS(p, NR_openat, (uint32_t)-100, 0x10, 0, 0), -EFAULT);
    proc_destroy(p);
}

static void test_perm_rules(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    char err[256];
    CU_ASSERT_EQUAL(proc_perm_rule(p, "text=rwx", err, sizeof err), 0);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, p->img.entry)->perms, 7);
    CU_ASSERT_EQUAL(proc_perm_rule(p, "stack=---", err, sizeof err), 0);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, STACK_TOP - 4)->perms, 0);
    CU_ASSERT_EQUAL(proc_perm_rule(p, "txt=rw", err, sizeof err), -EINVAL);
    CU_ASSERT(strstr(err, "text") && strstr(err, "stack") && strstr(err, "heap"));
    CU_ASSERT_EQUAL(proc_perm_rule(p, "text=rwq", err, sizeof err), -EINVAL);
    CU_ASSERT_EQUAL(proc_perm_rule(p, "text", err, sizeof err), -EINVAL);
    /* heap made later gets the rule */
    CU_ASSERT_EQUAL(proc_perm_rule(p, "heap=r", err, sizeof err), 0);
    uint32_t b0 = (uint32_t)SYS(p, NR_brk, 0);
    SYS(p, NR_brk, b0 + 4096);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, b0)->perms, 1);
    proc_destroy(p);
}

static void test_run_hello(void)
{
    struct proc_options o = { .mem_size = 8 << 20, .max_insns = 10000000 };
    struct proc *p = new_proc_opts("guests/hello", &o);
    CU_ASSERT_FATAL(p != NULL);
    fflush(stdout);
    int saved = dup(1);
    FILE *devnull = fopen("/dev/null", "w");
    dup2(fileno(devnull), 1);
    int status = proc_run(p);
    dup2(saved, 1);
    close(saved);
    fclose(devnull);
    CU_ASSERT_EQUAL(status, 0);
    CU_ASSERT_EQUAL(p->state, PROC_EXITED);
    CU_ASSERT(p->cpu.instret > 100);
    CU_ASSERT(p->st.syscalls > 2);
    proc_destroy(p);
}

/* The descriptor table: dup takes the lowest free slot, dup3 replaces
 * its target (never vmlab's own stdio on the host), fcntl keeps the
 * close-on-exec bit per guest fd, pipe2 gives two slots. */
/* write gathers pages (16 to a host write): bytes arrive in order across
 * chunks, and a fault partway ends the write after the bytes before it. */
static void test_sys_write_chunks(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    enum { NPAGES = 40 };
    uint32_t buf = map_anon(p, (NPAGES + 1) * PAGE_SIZE, 3);
    CU_ASSERT_EQUAL_FATAL(SYS(p, NR_munmap, buf + NPAGES * PAGE_SIZE, PAGE_SIZE), 0);
    static uint8_t page[PAGE_SIZE], back[NPAGES * PAGE_SIZE];
    for (int i = 0; i < NPAGES; i++) {
        for (uint32_t j = 0; j < PAGE_SIZE; j++)
            page[j] = (uint8_t)(i * 7 + j);
        CU_ASSERT_EQUAL(vm_copy_out(p, buf + (uint32_t)i * PAGE_SIZE, page, PAGE_SIZE, NULL), 0);
    }
    FILE *f = tmpfile();
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    p->fds[5] = dup(fileno(f));
    /* from 100 bytes into the first page, past the end of the mapping */
    uint32_t want = NPAGES * PAGE_SIZE - 100;
    CU_ASSERT_EQUAL(SYS(p, NR_write, 5, buf + 100, NPAGES * PAGE_SIZE), (int32_t)want);
    CU_ASSERT_EQUAL(SYS(p, NR_write, 5, buf + NPAGES * PAGE_SIZE, 10), -EFAULT);
    CU_ASSERT_EQUAL(pread(fileno(f), back, sizeof back, 0), (ssize_t)want);
    bool same = true;
    for (uint32_t k = 0; k < want; k++) {
        uint32_t at = k + 100;
        same &= back[k] == (uint8_t)(at / PAGE_SIZE * 7 + at % PAGE_SIZE);
    }
    CU_ASSERT_TRUE(same);
    CU_ASSERT_EQUAL(SYS(p, NR_close, 5), 0);
    fclose(f);
    proc_destroy(p);
}

/* The guest's RLIMIT_FSIZE: a write is cut at the limit; at the limit it is
 * EFBIG with SIGXFSZ, decided before the buffer is read (a bad pointer
 * there is EFBIG, as on Linux, not EFAULT); a writev is cut for its total. */
static void test_sys_write_fsize(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, 2 * PAGE_SIZE, 3);
    FILE *f = tmpfile();
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    p->fds[5] = dup(fileno(f));
    uint32_t set[2] = { 1u << (25 - 1), 0 };                       /* SIGXFSZ */
    uint64_t lim[2] = { 1000, UINT64_MAX };
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, set, sizeof set, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_rt_sigprocmask, 0, buf, 0, 8), 0);    /* keep it pending */
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, lim, sizeof lim, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_prlimit64, 0, 1, buf, 0), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_write, 5, buf, 1500), 1000);
    CU_ASSERT_EQUAL(p->sig.pending, 0);
    CU_ASSERT_EQUAL(SYS(p, NR_write, 5, buf, 0), 0);               /* empty: no check */
    CU_ASSERT_EQUAL(SYS(p, NR_write, 5, 16, 1), -EFBIG);           /* before the fault */
    CU_ASSERT_EQUAL(p->sig.pending, 1u << 24);
    CU_ASSERT_EQUAL(lseek(p->fds[5], 700, SEEK_SET), 700);
    uint32_t iov[6] = { buf, 200, buf, 200, buf, 200 };
    CU_ASSERT_EQUAL(vm_copy_out(p, buf + PAGE_SIZE, iov, sizeof iov, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 5, buf + PAGE_SIZE, 3), 300);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 5, buf + PAGE_SIZE, 3), -EFBIG);
    struct stat st;
    CU_ASSERT_EQUAL(fstat(fileno(f), &st), 0);
    CU_ASSERT_EQUAL(st.st_size, 1000);
    int pipefd[2];
    CU_ASSERT_EQUAL_FATAL(pipe(pipefd), 0);
    p->fds[6] = pipefd[1];
    CU_ASSERT_EQUAL(SYS(p, NR_write, 6, buf, 1500), 1500);         /* a pipe: no limit */
    close(pipefd[0]);
    CU_ASSERT_EQUAL(SYS(p, NR_close, 6), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_close, 5), 0);
    fclose(f);
    proc_destroy(p);
}

static void test_sys_fds(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, PAGE_SIZE, 3);
    int32_t d = SYS(p, NR_dup, 1);
    CU_ASSERT_EQUAL(d, 3);
    CU_ASSERT(p->fds[3] > 2);                       /* a host dup, not host fd 1 itself */
    CU_ASSERT_EQUAL(SYS(p, NR_dup3, 3, 1, 0), 1);   /* guest 1 is now a dup too */
    CU_ASSERT(p->fds[1] > 2);
    CU_ASSERT_EQUAL(SYS(p, NR_dup3, 3, 3, 0), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_dup3, 3, 64, 0), -EBADF);
    CU_ASSERT_EQUAL(SYS(p, NR_dup, 40), -EBADF);
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 3, 1, 0), 0);               /* F_GETFD */
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 3, 2, 1), 0);               /* F_SETFD FD_CLOEXEC */
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 3, 1, 0), 1);
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 3, 0, 10), 10);             /* F_DUPFD >= 10 */
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 3, 99, 0), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_pipe2, buf, 0x80000), 0);            /* O_CLOEXEC */
    int32_t ends[2];
    CU_ASSERT_EQUAL(vm_copy_in(p, ends, buf, sizeof ends, NULL), 0);
    CU_ASSERT_EQUAL(ends[0], 4);
    CU_ASSERT_EQUAL(ends[1], 5);
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 4, 1, 0), 1);
    CU_ASSERT_EQUAL(SYS(p, NR_pipe2, buf, 0x1), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_pipe2, 0x100, 0), -EFAULT);
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 6, 1, 0), -EBADF);          /* nothing leaked */

    /* RLIMIT_NOFILE 8: new fds stop below it, fd 10 above it stays open */
    uint64_t lim[2] = { 8, 64 };
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, lim, sizeof lim, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_prlimit64, 0, 7, buf, 0), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_dup, 3), 6);
    CU_ASSERT_EQUAL(SYS(p, NR_dup, 3), 7);
    CU_ASSERT_EQUAL(SYS(p, NR_dup, 3), -EMFILE);
    CU_ASSERT_EQUAL(SYS(p, NR_pipe2, buf, 0), -EMFILE);
    char path[64];
    snprintf(path, sizeof path, "/tmp/vmlab-nofile-%d", (int)getpid());
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, path, strlen(path) + 1, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_openat, (uint32_t)-100, buf, 0x41, 0600), -EMFILE);
    CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);                     /* not created */
    unlink(path);
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 3, 0, 8), -EINVAL);          /* F_DUPFD from 8 */
    CU_ASSERT_EQUAL(SYS(p, NR_dup3, 3, 8, 0), -EBADF);
    CU_ASSERT_EQUAL(SYS(p, NR_fcntl64, 10, 1, 0), 0);               /* still open */
    CU_ASSERT_EQUAL(SYS(p, NR_close, 7), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_dup, 10), 7);
    proc_destroy(p);
}

/* mincore reads residency from the page table; madvise(MADV_DONTNEED)
 * gives frames back; mremap moves frames with their contents. */
static void test_sys_residency_and_mremap(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t m = map_anon(p, 4 * PAGE_SIZE, 3), vec = map_anon(p, PAGE_SIZE, 3);
    uint8_t v[4];
    CU_ASSERT_EQUAL(SYS(p, NR_mincore, m, 4 * PAGE_SIZE, vec), 0);
    CU_ASSERT_EQUAL(vm_copy_in(p, v, vec, 4, NULL), 0);
    CU_ASSERT(!v[0] && !v[1] && !v[2] && !v[3]);
    uint32_t word = 0xfeedbeef;
    CU_ASSERT_EQUAL(vm_copy_out(p, m + PAGE_SIZE, &word, 4, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_mincore, m, 4 * PAGE_SIZE, vec), 0);
    CU_ASSERT_EQUAL(vm_copy_in(p, v, vec, 4, NULL), 0);
    CU_ASSERT(!v[0] && v[1] == 1 && !v[2] && !v[3]);
    uint32_t frame = vm_frame_of(p, m + PAGE_SIZE);
    CU_ASSERT_EQUAL(SYS(p, NR_mincore, m + 1, PAGE_SIZE, vec), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_mincore, 0x20000000, PAGE_SIZE, vec), -ENOMEM);
    /* lengths that wrap past the top (PAGE_UP(0xffffffff) is 0): not an
     * empty range that succeeds */
    CU_ASSERT_EQUAL(SYS(p, NR_mincore, 0, 0xffffffffu, vec), -ENOMEM);
    CU_ASSERT_EQUAL(SYS(p, NR_mincore, m, 0xfffff001u, vec), -ENOMEM);
    CU_ASSERT_EQUAL(SYS(p, NR_madvise, 0, 0xffffffffu, 4), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_madvise, m, 0xfffff001u, 4), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_madvise, m, 0, 4), 0);

    /* move 4 pages to a new place with room for 16: the frame moves too */
    uint32_t n = (uint32_t)SYS(p, NR_mremap, m, 4 * PAGE_SIZE, 16 * PAGE_SIZE, 1, 0);
    CU_ASSERT_FATAL(n != m && n < MMAP_TOP);
    CU_ASSERT_EQUAL(vm_frame_of(p, n + PAGE_SIZE), frame);
    CU_ASSERT_EQUAL(vm_frame_of(p, m + PAGE_SIZE), UINT32_MAX);
    CU_ASSERT_PTR_NULL(vma_find(&p->vmas, m));
    CU_ASSERT_PTR_NOT_NULL(vma_find(&p->vmas, n + 15 * PAGE_SIZE));
    uint32_t back = 0;
    CU_ASSERT_EQUAL(vm_copy_in(p, &back, n + PAGE_SIZE, 4, NULL), 0);
    CU_ASSERT_EQUAL(back, 0xfeedbeef);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_mremap, n, 16 * PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), n);
    CU_ASSERT_PTR_NULL(vma_find(&p->vmas, n + 2 * PAGE_SIZE));
    CU_ASSERT_EQUAL(SYS(p, NR_mremap, n + 1, PAGE_SIZE, PAGE_SIZE, 0, 0), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_mremap, 0x20000000, PAGE_SIZE, PAGE_SIZE, 0, 0), -EFAULT);

    uint32_t used = frame_used(&p->frames);
    CU_ASSERT_EQUAL(SYS(p, NR_madvise, n, 2 * PAGE_SIZE, 4), 0);   /* MADV_DONTNEED */
    CU_ASSERT_EQUAL(frame_used(&p->frames), used - 1);
    CU_ASSERT_EQUAL(vm_copy_in(p, &back, n + PAGE_SIZE, 4, NULL), 0);
    CU_ASSERT_EQUAL(back, 0);                                      /* zero-filled again */
    CU_ASSERT_EQUAL(SYS(p, NR_madvise, n, PAGE_SIZE, 77), -EINVAL);
    proc_destroy(p);
}

/* prlimit64 RLIMIT_STACK is --stack-limit, both ways; the guest clock
 * moves by the sleeps; a pending blocked signal shows in rt_sigpending. */
static void test_sys_limits_time_signals(void)
{
    struct proc_options o = { .mem_size = 8 << 20, .stack_limit = 1 << 20,
                              .core_limit = 4096 };
    struct proc *p = new_proc_opts("guests/hello", &o);
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, PAGE_SIZE, 3);
    uint64_t rl[2];
    CU_ASSERT_EQUAL(SYS(p, NR_prlimit64, 0, 3, 0, buf), 0);        /* RLIMIT_STACK */
    CU_ASSERT_EQUAL(vm_copy_in(p, rl, buf, sizeof rl, NULL), 0);
    CU_ASSERT_EQUAL(rl[0], 1 << 20);
    CU_ASSERT_EQUAL(rl[1], UINT64_MAX);
    CU_ASSERT_EQUAL(SYS(p, NR_prlimit64, 0, 4, 0, buf), 0);        /* RLIMIT_CORE */
    CU_ASSERT_EQUAL(vm_copy_in(p, rl, buf, sizeof rl, NULL), 0);
    CU_ASSERT_EQUAL(rl[0], 4096);
    rl[0] = 256 * 1024;
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, rl, sizeof rl, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_prlimit64, 0, 3, buf, 0), 0);
    CU_ASSERT_EQUAL(p->stack_limit, 256 * 1024);
    CU_ASSERT_EQUAL(SYS(p, NR_prlimit64, 12345, 3, 0, buf), -ESRCH);
    CU_ASSERT_EQUAL(SYS(p, NR_prlimit64, 0, 16, 0, buf), -EINVAL);

    int64_t before = p->clock_offset_ns;
    int64_t req[2] = { 3, 500 };
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, req, sizeof req, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_clock_nanosleep_time64, 1, 0, buf, 0), 0);
    CU_ASSERT_EQUAL(p->clock_offset_ns - before, 3000000500LL);
    req[1] = 1000000000;
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, req, sizeof req, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_clock_nanosleep_time64, 1, 0, buf, 0), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_clock_nanosleep_time64, 2, 0, buf, 0), -EINVAL);

    uint32_t set[2] = { 1u << (10 - 1), 0 };                       /* SIGUSR1 */
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, set, sizeof set, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_rt_sigprocmask, 0, buf, 0, 8), 0);    /* block it */
    CU_ASSERT_EQUAL(SYS(p, NR_kill, (uint32_t)p->pid, 10), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_rt_sigpending, buf + 16, 8), 0);
    uint32_t pend[2];
    CU_ASSERT_EQUAL(vm_copy_in(p, pend, buf + 16, sizeof pend, NULL), 0);
    CU_ASSERT_EQUAL(pend[0], 1u << 9);
    CU_ASSERT_EQUAL(SYS(p, NR_rt_sigtimedwait_time64, buf, buf + 32, 0, 8), 10);
    CU_ASSERT_EQUAL(p->sig.pending, 0);
    CU_ASSERT_EQUAL(SYS(p, NR_rt_sigtimedwait_time64, buf, 0, 0, 4), -EINVAL);
    /* nothing can arrive: waiting forever ends the process */
    SYS(p, NR_rt_sigsuspend, buf, 8);
    CU_ASSERT_EQUAL(p->state, PROC_KILLED);
    CU_ASSERT_EQUAL(p->term_sig, 9);
    proc_destroy(p);
}

/* --- guest-controlled sizes, each at its edge --------------------------- */

/* writev: 1024 iovecs (IOV_MAX) are taken, 1025 are -EINVAL. */
static void test_edge_iovcnt(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t iov = map_anon(p, 3 * PAGE_SIZE, 3);             /* 1025 * 8 bytes, zeros */
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    CU_ASSERT_FATAL(devnull >= 0);
    p->fds[5] = devnull;
    uint32_t one[2] = { iov + 2 * PAGE_SIZE, 3 };             /* the last iovec: 3 bytes */
    CU_ASSERT_EQUAL(vm_copy_out(p, iov + 1023 * 8, one, 8, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 5, iov, 1024), 3);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 5, iov, 1025), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 5, iov, 0), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 5, iov, 0x80000000u), -EINVAL);
    /* lengths adding up past INT32_MAX are refused, not overflowed */
    uint32_t two[4] = { iov, 0x7fffffff, iov, 1 };
    CU_ASSERT_EQUAL(vm_copy_out(p, iov, two, sizeof two, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_writev, 5, iov, 2), -EINVAL);
    proc_destroy(p);                                           /* closes fd 5 */
}

/* A path of 4095 bytes (and its NUL) reaches the host; 4096 do not. */
static void test_edge_path_length(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t buf = map_anon(p, 2 * PAGE_SIZE, 3);
    char path[PAGE_SIZE + 1];
    path[0] = '/';
    for (unsigned i = 1; i < PAGE_SIZE; i++)
        path[i] = i % 2 ? 'a' : '/';                           /* "/a/a/a..." */
    path[4095] = 0;
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, path, 4096, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_openat, (uint32_t)-100, buf, 0, 0), -ENOENT);
    path[4095] = 'a';
    path[4096] = 0;
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, path, 4097, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_openat, (uint32_t)-100, buf, 0, 0), -ENAMETOOLONG);
    /* unterminated up to an unmapped page: -EFAULT, not a read past it */
    uint32_t last = map_anon(p, PAGE_SIZE, 3);
    memset(path, 'b', PAGE_SIZE);
    CU_ASSERT_EQUAL(vm_copy_out(p, last, path, PAGE_SIZE, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, last + PAGE_SIZE, PAGE_SIZE), 0);
    CU_ASSERT(vma_find(&p->vmas, last + PAGE_SIZE) == NULL);
    CU_ASSERT_EQUAL(SYS(p, NR_openat, (uint32_t)-100, last + 100, 0, 0), -EFAULT);
    proc_destroy(p);
}

/* brk up to the next segment exactly, not a byte past; mmap into a gap of
 * exactly its length, not a page more; lengths that wrap. */
static void test_edge_brk_mmap(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t b0 = (uint32_t)SYS(p, NR_brk, 0);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, SIGPAGE_ADDR), SIGPAGE_ADDR);    /* to [sigpage] */
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, SIGPAGE_ADDR + 1), SIGPAGE_ADDR);
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, PAGE_SIZE, 3, 0x22, (uint32_t)-1, 0), -ENOMEM);
    uint32_t hole = SIGPAGE_ADDR - 2 * PAGE_SIZE;
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, hole), hole);                    /* two pages free */
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, 2 * PAGE_SIZE + 1, 3, 0x22, (uint32_t)-1, 0), -ENOMEM);
    CU_ASSERT_EQUAL((uint32_t)map_anon(p, 2 * PAGE_SIZE, 3), hole);
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, PAGE_SIZE, 3, 0x22, (uint32_t)-1, 0), -ENOMEM);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, hole + 1), hole);                /* now taken */
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, hole, 2 * PAGE_SIZE), 0);
    CU_ASSERT_EQUAL((uint32_t)SYS(p, NR_brk, b0), b0);
    /* lengths that wrap past 4 GiB */
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0, 0xffffffffu, 3, 0x22, (uint32_t)-1, 0), -ENOMEM);
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, 0x10000, 0xffffffffu), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_mprotect, 0x10000, 0xffffffffu, 1), -EINVAL);
    CU_ASSERT_EQUAL(SYS(p, NR_mmap2, 0xfffff000u, PAGE_SIZE, 3, 0x32, (uint32_t)-1, 0), -ENOMEM);
    proc_destroy(p);
}

/* At most VMA_MAX segments: then mmap, and a split by mprotect or munmap,
 * fail with -ENOMEM and change nothing; freeing some makes room again. */
static void test_edge_vma_count(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t last = 0;
    int32_t r = 0;
    for (unsigned i = 0; i < VMA_MAX + 10; i++) {
        r = SYS(p, NR_mmap2, 0, PAGE_SIZE, i % 2 ? 1 : 3, 0x22, (uint32_t)-1, 0);
        if (r < 0)
            break;
        last = (uint32_t)r;
    }
    CU_ASSERT_EQUAL(r, -ENOMEM);
    CU_ASSERT_EQUAL(p->vmas.n, VMA_MAX);
    uint32_t big = 0;
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, last, PAGE_SIZE), 0);        /* one free slot */
    big = (uint32_t)SYS(p, NR_mmap2, 0, 3 * PAGE_SIZE, 7, 0x22, (uint32_t)-1, 0); /* no merge */
    CU_ASSERT(big < MMAP_TOP);
    CU_ASSERT_EQUAL(p->vmas.n, VMA_MAX);
    CU_ASSERT_EQUAL(SYS(p, NR_mprotect, big + PAGE_SIZE, PAGE_SIZE, 1), -ENOMEM);
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, big + PAGE_SIZE, PAGE_SIZE), -ENOMEM);
    CU_ASSERT_EQUAL(vma_find(&p->vmas, big + PAGE_SIZE)->perms, 7);   /* unchanged */
    CU_ASSERT_EQUAL(p->vmas.n, VMA_MAX);
    proc_destroy(p);
}

/* sigaltstack: MINSIGSTKSZ (2048) is taken, one byte less is -ENOMEM; a
 * signal delivered there puts its 944-byte frame inside the stack. */
static void test_edge_altstack(void)
{
    struct proc *p = new_proc();
    CU_ASSERT_FATAL(p != NULL);
    uint32_t mem = map_anon(p, 2 * PAGE_SIZE, 3);
    uint32_t alt = mem + PAGE_SIZE;                        /* 4 KiB, the ss struct below */
    uint32_t ss[3] = { alt, 0, 2047 };
    CU_ASSERT_EQUAL(vm_copy_out(p, mem, ss, sizeof ss, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_sigaltstack, mem, 0), -ENOMEM);
    ss[2] = 2048;
    CU_ASSERT_EQUAL(vm_copy_out(p, mem, ss, sizeof ss, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_sigaltstack, mem, 0), 0);
    uint32_t act[5] = { p->img.entry, 0x08000004u /* SA_ONSTACK | SA_SIGINFO */, 0, 0, 0 };
    CU_ASSERT_EQUAL(vm_copy_out(p, mem + 64, act, sizeof act, NULL), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_rt_sigaction, 10, mem + 64, 0, 8), 0);
    CU_ASSERT_EQUAL(SYS(p, NR_kill, (uint32_t)p->pid, 10), 0);
    sig_deliver(p);
    uint32_t sp = p->cpu.x[2];
    CHECK(sp >= alt && sp + 944 <= alt + 2048 && p->cpu.pc == p->img.entry,
          "frame at 0x%08x, altstack 0x%08x+2048, pc 0x%08x", sp, alt, p->cpu.pc);
    CU_ASSERT_EQUAL(p->state, PROC_RUNNING);
    proc_destroy(p);
}

/* The host memory cap on mapped files: each mapping's bytes are charged;
 * past the cap mmap is -ENOMEM, and an munmap makes room again. */
static void test_edge_hostmem_files(void)
{
    struct proc_options o = { .mem_size = 8 << 20, .host_mem = 1 << 20, .interp = true };
    struct proc *p = new_proc_opts("guests/hello", &o);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_PTR_NULL(p->cpu.jit);                        /* 1 MiB leaves no room for it */
    uint32_t buf = map_anon(p, PAGE_SIZE, 3);
    const char *path = test_path("guests/hello");
    CU_ASSERT_EQUAL(vm_copy_out(p, buf, path, strlen(path) + 1, NULL), 0);
    int32_t fd = SYS(p, NR_openat, (uint32_t)-100, buf, 0, 0);
    CU_ASSERT_FATAL(fd >= 3);
    uint32_t maps[64];
    int n = 0;
    int32_t r;
    while (n < 64 && (r = SYS(p, NR_mmap2, 0, PAGE_SIZE, 1, 0x02, (uint32_t)fd, 0)) > 0)
        maps[n++] = (uint32_t)r;
    CU_ASSERT_EQUAL(r, -ENOMEM);
    CHECK(n >= 1 && p->hm.used <= p->hm.limit && p->hm.refused >= 1,
          "%d mappings, %llu of %llu bytes", n, (unsigned long long)p->hm.used,
          (unsigned long long)p->hm.limit);
    CU_ASSERT_EQUAL(SYS(p, NR_munmap, maps[0], PAGE_SIZE), 0);
    CU_ASSERT((uint32_t)SYS(p, NR_mmap2, 0, PAGE_SIZE, 1, 0x02, (uint32_t)fd, 0) < MMAP_TOP);
    proc_destroy(p);
}

/* argv and envp over 128 KiB: "argument list too long", no process. */
static void test_edge_argv(void)
{
    struct proc_options o = { .mem_size = 8 << 20 };
    static char big[70000];
    memset(big, 'x', sizeof big - 1);
    char *argv[] = { (char *)test_path("guests/hello"), big, big, NULL }, *envp[] = { NULL };
    char err[256] = "";
    CU_ASSERT_PTR_NULL(proc_create(argv[0], argv, envp, &o, err, sizeof err));
    CU_ASSERT_STRING_EQUAL(err, "argument list too long");
    argv[2] = NULL;
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    CU_ASSERT_PTR_NOT_NULL(p);
    proc_destroy(p);
}

void kernel_suite_add(void)
{
    CU_pSuite s = CU_add_suite("kernel", NULL, NULL);
    CU_add_test(s, "dup, dup3, fcntl64, pipe2, RLIMIT_NOFILE", test_sys_fds);
    CU_add_test(s, "mincore, madvise, mremap", test_sys_residency_and_mremap);
    CU_add_test(s, "prlimit64, clock_nanosleep, rt_sig{pending,timedwait,suspend}",
                test_sys_limits_time_signals);
    CU_add_test(s, "address-space layout", test_layout);
    CU_add_test(s, "initial stack: argc, argv, envp, auxv", test_initial_stack);
    CU_add_test(s, "bad programs are refused", test_bad_program);
    CU_add_test(s, "demand paging: zero-fill, file, MAPERR/ACCERR", test_demand_paging);
    CU_add_test(s, "stack grows to its limit", test_stack_growth);
    CU_add_test(s, "vma_protect: PTEs, TLB, PROT_NONE", test_vma_protect);
    CU_add_test(s, "writable then executable runs new code", test_protect_then_execute);
    CU_add_test(s, "out of physical frames", test_out_of_frames);
    CU_add_test(s, "brk", test_sys_brk);
    CU_add_test(s, "mmap2, munmap, mprotect", test_sys_mmap);
    CU_add_test(s, "write, writev, read, ENOSYS", test_sys_io);
    CU_add_test(s, "write: the guest's RLIMIT_FSIZE (EFBIG, SIGXFSZ, writev cut once)",
                test_sys_write_fsize);
    CU_add_test(s, "write: pages gathered in order, a fault partway", test_sys_write_chunks);
    CU_add_test(s, "uname, getpid, clock, getrandom, exit", test_sys_misc);
    CU_add_test(s, "openat, read, llseek, close, file mmap", test_sys_files);
    CU_add_test(s, "openat of vmlab's own /proc/self refused, /proc/self/exe the guest's", test_sys_own_proc);
    CU_add_test(s, "--perm rules", test_perm_rules);
    CU_add_test(s, "run hello to exit", test_run_hello);
    CU_add_test(s, "paging: a cyclic walk over N+1 pages faults every time",
                test_cyclic_walk_faults_every_time);
    CU_add_test(s, "paging: the live clock gives referenced pages a second chance",
                test_clock_live_second_chance);
    CU_add_test(s, "paging: nru takes the clean page, a swap-cache hit", test_nru_live_prefers_clean);
    CU_add_test(s, "paging: mprotect leaves pages on swap and in the file where they are",
                test_protect_leaves_evicted_pages);
    CU_add_test(s, "edges: writev iovec count", test_edge_iovcnt);
    CU_add_test(s, "edges: path length", test_edge_path_length);
    CU_add_test(s, "edges: brk and mmap lengths", test_edge_brk_mmap);
    CU_add_test(s, "edges: number of segments", test_edge_vma_count);
    CU_add_test(s, "edges: alternate signal stack size", test_edge_altstack);
    CU_add_test(s, "edges: host memory cap on mapped files", test_edge_hostmem_files);
    CU_add_test(s, "edges: argument list size", test_edge_argv);
}
