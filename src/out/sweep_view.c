#include "out/sweep_view.h"
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "base/atomic.h"
#include "out/config.h"
#include "out/figures.h"
#include "out/reading.h"
#include "out/svg.h"

/* A point's name: every axis's "name=value", comma-separated. */
#define POINT_NAME_SIZE (SWEEP_MAX_AXES * (32 + SWEEP_VALUE_SIZE))
/* Panels in a row of the grid, and the row's width in pixels. */
#define COLUMNS 3
#define FIGURE_WIDTH 960

/* The arms the sweep is about: the students imitating the auxiliary
 * logits, from the teacher's init and from another. */
static void effect_arms(int *same, int *cross)
{
    *same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    *cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
}

/* The settings the plan does not sweep (but those that pick the seeds),
 * in table order: *i from 0; NULL after the last. */
static const setting *next_shared(const sweep_plan *p, size_t *i)
{
    size_t n;
    const setting *all = experiment_settings(&n);
    for (; *i < n; ++*i) {
        const setting *s = &all[*i];
        int swept = 0;
        for (size_t a = 0; a < p->n_axes; a++)
            swept |= p->axes[a].s == s;
        if (!swept && !(s->flags & SETTING_SEEDS)) {
            ++*i;
            return s;
        }
    }
    return NULL;
}

/* 1 when the configuration of point runs arm a. */
static int point_runs(const sweep_plan *p, size_t point, size_t a)
{
    experiment_config c;
    sweep_point_config(p, point, &c);
    return experiment_arm_runs(&c, a);
}

/* 1 when some point of p runs arm a (a sweep of --trait runs the trait's
 * arms at some points only). */
static int sweep_runs(const sweep_plan *p, size_t a)
{
    for (size_t point = 0; point < sweep_n_points(p); point++)
        if (point_runs(p, point, a))
            return 1;
    return 0;
}

/* ---- sweep.svg ---- */

/* "Not swept: the paper's settings, but epochs 1, batch 512 (...)": the
 * settings a flag sets whose value is not the paper's. */
static void shared_line(char *buf, size_t size, const sweep_plan *p)
{
    experiment_config paper = experiment_defaults();
    size_t used = (size_t)snprintf(buf, size, "Not swept: the paper's settings");
    const char *sep = ", but ";
    const setting *s;
    for (size_t i = 0; (s = next_shared(p, &i)) && used < size;) {
        char mine[128], theirs[128];
        setting_format(s, &p->base, mine, sizeof mine);
        setting_format(s, &paper, theirs, sizeof theirs);
        if (!setting_has_flag(s) || strcmp(mine, theirs) == 0)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%s %s", sep, s->name, mine);
        sep = ", ";
    }
    if (used < size)
        snprintf(buf + used, size - used, " (report.md lists every setting).");
}

/* The title of the panel of point (any of its points): the values of
 * every axis but the first. */
static void panel_title(char *buf, size_t size, const sweep_plan *p, size_t point)
{
    size_t used = 0;
    if (p->n_axes < 2)
        snprintf(buf, size, "each arm's test accuracy");
    for (size_t a = 1; a < p->n_axes && used < size; a++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s = %s", a > 1 ? ", " : "",
                                 p->axes[a].s->name,
                                 p->axes[a].values[sweep_value_index(p, point, a)]);
}

/* What the panels point to, allocated at once. */
typedef struct {
    svg_panel *panels;  /* [drawn] */
    svg_series *series; /* [drawn][n_arms] */
    double *y, *ci95;   /* [drawn][n_arms][n_x] */
    char *names;        /* [drawn][n_x][POINT_NAME_SIZE] */
    const char **keys;  /* [drawn][n_x] into names */
    char (*titles)[POINT_NAME_SIZE];
    char labels[EXPERIMENT_MAX_ARMS][96]; /* the arms' legend labels */
} figure_parts;

static void parts_free(figure_parts *fp)
{
    free(fp->panels);
    free(fp->series);
    free(fp->y);
    free(fp->ci95);
    free(fp->names);
    free(fp->keys);
    free(fp->titles);
}

