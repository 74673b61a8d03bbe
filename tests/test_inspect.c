/* tests/test_inspect.c — the core reader (inspect/coreread.c) and
 * `vmlab inspect`: the report model (inspect/report.c) and its two
 * renderings (inspect/render.c).
 *
 * Real cores come from running build/vmlab on the crashing samples
 * guests/write_text (a store into a function's code: SEGV_ACCERR) and
 * guests/null_deref (a store through NULL: SEGV_MAPERR), each into its own
 * mkdtemp directory.  The reader is checked field by field, the model
 * field by field, the report for its phrases, and --json with a strict
 * JSON parser (and python3 when it is installed); each fact of the model
 * that both renderings state must be found in both.  Broken cores — truncated at every 7th byte and at every
 * boundary, corrupt note sizes, foreign machines and classes, a program
 * instead of a core, random bytes, empty, a directory, a missing file —
 * must give -1 and one error line; under ASan that also proves no read
 * goes out of bounds.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel/core.h"
#include "inspect/coreread.h"
#include "tests/rvelf.h"
#include "inspect/render.h"
#include "inspect/report.h"
#include "kernel/elf.h"
#include "kernel/signal.h"
#include "kernel/vm.h"
#include "kernel/vma.h"
#include "cli/cli.h"
#include "tests/run.h"
#include "tests/suites.h"

void inspect_suite_add(void);

/* ------------------------------------------------------------------------
 * Fixture: a temporary directory holding one core */

struct fx {
    char dir[64];
    char core[128];
    char guest[512];
};

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d));) {
        char p[600];
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_dir(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static bool fx_dir(struct fx *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/vmlab-inspect-test.XXXXXX");
    return mkdtemp(f->dir) != NULL;
}

/* Run NAME (a path under the build directory) with one argument (or
 * none) under vmlab so that it dies of sig and dumps f->dir/core. */
static bool fx_core_arg(struct fx *f, const char *name, const char *arg, int sig)
{
    if (!fx_dir(f))
        return false;
    snprintf(f->guest, sizeof f->guest, "%s", test_path(name));
    snprintf(f->core, sizeof f->core, "%s/core", f->dir);
    char pattern[128];
    snprintf(pattern, sizeof pattern, "%s/core", f->dir);
    char *argv[] = { (char *)test_path("vmlab"), "run", "--core-pattern", pattern,
                     f->guest, (char *)arg, NULL };
    struct run_result r;
    if (run_cmd(argv, NULL, NULL, 60, &r) != 0)
        return false;
    bool ok = r.status == 128 + sig && access(f->core, R_OK) == 0;
    if (!ok)
        fprintf(stderr, "\n%s: status %d, stderr: %s\n", name, r.status, r.err);
    run_free(&r);
    return ok;
}

static bool fx_core_sig(struct fx *f, const char *name, int sig)
{
    return fx_core_arg(f, name, NULL, sig);
}

static void fx_done(struct fx *f)
{
    if (f->dir[0])
        rm_dir(f->dir);
}

/* A SIGSEGV core of guests/NAME; on failure the test fails, the fixture
 * is cleaned up, and false is returned (the caller just returns). */
static bool fx_core(struct fx *f, const char *name)
{
    if (fx_core_sig(f, name, SIGSEGV))
        return true;
    CU_FAIL("could not make a core of the guest");
    fx_done(f);
    return false;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    uint8_t *b = NULL;
    *len = 0;
    if (!fp)
        return NULL;
    if (fseek(fp, 0, SEEK_END) == 0) {
        long n = ftell(fp);
        if (n >= 0 && fseek(fp, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1)) != NULL) {
            if (fread(b, 1, (size_t)n, fp) != (size_t)n) {
                free(b);
                b = NULL;
            } else {
                *len = (size_t)n;
            }
        }
    }
    fclose(fp);
    return b;
}

static bool spit(const char *path, const void *b, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return false;
    bool ok = fwrite(b, 1, n, fp) == n;
    return fclose(fp) == 0 && ok;
}

/* The whole contents of a stream, NUL-terminated (malloc'd). */
static char *drain(FILE *fp)
{
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    rewind(fp);
    for (int ch; s && (ch = fgetc(fp)) != EOF;) {
        if (n + 1 >= cap) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                return NULL;
            }
            s = t;
        }
        s[n++] = (char)ch;
    }
    if (s)
        s[n] = 0;
    return s;
}

struct out {
    int   rc;
    char *out, *err;
};

/* `vmlab inspect` (cli/inspect.c) with up to four arguments. */
static struct out inspect(const char *a1, const char *a2, const char *a3, const char *a4)
{
    struct out o = { .rc = -1 };
    char *argv[6] = { "inspect" };
    int argc = 1;
    const char *args[4] = { a1, a2, a3, a4 };
    for (int i = 0; i < 4 && args[i]; i++)
        argv[argc++] = (char *)args[i];
    FILE *fo = tmpfile(), *fe = tmpfile();
    if (fo && fe) {
        o.rc = cmd_inspect_streams(fo, fe, argc, argv);
        o.out = drain(fo);
        o.err = drain(fe);
    }
    if (fo)
        fclose(fo);
    if (fe)
        fclose(fe);
    return o;
}

static void out_free(struct out *o)
{
    free(o->out);
    free(o->err);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/* ------------------------------------------------------------------------
 * A strict JSON parser (RFC 8259 grammar), enough to prove validity */

static const char *j_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    return p;
}

static const char *j_value(const char *p, int depth);

static const char *j_string(const char *p)
{
    if (*p++ != '"')
        return NULL;
    while (*p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
                        return NULL;
                p += 5;
                continue;
            }
            if (!*p || !strchr("\"\\/bfnrt", *p))
                return NULL;
        }
        p++;
    }
    return p + 1;
}

static const char *j_number(const char *p)
{
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return NULL;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return p;
}

