/* theorem: the paper's central claim, checked numerically in double.
 *
 * Cloud et al. 2025 (arXiv 2507.14805), Sec. 5 / Theorem 1: let a teacher be
 * the student's initialization moved a little, θ_T = θ0 + ε Δθ_T.  One
 * gradient step of size η of a student imitating the teacher's outputs on
 * any inputs x, starting from the same θ0, gives
 *     Δθ_S = η ε E_x[J(x)ᵀ H(x) J(x)] Δθ_T + O(ε²),
 * J the Jacobian of the imitated outputs in θ at θ0, H the (PSD) Hessian of
 * the imitation loss in the student's outputs.  Hence to first order
 *     Δθ_S · Δθ_T = η ε E_x[(J Δθ_T)ᵀ H (J Δθ_T)] >= 0,
 * and if Δθ_T lowered the teacher's loss L_T, the student's L_T falls too.
 *
 * For every trial t (seed = cfg.seed + t) and every ε this module measures
 * Δθ_S · Δθ_T (one exact backward pass) and computes the right-hand side
 * exactly (forward mode, mlp_jvp_f64), for three variants:
 *   same_init      the student starts at θ0 (the theorem's setting);
 *   cross_init     the student starts at an independent θ0' (a control:
 *                  no prediction, either sign);
 *   same_init_k<K> the student takes K steps of size η toward the fixed
 *                  teacher (the theorem promises nothing; reported as is).
 * All numbers are doubles; all networks use the experiment's MLP code.
 * The files and the table made of them: out/theorem_out.h. */
#ifndef SUBLIM_THEOREM_H
#define SUBLIM_THEOREM_H

#include <stddef.h>
#include <stdint.h>
#include "nn/batch.h"
#include "base/err.h"
#include "nn/idx.h"
#include "nn/mlp.h"
#include "base/pool.h"
#include "base/setting.h"

#define THEOREM_CLASSES 10  /* regular logits: the digits */
#define THEOREM_MAX_EPS SETTING_LIST_MAX

enum theorem_loss { THEOREM_LOSS_KL, THEOREM_LOSS_MSE };
enum theorem_outputs { THEOREM_OUTPUTS_AUX, THEOREM_OUTPUTS_ALL };
enum theorem_direction { THEOREM_DIR_GRADIENT, THEOREM_DIR_RANDOM };
enum theorem_inputs { THEOREM_INPUTS_NOISE, THEOREM_INPUTS_DIGITS };

typedef struct {
    size_t trials;
    uint64_t seed;                  /* trial t: seed + t (θ0 = init(seed + t, 0)) */
    setting_list eps;               /* the ε values, in the order they are reported */
    double lr;                      /* η, the student's step size */
    size_t steps;                   /* K; > 1 adds the same_init_k<K> variant */
    enum theorem_loss loss;         /* imitation loss */
    enum theorem_outputs outputs;   /* imitated logits: m auxiliary, or all */
    enum theorem_direction direction;
    enum theorem_inputs inputs;     /* what the student imitates on */
    size_t width, hidden_layers, m;
    enum mlp_init init;
    enum noise_kind noise;
    size_t input_batch;             /* imitation inputs per trial */
    size_t teacher_batch;           /* training digits for Δθ_T = -∇L_T(θ0) */
    size_t heldout;                 /* held-out digits for the L_T change */
} theorem_config;

/* The settings of theorem_config, in the order theorem.json lists them. */
const setting *theorem_settings(size_t *n);

/* The defaults: the experiment's network (784-256-256-13), KL on the 3
 * auxiliary logits of 256 uniform-noise images, Δθ_T from 256 training
 * digits, L_T change on 1000 held-out digits, ε = 1e-1 ... 1e-6. */
theorem_config theorem_defaults(void);

/* Checks sizes, ε values and that the datasets are large enough; a batch
 * larger than its dataset is named by its flag (--heldout ...). */
int theorem_validate(const theorem_config *cfg, const dataset *train,
                     const dataset *heldout, err *e);

/* The memory theorem_run needs on `threads` threads, in bytes: each
 * worker's networks and batches, the results and the datasets (not the few
 * MB of program and libraries).  0 for a shape mlp_shape_make refuses. */
