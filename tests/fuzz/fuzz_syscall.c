/* tests/fuzz/fuzz_syscall.c — the system-call layer (kernel/syscall.c,
 * kernel/signal.c) with random arguments against a live process.
 *
 * Each input gets a fresh process (1 MiB of memory, no core files, the
 * interpreter) running a tiny program whose text is `ecall; nop` and which
 * has 64 KiB of bss.  The input is a list of records:
 *
 *   0..199  a call: a selector for the number (mostly one vmlab serves),
 *           then six arguments, each a kind byte and 32 bits (a small int,
 *           an address in the bss or near the stack, a size at an edge, the
 *           last result, or the raw value) — plus sp, which signal frames
 *           and rt_sigreturn use
 *   200..255  a poke: up to 32 input bytes stored into the bss (paths,
 *           iovecs, sigactions, signal frames to return through)
 *
 * A call sets a0..a5, a7 and sp, puts pc on the ecall and steps the process
 * one instruction, so the trap goes through the kernel's real path (system
 * call, then signal delivery).  The run ends when the process does.
 *
 * Promises checked: results are a value or -errno (-4095..-1), and a
 * new mapping's address is page-aligned and below USER_TOP; the
 * segments stay sorted, disjoint and page-aligned; the frames in use never
 * exceed the frames there are.
 *
 * Host safety: the harness runs in a fresh directory under /dev/shm (or
 * /tmp), a path argument (openat, mkdirat, unlinkat, chdir, statx, ...: an
 * 's' in the call's kinds in kernel/syscalls.def) with a '/' or ".." is
 * replaced by a plain name there, files made there are removed after each
 * input, and the guest's fds 0-2 are one fresh file there ("stdio").  A
 * guest that blocks is ended by a time limit (TIME_LIMIT_MS).  Its files,
 * stdio too, are capped by its own RLIMIT_FSIZE (FILE_LIMIT), as `ulimit
 * -f` caps a process on Linux.  Without the cap, the fuzzer's favourite
 * inputs wrote a gigabyte or more (a length of 0x7fffffff from a large
 * mapping), first to files, then, once files were capped, to fds 0-2 when
 * they were /dev/null: 1% of the inputs took 90% of the time. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/proc.h"
#include "kernel/query.h"
#include "kernel/syscalls.def"
#include "kernel/vm.h"
#include "tests/fuzz/fuzz.h"
#include "tests/rvelf.h"
#include "tests/rvenc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BSS_VA   0x00100000u
#define BSS_LEN  0x10000u
#define MAX_CALLS 64

static const char *elf_path;
static char sandbox[64];

static void remove_sandbox(void)
{
    if (sandbox[0] && chdir("/") == 0) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", sandbox);
        if (system(cmd) != 0)
            fprintf(stderr, "fuzz_syscall: could not remove %s\n", sandbox);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const uint32_t code[] = { ECALL, ADDI(ZERO, ZERO, 0) };
    struct rvelf e = { .code = (const uint8_t *)code, .code_len = sizeof code,
                       .data_va = BSS_VA, .bss_len = BSS_LEN };
    size_t len;
    uint8_t *img = rvelf_image(&e, &len);
    if (!img)
        fuzz_fail("cannot build the program");
    elf_path = fuzz_file(1, img, len);
    free(img);
    /* tmpfs where there is one: the guests' files cost no disk writes */
    const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(sandbox, sizeof sandbox, "%s/vmlab-fuzz-syscall.XXXXXX", tmp);
    if (!mkdtemp(sandbox) || chdir(sandbox) != 0)
        fuzz_fail("cannot make a directory to run in");
    atexit(remove_sandbox);
    return 0;
}

static void clean_sandbox(void)
{
    DIR *d = opendir(".");
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            if (unlink(de->d_name) != 0)
                rmdir(de->d_name);
    closedir(d);
}

/* A guest may block as it would on Linux (reading its own empty pipe or
 * FIFO): each input runs under --timeout's limit, with fuzz_alarm to make
 * a blocked host call return once the time is up; the process then dies
 * of SIGXCPU, as under `vmlab run --timeout`. */
#define TIME_LIMIT_MS 2000
#define FILE_LIMIT    (256u << 10)

/* The numbers vmlab serves, and a few it does not. */
static const uint32_t numbers[] = {
#define X(name, nr, nargs, kinds) nr,
    SYSCALL_LIST(X)
#undef X
    113, 9999, 0, 0xffffffffu,
};
#define NNUMBERS (sizeof numbers / sizeof numbers[0])

static uint32_t argument(struct fuzz_in *in, uint32_t last)
{
    static const uint32_t edges[] = {
        0, 1, 2, 3, 7, 8, 16, 20, 128, 944, 1023, 1024, 1025, 2047, 2048, 4095, 4096, 4097,
        65536, 1u << 20, (1u << 20) + 1, 0x7fffffffu, 0x80000000u, 0xfffff000u, 0xffffffffu,
    };
    uint8_t kind = fuzz_u8(in);
    uint32_t v = fuzz_u32(in);
    switch (kind % 8) {
    case 0: return (uint32_t)(int32_t)(int8_t)v;                     /* -128..127 */
    case 1: case 2: return BSS_VA + v % BSS_LEN;                     /* into the bss */
    case 3: return edges[v % (sizeof edges / sizeof edges[0])];
    case 4: return STACK_TOP - 1 - v % (256u << 10);                 /* around the stack */
    case 5: return last + (v & 0x1fff);                              /* from the last result */
    case 6: return MMAP_TOP - (v & 0xffff) * PAGE_SIZE;              /* mmap's area */
    default: return v;
    }
}

