/* mem_syscalls — the system calls behind memory management, one by one.
 *
 * brk moves the end of the heap; mmap creates mappings anywhere (here:
 * anonymous, zero-filled ones), munmap removes them, even in the middle of
 * a mapping, and mprotect changes their permissions.  Each line says what
 * was tried and what came back.  The second half checks other calls the
 * OS layer uses (uname, getpid, clock_gettime64, getrandom, writev, signals)
 * and how errors are reported: -1 with errno (EBADF, ENOSYS, EFAULT, ...).
 *
 * Everything printed is the same on every run (no times, pids or random
 * bytes), so vmlab's output can be compared with qemu-riscv32's; so is the
 * number of instructions it retires (no branch depends on a time or a
 * random byte), which the tests compare between vmlab's two engines.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE 4096

extern char _end[];                     /* end of bss, from vmlab.ld */

static int failures;

static void check(const char *what, int ok)
{
    printf("  %-64s %s\n", what, ok ? "yes" : "NO");
    if (!ok)
        failures++;
}

static const char *errno_name(int e)
{
    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM";
    case EBADF: return "EBADF";
    case ENOMEM: return "ENOMEM";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOSYS: return "ENOSYS";
    default: return "other";
    }
}

/* "what -> -1, errno NAME"; checks the name. */
static void check_error(const char *what, long r, int want)
{
    char line[96];

    snprintf(line, sizeof line, "%s -> %ld, errno %s", what, r, r == -1 ? errno_name(errno) : "-");
    check(line, r == -1 && errno == want);
    errno = 0;
}

static unsigned long raw_brk(unsigned long addr)
{
    return (unsigned long)syscall(SYS_brk, addr);
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

/* Is any of n bytes not zero?  Every byte is read, whatever they hold:
 * the instructions this program retires must not depend on random bytes
 * (the tests compare the two engines' counts). */
static int any_nonzero(const unsigned char *p, size_t n)
{
    unsigned acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc != 0;
}

/* ---- a SIGSEGV handler that steps over the faulting store ---------------- */

static volatile int segv_code;
static volatile uintptr_t segv_addr;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    (void)sig;
    segv_code = si->si_code;
    segv_addr = (uintptr_t)si->si_addr;
    uc->uc_mcontext.__gregs[REG_PC] += 4;       /* the store below is 4 bytes */
}

/* Store one byte with a 4-byte sb (never compressed). */
static void store_byte(volatile unsigned char *p, unsigned char v)
{
    __asm__ volatile(".option push\n\t.option norvc\n\t"
                     "sb %1, 0(%0)\n\t"
                     ".option pop" : : "r"(p), "r"(v) : "memory");
}

/* ---- signal delivery checks ------------------------------------------------ */

static volatile int usr1_count, usr1_code;
static volatile int mask_had_usr2, mask_had_usr1;

static void on_usr1(int sig, siginfo_t *si, void *ctx)
{
    sigset_t now;

    (void)sig;
    (void)ctx;
    usr1_count++;
    usr1_code = si->si_code;
    sigprocmask(SIG_BLOCK, NULL, &now);
    mask_had_usr1 = sigismember(&now, SIGUSR1);
    mask_had_usr2 = sigismember(&now, SIGUSR2);
}

static void brk_tests(void)
{
    unsigned long start, grown, back, below, huge;
    unsigned long end_page = ((unsigned long)_end + PAGE - 1) & ~(unsigned long)(PAGE - 1);
    char line[96];

    printf("brk: the program break, the end of the heap\n");
    start = raw_brk(0);
    printf("  brk(0) = 0x%08lx, _end (end of bss) = 0x%08lx\n", start, (unsigned long)_end);
    check("the break starts at the first page boundary after the bss", start == end_page);
    check("sbrk(0) agrees", (unsigned long)sbrk(0) == start);

    grown = raw_brk(start + 2 * PAGE);
    snprintf(line, sizeof line, "brk(start + 8192) = 0x%08lx: the heap grew", grown);
    check(line, grown == start + 2 * PAGE);
    check("the new heap bytes read as zero", all_bytes((unsigned char *)start, 2 * PAGE, 0));
    memset((void *)start, 0x5a, 2 * PAGE);
    check("and can be written", all_bytes((unsigned char *)start, 2 * PAGE, 0x5a));

    back = raw_brk(start);
    snprintf(line, sizeof line, "brk(start) = 0x%08lx: shrunk back", back);
    check(line, back == start);

    below = raw_brk(start - PAGE);
    snprintf(line, sizeof line, "brk(start - 4096) = 0x%08lx: refused, break unchanged", below);
    check(line, below == start);

    huge = raw_brk(0x50000000);
    snprintf(line, sizeof line, "brk(0x50000000) = 0x%08lx: refused (past the stack)", huge);
    check(line, huge == start);

    grown = raw_brk(start + PAGE);
    check("growing again gives zero bytes, not the old ones",
          grown == start + PAGE && all_bytes((unsigned char *)start, PAGE, 0));
    raw_brk(start);
}

