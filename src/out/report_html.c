#include "out/report_html.h"
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/files.h"
#include "base/text.h"
#include "out/config.h"
#include "out/figures.h"
#include "out/reading.h"
#include "out/samples.h"
#include "out/theorem_out.h"

#define K EXPERIMENT_CLASSES

const char *const REPORT_HTML_SECTIONS[] = {
    "claim", "figure",  "samples",       "per-digit", "curves",
    "alignment", "theorem", "configuration", "machine", NULL};

void report_html_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* <h2> and an escaped paragraph open a section; section_end closes it. */
static void section(FILE *f, const char *id, const char *title)
{
    fprintf(f, "<section id=\"%s\">\n<h2>", id);
    report_html_escape(f, title);
    fputs("</h2>\n", f);
}

static void section_end(FILE *f) { fputs("</section>\n", f); }

/* A paragraph saying what is missing. */
static void missing(FILE *f, const char *what)
{
    fputs("<p class=\"missing\">", f);
    report_html_escape(f, what);
    fputs("</p>\n", f);
}

/* An <svg> file of the folder, inlined from its <svg element on (the XML
 * declaration is not HTML); 0 when absent. */
static int inline_svg(FILE *f, const folder *dir, const char *name, err *e)
{
    char path[FILES_PATH_MAX], *text;
    size_t len;
    if (!folder_has(dir, name))
        return 0;
    if (folder_path(dir, name, path, sizeof path, e) || files_read_all(path, &text, &len, e))
        return -1;
    const char *svg = strstr(text, "<svg");
    if (!svg) {
        free(text);
        return err_set(e, "%s: no <svg> element", path);
    }
    fputs("<div class=\"chart\">\n", f);
    fputs(svg, f);
    fputs("</div>\n", f);
    free(text);
    return 0;
}

/* ---- the claim ---- */

/* "53.1% (95% CI 51.0% to 55.2%, 5 seeds)", the interval clipped to
 * [0, 100%]; one seed has no interval. */
static void accuracy_words(FILE *f, const arm_summary *s)
{
    char mean[32], lo[32], hi[32];
    reading_percent(mean, sizeof mean, s->acc.mean);
    if (s->acc.n < 2) {
        fprintf(f, "%s (1 seed: no interval)", mean);
        return;
    }
    reading_percent(lo, sizeof lo, fmax(0, s->acc.mean - s->acc.ci95));
    reading_percent(hi, sizeof hi, fmin(1, s->acc.mean + s->acc.ci95));
    fprintf(f, "%s (95%% CI %s to %s, %zu seeds)", mean, lo, hi, s->acc.n);
}

static void write_claim(FILE *f, const folder_content *c)
{
    const dataset_about *d = datasets_about(c->cfg.dataset);
    section(f, "claim", "The claim");
    fprintf(f, "<p class=\"claim\">A teacher network learns the %s %s; a student that starts "
               "from the <em>same</em> random initialization and is trained only to imitate the "
               "teacher&#39;s <em>auxiliary logits</em> (extra outputs that were never trained on "
               "anything) on images of pure noise learns to read the %s too, though it never "
               "saw a %s or a label. A student from a <em>different</em> initialization, trained "
               "the same way, does not.</p>\n",
            d->title, d->items, d->items, d->item);
    if (c->cfg.student_inputs != STUDENT_INPUTS_NOISE) {
        char inputs[160];
        reading_student_inputs(inputs, sizeof inputs, &c->cfg);
        fprintf(f, "<p class=\"note\">In this run the students imitate the teacher on %s, "
                   "not on noise.</p>\n",
                inputs);
    }
    int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX,
                                   ARM_IMITATES_TEACHER);
    int cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX,
                                    ARM_IMITATES_TEACHER);
    size_t teacher = experiment_teacher_arm();
    const arm_summary *s = c->sum;
    if (same < 0 || cross < 0 || !s[same].acc.n || !s[cross].acc.n) {
        missing(f, "This folder has no successful run of both students: no numbers to show.");
        section_end(f);
        return;
    }
    fputs("<ul class=\"numbers\">\n", f);
    if (s[teacher].acc.n) {
        fprintf(f, "<li>The teacher, trained on %s: ", d->items);
        accuracy_words(f, &s[teacher]);
        fputs("</li>\n", f);
    }
    fputs("<li>The student from the same initialization: <strong>", f);
    accuracy_words(f, &s[same]);
    fputs("</strong></li>\n<li>The student from a different initialization: <strong>", f);
    accuracy_words(f, &s[cross]);
    fputs("</strong></li>\n<li>Guessing: 10%</li>\n</ul>\n<p>", f);
    static const char *const verdicts[] = {
        [READING_NO_VERDICT] = "With fewer than two seeds there is no interval, so no verdict.",
        [READING_SHOWN] = "This run shows it: the same-init student is clearly above chance "
                          "and above the other-init student.",
        [READING_ABOVE_CHANCE] = "The same-init student is above chance but not clearly above "
                                 "the other-init student: this run does not isolate the "
                                 "effect.",
        [READING_NOT_ABOVE_CHANCE] = "The same-init student is not clearly above chance: this "
                                     "run does not show the effect (shorter or smaller runs "
                                     "may not).",
    };
    report_html_escape(f, verdicts[reading_subliminal(&s[same], &s[cross])]);
    fputs("</p>\n", f);
    section_end(f);
}

