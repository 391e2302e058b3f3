/* svg_prim: what svg.c and svg_panels.c both draw with (not for other
 * modules: they call svg.h). */
#ifndef SUBLIM_SVG_PRIM_H
#define SUBLIM_SVG_PRIM_H

#include <stddef.h>
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
#define SVG_SUBTITLE_SIZE 13.0
#define SVG_LINE_HEIGHT 16.0
#define SVG_SUBTITLE_MAX 2048 /* bytes of a wrapped subtitle; more is cut */

/* The figure's title and (when not NULL) its subtitle, wrapped to width
 * (svg_wrap), from x: the subtitle's first line sits where a one-line
 * subtitle would, the others below it. */
void svg_titles(FILE *f, double x, const char *title, const char *subtitle, double width);
/* The height the subtitle's lines after its first take: what the rest of
 * the figure moves down by. */
double svg_titles_extra(const char *subtitle, double width);
/* s broken into lines (joined by '\n' in buf) that fit width at font
 * size: at its own '\n's, and at the " · " between its parts where a line
 * would grow wider (a part wider than width alone keeps its line).
 * Returns the number of lines (0 for NULL or ""). */
size_t svg_wrap(char *buf, size_t size, const char *s, double font_size, double width);
/* Each '\n'-separated line of lines as <text>, the first at (x, y). */
void svg_text_lines(FILE *f, double x, double y, double line_height, double size,
                    const char *fill, const char *lines);
/* A rough advance width of s in a sans font, to lay out legends. */
double svg_text_width(const char *s, double size);
/* Opens a group that moves what follows down by dy (nothing when dy is
 * 0); svg_shift_end closes it. */
void svg_shift_begin(FILE *f, double dy);
void svg_shift_end(FILE *f, double dy);

#endif
