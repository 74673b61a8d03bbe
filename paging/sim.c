/* paging/sim.c — one policy at one memory size, one reference at a time
 * (see paging.h).  The live policies are kernel/policy.c in a world of
 * F frames whose referenced and dirty bits the string sets. */
#include "paging/engine.h"

#include <stdlib.h>
#include <string.h>

#include "kernel/policy.h"

#define NONE UINT32_MAX

static const char *const names[PG_NPOLICY] = {
#define X(id, name, live) [PG_##id] = name,
    PG_POLICY_LIST(X)
#undef X
};

const char *pg_policy_name(enum pg_policy p)
{
    return p < PG_NPOLICY ? names[p] : "?";
}

int pg_policy_from_name(const char *name)
{
    for (int p = 0; p < PG_NPOLICY; p++)
        if (!strcmp(names[p], name))
            return p;
    return -1;
}

uint64_t pg_default_aging_interval(uint64_t n)
{
    return n <= 100000 ? 1 : n / 100000;
}

int pg_live_kind(enum pg_policy p)
{
    switch (p) {
    case PG_FIFO:   return POLICY_FIFO;
    case PG_CLOCK:  return POLICY_CLOCK;
    case PG_NRU:    return POLICY_NRU;
    case PG_AGING:  return POLICY_AGING;
    case PG_RANDOM: return POLICY_RANDOM;
    default:        return -1;
    }
}

struct pg_sim {
    enum pg_policy kind;
    uint32_t  frames, used;
    uint32_t *slot_id;            /* page id per frame */
    bool     *ref, *dirty;        /* per frame */
    uint64_t *last, *next;        /* per frame: last use (lru, mru), next use (opt) */
    uint32_t *id_slot;            /* page id -> frame, NONE */
    uint32_t  pages;
    uint32_t *order;              /* pg_sim_frames' scratch */
    struct policy *pol;           /* the live policies */
    uint64_t  misses;
};

static bool world_ref(void *ctx, uint32_t slot, bool clear)
{
    struct pg_sim *s = ctx;
    bool r = s->ref[slot];
    if (clear)
        s->ref[slot] = false;
    return r;
}

static bool world_dirty(void *ctx, uint32_t slot)
{
    return ((struct pg_sim *)ctx)->dirty[slot];
}

struct pg_sim *pg_sim_new(enum pg_policy p, uint32_t frames, uint32_t pages, uint64_t seed)
{
    if (p >= PG_NPOLICY || frames == 0)
        return NULL;
    struct pg_sim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->kind = p;
    s->frames = frames;
    s->slot_id = calloc(frames, sizeof *s->slot_id);
    s->ref = calloc(frames, sizeof *s->ref);
    s->dirty = calloc(frames, sizeof *s->dirty);
    s->last = calloc(frames, sizeof *s->last);
    s->next = calloc(frames, sizeof *s->next);
    s->order = calloc(frames, sizeof *s->order);
    s->pages = pages;
    s->id_slot = malloc((pages ? pages : 1) * sizeof *s->id_slot);
    if (s->id_slot)
        memset(s->id_slot, 0xff, (pages ? pages : 1) * sizeof *s->id_slot);
    int k = pg_live_kind(p);
    if (k >= 0)
        s->pol = policy_new((enum policy_kind)k, frames, seed);
    if (!s->slot_id || !s->ref || !s->dirty || !s->last || !s->next || !s->order ||
        !s->id_slot || (k >= 0 && !s->pol)) {
        pg_sim_free(s);
        return NULL;
    }
    return s;
}

void pg_sim_free(struct pg_sim *s)
{
    if (!s)
        return;
    free(s->slot_id);
    free(s->ref);
    free(s->dirty);
    free(s->last);
    free(s->next);
    free(s->id_slot);
    free(s->order);
    policy_free(s->pol);
    free(s);
}


/* The frame to empty when all are in use. */
static uint32_t victim(struct pg_sim *s)
{
    uint32_t v = 0;
    switch (s->kind) {
    case PG_OPT:                          /* the farthest next use; the lowest frame of equals */
        for (uint32_t i = 1; i < s->frames; i++)
            if (s->next[i] > s->next[v])
                v = i;
        return v;
    case PG_LRU:
        for (uint32_t i = 1; i < s->frames; i++)
            if (s->last[i] < s->last[v])
                v = i;
        return v;
    case PG_MRU:
        for (uint32_t i = 1; i < s->frames; i++)
            if (s->last[i] > s->last[v])
                v = i;
        return v;
    default: {
        struct policy_world w = { world_ref, world_dirty, NULL, s };
        return policy_victim(s->pol, &w);
    }
    }
}

void pg_sim_ref(struct pg_sim *s, uint32_t id, bool written, uint64_t t, uint64_t next,
                struct pg_step *out)
{
    if (id >= s->pages) {                 /* not a page of this string */
        if (out)
            *out = (struct pg_step){ .hit = true, .evicted = -1 };
        return;
    }
    uint32_t slot = s->id_slot[id];
    struct pg_step st = { .hit = slot != NONE, .evicted = -1 };
    if (slot == NONE) {
        s->misses++;
        if (s->used < s->frames) {
            slot = s->used++;
        } else {
            slot = victim(s);
            st.evicted = s->slot_id[slot];
            s->id_slot[s->slot_id[slot]] = NONE;
        }
        s->id_slot[id] = slot;
        s->slot_id[slot] = id;
        s->dirty[slot] = false;
        if (s->pol)
            policy_insert(s->pol, slot);
    }
    s->ref[slot] = true;
    s->dirty[slot] |= written;
    s->last[slot] = t;
    s->next[slot] = next;
    st.slot = slot;
    if (out)
        *out = st;
}

void pg_sim_tick(struct pg_sim *s)
{
    if (s->pol && policy_ticks(s->pol)) {
        struct policy_world w = { world_ref, world_dirty, NULL, s };
        policy_tick(s->pol, &w);
    }
}

uint64_t pg_sim_misses(const struct pg_sim *s)
{
    return s->misses;
}

int pg_sim_frames(const struct pg_sim *s, struct pg_frame *out, int max)
{
    uint32_t *order = s->order, n = 0;
    if (s->pol && s->kind != PG_RANDOM) {
        n = policy_order(s->pol, order, s->used);
    } else {
        for (uint32_t i = 0; i < s->used; i++)
            order[n++] = i;
        if (s->kind == PG_LRU || s->kind == PG_MRU)   /* most recent first */
            for (uint32_t i = 1; i < n; i++)
                for (uint32_t j = i; j > 0 && s->last[order[j]] > s->last[order[j - 1]]; j--) {
                    uint32_t x = order[j];
                    order[j] = order[j - 1];
                    order[j - 1] = x;
                }
    }
    int k = 0;
    for (uint32_t i = 0; i < n && k < max; i++) {
        uint32_t sl = order[i];
        out[k++] = (struct pg_frame){
            .id = s->slot_id[sl], .slot = sl, .referenced = s->ref[sl], .dirty = s->dirty[sl],
            .age = s->pol ? policy_age(s->pol, sl) : 0, .next = s->next[sl],
        };
    }
    return k;
}

int pg_sim_hand(const struct pg_sim *s)
{
    if (s->kind == PG_CLOCK || s->kind == PG_NRU)
        return (int)policy_hand(s->pol);
    return -1;
}
