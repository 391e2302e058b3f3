/* theorem: Cloud et al. 2025, Theorem 1, measured and predicted in double.
 * Sections: configuration, running the trials, summaries and the check.
 * One trial: run/theorem_trial.c.  The output files: out/theorem_out.c. */
#include "run/theorem.h"
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/interrupt.h"
#include "base/stats.h"
#include "run/theorem_trial.h"

/* ---- configuration ---- */

/* The choice names, in the order of their enums' values. */
static const char *const LOSS_NAMES[] = {"kl", "mse", NULL};
static const char *const OUTPUT_NAMES[] = {"aux", "all", NULL};
static const char *const DIRECTION_NAMES[] = {"gradient", "random", NULL};
static const char *const INPUT_NAMES[] = {"noise", "mnist", NULL};
_Static_assert(sizeof(enum theorem_loss) == sizeof(unsigned) &&
                   sizeof(enum theorem_outputs) == sizeof(unsigned) &&
                   sizeof(enum theorem_direction) == sizeof(unsigned) &&
                   sizeof(enum theorem_inputs) == sizeof(unsigned),
               "choice settings are stored as unsigned");

#define AT(field) offsetof(theorem_config, field)
static const setting SETTINGS[] = {
    {"trials", SETTING_SIZE, AT(trials), "20", 1, 1000000, NULL, "trials (each its own seed)",
     SETTING_SEEDS},
    {"seed", SETTING_U64, AT(seed), "0", 0, 1e15, NULL, "first trial's seed", SETTING_SEEDS},
    {"eps", SETTING_LIST, AT(eps), "1e-1,1e-2,1e-3,1e-4,1e-5,1e-6", 1e-300, 1e3, NULL,
     "ε values, comma-separated", 0},
    /* One gradient step is exactly linear in η, so η scales Δθ_S and leaves
     * inner/predicted and every cosine unchanged; it matters only for the
     * K-step variant and for the L_T change beyond first order.  0.01
     * keeps those steps small. */
    {"lr", SETTING_REAL, AT(lr), "1e-2", 1e-300, 1e6, NULL,
     "η, the student's step (one step is linear in η: it only scales Δθ_S)", 0},
    {"steps", SETTING_SIZE, AT(steps), "10", 1, 100000, NULL,
     "K: student steps for the same_init_k<K> control (1: no control)", 0},
    {"loss", SETTING_CHOICE, AT(loss), "kl", 0, 0, LOSS_NAMES, "imitation loss", 0},
    {"outputs", SETTING_CHOICE, AT(outputs), "aux", 0, 0, OUTPUT_NAMES, "imitated logits", 0},
    {"direction", SETTING_CHOICE, AT(direction), "gradient", 0, 0, DIRECTION_NAMES,
     "Δθ_T: -∇L_T(θ0), or a random unit direction", 0},
    {"inputs", SETTING_CHOICE, AT(inputs), "noise", 0, 0, INPUT_NAMES,
     "what the student imitates on", 0},
    {"width", SETTING_SIZE, AT(width), "256", 1, 65536, NULL, "hidden units per layer", 0},
    {"hidden_layers", SETTING_SIZE, AT(hidden_layers), "2", 1, MLP_MAX_LAYERS - 1, NULL,
     "hidden layers", SETTING_NO_FLAG},
    {"m", SETTING_SIZE, AT(m), "3", 1, 1000, NULL, "auxiliary logits", 0},
    {"init", SETTING_CHOICE, AT(init), "normal", 0, 0, MLP_INIT_NAMES, "weight init", 0},
    {"noise", SETTING_CHOICE, AT(noise), "uniform", 0, 0, NOISE_NAMES,
     "noise of --inputs noise", 0},
    /* 256 imitated inputs: E_x of the theorem as a batch mean, the size of
     * one training batch's worth of curvature.  256 training digits for
     * Δθ_T: one ordinary gradient step's batch.  1000 held-out digits:
     * enough that the sign of a small L_T change is not noise from which
     * digits were drawn. */
    {"input_batch", SETTING_SIZE, AT(input_batch), "256", 1, 1000000, NULL,
     "imitated inputs per trial (E_x is their mean)", 0},
    {"teacher_batch", SETTING_SIZE, AT(teacher_batch), "256", 1, 1000000, NULL,
     "training digits per trial for Δθ_T", 0},
    {"heldout", SETTING_SIZE, AT(heldout), "1000", 1, 1000000, NULL,
     "test digits per trial for the L_T change", 0},
    {"precision", SETTING_FIXED, 0, "double", 0, 0, NULL, "every number is a double", 0},
};
#undef AT

