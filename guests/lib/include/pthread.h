/* pthread.h — POSIX threads over Linux clone and futex (vmlab's OS layer:
 * lib/pthread.c, lib/pthread_sync.c, lib/futex.c).
 *
 * picolibc ships no pthread.h and no pthread types, so this is vmlab's own.
 * What there is: threads (create, join, detach, exit, self, equal, attr
 * with stack size, guard size and detach state), mutexes (normal,
 * error-checking, recursive), condition variables (CLOCK_REALTIME or
 * CLOCK_MONOTONIC timeouts), once, thread-specific data with destructors,
 * barriers, pthread_kill and pthread_sigmask.  No cancellation, no
 * scheduling attributes, no rwlocks, no process-shared objects.
 *
 * Threads need the A extension (atomic instructions): in an rv32im
 * program pthread_create fails with ENOSYS and the process keeps its one
 * thread (the rest works, for that one thread).
 */
#ifndef VMLAB_PTHREAD_H
#define VMLAB_PTHREAD_H

#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A thread is its descriptor, kept at the top of its stack mapping. */
typedef struct __vmlab_thread *pthread_t;

typedef struct {
    size_t stacksize;            /* 0: PTHREAD_STACK_DEFAULT */
    size_t guardsize;            /* bytes of PROT_NONE below the stack */
    int detachstate;
    int set;                     /* nonzero once pthread_attr_init ran */
} pthread_attr_t;

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1

/* The stack a thread gets unless told otherwise (vmlab's choice: small,
 * as a teaching machine's memory is; pages are mapped only when
 * touched), the least pthread_attr_setstacksize accepts, and the guard
 * below every stack. */
#define PTHREAD_STACK_DEFAULT (128 * 1024)
#define PTHREAD_STACK_MIN     16384
#define PTHREAD_GUARD_DEFAULT 4096

typedef struct {
    volatile int lock;           /* 0 free, 1 held, 2 held with waiters */
    int type;                    /* PTHREAD_MUTEX_* */
    void *volatile owner;        /* the holder's tp (its TLS block), or NULL */
    unsigned count;              /* recursive: times the owner holds it */
} pthread_mutex_t;

typedef struct {
    int type;
} pthread_mutexattr_t;

#define PTHREAD_MUTEX_NORMAL     0
#define PTHREAD_MUTEX_RECURSIVE  1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT    PTHREAD_MUTEX_NORMAL

#define PTHREAD_MUTEX_INITIALIZER { 0, PTHREAD_MUTEX_NORMAL, NULL, 0 }
#define PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP { 0, PTHREAD_MUTEX_RECURSIVE, NULL, 0 }
#define PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP { 0, PTHREAD_MUTEX_ERRORCHECK, NULL, 0 }

typedef struct {
    volatile int seq;            /* bumped by every signal and broadcast */
    volatile int waiters;        /* threads in pthread_cond_wait */
    clockid_t clock;             /* of pthread_cond_timedwait's deadline */
} pthread_cond_t;

typedef struct {
    clockid_t clock;
} pthread_condattr_t;

#define PTHREAD_COND_INITIALIZER { 0, 0, CLOCK_REALTIME }

typedef volatile int pthread_once_t;
#define PTHREAD_ONCE_INIT 0

typedef unsigned pthread_key_t;
#define PTHREAD_KEYS_MAX              64
#define PTHREAD_DESTRUCTOR_ITERATIONS 4

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    unsigned count;              /* threads to wait for */
    unsigned waiting;            /* arrived in this round */
    unsigned round;
} pthread_barrier_t;

typedef struct {
    int unused;
} pthread_barrierattr_t;

#define PTHREAD_BARRIER_SERIAL_THREAD (-1)

/* ---- threads --------------------------------------------------------------- */
int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*start)(void *),
                   void *arg);
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
void pthread_exit(void *retval) __attribute__((noreturn));
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
int pthread_kill(pthread_t thread, int sig);
int pthread_sigmask(int how, const sigset_t *set, sigset_t *oldset);

/* The kernel's thread id of a thread (vmlab's addition, as glibc's
 * pthread_gettid_np): what --trace, the view and cores call it. */
pid_t pthread_gettid_np(pthread_t thread);

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);
int pthread_attr_setguardsize(pthread_attr_t *attr, size_t size);
int pthread_attr_getguardsize(const pthread_attr_t *attr, size_t *size);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);

/* ---- mutexes, condition variables, once, barriers ------------------------- */
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);
int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutexattr_gettype(const pthread_mutexattr_t *attr, int *type);

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);
int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_condattr_setclock(pthread_condattr_t *attr, clockid_t clock);
int pthread_condattr_getclock(const pthread_condattr_t *attr, clockid_t *clock);

int pthread_once(pthread_once_t *once, void (*init)(void));

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *attr, unsigned count);
int pthread_barrier_destroy(pthread_barrier_t *b);
int pthread_barrier_wait(pthread_barrier_t *b);

/* ---- thread-specific data --------------------------------------------------- */
int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

#ifdef __cplusplus
}
#endif

#endif
