/* stdlib.c — integers from text, rand, qsort, abs.  (exit/atexit/getenv
 * are in start.c, abort in signal.c, malloc and friends in malloc.c.) */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

int abs(int x) { return x < 0 ? -x : x; }
long labs(long x) { return x < 0 ? -x : x; }
long long llabs(long long x) { return x < 0 ? -x : x; }

static int digit_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* The common part of the strto* family: optional white space and sign, a
 * "0x" prefix for base 16 or 0, base 0 = decimal/octal/hex by prefix.
 * Returns the magnitude, or max with *overflow set (and errno ERANGE) if
 * it does not fit; *neg tells whether a '-' was seen.  *end gets the first
 * unused char, or s itself if there were no digits. */
static unsigned long long str_to_mag(const char *s, char **end, int base,
                                     unsigned long long max, int *neg, int *overflow)
{
    const char *p = s;
    unsigned long long acc = 0;
    int any = 0, d;

    *neg = 0;
    *overflow = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
        p++;
    if (*p == '+' || *p == '-')
        *neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 0x20) == 'x' &&
        digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = *p == '0' ? 8 : 10;
    }
    for (; (d = digit_value(*p)) < base; p++) {
        any = 1;
        if (*overflow)
            continue;
        if (acc > (max - (unsigned)d) / (unsigned)base)
            *overflow = 1;
        else
            acc = acc * (unsigned)base + (unsigned)d;
    }
    if (end)
        *end = (char *)(any ? p : s);
    if (*overflow) {
        errno = ERANGE;
        return max;
    }
    return acc;
}

long strtol(const char *s, char **end, int base)
{
    int neg, overflow;
    unsigned long long m = str_to_mag(s, end, base, (unsigned long)LONG_MAX + 1, &neg,
                                      &overflow);

    if (!neg && m > LONG_MAX) {
        errno = ERANGE;
        return LONG_MAX;
    }
    return neg ? (long)(0 - (unsigned long)m) : (long)m;
}

/* Like C, a '-' negates the result modulo 2^32; an overflow gives ULONG_MAX
 * whatever the sign. */
unsigned long strtoul(const char *s, char **end, int base)
{
    int neg, overflow;
    unsigned long long m = str_to_mag(s, end, base, ULONG_MAX, &neg, &overflow);

    return neg && !overflow ? 0 - (unsigned long)m : (unsigned long)m;
}

long long strtoll(const char *s, char **end, int base)
{
    int neg, overflow;
    unsigned long long m = str_to_mag(s, end, base, (unsigned long long)LLONG_MAX + 1, &neg,
                                      &overflow);

    if (!neg && m > LLONG_MAX) {
        errno = ERANGE;
        return LLONG_MAX;
    }
    return neg ? (long long)(0 - m) : (long long)m;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    int neg, overflow;
    unsigned long long m = str_to_mag(s, end, base, ULLONG_MAX, &neg, &overflow);

    return neg && !overflow ? 0 - m : m;
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

/* A 64-bit linear congruential generator (Knuth's MMIX constants); rand
 * returns the top 31 bits, which are the most random ones.  The same seed
 * gives the same sequence everywhere. */
static unsigned long long rand_state = 1;

void srand(unsigned int seed)
{
    rand_state = seed;
}

int rand(void)
{
    rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)(rand_state >> 33);
}

/* qsort as heapsort: O(n log n) in the worst case, no recursion, no extra
 * memory.  Not stable (neither is any qsort). */
static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

static void sift_down(unsigned char *base, size_t root, size_t n, size_t size,
                      int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;

        if (child >= n)
            return;
        if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + root * size, base + child * size) >= 0)
            return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t n, size_t size,
           int (*cmp)(const void *, const void *))
{
    unsigned char *b = base;

    if (n < 2 || size == 0)
        return;
    for (size_t i = n / 2; i-- > 0; )
        sift_down(b, i, n, size, cmp);
    for (size_t end = n - 1; end > 0; end--) {
        swap_bytes(b, b + end * size, size);
        sift_down(b, 0, end, size, cmp);
    }
}
