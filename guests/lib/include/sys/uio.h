/* sys/uio.h — scatter/gather I/O: several buffers in one system call. */
#ifndef VMLAB_SYS_UIO_H
#define VMLAB_SYS_UIO_H

#include <sys/types.h>

struct iovec {                  /* 8 bytes on rv32 */
    void *iov_base;
    size_t iov_len;
};

#define IOV_MAX 1024

/* Write iov[0..iovcnt-1] in order; returns the total bytes written. */
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
ssize_t readv(int fd, const struct iovec *iov, int iovcnt);

#endif
