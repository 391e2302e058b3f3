#include "out/svg.h"
#include <math.h>
#include <string.h>

#define FONT "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"
#define INK "#222222"
#define MUTED "#666666"
#define GRID "#e4e4e4"
#define CHANCE "#b22222"

void svg_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void begin(FILE *f, int w, int h)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"%s\">\n"
               "<rect class=\"background\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            w, h, w, h, FONT, w, h);
}

/* <text> at (x, y); anchor "start", "middle" or "end". */
static void text(FILE *f, double x, double y, const char *anchor, double size,
                 const char *fill, const char *weight, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%.1f\" fill=\"%s\"",
            x, y, anchor, size, fill);
    if (weight)
        fprintf(f, " font-weight=\"%s\"", weight);
    fputc('>', f);
    svg_escape(f, s);
    fputs("</text>\n", f);
}

static void titles(FILE *f, double x, const char *title, const char *subtitle)
{
    text(f, x, 34, "start", 20, INK, "bold", title);
    if (subtitle)
        text(f, x, 58, "start", 13, MUTED, NULL, subtitle);
}

/* A rough advance width of s in a sans font, to lay out legends. */
static double text_width(const char *s, double size)
{
    size_t chars = 0;
    for (; *s; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80; /* count UTF-8 code points */
    return 0.6 * size * (double)chars;
}

/* splitmix64: a fixed, well-mixed function of the key, for dot jitter. */
static double unit_hash(uint64_t key)
{
    uint64_t z = key + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0; /* [0, 1) */
}

static double clamp01(double v)
{
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

/* ---- bar chart ---- */

enum { BAR_W = 960, BAR_H = 600 };
static const double B_LEFT = 78, B_RIGHT = 890, B_TOP = 112, B_BOTTOM = 470;

static double bar_y(double v)
{
    return B_BOTTOM - clamp01(v) * (B_BOTTOM - B_TOP);
}

static void paper_marker(FILE *f, double x, double y)
{
    /* A triangle pointing left, at x .. x+10. */
    fprintf(f, "<path class=\"paper\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"/>\n", x,
            y, x + 10, y - 5.5, x + 10, y + 5.5, INK);
}

/* A whisker from lo to hi with caps, over a white halo so it stays visible
 * on top of many dots. */
static void ci_icon(FILE *f, double x, double lo, double hi, double cap)
{
    fprintf(f, "<g class=\"ci\">");
    for (int halo = 1; halo >= 0; halo--)
        fprintf(f,
                "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\" fill=\"none\" "
                "stroke=\"%s\" stroke-width=\"%s\"/>",
                x, lo, hi, x - cap, lo, x + cap, x - cap, hi, x + cap,
                halo ? "#ffffff" : INK, halo ? "4" : "1.6");
    fputs("</g>\n", f);
}

static void seed_dot(FILE *f, double x, double y)
{
    fprintf(f,
            "<circle class=\"seed\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" "
            "fill-opacity=\"0.65\" stroke=\"#ffffff\" stroke-width=\"0.7\"/>\n",
            x, y, INK);
}

static void bar_legend(FILE *f, const svg_bar_chart *c)
{
    double x = B_LEFT, y = 86;
    char chance[64];
    seed_dot(f, x + 4, y - 4);
    text(f, x + 14, y, "start", 12, MUTED, NULL, "one seed");
    x += 14 + text_width("one seed", 12) + 22;
    ci_icon(f, x + 4, y - 11, y + 2, 4);
    text(f, x + 14, y, "start", 12, MUTED, NULL, "95% CI of the mean");
    x += 14 + text_width("95% CI of the mean", 12) + 22;
    if (c->reference_label) {
        paper_marker(f, x, y - 4);
        text(f, x + 16, y, "start", 12, MUTED, NULL, c->reference_label);
        x += 16 + text_width(c->reference_label, 12) + 22;
    }
    if (!isnan(c->chance)) {
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                x, y - 4, x + 26, y - 4, CHANCE);
        snprintf(chance, sizeof chance, "chance (%g%%)", 100 * c->chance);
        text(f, x + 32, y, "start", 12, MUTED, NULL, chance);
    }
}

/* The y axis of the bar chart: a grid line and a label every 0.1. */
static void bar_axis(FILE *f, const char *y_label)
{
    char buf[64];
    for (int k = 0; k <= 10; k++) {
        double v = k / 10.0, y = bar_y(v);
        fprintf(f,
                "<line class=\"grid\" data-value=\"%.1f\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
                v, B_LEFT, y, B_RIGHT, y, GRID);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                B_LEFT - 5, y, B_LEFT, y, INK);
        snprintf(buf, sizeof buf, "%.1f", v);
        text(f, B_LEFT - 9, y + 4, "end", 12, INK, NULL, buf);
    }
    fprintf(f,
            "<text x=\"22\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" fill=\"%s\" "
            "transform=\"rotate(-90 22 %.1f)\">",
            (B_TOP + B_BOTTOM) / 2, INK, (B_TOP + B_BOTTOM) / 2);
    svg_escape(f, y_label);
    fputs("</text>\n", f);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            B_LEFT, B_TOP, B_LEFT, B_BOTTOM, INK);
}

