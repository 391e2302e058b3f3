/* svg: the charts sublim draws (bars; line panels, side by side or in a
 * grid), as hand-written SVG (no dependency).
 *
 * The output is a pure function of the input (no time, no locale-dependent
 * formatting beyond "C" printf, deterministic jitter), so regenerating a
 * chart from the same numbers gives the same bytes.
 *
 * Classes and data-* attributes name what each element shows, so tests can
 * check the drawing against the numbers without rasterizing it:
 *   <rect class="bar" data-arm=".." data-mean=".." x y width height>
 *   <line class="grid" data-value="0.5" y1 y2>      (bar chart y grid)
 *   <circle class="seed"> <path class="paper"> <line class="chance">
 *   <g class="ci" data-low=".." data-high=".." data-clipped="0|1">
 *           (a bar's 95% CI as drawn: clipped to [0, 1], uncapped where clipped)
 *   <circle class="point" data-point=".." data-arm=".." data-mean=".." data-ci95="..">
 *           (a line chart's point when its series has an id; data-ci95 when it has CIs)
 *   <path class="whisker">  (a point's CI) */
#ifndef SUBLIM_SVG_H
#define SUBLIM_SVG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One bar: a mean with its 95% CI, one dot per value shown, an optional
 * reference marker (the paper's number).  n == 0 draws no bar ("no
 * data"). */
typedef struct {
    const char *id;        /* data-arm attribute */
    const char *label;     /* first line under the bar */
    const char *note;      /* second line under the bar; may be NULL */
    const char *group;     /* consecutive bars of the same group are bracketed */
                           /* under their labels with this text; may be NULL */
    const char *color;     /* fill, "#rrggbb" */
    size_t n;              /* values the mean is over */
    double mean, ci95;     /* ci95 == 0: no whisker (n < 2: "no interval" under it) */
    size_t n_dots;         /* dots drawn: all n values, or a subset of them */
    const double *values;  /* [n_dots] one dot each */
    const uint64_t *keys;  /* [n_dots] what the dot's jitter is derived from (seeds) */
    double reference;      /* NaN: no marker */
    size_t failed;         /* runs without a value, noted under the bar */
} svg_bar;

typedef struct {
    const char *title, *subtitle; /* subtitle may be NULL; it wraps at its " · " */
    const char *y_label;
    const char *reference_label;  /* legend text of the reference marker */
    double chance;                /* dashed line; NaN: none */
    const svg_bar *bars;
    size_t n_bars;
    const char *footnote;         /* a line under the chart; NULL: none */
} svg_bar_chart;

/* Bars on a 0..1 axis (wider than 960 pixels only past six bars). */
void svg_write_bar_chart(FILE *f, const svg_bar_chart *c);
/* c, and beside it (when not NULL) a second chart of the same kind: its own
 * bars, y label, references and chance line, its title (when not NULL) a
 * heading over it; c's title, legend and footnote are the figure's. */
void svg_write_bar_charts(FILE *f, const svg_bar_chart *c, const svg_bar_chart *beside);

/* One line of a panel: y[i] is the value at x = i + 1; NaN: no point.
 * The fields after y are optional: left 0 / NULL, the series is drawn
 * as curves.svg draws it. */
typedef struct {
    const char *label, *color;
    const double *y;         /* [n_x of its panel] */
    const double *ci95;      /* [n_x] a whisker y ± ci95[i] at each point (0: none) */
    const char *id;          /* its points are <circle class="point" data-arm=id */
    const char *const *keys; /* [n_x] with id: each point's data-point */
    int light;               /* thinner and translucent: context, not the message */
    double dodge;            /* pixels its points sit right of their x, so that */
                             /* whiskers of series at one x stay apart */
} svg_series;

typedef struct {
    const char *title, *y_label, *x_label;
    int log_y;             /* log10 axis over the data's decades; else y_min..y_max */
    double y_min, y_max;
    double chance;         /* dashed line; NaN: none */
    size_t n_x;
    const svg_series *series;
    size_t n_series;
    const char *const *x_ticks; /* [n_x] a categorical x: each point centred in its */
                                /* slot, under its label; NULL: x = 1, 2, ... */
} svg_panel;

/* Panels side by side with one legend (each label once, first colour wins);
 * the subtitle (may be NULL) wraps at its '\n's and " · "s, moving the rest
 * down. */
void svg_write_panels(FILE *f, const char *title, const char *subtitle,
                      const svg_panel *panels, size_t n_panels);

/* Small multiples: panels in rows of `columns`, each panel_w × panel_h
 * pixels, under one legend (each label once, first colour wins; then the
 * CI whisker and chance when a panel draws them), the footnote under
 * them; the figure is as large as they need. */
typedef struct {
    const char *title, *subtitle; /* subtitle may be NULL; it wraps as above */
    const char *footnote;         /* NULL: none */
    size_t columns;
    double panel_w, panel_h;
} svg_grid;

void svg_write_panel_grid(FILE *f, const svg_grid *g, const svg_panel *panels,
                          size_t n_panels);

/* Writes s with &, <, >, " escaped for XML text and attribute values. */
void svg_escape(FILE *f, const char *s);

#endif
