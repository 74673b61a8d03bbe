/* fcntl.h — opening files (Linux asm-generic flag values). */
#ifndef VMLAB_FCNTL_H
#define VMLAB_FCNTL_H

#include <sys/types.h>

#define O_RDONLY    0x0
#define O_WRONLY    0x1
#define O_RDWR      0x2
#define O_CREAT     0x40
#define O_EXCL      0x80
#define O_TRUNC     0x200
#define O_APPEND    0x400
#define O_NONBLOCK  0x800
#define O_DIRECTORY 0x10000
#define O_CLOEXEC   0x80000
#define AT_FDCWD    (-100)

/* Open path (relative to the current directory); mode is used with
 * O_CREAT.  Returns a descriptor, or -1 with errno set.  RISC-V Linux has
 * no open system call: this is openat(AT_FDCWD, ...). */
int open(const char *path, int flags, ...);
int openat(int dirfd, const char *path, int flags, ...);

#endif
