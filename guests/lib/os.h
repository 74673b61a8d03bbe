/* os.h — what the OS layer's files share (not installed for programs).
 *
 * The boundary: programs and picolibc's libc.a speak picolibc's numbering
 * (its errno values, O_* flags, AT_* flags, clock ids, F_* commands, all
 * inherited from newlib); the kernel speaks Linux's.  Every system call
 * wrapper converts at this boundary, in one place each, with the tables in
 * lib/abi.c.  Signal numbers, mmap flags, ioctls and the structures in
 * vmlab's own headers (signal.h, sys/mman.h, sys/resource.h, termios.h)
 * are Linux's already and pass through unchanged. */
#ifndef VMLAB_GUEST_OS_H
#define VMLAB_GUEST_OS_H

#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>

/* Linux's values where they differ from picolibc's (asm-generic). */
#define LINUX_AT_FDCWD            (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_REMOVEDIR        0x200
#define LINUX_AT_EACCESS          0x200
#define LINUX_AT_SYMLINK_FOLLOW   0x400
#define LINUX_AT_EMPTY_PATH       0x1000
#define LINUX_O_CLOEXEC           0x80000
#define LINUX_F_DUPFD_CLOEXEC     1030
#define LINUX_EINTR               4
#define LINUX_EAGAIN              11
#define LINUX_ENOSYS              38

/* The kernel's struct __kernel_timespec: two 64-bit words (rv32 has only
 * the time64 calls). */
struct ktimespec {
    int64_t tv_sec;
    int64_t tv_nsec;
};

/* The kernel's struct statx (include/uapi/linux/stat.h): 256 bytes, the
 * same on every architecture.  The only stat call an rv32 kernel has. */
struct kstatx_time {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t reserved;
};
struct kstatx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct kstatx_time atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};
_Static_assert(sizeof(struct kstatx) == 256, "struct statx is 256 bytes");
_Static_assert(__builtin_offsetof(struct kstatx, ino) == 32, "stx_ino at 32");
_Static_assert(__builtin_offsetof(struct kstatx, atime) == 64, "stx_atime at 64");
_Static_assert(__builtin_offsetof(struct kstatx, rdev_major) == 128, "stx_rdev at 128");
#define KSTATX_BASIC_STATS 0x7ffu

/* A raw result in -4095..-1 becomes -1 with errno set (picolibc's number
 * for the Linux one); anything else is returned as it is. */
long __vmlab_ret(long raw);

/* Linux errno -> picolibc errno (unknown numbers become EIO). */
int __vmlab_errno(int linux_errno);

/* picolibc O_* flags <-> Linux's, AT_* flags -> Linux's, dirfd. */
int __vmlab_oflags_to_linux(int flags);
int __vmlab_oflags_from_linux(int flags);
int __vmlab_atflags_to_linux(int flags);
int __vmlab_dirfd(int dirfd);

/* picolibc clockid_t -> Linux clock id, or -1 for one Linux lacks. */
int __vmlab_clockid(clockid_t clk);

/* struct timespec <-> the kernel's. */
void __vmlab_ts_to_k(const struct timespec *ts, struct ktimespec *k);
void __vmlab_ts_from_k(const struct ktimespec *k, struct timespec *ts);

/* Flush every open stream (stdio.c); for exit and abort. */
void __vmlab_stdio_flush_all(void);

/* ---- atomics, futexes and the lock everything shares (futex.c) ------------
 *
 * Threads need the A extension: an rv32im build has no atomic
 * instruction, so there pthread_create fails (ENOSYS) and only one thread
 * ever runs; the helpers below then are plain loads and stores, which is
 * exact for one thread. */
