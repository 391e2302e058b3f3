/* Tests of out/sweep_view: a sweep's figure (well-formed SVG, a mark per
 * point and arm at its mean with its CI, small multiples per value of the
 * other axes, bounded; drawn by headless Chromium where it can be had) and
 * its report (the plan, a row per point and arm, a reading that follows
 * the numbers); both pure functions of the plan and the summaries.
 * Synthetic summaries only: no training, no MNIST. */
#include "testutil.h"
#include "tu_svg.h"

#include <math.h>
#include <sys/stat.h>
#include "base/stats.h"
#include "out/figures.h"
#include "out/reading.h"
#include "out/sweep_view.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

#define SEEDS 5

/* Fails unless |a - b| <= eps, showing both. */
#define assert_near(a, b, eps)                                                       \
    do {                                                                             \
        double near_a_ = (a), near_b_ = (b);                                         \
        if (!(fabs(near_a_ - near_b_) <= (eps)))                                     \
            fail_msg("%s = %.9g, %s = %.9g: further apart than %g", #a, near_a_, #b, \
                     near_b_, (double)(eps));                                        \
    } while (0)

/* The plan over the paper's settings with 1 teacher epoch, SEEDS seeds,
 * and each "name=values" of axes swept. */
static void make_plan(sweep_plan *p, const char *const *axes, size_t n_axes)
{
    experiment_config base = experiment_defaults();
    base.seeds = SEEDS;
    base.teacher_epochs = 1;
    sweep_plan_init(p, &base);
    err e;
    for (size_t a = 0; a < n_axes; a++) {
        char name[32];
        const char *eq = strchr(axes[a], '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq - axes[a]), axes[a]);
        if (sweep_add_axis(p, name, eq + 1, &e))
            fail_msg("%s: %s", axes[a], e.msg);
    }
}

/* The mean accuracy of arm at a point of configuration c: the aux_same
 * student rises with m (at chance for m = 1) and a little with the width;
 * the other arms stay near the paper's. */
static double synthetic_mean(const experiment_config *c, size_t arm)
{
    const arm_spec *arms = experiment_arms(&(size_t){0});
    int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    int cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    if ((int)arm == cross)
        return 0.1;
    if ((int)arm == same)
        return c->m == 1 ? 0.1 : 0.1 + 0.04 * (double)(c->m - 1) + (c->width > 64 ? 0.05 : 0);
    return arms[arm].paper_mean;
}

/* r[point] for every point of p: seeds values mean ± 0.01·(k - 2) for
 * each arm the point runs. */
static sweep_point_result *synthetic_results(const sweep_plan *p, size_t seeds)
{
    size_t n_arms, n_points = sweep_n_points(p);
    experiment_arms(&n_arms);
    sweep_point_result *r = calloc(n_points, sizeof *r);
    assert_non_null(r);
    for (size_t point = 0; point < n_points; point++) {
        experiment_config c;
        sweep_point_config(p, point, &c);
        for (size_t a = 0; a < n_arms; a++) {
            if (!experiment_arm_runs(&c, a))
                continue; /* as collect leaves it: no runs */
            double x[SEEDS], mean = synthetic_mean(&c, a);
            for (size_t k = 0; k < seeds; k++)
                x[k] = mean + 0.01 * ((double)k - 2);
            r[point].sum[a] = (arm_summary){stats_summarize(x, seeds), 0, x[0], x[seeds - 1]};
        }
    }
    return r;
}

/* ---- the figure read back ---- */

typedef struct {
    const char *tag;
    char point[160], arm[32];
    double mean, ci95, cx, cy;
} mark;

/* Every <circle class="point"> of svg, in order. */
static size_t find_marks(const char *svg, mark *m, size_t max)
{
    size_t n = 0;
    for (const char *at = svg; (at = strstr(at, "<circle class=\"point\"")); at++) {
        assert_true(n < max);
        mark *k = &m[n++];
        k->tag = at;
        assert_int_equal(tu_attr(at, "data-point", k->point, sizeof k->point), 0);
        assert_int_equal(tu_attr(at, "data-arm", k->arm, sizeof k->arm), 0);
        k->mean = tu_attr_num(at, "data-mean");
        char ci95[64];
        k->ci95 = tu_attr(at, "data-ci95", ci95, sizeof ci95) ? NAN : strtod(ci95, NULL);
        k->cx = tu_attr_num(at, "cx");
        k->cy = tu_attr_num(at, "cy");
    }
    return n;
}

static const mark *find_mark(const mark *m, size_t n, const char *point, const char *arm)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(m[i].point, point) == 0 && strcmp(m[i].arm, arm) == 0)
            return &m[i];
    fail_msg("no mark for point %s, arm %s", point, arm);
    return NULL;
}

