/* bench_fault — the page-fault and signal workload of `make bench`.
 *
 *     bench_fault [ROUNDS]     default 100000
 *
 * A garbage collector's write barrier, the way some real collectors do it:
 * the page is made read-only with mprotect; the next store into it faults;
 * the SIGSEGV handler (SA_SIGINFO) checks that si_addr is the address of
 * that store and si_code is SEGV_ACCERR, records the page as dirty and
 * makes it writable again with mprotect; when the handler returns, the
 * store is executed again and succeeds.  Each round is therefore two
 * mprotect calls, one store page fault, one signal frame pushed and one
 * rt_sigreturn: the emulator's slow paths, measured as faults per second.
 *
 * The program prints how many faults the handler saw, how many of them
 * had an unexpected si_addr or si_code (0 on a correct machine), and a
 * checksum of the page.  The output is the same under vmlab, qemu-riscv32
 * and a native build (this file also compiles with the host's libc).
 */
#define _DEFAULT_SOURCE         /* MAP_ANONYMOUS, getpagesize on the host */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SLOTS 1024              /* words used: the first 4096 bytes of the page */

static uint32_t *page;
static size_t page_size;
static volatile uint32_t *volatile expect;  /* the store about to fault */
static volatile unsigned long faults, bad_addr, bad_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    static const char msg[] = "bench_fault: SIGSEGV outside the page\n";

    (void)sig;
    (void)uc;
    if ((char *)si->si_addr < (char *)page ||
        (char *)si->si_addr >= (char *)page + page_size) {
        /* Not the barrier: a real crash.  Returning would loop forever.
         * (write's result is tested only because glibc insists.) */
        _exit(write(STDERR_FILENO, msg, sizeof msg - 1) < 0 ? 4 : 3);
    }
    if (si->si_addr != (void *)expect)
        bad_addr++;
    if (si->si_code != SEGV_ACCERR)
        bad_code++;
    faults++;
    if (mprotect(page, page_size, PROT_READ | PROT_WRITE) != 0)
        _exit(5);
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    struct sigaction sa;
    uint32_t s = 88172645u, h = 2166136261u;

    if (rounds < 1 || rounds > 100000000L) {
        fprintf(stderr, "usage: bench_fault [ROUNDS]   (default 100000)\n");
        return 2;
    }
    page_size = (size_t)getpagesize();
    page = mmap(NULL, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                -1, 0);
    if (page == MAP_FAILED) {
        fprintf(stderr, "bench_fault: mmap failed\n");
        return 1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) != 0) {
        fprintf(stderr, "bench_fault: sigaction failed\n");
        return 1;
    }

    for (long r = 0; r < rounds; r++) {
        volatile uint32_t *p;

        s ^= s << 13;                   /* xorshift32 picks the slot */
        s ^= s >> 17;
        s ^= s << 5;
        p = (volatile uint32_t *)&page[s & (SLOTS - 1)];
        if (mprotect(page, page_size, PROT_READ) != 0) {
            fprintf(stderr, "bench_fault: mprotect(PROT_READ) failed\n");
            return 1;
        }
        expect = p;
        *p = *p * 31u + (uint32_t)r;    /* the load is allowed; the store faults */
    }

    for (int i = 0; i < SLOTS; i++)
        h = (h ^ page[i]) * 16777619u;
    printf("bench_fault %ld rounds: faults handled %lu, bad si_addr %lu, bad si_code %lu\n",
           rounds, faults, bad_addr, bad_code);
    printf("checksum 0x%08x\n", (unsigned)h);
    return faults == (unsigned long)rounds && bad_addr == 0 && bad_code == 0 ? 0 : 1;
}
