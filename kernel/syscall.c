/* kernel/syscall.c — system calls: I/O, memory (brk, mmap, munmap,
 * mprotect), identity, time and randomness; the signal calls live in
 * kernel/signal.c.  Every guest pointer is reached through vm_copy_*, so a
 * bad pointer is -EFAULT, never a host crash. */
#include "kernel/syscall.h"

#include <errno.h>
#include <fcntl.h>
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
#include "kernel/proc.h"
#include "kernel/query.h"
#include "kernel/signal.h"
#include "kernel/syscalls.def"
#include "kernel/vm.h"

#define PROT_MASK        7u
#define MAP_SHARED       0x01u
#define MAP_PRIVATE      0x02u
#define MAP_TYPE         0x0fu
#define MAP_FIXED        0x10u
#define MAP_ANONYMOUS    0x20u
#define MAP_FIXED_NOREPLACE 0x100000u

typedef long sys_fn(struct proc *p, const uint32_t *a);

/* --- I/O --------------------------------------------------------------- */

/* Write guest bytes [buf, buf+len) to host fd, page by page.  Returns the
 * count written, or -EFAULT if the first byte is unreadable. */
static long write_user(struct proc *p, int fd, uint32_t buf, uint32_t len)
{
    uint8_t chunk[PAGE_SIZE];
    uint32_t done = 0;
    while (done < len) {
        uint32_t n = PAGE_SIZE - VA_OFFSET(buf + done);
        if (n > len - done)
            n = len - done;
        if (vm_copy_in(p, chunk, buf + done, n, NULL))
            return done ? (long)done : -EFAULT;
        uint32_t w = 0;
        while (w < n) {
            ssize_t r = write(fd, chunk + w, n - w);
            if (r < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EPIPE) {          /* Linux: EPIPE and SIGPIPE */
                    struct ksiginfo si = { .signo = SIGPIPE, .code = SI_USER, .pid = p->pid };
                    sig_send(p, &si);
                }
                return done + w ? (long)(done + w) : -errno;
            }
            w += (uint32_t)r;
        }
        done += n;
    }
    return (long)done;
}

/* The host fd behind guest fd, or -1. */
static int host_fd(const struct proc *p, uint32_t fd)
{
    return fd < PROC_FDS ? p->fds[fd] : -1;
}

static long sys_write(struct proc *p, const uint32_t *a)
{
    int fd = host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    return write_user(p, fd, a[1], a[2]);
}

static long sys_writev(struct proc *p, const uint32_t *a)
{
    int fd = host_fd(p, a[0]);
    int32_t cnt = (int32_t)a[2];
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
    long done = 0;
    for (int i = 0; i < cnt; i++) {
        if (!iov[2 * i + 1])
            continue;
        long r = write_user(p, fd, iov[2 * i], iov[2 * i + 1]);
        if (r < 0)
            return done ? done : r;
        done += r;
        if ((uint32_t)r < iov[2 * i + 1])
            break;
    }
    return done;
}