const setting *theorem_settings(size_t *n)
{
    *n = sizeof SETTINGS / sizeof SETTINGS[0];
    return SETTINGS;
}

theorem_config theorem_defaults(void)
{
    theorem_config c;
    memset(&c, 0, sizeof c);
    settings_init(SETTINGS, sizeof SETTINGS / sizeof SETTINGS[0], &c);
    return c;
}

/* "--heldout 20000 is more than the 10000 held-out digits": a size flag
 * that asks for more examples than its dataset has (a usage error: the
 * flag is named as the command line spells it). */
static int too_many(const char *name, size_t asked, size_t have, const char *what, err *e)
{
    char flag[64];
    setting_flag(settings_find(SETTINGS, sizeof SETTINGS / sizeof SETTINGS[0], name), flag,
                 sizeof flag);
    return err_set(e, "%s %zu is more than the %zu %s", flag, asked, have, what);
}

int theorem_validate(const theorem_config *c, const dataset *train,
                     const dataset *heldout, err *e)
{
    if (c->trials == 0)
        return err_set(e, "at least one trial is needed");
    if (c->eps.n == 0 || c->eps.n > THEOREM_MAX_EPS)
        return err_set(e, "between 1 and %d values of eps are needed", THEOREM_MAX_EPS);
    for (size_t k = 0; k < c->eps.n; k++)
        if (!(c->eps.v[k] > 0) || !isfinite(c->eps.v[k]))
            return err_set(e, "eps must be positive and finite (got %g)", c->eps.v[k]);
    if (!(c->lr > 0) || !isfinite(c->lr))
        return err_set(e, "the step size must be positive and finite");
    if (c->steps == 0)
        return err_set(e, "at least one student step is needed");
    if (c->m == 0 || c->width == 0)
        return err_set(e, "the network needs at least one auxiliary logit and one unit");
    if (c->input_batch == 0 || c->teacher_batch == 0 || c->heldout == 0)
        return err_set(e, "batch sizes must be positive");
    if (train->pixels != heldout->pixels)
        return err_set(e, "training images have %zu pixels but held-out ones %zu",
                       train->pixels, heldout->pixels);
    if (c->teacher_batch > train->n)
        return too_many("teacher_batch", c->teacher_batch, train->n, "training digits", e);
    if (c->inputs == THEOREM_INPUTS_DIGITS && c->input_batch > train->n)
        return too_many("input_batch", c->input_batch, train->n,
                        "training digits (--inputs mnist)", e);
    if (c->heldout > heldout->n)
        return too_many("heldout", c->heldout, heldout->n, "held-out (test) digits", e);
    return 0;
}

/* ---- running the trials ---- */

/* Workers: one per thread, but no more than trials. */
static size_t workers(const theorem_config *c, size_t threads)
{
    return threads < c->trials ? threads : c->trials;
}

size_t theorem_memory_bytes(const theorem_config *c, const dataset *train,
                            const dataset *heldout, size_t threads)
{
    mlp_shape shape;
    if (mlp_shape_make(&shape, train->pixels, c->width, c->hidden_layers,
                       THEOREM_CLASSES + c->m, NULL))
        return 0;
    size_t results = THEOREM_N_VARIANTS * c->eps.n * c->trials * sizeof(theorem_obs) +
                     c->eps.n * c->trials * c->steps * sizeof(double);
    return workers(c, threads) * theorem_trial_ws_bytes(c, &shape, train->pixels) + results +
           dataset_bytes(train) + dataset_bytes(heldout);
}

typedef struct {
    const theorem_config *cfg;
    const dataset *train, *heldout;
    theorem_result *res;
    theorem_trial_ws *slots;
    size_t n_slots;
} job;

/* Worker k runs trials k, k + n_slots, ...: every trial's numbers depend
 * on the trial alone, never on which worker ran it.  A caught signal stops
 * it before its next trial. */
static void run_slot(void *ctx, size_t k)
{
    const job *j = ctx;
    for (size_t t = k; t < j->cfg->trials && !interrupt_signal(); t += j->n_slots)
        theorem_trial_run(&j->slots[k], j->cfg, j->train, j->heldout, j->res, t);
}

int theorem_result_init(theorem_result *r, const theorem_config *c, err *e)
{
    memset(r, 0, sizeof *r);
    r->trials = c->trials;
    r->n_eps = c->eps.n;
    r->steps = c->steps;
    r->obs = calloc(THEOREM_N_VARIANTS * c->eps.n * c->trials, sizeof *r->obs);
    r->step_cos = calloc(c->eps.n * c->trials * c->steps, sizeof *r->step_cos);
    if (!r->obs || !r->step_cos) {
        theorem_result_free(r);
        return err_set(e, "out of memory for %zu trials' results", c->trials);
    }
    return 0;
}

