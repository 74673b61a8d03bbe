/* paging/refs.c — the reference string format (see refs.h): the writer,
 * the page map, the scanner that validates a string, and the reader. */
#include "paging/refs.h"

#include "paging/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAGIC      "vmlab-refs 1\n"
#define TAG_REF    0u
#define TAG_PAIR   1u
#define TAG_RUN    2u
#define TOKEN_END  3u
#define MAX_RUN    (UINT64_MAX >> 5)
#define MAX_PAGE   (UINT64_MAX >> 4)   /* zigzag(delta) << 3 must fit */

int pg_fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static uint64_t zigzag(uint64_t delta)
{
    return (delta << 1) ^ (uint64_t)((int64_t)delta >> 63);
}

static uint64_t unzigzag(uint64_t z)
{
    return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1);
}

/* --- writer ------------------------------------------------------------------ */

struct wref {
    uint64_t page;
    bool     written;
};

struct refs_writer {
    FILE    *f;
    uint8_t  buf[1 << 16];
    size_t   n;
    int      error;
    uint64_t prev;                /* page of the last REF/PAIR written */
    uint64_t refs;
    /* refs_put: the last references written (newest first) and the token
     * held back so that a write can still be merged into it */
    struct wref hist[REFS_MAX_PERIOD];
    unsigned nhist;
    bool     have_pend;
    bool     pend_run;            /* else a REF */
    struct wref pend_ref;
    unsigned pend_period;
    uint64_t pend_n;
    /* refs_writer_filter: the unfiltered string's last references */
    bool     filter;
    uint64_t lo, hi;
    struct wref raw[REFS_MAX_PERIOD];
    unsigned nraw;
};

static void flush_buf(struct refs_writer *w)
{
    if (w->n && !w->error && fwrite(w->buf, 1, w->n, w->f) != w->n)
        w->error = errno ? -errno : -EIO;
    w->n = 0;
}

