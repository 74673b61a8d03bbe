/* paging/stack.c — lru and opt for every memory size in one pass each
 * (Mattson, Gecsei, Slutz and Traiger, "Evaluation techniques for storage
 * hierarchies", IBM Systems Journal 9(2), 1970).
 *
 * Both are stack algorithms: there is an order of all pages (the stack)
 * such that memory with F frames holds exactly the top F.  A reference to
 * the page at depth d hits for every F >= d and misses for every F < d,
 * so the histogram of depths gives the misses of every size.
 *
 * lru: the stack is by last use, and the depth of a reference is 1 + the
 * number of distinct pages used since that page's last use: the count of
 * "last use" marks after it, kept in a Fenwick tree over time.  Time is
 * renumbered when the tree is full (only one mark per page is alive), so
 * the tree stays 2 to 4 times the number of pages however long the string.
 * O(n log pages).
 *
 * opt: the stack is by priority, the next use (sooner is higher).  When x
 * is referenced it goes on top, and the page pushed down from each level
 * to the next is, of the one coming from above and the one there, the one
 * used later — down to x's old level, which takes what is left (what size
 * i evicts is what leaves the top i).  The next use of every reference
 * comes from a pass backwards over the string, chunk by chunk (a reader
 * can be copied to mark a place), kept as varints in memory or in a
 * temporary file.  Only the top M levels are kept (M the largest size
 * asked for): O(n M) at worst, usually far less, as most references are
 * near the top.
 *
 * mru, too (see pg_mru_run).
 */
#include "paging/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The misses at every size asked for, from a histogram of depths:
 * hist[d] references found at depth d (1..levels), `none` found in no
 * level kept (first uses, and those below the levels).  misses(F) = none
 * + the references deeper than F. */
static void misses_by_depth(const struct pg_request *rq, const uint64_t *hist, uint32_t levels,
                            uint64_t none, uint64_t *misses)
{
    uint64_t deeper = 0;
    int j = rq->nframes - 1;
    for (uint32_t d = levels; j >= 0; d--) {
        while (j >= 0 && rq->frames[j] >= d) {
            misses[j] = none + deeper;
            j--;
        }
        if (d == 0)
            break;
        deeper += hist[d];
    }
}

/* --- lru ---------------------------------------------------------------------- */

struct fenwick {
    uint32_t *t;                  /* 1-based */
    uint32_t  cap;
};

static void fw_add(struct fenwick *f, uint32_t i, int32_t v)
{
    for (; i <= f->cap; i += i & -i)
        f->t[i] += (uint32_t)v;
}

static uint32_t fw_prefix(const struct fenwick *f, uint32_t i)
{
    uint32_t s = 0;
    for (; i; i -= i & -i)
        s += f->t[i];
    return s;
}

int pg_lru_run(const struct pg_request *rq, uint64_t *misses)
{
    uint32_t pages = rq->pages ? rq->pages : 1;
    uint64_t capw = 2ull * pages + 65536;
    if (capw > UINT32_MAX / 2)
        return -ENOMEM;
    struct fenwick fw = { calloc(capw + 1, sizeof(uint32_t)), (uint32_t)capw };
    uint32_t *last = calloc(pages, sizeof *last);            /* time + 0, 0 = never */
    uint32_t *who = calloc(capw + 1, sizeof *who);           /* time -> page */
    uint64_t *hist = calloc((size_t)pages + 2, sizeof *hist); /* depth -> references */
    uint32_t *buf = malloc(PG_CHUNK * sizeof *buf);
    int rc = -ENOMEM;
    if (!fw.t || !last || !who || !hist || !buf)
        goto out;
    uint64_t cold = 0;
    uint32_t live = 0, now = 0;
    struct refs_reader rd;
    refs_reader_init(&rd, rq->file, rq->map);
    size_t got;
    while ((got = refs_read(&rd, buf, PG_CHUNK)) > 0) {
        for (size_t k = 0; k < got; k++) {
            uint32_t x = REF_ID(buf[k]);
            if (now == fw.cap) {
                /* renumber the live marks 1..live, in order */
                memset(fw.t, 0, (fw.cap + 1) * sizeof *fw.t);
                uint32_t t2 = 0;
                for (uint32_t t = 1; t <= fw.cap; t++) {
                    uint32_t y = who[t];
                    if (last[y] == t) {
                        who[++t2] = y;
                        last[y] = t2;
                    }
                }
                for (uint32_t t = 1; t <= t2; t++)
                    fw.t[t] = 1;                  /* build in O(cap) */
                for (uint32_t t = 1; t <= fw.cap; t++) {
                    uint32_t up = t + (t & -t);
                    if (up <= fw.cap)
                        fw.t[up] += fw.t[t];
                }
                now = t2;
            }
            now++;
            if (last[x]) {
                uint32_t d = live - fw_prefix(&fw, last[x]) + 1;
                hist[d]++;
                fw_add(&fw, last[x], -1);
            } else {
                cold++;
                live++;
            }
            fw_add(&fw, now, 1);
            last[x] = now;
            who[now] = x;
        }
    }
    misses_by_depth(rq, hist, pages, cold, misses);
    rc = 0;
out:
    free(fw.t);
    free(last);
    free(who);
    free(hist);
    free(buf);
    return rc;
}

