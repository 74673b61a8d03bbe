/* tests/run.c — see run.h. */
#define _GNU_SOURCE
#include "tests/run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int append(char **buf, size_t *len, size_t *cap, const char *src, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + n + 1)
            c *= 2;
        char *nb = realloc(*buf, c);
        if (!nb)
            return -1;
        *buf = nb;
        *cap = c;
    }
    memcpy(*buf + *len, src, n);
    *len += n;
    (*buf)[*len] = 0;
    return 0;
}

static char *const default_env[] = { "PATH=/usr/bin:/bin", "LANG=C", NULL };

int run_start(char *const argv[], char *const envp[], const char *cwd, bool with_stdin,
              struct run_proc *rp)
{
    memset(rp, 0, sizeof *rp);
    rp->in = rp->out = rp->err = -1;
    rp->r.status = -1;
    append(&rp->r.out, &rp->r.outlen, &rp->ocap, "", 0);
    append(&rp->r.err, &rp->r.errlen, &rp->ecap, "", 0);
    int pi[2] = { -1, -1 }, po[2], pe[2];
    if ((with_stdin && pipe(pi)) || pipe(po) || pipe(pe))
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        struct rlimit nocore = { 0, 0 };    /* no host core of qemu itself */
        setrlimit(RLIMIT_CORE, &nocore);
        if (with_stdin) {
            dup2(pi[0], 0);
            close(pi[0]), close(pi[1]);
        } else {
            int devnull = open("/dev/null", O_RDONLY);
            dup2(devnull, 0);
        }
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]), close(pe[0]), close(po[1]), close(pe[1]);
        if (cwd && chdir(cwd) != 0)
            _exit(126);
        execvpe(argv[0], argv, envp ? envp : default_env);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    if (with_stdin) {
        close(pi[0]);
        rp->in = pi[1];
    }
    close(po[1]);
    close(pe[1]);
    rp->pid = pid;
    rp->out = po[0];
    rp->err = pe[0];
    return 0;
}

/* Read what is there on stdout and stderr, waiting up to `left` seconds;
 * returns 0, or -1 when both are closed. */
static int pump(struct run_proc *rp, int left)
{
    struct pollfd fds[2] = { { rp->out, POLLIN, 0 }, { rp->err, POLLIN, 0 } };
    if (rp->out < 0 && rp->err < 0)
        return -1;
    if (poll(fds, 2, left * 1000) < 0 && errno != EINTR)
        return -1;
    for (int i = 0; i < 2; i++) {
        if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        char buf[65536];
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
            close(fds[i].fd);
            *(i == 0 ? &rp->out : &rp->err) = -1;
        } else if (i == 0) {
            append(&rp->r.out, &rp->r.outlen, &rp->ocap, buf, (size_t)n);
        } else {
            append(&rp->r.err, &rp->r.errlen, &rp->ecap, buf, (size_t)n);
        }
    }
    return 0;
}

int run_wait_for(struct run_proc *rp, const char *text, int timeout_s)
{
    time_t deadline = time(NULL) + timeout_s;
    while (!strstr(rp->r.out, text)) {
        int left = (int)(deadline - time(NULL));
        if (left <= 0 || pump(rp, left) < 0)
            return -1;
    }
    return 0;
}

int run_finish(struct run_proc *rp, int timeout_s, struct run_result *r)
{
    if (rp->in >= 0)
        close(rp->in);
    rp->in = -1;
    time_t deadline = time(NULL) + timeout_s;
    while (rp->out >= 0 || rp->err >= 0) {
        int left = (int)(deadline - time(NULL));
        if (left <= 0) {
            kill(rp->pid, SIGKILL);
            rp->r.timed_out = 1;
            break;
        }
        if (pump(rp, left) < 0)
            break;
    }
    if (rp->out >= 0)
        close(rp->out);
    if (rp->err >= 0)
        close(rp->err);
    int st;
    *r = rp->r;
    if (waitpid(rp->pid, &st, 0) < 0)
        return -1;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 0;
}

