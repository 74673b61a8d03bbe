/* pthread.c — threads: create, join, detach, exit, self, attributes, and
 * thread-specific data (docs/platform/threads.md, "Guest runtime").
 *
 * A thread is one mapping, made by pthread_create:
 *
 *   map                                                        map + size
 *   | guard (PROT_NONE) | stack, growing down ...  | descriptor | TLS block |
 *     attr guardsize      attr stacksize             struct        tp points
 *     (4 KiB)             (128 KiB)                  __vmlab_thread  here
 *
 * The TLS block is filled as crt0 fills the main thread's
 * (__vmlab_tls_init: .tdata copied, .tbss zeroed), so every thread has
 * its own picolibc errno.  Overflowing the stack runs into the guard:
 * SIGSEGV, as for the main thread at its stack limit.
 *
 * clone (clone.S) gets the flags glibc passes for a thread, tp = the TLS
 * block, and the descriptor's tid word as both the parent's and the
 * child's tid pointer: the kernel writes the new id there before clone
 * returns, and at the thread's exit writes 0 and wakes a futex waiter on
 * it (CLONE_CHILD_CLEARTID).  pthread_join sleeps on that word, so once
 * it is 0 the thread runs no more and its mapping can go (munmap).  A
 * detached thread unmaps its own stack as its last act: with signals
 * blocked and the clear-tid word withdrawn, munmap and exit run straight
 * from registers (unmap_and_exit).
 *
 * The last thread to end ends the process as exit(0) does (atexit
 * functions, stream flushes); main returning ends it at once, whatever
 * runs (exit, then exit_group).  pthread_exit in main ends only the main
 * thread.
 *
 * A new thread starts with every signal blocked and takes its creator's
 * mask once it has set up pthread_self (no handler can run in a thread
 * that does not know itself yet).
 *
 * Known limits: no cancellation; joining a thread twice, or a detached
 * one, is undefined (here: EINVAL if it is already marked detached).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vmlab.h>

#include "os.h"

/* include/uapi/linux/sched.h */
#define LINUX_CLONE_VM             0x00000100
#define LINUX_CLONE_FS             0x00000200
#define LINUX_CLONE_FILES          0x00000400
#define LINUX_CLONE_SIGHAND        0x00000800
#define LINUX_CLONE_THREAD         0x00010000
#define LINUX_CLONE_SYSVSEM        0x00040000
#define LINUX_CLONE_SETTLS         0x00080000
#define LINUX_CLONE_PARENT_SETTID  0x00100000
#define LINUX_CLONE_CHILD_CLEARTID 0x00200000
#define THREAD_FLAGS                                                                     \
    (LINUX_CLONE_VM | LINUX_CLONE_FS | LINUX_CLONE_FILES | LINUX_CLONE_SIGHAND |         \
     LINUX_CLONE_THREAD | LINUX_CLONE_SYSVSEM | LINUX_CLONE_SETTLS |                     \
     LINUX_CLONE_PARENT_SETTID | LINUX_CLONE_CHILD_CLEARTID)

#define PAGE 4096u

enum { JOINABLE, DETACHED, EXITED };

struct __vmlab_thread {
    volatile int tid;            /* the kernel's id; 0 once the thread has ended */
    volatile int state;          /* JOINABLE, DETACHED, EXITED (exit vs detach) */
    void *(*start)(void *);
    void *arg;
    void *result;                /* pthread_exit's value, for join */
    void *map;                   /* the whole mapping (NULL: the main thread) */
    size_t map_size;
    uint32_t sigmask[2];         /* the creator's signal mask, the thread's own */
    struct {
        int seq;                 /* the key's seq when value was set */
        void *value;
    } specific[PTHREAD_KEYS_MAX];
};

int __vmlab_clone(int (*fn)(void *), void *stack, unsigned long flags, void *arg, volatile int *ptid,
                  void *tls, volatile int *ctid);

static struct __vmlab_thread main_thread;
static __thread struct __vmlab_thread *self;    /* NULL in the main thread */
static volatile int live = 1;                   /* threads that have not ended */

