/* paging/bank.c — up to 64 memory sizes of one policy in one pass.
 *
 * Per page, three 64-bit words: bit s of res says the page is in memory
 * in simulation s, of ref its referenced bit there, of dirty its dirty
 * bit.  A reference sets its page's referenced bit in every simulation
 * at once (where it is not in memory the bit means nothing: a page that
 * comes in gets it set anyway), a write its dirty bit wherever it is in
 * memory; the simulations it misses in are the zero bits of res, and only
 * they do any work.  Each simulation is kernel/policy.c over its frames,
 * in a world reading those bits — or, for mru, no policy at all: the most
 * recently used page is always the one referenced just before.
 */
#include "paging/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/policy.h"

struct bank;

struct bsim {
    struct bank   *b;
    uint64_t       bit;
    uint32_t       frames, used;
    uint32_t      *slot_page;      /* page id per frame */
    struct policy *pol;            /* NULL for mru */
    uint64_t       misses;
};

struct bank {
    uint64_t   *res, *ref, *dirty; /* per page id */
    struct bsim sim[PG_BANK];
    int         n;
};

static bool bw_ref(void *ctx, uint32_t slot, bool clear)
{
    struct bsim *s = ctx;
    uint64_t *r = &s->b->ref[s->slot_page[slot]];
    bool v = *r & s->bit;
    if (clear)
        *r &= ~s->bit;
    return v;
}

static bool bw_dirty(void *ctx, uint32_t slot)
{
    struct bsim *s = ctx;
    return s->b->dirty[s->slot_page[slot]] & s->bit;
}

static void bank_free(struct bank *b)
{
    for (int i = 0; i < b->n; i++) {
        free(b->sim[i].slot_page);
        policy_free(b->sim[i].pol);
    }
    free(b->res);
    free(b->ref);
    free(b->dirty);
}

/* A miss of page x in simulation s; prev is the page referenced before. */
static void miss(struct bank *b, struct bsim *s, uint32_t x, bool w, uint32_t prev)
{
    s->misses++;
    if (!s->pol) {                            /* mru */
        if (s->used < s->frames)
            s->used++;
        else
            b->res[prev] &= ~s->bit;
        b->res[x] |= s->bit;
        return;
    }
    uint32_t slot;
    if (s->used < s->frames) {
        slot = s->used++;
    } else {
        struct policy_world world = { bw_ref, bw_dirty, NULL, s };
        slot = policy_victim(s->pol, &world);
        b->res[s->slot_page[slot]] &= ~s->bit;
    }
    s->slot_page[slot] = x;
    b->res[x] |= s->bit;
    if (w)
        b->dirty[x] |= s->bit;
    else
        b->dirty[x] &= ~s->bit;
    policy_insert(s->pol, slot);
}

int pg_bank_run(const struct pg_request *rq, enum pg_policy p, const uint32_t *frames, int n,
                uint64_t aging_interval, uint64_t *misses)
{
    struct bank b = { .n = 0 };
    int rc = -ENOMEM;
    size_t pages = rq->pages ? rq->pages : 1;
    uint32_t *buf = malloc(PG_CHUNK * sizeof *buf);
    b.res = calloc(pages, sizeof *b.res);
    b.ref = calloc(pages, sizeof *b.ref);
    b.dirty = calloc(pages, sizeof *b.dirty);
    if (!buf || !b.res || !b.ref || !b.dirty || n > PG_BANK)
        goto out;
    int kind = pg_live_kind(p);
    uint64_t active = 0;
    for (int i = 0; i < n; i++) {
        struct bsim *s = &b.sim[i];
        b.n = i + 1;
        s->b = &b;
        s->bit = 1ull << i;
        s->frames = frames[i];
        active |= s->bit;
        if (kind >= 0) {
            /* frames beyond the pages there are never fill: cap the tables */
            uint32_t f = frames[i] < pages ? frames[i] : (uint32_t)pages;
            s->slot_page = malloc(f * sizeof *s->slot_page);
            s->pol = policy_new((enum policy_kind)kind, f, rq->seed);
            if (!s->slot_page || !s->pol)
                goto out;
            s->frames = f;
        }
    }
    bool ticks = p == PG_AGING;
    uint64_t since = 0;
    uint32_t prev = 0;
    struct refs_reader rd;
    refs_reader_init(&rd, rq->file, rq->map);
    size_t got;
    while ((got = refs_read(&rd, buf, PG_CHUNK)) > 0) {
        for (size_t k = 0; k < got; k++) {
            uint32_t x = REF_ID(buf[k]);
            bool w = REF_WRITTEN(buf[k]);
            uint64_t m = b.res[x];
            b.ref[x] = ~0ull;
            if (w)
                b.dirty[x] |= m;
            for (uint64_t out = ~m & active; out; out &= out - 1)
                miss(&b, &b.sim[__builtin_ctzll(out)], x, w, prev);
            prev = x;
            if (ticks && ++since == aging_interval) {
                since = 0;
                for (int i = 0; i < n; i++) {
                    struct policy_world world = { bw_ref, bw_dirty, NULL, &b.sim[i] };
                    policy_tick(b.sim[i].pol, &world);
                }
            }
        }
    }
    for (int i = 0; i < n; i++)
        misses[i] = b.sim[i].misses;
    rc = 0;
out:
    free(buf);
    bank_free(&b);
    return rc;
}
