/* SVG's primitives and the bar chart; the line panels are svg_panels.c. */
#include "out/svg.h"
#include <math.h>
#include <string.h>
#include "out/svg_prim.h"

#define FONT "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif"

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

void svg_begin(FILE *f, int w, int h)
{
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" font-family=\"%s\">\n"
               "<rect class=\"background\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
            w, h, w, h, FONT, w, h);
}

/* <text> at (x, y); anchor "start", "middle" or "end". */
void svg_text(FILE *f, double x, double y, const char *anchor, double size,
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

void svg_titles(FILE *f, double x, const char *title, const char *subtitle)
{
    svg_text(f, x, 34, "start", 20, INK, "bold", title);
    if (subtitle)
        svg_text(f, x, 58, "start", 13, MUTED, NULL, subtitle);
}

/* A rough advance width of s in a sans font, to lay out legends. */
double svg_text_width(const char *s, double size)
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
    svg_text(f, x + 14, y, "start", 12, MUTED, NULL, "one seed");
    x += 14 + svg_text_width("one seed", 12) + 22;
    ci_icon(f, x + 4, y - 11, y + 2, 4);
    svg_text(f, x + 14, y, "start", 12, MUTED, NULL, "95% CI of the mean");
    x += 14 + svg_text_width("95% CI of the mean", 12) + 22;
    if (c->reference_label) {
        paper_marker(f, x, y - 4);
        svg_text(f, x + 16, y, "start", 12, MUTED, NULL, c->reference_label);
        x += 16 + svg_text_width(c->reference_label, 12) + 22;
    }
    if (!isnan(c->chance)) {
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                x, y - 4, x + 26, y - 4, CHANCE);
        snprintf(chance, sizeof chance, "chance (%g%%)", 100 * c->chance);
        svg_text(f, x + 32, y, "start", 12, MUTED, NULL, chance);
    }
}

/* Where a chart's plot lies across the figure: x0 its left edge, left and
 * right its axis. */
typedef struct {
    double x0, left, right;
} bar_frame;

/* A chart's width: the paper's six bars fit BAR_W; more bars widen it so
 * their labels stay apart. */
static double chart_width(const svg_bar_chart *c)
{
    double need = B_LEFT + 130 * (double)c->n_bars + (BAR_W - B_RIGHT);
    return need > BAR_W ? need : BAR_W;
}

/* The y axis of the bar chart: a grid line and a label every 0.1. */
static void bar_axis(FILE *f, const char *y_label, const bar_frame *fr)
{
    char buf[64];
    for (int k = 0; k <= 10; k++) {
        double v = k / 10.0, y = bar_y(v);
        fprintf(f,
                "<line class=\"grid\" data-value=\"%.1f\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
                v, fr->left, y, fr->right, y, GRID);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
                fr->left - 5, y, fr->left, y, INK);
        snprintf(buf, sizeof buf, "%.1f", v);
        svg_text(f, fr->left - 9, y + 4, "end", 12, INK, NULL, buf);
    }
    fprintf(f,
            "<text x=\"%g\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"13\" fill=\"%s\" "
            "transform=\"rotate(-90 %g %.1f)\">",
            fr->x0 + 22, (B_TOP + B_BOTTOM) / 2, INK, fr->x0 + 22, (B_TOP + B_BOTTOM) / 2);
    svg_escape(f, y_label);
    fputs("</text>\n", f);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            fr->left, B_TOP, fr->left, B_BOTTOM, INK);
}

/* Group brackets: a line under each run of bars of one group, its text
 * below. */
static void bar_groups(FILE *f, const svg_bar_chart *c, double slot, const bar_frame *fr)
{
    for (size_t i = 0; i < c->n_bars;) {
        size_t j = i + 1;
        while (c->bars[i].group && j < c->n_bars && c->bars[j].group &&
               strcmp(c->bars[i].group, c->bars[j].group) == 0)
            j++;
        if (c->bars[i].group) {
            double x1 = fr->left + (double)i * slot + 10, x2 = fr->left + (double)j * slot - 10;
            double y = B_BOTTOM + 72;
            fprintf(f,
                    "<path class=\"group\" d=\"M%.1f %.1fV%.1fH%.1fV%.1f\" fill=\"none\" "
                    "stroke=\"%s\" stroke-width=\"1.2\"/>\n",
                    x1, y - 6, y, x2, y - 6, MUTED);
            svg_text(f, (x1 + x2) / 2, y + 18, "middle", 13, INK, NULL, c->bars[i].group);
        }
        i = j;
    }
}

