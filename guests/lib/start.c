/* start.c — the C half of process start-up (crt0.S calls __vmlab_start),
 * exit(), and the auxiliary vector. */
#include <errno.h>
#include <picolibc.h>           /* PICOLIBC_TLS, which picotls.h needs */
#include <picotls.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>
#include <vmlab.h>

#include "os.h"

unsigned long *__vmlab_auxv;

/* The main thread's TLS block: vmlab.ld reserves __tls_size bytes for it
 * in .bss, aligned to __tls_align. */
extern char __vmlab_main_tls[];

void __vmlab_start(char **envp);
void __libc_init_array(void);       /* picolibc: .preinit_array, _init, .init_array */
void __libc_fini_array(void);       /* picolibc: .fini_array (in reverse), _fini */
void __call_exitprocs(int, void *) __attribute__((weak));   /* atexit's list, if linked */

/* Called once by _start, before main.  Nothing before _set_tls may touch
 * errno or any other thread-local variable: tp is still 0. */
void __vmlab_start(char **envp)
{
    char **p = envp;

    _set_tls(__vmlab_tls_init(__vmlab_main_tls));
    environ = envp;
    while (*p)
        p++;
    __vmlab_auxv = (unsigned long *)(p + 1);
    __libc_init_array();
}

unsigned long getauxval(unsigned long type)
{
    for (unsigned long *a = __vmlab_auxv; a && a[0] != AT_NULL; a += 2)
        if (a[0] == type)
            return a[1];
    errno = ENOENT;
    return 0;
}

/* C11 7.22.4.4: atexit functions in reverse order, then destructors, then
 * every open stream is flushed, then the process ends. */
void exit(int status)
{
    if (__call_exitprocs)
        __call_exitprocs(status, NULL);
    __libc_fini_array();
    __vmlab_stdio_flush_all();
    _exit(status);
}
