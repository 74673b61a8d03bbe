/* tests/test_paging.c — vmlab paging: the reference string format, the
 * policies on textbook strings with published answers, the one-pass
 * algorithms against one simulation per size on random strings, the
 * recorder against guests with a known access pattern, and the command
 * line's answers and errors. */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paging/engine.h"
#include "paging/paging.h"
#include "paging/refs.h"
#include "tests/run.h"
#include "tests/suites.h"

/* A string in memory, scanned. */
struct str {
    char  *buf;
    size_t len;
    struct refs_file f;
    struct refs_map *map;
    struct refs_stats st;
};

static void str_free(struct str *s)
{
    refs_map_free(s->map);
    free(s->buf);
    memset(s, 0, sizeof *s);
}

/* pages[i] (written if w && w[i]) through refs_put. */
static int str_make(struct str *s, const uint64_t *pages, const bool *w, size_t n)
{
    memset(s, 0, sizeof *s);
    FILE *f = open_memstream(&s->buf, &s->len);
    struct refs_info info = { .vpn = false, .page_shift = 12, .fetches = -1 };
    struct refs_writer *wr = refs_writer_new(f, &info);
    for (size_t i = 0; i < n; i++)
        refs_put(wr, pages[i], w && w[i]);
    int rc = refs_writer_finish(wr);
    fclose(f);
    char err[200];
    if (rc || refs_open_mem(&s->f, s->buf, s->len, err, sizeof err) ||
        refs_scan(&s->f, &s->map, &s->st, err, sizeof err)) {
        fprintf(stderr, "\nstr_make: %s\n", rc ? "write failed" : err);
        return -1;
    }
    return 0;
}

static int str_ints(struct str *s, const int *v, size_t n)
{
    uint64_t *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint64_t)v[i];
    int rc = str_make(s, p, NULL, n);
    free(p);
    return rc;
}

/* The whole string back, as reader references. */
static uint32_t *str_read(struct str *s, size_t *n)
{
    uint32_t *out = malloc((s->st.refs + 1) * sizeof *out);
    struct refs_reader r;
    refs_reader_init(&r, &s->f, s->map);
    size_t k = 0, got;
    while ((got = refs_read(&r, out + k, 7)) > 0)   /* small reads: exercise the carry-over */
        k += got;
    *n = k;
    return out;
}

/* Misses of one policy at one size, by pg_sim, reference by reference. */
static uint64_t sim_misses(struct str *s, enum pg_policy p, uint32_t frames, uint64_t seed,
                           uint64_t aging_interval)
{
    size_t n;
    uint32_t *r = str_read(s, &n);
    uint64_t *next = malloc((n + 1) * sizeof *next);
    uint64_t *seen = malloc((s->st.pages + 1) * sizeof *seen);
    for (uint32_t i = 0; i < s->st.pages; i++)
        seen[i] = UINT64_MAX;
    for (size_t i = n; i-- > 0;) {
        next[i] = seen[REF_ID(r[i])];
        seen[REF_ID(r[i])] = i;
    }
    struct pg_sim *sim = pg_sim_new(p, frames, s->st.pages, seed);
    for (size_t i = 0; i < n; i++) {
        pg_sim_ref(sim, REF_ID(r[i]), REF_WRITTEN(r[i]), i, next[i], NULL);
        if ((i + 1) % aging_interval == 0)
            pg_sim_tick(sim);
    }
    uint64_t m = pg_sim_misses(sim);
    pg_sim_free(sim);
    free(r);
    free(next);
    free(seen);
    return m;
}

/* pg_analyze over frames 1..maxf for the given policies. */
static int analyze(struct str *s, const enum pg_policy *pol, int npol, uint32_t maxf,
                   uint64_t aging, struct pg_request *rq, struct pg_result *res, uint32_t *frames)
{
    for (uint32_t f = 0; f < maxf; f++)
        frames[f] = f + 1;
    memset(rq, 0, sizeof *rq);
    rq->file = &s->f;
    rq->map = s->map;
    rq->refs = s->st.refs;
    rq->pages = s->st.pages;
    for (int i = 0; i < npol; i++)
        rq->policy[i] = pol[i];
    rq->npolicy = npol;
    rq->frames = frames;
    rq->nframes = (int)maxf;
    rq->seed = 42;
    rq->aging_interval = aging;
    char err[200];
    int rc = pg_analyze(rq, res, err, sizeof err);
    if (rc)
        fprintf(stderr, "\npg_analyze: %s\n", err);
    return rc;
}

static const enum pg_policy all[] = { PG_OPT, PG_LRU, PG_FIFO, PG_CLOCK, PG_NRU, PG_AGING,
                                      PG_RANDOM, PG_MRU };
