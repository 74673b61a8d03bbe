/* kernel/syscall.c — system calls: I/O, memory (brk, mmap, munmap,
 * mprotect), identity, time and randomness; the signal calls live in
 * kernel/signal.c.  Every guest pointer is reached through vm_copy_*, so a
 * bad pointer is -EFAULT, never a host crash. */
#include "kernel/syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "kernel/file.h"
#include "kernel/hostsig.h"
#include "kernel/proc.h"
#include "kernel/query.h"
#include "kernel/signal.h"
#include "kernel/syscall_impl.h"
#include "kernel/vm.h"

#define PROT_MASK        7u
#define MAP_SHARED       0x01u
#define MAP_PRIVATE      0x02u
#define MAP_TYPE         0x0fu
#define MAP_FIXED        0x10u
#define MAP_ANONYMOUS    0x20u
#define MAP_FIXED_NOREPLACE 0x100000u
#define MAP_FILE_MAX     (256u << 20)     /* largest file mmap reads */

typedef long sys_fn(struct proc *p, const uint32_t *a);

/* --- I/O --------------------------------------------------------------- */

/* A host call that waits was interrupted (EINTR): did a signal come from
 * outside (kernel/hostsig.h)?  If so it is queued for the guest now, and
 * the call gives up; its result says -ERESTARTSYS when it had done
 * nothing yet. */
static bool host_signal_in(struct proc *p)
{
    return p->opt.host_signals && hostsig_waiting() && hostsig_take(p);
}

/* Write guest bytes [buf, buf+len) to host fd, gathered WRITE_CHUNK at a
 * time (one host write per chunk, not per page: a write of up to 64 KiB,
 * PIPE_BUF's 4 KiB included, reaches a pipe in one piece however its pages
 * fall).  Returns the count written, or -EFAULT if the first byte is
 * unreadable; a fault further on ends the write after the bytes before it,
 * as on Linux. */
#define WRITE_CHUNK (16 * PAGE_SIZE)
static long write_user(struct proc *p, int fd, uint32_t buf, uint32_t len)
{
    uint8_t chunk[WRITE_CHUNK];
    uint32_t done = 0;
    while (done < len) {
        uint32_t n = 0;
        bool fault = false;
        while (n < WRITE_CHUNK && n < len - done) {
            uint32_t k = PAGE_SIZE - VA_OFFSET(buf + done + n);
            if (k > len - done - n)
                k = len - done - n;
            if (k > WRITE_CHUNK - n)
                k = WRITE_CHUNK - n;
            if (vm_copy_in(p, chunk + n, buf + done + n, k, NULL)) {
                fault = true;
                break;
            }
            n += k;
        }
        uint32_t w = 0;
        while (w < n) {
            ssize_t r = write(fd, chunk + w, n - w);
            if (r < 0) {
                int e = errno;
                bool sig_in = false;
                if (e == EINTR && !proc_time_up(p) && !(sig_in = host_signal_in(p)))
                    continue;
                if (sig_in && !(done + w))
                    return -ERESTARTSYS;        /* nothing written yet: made again */
                if (sig_in)
                    return (long)(done + w);    /* a short write, as on Linux */
                if (e == EPIPE || e == EFBIG) {
                    /* Linux: EPIPE and SIGPIPE; past RLIMIT_FSIZE, EFBIG and
                     * SIGXFSZ (vmlab ignores both itself) */
                    struct ksiginfo si = { .signo = e == EPIPE ? SIGPIPE : SIGXFSZ,
                                           .code = SI_USER, .pid = p->pid };
                    sig_send_here(p, &si);       /* thread-directed (send_sig) */
                }
                return done + w ? (long)(done + w) : -e;
            }
            if (r == 0)
                break;
            w += (uint32_t)r;
        }
        done += w;
        if (w < n)
            return (long)done;                  /* the file took no more */
        if (fault)
            return done ? (long)done : -EFAULT;
    }
    return (long)done;
}

/* The guest's own RLIMIT_FSIZE (prlimit64): how many of len bytes a write
 * to host fd may take.  On a regular file a write from offset pos stops at
 * the limit, and one that starts at or past it fails with EFBIG and
 * SIGXFSZ, before any byte is read from the guest (Linux: generic_write_
 * checks; with O_APPEND, pos is the file's size).  An empty write, and one
 * to a pipe, terminal or device, has no limit.  (The host's own limit, on
 * vmlab, is write_user's EFBIG.) */
