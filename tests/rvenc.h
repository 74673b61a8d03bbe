/* tests/rvenc.h — RV32IMA instruction encoders for tests, written from
 * the unprivileged spec's opcode map (ch. 2, 7, 8, 9, 24) rather than from
 * emu/insn.def, so that a wrong row there is caught; cross-checked against
 * `riscv64-unknown-elf-as -march=rv32imac`.  Constant expressions, so
 * vector tables can be static.  Operands in assembler order
 * ("lw rd, imm(rs1)" is LW(rd, imm, rs1)). */
#ifndef VMLAB_TESTS_RVENC_H
#define VMLAB_TESTS_RVENC_H

#include <stdint.h>

enum reg {
    ZERO = 0, RA, SP, GP, TP, T0, T1, T2, S0, S1, A0, A1, A2, A3, A4, A5,
    A6, A7, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, T3, T4, T5, T6,
};

#define U32(x) ((uint32_t)(x))

/*  31     25 24  20 19  15 14 12 11   7 6     0
 * | funct7  |  rs2 |  rs1 |funct3|  rd  | opcode |   R
 * |    imm[11:0]   |  rs1 |funct3|  rd  | opcode |   I
 * |imm[11:5]|  rs2 |  rs1 |funct3|imm4:0| opcode |   S
 * |   imm[31:12]                 |  rd  | opcode |   U   */
#define ENC_R(f7, rs2, rs1, f3, rd, opc) \
    (U32(f7) << 25 | U32(rs2) << 20 | U32(rs1) << 15 | U32(f3) << 12 | U32(rd) << 7 | U32(opc))
#define ENC_I(imm, rs1, f3, rd, opc) \
    ((U32(imm) & 0xfffu) << 20 | U32(rs1) << 15 | U32(f3) << 12 | U32(rd) << 7 | U32(opc))
#define ENC_S(imm, rs2, rs1, f3) \
    ((U32(imm) >> 5 & 0x7fu) << 25 | U32(rs2) << 20 | U32(rs1) << 15 | U32(f3) << 12 | \
     (U32(imm) & 0x1fu) << 7 | 0x23u)
/* B: imm[12|10:5] rs2 rs1 funct3 imm[4:1|11] 1100011 */
#define ENC_B(off, rs2, rs1, f3) \
    ((U32(off) >> 12 & 1u) << 31 | (U32(off) >> 5 & 0x3fu) << 25 | U32(rs2) << 20 | \
     U32(rs1) << 15 | U32(f3) << 12 | (U32(off) >> 1 & 0xfu) << 8 | \
     (U32(off) >> 11 & 1u) << 7 | 0x63u)
#define ENC_U(imm20, rd, opc) ((U32(imm20) & 0xfffffu) << 12 | U32(rd) << 7 | U32(opc))
/* J: imm[20|10:1|11|19:12] rd 1101111 */
#define ENC_J(off, rd) \
    ((U32(off) >> 20 & 1u) << 31 | (U32(off) >> 1 & 0x3ffu) << 21 | \
     (U32(off) >> 11 & 1u) << 20 | (U32(off) >> 12 & 0xffu) << 12 | U32(rd) << 7 | 0x6fu)

