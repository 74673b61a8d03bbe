/* paging/refs.h — a page reference string on disk or in memory: the
 * format `vmlab paging --save-refs` writes and `--refs-file` reads back.
 *
 * A string is a sequence of references, each a page number and whether
 * the reference wrote the page.  Consecutive references to one page are
 * one reference (a store among them makes it a write).  Page numbers are
 * virtual page numbers (address >> 12 for a recorded run; address >>
 * log2(--page-size) for a valgrind lackey log) or plain numbers (a string
 * written by hand).
 *
 * The format: a text header, one "key value" per line, ended by an empty
 * line —
 *     vmlab-refs 1
 *     pages vpn              (or: pages numbers)
 *     page-size 4096
 *     fetches yes            (instruction fetches included: yes, no or -)
 *     source build/guests/matrix 4      (optional: what was recorded)
 *     <empty line>
 * — then tokens, each an unsigned LEB128 varint v:
 *     v & 3 == 0  REF   page = previous page + zigzag(v >> 3), written = v >> 2 & 1
 *     v & 3 == 1  PAIR  the same, then the reference before it again (a data
 *                       access, then the code page it came from)
 *     v & 3 == 2  RUN   (v >> 5) references, each equal to the one
 *                       ((v >> 2 & 7) + 1) back (periods 2 to 8)
 *     v == 3      END, followed by the number of references (a varint)
 *                 and nothing else.
 * "previous page" is that of the previous REF or PAIR (0 at the start);
 * zigzag maps 0, -1, 1, -2, ... to 0, 1, 2, 3, ...  A recorded run of a
 * billion references takes tens of megabytes when the program loops: its
 * loops become RUN tokens.
 *
 * Everything that reads a string validates it first (refs_scan), so a
 * truncated or corrupt file is one error, never a crash.
 */
#ifndef VMLAB_PAGING_REFS_H
#define VMLAB_PAGING_REFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define REFS_MAX_PERIOD 8

/* What the header says. */
struct refs_info {
    bool     vpn;                 /* page numbers are virtual page numbers */
    unsigned page_shift;          /* log2 of the page size (vpn strings) */
    int      fetches;             /* 1 yes, 0 no, -1 not known */
    char     source[256];         /* what was recorded, or "" */
};

/* --- writing --------------------------------------------------------------- */

struct refs_writer;

/* Start a string on f (the header is written at once).  NULL if out of
 * memory. */
struct refs_writer *refs_writer_new(FILE *f, const struct refs_info *info);

/* Tokens as they are (the caller has collapsed them already): a
 * reference; a reference and then the one before it; n references each
 * repeating the one `period` back (2 <= period <= REFS_MAX_PERIOD, and at
 * least period references before it).  Return 0 or -errno (a failed
 * write; sticky). */
int refs_ref(struct refs_writer *w, uint64_t page, bool written);
int refs_pair(struct refs_writer *w, uint64_t page, bool written);
int refs_run(struct refs_writer *w, unsigned period, uint64_t n);

/* One reference in order, for strings read from text: collapses a
 * repeat of the latest page (a write marks it written) and turns
 * repeats of the last few references into runs. */
int refs_put(struct refs_writer *w, uint64_t page, bool written);

/* Only references to pages in [lo, hi) are kept from now on (a window on
 * one array, say); the rest are dropped before collapsing.  Slower: every
 * token is taken apart. */
void refs_writer_filter(struct refs_writer *w, uint64_t lo, uint64_t hi);

/* References written so far. */
uint64_t refs_writer_count(const struct refs_writer *w);

/* Write END and the count, flush, and free w (not f).  Returns 0 or
 * -errno from the first failed write. */
int refs_writer_finish(struct refs_writer *w);

/* --- text (paging/parse.c) --------------------------------------------------- */

/* Page numbers written by hand — "1,2,3,4" or "7 0 1" or one per line,
 * decimal or 0x hex, '#' to the end of a line a comment — into w.
 * Returns how many were given, or -1 with one line in err naming `where`
 * and what is wrong. */
