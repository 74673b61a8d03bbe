/* inspect/render.c — the two renderings of a report (inspect/render.h):
 * text for a person and JSON for a script.
 *
 * Both read only the struct report that inspect/report.c built; they
 * choose words around the facts, number bases and columns, and nothing
 * else.  Where they show a fact differently the difference is layout: the
 * text folds a recursion's repeated frames into one line, dumps memory in
 * 16-byte rows and writes a PTE's bits as V=1; JSON lists every frame,
 * gives the bytes 32 either side of the fault and writes "V": true.
 */
#include "inspect/render.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "kernel/walk_text.h"
#include "mmu/sv32.h"

static const char *const from_word[] = {
    [REPORT_FROM_PC] = "pc",
    [REPORT_FROM_RA] = "ra register",
    [REPORT_FROM_FP] = "frame pointer chain",
    [REPORT_FROM_SIGNAL] = "signal frame",
    [REPORT_FROM_UC] = "interrupted context",
    [REPORT_FROM_CFI] = "call frame information",
};

/* "func+off", "func" or "??". */
static void sym_str(const struct report_place *p, char *buf, size_t len)
{
    if (p->func && p->off)
        snprintf(buf, len, "%s+%u", p->func, p->off);
    else if (p->func)
        snprintf(buf, len, "%s", p->func);
    else
        snprintf(buf, len, "??");
}

/* The byte at a, if the window holds it and the core has it. */
static bool mem_byte(const struct report_mem *m, uint64_t a, uint8_t *b)
{
    if (a < m->start || a - m->start >= m->len || !m->have[a - m->start])
        return false;
    *b = m->byte[a - m->start];
    return true;
}

/* ---------------------------------------------------------------------------
 * Text */

/* The length of the well-formed UTF-8 sequence at s (2 to 4 bytes: no
 * overlong form, no surrogate, at most U+10FFFF) and its code point, or 0. */
static int utf8_seq(const unsigned char *s, uint32_t *cp)
{
    int n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (!n || s[0] > 0xf4)
        return 0;
    uint32_t v = s[0] & (0x7f >> n);
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;                          /* also stops at the NUL */
        v = v << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

/* Text from the core or the program may hold anything: print it so that
 * no byte can move the terminal cursor.  Well-formed UTF-8 ("é", "—")
 * passes, except the C1 controls U+0080-U+009F (U+009B is a CSI). */
static void put_safe(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        uint32_t cp;
        int n;
        if (ch == '\\')
            fputs("\\\\", f);                  /* so that "\\x41" is never read as an escape */
        else if (ch >= 0x20 && ch < 0x7f)
            fputc(ch, f);
        else if (ch >= 0x80 && (n = utf8_seq((const unsigned char *)s, &cp)) && cp >= 0xa0) {
            fwrite(s, 1, (size_t)n, f);
            s += n - 1;
        } else
            fprintf(f, "\\x%02x", ch);
    }
}

/* "<func+off>" after sep, when the place has a symbol. */
static void put_sym(FILE *o, const char *sep, const struct report_place *p)
{
    char sym[160];
    if (!p->func)
        return;
    sym_str(p, sym, sizeof sym);
    fputs(sep, o);
    fputc('<', o);
    put_safe(o, sym);
    fputc('>', o);
}

