/* stdio.c — the streams under picolibc's stdio (tinystdio): stdin,
 * stdout and stderr over read/write, fdopen (which fopen calls), fflush,
 * and the flush at exit.
 *
 * picolibc's buffered stream (struct __file_bufio, <stdio-bufio.h>) keeps
 * a buffer, a file descriptor and the read/write/lseek/close functions to
 * move bytes; its put/get/flush hooks do the buffering.  This file picks
 * the buffering, as glibc does:
 *
 *   stdout   line-buffered when it is a terminal (decided at the first
 *            output, with one ioctl), fully buffered otherwise (a pipe or
 *            a file: one write per 4 KiB, or at exit)
 *   stderr   unbuffered: what a call writes reaches the fd before the call
 *            returns (see "unbuffered streams" below)
 *   stdin    fully buffered; reading it first flushes stdout, so a prompt
 *            shows before the program waits
 *   fopen    fully buffered (line-buffered on a terminal)
 *
 * Every stream opened here is on a list, so exit() and fflush(NULL) can
 * flush them all (picolibc 1.8 keeps no such list: its fflush(NULL)
 * dereferences NULL, and exit flushes only stdout).
 *
 * One write per call: tinystdio writes one character at a time through
 * the stream's put hook, so an unbuffered stream would cost one write per
 * character, and a line-buffered one a write per '\n'.  `vmlab cc` links
 * with --wrap for vfprintf, fputs, fwrite and puts; the wrappers below
 * give an unbuffered stream a buffer on the stack for the length of the
 * call, and hold back a line-buffered stream's newline flushes, and flush
 * once before returning (if a line was completed), so one
 * fprintf(stderr, ...) or one printf of any number of lines to a terminal
 * is one write, as with glibc.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio-bufio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os.h"

#define STREAM_BUF 4096          /* like glibc's st_blksize for pipes and files */

struct stream {
    struct __file_bufio bf;      /* first: (FILE *)&stream == &bf.xfile.cfile.file */
    struct stream *next;         /* the list of streams fdopen made */
};

static struct stream *open_streams;
static struct __lock list_lock;  /* open_streams */

/* ---- the three standard streams --------------------------------------------- */

static char in_buf[STREAM_BUF], out_buf[STREAM_BUF], err_buf[1];

static int stdout_first_put(char c, FILE *f);
static int stream_setvbuf(FILE *f, char *buf, int mode, size_t size);

#define STD_STREAM(fd_, buf_, size_, rw, put_, setvbuf_, lock_)                                 \
    {                                                                                \
        .xfile = {                                                                   \
            .cfile = {                                                               \
                .file = { .flags = (rw) | __SCLOSE | __SEXT | __SBUF,                \
                          .put = (put_), .get = __bufio_get, .flush = __bufio_flush }, \
                .close = __bufio_close,                                              \
            },                                                                       \
            .seek = __bufio_seek,                                                    \
            .setvbuf = (setvbuf_),                                                   \
        },                                                                           \
        .fd = (fd_), .buf = (buf_), .size = (size_),                                 \
        .read = read, .write = write, .lseek = lseek, .close = close,                \
        .lock = (lock_),                                                             \
    }

/* Their locks (lock.c): static, as the streams are. */
static struct __lock in_lock, out_lock, err_lock;

static struct __file_bufio s_stdin =
    STD_STREAM(0, in_buf, STREAM_BUF, __SRD, __bufio_put, stream_setvbuf, &in_lock);
static struct __file_bufio s_stdout =
    STD_STREAM(1, out_buf, STREAM_BUF, __SWR, stdout_first_put, stream_setvbuf, &out_lock);
static struct __file_bufio s_stderr =
    STD_STREAM(2, err_buf, 1, __SWR, __bufio_put, stream_setvbuf, &err_lock);

FILE *const stdin = &s_stdin.xfile.cfile.file;
FILE *const stdout = &s_stdout.xfile.cfile.file;
FILE *const stderr = &s_stderr.xfile.cfile.file;

/* The buffering of stdout is settled: from now on every character goes
 * straight to picolibc's buffered put.  (A call already under way keeps
 * calling stdout_first_put: vfprintf reads the put hook once.) */
static bool stdout_settled;

static void stdout_settle(FILE *f)
{
    stdout_settled = true;
    f->put = __bufio_put;
}

/* First character written to stdout: a terminal gets line buffering. */
static int stdout_first_put(char c, FILE *f)
{
    if (!stdout_settled) {
        if (isatty(1))
            s_stdout.bflags |= __BLBF;
        stdout_settle(f);
    }
    return __bufio_put(c, f);
}

/* setvbuf on any of these streams.  On stdout before any output, the
 * program's choice wins over the terminal check.  A NULL buffer of size 0
 * means "the usual size", as with glibc (picolibc would allocate 0 bytes
 * and flush every character): a stream that has its own buffer keeps it
 * and only changes mode, others get STREAM_BUF bytes. */
static int stream_setvbuf(FILE *f, char *buf, int mode, size_t size)
{
    struct __file_bufio *bf = (struct __file_bufio *)f;

    if (f == stdout)
        stdout_settle(f);
    if (!buf && size == 0 && (mode == _IOLBF || mode == _IOFBF)) {
        if (bf->size > 1 && !(bf->bflags & __BALL)) {
            if (mode == _IOLBF)
                bf->bflags |= __BLBF;
            else
                bf->bflags &= ~__BLBF;
            return 0;
        }
        size = STREAM_BUF;
    }
    return __bufio_setvbuf(f, buf, mode, size);
}

