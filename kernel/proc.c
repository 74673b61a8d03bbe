/* kernel/proc.c — process creation (the exec of a static ELF), the trap
 * loop, and the process-wide reports (--maps, --stats). */
#include "kernel/proc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "kernel/hostsig.h"
#include "kernel/pte.h"
#include "kernel/query.h"
#include "kernel/reclaim.h"
#include "kernel/syscall.h"
#include "kernel/vm.h"

/* auxv types (PLATFORM.md §4.3) */
enum {
    AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6,
    AT_BASE = 7, AT_FLAGS = 8, AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12,
    AT_GID = 13, AT_EGID = 14, AT_HWCAP = 16, AT_CLKTCK = 17, AT_SECURE = 23,
    AT_RANDOM = 25, AT_EXECFN = 31,
};
#define HWCAP_RV32IMAC 0x1105u     /* I M A C: bits 8, 12, 0, 2 */

static void errf(char *err, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

static int add_vma(struct proc *p, uint32_t start, uint32_t end, unsigned perms,
                   enum vma_kind kind, const char *name, uint32_t file_off, uint32_t filesz)
{
    struct vma v = { .start = start, .end = end, .perms = perms, .kind = kind,
                     .file_off = file_off, .filesz = filesz };
    snprintf(v.name, sizeof v.name, "%s", name);
    return vma_insert(&p->vmas, &v);
}

/* Lay out argc, argv, envp, auxv and their strings below STACK_TOP exactly
 * as qemu-riscv32 7.2 does (PLATFORM.md §4.2), so sp and every string
 * address match.  Returns 0 or -EFAULT/-E2BIG. */
static int build_stack(struct proc *p, char *const argv[], char *const envp[])
{
    int argc = 0, envc = 0;
    size_t strbytes = 0;
    while (argv[argc])
        strbytes += strlen(argv[argc++]) + 1;
    while (envp[envc])
        strbytes += strlen(envp[envc++]) + 1;
    size_t execfn_len = strlen(p->path) + 1;
    if (strbytes + execfn_len > 128 * 1024 || argc + envc > 16384)
        return -E2BIG;

    uint32_t top = STACK_TOP - 8;                 /* qemu leaves 8 zero bytes */
    uint32_t execfn = top - (uint32_t)execfn_len;
    uint32_t strings = execfn - (uint32_t)strbytes;
    uint32_t random = (strings - 16) & ~15u;
    int ptrs = 1 + argc + 1 + envc + 1;
    int nauxv = 17;
    uint32_t table = (uint32_t)(ptrs * 4 + nauxv * 8);
    uint32_t sp = (random - table) & ~15u;

    uint32_t *words = calloc((size_t)ptrs + (size_t)nauxv * 2, 4);
    char *strs = malloc(strbytes + 1);
    if (!words || !strs) {
        free(words);
        free(strs);
        return -ENOMEM;
    }
    int w = 0;
    size_t off = 0;
    p->arg_start = strings;
    words[w++] = (uint32_t)argc;
    for (int i = 0; i < argc; i++) {
        words[w++] = strings + (uint32_t)off;
        size_t n = strlen(argv[i]) + 1;
        memcpy(strs + off, argv[i], n);
        off += n;
    }
    words[w++] = 0;
    p->arg_end = strings + (uint32_t)off;
    for (int i = 0; i < envc; i++) {
        words[w++] = strings + (uint32_t)off;
        size_t n = strlen(envp[i]) + 1;
        memcpy(strs + off, envp[i], n);
        off += n;
    }
    words[w++] = 0;
    /* qemu's order */
    const uint32_t aux[][2] = {
        { AT_PHDR, p->img.phdr_vaddr }, { AT_PHENT, p->img.phentsize },
        { AT_PHNUM, p->img.phnum }, { AT_PAGESZ, PAGE_SIZE }, { AT_BASE, 0 },
        { AT_FLAGS, 0 }, { AT_ENTRY, p->img.entry }, { AT_UID, (uint32_t)getuid() },
        { AT_EUID, (uint32_t)geteuid() }, { AT_GID, (uint32_t)getgid() },
        { AT_EGID, (uint32_t)getegid() }, { AT_HWCAP, HWCAP_RV32IMAC },
        { AT_CLKTCK, 100 }, { AT_RANDOM, random }, { AT_SECURE, 0 },
        { AT_EXECFN, execfn }, { AT_NULL, 0 },
    };
    p->auxc = 0;
    for (int i = 0; i < nauxv; i++) {
        words[w++] = aux[i][0];
        words[w++] = aux[i][1];
        p->auxv[p->auxc++] = aux[i][0];
        p->auxv[p->auxc++] = aux[i][1];
    }

    uint8_t rnd[16] = { 0 };                     /* AT_RANDOM: fresh bytes, as Linux */
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        for (int i = 0; i < 16; i++)
            rnd[i] = (uint8_t)(rand() ^ (getpid() >> (i & 7)));
    int rc = vm_copy_out(p, sp, words, (size_t)w * 4, NULL);
    if (!rc)
        rc = vm_copy_out(p, random, rnd, sizeof rnd, NULL);
    if (!rc)
        rc = vm_copy_out(p, strings, strs, strbytes, NULL);
    if (!rc)
        rc = vm_copy_out(p, execfn, p->path, execfn_len, NULL);
    free(words);
    free(strs);
    p->cpu.x[2] = sp;
    return rc;
}

static void set_names(struct proc *p, char *const argv[])
{
    const char *base = strrchr(p->path, '/');
    base = base ? base + 1 : p->path;
    snprintf(p->comm, sizeof p->comm, "%s", base);
    size_t off = 0;
    for (int i = 0; argv[i] && off + 1 < sizeof p->psargs; i++) {
        int n = snprintf(p->psargs + off, sizeof p->psargs - off, "%s%s", i ? " " : "", argv[i]);
        if (n < 0)
            break;
        off += (size_t)n;
    }
    if (off >= sizeof p->psargs)
        p->psargs[sizeof p->psargs - 1] = 0;
}

struct proc *proc_create(const char *path, char *const argv[], char *const envp[],
                         const struct proc_options *opt, char *err, size_t errlen)
{
    /* Fresh anonymous pages rather than calloc: the MMU's 1 MiB of TLB in
     * here must start zeroed (mmu_init) and mostly stays untouched, which
     * the kernel's lazy zero pages give whatever the allocator (glibc's
     * calloc clears a recycled block in full; ASan's writes the shadow of
     * all of it when it is allocated and again when it is freed). */
    struct proc *p = mmap(NULL, sizeof *p, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                          -1, 0);
    if (p == MAP_FAILED) {
        errf(err, errlen, "out of host memory");
        return NULL;
    }
    p->opt = *opt;
    if (!p->opt.trace_out)
        p->opt.trace_out = stderr;
    p->stack_limit = opt->stack_limit ? opt->stack_limit : DEFAULT_STACK_LIMIT;
    p->pid = getpid();
    for (int i = 0; i < PROC_FDS; i++)
        p->fds[i] = i < 3 ? i : -1;
    p->cwd_fd = -1;
    for (int i = 0; i < 16; i++)
        p->rlim[i][0] = p->rlim[i][1] = UINT64_MAX;     /* RLIM_INFINITY */
    p->rlim[7][0] = p->rlim[7][1] = PROC_FDS;           /* RLIMIT_NOFILE */
    p->rlim[3][0] = p->stack_limit;                     /* RLIMIT_STACK: --stack-limit */
    sig_init(&p->sig);
    for (int sig = 1; sig <= 32; sig++)             /* SIGKILL, SIGSTOP cannot be */
        if ((opt->sig_ignored >> (sig - 1) & 1) && sig != SIGKILL && sig != SIGSTOP)
            p->sig.act[sig].handler = SIG_IGN;
    if (thread_init(p, opt->quantum, opt->sched_seed))
        goto nomem;
    p->path = strdup(path);
    p->exe = realpath(path, NULL);       /* for NT_FILE and --maps, as Linux shows */
    if (!p->path)
        goto nomem;
    set_names(p, argv);

    if (elf_load(path, &p->img, err, errlen))
        goto fail;
    int rc = pmem_init(&p->pm, opt->mem_size ? opt->mem_size : DEFAULT_MEM);
    if (rc) {
        errf(err, errlen, rc == -EINVAL ? "--mem must be between 64K and 4G"
                                        : "cannot allocate emulated physical memory");
        goto fail;
    }
    p->swap.fd = -1;
    hostmem_init(&p->hm, opt->host_mem ? opt->host_mem : HOSTMEM_DEFAULT);
    if (mmu_init(&p->mmu, &p->pm) || frame_init(&p->frames, &p->pm) ||
        cpu_init(&p->cpu, &p->mmu, !opt->interp, &p->hm))
        goto nomem;
    if (p->opt.policy < 0 || p->opt.policy >= POLICY_COUNT)
        p->opt.policy = POLICY_CLOCK;
    p->policy = policy_new((enum policy_kind)p->opt.policy, p->pm.nframes, p->opt.seed);
    if (!p->policy)
        goto nomem;
    if (swap_open(&p->swap, p->opt.swap_size, p->opt.swap_file, &p->hm, err, errlen) != 0)
        goto fail;
    p->next_tick = p->opt.aging_interval ? p->opt.aging_interval : DEFAULT_AGING_INTERVAL;
    p->next_vmstat = p->opt.vmstat;
    p->root_frame = frame_alloc(&p->frames, FRAME_PAGETABLE, 0);
    frame_zero(&p->frames, p->root_frame);
    mmu_set_satp(&p->mmu, SATP_MODE_SV32 | p->root_frame);

    for (int i = 0; i < p->img.nseg; i++) {
        const struct elf_seg *s = &p->img.seg[i];
        if (add_vma(p, s->start, s->end, s->perms, s->filesz ? VMA_FILE : VMA_ANON,
                    s->name, s->file_off, s->filesz))
            goto nomem;
    }
    p->brk_start = p->brk = PAGE_UP(p->img.end_bss);
    uint32_t initial = p->stack_limit < STACK_INITIAL ? PAGE_UP(p->stack_limit) : STACK_INITIAL;
    if (add_vma(p, SIGPAGE_ADDR, SIGPAGE_ADDR + PAGE_SIZE, 5, VMA_SIGPAGE, "[sigpage]", 0, 0) ||
        add_vma(p, STACK_TOP - initial, STACK_TOP, 3, VMA_STACK, "stack", 0, 0))
        goto nomem;

    rc = build_stack(p, argv, envp);
    if (rc) {
        errf(err, errlen, rc == -E2BIG ? "argument list too long"
                        : "not enough emulated memory (--mem) for the initial stack");
        goto fail;
    }
    p->cpu.pc = p->img.entry;
    p->state = PROC_RUNNING;
    return p;
nomem:
    errf(err, errlen, "out of memory setting up the process");
fail:
    proc_destroy(p);
    return NULL;
}

void proc_event(struct proc *p, int kind, uint32_t addr, const char *fmt, ...)
{
    if (!p->events)
        return;
    struct proc_event *e = &p->events[(p->ev_head + p->ev_count) % PROC_EVENTS];
    if (p->ev_count < PROC_EVENTS)
        p->ev_count++;
    else
        p->ev_head = (p->ev_head + 1) % PROC_EVENTS;
    e->kind = kind;
    e->instret = p->cpu.instret;
    e->addr = addr;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->text, sizeof e->text, fmt, ap);
    va_end(ap);
}

