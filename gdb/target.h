/* gdb/target.h — the debugged process as the remote protocol sees it:
 * registers in gdb's numbering and byte order, memory, breakpoints and
 * watchpoints by Z-packet type, gdb's signal numbers, resuming and the
 * reason of a stop, and the target description.  The only part of the gdb
 * server that calls the kernel (kernel/query.h), apart from the reports of
 * gdb/monitor.c; gdb/commands.c speaks the protocol and calls only this.
 *
 * Threads: every call that concerns a thread takes its id (the main
 * thread's is the process id); kq_threads lists them, registers are read
 * and written per thread.  A resume runs every thread under the kernel's
 * scheduler; a step steps the thread gdb names (vCont;s:TID, or Hc), put
 * on the hart first if it can run, else the thread on the hart.
 */
#ifndef VMLAB_GDB_TARGET_H
#define VMLAB_GDB_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;

/* x0..x31 and pc (gdb's RISC-V numbering: pc is 32), 4 bytes each. */
#define TGT_NREGS    33
#define TGT_REG_PC   32
#define TGT_REG_SIZE 4

int  tgt_pid(struct proc *p);
/* The threads' ids; returns how many (fills at most max). */
int  tgt_threads(struct proc *p, int *tids, int max);
bool tgt_thread_alive(struct proc *p, int tid);
const char *tgt_thread_name(struct proc *p, int tid);
int  tgt_current(struct proc *p);        /* the thread that runs (and stopped) */
/* Put thread tid on the hart (to step it); false if it cannot run now
 * (waiting in a futex: the thread on the hart is stepped instead). */
bool tgt_select(struct proc *p, int tid);

/* One register (little-endian bytes); false for a number gdb should not
 * have asked for. */
bool tgt_read_reg(struct proc *p, int tid, int n, uint8_t out[TGT_REG_SIZE]);
bool tgt_write_reg(struct proc *p, int tid, int n, const uint8_t in[TGT_REG_SIZE]);

/* Memory with a debugger's rights (kq_peek/kq_poke): the bytes done. */
size_t tgt_read_mem(struct proc *p, uint32_t addr, uint8_t *buf, size_t len);
size_t tgt_write_mem(struct proc *p, uint32_t addr, const uint8_t *buf, size_t len);

/* Z/z packets: type 0 software and 1 hardware breakpoint (both kept by
 * the run loop), 2 write, 3 read, 4 access watchpoint of len bytes.
 * Returns 0, -EINVAL, -ENOSPC, -ENOENT or -ENOSYS (unknown type). */
int tgt_insert(struct proc *p, int type, uint32_t addr, uint32_t len);
int tgt_remove(struct proc *p, int type, uint32_t addr, uint32_t len);

/* Signal numbers: gdb's protocol numbers them its own way (gdb's
 * include/gdb/signals.def); Linux RV32 uses the asm-generic ones.
 * Unknown ones map to 0 (to Linux) and 143 (GDB_SIGNAL_UNKNOWN). */
int tgt_sig_to_gdb(int linux_sig);
int tgt_sig_from_gdb(int gdb_sig);

/* QPassSignals: these gdb signal numbers go to the program without a stop. */
void tgt_pass_signals(struct proc *p, const int *gdb_sigs, int n);

/* Attach (signals stop first) or detach (breakpoints and watchpoints
 * removed, a held signal delivered). */
void tgt_attach(struct proc *p, bool on);

/* What stopped the process, as a stop reply needs it. */
enum tgt_state { TGT_STOPPED, TGT_EXITED, TGT_KILLED };
struct tgt_stop {
    enum tgt_state state;
    int      sig;                 /* TGT_STOPPED: gdb's number; TGT_KILLED: gdb's too */
    int      status;              /* TGT_EXITED: the exit code */
    int      tid;                 /* the thread that stopped */
    bool     breakpoint;          /* at a Z0/Z1 breakpoint */
    bool     watch;               /* after a watched access ... */
    const char *watch_kind;       /* ... "watch", "rwatch" or "awatch" */
    uint32_t watch_addr;
};

/* Resume: deliver gdb signal `sig` first (0: none, and a held signal is
 * discarded), then run thread `tid` alone while it can (0: every thread;
 * thread_lock) — one instruction (step), or one stretch of at most
 * `slice` instructions.  `first` is true for the first stretch after a
 * stop (a breakpoint at pc is passed).  A program that waits for input
 * also waits for gdb's socket `wake_fd` to be readable, and for at most
 * `wait_ms` (-1: no limit), and the stretch ends then (`pending`: gdb's
 * bytes are read already, so it ends at the first wait); the call is made
 * again on the next stretch.  Returns true
 * when the process stopped (*stop says why), false when the stretch ended
 * with it still running (call again, first = false). */
bool tgt_resume(struct proc *p, int tid, int sig, bool step, bool first, uint64_t slice,
                int wake_fd, bool pending, int wait_ms, struct tgt_stop *stop);
/* Lift tgt_resume's "this thread alone" (gdb detached). */
void tgt_unlock(struct proc *p);
/* The state now, as after a stop: for `?` and for an interrupt (SIGINT). */
void tgt_stop_now(struct proc *p, int sig, struct tgt_stop *stop);
/* End the process (kill). */
void tgt_kill(struct proc *p);

/* qXfer objects: bytes [off, off+len) of the object, into buf; returns
 * how many (0 at its end), or -1 when there is no such object or annex.
 * features (annex "target.xml"), auxv, exec-file (annex: a pid or ""),
 * siginfo (-1 when the stop was not a signal's), threads. */
long tgt_xfer(struct proc *p, const char *object, const char *annex, uint64_t off,
              uint8_t *buf, size_t len);

/* The files gdb may open through vFile (Host I/O): /proc/PID/maps,
 * /proc/PID/cmdline, and the program file itself; nothing else of the
 * host is served.  Returns a malloc'd copy of the whole file and its size,
 * or NULL (then *err is an errno: ENOENT, ENOMEM). */
uint8_t *tgt_file(struct proc *p, const char *path, size_t *size, int *err);
/* What /proc/PID/exe names (for vFile:readlink), or NULL. */
const char *tgt_readlink(struct proc *p, const char *path);

#endif
