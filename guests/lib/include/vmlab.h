/* vmlab.h — extras of vmlab's OS layer that no standard header has. */
#ifndef VMLAB_VMLAB_H
#define VMLAB_VMLAB_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How many times the OS layer has called brk / mmap2 / munmap so far
 * (every call, including brk(0) queries).  Compare with
 * `vmlab run --trace syscall`. */
unsigned vmlab_brk_calls(void);
unsigned vmlab_mmap_calls(void);
unsigned vmlab_munmap_calls(void);

/* The auxiliary vector as the kernel left it ({type, value} pairs ending
 * with type 0). */
extern unsigned long *__vmlab_auxv;

/* Thread-local storage (lib/tls.c).  A TLS block is the program's .tdata
 * image followed by zeroed .tbss, __vmlab_tls_size() bytes aligned to
 * __vmlab_tls_align().  __vmlab_tls_init fills such a block and returns
 * the value tp must hold for it (RISC-V: tp points at the block, TLS
 * variant I with no thread control block before it).  crt0 does this once
 * for the main thread; a thread library does it for each new thread. */
size_t __vmlab_tls_size(void);
size_t __vmlab_tls_align(void);
void *__vmlab_tls_init(void *block);

#ifdef __cplusplus
}
#endif

#endif
