/* view/font.c — see font.h. */
#include "view/font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>

/* The code points in the atlas beyond printable ASCII. */
static const uint32_t extra_cp[] = {
    0x2192, 0x2190, 0x2191, 0x2193,   /* → ← ↑ ↓ */
    0x2013, 0x2014, 0x2026,           /* – — … */
    0x00b7, 0x00d7, 0x2264, 0x2265,   /* · × ≤ ≥ */
    0x2713, 0x2717,                   /* ✓ ✗ */
    0x25b6, 0x25a0, 0x25cf,           /* ▶ ■ ● */
    0x2016, 0x22ee,                   /* ‖ ⋮ */
};
#define FIRST_ASCII 32
#define NASCII      (127 - FIRST_ASCII)
#define NEXTRA      (int)(sizeof extra_cp / sizeof extra_cp[0])
#define NGLYPH      (NASCII + NEXTRA)

struct glyph {
    SDL_Rect src;                 /* in the atlas; w 0 if not provided */
    int      adv;                 /* pen advance */
};

/* The atlas in one colour: the white atlas's alpha with c's RGB. */
#define NTINT 24
struct tint {
    Uint32       key;             /* 0xRRGGBBAA + 1, 0 when unused */
    SDL_Surface *s;
    unsigned     used;            /* for replacing the least recently used */
};

struct font {
    SDL_Surface  *atlas;          /* white glyphs, alpha = coverage */
    int           height;
    struct glyph  g[NGLYPH];
    struct tint   tint[NTINT];
    unsigned      clock;
};

static const char *const face_file[] = {
    [FONT_MONO] = "DejaVuSansMono.ttf",
    [FONT_MONO_BOLD] = "DejaVuSansMono-Bold.ttf",
    [FONT_SANS] = "DejaVuSans.ttf",
    [FONT_SANS_BOLD] = "DejaVuSans-Bold.ttf",
};

const char *font_find(enum font_face face)
{
    static char buf[4][512];
    const char *dirs[] = { getenv("VMLAB_FONT_DIR"), "/usr/share/fonts/truetype/dejavu",
                           "/usr/share/fonts/dejavu", "/usr/local/share/fonts/dejavu" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        snprintf(buf[face], sizeof buf[face], "%s/%s", dirs[i], face_file[face]);
        if (access(buf[face], R_OK) == 0)
            return buf[face];
    }
    return NULL;
}

static int glyph_index(uint32_t cp)
{
    if (cp >= FIRST_ASCII && cp < 127)
        return (int)cp - FIRST_ASCII;
    for (int i = 0; i < NEXTRA; i++)
        if (extra_cp[i] == cp)
            return NASCII + i;
    return '?' - FIRST_ASCII;
}

static uint32_t glyph_cp(int i)
{
    return i < NASCII ? (uint32_t)(i + FIRST_ASCII) : extra_cp[i - NASCII];
}

/* Next code point of UTF-8 string *s (advancing it); malformed bytes read
 * as '?'. */
static uint32_t utf8_next(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    uint32_t c = p[0];
    int n = c < 0x80 ? 0 : (c & 0xe0) == 0xc0 ? 1 : (c & 0xf0) == 0xe0 ? 2 : (c & 0xf8) == 0xf0 ? 3 : -1;
    if (n < 0) {
        (*s)++;
        return '?';
    }
    if (n > 0)
        c &= 0x3fu >> n;
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xc0) != 0x80) {
            *s += i;
            return '?';
        }
        c = c << 6 | (p[i] & 0x3f);
    }
    *s += n + 1;
    return c;
}

