/* Tests of run/experiment.h: the settings table and the paper's defaults,
 * the arm table, and experiment_run end to end on a small synthetic task
 * (8x8 images whose label, 0-3, is the bright quadrant): every row filled
 * and repeatable, curves that change no row, saved teachers reused, done
 * seeds skipped, a failing save stopping the run, divergence reported
 * where it happened. */
#include "testutil.h"
#include "tu_data.h"

#include <math.h>
#include "nn/adam.h"
#include "run/experiment.h"
#include "run/train.h"

/* The synthetic task: tu_data.h's quadrant images. */
enum { PIXELS = TU_QUAD_PIXELS };
enum { N_TRAIN = TU_QUAD_TRAIN, N_TEST = TU_QUAD_TEST };

typedef tu_quad_sets fixture;

/* ---- the settings ---- */

/* The paper's protocol (Cloud et al. 2025, the authors' code) is what
 * experiment_defaults gives: 5 seeds from 0, 5 teacher and 5 student
 * epochs, m = 3 auxiliary logits, 2 hidden layers of 256, batch 1024, Adam
 * at 3e-4, normal init, uniform noise as many images as digits; no curves
 * unless asked for. */
static void defaults_are_the_papers_protocol(void **state)
{
    (void)state;
    experiment_config c = experiment_defaults();
    assert_int_equal(c.seeds, 5);
    assert_int_equal(c.seed_start, 0);
    assert_int_equal(c.teacher_epochs, 5);
    assert_int_equal(c.student_epochs, 5);
    assert_int_equal(c.m, 3);
    assert_int_equal(c.width, 256);
    assert_int_equal(c.hidden_layers, 2);
    assert_int_equal(c.batch, 1024);
    assert_true(c.lr == 3e-4);
    assert_int_equal(c.init, MLP_INIT_NORMAL);
    assert_int_equal(c.noise, NOISE_UNIFORM);
    assert_int_equal(c.n_noise, 0);
    assert_int_equal(c.curves, 0);
    /* The optimizer is not a choice but is recorded: Adam, with its betas. */
    size_t n;
    const setting *table = experiment_settings(&n);
    const setting *opt = settings_find(table, n, "optimizer");
    assert_non_null(opt);
    assert_int_equal(opt->type, SETTING_FIXED);
    assert_string_equal(opt->def, ADAM_DESCRIPTION);
}

/* The table is the one place the defaults come from: every field of
 * experiment_config (but curves, which is no setting) has exactly one
 * entry, under the name config.txt uses, and parsing each entry's default
 * text into a garbage-filled struct gives experiment_defaults' very bits. */
static void settings_table_drives_defaults(void **state)
{
    (void)state;
#define AT(field) offsetof(experiment_config, field)
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        {"seeds", AT(seeds)}, {"seed_start", AT(seed_start)}, {"epochs", AT(teacher_epochs)},
        {"student_epochs", AT(student_epochs)}, {"m", AT(m)}, {"width", AT(width)},
        {"hidden_layers", AT(hidden_layers)}, {"batch", AT(batch)}, {"lr", AT(lr)},
        {"init", AT(init)}, {"noise", AT(noise)}, {"noise_images", AT(n_noise)},
        {"dataset", AT(dataset)}, {"student_inputs", AT(student_inputs)},
        {"trait", AT(trait)}, {"trait_epochs", AT(trait_epochs)},
        {"student_width", AT(student_width)}, {"student_depth", AT(student_depth)},
        {"student_init", AT(student_init)}, {"align_every", AT(align_every)},
    };
