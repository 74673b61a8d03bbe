/* cli/main.c — the vmlab command line: run, inspect, view. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/host.h"
#include "inspect/inspect.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "view/view.h"

#define VMLAB_VERSION "0.1.0"

extern char **environ;

static void usage(FILE *out)
{
    fputs(
"Usage: vmlab run [OPTIONS] PROGRAM [ARGS...]   run a static RV32 ELF program\n"
"       vmlab inspect CORE [--elf PROGRAM] [--json]\n"
"                                               explain a core file\n"
"       vmlab view [OPTIONS] PROGRAM [ARGS...]  run it in a window that shows the\n"
"                                               address space, page tables and frames\n"
"       vmlab --help | --version\n"
"\n"
"Run options:\n"
"  --mem SIZE           emulated physical memory (default 64M; K, M, G suffixes)\n"
"  --stack-limit SIZE   maximum stack size, like ulimit -s (default 8M)\n"
"  --perm SEG=PERMS     set a segment's permissions at start, e.g. text=rwx,\n"
"                       stack=rwx, data=r, heap=rw- (repeatable; see --maps\n"
"                       for the names; an mmap area is named by its address)\n"
"  --trace LIST         print events to stderr: syscall,fault,page,signal or all\n"
"  --stats              print counters at exit (instructions, faults, TLB, ...)\n"
"  --maps               print the address space at exit, like /proc/PID/maps\n"
"  --max-insns N        stop the program after N instructions (SIGXCPU)\n"
"  --core-pattern PAT   core file name (default core.%e.%p; %e program, %p pid,\n"
"                       %s signal, %t time)\n"
"  --core-limit SIZE    largest core file, like ulimit -c (0 = none)\n"
"  --no-core            never write core files\n"
"  --interp             interpret every instruction (no translation to host\n"
"                       code; slower, same results)\n"
"\n"
"View options (vmlab view also takes every run option):\n"
"  --snapshot FILE.png  draw the window off-screen into FILE.png (no display\n"
"                       needed), then run the program to its end\n"
"  --at-insn N          show the state after N instructions\n"
"  --at-fault           ... at the first fault that becomes a signal\n"
"  --at-exit            ... when the program has ended (the snapshot default)\n"
"  In the window: space run/pause, s step, f run to the next fault or signal,\n"
"  c run to the next system call, +/- speed, q or Esc quit; click a segment's\n"
"  R, W or X to flip that permission.\n"
"\n"
"The exit status is the program's, or 128+N when signal N killed it.\n", out);
}

/* "64M", "4096", "1G", "8k" -> bytes.  Returns 0 or -EINVAL. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *s == '-')
        return -EINVAL;
    uint64_t mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    default: break;
    }
    if (*end == 'i' || *end == 'B')
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    if (*end || (v && mul > UINT64_MAX / v))
        return -EINVAL;
    *out = v * mul;
    return 0;
}

static int parse_trace(const char *s, unsigned *out)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    *out = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strcmp(tok, "syscall") || !strcmp(tok, "syscalls")) *out |= TRACE_SYSCALL;
        else if (!strcmp(tok, "fault") || !strcmp(tok, "faults")) *out |= TRACE_FAULT;
        else if (!strcmp(tok, "page") || !strcmp(tok, "pages")) *out |= TRACE_PAGE;
        else if (!strcmp(tok, "signal") || !strcmp(tok, "signals")) *out |= TRACE_SIGNAL;
        else if (!strcmp(tok, "all")) *out |= TRACE_SYSCALL | TRACE_FAULT | TRACE_PAGE | TRACE_SIGNAL;
        else return -EINVAL;
    }
    return 0;
}

/* Print what a shell prints when its child dies of a signal. */
static void report_death(const struct proc *p)
{
    if (p->term_sig == SIGPIPE && !p->kill_reason)
        return;                      /* shells stay quiet about a closed pipe */
    if (p->kill_reason)
        fprintf(stderr, "vmlab: %s: %s\n", p->comm, p->kill_reason);
    enum sig_default d = sig_default_action(p->term_sig);
    if (d == SIGDFL_CORE)
        fprintf(stderr, "%s (%s)\n", sig_description(p->term_sig),
                p->core_dumped ? "core dumped" : "core not dumped");
    else
        fprintf(stderr, "%s\n", sig_description(p->term_sig));
    if (p->core_dumped)
        fprintf(stderr, "vmlab: core written to %s (explain it with: vmlab inspect %s)\n",
                p->core_path, p->core_path);
}

