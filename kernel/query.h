/* kernel/query.h — the read-mostly window the SDL view (and other
 * observers) get on a process: segments, page tables, frames, CPU state,
 * counters, the event log; plus the two actions a viewer may take: run for
 * a while, and change a segment's permissions (through vma_protect, the
 * same path mprotect uses).
 *
 * The second half is the control API a debugger needs (the gdb server in
 * gdb/): registers, memory with a debugger's rights, breakpoints and
 * watchpoints, resuming and single-stepping, the reason of a stop, signals
 * held for the debugger, and the reports behind gdb's `monitor` commands.
 * Nothing here changes what the guest sees except kq_set_perms,
 * kq_perm_rule and the debugger's calls that say so. */
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
    uint64_t threads_created;                /* by clone (0: one thread all along) */
    uint64_t context_switches;               /* the hart moved to another thread */
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
    uint64_t hostmem_peak, hostmem_limit;    /* vmlab's own memory (--host-mem) */
    uint64_t hostmem_refused, dcache_flushes; /* charges refused; decode caches freed */
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
/* Debugger stops: these end a run whatever the mask says. */
#define KQ_STOP_BREAK   4u        /* pc is at a breakpoint (not yet run) */
#define KQ_STOP_WATCH   8u        /* an access to a watched range just happened */
#define KQ_STOP_SIGNAL  16u       /* a signal is held for the debugger */
#define KQ_STOP_WAKE    64u       /* a wait ended for the debugger or the window (kq_wake) */
#define KQ_STOP_DEBUG   (KQ_STOP_BREAK | KQ_STOP_WATCH | KQ_STOP_SIGNAL | KQ_STOP_WAKE)
#define KQ_STOP_STEP    32u       /* kq_resume: a single step ended (no other stop) */
unsigned kq_run(struct proc *p, uint64_t n, unsigned stop_mask);

/* Change the permissions of the segment containing va to perms, through
 * vma_protect (PTEs, TLB and decoded instructions updated) and log it.
 * Returns 0 or -errno. */
int kq_set_perms(struct proc *p, uint32_t va, unsigned perms);

/* Apply a --perm rule ("text=rwx", "stack=rw-", "0x3fffe000=r"): the
 * same path as the option (proc_perm_rule: vma_protect on every segment
 * of that name, kept for segments made later), logged like kq_set_perms.
 * Returns 0, or -EINVAL with one line in err. */
int kq_perm_rule(struct proc *p, const char *spec, char *err, size_t errlen);

/* --- debugger control ------------------------------------------------------
 *
 * The process as a debugger sees it: its threads (the main one's id is
 * the process id, kq_pid); kq_reg and kq_set_reg concern the thread on
 * the hart (kq_current_tid), kq_thread_reg and kq_thread_set_reg any. */

int         kq_pid(struct proc *p);
int         kq_threads(struct proc *p, int *tids, int max);  /* how many live */
int         kq_current_tid(struct proc *p);   /* the thread on the hart */

/* One thread, for a thread list (the view, gdb's qThreadExtraInfo). */
enum kq_thread_state { KQ_THREAD_RUNNING, KQ_THREAD_WAITING, KQ_THREAD_EXITED };
struct kq_thread {
    int      tid;
    int      state;                 /* enum kq_thread_state */
    bool     current;               /* on the hart */
    uint32_t pc, sp;
    uint32_t futex;                 /* WAITING on a futex: its address (0: a
                                     * sleep or a signal wait) */
    int      io_fd;                 /* WAITING in a read (or write): its fd, else -1 */
    bool     io_write;              /* ... a write */
    uint32_t stack_start, stack_end; /* the mapping its clone sp was in; the
                                     * main thread's: the stack segment */
};
/* Fill at most max entries (TID order); returns how many live threads. */
int kq_thread_list(struct proc *p, struct kq_thread *out, int max);
const char *kq_comm(struct proc *p);        /* the program's short name */
const char *kq_exe(struct proc *p);         /* absolute path (or as given) */
/* The program file's bytes as loaded (for a debugger that has no copy). */
const uint8_t *kq_exe_image(struct proc *p, size_t *size);
/* argv joined by NULs, as /proc/PID/cmdline; returns its length. */
size_t      kq_cmdline(struct proc *p, char *out, size_t max);
/* The auxiliary vector as placed on the stack (pairs of 32-bit words,
 * AT_NULL last); returns its size in bytes (fills at most max). */
size_t      kq_auxv(struct proc *p, uint8_t *out, size_t max);

/* Attach or detach a debugger: while attached, a signal about to be
 * delivered stops the process first (KQ_STOP_SIGNAL) and waits in
 * kq_deliver, as ptrace's signal-delivery-stop; signals in pass (bit n-1 =
 * signal n) are delivered without stopping.  Detaching removes every
 * breakpoint and watchpoint, and delivers a held signal. */
void kq_debug_attach(struct proc *p, bool on);
void kq_debug_pass(struct proc *p, uint64_t pass);

/* Registers as gdb numbers them for RISC-V: 0..31 x0..x31, 32 pc.  False
 * for any other number; writes to x0 are ignored. */
#define KQ_REG_PC 32
#define KQ_NREGS  33
bool kq_reg(struct proc *p, int n, uint32_t *v);
bool kq_set_reg(struct proc *p, int n, uint32_t v);
/* Put thread tid on the hart now (a debugger steps it next): a context
 * switch as the scheduler makes, with a fresh slice.  False if tid does
 * not exist or waits (the hart keeps its thread). */
bool kq_thread_select(struct proc *p, int tid);
/* Run thread tid alone while it can (0: every thread): thread_lock. */
void kq_thread_lock(struct proc *p, int tid);

