/* paging/report.c — what `vmlab paging` prints: the table of misses by
 * policy and size, its JSON and CSV forms, Belady's anomaly, and the
 * textbook table of one policy at one size. */
#include "paging/paging.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define PG_STEPS_CHUNK 65536

static void page_name(char *buf, size_t n, const struct pg_about *ab, uint32_t id)
{
    uint64_t page = refs_map_page(ab->map, id);
    if (ab->file->info.vpn)
        snprintf(buf, n, "0x%llx", (unsigned long long)page);
    else
        snprintf(buf, n, "%llu", (unsigned long long)page);
}

/* 1234567 -> "1,234,567" */
static const char *grouped(char *buf, size_t n, uint64_t v)
{
    char d[32];
    int len = snprintf(d, sizeof d, "%llu", (unsigned long long)v), o = 0;
    for (int i = 0; i < len && o + 2 < (int)n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = d[i];
    }
    buf[o] = 0;
    return buf;
}

static void upper(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    for (; src[i] && i + 1 < n; i++)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = 0;
}

static double rate(uint64_t hits, uint64_t refs)
{
    return refs ? 100.0 * (double)hits / (double)refs : 0;
}

void pg_describe(FILE *out, const struct pg_request *rq, const struct pg_about *ab)
{
    char a[32], b[32], c[32];
    const struct refs_info *in = &ab->file->info;
    if (in->source[0])
        fprintf(out, "%s: ", in->source);
    fprintf(out, "%s references to %s pages", grouped(a, sizeof a, rq->refs),
            grouped(b, sizeof b, rq->pages));
    if (in->vpn)
        fprintf(out, " of %llu bytes", 1ull << in->page_shift);
    if (in->fetches >= 0)
        fprintf(out, " (%s)", in->fetches ? "instruction fetches, loads and stores" : "loads and stores");
    if (ab->writes)
        fprintf(out, ", %s of them writes", grouped(c, sizeof c, ab->writes));
    fprintf(out, "\n");
}

void pg_print_table(FILE *out, const struct pg_request *rq, const struct pg_result *res,
                    const struct pg_about *ab)
{
    pg_describe(out, rq, ab);
    uint64_t most = 1;
    for (size_t i = 0; i < (size_t)rq->npolicy * (size_t)rq->nframes; i++)
        most = res->misses[i] > most ? res->misses[i] : most;
    int digits = snprintf(NULL, 0, "%llu", (unsigned long long)most);
    int cell = digits + 8;
    bool ws = rq->tau && res->ws.over;
    fprintf(out, "\nmisses (and hit rate) with each number of frames%s:\n\n",
            ws ? "; W>F: how often the working set was larger than the memory" : "");
    fprintf(out, "frames");
    for (int i = 0; i < rq->npolicy; i++)
        fprintf(out, "  %*s", cell, pg_policy_name(rq->policy[i]));
    if (ws)
        fprintf(out, "     W>F");
    fprintf(out, "\n");
    for (int j = 0; j < rq->nframes; j++) {
        fprintf(out, "%6u", rq->frames[j]);
        for (int i = 0; i < rq->npolicy; i++) {
            uint64_t m = pg_misses(rq, res, i, j);
            fprintf(out, "  %*llu %5.1f%%", digits, (unsigned long long)m, rate(rq->refs - m, rq->refs));
        }
        if (ws)
            fprintf(out, "  %5.1f%%", rate(res->ws.over[j], rq->refs));
        fprintf(out, "\n");
    }
    bool any = false;
    for (int i = 0; i < rq->npolicy; i++) {
        int j = pg_anomaly(rq, res, i);
        if (j < 0)
            continue;
        char name[16];
        upper(name, pg_policy_name(rq->policy[i]), sizeof name);
        fprintf(out, "%s%s: more frames, more misses at %u frames: Belady's anomaly "
                "(%llu misses with %u frames, %llu with %u)\n", any ? "" : "\n", name, rq->frames[j],
                (unsigned long long)pg_misses(rq, res, i, j - 1), rq->frames[j - 1],
                (unsigned long long)pg_misses(rq, res, i, j), rq->frames[j]);
        any = true;
    }
    bool aging = false, random = false;
    for (int i = 0; i < rq->npolicy; i++) {
        aging |= rq->policy[i] == PG_AGING;
        random |= rq->policy[i] == PG_RANDOM;
    }
    if (aging || random || ws)
        fprintf(out, "\n");
    if (aging && res->aging_interval == 1)
        fprintf(out, "aging: the referenced bits are sampled after every reference (--aging-interval)\n");
    else if (aging)
        fprintf(out, "aging: the referenced bits are sampled every %llu references (--aging-interval)\n",
                (unsigned long long)res->aging_interval);
    if (random)
        fprintf(out, "random: seed %llu (--seed)\n", (unsigned long long)rq->seed);
    if (ws)
        fprintf(out, "working set W(t, %llu) (Denning): %.1f pages on average, at most %u\n",
                (unsigned long long)rq->tau, res->ws.mean, res->ws.max);
}