static void text_headline(FILE *o, const struct report *r, bool stopped)
{
    fputs("Program ", o);
    put_safe(o, r->program);
    fprintf(o, " (pid %d) %s %s (%s), ", r->pid, stopped ? "is stopped by" : "was killed by",
            r->sig.name, r->sig.description);
    if (r->sig.code_name)
        fprintf(o, "%s", r->sig.code_name);
    else
        fprintf(o, "si_code %d", r->sig.code);
    fputs(stopped ? ", before it is delivered.\n" : ".\n", o);
    fputs("Cause: ", o);
    put_safe(o, r->cause);
    fputc('\n', o);
    if (r->hint[0]) {                   /* may hold a segment name from the core */
        fputs("Hint: ", o);
        put_safe(o, r->hint);
        fputc('\n', o);
    }
    if (r->fault.record == REPORT_RECORD_EARLIER)
        fprintf(o, "Note: the core also records an earlier fault (%s at 0x%08x, pc 0x%08x) "
                "that a signal handler dealt with; it is not what killed the program.\n",
                r->fault.access, r->fault.addr, r->fault.pc);
    if (r->command_line[0]) {
        fputs("Command line: ", o);
        put_safe(o, r->command_line);
        fputc('\n', o);
    }
    if (r->note)
        fprintf(o, "Instructions executed: %llu\n", (unsigned long long)r->instret);
    if (r->program_file) {
        fputs("Program file: ", o);
        put_safe(o, r->program_file);
        fputs(r->lines ? " (symbols and source lines)\n" : " (symbols; no debug info for lines)\n",
              o);
    }
    if (r->program_note[0]) {
        fputs(r->program_file ? "" : "Note: ", o);
        put_safe(o, r->program_note);
        fputc('\n', o);
    }
}

static void text_instruction(FILE *o, const struct report_insn *in)
{
    fputs("\nInstruction\n", o);
    if (in->len) {
        fprintf(o, "  0x%08x", in->pc);
        put_sym(o, " ", &in->at);
        fputs(":  ", o);
        for (unsigned k = 0; k < 4; k++)
            fprintf(o, k < in->len ? "%02x " : "   ", in->bytes[k]);
        fprintf(o, "  %s", in->text);
        if (in->at.file) {
            fputs("    ", o);
            put_safe(o, in->at.file);
            fprintf(o, ":%d", in->at.line);
        }
        fputc('\n', o);
        if (in->address[0])
            fprintf(o, "  address = %s\n", in->address);
        if (strcmp(in->from, "core"))
            fputs("  (bytes from the program file: the core does not hold them)\n", o);
    }
    if (in->note[0])
        fprintf(o, "  (%s)\n", in->note);
}

static void text_registers(FILE *o, const struct report_regs *g)
{
    fputs("\nRegisters\n", o);
    fprintf(o, "  pc   0x%08x", g->pc);
    put_sym(o, "  ", &g->pc_at);
    fputc('\n', o);
    for (int i = 0; i < 32; i++)
        fprintf(o, "  %-4s 0x%08x%s", report_reg_name[i], g->x[i], i % 4 == 3 ? "\n" : "");
}

static void text_frame(FILE *o, int i, const struct report_frame *f)
{
    char sym[160];
    sym_str(&f->at, sym, sizeof sym);
    fprintf(o, "  #%-2d 0x%08x in ", i, f->pc);
    if (f->from == REPORT_FROM_SIGNAL) {
        fputs("<signal handler called>\n", o);
        return;
    }
    put_safe(o, sym);
    if (f->at.inlined && (!f->at.func || strcmp(f->at.inlined, f->at.func))) {
        fputs(" [inlined ", o);
        put_safe(o, f->at.inlined);
        fputs("]", o);
    }
    if (f->at.file) {
        fputs(" at ", o);
        put_safe(o, f->at.file);
        fprintf(o, ":%d", f->at.line);
    }
    if (f->from == REPORT_FROM_RA)
        fputs("   (from the ra register: the frame above saved none)", o);
    else if (f->from == REPORT_FROM_UC)
        fputs("   (interrupted by the signal)", o);
    fputc('\n', o);
}

static void text_frames(FILE *o, const struct report_backtrace *bt)
{
    for (int i = 0; i < bt->n; i++) {
        int same = 0;                   /* recursion: fold repeats of one frame */
        while (i + same + 1 < bt->n && bt->frame[i + same + 1].pc == bt->frame[i].pc &&
               bt->frame[i + same + 1].from == bt->frame[i].from)
            same++;
        text_frame(o, i, &bt->frame[i]);
        if (same > 1) {
            fprintf(o, "  ... the same frame %d more times (#%d-#%d): recursion\n", same,
                    i + 1, i + same);
            i += same;
        }
    }
    if (bt->more)
        fprintf(o, "  ... and %ld more frames not shown\n", bt->more);
    if (bt->end[0])
        fprintf(o, "  (%s)\n", bt->end);
}

