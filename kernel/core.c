/* kernel/core.c — writing ELF core files. */
#include "kernel/core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kernel/proc.h"
#include "kernel/pte.h"
#include "kernel/vm.h"

#define EHDR_SIZE 52
#define PHDR_SIZE 32

/* A growable byte buffer for the headers and notes. */
struct buf {
    uint8_t *b;
    size_t   n, cap;
    int      err;
};

static void put(struct buf *b, const void *p, size_t n)
{
    if (b->err)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + n)
            cap *= 2;
        uint8_t *nb = realloc(b->b, cap);
        if (!nb) {
            b->err = ENOMEM;
            return;
        }
        b->b = nb;
        b->cap = cap;
    }
    memcpy(b->b + b->n, p, n);
    b->n += n;
}

static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void put16(struct buf *b, uint16_t v) { put(b, &v, 2); }
static void pad4(struct buf *b)
{
    static const uint8_t z[4];
    put(b, z, (4 - b->n % 4) % 4);
}

/* One note record: namesz, descsz, type, name (padded), desc (padded). */
static void note(struct buf *b, const char *name, uint32_t type, const void *desc, size_t len)
{
    put32(b, (uint32_t)strlen(name) + 1);
    put32(b, (uint32_t)len);
    put32(b, type);
    put(b, name, strlen(name) + 1);
    pad4(b);
    put(b, desc, len);
    pad4(b);
}

static void le32(uint8_t *d, size_t off, uint32_t v) { memcpy(d + off, &v, 4); }

/* One thread's NT_PRSTATUS: its TID in pr_pid (gdb's LWP), its
 * registers; every thread carries the signal that ended the process, as
 * Linux's fill_prstatus gives each the same signr. */
static void prstatus(int sig, int tid, uint32_t pc, const uint32_t *x,
                     uint64_t pending, uint64_t blocked, uint8_t d[PRSTATUS_SIZE])
{
    memset(d, 0, PRSTATUS_SIZE);
    le32(d, 0, (uint32_t)sig);                       /* pr_info.si_signo */
    uint16_t cursig = (uint16_t)sig;
    memcpy(d + 12, &cursig, 2);                      /* pr_cursig */
    le32(d, 16, (uint32_t)pending);
    le32(d, 20, (uint32_t)blocked);
    le32(d, 24, (uint32_t)tid);                      /* pr_pid */
    le32(d, 28, (uint32_t)getppid());
    le32(d, 32, (uint32_t)getpgrp());
    le32(d, 36, (uint32_t)getsid(0));
    le32(d, PRSTATUS_REG, pc);
    for (int i = 1; i < 32; i++)
        le32(d, PRSTATUS_REG + 4 * (size_t)i, x[i]);
    /* pr_fpvalid (200) = 0: no F/D */
}

static void prpsinfo(struct proc *p, uint8_t d[PRPSINFO_SIZE])
{
    memset(d, 0, PRPSINFO_SIZE);
    d[1] = 'R';
    le32(d, 8, (uint32_t)getuid());
    le32(d, 12, (uint32_t)getgid());
    le32(d, 16, (uint32_t)p->pid);
    le32(d, 20, (uint32_t)getppid());
    le32(d, 24, (uint32_t)getpgrp());
    le32(d, 28, (uint32_t)getsid(0));
    memcpy(d + 32, p->comm, strnlen(p->comm, 15));
    memcpy(d + 48, p->psargs, strnlen(p->psargs, 79));
}

static void file_note(struct proc *p, struct buf *b)
{
    struct buf d = { 0 };
    uint32_t count = 0;
    for (int i = 0; i < p->vmas.n; i++)
        count += p->vmas.v[i].kind == VMA_FILE;
    put32(&d, count);
    put32(&d, PAGE_SIZE);
    for (int i = 0; i < p->vmas.n; i++) {
        const struct vma *v = &p->vmas.v[i];
        if (v->kind != VMA_FILE)
            continue;
        put32(&d, v->start);
        put32(&d, v->end);
        put32(&d, v->file_off / PAGE_SIZE);
    }
    for (int i = 0; i < p->vmas.n; i++)
        if (p->vmas.v[i].kind == VMA_FILE)
            put(&d, vma_path(p, &p->vmas.v[i]), strlen(vma_path(p, &p->vmas.v[i])) + 1);
    if (d.err)
        b->err = d.err;
    else
        note(b, "CORE", NT_FILE, d.b, d.n);
    free(d.b);
}

static uint32_t resident_pages(struct proc *p, const struct vma *v)
{
    uint32_t n[4];
    vm_count_pages(p, v->start, v->end, n);
    return n[PTE_STATE_RESIDENT];
}