void proc_destroy(struct proc *p)
{
    if (!p)
        return;
    free(p->events);
    for (int i = 0; i < PROC_FDS; i++)
        if (p->fds[i] > 2)                  /* vmlab's own stdio stays open */
            close(p->fds[i]);
    if (p->cwd_fd >= 0)
        close(p->cwd_fd);
    cpu_destroy(&p->cpu);
    mmu_destroy(&p->mmu);
    policy_free(p->policy);
    swap_close(&p->swap);
    frame_destroy(&p->frames);
    pmem_free(&p->pm);
    vma_list_free(&p->vmas);
    elf_free(&p->img);
    free(p->path);
    free(p->exe);
    free(p->core_path);
    thread_free(p);
    munmap(p, sizeof *p);
}

int proc_status(const struct proc *p)
{
    if (p->state == PROC_KILLED)
        return 128 + p->term_sig;
    return p->exit_code;
}

void proc_kill(struct proc *p, int sig, const char *reason)
{
    if (p->state != PROC_RUNNING)
        return;
    p->state = PROC_KILLED;
    p->term_sig = sig;
    if (reason)
        p->kill_reason = reason;
    p->stop_hit |= KQ_STOP_FAULT;
    proc_event(p, KQ_EV_EXIT, 0, "killed by %s (%s)", sig_name(sig), sig_description(sig));
}