static void put_varint(struct refs_writer *w, uint64_t v)
{
    if (w->n > sizeof w->buf - 10)
        flush_buf(w);
    while (v >= 0x80) {
        w->buf[w->n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    w->buf[w->n++] = (uint8_t)v;
}

static void put_page(struct refs_writer *w, uint64_t page, bool written, unsigned tag)
{
    put_varint(w, zigzag(page - w->prev) << 3 | (uint64_t)written << 2 | tag);
    w->prev = page;
}

static void put_run(struct refs_writer *w, unsigned period, uint64_t n)
{
    while (n) {
        uint64_t k = n < MAX_RUN ? n : MAX_RUN;
        put_varint(w, k << 5 | (uint64_t)(period - 1) << 2 | TAG_RUN);
        n -= k;
    }
}

struct refs_writer *refs_writer_new(FILE *f, const struct refs_info *info)
{
    struct refs_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->f = f;
    char src[sizeof info->source];
    snprintf(src, sizeof src, "%s", info->source);
    for (char *c = src; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    if (fprintf(f, MAGIC "pages %s\npage-size %llu\nfetches %s\n%s%s%s\n",
                info->vpn ? "vpn" : "numbers", 1ull << info->page_shift,
                info->fetches > 0 ? "yes" : info->fetches == 0 ? "no" : "-",
                src[0] ? "source " : "", src, src[0] ? "\n" : "") < 0)
        w->error = errno ? -errno : -EIO;
    return w;
}

/* --- refs_put: collapsing and finding runs ---------------------------------------- */

static void pend_flush(struct refs_writer *w)
{
    if (!w->have_pend)
        return;
    if (w->pend_run)
        put_run(w, w->pend_period, w->pend_n);
    else
        put_page(w, w->pend_ref.page, w->pend_ref.written, TAG_REF);
    w->have_pend = false;
}

static void hist_push(struct refs_writer *w, struct wref r)
{
    memmove(&w->hist[1], &w->hist[0], (REFS_MAX_PERIOD - 1) * sizeof w->hist[0]);
    w->hist[0] = r;
    if (w->nhist < REFS_MAX_PERIOD)
        w->nhist++;
}

static bool same(struct wref a, struct wref b)
{
    return a.page == b.page && a.written == b.written;
}

int refs_put(struct refs_writer *w, uint64_t page, bool written)
{
    struct wref r = { page, written };
    if (w->nhist && w->hist[0].page == page) {
        if (written && !w->hist[0].written) {
            /* the latest reference writes too: it must be a REF of its own */
            w->hist[0].written = true;
            if (w->pend_run) {
                if (--w->pend_n == 0)
                    w->have_pend = false;
                pend_flush(w);
                w->have_pend = true;
                w->pend_run = false;
                w->pend_ref = w->hist[0];
            } else {
                w->pend_ref.written = true;
            }
        }
        return w->error;
    }
    w->refs++;
    if (w->have_pend && w->pend_run && w->pend_period <= w->nhist &&
        same(r, w->hist[w->pend_period - 1])) {
        w->pend_n++;
    } else {
        unsigned p = 2;
        while (p <= w->nhist && !same(r, w->hist[p - 1]))
            p++;
        pend_flush(w);
        w->have_pend = true;
        if (p <= w->nhist) {
            w->pend_run = true;
            w->pend_period = p;
            w->pend_n = 1;
        } else {
            w->pend_run = false;
            w->pend_ref = r;
        }
    }
    hist_push(w, r);
    return w->error;
}

/* --- the filter: every token taken apart into references ---------------------------- */

static void raw_push(struct refs_writer *w, struct wref r)
{
    memmove(&w->raw[1], &w->raw[0], (REFS_MAX_PERIOD - 1) * sizeof w->raw[0]);
    w->raw[0] = r;
    if (w->nraw < REFS_MAX_PERIOD)
        w->nraw++;
}

static int filter_one(struct refs_writer *w, struct wref r)
{
    raw_push(w, r);
    if (r.page >= w->lo && r.page < w->hi)
        return refs_put(w, r.page, r.written);
    return w->error;
}

void refs_writer_filter(struct refs_writer *w, uint64_t lo, uint64_t hi)
{
    w->filter = true;
    w->lo = lo;
    w->hi = hi;
}

int refs_ref(struct refs_writer *w, uint64_t page, bool written)
{
    if (w->filter)
        return filter_one(w, (struct wref){ page, written });
    put_page(w, page, written, TAG_REF);
    w->refs++;
    return w->error;
}

int refs_pair(struct refs_writer *w, uint64_t page, bool written)
{
    if (w->filter) {
        struct wref before = w->nraw ? w->raw[0] : (struct wref){ 0, false };
        filter_one(w, (struct wref){ page, written });
        return w->nraw > 1 ? filter_one(w, before) : w->error;
    }
    put_page(w, page, written, TAG_PAIR);
    w->refs += 2;
    return w->error;
}

int refs_run(struct refs_writer *w, unsigned period, uint64_t n)
{
    if (period < 2 || period > REFS_MAX_PERIOD)
        return -EINVAL;
    if (!w->filter) {
        put_run(w, period, n);
        w->refs += n;
        return w->error;
    }
    if (period > w->nraw)
        return -EINVAL;
    bool inside = false;
    for (unsigned i = 0; i < period; i++)
        inside |= w->raw[i].page >= w->lo && w->raw[i].page < w->hi;
    if (!inside)
        n %= period;                  /* the window repeats: only the phase matters */
    for (uint64_t i = 0; i < n && !w->error; i++)
        filter_one(w, w->raw[period - 1]);
    return w->error;
}

uint64_t refs_writer_count(const struct refs_writer *w)
{
    return w->refs;
}

int refs_writer_finish(struct refs_writer *w)
{
    pend_flush(w);
    put_varint(w, TOKEN_END);
    put_varint(w, w->refs);
    flush_buf(w);
    if (!w->error && fflush(w->f))
        w->error = errno ? -errno : -EIO;
    int rc = w->error;
    free(w);
    return rc;
}

/* --- opening ------------------------------------------------------------------------ */

bool refs_is_refs(const void *buf, size_t n)
{
    return n >= strlen(MAGIC) && !memcmp(buf, MAGIC, strlen(MAGIC));
}

/* A varint at p[*at] within n bytes; false if truncated or longer than
 * 64 bits. */
static bool get_varint(const uint8_t *p, size_t n, size_t *at, uint64_t *v)
{
    uint64_t x = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (*at >= n)
            return false;
        uint8_t b = p[(*at)++];
        if (shift == 63 && b > 1)
            return false;
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *v = x;
            return true;
        }
    }
    return false;
}

static int parse_header(struct refs_file *f, char *err, size_t errlen)
{
    memset(&f->info, 0, sizeof f->info);
    f->info.page_shift = 12;
    f->info.fetches = -1;
    bool have_pages = false;
    size_t at = strlen(MAGIC);
    for (;;) {
        const uint8_t *nl = memchr(f->p + at, '\n', f->n - at);
        if (!nl)
            return pg_fail(err, errlen, "the header does not end (truncated?)");
        size_t len = (size_t)(nl - (f->p + at));
        if (len == 0) {
            at++;
            break;
        }
        char line[300];
        if (len >= sizeof line)
            return pg_fail(err, errlen, "header line %.20s... is too long", (const char *)f->p + at);
        memcpy(line, f->p + at, len);
        line[len] = 0;
        at += len + 1;
        char *val = strchr(line, ' ');
        if (!val)
            return pg_fail(err, errlen, "header line '%s' has no value", line);
        *val++ = 0;
        if (!strcmp(line, "pages")) {
            if (strcmp(val, "vpn") && strcmp(val, "numbers"))
                return pg_fail(err, errlen, "header 'pages %s': expected vpn or numbers", val);
            f->info.vpn = !strcmp(val, "vpn");
            have_pages = true;
        } else if (!strcmp(line, "page-size")) {
            char *end;
            unsigned long long ps = strtoull(val, &end, 10);
            if (*end || ps < 2 || (ps & (ps - 1)) || ps > (1ull << 40))
                return pg_fail(err, errlen, "header 'page-size %s': expected a power of two", val);
            f->info.page_shift = (unsigned)__builtin_ctzll(ps);
        } else if (!strcmp(line, "fetches")) {
            f->info.fetches = !strcmp(val, "yes") ? 1 : !strcmp(val, "no") ? 0 : -1;
        } else if (!strcmp(line, "source")) {
            snprintf(f->info.source, sizeof f->info.source, "%s", val);
        }                                 /* other keys: from a later version, ignored */
    }
    if (!have_pages)
        return pg_fail(err, errlen, "the header has no 'pages' line");
    f->data = at;
    /* the trailer: END, then the count, then nothing: find it from the
     * end (a varint's last byte has bit 7 clear, the others set) */
    if (f->n - at < 2)
        return pg_fail(err, errlen, "truncated: no end marker");
    size_t last = f->n - 1;
    if (f->p[last] & 0x80)
        return pg_fail(err, errlen, "truncated: the last token is cut off");
    size_t start = last;
    while (start > at && (f->p[start - 1] & 0x80))
        start--;
    if (start == at || f->p[start - 1] != TOKEN_END)
        return pg_fail(err, errlen, "truncated: no end marker (was the recording interrupted?)");
    size_t k = start;
    if (!get_varint(f->p, f->n, &k, &f->refs) || k != f->n)
        return pg_fail(err, errlen, "corrupt end marker");
    return 0;
}

int refs_open_mem(struct refs_file *f, const void *buf, size_t n, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->p = buf;
    f->n = n;
    if (!refs_is_refs(buf, n))
        return pg_fail(err, errlen, "not a vmlab reference string (no '%.10s' header)", MAGIC);
    return parse_header(f, err, errlen);
}

int refs_open_file(struct refs_file *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return pg_fail(err, errlen, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return pg_fail(err, errlen, "not a regular file");
    }
    if (st.st_size == 0) {
        close(fd);
        return pg_fail(err, errlen, "the file is empty");
    }
    void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED)
        return pg_fail(err, errlen, "cannot map it: %s", strerror(errno));
    madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
    int rc = refs_open_mem(f, m, (size_t)st.st_size, err, errlen);
    f->map = m;
    f->maplen = (size_t)st.st_size;
    if (rc)
        refs_close(f);
    return rc;
}

