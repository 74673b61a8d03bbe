/* kernel/vma.c — segments (VMAs) and permission changes. */
#include "kernel/vma.h"

#include "kernel/pte.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu/cpu.h"
#include "kernel/proc.h"
#include "kernel/vm.h"

struct vma_file *vma_file_new(const char *path, uint8_t *data, uint32_t size,
                              struct hostmem *hm)
{
    size_t n = strlen(path) + 1;
    struct vma_file *f = malloc(sizeof *f + n);
    if (!f) {
        free(data);
        hostmem_release(hm, HOSTMEM_FILES, size);
        return NULL;
    }
    f->data = data;
    f->size = size;
    f->refs = 1;
    f->hm = hm;
    memcpy(f->path, path, n);
    return f;
}

void vma_file_put(struct vma_file *f)
{
    if (f && --f->refs == 0) {
        hostmem_release(f->hm, HOSTMEM_FILES, f->size);
        free(f->data);
        free(f);
    }
}

void vma_list_free(struct vma_list *l)
{
    for (int i = 0; i < l->n; i++)
        vma_file_put(l->v[i].file);
    free(l->v);
    memset(l, 0, sizeof *l);
}

int vma_first_above(const struct vma_list *l, uint32_t va)
{
    int lo = 0, hi = l->n;                 /* first index with end > va */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (l->v[mid].end > va)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

struct vma *vma_find(struct vma_list *l, uint32_t va)
{
    int i = vma_first_above(l, va);
    if (i < l->n && l->v[i].start <= va)
        return &l->v[i];
    return NULL;
}

bool vma_overlaps(const struct vma_list *l, uint32_t start, uint32_t end)
{
    int i = vma_first_above(l, start);
    return i < l->n && l->v[i].start < end;
}

static int grow(struct vma_list *l)
{
    if (l->n >= VMA_MAX)
        return -ENOMEM;
    if (l->n < l->cap)
        return 0;
    int cap = l->cap ? l->cap * 2 : 16;
    struct vma *v = realloc(l->v, sizeof *v * (size_t)cap);
    if (!v)
        return -ENOMEM;
    l->v = v;
    l->cap = cap;
    return 0;
}

int vma_insert(struct vma_list *l, const struct vma *v)
{
    if (grow(l)) {
        vma_file_put(v->file);
        return -ENOMEM;
    }
    int i = vma_first_above(l, v->start);
    memmove(&l->v[i + 1], &l->v[i], sizeof *v * (size_t)(l->n - i));
    l->v[i] = *v;
    l->n++;
    return 0;
}

int vma_split_at(struct vma_list *l, uint32_t addr)
{
    struct vma *v = vma_find(l, addr);
    if (!v || v->start == addr)
        return 0;
    if (grow(l))
        return -ENOMEM;
    v = vma_find(l, addr);                 /* the array may have moved */
    int i = (int)(v - l->v);
    memmove(&l->v[i + 1], &l->v[i], sizeof *v * (size_t)(l->n - i));
    l->n++;
    struct vma *lo = &l->v[i], *hi = &l->v[i + 1];
    uint32_t cut = addr - lo->start;
    lo->end = addr;
    hi->start = addr;
    if (hi->file)
        hi->file->refs++;
    if (hi->kind == VMA_FILE) {
        hi->file_off += cut;
        hi->filesz = hi->filesz > cut ? hi->filesz - cut : 0;
        lo->filesz = lo->filesz < cut ? lo->filesz : cut;
    }
    return 0;
}

void vma_remove_range(struct vma_list *l, uint32_t start, uint32_t end)
{
    int w = 0;
    for (int r = 0; r < l->n; r++) {
        if (!(l->v[r].start >= start && l->v[r].end <= end))
            l->v[w++] = l->v[r];
        else
            vma_file_put(l->v[r].file);
    }
    l->n = w;
}

/* Can b (which starts where a ends) be folded into a?  Linux's vma_merge
 * rule in miniature: same kind, name and permissions, and for file
 * segments a continuous file range with no zero tail in a. */
static bool mergeable(const struct vma *a, const struct vma *b)
{
    if (a->end != b->start || a->kind != b->kind || a->perms != b->perms || a->file != b->file ||
        strcmp(a->name, b->name) != 0 || a->kind == VMA_STACK || a->kind == VMA_SIGPAGE)
        return false;
    if (a->kind == VMA_FILE)
        return a->filesz == a->end - a->start && b->file_off == a->file_off + a->filesz;
    return true;
}

void vma_merge_range(struct vma_list *l, uint32_t start, uint32_t end)
{
    int i = vma_first_above(l, start ? start - 1 : 0);
    if (i > 0)
        i--;
    while (i + 1 < l->n && l->v[i].start <= end) {
        struct vma *a = &l->v[i], *b = &l->v[i + 1];
        if (mergeable(a, b)) {
            if (a->kind == VMA_FILE)
                a->filesz += b->filesz;
            a->end = b->end;
            vma_file_put(b->file);
            memmove(b, b + 1, sizeof *b * (size_t)(l->n - i - 2));
            l->n--;
        } else {
            i++;
        }
    }
}

const char *vma_perm_str(unsigned perms, char buf[4])
{
    buf[0] = perms & 1 ? 'r' : '-';
    buf[1] = perms & 2 ? 'w' : '-';
    buf[2] = perms & 4 ? 'x' : '-';
    buf[3] = 0;
    return buf;
}

int vma_protect(struct proc *p, uint32_t start, uint32_t end, unsigned perms)
{
    if ((start | end) & PAGE_MASK || start >= end || perms > 7)
        return -EINVAL;
    /* Every page must be covered: walk the VMAs across the range. */
    uint32_t at = start;
    for (int i = vma_first_above(&p->vmas, start); at < end; i++) {
        if (i >= p->vmas.n || p->vmas.v[i].start > at)
            return -ENOMEM;
        at = p->vmas.v[i].end;
    }
    if (vma_split_at(&p->vmas, start) || vma_split_at(&p->vmas, end))
        return -ENOMEM;

    for (int i = vma_first_above(&p->vmas, start);
         i < p->vmas.n && p->vmas.v[i].start < end; i++) {
        struct vma *v = &p->vmas.v[i];
        unsigned old = v->perms;
        v->perms = perms;
        bool drop_code = ((old & 4) && !(perms & 4)) || (!(old & 2) && (perms & 2));
        for (uint32_t va = v->start; va < v->end; va += PAGE_SIZE) {
            uint32_t *pte = vm_pte(p, va, false);
            if (!pte || !pte_resident(*pte))
                continue;                   /* no frame (never touched, on swap, dropped) */
            uint32_t keep = *pte & ~(PTE_V | PTE_R | PTE_W | PTE_X | PTE_SW_MASK);
            *pte = perms ? keep | vm_pte_perms(perms) : keep | PTE_PARKED;
            if (drop_code)
                cpu_drop_decoded(&p->cpu, PTE_PPN(*pte));
        }
    }
    mmu_flush_range(&p->mmu, start, end - start);
    vma_merge_range(&p->vmas, start, end);
    return 0;
}
