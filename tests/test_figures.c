/* Tests of out/figures: figure.svg (well-formed SVG, one bar per arm, its
 * height proportional to the arm's mean accuracy, rasterized by headless
 * Chromium where it can be had), curves.svg, and how each arm is shown.
 * Synthetic result folders only: no MNIST needed. */
#include "testutil.h"
#include "tu_folder.h"
#include "tu_svg.h"

#include <math.h>
#include "out/figures.h"
#include "out/folder.h"
#include "out/results.h"
#include "run/experiment.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

/* The checker itself: the figures are only as well checked as it is, so it
 * must pass good XML and name each kind of breakage. */
static void test_xml_checker_catches_errors(void **state)
{
    (void)state;
    assert_null(tu_xml_problem("<?xml version=\"1.0\"?>\n<svg a=\"1\"><g><text>a &amp; b</text>"
                            "</g><!-- x --><rect/></svg>\n",
                            "svg"));
    static const struct {
        const char *xml, *why;
    } bad[] = {
        {"<svg><g></svg>", "closes <g>"},
        {"<svg><g>", "never closed"},
        {"<svg></svg></g>", "nothing open"},
        {"<svg>a & b</svg>", "bare '&'"},
        {"<svg a=1></svg>", "bad attribute"},
        {"<svg a=\"1\" a=\"2\"></svg>", "twice"},
        {"<svg a=\"x<y\"></svg>", "'<' in an attribute"},
        {"<svg a=\"1", "unterminated attribute"},
        {"<svg></svg><svg></svg>", "second root"},
        {"<html></html>", "root is <html>"},
        {"x<svg></svg>", "outside the root"},
        {"", "no root"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = tu_xml_problem(bad[i].xml, "svg");
        if (!why)
            fail_msg("the checker passed \"%s\"", bad[i].xml);
        tu_assert_contains(why, bad[i].why);
    }
}

typedef struct {
    const char *tag; /* where its <rect starts in the SVG */
    char arm[32];
    double mean, x, y, w, h;
} bar_box;

/* Every <rect class="bar"> of an SVG, in order. */
static size_t find_bars(const char *svg, bar_box *bars, size_t max)
{
    size_t n = 0;
    for (const char *p = svg; (p = strstr(p, "<rect class=\"bar\"")); p++) {
        assert_true(n < max);
        bar_box *b = &bars[n++];
        b->tag = p;
        assert_int_equal(tu_attr(p, "data-arm", b->arm, sizeof b->arm), 0);
        b->mean = tu_attr_num(p, "data-mean");
        b->x = tu_attr_num(p, "x");
        b->y = tu_attr_num(p, "y");
        b->w = tu_attr_num(p, "width");
        b->h = tu_attr_num(p, "height");
    }
    return n;
}

/* The y of the grid line for value v. */
static double grid_y(const char *svg, const char *v)
{
    char key[64];
    snprintf(key, sizeof key, "<line class=\"grid\" data-value=\"%s\"", v);
    const char *p = strstr(svg, key);
    if (!p)
        fail_msg("no grid line for %s", v);
    return tu_attr_num(p, "y1");
}

/* ---- the figures ---- */

/* figure.svg from a folder's files: one bar per arm in table order, at the
 * mean of that arm's rows (computed here from results.csv, not by the code
 * under test), standing on the 0 line with a height proportional to the
 * mean; a dot per seed, CIs, paper markers, chance, the configuration.
 * curves.svg: a loss and an accuracy line per trained arm. */
static void test_figure_bars_match_accuracy(void **state)
{
    fixture *fx = *state;
    uint64_t seeds[] = {0, 1, 2, 3, 4};
    experiment_config cfg = tu_small_config();
    tu_make_folder(fx->dir, seeds, 5, &cfg, TU_CURVES_CSV); /* no run.txt: not the figures' */
    folder f;
    folder_content c;
    err e;
    assert_int_equal(folder_open(&f, fx->dir, 0, &e), 0);
    assert_int_equal(folder_read(&f, &c, &e), 0);
    assert_int_equal(figures_write_bars(&c, tu_path(fx->dir, FOLDER_FIGURE), &e), 0);
    assert_int_equal(figures_write_curves(&c, tu_path(fx->dir, FOLDER_CURVES_FIGURE), &e), 0);
    folder_close(&f);

    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    tu_assert_well_formed(svg, "svg");
    /* A bar per arm the configuration runs, in table order. */
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&cfg, which);
    const arm_spec *arms = experiment_arms(&(size_t){0});
    bar_box bars[EXPERIMENT_MAX_ARMS];
    assert_int_equal(find_bars(svg, bars, EXPERIMENT_MAX_ARMS), n_arms);
    double mean[EXPERIMENT_MAX_ARMS] = {0};
    for (size_t i = 0; i < c.n_rows; i++)
        mean[c.rows[i].arm] += (double)c.rows[i].correct / (double)c.rows[i].total / 5.0;
    double y0 = grid_y(svg, "0.0"), y1 = grid_y(svg, "1.0");
    assert_true(y0 - y1 > 200); /* a readable plot */
    size_t bar_of[EXPERIMENT_MAX_ARMS] = {0}; /* arm -> its bar */
    for (size_t i = 0; i < n_arms; i++) {
        size_t a = which[i];
        bar_of[a] = i;
        assert_string_equal(bars[i].arm, arms[a].name);
        tu_assert_close(bars[i].mean, mean[a], 1e-5, 1e-6);
        if (fabs(bars[i].y + bars[i].h - y0) > 0.02)
            fail_msg("bar %s ends at %.2f, the 0 line is at %.2f", bars[i].arm,
                     bars[i].y + bars[i].h, y0);
        if (fabs(bars[i].h - mean[a] * (y0 - y1)) > 0.02)
            fail_msg("bar %s: height %.2f for mean %.4f, want %.2f", bars[i].arm, bars[i].h,
                     mean[a], mean[a] * (y0 - y1));
    }
    /* Heights proportional to accuracy: teacher against aux_same. */
    size_t t = experiment_teacher_arm();
    int s = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    assert_true(s >= 0);
    tu_assert_close(bars[bar_of[t]].h / bars[bar_of[s]].h, mean[t] / mean[s], 1e-3, 0);

    assert_int_equal(tu_count(svg, "<circle class=\"seed\""), 5 * n_arms + 1); /* + legend's */
    assert_int_equal(tu_count(svg, "<g class=\"ci\""), n_arms);
    assert_int_equal(tu_count(svg, "<g class=\"ci-key\""), 1);
    tu_assert_contains(svg, "class=\"chance\"");
    tu_assert_contains(svg, "stroke-dasharray");
    tu_assert_contains(svg, "MLP 2×64");
    tu_assert_contains(svg, "Adam lr 0.0003");
    tu_assert_contains(svg, "5 seeds");
    assert_null(strstr(svg, "Dots:")); /* every dot drawn: no note */
    /* Width 64 and 3 epochs are not the paper's: said, and no paper marker. */
    assert_int_equal(tu_count(svg, "<path class=\"paper\""), 0);
    assert_null(strstr(svg, "paper (Cloud"));
    tu_assert_contains(svg, "not the paper's settings, so its values are not drawn; "
                            "changed: --epochs 3, --student-epochs 3, --width 64");
    /* θ0, θ0′ and the auxiliary logits in words; no bare "arm". */
    tu_assert_contains(svg, "θ0: the random start the teacher was trained from");
    tu_assert_contains(svg, "θ0′: a different random start");
    tu_assert_contains(svg, "aux logits: the 3 extra outputs the teacher was never trained on");
    assert_null(strstr(svg, " arm"));
    free(svg);

    char *curves = tu_slurp(tu_path(fx->dir, FOLDER_CURVES_FIGURE), NULL);
    tu_assert_well_formed(curves, "svg");
    size_t trained = 0;
    for (size_t i = 0; i < n_arms; i++)
        trained += experiment_arm_epochs(&cfg, &arms[which[i]]) > 0;
    assert_int_equal(tu_count(curves, "<polyline class=\"series\""), 2 * trained);
    tu_assert_contains(curves, "mean over 5 seeds");
    free(curves);
    folder_content_free(&c);
}

