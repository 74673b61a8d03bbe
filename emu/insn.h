/* emu/insn.h — decoded instructions, generated from emu/insn.def. */
#ifndef VMLAB_EMU_INSN_H
#define VMLAB_EMU_INSN_H

#include <stddef.h>
#include <stdint.h>
#include "emu/insn.def"

#define F_RD     (1u << 0)
#define F_LOAD   (1u << 1)
#define F_STORE  (1u << 2)
#define F_BRANCH (1u << 3)
#define F_JUMP   (1u << 4)
#define F_SYSTEM (1u << 5)

/* Opcodes: first the interpreter's internal ones, then one per row. */
enum insn_op {
    OP_DECODE = 0,     /* slot not decoded yet: decode, then run it */
    OP_PAGE_END,       /* fell off the end of the page: translate the next */
    OP_ILLEGAL,        /* not an instruction we implement: SIGILL */
#define X(name, fmt, match, mask, flags) OP_##name,
    INSN_LIST(X)
#undef X
    OP_COUNT
};

/* Register number written instead of x0: the decoder maps rd = 0 here so
 * that handlers write unconditionally and x0 stays 0 (cpu->x[32] is a sink). */
#define REG_SINK 32

/* One decoded instruction, as cached per guest code page. */
struct dinsn {
    uint8_t  op;               /* enum insn_op */
    uint8_t  rd, rs1, rs2;     /* rd is REG_SINK when the encoding said x0 */
    int32_t  imm;              /* sign-extended immediate, shamt, or CSR number */
    uint8_t  len;              /* 2 (compressed) or 4 */
    uint8_t  rd_arch;          /* rd as encoded (for the disassembler) */
    uint16_t pad;
};

struct insn_info {
    const char *name;          /* "addi", "lr.w" */
    char        fmt;           /* 'R' 'I' 'S' 'B' 'U' 'J' 'h' (shift) 'C' 'c' 'A' 'N' */
    uint32_t    match, mask, flags;
};
extern const struct insn_info insn_info[OP_COUNT];

/* Decode one 32-bit instruction word (already expanded if it was
 * compressed) into *d with length len.  Unknown words decode to
 * OP_ILLEGAL; never fails otherwise. */
void insn_decode(uint32_t word, unsigned len, struct dinsn *d);

/* Expand a 16-bit RVC instruction (RV32C, no F/D forms) to its 32-bit
 * equivalent.  Returns 0 for an illegal or reserved encoding (0x0000
 * included).  (inst & 3) must not be 3. */
uint32_t rvc_expand(uint16_t inst);

/* Length in bytes of the instruction whose first halfword is h. */
static inline unsigned insn_length(uint16_t h) { return (h & 3) == 3 ? 4 : 2; }

/* Decode the instruction at bytes (avail of them valid, little-endian),
 * expanding a compressed one; an illegal or reserved compressed encoding
 * becomes OP_ILLEGAL of length 2.  Returns the length, or 0 when fewer
 * bytes than it needs are available (a 32-bit instruction whose upper half
 * is on the next page). */
unsigned insn_decode_bytes(const uint8_t *bytes, size_t avail, struct dinsn *d);

/* M-extension division: it never traps (spec table 7.1). */
static inline uint32_t rv_div(uint32_t a, uint32_t b)
{
    if (b == 0)
        return UINT32_MAX;
    if (a == 0x80000000u && b == UINT32_MAX)
        return a;                      /* overflow: the dividend */
    return (uint32_t)((int32_t)a / (int32_t)b);
}
static inline uint32_t rv_divu(uint32_t a, uint32_t b) { return b == 0 ? UINT32_MAX : a / b; }
static inline uint32_t rv_rem(uint32_t a, uint32_t b)
{
    if (b == 0)
        return a;
    if (a == 0x80000000u && b == UINT32_MAX)
        return 0;
    return (uint32_t)((int32_t)a % (int32_t)b);
}
static inline uint32_t rv_remu(uint32_t a, uint32_t b) { return b == 0 ? a : a % b; }

/* Disassemble the instruction at pc (first bytes in `bytes`, avail of them
 * valid) into buf as "addi    sp,sp,-16"; returns the instruction length
 * (2 or 4), or 0 if fewer bytes than needed are available. */
unsigned insn_disasm(uint32_t pc, const uint8_t *bytes, size_t avail,
                     char *buf, size_t buflen);

#endif