void refs_close(struct refs_file *f)
{
    if (f->map)
        munmap(f->map, f->maplen);
    memset(f, 0, sizeof *f);
}

/* --- the page map ---------------------------------------------------------------------- */

/* Pages below DIRECT (all of a 32-bit address space in 4 KiB pages) are
 * looked up in a plain table, id + 1 per page (calloc'd: the host maps
 * only the parts used); the others in the hash table. */
#define DIRECT (1u << 20)

struct refs_map {
    uint32_t *direct;             /* [DIRECT]: id + 1, 0 = none */
    uint64_t *keys;               /* page numbers */
    uint32_t *ids;                /* UINT32_MAX: empty slot */
    size_t    cap;                /* a power of two */
    uint64_t *pages;              /* id -> page */
    uint32_t  n;
    size_t    pcap;
};

static size_t slot_of(const struct refs_map *m, uint64_t page)
{
    return (size_t)((page * 0x9e3779b97f4a7c15ull) >> 32) & (m->cap - 1);
}

static uint32_t map_find(const struct refs_map *m, uint64_t page)
{
    if (page < DIRECT)
        return m->direct[page] - 1;
    if (!m->cap)
        return UINT32_MAX;
    for (size_t s = slot_of(m, page);; s = (s + 1) & (m->cap - 1)) {
        if (m->ids[s] == UINT32_MAX)
            return UINT32_MAX;
        if (m->keys[s] == page)
            return m->ids[s];
    }
}

