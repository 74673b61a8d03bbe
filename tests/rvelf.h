/* tests/rvelf.h — small static RV32 executables written directly, for
 * tests, fuzz seeds and the random differential programs: no assembler,
 * no linker.
 *
 *   file 0       ELF header, two program headers     \  PT_LOAD r-x at
 *   file 0x80    code (RVELF_CODE_VA = entry)        /  RVELF_TEXT_VA
 *   next page    data                                 PT_LOAD rw- at data_va,
 *                                                     then bss zeros
 *
 * Both qemu-riscv32 and vmlab load it (PLATFORM.md §4: static ET_EXEC,
 * EM_RISCV, soft-float, RVC flag set). */
#ifndef VMLAB_TESTS_RVELF_H
#define VMLAB_TESTS_RVELF_H

#include <stddef.h>
#include <stdint.h>

#define RVELF_TEXT_VA 0x00010000u
#define RVELF_CODE_VA (RVELF_TEXT_VA + 0x80)   /* first instruction, the entry */

struct rvelf {
    const uint8_t *code;
    size_t         code_len;
    uint32_t       data_va;       /* page-aligned, above the code; 0: no data */
    const uint8_t *data;
    size_t         data_len;
    uint32_t       bss_len;       /* zeros after the data */
};

/* The file's bytes (malloc'd, *len set), or NULL when out of memory or
 * the data would overlap the code. */
uint8_t *rvelf_image(const struct rvelf *e, size_t *len);

/* Write the file (mode 0755).  Returns 0 or -errno. */
int rvelf_write(const char *path, const struct rvelf *e);

#endif
