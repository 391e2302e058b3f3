/* svg_prim: what svg.c and svg_panels.c both draw with (not for other
 * modules: they call svg.h). */
#ifndef SUBLIM_SVG_PRIM_H
#define SUBLIM_SVG_PRIM_H

#include <stdio.h>

#define INK "#222222"
#define MUTED "#666666"
#define GRID "#e4e4e4"
#define CHANCE "#b22222"

/* The XML header, <svg> of w × h and its white background. */
void svg_begin(FILE *f, int w, int h);
/* <text> at (x, y); anchor "start", "middle" or "end"; weight may be NULL. */
void svg_text(FILE *f, double x, double y, const char *anchor, double size, const char *fill,
              const char *weight, const char *s);
/* The figure's title and (when not NULL) subtitle, from x. */
void svg_titles(FILE *f, double x, const char *title, const char *subtitle);
/* A rough advance width of s in a sans font, to lay out legends. */
double svg_text_width(const char *s, double size);

#endif
