/* view/view.h — `vmlab view`: the process's address space, page tables
 * and physical frames drawn live in an SDL2 window, or rendered off-screen
 * into a PNG (--snapshot).  The view reads the process only through
 * kernel/query.h and changes it only through kq_run and kq_set_perms (the
 * path mprotect takes), so a run with no view pays nothing for it. */
#ifndef VMLAB_VIEW_VIEW_H
#define VMLAB_VIEW_VIEW_H

#include <stdbool.h>
#include <stdint.h>

struct proc;

struct view_options {
    const char *snapshot;         /* write this PNG off-screen instead of a window */
    uint64_t    at_insn;          /* snapshot after this many instructions (0: unset) */
    bool        at_fault;         /* ... at the first fault that becomes a signal */
    bool        at_exit;          /* ... when the process has ended (the default) */
    const char *title;            /* program name for the title bar; NULL: none */
    /* Someone else drives the run (vmlab view --gdb: the debugger).  When
     * set, the window calls drive(drive_ctx, ms) once a frame instead of
     * running the program itself, and the keys that run it only say so;
     * drive serves for about ms milliseconds and returns false once it is
     * done (the session ended): then the window runs the rest as usual. */
    bool      (*drive)(void *drive_ctx, int ms);
    void       *drive_ctx;
    const char *driver;           /* its name for the messages, e.g. "gdb" */
};

/* Run p in the window (or render the snapshot), then let the process
 * finish.  Window: the user drives the run (space, s, f, c, +/-, q); the
 * window stays open after the process dies until the user quits.
 * Snapshot: runs to the point asked for, writes the PNG, then runs the
 * process to its end like `vmlab run`.
 * Returns the process's shell status (exit code, or 128 + signal; 130 if
 * the window was closed while the program was still running), or 1 after
 * printing one error line to stderr (no display, no font, PNG not
 * written).  p stays the caller's to destroy. */
int view_main(struct proc *p, const struct view_options *o);

#endif
