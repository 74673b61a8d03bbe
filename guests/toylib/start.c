/* start.c — the C half of process start-up (crt0.S calls __vmlab_start),
 * exit(), atexit() and the auxiliary vector. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>
#include <vmlab.h>

char **environ;
unsigned long *__vmlab_auxv;

void __vmlab_start(char **envp);
void __vmlab_stdio_flush_all(void);

/* Constructors/destructors ranges from vmlab.ld. */
typedef void (*vmlab_ctor)(void);
extern vmlab_ctor __preinit_array_start[], __preinit_array_end[];
extern vmlab_ctor __init_array_start[], __init_array_end[];
extern vmlab_ctor __fini_array_start[], __fini_array_end[];

/* Record envp and the auxv (which follows envp's NULL) and run the
 * constructors.  Called once, by _start, before main. */
void __vmlab_start(char **envp)
{
    char **p = envp;

    environ = envp;
    while (*p)
        p++;
    __vmlab_auxv = (unsigned long *)(p + 1);

    for (vmlab_ctor *c = __preinit_array_start; c < __preinit_array_end; c++)
        (*c)();
    for (vmlab_ctor *c = __init_array_start; c < __init_array_end; c++)
        (*c)();
}

unsigned long getauxval(unsigned long type)
{
    for (unsigned long *a = __vmlab_auxv; a && a[0] != AT_NULL; a += 2)
        if (a[0] == type)
            return a[1];
    errno = ENOENT;
    return 0;
}

char *getenv(const char *name)
{
    size_t n = 0;

    while (name[n] && name[n] != '=')
        n++;
    for (char **e = environ; e && *e; e++) {
        size_t i = 0;
        while (i < n && (*e)[i] == name[i])
            i++;
        if (i == n && (*e)[n] == '=')
            return *e + n + 1;
    }
    return NULL;
}

#define ATEXIT_MAX 32
static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
    if (atexit_count == ATEXIT_MAX)
        return -1;
    atexit_fns[atexit_count++] = fn;
    return 0;
}

void exit(int status)
{
    while (atexit_count > 0)
        atexit_fns[--atexit_count]();
    for (vmlab_ctor *c = __fini_array_end; c > __fini_array_start; )
        (*--c)();
    __vmlab_stdio_flush_all();
    _exit(status);
}

void _Exit(int status)
{
    _exit(status);
}
