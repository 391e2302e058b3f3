/* Tests of the training loops (run/train.h) on a small synthetic task:
 * 8x8 images whose label (0-3) is the bright quadrant; and one epoch of
 * the experiment's teacher on the real MNIST (skipped without it).
 * experiment_run's own tests: test_experiment.c. */
#include "testutil.h"
#include "tu_data.h"

#include <math.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "run/experiment.h"
#include "run/train.h"

/* The synthetic task: tu_data.h's quadrant images. */
enum { PIXELS = TU_QUAD_PIXELS, CLASSES = TU_QUAD_CLASSES, AUX = 3, OUT = CLASSES + AUX };
enum { N_TRAIN = 200, N_TEST = 120, BATCH = 20, WIDTH = 32 };

typedef struct {
    dataset train, test;
    mlp_shape shape;
    size_t P;
    float *init;    /* θ0 */
    float *init2;   /* θ0' */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    tu_make_quadrants(&fx->train, N_TRAIN, 1);
    tu_make_quadrants(&fx->test, N_TEST, 2);
    if (mlp_shape_make(&fx->shape, PIXELS, WIDTH, 2, OUT, NULL))
        return -1;
    fx->P = mlp_n_params(&fx->shape);
    fx->init = mlp_arena_new_f32(&fx->shape);
    fx->init2 = mlp_arena_new_f32(&fx->shape);
    if (!fx->init || !fx->init2)
        return -1;
    mlp_init_params_f32(fx->init, &fx->shape, MLP_INIT_NORMAL, 0, 0);
    mlp_init_params_f32(fx->init2, &fx->shape, MLP_INIT_NORMAL, 0, 1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    dataset_free(&fx->train);
    dataset_free(&fx->test);
    free(fx->init);
    free(fx->init2);
    free(fx);
    return 0;
}

/* ---- what the hooks heard ---- */

enum { MAX_EVENTS = 256 };
typedef struct {
    size_t n_epochs_seen;
    struct {
        enum train_phase phase;
        size_t epoch, net;
        double loss;
    } epochs[MAX_EVENTS];
    size_t n_batches_seen, last_batch, last_n_batches;
    int batch_loss_bad;
} recorder;

static void rec_batch(void *ctx, enum train_phase phase, size_t epoch, size_t n_epochs,
                      size_t batch, size_t n_batches, double loss)
{
    recorder *r = ctx;
    (void)phase;
    (void)epoch;
    (void)n_epochs;
    r->n_batches_seen++;
    r->last_batch = batch;
    r->last_n_batches = n_batches;
    if (!(batch >= 1 && batch <= n_batches))
        r->batch_loss_bad = 1;
    if (!isfinite(loss))
        r->batch_loss_bad = 1;
}

static void rec_epoch(void *ctx, enum train_phase phase, size_t epoch, size_t net,
                      const float *params, double mean_loss)
{
    recorder *r = ctx;
    (void)params;
    if (r->n_epochs_seen < MAX_EVENTS) {
        r->epochs[r->n_epochs_seen].phase = phase;
        r->epochs[r->n_epochs_seen].epoch = epoch;
        r->epochs[r->n_epochs_seen].net = net;
        r->epochs[r->n_epochs_seen].loss = mean_loss;
    }
    r->n_epochs_seen++;
}

static const adam_config ADAM_CFG = {3e-3, 0.9, 0.999, 1e-8};

/* Trains a copy of θ0 as a teacher; returns train_teacher's status. */
static int teach(fixture *fx, float *params, pool *p, size_t epochs, uint64_t seed,
                 double lr, recorder *rec, double *final_loss, err *e)
{
    trainer t;
    adam opt;
    adam_config cfg = ADAM_CFG;
    cfg.lr = lr;
    assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, BATCH, N_TRAIN, p, NULL), 0);
    assert_int_equal(adam_init(&opt, fx->P, cfg, NULL), 0);
    memcpy(params, fx->init, fx->P * sizeof *params);
    train_hooks hooks = {.on_batch = rec_batch, .on_epoch = rec_epoch, .ctx = rec};
    int rc = train_teacher(&t, params, &opt, &fx->train, epochs, seed, rec ? &hooks : NULL,
                           final_loss, e);
    adam_free(&opt);
    trainer_free(&t);
    return rc;
}

