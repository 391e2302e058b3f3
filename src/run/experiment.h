/* experiment: the paper's MNIST experiment, arms × seeds.
 *
 * An arm is a row of a table (what it starts from, how it is trained,
 * which outputs it imitates), so a new control is a row, not a code path.
 * For every seed: the reference θ0, a teacher trained from θ0 on digits,
 * and students trained from θ0 or an independent θ0' on noise to imitate
 * the teacher's auxiliary (or all) logits (Cloud et al. 2025, Sec. 6).
 *
 * The settings are a table too (experiment_settings): the one place that
 * declares each setting's name, default, range and help. */
#ifndef SUBLIM_EXPERIMENT_H
#define SUBLIM_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/pool.h"
#include "base/setting.h"
#include "nn/alignment.h"
#include "nn/batch.h"
#include "nn/datasets.h"
#include "nn/idx.h"
#include "nn/mlp.h"
#include "run/student_inputs.h"
#include "run/student_start.h"
#include "run/train.h"
#include "run/trait.h"

#define EXPERIMENT_CLASSES 10      /* regular logits: the digits */
#define EXPERIMENT_MAX_EPOCHS 1000 /* --epochs, --student-epochs; bounds curves.csv */
#define EXPERIMENT_MAX_ARMS 16     /* the arm table's size at most: sizes per-arm arrays */

/* What the results depend on (plus the seeds); its fields are declared in
 * experiment_settings(). */
typedef struct {
    size_t seeds;            /* replicates */
    uint64_t seed_start;     /* first seed; seeds are seed_start + 0..seeds-1 */
    size_t teacher_epochs;
    size_t student_epochs;
    size_t m;                /* auxiliary logits */
    size_t width;            /* hidden units per layer */
    size_t hidden_layers;
    size_t batch;
    double lr;
    enum mlp_init init;
    enum noise_kind noise;
    size_t n_noise;          /* noise images per seed; 0: as many as digits */
    /* Beyond the paper (their arms run only when these are set): */
    enum dataset_kind dataset; /* the images (the data read must be of it) */
    enum student_input_kind student_inputs; /* what students imitate the teacher on */
    trait_spec trait;        /* the trait teacher's trait; TRAIT_NONE: no trait arms */
    size_t trait_epochs;     /* its fine-tuning */
    size_t student_width;    /* students of another shape: hidden units (0: width) */
    size_t student_depth;    /* and hidden layers (0: hidden_layers); both 0: none */
    student_start student_init; /* how the extra students start */
    size_t align_every;      /* an alignment point every K student steps too (0: none) */
    int curves;              /* measure training as it goes: test accuracy after
                                every epoch, and the students' alignment with the
                                teacher (not a setting: it adds curves.csv and
                                alignment.csv, changes no result) */
} experiment_config;

/* The settings of experiment_config, in the order config.txt lists them. */
const setting *experiment_settings(size_t *n);

/* The paper's protocol: every setting at its default (curves off). */
experiment_config experiment_defaults(void);

/* Refuses settings that make no sense together, naming the flags (an
 * embedded student no wider than the teacher, --trait-epochs without
 * --trait, ...); the commands exit 2 on it. */
int experiment_check(const experiment_config *cfg, err *e);

/* The shape of every network but the students of another shape, and of
 * those (the teacher's when no other shape is asked for). */
int experiment_shape(const experiment_config *cfg, size_t pixels, mlp_shape *s, err *e);
int experiment_student_shape(const experiment_config *cfg, size_t pixels, mlp_shape *s,
                             err *e);