/* The paper's configuration (every science setting at its default; seeds
 * are not science): the paper's value beside every bar the paper has one
 * for, in the legend too, and the subtitle says it is the paper's. */
static void test_paper_markers_only_for_the_papers_settings(void **state)
{
    fixture *fx = *state;
    uint64_t seeds[] = {0, 1, 2};
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 3;
    cfg.seed_start = 7;
    tu_make_folder(fx->dir, seeds, 3, &cfg, 0);
    tu_regenerate_ok(fx->dir);
    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&cfg, which), n_paper = 0;
    const arm_spec *arms = experiment_arms(&(size_t){0});
    for (size_t i = 0; i < n_arms; i++)
        n_paper += !isnan(arms[which[i]].paper_mean);
    assert_true(n_paper > 0);
    assert_int_equal(tu_count(svg, "<path class=\"paper\""), n_paper + 1); /* + legend's */
    tu_assert_contains(svg, "paper (Cloud et al. 2025)");
    tu_assert_contains(svg, " · the paper's settings");
    assert_null(strstr(svg, "not the paper"));
    free(svg);
    char *md = tu_slurp(tu_path(fx->dir, FOLDER_REPORT), NULL);
    assert_null(strstr(md, "Not the paper's settings"));
    tu_assert_contains(md, "triangles the paper's values");
    free(md);

    /* One setting off the paper's (here --noise-images): no marker, and named. */
    cfg.n_noise = 5000;
    tu_make_folder(fx->dir, seeds, 3, &cfg, 0);
    tu_regenerate_ok(fx->dir);
    svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    assert_int_equal(tu_count(svg, "<path class=\"paper\""), 0);
    tu_assert_contains(svg, "changed: --noise-images 5000");
    free(svg);
    md = tu_slurp(tu_path(fx->dir, FOLDER_REPORT), NULL);
    tu_assert_contains(md, "**Not the paper's settings:** this run changed --noise-images 5000");
    assert_null(strstr(md, "triangles the paper's values"));
    free(md);
}

