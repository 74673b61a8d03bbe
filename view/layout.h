/* view/layout.h — where each panel and each cell of the view goes, for a
 * window of a given size, and what lies under a point (for clicks and
 * tooltips).  Pure geometry: no drawing, no process.
 *
 *   +--------------------------------------------------------------------+
 *   | title: program, run state, speed, keys        (or the death banner)|
 *   +-----------+---------------------------------+----------------------+
 *   | address   | root table      leaf table      | CPU: pc, insn, regs  |
 *   | space     | 32 x 32         32 x 32         |----------------------|
 *   | strip     |                                 | counters             |
 *   | (high     |---------------------------------|----------------------|
 *   |  at top)  | walk: VA split, root PTE, leaf  | event log            |
 *   | legend    | PTE, frame                      |                      |
 *   +-----------+---------------------------------+----------------------+
 *   | physical frames, one cell each (or several per cell when many)     |
 *   +--------------------------------------------------------------------+
 */
#ifndef VMLAB_VIEW_LAYOUT_H
#define VMLAB_VIEW_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL.h>

#include "view/model.h"

/* One row of the address-space strip: a segment or a collapsed gap. */
struct strip_row {
    SDL_Rect r;                   /* the whole row */
    SDL_Rect bar;                 /* the coloured block */
    SDL_Rect badge[3];            /* R, W, X; w = 0 when not drawn */
    int      seg;                 /* segment index, -1 for a gap */
    uint64_t lo, hi;              /* [lo, hi) virtual addresses */
    int      lines;               /* text lines that fit: 0, 1 or 2 */
};

/* What a frame's cell can show at its size. */
enum frames_level {
    FRAMES_PLAIN,                 /* colour only (cells under FRAMES_MARKS_MIN) */
    FRAMES_MARKS,                 /* + A/D dots, pinned frames framed, the hand */
    FRAMES_DETAIL,                /* + number, owner, A and D, age or swap slot */
};
#define LAYOUT_EDGE_W        12   /* a segment's page-state edge in the strip */
#define LAYOUT_REG_ROWS      11   /* the CPU pane: 32 registers in 3 columns */
#define LAYOUT_COUNTER_LINES 12   /* the counters pane: 12 pairs */
#define FRAMES_MARKS_MIN 12       /* px */
#define FRAMES_DETAIL_W  39       /* px; the height is 4 text lines */

struct layout {
    int w, h;
    int lh;                       /* line height of the body font */
    SDL_Rect title;
    SDL_Rect strip, legend;       /* left column */
    SDL_Rect pt, root, leaf, walk;/* middle column; root/leaf are the grids */
    int      cell;                /* page-table grid pitch */
    SDL_Rect cpu, counters, events;/* right column */
    SDL_Rect pc_line;             /* click: the walk follows the pc */
    SDL_Rect frames, fgrid;       /* bottom; fgrid is the cell area */
    int      fcols, frows;        /* frames grid: columns, rows */
    int      fpw, fph;            /* cell pitch, across and down */
    uint32_t fper;                /* frames per cell (1 unless thousands are in use) */
    uint32_t fshow;               /* frames [0, fshow) have cells */
    enum frames_level flevel;
    struct strip_row *rows;
    int      nrows, rowcap;
    int      hidden;              /* segments that did not fit the strip */
};

enum hit_kind { HIT_NONE, HIT_SEG, HIT_BADGE, HIT_GAP, HIT_ROOT, HIT_LEAF, HIT_FRAME,
                HIT_PC, HIT_EVENTS };

struct hit {
    enum hit_kind kind;
    int index;                    /* segment, PTE index, frame; row for gaps */
    int bit;                      /* HIT_BADGE: 0 R, 1 W, 2 X */
};

/* Place everything for a w x h window, body line height lh, and the
 * segments of m.  Returns 0 or -ENOMEM (rows not grown; the strip then
 * shows fewer rows). */
int  layout_compute(struct layout *L, const struct model *m, int w, int h, int lh);
void layout_free(struct layout *L);

/* What is at (x, y). */
struct hit layout_hit(const struct layout *L, const struct model *m, int x, int y);

/* The rectangle of root (or leaf) grid cell i, and of frame f's cell. */
SDL_Rect layout_pt_cell(const struct layout *L, bool leaf, unsigned i);
SDL_Rect layout_frame_cell(const struct layout *L, uint32_t f);

/* The strip row showing segment s, or NULL. */
const struct strip_row *layout_seg_row(const struct layout *L, int s);

#endif
