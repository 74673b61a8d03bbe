/* view/model.h — what the view shows, read from the process through
 * kernel/query.h and kept between frames.
 *
 * Cheap state is read on every refresh: CPU, counters, events, the
 * replacement policy and its hand, the root table and the selected leaf
 * table with each of its pages' state (2 x 1024 PTE reads, 1024 page-state
 * queries), and — after the layout has said how many frames get a cell of
 * their own — the A/D bits and age of at most MODEL_LIVE_FRAMES frames.
 *
 * Segments (with where their pages are: in RAM, in swap, in the file
 * only, never touched) and each frame's owner cost time proportional to
 * the mapped pages and the frames in use, so they are re-read only when
 * something that can change them has happened: a system call, a page
 * fault, an eviction, a signal, a TLB flush (every permission change
 * flushes), a change in frames in use, or the end of the process.
 *
 * Frames: the kernel hands out the lowest never-used frame only when no
 * freed one is left, so every frame at or above the peak of frames in use
 * (kq_counters.frames_peak) has never been used.  The model reads frames
 * below that peak and no others: with --mem 4G (1,048,576 frames) a
 * refresh looks at the few frames a program used, never at the million.
 * (tests/test_view.c checks that the kernel keeps this promise.) */
#ifndef VMLAB_VIEW_MODEL_H
#define VMLAB_VIEW_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/query.h"
#include "view/palette.h"

#define MODEL_EVENTS  48          /* events kept for the log */
#define MODEL_SLICES  128         /* page-state slices per segment (the strip) */
#define MODEL_PTES    1024        /* entries per Sv32 table */
#define MODEL_LIVE_FRAMES 4096    /* frames whose bits are re-read on every refresh */
#define MODEL_STATES  4           /* KQ_PAGE_UNTOUCHED .. KQ_PAGE_FILE */

/* Sv32 PTE bits (PLATFORM.md §6.2), as the view draws them. */
#define VPTE_V (1u << 0)
#define VPTE_R (1u << 1)
#define VPTE_W (1u << 2)
#define VPTE_X (1u << 3)
#define VPTE_U (1u << 4)
#define VPTE_G (1u << 5)
#define VPTE_A (1u << 6)
#define VPTE_D (1u << 7)
#define VPTE_RSW0 (1u << 8)       /* vmlab: frame kept, access removed */
#define VPTE_PPN(pte) ((uint32_t)(pte) >> 10)
#define VPTE_IS_LEAF(pte) (((pte) & (VPTE_R | VPTE_X)) != 0)
#define VVA_VPN1(va) (((uint32_t)(va) >> 22) & 0x3ff)
#define VVA_VPN0(va) (((uint32_t)(va) >> 12) & 0x3ff)
#define VPAGE 4096u

struct model_seg {
    struct kq_segment s;
    enum pal color;               /* its frames' colour (PAL_SEG_*) */
    uint32_t pages;
    int      nslices;             /* min(pages, MODEL_SLICES); page i is in slice
                                     i * nslices / pages */
    uint16_t slice[MODEL_SLICES][MODEL_STATES]; /* pages per KQ_PAGE_* state */
};

/* One Sv32 translation, as kq_walk did it (no A/D update). */
struct model_walk {
    uint32_t va;
    int      access;              /* 0 fetch, 1 load, 2 store */
    int      cause;               /* 0, or the page-fault cause */
    int      levels;              /* PTEs read: 1 or 2 */
    uint64_t pte_addr[2];
    uint32_t pte[2];
    uint64_t pa;
    unsigned allowed;             /* bit a set: access a would translate */
    int      state;               /* KQ_PAGE_*: where the page is */
    uint32_t slot;                /* its swap slot when KQ_PAGE_SWAPPED */
};

#define MODEL_THREADS 16          /* threads the view lists */

struct model {
    struct proc *p;
    /* re-read when the counters below move (see above) */
    struct model_seg *seg;        /* in address order */
    int       nseg, segcap;
    uint64_t  key[12];            /* counters at the last re-read */
    uint64_t  gen;                /* bumped by every re-read */
    uint32_t  nframes;
    uint8_t  *fcolor;             /* enum pal per physical frame, below fseen */
    uint32_t  fseen;              /* frames read: those below frames_peak */
    uint64_t  scanned;            /* frames looked at, ever (for tests: the cost) */
    /* read on every refresh; finfo only for frames below nfinfo */
    const char *policy;           /* "clock", or "none" */
    uint32_t  hand;               /* the clock hand (a frame) */
    struct kq_frame_info *finfo;  /* MODEL_LIVE_FRAMES of them */
    uint32_t  nfinfo;
    /* read on every refresh */
    uint32_t  satp;
    uint32_t  root[MODEL_PTES];
    int       leaf_of;            /* root index of leaf[], -1: none */
    bool      leaf_ok;            /* root[leaf_of] points to a table */
    uint32_t  leaf[MODEL_PTES];
    uint8_t   leaf_state[MODEL_PTES]; /* KQ_PAGE_* of each page of the table */
    uint32_t  leaf_slot[MODEL_PTES];  /* and its swap slot */
    struct kq_cpu cpu, prev;      /* prev: before the last instructions ran */
    struct kq_thread thread[MODEL_THREADS];   /* the threads (TID order) */
    int       nthreads;           /* live threads (may exceed MODEL_THREADS) */
    bool      disasm_ok;
    char      disasm[96];
    struct kq_counters ctr;
    struct kq_state st;
    struct kq_event ev[MODEL_EVENTS];
    int       nev;
    struct model_walk walk;
};

/* Set up m for p and read everything.  Returns 0 or -ENOMEM. */
int  model_init(struct model *m, struct proc *p);
void model_free(struct model *m);

/* Read the process again; leaf_root selects the second-level table to
 * read (-1: none).  Returns true if segments and frames were re-read.
 * On -ENOMEM growing the segment array, keeps the old segments. */
bool model_refresh(struct model *m, int leaf_root);

/* Read the A/D bits, age and evictability of frames [0, n) (at most
 * MODEL_LIVE_FRAMES) into finfo; nfinfo says how many are valid. */
void model_read_live(struct model *m, uint32_t n);

/* What frame f holds (PAL_EMPTY, PAL_TABLE, PAL_SEG_*), as last re-read. */
enum pal model_frame_color(const struct model *m, uint32_t f);

/* Force the next refresh to re-read segments and frames. */
void model_invalidate(struct model *m);

/* Walk va for access into m->walk. */
void model_walk(struct model *m, uint32_t va, int access);

/* The segment containing va, or -1. */
int  model_seg_at(const struct model *m, uint32_t va);

/* The slice of segment s that holds the page at va (inside s). */
int model_slice_of(const struct model_seg *s, uint32_t va);

/* Pages in slice k of segment s. */
uint32_t model_slice_pages(const struct model_seg *s, int k);

/* Valid leaf PTEs in the table of root entry i (0 if none). */
int  model_table_fill(const struct model *m, unsigned i);

#endif