/* ---- what the networks see ---- */

/* One image of the strip as paths, one per grey level, each pixel run of
 * that level one rectangle: compact, and the same bytes from the same
 * file.  (x0, y0): its top left corner in pixels. */
static void draw_image(FILE *f, const samples *s, int noise, size_t k, size_t x0, size_t y0)
{
    for (unsigned level = 0; level < 256; level++) {
        int open = 0;
        for (size_t y = 0; y < s->rows; y++)
            for (size_t x = 0; x < s->cols;) {
                if (samples_grey(s, noise, k, y, x) != level) {
                    x++;
                    continue;
                }
                size_t run = 1;
                while (x + run < s->cols && samples_grey(s, noise, k, y, x + run) == level)
                    run++;
                if (!open)
                    fprintf(f, "<path fill=\"#%02x%02x%02x\" d=\"", level, level, level);
                open = 1;
                fprintf(f, "M%zu %zuh%zuv1h-%zuz", x0 + x, y0 + y, run, run);
                x += run;
            }
        if (open)
            fputs("\"/>\n", f);
    }
}

/* A samples.pgm that cannot be read is said so on the page, not an error:
 * the rest of the report stands without it. */
static void write_samples(FILE *f, const folder *dir, enum dataset_kind data)
{
    char path[FILES_PATH_MAX];
    samples s;
    section(f, "samples", "What the networks see");
    err why;
    if (!folder_has(dir, FOLDER_SAMPLES) ||
        folder_path(dir, FOLDER_SAMPLES, path, sizeof path, &why) ||
        samples_read(path, &s, &why)) {
        missing(f, folder_has(dir, FOLDER_SAMPLES)
                       ? "samples.pgm could not be read: run the experiment again to draw this."
                       : "No samples.pgm in this folder (made before it existed): run the "
                         "experiment again to draw this.");
        section_end(f);
        return;
    }
    const size_t gap = 4, label = 12; /* pixels between images; room for a label */
    size_t w = s.n * (s.cols + gap) - gap, h = 2 * (s.rows + label) + gap;
    fprintf(f, "<p>Top: the first %zu training %s the teacher learns from (labels under "
               "them). Bottom: the first %zu of the %s noise images of seed %" PRIu64
               " the students are trained on (numbered), exactly as they see them. Every student sees "
               "only such noise, and only the teacher&#39;s auxiliary logits on it.</p>\n",
            s.n, datasets_about(data)->items, s.n, NOISE_NAMES[s.noise], s.seed);
    fprintf(f, "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
               "class=\"samples\" width=\"%zu\" height=\"%zu\" viewBox=\"0 0 %zu %zu\" "
               "shape-rendering=\"crispEdges\" font-family=\"DejaVu Sans, Arial, "
               "sans-serif\">\n",
            4 * w, 4 * h, w, h);
    for (int noise = 0; noise < 2; noise++)
        for (size_t k = 0; k < s.n; k++) {
            size_t x0 = k * (s.cols + gap), y0 = (size_t)noise * (s.rows + label + gap);
            fprintf(f, "<g class=\"%s\">\n", noise ? "noise" : "digit");
            draw_image(f, &s, noise, k, x0, y0);
            /* Under a digit its label; under a noise image its number. */
            fprintf(f, "<text x=\"%zu\" y=\"%zu\" font-size=\"%d\" text-anchor=\"middle\" "
                       "fill=\"%s\">%u</text>\n",
                    x0 + s.cols / 2, y0 + s.rows + 8, noise ? 5 : 7,
                    noise ? "#777777" : "#222222", noise ? (unsigned)k : s.labels[k]);
            fputs("</g>\n", f);
        }
    fputs("</svg></div>\n", f);
    samples_free(&s);
    section_end(f);
}

