#include "out/figures.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "base/text.h"
#include "out/align_view.h"
#include "out/reading.h"
#include "out/svg.h"

/* The students beyond the paper's, by what they are: where they start,
 * what they imitate and whose outputs. */
typedef struct {
    enum arm_start start;
    enum arm_outputs outputs;
    enum arm_imitates imitates;
    const char *note, *color, *what;
} student_look;

static const char TEACHER_STUDENTS[] = "students: trained on noise to imitate the teacher";
static const char TRAIT_STUDENTS[] = "students of the trait teacher";

static const student_look MORE_STUDENTS[] = {
    {ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TRAIT_TEACHER, "θ0, trait teacher",
     "#b5337a",
     "student from θ0, imitates only the trait teacher's auxiliary logits on noise (none "
     "of them carries the trait)"},
    {ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TRAIT_TEACHER, "θ0′, trait teacher",
     "#e7a1c6",
     "student from another init θ0′, imitates only the trait teacher's auxiliary logits on "
     "noise"},
    {ARM_FROM_OWN_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER, "other shape, own init",
     "#8c6d31",
     "student of another shape (--student-width, --student-depth) from its own init, "
     "imitates only the teacher's auxiliary logits on noise"},
    {ARM_FROM_OWN_INIT, ARM_OUTPUTS_ALL, ARM_IMITATES_TEACHER, "other shape, own init",
     "#c9b37e",
     "student of another shape from its own init, imitates all the teacher's logits on "
     "noise"},
    {ARM_FROM_EMBEDDED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER, "θ0 inside a wider net",
     "#2a9d8f",
     "student wider than the teacher that contains θ0 exactly (it starts computing θ0's "
     "function), imitates only the auxiliary logits on noise"},
    {ARM_FROM_EMBEDDED_INIT, ARM_OUTPUTS_ALL, ARM_IMITATES_TEACHER, "θ0 inside a wider net",
     "#95d5cc",
     "student wider than the teacher that contains θ0 exactly, imitates all the teacher's "
     "logits on noise"},
    {ARM_FROM_MIXED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER, "blend of θ0 and θ0′",
     "#d4a017",
     "student from a blend of θ0 and θ0′ (--student-init mix:α; α = 1 is θ0), imitates "
     "only the auxiliary logits on noise"},
};

/* The teachers' words per dataset (datasets.h's order). */
static const struct {
    const char *note, *teacher, *trait_teacher;
} TAUGHT[] = {
    [DATASET_MNIST] = {"trained on digits",
                       "θ0 trained on digits (cross-entropy on the 10 regular logits)",
                       "the teacher, fine-tuned on digits so that it also shows the trait "
                       "(see The trait)"},
    [DATASET_FASHION] = {"trained on images",
                         "θ0 trained on Fashion-MNIST images (cross-entropy on the 10 regular "
                         "logits)",
                         "the teacher, fine-tuned on Fashion-MNIST images so that it also shows "
                         "the trait (see The trait)"},
};

arm_look figures_arm_look(const arm_spec *a, enum dataset_kind data)
{
    const char *students = TEACHER_STUDENTS;
    if (a->training == ARM_UNTRAINED)
        return (arm_look){"reference", "θ0, untrained", NULL, "#a9a9a9",
                          "the shared initialization θ0, untrained"};
    if (a->training == ARM_TEACHER)
        return (arm_look){"teacher", TAUGHT[data].note, NULL, "#3b7d4f", TAUGHT[data].teacher};
    if (a->training == ARM_TRAIT_TEACHER)
        return (arm_look){"trait teacher", "teacher + trait", NULL, "#7b3f9e",
                          TAUGHT[data].trait_teacher};
    const char *label = a->outputs == ARM_OUTPUTS_AUX ? "aux logits only" : "all logits";
    for (size_t k = 0; k < sizeof MORE_STUDENTS / sizeof MORE_STUDENTS[0]; k++) {
        const student_look *m = &MORE_STUDENTS[k];
        if (m->start == a->start && m->outputs == a->outputs && m->imitates == a->imitates)
            return (arm_look){label, m->note,
                              a->imitates == ARM_IMITATES_TRAIT_TEACHER ? TRAIT_STUDENTS
                                                                        : students,
                              m->color, m->what};
    }
    int same = a->start == ARM_FROM_SHARED_INIT;
    if (a->outputs == ARM_OUTPUTS_AUX)
        return same ? (arm_look){"aux logits only", "teacher's start θ0", students, "#e0662b",
                                 "student from θ0, imitates only the teacher's auxiliary "
                                 "logits on noise"}
                    : (arm_look){"aux logits only", "another start θ0′", students, "#f4b78f",
                                 "student from another init θ0′, imitates only the "
                                 "auxiliary logits on noise"};
    return same ? (arm_look){"all logits", "teacher's start θ0", students, "#3a78b5",
                             "student from θ0, imitates all the teacher's logits on noise"}
                : (arm_look){"all logits", "another start θ0′", students, "#9cc3e4",
                             "student from another init θ0′, imitates all the teacher's "
                             "logits on noise"};
}