static double accuracy(fixture *fx, const float *params, const dataset *d)
{
    trainer t;
    assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, BATCH, N_TRAIN, NULL, NULL), 0);
    double acc = (double)train_count_correct(&t, params, d) / (double)d->n;
    trainer_free(&t);
    return acc;
}

/* ---- the teacher ---- */

/* The teacher learns the task: its loss falls, its test accuracy rises far
 * above chance, and the hooks hear every epoch (as TRAIN_TEACHER) and
 * every batch, the last epoch's loss being the one returned. */
static void teacher_learns(void **state)
{
    fixture *fx = *state;
    float *p = mlp_arena_new_f32(&fx->shape);
    assert_non_null(p);
    recorder rec = {0};
    double final_loss = -1;
    err e;
    const size_t epochs = 8;
    assert_int_equal(teach(fx, p, NULL, epochs, 7, ADAM_CFG.lr, &rec, &final_loss, &e), 0);

    assert_int_equal(rec.n_epochs_seen, epochs);
    for (size_t k = 0; k < epochs; k++) {
        assert_int_equal(rec.epochs[k].phase, TRAIN_TEACHER);
        assert_int_equal(rec.epochs[k].epoch, k);
    }
    assert_int_equal(rec.n_batches_seen, epochs * (N_TRAIN / BATCH));
    assert_int_equal(rec.last_batch, N_TRAIN / BATCH);
    assert_int_equal(rec.last_n_batches, N_TRAIN / BATCH);
    assert_false(rec.batch_loss_bad);
    assert_true(final_loss == rec.epochs[epochs - 1].loss);

    double first = rec.epochs[0].loss, last = rec.epochs[epochs - 1].loss;
    if (!(last < 0.3 * first))
        fail_msg("teacher loss went from %g to %g", first, last);
    for (size_t k = 1; k < epochs; k++)
        assert_true(rec.epochs[k].loss < first);

    double before = accuracy(fx, fx->init, &fx->test), after = accuracy(fx, p, &fx->test);
    if (!(after > 0.9 && after > before + 0.3))
        fail_msg("test accuracy %.3f before training, %.3f after (chance 0.25)", before, after);
    free(p);
}

/* A teacher is a pure function of its seed: the same bits again, on any
 * number of threads, and other bits for another seed. */
static void teacher_bits_repeat_at_any_thread_count(void **state)
{
    fixture *fx = *state;
    float *ref = mlp_arena_new_f32(&fx->shape), *p = mlp_arena_new_f32(&fx->shape);
    assert_non_null(ref);
    assert_non_null(p);
    double ref_loss, loss;
    assert_int_equal(teach(fx, ref, NULL, 3, 11, ADAM_CFG.lr, NULL, &ref_loss, NULL), 0);
    assert_memory_not_equal(ref, fx->init, fx->P * sizeof *ref);

    assert_int_equal(teach(fx, p, NULL, 3, 11, ADAM_CFG.lr, NULL, &loss, NULL), 0);
    assert_memory_equal(ref, p, fx->P * sizeof *p);
    assert_true(loss == ref_loss);
    for (size_t threads = 1; threads <= 3; threads++) {
        pool *pl = pool_create(threads);
        assert_non_null(pl);
        assert_int_equal(teach(fx, p, pl, 3, 11, ADAM_CFG.lr, NULL, &loss, NULL), 0);
        pool_free(pl);
        if (memcmp(ref, p, fx->P * sizeof *p) != 0)
            fail_msg("%zu threads: parameters differ from the single-threaded run", threads);
        assert_true(loss == ref_loss);
    }
    /* The seed drives the shuffle: another seed, another teacher. */
    assert_int_equal(teach(fx, p, NULL, 3, 12, ADAM_CFG.lr, NULL, &loss, NULL), 0);
    assert_memory_not_equal(ref, p, fx->P * sizeof *p);
    free(ref);
    free(p);
}

