/* sys_files — the file-system and descriptor calls a C library makes
 * (statx behind stat, mkdirat, unlinkat, faccessat, getcwd, chdir,
 * readlinkat, dup/dup3, pipe2, fcntl64, ioctl, readv/writev, and writes
 * against RLIMIT_FSIZE), each result printed, for the differential suite (vmlab vs qemu-riscv32).  It works
 * in a scratch directory named by its first argument (default "."). */
#define _GNU_SOURCE 1                  /* dup3, pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

/* While a file-size limit is set, the lines are held here and printed
 * after it (stdout may be a file past the limit). */
static char held[4096];
static size_t nheld;
static int holding;

static void result(const char *what, long r)
{
    char line[128];
    if (r == -1)
        snprintf(line, sizeof line, "%-44s -1 %s\n", what, strerror(errno));
    else
        snprintf(line, sizeof line, "%-44s %ld\n", what, r);
    if (!holding)
        fputs(line, stdout);
    else if (nheld + strlen(line) < sizeof held)
        nheld += (size_t)snprintf(held + nheld, sizeof held - nheld, "%s", line);
}

static volatile sig_atomic_t xfsz;

static void on_xfsz(int sig)
{
    (void)sig;
    xfsz++;
}

/* RLIMIT_FSIZE at 1000 bytes: a write stops at it, one at it fails with
 * EFBIG and SIGXFSZ (caught here), a writev is cut once for its total, an
 * empty write and a pipe have no limit, and O_APPEND writes at the end. */