/* --- mru ------------------------------------------------------------------------ */

/* mru is a stack algorithm too (its priority, "used longest ago first",
 * does not depend on the memory size), and a simple one: the page on top
 * is always the one referenced last, which loses to every other, so it
 * sinks all the way to x's old level while nothing else moves.  A
 * reference swaps x with the top: O(1). */
int pg_mru_run(const struct pg_request *rq, uint64_t *misses)
{
    uint32_t pages = rq->pages ? rq->pages : 1;
    uint32_t *stack = malloc(pages * sizeof *stack);
    int32_t *pos = malloc(pages * sizeof *pos);
    uint64_t *hist = calloc((size_t)pages + 2, sizeof *hist);
    uint32_t *buf = malloc(PG_CHUNK * sizeof *buf);
    int rc = -ENOMEM;
    if (!stack || !pos || !hist || !buf)
        goto out;
    memset(pos, 0xff, pages * sizeof *pos);
    uint32_t len = 0;
    uint64_t cold = 0;
    struct refs_reader rd;
    refs_reader_init(&rd, rq->file, rq->map);
    size_t got;
    while ((got = refs_read(&rd, buf, PG_CHUNK)) > 0) {
        for (size_t k = 0; k < got; k++) {
            uint32_t x = REF_ID(buf[k]);
            int32_t d = pos[x];
            if (d == 0) {
                hist[1]++;
                continue;
            }
            uint32_t to;
            if (d > 0) {
                hist[d + 1]++;
                to = (uint32_t)d;
            } else {
                cold++;
                to = len++;
                if (to == 0) {
                    stack[0] = x;
                    pos[x] = 0;
                    continue;
                }
            }
            stack[to] = stack[0];
            pos[stack[0]] = (int32_t)to;
            stack[0] = x;
            pos[x] = 0;
        }
    }
    misses_by_depth(rq, hist, pages, cold, misses);
    rc = 0;
out:
    free(stack);
    free(pos);
    free(hist);
    free(buf);
    return rc;
}

/* --- opt ------------------------------------------------------------------------ */

#define NEVER UINT64_MAX
#define OPT_CHUNK (1u << 20)
#define OPT_MEM_LIMIT (64u << 20)        /* next-use bytes kept in memory */

/* The next-use times, one blob of varints (next - t, 0 for never) per chunk. */
struct nexts {
    FILE     *tmp;                /* or in memory: */
    uint8_t  *mem;
    size_t    memlen, memcap;
    uint64_t *off, *len;          /* per chunk */
};

static int blob_put(struct nexts *nx, size_t c, const uint8_t *b, size_t n)
{
    if (!nx->tmp && nx->memlen + n > OPT_MEM_LIMIT) {
        nx->tmp = tmpfile();
        if (!nx->tmp)
            return -errno;
        if (nx->memlen && fwrite(nx->mem, 1, nx->memlen, nx->tmp) != nx->memlen)
            return -EIO;
        free(nx->mem);
        nx->mem = NULL;
    }
    nx->off[c] = nx->memlen;
    nx->len[c] = n;
    if (nx->tmp) {
        if (fwrite(b, 1, n, nx->tmp) != n)
            return -EIO;
    } else {
        if (nx->memlen + n > nx->memcap) {
            size_t cap = nx->memcap ? nx->memcap : 1 << 20;
            while (cap < nx->memlen + n)
                cap *= 2;
            uint8_t *m = realloc(nx->mem, cap);
            if (!m)
                return -ENOMEM;
            nx->mem = m;
            nx->memcap = cap;
        }
        memcpy(nx->mem + nx->memlen, b, n);
    }
    nx->memlen += n;
    return 0;
}

static int blob_get(struct nexts *nx, size_t c, uint8_t *b)
{
    if (!nx->tmp) {
        memcpy(b, nx->mem + nx->off[c], nx->len[c]);
        return 0;
    }
    if (fflush(nx->tmp))
        return -EIO;
    ssize_t got = pread(fileno(nx->tmp), b, nx->len[c], (off_t)nx->off[c]);
    return got == (ssize_t)nx->len[c] ? 0 : -EIO;
}

/* Next-use times by a backward pass: chunk c's references are read from
 * a copy of the reader made when the forward pass reached it. */
