/* unistd.h — picolibc's, plus the Linux calls it does not declare. */
#ifndef VMLAB_UNISTD_H
#define VMLAB_UNISTD_H

#include_next <unistd.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Set the program break to addr: 0, or -1 (ENOMEM) if the kernel refused. */
int brk(void *addr);
/* The calling thread's id (the process id while there is one thread). */
pid_t gettid(void);

#ifdef __cplusplus
}
#endif

#endif
