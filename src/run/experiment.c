#include "run/experiment.h"
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/detmath.h"
#include "base/interrupt.h"
#include "base/rng.h"
#include "nn/adam.h"

/* Everything one seed needs, allocated once for the whole run. */
typedef struct {
    const arm_spec *arms;
    size_t n_arms;
    int runs[EXPERIMENT_MAX_ARMS];   /* experiment_arm_runs */
    mlp_shape shape, other;          /* the teacher's; the students' of another shape */
    float *init[2];                  /* θ0 (shared) and θ0' (other) */
    float *net[EXPERIMENT_MAX_ARMS]; /* every trained arm's parameters */
    adam opt[EXPERIMENT_MAX_ARMS];
    align_tracker align[EXPERIMENT_MAX_ARMS]; /* the students' (experiment_arm_aligns()) */
    double *teacher_move[2];         /* per enum arm_imitates: θ_T - θ0, when aligned
                                        students imitate that teacher */
    float *mix_start;                /* a mixed start, kept while aligned (else NULL) */
    float *noise_logits;             /* the teacher's on the noise: [n_noise][dL] */
    float *trait_logits;             /* the trait teacher's (with a trait) */
    size_t *pixel_perm;              /* shuffled inputs' permutation: [pixels] */
    const dataset *input_images;     /* what image inputs are taken from (NULL: noise) */
    train_inputs inputs;             /* the students' inputs of the seed */
    trainer tr;                      /* networks of the teacher's shape */
    trainer tr_other;                /* of the other shape (when such students run) */
    int has_other;
} run_state;

static void state_free(run_state *st)
{
    free(st->init[0]);
    free(st->init[1]);
    for (size_t a = 0; a < st->n_arms; a++) {
        free(st->net[a]);
        adam_free(&st->opt[a]);
        align_tracker_free(&st->align[a]);
    }
    free(st->teacher_move[0]);
    free(st->teacher_move[1]);
    free(st->mix_start);
    free(st->noise_logits);
    free(st->trait_logits);
    free(st->pixel_perm);
    trainer_free(&st->tr);
    trainer_free(&st->tr_other);
}

/* Noise images per seed: --noise-images, or as many as training digits. */
static size_t noise_images(const experiment_config *cfg, const dataset *train)
{
    return cfg->n_noise ? cfg->n_noise : train->n;
}

static size_t most(size_t a, size_t b) { return a > b ? a : b; }

/* Examples the teacher's trainer may see in one epoch: the digits (with
 * the trait teacher's noise) or the students' noise. */
static size_t teacher_examples(const experiment_config *cfg, const dataset *train)
{
    return most(most(train->n, experiment_trait_examples(cfg, train->n)),
                noise_images(cfg, train));
}