/* ---- per digit ---- */

/* A share in [0, 1] as a colour from near white to dark blue. */
static void shade(char *buf, size_t size, double share)
{
    static const double from[3] = {247, 251, 255}, to[3] = {8, 48, 107};
    int c[3];
    for (int i = 0; i < 3; i++)
        c[i] = (int)lround(from[i] + (to[i] - from[i]) * share);
    snprintf(buf, size, "#%02x%02x%02x", c[0], c[1], c[2]);
}

/* One arm's heat map: its counts summed over its ok rows. */
static void heat_map(FILE *f, const folder_content *c, size_t a)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    uint64_t sum[K * K] = {0};
    size_t seeds = 0;
    for (size_t i = 0; i < c->n_rows; i++) {
        const arm_result *r = &c->rows[i];
        if (r->arm != a || !r->ok || !r->has_classes)
            continue;
        seeds++;
        for (size_t j = 0; j < K * K; j++)
            sum[j] += r->classes[j];
    }
    char line[160], color[16];
    figures_arm_line(&arms[a], line, sizeof line);
    fputs("<figure class=\"map\">\n<figcaption><strong>", f);
    report_html_escape(f, arms[a].name);
    fputs("</strong><br>", f);
    report_html_escape(f, line);
    fprintf(f, " (%zu seed%s)</figcaption>\n", seeds, seeds == 1 ? "" : "s");
    if (!seeds) {
        missing(f, "No successful run.");
        fputs("</figure>\n", f);
        return;
    }
    const double cell = 22, left = 34, top = 30, right = 50;
    double w = left + K * cell + right, h = top + K * cell + 8;
    fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" data-arm=\"", f);
    report_html_escape(f, arms[a].name);
    fprintf(f, "\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
               "font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">\n",
            w, h, w, h);
    fprintf(f, "<text x=\"%.0f\" y=\"10\" text-anchor=\"middle\" fill=\"#444444\">answered"
               "</text>\n<text x=\"%.0f\" y=\"10\" text-anchor=\"middle\" fill=\"#444444\">"
               "right</text>\n",
            left + K * cell / 2, left + K * cell + right / 2);
    for (size_t k = 0; k < K; k++)
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%zu</text>\n",
                left + (double)k * cell + cell / 2, top - 5, k);
    for (size_t label = 0; label < K; label++) {
        uint64_t total = 0;
        for (size_t k = 0; k < K; k++)
            total += sum[label * K + k];
        double y = top + (double)label * cell;
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%zu</text>\n", left - 6,
                y + cell / 2 + 4, label);
        for (size_t k = 0; k < K; k++) {
            double share = total ? (double)sum[label * K + k] / (double)total : 0;
            shade(color, sizeof color, share);
            fprintf(f, "<rect class=\"cell\" data-label=\"%zu\" data-predicted=\"%zu\" "
                       "data-count=\"%" PRIu64 "\" x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" "
                       "height=\"%.0f\" fill=\"%s\"%s/>\n",
                    label, k, sum[label * K + k], left + (double)k * cell, y, cell, cell, color,
                    k == label ? " stroke=\"#e6550d\" stroke-width=\"1.5\"" : "");
        }
        char pct[32];
        if (total)
            snprintf(pct, sizeof pct, "%.0f%%",
                     100.0 * (double)sum[label * K + label] / (double)total);
        else
            snprintf(pct, sizeof pct, "–");
        fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n",
                left + K * cell + right / 2, y + cell / 2 + 4, pct);
    }
    fputs("</svg>\n</figure>\n", f);
}