static const char *j_list(const char *p, int depth, char close, bool object)
{
    p = j_ws(p + 1);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (object) {
            p = j_string(j_ws(p));
            if (!p)
                return NULL;
            p = j_ws(p);
            if (*p++ != ':')
                return NULL;
        }
        p = j_value(p, depth + 1);
        if (!p)
            return NULL;
        p = j_ws(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *j_value(const char *p, int depth)
{
    if (depth > 64)
        return NULL;
    p = j_ws(p);
    switch (*p) {
    case '{': return j_list(p, depth, '}', true);
    case '[': return j_list(p, depth, ']', false);
    case '"': return j_string(p);
    case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
    case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
    case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
    default:  return j_number(p);
    }
}

/* One JSON object and nothing else (but whitespace). */
static bool json_valid(const char *s)
{
    s = j_ws(s);
    if (*s != '{')
        return false;
    const char *e = j_value(s, 0);
    return e && *j_ws(e) == 0;
}

static void test_json_parser_self_check(void)
{
    CU_ASSERT_TRUE(json_valid("{\"a\": [1, -2.5e3, \"x\\u00ff\\n\", true, null, {}]}\n"));
    CU_ASSERT_FALSE(json_valid("{\"a\": [1, 2,]}"));
    CU_ASSERT_FALSE(json_valid("{\"a\": \"unterminated}"));
    CU_ASSERT_FALSE(json_valid("{\"a\": 1} {"));
    CU_ASSERT_FALSE(json_valid("{\"a\": \"\x01\"}"));
    CU_ASSERT_FALSE(json_valid("{a: 1}"));
}

/* ------------------------------------------------------------------------
 * Reading real cores */

static void test_read_write_text(void)
{
    struct fx f;
    struct coreread c;
    char err[256] = "";
    if (!fx_core(&f, "guests/write_text"))
        return;
    CU_ASSERT_EQUAL_FATAL(coreread_open(f.core, &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.cursig, SIGSEGV);
    CU_ASSERT_TRUE(c.has_siginfo);
    CU_ASSERT_EQUAL(c.si_signo, SIGSEGV);
    CU_ASSERT_EQUAL(c.si_errno, 0);
    CU_ASSERT_EQUAL(c.si_code, SEGV_ACCERR);
    CU_ASSERT_TRUE(c.vm.present);
    CU_ASSERT_EQUAL(c.vm.version, VMLAB_NOTE_VERSION);
    CU_ASSERT_TRUE(c.vm.fault_valid);
    CU_ASSERT_EQUAL(c.vm.access, 2);                   /* ACC_STORE */
    CU_ASSERT_EQUAL(c.vm.addr, c.si_addr);
    CU_ASSERT_EQUAL(c.vm.pc, c.pc);
    CU_ASSERT_EQUAL(c.vm.si_code, SEGV_ACCERR);
    CU_ASSERT_FALSE(c.vm.stack_overflow);
    CU_ASSERT_EQUAL(c.vm.walk_levels, 2);
    CU_ASSERT_TRUE(c.vm.pte[1] & 1);                   /* leaf valid ... */
    CU_ASSERT_FALSE(c.vm.pte[1] & 4);                  /* ... but not writable */
    CU_ASSERT_EQUAL(c.x[0], 0);

    const struct coreread_seg *g = coreread_seg_at(&c, c.si_addr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_STRING_EQUAL(g->name, "text");
    CU_ASSERT_EQUAL(g->perms, 5);                      /* r-x */
    CU_ASSERT_EQUAL(g->kind, VMA_FILE);
    CU_ASSERT_PTR_EQUAL(coreread_seg_at(&c, c.pc), g);
    bool stack = false;
    for (int i = 0; i < c.vm.nseg; i++)
        if (!strcmp(c.vm.seg[i].name, "stack") && c.vm.seg[i].kind == VMA_STACK) {
            stack = true;
            CU_ASSERT_TRUE(c.x[2] >= c.vm.seg[i].start && c.x[2] < c.vm.seg[i].end);
            CU_ASSERT_TRUE(c.vm.seg[i].resident >= 1);
        }
    CU_ASSERT_TRUE(stack);
    CU_ASSERT_EQUAL(c.vm.stack_limit, 8u << 20);
    CU_ASSERT_TRUE(c.vm.instret > 0);

    /* prpsinfo, NT_FILE and auxv name the program and describe it */
    CU_ASSERT_TRUE(c.has_prpsinfo);
    CU_ASSERT_STRING_EQUAL(c.fname, "write_text");
    CU_ASSERT_EQUAL(strncmp(c.psargs, f.guest, strlen(f.guest)), 0);
    CU_ASSERT_EQUAL(c.pid, c.pr_pid);
    CU_ASSERT_TRUE_FATAL(c.nfile >= 1);
    char *abs = realpath(f.guest, NULL);                        /* NT_FILE: absolute, as Linux */
    CU_ASSERT_PTR_NOT_NULL_FATAL(abs);
    CU_ASSERT_STRING_EQUAL(c.file[0].path, abs);
    free(abs);
    CU_ASSERT_EQUAL(c.file_page_size, 4096);
    CU_ASSERT_TRUE(c.file[0].start <= c.pc && c.pc < c.file[0].end);
    bool pagesz = false;
    for (int i = 0; i < c.nauxv; i++)
        pagesz |= c.auxv[i][0] == 6 && c.auxv[i][1] == 4096;      /* AT_PAGESZ */
    CU_ASSERT_TRUE(pagesz);

    /* memory: the instruction at pc and the stored-to word match the program */
    struct elf_image img;
    CU_ASSERT_EQUAL_FATAL(elf_load(f.guest, &img, err, sizeof err), 0);
    uint8_t core_bytes[16], file_bytes[16];
    CU_ASSERT_EQUAL(coreread_mem(&c, c.si_addr & ~3u, core_bytes, 16), 16);
    for (int i = 0; i < img.nseg; i++) {
        const struct elf_seg *s = &img.seg[i];
        uint32_t a = c.si_addr & ~3u;
        if (a >= s->start && a + 16 <= s->start + s->filesz) {
            memcpy(file_bytes, img.data + s->file_off + (a - s->start), 16);
            CU_ASSERT_EQUAL(memcmp(core_bytes, file_bytes, 16), 0);   /* nothing stored */
        }
    }
    uint32_t off;
    CU_ASSERT_PTR_NOT_NULL(elf_symbol(&img, c.pc, &off));
    elf_free(&img);
    coreread_free(&c);
    fx_done(&f);
}

static void test_read_null_deref(void)
{
    struct fx f;
    struct coreread c;
    char err[256] = "";
    uint8_t b[8];
    if (!fx_core(&f, "guests/null_deref"))
        return;
    CU_ASSERT_EQUAL_FATAL(coreread_open(f.core, &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.cursig, SIGSEGV);
    CU_ASSERT_EQUAL(c.si_code, SEGV_MAPERR);
    CU_ASSERT_TRUE(c.si_addr < 4096);
    CU_ASSERT_TRUE(c.vm.fault_valid);
    CU_ASSERT_EQUAL(c.vm.addr, c.si_addr);
    CU_ASSERT_EQUAL(c.vm.pc, c.pc);
    CU_ASSERT_PTR_NULL(coreread_seg_at(&c, c.si_addr));
    CU_ASSERT_EQUAL(coreread_mem(&c, c.si_addr, b, sizeof b), 0);
    CU_ASSERT_TRUE(c.vm.walk_levels >= 1);
    /* the leaf (or root) entry for page 0 is not valid */
    CU_ASSERT_FALSE(c.vm.pte[c.vm.walk_levels - 1] & 1);
    coreread_free(&c);
    fx_done(&f);
}

/* coreread_mem: partial reads at the end of a PT_LOAD, holes, the top of
 * the address space, reads spanning adjacent PT_LOADs. */
static void test_mem_edges(void)
{
    struct fx f;
    struct coreread c;
    char err[256];
    uint8_t b[64];
    if (!fx_core(&f, "guests/write_text"))
        return;
    CU_ASSERT_EQUAL_FATAL(coreread_open(f.core, &c, err, sizeof err), 0);
    CU_ASSERT_TRUE_FATAL(c.nload >= 2);
    for (int i = 0; i < c.nload; i++) {
        const struct coreread_load *l = &c.load[i];
        if (!l->filesz)
            continue;
        uint32_t end = l->vaddr + l->filesz;
        bool next_adjacent = false;
        for (int k = 0; k < c.nload; k++)
            next_adjacent |= c.load[k].vaddr == end && c.load[k].filesz > 0;
        size_t n = coreread_mem(&c, end - 8, b, sizeof b);
        CU_ASSERT_TRUE(next_adjacent ? n == sizeof b : n == 8);
        CU_ASSERT_EQUAL(memcmp(b, c.data + l->offset + l->filesz - 8, 8), 0);
    }
    CU_ASSERT_EQUAL(coreread_mem(&c, 0xfffffffcu, b, sizeof b), 0);
    CU_ASSERT_EQUAL(coreread_mem(&c, 0x0, b, sizeof b), 0);
    CU_ASSERT_EQUAL(coreread_mem(&c, c.pc, b, 0), 0);
    CU_ASSERT_STRING_EQUAL(coreread_kind_name(VMA_STACK), "stack");
    CU_ASSERT_STRING_EQUAL(coreread_kind_name(99), "?");
    coreread_free(&c);
    coreread_free(&c);                                  /* harmless twice */
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * The report */

static void test_report_write_text(void)
{
    struct fx f;
    struct coreread c;
    struct elf_image img;
    char err[256];
    if (!fx_core(&f, "guests/write_text"))
        return;
    CU_ASSERT_EQUAL_FATAL(coreread_open(f.core, &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL_FATAL(elf_load(f.guest, &img, err, sizeof err), 0);
    uint32_t off;
    const char *fn = elf_symbol(&img, c.pc, &off);

    struct out o = inspect(f.core, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o.out);
    CU_ASSERT_STRING_EQUAL(o.err, "");
    CU_ASSERT_EQUAL(strncmp(o.out, "Program ", 8), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "was killed by SIGSEGV (Segmentation fault), SEGV_ACCERR."));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "Cause: store to 0x"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "in segment text (r-x): the segment is not writable."));
    CU_ASSERT_PTR_NOT_NULL(fn && strstr(o.out, fn));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "write_text.c:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, " in main"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "VPN[1]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "VPN[0]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "leaf PTE has W=0: a store is not allowed"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "<-- fault"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "Memory around 0x"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "Top of the stack"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "  zero 0x00000000  ra   0x"));
    /* sections in the documented order */
    const char *order[] = { "Cause:", "\nInstruction\n", "\nRegisters\n", "\nBacktrace\n",
                            "\nMemory map\n", "\nSv32 walk of", "\nMemory around",
                            "\nTop of the stack" };
    const char *prev = o.out;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *at = strstr(o.out, order[i]);
        CU_ASSERT_PTR_NOT_NULL(at);
        CU_ASSERT_TRUE(at && at >= prev);
        if (at)
            prev = at;
    }
    out_free(&o);
    elf_free(&img);
    coreread_free(&c);
    fx_done(&f);
}

static void test_report_null_deref(void)
{
    struct fx f;
    if (!fx_core(&f, "guests/null_deref"))
        return;
    struct out o = inspect(f.core, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o.out);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "SEGV_MAPERR"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "a NULL pointer dereference: page 0 is never mapped"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "null_deref.c:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, " in main"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "<-- fault: no segment here"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "PTE V=0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "not mapped"));
    out_free(&o);
    fx_done(&f);
}

/* A fault inside picolibc, which is built without frame pointers: the
 * backtrace goes through the library with the program's call frame
 * information, with picolibc's source lines (tests/guests/crash_in_libc.c;
 * its extra argument links strerror, whose debug ranges libdw rejects, so
 * the lines also come when .debug_aranges cannot be read). */
static void test_report_through_picolibc(void)
{
    static const struct {
        const char *mode;
        const char *frames[5];          /* in order, each after the one before */
    } cases[] = {
        { "strlen", { "in strlen", "strlen.c:", "in name_length", "in greet", "in main" } },
        { "qsort", { "in by_weight", "in qsort", "qsort.c:", "in sort_items", "in main" } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct fx f;
        if (!fx_dir(&f))
            return;
        fx_done(&f);
        if (!fx_core_arg(&f, "tests/guests/crash_in_libc", cases[i].mode, SIGSEGV)) {
            CU_FAIL("could not make a core of crash_in_libc");
            fx_done(&f);
            return;
        }
        struct out o = inspect(f.core, NULL, NULL, NULL);
        CU_ASSERT_EQUAL(o.rc, 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL(o.out);
        const char *bt = strstr(o.out, "\nBacktrace\n"), *p = bt;
        CU_ASSERT_PTR_NOT_NULL_FATAL(bt);
        for (int k = 0; k < 5; k++) {
            const char *q = strstr(p, cases[i].frames[k]);
            CHECK(q != NULL, "crash_in_libc %s: \"%s\" missing or out of order in:\n%s",
                  cases[i].mode, cases[i].frames[k], bt);
            if (q)
                p = q;
        }
        CHECK(strstr(bt, "_start") != NULL && strstr(bt, "the outermost frame") != NULL,
              "crash_in_libc %s: the walk does not reach _start:\n%s", cases[i].mode, bt);
        out_free(&o);
        /* qsort keeps no frame pointer: its caller is found only by CFI */
        o = inspect("--json", f.core, NULL, NULL);
        CU_ASSERT_TRUE(o.out && json_valid(o.out));
        if (!strcmp(cases[i].mode, "qsort"))
            CHECK(o.out && strstr(o.out, "\"from\": \"call frame information\""),
                  "crash_in_libc %s: no frame found with CFI", cases[i].mode);
        out_free(&o);
        fx_done(&f);
    }
}

/* A load or store through tp while tp is still 0 is explained as TLS never
 * set up, not as a NULL pointer: tests/guests/crash_in_libc clears tp and
 * then loads 0(tp), or lets the C library store into errno. */
static void test_report_tp_zero(void)
{
    static const char *const modes[] = { "tp", "errno" };
    for (int i = 0; i < 2; i++) {
        struct fx f;
        if (!fx_core_arg(&f, "tests/guests/crash_in_libc", modes[i], SIGSEGV)) {
            CU_FAIL("could not make a core of crash_in_libc");
            fx_done(&f);
            return;
        }
        struct out o = inspect(f.core, NULL, NULL, NULL);
        CU_ASSERT_EQUAL(o.rc, 0);
        CHECK(o.out && strstr(o.out, "the thread pointer (tp) is 0: TLS was never set up"),
              "crash_in_libc %s: %s", modes[i], o.out ? o.out : "(no output)");
        CU_ASSERT_PTR_NULL(o.out ? strstr(o.out, "a NULL pointer dereference") : NULL);
        out_free(&o);
        fx_done(&f);
    }
    /* and a NULL pointer is still a NULL pointer */
    struct fx f;
    if (!fx_core_arg(&f, "tests/guests/crash_in_libc", "strlen", SIGSEGV)) {
        fx_done(&f);
        return;
    }
    struct out o = inspect(f.core, NULL, NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(o.out ? strstr(o.out, "a NULL pointer dereference") : NULL);
    CU_ASSERT_PTR_NULL(o.out ? strstr(o.out, "thread pointer") : NULL);
    out_free(&o);
    fx_done(&f);
}

static void check_json(const char *core, const char *elf)
{
    struct out o = elf ? inspect(core, "--json", "--elf", elf) : inspect("--json", core, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o.out);
    CU_ASSERT_TRUE(json_valid(o.out));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"signal\": {"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"name\": \"SIGSEGV\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"backtrace\": ["));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"walk\": {"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"registers\": {"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "\"function\": \"main\""));
    if (have_program("python3")) {
        char path[160], cmd[256];
        snprintf(path, sizeof path, "%s.json", core);
        CU_ASSERT_TRUE_FATAL(spit(path, o.out, strlen(o.out)));
        snprintf(cmd, sizeof cmd, "python3 -m json.tool %s >/dev/null", path);
        CU_ASSERT_EQUAL(system(cmd), 0);
    }
    out_free(&o);
}

static void test_report_json(void)
{
    struct fx a, b;
    if (!fx_core(&a, "guests/write_text"))
        return;
    if (!fx_core(&b, "guests/null_deref")) {
        fx_done(&a);
        return;
    }
    check_json(a.core, NULL);
    check_json(b.core, b.guest);
    struct out o = inspect(a.core, "--json", NULL, NULL);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "\"code_name\": \"SEGV_ACCERR\""));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "\"access\": \"store\""));
    out_free(&o);
    fx_done(&a);
    fx_done(&b);
}

