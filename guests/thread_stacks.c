/* thread_stacks — every thread has its own stack; the process has one heap.
 *
 * main mallocs one block, then starts four threads.  Each thread notes
 * where three things are: a local variable (on its own stack), picolibc's
 * errno (thread-local storage: each thread has its own copy too), and the
 * heap block, into which it writes its number.  main waits for each
 * thread in turn (pthread_join) and then prints what it noted, so the
 * output comes in the same order whatever the scheduler did.
 *
 * What to see:
 *   - the locals are far apart: each thread's stack is a mapping of its
 *     own (pthread_create mmaps 128 KiB for it, with a PROT_NONE guard page
 *     below), none of them near main's stack at the top of memory;
 *   - errno has a different address in every thread, near its stack (the
 *     TLS block sits at the top of the thread's mapping);
 *   - the heap block has one address for everyone, and holds what every
 *     thread wrote: threads share the address space, and so the heap.
 *
 * With the argument `keep`, the threads stay alive (each waits at a
 * barrier that never opens) instead of being joined, and main returns
 * while they wait: the process ends with every thread's stack still
 * mapped, so the address space at exit lists them all.
 *
 * Try: vmlab run --maps build/guests/thread_stacks keep   (one stack:TID per thread)
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTHREADS 4

struct note {
    uintptr_t local, err, heap;
};

static int *shared;                     /* the one heap block */
static struct note notes[NTHREADS + 1]; /* [0]: main */
static int keep;                        /* `keep`: the threads outlive main */
static pthread_barrier_t noted, never;  /* all notes taken; one never reached */

static void take_note(struct note *n, volatile int *local)
{
    n->local = (uintptr_t)local;
    n->err = (uintptr_t)&errno;
    n->heap = (uintptr_t)shared;
}

static void *thread_main(void *arg)
{
    int me = (int)(intptr_t)arg;
    volatile int local = me;

    take_note(&notes[me], &local);
    shared[me] = me * 11;               /* every thread writes the same block */
    if (keep) {
        pthread_barrier_wait(&noted);
        pthread_barrier_wait(&never);   /* waits until the process ends */
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[NTHREADS + 1];
    volatile int local = 0;

    keep = argc == 2 && strcmp(argv[1], "keep") == 0;
    if (argc > 2 || (argc == 2 && !keep)) {
        fprintf(stderr, "usage: thread_stacks [keep]\n");
        return 2;
    }
    if (keep) {
        pthread_barrier_init(&noted, NULL, NTHREADS + 1);
        pthread_barrier_init(&never, NULL, NTHREADS + 1);   /* main never comes */
    }

    shared = calloc(NTHREADS + 1, sizeof *shared);
    if (!shared)
        return 1;
    take_note(&notes[0], &local);
    for (int i = 1; i <= NTHREADS; i++) {
        int r = pthread_create(&t[i], NULL, thread_main, (void *)(intptr_t)i);
        if (r) {
            printf("no threads: pthread_create: %s\n", strerror(r));
            return 77;
        }
    }
    if (keep)
        pthread_barrier_wait(&noted);
    else
        for (int i = 1; i <= NTHREADS; i++)
            pthread_join(t[i], NULL);

    printf("thread_stacks: main and %d threads; each notes a local, errno and the heap block\n\n",
           NTHREADS);
    printf("              local        errno        heap block\n");
    for (int i = 0; i <= NTHREADS; i++) {
        char name[16];
        snprintf(name, sizeof name, i ? "thread %d" : "main", i);
        printf("  %-9s   0x%08lx   0x%08lx   0x%08lx\n", name, (unsigned long)notes[i].local,
               (unsigned long)notes[i].err, (unsigned long)notes[i].heap);
    }

    /* The verdicts: each local in a stack of its own (at least a stack's
     * size from every other), one heap block for all. */
    int apart = 1, same_heap = 1, own_errno = 1;
    for (int i = 0; i <= NTHREADS; i++)
        for (int j = i + 1; j <= NTHREADS; j++) {
            uintptr_t d = notes[i].local > notes[j].local ? notes[i].local - notes[j].local
                                                          : notes[j].local - notes[i].local;
            apart &= d >= PTHREAD_STACK_DEFAULT;
            own_errno &= notes[i].err != notes[j].err;
            same_heap &= notes[i].heap == notes[j].heap;
        }
    printf("\nevery local on a stack of its own (at least %d KiB apart): %s\n",
           PTHREAD_STACK_DEFAULT / 1024, apart ? "yes" : "NO");
    printf("every thread its own errno (thread-local storage):        %s\n",
           own_errno ? "yes" : "NO");
    printf("one heap block, the same address in every thread:         %s\n",
           same_heap ? "yes" : "NO");
    printf("what the threads wrote into it:");
    for (int i = 1; i <= NTHREADS; i++)
        printf(" %d", shared[i]);
    printf("\n");
    if (keep)
        printf("the %d threads are still alive: returning from main ends them all\n", NTHREADS);
    else
        free(shared);
    return apart && same_heap && own_errno ? 0 : 1;
}
