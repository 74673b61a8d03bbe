/* cli/paging.c — `vmlab paging`: replacement policies on a page reference
 * string, every memory size at once (paging/paging.h).
 *
 *   vmlab paging --refs 1,2,3,4,1,2,5,1,2,3,4,5 [--frames ...] [--policy ...]
 *   vmlab paging --refs-file FILE ...           numbers, a lackey log, or --save-refs output
 *   vmlab paging [run options] PROGRAM [ARGS]   record the program's string, then the same
 *
 * The string goes to a file first (--save-refs FILE, or an unlinked
 * temporary one), which the analysis maps: a recorded run never has to fit
 * in memory.  One policy at one size prints the textbook table, reference
 * by reference; anything else the table of misses by size. */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emu/refrec.h"
#include "kernel/elf.h"
#include "paging/paging.h"
#include "paging/refs.h"

#define MAX_FRAMES    (1u << 24)
#define STEPS_ROWS    1000             /* the textbook table stops here */
#define DEFAULT_MAXF  64

enum {
    P_REFS = CLI_OPT_COMMAND, P_REFS_FILE, P_PAGE_SIZE, P_FRAMES, P_POLICY, P_SEED, P_AGING,
    P_DATA_ONLY, P_JSON, P_CSV, P_PLOT, P_SAVE, P_WSET, P_ONLY, P_THREADS,
};

static const struct option paging_options[] = {
    { "refs", required_argument, 0, P_REFS },
    { "refs-file", required_argument, 0, P_REFS_FILE },
    { "page-size", required_argument, 0, P_PAGE_SIZE },
    { "frames", required_argument, 0, P_FRAMES },
    { "policy", required_argument, 0, P_POLICY },
    { "seed", required_argument, 0, P_SEED },
    { "aging-interval", required_argument, 0, P_AGING },
    { "data-only", no_argument, 0, P_DATA_ONLY },
    { "json", no_argument, 0, P_JSON },
    { "csv", no_argument, 0, P_CSV },
    { "plot", required_argument, 0, P_PLOT },
    { "save-refs", required_argument, 0, P_SAVE },
    { "working-set", required_argument, 0, P_WSET },
    { "only", required_argument, 0, P_ONLY },
    { "threads", required_argument, 0, P_THREADS },
    { 0, 0, 0, 0 },
};

struct paging {
    const char *refs, *refs_file, *plot, *save, *only;
    unsigned    page_shift;
    uint32_t   *frames;
    int         nframes;
    enum pg_policy policy[PG_NPOLICY];
    int         npolicy;
    bool        none;            /* --policy none: only the string */
    uint64_t    seed, aging, tau;
    bool        data_only, json, csv;
    int         threads;
    /* the recording */
    double      rec_seconds;
    uint64_t    rec_insns, rec_refs;  /* rec_refs: before --only */
    int         status;          /* the program's */
};

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "vmlab paging: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    return 2;
}

/* An output file vmlab writes whole (NAME.tmp, then renamed over it):
 * none yet, or a regular file; a symlink, fifo or device would be
 * replaced by a regular file (or, opened, block), so it is refused. */
static bool replaceable(const char *path)
{
    struct stat st;
    return lstat(path, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
}

/* "N" with an optional k/M/G: a positive count. */
static bool count(const char *s, uint64_t *v)
{
    return !cli_parse_size(s, v) && *v > 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* "3", "1..64", "4..64:4", "1,2,4,8", "1..8,16,32". */
static int parse_frames(struct paging *pg, const char *spec)
{
    char buf[512];
    if (strlen(spec) >= sizeof buf || !*spec)
        return usage_error("--frames '%s': expected sizes like 3, 1..64, 4..64:4 or 1,2,4,8", spec);
    snprintf(buf, sizeof buf, "%s", spec);
    uint32_t *f = NULL;
    size_t n = 0, cap = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        char *dots = strstr(tok, ".."), *colon = strchr(tok, ':');
        uint64_t lo, hi, step = 1;
        if (colon)
            *colon = 0;
        if (dots)
            *dots = 0;
        if (cli_parse_size(tok, &lo) || (dots && cli_parse_size(dots + 2, &hi)) ||
            (colon && (!dots || !count(colon + 1, &step)))) {
            free(f);
            return usage_error("--frames '%s': expected sizes like 3, 1..64, 4..64:4 or 1,2,4,8", spec);
        }
        if (!dots)
            hi = lo;
        if (lo == 0) {
            free(f);
            return usage_error("--frames '%s': 0 frames hold no page; sizes start at 1", spec);
        }
        if (hi < lo || hi > MAX_FRAMES) {
            free(f);
            return usage_error(hi < lo ? "--frames '%s': a range must go up (e.g. 1..64)"
                                       : "--frames '%s': at most 16777216 frames", spec);
        }
        for (uint64_t v = lo; v <= hi; v += step) {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                if (cap > MAX_FRAMES) {
                    free(f);
                    return usage_error("--frames '%s': too many sizes", spec);
                }
                uint32_t *g = realloc(f, cap * sizeof *g);
                if (!g) {
                    free(f);
                    return usage_error("--frames '%s': out of memory", spec);
                }
                f = g;
            }
            f[n++] = (uint32_t)v;
        }
    }
    qsort(f, n, sizeof *f, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || f[i] != f[k - 1])
            f[k++] = f[i];
    free(pg->frames);
    pg->frames = f;
    pg->nframes = (int)k;
    return 0;
}

