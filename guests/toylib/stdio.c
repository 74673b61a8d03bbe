/* stdio.c — printf and friends over write(2), simple input over read(2).
 *
 * Buffering (see stdio.h): every output call collects its bytes in the
 * FILE's buffer and, when the call ends, writes them with one write() if
 * the stream is unbuffered (stderr) or if a newline went out (stdout).
 * So `printf("a=%d\n", a)` is exactly one write system call, which keeps
 * `--trace syscall` readable.
 */
#include <assert.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { F_LINEBUF = 0, F_UNBUF = 1 };                 /* mode */
enum { F_NEWLINE = 1, F_EOF = 2, F_ERR = 4 };        /* flags */

struct vmlab_file {
    int fd;
    int mode;
    int flags;
    char *buf;          /* output buffer, or input buffer for stdin */
    size_t cap;
    size_t wlen;        /* output bytes waiting */
    size_t rpos, rlen;  /* input: next byte, bytes in buffer */
};

static char out_space[BUFSIZ], err_space[256], in_space[BUFSIZ];

static FILE file_in = { 0, F_LINEBUF, 0, in_space, sizeof in_space, 0, 0, 0 };
static FILE file_out = { 1, F_LINEBUF, 0, out_space, sizeof out_space, 0, 0, 0 };
static FILE file_err = { 2, F_UNBUF, 0, err_space, sizeof err_space, 0, 0, 0 };

FILE *stdin = &file_in;
FILE *stdout = &file_out;
FILE *stderr = &file_err;

void __vmlab_stdio_flush_all(void);

/* ---- output ---------------------------------------------------------------- */

static void flush_out(FILE *f)
{
    size_t done = 0;

    while (done < f->wlen) {
        ssize_t n = write(f->fd, f->buf + done, f->wlen - done);
        if (n <= 0) {
            f->flags |= F_ERR;
            break;
        }
        done += (size_t)n;
    }
    f->wlen = 0;
}

static void put_byte(FILE *f, char c)
{
    f->buf[f->wlen++] = c;
    if (c == '\n')
        f->flags |= F_NEWLINE;
    if (f->wlen == f->cap)
        flush_out(f);
}

/* Called at the end of every public output function. */
static void end_call(FILE *f)
{
    if (f->mode == F_UNBUF || (f->flags & F_NEWLINE)) {
        if (f == stderr && stdout->wlen)
            flush_out(stdout);          /* keep a partial stdout line first */
        flush_out(f);
    }
    f->flags &= ~F_NEWLINE;
}

int fflush(FILE *f)
{
    if (!f) {
        __vmlab_stdio_flush_all();
        return 0;
    }
    if (f->wlen)
        flush_out(f);
    return (f->flags & F_ERR) ? EOF : 0;
}

void __vmlab_stdio_flush_all(void)
{
    fflush(stdout);
    fflush(stderr);
}

/* ---- the formatter ---------------------------------------------------------- */

/* Where formatted characters go: a FILE, or a buffer of cap bytes (the
 * count n goes on past cap, as snprintf must report it). */
struct sink {
    FILE *f;
    char *buf;
    size_t cap;
    size_t n;
};

static void emit(struct sink *s, char c)
{
    if (s->f)
        put_byte(s->f, c);
    else if (s->n + 1 < s->cap)
        s->buf[s->n] = c;
    s->n++;
}

static void emit_n(struct sink *s, char c, int count)
{
    while (count-- > 0)
        emit(s, c);
}

enum { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG };

struct spec {
    int left, zero, plus, space, alt;
    int width;
    int prec;           /* -1: none */
};

/* Digits of v in base (8, 10 or 16), least significant first; returns count. */
static int to_digits(char *out, unsigned long long v, unsigned base, int upper)
{
    const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;

    while (v > UINT32_MAX) {            /* 64-bit division only when needed */
        out[n++] = dig[v % base];
        v /= base;
    }
    for (uint32_t w = (uint32_t)v; w; w /= base)
        out[n++] = dig[w % base];
    return n;
}

