/* kernel/proc.h — one emulated process: its hart, MMU, physical memory,
 * address space and kernel state; and the run loop that services traps. */
#ifndef VMLAB_KERNEL_PROC_H
#define VMLAB_KERNEL_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "emu/cpu.h"
#include "kernel/elf.h"
#include "kernel/frame.h"
#include "kernel/policy.h"
#include "kernel/query.h"
#include "kernel/signal.h"
#include "kernel/swap.h"
#include "kernel/thread.h"
#include "kernel/vma.h"
#include "mmu/mmu.h"
#include "mmu/pmem.h"

/* Address-space layout: qemu-riscv32 7.2's (PLATFORM.md §4.4, §7.1), so a
 * program that prints addresses prints the same under both. */
#define STACK_TOP        0x40801000u
#define STACK_GUARD_GAP  PAGE_SIZE            /* kept free below the stack */
#define STACK_INITIAL    (128u * 1024)        /* mapped at start; grows on demand */
#define SIGPAGE_ADDR     0x3ffff000u          /* [sigpage]: li a7,139; ecall */
#define MMAP_TOP         SIGPAGE_ADDR         /* mmap searches top-down below */
#define MMAP_MIN_ADDR    0x10000u             /* like vm.mmap_min_addr */
#define USER_TOP         0xc0000000u          /* no mapping at or above */

/* Defaults (README "Memory and swap"): physical memory as large as Sv32
 * user space can use, so that a program whose memory fits in the host's
 * never swaps (a frame costs host memory only once touched); and swap for
 * when a user asks for a small --mem. */
#define DEFAULT_MEM         (4ull << 30)
#define DEFAULT_SWAP        (1ull << 30)
#define DEFAULT_STACK_LIMIT (8u << 20)
#define DEFAULT_AGING_INTERVAL 100000u  /* instructions between aging samples */

/* --trace categories */
#define TRACE_SYSCALL (1u << 0)
#define TRACE_FAULT   (1u << 1)
#define TRACE_PAGE    (1u << 2)
#define TRACE_SIGNAL  (1u << 3)
#define TRACE_SCHED   (1u << 4)

struct proc_options {
    uint64_t    mem_size;         /* --mem */
    uint32_t    stack_limit;      /* --stack-limit */
    unsigned    trace;            /* TRACE_* */
    FILE       *trace_out;        /* stderr by default */
    uint64_t    max_insns;        /* 0 = no limit */
    const char *core_pattern;     /* --core-pattern: NULL = "core.%e.%p" */
    uint64_t    core_limit;       /* --core-limit: bytes; 0 = no core */
    bool        interp;           /* --interp: no block translator */
    uint64_t    swap_size;        /* --swap: bytes; 0 = no swap */
    const char *swap_file;        /* --swap-file: NULL = an unlinked temporary file */
    int         policy;           /* --policy: enum policy_kind (kernel/policy.h) */
    uint64_t    seed;             /* --seed: for --policy random */
    uint64_t    aging_interval;   /* --aging-interval: instructions; 0 = default */
    uint64_t    vmstat;           /* --vmstat N: a line every N instructions; 0 = off */
    bool        real_sleep;       /* --real-sleep: nanosleep sleeps the host too */
    bool        host_signals;     /* signals sent to vmlab go to the guest (kernel/hostsig.h) */
    uint32_t    sig_ignored;      /* start with these ignored (bit n-1: signal n), as
                                   * execve keeps what vmlab was started ignoring */
    uint64_t    host_mem;         /* --host-mem: cap on vmlab's own structures;
                                   * 0 = HOSTMEM_DEFAULT */
    uint64_t    timeout_ms;       /* --timeout: host time allowed; 0 = none */
    uint64_t    quantum;          /* --quantum: instructions per slice; 0 = default */
    uint64_t    sched_seed;       /* --sched-seed: 0 = fixed slices */
};

struct proc_stats {
    /* minor faults: served without reading anything back */
    uint64_t faults_demand_zero;  /* anonymous page given a zeroed frame */
    uint64_t faults_file;         /* page filled from the ELF file, first time */
    uint64_t faults_parked;       /* frame kept while inaccessible, allowed again */
    uint64_t faults_spurious;     /* PTE already fine (stale TLB) */
    /* major faults: the page had to be read back */
    uint64_t swapins;             /* read back from a swap slot */
    uint64_t file_refaults;       /* read back from the file after a clean drop */
    uint64_t faults_stack_growth; /* stack VMA extended downwards */
    uint64_t faults_segv;         /* faults that became SIGSEGV */
    /* reclaim (kernel/reclaim.c) */
    uint64_t evictions;           /* frames taken from a victim page */
    uint64_t swapouts;            /* victims written to swap */
    uint64_t clean_drops;         /* clean victims dropped (file or zero page) */
    uint64_t swapcache_hits;      /* clean victims whose swap copy was still good */
    uint64_t swapout_failures;    /* victims kept: no slot, or the write failed */
    uint64_t syscalls;
    uint64_t brk_calls, mmap_calls;
};