/* Group brackets: a line under each run of bars of one group, its text
 * below. */
static void bar_groups(FILE *f, const svg_bar_chart *c, double slot)
{
    for (size_t i = 0; i < c->n_bars;) {
        size_t j = i + 1;
        while (c->bars[i].group && j < c->n_bars && c->bars[j].group &&
               strcmp(c->bars[i].group, c->bars[j].group) == 0)
            j++;
        if (c->bars[i].group) {
            double x1 = B_LEFT + (double)i * slot + 10, x2 = B_LEFT + (double)j * slot - 10;
            double y = B_BOTTOM + 72;
            fprintf(f,
                    "<path class=\"group\" d=\"M%.1f %.1fV%.1fH%.1fV%.1f\" fill=\"none\" "
                    "stroke=\"%s\" stroke-width=\"1.2\"/>\n",
                    x1, y - 6, y, x2, y - 6, MUTED);
            text(f, (x1 + x2) / 2, y + 18, "middle", 13, INK, NULL, c->bars[i].group);
        }
        i = j;
    }
}

void svg_write_bar_chart(FILE *f, const svg_bar_chart *c)
{
    char buf[64];
    begin(f, BAR_W, BAR_H);
    titles(f, B_LEFT, c->title, c->subtitle);
    bar_legend(f, c);
    bar_axis(f, c->y_label);

    double slot = (B_RIGHT - B_LEFT) / (double)(c->n_bars ? c->n_bars : 1);
    double bw = 0.56 * slot < 90 ? 0.56 * slot : 90;
    for (size_t i = 0; i < c->n_bars; i++) {
        const svg_bar *b = &c->bars[i];
        double cx = B_LEFT + ((double)i + 0.5) * slot, y = bar_y(b->mean);
        if (b->n)
            fprintf(f,
                    "<rect class=\"bar\" data-arm=\"%s\" data-mean=\"%.6f\" x=\"%.2f\" "
                    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
                    b->id, b->mean, cx - bw / 2, y, bw, B_BOTTOM - y, b->color);
    }
    /* The baseline, then the chance line over the bars. */
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            B_LEFT, B_BOTTOM, B_RIGHT, B_BOTTOM, INK);
    if (!isnan(c->chance)) {
        double y = bar_y(c->chance);
        fprintf(f,
                "<line class=\"chance\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                B_LEFT, y, B_RIGHT, y, CHANCE);
        text(f, B_RIGHT + 6, y + 4, "start", 12, CHANCE, NULL, "chance");
    }

    for (size_t i = 0; i < c->n_bars; i++) {
        const svg_bar *b = &c->bars[i];
        double cx = B_LEFT + ((double)i + 0.5) * slot;
        double top = b->mean;
        for (size_t k = 0; k < b->n_dots; k++) {
            double jitter = (unit_hash(b->keys[k]) - 0.5) * 0.5 * bw;
            seed_dot(f, cx + jitter, bar_y(b->values[k]));
            top = b->values[k] > top ? b->values[k] : top;
        }
        if (b->n && b->ci95 > 0) {
            ci_icon(f, cx, bar_y(b->mean - b->ci95), bar_y(b->mean + b->ci95), 0.15 * bw);
            top = b->mean + b->ci95 > top ? b->mean + b->ci95 : top;
        }
        if (!isnan(b->reference))
            paper_marker(f, cx + bw / 2 + 2, bar_y(b->reference));
        if (b->n) {
            snprintf(buf, sizeof buf, "%.1f%%", 100 * b->mean);
            double ly = bar_y(top) - 7;
            text(f, cx, ly < B_TOP - 2 ? B_TOP - 2 : ly, "middle", 13, INK, "bold", buf);
        } else {
            text(f, cx, B_BOTTOM - 8, "middle", 12, MUTED, NULL, "no data");
        }
        text(f, cx, B_BOTTOM + 22, "middle", 13, INK, "bold", b->label);
        if (b->note)
            text(f, cx, B_BOTTOM + 40, "middle", 12, MUTED, NULL, b->note);
        if (b->failed)
            snprintf(buf, sizeof buf, "n = %zu, %zu diverged", b->n, b->failed);
        else
            snprintf(buf, sizeof buf, "n = %zu", b->n);
        text(f, cx, B_BOTTOM + 57, "middle", 11, MUTED, NULL, buf);
    }
    bar_groups(f, c, slot);
    if (c->footnote)
        text(f, B_LEFT, BAR_H - 8, "start", 11, MUTED, NULL, c->footnote);
    fputs("</svg>\n", f);
}

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
            text(f, a->left - 8, y + 4, "end", 12, INK, NULL, buf);
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
            text(f, a->left - 8, y + 4, "end", 12, INK, NULL, buf);
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
            widest = fmax(widest, text_width(p->x_ticks[i], 12));
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
        text(f, x, a->bottom + 19, "middle", 12, INK, NULL, p->x_ticks ? p->x_ticks[i] : buf);
    }
    text(f, (a->left + a->right) / 2, a->bottom + 40, "middle", 13, INK, NULL, p->x_label);
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
    text(f, a.left, top - 14, "start", 14, INK, "bold", p->title);
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
        text(f, a.right + 5, y + 4, "start", 11, CHANCE, NULL, "chance");
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
            double w = 30 + text_width(sr->label, 12) + 22;
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
                text(f, x + 28, y, "start", 12, INK, NULL, sr->label);
            }
            pen->x += w;
        }
    }
    static const char ci_text[] = "95% CI over seeds", chance_text[] = "chance";
    if (keys && whiskers) {
        legend_room(pen, 16 + text_width(ci_text, 12) + 22);
        if (f) {
            whisker(f, pen->x + 4, pen->y + 2, pen->y - 11, INK, "");
            text(f, pen->x + 14, pen->y, "start", 12, INK, NULL, ci_text);
        }
        pen->x += 16 + text_width(ci_text, 12) + 22;
    }
    if (keys && chance) {
        legend_room(pen, 32 + text_width(chance_text, 12) + 22);
        if (f) {
            fprintf(f,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                    "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                    pen->x, pen->y - 4, pen->x + 26, pen->y - 4, CHANCE);
            text(f, pen->x + 32, pen->y, "start", 12, INK, NULL, chance_text);
        }
        pen->x += 32 + text_width(chance_text, 12) + 22;
    }
}