#define NALL ((int)(sizeof all / sizeof all[0]))

static const int belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
/* Silberschatz, Galvin, Gagne, Operating System Concepts, §10.4 */
static const int classic[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1 };
#define LEN(a) (sizeof(a) / sizeof(a[0]))

/* --- the format ------------------------------------------------------------------ */

static void test_format_roundtrip(void)
{
    srand(7);
    for (int round = 0; round < 40; round++) {
        size_t n = 1 + (size_t)(rand() % 3000);
        uint64_t *p = malloc(n * sizeof *p);
        bool *w = malloc(n * sizeof *w);
        int npages = 1 + rand() % (round % 3 == 0 ? 3 : 40);
        for (size_t i = 0; i < n; i++) {
            /* loops (runs), repeats (collapses), big page numbers (deltas) */
            if (i >= 4 && rand() % 3)
                p[i] = p[i - (size_t)(2 + rand() % 3)];
            else
                p[i] = (uint64_t)(rand() % npages) * (round % 2 ? 1 : 0x10000001ull);
            w[i] = rand() % 5 == 0;
        }
        /* what the string must be: collapsed, writes merged */
        uint64_t *ep = malloc(n * sizeof *ep);
        bool *ew = malloc(n * sizeof *ew);
        size_t en = 0;
        for (size_t i = 0; i < n; i++) {
            if (en && ep[en - 1] == p[i]) {
                ew[en - 1] |= w[i];
                continue;
            }
            ep[en] = p[i];
            ew[en++] = w[i];
        }
        struct str s;
        CU_ASSERT_FATAL(str_make(&s, p, w, n) == 0);
        CU_ASSERT_EQUAL(s.st.refs, en);
        size_t got;
        uint32_t *r = str_read(&s, &got);
        CU_ASSERT_EQUAL(got, en);
        int bad = 0;
        for (size_t i = 0; i < en && i < got; i++)
            bad += refs_map_page(s.map, REF_ID(r[i])) != ep[i] || (bool)REF_WRITTEN(r[i]) != ew[i];
        CHECK(bad == 0, "round %d: %d references differ", round, bad);
        free(r);
        str_free(&s);
        free(p);
        free(w);
        free(ep);
        free(ew);
    }
}

/* Cut or damage a good string: one error, never a crash. */
static void test_format_damaged(void)
{
    int v[200];
    for (int i = 0; i < 200; i++)
        v[i] = (i * 7919) % 13;
    struct str s;
    CU_ASSERT_FATAL(str_ints(&s, v, 200) == 0);
    char err[200];
    struct refs_file f;
    struct refs_map *m;
    struct refs_stats st;
    for (size_t cut = 1; cut < s.len; cut += 3) {
        if (refs_open_mem(&f, s.buf, cut, err, sizeof err) == 0) {
            int rc = refs_scan(&f, &m, &st, err, sizeof err);
            if (rc == 0) {
                CHECK(st.refs == f.refs, "cut at %zu: %llu references", cut,
                      (unsigned long long)st.refs);
                refs_map_free(m);
            }
        }
    }
    char *bad = malloc(s.len);
    srand(3);
    int rejected = 0;
    for (int k = 0; k < 300; k++) {
        memcpy(bad, s.buf, s.len);
        size_t at = s.f.data + (size_t)rand() % (s.len - s.f.data);
        bad[at] ^= (char)(1 + rand() % 255);
        if (refs_open_mem(&f, bad, s.len, err, sizeof err) || refs_scan(&f, &m, &st, err, sizeof err)) {
            CU_ASSERT(strlen(err) > 0);
            rejected++;
            continue;
        }
        /* a flip that still makes a valid string: it reads to its end */
        struct refs_reader r;
        refs_reader_init(&r, &f, m);
        uint32_t buf[64];
        uint64_t total = 0;
        size_t got;
        while ((got = refs_read(&r, buf, 64)) > 0)
            total += got;
        CU_ASSERT_EQUAL(total, st.refs);
        refs_map_free(m);
    }
    CU_ASSERT(rejected > 0);
    free(bad);
    CU_ASSERT_NOT_EQUAL(refs_open_mem(&f, "hello", 5, err, sizeof err), 0);
    str_free(&s);
}

/* --- textbook answers ---------------------------------------------------------------- */

static uint64_t misses_of(struct str *s, enum pg_policy p, uint32_t frames)
{
    return sim_misses(s, p, frames, 42, 1);
}

