/* paging/plot.c — `vmlab paging --plot FILE.png`: misses against frames,
 * one line per policy, OPT as the shaded floor; and with --working-set a
 * second panel, W(t, tau) over the run.  Drawn here, pixel by pixel, into
 * an RGB canvas with a 5x9 bitmap font of our own, and written as a PNG
 * with zlib's deflate (zlib comes with libelf): no SDL, no libpng, no
 * gnuplot. */
#include "paging/paging.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* --- the canvas ---------------------------------------------------------------------- */

struct canvas {
    int      w, h;
    uint8_t *px;                  /* RGB, row by row */
};

struct rgb {
    uint8_t r, g, b;
};

static const struct rgb BLACK = { 0, 0, 0 }, GRID = { 225, 225, 225 },
                        AXIS = { 90, 90, 90 }, FLOOR = { 208, 208, 208 }, BAND = { 200, 215, 240 };

/* One colour per policy, far apart (opt: black). */
static const struct rgb colour[PG_NPOLICY] = {
    [PG_OPT] = { 0, 0, 0 },       [PG_LRU] = { 31, 100, 200 },   [PG_FIFO] = { 214, 39, 40 },
    [PG_CLOCK] = { 44, 160, 44 }, [PG_NRU] = { 255, 127, 14 },   [PG_AGING] = { 148, 103, 189 },
    [PG_RANDOM] = { 140, 86, 75 }, [PG_MRU] = { 23, 190, 207 },
};

static void pset(struct canvas *c, int x, int y, struct rgb k)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h)
        return;
    uint8_t *p = c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
    p[0] = k.r;
    p[1] = k.g;
    p[2] = k.b;
}

static void rect(struct canvas *c, int x0, int y0, int x1, int y1, struct rgb k)
{
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x <= x1; x++)
            pset(c, x, y, k);
}

/* A line of thickness t (a square brush along Bresenham's path); dash > 0
 * draws dash pixels on, dash off. */