#ifdef __riscv_atomic
#define VMLAB_HAVE_THREADS 1
static inline int __vmlab_cas(volatile int *p, int old, int new_)
{
    __atomic_compare_exchange_n(p, &old, new_, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    return old;                         /* the value found */
}
static inline int __vmlab_xchg(volatile int *p, int v)
{
    return __atomic_exchange_n(p, v, __ATOMIC_ACQ_REL);
}
static inline int __vmlab_fetch_add(volatile int *p, int v)
{
    return __atomic_fetch_add(p, v, __ATOMIC_ACQ_REL);
}
static inline int __vmlab_load(volatile int *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void __vmlab_store(volatile int *p, int v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
#else
#define VMLAB_HAVE_THREADS 0
static inline int __vmlab_cas(volatile int *p, int old, int new_)
{
    int v = *p;
    if (v == old)
        *p = new_;
    return v;
}
static inline int __vmlab_xchg(volatile int *p, int v)
{
    int o = *p;
    *p = v;
    return o;
}
static inline int __vmlab_fetch_add(volatile int *p, int v)
{
    int o = *p;
    *p = o + v;
    return o;
}
static inline int __vmlab_load(volatile int *p) { return *p; }
static inline void __vmlab_store(volatile int *p, int v) { *p = v; }
#endif

/* This thread's identity for lock owners: tp, the address of its TLS
 * block, unique among the live threads and never 0 once crt0 ran. */
static inline void *__vmlab_tp(void)
{
    void *tp;
    __asm__("mv %0, tp" : "=r"(tp));
    return tp;
}

/* futex_time64 (rv32 has no plain futex; docs/platform/threads.md). */
#define LINUX_NR_futex_time64   422
#define LINUX_FUTEX_WAIT        0
#define LINUX_FUTEX_WAKE        1
#define LINUX_FUTEX_WAIT_BITSET 9
#define LINUX_FUTEX_PRIVATE     128
#define LINUX_FUTEX_CLOCK_REALTIME 256
#define LINUX_ETIMEDOUT         110

/* Sleep while *word == val: until a wake, a signal, or the absolute time
 * *abs on clock clk (picolibc's id; abs NULL: no limit).  private_: the
 * word is in this process only (every lock; not the clear-tid word, which
 * the kernel wakes as a shared futex).  Returns 0 (woken, or *word was
 * not val: -EAGAIN folds in here), ETIMEDOUT, EINTR, or another errno in
 * picolibc's numbering (ENOSYS from a kernel without futexes). */
int __vmlab_futex_wait(volatile int *word, int val, clockid_t clk, const struct timespec *abs,
                       int private_);
/* Wake up to n sleepers on word; returns how many woke (or 0). */
int __vmlab_futex_wake(volatile int *word, int n, int private_);

/* The lock word: 0 free, 1 held, 2 held and maybe waiters (Drepper,
 * "Futexes Are Tricky", mutex 3).  Uncontended lock and unlock are one
 * atomic instruction each and no system call. */
void __vmlab_lock_word(volatile int *word);
void __vmlab_unlock_word(volatile int *word);

/* picolibc's retargetable lock (sys/lock.h leaves struct __lock to the
 * OS), recursive whatever the caller asked for: the same thread may hold
 * it many times (stdio's per-character locks inside a printf that holds
 * the stream's lock for the whole call). */
struct __lock {
    volatile int word;           /* __vmlab_lock_word */
    void *owner;                 /* __vmlab_tp() of the holder, or NULL */
    unsigned count;              /* times the holder took it */
};
int __vmlab_rtrylock(struct __lock *l);         /* 1 taken, 0 busy */
void __vmlab_rlock_slow(struct __lock *l, void *me);
void __vmlab_runlock_slow(struct __lock *l);

/* Take it (again); inline, as stdio takes a lock it already holds for
 * every character of a printf. */
static inline void __vmlab_rlock(struct __lock *l)
{
    void *me = __vmlab_tp();
    if (l->owner == me) {       /* only this thread ever stores its own tp here */
        l->count++;
        return;
    }
    __vmlab_rlock_slow(l, me);
}

/* Release it once; a lock this thread does not hold is left alone. */
static inline void __vmlab_runlock(struct __lock *l)
{
    if (l->owner != __vmlab_tp() || l->count == 0)
        return;
    if (--l->count == 0)
        __vmlab_runlock_slow(l);
}

#endif