static void test_textbook_belady(void)
{
    struct str s;
    CU_ASSERT_FATAL(str_ints(&s, belady, LEN(belady)) == 0);
    /* Belady, Nelson, Shedler (CACM 1969); Silberschatz §10.4.2: FIFO 9
     * misses with 3 frames, 10 with 4; LRU 10 and 8; OPT 7 and 6.  (1, 2,
     * 5 and 6 frames worked by hand.) */
    static const uint64_t fifo[] = { 12, 12, 9, 10, 5, 5 };
    static const uint64_t lru[] = { 12, 12, 10, 8, 5, 5 };
    static const uint64_t opt[] = { 12, 9, 7, 6, 5, 5 };
    struct pg_request rq;
    struct pg_result res;
    uint32_t frames[6];
    static const enum pg_policy pol[] = { PG_FIFO, PG_LRU, PG_OPT };
    CU_ASSERT_FATAL(analyze(&s, pol, 3, 6, 1, &rq, &res, frames) == 0);
    for (int f = 0; f < 6; f++) {
        CHECK(pg_misses(&rq, &res, 0, f) == fifo[f], "fifo %d frames: %llu", f + 1,
              (unsigned long long)pg_misses(&rq, &res, 0, f));
        CHECK(pg_misses(&rq, &res, 1, f) == lru[f], "lru %d frames: %llu", f + 1,
              (unsigned long long)pg_misses(&rq, &res, 1, f));
        CHECK(pg_misses(&rq, &res, 2, f) == opt[f], "opt %d frames: %llu", f + 1,
              (unsigned long long)pg_misses(&rq, &res, 2, f));
        CU_ASSERT_EQUAL(misses_of(&s, PG_FIFO, (uint32_t)f + 1), fifo[f]);
    }
    CU_ASSERT_EQUAL(pg_anomaly(&rq, &res, 0), 3);         /* at 4 frames */
    CU_ASSERT_EQUAL(pg_anomaly(&rq, &res, 1), -1);        /* stack algorithms never */
    CU_ASSERT_EQUAL(pg_anomaly(&rq, &res, 2), -1);
    pg_result_free(&res);
    str_free(&s);
}

static void test_textbook_classic(void)
{
    struct str s;
    CU_ASSERT_FATAL(str_ints(&s, classic, LEN(classic)) == 0);
    CU_ASSERT_EQUAL(misses_of(&s, PG_FIFO, 3), 15);
    CU_ASSERT_EQUAL(misses_of(&s, PG_LRU, 3), 12);
    CU_ASSERT_EQUAL(misses_of(&s, PG_OPT, 3), 9);
    CU_ASSERT_EQUAL(misses_of(&s, PG_FIFO, 4), 10);       /* the same book, 4 frames */
    CU_ASSERT_EQUAL(misses_of(&s, PG_LRU, 4), 8);
    CU_ASSERT_EQUAL(misses_of(&s, PG_OPT, 4), 8);
    CU_ASSERT_EQUAL(misses_of(&s, PG_CLOCK, 3), 14);      /* as tests/test_policy.c */
    struct pg_request rq;
    struct pg_result res;
    uint32_t frames[8];
    static const enum pg_policy pol[] = { PG_FIFO, PG_LRU, PG_OPT };
    CU_ASSERT_FATAL(analyze(&s, pol, 3, 8, 1, &rq, &res, frames) == 0);
    CU_ASSERT_EQUAL(pg_misses(&rq, &res, 0, 2), 15);
    CU_ASSERT_EQUAL(pg_misses(&rq, &res, 1, 2), 12);
    CU_ASSERT_EQUAL(pg_misses(&rq, &res, 2, 2), 9);
    pg_result_free(&res);
    str_free(&s);
}

/* A loop over N+1 pages with N frames: lru and fifo miss every time, mru
 * and opt keep most of it. */
static void test_cyclic(void)
{
    int v[10 * 6];
    for (int i = 0; i < (int)LEN(v); i++)
        v[i] = i % 6;
    struct str s;
    CU_ASSERT_FATAL(str_ints(&s, v, LEN(v)) == 0);
    CU_ASSERT_EQUAL(misses_of(&s, PG_LRU, 5), LEN(v));
    CU_ASSERT_EQUAL(misses_of(&s, PG_FIFO, 5), LEN(v));
    CU_ASSERT_EQUAL(misses_of(&s, PG_CLOCK, 5), LEN(v));
    CU_ASSERT(misses_of(&s, PG_MRU, 5) < LEN(v) / 2);
    /* opt: 6 cold misses, then one in every 5 references (each buys 4 hits) */
    CU_ASSERT_EQUAL(misses_of(&s, PG_OPT, 5), 6 + (LEN(v) - 6) / 5);
    CU_ASSERT_EQUAL(misses_of(&s, PG_LRU, 6), 6);
    str_free(&s);
}

/* --- one pass against one simulation per size ---------------------------------------- */