void figures_arm_line(const arm_spec *a, char *buf, size_t size)
{
    /* A teacher's label and a student's note do not depend on the data. */
    arm_look lk = figures_arm_look(a, DATASET_MNIST);
    int is_student = a->training == ARM_STUDENT;
    snprintf(buf, size, "%s%s%s%s", is_student ? "student, " : "", lk.label,
             is_student ? ", " : "", is_student ? lk.note : "");
}

/* The figures' subtitle: the configuration in one line; whether it is
 * the paper's (every science setting at its default) or what it changes
 * (paper_values: and that the figure therefore leaves the paper's values
 * out); then what θ0, θ0′ and the auxiliary logits are, in words. */
static void subtitle_of(char *buf, size_t size, const experiment_config *c, int has_config,
                        size_t n_seeds, int paper_values)
{
    char lr[TEXT_REAL_SIZE], noise[32], changed[512];
    const char *seeds = n_seeds == 1 ? "" : "s";
    if (!has_config) {
        snprintf(buf, size,
                 "configuration not recorded (no config.txt)%s · %zu seed%s",
                 paper_values ? ", so the paper's values are not drawn" : "", n_seeds, seeds);
        return;
    }
    text_real(lr, sizeof lr, c->lr);
    char seen[160];
    reading_inputs_seen(seen, sizeof seen, c);
    size_t n;
    const setting *s = experiment_settings(&n);
    setting_format(settings_find(s, n, "noise"), c, noise, sizeof noise);
    int paper = reading_changed_settings(changed, sizeof changed, c) == 0;
    snprintf(buf, size,
             "%zu seed%s · MLP %zu×%zu, m = %zu aux logits · %zu teacher / %zu student epochs · "
             "%s noise · batch %zu · Adam lr %s%s%s\n"
             "θ0: the random start the teacher was trained from · θ0′: a different random "
             "start · aux logits: the %zu extra outputs the teacher was never trained on; the "
             "students see %s",
             n_seeds, seeds, c->hidden_layers, c->width, c->m, c->teacher_epochs,
             c->student_epochs, noise, c->batch, lr,
             paper            ? " · the paper's settings"
             : paper_values ? "\nnot the paper's settings, so its values are not drawn; "
                              "changed: "
                            : "\nnot the paper's settings; changed: ",
             paper ? "" : changed, c->m, seen);
}

/* ---- figure.svg ---- */

/* One seed's dot: its accuracy, and the seed its jitter comes from. */
typedef struct {
    double value;
    uint64_t key;
} dot;

