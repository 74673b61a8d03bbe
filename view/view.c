/* view/view.c — the view object, its event handling and run slices, the
 * window loop and the off-screen snapshot.  See view.h and
 * view_internal.h.
 *
 * The window loop: handle input, run the guest for at most SLICE_MS (in
 * chunks of kq_run), read the process and draw, show, then sleep out the
 * rest of the ~16 ms frame (while paused: until an event, or 250 ms).
 * A guest that waits for input (a read of stdin) waits in the scheduler's
 * poll for the rest of the frame at most (kq_wake), so the window goes on
 * drawing and taking clicks.  Known limits: with hundreds of segments the strip
 * shows them as thin unlabelled rows, or not at all past its height (the
 * count is shown); a segment with pages on swap or in the file only is
 * walked page by page at each re-read of the segments (kq_page_state per
 * page: a 1 GiB mapping costs ~262,144 queries then, a few ms). */
#include "view/view_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_image.h>
#include <SDL_ttf.h>

#include "kernel/query.h"

#define WIN_W 1280
#define WIN_H 800
#define FRAME_MS 16.0                 /* ~60 frames per second */
#define SLICE_MS 10.0                 /* emulation per frame at full speed */

static const uint64_t speeds[VIEW_NSPEEDS] = VIEW_SPEEDS;

/* --- signals (the few a guest dies of, in the shell's words) -------------- */

/* Linux numbering (asm-generic), the shell's words, and whether the
 * default action dumps core (PLATFORM.md §2.1). */
static const struct { int sig; const char *name, *text; bool core; } sigs[] = {
    { 3, "SIGQUIT", "Quit", true },
    { 4, "SIGILL", "Illegal instruction", true },
    { 5, "SIGTRAP", "Trace/breakpoint trap", true },
    { 6, "SIGABRT", "Aborted", true },
    { 7, "SIGBUS", "Bus error", true },
    { 8, "SIGFPE", "Floating point exception", true },
    { 9, "SIGKILL", "Killed", false },
    { 11, "SIGSEGV", "Segmentation fault", true },
    { 13, "SIGPIPE", "Broken pipe", false },
    { 15, "SIGTERM", "Terminated", false },
    { 24, "SIGXCPU", "CPU time limit exceeded", true },
    { 25, "SIGXFSZ", "File size limit exceeded", true },
    { 31, "SIGSYS", "Bad system call", true },
};

static int sig_index(int sig)
{
    for (int i = 0; i < (int)(sizeof sigs / sizeof sigs[0]); i++)
        if (sigs[i].sig == sig)
            return i;
    return -1;
}

const char *view_sig_text(int sig)
{
    int i = sig_index(sig);
    return i >= 0 ? sigs[i].text : "Killed by a signal";
}

const char *view_sig_name(int sig)
{
    int i = sig_index(sig);
    return i >= 0 ? sigs[i].name : "a signal";
}

bool view_sig_dumps_core(int sig)
{
    int i = sig_index(sig);
    return i >= 0 && sigs[i].core;
}

/* --- the object ----------------------------------------------------------- */

static double ms_since(uint64_t t0)
{
    return (double)(SDL_GetPerformanceCounter() - t0) * 1000.0 /
           (double)SDL_GetPerformanceFrequency();
}

/* Common set-up of a view with its output. */
static int view_setup(struct view *v, struct proc *p, char *err, size_t errlen)
{
    v->p = p;
    v->sel_root = -1;
    v->sel_seg = -1;
    v->walk_mode = WALK_PC;
    v->speed = VIEW_SPEED_DEFAULT;
    v->chunk = 2000;
    if (!TTF_WasInit()) {
        if (TTF_Init()) {
            snprintf(err, errlen, "SDL_ttf: %s", TTF_GetError());
            return -1;
        }
        v->owns_ttf = true;
    }
    v->mono = font_open(FONT_MONO, 12, err, errlen);
    if (v->mono)
        v->bold = font_open(FONT_SANS_BOLD, 12, err, errlen);
    if (v->bold)
        v->small = font_open(FONT_MONO, 11, err, errlen);
    if (v->small)
        v->head = font_open(FONT_SANS_BOLD, 13, err, errlen);
    if (!v->head)
        return -1;
    kq_events_enable(p);
    if (model_init(&v->m, p)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;                                 /* a fault already there is shown first */
}

struct view *view_open_surface(struct proc *p, int w, int h, char *err, size_t errlen)
{
    struct view *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    v->surface = v->dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!v->surface) {
        snprintf(err, errlen, "off-screen surface: %s", SDL_GetError());
        view_close(v);
        return NULL;
    }
    if (view_setup(v, p, err, errlen)) {
        view_close(v);
        return NULL;
    }
    return v;
}