static void test_one_pass_equals_simulation(void)
{
    srand(11);
    for (int round = 0; round < 60; round++) {
        size_t n = 1 + (size_t)(rand() % (round < 50 ? 400 : 5000));
        int npages = 1 + rand() % 20;
        uint64_t *p = malloc(n * sizeof *p);
        bool *w = malloc(n * sizeof *w);
        for (size_t i = 0; i < n; i++) {
            /* some locality: often one of the last few, sometimes anything */
            p[i] = i > 3 && rand() % 2 ? p[i - 1 - (size_t)(rand() % 4)] : (uint64_t)(rand() % npages);
            w[i] = rand() % 4 == 0;
        }
        struct str s;
        CU_ASSERT_FATAL(str_make(&s, p, w, n) == 0);
        uint32_t maxf = (uint32_t)npages + 2;
        uint64_t aging = 1 + (uint64_t)(rand() % 5);
        struct pg_request rq;
        struct pg_result res;
        uint32_t frames[32];
        CU_ASSERT_FATAL(analyze(&s, all, NALL, maxf, aging, &rq, &res, frames) == 0);
        for (int i = 0; i < NALL; i++)
            for (uint32_t f = 1; f <= maxf; f++) {
                uint64_t want = sim_misses(&s, all[i], f, 42, aging);
                uint64_t got = pg_misses(&rq, &res, i, (int)f - 1);
                CHECK(got == want, "round %d (%zu refs, %d pages): %s at %u frames: one pass %llu, "
                      "simulation %llu", round, n, npages, pg_policy_name(all[i]), f,
                      (unsigned long long)got, (unsigned long long)want);
                /* opt is the floor */
                CHECK(pg_misses(&rq, &res, 0, (int)f - 1) <= got, "round %d: %s beats opt at %u frames",
                      round, pg_policy_name(all[i]), f);
            }
        pg_result_free(&res);
        str_free(&s);
        free(p);
        free(w);
    }
}

/* Sizes not 1..N: a list with gaps, more than 64 of them (two banks). */
static void test_frame_lists(void)
{
    srand(5);
    size_t n = 3000;
    uint64_t *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint64_t)(rand() % 150);
    struct str s;
    CU_ASSERT_FATAL(str_make(&s, p, NULL, n) == 0);
    uint32_t frames[100];
    for (int i = 0; i < 100; i++)
        frames[i] = (uint32_t)(1 + 2 * i);
    struct pg_request rq = { .file = &s.f, .map = s.map, .refs = s.st.refs, .pages = s.st.pages,
                             .npolicy = NALL, .frames = frames, .nframes = 100, .seed = 42,
                             .threads = 3 };
    memcpy(rq.policy, all, sizeof all);
    struct pg_result res;
    char err[100];
    CU_ASSERT_FATAL(pg_analyze(&rq, &res, err, sizeof err) == 0);
    for (int i = 0; i < NALL; i++)
        for (int j = 0; j < 100; j += 13) {
            uint64_t want = sim_misses(&s, all[i], frames[j], 42, res.aging_interval);
            CHECK(pg_misses(&rq, &res, i, j) == want, "%s at %u frames: %llu, want %llu",
                  pg_policy_name(all[i]), frames[j],
                  (unsigned long long)pg_misses(&rq, &res, i, j), (unsigned long long)want);
        }
    /* mru by its stack equals mru simulated per size in a bank */
    uint64_t bank[PG_BANK];
    CU_ASSERT_FATAL(pg_bank_run(&rq, PG_MRU, frames, PG_BANK, 1, bank) == 0);
    int mru = -1;
    for (int i = 0; i < NALL; i++)
        if (all[i] == PG_MRU)
            mru = i;
    for (int j = 0; j < PG_BANK; j++)
        CHECK(bank[j] == pg_misses(&rq, &res, mru, j), "mru at %u frames: bank %llu, stack %llu",
              frames[j], (unsigned long long)bank[j], (unsigned long long)pg_misses(&rq, &res, mru, j));
    pg_result_free(&res);
    str_free(&s);
    free(p);
}

