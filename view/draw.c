/* view/draw.c — drawing every panel of the view from the model and the
 * layout (see layout.h for the picture).  Nothing here reads the process
 * except through the model, and nothing changes it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "view/palette.h"
#include "view/view_internal.h"

static const char *const abi[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3", "a4", "a5",
    "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

/* --- primitives -------------------------------------------------------------- */

static void fill(SDL_Surface *s, SDL_Rect a, SDL_Color c)
{
    SDL_FillRect(s, &a, SDL_MapRGB(s->format, c.r, c.g, c.b));
}

/* An outline t pixels thick, drawn inside a. */
static void outline(SDL_Surface *s, SDL_Rect a, SDL_Color c, int t)
{
    if (2 * t > a.w || 2 * t > a.h) {
        fill(s, a, c);
        return;
    }
    fill(s, (SDL_Rect){ a.x, a.y, a.w, t }, c);
    fill(s, (SDL_Rect){ a.x, a.y + a.h - t, a.w, t }, c);
    fill(s, (SDL_Rect){ a.x, a.y + t, t, a.h - 2 * t }, c);
    fill(s, (SDL_Rect){ a.x + a.w - t, a.y + t, t, a.h - 2 * t }, c);
}

static SDL_Rect grow(SDL_Rect a, int by)
{
    return (SDL_Rect){ a.x - by, a.y - by, a.w + 2 * by, a.h + 2 * by };
}

/* c mixed with the panel background: pct of c. */
static SDL_Color mix(SDL_Color c, int pct)
{
    SDL_Color b = pal(PAL_PANEL);
    return (SDL_Color){ (Uint8)((c.r * pct + b.r * (100 - pct)) / 100),
                        (Uint8)((c.g * pct + b.g * (100 - pct)) / 100),
                        (Uint8)((c.b * pct + b.b * (100 - pct)) / 100), 255 };
}

/* Ink that reads on background c: dark on light colours, light on dark. */
static SDL_Color ink_on(SDL_Color c)
{
    int lum = (c.r * 299 + c.g * 587 + c.b * 114) / 1000;
    return lum > 110 ? pal(PAL_BG) : pal(PAL_INK);
}

static void swatch(SDL_Surface *r, int x, int y, int size, SDL_Color c)
{
    fill(r, (SDL_Rect){ x, y, size, size }, c);
}

/* "1,234,567" */
static const char *num(uint64_t v, char *buf, size_t len)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%" PRIu64, v), o = 0;
    for (int i = 0; i < n && o + 2 < (int)len; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = 0;
    return buf;
}

/* The kernel's "->" as an arrow. */
static void arrows(const char *in, char *out, size_t len)
{
    size_t o = 0;
    for (; *in && o + 4 < len; in++) {
        if (in[0] == '-' && in[1] == '>') {
            memcpy(out + o, "\xe2\x86\x92", 3);
            o += 3;
            in++;
        } else {
            out[o++] = *in;
        }
    }
    out[o] = 0;
}

/* Panel background and title; returns the y below the title. */
static int panel(struct view *v, SDL_Rect a, const char *title, const char *sub)
{
    fill(v->dst, a, pal(PAL_PANEL));
    int x = a.x + 10, y = a.y + 5;
    x += font_draw(v->head, v->dst, x, y, pal(PAL_HEAD), title);
    if (sub)
        font_draw_fit(v->small, v->dst, x + 10, y + 1, a.x + a.w - x - 20, pal(PAL_INK_DIM), sub);
    return y + font_height(v->head) + 4;
}

/* --- title bar ------------------------------------------------------------------ */

static const struct kq_event *last_event(const struct model *m, int kind)
{
    for (int i = m->nev - 1; i >= 0; i--)
        if (m->ev[i].kind == kind)
            return &m->ev[i];
    return NULL;
}

static void draw_title(struct view *v)
{
    const struct model *m = &v->m;
    SDL_Rect a = v->L.title;
    int lh = font_height(v->mono), y = a.y + (a.h - lh) / 2;
    char buf[512], n1[32];
    static const uint64_t speeds[VIEW_NSPEEDS] = VIEW_SPEEDS;
    const char *keys = "space run/pause · s step · f to fault · c to syscall · +/- speed · q quit";
    if (!m->st.running && m->st.term_sig) {
        /* the death banner: the shell's words, the fault, the core file */
        fill(v->dst, a, pal(PAL_BANNER_BAD));
        int x = a.x + 10;
        snprintf(buf, sizeof buf, "%s%s", view_sig_text(m->st.term_sig),
                 m->st.core_path ? " (core dumped)"
                 : view_sig_dumps_core(m->st.term_sig) ? " (core not dumped)" : "");
        x += font_draw(v->head, v->dst, x, y - 1, pal(PAL_INK), buf);
        const struct kq_event *f = last_event(m, KQ_EV_FAULT);
        char what[256];
        if (f && m->st.fault_valid) {
            arrows(f->text, what, sizeof what);
            snprintf(buf, sizeof buf, "  ·  %s", what);
        } else {
            snprintf(buf, sizeof buf, "  ·  killed by %s", view_sig_name(m->st.term_sig));
        }
        x += font_draw(v->mono, v->dst, x, y, pal(PAL_INK), buf);
        if (m->st.core_path)
            snprintf(buf, sizeof buf, "  ·  core file: %s", m->st.core_path);
        else
            snprintf(buf, sizeof buf, "  ·  no core file");
        x += font_draw_fit(v->mono, v->dst, x, y, a.w - x - 80, pal(PAL_INK), buf);
        font_draw(v->mono, v->dst, a.w - 10 - font_width(v->mono, "q quit"), y, pal(PAL_INK), "q quit");
        return;
    }
    fill(v->dst, a, m->st.running ? pal(PAL_PANEL) : pal(PAL_BANNER_OK));
    int x = a.x + 10;
    x += font_draw(v->head, v->dst, x, y - 1, pal(PAL_HEAD), "vmlab view");
    if (v->title)
        x += font_draw(v->head, v->dst, x + 10, y - 1, pal(PAL_INK), v->title) + 10;
    x += 18;
    if (!m->st.running) {
        snprintf(buf, sizeof buf, "exited with status %d after %s instructions", m->st.status,
                 num(m->cpu.instret, n1, sizeof n1));
    } else if (v->running && v->run_to) {
        snprintf(buf, sizeof buf, "\xe2\x96\xb6 running to the next %s",
                 v->run_to == KQ_STOP_FAULT ? "fault or signal" : "system call");
    } else {
        char sp[64];
        if (speeds[v->speed])
            snprintf(sp, sizeof sp, "%s instructions/s", num(speeds[v->speed], n1, sizeof n1));
        else
            snprintf(sp, sizeof sp, "full speed");
        snprintf(buf, sizeof buf, "%s  ·  %s", v->running ? "\xe2\x96\xb6 running" : "\xe2\x80\x96 paused", sp);
        for (int i = 0; v->running && v->waiting && i < m->nthreads; i++) {
            const struct kq_thread *t = &m->thread[i];
            if (t->io_fd < 0)
                continue;
            size_t len = strlen(buf);
            snprintf(buf + len, sizeof buf - len, "  ·  waits to %s fd %d%s",
                     t->io_write ? "write" : "read", t->io_fd,
                     t->io_fd == 0 && !t->io_write ? " (stdin: type in the terminal)" : "");
            break;
        }
    }
    x += font_draw(v->mono, v->dst, x, y, pal(PAL_INK), buf);
    int kw = font_width(v->small, keys);
    if (v->note[0])
        font_draw_fit(v->mono, v->dst, x + 18, y, a.w - kw - 30 - (x + 18), pal(PAL_CHANGED), v->note);
    font_draw(v->small, v->dst, a.w - 10 - kw, y + 1, pal(PAL_INK_DIM), keys);
}

/* --- address space ----------------------------------------------------------------- */

/* y of address va inside a row's bar (high addresses at the top). */
static int bar_y(const struct strip_row *r, uint32_t va)
{
    uint64_t span = r->hi - r->lo;
    return r->bar.y + r->bar.h - 1 - (int)((uint64_t)(va - r->lo) * (uint64_t)(r->bar.h - 1) / span);
}

/* A marker for address va on row r's bar: a tick and an arrow head at
 * its right edge, and a label inside the bar left of the tick, moved left
 * past any label already drawn on this row that it would cover
 * (used[0..*nused): those labels' rectangles; this one is added). */
static void marker(struct view *v, const struct strip_row *r, uint32_t va, const char *label,
                   SDL_Color c, SDL_Rect *used, int *nused)
{
    if (va < r->lo || va >= r->hi || r->bar.h < 6)
        return;
    int y = bar_y(r, va), x1 = r->bar.x + r->bar.w;
    fill(v->dst, (SDL_Rect){ x1 - 14, y, 14, 2 }, c);
    for (int i = 0; i < 4; i++)                /* a small arrow head outside the bar */
        fill(v->dst, (SDL_Rect){ x1 + i, y - 3 + i, 1, 8 - 2 * i }, c);
    int ty = y - font_height(v->small) / 2;
    if (ty < r->bar.y)
        ty = r->bar.y;
    if (ty > r->bar.y + r->bar.h - font_height(v->small))
        ty = r->bar.y + r->bar.h - font_height(v->small);
    int lw = font_width(v->small, label), lx = x1 - 16 - lw;
    for (int i = 0; i < *nused; i++) {
        SDL_Rect u = used[i];
        if (ty < u.y + u.h && ty + font_height(v->small) > u.y && lx + lw > u.x && lx < u.x + u.w)
            lx = u.x - 4 - lw;
    }
    used[(*nused)++] = (SDL_Rect){ lx, ty, lw, font_height(v->small) };
    font_draw(v->small, v->dst, lx, ty, c, label);
}

