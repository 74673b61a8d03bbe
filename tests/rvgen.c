/* tests/rvgen.c — see rvgen.h.
 *
 * Compressed encodings follow the RVC chapter of the unprivileged spec
 * (quadrants 0-2, "RVC instruction set listings"); 32-bit ones come from
 * tests/rvenc.h.  Layout is two passes: every unit's size is known from its
 * kind, so addresses are fixed first and branch offsets filled in after. */
#include "tests/rvgen.h"

#include <stdlib.h>
#include <string.h>

#include "emu/insn.h"
#include "tests/rvelf.h"
#include "tests/rvenc.h"

#define DATA_VA    0x00100000u           /* the register tables */
#define RECORD_VA  0x00141000u
#define DATA_END   0x00142000u
#define REC        31                    /* x31: the record pointer */
#define LOOPREG    30                    /* a loop's counter */
#define MAX_PARTS  8

enum kind {
    K_PLAIN,                 /* straight-line instructions */
    K_BRANCH,                /* last part is a B-type branch to the target */
    K_CBRANCH,               /* last part is c.beqz/c.bnez */
    K_JAL,                   /* last part is jal */
    K_CJ,                    /* last part is c.j or c.jal */
    K_JALR,                  /* auipc rX,0; jalr rd, off(rX) (+1: bit 0 is cleared) */
    K_CJR,                   /* auipc rX,0; addi rX,rX,off; c.jr/c.jalr rX */
    K_LOOP,                  /* li x30,n; body; addi x30,x30,-1; bne x30,x0,body */
};

struct rvg_unit {
    enum kind kind;
    int       n;                         /* parts */
    uint32_t  w[MAX_PARTS];
    uint8_t   len[MAX_PARTS];            /* 2 or 4 */
    uint8_t   skip;                      /* branches: units skipped */
    uint8_t   odd;                       /* K_JALR: offset + 1 */
    uint8_t   iters;                     /* K_LOOP */
    struct rvg_unit *body;
    int       nbody;
};

/* --- random numbers --------------------------------------------------------- */

static uint64_t next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}
static uint32_t below(uint64_t *s, uint32_t n) { return (uint32_t)(next(s) >> 32) % n; }

/* --- compressed encoders (RVC listings) -------------------------------------- */

#define B(v, hi, lo) ((((uint32_t)(v)) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
static uint16_t c_ci(unsigned f3, int32_t imm, unsigned rd, unsigned op)    /* c.addi, c.li, c.slli */
{
    return (uint16_t)(f3 << 13 | B(imm, 5, 5) << 12 | rd << 7 | B(imm, 4, 0) << 2 | op);
}
static uint16_t c_lui(unsigned rd, int32_t nzimm17_12)
{
    return (uint16_t)(3u << 13 | B(nzimm17_12, 5, 5) << 12 | rd << 7 | B(nzimm17_12, 4, 0) << 2 | 1);
}
static uint16_t c_addi16sp(int32_t imm)
{
    return (uint16_t)(3u << 13 | B(imm, 9, 9) << 12 | 2u << 7 | B(imm, 4, 4) << 6 |
                      B(imm, 6, 6) << 5 | B(imm, 8, 7) << 3 | B(imm, 5, 5) << 2 | 1);
}
static uint16_t c_addi4spn(unsigned rdp, uint32_t uimm)
{
    return (uint16_t)(B(uimm, 5, 4) << 11 | B(uimm, 9, 6) << 7 | B(uimm, 2, 2) << 6 |
                      B(uimm, 3, 3) << 5 | rdp << 2);
}
static uint16_t c_lw_sw(bool store, unsigned rs1p, unsigned rp, uint32_t uimm)
{
    return (uint16_t)((store ? 6u : 2u) << 13 | B(uimm, 5, 3) << 10 | rs1p << 7 |
                      B(uimm, 2, 2) << 6 | B(uimm, 6, 6) << 5 | rp << 2);
}
static uint16_t c_lwsp(unsigned rd, uint32_t uimm)
{
    return (uint16_t)(2u << 13 | B(uimm, 5, 5) << 12 | rd << 7 | B(uimm, 4, 2) << 4 |
                      B(uimm, 7, 6) << 2 | 2);
}
static uint16_t c_swsp(unsigned rs2, uint32_t uimm)
{
    return (uint16_t)(6u << 13 | B(uimm, 5, 2) << 9 | B(uimm, 7, 6) << 7 | rs2 << 2 | 2);
}
/* c.srli 0, c.srai 1, c.andi 2 */
static uint16_t c_shift_andi(unsigned f2, unsigned rdp, int32_t imm)
{
    return (uint16_t)(4u << 13 | B(imm, 5, 5) << 12 | f2 << 10 | rdp << 7 | B(imm, 4, 0) << 2 | 1);
}
/* c.sub 0, c.xor 1, c.or 2, c.and 3 */
static uint16_t c_arith(unsigned f2, unsigned rdp, unsigned rs2p)
{
    return (uint16_t)(4u << 13 | 3u << 10 | rdp << 7 | f2 << 5 | rs2p << 2 | 1);
}
/* c.mv (bit12 0) / c.add (1); c.jr / c.jalr are rs2 = 0 */
static uint16_t c_cr(unsigned bit12, unsigned rd, unsigned rs2)
{
    return (uint16_t)(4u << 13 | bit12 << 12 | rd << 7 | rs2 << 2 | 2);
}
static uint16_t c_j(bool link, int32_t off)
{
    return (uint16_t)((link ? 1u : 5u) << 13 | B(off, 11, 11) << 12 | B(off, 4, 4) << 11 |
                      B(off, 9, 8) << 9 | B(off, 10, 10) << 8 | B(off, 6, 6) << 7 |
                      B(off, 7, 7) << 6 | B(off, 3, 1) << 3 | B(off, 5, 5) << 2 | 1);
}
static uint16_t c_bz(bool ne, unsigned rs1p, int32_t off)
{
    return (uint16_t)((ne ? 7u : 6u) << 13 | B(off, 8, 8) << 12 | B(off, 4, 3) << 10 |
                      rs1p << 7 | B(off, 7, 6) << 5 | B(off, 2, 1) << 3 | B(off, 5, 5) << 2 | 1);
}