/* The figure of p and r written to dir/sweep.svg, checked well formed. */
static char *figure(const char *dir, const sweep_plan *p, const sweep_point_result *r)
{
    err e;
    if (sweep_view_figure(tu_path(dir, SWEEP_FIGURE), p, r, &e))
        fail_msg("sweep_view_figure: %s", e.msg);
    char *svg = tu_slurp(tu_path(dir, SWEEP_FIGURE), NULL);
    tu_assert_well_formed(svg, "svg");
    return svg;
}

/* m × width: a panel per width, titled with it, x the values of m in their
 * order under the flag; a mark per point and arm carrying the point's
 * name, the arm, its mean and CI (as the summaries say, not recomputed by
 * the code under test), at a height linear in the mean that puts chance
 * on the dashed line; whiskers on the two students of the effect only. */
static void test_figure_marks_match_the_numbers(void **state)
{
    fixture *fx = *state;
    sweep_plan p;
    make_plan(&p, (const char *const[]){"width=64,256", "m=1,3,10"}, 2);
    sweep_point_result *r = synthetic_results(&p, SEEDS);
    char *svg = figure(fx->dir, &p, r);
    size_t n_points = sweep_n_points(&p);
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&p.base, which);
    const arm_spec *arms = experiment_arms(&(size_t){0});
    int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    int cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);

    mark *m = calloc(n_points * n_arms, sizeof *m);
    assert_non_null(m);
    assert_int_equal(find_marks(svg, m, n_points * n_arms), n_points * n_arms);
    const mark *low = find_mark(m, n_points * n_arms, "m=1,width=64", arms[same].name);
    const mark *high = find_mark(m, n_points * n_arms, "m=10,width=256", arms[same].name);
    double scale = (low->cy - high->cy) / (high->mean - low->mean);
    assert_true(scale > 150); /* a readable plot, higher accuracy higher up */
    double chance_y = tu_attr_num(strstr(svg, "<line class=\"chance\""), "y1");
    assert_near(chance_y, low->cy + (low->mean - 0.1) * scale, 0.25);
    for (size_t point = 0; point < n_points; point++) {
        char name[160];
        sweep_point_name(&p, point, name, sizeof name);
        for (size_t i = 0; i < n_arms; i++) {
            size_t a = which[i];
            const mark *k = find_mark(m, n_points * n_arms, name, arms[a].name);
            assert_near(k->mean, r[point].sum[a].acc.mean, 1e-6);
            if ((int)a == same || (int)a == cross)
                assert_near(k->ci95, r[point].sum[a].acc.ci95, 1e-6);
            else
                assert_true(isnan(k->ci95)); /* lighter: no CI drawn, none said */
            /* Marks share one panel's axes (a panel is as high as another). */
            assert_near(k->cy, low->cy - (k->mean - low->mean) * scale, 0.25);
        }
    }
    /* Within a panel, x follows the values of m in the axis's order. */
    const char *order[] = {"m=1,width=256", "m=3,width=256", "m=10,width=256"};
    for (size_t i = 1; i < 3; i++)
        assert_true(find_mark(m, n_points * n_arms, order[i], arms[cross].name)->cx >
                    find_mark(m, n_points * n_arms, order[i - 1], arms[cross].name)->cx);
    /* The two students of the effect, at one x, are apart. */
    assert_true(find_mark(m, n_points * n_arms, order[0], arms[same].name)->cx <
                find_mark(m, n_points * n_arms, order[0], arms[cross].name)->cx);
    assert_int_equal(tu_count(svg, "<path class=\"whisker\""), 2 * n_points + 1); /* + legend */
    assert_int_equal(tu_count(svg, "<line class=\"chance\""), 2);
    tu_assert_contains(svg, ">width = 64</text>");
    tu_assert_contains(svg, ">width = 256</text>");
    tu_assert_contains(svg, ">--m</text>");
    tu_assert_contains(svg, ">10</text>");
    tu_assert_contains(svg, "stroke-opacity=\"0.5\""); /* the other arms, lighter */
    tu_assert_contains(svg, "5 seeds per point");
    tu_assert_contains(svg, "Not swept: the paper's settings, but epochs 1 (");
    char legend[96];
    figures_arm_line(&arms[same], legend, sizeof legend);
    tu_assert_contains(svg, legend);
    assert_null(strstr(svg, "panels (report.md"));
    free(m);
    free(svg);
    free(r);
}

