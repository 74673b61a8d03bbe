/* tests/fuzz/mkseeds.c — writes the synthetic seed inputs of the fuzz
 * corpora (tools/fuzz-seeds.sh adds those made from the samples):
 *
 *   mkseeds DIR     DIR/elf/tiny*, DIR/cpu/*, DIR/syscall/*, and
 *                   DIR/crasher (a tiny program that stores to NULL, whose
 *                   core becomes an inspect seed)
 *
 * The record formats are the harnesses' (fuzz_cpu.c, fuzz_syscall.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/rvelf.h"
#include "kernel/syscalls.def"
#include "tests/rvenc.h"

static void put(const char *dir, const char *name, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "mkseeds: cannot write %s\n", path);
        exit(1);
    }
}

static void le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* --- elf: a tiny program and broken variants ------------------------------ */

static void elf_seeds(const char *dir)
{
    static const uint32_t code[] = {
        LUI(A1, 0x100), ADDI(A0, ZERO, 1), ADDI(A2, ZERO, 4), ADDI(A7, ZERO, 64), ECALL,
        ADDI(A0, ZERO, 0), ADDI(A7, ZERO, 93), ECALL,
    };
    static const uint8_t data[] = "hi!\n";
    struct rvelf e = { .code = (const uint8_t *)code, .code_len = sizeof code,
                       .data_va = 0x00100000, .data = data, .data_len = 4, .bss_len = 8192 };
    size_t n;
    uint8_t *img = rvelf_image(&e, &n);
    if (!img)
        exit(1);
    put(dir, "tiny", img, n);
    uint8_t *v = malloc(n);
    memcpy(v, img, n);
    v[6] = 2;                                     /* EI_VERSION */
    put(dir, "tiny-version2", v, n);
    memcpy(v, img, n);
    v[44] = 0xff, v[45] = 0xff;                   /* e_phnum = PN_XNUM */
    put(dir, "tiny-pn-xnum", v, n);
    memcpy(v, img, n);
    le32(v + 52 + 32 + 4, 0xfffff000u);           /* second PT_LOAD's offset */
    put(dir, "tiny-offset-past-eof", v, n);
    memcpy(v, img, n);
    le32(v + 52 + 8, 0);                          /* first PT_LOAD at address 0 */
    put(dir, "tiny-vaddr0", v, n);
    put(dir, "tiny-truncated", img, 60);
    free(v);
    free(img);
}

/* The crasher: stores to address 4 (a NULL struct field), like null_deref. */
static void crasher(const char *dir)
{
    static const uint32_t code[] = { ADDI(A0, ZERO, 42), SW(A0, 4, ZERO), ECALL };
    struct rvelf e = { .code = (const uint8_t *)code, .code_len = sizeof code };
    char path[512];
    snprintf(path, sizeof path, "%s/crasher", dir);
    if (rvelf_write(path, &e) != 0)
        exit(1);
}

/* --- cpu: header (slices, register kinds and values), then code ---------- */

struct cpu_seed {
    const char *name;
    uint8_t slices[4];
    uint32_t code[24];
    unsigned n;
};