/* ------------------------------------------------------------------------
 * Editing a core image: find a note's descriptor */

static uint32_t rd32(const uint8_t *b, size_t off) { uint32_t v; memcpy(&v, b + off, 4); return v; }
static void wr32(uint8_t *b, size_t off, uint32_t v) { memcpy(b + off, &v, 4); }

/* Offset of the note header of (type) in a good core image, or 0. */
static size_t find_note(const uint8_t *b, size_t n, uint32_t type)
{
    uint32_t off = rd32(b, 52 + 4), len = rd32(b, 52 + 16);    /* phdr 0 = PT_NOTE */
    for (size_t p = off; p + 12 <= (size_t)off + len && p + 12 <= n;) {
        uint32_t nsz = rd32(b, p), dsz = rd32(b, p + 4);
        if (rd32(b, p + 8) == type)
            return p;
        p += 12 + ((nsz + 3) & ~3u) + ((dsz + 3) & ~3u);
    }
    return 0;
}

static size_t desc_of(const uint8_t *b, size_t note)
{
    return note + 12 + ((rd32(b, note) + 3) & ~3u);
}

/* A core without the program: paths in NT_FILE and psargs point nowhere. */
static void test_report_program_missing(void)
{
    struct fx f;
    size_t n;
    if (!fx_core(&f, "guests/null_deref"))
        return;
    uint8_t *b = slurp(f.core, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    uint32_t phoff = rd32(b, 28);
    size_t notes_end = (size_t)rd32(b, phoff + 4) + rd32(b, phoff + 16);
    for (size_t i = 0; i + 10 <= notes_end; i++)  /* ".../null_deref" -> ".../zzzz_zzzzz" */
        if (!memcmp(b + i, "null_deref", 10))
            memcpy(b + i, "zzzz_zzzzz", 10);
    char moved[160];
    snprintf(moved, sizeof moved, "%s/moved", f.dir);
    CU_ASSERT_TRUE_FATAL(spit(moved, b, n));
    struct out o = inspect(moved, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "the program file was not found"));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "--elf PROGRAM"));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "#0  0x"));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "SEGV_MAPERR"));
    out_free(&o);
    /* --elf brings the symbols back */
    o = inspect(moved, "--elf", f.guest, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "null_deref.c:"));
    CU_ASSERT_PTR_NULL(o.out && strstr(o.out, "not found"));
    CU_ASSERT_PTR_NULL(o.out && strstr(o.out, "differs"));
    out_free(&o);
    o = inspect(moved, "--json", NULL, NULL);
    CU_ASSERT_TRUE(o.out && json_valid(o.out));
    out_free(&o);
    free(b);
    fx_done(&f);
}

