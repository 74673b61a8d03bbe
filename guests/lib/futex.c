/* futex.c — sleeping and waking on a word (futex_time64), and the lock
 * every other lock is made of: picolibc's stdio and atexit locks
 * (lock.c), malloc's, and pthread mutexes.
 *
 * The lock is Drepper's third mutex ("Futexes Are Tricky", 2011): the
 * word is 0 when free, 1 when held, 2 when held and someone may be asleep
 * on it.  Taking a free lock is one compare-and-swap; releasing one that
 * nobody waits for is one swap; only contention costs system calls, and
 * an unlock wakes one sleeper only when the word said there might be one.
 */
#include <errno.h>
#include <limits.h>
#include <time.h>

#include "os.h"

int __vmlab_futex_wait(volatile int *word, int val, clockid_t clk, const struct timespec *abs,
                       int private_)
{
    struct ktimespec k, *kp = NULL;
    int op = LINUX_FUTEX_WAIT;

    if (abs) {
        int lclk = __vmlab_clockid(clk);
        if (lclk != 0 && lclk != 1)     /* Linux CLOCK_REALTIME, CLOCK_MONOTONIC */
            return EINVAL;
        if (abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000)
            return EINVAL;
        __vmlab_ts_to_k(abs, &k);
        kp = &k;
        /* WAIT_BITSET takes an absolute time (monotonic unless told
         * realtime); plain WAIT would take a relative one. */
        op = LINUX_FUTEX_WAIT_BITSET | (lclk == 0 ? LINUX_FUTEX_CLOCK_REALTIME : 0);
    }
    if (private_)
        op |= LINUX_FUTEX_PRIVATE;
    long r = __syscall(LINUX_NR_futex_time64, (long)word, op, val, (long)kp, 0,
                       (long)0xffffffff /* FUTEX_BITSET_MATCH_ANY */);
    if (r == 0 || r == -LINUX_EAGAIN)
        return 0;
    if (r == -LINUX_ETIMEDOUT)
        return ETIMEDOUT;
    return __vmlab_errno((int)-r);
}

int __vmlab_futex_wake(volatile int *word, int n, int private_)
{
    long r = __syscall(LINUX_NR_futex_time64, (long)word,
                       LINUX_FUTEX_WAKE | (private_ ? LINUX_FUTEX_PRIVATE : 0), n, 0, 0, 0);
    return r < 0 ? 0 : (int)r;
}

void __vmlab_lock_word(volatile int *word)
{
    int c = __vmlab_cas(word, 0, 1);
    if (c == 0)
        return;
    /* Contended: mark the word "maybe waiters" and sleep until a swap
     * finds it free.  Whoever takes it this way leaves it at 2, so its
     * unlock wakes the next sleeper. */
    if (c != 2)
        c = __vmlab_xchg(word, 2);
    while (c != 0) {
        __vmlab_futex_wait(word, 2, 0, NULL, 1);
        c = __vmlab_xchg(word, 2);
    }
}

void __vmlab_unlock_word(volatile int *word)
{
    if (__vmlab_xchg(word, 0) == 2)
        __vmlab_futex_wake(word, 1, 1);
}

/* ---- the recursive lock (struct __lock) ----------------------------------- */

void __vmlab_rlock_slow(struct __lock *l, void *me)
{
    __vmlab_lock_word(&l->word);
    l->owner = me;
    l->count = 1;
}

int __vmlab_rtrylock(struct __lock *l)
{
    void *me = __vmlab_tp();
    if (l->owner == me) {
        l->count++;
        return 1;
    }
    if (__vmlab_cas(&l->word, 0, 1) != 0)
        return 0;
    l->owner = me;
    l->count = 1;
    return 1;
}

void __vmlab_runlock_slow(struct __lock *l)
{
    l->owner = NULL;
    __vmlab_unlock_word(&l->word);
}
