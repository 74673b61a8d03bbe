/* kernel/policy.h — page replacement policies, written once against a
 * small interface so that two worlds run the same code:
 *
 *   the kernel (kernel/reclaim.c): a slot is a physical frame; "was it
 *     referenced?" reads the PTE's A bit (set by the Sv32 walk), and
 *     clearing it also flushes that page's TLB entry so the next access
 *     walks again and sets A; "is it dirty?" reads D;
 *   the experiment tool (paging/): a slot is one of N simulated frames,
 *     the bits are set by the reference string itself.
 *
 * A policy sees only what a kernel can see: which slots hold pages, the
 * referenced and dirty bits, and the moments it is asked.  It never hears
 * of a reference that hits (a TLB hit is invisible to the kernel), which is
 * why exact LRU and OPT exist only in the experiment tool.
 *
 * The policies (OSTEP ch. 22; Tanenbaum, Modern Operating Systems §3.4):
 *   fifo    evict the page that has been in memory longest.
 *   clock   second chance: a hand sweeps the slots in order; a page with
 *           its referenced bit set gets the bit cleared and is passed over;
 *           the first page found with the bit clear is the victim, and the
 *           hand stops just past it.
 *   nru     enhanced clock: classes by (referenced, dirty), best first
 *           (0,0), (0,1), (1,0), (1,1).  From the hand, look for (0,0)
 *           changing nothing; failing that, look for (0,1) clearing the
 *           referenced bit of every page passed; repeat (the bits are now
 *           clear, so the second round finds a page).  Clean pages are
 *           preferred: they cost no write.
 *   aging   an 8-bit counter per page, 0 when the page comes in; every
 *           sampling interval (policy_tick) each counter is shifted right
 *           with the referenced bit entering at the top, and the bit is
 *           cleared.  The victim has the smallest counter, with the
 *           referenced bit of the interval under way above it (a page
 *           used since the last sample beats one that was not); the
 *           oldest page among equals.  The textbook approximation of LRU.
 *   random  a uniformly random resident page (xorshift64*, seeded).
 *
 * Costs: fifo, random O(1) per victim; clock O(1) amortised (each pass
 * over a page clears a bit that a reference must set again); nru O(slots)
 * in the worst case; aging O(pages) per victim and per tick.
 */
#ifndef VMLAB_KERNEL_POLICY_H
#define VMLAB_KERNEL_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* X(id, name, live in the kernel too): one row per policy. */
#define POLICY_LIST(X)        \
    X(FIFO,   "fifo")         \
    X(CLOCK,  "clock")        \
    X(NRU,    "nru")          \
    X(AGING,  "aging")        \
    X(RANDOM, "random")

enum policy_kind {
#define X(id, name) POLICY_##id,
    POLICY_LIST(X)
#undef X
    POLICY_COUNT
};

#define POLICY_NONE UINT32_MAX      /* no slot */

/* What a policy did at one slot while choosing, for traces and tables. */
enum policy_step {
    PSTEP_CLEARED,    /* referenced: bit cleared, passed over (a second chance) */
    PSTEP_PASSED,     /* not what this round looks for: passed over unchanged */
    PSTEP_VICTIM,     /* chosen */
};

/* The world a policy lives in.  Slots are numbers below the policy's
 * nslots; only slots inserted and not removed are asked about. */
struct policy_world {
    /* Was the page in slot referenced since its bit was last cleared?
     * With clear, clear the bit too. */
    bool (*referenced)(void *ctx, uint32_t slot, bool clear);
    /* Has the page been written since it came in (or was last cleaned)? */
    bool (*dirty)(void *ctx, uint32_t slot);
    /* Optional (may be NULL): one step of the choice, in order. */
    void (*step)(void *ctx, uint32_t slot, enum policy_step what);
    void *ctx;
};

struct policy_stats {
    uint64_t victims;         /* victims chosen */
    uint64_t hand_moves;      /* slots the hand passed (clock, nru) */
    uint64_t refs_cleared;    /* referenced bits cleared while choosing or ageing */
    uint64_t ticks;           /* aging samples */
};

struct policy;

/* A policy over slots [0, nslots), all empty.  seed drives random (and
 * nothing else).  NULL if out of memory. */
struct policy *policy_new(enum policy_kind kind, uint32_t nslots, uint64_t seed);
void policy_free(struct policy *pol);

/* "fifo" -> POLICY_FIFO; POLICY_COUNT if not a name. */
enum policy_kind policy_from_name(const char *name);
const char *policy_name(enum policy_kind kind);

/* A page now occupies slot (which must be empty). */
void policy_insert(struct policy *pol, uint32_t slot);

/* The page left slot for a reason of its own (unmapped, freed): forget it.
 * Removing an empty slot does nothing. */
void policy_remove(struct policy *pol, uint32_t slot);

/* True if slot holds a page the policy knows of. */
bool policy_holds(const struct policy *pol, uint32_t slot);

/* Pages the policy holds. */
uint32_t policy_count(const struct policy *pol);

/* Choose a victim among the pages held, remove it from the policy and
 * return its slot; POLICY_NONE when it holds none.  May clear referenced
 * bits on the way (clock, nru), each reported through w->step. */
uint32_t policy_victim(struct policy *pol, const struct policy_world *w);

/* Aging's sampling interval has passed: shift every counter.  No-op for
 * the other policies (policy_ticks tells whether to call it at all). */
void policy_tick(struct policy *pol, const struct policy_world *w);
bool policy_ticks(const struct policy *pol);

/* The pages held, in the policy's own order, into out (at most max);
 * returns how many are held.  fifo and aging: oldest first; clock and
 * nru: slot order starting at the hand; random: slot order. */
uint32_t policy_order(const struct policy *pol, uint32_t *out, uint32_t max);

/* The clock hand: the slot the next sweep starts at (clock, nru). */
uint32_t policy_hand(const struct policy *pol);

/* Aging's counter of slot (0 for other policies). */
uint8_t policy_age(const struct policy *pol, uint32_t slot);

const struct policy_stats *policy_stats(const struct policy *pol);
enum policy_kind policy_kind_of(const struct policy *pol);

#endif
