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

static void draw_segment(struct view *v, const struct strip_row *r)
{
    const struct model *m = &v->m;
    const struct model_seg *ms = &m->seg[r->seg];
    const struct kq_segment *s = &ms->s;
    SDL_Color c = pal(pal_perm(s->perms)), ink = ink_on(c);
    SDL_Rect bar = r->bar;
    fill(v->dst, bar, c);
    /* the left edge: where the segment has pages in RAM (MODEL_BUCKETS
     * slices, low addresses at the bottom), in its frames' colour */
    SDL_Rect edge = { bar.x, bar.y, 8, bar.h };
    fill(v->dst, edge, pal(PAL_BG));
    for (int b = 0; b < MODEL_BUCKETS; b++) {
        if (!(ms->touched & (1ull << b)))
            continue;
        int y0 = bar.y + bar.h - (b + 1) * bar.h / MODEL_BUCKETS;
        int y1 = bar.y + bar.h - b * bar.h / MODEL_BUCKETS;
        if (y1 - y0 < 2)
            y1 = y0 + 2;
        fill(v->dst, (SDL_Rect){ edge.x + 1, y0, 6, y1 - y0 }, pal(ms->color));
    }
    int lh = font_height(v->mono);
    int tx = bar.x + 13;
    if (r->lines) {
        int ty = r->lines == 2 ? r->r.y + 3 : r->r.y + (r->r.h - lh) / 2;
        int maxw = r->lines == 2 ? bar.w - 16 : r->badge[0].x - tx - 4;
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
        snprintf(buf, sizeof buf, "%s · %u in RAM", view_size_str(s->end - s->start, sz, sizeof sz), s->resident);
        font_draw_fit(v->small, v->dst, rx, r->r.y + 4 + lh, rw, pal(PAL_INK_DIM), buf);
    }
    /* where the pc, sp and the last fault are */
    SDL_Rect used[3];
    int nused = 0;
    marker(v, r, m->cpu.pc, "pc", ink, used, &nused);
    marker(v, r, m->cpu.x[2], "sp", ink, used, &nused);
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
    fill(v->dst, (SDL_Rect){ x, y + 1, 8, lh - 2 }, pal(PAL_BG));
    fill(v->dst, (SDL_Rect){ x + 1, y + 4, 6, lh - 8 }, pal(PAL_SEG_HEAP));
    font_draw_fit(v->small, v->dst, x + 14, y, a.w - 24, pal(PAL_INK_DIM), "left edge: where pages are in RAM");
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
    for (unsigned j = 0; j < MODEL_PTES; j++) {
        uint32_t pte = m->leaf_ok ? m->leaf[j] : 0;
        SDL_Rect c = layout_pt_cell(L, true, j);
        fill(r, c, pte_color(pte));
        if ((pte & VPTE_V) && (pte & VPTE_A))
            fill(r, (SDL_Rect){ c.x + 1, c.y + 1, dot, dot }, pal(PAL_MARK_A));
        if ((pte & VPTE_V) && (pte & VPTE_D))
            fill(r, (SDL_Rect){ c.x + c.w - 1 - dot, c.y + c.h - 1 - dot, dot, dot }, pal(PAL_MARK_D));
    }
    /* the pages of the selected segment in this table */
    if (v->sel_seg >= 0 && v->sel_seg < m->nseg && v->sel_root >= 0) {
        const struct kq_segment *s = &m->seg[v->sel_seg].s;
        uint32_t base = (uint32_t)v->sel_root << 22;
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
            snprintf(tmp, sizeof tmp, "%s allows it → the kernel maps a frame on demand", m->seg[s].s.name);
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
    snprintf(buf, sizeof buf, "%s instructions retired", num(m->cpu.instret, n1, sizeof n1));
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
    int colw = (a.w - 24) / 2;
    for (int i = 0; i < 32; i++) {
        int cx = x0 + (i / 16) * colw, cy = y + (i % 16) * lh;
        bool changed = m->cpu.x[i] != m->prev.x[i];
        font_draw(v->mono, v->dst, cx, cy, pal(PAL_INK_DIM), abi[i]);
        snprintf(buf, sizeof buf, "0x%08x", m->cpu.x[i]);
        font_draw(v->mono, v->dst, cx + 5 * font_width(v->mono, "0"), cy, changed ? pal(PAL_CHANGED) : pal(PAL_INK), buf);
        if (changed)
            fill(v->dst, (SDL_Rect){ cx - 6, cy + 3, 3, lh - 6 }, pal(PAL_CHANGED));
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
    char n1[32], n2[32], n3[32], buf[128];
    struct { const char *label; uint64_t v; } cell[10] = {
        { "instructions", c->instret },          { "system calls", c->syscalls },
        { "zero-fill faults", c->faults_zero },  { "signals", c->signals },
        { "file faults", c->faults_file },       { "stack growth", c->faults_stack },
        { "TLB misses", c->tlb_misses },         { "SIGSEGV faults", c->faults_segv },
        { "page walks", c->walks },              { "TLB flushes", c->tlb_flushes },
    };
    for (int i = 0; i < 10; i++) {
        int k = i % 2, cx = colx[k], cy = y + (i / 2) * lh;
        num(cell[i].v, n1, sizeof n1);
        int vw = font_width(v->mono, n1);
        font_draw_fit(v->small, v->dst, cx, cy + 1, colw[k] - vw - 6, pal(PAL_INK_DIM), cell[i].label);
        font_draw(v->mono, v->dst, cx + colw[k] - vw, cy, cell[i].v && i == 7 ? pal(PAL_FAULT) : pal(PAL_INK), n1);
    }
    y += 5 * lh;
    int x = x0 + font_draw(v->small, v->dst, x0, y + 1, pal(PAL_INK_DIM), "frames in use  ");
    snprintf(buf, sizeof buf, "%s of %s (%s)", num(c->frames_used, n1, sizeof n1),
             num(c->frames_total, n2, sizeof n2),
             view_size_str((uint64_t)c->frames_total * VPAGE, n3, sizeof n3));
    font_draw_fit(v->mono, v->dst, x, y, x0 + w - x, pal(PAL_INK), buf);
}

static enum pal event_color(int kind)
{
    switch (kind) {
    case KQ_EV_SYSCALL: return PAL_EV_SYSCALL;
    case KQ_EV_FAULT: return PAL_EV_FAULT;
    case KQ_EV_PAGE: return PAL_EV_PAGE;
    case KQ_EV_SIGNAL: return PAL_EV_SIGNAL;
    case KQ_EV_PERM: return PAL_EV_PERM;
    default: return PAL_EV_EXIT;
    }
}

#define EV_LINE 200

/* Split text into at most 2 lines of width w at a space; returns the
 * number of lines (the second may still be cut with "…" when drawn). */
static int wrap2(struct font *f, const char *text, int w, char l1[EV_LINE], const char **l2)
{
    size_t n = strnlen(text, EV_LINE - 1), cut = 0;
    *l2 = NULL;
    if (font_width(f, text) > w) {
        for (size_t i = 1; i < n; i++) {
            if (text[i] != ' ')
                continue;
            memcpy(l1, text, i);
            l1[i] = 0;
            if (font_width(f, l1) > w)
                break;
            cut = i;
        }
    }
    if (!cut) {
        memcpy(l1, text, n);
        l1[n] = 0;
        return 1;
    }
    memcpy(l1, text, cut);
    l1[cut] = 0;
    *l2 = text + cut + 1;
    return 2;
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
        char text[EV_LINE], l1[EV_LINE];
        const char *l2;
        arrows(m->ev[i].text, text, sizeof text);
        int n = wrap2(v->small, text, w, l1, &l2);
        SDL_Color c = pal(event_color(m->ev[i].kind));
        if (n == 2) {
            if (y - lh < y0)
                break;
            font_draw_fit(v->small, v->dst, x0 + 12, y, w - 12, c, l2);
            y -= lh;
        }
        fill(v->dst, (SDL_Rect){ x0, y + 4, 5, 5 }, c);
        font_draw(v->small, v->dst, x0 + 8, y, c, l1);
        y -= lh;
    }
    SDL_SetClipRect(v->dst, NULL);
    if (!m->nev)
        font_draw(v->small, v->dst, x0, y0, pal(PAL_INK_FAINT), "(nothing yet)");
}

/* --- frames -------------------------------------------------------------------------------------- */

/* Fill the frames surface: one pixel per cell, the most common use among
 * the cell's frames (free only when all are free).  Redone only when the
 * model re-read the frames or the grid changed shape. */
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
    if (v->fsurf_gen == m->gen && v->fsurf_fper == L->fper)
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
            if (f0 >= m->nframes) {
                px[col] = argb[PAL_PANEL];
                continue;
            }
            if (L->fper == 1) {
                px[col] = argb[m->fcolor[f0]];
                continue;
            }
            unsigned count[PAL_COUNT] = { 0 };
            uint64_t f1 = f0 + L->fper < m->nframes ? f0 + L->fper : m->nframes;
            for (uint64_t f = f0; f < f1; f++)
                count[m->fcolor[f]]++;
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
        fill(v->dst, c, pal((enum pal)m->fcolor[g]));
        if (g == f)
            outline(v->dst, grow(c, 1), pal(PAL_SELECT), 1);
    }
}

