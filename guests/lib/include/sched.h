/* sched.h — picolibc's, which declares sched_yield only for systems with
 * threads or priority scheduling; vmlab has sched_yield alone. */
#ifndef VMLAB_SCHED_H
#define VMLAB_SCHED_H

#include_next <sched.h>

#ifdef __cplusplus
extern "C" {
#endif

int sched_yield(void);

#ifdef __cplusplus
}
#endif

#endif
