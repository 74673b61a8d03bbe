/* gdb/target.c — see target.h. */
#include "gdb/target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/query.h"

int tgt_pid(struct proc *p)
{
    return kq_pid(p);
}

int tgt_threads(struct proc *p, int *tids, int max)
{
    return kq_threads(p, tids, max);
}

bool tgt_thread_alive(struct proc *p, int tid)
{
    int tids[64];
    int n = kq_threads(p, tids, 64);
    for (int i = 0; i < n && i < 64; i++)
        if (tids[i] == tid)
            return true;
    return false;
}

const char *tgt_thread_name(struct proc *p, int tid)
{
    static char name[96];
    struct kq_thread t[64];
    int n = kq_thread_list(p, t, 64);
    for (int i = 0; i < n && i < 64; i++) {
        if (t[i].tid != tid)
            continue;
        if (n == 1)
            return kq_comm(p);
        if (t[i].state == KQ_THREAD_WAITING && t[i].futex)
            snprintf(name, sizeof name, "%s: futex wait on 0x%08x", kq_comm(p), t[i].futex);
        else
            snprintf(name, sizeof name, "%s: %s", kq_comm(p),
                     t[i].state == KQ_THREAD_WAITING ? "waiting" : "runnable");
        return name;
    }
    return kq_comm(p);
}

int tgt_current(struct proc *p)
{
    return kq_current_tid(p);
}

bool tgt_select(struct proc *p, int tid)
{
    return kq_thread_select(p, tid);
}

/* --- registers --------------------------------------------------------- */

bool tgt_read_reg(struct proc *p, int tid, int n, uint8_t out[TGT_REG_SIZE])
{
    uint32_t v;
    if (!kq_thread_reg(p, tid, n, &v))
        return false;
    for (int i = 0; i < 4; i++)               /* the target's byte order */
        out[i] = (uint8_t)(v >> (8 * i));
    return true;
}