static void cpu_seeds(const char *dir)
{
    static const struct cpu_seed seeds[] = {
        { "alu-loop", { 3, 200, 17, 64 }, {
            ADDI(A0, ZERO, 100), ADDI(A1, A1, 3), MUL(A2, A1, A1), DIV(A3, A2, A0),
            REMU(A4, A2, A1), ADDI(A0, A0, -1), BNE(A0, ZERO, -20), ECALL }, 8 },
        { "loads-stores", { 1, 2, 130, 7 }, {
            LW(A0, 0, T0), SW(A0, 3, T0), LH(A1, 4093, T0), SB(A1, -1, T1), LBU(A2, 0, T2),
            SH(A2, 2046, T0), LW(A3, 4094, T0), ECALL }, 8 },
        { "atomics", { 5, 5, 5, 5 }, {
            LR_W(A0, T0), SC_W(A1, A0, T0), AMOADD_W(A2, A1, T0), AMOSWAP_W(A3, A2, T0),
            AMOMAXU_W(A4, A3, T0), LR_W(A0, T1), SC_W(A1, A0, T0), ECALL }, 8 },
        { "self-modifying", { 2, 1, 40, 255 }, {
            AUIPC(A0, 1), LW(A1, 0, T0), SW(A1, 16, A0), FENCE_I, JAL(ZERO, 4096 - 16),
            ECALL }, 6 },
        { "csr-ebreak", { 9, 9, 9, 9 }, {
            CSRRS(A0, CSR_INSTRET, ZERO), CSRRS(A1, CSR_TIME, ZERO), CSRRW(A2, CSR_CYCLE, A1),
            EBREAK, ECALL }, 5 },
    };
    for (size_t k = 0; k < sizeof seeds / sizeof *seeds; k++) {
        const struct cpu_seed *s = &seeds[k];
        uint8_t buf[4 + 32 + 128 + sizeof s->code];
        memcpy(buf, s->slices, 4);
        for (int r = 0; r < 32; r++) {
            buf[4 + r] = r >= 5 && r <= 7 ? (uint8_t)(2 | (2 + r - 5) << 2) : 0; /* t0-t2: data */
            le32(buf + 36 + 4 * r, (uint32_t)(r * 0x01010101u + 0x400));
        }
        memcpy(buf + 164, s->code, 4 * s->n);
        /* and one compressed stretch: c.li, c.addi, c.mv, c.add, c.lw, c.sw, c.j */
        static const uint16_t rvc[] = { 0x4515, 0x0505, 0x85aa, 0x95aa, 0x4188, 0xc188, 0xbfe5 };
        put(dir, s->name, buf, 164 + 4 * s->n);
        if (k == 0) {
            uint8_t c[164 + sizeof rvc];
            memcpy(c, buf, 164);
            memcpy(c + 164, rvc, sizeof rvc);
            put(dir, "compressed", c, sizeof c);
        }
    }
}

/* --- syscall: records of calls and pokes ----------------------------------- */

struct sbuf {
    uint8_t b[2048];
    size_t  n;
};

static void s8(struct sbuf *s, uint8_t v) { s->b[s->n++] = v; }
static void s32(struct sbuf *s, uint32_t v)
{
    le32(s->b + s->n, v);
    s->n += 4;
}

/* The selector of system call nr: its index in kernel/syscalls.def's
 * order, which is fuzz_syscall.c's number table. */
static uint8_t sel(uint32_t nr)
{
    static const uint32_t numbers[] = {
#define X(name, nr_, nargs, kinds) nr_,
        SYSCALL_LIST(X)
#undef X
    };
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
        if (numbers[i] == nr)
            return (uint8_t)i;
    fprintf(stderr, "mkseeds: no system call %u\n", nr);
    exit(1);
}

/* A poke of bytes at a bss offset. */
static void poke(struct sbuf *s, uint32_t off, const void *p, size_t n)
{
    s8(s, (uint8_t)(200 + n));
    s32(s, off);
    memcpy(s->b + s->n, p, n);
    s->n += n;
}

/* Argument kinds of fuzz_syscall.c: 0 small int, 1 bss offset, 3 edge, 7 raw. */
#define SMALL(v) 0, (uint32_t)(v)
#define BSS(off) 1, (uint32_t)(off)
#define RAW(v)   7, (uint32_t)(v)

/* A call of system call nr with six arguments and sp. */
static void call(struct sbuf *s, uint32_t nr, const uint32_t a[14])
{
    s8(s, 0);
    s8(s, sel(nr));
    for (int i = 0; i < 7; i++) {
        s8(s, (uint8_t)a[2 * i]);
        s32(s, a[2 * i + 1]);
    }
}

enum { S_OPENAT = 56, S_CLOSE = 57, S_LLSEEK = 62, S_READ = 63, S_WRITE = 64, S_WRITEV = 66,
       S_EXIT_GROUP = 94, S_SET_TID = 96, S_KILL = 129, S_TGKILL = 131, S_SIGALTSTACK = 132,
       S_SIGACTION = 134, S_SIGRETURN = 139, S_UNAME = 160, S_BRK = 214, S_MUNMAP = 215,
       S_MMAP2 = 222, S_MPROTECT = 226, S_GETRANDOM = 278, S_CLOCK = 403 };

