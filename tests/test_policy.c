/* tests/test_policy.c — the replacement policies (kernel/policy.c) on
 * reference strings with published answers, and their defining
 * behaviours, in a simulated world: N frames, a referenced and a dirty bit
 * per frame, free frames used lowest first, the referenced bit set by
 * every reference (the one that misses too, as the kernel sets A when it
 * maps the page). */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/policy.h"
#include "tests/suites.h"

#define MAXF 16

struct sim {
    struct policy *pol;
    uint32_t n;
    int      page[MAXF];          /* page in frame, -1 free */
    bool     ref[MAXF], dirty[MAXF];
    int      steps[64];           /* encoded (frame << 2 | enum policy_step) */
    int      nsteps;
};

static bool sim_ref(void *ctx, uint32_t s, bool clear)
{
    struct sim *m = ctx;
    bool r = m->ref[s];
    if (clear)
        m->ref[s] = false;
    return r;
}

static bool sim_dirty(void *ctx, uint32_t s)
{
    return ((struct sim *)ctx)->dirty[s];
}

static void sim_step(void *ctx, uint32_t s, enum policy_step what)
{
    struct sim *m = ctx;
    if (m->nsteps < 64)
        m->steps[m->nsteps++] = (int)(s << 2 | what);
}

static void sim_init(struct sim *m, enum policy_kind k, uint32_t n)
{
    memset(m, 0, sizeof *m);
    m->n = n;
    m->pol = policy_new(k, n, 42);
    for (uint32_t i = 0; i < MAXF; i++)
        m->page[i] = -1;
}

static struct policy_world world(struct sim *m)
{
    return (struct policy_world){ sim_ref, sim_dirty, sim_step, m };
}

/* Reference page (write: a store).  Returns 1 on a miss. */
static int sim_access(struct sim *m, int page, bool write)
{
    for (uint32_t s = 0; s < m->n; s++)
        if (m->page[s] == page) {
            m->ref[s] = true;
            m->dirty[s] |= write;
            return 0;
        }
    uint32_t s = 0;
    while (s < m->n && m->page[s] != -1)
        s++;
    if (s == m->n) {
        struct policy_world w = world(m);
        m->nsteps = 0;
        s = policy_victim(m->pol, &w);
        CU_ASSERT_FATAL(s < m->n);
    }
    m->page[s] = page;
    m->ref[s] = true;
    m->dirty[s] = write;
    policy_insert(m->pol, s);
    return 1;
}

static int misses(enum policy_kind k, uint32_t n, const int *refs, int len)
{
    struct sim m;
    sim_init(&m, k, n);
    int miss = 0;
    for (int i = 0; i < len; i++)
        miss += sim_access(&m, refs[i], false);
    policy_free(m.pol);
    return miss;
}

static const int belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
/* Silberschatz, Operating System Concepts, §10.4 (the classic string) */
static const int classic[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1 };
#define LEN(a) ((int)(sizeof(a) / sizeof(a[0])))

static void test_fifo_textbook(void)
{
    /* Belady's anomaly: 9 misses with 3 frames, 10 with 4 */
    CU_ASSERT_EQUAL(misses(POLICY_FIFO, 3, belady, LEN(belady)), 9);
    CU_ASSERT_EQUAL(misses(POLICY_FIFO, 4, belady, LEN(belady)), 10);
    CU_ASSERT_EQUAL(misses(POLICY_FIFO, 3, classic, LEN(classic)), 15);
}

static void test_clock_textbook(void)
{
    /* traced by hand with the second-chance rules of kernel/policy.h */
    CU_ASSERT_EQUAL(misses(POLICY_CLOCK, 3, classic, LEN(classic)), 14);
    CU_ASSERT_EQUAL(misses(POLICY_CLOCK, 4, classic, LEN(classic)), 9);
    CU_ASSERT_EQUAL(misses(POLICY_CLOCK, 3, belady, LEN(belady)), 9);
}

/* A cyclic walk over N+1 pages with N frames misses on every access under
 * fifo and clock. */
static void test_cyclic_defeats(void)
{
    int refs[5 * 9];
    for (int i = 0; i < LEN(refs); i++)
        refs[i] = i % 9;
    CU_ASSERT_EQUAL(misses(POLICY_FIFO, 8, refs, LEN(refs)), LEN(refs));
    CU_ASSERT_EQUAL(misses(POLICY_CLOCK, 8, refs, LEN(refs)), LEN(refs));
    CU_ASSERT_EQUAL(misses(POLICY_AGING, 8, refs, LEN(refs)), LEN(refs));
}

