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

/* The rough advance width of the n bytes at s in a sans font. */
static double span_width(const char *s, size_t n, double size)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80; /* count UTF-8 code points */
    return 0.6 * size * (double)chars;
}

double svg_text_width(const char *s, double size)
{
    return span_width(s, strlen(s), size);
}

size_t svg_wrap(char *buf, size_t size, const char *s, double font_size, double width)
{
    static const char SEP[] = " · ";
    size_t used = 0, lines = 0;
    double line_w = 0;
    if (size)
        buf[0] = '\0';
    while (s && *s) {
        /* The next part: up to a separator, a line break or the end. */
        const char *sep = strstr(s, SEP), *nl = strchr(s, '\n');
        const char *end = sep && (!nl || sep < nl) ? sep : nl ? nl : s + strlen(s);
        double w = span_width(s, (size_t)(end - s), font_size);
        const char *glue = "";
        if (lines == 0)
            lines = 1;
        else if (line_w > 0 && line_w + span_width(SEP, strlen(SEP), font_size) + w > width)
            glue = "\n";
        else if (line_w > 0)
            glue = SEP;
        if (*glue == '\n') {
            lines++;
            line_w = 0;
        }
        line_w += (*glue == ' ' ? span_width(SEP, strlen(SEP), font_size) : 0) + w;
        int k = snprintf(buf + used, used < size ? size - used : 0, "%s%.*s", glue,
                         (int)(end - s), s);
        used += k > 0 ? (size_t)k : 0;
        if (*end == '\n') {
            if (end[1])
                lines++;
            line_w = 0;
            used += (size_t)snprintf(buf + used, used < size ? size - used : 0, "\n");
            s = end + 1;
        } else {
            s = *end ? end + strlen(SEP) : end;
        }
    }
    return lines;
}

void svg_text_lines(FILE *f, double x, double y, double line_height, double size,
                    const char *fill, const char *lines)
{
    char line[1024];
    for (const char *p = lines; p && *p; y += line_height) {
        size_t n = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)n, p);
        svg_text(f, x, y, "start", size, fill, NULL, line);
        p += n + (p[n] == '\n');
    }
}

double svg_titles_extra(const char *subtitle, double width)
{
    char lines[SVG_SUBTITLE_MAX];
    size_t n = svg_wrap(lines, sizeof lines, subtitle, SVG_SUBTITLE_SIZE, width);
    return n > 1 ? SVG_LINE_HEIGHT * (double)(n - 1) : 0;
}

void svg_titles(FILE *f, double x, const char *title, const char *subtitle, double width)
{
    char lines[SVG_SUBTITLE_MAX];
    svg_wrap(lines, sizeof lines, subtitle, SVG_SUBTITLE_SIZE, width);
    svg_text(f, x, 34, "start", 20, INK, "bold", title);
    svg_text_lines(f, x, 58, SVG_LINE_HEIGHT, SVG_SUBTITLE_SIZE, MUTED, lines);
}

void svg_shift_begin(FILE *f, double dy)
{
    if (dy != 0)
        fprintf(f, "<g transform=\"translate(0 %.1f)\">\n", dy);
}

