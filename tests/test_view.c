/* tests/test_view.c — the SDL view, off-screen: no window and no display.
 * A real guest is run to a known state through kernel/query.h, the view
 * draws it into a surface, and the tests read pixels of known cells (text
 * pages r-x, a touched heap page with its A and D marks, the fault
 * highlighted), feed synthetic SDL mouse and key events (a click on a
 * segment's R/W/X badge changes its permissions, and the guest's next
 * access faults or stops faulting), and write a PNG snapshot. */
#include <CUnit/CUnit.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "kernel/proc.h"
#include "kernel/query.h"
#include "kernel/syscall.h"
#include "tests/run.h"
#include "tests/suites.h"
#include "view/palette.h"
#include "view/view_internal.h"

#define W 1280
#define H 800

/* --- fixtures ----------------------------------------------------------- */

static struct proc *new_proc(const char *guest, uint64_t mem)
{
    char *argv[] = { (char *)test_path(guest), NULL };
    char *envp[] = { "HOME=/nowhere", NULL };
    struct proc_options o = { .mem_size = mem ? mem : 16u << 20, .stack_limit = 8u << 20,
                              .max_insns = 50000000 };       /* core_limit 0: no core files */
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    if (!p)
        fprintf(stderr, "proc_create(%s): %s\n", argv[0], err);
    return p;
}

/* Send fd (1: the guest's stdout, 2: error lines) to /dev/null, or to
 * file fd `to` when to >= 0, until unquiet. */
static int quiet(int fd, int to)
{
    fflush(fd == 1 ? stdout : stderr);
    int saved = dup(fd), null = to >= 0 ? to : open("/dev/null", O_WRONLY);
    dup2(null, fd);
    if (to < 0)
        close(null);
    return saved;
}

static void unquiet(int fd, int saved)
{
    fflush(fd == 1 ? stdout : stderr);
    dup2(saved, fd);
    close(saved);
}

static unsigned run_quiet(struct proc *p, uint64_t n, unsigned mask)
{
    int saved = quiet(1, -1);
    unsigned hit = kq_run(p, n, mask);
    unquiet(1, saved);
    return hit;
}

static bool running(struct proc *p)
{
    struct kq_state st;
    kq_state(p, &st);
    return st.running;
}

static void run_to_end(struct proc *p)
{
    while (running(p))
        run_quiet(p, 1u << 24, 0);
}

static struct view *open_view(struct proc *p)
{
    char err[256];
    struct view *v = view_open_surface(p, W, H, err, sizeof err);
    if (!v)
        fprintf(stderr, "view_open_surface: %s\n", err);
    return v;
}

static SDL_Color pixel(SDL_Surface *s, int x, int y)
{
    SDL_Color c = { 0, 0, 0, 255 };
    if (x < 0 || y < 0 || x >= s->w || y >= s->h)
        return c;
    SDL_LockSurface(s);
    Uint32 px = *(Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch + (size_t)x * 4);
    SDL_UnlockSurface(s);
    SDL_GetRGB(px, s->format, &c.r, &c.g, &c.b);
    return c;
}