/* vmlab run, and vmlab view (view: the same run in the window, with the
 * view options too). */
static int cmd_run(int argc, char **argv, bool view)
{
    enum { O_MEM = 256, O_STACK, O_PERM, O_TRACE, O_STATS, O_MAPS, O_MAXI,
           O_CPAT, O_CLIM, O_NOCORE, O_INTERP, O_HELP, O_SNAP, O_ATI, O_ATF, O_ATE };
    const char *cmd = view ? "view" : "run";
    static const struct option opts[] = {
        { "mem", required_argument, 0, O_MEM },
        { "stack-limit", required_argument, 0, O_STACK },
        { "perm", required_argument, 0, O_PERM },
        { "trace", required_argument, 0, O_TRACE },
        { "stats", no_argument, 0, O_STATS },
        { "maps", no_argument, 0, O_MAPS },
        { "max-insns", required_argument, 0, O_MAXI },
        { "core-pattern", required_argument, 0, O_CPAT },
        { "core-limit", required_argument, 0, O_CLIM },
        { "no-core", no_argument, 0, O_NOCORE },
        { "interp", no_argument, 0, O_INTERP },
        { "help", no_argument, 0, O_HELP },
        { "snapshot", required_argument, 0, O_SNAP },
        { "at-insn", required_argument, 0, O_ATI },
        { "at-fault", no_argument, 0, O_ATF },
        { "at-exit", no_argument, 0, O_ATE },
        { 0, 0, 0, 0 },
    };
    struct view_options vo = { 0 };
    struct proc_options o = { .mem_size = DEFAULT_MEM, .stack_limit = DEFAULT_STACK_LIMIT,
                              .core_limit = UINT64_MAX };
    bool stats = false, maps = false;
    const char *perms[32];
    int nperms = 0;
    uint64_t v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        switch (c) {
        case O_MEM:
            if (parse_size(optarg, &v) || v < PMEM_MIN_SIZE || v > PMEM_MAX_SIZE) {
                fprintf(stderr, "vmlab: --mem %s: give a size between 64K and 4G, e.g. 64M\n", optarg);
                return 2;
            }
            o.mem_size = v;
            break;
        case O_STACK:
            if (parse_size(optarg, &v) || v < 16 * 1024 || v > 512u << 20) {
                fprintf(stderr, "vmlab: --stack-limit %s: give a size between 16K and 512M, e.g. 8M\n", optarg);
                return 2;
            }
            o.stack_limit = (uint32_t)PAGE_UP((uint32_t)v);
            break;
        case O_PERM:
            if (nperms == 32) {
                fprintf(stderr, "vmlab: too many --perm options (at most 32)\n");
                return 2;
            }
            perms[nperms++] = optarg;
            break;
        case O_TRACE:
            if (parse_trace(optarg, &o.trace)) {
                fprintf(stderr, "vmlab: --trace %s: expected a list of syscall,fault,page,signal or all\n", optarg);
                return 2;
            }
            break;
        case O_STATS: stats = true; break;
        case O_INTERP: o.interp = true; break;
        case O_MAPS: maps = true; break;
        case O_MAXI:
            if (parse_size(optarg, &o.max_insns) || o.max_insns == 0) {
                fprintf(stderr, "vmlab: --max-insns %s: expected a positive number\n", optarg);
                return 2;
            }
            break;
        case O_CPAT:
            if (!*optarg) {
                fprintf(stderr, "vmlab: --core-pattern: empty pattern\n");
                return 2;
            }
            o.core_pattern = optarg;
            break;
        case O_CLIM:
            if (!strcmp(optarg, "unlimited"))
                o.core_limit = UINT64_MAX;
            else if (parse_size(optarg, &o.core_limit)) {
                fprintf(stderr, "vmlab: --core-limit %s: expected a size (e.g. 16M, 0, unlimited)\n", optarg);
                return 2;
            }
            break;
        case O_NOCORE: o.core_limit = 0; break;
        case O_HELP: usage(stdout); return 0;
        case O_SNAP:
        case O_ATI:
        case O_ATF:
        case O_ATE:
            if (!view) {
                fprintf(stderr, "vmlab run: %s is an option of vmlab view\n", argv[optind - 1]);
                return 2;
            }
            if (c == O_SNAP)
                vo.snapshot = optarg;
            else if (c == O_ATF)
                vo.at_fault = true;
            else if (c == O_ATE)
                vo.at_exit = true;
            else if (parse_size(optarg, &vo.at_insn) || vo.at_insn == 0) {
                fprintf(stderr, "vmlab view: --at-insn %s: expected a positive number\n", optarg);
                return 2;
            }
            break;
        default:
            fprintf(stderr, "vmlab %s: unknown or incomplete option '%s' (see vmlab --help)\n",
                    cmd, argv[optind - 1]);
            return 2;
        }
    }
    if ((vo.at_insn != 0) + vo.at_fault + vo.at_exit > 1) {
        fprintf(stderr, "vmlab view: give only one of --at-insn, --at-fault, --at-exit\n");
        return 2;
    }
    if (optind >= argc) {
        fprintf(stderr, "vmlab %s: no PROGRAM given (see vmlab --help)\n", cmd);
        return 2;
    }
    const char *path = argv[optind];
    char err[512];
    struct proc *p = proc_create(path, argv + optind, environ, &o, err, sizeof err);
    if (!p) {
        fprintf(stderr, "vmlab: %s: %s\n", path, err);
        return 126;
    }
    for (int i = 0; i < nperms; i++) {
        if (proc_perm_rule(p, perms[i], err, sizeof err)) {
            fprintf(stderr, "vmlab: --perm %s: %s\n", perms[i], err);
            proc_destroy(p);
            return 2;
        }
    }
    int status;
