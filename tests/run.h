/* tests/run.h — running a command for end-to-end tests: captured stdout
 * and stderr, exit status, and a time limit so a hang fails instead of
 * blocking the suite. */
#ifndef VMLAB_TESTS_RUN_H
#define VMLAB_TESTS_RUN_H

#include <stdbool.h>
#include <stddef.h>

struct run_result {
    char  *out, *err;          /* NUL-terminated, malloc'd */
    size_t outlen, errlen;
    int    status;             /* exit code, 128+signal, or -1 if it could not run */
    int    timed_out;
};

/* Run argv (argv[0] looked up in PATH) with environment envp (NULL: a
 * fixed minimal one) in directory cwd (NULL: current), stdin from
 * /dev/null, killing it after timeout_s seconds. */
int  run_cmd(char *const argv[], char *const envp[], const char *cwd, int timeout_s,
             struct run_result *r);
/* The same with `input` (NUL-terminated, at most a pipe's 64 KiB) as
 * stdin through a pipe, or /dev/null if input is NULL. */
int  run_cmd_input(char *const argv[], char *const envp[], const char *cwd, const char *input,
                   int timeout_s, struct run_result *r);
void run_free(struct run_result *r);

/* The same in steps, for a conversation with the command: start it (with
 * stdin on a pipe, rp->in, when with_stdin), wait until its stdout holds
 * some text, write to rp->in, then finish as run_cmd does (stdin closed,
 * the rest of the output collected, the status taken). */
struct run_proc {
    int    pid;
    int    in, out, err;           /* pipe ends, -1 once closed */
    struct run_result r;           /* output so far */
    size_t ocap, ecap;
};
int run_start(char *const argv[], char *const envp[], const char *cwd, bool with_stdin,
              struct run_proc *rp);
int run_wait_for(struct run_proc *rp, const char *text, int timeout_s);   /* 0 or -1 */
int run_finish(struct run_proc *rp, int timeout_s, struct run_result *r);
/* Start argv (a path) in the background with run_cmd's fixed minimal
 * environment, stdin from /dev/null, stdout and stderr into the files
 * out_path and err_path.  Returns its pid, or -1. */
int  run_spawn(char *const argv[], const char *out_path, const char *err_path);
/* The same with stdin from in_fd (the child's copy; -1: /dev/null). */
int  run_spawn_in(char *const argv[], int in_fd, const char *out_path, const char *err_path);
/* The status of a run_spawn child that has ended (exit code or
 * 128+signal), or -1 while it runs (no waiting). */
int  run_poll(int pid);
/* Wait up to timeout_s for it: its status; past that it is killed
 * (SIGKILL) and -2 is returned. */
int  run_reap(int pid, int timeout_s);
/* Send process pid the signal named (without SIG: "INT", "TERM", "HUP",
 * "USR1", "USR2", "QUIT").  0, or -1 for another name or a failed kill. */
int  run_kill(int pid, const char *name);
/* Wait (at most timeout_s) until process pid waits in a host read of its
 * fd 0 (x86-64 Linux: /proc/PID/syscall says read, fd 0).  0 or -1. */
int  run_wait_in_read(int pid, int timeout_s);
/* The same for any host call: until /proc/PID/syscall starts with prefix
 * (its number and arguments, e.g. "230 " for x86-64 clock_nanosleep). */
int  run_wait_in_syscall(int pid, const char *prefix, int timeout_s);

/* True if PROGRAM can be found in PATH. */
int  have_program(const char *name);

#endif
