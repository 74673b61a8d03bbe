/* view/font.h — text for the view: a TrueType font (SDL2_ttf, DejaVu from
 * fonts-dejavu-core) rasterised once into a glyph atlas surface, and a
 * copy of the atlas per colour in use (a small cache).  Drawing a string
 * is one alpha blit per character onto any SDL_Surface, with no
 * rasterising and no renderer or GPU, so counters and registers can be
 * redrawn every frame.
 *
 * Known limit: only the characters in the atlas are drawn (printable ASCII
 * and the few symbols the view uses: arrows, dashes, check marks ...);
 * anything else is drawn as '?'.  No kerning. */
#ifndef VMLAB_VIEW_FONT_H
#define VMLAB_VIEW_FONT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

struct font;

enum font_face { FONT_MONO, FONT_MONO_BOLD, FONT_SANS, FONT_SANS_BOLD };

/* The font file for face: $VMLAB_FONT_DIR first, then the Debian paths of
 * fonts-dejavu-core.  NULL if none exists. */
const char *font_find(enum font_face face);

/* Open face at pixel size px.  Returns NULL with one line in err on
 * failure (no font file, SDL_ttf error).  TTF_Init must have been called. */
struct font *font_open(enum font_face face, int px, char *err, size_t errlen);
void font_close(struct font *f);

int font_height(const struct font *f);

/* Width in pixels of the UTF-8 string s. */
int font_width(const struct font *f, const char *s);

/* Draw s on dst with its top-left corner at (x, y) in colour c (dst's
 * clip rectangle applies).  Returns the width drawn. */
int font_draw(struct font *f, SDL_Surface *dst, int x, int y, SDL_Color c, const char *s);

/* Like font_draw, but stop at maxw pixels, ending with "…" when cut. */
int font_draw_fit(struct font *f, SDL_Surface *dst, int x, int y, int maxw, SDL_Color c,
                  const char *s);

#endif
