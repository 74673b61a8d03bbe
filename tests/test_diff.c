/* tests/test_diff.c — random programs against qemu-riscv32 (tests/rvgen.h,
 * tests/difftest.h): the generator's promises, the comparison and
 * shrinking machinery, and a fixed-seed batch of programs that must give
 * the same records under vmlab (both engines) and qemu. */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu/insn.h"
#include "kernel/elf.h"
#include "tests/difftest.h"
#include "tests/run.h"
#include "tests/rvgen.h"
#include "tests/suites.h"

/* the fixed batch: files of programs, with seeds from 1 */
#define BATCH_FILES 4
#define BATCH_PROGS 1000

/* Every instruction of generated programs is one vmlab implements, and
 * none is a CSR access, ecall or ebreak outside the scaffolding; the file
 * loads. */
static void test_generator_valid(void)
{
    uint64_t rng = 42;
    enum { N = 300 };
    struct rvg_prog *p = calloc(N, sizeof *p);
    CU_ASSERT_FATAL(p != NULL);
    for (int i = 0; i < N; i++)
        rvg_generate(&p[i], &rng);
    size_t len;
    uint8_t *img = rvg_elf(p, N, &len);
    CU_ASSERT_FATAL(img != NULL);
    struct elf_image e;
    char err[256];
    CHECK(elf_load_mem(img, len, &e, err, sizeof err) == 0, "the batch file: %s", err);
    const struct elf_seg *text = &e.seg[0];
    unsigned ecalls = 0, illegal = 0, csr = 0, counted = 0;
    for (uint32_t at = 0x80; at < text->filesz; ) {
        struct dinsn d;
        unsigned n = insn_decode_bytes(img + at, text->filesz - at, &d);
        CU_ASSERT_FATAL(n != 0);
        illegal += d.op == OP_ILLEGAL;
        ecalls += d.op == OP_ecall || d.op == OP_ebreak;
        csr += d.op == OP_csrrs || d.op == OP_csrrc || d.op == OP_csrrw ||
               d.op == OP_csrrsi || d.op == OP_csrrci || d.op == OP_csrrwi;
        counted++;
        at += n;
    }
    CHECK(illegal == 0 && csr == 0, "%u illegal and %u CSR instructions in %u", illegal, csr,
          counted);
    CHECK(ecalls == 2, "%u ecall/ebreak: want the write and the exit", ecalls);
    elf_free(&e);
    free(img);
    for (int i = 0; i < N; i++)
        rvg_free(&p[i]);
    free(p);
}

static void test_first_difference(void)
{
    char a[3 * RVG_RECORD], b[3 * RVG_RECORD];
    memset(a, 1, sizeof a);
    memcpy(b, a, sizeof b);
    CU_ASSERT_EQUAL(difftest_first_difference(a, sizeof a, b, sizeof b), -1);
    b[RVG_RECORD + 5] ^= 1;
    CU_ASSERT_EQUAL(difftest_first_difference(a, sizeof a, b, sizeof b), 1);
    b[5] ^= 1;
    CU_ASSERT_EQUAL(difftest_first_difference(a, sizeof a, b, sizeof b), 0);
    memcpy(b, a, sizeof b);
    CU_ASSERT_EQUAL(difftest_first_difference(a, sizeof a, b, 2 * RVG_RECORD), 2);
    CU_ASSERT_EQUAL(difftest_first_difference(a, sizeof a, b, 2 * RVG_RECORD + 7), 2);
    CU_ASSERT_EQUAL(difftest_first_difference(a, 0, b, 0), -1);
}

/* "Diverges" when the program still holds an AMO: shrinking must end with
 * the AMO's unit alone (or inside its loop), and no unit can go. */
static bool has_amo(void *ctx, const struct rvg_prog *p)
{
    (*(int *)ctx)++;
    size_t len;
    uint8_t *img = rvg_elf(p, 1, &len);
    bool found = false;
    uint32_t filesz;
    memcpy(&filesz, img + 52 + 16, 4);
    for (uint32_t at = 0x80; at < filesz; ) {
        struct dinsn d;
        unsigned n = insn_decode_bytes(img + at, filesz - at, &d);
        found |= d.op == OP_amoadd_w || d.op == OP_amoswap_w || d.op == OP_amoxor_w ||
                 d.op == OP_amoand_w || d.op == OP_amoor_w || d.op == OP_amomin_w ||
                 d.op == OP_amomax_w || d.op == OP_amominu_w || d.op == OP_amomaxu_w;
        at += n ? n : 2;
    }
    free(img);
    return found;
}

static void test_shrink(void)
{
    uint64_t rng = 7;
    int tried = 0;
    for (int round = 0; round < 50 && tried < 5; round++) {
        struct rvg_prog p;
        rvg_generate(&p, &rng);
        int calls = 0;
        if (!has_amo(&calls, &p)) {
            rvg_free(&p);
            continue;
        }
        tried++;
        int before = rvg_count(&p);
        int n = difftest_shrink(&p, has_amo, &calls);
        int after = rvg_count(&p);
        CHECK(after >= 1 && after <= 2 && has_amo(&calls, &p),
              "shrunk from %d units to %d (%d trials)", before, after, n);
        CU_ASSERT(n >= before - 1);
        for (int k = 0; k < after; k++) {                 /* 1-minimal */
            struct rvg_prog q;
            CU_ASSERT_FATAL(rvg_without(&p, k, &q));
            CU_ASSERT_EQUAL(rvg_count(&q), after - 1 - (after == 2 && k == 0));
            CHECK(!has_amo(&calls, &q), "unit %d of %d could still go", k, after);
            rvg_free(&q);
        }
        struct rvg_prog q;
        CU_ASSERT_FALSE(rvg_without(&p, after, &q));
        CU_ASSERT_FALSE(rvg_without(&p, -1, &q));
        rvg_free(&p);
    }
    CU_ASSERT(tried == 5);
}

/* The fixed-seed batch: every record the same under vmlab, vmlab --interp
 * and qemu-riscv32. */
static void test_batch_against_qemu(void)
{
    if (!have_program("qemu-riscv32")) {
        CU_FAIL("qemu-riscv32 is not installed (make deps)");
        return;
    }
    char dir[64];
    snprintf(dir, sizeof dir, "/tmp/vmlab-diff.XXXXXX");
    CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
    struct difftest d = { .vmlab = test_path("vmlab"), .qemu = "qemu-riscv32", .dir = dir,
                          .log = stderr, .timeout = 120 };
    for (uint64_t seed = 1; seed <= BATCH_FILES; seed++)
        CHECK(difftest_batch(&d, seed, BATCH_PROGS) == 0, "seed %llu: a divergence "
              "(reproducer in %s)", (unsigned long long)seed, dir);
    CU_ASSERT_EQUAL(d.programs, BATCH_FILES * BATCH_PROGS);
    CU_ASSERT_EQUAL(d.divergences, 0);
    printf("\n  [%ld random programs in %ld files: %ld divergences] ", d.programs, d.files,
           d.divergences);
    if (d.divergences == 0) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CU_ASSERT(system(cmd) == 0);
    }
}

void diff_suite_add(void)
{
    CU_pSuite s = CU_add_suite("diff", NULL, NULL);
    if (!s)
        return;
    CU_add_test(s, "generator: only defined, implemented instructions", test_generator_valid);
    CU_add_test(s, "first differing record", test_first_difference);
    CU_add_test(s, "shrinking keeps the divergence, drops the rest", test_shrink);
    CU_add_test(s, "a fixed-seed batch against qemu-riscv32", test_batch_against_qemu);
}
