/* cli/options.c — the option parsing every run-like command shares: sizes,
 * --trace, --perm and the other run options, the process's start, and
 * what is printed when it ends. */
#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/host.h"
#include "gdb/server.h"
#include "kernel/hostsig.h"
#include "kernel/signal.h"

extern char **environ;

int cli_parse_size(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -EINVAL;                       /* no sign, no blanks: strtoull takes both */
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    errno = 0;
    unsigned long long v = strtoull(s, &end, hex ? 16 : 10);   /* "010" is ten, not eight */
    if (errno || end == s || (hex && end == s + 2))
        return -EINVAL;
    uint64_t mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    default: break;
    }
    if (mul > 1 && (*end == 'i' || *end == 'B'))   /* KiB, KB; not a bare "B" */
        end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
    if (*end || (v && mul > UINT64_MAX / v))
        return -EINVAL;
    *out = v * mul;
    return 0;
}

/* Every item of the comma-separated list must be a category: an empty
 * list or an empty item ("", "syscall,", ",,") is as wrong as "bogus". */
int cli_parse_trace(const char *s, unsigned *out)
{
    static const struct { const char *name; unsigned bits; } cats[] = {
        { "syscall", TRACE_SYSCALL }, { "syscalls", TRACE_SYSCALL },
        { "fault", TRACE_FAULT },     { "faults", TRACE_FAULT },
        { "page", TRACE_PAGE },       { "pages", TRACE_PAGE },
        { "signal", TRACE_SIGNAL },   { "signals", TRACE_SIGNAL },
        { "sched", TRACE_SCHED },
        { "all", TRACE_SYSCALL | TRACE_FAULT | TRACE_PAGE | TRACE_SIGNAL | TRACE_SCHED },
    };
    unsigned bits = 0;
    for (;;) {
        size_t n = strcspn(s, ",");
        size_t i = 0;
        while (i < sizeof cats / sizeof *cats &&
               (strlen(cats[i].name) != n || strncmp(cats[i].name, s, n)))
            i++;
        if (i == sizeof cats / sizeof *cats)
            return -EINVAL;
        bits |= cats[i].bits;
        if (!s[n])
            break;
        s += n + 1;
    }
    *out = bits;
    return 0;
}

enum {
    O_MEM = 256, O_STACK, O_PERM, O_TRACE, O_STATS, O_MAPS, O_MAXI, O_TIMEOUT,
    O_HOSTMEM, O_CPAT, O_CLIM, O_NOCORE, O_INTERP, O_SWAP, O_SWAPFILE, O_POLICY, O_SEED,
    O_VMSTAT, O_AGING, O_REALSLEEP, O_GDB, O_QUANTUM, O_SCHEDSEED, O_HELP,
};

static const struct option run_options[] = {
    { "mem", required_argument, 0, O_MEM },
    { "stack-limit", required_argument, 0, O_STACK },
    { "perm", required_argument, 0, O_PERM },
    { "trace", required_argument, 0, O_TRACE },
    { "stats", no_argument, 0, O_STATS },
    { "maps", no_argument, 0, O_MAPS },
    { "max-insns", required_argument, 0, O_MAXI },
    { "timeout", required_argument, 0, O_TIMEOUT },
    { "host-mem", required_argument, 0, O_HOSTMEM },
    { "core-pattern", required_argument, 0, O_CPAT },
    { "core-limit", required_argument, 0, O_CLIM },
    { "no-core", no_argument, 0, O_NOCORE },
    { "interp", no_argument, 0, O_INTERP },
    { "swap", required_argument, 0, O_SWAP },
    { "swap-file", required_argument, 0, O_SWAPFILE },
    { "policy", required_argument, 0, O_POLICY },
    { "seed", required_argument, 0, O_SEED },
    { "vmstat", required_argument, 0, O_VMSTAT },
    { "aging-interval", required_argument, 0, O_AGING },
    { "real-sleep", no_argument, 0, O_REALSLEEP },
    { "gdb", required_argument, 0, O_GDB },
    { "quantum", required_argument, 0, O_QUANTUM },
    { "sched-seed", required_argument, 0, O_SCHEDSEED },
    { "help", no_argument, 0, O_HELP },
};
#define N_RUN_OPTIONS (sizeof run_options / sizeof run_options[0])

/* One shared run option.  Returns 0, or an exit status after one error
 * line; *help is set for --help. */
