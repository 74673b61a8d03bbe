/* gc_barrier — a write barrier built from page protection.
 *
 * A generational garbage collector splits the heap into a young
 * generation (new objects, collected often) and an old generation
 * (survivors, collected rarely).  A minor collection scans only the young
 * objects, but it must also find old objects that were changed to point
 * at young ones.  Scanning the whole old generation every time would
 * defeat the point, so the collector keeps a "remembered set": the old
 * pages written since the last collection.  Keeping it is the job of a
 * write barrier.
 *
 * Some collectors (e.g. the Boehm GC's incremental mode) build the
 * barrier from the MMU, with no extra code at each store:
 *
 *   1. after a collection, mprotect the old generation read-only;
 *   2. the first store into an old page faults: SIGSEGV, SEGV_ACCERR,
 *      si_addr = the address being written;
 *   3. the handler adds that page to the remembered set, mprotects just
 *      that page read-write again, and returns;
 *   4. returning from the handler restarts the faulting store, which now
 *      succeeds.  Later stores to the same page run at full speed.
 *
 * So the number of faults equals the number of distinct pages written,
 * however many stores there were.  The handler's printf is safe here only
 * because every store in main happens after a complete printf line.
 *
 *     vmlab run --trace fault,signal build/guests/gc_barrier
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096u
#define OLD_PAGES 8
#define WORDS_PER_PAGE (PAGE / sizeof(uint32_t))

/* volatile: every store must really happen, in program order, even with
 * the fault counter read right after it. */
static volatile uint32_t *old_gen;      /* OLD_PAGES pages */
static volatile unsigned faults;
static volatile unsigned char dirty[OLD_PAGES];   /* the remembered set */

/* The write barrier.  A fault outside the old generation is a real bug:
 * put back the default action, and returning re-runs the access, which
 * then kills the process as usual. */
static void barrier(int sig, siginfo_t *si, void *ctx)
{
    uintptr_t addr = (uintptr_t)si->si_addr, base = (uintptr_t)old_gen;
    unsigned page;

    (void)ctx;
    if (si->si_code != SEGV_ACCERR || addr < base || addr >= base + OLD_PAGES * PAGE) {
        signal(sig, SIG_DFL);
        return;
    }
    page = (unsigned)((addr - base) / PAGE);
    faults++;
    dirty[page] = 1;
    printf("    barrier: fault at 0x%08lx, first store to old page %u:\n"
           "             remember page %u, make it writable, retry the store\n",
           (unsigned long)addr, page, page);
    mprotect((void *)(base + page * PAGE), PAGE, PROT_READ | PROT_WRITE);
}

/* The program's stores into old objects: (page, word in page, value). */
static const struct {
    unsigned page, word;
    uint32_t value;
} stores[] = {
    { 2, 10, 111 }, { 5, 0, 222 }, { 2, 11, 333 }, { 7, 1000, 444 },
    { 5, 1, 555 }, { 2, 12, 666 }, { 0, 3, 777 }, { 7, 1001, 888 },
};
#define NSTORES (sizeof stores / sizeof stores[0])

static void print_remembered_set(void)
{
    unsigned n = 0;

    printf("remembered set (old pages to scan at the next minor collection):");
    for (unsigned i = 0; i < OLD_PAGES; i++)
        if (dirty[i]) {
            printf(" %u", i);
            n++;
        }
    printf("  (%u of %u pages)\n", n, OLD_PAGES);
}

int main(void)
{
    struct sigaction sa;
    unsigned ok = 0;

    printf("gc_barrier: a garbage collector's write barrier made of page faults\n\n");

    old_gen = mmap(NULL, OLD_PAGES * PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (old_gen == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (unsigned i = 0; i < OLD_PAGES * WORDS_PER_PAGE; i++)
        old_gen[i] = i;                 /* the old objects */
    printf("Old generation: %u pages at 0x%08lx-0x%08lx, filled with objects.\n",
           OLD_PAGES, (unsigned long)(uintptr_t)old_gen,
           (unsigned long)(uintptr_t)old_gen + OLD_PAGES * PAGE);

    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = barrier;
    sa.sa_flags = SA_SIGINFO;
    if (sigaction(SIGSEGV, &sa, NULL) < 0) {
        perror("sigaction");
        return 1;
    }
    if (mprotect((void *)old_gen, OLD_PAGES * PAGE, PROT_READ) < 0) {
        perror("mprotect");
        return 1;
    }
    printf("A collection just finished: the old generation is now read-only,\n"
           "and a SIGSEGV handler (the barrier) is installed.\n\n");

    printf("The program runs and makes %u stores into old objects:\n", (unsigned)NSTORES);
    for (unsigned i = 0; i < NSTORES; i++) {
        printf("  store %u: page %u, word %4u = %lu\n", i + 1, stores[i].page,
               stores[i].word, (unsigned long)stores[i].value);
        old_gen[stores[i].page * WORDS_PER_PAGE + stores[i].word] = stores[i].value;
    }

    for (unsigned i = 0; i < NSTORES; i++)
        if (old_gen[stores[i].page * WORDS_PER_PAGE + stores[i].word] == stores[i].value)
            ok++;
    printf("\n%u stores, %u faults: one fault per distinct page, not per store.\n",
           (unsigned)NSTORES, faults);
    printf("All %u stores landed after their retry: %s\n", (unsigned)NSTORES,
           ok == NSTORES ? "yes" : "NO");
    print_remembered_set();

    /* The next collection: scan the dirty pages, then protect them again. */
    mprotect((void *)old_gen, OLD_PAGES * PAGE, PROT_READ);
    for (unsigned i = 0; i < OLD_PAGES; i++)
        dirty[i] = 0;
    faults = 0;
    printf("\nNext collection: scanned only those pages, made the old generation\n"
           "read-only again, emptied the remembered set.  One more store:\n");
    printf("  store: page 5, word 2 = 999\n");
    old_gen[5 * WORDS_PER_PAGE + 2] = 999;
    printf("faults since the collection: %u\n", faults);
    print_remembered_set();
    return 0;
}