pthread_t pthread_self(void)
{
    return self ? self : &main_thread;
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

pid_t pthread_gettid_np(pthread_t t)
{
    if (t == &main_thread && t->tid == 0)
        return gettid();
    return t->tid;
}

/* ---- attributes ------------------------------------------------------------ */

int pthread_attr_init(pthread_attr_t *a)
{
    a->stacksize = PTHREAD_STACK_DEFAULT;
    a->guardsize = PTHREAD_GUARD_DEFAULT;
    a->detachstate = PTHREAD_CREATE_JOINABLE;
    a->set = 1;
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
    a->set = 0;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
    if (size < PTHREAD_STACK_MIN || size > (1u << 30))
        return EINVAL;
    a->stacksize = size;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
    *size = a->stacksize;
    return 0;
}

int pthread_attr_setguardsize(pthread_attr_t *a, size_t size)
{
    if (size > (1u << 30))
        return EINVAL;
    a->guardsize = size;
    return 0;
}

int pthread_attr_getguardsize(const pthread_attr_t *a, size_t *size)
{
    *size = a->guardsize;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
    if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    a->detachstate = state;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *a, int *state)
{
    *state = a->detachstate;
    return 0;
}

/* ---- create, exit, join, detach --------------------------------------------- */

/* The kernel's 64-bit signal set, every signal (SIGKILL and SIGSTOP
 * cannot be blocked; the kernel leaves them out). */
static const uint32_t all_signals[2] = { ~0u, ~0u };

static uintptr_t round_up(uintptr_t n, uintptr_t to)
{
    return (n + to - 1) & ~(to - 1);
}

/* The new thread's first C function (called by clone.S on its stack). */
static int thread_start(void *arg)
{
    struct __vmlab_thread *t = arg;

    self = t;
    __syscall4(SYS_rt_sigprocmask, SIG_SETMASK, t->sigmask, NULL, sizeof t->sigmask);
    pthread_exit(t->start(t->arg));
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
    if (!VMLAB_HAVE_THREADS)
        return ENOSYS;                  /* rv32im: no atomics, so no threads */
    if (attr && !attr->set)
        return EINVAL;

    size_t stack = round_up(attr ? attr->stacksize : PTHREAD_STACK_DEFAULT, PAGE);
    size_t guard = round_up(attr ? attr->guardsize : PTHREAD_GUARD_DEFAULT, PAGE);
    size_t tls_size = __vmlab_tls_size(), tls_align = __vmlab_tls_align();
    if (tls_align < 16)
        tls_align = 16;
    size_t top = round_up(sizeof(struct __vmlab_thread) + tls_size + 2 * tls_align, PAGE);
    size_t size = guard + stack + top;

    /* The main thread's tid word, so that it too can be joined: the
     * kernel clears it when the main thread ends (set_tid_address). */
    if (main_thread.tid == 0)
        main_thread.tid = (int)__syscall1(SYS_set_tid_address, &main_thread.tid);

    char *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return EAGAIN;
    if (guard && mprotect(map, guard, PROT_NONE) != 0) {
        munmap(map, size);
        return EAGAIN;
    }
    char *tls = (char *)((uintptr_t)(map + size - tls_size) & ~(uintptr_t)(tls_align - 1));
    struct __vmlab_thread *t =
        (struct __vmlab_thread *)((uintptr_t)(tls - sizeof *t) & ~(uintptr_t)15);
    t->start = start;
    t->arg = arg;
    t->map = map;
    t->map_size = size;
    t->state = attr && attr->detachstate == PTHREAD_CREATE_DETACHED ? DETACHED : JOINABLE;
    void *tp = __vmlab_tls_init(tls);

    /* The thread starts with every signal blocked, until it knows who it
     * is (self), then takes the creator's mask, as POSIX says. */
    __syscall4(SYS_rt_sigprocmask, SIG_BLOCK, all_signals, t->sigmask, sizeof t->sigmask);
    __vmlab_fetch_add(&live, 1);
    int r = __vmlab_clone(thread_start, t, THREAD_FLAGS, t, &t->tid, tp, &t->tid);
    __syscall4(SYS_rt_sigprocmask, SIG_SETMASK, t->sigmask, NULL, sizeof t->sigmask);
    if (r < 0) {
        __vmlab_fetch_add(&live, -1);
        munmap(map, size);
        return __vmlab_errno(-r);       /* ENOSYS, EINVAL from a kernel without threads */
    }
    *out = t;
    return 0;
}

/* A detached thread's end: its stack goes, and with it every memory
 * access, so munmap and exit are issued from registers only.  Signals are
 * blocked first (a handler would need the stack) and the clear-tid word,
 * which is in the mapping, is withdrawn. */
static void __attribute__((noreturn)) unmap_and_exit(void *map, size_t size)
{
    __syscall4(SYS_rt_sigprocmask, SIG_BLOCK, all_signals, NULL, sizeof all_signals);
    __syscall1(SYS_set_tid_address, NULL);
    register long a0 __asm__("a0") = (long)map;
    register long a1 __asm__("a1") = (long)size;
    register long a7 __asm__("a7") = SYS_munmap;
    __asm__ volatile("ecall\n\t"
                     "li a0, 0\n\t"
                     "li a7, %3\n\t"
                     "ecall"
                     : "+r"(a0)
                     : "r"(a1), "r"(a7), "i"(SYS_exit)
                     : "memory");
    __builtin_unreachable();
}

static void run_destructors(struct __vmlab_thread *t);

void pthread_exit(void *result)
{
    struct __vmlab_thread *t = pthread_self();

    t->result = result;
    run_destructors(t);
    if (__vmlab_fetch_add(&live, -1) == 1)
        exit(0);                        /* the last thread: the process ends */
    if (t != &main_thread && __vmlab_cas(&t->state, JOINABLE, EXITED) == DETACHED)
        unmap_and_exit(t->map, t->map_size);
    for (;;)
        __syscall1(SYS_exit, 0);        /* this thread only; the kernel clears tid */
}

/* Wait until the kernel has cleared t's tid: the thread runs no more. */
static void wait_ended(struct __vmlab_thread *t)
{
    int tid;

    while ((tid = __vmlab_load(&t->tid)) != 0)
        __vmlab_futex_wait(&t->tid, tid, 0, NULL, 0);   /* the kernel's wake is shared */
}

int pthread_join(pthread_t t, void **result)
{
    if (t == pthread_self())
        return EDEADLK;
    if (__vmlab_load(&t->state) == DETACHED)
        return EINVAL;
    wait_ended(t);
    if (result)
        *result = t->result;
    if (t->map)
        munmap(t->map, t->map_size);
    return 0;
}

int pthread_detach(pthread_t t)
{
    int old = __vmlab_cas(&t->state, JOINABLE, DETACHED);
    if (old == DETACHED)
        return EINVAL;
    if (old == EXITED && t->map) {      /* it ended before it knew: free it here */
        wait_ended(t);
        munmap(t->map, t->map_size);
    }
    return 0;
}

int pthread_kill(pthread_t t, int sig)
{
    long r = __syscall3(SYS_tgkill, getpid(), pthread_gettid_np(t), sig);
    return r < 0 ? __vmlab_errno((int)-r) : 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
    int saved = errno, r = sigprocmask(how, set, old) ? errno : 0;
    errno = saved;
    return r;
}

/* ---- thread-specific data ------------------------------------------------------ */

/* A key is in use while its seq is odd; create and delete each bump it,
 * so a value set under an older use of the slot is never seen again. */
static struct {
    volatile int seq;
    void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];

static volatile int keys_made;           /* 0: no destructor can be due */

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
    for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
        int s = __vmlab_load(&keys[k].seq);
        if (!(s & 1) && __vmlab_cas(&keys[k].seq, s, s + 1) == s) {
            keys[k].destructor = destructor;
            __vmlab_store(&keys_made, 1);
            *key = k;
            return 0;
        }
    }
    return EAGAIN;
}

