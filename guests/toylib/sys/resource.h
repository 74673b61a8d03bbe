/* sys/resource.h — resource usage, getrusage(2) (Linux RV32 layout:
 * 32-bit longs, microsecond times). */
#ifndef VMLAB_SYS_RESOURCE_H
#define VMLAB_SYS_RESOURCE_H

struct timeval_rusage {         /* the kernel's __kernel_old_timeval */
    long tv_sec, tv_usec;
};

struct rusage {                 /* 72 bytes */
    struct timeval_rusage ru_utime, ru_stime;
    long ru_maxrss;             /* peak resident set, KiB */
    long ru_ixrss, ru_idrss, ru_isrss;
    long ru_minflt;             /* page faults served without reading anything back */
    long ru_majflt;             /* page faults that read the page back (swap, file) */
    long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv;
    long ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)

int getrusage(int who, struct rusage *usage);

#endif