static long sys_read(struct proc *p, const uint32_t *a)
{
    int fd = host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    uint32_t len = a[2] > (1u << 20) ? (1u << 20) : a[2];
    if (len == 0)
        return 0;
    if (vm_probe(p, a[1], len, ACC_STORE))
        return -EFAULT;                        /* before any input is consumed */
    uint8_t *tmp = malloc(len);
    if (!tmp)
        return -ENOMEM;
    size_t ok = 0;
    ssize_t r;
    do
        r = read(fd, tmp, len);
    while (r < 0 && errno == EINTR);
    long ret = r < 0 ? -errno : r;
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

static long sys_openat(struct proc *p, const uint32_t *a)
{
    char path[4096];
    long n = vm_copy_str(p, path, a[1], sizeof path);
    if (n < 0)
        return n;
    int dirfd = (int32_t)a[0] == -100 ? AT_FDCWD : host_fd(p, a[0]);
    if (dirfd == -1)
        return -EBADF;
    int slot = 0;
    while (slot < PROC_FDS && p->fds[slot] >= 0)
        slot++;
    if (slot == PROC_FDS)
        return -EMFILE;
    int fd = openat(dirfd, path, open_flags(a[2]) | O_CLOEXEC, (mode_t)(a[3] & 07777));
    if (fd < 0)
        return -errno;
    p->fds[slot] = fd;
    return slot;
}

static long sys_close(struct proc *p, const uint32_t *a)
{
    int fd = host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    p->fds[a[0]] = -1;
    if (a[0] > 2)                             /* the host's own stdio stays open */
        close(fd);
    return 0;
}

/* The kernel's struct termios (asm-generic termbits, 36 bytes): four
 * flag words, c_line, c_cc[19].  x86-64 Linux uses the same layout and
 * values, so the host's fields carry over one to one. */
#define KTERMIOS_SIZE 36
#define KNCCS         19

static void termios_to_k(const struct termios *t, uint8_t k[KTERMIOS_SIZE])
{
    uint32_t w[4] = { t->c_iflag, t->c_oflag, t->c_cflag, t->c_lflag };
    memcpy(k, w, sizeof w);
    k[16] = t->c_line;
    memcpy(k + 17, t->c_cc, KNCCS);
}

static void termios_from_k(const uint8_t k[KTERMIOS_SIZE], struct termios *t)
{
    uint32_t w[4];
    memcpy(w, k, sizeof w);
    t->c_iflag = w[0], t->c_oflag = w[1], t->c_cflag = w[2], t->c_lflag = w[3];
    t->c_line = k[16];
    memcpy(t->c_cc, k + 17, KNCCS);
}

/* The terminal ioctls a C library uses: TCGETS (isatty, tcgetattr),
 * TCSETS/TCSETSW/TCSETSF (tcsetattr), TIOCGWINSZ, FIONREAD.  Anything
 * else, or any of them on a non-terminal, is -ENOTTY, as Linux says. */
static long sys_ioctl(struct proc *p, const uint32_t *a)
{
    int fd = host_fd(p, a[0]);
    if (fd < 0)
        return -EBADF;
    switch (a[1]) {
    case 0x5401: {                                      /* TCGETS */
        struct termios t;
        uint8_t k[KTERMIOS_SIZE];
        if (tcgetattr(fd, &t) != 0)
            return -ENOTTY;
        termios_to_k(&t, k);
        return vm_copy_out(p, a[2], k, sizeof k, NULL);
    }
    case 0x5402: case 0x5403: case 0x5404: {           /* TCSETS, TCSETSW, TCSETSF */
        struct termios t;
        uint8_t k[KTERMIOS_SIZE];
        if (tcgetattr(fd, &t) != 0)
            return -ENOTTY;
        if (vm_copy_in(p, k, a[2], sizeof k, NULL))
            return -EFAULT;
        termios_from_k(k, &t);
        int how = a[1] == 0x5402 ? TCSANOW : a[1] == 0x5403 ? TCSADRAIN : TCSAFLUSH;
        return tcsetattr(fd, how, &t) ? -errno : 0;
    }
    case 0x5413: {                                      /* TIOCGWINSZ */
        struct winsize ws;
        if (ioctl(fd, TIOCGWINSZ, &ws) != 0)
            return -ENOTTY;
        uint16_t k[4] = { ws.ws_row, ws.ws_col, ws.ws_xpixel, ws.ws_ypixel };
        return vm_copy_out(p, a[2], k, sizeof k, NULL);
    }
    case 0x541b: {                                      /* FIONREAD */
        int n;
        if (ioctl(fd, FIONREAD, &n) != 0)
            return -errno;
        int32_t k = n;
        return vm_copy_out(p, a[2], &k, sizeof k, NULL);
    }
    default:
        return -ENOTTY;
    }
}

/* _llseek(fd, offset_high, offset_low, loff_t *result, whence) */
static long sys_llseek(struct proc *p, const uint32_t *a)
{
    int fd = host_fd(p, a[0]);
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

static long sys_exit(struct proc *p, const uint32_t *a)
{
    p->state = PROC_EXITED;
    p->exit_code = (int)(a[0] & 0xff);
    return 0;
}

static long sys_exit_group(struct proc *p, const uint32_t *a)
{
    return sys_exit(p, a);
}

static long sys_getpid(struct proc *p, const uint32_t *a)
{
    (void)a;
    return p->pid;
}

static long sys_gettid(struct proc *p, const uint32_t *a)
{
    return sys_getpid(p, a);
}

static long sys_set_tid_address(struct proc *p, const uint32_t *a)
{
    p->clear_child_tid = a[0];
    return p->pid;
}

static long sys_uname(struct proc *p, const uint32_t *a)
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
static long sys_getrusage(struct proc *p, const uint32_t *a)
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
    }
    return vm_copy_out(p, a[1], ru, sizeof ru, NULL);
}

static long sys_kill(struct proc *p, const uint32_t *a)
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

