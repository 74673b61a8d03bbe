/* emu/refrec.c — the recorder's slow paths (see refrec.h).
 *
 * State: hist holds the last REFREC_HIST references (newest first) as of
 * the last drain; since then the inline code (emu/jit.c, or
 * refrec_data_fast) may have appended raw entries and counted references
 * of a run (count - mark).  drain() folds both in, as cheaply as it can:
 * a raw pair becomes one REFREC_PAIR token, a run one REFREC_RUN.  The
 * newest token (pend) is held back, so that a store merging into the
 * latest reference can still mark it written.
 *
 * The inline step, for a data key D (with fetches, the pair "D, then the
 * code page C again"; C is the latest reference):
 *     run = D == m1;  m1 = m2;  m2 = D;  run ? count += 2 : raw append
 * It relies on these hints:
 *   with fetches, m2 == hist[1], and m1 == hist[3] if hist[2] == hist[0],
 *   else REFREC_NONE (which no key equals); both REFREC_NONE while the
 *   latest reference is written (a store into the code page: only the
 *   slow path makes one).  Then D == m1 means the pair repeats the
 *   references four back (C A C B C A ...; C S C S is the case A == B),
 *   and after any pair the hints hold again: the history is C D C h1 ...
 *   with m1 = old m2 = h1 and m2 = D.  A block on another code page first
 *   calls refrec_fetch, which drains and sets the hints afresh;
 *   without fetches, m1 == hist[1] and m2 == hist[0]: D == m1 repeats the
 *   reference two back (A B A B), and the swap keeps that true.  (A store
 *   into the page of the latest, unwritten, reference goes through the
 *   swap too; the hints are then off by a written bit for one step, which
 *   can only make the next key miss the run, never join one wrongly: its
 *   page differs from the one m1 names.)
 */
#include "emu/refrec.h"

#include <string.h>

void refrec_init(struct refrec *r, bool fetches, refrec_sink sink, void *ctx)
{
    memset(r, 0, sizeof *r);
    r->fetches = fetches;
    r->sink = sink;
    r->sink_ctx = ctx;
    r->last = r->m1 = r->m2 = REFREC_NONE;
    r->raw = r->rawbuf;
    r->raw_end = r->rawbuf + REFREC_RAW - 2;     /* an append adds at most two */
    for (int i = 0; i < REFREC_HIST; i++)
        r->hist[i] = REFREC_NONE;
}

static void emit(struct refrec *r, const struct refrec_token *t)
{
    r->buf[r->nbuf++] = *t;
    if (r->nbuf == REFREC_TOKENS) {
        if (!r->error)
            r->error = r->sink(r->sink_ctx, r->buf, r->nbuf);
        r->nbuf = 0;
    }
}

/* The held-back token becomes t (the previous one goes out). */
static void pend(struct refrec *r, struct refrec_token t)
{
    if (r->have_pend)
        emit(r, &r->pend);
    r->pend = t;
    r->have_pend = true;
}

static void pend_run(struct refrec *r, uint32_t period, uint64_t n)
{
    if (r->have_pend && r->pend.kind == REFREC_RUN && r->pend.period == period)
        r->pend.count += n;
    else
        pend(r, (struct refrec_token){ .kind = REFREC_RUN, .period = (uint8_t)period, .count = n });
}

static void hist_push(struct refrec *r, uint32_t key)
{
    for (int i = REFREC_HIST - 1; i > 0; i--)
        r->hist[i] = r->hist[i - 1];
    r->hist[0] = key;
}

/* The history after n more references of a run of period p (p <=
 * REFREC_HIST): reference j of the run (j >= 0) is the one p back, so it
 * equals old[p - 1 - j % p]; those before it are the old history. */
static void hist_advance(struct refrec *r, uint32_t p, uint64_t n)
{
    uint32_t old[REFREC_HIST], *h = r->hist;
    int rem = (int)((p & (p - 1)) ? n % p : n & (p - 1));   /* one division at most */
    if (REFREC_HIST == 4 && p == 4 && n >= 4 && !(rem & 1)) {
        /* the usual run with fetches, pairs "D C": rotated by 0 or 2 */
        if (rem) {
            uint64_t lo, hi;
            memcpy(&lo, h, 8);
            memcpy(&hi, h + 2, 8);
            memcpy(h, &hi, 8);
            memcpy(h + 2, &lo, 8);
        }
        return;
    }
    memcpy(old, h, sizeof old);
    if (n >= REFREC_HIST && (p == 2 || p == 4)) {   /* the usual runs, without branches */
        for (int i = 0; i < REFREC_HIST; i++)
            h[i] = old[(int)p - 1 - ((rem + (int)p * 2 - 1 - i) & ((int)p - 1))];
        return;
    }
    for (int i = 0; i < REFREC_HIST; i++) {
        if ((uint64_t)i >= n) {
            h[i] = old[i - (int)n];
            continue;
        }
        int j = rem - 1 - i;                  /* (n - 1 - i) mod p */
        while (j < 0)
            j += (int)p;
        h[i] = old[(int)p - 1 - j];
    }
}

