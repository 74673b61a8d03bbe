/* kernel/query.h — the read-mostly window the SDL view (and other
 * observers) get on a process: segments, page tables, frames, CPU state,
 * counters, the event log; plus the two actions a viewer may take: run for
 * a while, and change a segment's permissions (through vma_protect, the
 * same path mprotect uses).  Nothing here changes what the guest sees
 * except kq_set_perms. */
#ifndef VMLAB_KERNEL_QUERY_H
#define VMLAB_KERNEL_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct proc;

struct kq_segment {
    uint32_t start, end;
    unsigned perms;               /* 1 r, 2 w, 4 x */
    int      kind;                /* enum vma_kind */
    char     name[16];
    uint32_t resident;            /* pages with a frame */
    uint32_t swapped;             /* pages on swap */
    uint32_t file_only;           /* pages dropped clean: in the file only */
};

/* Segments in address order; returns how many exist (fills at most max). */
int kq_segments(struct proc *p, struct kq_segment *out, int max);

/* Page tables: satp, the root entry i (0..1023), and leaf entry (i, j) —
 * false when the root entry does not point to a table. */
uint32_t kq_satp(struct proc *p);
uint32_t kq_root_pte(struct proc *p, unsigned i);
bool     kq_leaf_pte(struct proc *p, unsigned i, unsigned j, uint32_t *pte);

/* Physical frames: how many, and what frame f holds (KQ_FRAME_*), with the
 * virtual page number for a process page. */
enum { KQ_FRAME_FREE, KQ_FRAME_PAGETABLE, KQ_FRAME_PAGE };
uint32_t kq_nframes(struct proc *p);
int      kq_frame(struct proc *p, uint32_t f, uint32_t *vpn);

/* Where the page holding va is (KQ_PAGE_*): in a frame, on swap (its
 * slot in *slot), dropped to the file it came from, or never touched. */
enum { KQ_PAGE_UNTOUCHED, KQ_PAGE_RESIDENT, KQ_PAGE_SWAPPED, KQ_PAGE_FILE };
int kq_page_state(struct proc *p, uint32_t va, uint32_t *slot);

/* A frame as the replacement policy sees it: what it holds, its page's
 * A and D bits, aging's counter, whether the policy may evict it, and the
 * swap slot that still holds a copy (swap cache, 0 if none). */
struct kq_frame_info {
    int      use;                 /* KQ_FRAME_* */
    uint32_t vpn;
    bool     accessed, dirty;
    bool     evictable;
    uint8_t  age;
    uint32_t swap_slot;
};
bool kq_frame_info(struct proc *p, uint32_t f, struct kq_frame_info *out);

/* The replacement policy: its name, and the clock hand (a frame). */
const char *kq_policy(struct proc *p, uint32_t *hand);

/* The Sv32 walk of va for an access kind (0 fetch, 1 load, 2 store),
 * without setting A/D.  Returns 0 or the fault cause; steps in the out
 * parameters (levels, pte addresses and values, physical address). */
int kq_walk(struct proc *p, uint32_t va, int access, int *levels,
            uint64_t pte_addr[2], uint32_t pte[2], uint64_t *pa);

struct kq_cpu {
    uint32_t pc;
    uint32_t x[32];
    uint64_t instret;
};
void kq_cpu(struct proc *p, struct kq_cpu *out);

/* Disassemble the instruction at va (read without faulting anything in);
 * false if that page is not mapped. */
bool kq_disasm(struct proc *p, uint32_t va, char *buf, size_t len);

/* Every counter of a run, gathered in one place: `--stats` prints this
 * struct (kq_print_stats), the view draws it, so a counter added here
 * shows up in both. */
struct kq_counters {
    uint64_t instret, syscalls, signals;
    uint64_t tlb_misses, walks, tlb_flushes;
    uint64_t faults_zero, faults_file, faults_stack, faults_segv, faults_spurious, faults_parked;
    uint64_t faults_minor, faults_major;     /* major: read back from swap or the file */
    uint64_t swapins, file_refaults;
    uint32_t frames_used, frames_total, frames_peak;
    /* reclaim */
    uint64_t evictions, swapouts, clean_drops, swapcache_hits, swapout_failures;
    char     policy[8];                      /* "clock" */
    uint64_t hand_moves, refs_cleared, aging_ticks;
    uint32_t rss, rss_peak;                  /* resident user pages */
    uint32_t swap_used, swap_peak, swap_slots; /* slots; swap_slots 0: no swap */
    uint64_t swap_reads, swap_writes;
    uint64_t decoded, dcache_drops;          /* interpreter's decode cache */
    bool     translated;                     /* the block translator ran */
    uint64_t jit_blocks, jit_insns, jit_bytes, jit_chains, jit_resets;
};
void kq_counters(struct proc *p, struct kq_counters *out);

/* The --stats report of c, as text. */
void kq_print_stats(const struct kq_counters *c, FILE *out);

/* The event log: the last events (faults, signals, syscalls, permission
 * changes), oldest first.  Recording is off until kq_events_enable. */
enum kq_event_kind { KQ_EV_SYSCALL, KQ_EV_FAULT, KQ_EV_PAGE, KQ_EV_SIGNAL, KQ_EV_PERM, KQ_EV_EXIT };
/* Room for the longest line the kernel logs: a replacement policy's
 * choice (six steps, a count of the rest, the victim and where it went)
 * runs to ~300 characters. */
#define KQ_EVENT_TEXT 400
struct kq_event {
    int      kind;                /* enum kq_event_kind */
    uint64_t instret;
    uint32_t addr;                /* fault/page address, or 0 */
    char     text[KQ_EVENT_TEXT];
};
void kq_events_enable(struct proc *p);
int  kq_events(struct proc *p, struct kq_event *out, int max);

/* Process state: running, exited (status) or killed (signal, core file). */
struct kq_state {
    bool        running;
    int         status;           /* shell-style: code or 128+sig */
    int         term_sig;         /* 0 unless killed */
    const char *core_path;        /* NULL if none */
    bool        fault_valid;      /* the last fault that became a signal */
    uint32_t    fault_addr, fault_pc;
    int         fault_access;
};
void kq_state(struct proc *p, struct kq_state *out);

/* Run: up to n instructions, stopping early at the end of the process and
 * at the first event in stop_mask (KQ_STOP_*).  Returns the events that
 * stopped it (0 if it ran n instructions). */
#define KQ_STOP_FAULT   1u        /* a fault or signal */
#define KQ_STOP_SYSCALL 2u
unsigned kq_run(struct proc *p, uint64_t n, unsigned stop_mask);

/* Change the permissions of the segment containing va to perms, through
 * vma_protect (PTEs, TLB and decoded instructions updated) and log it.
 * Returns 0 or -errno. */
int kq_set_perms(struct proc *p, uint32_t va, unsigned perms);

#endif