static long sys_tgkill(struct proc *p, const uint32_t *a)
{
    int32_t tgid = (int32_t)a[0], tid = (int32_t)a[1], sig = (int32_t)a[2];
    if (sig < 0 || sig > NSIG_LINUX || tgid <= 0 || tid <= 0)
        return -EINVAL;
    if (tgid != p->pid || tid != p->pid)
        return -ESRCH;
    if (sig == 0)
        return 0;
    struct ksiginfo si = { .signo = sig, .code = SI_TKILL, .pid = p->pid, .uid = (int)getuid() };
    sig_send(p, &si);
    return 0;
}

static long sys_rt_sigaction(struct proc *p, const uint32_t *a)
{
    return sig_sys_rt_sigaction(p, (int32_t)a[0], a[1], a[2], a[3]);
}

static long sys_rt_sigprocmask(struct proc *p, const uint32_t *a)
{
    return sig_sys_rt_sigprocmask(p, (int32_t)a[0], a[1], a[2], a[3]);
}

static long sys_sigaltstack(struct proc *p, const uint32_t *a)
{
    return sig_sys_sigaltstack(p, a[0], a[1]);
}

static long sys_rt_sigreturn(struct proc *p, const uint32_t *a)
{
    (void)a;
    return sig_sys_rt_sigreturn(p);
}

/* --- time and randomness -------------------------------------------------- */

static long sys_clock_gettime64(struct proc *p, const uint32_t *a)
{
    static const clockid_t ids[] = {
        CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID,
        CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
    };
    if (a[0] >= sizeof ids / sizeof ids[0])
        return -EINVAL;
    struct timespec ts;
    if (clock_gettime(ids[a[0]], &ts) != 0)
        return -EINVAL;
    int64_t out[2] = { (int64_t)ts.tv_sec, (int64_t)ts.tv_nsec };
    return vm_copy_out(p, a[1], out, sizeof out, NULL);
}

static long sys_getrandom(struct proc *p, const uint32_t *a)
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

/* brk never fails with -errno: it returns the new break, or the old one
 * (PLATFORM.md §1.2).  The heap may be in several pieces after mprotect;
 * growth extends the last piece when its permissions are the heap's
 * default, and adds a piece otherwise, as Linux's do_brk_flags merges. */
