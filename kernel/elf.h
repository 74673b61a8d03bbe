/* kernel/elf.h — reading and validating static RV32 ELF executables.
 *
 * The file is parsed with elfutils' libelf (gelf_*); this module adds the
 * semantic checks a loader needs and turns the PT_LOAD segments into a list
 * of named, page-granular segments that the kernel then maps as VMAs.
 * Nothing here touches guest memory: the result describes what to map and
 * where the bytes come from (offsets into the file image kept in memory).
 */
#ifndef VMLAB_KERNEL_ELF_H
#define VMLAB_KERNEL_ELF_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGS 16
#define ELF_SEG_NAME 16

/* Segment permission bits (same values as PROT_READ/WRITE/EXEC). */
#define SEG_R 1u
#define SEG_W 2u
#define SEG_X 4u

/* One named part of the image, page-aligned: [start, end).  Bytes
 * [start, start+filesz) come from the file at file_off (the first byte of
 * the page start, which may lie before the PT_LOAD's first byte when its
 * p_vaddr is not page-aligned: those bytes come from the file too, as Linux
 * maps whole file pages); everything after is zero (bss).  A segment with
 * filesz 0 is anonymous zero-fill. */
struct elf_seg {
    char     name[ELF_SEG_NAME]; /* "text", "rodata", "data", "bss", ... */
    uint32_t start, end;         /* page-aligned virtual range */
    uint32_t file_off;           /* file offset of byte `start` */
    uint32_t filesz;             /* bytes from the file, from `start` */
    unsigned perms;              /* SEG_R | SEG_W | SEG_X */
};

struct elf_image {
    uint8_t *data;               /* whole file, malloc'd (owned) */
    size_t   size;
    uint32_t entry;
    uint32_t phdr_vaddr;         /* AT_PHDR: where the program headers are mapped (0 if not) */
    uint32_t phnum;              /* AT_PHNUM */
    uint32_t phentsize;          /* AT_PHENT (32) */
    uint32_t eflags;             /* e_flags (RVC bit 0x1, float ABI) */
    uint32_t end_bss;            /* highest p_vaddr+p_memsz: brk starts at its page above */
    int      nseg;
    struct elf_seg seg[ELF_MAX_SEGS];
};

/* Read and validate PATH.  On success fills *img and returns 0.  On failure
 * returns -1 and writes one line (no trailing newline) naming the problem
 * into err, e.g. "not an ELF file (bad magic)", "ELF class is 64-bit; vmlab
 * runs 32-bit RISC-V programs", "segment 2 overlaps segment 1".  The caller
 * prints "vmlab: PATH: <err>".  Never crashes on any input. */
int elf_load(const char *path, struct elf_image *img, char *err, size_t errlen);

/* Same, from a buffer already in memory (copied; used by tests). */
int elf_load_mem(const void *buf, size_t size, struct elf_image *img,
                 char *err, size_t errlen);

/* Free what elf_load allocated.  Safe on a zeroed image. */
void elf_free(struct elf_image *img);

/* Symbol lookup for traces and the inspector: the name of the function
 * containing addr and the offset into it.  Returns NULL if none. */
const char *elf_symbol(const struct elf_image *img, uint32_t addr, uint32_t *off);

/* The address and size of the symbol called name (a function or an
 * object with a size, e.g. an array), for tools that watch one object.
 * Returns 0, or -ENOENT when there is none. */
int elf_symbol_range(const struct elf_image *img, const char *name, uint32_t *start, uint32_t *size);

#endif