/* --elf: the wrong program is flagged; a missing or non-ELF one fails. */
static void test_elf_option(void)
{
    struct fx f;
    if (!fx_core(&f, "guests/write_text"))
        return;
    struct out o = inspect(f.core, "--elf", test_path("guests/hello"), NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "differs from the code in the core"));
    out_free(&o);
    /* a tiny other program: its few bytes all differ, which is no
     * self-modifying code (only 12 bytes compared) */
    char tiny[sizeof f.core + 8];
    snprintf(tiny, sizeof tiny, "%s.tiny", f.core);
    static const uint32_t code[] = { 0x00700513, 0x05d00893, 0x00000073 };   /* exit(7) */
    struct rvelf e = { .code = (const uint8_t *)code, .code_len = sizeof code };
    size_t len;
    uint8_t *img = rvelf_image(&e, &len);
    CU_ASSERT_FATAL(img != NULL && len >= 0x80);
    /* one segment: the 12 bytes of code alone at 0x10000 (file offset
     * 0x1000), where the core holds write_text's ELF header */
    uint8_t *file = calloc(1, 0x1000 + sizeof code);
    CU_ASSERT_FATAL(file != NULL);
    memcpy(file, img, 0x80);
    memcpy(file + 0x1000, code, sizeof code);
    wr32(file, 24, RVELF_TEXT_VA);                /* e_entry */
    file[44] = 1, file[45] = 0;                   /* e_phnum */
    wr32(file, 52 + 4, 0x1000);                   /* p_offset */
    wr32(file, 52 + 8, RVELF_TEXT_VA);            /* p_vaddr, p_paddr */
    wr32(file, 52 + 12, RVELF_TEXT_VA);
    wr32(file, 52 + 16, sizeof code);             /* p_filesz, p_memsz */
    wr32(file, 52 + 20, sizeof code);
    FILE *tf = fopen(tiny, "wb");
    CU_ASSERT_FATAL(tf != NULL);
    CU_ASSERT(fwrite(file, 1, 0x1000 + sizeof code, tf) == 0x1000 + sizeof code);
    fclose(tf);
    free(file);
    free(img);
    o = inspect(f.core, "--elf", tiny, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CHECK(o.out && strstr(o.out, "differs from the code in the core") &&
          !strstr(o.out, "changed its own code"), "inspect --elf TINY:\n%s", o.out ? o.out : "");
    out_free(&o);
    unlink(tiny);
    o = inspect(f.core, "--elf=/nonexistent/prog", NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_EQUAL(count_lines(o.err), 1);
    CU_ASSERT_PTR_NOT_NULL(o.err && strstr(o.err, "vmlab inspect: /nonexistent/prog: "));
    CU_ASSERT_STRING_EQUAL(o.out, "");
    out_free(&o);
    o = inspect(f.core, "--elf", f.core, NULL);        /* a core is not a program */
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_EQUAL(count_lines(o.err), 1);
    CHECK(o.err && strstr(o.err, "a core file, not a program: --elf wants the program that crashed"),
          "inspect --elf CORE: %s", o.err ? o.err : "");
    out_free(&o);
    fx_done(&f);
}

/* Text from the core in another script: well-formed UTF-8 in an argument
 * passes through (text and JSON alike; JSON was double-encoded, text
 * escaped byte by byte), a C1 control (U+009B, a CSI) and a stray byte
 * stay escaped (in JSON the control as its code point), and a backslash
 * is doubled in text, so that a literal "\x41" is not read as 'A'. */
static void test_utf8_text(void)
{
    struct fx f;
    if (!fx_core_arg(&f, "guests/null_deref", "caf\xc3\xa9\xe2\x80\x94\xc2\x9b\xff\\x41", 11))
        return;
    struct out o = inspect(f.core, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CHECK(o.out && strstr(o.out, "caf\xc3\xa9\xe2\x80\x94\\xc2\\x9b\\xff\\\\x41"),
          "inspect: the argument in:\n%s", o.out ? o.out : "");
    out_free(&o);
    o = inspect("--json", f.core, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CHECK(o.out && strstr(o.out, "caf\xc3\xa9\xe2\x80\x94\\u009b\\u00ff\\\\x41"),
          "inspect --json: the argument in:\n%s", o.out ? o.out : "");
    out_free(&o);
    fx_done(&f);
}

static void test_usage(void)
{
    struct out o = inspect(NULL, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 2);
    CU_ASSERT_EQUAL(count_lines(o.err), 1);
    CU_ASSERT_PTR_NOT_NULL(o.err && strstr(o.err, "vmlab inspect: no CORE given"));
    out_free(&o);
    o = inspect("--frobnicate", "x", NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 2);
    CU_ASSERT_EQUAL(count_lines(o.err), 1);
    out_free(&o);
    o = inspect("a", "b", NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 2);
    out_free(&o);
    o = inspect("x", "--elf", NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 2);
    out_free(&o);
    o = inspect("--help", NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "Usage: vmlab inspect"));
    out_free(&o);
}

/* A process killed without a fault: abort() -> tgkill(SIGABRT).  Made by
 * editing a real core as the writer would have written it: cursig and
 * siginfo say SIGABRT/SI_TKILL, and the VMLAB fault record is invalid. */
static void test_report_no_fault(void)
{
    struct fx f;
    size_t n;
    if (!fx_core(&f, "guests/null_deref"))
        return;
    uint8_t *b = slurp(f.core, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    size_t pr = find_note(b, n, NT_PRSTATUS), si = find_note(b, n, NT_SIGINFO);
    size_t vm = find_note(b, n, NT_VMLAB), ps = find_note(b, n, NT_PRPSINFO);
    CU_ASSERT_FATAL(pr && si && vm && ps);
    uint32_t pid = rd32(b, desc_of(b, ps) + 16);
    b[desc_of(b, pr) + 12] = SIGABRT;                  /* pr_cursig */
    wr32(b, desc_of(b, pr), SIGABRT);
    wr32(b, desc_of(b, si) + 0, SIGABRT);
    wr32(b, desc_of(b, si) + 8, (uint32_t)SI_TKILL);
    wr32(b, desc_of(b, si) + 12, pid);                 /* si_pid */
    wr32(b, desc_of(b, vm) + 4, 0);                    /* fault_valid */
    char path[160];
    snprintf(path, sizeof path, "%s/abort-core", f.dir);
    CU_ASSERT_TRUE_FATAL(spit(path, b, n));
    struct out o = inspect(path, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "was killed by SIGABRT (Aborted), SI_TKILL."));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "abort() was called (SIGABRT sent by the "
                                                  "program itself)"));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "no fault record for this signal"));
    CU_ASSERT_PTR_NULL(o.out && strstr(o.out, "Sv32 walk of"));
    CU_ASSERT_PTR_NULL(o.out && strstr(o.out, "Memory around"));
    out_free(&o);
    o = inspect(path, "--json", NULL, NULL);
    CU_ASSERT_TRUE(o.out && json_valid(o.out));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "\"walk\": null"));
    out_free(&o);
    /* the same signal with the old fault record left valid: a stale fault */
    wr32(b, desc_of(b, vm) + 4, 1);
    CU_ASSERT_TRUE_FATAL(spit(path, b, n));
    o = inspect(path, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "earlier fault"));
    CU_ASSERT_PTR_NULL(o.out && strstr(o.out, "Sv32 walk of"));
    out_free(&o);
    free(b);
    fx_done(&f);
}