void svg_write_panels(FILE *f, const char *title, const char *subtitle,
                      const svg_panel *panels, size_t n_panels)
{
    begin(f, P_W, P_H);
    titles(f, 72, title, subtitle);
    double width = (double)P_W / (double)(n_panels ? n_panels : 1);
    for (size_t k = 0; k < n_panels; k++)
        panel(f, &panels[k], (double)k * width, width, P_TOP, P_BOTTOM);
    /* One legend for all panels, wrapped to the width. */
    legend_pen pen = {f, 72, P_W - 20, 72, P_H - 36};
    legend(&pen, panels, n_panels, 0);
    fputs("</svg>\n", f);
}

void svg_write_panel_grid(FILE *f, const svg_grid *g, const svg_panel *panels,
                          size_t n_panels)
{
    size_t columns = g->columns ? g->columns : 1;
    size_t rows = n_panels ? (n_panels + columns - 1) / columns : 0;
    double width = (double)columns * g->panel_w;
    /* The legend's rows, laid out once without drawing, place the panels. */
    legend_pen pen = {NULL, 72, width - 20, 72, 86};
    legend(&pen, panels, n_panels, 1);
    double y0 = pen.y + 16, bottom = y0 + (double)rows * g->panel_h;
    double height = bottom + (g->footnote ? 26 : 8);
    begin(f, (int)ceil(width), (int)ceil(height));
    titles(f, 72, g->title, g->subtitle);
    pen = (legend_pen){f, 72, width - 20, 72, 86};
    legend(&pen, panels, n_panels, 1);
    for (size_t k = 0; k < n_panels; k++) {
        double x0 = (double)(k % columns) * g->panel_w;
        double top = y0 + (double)(k / columns) * g->panel_h;
        panel(f, &panels[k], x0, g->panel_w, top + 40, top + g->panel_h - 52);
    }
    if (g->footnote)
        text(f, 72, bottom + 14, "start", 11, MUTED, NULL, g->footnote);
    fputs("</svg>\n", f);
}
