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

/* guest under a policy with 64 MiB of swap (mem 0: 16 MiB) */
static struct proc *new_proc_paging(const char *guest, uint64_t mem, const char *policy,
                                    uint64_t aging_interval)
{
    char *argv[] = { (char *)test_path(guest), NULL };
    char *envp[] = { "HOME=/nowhere", NULL };
    struct proc_options o = { .mem_size = mem ? mem : 16u << 20, .stack_limit = 8u << 20,
                              .max_insns = 50000000, .swap_size = 64u << 20,
                              .policy = policy_from_name(policy),
                              .aging_interval = aging_interval };  /* core_limit 0: no core files */
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    if (!p)
        fprintf(stderr, "proc_create(%s): %s\n", argv[0], err);
    return p;
}

static struct proc *new_proc(const char *guest, uint64_t mem)
{
    return new_proc_paging(guest, mem, "clock", 0);
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

/* The same, and the guest's stderr too (thrash reports there). */
static void run_silent(struct proc *p, uint64_t n)
{
    int saved = quiet(2, -1);
    run_quiet(p, n, 0);
    unquiet(2, saved);
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

/* thrash under policy in mem bytes, after 100,000 instructions, and a view
 * of it; *pp gets the process (NULL if anything failed). */
static struct view *thrash_view(uint64_t mem, const char *policy, uint64_t aging_interval,
                                struct proc **pp)
{
    struct proc *p = *pp = new_proc_paging("guests/thrash", mem, policy, aging_interval);
    if (!p)
        return NULL;
    run_silent(p, 100000);
    /* on to a moment when some page is accessed and some dirty, as the
     * pictures want: at one exact count that depends on the code */
    for (int k = 0; k < 200; k++) {
        bool a = false, d = false;
        struct kq_frame_info fi;
        for (uint32_t f = 0; kq_frame_info(p, f, &fi); f++)
            if (fi.use == KQ_FRAME_PAGE) {
                a |= fi.accessed;
                d |= fi.dirty;
            }
        if (a && d)
            break;
        run_silent(p, 1000);
    }
    return open_view(p);
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
    c = layout_pt_cell(&v->L, true, (unsigned)untouched);      /* in the heap, never touched */
    ASSERT_PIXEL(s, c.x + c.w / 2, c.y + c.h / 2, PAL_PAGE_NEW);
    ASSERT_PIXEL(s, c.x + 1, c.y + 1, PAL_PAGE_NEW);
    c = layout_pt_cell(&v->L, true, 0x3ff);                      /* no segment there */
    ASSERT_PIXEL(s, c.x + c.w / 2, c.y + c.h / 2, PAL_EMPTY);
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

/* A program that waits for its input, in the window: a frame's slice ends
 * in time (the window goes on drawing and taking keys) and says what it
 * waits for; the input, when it comes a second later, is read.  (The read
 * used to hold the window until then.) */
/* A --real-sleep sleep of 2 s: the window goes on meanwhile (frames of
 * 10 ms, each drawn in time), and the sleep ends when it should (it held
 * the window for its length). */
static void test_waits_in_sleep(void)
{
    char *argv[] = { (char *)test_path("tests/guests/sys_proc"), "nap", NULL };
    char *envp[] = { "HOME=/nowhere", NULL };
    struct proc_options o = { .mem_size = 16u << 20, .stack_limit = 8u << 20,
                              .max_insns = 50000000, .real_sleep = true };
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    v->speed = VIEW_NSPEEDS - 1;
    push_key(SDLK_SPACE);
    view_pump(v);
    int out = quiet(1, -1);
    struct kq_state st;
    for (int i = 0; i < 20; i++)                  /* 0.2 s of frames: it sleeps on */
        view_tick(v, 10);
    kq_state(p, &st);
    CU_ASSERT(st.running);
    for (int i = 0; i < 1000 && st.running; i++) {
        view_tick(v, 10);
        kq_state(p, &st);
    }
    unquiet(1, out);
    CU_ASSERT_FALSE(st.running);
    CU_ASSERT_EQUAL(st.status, 0);
    view_close(v);
    proc_destroy(p);
}

static void test_waits_for_input(void)
{
    int in[2];
    CU_ASSERT_FATAL(pipe(in) == 0);
    int saved_in = dup(0);
    dup2(in[0], 0);                               /* the guest's stdin, until the end */
    close(in[0]);
    struct proc *p = new_proc("tests/guests/libc_stdin", 0);
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    v->speed = VIEW_NSPEEDS - 1;                  /* full speed */
    push_key(SDLK_SPACE);
    view_pump(v);
    CU_ASSERT(v->running);
    int child = (int)fork();
    if (child == 0) {                             /* the input comes later */
        sleep(1);
        const char text[] = "late\n2 3 4\n";
        _exit(write(in[1], text, sizeof text - 1) == (ssize_t)sizeof text - 1 ? 0 : 1);
    }
    close(in[1]);
    CU_ASSERT_FATAL(child > 0);
    int out = quiet(1, -1);
    for (int i = 0; i < 5; i++)
        view_tick(v, 10);
    CU_ASSERT(v->waiting);
    struct kq_thread t[2];
    CU_ASSERT_EQUAL(kq_thread_list(p, t, 2), 1);
    CU_ASSERT(t[0].state == KQ_THREAD_WAITING && t[0].io_fd == 0 && !t[0].io_write);
    view_render(v);                               /* says so: "waits to read fd 0" */
    push_key(SDLK_SPACE);                         /* keys work meanwhile: pause ... */
    view_pump(v);
    CU_ASSERT_FALSE(v->running);
    push_key(SDLK_SPACE);                         /* ... and on */
    view_pump(v);
    struct kq_state st;
    kq_state(p, &st);
    for (int i = 0; i < 1000 && st.running; i++) {
        view_tick(v, 10);
        kq_state(p, &st);
    }
    unquiet(1, out);
    CU_ASSERT_EQUAL(run_reap((int)child, 10), 0);
    CU_ASSERT_FALSE(st.running);
    CU_ASSERT_EQUAL(st.status, 0);
    CU_ASSERT_FALSE(v->waiting);
    view_close(v);
    proc_destroy(p);
    dup2(saved_in, 0);
    close(saved_in);
}

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

/* The frames grid's geometry, on made-up models: which frames get
 * cells, at what size, and that the pointer finds the frame drawn. */
static void test_frames_layout(void)
{
    static const struct { uint32_t nframes, peak; uint32_t show; enum frames_level level; bool shared; } c[] = {
        { 16, 10, 16, FRAMES_DETAIL, false },           /* --mem 64K: all, with words */
        { 32, 32, 32, FRAMES_DETAIL, false },           /* --mem 128K */
        { 1024, 10, 1024, FRAMES_MARKS, false },        /* --mem 4M: all, with A/D dots */
        { 1u << 20, 66, 0, FRAMES_MARKS, false },       /* --mem 4G, a small program */
        { 1u << 20, 20, 0, FRAMES_DETAIL, false },
        { 1u << 20, 5000, 0, FRAMES_PLAIN, false },
        { 1u << 20, 300000, 300000, FRAMES_PLAIN, true }, /* 1.2 GiB in use */
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        struct model m = { .nframes = c[i].nframes };
        m.ctr.frames_peak = c[i].peak;
        struct layout L = { 0 };
        CU_ASSERT_EQUAL_FATAL(layout_compute(&L, &m, W, H, 14), 0);
        CHECK(L.flevel == c[i].level, "case %zu: level %d", i, L.flevel);
        CHECK(L.fshow >= c[i].peak && L.fshow <= c[i].nframes, "case %zu: shows %u", i, L.fshow);
        if (c[i].show)
            CHECK(L.fshow == c[i].show, "case %zu: shows %u", i, L.fshow);
        else                                      /* up to the end of the peak's row */
            CHECK(L.fshow < c[i].peak + (uint32_t)L.fcols, "case %zu: shows %u", i, L.fshow);
        CHECK((L.fper > 1) == c[i].shared, "case %zu: %u per cell", i, L.fper);
        CHECK(L.frames.y + L.frames.h <= H && L.frames.y > H / 2, "case %zu: pane at %d", i, L.frames.y);
        CHECK(L.fgrid.x + L.fgrid.w <= W, "case %zu", i);
        if (L.flevel == FRAMES_DETAIL)
            CHECK(L.fpw >= FRAMES_DETAIL_W && L.fph >= 40, "case %zu: %dx%d", i, L.fpw, L.fph);
        if (L.flevel == FRAMES_MARKS)
            CHECK(L.fpw >= FRAMES_MARKS_MIN, "case %zu: %d", i, L.fpw);
        /* frame f's cell is where the pointer finds frame f (rounded to a cell) */
        uint32_t f = L.fshow - 1;
        SDL_Rect r = layout_frame_cell(&L, f);
        struct hit h = layout_hit(&L, &m, r.x + r.w / 2, r.y + r.h / 2);
        CHECK(h.kind == HIT_FRAME && (uint32_t)h.index == f / L.fper * L.fper, "case %zu: %d", i, h.index);
        layout_free(&L);
    }
}

/* The kernel hands out a never-used frame only when no freed one is left,
 * so every frame at or above the peak in use is free: the view reads no
 * frame there (view/model.h). */
static void test_frames_above_peak_free(void)
{
    struct proc *p = new_proc("guests/thrash", 4ull << 20);      /* 1024 frames */
    CU_ASSERT_FATAL(p != NULL);
    run_silent(p, 120000);
    struct kq_counters c;
    kq_counters(p, &c);
    CU_ASSERT(c.frames_peak > 40 && c.frames_peak < c.frames_total);
    uint32_t busy = 0;
    for (uint32_t f = c.frames_peak; f < c.frames_total; f++)
        busy += kq_frame(p, f, NULL) != KQ_FRAME_FREE;
    CU_ASSERT_EQUAL(busy, 0);
    proc_destroy(p);
}

/* The page with va in the table of root entry va >> 22, drawn. */
static SDL_Color leaf_pixel(struct view *v, uint32_t va)
{
    SDL_Point c = center(layout_pt_cell(&v->L, true, (va >> 12) & 0x3ff));
    return pixel(v->surface, c.x, c.y);
}

/* thrash with 32 frames: its sweep over an mmap area leaves pages in RAM,
 * in swap and untouched; text and rodata pages are dropped to the file.
 * The leaf table and the strip's left edge draw each page in its state,
 * and the tooltip and the walk name a swapped page's slot. */
/* Has some page of p each of the four states? */
static bool all_page_states(struct proc *p)
{
    struct kq_segment segs[64];
    int n = kq_segments(p, segs, 64), seen[4] = { 0 };
    for (int i = 0; i < n && i < 64; i++)
        for (uint32_t va = segs[i].start; va < segs[i].end && va >= segs[i].start; va += 4096)
            seen[kq_page_state(p, va, NULL)]++;
    return seen[0] && seen[1] && seen[2] && seen[3];
}

static void test_page_states(void)
{
    struct proc *p;
    struct view *v = thrash_view(128u << 10, "clock", 0, &p);
    CU_ASSERT_FATAL(v != NULL);
    /* when each state is there depends on the program's code (its pages
     * come and go as the sweep runs): go on until it is, in small steps */
    for (int i = 0; i < 100 && !all_page_states(p) && running(p); i++)
        run_silent(p, 10000);
    view_render(v);
    int seen[4] = { 0 }, checked = 0;
    for (int si = 0; si < v->m.nseg; si++) {
        const struct model_seg *ms = &v->m.seg[si];
        const struct strip_row *r = layout_seg_row(&v->L, si);
        CU_ASSERT_FATAL(r != NULL);
        for (uint32_t va = ms->s.start; va < ms->s.end && va >= ms->s.start; va += 4096) {
            if ((int)(va >> 22) != v->sel_root) {        /* show the page's table */
                v->sel_root = (int)(va >> 22);
                v->root_pinned = true;
                view_render(v);
                r = layout_seg_row(&v->L, si);
                CU_ASSERT_FATAL(r != NULL);
            }
            uint32_t slot = 0, pte = 0;
            int st = kq_page_state(p, va, &slot);
            seen[st]++;
            kq_leaf_pte(p, va >> 22, (va >> 12) & 0x3ff, &pte);
            SDL_Color got = leaf_pixel(v, va);
            SDL_Color want = st == KQ_PAGE_SWAPPED ? pal(PAL_PAGE_SWAP)
                             : st == KQ_PAGE_FILE ? pal(PAL_PAGE_FILE)
                             : st == KQ_PAGE_UNTOUCHED ? pal(PAL_PAGE_NEW)
                             : pal(pal_perm((pte & 2 ? 1u : 0) | (pte & 4 ? 2u : 0) | (pte & 8 ? 4u : 0)));
            if (st == KQ_PAGE_RESIDENT && !(pte & 1))
                want = pal(PAL_PERM_NONE);                   /* parked */
            CHECK(same(got, want), "%s page 0x%08x state %d: #%02x%02x%02x", ms->s.name, va, st,
                  got.r, got.g, got.b);
            /* the strip's edge, where a band is one page of one state */
            int k = model_slice_of(ms, va);
            SDL_Rect b = view_edge_band(r, ms, k);
            if (model_slice_pages(ms, k) == 1 && b.h > 0) {
                SDL_Color e = pixel(v->surface, b.x + b.w / 2, b.y + b.h / 2);
                SDL_Color ew = st == KQ_PAGE_RESIDENT ? pal(ms->color) : st == KQ_PAGE_SWAPPED
                               ? pal(PAL_PAGE_SWAP) : st == KQ_PAGE_FILE ? pal(PAL_PAGE_FILE)
                               : pal(PAL_PAGE_NEW);
                CHECK(same(e, ew), "%s edge, page 0x%08x state %d", ms->s.name, va, st);
                checked++;
            }
            if (st == KQ_PAGE_SWAPPED && seen[st] == 1) {
                /* hover: the slot in words; click: the walk says so too */
                SDL_Point c = center(layout_pt_cell(&v->L, true, (va >> 12) & 0x3ff));
                push_motion(c.x, c.y);
                view_pump(v);
                char want_tip[64];
                snprintf(want_tip, sizeof want_tip, "swap entry: slot %u", slot);
                CU_ASSERT(tip_has(v, want_tip));
                push_click(c.x, c.y);
                view_pump(v);
                view_render(v);
                CU_ASSERT_EQUAL(v->m.walk.va, va);
                CU_ASSERT_EQUAL(v->m.walk.state, KQ_PAGE_SWAPPED);
                CU_ASSERT_EQUAL(v->m.walk.slot, slot);
                CU_ASSERT_NOT_EQUAL(v->m.walk.cause, 0);
                v->mouse_in = false;
                v->root_pinned = true;
                view_render(v);
            }
        }
    }
    for (int st = 0; st < 4; st++)
        CHECK(seen[st] > 0, "no page in state %d", st);
    CU_ASSERT(checked > 20);
    /* the counts the strip prints agree with the kernel's */
    struct kq_segment segs[64];
    int n = kq_segments(p, segs, 64);
    CU_ASSERT_EQUAL(n, v->m.nseg);
    for (int i = 0; i < n && i < 64; i++) {
        uint32_t sum[4] = { 0 };
        for (int k = 0; k < v->m.seg[i].nslices; k++)
            for (int st = 0; st < 4; st++)
                sum[st] += v->m.seg[i].slice[k][st];
        CU_ASSERT_EQUAL(sum[KQ_PAGE_RESIDENT], segs[i].resident);
        CU_ASSERT_EQUAL(sum[KQ_PAGE_SWAPPED], segs[i].swapped);
        CU_ASSERT_EQUAL(sum[KQ_PAGE_FILE], segs[i].file_only);
        CU_ASSERT_EQUAL(sum[0] + sum[1] + sum[2] + sum[3], (segs[i].end - segs[i].start) / 4096);
    }
    view_close(v);
    proc_destroy(p);
}

/* A frame at FRAMES_DETAIL or FRAMES_MARKS shows what kq_frame_info says:
 * A and D, pinned or not, aging's bits; the hand is ringed. */
static void check_frames_drawn(struct view *v, bool aging, bool clears)
{
    SDL_Surface *s = v->surface;
    uint32_t hand = 0;
    const char *policy = kq_policy(v->p, &hand);
    int pinned = 0, a_set = 0, a_clear = 0, d_set = 0, bits_set = 0;
    for (uint32_t f = 0; f < v->L.fshow; f++) {
        struct kq_frame_info fi;
        CU_ASSERT_FATAL(kq_frame_info(v->p, f, &fi));
        struct frame_parts fp;
        view_frame_parts(v, f, &fp);
        SDL_Color bg = pal(model_frame_color(&v->m, f));
        SDL_Point in = v->L.flevel == FRAMES_DETAIL ? (SDL_Point){ fp.box.x + fp.box.w - 2, fp.box.y + fp.box.h - 2 }
                                                    : center(fp.box);
        CHECK(same(pixel(s, in.x, in.y), bg), "frame %u colour", f);
        bool pin = fi.use != KQ_FRAME_FREE && !fi.evictable;
        pinned += pin;
        if (v->L.flevel == FRAMES_DETAIL) {          /* the padlock's body */
            SDL_Color lock = pixel(s, fp.lock.x + 3, fp.lock.y + 5);
            CHECK(same(lock, bg) != pin, "frame %u padlock", f);
        } else {                                      /* the dark frame */
            CHECK(same(pixel(s, fp.lock.x + 1, fp.lock.y + fp.lock.h / 2), pal(PAL_PIN)) == pin, "frame %u pin", f);
        }
        if (fi.use != KQ_FRAME_PAGE)
            continue;
        CHECK(same(pixel(s, fp.a.x, fp.a.y + fp.a.h - 1), pal(PAL_MARK_A)) == fi.accessed, "frame %u A", f);
        CHECK(same(pixel(s, fp.d.x, fp.d.y + fp.d.h - 1), pal(PAL_MARK_D)) == fi.dirty, "frame %u D", f);
        a_set += fi.accessed;
        a_clear += !fi.accessed;
        d_set += fi.dirty;
        if (aging && fi.evictable && v->L.flevel == FRAMES_DETAIL)
            for (int b = 0; b < 8; b++) {
                bool on = fi.age & (0x80u >> b);
                bits_set += on;
                CHECK(same(pixel(s, fp.bit[b].x, fp.bit[b].y), pal(PAL_BG)) == on, "frame %u age bit %d", f, 7 - b);
            }
    }
    CU_ASSERT(pinned >= 2);                          /* the page tables at least */
    CU_ASSERT(a_set > 0 && d_set > 0);
    if (clears)
        CHECK(a_clear > 0, "%s: every page has A set", policy);
    if (aging)
        CU_ASSERT(bits_set > 0);
    if (view_has_hand(policy)) {
        SDL_Rect b = view_frame_box(&v->L, hand);
        ASSERT_PIXEL(s, b.x - 1, b.y + b.h / 2, PAL_HAND);
        ASSERT_PIXEL(s, b.x + b.w / 2, b.y - 3, PAL_HAND);   /* the arrow head */
    }
}

static void test_frames_128k(void)
{
    static const char *const policies[] = { "clock", "aging", "nru" };
    for (int i = 0; i < 3; i++) {
        struct proc *p;
        struct view *v = thrash_view(128u << 10, policies[i], 5000, &p);
        CU_ASSERT_FATAL(v != NULL);
        view_render(v);
        CU_ASSERT_STRING_EQUAL(v->m.policy, policies[i]);
        /* 32 frames in one row of cells large enough for words */
        CU_ASSERT_EQUAL(v->L.flevel, FRAMES_DETAIL);
        CU_ASSERT_EQUAL(v->L.fshow, 32);
        CU_ASSERT_EQUAL(v->L.frows, 1);
        CU_ASSERT(v->L.fpw >= FRAMES_DETAIL_W);
        CU_ASSERT_EQUAL(v->m.nfinfo, 32);
        check_frames_drawn(v, i == 1, i != 1);  /* clock and nru clear A as they choose */
        /* hover a page's frame: its bits in words; click: walk its page */
        for (uint32_t f = 0; f < 32; f++) {
            struct kq_frame_info fi;
            kq_frame_info(p, f, &fi);
            if (fi.use != KQ_FRAME_PAGE || !fi.evictable)
                continue;
            SDL_Point c = center(view_frame_box(&v->L, f));
            push_motion(c.x, c.y);
            view_pump(v);
            CU_ASSERT_EQUAL(v->hover.kind, HIT_FRAME);
            CU_ASSERT_EQUAL(v->hover.index, (int)f);
            char want[32];
            snprintf(want, sizeof want, "A=%d D=%d", fi.accessed, fi.dirty);
            CU_ASSERT(tip_has(v, want));
            CU_ASSERT(tip_has(v, i == 1 ? "age " : "may evict"));
            push_click(c.x, c.y);
            view_pump(v);
            view_render(v);
            CU_ASSERT_EQUAL(v->walk_mode, WALK_PAGE);
            CU_ASSERT_EQUAL(v->m.walk.va, fi.vpn * 4096);
            break;
        }
        view_close(v);
        proc_destroy(p);
    }
}

/* The default --mem 4G: the frames a program used are drawn big enough
 * to read, the million others summed up in words, and a refresh reads
 * only the frames below the peak. */
static void test_4g_legible(void)
{
    struct proc *p;
    struct view *v = thrash_view(4ull << 30, "clock", 0, &p);
    CU_ASSERT_FATAL(v != NULL);
    model_invalidate(&v->m);                         /* a full re-read */
    v->m.scanned = 0;
    view_render(v);
    CU_ASSERT_EQUAL(v->m.nframes, 1u << 20);
    CU_ASSERT(v->m.gen > 0);
    CU_ASSERT(v->L.fper == 1 && v->L.flevel != FRAMES_PLAIN);
    CU_ASSERT(v->L.fpw >= FRAMES_MARKS_MIN);
    CU_ASSERT(v->L.fshow >= v->m.ctr.frames_peak && v->L.fshow < 1000);
    CU_ASSERT(v->m.scanned <= 2 * (uint64_t)v->L.fshow);
    CU_ASSERT(v->L.frames.y > H / 2);
    check_frames_drawn(v, false, false);
    /* frames not drawn: hovering past the last cell finds none */
    SDL_Rect last = layout_frame_cell(&v->L, v->L.fshow - 1);
    push_motion(last.x + last.w + 2, last.y + last.h / 2);
    view_pump(v);
    CU_ASSERT_NOT_EQUAL(v->hover.kind, HIT_FRAME);
    /* no swapping here: nothing in the swap colours in the counters pane */
    SDL_Rect a = v->L.counters;
    bool swapin = false;
    for (int y = a.y; y < a.y + a.h; y++)
        for (int x = a.x; x < a.x + a.w; x++)
            swapin |= same(pixel(v->surface, x, y), pal(PAL_EV_SWAPIN));
    CU_ASSERT_FALSE(swapin);
    view_close(v);
    proc_destroy(p);
}

/* Evictions and swap I/O in the event log, by colour, with the victim and
 * where it went still there; and the counters pane says so. */
static void test_paging_events(void)
{
    struct proc *p = new_proc("guests/thrash", 128u << 10);
    CU_ASSERT_FATAL(p != NULL);
    struct view *v = open_view(p);                   /* events on from the start */
    CU_ASSERT_FATAL(v != NULL);
    int kinds[PAL_COUNT] = { 0 }, condensed = 0;
    for (int round = 0; round < 40 && running(p); round++) {
        run_silent(p, 2500);
        struct kq_event ev[64];
        int n = kq_events(p, ev, 64);
        for (int i = 0; i < n; i++) {
            enum pal c = view_event_pal(&ev[i]);
            kinds[c]++;
            char text[600];
            view_event_text(&ev[i], text, sizeof text);
            if (c == PAL_EV_SWAPOUT) {
                CU_ASSERT_PTR_NOT_NULL(strstr(ev[i].text, "-> victim vpn"));
                CU_ASSERT_PTR_NOT_NULL(strstr(text, "victim vpn"));
                CU_ASSERT_PTR_NOT_NULL(strstr(text, "swap slot"));
            }
            if (strstr(ev[i].text, "-> cleared; ")) {
                condensed++;
                CU_ASSERT_PTR_NOT_NULL(strstr(text, "A bits cleared"));
                CU_ASSERT_PTR_NULL(strstr(text, "-> cleared"));
                CU_ASSERT_PTR_NOT_NULL(strstr(text, "victim"));
            }
            if (c == PAL_EV_SWAPIN)
                CU_ASSERT_PTR_NOT_NULL(strstr(ev[i].text, "(major fault)"));
        }
    }
    CU_ASSERT(kinds[PAL_EV_PAGE] > 0);                    /* zero-filled, from the file */
    CU_ASSERT(kinds[PAL_EV_SWAPIN] > 0);                  /* read back from swap */
    CU_ASSERT(kinds[PAL_EV_SWAPOUT] > 0);                 /* dirty victims */
    CU_ASSERT(kinds[PAL_EV_DROP] > 0);                    /* clean victims */
    CU_ASSERT(condensed > 0);
    view_render(v);
    /* the newest event's bullet, at the bottom of the log, in its colour */
    SDL_Rect a = v->L.events;
    struct kq_event last[1];
    CU_ASSERT_FATAL(kq_events(p, last, 1) == 1);
    SDL_Color want = pal(view_event_pal(&last[0])), got = pal(PAL_PANEL);
    for (int y = a.y + a.h - 1; y > a.y && same(got, pal(PAL_PANEL)); y--)
        got = pixel(v->surface, a.x + 14, y);
    CU_ASSERT(same(got, want));
    /* major faults and swap in use are drawn in the swap colours */
    bool swapin = false, swap = false;
    SDL_Rect c = v->L.counters;
    for (int y = c.y; y < c.y + c.h; y++)
        for (int x = c.x; x < c.x + c.w; x++) {
            SDL_Color px = pixel(v->surface, x, y);
            swapin |= same(px, pal(PAL_EV_SWAPIN));
            swap |= same(px, pal(PAL_PAGE_SWAP));
        }
    CU_ASSERT(swapin && swap);
    view_close(v);
    proc_destroy(p);
}

/* --- view_main ------------------------------------------------------------------ */

/* Threads: the model lists them, each thread's stack is a segment named
 * stack:TID holding its sp, and the CPU panel is the running thread's. */
static void test_threads(void)
{
    struct proc *p = new_proc("guests/thread_stacks", 0);
    CU_ASSERT_FATAL(p != NULL);
    int tids[8];
    for (int i = 0; i < 200 && kq_threads(p, tids, 8) < 5; i++)
        run_quiet(p, 200, 0);
    CU_ASSERT_FATAL(kq_threads(p, tids, 8) == 5);
    struct view *v = open_view(p);
    CU_ASSERT_FATAL(v != NULL);
    view_render(v);
    const struct model *m = &v->m;
    CU_ASSERT_EQUAL(m->nthreads, 5);
    int current = 0, named = 0;
    for (int i = 0; i < m->nthreads; i++) {
        const struct kq_thread *t = &m->thread[i];
        current += t->current;
        if (t->current)
            CU_ASSERT_EQUAL(t->sp, m->cpu.x[2]);
        CHECK(t->sp >= t->stack_start && t->sp < t->stack_end,
              "thread %d: sp 0x%08x outside its stack 0x%08x-0x%08x", t->tid, t->sp,
              t->stack_start, t->stack_end);
        char name[24];
        snprintf(name, sizeof name, "stack:%d", t->tid);
        for (int k = 0; k < m->nseg; k++)
            named += !strcmp(m->seg[k].s.name, name) && m->seg[k].s.start == t->stack_start;
    }
    CU_ASSERT_EQUAL(current, 1);
    CHECK(named == 4, "%d thread stacks named stack:TID, want 4", named);
    view_close(v);
    proc_destroy(p);
}

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

/* The command line with a small memory: the snapshot shows swapped pages
 * and the clock hand, and the program still prints what it prints under
 * `vmlab run`. */
static void test_cli_small_mem(void)
{
    char png[] = "/tmp/vmlab-view-mem-XXXXXX.png";
    int fd = mkstemps(png, 4);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    char *argv[] = { (char *)test_path("vmlab"), "view", "--mem", "128K", "--snapshot", png,
                     "--at-insn", "60000", (char *)test_path("guests/thrash"), "40", NULL };
    struct run_result r;
    CU_ASSERT_EQUAL_FATAL(run_cmd(argv, NULL, NULL, 120, &r), 0);
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "40 pages: checksum"));
    run_free(&r);
    SDL_Surface *img = IMG_Load(png);
    CU_ASSERT_FATAL(img != NULL);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_ARGB8888, 0);
    CU_ASSERT_FATAL(argb != NULL);
    int swap = 0, hand = 0;
    for (int y = 0; y < argb->h; y++)
        for (int x = 0; x < argb->w; x++) {
            SDL_Color c = pixel(argb, x, y);
            swap += same(c, pal(PAL_PAGE_SWAP));
            hand += same(c, pal(PAL_HAND));
        }
    CU_ASSERT(swap > 50);
    CU_ASSERT(hand > 20);
    SDL_FreeSurface(argb);
    SDL_FreeSurface(img);
    unlink(png);
}