static int state_init(run_state *st, const experiment_config *cfg, const dataset *train,
                      pool *p, err *e)
{
    memset(st, 0, sizeof *st);
    st->arms = experiment_arms(&st->n_arms);
    if (experiment_shape(cfg, train->pixels, &st->shape, e) ||
        experiment_student_shape(cfg, train->pixels, &st->other, e))
        return -1;
    size_t n_noise = noise_images(cfg, train), n_out = st->shape.dims[st->shape.n_layers];
    adam_config ac = adam_defaults(cfg->lr);
    int ok = 1;
    for (int k = 0; k < 2; k++)
        ok &= (st->init[k] = mlp_arena_new_f32(&st->shape)) != NULL;
    for (size_t a = 0; a < st->n_arms && ok; a++) {
        st->runs[a] = experiment_arm_runs(cfg, a);
        if (!st->runs[a] || st->arms[a].training == ARM_UNTRAINED)
            continue;
        const mlp_shape *s = experiment_arm_other_shape(&st->arms[a]) ? &st->other : &st->shape;
        st->has_other |= s == &st->other;
        ok &= (st->net[a] = mlp_arena_new_f32(s)) != NULL;
        ok &= adam_init(&st->opt[a], mlp_n_params(s), ac, NULL) == 0;
        if (!experiment_arm_aligns(cfg, &st->arms[a]))
            continue;
        ok &= align_tracker_init(&st->align[a], s, NULL) == 0;
        double **move = &st->teacher_move[st->arms[a].imitates];
        if (!*move)
            ok &= (*move = malloc(mlp_n_params(s) * sizeof **move)) != NULL;
        if (st->arms[a].start == ARM_FROM_MIXED_INIT)
            ok &= (st->mix_start = mlp_arena_new_f32(s)) != NULL;
    }
    ok &= (st->noise_logits = malloc(n_noise * n_out * sizeof(float))) != NULL;
    if (cfg->trait.kind != TRAIT_NONE)
        ok &= (st->trait_logits = malloc(n_noise * n_out * sizeof(float))) != NULL;
    ok &= (st->pixel_perm = malloc(train->pixels * sizeof *st->pixel_perm)) != NULL;
    if (!ok || trainer_init(&st->tr, &st->shape, EXPERIMENT_CLASSES, cfg->batch,
                            teacher_examples(cfg, train), p, e) ||
        (st->has_other && trainer_init(&st->tr_other, &st->other, EXPERIMENT_CLASSES,
                                       cfg->batch, n_noise, p, e))) {
        state_free(st);
        return ok ? -1 : err_set(e, "out of memory for the experiment's networks");
    }
    return 0;
}

size_t experiment_memory_bytes(const experiment_config *cfg, const dataset *train,
                               const dataset *test)
{
    mlp_shape shape, other;
    if (experiment_shape(cfg, train->pixels, &shape, NULL) ||
        experiment_student_shape(cfg, train->pixels, &other, NULL))
        return 0;
    /* What state_init allocates: θ0 and θ0', each trained arm's network,
     * Adam and alignment tracker, the noise logits (twice with a trait), the trainers. */
    size_t n_arms, n_noise = noise_images(cfg, train), n_out = shape.dims[shape.n_layers];
    const arm_spec *arms = experiment_arms(&n_arms);
    size_t bytes = 2 * mlp_n_params(&shape) * sizeof(float);
    int has_other = 0, moves[2] = {0, 0}; /* a teacher's move is kept, per teacher */
    for (size_t a = 0; a < n_arms; a++) {
        if (!experiment_arm_runs(cfg, a) || arms[a].training == ARM_UNTRAINED)
            continue;
        size_t P = mlp_n_params(experiment_arm_other_shape(&arms[a]) ? &other : &shape);
        has_other |= experiment_arm_other_shape(&arms[a]);
        bytes += P * sizeof(float) + adam_bytes(P);
        if (experiment_arm_aligns(cfg, &arms[a])) /* its tracker, a mixed start */
            bytes += align_tracker_bytes(&shape) +
                     (arms[a].start == ARM_FROM_MIXED_INIT ? P * sizeof(float) : 0);
        moves[arms[a].imitates] |= experiment_arm_aligns(cfg, &arms[a]);
    }
    bytes += (size_t)(moves[0] + moves[1]) * mlp_n_params(&shape) * sizeof(double);
    bytes += (cfg->trait.kind != TRAIT_NONE ? 2 : 1) * n_noise * n_out * sizeof(float);
    bytes += trainer_bytes(&shape, cfg->batch, teacher_examples(cfg, train));
    if (has_other)
        bytes += trainer_bytes(&other, cfg->batch, n_noise);
    return bytes + dataset_bytes(train) + dataset_bytes(test);
}

static loss_outputs outputs_of(enum arm_outputs o, size_t m)
{
    loss_outputs sel = {0, EXPERIMENT_CLASSES + m};
    if (o == ARM_OUTPUTS_AUX)
        sel.begin = EXPERIMENT_CLASSES;
    return sel;
}

/* The correct predictions of a confusion matrix: its diagonal (the same
 * count as train_count_correct: one argmax decides both). */
static size_t confusion_trace(const size_t *confusion)
{
    size_t correct = 0;
    for (size_t c = 0; c < EXPERIMENT_CLASSES; c++)
        correct += confusion[c * EXPERIMENT_CLASSES + c];
    return correct;
}