/* --- building units ------------------------------------------------------------ */

static void part(struct rvg_unit *u, uint32_t w, unsigned len)
{
    if (u->n == MAX_PARTS)
        abort();                          /* a unit kind wants more: a bug here */
    u->w[u->n] = w;
    u->len[u->n++] = (uint8_t)len;
}
static void p32(struct rvg_unit *u, uint32_t w) { part(u, w, 4); }
static void p16(struct rvg_unit *u, uint16_t h) { part(u, h, 2); }

/* li rd, v as lui + addi (always two parts, so sizes never depend on v). */
static void li(struct rvg_unit *u, unsigned rd, uint32_t v)
{
    p32(u, LUI(rd, (v + 0x800) >> 12));
    p32(u, ADDI(rd, rd, (int32_t)(v << 20) >> 20));
}

struct gen {
    uint64_t *rng;
    bool      in_loop;                    /* x30 is the counter: never written */
};

static unsigned rd_any(struct gen *g)           /* x1..x30 (x1..x29 in a loop) */
{
    return 1 + below(g->rng, g->in_loop ? 29 : 30);
}
static unsigned rs_any(struct gen *g) { return below(g->rng, 32); }
static unsigned rd_prime(struct gen *g)         /* x8..x15 */
{
    return 8 + below(g->rng, 8);
}
static int32_t simm(struct gen *g, int bits)
{
    return (int32_t)below(g->rng, 1u << bits) - (1 << (bits - 1));
}

/* An address in the buffer for an access of `width` bytes, often right at
 * the page boundary in its middle. */
static uint32_t buf_addr(struct gen *g, uint32_t width, uint32_t align)
{
    uint32_t off;
    if (below(g->rng, 3) == 0)
        off = RVG_BUF_LEN / 2 - 8 + below(g->rng, 16);
    else
        off = below(g->rng, RVG_BUF_LEN - width + 1);
    off &= ~(align - 1);
    if (off > RVG_BUF_LEN - width)
        off = RVG_BUF_LEN - width;
    return RVG_BUF_VA + off;
}