static int parse_policies(struct paging *pg, const char *spec)
{
    pg->npolicy = 0;
    pg->none = !strcmp(spec, "none");
    if (pg->none)
        return 0;
    if (!strcmp(spec, "all")) {
        for (int p = 0; p < PG_NPOLICY; p++)
            pg->policy[pg->npolicy++] = (enum pg_policy)p;
        return 0;
    }
    char buf[256];
    snprintf(buf, sizeof buf, "%s", spec);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int p = pg_policy_from_name(tok);
        if (p < 0) {
            fprintf(stderr, "vmlab paging: --policy: '%s' is not a policy (opt, lru, fifo, clock, nru, "
                    "aging, random, mru, all, or none)\n", tok);
            return 2;
        }
        bool dup = false;
        for (int i = 0; i < pg->npolicy; i++)
            dup |= pg->policy[i] == (enum pg_policy)p;
        if (!dup)
            pg->policy[pg->npolicy++] = (enum pg_policy)p;
    }
    if (!pg->npolicy)
        return usage_error("--policy '%s': name at least one policy", spec);
    return 0;
}

static int paging_option(void *ctx, int code, const char *arg)
{
    struct paging *pg = ctx;
    uint64_t v;
    switch (code) {
    case P_REFS: pg->refs = arg; return 0;
    case P_REFS_FILE: pg->refs_file = arg; return 0;
    case P_PAGE_SIZE:
        if (cli_parse_size(arg, &v) || v < 2 || (v & (v - 1)) || v > (1ull << 40))
            return usage_error("--page-size %s: expected a power of two, e.g. 4096", arg);
        pg->page_shift = (unsigned)__builtin_ctzll(v);
        return 0;
    case P_FRAMES: return parse_frames(pg, arg);
    case P_POLICY: return parse_policies(pg, arg);
    case P_SEED:
        if (cli_parse_size(arg, &pg->seed))
            return usage_error("--seed %s: expected a number", arg);
        return 0;
    case P_AGING:
        if (!count(arg, &pg->aging))
            return usage_error("--aging-interval %s: expected a positive number of references", arg);
        return 0;
    case P_DATA_ONLY: pg->data_only = true; return 0;
    case P_JSON: pg->json = true; return 0;
    case P_CSV: pg->csv = true; return 0;
    case P_PLOT:
        if (!*arg)
            return usage_error("--plot: empty file name%s", "");
        if (!replaceable(arg))
            return usage_error("--plot %s: not a regular file (a symlink, fifo, device or "
                               "directory is not replaced)", arg);
        pg->plot = arg;
        return 0;
    case P_SAVE:
        if (!*arg)
            return usage_error("--save-refs: empty file name%s", "");
        if (!replaceable(arg))
            return usage_error("--save-refs %s: not a regular file (a symlink, fifo, device or "
                               "directory is not replaced)", arg);
        pg->save = arg;
        return 0;
    case P_WSET:
        if (!count(arg, &pg->tau))
            return usage_error("--working-set %s: expected a window of at least 1 reference", arg);
        return 0;
    case P_ONLY: pg->only = arg; return 0;
    case P_THREADS:
        if (!count(arg, &v) || v > 64)
            return usage_error("--threads %s: expected 1 to 64", arg);
        pg->threads = (int)v;
        return 0;
    default:
        return 2;
    }
}