struct font *font_open(enum font_face face, int px, char *err, size_t errlen)
{
    const char *path = font_find(face);
    if (!path) {
        snprintf(err, errlen, "no %s found (install fonts-dejavu-core, or set VMLAB_FONT_DIR)",
                 face_file[face]);
        return NULL;
    }
    struct font *f = calloc(1, sizeof *f);
    SDL_Surface *atlas = NULL;
    TTF_Font *ttf = NULL;
    if (!f)
        goto nomem;
    ttf = TTF_OpenFont(path, px);
    if (!ttf) {
        snprintf(err, errlen, "%s: %s", path, TTF_GetError());
        goto fail_font;
    }
    TTF_SetFontHinting(ttf, TTF_HINTING_LIGHT);
    f->height = TTF_FontHeight(ttf);
    /* glyph surfaces can be a little taller than the font height (the
     * underscore sits below the descent line): room for that */
    int cell_w = 2 * px + 4, cell_h = f->height + px / 2, cols = 16;
    int rows = (NGLYPH + cols - 1) / cols;
    atlas = SDL_CreateRGBSurfaceWithFormat(0, cols * cell_w, rows * cell_h, 32,
                                           SDL_PIXELFORMAT_ARGB8888);
    if (!atlas)
        goto nomem;
    SDL_FillRect(atlas, NULL, 0);
    const SDL_Color white = { 255, 255, 255, 255 };
    for (int i = 0; i < NGLYPH; i++) {
        uint32_t cp = glyph_cp(i);
        int minx, maxx, miny, maxy, adv;
        if (!TTF_GlyphIsProvided32(ttf, cp) ||
            TTF_GlyphMetrics32(ttf, cp, &minx, &maxx, &miny, &maxy, &adv))
            continue;
        f->g[i].adv = adv;
        if (cp == ' ')
            continue;
        SDL_Surface *gs = TTF_RenderGlyph32_Blended(ttf, cp, white);
        if (!gs)
            continue;
        SDL_Rect dst = { (i % cols) * cell_w, (i / cols) * cell_h,
                         gs->w < cell_w ? gs->w : cell_w, gs->h < cell_h ? gs->h : cell_h };
        SDL_SetSurfaceBlendMode(gs, SDL_BLENDMODE_NONE);
        SDL_Rect src = { 0, 0, dst.w, dst.h };
        SDL_BlitSurface(gs, &src, atlas, &dst);
        f->g[i].src = dst;
        SDL_FreeSurface(gs);
    }
    f->atlas = atlas;
    TTF_CloseFont(ttf);
    return f;
nomem:
    snprintf(err, errlen, "out of memory loading %s", path);
fail_font:
    if (atlas)
        SDL_FreeSurface(atlas);
    if (ttf)
        TTF_CloseFont(ttf);
    free(f);
    return NULL;
}

void font_close(struct font *f)
{
    if (!f)
        return;
    for (int i = 0; i < NTINT; i++)
        SDL_FreeSurface(f->tint[i].s);
    SDL_FreeSurface(f->atlas);
    free(f);
}

/* The atlas in colour c, made on first use.  A pre-coloured atlas lets
 * SDL use its plain alpha-blend blitter instead of the slower
 * colour-modulating one.  NULL if out of memory. */
static SDL_Surface *tinted(struct font *f, SDL_Color c)
{
    Uint32 key = ((Uint32)c.r << 24 | (Uint32)c.g << 16 | (Uint32)c.b << 8 | c.a) + 1;
    struct tint *victim = &f->tint[0];
    f->clock++;
    for (int i = 0; i < NTINT; i++) {
        struct tint *t = &f->tint[i];
        if (t->key == key && t->s) {
            t->used = f->clock;
            return t->s;
        }
        if (t->used < victim->used)
            victim = t;
    }
    SDL_Surface *s = SDL_DuplicateSurface(f->atlas);
    if (!s)
        return NULL;
    SDL_LockSurface(s);
    for (int y = 0; y < s->h; y++) {
        Uint32 *px = (Uint32 *)((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < s->w; x++) {
            Uint32 a = (px[x] >> 24) * c.a / 255;
            px[x] = a << 24 | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
        }
    }
    SDL_UnlockSurface(s);
    SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_BLEND);
    SDL_FreeSurface(victim->s);
    *victim = (struct tint){ key, s, f->clock };
    return s;
}

int font_height(const struct font *f)
{
    return f->height;
}

int font_width(const struct font *f, const char *s)
{
    int w = 0;
    while (*s)
        w += f->g[glyph_index(utf8_next(&s))].adv;
    return w;
}

static int draw_glyph(struct font *f, SDL_Surface *atlas, SDL_Surface *dst, int gi, int x, int y)
{
    const struct glyph *g = &f->g[gi];
    if (g->src.w && atlas) {
        SDL_Rect src = g->src, to = { x, y, g->src.w, g->src.h };
        SDL_BlitSurface(atlas, &src, dst, &to);
    }
    return g->adv;
}

int font_draw_fit(struct font *f, SDL_Surface *dst, int x, int y, int maxw, SDL_Color c,
                  const char *s)
{
    SDL_Surface *atlas = tinted(f, c);
    int ell = glyph_index(0x2026), ellw = f->g[ell].adv;
    bool fits = maxw < 0 || font_width(f, s) <= maxw;
    int w = 0;
    while (*s) {
        int gi = glyph_index(utf8_next(&s));
        if (!fits && w + f->g[gi].adv + ellw > maxw) {
            w += draw_glyph(f, atlas, dst, ell, x + w, y);
            break;
        }
        w += draw_glyph(f, atlas, dst, gi, x + w, y);
    }
    return w;
}

int font_draw(struct font *f, SDL_Surface *dst, int x, int y, SDL_Color c, const char *s)
{
    return font_draw_fit(f, dst, x, y, -1, c, s);
}