static int run_option(struct run_setup *rs, int c, const char *arg, bool *help)
{
    struct proc_options *o = &rs->po;
    uint64_t v;
    switch (c) {
    case O_MEM:
        if (cli_parse_size(arg, &v) || v < PMEM_MIN_SIZE || v > PMEM_MAX_SIZE) {
            fprintf(stderr, "vmlab: --mem %s: give a size between 64K and 4G, e.g. 64M\n", arg);
            return 2;
        }
        o->mem_size = v;
        return 0;
    case O_STACK:
        if (cli_parse_size(arg, &v) || v < 16 * 1024 || v > 512u << 20) {
            fprintf(stderr, "vmlab: --stack-limit %s: give a size between 16K and 512M, e.g. 8M\n", arg);
            return 2;
        }
        o->stack_limit = (uint32_t)PAGE_UP((uint32_t)v);
        return 0;
    case O_PERM:
        if (rs->nperms == CLI_MAX_PERMS) {
            fprintf(stderr, "vmlab: too many --perm options (at most %d)\n", CLI_MAX_PERMS);
            return 2;
        }
        rs->perms[rs->nperms++] = arg;
        return 0;
    case O_TRACE:
        if (cli_parse_trace(arg, &o->trace)) {
            fprintf(stderr, "vmlab: --trace %s: expected a list of syscall,fault,page,signal,sched or all\n",
                    *arg ? arg : "''");
            return 2;
        }
        return 0;
    case O_STATS: rs->stats = true; return 0;
    case O_MAPS: rs->maps = true; return 0;
    case O_INTERP: o->interp = true; return 0;
    case O_REALSLEEP: o->real_sleep = true; return 0;
    case O_MAXI:
        if (cli_parse_size(arg, &o->max_insns) || o->max_insns == 0) {
            fprintf(stderr, "vmlab: --max-insns %s: expected a positive number\n", arg);
            return 2;
        }
        return 0;
    case O_TIMEOUT: {
        /* seconds, with a fraction: "2", "0.5", "1e3" */
        char *end;
        errno = 0;
        double t = strtod(arg, &end);
        if (errno || end == arg || *end || !(t > 0) || t > 1e7) {
            fprintf(stderr, "vmlab: --timeout %s: expected a number of seconds above 0, e.g. 10 "
                    "or 0.5\n", *arg ? arg : "''");
            return 2;
        }
        o->timeout_ms = (uint64_t)(t * 1000 + 0.5) ? (uint64_t)(t * 1000 + 0.5) : 1;
        return 0;
    }
    case O_HOSTMEM:
        if (cli_parse_size(arg, &v) || v < (1u << 20) || v > (64ull << 30)) {
            fprintf(stderr, "vmlab: --host-mem %s: give a size between 1M and 64G, e.g. 256M\n",
                    *arg ? arg : "''");
            return 2;
        }
        o->host_mem = v;
        return 0;
    case O_CPAT:
        if (!*arg) {
            fprintf(stderr, "vmlab: --core-pattern: empty pattern\n");
            return 2;
        }
        o->core_pattern = arg;
        return 0;
    case O_CLIM:
        if (!strcmp(arg, "unlimited"))
            o->core_limit = UINT64_MAX;
        else if (cli_parse_size(arg, &o->core_limit)) {
            fprintf(stderr, "vmlab: --core-limit %s: expected a size (e.g. 16M, 0, unlimited)\n", arg);
            return 2;
        }
        return 0;
    case O_NOCORE: o->core_limit = 0; return 0;
    case O_SWAP:
        if (cli_parse_size(arg, &v) || (v && v < PAGE_SIZE) ||
            v > (uint64_t)SWAP_MAX_SLOTS * PAGE_SIZE) {
            fprintf(stderr, "vmlab: --swap %s: give a size between 4K and 16G, or 0 for no swap\n", arg);
            return 2;
        }
        o->swap_size = v;
        return 0;
    case O_SWAPFILE:
        if (!*arg) {
            fprintf(stderr, "vmlab: --swap-file: empty path\n");
            return 2;
        }
        o->swap_file = arg;
        return 0;
    case O_POLICY:
        o->policy = (int)policy_from_name(arg);
        if (o->policy == POLICY_COUNT) {
            fprintf(stderr, "vmlab: --policy %s: expected one of fifo, clock, nru, aging, random\n", arg);
            return 2;
        }
        return 0;
    case O_SEED:
        if (cli_parse_size(arg, &o->seed)) {
            fprintf(stderr, "vmlab: --seed %s: expected a number\n", arg);
            return 2;
        }
        return 0;
    case O_VMSTAT:
        if (cli_parse_size(arg, &o->vmstat) || o->vmstat == 0) {
            fprintf(stderr, "vmlab: --vmstat %s: expected a positive number of instructions\n", arg);
            return 2;
        }
        return 0;
    case O_AGING:
        if (cli_parse_size(arg, &o->aging_interval) || o->aging_interval == 0) {
            fprintf(stderr, "vmlab: --aging-interval %s: expected a positive number of instructions\n", arg);
            return 2;
        }
        return 0;
    case O_GDB: rs->gdb = arg; return 0;
    case O_QUANTUM:
        if (cli_parse_size(arg, &o->quantum) || o->quantum == 0 || o->quantum > (1ull << 40)) {
            fprintf(stderr, "vmlab: --quantum %s: expected a positive number of instructions\n", arg);
            return 2;
        }
        return 0;
    case O_SCHEDSEED:
        if (cli_parse_size(arg, &o->sched_seed)) {
            fprintf(stderr, "vmlab: --sched-seed %s: expected a number\n", arg);
            return 2;
        }
        return 0;
    case O_HELP: *help = true; return 0;
    default:
        return 2;
    }
}

