#include "run/experiment.h"
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/interrupt.h"
#include "nn/adam.h"

/* paper_mean: Cloud et al. 2025, MNIST figure (mean of 100 runs). */
static const arm_spec ARMS[] = {
    {"reference", ARM_UNTRAINED, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE, 0.10},
    {"teacher", ARM_TEACHER, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE, 0.943},
    {"student_aux_same", ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_AUX, 0.53},
    {"student_aux_cross", ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_AUX, 0.107},
    {"student_all_same", ARM_STUDENT, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_ALL, 0.91},
    {"student_all_cross", ARM_STUDENT, ARM_FROM_OTHER_INIT, ARM_OUTPUTS_ALL, 0.74},
};
#define N_ARMS (sizeof ARMS / sizeof ARMS[0])
_Static_assert(N_ARMS <= EXPERIMENT_MAX_ARMS, "more arms than EXPERIMENT_MAX_ARMS");

const arm_spec *experiment_arms(size_t *n_arms)
{
    *n_arms = N_ARMS;
    return ARMS;
}

int experiment_arm_index(const char *name)
{
    for (size_t a = 0; a < N_ARMS; a++)
        if (strcmp(ARMS[a].name, name) == 0)
            return (int)a;
    return -1;
}

int experiment_arm_find(enum arm_training training, enum arm_start start,
                        enum arm_outputs outputs)
{
    for (size_t a = 0; a < N_ARMS; a++)
        if (ARMS[a].training == training && ARMS[a].start == start &&
            ARMS[a].outputs == outputs)
            return (int)a;
    return -1;
}

size_t experiment_teacher_arm(void)
{
    return (size_t)experiment_arm_find(ARM_TEACHER, ARM_FROM_SHARED_INIT, ARM_OUTPUTS_NONE);
}

size_t experiment_arm_epochs(const experiment_config *cfg, const arm_spec *arm)
{
    return arm->training == ARM_TEACHER   ? cfg->teacher_epochs
           : arm->training == ARM_STUDENT ? cfg->student_epochs
                                          : 0;
}

/* ---- the settings ---- */

_Static_assert(sizeof(enum mlp_init) == sizeof(unsigned) &&
                   sizeof(enum noise_kind) == sizeof(unsigned),
               "choice settings are stored as unsigned");

#define AT(field) offsetof(experiment_config, field)
/* The defaults are the paper's protocol (the authors' code). */
static const setting SETTINGS[] = {
    {"seeds", SETTING_SIZE, AT(seeds), "5", 1, 100000, NULL, "independent replicates",
     SETTING_SEEDS},
    {"seed_start", SETTING_U64, AT(seed_start), "0", 0, 1e15, NULL, "first seed",
     SETTING_SEEDS},
    {"epochs", SETTING_SIZE, AT(teacher_epochs), "5", 0, EXPERIMENT_MAX_EPOCHS, NULL,
     "teacher epochs", 0},
    {"student_epochs", SETTING_SIZE, AT(student_epochs), "5", 0, EXPERIMENT_MAX_EPOCHS, NULL,
     "student epochs", 0},
    {"m", SETTING_SIZE, AT(m), "3", 1, 1000, NULL, "auxiliary logits", 0},
    {"width", SETTING_SIZE, AT(width), "256", 1, 65536, NULL, "hidden units per layer", 0},
    {"hidden_layers", SETTING_SIZE, AT(hidden_layers), "2", 1, MLP_MAX_LAYERS - 1, NULL,
     "hidden layers", SETTING_NO_FLAG},
    {"batch", SETTING_SIZE, AT(batch), "1024", 1, 65536, NULL, "batch size", 0},
    {"lr", SETTING_REAL, AT(lr), "3e-4", 1e-12, 1e6, NULL, "Adam learning rate", 0},
    {"init", SETTING_CHOICE, AT(init), "normal", 0, 0, MLP_INIT_NAMES, "weight init", 0},
    {"noise", SETTING_CHOICE, AT(noise), "uniform", 0, 0, NOISE_NAMES,
     "students' input noise", 0},
    {"noise_images", SETTING_SIZE, AT(n_noise), "0", 0, 10000000, NULL,
     "noise images per seed (0: as many as training digits)", 0},
    {"optimizer", SETTING_FIXED, 0, ADAM_DESCRIPTION, 0, 0, NULL, "the optimizer", 0},
};
#undef AT