/* Record a fault that becomes a signal, for traces, core files and inspect. */
static void record_fault(struct proc *p, int cause, int access, uint32_t addr, int code)
{
    struct fault_record *f = &p->fault;
    memset(f, 0, sizeof *f);
    f->valid = true;
    f->cause = cause;
    f->access = access;
    f->addr = addr;
    f->pc = p->cpu.pc;
    f->si_code = code;
    struct vma *v = vma_find(&p->vmas, addr);
    if (v) {
        memcpy(f->vma_name, v->name, sizeof f->vma_name);
        f->vma_perms = v->perms;
        /* a thread's guard page: the inaccessible mapping just below the
         * mapping its clone stack pointer was in */
        const struct thread *t = v->perms == 0 ? thread_stack_owner(p, v->end) : NULL;
        if (t && t->stack_lo == v->end) {
            f->stack_overflow = true;
            f->overflow_tid = t->tid;
        }
    } else {
        /* Just below the stack (within 1 MiB of its lowest allowed
         * address, or in the guard gap): the stack could not grow there. */
        int i = vma_first_above(&p->vmas, addr);
        uint32_t lowest = STACK_TOP - p->stack_limit;
        if (i < p->vmas.n && p->vmas.v[i].kind == VMA_STACK &&
            (uint64_t)addr + (1u << 20) >= lowest)
            f->stack_overflow = true;
    }
    /* The walk is for the core file and the view: skip it when a handler
     * will take the signal (the fault path is measured in faults/s). */
    int sig = cause == CAUSE_ILLEGAL_INSN ? SIGILL : SIGSEGV;
    if (p->sig.act[sig].handler <= SIG_IGN || (p->sig.blocked >> (sig - 1) & 1) || p->events)
        mmu_walk(&p->mmu, addr, (enum mmu_access)access, false, &f->walk);
}