static void draw_gap(struct view *v, const struct strip_row *r)
{
    SDL_Color faint = pal(PAL_INK_FAINT);
    int cx = r->r.x + 36;
    for (int y = r->r.y + 1; y < r->r.y + r->r.h - 1; y += 4)
        fill(v->dst, (SDL_Rect){ cx, y, 1, 2 }, pal(PAL_RULE));
    if (r->lines) {
        char s[32], buf[96];
        snprintf(buf, sizeof buf, "%s unmapped%s", view_size_str(r->hi - r->lo, s, sizeof s),
                 r->lo == 0 ? " (holds NULL)" : "");
        font_draw_fit(v->small, v->dst, r->r.x + 50, r->r.y + (r->r.h - font_height(v->small)) / 2,
                      r->r.w - 50, faint, buf);
    }
}

/* The colour of page state st in segment s (resident: its frames' colour). */
static SDL_Color state_color(const struct model_seg *s, int st)
{
    switch (st) {
    case KQ_PAGE_RESIDENT: return pal(s->color);
    case KQ_PAGE_SWAPPED: return pal(PAL_PAGE_SWAP);
    case KQ_PAGE_FILE: return pal(PAL_PAGE_FILE);
    default: return pal(PAL_PAGE_NEW);
    }
}

/* One band of the edge: the pages counted in c[] as a bar across it, in
 * proportion, every state present at least a pixel wide. */
static void edge_band(struct view *v, const struct model_seg *s, const uint32_t c[MODEL_STATES],
                      SDL_Rect a)
{
    static const int order[MODEL_STATES] = { KQ_PAGE_RESIDENT, KQ_PAGE_SWAPPED, KQ_PAGE_FILE,
                                             KQ_PAGE_UNTOUCHED };
    uint32_t total = c[0] + c[1] + c[2] + c[3];
    if (!total || a.h <= 0)
        return;
    int w[MODEL_STATES], sum = 0, big = 0;
    for (int i = 0; i < MODEL_STATES; i++) {
        uint32_t n = c[order[i]];
        w[i] = n ? (int)((uint64_t)n * (uint64_t)a.w / total) : 0;
        if (n && w[i] == 0)
            w[i] = 1;
        sum += w[i];
        if (w[i] > w[big])
            big = i;
    }
    w[big] += a.w - sum;
    int x = a.x;
    for (int i = 0; i < MODEL_STATES; i++) {
        if (w[i] > 0)
            fill(v->dst, (SDL_Rect){ x, a.y, w[i], a.h }, state_color(s, order[i]));
        x += w[i];
    }
}

/* A segment's left edge: where each of its pages is (low addresses at
 * the bottom).  With room, every page gets its own band, with a gap
 * between pages when they are tall enough; else each pixel row sums the
 * slices it covers. */
static SDL_Rect edge_inner(SDL_Rect bar)
{
    return (SDL_Rect){ bar.x + 1, bar.y, LAYOUT_EDGE_W - 2, bar.h };
}

SDL_Rect view_edge_band(const struct strip_row *r, const struct model_seg *s, int k)
{
    SDL_Rect in = edge_inner(r->bar);
    int n = s->nslices;
    if (n <= 0 || k < 0 || k >= n)
        return (SDL_Rect){ 0, 0, 0, 0 };
    if (n > in.h) {                              /* a pixel row for several slices */
        int row = (int)((int64_t)k * in.h / n);
        return (SDL_Rect){ in.x, in.y + in.h - 1 - row, in.w, 1 };
    }
    int y0 = in.y + in.h - (k + 1) * in.h / n, y1 = in.y + in.h - k * in.h / n;
    if (s->pages == (uint32_t)n && y1 - y0 >= 4)
        y0++;                                    /* a gap between pages */
    return (SDL_Rect){ in.x, y0, in.w, y1 - y0 };
}

static void draw_page_edge(struct view *v, const struct strip_row *r, const struct model_seg *s)
{
    fill(v->dst, (SDL_Rect){ r->bar.x, r->bar.y, LAYOUT_EDGE_W, r->bar.h }, pal(PAL_BG));
    SDL_Rect in = edge_inner(r->bar);
    int n = s->nslices;
    if (n <= 0)
        return;
    if (n <= in.h) {
        for (int k = 0; k < n; k++) {
            uint32_t c[MODEL_STATES];
            for (int i = 0; i < MODEL_STATES; i++)
                c[i] = s->slice[k][i];
            edge_band(v, s, c, view_edge_band(r, s, k));
        }
        return;
    }
    for (int row = 0; row < in.h; row++) {         /* row 0 at the bottom */
        int k0 = row * n / in.h, k1 = (row + 1) * n / in.h;
        uint32_t c[MODEL_STATES] = { 0 };
        for (int k = k0; k < k1 && k < n; k++)
            for (int i = 0; i < MODEL_STATES; i++)
                c[i] += s->slice[k][i];
        edge_band(v, s, c, (SDL_Rect){ in.x, in.y + in.h - 1 - row, in.w, 1 });
    }
}

static void draw_segment(struct view *v, const struct strip_row *r)
{
    const struct model *m = &v->m;
    const struct model_seg *ms = &m->seg[r->seg];
    const struct kq_segment *s = &ms->s;
    SDL_Color c = pal(pal_perm(s->perms)), ink = ink_on(c);
    SDL_Rect bar = r->bar;
    fill(v->dst, bar, c);
    draw_page_edge(v, r, ms);
    int lh = font_height(v->mono);
    int tx = bar.x + LAYOUT_EDGE_W + 5;
    if (r->lines) {
        int ty = r->lines == 2 ? r->r.y + 3 : r->r.y + (r->r.h - lh) / 2;
        int maxw = r->lines == 2 ? bar.w - LAYOUT_EDGE_W - 8 : r->badge[0].x - tx - 4;
        font_draw_fit(v->bold, v->dst, tx, ty, maxw, ink, s->name);
    }
    static const char letters[3][2] = { "R", "W", "X" };
    for (int b = 0; b < 3; b++) {
        SDL_Rect k = r->badge[b];
        if (!k.w)
            continue;
        bool on = s->perms & (1u << b);
        bool hot = v->mouse_in && v->hover.kind == HIT_BADGE && v->hover.index == r->seg &&
                   v->hover.bit == b;
        if (on) {
            fill(v->dst, k, pal(PAL_BG));
            font_draw(v->mono, v->dst, k.x + (k.w - font_width(v->mono, letters[b])) / 2, k.y, pal(PAL_INK),
                      letters[b]);
        } else {
            outline(v->dst, k, mix(pal(PAL_BG), 60), 1);
            font_draw(v->mono, v->dst, k.x + (k.w - font_width(v->mono, letters[b])) / 2, k.y,
                      mix(pal(PAL_BG), 45), letters[b]);
        }
        if (hot)
            outline(v->dst, grow(k, 1), pal(PAL_SELECT), 1);
    }
    if (v->sel_seg == r->seg)
        outline(v->dst, grow(bar, 2), pal(PAL_SELECT), 2);
    /* range and size to the right */
    int rx = bar.x + bar.w + 10, rw = r->r.x + r->r.w - rx;
    char buf[96], sz[32];
    if (r->lines >= 1) {
        snprintf(buf, sizeof buf, "0x%08x–0x%08x", s->start, s->end);
        int ty = r->lines == 2 ? r->r.y + 3 : r->r.y + (r->r.h - lh) / 2;
        font_draw_fit(v->small, v->dst, rx, ty, rw, pal(PAL_INK), buf);
    }
    if (r->lines == 2) {
        int y2 = r->r.y + 4 + lh, x = rx, x1 = rx + rw;
        if (!s->swapped && !s->file_only) {
            snprintf(buf, sizeof buf, "%s · %u in RAM", view_size_str(s->end - s->start, sz, sizeof sz),
                     s->resident);
            font_draw_fit(v->small, v->dst, x, y2, x1 - x, pal(PAL_INK_DIM), buf);
        } else {                              /* pages by state, in the edge's colours */
            snprintf(buf, sizeof buf, "%u RAM", s->resident);
            x += font_draw_fit(v->small, v->dst, x, y2, x1 - x, pal(PAL_INK_DIM), buf);
            if (s->swapped && x < x1) {
                snprintf(buf, sizeof buf, " %u swap", s->swapped);
                x += font_draw_fit(v->small, v->dst, x, y2, x1 - x, pal(PAL_PAGE_SWAP), buf);
            }
            if (s->file_only && x < x1) {
                snprintf(buf, sizeof buf, " %u file", s->file_only);
                font_draw_fit(v->small, v->dst, x, y2, x1 - x, pal(PAL_PAGE_FILE), buf);
            }
        }
    }
    /* where the pc, sp and the last fault are */
    SDL_Rect used[3];
    int nused = 0;
    marker(v, r, m->cpu.pc, "pc", ink, used, &nused);
    marker(v, r, m->cpu.x[2], "sp", ink, used, &nused);
    /* every other thread's sp, on its own stack (stack:TID) */
    SDL_Rect tused[3 + MODEL_THREADS];
    memcpy(tused, used, sizeof used);
    int tn = nused;
    for (int i = 0; i < m->nthreads && i < MODEL_THREADS && tn < 3 + MODEL_THREADS - 1; i++) {
        if (m->thread[i].current)
            continue;
        marker(v, r, m->thread[i].sp, "", pal(PAL_INK_DIM), tused, &tn);  /* an arrow: the segment names its thread */
    }
    if (m->st.fault_valid)                    /* on top */
        marker(v, r, m->st.fault_addr, "fault", pal(PAL_FAULT), used, &nused);
}