#undef AT
    const size_t n_fields = sizeof fields / sizeof fields[0];
    size_t n;
    const setting *s = experiment_settings(&n);
    size_t with_field = 0;
    experiment_config got;
    memset(&got, 0xa5, sizeof got);
    err e = {{0}};
    for (size_t i = 0; i < n; i++) {
        if (s[i].type == SETTING_FIXED)
            continue;
        with_field++;
        size_t k = 0;
        while (k < n_fields && strcmp(fields[k].name, s[i].name) != 0)
            k++;
        if (k == n_fields)
            fail_msg("setting %s is not one of experiment_config's known fields", s[i].name);
        assert_int_equal(s[i].offset, fields[k].offset);
        assert_non_null(s[i].def);
        if (setting_parse(&s[i], s[i].def, &got, s[i].name, &e))
            fail_msg("the default of %s does not parse: %s", s[i].name, e.msg);
    }
    assert_int_equal(with_field, n_fields); /* each field once: no duplicates */
    /* Field by field (the padding holds garbage), bit for bit. */
    experiment_config want = experiment_defaults();
#define SAME(f) assert_memory_equal(&got.f, &want.f, sizeof got.f)
    SAME(seeds); SAME(seed_start); SAME(teacher_epochs); SAME(student_epochs);
    SAME(m); SAME(width); SAME(hidden_layers); SAME(batch);
    SAME(lr); SAME(init); SAME(noise); SAME(n_noise);
    SAME(trait.kind); SAME(trait.from); SAME(trait.target); SAME(trait_epochs);
    SAME(student_width); SAME(student_depth); SAME(student_init.kind);
    SAME(student_init.alpha);
#undef SAME
    /* Beyond the paper, nothing runs by default. */
    assert_int_equal(want.trait.kind, TRAIT_NONE);
    assert_int_equal(want.student_width + want.student_depth, 0);
    assert_int_equal(want.student_init.kind, STUDENT_START_OWN);
}

/* ---- the arms ---- */

/* Every arm is found by its name and by what it is (training, start,
 * outputs), both giving its row; there is exactly one teacher; the names
 * results files use mean what they say; a combination no arm has is -1.
 * An arm is trained for its phase's epochs: the teacher --epochs,
 * students --student-epochs, the untrained reference none. */
static void arms_are_found_by_what_they_are(void **state)
{
    (void)state;
    size_t n_arms;
    const arm_spec *arms = experiment_arms(&n_arms);
    assert_true(n_arms > 0 && n_arms <= EXPERIMENT_MAX_ARMS);
    experiment_config cfg = experiment_defaults();
    cfg.teacher_epochs = 7;
    cfg.student_epochs = 3;
    size_t teachers = 0;
    for (size_t a = 0; a < n_arms; a++) {
        assert_int_equal(experiment_arm_index(arms[a].name), (int)a);
        assert_int_equal(experiment_arm_epochs(&cfg, &arms[a]),
                         arms[a].training == ARM_TEACHER         ? 7
                         : arms[a].training == ARM_STUDENT       ? 3
                         : arms[a].training == ARM_TRAIT_TEACHER ? cfg.trait_epochs
                                                                 : 0);
        assert_int_equal(experiment_arm_find(arms[a].training, arms[a].start, arms[a].outputs,
                                             arms[a].imitates),
                         (int)a);
        if (arms[a].training == ARM_TEACHER) {
            teachers++;
            assert_int_equal(experiment_teacher_arm(), a);
        }
        /* Only students imitate; a paper figure is an accuracy, of the
         * paper's six arms, which run always, and of no other. */
        assert_true((arms[a].training == ARM_STUDENT) == (arms[a].outputs != ARM_OUTPUTS_NONE));
        if (arms[a].when == ARM_ALWAYS)
            assert_true(arms[a].paper_mean > 0 && arms[a].paper_mean <= 1);
        else
            assert_true(isnan(arms[a].paper_mean));
        assert_int_equal(experiment_arm_runs(&cfg, a), arms[a].when == ARM_ALWAYS);
    }
    assert_int_equal(teachers, 1);
    assert_int_equal(experiment_arms_run(&cfg, NULL), 6);
    assert_int_equal(experiment_arm_find(ARM_UNTRAINED, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE,
                                         ARM_IMITATES_TEACHER),
                     experiment_arm_index("reference"));
    assert_int_equal(experiment_teacher_arm(), experiment_arm_index("teacher"));
    assert_int_equal(experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER),
                     experiment_arm_index("student_aux_same"));
    assert_int_equal(experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER),
                     experiment_arm_index("student_aux_cross"));
    assert_int_equal(experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_ALL, ARM_IMITATES_TEACHER),
                     experiment_arm_index("student_all_same"));
    assert_int_equal(experiment_arm_find(ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_ALL, ARM_IMITATES_TEACHER),
                     experiment_arm_index("student_all_cross"));
    assert_int_equal(experiment_arm_find(ARM_TEACHER, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_ALL,
                                         ARM_IMITATES_TEACHER), -1);
    assert_int_equal(experiment_arm_index("no_such_arm"), -1);
    assert_int_equal(experiment_arm_index(""), -1);
}

