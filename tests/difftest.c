/* tests/difftest.c — see difftest.h. */
#include "tests/difftest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/run.h"

enum { R_JIT, R_INTERP, R_QEMU, NRUNNERS };
static const char *const runner_name[NRUNNERS] = { "vmlab", "vmlab --interp", "qemu-riscv32" };

static int write_file(const char *path, const uint8_t *b, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (fd < 0)
        return -errno;
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, b + done, n - done);
        if (w < 0 && errno != EINTR) {
            int e = errno;
            close(fd);
            return -e;
        }
        if (w > 0)
            done += (size_t)w;
    }
    return close(fd) ? -errno : 0;
}

/* Run elf under the three runners.  Returns 0, or -1 if one could not run. */
static int run_three(struct difftest *d, const char *elf, struct run_result r[NRUNNERS])
{
    char *argv[NRUNNERS][6] = {
        { (char *)d->vmlab, "run", "--no-core", (char *)elf, NULL },
        { (char *)d->vmlab, "run", "--no-core", "--interp", (char *)elf, NULL },
        { (char *)d->qemu, (char *)elf, NULL },
    };
    for (int i = 0; i < NRUNNERS; i++) {
        d->runs++;
        if (run_cmd(argv[i], NULL, NULL, d->timeout, &r[i]) != 0) {
            for (int k = 0; k <= i; k++)
                run_free(&r[k]);
            return -1;
        }
    }
    return 0;
}

static void free_three(struct run_result r[NRUNNERS])
{
    for (int i = 0; i < NRUNNERS; i++)
        run_free(&r[i]);
}

int difftest_first_difference(const char *a, size_t alen, const char *b, size_t blen)
{
    size_t n = alen < blen ? alen : blen;
    for (size_t off = 0; off < n; off += RVG_RECORD) {
        size_t k = n - off < RVG_RECORD ? n - off : RVG_RECORD;
        if (memcmp(a + off, b + off, k) || k < RVG_RECORD)
            return (int)(off / RVG_RECORD);
    }
    return alen == blen ? -1 : (int)(n / RVG_RECORD);
}

/* Which program of the run differs first (against qemu), or -1 if none
 * does and every runner exited 0 with `nprogs` records. */
static int divergent(const struct run_result r[NRUNNERS], int nprogs)
{
    int first = -1;
    for (int i = 0; i < NRUNNERS; i++) {
        int k = -1;
        if (i != R_QEMU)
            k = difftest_first_difference(r[i].out, r[i].outlen, r[R_QEMU].out,
                                          r[R_QEMU].outlen);
        if (k < 0 && (r[i].status != 0 || r[i].timed_out ||
                      r[i].outlen != (size_t)nprogs * RVG_RECORD))
            k = (int)(r[i].outlen / RVG_RECORD);           /* the one that did not finish */
        if (k >= 0 && (first < 0 || k < first))
            first = k;
    }
    return first;
}

struct alone {
    struct difftest *d;
    char             path[512];
};

/* Does program p, alone in a file, still diverge? */
static bool diverges_alone(void *ctx, const struct rvg_prog *p)
{
    struct alone *a = ctx;
    size_t len;
    uint8_t *img = rvg_elf(p, 1, &len);
    if (!img || write_file(a->path, img, len)) {
        free(img);
        return false;
    }
    free(img);
    struct run_result r[NRUNNERS];
    if (run_three(a->d, a->path, r))
        return false;
    bool bad = divergent(r, 1) >= 0;
    free_three(r);
    return bad;
}

int difftest_shrink(struct rvg_prog *p, bool (*diverges)(void *ctx, const struct rvg_prog *),
                    void *ctx)
{
    int calls = 0;
    for (bool smaller = true; smaller; ) {
        smaller = false;
        for (int k = rvg_count(p) - 1; k >= 0; k--) {
            struct rvg_prog q;
            if (!rvg_without(p, k, &q))
                continue;
            calls++;
            if (diverges(ctx, &q)) {
                rvg_free(p);
                *p = q;
                smaller = true;
            } else {
                rvg_free(&q);
            }
        }
    }
    return calls;
}

/* One runner's record of a lone program, as registers; a '*' marks what
 * differs from the reference's record. */