int run_cmd(char *const argv[], char *const envp[], const char *cwd, int timeout_s,
            struct run_result *r)
{
    struct run_proc rp;
    if (run_start(argv, envp, cwd, false, &rp) != 0) {
        memset(r, 0, sizeof *r);
        r->status = -1;
        return -1;
    }
    return run_finish(&rp, timeout_s, r);
}

int run_cmd_input(char *const argv[], char *const envp[], const char *cwd, const char *input,
                  int timeout_s, struct run_result *r)
{
    if (!input)
        return run_cmd(argv, envp, cwd, timeout_s, r);
    struct run_proc rp;
    if (run_start(argv, envp, cwd, true, &rp) != 0) {
        memset(r, 0, sizeof *r);
        r->status = -1;
        return -1;
    }
    size_t len = strlen(input), off = 0;        /* small: fits in the pipe at once */
    while (off < len) {
        ssize_t w = write(rp.in, input + off, len - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    return run_finish(&rp, timeout_s, r);       /* closes stdin first */
}

void run_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

int run_spawn(char *const argv[], const char *out_path, const char *err_path)
{
    return run_spawn_in(argv, -1, out_path, err_path);
}

int run_spawn_in(char *const argv[], int in_fd, const char *out_path, const char *err_path)
{
    int fo = open(out_path, O_WRONLY | O_TRUNC), fe = open(err_path, O_WRONLY | O_TRUNC);
    pid_t pid = fo >= 0 && fe >= 0 ? fork() : -1;
    if (pid == 0) {
        /* every descriptor above 2 first: one of 0-2 may be closed in the
         * test process (a guest closed its stdin), and open() reuses it */
        int o = fcntl(fo, F_DUPFD, 10), e = fcntl(fe, F_DUPFD, 10);
        int n = fcntl(in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY), F_DUPFD, 10);
        dup2(n, 0);
        dup2(o, 1);
        dup2(e, 2);
        execve(argv[0], argv, default_env);  /* the environment run_cmd gives */
        _exit(127);
    }
    if (fo >= 0)
        close(fo);
    if (fe >= 0)
        close(fe);
    return (int)pid;
}

static int status_of(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int run_poll(int pid)
{
    int st;
    return waitpid((pid_t)pid, &st, WNOHANG) == pid ? status_of(st) : -1;
}

int run_reap(int pid, int timeout_s)
{
    int st;
    for (int i = 0; i < timeout_s * 100; i++) {
        if (waitpid((pid_t)pid, &st, WNOHANG) == pid)
            return status_of(st);
        usleep(10000);
    }
    kill((pid_t)pid, SIGKILL);
    waitpid((pid_t)pid, &st, 0);
    return -2;
}

int run_kill(int pid, const char *name)
{
    static const struct { const char *name; int sig; } sigs[] = {
        { "INT", SIGINT }, { "TERM", SIGTERM }, { "HUP", SIGHUP },
        { "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "QUIT", SIGQUIT },
    };
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        if (!strcmp(name, sigs[i].name))
            return kill((pid_t)pid, sigs[i].sig);
    return -1;
}

int run_wait_in_read(int pid, int timeout_s)
{
    return run_wait_in_syscall(pid, "0 0x0 ", timeout_s);
}

int run_wait_in_syscall(int pid, const char *prefix, int timeout_s)
{
    char path[64], buf[64];
    snprintf(path, sizeof path, "/proc/%d/syscall", pid);
    for (int i = 0; i < timeout_s * 100; i++) {
        FILE *f = fopen(path, "r");
        bool in = f && fgets(buf, sizeof buf, f) && !strncmp(buf, prefix, strlen(prefix));
        if (f)
            fclose(f);
        if (in)
            return 0;
        usleep(10000);
    }
    return -1;
}

int have_program(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}
