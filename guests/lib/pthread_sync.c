/* pthread_sync.c — mutexes, condition variables, once and barriers, all
 * on futex words (futex.c).
 *
 * A mutex is futex.c's three-state lock word plus an owner (the holder's
 * tp) and, for a recursive mutex, a count.  The owner is what lets an
 * error-checking mutex refuse a second lock (EDEADLK) and an unlock by a
 * thread that does not hold it (EPERM); a normal mutex records it too,
 * which costs one store and shows in a debugger who holds it.
 *
 * A condition variable is a sequence number: a waiter notes it, releases
 * the mutex and sleeps while it is unchanged; signal and broadcast bump it
 * and wake one or all sleepers.  A bump between the note and the sleep
 * makes the sleep return at once, so no wake-up is lost; a waiter may
 * wake without a signal (POSIX allows it: callers loop on their
 * predicate).  The waiters count spares signal a system call when nobody
 * waits.
 *
 * Once: 0 not run, 1 running, 2 done, 3 running and others wait.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>

#include "os.h"

/* ---- mutexes ---------------------------------------------------------------- */

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
    a->type = PTHREAD_MUTEX_DEFAULT;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
    (void)a;
    return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
    if (type != PTHREAD_MUTEX_NORMAL && type != PTHREAD_MUTEX_RECURSIVE &&
        type != PTHREAD_MUTEX_ERRORCHECK)
        return EINVAL;
    a->type = type;
    return 0;
}

int pthread_mutexattr_gettype(const pthread_mutexattr_t *a, int *type)
{
    *type = a->type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
    *m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    if (a)
        m->type = a->type;
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
    return m->lock ? EBUSY : 0;
}

/* An owner's second lock: the type decides.  Returns -1 for "not the
 * owner, take the lock", else the result. */
static int relock(pthread_mutex_t *m, void *me, int busy)
{
    if (m->type == PTHREAD_MUTEX_NORMAL || m->owner != me)
        return -1;
    if (m->type == PTHREAD_MUTEX_ERRORCHECK)
        return busy;
    if (m->count == UINT_MAX)
        return EAGAIN;
    m->count++;
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    void *me = __vmlab_tp();
    int r = relock(m, me, EDEADLK);

    if (r >= 0)
        return r;
    __vmlab_lock_word(&m->lock);
    m->owner = me;
    m->count = 1;
    return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    void *me = __vmlab_tp();
    int r = relock(m, me, EBUSY);

    if (r >= 0)
        return r;
    if (__vmlab_cas(&m->lock, 0, 1) != 0)
        return EBUSY;
    m->owner = me;
    m->count = 1;
    return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    if (m->type != PTHREAD_MUTEX_NORMAL) {
        if (m->owner != __vmlab_tp() || !m->lock)
            return EPERM;
        if (m->type == PTHREAD_MUTEX_RECURSIVE && --m->count)
            return 0;
    }
    m->owner = NULL;
    m->count = 0;
    __vmlab_unlock_word(&m->lock);
    return 0;
}

/* ---- condition variables ------------------------------------------------------- */

int pthread_condattr_init(pthread_condattr_t *a)
{
    a->clock = CLOCK_REALTIME;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *a)
{
    (void)a;
    return 0;
}

int pthread_condattr_setclock(pthread_condattr_t *a, clockid_t clock)
{
    if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC)
        return EINVAL;
    a->clock = clock;
    return 0;
}

int pthread_condattr_getclock(const pthread_condattr_t *a, clockid_t *clock)
{
    *clock = a->clock;
    return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
    *c = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
    if (a)
        c->clock = a->clock;
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
    return c->waiters ? EBUSY : 0;
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs)
{
    void *me = __vmlab_tp();

    if (abs && (abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000))
        return EINVAL;
    if (m->type != PTHREAD_MUTEX_NORMAL && m->owner != me)
        return EPERM;
    __vmlab_fetch_add(&c->waiters, 1);
    int seq = __vmlab_load(&c->seq);
    unsigned count = m->count;          /* a recursive mutex is released whole */
    m->owner = NULL;
    m->count = 0;
    __vmlab_unlock_word(&m->lock);

    int r = __vmlab_futex_wait(&c->seq, seq, c->clock, abs, 1);

    __vmlab_lock_word(&m->lock);
    m->owner = me;
    m->count = count;
    __vmlab_fetch_add(&c->waiters, -1);
    return r == ETIMEDOUT ? ETIMEDOUT : 0;      /* EINTR and the rest: a spurious wake-up */
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    return pthread_cond_timedwait(c, m, NULL);
}

int pthread_cond_signal(pthread_cond_t *c)
{
    __vmlab_fetch_add(&c->seq, 1);
    if (__vmlab_load(&c->waiters))
        __vmlab_futex_wake(&c->seq, 1, 1);
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
    __vmlab_fetch_add(&c->seq, 1);
    if (__vmlab_load(&c->waiters))
        __vmlab_futex_wake(&c->seq, INT_MAX, 1);
    return 0;
}

/* ---- once ---------------------------------------------------------------------- */

int pthread_once(pthread_once_t *once, void (*init)(void))
{
    int c = __vmlab_load(once);

    if (c == 2)
        return 0;
    if (c == 0 && __vmlab_cas(once, 0, 1) == 0) {
        init();
        if (__vmlab_xchg(once, 2) == 3)
            __vmlab_futex_wake(once, INT_MAX, 1);
        return 0;
    }
    while ((c = __vmlab_load(once)) != 2) {
        if (c == 1 && __vmlab_cas(once, 1, 3) != 1)
            continue;
        __vmlab_futex_wait(once, 3, 0, NULL, 1);
    }
    return 0;
}

/* ---- barriers -------------------------------------------------------------------- */

int pthread_barrier_init(pthread_barrier_t *b, const pthread_barrierattr_t *a, unsigned count)
{
    (void)a;
    if (count == 0)
        return EINVAL;
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->cond, NULL);
    b->count = count;
    b->waiting = 0;
    b->round = 0;
    return 0;
}

int pthread_barrier_destroy(pthread_barrier_t *b)
{
    return b->waiting ? EBUSY : 0;
}

/* The last of count threads to arrive releases the others and gets
 * PTHREAD_BARRIER_SERIAL_THREAD; the rest get 0. */
int pthread_barrier_wait(pthread_barrier_t *b)
{
    pthread_mutex_lock(&b->lock);
    unsigned round = b->round;
    if (++b->waiting == b->count) {
        b->waiting = 0;
        b->round++;
        pthread_cond_broadcast(&b->cond);
        pthread_mutex_unlock(&b->lock);
        return PTHREAD_BARRIER_SERIAL_THREAD;
    }
    while (round == b->round)
        pthread_cond_wait(&b->cond, &b->lock);
    pthread_mutex_unlock(&b->lock);
    return 0;
}
