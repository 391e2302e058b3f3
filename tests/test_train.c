/* End-to-end tests of the training loops and of experiment_run on a small
 * synthetic task: 8x8 images whose label (0-3) is the bright quadrant. */
#include "testutil.h"

#include <math.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run/experiment.h"
#include "base/rng.h"
#include "run/train.h"

enum { SIDE = 8, PIXELS = SIDE * SIDE, CLASSES = 4, AUX = 3, OUT = CLASSES + AUX };
enum { N_TRAIN = 200, N_TEST = 120, BATCH = 20, WIDTH = 32 };

/* A deterministic generator private to the fixtures (not the one tested). */
static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* n images: dim background (0-79), one bright 4x4 quadrant (176-255); the
 * label is the bright quadrant. */
static void make_quadrants(dataset *d, size_t n, uint32_t seed)
{
    memset(d, 0, sizeof *d);
    d->n = n;
    d->rows = d->cols = SIDE;
    d->pixels = PIXELS;
    d->images = malloc(n * PIXELS);
    d->labels = malloc(n);
    assert_non_null(d->images);
    assert_non_null(d->labels);
    uint32_t s = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t q = (uint8_t)(xorshift(&s) % CLASSES);
        d->labels[i] = q;
        for (size_t r = 0; r < SIDE; r++)
            for (size_t c = 0; c < SIDE; c++) {
                size_t quad = (r >= SIDE / 2) * 2 + (c >= SIDE / 2);
                uint8_t v = (uint8_t)(xorshift(&s) % 80);
                d->images[i * PIXELS + r * SIDE + c] = quad == q ? (uint8_t)(176 + v) : v;
            }
    }
}

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
    make_quadrants(&fx->train, N_TRAIN, 1);
    make_quadrants(&fx->test, N_TEST, 2);
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
        char what[16];
        size_t epoch, net;
        double loss;
    } epochs[MAX_EVENTS];
    size_t n_batches_seen, last_batch, last_n_batches;
    int batch_loss_bad;
} recorder;