/* A learning rate that overflows float is an error naming epoch and batch,
 * not a "trained" teacher full of infinities. */
static void teacher_divergence_is_caught(void **state)
{
    fixture *fx = *state;
    float *p = mlp_arena_new_f32(&fx->shape);
    assert_non_null(p);
    /* 1e15 overflows float within a few steps; 1e30 at the first.  (A
     * merely large rate such as 1e6 need not diverge on this separable
     * task: it just drives the loss to 0 with huge, finite weights.) */
    const double lrs[] = {1e15, 1e30};
    for (size_t k = 0; k < 2; k++) {
        err e = {{0}};
        double loss = 0;
        recorder rec = {0};
        if (teach(fx, p, NULL, 5, 7, lrs[k], &rec, &loss, &e) != -1)
            fail_msg("lr %g: training reported success (final loss %g)", lrs[k], loss);
        tu_assert_contains(e.msg, "not finite");
        tu_assert_contains(e.msg, "epoch");
    }
    /* At lr 1e30 the very first steps overflow: the batch is named. */
    err e = {{0}};
    double loss;
    assert_int_equal(teach(fx, p, NULL, 5, 7, 1e30, NULL, &loss, &e), -1);
    tu_assert_contains(e.msg, "epoch 1, batch");
    free(p);
}

/* train_count_correct and train_mean_loss against a row-by-row argmax and
 * cross-entropy on a separate workspace. */
static void evaluation_matches_rowwise(void **state)
{
    fixture *fx = *state;
    float *p = mlp_arena_new_f32(&fx->shape);
    assert_non_null(p);
    assert_int_equal(teach(fx, p, NULL, 2, 3, ADAM_CFG.lr, NULL, &(double){0}, NULL), 0);
    mlp_ws_f32 ws;
    assert_int_equal(mlp_ws_init_f32(&ws, &fx->shape, 1, NULL, NULL), 0);
    size_t want = 0;
    double want_loss = 0;
    float x[PIXELS], dlogits[OUT];
    for (size_t i = 0; i < fx->test.n; i++) {
        batch_digits_f32(NULL, x, &fx->test, &i, 1);
        const float *z = mlp_forward_f32(&ws, p, x, 1);
        want += loss_correct_f32(z, fx->test.labels + i, 1, OUT, CLASSES);
        want_loss += loss_ce_f32(NULL, NULL, dlogits, z, fx->test.labels + i, 1, OUT, CLASSES);
    }
    want_loss /= (double)fx->test.n;
    mlp_ws_free_f32(&ws);
    assert_true(want > fx->test.n / 2); /* partly trained: the count is informative */
    /* Batches of 7 leave a ragged last batch (120 = 17 * 7 + 1). */
    const size_t batches[] = {BATCH, 7, 1000};
    for (size_t k = 0; k < 3; k++) {
        trainer t;
        assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, batches[k], N_TRAIN, NULL, NULL),
                         0);
        size_t got = train_count_correct(&t, p, &fx->test);
        /* The mean over examples, not over batches of unequal sizes. */
        tu_assert_close(train_mean_loss(&t, p, &fx->test), want_loss, 1e-5, 0);
        trainer_free(&t);
        /* A near-tie may round either way in another summation order. */
        if (!(got + 1 >= want && got <= want + 1))
            fail_msg("batch %zu: %zu correct, row by row %zu", batches[k], got, want);
    }
    free(p);
}

/* A trainer sized for fewer examples than it is given must refuse them, not
 * write past its epoch-order buffer.  Run in a child process, so that heap
 * damage cannot take the other tests down with it. */