/* The clock hand passes a page whose referenced bit is set, clearing it,
 * and takes the first page whose bit is clear. */
static void test_clock_second_chance(void)
{
    struct sim m;
    sim_init(&m, POLICY_CLOCK, 3);
    sim_access(&m, 10, false);
    sim_access(&m, 11, false);
    sim_access(&m, 12, false);
    memset(m.ref, 0, sizeof m.ref);
    sim_access(&m, 10, false);              /* frame 0 referenced again */
    CU_ASSERT_EQUAL(sim_access(&m, 13, false), 1);
    CU_ASSERT_EQUAL(m.page[1], 13);         /* 11 went, 10 had its second chance */
    CU_ASSERT_EQUAL(m.page[0], 10);
    CU_ASSERT_FALSE(m.ref[0]);              /* ... and lost its bit */
    CU_ASSERT_EQUAL(m.nsteps, 2);
    CU_ASSERT_EQUAL(m.steps[0], 0 << 2 | PSTEP_CLEARED);
    CU_ASSERT_EQUAL(m.steps[1], 1 << 2 | PSTEP_VICTIM);
    CU_ASSERT_EQUAL(policy_hand(m.pol), 2);   /* just past the victim */
    CU_ASSERT_EQUAL(policy_stats(m.pol)->refs_cleared, 1);
    CU_ASSERT_EQUAL(policy_stats(m.pol)->hand_moves, 2);
    policy_free(m.pol);
}

/* Enhanced clock prefers a clean unreferenced page, then a dirty one, and
 * only then clears referenced bits. */
static void test_nru_prefers_clean(void)
{
    struct sim m;
    sim_init(&m, POLICY_NRU, 3);
    sim_access(&m, 1, true);
    sim_access(&m, 2, false);
    sim_access(&m, 3, true);
    memset(m.ref, 0, sizeof m.ref);         /* (0,1) (0,0) (0,1) */
    sim_access(&m, 4, false);
    CU_ASSERT_EQUAL(m.page[1], 4);          /* the clean one, though not first */
    /* all referenced, one clean: round 2 clears every bit, round 1 again
     * finds the clean page */
    memset(m.ref, 1, sizeof m.ref);
    m.dirty[0] = m.dirty[2] = true;
    m.dirty[1] = false;
    sim_access(&m, 5, false);
    CU_ASSERT_EQUAL(m.page[1], 5);
    CU_ASSERT_FALSE(m.ref[0] || m.ref[2]);
    /* only dirty pages, none referenced: a dirty one goes */
    for (int i = 0; i < 3; i++)
        m.ref[i] = false, m.dirty[i] = true;
    sim_access(&m, 6, false);
    CU_ASSERT_EQUAL(m.page[2], 6);          /* the hand was past frame 1 */
    policy_free(m.pol);
}

/* Tanenbaum, Modern Operating Systems, Fig. 3-17: six pages, five ticks,
 * the counters after each. */
static void test_aging_textbook(void)
{
    static const bool r[5][6] = {
        { 1, 0, 1, 0, 1, 1 }, { 1, 1, 0, 0, 1, 0 }, { 1, 1, 0, 1, 0, 1 },
        { 1, 0, 0, 0, 1, 0 }, { 0, 1, 1, 0, 0, 0 },
    };
    static const uint8_t want[5][6] = {
        { 0x80, 0x00, 0x80, 0x00, 0x80, 0x80 }, { 0xc0, 0x80, 0x40, 0x00, 0xc0, 0x40 },
        { 0xe0, 0xc0, 0x20, 0x80, 0x60, 0xa0 }, { 0xf0, 0x60, 0x10, 0x40, 0xb0, 0x50 },
        { 0x78, 0xb0, 0x88, 0x20, 0x58, 0x28 },
    };
    struct sim m;
    sim_init(&m, POLICY_AGING, 6);
    for (int i = 0; i < 6; i++)
        sim_access(&m, i, false);
    CU_ASSERT_TRUE(policy_ticks(m.pol));
    struct policy_world w = world(&m);
    for (int t = 0; t < 5; t++) {
        for (int i = 0; i < 6; i++)
            m.ref[i] = r[t][i];
        policy_tick(m.pol, &w);
        for (int i = 0; i < 6; i++)
            CHECK(policy_age(m.pol, (uint32_t)i) == want[t][i], "tick %d page %d: 0x%02x", t, i,
                  policy_age(m.pol, (uint32_t)i));
    }
    CU_ASSERT_EQUAL(policy_stats(m.pol)->ticks, 5);
    sim_access(&m, 6, false);               /* the smallest counter goes: page 3 */
    CU_ASSERT_EQUAL(m.page[3], 6);
    /* a page referenced since the last tick ranks above all that were not */
    m.ref[5] = true;                        /* page 5 (0x28) used now */
    sim_access(&m, 7, false);               /* 6 is new (0, but referenced): 5 is too */
    CU_ASSERT_EQUAL(m.page[5], 5);
    policy_free(m.pol);
}

