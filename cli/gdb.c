/* cli/gdb.c — the --gdb glue: listen, tell the user how to attach, wait
 * for gdb, and give the server the one monitor command that needs more
 * than the kernel: `monitor explain`, which is vmlab inspect on a snapshot
 * core of the stopped process (so a live stop is explained in the same
 * words as a dead one). */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdb/server.h"
#include "inspect/inspect.h"
#include "kernel/query.h"

static int explain(void *ctx, struct proc *p, const char *args, FILE *out)
{
    (void)ctx;
    (void)args;
    struct kq_stop why;
    kq_stop(p, &why);
    if (!why.signo) {
        fprintf(out, "The program is stopped %s, not by a signal: there is no fault to "
                "explain.  (monitor explain explains a stop like \"Program received signal "
                "SIGSEGV\".)\n", why.why & KQ_STOP_BREAK ? "at a breakpoint"
                : why.why & KQ_STOP_WATCH ? "after a watched access"
                : why.why & KQ_STOP_STEP ? "after a step" : "by gdb");
        return 0;
    }
    char path[] = "/tmp/vmlab-explain-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        fprintf(out, "explain: cannot make a temporary file in /tmp\n");
        return -1;
    }
    int rc = kq_write_core(p, why.signo, fd);
    close(fd);
    if (rc) {
        fprintf(out, "explain: cannot write the snapshot: %s\n", strerror(-rc));
        unlink(path);
        return -1;
    }
    struct inspect_options o = { .core = path, .elf = kq_exe(p), .live = true };
    rc = inspect_report(out, out, &o);
    unlink(path);
    return rc ? -1 : 0;
}

struct gdb_server *cli_gdb_start(const char *spec, struct proc *p, const char *program)
{
    char err[512];
    struct gdb_server *g = gdb_listen(spec, err, sizeof err);
    if (!g) {
        fprintf(stderr, "vmlab: %s\n", err);
        return NULL;
    }
    static const struct gdb_monitor_ext ext = {
        "explain", "the stop in plain words: what the instruction tried, where, why refused",
        explain, NULL,
    };
    gdb_add_monitor(g, &ext);
    const char *host = gdb_host(g);
    fprintf(stderr, "vmlab: waiting for gdb on %s:%d; attach with: gdb-multiarch %s -ex "
            "'target remote %s:%d'\n", host, gdb_port(g), program,
            strcmp(host, "127.0.0.1") ? host : "", gdb_port(g));
    if (gdb_accept(g, p, err, sizeof err)) {
        fprintf(stderr, "vmlab: %s\n", err);
        gdb_close(g);
        return NULL;
    }
    return g;
}
