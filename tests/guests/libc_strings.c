/* libc_strings — strings, conversions, sorting and searching: what a
 * first C course uses, through picolibc.  Compared with qemu-riscv32. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

struct student {
    char name[16];
    int score;
};

static int by_score(const void *a, const void *b)
{
    const struct student *x = a, *y = b;
    return x->score != y->score ? (x->score < y->score ? -1 : 1) : strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct student *)a)->name, ((const struct student *)b)->name);
}

int main(void)
{
    char buf[64], *end;

    /* the string functions */
    strcpy(buf, "hello");
    strcat(buf, ", world");
    printf("strcpy+strcat: \"%s\" (strlen %zu)\n", buf, strlen(buf));
    printf("strcmp: %d %d %d\n", strcmp("abc", "abd") < 0, strcmp("b", "a") > 0, strcmp("x", "x"));
    printf("strncmp(\"hello\", \"help\", 3) = %d\n", strncmp("hello", "help", 3));
    printf("strchr(buf, 'o') at %d, strrchr at %d\n", (int)(strchr(buf, 'o') - buf),
           (int)(strrchr(buf, 'o') - buf));
    printf("strstr(buf, \"wor\") at %d\n", (int)(strstr(buf, "wor") - buf));
    printf("strspn(\"aabbc\", \"ab\") = %zu, strcspn(\"hello;x\", \";,\") = %zu\n",
           strspn("aabbc", "ab"), strcspn("hello;x", ";,"));
    printf("strpbrk: \"%s\"\n", strpbrk("key=value", "=:"));
    char csv[] = "ada,,lovelace;1815 ;";
    for (char *t = strtok(csv, ",;"); t; t = strtok(NULL, ",;"))
        printf("strtok: [%s]\n", t);
    char *copy = strdup("duplicated");
    printf("strdup: %s\n", copy);
    free(copy);
    memset(buf, 'z', 5);
    buf[5] = 0;
    printf("memset: %s\n", buf);
    char mv[] = "0123456789";
    memmove(mv + 2, mv, 5);
    printf("memmove overlapping: %s\n", mv);
    printf("memcmp: %d\n", memcmp("abc", "abd", 3) < 0);
    strncpy(buf, "truncated string", 9);
    buf[9] = 0;
    printf("strncpy: %s\n", buf);
    for (char *p = buf; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    printf("toupper: %s, isdigit('7') %d, isspace('\\t') %d\n", buf, !!isdigit('7'),
           !!isspace('\t'));

    /* numbers from text */
    printf("atoi(\"  -42x\") = %d, atol(\"123456\") = %ld, atoll(\"9007199254740993\") = %lld\n",
           atoi("  -42x"), atol("123456"), atoll("9007199254740993"));
    long v = strtol("0x1F rest", &end, 0);
    printf("strtol(\"0x1F rest\", 0) = %ld, rest \"%s\"\n", v, end);
    printf("strtol(\"777\", 8) = %ld, strtoul(\"ff\", 16) = %lu\n", strtol("777", NULL, 8),
           strtoul("ff", NULL, 16));
    errno = 0;
    long big = strtol("99999999999999999999", NULL, 10);
    printf("strtol overflow: %s, errno ERANGE: %s\n", big == LONG_MAX ? "LONG_MAX" : "?",
           errno == ERANGE ? "yes" : "no");
    printf("strtoll(\"-9223372036854775808\") = %lld\n", strtoll("-9223372036854775808", NULL, 10));
    const char *volatile ten = "0123456789";    /* volatile: gcc would refuse the truncation */
    printf("snprintf into 8 bytes: returns %d\n", snprintf(buf, 8, "%s", ten));
    printf("  and holds \"%s\"\n", buf);
    printf("%%x %%o %%c %%5.2s|%%-6d|%%+d: %x %o %c %5.2s|%-6d|%+d\n", 255, 8, 'A', "abc", 42, 7);
    printf("%%lld %%llu %%zd %%p(NULL): %lld %llu %zd %p\n", -1234567890123LL,
           18446744073709551615ULL, (ssize_t)-5, (void *)0);

    /* qsort and bsearch on structs */
    struct student s[] = {
        { "grace", 91 }, { "alan", 78 }, { "ada", 91 }, { "edsger", 85 }, { "barbara", 78 },
    };
    size_t n = sizeof s / sizeof *s;
    qsort(s, n, sizeof *s, by_score);
    printf("by score:");
    for (size_t i = 0; i < n; i++)
        printf(" %s(%d)", s[i].name, s[i].score);
    printf("\n");
    qsort(s, n, sizeof *s, by_name);
    struct student key = { "edsger", 0 }, *hit = bsearch(&key, s, n, sizeof *s, by_name);
    printf("bsearch(edsger): %s with %d\n", hit ? hit->name : "-", hit ? hit->score : 0);
    strcpy(key.name, "linus");
    printf("bsearch(linus): %s\n", bsearch(&key, s, n, sizeof *s, by_name) ? "found" : "absent");
    return 0;
}
