/* gdb/commands.c — the packets of the remote protocol, one handler each,
 * found through one table of {prefix, handler} (docs/platform/gdb-remote.md
 * lists what gdb 13 sends and what each reply means).  Handlers parse the
 * packet, call gdb/target.h, and build the reply; none touches the
 * emulator, and none knows how a packet is framed.
 *
 * Bad input of any kind — a missing field, a bad hex digit, a length that
 * does not match the data — is answered with an error reply (E16, EINVAL),
 * and an unknown packet with the empty reply, as the manual asks.
 */
#include "gdb/server_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the reply buffer ------------------------------------------------------ */

void gdb_reply_bytes(struct gdb_server *s, const void *data, size_t len)
{
    if (len > sizeof s->out - s->outlen)
        len = sizeof s->out - s->outlen;      /* callers size replies to fit */
    memcpy(s->out + s->outlen, data, len);
    s->outlen += len;
}

void gdb_reply(struct gdb_server *s, const char *text)
{
    gdb_reply_bytes(s, text, strlen(text));
}

static void replyf(struct gdb_server *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void replyf(struct gdb_server *s, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n > 0)
        gdb_reply_bytes(s, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

void gdb_reply_hex(struct gdb_server *s, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const uint8_t *d = data;
    for (size_t i = 0; i < len && s->outlen + 2 <= sizeof s->out; i++) {
        s->out[s->outlen++] = (uint8_t)hex[d[i] >> 4];
        s->out[s->outlen++] = (uint8_t)hex[d[i] & 15];
    }
}

void gdb_reply_error(struct gdb_server *s, int err)
{
    s->outlen = 0;
    replyf(s, "E%02x", (unsigned)(err < 0 ? -err : err) & 0xff);
}

/* --- parsing ---------------------------------------------------------------- */

static int hexdigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long gdb_unhex(const char *hex, size_t len, uint8_t *out, size_t max)
{
    if (len % 2 || len / 2 > max)
        return -1;
    for (size_t i = 0; i < len / 2; i++) {
        int hi = hexdigit(hex[2 * i]), lo = hexdigit(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return (long)(len / 2);
}

/* A hex number at *p (at least one digit, at most 16), *p moved past it. */
static bool hexnum(const char **p, uint64_t *v)
{
    const char *c = *p;
    uint64_t n = 0;
    int digits = 0;
    for (; hexdigit(*c) >= 0; c++) {
        if (++digits > 16)
            return false;
        n = n << 4 | (uint64_t)hexdigit(*c);
    }
    if (!digits)
        return false;
    *p = c;
    *v = n;
    return true;
}

/* An address (32 bits) at *p. */
static bool addr32(const char **p, uint32_t *a)
{
    uint64_t v;
    if (!hexnum(p, &v) || v > UINT32_MAX)
        return false;
    *a = (uint32_t)v;
    return true;
}

static bool expect(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

/* A thread id (E.1 "thread-id syntax"): "p<pid>.<tid>", "p<pid>", "<tid>",
 * with -1 for all and 0 for any.  The tid, or -2 when malformed. */
static int thread_id(struct gdb_server *s, const char **p)
{
    uint64_t v;
    if (**p == 'p') {
        (*p)++;
        if (!strncmp(*p, "-1", 2)) {
            *p += 2;
            return -1;
        }
        if (!hexnum(p, &v))
            return -2;
        if (**p != '.')
            return v == (uint64_t)tgt_pid(s->p) ? -1 : -2;   /* the whole process */
        (*p)++;
    }
    if (!strncmp(*p, "-1", 2)) {
        *p += 2;
        return -1;
    }
    if (!hexnum(p, &v) || v > 0x7fffffff)
        return -2;
    return (int)v;
}

/* Does thread id t (as parsed) name one of ours? */
static bool ours(struct gdb_server *s, int t)
{
    return t == -1 || t == 0 || tgt_thread_alive(s->p, t);
}

/* The thread a register access or a resume concerns. */
static int current_thread(struct gdb_server *s, int sel)
{
    return sel > 0 ? sel : tgt_current(s->p);
}

static void thread_text(struct gdb_server *s, int tid)
{
    if (s->multiprocess)
        replyf(s, "p%x.%x", (unsigned)tgt_pid(s->p), (unsigned)tid);
    else
        replyf(s, "%x", (unsigned)tid);
}

/* --- stop replies (E.4) --------------------------------------------------------- */

void gdb_stop_reply(struct gdb_server *s, const struct tgt_stop *st)
{
    s->outlen = 0;
    if (st->state == TGT_EXITED || st->state == TGT_KILLED) {
        replyf(s, "%c%02x", st->state == TGT_EXITED ? 'W' : 'X',
               (unsigned)(st->state == TGT_EXITED ? st->status : st->sig) & 0xff);
        if (s->multiprocess)
            replyf(s, ";process:%x", (unsigned)tgt_pid(s->p));
        return;
    }
    replyf(s, "T%02x", (unsigned)st->sig & 0xff);
    static const int expedite[] = { TGT_REG_PC, 2 /* sp */, 8 /* fp */, 1 /* ra */ };
    for (size_t i = 0; i < sizeof expedite / sizeof expedite[0]; i++) {
        uint8_t v[TGT_REG_SIZE];
        if (tgt_read_reg(s->p, st->tid, expedite[i], v)) {
            replyf(s, "%02x:", expedite[i]);
            gdb_reply_hex(s, v, sizeof v);
            gdb_reply(s, ";");
        }
    }
    gdb_reply(s, "thread:");
    thread_text(s, st->tid);
    gdb_reply(s, ";");
    if (st->breakpoint && s->swbreak)
        gdb_reply(s, "swbreak:;");
    if (st->watch)
        replyf(s, "%s:%x;", st->watch_kind, (unsigned)st->watch_addr);
}

/* --- the packets ------------------------------------------------------------------ */

static void cmd_stop_reason(struct gdb_server *s, const char *a, size_t n)   /* ? */
{
    (void)a, (void)n;
    gdb_stop_reply(s, &s->last);
}

static void cmd_read_regs(struct gdb_server *s, const char *a, size_t n)     /* g */
{
    (void)a, (void)n;
    for (int r = 0; r < TGT_NREGS; r++) {
        uint8_t v[TGT_REG_SIZE];
        if (!tgt_read_reg(s->p, current_thread(s, s->thread_g), r, v)) {
            gdb_reply_error(s, ESRCH);        /* the thread is gone */
            return;
        }
        gdb_reply_hex(s, v, sizeof v);
    }
}

static void cmd_write_regs(struct gdb_server *s, const char *a, size_t n)    /* G */
{
    uint8_t v[TGT_NREGS * TGT_REG_SIZE];
    if (gdb_unhex(a, n, v, sizeof v) != (long)sizeof v) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    int tid = current_thread(s, s->thread_g);
    if (!tgt_thread_alive(s->p, tid)) {
        gdb_reply_error(s, ESRCH);
        return;
    }
    for (int r = 0; r < TGT_NREGS; r++)
        tgt_write_reg(s->p, tid, r, v + TGT_REG_SIZE * r);
    gdb_reply(s, "OK");
}

static void cmd_read_reg(struct gdb_server *s, const char *a, size_t n)      /* p n */
{
    (void)n;
    uint64_t r;
    uint8_t v[TGT_REG_SIZE];
    if (!hexnum(&a, &r) || *a || r >= TGT_NREGS ||
        !tgt_read_reg(s->p, current_thread(s, s->thread_g), (int)r, v)) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    gdb_reply_hex(s, v, sizeof v);
}

static void cmd_write_reg(struct gdb_server *s, const char *a, size_t n)     /* P n=r */
{
    const char *end = a + n;
    uint64_t r;
    uint8_t v[TGT_REG_SIZE];
    if (!hexnum(&a, &r) || !expect(&a, '=') || r >= TGT_NREGS ||
        gdb_unhex(a, (size_t)(end - a), v, sizeof v) != TGT_REG_SIZE ||
        !tgt_write_reg(s->p, current_thread(s, s->thread_g), (int)r, v)) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    gdb_reply(s, "OK");
}

/* "ADDR,LENGTH" then sep. */
static bool addr_len(const char **a, uint32_t *addr, uint64_t *len, char sep)
{
    return addr32(a, addr) && expect(a, ',') && hexnum(a, len) && (sep ? expect(a, sep) : !**a);
}

static void cmd_read_mem(struct gdb_server *s, const char *a, size_t n)      /* m addr,len */
{
    (void)n;
    uint32_t addr;
    uint64_t len;
    if (!addr_len(&a, &addr, &len, 0)) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    if (len > sizeof s->out / 2)
        len = sizeof s->out / 2;              /* a shorter answer is allowed */
    uint8_t buf[GDB_PACKET_SIZE / 2];
    size_t got = tgt_read_mem(s->p, addr, buf, (size_t)len);
    if (got == 0 && len)
        gdb_reply_error(s, EFAULT);
    else
        gdb_reply_hex(s, buf, got);
}

static void write_mem(struct gdb_server *s, uint32_t addr, const uint8_t *data, size_t len)
{
    if (tgt_write_mem(s->p, addr, data, len) != len)
        gdb_reply_error(s, EFAULT);
    else
        gdb_reply(s, "OK");
}

static void cmd_write_mem(struct gdb_server *s, const char *a, size_t n)     /* M addr,len:hex */
{
    const char *end = a + n;
    uint32_t addr;
    uint64_t len;
    uint8_t buf[GDB_PACKET_SIZE / 2];
    if (!addr_len(&a, &addr, &len, ':') || len > sizeof buf ||
        gdb_unhex(a, (size_t)(end - a), buf, sizeof buf) != (long)len) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    write_mem(s, addr, buf, (size_t)len);
}

static void cmd_write_bin(struct gdb_server *s, const char *a, size_t n)     /* X addr,len:bin */
{
    const char *end = a + n;
    uint32_t addr;
    uint64_t len;
    if (!addr_len(&a, &addr, &len, ':') || len != (uint64_t)(end - a)) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    write_mem(s, addr, (const uint8_t *)a, (size_t)len);
}

static void cmd_point(struct gdb_server *s, const char *a, size_t n, bool insert)
{
    (void)n;
    uint64_t type, kind;
    uint32_t addr;
    if (!hexnum(&a, &type) || !expect(&a, ',') || !addr32(&a, &addr) || !expect(&a, ',') ||
        !hexnum(&a, &kind) || (*a && *a != ';') || kind > UINT32_MAX) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    if (type > 4)
        return;                               /* empty: no such type (0-4 are gdb's) */
    int rc = insert ? tgt_insert(s->p, (int)type, addr, (uint32_t)kind)
                    : tgt_remove(s->p, (int)type, addr, (uint32_t)kind);
    if (rc == -ENOSYS)
        return;                               /* empty: this type is not supported */
    if (rc)
        gdb_reply_error(s, rc);
    else
        gdb_reply(s, "OK");
}

static void cmd_insert(struct gdb_server *s, const char *a, size_t n)        /* Z */
{
    cmd_point(s, a, n, true);
}

static void cmd_remove(struct gdb_server *s, const char *a, size_t n)        /* z */
{
    cmd_point(s, a, n, false);
}

/* Start running (thread tid first, and alone if `only`): the server's
 * loop runs it and sends the stop reply. */
static void resume(struct gdb_server *s, bool step, int sig, int tid, bool only)
{
    if (s->gone) {
        gdb_stop_reply(s, &s->last);          /* nothing left to run */
        return;
    }
    if (tid > 0)
        tgt_select(s->p, tid);                /* that thread first (if it can run) */
    s->running = true;
    s->stepping = step;
    s->first = true;
    s->resume_sig = sig;
    s->only_tid = only && tid > 0 ? tid : 0;
    s->no_reply = true;
}

/* c [addr], s [addr], C sig[;addr], S sig[;addr] */
static void cmd_resume(struct gdb_server *s, const char *a, bool step, bool with_sig)
{
    uint64_t sig = 0;
    uint32_t addr;
    if (with_sig && (!hexnum(&a, &sig) || sig > 255 || (*a && !expect(&a, ';')))) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    if (*a) {
        if (!addr32(&a, &addr) || *a) {
            gdb_reply_error(s, EINVAL);
            return;
        }
        uint8_t v[TGT_REG_SIZE] = { (uint8_t)addr, (uint8_t)(addr >> 8), (uint8_t)(addr >> 16),
                                    (uint8_t)(addr >> 24) };
        tgt_write_reg(s->p, current_thread(s, s->thread_c), TGT_REG_PC, v);
    }
    resume(s, step, (int)sig, s->thread_c, false);
}

static void cmd_c(struct gdb_server *s, const char *a, size_t n) { (void)n; cmd_resume(s, a, false, false); }
static void cmd_C(struct gdb_server *s, const char *a, size_t n) { (void)n; cmd_resume(s, a, false, true); }
static void cmd_s(struct gdb_server *s, const char *a, size_t n) { (void)n; cmd_resume(s, a, true, false); }
static void cmd_S(struct gdb_server *s, const char *a, size_t n) { (void)n; cmd_resume(s, a, true, true); }

static void cmd_vcont_query(struct gdb_server *s, const char *a, size_t n)   /* vCont? */
{
    (void)a, (void)n;
    gdb_reply(s, "vCont;c;C;s;S");
}

/* vCont;action[:thread-id][;action[:thread-id]]...: the first action
 * that names one of our threads (or none: the default) is the one taken.
 * Threads no action covers stay stopped (E.2 "vCont"): an action for one
 * thread with no default runs that thread alone. */
static void cmd_vcont(struct gdb_server *s, const char *a, size_t n)
{
    (void)n;
    bool chosen = false, step = false, has_default = false;
    int tid = -1;
    uint64_t csig = 0;
    while (*a) {
        char act = *a++;
        uint64_t sig = 0;
        if ((act == 'C' || act == 'S') && (!hexnum(&a, &sig) || sig > 255)) {
            gdb_reply_error(s, EINVAL);
            return;
        }
        if (act != 'c' && act != 'C' && act != 's' && act != 'S') {
            gdb_reply_error(s, EINVAL);       /* t and r are not offered by vCont? */
            return;
        }
        int t = -1;
        if (*a == ':') {
            a++;
            t = thread_id(s, &a);
            if (t == -2) {
                gdb_reply_error(s, EINVAL);
                return;
            }
        }
        if (*a && !expect(&a, ';')) {
            gdb_reply_error(s, EINVAL);
            return;
        }
        has_default |= t <= 0;
        if (!chosen && ours(s, t)) {
            chosen = true;
            step = act == 's' || act == 'S';
            tid = t;
            csig = sig;
        }
    }
    if (!chosen) {
        gdb_reply_error(s, EINVAL);           /* no action for our threads */
        return;
    }
    resume(s, step, (int)csig, tid, !has_default);
}

static void cmd_set_thread(struct gdb_server *s, const char *a, size_t n)    /* Hg / Hc */
{
    (void)n;
    char op = *a++;
    int t = thread_id(s, &a);
    if ((op != 'g' && op != 'c') || t == -2 || *a || !ours(s, t)) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    if (op == 'g')
        s->thread_g = t;
    else
        s->thread_c = t;
    gdb_reply(s, "OK");
}

static void cmd_thread_alive(struct gdb_server *s, const char *a, size_t n)  /* T id */
{
    (void)n;
    int t = thread_id(s, &a);
    if (t > 0 && !*a && tgt_thread_alive(s->p, t) && !s->gone)
        gdb_reply(s, "OK");
    else
        gdb_reply_error(s, ESRCH);
}

static void cmd_current_thread(struct gdb_server *s, const char *a, size_t n)   /* qC */
{
    (void)a, (void)n;
    gdb_reply(s, "QC");
    thread_text(s, current_thread(s, s->thread_g));
}

static void cmd_thread_first(struct gdb_server *s, const char *a, size_t n)     /* qfThreadInfo */
{
    (void)a, (void)n;
    int tids[64];
    int k = tgt_threads(s->p, tids, 64);
    gdb_reply(s, "m");
    for (int i = 0; i < k && i < 64; i++) {
        if (i)
            gdb_reply(s, ",");
        thread_text(s, tids[i]);
    }
}

static void cmd_thread_next(struct gdb_server *s, const char *a, size_t n)      /* qsThreadInfo */
{
    (void)a, (void)n;
    gdb_reply(s, "l");                         /* qfThreadInfo gave them all */
}

static void cmd_thread_extra(struct gdb_server *s, const char *a, size_t n)     /* qThreadExtraInfo,id */
{
    (void)n;
    int t = thread_id(s, &a);
    if (t <= 0 || *a || !tgt_thread_alive(s->p, t)) {
        gdb_reply_error(s, ESRCH);
        return;
    }
    const char *name = tgt_thread_name(s->p, t);
    gdb_reply_hex(s, name, strlen(name));
}

static void cmd_attached(struct gdb_server *s, const char *a, size_t n)         /* qAttached */
{
    (void)a, (void)n;
    gdb_reply(s, "0");                        /* we started it: quitting kills it */
}

static void cmd_ok(struct gdb_server *s, const char *a, size_t n)
{
    (void)a, (void)n;
    gdb_reply(s, "OK");
}

static void cmd_empty(struct gdb_server *s, const char *a, size_t n)
{
    (void)s, (void)a, (void)n;
}

static void cmd_supported(struct gdb_server *s, const char *a, size_t n)        /* qSupported */
{
    (void)n;
    s->multiprocess = strstr(a, "multiprocess+") != NULL;
    s->swbreak = strstr(a, "swbreak+") != NULL;
    s->hwbreak = strstr(a, "hwbreak+") != NULL;
    replyf(s, "PacketSize=%x;QStartNoAckMode+;QPassSignals+;qXfer:features:read+;"
           "qXfer:auxv:read+;qXfer:exec-file:read+;qXfer:siginfo:read+;qXfer:threads:read+;"
           "vContSupported+%s%s%s", GDB_PACKET_SIZE, s->multiprocess ? ";multiprocess+" : "",
           s->swbreak ? ";swbreak+" : "", s->hwbreak ? ";hwbreak+" : "");
}

static void cmd_noack(struct gdb_server *s, const char *a, size_t n)            /* QStartNoAckMode */
{
    (void)a, (void)n;
    gdb_send_str(&s->conn, "OK");             /* acknowledged as usual, then none */
    s->conn.noack = true;
    s->no_reply = true;
}

static void cmd_pass_signals(struct gdb_server *s, const char *a, size_t n)     /* QPassSignals: */
{
    (void)n;
    int sigs[160], k = 0;
    while (*a) {
        uint64_t v;
        if (!hexnum(&a, &v) || v > 255 || k == 160 || (*a && !expect(&a, ';'))) {
            gdb_reply_error(s, EINVAL);
            return;
        }
        sigs[k++] = (int)v;
    }
    tgt_pass_signals(s->p, sigs, k);
    gdb_reply(s, "OK");
}

/* qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH */
static void cmd_xfer(struct gdb_server *s, const char *a, size_t n)
{
    (void)n;
    char object[32], annex[64];
    const char *c = strchr(a, ':');
    if (!c || (size_t)(c - a) >= sizeof object) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    snprintf(object, sizeof object, "%.*s", (int)(c - a), a);
    if (strncmp(c, ":read:", 6))
        return;                               /* writes: not supported */
    c += 6;
    const char *c2 = strchr(c, ':');
    uint64_t off, len;
    if (!c2 || (size_t)(c2 - c) >= sizeof annex) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    snprintf(annex, sizeof annex, "%.*s", (int)(c2 - c), c);
    c = c2 + 1;
    if (!hexnum(&c, &off) || !expect(&c, ',') || !hexnum(&c, &len) || *c) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    uint8_t buf[GDB_PACKET_SIZE / 2];
    if (len > sizeof buf)
        len = sizeof buf;                     /* escapes may double it */
    long got = tgt_xfer(s->p, object, annex, off, buf, (size_t)len);
    if (got < 0) {
        gdb_reply_error(s, ENOENT);
        return;
    }
    gdb_reply(s, (uint64_t)got < len ? "l" : "m");
    gdb_reply_bytes(s, buf, (size_t)got);
}

static void cmd_monitor(struct gdb_server *s, const char *a, size_t n)          /* qRcmd,hex */
{
    char line[1024];
    long k = gdb_unhex(a, n, (uint8_t *)line, sizeof line - 1);
    if (k < 0) {
        gdb_reply_error(s, EINVAL);
        return;
    }
    line[k] = 0;
    gdb_monitor(s, line);
}

static void cmd_hostio(struct gdb_server *s, const char *a, size_t n)           /* vFile: */
{
    gdb_hostio(s, a, n);
}

static void cmd_kill(struct gdb_server *s, const char *a, size_t n)             /* k */
{
    (void)a, (void)n;
    tgt_kill(s->p);
    tgt_stop_now(s->p, 0, &s->last);
    s->gone = true;
    s->no_reply = true;                       /* gdb waits for none */
    s->connected = false;                     /* and the session is over */
}

static void cmd_vkill(struct gdb_server *s, const char *a, size_t n)            /* vKill;pid */
{
    (void)a, (void)n;
    tgt_kill(s->p);
    tgt_stop_now(s->p, 0, &s->last);
    s->gone = true;
    gdb_reply(s, "OK");
}

static void cmd_detach(struct gdb_server *s, const char *a, size_t n)           /* D[;pid] */
{
    (void)a, (void)n;
    gdb_send_str(&s->conn, "OK");
    s->no_reply = true;
    gdb_detach(s);
}

/* The table.  A prefix ending in a letter matches only the whole packet
 * name, i.e. the packet continues with nothing or with one of ":,;"
 * ("qC" is not "qCRC:..."); one-letter packets take their arguments right
 * after the letter.  Order: longer names before their prefixes. */
struct gdb_command {
    const char *prefix;
    bool        letter;                      /* a one-letter packet */
    void      (*fn)(struct gdb_server *s, const char *args, size_t len);
};

static const struct gdb_command table[] = {
    { "qSupported", false, cmd_supported },
    { "QStartNoAckMode", false, cmd_noack },
    { "QPassSignals:", false, cmd_pass_signals },
    { "QProgramSignals:", false, cmd_ok },
    { "qXfer:", false, cmd_xfer },
    { "qRcmd,", false, cmd_monitor },
    { "qC", false, cmd_current_thread },
    { "qfThreadInfo", false, cmd_thread_first },
    { "qsThreadInfo", false, cmd_thread_next },
    { "qThreadExtraInfo,", false, cmd_thread_extra },
    { "qAttached", false, cmd_attached },
    { "qSymbol:", false, cmd_ok },
    { "vMustReplyEmpty", false, cmd_empty },
    { "vCont?", false, cmd_vcont_query },
    { "vCont;", false, cmd_vcont },
    { "vKill", false, cmd_vkill },
    { "vFile:", false, cmd_hostio },
    { "?", true, cmd_stop_reason },
    { "g", true, cmd_read_regs },
    { "G", true, cmd_write_regs },
    { "p", true, cmd_read_reg },
    { "P", true, cmd_write_reg },
    { "m", true, cmd_read_mem },
    { "M", true, cmd_write_mem },
    { "X", true, cmd_write_bin },
    { "Z", true, cmd_insert },
    { "z", true, cmd_remove },
    { "c", true, cmd_c },
    { "C", true, cmd_C },
    { "s", true, cmd_s },
    { "S", true, cmd_S },
    { "H", true, cmd_set_thread },
    { "T", true, cmd_thread_alive },
    { "k", true, cmd_kill },
    { "D", true, cmd_detach },
};

static const struct gdb_command *lookup(const char *pkt, size_t len, size_t *skip)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const struct gdb_command *c = &table[i];
        size_t k = strlen(c->prefix);
        if (len < k || memcmp(pkt, c->prefix, k))
            continue;
        char last = c->prefix[k - 1], next = len > k ? pkt[k] : 0;
        if (!c->letter && ((last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z')) &&
            next && next != ':' && next != ',' && next != ';')
            continue;                         /* a longer name: "qCRC" is not "qC" */
        *skip = k;
        return c;
    }
    return NULL;
}

void gdb_dispatch(struct gdb_server *s, const char *pkt, size_t len)
{
    s->outlen = 0;
    s->no_reply = false;
    size_t skip = 0;
    const struct gdb_command *c = lookup(pkt, len, &skip);
    if (c && s->running && c->fn != cmd_stop_reason) {
        gdb_reply_error(s, EBUSY);            /* all-stop: only ^C while it runs */
    } else if (c) {
        c->fn(s, pkt + skip, len - skip);
    }                                         /* unknown: the empty reply */
    if (!s->no_reply)
        gdb_send(&s->conn, s->out, s->outlen);
}
