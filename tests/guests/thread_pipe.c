/* thread_pipe — threads talking through a pipe, for the differential
 * suite (vmlab vs qemu-riscv32, whose threads are the host's):
 *   1. a reader waits on an empty pipe that another thread fills later;
 *   2. a writer fills the pipe past its capacity while a reader drains it
 *      (256 KiB in 4 KiB writes), checksum compared;
 *   3. a signal ends a thread's wait in read with EINTR (no SA_RESTART);
 *   4. with one thread, readv over two buffers returns what the pipe had.
 * vmlab runs every guest thread on one host thread: a read that blocked
 * in the host would stop the writer too, and the program would hang.
 *
 *   thread_pipe self | full | crossed
 * waits that never end, as Linux (and qemu-riscv32) lets them: one thread
 * reads its own empty pipe (after reading one with no writer, which ends)
 * and holds a copy of its write end; one thread writes to its own full
 * pipe; two threads each read a pipe only the other would write to, after
 * its own read.  vmlab ends each with a message and status 137. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

static int fds[2];

static void *late_writer(void *arg)
{
    (void)arg;
    for (volatile int i = 0; i < 200000; i++)
        ;
    write(fds[1], "hello", 5);
    return NULL;
}

#define CHUNK 4096
#define CHUNKS 64

static void *bulk_writer(void *arg)
{
    (void)arg;
    static unsigned char buf[CHUNK];
    for (int c = 0; c < CHUNKS; c++) {
        for (int i = 0; i < CHUNK; i++)
            buf[i] = (unsigned char)(c * 31 + i);
        if (write(fds[1], buf, CHUNK) != CHUNK)
            return (void *)1;
    }
    close(fds[1]);
    return NULL;
}

static void on_usr1(int sig)
{
    (void)sig;
}

static volatile int waiting;

static void *interrupted_reader(void *arg)
{
    (void)arg;
    char c;
    waiting = 1;
    ssize_t n = read(fds[0], &c, 1);
    printf("3. read in the thread: %zd (%s)\n", n, n < 0 ? strerror(errno) : "data");
    return NULL;
}

static int other[2];

static void *crossed(void *arg)
{
    (void)arg;
    char c;
    read(other[0], &c, 1);                   /* main writes it after its own read */
    write(fds[1], "x", 1);
    return NULL;
}

static int forever(const char *mode)
{
    pthread_t t;
    char c;
    pipe(fds);
    if (!strcmp(mode, "self")) {
        pipe(other);                         /* no writer left: end of file */
        close(other[1]);
        printf("a pipe with no writer: read %zd\n", read(other[0], &c, 1));
        close(other[0]);
        int w = dup(fds[1]);                 /* the write end, as a copy */
        close(fds[1]);
        printf("reading my own empty pipe (its write end is fd %d)\n", w);
        read(fds[0], &c, 1);
    } else if (!strcmp(mode, "full")) {
        static char page[4096];
        int n = 0;
        while (n < 16 && write(fds[1], page, sizeof page) == (ssize_t)sizeof page)
            n++;                             /* 64 KiB: a Linux pipe is full */
        printf("wrote %d pages, writing one byte more\n", n);
        write(fds[1], page, 1);
    } else if (!strcmp(mode, "crossed")) {
        pipe(other);
        pthread_create(&t, NULL, crossed, NULL);
        printf("both threads read\n");
        read(fds[0], &c, 1);
        write(other[1], "x", 1);
        pthread_join(t, NULL);
    } else {
        printf("unknown mode %s\n", mode);
        return 2;
    }
    printf("not reached\n");
    return 1;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_t t;
    void *res;

    if (argc > 1)
        return forever(argv[1]);

    pipe(fds);
    if (pthread_create(&t, NULL, late_writer, NULL) != 0) {
        printf("no threads here\n");        /* rv32im: no A extension */
        return 0;
    }
    char buf[16] = { 0 };
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    printf("1. read %zd bytes: %s\n", n, buf);
    pthread_join(t, NULL);
    close(fds[0]);
    close(fds[1]);

    pipe(fds);
    pthread_create(&t, NULL, bulk_writer, NULL);
    static unsigned char in[8192];
    unsigned long total = 0, sum = 0;
    while ((n = read(fds[0], in, sizeof in)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            sum = sum * 33 + in[i];
        total += (unsigned long)n;
    }
    pthread_join(t, &res);
    printf("2. %lu bytes through the pipe, checksum %08lx, writer %s\n", total, sum & 0xffffffffUL,
           res ? "failed" : "ok");
    close(fds[0]);

    pipe(fds);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;                 /* no SA_RESTART: read fails with EINTR */
    sigaction(SIGUSR1, &sa, NULL);
    pthread_create(&t, NULL, interrupted_reader, NULL);
    while (!waiting)
        usleep(1000);
    usleep(100000);                          /* let it block in read */
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);

    write(fds[1], "12345", 5);
    char a[3], b[10];
    struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
    printf("4. readv of 3 + 10 bytes from a pipe holding 5: %zd\n", readv(fds[0], iov, 2));
    close(fds[0]);
    close(fds[1]);
    return 0;
}