static void thread_rec(struct proc *p, struct buf *d, const struct thread *t, uint32_t pc,
                       uint32_t sp)
{
    uint32_t lo = t->stack_lo, hi = t->stack_hi;
    if (t == p->th.t[0])                             /* the main thread: [stack] */
        for (int i = 0; i < p->vmas.n; i++)
            if (p->vmas.v[i].kind == VMA_STACK)
                lo = p->vmas.v[i].start, hi = p->vmas.v[i].end;
    uint32_t r[7] = { (uint32_t)t->tid, (uint32_t)t->state, t->futex_addr, lo, hi, pc, sp };
    put(d, r, sizeof r);
}

static void threads_note(struct proc *p, struct buf *b)
{
    if (p->th.n < 2)
        return;
    struct buf d = { 0 };
    const struct thread *cur = thread_cur(&p->th);
    uint32_t n = 0;
    for (int i = 0; i < p->th.n; i++)
        n += p->th.t[i]->state != THREAD_EXITED;
    put32(&d, n);
    put32(&d, (uint32_t)p->fault.overflow_tid);
    thread_rec(p, &d, cur, p->cpu.pc, p->cpu.x[2]);
    for (int i = 0; i < p->th.n; i++) {
        const struct thread *t = p->th.t[i];
        if (t != cur && t->state != THREAD_EXITED)
            thread_rec(p, &d, t, t->pc, t->x[2]);
    }
    if (d.err)
        b->err = d.err;
    else
        note(b, "VMLAB", NT_VMLAB_THREADS, d.b, d.n);
    free(d.b);
}

static void vmlab_note(struct proc *p, struct buf *b)
{
    struct buf d = { 0 };
    const struct fault_record *f = &p->fault;
    uint32_t head[22] = {
        VMLAB_NOTE_VERSION, f->valid, (uint32_t)f->cause, (uint32_t)f->access, f->addr,
        f->pc, (uint32_t)f->si_code, f->stack_overflow, (uint32_t)f->walk.levels,
        (uint32_t)f->walk.pte_addr[0], (uint32_t)(f->walk.pte_addr[0] >> 32),
        (uint32_t)f->walk.pte_addr[1], (uint32_t)(f->walk.pte_addr[1] >> 32),
        f->walk.pte[0], f->walk.pte[1], p->mmu.satp, (uint32_t)p->cpu.instret,
        (uint32_t)(p->cpu.instret >> 32), p->stack_limit, p->brk_start, p->brk,
        (uint32_t)p->vmas.n,
    };
    put(&d, head, sizeof head);
    for (int i = 0; i < p->vmas.n; i++) {
        const struct vma *v = &p->vmas.v[i];
        char name[16] = { 0 };
        memcpy(name, v->name, strnlen(v->name, 15));
        put32(&d, v->start);
        put32(&d, v->end);
        put32(&d, v->perms);
        put32(&d, (uint32_t)v->kind);
        put32(&d, resident_pages(p, v));
        put(&d, name, sizeof name);
    }
    for (int i = 0; i < p->vmas.n; i++) {            /* version 2: page states */
        const struct vma *v = &p->vmas.v[i];
        uint8_t byte = 0;
        uint32_t k = 0;
        for (uint32_t va = v->start; va < v->end && va >= v->start; va += PAGE_SIZE, k++) {
            uint32_t *pte = vm_pte(p, va, false);
            byte |= (uint8_t)(pte_state(pte ? *pte : 0) << (2 * (k % 4)));
            if (k % 4 == 3) {
                put(&d, &byte, 1);
                byte = 0;
            }
        }
        if (k % 4)
            put(&d, &byte, 1);
    }
    if (d.err)
        b->err = d.err;
    else
        note(b, "VMLAB", NT_VMLAB, d.b, d.n);
    free(d.b);
}

