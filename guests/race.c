/* race — a data race loses updates; a mutex makes them exact.
 *
 * Four threads each add 1 to a shared counter 500000 times.  `counter++`
 * is three instructions: load the counter into a register, add 1, store
 * it back.  If the scheduler switches threads between a thread's load and
 * its store, the other thread's increments in between are overwritten by
 * the stale value: they are lost.  How many depends on where the switches
 * fall, so the first total differs from run to run (under qemu-riscv32,
 * where the threads really run at once, and under vmlab with different
 * --sched-seed values; under vmlab one seed always gives the same total).
 *
 * Then the same with a mutex around the increment: only one thread at a
 * time is between load and store, and the total is exact.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NTHREADS 4
#define ROUNDS   500000

static volatile int counter;            /* volatile: a real load and store each time */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t start;         /* all threads begin together */

static void *unlocked(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ROUNDS; i++)
        counter++;                      /* the race: load, add, store */
    return NULL;
}

static void *locked(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

/* Run NTHREADS threads of fn from counter 0; returns the total. */
static int run(void *(*fn)(void *))
{
    pthread_t t[NTHREADS];

    counter = 0;
    for (int i = 0; i < NTHREADS; i++) {
        int r = pthread_create(&t[i], NULL, fn, NULL);
        if (r) {
            printf("no threads: pthread_create: %s\n", strerror(r));
            return -1;
        }
    }
    for (int i = 0; i < NTHREADS; i++)
        pthread_join(t[i], NULL);
    return counter;
}

int main(void)
{
    const int expected = NTHREADS * ROUNDS;

    pthread_barrier_init(&start, NULL, NTHREADS);
    printf("race: %d threads, each adds 1 to a shared counter %d times (expected %d)\n",
           NTHREADS, ROUNDS, expected);
    int racy = run(unlocked);
    if (racy < 0)
        return 77;
    printf("without a lock: %d (%d updates lost)\n", racy, expected - racy);
    int exact = run(locked);
    printf("with a mutex:   %d (%d updates lost)\n", exact, expected - exact);
    return exact == expected ? 0 : 1;
}