/* The argument holding a path ('s' in the call's kinds), or -1. */
static int path_arg(uint32_t nr)
{
    const char *kinds = "";
    switch (nr) {
#define X(name, nr_, nargs, kinds_) case nr_: kinds = kinds_; break;
    SYSCALL_LIST(X)
#undef X
    default: break;
    }
    const char *sp = strchr(kinds, 's');
    return sp ? (int)(sp - kinds) : -1;
}

/* A path the guest names must stay in the sandbox (the process's cwd and
 * every directory it can open start there): no '/', no "..". */
static void confine_path(struct proc *p, int arg)
{
    char path[4100];
    uint32_t *reg = &p->cpu.x[10 + arg];
    long n = vm_copy_str(p, path, *reg, sizeof path);
    if (n < 0 || (!strchr(path, '/') && !strstr(path, "..")))
        return;                                   /* the kernel's own errors, or fine */
    static const char safe[] = "f";
    uint32_t at = BSS_VA + BSS_LEN - sizeof safe;
    if (vm_copy_out(p, at, safe, sizeof safe, NULL) == 0)
        *reg = at;
}

static void check_state(struct proc *p, uint32_t nr, long ret)
{
    /* brk, mremap and mmap2 return addresses, which may have the top bit
     * set (the user space ends at USER_TOP, 3 GiB): a mapping's address
     * must be page-aligned and below it.  times returns clock ticks since
     * an arbitrary point, any 32 bits (times(2): "may overflow the possible
     * range of type clock_t"; glibc's times.c takes even an -EFAULT-like
     * result for a count unless the buffer is bad); the guest's sleeps move
     * its clock on, here by 274 days.  Every other result is a value or
     * -errno. */
    bool addr = nr == 214 || nr == 216 || nr == 222;
    bool err = (int32_t)ret < 0 && (int32_t)ret >= -4095;
    if (p->state == PROC_RUNNING && !addr && nr != 153 && (int32_t)ret < -4095)
        fuzz_fail("call %u returned %d: neither a value nor -errno", nr, (int32_t)ret);
    if (p->state == PROC_RUNNING && nr != 214 && addr && !err &&
        (((uint32_t)ret & PAGE_MASK) || (uint32_t)ret >= USER_TOP))
        fuzz_fail("call %u returned 0x%x: not a page-aligned user address", nr, (uint32_t)ret);
    for (int i = 0; i < p->vmas.n; i++) {
        const struct vma *v = &p->vmas.v[i];
        if ((v->start | v->end) & PAGE_MASK || v->start >= v->end ||
            (i && v->start < p->vmas.v[i - 1].end))
            fuzz_fail("after call %u: segment %d [0x%x, 0x%x) breaks the order", nr, i,
                      v->start, v->end);
    }
    struct kq_counters k;
    kq_counters(p, &k);
    if (k.frames_used > k.frames_total)
        fuzz_fail("after call %u: %llu frames in use of %llu", nr,
                  (unsigned long long)k.frames_used, (unsigned long long)k.frames_total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proc_options opt = { .mem_size = 1u << 20, .stack_limit = 256u << 10,
                                .core_limit = 0, .interp = true,
                                .timeout_ms = TIME_LIMIT_MS };
    char *argv[] = { "fuzz", NULL }, *envp[] = { NULL };
    char err[256];
    struct proc *p = proc_create(elf_path, argv, envp, &opt, err, sizeof err);
    if (!p)
        fuzz_fail("cannot create the process: %s", err);
    /* Each input its own descriptors for 0-2: a guest that closes one (or
     * dup3s over it) closes its own.  Sharing one, a close let a later
     * input's pipe take its number, and that input's fd 0 read the pipe
     * and blocked (a libFuzzer timeout no input alone repeated). */
    int io = open("stdio", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (io < 0)
        fuzz_fail("cannot make the guest's stdio file");
    for (int i = 0; i < 3; i++)
        if ((p->fds[i] = fcntl(io, F_DUPFD_CLOEXEC, 3)) < 0)
            fuzz_fail("cannot duplicate the guest's stdio file");
    close(io);
    p->rlim[1][0] = p->rlim[1][1] = FILE_LIMIT;                 /* RLIMIT_FSIZE */
    fuzz_alarm(TIME_LIMIT_MS);
    struct fuzz_in in = { data, size };
    uint32_t last = 0;
    for (int calls = 0; in.n && calls < MAX_CALLS && p->state == PROC_RUNNING; ) {
        uint8_t rec = fuzz_u8(&in);
        if (rec >= 200) {                                      /* a poke */
            uint32_t off = fuzz_u32(&in) % BSS_LEN;
            size_t n = (rec - 200u) % 33;
            uint8_t buf[32];
            for (size_t i = 0; i < n; i++)
                buf[i] = fuzz_u8(&in);
            vm_copy_out(p, BSS_VA + off, buf, n, NULL);
            continue;
        }
        calls++;
        uint8_t sel = fuzz_u8(&in);
        uint32_t nr = sel < 240 ? numbers[sel % NNUMBERS] : fuzz_u32(&in);
        uint32_t *x = p->cpu.x;
        for (int i = 0; i < 6; i++)
            x[10 + i] = argument(&in, last);
        x[2] = argument(&in, last);                            /* sp */
        x[17] = nr;
        int pa = path_arg(nr);
        if (pa >= 0)
            confine_path(p, pa);
        p->cpu.pc = RVELF_CODE_VA;
        proc_step(p, 1);
        last = x[10];
        check_state(p, nr, (long)(int32_t)x[10]);
    }
    fuzz_alarm(0);
    proc_destroy(p);
    clean_sandbox();
    return 0;
}