void pg_print_json(FILE *out, const struct pg_request *rq, const struct pg_result *res,
                   const struct pg_about *ab)
{
    const struct refs_info *in = &ab->file->info;
    fprintf(out, "{\"refs\": %llu, \"pages\": %u, \"writes\": %llu, \"page_numbers\": \"%s\", "
            "\"page_size\": %llu, \"fetches\": %s, \"source\": \"", (unsigned long long)rq->refs,
            rq->pages, (unsigned long long)ab->writes, in->vpn ? "vpn" : "numbers",
            1ull << in->page_shift, in->fetches < 0 ? "null" : in->fetches ? "true" : "false");
    for (const char *s = in->source; *s; s++) {
        if (*s == '"' || *s == '\\')
            fprintf(out, "\\%c", *s);
        else if ((unsigned char)*s < 0x20)
            fprintf(out, "\\u%04x", (unsigned char)*s);
        else
            fputc(*s, out);
    }
    fprintf(out, "\",\n \"aging_interval\": %llu, \"seed\": %llu,\n \"frames\": [",
            (unsigned long long)res->aging_interval, (unsigned long long)rq->seed);
    for (int j = 0; j < rq->nframes; j++)
        fprintf(out, "%s%u", j ? ", " : "", rq->frames[j]);
    fprintf(out, "],\n \"policies\": [");
    for (int i = 0; i < rq->npolicy; i++) {
        fprintf(out, "%s\n  {\"policy\": \"%s\", \"misses\": [", i ? "," : "", pg_policy_name(rq->policy[i]));
        for (int j = 0; j < rq->nframes; j++)
            fprintf(out, "%s%llu", j ? ", " : "", (unsigned long long)pg_misses(rq, res, i, j));
        fprintf(out, "], \"hits\": [");
        for (int j = 0; j < rq->nframes; j++)
            fprintf(out, "%s%llu", j ? ", " : "", (unsigned long long)(rq->refs - pg_misses(rq, res, i, j)));
        int a = pg_anomaly(rq, res, i);
        if (a > 0)
            fprintf(out, "], \"anomaly\": {\"frames\": %u, \"misses\": %llu, \"fewer_frames\": %u, "
                    "\"fewer_misses\": %llu}}", rq->frames[a], (unsigned long long)pg_misses(rq, res, i, a),
                    rq->frames[a - 1], (unsigned long long)pg_misses(rq, res, i, a - 1));
        else
            fprintf(out, "], \"anomaly\": null}");
    }
    fprintf(out, "\n ]");
    if (rq->tau && res->ws.over) {
        const struct pg_wset *w = &res->ws;
        fprintf(out, ",\n \"working_set\": {\"tau\": %llu, \"mean\": %.3f, \"max\": %u, \"over\": [",
                (unsigned long long)w->tau, w->mean, w->max);
        for (int j = 0; j < rq->nframes; j++)
            fprintf(out, "%s%llu", j ? ", " : "", (unsigned long long)w->over[j]);
        fprintf(out, "],\n  \"curve\": {\"bucket\": %llu, \"min\": [", (unsigned long long)w->bucket);
        for (size_t k = 0; k < w->npoints; k++)
            fprintf(out, "%s%u", k ? ", " : "", w->wmin[k]);
        fprintf(out, "], \"max\": [");
        for (size_t k = 0; k < w->npoints; k++)
            fprintf(out, "%s%u", k ? ", " : "", w->wmax[k]);
        fprintf(out, "], \"mean\": [");
        for (size_t k = 0; k < w->npoints; k++)
            fprintf(out, "%s%.2f", k ? ", " : "", w->wmean[k]);
        fprintf(out, "]}}");
    }
    fprintf(out, "\n}\n");
}