/* The rows of one seed of a run without the settings beyond the paper:
 * the paper's six arms, the first six of the table, so a row's index in a
 * seed is its arm's. */
static size_t paper_arms(void)
{
    experiment_config cfg = experiment_defaults();
    size_t which[EXPERIMENT_MAX_ARMS], n = experiment_arms_run(&cfg, which);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(which[k], k);
    return n;
}

/* ---- what the hooks heard ---- */

typedef struct {
    size_t n_seed_calls, n_epoch_calls, n_batch_calls, n_teacher_batches;
    uint64_t seeds_seen[4];
    int fail_on_seed;       /* on_seed returns an error on this call (1-based) */
    size_t n_acc_nan, n_acc_number;
    size_t epochs_of[EXPERIMENT_MAX_ARMS]; /* on_epoch calls per arm */
    double last_acc[EXPERIMENT_MAX_ARMS];  /* of the last seed's last epoch */
    /* teachers saved by on_teacher, handed back by load_teacher */
    size_t P, n_saved, n_loaded;
    float *saved[2];
    double saved_loss[2];
    int load;               /* load_teacher hands the saved teachers back */
    uint64_t done_seed;     /* seed_done says yes for this seed (+1; 0: none) */
} exp_recorder;

static void exp_batch(void *ctx, uint64_t seed, enum train_phase phase, size_t epoch,
                      size_t n_epochs, size_t batch, size_t n_batches, double loss)
{
    exp_recorder *r = ctx;
    (void)seed, (void)epoch, (void)n_epochs, (void)batch, (void)n_batches, (void)loss;
    r->n_batch_calls++;
    r->n_teacher_batches += phase == TRAIN_TEACHER;
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
    r->n_acc_nan += isnan(test_acc);
    r->n_acc_number += !isnan(test_acc);
    assert_true(isnan(test_acc) || (test_acc >= 0 && test_acc <= 1));
    assert_true(arm < EXPERIMENT_MAX_ARMS);
    r->epochs_of[arm]++;
    r->last_acc[arm] = test_acc;
}

static int exp_seed(void *ctx, const arm_result *rows, size_t n_rows, err *e)
{
    exp_recorder *r = ctx;
    size_t n_arms = paper_arms();
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
    return cfg; /* noise images: as many as digits; no curves */
}

static int same_rows(const arm_result *a, const arm_result *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i].seed != b[i].seed || a[i].arm != b[i].arm || a[i].ok != b[i].ok ||
            a[i].correct != b[i].correct || a[i].total != b[i].total ||
            memcmp(&a[i].final_loss, &b[i].final_loss, sizeof(double)) != 0 ||
            a[i].has_classes != b[i].has_classes ||
            memcmp(a[i].classes, b[i].classes, sizeof a[i].classes) != 0 ||
            strcmp(a[i].why, b[i].why) != 0)
            return 0;
    return 1;
}

/* ---- experiment_run ---- */

/* Every row of every seed is filled (seed-major, in arm order), on_seed
 * hears each seed once; the reference row is θ0 of the seed untrained, the
 * teacher row is θ0 trained by train_teacher with the seed, each row's
 * counts per digit add up to its test counts; a second run, a run on 2
 * threads and a run with curves give the very same rows, counts included. */
