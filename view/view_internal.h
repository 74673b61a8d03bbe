/* view/view_internal.h — the view object, shared by the view's .c files and by
 * tests/test_view.c: it can be drawn into an off-screen surface (no
 * window, no display) and fed synthetic SDL events. */
#ifndef VMLAB_VIEW_VIEW_INTERNAL_H
#define VMLAB_VIEW_VIEW_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>

#include "view/font.h"
#include "view/layout.h"
#include "view/model.h"
#include "view/view.h"

/* Instructions per second at each speed step (0: as fast as the frame
 * budget allows). */
#define VIEW_SPEEDS { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 0 }
#define VIEW_NSPEEDS 9
#define VIEW_SPEED_DEFAULT 4          /* 10k instructions per second */

#define VIEW_TIP_LINES 8

/* Instructions per kq_run at full speed: adapted to ~0.25 ms each. */
#define VIEW_CHUNK_MIN   500
#define VIEW_CHUNK_MAX   50000

enum walk_mode {
    WALK_PC,                          /* the instruction fetch at pc */
    WALK_FAULT,                       /* the last fault that became a signal */
    WALK_PAGE,                        /* a page the user clicked */
};

struct view {
    struct proc   *p;
    const char    *title;
    /* output: everything is drawn with surface blits and fills, no
     * renderer, so the window and the snapshots get the same pixels and
     * no GPU is needed */
    SDL_Window    *win;               /* NULL off-screen */
    SDL_Surface   *surface;           /* off-screen target (owned), else NULL */
    SDL_Surface   *dst;               /* this frame's target: surface or the window's */
    bool           owns_ttf;          /* TTF_Init done by view_open_* */
    struct font   *mono, *bold, *small, *head;
    SDL_Surface   *fsurf;             /* frames grid, one pixel per cell */
    uint64_t       fsurf_gen;         /* model generation drawn into fsurf */
    uint32_t       fsurf_fper;
    uint32_t       fsurf_show;
    /* what is shown */
    struct model   m;
    struct layout  L;
    /* selection and pointer */
    int            sel_root;          /* the leaf table shown */
    bool           root_pinned;       /* chosen by a click: stop following the walk */
    int            sel_seg;           /* -1: none */
    enum walk_mode walk_mode;
    uint32_t       walk_va;
    int            walk_access;
    uint64_t       fault_key[4];      /* the fault last switched to */
    int            mx, my;
    bool           mouse_in;
    struct hit     hover;
    /* running */
    bool           running;
    bool           waiting;       /* the last slice ended with every thread waiting on I/O */
    unsigned       run_to;            /* KQ_STOP_* for f and c, 0 otherwise */
    int            speed;             /* index into VIEW_SPEEDS */
    double         carry;             /* instructions owed at a slow speed */
    uint64_t       last_tick;         /* performance counter at the last slice */
    uint64_t       chunk;             /* instructions per kq_run at full speed */
    char           note[160];         /* last message for the title bar */
    const char    *driver;            /* someone else runs the program (gdb), or NULL */
};

/* A view drawing into a new w x h off-screen surface (v->surface): no
 * window, no display, no video subsystem.  Enables the process's event
 * log.  Returns NULL with one line in err. */
struct view *view_open_surface(struct proc *p, int w, int h, char *err, size_t errlen);

/* A view in a new window (SDL video must be initialised). */
struct view *view_open_window(struct proc *p, const char *title, char *err, size_t errlen);
void view_close(struct view *v);

/* Read the process, lay out and draw one frame: into v->surface, or into
 * the window's surface (then shown with SDL_UpdateWindowSurface). */
void view_render(struct view *v);

/* Handle one SDL event (keys, mouse).  Returns false when the user asked
 * to quit. */
bool view_handle_event(struct view *v, const SDL_Event *e);

/* Handle every queued SDL event; false when the user asked to quit. */
bool view_pump(struct view *v);

/* Run the guest for one frame's slice if it is running: at most budget_ms
 * of emulation, in adaptive chunks, stopping (and pausing) at the stop
 * condition of f/c or when the process ends. */
void view_tick(struct view *v, double budget_ms);

/* The tooltip lines for what is under the pointer (0 lines: none). */
int view_tooltip(struct view *v, char lines[][128], int max);

/* Draw everything (view/draw.c). */
void draw_view(struct view *v);

/* The part of frame f's cell that is drawn (layout_frame_cell less the
 * gaps between cells at this size). */
SDL_Rect view_frame_box(const struct layout *L, uint32_t f);

/* The band of a strip row's left edge that shows slice k of segment s
 * (a pixel row shared with other slices when they outnumber the pixels). */
SDL_Rect view_edge_band(const struct strip_row *r, const struct model_seg *s, int k);

/* Where the parts of frame f's cell are drawn, at FRAMES_DETAIL (A and D
 * chips, the padlock of a pinned frame, aging's 8 bits from bit 7, the
 * swap-cache slot) or FRAMES_MARKS (A and D dots; lock: the dark frame).
 * Empty rectangles at FRAMES_PLAIN. */
struct frame_parts {
    SDL_Rect box, lock, a, d, bit[8], slot;
};
void view_frame_parts(const struct view *v, uint32_t f, struct frame_parts *fp);

/* An event's colour in the log (page events by what happened: a minor
 * fault, a page read back, a victim written to swap or dropped), and its
 * text as the log shows it (a policy's steps counted, so the victim and
 * where it went fit; "->" drawn as an arrow). */
enum pal view_event_pal(const struct kq_event *e);
void view_event_text(const struct kq_event *e, char *out, size_t len);

/* Whether the replacement policy named policy sweeps with a hand. */
bool view_has_hand(const char *policy);

/* "r-x" for perms (1 r, 2 w, 4 x); "16 KiB", "1.5 MiB", "1023 MiB". */
const char *view_perm_str(unsigned perms, char buf[4]);
const char *view_size_str(uint64_t bytes, char *buf, size_t len);

/* A signal's shell description ("Segmentation fault"), its name, and
 * whether its default action dumps core. */
const char *view_sig_text(int sig);
const char *view_sig_name(int sig);
bool view_sig_dumps_core(int sig);

#endif