static void teacher_refuses_more_examples_than_sized(void **state)
{
    fixture *fx = *state;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        trainer t;
        adam opt;
        err e = {{0}};
        if (trainer_init(&t, &fx->shape, CLASSES, BATCH, 10, NULL, NULL) ||
            adam_init(&opt, fx->P, ADAM_CFG, NULL))
            _exit(3);
        float *p = mlp_arena_new_f32(&fx->shape);
        double loss;
        int rc = train_teacher(&t, p, &opt, &fx->train, 1, 0, NULL, &loss, &e);
        adam_free(&opt);
        trainer_free(&t);
        free(p);
        _exit(rc == -1 && strstr(e.msg, "200") ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status))
        fail_msg("train_teacher with 200 examples on a trainer sized for 10 crashed "
                 "(signal %d): perm overflow", WTERMSIG(status));
    if (WEXITSTATUS(status) != 0)
        fail_msg("train_teacher with 200 examples on a trainer sized for 10 did not "
                 "fail with a message naming the count (exit %d)", WEXITSTATUS(status));
}

/* ---- students ---- */

typedef struct {
    float *params[4];
    adam opt[4];
    student s[4];
    float *teacher_logits; /* [N_TRAIN][OUT] */
} cohort;

static const loss_outputs AUX_ONLY = {CLASSES, OUT}, ALL_OUT = {0, OUT};
/* The noise the teachers' logits are taken on, and the students' (their
 * own seed: these tests check the training loop, not the effect). */
static const train_inputs TEACHER_NOISE = {5, NOISE_UNIFORM, NULL, NULL};
static const train_inputs STUDENT_NOISE = {9, NOISE_UNIFORM, NULL, NULL};

/* A teacher trained for 6 epochs, its logits on N_TRAIN noise images, and
 * n students: student k starts from θ0 (even k) or θ0' (odd k). */
static void cohort_make(fixture *fx, cohort *c, size_t n, trainer *t)
{
    memset(c, 0, sizeof *c);
    float *teacher = mlp_arena_new_f32(&fx->shape);
    assert_non_null(teacher);
    assert_int_equal(teach(fx, teacher, NULL, 6, 7, ADAM_CFG.lr, NULL, &(double){0}, NULL), 0);
    c->teacher_logits = malloc(N_TRAIN * OUT * sizeof(float));
    assert_non_null(c->teacher_logits);
    train_input_logits(t, teacher, c->teacher_logits, &TEACHER_NOISE, N_TRAIN);
    free(teacher);
    for (size_t k = 0; k < n; k++) {
        c->params[k] = mlp_arena_new_f32(&fx->shape);
        assert_non_null(c->params[k]);
        memcpy(c->params[k], k % 2 ? fx->init2 : fx->init, fx->P * sizeof(float));
        assert_int_equal(adam_init(&c->opt[k], fx->P, ADAM_CFG, NULL), 0);
        c->s[k] = (student){.params = c->params[k], .opt = &c->opt[k],
                            .outputs = k < 2 ? ALL_OUT : AUX_ONLY};
    }
}

static void cohort_free(cohort *c, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(c->params[k]);
        adam_free(&c->opt[k]);
    }
    free(c->teacher_logits);
}

/* The teacher's logits on noise, computed in batches (a ragged last one),
 * are the forward pass of each noise image alone. */
static void noise_logits_are_the_forward_pass(void **state)
{
    fixture *fx = *state;
    trainer t;
    assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, 32, N_TRAIN, NULL, NULL), 0);
    const size_t n = 70; /* 32 + 32 + 6 */
    float *out = malloc(n * OUT * sizeof *out);
    assert_non_null(out);
    train_input_logits(&t, fx->init, out, &TEACHER_NOISE, n);
    mlp_ws_f32 ws;
    assert_int_equal(mlp_ws_init_f32(&ws, &fx->shape, 1, NULL, NULL), 0);
    float x[PIXELS];
    /* In float, as the logits are: GCC 12 for aarch64 crashes vectorizing
     * a float-to-double max (make check-ports cross-builds this). */
    float zmax = 0;
    for (size_t k = 0; k < n * OUT; k++)
        zmax = fmaxf(zmax, fabsf(out[k]));
    assert_true(zmax > 0);
    for (size_t i = 0; i < n; i++) {
        batch_noise_f32(NULL, x, 5, NOISE_UNIFORM, &i, 1, PIXELS);
        const float *z = mlp_forward_f32(&ws, fx->init, x, 1);
        for (size_t o = 0; o < OUT; o++)
            tu_assert_close(out[i * OUT + o], z[o], 1e-5, zmax);
    }
    mlp_ws_free_f32(&ws);
    trainer_free(&t);
    free(out);
}