void pg_print_csv(FILE *out, const struct pg_request *rq, const struct pg_result *res)
{
    fprintf(out, "policy,frames,refs,hits,misses,hit_rate\n");
    for (int i = 0; i < rq->npolicy; i++)
        for (int j = 0; j < rq->nframes; j++) {
            uint64_t m = pg_misses(rq, res, i, j);
            fprintf(out, "%s,%u,%llu,%llu,%llu,%.4f\n", pg_policy_name(rq->policy[i]), rq->frames[j],
                    (unsigned long long)rq->refs, (unsigned long long)(rq->refs - m),
                    (unsigned long long)m, rq->refs ? (double)(rq->refs - m) / (double)rq->refs : 0);
        }
}

/* --- the textbook table ------------------------------------------------------------------ */

static const char *order_of(enum pg_policy p)
{
    switch (p) {
    case PG_FIFO:   return "the FIFO queue, oldest first";
    case PG_LRU:    return "the LRU stack, most recently used first";
    case PG_MRU:    return "most recently used first";
    case PG_CLOCK:  return "from the clock hand >, * = referenced bit set";
    case PG_NRU:    return "from the clock hand >, * = referenced, w = dirty";
    case PG_AGING:  return "oldest first, :counter in hex, * = referenced since the last sample";
    case PG_OPT:    return "by frame, (next use)";
    default:        return "by frame";
    }
}

/* One frame as the table shows it. */
static int frame_cell(char *buf, size_t n, const struct pg_about *ab, enum pg_policy p,
                      const struct pg_frame *f, bool at_hand)
{
    char name[32];
    page_name(name, sizeof name, ab, f->id);
    switch (p) {
    case PG_CLOCK:
        return snprintf(buf, n, "%s%s%s", at_hand ? ">" : "", name, f->referenced ? "*" : "");
    case PG_NRU:
        return snprintf(buf, n, "%s%s%s%s", at_hand ? ">" : "", name, f->referenced ? "*" : "",
                        f->dirty ? "w" : "");
    case PG_AGING:
        return snprintf(buf, n, "%s:%02x%s", name, f->age, f->referenced ? "*" : "");
    case PG_OPT:
        if (f->next == UINT64_MAX)
            return snprintf(buf, n, "%s(-)", name);
        return snprintf(buf, n, "%s(%llu)", name, (unsigned long long)f->next + 1);
    default:
        return snprintf(buf, n, "%s", name);
    }
}

