/* Tests of out/curves: curves.csv written and read back, its order, and
 * the rows it refuses (the figure and --resume trust what it reads).  No
 * MNIST needed. */
#include "testutil.h"

#include <math.h>
#include "out/curves.h"
#include "run/experiment.h"

typedef tu_dir fixture;
#define setup tu_dir_setup
#define teardown tu_dir_teardown

/* Written and read back, every point is the same: seeds, arms, epochs
 * exactly, the loss to its 9 significant digits, the accuracy to the 6
 * decimals written; an accuracy not measured (NaN) is written as an empty
 * field and read back as NaN. */
static void test_curves_round_trip(void **state)
{
    fixture *fx = *state;
    size_t n_arms, teacher = experiment_teacher_arm();
    const arm_spec *arms = experiment_arms(&n_arms);
    curve_point pts[] = {
        {0, teacher, 1, 2.302585093, 0.1135},
        {0, teacher, 2, 0.123456789012, 0.9},
        {0, n_arms - 1, 1, 1e-7, NAN},
        {18446744073709551615u, 0, EXPERIMENT_MAX_EPOCHS, 0.5, 1.0},
    };
    size_t n = sizeof pts / sizeof pts[0];
    const char *path = tu_path(fx->dir, "curves.csv");
    err e;
    assert_int_equal(curves_write(path, pts, n, &e), 0);
    assert_int_equal(tu_count_temporaries(fx->dir), 0);
    char *text = tu_slurp(path, NULL);
    assert_memory_equal(text, CURVES_CSV_HEADER "\n", strlen(CURVES_CSV_HEADER) + 1);
    char want[128];
    snprintf(want, sizeof want, "\n0,%s,1,1e-07,\n", arms[n_arms - 1].name);
    tu_assert_contains(text, want);
    free(text);

    curve_point *back;
    size_t n_back;
    assert_int_equal(curves_read(path, &back, &n_back, &e), 0);
    assert_int_equal(n_back, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(back[i].seed == pts[i].seed);
        assert_int_equal(back[i].arm, pts[i].arm);
        assert_int_equal(back[i].epoch, pts[i].epoch);
        tu_assert_close(back[i].loss, pts[i].loss, 5e-9, 0); /* %.9g */
        if (isnan(pts[i].test_acc))
            assert_true(isnan(back[i].test_acc));
        else
            tu_assert_close(back[i].test_acc, pts[i].test_acc, 1e-6, 1);
    }
    free(back);

    /* No points: the header alone, read back as an array of none. */
    assert_int_equal(curves_write(path, NULL, 0, &e), 0);
    assert_int_equal(curves_read(path, &back, &n_back, &e), 0);
    assert_int_equal(n_back, 0);
    assert_non_null(back);
    free(back);
}

/* curves_sort orders by seed, then arm, then epoch, whatever order the
 * points came in (threads finish arms in any order). */
static void test_curves_sort(void **state)
{
    (void)state;
    curve_point pts[] = {
        {2, 1, 1, 0, 0}, {1, 3, 2, 0, 0}, {1, 3, 1, 0, 0}, {1, 0, 5, 0, 0},
        {10, 0, 1, 0, 0}, {1, 1, 1, 0, 0}, {2, 0, 3, 0, 0},
    };
    size_t n = sizeof pts / sizeof pts[0];
    curves_sort(pts, n);
    for (size_t i = 1; i < n; i++) {
        const curve_point *a = &pts[i - 1], *b = &pts[i];
        int ordered = a->seed < b->seed ||
                      (a->seed == b->seed &&
                       (a->arm < b->arm || (a->arm == b->arm && a->epoch < b->epoch)));
        if (!ordered)
            fail_msg("point %zu (seed %llu arm %zu epoch %zu) before (seed %llu arm %zu "
                     "epoch %zu)",
                     i - 1, (unsigned long long)a->seed, a->arm, a->epoch,
                     (unsigned long long)b->seed, b->arm, b->epoch);
    }
    assert_true(pts[0].seed == 1 && pts[0].arm == 0 && pts[0].epoch == 5);
    assert_true(pts[n - 1].seed == 10);
    curves_sort(NULL, 0); /* no points: nothing to do, no crash */
}

