/* kernel/policy.c — the replacement policies of kernel/policy.h.
 *
 * Every policy keeps the same per-slot bookkeeping: membership, a doubly
 * linked list in arrival order (fifo, aging's tie-break), an index into a
 * dense array of members (random's O(1) pick), an 8-bit age (aging), and a
 * hand (clock, nru), which sweeps slot numbers in order.
 */
#include "kernel/policy.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct policy {
    enum policy_kind kind;
    uint32_t  nslots;
    uint32_t  count;            /* pages held */
    uint8_t  *member;           /* per slot: holds a page */
    uint8_t  *age;              /* per slot: aging's counter */
    uint32_t *prev, *next;      /* arrival order; POLICY_NONE ends */
    uint32_t  oldest, newest;
    uint32_t *dense;            /* the members, in no order (random) */
    uint32_t *dense_at;         /* per slot: its index in dense */
    uint32_t  hand;             /* clock, nru: next slot the sweep looks at */
    uint64_t  rng;              /* xorshift64* state (random) */
    struct policy_stats st;
};

static const char *const names[POLICY_COUNT] = {
#define X(id, name) [POLICY_##id] = name,
    POLICY_LIST(X)
#undef X
};

enum policy_kind policy_from_name(const char *name)
{
    for (int k = 0; k < POLICY_COUNT; k++)
        if (!strcmp(names[k], name))
            return (enum policy_kind)k;
    return POLICY_COUNT;
}

const char *policy_name(enum policy_kind kind)
{
    return kind < POLICY_COUNT ? names[kind] : "?";
}

struct policy *policy_new(enum policy_kind kind, uint32_t nslots, uint64_t seed)
{
    assert(kind < POLICY_COUNT && nslots > 0);
    struct policy *pol = calloc(1, sizeof *pol);
    if (!pol)
        return NULL;
    pol->kind = kind;
    pol->nslots = nslots;
    pol->oldest = pol->newest = POLICY_NONE;
    /* calloc: large arrays come as untouched zero pages, so a policy over
     * a million frames costs memory only for the slots it uses. */
    pol->member = calloc(nslots, 1);
    pol->age = calloc(nslots, 1);
    pol->prev = calloc(nslots, sizeof *pol->prev);
    pol->next = calloc(nslots, sizeof *pol->next);
    pol->dense = calloc(nslots, sizeof *pol->dense);
    pol->dense_at = calloc(nslots, sizeof *pol->dense_at);
    pol->rng = seed ? seed : 0x9e3779b97f4a7c15ull;
    if (!pol->member || !pol->age || !pol->prev || !pol->next || !pol->dense || !pol->dense_at) {
        policy_free(pol);
        return NULL;
    }
    return pol;
}

void policy_free(struct policy *pol)
{
    if (!pol)
        return;
    free(pol->member);
    free(pol->age);
    free(pol->prev);
    free(pol->next);
    free(pol->dense);
    free(pol->dense_at);
    free(pol);
}

void policy_insert(struct policy *pol, uint32_t slot)
{
    assert(slot < pol->nslots && !pol->member[slot] && "policy_insert: slot in use");
    pol->member[slot] = 1;
    pol->age[slot] = 0;
    pol->prev[slot] = pol->newest;
    pol->next[slot] = POLICY_NONE;
    if (pol->newest != POLICY_NONE)
        pol->next[pol->newest] = slot;
    else
        pol->oldest = slot;
    pol->newest = slot;
    pol->dense_at[slot] = pol->count;
    pol->dense[pol->count++] = slot;
}

void policy_remove(struct policy *pol, uint32_t slot)
{
    if (slot >= pol->nslots || !pol->member[slot])
        return;
    pol->member[slot] = 0;
    uint32_t p = pol->prev[slot], n = pol->next[slot];
    if (p != POLICY_NONE)
        pol->next[p] = n;
    else
        pol->oldest = n;
    if (n != POLICY_NONE)
        pol->prev[n] = p;
    else
        pol->newest = p;
    uint32_t last = pol->dense[--pol->count];     /* swap-remove */
    pol->dense[pol->dense_at[slot]] = last;
    pol->dense_at[last] = pol->dense_at[slot];
}

bool policy_holds(const struct policy *pol, uint32_t slot)
{
    return slot < pol->nslots && pol->member[slot];
}

uint32_t policy_count(const struct policy *pol)
{
    return pol->count;
}

static void step(const struct policy_world *w, uint32_t slot, enum policy_step what)
{
    if (w->step)
        w->step(w->ctx, slot, what);
}

/* The next slot holding a page at or after the hand (wrapping). */
static uint32_t next_member(const struct policy *pol, uint32_t from)
{
    uint32_t s = from;
    while (!pol->member[s])
        s = s + 1 == pol->nslots ? 0 : s + 1;
    return s;
}

static uint32_t advance(const struct policy *pol, uint32_t s)
{
    return s + 1 == pol->nslots ? 0 : s + 1;
}