/* The same seed gives the same victims; another seed other victims. */
static void random_victims(uint64_t seed, int out[200])
{
    struct sim m;
    sim_init(&m, POLICY_RANDOM, 8);
    policy_free(m.pol);
    m.pol = policy_new(POLICY_RANDOM, 8, seed);
    for (int i = 0; i < 200; i++) {
        m.nsteps = 0;
        out[i] = sim_access(&m, (i * 7919) % 23, false) && m.nsteps ? m.steps[0] >> 2 : -1;
    }
    CU_ASSERT_EQUAL(policy_count(m.pol), 8);
    policy_free(m.pol);
}

static void test_random_seeded(void)
{
    int a[200], b[200], c[200];
    random_victims(42, a);
    random_victims(42, b);
    random_victims(7, c);
    CU_ASSERT_EQUAL(memcmp(a, b, sizeof a), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(a, c, sizeof a), 0);
}

static void test_bookkeeping(void)
{
    for (int k = 0; k < POLICY_COUNT; k++) {
        struct policy *pol = policy_new((enum policy_kind)k, 10, 1);
        CU_ASSERT_FATAL(pol != NULL);
        CU_ASSERT_EQUAL(policy_from_name(policy_name((enum policy_kind)k)), k);
        for (uint32_t s = 0; s < 10; s += 2)
            policy_insert(pol, s);
        policy_remove(pol, 4);
        policy_remove(pol, 4);                  /* twice: nothing */
        policy_remove(pol, 5);                  /* never held: nothing */
        CU_ASSERT_EQUAL(policy_count(pol), 4);
        CU_ASSERT_FALSE(policy_holds(pol, 4));
        uint32_t order[10];
        CU_ASSERT_EQUAL(policy_order(pol, order, 10), 4);
        bool seen[10] = { 0 };
        for (int i = 0; i < 4; i++)
            seen[order[i]] = true;
        CU_ASSERT_TRUE(seen[0] && seen[2] && seen[6] && seen[8]);
        struct sim m = { .n = 10 };
        struct policy_world w = world(&m);
        for (int i = 0; i < 4; i++) {
            uint32_t v = policy_victim(pol, &w);
            CU_ASSERT_TRUE(v < 10 && seen[v]);
            seen[v] = false;
        }
        CU_ASSERT_EQUAL(policy_victim(pol, &w), POLICY_NONE);
        policy_free(pol);
    }
    CU_ASSERT_EQUAL(policy_from_name("lru"), POLICY_COUNT);   /* not a live policy */
}

void policy_suite_add(void)
{
    CU_pSuite s = CU_add_suite("policy", NULL, NULL);
    CU_add_test(s, "fifo: Belady's anomaly and the classic string", test_fifo_textbook);
    CU_add_test(s, "clock: the classic string", test_clock_textbook);
    CU_add_test(s, "cyclic walk over N+1 pages misses every time", test_cyclic_defeats);
    CU_add_test(s, "clock: a second chance for referenced pages", test_clock_second_chance);
    CU_add_test(s, "nru: clean pages first", test_nru_prefers_clean);
    CU_add_test(s, "aging: Tanenbaum's counters", test_aging_textbook);
    CU_add_test(s, "random: the seed decides", test_random_seeded);
    CU_add_test(s, "insert, remove, order, victims", test_bookkeeping);
}