static void gen_alu(struct gen *g, struct rvg_unit *u)
{
    static const uint8_t rf[][2] = {          /* funct7, funct3 of OP */
        {0x00, 0}, {0x20, 0}, {0x00, 1}, {0x00, 2}, {0x00, 3}, {0x00, 4}, {0x00, 5},
        {0x20, 5}, {0x00, 6}, {0x00, 7},
    };
    static const uint8_t mf[] = { 0, 1, 2, 3, 4, 5, 6, 7 };       /* M: funct3 */
    static const uint8_t if3[] = { 0, 2, 3, 4, 6, 7 };            /* OP-IMM without shifts */
    unsigned rd = rd_any(g), rs1 = rs_any(g), rs2 = rs_any(g);
    switch (below(g->rng, 6)) {
    case 0: {
        const uint8_t *f = rf[below(g->rng, 10)];
        p32(u, ENC_R(f[0], rs2, rs1, f[1], rd, 0x33));
        break;
    }
    case 1:
        p32(u, ENC_R(0x01, rs2, rs1, mf[below(g->rng, 8)], rd, 0x33));
        break;
    case 2:
        p32(u, ENC_I(simm(g, 12), rs1, if3[below(g->rng, 6)], rd, 0x13));
        break;
    case 3: {
        unsigned sh = below(g->rng, 32), k = below(g->rng, 3);
        p32(u, k == 0 ? SLLI(rd, rs1, sh) : k == 1 ? SRLI(rd, rs1, sh) : SRAI(rd, rs1, sh));
        break;
    }
    case 4:
        p32(u, below(g->rng, 2) ? LUI(rd, next(g->rng)) : AUIPC(rd, next(g->rng)));
        break;
    default:
        p32(u, below(g->rng, 4) ? FENCE : FENCE_I);
        break;
    }
}

/* Compressed ALU, never a HINT or reserved encoding. */
static void gen_calu(struct gen *g, struct rvg_unit *u)
{
    unsigned rd = rd_any(g), rs2 = 1 + below(g->rng, 31), rdp = rd_prime(g);
    int32_t imm = simm(g, 6);
    if (imm == 0)
        imm = 1;
    switch (below(g->rng, 10)) {
    case 0: p16(u, c_ci(0, imm, rd, 1)); break;                          /* c.addi */
    case 1: p16(u, c_ci(2, simm(g, 6), rd, 1)); break;                   /* c.li */
    case 2:                                                              /* c.lui */
        p16(u, c_lui(rd == 2 ? 3 : rd, imm));
        break;
    case 3: p16(u, c_ci(0, 1 + (int32_t)below(g->rng, 31), rd, 2)); break;  /* c.slli */
    case 4: p16(u, c_shift_andi(below(g->rng, 2), rdp - 8, 1 + (int32_t)below(g->rng, 31))); break;
    case 5: p16(u, c_shift_andi(2, rdp - 8, simm(g, 6))); break;        /* c.andi */
    case 6: p16(u, c_arith(below(g->rng, 4), rdp - 8, rd_prime(g) - 8)); break;
    case 7: p16(u, c_cr(below(g->rng, 2), rd, rs2)); break;              /* c.mv, c.add */
    case 8:                                                              /* c.addi16sp */
        p16(u, c_addi16sp(imm * 16));
        break;
    default:                                                             /* c.addi4spn */
        p16(u, c_addi4spn(rdp - 8, 4 * (1 + below(g->rng, 255))));
        break;
    }
}

static void gen_mem(struct gen *g, struct rvg_unit *u)
{
    unsigned kind = below(g->rng, 6);
    if (kind <= 2) {                                  /* lb lh lw lbu lhu / sb sh sw */
        bool store = kind == 2 || below(g->rng, 2);
        static const uint8_t lf3[] = { 0, 1, 2, 4, 5 }, lw_[] = { 1, 2, 4, 1, 2 };
        unsigned f = store ? below(g->rng, 3) : below(g->rng, 5);
        uint32_t width = store ? 1u << f : lw_[f];
        uint32_t a = buf_addr(g, width, 1);
        int32_t imm = simm(g, 12);
        unsigned rb = rd_any(g);
        li(u, rb, a - (uint32_t)imm);
        if (store)
            p32(u, ENC_S(imm, rs_any(g), rb, f));
        else
            p32(u, ENC_I(imm, rb, lf3[f], rd_any(g), 0x03));
    } else if (kind == 3) {                           /* c.lw / c.sw */
        unsigned rb = rd_prime(g);
        uint32_t off = 4 * below(g->rng, 32), a = buf_addr(g, 4, 1);
        li(u, rb, a - off);
        p16(u, c_lw_sw(below(g->rng, 2), rb - 8, rd_prime(g) - 8, off));
    } else if (kind == 4) {                           /* c.lwsp / c.swsp */
        uint32_t off = 4 * below(g->rng, 64), a = buf_addr(g, 4, 1);
        li(u, 2, a - off);
        if (below(g->rng, 2))
            p16(u, c_swsp(rs_any(g), off));
        else
            p16(u, c_lwsp(rd_any(g), off));
    } else {                                          /* AMOs: aligned words only */
        static const uint8_t f5[] = { 0x00, 0x01, 0x04, 0x08, 0x0c, 0x10, 0x14, 0x18, 0x1c };
        unsigned rb = rd_any(g);
        li(u, rb, buf_addr(g, 4, 4));
        p32(u, ENC_AMO(f5[below(g->rng, 9)], rd_any(g), rs_any(g), rb) | below(g->rng, 4) << 25);
    }
}