static void mmap_tests(void)
{
    unsigned char *p, *q, *r;
    char line[96];

    printf("\nmmap / munmap: anonymous mappings\n");
    p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("  mmap(NULL, 3 pages, rw, private|anonymous) = 0x%08lx\n",
           (unsigned long)(uintptr_t)p);
    check("it worked and is page-aligned",
          p != MAP_FAILED && ((uintptr_t)p & (PAGE - 1)) == 0);
    if (p == MAP_FAILED)
        return;
    check("all 12288 bytes read as zero", all_bytes(p, 3 * PAGE, 0));
    memset(p, 0xab, 3 * PAGE);

    q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check("MAP_FIXED over the middle page lands exactly there", q == p + PAGE);
    check("the middle page is zero again (a new mapping)", all_bytes(p + PAGE, PAGE, 0));
    check("pages 1 and 3 kept their bytes",
          all_bytes(p, PAGE, 0xab) && all_bytes(p + 2 * PAGE, PAGE, 0xab));

    check("munmap of the middle page succeeds", munmap(p + PAGE, PAGE) == 0);
    q = mmap(p + PAGE, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    snprintf(line, sizeof line, "a new mapping hinted at the hole = 0x%08lx: it is free",
             (unsigned long)(uintptr_t)q);
    check(line, q == p + PAGE);
    if (q != MAP_FAILED && q != p + PAGE)
        munmap(q, PAGE);

    check_error("munmap(p + 1, 4096) (unaligned)", munmap(p + 1, PAGE), EINVAL);
    check_error("munmap(p, 0)", munmap(p, 0), EINVAL);
    check_error("mmap(len 0)",
                (long)mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
    check_error("mmap(fd -1, not anonymous)",
                (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);
    check("munmap of all 3 pages (hole included) succeeds", munmap(p, 3 * PAGE) == 0);

    printf("\nmprotect: changing permissions\n");
    r = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (r == MAP_FAILED) {
        check("mmap for mprotect", 0);
        return;
    }
    r[10] = 42;
    check("mprotect(read-only) succeeds", mprotect(r, PAGE, PROT_READ) == 0);
    check("reading still works", r[10] == 42);
    {
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_segv;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGSEGV, &sa, &old);
        store_byte(r + 10, 99);
        sigaction(SIGSEGV, &old, NULL);
    }
    check("writing raises SIGSEGV with SEGV_ACCERR", segv_code == SEGV_ACCERR);
    check("si_addr is the byte written", segv_addr == (uintptr_t)(r + 10));
    check("the byte was not changed", r[10] == 42);
    check("mprotect(read-write) succeeds", mprotect(r, PAGE, PROT_READ | PROT_WRITE) == 0);
    r[10] = 43;
    check("writing works again", r[10] == 43);
    check_error("mprotect(unaligned address)", mprotect(r + 1, PAGE, PROT_READ), EINVAL);
    /* Not checked: mprotect of an unmapped page.  Linux answers ENOMEM,
     * qemu-riscv32 7.2 answers 0, so no output could match both. */
    munmap(r, PAGE);
}

static void other_tests(void)
{
    struct utsname u;
    struct timespec t1, t2;
    unsigned char rnd[16];
    long n;

    printf("\nprocess, time and randomness\n");
    check("uname succeeds", uname(&u) == 0);
    printf("  sysname \"%s\", machine \"%s\"\n", u.sysname, u.machine);
    check("getpid() == gettid() (one thread)", getpid() == gettid());
    check("getpid() is positive", getpid() > 0);
    check("kill(getpid(), 0): the process exists", kill(getpid(), 0) == 0);
    check("clock_gettime(CLOCK_MONOTONIC) succeeds", clock_gettime(CLOCK_MONOTONIC, &t1) == 0);
    for (volatile int i = 0; i < 10000; i++)
        ;
    clock_gettime(CLOCK_MONOTONIC, &t2);
    /* arithmetic, not a branch on the seconds: the same instructions
     * whether or not the readings straddle a second */
    long long d = ((long long)t2.tv_sec - t1.tv_sec) * 1000000000LL + (t2.tv_nsec - t1.tv_nsec);
    check("a second reading is not earlier", d >= 0);
    check("tv_nsec is below one billion", t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000);
    check("clock_gettime(CLOCK_REALTIME) is after the year 2020",
          clock_gettime(CLOCK_REALTIME, &t1) == 0 && t1.tv_sec > 1577836800LL);
    check_error("clock_gettime(clock 99)", clock_gettime(99, &t1), EINVAL);
    memset(rnd, 0, sizeof rnd);
    n = getrandom(rnd, sizeof rnd, 0);
    printf("  getrandom(buf, 16, 0) = %ld\n", n);
    check("it filled 16 bytes (not all zero)", n == 16 && any_nonzero(rnd, sizeof rnd));
    check("getrandom with GRND_NONBLOCK also gives 16",
          getrandom(rnd, sizeof rnd, GRND_NONBLOCK) == 16);

    printf("\nwrite, writev and error reporting\n");
    {
        static char a[] = "  writev: three ", b[] = "buffers, one ", c[] = "system call\n";
        struct iovec iov[3] = { { a, sizeof a - 1 }, { b, sizeof b - 1 }, { c, sizeof c - 1 } };
        fflush(stdout);
        n = writev(1, iov, 3);
        check("writev returned the total length", n == (long)(sizeof a + sizeof b + sizeof c - 3));
    }
    check("write(1, NULL, 0) = 0", write(1, NULL, 0) == 0);
    check_error("write(99, ...) (no such file descriptor)", write(99, "x", 1), EBADF);
    check_error("read(99, ...)", read(99, rnd, 1), EBADF);
    check_error("write(1, (void *)1, 5) (bad pointer)", write(1, (void *)1, 5), EFAULT);
    check_error("syscall(9999) (no such call)", syscall(9999), ENOSYS);
    check_error("syscall(113) (clock_gettime, 32-bit: not on rv32)",
                syscall(SYS_clock_gettime32, CLOCK_MONOTONIC, &t1), ENOSYS);
}

static void signal_tests(void)
{
    struct sigaction sa, old;
    sigset_t set;
    stack_t ss, oss;
    static char altstack[8192];

    printf("\nsignals: rt_sigaction, rt_sigprocmask, tgkill, sigaltstack\n");
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    check("sigaction(SIGUSR1, handler) succeeds", sigaction(SIGUSR1, &sa, &old) == 0);
    check("the old action was SIG_DFL", old.sa_handler == SIG_DFL);
    sigaction(SIGUSR1, NULL, &old);
    check("reading it back gives our handler and SA_SIGINFO",
          old.sa_sigaction == on_usr1 && (old.sa_flags & SA_SIGINFO));
    raise(SIGUSR1);
    check("raise(SIGUSR1) ran the handler once", usr1_count == 1);
    check("si_code is SI_TKILL (sent by tgkill)", usr1_code == SI_TKILL);
    check("inside the handler SIGUSR1 itself was blocked", mask_had_usr1 == 1);

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    check("while blocked, raise(SIGUSR1) stays pending", usr1_count == 1);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    check("unblocking delivers it", usr1_count == 2);

    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    check("sa_mask = {SIGUSR2}: SIGUSR2 is blocked in the handler",
          usr1_count == 3 && mask_had_usr2 == 1);
    sigprocmask(SIG_BLOCK, NULL, &set);
    check("and unblocked again after it", sigismember(&set, SIGUSR2) == 0);
    sigaction(SIGUSR1, NULL, &old);
    check("reading the action back shows sa_mask = {SIGUSR2}",
          old.sa_sigaction == on_usr1 && sigismember(&old.sa_mask, SIGUSR2) == 1);

    check_error("sigaction(SIGKILL, handler)", sigaction(SIGKILL, &sa, NULL), EINVAL);

    ss.ss_sp = altstack;
    ss.ss_size = sizeof altstack;
    ss.ss_flags = 0;
    check("sigaltstack(set) succeeds; the old one was disabled",
          sigaltstack(&ss, &oss) == 0 && oss.ss_flags == SS_DISABLE);
    sigaltstack(NULL, &oss);
    check("reading it back gives our stack",
          oss.ss_sp == altstack && oss.ss_size == sizeof altstack && oss.ss_flags == 0);
}

int main(void)
{
    printf("mem_syscalls: memory-management system calls and error reporting\n\n");
    brk_tests();
    mmap_tests();
    other_tests();
    signal_tests();
    printf("\n%s: %d failure(s)\n", failures ? "FAILED" : "all as expected", failures);
    return failures != 0;
}
