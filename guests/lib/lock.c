/* lock.c — the locks picolibc takes around shared state.
 *
 * picolibc is built with retargetable locking: its stdio streams (bufio
 * takes a stream's lock around every character it puts or gets), atexit,
 * the time-zone code and getenv call these hooks, and __LIBC_LOCK() takes
 * one global recursive mutex.  Here they are real locks (futex.c's
 * recursive lock), so printf, fopen and atexit are safe from several
 * threads; while a process has one thread, taking one is an atomic swap
 * and no system call.  Every lock is recursive, whichever hook the caller
 * used: stdio.c holds a stream's lock for a whole printf, inside which
 * bufio takes it again for each character.
 *
 * A lock made at run time (__retarget_lock_init: fdopen's, for each
 * stream) is allocated here; the standard streams' and the global one are
 * static.  A NULL lock (a stream made by hand without init) is no lock.
 *
 * They replace libc.a's misc/lock.c, a set of no-ops; the OS layer owning
 * them also keeps that object (and its partly discarded debug ranges, see
 * vmlab.ld) out of every program.
 */
#include <stdlib.h>
#include <sys/lock.h>

#include "os.h"

struct __lock __lock___libc_recursive_mutex;

void __retarget_lock_init(_LOCK_T *lock)
{
    *lock = calloc(1, sizeof(struct __lock));   /* NULL if out of memory: no lock */
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
    __retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
    if (lock && lock != &__lock___libc_recursive_mutex)
        free(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
    __retarget_lock_close(lock);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
    if (lock)
        __vmlab_rlock(lock);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
    __retarget_lock_acquire(lock);
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
    return lock ? __vmlab_rtrylock(lock) : 1;
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
    return __retarget_lock_try_acquire(lock);
}

void __retarget_lock_release(_LOCK_T lock)
{
    if (lock)
        __vmlab_runlock(lock);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
    __retarget_lock_release(lock);
}