/* Print what a shell prints when its child dies of a signal. */
static void report_death(const struct proc *p)
{
    if ((p->term_sig == SIGPIPE || p->term_sig == SIGINT) && !p->kill_reason)
        return;                      /* shells stay quiet about a closed pipe, and Ctrl-C */
    if (p->kill_reason_is_line)
        fprintf(stderr, "vmlab: %s\n", p->kill_reason);
    else if (p->kill_reason)
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

int cli_run_command(int argc, char **argv, const struct run_command *cmd)
{
    /* The command's own options first: one of the same name as a run
     * option replaces it (vmlab paging's --policy is not the kernel's). */
    struct option opts[64];
    size_t n = 0;
    for (const struct option *e = cmd->extra; e && e->name && n < 63; e++)
        opts[n++] = *e;
    size_t own = n;
    for (size_t i = 0; i < N_RUN_OPTIONS && n < 63; i++) {
        bool taken = false;
        for (size_t k = 0; k < own; k++)
            taken |= !strcmp(opts[k].name, run_options[i].name);
        if (!taken)
            opts[n++] = run_options[i];
    }
    opts[n] = (struct option){ 0, 0, 0, 0 };

    struct run_setup rs = { .po = { .mem_size = DEFAULT_MEM, .stack_limit = DEFAULT_STACK_LIMIT,
                                    .core_limit = UINT64_MAX, .swap_size = DEFAULT_SWAP,
                                    .policy = POLICY_CLOCK } };
    bool help = false;
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
        if (c >= CLI_OPT_COMMAND)
            rc = cmd->option(cmd->ctx, c, optarg);
        else if (c >= O_MEM && c <= O_HELP)
            rc = run_option(&rs, c, optarg, &help);
        else {
            if (optopt > 0 && optopt < 128)   /* a short one, maybe inside "-xyz" */
                fprintf(stderr, "vmlab %s: unknown option '-%c' (see vmlab --help)\n",
                        cmd->name, optopt);
            else
                fprintf(stderr, "vmlab %s: unknown or incomplete option '%s' (see vmlab --help)\n",
                        cmd->name, argv[optind - 1]);
            rc = 2;
        }
        if (rc)
            return rc;
        if (help) {
            cli_usage(stdout);
            return 0;
        }
    }
    if (cmd->check && (rc = cmd->check(cmd->ctx)) != 0)
        return rc;
    if (rs.po.timeout_ms && (rc = host_arm_timeout(rs.po.timeout_ms)) != 0) {
        fprintf(stderr, "vmlab: --timeout: cannot set a timer: %s\n", strerror(-rc));
        return 2;
    }
    if (optind >= argc) {
        if (cmd->no_program)
            return cmd->no_program(cmd->ctx);
        fprintf(stderr, "vmlab %s: no PROGRAM given (see vmlab --help)\n", cmd->name);
        return 2;
    }
    const char *path = argv[optind];
    char err[512];
    /* Ctrl-C and kill(1) are the guest's, as under qemu-user: its handler
     * runs, or their default action ends it (kernel/hostsig.c) */
    if (hostsig_init() == 0 && host_forward_signals(hostsig_arrived) == 0)
        rs.po.host_signals = true;
    rs.po.sig_ignored = host_inherited_ignored();
    struct proc *p = proc_create(path, argv + optind, environ, &rs.po, err, sizeof err);
    if (!p) {
        fprintf(stderr, "vmlab: %s: %s\n", path, err);
        return 126;
    }
    for (int i = 0; i < rs.nperms; i++) {
        if (proc_perm_rule(p, rs.perms[i], err, sizeof err)) {
            fprintf(stderr, "vmlab: --perm %s: %s\n", rs.perms[i], err);
            proc_destroy(p);
            return 2;
        }
    }
    struct gdb_server *gdb = NULL;
    if (rs.gdb && !(gdb = cli_gdb_start(rs.gdb, p, path))) {
        proc_destroy(p);
        return 2;
    }
    int status;
    if (cmd->drive) {
        status = cmd->drive(cmd->ctx, p, gdb);
    } else {
        gdb_serve(gdb);                       /* no-op without --gdb */
        status = proc_run(p);                 /* what gdb left running */
    }
    gdb_close(gdb);
    fflush(stdout);
    if (p->state == PROC_KILLED)
        report_death(p);
    if (rs.maps) {
        fprintf(stderr, "--- address space at exit ---\n");
        proc_print_maps(p, stderr);
    }
    if (rs.stats)
        proc_print_stats(p, stderr);
    bool by_sigint = p->state == PROC_KILLED && p->term_sig == SIGINT;
    proc_destroy(p);
    if (by_sigint)
        host_die_of_sigint();                 /* the shell sees it, as of any program */
    return status;
}