static const char *const access_word[] = { "fetch", "load", "store" };

/* A page fault: demand paging, or SIGSEGV. */
static void page_fault(struct proc *p, int access)
{
    uint32_t addr = p->cpu.trap.tval;
    int rc = vm_fault(p, addr, access);
    if (rc == 0) {
        /* Retry the instruction.  One instruction needs at most four
         * pages; faulting far more often without retiring means memory
         * cannot hold them together: no progress is possible. */
        if (p->cpu.instret != p->fault_instret) {
            p->fault_instret = p->cpu.instret;
            p->fault_repeats = 0;
        } else if (++p->fault_repeats > 64) {
            FILE *t = proc_trace(p, TRACE_FAULT);
            if (t)
                fprintf(t, "[fault] the instruction at pc=0x%08x faulted %u times without "
                        "completing: too few frames for the pages it needs\n", p->cpu.pc,
                        p->fault_repeats);
            reclaim_oom_kill(p);
        }
        return;
    }
    if (rc == -ENOMEM) {
        FILE *t = proc_trace(p, TRACE_FAULT);
        if (t)
            fprintf(t, "[fault] %s at 0x%08x: no free physical frame and none can be reclaimed\n",
                    access_word[access], addr);
        reclaim_oom_kill(p);
        return;
    }
    if (rc == VM_FAULT_SWAPIN) {
        /* Never a page of wrong data: the process dies of SIGBUS, as
         * Linux kills a process whose swap-in fails. */
        p->kill_reason = p->kill_msg;
        FILE *t = proc_trace(p, TRACE_FAULT);
        if (t)
            fprintf(t, "[fault] %s at 0x%08x: %s -> SIGBUS\n", access_word[access], addr,
                    p->kill_msg);
        record_fault(p, p->cpu.trap.cause, access, addr, BUS_ADRERR);
        struct ksiginfo si = { .signo = SIGBUS, .code = BUS_ADRERR, .addr = addr };
        p->sig.info[SIGBUS] = si;
        sig_fatal(p, SIGBUS);
        return;
    }
    if (rc == VM_FAULT_SIGBUS) {
        record_fault(p, p->cpu.trap.cause, access, addr, BUS_ADRERR);
        proc_event(p, KQ_EV_FAULT, addr, "%s to 0x%08x past the end of a mapped file -> SIGBUS",
                   access_word[access], addr);
        FILE *t = proc_trace(p, TRACE_FAULT);
        if (t)
            fprintf(t, "[fault] %s at 0x%08x pc=0x%08x: past the end of the mapped file -> SIGBUS BUS_ADRERR\n",
                    access_word[access], addr, p->cpu.pc);
        struct ksiginfo si = { .signo = SIGBUS, .code = BUS_ADRERR, .addr = addr };
        sig_force(p, &si);
        return;
    }
    p->st.faults_segv++;
    record_fault(p, p->cpu.trap.cause, access, addr, rc);
    p->stop_hit |= KQ_STOP_FAULT;
    if (p->events) {
        char perm[4];
        if (p->fault.vma_name[0])
            proc_event(p, KQ_EV_FAULT, addr, "%s to 0x%08x in %s (%s) -> SIGSEGV, SEGV_ACCERR",
                       access_word[access], addr, p->fault.vma_name,
                       vma_perm_str(p->fault.vma_perms, perm));
        else
            proc_event(p, KQ_EV_FAULT, addr, "%s to 0x%08x: %s -> SIGSEGV, SEGV_MAPERR",
                       access_word[access], addr,
                       p->fault.stack_overflow ? "stack overflow" : "no segment");
    }
    FILE *t = proc_trace(p, TRACE_FAULT);
    if (t) {
        char perm[4];
        if (p->fault.overflow_tid)
            fprintf(t, "[fault] %s at 0x%08x pc=0x%08x in the guard page of thread %d's stack: "
                    "stack overflow of thread %d -> SIGSEGV SEGV_ACCERR\n", access_word[access],
                    addr, p->cpu.pc, p->fault.overflow_tid, p->fault.overflow_tid);
        else if (p->fault.vma_name[0])
            fprintf(t, "[fault] %s at 0x%08x pc=0x%08x in %s (%s): not allowed -> SIGSEGV SEGV_ACCERR\n",
                    access_word[access], addr, p->cpu.pc, p->fault.vma_name,
                    vma_perm_str(p->fault.vma_perms, perm));
        else
            fprintf(t, "[fault] %s at 0x%08x pc=0x%08x: %s -> SIGSEGV SEGV_MAPERR\n",
                    access_word[access], addr, p->cpu.pc,
                    p->fault.stack_overflow ? "stack overflow (past the stack limit)"
                                            : "no segment here");
    }
    struct ksiginfo si = { .signo = SIGSEGV, .code = rc, .addr = addr };
    sig_force(p, &si);
}

