/* paging/wset.c — Denning's working set W(t, tau): the number of distinct
 * pages among the last tau references, after each reference t (Denning,
 * "The working set model for program behavior", CACM 11(5), 1968).
 *
 * Two readers walk the string tau references apart: the leading one
 * brings a page into the window, the trailing one sees which reference
 * leaves it; a page leaves when the reference leaving was its latest.  No
 * buffer of tau references, whatever tau.
 */
#include "paging/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int pg_wset_run(const struct pg_request *rq, struct pg_wset *ws)
{
    uint64_t tau = rq->tau, n = rq->refs;
    uint32_t pages = rq->pages ? rq->pages : 1;
    memset(ws, 0, sizeof *ws);
    ws->tau = tau;
    ws->npoints = n < PG_WS_POINTS ? (size_t)n : PG_WS_POINTS;
    ws->bucket = ws->npoints ? (n + ws->npoints - 1) / ws->npoints : 1;
    if (ws->npoints)
        ws->npoints = (size_t)((n + ws->bucket - 1) / ws->bucket);
    uint64_t *lastpos = calloc(pages, sizeof *lastpos);   /* latest reference + 1 */
    uint64_t *histw = calloc((size_t)pages + 1, sizeof *histw);
    uint32_t *lead = malloc(PG_CHUNK * sizeof *lead), *lag = malloc(PG_CHUNK * sizeof *lag);
    ws->over = calloc(rq->nframes ? (size_t)rq->nframes : 1, sizeof *ws->over);
    ws->wmin = calloc(ws->npoints ? ws->npoints : 1, sizeof *ws->wmin);
    ws->wmax = calloc(ws->npoints ? ws->npoints : 1, sizeof *ws->wmax);
    ws->wmean = calloc(ws->npoints ? ws->npoints : 1, sizeof *ws->wmean);
    int rc = -ENOMEM;
    if (!lastpos || !histw || !lead || !lag || !ws->over || !ws->wmin || !ws->wmax || !ws->wmean)
        goto out;
    struct refs_reader rl, rt;
    refs_reader_init(&rl, rq->file, rq->map);
    refs_reader_init(&rt, rq->file, rq->map);
    size_t nl = 0, il = 0, nt = 0, it = 0;
    uint32_t w = 0;
    double sum = 0, bsum = 0;
    uint32_t bmin = UINT32_MAX, bmax = 0;
    for (uint64_t t = 0; t < n; t++) {
        if (il == nl) {
            nl = refs_read(&rl, lead, PG_CHUNK);
            il = 0;
            if (!nl)
                break;
        }
        uint32_t x = REF_ID(lead[il++]);
        if (t >= tau) {                       /* the reference at t - tau leaves */
            if (it == nt) {
                nt = refs_read(&rt, lag, PG_CHUNK);
                it = 0;
            }
            uint32_t y = REF_ID(lag[it++]);
            if (lastpos[y] == t - tau + 1)
                w--;
        }
        /* the window is now [lo, t]: was x in [lo, t - 1]? */
        uint64_t lo = t + 1 > tau ? t + 1 - tau : 0;
        if (lastpos[x] < lo + 1)
            w++;
        lastpos[x] = t + 1;
        histw[w]++;
        sum += w;
        if (w > ws->max)
            ws->max = w;
        bsum += w;
        if (w < bmin)
            bmin = w;
        if (w > bmax)
            bmax = w;
        if ((t + 1) % ws->bucket == 0 || t + 1 == n) {
            size_t b = (size_t)(t / ws->bucket);
            uint64_t cnt = t + 1 - (uint64_t)b * ws->bucket;
            ws->wmin[b] = bmin;
            ws->wmax[b] = bmax;
            ws->wmean[b] = bsum / (double)cnt;
            bsum = 0;
            bmin = UINT32_MAX;
            bmax = 0;
        }
    }
    ws->mean = n ? sum / (double)n : 0;
    for (int j = 0; j < rq->nframes; j++)
        for (uint64_t v = (uint64_t)rq->frames[j] + 1; v <= pages; v++)
            ws->over[j] += histw[v];
    rc = 0;
out:
    free(lastpos);
    free(histw);
    free(lead);
    free(lag);
    return rc;
}