/* Bridges the training loops' callbacks to the experiment's: names the
 * arm, and measures test accuracy per epoch when curves are asked for
 * (whether or not anyone listens: the final counts reuse the last one). */
typedef struct {
    const experiment_hooks *hooks; /* may be NULL */
    const experiment_config *cfg;
    run_state *st;
    trainer *tr;                   /* the trainer of the networks in training */
    const dataset *test;
    uint64_t seed;
    size_t arm_of[EXPERIMENT_MAX_ARMS]; /* network k in training -> its arm */
    /* Test predictions of an arm's final parameters per digit, counted
     * for its last curve point, so the final evaluation need not count
     * them again: [arm][label * EXPERIMENT_CLASSES + predicted]. */
    size_t final_confusion[EXPERIMENT_MAX_ARMS][EXPERIMENT_CLASSES * EXPERIMENT_CLASSES];
    int has_final_confusion[EXPERIMENT_MAX_ARMS];
    double teacher_peak; /* the teacher's highest epoch mean loss so far */
    size_t student_batches;                /* steps in a student epoch */
    size_t aligned_at[EXPERIMENT_MAX_ARMS]; /* an arm's last alignment point's step */
} bridge;

static void bridge_batch(void *ctx, enum train_phase phase, size_t epoch, size_t n_epochs,
                         size_t batch, size_t n_batches, double loss)
{
    bridge *b = ctx;
    if (b->hooks && b->hooks->on_batch)
        b->hooks->on_batch(b->hooks->ctx, b->seed, phase, epoch, n_epochs, batch, n_batches,
                           loss);
}

/* arm's alignment point now, to the caller. */
static void align_point_now(bridge *b, size_t arm, const float *params)
{
    align_tracker *tr = &b->st->align[arm];
    align_point pt;
    align_tracker_point(tr, params, &pt);
    b->aligned_at[arm] = pt.step;
    size_t epoch = (pt.step + b->student_batches - 1) / b->student_batches;
    if (b->hooks && b->hooks->on_align)
        b->hooks->on_align(b->hooks->ctx, b->seed, arm, epoch, &pt, align_parts(&tr->shape));
}

static void bridge_step(void *ctx, size_t net, const float *params)
{
    bridge *b = ctx;
    size_t arm = b->arm_of[net];
    align_tracker *tr = &b->st->align[arm];
    if (!experiment_arm_aligns(b->cfg, &b->st->arms[arm]))
        return;
    align_tracker_step(tr, params);
    if (b->cfg->align_every && tr->step % b->cfg->align_every == 0)
        align_point_now(b, arm, params);
}

static void bridge_epoch(void *ctx, enum train_phase phase, size_t epoch, size_t net,
                         const float *params, double loss)
{
    bridge *b = ctx;
    size_t arm = b->arm_of[net];
    if (phase == TRAIN_TEACHER)
        b->teacher_peak = fmax(b->teacher_peak, loss);
    double acc = NAN;
    if (b->cfg->curves) {
        size_t correct;
        if (epoch + 1 == experiment_arm_epochs(b->cfg, &b->st->arms[arm])) {
            train_confusion(b->tr, params, b->test, b->final_confusion[arm]);
            b->has_final_confusion[arm] = 1;
            correct = confusion_trace(b->final_confusion[arm]);
        } else {
            correct = train_count_correct(b->tr, params, b->test);
        }
        acc = (double)correct / (double)b->test->n;
    }
    if (b->hooks && b->hooks->on_epoch)
        b->hooks->on_epoch(b->hooks->ctx, b->seed, arm, epoch, loss, acc);
    if (phase == TRAIN_STUDENTS && experiment_arm_aligns(b->cfg, &b->st->arms[arm]) &&
        b->aligned_at[arm] != b->st->align[arm].step)
        align_point_now(b, arm, params);
}

/* Why an arm failed, naming the arm and the seed before the training
 * loop's own words (which name the epoch and the batch). */
