/* stdio.h — formatted output and simple input over read(2)/write(2).
 *
 * stdout is line-buffered: text collects in a buffer and goes out with one
 * write() when a call has written a newline, when the buffer is full, on
 * fflush(), before reading stdin, and at exit().  stderr is unbuffered:
 * every call is one write().  Output of a process killed by a signal that
 * has not reached a newline is lost, as with a real libc.
 *
 * printf supports the conversions d i u x X o p s c %, the flags - 0 + space
 * #, a width and a precision (number or *), and the length modifiers
 * hh h l ll z t j.  No floating point.
 */
#ifndef VMLAB_STDIO_H
#define VMLAB_STDIO_H

#include <stdarg.h>
#include <stddef.h>

typedef struct vmlab_file FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

#define EOF    (-1)
#define BUFSIZ 1024

#define VMLAB_PRINTF(f, a) __attribute__((format(printf, f, a)))

int printf(const char *fmt, ...) VMLAB_PRINTF(1, 2);
int fprintf(FILE *f, const char *fmt, ...) VMLAB_PRINTF(2, 3);
int sprintf(char *buf, const char *fmt, ...) VMLAB_PRINTF(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) VMLAB_PRINTF(3, 4);
int vprintf(const char *fmt, va_list ap) VMLAB_PRINTF(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) VMLAB_PRINTF(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) VMLAB_PRINTF(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) VMLAB_PRINTF(3, 0);

int putchar(int c);
int puts(const char *s);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int fputs(const char *s, FILE *f);
size_t fwrite(const void *p, size_t size, size_t n, FILE *f);
int fflush(FILE *f);                    /* NULL: flush stdout and stderr */
void perror(const char *s);             /* "s: message\n" on stderr */

int getchar(void);
int fgetc(FILE *f);
int getc(FILE *f);
char *fgets(char *buf, int size, FILE *f);
int feof(FILE *f);
int ferror(FILE *f);

#endif