static uint32_t victim_clock(struct policy *pol, const struct policy_world *w)
{
    for (;;) {
        uint32_t s = next_member(pol, pol->hand);
        pol->hand = advance(pol, s);
        pol->st.hand_moves++;
        if (!w->referenced(w->ctx, s, true))
            return s;
        pol->st.refs_cleared++;
        step(w, s, PSTEP_CLEARED);
    }
}

/* Enhanced clock: round 1 looks for (0,0) touching nothing, round 2 for
 * (0,1) clearing referenced bits as it passes; then again. */
static uint32_t victim_nru(struct policy *pol, const struct policy_world *w)
{
    for (;;) {
        for (int round = 1; round <= 2; round++) {
            uint32_t start = next_member(pol, pol->hand), s = start;
            do {
                pol->st.hand_moves++;
                bool dirty = w->dirty(w->ctx, s);
                bool ref = w->referenced(w->ctx, s, round == 2);
                if (!ref && dirty == (round == 2)) {
                    pol->hand = advance(pol, s);
                    return s;
                }
                if (round == 2 && ref) {
                    pol->st.refs_cleared++;
                    step(w, s, PSTEP_CLEARED);
                } else {
                    step(w, s, PSTEP_PASSED);
                }
                s = next_member(pol, advance(pol, s));
            } while (s != start);
        }
    }
}

/* The smallest (referenced bit, counter), read as a 9-bit number: the
 * referenced bit is this interval's sample, not yet shifted in, so a page
 * used since the last tick ranks above every page that was not.  Among
 * equals the oldest goes. */
static uint32_t victim_aging(struct policy *pol, const struct policy_world *w)
{
    uint32_t best = POLICY_NONE, best_key = UINT32_MAX;
    for (uint32_t s = pol->oldest; s != POLICY_NONE; s = pol->next[s]) {
        uint32_t key = (w->referenced(w->ctx, s, false) ? 0x100u : 0) | pol->age[s];
        if (key < best_key) {
            best = s;
            best_key = key;
        }
    }
    return best;
}

static uint32_t victim_random(struct policy *pol)
{
    uint64_t x = pol->rng;                       /* xorshift64* (Vigna 2016) */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    pol->rng = x;
    uint64_t r = x * 0x2545f4914f6cdd1dull;
    return pol->dense[(uint32_t)((r >> 32) % pol->count)];
}

uint32_t policy_victim(struct policy *pol, const struct policy_world *w)
{
    if (pol->count == 0)
        return POLICY_NONE;
    uint32_t v;
    switch (pol->kind) {
    case POLICY_FIFO:   v = pol->oldest; break;
    case POLICY_CLOCK:  v = victim_clock(pol, w); break;
    case POLICY_NRU:    v = victim_nru(pol, w); break;
    case POLICY_AGING:  v = victim_aging(pol, w); break;
    default:            v = victim_random(pol); break;
    }
    step(w, v, PSTEP_VICTIM);
    policy_remove(pol, v);
    pol->st.victims++;
    return v;
}

bool policy_ticks(const struct policy *pol)
{
    return pol->kind == POLICY_AGING;
}

void policy_tick(struct policy *pol, const struct policy_world *w)
{
    if (pol->kind != POLICY_AGING)
        return;
    pol->st.ticks++;
    for (uint32_t s = pol->oldest; s != POLICY_NONE; s = pol->next[s]) {
        bool ref = w->referenced(w->ctx, s, true);
        if (ref)
            pol->st.refs_cleared++;
        pol->age[s] = (uint8_t)((pol->age[s] >> 1) | (ref ? 0x80 : 0));
    }
}

uint32_t policy_order(const struct policy *pol, uint32_t *out, uint32_t max)
{
    uint32_t n = 0;
    switch (pol->kind) {
    case POLICY_FIFO:
    case POLICY_AGING:
        for (uint32_t s = pol->oldest; s != POLICY_NONE; s = pol->next[s])
            if (n < max)
                out[n++] = s;
        break;
    case POLICY_CLOCK:
    case POLICY_NRU:
        if (pol->count) {
            uint32_t s = pol->hand;
            for (uint32_t i = 0; i < pol->nslots; i++, s = advance(pol, s))
                if (pol->member[s] && n < max)
                    out[n++] = s;
        }
        break;
    default:
        for (uint32_t s = 0; s < pol->nslots; s++)
            if (pol->member[s] && n < max)
                out[n++] = s;
        break;
    }
    return pol->count;
}

uint32_t policy_hand(const struct policy *pol)
{
    return pol->hand;
}

uint8_t policy_age(const struct policy *pol, uint32_t slot)
{
    return pol->kind == POLICY_AGING && slot < pol->nslots ? pol->age[slot] : 0;
}

const struct policy_stats *policy_stats(const struct policy *pol)
{
    return &pol->st;
}

enum policy_kind policy_kind_of(const struct policy *pol)
{
    return pol->kind;
}
