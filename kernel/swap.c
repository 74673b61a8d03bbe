/* kernel/swap.c — the swap area (see swap.h). */
#include "kernel/swap.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mmu/sv32.h"

/* An unlinked temporary file in dir. */
static int temp_in(const char *dir, char *err, size_t errlen)
{
    int fd;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    char name[4096];
    if ((size_t)snprintf(name, sizeof name, "%s/vmlab-swap.XXXXXX", dir) >= sizeof name) {
        snprintf(err, errlen, "swap directory name too long");
        return -ENAMETOOLONG;
    }
    fd = mkstemp(name);
    if (fd < 0) {
        int e = errno;
        snprintf(err, errlen, "cannot create a swap file in %s: %s", dir, strerror(e));
        return -e;
    }
    unlink(name);
    return fd;
}

int swap_open(struct swap_area *s, uint64_t size, const char *path, struct hostmem *hm,
              char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->fd = -1;
    uint64_t pages = size / PAGE_SIZE;
    if (pages == 0)
        return 0;
    if (pages >= SWAP_MAX_SLOTS)
        pages = SWAP_MAX_SLOTS - 1;
    s->nslots = (uint32_t)pages + 1;              /* slot 0 is never used */
    size_t book = swap_bookkeeping(s->nslots);
    if (!hostmem_charge(hm, HOSTMEM_SWAP, book)) {
        snprintf(err, errlen, "--swap %llu MiB needs %zu KiB of swap bookkeeping, more than "
                 "--host-mem leaves", (unsigned long long)(size >> 20), (book + 1023) / 1024);
        return -ENOMEM;
    }
    s->hm = hm;
    s->charged = book;
    s->bits = calloc((s->nslots + 63) / 64, sizeof *s->bits);
    s->sum = calloc(s->nslots, sizeof *s->sum);
    s->wb = malloc((size_t)SWAP_BATCH * PAGE_SIZE);
    if (!s->bits || !s->sum || !s->wb) {
        swap_close(s);
        snprintf(err, errlen, "out of memory for the swap map");
        return -ENOMEM;
    }
    s->bits[0] = 1;
    s->next = 1;

    struct stat st;
    int fd;
    if (!path) {
        const char *dir = getenv("TMPDIR");
        fd = temp_in(dir && *dir ? dir : "/tmp", err, errlen);
    } else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fd = temp_in(path, err, errlen);
    } else {
        fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            int e = errno;
            if (e == EEXIST)
                snprintf(err, errlen, "swap file %s already exists; vmlab will not "
                         "overwrite it (give a new name, or a directory)", path);
            else
                snprintf(err, errlen, "cannot create swap file %s: %s", path, strerror(e));
            fd = -e;
        } else if (!(s->path = strdup(path))) {
            close(fd);
            unlink(path);
            snprintf(err, errlen, "out of memory");
            fd = -ENOMEM;
        }
    }
    if (fd < 0) {
        swap_close(s);                    /* the maps; no file is open yet */
        return fd;
    }
    s->fd = fd;
    return 0;
}

void swap_close(struct swap_area *s)
{
    if (s->fd >= 0)
        close(s->fd);
    if (s->path)
        unlink(s->path);
    free(s->path);
    free(s->bits);
    free(s->sum);
    free(s->wb);
    hostmem_release(s->hm, HOSTMEM_SWAP, s->charged);
    memset(s, 0, sizeof *s);
    s->fd = -1;
}

static bool slot_used(const struct swap_area *s, uint32_t slot)
{
    return s->bits[slot / 64] >> (slot % 64) & 1;
}

/* Next-fit over the bitmap, a word at a time: O(1) amortised while the
 * area has room. */
uint32_t swap_alloc(struct swap_area *s)
{
    if (s->fd < 0 || s->used + 1 >= s->nslots)
        return SWAP_NONE;
    uint32_t words = (s->nslots + 63) / 64;
    uint32_t w = s->next / 64;
    for (uint32_t n = 0; n <= words; n++, w = (w + 1) % words) {
        uint64_t freebits = ~s->bits[w];
        if (w == words - 1 && s->nslots % 64)
            freebits &= (1ull << (s->nslots % 64)) - 1;     /* past the end */
        if (!freebits)
            continue;
        uint32_t slot = w * 64 + (uint32_t)__builtin_ctzll(freebits);
        s->bits[w] |= 1ull << (slot % 64);
        if (++s->used > s->peak)
            s->peak = s->used;
        s->next = slot + 1 < s->nslots ? slot + 1 : 1;
        return slot;
    }
    return SWAP_NONE;
}

void swap_free(struct swap_area *s, uint32_t slot)
{
    assert(slot != SWAP_NONE && slot < s->nslots && slot_used(s, slot) &&
           "swap_free: slot not in use");
    s->bits[slot / 64] &= ~(1ull << (slot % 64));
    s->used--;
    for (unsigned i = 0; i < SWAP_BATCH && s->wb_n; i++)
        if (s->wb_slot[i] == slot) {               /* never written: forget it */
            s->wb_slot[i] = SWAP_NONE;
            s->wb_n--;
        }
}

/* The buffer entry waiting for slot, or -1. */
static int waiting(const struct swap_area *s, uint32_t slot)
{
    for (unsigned i = 0; i < SWAP_BATCH && s->wb_n; i++)
        if (s->wb_slot[i] == slot)
            return (int)i;
    return -1;
}

/* A 32-bit hash of a page: four independent multiply-xor lanes over
 * 64-bit words (so the multiplies overlap), folded at the end — about
 * 0.1 µs a page, against the microseconds of the I/O. */