static void experiment_fills_every_row_deterministically(void **state)
{
    fixture *fx = *state;
    size_t n_arms = paper_arms();
    const arm_spec *arms = experiment_arms(&(size_t){0});
    experiment_config cfg = tiny_config();
    arm_result rows[3][2 * EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    exp_recorder rec = {0};
    experiment_hooks hooks = {.on_batch = exp_batch, .on_epoch = exp_epoch,
                              .on_seed = exp_seed, .ctx = &rec};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, rows[0], &e), 0);
    assert_int_equal(rec.n_seed_calls, 2);
    assert_int_equal(rec.seeds_seen[0], 40);
    assert_int_equal(rec.seeds_seen[1], 41);
    assert_true(rec.n_batch_calls > rec.n_teacher_batches && rec.n_teacher_batches > 0);

    size_t teacher_arm = experiment_teacher_arm();
    int reference_arm = experiment_arm_find(ARM_UNTRAINED, ARM_FROM_SHARED_INIT,
                                            ARM_OUTPUTS_NONE, ARM_IMITATES_TEACHER);
    assert_true(reference_arm >= 0);
    for (size_t s = 0; s < 2; s++)
        for (size_t a = 0; a < n_arms; a++) {
            const arm_result *r = &rows[0][s * n_arms + a];
            assert_int_equal(r->seed, 40 + s);
            assert_int_equal(r->arm, a);
            if (!r->ok)
                fail_msg("seed %zu arm %s failed: %s", s, arms[a].name, r->why);
            assert_int_equal(r->total, N_TEST);
            assert_true(r->correct <= r->total);
            /* Its counts per digit: every test image once, the right ones
             * on the diagonal. */
            assert_true(r->has_classes);
            size_t sum = 0, diagonal = 0;
            for (size_t k = 0; k < EXPERIMENT_CLASSES * EXPERIMENT_CLASSES; k++) {
                sum += r->classes[k];
                diagonal += k % (EXPERIMENT_CLASSES + 1) == 0 ? r->classes[k] : 0;
            }
            assert_int_equal(sum, r->total);
            assert_int_equal(diagonal, r->correct);
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
        mlp_shape shape;
        assert_int_equal(mlp_shape_make(&shape, PIXELS, cfg.width, cfg.hidden_layers,
                                        EXPERIMENT_CLASSES + cfg.m, NULL), 0);
        float *q = mlp_arena_new_f32(&shape);
        assert_non_null(q);
        mlp_init_params_f32(q, &shape, cfg.init, 40 + s, 0);
        trainer t;
        assert_int_equal(trainer_init(&t, &shape, EXPERIMENT_CLASSES, cfg.batch, N_TRAIN, NULL,
                                      NULL), 0);
        assert_int_equal(seed_rows[reference_arm].correct, train_count_correct(&t, q, &fx->test));
        adam opt;
        assert_int_equal(adam_init(&opt, mlp_n_params(&shape), adam_defaults(cfg.lr), NULL), 0);
        double loss;
        assert_int_equal(train_teacher(&t, q, &opt, &fx->train, cfg.teacher_epochs, 40 + s,
                                       NULL, &loss, NULL), 0);
        assert_int_equal(seed_rows[teacher_arm].correct, train_count_correct(&t, q, &fx->test));
        assert_true(seed_rows[teacher_arm].final_loss == loss);
        adam_free(&opt);
        trainer_free(&t);
        free(q);
    }
    /* The two seeds are different runs. */
    assert_true(rows[0][teacher_arm].final_loss != rows[0][n_arms + teacher_arm].final_loss);

    /* Again, without hooks: the same rows.  On 2 threads, with per-epoch
     * test curves (evaluation between epochs must not disturb training):
     * the same rows. */
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
    /* Each trained arm's epochs, per seed; the untrained arm's none. */
    for (size_t a = 0; a < n_arms; a++)
        assert_int_equal(rec2.epochs_of[a], 2 * experiment_arm_epochs(&cfg, &arms[a]));
}

/* on_epoch's test accuracy is NaN for every epoch without curves and a
 * number for every epoch with them, the last one each arm's final row;
 * and curves are measured whether anyone listens or not: with no hooks at
 * all the rows are those of a run whose on_epoch listens (the final counts
 * reuse the last curve point), also for a teacher of 0 epochs. */
