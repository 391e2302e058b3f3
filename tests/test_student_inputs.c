/* Tests of run/student_inputs.c and the batches behind it: the shuffled
 * inputs' permutation is a permutation of the pixels, the same for a seed
 * and another for another seed; a shuffled batch is the image's pixels
 * moved by it, nothing else; the image inputs are the training set's; and
 * an experiment on each kind runs, the same twice, with image inputs
 * refused beyond the images there are. */
#include "testutil.h"
#include "tu_data.h"

#include "run/experiment.h"
#include "run/student_inputs.h"

#define setup tu_quad_setup
#define teardown tu_quad_teardown

/* The seed's permutation of the pixels, malloc'ed. */
static size_t *permutation_of(const dataset *train, uint64_t seed, train_inputs *in)
{
    size_t *perm = malloc(train->pixels * sizeof *perm);
    assert_non_null(perm);
    student_inputs_make(in, STUDENT_INPUTS_SHUFFLED, seed, NOISE_UNIFORM, train, perm);
    return perm;
}

static void shuffled_pixels_are_a_permutation_fixed_per_seed(void **state)
{
    tu_quad_sets *sets = *state;
    const dataset *train = &sets->train;
    size_t pixels = train->pixels;
    train_inputs in, again, other;
    size_t *perm = permutation_of(train, 7, &in);
    size_t *same = permutation_of(train, 7, &again);
    size_t *another = permutation_of(train, 8, &other);
    assert_ptr_equal(in.images, train);
    assert_ptr_equal(in.perm, perm);
    char *seen = calloc(pixels, 1);
    assert_non_null(seen);
    size_t moved = 0;
    for (size_t j = 0; j < pixels; j++) {
        assert_true(perm[j] < pixels);
        assert_false(seen[perm[j]]); /* each pixel once */
        seen[perm[j]] = 1;
        moved += perm[j] != j;
    }
    assert_true(moved > pixels / 2); /* it does move them */
    assert_memory_equal(perm, same, pixels * sizeof *perm);
    assert_memory_not_equal(perm, another, pixels * sizeof *perm);
    free(seen);
    free(perm);
    free(same);
    free(another);
}

/* A shuffled batch holds exactly the scaled pixels of the images, moved:
 * pixel j of input r is pixel perm[j] of image index[r], in both
 * precisions, on any number of threads. */
static void shuffled_batch_moves_the_pixels(void **state)
{
    tu_quad_sets *sets = *state;
    const dataset *train = &sets->train;
    size_t pixels = train->pixels, index[] = {3, 0, 17, 199, 42};
    size_t n = sizeof index / sizeof index[0];
    train_inputs in;
    size_t *perm = permutation_of(train, 3, &in);
    float *plain = malloc(n * pixels * sizeof *plain), *moved = malloc(n * pixels * sizeof *moved);
    double *plain64 = malloc(n * pixels * sizeof *plain64);
    double *moved64 = malloc(n * pixels * sizeof *moved64);
    assert_true(plain && moved && plain64 && moved64);
    pool *pl = pool_create(3);
    assert_non_null(pl);
    batch_digits_f32(NULL, plain, train, index, n);
    batch_permuted_f32(pl, moved, train, perm, index, n);
    batch_digits_f64(NULL, plain64, train, index, n);
    batch_permuted_f64(NULL, moved64, train, perm, index, n);
    for (size_t r = 0; r < n; r++)
        for (size_t j = 0; j < pixels; j++) {
            assert_true(moved[r * pixels + j] == plain[r * pixels + perm[j]]);
            assert_true(moved64[r * pixels + j] == plain64[r * pixels + perm[j]]);
        }
    pool_free(pl);
    free(plain);
    free(moved);
    free(plain64);
    free(moved64);
    free(perm);
}

/* Noise is no dataset and as many images as asked; digits are the
 * training set's own, in place. */
static void noise_and_digits(void **state)
{
    tu_quad_sets *sets = *state;
    train_inputs in;
    size_t perm[TU_QUAD_PIXELS];
    student_inputs_make(&in, STUDENT_INPUTS_NOISE, 5, NOISE_NORMAL, &sets->train, perm);
    assert_null(in.images);
    assert_null(in.perm);
    assert_int_equal(in.seed, 5);
    assert_int_equal(in.noise, NOISE_NORMAL);
    assert_int_equal(student_inputs_available(STUDENT_INPUTS_NOISE, &sets->train), SIZE_MAX);
    student_inputs_make(&in, STUDENT_INPUTS_DIGITS, 5, NOISE_UNIFORM, &sets->train, perm);
    assert_ptr_equal(in.images, &sets->train);
    assert_null(in.perm);
    assert_int_equal(student_inputs_available(STUDENT_INPUTS_DIGITS, &sets->train),
                     TU_QUAD_TRAIN);
    assert_int_equal(student_inputs_available(STUDENT_INPUTS_SHUFFLED, &sets->train),
                     TU_QUAD_TRAIN);
}

static experiment_config small(enum student_input_kind kind)
{
    experiment_config c = experiment_defaults();
    c.seeds = 1;
    c.width = 16;
    c.teacher_epochs = 2;
    c.student_epochs = 2;
    c.batch = 50;
    c.lr = 3e-3;
    c.n_noise = 0; /* as many as the training images: 200 */
    c.student_inputs = kind;
    return c;
}

/* Each kind runs the paper's arms to the end, and the same bits twice;
 * the kinds differ (the students did see other inputs); the teacher and
 * the untrained reference do not depend on what the students see. */