/* RV32I, in assembler operand order ("lw rd, imm(rs1)" is LW(rd, imm, rs1)). */
#define LUI(rd, imm20)       ENC_U(imm20, rd, 0x37)
#define AUIPC(rd, imm20)     ENC_U(imm20, rd, 0x17)
#define JAL(rd, off)         ENC_J(off, rd)
#define JALR(rd, imm, rs1)   ENC_I(imm, rs1, 0, rd, 0x67)
#define BEQ(rs1, rs2, off)   ENC_B(off, rs2, rs1, 0)
#define BNE(rs1, rs2, off)   ENC_B(off, rs2, rs1, 1)
#define BLT(rs1, rs2, off)   ENC_B(off, rs2, rs1, 4)
#define BGE(rs1, rs2, off)   ENC_B(off, rs2, rs1, 5)
#define BLTU(rs1, rs2, off)  ENC_B(off, rs2, rs1, 6)
#define BGEU(rs1, rs2, off)  ENC_B(off, rs2, rs1, 7)
#define LB(rd, imm, rs1)     ENC_I(imm, rs1, 0, rd, 0x03)
#define LH(rd, imm, rs1)     ENC_I(imm, rs1, 1, rd, 0x03)
#define LW(rd, imm, rs1)     ENC_I(imm, rs1, 2, rd, 0x03)
#define LBU(rd, imm, rs1)    ENC_I(imm, rs1, 4, rd, 0x03)
#define LHU(rd, imm, rs1)    ENC_I(imm, rs1, 5, rd, 0x03)
#define SB(rs2, imm, rs1)    ENC_S(imm, rs2, rs1, 0)
#define SH(rs2, imm, rs1)    ENC_S(imm, rs2, rs1, 1)
#define SW(rs2, imm, rs1)    ENC_S(imm, rs2, rs1, 2)
#define ADDI(rd, rs1, imm)   ENC_I(imm, rs1, 0, rd, 0x13)
#define SLTI(rd, rs1, imm)   ENC_I(imm, rs1, 2, rd, 0x13)
#define SLTIU(rd, rs1, imm)  ENC_I(imm, rs1, 3, rd, 0x13)
#define XORI(rd, rs1, imm)   ENC_I(imm, rs1, 4, rd, 0x13)
#define ORI(rd, rs1, imm)    ENC_I(imm, rs1, 6, rd, 0x13)
#define ANDI(rd, rs1, imm)   ENC_I(imm, rs1, 7, rd, 0x13)
#define SLLI(rd, rs1, sh)    ENC_R(0x00, sh, rs1, 1, rd, 0x13)
#define SRLI(rd, rs1, sh)    ENC_R(0x00, sh, rs1, 5, rd, 0x13)
#define SRAI(rd, rs1, sh)    ENC_R(0x20, sh, rs1, 5, rd, 0x13)
#define ADD(rd, rs1, rs2)    ENC_R(0x00, rs2, rs1, 0, rd, 0x33)
#define SUB(rd, rs1, rs2)    ENC_R(0x20, rs2, rs1, 0, rd, 0x33)
#define SLL(rd, rs1, rs2)    ENC_R(0x00, rs2, rs1, 1, rd, 0x33)
#define SLT(rd, rs1, rs2)    ENC_R(0x00, rs2, rs1, 2, rd, 0x33)
#define SLTU(rd, rs1, rs2)   ENC_R(0x00, rs2, rs1, 3, rd, 0x33)
#define XOR(rd, rs1, rs2)    ENC_R(0x00, rs2, rs1, 4, rd, 0x33)
#define SRL(rd, rs1, rs2)    ENC_R(0x00, rs2, rs1, 5, rd, 0x33)
#define SRA(rd, rs1, rs2)    ENC_R(0x20, rs2, rs1, 5, rd, 0x33)
#define OR(rd, rs1, rs2)     ENC_R(0x00, rs2, rs1, 6, rd, 0x33)
#define AND(rd, rs1, rs2)    ENC_R(0x00, rs2, rs1, 7, rd, 0x33)
#define FENCE                0x0ff0000fu        /* fence iorw,iorw */
#define FENCE_TSO            0x8330000fu        /* fence.tso */
#define FENCE_I              0x0000100fu
#define ECALL                0x00000073u
#define EBREAK               0x00100073u
/* Zicsr: "csrrs rd, csr, rs1"; the I variants take a 5-bit uimm as rs1. */
#define CSRRW(rd, csr, rs1)  ENC_I(csr, rs1, 1, rd, 0x73)
#define CSRRS(rd, csr, rs1)  ENC_I(csr, rs1, 2, rd, 0x73)
#define CSRRC(rd, csr, rs1)  ENC_I(csr, rs1, 3, rd, 0x73)
#define CSRRWI(rd, csr, ui)  ENC_I(csr, ui, 5, rd, 0x73)
#define CSRRSI(rd, csr, ui)  ENC_I(csr, ui, 6, rd, 0x73)
#define CSRRCI(rd, csr, ui)  ENC_I(csr, ui, 7, rd, 0x73)
#define CSR_CYCLE    0xc00
#define CSR_TIME     0xc01
#define CSR_INSTRET  0xc02
#define CSR_CYCLEH   0xc80
#define CSR_TIMEH    0xc81
#define CSR_INSTRETH 0xc82
#define CSR_FFLAGS   0x001              /* F extension: not implemented */
#define CSR_MSTATUS  0x300              /* M-mode: never from U-mode */
/* M (funct7 = 1) */
#define MUL(rd, rs1, rs2)    ENC_R(0x01, rs2, rs1, 0, rd, 0x33)
#define MULH(rd, rs1, rs2)   ENC_R(0x01, rs2, rs1, 1, rd, 0x33)
#define MULHSU(rd, rs1, rs2) ENC_R(0x01, rs2, rs1, 2, rd, 0x33)
#define MULHU(rd, rs1, rs2)  ENC_R(0x01, rs2, rs1, 3, rd, 0x33)
#define DIV(rd, rs1, rs2)    ENC_R(0x01, rs2, rs1, 4, rd, 0x33)
#define DIVU(rd, rs1, rs2)   ENC_R(0x01, rs2, rs1, 5, rd, 0x33)
#define REM(rd, rs1, rs2)    ENC_R(0x01, rs2, rs1, 6, rd, 0x33)
#define REMU(rd, rs1, rs2)   ENC_R(0x01, rs2, rs1, 7, rd, 0x33)
/* A: funct5 | aq | rl, funct3 = 2 (.w), opcode AMO.  "amoadd.w rd, rs2, (rs1)". */
#define ENC_AMO(f5, rd, rs2, rs1) ENC_R(U32(f5) << 2, rs2, rs1, 2, rd, 0x2f)
#define LR_W(rd, rs1)             ENC_AMO(0x02, rd, 0, rs1)
#define SC_W(rd, rs2, rs1)        ENC_AMO(0x03, rd, rs2, rs1)
#define AMOSWAP_W(rd, rs2, rs1)   ENC_AMO(0x01, rd, rs2, rs1)
#define AMOADD_W(rd, rs2, rs1)    ENC_AMO(0x00, rd, rs2, rs1)
#define AMOXOR_W(rd, rs2, rs1)    ENC_AMO(0x04, rd, rs2, rs1)
#define AMOAND_W(rd, rs2, rs1)    ENC_AMO(0x0c, rd, rs2, rs1)
#define AMOOR_W(rd, rs2, rs1)     ENC_AMO(0x08, rd, rs2, rs1)
#define AMOMIN_W(rd, rs2, rs1)    ENC_AMO(0x10, rd, rs2, rs1)
#define AMOMAX_W(rd, rs2, rs1)    ENC_AMO(0x14, rd, rs2, rs1)
#define AMOMINU_W(rd, rs2, rs1)   ENC_AMO(0x18, rd, rs2, rs1)
#define AMOMAXU_W(rd, rs2, rs1)   ENC_AMO(0x1c, rd, rs2, rs1)
#define AQRL                      (3u << 25)   /* .aqrl: ignored by one hart */

#endif
