/* SVG's line panels: curves.svg and a sweep's grid of panels.
 *
 * The log axis keeps libm's log10 and pow (not base/detmath): they only
 * place ticks and points, written with a few decimals, and no result is
 * computed from them. */
#include <math.h>
#include <string.h>
#include "out/svg.h"
#include "out/svg_prim.h"

/* ---- line panels ---- */

enum { P_W = 960, P_H = 480 };
static const double P_TOP = 100, P_BOTTOM = 380;

typedef struct {
    double left, right, top, bottom;
    double lo, hi;   /* axis range (log10 units when log_y) */
    int log_y;
    int categorical; /* x: points centred in equal slots */
} axes;

static double ax_y(const axes *a, double v)
{
    if (a->log_y)
        v = log10(v > 0 ? v : pow(10, a->lo));
    double t = (v - a->lo) / (a->hi - a->lo);
    return a->bottom - (t < 0 ? 0 : t > 1 ? 1 : t) * (a->bottom - a->top);
}

static double ax_x(const axes *a, size_t i, size_t n_x)
{
    if (a->categorical)
        return a->left + ((double)i + 0.5) / (double)n_x * (a->right - a->left);
    /* Points stay clear of the axes by a margin. */
    double l = a->left + 14, r = a->right - 14;
    if (n_x < 2)
        return (l + r) / 2;
    return l + (double)i / (double)(n_x - 1) * (r - l);
}

/* A round step giving about `ticks` intervals over range. */
static double nice_step(double range, double ticks)
{
    double raw = range / ticks, p = pow(10, floor(log10(raw))), m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* A CI whisker of a line chart's point, in its series' colour. */
static void whisker(FILE *f, double x, double lo, double hi, const char *color,
                    const char *opacity)
{
    fprintf(f,
            "<path class=\"whisker\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\" "
            "fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"%s/>\n",
            x, lo, hi, x - 3, lo, x + 3, x - 3, hi, x + 3, color, opacity);
}

/* One series: lines through runs of consecutive points, then the
 * whiskers, then the points (with what they show, when the series has
 * an id).  A light series is thinner and translucent. */
static void series(FILE *f, const axes *a, const svg_series *sr, size_t n_x)
{
    const char *opacity = sr->light ? " stroke-opacity=\"0.5\"" : "";
    int open = 0;
    for (size_t i = 0; i < n_x; i++) {
        if (!isfinite(sr->y[i])) {
            if (open)
                fputs("\"/>\n", f);
            open = 0;
            continue;
        }
        if (!open)
            fprintf(f,
                    "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" "
                    "stroke-width=\"%s\"%s points=\"",
                    sr->color, sr->light ? "1.2" : "2", opacity);
        fprintf(f, "%s%.1f,%.1f", open ? " " : "", ax_x(a, i, n_x) + sr->dodge,
                ax_y(a, sr->y[i]));
        open = 1;
    }
    if (open)
        fputs("\"/>\n", f);
    for (size_t i = 0; sr->ci95 && i < n_x; i++)
        if (isfinite(sr->y[i]) && sr->ci95[i] > 0)
            whisker(f, ax_x(a, i, n_x) + sr->dodge, ax_y(a, sr->y[i] - sr->ci95[i]),
                    ax_y(a, sr->y[i] + sr->ci95[i]), sr->color, opacity);
    for (size_t i = 0; i < n_x; i++) {
        if (!isfinite(sr->y[i]))
            continue;
        fputs("<circle ", f);
        if (sr->id) {
            fputs("class=\"point\" data-point=\"", f);
            svg_escape(f, sr->keys[i]);
            fputs("\" data-arm=\"", f);
            svg_escape(f, sr->id);
            fprintf(f, "\" data-mean=\"%.6f\" ", sr->y[i]);
            if (sr->ci95)
                fprintf(f, "data-ci95=\"%.6f\" ", sr->ci95[i]);
        }
        fprintf(f, "cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"%s stroke=\"#ffffff\" "
                   "stroke-width=\"1\"/>\n",
                ax_x(a, i, n_x) + sr->dodge, ax_y(a, sr->y[i]), sr->light ? "2.5" : "3.5",
                sr->color, sr->light ? " fill-opacity=\"0.5\"" : "");
    }
}

/* The y grid and its labels, and the y axis's title. */
static void y_axis(FILE *f, const svg_panel *p, const axes *a, double x0)
{
    char buf[64];
    if (p->log_y) {
        for (double d = a->lo; d <= a->hi + 1e-9; d += 1) {
            double y = ax_y(a, pow(10, d));
            fprintf(f,
                    "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\"/>\n",
                    a->left, y, a->right, y, GRID);
            snprintf(buf, sizeof buf, "%g", pow(10, d));
            svg_text(f, a->left - 8, y + 4, "end", 12, INK, NULL, buf);
        }
    } else {
        double step = nice_step(a->hi - a->lo, 5);
        for (double v = ceil(a->lo / step) * step; v <= a->hi + step * 1e-9; v += step) {
            double y = ax_y(a, v);
            fprintf(f,
                    "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    "stroke=\"%s\"/>\n",
                    a->left, y, a->right, y, GRID);
            snprintf(buf, sizeof buf, "%g", fabs(v) < step * 1e-9 ? 0.0 : v);
            svg_text(f, a->left - 8, y + 4, "end", 12, INK, NULL, buf);
        }
    }
    double ymid = (a->top + a->bottom) / 2;
    fprintf(f,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" fill=\"%s\" "
            "transform=\"rotate(-90 %.1f %.1f)\">",
            x0 + 20, ymid, INK, x0 + 20, ymid);
    svg_escape(f, p->y_label);
    fputs("</text>\n", f);
}

/* x ticks: the labels of a categorical axis, every one while they fit
 * side by side (else every k-th); else every epoch while they fit, else a
 * round step. */
static void x_ticks(FILE *f, const svg_panel *p, const axes *a)
{
    char buf[64];
    size_t step = 1;
    if (p->x_ticks) {
        double widest = 0, slot = (a->right - a->left) / (double)p->n_x;
        for (size_t i = 0; i < p->n_x; i++)
            widest = fmax(widest, svg_text_width(p->x_ticks[i], 12));
        while (step < p->n_x && (double)step * slot < widest + 8)
            step++;
    } else if (p->n_x > 12) {
        step = (size_t)nice_step((double)p->n_x, 8);
    }
    for (size_t i = 0; i < p->n_x; i++) {
        if (p->x_ticks ? i % step != 0 : (i + 1) % step && i != 0)
            continue;
        double x = ax_x(a, i, p->n_x);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", x,
                a->bottom, x, a->bottom + 5, INK);
        snprintf(buf, sizeof buf, "%zu", i + 1);
        svg_text(f, x, a->bottom + 19, "middle", 12, INK, NULL, p->x_ticks ? p->x_ticks[i] : buf);
    }
    svg_text(f, (a->left + a->right) / 2, a->bottom + 40, "middle", 13, INK, NULL, p->x_label);
}

