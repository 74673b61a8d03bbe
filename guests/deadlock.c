/* deadlock — two threads, two mutexes, taken in opposite orders.
 *
 * Thread 1 locks A, then wants B; thread 2 locks B, then wants A.  A
 * barrier makes sure each holds its first mutex before either asks for
 * its second, so the deadlock happens every time: each waits for a mutex
 * the other holds and will never release.  main waits for both in
 * pthread_join, so it waits forever too.
 *
 * Under vmlab every thread ends up asleep in a futex wait that nobody can
 * wake; the kernel sees that, reports each thread and where it waits (pc,
 * function, futex address: mutex A, mutex B and thread 1's tid word), and
 * ends the process.  On Linux (and qemu-riscv32) the program simply hangs:
 * stop it with Ctrl-C.
 *
 * The fix is one global order: every thread locks A before B.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

struct order {
    int n;
    pthread_mutex_t *first, *second;
    const char *first_name, *second_name;
};

static void *worker(void *arg)
{
    const struct order *o = arg;

    pthread_mutex_lock(o->first);
    printf("thread %d: holds mutex %s (at 0x%08lx), now wants mutex %s (at 0x%08lx)\n", o->n,
           o->first_name, (unsigned long)(uintptr_t)o->first, o->second_name,
           (unsigned long)(uintptr_t)o->second);
    pthread_barrier_wait(&both_hold_one);
    pthread_mutex_lock(o->second);      /* never returns */
    printf("thread %d: got both (not reached)\n", o->n);
    pthread_mutex_unlock(o->second);
    pthread_mutex_unlock(o->first);
    return NULL;
}

int main(void)
{
    static const struct order orders[2] = {
        { 1, &a, &b, "A", "B" },
        { 2, &b, &a, "B", "A" },
    };
    pthread_t t[2];

    setvbuf(stdout, NULL, _IOLBF, 0);   /* the lines must get out before the hang */
    pthread_barrier_init(&both_hold_one, NULL, 2);
    printf("deadlock: two threads lock mutexes A and B in opposite orders\n");
    for (int i = 0; i < 2; i++) {
        int r = pthread_create(&t[i], NULL, worker, (void *)&orders[i]);
        if (r) {
            printf("no threads: pthread_create: %s\n", strerror(r));
            return 77;
        }
    }
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("both threads finished (not reached)\n");
    return 0;
}