/* W(t, tau) against counting the window by hand. */
static void test_working_set(void)
{
    srand(9);
    size_t n = 2000;
    uint64_t *p = malloc(n * sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint64_t)(i < 1000 ? rand() % 6 : 10 + rand() % 20);   /* a phase change */
    struct str s;
    CU_ASSERT_FATAL(str_make(&s, p, NULL, n) == 0);
    size_t got;
    uint32_t *r = str_read(&s, &got);
    uint32_t frames[] = { 4, 8, 16 };
    for (uint64_t tau = 1; tau < 60; tau += 7) {
        struct pg_request rq = { .file = &s.f, .map = s.map, .refs = s.st.refs, .pages = s.st.pages,
                                 .npolicy = 0, .frames = frames, .nframes = 3, .tau = tau };
        struct pg_result res;
        char err[100];
        CU_ASSERT_FATAL(pg_analyze(&rq, &res, err, sizeof err) == 0);
        double sum = 0;
        uint32_t mx = 0;
        uint64_t over[3] = { 0 };
        for (size_t t = 0; t < got; t++) {
            bool seen[64] = { 0 };
            uint32_t w = 0;
            for (size_t k = t + 1 > tau ? t + 1 - tau : 0; k <= t; k++) {
                w += !seen[REF_ID(r[k])];
                seen[REF_ID(r[k])] = true;
            }
            sum += w;
            mx = w > mx ? w : mx;
            for (int j = 0; j < 3; j++)
                over[j] += w > frames[j];
        }
        CHECK(res.ws.max == mx, "tau %llu: max %u, want %u", (unsigned long long)tau, res.ws.max, mx);
        CHECK(res.ws.mean > sum / (double)got - 1e-9 && res.ws.mean < sum / (double)got + 1e-9,
              "tau %llu: mean %f, want %f", (unsigned long long)tau, res.ws.mean, sum / (double)got);
        for (int j = 0; j < 3; j++)
            CHECK(res.ws.over[j] == over[j], "tau %llu, %u frames: over %llu, want %llu",
                  (unsigned long long)tau, frames[j], (unsigned long long)res.ws.over[j],
                  (unsigned long long)over[j]);
        pg_result_free(&res);
    }
    free(r);
    str_free(&s);
    free(p);
}

/* --- the command line ----------------------------------------------------------------- */

#define TIMEOUT 60

static int vmlab(struct run_result *r, const char *const *args)
{
    char *argv[40];
    int n = 0;
    argv[n++] = (char *)test_path("vmlab");
    for (; *args && n < 39; args++)
        argv[n++] = (char *)*args;
    argv[n] = NULL;
    return run_cmd(argv, NULL, NULL, TIMEOUT, r);
}
#define VMLAB(r, ...) vmlab(r, (const char *const[]){ __VA_ARGS__, NULL })

static void expect_in(const char *hay, const char *needle, const char *what)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "\n%s: expected \"%s\" in:\n%s\n", what, needle, hay);
        CU_FAIL("expected text missing");
    }
}

static void test_cli_textbook(void)
{
    struct run_result r;
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs", "1,2,3,4,1,2,5,1,2,3,4,5", "--frames", "1..6",
                          "--policy", "fifo,lru,opt") == 0);
    CU_ASSERT_EQUAL(r.status, 0);
    expect_in(r.out, "FIFO: more frames, more misses at 4 frames: Belady's anomaly", "belady table");
    expect_in(r.out, "     3   9  25.0%  10  16.7%   7  41.7%", "3 frames row");
    expect_in(r.out, "     4  10  16.7%   8  33.3%   6  50.0%", "4 frames row");
    CU_ASSERT(strstr(r.out, "LRU: more frames") == NULL);
    run_free(&r);

    /* one policy, one size: the textbook table */
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs", "1,2,3,4,1,2,5,1,2,3,4,5", "--frames", "3",
                          "--policy", "fifo") == 0);
    CU_ASSERT_EQUAL(r.status, 0);
    expect_in(r.out, "the FIFO queue, oldest first", "fifo table");
    expect_in(r.out, "     4  4        miss   2 3 4           1\n", "fifo step 4: 1 replaced");
    expect_in(r.out, "     8  1        hit    1 2 5\n", "fifo step 8");
    expect_in(r.out, "hits 3, misses 9, hit rate 25.0%", "fifo totals");
    run_free(&r);

    /* the classic string: 15, 12, 9 at 3 frames; clock shows its hand */
    static const char *const want[][2] = { { "fifo", "misses 15" }, { "lru", "misses 12" },
                                           { "opt", "misses 9" }, { "clock", "misses 14" } };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs", "7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1",
                              "--frames", "3", "--policy", want[i][0]) == 0);
        CHECK(r.status == 0 && strstr(r.out, want[i][1]), "classic string, %s: %s", want[i][0], r.out);
        if (!strcmp(want[i][0], "clock"))
            expect_in(r.out, "     4  2        miss   >0 1 2*         7\n", "clock: hand and bits");
        run_free(&r);
    }
}