static void emit_int(struct sink *s, const struct spec *sp, unsigned long long mag,
                     int neg, unsigned base, int upper, const char *alt_prefix)
{
    char digits[24];
    const char *prefix = "";
    int nd = to_digits(digits, mag, base, upper);
    int zeros = 0, plen, width_left;

    if (neg)
        prefix = "-";
    else if (sp->plus)
        prefix = "+";
    else if (sp->space)
        prefix = " ";
    if (alt_prefix && mag != 0)
        prefix = alt_prefix;

    if (sp->prec >= 0) {
        if (sp->prec > nd)
            zeros = sp->prec - nd;
    } else if (nd == 0) {
        zeros = 1;                      /* the value 0 prints as "0" */
    }
    if (base == 8 && sp->alt && zeros == 0 && (nd == 0 || digits[nd - 1] != '0'))
        zeros = 1;

    plen = (int)strlen(prefix);
    width_left = sp->width - plen - zeros - nd;
    if (sp->zero && !sp->left && sp->prec < 0) {
        zeros += width_left > 0 ? width_left : 0;
        width_left = 0;
    }
    if (!sp->left)
        emit_n(s, ' ', width_left);
    while (*prefix)
        emit(s, *prefix++);
    emit_n(s, '0', zeros);
    while (nd > 0)
        emit(s, digits[--nd]);
    if (sp->left)
        emit_n(s, ' ', width_left);
}

static void emit_str(struct sink *s, const struct spec *sp, const char *str)
{
    int len = (int)(sp->prec >= 0 ? strnlen(str, (size_t)sp->prec) : strlen(str));

    if (!sp->left)
        emit_n(s, ' ', sp->width - len);
    for (int i = 0; i < len; i++)
        emit(s, str[i]);
    if (sp->left)
        emit_n(s, ' ', sp->width - len);
}

static int format(struct sink *s, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        struct spec sp = { 0, 0, 0, 0, 0, 0, -1 };
        int len = LEN_INT;
        char c;

        if (*fmt != '%') {
            emit(s, *fmt);
            continue;
        }
        for (;;) {                                  /* flags */
            c = *++fmt;
            if (c == '-') sp.left = 1;
            else if (c == '0') sp.zero = 1;
            else if (c == '+') sp.plus = 1;
            else if (c == ' ') sp.space = 1;
            else if (c == '#') sp.alt = 1;
            else break;
        }
        if (*fmt == '*') {                          /* width */
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = 1;
                sp.width = -sp.width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                sp.width = sp.width * 10 + (*fmt++ - '0');
        }
        if (*fmt == '.') {                          /* precision */
            fmt++;
            sp.prec = 0;
            if (*fmt == '*') {
                sp.prec = va_arg(ap, int);
                if (sp.prec < 0)
                    sp.prec = -1;
                fmt++;
            } else {
                while (*fmt >= '0' && *fmt <= '9')
                    sp.prec = sp.prec * 10 + (*fmt++ - '0');
            }
        }
        for (;;) {                                  /* length */
            c = *fmt;
            if (c == 'h') len = len == LEN_SHORT ? LEN_CHAR : LEN_SHORT;
            else if (c == 'l') len = len == LEN_LONG ? LEN_LLONG : LEN_LONG;
            else if (c == 'j' || c == 'q') len = LEN_LLONG;
            else if (c == 'z' || c == 't') len = LEN_LONG;  /* 32-bit on rv32 */
            else break;
            fmt++;
        }

        switch (c = *fmt) {
        case 'd':
        case 'i': {
            long long v;
            if (len == LEN_LLONG) v = va_arg(ap, long long);
            else if (len == LEN_LONG) v = va_arg(ap, long);
            else v = va_arg(ap, int);
            if (len == LEN_CHAR) v = (signed char)v;
            if (len == LEN_SHORT) v = (short)v;
            emit_int(s, &sp, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v,
                     v < 0, 10, 0, NULL);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'o': {
            unsigned long long v;
            if (len == LEN_LLONG) v = va_arg(ap, unsigned long long);
            else if (len == LEN_LONG) v = va_arg(ap, unsigned long);
            else v = va_arg(ap, unsigned int);
            if (len == LEN_CHAR) v = (unsigned char)v;
            if (len == LEN_SHORT) v = (unsigned short)v;
            sp.plus = sp.space = 0;
            if (c == 'u')
                emit_int(s, &sp, v, 0, 10, 0, NULL);
            else if (c == 'o')
                emit_int(s, &sp, v, 0, 8, 0, NULL);
            else
                emit_int(s, &sp, v, 0, 16, c == 'X',
                         sp.alt ? (c == 'X' ? "0X" : "0x") : NULL);
            break;
        }
        case 'p': {
            uintptr_t v = (uintptr_t)va_arg(ap, void *);
            if (v == 0) {
                emit_str(s, &sp, "(nil)");
                break;
            }
            sp.plus = sp.space = 0;
            emit_int(s, &sp, v, 0, 16, 0, "0x");
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            emit_str(s, &sp, str ? str : "(null)");
            break;
        }
        case 'c': {
            char ch[2] = { (char)va_arg(ap, int), 0 };
            if (!sp.left)
                emit_n(s, ' ', sp.width - 1);
            emit(s, ch[0]);
            if (sp.left)
                emit_n(s, ' ', sp.width - 1);
            break;
        }
        case '%':
            emit(s, '%');
            break;
        case '\0':                                  /* lone '%' at the end */
            emit(s, '%');
            fmt--;
            break;
        default:                                    /* unknown: print as is */
            emit(s, '%');
            emit(s, c);
            break;
        }
    }
    return s->n > INT_MAX ? INT_MAX : (int)s->n;
}