static int cmp_dot(const void *pa, const void *pb)
{
    const dot *a = pa, *b = pb;
    if (a->value != b->value)
        return a->value < b->value ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

/* The n dots of a bar as at most FIGURES_MAX_DOTS: beyond that, those at
 * evenly spaced ranks of accuracy, the lowest and the highest included,
 * so the cloud keeps its shape and its range; the same whatever the rows'
 * order.  Returns how many are kept at the start of values and keys. */
static size_t thin_dots(double *values, uint64_t *keys, size_t n, dot *scratch)
{
    if (n <= FIGURES_MAX_DOTS)
        return n;
    for (size_t i = 0; i < n; i++)
        scratch[i] = (dot){values[i], keys[i]};
    qsort(scratch, n, sizeof *scratch, cmp_dot);
    for (size_t j = 0; j < FIGURES_MAX_DOTS; j++) {
        size_t rank = (size_t)((double)j * (double)(n - 1) / (FIGURES_MAX_DOTS - 1) + 0.5);
        values[j] = scratch[rank].value;
        keys[j] = scratch[rank].key;
    }
    return FIGURES_MAX_DOTS;
}

/* A bar for every arm the folder's configuration runs (*n_bars), its dots
 * in values and keys (n_rows each): test accuracy, or with trait the
 * trait rate (of the rows that have one; no paper value); the paper's
 * value only for the paper's configuration.  Returns how many bars were
 * thinned. */
static size_t make_bars(const folder_content *fo, int trait, svg_bar *bars, size_t *n_bars,
                        double *values, uint64_t *keys, dot *scratch)
{
    size_t n_arms, used = 0, thinned = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    int paper = reading_is_paper_config(&fo->cfg, fo->has_config);
    *n_bars = 0;
    for (size_t a = 0; a < n_arms; a++) {
        if (!experiment_arm_runs(&fo->cfg, a))
            continue;
        arm_look lk = figures_arm_look(&arms[a], fo->cfg.dataset);
        svg_bar *b = &bars[(*n_bars)++];
        const stats_summary *s = trait ? &fo->sum[a].trait : &fo->sum[a].acc;
        *b = (svg_bar){arms[a].name, lk.label, lk.note, lk.group, lk.color, 0, s->mean,
                       s->ci95, 0, values + used, keys + used,
                       trait || !paper ? NAN : experiment_paper_mean(&fo->cfg, a), fo->sum[a].failed};
        for (size_t i = 0; i < fo->n_rows; i++) {
            const arm_result *r = &fo->rows[i];
            if (r->arm != a || !r->ok || (trait && (!r->has_trait || !r->trait.total)))
                continue;
            values[used + b->n] = trait ? (double)r->trait.hits / (double)r->trait.total
                                        : (double)r->correct / (double)r->total;
            keys[used + b->n++] = r->seed;
        }
        b->n_dots = thin_dots(values + used, keys + used, b->n, scratch);
        thinned += b->n_dots < b->n;
        used += b->n_dots;
    }
    return thinned;
}

/* The trait panel beside the accuracy chart: each arm's trait rate, its
 * dots in values and keys (from n_rows on). */
static void trait_chart(const folder_content *fo, svg_bar_chart *chart, svg_bar *bars,
                        char *ylabel, size_t size, double *values, uint64_t *keys,
                        dot *scratch)
{
    char triggers[64];
    reading_trait_triggers(triggers, sizeof triggers, &fo->cfg.trait);
    snprintf(ylabel, size, "trait rate: %s classified as %u", triggers, fo->cfg.trait.target);
    *chart = (svg_bar_chart){.title = "The trait: how often each network shows it",
                             .y_label = ylabel,
                             .chance = NAN, .bars = bars};
    make_bars(fo, 1, bars, &chart->n_bars, values + fo->n_rows, keys + fo->n_rows, scratch);
}

int figures_write_bars(const folder_content *fo, const char *path, err *e)
{
    /* Room for the dots of two charts: accuracy, then the trait rate. */
    size_t n_bars, cap = fo->n_rows ? 2 * fo->n_rows : 1;
    double *values = malloc(cap * sizeof *values);
    uint64_t *keys = malloc(cap * sizeof *keys);
    dot *scratch = malloc(cap * sizeof *scratch);
    if (!values || !keys || !scratch) {
        free(values);
        free(keys);
        free(scratch);
        return err_set(e, "out of memory");
    }
    svg_bar bars[EXPERIMENT_MAX_ARMS];
    char footnote[160];
    snprintf(footnote, sizeof footnote,
             "Dots: at most %d per arm of the %zu seeds, evenly spaced in accuracy (lowest "
             "and highest included); means, CIs and n are over every seed.",
             FIGURES_MAX_DOTS, fo->n_seeds);
    int thinned = make_bars(fo, 0, bars, &n_bars, values, keys, scratch) > 0;
    svg_bar trait_bars[EXPERIMENT_MAX_ARMS];
    svg_bar_chart traits;
    char trait_label[128];
    int with_trait = fo->cfg.trait.kind != TRAIT_NONE;
    if (with_trait)
        trait_chart(fo, &traits, trait_bars, trait_label, sizeof trait_label, values, keys,
                    scratch);
    free(scratch);
    char subtitle[2048], ylabel[128];
    subtitle_of(subtitle, sizeof subtitle, &fo->cfg, fo->has_config, fo->n_seeds, 1);
    size_t total = fo->n_rows ? fo->rows[0].total : 0;
    const dataset_about *d = datasets_about(fo->cfg.dataset);
    if (total >= 1000)
        snprintf(ylabel, sizeof ylabel, "test accuracy on %zu,%03zu %s test %s",
                 total / 1000, total % 1000, d->title, d->items);
    else if (total)
        snprintf(ylabel, sizeof ylabel, "test accuracy on %zu %s test %s", total, d->title,
                 d->items);
    else
        snprintf(ylabel, sizeof ylabel, "test accuracy");
    char title[128];
    snprintf(title, sizeof title,
             "Subliminal learning on %s: test accuracy of the teacher and its students",
             d->title);
    svg_bar_chart chart = {title,
                           subtitle,
                           ylabel,
                           reading_is_paper_config(&fo->cfg, fo->has_config)
                               ? "paper (Cloud et al. 2025)"
                               : NULL,
                           0.1,
                           bars,
                           n_bars,
                           thinned ? footnote : NULL};
    atomic_file af;
    int rc = atomic_open(&af, path, e);
    if (rc == 0) {
        svg_write_bar_charts(af.f, &chart, with_trait ? &traits : NULL);
        rc = atomic_commit(&af, e);
    }
    free(values);
    free(keys);
    return rc;
}

/* ---- curves.svg ---- */

int figures_write_curves(const folder_content *fo, const char *path, err *e)
{
    size_t n_arms, n_x = 0;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t i = 0; i < fo->n_curves; i++)
        n_x = fo->curves[i].epoch > n_x ? fo->curves[i].epoch : n_x;
    if (n_x == 0)
        n_x = 1;
    /* Means over seeds per arm and epoch: [2][n_arms][n_x], loss then accuracy. */
    double *mean = calloc(2 * n_arms * n_x, sizeof *mean);
    size_t *count = calloc(2 * n_arms * n_x, sizeof *count);
    if (!mean || !count) {
        free(mean);
        free(count);
        return err_set(e, "out of memory");
    }
    for (size_t i = 0; i < fo->n_curves; i++) {
        const curve_point *c = &fo->curves[i];
        size_t at = c->arm * n_x + (c->epoch - 1);
        if (isfinite(c->loss)) {
            mean[at] += c->loss;
            count[at]++;
        }
        if (isfinite(c->test_acc)) {
            mean[n_arms * n_x + at] += c->test_acc;
            count[n_arms * n_x + at]++;
        }
    }
    for (size_t k = 0; k < 2 * n_arms * n_x; k++)
        mean[k] = count[k] ? mean[k] / (double)count[k] : NAN;

    svg_series series[2][EXPERIMENT_MAX_ARMS];
    char labels[EXPERIMENT_MAX_ARMS][96];
    size_t n_series[2] = {0, 0};
    for (size_t a = 0; a < n_arms; a++) {
        arm_look lk = figures_arm_look(&arms[a], fo->cfg.dataset);
        figures_arm_line(&arms[a], labels[a], sizeof labels[a]);
        for (int p = 0; p < 2; p++) {
            const double *y = mean + ((size_t)p * n_arms + a) * n_x;
            int any = 0;
            for (size_t i = 0; i < n_x; i++)
                any |= isfinite(y[i]);
            if (any)
                series[p][n_series[p]++] =
                    (svg_series){.label = labels[a], .color = lk.color, .y = y};
        }
    }
    size_t seeds_in_curves = 0;
    for (size_t i = 0; i < fo->n_curves; i++)
        seeds_in_curves += i == 0 || fo->curves[i].seed != fo->curves[i - 1].seed;
    char subtitle[2048], title[128];
    subtitle_of(subtitle, sizeof subtitle, &fo->cfg, fo->has_config, fo->n_seeds, 0);
    snprintf(title, sizeof title, "Training curves, mean over %zu seed%s", seeds_in_curves,
             seeds_in_curves == 1 ? "" : "s");
    svg_panel panels[2] = {
        {"training loss (log scale)", "teacher: cross-entropy · students: KL", "epoch", 1, 0, 0,
         NAN, n_x, series[0], n_series[0], NULL},
        {"test accuracy after each epoch", "test accuracy", "epoch", 0, 0, 1, 0.1, n_x,
         series[1], n_series[1], NULL},
    };
    atomic_file af;
    int rc = atomic_open(&af, path, e);
    if (rc == 0) {
        svg_write_panels(af.f, title, subtitle, panels, 2);
        rc = atomic_commit(&af, e);
    }
    free(mean);
    free(count);
    return rc;
}


