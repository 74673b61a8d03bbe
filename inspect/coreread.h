/* inspect/coreread.h — reading a vmlab ELF core file back (PLATFORM.md §5,
 * kernel/core.h for our own VMLAB note).
 *
 * coreread_open() reads the whole file, checks every header, offset and
 * size against the file before using it, and decodes the notes into the
 * plain struct below: registers, signal, siginfo, prpsinfo, auxv, the
 * NT_FILE table, and the VMLAB note (fault record, Sv32 walk, segments).
 * Guest memory is read back from the PT_LOADs with coreread_mem().
 *
 * The struct is a decoded record, not an object with hidden state: callers
 * read its fields directly.  Every pointer in it is owned by it and freed
 * by coreread_free().
 */
#ifndef VMLAB_INSPECT_COREREAD_H
#define VMLAB_INSPECT_COREREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COREREAD_SEG_NAME 16         /* VMLAB note: char name[16] */

/* One PT_LOAD: [vaddr, vaddr+memsz) of which the first filesz bytes are in
 * the file at offset (filesz 0: the writer left the contents out). */
struct coreread_load {
    uint32_t vaddr, memsz, filesz;
    uint32_t offset;
    unsigned flags;                  /* PF_R 4 | PF_W 2 | PF_X 1 */
};

/* One NT_FILE entry: [start, end) maps path from page pgoff. */
struct coreread_file {
    uint32_t    start, end, pgoff;
    const char *path;                /* points into the core's bytes */
};

/* One segment of the VMLAB note. */
struct coreread_seg {
    uint32_t start, end;
    unsigned perms;                  /* PROT_READ 1 | PROT_WRITE 2 | PROT_EXEC 4 */
    uint32_t kind;                   /* enum vma_kind (kernel/vma.h) */
    uint32_t resident;               /* pages with a frame at dump time */
    /* from a version 2 note (all 0 in version 1): pages per state */
    uint32_t swapped;                /* on swap */
    uint32_t file_only;              /* dropped clean, in the file only */
    uint32_t untouched;              /* never touched */
    char     name[COREREAD_SEG_NAME + 1];
};

/* The VMLAB note (kernel/core.h), version VMLAB_NOTE_VERSION. */
struct coreread_vmlab {
    bool     present;                /* a note we understand was found */
    uint32_t version;                /* as found (also when not understood) */
    /* the fault that became the fatal signal, when fault_valid */
    bool     fault_valid;
    int      cause;                  /* CAUSE_* (mmu/sv32.h) */
    int      access;                 /* ACC_FETCH, ACC_LOAD, ACC_STORE */
    uint32_t addr, pc;
    int      si_code;
    bool     stack_overflow;
    /* the Sv32 walk of addr, made without touching A/D */
    int      walk_levels;            /* PTEs read: 0, 1 or 2 */
    uint64_t pte_addr[2];            /* [0] root entry, [1] leaf entry */
    uint32_t pte[2];
    uint32_t satp;
    /* process facts */
    uint64_t instret;
    uint32_t stack_limit, brk_start, brk;
    int      nseg;
    struct coreread_seg *seg;        /* sorted as the writer wrote them */
};

/* One thread: an NT_PRSTATUS note, and what the VMLAB threads note says
 * of it (kernel/core_note.h). */
struct coreread_thread {
    int      tid;                    /* pr_pid */
    uint32_t pc;
    uint32_t x[32];
    bool     has_info;               /* the VMLAB threads note has a record: */
    uint32_t state;                  /*   0 running, 1 futex wait, 2 exited */
    uint32_t futex;                  /*   the futex address it waits on */
    uint32_t stack_start, stack_end; /*   its stack mapping, or 0 0 */
};

struct coreread {
    uint8_t *data;                   /* the whole file (owned) */
    size_t   size;
    /* NT_PRSTATUS (required) */
    uint32_t pc;
    uint32_t x[32];                  /* x[0] is 0; x[i] = pr_reg[i] */
    int      cursig;                 /* pr_cursig */
    int      pr_pid;
    uint32_t sigpend, sighold;
    /* NT_SIGINFO */
    bool     has_siginfo;
    int      si_signo, si_errno, si_code;
    uint32_t si_addr;                /* offset 12: fault address, or si_pid */
    uint32_t si_uid;                 /* offset 16: kill/tkill sender's uid */
    /* NT_PRPSINFO */
    bool     has_prpsinfo;
    char     fname[17];              /* pr_fname, NUL-terminated */
    char     psargs[81];             /* pr_psargs, NUL-terminated */
    int      pid, ppid, uid, gid;
    /* NT_AUXV: pairs, AT_NULL excluded */
    int      nauxv;
    uint32_t (*auxv)[2];
    /* NT_FILE */
    int      nfile;
    uint32_t file_page_size;
    struct coreread_file *file;
    /* PT_LOADs in file order */
    int      nload;
    struct coreread_load *load;
    /* NT_VMLAB */
    struct coreread_vmlab vm;
    /* every NT_PRSTATUS in file order (thread[0] is the one above), and
     * the VMLAB threads note's facts */
    int      nthreads;
    struct coreread_thread *thread;
    int      overflow_tid;           /* whose stack guard page faulted, or 0 */
};

/* Read and validate the core file PATH into *c.  Returns 0, or -1 with one
 * line (no newline) in err saying what is wrong: "not an ELF file (bad
 * magic)", "an ELF core for x86-64, not RISC-V", "truncated: the notes run
 * past the end of the file", "NT_PRSTATUS is 208 bytes; an RV32 core's is
 * 204", ...  The caller prints "vmlab inspect: PATH: <err>".  Never reads
 * outside the file, whatever it holds.  On failure *c is left zeroed (no
 * coreread_free needed, though it is harmless). */
__attribute__((warn_unused_result))
int coreread_open(const char *path, struct coreread *c, char *err, size_t errlen);

/* The same from size bytes at buf (copied; for tests and fuzzing). */
__attribute__((warn_unused_result))
int coreread_open_mem(const void *buf, size_t size, struct coreread *c,
                      char *err, size_t errlen);

/* Free what coreread_open allocated and zero *c.  Safe on a zeroed one. */
void coreread_free(struct coreread *c);

/* Copy up to len bytes of guest memory starting at va into out.  Returns
 * how many leading bytes were available: it stops at the first byte that
 * no PT_LOAD holds in the file (an unmapped address, or a region whose
 * contents the writer left out: p_filesz 0).  Never wraps past 0xffffffff. */
size_t coreread_mem(const struct coreread *c, uint32_t va, void *out, size_t len);

/* The VMLAB segment containing va, or NULL (also when there is no note). */
const struct coreread_seg *coreread_seg_at(const struct coreread *c, uint32_t va);

/* "file", "anon", "heap", "stack", "sigpage" for a segment kind, or "?". */
const char *coreread_kind_name(uint32_t kind);

#endif