static void rec_batch(void *ctx, const char *what, size_t epoch, size_t n_epochs,
                      size_t batch, size_t n_batches, double loss)
{
    recorder *r = ctx;
    (void)what;
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

static void rec_epoch(void *ctx, const char *what, size_t epoch, size_t net,
                      const float *params, double mean_loss)
{
    recorder *r = ctx;
    (void)params;
    if (r->n_epochs_seen < MAX_EVENTS) {
        snprintf(r->epochs[r->n_epochs_seen].what, 16, "%s", what);
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
    train_hooks hooks = {rec_batch, rec_epoch, rec};
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
        assert_string_equal(rec.epochs[k].what, "teacher");
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

/* train_count_correct against a row-by-row argmax on a separate workspace. */
static void count_correct_matches_rowwise(void **state)
{
    fixture *fx = *state;
    float *p = mlp_arena_new_f32(&fx->shape);
    assert_non_null(p);
    assert_int_equal(teach(fx, p, NULL, 2, 3, ADAM_CFG.lr, NULL, &(double){0}, NULL), 0);
    mlp_ws_f32 ws;
    assert_int_equal(mlp_ws_init_f32(&ws, &fx->shape, 1, NULL, NULL), 0);
    size_t want = 0;
    float x[PIXELS];
    for (size_t i = 0; i < fx->test.n; i++) {
        batch_digits_f32(NULL, x, &fx->test, &i, 1);
        want += loss_correct_f32(mlp_forward_f32(&ws, p, x, 1), fx->test.labels + i, 1, OUT,
                                 CLASSES);
    }
    mlp_ws_free_f32(&ws);
    assert_true(want > fx->test.n / 2); /* partly trained: the count is informative */
    /* Batches of 7 leave a ragged last batch (120 = 17 * 7 + 1). */
    const size_t batches[] = {BATCH, 7, 1000};
    for (size_t k = 0; k < 3; k++) {
        trainer t;
        assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, batches[k], N_TRAIN, NULL, NULL),
                         0);
        size_t got = train_count_correct(&t, p, &fx->test);
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
    train_noise_logits(t, teacher, c->teacher_logits, 5, NOISE_UNIFORM, N_TRAIN);
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

static void noise_logits_are_the_forward_pass(void **state)
{
    fixture *fx = *state;
    trainer t;
    assert_int_equal(trainer_init(&t, &fx->shape, CLASSES, 32, N_TRAIN, NULL, NULL), 0);
    const size_t n = 70; /* 32 + 32 + 6 */
    float *out = malloc(n * OUT * sizeof *out);
    assert_non_null(out);
    train_noise_logits(&t, fx->init, out, 5, NOISE_UNIFORM, n);
    mlp_ws_f32 ws;
    assert_int_equal(mlp_ws_init_f32(&ws, &fx->shape, 1, NULL, NULL), 0);
    float x[PIXELS];
    double zmax = 0;
    for (size_t k = 0; k < n * OUT; k++)
        zmax = fmax(zmax, fabs(out[k]));
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
        train_hooks hooks = {rec_batch, rec_epoch, &rec};
        train_students(&t, c.s, n, c.teacher_logits, N_TRAIN, epochs, 9, NOISE_UNIFORM,
                       &hooks);
        assert_int_equal(rec.n_epochs_seen, n * epochs);
        assert_int_equal(rec.n_batches_seen, epochs * (N_TRAIN / BATCH));
        assert_false(rec.batch_loss_bad);
        for (size_t k = 0; k < n; k++) {
            assert_false(c.s[k].failed);
            double l0 = NAN, l_last = NAN;
            for (size_t ev = 0; ev < rec.n_epochs_seen; ev++) {
                if (rec.epochs[ev].net != k)
                    continue;
                assert_string_equal(rec.epochs[ev].what, "students");
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
    train_hooks hooks = {rec_batch, rec_epoch, &rec};
    train_students(&t, c.s, 3, c.teacher_logits, N_TRAIN, 3, 9, NOISE_UNIFORM, &hooks);
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
    train_students(&t, pair, 2, alone.teacher_logits, N_TRAIN, 3, 9, NOISE_UNIFORM, NULL);
    assert_memory_equal(alone.params[0], c.params[0], fx->P * sizeof(float));
    assert_memory_equal(alone.params[2], c.params[2], fx->P * sizeof(float));
    assert_true(pair[0].final_loss == c.s[0].final_loss);
    cohort_free(&alone, 3);
    cohort_free(&c, 3);
    trainer_free(&t);
}

/* ---- the experiment ---- */

typedef struct {
    size_t n_seed_calls, n_epoch_calls, n_batch_calls, n_teacher_batches;
    uint64_t seeds_seen[4];
    int fail_on_seed;       /* on_seed returns an error on this call (1-based) */
    double last_teacher_acc;
    int acc_nan, acc_bad;
    /* teachers saved by on_teacher, handed back by load_teacher */
    size_t P, n_saved, n_loaded;
    float *saved[2];
    double saved_loss[2];
    int load;               /* load_teacher hands the saved teachers back */
    uint64_t done_seed;     /* seed_done says yes for this seed (+1; 0: none) */
} exp_recorder;

static void exp_batch(void *ctx, uint64_t seed, const char *phase, size_t epoch,
                      size_t n_epochs, size_t batch, size_t n_batches, double loss)
{
    exp_recorder *r = ctx;
    (void)seed, (void)epoch, (void)n_epochs, (void)batch, (void)n_batches, (void)loss;
    r->n_batch_calls++;
    r->n_teacher_batches += strcmp(phase, "teacher") == 0;
}

static void exp_on_teacher(void *ctx, uint64_t seed, const float *params, double loss)
{
    exp_recorder *r = ctx;
    size_t k = (size_t)(seed - 40);
    if (k < 2 && r->saved[k]) {
        memcpy(r->saved[k], params, r->P * sizeof *params);
        r->saved_loss[k] = loss;
        r->n_saved++;
    }
}

static int exp_load_teacher(void *ctx, uint64_t seed, float *params, double *loss)
{
    exp_recorder *r = ctx;
    size_t k = (size_t)(seed - 40);
    if (!r->load || k >= 2 || !r->saved[k])
        return 0;
    memcpy(params, r->saved[k], r->P * sizeof *params);
    *loss = r->saved_loss[k];
    r->n_loaded++;
    return 1;
}

static int exp_seed_done(void *ctx, uint64_t seed)
{
    exp_recorder *r = ctx;
    return r->done_seed == seed + 1;
}

static void exp_epoch(void *ctx, uint64_t seed, size_t arm, size_t epoch, double loss,
                      double test_acc)
{
    exp_recorder *r = ctx;
    (void)seed, (void)epoch, (void)loss;
    r->n_epoch_calls++;
    if (isnan(test_acc))
        r->acc_nan = 1;
    else if (test_acc < 0 || test_acc > 1)
        r->acc_bad = 1;
    if ((int)arm == experiment_arm_index("teacher"))
        r->last_teacher_acc = test_acc;
}

static int exp_seed(void *ctx, const arm_result *rows, size_t n_rows, err *e)
{
    exp_recorder *r = ctx;
    size_t n_arms;
    experiment_arms(&n_arms);
    if (n_rows != n_arms)
        return err_set(e, "on_seed got %zu rows", n_rows);
    if (r->n_seed_calls < 4)
        r->seeds_seen[r->n_seed_calls] = rows[0].seed;
    r->n_seed_calls++;
    if ((int)r->n_seed_calls == r->fail_on_seed)
        return err_set(e, "disk full (test)");
    return 0;
}

static experiment_config tiny_config(void)
{
    experiment_config cfg = experiment_defaults();
    cfg.seeds = 2;
    cfg.seed_start = 40;
    cfg.teacher_epochs = 4;
    cfg.student_epochs = 2;
    cfg.m = 3;
    cfg.width = 16;
    cfg.hidden_layers = 2;
    cfg.batch = 32; /* 200 = 6 * 32 + 8: a ragged last batch */
    cfg.lr = 1e-2;
    cfg.n_noise = 0;
    cfg.curves = 0;
    return cfg;
}

static int same_rows(const arm_result *a, const arm_result *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].seed != b[i].seed || a[i].arm != b[i].arm || a[i].ok != b[i].ok ||
            a[i].correct != b[i].correct || a[i].total != b[i].total ||
            memcmp(&a[i].final_loss, &b[i].final_loss, sizeof(double)) != 0 ||
            strcmp(a[i].why, b[i].why) != 0)
            return 0;
    return 1;
}

static void experiment_fills_every_row_deterministically(void **state)
{
    fixture *fx = *state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    experiment_config cfg = tiny_config();
    arm_result rows[3][2 * 8];
    assert_true(2 * n_arms <= 16);
    err e = {{0}};
    exp_recorder rec = {0};
    experiment_hooks hooks = {.on_batch = exp_batch, .on_epoch = exp_epoch,
                              .on_seed = exp_seed, .ctx = &rec};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, rows[0], &e), 0);
    assert_int_equal(rec.n_seed_calls, 2);
    assert_int_equal(rec.seeds_seen[0], 40);
    assert_int_equal(rec.seeds_seen[1], 41);
    assert_true(rec.acc_nan); /* no curves asked for */

    size_t teacher_arm = (size_t)experiment_arm_index("teacher");
    size_t reference_arm = (size_t)experiment_arm_index("reference");
    for (size_t s = 0; s < 2; s++)
        for (size_t a = 0; a < n_arms; a++) {
            const arm_result *r = &rows[0][s * n_arms + a];
            assert_int_equal(r->seed, 40 + s);
            assert_int_equal(r->arm, a);
            if (!r->ok)
                fail_msg("seed %zu arm %s failed: %s", s, arms[a].name, r->why);
            assert_int_equal(r->total, N_TEST);
            assert_true(r->correct <= r->total);
            if (arms[a].training == ARM_UNTRAINED)
                assert_true(r->final_loss == 0);
            else
                assert_true(isfinite(r->final_loss) && r->final_loss > 0);
        }
    for (size_t s = 0; s < 2; s++) {
        const arm_result *seed_rows = rows[0] + s * n_arms;
        double acc = (double)seed_rows[teacher_arm].correct / N_TEST;
        if (!(acc > 0.8))
            fail_msg("seed %zu: teacher accuracy %.3f on the quadrant task", s, acc);
        /* The reference arm is θ0 of that seed, untrained. */
        float *p = mlp_arena_new_f32(&fx->shape);
        mlp_shape shape;
        assert_int_equal(mlp_shape_make(&shape, PIXELS, 16, 2, 10 + 3, NULL), 0);
        float *q = mlp_arena_new_f32(&shape);
        assert_non_null(q);
        mlp_init_params_f32(q, &shape, MLP_INIT_NORMAL, 40 + s, 0);
        trainer t;
        assert_int_equal(trainer_init(&t, &shape, 10, 32, N_TRAIN, NULL, NULL), 0);
        assert_int_equal(seed_rows[reference_arm].correct, train_count_correct(&t, q, &fx->test));
        /* The teacher arm is θ0 trained by train_teacher with the seed. */
        adam opt;
        assert_int_equal(adam_init(&opt, mlp_n_params(&shape),
                                   (adam_config){cfg.lr, 0.9, 0.999, 1e-8}, NULL), 0);
        double loss;
        assert_int_equal(train_teacher(&t, q, &opt, &fx->train, cfg.teacher_epochs, 40 + s,
                                       NULL, &loss, NULL), 0);
        assert_int_equal(seed_rows[teacher_arm].correct, train_count_correct(&t, q, &fx->test));
        assert_true(seed_rows[teacher_arm].final_loss == loss);
        adam_free(&opt);
        trainer_free(&t);
        free(q);
        free(p);
    }
    /* The two seeds are different runs. */
    assert_true(rows[0][teacher_arm].final_loss != rows[0][n_arms + teacher_arm].final_loss);

    /* Again: the same rows.  On 2 threads, and with per-epoch test curves
     * (evaluation between epochs must not disturb training): the same rows. */
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, NULL, rows[1], &e), 0);
    assert_true(same_rows(rows[0], rows[1], 2 * n_arms));
    pool *pl = pool_create(2);
    assert_non_null(pl);
    cfg.curves = 1;
    exp_recorder rec2 = {0};
    hooks.ctx = &rec2;
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, pl, &hooks, rows[2], &e), 0);
    pool_free(pl);
    assert_true(same_rows(rows[0], rows[2], 2 * n_arms));
    assert_false(rec2.acc_nan);
    assert_false(rec2.acc_bad);
    /* Teacher epochs plus 4 students' epochs, per seed. */
    assert_int_equal(rec2.n_epoch_calls, 2 * (cfg.teacher_epochs + 4 * cfg.student_epochs));
    assert_true(rec2.last_teacher_acc ==
                (double)rows[2][n_arms + teacher_arm].correct / (double)N_TEST);
}