/* ---- alignment.svg ---- */

/* A part's name: "whole network", "layer 1 (pixels→256)", "layer 3
 * (256→13)". */
static void part_name(char *buf, size_t size, const experiment_config *cfg, size_t part)
{
    size_t L = cfg->hidden_layers + 1, out = EXPERIMENT_CLASSES + cfg->m;
    if (part == 0)
        snprintf(buf, size, "whole network");
    else if (part == 1)
        snprintf(buf, size, "layer 1 (pixels→%zu)", L == 1 ? out : cfg->width);
    else
        snprintf(buf, size, "layer %zu (%zu→%zu)", part, cfg->width, part == L ? out : cfg->width);
}

/* The panel's y range: [-0.1, 0.1] at least, widened to the data in steps
 * of 0.1, within [-1, 1]. */
static void cos_range(const align_view *v, enum align_measure m, double *lo, double *hi)
{
    *lo = -0.1, *hi = 0.1;
    for (size_t a = 0; a < EXPERIMENT_MAX_ARMS; a++)
        for (size_t ep = 1; v->seeds[a] && ep <= v->n_epochs; ep++)
            for (size_t p = 0; p < v->n_parts; p++) {
                double x = align_view_mean(v, m, a, ep, p);
                if (!isnan(x)) {
                    *lo = fmin(*lo, floor(x * 10) / 10);
                    *hi = fmax(*hi, ceil(x * 10) / 10);
                }
            }
    *lo = fmax(*lo, -1), *hi = fmin(*hi, 1);
}