#ifdef VMLAB_VIEW_BINARY
    if (view) {
        vo.title = p->comm;
        status = view_main(p, &vo);
    } else {
        status = proc_run(p);
    }
#else
    status = proc_run(p);
#endif
    fflush(stdout);
    if (p->state == PROC_KILLED)
        report_death(p);
    if (maps) {
        fprintf(stderr, "--- address space at exit ---\n");
        proc_print_maps(p, stderr);
    }
    if (stats)
        proc_print_stats(p, stderr);
    proc_destroy(p);
    return status;
}

#ifndef VMLAB_VIEW_BINARY
/* `vmlab view`: run vmlab-view (beside this program), which has SDL linked
 * in; vmlab itself stays free of it so `vmlab run` starts quickly. */
static int exec_view(char **argv)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 16);
    if (n <= 0) {
        fprintf(stderr, "vmlab: cannot find my own path to start vmlab-view\n");
        return 1;
    }
    self[n] = 0;
    char *slash = strrchr(self, '/');
    strcpy(slash ? slash + 1 : self, "vmlab-view");
    argv[0] = self;
    execv(self, argv);
    fprintf(stderr, "vmlab: cannot run %s: %s (build it with make)\n", self, strerror(errno));
    return 1;
}
#endif

int main(int argc, char **argv)
{
    /* A closed pipe is the guest's business: its write gets EPIPE and the
     * guest gets SIGPIPE, as on Linux; vmlab itself must not die of it. */
    host_ignore_sigpipe();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("vmlab %s (RV32IMAC, Sv32, Linux RV32 user ABI)\n", VMLAB_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "run"))
        return cmd_run(argc - 1, argv + 1, false);
    if (!strcmp(cmd, "view")) {
#ifdef VMLAB_VIEW_BINARY
        return cmd_run(argc - 1, argv + 1, true);
#else
        return exec_view(argv);
#endif
    }
    if (!strcmp(cmd, "inspect"))
        return inspect_main(argc - 1, argv + 1);
    fprintf(stderr, "vmlab: unknown command '%s' (expected run, view, inspect; see vmlab --help)\n", cmd);
    return 2;
}