static void print_record(FILE *f, const char *name, const struct run_result *r,
                         const struct run_result *ref)
{
    fprintf(f, "%s: exit status %d%s, %zu bytes of output\n", name, r->status,
            r->timed_out ? " (timed out)" : "", r->outlen);
    if (r->outlen < RVG_RECORD)
        return;
    uint32_t w[RVG_RECORD / 4], q[RVG_RECORD / 4];
    memcpy(w, r->out, RVG_RECORD);
    memcpy(q, ref->outlen >= RVG_RECORD ? ref->out : r->out, RVG_RECORD);
    for (int i = 1; i <= 30; i++)
        fprintf(f, " %cx%-2d 0x%08x%s", w[i] != q[i] ? '*' : ' ', i, w[i], i % 5 ? "" : "\n");
    fprintf(f, " %cbuffer hash 0x%08x\n", w[31] != q[31] ? '*' : ' ', w[31]);
}

/* Confirm, shrink and write up the divergent program k of the batch. */
static void report(struct difftest *d, uint64_t seed, const struct rvg_prog *bad, int k)
{
    struct alone a = { d, "" };
    char txt[512];
    snprintf(a.path, sizeof a.path, "%s/divergence-%llu-%d.elf", d->dir,
             (unsigned long long)seed, k);
    snprintf(txt, sizeof txt, "%s/divergence-%llu-%d.txt", d->dir, (unsigned long long)seed, k);
    struct rvg_prog p;
    rvg_copy(bad, &p);
    int before = rvg_count(&p), calls = 0;
    bool alone = diverges_alone(&a, &p);
    if (alone) {
        calls = difftest_shrink(&p, diverges_alone, &a);
        diverges_alone(&a, &p);                  /* leave the smallest one in the file */
    }
    FILE *f = fopen(txt, "w");
    if (f) {
        fprintf(f, "seed %llu, program %d: %s\n", (unsigned long long)seed, k,
                alone ? "differs when run alone too" : "differs only in its batch");
        fprintf(f, "shrunk from %d units to %d (%d trial runs); the program is %s\n\n",
                before, rvg_count(&p), calls, a.path);
        rvg_list(&p, f);
        struct run_result r[NRUNNERS];
        if (run_three(d, a.path, r) == 0) {
            fputc('\n', f);
            for (int i = 0; i < NRUNNERS; i++)
                print_record(f, runner_name[i], &r[i], &r[R_QEMU]);
            free_three(r);
        }
        fclose(f);
    }
    if (d->log)
        fprintf(d->log, "difftest: DIVERGENCE: seed %llu program %d (%s; %d units after "
                "shrinking): %s and %s\n", (unsigned long long)seed, k,
                alone ? "also alone" : "only in its batch", rvg_count(&p), a.path, txt);
    rvg_free(&p);
}

int difftest_batch(struct difftest *d, uint64_t seed, int nprogs)
{
    if (nprogs < 1 || nprogs > RVG_MAX_PROGS)
        return -1;
    uint64_t rng = seed * 0x9e3779b97f4a7c15ull + 1;
    struct rvg_prog *progs = calloc((size_t)nprogs, sizeof *progs);
    if (!progs)
        return -1;
    for (int i = 0; i < nprogs; i++)
        rvg_generate(&progs[i], &rng);
    size_t len;
    uint8_t *img = rvg_elf(progs, nprogs, &len);
    char path[512];
    snprintf(path, sizeof path, "%s/batch-%llu.elf", d->dir, (unsigned long long)seed);
    int rc = -1;
    struct run_result r[NRUNNERS];
    if (img && write_file(path, img, len) == 0 && run_three(d, path, r) == 0) {
        int k = divergent(r, nprogs);
        free_three(r);
        rc = 0;
        if (k >= 0) {
            rc = 1;
            d->divergences++;
            report(d, seed, &progs[k < nprogs ? k : nprogs - 1], k < nprogs ? k : nprogs - 1);
        } else {
            unlink(path);
        }
        d->programs += nprogs;
        d->files++;
    } else if (d->log) {
        fprintf(d->log, "difftest: seed %llu: could not make or run %s\n",
                (unsigned long long)seed, path);
    }
    free(img);
    for (int i = 0; i < nprogs; i++)
        rvg_free(&progs[i]);
    free(progs);
    return rc;
}