int core_expand_pattern(const char *pat, const char *comm, int pid, int sig,
                        long long t, char *buf, size_t len)
{
    size_t o = 0;
    for (const char *c = pat; *c; c++) {
        char tmp[32];
        const char *s = tmp;
        if (*c == '%' && c[1]) {
            c++;
            switch (*c) {
            case 'e': s = comm; break;
            case 'p': snprintf(tmp, sizeof tmp, "%d", pid); break;
            case 's': snprintf(tmp, sizeof tmp, "%d", sig); break;
            case 't': snprintf(tmp, sizeof tmp, "%lld", t); break;
            case '%': s = "%"; break;
            default: snprintf(tmp, sizeof tmp, "%%%c", *c); break;
            }
        } else {
            tmp[0] = *c;
            tmp[1] = 0;
        }
        size_t n = strlen(s);
        if (o + n + 1 > len)
            return -ENAMETOOLONG;
        memcpy(buf + o, s, n);
        o += n;
    }
    if (o == 0)
        return -ENAMETOOLONG;
    buf[o] = 0;
    return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The ELF header, program headers and notes of the core of p dying of
 * sig, with memory past limit left out, into h; *mem_off is where the
 * memory starts.  Returns 0, -ENOMEM, or -EFBIG (limit too small for the
 * headers). */
static int core_headers(struct proc *p, int sig, uint64_t limit, struct buf *h, uint64_t *mem_off)
{
    /* notes */
    struct buf notes = { 0 };
    uint8_t d[PRSTATUS_SIZE];
    /* the thread on the hart first: the one that faulted or was killed */
    const struct thread *cur = thread_cur(&p->th);
    prstatus(sig, cur->tid, p->cpu.pc, p->cpu.x, p->sig.pending, p->sig.blocked, d);
    note(&notes, "CORE", NT_PRSTATUS, d, PRSTATUS_SIZE);
    prpsinfo(p, d);
    note(&notes, "CORE", NT_PRPSINFO, d, PRPSINFO_SIZE);
    uint8_t si[SIGINFO_SIZE];
    sig_encode_info(&p->sig.info[sig], si);
    if (p->sig.info[sig].signo != sig) {       /* killed without a queued info */
        struct ksiginfo k = { .signo = sig, .code = SI_KERNEL };
        sig_encode_info(&k, si);
    }
    note(&notes, "CORE", NT_SIGINFO, si, sizeof si);
    note(&notes, "CORE", NT_AUXV, p->auxv, (size_t)p->auxc * 4);
    file_note(p, &notes);
    /* then every other live thread, in TID order (Linux: after the first
     * thread's process-wide notes) */
    for (int i = 0; i < p->th.n; i++) {
        const struct thread *t = p->th.t[i];
        if (t == cur || t->state == THREAD_EXITED)
            continue;
        prstatus(sig, t->tid, t->pc, t->x, t->sig.pending, t->sig.blocked, d);
        note(&notes, "CORE", NT_PRSTATUS, d, PRSTATUS_SIZE);
    }
    vmlab_note(p, &notes);
    threads_note(p, &notes);

    /* layout */
    uint32_t nload = (uint32_t)p->vmas.n;
    size_t hdrs = EHDR_SIZE + (size_t)(1 + nload) * PHDR_SIZE;
    *mem_off = (hdrs + notes.n + PAGE_SIZE - 1) & ~(uint64_t)PAGE_MASK;
    if (notes.err || limit < *mem_off) {
        free(notes.b);
        return notes.err ? -ENOMEM : -EFBIG;
    }
    static const uint8_t ident[16] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 0 };
    put(h, ident, 16);
    put16(h, 4);                        /* ET_CORE */
    put16(h, 243);                      /* EM_RISCV */
    put32(h, 1);
    put32(h, 0);                        /* e_entry */
    put32(h, EHDR_SIZE);                /* e_phoff */
    put32(h, 0);                        /* e_shoff */
    put32(h, 0);                        /* e_flags */
    put16(h, EHDR_SIZE);
    put16(h, PHDR_SIZE);
    put16(h, (uint16_t)(1 + nload));
    put16(h, 0);
    put16(h, 0);
    put16(h, 0);
    uint32_t ph[8] = { 4 /* PT_NOTE */, (uint32_t)hdrs, 0, 0, (uint32_t)notes.n, 0, 0, 0 };
    put(h, ph, sizeof ph);
    uint64_t off = *mem_off;
    for (uint32_t i = 0; i < nload; i++) {
        const struct vma *v = &p->vmas.v[i];
        uint32_t size = v->end - v->start;
        uint32_t filesz = off + size <= limit ? size : 0;   /* RLIMIT_CORE-style cap */
        uint32_t flags = (v->perms & 1 ? 4 : 0) | (v->perms & 2 ? 2 : 0) | (v->perms & 4 ? 1 : 0);
        uint32_t l[8] = { 1 /* PT_LOAD */, filesz ? (uint32_t)off : 0, v->start, 0,
                          filesz, size, flags, PAGE_SIZE };
        put(h, l, sizeof l);
        off += filesz;
    }
    put(h, notes.b, notes.n);
    free(notes.b);
    return h->err ? -ENOMEM : 0;
}

/* The whole core (headers h, then memory at mem_off, up to limit) into
 * fd, which is at offset 0; *unreadable counts the pages that could not
 * be read back from swap (zeros in the core), the first at *first_bad.
 * Returns 0 or -errno. */