const setting *experiment_settings(size_t *n)
{
    *n = sizeof SETTINGS / sizeof SETTINGS[0];
    return SETTINGS;
}

experiment_config experiment_defaults(void)
{
    experiment_config c;
    memset(&c, 0, sizeof c);
    settings_init(SETTINGS, sizeof SETTINGS / sizeof SETTINGS[0], &c);
    return c;
}

/* Everything one seed needs, allocated once for the whole run. */
typedef struct {
    mlp_shape shape;
    size_t n_params;
    float *init[2];        /* θ0 (shared) and θ0' (other) */
    float *teacher;
    float *student[N_ARMS];
    adam opt[N_ARMS];
    float *noise_logits;   /* [n_noise][dL] */
    trainer tr;
} run_state;

static void state_free(run_state *st)
{
    free(st->init[0]);
    free(st->init[1]);
    free(st->teacher);
    for (size_t a = 0; a < N_ARMS; a++) {
        free(st->student[a]);
        adam_free(&st->opt[a]);
    }
    free(st->noise_logits);
    trainer_free(&st->tr);
}

static int state_init(run_state *st, const experiment_config *cfg, size_t pixels,
                      size_t n_train, size_t n_noise, pool *p, err *e)
{
    memset(st, 0, sizeof *st);
    if (mlp_shape_make(&st->shape, pixels, cfg->width, cfg->hidden_layers,
                       EXPERIMENT_CLASSES + cfg->m, e))
        return -1;
    st->n_params = mlp_n_params(&st->shape);
    adam_config ac = adam_defaults(cfg->lr);
    int ok = 1;
    for (int k = 0; k < 2; k++)
        ok &= (st->init[k] = mlp_arena_new_f32(&st->shape)) != NULL;
    ok &= (st->teacher = mlp_arena_new_f32(&st->shape)) != NULL;
    for (size_t a = 0; a < N_ARMS && ok; a++) {
        if (ARMS[a].training == ARM_UNTRAINED)
            continue;
        if (ARMS[a].training == ARM_STUDENT)
            ok &= (st->student[a] = mlp_arena_new_f32(&st->shape)) != NULL;
        ok &= adam_init(&st->opt[a], st->n_params, ac, NULL) == 0;
    }
    size_t n_out = st->shape.dims[st->shape.n_layers];
    ok &= (st->noise_logits = malloc(n_noise * n_out * sizeof(float))) != NULL;
    size_t most = n_train > n_noise ? n_train : n_noise;
    if (!ok || trainer_init(&st->tr, &st->shape, EXPERIMENT_CLASSES, cfg->batch, most,
                            p, e)) {
        state_free(st);
        return ok ? -1 : err_set(e, "out of memory for the experiment's networks");
    }
    return 0;
}

/* Noise images per seed: --noise-images, or as many as training digits. */
static size_t noise_images(const experiment_config *cfg, const dataset *train)
{
    return cfg->n_noise ? cfg->n_noise : train->n;
}

size_t experiment_memory_bytes(const experiment_config *cfg, const dataset *train,
                               const dataset *test)
{
    mlp_shape shape;
    if (mlp_shape_make(&shape, train->pixels, cfg->width, cfg->hidden_layers,
                       EXPERIMENT_CLASSES + cfg->m, NULL))
        return 0;
    /* What state_init allocates: arenas for θ0, θ0', the teacher and each
     * student, Adam for every trained arm, the noise logits, the trainer. */
    size_t P = mlp_n_params(&shape), n_out = shape.dims[shape.n_layers];
    size_t n_noise = noise_images(cfg, train), arenas = 3, optimizers = 0;
    for (size_t a = 0; a < N_ARMS; a++) {
        arenas += ARMS[a].training == ARM_STUDENT;
        optimizers += ARMS[a].training != ARM_UNTRAINED;
    }
    size_t most = train->n > n_noise ? train->n : n_noise;
    return arenas * P * sizeof(float) + optimizers * adam_bytes(P) +
           n_noise * n_out * sizeof(float) + trainer_bytes(&shape, cfg->batch, most) +
           dataset_bytes(train) + dataset_bytes(test);
}