static void line(struct canvas *c, int x0, int y0, int x1, int y1, int t, struct rgb k, int dash)
{
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy, n = 0;
    for (;;) {
        if (!dash || (n++ / dash) % 2 == 0)
            rect(c, x0 - t / 2, y0 - t / 2, x0 + (t - 1) / 2, y0 + (t - 1) / 2, k);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* --- the font: 5x7 with two rows of descenders, one byte per row, bit 4
 * leftmost, ' ' to '~' ------------------------------------------------------------ */

static const uint8_t font[95][9] = {
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, { 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04, 0x00, 0x00 },
    { 0x0a, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, { 0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a, 0x00, 0x00 },
    { 0x04, 0x0f, 0x14, 0x0e, 0x05, 0x1e, 0x04, 0x00, 0x00 }, { 0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03, 0x00, 0x00 },
    { 0x0c, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0d, 0x00, 0x00 }, { 0x0c, 0x04, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 },
    { 0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02, 0x00, 0x00 }, { 0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08, 0x00, 0x00 },
    { 0x00, 0x04, 0x15, 0x0e, 0x15, 0x04, 0x00, 0x00, 0x00 }, { 0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00, 0x00, 0x00 },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c, 0x04, 0x08 }, { 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00 },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c, 0x00, 0x00 }, { 0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x00, 0x00, 0x00 },
    { 0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e, 0x00, 0x00 }, { 0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00 },
    { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f, 0x00, 0x00 }, { 0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e, 0x00, 0x00 },
    { 0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02, 0x00, 0x00 }, { 0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e, 0x00, 0x00 },
    { 0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e, 0x00, 0x00 }, { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08, 0x00, 0x00 },
    { 0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e, 0x00, 0x00 }, { 0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c, 0x00, 0x00 },
    { 0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x04, 0x08 },
    { 0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02, 0x00, 0x00 }, { 0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00 },
    { 0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08, 0x00, 0x00 }, { 0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00, 0x00 },
    { 0x0e, 0x11, 0x01, 0x0d, 0x15, 0x15, 0x0e, 0x00, 0x00 }, { 0x0e, 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x00, 0x00 },
    { 0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e, 0x00, 0x00 }, { 0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e, 0x00, 0x00 },
    { 0x1c, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1c, 0x00, 0x00 }, { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f, 0x00, 0x00 },
    { 0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10, 0x00, 0x00 }, { 0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f, 0x00, 0x00 },
    { 0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11, 0x00, 0x00 }, { 0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00 },
    { 0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c, 0x00, 0x00 }, { 0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11, 0x00, 0x00 },
    { 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f, 0x00, 0x00 }, { 0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11, 0x00, 0x00 },
    { 0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x00, 0x00 }, { 0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00 },
    { 0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10, 0x00, 0x00 }, { 0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d, 0x00, 0x00 },
    { 0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11, 0x00, 0x00 }, { 0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e, 0x00, 0x00 },
    { 0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x00 }, { 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00 },
    { 0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00, 0x00 }, { 0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a, 0x00, 0x00 },
    { 0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11, 0x00, 0x00 }, { 0x11, 0x11, 0x11, 0x0a, 0x04, 0x04, 0x04, 0x00, 0x00 },
    { 0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f, 0x00, 0x00 }, { 0x0e, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0e, 0x00, 0x00 },
    { 0x00, 0x10, 0x08, 0x04, 0x02, 0x01, 0x00, 0x00, 0x00 }, { 0x0e, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0e, 0x00, 0x00 },
    { 0x04, 0x0a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x00 },
    { 0x08, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }, { 0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f, 0x00, 0x00 },
    { 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1e, 0x00, 0x00 }, { 0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e, 0x00, 0x00 },
    { 0x01, 0x01, 0x0d, 0x13, 0x11, 0x11, 0x0f, 0x00, 0x00 }, { 0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e, 0x00, 0x00 },
    { 0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08, 0x00, 0x00 }, { 0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e },
    { 0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00, 0x00 }, { 0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00 },
    { 0x02, 0x00, 0x06, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c }, { 0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12, 0x00, 0x00 },
    { 0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00 }, { 0x00, 0x00, 0x1a, 0x15, 0x15, 0x11, 0x11, 0x00, 0x00 },
    { 0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00, 0x00 }, { 0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00 },
    { 0x00, 0x00, 0x1e, 0x11, 0x11, 0x11, 0x1e, 0x10, 0x10 }, { 0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x01 },
    { 0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10, 0x00, 0x00 }, { 0x00, 0x00, 0x0e, 0x10, 0x0e, 0x01, 0x1e, 0x00, 0x00 },
    { 0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06, 0x00, 0x00 }, { 0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d, 0x00, 0x00 },
    { 0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00, 0x00 }, { 0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a, 0x00, 0x00 },
    { 0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x00, 0x00 }, { 0x00, 0x00, 0x11, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e },
    { 0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f, 0x00, 0x00 }, { 0x02, 0x04, 0x04, 0x08, 0x04, 0x04, 0x02, 0x00, 0x00 },
    { 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x00 }, { 0x08, 0x04, 0x04, 0x02, 0x04, 0x04, 0x08, 0x00, 0x00 },
    { 0x00, 0x00, 0x08, 0x15, 0x02, 0x00, 0x00, 0x00, 0x00 },
};

#define GLYPH_W 6                  /* advance, in font pixels */

static int text_width(const char *s, int scale)
{
    return (int)strlen(s) * GLYPH_W * scale - scale;
}

/* Text with its top-left corner at (x, y); vertical: turned a quarter
 * counter-clockwise, reading upwards from (x, y) (its bottom-left). */
static void text(struct canvas *c, int x, int y, const char *s, int scale, struct rgb k, bool vertical)
{
    for (int i = 0; s[i]; i++) {
        unsigned ch = (unsigned char)s[i];
        const uint8_t *g = font[ch >= 32 && ch < 127 ? ch - 32 : '?' - 32];
        for (int row = 0; row < 9; row++)
            for (int col = 0; col < 5; col++) {
                if (!(g[row] >> (4 - col) & 1))
                    continue;
                int gx = (i * GLYPH_W + col) * scale, gy = row * scale;
                if (vertical)
                    rect(c, x + gy, y - gx - scale + 1, x + gy + scale - 1, y - gx, k);
                else
                    rect(c, x + gx, y + gy, x + gx + scale - 1, y + gy + scale - 1, k);
            }
    }
}

/* --- axes ---------------------------------------------------------------------------- */

/* 1, 2 or 5 times a power of ten, so that [0, max] gets about n ticks. */
static double nice_step(double max, int n)
{
    double raw = max / n, p = pow(10, floor(log10(raw > 0 ? raw : 1)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* 1234567 -> "1.2M"; small numbers as they are. */
static void number(char *buf, size_t n, double v)
{
    static const char *suffix[] = { "", "k", "M", "G", "T" };
    int s = 0;
    while (fabs(v) >= 1000 && s < 4) {
        v /= 1000;
        s++;
    }
    if (s == 0 || v == floor(v))
        snprintf(buf, n, "%.0f%s", v, suffix[s]);
    else
        snprintf(buf, n, "%.1f%s", v, suffix[s]);
}

struct panel {
    int    x0, y0, x1, y1;        /* the plotting area, inclusive */
    double xmin, xmax, ymax;
    bool   log;                   /* y on a log scale from ymin */
    double ymin;
};

static int px_x(const struct panel *p, double x)
{
    double f = p->xmax > p->xmin ? (x - p->xmin) / (p->xmax - p->xmin) : 0.5;
    return p->x0 + (int)lround(f * (p->x1 - p->x0));
}

static int px_y(const struct panel *p, double y)
{
    double f;
    if (p->log)
        f = (log10(y > p->ymin ? y : p->ymin) - log10(p->ymin)) / (log10(p->ymax) - log10(p->ymin));
    else
        f = p->ymax > 0 ? y / p->ymax : 0;
    return p->y1 - (int)lround(f * (p->y1 - p->y0));
}

static void ytick(struct canvas *c, const struct panel *p, double y, bool label)
{
    char buf[32];
    int py = px_y(p, y);
    line(c, p->x0, py, p->x1, py, 1, GRID, 0);
    line(c, p->x0 - 6, py, p->x0, py, 1, AXIS, 0);
    if (label) {
        number(buf, sizeof buf, y);
        text(c, p->x0 - 10 - text_width(buf, 2), py - 7, buf, 2, BLACK, false);
    }
}

static void axes(struct canvas *c, struct panel *p, const char *xlabel, const char *ylabel,
                 bool integer_x)
{
    char buf[32];
    if (p->log) {                 /* decades, and 2 and 5 when there are few */
        p->ymin = pow(10, floor(log10(p->ymin)));
        p->ymax = pow(10, ceil(log10(p->ymax)));
        if (p->ymax <= p->ymin)
            p->ymax = p->ymin * 10;
        bool few = log10(p->ymax / p->ymin) < 3.5;
        for (double d = p->ymin; d <= p->ymax * 1.001; d *= 10) {
            ytick(c, p, d, true);
            if (few && d < p->ymax)
                for (int m = 2; m <= 5; m += 3)
                    ytick(c, p, d * m, true);
        }
    } else {
        double ys = nice_step(p->ymax, 6);
        p->ymax = ceil(p->ymax / ys) * ys;
        if (p->ymax <= 0)
            p->ymax = 1, ys = 1;
        for (double y = 0; y <= p->ymax + ys / 2; y += ys)
            ytick(c, p, y, true);
    }
    double xs = nice_step(p->xmax - p->xmin, 8);
    if (integer_x && xs < 1)
        xs = 1;
    for (double x = ceil(p->xmin / xs) * xs; x <= p->xmax + xs / 1000; x += xs) {
        int px = px_x(p, x);
        line(c, px, p->y0, px, p->y1, 1, GRID, 0);
        line(c, px, p->y1, px, p->y1 + 6, 1, AXIS, 0);
        number(buf, sizeof buf, x);
        text(c, px - text_width(buf, 2) / 2, p->y1 + 12, buf, 2, BLACK, false);
    }
    line(c, p->x0, p->y1, p->x1, p->y1, 2, AXIS, 0);
    line(c, p->x0, p->y0, p->x0, p->y1, 2, AXIS, 0);
    text(c, (p->x0 + p->x1 - text_width(xlabel, 2)) / 2, p->y1 + 38, xlabel, 2, BLACK, false);
    text(c, p->x0 - 84, (p->y0 + p->y1 + text_width(ylabel, 2)) / 2, ylabel, 2, BLACK, true);
}

/* --- PNG ------------------------------------------------------------------------------ */

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static bool chunk(FILE *f, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t head[8];
    be32(head, len);
    memcpy(head + 4, type, 4);
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (len)
        crc = crc32(crc, data, len);
    uint8_t tail[4];
    be32(tail, (uint32_t)crc);
    return fwrite(head, 1, 8, f) == 8 && (!len || fwrite(data, 1, len, f) == len) &&
           fwrite(tail, 1, 4, f) == 4;
}

/* PNG (ISO/IEC 15948): 8-bit RGB, filter 0 on every row, one IDAT. */
static int write_png(const struct canvas *c, const char *path, char *err, size_t errlen)
{
    size_t row = (size_t)c->w * 3 + 1, raw = row * (size_t)c->h;
    uint8_t *r = malloc(raw);
    uLongf zlen = compressBound(raw);
    uint8_t *z = malloc(zlen);
    if (!r || !z) {
        free(r);
        free(z);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int y = 0; y < c->h; y++) {
        r[(size_t)y * row] = 0;
        memcpy(r + (size_t)y * row + 1, c->px + (size_t)y * (size_t)c->w * 3, (size_t)c->w * 3);
    }
    int zr = compress2(z, &zlen, r, raw, 9);
    free(r);
    if (zr != Z_OK) {
        free(z);
        snprintf(err, errlen, "deflate failed");
        return -1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        free(z);
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    uint8_t ihdr[13];
    be32(ihdr, (uint32_t)c->w);
    be32(ihdr + 4, (uint32_t)c->h);
    ihdr[8] = 8;                    /* bit depth */
    ihdr[9] = 2;                    /* colour type: RGB */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;
    bool ok = fwrite("\x89PNG\r\n\x1a\n", 1, 8, f) == 8 && chunk(f, "IHDR", ihdr, 13) &&
              chunk(f, "IDAT", z, (uint32_t)zlen) && chunk(f, "IEND", NULL, 0);
    ok = !fclose(f) && ok;
    free(z);
    if (!ok || rename(tmp, path)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
        remove(tmp);
        return -1;
    }
    return 0;
}

/* --- the plot ---------------------------------------------------------------------------- */

/* A data point's mark: a different shape per policy, so that lines
 * lying on each other still show. */
static void marker(struct canvas *c, int x, int y, int shape, struct rgb k)
{
    switch (shape % 6) {
    case 0: rect(c, x - 3, y - 3, x + 3, y + 3, k); break;                  /* square */
    case 1: line(c, x - 4, y - 4, x + 4, y + 4, 2, k, 0);                     /* x */
            line(c, x - 4, y + 4, x + 4, y - 4, 2, k, 0); break;
    case 2: line(c, x - 5, y, x + 5, y, 2, k, 0);                             /* + */
            line(c, x, y - 5, x, y + 5, 2, k, 0); break;
    case 3: for (int d = 0; d <= 4; d++)                                    /* diamond */
                line(c, x - 4 + d, y - d, x + 4 - d, y - d, 1, k, 0),
                line(c, x - 4 + d, y + d, x + 4 - d, y + d, 1, k, 0);
            break;
    case 4: for (int d = 0; d <= 5; d++)                                    /* triangle */
                line(c, x - d, y - 4 + d, x + d, y - 4 + d, 1, k, 0);
            break;
    default: rect(c, x - 4, y - 1, x + 4, y + 1, k); break;                 /* bar */
    }
}

#define W_PX     1140
#define H_MAIN   660
#define H_WS     380

int pg_plot(const char *path, const struct pg_request *rq, const struct pg_result *res,
            const char *title, char *err, size_t errlen)
{
    bool ws = rq->tau && res->ws.npoints;
    struct canvas c = { W_PX, H_MAIN + (ws ? H_WS : 0), NULL };
    c.px = malloc((size_t)c.w * (size_t)c.h * 3);
    if (!c.px) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memset(c.px, 255, (size_t)c.w * (size_t)c.h * 3);
    text(&c, 100, 16, title, 3, BLACK, false);

    struct panel p = { 110, 70, W_PX - 260, H_MAIN - 90, rq->frames[0], rq->frames[rq->nframes - 1], 0,
                       false, 0 };
    double least = INFINITY;
    for (int i = 0; i < rq->npolicy; i++)
        for (int j = 0; j < rq->nframes; j++) {
            double m = (double)pg_misses(rq, res, i, j);
            p.ymax = m > p.ymax ? m : p.ymax;
            least = m > 0 && m < least ? m : least;
        }
    if (p.xmin == p.xmax)
        p.xmin -= 1, p.xmax += 1;
    /* misses over more than two orders of magnitude (real programs, with
     * one frame): a log scale, or the interesting sizes lie flat on 0 */
    p.log = least < INFINITY && p.ymax / least > 100;
    p.ymin = p.log ? least : 0;
    axes(&c, &p, "frames (memory size in pages)",
         p.log ? "page faults (misses, log scale)" : "page faults (misses)", true);
    /* opt: the floor, shaded below its line */
    int opt = -1;
    for (int i = 0; i < rq->npolicy; i++)
        if (rq->policy[i] == PG_OPT)
            opt = i;
    if (opt >= 0)
        for (int j = 0; j + 1 < rq->nframes; j++) {
            int xa = px_x(&p, rq->frames[j]), xb = px_x(&p, rq->frames[j + 1]);
            double ya = (double)pg_misses(rq, res, opt, j), yb = (double)pg_misses(rq, res, opt, j + 1);
            for (int x = xa; x <= xb; x++) {
                double f = xb > xa ? (double)(x - xa) / (xb - xa) : 0;
                line(&c, x, px_y(&p, ya + f * (yb - ya)), x, p.y1 - 1, 1, FLOOR, 0);
            }
        }
    /* the others, the first drawn thickest so that one lying under a
     * later one still shows; then opt on top */
    int drawn = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < rq->npolicy; i++) {
            if ((i == opt) != (pass == 1))
                continue;
            struct rgb k = colour[rq->policy[i]];
            int t = i == opt ? 4 : drawn < 4 ? 9 - 2 * drawn : 2;
            for (int j = 0; j + 1 < rq->nframes; j++)
                line(&c, px_x(&p, rq->frames[j]), px_y(&p, (double)pg_misses(rq, res, i, j)),
                     px_x(&p, rq->frames[j + 1]), px_y(&p, (double)pg_misses(rq, res, i, j + 1)), t, k, 0);
            if (rq->nframes <= 40)
                for (int j = 0; j < rq->nframes; j++)
                    marker(&c, px_x(&p, rq->frames[j]), px_y(&p, (double)pg_misses(rq, res, i, j)),
                           i == opt ? 0 : drawn + 1, k);
            if (i != opt)
                drawn++;
        }
    /* the legend, right of the plot */
    int ly = p.y0 + 6;
    text(&c, p.x1 + 30, ly, "policy", 2, BLACK, false);
    ly += 30;
    drawn = 0;
    for (int i = 0; i < rq->npolicy; i++) {
        struct rgb k = colour[rq->policy[i]];
        line(&c, p.x1 + 30, ly + 7, p.x1 + 62, ly + 7, i == opt ? 4 : 3, k, 0);
        marker(&c, p.x1 + 46, ly + 7, i == opt ? 0 : ++drawn, k);
        char name[40];
        snprintf(name, sizeof name, "%s%s", pg_policy_name(rq->policy[i]), i == opt ? " (floor)" : "");
        text(&c, p.x1 + 72, ly, name, 2, BLACK, false);
        int anomaly = pg_anomaly(rq, res, i);
        if (anomaly > 0) {
            ly += 20;
            char a[40];
            snprintf(a, sizeof a, "anomaly at %u", rq->frames[anomaly]);
            text(&c, p.x1 + 72, ly, a, 2, colour[rq->policy[i]], false);
        }
        ly += 28;
    }
    char info[200];
    text(&c, p.x1 + 30, ly + 10, "string:", 2, BLACK, false);
    snprintf(info, sizeof info, "%llu refs", (unsigned long long)rq->refs);
    text(&c, p.x1 + 30, ly + 32, info, 2, BLACK, false);
    snprintf(info, sizeof info, "%u pages", rq->pages);
    text(&c, p.x1 + 30, ly + 54, info, 2, BLACK, false);

    if (ws) {
        const struct pg_wset *w = &res->ws;
        struct panel q = { 110, H_MAIN + 50, W_PX - 260, c.h - 80, 0, (double)rq->refs, w->max, false, 0 };
        char label[80];
        snprintf(label, sizeof label, "W(t, %llu): pages used in the last %llu references",
                 (unsigned long long)w->tau, (unsigned long long)w->tau);
        text(&c, 110, H_MAIN + 12, label, 2, BLACK, false);
        axes(&c, &q, "references (t)", "working set (pages)", true);
        for (size_t i = 0; i < w->npoints; i++) {
            int x = px_x(&q, ((double)i + 0.5) * (double)w->bucket);
            line(&c, x, px_y(&q, w->wmax[i]), x, px_y(&q, w->wmin[i]), 2, BAND, 0);
        }
        for (size_t i = 0; i + 1 < w->npoints; i++)
            line(&c, px_x(&q, ((double)i + 0.5) * (double)w->bucket), px_y(&q, w->wmean[i]),
                 px_x(&q, ((double)i + 1.5) * (double)w->bucket), px_y(&q, w->wmean[i + 1]), 2,
                 colour[PG_LRU], 0);
        int my = px_y(&q, w->mean);
        line(&c, q.x0, my, q.x1, my, 2, BLACK, 8);
        int y2 = q.y0 + 6;
        line(&c, q.x1 + 30, y2 + 7, q.x1 + 62, y2 + 7, 6, BAND, 0);
        text(&c, q.x1 + 72, y2, "min..max", 2, BLACK, false);
        y2 += 28;
        line(&c, q.x1 + 30, y2 + 7, q.x1 + 62, y2 + 7, 2, colour[PG_LRU], 0);
        text(&c, q.x1 + 72, y2, "mean", 2, BLACK, false);
        y2 += 28;
        line(&c, q.x1 + 30, y2 + 7, q.x1 + 62, y2 + 7, 2, BLACK, 8);
        snprintf(label, sizeof label, "avg %.1f", w->mean);
        text(&c, q.x1 + 72, y2, label, 2, BLACK, false);
    }
    int rc = write_png(&c, path, err, errlen);
    free(c.px);
    return rc;
}
