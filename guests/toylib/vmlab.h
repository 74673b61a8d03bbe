/* vmlab.h — extras of the vmlab guest runtime that no standard header has. */
#ifndef VMLAB_VMLAB_H
#define VMLAB_VMLAB_H

/* How many times the runtime has called brk / mmap2 / munmap so far (every
 * call, including brk(0) queries).  Compare with `vmlab run --trace syscall`. */
unsigned vmlab_brk_calls(void);
unsigned vmlab_mmap_calls(void);
unsigned vmlab_munmap_calls(void);

/* The auxiliary vector as the kernel left it ({type, value} pairs ending
 * with type 0), and the environment. */
extern unsigned long *__vmlab_auxv;
extern char **environ;

#endif