static void draw_strip(struct view *v)
{
    const struct layout *L = &v->L;
    char sub[64];
    snprintf(sub, sizeof sub, "high addresses on top");
    panel(v, L->strip, "Address space", sub);
    for (int i = 0; i < L->nrows; i++) {
        const struct strip_row *r = &L->rows[i];
        if (r->seg < 0)
            draw_gap(v, r);
        else
            draw_segment(v, r);
    }
    if (L->hidden) {
        char buf[64];
        snprintf(buf, sizeof buf, "(%d more segments not shown)", L->hidden);
        font_draw(v->small, v->dst, L->strip.x + 10, L->strip.y + L->strip.h - font_height(v->small) - 4,
                  pal(PAL_INK_DIM), buf);
    }

    /* legend */
    SDL_Rect a = L->legend;
    fill(v->dst, a, pal(PAL_PANEL));
    static const struct { enum pal c; const char *label; } perms[] = {
        { PAL_PERM_RX, "r-x" }, { PAL_PERM_R, "r--" }, { PAL_PERM_RW, "rw-" },
        { PAL_PERM_RWX, "rwx" }, { PAL_PERM_NONE, "---" },
    };
    int lh = font_height(v->small), x = a.x + 10, y = a.y + 6;
    font_draw(v->small, v->dst, x, y, pal(PAL_INK_DIM), "permissions:");
    y += lh + 2;
    for (size_t i = 0; i < sizeof perms / sizeof perms[0]; i++) {
        swatch(v->dst, x, y + 2, lh - 4, pal(perms[i].c));
        x += lh + font_draw(v->small, v->dst, x + lh, y, pal(PAL_INK), perms[i].label) + 8;
    }
    x = a.x + 10;
    y += lh + 3;
    font_draw_fit(v->small, v->dst, x, y, a.w - 20, pal(PAL_INK_DIM), "left edge: where each page is");
    y += lh + 1;
    static const struct { enum pal c; const char *label; } states[] = {
        { PAL_SEG_HEAP, "in RAM" }, { PAL_PAGE_SWAP, "swap" }, { PAL_PAGE_FILE, "file only" },
        { PAL_PAGE_NEW, "untouched" },
    };
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        swatch(v->dst, x, y + 2, lh - 4, pal(states[i].c));
        x += lh + font_draw(v->small, v->dst, x + lh, y, pal(PAL_INK), states[i].label) + 6;
    }
    x = a.x + 10;
    y += lh + 1;
    font_draw_fit(v->small, v->dst, x, y, a.w - 20, pal(PAL_INK_DIM), "click R, W or X to flip a permission");
}

/* --- page tables --------------------------------------------------------------------- */

static SDL_Color pte_color(uint32_t pte)
{
    if (!(pte & VPTE_V))
        return pte & VPTE_RSW0 ? pal(PAL_PERM_NONE) : pal(PAL_EMPTY);
    unsigned perms = (pte & VPTE_R ? 1u : 0) | (pte & VPTE_W ? 2u : 0) | (pte & VPTE_X ? 4u : 0);
    return pal(pal_perm(perms));
}

static void draw_tables(struct view *v)
{
    const struct model *m = &v->m;
    const struct layout *L = &v->L;
    SDL_Surface *r = v->dst;
    char sub[128], buf[128];
    snprintf(sub, sizeof sub, "satp 0x%08x: root table at PA 0x%09" PRIx64, m->satp,
             (uint64_t)(m->satp & 0x3fffff) << 12);
    int y = panel(v, L->pt, "Page table (Sv32)", sub);
    int lh = font_height(v->small);

    /* captions */
    font_draw_fit(v->small, v->dst, L->root.x, y, L->root.w, pal(PAL_INK), "root table: 1024 entries × 4 MiB");
    if (v->sel_root >= 0 && m->leaf_ok)
        snprintf(buf, sizeof buf, "root[0x%03x] → 0x%08x–0x%08x", v->sel_root,
                 (uint32_t)v->sel_root << 22, ((uint32_t)v->sel_root << 22) + 0x3fffff);
    else if (v->sel_root >= 0)
        snprintf(buf, sizeof buf, "root[0x%03x] is empty: no leaf table", v->sel_root);
    else
        snprintf(buf, sizeof buf, "click a root entry to see its table");
    font_draw_fit(v->small, v->dst, L->leaf.x, y, L->leaf.w, pal(PAL_INK), buf);

    /* grid backgrounds */
    fill(r, grow(L->root, 1), pal(PAL_RULE));
    fill(r, grow(L->leaf, 1), pal(PAL_RULE));
    int cell = L->cell, dot = cell >= 12 ? 3 : 2;
    for (unsigned i = 0; i < MODEL_PTES; i++) {
        uint32_t pte = m->root[i];
        SDL_Color c = !(pte & VPTE_V) ? pal(PAL_EMPTY) : VPTE_IS_LEAF(pte) ? pte_color(pte) : pal(PAL_TABLE);
        fill(r, layout_pt_cell(L, false, i), c);
    }
    uint32_t base = v->sel_root >= 0 ? (uint32_t)v->sel_root << 22 : 0;
    for (unsigned j = 0; j < MODEL_PTES; j++) {
        uint32_t pte = m->leaf_ok ? m->leaf[j] : 0;
        SDL_Rect c = layout_pt_cell(L, true, j);
        int st = m->leaf_ok ? m->leaf_state[j] : KQ_PAGE_UNTOUCHED;
        if (st == KQ_PAGE_SWAPPED || st == KQ_PAGE_FILE) {
            enum pal k = st == KQ_PAGE_SWAPPED ? PAL_PAGE_SWAP : PAL_PAGE_FILE;
            fill(r, c, pal(k));
            char slot[16];
            snprintf(slot, sizeof slot, "%u", m->leaf_slot[j]);
            if (st == KQ_PAGE_SWAPPED && font_width(v->small, slot) <= c.w - 2 &&
                font_height(v->small) <= c.h + 2)
                font_draw(v->small, v->dst, c.x + (c.w - font_width(v->small, slot)) / 2,
                          c.y + (c.h - font_height(v->small)) / 2, pal(PAL_BG), slot);
            continue;
        }
        if (st == KQ_PAGE_UNTOUCHED && v->sel_root >= 0 && model_seg_at(m, base + j * VPAGE) >= 0) {
            fill(r, c, pal(PAL_PAGE_NEW));
            continue;
        }
        fill(r, c, pte_color(pte));
        if ((pte & VPTE_V) && (pte & VPTE_A))
            fill(r, (SDL_Rect){ c.x + 1, c.y + 1, dot, dot }, pal(PAL_MARK_A));
        if ((pte & VPTE_V) && (pte & VPTE_D))
            fill(r, (SDL_Rect){ c.x + c.w - 1 - dot, c.y + c.h - 1 - dot, dot, dot }, pal(PAL_MARK_D));
    }
    /* the pages of the selected segment in this table */
    if (v->sel_seg >= 0 && v->sel_seg < m->nseg && v->sel_root >= 0) {
        const struct kq_segment *s = &m->seg[v->sel_seg].s;
        for (unsigned j = 0; j < MODEL_PTES; j++) {
            uint32_t va = base + j * VPAGE;
            if (va >= s->start && va < s->end)
                outline(r, grow(layout_pt_cell(L, true, j), 1), mix(pal(PAL_SELECT), 45), 1);
        }
    }
    /* the walk: its root entry and its PTE */
    uint32_t wva = m->walk.va;
    bool fault = v->walk_mode == WALK_FAULT && m->st.fault_valid;
    SDL_Color c1 = fault ? pal(PAL_FAULT) : pal(PAL_VPN1), c0 = fault ? pal(PAL_FAULT) : pal(PAL_VPN0);
    outline(r, grow(layout_pt_cell(L, false, VVA_VPN1(wva)), 2), c1, 2);
    if (v->sel_root >= 0 && (unsigned)v->sel_root != VVA_VPN1(wva))
        outline(r, grow(layout_pt_cell(L, false, (unsigned)v->sel_root), 1), pal(PAL_SELECT), 1);
    if (v->sel_root >= 0 && (unsigned)v->sel_root == VVA_VPN1(wva))
        outline(r, grow(layout_pt_cell(L, true, VVA_VPN0(wva)), 2), c0, 2);
    /* the last fault, whatever the walk shows */
    if (m->st.fault_valid && !fault) {
        uint32_t fa = m->st.fault_addr;
        outline(r, grow(layout_pt_cell(L, false, VVA_VPN1(fa)), 1), pal(PAL_FAULT), 1);
        if (v->sel_root >= 0 && (unsigned)v->sel_root == VVA_VPN1(fa))
            outline(r, grow(layout_pt_cell(L, true, VVA_VPN0(fa)), 1), pal(PAL_FAULT), 1);
    }
    /* hovering a frame: its PTE */
    if (v->mouse_in && v->hover.kind == HIT_FRAME) {
        uint32_t vpn;
        if (kq_frame(v->p, (uint32_t)v->hover.index, &vpn) == KQ_FRAME_PAGE &&
            (int)VVA_VPN1(vpn * VPAGE) == v->sel_root)
            outline(r, grow(layout_pt_cell(L, true, VVA_VPN0(vpn * VPAGE)), 2), pal(PAL_SELECT), 2);
    }
    if (v->mouse_in && (v->hover.kind == HIT_ROOT || v->hover.kind == HIT_LEAF))
        outline(r, grow(layout_pt_cell(L, v->hover.kind == HIT_LEAF, (unsigned)v->hover.index), 1),
                pal(PAL_SELECT), 1);

    /* legend under the grids */
    int x = L->root.x, ly = L->root.y + L->root.h + 6;
    struct { SDL_Color c; const char *t; } items[] = {
        { pal(PAL_EMPTY), "empty" }, { pal(PAL_TABLE), "→ table" },
        { pal(PAL_PERM_RX), "leaf: colour = R/W/X" },
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        swatch(r, x, ly + 2, lh - 4, items[i].c);
        x += lh + font_draw(v->small, v->dst, x + lh, ly, pal(PAL_INK_DIM), items[i].t) + 10;
    }
    SDL_Rect d = { x, ly + 1, lh - 2, lh - 2 };
    fill(r, d, pal(PAL_PERM_RW));
    fill(r, (SDL_Rect){ d.x + 1, d.y + 1, 3, 3 }, pal(PAL_MARK_A));
    x += lh + font_draw(v->small, v->dst, x + lh, ly, pal(PAL_INK_DIM), "A accessed") + 10;
    d.x = x;
    fill(r, d, pal(PAL_PERM_RW));
    fill(r, (SDL_Rect){ d.x + d.w - 4, d.y + d.h - 4, 3, 3 }, pal(PAL_MARK_D));
    x += lh + font_draw(v->small, v->dst, x + lh, ly, pal(PAL_INK_DIM), "D dirty") + 10;
    outline(r, (SDL_Rect){ x, ly + 1, lh - 2, lh - 2 }, pal(PAL_FAULT), 2);
    font_draw(v->small, v->dst, x + lh, ly, pal(PAL_INK_DIM), "fault");
    /* second line: the pages that have no frame */
    x = L->root.x;
    ly += lh + 2;
    x += font_draw(v->small, v->dst, x, ly, pal(PAL_INK_DIM), "no frame:  ");
    struct { enum pal c; const char *t; } gone[] = {
        { PAL_PAGE_SWAP, "in swap (slot n)" }, { PAL_PAGE_FILE, "dropped: in the file only" },
        { PAL_PAGE_NEW, "never touched" },
    };
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        swatch(r, x, ly + 2, lh - 4, pal(gone[i].c));
        x += lh + font_draw(v->small, v->dst, x + lh, ly, pal(PAL_INK_DIM), gone[i].t) + 10;
    }
}

