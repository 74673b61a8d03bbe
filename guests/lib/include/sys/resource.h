/* sys/resource.h — resource limits and usage, Linux RV32 style.
 *
 * Replaces picolibc's header (same include guard), which has a two-field
 * struct rusage and no limits.  rv32 kernels have no getrlimit/setrlimit
 * system calls: both go through prlimit64 (lib/process.c), which speaks
 * 64-bit limits. */
#ifndef _SYS_RESOURCE_H_
#define _SYS_RESOURCE_H_

#include <sys/time.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

struct rusage {
    struct timeval ru_utime;    /* user CPU time */
    struct timeval ru_stime;    /* system CPU time */
    long ru_maxrss;             /* largest resident set, KiB */
    long ru_ixrss, ru_idrss, ru_isrss;
    long ru_minflt;             /* page faults served without I/O */
    long ru_majflt;             /* page faults that needed I/O */
    long ru_nswap;
    long ru_inblock, ru_oublock;
    long ru_msgsnd, ru_msgrcv;
    long ru_nsignals;
    long ru_nvcsw, ru_nivcsw;   /* context switches */
};

typedef unsigned long long rlim_t;
#define RLIM_INFINITY  (~0ULL)
#define RLIM_SAVED_MAX RLIM_INFINITY
#define RLIM_SAVED_CUR RLIM_INFINITY

struct rlimit {
    rlim_t rlim_cur;            /* soft limit */
    rlim_t rlim_max;            /* hard limit */
};

#define RLIMIT_CPU     0
#define RLIMIT_FSIZE   1
#define RLIMIT_DATA    2
#define RLIMIT_STACK   3        /* vmlab: --stack-limit */
#define RLIMIT_CORE    4        /* vmlab: --core-limit */
#define RLIMIT_RSS     5
#define RLIMIT_NPROC   6
#define RLIMIT_NOFILE  7
#define RLIMIT_MEMLOCK 8
#define RLIMIT_AS      9
#define RLIMIT_LOCKS   10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE 12
#define RLIMIT_NICE    13
#define RLIMIT_RTPRIO  14
#define RLIMIT_RTTIME  15
#define RLIMIT_NLIMITS 16

int getrusage(int who, struct rusage *usage);
int getrlimit(int resource, struct rlimit *rlim);
int setrlimit(int resource, const struct rlimit *rlim);
int prlimit(pid_t pid, int resource, const struct rlimit *new_limit, struct rlimit *old_limit);

#ifdef __cplusplus
}
#endif

#endif