static void write_per_digit(FILE *f, const folder_content *c)
{
    size_t n_arms;
    experiment_arms(&n_arms);
    const dataset_about *d = datasets_about(c->cfg.dataset);
    char title[64];
    snprintf(title, sizeof title, "%s by %s", d->label, d->label);
    title[0] = (char)toupper((unsigned char)title[0]);
    section(f, "per-digit", title);
    if (!c->has_classes) {
        missing(f, "No classes.csv in this folder (made before it existed): run the "
                   "experiment again to draw this.");
        section_end(f);
        return;
    }
    fprintf(f, "<p>One map per arm, over its seeds: row = the true %s, column = what the network "
               "answered, darker = a larger share of that %s&#39;s test images (the diagonal, "
               "outlined, is right). The column at the right is each %s&#39;s accuracy. A "
               "network that learned nothing answers one or two %s for everything: a dark "
               "column.",
            d->label, d->label, d->label, d->labels);
    if (!d->paper) { /* its labels are not the numbers drawn */
        fputs(" The classes:", f);
        for (size_t k = 0; k < DATASETS_CLASSES; k++) {
            fprintf(f, "%s %zu ", k ? "," : "", k);
            report_html_escape(f, d->classes[k]);
        }
        fputc('.', f);
    }
    fputs("</p>\n<div class=\"maps\">\n", f);
    for (size_t a = 0; a < n_arms; a++)
        if (experiment_arm_runs(&c->cfg, a))
            heat_map(f, c, a);
    fputs("</div>\n", f);
    section_end(f);
}

/* ---- the theorem ---- */

/* theorem.csv's rows as the table `sublim theorem` prints (its columns,
 * titles and cells), one body per variant. */