static void experiment_curves_need_no_listener(void **state)
{
    fixture *fx = *state;
    size_t n_arms = paper_arms();
    const arm_spec *arms = experiment_arms(&(size_t){0});
    experiment_config cfg = tiny_config();
    cfg.seeds = 1;
    arm_result plain[EXPERIMENT_MAX_ARMS], heard[EXPERIMENT_MAX_ARMS],
        unheard[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    exp_recorder rec = {0};
    experiment_hooks hooks = {.on_epoch = exp_epoch, .ctx = &rec};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, plain, &e), 0);
    assert_true(rec.n_epoch_calls > 0);
    assert_int_equal(rec.n_acc_nan, rec.n_epoch_calls);

    cfg.curves = 1;
    for (int zero_teacher = 0; zero_teacher < 2; zero_teacher++) {
        if (zero_teacher) {
            cfg.teacher_epochs = 0;
            cfg.curves = 0;
            assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, NULL, plain, &e),
                             0);
            cfg.curves = 1;
        }
        memset(&rec, 0, sizeof rec);
        assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, heard, &e),
                         0);
        assert_true(rec.n_epoch_calls > 0);
        assert_int_equal(rec.n_acc_number, rec.n_epoch_calls);
        for (size_t a = 0; a < n_arms; a++)
            if (experiment_arm_epochs(&cfg, &arms[a]) > 0)
                assert_true(rec.last_acc[a] == (double)heard[a].correct / (double)N_TEST);
        assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, NULL, unheard, &e),
                         0);
        assert_true(same_rows(heard, unheard, n_arms));
        assert_true(same_rows(plain, unheard, n_arms)); /* curves change no row */
    }
}

/* A teacher saved by on_teacher and handed back by load_teacher gives the
 * rows of a run that trained it, without training it again; with curves,
 * a loaded teacher has no curve points (it was not trained in that run),
 * its students still do. */
static void experiment_reuses_saved_teachers(void **state)
{
    fixture *fx = *state;
    size_t n_arms = paper_arms();
    experiment_config cfg = tiny_config();
    mlp_shape shape;
    assert_int_equal(mlp_shape_make(&shape, PIXELS, cfg.width, cfg.hidden_layers,
                                    EXPERIMENT_CLASSES + cfg.m, NULL), 0);
    exp_recorder rec = {.P = mlp_n_params(&shape)};
    for (int k = 0; k < 2; k++) {
        rec.saved[k] = mlp_arena_new_f32(&shape);
        assert_non_null(rec.saved[k]);
    }
    experiment_hooks hooks = {.on_batch = exp_batch, .on_teacher = exp_on_teacher,
                              .load_teacher = exp_load_teacher, .ctx = &rec};
    arm_result first[2 * EXPERIMENT_MAX_ARMS], second[2 * EXPERIMENT_MAX_ARMS];
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

    cfg.curves = 1;
    hooks.on_epoch = exp_epoch;
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, second, &e), 0);
    assert_true(same_rows(first, second, 2 * n_arms));
    assert_int_equal(rec.epochs_of[experiment_teacher_arm()], 0);
    int aux_same = experiment_arm_find(ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, ARM_IMITATES_TEACHER);
    assert_int_equal(rec.epochs_of[aux_same], 2 * cfg.student_epochs);
    free(rec.saved[0]);
    free(rec.saved[1]);
}

/* A seed the caller already has (a resumed run) is skipped: its rows are
 * left alone and on_seed is not called for it; the other seed's rows are
 * those of a full run. */
static void experiment_skips_done_seeds(void **state)
{
    fixture *fx = *state;
    size_t n_arms = paper_arms();
    experiment_config cfg = tiny_config();
    arm_result full[2 * EXPERIMENT_MAX_ARMS], resumed[2 * EXPERIMENT_MAX_ARMS];
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

/* on_seed failing (a full disk) stops the run with its error at once: no
 * further seed is trained. */
static void experiment_stops_when_saving_fails(void **state)
{
    fixture *fx = *state;
    experiment_config cfg = tiny_config();
    cfg.seeds = 3;
    cfg.teacher_epochs = 1;
    cfg.student_epochs = 1;
    arm_result rows[3 * EXPERIMENT_MAX_ARMS];
    exp_recorder rec = {.fail_on_seed = 1};
    experiment_hooks hooks = {.on_seed = exp_seed, .ctx = &rec};
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, &hooks, rows, &e), -1);
    tu_assert_contains(e.msg, "disk full");
    assert_int_equal(rec.n_seed_calls, 1); /* no further seed was run */
}