/* A teacher saved by on_teacher and handed back by load_teacher gives the
 * rows of a run that trained it, without training it again. */
static void experiment_reuses_saved_teachers(void **state)
{
    fixture *fx = *state;
    size_t n_arms;
    experiment_arms(&n_arms);
    experiment_config cfg = tiny_config();
    mlp_shape shape;
    assert_int_equal(mlp_shape_make(&shape, PIXELS, cfg.width, cfg.hidden_layers, 10 + cfg.m,
                                    NULL), 0);
    exp_recorder rec = {.P = mlp_n_params(&shape)};
    for (int k = 0; k < 2; k++) {
        rec.saved[k] = mlp_arena_new_f32(&shape);
        assert_non_null(rec.saved[k]);
    }
    experiment_hooks hooks = {.on_batch = exp_batch, .on_teacher = exp_on_teacher,
                              .load_teacher = exp_load_teacher, .ctx = &rec};
    arm_result first[16], second[16];
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, first, &e), 0);
    assert_int_equal(rec.n_saved, 2);
    assert_int_equal(rec.n_loaded, 0);
    assert_true(rec.n_teacher_batches > 0);
    assert_memory_not_equal(rec.saved[0], rec.saved[1], rec.P * sizeof(float));

    rec.load = 1;
    rec.n_saved = rec.n_teacher_batches = 0;
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, second, &e), 0);
    assert_int_equal(rec.n_loaded, 2);
    assert_int_equal(rec.n_saved, 0);          /* a loaded teacher is not saved again */
    assert_int_equal(rec.n_teacher_batches, 0); /* nor trained */
    assert_true(same_rows(first, second, 2 * n_arms));
    free(rec.saved[0]);
    free(rec.saved[1]);
}