static int parts_alloc(figure_parts *fp, size_t drawn, size_t n_arms, size_t n_x)
{
    fp->panels = calloc(drawn, sizeof *fp->panels);
    fp->series = calloc(drawn * n_arms, sizeof *fp->series);
    fp->y = calloc(drawn * n_arms * n_x, sizeof *fp->y);
    fp->ci95 = calloc(drawn * n_arms * n_x, sizeof *fp->ci95);
    fp->names = calloc(drawn * n_x, POINT_NAME_SIZE);
    fp->keys = calloc(drawn * n_x, sizeof *fp->keys);
    fp->titles = calloc(drawn, sizeof *fp->titles);
    return fp->panels && fp->series && fp->y && fp->ci95 && fp->names && fp->keys &&
                   fp->titles
               ? 0
               : -1;
}

/* Panel k: x the first axis's values (or the one point), one series per
 * arm the sweep runs (no point where the point does not run it), the
 * effect's two arms strong and dodged apart, the others light. */
static void make_panel(figure_parts *fp, size_t k, const sweep_plan *p,
                       const sweep_point_result *r, const char *const *ticks,
                       const char *x_label, size_t n_x, size_t n_panels)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    int same, cross;
    effect_arms(&same, &cross);
    const char **keys = fp->keys + k * n_x;
    for (size_t i = 0; i < n_x; i++) {
        /* The first axis varies slowest: panels are the other axes' combinations. */
        size_t point = i * n_panels + k;
        char *name = fp->names + (k * n_x + i) * POINT_NAME_SIZE;
        sweep_point_name(p, point, name, POINT_NAME_SIZE);
        keys[i] = name;
        for (size_t a = 0; a < n_arms; a++) {
            const arm_summary *s = &r[point].sum[a];
            int has = s->acc.n && point_runs(p, point, a);
            fp->y[(k * n_arms + a) * n_x + i] = has ? s->acc.mean : NAN;
            fp->ci95[(k * n_arms + a) * n_x + i] = has ? s->acc.ci95 : 0;
        }
    }
    svg_series *series = fp->series + k * n_arms;
    size_t n_series = 0;
    for (size_t a = 0; a < n_arms; a++) {
        if (!sweep_runs(p, a))
            continue;
        /* The effect's students stand out: the paper's two aux students and
         * any aux student beyond the paper (the α curve's, the trait's). */
        int strong = (int)a == same || (int)a == cross ||
                     (arms[a].when != ARM_ALWAYS && arms[a].outputs == ARM_OUTPUTS_AUX);
        series[n_series++] = (svg_series){.label = fp->labels[a],
                                 .color = figures_arm_look(&arms[a], DATASET_MNIST).color,
                                 .y = fp->y + (k * n_arms + a) * n_x,
                                 .ci95 = strong ? fp->ci95 + (k * n_arms + a) * n_x : NULL,
                                 .id = arms[a].name,
                                 .keys = keys,
                                 .light = !strong,
                                 .dodge = (int)a == same ? -4 : (int)a == cross ? 4 : 0};
    }
    panel_title(fp->titles[k], sizeof fp->titles[k], p, k);
    fp->panels[k] = (svg_panel){fp->titles[k], "test accuracy", x_label, 0, 0, 1,
                                READING_CHANCE, n_x, series, n_series, ticks};
}