/* ---- fdopen, and fopen through it -------------------------------------------- */

int __posix_sflags(const char *mode, int *optr);   /* libc.a: "r+" -> __SRD|__SWR, O_RDWR */

static int stream_close(FILE *f)
{
    __vmlab_rlock(&list_lock);
    for (struct stream **pp = &open_streams; *pp; pp = &(*pp)->next)
        if (&(*pp)->bf.xfile.cfile.file == f) {
            *pp = (*pp)->next;
            break;
        }
    __vmlab_runlock(&list_lock);
    return __bufio_close(f);     /* flushes, closes the fd, frees the stream */
}

/* Like picolibc's fdopen (on failure the fd is closed, which its fopen
 * relies on), with a list entry and a terminal check. */
FILE *fdopen(int fd, const char *mode)
{
    int oflags, rw = __posix_sflags(mode, &oflags);
    struct stream *s;
    FILE *f;

    if (rw == 0)
        return NULL;
    s = calloc(1, sizeof *s + STREAM_BUF);
    if (!s) {
        close(fd);
        return NULL;
    }
    s->bf = (struct __file_bufio)FDEV_SETUP_BUFIO(fd, (char *)(s + 1), STREAM_BUF, read, write,
                                                  lseek, close, rw, isatty(fd) ? __BLBF : 0);
    s->bf.xfile.cfile.close = stream_close;
    s->bf.xfile.setvbuf = stream_setvbuf;
    f = &s->bf.xfile.cfile.file;
    __bufio_lock_init(f);
    __vmlab_rlock(&list_lock);
    s->next = open_streams;
    open_streams = s;
    __vmlab_runlock(&list_lock);
    if (oflags & O_APPEND)
        (void)fseeko(f, 0, SEEK_END);
    return f;
}

/* ---- flushing ------------------------------------------------------------------ */

int fflush(FILE *f)
{
    if (f)
        return f->flush ? f->flush(f) : 0;
    __vmlab_stdio_flush_all();
    return 0;
}

void __vmlab_stdio_flush_all(void)
{
    fflush(stdout);
    fflush(stderr);
    __vmlab_rlock(&list_lock);
    for (struct stream *s = open_streams; s; s = s->next)
        fflush(&s->bf.xfile.cfile.file);
    __vmlab_runlock(&list_lock);
}

/* ---- unbuffered streams: one write per call --------------------------------------- */

struct batch {
    struct __file_bufio *locked; /* the stream whose lock the call holds, or NULL */
    struct __file_bufio *bf;     /* NULL: nothing to do at the end */
    char *own;                   /* unbuffered: the stream's own one-byte buffer */
    bool line;                   /* line-buffered: __BLBF was held back */
};

/* If f is a picolibc stream, the call holds its lock throughout, so the
 * lines two threads print do not mix.  If it is writing (or idle): an
 * unbuffered one gets buf for the call, a line-buffered one stops
 * flushing at '\n'. */
static struct batch batch_begin(FILE *f, char *buf, int size)
{
    struct batch b = { NULL, NULL, NULL, false };
    struct __file_bufio *bf = (struct __file_bufio *)f;

    if (!(f->flags & __SBUF))
        return b;
    if (bf->lock) {
        __vmlab_rlock(bf->lock);
        b.locked = bf;
    }
    if (bf->dir == __SRD)
        return b;
    if (bf->size <= 1 && bf->len == 0) {
        b.bf = bf;
        b.own = bf->buf;
        bf->buf = buf;
        bf->size = size;
    } else if (bf->bflags & __BLBF) {
        b.bf = bf;
        b.line = true;
        bf->bflags &= ~__BLBF;
    }
    return b;
}

static void batch_end(struct batch b)
{
    if (b.bf && b.line) {
        b.bf->bflags |= __BLBF;
        if (memchr(b.bf->buf, '\n', (size_t)b.bf->len))
            (void)__bufio_flush(&b.bf->xfile.cfile.file);
    } else if (b.bf) {
        (void)__bufio_flush(&b.bf->xfile.cfile.file);
        b.bf->buf = b.own;
        b.bf->size = 1;
    }
    if (b.locked)
        __vmlab_runlock(b.locked->lock);
}

#define BATCH 256

int __real_vfprintf(FILE *f, const char *fmt, va_list ap);
int __real_fputs(const char *s, FILE *f);
size_t __real_fwrite(const void *p, size_t size, size_t n, FILE *f);
int __real_puts(const char *s);

int __wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
    char buf[BATCH];
    struct batch b = batch_begin(f, buf, BATCH);
    int r = __real_vfprintf(f, fmt, ap);
    batch_end(b);
    return r;
}

int __wrap_fputs(const char *s, FILE *f)
{
    char buf[BATCH];
    struct batch b = batch_begin(f, buf, BATCH);
    int r = __real_fputs(s, f);
    batch_end(b);
    return r;
}

size_t __wrap_fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    char buf[BATCH];
    struct batch b = batch_begin(f, buf, BATCH);
    size_t r = __real_fwrite(p, size, n, f);
    batch_end(b);
    return r;
}

int __wrap_puts(const char *s)
{
    char buf[BATCH];
    struct batch b = batch_begin(stdout, buf, BATCH);
    int r = __real_puts(s);
    batch_end(b);
    return r;
}