struct view *view_open_window(struct proc *p, const char *title, char *err, size_t errlen)
{
    struct view *v = calloc(1, sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    char name[160];
    snprintf(name, sizeof name, "vmlab view%s%s", title ? " — " : "", title ? title : "");
    v->title = title;
    v->win = SDL_CreateWindow(name, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
                              WIN_W, WIN_H, SDL_WINDOW_RESIZABLE);
    if (!v->win) {
        snprintf(err, errlen, "cannot open a window: %s", SDL_GetError());
        view_close(v);
        return NULL;
    }
    SDL_SetWindowMinimumSize(v->win, 1100, 700);
    /* We draw with the CPU into the window's surface.  On X11, SDL would
     * otherwise copy that surface through an OpenGL texture, which is slow
     * where OpenGL is emulated in software (no GPU, Xvfb): ask for the
     * plain X11 shared-memory path (the environment may still override). */
    const char *drv = SDL_GetCurrentVideoDriver();
    if (drv && !strcmp(drv, "x11"))
        SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
    if (!SDL_GetWindowSurface(v->win)) {
        snprintf(err, errlen, "cannot draw in the window: %s", SDL_GetError());
        view_close(v);
        return NULL;
    }
    if (view_setup(v, p, err, errlen)) {
        view_close(v);
        return NULL;
    }
    return v;
}

void view_close(struct view *v)
{
    if (!v)
        return;
    model_free(&v->m);
    layout_free(&v->L);
    font_close(v->mono);
    font_close(v->bold);
    font_close(v->small);
    font_close(v->head);
    if (v->fsurf)
        SDL_FreeSurface(v->fsurf);
    if (v->win)
        SDL_DestroyWindow(v->win);
    if (v->surface)
        SDL_FreeSurface(v->surface);
    if (v->owns_ttf)
        TTF_Quit();
    free(v);
}

/* --- following the process -------------------------------------------------- */

/* After the guest ran: switch the walk to a new fault, keep the selected
 * table on the walked page unless the user pinned one, and walk. */
static void follow(struct view *v)
{
    const struct kq_state *st = &v->m.st;
    uint64_t key[4] = { st->fault_valid, st->fault_addr, st->fault_pc, v->m.ctr.faults_segv };
    if (st->fault_valid && memcmp(key, v->fault_key, sizeof key)) {
        v->walk_mode = WALK_FAULT;
        v->root_pinned = false;
    }
    memcpy(v->fault_key, key, sizeof key);
    switch (v->walk_mode) {
    case WALK_PC:
        v->walk_va = v->m.cpu.pc;
        v->walk_access = 0;
        break;
    case WALK_FAULT:
        v->walk_va = st->fault_addr;
        v->walk_access = st->fault_access;
        break;
    case WALK_PAGE:
        break;
    }
    if (!v->root_pinned)
        v->sel_root = (int)VVA_VPN1(v->walk_va);
}

void view_render(struct view *v)
{
    model_refresh(&v->m, v->sel_root);
    int before = v->sel_root;
    follow(v);
    if (v->sel_root != before)
        model_refresh(&v->m, v->sel_root);
    model_walk(&v->m, v->walk_va, v->walk_access);
    if (v->win)                               /* new after every resize */
        v->dst = SDL_GetWindowSurface(v->win);
    if (!v->dst)
        return;
    layout_compute(&v->L, &v->m, v->dst->w, v->dst->h, font_height(v->mono));
    /* the bits of the frames drawn big enough to show them */
    model_read_live(&v->m, v->L.flevel != FRAMES_PLAIN ? v->L.fshow : 0);
    if (v->mouse_in)
        v->hover = layout_hit(&v->L, &v->m, v->mx, v->my);
    draw_view(v);
}

/* --- running -------------------------------------------------------------- */

static void pause_run(struct view *v)
{
    v->running = false;
    v->run_to = 0;
}

void view_tick(struct view *v, double budget_ms)
{
    uint64_t now = SDL_GetPerformanceCounter();
    double since = (double)(now - v->last_tick) * 1000.0 / (double)SDL_GetPerformanceFrequency();
    v->last_tick = now;
    struct kq_state st;
    kq_state(v->p, &st);
    if (!v->running || !st.running) {
        if (!st.running)
            pause_run(v);
        return;
    }
    uint64_t per_s = speeds[v->speed];
    uint64_t owed = UINT64_MAX;               /* full speed: as many as fit */
    if (per_s && !v->run_to) {
        if (since > 100)
            since = 100;                      /* a stall must not cause a burst */
        v->carry += (double)per_s * since / 1000.0;
        owed = (uint64_t)v->carry;
        v->carry -= (double)owed;
    }
    unsigned hit = 0;
    /* a program that waits for input waits this frame's budget at most:
     * the window is drawn, and its events handled, meanwhile */
    int left = (int)(budget_ms - ms_since(now));
    kq_wake(v->p, -1, false, left > 1 ? left : 1);
    v->waiting = false;
    while (owed && !hit) {
        uint64_t n = owed < v->chunk ? owed : v->chunk;
        uint64_t t0 = SDL_GetPerformanceCounter();
        hit = kq_run(v->p, n, v->run_to);
        double took = ms_since(t0);
        if (hit & KQ_STOP_WAKE) {             /* it waits: the next frame goes on */
            hit &= ~KQ_STOP_WAKE;
            v->waiting = true;
            break;
        }
        owed -= n;
        /* Chunks of ~0.25 ms keep the frame budget.  Pure computation runs
         * 50,000 instructions in well under that; a storm of first-touch
         * page faults (~10-20 us each) runs far fewer, so shrink at once
         * in proportion.  Known limit: the chunk that runs into such a
         * storm is still a full one (measured: frames up to ~50 ms once). */
        if (n == v->chunk && took < 0.25 && v->chunk < VIEW_CHUNK_MAX)
            v->chunk = v->chunk * 2 < VIEW_CHUNK_MAX ? v->chunk * 2 : VIEW_CHUNK_MAX;
        else if (took > 0.5)
            v->chunk = (uint64_t)((double)n * 0.25 / took) + VIEW_CHUNK_MIN;
        kq_state(v->p, &st);
        if (!st.running || ms_since(now) >= budget_ms)
            break;
    }
    kq_wake(v->p, -1, false, -1);
    if (hit || !st.running)
        pause_run(v);
}

static void step(struct view *v)
{
    pause_run(v);
    kq_wake(v->p, -1, false, (int)FRAME_MS);  /* waiting for input: one frame */
    kq_run(v->p, 1, 0);
    kq_wake(v->p, -1, false, -1);
}

static void start(struct view *v, unsigned run_to)
{
    struct kq_state st;
    kq_state(v->p, &st);
    if (!st.running) {
        snprintf(v->note, sizeof v->note, "the program has ended: q to quit");
        return;
    }
    v->running = true;
    v->run_to = run_to;
    v->carry = 0;
    v->last_tick = SDL_GetPerformanceCounter();
}

/* --- mouse ------------------------------------------------------------------ */

static void flip_perm(struct view *v, int s, int bit)
{
    const struct kq_segment *seg = &v->m.seg[s].s;
    unsigned perms = seg->perms ^ (1u << bit);
    char name[16];
    snprintf(name, sizeof name, "%s", seg->name);
    int rc = kq_set_perms(v->p, seg->start, perms);
    if (rc)
        snprintf(v->note, sizeof v->note, "%s: permission change refused (%s)", name, strerror(-rc));
    else
        snprintf(v->note, sizeof v->note, "%s is now %c%c%c", name, perms & 1 ? 'r' : '-',
                 perms & 2 ? 'w' : '-', perms & 4 ? 'x' : '-');
    v->sel_seg = s;
    model_invalidate(&v->m);
}

static void walk_page(struct view *v, uint32_t va)
{
    v->walk_mode = WALK_PAGE;
    v->walk_va = va;
    v->walk_access = 1;
    v->sel_root = (int)VVA_VPN1(va);
    v->root_pinned = false;
}

/* Clicking a segment shows its pages: its first 4 MiB table, then the
 * next one on each further click (the stack: from its top down). */
static void click_segment(struct view *v, int s)
{
    const struct kq_segment *seg = &v->m.seg[s].s;
    int first = (int)VVA_VPN1(seg->start), last = (int)VVA_VPN1(seg->end - 1);
    bool down = !strcmp(seg->name, "stack");
    int next;
    if (v->sel_seg != s || v->sel_root < first || v->sel_root > last)
        next = down ? last : first;
    else if (down)
        next = v->sel_root > first ? v->sel_root - 1 : last;
    else
        next = v->sel_root < last ? v->sel_root + 1 : first;
    v->sel_seg = s;
    uint32_t va = (uint32_t)next << 22;
    if (va < seg->start)
        va = seg->start;
    if (down && next == last)
        va = seg->end - VPAGE;
    walk_page(v, va);
    v->sel_root = next;
    v->root_pinned = true;
}

static void click(struct view *v, int x, int y)
{
    struct hit h = layout_hit(&v->L, &v->m, x, y);
    switch (h.kind) {
    case HIT_BADGE:                           /* h.index: a segment of this model */
        if (h.index < v->m.nseg)
            flip_perm(v, h.index, h.bit);
        break;
    case HIT_SEG:
        if (h.index < v->m.nseg)
            click_segment(v, h.index);
        break;
    case HIT_GAP: {
        const struct strip_row *r = &v->L.rows[h.index];
        v->sel_seg = -1;
        walk_page(v, (uint32_t)r->lo);
        break;
    }
    case HIT_ROOT:
        v->sel_root = h.index;
        v->root_pinned = true;
        break;
    case HIT_LEAF:
        if (v->sel_root >= 0) {
            int keep = v->sel_root;
            walk_page(v, (uint32_t)keep << 22 | (uint32_t)h.index << 12);
            v->sel_seg = model_seg_at(&v->m, v->walk_va);
        }
        break;
    case HIT_FRAME: {
        uint32_t vpn = 0;
        if (kq_frame(v->p, (uint32_t)h.index, &vpn) == KQ_FRAME_PAGE) {
            walk_page(v, vpn * VPAGE);
            v->sel_seg = model_seg_at(&v->m, v->walk_va);
        }
        break;
    }
    case HIT_PC:
        v->walk_mode = WALK_PC;
        v->root_pinned = false;
        break;
    default:
        break;
    }
}

bool view_handle_event(struct view *v, const SDL_Event *e)
{
    int x, y;
    switch (e->type) {
    case SDL_QUIT:
        return false;
    case SDL_KEYDOWN:
        v->note[0] = 0;
        switch (e->key.keysym.sym) {
        case SDLK_q:
        case SDLK_ESCAPE:
            return false;
        case SDLK_SPACE:
        case SDLK_s:
        case SDLK_f:
        case SDLK_c:
            if (v->driver) {
                snprintf(v->note, sizeof v->note, "%s drives the run: continue, step or "
                         "interrupt it there", v->driver);
                break;
            }
            if (e->key.keysym.sym == SDLK_s)
                step(v);
            else if (e->key.keysym.sym == SDLK_f)
                start(v, KQ_STOP_FAULT);
            else if (e->key.keysym.sym == SDLK_c)
                start(v, KQ_STOP_SYSCALL);
            else if (v->running)
                pause_run(v);
            else
                start(v, 0);
            break;
        case SDLK_PLUS:
        case SDLK_EQUALS:
        case SDLK_KP_PLUS:
            if (v->speed < VIEW_NSPEEDS - 1)
                v->speed++;
            break;
        case SDLK_MINUS:
        case SDLK_KP_MINUS:
            if (v->speed > 0)
                v->speed--;
            break;
        default:
            break;
        }
        break;
    case SDL_MOUSEMOTION:
        x = e->motion.x, y = e->motion.y;
        v->mx = x, v->my = y;
        v->mouse_in = true;
        v->hover = layout_hit(&v->L, &v->m, x, y);
        break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button != SDL_BUTTON_LEFT)
            break;
        x = e->button.x, y = e->button.y;
        v->note[0] = 0;
        click(v, x, y);
        break;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_LEAVE)
            v->mouse_in = false;
        break;
    default:
        break;
    }
    return true;
}

