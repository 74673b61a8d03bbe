/* gdb/hostio.c — the vFile packets (E.8 Host I/O), read-only, over the
 * few files gdb/target.c serves: /proc/PID/maps (what `info proc
 * mappings` reads), /proc/PID/cmdline, /proc/PID/exe and the program file.
 * Nothing else of the host can be opened.  Replies are "F result[,errno]
 * [;attachment]" with the File-I/O protocol's errno values. */
#include "gdb/server_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* File-I/O errno values (gdb manual, "Errno Values"). */
enum { FIO_ENOENT = 2, FIO_EIO = 5, FIO_EBADF = 9, FIO_EACCES = 13, FIO_EINVAL = 22,
       FIO_EMFILE = 24, FIO_EROFS = 30 };

static void fail(struct gdb_server *s, int fio_errno)
{
    char buf[32];
    snprintf(buf, sizeof buf, "F-1,%x", (unsigned)fio_errno);
    gdb_reply(s, buf);
}

static void result(struct gdb_server *s, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "F%lx", v);
    gdb_reply(s, buf);
}

/* A hex-encoded path up to ',' or the end, decoded into path. */
static bool path_arg(const char **a, char *path, size_t max)
{
    size_t n = strcspn(*a, ",");
    long k = gdb_unhex(*a, n, (uint8_t *)path, max - 1);
    if (k < 0)
        return false;
    path[k] = 0;
    *a += n;
    return true;
}

static unsigned long num(const char **a, bool *ok)
{
    char *end;
    unsigned long v = strtoul(*a, &end, 16);
    if (end == *a)
        *ok = false;
    *a = end;
    if (**a == ',')
        (*a)++;
    return v;
}

static struct gdb_file *file_of(struct gdb_server *s, unsigned long fd)
{
    return fd < GDB_MAX_FILES && s->files[fd].open ? &s->files[fd] : NULL;
}

static void be32(uint8_t *d, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        d[i] = (uint8_t)(v >> (24 - 8 * i));
}

void gdb_hostio(struct gdb_server *s, const char *a, size_t len)
{
    (void)len;
    char path[512];
    bool ok = true;
    if (!strncmp(a, "setfs:", 6)) {
        result(s, 0);                         /* every pid sees the same files */
    } else if (!strncmp(a, "open:", 5)) {
        a += 5;
        if (!path_arg(&a, path, sizeof path) || *a++ != ',') {
            fail(s, FIO_EINVAL);
            return;
        }
        unsigned long flags = num(&a, &ok);
        if (!ok) {
            fail(s, FIO_EINVAL);
            return;
        }
        if (flags & 3) {                      /* O_WRONLY or O_RDWR */
            fail(s, FIO_EROFS);
            return;
        }
        int fd = 0;
        while (fd < GDB_MAX_FILES && s->files[fd].open)
            fd++;
        if (fd == GDB_MAX_FILES) {
            fail(s, FIO_EMFILE);
            return;
        }
        int err;
        struct gdb_file *f = &s->files[fd];
        f->data = tgt_file(s->p, path, &f->size, &err);
        if (!f->data) {
            fail(s, err == ENOENT ? FIO_ENOENT : FIO_EIO);
            return;
        }
        f->open = true;
        result(s, fd);
    } else if (!strncmp(a, "pread:", 6)) {
        a += 6;
        struct gdb_file *f = file_of(s, num(&a, &ok));
        unsigned long count = num(&a, &ok), off = num(&a, &ok);
        if (!ok || !f) {
            fail(s, ok ? FIO_EBADF : FIO_EINVAL);
            return;
        }
        size_t room = (sizeof s->out - 32) / 2;   /* escapes may double it */
        if (count > room)
            count = room;
        size_t n = off >= f->size ? 0 : f->size - off < count ? f->size - off : count;
        result(s, (long)n);
        gdb_reply(s, ";");
        gdb_reply_bytes(s, f->data + (n ? off : 0), n);
    } else if (!strncmp(a, "fstat:", 6)) {
        a += 6;
        struct gdb_file *f = file_of(s, num(&a, &ok));
        if (!ok || !f) {
            fail(s, ok ? FIO_EBADF : FIO_EINVAL);
            return;
        }
        /* struct stat of the File-I/O protocol: 64 bytes, big-endian */
        uint8_t st[64] = { 0 };
        be32(st + 8, 0100444);                /* st_mode: S_IFREG, r--r--r-- */
        be32(st + 12, 1);                     /* st_nlink */
        be32(st + 32, (uint32_t)f->size);     /* st_size (64 bits; high word 0) */
        be32(st + 40, 4096);                  /* st_blksize */
        be32(st + 48, (uint32_t)((f->size + 511) / 512));    /* st_blocks */
        result(s, (long)sizeof st);
        gdb_reply(s, ";");
        gdb_reply_bytes(s, st, sizeof st);
    } else if (!strncmp(a, "close:", 6)) {
        a += 6;
        struct gdb_file *f = file_of(s, num(&a, &ok));
        if (!ok || !f) {
            fail(s, FIO_EBADF);
            return;
        }
        free(f->data);
        *f = (struct gdb_file){ 0 };
        result(s, 0);
    } else if (!strncmp(a, "readlink:", 9)) {
        a += 9;
        const char *target = path_arg(&a, path, sizeof path) ? tgt_readlink(s->p, path) : NULL;
        if (!target) {
            fail(s, FIO_ENOENT);
            return;
        }
        result(s, (long)strlen(target));
        gdb_reply(s, ";");
        gdb_reply_bytes(s, target, strlen(target));
    } else if (!strncmp(a, "pwrite:", 7) || !strncmp(a, "unlink:", 7)) {
        fail(s, FIO_EACCES);                  /* nothing here is writable */
    }
    /* anything else: the empty reply (not supported) */
}
