/* kernel/vma.h — the process address space as a sorted list of segments
 * (VMAs), and the one function that changes their permissions. */
#ifndef VMLAB_KERNEL_VMA_H
#define VMLAB_KERNEL_VMA_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/segment.h"
#include "mmu/hostmem.h"

struct proc;

/* The bytes behind a file-backed mapping of a file other than the program
 * (mmap of an opened file): read once, shared by every VMA made from it. */
struct vma_file {
    uint8_t *data;              /* the whole file */
    uint32_t size;
    unsigned refs;
    struct hostmem *hm;         /* size bytes are charged to it (HOSTMEM_FILES) */
    char     path[];
};

/* A new file source holding data (taken over) for path; refs = 1; its size
 * was charged to hm, and the last vma_file_put gives it back.  NULL if out
 * of memory (data is freed, the charge given back). */
struct vma_file *vma_file_new(const char *path, uint8_t *data, uint32_t size,
                              struct hostmem *hm);
void vma_file_put(struct vma_file *f);

/* At most this many segments (-ENOMEM beyond, like Linux's
 * vm.max_map_count, which is 65530: smaller here because the list is a
 * sorted array, and each insert moves the entries above it). */
#define VMA_MAX 8192

struct vma {
    uint32_t start, end;        /* page-aligned, start < end */
    unsigned perms;             /* PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4 */
    enum vma_kind kind;
    char     name[VMA_NAME];    /* "text", "bss", "heap", "stack", "mmap", "[sigpage]" */
    uint32_t file_off;          /* VMA_FILE: file offset of byte `start` */
    uint32_t filesz;            /* VMA_FILE: bytes from the file, from `start` */
    struct vma_file *file;      /* VMA_FILE: NULL = the program's ELF image */
};

struct vma_list {
    struct vma *v;              /* sorted by start, non-overlapping */
    int n, cap;
};

void vma_list_free(struct vma_list *l);

/* The VMA containing va, or NULL.  O(log n). */
struct vma *vma_find(struct vma_list *l, uint32_t va);

/* Index of the first VMA with end > va (n if none). */
int vma_first_above(const struct vma_list *l, uint32_t va);

/* True if any VMA overlaps [start, end). */
bool vma_overlaps(const struct vma_list *l, uint32_t start, uint32_t end);

/* Insert a VMA that overlaps nothing; the list takes over its file
 * reference.  Returns 0 or -ENOMEM (the reference is then dropped). */
int vma_insert(struct vma_list *l, const struct vma *v);

/* Split so that start and end are VMA boundaries where a VMA covers them.
 * Returns 0 or -ENOMEM. */
int vma_split_at(struct vma_list *l, uint32_t addr);

/* Remove every VMA inside [start, end) (after splitting at both ends). */
void vma_remove_range(struct vma_list *l, uint32_t start, uint32_t end);

/* Fold neighbouring VMAs around [start, end) that are alike (same kind,
 * name, permissions and, for file segments, a continuous file range), as
 * Linux merges them: an mprotect that is undone leaves one segment. */
void vma_merge_range(struct vma_list *l, uint32_t start, uint32_t end);

/* Change the permissions of [start, end) — every page must be inside some
 * VMA — to perms.  The one path for every permission change: mprotect,
 * --perm at start-up, and the view's clicks.  Splits VMAs at the range
 * ends, rewrites the PTEs of mapped pages (a page with no access keeps its
 * frame but loses V), flushes the TLB for the range, and drops decoded
 * instructions of frames that lose X or gain W.  Returns 0, -EINVAL (not
 * page-aligned, bad perms), or -ENOMEM (a hole in the range, or no memory
 * to split), with nothing changed in the -ENOMEM hole case. */
int vma_protect(struct proc *p, uint32_t start, uint32_t end, unsigned perms);

#endif
