/* sys/ioctl.h — the terminal ioctls a C library needs (asm-generic
 * numbers; docs/platform/libc-syscalls.md). */
#ifndef VMLAB_SYS_IOCTL_H
#define VMLAB_SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

#define TCGETS     0x5401   /* struct termios (36 bytes): is it a terminal? */
#define TCSETS     0x5402
#define TIOCGWINSZ 0x5413   /* struct winsize: the window's size */
#define FIONREAD   0x541B
#define FIONBIO    0x5421

struct winsize {            /* 8 bytes */
    unsigned short ws_row;
    unsigned short ws_col;
    unsigned short ws_xpixel;
    unsigned short ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
