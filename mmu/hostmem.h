/* mmu/hostmem.h — the host memory vmlab's own structures may take on a
 * guest's behalf, and the budget no guest can push them past.
 *
 * Physical memory is the guest's and has its own size (--mem); these are
 * the structures that grow with what the guest does: decoded instruction
 * pages, the translator's code buffer and block tables, the bytes of mapped
 * files.  Each user charges the budget before it allocates and gives the
 * bytes back when it frees them; a refused charge is handled where it
 * happens (a cache is emptied and tried again, an mmap fails with -ENOMEM),
 * so the total never passes the cap.
 *
 * A new user is one row in HOSTMEM_USERS, then hostmem_alloc() where it
 * called calloc() (and hostmem_free() for free()); or, for memory another
 * function allocates, hostmem_charge() before and hostmem_release() after.
 * A NULL budget means "no cap" (unit tests that build a bare hart). */
#ifndef VMLAB_MMU_HOSTMEM_H
#define VMLAB_MMU_HOSTMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HOSTMEM_DEFAULT (256ull << 20)       /* --host-mem */

/* X(name, what it is, for --stats) */
#define HOSTMEM_USERS(X)                                    \
    X(DECODED,    "decoded instructions")                   \
    X(TRANSLATED, "translated code")                        \
    X(FILES,      "mapped files")                           \
    X(SWAP,       "swap bookkeeping")

enum hostmem_user {
#define X(name, text) HOSTMEM_##name,
    HOSTMEM_USERS(X)
#undef X
    HOSTMEM_NUSERS
};

struct hostmem {
    uint64_t limit;                          /* the cap, bytes */
    uint64_t used, peak;
    uint64_t refused;                        /* charges refused */
    uint64_t by[HOSTMEM_NUSERS];             /* bytes held, per user */
};

void hostmem_init(struct hostmem *h, uint64_t limit);

/* Take n bytes for user u.  Returns false, taking nothing, when that would
 * pass the cap.  Always true for h == NULL. */
__attribute__((warn_unused_result))
bool hostmem_charge(struct hostmem *h, enum hostmem_user u, size_t n);

/* Give back n bytes charged by user u.  No-op for h == NULL. */
void hostmem_release(struct hostmem *h, enum hostmem_user u, size_t n);

/* calloc(1, n) charged to user u: NULL when the cap refuses (nothing is
 * charged then) or calloc fails. */
void *hostmem_alloc(struct hostmem *h, enum hostmem_user u, size_t n);

/* free(p), giving back the n bytes hostmem_alloc charged.  p may be NULL. */
void hostmem_free(struct hostmem *h, enum hostmem_user u, void *p, size_t n);

/* "decoded instructions", ... */
const char *hostmem_user_name(enum hostmem_user u);

#endif