/* The seeds of every arm at two accuracies far apart: the t interval of
 * two seeds reaches past 0 and 1, and is drawn clipped to the axis, said
 * under each bar, in the legend, and in report.md's table and text. */
static void test_intervals_are_clipped(void **state)
{
    fixture *fx = *state;
    experiment_config def = experiment_defaults();
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&def, which);
    arm_result rows[2 * EXPERIMENT_MAX_ARMS];
    for (size_t s = 0; s < 2; s++)
        for (size_t i = 0; i < n_arms; i++)
            rows[s * n_arms + i] = (arm_result){.seed = s, .arm = which[i], .ok = 1,
                                                .correct = s ? 9500 : 500, .total = TU_TOTAL};
    err e;
    assert_int_equal(results_write_csv(tu_path(fx->dir, FOLDER_RESULTS), rows, 2 * n_arms, &e),
                     0);
    tu_regenerate_ok(fx->dir);
    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    tu_assert_well_formed(svg, "svg");
    assert_int_equal(tu_count(svg, "<g class=\"ci\" data-low=\"0.000000\" "
                                   "data-high=\"1.000000\" data-clipped=\"1\">"),
                     n_arms);
    assert_int_equal(tu_count(svg, ">n = 2, CI clipped</text>"), n_arms);
    tu_assert_contains(svg, "95% CI of the mean (cut at 0 and 1)");
    free(svg);
    char *md = tu_slurp(tu_path(fx->dir, FOLDER_REPORT), NULL);
    tu_assert_contains(md, "| 0.5000 | 0.0000 to 1.0000 (clipped) |");
    tu_assert_contains(md, "(95% CI 0.0% to 100.0%, clipped at 0% and 100%)");
    assert_null(strstr(md, "CI -"));
    free(md);
}

/* A folder with results.csv alone, one seed, and an arm whose row
 * diverged: that arm says "no data", the diverged row is counted, and the
 * missing config.txt and run.txt are said, not guessed. */
