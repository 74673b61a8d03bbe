/* paging/paging.h — the experiment tool behind `vmlab paging`: replacement
 * policies replayed on a page reference string (paging/refs.h), for every
 * memory size at once.
 *
 * The offline world is the kernel's (kernel/reclaim.c), with the string
 * in place of the MMU: memory has F frames, free frames are used lowest
 * first, every reference sets its page's referenced bit (the one that
 * misses and loads the page too, as the kernel's fault sets A), a write
 * sets its dirty bit, and a page that comes in starts clean unless the
 * reference that brings it in writes.  fifo, clock, nru, aging and random
 * are kernel/policy.c, the very code the kernel runs; aging samples every
 * `aging_interval` references (the kernel: instructions).  A policy hears
 * only of misses — on a hit nothing but the bits change, because a kernel
 * never sees a TLB hit.
 *
 * opt, lru and mru exist only here, for the reason in kernel/policy.h: a
 * kernel cannot know the future (OPT evicts the page used farthest
 * ahead: Belady's MIN, the floor no policy goes below) nor the order of
 * the hits it never sees (exact LRU, and its opposite MRU).
 *
 * How: opt and lru are stack algorithms (Mattson et al. 1970: the pages in
 * memory with F frames are always among those with F + 1), so one pass
 * gives their misses for every size: lru from each reference's stack
 * distance (a Fenwick tree over last-use times), opt from a priority
 * stack ordered by next use (next-use times from a backward pass).  The
 * others run one simulation per size, but 64 sizes share one pass: a
 * page's residency in all of them is one 64-bit word, so a hit costs the
 * same for 64 sizes as for one, and only misses cost per size.  Passes run
 * on as many threads as there are processors.
 */
#ifndef VMLAB_PAGING_PAGING_H
#define VMLAB_PAGING_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "paging/refs.h"

/* X(id, name, in the kernel too) */
#define PG_POLICY_LIST(X)   \
    X(OPT,    "opt",    0)  \
    X(LRU,    "lru",    0)  \
    X(FIFO,   "fifo",   1)  \
    X(CLOCK,  "clock",  1)  \
    X(NRU,    "nru",    1)  \
    X(AGING,  "aging",  1)  \
    X(RANDOM, "random", 1)  \
    X(MRU,    "mru",    0)

enum pg_policy {
#define X(id, name, live) PG_##id,
    PG_POLICY_LIST(X)
#undef X
    PG_NPOLICY
};

const char *pg_policy_name(enum pg_policy p);
/* "fifo" -> PG_FIFO; -1 if not a policy. */
int pg_policy_from_name(const char *name);

/* The default aging interval for a string of n references: 1 up to
 * 100,000 references, then n / 100,000 (so about 100,000 samples). */
uint64_t pg_default_aging_interval(uint64_t n);

struct pg_request {
    const struct refs_file *file;
    const struct refs_map  *map;
    uint64_t refs;                 /* from refs_scan */
    uint32_t pages;
    enum pg_policy policy[PG_NPOLICY];
    int      npolicy;
    const uint32_t *frames;        /* ascending, distinct, each >= 1 */
    int      nframes;
    uint64_t seed;                 /* random */
    uint64_t aging_interval;       /* references; 0: the default */
    uint64_t tau;                  /* working-set window; 0: none */
    int      threads;              /* 0: one per processor */
};

#define PG_WS_POINTS 1000          /* the working-set curve, sampled */

struct pg_wset {
    uint64_t tau;
    double   mean;
    uint32_t max;
    uint64_t *over;                /* [nframes]: references at which W(t, tau) > frames */
    size_t   npoints;              /* the curve: bucket i covers references */
    uint64_t bucket;               /* [i * bucket, (i + 1) * bucket) */
    uint32_t *wmin, *wmax;         /* [npoints] */
    double   *wmean;
};

struct pg_result {
    uint64_t *misses;              /* [npolicy * nframes]: policy i, frames j at i * nframes + j */
    uint64_t aging_interval;       /* the one used */
    struct pg_wset ws;             /* if tau */
    double   seconds;              /* wall time of the analysis */
};