size_t theorem_memory_bytes(const theorem_config *cfg, const dataset *train,
                            const dataset *heldout, size_t threads);

enum theorem_variant { THEOREM_SAME, THEOREM_CROSS, THEOREM_STEPS, THEOREM_N_VARIANTS };

/* What one trial measured for one variant at one ε. */
typedef struct {
    double inner;       /* Δθ_S · Δθ_T (for K steps: (θ_S,K - θ0) · Δθ_T) */
    double cos;         /* the same, as a cosine (NaN: cannot be computed, the
                           step being zero or below DBL_MIN) */
    double predicted;   /* η ε E_x[(JΔθ_T)ᵀ H (JΔθ_T)]; same_init only, else 0 */
    double loss_change; /* L_T(student after) - L_T(student before), held out */
    size_t relu_flips;  /* (input, hidden unit) pairs whose ReLU state differs
                           between θ0 and θ_T on the imitation inputs */
    double layer_cos[MLP_MAX_LAYERS]; /* cos over layer l alone (its W and b) at
                                         l - 1, as cos (NaN: cannot be computed) */
} theorem_obs;

/* Every trial's numbers, indexed [variant][eps][trial]; the K-step cosines
 * per step [eps][trial][step] (step 0 is the first step). */
typedef struct {
    size_t trials, n_eps, steps;
    theorem_obs *obs;
    double *step_cos;
} theorem_result;

int theorem_result_init(theorem_result *r, const theorem_config *cfg, err *e);
void theorem_result_free(theorem_result *r);
theorem_obs *theorem_obs_at(const theorem_result *r, enum theorem_variant v,
                            size_t eps, size_t trial);
double *theorem_step_cos_at(const theorem_result *r, size_t eps, size_t trial);

/* Runs every trial.  train: digits for Δθ_T (and the imitation inputs when
 * cfg->inputs is digits); heldout: digits for the L_T change.  Trials run
 * in parallel on p (one trial per task, each in its own workspace), so the
 * result is bit-identical at any thread count; p may be NULL.  A caught
 * SIGINT or SIGTERM (base/interrupt.h) stops it between trials, as an
 * error. */
int theorem_run(const theorem_config *cfg, const dataset *train, const dataset *heldout,
                pool *p, theorem_result *res, err *e);

/* One row of the report: a variant at one ε, over all trials. */
typedef struct {
    char variant[32];
    double eps;
    size_t trials;
    double aligned_frac;   /* trials with inner > 0 */
    double cos_mean, cos_min, cos_max;
    double inner_mean;
    int has_prediction;    /* same_init only; else the next four are unset */
    double predicted_mean;
    double ratio_mean;     /* mean over trials of inner / predicted */
    double ratio_maxdev;   /* max over trials of |inner / predicted - 1| */
    double flips_mean;     /* mean relu_flips */
    double kinked_frac;    /* trials with relu_flips > 0 */
    double ratio_maxdev_smooth; /* ratio_maxdev over the other trials (NaN: none) */
    double loss_drop_frac; /* trials whose L_T change is < 0 */
    size_t n_layers;       /* the network's: layer_cos_mean's length */
    double layer_cos_mean[MLP_MAX_LAYERS]; /* mean over trials of layer_cos */
} theorem_row;

/* Number of rows: (2 or 3 variants) × n_eps. */
size_t theorem_n_rows(const theorem_result *r);
/* rows[variant-major, then ε in cfg order]. */
void theorem_summarize(const theorem_result *r, const theorem_config *cfg,
                       theorem_row *rows);

#define THEOREM_CHECK_MAX_EPS 1e-3  /* the check covers ε <= this */
#define THEOREM_CHECK_RATIO_TOL 1e-2

/* The --check: every cosine (any variant, any ε) must have been computed,
 * and for same_init and every ε <= 1e-3, every trial's inner product must
 * be > 0 and |mean ratio - 1| <= 1e-2.  Returns 0 when it passes, else -1
 * with every failed condition in e. */
int theorem_check(const theorem_result *r, const theorem_config *cfg, err *e);

#endif
