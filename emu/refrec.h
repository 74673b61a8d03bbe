/* emu/refrec.h — recording a program's page reference string from the
 * hart: every instruction fetch, load and store, in program order, as the
 * pages they touch.
 *
 * The string is defined by the instructions that retire (and by the data
 * accesses that complete): for each instruction, the page of its first
 * byte (and of its last, if it straddles two pages) is fetched, then its
 * data access touches the page(s) of its operand.  Consecutive references
 * to one page collapse into one (a store among them marks it written),
 * which changes no miss count.  A load from page D by an instruction on
 * code page C therefore gives "C D C": the next instruction is fetched
 * from C again.  A data access that faults is not a reference (the
 * instruction is restarted and references again); neither are the
 * kernel's own copies to and from user memory (system call buffers,
 * signal frames) — only the program's instructions, as valgrind's lackey
 * counts them.  With fetches off (--data-only) only loads and stores are
 * recorded.
 *
 * Both engines record the same string: the interpreter (emu/cpu.c) with
 * recording variants of its memory handlers and a note at every page
 * change; the block translator (emu/jit.c) by translating blocks with the
 * recording inline.  Neither changes anything when not recording.
 *
 * Speed.  A loop on code page C touching stack page S records C S C S ...:
 * a reference per data access.  Most of them repeat the reference two or
 * four back (C S C S; C A C B C A C B with two arrays): translated code
 * extends such a run with a few instructions on the recorder's "hot"
 * fields below; a reference that does not repeat is appended to a small
 * raw buffer, also inline, and only a full buffer, a page change of the
 * code or an unusual access calls into refrec.c, which turns it all into
 * tokens — a reference, or a run of N references each repeating the one P
 * back — for the sink.  No call, no allocation on the way: recording keeps
 * the memory accesses of the program overlapping as they do without it,
 * and memory stays small however long the program runs.
 *
 * A reference is a key: the page's virtual address, with REFREC_W set if
 * the page was written by it.
 */
#ifndef VMLAB_EMU_REFREC_H
#define VMLAB_EMU_REFREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmu/sv32.h"

#define REFREC_W     1u          /* in a key: the reference wrote the page */
#define REFREC_NONE  2u          /* no key (no page address has bit 1 set) */
#define REFREC_HIST  4           /* references remembered: the longest period */

/* One token of the recorded string. */
enum refrec_kind {
    REFREC_REF,                  /* the reference key */
    REFREC_PAIR,                 /* key, then the reference before it again (the
                                  * code page, after a data access) */
    REFREC_RUN,                  /* count references, each the one `period` back */
};
struct refrec_token {
    uint8_t  kind;               /* enum refrec_kind */
    uint8_t  period;             /* REFREC_RUN: 2 .. REFREC_HIST */
    uint32_t key;                /* REFREC_REF, REFREC_PAIR */
    uint64_t count;              /* REFREC_RUN */
};

/* Where tokens go: called with a full buffer and at refrec_finish.
 * Returns 0, or -errno to stop recording (refrec_finish returns it). */
typedef int (*refrec_sink)(void *ctx, const struct refrec_token *t, size_t n);

#define REFREC_TOKENS 4096
#define REFREC_RAW    4096       /* raw entries between drains */
/* A raw entry: a data key (low word) and the page fetched right after it,
 * or REFREC_NONE (high word); or, with REFREC_RAW_RUN set, a run of
 * (entry >> 2) references (period 4 with fetches, else 2). */
#define REFREC_RAW_RUN 2u

