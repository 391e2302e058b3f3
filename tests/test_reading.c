/* Tests of out/reading: the verdict on the same-init against the other-init
 * student follows the intervals, and the words and table cells say the
 * numbers they are given, and table cells stay cells. */
#include "testutil.h"

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
    tu_assert_contains(text, "x 53.1%, y 20.0%; with fewer than two seeds");
    free(text);
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
    assert_string_equal(text, " | 3 | 0.5000 | ±0.2500 | 0.2500 | 0.7500 | 0 | – | – | – | –");
    free(text);
    f = tmpfile();
    assert_non_null(f);
    reading_md_cell(f, "a|b\\c");
    text = written(f);
    assert_string_equal(text, "a\\|b\\\\c");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdict_follows_the_intervals),
        cmocka_unit_test(test_compare_says_the_numbers),
        cmocka_unit_test(test_arm_cells),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