/* --- the walk -------------------------------------------------------------------------- */

static const char *const access_name[3] = { "fetch", "load", "store" };

/* One box of the walk diagram: a title in colour c, then lines. */
static void walk_box(struct view *v, SDL_Rect b, SDL_Color c, bool reached, const char *title,
                     const char *l1, const char *l2, const char *l3)
{
    int lh = font_height(v->small) + 3;
    fill(v->dst, b, reached ? pal(PAL_BG) : pal(PAL_PANEL));
    outline(v->dst, b, reached ? c : pal(PAL_RULE), reached ? 2 : 1);
    SDL_Color ink = reached ? pal(PAL_INK) : pal(PAL_INK_FAINT);
    font_draw_fit(v->bold, v->dst, b.x + 8, b.y + 5, b.w - 16, reached ? c : ink, title);
    if (l1)
        font_draw_fit(v->small, v->dst, b.x + 8, b.y + 8 + lh, b.w - 16, ink, l1);
    if (l2)
        font_draw_fit(v->small, v->dst, b.x + 8, b.y + 8 + 2 * lh, b.w - 16, ink, l2);
    if (l3)
        font_draw_fit(v->small, v->dst, b.x + 8, b.y + 8 + 3 * lh, b.w - 16, reached ? pal(PAL_INK_DIM) : ink, l3);
}

static void arrow(struct view *v, int x0, int x1, int y, SDL_Color c)
{
    fill(v->dst, (SDL_Rect){ x0, y - 1, x1 - x0 - 4, 2 }, c);
    for (int i = 0; i < 5; i++)
        fill(v->dst, (SDL_Rect){ x1 - 5 + i, y - 5 + i, 1, 11 - 2 * i }, c);
}

