/* view/model.c — see model.h. */
#include "view/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A segment's frame colour: by its name, else by its kind (enum vma_kind
 * order: file, anon, heap, stack, sigpage). */
static enum pal seg_color(const struct kq_segment *s)
{
    static const struct { const char *name; enum pal c; } by_name[] = {
        { "text", PAL_SEG_TEXT }, { "rodata", PAL_SEG_RODATA }, { "data", PAL_SEG_DATA },
        { "bss", PAL_SEG_BSS }, { "heap", PAL_SEG_HEAP }, { "stack", PAL_SEG_STACK },
        { "[sigpage]", PAL_SEG_SIGPAGE }, { "mmap", PAL_SEG_MMAP },
    };
    for (size_t i = 0; i < sizeof by_name / sizeof by_name[0]; i++)
        if (!strcmp(s->name, by_name[i].name))
            return by_name[i].c;
    switch (s->kind) {
    case 1: return PAL_SEG_MMAP;
    case 2: return PAL_SEG_HEAP;
    case 3: return PAL_SEG_STACK;
    case 4: return PAL_SEG_SIGPAGE;
    default: return PAL_SEG_DATA;
    }
}

int model_seg_at(const struct model *m, uint32_t va)
{
    int lo = 0, hi = m->nseg;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (va < m->seg[mid].s.start)
            hi = mid;
        else if (va >= m->seg[mid].s.end)
            lo = mid + 1;
        else
            return mid;
    }
    return -1;
}

static int read_segments(struct model *m)
{
    for (;;) {
        struct kq_segment *tmp = malloc((size_t)(m->segcap ? m->segcap : 1) * sizeof *tmp);
        if (!tmp)
            return -ENOMEM;
        int n = kq_segments(m->p, tmp, m->segcap);
        if (n <= m->segcap) {
            for (int i = 0; i < n; i++) {
                m->seg[i].s = tmp[i];
                m->seg[i].color = seg_color(&tmp[i]);
                m->seg[i].touched = 0;
            }
            m->nseg = n;
            free(tmp);
            return 0;
        }
        free(tmp);
        int cap = n + n / 2 + 16;
        struct model_seg *grown = realloc(m->seg, (size_t)cap * sizeof *grown);
        if (!grown)
            return -ENOMEM;
        m->seg = grown;
        m->segcap = cap;
    }
}

/* Colour every frame by what holds it, and mark where each segment has
 * frames.  Consecutive frames usually hold pages of one segment, so the
 * last segment found is tried first. */
static void read_frames(struct model *m)
{
    int last = -1;
    for (uint32_t f = 0; f < m->nframes; f++) {
        uint32_t vpn = 0;
        int use = kq_frame(m->p, f, &vpn);
        if (use == KQ_FRAME_FREE) {
            m->fcolor[f] = PAL_EMPTY;
            continue;
        }
        if (use == KQ_FRAME_PAGETABLE) {
            m->fcolor[f] = PAL_TABLE;
            continue;
        }
        uint32_t va = vpn * VPAGE;
        if (last < 0 || va < m->seg[last].s.start || va >= m->seg[last].s.end)
            last = model_seg_at(m, va);
        if (last < 0) {
            m->fcolor[f] = PAL_SEG_OTHER;
            continue;
        }
        struct model_seg *s = &m->seg[last];
        m->fcolor[f] = (uint8_t)s->color;
        uint64_t pages = (s->s.end - s->s.start) / VPAGE;
        uint64_t b = (uint64_t)(va - s->s.start) / VPAGE * MODEL_BUCKETS / pages;
        s->touched |= 1ull << b;
    }
}

static void make_key(const struct model *m, uint64_t key[10])
{
    const struct kq_counters *c = &m->ctr;
    uint64_t k[10] = { c->syscalls, c->signals, c->faults_zero, c->faults_file,
                       c->faults_stack, c->faults_segv, c->frames_used, c->tlb_flushes,
                       m->st.running, 0 };
    memcpy(key, k, sizeof k);
}

void model_invalidate(struct model *m)
{
    m->key[9] = UINT64_MAX;
}

bool model_refresh(struct model *m, int leaf_root)
{
    struct proc *p = m->p;
    struct kq_cpu now;
    kq_cpu(p, &now);
    if (now.instret != m->cpu.instret)
        m->prev = m->cpu;
    m->cpu = now;
    m->disasm_ok = kq_disasm(p, now.pc, m->disasm, sizeof m->disasm);
    kq_counters(p, &m->ctr);
    kq_state(p, &m->st);
    m->nev = kq_events(p, m->ev, MODEL_EVENTS);
    m->satp = kq_satp(p);
    for (unsigned i = 0; i < MODEL_PTES; i++)
        m->root[i] = kq_root_pte(p, i);
    m->leaf_of = leaf_root;
    m->leaf_ok = false;
    if (leaf_root >= 0 && leaf_root < MODEL_PTES) {
        m->leaf_ok = kq_leaf_pte(p, (unsigned)leaf_root, 0, &m->leaf[0]);
        for (unsigned j = 1; m->leaf_ok && j < MODEL_PTES; j++)
            kq_leaf_pte(p, (unsigned)leaf_root, j, &m->leaf[j]);
    }
    if (!m->leaf_ok)
        memset(m->leaf, 0, sizeof m->leaf);

    uint64_t key[10];
    make_key(m, key);
    if (!memcmp(key, m->key, sizeof key))
        return false;
    if (read_segments(m))
        return false;                     /* try again next time */
    memcpy(m->key, key, sizeof key);
    read_frames(m);
    m->gen++;
    return true;
}

void model_walk(struct model *m, uint32_t va, int access)
{
    struct model_walk *w = &m->walk;
    memset(w, 0, sizeof *w);
    w->va = va;
    w->access = access;
    w->cause = kq_walk(m->p, va, access, &w->levels, w->pte_addr, w->pte, &w->pa);
    for (int a = 0; a < 3; a++) {
        int levels;
        uint64_t pa_[2], pa;
        uint32_t pte[2];
        if (kq_walk(m->p, va, a, &levels, pa_, pte, &pa) == 0)
            w->allowed |= 1u << a;
    }
}

int model_table_fill(const struct model *m, unsigned i)
{
    if (i >= MODEL_PTES || !(m->root[i] & VPTE_V) || VPTE_IS_LEAF(m->root[i]))
        return 0;
    int n = 0;
    for (unsigned j = 0; j < MODEL_PTES; j++) {
        uint32_t pte;
        if (kq_leaf_pte(m->p, i, j, &pte) && (pte & VPTE_V))
            n++;
    }
    return n;
}

int model_init(struct model *m, struct proc *p)
{
    memset(m, 0, sizeof *m);
    m->p = p;
    m->leaf_of = -1;
    m->nframes = kq_nframes(p);
    m->fcolor = calloc(m->nframes ? m->nframes : 1, 1);
    m->segcap = 32;
    m->seg = calloc((size_t)m->segcap, sizeof *m->seg);
    if (!m->fcolor || !m->seg) {
        model_free(m);
        return -ENOMEM;
    }
    model_invalidate(m);
    model_refresh(m, -1);
    m->prev = m->cpu;
    return 0;
}

void model_free(struct model *m)
{
    free(m->seg);
    free(m->fcolor);
    m->seg = NULL;
    m->fcolor = NULL;
    m->nseg = m->segcap = 0;
}