/* lr.w; a few ALU instructions; sc.w to the same word or another.  Nothing
 * between them touches memory, so both qemu (which checks the value) and
 * vmlab (which checks the address) let the same-address sc.w succeed. */
static void gen_lrsc(struct gen *g, struct rvg_unit *u)
{
    unsigned ra = rd_any(g), rb = rd_any(g);
    uint32_t a = buf_addr(g, 4, 4);
    uint32_t b = below(g->rng, 3) ? a : buf_addr(g, 4, 4);
    li(u, ra, a);
    li(u, rb, b);
    unsigned rd = rd_any(g);
    while (rd == rb)
        rd = rd_any(g);
    p32(u, LR_W(rd, ra) | below(g->rng, 4) << 25);
    for (unsigned i = below(g->rng, 2); i > 0; i--) {
        unsigned r = rd_any(g);
        while (r == rb)
            r = rd_any(g);
        p32(u, ADDI(r, rs_any(g), simm(g, 12)));
    }
    p32(u, SC_W(rd_any(g), rs_any(g), rb) | below(g->rng, 4) << 25);
}

static void gen_jump(struct gen *g, struct rvg_unit *u)
{
    static const uint8_t bf3[] = { 0, 1, 4, 5, 6, 7 };
    u->skip = (uint8_t)below(g->rng, 4);
    switch (below(g->rng, 7)) {
    case 0: case 1:
        u->kind = K_BRANCH;
        p32(u, ENC_B(0, rs_any(g), rs_any(g), bf3[below(g->rng, 6)]));
        break;
    case 2:
        u->kind = K_CBRANCH;
        p16(u, c_bz(below(g->rng, 2), rd_prime(g) - 8, 0));
        break;
    case 3:
        u->kind = K_JAL;
        p32(u, JAL(below(g->rng, 4) ? rd_any(g) : 0, 0));
        break;
    case 4:
        u->kind = K_CJ;
        p16(u, c_j(below(g->rng, 2), 0));
        break;
    case 5: {
        u->kind = K_JALR;
        unsigned rx = rd_any(g);
        u->odd = (uint8_t)below(g->rng, 2);
        p32(u, AUIPC(rx, 0));
        p32(u, JALR(below(g->rng, 4) ? rd_any(g) : 0, 0, rx));
        break;
    }
    default: {
        u->kind = K_CJR;
        unsigned rx = rd_any(g);
        p32(u, AUIPC(rx, 0));
        p32(u, ADDI(rx, rx, 0));
        p16(u, c_cr(below(g->rng, 2), rx, 0));                  /* c.jr / c.jalr */
        break;
    }
    }
}

static void gen_unit(struct gen *g, struct rvg_unit *u, bool allow_loop);

static void gen_loop(struct gen *g, struct rvg_unit *u)
{
    u->kind = K_LOOP;
    u->iters = (uint8_t)(1 + below(g->rng, 8));
    u->nbody = 1 + (int)below(g->rng, 6);
    u->body = calloc((size_t)u->nbody, sizeof *u->body);
    if (!u->body)
        abort();
    g->in_loop = true;
    for (int i = 0; i < u->nbody; i++)
        gen_unit(g, &u->body[i], false);
    g->in_loop = false;
}

static void gen_unit(struct gen *g, struct rvg_unit *u, bool allow_loop)
{
    memset(u, 0, sizeof *u);
    u->kind = K_PLAIN;
    unsigned k = below(g->rng, 100);
    if (k < 30)
        gen_alu(g, u);
    else if (k < 45)
        gen_calu(g, u);
    else if (k < 70)
        gen_mem(g, u);
    else if (k < 76)
        gen_lrsc(g, u);
    else if (k < 92 || !allow_loop)
        gen_jump(g, u);
    else
        gen_loop(g, u);
}