long long refs_parse_list(struct refs_writer *w, const char *s, size_t len, const char *where,
                          char *err, size_t errlen);

/* True if the text starts like a valgrind --tool=lackey --trace-mem=yes log. */
bool refs_is_lackey(const char *buf, size_t n);

/* A lackey log (lines "I  ADDR,SIZE" for a fetch, " L ", " S ", " M " for a
 * load, store, or both, ADDR in hex; valgrind's own "==PID==" lines are
 * skipped) into w: page = address >> page_shift, an access that crosses a
 * page boundary touches both; with data_only the fetches are left out.
 * Returns the accesses read, or -1 with one line in err (name:LINE: ...). */
long long refs_parse_lackey(struct refs_writer *w, FILE *in, const char *name, unsigned page_shift,
                            bool data_only, char *err, size_t errlen);

/* --- reading ----------------------------------------------------------------- */

/* An opened string: its bytes (mapped from a file, or a buffer). */
struct refs_file {
    const uint8_t *p;
    size_t   n;
    size_t   data;                /* offset of the first token */
    uint64_t refs;                /* from the trailer */
    struct refs_info info;
    void    *map;                 /* mmap'd region (refs_close unmaps) */
    size_t   maplen;
};

/* True if the bytes start like a vmlab-refs file. */
bool refs_is_refs(const void *buf, size_t n);

/* Open the string in a regular file (mapped) or in a buffer (borrowed).
 * Checks the header and the trailer; the tokens are checked by
 * refs_scan.  Returns 0, or -1 with one line in err. */
int refs_open_file(struct refs_file *f, const char *path, char *err, size_t errlen);
int refs_open_mem(struct refs_file *f, const void *buf, size_t n, char *err, size_t errlen);
void refs_close(struct refs_file *f);

/* Dense ids for the pages of a string: 0, 1, 2, ... in order of first
 * reference.  Built by refs_scan; read-only afterwards (readers on other
 * threads share it). */
struct refs_map;
uint32_t refs_map_count(const struct refs_map *m);
uint64_t refs_map_page(const struct refs_map *m, uint32_t id);
void refs_map_free(struct refs_map *m);

struct refs_stats {
    uint64_t refs;                /* references */
    uint64_t writes;              /* of which wrote their page */
    uint32_t pages;               /* distinct pages */
    uint64_t tokens;
};

/* Read the whole string once: check every token, give every page its id.
 * Returns 0 (with *map and *st), or -1 with one line in err ("truncated",
 * "corrupt at byte N: ..."). */
int refs_scan(const struct refs_file *f, struct refs_map **map, struct refs_stats *st,
              char *err, size_t errlen);

/* A reference as the readers hand it out: id << 1 | written. */
#define REF_ID(r)      ((r) >> 1)
#define REF_WRITTEN(r) ((r) & 1u)

#define REFS_CACHE 8
struct refs_cache {                 /* recent pages and their ids */
    uint64_t page[REFS_CACHE];
    uint32_t id[REFS_CACHE];
};

/* A cursor over a scanned string.  Plain data: copy it to keep a place
 * (refs_read continues from a copy as from the original). */
struct refs_reader {
    const struct refs_file *f;
    const struct refs_map  *m;
    size_t   pos;                 /* next token */
    uint64_t prev;                /* page of the previous REF/PAIR */
    uint32_t last[REFS_MAX_PERIOD]; /* the last references, [0] oldest */
    unsigned run_period;          /* a run under way: its period and what is left */
    uint64_t run_left;
    bool     pair_left;           /* a PAIR's second reference is due */
    uint64_t done;                /* references handed out */
    struct refs_cache cache;
};

void refs_reader_init(struct refs_reader *r, const struct refs_file *f, const struct refs_map *m);

/* Up to max references into out; 0 at the end. */
size_t refs_read(struct refs_reader *r, uint32_t *out, size_t max);

#endif