static int map_grow(struct refs_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    uint64_t *keys = malloc(cap * sizeof *keys);
    uint32_t *ids = malloc(cap * sizeof *ids);
    if (!keys || !ids) {
        free(keys);
        free(ids);
        return -ENOMEM;
    }
    memset(ids, 0xff, cap * sizeof *ids);
    struct refs_map old = *m;
    m->keys = keys;
    m->ids = ids;
    m->cap = cap;
    for (size_t s = 0; s < old.cap; s++)
        if (old.ids[s] != UINT32_MAX) {
            size_t t = slot_of(m, old.keys[s]);
            while (ids[t] != UINT32_MAX)
                t = (t + 1) & (cap - 1);
            keys[t] = old.keys[s];
            ids[t] = old.ids[s];
        }
    free(old.keys);
    free(old.ids);
    return 0;
}

/* The id of page, a new one if it has none; UINT32_MAX if out of memory. */
static uint32_t map_add(struct refs_map *m, uint64_t page)
{
    uint32_t id = map_find(m, page);
    if (id != UINT32_MAX)
        return id;
    if (page >= DIRECT && (m->n + 1) * 2 > m->cap && map_grow(m))
        return UINT32_MAX;
    if (m->n == m->pcap) {
        size_t pcap = m->pcap ? m->pcap * 2 : 1024;
        uint64_t *p = realloc(m->pages, pcap * sizeof *p);
        if (!p || m->n >= UINT32_MAX / 2)
            return UINT32_MAX;
        m->pages = p;
        m->pcap = pcap;
    }
    if (page < DIRECT) {
        m->direct[page] = m->n + 1;
    } else {
        size_t s = slot_of(m, page);
        while (m->ids[s] != UINT32_MAX)
            s = (s + 1) & (m->cap - 1);
        m->keys[s] = page;
        m->ids[s] = m->n;
    }
    m->pages[m->n] = page;
    return m->n++;
}