static void other_trap(struct proc *p)
{
    struct cpu_trap *tr = &p->cpu.trap;
    struct ksiginfo si = { .addr = p->cpu.pc };
    switch (tr->cause) {
    case CAUSE_ILLEGAL_INSN:
        si.signo = SIGILL, si.code = ILL_ILLOPC;
        break;
    case CAUSE_BREAKPOINT:
        si.signo = SIGTRAP, si.code = TRAP_BRKPT;
        break;
    case CAUSE_MISALIGNED_FETCH:
        si.signo = SIGBUS, si.code = BUS_ADRALN;
        break;
    case CAUSE_MISALIGNED_LOAD:
    case CAUSE_MISALIGNED_STORE:     /* only LR/SC/AMOs: si_addr = data address, as qemu */
        si.signo = SIGBUS, si.code = BUS_ADRALN, si.addr = tr->tval;
        break;
    default:                         /* access faults: outside physical memory */
        si.signo = SIGSEGV, si.code = SEGV_ACCERR;
        break;
    }
    record_fault(p, tr->cause, tr->cause == CAUSE_MISALIGNED_STORE || tr->cause == CAUSE_STORE_ACCESS
                 ? ACC_STORE : tr->cause == CAUSE_MISALIGNED_LOAD || tr->cause == CAUSE_LOAD_ACCESS
                 ? ACC_LOAD : ACC_FETCH, si.addr, si.code);
    p->stop_hit |= KQ_STOP_FAULT;
    proc_event(p, KQ_EV_FAULT, si.addr, "%s at pc 0x%08x -> %s",
               tr->cause == CAUSE_ILLEGAL_INSN ? "illegal instruction"
               : tr->cause == CAUSE_BREAKPOINT ? "ebreak" : "misaligned/access fault",
               p->cpu.pc, sig_name(si.signo));
    FILE *t = proc_trace(p, TRACE_FAULT);
    if (t)
        fprintf(t, "[fault] %s at pc=0x%08x -> %s %s\n",
                tr->cause == CAUSE_ILLEGAL_INSN ? "illegal instruction"
                : tr->cause == CAUSE_BREAKPOINT ? "breakpoint (ebreak)"
                : tr->cause <= CAUSE_MISALIGNED_STORE ? "misaligned access" : "access fault",
                p->cpu.pc, sig_name(si.signo), sig_code_name(si.signo, si.code));
    sig_force(p, &si);
}