int sweep_view_figure(const char *path, const sweep_plan *p, const sweep_point_result *r,
                      err *e)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    size_t n_points = sweep_n_points(p), n_x = p->n_axes ? p->axes[0].n : 1;
    size_t n_panels = n_points / n_x;
    size_t drawn = n_panels < SWEEP_VIEW_MAX_PANELS ? n_panels : SWEEP_VIEW_MAX_PANELS;
    const char *ticks[SWEEP_MAX_VALUES] = {"base"};
    char x_label[64] = "no setting swept";
    if (p->n_axes) {
        for (size_t i = 0; i < n_x; i++)
            ticks[i] = p->axes[0].values[i];
        setting_flag(p->axes[0].s, x_label, sizeof x_label);
    }
    figure_parts fp = {0};
    if (parts_alloc(&fp, drawn, n_arms, n_x)) {
        parts_free(&fp);
        return err_set(e, "%s: out of memory", path);
    }
    for (size_t a = 0; a < n_arms; a++)
        figures_arm_line(&arms[a], fp.labels[a], sizeof fp.labels[a]);
    for (size_t k = 0; k < drawn; k++)
        make_panel(&fp, k, p, r, ticks, x_label, n_x, n_panels);

    char subtitle[160], footnote[1024], shared[800];
    snprintf(subtitle, sizeof subtitle,
             "mean and 95%% CI over %zu seed%s per point; the other arms lighter, means only",
             p->base.seeds, p->base.seeds == 1 ? "" : "s");
    shared_line(shared, sizeof shared, p);
    if (drawn < n_panels)
        snprintf(footnote, sizeof footnote, "The first %zu of %zu panels (report.md has every "
                                            "point). %s",
                 drawn, n_panels, shared);
    else
        snprintf(footnote, sizeof footnote, "%s", shared);
    size_t columns = drawn < COLUMNS ? drawn : COLUMNS;
    svg_grid grid = {"Subliminal learning across settings: the students' test accuracy",
                     subtitle, footnote, columns, FIGURE_WIDTH / (double)columns, 320};
    atomic_file af;
    int rc = atomic_open(&af, path, e);
    if (rc == 0) {
        svg_write_panel_grid(af.f, &grid, fp.panels, drawn);
        rc = atomic_commit(&af, e);
    }
    parts_free(&fp);
    return rc;
}

/* ---- report.md ---- */

/* The effect along one value of an axis, over the points with it. */
typedef struct {
    double lead;   /* mean of same-init minus other-init accuracy */
    size_t n_lead; /* points with runs of both */
    size_t judged; /* points with a verdict */
    size_t shown;  /* points where the effect shows */
} value_effect;

static void axis_effects(const sweep_plan *p, const sweep_point_result *r, size_t axis,
                         value_effect *v)
{
    int same, cross;
    effect_arms(&same, &cross);
    memset(v, 0, p->axes[axis].n * sizeof *v);
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        value_effect *ve = &v[sweep_value_index(p, point, axis)];
        const arm_summary *a = &r[point].sum[same], *b = &r[point].sum[cross];
        if (a->acc.n && b->acc.n) {
            ve->lead += a->acc.mean - b->acc.mean;
            ve->n_lead++;
        }
        reading_verdict verdict = reading_subliminal(a, b);
        ve->judged += verdict != READING_NO_VERDICT;
        ve->shown += verdict == READING_SHOWN;
    }
    for (size_t i = 0; i < p->axes[axis].n; i++)
        v[i].lead = v[i].n_lead ? v[i].lead / (double)v[i].n_lead : NAN;
}

/* "m = 10 (+43.2 percentage points on average; the effect shows at 2 of
 * its 2 points)". */
static void value_phrase(FILE *f, const sweep_axis *x, size_t i, const value_effect *v,
                         size_t per_value)
{
    fprintf(f, "%s = %s (%+.1f percentage points%s; ", x->s->name, x->values[i],
            100 * v[i].lead, per_value > 1 ? " on average" : "");
    if (v[i].judged == 0)
        fprintf(f, "no verdict)");
    else if (per_value == 1)
        fprintf(f, "%s)", v[i].shown ? "the effect shows" : "it does not show");
    else if (v[i].judged == per_value)
        fprintf(f, "the effect shows at %zu of its %zu points)", v[i].shown, per_value);
    else
        fprintf(f, "the effect shows at %zu of its %zu points with a verdict)", v[i].shown,
                v[i].judged);
}

/* Along one axis: where the same-init student's lead is largest and
 * smallest, and the values where the effect shows at none of the points. */