void rvg_generate(struct rvg_prog *p, uint64_t *rng)
{
    static const uint32_t special[] = { 0, 1, 2, 0xffffffffu, 0x7fffffffu, 0x80000000u,
                                        0x80000001u, 0xffffu, 0x10000u, 0xfffff800u };
    memset(p, 0, sizeof *p);
    for (int r = 0; r < 30; r++) {
        unsigned k = below(rng, 20);
        p->init[r] = k < 6 ? (uint32_t)((int32_t)below(rng, 33) - 16)
                   : k < 9 ? special[below(rng, 10)]
                   : k < 12 ? RVG_BUF_VA + below(rng, RVG_BUF_LEN)
                   : (uint32_t)next(rng);
    }
    do
        p->seed = (uint32_t)next(rng);
    while (!p->seed);
    struct gen g = { rng, false };
    p->nunits = 10 + (int)below(rng, 50);
    p->units = calloc((size_t)p->nunits, sizeof *p->units);
    if (!p->units)
        abort();
    for (int i = 0; i < p->nunits; i++)
        gen_unit(&g, &p->units[i], true);
}

void rvg_free(struct rvg_prog *p)
{
    for (int i = 0; i < p->nunits; i++)
        free(p->units[i].body);
    free(p->units);
    memset(p, 0, sizeof *p);
}

/* --- shrinking ------------------------------------------------------------------ */

int rvg_count(const struct rvg_prog *p)
{
    int n = 0;
    for (int i = 0; i < p->nunits; i++)
        n += 1 + p->units[i].nbody;
    return n;
}

static void copy_units(struct rvg_unit *dst, const struct rvg_unit *src, int n)
{
    for (int i = 0; i < n; i++) {
        dst[i] = src[i];
        dst[i].body = NULL;                       /* an emptied loop may keep its array */
        if (src[i].nbody) {
            dst[i].body = malloc((size_t)src[i].nbody * sizeof *src[i].body);
            if (!dst[i].body)
                abort();
            memcpy(dst[i].body, src[i].body, (size_t)src[i].nbody * sizeof *src[i].body);
        }
    }
}

void rvg_copy(const struct rvg_prog *p, struct rvg_prog *out)
{
    *out = *p;
    out->units = calloc((size_t)p->nunits + 1, sizeof *out->units);
    if (!out->units)
        abort();
    copy_units(out->units, p->units, p->nunits);
}

bool rvg_without(const struct rvg_prog *p, int k, struct rvg_prog *out)
{
    if (k < 0 || k >= rvg_count(p))
        return false;
    rvg_copy(p, out);
    for (int i = 0; i < out->nunits; i++) {
        struct rvg_unit *u = &out->units[i];
        if (k == 0) {                                 /* the unit itself (with its body) */
            free(u->body);
            memmove(u, u + 1, (size_t)(out->nunits - i - 1) * sizeof *u);
            out->nunits--;
            return true;
        }
        k--;
        if (k < u->nbody) {                           /* one unit of a loop's body */
            memmove(&u->body[k], &u->body[k + 1], (size_t)(u->nbody - k - 1) * sizeof *u->body);
            u->nbody--;
            return true;
        }
        k -= u->nbody;
    }
    return false;
}

/* --- layout and encoding ---------------------------------------------------------- */

struct out {
    uint8_t *b;
    size_t   n, cap;
    uint32_t base;                       /* guest address of b[0] */
};

static void emit(struct out *o, uint32_t w, unsigned len)
{
    if (o->n + len > o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 65536;
        uint8_t *nb = realloc(o->b, cap);
        if (!nb)
            abort();
        o->b = nb;
        o->cap = cap;
    }
    memcpy(o->b + o->n, &w, len);
    o->n += len;
}
static void e32(struct out *o, uint32_t w) { emit(o, w, 4); }
static uint32_t here(const struct out *o) { return o->base + (uint32_t)o->n; }
static void eli(struct out *o, unsigned rd, uint32_t v)
{
    e32(o, LUI(rd, (v + 0x800) >> 12));
    e32(o, ADDI(rd, rd, (int32_t)(v << 20) >> 20));
}

static uint32_t unit_size(const struct rvg_unit *u)
{
    uint32_t s = 0;
    for (int i = 0; i < u->n; i++)
        s += u->len[i];
    if (u->kind == K_LOOP) {
        s = 4 + 4 + 4;                           /* li x30 (addi), addi, bne */
        for (int i = 0; i < u->nbody; i++)
            s += unit_size(&u->body[i]);
    }
    return s;
}