static void draw_walk(struct view *v)
{
    const struct model *m = &v->m;
    const struct model_walk *w = &m->walk;
    SDL_Rect a = v->L.walk;
    char sub[160], buf[200], l1[96], l2[96], l3[96];
    switch (v->walk_mode) {
    case WALK_FAULT:
        snprintf(sub, sizeof sub, "of the last fault: a %s at pc 0x%08x", access_name[w->access],
                 m->st.fault_pc);
        break;
    case WALK_PC:
        snprintf(sub, sizeof sub, "of the pc: the next instruction fetch");
        break;
    default:
        snprintf(sub, sizeof sub, "of the page you clicked, as a %s", access_name[w->access]);
        break;
    }
    int y = panel(v, a, "Walk (Sv32 translation)", sub) + 4;
    SDL_SetClipRect(v->dst, &a);
    struct font *mono = v->mono, *sm = v->small;
    int lh = font_height(mono), x0 = a.x + 12;
    SDL_Color ink = pal(PAL_INK), dim = pal(PAL_INK_DIM);

    /* the virtual address in bits, split into its three fields */
    snprintf(buf, sizeof buf, "VA 0x%08x = ", w->va);
    int x = x0 + font_draw(mono, v->dst, x0, y, ink, buf);
    static const struct { int from, n; enum pal c; const char *name; } field[3] = {
        { 0, 10, PAL_VPN1, "VPN[1]" }, { 10, 10, PAL_VPN0, "VPN[0]" }, { 20, 12, PAL_OFFSET, "offset" },
    };
    uint32_t val[3] = { VVA_VPN1(w->va), VVA_VPN0(w->va), w->va & 0xfff };
    for (int f = 0; f < 3; f++) {
        char part[16];
        for (int i = 0; i < field[f].n; i++)
            part[i] = w->va & (1u << (31 - field[f].from - i)) ? '1' : '0';
        part[field[f].n] = 0;
        snprintf(buf, sizeof buf, "%s 0x%03x", field[f].name, val[f]);
        int bw = font_width(mono, part), tw = font_width(sm, buf), cw = (bw > tw ? bw : tw) + 14;
        SDL_Color c = pal(field[f].c);
        font_draw(mono, v->dst, x + (cw - bw) / 2, y, c, part);
        fill(v->dst, (SDL_Rect){ x + 2, y + lh + 1, cw - 4, 2 }, c);
        font_draw(sm, v->dst, x + (cw - tw) / 2, y + lh + 4, c, buf);
        x += cw;
    }
    y += 2 * lh + 14;

    /* satp -> root table -> leaf table -> frame */
    int levels = w->levels;
    uint32_t r0 = w->pte[0], lf = w->pte[1];
    bool root_ok = levels >= 1 && (r0 & VPTE_V) && !VPTE_IS_LEAF(r0);
    int sw = font_width(mono, "satp") + 4, aw = 22;
    int bw = (a.w - 24 - sw - 3 * aw) / 3, bh = 4 * (font_height(sm) + 3) + 14;
    int bx = x0 + sw + aw, by = y;
    font_draw(mono, v->dst, x0, by + bh / 2 - lh / 2, dim, "satp");
    arrow(v, x0 + sw, bx, by + bh / 2, dim);

    snprintf(buf, sizeof buf, "root table · frame %u", (m->satp & 0x3fffff));
    snprintf(l1, sizeof l1, "entry 0x%03x", val[0]);
    snprintf(l2, sizeof l2, "PTE 0x%08x", r0);
    snprintf(l3, sizeof l3, !(r0 & VPTE_V) ? "V = 0: no leaf table" : VPTE_IS_LEAF(r0) ? "a 4 MiB leaf"
                            : "V, no R/W/X: → table");
    walk_box(v, (SDL_Rect){ bx, by, bw, bh }, pal(PAL_VPN1), true, buf, l1, l2, l3);
    arrow(v, bx + bw, bx + bw + aw, by + bh / 2, root_ok ? pal(PAL_VPN1) : pal(PAL_RULE));

    int lx = bx + bw + aw;
    if (root_ok)
        snprintf(buf, sizeof buf, "leaf table · frame %u", VPTE_PPN(r0));
    else
        snprintf(buf, sizeof buf, "leaf table");
    snprintf(l1, sizeof l1, "entry 0x%03x", val[1]);
    snprintf(l2, sizeof l2, "PTE 0x%08x", lf);
    walk_box(v, (SDL_Rect){ lx, by, bw, bh }, pal(PAL_VPN0), levels >= 2, buf,
             levels >= 2 ? l1 : "(not reached)", levels >= 2 ? l2 : NULL, NULL);
    if (levels >= 2) {                        /* the PTE's bits as boxes */
        const char *names = "DAGUXWRV";
        int kw = (bw - 16) / 8, kh = font_height(sm) + 1, ky = by + 8 + 3 * (font_height(sm) + 3);
        for (int i = 0; i < 8; i++) {
            uint32_t bit = 1u << (7 - i);
            SDL_Rect k = { lx + 8 + i * kw, ky, kw - 2, kh };
            char l[2] = { names[i], 0 };
            int tx = k.x + (k.w - font_width(sm, l)) / 2;
            if (lf & bit) {
                SDL_Color c = bit == VPTE_R || bit == VPTE_W || bit == VPTE_X ? pte_color(lf)
                              : bit == VPTE_V ? pal(PAL_OK) : pal(PAL_INK_DIM);
                fill(v->dst, k, c);
                font_draw(sm, v->dst, tx, k.y, ink_on(c), l);
            } else {
                outline(v->dst, k, pal(PAL_RULE), 1);
                font_draw(sm, v->dst, tx, k.y, pal(PAL_INK_FAINT), l);
            }
        }
    }
    bool leaf_ok = levels >= 2 && (lf & VPTE_V);
    arrow(v, lx + bw, lx + bw + aw, by + bh / 2, leaf_ok ? pal(PAL_VPN0) : pal(PAL_RULE));

    int fx = lx + bw + aw;
    if (leaf_ok)
        snprintf(buf, sizeof buf, "frame %u", VPTE_PPN(lf));
    else
        snprintf(buf, sizeof buf, "frame");
    if (leaf_ok)
        snprintf(l1, sizeof l1, "PA 0x%09" PRIx64, (uint64_t)VPTE_PPN(lf) << 12);
    else if (w->state == KQ_PAGE_SWAPPED)
        snprintf(l1, sizeof l1, "(none: in swap slot %u)", w->slot);
    else if (w->state == KQ_PAGE_FILE)
        snprintf(l1, sizeof l1, "(none: in the file only)");
    else
        snprintf(l1, sizeof l1, "(no frame mapped)");
    snprintf(l2, sizeof l2, "+ offset 0x%03x", val[2]);
    if (leaf_ok)
        snprintf(l3, sizeof l3, "= PA 0x%09" PRIx64, ((uint64_t)VPTE_PPN(lf) << 12) | val[2]);
    walk_box(v, (SDL_Rect){ fx, by, bw, bh }, w->cause ? pal(PAL_FAULT) : pal(PAL_OFFSET), leaf_ok,
             buf, l1, l2, leaf_ok ? l3 : NULL);
    y = by + bh + 10;

    /* the outcome, in words */
    int s = model_seg_at(m, w->va);
    char pb[4];
    if (w->cause == 0) {
        snprintf(buf, sizeof buf, "\xe2\x9c\x93 the %s is allowed: PA 0x%09" PRIx64, access_name[w->access], w->pa);
        font_draw_fit(mono, v->dst, x0, y, a.w - 24, pal(PAL_OK), buf);
    } else {
        const char *why;
        char tmp[120];
        if (s < 0) {
            why = "no segment here → SIGSEGV (SEGV_MAPERR)";
        } else if (m->seg[s].s.perms & (w->access == 0 ? 4u : w->access == 1 ? 1u : 2u)) {
            if (w->state == KQ_PAGE_SWAPPED)
                snprintf(tmp, sizeof tmp, "in swap slot %u → the kernel reads it back (a major fault)",
                         w->slot);
            else if (w->state == KQ_PAGE_FILE)
                snprintf(tmp, sizeof tmp, "dropped clean → read back from the file (a major fault)");
            else
                snprintf(tmp, sizeof tmp, "%s allows it → the kernel maps a frame on demand",
                         m->seg[s].s.name);
            why = tmp;
        } else {
            snprintf(tmp, sizeof tmp, "%s is %s → SIGSEGV (SEGV_ACCERR)", m->seg[s].s.name,
                     view_perm_str(m->seg[s].s.perms, pb));
            why = tmp;
        }
        snprintf(buf, sizeof buf, "\xe2\x9c\x97 %s page fault: %s", access_name[w->access], why);
        font_draw_fit(mono, v->dst, x0, y, a.w - 24, pal(PAL_FAULT), buf);
    }
    y += lh + 6;
    x = x0 + font_draw(sm, v->dst, x0, y, dim, "this page now:  ");
    for (int k = 0; k < 3; k++) {
        bool ok = w->allowed & (1u << k);
        snprintf(buf, sizeof buf, "%s %s   ", access_name[k], ok ? "\xe2\x9c\x93" : "\xe2\x9c\x97");
        x += font_draw(sm, v->dst, x, y, ok ? pal(PAL_OK) : pal(PAL_FAULT), buf);
    }
    if (s >= 0)
        snprintf(buf, sizeof buf, " in %s (%s)", m->seg[s].s.name, view_perm_str(m->seg[s].s.perms, pb));
    else
        snprintf(buf, sizeof buf, " outside every segment");
    font_draw_fit(sm, v->dst, x, y, a.x + a.w - x - 8, dim, buf);

    /* how to read it, while there is room */
    static const char *const how[] = {
        "VPN[1] picks one of the root table's 1024 entries (4 MiB of addresses each);",
        "VPN[0] picks one of the leaf table's 1024 PTEs (4 KiB pages); the offset is kept.",
        "Click a page, a segment or a frame to walk it; click the pc to follow the CPU.",
    };
    int hy = a.y + a.h - 6 - 3 * (font_height(sm) + 1);
    for (int i = 0; i < 3 && hy > y + lh + 4; i++, hy += font_height(sm) + 1)
        font_draw_fit(sm, v->dst, x0, hy, a.w - 24, pal(PAL_INK_FAINT), how[i]);
    SDL_SetClipRect(v->dst, NULL);
}

/* --- CPU, counters, events ---------------------------------------------------------------- */

static void draw_cpu(struct view *v)
{
    const struct model *m = &v->m;
    SDL_Rect a = v->L.cpu;
    char buf[160], n1[32];
    if (m->nthreads > 1) {
        int cur = 0;
        for (int i = 0; i < m->nthreads && i < MODEL_THREADS; i++)
            if (m->thread[i].current)
                cur = m->thread[i].tid;
        snprintf(buf, sizeof buf, "thread %d of %d · %s instructions retired", cur,
                 m->nthreads, num(m->cpu.instret, n1, sizeof n1));
    } else {
        snprintf(buf, sizeof buf, "%s instructions retired", num(m->cpu.instret, n1, sizeof n1));
    }
    int y = panel(v, a, "CPU", buf);
    int lh = font_height(v->mono), x0 = a.x + 12;
    if (v->walk_mode == WALK_PC)
        fill(v->dst, (SDL_Rect){ a.x + 4, y - 1, 3, lh + 2 }, pal(PAL_VPN1));
    int x = x0 + font_draw(v->mono, v->dst, x0, y, pal(PAL_INK_DIM), "pc ");
    snprintf(buf, sizeof buf, "0x%08x  ", m->cpu.pc);
    x += font_draw(v->mono, v->dst, x, y, pal(PAL_INK), buf);
    font_draw_fit(v->mono, v->dst, x, y, a.x + a.w - x - 8, pal(PAL_HEAD),
                  m->disasm_ok ? m->disasm : "(page not mapped yet)");
    y += lh;
    int s = model_seg_at(m, m->cpu.pc);
    if (s >= 0)
        snprintf(buf, sizeof buf, "in %s · click to walk the fetch", m->seg[s].s.name);
    else
        snprintf(buf, sizeof buf, "outside every segment");
    font_draw(v->small, v->dst, x0 + font_width(v->mono, "pc "), y + 1, pal(PAL_INK_DIM), buf);
    y += lh + 4;
    int colw = (a.w - 24) / 3;
    for (int i = 0; i < 32; i++) {
        int cx = x0 + (i / LAYOUT_REG_ROWS) * colw, cy = y + (i % LAYOUT_REG_ROWS) * lh;
        bool changed = m->cpu.x[i] != m->prev.x[i];
        font_draw(v->small, v->dst, cx, cy + 1, pal(PAL_INK_DIM), abi[i]);
        snprintf(buf, sizeof buf, "0x%08x", m->cpu.x[i]);
        font_draw(v->mono, v->dst, cx + font_width(v->small, "zero") + 4, cy,
                  changed ? pal(PAL_CHANGED) : pal(PAL_INK), buf);
        if (changed)
            fill(v->dst, (SDL_Rect){ cx - 5, cy + 3, 3, lh - 6 }, pal(PAL_CHANGED));
    }
}