#define SP RAW(0x40800000u)

static void syscall_seeds(const char *dir)
{
    struct sbuf s = { .n = 0 };
    poke(&s, 0, "hello, fuzz\n", 12);
    call(&s, S_WRITE, (uint32_t[]){ SMALL(1), BSS(0), SMALL(12), SMALL(0), SMALL(0), SMALL(0), SP });
    static const uint32_t iov[4] = { 0x00100000, 6, 0x00100006, 6 };
    poke(&s, 64, iov, sizeof iov);
    call(&s, S_WRITEV, (uint32_t[]){ SMALL(1), BSS(64), SMALL(2), SMALL(0), SMALL(0), SMALL(0), SP });
    put(dir, "write-writev", s.b, s.n);

    s.n = 0;
    call(&s, S_BRK, (uint32_t[]){ SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_BRK, (uint32_t[]){ RAW(0x00200000), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_MMAP2, (uint32_t[]){ SMALL(0), RAW(8192), SMALL(3), RAW(0x22), SMALL(-1), SMALL(0), SP });
    call(&s, S_MPROTECT, (uint32_t[]){ 5, 0, RAW(4096), SMALL(1), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_MUNMAP, (uint32_t[]){ 5, 0, RAW(4096), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    put(dir, "memory", s.b, s.n);

    s.n = 0;
    static const uint32_t act[5] = { 0x00010080, 0x4, 0, 0, 0 };    /* handler, SA_SIGINFO */
    poke(&s, 128, act, sizeof act);
    call(&s, S_SIGACTION, (uint32_t[]){ SMALL(10), BSS(128), BSS(160), SMALL(8), SMALL(0), SMALL(0), SP });
    call(&s, S_KILL, (uint32_t[]){ RAW(0), SMALL(10), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_SIGRETURN, (uint32_t[]){ SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), RAW(0x407fffc0u) });
    static const uint32_t ss[3] = { 0x00104000, 0, 8192 };
    poke(&s, 192, ss, sizeof ss);
    call(&s, S_SIGALTSTACK, (uint32_t[]){ BSS(192), BSS(208), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_TGKILL, (uint32_t[]){ RAW(0), RAW(0), SMALL(11), SMALL(0), SMALL(0), SMALL(0), SP });
    put(dir, "signals", s.b, s.n);

    s.n = 0;
    poke(&s, 256, "f\0", 2);
    call(&s, S_OPENAT, (uint32_t[]){ SMALL(-100), BSS(256), RAW(0x42), RAW(0600), SMALL(0), SMALL(0), SP });
    call(&s, S_WRITE, (uint32_t[]){ SMALL(3), BSS(0), RAW(5000), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_LLSEEK, (uint32_t[]){ SMALL(3), SMALL(0), SMALL(0), BSS(300), SMALL(0), SMALL(0), SP });
    call(&s, S_MMAP2, (uint32_t[]){ SMALL(0), RAW(8192), SMALL(1), RAW(0x02), SMALL(3), SMALL(0), SP });
    call(&s, S_READ, (uint32_t[]){ SMALL(3), BSS(512), RAW(4096), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_CLOSE, (uint32_t[]){ SMALL(3), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    put(dir, "files", s.b, s.n);

    s.n = 0;
    call(&s, S_UNAME, (uint32_t[]){ BSS(1024), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_GETRANDOM, (uint32_t[]){ BSS(2048), RAW(64), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_CLOCK, (uint32_t[]){ SMALL(1), BSS(4000), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_SET_TID, (uint32_t[]){ BSS(8), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    call(&s, S_EXIT_GROUP, (uint32_t[]){ SMALL(3), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SMALL(0), SP });
    put(dir, "misc", s.b, s.n);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkseeds DIR\n");
        return 2;
    }
    char sub[512];
    snprintf(sub, sizeof sub, "%s/elf", argv[1]);
    elf_seeds(sub);
    snprintf(sub, sizeof sub, "%s/cpu", argv[1]);
    cpu_seeds(sub);
    snprintf(sub, sizeof sub, "%s/syscall", argv[1]);
    syscall_seeds(sub);
    crasher(argv[1]);
    return 0;
}
