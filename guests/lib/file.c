/* file.c — opening files, and terminals.  Flags are picolibc's in, Linux's
 * at the kernel (abi.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "os.h"

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    long mode = (flags & O_CREAT) ? va_arg(ap, long) : 0;
    va_end(ap);
    return (int)__vmlab_ret(__syscall4(SYS_openat, __vmlab_dirfd(dirfd), path,
                                       __vmlab_oflags_to_linux(flags), mode));
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    long mode = (flags & O_CREAT) ? va_arg(ap, long) : 0;
    va_end(ap);
    return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int ioctl(int fd, unsigned long request, ...)
{
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return (int)__vmlab_ret(__syscall3(SYS_ioctl, fd, request, arg));
}

int tcgetattr(int fd, struct termios *t)
{
    return ioctl(fd, TCGETS, t);
}

int tcsetattr(int fd, int action, const struct termios *t)
{
    if (action < TCSANOW || action > TCSAFLUSH) {
        errno = EINVAL;
        return -1;
    }
    return ioctl(fd, TCSETS + (unsigned long)action, t);
}

/* A terminal is what answers TCGETS. */
int isatty(int fd)
{
    struct termios t;

    return ioctl(fd, TCGETS, &t) == 0;
}
