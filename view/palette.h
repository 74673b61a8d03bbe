/* view/palette.h — every colour the view uses, in one list.
 *
 * Two families, chosen so they agree with each other:
 *  - permissions (segments in the address-space strip, leaf PTEs, badges):
 *    warm = executable (orange r-x, pink rwx: writable code is the
 *    dangerous one), green = read-only, blue = read-write, grey = none;
 *  - what a physical frame holds (the frames grid): each segment kind has
 *    its own shade of its default permission's colour (text orange, rodata
 *    green, data/bss/heap/mmap/stack blues), page-table pages light grey.
 * assets/palette.md shows the same list for the README.
 *
 * PALETTE(X) rows: X(NAME, red, green, blue, "what it means"). */
#ifndef VMLAB_VIEW_PALETTE_H
#define VMLAB_VIEW_PALETTE_H

#include <stdbool.h>

#include <SDL.h>

#define PALETTE(X)                                                           \
    X(BG,          0x16, 0x19, 0x1f, "window background")                   \
    X(PANEL,       0x1f, 0x23, 0x2b, "panel background")                    \
    X(RULE,        0x33, 0x39, 0x44, "panel borders, grid lines")           \
    X(EMPTY,       0x2a, 0x2f, 0x39, "empty page-table entry, free frame")  \
    X(INK,         0xe2, 0xe5, 0xea, "text")                                \
    X(INK_DIM,     0x8c, 0x94, 0xa0, "secondary text")                      \
    X(INK_FAINT,   0x5c, 0x63, 0x6e, "unmapped gaps, hints")                \
    X(HEAD,        0xf5, 0xc8, 0x6a, "panel titles")                        \
    X(PERM_NONE,   0x6b, 0x70, 0x7a, "--- no access (frame kept, V = 0)")   \
    X(PERM_R,      0x5f, 0xb8, 0x5f, "r-- read-only")                       \
    X(PERM_RW,     0x4a, 0x8f, 0xdb, "rw- read-write")                      \
    X(PERM_RX,     0xe8, 0x9f, 0x38, "r-x read + execute")                  \
    X(PERM_RWX,    0xe2, 0x4b, 0x93, "rwx writable code")                   \
    X(TABLE,       0xc6, 0xcb, 0xd4, "page-table page")                     \
    X(SEG_TEXT,    0xe8, 0x9f, 0x38, "text")                                \
    X(SEG_SIGPAGE, 0xb5, 0x73, 0x2a, "[sigpage]")                           \
    X(SEG_RODATA,  0x5f, 0xb8, 0x5f, "rodata")                              \
    X(SEG_DATA,    0x4a, 0x8f, 0xdb, "data")                                \
    X(SEG_BSS,     0x6c, 0x74, 0xe0, "bss")                                 \
    X(SEG_HEAP,    0x2f, 0xb5, 0xc6, "heap")                                \
    X(SEG_MMAP,    0x92, 0x7c, 0xe6, "mmap areas")                          \
    X(SEG_STACK,   0x8f, 0xc4, 0xf5, "stack")                               \
    X(SEG_OTHER,   0xa0, 0xa0, 0xa0, "a page outside any segment")          \
    X(PAGE_SWAP,   0xf2, 0xc2, 0x30, "page in swap (its slot in the PTE)")  \
    X(PAGE_FILE,   0xa0, 0x8a, 0x6a, "page dropped clean: in the file only") \
    X(PAGE_NEW,    0x3a, 0x40, 0x4c, "page of a segment, never touched")    \
    X(HAND,        0xff, 0x5a, 0xd2, "the clock hand")                      \
    X(PIN,         0x0b, 0x0c, 0x10, "pinned frame: never evicted")         \
    X(MARK_A,      0xff, 0xff, 0xff, "A: accessed (dot, top left)")         \
    X(MARK_D,      0x0b, 0x0c, 0x10, "D: dirty (dot, bottom right)")        \
    X(SELECT,      0xff, 0xff, 0xff, "selected table, segment or page")     \
    X(FAULT,       0xff, 0x3b, 0x30, "the last fault")                      \
    X(VPN1,        0xf2, 0xd0, 0x4c, "VPN[1]: index into the root table")   \
    X(VPN0,        0x4c, 0xd6, 0xa8, "VPN[0]: index into the leaf table")   \
    X(OFFSET,      0xc2, 0x9a, 0xf0, "offset within the page")              \
    X(CHANGED,     0xff, 0xd8, 0x4a, "register changed by the last step")   \
    X(OK,          0x6c, 0xd0, 0x6c, "allowed, exited normally")            \
    X(BANNER_BAD,  0x8e, 0x1c, 0x1c, "the process died: banner")            \
    X(BANNER_OK,   0x1f, 0x5a, 0x2e, "the process exited: banner")          \
    X(TIP,         0x0f, 0x11, 0x16, "tooltip background")                  \
    X(EV_SYSCALL,  0x8c, 0x94, 0xa0, "event: system call")                  \
    X(EV_FAULT,    0xff, 0x6a, 0x5e, "event: fault")                        \
    X(EV_PAGE,     0x6c, 0xd0, 0x6c, "event: page mapped (minor fault)")    \
    X(EV_SWAPIN,   0x67, 0xd4, 0xf5, "event: page read back (major fault)") \
    X(EV_SWAPOUT,  0xf2, 0xc2, 0x30, "event: victim written to swap")       \
    X(EV_DROP,     0xc9, 0xb2, 0x8c, "event: victim dropped, nothing written") \
    X(EV_SIGNAL,   0xe2, 0x7b, 0xe0, "event: signal delivered")             \
    X(EV_PERM,     0xff, 0xd8, 0x4a, "event: permission change")           \
    X(EV_EXIT,     0xff, 0xff, 0xff, "event: exit")

enum pal {
#define X(name, r, g, b, what) PAL_##name,
    PALETTE(X)
#undef X
    PAL_COUNT
};

/* The colour of palette entry i (opaque). */
static inline SDL_Color pal(enum pal i)
{
    switch (i) {
#define X(name, r, g, b, what) case PAL_##name: return (SDL_Color){ r, g, b, 255 };
    PALETTE(X)
#undef X
    default: return (SDL_Color){ 255, 0, 255, 255 };
    }
}

/* The permission colour of a segment's perms (1 r, 2 w, 4 x) or a PTE's
 * R/W/X bits mapped the same way.  W without R cannot be mapped in Sv32
 * (reserved) and Linux makes PROT_WRITE imply read: drawn as rw-. */
static inline enum pal pal_perm(unsigned perms)
{
    bool w = perms & 2, x = perms & 4;
    if (w && x) return PAL_PERM_RWX;
    if (x) return PAL_PERM_RX;
    if (w) return PAL_PERM_RW;
    if (perms & 1) return PAL_PERM_R;
    return PAL_PERM_NONE;
}

#endif
