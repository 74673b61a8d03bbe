/* tls.c — thread-local storage blocks.
 *
 * picolibc keeps errno (and a few other variables) thread-local, reached
 * through tp, which the kernel starts at 0.  RISC-V uses TLS variant I
 * with no thread control block before the data: tp holds the address of
 * the thread's block, and a variable at offset o of the .tdata/.tbss image
 * lives at tp + o (the linker's %tprel, local-exec model; picolibc.specs
 * compiles with -ftls-model=local-exec).  A block is __tls_size bytes:
 * the .tdata image, then zeroes for .tbss, aligned to __tls_align — the
 * symbols vmlab.ld defines for picolibc's _init_tls.
 *
 * One function does a block, so the main thread (start.c, with the block
 * vmlab.ld reserves in .bss) and pthread_create (pthread.c, with a block at
 * the top of each new thread's stack) set up TLS the same way.
 */
#include <picolibc.h>           /* PICOLIBC_TLS, which picotls.h needs */
#include <picotls.h>
#include <vmlab.h>

size_t __vmlab_tls_size(void)
{
    return _tls_size();
}

size_t __vmlab_tls_align(void)
{
    return _tls_align();
}

void *__vmlab_tls_init(void *block)
{
    _init_tls(block);           /* copy .tdata, zero .tbss */
    return block;               /* variant I, no TCB: tp = the block */
}