bool view_pump(struct view *v)
{
    SDL_Event e;
    bool go = true;
    while (SDL_PollEvent(&e))
        go &= view_handle_event(v, &e);
    return go;
}

/* --- tooltips ---------------------------------------------------------------- */

const char *view_perm_str(unsigned perms, char buf[4])
{
    buf[0] = perms & 1 ? 'r' : '-';
    buf[1] = perms & 2 ? 'w' : '-';
    buf[2] = perms & 4 ? 'x' : '-';
    buf[3] = 0;
    return buf;
}

const char *view_size_str(uint64_t bytes, char *buf, size_t len)
{
    const char *unit[] = { "KiB", "MiB", "GiB" };
    int u = bytes >= (1ull << 30) ? 2 : bytes >= (1ull << 20) ? 1 : 0;
    uint64_t unitb = 1ull << (10 * (u + 1));
    uint64_t tenths = (bytes * 10 + unitb / 2) / unitb;             /* rounded */
    if (tenths >= 1000 || tenths % 10 == 0)
        snprintf(buf, len, "%" PRIu64 " %s", tenths / 10, unit[u]);
    else
        snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10, tenths % 10, unit[u]);
    return buf;
}

static void pte_bits(uint32_t pte, char buf[9])
{
    const char *names = "DAGUXWRV";
    for (int i = 0; i < 8; i++)
        buf[i] = pte & (1u << (7 - i)) ? names[i] : '-';
    buf[8] = 0;
}