/* Service the trap that stopped the CPU, then deliver signals. */
static void handle_trap(struct proc *p)
{
    switch (p->cpu.trap.cause) {
    case CAUSE_ECALL_U:
        syscall_dispatch(p);
        p->stop_hit |= KQ_STOP_SYSCALL;
        break;
    case CAUSE_FETCH_PAGE_FAULT:
        page_fault(p, ACC_FETCH);
        break;
    case CAUSE_LOAD_PAGE_FAULT:
        page_fault(p, ACC_LOAD);
        break;
    case CAUSE_STORE_PAGE_FAULT:
        page_fault(p, ACC_STORE);
        break;
    case CAUSE_WATCHPOINT: {                 /* a debugger's watchpoint */
        enum cpu_stop s = cpu_finish_watched(&p->cpu);
        if (s == CPU_STOP_WATCH)
            p->stop_hit |= KQ_STOP_WATCH;
        else if (s == CPU_STOP_TRAP)
            handle_trap(p);                  /* its second page faulted: the access
                                              * is tried again on the next run */
        else if (s == CPU_STOP_NOMEM)
            proc_kill(p, SIGKILL, "the host ran out of memory");
        return;
    }
    default:
        other_trap(p);
        break;
    }
    if (p->state == PROC_RUNNING)
        sig_deliver(p);
}

/* The instruction count at which the run loop must look up next: an
 * aging sample (while memory is short) or a --vmstat line. */