/* For the runs that follow (until called again): a wait for input (a read
 * of the terminal or a pipe, or every thread waiting on fds) also waits
 * for fd to be readable (a debugger's socket; -1: none), and for at most
 * ms milliseconds (-1: no limit), and then ends the run with KQ_STOP_WAKE,
 * the waiting call to be made again on the next run; now: the debugger
 * has bytes read already (the run ends at the first wait).  fd -1 and ms
 * -1: waits are the host's, as without a debugger or a window. */
void kq_wake(struct proc *p, int fd, bool now, int ms);
/* The same for thread tid (false if it does not exist). */
bool kq_thread_reg(struct proc *p, int tid, int n, uint32_t *v);
bool kq_thread_set_reg(struct proc *p, int tid, int n, uint32_t v);

/* Memory with a debugger's rights (ptrace's rule): any page of a segment
 * may be read whatever its permissions, and written (breakpoints, data)
 * without changing them; an address in no segment is an error.  A page
 * never touched is not faulted in by a read: the read returns what the
 * first touch would put there (file bytes or zeros), so looking changes
 * nothing.  A write to such a page gives it its frame first.  A write to
 * code drops its decoded and translated instructions.  Returns the bytes
 * done (less than len at the first page that is in no segment). */
size_t kq_peek(struct proc *p, uint32_t va, void *buf, size_t len);
size_t kq_poke(struct proc *p, uint32_t va, const void *buf, size_t len);

/* Breakpoints, kept by the run loop (no memory is patched): returns 0,
 * -ENOSPC (too many), or -ENOENT (remove: none there).  Either drops the
 * decoded and translated code of the frame holding va. */
int kq_break_insert(struct proc *p, uint32_t va);
int kq_break_remove(struct proc *p, uint32_t va);

/* Watchpoints through the MMU (mmu/mmu.h): the watched pages lose their
 * TLB tags, so each access to them is checked; one that touches
 * [va, va+len) stops the run after the access (KQ_STOP_WATCH).  Returns 0,
 * -EINVAL or -ENOSPC; remove takes the same arguments (-ENOENT). */
enum kq_watch_kind { KQ_WATCH_WRITE = 1, KQ_WATCH_READ = 2, KQ_WATCH_ACCESS = 3 };
int kq_watch_insert(struct proc *p, uint32_t va, uint32_t len, enum kq_watch_kind kind);
int kq_watch_remove(struct proc *p, uint32_t va, uint32_t len, enum kq_watch_kind kind);

/* Resume for at most n instructions, as kq_run.  from_stop: this is the
 * first stretch after the debugger stopped the process, so a breakpoint
 * at the current pc is passed (once; later stretches of the same resume
 * pass false).  Single-step: n = 1 with KQ_STOP_SYSCALL, so that a system
 * call counts as the one step.  A signal still held (kq_deliver not
 * called) ends it at once.  Returns the stop bits (kept for kq_stop). */
unsigned kq_resume(struct proc *p, uint64_t n, unsigned stop_mask, bool from_stop);

/* Why the process last stopped for the debugger. */
struct kq_stop {
    unsigned why;                 /* KQ_STOP_* of the last kq_resume (0: none) */
    int      signo;               /* KQ_STOP_SIGNAL: the held signal, */
    int      code;                /* its si_code */
    uint32_t addr;                /* and si_addr (faults) */
    uint32_t watch_addr;          /* KQ_STOP_WATCH: first watched byte touched */
    enum kq_watch_kind watch_kind; /* ... and the kind of the watch that fired */
};
void kq_stop(struct proc *p, struct kq_stop *out);

/* The siginfo_t of the last stop, in Linux RV32 layout (128 bytes): the
 * held signal's, or SIGTRAP's for a breakpoint (TRAP_BRKPT), a step
 * (TRAP_TRACE) or a watchpoint (TRAP_HWBKPT, si_addr the address).
 * Returns its size, or 0 when the process is not stopped for one. */
#define KQ_SIGINFO_SIZE 128
size_t kq_siginfo(struct proc *p, uint8_t out[KQ_SIGINFO_SIZE]);

/* Settle the held signal before resuming: sig 0 discards it (the faulting
 * instruction runs again), otherwise sig is delivered now (the held
 * signal's own siginfo when it is the same signal): a handler frame is
 * built, or the default action runs (which may end the process and write
 * its core). */
void kq_deliver(struct proc *p, int sig);

/* End the process by SIGKILL (no core), as `kill` from a debugger. */
void kq_kill(struct proc *p);

/* --- reports (the --maps table, /proc/PID/maps, monitor commands) ------- */

/* The --maps table. */
void kq_print_maps(struct proc *p, FILE *out);
/* The address space in the format of Linux's /proc/PID/maps (what gdb's
 * `info proc mappings` reads): file segments name the program, the
 * others their segment in brackets. */
void kq_print_proc_maps(struct proc *p, FILE *out);
/* The Sv32 walk of va, step by step, in the inspector's words, with the
 * segment holding va and what the kernel would do on a fault there. */
void kq_print_walk(struct proc *p, uint32_t va, FILE *out);
/* Every physical frame in use: page table or page (address, segment,
 * PTE bits). */
void kq_print_frames(struct proc *p, FILE *out);
/* The valid entries of the data and fetch TLBs, and the watched ranges. */
void kq_print_tlb(struct proc *p, FILE *out);

/* Write a core file of the process as it is now (for `monitor explain`:
 * the inspector reads it back), dying of sig for the notes.  Nothing of
 * the process changes.  Returns 0 or -errno. */
int kq_write_core(struct proc *p, int sig, int fd);

#endif