enum arm_training { ARM_UNTRAINED, ARM_TEACHER, ARM_TRAIT_TEACHER, ARM_STUDENT };
enum arm_start {
    ARM_FROM_SHARED_INIT,   /* θ0 */
    ARM_FROM_OTHER_INIT,    /* θ0', independent of θ0 */
    ARM_FROM_OWN_INIT,      /* another shape's own init, independent of both */
    ARM_FROM_EMBEDDED_INIT, /* θ0 inside a wider network */
    ARM_FROM_MIXED_INIT,    /* a blend of θ0 and θ0' (--student-init mix:α) */
};
enum arm_outputs { ARM_OUTPUTS_NONE, ARM_OUTPUTS_AUX, ARM_OUTPUTS_ALL };
/* Whose outputs a student imitates. */
enum arm_imitates { ARM_IMITATES_TEACHER, ARM_IMITATES_TRAIT_TEACHER };
/* Which settings an arm runs under. */
enum arm_when {
    ARM_ALWAYS,         /* the paper's six */
    ARM_WITH_TRAIT,     /* --trait */
    ARM_WITH_OTHER_SHAPE, /* --student-width or --student-depth, started from their own init */
    ARM_WITH_EMBED,     /* --student-init embed */
    ARM_WITH_MIX,       /* --student-init mix:α */
};

typedef struct {
    const char *name;
    enum arm_training training;
    enum arm_start start;
    enum arm_outputs outputs;  /* what a student imitates */
    enum arm_imitates imitates;
    enum arm_when when;
    double paper_mean;         /* the paper's MNIST figure (100 runs), to compare;
                                  NaN: not in the paper */
} arm_spec;

/* Every arm there is, in the order they are reported (at most
 * EXPERIMENT_MAX_ARMS); an arm's index here is its index everywhere. */
const arm_spec *experiment_arms(size_t *n_arms);
/* 1 when arm a runs under cfg. */
int experiment_arm_runs(const experiment_config *cfg, size_t a);
/* The arms that run under cfg, in table order, into which[] (which may be
 * NULL); returns their number: the rows of one seed. */
size_t experiment_arms_run(const experiment_config *cfg, size_t which[EXPERIMENT_MAX_ARMS]);
/* The paper's figure for arm a under cfg: the arm's paper_mean on the
 * paper's dataset, NaN on another one (the paper ran MNIST alone). */
double experiment_paper_mean(const experiment_config *cfg, size_t a);
/* 1 when arm is a network of the students' other shape (--student-width,
 * --student-depth). */
int experiment_arm_other_shape(const arm_spec *arm);
/* 1 when arm's alignment with its teacher is measured under cfg: a
 * student of the teacher's shape, with curves. */
int experiment_arm_aligns(const experiment_config *cfg, const arm_spec *arm);
/* Index of the arm called name (as results files spell it), or -1. */
int experiment_arm_index(const char *name);
/* Index of the arm trained, started and imitating so, or -1. */
int experiment_arm_find(enum arm_training training, enum arm_start start,
                        enum arm_outputs outputs, enum arm_imitates imitates);
/* The teacher's index. */
size_t experiment_teacher_arm(void);
/* Number of epochs an arm is trained for under cfg (0: untrained). */
size_t experiment_arm_epochs(const experiment_config *cfg, const arm_spec *arm);

/* Why a teacher ends worse than guessing (final loss > ln 10), judged from
 * its loss at θ0 on the training digits and its epochs' mean losses. */
enum teacher_verdict {
    TEACHER_FINE,         /* not worse than guessing (and every other arm) */
    TEACHER_UNDERTRAINED, /* its loss never rose above θ0's: too few or too small steps */
    TEACHER_UNSTABLE,     /* its loss rose above θ0's on the way: too large steps */
};

/* An epoch's mean loss above θ0's loss by this factor is a rise.  At an
 * unchanged θ0 (--lr 1e-12) the epoch means differ from θ0's loss only by
 * how batches weigh the examples, well under 1%; a too-large step makes
 * them a multiple of it (2.4 -> 4e4 at --lr 1 on MNIST). */
#define EXPERIMENT_LOSS_RISE 1.1

