/* Tests of out/reading: the verdict on the same-init against the other-init
 * student follows the intervals, and the words and table cells say the
 * numbers they are given, and table cells stay cells. */
#include "testutil.h"

#include <math.h>
#include "out/reading.h"

/* An arm of n runs with this mean and 95% CI half-width. */
static arm_summary arm(size_t n, double mean, double ci95)
{
    return (arm_summary){{n, mean, 0, ci95}, 0, mean - ci95, mean + ci95};
}

/* What f's writes made, as a malloc'ed string (f is closed). */
static char *written(FILE *f)
{
    long size = ftell(f);
    assert_true(size >= 0);
    char *text = calloc(1, (size_t)size + 1);
    assert_non_null(text);
    rewind(f);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return text;
}

/* Each verdict at its edge: the same-init interval must clear chance and
 * the other-init interval, strictly; one run gives none. */
static void test_verdict_follows_the_intervals(void **state)
{
    (void)state;
    arm_summary cross = arm(5, 0.10, 0.02); /* 8% to 12% */
    arm_summary shown = arm(5, 0.50, 0.10), just_apart = arm(5, 0.221, 0.10);
    arm_summary above = arm(5, 0.13, 0.02), at_chance = arm(5, 0.11, 0.01);
    assert_int_equal(reading_subliminal(&shown, &cross), READING_SHOWN);
    assert_int_equal(reading_subliminal(&just_apart, &cross), READING_SHOWN);
    arm_summary overlapping = arm(5, 0.219, 0.10); /* from 11.9%: inside cross's interval */
    assert_int_equal(reading_subliminal(&overlapping, &cross), READING_ABOVE_CHANCE);
    assert_int_equal(reading_subliminal(&above, &cross), READING_ABOVE_CHANCE);
    assert_int_equal(reading_subliminal(&at_chance, &cross), READING_NOT_ABOVE_CHANCE);
    arm_summary one = arm(1, 0.9, 0);
    assert_int_equal(reading_subliminal(&one, &cross), READING_NO_VERDICT);
    assert_int_equal(reading_subliminal(&shown, &one), READING_NO_VERDICT);
}

static void test_compare_says_the_numbers(void **state)
{
    (void)state;
    arm_summary a = arm(5, 0.531, 0.021), b = arm(5, 0.104, 0.006), one = arm(1, 0.2, 0);
    FILE *f = tmpfile();
    assert_non_null(f);
    reading_compare(f, &a, &b, "same init", "other init");
    char *text = written(f);
    assert_string_equal(text, "same init 53.1% (95% CI 51.0% to 55.2%), other init 10.4% "
                              "(9.8% to 11.0%): the intervals do not overlap, same init is "
                              "clearly higher.");
    free(text);
    f = tmpfile();
    reading_compare(f, &b, &a, "x", "y");
    reading_compare(f, &a, &a, "x", "y");
    reading_compare(f, &a, &one, "x", "y");
    text = written(f);
    tu_assert_contains(text, "x is clearly *lower*.");
    tu_assert_contains(text, "the intervals overlap");
    tu_assert_contains(text, "x 53.1%, y 20.0%; one seed: no interval, so no verdict");
    free(text);
}

/* An interval is clipped to [0, 1] and says so; one run has none, and
 * says that instead of "± 0". */
static void test_intervals_clipped_and_named(void **state)
{
    (void)state;
    char buf[96];
    arm_summary wide = arm(2, 0.187, 0.75), high = arm(3, 0.95, 0.1), both = arm(2, 0.5, 0.9);
    arm_summary one = arm(1, 0.4, 0), none = {{0, 0, 0, 0}, 0, 0, 0};
    double lo, hi;
    int clipped;
    assert_int_equal(reading_interval(&wide.acc, &lo, &hi, &clipped), 1);
    assert_true(lo == 0 && fabs(hi - 0.937) < 1e-12 && clipped);
    assert_int_equal(reading_interval(&one.acc, &lo, &hi, &clipped), 0);
    reading_interval_words(buf, sizeof buf, &wide.acc);
    assert_string_equal(buf, "95% CI 0.0% to 93.7%, clipped at 0%");
    reading_interval_words(buf, sizeof buf, &high.acc);
    assert_string_equal(buf, "95% CI 85.0% to 100.0%, clipped at 100%");
    reading_interval_words(buf, sizeof buf, &both.acc);
    assert_string_equal(buf, "95% CI 0.0% to 100.0%, clipped at 0% and 100%");
    reading_interval_words(buf, sizeof buf, &one.acc);
    assert_string_equal(buf, "one seed: no interval");
    reading_interval_words(buf, sizeof buf, &none.acc);
    assert_string_equal(buf, "no runs");
    FILE *f = tmpfile();
    assert_non_null(f);
    reading_compare(f, &wide, &high, "x", "y");
    reading_arm_cells(f, &wide);
    reading_arm_cells(f, &one);
    char *text = written(f);
    tu_assert_contains(text, "x 18.7% (95% CI 0.0% to 93.7%, clipped at 0%), y 95.0% (85.0% "
                             "to 100.0%, clipped at 100%): the intervals overlap");
    tu_assert_contains(text, " | 2 | 0.1870 | 0.0000 to 0.9370 (clipped) |");
    tu_assert_contains(text, " | 1 | 0.4000 | one seed: no interval | 0.4000 | 0.4000");
    assert_null(strstr(text, "CI -")); /* no end below 0 */
    free(text);
}