#define PROC_FDS 64

/* --perm SEG=PERMS: kept so segments made later (heap, mmap areas) get it. */
struct perm_rule {
    char     name[VMA_NAME];      /* segment name, or "" for an address */
    uint32_t addr;                /* mmap area containing this address */
    unsigned perms;
};
#define MAX_PERM_RULES 32

/* The event log (for the view): a ring of the last events, off by default
 * so that `vmlab run` pays nothing for it. */
#define PROC_EVENTS 256
struct proc_event {
    int      kind;                /* enum kq_event_kind (kernel/query.h) */
    uint64_t instret;
    uint32_t addr;
    char     text[KQ_EVENT_TEXT];
};

enum proc_state { PROC_RUNNING, PROC_EXITED, PROC_KILLED };

/* A debugger attached (vmlab run --gdb): as with ptrace, a signal about to
 * be delivered stops the process first (signal-delivery-stop) and is held
 * here until the debugger delivers it, another one, or none. */
struct proc_debug {
    bool     attached;            /* signals stop first */
    uint64_t pass;                /* bit n-1: signal n is delivered without a stop */
    int      held;                /* the signal held for the debugger, or 0 */
    struct ksiginfo held_info;
    int      let_through;         /* being delivered by the debugger: no stop */
    unsigned last_stop;           /* KQ_STOP_* bits of the last debugger stop */
    uint32_t watch_addr;          /* KQ_STOP_WATCH: the first watched byte touched */
    unsigned watch_kinds;         /* ... and MMU_WATCH_* of the watch that fired */
    /* While wake_on, a wait in a host call also watches wake_fd (gdb's
     * socket; -1: none) and lasts at most wake_ms (-1: no limit), so that
     * gdb's Ctrl-C is seen and the view's window is drawn while the
     * program waits for input: the wait ends (KQ_STOP_WAKE) and the call
     * is made again on the next run (kq_wake).  wake_now: bytes from gdb
     * are read already. */
    bool     wake_on, wake_now;
    int      wake_fd, wake_ms;
    /* A --real-sleep sleep that such a wake cut short is made again from
     * the ecall before sleep_pc, and sleeps to sleep_end (host monotonic
     * ns), not for its whole time again (Linux's restart_block). */
    bool     sleep_cut;
    uint32_t sleep_pc;
    int64_t  sleep_end;
};

/* The last fault that became a signal: for traces, core files, inspect. */
struct fault_record {
    bool     valid;
    int      cause;               /* CAUSE_* */
    int      access;              /* enum mmu_access */
    uint32_t addr;                /* faulting address */
    uint32_t pc;
    int      si_code;
    bool     stack_overflow;      /* below the stack, past its limit or guard gap,
                                   * or in a thread stack's guard page */
    int      overflow_tid;        /* ... the thread whose stack it was (threads only) */
    char     vma_name[VMA_NAME];  /* segment holding addr, "" if none */
    unsigned vma_perms;
    struct walk_result walk;      /* the Sv32 walk of addr (no A/D update) */
};