static int tip_page(struct view *v, uint32_t va, char lines[][128], int max, int n)
{
    int s = model_seg_at(&v->m, va);
    char pb[4];
    if (n < max && s >= 0)
        snprintf(lines[n++], 128, "segment %s (%s)", v->m.seg[s].s.name,
                 view_perm_str(v->m.seg[s].s.perms, pb));
    else if (n < max)
        snprintf(lines[n++], 128, "no segment: an access here is SIGSEGV (SEGV_MAPERR)");
    return n;
}

int view_tooltip(struct view *v, char lines[][128], int max)
{
    if (!v->mouse_in || max <= 0)
        return 0;
    struct hit h = v->hover;
    struct model *m = &v->m;
    char a[32], b[4], bits[9];
    int n = 0;
    switch (h.kind) {
    case HIT_SEG:
    case HIT_BADGE: {
        if (h.index >= m->nseg)
            return 0;
        const struct kq_segment *s = &m->seg[h.index].s;
        snprintf(lines[n++], 128, "%s  0x%08x–0x%08x  %s", s->name, s->start, s->end - 1,
                 view_perm_str(s->perms, b));
        if (n < max)
            snprintf(lines[n++], 128, "%s, %u of %u pages in RAM", view_size_str(s->end - s->start, a, sizeof a),
                     s->resident, (s->end - s->start) / VPAGE);
        if (h.kind == HIT_BADGE && n < max) {
            static const char *const what[] = { "readable", "writable", "executable" };
            bool on = s->perms & (1u << h.bit);
            snprintf(lines[n++], 128, "click: make %s %s%s (PTEs, TLB and decoded code updated)",
                     s->name, on ? "not " : "", what[h.bit]);
        } else if (n < max) {
            snprintf(lines[n++], 128, "click: show its page table");
        }
        return n;
    }
    case HIT_GAP: {
        const struct strip_row *r = &v->L.rows[h.index];
        snprintf(lines[n++], 128, "unmapped  0x%08" PRIx64 "–0x%08" PRIx64, r->lo, r->hi - 1);
        if (n < max)
            snprintf(lines[n++], 128, "%s with no segment: touching it is SIGSEGV (SEGV_MAPERR)",
                     view_size_str(r->hi - r->lo, a, sizeof a));
        return n;
    }
    case HIT_ROOT: {
        unsigned i = (unsigned)h.index;
        uint32_t pte = m->root[i];
        snprintf(lines[n++], 128, "root[0x%03x]  VA 0x%08x–0x%08x (4 MiB)", i, i << 22, (i << 22) + 0x3fffff);
        if (n < max && !(pte & VPTE_V))
            snprintf(lines[n++], 128, "PTE 0x%08x: not valid, no table (nothing mapped here)", pte);
        else if (n < max)
            snprintf(lines[n++], 128, "PTE 0x%08x → table at frame %u (PA 0x%09" PRIx64 "), %d pages mapped",
                     pte, VPTE_PPN(pte), (uint64_t)VPTE_PPN(pte) << 12, model_table_fill(m, i));
        if (n < max)
            snprintf(lines[n++], 128, "click: show this table");
        return n;
    }
    case HIT_LEAF: {
        if (v->sel_root < 0)
            return 0;
        uint32_t va = (uint32_t)v->sel_root << 22 | (uint32_t)h.index << 12;
        uint32_t pte = m->leaf_ok ? m->leaf[h.index] : 0;
        snprintf(lines[n++], 128, "VA 0x%08x–0x%08x  leaf[0x%03x]", va, va + VPAGE - 1, h.index);
        pte_bits(pte, bits);
        if (n < max && (pte & VPTE_V))
            snprintf(lines[n++], 128, "PTE 0x%08x  %s  → frame %u (PA 0x%09" PRIx64 ")", pte, bits,
                     VPTE_PPN(pte), (uint64_t)VPTE_PPN(pte) << 12);
        else if (n < max && m->leaf_ok && m->leaf_state[h.index] == KQ_PAGE_SWAPPED)
            snprintf(lines[n++], 128, "PTE 0x%08x  V = 0, swap entry: slot %u (an access reads it back: "
                     "a major fault)", pte, m->leaf_slot[h.index]);
        else if (n < max && m->leaf_ok && m->leaf_state[h.index] == KQ_PAGE_FILE)
            snprintf(lines[n++], 128, "PTE 0x%08x  V = 0: dropped clean, the file has it (a major fault "
                     "reads it back)", pte);
        else if (n < max && (pte & VPTE_RSW0))
            snprintf(lines[n++], 128, "PTE 0x%08x  V = 0: no access, frame %u kept", pte, VPTE_PPN(pte));
        else if (n < max)
            snprintf(lines[n++], 128, "PTE 0x%08x: not valid (never touched, or nothing here)", pte);
        n = tip_page(v, va, lines, max, n);
        if (n < max)
            snprintf(lines[n++], 128, "click: walk this page");
        return n;
    }
    case HIT_FRAME: {
        uint32_t f = (uint32_t)h.index;
        struct kq_frame_info fi;
        kq_frame_info(v->p, f, &fi);
        if (v->L.fper > 1)
            snprintf(lines[n++], 128, "frames %u–%u (%u per cell); first:", f, f + v->L.fper - 1, v->L.fper);
        if (n < max)
            snprintf(lines[n++], 128, "frame %u  PA 0x%09" PRIx64 "–0x%09" PRIx64 "%s", f, (uint64_t)f << 12,
                     ((uint64_t)f << 12) + VPAGE - 1,
                     f == m->hand && view_has_hand(m->policy) ? "  · the clock hand" : "");
        if (n < max && fi.use == KQ_FRAME_FREE)
            snprintf(lines[n++], 128, "free");
        else if (n < max && fi.use == KQ_FRAME_PAGETABLE)
            snprintf(lines[n++], 128, "holds a page table: pinned, never evicted");
        else if (n < max) {
            snprintf(lines[n++], 128, "holds the page at VA 0x%08x", fi.vpn * VPAGE);
            n = tip_page(v, fi.vpn * VPAGE, lines, max, n);
            if (n < max) {
                int o = snprintf(lines[n], 128, "A=%d D=%d", fi.accessed, fi.dirty);
                if (!strcmp(m->policy, "aging") && fi.evictable) {
                    char bits[9];
                    for (int i = 0; i < 8; i++)
                        bits[i] = fi.age & (0x80u >> i) ? '1' : '0';
                    bits[8] = 0;
                    o += snprintf(lines[n] + o, (size_t)(128 - o), "  age %s (0x%02x)", bits, fi.age);
                }
                snprintf(lines[n] + o, (size_t)(128 - o), "  · %s", fi.evictable
                         ? "the policy may evict it" : "pinned: never evicted");
                n++;
            }
            if (n < max && fi.swap_slot)
                snprintf(lines[n++], 128, "swap cache: slot %u still holds a copy (evicted clean, "
                         "nothing is written)", fi.swap_slot);
        }
        return n;
    }
    case HIT_PC:
        snprintf(lines[n++], 128, "click: walk the page of the pc (instruction fetch)");
        return n;
    default:
        return 0;
    }
}

