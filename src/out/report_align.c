#include "out/report_align.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "out/align_view.h"
#include "out/figures.h"
#include "out/theorem_layers.h"

/* "0.123 ± 0.045", "0.123" (one seed), "–" (undefined). */
static void mean_sd(FILE *f, double mean, double sd)
{
    if (isnan(mean))
        fprintf(f, " – |");
    else if (isnan(sd))
        fprintf(f, " %.3f |", mean);
    else
        fprintf(f, " %.3f ± %.3f |", mean, sd);
}

/* The steps' cosine over the whole training (the mean of the epochs'
 * means: every epoch has as many steps) and the lowest epoch mean. */
static void steps_cell(FILE *f, const align_view *v, size_t arm, size_t part)
{
    double sum = 0, low = INFINITY;
    size_t n = 0;
    for (size_t ep = 1; ep <= v->n_epochs; ep++) {
        double x = align_view_mean(v, ALIGN_UPDATE, arm, ep, part);
        if (!isnan(x)) {
            sum += x;
            low = fmin(low, x);
            n++;
        }
    }
    if (n)
        fprintf(f, " %.3f (lowest %.3f) |", sum / (double)n, low);
    else
        fprintf(f, " – |");
}

int report_align_md(FILE *f, const folder_content *fo, err *e)
{
    if (!fo->has_alignment || fo->align.n == 0)
        return 0;
    align_view v;
    if (align_view_make(fo->align.rows, fo->align.n, &v, e))
        return -1;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    fprintf(f, "## Alignment with the teacher through training\n\n"
               "Each student's movement in parameter space against its teacher's, θ_T − θ0, "
               "as a cosine, over the whole network and per layer (from alignment.csv). "
               "*Displacement*: cos(θ_S(t) − θ_S(0), θ_T − θ0) after the last of %zu student "
               "epoch%s, mean ± sd over seeds. *Steps*: the cosine of each single optimizer "
               "step with θ_T − θ0, averaged over training, and the lowest epoch average. "
               "0 is no alignment; a student from θ0 is predicted to move with its teacher "
               "(positive), one from θ0′ to show nothing.\n\n",
            v.n_epochs, v.n_epochs == 1 ? "" : "s");
    fprintf(f, "| student | measure | whole network |");
    for (size_t p = 1; p < v.n_parts; p++)
        fprintf(f, " layer %zu |", p);
    fprintf(f, "\n|---|---|---:|");
    for (size_t p = 1; p < v.n_parts; p++)
        fprintf(f, "---:|");
    fputc('\n', f);
    for (size_t a = 0; a < n_arms; a++) {
        if (!v.seeds[a] || !v.n_epochs)
            continue;
        char name[96];
        figures_arm_line(&arms[a], name, sizeof name);
        fprintf(f, "| %s (%zu seed%s) | displacement |", name, v.seeds[a],
                v.seeds[a] == 1 ? "" : "s");
        for (size_t p = 0; p < v.n_parts; p++)
            mean_sd(f, align_view_mean(&v, ALIGN_DISPLACEMENT, a, v.n_epochs, p),
                    align_view_sd(&v, a, v.n_epochs, p));
        fprintf(f, "\n| | steps |");
        for (size_t p = 0; p < v.n_parts; p++)
            steps_cell(f, &v, a, p);
        fputc('\n', f);
    }
    fprintf(f, "\n![The students' alignment with their teacher per layer, epoch by epoch: "
               "displacement cosine (top) and the epoch's mean step cosine (bottom)]"
               "(alignment.svg)\n\n");
    align_view_free(&v);
    return 0;
}

/* One table row: its label, then a cosine per part ("–" where undefined
 * or beyond the row's parts). */
static void layer_row(FILE *f, const char *label, const double *cos, size_t n, size_t n_parts)
{
    fprintf(f, "| %s |", label);
    for (size_t p = 0; p < n_parts; p++) {
        if (p < n && !isnan(cos[p]))
            fprintf(f, " %.3f |", cos[p]);
        else
            fprintf(f, " – |");
    }
    fputc('\n', f);
}