uint32_t refs_map_count(const struct refs_map *m)
{
    return m->n;
}

uint64_t refs_map_page(const struct refs_map *m, uint32_t id)
{
    return id < m->n ? m->pages[id] : 0;
}

void refs_map_free(struct refs_map *m)
{
    if (!m)
        return;
    free(m->direct);
    free(m->keys);
    free(m->ids);
    free(m->pages);
    free(m);
}

/* A few recent pages in front of the hash table: a string's explicit
 * tokens mostly name the same handful of pages. */
static void cache_init(struct refs_cache *c)
{
    for (int i = 0; i < REFS_CACHE; i++)
        c->id[i] = UINT32_MAX;
}

static inline unsigned cache_slot(uint64_t page)
{
    return (unsigned)(page ^ page >> 7) & (REFS_CACHE - 1);
}

static inline uint32_t cached_find(struct refs_cache *c, const struct refs_map *m, uint64_t page)
{
    unsigned k = cache_slot(page);
    if (c->id[k] != UINT32_MAX && c->page[k] == page)
        return c->id[k];
    uint32_t id = map_find(m, page);
    c->page[k] = page;
    c->id[k] = id;
    return id;
}

/* --- scanning --------------------------------------------------------------------------- */

int refs_scan(const struct refs_file *f, struct refs_map **mapp, struct refs_stats *st,
              char *err, size_t errlen)
{
    struct refs_map *m = calloc(1, sizeof *m);
    if (m)
        m->direct = calloc(DIRECT, sizeof *m->direct);
    if (!m || !m->direct) {
        free(m);
        return pg_fail(err, errlen, "out of memory");
    }
    memset(st, 0, sizeof *st);
    uint32_t last[REFS_MAX_PERIOD] = { 0 };  /* ring of the last references */
    struct refs_cache cache;
    cache_init(&cache);
    unsigned head = 0;
    uint64_t prev = 0, refs = 0;
    size_t at = f->data;
    for (;;) {
        uint64_t v;
        if (!get_varint(f->p, f->n, &at, &v))
            goto corrupt;
        st->tokens++;
        if (v == TOKEN_END)
            break;
        unsigned tag = v & 3;
        if (tag == TAG_REF || tag == TAG_PAIR) {
            uint64_t page = prev + unzigzag(v >> 3);
            if (page > MAX_PAGE)
                goto corrupt;
            if (tag == TAG_PAIR && refs == 0)
                goto corrupt;
            unsigned ck = cache_slot(page);
            uint32_t id = cache.id[ck] != UINT32_MAX && cache.page[ck] == page ? cache.id[ck]
                                                                                : map_add(m, page);
            cache.page[ck] = page;
            cache.id[ck] = id;
            if (id == UINT32_MAX) {
                refs_map_free(m);
                return pg_fail(err, errlen, "out of memory for the page map");
            }
            uint32_t r = id << 1 | (uint32_t)(v >> 2 & 1);
            uint32_t before = last[(head + REFS_MAX_PERIOD - 1) % REFS_MAX_PERIOD];
            last[head] = r;
            head = (head + 1) % REFS_MAX_PERIOD;
            refs++;
            st->writes += r & 1;
            if (tag == TAG_PAIR) {
                last[head] = before;
                head = (head + 1) % REFS_MAX_PERIOD;
                refs++;
                st->writes += before & 1;
            }
            prev = page;
        } else if (tag == TAG_RUN) {
            unsigned p = (unsigned)(v >> 2 & 7) + 1;
            uint64_t n = v >> 5;
            if (p < 2 || refs < p || n == 0)
                goto corrupt;
            /* the run repeats its window win[0..p): reference j is win[j % p] */
            uint32_t win[REFS_MAX_PERIOD], wr = 0;
            for (unsigned i = 0; i < p; i++) {
                win[i] = last[(head + REFS_MAX_PERIOD - p + i) % REFS_MAX_PERIOD];
                wr += win[i] & 1;
            }
            bool pow2 = !(p & (p - 1));
            uint64_t full = pow2 ? n >> __builtin_ctz(p) : n / p;
            unsigned rest = (unsigned)(n - full * p);
            st->writes += full * wr;
            for (unsigned i = 0; i < rest; i++)
                st->writes += win[i] & 1;
            /* the ring after it: its last k references, from j = n - k */
            unsigned k = n < REFS_MAX_PERIOD ? (unsigned)n : REFS_MAX_PERIOD;
            unsigned j = (rest + REFS_MAX_PERIOD * p - k) % p;
            for (unsigned i = 0; i < k; i++) {
                last[head] = win[j];
                head = (head + 1) % REFS_MAX_PERIOD;
                j = j + 1 == p ? 0 : j + 1;
            }
            refs += n;
        } else {
            goto corrupt;
        }
        if (refs > f->refs)
            goto corrupt;
    }
    {
        uint64_t count;
        if (!get_varint(f->p, f->n, &at, &count) || at != f->n || count != refs) {
            refs_map_free(m);
            return pg_fail(err, errlen, "corrupt: the end marker says %llu references, the tokens make %llu",
                        (unsigned long long)f->refs, (unsigned long long)refs);
        }
    }
    st->refs = refs;
    st->pages = m->n;
    *mapp = m;
    return 0;
corrupt:
    refs_map_free(m);
    return pg_fail(err, errlen, "corrupt token at byte %zu", at);
}

