/* sys/stat.h — picolibc's struct stat and calls, plus lstat, which it
 * declares only for some systems.  lib/file.c fills struct stat from the
 * statx system call, the only stat call a Linux RV32 kernel has. */
#ifndef VMLAB_SYS_STAT_H
#define VMLAB_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict path, struct stat *__restrict buf);

#ifdef __cplusplus
}
#endif

#endif