/* Does a forward offset fit the branch kind? */
static bool fits(enum kind k, int32_t off)
{
    switch (k) {
    case K_CBRANCH: return off < 256;
    case K_CJ:      return off < 2048;
    case K_BRANCH:  return off < 4096;
    default:        return off < 2048;            /* jal's is larger; jalr/addi's 12 bits */
    }
}

static void emit_block(struct out *o, const struct rvg_unit *u, int n);

/* Emit unit i of a block whose units start at addr[] (addr[n] = its end). */
static void emit_unit(struct out *o, const struct rvg_unit *units, int i, int n,
                      const uint32_t *addr)
{
    const struct rvg_unit *u = &units[i];
    if (u->kind == K_LOOP) {
        e32(o, ADDI(LOOPREG, ZERO, u->iters));
        uint32_t top = here(o);
        emit_block(o, u->body, u->nbody);
        e32(o, ADDI(LOOPREG, LOOPREG, -1));
        e32(o, BNE(LOOPREG, ZERO, (int32_t)(top - here(o))));
        return;
    }
    int skip = u->skip;
    uint32_t at = addr[i];
    int32_t off = 0;
    if (u->kind != K_PLAIN) {
        do {
            int t = i + 1 + skip < n ? i + 1 + skip : n;
            /* offsets count from the branch itself, or from the auipc */
            uint32_t from = at;
            if (u->kind != K_JALR && u->kind != K_CJR)
                for (int k = 0; k < u->n - 1; k++)
                    from += u->len[k];
            off = (int32_t)(addr[t] - from);
        } while (!fits(u->kind, off + 1) && skip-- > 0);
    }
    for (int k = 0; k < u->n; k++) {
        uint32_t w = u->w[k];
        bool last = k == u->n - 1;
        switch (u->kind) {
        case K_BRANCH:
            if (last)
                w |= ENC_B(off, 0, 0, 0) & ~0x7fu;
            break;
        case K_CBRANCH:
            if (last)
                w |= c_bz(false, 0, off) & 0x1c7cu;      /* the offset bits only */
            break;
        case K_JAL:
            if (last)
                w |= JAL(0, off) & ~0xfffu;
            break;
        case K_CJ:
            if (last)
                w |= c_j(false, off) & 0x1ffcu;
            break;
        case K_JALR:
            if (k == 1)
                w |= (uint32_t)(off + u->odd) << 20;
            break;
        case K_CJR:
            if (k == 1)
                w |= (uint32_t)off << 20;
            break;
        default:
            break;
        }
        emit(o, w, u->len[k]);
    }
}

static void emit_block(struct out *o, const struct rvg_unit *u, int n)
{
    uint32_t *addr = malloc(((size_t)n + 1) * sizeof *addr);
    if (!addr)
        abort();
    addr[0] = here(o);
    for (int i = 0; i < n; i++)
        addr[i + 1] = addr[i] + unit_size(&u[i]);
    for (int i = 0; i < n; i++)
        emit_unit(o, u, i, n, addr);
    free(addr);
}

/* Set up program i: its index in the record, the buffer, then x1..x30. */
static void emit_prologue(struct out *o, const struct rvg_prog *p, int i)
{
    eli(o, 1, (uint32_t)i);
    e32(o, SW(1, 0, REC));
    eli(o, 1, RVG_BUF_VA);
    eli(o, 3, p->seed);
    e32(o, ADDI(2, ZERO, RVG_BUF_LEN / 4));
    uint32_t top = here(o);
    e32(o, SW(3, 0, 1));                           /* xorshift32: 13, 17, 5 */
    e32(o, SLLI(4, 3, 13));
    e32(o, XOR(3, 3, 4));
    e32(o, SRLI(4, 3, 17));
    e32(o, XOR(3, 3, 4));
    e32(o, SLLI(4, 3, 5));
    e32(o, XOR(3, 3, 4));
    e32(o, ADDI(1, 1, 4));
    e32(o, ADDI(2, 2, -1));
    e32(o, BNE(2, ZERO, (int32_t)(top - here(o))));
    eli(o, 30, DATA_VA + (uint32_t)i * 120);
    for (int r = 1; r <= 30; r++)
        e32(o, LW(r, (r - 1) * 4, 30));
}

