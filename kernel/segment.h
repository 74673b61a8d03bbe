/* kernel/segment.h — what a segment is, as --maps, the view and the
 * VMLAB core note name it: its kind and its permission bits.  A format
 * header, shared by the kernel (kernel/vma.h) and the core reader. */
#ifndef VMLAB_KERNEL_SEGMENT_H
#define VMLAB_KERNEL_SEGMENT_H

enum vma_kind {
    VMA_FILE,      /* bytes from the ELF file, zero after filesz (text, rodata, data) */
    VMA_ANON,      /* zero-fill on demand (bss, mmap areas) */
    VMA_HEAP,      /* zero-fill, grown and shrunk by brk */
    VMA_STACK,     /* zero-fill, grows down on demand to the stack limit */
    VMA_SIGPAGE,   /* the signal return trampoline (kernel-provided bytes) */
};

#define VMA_NAME 16

/* "r-x" style text for perms (buf of 4+). */
const char *vma_perm_str(unsigned perms, char buf[4]);

#endif