static int next_uses(const struct pg_request *rq, struct nexts *nx, uint32_t *buf,
                     uint64_t *nextv, uint8_t *blob)
{
    size_t nchunks = (size_t)((rq->refs + OPT_CHUNK - 1) / OPT_CHUNK);
    struct refs_reader *mark = malloc((nchunks ? nchunks : 1) * sizeof *mark);
    uint64_t *seen = malloc((rq->pages ? rq->pages : 1) * sizeof *seen);
    nx->off = calloc(nchunks ? nchunks : 1, sizeof *nx->off);
    nx->len = calloc(nchunks ? nchunks : 1, sizeof *nx->len);
    int rc = -ENOMEM;
    if (!mark || !seen || !nx->off || !nx->len)
        goto out;
    struct refs_reader rd;
    refs_reader_init(&rd, rq->file, rq->map);
    for (size_t c = 0; c < nchunks; c++) {
        mark[c] = rd;
        for (size_t left = OPT_CHUNK; left;) {
            size_t got = refs_read(&rd, buf, left < PG_CHUNK ? left : PG_CHUNK);
            if (!got)
                break;
            left -= got;
        }
    }
    for (uint32_t i = 0; i < rq->pages; i++)
        seen[i] = NEVER;
    for (size_t c = nchunks; c-- > 0;) {
        struct refs_reader r = mark[c];
        size_t k = refs_read(&r, buf, OPT_CHUNK);
        uint64_t t0 = (uint64_t)c * OPT_CHUNK;
        for (size_t i = k; i-- > 0;) {
            uint32_t x = REF_ID(buf[i]);
            nextv[i] = seen[x];
            seen[x] = t0 + i;
        }
        size_t n = 0;
        for (size_t i = 0; i < k; i++) {
            uint64_t v = nextv[i] == NEVER ? 0 : nextv[i] - (t0 + i);
            while (v >= 0x80) {
                blob[n++] = (uint8_t)(v | 0x80);
                v >>= 7;
            }
            blob[n++] = (uint8_t)v;
        }
        if ((rc = blob_put(nx, c, blob, n)) != 0)
            goto out;
    }
    rc = 0;
out:
    free(mark);
    free(seen);
    return rc;
}

int pg_opt_run(const struct pg_request *rq, uint64_t *misses)
{
    uint32_t pages = rq->pages ? rq->pages : 1;
    uint32_t m = rq->nframes ? rq->frames[rq->nframes - 1] : 1;   /* levels kept */
    if (m > pages)
        m = pages;
    struct nexts nx = { 0 };
    uint32_t *buf = malloc(OPT_CHUNK * sizeof *buf);
    uint64_t *nextv = malloc(OPT_CHUNK * sizeof *nextv);
    uint8_t *blob = malloc((size_t)OPT_CHUNK * 10);
    uint32_t *stack = malloc(m * sizeof *stack);
    int32_t *pos = malloc(pages * sizeof *pos);
    uint64_t *prio = malloc(pages * sizeof *prio);       /* each page's next use */
    uint64_t *hist = calloc((size_t)m + 2, sizeof *hist);
    int rc = -ENOMEM;
    if (!buf || !nextv || !blob || !stack || !pos || !prio || !hist)
        goto out;
    if ((rc = next_uses(rq, &nx, buf, nextv, blob)) != 0)
        goto out;
    memset(pos, 0xff, pages * sizeof *pos);
    uint64_t deep = 0;                    /* below level m, or never seen */
    uint32_t len = 0;
    struct refs_reader rd;
    refs_reader_init(&rd, rq->file, rq->map);
    size_t nchunks = (size_t)((rq->refs + OPT_CHUNK - 1) / OPT_CHUNK);
    for (size_t c = 0; c < nchunks; c++) {
        size_t k = refs_read(&rd, buf, OPT_CHUNK);
        if ((rc = blob_get(&nx, c, blob)) != 0)
            goto out;
        const uint8_t *b = blob;
        uint64_t t = (uint64_t)c * OPT_CHUNK;
        for (size_t i = 0; i < k; i++, t++) {
            uint64_t v = 0;
            for (unsigned sh = 0;; sh += 7) {
                uint8_t by = *b++;
                v |= (uint64_t)(by & 0x7f) << sh;
                if (!(by & 0x80))
                    break;
            }
            uint64_t next = v ? t + v : NEVER;
            uint32_t x = REF_ID(buf[i]);
            int32_t d = pos[x];
            if (d == 0) {
                hist[1]++;
                prio[x] = next;
                continue;
            }
            if (len == 0) {
                stack[0] = x;
                pos[x] = 0;
                len = 1;
                deep++;
                prio[x] = next;
                continue;
            }
            uint32_t limit;
            if (d > 0) {
                hist[d + 1]++;
                limit = (uint32_t)d;
            } else {
                deep++;
                limit = len;
            }
            uint32_t carry = stack[0];
            stack[0] = x;
            pos[x] = 0;
            for (uint32_t lv = 1; lv < limit; lv++) {
                uint32_t y = stack[lv];
                if (prio[y] > prio[carry]) {      /* y is used later: it goes down */
                    stack[lv] = carry;
                    pos[carry] = (int32_t)lv;
                    carry = y;
                }
            }
            if (d > 0) {
                stack[d] = carry;
                pos[carry] = d;
            } else if (len < m) {
                stack[len] = carry;
                pos[carry] = (int32_t)len;
                len++;
            } else {
                pos[carry] = -1;                  /* it falls below the levels kept */
            }
            prio[x] = next;
        }
    }
    misses_by_depth(rq, hist, m, deep, misses);
    rc = 0;
out:
    if (nx.tmp)
        fclose(nx.tmp);
    free(nx.mem);
    free(nx.off);
    free(nx.len);
    free(buf);
    free(nextv);
    free(blob);
    free(stack);
    free(pos);
    free(prio);
    free(hist);
    return rc;
}