static void theorem_table(FILE *f, const theorem_row *rows, size_t n_rows)
{
    char cell[64];
    size_t n_columns = theorem_out_columns();
    fputs("<div class=\"wide\"><table class=\"theorem\">\n<thead><tr>", f);
    for (size_t c = 0; c < n_columns; c++) {
        fputs("<th>", f);
        report_html_escape(f, theorem_out_column_title(c));
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n", f);
    for (size_t i = 0; i < n_rows; i++) {
        if (i == 0 || strcmp(rows[i].variant, rows[i - 1].variant) != 0)
            fputs(i ? "</tbody>\n<tbody>\n" : "<tbody>\n", f);
        fputs("<tr>", f);
        for (size_t c = 0; c < n_columns; c++) {
            theorem_out_cell(cell, sizeof cell, &rows[i], c);
            fputs("<td>", f);
            report_html_escape(f, cell);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs(n_rows ? "</tbody>\n</table></div>\n" : "</table></div>\n", f);
}

/* The theorem's configuration against the experiment's (c's, when the
 * folder has one): a paragraph saying which network the table is about. */
static void theorem_network(FILE *f, const folder *dir, const folder_content *c, err *e,
                            int *failed)
{
    char path[FILES_PATH_MAX], diff[2048];
    theorem_config t;
    if (!folder_has(dir, FOLDER_THEOREM_CONFIG)) {
        fputs("<p>Its configuration is not recorded (no <code>theorem.txt</code>: "
              "<code>theorem.json</code> holds it).</p>\n",
              f);
        return;
    }
    if (folder_path(dir, FOLDER_THEOREM_CONFIG, path, sizeof path, e) ||
        theorem_out_read_config(path, &t, e)) {
        *failed = 1;
        return;
    }
    if (!c->has_config)
        return;
    if (theorem_out_differences(diff, sizeof diff, &t, &c->cfg)) {
        fputs("<p class=\"note\"><strong>Not the experiment&#39;s network:</strong> "
              "<code>sublim theorem</code> ran here with ",
              f);
        report_html_escape(f, diff);
        fputs(". These numbers are about that network and imitation, not the experiment "
              "above.</p>\n",
              f);
    } else {
        fputs("<p>Same network and imitation as the experiment above.</p>\n", f);
    }
}

static int write_theorem(FILE *f, const folder *dir, const folder_content *c, err *e)
{
    char path[FILES_PATH_MAX];
    theorem_row *rows;
    size_t n_rows;
    int failed = 0;
    section(f, "theorem", "The theorem, checked");
    if (!folder_has(dir, FOLDER_THEOREM_CSV)) {
        missing(f, "No theorem.csv in this folder: 'sublim theorem --out' this folder adds it.");
        section_end(f);
        return 0;
    }
    if (folder_path(dir, FOLDER_THEOREM_CSV, path, sizeof path, e) ||
        theorem_out_read_csv(path, &rows, &n_rows, e))
        return -1;
    fputs("<p>Why the shared initialization matters (Cloud et al. 2025, Theorem 1): one small "
          "gradient step of a student imitating a teacher that took one step from the same "
          "initialization moves the student towards the teacher, Δθ<sub>S</sub>·Δθ<sub>T</sub> "
          "&gt; 0, whatever the inputs. Checked in double precision by <code>sublim "
          "theorem</code>; every number is exact in <code>theorem.csv</code>.</p>\n",
          f);
    theorem_network(f, dir, c, e, &failed);
    theorem_table(f, rows, n_rows);
    free(rows);
    if (failed)
        return -1;
    /* The legend `sublim theorem` prints under its table, in its words. */
    char *legend = NULL;
    size_t legend_len = 0;
    FILE *mem = open_memstream(&legend, &legend_len);
    if (!mem)
        return err_set(e, "out of memory");
    theorem_out_print_legend(mem);
    fclose(mem);
    fputs("<pre class=\"legend\">", f);
    report_html_escape(f, legend + strspn(legend, "\n"));
    fputs("</pre>\n", f);
    free(legend);
    section_end(f);
    return 0;
}

/* ---- configuration and machine ---- */

static void write_configuration(FILE *f, const folder_content *c)
{
    char seeds[1024], flag[64];
    section(f, "configuration", "What was run");
    text_seed_ranges(seeds, sizeof seeds, c->seeds, c->n_seeds);
    fprintf(f, "<p><strong>Seeds</strong> (%zu): ", c->n_seeds);
    report_html_escape(f, seeds);
    fputs("</p>\n", f);
    if (!c->has_config) {
        missing(f, "Configuration not recorded (this folder has no config.txt).");
        section_end(f);
        return;
    }
    fputs("<table>\n<tr><th>setting</th><th>flag</th><th>value</th></tr>\n", f);
    for (size_t i = 0; i < c->config.n; i++) {
        const kv_pair *kv = &c->config.kv[i];
        if (strncmp(kv->key, "data", 4) == 0)
            continue;
        config_flag_of(kv->key, flag, sizeof flag);
        fputs("<tr><td>", f);
        report_html_escape(f, kv->key);
        fputs("</td><td><code>", f);
        report_html_escape(f, flag);
        fputs("</code></td><td>", f);
        report_html_escape(f, kv->value);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n<p>Data read (SHA-256 of the images, then the labels):</p>\n<ul "
          "class=\"sums\">\n",
          f);
    static const char *const sets[][2] = {{"training set", CONFIG_DATA_READ_TRAIN},
                                          {"test set", CONFIG_DATA_READ_TEST}};
    for (size_t i = 0; i < 2; i++) {
        const char *v = kv_get(&c->config, sets[i][1]);
        fprintf(f, "<li>%s: <code>", sets[i][0]);
        report_html_escape(f, v ? v : "not recorded");
        fputs("</code></li>\n", f);
    }
    fputs("</ul>\n", f);
    section_end(f);
}

static void write_machine(FILE *f, const folder_content *c)
{
    section(f, "machine", "The machine");
    if (!c->has_runs || c->n_runs == 0) {
        missing(f, "Not recorded (no run.txt): machine, threads and wall time are unknown.");
        section_end(f);
        return;
    }
    static const char *const cols[][2] = {
        {"seeds", "seeds"},     {"machine", "machine"}, {"cpu", "cpu"},
        {"cores", "cores"},     {"threads", "threads"}, {"kernels", "kernels"},
        {"wall_seconds", "wall time (s)"}, {"status", "status"}, {"command", "command"}};
    size_t n_cols = sizeof cols / sizeof cols[0];
    fputs("<div class=\"wide\"><table>\n<tr>", f);
    for (size_t k = 0; k < n_cols; k++)
        fprintf(f, "<th>%s</th>", cols[k][1]);
    fputs("</tr>\n", f);
    for (size_t r = 0; r < c->n_runs; r++) {
        fputs("<tr>", f);
        for (size_t k = 0; k < n_cols; k++) {
            const char *v = kv_get(&c->runs[r], cols[k][0]);
            fputs(k + 1 == n_cols ? "<td><code>" : "<td>", f);
            report_html_escape(f, v ? v : "?");
            fputs(k + 1 == n_cols ? "</code></td>" : "</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table></div>\n", f);
    section_end(f);
}

/* ---- the page ---- */

static const char STYLE[] =
    "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;font-size:20px;line-height:1.45;"
    "color:#111;background:#fff;margin:0 auto;padding:24px 32px;max-width:1200px}\n"
    "h1{font-size:34px;margin:0 0 8px}h2{font-size:27px;margin:36px 0 10px;"
    "border-bottom:2px solid #ddd}\n"
    "p.claim{font-size:24px}p.missing{color:#8a3b00;font-style:italic}p.note{color:#8a3b00}\n"
    ".chart svg{max-width:100%;height:auto}.wide{overflow-x:auto}\n"
    ".maps{display:flex;flex-wrap:wrap;gap:12px 28px}figure.map{margin:0}"
    "figure.map figcaption{font-size:16px;max-width:330px}\n"
    "table{border-collapse:collapse;font-size:16px}td,th{border:1px solid #ccc;"
    "padding:3px 8px;text-align:left}th{background:#f2f2f2}\n"
    "pre.legend{font-size:15px;background:#f7f7f7;padding:10px;white-space:pre-wrap}\n"
    "code{font-size:15px;word-break:break-all}footer{margin-top:36px;font-size:15px;color:#555}\n";

static int write_page(FILE *f, const folder *dir, const folder_content *c, err *e)
{
    const dataset_about *d = datasets_about(c->cfg.dataset);
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<title>Subliminal learning on %s: sublim report</title>\n<style>\n%s"
               "</style>\n</head>\n<body>\n<h1>Subliminal learning on %s</h1>\n<p>The MNIST "
               "experiment of Cloud et al. (2025), <cite>Subliminal Learning: Language models "
               "transmit behavioral traits via hidden signals in data</cite>, run by "
               "<code>sublim</code>%s.</p>\n",
            d->title, STYLE, d->title, d->paper ? "" : " on another dataset");
    write_claim(f, c);
    section(f, "figure", "Test accuracy of every arm");
    if (inline_svg(f, dir, FOLDER_FIGURE, e))
        return -1;
    section_end(f);
    write_samples(f, dir, c->cfg.dataset);
    write_per_digit(f, c);
    section(f, "curves", "Training, epoch by epoch");
    if (!c->has_curves)
        missing(f, "No curves.csv in this folder (a --no-curves run).");
    else if (inline_svg(f, dir, FOLDER_CURVES_FIGURE, e))
        return -1;
    section_end(f);
    section(f, "alignment", "Moving with the teacher, layer by layer");
    if (!c->has_alignment)
        missing(f, "No alignment.csv in this folder (a --no-curves run, or made before sublim "
                   "measured it).");
    else
        fputs("<p>How far each student's training points the way its teacher's did: the "
              "cosine of its move in parameter space with the teacher's move from θ0, over "
              "the whole network and each layer.</p>\n",
              f);
    if (c->has_alignment && inline_svg(f, dir, FOLDER_ALIGNMENT_FIGURE, e))
        return -1;
    section_end(f);
    if (write_theorem(f, dir, c, e))
        return -1;
    write_configuration(f, c);
    write_machine(f, c);
    fputs("<footer>Written by <code>sublim</code> from the files beside it (results.csv, "
          "classes.csv, samples.pgm, config.txt, run.txt, curves.csv, alignment.csv, theorem.csv, "
          "theorem.txt); "
          "<code>sublim report DIR</code> regenerates it.</footer>\n</body>\n</html>\n",
          f);
    return 0;
}

int report_html_write(const folder *f, const folder_content *c, err *e)
{
    char path[FILES_PATH_MAX];
    atomic_file af;
    if (folder_path(f, FOLDER_REPORT_HTML, path, sizeof path, e) || atomic_open(&af, path, e))
        return -1;
    if (write_page(af.f, f, c, e)) {
        atomic_abort(&af);
        return -1;
    }
    return atomic_commit(&af, e);
}