/* Point at frame f's cell: a ring when cells are big enough, else ticks
 * beside the grid at its row and column (a ring would hide neighbours). */
static void frame_marker(struct view *v, uint32_t f, SDL_Color c)
{
    const struct layout *L = &v->L;
    if (f >= v->m.nframes)
        return;
    SDL_Rect cell = layout_frame_cell(L, f);
    if (L->fpitch >= 4) {
        outline(v->dst, grow(cell, 1), c, 1);
        return;
    }
    int t = L->fpitch < 2 ? 2 : L->fpitch;
    fill(v->dst, (SDL_Rect){ cell.x + L->fpitch / 2 - t / 2, L->fgrid.y - 6, t, 5 }, c);
    fill(v->dst, (SDL_Rect){ L->fgrid.x - 7, cell.y + L->fpitch / 2 - t / 2, 5, t }, c);
    fill(v->dst, (SDL_Rect){ cell.x + L->fpitch / 2 - t / 2, L->fgrid.y + L->fgrid.h + 1, t, 5 }, c);
}

static void draw_frames(struct view *v)
{
    const struct model *m = &v->m;
    const struct layout *L = &v->L;
    char sub[160], n1[32], n2[32], sz[32];
    snprintf(sub, sizeof sub, "%s × 4 KiB = %s, %s in use%s", num(m->nframes, n1, sizeof n1),
             view_size_str((uint64_t)m->nframes * VPAGE, sz, sizeof sz), num(m->ctr.frames_used, n2, sizeof n2),
             L->fper > 1 ? " (several per cell: the most common use)" : "");
    int y = panel(v, L->frames, "Physical frames", NULL);
    int x = L->frames.x + 10 + font_width(v->head, "Physical frames") + 10;
    x += font_draw(v->small, v->dst, x, L->frames.y + 6, pal(PAL_INK_DIM), sub) + 20;
    static const struct { enum pal c; const char *t; } legend[] = {
        { PAL_SEG_TEXT, "text" }, { PAL_SEG_RODATA, "rodata" }, { PAL_SEG_DATA, "data" },
        { PAL_SEG_BSS, "bss" }, { PAL_SEG_HEAP, "heap" }, { PAL_SEG_MMAP, "mmap" },
        { PAL_SEG_STACK, "stack" }, { PAL_SEG_SIGPAGE, "[sigpage]" }, { PAL_TABLE, "page table" },
        { PAL_EMPTY, "free" },
    };
    int lh = font_height(v->small);
    for (size_t i = 0; i < sizeof legend / sizeof legend[0]; i++) {
        int tw = font_width(v->small, legend[i].t);
        if (x + lh + tw > L->frames.x + L->frames.w - 8)
            break;
        swatch(v->dst, x, L->frames.y + 8, lh - 4, pal(legend[i].c));
        x += lh + font_draw(v->small, v->dst, x + lh, L->frames.y + 6, pal(PAL_INK), legend[i].t) + 12;
    }
    (void)y;
    update_frames_surface(v);
    if (v->fsurf) {
        SDL_Rect to = L->fgrid;
        SDL_BlitScaled(v->fsurf, NULL, v->dst, &to);
    }
    if (L->fpitch >= 3) {                     /* gaps between cells */
        for (int c = 1; c < L->fcols; c++)
            fill(v->dst, (SDL_Rect){ L->fgrid.x + c * L->fpitch - 1, L->fgrid.y, 1, L->fgrid.h },
                 pal(PAL_PANEL));
        for (int r = 1; r < L->frows; r++)
            fill(v->dst, (SDL_Rect){ L->fgrid.x, L->fgrid.y + r * L->fpitch - 1, L->fgrid.w, 1 },
                 pal(PAL_PANEL));
    }
    /* the walked page's frame, and the hovered PTE's or frame's */
    if (m->walk.cause == 0)
        frame_marker(v, (uint32_t)(m->walk.pa >> 12), pal(PAL_OFFSET));
    if (v->mouse_in && v->hover.kind == HIT_LEAF && m->leaf_ok && (m->leaf[v->hover.index] & VPTE_V))
        frame_marker(v, VPTE_PPN(m->leaf[v->hover.index]), pal(PAL_SELECT));
    if (v->mouse_in && v->hover.kind == HIT_FRAME) {
        frame_marker(v, (uint32_t)v->hover.index, pal(PAL_SELECT));
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
