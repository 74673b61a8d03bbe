/* thread_overflow — a thread's stack overflows into its guard page.
 *
 * A thread with a 64 KiB stack recurses without end.  Below its stack
 * pthread_create left a PROT_NONE guard page, so the first push past the
 * bottom faults: SIGSEGV (SEGV_ACCERR: the page is mapped, without
 * access).  By default that kills the whole process, every thread, as
 * for any fatal signal ("Segmentation fault", status 139).
 *
 * With the argument "catch", the thread first installs a SIGSEGV handler
 * on an alternate signal stack of its own (the overflowed stack has no
 * room for a signal frame); the handler reports whether the fault address
 * lies in the guard page just below the stack and ends the process with
 * status 0.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STACK (64 * 1024)

static uintptr_t stack_top;             /* about: a local at the thread's start */
static volatile int depth;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    uintptr_t a = (uintptr_t)si->si_addr;
    /* The guard is the page below the stack, which ends at most a page
     * (descriptor and TLS) above the first local. */
    uintptr_t lo = (stack_top & ~(uintptr_t)4095) + 4096 - STACK - 2 * 4096;
    int in_guard = a >= lo && a < lo + 2 * 4096;
    printf("SIGSEGV in the thread after %d calls, %s; in the guard page below its stack: %s\n",
           depth, si->si_code == SEGV_ACCERR ? "SEGV_ACCERR" : "another code",
           in_guard ? "yes" : "no");
    fflush(stdout);
    _exit(in_guard ? 0 : 1);
}

static int __attribute__((noinline)) recurse(int n)
{
    volatile char pad[200];
    pad[0] = (char)n;
    depth = n;
    if (n > 1000000)                    /* never: 200 MB of frames */
        return 0;
    return recurse(n + 1) + pad[0];
}

static void *overflow(void *arg)
{
    volatile int here = 0;
    stack_top = (uintptr_t)&here;
    if (arg) {
        static char alt[16384];
        stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0 };
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
        if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGSEGV, &sa, NULL) != 0) {
            printf("sigaltstack/sigaction failed\n");
            _exit(2);
        }
    }
    printf("thread: recursing on a %d KiB stack\n", STACK / 1024);
    fflush(stdout);
    return (void *)(intptr_t)recurse(here);
}

int main(int argc, char **argv)
{
    pthread_attr_t a;
    pthread_t t;

    pthread_attr_init(&a);
    pthread_attr_setstacksize(&a, STACK);
    int r = pthread_create(&t, &a, overflow, argc > 1 && !strcmp(argv[1], "catch") ? &a : NULL);
    if (r) {
        printf("no threads: pthread_create: %s\n", strerror(r));
        return 77;
    }
    pthread_join(t, NULL);
    printf("not reached\n");
    return 3;
}
