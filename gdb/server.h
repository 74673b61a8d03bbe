/* gdb/server.h — a GDB remote serial protocol server for one process:
 * `vmlab run --gdb PORT` and `vmlab view --gdb PORT`.
 *
 * The server listens on a TCP port (127.0.0.1 unless an address is given),
 * takes one gdb, and from then on gdb drives the process: registers,
 * memory, breakpoints, watchpoints, stepping, signals, and `monitor`
 * commands that show what only vmlab knows (segments, page tables,
 * frames, the TLB).  Three layers, each in its own file: the framing
 * (gdb/packet.c), the packets (gdb/commands.c, a table of {prefix,
 * handler}), and the process as gdb sees it (gdb/target.c, over
 * kernel/query.h).
 *
 * A run that gdb only continues retires exactly the instructions, and
 * prints exactly the output, of the same run without gdb: the process
 * runs in stretches of GDB_SLICE instructions (the socket is polled for
 * Ctrl-C between them), and no breakpoint or watchpoint costs anything
 * while none is set.
 */
#ifndef VMLAB_GDB_SERVER_H
#define VMLAB_GDB_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct proc;
struct gdb_server;

/* Instructions between two looks at the socket while the program runs. */
#define GDB_SLICE (1u << 22)

/* A `monitor` command the caller adds (cli/ adds `explain`, which needs
 * the inspector): run writes its answer to out and returns 0, or -1 after
 * writing why not. */
struct gdb_monitor_ext {
    const char *name;
    const char *help;                     /* one line for `monitor help` */
    int (*run)(void *ctx, struct proc *p, const char *args, FILE *out);
    void *ctx;
};

/* Listen on spec: "PORT" (127.0.0.1:PORT), "HOST:PORT" or ":PORT" (every
 * address); PORT 0 picks a free one.  Returns the server, or NULL with one
 * line in err ("bad port", "cannot listen on 127.0.0.1:1234: Address
 * already in use"). */
struct gdb_server *gdb_listen(const char *spec, char *err, size_t errlen);

/* The address and port it listens on ("127.0.0.1", 1234). */
const char *gdb_host(const struct gdb_server *s);
int         gdb_port(const struct gdb_server *s);

/* Add a monitor command (at most a few). */
void gdb_add_monitor(struct gdb_server *s, const struct gdb_monitor_ext *ext);

/* Wait for gdb to connect, then attach to p (which has not run yet).
 * Returns 0, or -1 with one line in err. */
int gdb_accept(struct gdb_server *s, struct proc *p, char *err, size_t errlen);

/* Serve one round: handle what gdb sent (waiting up to timeout_ms for it
 * while the program is stopped; -1 waits as long as it takes), and while
 * gdb has it running, run one stretch.  Returns true while the session
 * goes on; false once gdb detached, killed the program, or went away (the
 * process is then detached: no breakpoint, no held signal, and the caller
 * runs it to its end, as without gdb). */
bool gdb_poll(struct gdb_server *s, int timeout_ms);

/* True while gdb has the program running (the view shows "gdb: running"). */
bool gdb_running(const struct gdb_server *s);

/* A stretch in which the program waits for input ends after ms at most
 * (-1, the default: it waits until the input or gdb's Ctrl-C comes), so
 * that the view's window is drawn meanwhile. */
void gdb_wait_limit(struct gdb_server *s, int ms);

/* gdb_poll until the session ends.  Safe on NULL (returns at once). */
void gdb_serve(struct gdb_server *s);

/* Close the connection and the listening socket.  Safe on NULL. */
void gdb_close(struct gdb_server *s);

#endif