#define KRLIMIT_FSIZE 1
static long fsize_room(struct proc *p, int fd, uint32_t len)
{
    uint64_t lim = p->rlim[KRLIMIT_FSIZE][0];
    struct stat st;
    if (lim == UINT64_MAX || len == 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return len;
    int fl = fcntl(fd, F_GETFL);
    off_t pos = fl >= 0 && (fl & O_APPEND) ? st.st_size : lseek(fd, 0, SEEK_CUR);
    if (pos < 0)
        return len;
    if ((uint64_t)pos >= lim) {
        struct ksiginfo si = { .signo = SIGXFSZ, .code = SI_USER, .pid = p->pid };
        sig_send_here(p, &si);                   /* send_sig(SIGXFSZ, current, 0) */
        return -EFBIG;
    }
    return lim - (uint64_t)pos < len ? (long)(lim - (uint64_t)pos) : (long)len;
}

long sys_write(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    long room = fsize_room(p, fd, a[2]);
    if (room <= 0)
        return room;
    int w = thread_io_wait(p, fd, a[0], POLLOUT);    /* a full pipe, other threads */
    if (w)
        return w < 0 ? w : 0;
    return write_user(p, fd, a[1], (uint32_t)room);
}

static long write_one(struct proc *p, const uint32_t *a);

/* readv, writev: the iovecs ({u32 base, u32 len}, 8 bytes each) one by one
 * through read or write, stopping at the first short transfer; the total
 * must fit in an int, as on Linux.  A writev meets RLIMIT_FSIZE once, for
 * its total (as Linux checks the whole iterator): the buffers past the
 * limit are cut, and only a writev that starts at the limit gets SIGXFSZ. */
static long iov_each(struct proc *p, const uint32_t *a, long (*one)(struct proc *, const uint32_t *))
{
    int32_t cnt = (int32_t)a[2];
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    if (cnt < 0 || cnt > 1024)
        return -EINVAL;
    uint32_t iov[2 * 1024];
    if (vm_copy_in(p, iov, a[1], (size_t)cnt * 8, NULL))
        return -EFAULT;
    uint64_t total = 0;
    for (int i = 0; i < cnt; i++)
        total += iov[2 * i + 1];
    if (total > INT32_MAX)
        return -EINVAL;
    long room = (long)total;
    if (one == write_one && (room = fsize_room(p, fd, (uint32_t)total)) < 0)
        return room;
    if (one == write_one && room > 0) {
        int w = thread_io_wait(p, fd, a[0], POLLOUT);
        if (w)
            return w < 0 ? w : 0;
    }
    long done = 0;
    for (int i = 0; i < cnt && done < room; i++) {
        uint32_t len = iov[2 * i + 1];
        if (len > room - done)
            len = (uint32_t)(room - done);
        if (!len)
            continue;
        struct pollfd ready = { .fd = fd, .events = POLLIN };
        if (done && one != write_one && poll(&ready, 1, 0) == 0)
            break;                  /* a readv returns what a pipe had, as on Linux */
        uint32_t one_a[3] = { a[0], iov[2 * i], len };
        long r = one(p, one_a);
        if (r < 0)
            return done ? done : r;
        done += r;
        if ((uint32_t)r < len)
            break;
    }
    return done;
}

/* One of writev's buffers: a write within the room iov_each measured. */
static long write_one(struct proc *p, const uint32_t *a)
{
    return write_user(p, sys_host_fd(p, a[0]), a[1], a[2]);
}

long sys_writev(struct proc *p, const uint32_t *a)
{
    return iov_each(p, a, write_one);
}

long sys_readv(struct proc *p, const uint32_t *a)
{
    return iov_each(p, a, sys_read);
}

long sys_read(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    uint32_t len = a[2] > (1u << 20) ? (1u << 20) : a[2];
    if (len == 0)
        return 0;
    if (vm_probe(p, a[1], len, ACC_STORE))
        return -EFAULT;                        /* before any input is consumed */
    int w = thread_io_wait(p, fd, a[0], POLLIN);    /* an empty pipe, other threads */
    if (w)
        return w < 0 ? w : 0;
    uint8_t *tmp = malloc(len);
    if (!tmp)
        return -ENOMEM;
    size_t ok = 0;
    ssize_t r = 0;
    bool sig_in = host_signal_in(p);            /* one that came just now */
    if (!sig_in)
        do
            r = read(fd, tmp, len);
        while (r < 0 && errno == EINTR && !proc_time_up(p) && !(sig_in = host_signal_in(p)));
    long ret = sig_in ? -ERESTARTSYS : r < 0 ? -errno : r;
    if (r > 0 && vm_copy_out(p, a[1], tmp, (size_t)r, &ok))
        ret = ok ? (long)ok : -EFAULT;
    free(tmp);
    return ret;
}

/* Linux asm-generic open flags (PLATFORM.md §1.3) to the host's. */
static int open_flags(uint32_t f)
{
    static const struct { uint32_t guest; int host; } map[] = {
        { 0x40, O_CREAT }, { 0x80, O_EXCL }, { 0x100, O_NOCTTY }, { 0x200, O_TRUNC },
        { 0x400, O_APPEND }, { 0x800, O_NONBLOCK }, { 0x10000, O_DIRECTORY },
        { 0x20000, O_NOFOLLOW }, { 0x80000, O_CLOEXEC },
    };
    int h = (int)(f & 3);                     /* O_RDONLY / O_WRONLY / O_RDWR */
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (f & map[i].guest)
            h |= map[i].host;
    return h;
}

long sys_openat(struct proc *p, const uint32_t *a)
{
    char path[4096];
    long n = vm_copy_str(p, path, a[1], sizeof path);
    if (n < 0)
        return n;
    if (!sys_fd_free(p))
        return -EMFILE;                         /* before O_CREAT makes a file, as on Linux */
    int dirfd = path[0] == '/' ? AT_FDCWD : sys_host_dirfd(p, a[0]);
    if (dirfd == -1)
        return -EBADF;
    if (sys_dir_own_proc(dirfd, path))
        return -EACCES;                         /* /proc/self/fd/N: vmlab's own fd N */
    int fd = openat(dirfd, path, open_flags(a[2]) | O_CLOEXEC, (mode_t)(a[3] & 07777));
    if (fd < 0)
        return -errno;
    if (sys_host_own_proc(fd)) {
        close(fd);                              /* vmlab's /proc/self, not the guest's */
        return -EACCES;
    }
    int slot = sys_fd_install(p, fd, 0);
    if (slot < 0)
        close(fd);
    else if (a[2] & 0x80000)                    /* O_CLOEXEC */
        p->cloexec |= 1ull << slot;
    return slot;
}

long sys_close(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    p->fds[a[0]] = -1;
    p->pipes &= ~(1ull << a[0]);
    sys_host_close(fd);                       /* the host's own stdio stays open */
    return 0;
}

/* _llseek(fd, offset_high, offset_low, loff_t *result, whence) */
long sys_llseek(struct proc *p, const uint32_t *a)
{
    int fd = sys_host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    if (a[4] > 2)
        return -EINVAL;
    off_t off = (off_t)((uint64_t)a[1] << 32 | a[2]);
    off_t r = lseek(fd, off, a[4] == 0 ? SEEK_SET : a[4] == 1 ? SEEK_CUR : SEEK_END);
    if (r < 0)
        return -errno;
    int64_t res = r;
    return vm_copy_out(p, a[3], &res, sizeof res, NULL);
}

/* --- process ------------------------------------------------------------ */



long sys_getpid(struct proc *p, const uint32_t *a)
{
    (void)a;
    return p->pid;
}



long sys_uname(struct proc *p, const uint32_t *a)
{
    char u[6][65];
    struct utsname host;
    memset(u, 0, sizeof u);
    if (uname(&host) != 0)
        snprintf(host.release, sizeof host.release, "6.1.0");
    snprintf(u[0], 65, "Linux");
    snprintf(u[1], 65, "vmlab");
    snprintf(u[2], 65, "%s", host.release);      /* as qemu-user: the host's */
    snprintf(u[3], 65, "#1 vmlab");
    snprintf(u[4], 65, "riscv32");
    snprintf(u[5], 65, "(none)");
    return vm_copy_out(p, a[0], u, sizeof u, NULL);
}

/* getrusage(who, usage): the kernel's struct rusage with 32-bit longs
 * (docs/platform/swap.md): two {tv_sec, tv_usec} times, then 14 longs;
 * ru_maxrss in KiB, ru_minflt and ru_majflt the guest's own page faults
 * (kernel/proc.h proc_stats), the times vmlab's own. */
long sys_getrusage(struct proc *p, const uint32_t *a)
{
    int32_t who = (int32_t)a[0];
    if (who != 0 && who != -1 && who != 1)          /* SELF, CHILDREN, THREAD */
        return -EINVAL;
    uint32_t ru[18] = { 0 };
    if (who != -1) {                                /* no children: all zero */
        struct rusage host;
        if (getrusage(RUSAGE_SELF, &host) == 0) {
            ru[0] = (uint32_t)host.ru_utime.tv_sec;
            ru[1] = (uint32_t)host.ru_utime.tv_usec;
            ru[2] = (uint32_t)host.ru_stime.tv_sec;
            ru[3] = (uint32_t)host.ru_stime.tv_usec;
        }
        const struct proc_stats *s = &p->st;
        ru[4] = p->frames.peak_pages * (PAGE_SIZE / 1024);        /* ru_maxrss */
        ru[8] = (uint32_t)(s->faults_demand_zero + s->faults_file + s->faults_parked +
                           s->faults_spurious);                   /* ru_minflt */
        ru[9] = (uint32_t)(s->swapins + s->file_refaults);        /* ru_majflt */
        ru[15] = (uint32_t)p->sig.delivered;                      /* ru_nsignals */
    }
    return vm_copy_out(p, a[1], ru, sizeof ru, NULL);
}

long sys_kill(struct proc *p, const uint32_t *a)
{
    int32_t pid = (int32_t)a[0], sig = (int32_t)a[1];
    if (sig < 0 || sig > NSIG_LINUX)
        return -EINVAL;
    if (pid != p->pid && pid != 0 && pid != -1 && pid != -p->pid)
        return -ESRCH;
    if (sig == 0)
        return 0;
    struct ksiginfo si = { .signo = sig, .code = SI_USER, .pid = p->pid, .uid = (int)getuid() };
    sig_send(p, &si);
    return 0;
}


long sys_rt_sigaction(struct proc *p, const uint32_t *a)
{
    return sig_sys_rt_sigaction(p, (int32_t)a[0], a[1], a[2], a[3]);
}

long sys_rt_sigprocmask(struct proc *p, const uint32_t *a)
{
    return sig_sys_rt_sigprocmask(p, (int32_t)a[0], a[1], a[2], a[3]);
}

long sys_sigaltstack(struct proc *p, const uint32_t *a)
{
    return sig_sys_sigaltstack(p, a[0], a[1]);
}

long sys_rt_sigreturn(struct proc *p, const uint32_t *a)
{
    (void)a;
    return sig_sys_rt_sigreturn(p);
}

long sys_rt_sigpending(struct proc *p, const uint32_t *a)
{
    return sig_sys_rt_sigpending(p, a[0], a[1]);
}

long sys_rt_sigsuspend(struct proc *p, const uint32_t *a)
{
    return sig_sys_rt_sigsuspend(p, a[0], a[1]);
}

/* rt_sigtimedwait_time64(set, info, timeout, size): take a pending signal
 * of set (normally blocked ones) off the queue and return it, without a
 * handler running.  With none pending: wait for the timeout in guest time
 * and return -EAGAIN; with no timeout the process could only wait
 * forever (see sig_wait_forever). */
long sys_rt_sigtimedwait_time64(struct proc *p, const uint32_t *a)
{
    if (a[3] != 8)
        return -EINVAL;
    uint32_t w[2];
    if (vm_copy_in(p, w, a[0], sizeof w, NULL))
        return -EFAULT;
    int64_t timeout = -1;
    if (a[2]) {
        int64_t k[2];
        if (vm_copy_in(p, k, a[2], sizeof k, NULL))
            return -EFAULT;
        int32_t nsec = (int32_t)(uint32_t)k[1];  /* rv32: the low word only */
        if (k[0] < 0 || nsec < 0 || nsec >= 1000000000)
            return -EINVAL;
        timeout = k[0] > 1000000000LL ? INT64_MAX / 2 : k[0] * 1000000000LL + nsec;
    }
    uint64_t set = (uint64_t)w[1] << 32 | w[0];
    long sig = sig_dequeue(p, set, a[1]);
    if (sig)
        return sig;
    /* one in set may come from outside (kernel/hostsig.h): wait for it,
     * and for gdb's Ctrl-C or the view's next frame (kq_wake) */
    while (timeout < 0 && p->opt.host_signals && hostsig_fd() >= 0 && (set & HOSTSIG_SET)) {
        struct pollfd pf[2] = { { .fd = hostsig_fd(), .events = POLLIN } };
        bool dbg = p->dbg.wake_on && p->dbg.wake_fd >= 0;
        if (dbg)
            pf[1] = (struct pollfd){ .fd = p->dbg.wake_fd, .events = POLLIN };
        int r = p->dbg.wake_on && p->dbg.wake_now ? 0 :
                poll(pf, 1 + dbg, p->dbg.wake_on ? p->dbg.wake_ms : -1);
        if (proc_time_up(p))
            return -EINTR;                      /* the run loop ends it */
        if (p->dbg.wake_on && (r == 0 || (dbg && pf[1].revents)) && !pf[0].revents) {
            p->stop_hit |= KQ_STOP_WAKE;        /* made again on the next run */
            return -ERESTARTSYS;
        }
        if (hostsig_drain())
            hostsig_take(p);
        if ((sig = sig_dequeue(p, set, a[1])))
            return sig;
        if (p->sig.pending & ~p->sig.blocked)
            return -EINTR;                      /* another one came: it is delivered */
    }
    if (timeout < 0) {
        sig_wait_forever(p, "rt_sigtimedwait");
        return -EINTR;
    }
    int64_t end = p->opt.real_sleep && p->dbg.wake_on ? sys_sleep_end(p, timeout) : 0;
    for (int64_t left; (left = end ? sys_sleep_woken(p, end) : sys_sleep(p, timeout)) != 0;
         timeout = left) {
        if (left == SLEEP_WAKE)
            return sys_sleep_cut(p, end);       /* gdb or the window: made again */
        hostsig_take(p);                        /* one came while --real-sleep slept */
        if ((sig = sig_dequeue(p, set, a[1])))
            return sig;
        if ((p->sig.pending | p->sig.shared) & ~p->sig.blocked)
            return -EINTR;                      /* another one: it is delivered */
    }
    return -EAGAIN;
}

/* --- time and randomness -------------------------------------------------- */

long sys_getrandom(struct proc *p, const uint32_t *a)
{
    if (a[2] & ~7u)
        return -EINVAL;
    uint32_t len = a[1] > 33554431u ? 33554431u : a[1];
    uint8_t chunk[256];
    uint32_t done = 0;
    while (done < len) {
        uint32_t n = len - done < sizeof chunk ? len - done : (uint32_t)sizeof chunk;
        if (getrandom(chunk, n, 0) != (ssize_t)n)
            for (uint32_t i = 0; i < n; i++)
                chunk[i] = (uint8_t)rand();
        size_t ok;
        if (vm_copy_out(p, a[0] + done, chunk, n, &ok))
            return done + ok ? (long)(done + ok) : -EFAULT;
        done += n;
    }
    return (long)done;
}

/* --- memory ------------------------------------------------------------- */

/* Would `more` bytes of segments stay within RLIMIT_AS (prlimit64)? */
static bool as_allows(const struct proc *p, uint32_t more)
{
    uint64_t lim = p->rlim[9][0];                   /* RLIMIT_AS */
    if (lim == UINT64_MAX)
        return true;
    uint64_t total = more;
    for (int i = 0; i < p->vmas.n; i++)
        total += p->vmas.v[i].end - p->vmas.v[i].start;
    return total <= lim;
}

/* brk never fails with -errno: it returns the new break, or the old one
 * (PLATFORM.md §1.2).  The heap may be in several pieces after mprotect;
 * growth extends the last piece when its permissions are the heap's
 * default, and adds a piece otherwise, as Linux's do_brk_flags merges. */
long sys_brk(struct proc *p, const uint32_t *a)
{
    uint32_t want = a[0];
    p->st.brk_calls++;
    if (want < p->brk_start)
        return p->brk;
    uint32_t oldend = PAGE_UP(p->brk), newend = PAGE_UP(want);
    if (newend < want)                                /* wrapped */
        return p->brk;
    if (newend < oldend) {
        if (vma_split_at(&p->vmas, newend))
            return p->brk;                            /* VMA_MAX: nothing freed */
        vm_unmap_range(p, newend, oldend);
        vma_remove_range(&p->vmas, newend, oldend);
    } else if (newend > oldend) {
        int i = vma_first_above(&p->vmas, oldend);
        if (newend > USER_TOP ||
            (i < p->vmas.n && p->vmas.v[i].start < newend + (p->vmas.v[i].kind == VMA_STACK
                                                             ? STACK_GUARD_GAP : 0)))
            return p->brk;                            /* would hit the next segment */
        if (!as_allows(p, newend - oldend))
            return p->brk;                            /* over RLIMIT_AS */
        unsigned perms = proc_new_segment_perms(p, "heap", oldend, newend, 3);
        struct vma *last = oldend > p->brk_start ? vma_find(&p->vmas, oldend - 1) : NULL;
        if (last && last->kind == VMA_HEAP && last->perms == perms) {
            last->end = newend;
        } else {
            struct vma v = { .start = oldend, .end = newend, .perms = perms,
                             .kind = VMA_HEAP, .name = "heap" };
            if (vma_insert(&p->vmas, &v))
                return p->brk;
        }
    }
    p->brk = want;
    return want;
}

/* Highest free gap of len bytes below MMAP_TOP (top-down first fit), or 0. */
static uint32_t mmap_find_gap(struct proc *p, uint32_t len)
{
    uint32_t hi = MMAP_TOP;
    for (int i = p->vmas.n - 1; i >= 0; i--) {
        const struct vma *v = &p->vmas.v[i];
        if (v->start >= hi)
            continue;
        if (v->end <= hi && hi - v->end >= len)
            return hi - len;
        hi = v->start;
    }
    return (uint64_t)hi >= (uint64_t)MMAP_MIN_ADDR + len ? hi - len : 0;
}

/* Remove [start, end) from the address space.  Returns 0, or -ENOMEM when
 * a segment cannot be split (VMA_MAX): then nothing is unmapped. */
static int unmap(struct proc *p, uint32_t start, uint32_t end)
{
    if (vma_split_at(&p->vmas, start) || vma_split_at(&p->vmas, end))
        return -ENOMEM;
    vm_unmap_range(p, start, end);
    vma_remove_range(&p->vmas, start, end);
    return 0;
}

/* A private mapping of an opened file: the file's bytes are read once and
 * paged in on demand like the program's own segments.  MAP_SHARED is
 * accepted read-only (one process: the same as private); writable shared
 * mappings are refused with -ENODEV, since stores would not reach the file. */
static long map_file(struct proc *p, int32_t gfd, uint32_t pgoff, uint32_t len, uint32_t prot,
                     uint32_t flags, struct vma_file **out, uint32_t *file_off, uint32_t *filesz)
{
    int fd = gfd >= 0 ? sys_host_fd(p, (uint32_t)gfd) : -1;
    if (fd < 0)
        return -EBADF;
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -EBADF;
    if ((fl & O_ACCMODE) == O_WRONLY)
        return -EACCES;
    if ((flags & MAP_TYPE) == MAP_SHARED && (prot & 2))
        return -ENODEV;
    if (pgoff > (UINT32_MAX >> PAGE_SHIFT))
        return -ENOMEM;
    /* The file's bytes are vmlab's own memory: charged before they are
     * read (a file that grows meanwhile is refused, -EFBIG). */
    struct stat st;
    if (fstat(fd, &st) != 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return -ENODEV;
    if ((uint64_t)st.st_size > MAP_FILE_MAX || !hostmem_charge(&p->hm, HOSTMEM_FILES,
                                                              (size_t)st.st_size))
        return -ENOMEM;
    uint8_t *data;
    size_t got;
    int rc = file_read_fd(fd, (size_t)st.st_size, &data, &got);
    if (rc)
        hostmem_release(&p->hm, HOSTMEM_FILES, (size_t)st.st_size);
    if (rc)
        return rc == -EFBIG ? -ENOMEM : rc == -EISDIR || rc == -EINVAL ? -ENODEV : rc;
    if (got < (size_t)st.st_size)                  /* it shrank meanwhile */
        hostmem_release(&p->hm, HOSTMEM_FILES, (size_t)st.st_size - got);
    char link[64], name[4096] = "(an opened file)";
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, name, sizeof name - 1);
    if (n > 0)
        name[n] = 0;
    *out = vma_file_new(name, data, (uint32_t)got, &p->hm);
    if (!*out)
        return -ENOMEM;
    *file_off = pgoff << PAGE_SHIFT;
    uint32_t avail = *file_off < (*out)->size ? (*out)->size - *file_off : 0;
    *filesz = avail < len ? avail : len;
    return 0;
}

long sys_mmap2(struct proc *p, const uint32_t *a)
{
    uint32_t addr = a[0], len = a[1], prot = a[2], flags = a[3];
    int32_t fd = (int32_t)a[4];
    p->st.mmap_calls++;
    if (len == 0 || (flags & MAP_TYPE) == 0 || (flags & MAP_TYPE) > MAP_PRIVATE)
        return -EINVAL;
    if (prot & ~PROT_MASK)
        return -EINVAL;
    struct vma_file *file = NULL;
    uint32_t file_off = 0, filesz = 0;
    if (!(flags & MAP_ANONYMOUS)) {
        long rc = map_file(p, fd, a[5], len, prot, flags, &file, &file_off, &filesz);
        if (rc)
            return rc;
    }
    uint32_t size = PAGE_UP(len);
    if (size < len || size == 0 || !as_allows(p, size)) {
        vma_file_put(file);
        return -ENOMEM;
    }
    bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
    long err = 0;
    if (fixed) {
        if (addr & PAGE_MASK)
            err = -EINVAL;
        else if (addr < MMAP_MIN_ADDR)
            err = -EPERM;
        else if ((uint64_t)addr + size > USER_TOP)
            err = -ENOMEM;
        else if (vma_overlaps(&p->vmas, addr, addr + size)) {
            if (flags & MAP_FIXED_NOREPLACE)
                err = -EEXIST;
            else
                err = unmap(p, addr, addr + size);
        }
    } else {
        addr = PAGE_DOWN(addr);
        if (!(addr >= MMAP_MIN_ADDR && (uint64_t)addr + size <= MMAP_TOP &&
              !vma_overlaps(&p->vmas, addr, addr + size)))
            addr = mmap_find_gap(p, size);
        if (!addr)
            err = -ENOMEM;
    }
    if (err) {
        vma_file_put(file);
        return err;
    }
    struct vma v = { .start = addr, .end = addr + size,
                     .perms = proc_new_segment_perms(p, "mmap", addr, addr + size, prot),
                     .kind = file ? VMA_FILE : VMA_ANON, .name = "mmap",
                     .file_off = file_off, .filesz = filesz, .file = file };
    if (vma_insert(&p->vmas, &v))
        return -ENOMEM;
    vma_merge_range(&p->vmas, addr, addr + size);
    return (long)addr;
}

long sys_munmap(struct proc *p, const uint32_t *a)
{
    uint32_t addr = a[0], size = PAGE_UP(a[1]);
    if ((addr & PAGE_MASK) || a[1] == 0 || size < a[1] || (uint64_t)addr + size > 0x100000000ull)
        return -EINVAL;
    return unmap(p, addr, addr + size);
}

long sys_mprotect(struct proc *p, const uint32_t *a)
{
    uint32_t addr = a[0], size = PAGE_UP(a[1]);
    if ((addr & PAGE_MASK) || size < a[1] || (uint64_t)addr + size > 0x100000000ull)
        return -EINVAL;
    if (a[2] & ~PROT_MASK)
        return -EINVAL;
    if (size == 0)
        return 0;
    return vma_protect(p, addr, addr + size, a[2]);
}

#define MREMAP_MAYMOVE   1u
#define MREMAP_FIXED     2u
#define MREMAP_DONTUNMAP 4u

/* mremap(old, old_len, new_len, flags, new_addr) for the mmap areas:
 * shrink in place, grow in place when the pages above are free, or (with
 * MREMAP_MAYMOVE) move the pages, frames and all, to a new place
 * (MREMAP_FIXED: new_addr).  MREMAP_DONTUNMAP and old_len 0 (which
 * duplicates shared mappings) are refused with -EINVAL: every mapping here
 * is private. */
long sys_mremap(struct proc *p, const uint32_t *a)
{
    uint32_t old = a[0], old_len = PAGE_UP(a[1]), new_len = PAGE_UP(a[2]), flags = a[3];
    uint32_t target = a[4];
    if ((old & PAGE_MASK) || (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED)) ||
        ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)))
        return -EINVAL;
    if (new_len == 0 || new_len < a[2] || old_len == 0 || old_len < a[1])
        return -EINVAL;
    struct vma *v = vma_find(&p->vmas, old);
    if (!v || (uint64_t)old + old_len > v->end)
        return -EFAULT;
    if (v->kind != VMA_ANON && v->kind != VMA_FILE)
        return -EFAULT;                             /* only mmap areas move */
    if (v->kind == VMA_FILE && !v->file)
        return -EFAULT;                             /* the program's own segments */
    if (flags & MREMAP_FIXED) {
        if ((target & PAGE_MASK) || target < MMAP_MIN_ADDR || (uint64_t)target + new_len > USER_TOP)
            return -EINVAL;
        if (target < old + old_len && old < target + new_len)
            return -EINVAL;                         /* overlapping */
    } else if (new_len <= old_len) {
        unmap(p, old + new_len, old + old_len);     /* shrink */
        return (long)old;
    } else if (old + old_len == v->end && (uint64_t)old + new_len <= MMAP_TOP &&
               !vma_overlaps(&p->vmas, v->end, old + new_len)) {
        if (!as_allows(p, new_len - old_len))
            return -ENOMEM;
        v->end = old + new_len;                     /* grow in place */
        return (long)old;
    } else if (!(flags & MREMAP_MAYMOVE)) {
        return -ENOMEM;
    }
    if (!as_allows(p, new_len > old_len ? new_len - old_len : 0))
        return -ENOMEM;
    if (vma_split_at(&p->vmas, old) || vma_split_at(&p->vmas, old + old_len))
        return -ENOMEM;
    v = vma_find(&p->vmas, old);
    if (flags & MREMAP_FIXED)
        unmap(p, target, target + new_len);
    else if (!(target = mmap_find_gap(p, new_len)))
        return -ENOMEM;
    struct vma nv = *v;
    nv.start = target;
    nv.end = target + new_len;
    uint32_t keep = old_len < new_len ? old_len : new_len;
    if (nv.file)
        nv.file->refs++;                            /* the copy's own reference */
    if (vm_move_range(p, old, target, keep)) {
        vma_file_put(nv.file);
        return -ENOMEM;
    }
    unmap(p, old, old + old_len);                   /* frees what did not move */
    if (vma_insert(&p->vmas, &nv))
        return -ENOMEM;
    vma_merge_range(&p->vmas, target, target + new_len);
    return (long)target;
}

