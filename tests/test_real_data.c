/* On the real MNIST files (mnist/ under the project root, where `make test`
 * runs): they load as MNIST, and one epoch of the experiment's teacher
 * training with its defaults reaches well above chance.  Skipped, saying
 * so, when the data is not there. */
#include "testutil.h"

#include <time.h>
#include <unistd.h>
#include "run/experiment.h"
#include "run/train.h"

#define DATA_DIR "mnist"

typedef struct {
    dataset train, test;
} fixture;

static int setup(void **state)
{
    static fixture fx;
    memset(&fx, 0, sizeof fx);
    *state = &fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    dataset_free(&fx->train);
    dataset_free(&fx->test);
    return 0;
}

/* Loads both splits, or skips the test when the files are absent. */
static void load_or_skip(fixture *fx)
{
    if (access(DATA_DIR "/train-images-idx3-ubyte", R_OK) != 0 ||
        access(DATA_DIR "/t10k-images-idx3-ubyte", R_OK) != 0) {
        print_message("SKIPPED: no MNIST in ./" DATA_DIR "/ (run `make data` from the "
                      "project root, then run this test from there)\n");
        skip();
    }
    err e = {{0}};
    if (dataset_load(&fx->train, DATA_DIR, "train", EXPERIMENT_CLASSES, &e))
        fail_msg("%s", e.msg);
    if (dataset_load(&fx->test, DATA_DIR, "t10k", EXPERIMENT_CLASSES, &e))
        fail_msg("%s", e.msg);
}

static void mnist_loads(void **state)
{
    fixture *fx = *state;
    load_or_skip(fx);
    assert_int_equal(fx->train.n, 60000);
    assert_int_equal(fx->test.n, 10000);
    assert_int_equal(fx->train.rows, 28);
    assert_int_equal(fx->train.cols, 28);
    assert_int_equal(fx->train.pixels, 784);
    assert_int_equal(fx->test.pixels, 784);
    /* The famous first labels: 5 0 4 1 9 (train) and 7 2 1 0 4 (test). */
    const uint8_t train5[5] = {5, 0, 4, 1, 9}, test5[5] = {7, 2, 1, 0, 4};
    assert_memory_equal(fx->train.labels, train5, 5);
    assert_memory_equal(fx->test.labels, test5, 5);
    size_t count[10] = {0};
    for (size_t i = 0; i < fx->train.n; i++)
        count[fx->train.labels[i]]++;
    for (int c = 0; c < 10; c++)
        assert_true(count[c] > 5000 && count[c] < 7000);
    /* Images: black corners, some full-white ink. */
    uint8_t hi = 0;
    for (size_t k = 0; k < 784 * 100; k++)
        hi = fx->train.images[k] > hi ? fx->train.images[k] : hi;
    assert_int_equal(hi, 255);
    assert_int_equal(fx->train.images[0], 0);
}

static void one_epoch_teacher_learns(void **state)
{
    fixture *fx = *state;
    load_or_skip(fx);
    experiment_config cfg = experiment_defaults();
    mlp_shape s;
    err e = {{0}};
    assert_int_equal(mlp_shape_make(&s, fx->train.pixels, cfg.width, cfg.hidden_layers,
                                    EXPERIMENT_CLASSES + cfg.m, &e), 0);
    pool *p = pool_create(pool_online_cores());
    assert_non_null(p);
    trainer t;
    assert_int_equal(trainer_init(&t, &s, EXPERIMENT_CLASSES, cfg.batch, fx->train.n, p, &e), 0);
    float *params = mlp_arena_new_f32(&s);
    assert_non_null(params);
    mlp_init_params_f32(params, &s, cfg.init, 0, 0);
    double before = (double)train_count_correct(&t, params, &fx->test) / 10000.0;

    adam opt;
    assert_int_equal(adam_init(&opt, mlp_n_params(&s), (adam_config){cfg.lr, 0.9, 0.999, 1e-8},
                               &e), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double loss = -1;
    if (train_teacher(&t, params, &opt, &fx->train, 1, 0, NULL, &loss, &e))
        fail_msg("%s", e.msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double after = (double)train_count_correct(&t, params, &fx->test) / 10000.0;
    print_message("one epoch (%zu threads): %.1f s, mean loss %.4f, test accuracy %.4f -> %.4f\n",
                  pool_threads(p),
                  (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
                  loss, before, after);
    assert_true(before < 0.3);
    if (!(after > 0.85))
        fail_msg("test accuracy %.4f after one epoch, want > 0.85", after);
    assert_true(loss > 0 && loss < 1.5);

    adam_free(&opt);
    free(params);
    trainer_free(&t);
    pool_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(mnist_loads, setup, teardown),
        cmocka_unit_test_setup_teardown(one_epoch_teacher_learns, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