static void experiment_runs_on_each_kind(void **state)
{
    tu_quad_sets *sets = *state;
    enum { N_KINDS = 3 };
    arm_result rows[N_KINDS][EXPERIMENT_MAX_ARMS], again[EXPERIMENT_MAX_ARMS];
    experiment_config paper = small(STUDENT_INPUTS_NOISE);
    size_t n = experiment_arms_run(&paper, NULL); /* the rows of a seed, in arm order */
    err e = {{0}};
    for (int k = 0; k < N_KINDS; k++) {
        experiment_config c = small((enum student_input_kind)k);
        if (experiment_run(&c, &sets->train, &sets->test, NULL, NULL, rows[k], &e))
            fail_msg("--student-inputs %s: %s", STUDENT_INPUT_NAMES[k], e.msg);
        assert_int_equal(experiment_run(&c, &sets->train, &sets->test, NULL, NULL, again, &e),
                         0);
        for (size_t a = 0; a < n; a++) {
            assert_true(rows[k][a].ok);
            assert_int_equal(rows[k][a].correct, again[a].correct);
            assert_true(rows[k][a].final_loss == again[a].final_loss);
        }
    }
    size_t teacher = experiment_teacher_arm();
    int same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX,
                                   ARM_IMITATES_TEACHER);
    for (int k = 1; k < N_KINDS; k++) {
        assert_int_equal(rows[k][teacher].correct, rows[0][teacher].correct);
        assert_true(rows[k][teacher].final_loss == rows[0][teacher].final_loss);
        assert_true(rows[k][same].final_loss != rows[0][same].final_loss);
    }
}

static void image_inputs_refused_beyond_the_images(void **state)
{
    tu_quad_sets *sets = *state;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    experiment_config c = small(STUDENT_INPUTS_SHUFFLED);
    c.n_noise = TU_QUAD_TRAIN + 1;
    assert_int_equal(experiment_run(&c, &sets->train, &sets->test, NULL, NULL, rows, &e), -1);
    tu_assert_contains(e.msg, "--noise-images 201");
    tu_assert_contains(e.msg, "shuffled has 200 images");
}

/* The other dataset's images: named by the kind, taken from the dataset
 * given (never the training set), its images; an experiment on them runs,
 * its students' rows differ from those on the training images, and it is
 * refused without them, with images of another size, beyond their count,
 * and when the kind names the run's own dataset. */
static void other_datasets_images(void **state)
{
    tu_quad_sets *sets = *state;
    enum dataset_kind d;
    assert_false(student_inputs_dataset(STUDENT_INPUTS_DIGITS, &d));
    assert_true(student_inputs_dataset(STUDENT_INPUTS_FASHION, &d) && d == DATASET_FASHION);
    assert_true(student_inputs_dataset(STUDENT_INPUTS_MNIST, &d) && d == DATASET_MNIST);
    dataset other;
    tu_make_quadrants(&other, 150, 9); /* other images of the same size */
    assert_ptr_equal(student_inputs_images(STUDENT_INPUTS_FASHION, &sets->train, &other), &other);
    assert_ptr_equal(student_inputs_images(STUDENT_INPUTS_SHUFFLED, &sets->train, &other),
                     &sets->train);
    assert_null(student_inputs_images(STUDENT_INPUTS_NOISE, &sets->train, &other));
    assert_int_equal(student_inputs_available(STUDENT_INPUTS_FASHION, &other), 150);

    arm_result rows[EXPERIMENT_MAX_ARMS], again[EXPERIMENT_MAX_ARMS], own[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    experiment_config c = small(STUDENT_INPUTS_FASHION);
    c.n_noise = 150;
    if (experiment_run_on(&c, &sets->train, &sets->test, &other, NULL, NULL, rows, &e) ||
        experiment_run_on(&c, &sets->train, &sets->test, &other, NULL, NULL, again, &e))
        fail_msg("%s", e.msg);
    size_t n = experiment_arms_run(&c, NULL);
    experiment_config digits = c;
    digits.student_inputs = STUDENT_INPUTS_DIGITS;
    assert_int_equal(experiment_run(&digits, &sets->train, &sets->test, NULL, NULL, own, &e), 0);
    int differs = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(rows[i].ok);
        assert_int_equal(rows[i].correct, again[i].correct);
        if (experiment_arms(&(size_t){0})[rows[i].arm].training == ARM_STUDENT)
            differs |= rows[i].final_loss != own[i].final_loss;
    }
    assert_true(differs);

    assert_int_equal(experiment_run(&c, &sets->train, &sets->test, NULL, NULL, rows, &e), -1);
    tu_assert_contains(e.msg, "needs Fashion-MNIST's training images");
    c.n_noise = 151;
    assert_int_equal(
        experiment_run_on(&c, &sets->train, &sets->test, &other, NULL, NULL, rows, &e), -1);
    tu_assert_contains(e.msg, "fashion has 150 images");
    c.n_noise = 150;
    other.cols = other.rows = 4, other.pixels = 16; /* the same bytes, read as 4x4 */
    assert_int_equal(
        experiment_run_on(&c, &sets->train, &sets->test, &other, NULL, NULL, rows, &e), -1);
    tu_assert_contains(e.msg, "its images are 4x4 but the training images 8x8");
    dataset_free(&other);
    c.dataset = DATASET_FASHION;
    assert_int_equal(experiment_check(&c, &e), -1);
    tu_assert_contains(e.msg, "--student-inputs fashion names the run's own dataset");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(shuffled_pixels_are_a_permutation_fixed_per_seed),
        T(shuffled_batch_moves_the_pixels),
        T(noise_and_digits),
        T(experiment_runs_on_each_kind),
        T(image_inputs_refused_beyond_the_images),
        T(other_datasets_images),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