static void panel(FILE *f, const svg_panel *p, double x0, double width, double top,
                  double bottom)
{
    axes a = {x0 + 72, x0 + width - 56, top, bottom, p->y_min, p->y_max, p->log_y,
              p->x_ticks != NULL};
    if (p->log_y) {
        double mn = INFINITY, mx = -INFINITY;
        for (size_t s = 0; s < p->n_series; s++)
            for (size_t i = 0; i < p->n_x; i++) {
                double v = p->series[s].y[i];
                if (isfinite(v) && v > 0) {
                    mn = v < mn ? v : mn;
                    mx = v > mx ? v : mx;
                }
            }
        a.lo = isfinite(mn) ? floor(log10(mn)) : -3;
        a.hi = isfinite(mx) ? ceil(log10(mx)) : 0;
        if (a.hi <= a.lo)
            a.hi = a.lo + 1;
    }
    svg_text(f, a.left, top - 14, "start", 14, INK, "bold", p->title);
    y_axis(f, p, &a, x0);
    x_ticks(f, p, &a);
    fprintf(f,
            "<path d=\"M%.1f %.1fV%.1fH%.1f\" fill=\"none\" stroke=\"%s\"/>\n", a.left, top,
            bottom, a.right, INK);
    if (!isnan(p->chance) && !p->log_y) {
        double y = ax_y(&a, p->chance);
        fprintf(f,
                "<line class=\"chance\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                a.left, y, a.right, y, CHANCE);
        svg_text(f, a.right + 5, y + 4, "start", 11, CHANCE, NULL, "chance");
    }

    for (size_t s = 0; s < p->n_series; s++)
        series(f, &a, &p->series[s], p->n_x);
}

/* ---- the legend of line panels ---- */

typedef struct {
    FILE *f;          /* NULL: lay out only */
    double x0, right; /* rows start at x0 and wrap before right */
    double x, y;      /* where the next entry goes */
} legend_pen;

/* Room for an entry w wide: the next row when this one is full. */
static void legend_room(legend_pen *pen, double w)
{
    if (pen->x + w > pen->right) {
        pen->x = pen->x0;
        pen->y += 20;
    }
}

/* 1 when series s of panel k is the first with its label. */
static int first_of_label(const svg_panel *panels, size_t k, size_t s)
{
    const char *label = panels[k].series[s].label;
    for (size_t k2 = 0; k2 <= k; k2++)
        for (size_t s2 = 0; s2 < (k2 == k ? s : panels[k2].n_series); s2++)
            if (strcmp(panels[k2].series[s2].label, label) == 0)
                return 0;
    return 1;
}

/* Each label once, first colour wins; with keys, then the whisker and
 * chance when some panel draws them. */
static void legend(legend_pen *pen, const svg_panel *panels, size_t n_panels, int keys)
{
    FILE *f = pen->f;
    int whiskers = 0, chance = 0;
    for (size_t k = 0; k < n_panels; k++) {
        chance |= !isnan(panels[k].chance) && !panels[k].log_y;
        for (size_t s = 0; s < panels[k].n_series; s++) {
            const svg_series *sr = &panels[k].series[s];
            for (size_t i = 0; sr->ci95 && i < panels[k].n_x; i++)
                whiskers |= isfinite(sr->y[i]) && sr->ci95[i] > 0;
            if (!first_of_label(panels, k, s))
                continue;
            double w = 30 + svg_text_width(sr->label, 12) + 22;
            legend_room(pen, w);
            if (f) {
                double x = pen->x, y = pen->y;
                fprintf(f,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                        "stroke-width=\"%s\"%s/><circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                        "fill=\"%s\"%s stroke=\"#ffffff\" stroke-width=\"1\"/>\n",
                        x, y - 4, x + 22, y - 4, sr->color, sr->light ? "1.2" : "2",
                        sr->light ? " stroke-opacity=\"0.5\"" : "", x + 11, y - 4, sr->color,
                        sr->light ? " fill-opacity=\"0.5\"" : "");
                svg_text(f, x + 28, y, "start", 12, INK, NULL, sr->label);
            }
            pen->x += w;
        }
    }
    static const char ci_text[] = "95% CI over seeds", chance_text[] = "chance";
    if (keys && whiskers) {
        legend_room(pen, 16 + svg_text_width(ci_text, 12) + 22);
        if (f) {
            whisker(f, pen->x + 4, pen->y + 2, pen->y - 11, INK, "");
            svg_text(f, pen->x + 14, pen->y, "start", 12, INK, NULL, ci_text);
        }
        pen->x += 16 + svg_text_width(ci_text, 12) + 22;
    }
    if (keys && chance) {
        legend_room(pen, 32 + svg_text_width(chance_text, 12) + 22);
        if (f) {
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                    pen->x, pen->y - 4, pen->x + 26, pen->y - 4, CHANCE);
            svg_text(f, pen->x + 32, pen->y, "start", 12, INK, NULL, chance_text);
        }
        pen->x += 32 + svg_text_width(chance_text, 12) + 22;
    }
}

