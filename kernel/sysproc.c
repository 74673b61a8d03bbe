/* kernel/sysproc.c — the process's identity, limits and accounting:
 * get{,e}{u,g}id, getppid, prlimit64, times (getrusage is
 * in kernel/syscall.c).
 *
 * Identities are the host's (qemu-riscv32 reports them the same way), so
 * the uid a signal carries in si_uid is what getuid() says.  Limits are
 * vmlab's own where vmlab enforces one: RLIMIT_STACK is --stack-limit and
 * moves the stack's growth limit, RLIMIT_CORE is --core-limit, RLIMIT_AS
 * caps the total size of the segments, RLIMIT_NOFILE (at most the 64-slot
 * file table) is the first fd a new descriptor may not take, RLIMIT_FSIZE
 * cuts writes to regular files (kernel/syscall.c, fsize_room).  The others
 * are kept as set and not enforced; they start unlimited.
 */
#include "kernel/syscall_impl.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include "kernel/proc.h"
#include "kernel/vm.h"

#define RLIM64_INFINITY   UINT64_MAX
#define KRLIMIT_STACK     3
#define KRLIMIT_CORE      4
#define KRLIMIT_NOFILE    7
#define KRLIMIT_AS        9
#define KRLIM_NLIMITS     16
#define STACK_LIMIT_MAX   (1u << 30)   /* what an "unlimited" stack may grow to here */

long sys_getuid(struct proc *p, const uint32_t *a)
{
    (void)p, (void)a;
    return (long)getuid();
}

long sys_geteuid(struct proc *p, const uint32_t *a)
{
    (void)p, (void)a;
    return (long)geteuid();
}

long sys_getgid(struct proc *p, const uint32_t *a)
{
    (void)p, (void)a;
    return (long)getgid();
}

long sys_getegid(struct proc *p, const uint32_t *a)
{
    (void)p, (void)a;
    return (long)getegid();
}

long sys_getppid(struct proc *p, const uint32_t *a)
{
    (void)p, (void)a;
    return (long)getppid();
}

/* The limit the process has now for resource r (< KRLIM_NLIMITS). */
static void rlimit_get(const struct proc *p, uint32_t r, uint64_t out[2])
{
    out[0] = p->rlim[r][0];
    out[1] = p->rlim[r][1];
    if (r == KRLIMIT_STACK)
        out[0] = p->rlim[r][0] == RLIM64_INFINITY ? RLIM64_INFINITY : p->stack_limit;
    if (r == KRLIMIT_CORE)
        out[0] = p->opt.core_limit;
}

/* prlimit64(pid, resource, new, old): pid 0 or the process's own.  The old
 * limit is written before the new one takes effect.  A hard limit may be
 * raised only by root, as with CAP_SYS_RESOURCE. */
long sys_prlimit64(struct proc *p, const uint32_t *a)
{
    if (a[0] != 0 && (int32_t)a[0] != p->pid)
        return -ESRCH;
    if (a[1] >= KRLIM_NLIMITS)
        return -EINVAL;
    uint64_t want[2], old[2];
    if (a[2] && vm_copy_in(p, want, a[2], sizeof want, NULL))
        return -EFAULT;
    rlimit_get(p, a[1], old);
    if (a[2]) {
        if (want[0] > want[1])
            return -EINVAL;
        if (want[1] > old[1] && geteuid() != 0)
            return -EPERM;
        if (a[1] == KRLIMIT_NOFILE && want[1] > PROC_FDS)
            return -EPERM;                      /* the file table has 64 slots */
    }
    if (a[3] && vm_copy_out(p, a[3], old, sizeof old, NULL))
        return -EFAULT;
    if (!a[2])
        return 0;
    p->rlim[a[1]][0] = want[0];
    p->rlim[a[1]][1] = want[1];
    if (a[1] == KRLIMIT_STACK) {
        uint64_t lim = want[0] > STACK_LIMIT_MAX ? STACK_LIMIT_MAX : want[0];
        p->stack_limit = (uint32_t)PAGE_UP((uint32_t)lim);
    }
    if (a[1] == KRLIMIT_CORE)
        p->opt.core_limit = want[0];
    return 0;
}

/* times(buf): CPU times in clock ticks (USER_HZ = 100, AT_CLKTCK), and
 * the guest's monotonic time in ticks as the result. */
long sys_times(struct proc *p, const uint32_t *a)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    if (a[0]) {
        int32_t k[4] = { (int32_t)(ru.ru_utime.tv_sec * 100 + ru.ru_utime.tv_usec / 10000),
                         (int32_t)(ru.ru_stime.tv_sec * 100 + ru.ru_stime.tv_usec / 10000),
                         0, 0 };
        if (vm_copy_out(p, a[0], k, sizeof k, NULL))
            return -EFAULT;
    }
    return (long)(uint32_t)(sys_guest_ns(p, 1 /* CLOCK_MONOTONIC */) / 10000000);
}
