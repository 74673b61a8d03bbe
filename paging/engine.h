/* paging/engine.h — the passes behind pg_analyze (paging/analyze.c), one
 * file each; for paging/ itself and its tests. */
#ifndef VMLAB_PAGING_ENGINE_H
#define VMLAB_PAGING_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "paging/paging.h"

/* The kernel's policy (enum policy_kind) of the same name, or -1 for opt,
 * lru and mru (paging/sim.c). */
int pg_live_kind(enum pg_policy p);

/* One line into err; returns -1 (paging/refs.c). */
int pg_fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* References read per call while passing over a string. */
#define PG_CHUNK 65536

/* One of the policies that are not stack algorithms (fifo, clock, nru,
 * aging, random; and mru, for the tests) at up to 64 sizes in one pass
 * (paging/bank.c): misses[i] for frames[i].  Returns 0 or -ENOMEM. */
#define PG_BANK 64
int pg_bank_run(const struct pg_request *rq, enum pg_policy p, const uint32_t *frames, int n,
                uint64_t aging_interval, uint64_t *misses);

/* lru and opt at every size of rq->frames in one pass (paging/stack.c).
 * Return 0 or -errno (-ENOMEM, a temporary file that failed). */
int pg_lru_run(const struct pg_request *rq, uint64_t *misses);
int pg_opt_run(const struct pg_request *rq, uint64_t *misses);
int pg_mru_run(const struct pg_request *rq, uint64_t *misses);

/* The working set W(t, rq->tau) (paging/wset.c).  Returns 0 or -ENOMEM. */
int pg_wset_run(const struct pg_request *rq, struct pg_wset *ws);

#endif
