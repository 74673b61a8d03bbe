/* view/layout.c — see layout.h. */
#include "view/layout.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

#define PAD 8

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static bool inside(SDL_Rect r, int x, int y)
{
    return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/* The frames grid (see layout.h): the frames that matter, in the
 * largest cells that fit gw x maxh.  lh: line height of the body font. */
static void place_frames(struct layout *L, const struct model *m, int gw, int maxh, int lh)
{
    static const int square[] = { 24, 16, FRAMES_MARKS_MIN, 8, 6, 4, 3, 2, 1 };
    uint32_t all = m->nframes ? m->nframes : 1;
    uint32_t peak = m->ctr.frames_peak ? m->ctr.frames_peak : 1;
    int dh = 4 * (lh - 2) + 6;
    /* every frame, if all fit with their marks; else those below the peak */
    for (int pass = 0; pass < 2; pass++) {
        uint32_t want = pass == 0 ? all : peak < all ? peak : all;
        for (int i = -1; i < (int)(sizeof square / sizeof square[0]); i++) {
            int pw = i < 0 ? FRAMES_DETAIL_W : square[i], ph = i < 0 ? dh : square[i];
            if (pass == 0 && pw < FRAMES_MARKS_MIN)
                break;
            uint32_t cols = (uint32_t)(gw / pw);
            uint32_t rows = (want + cols - 1) / cols;
            if ((uint64_t)rows * (uint64_t)ph > (uint64_t)maxh)
                continue;
            L->fpw = pw;
            L->fph = ph;
            L->flevel = i < 0 ? FRAMES_DETAIL : pw >= FRAMES_MARKS_MIN ? FRAMES_MARKS : FRAMES_PLAIN;
            L->fper = 1;
            /* to the end of the last row: free cells to fill, a stable shape */
            uint64_t fill = (uint64_t)rows * cols;
            L->fshow = fill < all ? (uint32_t)fill : all;
            L->fcols = (int)(rows == 1 ? L->fshow : cols);
            L->frows = (int)rows;
            return;
        }
    }
    /* hundreds of thousands in use: several frames per 1-pixel cell */
    uint32_t want = peak < all ? peak : all;
    uint64_t cols = (uint64_t)gw, cells = cols * (uint64_t)maxh;
    L->fpw = L->fph = 1;
    L->flevel = FRAMES_PLAIN;
    L->fper = (uint32_t)(((uint64_t)want + cells - 1) / cells);
    L->fshow = want;
    uint64_t used = ((uint64_t)want + L->fper - 1) / L->fper;
    L->frows = (int)((used + cols - 1) / cols);
    L->fcols = (int)(L->frows == 1 ? used : cols);
}

static struct strip_row *add_row(struct layout *L)
{
    if (L->nrows == L->rowcap) {
        int cap = L->rowcap ? 2 * L->rowcap : 32;
        struct strip_row *r = realloc(L->rows, (size_t)cap * sizeof *r);
        if (!r)
            return NULL;
        L->rows = r;
        L->rowcap = cap;
    }
    struct strip_row *r = &L->rows[L->nrows++];
    *r = (struct strip_row){ .seg = -1 };
    return r;
}

/* Rows of the strip, high addresses first: segments, with every unmapped
 * range between them collapsed to a short gap row, so each segment gets
 * room whatever its size.  Spare height goes to big segments first
 * (weight log2 of their pages), then to the gaps. */
static int place_strip(struct layout *L, const struct model *m, SDL_Rect area)
{
    int S = m->nseg, G = 0;
    uint64_t prev_end = 0;
    for (int i = 0; i < S; i++) {
        G += m->seg[i].s.start > prev_end;
        prev_end = m->seg[i].s.end;
    }
    G += prev_end < (1ull << 32);
    int lh = L->lh, A = area.h;
    int sh = 2 * lh + 8, gh = lh + 4;
    double extra_seg = 0, wsum = 0;
    int extra_gap = 0;
    if (S * sh + G * gh <= A) {
        int spare = A - S * sh - G * gh;
        for (int i = 0; i < S; i++)
            wsum += log2((double)(m->seg[i].s.end - m->seg[i].s.start) / VPAGE + 1);
        extra_seg = wsum > 0 ? spare * 0.75 / wsum : 0;
        double used = 0;
        for (int i = 0; i < S; i++) {
            double e = extra_seg * log2((double)(m->seg[i].s.end - m->seg[i].s.start) / VPAGE + 1);
            used += e > 3 * sh ? 3 * sh : e;
        }
        extra_gap = G ? clampi((int)((spare - used) / G), 0, 3 * gh) : 0;
    } else {
        gh = G * 6 < A / 4 ? 6 : 2;
        sh = S ? (A - G * gh) / S : 0;
        if (sh < 2)
            sh = 2;
    }
    int y = area.y, bottom = area.y + area.h;
    L->hidden = 0;
    for (int k = S; k >= 0; k--) {
        /* the gap above segment k (k == S: above the last one) */
        uint64_t lo = k > 0 ? m->seg[k - 1].s.end : 0;
        uint64_t hi = k < S ? m->seg[k].s.start : 1ull << 32;
        if (hi > lo) {
            int h = gh + extra_gap;
            if (y + h <= bottom) {
                struct strip_row *r = add_row(L);
                if (!r)
                    return -ENOMEM;
                r->r = (SDL_Rect){ area.x, y, area.w, h };
                r->lo = lo;
                r->hi = hi;
                r->lines = h >= lh ? 1 : 0;
            }
            y += h;
        }
        if (k == 0)
            break;
        const struct model_seg *s = &m->seg[k - 1];
        int h = sh;
        if (extra_seg > 0) {
            double e = extra_seg * log2((double)(s->s.end - s->s.start) / VPAGE + 1);
            h += e > 3 * sh ? 3 * sh : (int)e;
        }
        if (y + h > bottom) {
            L->hidden++;
            continue;
        }
        struct strip_row *r = add_row(L);
        if (!r)
            return -ENOMEM;
        r->r = (SDL_Rect){ area.x, y, area.w, h };
        r->seg = k - 1;
        r->lo = s->s.start;
        r->hi = s->s.end;
        r->lines = h >= 2 * lh + 6 ? 2 : h >= lh + 2 ? 1 : 0;
        int barw = clampi(area.w * 40 / 100, 80, 150);
        r->bar = (SDL_Rect){ area.x, y + 1, barw, h - 2 };
        int bw = lh + 4, bh = lh + 1;
        for (int b = 0; b < 3 && r->lines; b++) {
            if (r->lines == 2)
                r->badge[b] = (SDL_Rect){ r->bar.x + LAYOUT_EDGE_W + 4 + b * (bw + 3), y + 4 + lh + 1, bw, bh };
            else
                r->badge[b] = (SDL_Rect){ r->bar.x + barw - 3 - (3 - b) * (bw + 2),
                                          y + (h - bh) / 2, bw, bh };
        }
        y += h;
    }
    return 0;
}

int layout_compute(struct layout *L, const struct model *m, int w, int h, int lh)
{
    L->w = w;
    L->h = h;
    L->lh = lh;
    L->nrows = 0;
    L->title = (SDL_Rect){ 0, 0, w, lh + 14 };

    /* bottom: frames */
    int gw = w - 2 * PAD - 12;
    place_frames(L, m, gw, clampi(h * 18 / 100, 24, 300), lh);
    int fh = lh + 16 + L->frows * L->fph + PAD + 4 + (L->fshow < m->nframes ? lh + 2 : 0);
    L->frames = (SDL_Rect){ PAD, h - PAD - fh, w - 2 * PAD, fh };
    L->fgrid = (SDL_Rect){ L->frames.x + 6, L->frames.y + lh + 16,
                           L->fcols * L->fpw, L->frows * L->fph };

    /* columns */
    int my = L->title.h + PAD, mh = L->frames.y - PAD - my;
    int lw = clampi(w * 288 / 1280, 230, 400);
    int rw = clampi(w * 360 / 1280, 300, 520);
    int mx = PAD + lw + PAD, rx = w - PAD - rw;
    int mw = rx - PAD - mx;

    /* left: strip and legend */
    int legend_h = 5 * lh + 8;
    L->strip = (SDL_Rect){ PAD, my, lw, mh - legend_h - PAD };
    L->legend = (SDL_Rect){ PAD, my + mh - legend_h, lw, legend_h };

    /* middle: the two grids side by side, the walk below */
    int cell = (mw - 3 * PAD) / 64;
    int by_h = (mh * 60 / 100 - 4 * lh - 20) / 32;
    if (by_h < cell)
        cell = by_h;
    L->cell = cell = clampi(cell, 4, 24);
    int gx = mx + (mw - 64 * cell - PAD) / 2;
    L->pt = (SDL_Rect){ mx, my, mw, 4 * lh + 20 + 32 * cell };     /* two legend lines */
    L->root = (SDL_Rect){ gx, my + 2 * lh + 12, 32 * cell, 32 * cell };
    L->leaf = (SDL_Rect){ gx + 32 * cell + PAD, L->root.y, 32 * cell, 32 * cell };
    L->walk = (SDL_Rect){ mx, L->pt.y + L->pt.h + PAD, mw, my + mh - (L->pt.y + L->pt.h + PAD) };

    /* right: CPU, counters, events */
    int cpu_h = lh + 10 + 2 * lh + 4 + LAYOUT_REG_ROWS * lh + 8;
    L->cpu = (SDL_Rect){ rx, my, rw, cpu_h };
    L->pc_line = (SDL_Rect){ rx, my + lh + 8, rw, 2 * lh };
    int ctr_h = lh + 10 + LAYOUT_COUNTER_LINES * lh + 6;
    L->counters = (SDL_Rect){ rx, my + cpu_h + PAD, rw, ctr_h };
    int ey = L->counters.y + ctr_h + PAD;
    L->events = (SDL_Rect){ rx, ey, rw, my + mh - ey };

    SDL_Rect area = { L->strip.x + 6, L->strip.y + lh + 10, L->strip.w - 12,
                      L->strip.h - lh - 16 };
    return place_strip(L, m, area);
}

void layout_free(struct layout *L)
{
    free(L->rows);
    L->rows = NULL;
    L->nrows = L->rowcap = 0;
}

SDL_Rect layout_pt_cell(const struct layout *L, bool leaf, unsigned i)
{
    SDL_Rect g = leaf ? L->leaf : L->root;
    return (SDL_Rect){ g.x + (int)(i % 32) * L->cell, g.y + (int)(i / 32) * L->cell,
                       L->cell - 1, L->cell - 1 };
}

SDL_Rect layout_frame_cell(const struct layout *L, uint32_t f)
{
    uint32_t c = f / L->fper;
    int col = (int)(c % (uint32_t)L->fcols), row = (int)(c / (uint32_t)L->fcols);
    return (SDL_Rect){ L->fgrid.x + col * L->fpw, L->fgrid.y + row * L->fph, L->fpw, L->fph };
}

const struct strip_row *layout_seg_row(const struct layout *L, int s)
{
    for (int i = 0; i < L->nrows; i++)
        if (L->rows[i].seg == s)
            return &L->rows[i];
    return NULL;
}

struct hit layout_hit(const struct layout *L, const struct model *m, int x, int y)
{
    struct hit h = { HIT_NONE, -1, -1 };
    for (int i = 0; i < L->nrows; i++) {
        const struct strip_row *r = &L->rows[i];
        if (!inside(r->r, x, y))
            continue;
        if (r->seg < 0) {
            h.kind = HIT_GAP;
            h.index = i;
            return h;
        }
        h.index = r->seg;
        for (int b = 0; b < 3; b++)
            if (r->badge[b].w && inside(r->badge[b], x, y)) {
                h.kind = HIT_BADGE;
                h.bit = b;
                return h;
            }
        h.kind = HIT_SEG;
        return h;
    }
    for (int leaf = 0; leaf < 2; leaf++) {
        SDL_Rect g = leaf ? L->leaf : L->root;
        if (inside(g, x, y)) {
            h.kind = leaf ? HIT_LEAF : HIT_ROOT;
            h.index = (y - g.y) / L->cell * 32 + (x - g.x) / L->cell;
            return h;
        }
    }
    if (inside(L->fgrid, x, y)) {
        uint64_t c = (uint64_t)((y - L->fgrid.y) / L->fph) * (uint64_t)L->fcols +
                     (uint64_t)((x - L->fgrid.x) / L->fpw);
        uint64_t f = c * L->fper;
        if (f < L->fshow && f < m->nframes) {
            h.kind = HIT_FRAME;
            h.index = (int)f;
        }
        return h;
    }
    if (inside(L->pc_line, x, y))
        h.kind = HIT_PC;
    else if (inside(L->events, x, y))
        h.kind = HIT_EVENTS;
    return h;
}