/* Run every policy at every size (and the working set).  Returns 0, or -1
 * with one line in err (out of memory, a failed temporary file). */
int  pg_analyze(const struct pg_request *rq, struct pg_result *res, char *err, size_t errlen);
void pg_result_free(struct pg_result *res);

static inline uint64_t pg_misses(const struct pg_request *rq, const struct pg_result *res,
                                 int policy, int frame)
{
    return res->misses[(size_t)policy * (size_t)rq->nframes + (size_t)frame];
}

/* Belady's anomaly: the first size at which a policy misses more than at
 * the size before it in the list.  Returns the index j >= 1 into frames,
 * or -1. */
int pg_anomaly(const struct pg_request *rq, const struct pg_result *res, int policy);

/* --- output (paging/report.c, paging/plot.c) ----------------------------------------- */

/* What is printed about a string besides the numbers. */
struct pg_about {
    const struct refs_file *file; /* its header: page numbers, fetches, source */
    const struct refs_map  *map;  /* page names */
    uint64_t writes;
};

/* One line: what the string is (source, references, pages, writes). */
void pg_describe(FILE *out, const struct pg_request *rq, const struct pg_about *ab);

/* The table: one row per size, misses and hit rate per policy (and with a
 * working set, how often W(t, tau) was larger than the memory); then the
 * anomalies found, each "FIFO: more frames, more misses at 4 frames:
 * Belady's anomaly (...)". */
void pg_print_table(FILE *out, const struct pg_request *rq, const struct pg_result *res,
                    const struct pg_about *ab);
/* The same as one JSON object / as CSV: a header row, then one row per
 * policy and size (policy,frames,refs,hits,misses,hit_rate). */
void pg_print_json(FILE *out, const struct pg_request *rq, const struct pg_result *res,
                   const struct pg_about *ab);
void pg_print_csv(FILE *out, const struct pg_request *rq, const struct pg_result *res);

/* The textbook table of one policy at one size: each reference, hit or
 * miss, what memory holds after it in the policy's order, the page
 * replaced; then the totals.  At most max_rows rows (the totals count
 * all).  Returns 0 or -1 (out of memory). */
int pg_print_steps(FILE *out, const struct pg_request *rq, const struct pg_about *ab,
                   enum pg_policy p, uint32_t frames, uint64_t aging_interval, uint64_t max_rows);

/* The plot (see paging/plot.c) into path, atomically.  Returns 0 or -1
 * with one line in err. */
int pg_plot(const char *path, const struct pg_request *rq, const struct pg_result *res,
            const char *title, char *err, size_t errlen);

/* --- one policy at one size, reference by reference (the textbook table,
 * and the reference the fast paths are tested against) ------------------------------ */

struct pg_sim;

/* For a string of `pages` distinct pages (ids below it).  NULL if out of
 * memory. */
struct pg_sim *pg_sim_new(enum pg_policy p, uint32_t frames, uint32_t pages, uint64_t seed);
void pg_sim_free(struct pg_sim *s);

struct pg_step {
    bool     hit;
    uint32_t slot;                 /* the frame the page is in now */
    int64_t  evicted;              /* the page id that left, or -1 */
};

/* Reference page id (written: a store) at time t; next is the time of
 * the next reference to the same page (UINT64_MAX if none: only opt looks
 * at it). */
void pg_sim_ref(struct pg_sim *s, uint32_t id, bool written, uint64_t t, uint64_t next,
                struct pg_step *out);

/* Aging's sampling interval has passed (no-op for the other policies). */
void pg_sim_tick(struct pg_sim *s);

uint64_t pg_sim_misses(const struct pg_sim *s);

/* What memory holds, in the policy's order: fifo and aging oldest first,
 * lru and mru most recent first, clock and nru from the hand, opt and
 * random by frame. */
struct pg_frame {
    uint32_t id;
    uint32_t slot;
    bool     referenced, dirty;
    uint8_t  age;                  /* aging's counter */
    uint64_t next;                 /* opt: the next use */
};
int pg_sim_frames(const struct pg_sim *s, struct pg_frame *out, int max);
/* The clock hand's frame (clock, nru), else -1. */
int pg_sim_hand(const struct pg_sim *s);

#endif