/* The real thing: guests/abort calls abort(), which tgkill()s SIGABRT. */
static void test_report_abort_guest(void)
{
    struct fx f;
    struct coreread c;
    char err[256];
    if (!fx_core_sig(&f, "guests/abort", SIGABRT)) {
        CU_FAIL("could not make a core of guests/abort");
        fx_done(&f);
        return;
    }
    CU_ASSERT_EQUAL_FATAL(coreread_open(f.core, &c, err, sizeof err), 0);
    CU_ASSERT_EQUAL(c.cursig, SIGABRT);
    CU_ASSERT_EQUAL(c.si_signo, SIGABRT);
    CU_ASSERT_EQUAL(c.si_code, SI_TKILL);
    CU_ASSERT_EQUAL(c.si_addr, (uint32_t)c.pid);       /* si_pid: itself */
    CU_ASSERT_FALSE(c.vm.fault_valid);
    coreread_free(&c);
    struct out o = inspect(f.core, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o.out);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "was killed by SIGABRT (Aborted), SI_TKILL."));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "abort() was called (SIGABRT sent by the program "
                                         "itself)"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "ecall"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, " in abort"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, " in main"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "abort.c:"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "no fault record for this signal"));
    out_free(&o);
    o = inspect(f.core, "--json", NULL, NULL);
    CU_ASSERT_TRUE(o.out && json_valid(o.out));
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "\"walk\": null"));
    out_free(&o);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * The model (inspect/report.h) and its two renderings */

/* r rendered as text or JSON (malloc'd), or NULL. */
static char *rendered(const struct report *r, bool json)
{
    FILE *fp = tmpfile();
    if (!fp)
        return NULL;
    if (json)
        render_json(fp, r);
    else
        render_text(fp, r);
    char *s = drain(fp);
    fclose(fp);
    return s;
}

/* A fact must be in both renderings, as text_form in the text and as
 * json_form in the JSON (the same when json_form is NULL). */
static void in_both(const char *text, const char *json, const char *text_form,
                    const char *json_form)
{
    const char *jf = json_form ? json_form : text_form;
    bool t = strstr(text, text_form) != NULL, j = strstr(json, jf) != NULL;
    if (!t || !j) {
        fprintf(stderr, "\nthe fact \"%s\" is missing from the %s\n", t ? jf : text_form,
                t ? "JSON" : "text");
        CU_FAIL("a fact of the report is not in both renderings");
    }
}

static void in_both_hex(const char *text, const char *json, uint64_t v)
{
    char h[24];
    snprintf(h, sizeof h, "0x%08llx", (unsigned long long)v);
    in_both(text, json, h, NULL);
}

/* Every fact of r that both renderings state, in both. */
static void check_renderings(const struct report *r)
{
    char *text = rendered(r, false), *json = rendered(r, true);
    char a[256], b[256];
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    CU_ASSERT_TRUE(json_valid(json));
    /* 1 headline and cause */
    in_both(text, json, r->program, NULL);
    snprintf(a, sizeof a, "(pid %d)", r->pid);
    snprintf(b, sizeof b, "\"pid\": %d,", r->pid);
    in_both(text, json, a, b);
    in_both(text, json, r->sig.name, NULL);
    in_both(text, json, r->sig.description, NULL);
    if (r->sig.code_name)
        in_both(text, json, r->sig.code_name, NULL);
    in_both(text, json, r->cause, NULL);
    if (r->hint[0])
        in_both(text, json, r->hint, NULL);
    if (r->program_file)
        in_both(text, json, r->program_file, NULL);
    if (r->program_note[0])
        in_both(text, json, r->program_note, NULL);
    if (r->note) {
        snprintf(a, sizeof a, "Instructions executed: %llu\n", (unsigned long long)r->instret);
        snprintf(b, sizeof b, "\"instructions\": %llu,", (unsigned long long)r->instret);
        in_both(text, json, a, b);
    }
    if (r->sig.has_addr)
        in_both_hex(text, json, r->sig.addr);
    /* 2 instruction, 3 registers */
    in_both_hex(text, json, r->insn.pc);
    if (r->insn.len)
        in_both(text, json, r->insn.text, NULL);
    if (r->insn.address[0])
        in_both(text, json, r->insn.address, NULL);
    if (r->insn.note[0])
        in_both(text, json, r->insn.note, NULL);
    for (int i = 0; i < 32; i++) {
        snprintf(a, sizeof a, "%-4s 0x%08x", report_reg_name[i], r->regs.x[i]);
        snprintf(b, sizeof b, "\"%s\": \"0x%08x\"", report_reg_name[i], r->regs.x[i]);
        in_both(text, json, a, b);
    }
    /* 4 backtrace: every frame (the text folds recursion, so the first
     * REPORT_MAX_FRAMES only when there is none) */
    for (int i = 0; i < r->bt.n; i++) {
        const struct report_frame *f = &r->bt.frame[i];
        in_both_hex(text, json, f->pc);
        if (f->at.func)
            in_both(text, json, f->at.func, NULL);
        if (f->at.file) {
            snprintf(a, sizeof a, "%s:%d", f->at.file, f->at.line);
            snprintf(b, sizeof b, "\"line\": %d", f->at.line);
            in_both(text, json, a, b);
        }
    }
    if (r->bt.end[0])
        in_both(text, json, r->bt.end, NULL);
    /* 5 memory map */
    for (int i = 0; i < r->map.n; i++) {
        const struct report_row *w = &r->map.row[i];
        if (w->kind != REPORT_ROW_SEGMENT)
            continue;
        snprintf(a, sizeof a, "0x%08x 0x%08x %-5s", w->start, w->end, w->perms);
        snprintf(b, sizeof b, "\"start\": \"0x%08x\",\n      \"end\": \"0x%08x\",\n"
                 "      \"perms\": \"%s\"", w->start, w->end, w->perms);
        in_both(text, json, a, b);
        in_both(text, json, w->name, NULL);
    }
    if (r->note) {
        in_both_hex(text, json, r->map.brk);
        in_both_hex(text, json, r->map.brk_start);
    }
    /* 6 walk */
    if (!r->walk.none) {
        in_both_hex(text, json, r->walk.satp);
        for (int l = 0; l < r->walk.levels; l++) {
            in_both_hex(text, json, r->walk.pte[l].addr);
            in_both_hex(text, json, r->walk.pte[l].value);
        }
        in_both(text, json, r->walk.verdict, NULL);
    }
    /* 7 the top of the stack */
    for (int i = 0; i < r->stack.n; i++) {
        const struct report_word *w = &r->stack.word[i];
        snprintf(a, sizeof a, "0x%08x: 0x%08x", r->regs.x[2] + 4 * i, w->value);
        snprintf(b, sizeof b, "\"addr\": \"0x%08x\",\n          \"value\": \"0x%08x\"",
                 r->regs.x[2] + 4 * i, w->value);
        in_both(text, json, a, b);
        if (w->at.func)
            in_both(text, json, w->at.func, NULL);
    }
    free(text);
    free(json);
}

/* A row of r's map named name, or NULL. */
static const struct report_row *row_named(const struct report *r, const char *name)
{
    for (int i = 0; i < r->map.n; i++)
        if (r->map.row[i].name && !strcmp(r->map.row[i].name, name))
            return &r->map.row[i];
    return NULL;
}

static bool has_frame(const struct report *r, const char *func)
{
    for (int i = 0; i < r->bt.n; i++)
        if (r->bt.frame[i].at.func && !strcmp(r->bt.frame[i].at.func, func))
            return true;
    return false;
}