static loss_outputs outputs_of(enum arm_outputs o, size_t m)
{
    loss_outputs sel = {0, EXPERIMENT_CLASSES + m};
    if (o == ARM_OUTPUTS_AUX)
        sel.begin = EXPERIMENT_CLASSES;
    return sel;
}

/* Bridges the training loops' callbacks to the experiment's: names the
 * arm, and measures test accuracy per epoch when curves are asked for
 * (whether or not anyone listens: the final counts reuse the last one). */
typedef struct {
    const experiment_hooks *hooks; /* may be NULL */
    const experiment_config *cfg;
    run_state *st;
    const dataset *test;
    uint64_t seed;
    size_t student_arm[N_ARMS]; /* student k of train_students -> arm */
    /* Test predictions of an arm's final parameters, counted for its last
     * curve point, so the final evaluation need not count them again. */
    size_t final_correct[N_ARMS];
    int has_final_correct[N_ARMS];
    double teacher_peak; /* the teacher's highest epoch mean loss so far */
} bridge;

static void bridge_batch(void *ctx, enum train_phase phase, size_t epoch, size_t n_epochs,
                         size_t batch, size_t n_batches, double loss)
{
    bridge *b = ctx;
    if (b->hooks && b->hooks->on_batch)
        b->hooks->on_batch(b->hooks->ctx, b->seed, phase, epoch, n_epochs, batch, n_batches,
                           loss);
}

static void bridge_epoch(void *ctx, enum train_phase phase, size_t epoch, size_t net,
                         const float *params, double loss)
{
    bridge *b = ctx;
    size_t arm = phase == TRAIN_TEACHER ? experiment_teacher_arm() : b->student_arm[net];
    if (phase == TRAIN_TEACHER)
        b->teacher_peak = fmax(b->teacher_peak, loss);
    double acc = NAN;
    if (b->cfg->curves) {
        size_t correct = train_count_correct(&b->st->tr, params, b->test);
        if (epoch + 1 == experiment_arm_epochs(b->cfg, &ARMS[arm])) {
            b->final_correct[arm] = correct;
            b->has_final_correct[arm] = 1;
        }
        acc = (double)correct / (double)b->test->n;
    }
    if (b->hooks && b->hooks->on_epoch)
        b->hooks->on_epoch(b->hooks->ctx, b->seed, arm, epoch, loss, acc);
}

/* Why an arm failed, naming the arm and the seed before the training
 * loop's own words (which name the epoch and the batch). */
static void set_why(arm_result *r, const char *what)
{
    int n = snprintf(r->why, sizeof r->why, "%s, seed %" PRIu64 ": ", ARMS[r->arm].name,
                     r->seed);
    if (n > 0 && (size_t)n < sizeof r->why)
        snprintf(r->why + n, sizeof r->why - (size_t)n, "%s", what);
}

/* A teacher worse than guessing: whether its loss rose above θ0's on the
 * way (the step is too large) or never did (it is undertrained).  Costs one
 * pass over the training digits, only for such a teacher. */
static void judge_teacher(run_state *st, const dataset *train, double peak, arm_result *row)
{
    if (!(row->final_loss > log(EXPERIMENT_CLASSES)))
        return;
    row->start_loss = train_mean_loss(&st->tr, st->init[0], train);
    row->peak_loss = fmax(peak, row->final_loss);
    row->verdict = row->peak_loss > EXPERIMENT_LOSS_RISE * row->start_loss
                       ? TEACHER_UNSTABLE
                       : TEACHER_UNDERTRAINED;
}