/* One axis: one panel over its values; no axis: the one point, "base". */
static void test_figure_of_one_axis_and_of_none(void **state)
{
    fixture *fx = *state;
    sweep_plan p;
    make_plan(&p, (const char *const[]){"init=uniform,normal"}, 1);
    size_t n_arms = experiment_arms_run(&p.base, NULL);
    sweep_point_result *r = synthetic_results(&p, SEEDS);
    char *svg = figure(fx->dir, &p, r);
    assert_int_equal(tu_count(svg, "<circle class=\"point\""), 2 * n_arms);
    assert_int_equal(tu_count(svg, "<line class=\"chance\""), 1);
    tu_assert_contains(svg, ">each arm's test accuracy</text>");
    tu_assert_contains(svg, ">--init</text>");
    mark m[2 * EXPERIMENT_MAX_ARMS];
    find_marks(svg, m, 2 * EXPERIMENT_MAX_ARMS);
    /* In the order given, not sorted. */
    assert_true(find_mark(m, 2 * n_arms, "init=uniform", "teacher")->cx <
                find_mark(m, 2 * n_arms, "init=normal", "teacher")->cx);
    free(svg);
    free(r);

    make_plan(&p, NULL, 0);
    r = synthetic_results(&p, SEEDS);
    svg = figure(fx->dir, &p, r);
    assert_int_equal(tu_count(svg, "<circle class=\"point\""), n_arms);
    tu_assert_contains(svg, "data-point=\"base\"");
    tu_assert_contains(svg, ">base</text>");
    tu_assert_contains(svg, ">no setting swept</text>");
    free(svg);
    free(r);
}

/* Beyond SWEEP_VIEW_MAX_PANELS combinations of the other axes, that many
 * panels are drawn and a note says how many there are; an arm without a
 * run at a point has no mark there, and one seed draws no whisker. */
static void test_figure_is_bounded_and_draws_only_what_ran(void **state)
{
    fixture *fx = *state;
    sweep_plan p;
    make_plan(&p, (const char *const[]){"m=1,3", "width=10:40:+1"}, 2);
    size_t n_arms = experiment_arms_run(&p.base, NULL);
    size_t n_panels = sweep_n_points(&p) / 2;
    assert_true(n_panels > SWEEP_VIEW_MAX_PANELS);
    sweep_point_result *r = synthetic_results(&p, 1);
    r[0].sum[0] = (arm_summary){{0, NAN, 0, 0}, 1, NAN, NAN}; /* its one seed diverged */
    char *svg = figure(fx->dir, &p, r);
    assert_int_equal(tu_count(svg, "<circle class=\"point\""),
                     2 * SWEEP_VIEW_MAX_PANELS * n_arms - 1);
    assert_int_equal(tu_count(svg, "<path class=\"whisker\""), 0);
    char note[96];
    snprintf(note, sizeof note, "The first %d of %zu panels", SWEEP_VIEW_MAX_PANELS, n_panels);
    tu_assert_contains(svg, note);
    assert_null(strstr(svg, "NaN"));
    assert_null(strstr(svg, "nan"));
    free(svg);
    free(r);
}

/* ---- the report ---- */