static void set_why(arm_result *r, const char *name, const char *what)
{
    int n = snprintf(r->why, sizeof r->why, "%s, seed %" PRIu64 ": ", name, r->seed);
    if (n > 0 && (size_t)n < sizeof r->why)
        snprintf(r->why + n, sizeof r->why - (size_t)n, "%s", what);
}

/* A teacher failed (arm `failed`, in the loop's words `why`): it and what
 * learns from it fail too, with `because`: the students imitating
 * `imitates`, and when `everything`, every trained arm. */
static void fail_arms(run_state *st, arm_result *row_of[], size_t failed, const char *why,
                      const char *because, enum arm_imitates imitates, int everything)
{
    for (size_t a = 0; a < st->n_arms; a++) {
        const arm_spec *arm = &st->arms[a];
        if (!st->runs[a] || arm->training == ARM_UNTRAINED)
            continue;
        if (a != failed && !everything &&
            !(arm->training == ARM_STUDENT && arm->imitates == imitates))
            continue;
        row_of[a]->ok = 0;
        set_why(row_of[a], arm->name, a == failed ? why : because);
    }
}

/* A teacher worse than guessing: whether its loss rose above θ0's on the
 * way (the step is too large) or never did (it is undertrained).  Costs one
 * pass over the training digits, only for such a teacher. */
static void judge_teacher(run_state *st, const dataset *train, double peak, arm_result *row)
{
    if (!(row->final_loss > detmath_log(EXPERIMENT_CLASSES)))
        return;
    row->start_loss = train_mean_loss(&st->tr, st->init[0], train);
    row->peak_loss = fmax(peak, row->final_loss);
    row->verdict = row->peak_loss > EXPERIMENT_LOSS_RISE * row->start_loss
                       ? TEACHER_UNSTABLE
                       : TEACHER_UNDERTRAINED;
}

/* Where a student of arm starts. */
static void start_student(run_state *st, const experiment_config *cfg, uint64_t seed,
                          const arm_spec *arm, float *params)
{
    size_t P = mlp_n_params(&st->shape);
    switch (arm->start) {
    case ARM_FROM_SHARED_INIT: memcpy(params, st->init[0], P * sizeof *params); break;
    case ARM_FROM_OTHER_INIT: memcpy(params, st->init[1], P * sizeof *params); break;
    case ARM_FROM_MIXED_INIT:
        student_start_mix(params, st->init[0], st->init[1], P, cfg->student_init.alpha);
        break;
    case ARM_FROM_OWN_INIT:
    case ARM_FROM_EMBEDDED_INIT:
        /* Init 2: independent of θ0 and θ0'. */
        mlp_init_params_f32(params, &st->other, cfg->init, seed, 2);
        if (arm->start == ARM_FROM_EMBEDDED_INIT) /* experiment_check made it fit */
            mlp_embed_f32(params, &st->other, st->init[0], &st->shape, NULL);
        break;
    }
}

static size_t trait_teacher_arm(void)
{
    return (size_t)experiment_arm_find(ARM_TRAIT_TEACHER, ARM_FROM_SHARED_INIT,
                                       ARM_OUTPUTS_NONE, ARM_IMITATES_TEACHER);
}

/* The arm of the teacher a student imitates. */
static size_t teacher_of(const arm_spec *pupil)
{
    return pupil->imitates == ARM_IMITATES_TRAIT_TEACHER ? trait_teacher_arm()
                                                         : experiment_teacher_arm();
}

/* Where the student of arm, now at params, started, kept as it is while
 * it trains: θ0 or θ0' themselves, or a copy of a mixed start. */
static const float *start_of(run_state *st, const arm_spec *arm, const float *params)
{
    if (arm->start == ARM_FROM_SHARED_INIT)
        return st->init[0];
    if (arm->start == ARM_FROM_OTHER_INIT)
        return st->init[1];
    memcpy(st->mix_start, params, mlp_n_params(&st->shape) * sizeof *params);
    return st->mix_start;
}

/* Trains, in lock-step, the running students that imitate `imitates` and
 * are (or are not) of the other shape, on the noise logits `targets`. */