static void text_backtrace(FILE *o, const struct report_backtrace *bt)
{
    fputs("\nBacktrace\n", o);
    text_frames(o, bt);
}

static void text_threads(FILE *o, const struct report_threads *th)
{
    if (!th->n)
        return;
    fprintf(o, "\nThreads (%d)\n", th->n);
    for (int i = 0; i < th->n; i++) {
        const struct report_thread *t = &th->t[i];
        fprintf(o, "thread %d%s: %s", t->tid, i == 0 ? " (the one the signal ended)" : "",
                t->state);
        if (!strcmp(t->state, "futex wait"))
            fprintf(o, " on 0x%08x", t->futex);
        fprintf(o, ", pc 0x%08x, sp 0x%08x", t->pc, t->sp);
        if (t->stack_end)
            fprintf(o, ", stack 0x%08x-0x%08x%s%s%s", t->stack_start, t->stack_end,
                    t->stack_name ? " (" : "", t->stack_name ? t->stack_name : "",
                    t->stack_name ? ")" : "");
        if (t->tid == th->overflow_tid)
            fputs(" -- its stack overflowed", o);
        fputc('\n', o);
        text_frames(o, &t->bt);
    }
}

static void text_map(FILE *o, const struct report *r)
{
    const struct report_map *m = &r->map;
    char size[32];
    fputs("\nMemory map\n", o);
    if (!r->note) {
        if (r->note_version)
            fprintf(o, "  (VMLAB note version %u is not one this inspector understands)\n",
                    r->note_version);
        else
            fputs("  (the core has no VMLAB note: program headers only)\n", o);
    } else {
        fprintf(o, "  %-10s %-10s %-5s %10s %14s %8s %9s  %s\n", "start", "end", "perms",
                "size", "resident", "on swap", "file only", "name");
    }
    for (int i = 0; i < m->n; i++) {
        const struct report_row *w = &m->row[i];
        char res[32];
        switch (w->kind) {
        case REPORT_ROW_LOAD:
            fprintf(o, "  0x%08x-0x%08x %s %10s\n", w->start, w->end, w->perms,
                    report_size_str(w->end - w->start, size));
            break;
        case REPORT_ROW_NOTHING:
            fprintf(o, "  0x%08x %-63s<-- fault: no segment here\n", w->start, "");
            break;
        case REPORT_ROW_SEGMENT:
            snprintf(res, sizeof res, "%u/%u pages", w->resident, (w->end - w->start) / PAGE_SIZE);
            fprintf(o, "  0x%08x 0x%08x %-5s %10s %14s ", w->start, w->end, w->perms,
                    report_size_str(w->end - w->start, size), res);
            if (w->states)
                fprintf(o, "%8u %9u  ", w->swapped, w->file_only);
            else
                fprintf(o, "%8s %9s  ", "-", "-");
            put_safe(o, w->name);
            if (i == r->fault.seg)
                fprintf(o, "   <-- fault (%s at 0x%08x)", r->fault.access, r->fault.addr);
            fputc('\n', o);
            break;
        }
    }
    if (r->note)
        fprintf(o, "  heap break 0x%08x (heap starts at 0x%08x); stack limit %s\n", m->brk,
                m->brk_start, report_size_str(m->stack_limit, size));
}

static void text_walk(FILE *o, const struct report *r)
{
    const struct report_walk *w = &r->walk;
    if (w->none) {
        fprintf(o, "\nSv32 walk\n  (%s)\n", w->none);
        return;
    }
    fprintf(o, "\nSv32 walk of 0x%08x (%s)\n", r->fault.addr, r->fault.access);
    struct walk_text t = { .va = r->fault.addr, .satp = w->satp, .levels = w->levels };
    for (int l = 0; l < w->levels && l < 2; l++) {
        t.pte_addr[l] = w->pte[l].addr;
        t.pte[l] = w->pte[l].value;
    }
    walk_text_print(o, &t, w->verdict);     /* the same lines as gdb's monitor walk */
}