/* A teacher that diverges fails, saying where (arm, seed, epoch 1 and
 * batch: the rate overflows at once), and with it every student (no
 * teacher to imitate); the untrained reference still counts, and the run
 * itself succeeds: a diverged arm is a result, not an error.  With a
 * 0-epoch teacher (its init, which cannot diverge) the students diverge
 * themselves, each saying where. */
static void diverged_arms_say_where(void **state)
{
    fixture *fx = *state;
    size_t n_arms = paper_arms();
    const arm_spec *arms = experiment_arms(&(size_t){0});
    experiment_config cfg = tiny_config();
    cfg.seeds = 1;
    cfg.n_noise = 64;
    cfg.lr = 1e30;
    arm_result rows[EXPERIMENT_MAX_ARMS];
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, NULL, rows, &e), 0);
    for (size_t a = 0; a < n_arms; a++) {
        if (arms[a].training == ARM_UNTRAINED) {
            assert_true(rows[a].ok);
            continue;
        }
        assert_false(rows[a].ok);
        if (arms[a].training == ARM_TEACHER) {
            tu_assert_contains(rows[a].why, "teacher, seed 40: ");
            tu_assert_contains(rows[a].why, "not finite");
            tu_assert_contains(rows[a].why, "epoch 1, batch ");
        } else {
            tu_assert_contains(rows[a].why, "teacher");
        }
    }
    cfg.teacher_epochs = 0;
    assert_int_equal(experiment_run(&cfg, &fx->train, &fx->test, NULL, NULL, rows, &e), 0);
    assert_true(rows[experiment_teacher_arm()].ok);
    size_t failed = 0;
    for (size_t a = 0; a < n_arms; a++) {
        if (arms[a].training != ARM_STUDENT || rows[a].ok)
            continue;
        failed++;
        char want[64];
        snprintf(want, sizeof want, "%s, seed 40: ", arms[a].name);
        tu_assert_contains(rows[a].why, want);
        tu_assert_contains(rows[a].why, "epoch ");
        tu_assert_contains(rows[a].why, "batch ");
    }
    assert_true(failed > 0);
}

/* Test images of another size than the training images are refused,
 * naming both sizes, before anything is trained. */
static void experiment_refuses_mismatched_images(void **state)
{
    fixture *fx = *state;
    dataset other;
    tu_make_quadrants(&other, 10, 3);
    other.rows = 4;
    other.cols = 16; /* same pixel count would pass; change it */
    other.pixels = 4 * 8;
    experiment_config cfg = tiny_config();
    arm_result rows[2 * EXPERIMENT_MAX_ARMS];
    exp_recorder rec = {0};
    experiment_hooks hooks = {.on_batch = exp_batch, .ctx = &rec};
    err e = {{0}};
    assert_int_equal(experiment_run(&cfg, &fx->train, &other, NULL, &hooks, rows, &e), -1);
    tu_assert_contains(e.msg, "8x8");
    tu_assert_contains(e.msg, "4x16");
    assert_int_equal(rec.n_batch_calls, 0);
    dataset_free(&other);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_quad_setup, tu_quad_teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_are_the_papers_protocol),
        cmocka_unit_test(settings_table_drives_defaults),
        cmocka_unit_test(arms_are_found_by_what_they_are),
        T(experiment_fills_every_row_deterministically),
        T(experiment_curves_need_no_listener),
        T(experiment_reuses_saved_teachers),
        T(experiment_skips_done_seeds),
        T(experiment_stops_when_saving_fails),
        T(diverged_arms_say_where),
        T(experiment_refuses_mismatched_images),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