static char *report(const char *dir, const sweep_plan *p, const sweep_point_result *r)
{
    err e;
    if (sweep_view_report(tu_path(dir, SWEEP_REPORT), p, r, &e))
        fail_msg("sweep_view_report: %s", e.msg);
    return tu_slurp(tu_path(dir, SWEEP_REPORT), NULL);
}

/* The plan (swept values, every other setting with its flag, seeds), one
 * row per point and arm with the summaries' numbers, and a reading that
 * follows them: no effect at m = 1, the effect at m = 3 and 10, the lead
 * largest at m = 10 and at width 256. */
static void test_report_says_the_plan_the_numbers_and_the_reading(void **state)
{
    fixture *fx = *state;
    int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    sweep_plan p;
    make_plan(&p, (const char *const[]){"m=1,3,10", "width=64,256"}, 2);
    size_t n_arms = experiment_arms_run(&p.base, NULL); /* a table row per arm run */
    sweep_point_result *r = synthetic_results(&p, SEEDS);
    char *md = report(fx->dir, &p, r);
    assert_int_equal(tu_count(md, "\n| m="), sweep_n_points(&p) * n_arms);
    tu_assert_contains(md, "| m | --m | 1, 3, 10 |");
    tu_assert_contains(md, "| width | --width | 64, 256 |");
    tu_assert_contains(md, "| epochs | --epochs | 1 |");
    tu_assert_contains(md, "| hidden_layers | (fixed) | 2 |");
    tu_assert_contains(md, "| optimizer | (fixed) | adam(");
    assert_null(strstr(md, "| m | --m | 3 |"));  /* swept: not among the shared */
    assert_null(strstr(md, "| seeds |"));
    tu_assert_contains(md, "**seeds** per point: 5 (0 to 4); 30 tasks");
    char row[160];
    const arm_summary *s = &r[5].sum[same]; /* m=10,width=256 */
    snprintf(row, sizeof row, "| m=10,width=256 | student_aux_same | 5 | %.4f | %.4f to %.4f |",
             s->acc.mean, s->acc.mean - s->acc.ci95, s->acc.mean + s->acc.ci95);
    tu_assert_contains(md, row);
    tu_assert_contains(md, "- `m=1,width=64`: same init 10.0% (95% CI 8.0% to 12.0%)");
    tu_assert_contains(md, "not clearly above chance (10%): no effect here.");
    tu_assert_contains(md, "- `m=3,width=256`: same init 23.0%");
    assert_int_equal(tu_count(md, "**The effect shows.**"), 4);
    tu_assert_contains(md, "- Along `--m` (each value over the 2 combinations of the other "
                           "swept settings): the same-init student's lead over the other-init "
                           "one is largest at m = 10 (+38.5 percentage points on average; the "
                           "effect shows at 2 of its 2 points) and smallest at m = 1 (+0.0 "
                           "percentage points on average; the effect shows at 0 of its 2 "
                           "points). The effect vanishes at m = 1: at none of its points does "
                           "it show.");
    tu_assert_contains(md, "- Along `--width` (each value over the 3 combinations of the other "
                           "swept settings): the same-init student's lead over the other-init "
                           "one is largest at width = 256");
    tu_assert_contains(md, "The effect shows at some point of every value.");
    tu_assert_contains(md, "](sweep.svg)");
    free(md);
    free(r);
}

/* One seed per point: the reading gives no verdict, never a claim. */
static void test_report_with_one_seed_gives_no_verdict(void **state)
{
    fixture *fx = *state;
    sweep_plan p;
    make_plan(&p, (const char *const[]){"m=1,10"}, 1);
    sweep_point_result *r = synthetic_results(&p, 1);
    char *md = report(fx->dir, &p, r);
    assert_null(strstr(md, "**The effect shows"));
    assert_null(strstr(md, "the effect shows at"));
    assert_null(strstr(md, "vanishes"));
    tu_assert_contains(md, "largest at m = 10 (+41.0 percentage points; no verdict)");
    tu_assert_contains(md, "one seed: no interval, so no verdict");
    tu_assert_contains(md, "With fewer than two seeds there is no verdict.");
    free(md);
    free(r);
}