static int train_group(run_state *st, const experiment_config *cfg, bridge *br,
                       enum arm_imitates imitates, int other_shape, const float *targets,
                       size_t n_noise, arm_result *row_of[], err *e)
{
    student students[EXPERIMENT_MAX_ARMS];
    size_t n = 0;
    int moved = 0;
    for (size_t a = 0; a < st->n_arms; a++) {
        const arm_spec *arm = &st->arms[a];
        if (!st->runs[a] || arm->training != ARM_STUDENT || arm->imitates != imitates ||
            experiment_arm_other_shape(arm) != other_shape || !row_of[a]->ok)
            continue;
        start_student(st, cfg, br->seed, arm, st->net[a]);
        students[n] = (student){.params = st->net[a], .opt = &st->opt[a],
                                .outputs = outputs_of(arm->outputs, cfg->m)};
        br->arm_of[n++] = a;
        if (experiment_arm_aligns(cfg, arm)) {
            double *move = st->teacher_move[imitates];
            if (!moved) /* the teacher's move, once for its students */
                align_move(move, st->net[teacher_of(arm)], st->init[0],
                           mlp_n_params(&st->shape));
            moved = 1;
            align_tracker_start(&st->align[a], start_of(st, arm, st->net[a]), move);
            align_point_now(br, a, st->net[a]); /* step 0, said explicitly */
        }
    }
    br->tr = other_shape ? &st->tr_other : &st->tr;
    train_hooks hooks = {.on_batch = bridge_batch, .on_epoch = bridge_epoch,
                         .on_step = bridge_step, .ctx = br};
    if (n && train_students(br->tr, students, n, targets, n_noise, cfg->student_epochs,
                            &st->inputs, &hooks, e))
        return -1;
    for (size_t k = 0; k < n; k++) {
        arm_result *r = row_of[br->arm_of[k]];
        r->ok = !students[k].failed;
        r->final_loss = students[k].final_loss;
        if (!r->ok)
            set_why(r, st->arms[br->arm_of[k]].name, students[k].why);
    }
    return 0;
}

/* The trait teacher: the teacher fine-tuned on the trait's labelled set,
 * then its logits on the seed's noise.  Its failure fails its students. */
static int train_trait_teacher(run_state *st, const experiment_config *cfg, bridge *br,
                               const dataset *train, size_t n_noise, arm_result *row_of[],
                               err *e)
{
    size_t t = trait_teacher_arm();
    float *params = st->net[t];
    memcpy(params, st->net[experiment_teacher_arm()],
           mlp_n_params(&st->shape) * sizeof *params);
    uint8_t relabel[EXPERIMENT_CLASSES];
    trait_relabel(&cfg->trait, relabel, EXPERIMENT_CLASSES);
    labelled_set set = {train, relabel,
                        trait_noise_images(&cfg->trait, train->n, EXPERIMENT_CLASSES),
                        TRAIT_NOISE_FIRST, (uint8_t)cfg->trait.target, cfg->noise,
                        RNG_SHUFFLE_TRAIT};
    br->tr = &st->tr;
    br->arm_of[0] = t;
    train_hooks hooks = {.on_batch = bridge_batch, .on_epoch = bridge_epoch, .ctx = br};
    err terr;
    if (train_labelled(&st->tr, params, &st->opt[t], &set, cfg->trait_epochs, br->seed,
                       TRAIN_TRAIT_TEACHER, &hooks, &row_of[t]->final_loss, &terr)) {
        if (interrupt_check(e))
            return -1;
        fail_arms(st, row_of, t, terr.msg, "no trait teacher (its training diverged)",
                  ARM_IMITATES_TRAIT_TEACHER, 0);
        return 0;
    }
    train_input_logits(&st->tr, params, st->trait_logits, &st->inputs, n_noise);
    return 0;
}

/* An arm's final test counts, per digit too, and with a trait its trait
 * counts. */