static void test_cli_formats(void)
{
    char dir[] = "/tmp/vmlab-paging-test.XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char png[80], refs[80];
    snprintf(png, sizeof png, "%s/p.png", dir);
    snprintf(refs, sizeof refs, "%s/r.refs", dir);
    struct run_result r;
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs", "1,2,3,4,1,2,5,1,2,3,4,5", "--csv",
                          "--policy", "fifo,opt", "--save-refs", refs) == 0);
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT(!strncmp(r.out, "policy,frames,refs,hits,misses,hit_rate\n", 40));
    expect_in(r.out, "\nfifo,4,12,2,10,0.1667\n", "csv row");
    int rows = 0;
    for (const char *c = r.out; *c; c++)
        rows += *c == '\n';
    CU_ASSERT_EQUAL(rows, 1 + 2 * 6);                 /* frames 1..6 by default */
    run_free(&r);
    /* the saved string read back, as JSON, with a plot and a working set */
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs-file", refs, "--json", "--plot", png,
                          "--working-set", "4", "--policy", "fifo") == 0);
    CU_ASSERT_EQUAL(r.status, 0);
    expect_in(r.out, "\"policy\": \"fifo\", \"misses\": [12, 12, 9, 10, 5, 5]", "json misses");
    expect_in(r.out, "\"anomaly\": {\"frames\": 4, \"misses\": 10", "json anomaly");
    expect_in(r.out, "\"working_set\": {\"tau\": 4", "json working set");
    run_free(&r);
    FILE *f = fopen(png, "rb");
    unsigned char h[24] = { 0 };
    CU_ASSERT_FATAL(f != NULL);
    CU_ASSERT_EQUAL(fread(h, 1, 24, f), 24);
    fclose(f);
    CU_ASSERT(!memcmp(h, "\x89PNG\r\n\x1a\n", 8) && !memcmp(h + 12, "IHDR", 4));
    CU_ASSERT(h[16] == 0 && h[17] == 0 && (h[18] << 8 | h[19]) == 1140);   /* the width */
    /* a lackey log: fetches and data, a crossing access, valgrind's own lines */
    snprintf(refs, sizeof refs, "%s/lackey.log", dir);
    f = fopen(refs, "w");
    fputs("==123== Lackey, an example Valgrind tool\n==123== \n"
          "I  04000000,3\n L 7ff000000,8\nI  04000003,4\n S 7ff000ffe,4\nI  04001000,2\n"
          " M 05000010,4\n==123== \n", f);
    fclose(f);
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs-file", refs, "--frames", "1", "--policy", "lru") == 0);
    CU_ASSERT_EQUAL(r.status, 0);
    /* 0x4000 0x7ff000 0x4000 0x7ff000w 0x7ff001w 0x4001 0x5000w */
    expect_in(r.out, "7 references to 5 pages of 4096 bytes", "lackey string");
    expect_in(r.out, "     5  0x7ff001w miss", "lackey: the store crossing into the next page");
    run_free(&r);
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs-file", refs, "--data-only", "--frames", "1",
                          "--policy", "lru") == 0);
    expect_in(r.out, "3 references to 3 pages", "lackey, data only");
    run_free(&r);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CU_ASSERT(system(cmd) == 0);
}

/* Bad input: one clear line on stderr, nothing on stdout, a non-zero exit. */
static void test_cli_errors(void)
{
    char dir[] = "/tmp/vmlab-paging-test.XXXXXX";
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    char fifo[80], garbage[80], cut[80], missing[80];
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    snprintf(garbage, sizeof garbage, "%s/garbage.log", dir);
    snprintf(cut, sizeof cut, "%s/cut.refs", dir);
    snprintf(missing, sizeof missing, "%s/none", dir);
    CU_ASSERT_FATAL(mkfifo(fifo, 0600) == 0);
    FILE *f = fopen(garbage, "w");
    fputs("==1== Lackey\nI  04000000,3\n L 7ff000000,8\nhello from the program\n", f);
    fclose(f);
    struct run_result r;
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--refs", "1,2,3", "--save-refs", cut) == 0);
    run_free(&r);
    CU_ASSERT(truncate(cut, 60) == 0);
    static const struct {
        const char *args[8];
        const char *says;
    } bad[] = {
        { { "--refs", "" }, "the reference string is empty" },
        { { "--refs", " , ,# nothing" }, "the reference string is empty" },
        { { "--refs", "1,2,x,4" }, "'x' is not a page number" },
        { { "--refs", "1,2,3", "--frames", "0" }, "0 frames hold no page" },
        { { "--refs", "1,2,3", "--frames", "4..2" }, "a range must go up" },
        { { "--refs", "1,2,3", "--frames", "two" }, "expected sizes like" },
        { { "--refs", "1,2,3", "--policy", "lfu" }, "'lfu' is not a policy" },
        { { "--refs", "1,2,3", "--working-set", "0" }, "--working-set 0" },
        { { "--refs-file", NULL }, "not a lackey trace line: 'hello from the program'" },
        { { "--refs-file", NULL }, "not a regular file (a FIFO)" },
        { { "--refs-file", NULL }, "not a regular file (a directory)" },
        { { "--refs-file", NULL }, "truncated" },
        { { "--refs-file", NULL }, "No such file or directory" },
        { { "--frames", "3" }, "give a string (--refs LIST or --refs-file FILE) or a PROGRAM" },
    };
    const char *files[] = { garbage, fifo, dir, cut, missing };
    int fi = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[12] = { "paging" };
        int n = 1;
        for (int k = 0; k < 8 && (bad[i].args[k] || (k == 1 && !strcmp(bad[i].args[0], "--refs-file"))); k++)
            args[n++] = bad[i].args[k] ? bad[i].args[k] : files[fi++];
        args[n] = NULL;
        CU_ASSERT_FATAL(vmlab(&r, args) == 0);
        int lines = 0;
        for (const char *c = r.err; *c; c++)
            lines += *c == '\n';
        CHECK(r.status != 0 && !r.timed_out && lines == 1 && r.outlen == 0 && strstr(r.err, bad[i].says),
              "case %zu (%s %s): status %d, %d lines: %s", i, args[1], args[2] ? args[2] : "",
              r.status, lines, r.err);
        run_free(&r);
    }
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CU_ASSERT(system(cmd) == 0);
}

