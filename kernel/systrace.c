/* kernel/systrace.c — `--trace syscall`: one line per system call, in
 * strace's style:
 *
 *   [syscall] openat(AT_FDCWD, "notes.txt", O_WRONLY|O_CREAT|O_TRUNC|O_LARGEFILE, 0666) = 3
 *   [syscall] write(1, "Hello\n", 6) = 6
 *   [syscall] mmap2(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x3fffd000
 *   [syscall] statx(AT_FDCWD, "/nonexistent", 0, 0x7ff, 0x40800700) = -1 ENOENT (No such file or directory)
 *
 * Each argument is printed by its kind, the letter kernel/syscalls.def
 * gives it (names for flags, signals, clocks and requests; strings for
 * paths and for the bytes read or written, at most 32).  Structures behind
 * other pointers are shown as addresses, where strace decodes them.
 */
#include "kernel/syscall_impl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kernel/proc.h"
#include "kernel/sigdef.h"
#include "kernel/syscall.h"
#include "kernel/vm.h"

#define CHECK_KINDS(name, nr, nargs, kinds) \
    _Static_assert(sizeof(kinds) - 1 == (nargs), #name ": one argument kind per argument");
SYSCALL_LIST(CHECK_KINDS)
#undef CHECK_KINDS

struct flag_name {
    uint32_t bit;
    const char *name;
};

/* Print value as NAME|NAME|0x..; zero_name for 0 (NULL: "0"). */
static void put_flags(FILE *t, uint32_t v, const struct flag_name *f, size_t n,
                      const char *zero_name)
{
    if (v == 0) {
        fputs(zero_name ? zero_name : "0", t);
        return;
    }
    const char *sep = "";
    for (size_t i = 0; i < n; i++)
        if (f[i].bit && (v & f[i].bit) == f[i].bit) {
            fprintf(t, "%s%s", sep, f[i].name);
            sep = "|";
            v &= ~f[i].bit;
        }
    if (v)
        fprintf(t, "%s%#x", sep, v);
}

#define N(a) (sizeof a / sizeof a[0])

static const struct flag_name prot_names[] = {
    { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" },
};
static const struct flag_name map_names[] = {
    { 0x01, "MAP_SHARED" }, { 0x02, "MAP_PRIVATE" }, { 0x10, "MAP_FIXED" },
    { 0x20, "MAP_ANONYMOUS" }, { 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" },
    { 0x100000, "MAP_FIXED_NOREPLACE" },
};
static const struct flag_name open_names[] = {     /* after the access mode */
    { 0x40, "O_CREAT" }, { 0x80, "O_EXCL" }, { 0x100, "O_NOCTTY" }, { 0x200, "O_TRUNC" },
    { 0x400, "O_APPEND" }, { 0x800, "O_NONBLOCK" }, { 0x101000, "O_SYNC" },
    { 0x1000, "O_DSYNC" }, { 0x4000, "O_DIRECT" }, { 0x8000, "O_LARGEFILE" },
    { 0x10000, "O_DIRECTORY" }, { 0x20000, "O_NOFOLLOW" }, { 0x40000, "O_NOATIME" },
    { 0x80000, "O_CLOEXEC" },
};
static const struct flag_name at_names[] = {
    { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
    { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" },
};

static const char *name_of(uint32_t v, const char *const *names, size_t n)
{
    return v < n ? names[v] : NULL;
}

static const char *const clock_names[] = {
    "CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
    "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
};
static const char *const how_names[] = { "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK" };
static const char *const rlimit_names[] = {
    "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
    "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
    "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
};
static const char *const advice_names[] = {
    "MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED",
    NULL, NULL, NULL, "MADV_FREE",
};
static const char *const fcntl_names[] = {
    "F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL",
};

static const char *ioctl_name(uint32_t r)
{
    switch (r) {
    case 0x5401: return "TCGETS";
    case 0x5402: return "TCSETS";
    case 0x5403: return "TCSETSW";
    case 0x5404: return "TCSETSF";
    case 0x5413: return "TIOCGWINSZ";
    case 0x541b: return "FIONREAD";
    default: return NULL;
    }
}

/* "bytes", at most 32 of them, from guest memory. */
static void put_bytes(FILE *t, struct proc *p, uint32_t addr, uint32_t len)
{
    char buf[32];
    size_t n = len < sizeof buf ? len : sizeof buf, got = 0;
    vm_copy_in(p, buf, addr, n, &got);
    fputc('"', t);
    for (size_t k = 0; k < got; k++) {
        unsigned char ch = (unsigned char)buf[k];
        if (ch == '\n') fputs("\\n", t);
        else if (ch == '\t') fputs("\\t", t);
        else if (ch == '"' || ch == '\\') fprintf(t, "\\%c", ch);
        else if (ch >= 32 && ch < 127) fputc(ch, t);
        else fprintf(t, "\\x%02x", ch);
    }
    fprintf(t, "\"%s", len > got ? "..." : "");
}

static void put_path(FILE *t, struct proc *p, uint32_t addr)
{
    char path[256];
    long n = vm_copy_str(p, path, addr, sizeof path);
    if (n < 0 && n != -ENAMETOOLONG) {
        fprintf(t, "%#x", addr);
        return;
    }
    path[sizeof path - 1] = 0;
    fputc('"', t);
    for (const char *c = path; *c; c++)
        if (*c == '"' || *c == '\\')
            fprintf(t, "\\%c", *c);
        else if ((unsigned char)*c >= 32 && (unsigned char)*c < 127)
            fputc(*c, t);
        else
            fprintf(t, "\\x%02x", (unsigned char)*c);
    fprintf(t, "\"%s", n < 0 ? "..." : "");
}

static void put_int(FILE *t, uint32_t v)
{
    int32_t s = (int32_t)v;
    if (s > -4096 && s < 4096)
        fprintf(t, "%d", (int)s);
    else
        fprintf(t, "%#x", v);
}

static void put_named(FILE *t, uint32_t v, const char *name)
{
    if (name)
        fputs(name, t);
    else
        put_int(t, v);
}

static void put_arg(FILE *t, struct proc *p, char kind, const uint32_t *a, int i, long ret)
{
    uint32_t v = a[i];
    switch (kind) {
    case 'u': fprintf(t, "%u", v); break;
    case 'x': fprintf(t, "%#x", v); break;
    case 'p': if (v) fprintf(t, "%#x", v); else fputs("NULL", t); break;
    case 's': put_path(t, p, v); break;
    case 'w': put_bytes(t, p, v, a[i + 1]); break;
    case 'r':
        if (ret >= 0)
            put_bytes(t, p, v, (uint32_t)ret);
        else
            fprintf(t, "%#x", v);
        break;
    case 'F': put_named(t, v, (int32_t)v == -100 ? "AT_FDCWD" : NULL); break;
    case 'O': {
        static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
        fputs(acc[v & 3], t);
        if (v & ~3u) {
            fputc('|', t);
            put_flags(t, v & ~3u, open_names, N(open_names), NULL);
        }
        break;
    }
    case 'M': fprintf(t, "%#o", v); break;
    case 'P': put_flags(t, v, prot_names, N(prot_names), "PROT_NONE"); break;
    case 'm': put_flags(t, v, map_names, N(map_names), NULL); break;
    case 'S': put_named(t, v, v >= 1 && v < 32 ? sig_name((int)v) : NULL); break;
    case 'C': put_named(t, v, name_of(v, clock_names, N(clock_names))); break;
    case 'I': put_named(t, v, ioctl_name(v)); break;
    case 'H': put_named(t, v, name_of(v, how_names, N(how_names))); break;
    case 'R': put_named(t, v, name_of(v, rlimit_names, N(rlimit_names))); break;
    case 'A': put_named(t, v, name_of(v, advice_names, N(advice_names))); break;
    case 'f': put_named(t, v, v == 1030 ? "F_DUPFD_CLOEXEC" : name_of(v, fcntl_names, N(fcntl_names))); break;
    case 'a': put_flags(t, v, at_names, N(at_names), NULL); break;
    default: put_int(t, v); break;
    }
}

void systrace_call(struct proc *p, uint32_t nr, const uint32_t *a, const char *kinds, long ret)
{
    FILE *t = proc_trace(p, TRACE_SYSCALL);
    if (!t)
        return;
    const char *name = syscall_name(nr);
    if (name)
        fprintf(t, "[syscall] %s(", name);
    else
        fprintf(t, "[syscall] syscall_%u(", nr);
    for (int i = 0; kinds && kinds[i]; i++) {
        if (i)
            fputs(", ", t);
        put_arg(t, p, kinds[i], a, i, ret);
    }
    if (nr == 93 || nr == 94) {                     /* exit, exit_group: no return */
        fputs(") = ?\n", t);
    } else if (ret < 0 && ret > -4096) {
        const char *en = errno_name(-ret);
        fprintf(t, ") = -1 %s (%s)\n", en ? en : "E?", strerror((int)-ret));
    } else if (nr == 214 || nr == 216 || nr == 222) {   /* brk, mremap, mmap2: addresses */
        fprintf(t, ") = %#lx\n", (unsigned long)(uint32_t)ret);
    } else {
        fprintf(t, ") = %ld\n", ret);
    }
}
