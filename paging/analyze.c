/* paging/analyze.c — pg_analyze: the passes of paging/engine.h as jobs on
 * a few threads.  Each job reads the string with its own reader (the
 * string and its page map are shared, read-only) and writes its own part
 * of the result, so the answer is the same on any number of threads. */
#include "paging/engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum job_kind { JOB_LRU, JOB_OPT, JOB_MRU, JOB_BANK, JOB_WSET };

struct job {
    enum job_kind kind;
    int      row;                 /* policy index in the request */
    int      first, n;            /* JOB_BANK: frames[first .. first + n) */
    int      rc;
};

struct work {
    const struct pg_request *rq;
    struct pg_result *res;
    struct job *jobs;
    int       njobs;
    atomic_int next;
};

static void run_job(struct work *w, struct job *j)
{
    const struct pg_request *rq = w->rq;
    uint64_t *row = w->res->misses + (size_t)j->row * (size_t)rq->nframes;
    switch (j->kind) {
    case JOB_LRU:
        j->rc = pg_lru_run(rq, row);
        break;
    case JOB_OPT:
        j->rc = pg_opt_run(rq, row);
        break;
    case JOB_MRU:
        j->rc = pg_mru_run(rq, row);
        break;
    case JOB_BANK:
        j->rc = pg_bank_run(rq, rq->policy[j->row], rq->frames + j->first, j->n,
                            w->res->aging_interval, row + j->first);
        break;
    case JOB_WSET:
        j->rc = pg_wset_run(rq, &w->res->ws);
        break;
    }
}

static void *worker(void *arg)
{
    struct work *w = arg;
    for (int i; (i = atomic_fetch_add(&w->next, 1)) < w->njobs;)
        run_job(w, &w->jobs[i]);
    return NULL;
}

int pg_analyze(const struct pg_request *rq, struct pg_result *res, char *err, size_t errlen)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(res, 0, sizeof *res);
    res->aging_interval = rq->aging_interval ? rq->aging_interval
                                             : pg_default_aging_interval(rq->refs);
    res->misses = calloc((size_t)rq->npolicy * (size_t)rq->nframes + 1, sizeof *res->misses);
    int maxjobs = rq->npolicy * (rq->nframes / PG_BANK + 1) + 1;
    struct job *jobs = calloc((size_t)maxjobs, sizeof *jobs);
    if (!res->misses || !jobs) {
        free(jobs);
        pg_result_free(res);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* the longest first (measured: nru and aging look at every frame on
     * a miss; opt reads the string three times; lru and mru once) */
    static const enum pg_policy by_cost[] = { PG_NRU, PG_AGING, PG_RANDOM, PG_CLOCK, PG_FIFO };
    int nj = 0;
    for (size_t c = 0; c < sizeof by_cost / sizeof by_cost[0]; c++)
        for (int i = 0; i < rq->npolicy; i++) {
            if (rq->policy[i] != by_cost[c])
                continue;
            for (int f = 0; f < rq->nframes; f += PG_BANK)
                jobs[nj++] = (struct job){ .kind = JOB_BANK, .row = i, .first = f,
                                           .n = rq->nframes - f < PG_BANK ? rq->nframes - f : PG_BANK };
        }
    for (int i = 0; i < rq->npolicy; i++)
        if (rq->policy[i] == PG_OPT)
            jobs[nj++] = (struct job){ .kind = JOB_OPT, .row = i };
    for (int i = 0; i < rq->npolicy; i++)
        if (rq->policy[i] == PG_LRU || rq->policy[i] == PG_MRU)
            jobs[nj++] = (struct job){ .kind = rq->policy[i] == PG_LRU ? JOB_LRU : JOB_MRU, .row = i };
    if (rq->tau)
        jobs[nj++] = (struct job){ .kind = JOB_WSET };

    struct work w = { rq, res, jobs, nj, 0 };
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int nt = rq->threads ? rq->threads : ncpu > 0 ? (int)ncpu : 1;
    if (nt > nj)
        nt = nj;
    if (nt > 64)
        nt = 64;
    pthread_t th[64];
    int started = 0;
    for (int i = 1; i < nt; i++) {
        if (pthread_create(&th[started], NULL, worker, &w))
            break;                    /* fewer threads: the others do the work */
        started++;
    }
    worker(&w);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    int rc = 0;
    for (int i = 0; i < nj && !rc; i++)
        rc = jobs[i].rc;
    free(jobs);
    if (rc) {
        snprintf(err, errlen, "%s", rc == -ENOMEM ? "out of memory" : strerror(-rc));
        pg_result_free(res);
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return 0;
}

void pg_result_free(struct pg_result *res)
{
    free(res->misses);
    free(res->ws.over);
    free(res->ws.wmin);
    free(res->ws.wmax);
    free(res->ws.wmean);
    memset(res, 0, sizeof *res);
}

int pg_anomaly(const struct pg_request *rq, const struct pg_result *res, int policy)
{
    for (int j = 1; j < rq->nframes; j++)
        if (pg_misses(rq, res, policy, j) > pg_misses(rq, res, policy, j - 1))
            return j;
    return -1;
}