/* A seed's rows; fails only when interrupted (then the rows are not final). */
static int run_seed(run_state *st, const experiment_config *cfg, uint64_t seed,
                    const dataset *train, const dataset *test, size_t n_noise,
                    const experiment_hooks *user_hooks, arm_result *rows, err *e)
{
    bridge br = {user_hooks, cfg, st, test, seed, {0}, {0}, {0}, -INFINITY};
    train_hooks bridged = {bridge_batch, bridge_epoch, &br};
    const train_hooks *hooks = &bridged;
    size_t P = st->n_params;
    mlp_init_params_f32(st->init[0], &st->shape, cfg->init, seed, 0);
    mlp_init_params_f32(st->init[1], &st->shape, cfg->init, seed, 1);
    for (size_t a = 0; a < N_ARMS; a++) {
        rows[a] = (arm_result){.seed = seed, .arm = a, .ok = 1, .total = test->n};
        if (ARMS[a].training != ARM_UNTRAINED)
            adam_reset(&st->opt[a]);
    }

    /* The teacher, then its logits on this seed's noise, computed once. */
    memcpy(st->teacher, st->init[0], P * sizeof(float));
    size_t teacher_arm = experiment_teacher_arm();
    err terr;
    int loaded = user_hooks && user_hooks->load_teacher &&
                 user_hooks->load_teacher(user_hooks->ctx, seed, st->teacher,
                                          &rows[teacher_arm].final_loss);
    if (!loaded &&
        train_teacher(&st->tr, st->teacher, &st->opt[teacher_arm], train,
                      cfg->teacher_epochs, seed, hooks, &rows[teacher_arm].final_loss,
                      &terr)) {
        if (interrupt_check(e))
            return -1;
        /* Without a teacher no student can be trained: all of them fail. */
        for (size_t a = 0; a < N_ARMS; a++) {
            if (ARMS[a].training == ARM_UNTRAINED)
                continue;
            rows[a].ok = 0;
            set_why(&rows[a], a == teacher_arm ? terr.msg : "no teacher (its training diverged)");
        }
    } else {
        if (!loaded && user_hooks && user_hooks->on_teacher)
            user_hooks->on_teacher(user_hooks->ctx, seed, st->teacher,
                                   rows[teacher_arm].final_loss);
        judge_teacher(st, train, br.teacher_peak, &rows[teacher_arm]);
        train_noise_logits(&st->tr, st->teacher, st->noise_logits, seed, cfg->noise, n_noise);
        student students[N_ARMS];
        size_t arm_of[N_ARMS], n_students = 0;
        for (size_t a = 0; a < N_ARMS; a++) {
            if (ARMS[a].training != ARM_STUDENT)
                continue;
            int from = ARMS[a].start == ARM_FROM_SHARED_INIT ? 0 : 1;
            memcpy(st->student[a], st->init[from], P * sizeof(float));
            students[n_students] = (student){.params = st->student[a], .opt = &st->opt[a],
                                             .outputs = outputs_of(ARMS[a].outputs, cfg->m)};
            br.student_arm[n_students] = a;
            arm_of[n_students++] = a;
        }
        if (train_students(&st->tr, students, n_students, st->noise_logits, n_noise,
                           cfg->student_epochs, seed, cfg->noise, hooks, e))
            return -1;
        for (size_t k = 0; k < n_students; k++) {
            arm_result *r = &rows[arm_of[k]];
            r->ok = !students[k].failed;
            r->final_loss = students[k].final_loss;
            if (!r->ok)
                set_why(r, students[k].why);
        }
    }

    for (size_t a = 0; a < N_ARMS; a++) {
        if (!rows[a].ok)
            continue;
        const float *params = ARMS[a].training == ARM_UNTRAINED ? st->init[0]
                              : ARMS[a].training == ARM_TEACHER ? st->teacher
                                                                : st->student[a];
        rows[a].correct = br.has_final_correct[a] ? br.final_correct[a]
                                                  : train_count_correct(&st->tr, params, test);
    }
    return 0;
}

int experiment_run(const experiment_config *cfg, const dataset *train,
                   const dataset *test, pool *p, const experiment_hooks *hooks,
                   arm_result *rows, err *e)
{
    if (train->pixels != test->pixels)
        return err_set(e, "training images are %zux%zu but test images %zux%zu",
                       train->rows, train->cols, test->rows, test->cols);
    size_t n_noise = noise_images(cfg, train);
    run_state st;
    if (state_init(&st, cfg, train->pixels, train->n, n_noise, p, e))
        return -1;
    int rc = 0;
    for (size_t s = 0; s < cfg->seeds && rc == 0; s++) {
        arm_result *seed_rows = rows + s * N_ARMS;
        if (hooks && hooks->seed_done && hooks->seed_done(hooks->ctx, cfg->seed_start + s))
            continue;
        rc = run_seed(&st, cfg, cfg->seed_start + s, train, test, n_noise, hooks, seed_rows, e);
        if (rc == 0 && hooks && hooks->on_seed)
            rc = hooks->on_seed(hooks->ctx, seed_rows, N_ARMS, e);
    }
    state_free(&st);
    return rc;
}