static uint64_t proc_next_tick(const struct proc *p)
{
    uint64_t t = UINT64_MAX;
    if (p->opt.vmstat)
        t = p->next_vmstat;
    if (p->policy && policy_ticks(p->policy) && p->next_tick < t)
        t = p->next_tick;
    return t;
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool proc_time_up(const struct proc *p)
{
    return p->deadline_ms && now_ms() >= p->deadline_ms;
}

/* The limits (--max-insns, --timeout) end the process as RLIMIT_CPU does:
 * SIGXCPU, whose default action dumps core. */
static void kill_xcpu(struct proc *p, const char *reason)
{
    struct ksiginfo si = { .signo = SIGXCPU, .code = SI_KERNEL };
    p->sig.info[SIGXCPU] = si;
    p->fault.valid = false;
    p->kill_reason = reason;
    sig_fatal(p, SIGXCPU);
}

/* With --timeout, the CPU runs at most this many instructions between two
 * looks at the clock (a few milliseconds); the same between two looks for
 * signals from outside (kernel/hostsig.h). */
#define TIMEOUT_SLICE (1u << 22)

/* Signals came from outside: queue them (process-directed), wake the
 * thread on the hart if it waits and may take one, and deliver what the
 * running thread takes, here at an instruction boundary. */
static void host_signals_in(struct proc *p)
{
    if (!hostsig_take(p) || p->state != PROC_RUNNING)
        return;
    thread_signal_wake(p);
    if (!p->th.resched)
        sig_deliver(p);
}

bool proc_step(struct proc *p, uint64_t n)
{
    uint64_t limit = p->cpu.instret + n;
    if (p->opt.timeout_ms && !p->deadline_ms)
        p->deadline_ms = now_ms() + p->opt.timeout_ms;
    const bool outside = p->opt.host_signals;
    const uint64_t slice = p->deadline_ms || outside ? TIMEOUT_SLICE : UINT64_MAX;
    while (p->state == PROC_RUNNING && p->cpu.instret < limit) {
        if (p->opt.max_insns && p->cpu.instret >= p->opt.max_insns) {
            kill_xcpu(p, "instruction limit (--max-insns) reached");
            break;
        }
        if (proc_time_up(p)) {
            kill_xcpu(p, "time limit (--timeout) reached");
            break;
        }
        uint64_t stop = limit;
        if (p->opt.max_insns && p->opt.max_insns < stop)
            stop = p->opt.max_insns;
        uint64_t tick = proc_next_tick(p);
        if (tick < stop)
            stop = tick;
        uint64_t sched = thread_next_stop(&p->th);
        if (sched < stop)
            stop = sched;
        if (stop - p->cpu.instret > slice)
            stop = p->cpu.instret + slice;
        if (unlikely(outside && hostsig_waiting()))
            host_signals_in(p);             /* Ctrl-C, kill(1): the guest's now */
        if (unlikely(p->th.resched)) {      /* a wait left nobody on the hart */
            thread_schedule(p);
            if (p->state != PROC_RUNNING || (p->stop_hit & (p->stop_mask | KQ_STOP_DEBUG)))
                break;
            if (p->th.resched)
                continue;                   /* still nobody: a signal came from outside */
        }
        enum cpu_stop s = cpu_run(&p->cpu, stop);
        if (s == CPU_STOP_TRAP)
            handle_trap(p);
        else if (s == CPU_STOP_NOMEM)
            proc_kill(p, SIGKILL, p->hm.refused ? "vmlab's host memory cap (--host-mem) is too "
                      "small for one page of decoded instructions" : "the host ran out of memory");
        else if (s == CPU_STOP_BREAK)
            p->stop_hit |= KQ_STOP_BREAK;
        if (p->cpu.instret >= tick && p->state == PROC_RUNNING)
            reclaim_tick(p);
        if ((p->th.resched || p->cpu.instret >= sched) && p->state == PROC_RUNNING)
            thread_schedule(p);
        if (p->stop_hit & (p->stop_mask | KQ_STOP_DEBUG))
            break;
    }
    return p->state == PROC_RUNNING;
}

int proc_run(struct proc *p)
{
    while (proc_step(p, UINT64_MAX / 2))
        ;
    return proc_status(p);
}

static int parse_perms(const char *s, unsigned *out)
{
    unsigned v = 0;
    if (!*s || strlen(s) > 3)
        return -EINVAL;
    for (; *s; s++) {
        switch (*s) {
        case 'r': v |= 1; break;
        case 'w': v |= 2; break;
        case 'x': v |= 4; break;
        case '-': break;
        default: return -EINVAL;
        }
    }
    *out = v;
    return 0;
}

int proc_perm_rule(struct proc *p, const char *spec, char *err, size_t errlen)
{
    const char *eq = strchr(spec, '=');
    struct perm_rule r = { 0 };
    if (!eq || eq == spec || parse_perms(eq + 1, &r.perms)) {
        errf(err, errlen, "expected SEGMENT=PERMS, e.g. text=rwx or stack=rw- "
             "(PERMS: the letters r, w, x, or - for none)");
        return -EINVAL;
    }
    if (p->nrules == MAX_PERM_RULES) {
        errf(err, errlen, "too many --perm rules");
        return -EINVAL;
    }
    size_t n = (size_t)(eq - spec);
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), spec);
    char *end;
    unsigned long addr = strtoul(name, &end, 16);
    bool is_addr = !*end && (name[0] == '0' || isdigit((unsigned char)name[0]));
    bool known = false;
    if (is_addr) {
        r.addr = (uint32_t)addr;
        struct vma *v = vma_find(&p->vmas, r.addr);
        if (v) {
            known = true;
            vma_protect(p, v->start, v->end, r.perms);
        }
        known = true;                 /* an mmap area made later may cover it */
    } else {
        snprintf(r.name, sizeof r.name, "%.15s", name);
        known = !strcmp(name, "heap") || !strcmp(name, "mmap");
        for (int i = 0; i < p->vmas.n; i++) {
            struct vma *v = &p->vmas.v[i];
            if (!strcmp(v->name, name)) {
                known = true;
                vma_protect(p, v->start, v->end, r.perms);
            }
        }
    }
    if (!known) {
        char names[256] = "";
        size_t o = 0;
        for (int i = 0; i < p->vmas.n && o < sizeof names; i++) {
            bool dup = false;
            for (int j = 0; j < i; j++)
                dup |= !strcmp(p->vmas.v[j].name, p->vmas.v[i].name);
            if (!dup)
                o += (size_t)snprintf(names + o, sizeof names - o, "%s, ", p->vmas.v[i].name);
        }
        errf(err, errlen, "no segment named '%s'; valid names: %sheap, mmap, "
             "or an address inside an mmap area (e.g. 0x3fffe000)", name, names);
        return -EINVAL;
    }
    p->rules[p->nrules++] = r;
    return 0;
}