static bool same(SDL_Color a, SDL_Color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

static bool check_pixel(SDL_Surface *s, int x, int y, enum pal want, const char *what, int line)
{
    SDL_Color got = pixel(s, x, y), w = pal(want);
    if (same(got, w))
        return true;
    fprintf(stderr, "\ntest_view.c:%d: pixel (%d, %d) is #%02x%02x%02x, want %s #%02x%02x%02x\n", line, x, y,
            got.r, got.g, got.b, what, w.r, w.g, w.b);
    return false;
}

#define ASSERT_PIXEL(s, x, y, want) CU_ASSERT(check_pixel(s, x, y, want, #want, __LINE__))

static int seg_index(struct view *v, const char *name)
{
    for (int i = 0; i < v->m.nseg; i++)
        if (!strcmp(v->m.seg[i].s.name, name))
            return i;
    return -1;
}

static SDL_Point center(SDL_Rect r)
{
    return (SDL_Point){ r.x + r.w / 2, r.y + r.h / 2 };
}

static void push_click(int x, int y)
{
    SDL_Event e = { .type = SDL_MOUSEBUTTONDOWN };
    e.button.button = SDL_BUTTON_LEFT;
    e.button.state = SDL_PRESSED;
    e.button.clicks = 1;
    e.button.x = x;
    e.button.y = y;
    SDL_PushEvent(&e);
    SDL_Event u = e;
    u.type = SDL_MOUSEBUTTONUP;
    u.button.state = SDL_RELEASED;
    SDL_PushEvent(&u);
}

static void push_motion(int x, int y)
{
    SDL_Event e = { .type = SDL_MOUSEMOTION };
    e.motion.x = x;
    e.motion.y = y;
    SDL_PushEvent(&e);
}

static void push_key(SDL_Keycode k)
{
    SDL_Event e = { .type = SDL_KEYDOWN };
    e.key.state = SDL_PRESSED;
    e.key.keysym.sym = k;
    SDL_PushEvent(&e);
}

/* Click the R (0), W (1) or X (2) badge of segment `name`. */
static bool click_badge(struct view *v, const char *name, int bit)
{
    view_render(v);
    int s = seg_index(v, name);
    const struct strip_row *r = s >= 0 ? layout_seg_row(&v->L, s) : NULL;
    if (!r || !r->badge[bit].w)
        return false;
    SDL_Point c = center(r->badge[bit]);
    push_click(c.x, c.y);
    view_pump(v);
    return true;
}

static unsigned perms_of(struct proc *p, const char *name)
{
    struct kq_segment segs[64];
    int n = kq_segments(p, segs, 64);
    for (int i = 0; i < n && i < 64; i++)
        if (!strcmp(segs[i].name, name))
            return segs[i].perms;
    return 99;
}

/* layout at its first system call: text, rodata, data, bss, stack in use. */
static struct proc *layout_at_first_syscall(void)
{
    struct proc *p = new_proc("guests/layout", 0);
    if (p)
        run_quiet(p, 1000000, KQ_STOP_SYSCALL);
    return p;
}

/* --- pictures of known states ------------------------------------------- */

static void test_text_pages_rx(void)
{
    struct proc *p = layout_at_first_syscall();
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    view_render(v);
    SDL_Surface *s = v->surface;
    /* the walk follows the pc, in text, so the leaf table of root[0] is shown */
    struct kq_cpu cpu;
    kq_cpu(p, &cpu);
    CU_ASSERT_EQUAL(v->sel_root, (int)(cpu.pc >> 22));
    uint32_t pte = 0;
    CU_ASSERT_FATAL(kq_leaf_pte(p, cpu.pc >> 22, (cpu.pc >> 12) & 0x3ff, &pte));
    CU_ASSERT((pte & 0xf) == 0xb);                       /* V R X, no W */
    SDL_Point c = center(layout_pt_cell(&v->L, true, (cpu.pc >> 12) & 0x3ff));
    ASSERT_PIXEL(s, c.x, c.y, PAL_PERM_RX);
    /* root[0] points to a table */
    c = center(layout_pt_cell(&v->L, false, 0));
    ASSERT_PIXEL(s, c.x, c.y, PAL_TABLE);
    /* the strip: text r-x, rodata r--, data rw-, stack rw- */
    static const struct { const char *name; enum pal c; } want[] = {
        { "text", PAL_PERM_RX }, { "rodata", PAL_PERM_R }, { "data", PAL_PERM_RW },
        { "stack", PAL_PERM_RW }, { "[sigpage]", PAL_PERM_RX },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int si = seg_index(v, want[i].name);
        const struct strip_row *r = si >= 0 ? layout_seg_row(&v->L, si) : NULL;
        CU_ASSERT_FATAL(r != NULL);
        ASSERT_PIXEL(s, r->bar.x + r->bar.w - 30, r->bar.y + 2, want[i].c);
    }
    /* the frame holding the text page is drawn in the text colour */
    c = center(layout_frame_cell(&v->L, pte >> 10));
    ASSERT_PIXEL(s, c.x, c.y, PAL_SEG_TEXT);
    /* and the root table's frame as a page table */
    c = center(layout_frame_cell(&v->L, kq_satp(p) & 0x3fffff));
    ASSERT_PIXEL(s, c.x, c.y, PAL_TABLE);
    view_close(v);
    proc_destroy(p);
}

static void test_heap_accessed_dirty(void)
{
    struct proc *p = new_proc("guests/layout", 0);
    CU_ASSERT_FATAL(p != NULL);
    run_to_end(p);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    view_render(v);
    int h = seg_index(v, "heap");
    CU_ASSERT_FATAL(h >= 0);
    uint32_t start = v->m.seg[h].s.start, end = v->m.seg[h].s.end;
    CU_ASSERT_FATAL(start >> 22 == (uint32_t)v->sel_root);     /* pc and heap share root[0] */
    int dirty = -1, untouched = -1;
    for (uint32_t va = start; va < end; va += 4096) {
        uint32_t pte;
        CU_ASSERT_FATAL(kq_leaf_pte(p, va >> 22, (va >> 12) & 0x3ff, &pte));
        if (dirty < 0 && (pte & 0xc1) == 0xc1)           /* V, A, D */
            dirty = (int)((va >> 12) & 0x3ff);
        if (untouched < 0 && !(pte & 1))
            untouched = (int)((va >> 12) & 0x3ff);
    }
    CU_ASSERT_FATAL(dirty >= 0 && untouched >= 0);
    SDL_Surface *s = v->surface;
    SDL_Rect c = layout_pt_cell(&v->L, true, (unsigned)dirty);
    ASSERT_PIXEL(s, c.x + c.w / 2, c.y + c.h / 2, PAL_PERM_RW);
    ASSERT_PIXEL(s, c.x + 1, c.y + 1, PAL_MARK_A);                 /* A: top left */
    ASSERT_PIXEL(s, c.x + c.w - 2, c.y + c.h - 2, PAL_MARK_D);     /* D: bottom right */
    c = layout_pt_cell(&v->L, true, (unsigned)untouched);
    ASSERT_PIXEL(s, c.x + c.w / 2, c.y + c.h / 2, PAL_EMPTY);
    ASSERT_PIXEL(s, c.x + 1, c.y + 1, PAL_EMPTY);
    /* a text page is accessed but never dirty */
    SDL_Rect t = layout_pt_cell(&v->L, true, 0x10);
    ASSERT_PIXEL(s, t.x + 1, t.y + 1, PAL_MARK_A);
    ASSERT_PIXEL(s, t.x + t.w - 2, t.y + t.h - 2, PAL_PERM_RX);
    /* the process exited: the title bar says so in green */
    ASSERT_PIXEL(s, 2, 2, PAL_BANNER_OK);
    view_close(v);
    proc_destroy(p);
}

/* write_text stores into its own code: text is r-x, so SIGSEGV. */
static void test_fault_highlighted(void)
{
    struct proc *p = new_proc("guests/write_text", 0);
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    unsigned hit = 0;
    while (running(p) && !hit)
        hit = run_quiet(p, 1u << 24, KQ_STOP_FAULT);
    CU_ASSERT(hit & KQ_STOP_FAULT);
    struct kq_state st;
    kq_state(p, &st);
    CU_ASSERT_FATAL(st.fault_valid);
    CU_ASSERT_FALSE(st.running);
    CU_ASSERT_EQUAL(st.status, 128 + 11);
    CU_ASSERT_EQUAL(st.fault_access, 2);
    view_render(v);
    SDL_Surface *s = v->surface;
    int t = seg_index(v, "text");
    CU_ASSERT_FATAL(t >= 0);
    CU_ASSERT(st.fault_addr >= v->m.seg[t].s.start && st.fault_addr < v->m.seg[t].s.end);
    CU_ASSERT_EQUAL(v->walk_mode, WALK_FAULT);
    CU_ASSERT_EQUAL(v->sel_root, (int)(st.fault_addr >> 22));
    CU_ASSERT_EQUAL(v->m.walk.va, st.fault_addr);
    CU_ASSERT_EQUAL(v->m.walk.cause, 15);                      /* store page fault */
    CU_ASSERT_EQUAL(v->m.walk.allowed, 3u);                    /* fetch, load */
    /* the faulting PTE's cell is r-x, ringed in red, and so is its root entry */
    SDL_Rect c = layout_pt_cell(&v->L, true, (st.fault_addr >> 12) & 0x3ff);
    ASSERT_PIXEL(s, c.x + c.w / 2, c.y + c.h / 2, PAL_PERM_RX);
    ASSERT_PIXEL(s, c.x - 2, c.y - 2, PAL_FAULT);
    ASSERT_PIXEL(s, c.x + c.w + 1, c.y + c.h / 2, PAL_FAULT);
    c = layout_pt_cell(&v->L, false, st.fault_addr >> 22);
    ASSERT_PIXEL(s, c.x - 2, c.y - 2, PAL_FAULT);
    ASSERT_PIXEL(s, c.x + c.w / 2, c.y + c.h / 2, PAL_TABLE);
    /* the strip marks the fault inside text */
    const struct strip_row *r = layout_seg_row(&v->L, t);
    CU_ASSERT_FATAL(r != NULL);
    bool marked = false;
    for (int y = r->bar.y; y < r->bar.y + r->bar.h; y++)
        marked |= same(pixel(s, r->bar.x + r->bar.w - 2, y), pal(PAL_FAULT));
    CU_ASSERT(marked);
    /* the death banner */
    ASSERT_PIXEL(s, 2, 2, PAL_BANNER_BAD);
    view_close(v);
    proc_destroy(p);
}

/* A click makes text writable: write_text's store succeeds, exit 0. */
static void test_click_text_writable(void)
{
    struct proc *p = new_proc("guests/write_text", 0);
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT_FATAL(click_badge(v, "text", 1));
    CU_ASSERT_EQUAL(perms_of(p, "text"), 7);
    view_render(v);
    const struct strip_row *r = layout_seg_row(&v->L, seg_index(v, "text"));
    CU_ASSERT_FATAL(r != NULL);
    ASSERT_PIXEL(v->surface, r->bar.x + r->bar.w - 30, r->bar.y + 2, PAL_PERM_RWX);
    run_to_end(p);
    struct kq_state st;
    kq_state(p, &st);
    CU_ASSERT_FALSE(st.fault_valid);
    CU_ASSERT_EQUAL(st.status, 0);
    view_close(v);
    proc_destroy(p);
}

/* --- clicks ---------------------------------------------------------------- */

static void test_click_w_off_then_store_faults(void)
{
    struct proc *p = layout_at_first_syscall();
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT_EQUAL(perms_of(p, "stack"), 3);
    CU_ASSERT_FATAL(click_badge(v, "stack", 1));
    CU_ASSERT_EQUAL(perms_of(p, "stack"), 1);
    /* logged like mprotect would be */
    struct kq_event ev[8];
    int n = kq_events(p, ev, 8);
    CU_ASSERT_FATAL(n > 0);
    CU_ASSERT_EQUAL(ev[n - 1].kind, KQ_EV_PERM);
    CU_ASSERT_PTR_NOT_NULL(strstr(ev[n - 1].text, "stack"));
    /* the badge is drawn off now: its centre is no longer the dark "on" fill */
    view_render(v);
    const struct strip_row *r = layout_seg_row(&v->L, seg_index(v, "stack"));
    CU_ASSERT_FATAL(r != NULL);
    ASSERT_PIXEL(v->surface, r->badge[1].x + 1, r->badge[1].y + 1, PAL_PERM_R);
    ASSERT_PIXEL(v->surface, r->badge[0].x + 1, r->badge[0].y + 1, PAL_BG);
    /* the guest's next store to its stack faults */
    CU_ASSERT(run_quiet(p, 1000000, KQ_STOP_FAULT) & KQ_STOP_FAULT);
    struct kq_state st;
    kq_state(p, &st);
    CU_ASSERT(st.fault_valid);
    CU_ASSERT_EQUAL(st.fault_access, 2);
    CU_ASSERT(st.fault_addr >= 0x40000000u && st.fault_addr < 0x40801000u);
    CU_ASSERT_EQUAL(st.status, 128 + 11);
    view_close(v);
    proc_destroy(p);
}

static void test_click_w_on_then_no_fault(void)
{
    struct proc *p = new_proc("guests/layout", 0);
    CU_ASSERT_FATAL(p != NULL);
    char err[256];
    CU_ASSERT_EQUAL_FATAL(proc_perm_rule(p, "stack=r", err, sizeof err), 0);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    /* as started, the first store to the stack would fault ... */
    CU_ASSERT_EQUAL(perms_of(p, "stack"), 1);
    CU_ASSERT_FATAL(click_badge(v, "stack", 1));
    CU_ASSERT_EQUAL(perms_of(p, "stack"), 3);
    /* ... after the click the program runs to its normal end */
    run_to_end(p);
    struct kq_state st;
    kq_state(p, &st);
    CU_ASSERT_FALSE(st.fault_valid);
    CU_ASSERT_EQUAL(st.status, 0);
    struct kq_counters c;
    kq_counters(p, &c);
    CU_ASSERT_EQUAL(c.faults_segv, 0);
    view_close(v);
    proc_destroy(p);
}

static void test_click_x_off_then_fetch_faults(void)
{
    struct proc *p = layout_at_first_syscall();
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    CU_ASSERT_FATAL(click_badge(v, "text", 2));
    CU_ASSERT_EQUAL(perms_of(p, "text"), 1);
    /* decoded instructions were dropped: the very next fetch faults */
    struct kq_cpu before;
    kq_cpu(p, &before);
    CU_ASSERT(run_quiet(p, 1000, KQ_STOP_FAULT) & KQ_STOP_FAULT);
    struct kq_state st;
    kq_state(p, &st);
    CU_ASSERT(st.fault_valid);
    CU_ASSERT_EQUAL(st.fault_access, 0);
    CU_ASSERT_EQUAL(st.fault_addr, before.pc);
    /* the picture: the walk shows the fetch fault, the pc's PTE is r-- */
    view_render(v);
    CU_ASSERT_EQUAL(v->walk_mode, WALK_FAULT);
    CU_ASSERT_EQUAL(v->m.walk.access, 0);
    CU_ASSERT_FALSE(v->m.walk.allowed & 1);
    SDL_Rect c = layout_pt_cell(&v->L, true, (before.pc >> 12) & 0x3ff);
    ASSERT_PIXEL(v->surface, c.x + c.w / 2, c.y + c.h / 2, PAL_PERM_R);
    view_close(v);
    proc_destroy(p);
}

static void test_click_tables_and_pages(void)
{
    struct proc *p = layout_at_first_syscall();
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    view_render(v);
    struct kq_cpu cpu;
    kq_cpu(p, &cpu);
    unsigned sp_root = cpu.x[2] >> 22, sp_leaf = (cpu.x[2] >> 12) & 0x3ff;
    CU_ASSERT_NOT_EQUAL(sp_root, (unsigned)v->sel_root);
    /* a root entry selects its table */
    SDL_Point c = center(layout_pt_cell(&v->L, false, sp_root));
    push_click(c.x, c.y);
    view_pump(v);
    CU_ASSERT_EQUAL(v->sel_root, (int)sp_root);
    view_render(v);
    CU_ASSERT_EQUAL(v->sel_root, (int)sp_root);                 /* pinned: stays */
    CU_ASSERT(v->m.leaf_ok);
    c = center(layout_pt_cell(&v->L, true, sp_leaf));
    ASSERT_PIXEL(v->surface, c.x, c.y, PAL_PERM_RW);
    /* a leaf cell walks its page */
    push_click(c.x, c.y);
    view_pump(v);
    view_render(v);
    CU_ASSERT_EQUAL(v->walk_mode, WALK_PAGE);
    CU_ASSERT_EQUAL(v->m.walk.va, cpu.x[2] & ~0xfffu);
    CU_ASSERT_EQUAL(v->m.walk.cause, 0);
    CU_ASSERT_EQUAL(v->m.walk.levels, 2);
    CU_ASSERT_EQUAL(v->m.walk.allowed, 6u);                      /* load, store; no fetch */
    /* clicking a segment jumps to its pages */
    int t = seg_index(v, "rodata");
    const struct strip_row *r = layout_seg_row(&v->L, t);
    CU_ASSERT_FATAL(r != NULL);
    push_click(r->bar.x + r->bar.w - 4, r->bar.y + r->bar.h - 3);
    view_pump(v);
    view_render(v);
    CU_ASSERT_EQUAL(v->sel_seg, t);
    CU_ASSERT_EQUAL(v->sel_root, (int)(v->m.seg[t].s.start >> 22));
    CU_ASSERT_EQUAL(v->m.walk.va, v->m.seg[t].s.start);
    /* the pc line follows the CPU again */
    c = center(v->L.pc_line);
    push_click(c.x, c.y);
    view_pump(v);
    view_render(v);
    CU_ASSERT_EQUAL(v->walk_mode, WALK_PC);
    CU_ASSERT_EQUAL(v->m.walk.va, cpu.pc);
    view_close(v);
    proc_destroy(p);
}

static bool tip_has(struct view *v, const char *needle)
{
    char lines[VIEW_TIP_LINES][128];
    int n = view_tooltip(v, lines, VIEW_TIP_LINES);
    for (int i = 0; i < n; i++)
        if (strstr(lines[i], needle))
            return true;
    return false;
}

static void test_hover_tooltips(void)
{
    struct proc *p = layout_at_first_syscall();
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    view_render(v);
    struct kq_cpu cpu;
    kq_cpu(p, &cpu);
    SDL_Point c = center(layout_pt_cell(&v->L, true, (cpu.pc >> 12) & 0x3ff));
    push_motion(c.x, c.y);
    view_pump(v);
    CU_ASSERT_EQUAL(v->hover.kind, HIT_LEAF);
    CU_ASSERT(tip_has(v, "segment text (r-x)"));
    CU_ASSERT(tip_has(v, "-A-UX-RV"));                        /* PTE bits D A G U X W R V */
    CU_ASSERT(tip_has(v, "frame"));
    view_render(v);                                            /* with the tooltip drawn */
    int s = seg_index(v, "data");
    const struct strip_row *r = layout_seg_row(&v->L, s);
    SDL_Point b = center(r->badge[1]);
    push_motion(b.x, b.y);
    view_pump(v);
    CU_ASSERT_EQUAL(v->hover.kind, HIT_BADGE);
    CU_ASSERT(tip_has(v, "make data not writable"));
    uint32_t pte;
    CU_ASSERT_FATAL(kq_leaf_pte(p, cpu.pc >> 22, (cpu.pc >> 12) & 0x3ff, &pte));
    c = center(layout_frame_cell(&v->L, pte >> 10));
    push_motion(c.x, c.y);
    view_pump(v);
    CU_ASSERT_EQUAL(v->hover.kind, HIT_FRAME);
    CU_ASSERT(tip_has(v, "segment text"));
    view_render(v);                                            /* with the zoom drawn */
    view_close(v);
    proc_destroy(p);
}

/* --- keys ------------------------------------------------------------------- */

static void test_keys(void)
{
    struct proc *p = layout_at_first_syscall();
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    struct kq_counters a, b;
    kq_counters(p, &a);
    push_key(SDLK_s);
    CU_ASSERT(view_pump(v));
    kq_counters(p, &b);
    CU_ASSERT_EQUAL(b.instret, a.instret + 1);
    CU_ASSERT_FALSE(v->running);
    int speed = v->speed;
    push_key(SDLK_PLUS);
    view_pump(v);
    CU_ASSERT_EQUAL(v->speed, speed + 1);
    push_key(SDLK_MINUS);
    push_key(SDLK_MINUS);
    view_pump(v);
    CU_ASSERT_EQUAL(v->speed, speed - 1);
    push_key(SDLK_SPACE);
    view_pump(v);
    CU_ASSERT(v->running);
    push_key(SDLK_SPACE);
    view_pump(v);
    CU_ASSERT_FALSE(v->running);
    /* c: to the next system call, then pause */
    push_key(SDLK_c);
    view_pump(v);
    CU_ASSERT(v->running);
    int saved = quiet(1, -1);
    for (int i = 0; i < 100 && v->running; i++)
        view_tick(v, 50);
    unquiet(1, saved);
    CU_ASSERT_FALSE(v->running);
    kq_counters(p, &a);
    CU_ASSERT_EQUAL(a.syscalls, b.syscalls + 1);
    /* f: to the next fault; with the stack made read-only it comes at once */
    CU_ASSERT_EQUAL(kq_set_perms(p, 0x40800000u, 1), 0);
    push_key(SDLK_f);
    view_pump(v);
    saved = quiet(1, -1);
    for (int i = 0; i < 100 && v->running; i++)
        view_tick(v, 50);
    unquiet(1, saved);
    CU_ASSERT_FALSE(v->running);
    struct kq_state st;
    kq_state(p, &st);
    CU_ASSERT(st.fault_valid);
    CU_ASSERT_FALSE(st.running);
    /* the program has ended: space does nothing but say so */
    push_key(SDLK_SPACE);
    view_pump(v);
    CU_ASSERT_FALSE(v->running);
    CU_ASSERT_PTR_NOT_NULL(strstr(v->note, "ended"));
    push_key(SDLK_q);
    CU_ASSERT_FALSE(view_pump(v));
    push_key(SDLK_ESCAPE);
    CU_ASSERT_FALSE(view_pump(v));
    view_close(v);
    proc_destroy(p);
}

/* --- layout limits ------------------------------------------------------------ */

static void test_many_segments(void)
{
    struct proc *p = new_proc("guests/hello", 0);
    CU_ASSERT_FATAL(p != NULL);
    /* 300 one-page mmap areas with alternating permissions (no merging) */
    for (int i = 0; i < 300; i++) {
        uint32_t *x = p->cpu.x;
        x[17] = 222;                                           /* mmap2 */
        x[10] = 0, x[11] = 4096, x[12] = i % 2 ? 3 : 1, x[13] = 0x22, x[14] = (uint32_t)-1, x[15] = 0;
        syscall_dispatch(p);
        CU_ASSERT((int32_t)x[10] > 0);
    }
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    view_render(v);
    CU_ASSERT(v->m.nseg > 300);
    int shown = 0;
    for (int i = 0; i < v->L.nrows; i++) {
        const struct strip_row *r = &v->L.rows[i];
        CU_ASSERT(r->r.y >= v->L.strip.y && r->r.y + r->r.h <= v->L.strip.y + v->L.strip.h);
        shown += r->seg >= 0;
    }
    CU_ASSERT_EQUAL(shown + v->L.hidden, v->m.nseg);
    view_close(v);
    proc_destroy(p);
}

static void test_big_memory_frames(void)
{
    struct proc *p = new_proc("guests/hello", 1ull << 30);    /* 262,144 frames */
    CU_ASSERT_FATAL(p != NULL);
    run_to_end(p);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    view_render(v);
    CU_ASSERT(v->L.fper > 1);
    CU_ASSERT(v->L.fgrid.y + v->L.fgrid.h <= H);
    /* frame f's cell is where the pointer finds frame f (rounded to a cell) */
    uint32_t f = 200000;
    SDL_Point c = center(layout_frame_cell(&v->L, f));
    struct hit h = layout_hit(&v->L, &v->m, c.x, c.y);
    CU_ASSERT_EQUAL(h.kind, HIT_FRAME);
    CU_ASSERT_EQUAL((uint32_t)h.index, f / v->L.fper * v->L.fper);
    /* a cell holding a page-table frame and free ones shows the table */
    c = center(layout_frame_cell(&v->L, kq_satp(p) & 0x3fffff));
    ASSERT_PIXEL(v->surface, c.x, c.y, PAL_TABLE);
    view_close(v);
    proc_destroy(p);
}

/* --- view_main ------------------------------------------------------------------ */

static void test_snapshot_png(void)
{
    struct proc *p = new_proc("guests/layout", 0);
    CU_ASSERT_FATAL(p != NULL);
    char path[] = "/tmp/vmlab-view-XXXXXX.png";
    int fd = mkstemps(path, 4);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    struct view_options o = { .snapshot = path, .at_insn = 5000, .title = "layout" };
    int saved = quiet(1, -1);
    int status = view_main(p, &o);
    unquiet(1, saved);
    CU_ASSERT_EQUAL(status, 0);                                /* ran on to its end */
    SDL_Surface *img = IMG_Load(path);
    CU_ASSERT_FATAL(img != NULL);
    CU_ASSERT_EQUAL(img->w, W);
    CU_ASSERT_EQUAL(img->h, H);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    CU_ASSERT_FATAL(argb != NULL);
    ASSERT_PIXEL(argb, 2, 2, PAL_PANEL);                       /* still running at 5000 */
    SDL_FreeSurface(argb);
    SDL_FreeSurface(img);
    unlink(path);
    proc_destroy(p);

    /* unwritable file: one line, status 1 */
    p = new_proc("guests/hello", 0);
    CU_ASSERT_FATAL(p != NULL);
    o = (struct view_options){ .snapshot = "/nonexistent-dir/x.png", .at_exit = true };
    saved = quiet(1, -1);
    int saved2 = quiet(2, -1);
    status = view_main(p, &o);
    unquiet(2, saved2);
    unquiet(1, saved);
    CU_ASSERT_EQUAL(status, 1);
    proc_destroy(p);
}

static void test_no_display(void)
{
    struct proc *p = new_proc("guests/hello", 0);
    CU_ASSERT_FATAL(p != NULL);
    const char *names[] = { "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER" };
    char *old[3];
    for (int i = 0; i < 3; i++) {
        const char *o = getenv(names[i]);
        old[i] = o ? strdup(o) : NULL;
        unsetenv(names[i]);
    }
    char path[] = "/tmp/vmlab-view-err-XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    int saved = quiet(2, fd);
    struct view_options o = { 0 };
    int status = view_main(p, &o);
    unquiet(2, saved);
    CU_ASSERT_EQUAL(status, 1);
    char buf[512] = { 0 };
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    close(fd);
    unlink(path);
    CU_ASSERT(n > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "no display"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "--snapshot"));
    char *nl = strchr(buf, '\n');
    CU_ASSERT(nl && nl == buf + n - 1);                        /* exactly one line */
    for (int i = 0; i < 3; i++) {
        if (old[i])
            setenv(names[i], old[i], 1);
        free(old[i]);
    }
    proc_destroy(p);
}

