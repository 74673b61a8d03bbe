/* mmu/hostmem.c — see hostmem.h. */
#include "mmu/hostmem.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

void hostmem_init(struct hostmem *h, uint64_t limit)
{
    memset(h, 0, sizeof *h);
    h->limit = limit;
}

bool hostmem_charge(struct hostmem *h, enum hostmem_user u, size_t n)
{
    if (!h)
        return true;
    if (n > h->limit || h->used > h->limit - n) {
        h->refused++;
        return false;
    }
    h->used += n;
    h->by[u] += n;
    if (h->used > h->peak)
        h->peak = h->used;
    return true;
}

void hostmem_release(struct hostmem *h, enum hostmem_user u, size_t n)
{
    if (!h)
        return;
    assert(h->by[u] >= n && h->used >= n);   /* hostmem_release: more than was charged */
    h->by[u] -= n;
    h->used -= n;
}

void *hostmem_alloc(struct hostmem *h, enum hostmem_user u, size_t n)
{
    if (!hostmem_charge(h, u, n))
        return NULL;
    void *p = calloc(1, n);
    if (!p)
        hostmem_release(h, u, n);
    return p;
}

void hostmem_free(struct hostmem *h, enum hostmem_user u, void *p, size_t n)
{
    if (p) {
        free(p);
        hostmem_release(h, u, n);
    }
}

const char *hostmem_user_name(enum hostmem_user u)
{
    static const char *const names[] = {
#define X(name, text) text,
        HOSTMEM_USERS(X)
#undef X
    };
    return u < HOSTMEM_NUSERS ? names[u] : "?";
}