static void draw_counters(struct view *v)
{
    const struct kq_counters *c = &v->m.ctr;
    SDL_Rect a = v->L.counters;
    int y = panel(v, a, "Counters", "TLB hits are not counted");
    int lh = font_height(v->mono), x0 = a.x + 12, w = a.w - 24;
    /* the left column holds the counters that grow big */
    int colx[2] = { x0, x0 + w * 55 / 100 + 8 }, colw[2] = { w * 55 / 100, w - w * 55 / 100 - 8 };
    char n1[32];
    bool aging = !strcmp(c->policy, "aging");
    /* { label, value, colour when not zero } */
    struct { const char *label; uint64_t v; enum pal hot; } cell[] = {
        { "instructions", c->instret, PAL_INK },          { "system calls", c->syscalls, PAL_INK },
        { "minor faults", c->faults_minor, PAL_INK },     { "major faults", c->faults_major, PAL_EV_SWAPIN },
        { "  zero-fill", c->faults_zero, PAL_INK },       { "  from swap", c->swapins, PAL_EV_SWAPIN },
        { "  from the file", c->faults_file, PAL_INK },   { "  file again", c->file_refaults, PAL_EV_SWAPIN },
        { "stack growth", c->faults_stack, PAL_INK },     { "SIGSEGV faults", c->faults_segv, PAL_FAULT },
        { "evictions", c->evictions, PAL_INK },           { "swap-outs", c->swapouts, PAL_EV_SWAPOUT },
        { "dropped clean", c->clean_drops, PAL_EV_DROP }, { "swap-cache hits", c->swapcache_hits, PAL_EV_DROP },
        { "A bits cleared", c->refs_cleared, PAL_INK },
        { aging ? "aging samples" : "hand moves", aging ? c->aging_ticks : c->hand_moves, PAL_INK },
        { "TLB misses", c->tlb_misses, PAL_INK },         { "TLB flushes", c->tlb_flushes, PAL_INK },
        { "page walks", c->walks, PAL_INK },              { "signals", c->signals, PAL_INK },
        { "resident pages", c->rss, PAL_INK },            { "swap in use", c->swap_used, PAL_PAGE_SWAP },
        { "frames in use", c->frames_used, PAL_INK },     { "peak in use", c->frames_peak, PAL_INK },
    };
    int n = (int)(sizeof cell / sizeof cell[0]);
    for (int i = 0; i < n; i++) {
        int k = i % 2, cx = colx[k], cy = y + (i / 2) * lh;
        num(cell[i].v, n1, sizeof n1);
        int vw = font_width(v->mono, n1);
        font_draw_fit(v->small, v->dst, cx, cy + 1, colw[k] - vw - 6, pal(PAL_INK_DIM), cell[i].label);
        font_draw(v->mono, v->dst, cx + colw[k] - vw, cy, cell[i].v ? pal(cell[i].hot) : pal(PAL_INK), n1);
    }
}

enum pal view_event_pal(const struct kq_event *e)
{
    switch (e->kind) {
    case KQ_EV_SYSCALL: return PAL_EV_SYSCALL;
    case KQ_EV_FAULT: return PAL_EV_FAULT;
    case KQ_EV_SIGNAL: return PAL_EV_SIGNAL;
    case KQ_EV_PERM: return PAL_EV_PERM;
    case KQ_EV_PAGE: break;
    default: return PAL_EV_EXIT;
    }
    /* the kernel's words (kernel/reclaim.c, kernel/vm.c) */
    if (strstr(e->text, "-> victim ")) {
        if (strstr(e->text, "-> swap slot"))
            return PAL_EV_SWAPOUT;
        if (strstr(e->text, "-> kept"))
            return PAL_EV_FAULT;
        return PAL_EV_DROP;                   /* dropped, or its swap copy still good */
    }
    if (strstr(e->text, "(major fault)"))
        return PAL_EV_SWAPIN;
    return PAL_EV_PAGE;
}

void view_event_text(const struct kq_event *e, char *out, size_t len)
{
    /* A policy's choice, "clock: frame 2 A=1 -> cleared; frame 4 A=1 ->
     * cleared; ... 22 more frames passed; frame 2 A=0 D=1 -> victim ...",
     * gets its steps counted, so the victim fits the log. */
    const char *colon = strstr(e->text, ": "), *victim = strstr(e->text, "-> victim ");
    char tmp[KQ_EVENT_TEXT + 64];
    snprintf(tmp, sizeof tmp, "%s", e->text);
    if (e->kind == KQ_EV_PAGE && colon && victim && colon < victim) {
        const char *last = colon + 2, *p;
        int cleared = 0, passed = 0, more = 0, n;
        while ((p = strstr(last, "; ")) && p < victim) {
            const char *step = last;
            if (sscanf(step, "... %d more frames passed", &n) == 1)
                more += n;
            else if (strstr(step, "-> cleared") && strstr(step, "-> cleared") < p)
                cleared++;
            else
                passed++;
            last = p + 2;
        }
        if (last != colon + 2) {
            size_t o = (size_t)snprintf(tmp, sizeof tmp, "%.*s: ", (int)(colon - e->text), e->text);
            if (cleared)
                o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%d A bits cleared, ", cleared);
            if (passed)
                o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%d passed, ", passed);
            if (more)
                o += (size_t)snprintf(tmp + o, sizeof tmp - o, "%d more passed, ", more);
            snprintf(tmp + o - 2, sizeof tmp - (o - 2), "; %s", last);
        }
    }
    arrows(tmp, out, len);
}

#define EV_LINE 400
#define EV_LINES 3

/* Split text into at most max lines of width w at spaces; returns the
 * number of lines (the last may still be cut with "…" when drawn). */
static int wrap(struct font *f, const char *text, int w, char line[][EV_LINE], int max)
{
    int n = 0;
    while (*text && n < max) {
        size_t len = strnlen(text, EV_LINE - 1), cut = len;
        if (n < max - 1 && font_width(f, text) > w) {
            cut = 0;
            for (size_t i = 1; i < len; i++) {
                if (text[i] != ' ')
                    continue;
                memcpy(line[n], text, i);
                line[n][i] = 0;
                if (font_width(f, line[n]) > w)
                    break;
                cut = i;
            }
            if (!cut)
                cut = len;
        }
        memcpy(line[n], text, cut);
        line[n][cut] = 0;
        n++;
        text += cut;
        while (*text == ' ')
            text++;
    }
    return n;
}

static void draw_events(struct view *v)
{
    const struct model *m = &v->m;
    SDL_Rect a = v->L.events;
    int y0 = panel(v, a, "Events", "the last ones, newest at the bottom");
    int lh = font_height(v->small) + 1, x0 = a.x + 12, w = a.w - 24 - 8;
    int y = a.y + a.h - 6 - lh;
    SDL_Rect clip = { a.x, y0, a.w, a.h - (y0 - a.y) };
    SDL_SetClipRect(v->dst, &clip);
    for (int i = m->nev - 1; i >= 0 && y >= y0; i--) {
        char text[EV_LINE], line[EV_LINES][EV_LINE];
        view_event_text(&m->ev[i], text, sizeof text);
        int n = wrap(v->small, text, w - 12, line, EV_LINES);
        SDL_Color c = pal(view_event_pal(&m->ev[i]));
        if (y - (n - 1) * lh < y0)
            break;
        for (int k = n - 1; k >= 1; k--) {
            font_draw_fit(v->small, v->dst, x0 + 12, y, w - 12, c, line[k]);
            y -= lh;
        }
        fill(v->dst, (SDL_Rect){ x0, y + 4, 5, 5 }, c);
        font_draw(v->small, v->dst, x0 + 8, y, c, line[0]);
        y -= lh;
    }
    SDL_SetClipRect(v->dst, NULL);
    if (!m->nev)
        font_draw(v->small, v->dst, x0, y0, pal(PAL_INK_FAINT), "(nothing yet)");
}

/* --- frames -------------------------------------------------------------------------------------- */

/* Fill the frames surface (FRAMES_PLAIN): one pixel per cell, the most
 * common use among the cell's frames (free only when all are free).
 * Redone only when the model re-read the frames or the grid changed. */