/* Index of variant's row of smallest ε in rows, or n. */
static size_t smallest_eps(const theorem_layers_row *rows, size_t n, const char *variant,
                           int prefix)
{
    size_t best = n;
    for (size_t i = 0; i < n; i++) {
        int match = prefix ? strncmp(rows[i].variant, variant, strlen(variant)) == 0
                           : strcmp(rows[i].variant, variant) == 0;
        if (match && (best == n || rows[i].eps < rows[best].eps))
            best = i;
    }
    return best;
}

int report_align_layers_md(FILE *f, const folder *dir, const folder_content *fo, err *e)
{
    char path[FILES_PATH_MAX];
    theorem_layers_row *rows;
    size_t n;
    if (!folder_has(dir, FOLDER_THEOREM_LAYERS))
        return 0;
    if (folder_path(dir, FOLDER_THEOREM_LAYERS, path, sizeof path, e) ||
        theorem_layers_read(path, &rows, &n, e))
        return -1;
    align_view v = {0};
    int experiment = fo && fo->has_alignment && fo->align.n;
    if (experiment && align_view_make(fo->align.rows, fo->align.n, &v, e)) {
        free(rows);
        return -1;
    }
    size_t n_parts = experiment ? v.n_parts : 0;
    for (size_t i = 0; i < n; i++)
        n_parts = rows[i].n_parts > n_parts ? rows[i].n_parts : n_parts;
    fprintf(f, "### Per layer%s\n\n"
               "The cosine of the student's move with the teacher's over the whole network "
               "and over each layer alone (its weights and biases). The theorem's rows are "
               "means over trials from `theorem_layers.csv`, each at its smallest ε%s.\n\n"
               "| | whole network |",
            experiment ? ", beside the experiment" : "",
            experiment ? "; the experiment's, the students' displacement after their last "
                         "epoch, means over seeds from `alignment.csv`"
                       : "");
    for (size_t p = 1; p < n_parts; p++)
        fprintf(f, " layer %zu |", p);
    fprintf(f, "\n|---|---:|");
    for (size_t p = 1; p < n_parts; p++)
        fprintf(f, "---:|");
    fputc('\n', f);
    static const struct {
        const char *variant, *label;
        int prefix;
    } theorem_rows[] = {
        {"same_init", "theorem: one step from θ0", 0},
        {"cross_init", "theorem: one step from θ0′", 0},
        {"same_init_k", "theorem: K steps from θ0", 1},
    };
    for (size_t k = 0; k < sizeof theorem_rows / sizeof theorem_rows[0]; k++) {
        size_t i = smallest_eps(rows, n, theorem_rows[k].variant, theorem_rows[k].prefix);
        if (i == n)
            continue;
        char label[128];
        snprintf(label, sizeof label, "%s (%s, ε = %g)", theorem_rows[k].label, rows[i].variant,
                 rows[i].eps);
        layer_row(f, label, rows[i].cos_mean, rows[i].n_parts, n_parts);
    }
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; experiment && a < n_arms; a++) {
        if (!v.seeds[a] || !v.n_epochs)
            continue;
        char name[96], label[160];
        double cos[ALIGN_MAX_PARTS];
        figures_arm_line(&arms[a], name, sizeof name);
        snprintf(label, sizeof label, "experiment: %s, after %zu epoch%s", name, v.n_epochs,
                 v.n_epochs == 1 ? "" : "s");
        for (size_t p = 0; p < v.n_parts; p++)
            cos[p] = align_view_mean(&v, ALIGN_DISPLACEMENT, a, v.n_epochs, p);
        layer_row(f, label, cos, v.n_parts, n_parts);
    }
    fputc('\n', f);
    align_view_free(&v);
    free(rows);
    return 0;
}
