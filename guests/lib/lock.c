/* lock.c — the locks picolibc takes around shared state.
 *
 * picolibc is built with retargetable locking: its stdio streams, atexit,
 * the time-zone code and getenv call these hooks, and __LIBC_LOCK() takes
 * one global recursive mutex.  A process here has one thread, so every
 * lock is free and these do nothing.  A thread library (issue 13) gives
 * struct __lock a body (a futex word, an owner, a count) and fills these
 * in; nothing else in the OS layer needs to change.
 *
 * They replace libc.a's misc/lock.c, which is the same set of no-ops; the
 * OS layer owning them keeps that object (and its partly discarded debug
 * ranges, see vmlab.ld) out of every program.
 */
#include <sys/lock.h>

struct __lock {
    char unused;
};

struct __lock __lock___libc_recursive_mutex;

void __retarget_lock_init(_LOCK_T *lock) { (void)lock; }
void __retarget_lock_init_recursive(_LOCK_T *lock) { (void)lock; }
void __retarget_lock_close(_LOCK_T lock) { (void)lock; }
void __retarget_lock_close_recursive(_LOCK_T lock) { (void)lock; }
void __retarget_lock_acquire(_LOCK_T lock) { (void)lock; }
void __retarget_lock_acquire_recursive(_LOCK_T lock) { (void)lock; }
int __retarget_lock_try_acquire(_LOCK_T lock) { (void)lock; return 1; }
int __retarget_lock_try_acquire_recursive(_LOCK_T lock) { (void)lock; return 1; }
void __retarget_lock_release(_LOCK_T lock) { (void)lock; }
void __retarget_lock_release_recursive(_LOCK_T lock) { (void)lock; }