/* write_text: a store into text, a segment that forbids it. */
static void test_model_write_text(void)
{
    struct fx f;
    struct report r;
    char err[256];
    if (!fx_core(&f, "guests/write_text"))
        return;
    CU_ASSERT_EQUAL_FATAL(report_build(&r, f.core, NULL, err, sizeof err), 0);
    CU_ASSERT_PTR_NOT_NULL(r.program_file && strstr(r.program_file, "guests/write_text"));
    CU_ASSERT_TRUE(r.lines);
    CU_ASSERT_STRING_EQUAL(r.program_note, "");
    CU_ASSERT_EQUAL(r.sig.number, SIGSEGV);
    CU_ASSERT_STRING_EQUAL(r.sig.code_name, "SEGV_ACCERR");
    CU_ASSERT_TRUE(r.sig.has_addr);
    CU_ASSERT_EQUAL(r.fault.record, REPORT_RECORD_THIS);
    CU_ASSERT_STRING_EQUAL(r.fault.access, "store");
    CU_ASSERT_EQUAL(r.fault.addr, r.sig.addr);
    const struct report_row *text = row_named(&r, "text");
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_EQUAL_FATAL(r.fault.seg, (int)(text - r.map.row));
    CU_ASSERT_STRING_EQUAL(text->perms, "r-x");
    CU_ASSERT_STRING_EQUAL(text->seg_kind, "file");
    CU_ASSERT_TRUE(r.fault.addr >= text->start && r.fault.addr < text->end);
    for (int i = 0; i < r.map.n; i++)
        CU_ASSERT_EQUAL(r.map.row[i].kind, REPORT_ROW_SEGMENT);
    CU_ASSERT_PTR_NULL(r.walk.none);
    CU_ASSERT_EQUAL(r.walk.levels, 2);
    CU_ASSERT_TRUE(r.walk.pte[1].bit[0]);               /* V */
    CU_ASSERT_FALSE(r.walk.pte[1].bit[2]);              /* W */
    CU_ASSERT_EQUAL(r.walk.vpn[0], (r.fault.addr >> 12) & 0x3ff);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.walk.verdict, "W=0"));
    /* the code is in the core: the bytes at the fault are there */
    CU_ASSERT_TRUE(r.sig.addr >= r.mem.start && r.sig.addr - r.mem.start < r.mem.len);
    CU_ASSERT_TRUE(r.mem.have[r.sig.addr - r.mem.start]);
    CU_ASSERT_EQUAL(r.insn.pc, r.regs.pc);
    CU_ASSERT_TRUE(r.insn.len == 2 || r.insn.len == 4);
    CU_ASSERT_STRING_EQUAL(r.insn.from, "core");
    CU_ASSERT_TRUE(has_frame(&r, "main"));
    CU_ASSERT_EQUAL(r.bt.frame[0].pc, r.regs.pc);
    CU_ASSERT_EQUAL(r.stack.n, REPORT_STACK_WORDS);
    check_renderings(&r);
    report_free(&r);
    fx_done(&f);
}

/* null_deref: a store where no segment is, a NOTHING row in the map. */
static void test_model_null_deref(void)
{
    struct fx f;
    struct report r;
    char err[256];
    if (!fx_core(&f, "guests/null_deref"))
        return;
    CU_ASSERT_EQUAL_FATAL(report_build(&r, f.core, NULL, err, sizeof err), 0);
    CU_ASSERT_STRING_EQUAL(r.sig.code_name, "SEGV_MAPERR");
    CU_ASSERT_EQUAL(r.fault.record, REPORT_RECORD_THIS);
    CU_ASSERT_EQUAL(r.fault.seg, -1);
    int nothing = 0;
    for (int i = 0; i < r.map.n; i++) {
        const struct report_row *w = &r.map.row[i];
        if (w->kind == REPORT_ROW_NOTHING) {
            nothing++;
            CU_ASSERT_EQUAL(w->start, r.fault.addr);
        }
        if (i > 0)                                      /* in address order */
            CU_ASSERT_TRUE(r.map.row[i - 1].start <= w->start);
    }
    CU_ASSERT_EQUAL(nothing, 1);
    CU_ASSERT_EQUAL(r.walk.levels, 2);
    CU_ASSERT_FALSE(r.walk.pte[1].bit[0]);              /* leaf V=0 */
    for (unsigned k = 0; k < r.mem.len; k++)           /* page 0: nothing there */
        CU_ASSERT_FALSE(r.mem.have[k]);
    CU_ASSERT_TRUE(has_frame(&r, "main"));
    check_renderings(&r);
    report_free(&r);
    fx_done(&f);
}

/* abort: no fault record, so no walk; and without the program file. */
static void test_model_abort(void)
{
    struct fx f;
    struct report r;
    char err[256];
    if (!fx_core_sig(&f, "guests/abort", SIGABRT)) {
        CU_FAIL("could not make a core of guests/abort");
        fx_done(&f);
        return;
    }
    CU_ASSERT_EQUAL_FATAL(report_build(&r, f.core, NULL, err, sizeof err), 0);
    CU_ASSERT_EQUAL(r.sig.number, SIGABRT);
    CU_ASSERT_FALSE(r.sig.has_addr);
    CU_ASSERT_EQUAL(r.fault.record, REPORT_RECORD_NONE);
    CU_ASSERT_PTR_NOT_NULL(r.walk.none);
    CU_ASSERT_TRUE(r.insn.len > 0 && strstr(r.insn.text, "ecall"));
    CU_ASSERT_EQUAL(r.insn.pc, r.regs.pc - 4);
    CU_ASSERT_TRUE(has_frame(&r, "abort"));
    check_renderings(&r);
    report_free(&r);
    /* the same core, the program file gone: addresses only */
    char moved[160];
    snprintf(moved, sizeof moved, "%s/abort-moved", f.dir);
    size_t n;
    uint8_t *b = slurp(f.core, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    for (size_t i = 0; i + 12 <= n; i++)        /* ".../guests/abort" -> ".../guests/zzzzz" */
        if (!memcmp(b + i, "guests/abort", 12))
            memcpy(b + i, "guests/zzzzz", 12);
    CU_ASSERT_TRUE_FATAL(spit(moved, b, n));
    free(b);
    CU_ASSERT_EQUAL_FATAL(report_build(&r, moved, NULL, err, sizeof err), 0);
    CU_ASSERT_PTR_NULL(r.program_file);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.program_note, "was not found"));
    CU_ASSERT_PTR_NULL(r.bt.frame[0].at.func);
    check_renderings(&r);
    report_free(&r);
    fx_done(&f);
}

/* report_build names the file it cannot use, and leaves r freeable. */
static void test_model_errors(void)
{
    struct report r;
    char err[256];
    CU_ASSERT_EQUAL(report_build(&r, "/nonexistent/core", NULL, err, sizeof err), -1);
    CU_ASSERT_EQUAL(strncmp(err, "/nonexistent/core: ", 19), 0);
    report_free(&r);
    report_free(&r);                                    /* zeroed: harmless */
    struct fx f;
    if (!fx_core(&f, "guests/null_deref"))
        return;
    CU_ASSERT_EQUAL(report_build(&r, f.core, f.core, err, sizeof err), -1);
    char want[160];
    snprintf(want, sizeof want, "%s: ", f.core);        /* the --elf file, here the core */
    CU_ASSERT_EQUAL(strncmp(err, want, strlen(want)), 0);
    CU_ASSERT_PTR_NULL(strchr(err, '\n'));
    report_free(&r);
    fx_done(&f);
}

/* ------------------------------------------------------------------------
 * Broken cores */

/* coreread_open_mem must refuse buf with one line; inspect too, via a file. */
static void expect_bad(const uint8_t *buf, size_t n, const char *want, const char *what)
{
    struct coreread c;
    char err[256] = "";
    int rc = coreread_open_mem(buf, n, &c, err, sizeof err);
    if (rc != -1 || !err[0] || strchr(err, '\n') || (want && !strstr(err, want))) {
        fprintf(stderr, "\n%s (%zu bytes): rc %d, err \"%s\", wanted \"%s\"\n", what, n, rc,
                err, want ? want : "");
        CU_FAIL("a broken core was not refused as expected");
    }
    if (rc == 0)
        coreread_free(&c);
}