void theorem_result_free(theorem_result *r)
{
    free(r->obs);
    free(r->step_cos);
    memset(r, 0, sizeof *r);
}

theorem_obs *theorem_obs_at(const theorem_result *r, enum theorem_variant v, size_t eps,
                            size_t trial)
{
    return &r->obs[((size_t)v * r->n_eps + eps) * r->trials + trial];
}

double *theorem_step_cos_at(const theorem_result *r, size_t eps, size_t trial)
{
    return &r->step_cos[(eps * r->trials + trial) * r->steps];
}

int theorem_run(const theorem_config *c, const dataset *train, const dataset *heldout,
                pool *p, theorem_result *res, err *e)
{
    if (theorem_validate(c, train, heldout, e))
        return -1;
    if (res->trials != c->trials || res->n_eps != c->eps.n || res->steps != c->steps)
        return err_set(e, "the result was sized for another configuration");
    mlp_shape shape;
    if (mlp_shape_make(&shape, train->pixels, c->width, c->hidden_layers,
                       THEOREM_CLASSES + c->m, e))
        return -1;
    size_t n_slots = workers(c, pool_threads(p));
    theorem_trial_ws *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return err_set(e, "out of memory for %zu workers", n_slots);
    /* One worker: its kernels use the pool.  Several: each is one thread. */
    pool *kernels = n_slots == 1 ? p : NULL;
    int rc = 0;
    for (size_t k = 0; k < n_slots && rc == 0; k++)
        rc = theorem_trial_ws_init(&slots[k], c, &shape, train->pixels, kernels, e);
    if (rc == 0) {
        job j = {c, train, heldout, res, slots, n_slots};
        if (n_slots == 1)
            run_slot(&j, 0);
        else
            pool_run(p, run_slot, &j, n_slots);
        rc = interrupt_check(e); /* some trials did not run */
    }
    for (size_t k = 0; k < n_slots; k++)
        if (slots[k].ready)
            theorem_trial_ws_free(&slots[k]);
    free(slots);
    return rc;
}

/* ---- summaries and the check ---- */

size_t theorem_n_rows(const theorem_result *r)
{
    return (r->steps > 1 ? 3 : 2) * r->n_eps;
}

static void variant_name(char *out, size_t n, enum theorem_variant v, size_t steps)
{
    if (v == THEOREM_SAME)
        snprintf(out, n, "same_init");
    else if (v == THEOREM_CROSS)
        snprintf(out, n, "cross_init");
    else
        snprintf(out, n, "same_init_k%zu", steps);
}

void theorem_summarize(const theorem_result *r, const theorem_config *c, theorem_row *rows)
{
    size_t n_var = theorem_n_rows(r) / r->n_eps, T = r->trials;
    for (size_t v = 0; v < n_var; v++) {
        for (size_t ie = 0; ie < r->n_eps; ie++) {
            theorem_row *row = &rows[v * r->n_eps + ie];
            memset(row, 0, sizeof *row);
            variant_name(row->variant, sizeof row->variant, (enum theorem_variant)v, r->steps);
            row->eps = c->eps.v[ie];
            row->trials = T;
            row->has_prediction = v == THEOREM_SAME;
            row->cos_min = INFINITY;
            row->cos_max = -INFINITY;
            size_t aligned = 0, drops = 0, kinked = 0;
            double cos_sum = 0, inner_sum = 0, pred_sum = 0, ratio_sum = 0, flip_sum = 0;
            double dev_max = 0, smooth_dev_max = 0;
            int dev_nan = 0, smooth_nan = 0; /* a zero prediction: no ratio */
            row->n_layers = c->hidden_layers + 1;
            for (size_t t = 0; t < T; t++) {
                const theorem_obs *o = theorem_obs_at(r, (enum theorem_variant)v, ie, t);
                for (size_t l = 0; l < row->n_layers; l++)
                    row->layer_cos_mean[l] += o->layer_cos[l]; /* a sum until the end */
                aligned += o->inner > 0;
                drops += o->loss_change < 0;
                cos_sum += o->cos;
                inner_sum += o->inner;
                row->cos_min = stats_min(row->cos_min, o->cos);
                row->cos_max = stats_max(row->cos_max, o->cos);
                flip_sum += (double)o->relu_flips;
                if (!row->has_prediction)
                    continue;
                double ratio = o->inner / o->predicted, dev = fabs(ratio - 1);
                pred_sum += o->predicted;
                ratio_sum += ratio;
                dev_nan |= isnan(dev);
                dev_max = fmax(dev_max, dev);
                if (o->relu_flips) {
                    kinked++;
                } else {
                    smooth_nan |= isnan(dev);
                    smooth_dev_max = fmax(smooth_dev_max, dev);
                }
            }
            row->aligned_frac = (double)aligned / (double)T;
            row->loss_drop_frac = (double)drops / (double)T;
            row->cos_mean = cos_sum / (double)T;
            for (size_t l = 0; l < row->n_layers; l++)
                row->layer_cos_mean[l] /= (double)T;
            row->inner_mean = inner_sum / (double)T;
            row->flips_mean = flip_sum / (double)T;
            if (row->has_prediction) {
                row->predicted_mean = pred_sum / (double)T;
                row->ratio_mean = ratio_sum / (double)T;
                row->ratio_maxdev = dev_nan ? NAN : dev_max;
                row->kinked_frac = (double)kinked / (double)T;
                row->ratio_maxdev_smooth = (smooth_nan || kinked == T) ? NAN : smooth_dev_max;
            }
        }
    }
}