static uint32_t page_hash(const void *page)
{
    const uint64_t k = 0x9fb21c651e98df25ull;
    uint64_t h0 = 1, h1 = 2, h2 = 3, h3 = 4, w0, w1, w2, w3;
    const uint8_t *b = page;
    for (unsigned i = 0; i < PAGE_SIZE; i += 32) {
        memcpy(&w0, b + i, 8);
        memcpy(&w1, b + i + 8, 8);
        memcpy(&w2, b + i + 16, 8);
        memcpy(&w3, b + i + 24, 8);
        h0 = (h0 ^ w0) * k;
        h1 = (h1 ^ w1) * k;
        h2 = (h2 ^ w2) * k;
        h3 = (h3 ^ w3) * k;
    }
    uint64_t x = h0 ^ (h1 << 1 | h1 >> 63) ^ (h2 << 2 | h2 >> 62) ^ (h3 << 3 | h3 >> 61);
    x = (x ^ (x >> 32)) * k;
    return (uint32_t)(x ^ (x >> 29));
}

/* One page to its slot with pwrite, finishing short writes.  0 or -errno. */
static int write_page(struct swap_area *s, uint32_t slot, const uint8_t *page)
{
    off_t off = (off_t)slot * PAGE_SIZE;
    size_t done = 0;
    while (done < PAGE_SIZE) {
        ssize_t n = pwrite(s->fd, page + done, PAGE_SIZE - done, off + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            s->write_errors++;
            return n < 0 ? -errno : -EIO;
        }
        done += (size_t)n;
    }
    return 0;
}

/* The waiting entry e was written: free it. */
static void written(struct swap_area *s, unsigned e)
{
    s->wb_slot[e] = SWAP_NONE;
    s->wb_n--;
    s->writes++;
}

/* Write the waiting entries order[0..n) (consecutive slots) with one
 * pwritev; after a short write, the rest a page at a time.  Returns 0 or
 * -errno; entries written are freed. */
static int write_run(struct swap_area *s, const unsigned *order, unsigned n)
{
    struct iovec iov[SWAP_BATCH];
    for (unsigned i = 0; i < n; i++)
        iov[i] = (struct iovec){ s->wb + (size_t)order[i] * PAGE_SIZE, PAGE_SIZE };
    ssize_t w;
    do
        w = pwritev(s->fd, iov, (int)n, (off_t)s->wb_slot[order[0]] * PAGE_SIZE);
    while (w < 0 && errno == EINTR);
    unsigned full = w > 0 ? (unsigned)((size_t)w / PAGE_SIZE) : 0;
    for (unsigned i = 0; i < full; i++)
        written(s, order[i]);
    for (unsigned i = full; i < n; i++) {
        int rc = write_page(s, s->wb_slot[order[i]], s->wb + (size_t)order[i] * PAGE_SIZE);
        if (rc)
            return rc;
        written(s, order[i]);
    }
    return 0;
}

int swap_flush(struct swap_area *s)
{
    unsigned order[SWAP_BATCH], n = 0;
    for (unsigned i = 0; i < SWAP_BATCH; i++)
        if (s->wb_slot[i] != SWAP_NONE)
            order[n++] = i;
    if (n == 0)
        return 0;
    for (unsigned i = 1; i < n; i++)              /* by slot: runs of neighbours */
        for (unsigned j = i; j > 0 && s->wb_slot[order[j - 1]] > s->wb_slot[order[j]]; j--) {
            unsigned t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    s->flushes++;
    int first_error = 0;
    for (unsigned i = 0; i < n;) {
        unsigned k = 1;
        while (i + k < n && s->wb_slot[order[i + k]] == s->wb_slot[order[i]] + k)
            k++;
        int rc = write_run(s, order + i, k);
        if (rc && !first_error)
            first_error = rc;
        i += k;
    }
    return first_error;
}

int swap_write(struct swap_area *s, uint32_t slot, const void *page)
{
    int e = waiting(s, slot);
    if (e < 0 && s->wb_n == SWAP_BATCH) {
        int rc = swap_flush(s);
        if (s->wb_n == SWAP_BATCH)
            return rc ? rc : -EIO;                /* nothing could be written */
    }
    if (e < 0)
        for (e = 0; s->wb_slot[e] != SWAP_NONE; e++)
            ;
    if (s->wb_slot[e] == SWAP_NONE)
        s->wb_n++;
    s->wb_slot[e] = slot;
    memcpy(s->wb + (size_t)e * PAGE_SIZE, page, PAGE_SIZE);
    s->sum[slot] = page_hash(page);
    return 0;
}

int swap_read(struct swap_area *s, uint32_t slot, void *page)
{
    int e = waiting(s, slot);
    if (e >= 0) {                                 /* not written yet */
        memcpy(page, s->wb + (size_t)e * PAGE_SIZE, PAGE_SIZE);
        s->reads++;
        return 0;
    }
    off_t off = (off_t)slot * PAGE_SIZE;
    size_t done = 0;
    while (done < PAGE_SIZE) {
        ssize_t n = pread(s->fd, (uint8_t *)page + done, PAGE_SIZE - done, off + (off_t)done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {                 /* 0: past the end of a truncated file */
            s->read_errors++;
            return n < 0 ? -errno : -EIO;
        }
        done += (size_t)n;
    }
    if (page_hash(page) != s->sum[slot]) {
        s->read_errors++;
        return -EBADMSG;
    }
    s->reads++;
    return 0;
}