static void file_size_limit(void)
{
    static char big[1200];
    memset(big, 'x', sizeof big);
    struct rlimit old, lim;
    struct stat st;
    result("getrlimit(RLIMIT_FSIZE): unlimited",
           getrlimit(RLIMIT_FSIZE, &old) == 0 && old.rlim_cur == RLIM_INFINITY);
    lim = old;
    lim.rlim_cur = 1000;
    holding = 1;
    result("setrlimit(RLIMIT_FSIZE, 1000)", setrlimit(RLIMIT_FSIZE, &lim));
    signal(SIGXFSZ, on_xfsz);
    int fd = open("big.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    result("write 600 under the limit", write(fd, big, 600));
    result("write 600 more: cut at 1000", write(fd, big, 600));
    result("SIGXFSZ so far", xfsz);
    result("write 0 bytes at the limit", write(fd, big, 0));
    result("write 1 byte at the limit", write(fd, big, 1));
    result("SIGXFSZ after it", xfsz);
    result("lseek(fd, 700, SEEK_SET)", lseek(fd, 700, SEEK_SET));
    struct iovec iov[3] = { { big, 200 }, { big, 200 }, { big, 200 } };
    result("writev 3 x 200 from 700: cut at 1000", writev(fd, iov, 3));
    result("writev at the limit", writev(fd, iov, 3));
    result("SIGXFSZ after them", xfsz);
    result("lseek(fd, 5000, SEEK_SET) is allowed", lseek(fd, 5000, SEEK_SET));
    result("write 1 byte past the limit", write(fd, big, 1));
    close(fd);
    fd = open("big.txt", O_WRONLY | O_APPEND);
    result("O_APPEND write at the end (1000)", write(fd, big, 1));
    close(fd);
    result("stat: the file stops at the limit", stat("big.txt", &st) == 0 ? (long)st.st_size : -1);
    int p[2];
    pipe(p);
    result("a pipe has no limit: write 1200", write(p[1], big, sizeof big));
    close(p[0]);
    close(p[1]);
    result("SIGXFSZ in all", xfsz);
    signal(SIGXFSZ, SIG_DFL);
    result("setrlimit back to unlimited", setrlimit(RLIMIT_FSIZE, &old));
    holding = 0;
    fputs(held, stdout);
    result("unlink(\"big.txt\")", unlink("big.txt"));
}

static const char *kind(mode_t m)
{
    return S_ISDIR(m) ? "directory" : S_ISREG(m) ? "regular file" : S_ISFIFO(m) ? "fifo"
         : S_ISCHR(m) ? "character device" : "other";
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : ".";
    char start[512], cwd[512];
    struct stat st;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!getcwd(start, sizeof start) || chdir(dir) != 0) {
        perror(dir);
        return 1;
    }
    result("mkdir(\"d\", 0755)", mkdir("d", 0755));
    result("mkdir(\"d\") again", mkdir("d", 0755));
    result("chdir(\"d\")", chdir("d"));
    printf("%-44s %s\n", "getcwd ends in /d", getcwd(cwd, sizeof cwd) &&
           !strcmp(strrchr(cwd, '/'), "/d") ? "yes" : "no");
    result("getcwd with a 1-byte buffer", getcwd(cwd, 1) ? 0 : -1);

    int fd = open("f.txt", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    result("open(\"f.txt\", O_WRONLY|O_CREAT)", fd >= 0 ? 0 : -1);
    result("write 11 bytes", write(fd, "hello file\n", 11));
    struct iovec iov[2] = { { "two ", 4 }, { "parts\n", 6 } };
    result("writev 2 buffers", writev(fd, iov, 2));
    result("fstat: size", fstat(fd, &st) == 0 ? (long)st.st_size : -1);
    printf("%-44s %s\n", "fstat: kind", kind(st.st_mode));
    result("fcntl(F_GETFL) & O_ACCMODE", fcntl(fd, F_GETFL) & O_ACCMODE);
    result("fcntl(F_GETFD)", fcntl(fd, F_GETFD));
    result("fcntl(F_SETFD, FD_CLOEXEC)", fcntl(fd, F_SETFD, FD_CLOEXEC));
    result("fcntl(F_GETFD) after", fcntl(fd, F_GETFD));
    result("close", close(fd));

    result("stat(\"f.txt\"): size", stat("f.txt", &st) == 0 ? (long)st.st_size : -1);
    printf("%-44s %s, mode %03o\n", "stat: kind", kind(st.st_mode), (unsigned)(st.st_mode & 0777));
    result("lstat(\"f.txt\"): size", lstat("f.txt", &st) == 0 ? (long)st.st_size : -1);
    result("stat(\"missing\")", stat("missing", &st));
    result("stat(\"f.txt/x\") (not a directory)", stat("f.txt/x", &st));
    result("stat(\"..\"): a directory", stat("..", &st) == 0 && S_ISDIR(st.st_mode));
    result("access(\"f.txt\", R_OK|W_OK)", access("f.txt", R_OK | W_OK));
    result("access(\"missing\", F_OK)", access("missing", F_OK));
    result("readlink(\"f.txt\") (not a link)", readlink("f.txt", cwd, sizeof cwd));

    fd = open("f.txt", O_RDONLY);
    char a[6] = { 0 }, b[32] = { 0 };
    struct iovec riov[2] = { { a, 5 }, { b, sizeof b - 1 } };
    result("readv into 5 + 31 bytes", readv(fd, riov, 2));
    printf("%-44s \"%s\" then %zu bytes\n", "readv got", a, strlen(b));
    result("lseek(fd, 0, SEEK_SET)", lseek(fd, 0, SEEK_SET));
    int d = dup(fd);
    result("dup: a new fd above", d > fd);
    result("dup3(fd, fd, 0)", dup3(fd, fd, 0));
    result("dup2(fd, 20)", dup2(fd, 20));
    char c;
    result("read 1 byte through fd 20", read(20, &c, 1));
    printf("%-44s %c\n", "it is", c);
    result("close(20)", close(20));
    result("close(20) again", close(20));
    result("close(d)", close(d));
    result("close(fd)", close(fd));
    result("fcntl on a closed fd", fcntl(fd, F_GETFD));
    file_size_limit();

    int p[2];
    result("pipe", pipe(p));
    result("write 6 into the pipe", write(p[1], "piped\n", 6));
    char buf[16] = { 0 };
    result("read it back", read(p[0], buf, sizeof buf - 1));
    printf("%-44s %s", "got", buf);
    result("fstat(pipe): a fifo", fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
    result("fcntl(F_SETFL, O_NONBLOCK)", fcntl(p[0], F_SETFL, O_NONBLOCK));
    result("fcntl(F_GETFL) & O_NONBLOCK", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    result("read an empty non-blocking pipe", read(p[0], buf, 1));
    close(p[0]);
    close(p[1]);
    result("pipe2(O_CLOEXEC)", pipe2(p, O_CLOEXEC));
    result("fcntl(F_GETFD) of its read end", fcntl(p[0], F_GETFD));
    close(p[0]);
    close(p[1]);

    int null = open("/dev/null", O_RDWR);
    result("isatty(/dev/null)", isatty(null));
    struct winsize ws;
    result("ioctl(/dev/null, TIOCGWINSZ)", ioctl(null, TIOCGWINSZ, &ws));
    result("fstat(/dev/null): character device", fstat(null, &st) == 0 && S_ISCHR(st.st_mode));
    close(null);

    result("rmdir(\".\")-like: rmdir of a non-empty dir", (chdir(".."), rmdir("d")));
    result("unlink(\"d/f.txt\")", unlink("d/f.txt"));
    result("unlink(\"d/f.txt\") again", unlink("d/f.txt"));
    result("rmdir(\"d\")", rmdir("d"));
    result("chdir back", chdir(start));
    return 0;
}