/* Appends one failure to msg[used..size), "; "-separated. */
static void add_failure(char *msg, size_t size, size_t *used, size_t *failures, const char *one)
{
    int w = snprintf(msg + *used, size - *used, "%s%s", *failures ? "; " : "", one);
    *used += w > 0 ? (size_t)w : 0;
    if (*used >= size)
        *used = size - 1;
    (*failures)++;
}

/* Cosines that could not be computed (NaN: a step that is zero or below
 * DBL_MIN), in any variant at any ε: the table would print them as nan, so
 * no check passes over them.  Returns their number; the first in one. */
static size_t missing_cosines(const theorem_result *r, const theorem_config *c, char *one,
                              size_t size)
{
    size_t n_var = theorem_n_rows(r) / r->n_eps, missing = 0;
    for (size_t v = 0; v < n_var; v++)
        for (size_t ie = 0; ie < r->n_eps; ie++)
            for (size_t t = 0; t < r->trials; t++) {
                if (!isnan(theorem_obs_at(r, (enum theorem_variant)v, ie, t)->cos) ||
                    missing++)
                    continue;
                char name[32];
                variant_name(name, sizeof name, (enum theorem_variant)v, r->steps);
                snprintf(one, size, "%s at eps=%g, trial %zu", name, c->eps.v[ie], t);
            }
    return missing;
}

int theorem_check(const theorem_result *r, const theorem_config *c, err *e)
{
    char msg[sizeof e->msg], one[320], first[96];
    size_t used = 0, failures = 0;
    msg[0] = '\0';
    size_t missing = missing_cosines(r, c, first, sizeof first);
    if (missing) {
        snprintf(one, sizeof one,
                 "%zu cosine(s) cannot be computed, the student's step being zero or below "
                 "the smallest double (first: %s; is --lr too small?)",
                 missing, first);
        add_failure(msg, sizeof msg, &used, &failures, one);
    }
    for (size_t ie = 0; ie < r->n_eps; ie++) {
        if (!(c->eps.v[ie] <= THEOREM_CHECK_MAX_EPS))
            continue;
        size_t bad = 0, first_bad = 0;
        double ratio_sum = 0;
        for (size_t t = 0; t < r->trials; t++) {
            const theorem_obs *o = theorem_obs_at(r, THEOREM_SAME, ie, t);
            if (!(o->inner > 0) && bad++ == 0)
                first_bad = t;
            ratio_sum += o->inner / o->predicted;
        }
        double ratio = ratio_sum / (double)r->trials;
        if (bad) {
            snprintf(one, sizeof one,
                     "same_init at eps=%g, %zu trial(s) have a non-positive inner product "
                     "(first: trial %zu, %.3g)", c->eps.v[ie], bad, first_bad,
                     theorem_obs_at(r, THEOREM_SAME, ie, first_bad)->inner);
            add_failure(msg, sizeof msg, &used, &failures, one);
        }
        if (!(fabs(ratio - 1) <= THEOREM_CHECK_RATIO_TOL)) {
            snprintf(one, sizeof one,
                     "same_init at eps=%g, mean ratio measured/predicted %.9g is outside "
                     "1 ± %g", c->eps.v[ie], ratio, THEOREM_CHECK_RATIO_TOL);
            add_failure(msg, sizeof msg, &used, &failures, one);
        }
    }
    if (failures)
        return err_set(e, "%s", msg);
    return 0;
}