/* A seed the caller already has (a resumed run) is skipped: its rows are
 * left alone and on_seed is not called for it; the other seed's rows are
 * those of a full run. */
static void experiment_skips_done_seeds(void **state)
{
    fixture *fx = *state;
    size_t n_arms;
    experiment_arms(&n_arms);
    experiment_config cfg = tiny_config();
    arm_result full[16], resumed[16];
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, NULL, full, &e), 0);
    memset(resumed, 0xab, sizeof resumed);
    arm_result sentinel;
    memcpy(&sentinel, &resumed[0], sizeof sentinel);
    exp_recorder rec = {.done_seed = 40 + 1};
    experiment_hooks hooks = {.on_seed = exp_seed, .seed_done = exp_seed_done, .ctx = &rec};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, resumed, &e), 0);
    assert_int_equal(rec.n_seed_calls, 1);
    assert_int_equal(rec.seeds_seen[0], 41);
    for (size_t a = 0; a < n_arms; a++)
        assert_memory_equal(&resumed[a], &sentinel, sizeof sentinel);
    assert_true(same_rows(full + n_arms, resumed + n_arms, n_arms));
}

static void experiment_stops_when_saving_fails(void **state)
{
    fixture *fx = *state;
    size_t n_arms;
    experiment_arms(&n_arms);
    experiment_config cfg = tiny_config();
    cfg.seeds = 3;
    cfg.teacher_epochs = 1;
    cfg.student_epochs = 1;
    arm_result rows[3 * 8];
    exp_recorder rec = {.fail_on_seed = 1};
    experiment_hooks hooks = {.on_seed = exp_seed, .ctx = &rec};
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, rows, &e), -1);
    tu_assert_contains(e.msg, "disk full");
    assert_int_equal(rec.n_seed_calls, 1); /* no further seed was run */
}

