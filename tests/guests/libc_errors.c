/* libc_errors — errno, strerror and perror; setjmp/longjmp; and the way
 * out of a SIGSEGV handler with siglongjmp, three times in a row (each
 * time the handler runs with SIGSEGV blocked, and siglongjmp must put the
 * old mask back or the next fault could not be caught). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static jmp_buf plain;
static sigjmp_buf out_of_handler;
static volatile void *fault_addr;

static volatile int calls;

static __attribute__((noinline)) void deep(int depth)
{
    calls++;
    if (depth > 0)
        deep(depth - 1);
    if (calls > 0)                      /* always: the jump out of all of them */
        longjmp(plain, 42);
}

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    fault_addr = si->si_addr;
    siglongjmp(out_of_handler, 1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    errno = 0;
    printf("open(\"/nonexistent\"): %d, errno %d = %s\n", open("/nonexistent", O_RDONLY),
           errno, strerror(errno));
    fflush(stdout);
    perror("perror says");
    errno = 0;
    printf("close(99): %d, %s\n", close(99), strerror(errno));
    printf("write to fd -1: %zd, %s\n", write(-1, "x", 1), strerror(errno));
    printf("strerror(EACCES) = %s, strerror(ENOMEM) = %s\n", strerror(EACCES), strerror(ENOMEM));
    printf("errno is thread-local storage at %p (tp-relative)\n", (void *)&errno);

    int r = setjmp(plain);
    if (r == 0)
        deep(10);
    printf("setjmp returned %d after longjmp out of %d calls\n", r, (int)calls);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    static volatile int i;
    static volatile uintptr_t bad_address;
    for (i = 0; i < 3; i++) {
        bad_address = 16 * (uintptr_t)(i + 1);
        if (sigsetjmp(out_of_handler, 1) == 0) {
            *(volatile int *)bad_address = i;
            printf("not reached\n");
        } else {
            sigset_t now;
            sigprocmask(SIG_BLOCK, NULL, &now);
            printf("caught SIGSEGV #%d at %p; SIGSEGV blocked now: %d\n", (int)i + 1, fault_addr,
                   sigismember(&now, SIGSEGV));
        }
    }
    bad_address = 8;
    if (sigsetjmp(out_of_handler, 0) == 0)
        *(volatile int *)bad_address = 1;
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("sigsetjmp(env, 0): the mask is not restored, SIGSEGV blocked: %d\n",
           sigismember(&now, SIGSEGV));
    return 0;
}
