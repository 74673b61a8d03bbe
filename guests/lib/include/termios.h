/* termios.h — terminal attributes, the kernel's own layout (asm-generic
 * termbits: 36 bytes, what TCGETS reads and TCSETS writes).  picolibc's
 * termios.h includes a sys/termios.h it does not ship, so this replaces it. */
#ifndef VMLAB_TERMIOS_H
#define VMLAB_TERMIOS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 19
struct termios {
    tcflag_t c_iflag;           /* input modes */
    tcflag_t c_oflag;           /* output modes */
    tcflag_t c_cflag;           /* control modes */
    tcflag_t c_lflag;           /* local modes */
    cc_t c_line;
    cc_t c_cc[NCCS];            /* special characters */
};
_Static_assert(sizeof(struct termios) == 36, "the kernel's struct termios is 36 bytes");

/* c_cc indexes */
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define ICRNL  0000400
#define IXON   0002000
/* c_oflag */
#define OPOST  0000001
#define ONLCR  0000004
/* c_lflag */
#define ISIG   0000001
#define ICANON 0000002
#define ECHO   0000010
#define ECHOE  0000020
#define ECHOK  0000040
#define ECHONL 0000100
#define IEXTEN 0100000
/* c_cflag */
#define CSIZE  0000060
#define CS8    0000060
#define CREAD  0000200

/* tcsetattr actions */
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int action, const struct termios *t);

#ifdef __cplusplus
}
#endif

#endif