/* --- the recorder, on a guest whose string is known ------------------------------------ */

struct recorded {
    uint64_t *page;
    bool     *w;
    size_t    n;
};

static bool load_refs(const char *path, struct recorded *rc)
{
    struct refs_file f;
    struct refs_map *m;
    struct refs_stats st;
    char err[200];
    if (refs_open_file(&f, path, err, sizeof err) || refs_scan(&f, &m, &st, err, sizeof err)) {
        fprintf(stderr, "\n%s: %s\n", path, err);
        return false;
    }
    uint32_t *r = malloc((st.refs + 1) * sizeof *r);
    struct refs_reader rd;
    refs_reader_init(&rd, &f, m);
    size_t k = 0, got;
    while ((got = refs_read(&rd, r + k, 4096)) > 0)
        k += got;
    rc->n = k;
    rc->page = malloc((k + 1) * sizeof *rc->page);
    rc->w = malloc((k + 1) * sizeof *rc->w);
    for (size_t i = 0; i < k; i++) {
        rc->page[i] = refs_map_page(m, REF_ID(r[i]));
        rc->w[i] = REF_WRITTEN(r[i]);
    }
    free(r);
    refs_map_free(m);
    refs_close(&f);
    return k == st.refs;
}

/* Record known_refs (engine: "" or "--interp"); its pages from its output. */
static bool record(const char *engine, bool data_only, const char *path, struct recorded *rc,
                   uint64_t code[3], uint64_t area[3])
{
    struct run_result r;
    const char *args[12] = { "paging", "--save-refs", path, "--frames", "1", "--policy", "fifo" };
    int n = 7;
    if (*engine)
        args[n++] = engine;
    if (data_only)
        args[n++] = "--data-only";
    args[n++] = test_path("guests/known_refs");
    args[n] = NULL;
    if (vmlab(&r, args) || r.status != 0) {
        fprintf(stderr, "\nknown_refs: status %d: %s\n", r.status, r.err);
        run_free(&r);
        return false;
    }
    unsigned long c[3], a[3];
    bool ok = sscanf(r.out, "code %lx %lx %lx area %lx %lx %lx", &c[0], &c[1], &c[2], &a[0], &a[1],
                     &a[2]) == 6;
    for (int i = 0; i < 3; i++)
        code[i] = c[i] >> 12, area[i] = a[i] >> 12;
    run_free(&r);
    return ok && load_refs(path, rc);
}

