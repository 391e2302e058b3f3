/* Tests of the alignment an experiment measures (run/experiment.c with
 * nn/alignment.h), on the synthetic quadrant task: with curves, every
 * student of the teacher's shape reports step 0 (undefined, said so), each
 * epoch's end and every --align-every steps, each step counted once;
 * the points are the same bits on 1 and 2 threads; measuring changes no
 * result row; without curves nothing is measured; and the aux-only
 * same-init student moves with its teacher more than the cross-init one. */
#include "testutil.h"
#include "tu_data.h"

#include <math.h>
#include "run/experiment.h"

#define MAX_POINTS 256

typedef struct {
    size_t n;
    struct {
        size_t arm, epoch, parts;
        align_point pt;
    } at[MAX_POINTS];
} heard;

static void on_align(void *ctx, uint64_t seed, size_t arm, size_t epoch, const align_point *pt,
                     size_t parts)
{
    heard *h = ctx;
    (void)seed;
    assert_true(h->n < MAX_POINTS);
    h->at[h->n].arm = arm;
    h->at[h->n].epoch = epoch;
    h->at[h->n].parts = parts;
    h->at[h->n++].pt = *pt;
}

/* 200 images in batches of 32: 7 steps an epoch; 2 epochs. */
static experiment_config config(void)
{
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 1;
    cfg.teacher_epochs = 4;
    cfg.student_epochs = 2;
    cfg.width = 16;
    cfg.batch = 32;
    cfg.lr = 1e-2;
    cfg.curves = 1;
    cfg.align_every = 4;
    return cfg;
}

static void run(tu_quad_sets *sets, const experiment_config *cfg, pool *p, heard *h,
                arm_result *rows)
{
    experiment_hooks hooks = {.on_align = on_align, .ctx = h};
    err e = {{0}};
    memset(h, 0, sizeof *h);
    if (experiment_run(cfg, &sets->train, &sets->test, p, &hooks, rows, &e))
        fail_msg("%s", e.msg);
}

static void points_at_step_zero_epoch_ends_and_every_k(void **state)
{
    experiment_config cfg = config();
    heard h;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    run(*state, &cfg, NULL, &h, rows);
    /* Per student (the students train in lock-step, so their points
     * interleave): steps 0, 4, 7 (epoch 1 ends), 8, 12, 14 (epoch 2 ends). */
    static const size_t steps[] = {0, 4, 7, 8, 12, 14}, epochs[] = {0, 1, 1, 2, 2, 2};
    size_t students = 0, seen = 0;
    for (size_t arm = 0; arm < EXPERIMENT_MAX_ARMS; arm++) {
        size_t k = 0, counted = 0;
        for (size_t i = 0; i < h.n; i++) {
            if (h.at[i].arm != arm)
                continue;
            assert_true(k < 6);
            const align_point *pt = &h.at[i].pt;
            assert_int_equal(pt->step, steps[k]);
            assert_int_equal(h.at[i].epoch, epochs[k]);
            assert_int_equal(h.at[i].parts, 4); /* whole network, 3 layers */
            if (k == 0) /* step 0: nothing moved yet */
                assert_true(isnan(pt->displacement[0]) && isnan(pt->update[0]) &&
                            pt->update_steps[0] == 0);
            else
                assert_false(isnan(pt->displacement[0]));
            counted += pt->update_steps[0];
            k++;
        }
        if (k == 0)
            continue;
        assert_int_equal(k, 6);
        assert_int_equal(counted, 14); /* every step once */
        students++;
        seen += k;
    }
    assert_int_equal(seen, h.n);
    assert_int_equal(students, 4); /* the paper's four students */
}

static void same_bits_on_two_threads_and_no_result_changes(void **state)
{
    experiment_config cfg = config();
    heard one, two;
    arm_result rows1[EXPERIMENT_MAX_ARMS], rows2[EXPERIMENT_MAX_ARMS], plain[EXPERIMENT_MAX_ARMS];
    run(*state, &cfg, NULL, &one, rows1);
    pool *p = pool_create(2);
    assert_non_null(p);
    run(*state, &cfg, p, &two, rows2);
    pool_free(p);
    assert_int_equal(one.n, two.n);
    assert_memory_equal(one.at, two.at, one.n * sizeof one.at[0]);

    experiment_config off = cfg;
    off.align_every = 0;
    heard fewer;
    run(*state, &off, NULL, &fewer, plain);
    size_t n = experiment_arms_run(&cfg, NULL);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(plain[i].correct, rows1[i].correct);
        assert_memory_equal(&plain[i].final_loss, &rows1[i].final_loss, sizeof(double));
    }
    assert_int_equal(fewer.n, 4 * 3); /* step 0 and two epoch ends */
    off.curves = 0;
    run(*state, &off, NULL, &fewer, plain);
    assert_int_equal(fewer.n, 0);
}

static void same_init_moves_with_its_teacher(void **state)
{
    experiment_config cfg = config();
    heard h;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    run(*state, &cfg, NULL, &h, rows);
    int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX,
                                   ARM_IMITATES_TEACHER);
    int cross = experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX,
                                    ARM_IMITATES_TEACHER);
    double cos_same = NAN, cos_cross = NAN;
    for (size_t i = 0; i < h.n; i++) {
        if (h.at[i].pt.step != 14)
            continue;
        if ((int)h.at[i].arm == same)
            cos_same = h.at[i].pt.displacement[0];
        if ((int)h.at[i].arm == cross)
            cos_cross = h.at[i].pt.displacement[0];
    }
    assert_true(cos_same > 0);
    assert_true(cos_same > fabs(cos_cross));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_quad_setup, tu_quad_teardown)
    const struct CMUnitTest tests[] = {
        T(points_at_step_zero_epoch_ends_and_every_k),
        T(same_bits_on_two_threads_and_no_result_changes),
        T(same_init_moves_with_its_teacher),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