/* 16-byte rows from REPORT_AROUND bytes before center's row to as far
 * after it; a row stops at its first byte the core does not hold. */
static void text_hexdump(FILE *o, const struct report_mem *m, uint32_t center)
{
    uint64_t row = center & ~15u;
    uint64_t start = row >= REPORT_AROUND ? row - REPORT_AROUND : 0;
    uint64_t end = row + 16 + REPORT_AROUND;
    if (end > 0x100000000ull)
        end = 0x100000000ull;
    for (uint64_t a = start; a < end; a += 16) {
        uint8_t b[16];
        size_t n = 0;
        while (n < 16 && mem_byte(m, a + n, &b[n]))
            n++;
        fprintf(o, "  0x%08x: ", (uint32_t)a);
        for (size_t k = 0; k < 16; k++) {
            if (k < n)
                fprintf(o, "%02x ", b[k]);
            else
                fputs("-- ", o);
        }
        fputs(" |", o);
        for (size_t k = 0; k < 16; k++)
            fputc(k < n && b[k] >= 0x20 && b[k] < 0x7f ? b[k] : k < n ? '.' : ' ', o);
        fputs("|\n", o);
        if (center >= a && center < a + 16)
            fprintf(o, "  %*s^^ 0x%08x\n", (int)(12 + 3 * (center - a)), "", center);
    }
}

static void text_memory(FILE *o, const struct report *r)
{
    uint32_t addr = r->sig.addr;
    uint8_t b;
    fprintf(o, "\nMemory around 0x%08x\n", addr);
    bool any = false;
    for (int64_t a = (int64_t)addr - REPORT_AROUND; a < (int64_t)addr + REPORT_AROUND + 16; a++)
        if (a >= 0 && mem_byte(&r->mem, (uint64_t)a, &b))
            any = true;
    if (!any)
        fprintf(o, "  not mapped: the core holds nothing within %d bytes of 0x%08x\n",
                REPORT_AROUND, addr);
    else
        text_hexdump(o, &r->mem, addr);
}

static void text_stack(FILE *o, const struct report *r)
{
    const struct report_stack *st = &r->stack;
    uint32_t sp = r->regs.x[2];
    fprintf(o, "\nTop of the stack (sp = 0x%08x)\n", sp);
    for (int i = 0; i < st->n; i++) {
        const struct report_word *w = &st->word[i];
        uint32_t k = 4 * (uint32_t)i;
        fprintf(o, "  sp+%-3u 0x%08x: 0x%08x", k, sp + k, w->value);
        if (w->code && w->at.func)
            put_sym(o, "  ", &w->at);
        else if (w->code)
            fputs("  (a code address)", o);
        fputc('\n', o);
    }
    if (st->n < REPORT_STACK_WORDS)
        fprintf(o, "  0x%08x: not in the core\n", sp + 4 * (uint32_t)st->n);
}

void render_text(FILE *out, const struct report *r)
{
    text_headline(out, r, false);
    text_instruction(out, &r->insn);
    text_registers(out, &r->regs);
    text_backtrace(out, &r->bt);
    text_threads(out, &r->threads);
    text_map(out, r);
    text_walk(out, r);
    if (r->sig.has_addr)
        text_memory(out, r);
    text_stack(out, r);
}

/* ---------------------------------------------------------------------------
 * JSON: one object, 2-space indented */

struct jw {
    FILE *f;
    int   depth;
    bool  comma[16];
};