/* Same plan and summaries, same bytes, whichever was written first and
 * wherever; one number changed, other bytes. */
static void test_views_are_pure_functions_of_their_inputs(void **state)
{
    fixture *fx = *state;
    sweep_plan p;
    make_plan(&p, (const char *const[]){"m=1,3", "lr=1e-4:1e-2:x10"}, 2);
    sweep_point_result *r = synthetic_results(&p, SEEDS);
    char other[sizeof fx->dir + 8];
    snprintf(other, sizeof other, "%s/again", fx->dir);
    assert_int_equal(mkdir(other, 0755), 0);
    char *svg = figure(fx->dir, &p, r), *md = report(fx->dir, &p, r);
    char *md2 = report(other, &p, r), *svg2 = figure(other, &p, r);
    assert_string_equal(svg, svg2);
    assert_string_equal(md, md2);
    free(svg2);
    free(md2);
    r[3].sum[2].acc.mean += 0.001;
    svg2 = figure(other, &p, r);
    md2 = report(other, &p, r);
    assert_string_not_equal(svg, svg2);
    assert_string_not_equal(md, md2);
    free(svg);
    free(svg2);
    free(md);
    free(md2);
    free(r);
}

/* A file that cannot be written is an error naming it, not a crash. */
static void test_views_refuse_an_unwritable_path(void **state)
{
    fixture *fx = *state;
    sweep_plan p;
    make_plan(&p, NULL, 0);
    sweep_point_result *r = synthetic_results(&p, SEEDS);
    err e;
    const char *path = tu_path(fx->dir, "no/such/sweep.svg");
    assert_int_equal(sweep_view_figure(path, &p, r, &e), -1);
    tu_assert_contains(e.msg, "no/such");
    assert_int_equal(sweep_view_report(path, &p, r, &e), -1);
    tu_assert_contains(e.msg, "no/such");
    free(r);
}

/* ---- drawn by headless Chromium ---- */

/* The figure as a browser draws it: each mark of the effect's two
 * students in its arm's colour at its centre, so the reader sees each
 * point where its mean says.  Skipped (said so) without Chromium. */
static void test_figure_renders_in_chromium(void **state)
{
    fixture *fx = *state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    int cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    sweep_plan p;
    make_plan(&p, (const char *const[]){"m=1,3,10", "width=64,256"}, 2);
    sweep_point_result *r = synthetic_results(&p, SEEDS);
    char *svg = figure(fx->dir, &p, r);
    tu_image img;
    tu_render_svg(tu_path(fx->dir, SWEEP_FIGURE), tu_path(fx->dir, "sweep.png"), &img);
    size_t n_points = sweep_n_points(&p), checked = 0;
    mark *m = calloc(n_points * n_arms, sizeof *m);
    assert_non_null(m);
    size_t n = find_marks(svg, m, n_points * n_arms);
    for (size_t i = 0; i < n; i++) {
        int a = experiment_arm_index(m[i].arm);
        if (a != same && a != cross)
            continue;
        unsigned v = (unsigned)strtoul(figures_arm_look(&arms[a], DATASET_MNIST).color + 1, NULL, 16);
        int want[3] = {(int)(v >> 16), (int)(v >> 8 & 255), (int)(v & 255)};
        const unsigned char *px = tu_pixel(&img, m[i].cx, m[i].cy);
        for (int ch = 0; ch < 3; ch++)
            if (abs(px[ch] - want[ch]) > 16)
                fail_msg("mark %s %s at (%.0f, %.0f): rgb(%d,%d,%d), want %06x", m[i].point,
                         m[i].arm, m[i].cx, m[i].cy, px[0], px[1], px[2], v);
        checked++;
    }
    assert_int_equal(checked, 2 * n_points);
    free(m);
    free(svg);
    free(img.rows);
    free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_figure_marks_match_the_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_of_one_axis_and_of_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_is_bounded_and_draws_only_what_ran, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_report_says_the_plan_the_numbers_and_the_reading,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_with_one_seed_gives_no_verdict, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_views_are_pure_functions_of_their_inputs, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_views_refuse_an_unwritable_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_renders_in_chromium, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
