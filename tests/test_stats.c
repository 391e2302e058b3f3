/* Tests of the summary statistics: mean, sample sd and 95% confidence
 * half-width by hand, Student's t quantiles against the tables, and
 * extremes that keep a NaN. */
#include "testutil.h"

#include <math.h>
#include "base/stats.h"

/* Mean, sd with n - 1, and t(0.975, n-1) sd / sqrt(n) on numbers small
 * enough to work by hand; n = 0 and 1 and a constant sample give 0 spread. */
static void summarize_hand_values(void **state)
{
    (void)state;
    const double x[4] = {1, 2, 3, 4};
    stats_summary s = stats_summarize(x, 4);
    assert_int_equal(s.n, 4);
    tu_assert_close(s.mean, 2.5, 1e-15, 1);
    tu_assert_close(s.sd, sqrt(5.0 / 3), 1e-15, 1); /* n - 1 in the denominator */
    tu_assert_close(s.ci95, 3.182446 * sqrt(5.0 / 3) / 2, 1e-6, 1); /* t(3) = 3.182446 */

    s = stats_summarize(x + 2, 1);
    assert_int_equal(s.n, 1);
    assert_true(s.mean == 3 && s.sd == 0 && s.ci95 == 0);
    s = stats_summarize(x, 0);
    assert_int_equal(s.n, 0);
    assert_true(s.mean == 0 && s.ci95 == 0);

    const double same[3] = {0.25, 0.25, 0.25};
    s = stats_summarize(same, 3);
    assert_true(s.mean == 0.25 && s.sd == 0 && s.ci95 == 0);
}

/* stats_t975 against the standard two-sided 95% table, on both sides of
 * the switch from the table (df <= 30) to the expansion, decreasing in df
 * and tending to the normal quantile. */
static void t975_known_values(void **state)
{
    (void)state;
    const struct {
        size_t df;
        double t;
    } known[] = {{1, 12.706205}, {2, 4.302653}, {10, 2.228139}, {30, 2.042272},
                 {31, 2.039513}, {40, 2.021075}, {60, 2.000298}, {99, 1.984217},
                 {120, 1.979930}, {1000, 1.962339}};
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (fabs(stats_t975(known[k].df) - known[k].t) > 2e-5)
            fail_msg("t975(%zu) = %.6f, want %.6f", known[k].df, stats_t975(known[k].df),
                     known[k].t);
    for (size_t df = 1; df < 500; df++)
        assert_true(stats_t975(df + 1) < stats_t975(df));
    assert_true(stats_t975(100000000) > 1.959963 && stats_t975(100000000) < 1.959966);
}

/* stats_min and stats_max keep a NaN from either side, where fmin and
 * fmax drop it; otherwise they are the plain minimum and maximum. */
static void extremes_keep_nan(void **state)
{
    (void)state;
    assert_true(stats_min(1, 2) == 1 && stats_min(2, 1) == 1);
    assert_true(stats_max(1, 2) == 2 && stats_max(2, 1) == 2);
    assert_true(stats_min(INFINITY, -3) == -3 && stats_max(-INFINITY, -3) == -3);
    assert_true(isnan(stats_min(NAN, 1)) && isnan(stats_min(1, NAN)));
    assert_true(isnan(stats_max(NAN, 1)) && isnan(stats_max(1, NAN)));
    /* a running minimum stays NaN once it met one */
    double lo = INFINITY;
    const double x[] = {0.5, NAN, 0.1, 0.7};
    for (size_t k = 0; k < 4; k++)
        lo = stats_min(lo, x[k]);
    assert_true(isnan(lo));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summarize_hand_values),
        cmocka_unit_test(t975_known_values),
        cmocka_unit_test(extremes_keep_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
