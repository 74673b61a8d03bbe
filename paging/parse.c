/* paging/parse.c — reference strings written as text: page numbers by
 * hand (--refs, or a file of them), and valgrind lackey logs (see refs.h). */
#include "paging/refs.h"

#include "paging/engine.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NUMBER (UINT64_MAX >> 5)

/* Page numbers separated by commas and blanks; '#' to the end of the line
 * is a comment.  where names the place for errors ("--refs", "FILE:3"). */
long long refs_parse_list(struct refs_writer *w, const char *s, size_t len, const char *where,
                          char *err, size_t errlen)
{
    long long count = 0;
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '#') {
            while (i < len && s[i] != '\n')
                i++;
            continue;
        }
        if (c == ',' || isspace((unsigned char)c)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && s[i] != ',' && s[i] != '#' && !isspace((unsigned char)s[i]))
            i++;
        char tok[40];
        size_t n = i - start;
        snprintf(tok, sizeof tok, "%.*s%s", (int)(n < 30 ? n : 30), s + start, n > 30 ? "..." : "");
        bool hex = n > 2 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'X');
        uint64_t v = 0;
        bool ok = n > 0 && (!hex || n > 2);
        for (size_t k = start + (hex ? 2 : 0); k < i && ok; k++) {
            int d = isdigit((unsigned char)s[k]) ? s[k] - '0'
                    : hex && isxdigit((unsigned char)s[k]) ? tolower((unsigned char)s[k]) - 'a' + 10 : -1;
            if (d < 0)
                ok = false;
            else if (v > (MAX_NUMBER - (uint64_t)d) / (hex ? 16 : 10))
                return pg_fail(err, errlen, "%s: page number %s is too large", where, tok);
            else
                v = v * (hex ? 16 : 10) + (uint64_t)d;
        }
        if (!ok)
            return pg_fail(err, errlen, "%s: '%s' is not a page number (expected numbers like 7, 0 "
                        "or 0x1f, separated by commas or blanks)", where, tok);
        int rc = refs_put(w, v, false);
        if (rc)
            return pg_fail(err, errlen, "%s: %s", where, strerror(-rc));
        count++;
    }
    return count;
}

/* "==1234==" or "--1234--": valgrind speaking, not the trace. */
static bool valgrind_line(const char *l)
{
    if ((l[0] != '=' || l[1] != '=') && (l[0] != '-' || l[1] != '-'))
        return false;
    const char *p = l + 2;
    while (isdigit((unsigned char)*p))
        p++;
    return p > l + 2 && p[0] == l[0] && p[1] == l[0];
}

static bool trace_line(const char *l)
{
    return (l[0] == 'I' && l[1] == ' ' && l[2] == ' ') ||
           (l[0] == ' ' && (l[1] == 'L' || l[1] == 'S' || l[1] == 'M') && l[2] == ' ');
}

bool refs_is_lackey(const char *buf, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *l = buf + i;
        const char *nl = memchr(l, '\n', n - i);
        size_t len = nl ? (size_t)(nl - l) : n - i;
        if (len >= 3) {
            char line[64];
            snprintf(line, sizeof line, "%.*s", (int)(len < 63 ? len : 63), l);
            if (valgrind_line(line) || trace_line(line))
                return true;
            return false;
        }
        i += len + 1;
    }
    return false;
}

long long refs_parse_lackey(struct refs_writer *w, FILE *in, const char *name, unsigned page_shift,
                            bool data_only, char *err, size_t errlen)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long long count = 0, lineno = 0;
    int rc = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        if (len == 0 || valgrind_line(line))
            continue;
        char *end = NULL;
        unsigned long long addr = 0, size = 0;
        bool ok = trace_line(line);
        if (ok) {
            errno = 0;
            addr = strtoull(line + 3, &end, 16);
            ok = !errno && end > line + 3 && *end == ',';
        }
        if (ok) {
            char *e2;
            size = strtoull(end + 1, &e2, 10);
            ok = !errno && e2 > end + 1 && *e2 == 0 && size > 0 && size <= 4096 &&
                 addr <= UINT64_MAX - size;
        }
        if (!ok) {
            pg_fail(err, errlen, "%s:%lld: not a lackey trace line: '%.40s%s' (expected "
                 "'I  ADDR,SIZE', ' L ADDR,SIZE', ' S ...' or ' M ...')", name, lineno, line,
                 len > 40 ? "..." : "");
            free(line);
            return -1;
        }
        if (line[0] == 'I' && data_only)
            continue;
        bool store = line[1] == 'S' || line[1] == 'M';
        uint64_t first = addr >> page_shift, last = (addr + size - 1) >> page_shift;
        if ((rc = refs_put(w, first, store)) != 0)
            break;
        if (last != first && (rc = refs_put(w, last, store)) != 0)
            break;
        count++;
    }
    free(line);
    if (rc)
        return pg_fail(err, errlen, "%s: %s", name, strerror(-rc));
    if (ferror(in))
        return pg_fail(err, errlen, "%s: read error", name);
    return count;
}