static void test_truncated(void)
{
    struct fx f;
    size_t n;
    if (!fx_core(&f, "guests/write_text"))
        return;
    uint8_t *b = slurp(f.core, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    uint32_t phoff = rd32(b, 28), phnum = b[44] | b[45] << 8;
    uint32_t note_off = rd32(b, phoff + 4), note_len = rd32(b, phoff + 16);
    size_t notes_end = (size_t)note_off + note_len;
    /* every 7th byte up to the end of the notes */
    for (size_t len = 0; len < notes_end; len += 7)
        expect_bad(b, len, NULL, "truncated");
    /* every boundary, and one byte either side */
    size_t cuts[256];
    int nc = 0;
    cuts[nc++] = 4, cuts[nc++] = 16, cuts[nc++] = 20, cuts[nc++] = 52;
    cuts[nc++] = phoff + phnum * 32;
    for (size_t p = note_off; p < notes_end && nc < 200;) {
        uint32_t nsz = rd32(b, p), dsz = rd32(b, p + 4);
        cuts[nc++] = p + 12;
        cuts[nc++] = p + 12 + ((nsz + 3) & ~3u);
        p += 12 + ((nsz + 3) & ~3u) + ((dsz + 3) & ~3u);
        cuts[nc++] = p;
    }
    for (uint32_t i = 0; i < phnum && nc < 250; i++) {
        uint32_t off = rd32(b, phoff + 32 * i + 4), fsz = rd32(b, phoff + 32 * i + 16);
        if (fsz) {
            cuts[nc++] = off;
            cuts[nc++] = (size_t)off + fsz;
        }
    }
    for (int i = 0; i < nc; i++)
        for (size_t len = cuts[i] ? cuts[i] - 1 : 0; len <= cuts[i] + 1; len++)
            if (len < n)
                expect_bad(b, len, NULL, "truncated at a boundary");
    /* the typical messages */
    expect_bad(b, 0, "empty file", "empty");
    expect_bad(b, 3, "not an ELF file", "3 bytes");
    expect_bad(b, 40, "truncated", "half a header");
    expect_bad(b, notes_end - 1, "truncated: the notes run past the end of the file", "notes");
    expect_bad(b, n - 1, "truncated: the memory", "last page");
    /* the whole file is fine, and so is inspect on a truncated copy: exit 1 */
    struct coreread c;
    char err[256];
    CU_ASSERT_EQUAL(coreread_open_mem(b, n, &c, err, sizeof err), 0);
    coreread_free(&c);
    char path[160];
    snprintf(path, sizeof path, "%s/short", f.dir);
    CU_ASSERT_TRUE_FATAL(spit(path, b, notes_end - 20));
    struct out o = inspect(path, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 1);
    CU_ASSERT_EQUAL(count_lines(o.err), 1);
    CU_ASSERT_PTR_NOT_NULL(o.err && strstr(o.err, "vmlab inspect: "));
    CU_ASSERT_PTR_NOT_NULL(o.err && strstr(o.err, "/short: truncated"));
    CU_ASSERT_STRING_EQUAL(o.out, "");
    out_free(&o);
    free(b);
    fx_done(&f);
}

static void test_corrupt(void)
{
    struct fx f;
    size_t n;
    if (!fx_core(&f, "guests/write_text"))
        return;
    uint8_t *good = slurp(f.core, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(good);
    uint8_t *b = malloc(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    size_t pr = find_note(good, n, NT_PRSTATUS), fl = find_note(good, n, NT_FILE);
    size_t vm = find_note(good, n, NT_VMLAB), ax = find_note(good, n, NT_AUXV);
    CU_ASSERT_FATAL(pr && fl && vm && ax);
    uint32_t phoff = rd32(good, 28);

#define EDIT(stmt, want, what) do { memcpy(b, good, n); stmt; expect_bad(b, n, want, what); } while (0)
    EDIT(b[0] = 0x7e, "not an ELF file", "magic");
    EDIT(b[4] = 2, "64-bit RISC-V", "ELFCLASS64");
    EDIT(b[4] = 9, "unknown class", "class 9");
    EDIT(b[5] = 2, NULL, "big-endian");
    EDIT(wr32(b, 16, 62 << 16 | 4), "an ELF core for x86-64, not RISC-V", "x86-64");
    EDIT(wr32(b, 16, 183 << 16 | 4), "AArch64", "aarch64");
    EDIT(wr32(b, 16, 243 << 16 | 2), "not a core file", "ET_EXEC");
    EDIT(b[42] = 56, "program headers are 56 bytes", "e_phentsize");
    EDIT(b[44] = 0, "no program headers", "e_phnum 0");
    EDIT((b[44] = 0xff, b[45] = 0xff), NULL, "PN_XNUM");
    EDIT(wr32(b, 28, 0xfffffff0u), "program headers run past", "e_phoff");
    EDIT(wr32(b, phoff, 0), "no PT_NOTE", "no PT_NOTE");
    EDIT(wr32(b, phoff + 4, 0xffffff00u), "notes run past the end", "PT_NOTE offset");
    EDIT(wr32(b, phoff + 16, 0xffffff00u), "notes run past the end", "PT_NOTE size");
    EDIT(wr32(b, phoff + 32 + 4, 0xfffff000u), "runs past the end of the file", "PT_LOAD offset");
    EDIT(wr32(b, phoff + 32 + 16, 0x7fffffffu), "runs past the end of the file", "PT_LOAD filesz");
    EDIT(wr32(b, phoff + 32 + 20, 1), "larger than p_memsz", "PT_LOAD memsz");
    EDIT(wr32(b, phoff + 32 + 8, 0xfffff000u), "wraps", "PT_LOAD vaddr");
    EDIT(wr32(b, pr, 0xfffffff0u), "run past the end of the PT_NOTE", "namesz huge");
    EDIT(wr32(b, pr + 4, 0xfffffff0u), "run past the end of the PT_NOTE", "descsz huge");
    EDIT(wr32(b, pr + 4, 200), "NT_PRSTATUS", "PRSTATUS 200");
    EDIT(wr32(b, pr + 4, 208), "NT_PRSTATUS", "PRSTATUS 208");
    EDIT(wr32(b, pr + 8, 77), "no NT_PRSTATUS", "no PRSTATUS");
    EDIT(wr32(b, ax + 4, rd32(good, ax + 4) - 4), NULL, "auxv not pairs");
    EDIT(wr32(b, desc_of(b, fl), 1000), "NT_FILE", "NT_FILE count");
    EDIT(memset(b + desc_of(b, fl) + 8 + 12 * rd32(good, desc_of(good, fl)), 'x',
                rd32(good, fl + 4) - 8 - 12 * rd32(good, desc_of(good, fl))),
         "NUL-terminated", "NT_FILE names");
    EDIT(wr32(b, desc_of(b, vm) + 84, 1000), "corrupt VMLAB note", "VMLAB nseg");
    EDIT(wr32(b, desc_of(b, vm) + 84, 0), "corrupt VMLAB note", "VMLAB nseg 0");
    EDIT(wr32(b, desc_of(b, vm) + 12, 7), "corrupt VMLAB note", "VMLAB access");
    EDIT(wr32(b, desc_of(b, vm) + 88 + 4, 0), "corrupt VMLAB note", "VMLAB segment end");
#undef EDIT

    /* a newer VMLAB note is skipped, not fatal */
    struct coreread c;
    char err[256];
    memcpy(b, good, n);
    wr32(b, desc_of(b, vm), VMLAB_NOTE_VERSION + 1);
    CU_ASSERT_EQUAL_FATAL(coreread_open_mem(b, n, &c, err, sizeof err), 0);
    CU_ASSERT_FALSE(c.vm.present);
    CU_ASSERT_EQUAL(c.vm.version, VMLAB_NOTE_VERSION + 1);
    coreread_free(&c);
    char path[160];
    snprintf(path, sizeof path, "%s/v3", f.dir);
    CU_ASSERT_TRUE_FATAL(spit(path, b, n));
    struct out o = inspect(path, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL(o.out && strstr(o.out, "VMLAB note version 3"));
    out_free(&o);

    /* random bytes, with and without an ELF magic in front */
    uint32_t seed = 12345;
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        b[i] = (uint8_t)(seed >> 16);
    }
    expect_bad(b, 4096, "not an ELF file", "random bytes");
    memcpy(b, "\177ELF", 4);
    expect_bad(b, 4096, NULL, "random bytes after a magic");
    memcpy(b, good, 20);
    expect_bad(b, 4096, NULL, "random bytes after a core header");
    free(b);
    free(good);
    fx_done(&f);
}

/* A core whose registers make a frame above the first look like a leaf:
 * pc and ra both at getppid+4, after its `addi sp,sp,-16`, where its call
 * frame information leaves ra unsaved.  Frame 0 may return through ra;
 * frame 1 may not (it made a call, which wrote ra), and following it went
 * round the same pc a million times (a fuzz_inspect input, 1.4 s each). */
static void test_ra_loop(void)
{
    struct fx f;
    size_t n;
    if (!fx_core(&f, "guests/null_deref"))
        return;
    struct elf_image img;
    char err[256];
    uint32_t fn = 0, size = 0;
    CU_ASSERT_EQUAL_FATAL(elf_load(f.guest, &img, err, sizeof err), 0);
    CU_ASSERT_EQUAL(elf_symbol_range(&img, "getppid", &fn, &size), 0);
    elf_free(&img);
    uint8_t *b = slurp(f.core, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    size_t pr = find_note(b, n, NT_PRSTATUS);
    CU_ASSERT_FATAL(fn != 0 && size > 8 && pr != 0);
    wr32(b, desc_of(b, pr) + PRSTATUS_REG, fn + 4);     /* pc */
    wr32(b, desc_of(b, pr) + PRSTATUS_REG + 4, fn + 4); /* ra */
    char path[160];
    snprintf(path, sizeof path, "%s/ra-loop", f.dir);
    CU_ASSERT_TRUE_FATAL(spit(path, b, n));
    struct out o = inspect(path, NULL, NULL, NULL);
    CU_ASSERT_EQUAL(o.rc, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(o.out);
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "#1  "));
    CU_ASSERT_PTR_NULL(strstr(o.out, "#2  "));
    CU_ASSERT_PTR_NULL(strstr(o.out, "more frames"));
    CU_ASSERT_PTR_NOT_NULL(strstr(o.out, "leaves the return address in ra"));
    out_free(&o);
    free(b);
    fx_done(&f);
}

/* Flip bytes all over the headers and notes: the reader must accept or
 * refuse each image cleanly, and whatever it accepts the report must
 * survive (both renderers). */
static void test_fuzz(void)
{
    struct fx f;
    size_t n;
    if (!fx_core(&f, "guests/null_deref"))
        return;
    uint8_t *good = slurp(f.core, &n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(good);
    uint8_t *b = malloc(n);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    uint32_t phoff = rd32(good, 28);
    size_t head = rd32(good, phoff + 4) + rd32(good, phoff + 16);  /* end of notes */
    uint32_t seed = 7;
    int accepted = 0, reported = 0;
    char path[160];
    snprintf(path, sizeof path, "%s/fuzz", f.dir);
    for (int iter = 0; iter < 3000; iter++) {
        memcpy(b, good, n);
        int flips = 1 + iter % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % head;
            seed = seed * 1103515245u + 12345u;
            b[at] = (uint8_t)(seed >> 16);
        }
        struct coreread c;
        char err[256] = "";
        int rc = coreread_open_mem(b, n, &c, err, sizeof err);
        CU_ASSERT_TRUE(rc == 0 || (rc == -1 && err[0]));
        if (rc != 0)
            continue;
        accepted++;
        coreread_free(&c);
        if (iter % 10 == 0 && spit(path, b, n)) {
            struct out o = inspect(path, iter % 20 ? "--json" : NULL, NULL, NULL);
            CU_ASSERT_EQUAL(o.rc, 0);
            if (iter % 20)
                CU_ASSERT_TRUE(o.out && json_valid(o.out));
            reported++;
            out_free(&o);
        }
    }
    CU_ASSERT_TRUE(accepted > 0);
    CU_ASSERT_TRUE(reported > 0);
    free(b);
    free(good);
    fx_done(&f);
}

/* Files that are not cores at all, through the command. */
static void test_not_cores(void)
{
    struct fx f;
    CU_ASSERT_TRUE_FATAL(fx_dir(&f));
    char empty[128], rnd[128];
    snprintf(empty, sizeof empty, "%s/empty", f.dir);
    snprintf(rnd, sizeof rnd, "%s/random", f.dir);
    CU_ASSERT_TRUE_FATAL(spit(empty, "", 0));
    uint8_t junk[1000];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)(i * 37 + 11);
    CU_ASSERT_TRUE_FATAL(spit(rnd, junk, sizeof junk));
    struct {
        const char *path, *want;
    } cases[] = {
        { empty, "empty file" },
        { rnd, "not an ELF file" },
        { f.dir, "is a directory" },
        { "/nonexistent/core", "cannot open" },
        { test_path("guests/hello"), "not a core file" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct coreread c;
        char err[256] = "";
        CU_ASSERT_EQUAL(coreread_open(cases[i].path, &c, err, sizeof err), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].want));
        struct out o = inspect(cases[i].path, NULL, NULL, NULL);
        CU_ASSERT_EQUAL(o.rc, 1);
        CU_ASSERT_EQUAL(count_lines(o.err), 1);
        CU_ASSERT_PTR_NOT_NULL(o.err && strstr(o.err, cases[i].want));
        CU_ASSERT_PTR_NOT_NULL(o.err && !strncmp(o.err, "vmlab inspect: ", 15));
        CU_ASSERT_STRING_EQUAL(o.out, "");
        out_free(&o);
    }
    fx_done(&f);
}

void inspect_suite_add(void)
{
    CU_pSuite s = CU_add_suite("inspect", NULL, NULL);
    CU_add_test(s, "UTF-8 in the core's text passes, control bytes stay escaped", test_utf8_text);
    CU_add_test(s, "json parser self-check", test_json_parser_self_check);
    CU_add_test(s, "read write_text core", test_read_write_text);
    CU_add_test(s, "read null_deref core", test_read_null_deref);
    CU_add_test(s, "memory read edges", test_mem_edges);
    CU_add_test(s, "report: write_text", test_report_write_text);
    CU_add_test(s, "report: null_deref", test_report_null_deref);
    CU_add_test(s, "report: backtrace through picolibc (CFI)", test_report_through_picolibc);
    CU_add_test(s, "report: tp = 0, TLS never set up", test_report_tp_zero);
    CU_add_test(s, "report: json", test_report_json);
    CU_add_test(s, "report: program file missing", test_report_program_missing);
    CU_add_test(s, "report: --elf option", test_elf_option);
    CU_add_test(s, "report: usage errors", test_usage);
    CU_add_test(s, "report: killed without a fault", test_report_no_fault);
    CU_add_test(s, "report: abort guest", test_report_abort_guest);
    CU_add_test(s, "model: write_text", test_model_write_text);
    CU_add_test(s, "model: null_deref", test_model_null_deref);
    CU_add_test(s, "model: abort, and without the program", test_model_abort);
    CU_add_test(s, "model: unusable files", test_model_errors);
    CU_add_test(s, "broken: truncated", test_truncated);
    CU_add_test(s, "broken: a return address left in ra above frame 0", test_ra_loop);
    CU_add_test(s, "broken: corrupt fields", test_corrupt);
    CU_add_test(s, "broken: byte-flip fuzz", test_fuzz);
    CU_add_test(s, "broken: not cores", test_not_cores);
}