static void test_figure_without_rows_for_an_arm(void **state)
{
    fixture *fx = *state;
    experiment_config def = experiment_defaults(); /* no config.txt: the default's arms */
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&def, which);
    const arm_spec *arms = experiment_arms(&(size_t){0});
    int aux_same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    assert_true(aux_same >= 0);
    arm_result rows[EXPERIMENT_MAX_ARMS];
    for (size_t i = 0; i < n_arms; i++)
        rows[i] = (arm_result){.seed = 0, .arm = which[i], .ok = which[i] != (size_t)aux_same,
                               .correct = 9000, .total = TU_TOTAL};
    err e;
    assert_int_equal(results_write_csv(tu_path(fx->dir, FOLDER_RESULTS), rows, n_arms, &e), 0);
    tu_regenerate_ok(fx->dir);
    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    tu_assert_well_formed(svg, "svg");
    bar_box bars[EXPERIMENT_MAX_ARMS];
    assert_int_equal(find_bars(svg, bars, EXPERIMENT_MAX_ARMS), n_arms - 1);
    for (size_t b = 0; b < n_arms - 1; b++)
        assert_string_not_equal(bars[b].arm, arms[aux_same].name);
    tu_assert_contains(svg, "no data");
    tu_assert_contains(svg, "1 diverged");
    tu_assert_contains(svg, "configuration not recorded");
    /* One seed: no interval drawn, and said so (under a bar, in the legend). */
    assert_int_equal(tu_count(svg, "<g class=\"ci\""), 0);
    assert_int_equal(tu_count(svg, "<g class=\"ci-key\""), 0);
    tu_assert_contains(svg, ">one seed per bar: no interval</text>");
    assert_int_equal(tu_count(svg, ">n = 1: no interval</text>"), n_arms - 1);
    assert_int_equal(tu_count(svg, "<path class=\"paper\""), 0); /* settings unknown */
    free(svg);
    char *json = tu_slurp(tu_path(fx->dir, FOLDER_SUMMARY), NULL);
    assert_int_equal(tu_count(json, "\"ci95\": null"), n_arms);
    assert_null(strstr(json, "\"ci95\": 0"));
    free(json);
    /* No curves.csv: no curves.svg either. */
    assert_int_not_equal(access(tu_path(fx->dir, FOLDER_CURVES_FIGURE), F_OK), 0);
    char *md = tu_slurp(tu_path(fx->dir, FOLDER_REPORT), NULL);
    tu_assert_contains(md, "not recorded (this folder has no `config.txt`)");
    tu_assert_contains(md, "not recorded (no `run.txt`)");
    tu_assert_contains(md, "1 run diverged");
    tu_assert_contains(md, "| 1 | 0.9000 | one seed: no interval | 0.9000 | 0.9000 |");
    assert_null(strstr(md, "±0"));
    assert_null(strstr(md, "](curves.svg)"));
    free(md);
}

/* figure.svg of n_seeds seeds, every arm of seed s at 1000 + (7919 s mod
 * 8001) correct of TU_TOTAL (0.1 for seed 0), but seed 1 at 0.9; rows in
 * seed order or reversed.  Its text, malloc'ed; *size its bytes. */
static char *figure_of_many_seeds(const char *dir, size_t n_seeds, int reversed, size_t *size)
{
    experiment_config def = experiment_defaults(); /* no config.txt: the default's arms */
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&def, which);
    size_t n = n_seeds * n_arms;
    arm_result *rows = calloc(n, sizeof *rows);
    assert_non_null(rows);
    for (size_t i = 0; i < n; i++) {
        uint64_t seed = i / n_arms;
        rows[reversed ? n - 1 - i : i] = (arm_result){
            .seed = seed, .arm = which[i % n_arms], .ok = 1, .total = TU_TOTAL,
            .correct = seed == 1 ? 9000 : 1000 + (size_t)(seed * 7919 % 8001)};
    }
    err e;
    assert_int_equal(results_write_csv(tu_path(dir, FOLDER_RESULTS), rows, n, &e), 0);
    free(rows);
    tu_regenerate_ok(dir);
    return tu_slurp(tu_path(dir, FOLDER_FIGURE), size);
}

/* Beyond FIGURES_MAX_DOTS seeds a bar draws that many dots, the lowest and
 * the highest accuracy among them, and a note under the chart says so; the
 * file does not grow with the seeds (a 100 MB results.csv gave a 267 MB
 * figure), and the rows' order does not change a byte. */
static void test_figure_size_is_bounded(void **state)
{
    fixture *fx = *state;
    experiment_config def = experiment_defaults();
    size_t small, large, n_arms = experiment_arms_run(&def, NULL);
    char *svg = figure_of_many_seeds(fx->dir, 2 * FIGURES_MAX_DOTS, 0, &small);
    tu_assert_well_formed(svg, "svg");
    assert_int_equal(tu_count(svg, "<circle class=\"seed\""), n_arms * FIGURES_MAX_DOTS + 1);
    char want[96];
    snprintf(want, sizeof want, "Dots: at most %d per arm of the %d seeds", FIGURES_MAX_DOTS,
             2 * FIGURES_MAX_DOTS);
    tu_assert_contains(svg, want);
    snprintf(want, sizeof want, "n = %d", 2 * FIGURES_MAX_DOTS);
    tu_assert_contains(svg, want);
    const char *extremes[] = {"0.1", "0.9"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(want, sizeof want, " cy=\"%.1f\"", grid_y(svg, extremes[k]));
        if (tu_count(svg, want) != n_arms)
            fail_msg("%zu dots at accuracy %s, want one per arm", tu_count(svg, want),
                     extremes[k]);
    }
    char *reversed = figure_of_many_seeds(fx->dir, 2 * FIGURES_MAX_DOTS, 1, NULL);
    assert_string_equal(svg, reversed);
    free(reversed);
    free(svg);

    svg = figure_of_many_seeds(fx->dir, 4 * FIGURES_MAX_DOTS, 0, &large);
    assert_int_equal(tu_count(svg, "<circle class=\"seed\""), n_arms * FIGURES_MAX_DOTS + 1);
    if (large > small + 1000 || large > 1000000)
        fail_msg("figure.svg: %zu bytes for %d seeds, %zu for %d", small,
                 2 * FIGURES_MAX_DOTS, large, 4 * FIGURES_MAX_DOTS);
    free(svg);
}