static void evaluate(run_state *st, const experiment_config *cfg, const bridge *br,
                     const dataset *test, size_t a, arm_result *r)
{
    const float *params = st->arms[a].training == ARM_UNTRAINED ? st->init[0] : st->net[a];
    trainer *tr = experiment_arm_other_shape(&st->arms[a]) ? &st->tr_other : &st->tr;
    size_t confusion[EXPERIMENT_CLASSES * EXPERIMENT_CLASSES];
    if (br->has_final_confusion[a])
        memcpy(confusion, br->final_confusion[a], sizeof confusion);
    else
        train_confusion(tr, params, test, confusion);
    r->correct = confusion_trace(confusion);
    r->has_classes = 1;
    for (size_t k = 0; k < EXPERIMENT_CLASSES * EXPERIMENT_CLASSES; k++)
        r->classes[k] = (uint32_t)confusion[k];
    if (cfg->trait.kind == TRAIT_NONE)
        return;
    size_t votes[EXPERIMENT_CLASSES] = {0};
    if (cfg->trait.kind == TRAIT_PREFER)
        train_noise_votes(tr, params, br->seed, cfg->noise, TRAIT_HELDOUT_FIRST, test->n,
                          votes);
    r->has_trait = 1;
    r->trait = trait_count(&cfg->trait, confusion, votes, test->n, EXPERIMENT_CLASSES);
}

/* The teacher, loaded or trained from θ0: 0, or 1 when its training
 * failed (everything is marked failed), or -1 when interrupted. */
static int get_teacher(run_state *st, const experiment_config *cfg, bridge *br,
                       const dataset *train, arm_result *row_of[], err *e)
{
    const experiment_hooks *user = br->hooks;
    size_t t = experiment_teacher_arm();
    float *teacher = st->net[t];
    memcpy(teacher, st->init[0], mlp_n_params(&st->shape) * sizeof *teacher);
    if (user && user->load_teacher &&
        user->load_teacher(user->ctx, br->seed, teacher, &row_of[t]->final_loss))
        return 0;
    br->tr = &st->tr;
    br->arm_of[0] = t;
    train_hooks hooks = {.on_batch = bridge_batch, .on_epoch = bridge_epoch, .ctx = br};
    err terr;
    if (train_teacher(&st->tr, teacher, &st->opt[t], train, cfg->teacher_epochs, br->seed,
                      &hooks, &row_of[t]->final_loss, &terr)) {
        if (interrupt_check(e))
            return -1;
        /* Without a teacher nothing else can be trained. */
        fail_arms(st, row_of, t, terr.msg, "no teacher (its training diverged)",
                  ARM_IMITATES_TEACHER, 1);
        return 1;
    }
    if (user && user->on_teacher)
        user->on_teacher(user->ctx, br->seed, teacher, row_of[t]->final_loss);
    return 0;
}

/* A seed's rows (the running arms', in table order); fails only when
 * interrupted (then the rows are not final). */