/* Students imitating aux or all outputs, from θ0 or θ0', all learn (their
 * imitation loss falls), the hooks hear each one's epochs as
 * TRAIN_STUDENTS, and the bits are the same on 2 threads as on 1. */
static void students_learn_deterministically(void **state)
{
    fixture *fx = *state;
    const size_t n = 4, epochs = 6;
    float *first[4];
    double first_loss[4];
    for (int run = 0; run < 2; run++) {
        pool *pl = run ? pool_create(2) : NULL;
        trainer t;
        assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, BATCH, N_TRAIN, pl, NULL), 0);
        cohort c;
        cohort_make(fx, &c, n, &t);
        recorder rec = {0};
        train_hooks hooks = {.on_batch = rec_batch, .on_epoch = rec_epoch, .ctx = &rec};
        assert_int_equal(train_students(&t, c.s, n, c.teacher_logits, N_TRAIN, epochs,
                                        &STUDENT_NOISE, &hooks, NULL),
                         0);
        assert_int_equal(rec.n_epochs_seen, n * epochs);
        assert_int_equal(rec.n_batches_seen, epochs * (N_TRAIN / BATCH));
        assert_false(rec.batch_loss_bad);
        for (size_t k = 0; k < n; k++) {
            assert_false(c.s[k].failed);
            double l0 = NAN, l_last = NAN;
            for (size_t ev = 0; ev < rec.n_epochs_seen; ev++) {
                if (rec.epochs[ev].net != k)
                    continue;
                assert_int_equal(rec.epochs[ev].phase, TRAIN_STUDENTS);
                if (rec.epochs[ev].epoch == 0)
                    l0 = rec.epochs[ev].loss;
                if (rec.epochs[ev].epoch == epochs - 1)
                    l_last = rec.epochs[ev].loss;
            }
            assert_true(c.s[k].final_loss == l_last);
            if (!(l_last < 0.7 * l0))
                fail_msg("student %zu: imitation loss went from %g to %g", k, l0, l_last);
        }
        if (run == 0) {
            for (size_t k = 0; k < n; k++) {
                first[k] = c.params[k];
                c.params[k] = NULL;
                first_loss[k] = c.s[k].final_loss;
            }
        } else {
            /* Same bits on 2 threads as on 1. */
            for (size_t k = 0; k < n; k++) {
                assert_memory_equal(first[k], c.params[k], fx->P * sizeof(float));
                assert_true(first_loss[k] == c.s[k].final_loss);
                free(first[k]);
            }
        }
        cohort_free(&c, n);
        trainer_free(&t);
        pool_free(pl);
    }
}

/* A student that diverges is marked failed, and the others' bits are as if
 * it had never been there. */