/* An arm's look follows what the arm is, not its name: a new row of the
 * arm table shaped like an existing arm looks like it; and every arm of
 * the table is told apart (its own colour, its own label and note). */
static void test_arm_looks_follow_what_the_arm_is(void **state)
{
    (void)state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    for (size_t a = 0; a < n_arms; a++) {
        arm_look la = figures_arm_look(&arms[a], DATASET_MNIST);
        assert_non_null(la.label);
        assert_non_null(la.what);
        assert_int_equal(strlen(la.color), 7);
        assert_int_equal(la.color[0], '#');
        /* Students are grouped under one heading; the others stand alone. */
        assert_int_equal(la.group != NULL, arms[a].training == ARM_STUDENT);
        for (size_t b = 0; b < a; b++) {
            arm_look lb = figures_arm_look(&arms[b], DATASET_MNIST);
            assert_string_not_equal(la.color, lb.color);
            if (strcmp(la.label, lb.label) == 0)
                assert_string_not_equal(la.note, lb.note);
        }
        arm_spec renamed = arms[a];
        renamed.name = "a_new_arm";
        arm_look lr = figures_arm_look(&renamed, DATASET_MNIST);
        assert_string_equal(lr.color, la.color);
        assert_string_equal(lr.label, la.label);
    }
}

/* ---- rasterized by headless Chromium ---- */

/* Checks the bars of svg as img shows them: each filled with its arm's
 * colour inside (left of its middle, clear of the dots and the whisker),
 * and background just above its top; returns how many pixels it checked. */
static size_t check_rendered_bars(const char *svg, const tu_image *img, const bar_box *bars,
                                  size_t n)
{
    /* The chart sits in a group moved down under a subtitle of several
     * lines: its coordinates are in that group's frame. */
    const char *shift = strstr(svg, "<g transform=\"translate(0 ");
    double dy = shift ? strtod(shift + strlen("<g transform=\"translate(0 "), NULL) : 0;
    double chance_y = tu_attr_num(strstr(svg, "<line class=\"chance\""), "y1") + dy;
    double top = grid_y(svg, "1.0") + dy;
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        const bar_box *b = &bars[i];
        char fill[16];
        assert_int_equal(tu_attr(b->tag, "fill", fill, sizeof fill), 0);
        unsigned v = (unsigned)strtoul(fill + 1, NULL, 16);
        int want[3] = {(int)(v >> 16), (int)(v >> 8 & 255), (int)(v & 255)};
        double x = b->x + 0.1 * b->w;
        for (int k = 1; k <= 3; k++) {
            double y = b->y + dy + b->h * k / 4.0;
            if (fabs(y - chance_y) < 4)
                continue;
            const unsigned char *px = tu_pixel(img, x, y);
            for (int ch = 0; ch < 3; ch++)
                if (abs(px[ch] - want[ch]) > 12)
                    fail_msg("bar %zu (%s) at (%.0f, %.0f): rgb(%d,%d,%d), want %s", i, b->arm,
                             x, y, px[0], px[1], px[2], fill);
            checked++;
        }
        /* Just above the bar's top: the background (white or a light grid
         * line). */
        double above = b->y + dy - 5;
        if (above > top && fabs(above - chance_y) >= 4) {
            const unsigned char *px = tu_pixel(img, x, above);
            if (px[0] < 200 || px[1] < 200 || px[2] < 200)
                fail_msg("above bar %s at (%.0f, %.0f): rgb(%d,%d,%d), want background",
                         b->arm, x, above, px[0], px[1], px[2]);
            checked++;
        }
    }
    return checked;
}