/* The command line (cli/view_window.c): the snapshot of write_text's fatal fault,
 * with the shell's message and status; and no display without --snapshot. */
static void test_cli(void)
{
    char png[] = "/tmp/vmlab-view-cli-XXXXXX.png";
    int fd = mkstemps(png, 4);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    char *argv[] = { (char *)test_path("vmlab"), "view", "--no-core", "--snapshot", png, "--at-fault",
                     (char *)test_path("guests/write_text"), NULL };
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, 120, &r), 0);
    CU_ASSERT_EQUAL(r.status, 128 + 11);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "Segmentation fault"));
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "write_text"));
    struct stat st;
    CU_ASSERT(stat(png, &st) == 0 && st.st_size > 10000);
    run_free(&r);
    unlink(png);

    char *argv2[] = { (char *)test_path("vmlab"), "view", (char *)test_path("guests/hello"), NULL };
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv2, NULL, NULL, 60, &r), 0);   /* no DISPLAY in its env */
    CU_ASSERT_EQUAL(r.status, 1);
    CU_ASSERT_EQUAL(r.outlen, 0);                              /* the program did not run */
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "--snapshot"));
    CU_ASSERT(r.errlen > 0 && strchr(r.err, '\n') == r.err + r.errlen - 1);
    run_free(&r);
}