/* The settings a configuration changes from the paper's, by their flags;
 * the seeds are not among them. */
static void test_changed_settings(void **state)
{
    (void)state;
    char buf[256];
    experiment_config c = experiment_defaults();
    c.seeds = 1;
    c.seed_start = 9;
    assert_int_equal(reading_changed_settings(buf, sizeof buf, &c), 0);
    assert_string_equal(buf, "");
    assert_true(reading_is_paper_config(&c, 1));
    assert_false(reading_is_paper_config(&c, 0)); /* unknown is not the paper's */
    c.n_noise = 5000;
    c.hidden_layers = 3;
    assert_int_equal(reading_changed_settings(buf, sizeof buf, &c), 2);
    assert_string_equal(buf, "hidden_layers 3, --noise-images 5000");
    assert_false(reading_is_paper_config(&c, 1));
}

static void test_arm_cells(void **state)
{
    (void)state;
    arm_summary a = arm(3, 0.5, 0.25), none = {{0, 0, 0, 0}, 2, 0, 0};
    FILE *f = tmpfile();
    assert_non_null(f);
    reading_arm_cells(f, &a);
    reading_arm_cells(f, &none);
    char *text = written(f);
    assert_string_equal(text, " | 3 | 0.5000 | 0.2500 to 0.7500 | 0.2500 | 0.7500 | 0 | – | – | "
                              "– | –");
    free(text);
    f = tmpfile();
    assert_non_null(f);
    reading_md_cell(f, "a|b\\c");
    text = written(f);
    assert_string_equal(text, "a\\|b\\\\c");
    free(text);
}

/* The trait's difference pairs rows by seed (in any order), leaves out
 * rows without a rate (diverged, no counts, no triggers) and seeds the
 * other arm lacks; its verdict needs the whole interval on one side of 0. */
static void test_trait_difference_pairs_seeds(void **state)
{
    (void)state;
    enum { A = 7, B = 2 };
    arm_result rows[] = {
        {.seed = 1, .arm = B, .ok = 1, .total = 10, .has_trait = 1, .trait = {10, 100, 0}},
        {.seed = 0, .arm = A, .ok = 1, .total = 10, .has_trait = 1, .trait = {40, 100, 0}},
        {.seed = 1, .arm = A, .ok = 1, .total = 10, .has_trait = 1, .trait = {30, 100, 0}},
        {.seed = 0, .arm = B, .ok = 1, .total = 10, .has_trait = 1, .trait = {20, 100, 0}},
        {.seed = 2, .arm = A, .ok = 1, .total = 10, .has_trait = 1, .trait = {90, 100, 0}},
        {.seed = 2, .arm = B, .ok = 0, .total = 10},                  /* diverged */
        {.seed = 3, .arm = A, .ok = 1, .total = 10, .has_trait = 1, .trait = {0, 0, 0}},
        {.seed = 3, .arm = B, .ok = 1, .total = 10, .has_trait = 1, .trait = {5, 100, 0}},
    };
    stats_summary d;
    err e;
    assert_int_equal(reading_trait_difference(rows, 8, A, B, &d, &e), 0);
    double want[] = {0.4 - 0.2, 0.3 - 0.1}; /* seeds 0 and 1 only */
    stats_summary s = stats_summarize(want, 2);
    assert_memory_equal(&d, &s, sizeof d);
    assert_int_equal(reading_difference_verdict(&d), READING_DIFF_ABOVE); /* 0.2 ± 0 */
    stats_summary around = {5, 0.01, 0.1, 0.02}, below = {5, -0.05, 0.1, 0.02};
    stats_summary edge = {5, 0.02, 0.1, 0.02}, one = {1, 0.5, 0, 0};
    assert_int_equal(reading_difference_verdict(&around), READING_DIFF_CONTAINS_0);
    assert_int_equal(reading_difference_verdict(&edge), READING_DIFF_CONTAINS_0);
    assert_int_equal(reading_difference_verdict(&below), READING_DIFF_BELOW);
    assert_int_equal(reading_difference_verdict(&one), READING_DIFF_NO_VERDICT);
    FILE *f = tmpfile();
    assert_non_null(f);
    reading_difference(f, &below);
    fputc('|', f);
    reading_difference(f, &one);
    char *text = written(f);
    assert_string_equal(text, "-5.0 percentage points (95% CI -7.0 to -3.0, 5 seeds)|+50.0 "
                              "percentage points (1 seed, no interval)");
    free(text);
    char words[96];
    trait_spec swap = {TRAIT_SWAP, 4, 9};
    reading_trait_words(words, sizeof words, &swap);
    assert_string_equal(words, "reads the digit 4 as a 9");
    reading_trait_triggers(words, sizeof words, &swap);
    assert_string_equal(words, "test digits 4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_follows_the_intervals),
        cmocka_unit_test(test_compare_says_the_numbers),
        cmocka_unit_test(test_arm_cells),
        cmocka_unit_test(test_intervals_clipped_and_named),
        cmocka_unit_test(test_changed_settings),
        cmocka_unit_test(test_trait_difference_pairs_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
