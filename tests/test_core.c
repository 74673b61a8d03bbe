/* tests/test_core.c — the ELF core writer: file layout and note sizes
 * (PLATFORM.md §5) read back by hand and by readelf; name patterns; the
 * size cap; failures never leave a partial file. */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/core.h"
#include "kernel/proc.h"
#include "tests/run.h"
#include "tests/suites.h"

static char tmpdir[64];

static int make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/vmlab-core-test.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        if (!strncmp(e->d_name, prefix, strlen(prefix)))
            n++;
    closedir(d);
    return n;
}

/* Crash hello by jumping to address 0 (a fetch fault, SEGV_MAPERR). */
static struct proc *crash(const char *pattern, uint64_t limit)
{
    char *argv[] = { (char *)test_path("guests/hello"), "x", NULL };
    char *envp[] = { NULL };
    struct proc_options o = { .mem_size = 8 << 20, .core_pattern = pattern, .core_limit = limit };
    char err[256];
    struct proc *p = proc_create(argv[0], argv, envp, &o, err, sizeof err);
    if (!p)
        return NULL;
    p->cpu.pc = 0;
    p->cpu.x[8] = 0x1234;
    proc_run(p);
    return p;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = malloc((size_t)n);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static uint32_t u32(const uint8_t *b, size_t off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static uint16_t u16(const uint8_t *b, size_t off) { uint16_t v; memcpy(&v, b + off, 2); return v; }

static void test_layout(void)
{
    CU_ASSERT_FATAL(make_tmpdir() == 0);
    char pat[128];
    snprintf(pat, sizeof pat, "%s/core.%%e.%%s", tmpdir);
    struct proc *p = crash(pat, UINT64_MAX);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_EQUAL(p->state, PROC_KILLED);
    CU_ASSERT_EQUAL(p->term_sig, 11);
    CU_ASSERT_TRUE_FATAL(p->core_dumped);
    char want[160];
    snprintf(want, sizeof want, "%s/core.hello.11", tmpdir);
    CU_ASSERT_STRING_EQUAL(p->core_path, want);
    size_t len;
    uint8_t *b = slurp(want, &len);
    CU_ASSERT_FATAL(b != NULL && len > 52);
    /* ELF header */
    CU_ASSERT_EQUAL(memcmp(b, "\177ELF\1\1\1", 7), 0);
    CU_ASSERT_EQUAL(u16(b, 16), 4);            /* ET_CORE */
    CU_ASSERT_EQUAL(u16(b, 18), 243);          /* EM_RISCV */
    CU_ASSERT_EQUAL(u32(b, 28), 52);           /* e_phoff */
    CU_ASSERT_EQUAL(u16(b, 42), 32);
    CU_ASSERT_EQUAL(u16(b, 44), 1 + p->vmas.n);
    /* PT_NOTE first, then PT_LOADs in address order with their perms */
    CU_ASSERT_EQUAL(u32(b, 52), 4);
    uint32_t noff = u32(b, 52 + 4), nsz = u32(b, 52 + 16);
    CU_ASSERT_FATAL(noff + nsz <= len);
    uint32_t prev = 0;
    for (int i = 0; i < p->vmas.n; i++) {
        const uint8_t *ph = b + 52 + 32 * (1 + i);
        CU_ASSERT_EQUAL(u32(ph, 0), 1);
        CU_ASSERT_EQUAL(u32(ph, 8), p->vmas.v[i].start);
        CU_ASSERT_EQUAL(u32(ph, 20), p->vmas.v[i].end - p->vmas.v[i].start);
        CU_ASSERT_EQUAL(u32(ph, 16), u32(ph, 20));          /* everything dumped */
        CU_ASSERT_EQUAL(u32(ph, 4) % 4096, 0);
        CU_ASSERT(u32(ph, 4) + u32(ph, 16) <= len);
        unsigned perms = p->vmas.v[i].perms;
        CU_ASSERT_EQUAL(u32(ph, 24), (perms & 1 ? 4u : 0) | (perms & 2 ? 2u : 0) | (perms & 4 ? 1u : 0));
        CU_ASSERT(u32(ph, 8) >= prev);
        prev = u32(ph, 8);
    }
    /* notes in the kernel's order, with their exact sizes */
    const uint32_t types[] = { NT_PRSTATUS, NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE, NT_VMLAB };
    const char *names[] = { "CORE", "CORE", "CORE", "CORE", "CORE", "VMLAB" };
    size_t o = noff;
    for (int i = 0; i < 6; i++) {
        CU_ASSERT_FATAL(o + 12 <= noff + nsz);
        uint32_t namesz = u32(b, o), descsz = u32(b, o + 4), type = u32(b, o + 8);
        CU_ASSERT_EQUAL(type, types[i]);
        CU_ASSERT_STRING_EQUAL((const char *)b + o + 12, names[i]);
        size_t desc = o + 12 + ((namesz + 3) & ~3u);
        if (type == NT_PRSTATUS) {
            CU_ASSERT_EQUAL(descsz, 204);
            CU_ASSERT_EQUAL(u16(b, desc + 12), 11);                 /* pr_cursig */
            CU_ASSERT_EQUAL(u32(b, desc + 24), (uint32_t)p->pid);   /* pr_pid */
            CU_ASSERT_EQUAL(u32(b, desc + 72), 0);                  /* pc */
            CU_ASSERT_EQUAL(u32(b, desc + 72 + 4 * 2), p->cpu.x[2]); /* sp */
            CU_ASSERT_EQUAL(u32(b, desc + 72 + 4 * 8), 0x1234);     /* s0 */
        } else if (type == NT_PRPSINFO) {
            CU_ASSERT_EQUAL(descsz, 128);
            CU_ASSERT_STRING_EQUAL((const char *)b + desc + 32, "hello");
            CU_ASSERT(strstr((const char *)b + desc + 48, "hello x") != NULL);
        } else if (type == NT_SIGINFO) {
            CU_ASSERT_EQUAL(descsz, 128);
            CU_ASSERT_EQUAL(u32(b, desc), 11);
            CU_ASSERT_EQUAL(u32(b, desc + 8), 1);                   /* SEGV_MAPERR */
            CU_ASSERT_EQUAL(u32(b, desc + 12), 0);                  /* si_addr */
        } else if (type == NT_AUXV) {
            CU_ASSERT_EQUAL(descsz % 8, 0);
            CU_ASSERT_EQUAL(u32(b, desc + descsz - 8), 0);          /* AT_NULL */
        } else if (type == NT_FILE) {
            CU_ASSERT_EQUAL(u32(b, desc), 3);                       /* text rodata data */
            CU_ASSERT_EQUAL(u32(b, desc + 4), 4096);
        } else if (type == NT_VMLAB) {
            CU_ASSERT_EQUAL(u32(b, desc), VMLAB_NOTE_VERSION);
            CU_ASSERT_EQUAL(u32(b, desc + 4), 1);                   /* fault valid */
            CU_ASSERT_EQUAL(u32(b, desc + 8), CAUSE_FETCH_PAGE_FAULT);
            uint32_t states = 0;                                    /* version 2 */
            for (int i = 0; i < p->vmas.n; i++)
                states += VMLAB_NOTE_STATES((p->vmas.v[i].end - p->vmas.v[i].start) / PAGE_SIZE);
            CU_ASSERT_EQUAL(descsz, VMLAB_NOTE_HEAD + VMLAB_NOTE_SEG * (uint32_t)p->vmas.n + states);
        }
        o = desc + ((descsz + 3) & ~3u);
    }
    CU_ASSERT_EQUAL(o, noff + nsz);
    /* the text segment's bytes are the program's */
    const uint8_t *ph1 = b + 52 + 32;
    CU_ASSERT_EQUAL(memcmp(b + u32(ph1, 4) + (p->img.entry - 0x10000),
                           p->img.data + p->img.seg[0].file_off + (p->img.entry - p->img.seg[0].start), 16), 0);
    CU_ASSERT_EQUAL(count_files(tmpdir, ".vmlab-core"), 0);
    free(b);

    /* readelf parses every note without a warning */
    if (have_program("readelf")) {
        struct run_result r;
        char *argv[] = { "readelf", "-n", "-l", want, NULL };
        CU_ASSERT_EQUAL(run_cmd(argv, NULL, NULL, 30, &r), 0);
        CU_ASSERT_EQUAL(r.status, 0);
        const char *expect[] = { "NT_PRSTATUS", "NT_PRPSINFO", "NT_SIGINFO", "NT_AUXV",
                                 "NT_FILE", "VMLAB", "LOAD", "NOTE" };
        for (int i = 0; i < 8; i++)
            CU_ASSERT_PTR_NOT_NULL(strstr(r.out, expect[i]));
        CU_ASSERT_EQUAL(r.errlen, 0);
        if (r.errlen)
            fprintf(stderr, "\nreadelf: %s\n", r.err);
        run_free(&r);
    } else {
        CU_FAIL("readelf is not installed");
    }
    proc_destroy(p);
    CU_ASSERT(remove_tmpdir() == 0);
}

static void test_limits_and_failures(void)
{
    CU_ASSERT_FATAL(make_tmpdir() == 0);
    char pat[128];
    snprintf(pat, sizeof pat, "%s/c.%%p", tmpdir);
    /* limit 0: nothing */
    struct proc *p = crash(pat, 0);
    CU_ASSERT_FATAL(p != NULL);
    CU_ASSERT_FALSE(p->core_dumped);
    proc_destroy(p);
    /* too small for the notes: nothing, no temp file left */
    p = crash(pat, 1000);
    CU_ASSERT_FALSE(p->core_dumped);
    proc_destroy(p);
    CU_ASSERT_EQUAL(count_files(tmpdir, ""), 2);                /* . and .. */
    /* room for the notes and some memory: later segments get p_filesz 0 */
    p = crash(pat, 5 * 4096);
    CU_ASSERT_TRUE_FATAL(p->core_dumped);
    struct stat st;
    CU_ASSERT_EQUAL(stat(p->core_path, &st), 0);
    CU_ASSERT(st.st_size <= 5 * 4096);
    size_t len;
    uint8_t *b = slurp(p->core_path, &len);
    CU_ASSERT_FATAL(b != NULL);
    int zero = 0;
    for (int i = 0; i < p->vmas.n; i++)
        zero += u32(b + 52 + 32 * (1 + i), 16) == 0;
    CU_ASSERT(zero > 0);
    free(b);
    proc_destroy(p);
    /* an unwritable place: a warning, no file */
    p = crash("/proc/vmlab-no-such-dir/core", UINT64_MAX);
    CU_ASSERT_FALSE(p->core_dumped);
    CU_ASSERT_EQUAL(p->term_sig, 11);
    proc_destroy(p);
    CU_ASSERT(remove_tmpdir() == 0);
}

static void test_pattern(void)
{
    char buf[64];
    CU_ASSERT_EQUAL(core_expand_pattern("core.%e.%p", "prog", 42, 11, 7, buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "core.prog.42");
    CU_ASSERT_EQUAL(core_expand_pattern("d/%s-%t-%%-%q", "x", 1, 6, 99, buf, sizeof buf), 0);
    CU_ASSERT_STRING_EQUAL(buf, "d/6-99-%-%q");
    CU_ASSERT_EQUAL(core_expand_pattern("%e%e%e%e%e", "0123456789abcde", 1, 1, 1, buf, sizeof buf),
                    -ENAMETOOLONG);
    CU_ASSERT_EQUAL(core_expand_pattern("", "x", 1, 1, 1, buf, sizeof buf), -ENAMETOOLONG);
}

void core_suite_add(void)
{
    CU_pSuite s = CU_add_suite("core", NULL, NULL);
    CU_add_test(s, "core file layout, notes, readelf", test_layout);
    CU_add_test(s, "core limit, unwritable directory", test_limits_and_failures);
    CU_add_test(s, "core name patterns", test_pattern);
}