static void update_frames_surface(struct view *v)
{
    const struct layout *L = &v->L;
    const struct model *m = &v->m;
    if (v->fsurf && (v->fsurf->w != L->fcols || v->fsurf->h != L->frows)) {
        SDL_FreeSurface(v->fsurf);
        v->fsurf = NULL;
    }
    if (!v->fsurf) {
        v->fsurf = SDL_CreateRGBSurfaceWithFormat(0, L->fcols, L->frows, 32, SDL_PIXELFORMAT_ARGB8888);
        if (!v->fsurf)
            return;
        v->fsurf_gen = 0;
    }
    if (v->fsurf_gen == m->gen && v->fsurf_fper == L->fper && v->fsurf_show == L->fshow)
        return;
    Uint32 argb[PAL_COUNT];
    for (int i = 0; i < PAL_COUNT; i++) {
        SDL_Color c = pal((enum pal)i);
        argb[i] = 0xff000000u | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
    }
    SDL_LockSurface(v->fsurf);
    for (int row = 0; row < L->frows; row++) {
        Uint32 *px = (Uint32 *)((uint8_t *)v->fsurf->pixels + (size_t)row * (size_t)v->fsurf->pitch);
        for (int col = 0; col < L->fcols; col++) {
            uint64_t f0 = ((uint64_t)row * (uint64_t)L->fcols + (uint64_t)col) * L->fper;
            if (f0 >= L->fshow) {
                px[col] = argb[PAL_PANEL];
                continue;
            }
            if (L->fper == 1) {
                px[col] = argb[model_frame_color(m, (uint32_t)f0)];
                continue;
            }
            unsigned count[PAL_COUNT] = { 0 };
            uint64_t f1 = f0 + L->fper < L->fshow ? f0 + L->fper : L->fshow;
            for (uint64_t f = f0; f < f1; f++)
                count[model_frame_color(m, (uint32_t)f)]++;
            int best = PAL_EMPTY;
            for (int i = 0; i < PAL_COUNT; i++)
                if (i != PAL_EMPTY && count[i] && (best == PAL_EMPTY || count[i] > count[best]))
                    best = i;
            px[col] = argb[best];
        }
    }
    SDL_UnlockSurface(v->fsurf);
    v->fsurf_gen = m->gen;
    v->fsurf_fper = L->fper;
    v->fsurf_show = L->fshow;
}

static void draw_zoom(struct view *v, uint32_t f)
{
    const struct model *m = &v->m;
    const struct layout *L = &v->L;
    const int cols = 64, rows = 4, cs = 9;
    uint32_t first = f / cols * cols;
    first = first >= (uint32_t)cols ? first - cols : 0;
    SDL_Rect box = { v->mx - cols * cs / 2 - 6, L->frames.y - rows * cs - 30, cols * cs + 12, rows * cs + 24 };
    if (box.x < 4)
        box.x = 4;
    if (box.x + box.w > L->w - 4)
        box.x = L->w - 4 - box.w;
    fill(v->dst, box, pal(PAL_TIP));
    outline(v->dst, box, pal(PAL_RULE), 1);
    char buf[80];
    snprintf(buf, sizeof buf, "frames %u–%u", first, first + cols * rows - 1);
    font_draw(v->small, v->dst, box.x + 6, box.y + 3, pal(PAL_INK_DIM), buf);
    for (int i = 0; i < cols * rows; i++) {
        uint32_t g = first + (uint32_t)i;
        if (g >= m->nframes)
            break;
        SDL_Rect c = { box.x + 6 + (i % cols) * cs, box.y + 18 + (i / cols) * cs, cs - 1, cs - 1 };
        fill(v->dst, c, pal(model_frame_color(m, g)));
        if (g == f)
            outline(v->dst, grow(c, 1), pal(PAL_SELECT), 1);
    }
}

/* Point at frame f's cell: a ring when cells are big enough, else ticks
 * beside the grid at its row and column (a ring would hide neighbours). */
static void frame_marker(struct view *v, uint32_t f, SDL_Color c)
{
    const struct layout *L = &v->L;
    if (f >= L->fshow)
        return;
    SDL_Rect cell = layout_frame_cell(L, f);
    if (L->fpw >= 4) {
        outline(v->dst, grow(view_frame_box(L, f), 1), c, L->flevel == FRAMES_PLAIN ? 1 : 2);
        return;
    }
    int t = L->fpw < 2 ? 2 : L->fpw;
    fill(v->dst, (SDL_Rect){ cell.x + L->fpw / 2 - t / 2, L->fgrid.y - 6, t, 5 }, c);
    fill(v->dst, (SDL_Rect){ L->fgrid.x - 7, cell.y + L->fph / 2 - t / 2, 5, t }, c);
    fill(v->dst, (SDL_Rect){ cell.x + L->fpw / 2 - t / 2, L->fgrid.y + L->fgrid.h + 1, t, 5 }, c);
}

SDL_Rect view_frame_box(const struct layout *L, uint32_t f)
{
    SDL_Rect c = layout_frame_cell(L, f);
    switch (L->flevel) {
    case FRAMES_DETAIL: return (SDL_Rect){ c.x, c.y + 5, c.w - 2, c.h - 5 };
    case FRAMES_MARKS: return (SDL_Rect){ c.x, c.y, c.w - 2, c.h - 2 };
    default: return c;
    }
}

bool view_has_hand(const char *policy)
{
    return !strcmp(policy, "clock") || !strcmp(policy, "nru");
}

/* A small padlock at (x, y), 7 x 8 pixels: a pinned frame. */
static void padlock(SDL_Surface *s, int x, int y, SDL_Color c)
{
    fill(s, (SDL_Rect){ x, y + 3, 7, 5 }, c);
    fill(s, (SDL_Rect){ x + 1, y, 1, 3 }, c);
    fill(s, (SDL_Rect){ x + 5, y, 1, 3 }, c);
    fill(s, (SDL_Rect){ x + 1, y, 5, 1 }, c);
}

/* A short name for what frame f holds: its segment, "table", "free". */
static const char *frame_owner(const struct model *m, const struct kq_frame_info *fi, char *buf, size_t len)
{
    if (fi->use == KQ_FRAME_FREE)
        return "free";
    if (fi->use == KQ_FRAME_PAGETABLE)
        return "table";
    int s = model_seg_at(m, fi->vpn * VPAGE);
    if (s < 0)
        return "?";
    const char *n = m->seg[s].s.name;
    if (!strcmp(n, "[sigpage]"))
        return "sig";
    snprintf(buf, len, "%s", n);
    return buf;
}

void view_frame_parts(const struct view *v, uint32_t f, struct frame_parts *fp)
{
    const struct layout *L = &v->L;
    SDL_Rect b = view_frame_box(L, f);
    memset(fp, 0, sizeof *fp);
    fp->box = b;
    if (L->flevel == FRAMES_MARKS) {
        int dot = b.w >= 20 ? 4 : 3;
        fp->lock = b;
        fp->a = (SDL_Rect){ b.x + 1, b.y + 1, dot, dot };
        fp->d = (SDL_Rect){ b.x + b.w - 1 - dot, b.y + b.h - 1 - dot, dot, dot };
        return;
    }
    if (L->flevel != FRAMES_DETAIL)
        return;
    int lh = font_height(v->small) - 2, x = b.x + 1, y = b.y + 2 * lh;
    int cw = font_width(v->small, "A") + 4;
    fp->lock = (SDL_Rect){ b.x + b.w - 9, b.y + 3, 7, 8 };
    fp->a = (SDL_Rect){ x, y + 1, cw, lh };
    fp->d = (SDL_Rect){ x + cw + 3, y + 1, cw, lh };
    y += lh + 2;
    int bw = (b.w - 1) / 8;
    for (int i = 0; i < 8; i++)
        fp->bit[i] = (SDL_Rect){ x + i * bw, y, bw - 1, lh - 2 };
    fp->slot = (SDL_Rect){ x, y, b.w - 2, lh };
}

/* Frame f in a cell big enough for words: number, owner, A and D, and
 * aging's counter in bits (or the swap slot that still holds a copy). */
static void frame_detail(struct view *v, uint32_t f, const struct kq_frame_info *fi, bool aging)
{
    struct frame_parts fp;
    view_frame_parts(v, f, &fp);
    SDL_Rect b = fp.box;
    SDL_Color bg = pal(model_frame_color(&v->m, f)), ink = ink_on(bg);
    SDL_Color faint = pal(PAL_INK_FAINT);       /* bits that are clear */
    fill(v->dst, b, bg);
    struct font *sm = v->small;
    int lh = font_height(sm) - 2, x = b.x + 1;
    char buf[32];
    snprintf(buf, sizeof buf, "%u", f);
    font_draw_fit(sm, v->dst, x, b.y, b.w - 11, ink, buf);
    if (fi->use != KQ_FRAME_FREE && !fi->evictable)
        padlock(v->dst, fp.lock.x, fp.lock.y, ink);
    font_draw_fit(sm, v->dst, x, b.y + lh, b.w - 1, fi->use == KQ_FRAME_FREE ? faint : ink,
                  frame_owner(&v->m, fi, buf, sizeof buf));
    if (fi->use != KQ_FRAME_PAGE)
        return;
    /* A like the PTE grid's white dot, D like its black one */
    if (fi->accessed)
        fill(v->dst, fp.a, pal(PAL_MARK_A));
    font_draw(sm, v->dst, fp.a.x + 2, fp.a.y - 1, fi->accessed ? pal(PAL_BG) : faint, "A");
    if (fi->dirty)
        fill(v->dst, fp.d, pal(PAL_MARK_D));
    font_draw(sm, v->dst, fp.d.x + 2, fp.d.y - 1, fi->dirty ? pal(PAL_INK) : faint, "D");
    if (aging && fi->evictable) {           /* the counter, bit 7 on the left */
        SDL_Color off = { (Uint8)((bg.r + 255) / 2), (Uint8)((bg.g + 255) / 2), (Uint8)((bg.b + 255) / 2), 255 };
        for (int i = 0; i < 8; i++)
            fill(v->dst, fp.bit[i], fi->age & (0x80u >> i) ? pal(PAL_BG) : off);
    } else if (fi->swap_slot) {             /* swap cache: the slot still holds a copy */
        snprintf(buf, sizeof buf, "s%u", fi->swap_slot);
        int tw = font_width(sm, buf);
        if (tw + 4 > fp.slot.w)
            tw = fp.slot.w - 4;
        fill(v->dst, (SDL_Rect){ fp.slot.x, fp.slot.y, tw + 4, fp.slot.h }, pal(PAL_PAGE_SWAP));
        font_draw_fit(sm, v->dst, fp.slot.x + 2, fp.slot.y - 1, tw, pal(PAL_BG), buf);
    }
}