/* --- view_main ----------------------------------------------------------------- */

static bool alive(struct proc *p)
{
    struct kq_state st;
    kq_state(p, &st);
    return st.running;
}

static int finish(struct proc *p)
{
    while (alive(p))
        kq_run(p, 1u << 26, 0);
    struct kq_state st;
    kq_state(p, &st);
    return st.status;
}

/* Run to the point o asks for: instruction N, the first fault that
 * becomes a signal, or the end.  Returns false if none was asked for. */
static bool run_to_point(struct proc *p, const struct view_options *o)
{
    if (o->at_insn) {
        struct kq_cpu c;
        for (kq_cpu(p, &c); alive(p) && c.instret < o->at_insn; kq_cpu(p, &c))
            kq_run(p, o->at_insn - c.instret, 0);
    } else if (o->at_fault) {
        while (alive(p) && !kq_run(p, 1u << 26, KQ_STOP_FAULT))
            ;
        struct kq_state st;
        kq_state(p, &st);
        if (!st.fault_valid)
            fprintf(stderr, "vmlab view: no fault happened; the snapshot shows the end of the run\n");
    } else if (o->at_exit) {
        while (alive(p))
            kq_run(p, 1u << 26, 0);
    } else {
        return false;
    }
    return true;
}

static int snapshot(struct proc *p, const struct view_options *o)
{
    char err[256];
    struct view *v = view_open_surface(p, WIN_W, WIN_H, err, sizeof err);
    if (!v) {
        fprintf(stderr, "vmlab view: %s\n", err);
        return 1;
    }
    v->title = o->title;
    if (!run_to_point(p, o))                  /* the default: the end */
        finish(p);
    view_render(v);
    int rc = 0;
    if (IMG_SavePNG(v->surface, o->snapshot)) {
        fprintf(stderr, "vmlab view: %s: cannot write the PNG: %s\n", o->snapshot, IMG_GetError());
        rc = 1;
    }
    view_close(v);
    int status = finish(p);
    return rc ? rc : status;
}