/* The pages of [addr, addr+len) all belong to segments: 0, or -ENOMEM
 * (what Linux's madvise, msync and mincore say about a hole). */
static long range_mapped(struct proc *p, uint32_t addr, uint32_t end)
{
    for (uint32_t va = addr; va < end;) {
        struct vma *v = vma_find(&p->vmas, va);
        if (!v)
            return -ENOMEM;
        va = v->end;
    }
    return 0;
}

#define MS_ASYNC      1u
#define MS_INVALIDATE 2u
#define MS_SYNC       4u

/* Every mapping is private (or shared read-only): there is nothing to
 * write back, so msync only checks its arguments. */
long sys_msync(struct proc *p, const uint32_t *a)
{
    uint32_t addr = a[0], end = addr + PAGE_UP(a[1]);
    if ((addr & PAGE_MASK) || (a[2] & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        (a[2] & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC) || end < addr)
        return -EINVAL;
    return range_mapped(p, addr, end);
}

/* Is the page at va in physical memory now?  One place for the question,
 * so that swap (a PTE naming a swap slot) has one place to answer it. */
static bool page_resident(struct proc *p, uint32_t va)
{
    return vm_frame_of(p, va) != UINT32_MAX;
}

/* mincore(addr, len, vec): one byte per page, 1 if the page has a frame
 * (mapped or parked), 0 if it was never touched (or was dropped). */
long sys_mincore(struct proc *p, const uint32_t *a)
{
    uint32_t addr = a[0], end = addr + PAGE_UP(a[1]);
    if (addr & PAGE_MASK)
        return -EINVAL;
    if (end < addr || (a[1] && !PAGE_UP(a[1])))
        return -ENOMEM;                         /* past the top: Linux's access_ok */
    long rc = range_mapped(p, addr, end);
    if (rc)
        return rc;
    uint8_t chunk[256];
    for (uint32_t va = addr, done = 0; va < end;) {
        uint32_t n = 0;
        for (; n < sizeof chunk && va < end; n++, va += PAGE_SIZE)
            chunk[n] = page_resident(p, va);
        if (vm_copy_out(p, a[2] + done, chunk, n, NULL))
            return -EFAULT;
        done += n;
    }
    return 0;
}

#define MADV_NORMAL     0u
#define MADV_RANDOM     1u
#define MADV_SEQUENTIAL 2u
#define MADV_WILLNEED   3u
#define MADV_DONTNEED   4u
#define MADV_FREE       8u

/* madvise: MADV_DONTNEED gives the frames back at once (the next touch
 * zero-fills an anonymous page, refills a file page); the other advice
 * vmlab takes is accepted and changes nothing.  A hole in the range is
 * -ENOMEM, after the mapped parts are handled (as Linux). */
long sys_madvise(struct proc *p, const uint32_t *a)
{
    uint32_t addr = a[0], end = addr + PAGE_UP(a[1]);
    if ((addr & PAGE_MASK) || end < addr || (a[1] && !PAGE_UP(a[1])))
        return -EINVAL;                         /* a length that wraps, as Linux */
    switch (a[2]) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
    case MADV_FREE:
        break;
    case MADV_DONTNEED:
        for (uint32_t va = addr; va < end;) {
            struct vma *v = vma_find(&p->vmas, va);
            if (!v) {
                int i = vma_first_above(&p->vmas, va);
                if (i >= p->vmas.n)
                    break;
                va = p->vmas.v[i].start;
                continue;
            }
            uint32_t stop = v->end < end ? v->end : end;
            vm_unmap_range(p, va, stop);
            va = stop;
        }
        break;
    default:
        return -EINVAL;
    }
    return range_mapped(p, addr, end);
}