struct refrec {
    /* hot: read and written by translated code (emu/jit.c) at fixed offsets */
    uint32_t last;               /* key of the latest reference */
    uint32_t m1, m2;             /* the key that extends the run now, and the
                                  * one after it (see refrec.c) */
    uint32_t pad;
    uint64_t count;              /* references counted by runs, ever (translated
                                  * code keeps it in r15 while it runs) */
    uint64_t mark;               /* count when the run now going on began */
    uint64_t *raw, *raw_end;     /* next free raw entry; drain at raw_end */
    /* the rest is refrec.c's */
    bool     fetches;            /* instruction fetches are references */
    uint32_t hist[REFREC_HIST];  /* the last keys, [0] newest, as of the last drain */
    struct refrec_token pend;    /* the last token, still open to change */
    bool     have_pend;
    struct refrec_token buf[REFREC_TOKENS];
    size_t   nbuf;
    uint64_t rawbuf[REFREC_RAW];
    refrec_sink sink;
    void    *sink_ctx;
    int      error;              /* first sink error */
    uint64_t refs;               /* references in the tokens made so far */
    uint64_t calls;              /* calls into refrec.c (statistics) */
};

/* Start recording into sink (fetches: instruction fetches are
 * references too). */
void refrec_init(struct refrec *r, bool fetches, refrec_sink sink, void *ctx);

/* Hand out everything still held.  Returns 0 or the first sink error.
 * Further references are not allowed. */
int refrec_finish(struct refrec *r);

/* After refrec_finish: the references recorded. */
uint64_t refrec_count(const struct refrec *r);

/* An instruction was fetched from page (page-aligned): out of line. */
void refrec_fetch(struct refrec *r, uint32_t page);

/* A data access of size bytes at va completed (store: it wrote); then is
 * the page of the next instruction when it is known to run from the same
 * code page right after (so its fetch is recorded now), else REFREC_NONE.
 * Out of line; the inline forms below take the common cases. */
void refrec_data(struct refrec *r, uint32_t va, uint32_t size, bool store, uint32_t then);

/* A page-aligned data key (then as above): what translated code calls
 * for the last access of a block. */
void refrec_key(struct refrec *r, uint32_t key, uint32_t then);

/* Turn the raw buffer into tokens: translated code calls it when the
 * buffer is full. */
void refrec_drain(struct refrec *r);

static inline void refrec_fetch_fast(struct refrec *r, uint32_t page)
{
    if (r->fetches && r->last != page)
        refrec_fetch(r, page);
}

/* key did not extend the run: into the raw buffer, after the run so far. */
static inline void refrec_raw(struct refrec *r, uint32_t key, uint32_t then)
{
    if (r->count != r->mark) {
        *r->raw++ = (r->count - r->mark) << 2 | REFREC_RAW_RUN;
        r->mark = r->count;
    }
    *r->raw++ = key | (uint64_t)then << 32;
    if (r->raw >= r->raw_end)
        refrec_drain(r);
}

/* The interpreter's form of what translated code does inline: a data
 * access (as refrec_data) whose next instruction runs from page then. */
static inline void refrec_data_fast(struct refrec *r, uint32_t va, uint32_t size, bool store,
                                    uint32_t then)
{
    uint32_t page = PAGE_DOWN(va);
    uint32_t key = page | (store ? REFREC_W : 0);
    if (PAGE_DOWN(va + size - 1) != page) {
        refrec_data(r, va, size, store, then);    /* it crosses into the next page */
        return;
    }
    bool run = key == r->m1;
    if (r->fetches) {
        if (then == REFREC_NONE || r->last != then) {
            refrec_data(r, va, size, store, then);
            return;
        }
        if (page == then) {                       /* the code page itself: */
            if (store)
                refrec_data(r, va, size, store, then);   /* it is written now */
            return;                               /* a load adds nothing */
        }
        r->m1 = r->m2;
        r->m2 = key;
        if (run)
            r->count += 2;                        /* key, then: the run goes on */
        else
            refrec_raw(r, key, then);
    } else {
        if (store ? key == r->last : page == (r->last & ~REFREC_W))
            return;                               /* the same page again */
        r->m1 = r->m2;
        r->m2 = key;
        r->last = key;
        if (run)
            r->count += 1;
        else
            refrec_raw(r, key, REFREC_NONE);
    }
}

#endif
