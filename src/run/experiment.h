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
#include "nn/batch.h"
#include "nn/idx.h"
#include "nn/mlp.h"
#include "run/train.h"

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
    int curves;              /* measure test accuracy after every epoch (not a
                                setting: it adds curves.csv, changes no result) */
} experiment_config;

/* The settings of experiment_config, in the order config.txt lists them. */
const setting *experiment_settings(size_t *n);

/* The paper's protocol: every setting at its default (curves off). */
experiment_config experiment_defaults(void);

enum arm_training { ARM_UNTRAINED, ARM_TEACHER, ARM_STUDENT };
enum arm_start { ARM_FROM_SHARED_INIT, ARM_FROM_OTHER_INIT };
enum arm_outputs { ARM_OUTPUTS_NONE, ARM_OUTPUTS_AUX, ARM_OUTPUTS_ALL };

typedef struct {
    const char *name;
    enum arm_training training;
    enum arm_start start;
    enum arm_outputs outputs; /* what a student imitates */
    double paper_mean;        /* the paper's MNIST figure (100 runs), to compare */
} arm_spec;

/* The arms, in the order they are reported (at most EXPERIMENT_MAX_ARMS). */
const arm_spec *experiment_arms(size_t *n_arms);
/* Index of the arm called name (as results files spell it), or -1. */
int experiment_arm_index(const char *name);
/* Index of the arm trained, started and imitating so, or -1. */
int experiment_arm_find(enum arm_training training, enum arm_start start,
                        enum arm_outputs outputs);
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

/* The memory a run of cfg on these datasets needs, in bytes: its networks,
 * Adam moments, workspaces, the teacher's noise logits and the datasets
 * (not teacher checkpoints, nor the few MB of program, libraries and
 * thread stacks).  Computed before anything is allocated; 0 for a shape
 * mlp_shape_make refuses. */
size_t experiment_memory_bytes(const experiment_config *cfg, const dataset *train,
                               const dataset *test);

/* Runs seeds [cfg->seed_start, +cfg->seeds), writing n_arms rows per seed
 * into rows (seed-major).  train/test are loaded digits; hooks may be NULL.
 * A caught SIGINT or SIGTERM (base/interrupt.h) stops it between two
 * training batches, as an error: the seeds on_seed got are final, the
 * one being trained is dropped. */
int experiment_run(const experiment_config *cfg, const dataset *train,
                   const dataset *test, pool *p, const experiment_hooks *hooks,
                   arm_result *rows, err *e);

#endif