static void run(struct refrec *r, uint32_t p, uint64_t n)
{
    pend_run(r, p, n);
    hist_advance(r, p, n);
    r->refs += n;
}

/* The latest reference wrote its page too. */
static void mark_written(struct refrec *r)
{
    struct refrec_token *t = &r->pend;
    uint32_t latest = r->hist[0];
    r->hist[0] |= REFREC_W;
    if (t->kind == REFREC_REF) {
        t->key |= REFREC_W;
        return;
    }
    if (t->kind == REFREC_PAIR) {          /* key, latest: split them */
        t->kind = REFREC_REF;
    } else if (--t->count == 0) {          /* the run ended with it: shorten it */
        r->have_pend = false;
    }
    pend(r, (struct refrec_token){ .kind = REFREC_REF, .key = latest | REFREC_W });
}

/* One reference, in order: collapsed into the latest if it is the same
 * page, else a token (a run when it repeats one of the last few). */
static void ref(struct refrec *r, uint32_t key)
{
    uint32_t page = key & ~REFREC_W;
    if (r->hist[0] != REFREC_NONE && (r->hist[0] & ~REFREC_W) == page) {
        if ((key & REFREC_W) && !(r->hist[0] & REFREC_W))
            mark_written(r);
        return;
    }
    r->refs++;
    uint32_t p = 2;
    if (r->have_pend && r->pend.kind == REFREC_RUN && key == r->hist[r->pend.period - 1])
        p = r->pend.period;
    else
        while (p <= REFREC_HIST && key != r->hist[p - 1])
            p++;
    if (p <= REFREC_HIST)
        pend_run(r, p, 1);
    else
        pend(r, (struct refrec_token){ .kind = REFREC_REF, .key = key });
    hist_push(r, key);
}

/* Everything the inline code appended, in order, then the run it counts.
 * A raw pair (D, C) usually has C == hist[0], the latest reference, and
 * D another page: no collapsing, no search — one PAIR token.  (After a
 * store into the code page the latest is C written, and the fetch is C
 * unwritten: then the two go through ref().)  A raw key without a page
 * after it (no fetches) goes through ref(), which may collapse it. */
static void drain(struct refrec *r)
{
    uint32_t p = r->fetches ? 4 : 2;
    for (const uint64_t *e = r->rawbuf; e < r->raw; e++) {
        uint32_t key = (uint32_t)*e, then = (uint32_t)(*e >> 32);
        if (*e & REFREC_RAW_RUN) {
            run(r, p, *e >> 2);
        } else if (then == REFREC_NONE) {
            ref(r, key);
        } else if (then != r->hist[0]) {
            ref(r, key);
            ref(r, then);
        } else {
            pend(r, (struct refrec_token){ .kind = REFREC_PAIR, .key = key });
            r->hist[3] = r->hist[1];
            r->hist[2] = r->hist[0];
            r->hist[1] = key;
            r->hist[0] = then;
            r->refs += 2;
        }
    }
    r->raw = r->rawbuf;
    if (r->count != r->mark) {
        run(r, p, r->count - r->mark);
        r->mark = r->count;
    }
}

static void hints(struct refrec *r)
{
    const uint32_t *h = r->hist;
    r->last = h[0];
    if (!r->fetches) {
        r->m1 = h[1];
        r->m2 = h[0];
    } else if (h[0] == REFREC_NONE || (h[0] & REFREC_W)) {
        r->m1 = r->m2 = REFREC_NONE;
    } else {
        r->m2 = h[1];
        r->m1 = h[2] == h[0] ? h[3] : REFREC_NONE;
    }
}

void refrec_drain(struct refrec *r)
{
    r->calls++;
    drain(r);
    hints(r);
}

void refrec_fetch(struct refrec *r, uint32_t page)
{
    if (!r->fetches)
        return;
    r->calls++;
    drain(r);
    ref(r, page);
    hints(r);
}

void refrec_key(struct refrec *r, uint32_t key, uint32_t then)
{
    r->calls++;
    drain(r);
    ref(r, key);
    if (r->fetches && then != REFREC_NONE)
        ref(r, then);
    hints(r);
}

void refrec_data(struct refrec *r, uint32_t va, uint32_t size, bool store, uint32_t then)
{
    uint32_t w = store ? REFREC_W : 0;
    r->calls++;
    drain(r);
    ref(r, PAGE_DOWN(va) | w);
    if (PAGE_DOWN(va + size - 1) != PAGE_DOWN(va))
        ref(r, PAGE_DOWN(va + size - 1) | w);       /* it crosses into the next page */
    if (r->fetches && then != REFREC_NONE)
        ref(r, then);
    hints(r);
}

uint64_t refrec_count(const struct refrec *r)
{
    return r->refs;
}

int refrec_finish(struct refrec *r)
{
    drain(r);
    if (r->have_pend)
        emit(r, &r->pend);
    r->have_pend = false;
    if (r->nbuf && !r->error)
        r->error = r->sink(r->sink_ctx, r->buf, r->nbuf);
    r->nbuf = 0;
    hints(r);
    return r->error;
}