void svg_write_panels(FILE *f, const char *title, const char *subtitle,
                      const svg_panel *panels, size_t n_panels)
{
    double dy = svg_titles_extra(subtitle, P_W - 82);
    svg_begin(f, P_W, (int)ceil(P_H + dy));
    svg_titles(f, 72, title, subtitle, P_W - 82);
    svg_shift_begin(f, dy);
    double width = (double)P_W / (double)(n_panels ? n_panels : 1);
    for (size_t k = 0; k < n_panels; k++)
        panel(f, &panels[k], (double)k * width, width, P_TOP, P_BOTTOM);
    /* One legend for all panels, wrapped to the width. */
    legend_pen pen = {f, 72, P_W - 20, 72, P_H - 36};
    legend(&pen, panels, n_panels, 0);
    svg_shift_end(f, dy);
    fputs("</svg>\n", f);
}

void svg_write_panel_grid(FILE *f, const svg_grid *g, const svg_panel *panels,
                          size_t n_panels)
{
    size_t columns = g->columns ? g->columns : 1;
    size_t rows = n_panels ? (n_panels + columns - 1) / columns : 0;
    double width = (double)columns * g->panel_w;
    /* The legend's rows, laid out once without drawing, place the panels. */
    double dy = svg_titles_extra(g->subtitle, width - 92);
    legend_pen pen = {NULL, 72, width - 20, 72, 86 + dy};
    legend(&pen, panels, n_panels, 1);
    double y0 = pen.y + 16, bottom = y0 + (double)rows * g->panel_h;
    double height = bottom + (g->footnote ? 26 : 8);
    svg_begin(f, (int)ceil(width), (int)ceil(height));
    svg_titles(f, 72, g->title, g->subtitle, width - 92);
    pen = (legend_pen){f, 72, width - 20, 72, 86 + dy};
    legend(&pen, panels, n_panels, 1);
    for (size_t k = 0; k < n_panels; k++) {
        double x0 = (double)(k % columns) * g->panel_w;
        double top = y0 + (double)(k / columns) * g->panel_h;
        panel(f, &panels[k], x0, g->panel_w, top + 40, top + g->panel_h - 52);
    }
    if (g->footnote)
        svg_text(f, 72, bottom + 14, "start", 11, MUTED, NULL, g->footnote);
    fputs("</svg>\n", f);
}