static int core_write(struct proc *p, int fd, const struct buf *h, uint64_t mem_off,
                      uint64_t limit, uint32_t *unreadable, uint32_t *first_bad)
{
    int rc = write_all(fd, h->b, h->n);
    static const uint8_t zeros[PAGE_SIZE];
    if (!rc)
        rc = write_all(fd, zeros, mem_off - h->n);
    uint8_t page[PAGE_SIZE];
    uint64_t off = mem_off;
    for (int i = 0; i < p->vmas.n && !rc; i++) {
        const struct vma *v = &p->vmas.v[i];
        if (off + (v->end - v->start) > limit)
            continue;
        for (uint32_t va = v->start; va < v->end && !rc; va += PAGE_SIZE) {
            if (!vm_page_bytes(p, v, va, page) && !(*unreadable)++)
                *first_bad = va;
            /* all-zero pages become holes: a big untouched area costs no disk */
            if (memcmp(page, zeros, PAGE_SIZE) == 0)
                rc = lseek(fd, PAGE_SIZE, SEEK_CUR) < 0 ? -errno : 0;
            else
                rc = write_all(fd, page, PAGE_SIZE);
        }
        off += v->end - v->start;
    }
    if (!rc && ftruncate(fd, (off_t)off) != 0)   /* a trailing hole still counts */
        rc = -errno;
    return rc;
}

int core_snapshot(struct proc *p, int sig, int fd)
{
    struct buf h = { 0 };
    uint64_t mem_off;
    uint32_t unreadable = 0, first_bad = 0;
    uint64_t reads = p->swap.reads, errors = p->swap.read_errors;
    int rc = core_headers(p, sig, UINT64_MAX, &h, &mem_off);
    if (!rc)
        rc = core_write(p, fd, &h, mem_off, UINT64_MAX, &unreadable, &first_bad);
    p->swap.reads = reads;                  /* a snapshot's reads are no page-ins */
    p->swap.read_errors = errors;
    free(h.b);
    return rc;
}

void core_dump(struct proc *p, int sig)
{
    uint64_t limit = p->opt.core_limit;
    if (limit == 0)
        return;
    char path[4096];
    if (core_expand_pattern(p->opt.core_pattern ? p->opt.core_pattern : "core.%e.%p",
                            p->comm, p->pid, sig, (long long)time(NULL), path, sizeof path)) {
        fprintf(stderr, "vmlab: warning: core file name too long; core not dumped\n");
        return;
    }
    struct buf h = { 0 };
    uint64_t mem_off;
    uint32_t unreadable = 0, first_bad = 0;
    int rc = core_headers(p, sig, limit, &h, &mem_off);
    if (rc) {
        if (rc == -EFBIG)
            fprintf(stderr, "vmlab: warning: --core-limit %llu is too small for the core's "
                    "headers; core not dumped\n", (unsigned long long)limit);
        else
            fprintf(stderr, "vmlab: warning: out of memory writing the core; core not dumped\n");
        free(h.b);
        return;
    }

    /* Like Linux: no core through a symlink or into a fifo or device (a
     * rename would replace it with a regular file). */
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        fprintf(stderr, "vmlab: warning: %s is not a regular file; core not dumped\n", path);
        free(h.b);
        return;
    }

    /* temp file in the target directory, then rename */
    char tmp[4200];
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    snprintf(tmp, sizeof tmp, "%.*s.vmlab-core.XXXXXX", dirlen, path);
    int fd = mkstemp(tmp);
    rc = fd < 0 ? -errno : 0;
    if (!rc)
        rc = core_write(p, fd, &h, mem_off, limit, &unreadable, &first_bad);
    if (!rc && fsync(fd) != 0)
        rc = -errno;
    if (fd >= 0 && close(fd) != 0 && !rc)
        rc = -errno;
    if (!rc && rename(tmp, path) != 0)
        rc = -errno;
    free(h.b);
    if (rc) {
        if (fd >= 0)
            unlink(tmp);
        fprintf(stderr, "vmlab: warning: cannot write core file %s: %s; core not dumped\n",
                path, rc == -EFBIG ? "the file size limit (ulimit -f) is too small"
                                   : strerror(-rc));
        return;
    }
    if (unreadable)
        fprintf(stderr, "vmlab: warning: core file %s: %u page%s from 0x%08x could not be read "
                "back from swap and hold zeros\n", path, unreadable, unreadable > 1 ? "s" : "",
                first_bad);
    p->core_dumped = true;
    free(p->core_path);
    p->core_path = strdup(path);
}
