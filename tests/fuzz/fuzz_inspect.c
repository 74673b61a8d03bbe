/* tests/fuzz/fuzz_inspect.c — the core reader and the inspector's report
 * (inspect_report, text and JSON) on arbitrary bytes as a core file.
 *
 * The input is the core.  Its last byte's low bit chooses whether the
 * program comes from --elf or is looked up from the core's own NT_FILE
 * note and command line, as `vmlab inspect CORE` does.  The --elf program
 * is a real sample: $VMLAB_FUZZ_ELF (symbols only, quick to read) or, when
 * the byte's next three bits are 0, $VMLAB_FUZZ_ELF_DEBUG (with the DWARF
 * line table); both default to build/guests/null_deref.
 *
 * Promises checked: the text and the JSON runs agree on success; success
 * prints nothing on stderr, failure exactly one line "vmlab inspect: ...";
 * the JSON is well-formed (every string escaped, whatever bytes the core
 * holds). */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "inspect/inspect.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- a JSON syntax check (RFC 8259), enough to catch a bad escape ------- */

struct js {
    const char *p, *end;
    int depth;
};

static bool js_value(struct js *j);

static void js_ws(struct js *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
        j->p++;
}

static bool js_string(struct js *j)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    for (j->p++; j->p < j->end; j->p++) {
        unsigned char ch = (unsigned char)*j->p;
        if (ch == '"') {
            j->p++;
            return true;
        }
        if (ch < 0x20)
            return false;                       /* control characters must be escaped */
        if (ch == '\\') {
            if (++j->p >= j->end)
                return false;
            if (*j->p == 'u') {
                for (int i = 0; i < 4; i++)
                    if (++j->p >= j->end || !strchr("0123456789abcdefABCDEF", *j->p))
                        return false;
            } else if (!strchr("\"\\/bfnrt", *j->p)) {
                return false;
            }
        }
    }
    return false;
}

static bool js_number(struct js *j)
{
    const char *s = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || strchr(".eE+-", *j->p)))
        j->p++;
    return j->p > s && (j->p[-1] >= '0' && j->p[-1] <= '9');
}

static bool js_list(struct js *j, char close, bool members)
{
    j->p++;
    js_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return true;
    }
    for (;;) {
        js_ws(j);
        if (members) {
            if (!js_string(j))
                return false;
            js_ws(j);
            if (j->p >= j->end || *j->p++ != ':')
                return false;
        }
        if (!js_value(j))
            return false;
        js_ws(j);
        if (j->p >= j->end)
            return false;
        if (*j->p == close) {
            j->p++;
            return true;
        }
        if (*j->p++ != ',')
            return false;
    }
}

static bool js_value(struct js *j)
{
    js_ws(j);
    if (j->p >= j->end || ++j->depth > 64)
        return false;
    bool ok;
    switch (*j->p) {
    case '{': ok = js_list(j, '}', true); break;
    case '[': ok = js_list(j, ']', false); break;
    case '"': ok = js_string(j); break;
    case 't': ok = j->end - j->p >= 4 && !memcmp(j->p, "true", 4) && (j->p += 4); break;
    case 'f': ok = j->end - j->p >= 5 && !memcmp(j->p, "false", 5) && (j->p += 5); break;
    case 'n': ok = j->end - j->p >= 4 && !memcmp(j->p, "null", 4) && (j->p += 4); break;
    default: ok = js_number(j); break;
    }
    j->depth--;
    return ok;
}

static bool json_ok(const char *s, size_t n)
{
    struct js j = { s, s + n, 0 };
    if (!js_value(&j))
        return false;
    js_ws(&j);
    return j.p == j.end;
}

/* --- the harness ---------------------------------------------------------- */

struct run {
    int    rc;
    char  *out, *err;
    size_t outlen, errlen;
};

static void report(const struct inspect_options *o, struct run *r)
{
    FILE *out = open_memstream(&r->out, &r->outlen);
    FILE *err = open_memstream(&r->err, &r->errlen);
    if (!out || !err)
        fuzz_fail("open_memstream failed");
    r->rc = inspect_report(out, err, o);
    fclose(out);
    fclose(err);
}

static void check_stderr(const struct run *r, const char *how)
{
    if (r->rc == 0 && r->errlen)
        fuzz_fail("%s: success, but stderr says \"%s\"", how, r->err);
    if (r->rc != 0 && (r->rc != 1 || strncmp(r->err, "vmlab inspect: ", 15) ||
                       strchr(r->err, '\n') != r->err + r->errlen - 1))
        fuzz_fail("%s: status %d, stderr \"%s\" (want one line)", how, r->rc, r->err);
}

/* The sample (0: symbols only, 1: with debug lines), or NULL if unreadable. */
static const char *sample_elf(int which)
{
    static const char *path[2];
    static bool tried[2];
    if (!tried[which]) {
        tried[which] = true;
        const char *p = getenv(which ? "VMLAB_FUZZ_ELF_DEBUG" : "VMLAB_FUZZ_ELF");
        p = p && *p ? p : "build/guests/null_deref";
        FILE *f = fopen(p, "rb");
        if (f) {
            fclose(f);
            path[which] = p;
        }
    }
    return path[which];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct inspect_options o = { .core = fuzz_file(0, data, size) };
    if (size && (data[size - 1] & 1))
        o.elf = sample_elf((data[size - 1] & 0xe) == 0);
    struct run text, json;
    report(&o, &text);
    o.json = true;
    report(&o, &json);
    check_stderr(&text, "text");
    check_stderr(&json, "json");
    if (text.rc != json.rc)
        fuzz_fail("text status %d, JSON status %d", text.rc, json.rc);
    if (json.rc == 0 && !json_ok(json.out, json.outlen))
        fuzz_fail("malformed JSON:\n%s", json.out);
    if (text.rc == 0 && (!text.outlen || memchr(text.out, 0, text.outlen)))
        fuzz_fail("text report empty or holding a NUL byte");
    free(text.out);
    free(text.err);
    free(json.out);
    free(json.err);
    return 0;
}