static long sys_brk(struct proc *p, const uint32_t *a)
{
    uint32_t want = a[0];
    p->st.brk_calls++;
    if (want < p->brk_start)
        return p->brk;
    uint32_t oldend = PAGE_UP(p->brk), newend = PAGE_UP(want);
    if (newend < want)                                /* wrapped */
        return p->brk;
    if (newend < oldend) {
        vm_unmap_range(p, newend, oldend);
        if (vma_split_at(&p->vmas, newend) == 0)
            vma_remove_range(&p->vmas, newend, oldend);
    } else if (newend > oldend) {
        int i = vma_first_above(&p->vmas, oldend);
        if (newend > USER_TOP ||
            (i < p->vmas.n && p->vmas.v[i].start < newend + (p->vmas.v[i].kind == VMA_STACK
                                                             ? STACK_GUARD_GAP : 0)))
            return p->brk;                            /* would hit the next segment */
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

static void unmap(struct proc *p, uint32_t start, uint32_t end)
{
    if (vma_split_at(&p->vmas, start) == 0 && vma_split_at(&p->vmas, end) == 0) {
        vm_unmap_range(p, start, end);
        vma_remove_range(&p->vmas, start, end);
    }
}

/* A private mapping of an opened file: the file's bytes are read once and
 * paged in on demand like the program's own segments.  MAP_SHARED is
 * accepted read-only (one process: the same as private); writable shared
 * mappings are refused with -ENODEV, since stores would not reach the file. */
static long map_file(struct proc *p, int32_t gfd, uint32_t pgoff, uint32_t len, uint32_t prot,
                     uint32_t flags, struct vma_file **out, uint32_t *file_off, uint32_t *filesz)
{
    int fd = gfd >= 0 ? host_fd(p, (uint32_t)gfd) : -1;
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
    uint8_t *data;
    size_t got;
    int rc = file_read_fd(fd, 256u << 20, &data, &got);
    if (rc)
        return rc == -EFBIG ? -ENOMEM : rc == -EISDIR || rc == -EINVAL ? -ENODEV : rc;
    char link[64], name[4096] = "(an opened file)";
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, name, sizeof name - 1);
    if (n > 0)
        name[n] = 0;
    *out = vma_file_new(name, data, (uint32_t)got);
    if (!*out)
        return -ENOMEM;
    *file_off = pgoff << PAGE_SHIFT;
    uint32_t avail = *file_off < (*out)->size ? (*out)->size - *file_off : 0;
    *filesz = avail < len ? avail : len;
    return 0;
}

static long sys_mmap2(struct proc *p, const uint32_t *a)
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
    if (size < len || size == 0)
        return -ENOMEM;
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
                unmap(p, addr, addr + size);
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

static long sys_munmap(struct proc *p, const uint32_t *a)
{
    uint32_t addr = a[0], size = PAGE_UP(a[1]);
    if ((addr & PAGE_MASK) || a[1] == 0 || size < a[1] || (uint64_t)addr + size > 0x100000000ull)
        return -EINVAL;
    unmap(p, addr, addr + size);
    return 0;
}

static long sys_mprotect(struct proc *p, const uint32_t *a)
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

/* --- dispatch and trace ------------------------------------------------- */

const char *syscall_name(uint32_t nr)
{
    switch (nr) {
#define X(name, nr_, nargs) case nr_: return #name;
    SYSCALL_LIST(X)
#undef X
    default: return NULL;
    }
}

const char *errno_name(long e)
{
    switch (e) {
    case EPERM: return "EPERM";   case ENOENT: return "ENOENT"; case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";   case EIO: return "EIO";       case E2BIG: return "E2BIG";
    case EBADF: return "EBADF";   case EAGAIN: return "EAGAIN"; case ENOMEM: return "ENOMEM";
    case EACCES: return "EACCES"; case EFAULT: return "EFAULT"; case EEXIST: return "EEXIST";
    case ENODEV: return "ENODEV"; case EINVAL: return "EINVAL"; case ENOSYS: return "ENOSYS";
    case ENAMETOOLONG: return "ENAMETOOLONG"; case EPIPE: return "EPIPE";
    case ENOTTY: return "ENOTTY";
    default: return NULL;
    }
}

static void trace_call(struct proc *p, uint32_t nr, const uint32_t *a, int nargs, long ret)
{
    FILE *t = proc_trace(p, TRACE_SYSCALL);
    if (!t)
        return;
    const char *name = syscall_name(nr);
    if (name)
        fprintf(t, "[syscall] %s(", name);
    else
        fprintf(t, "[syscall] syscall_%u(", nr);
    for (int i = 0; i < nargs; i++) {
        /* write/writev: show the text, as strace does */
        if (i == 1 && nr == 64 && ret >= 0) {
            char buf[40];
            size_t n = a[2] < 32 ? a[2] : 32, got = 0;
            vm_copy_in(p, buf, a[1], n, &got);
            fputs(", \"", t);
            for (size_t k = 0; k < got; k++) {
                unsigned char ch = (unsigned char)buf[k];
                if (ch == '\n') fputs("\\n", t);
                else if (ch == '"' || ch == '\\') fprintf(t, "\\%c", ch);
                else if (ch >= 32 && ch < 127) fputc(ch, t);
                else fprintf(t, "\\x%02x", ch);
            }
            fprintf(t, "\"%s", a[2] > 32 ? "..." : "");
            continue;
        }
        int32_t v = (int32_t)a[i];
        if (v > -4096 && v < 4096)
            fprintf(t, "%s%d", i ? ", " : "", (int)v);
        else
            fprintf(t, "%s0x%x", i ? ", " : "", (unsigned)v);
    }
    if (nr == 93 || nr == 94) {
        fprintf(t, ") = ?\n");
    } else if (ret < 0 && ret > -4096) {
        const char *en = errno_name(-ret);
        fprintf(t, ") = -1 %s (%s)\n", en ? en : "?", strerror((int)-ret));
    } else {
        if (ret < 4096)
            fprintf(t, ") = %ld\n", ret);
        else
            fprintf(t, ") = 0x%lx\n", (unsigned long)(uint32_t)ret);
    }
}

void syscall_dispatch(struct proc *p)
{
    uint32_t *x = p->cpu.x;
    uint32_t nr = x[17];
    uint32_t a[6] = { x[10], x[11], x[12], x[13], x[14], x[15] };
    int nargs = 6;
    long ret;
    p->st.syscalls++;
    p->cpu.pc += 4;                         /* resume after the ecall */
    switch (nr) {
#define X(name, nr_, nargs_) case nr_: nargs = nargs_; ret = sys_##name(p, a); break;
    SYSCALL_LIST(X)
#undef X
    default:
        nargs = 0;
        ret = -ENOSYS;
        break;
    }
    trace_call(p, nr, a, nargs, ret);
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