/* ---- formatted output ------------------------------------------------------- */

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = { NULL, buf, size, 0 };
    int n = format(&s, fmt, ap);

    if (size)
        buf[s.n < size ? s.n : size - 1] = '\0';
    return n;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
    return vsnprintf(buf, INT_MAX, fmt, ap);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    struct sink s = { f, NULL, 0, 0 };
    int n = format(&s, fmt, ap);

    end_call(f);
    return n;
}

int vprintf(const char *fmt, va_list ap)
{
    return vfprintf(stdout, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, INT_MAX, fmt, ap);
    va_end(ap);
    return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vfprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- unformatted output ------------------------------------------------------ */

int fputc(int c, FILE *f)
{
    put_byte(f, (char)c);
    end_call(f);
    return (unsigned char)c;
}

int putc(int c, FILE *f)
{
    return fputc(c, f);
}

int putchar(int c)
{
    return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
    while (*s)
        put_byte(f, *s++);
    end_call(f);
    return 0;
}

int puts(const char *s)
{
    while (*s)
        put_byte(stdout, *s++);
    put_byte(stdout, '\n');
    end_call(stdout);
    return 0;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    const char *c = p;

    for (size_t i = 0; i < size * n; i++)
        put_byte(f, c[i]);
    end_call(f);
    return n;
}

/* ---- input ------------------------------------------------------------------- */

int fgetc(FILE *f)
{
    if (f->rpos == f->rlen) {
        ssize_t n;

        if (f->flags & (F_EOF | F_ERR))
            return EOF;
        fflush(stdout);                 /* show a prompt before waiting */
        n = read(f->fd, f->buf, f->cap);
        if (n <= 0) {
            f->flags |= n == 0 ? F_EOF : F_ERR;
            return EOF;
        }
        f->rpos = 0;
        f->rlen = (size_t)n;
    }
    return (unsigned char)f->buf[f->rpos++];
}

int getc(FILE *f)
{
    return fgetc(f);
}

int getchar(void)
{
    return fgetc(stdin);
}

char *fgets(char *buf, int size, FILE *f)
{
    int i = 0, c = 0;

    if (size <= 0)
        return NULL;
    while (i < size - 1 && (c = fgetc(f)) != EOF) {
        buf[i++] = (char)c;
        if (c == '\n')
            break;
    }
    if (i == 0 && c == EOF)
        return NULL;
    buf[i] = '\0';
    return buf;
}

int feof(FILE *f)
{
    return (f->flags & F_EOF) != 0;
}

int ferror(FILE *f)
{
    return (f->flags & F_ERR) != 0;
}

/* ---- assert ------------------------------------------------------------------ */

void __assert_fail(const char *expr, const char *file, unsigned int line,
                   const char *func)
{
    fprintf(stderr, "%s:%u: %s: Assertion `%s' failed.\n", file, line, func, expr);
    abort();
}