/* --- reading ------------------------------------------------------------------------------ */

void refs_reader_init(struct refs_reader *r, const struct refs_file *f, const struct refs_map *m)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    r->m = m;
    r->pos = f->data;
    cache_init(&r->cache);
}

/* The reference k back (k >= 1) from out[i] (i counts what this call
 * wrote; before it come r->last[], oldest first). */
static inline uint32_t back(const struct refs_reader *r, const uint32_t *out, size_t i, unsigned k)
{
    return i >= k ? out[i - k] : r->last[REFS_MAX_PERIOD - (k - i)];
}

size_t refs_read(struct refs_reader *r, uint32_t *out, size_t max)
{
    const uint8_t *p = r->f->p;
    size_t n = r->f->n, i = 0;
    while (i < max) {
        if (r->pair_left) {
            out[i] = back(r, out, i, 2);
            i++;
            r->pair_left = false;
            continue;
        }
        if (r->run_left) {
            unsigned per = r->run_period;
            uint64_t k = r->run_left < max - i ? r->run_left : max - i;
            for (uint64_t j = 0; j < k; j++, i++)
                out[i] = back(r, out, i, per);
            r->run_left -= k;
            continue;
        }
        uint64_t v;
        size_t at = r->pos;
        if (!get_varint(p, n, &at, &v) || v == TOKEN_END)
            break;                            /* the end stays the end */
        r->pos = at;
        unsigned tag = v & 3;
        if (tag == TAG_RUN) {
            r->run_period = (unsigned)(v >> 2 & 7) + 1;
            r->run_left = v >> 5;
            continue;
        }
        uint64_t page = r->prev + unzigzag(v >> 3);
        r->prev = page;
        uint32_t id = cached_find(&r->cache, r->m, page);
        if (id == UINT32_MAX)
            break;                            /* not the scanned string */
        out[i++] = id << 1 | (uint32_t)(v >> 2 & 1);
        r->pair_left = tag == TAG_PAIR;
    }
    /* keep the last few for the next call */
    if (i >= REFS_MAX_PERIOD) {
        memcpy(r->last, out + i - REFS_MAX_PERIOD, sizeof r->last);
    } else if (i) {
        memmove(r->last, r->last + i, (REFS_MAX_PERIOD - i) * sizeof r->last[0]);
        memcpy(r->last + REFS_MAX_PERIOD - i, out, i * sizeof out[0]);
    }
    r->done += i;
    return i;
}
