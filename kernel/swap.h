/* kernel/swap.h — the swap area: a host file cut into page-sized slots
 * (Linux mm/swapfile.c in miniature).
 *
 * One bit per slot says whether it holds a page.  Pages move with pread
 * and pwrite of whole pages at offset slot * 4096; the file is sparse, so
 * a slot costs disk (or page cache) only once written.  By default the
 * file is a temporary one, unlinked as soon as it is open, so nothing is
 * left behind whatever happens to vmlab.
 *
 * Writes are gathered (write-back, as Linux's swap writeback is
 * asynchronous and clustered): a page given to swap_write waits in a
 * small buffer of SWAP_BATCH pages, which is written with one pwritev per
 * run of consecutive slots when it fills.  A page still waiting is read
 * back from the buffer.  A write that fails leaves its pages waiting (they
 * are not lost); while the buffer is full of them, swap_write refuses more.
 *
 * A slot number is what a swapped-out page's PTE holds (kernel/pte.h);
 * slot 0 is never handed out, so a PTE with slot 0 can be told from a
 * bad one.
 */
#ifndef VMLAB_KERNEL_SWAP_H
#define VMLAB_KERNEL_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mmu/hostmem.h"

#define SWAP_NONE 0u                  /* no slot */
#define SWAP_MAX_SLOTS (1u << 22)     /* what a PTE's 22-bit field holds: 16 GiB */
#define SWAP_BATCH 16                 /* pages gathered before a write */

struct swap_area {
    int       fd;                     /* -1: no swap (--swap 0) */
    char     *path;                   /* the file vmlab made and removes at exit, or NULL */
    uint32_t  nslots;                 /* slots 1 .. nslots-1 are usable */
    uint64_t *bits;                   /* one bit per slot: in use */
    uint32_t *sum;                    /* per slot: a hash of the page written there */
    uint32_t  used;
    uint32_t  peak;
    uint32_t  next;                   /* where the search for a free slot starts */
    uint64_t  reads, writes;          /* pages moved to and from the file */
    uint64_t  read_errors, write_errors;
    uint64_t  flushes;                /* writes of the buffer */
    uint8_t  *wb;                     /* SWAP_BATCH pages waiting to be written */
    struct hostmem *hm;               /* the budget the maps are charged to */
    size_t    charged;                /* bytes charged there (swap_bookkeeping) */
    uint32_t  wb_slot[SWAP_BATCH];    /* their slots; SWAP_NONE: entry free */
    unsigned  wb_n;                   /* entries in use */
};

/* Open a swap area of size bytes (rounded down to whole pages; 0 = none).
 * path NULL: an unlinked temporary file in $TMPDIR or /tmp.  path a
 * directory: an unlinked temporary file in it.  Otherwise path must not
 * exist: it is created, and removed again by swap_close (vmlab never
 * overwrites a file the user has).  Returns 0, or -errno with one line in
 * err ("cannot create swap file /x/y: Permission denied"). */
/* The bytes of maps an area of nslots slots keeps (bits, sums, the write
 * buffer); swap_open charges them to hm (HOSTMEM_SWAP) for as long as the
 * area is open, and refuses an area the cap has no room for. */
static inline size_t swap_bookkeeping(uint32_t nslots)
{
    return ((size_t)nslots + 63) / 64 * sizeof(uint64_t) + (size_t)nslots * sizeof(uint32_t) +
           (size_t)SWAP_BATCH * 4096;
}

int  swap_open(struct swap_area *s, uint64_t size, const char *path, struct hostmem *hm,
                char *err, size_t errlen);
void swap_close(struct swap_area *s);

/* Take a free slot; SWAP_NONE when the area is full (or there is none). */
uint32_t swap_alloc(struct swap_area *s);

/* Give a slot back.  It must be in use. */
void swap_free(struct swap_area *s, uint32_t slot);

static inline bool swap_enabled(const struct swap_area *s)
{
    return s->fd >= 0;
}

/* Write every waiting page now.  Returns 0 or the first error (the pages
 * not written keep waiting). */
int swap_flush(struct swap_area *s);

/* Move one page between a host buffer and slot.  Return 0, or -errno:
 * -EIO for a short read (the file was truncated behind vmlab's back) or
 * a short write that cannot be completed, -EBADMSG when the page read
 * back is not the one written (each slot keeps a hash of its page: a file
 * changed behind vmlab's back, or truncated and grown again with a hole,
 * never yields a page of wrong data), or pread/pwrite's error (-ENOSPC on
 * a full file system, -EFBIG past RLIMIT_FSIZE: reported by the
 * swap_write that finds the buffer full and cannot empty it). */
int swap_write(struct swap_area *s, uint32_t slot, const void *page);
int swap_read(struct swap_area *s, uint32_t slot, void *page);

#endif