struct proc {
    /* hardware */
    struct pmem pm;
    struct mmu  mmu;
    struct cpu  cpu;
    struct hostmem hm;                  /* what vmlab's own structures may take */
    /* kernel memory management */
    struct frame_table frames;
    uint32_t           root_frame;      /* Sv32 root page table */
    struct policy     *policy;          /* replacement policy over the user frames */
    struct swap_area   swap;
    uint64_t           next_tick;       /* instret of the next aging sample / vmstat line */
    uint64_t           next_vmstat;
    struct proc_stats  vmstat_last;     /* counters at the last --vmstat line */
    bool               vmstat_header;   /* its header has been printed */
    bool               swap_warned;     /* a failed swap write has been reported */
    uint64_t           fault_instret;   /* instret at the last page fault served */
    unsigned           fault_repeats;   /* faults served since without an instruction retired */
    struct vma_list    vmas;
    uint32_t           brk_start, brk;  /* heap: [brk_start, PAGE_UP(brk)) */
    uint32_t           stack_limit;
    /* the program */
    struct elf_image   img;
    char              *path;            /* as given (argv[0], AT_EXECFN) */
    char              *exe;             /* absolute path (NULL if unknown) */
    char               comm[16];        /* basename, ≤ 15 chars */
    char               psargs[80];      /* argv joined by spaces */
    uint32_t           arg_start, arg_end; /* argv strings on the stack (/proc/PID/cmdline) */
    uint32_t           auxv[64];        /* as placed on the stack, pairs, AT_NULL last */
    int                auxc;            /* words used in auxv */
    int                pid;
    int                fds[PROC_FDS];   /* host fd per guest fd; -1 closed */
    uint64_t           cloexec;         /* FD_CLOEXEC, bit per guest fd (no exec yet) */
    uint64_t           pipes;           /* guest fds on a pipe of the guest's own (pipe2) */
    int                cwd_fd;          /* working directory (host O_PATH fd), -1: vmlab's */
    int64_t            clock_offset_ns; /* guest clocks = host clocks + the guest's sleeps */
    uint64_t           rlim[16][2];     /* prlimit64: {soft, hard}; see kernel/sysproc.c */
    struct thread_table th;             /* threads; the running one's context is in cpu */
    /* signals */
    struct sig_state   sig;
    struct fault_record fault;
    /* life */
    enum proc_state    state;
    int                exit_code;       /* PROC_EXITED: status & 0xff */
    int                term_sig;        /* PROC_KILLED: the signal */
    bool               core_dumped;
    char              *core_path;       /* the file written, if any */
    const char        *kill_reason;     /* PROC_KILLED by the kernel: why */
    char               kill_msg[256];   /* room for a kill_reason made at run time */
    bool               kill_reason_is_line; /* print it as it is (the OOM killer's line) */
    uint64_t           deadline_ms;     /* --timeout: CLOCK_MONOTONIC ms, 0 = none */
    struct perm_rule   rules[MAX_PERM_RULES];
    int                nrules;
    struct proc_event *events;          /* ring, NULL while logging is off */
    unsigned           ev_head, ev_count;
    unsigned           stop_mask, stop_hit; /* KQ_STOP_* for kq_run */
    struct proc_debug  dbg;
    /* options and accounting */
    struct proc_options opt;
    struct proc_stats   st;
};

/* Create a process running PATH with argv/envp (NULL-terminated).  On
 * failure returns NULL and writes one line into err ("not an ELF file ...").
 */
struct proc *proc_create(const char *path, char *const argv[], char *const envp[],
                         const struct proc_options *opt, char *err, size_t errlen);
void proc_destroy(struct proc *p);

/* Run until the process exits or is killed, or max_insns is reached
 * (then it is killed with SIGXCPU, as RLIMIT_CPU would).  Returns the
 * shell-style status: exit code, or 128 + signal. */
int proc_run(struct proc *p);

/* Run at most n more instructions (for steppers such as the view).
 * Also returns early at a debugger's stop (a breakpoint, a watchpoint, a
 * held signal: KQ_STOP_DEBUG in stop_hit) and at any event in stop_mask.
 * Returns true while the process is still running.  The limits are
 * checked here: --max-insns exactly, --timeout (host time from the first
 * step) every few milliseconds; either kills with SIGXCPU. */
bool proc_step(struct proc *p, uint64_t n);

/* Is the --timeout deadline past?  (For system calls that wait: a read
 * interrupted by the host's timer gives up when it is.) */
bool proc_time_up(const struct proc *p);

/* Kill the process by signal sig (the default action). */
void proc_kill(struct proc *p, int sig, const char *reason);

/* Apply "SEG=PERMS" (--perm): every segment of that name gets PERMS
 * (letters r w x, '-' for none) through vma_protect; "heap" and mmap areas
 * named by an address inside them also get it when they are created later.
 * Returns 0, or -EINVAL with one line in err (listing the valid names). */
int proc_perm_rule(struct proc *p, const char *spec, char *err, size_t errlen);

/* Permissions for a new segment named `name` covering [start, end): a
 * matching --perm rule's, else dflt. */
unsigned proc_new_segment_perms(const struct proc *p, const char *name,
                                uint32_t start, uint32_t end, unsigned dflt);

/* Shell-style status: exit code, or 128 + signal. */
int proc_status(const struct proc *p);

/* Print the address space like /proc/PID/maps, with segment names. */
void proc_print_maps(struct proc *p, FILE *out);
void proc_print_stats(struct proc *p, FILE *out);

/* Log an event for observers (no-op unless kq_events_enable was called). */
void proc_event(struct proc *p, int kind, uint32_t addr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The file bytes behind a VMA_FILE segment, and the file's name. */
static inline const uint8_t *vma_bytes(const struct proc *p, const struct vma *v)
{
    return v->file ? v->file->data : p->img.data;
}
static inline const char *vma_path(const struct proc *p, const struct vma *v)
{
    return v->file ? v->file->path : p->exe ? p->exe : p->path;
}

/* The trace stream, or NULL when category `what` is off. */
static inline FILE *proc_trace(const struct proc *p, unsigned what)
{
    return (p->opt.trace & what) ? p->opt.trace_out : NULL;
}

#endif
