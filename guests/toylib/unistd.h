/* unistd.h — thin wrappers around Linux system calls. */
#ifndef VMLAB_UNISTD_H
#define VMLAB_UNISTD_H

#include <sys/types.h>

#define STDIN_FILENO  0
#define STDOUT_FILENO 1
#define STDERR_FILENO 2

/* All return -1 and set errno on failure, like libc. */
ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);

int close(int fd);
/* Move the file offset (SEEK_SET, SEEK_CUR, SEEK_END); returns the new one. */
off_t lseek(int fd, off_t offset, int whence);
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* End the whole process now (exit_group), without flushing stdio. */
__attribute__((noreturn)) void _exit(int status);

/* The program break: the end of the heap that grows up from the bss.
 * brk(addr) moves it to addr (0, or -1 with ENOMEM).  sbrk(incr) moves it
 * by incr and returns the OLD break, or (void *)-1 with ENOMEM; sbrk(0)
 * just reports it.  The kernel call itself never fails: it returns the new
 * break, or the unchanged one when it refuses. */
int brk(void *addr);
void *sbrk(intptr_t incr);

pid_t getpid(void);
pid_t gettid(void);
int getpagesize(void);

long syscall(long n, ...);

extern char **environ;                  /* "NAME=value" strings, NULL-terminated */

#endif