static int paging_check(void *ctx)
{
    struct paging *pg = ctx;
    if (pg->refs && pg->refs_file)
        return usage_error("give --refs or --refs-file, not both%s", "");
    if (pg->json && pg->csv)
        return usage_error("give --json or --csv, not both%s", "");
    return 0;
}

/* --- the string's file ----------------------------------------------------------------- */

/* Where a string is written: path.tmp, renamed to path at the end
 * (--save-refs), or an unlinked temporary file. */
struct out {
    FILE *f;
    char  tmp[4200];
    const char *path;            /* NULL: temporary */
};

static int out_open(struct out *o, const char *save)
{
    memset(o, 0, sizeof *o);
    o->path = save;
    int fd;
    if (save) {
        snprintf(o->tmp, sizeof o->tmp, "%s.tmp", save);
        fd = open(o->tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    } else {
        const char *dir = getenv("TMPDIR");
        snprintf(o->tmp, sizeof o->tmp, "%s/vmlab-refs.XXXXXX", dir && *dir ? dir : "/tmp");
        fd = mkstemp(o->tmp);
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w+"))) {
        fprintf(stderr, "vmlab paging: %s: %s\n", save ? o->tmp : "a temporary file", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return 0;
}

/* Close it and open it for reading (the temporary one is unlinked once
 * mapped).  Returns 0 or -1 (message printed). */
static int out_finish(struct out *o, int wrc, struct refs_file *rf)
{
    char err[300];
    int rc = wrc ? wrc : fflush(o->f) ? -errno : 0;
    if (fclose(o->f) && !rc)
        rc = -errno;
    if (rc) {
        fprintf(stderr, "vmlab paging: writing %s: %s\n", o->path ? o->tmp : "the string", strerror(-rc));
        unlink(o->tmp);
        return -1;
    }
    if (o->path && rename(o->tmp, o->path)) {
        fprintf(stderr, "vmlab paging: %s: %s\n", o->path, strerror(errno));
        unlink(o->tmp);
        return -1;
    }
    const char *name = o->path ? o->path : o->tmp;
    rc = refs_open_file(rf, name, err, sizeof err);
    if (!o->path)
        unlink(o->tmp);
    if (rc) {
        fprintf(stderr, "vmlab paging: %s: %s\n", name, err);
        return -1;
    }
    return 0;
}

/* --- analysis and output ----------------------------------------------------------------- */

static int report(struct paging *pg, const struct refs_file *rf)
{
    char err[300];
    struct refs_map *map;
    struct refs_stats st;
    if (refs_scan(rf, &map, &st, err, sizeof err)) {
        fprintf(stderr, "vmlab paging: %s: %s\n", pg->refs_file ? pg->refs_file : "the string", err);
        return 1;
    }
    if (st.refs == 0) {
        fprintf(stderr, "vmlab paging: %s: the reference string is empty\n",
                pg->refs_file ? pg->refs_file : pg->refs ? "--refs" : "the recording");
        refs_map_free(map);
        return 1;
    }
    if (pg->none) {                           /* the string only */
        struct pg_request rq0 = { .refs = st.refs, .pages = st.pages };
        struct pg_about ab0 = { rf, map, st.writes };
        if (!pg->json && !pg->csv)
            pg_describe(stdout, &rq0, &ab0);
        if (!pg->json && !pg->csv && pg->rec_seconds > 0)
            printf("recorded %llu references of %llu instructions in %.2f s (%.1f million a second)\n",
                   (unsigned long long)pg->rec_refs, (unsigned long long)pg->rec_insns,
                   pg->rec_seconds, (double)pg->rec_refs / pg->rec_seconds / 1e6);
        refs_map_free(map);
        return 0;
    }
    if (!pg->nframes) {                       /* 1 .. pages + 1, at most 64 */
        uint32_t top = st.pages + 1 < DEFAULT_MAXF ? st.pages + 1 : DEFAULT_MAXF;
        pg->frames = malloc(top * sizeof *pg->frames);
        if (!pg->frames) {
            refs_map_free(map);
            return 1;
        }
        for (uint32_t i = 0; i < top; i++)
            pg->frames[i] = i + 1;
        pg->nframes = (int)top;
    }
    if (!pg->npolicy)
        parse_policies(pg, "all");
    struct pg_request rq = {
        .file = rf, .map = map, .refs = st.refs, .pages = st.pages, .npolicy = pg->npolicy,
        .frames = pg->frames, .nframes = pg->nframes, .seed = pg->seed,
        .aging_interval = pg->aging, .tau = pg->tau, .threads = pg->threads,
    };
    memcpy(rq.policy, pg->policy, sizeof pg->policy);
    struct pg_result res;
    if (pg_analyze(&rq, &res, err, sizeof err)) {
        fprintf(stderr, "vmlab paging: %s\n", err);
        refs_map_free(map);
        return 1;
    }
    struct pg_about ab = { rf, map, st.writes };
    int rc = 0;
    if (pg->json) {
        pg_print_json(stdout, &rq, &res, &ab);
    } else if (pg->csv) {
        pg_print_csv(stdout, &rq, &res);
    } else if (pg->npolicy == 1 && pg->nframes == 1) {
        if (pg_print_steps(stdout, &rq, &ab, rq.policy[0], rq.frames[0], res.aging_interval, STEPS_ROWS)) {
            fprintf(stderr, "vmlab paging: out of memory\n");
            rc = 1;
        }
        uint64_t m = res.misses[0];
        printf("\nhits %llu, misses %llu, hit rate %.1f%%\n", (unsigned long long)(st.refs - m),
               (unsigned long long)m, 100.0 * (double)(st.refs - m) / (double)st.refs);
        if (rq.policy[0] == PG_AGING)
            printf("(aging samples the referenced bits every %llu references: --aging-interval)\n",
                   (unsigned long long)res.aging_interval);
    } else {
        pg_print_table(stdout, &rq, &res, &ab);
    }
    if (!pg->json && !pg->csv && pg->rec_seconds > 0)
        printf("\nrecorded %llu references of %llu instructions in %.2f s (%.1f million a "
               "second); analysed in %.2f s\n", (unsigned long long)pg->rec_refs,
               (unsigned long long)pg->rec_insns, pg->rec_seconds,
               (double)pg->rec_refs / pg->rec_seconds / 1e6, res.seconds);
    fflush(stdout);
    if (pg->plot) {
        char title[300];
        snprintf(title, sizeof title, "page faults by memory size: %s",
                 rf->info.source[0] ? rf->info.source : pg->refs_file ? pg->refs_file : "--refs");
        if (pg_plot(pg->plot, &rq, &res, title, err, sizeof err)) {
            fprintf(stderr, "vmlab paging: --plot %s\n", err);
            rc = 1;
        }
    }
    pg_result_free(&res);
    refs_map_free(map);
    return rc;
}

/* --only LO-HI (addresses, or page numbers for a string of numbers) or a
 * symbol of the program: the page range kept.  Returns 0 or 2. */
static int only_range(const struct paging *pg, const struct elf_image *img, bool vpn,
                      uint64_t *lo, uint64_t *hi)
{
    const char *dash = strchr(pg->only, '-');
    unsigned shift = vpn ? pg->page_shift : 0;
    if (dash) {
        char a[64];
        snprintf(a, sizeof a, "%.*s", (int)(dash - pg->only < 63 ? dash - pg->only : 63), pg->only);
        uint64_t x, y;
        if (cli_parse_size(a, &x) || cli_parse_size(dash + 1, &y) || y <= x)
            return usage_error("--only '%s': expected LO-HI (e.g. 0x16000-0x1b000) or a symbol", pg->only);
        *lo = x >> shift;
        *hi = ((y - 1) >> shift) + 1;
        return 0;
    }
    uint32_t start, size;
    if (!img || elf_symbol_range(img, pg->only, &start, &size))
        return usage_error(img ? "--only '%s': the program has no symbol of that name (with a size)"
                               : "--only '%s': expected LO-HI (a symbol needs a PROGRAM)", pg->only);
    *lo = start >> shift;
    *hi = (((uint64_t)start + size - 1) >> shift) + 1;
    return 0;
}

/* --- a string given as text or as a file ---------------------------------------------------- */

static int from_text(struct paging *pg)
{
    char err[400];
    struct refs_file rf;
    const char *name = pg->refs_file;
    if (name) {
        struct stat sb;
        if (stat(name, &sb)) {
            fprintf(stderr, "vmlab paging: %s: %s\n", name, strerror(errno));
            return 1;
        }
        if (!S_ISREG(sb.st_mode)) {
            fprintf(stderr, "vmlab paging: %s: not a regular file (%s); give a file of page numbers, "
                    "a lackey log or a --save-refs file\n", name,
                    S_ISDIR(sb.st_mode) ? "a directory" : S_ISFIFO(sb.st_mode) ? "a FIFO" : "a device or socket");
            return 1;
        }
        int fd = open(name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        char head[4096];
        ssize_t n = fd < 0 ? -1 : read(fd, head, sizeof head);
        if (fd >= 0)
            close(fd);
        if (n < 0) {
            fprintf(stderr, "vmlab paging: %s: %s\n", name, strerror(errno));
            return 1;
        }
        if (refs_is_refs(head, (size_t)n)) {
            if (pg->data_only || pg->only) {
                fprintf(stderr, "vmlab paging: %s: %s applies when recording; this string is "
                        "recorded already\n", name, pg->data_only ? "--data-only" : "--only");
                return 2;
            }
            if (refs_open_file(&rf, name, err, sizeof err)) {
                fprintf(stderr, "vmlab paging: %s: %s\n", name, err);
                return 1;
            }
            int rc = report(pg, &rf);
            refs_close(&rf);
            return rc;
        }
        bool lackey = refs_is_lackey(head, (size_t)n);
        struct out o;
        if (out_open(&o, pg->save))
            return 1;
        struct refs_info info = { .vpn = lackey, .page_shift = lackey ? pg->page_shift : 12,
                                  .fetches = lackey ? !pg->data_only : -1 };
        snprintf(info.source, sizeof info.source, "%s", name);
        struct refs_writer *w = refs_writer_new(o.f, &info);
        uint64_t lo, hi;
        if (pg->only) {
            int rc = only_range(pg, NULL, lackey, &lo, &hi);
            if (rc) {
                refs_writer_finish(w);
                fclose(o.f);
                unlink(o.tmp);
                return rc;
            }
            refs_writer_filter(w, lo, hi);
        }
        FILE *in = fopen(name, "r");
        long long got = -1;
        if (!in) {
            snprintf(err, sizeof err, "%s: %s", name, strerror(errno));
        } else if (lackey) {
            got = refs_parse_lackey(w, in, name, pg->page_shift, pg->data_only, err, sizeof err);
        } else {
            char *line = NULL;
            size_t cap = 0;
            ssize_t len;
            long long lineno = 0;
            got = 0;
            while (got >= 0 && (len = getline(&line, &cap, in)) >= 0) {
                char where[4200];
                snprintf(where, sizeof where, "%s:%lld", name, ++lineno);
                long long k = refs_parse_list(w, line, (size_t)len, where, err, sizeof err);
                got = k < 0 ? -1 : got + k;
            }
            free(line);
        }
        if (in)
            fclose(in);
        int wrc = refs_writer_finish(w);
        if (got < 0) {
            fprintf(stderr, "vmlab paging: %s\n", err);
            fclose(o.f);
            unlink(o.tmp);
            return 1;
        }
        if (out_finish(&o, wrc, &rf))
            return 1;
        int rc = report(pg, &rf);
        refs_close(&rf);
        return rc;
    }
    /* --refs LIST */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) {
        fprintf(stderr, "vmlab paging: out of memory\n");
        return 1;
    }
    struct refs_info info = { .vpn = false, .page_shift = 12, .fetches = -1 };
    snprintf(info.source, sizeof info.source, "%.60s%s", pg->refs, strlen(pg->refs) > 60 ? "..." : "");
    for (char *c = info.source; *c; c++)
        if (*c == '\n' || *c == '\t')
            *c = ' ';
    struct refs_writer *w = refs_writer_new(m, &info);
    uint64_t lo, hi;
    if (pg->only) {
        int rc = only_range(pg, NULL, false, &lo, &hi);
        if (rc) {
            refs_writer_finish(w);
            fclose(m);
            free(buf);
            return rc;
        }
        refs_writer_filter(w, lo, hi);
    }
    long long got = refs_parse_list(w, pg->refs, strlen(pg->refs), "--refs", err, sizeof err);
    int wrc = refs_writer_finish(w);
    fclose(m);
    int rc = 1;
    if (got < 0) {
        fprintf(stderr, "vmlab paging: %s\n", err);
        rc = 2;                               /* a bad option value */
    } else if (got == 0) {
        fprintf(stderr, "vmlab paging: --refs: the reference string is empty (give page numbers, "
                "e.g. --refs 1,2,3,4,1,2,5)\n");
        rc = 2;
    } else if (wrc || refs_open_mem(&rf, buf, len, err, sizeof err)) {
        fprintf(stderr, "vmlab paging: --refs: %s\n", wrc ? strerror(-wrc) : err);
    } else {
        rc = 0;
        if (pg->save) {
            FILE *s = fopen(pg->save, "wb");
            if (!s || fwrite(buf, 1, len, s) != len || fclose(s)) {
                fprintf(stderr, "vmlab paging: --save-refs %s: %s\n", pg->save, strerror(errno));
                rc = 1;
            }
        }
        if (!rc)
            rc = report(pg, &rf);
    }
    free(buf);
    return rc;
}

static int no_program(void *ctx)
{
    struct paging *pg = ctx;
    if (!pg->refs && !pg->refs_file) {
        fprintf(stderr, "vmlab paging: give a string (--refs LIST or --refs-file FILE) or a PROGRAM to "
                "record (see vmlab --help)\n");
        return 2;
    }
    return from_text(pg);
}

/* --- recording a program ------------------------------------------------------------------ */

static int sink(void *ctx, const struct refrec_token *t, size_t n)
{
    struct refs_writer *w = ctx;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        uint64_t page = t[i].key >> PAGE_SHIFT;
        bool wr = t[i].key & REFREC_W;
        switch (t[i].kind) {
        case REFREC_REF:  rc = refs_ref(w, page, wr); break;
        case REFREC_PAIR: rc = refs_pair(w, page, wr); break;
        default:          rc = refs_run(w, t[i].period, t[i].count); break;
        }
    }
    return rc;
}

static int drive(void *ctx, struct proc *p, struct gdb_server *gdb)
{
    struct paging *pg = ctx;
    if (gdb) {
        fprintf(stderr, "vmlab paging: --gdb is for vmlab run; vmlab paging runs the program on its own\n");
        return 2;
    }
    if (pg->refs || pg->refs_file) {
        fprintf(stderr, "vmlab paging: give a PROGRAM to record or a string (--refs, --refs-file), "
                "not both\n");
        return 2;
    }
    pg->page_shift = PAGE_SHIFT;
    uint64_t lo = 0, hi = 0;
    if (pg->only && only_range(pg, &p->img, true, &lo, &hi))
        return 2;
    struct out o;
    if (out_open(&o, pg->save))
        return 1;
    struct refs_info info = { .vpn = true, .page_shift = PAGE_SHIFT, .fetches = !pg->data_only };
    if (pg->only)
        snprintf(info.source, sizeof info.source, "%s (only pages 0x%llx-0x%llx)", p->psargs,
                 (unsigned long long)lo, (unsigned long long)hi - 1);
    else
        snprintf(info.source, sizeof info.source, "%s", p->psargs);
    struct refs_writer *w = refs_writer_new(o.f, &info);
    struct refrec *rec = malloc(sizeof *rec);
    if (!w || !rec) {
        fprintf(stderr, "vmlab paging: out of memory\n");
        free(rec);
        if (w)
            refs_writer_finish(w);
        fclose(o.f);
        unlink(o.tmp);
        return 1;
    }
    if (pg->only)
        refs_writer_filter(w, lo, hi);
    refrec_init(rec, !pg->data_only, sink, w);
    cpu_record(&p->cpu, rec);
    if (pg->json || pg->csv)
        p->fds[1] = 2;                        /* stdout stays JSON or CSV */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pg->status = proc_run(p);
    int rrc = refrec_finish(rec);
    int wrc = refs_writer_finish(w);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pg->rec_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    pg->rec_insns = p->cpu.instret;
    pg->rec_refs = refrec_count(rec);
    free(rec);
    fflush(stdout);
    struct refs_file rf;
    if (out_finish(&o, rrc ? rrc : wrc, &rf))
        return 1;
    if (pg->status)
        fprintf(stderr, "vmlab paging: note: %s ended with status %d; the string is what it did "
                "until then\n", p->comm, pg->status);
    int rc = report(pg, &rf);
    refs_close(&rf);
    return rc;
}

int cmd_paging(int argc, char **argv)
{
    struct paging pg = { .page_shift = 12, .seed = 1 };
    const struct run_command cmd = {
        .name = "paging", .extra = paging_options, .option = paging_option, .check = paging_check,
        .drive = drive, .no_program = no_program, .ctx = &pg,
    };
    int rc = cli_run_command(argc, argv, &cmd);
    free(pg.frames);
    return rc;
}