static void write_axis_reading(FILE *f, const sweep_plan *p, const sweep_point_result *r,
                               size_t axis)
{
    const sweep_axis *x = &p->axes[axis];
    value_effect v[SWEEP_MAX_VALUES];
    axis_effects(p, r, axis, v);
    size_t per_value = sweep_n_points(p) / x->n, hi = x->n, lo = x->n, judged = 0;
    for (size_t i = 0; i < x->n; i++) {
        judged += v[i].judged;
        if (isnan(v[i].lead))
            continue;
        if (hi == x->n || v[i].lead > v[hi].lead)
            hi = i;
        if (lo == x->n || v[i].lead < v[lo].lead)
            lo = i;
    }
    char flag[64];
    setting_flag(x->s, flag, sizeof flag);
    fprintf(f, "- Along `%s`", flag);
    if (per_value > 1)
        fprintf(f, " (each value over the %zu combinations of the other swept settings)",
                per_value);
    if (hi == x->n) {
        fprintf(f, ": no point has runs of both students.\n");
        return;
    }
    fprintf(f, ": the same-init student's lead over the other-init one is largest at ");
    value_phrase(f, x, hi, v, per_value);
    if (lo != hi) {
        fprintf(f, " and smallest at ");
        value_phrase(f, x, lo, v, per_value);
    }
    fputc('.', f);
    if (judged == 0) {
        fprintf(f, " With fewer than two seeds there is no verdict.\n");
        return;
    }
    size_t vanished = 0;
    for (size_t i = 0; i < x->n; i++)
        if (v[i].judged && !v[i].shown)
            fprintf(f, "%s%s = %s", vanished++ ? ", " : " The effect vanishes at ", x->s->name,
                    x->values[i]);
    if (vanished == x->n)
        fprintf(f, ": at every value.\n");
    else if (vanished && per_value > 1)
        fprintf(f, ": at none of %s points does it show.\n", vanished == 1 ? "its" : "their");
    else if (vanished)
        fprintf(f, ".\n");
    else
        fprintf(f, " The effect shows at some point of every value.\n");
}

static void write_reading(FILE *f, const sweep_plan *p, const sweep_point_result *r)
{
    int same, cross;
    effect_arms(&same, &cross);
    fprintf(f, "## What it shows\n\n");
    if (same < 0 || cross < 0) {
        fprintf(f, "The arm table has no pair of students imitating the auxiliary logits.\n\n");
        return;
    }
    fprintf(f, "At each point, the student from the teacher's own initialization against "
               "one from another, both trained on noise to imitate only the auxiliary "
               "logits:\n\n");
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        char name[POINT_NAME_SIZE];
        const arm_summary *a = &r[point].sum[same], *b = &r[point].sum[cross];
        sweep_point_name(p, point, name, sizeof name);
        fprintf(f, "- `%s`: ", name);
        if (!a->acc.n || !b->acc.n) {
            fprintf(f, "no successful run of %s student.\n", a->acc.n ? "the other-init"
                                                             : b->acc.n ? "the same-init"
                                                                        : "either");
            continue;
        }
        reading_compare(f, a, b, "same init", "other init");
        static const char *const says[] = {
            [READING_NO_VERDICT] = "",
            [READING_SHOWN] = " **The effect shows.**",
            [READING_ABOVE_CHANCE] = " Above chance, but not clearly above the other-init "
                                     "student.",
            [READING_NOT_ABOVE_CHANCE] = " The same-init student is not clearly above chance "
                                         "(10%): no effect here.",
        };
        fprintf(f, "%s\n", says[reading_subliminal(a, b)]);
    }
    if (p->n_axes)
        fprintf(f, "\nAlong each swept setting (the lead: same-init minus other-init "
                   "accuracy, in percentage points; the effect shows where the same-init "
                   "interval is above both chance and the other-init interval):\n\n");
    for (size_t axis = 0; axis < p->n_axes; axis++)
        write_axis_reading(f, p, r, axis);
    fputc('\n', f);
}

