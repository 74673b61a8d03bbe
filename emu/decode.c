/* emu/decode.c — instruction decoding and disassembly from emu/insn.def. */
#include "emu/insn.h"

#include <stdio.h>
#include <string.h>

const struct insn_info insn_info[OP_COUNT] = {
    [OP_DECODE]   = { "(undecoded)", 'N', 0, 0, 0 },
    [OP_PAGE_END] = { "(page end)", 'N', 0, 0, 0 },
    [OP_ILLEGAL]  = { "(illegal)", 'N', 0, 0, 0 },
#define FMT_R 'R'
#define FMT_I 'I'
#define FMT_S 'S'
#define FMT_B 'B'
#define FMT_U 'U'
#define FMT_J 'J'
#define FMT_SH 'h'
#define FMT_CSR 'C'
#define FMT_CSRI 'c'
#define FMT_AMO 'A'
#define FMT_N 'N'
#define X(name, fmt, match, mask, flags) \
    [OP_##name] = { #name, FMT_##fmt, match, mask, flags },
    INSN_LIST(X)
#undef X
};

/* Immediate layouts (unprivileged spec §2.3, figure 2.4).  Fields are
 * assembled unsigned, then sign-extended from their top bit. */
static int32_t sext(uint32_t v, int bits) { return (int32_t)(v << (32 - bits)) >> (32 - bits); }
static int32_t imm_i(uint32_t w) { return sext(w >> 20, 12); }
static int32_t imm_s(uint32_t w) { return sext((w >> 25) << 5 | ((w >> 7) & 0x1f), 12); }
static int32_t imm_b(uint32_t w)
{
    return sext((w >> 31) << 12 | ((w >> 7) & 1) << 11 | ((w >> 25) & 0x3f) << 5 |
                ((w >> 8) & 0xf) << 1, 13);
}
static int32_t imm_u(uint32_t w) { return (int32_t)(w & 0xfffff000); }
static int32_t imm_j(uint32_t w)
{
    return sext((w >> 31) << 20 | ((w >> 12) & 0xff) << 12 | ((w >> 20) & 1) << 11 |
                ((w >> 21) & 0x3ff) << 1, 21);
}

void insn_decode(uint32_t w, unsigned len, struct dinsn *d)
{
    memset(d, 0, sizeof *d);
    d->len = (uint8_t)len;
    d->op = OP_ILLEGAL;
    for (int op = OP_ILLEGAL + 1; op < OP_COUNT; op++) {
        if ((w & insn_info[op].mask) == insn_info[op].match) {
            d->op = (uint8_t)op;
            break;
        }
    }
    if (d->op == OP_ILLEGAL)
        return;
    const struct insn_info *ii = &insn_info[d->op];
    unsigned rd = (w >> 7) & 0x1f;
    d->rd_arch = (uint8_t)rd;
    d->rd = (uint8_t)((ii->flags & F_RD) && rd != 0 ? rd : REG_SINK);
    d->rs1 = (uint8_t)((w >> 15) & 0x1f);
    d->rs2 = (uint8_t)((w >> 20) & 0x1f);
    switch (ii->fmt) {
    case 'I': d->imm = imm_i(w); break;
    case 'S': d->imm = imm_s(w); break;
    case 'B': d->imm = imm_b(w); break;
    case 'U': d->imm = imm_u(w); break;
    case 'J': d->imm = imm_j(w); break;
    case 'h': d->imm = (int32_t)((w >> 20) & 0x1f); break;
    case 'C': case 'c': d->imm = (int32_t)(w >> 20); break;
    default: break;
    }
}

/* --- RVC expansion (unprivileged spec chapter 16, RV32C) ----------------- */

static uint32_t enc_r(uint32_t f7, unsigned rs2, unsigned rs1, uint32_t f3, unsigned rd, uint32_t opc)
{
    return f7 << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
static uint32_t enc_i(int32_t imm, unsigned rs1, uint32_t f3, unsigned rd, uint32_t opc)
{
    return ((uint32_t)imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}
static uint32_t enc_s(int32_t imm, unsigned rs2, unsigned rs1, uint32_t f3, uint32_t opc)
{
    uint32_t u = (uint32_t)imm;
    return (u >> 5 & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 | (u & 0x1f) << 7 | opc;
}
static uint32_t enc_b(int32_t imm, unsigned rs2, unsigned rs1, uint32_t f3)
{
    uint32_t u = (uint32_t)imm;
    return (u >> 12 & 1) << 31 | (u >> 5 & 0x3f) << 25 | rs2 << 20 | rs1 << 15 |
           f3 << 12 | (u >> 1 & 0xf) << 8 | (u >> 11 & 1) << 7 | 0x63;
}
static uint32_t enc_j(int32_t imm, unsigned rd)
{
    uint32_t u = (uint32_t)imm;
    return (u >> 20 & 1) << 31 | (u >> 1 & 0x3ff) << 21 | (u >> 11 & 1) << 20 |
           (u >> 12 & 0xff) << 12 | rd << 7 | 0x6f;
}

#define BIT(x, n)  (((x) >> (n)) & 1u)
#define BITS(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))
uint32_t rvc_expand(uint16_t c)
{
    unsigned f3 = BITS(c, 15, 13);
    unsigned rd = BITS(c, 11, 7), rs2 = BITS(c, 6, 2);
    unsigned rdp = 8 + BITS(c, 4, 2), rs1p = 8 + BITS(c, 9, 7);   /* x8..x15 */

    switch (c & 3) {
    case 0:
        switch (f3) {
        case 0: {                                   /* c.addi4spn */
            uint32_t nz = BITS(c, 12, 11) << 4 | BITS(c, 10, 7) << 6 |
                          BIT(c, 6) << 2 | BIT(c, 5) << 3;
            if (nz == 0)
                return 0;                           /* includes 0x0000 */
            return enc_i((int32_t)nz, 2, 0, rdp, 0x13);
        }
        case 2: {                                   /* c.lw */
            uint32_t off = BITS(c, 12, 10) << 3 | BIT(c, 6) << 2 | BIT(c, 5) << 6;
            return enc_i((int32_t)off, rs1p, 2, rdp, 0x03);
        }
        case 6: {                                   /* c.sw */
            uint32_t off = BITS(c, 12, 10) << 3 | BIT(c, 6) << 2 | BIT(c, 5) << 6;
            return enc_s((int32_t)off, rdp, rs1p, 2, 0x23);
        }
        default:
            return 0;                               /* FP loads/stores, reserved */
        }
    case 1: {
        int32_t imm6 = sext(BIT(c, 12) << 5 | BITS(c, 6, 2), 6);
        switch (f3) {
        case 0:                                     /* c.addi / c.nop */
            return enc_i(imm6, rd, 0, rd, 0x13);
        case 1: case 5: {                           /* c.jal / c.j */
            uint32_t o = BIT(c, 12) << 11 | BIT(c, 11) << 4 | BITS(c, 10, 9) << 8 |
                         BIT(c, 8) << 10 | BIT(c, 7) << 6 | BIT(c, 6) << 7 |
                         BITS(c, 5, 3) << 1 | BIT(c, 2) << 5;
            return enc_j(sext(o, 12), f3 == 1 ? 1 : 0);
        }
        case 2:                                     /* c.li */
            return enc_i(imm6, 0, 0, rd, 0x13);
        case 3:
            if (rd == 2) {                          /* c.addi16sp */
                uint32_t o = BIT(c, 12) << 9 | BIT(c, 6) << 4 | BIT(c, 5) << 6 |
                             BITS(c, 4, 3) << 7 | BIT(c, 2) << 5;
                if (o == 0)
                    return 0;
                return enc_i(sext(o, 10), 2, 0, 2, 0x13);
            }
            if (imm6 == 0)
                return 0;                           /* c.lui with 0: reserved */
            return ((uint32_t)imm6 << 12 & 0xfffff000) | rd << 7 | 0x37;   /* c.lui */
        case 4: {
            unsigned f2 = BITS(c, 11, 10);
            if (f2 == 0 || f2 == 1) {               /* c.srli / c.srai */
                if (BIT(c, 12))
                    return 0;                       /* shamt[5] = 1: RV64 only */
                uint32_t f7 = f2 == 1 ? 0x20 : 0;
                return enc_r(f7, BITS(c, 6, 2), rs1p, 5, rs1p, 0x13);
            }
            if (f2 == 2)                            /* c.andi */
                return enc_i(imm6, rs1p, 7, rs1p, 0x13);
            if (BIT(c, 12))
                return 0;                           /* c.subw/c.addw: RV64 */
            static const uint32_t f3s[4] = { 0, 4, 6, 7 };   /* sub xor or and */
            unsigned k = BITS(c, 6, 5);
            return enc_r(k == 0 ? 0x20 : 0, rdp, rs1p, f3s[k], rs1p, 0x33);
        }
        case 6: case 7: {                           /* c.beqz / c.bnez */
            uint32_t o = BIT(c, 12) << 8 | BITS(c, 11, 10) << 3 | BITS(c, 6, 5) << 6 |
                         BITS(c, 4, 3) << 1 | BIT(c, 2) << 5;
            return enc_b(sext(o, 9), 0, rs1p, f3 == 6 ? 0 : 1);
        }
        }
        return 0;
    }
    case 2:
        switch (f3) {
        case 0:                                     /* c.slli */
            if (BIT(c, 12))
                return 0;
            return enc_r(0, rs2, rd, 1, rd, 0x13);
        case 2: {                                   /* c.lwsp */
            if (rd == 0)
                return 0;
            uint32_t o = BIT(c, 12) << 5 | BITS(c, 6, 4) << 2 | BITS(c, 3, 2) << 6;
            return enc_i((int32_t)o, 2, 2, rd, 0x03);
        }
        case 4:
            if (!BIT(c, 12)) {
                if (rs2 == 0)                       /* c.jr */
                    return rd == 0 ? 0 : enc_i(0, rd, 0, 0, 0x67);
                return enc_r(0, rs2, 0, 0, rd, 0x33);       /* c.mv */
            }
            if (rs2 == 0) {
                if (rd == 0)
                    return 0x00100073;              /* c.ebreak */
                return enc_i(0, rd, 0, 1, 0x67);    /* c.jalr */
            }
            return enc_r(0, rs2, rd, 0, rd, 0x33);  /* c.add */
        case 6: {                                   /* c.swsp */
            uint32_t o = BITS(c, 12, 9) << 2 | BITS(c, 8, 7) << 6;
            return enc_s((int32_t)o, rs2, 2, 2, 0x23);
        }
        default:
            return 0;
        }
    }
    return 0;
}

/* --- disassembly ------------------------------------------------------- */

static const char *const abi_name[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
    "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *csr_name(int32_t csr)
{
    switch (csr) {
    case 0xc00: return "cycle";
    case 0xc01: return "time";
    case 0xc02: return "instret";
    case 0xc80: return "cycleh";
    case 0xc81: return "timeh";
    case 0xc82: return "instreth";
    default: return NULL;
    }
}

unsigned insn_decode_bytes(const uint8_t *bytes, size_t avail, struct dinsn *d)
{
    if (avail < 2)
        return 0;
    uint16_t h = (uint16_t)(bytes[0] | bytes[1] << 8);
    unsigned len = insn_length(h);
    if (avail < len)
        return 0;
    uint32_t w = len == 4 ? (uint32_t)h | (uint32_t)(bytes[2] | bytes[3] << 8) << 16
                          : rvc_expand(h);
    if (w == 0) {                      /* illegal or reserved compressed encoding */
        memset(d, 0, sizeof *d);
        d->op = OP_ILLEGAL;
        d->len = 2;
    } else {
        insn_decode(w, len, d);
    }
    return len;
}

unsigned insn_disasm(uint32_t pc, const uint8_t *bytes, size_t avail,
                     char *buf, size_t buflen)
{
    struct dinsn d;
    unsigned len = insn_decode_bytes(bytes, avail, &d);
    if (len == 0)
        return 0;
    if (d.op == OP_ILLEGAL) {
        snprintf(buf, buflen, "(illegal instruction)");
        return len;
    }
    const struct insn_info *ii = &insn_info[d.op];
    char name[16];
    snprintf(name, sizeof name, "%s%s", len == 2 ? "c." : "", ii->name);
    for (char *p = name; *p; p++)
        if (*p == '_')
            *p = '.';
    const char *rd = abi_name[d.rd_arch], *rs1 = abi_name[d.rs1], *rs2 = abi_name[d.rs2];
    const char *csr;
    switch (ii->fmt) {
    case 'R': snprintf(buf, buflen, "%-7s %s,%s,%s", name, rd, rs1, rs2); break;
    case 'h': snprintf(buf, buflen, "%-7s %s,%s,%d", name, rd, rs1, d.imm); break;
    case 'I':
        if (ii->flags & (F_LOAD | F_JUMP))
            snprintf(buf, buflen, "%-7s %s,%d(%s)", name, rd, d.imm, rs1);
        else
            snprintf(buf, buflen, "%-7s %s,%s,%d", name, rd, rs1, d.imm);
        break;
    case 'S': snprintf(buf, buflen, "%-7s %s,%d(%s)", name, rs2, d.imm, rs1); break;
    case 'B': snprintf(buf, buflen, "%-7s %s,%s,0x%x", name, rs1, rs2, pc + (uint32_t)d.imm); break;
    case 'U': snprintf(buf, buflen, "%-7s %s,0x%x", name, rd, (uint32_t)d.imm >> 12); break;
    case 'J': snprintf(buf, buflen, "%-7s %s,0x%x", name, rd, pc + (uint32_t)d.imm); break;
    case 'C': case 'c': {
        char csrbuf[12], src[8];
        csr = csr_name(d.imm);
        if (!csr) {
            snprintf(csrbuf, sizeof csrbuf, "0x%x", (unsigned)d.imm);
            csr = csrbuf;
        }
        if (ii->fmt == 'C')
            snprintf(src, sizeof src, "%s", rs1);
        else
            snprintf(src, sizeof src, "%u", d.rs1);      /* 5-bit immediate */
        snprintf(buf, buflen, "%-7s %s,%s,%s", name, rd, csr, src);
        break;
    }
    case 'A':
        if (d.op == OP_lr_w)
            snprintf(buf, buflen, "%-7s %s,(%s)", name, rd, rs1);
        else
            snprintf(buf, buflen, "%-7s %s,%s,(%s)", name, rd, rs2, rs1);
        break;
    default: snprintf(buf, buflen, "%s", name); break;
    }
    return len;
}