/* One bar's dots, whisker, reference marker, mean and labels, centred at
 * cx, bw wide. */
static void bar_marks(FILE *f, const svg_bar *b, double cx, double bw)
{
    char buf[64];
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
        svg_text(f, cx, ly < B_TOP - 2 ? B_TOP - 2 : ly, "middle", 13, INK, "bold", buf);
    } else {
        svg_text(f, cx, B_BOTTOM - 8, "middle", 12, MUTED, NULL, "no data");
    }
    svg_text(f, cx, B_BOTTOM + 22, "middle", 13, INK, "bold", b->label);
    if (b->note)
        svg_text(f, cx, B_BOTTOM + 40, "middle", 12, MUTED, NULL, b->note);
    if (b->failed)
        snprintf(buf, sizeof buf, "n = %zu, %zu diverged", b->n, b->failed);
    else
        snprintf(buf, sizeof buf, "n = %zu", b->n);
    svg_text(f, cx, B_BOTTOM + 57, "middle", 11, MUTED, NULL, buf);
}

/* Chart c's axis, bars and marks in the frame fr. */
static void bar_plot(FILE *f, const svg_bar_chart *c, const bar_frame *fr)
{
    bar_axis(f, c->y_label, fr);
    double slot = (fr->right - fr->left) / (double)(c->n_bars ? c->n_bars : 1);
    double bw = 0.56 * slot < 90 ? 0.56 * slot : 90;
    for (size_t i = 0; i < c->n_bars; i++) {
        const svg_bar *b = &c->bars[i];
        double cx = fr->left + ((double)i + 0.5) * slot, y = bar_y(b->mean);
        if (b->n)
            fprintf(f,
                    "<rect class=\"bar\" data-arm=\"%s\" data-mean=\"%.6f\" x=\"%.2f\" "
                    "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>\n",
                    b->id, b->mean, cx - bw / 2, y, bw, B_BOTTOM - y, b->color);
    }
    /* The baseline, then the chance line over the bars. */
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            fr->left, B_BOTTOM, fr->right, B_BOTTOM, INK);
    if (!isnan(c->chance)) {
        double y = bar_y(c->chance);
        fprintf(f,
                "<line class=\"chance\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                "stroke=\"%s\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
                fr->left, y, fr->right, y, CHANCE);
        svg_text(f, fr->right + 6, y + 4, "start", 12, CHANCE, NULL, "chance");
    }
    for (size_t i = 0; i < c->n_bars; i++)
        bar_marks(f, &c->bars[i], fr->left + ((double)i + 0.5) * slot, bw);
    bar_groups(f, c, slot, fr);
}

void svg_write_bar_charts(FILE *f, const svg_bar_chart *c, const svg_bar_chart *beside)
{
    double w1 = chart_width(c), w2 = beside ? chart_width(beside) : 0;
    svg_begin(f, (int)ceil(w1 + w2), BAR_H);
    svg_titles(f, B_LEFT, c->title, c->subtitle);
    bar_legend(f, c);
    bar_frame fr = {0, B_LEFT, w1 - (BAR_W - B_RIGHT)};
    bar_plot(f, c, &fr);
    if (beside) {
        fr = (bar_frame){w1, w1 + B_LEFT, w1 + w2 - (BAR_W - B_RIGHT)};
        if (beside->title) /* on the legend's line, which is c's */
            svg_text(f, fr.left, 86, "start", 14, INK, "bold", beside->title);
        bar_plot(f, beside, &fr);
    }
    if (c->footnote)
        svg_text(f, B_LEFT, BAR_H - 8, "start", 11, MUTED, NULL, c->footnote);
    fputs("</svg>\n", f);
}

void svg_write_bar_chart(FILE *f, const svg_bar_chart *c)
{
    svg_write_bar_charts(f, c, NULL);
}
