/* sys/random.h — getrandom(2). */
#ifndef VMLAB_SYS_RANDOM_H
#define VMLAB_SYS_RANDOM_H

#include <sys/types.h>

#define GRND_NONBLOCK 0x1
#define GRND_RANDOM   0x2

/* Fill buf with len random bytes; returns len, or -1 with errno. */
ssize_t getrandom(void *buf, size_t len, unsigned int flags);

#endif