/* Frame f in a small cell: its colour, the PTE grid's A and D dots, and
 * a dark frame when it is pinned. */
static void frame_marks(struct view *v, uint32_t f, const struct kq_frame_info *fi)
{
    struct frame_parts fp;
    view_frame_parts(v, f, &fp);
    fill(v->dst, fp.box, pal(model_frame_color(&v->m, f)));
    if (!fi)
        return;
    if (fi->use != KQ_FRAME_FREE && !fi->evictable)
        outline(v->dst, fp.lock, pal(PAL_PIN), fp.box.w >= 20 ? 3 : 2);
    if (fi->use != KQ_FRAME_PAGE)
        return;
    if (fi->accessed)
        fill(v->dst, fp.a, pal(PAL_MARK_A));
    if (fi->dirty)
        fill(v->dst, fp.d, pal(PAL_MARK_D));
}

/* The clock hand: a ring round its frame and an arrow head above it. */
static void draw_hand(struct view *v, uint32_t f)
{
    const struct layout *L = &v->L;
    if (f >= L->fshow)
        return;
    frame_marker(v, f, pal(PAL_HAND));
    if (L->flevel == FRAMES_PLAIN)
        return;
    SDL_Rect b = view_frame_box(L, f);
    int cx = b.x + b.w / 2, top = b.y - 2;
    for (int i = 0; i < 4; i++)
        fill(v->dst, (SDL_Rect){ cx - 4 + i, top - 4 + i, 9 - 2 * i, 1 }, pal(PAL_HAND));
}

static void draw_frames(struct view *v)
{
    const struct model *m = &v->m;
    const struct layout *L = &v->L;
    char sub[200], n1[32], n2[32], sz[32];
    bool hand = view_has_hand(m->policy);
    bool aging = !strcmp(m->policy, "aging");
    int len = snprintf(sub, sizeof sub, "%s × 4 KiB = %s, %s in use · policy %s",
                       num(m->nframes, n1, sizeof n1),
                       view_size_str((uint64_t)m->nframes * VPAGE, sz, sizeof sz),
                       num(m->ctr.frames_used, n2, sizeof n2), m->policy);
    if (hand)
        snprintf(sub + len, sizeof sub - (size_t)len, ", hand at frame %u", m->hand);
    int y = panel(v, L->frames, "Physical frames", NULL);
    int x = L->frames.x + 10 + font_width(v->head, "Physical frames") + 10;
    x += font_draw(v->small, v->dst, x, L->frames.y + 6, pal(PAL_INK_DIM), sub) + 20;
    static const struct { enum pal c; const char *t; } legend[] = {
        { PAL_SEG_TEXT, "text" }, { PAL_SEG_RODATA, "rodata" }, { PAL_SEG_DATA, "data" },
        { PAL_SEG_BSS, "bss" }, { PAL_SEG_HEAP, "heap" }, { PAL_SEG_MMAP, "mmap" },
        { PAL_SEG_STACK, "stack" }, { PAL_SEG_SIGPAGE, "sig" }, { PAL_TABLE, "table" },
        { PAL_EMPTY, "free" },
    };
    int lh = font_height(v->small), ly = L->frames.y + 6, right = L->frames.x + L->frames.w - 8;
    for (size_t i = 0; i < sizeof legend / sizeof legend[0]; i++) {
        int tw = font_width(v->small, legend[i].t);
        if (x + lh + tw > right)
            break;
        swatch(v->dst, x, ly + 2, lh - 4, pal(legend[i].c));
        x += lh + font_draw(v->small, v->dst, x + lh, ly, pal(PAL_INK), legend[i].t) + 8;
    }
    int need = 14 + font_width(v->small, "pinned") + 8 + (hand ? lh + font_width(v->small, "hand") : 0);
    if (L->flevel != FRAMES_PLAIN && x + need < right) {
        x += 4;
        padlock(v->dst, x, ly + 3, pal(PAL_INK));
        x += 10 + font_draw(v->small, v->dst, x + 10, ly, pal(PAL_INK), "pinned") + 8;
        if (hand) {
            outline(v->dst, (SDL_Rect){ x, ly + 1, lh - 2, lh - 2 }, pal(PAL_HAND), 2);
            font_draw(v->small, v->dst, x + lh, ly, pal(PAL_INK), "hand");
        }
    }
    (void)y;
    if (L->flevel == FRAMES_PLAIN) {
        update_frames_surface(v);
        if (v->fsurf) {
            SDL_Rect to = L->fgrid;
            SDL_BlitScaled(v->fsurf, NULL, v->dst, &to);
        }
        if (L->fpw >= 3) {                    /* gaps between cells */
            for (int c = 1; c < L->fcols; c++)
                fill(v->dst, (SDL_Rect){ L->fgrid.x + c * L->fpw - 1, L->fgrid.y, 1, L->fgrid.h },
                     pal(PAL_PANEL));
            for (int r = 1; r < L->frows; r++)
                fill(v->dst, (SDL_Rect){ L->fgrid.x, L->fgrid.y + r * L->fph - 1, L->fgrid.w, 1 },
                     pal(PAL_PANEL));
        }
    } else {
        for (uint32_t f = 0; f < L->fshow; f++) {
            const struct kq_frame_info *fi = f < m->nfinfo ? &m->finfo[f] : NULL;
            if (L->flevel == FRAMES_DETAIL && fi)
                frame_detail(v, f, fi, aging);
            else
                frame_marks(v, f, fi);
        }
    }
    if (hand)
        draw_hand(v, m->hand);
    if (L->fshow < m->nframes) {              /* the rest, in words */
        char rest[200], n3[32];
        snprintf(rest, sizeof rest, "frames %s–%s (%s) not drawn: never used, all free",
                 num(L->fshow, n1, sizeof n1), num(m->nframes - 1, n2, sizeof n2),
                 view_size_str((uint64_t)(m->nframes - L->fshow) * VPAGE, n3, sizeof n3));
        font_draw_fit(v->small, v->dst, L->fgrid.x, L->fgrid.y + L->fgrid.h + 3,
                      L->frames.w - 20, pal(PAL_INK_DIM), rest);
    }
    /* the walked page's frame, and the hovered PTE's or frame's */
    if (m->walk.cause == 0)
        frame_marker(v, (uint32_t)(m->walk.pa >> 12), pal(PAL_OFFSET));
    if (v->mouse_in && v->hover.kind == HIT_LEAF && m->leaf_ok && (m->leaf[v->hover.index] & VPTE_V))
        frame_marker(v, VPTE_PPN(m->leaf[v->hover.index]), pal(PAL_SELECT));
    if (v->mouse_in && v->hover.kind == HIT_FRAME) {
        frame_marker(v, (uint32_t)v->hover.index, pal(PAL_SELECT));
        if (L->flevel == FRAMES_PLAIN)
            draw_zoom(v, (uint32_t)v->hover.index);
    }
}

/* --- tooltip --------------------------------------------------------------------------------------- */

static void draw_tooltip(struct view *v)
{
    char lines[VIEW_TIP_LINES][128];
    int n = view_tooltip(v, lines, VIEW_TIP_LINES);
    if (!n)
        return;
    int lh = font_height(v->small) + 2, w = 0;
    for (int i = 0; i < n; i++) {
        int lw = font_width(v->small, lines[i]);
        w = lw > w ? lw : w;
    }
    SDL_Rect box = { v->mx + 16, v->my + 18, w + 16, n * lh + 10 };
    if (box.x + box.w > v->L.w - 4)
        box.x = v->mx - 12 - box.w;
    if (box.x < 4)
        box.x = 4;
    if (box.y + box.h > v->L.h - 4)
        box.y = v->my - 12 - box.h;
    if (v->hover.kind == HIT_FRAME)           /* keep clear of the zoom */
        box.y = v->L.frames.y - 4 * 9 - 36 - box.h;
    fill(v->dst, box, pal(PAL_TIP));
    outline(v->dst, box, pal(PAL_HEAD), 1);
    for (int i = 0; i < n; i++)
        font_draw(v->small, v->dst, box.x + 8, box.y + 5 + i * lh, i ? pal(PAL_INK) : pal(PAL_HEAD), lines[i]);
}

void draw_view(struct view *v)
{
    fill(v->dst, (SDL_Rect){ 0, 0, v->L.w, v->L.h }, pal(PAL_BG));
    draw_title(v);
    draw_strip(v);
    draw_tables(v);
    draw_walk(v);
    draw_cpu(v);
    draw_counters(v);
    draw_events(v);
    draw_frames(v);
    draw_tooltip(v);
}
