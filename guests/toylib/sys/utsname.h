/* sys/utsname.h — who is the "kernel"?  uname(2). */
#ifndef VMLAB_SYS_UTSNAME_H
#define VMLAB_SYS_UTSNAME_H

#define UTSNAME_LENGTH 65

struct utsname {                /* 6 x 65 = 390 bytes */
    char sysname[UTSNAME_LENGTH];
    char nodename[UTSNAME_LENGTH];
    char release[UTSNAME_LENGTH];
    char version[UTSNAME_LENGTH];
    char machine[UTSNAME_LENGTH];
    char domainname[UTSNAME_LENGTH];
};

int uname(struct utsname *buf);

#endif