int pthread_key_delete(pthread_key_t k)
{
    if (k >= PTHREAD_KEYS_MAX || !(keys[k].seq & 1))
        return EINVAL;
    keys[k].destructor = NULL;
    __vmlab_fetch_add(&keys[k].seq, 1);
    return 0;
}

void *pthread_getspecific(pthread_key_t k)
{
    struct __vmlab_thread *t = pthread_self();

    if (k >= PTHREAD_KEYS_MAX || t->specific[k].seq != keys[k].seq)
        return NULL;
    return t->specific[k].value;
}

int pthread_setspecific(pthread_key_t k, const void *value)
{
    struct __vmlab_thread *t = pthread_self();

    if (k >= PTHREAD_KEYS_MAX || !(keys[k].seq & 1))
        return EINVAL;
    t->specific[k].seq = keys[k].seq;
    t->specific[k].value = (void *)value;
    return 0;
}

/* POSIX: each non-NULL value whose key has a destructor is set to NULL
 * and the destructor called with it; repeated while destructors set new
 * values, at most PTHREAD_DESTRUCTOR_ITERATIONS times. */
static void run_destructors(struct __vmlab_thread *t)
{
    if (!__vmlab_load(&keys_made))
        return;
    for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
        int called = 0;
        for (unsigned k = 0; k < PTHREAD_KEYS_MAX; k++) {
            void (*d)(void *) = keys[k].destructor;
            void *v = t->specific[k].value;
            if (t->specific[k].seq != keys[k].seq || !(keys[k].seq & 1) || !v || !d)
                continue;
            t->specific[k].value = NULL;
            d(v);
            called = 1;
        }
        if (!called)
            break;
    }
}