static void jstr(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        uint32_t cp;
        int n = ch >= 0x80 ? utf8_seq((const unsigned char *)s, &cp) : 0;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (n) {
            if (cp < 0xa0)
                fprintf(f, "\\u%04x", (unsigned)cp);   /* a C1 control, as its code point */
            else
                fwrite(s, 1, (size_t)n, f);   /* JSON text is UTF-8 */
            s += n - 1;
        } else if (ch < 0x20 || ch >= 0x7f)
            fprintf(f, "\\u%04x", ch);        /* any other byte stays valid JSON */
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void jkey(struct jw *j, const char *key)
{
    if (j->comma[j->depth])
        fputc(',', j->f);
    j->comma[j->depth] = true;
    fprintf(j->f, "\n%*s", 2 * j->depth, "");
    if (key) {
        jstr(j->f, key);
        fputs(": ", j->f);
    }
}

static void jopen(struct jw *j, const char *key, char bracket)
{
    assert(j->depth + 1 < (int)(sizeof j->comma / sizeof *j->comma) && "jopen: too deep");
    if (j->depth > 0 || key)
        jkey(j, key);
    fputc(bracket, j->f);
    j->depth++;
    j->comma[j->depth] = false;
}

static void jclose(struct jw *j, char bracket)
{
    bool empty = !j->comma[j->depth];
    j->depth--;
    if (!empty)
        fprintf(j->f, "\n%*s", 2 * j->depth, "");
    fputc(bracket, j->f);
}

static void jnull(struct jw *j, const char *key)
{
    jkey(j, key);
    fputs("null", j->f);
}

/* A string, or null for NULL. */
static void js(struct jw *j, const char *key, const char *v)
{
    if (!v) {
        jnull(j, key);
        return;
    }
    jkey(j, key);
    jstr(j->f, v);
}

/* A string, or null for "". */
static void js_opt(struct jw *j, const char *key, const char *v)
{
    js(j, key, v[0] ? v : NULL);
}

static void ji(struct jw *j, const char *key, long long v)
{
    jkey(j, key);
    fprintf(j->f, "%lld", v);
}

static void jhex(struct jw *j, const char *key, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "0x%08llx", (unsigned long long)v);
    js(j, key, b);
}

static void jb(struct jw *j, const char *key, bool v)
{
    jkey(j, key);
    fputs(v ? "true" : "false", j->f);
}

static void json_headline(struct jw *j, const struct report *r)
{
    const struct report_signal *g = &r->sig;
    bool fault = r->fault.record == REPORT_RECORD_THIS;
    ji(j, "version", REPORT_JSON_VERSION);
    js(j, "core", r->core);
    js(j, "program", r->program);
    js(j, "program_file", r->program_file);
    js_opt(j, "program_note", r->program_note);
    ji(j, "pid", r->pid);
    js(j, "command_line", r->command_line);
    if (r->note)
        ji(j, "instructions", (long long)r->instret);
    else
        jnull(j, "instructions");

    jopen(j, "signal", '{');
    ji(j, "number", g->number);
    js(j, "name", g->name);
    js(j, "description", g->description);
    ji(j, "code", g->code);
    js(j, "code_name", g->code_name);
    if (g->has_addr)
        jhex(j, "addr", g->addr);
    else
        jnull(j, "addr");
    jclose(j, '}');
    js(j, "cause", r->cause);
    js_opt(j, "hint", r->hint);
    js(j, "access", fault ? r->fault.access : NULL);
    jb(j, "stack_overflow", fault && r->fault.stack_overflow);
    jb(j, "earlier_fault_handled", r->fault.record == REPORT_RECORD_EARLIER);
    if (r->fault.seg >= 0) {
        const struct report_row *w = &r->map.row[r->fault.seg];
        jopen(j, "segment", '{');
        js(j, "name", w->name);
        js(j, "perms", w->perms);
        jhex(j, "start", w->start);
        jhex(j, "end", w->end);
        jclose(j, '}');
    } else {
        jnull(j, "segment");
    }
}

