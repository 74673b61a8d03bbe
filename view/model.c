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
                struct model_seg *ms = &m->seg[i];
                ms->s = tmp[i];
                ms->color = seg_color(&tmp[i]);
                ms->pages = (tmp[i].end - tmp[i].start) / VPAGE;
                ms->nslices = ms->pages < MODEL_SLICES ? (int)ms->pages : MODEL_SLICES;
                memset(ms->slice, 0, sizeof ms->slice);
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

int model_slice_of(const struct model_seg *s, uint32_t va)
{
    return (int)((uint64_t)((va - s->s.start) / VPAGE) * (uint64_t)s->nslices / s->pages);
}

uint32_t model_slice_pages(const struct model_seg *s, int k)
{
    /* the pages i with i * nslices / pages == k: i from ceil(k * pages / nslices) */
    uint64_t n = (uint64_t)s->nslices, p = s->pages;
    uint64_t lo = ((uint64_t)k * p + n - 1) / n, hi = ((uint64_t)(k + 1) * p + n - 1) / n;
    return (uint32_t)(hi - lo);
}

/* Colour every frame below the peak by what holds it, and count each
 * segment's resident pages per slice.  Consecutive frames usually hold
 * pages of one segment, so the last segment found is tried first. */
static void read_frames(struct model *m)
{
    uint32_t top = m->ctr.frames_peak < m->nframes ? m->ctr.frames_peak : m->nframes;
    int last = -1;
    for (uint32_t f = 0; f < top; f++) {
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
        s->slice[model_slice_of(s, va)][KQ_PAGE_RESIDENT]++;
    }
    m->fseen = top;
    m->scanned += top;
}

/* Pages on swap or dropped to the file, per slice: only segments that
 * have some are walked (never with the defaults, where nothing is
 * evicted); then the rest of each slice is "never touched". */
static void read_page_states(struct model *m)
{
    for (int i = 0; i < m->nseg; i++) {
        struct model_seg *s = &m->seg[i];
        if (s->s.swapped + s->s.file_only) {
            for (uint32_t n = 0; n < s->pages; n++) {
                uint32_t va = s->s.start + n * VPAGE;
                int st = kq_page_state(m->p, va, NULL);
                if (st == KQ_PAGE_SWAPPED || st == KQ_PAGE_FILE)
                    s->slice[model_slice_of(s, va)][st]++;
            }
        }
        for (int k = 0; k < s->nslices; k++) {
            uint16_t *c = s->slice[k];
            uint32_t in = (uint32_t)c[KQ_PAGE_RESIDENT] + c[KQ_PAGE_SWAPPED] + c[KQ_PAGE_FILE];
            uint32_t all = model_slice_pages(s, k);
            c[KQ_PAGE_UNTOUCHED] = (uint16_t)(all > in ? all - in : 0);
        }
    }
}

enum pal model_frame_color(const struct model *m, uint32_t f)
{
    return f < m->fseen ? (enum pal)m->fcolor[f] : PAL_EMPTY;
}

void model_read_live(struct model *m, uint32_t n)
{
    if (n > MODEL_LIVE_FRAMES)
        n = MODEL_LIVE_FRAMES;
    if (n > m->nframes)
        n = m->nframes;
    for (uint32_t f = 0; f < n; f++)
        kq_frame_info(m->p, f, &m->finfo[f]);
    m->nfinfo = n;
    m->scanned += n;
}

static void make_key(const struct model *m, uint64_t key[12])
{
    const struct kq_counters *c = &m->ctr;
    uint64_t k[12] = { c->syscalls, c->signals, c->faults_minor + c->faults_major,
                       c->evictions, c->faults_stack, c->faults_segv, c->frames_used,
                       c->tlb_flushes, c->swap_used, m->st.running, c->frames_peak, 0 };
    memcpy(key, k, sizeof k);
}

void model_invalidate(struct model *m)
{
    m->key[11] = UINT64_MAX;
}

bool model_refresh(struct model *m, int leaf_root)
{
    struct proc *p = m->p;
    struct kq_cpu now;
    kq_cpu(p, &now);
    if (now.instret != m->cpu.instret)
        m->prev = m->cpu;
    m->cpu = now;
    m->nthreads = kq_thread_list(p, m->thread, MODEL_THREADS);
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
    for (unsigned j = 0; j < MODEL_PTES; j++) {
        m->leaf_state[j] = KQ_PAGE_UNTOUCHED;
        m->leaf_slot[j] = 0;
        if (m->leaf_ok && m->leaf[j])
            m->leaf_state[j] = (uint8_t)kq_page_state(p, (uint32_t)leaf_root << 22 | j << 12,
                                                      &m->leaf_slot[j]);
    }
    m->policy = kq_policy(p, &m->hand);

    uint64_t key[12];
    make_key(m, key);
    if (!memcmp(key, m->key, sizeof key))
        return false;
    if (read_segments(m))
        return false;                     /* try again next time */
    memcpy(m->key, key, sizeof key);
    read_frames(m);
    read_page_states(m);
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
    w->state = kq_page_state(m->p, va, &w->slot);
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
    m->finfo = calloc(MODEL_LIVE_FRAMES, sizeof *m->finfo);
    m->segcap = 32;
    m->seg = calloc((size_t)m->segcap, sizeof *m->seg);
    if (!m->fcolor || !m->finfo || !m->seg) {
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
    free(m->finfo);
    m->seg = NULL;
    m->fcolor = NULL;
    m->finfo = NULL;
    m->nseg = m->segcap = 0;
}