static void experiment_teacher_divergence_fails_its_students(void **state)
{
    fixture *fx = *state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    experiment_config cfg = tiny_config();
    cfg.seeds = 1;
    cfg.lr = 1e30;
    arm_result rows[8];
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, NULL, rows, &e), 0);
    for (size_t a = 0; a < n_arms; a++) {
        if (arms[a].training == ARM_UNTRAINED) {
            assert_true(rows[a].ok);
            continue;
        }
        assert_false(rows[a].ok);
        assert_true(rows[a].why[0] != '\0');
        if (arms[a].training == ARM_TEACHER)
            tu_assert_contains(rows[a].why, "not finite");
        else
            tu_assert_contains(rows[a].why, "teacher");
    }
}

static void experiment_refuses_mismatched_images(void **state)
{
    fixture *fx = *state;
    dataset other;
    make_quadrants(&other, 10, 3);
    other.rows = 4;
    other.cols = 16; /* same pixel count would pass; change it */
    other.pixels = 4 * 8;
    experiment_config cfg = tiny_config();
    arm_result rows[2 * 8];
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &other, NULL, NULL, rows, &e), -1);
    tu_assert_contains(e.msg, "8x8");
    dataset_free(&other);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(teacher_learns),
        T(teacher_bits_repeat_at_any_thread_count),
        T(teacher_divergence_is_caught),
        T(count_correct_matches_rowwise),
        T(teacher_refuses_more_examples_than_sized),
        T(noise_logits_are_the_forward_pass),
        T(students_learn_deterministically),
        T(diverging_student_fails_alone),
        T(experiment_fills_every_row_deterministically),
        T(experiment_reuses_saved_teachers),
        T(experiment_skips_done_seeds),
        T(experiment_stops_when_saving_fails),
        T(experiment_teacher_divergence_fails_its_students),
        T(experiment_refuses_mismatched_images),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
