/* sys/types.h — basic system types for RV32 (ilp32: int/long/pointer are 32 bits). */
#ifndef VMLAB_SYS_TYPES_H
#define VMLAB_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int ssize_t;
typedef long off_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef long long time_t;       /* 64-bit on rv32: there are no 32-bit time calls */
typedef int clockid_t;

#endif
