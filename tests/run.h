/* tests/run.h — running a command for end-to-end tests: captured stdout
 * and stderr, exit status, and a time limit so a hang fails instead of
 * blocking the suite. */
#ifndef VMLAB_TESTS_RUN_H
#define VMLAB_TESTS_RUN_H

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
void run_free(struct run_result *r);

/* True if PROGRAM can be found in PATH. */
int  have_program(const char *name);

#endif
