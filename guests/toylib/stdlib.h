/* stdlib.h — exit, numbers from text, rand, qsort, and the heap allocator. */
#ifndef VMLAB_STDLIB_H
#define VMLAB_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     0x7fffffff

/* exit: run atexit functions (last registered first), flush stdout, end
 * the process with exit_group(status). */
__attribute__((noreturn)) void exit(int status);
__attribute__((noreturn)) void _Exit(int status);
__attribute__((noreturn)) void abort(void);
int atexit(void (*fn)(void));           /* at most 32 */

/* The heap (lib/malloc.c): first-fit over a free list on brk, large
 * blocks on mmap.  See malloc.h for the statistics helpers. */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);

int abs(int x);
long labs(long x);
long long llabs(long long x);
int atoi(const char *s);
long atol(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
long long strtoll(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);

int rand(void);                         /* 0..RAND_MAX, deterministic LCG */
void srand(unsigned int seed);

void qsort(void *base, size_t n, size_t size,
           int (*cmp)(const void *, const void *));

char *getenv(const char *name);

#endif