/* "xx xx ..." with "--" for the bytes the core does not hold. */
static void json_bytes(struct jw *j, const char *key, const struct report_mem *m,
                       uint32_t start, uint32_t len)
{
    char hex[3 * 2 * REPORT_AROUND + 1] = "";
    long avail = 0;
    assert(len <= 2 * REPORT_AROUND && "json_bytes: more than the window");
    for (uint32_t k = 0; k < len; k++) {
        uint8_t b;
        bool have = mem_byte(m, (uint64_t)start + k, &b);
        avail += have;
        if (have)
            snprintf(hex + 3 * k, 4, k + 1 < len ? "%02x " : "%02x", b);
        else
            snprintf(hex + 3 * k, 4, k + 1 < len ? "-- " : "--");
    }
    jopen(j, key, '{');
    jhex(j, "start", start);
    ji(j, "length", len);
    ji(j, "available", avail);
    js(j, "bytes", hex);
    jclose(j, '}');
}

static void json_instruction(struct jw *j, const struct report_insn *in)
{
    jopen(j, "instruction", '{');
    jhex(j, "pc", in->pc);
    if (in->len) {
        char hex[16];
        for (unsigned k = 0; k < in->len; k++)
            snprintf(hex + 3 * k, 4, k + 1 < in->len ? "%02x " : "%02x", in->bytes[k]);
        js(j, "bytes", hex);
        js(j, "text", in->text);
        js(j, "bytes_from", in->from);
    } else {
        jnull(j, "bytes");
        jnull(j, "text");
        jnull(j, "bytes_from");
    }
    js_opt(j, "address", in->address);
    js_opt(j, "note", in->note);
    jclose(j, '}');
}

static void json_registers(struct jw *j, const struct report_regs *g)
{
    jopen(j, "registers", '{');
    jhex(j, "pc", g->pc);
    for (int i = 0; i < 32; i++)
        jhex(j, report_reg_name[i], g->x[i]);
    jclose(j, '}');
}

static void json_frames(struct jw *j, const char *key, const struct report_backtrace *bt)
{
    jopen(j, key, '[');
    for (int i = 0; i < bt->n; i++) {
        const struct report_frame *f = &bt->frame[i];
        jopen(j, NULL, '{');
        jhex(j, "pc", f->pc);
        js(j, "function", f->from == REPORT_FROM_SIGNAL ? "<signal handler called>" : f->at.func);
        ji(j, "offset", f->at.off);
        js(j, "inlined", f->at.inlined);
        js(j, "file", f->at.file);
        if (f->at.file)
            ji(j, "line", f->at.line);
        else
            jnull(j, "line");
        js(j, "from", from_word[f->from]);
        jclose(j, '}');
    }
    jclose(j, ']');
}

static void json_backtrace(struct jw *j, const struct report_backtrace *bt)
{
    json_frames(j, "backtrace", bt);
    js_opt(j, "backtrace_end", bt->end);
}

/* "threads": [] for a core of one thread. */
static void json_threads(struct jw *j, const struct report_threads *th)
{
    jopen(j, "threads", '[');
    for (int i = 0; i < th->n; i++) {
        const struct report_thread *t = &th->t[i];
        jopen(j, NULL, '{');
        ji(j, "tid", t->tid);
        js(j, "state", t->state);
        jhex(j, "futex", t->futex);
        jhex(j, "pc", t->pc);
        jhex(j, "sp", t->sp);
        jhex(j, "stack_start", t->stack_start);
        jhex(j, "stack_end", t->stack_end);
        js(j, "stack_name", t->stack_name);
        jb(j, "stack_overflow", t->tid == th->overflow_tid);
        json_frames(j, "backtrace", &t->bt);
        js_opt(j, "backtrace_end", t->bt.end);
        jclose(j, '}');
    }
    jclose(j, ']');
}