static int window(struct proc *p, const struct view_options *o)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if ((!drv || !*drv) && !getenv("DISPLAY") && !getenv("WAYLAND_DISPLAY")) {
        fprintf(stderr, "vmlab view: no display (DISPLAY is not set); render off-screen instead: "
                        "vmlab view --snapshot FILE.png [--at-insn N | --at-fault | --at-exit] ...\n");
        return 1;
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS)) {
        fprintf(stderr, "vmlab view: no display (%s); render off-screen instead: "
                        "vmlab view --snapshot FILE.png ...\n", SDL_GetError());
        return 1;
    }
    /* --at-*: run there first, then open the window paused; otherwise
     * open it and start running */
    bool at = run_to_point(p, o);
    char err[256];
    struct view *v = view_open_window(p, o->title, err, sizeof err);
    if (!v) {
        fprintf(stderr, "vmlab view: %s; render off-screen instead: vmlab view --snapshot FILE.png ...\n",
                err);
        SDL_Quit();
        return 1;
    }
    v->driver = o->drive ? o->driver : NULL;
    if (!at && !v->driver)
        start(v, 0);
    bool go = true;
    while (go) {
        uint64_t t0 = SDL_GetPerformanceCounter();
        go = view_pump(v);
        if (!go)
            break;
        if (v->driver && !o->drive(o->drive_ctx, (int)SLICE_MS)) {
            v->driver = NULL;                 /* the session ended: run the rest here */
            snprintf(v->note, sizeof v->note, "%s is gone: the program runs on", o->driver);
            start(v, 0);
        } else if (!v->driver) {
            view_tick(v, SLICE_MS);
        }
        view_render(v);
        SDL_UpdateWindowSurface(v->win);
        double left = FRAME_MS - ms_since(t0);
        /* paused: sleep until something happens (but redraw now and
         * then for the pointer); running: keep ~60 frames per second;
         * driven: the driver waited for its own input already */
        int wait = v->driver ? 1 : v->running ? (left > 1 ? (int)left : 0) : 250;
        SDL_Event e;
        if (wait > 0 && SDL_WaitEventTimeout(&e, wait))
            go = view_handle_event(v, &e);
    }
    struct kq_state st;
    kq_state(p, &st);
    int status = st.status;
    if (st.running) {                 /* closed early: as if interrupted (SIGINT) */
        struct kq_cpu c;
        kq_cpu(p, &c);
        fprintf(stderr, "vmlab view: window closed; %s stopped after %" PRIu64 " instructions\n",
                o->title ? o->title : "the program", c.instret);
        status = 128 + 2;
    }
    view_close(v);
    SDL_Quit();
    return status;
}

int view_main(struct proc *p, const struct view_options *o)
{
    kq_events_enable(p);                      /* the log shows the whole run */
    if (o->snapshot)
        return snapshot(p, o);
    return window(p, o);
}