static void write_table(FILE *f, const sweep_plan *p, const sweep_point_result *r)
{
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    fprintf(f, "## Results\n\n| point | arm | n | mean | 95%% CI | min | max | diverged |\n"
               "|---|---|--:|--:|--:|--:|--:|--:|\n");
    for (size_t point = 0; point < sweep_n_points(p); point++) {
        char name[POINT_NAME_SIZE];
        sweep_point_name(p, point, name, sizeof name);
        for (size_t a = 0; a < n_arms; a++) {
            if (!point_runs(p, point, a))
                continue;
            fputs("| ", f);
            reading_md_cell(f, name);
            fprintf(f, " | %s", arms[a].name);
            reading_arm_cells(f, &r[point].sum[a]);
            fprintf(f, " | %zu |\n", r[point].sum[a].failed);
        }
    }
    const dataset_about *d = datasets_about(p->base.dataset); /* one per sweep */
    fprintf(f, "\nTest accuracy on the %s test %s; n successful seeds; %s.\n\n"
               "![The students' test accuracy against the swept settings: means over seeds "
               "with 95%% confidence intervals for the students imitating the auxiliary "
               "logits, the other arms lighter, dashed line chance](" SWEEP_FIGURE ")\n\n",
            d->title, d->items, READING_CI_NOTE);
}

static void write_plan(FILE *f, const sweep_plan *p)
{
    char flag[64], value[128];
    uint64_t first = p->base.seed_start, last = first + p->base.seeds - 1;
    fprintf(f, "## What was run\n\n**Points:** %zu; **seeds** per point: %zu (%" PRIu64,
            sweep_n_points(p), p->base.seeds, first);
    if (last != first)
        fprintf(f, " to %" PRIu64, last);
    fprintf(f, "); %zu tasks in all.\n\n", sweep_n_tasks(p));
    if (p->n_axes)
        fprintf(f, "**Swept** (the grid is their product, the last varying fastest):\n\n"
                   "| setting | flag | values |\n|---|---|---|\n");
    else
        fprintf(f, "**Swept:** nothing; the one point is the base configuration.\n\n");
    for (size_t a = 0; a < p->n_axes; a++) {
        setting_flag(p->axes[a].s, flag, sizeof flag);
        fprintf(f, "| %s | %s | ", p->axes[a].s->name, flag);
        for (size_t i = 0; i < p->axes[a].n; i++) {
            fputs(i ? ", " : "", f);
            reading_md_cell(f, p->axes[a].values[i]);
        }
        fprintf(f, " |\n");
    }
    fprintf(f, "%s**Not swept** (every point's):\n\n| setting | flag | value |\n|---|---|---|\n",
            p->n_axes ? "\n" : "");
    const setting *s;
    for (size_t i = 0; (s = next_shared(p, &i));) {
        config_flag_of(s->name, flag, sizeof flag);
        setting_format(s, &p->base, value, sizeof value);
        fprintf(f, "| %s | %s | ", s->name, flag);
        reading_md_cell(f, value);
        fprintf(f, " |\n");
    }
    fputc('\n', f);
}

int sweep_view_report(const char *path, const sweep_plan *p, const sweep_point_result *r,
                      err *e)
{
    atomic_file af;
    if (atomic_open(&af, path, e))
        return -1;
    FILE *f = af.f;
    const dataset_about *d = datasets_about(p->base.dataset); /* one per sweep */
    fprintf(f, "# Subliminal learning across settings: sublim sweep report\n\n"
               "The MNIST experiment of Cloud et al. (2025) at every point of a grid of "
               "settings%s: a teacher MLP with extra *auxiliary* logits is trained on %s; "
               "students are trained on pure noise to imitate only those logits, from the "
               "teacher's own initialization (same init) or from another (other init), then "
               "tested on %s %s. Each point's seeds are an ordinary result folder, "
               "`points/POINT/`, with its own report.\n\n",
            d->paper ? "" : ", run on another dataset", d->items, d->title, d->items);
    write_reading(f, p, r);
    write_table(f, p, r);
    write_plan(f, p);
    fprintf(f, "---\nWritten by `sublim sweep --collect` from the points' results; it "
               "regenerates this file byte for byte.\n");
    return atomic_commit(&af, e);
}