/* The VMLAB segments (JSON has no rows for PT_LOADs or for "nothing here"). */
static void json_map(struct jw *j, const struct report *r)
{
    const struct report_map *m = &r->map;
    jopen(j, "segments", '[');
    for (int i = 0; i < m->n; i++) {
        const struct report_row *w = &m->row[i];
        if (w->kind != REPORT_ROW_SEGMENT)
            continue;
        jopen(j, NULL, '{');
        js(j, "name", w->name);
        jhex(j, "start", w->start);
        jhex(j, "end", w->end);
        js(j, "perms", w->perms);
        ji(j, "size", (long long)(w->end - w->start));
        ji(j, "resident_pages", w->resident);
        if (w->states) {
            ji(j, "swapped_pages", w->swapped);
            ji(j, "file_only_pages", w->file_only);
            ji(j, "untouched_pages", w->untouched);
        }
        js(j, "kind", w->seg_kind);
        jb(j, "fault", i == r->fault.seg);
        jclose(j, '}');
    }
    jclose(j, ']');
    if (r->note) {
        jhex(j, "brk_start", m->brk_start);
        jhex(j, "brk", m->brk);
        ji(j, "stack_limit", m->stack_limit);
    }
}

static void json_walk(struct jw *j, const struct report *r)
{
    const struct report_walk *w = &r->walk;
    if (w->none) {
        jnull(j, "walk");
        return;
    }
    jopen(j, "walk", '{');
    jhex(j, "va", r->fault.addr);
    ji(j, "vpn1", w->vpn[1]);
    ji(j, "vpn0", w->vpn[0]);
    ji(j, "offset", w->offset);
    jhex(j, "satp", w->satp);
    jopen(j, "ptes", '[');
    for (int l = 0; l < w->levels; l++) {
        const struct report_pte *p = &w->pte[l];
        jopen(j, NULL, '{');
        js(j, "level", p->level);
        jhex(j, "addr", p->addr);
        jhex(j, "value", p->value);
        for (int b = 0; b < 8; b++) {
            char key[2] = { REPORT_PTE_BITS[b], 0 };
            jb(j, key, p->bit[b]);
        }
        jhex(j, "ppn", p->ppn);
        jclose(j, '}');
    }
    jclose(j, ']');
    js(j, "verdict", w->verdict);
    jclose(j, '}');
}

static void json_memory(struct jw *j, const struct report *r)
{
    const struct report_stack *st = &r->stack;
    uint32_t sp = r->regs.x[2];
    jopen(j, "memory", '{');
    if (r->sig.has_addr) {
        uint32_t a = r->sig.addr;
        uint32_t start = a >= REPORT_AROUND ? a - REPORT_AROUND : 0;
        uint32_t len = (uint64_t)a + REPORT_AROUND > UINT32_MAX ? UINT32_MAX - start
                                                                : a + REPORT_AROUND - start;
        json_bytes(j, "fault", &r->mem, start, len);
    } else {
        jnull(j, "fault");
    }
    jopen(j, "stack", '{');
    jhex(j, "sp", sp);
    jopen(j, "words", '[');
    for (int i = 0; i < st->n; i++) {
        const struct report_word *w = &st->word[i];
        char sym[160];
        sym_str(&w->at, sym, sizeof sym);
        jopen(j, NULL, '{');
        jhex(j, "addr", sp + 4 * (uint32_t)i);
        jhex(j, "value", w->value);
        js(j, "symbol", w->at.func ? sym : NULL);
        jclose(j, '}');
    }
    jclose(j, ']');
    jclose(j, '}');
    jclose(j, '}');
}

void render_json(FILE *out, const struct report *r)
{
    struct jw jw = { .f = out }, *j = &jw;
    jopen(j, NULL, '{');
    json_headline(j, r);
    json_instruction(j, &r->insn);
    json_registers(j, &r->regs);
    json_backtrace(j, &r->bt);
    json_threads(j, &r->threads);
    json_map(j, r);
    json_walk(j, r);
    json_memory(j, r);
    jclose(j, '}');
    fputc('\n', out);
}

void render_text_stopped(FILE *out, const struct report *r)
{
    text_headline(out, r, true);
    text_instruction(out, &r->insn);
    text_walk(out, r);
}