/* What is not a curves.csv sublim wrote is refused, naming file and line:
 * a bad header, a row with too few or too many fields, an unknown arm, a
 * signed, fractional or zero epoch, a loss that is not a number, an epoch
 * past EXPERIMENT_MAX_EPOCHS (the figure allocates per epoch), an
 * unterminated last line, a NUL byte; and a missing file. */
static void test_curves_refuses_malformed(void **state)
{
    fixture *fx = *state;
    static const char H[] = CURVES_CSV_HEADER "\n";
    char past_max[128];
    snprintf(past_max, sizeof past_max, "%s0,teacher,%d,0.5,0.9\n", H,
             EXPERIMENT_MAX_EPOCHS + 1);
    static const char nul[] = CURVES_CSV_HEADER "\n0,teacher,1,0.5\0,0.9\n";
    const struct {
        const char *text;
        size_t len;
        const char *why;
    } bad[] = {
        {"seed,arm,epoch,loss,test_acc\n", 0, "bad header"},
        {"", 0, "bad header"},
        {CURVES_CSV_HEADER, 0, "bad header"},
        {CURVES_CSV_HEADER "\n0,teacher,1,0.5\n", 0, ":2: malformed row"},
        {CURVES_CSV_HEADER "\n0,teacher,1,0.5,0.9,1\n", 0, ":2: malformed row"},
        {CURVES_CSV_HEADER "\n0,teacher,1,0.5,0.9\n0,nobody,1,0.5,0.9\n", 0,
         ":3: malformed row"},
        {CURVES_CSV_HEADER "\n0,teacher,-1,0.5,0.9\n", 0, ":2: malformed row"},
        {CURVES_CSV_HEADER "\n0,teacher,1.5,0.5,0.9\n", 0, ":2: malformed row"},
        {CURVES_CSV_HEADER "\n0,teacher,0,0.5,0.9\n", 0, ":2: malformed row"},
        {CURVES_CSV_HEADER "\n-1,teacher,1,0.5,0.9\n", 0, ":2: malformed row"},
        {CURVES_CSV_HEADER "\n0,teacher,1,half,0.9\n", 0, ":2: malformed row"},
        {CURVES_CSV_HEADER "\n0,teacher,1,0.5,0.9x\n", 0, ":2: malformed row"},
        {past_max, 0, ":2: epoch"},
        {CURVES_CSV_HEADER "\n0,teacher,1,0.5,0.9", 0, ":2: unterminated line"},
        {nul, sizeof nul - 1, ":2: a NUL byte"},
    };
    const char *path = tu_path(fx->dir, "curves.csv");
    curve_point *pts;
    size_t n;
    err e;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        tu_write_file(path, bad[i].text, bad[i].len ? bad[i].len : strlen(bad[i].text));
        if (curves_read(path, &pts, &n, &e) == 0)
            fail_msg("case %zu was read: \"%s\"", i, bad[i].text);
        tu_assert_contains(e.msg, path);
        tu_assert_contains(e.msg, bad[i].why);
    }
    /* The last epoch a run can have is still read. */
    snprintf(past_max, sizeof past_max, "%s0,teacher,%d,0.5,\n", H, EXPERIMENT_MAX_EPOCHS);
    tu_write_file(path, past_max, strlen(past_max));
    assert_int_equal(curves_read(path, &pts, &n, &e), 0);
    assert_int_equal(n, 1);
    assert_int_equal(pts[0].epoch, EXPERIMENT_MAX_EPOCHS);
    free(pts);
    assert_int_not_equal(curves_read(tu_path(fx->dir, "missing.csv"), &pts, &n, &e), 0);
    tu_assert_contains(e.msg, "cannot open");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_curves_round_trip, setup, teardown),
        cmocka_unit_test(test_curves_sort),
        cmocka_unit_test_setup_teardown(test_curves_refuses_malformed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