/* The figure as a browser draws it: each bar filled with its arm's colour
 * inside, and background just above its top, so the bar the reader sees
 * ends where its mean says.  Skipped (said so) without Chromium. */
static void test_figure_renders_in_chromium(void **state)
{
    fixture *fx = *state;
    uint64_t seeds[] = {0, 1, 2};
    experiment_config cfg = tu_small_config();
    tu_make_folder(fx->dir, seeds, 3, &cfg, TU_CURVES_CSV);
    tu_regenerate_ok(fx->dir);

    tu_image img;
    tu_render_svg(tu_path(fx->dir, FOLDER_FIGURE), tu_path(fx->dir, "figure.png"), &img);
    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);

    bar_box bars[EXPERIMENT_MAX_ARMS];
    size_t n = find_bars(svg, bars, EXPERIMENT_MAX_ARMS);
    assert_int_equal(n, experiment_arms_run(&cfg, NULL));
    assert_true(check_rendered_bars(svg, &img, bars, n) >= 2 * n);
    free(svg);
    free(img.rows);
}

/* With a trait, a second chart beside the accuracy chart: a bar per arm
 * at its mean trait rate (computed here from the rows), on the same 0..1
 * scale, one dot per seed, no paper marker, under its own heading and y
 * label; in Chromium each bar of both charts is its arm's colour. */
static void test_trait_panel_beside_accuracy(void **state)
{
    fixture *fx = *state;
    uint64_t seeds[] = {0, 1, 2};
    experiment_config cfg = tu_trait_config();
    tu_make_folder(fx->dir, seeds, 3, &cfg, TU_RUN_TXT);
    tu_regenerate_ok(fx->dir);
    char *svg = tu_slurp(tu_path(fx->dir, FOLDER_FIGURE), NULL);
    tu_assert_well_formed(svg, "svg");
    size_t which[EXPERIMENT_MAX_ARMS], n_arms = experiment_arms_run(&cfg, which);
    const arm_spec *arms = experiment_arms(&(size_t){0});
    bar_box bars[2 * EXPERIMENT_MAX_ARMS];
    assert_int_equal(find_bars(svg, bars, 2 * EXPERIMENT_MAX_ARMS), 2 * n_arms);
    double y0 = grid_y(svg, "0.0"), y1 = grid_y(svg, "1.0");
    for (size_t i = 0; i < n_arms; i++) {
        const bar_box *b = &bars[n_arms + i];
        double rate = 0;
        for (size_t s = 0; s < 3; s++)
            rate += round(tu_synthetic_trait(seeds[s], which[i]) * TU_TRAIT_TOTAL) /
                    TU_TRAIT_TOTAL / 3;
        assert_string_equal(b->arm, arms[which[i]].name);
        assert_true(b->x > bars[n_arms - 1].x + bars[n_arms - 1].w); /* to the right */
        tu_assert_close(b->mean, rate, 1e-5, 1e-6);
        if (fabs(b->h - rate * (y0 - y1)) > 0.02 || fabs(b->y + b->h - y0) > 0.02)
            fail_msg("trait bar %s: y %.2f height %.2f for rate %.4f", b->arm, b->y, b->h,
                     rate);
    }
    assert_int_equal(tu_count(svg, "<circle class=\"seed\""), 2 * 3 * n_arms + 1);
    /* Width 64: not the paper's settings, so no paper marker at all. */
    assert_int_equal(tu_count(svg, "<path class=\"paper\""), 0);
    tu_assert_contains(svg, ">The trait: how often each network shows it</text>");
    tu_assert_contains(svg, ">trait rate: held-out noise images classified as 3</text>");

    tu_image img;
    tu_render_svg(tu_path(fx->dir, FOLDER_FIGURE), tu_path(fx->dir, "figure.png"), &img);
    assert_true(check_rendered_bars(svg, &img, bars, 2 * n_arms) >= 4 * n_arms);
    free(svg);
    free(img.rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xml_checker_catches_errors),
        cmocka_unit_test_setup_teardown(test_figure_bars_match_accuracy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_markers_only_for_the_papers_settings, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_intervals_are_clipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_without_rows_for_an_arm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_figure_size_is_bounded, setup, teardown),
        cmocka_unit_test(test_arm_looks_follow_what_the_arm_is),
        cmocka_unit_test_setup_teardown(test_figure_renders_in_chromium, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trait_panel_beside_accuracy, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