typedef struct {
    uint64_t seed;
    size_t arm;            /* index into experiment_arms() */
    int ok;                /* 0: training diverged, see why */
    size_t correct, total; /* test predictions */
    double final_loss;     /* last epoch's mean training loss; 0 untrained */
    /* The teacher's row when its verdict is not TEACHER_FINE (else 0): */
    enum teacher_verdict verdict;
    double start_loss;     /* θ0's mean loss on the training digits */
    double peak_loss;      /* its highest epoch mean loss (loaded: its final loss) */
    /* With a trait (else 0), on this arm's final parameters: */
    int has_trait;
    trait_counts trait;
    /* classes[label * EXPERIMENT_CLASSES + predicted]: its test predictions
     * per digit, by the argmax that counts correct (so the diagonal sums to
     * correct).  A run fills it for every ok row; a row read back has it
     * only when its folder has classes.csv (has_classes).  uint32_t: a
     * count is at most the test set's size, which idx files hold in 32 bits. */
    int has_classes;
    uint32_t classes[EXPERIMENT_CLASSES * EXPERIMENT_CLASSES];
    char why[160];
} arm_result;

/* What the caller hears while a run goes on; every member may be NULL. */
typedef struct {
    /* After every training batch. */
    void (*on_batch)(void *ctx, uint64_t seed, enum train_phase phase, size_t epoch,
                     size_t n_epochs, size_t batch, size_t n_batches, double loss);
    /* After every epoch of every trained arm: its mean training loss and,
     * when cfg->curves is set, its test accuracy (else NaN). */
    void (*on_epoch)(void *ctx, uint64_t seed, size_t arm, size_t epoch,
                     double loss, double test_acc);
    /* With curves, for every student of the teacher's shape: its
     * alignment at step 0, at each epoch's end and every align_every
     * steps (epoch: the one the step ends, 0 at step 0; parts: the
     * point's, align_parts of the shape). */
    void (*on_align)(void *ctx, uint64_t seed, size_t arm, size_t epoch,
                     const align_point *pt, size_t parts);
    /* When a seed's rows are final, so they can be saved at once; a
     * non-zero return stops the run with that error. */
    int (*on_seed)(void *ctx, const arm_result *rows, size_t n_rows, err *e);
    /* Non-zero: this seed's rows are already in rows (a resumed run). */
    int (*seed_done)(void *ctx, uint64_t seed);
    /* A teacher ready for a seed: return non-zero and fill params (and
     * *loss) to use a saved one instead of training it. */
    int (*load_teacher)(void *ctx, uint64_t seed, float *params, double *loss);
    /* A teacher just trained (for saving). */
    void (*on_teacher)(void *ctx, uint64_t seed, const float *params, double loss);
    void *ctx;
} experiment_hooks;

/* Passes over the noise one seed's students take (one per group trained
 * in lock-step: the teacher's students of its shape, the trait teacher's,
 * those of another shape), and the examples of one epoch of the trait
 * teacher's fine-tuning (0 without a trait): for progress and ETA. */
size_t experiment_student_passes(const experiment_config *cfg);
size_t experiment_trait_examples(const experiment_config *cfg, size_t n_train);

/* The memory a run of cfg on these datasets needs, in bytes: its networks,
 * Adam moments, workspaces, the teacher's noise logits and the datasets
 * (not teacher checkpoints, nor the few MB of program, libraries and
 * thread stacks).  Computed before anything is allocated; 0 for a shape
 * mlp_shape_make refuses. */
size_t experiment_memory_bytes(const experiment_config *cfg, const dataset *train,
                               const dataset *test);

/* Runs seeds [cfg->seed_start, +cfg->seeds), writing the rows of the arms
 * that run (experiment_arms_run) per seed into rows (seed-major, arms in
 * table order).  train/test are loaded digits; hooks may be NULL.
 * A caught SIGINT or SIGTERM (base/interrupt.h) stops it between two
 * training batches, as an error: the seeds on_seed got are final, the
 * one being trained is dropped. */
int experiment_run(const experiment_config *cfg, const dataset *train,
                   const dataset *test, pool *p, const experiment_hooks *hooks,
                   arm_result *rows, err *e);
/* experiment_run with other, the other dataset's training images, for
 * --student-inputs mnist|fashion (NULL otherwise; borrowed). */
int experiment_run_on(const experiment_config *cfg, const dataset *train,
                      const dataset *test, const dataset *other, pool *p,
                      const experiment_hooks *hooks, arm_result *rows, err *e);

#endif
