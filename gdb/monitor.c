/* gdb/monitor.c — gdb's `monitor` commands (the qRcmd packet): what only
 * vmlab knows about the process, in the words of --maps, --stats,
 * --perm and vmlab inspect.  The output goes to gdb as console output
 * (O packets), then OK. */
#include "gdb/server_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/query.h"

static int mon_maps(struct gdb_server *s, const char *args, FILE *out)
{
    (void)args;
    kq_print_maps(s->p, out);
    return 0;
}

static int mon_walk(struct gdb_server *s, const char *args, FILE *out)
{
    char *end;
    unsigned long a = strtoul(args, &end, 16);
    while (isspace((unsigned char)*end))
        end++;
    if (!*args || *end || a > UINT32_MAX) {
        fprintf(out, "usage: monitor walk ADDR (in hex, e.g. monitor walk 0x16030)\n");
        return -1;
    }
    kq_print_walk(s->p, (uint32_t)a, out);
    return 0;
}

static int mon_perm(struct gdb_server *s, const char *args, FILE *out)
{
    char err[512];
    if (kq_perm_rule(s->p, args, err, sizeof err)) {
        fprintf(out, "perm %s: %s\n", args, err);
        return -1;
    }
    fprintf(out, "perm %s: done (the same change as --perm %s: PTEs rewritten, TLB and "
            "decoded code flushed)\n", args, args);
    kq_print_maps(s->p, out);
    return 0;
}

static int mon_stats(struct gdb_server *s, const char *args, FILE *out)
{
    (void)args;
    struct kq_counters c;
    kq_counters(s->p, &c);
    kq_print_stats(&c, out);
    return 0;
}

static int mon_frames(struct gdb_server *s, const char *args, FILE *out)
{
    (void)args;
    kq_print_frames(s->p, out);
    return 0;
}

static int mon_tlb(struct gdb_server *s, const char *args, FILE *out)
{
    (void)args;
    kq_print_tlb(s->p, out);
    return 0;
}

static int mon_help(struct gdb_server *s, const char *args, FILE *out);

static const struct {
    const char *name, *args, *help;
    int (*run)(struct gdb_server *s, const char *args, FILE *out);
} builtin[] = {
    { "maps", "", "the segments, as vmlab run --maps prints them", mon_maps },
    { "walk", " ADDR", "the Sv32 page-table walk of ADDR (hex), step by step", mon_walk },
    { "perm", " SEG=PERMS", "change a segment's permissions, as --perm (e.g. text=rwx)", mon_perm },
    { "stats", "", "the counters of --stats (instructions, faults, TLB, ...)", mon_stats },
    { "frames", "", "every physical frame in use and what it holds", mon_frames },
    { "tlb", "", "the valid TLB entries and the watched ranges", mon_tlb },
    { "help", "", "this list", mon_help },
};
#define NBUILTIN (sizeof builtin / sizeof builtin[0])

static int mon_help(struct gdb_server *s, const char *args, FILE *out)
{
    (void)args;
    fprintf(out, "vmlab monitor commands:\n");
    for (size_t i = 0; i < NBUILTIN; i++) {
        char name[32];
        snprintf(name, sizeof name, "%s%s", builtin[i].name, builtin[i].args);
        fprintf(out, "  monitor %-16s %s\n", name, builtin[i].help);
    }
    for (int i = 0; i < s->next; i++)
        fprintf(out, "  monitor %-16s %s\n", s->ext[i].name, s->ext[i].help);
    return 0;
}

/* Send the text as O packets (hex), each well inside the packet size. */
static void console(struct gdb_server *s, const char *text, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    char pkt[1 + 2 * 2048];
    for (size_t off = 0; off < len; off += 2048) {
        size_t n = len - off < 2048 ? len - off : 2048, k = 0;
        pkt[k++] = 'O';
        for (size_t i = 0; i < n; i++) {
            pkt[k++] = hex[(uint8_t)text[off + i] >> 4];
            pkt[k++] = hex[(uint8_t)text[off + i] & 15];
        }
        gdb_send(&s->conn, pkt, k);
    }
}

void gdb_monitor(struct gdb_server *s, const char *line)
{
    while (isspace((unsigned char)*line))
        line++;
    size_t k = strcspn(line, " \t");
    const char *args = line + k;
    while (isspace((unsigned char)*args))
        args++;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        gdb_reply_error(s, 12);
        return;
    }
    int rc = -2;
    for (size_t i = 0; i < NBUILTIN && rc == -2; i++)
        if (strlen(builtin[i].name) == k && !strncmp(line, builtin[i].name, k))
            rc = builtin[i].run(s, args, out);
    for (int i = 0; i < s->next && rc == -2; i++)
        if (strlen(s->ext[i].name) == k && !strncmp(line, s->ext[i].name, k))
            rc = s->ext[i].run(s->ext[i].ctx, s->p, args, out);
    if (rc == -2)
        fprintf(out, "unknown monitor command \"%.*s\"; try monitor help\n", (int)k, line);
    if (fclose(out) != 0) {
        free(text);
        gdb_reply_error(s, 12);
        return;
    }
    console(s, text, len);
    free(text);
    gdb_reply(s, "OK");
}