/* --- the suite ---------------------------------------------------------------------- */

static int suite_init(void)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    return SDL_Init(SDL_INIT_EVENTS) ? -1 : 0;
}

static int suite_clean(void)
{
    SDL_Quit();
    return 0;
}

void view_suite_add(void)
{
    CU_pSuite s = CU_add_suite("view", suite_init, suite_clean);
    CU_add_test(s, "text pages drawn r-x, frames by segment", test_text_pages_rx);
    CU_add_test(s, "touched heap page: A and D marks", test_heap_accessed_dirty);
    CU_add_test(s, "write_text: the fatal fault is highlighted", test_fault_highlighted);
    CU_add_test(s, "click W off: the next store faults", test_click_w_off_then_store_faults);
    CU_add_test(s, "click W on: the store stops faulting", test_click_w_on_then_no_fault);
    CU_add_test(s, "click W on text: write_text patches its code", test_click_text_writable);
    CU_add_test(s, "click X off text: the next fetch faults", test_click_x_off_then_fetch_faults);
    CU_add_test(s, "clicks: root entry, page, segment, pc", test_click_tables_and_pages);
    CU_add_test(s, "hover tooltips: PTE bits, badge, frame", test_hover_tooltips);
    CU_add_test(s, "keys: s, +, -, space, c, f, q, Esc", test_keys);
    CU_add_test(s, "300 segments fit the strip", test_many_segments);
    CU_add_test(s, "1 GiB: several frames per cell", test_big_memory_frames);
    CU_add_test(s, "snapshot PNG, and an unwritable one", test_snapshot_png);
    CU_add_test(s, "no display: one line, status 1", test_no_display);
    CU_add_test(s, "vmlab view: snapshot and no display", test_cli);
}