int pg_print_steps(FILE *out, const struct pg_request *rq, const struct pg_about *ab,
                   enum pg_policy p, uint32_t frames, uint64_t aging_interval, uint64_t max_rows)
{
    uint64_t rows = rq->refs < max_rows ? rq->refs : max_rows;
    uint32_t *r = malloc((rows ? rows : 1) * sizeof *r);
    uint64_t *next = malloc((rows ? rows : 1) * sizeof *next);
    uint64_t *pending = malloc((rq->pages ? rq->pages : 1) * sizeof *pending);
    uint32_t *buf = malloc(PG_STEPS_CHUNK * sizeof *buf);
    struct pg_sim *sim = pg_sim_new(p, frames, rq->pages, rq->seed);
    struct pg_frame *fr = malloc(frames * sizeof *fr);
    int rc = -1;
    if (!r || !next || !pending || !buf || !sim || !fr)
        goto out;
    /* the shown references, and (for opt) when each is used next: one
     * pass over the whole string */
    for (uint32_t i = 0; i < rq->pages; i++)
        pending[i] = UINT64_MAX;
    struct refs_reader rd;
    refs_reader_init(&rd, rq->file, rq->map);
    uint64_t t = 0;
    size_t got;
    while ((got = refs_read(&rd, buf, PG_STEPS_CHUNK)) > 0) {
        for (size_t k = 0; k < got; k++, t++) {
            uint32_t id = REF_ID(buf[k]);
            if (pending[id] != UINT64_MAX) {
                next[pending[id]] = t;
                pending[id] = UINT64_MAX;
            }
            if (t < rows) {
                r[t] = buf[k];
                next[t] = UINT64_MAX;
                pending[id] = t;
            }
        }
        if (t >= rows && p != PG_OPT)
            break;
    }
    pg_describe(out, rq, ab);
    fprintf(out, "\n%s, %u frame%s: memory after each reference (%s)\n\n", pg_policy_name(p), frames,
            frames == 1 ? "" : "s", order_of(p));
    /* the width of the frames column: the widest cell times frames */
    int cellw = 1;
    for (uint32_t i = 0; i < rq->pages; i++) {
        char name[32];
        page_name(name, sizeof name, ab, i);
        int w = (int)strlen(name) + (p == PG_AGING ? 4 : p == PG_OPT ? 8 : 3);
        cellw = w > cellw ? w : cellw;
    }
    int colw = (int)(frames < 12 ? frames : 12) * (cellw + 1);
    if (colw < 14)
        colw = 14;
    fprintf(out, "%6s  %-8s %-6s %-*s %s\n", "#", "ref", "", colw, "memory after", "replaced");
    uint64_t misses = 0;
    for (uint64_t i = 0; i < rows; i++) {
        struct pg_step st;
        pg_sim_ref(sim, REF_ID(r[i]), REF_WRITTEN(r[i]), i, next[i], &st);
        misses += !st.hit;
        char ref[40], cells[1024], gone[32] = "";
        page_name(ref, sizeof ref - 2, ab, REF_ID(r[i]));
        if (REF_WRITTEN(r[i]))
            strcat(ref, "w");
        int n = pg_sim_frames(sim, fr, (int)frames), hand = pg_sim_hand(sim);
        size_t o = 0;
        for (int k = 0; k < n && o + 40 < sizeof cells; k++) {
            if (o)
                cells[o++] = ' ';
            o += (size_t)frame_cell(cells + o, sizeof cells - o, ab, p, &fr[k],
                                    k == 0 && hand >= 0);
        }
        cells[o] = 0;
        if (st.evicted >= 0)
            page_name(gone, sizeof gone, ab, (uint32_t)st.evicted);
        char row[1200];
        int len = snprintf(row, sizeof row, "%6llu  %-8s %-6s %-*s %s", (unsigned long long)i + 1, ref,
                           st.hit ? "hit" : "miss", colw, cells, gone);
        while (len > 0 && row[len - 1] == ' ')
            row[--len] = 0;
        fprintf(out, "%s\n", row);
        if (aging_interval && (i + 1) % aging_interval == 0)
            pg_sim_tick(sim);
    }
    if (rows < rq->refs)
        fprintf(out, "... (%llu more references: the table shows the first %llu)\n",
                (unsigned long long)(rq->refs - rows), (unsigned long long)rows);
    rc = 0;
    (void)misses;
out:
    free(r);
    free(next);
    free(pending);
    free(buf);
    free(fr);
    pg_sim_free(sim);
    return rc;
}