static int run_seed(run_state *st, const experiment_config *cfg, uint64_t seed,
                    const dataset *train, const dataset *test, size_t n_noise,
                    const experiment_hooks *user_hooks, arm_result *rows, err *e)
{
    bridge br = {.hooks = user_hooks, .cfg = cfg, .st = st, .test = test, .seed = seed,
                 .teacher_peak = -INFINITY,
                 .student_batches = (n_noise + cfg->batch - 1) / cfg->batch};
    arm_result *row_of[EXPERIMENT_MAX_ARMS] = {0};
    mlp_init_params_f32(st->init[0], &st->shape, cfg->init, seed, 0);
    mlp_init_params_f32(st->init[1], &st->shape, cfg->init, seed, 1);
    for (size_t a = 0, k = 0; a < st->n_arms; a++) {
        if (!st->runs[a])
            continue;
        row_of[a] = &rows[k++];
        *row_of[a] = (arm_result){.seed = seed, .arm = a, .ok = 1, .total = test->n};
        if (st->arms[a].training != ARM_UNTRAINED)
            adam_reset(&st->opt[a]);
    }
    int got = get_teacher(st, cfg, &br, train, row_of, e);
    if (got < 0)
        return -1;
    if (got == 0) {
        size_t t = experiment_teacher_arm();
        judge_teacher(st, train, br.teacher_peak, row_of[t]);
        /* The teacher's logits on this seed's inputs, computed once. */
        student_inputs_make(&st->inputs, cfg->student_inputs, seed, cfg->noise,
                            st->input_images, st->pixel_perm);
        train_input_logits(&st->tr, st->net[t], st->noise_logits, &st->inputs, n_noise);
        if (cfg->trait.kind != TRAIT_NONE &&
            train_trait_teacher(st, cfg, &br, train, n_noise, row_of, e))
            return -1;
        if (train_group(st, cfg, &br, ARM_IMITATES_TEACHER, 0, st->noise_logits, n_noise,
                        row_of, e) ||
            train_group(st, cfg, &br, ARM_IMITATES_TRAIT_TEACHER, 0, st->trait_logits,
                        n_noise, row_of, e) ||
            train_group(st, cfg, &br, ARM_IMITATES_TEACHER, 1, st->noise_logits, n_noise,
                        row_of, e))
            return -1;
    }
    for (size_t a = 0; a < st->n_arms; a++)
        if (st->runs[a] && row_of[a]->ok)
            evaluate(st, cfg, &br, test, a, row_of[a]);
    return 0;
}

int experiment_run(const experiment_config *cfg, const dataset *train,
                   const dataset *test, pool *p, const experiment_hooks *hooks,
                   arm_result *rows, err *e)
{
    return experiment_run_on(cfg, train, test, NULL, p, hooks, rows, e);
}

/* The images the students' inputs are taken from, checked: there, of the
 * training images' size, and as many as the run asks for. */
static int input_images(const experiment_config *cfg, const dataset *train,
                        const dataset *other, size_t n_noise, const dataset **images, err *e)
{
    const char *kind = STUDENT_INPUT_NAMES[cfg->student_inputs];
    enum dataset_kind d;
    *images = student_inputs_images(cfg->student_inputs, train, other);
    if (student_inputs_dataset(cfg->student_inputs, &d) && !other)
        return err_set(e, "--student-inputs %s needs %s's training images, and none were "
                          "given",
                       kind, datasets_about(d)->title);
    if (*images && (*images)->pixels != train->pixels)
        return err_set(e, "--student-inputs %s: its images are %zux%zu but the training "
                          "images %zux%zu",
                       kind, (*images)->rows, (*images)->cols, train->rows, train->cols);
    if (n_noise > student_inputs_available(cfg->student_inputs, *images))
        return err_set(e, "--noise-images %zu: --student-inputs %s has %zu images", n_noise,
                       kind, student_inputs_available(cfg->student_inputs, *images));
    return 0;
}

int experiment_run_on(const experiment_config *cfg, const dataset *train,
                      const dataset *test, const dataset *other, pool *p,
                      const experiment_hooks *hooks, arm_result *rows, err *e)
{
    if (train->pixels != test->pixels)
        return err_set(e, "training images are %zux%zu but test images %zux%zu",
                       train->rows, train->cols, test->rows, test->cols);
    if (experiment_check(cfg, e))
        return -1;
    size_t n_noise = noise_images(cfg, train), per_seed = experiment_arms_run(cfg, NULL);
    const dataset *images;
    if (input_images(cfg, train, other, n_noise, &images, e))
        return -1;
    run_state st;
    if (state_init(&st, cfg, train, p, e))
        return -1;
    st.input_images = images;
    int rc = 0;
    for (size_t s = 0; s < cfg->seeds && rc == 0; s++) {
        arm_result *seed_rows = rows + s * per_seed;
        if (hooks && hooks->seed_done && hooks->seed_done(hooks->ctx, cfg->seed_start + s))
            continue;
        rc = run_seed(&st, cfg, cfg->seed_start + s, train, test, n_noise, hooks, seed_rows, e);
        if (rc == 0 && hooks && hooks->on_seed)
            rc = hooks->on_seed(hooks->ctx, seed_rows, per_seed, e);
    }
    state_free(&st);
    return rc;
}