/* assets/palette.md shows PALETTE(X) row by row: a colour changed or
 * added in view/palette.h must be changed there too. */
static void test_palette_doc(void)
{
    FILE *f = fopen("assets/palette.md", "r");
    CU_ASSERT_FATAL(f != NULL);
    static char md[16384];
    size_t n = fread(md, 1, sizeof md - 1, f);
    fclose(f);
    md[n] = 0;
    char row[200];
#define X(name, r, g, b, what)                                                                  \
    snprintf(row, sizeof row, "| `PAL_" #name "` | `#%02x%02x%02x` | %s |", r, g, b, what);      \
    CHECK(strstr(md, row) != NULL, "assets/palette.md lacks %s", row);
    PALETTE(X)
#undef X
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
    CU_add_test(s, "a program waiting for input: the window goes on", test_waits_for_input);
    CU_add_test(s, "a program in a --real-sleep sleep: the window goes on", test_waits_in_sleep);
    CU_add_test(s, "300 segments fit the strip", test_many_segments);
    CU_add_test(s, "frames grid: which frames, what size", test_frames_layout);
    CU_add_test(s, "frames above the peak are free", test_frames_above_peak_free);
    CU_add_test(s, "page states: RAM, swap, file, untouched", test_page_states);
    CU_add_test(s, "--mem 128K: A, D, age, pinned, hand", test_frames_128k);
    CU_add_test(s, "--mem 4G: legible, few frames read", test_4g_legible);
    CU_add_test(s, "evictions and swap I/O in the log", test_paging_events);
    CU_add_test(s, "snapshot PNG, and an unwritable one", test_snapshot_png);
    CU_add_test(s, "threads: the list, stack:TID segments, each sp on its stack", test_threads);
    CU_add_test(s, "no display: one line, status 1", test_no_display);
    CU_add_test(s, "vmlab view: snapshot and no display", test_cli);
    CU_add_test(s, "vmlab view --mem 128K: swap and hand", test_cli_small_mem);
    CU_add_test(s, "assets/palette.md shows view/palette.h", test_palette_doc);
}
