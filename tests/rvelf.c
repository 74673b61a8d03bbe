/* tests/rvelf.c — see rvelf.h.  Field offsets: the ELF32 header and
 * program header of the System V gABI, as <elf.h> lays them out. */
#include "tests/rvelf.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096u

uint8_t *rvelf_image(const struct rvelf *e, size_t *len)
{
    size_t text_end = 0x80 + e->code_len;               /* file bytes of the r-x segment */
    size_t data_off = (text_end + PAGE - 1) & ~(size_t)(PAGE - 1);
    int nph = e->data_va ? 2 : 1;
    if (sizeof(Elf32_Ehdr) + (size_t)nph * sizeof(Elf32_Phdr) > 0x80)
        return NULL;
    if (e->data_va && (e->data_va & (PAGE - 1) ||
                       e->data_va < RVELF_TEXT_VA + data_off))
        return NULL;
    size_t total = e->data_va ? data_off + e->data_len : text_end;
    uint8_t *f = calloc(1, total);
    if (!f)
        return NULL;

    Elf32_Ehdr eh = { 0 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_RISCV;
    eh.e_version = EV_CURRENT;
    eh.e_entry = RVELF_CODE_VA;
    eh.e_phoff = sizeof eh;
    eh.e_flags = EF_RISCV_RVC;                          /* soft-float ABI */
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf32_Phdr);
    eh.e_phnum = (Elf32_Half)nph;
    memcpy(f, &eh, sizeof eh);

    Elf32_Phdr ph[2] = { {
        .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = RVELF_TEXT_VA, .p_paddr = RVELF_TEXT_VA,
        .p_filesz = (Elf32_Word)text_end, .p_memsz = (Elf32_Word)text_end,
        .p_flags = PF_R | PF_X, .p_align = PAGE,
    }, {
        .p_type = PT_LOAD, .p_offset = (Elf32_Off)data_off, .p_vaddr = e->data_va,
        .p_paddr = e->data_va, .p_filesz = (Elf32_Word)e->data_len,
        .p_memsz = (Elf32_Word)(e->data_len + e->bss_len), .p_flags = PF_R | PF_W,
        .p_align = PAGE,
    } };
    memcpy(f + sizeof eh, ph, (size_t)nph * sizeof ph[0]);
    if (e->code_len)
        memcpy(f + 0x80, e->code, e->code_len);
    if (e->data_va && e->data_len)
        memcpy(f + data_off, e->data, e->data_len);
    *len = total;
    return f;
}

int rvelf_write(const char *path, const struct rvelf *e)
{
    size_t len;
    uint8_t *img = rvelf_image(e, &len);
    if (!img)
        return -ENOMEM;
    int rc = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (fd < 0) {
        rc = -errno;
    } else {
        size_t done = 0;
        while (done < len && rc == 0) {
            ssize_t w = write(fd, img + done, len - done);
            if (w < 0 && errno != EINTR)
                rc = -errno;
            else if (w > 0)
                done += (size_t)w;
        }
        if (close(fd) != 0 && rc == 0)
            rc = -errno;
    }
    free(img);
    return rc;
}