unsigned proc_new_segment_perms(const struct proc *p, const char *name,
                                uint32_t start, uint32_t end, unsigned dflt)
{
    for (int i = p->nrules - 1; i >= 0; i--) {
        const struct perm_rule *r = &p->rules[i];
        if (r->name[0] ? !strcmp(r->name, name) : (r->addr >= start && r->addr < end))
            return r->perms;
    }
    return dflt;
}

void proc_print_maps(struct proc *p, FILE *out)
{
    for (int i = 0; i < p->vmas.n; i++) {
        const struct vma *v = &p->vmas.v[i];
        char perm[4];
        uint32_t n[4];
        vm_count_pages(p, v->start, v->end, n);
        char res[32], away[64] = "";
        snprintf(res, sizeof res, "%u/%u", n[PTE_STATE_RESIDENT], (v->end - v->start) / PAGE_SIZE);
        if (n[PTE_STATE_SWAP] || n[PTE_STATE_FILE])
            snprintf(away, sizeof away, " (%u on swap, %u in the file only)",
                     n[PTE_STATE_SWAP], n[PTE_STATE_FILE]);
        fprintf(out, "%08x-%08x %sp %08x %-10s %7u KiB %11s pages in memory%s%s%s\n",
                v->start, v->end, vma_perm_str(v->perms, perm),
                v->kind == VMA_FILE ? v->file_off : 0, v->name,
                (v->end - v->start) / 1024, res, away,
                v->kind == VMA_FILE ? "  " : "", v->kind == VMA_FILE ? vma_path(p, v) : "");
    }
}

void proc_print_stats(struct proc *p, FILE *out)
{
    struct kq_counters c;
    kq_counters(p, &c);
    kq_print_stats(&c, out);
}