static void test_recorded_string(void)
{
    char path[] = "/tmp/vmlab-known-refs.XXXXXX";
    int fd = mkstemp(path);
    CU_ASSERT_FATAL(fd >= 0);
    close(fd);
    struct recorded both[2][2];
    for (int data_only = 0; data_only < 2; data_only++)
        for (int e = 0; e < 2; e++) {
            uint64_t c[3], a[3];
            struct recorded *rc = &both[data_only][e];
            CU_ASSERT_FATAL(record(e ? "--interp" : "", data_only, path, rc, c, a));
            /* the expected string (guests/known_refs.c), -1 = the caller's page */
            enum { P, P1, P2, A0, A1, A2, M };
            static const int fetch[][2] = {
                { P, 0 }, { A0, 0 }, { P, 0 }, { A1, 0 }, { P, 0 }, { A0, 1 }, { P, 0 }, { A0, 0 },
                { P, 0 }, { A2, 1 }, { P, 0 }, { A0, 0 }, { A1, 0 },
                { P, 0 }, { A0, 0 }, { P, 0 }, { A1, 0 }, { P, 0 }, { A0, 0 }, { P, 0 }, { A1, 0 },
                { P, 0 }, { A0, 0 }, { P, 0 }, { A1, 0 },
                { P, 0 }, { A2, 0 }, { P1, 0 }, { A0, 0 }, { P1, 0 }, { P2, 0 }, { A0, 0 }, { P2, 0 },
                { M, 0 },
            };
            static const int data[][2] = {
                { A0, 0 }, { A1, 0 }, { A0, 1 }, { P, 0 }, { A2, 1 }, { A0, 0 }, { A1, 0 }, { A0, 0 },
                { A1, 0 }, { A0, 0 }, { A1, 0 }, { A0, 0 }, { A1, 0 }, { A2, 0 }, { A0, 0 },
            };
            uint64_t page[] = { c[0], c[1], c[2], a[0], a[1], a[2], 0 };
            const int (*want)[2] = data_only ? data : fetch;
            size_t len = data_only ? sizeof data / sizeof data[0] : sizeof fetch / sizeof fetch[0];
            size_t at = 0;
            while (at < rc->n && rc->page[at] != page[data_only ? A0 : P])
                at++;
            CU_ASSERT_FATAL(at > 0 && at + len <= rc->n);
            page[M] = rc->page[at - 1];               /* main's page, where the call came from */
            int bad = -1;
            for (size_t i = 0; i < len && bad < 0; i++)
                if (rc->page[at + i] != page[want[i][0]] || rc->w[at + i] != (bool)want[i][1])
                    bad = (int)i;
            CHECK(bad < 0, "known_refs%s%s: reference %d of the window is 0x%llx%s", e ? " --interp" : "",
                  data_only ? " --data-only" : "", bad, bad < 0 ? 0ull : (unsigned long long)rc->page[at + bad],
                  bad >= 0 && rc->w[at + bad] ? " (written)" : "");
        }
    /* both engines, the whole string */
    for (int d = 0; d < 2; d++) {
        CU_ASSERT_EQUAL(both[d][0].n, both[d][1].n);
        CU_ASSERT(both[d][0].n == both[d][1].n &&
                  !memcmp(both[d][0].page, both[d][1].page, both[d][0].n * sizeof(uint64_t)) &&
                  !memcmp(both[d][0].w, both[d][1].w, both[d][0].n * sizeof(bool)));
        for (int e = 0; e < 2; e++) {
            free(both[d][e].page);
            free(both[d][e].w);
        }
    }
    unlink(path);
}

/* The belady guest gives Belady's table (--only: the pages of its array). */
static void test_belady_guest(void)
{
    struct run_result r;
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--only", "pages", "--policy", "fifo,lru,opt",
                          test_path("guests/belady")) == 0);
    CU_ASSERT_EQUAL(r.status, 0);
    expect_in(r.out, "12 references to 5 pages", "belady guest");
    expect_in(r.out, "FIFO: more frames, more misses at 4 frames: Belady's anomaly "
              "(9 misses with 3 frames, 10 with 4)", "belady guest");
    run_free(&r);
    /* the whole program's string: fifo, lru, opt, one pass each, all agree with pg_sim elsewhere */
    CU_ASSERT_FATAL(VMLAB(&r, "paging", "--interp", "--only", "nothing", test_path("guests/belady")) == 0);
    CU_ASSERT_NOT_EQUAL(r.status, 0);
    expect_in(r.err, "no symbol of that name", "--only a missing symbol");
    run_free(&r);
}

void paging_suite_add(void)
{
    CU_pSuite s = CU_add_suite("paging", NULL, NULL);
    CU_add_test(s, "format: written and read back", test_format_roundtrip);
    CU_add_test(s, "format: cut and damaged strings", test_format_damaged);
    CU_add_test(s, "Belady's string: fifo, lru, opt at 1..6 frames", test_textbook_belady);
    CU_add_test(s, "the classic 20-reference string", test_textbook_classic);
    CU_add_test(s, "a cyclic string defeats lru and fifo", test_cyclic);
    CU_add_test(s, "one pass equals one simulation per size; opt is the floor",
                test_one_pass_equals_simulation);
    CU_add_test(s, "frame lists with gaps, two banks", test_frame_lists);
    CU_add_test(s, "working set W(t, tau)", test_working_set);
    CU_add_test(s, "vmlab paging: textbook tables", test_cli_textbook);
    CU_add_test(s, "vmlab paging: csv, json, plot, saved strings, lackey logs", test_cli_formats);
    CU_add_test(s, "vmlab paging: bad input, one line each", test_cli_errors);
    CU_add_test(s, "recorded string of a guest with a known pattern, both engines", test_recorded_string);
    CU_add_test(s, "the belady guest: Belady's anomaly from a real program", test_belady_guest);
}