/* The shared end of every program (called with x1 saved, x1 = return):
 * x2..x30 into the record, the buffer's hash, write(1, record, 128). */
static void emit_epilogue(struct out *o)
{
    for (int r = 2; r <= 30; r++)
        e32(o, SW(r, r * 4, REC));
    eli(o, 2, RVG_BUF_VA);
    e32(o, ADDI(3, ZERO, RVG_BUF_LEN / 4));
    eli(o, 4, 2166136261u);
    eli(o, 6, 16777619u);
    uint32_t top = here(o);
    e32(o, LW(5, 0, 2));
    e32(o, XOR(4, 4, 5));
    e32(o, MUL(4, 4, 6));
    e32(o, ADDI(2, 2, 4));
    e32(o, ADDI(3, 3, -1));
    e32(o, BNE(3, ZERO, (int32_t)(top - here(o))));
    e32(o, SW(4, 124, REC));
    e32(o, ADDI(A0, ZERO, 1));
    e32(o, ADDI(A1, REC, 0));
    e32(o, ADDI(A2, ZERO, RVG_RECORD));
    e32(o, ADDI(A7, ZERO, 64));
    e32(o, ECALL);
    e32(o, JALR(ZERO, 0, 1));
}

uint8_t *rvg_elf(const struct rvg_prog *progs, int n, size_t *len)
{
    if (n < 1 || n > RVG_MAX_PROGS)
        return NULL;
    struct out o = { .base = RVELF_CODE_VA };
    eli(&o, REC, RECORD_VA);
    uint32_t jump_over = here(&o);
    e32(&o, 0);                                    /* j main, patched below */
    uint32_t common = here(&o);
    emit_epilogue(&o);
    uint32_t main_at = here(&o);
    uint32_t j = JAL(ZERO, (int32_t)(main_at - jump_over));
    memcpy(o.b + (jump_over - o.base), &j, 4);
    for (int i = 0; i < n; i++) {
        emit_prologue(&o, &progs[i], i);
        emit_block(&o, progs[i].units, progs[i].nunits);
        e32(&o, SW(1, 4, REC));
        int32_t back = (int32_t)(common - here(&o));
        if (back < -(1 << 20)) {                   /* past jal's reach */
            free(o.b);
            return NULL;
        }
        e32(&o, JAL(1, back));
    }
    e32(&o, ADDI(A0, ZERO, 0));
    e32(&o, ADDI(A7, ZERO, 94));                   /* exit_group(0) */
    e32(&o, ECALL);

    uint32_t table = (uint32_t)n * 120;
    uint8_t *data = malloc(table);
    if (!data)
        abort();
    for (int i = 0; i < n; i++)
        memcpy(data + (size_t)i * 120, progs[i].init, 120);
    struct rvelf e = { .code = o.b, .code_len = o.n, .data_va = DATA_VA, .data = data,
                       .data_len = table, .bss_len = DATA_END - DATA_VA - table };
    uint8_t *img = RVELF_CODE_VA + o.n < DATA_VA ? rvelf_image(&e, len) : NULL;
    free(data);
    free(o.b);
    return img;
}

/* --- listing ---------------------------------------------------------------------- */

void rvg_list(const struct rvg_prog *p, FILE *out)
{
    static const char *const abi[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2",
        "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
        "s10", "s11", "t3", "t4", "t5", "t6",
    };
    fprintf(out, "registers at the start:\n");
    for (int r = 1; r <= 30; r++)
        fprintf(out, "  x%-2d %-4s = 0x%08x%s", r, abi[r], p->init[r - 1], r % 3 ? "" : "\n");
    fprintf(out, "buffer 0x%08x..0x%08x: xorshift32 from 0x%08x; t6 = record pointer\n",
            RVG_BUF_VA, RVG_BUF_VA + RVG_BUF_LEN, p->seed);
    struct out o = { .base = 0x00020000u };
    emit_block(&o, p->units, p->nunits);
    for (size_t at = 0; at < o.n; ) {
        char text[80];
        unsigned n = insn_disasm(o.base + (uint32_t)at, o.b + at, o.n - at, text, sizeof text);
        if (n == 0)
            n = 2;
        fprintf(out, "  %08x:  %s\n", o.base + (uint32_t)at, text);
        at += n;
    }
    fprintf(out, "  %08x:  (the end: registers and the buffer's hash are printed)\n",
            o.base + (uint32_t)o.n);
    free(o.b);
}