void svg_shift_end(FILE *f, double dy)
{
    if (dy != 0)
        fputs("</g>\n", f);
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

/* A whisker from y_lo to y_hi with caps, over a white halo so it stays
 * visible on top of many dots; an end the axis clipped has no cap, so it
 * reads as going on. */
static void ci_whisker(FILE *f, double x, double y_lo, double y_hi, double cap, int lo_cap,
                       int hi_cap)
{
    for (int halo = 1; halo >= 0; halo--) {
        fprintf(f, "<path d=\"M%.1f %.1fV%.1f", x, y_lo, y_hi);
        if (lo_cap)
            fprintf(f, "M%.1f %.1fH%.1f", x - cap, y_lo, x + cap);
        if (hi_cap)
            fprintf(f, "M%.1f %.1fH%.1f", x - cap, y_hi, x + cap);
        fprintf(f, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"/>",
                halo ? "#ffffff" : INK, halo ? "4" : "1.6");
    }
}

static void ci_icon(FILE *f, double x, double y_lo, double y_hi, double cap)
{
    fprintf(f, "<g class=\"ci-key\">");
    ci_whisker(f, x, y_lo, y_hi, cap, 1, 1);
    fputs("</g>\n", f);
}

/* A bar's 95% CI, clipped to the axis [0, 1] (an accuracy cannot leave it;
 * the t interval of few seeds can): data-low and data-high are the ends
 * drawn, data-clipped says whether the interval went past them. */
static void ci_bar(FILE *f, double x, double mean, double ci95, double cap)
{
    double lo = mean - ci95, hi = mean + ci95;
    int clipped = lo < 0 || hi > 1;
    fprintf(f, "<g class=\"ci\" data-low=\"%.6f\" data-high=\"%.6f\" data-clipped=\"%d\">",
            clamp01(lo), clamp01(hi), clipped);
    ci_whisker(f, x, bar_y(lo), bar_y(hi), cap, lo >= 0, hi <= 1);
    fputs("</g>\n", f);
}

/* 1 when some bar of c (or of beside, when not NULL) has an interval. */
static int any_interval(const svg_bar_chart *c, const svg_bar_chart *beside)
{
    for (size_t i = 0; i < c->n_bars; i++)
        if (c->bars[i].n && c->bars[i].ci95 > 0)
            return 1;
    return beside && any_interval(beside, NULL);
}

static void seed_dot(FILE *f, double x, double y)
{
    fprintf(f,
            "<circle class=\"seed\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" "
            "fill-opacity=\"0.65\" stroke=\"#ffffff\" stroke-width=\"0.7\"/>\n",
            x, y, INK);
}

/* The legend; with_ci: some bar has an interval (else it says that one
 * seed gives none). */
static void bar_legend(FILE *f, const svg_bar_chart *c, int with_ci)
{
    static const char CI[] = "95% CI of the mean (cut at 0 and 1)",
                      NO_CI[] = "one seed per bar: no interval";
    double x = B_LEFT, y = 86;
    char chance[64];
    seed_dot(f, x + 4, y - 4);
    svg_text(f, x + 14, y, "start", 12, MUTED, NULL, "a seed's result");
    x += 14 + svg_text_width("a seed's result", 12) + 22;
    if (with_ci) {
        ci_icon(f, x + 4, y - 11, y + 2, 4);
        svg_text(f, x + 14, y, "start", 12, MUTED, NULL, CI);
        x += 14 + svg_text_width(CI, 12) + 22;
    } else {
        svg_text(f, x, y, "start", 12, MUTED, NULL, NO_CI);
        x += svg_text_width(NO_CI, 12) + 22;
    }
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
    int interval = b->n && b->ci95 > 0;
    if (interval) {
        ci_bar(f, cx, b->mean, b->ci95, 0.15 * bw);
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
    else if (b->n == 1)
        snprintf(buf, sizeof buf, "n = 1: no interval");
    else if (interval && (b->mean - b->ci95 < 0 || b->mean + b->ci95 > 1))
        snprintf(buf, sizeof buf, "n = %zu, CI clipped", b->n);
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
    double text_w = w1 + w2 - B_LEFT - 10, dy = svg_titles_extra(c->subtitle, text_w);
    svg_begin(f, (int)ceil(w1 + w2), (int)ceil(BAR_H + dy));
    svg_titles(f, B_LEFT, c->title, c->subtitle, text_w);
    svg_shift_begin(f, dy);
    bar_legend(f, c, any_interval(c, beside));
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
    svg_shift_end(f, dy);
    fputs("</svg>\n", f);
}

void svg_write_bar_chart(FILE *f, const svg_bar_chart *c)
{
    svg_write_bar_charts(f, c, NULL);
}