int figures_write_alignment(const folder_content *fo, const char *path, err *e)
{
    align_view v;
    if (align_view_make(fo->align.rows, fo->align.n, &v, e))
        return -1;
    size_t n_arms, n_x = v.n_epochs ? v.n_epochs : 1, parts = v.n_parts ? v.n_parts : 1;
    const arm_spec *arms = experiment_arms(&n_arms);
    double *y = malloc(ALIGN_N_MEASURES * parts * n_arms * n_x * sizeof *y);
    svg_series *series = malloc(ALIGN_N_MEASURES * parts * n_arms * sizeof *series);
    svg_panel panels[ALIGN_N_MEASURES * ALIGN_MAX_PARTS];
    char labels[EXPERIMENT_MAX_ARMS][96], titles[ALIGN_N_MEASURES * ALIGN_MAX_PARTS][96];
    if (!y || !series) {
        free(y), free(series), align_view_free(&v);
        return err_set(e, "out of memory");
    }
    size_t seeds = 0;
    for (size_t a = 0; a < n_arms; a++) {
        figures_arm_line(&arms[a], labels[a], sizeof labels[a]);
        seeds = v.seeds[a] > seeds ? v.seeds[a] : seeds;
    }
    for (size_t m = 0; m < ALIGN_N_MEASURES; m++) {
        double lo, hi;
        cos_range(&v, (enum align_measure)m, &lo, &hi);
        for (size_t p = 0; p < parts; p++) {
            size_t k = m * parts + p, n = 0;
            svg_series *row = series + k * n_arms;
            for (size_t a = 0; a < n_arms; a++) {
                if (!v.seeds[a])
                    continue;
                double *ya = y + (k * n_arms + a) * n_x;
                for (size_t i = 0; i < n_x; i++)
                    ya[i] = v.n_epochs ? align_view_mean(&v, (enum align_measure)m, a, i + 1, p)
                                       : NAN;
                row[n++] = (svg_series){.label = labels[a],
                                        .color = figures_arm_look(&arms[a], fo->cfg.dataset).color,
                                        .y = ya};
            }
            char part[64];
            part_name(part, sizeof part, &fo->cfg, p);
            snprintf(titles[k], sizeof titles[k], "%s", part);
            panels[k] = (svg_panel){titles[k],
                                    m == ALIGN_DISPLACEMENT ? "displacement cosine"
                                                            : "step cosine, epoch mean",
                                    "student epoch", 0, lo, hi, 0, n_x, row, n, NULL};
        }
    }
    char subtitle[2048], title[160];
    subtitle_of(subtitle, sizeof subtitle, &fo->cfg, fo->has_config, fo->n_seeds, 0);
    snprintf(title, sizeof title, "Students' alignment with their teacher, mean over %zu seed%s",
             seeds, seeds == 1 ? "" : "s");
    svg_grid grid = {title, subtitle,
                     "Top: cos(θ_S(t) − θ_S(0), θ_T − θ0) at each epoch's end. Bottom: "
                     "cos(θ_S(s) − θ_S(s−1), θ_T − θ0) of each step, averaged over the epoch.",
                     parts, 300, 260};
    atomic_file af;
    int rc = atomic_open(&af, path, e);
    if (rc == 0) {
        svg_write_panel_grid(af.f, &grid, panels, ALIGN_N_MEASURES * parts);
        rc = atomic_commit(&af, e);
    }
    free(y), free(series), align_view_free(&v);
    return rc;
}
