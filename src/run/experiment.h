/* experiment: the paper's MNIST experiment, arms × seeds.
 *
 * An arm is a row of a table (what it starts from, how it is trained,
 * which outputs it imitates), so a new control is a row, not a code path.
 * For every seed: the reference θ0, a teacher trained from θ0 on digits,
 * and students trained from θ0 or an independent θ0' on noise to imitate
 * the teacher's auxiliary (or all) logits (Cloud et al. 2025, Sec. 6). */
#ifndef SUBLIM_EXPERIMENT_H
#define SUBLIM_EXPERIMENT_H

#include <stddef.h>
#include <stdint.h>
#include "nn/batch.h"
#include "base/err.h"
#include "nn/idx.h"
#include "nn/mlp.h"
#include "base/pool.h"
#include "run/train.h"

#define EXPERIMENT_CLASSES 10 /* regular logits: the digits */
#define EXPERIMENT_MAX_EPOCHS 1000 /* --epochs, --student-epochs; bounds curves.csv */

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
    size_t threads;
    int curves;              /* measure test accuracy after every epoch */
    const char *data_dir;
    const char *out_dir;
} experiment_config;

/* The paper's protocol. */
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

/* The arms, in the order they are reported. */
const arm_spec *experiment_arms(size_t *n_arms);
/* Index of the arm called name, or -1. */
int experiment_arm_index(const char *name);

typedef struct {
    uint64_t seed;
    size_t arm;            /* index into experiment_arms() */
    int ok;                /* 0: training diverged, see why */
    size_t correct, total; /* test predictions */
    double final_loss;     /* last epoch's mean training loss; 0 untrained */
    char why[160];
} arm_result;

/* What the caller hears while a run goes on; every member may be NULL. */
typedef struct {
    /* After every training batch: phase is "teacher" or "students". */
    void (*on_batch)(void *ctx, uint64_t seed, const char *phase, size_t epoch,
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

/* Runs seeds [cfg->seed_start, +cfg->seeds), writing n_arms rows per seed
 * into rows (seed-major).  train/test are loaded digits. */
int experiment_run(const experiment_config *cfg, const dataset *train,
                   const dataset *test, pool *p, const experiment_hooks *hooks,
                   arm_result *rows, err *e);

#endif
