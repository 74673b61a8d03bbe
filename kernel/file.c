/* kernel/file.c — see file.h. */
#include "kernel/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read from offset `at` into buf until `want` bytes are there or the file
 * ends: the count read, or -errno. */
static ssize_t pread_all(int fd, uint8_t *buf, size_t want, size_t at)
{
    size_t got = 0;
    while (got < want) {
        ssize_t r = pread(fd, buf + got, want - got, (off_t)(at + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

/* A regular file whose size stat does not know (/proc/self/maps): read
 * it to its end, up to max bytes. */
static int read_unsized(int fd, size_t max, uint8_t **data, size_t *size)
{
    size_t cap = 0, got = 0;
    uint8_t *buf = NULL;
    for (;;) {
        if (got == cap) {
            if (cap > max) {
                free(buf);
                return -EFBIG;
            }
            size_t ncap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return -ENOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        ssize_t r = pread_all(fd, buf + got, cap - got, got);
        if (r < 0) {
            free(buf);
            return (int)r;
        }
        got += (size_t)r;
        if (got < cap)
            break;                       /* the end */
    }
    if (got > max) {
        free(buf);
        return -EFBIG;
    }
    if (!got) {
        free(buf);
        buf = NULL;
    }
    *data = buf;
    *size = got;
    return 0;
}

int file_read_fd(int fd, size_t max, uint8_t **data, size_t *size)
{
    struct stat st;
    *data = NULL;
    *size = 0;
    if (fstat(fd, &st) != 0)
        return -errno;
    if (S_ISDIR(st.st_mode))
        return -EISDIR;
    if (!S_ISREG(st.st_mode))
        return -EINVAL;
    if ((uint64_t)st.st_size > max)
        return -EFBIG;
    size_t want = (size_t)st.st_size, got = 0;
    uint8_t *buf = want ? malloc(want) : NULL;
    if (want && !buf)
        return -ENOMEM;
    ssize_t r = pread_all(fd, buf, want, 0);   /* less: the file shrank meanwhile */
    if (r < 0) {
        free(buf);
        return (int)r;
    }
    got = (size_t)r;
    if (want == 0)                       /* procfs and sysfs say 0: read to the end */
        return read_unsized(fd, max, data, size);
    *data = buf;
    *size = got;
    return 0;
}

int file_read_path(const char *path, size_t max, const char *what, uint8_t **data,
                   size_t *size, char *err, size_t errlen)
{
    /* Look before opening: opening a FIFO for reading blocks until a writer
     * comes, and opening a device may do things.  O_NONBLOCK covers a path
     * swapped for a FIFO in between (file_read_fd checks the descriptor). */
    struct stat st;
    int rc = 0;
    if (stat(path, &st) != 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode))
        rc = -EISDIR;
    else if (!S_ISREG(st.st_mode))
        rc = -EINVAL;
    if (!rc) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        if (fd < 0) {
            snprintf(err, errlen, "cannot open: %s", strerror(errno));
            return -1;
        }
        rc = fstat(fd, &st) == 0 ? file_read_fd(fd, max, data, size) : -errno;
        close(fd);
    }
    switch (rc) {
    case 0:
        return 0;
    case -EISDIR:
        snprintf(err, errlen, "is a directory, not %s", what);
        break;
    case -EINVAL:
        snprintf(err, errlen, "not a regular file");
        break;
    case -EFBIG:
        snprintf(err, errlen, "file too large (%lld MiB; the limit for %s is %zu MiB)",
                 (long long)(st.st_size >> 20), what, max >> 20);
        break;
    case -ENOMEM:
        snprintf(err, errlen, "out of memory reading the file (%lld bytes)", (long long)st.st_size);
        break;
    default:
        snprintf(err, errlen, "read error: %s", strerror(-rc));
        break;
    }
    return -1;
}