static void diverging_student_fails_alone(void **state)
{
    fixture *fx = *state;
    trainer t;
    assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, BATCH, N_TRAIN, NULL, NULL), 0);
    cohort c;
    cohort_make(fx, &c, 3, &t);
    /* Student 1 gets a learning rate that overflows float at once. */
    adam_free(&c.opt[1]);
    adam_config wild = ADAM_CFG;
    wild.lr = 1e30;
    assert_int_equal(adam_init(&c.opt[1], fx->P, wild, NULL), 0);
    recorder rec = {0};
    train_hooks hooks = {.on_batch = rec_batch, .on_epoch = rec_epoch, .ctx = &rec};
    assert_int_equal(
        train_students(&t, c.s, 3, c.teacher_logits, N_TRAIN, 3, &STUDENT_NOISE, &hooks, NULL), 0);
    assert_true(c.s[1].failed);
    tu_assert_contains(c.s[1].why, "epoch 1");
    assert_false(c.s[0].failed);
    assert_false(c.s[2].failed);
    assert_true(isfinite(c.s[0].final_loss) && c.s[0].final_loss > 0);
    for (size_t ev = 0; ev < rec.n_epochs_seen; ev++)
        assert_int_not_equal(rec.epochs[ev].net, 1); /* no epoch reported for it */
    assert_int_equal(rec.n_epochs_seen, 2 * 3);

    /* Students 0 and 2 alone, from the same start: the same bits. */
    cohort alone;
    cohort_make(fx, &alone, 3, &t);
    student pair[2] = {alone.s[0], alone.s[2]};
    train_students(&t, pair, 2, alone.teacher_logits, N_TRAIN, 3, &STUDENT_NOISE, NULL, NULL);
    assert_memory_equal(alone.params[0], c.params[0], fx->P * sizeof(float));
    assert_memory_equal(alone.params[2], c.params[2], fx->P * sizeof(float));
    assert_true(pair[0].final_loss == c.s[0].final_loss);
    cohort_free(&alone, 3);
    cohort_free(&c, 3);
    trainer_free(&t);
}


/* The phases' names, as progress lines and logs spell them. */
static void phases_have_names(void **state)
{
    (void)state;
    assert_string_equal(train_phase_name(TRAIN_TEACHER), "teacher");
    assert_string_equal(train_phase_name(TRAIN_STUDENTS), "students");
}

/* ---- the real data ---- */

/* One epoch of the experiment's teacher (its default network, batch and
 * rate) on the real MNIST lifts test accuracy from chance to well above
 * 85%: the training loop learns real digits, not only the toy task.
 * Skipped, saying so, without ./mnist/. */
static void one_epoch_teacher_learns(void **state)
{
    (void)state;
    tu_need_mnist();
    dataset train, test;
    err e = {{0}};
    if (dataset_load(&train, "mnist", "train", EXPERIMENT_CLASSES, &e) ||
        dataset_load(&test, "mnist", "t10k", EXPERIMENT_CLASSES, &e))
        fail_msg("%s", e.msg);
    experiment_config cfg = experiment_defaults();
    mlp_shape s;
    assert_int_equal(mlp_shape_make(&s, train.pixels, cfg.width, cfg.hidden_layers,
                                    EXPERIMENT_CLASSES + cfg.m, &e), 0);
    pool *p = pool_create(pool_online_cores());
    assert_non_null(p);
    trainer t;
    assert_int_equal(trainer_init(&t, &s, EXPERIMENT_CLASSES, cfg.batch, train.n, p, &e), 0);
    float *params = mlp_arena_new_f32(&s);
    assert_non_null(params);
    mlp_init_params_f32(params, &s, cfg.init, 0, 0);
    double n_test = (double)test.n;
    double before = (double)train_count_correct(&t, params, &test) / n_test;

    adam opt;
    assert_int_equal(adam_init(&opt, mlp_n_params(&s), adam_defaults(cfg.lr), &e), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double loss = -1;
    if (train_teacher(&t, params, &opt, &train, 1, 0, NULL, &loss, &e))
        fail_msg("%s", e.msg);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double after = (double)train_count_correct(&t, params, &test) / n_test;
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
    dataset_free(&train);
    dataset_free(&test);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(teacher_learns),
        T(teacher_bits_repeat_at_any_thread_count),
        T(teacher_divergence_is_caught),
        T(evaluation_matches_rowwise),
        T(teacher_refuses_more_examples_than_sized),
        T(noise_logits_are_the_forward_pass),
        T(students_learn_deterministically),
        T(diverging_student_fails_alone),
        cmocka_unit_test(phases_have_names),
        cmocka_unit_test(one_epoch_teacher_learns),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