bool tgt_write_reg(struct proc *p, int tid, int n, const uint8_t in[TGT_REG_SIZE])
{
    uint32_t v = (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 |
                 (uint32_t)in[3] << 24;
    return kq_thread_set_reg(p, tid, n, v);
}

/* --- memory, breakpoints, watchpoints ------------------------------------ */

size_t tgt_read_mem(struct proc *p, uint32_t addr, uint8_t *buf, size_t len)
{
    return kq_peek(p, addr, buf, len);
}

size_t tgt_write_mem(struct proc *p, uint32_t addr, const uint8_t *buf, size_t len)
{
    return kq_poke(p, addr, buf, len);
}

static const enum kq_watch_kind watch_of_type[5] = {
    [2] = KQ_WATCH_WRITE, [3] = KQ_WATCH_READ, [4] = KQ_WATCH_ACCESS,
};

int tgt_insert(struct proc *p, int type, uint32_t addr, uint32_t len)
{
    if (type == 0 || type == 1)               /* len is the instruction's: not needed */
        return kq_break_insert(p, addr);
    if (type >= 2 && type <= 4)
        return kq_watch_insert(p, addr, len, watch_of_type[type]);
    return -ENOSYS;
}

int tgt_remove(struct proc *p, int type, uint32_t addr, uint32_t len)
{
    if (type == 0 || type == 1)
        return kq_break_remove(p, addr);
    if (type >= 2 && type <= 4)
        return kq_watch_remove(p, addr, len, watch_of_type[type]);
    return -ENOSYS;
}

/* --- signals -------------------------------------------------------------- */

/* gdb's number for Linux signals 1..31 (include/gdb/signals.def). */
static const unsigned char to_gdb[32] = {
    0, 1, 2, 3, 4, 5, 6, 10 /* BUS */, 8, 9, 30 /* USR1 */, 11, 31 /* USR2 */, 13, 14, 15,
    143 /* STKFLT: none */, 20 /* CHLD */, 19 /* CONT */, 17 /* STOP */, 18 /* TSTP */,
    21, 22, 16 /* URG */, 24, 25, 26, 27, 28, 23 /* IO */, 32 /* PWR */, 12 /* SYS */,
};

int tgt_sig_to_gdb(int s)
{
    if (s >= 0 && s < 32)
        return to_gdb[s];
    if (s == 32)
        return 77;                            /* GDB_SIGNAL_REALTIME_32 */
    if (s >= 33 && s <= 63)
        return 45 + (s - 33);                 /* GDB_SIGNAL_REALTIME_33 ... _63 */
    if (s == 64)
        return 78;
    return 143;                               /* GDB_SIGNAL_UNKNOWN */
}

int tgt_sig_from_gdb(int g)
{
    for (int s = 1; s <= 64; s++)
        if (tgt_sig_to_gdb(s) == g && g != 143)
            return s;
    return 0;
}

void tgt_pass_signals(struct proc *p, const int *gdb_sigs, int n)
{
    uint64_t pass = 0;
    for (int i = 0; i < n; i++) {
        int s = tgt_sig_from_gdb(gdb_sigs[i]);
        if (s)
            pass |= 1ull << (s - 1);
    }
    kq_debug_pass(p, pass);
}

void tgt_attach(struct proc *p, bool on)
{
    kq_debug_attach(p, on);
}

/* --- running ------------------------------------------------------------------ */

/* The stop reply's facts for the process as it is, stopped by gdb signal
 * sig (when it is still running). */
static void describe(struct proc *p, int sig, struct tgt_stop *st)
{
    struct kq_state ks;
    kq_state(p, &ks);
    memset(st, 0, sizeof *st);
    st->tid = kq_current_tid(p);
    if (ks.running) {
        st->state = TGT_STOPPED;
        st->sig = sig;
    } else if (ks.term_sig) {
        st->state = TGT_KILLED;
        st->sig = tgt_sig_to_gdb(ks.term_sig);
    } else {
        st->state = TGT_EXITED;
        st->status = ks.status;
    }
}

bool tgt_resume(struct proc *p, int tid, int sig, bool step, bool first, uint64_t slice,
                int wake_fd, bool pending, int wait_ms, struct tgt_stop *stop)
{
    struct kq_state ks;
    if (first) {
        kq_deliver(p, tgt_sig_from_gdb(sig));     /* or discard the held one */
        kq_thread_lock(p, tid);
    }
    kq_state(p, &ks);
    if (!ks.running) {
        describe(p, 0, stop);
        return true;
    }
    kq_wake(p, wake_fd, pending, wait_ms);
    unsigned hit = kq_resume(p, step ? 1 : slice, step ? KQ_STOP_SYSCALL : 0, first);
    kq_wake(p, -1, false, -1);
    if ((hit & KQ_STOP_WAKE) && !(hit & ~(KQ_STOP_WAKE | KQ_STOP_SYSCALL)))
        return false;                             /* gdb has something to say: it looks */
    struct kq_stop why;
    kq_stop(p, &why);
    if (hit & KQ_STOP_SIGNAL) {
        describe(p, tgt_sig_to_gdb(why.signo), stop);
        return true;
    }
    if (!(hit & (KQ_STOP_BREAK | KQ_STOP_WATCH)) && !step) {
        kq_state(p, &ks);
        if (ks.running)
            return false;                         /* a stretch ended: go on */
    }
    describe(p, 5 /* SIGTRAP */, stop);
    stop->breakpoint = hit & KQ_STOP_BREAK;
    if (hit & KQ_STOP_WATCH) {
        stop->watch = true;
        stop->watch_addr = why.watch_addr;
        stop->watch_kind = why.watch_kind == KQ_WATCH_ACCESS ? "awatch"
                         : why.watch_kind == KQ_WATCH_READ ? "rwatch" : "watch";
    }
    return true;
}

void tgt_unlock(struct proc *p)
{
    kq_thread_lock(p, 0);
}

void tgt_stop_now(struct proc *p, int sig, struct tgt_stop *stop)
{
    describe(p, sig, stop);
}

void tgt_kill(struct proc *p)
{
    kq_kill(p);
}

/* --- qXfer objects ------------------------------------------------------------ */

/* The target description: RV32 integer registers and pc, named as gdb's
 * org.gnu.gdb.riscv.cpu feature expects them (x8 as "fp"), and the OS ABI,
 * so gdb picks its RISC-V Linux support (signal frames, $_siginfo)
 * without `set architecture` or `set osabi`. */
static const char target_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
    "<target version=\"1.0\">\n"
    "  <architecture>riscv:rv32</architecture>\n"
    "  <osabi>GNU/Linux</osabi>\n"
    "  <feature name=\"org.gnu.gdb.riscv.cpu\">\n";

static const char *const reg_name[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2", "a3",
    "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
    "t3", "t4", "t5", "t6",
};

static char *description(size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fputs(target_xml, f);
    for (int i = 0; i < 32; i++)
        fprintf(f, "    <reg name=\"%s\" bitsize=\"32\" type=\"%s\"%s/>\n", reg_name[i],
                i == 1 ? "code_ptr" : i == 2 || i == 3 || i == 4 || i == 8 ? "data_ptr" : "int",
                i == 0 ? " regnum=\"0\"" : "");
    fputs("    <reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>\n  </feature>\n</target>\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* text into f as XML attribute text (a program may be called "a&b"). */
static void xml_text(FILE *f, const char *text)
{
    for (; *text; text++)
        switch (*text) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*text, f);
        }
}

/* The thread list document (E.18 Thread List Format). */
static char *thread_list(struct proc *p, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    int tids[64];
    int n = tgt_threads(p, tids, 64);
    fputs("<?xml version=\"1.0\"?>\n<threads>\n", f);
    for (int i = 0; i < n && i < 64; i++) {
        fprintf(f, "  <thread id=\"p%x.%x\" core=\"0\" name=\"", (unsigned)tgt_pid(p),
                (unsigned)tids[i]);
        xml_text(f, tgt_thread_name(p, tids[i]));
        fputs("\"/>\n", f);
    }
    fputs("</threads>\n", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static long window(const void *obj, size_t size, uint64_t off, uint8_t *buf, size_t len)
{
    if (off >= size)
        return 0;
    if (len > size - off)
        len = size - (size_t)off;
    memcpy(buf, (const uint8_t *)obj + off, len);
    return (long)len;
}

long tgt_xfer(struct proc *p, const char *object, const char *annex, uint64_t off,
              uint8_t *buf, size_t len)
{
    if (!strcmp(object, "features") || !strcmp(object, "threads")) {
        if (object[0] == 'f' && strcmp(annex, "target.xml"))
            return -1;
        size_t size;
        char *doc = object[0] == 'f' ? description(&size) : thread_list(p, &size);
        if (!doc)
            return -1;
        long n = window(doc, size, off, buf, len);
        free(doc);
        return n;
    }
    if (!strcmp(object, "auxv")) {
        uint8_t aux[512];
        size_t size = kq_auxv(p, aux, sizeof aux);
        return window(aux, size < sizeof aux ? size : sizeof aux, off, buf, len);
    }
    if (!strcmp(object, "exec-file")) {
        if (annex[0] && strtol(annex, NULL, 16) != tgt_pid(p))
            return -1;
        const char *exe = kq_exe(p);
        return window(exe, strlen(exe), off, buf, len);
    }
    if (!strcmp(object, "siginfo")) {
        uint8_t si[KQ_SIGINFO_SIZE];
        size_t size = kq_siginfo(p, si);
        return size ? window(si, size, off, buf, len) : -1;
    }
    return -1;
}

/* --- files (vFile) ------------------------------------------------------------- */

static uint8_t *copy_of(const void *data, size_t size, int *err)
{
    uint8_t *b = malloc(size ? size : 1);
    if (!b)
        *err = ENOMEM;
    else
        memcpy(b, data, size);
    return b;
}

/* "/proc/PID/what" for our pid: returns what, else NULL. */
static const char *proc_file(struct proc *p, const char *path)
{
    char prefix[32];
    int n = snprintf(prefix, sizeof prefix, "/proc/%d/", tgt_pid(p));
    return strncmp(path, prefix, (size_t)n) ? NULL : path + n;
}

uint8_t *tgt_file(struct proc *p, const char *path, size_t *size, int *err)
{
    const char *what = proc_file(p, path);
    *err = ENOENT;
    if (what && !strcmp(what, "maps")) {
        char *text = NULL;
        FILE *f = open_memstream(&text, size);
        if (!f) {
            *err = ENOMEM;
            return NULL;
        }
        kq_print_proc_maps(p, f);
        if (fclose(f) != 0) {
            free(text);
            *err = ENOMEM;
            return NULL;
        }
        return (uint8_t *)text;
    }
    if (what && !strcmp(what, "cmdline")) {
        char args[4096];
        *size = kq_cmdline(p, args, sizeof args);
        return copy_of(args, *size, err);
    }
    if (!strcmp(path, kq_exe(p)) || (what && !strcmp(what, "exe"))) {
        const uint8_t *img = kq_exe_image(p, size);
        return copy_of(img, *size, err);
    }
    return NULL;
}

const char *tgt_readlink(struct proc *p, const char *path)
{
    const char *what = proc_file(p, path);
    return what && !strcmp(what, "exe") ? kq_exe(p) : NULL;
}