/* --- dispatch and trace ------------------------------------------------- */

const char *syscall_name(uint32_t nr)
{
    switch (nr) {
#define X(name, nr_, nargs, kinds) case nr_: return #name;
    SYSCALL_LIST(X)
#undef X
    default: return NULL;
    }
}

const char *errno_name(long e)
{
    /* x86-64 Linux numbers errors as asm-generic does, so the host's
     * constants are the guest's. */
    static const char *const names[] = {
        [EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH", [EINTR] = "EINTR",
        [EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG", [ENOEXEC] = "ENOEXEC",
        [EBADF] = "EBADF", [ECHILD] = "ECHILD", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
        [EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY", [EEXIST] = "EEXIST",
        [EXDEV] = "EXDEV", [ENODEV] = "ENODEV", [ENOTDIR] = "ENOTDIR", [EISDIR] = "EISDIR",
        [EINVAL] = "EINVAL", [ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
        [EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ESPIPE] = "ESPIPE", [EROFS] = "EROFS",
        [EMLINK] = "EMLINK", [EPIPE] = "EPIPE", [EDOM] = "EDOM", [ERANGE] = "ERANGE",
        [EDEADLK] = "EDEADLK", [ENAMETOOLONG] = "ENAMETOOLONG", [ENOSYS] = "ENOSYS",
        [ENOTEMPTY] = "ENOTEMPTY", [ELOOP] = "ELOOP", [EOVERFLOW] = "EOVERFLOW",
        [EOPNOTSUPP] = "EOPNOTSUPP",
    };
    return e > 0 && e < (long)(sizeof names / sizeof *names) ? names[e] : NULL;
}

void syscall_dispatch(struct proc *p)
{
    uint32_t *x = p->cpu.x;
    uint32_t nr = x[17];
    uint32_t a[6] = { x[10], x[11], x[12], x[13], x[14], x[15] };
    const char *kinds = NULL;
    long ret;
    p->st.syscalls++;
    p->cpu.pc += 4;                         /* resume after the ecall */
    switch (nr) {
#define X(name, nr_, nargs_, kinds_) case nr_: kinds = kinds_; ret = sys_##name(p, a); break;
    SYSCALL_LIST(X)
#undef X
    default:
        ret = -ENOSYS;
        break;
    }
    if (p->th.t[p->th.cur]->state == THREAD_IO) {
        p->st.syscalls--;                       /* made again, and counted and traced, */
        return;                                 /* once its fd is ready */
    }
    if (unlikely(ret == -ERESTARTSYS)) {        /* a signal came while it waited */
        if (sig_restarts(p)) {
            p->cpu.pc -= 4;                     /* made again after the signal, as */
            p->st.syscalls--;                   /* Linux's do_signal and handle_signal */
            return;                             /* do it: a0 still holds its argument */
        }
        ret = -EINTR;
    }
    systrace_call(p, nr, a, kinds, ret);
    if (p->events) {
        const char *name = syscall_name(nr);
        proc_event(p, KQ_EV_SYSCALL, 0, "%s%s(0x%x, 0x%x, 0x%x) = %ld", name ? "" : "syscall ",
                   name ? name : "?", a[0], a[1], a[2], ret);
        if (p->state == PROC_EXITED)
            proc_event(p, KQ_EV_EXIT, 0, "exited with status %d", p->exit_code);
    }
    if (p->state == PROC_RUNNING)
        x[10] = (uint32_t)ret;
}
