/* theorem: Cloud et al. 2025, Theorem 1, measured and predicted in double.
 * Sections: configuration, sampling, one trial, running the trials,
 * summaries and the check.  Its output files: out/theorem_out.c. */
#include "run/theorem.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nn/loss.h"
#include "base/rng.h"

/* ---- configuration ---- */

/* RNG_THEOREM sub-streams, one per purpose, so that changing how one is
 * drawn never shifts another (the key is the trial's seed). */
enum {
    SUB_TEACHER_DIGITS = 1, /* which training digits give Δθ_T */
    SUB_HELDOUT_DIGITS,     /* which held-out digits measure the L_T change */
    SUB_INPUT_DIGITS,       /* which training digits are imitated (--inputs mnist) */
    SUB_NOISE_SEED,         /* the seed of the imitated noise images */
    SUB_DIRECTION,          /* the entries of a random Δθ_T */
};

theorem_config theorem_defaults(void)
{
    theorem_config c = {
        .trials = 20,
        .seed = 0,
        .n_eps = 6,
        .eps = {1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6},
        /* One gradient step is exactly linear in η, so η scales Δθ_S and
         * leaves inner/predicted and every cosine unchanged; it matters
         * only for the K-step variant and for the L_T change beyond first
         * order.  0.01 keeps those steps small. */
        .lr = 1e-2,
        .steps = 10,
        .loss = THEOREM_LOSS_KL,
        .outputs = THEOREM_OUTPUTS_AUX,
        .direction = THEOREM_DIR_GRADIENT,
        .inputs = THEOREM_INPUTS_NOISE,
        .width = 256,
        .hidden_layers = 2,
        .m = 3,
        .init = MLP_INIT_NORMAL,
        .noise = NOISE_UNIFORM,
        /* 256 imitated inputs: E_x of the theorem as a batch mean, the size
         * of one training batch's worth of curvature.  256 training digits
         * for Δθ_T: one ordinary gradient step's batch.  1000 held-out
         * digits: enough that the sign of a small L_T change is not noise
         * from which digits were drawn. */
        .input_batch = 256,
        .teacher_batch = 256,
        .heldout = 1000,
        .threads = 0,
    };
    return c;
}

int theorem_validate(const theorem_config *c, const dataset *train,
                     const dataset *heldout, err *e)
{
    if (c->trials == 0)
        return err_set(e, "at least one trial is needed");
    if (c->n_eps == 0 || c->n_eps > THEOREM_MAX_EPS)
        return err_set(e, "between 1 and %d values of eps are needed", THEOREM_MAX_EPS);
    for (size_t k = 0; k < c->n_eps; k++)
        if (!(c->eps[k] > 0) || !isfinite(c->eps[k]))
            return err_set(e, "eps must be positive and finite (got %g)", c->eps[k]);
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
        return err_set(e, "the teacher batch (%zu) is larger than the training set (%zu)",
                       c->teacher_batch, train->n);
    if (c->inputs == THEOREM_INPUTS_DIGITS && c->input_batch > train->n)
        return err_set(e, "the input batch (%zu) is larger than the training set (%zu)",
                       c->input_batch, train->n);
    if (c->heldout > heldout->n)
        return err_set(e, "%zu held-out digits asked for but the set has %zu", c->heldout,
                       heldout->n);
    return 0;
}

/* ---- sampling ---- */

/* k distinct indices in [0, n), k <= n (Floyd's algorithm), a pure function
 * of (seed, sub).  O(k²) membership tests: a millisecond for k = 1000. */
static void sample_indices(size_t *out, size_t k, size_t n, uint64_t seed, uint32_t sub)
{
    size_t c = 0;
    for (size_t j = n - k; j < n; j++) {
        size_t t = (size_t)(rng_uniform(seed, RNG_THEOREM, sub, j) * (double)(j + 1));
        if (t > j)
            t = j;
        int seen = 0;
        for (size_t i = 0; i < c && !seen; i++)
            seen = out[i] == t;
        out[c++] = seen ? j : t;
    }
}

static void take_labels(uint8_t *out, const dataset *d, const size_t *index, size_t n)
{
    for (size_t r = 0; r < n; r++)
        out[r] = d->labels[index[r]];
}

/* ---- arena arithmetic ---- */

/* Σ a_k b_k in four interleaved partial sums (k mod 4), added in a fixed
 * order: the same bits on every run, and four times fewer dependent adds
 * than one running sum over a 270k-number arena. */
static double dot(const double *a, const double *b, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += a[k] * b[k];
        s1 += a[k + 1] * b[k + 1];
        s2 += a[k + 2] * b[k + 2];
        s3 += a[k + 3] * b[k + 3];
    }
    for (; k < n; k++)
        s0 += a[k] * b[k];
    return (s0 + s1) + (s2 + s3);
}

/* y = a + s * x */
static void axpy_to(double *y, const double *a, double s, const double *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        y[k] = a[k] + s * x[k];
}

static double cosine(double inner, double norm_a, double norm_b)
{
    double d = norm_a * norm_b;
    return d > 0 ? inner / d : 0;
}

/* ---- one trial ---- */

/* Everything one worker needs, allocated before any trial runs. */
typedef struct {
    mlp_ws_f64 ws0;   /* θ0 on the imitation inputs; kept for every same-init backward */
    mlp_ws_f64 wsx;   /* θ0' on the imitation inputs; kept for every cross-init backward */
    mlp_ws_f64 wsw;   /* work: Δθ_T, teacher forwards, held-out losses, K steps */
    /* arenas, [n_params] each */
    double *theta0, *theta0x, *dir, *theta_t, *grad, *d_same, *d_cross, *d_steps, *tmp;
    double *x;        /* imitation inputs [input_batch][pixels] */
    double *xt;       /* teacher digits [teacher_batch][pixels] */
    double *xh;       /* held-out digits [heldout][pixels] */
    uint8_t *yt, *yh; /* their labels */
    size_t *index;    /* [max batch] */
    double *tlog;     /* teacher logits on x [input_batch][n_out] */
    double *dlog;     /* d loss / d logits [max batch][n_out] */
    double dir_norm;  /* |Δθ_T| of the trial being run */
    int ready;
} slot;

static void slot_free(slot *s)
{
    mlp_ws_free_f64(&s->ws0);
    mlp_ws_free_f64(&s->wsx);
    mlp_ws_free_f64(&s->wsw);
    double **arenas[] = {&s->theta0, &s->theta0x, &s->dir, &s->theta_t, &s->grad,
                         &s->d_same, &s->d_cross, &s->d_steps, &s->tmp};
    for (size_t k = 0; k < sizeof arenas / sizeof arenas[0]; k++)
        free(*arenas[k]);
    free(s->x);
    free(s->xt);
    free(s->xh);
    free(s->yt);
    free(s->yh);
    free(s->index);
    free(s->tlog);
    free(s->dlog);
    memset(s, 0, sizeof *s);
}

static size_t max3(size_t a, size_t b, size_t c)
{
    size_t m = a > b ? a : b;
    return m > c ? m : c;
}

static int slot_init(slot *s, const theorem_config *c, const mlp_shape *shape,
                     size_t pixels, pool *p, err *e)
{
    memset(s, 0, sizeof *s);
    size_t n_out = shape->dims[shape->n_layers];
    size_t big = max3(c->input_batch, c->teacher_batch, c->heldout);
    if (mlp_ws_init_f64(&s->ws0, shape, c->input_batch, p, e) ||
        mlp_ws_init_f64(&s->wsx, shape, c->input_batch, p, e) ||
        mlp_ws_init_f64(&s->wsw, shape, big, p, e)) {
        slot_free(s);
        return -1;
    }
    double **arenas[] = {&s->theta0, &s->theta0x, &s->dir, &s->theta_t, &s->grad,
                         &s->d_same, &s->d_cross, &s->d_steps, &s->tmp};
    int ok = 1;
    for (size_t k = 0; k < sizeof arenas / sizeof arenas[0]; k++)
        ok &= (*arenas[k] = mlp_arena_new_f64(shape)) != NULL;
    ok &= (s->x = malloc(c->input_batch * pixels * sizeof(double))) != NULL;
    ok &= (s->xt = malloc(c->teacher_batch * pixels * sizeof(double))) != NULL;
    ok &= (s->xh = malloc(c->heldout * pixels * sizeof(double))) != NULL;
    ok &= (s->yt = malloc(c->teacher_batch)) != NULL;
    ok &= (s->yh = malloc(c->heldout)) != NULL;
    ok &= (s->index = malloc(big * sizeof(size_t))) != NULL;
    ok &= (s->tlog = malloc(c->input_batch * n_out * sizeof(double))) != NULL;
    ok &= (s->dlog = malloc(big * n_out * sizeof(double))) != NULL;
    if (!ok) {
        slot_free(s);
        return err_set(e, "out of memory for the theorem's networks and batches");
    }
    s->ready = 1;
    return 0;
}

static loss_outputs selected(const theorem_config *c)
{
    loss_outputs sel = {0, THEOREM_CLASSES + c->m};
    if (c->outputs == THEOREM_OUTPUTS_AUX)
        sel.begin = THEOREM_CLASSES;
    return sel;
}

/* The imitation loss's gradient into dlogits (its value is not needed). */
static void imitation_grad(const theorem_config *c, double *dlogits, const double *student,
                           const double *teacher, size_t batch, size_t n_out)
{
    if (c->loss == THEOREM_LOSS_KL)
        loss_kl_f64(NULL, NULL, dlogits, student, teacher, batch, n_out, selected(c));
    else
        loss_mse_f64(NULL, NULL, dlogits, student, teacher, batch, n_out, selected(c));
}

/* E_x[vᵀ H v] over the selected outputs, v = J Δθ_T [batch][n_out] and
 * logits the student's at θ0.  KL(p_T || p_S) in the student's logits s:
 * gradient p_S - p_T, Hessian H = diag(p) - p pᵀ at p = softmax(s), so
 * vᵀHv = Σ p_j v_j² - (Σ p_j v_j)².  MSE (1/2 |s - t|²): H = I. */
static double quad_form_mean(const theorem_config *c, const double *logits, const double *v,
                             size_t batch, size_t n_out)
{
    loss_outputs sel = selected(c);
    size_t n = sel.end - sel.begin;
    double total = 0, lp[LOSS_MAX_OUTPUTS];
    for (size_t r = 0; r < batch; r++) {
        const double *z = logits + r * n_out + sel.begin;
        const double *vr = v + r * n_out + sel.begin;
        double q = 0;
        if (c->loss == THEOREM_LOSS_KL) {
            loss_log_softmax_f64(lp, z, n);
            double pv = 0, pvv = 0;
            for (size_t j = 0; j < n; j++) {
                double pj = exp(lp[j]);
                pv += pj * vr[j];
                pvv += pj * vr[j] * vr[j];
            }
            q = pvv - pv * pv;
        } else {
            for (size_t j = 0; j < n; j++)
                q += vr[j] * vr[j];
        }
        total += q;
    }
    return total / (double)batch;
}

/* (input, hidden unit) pairs whose ReLU state differs between two forward
 * passes on the same inputs. */
static size_t relu_flips(const mlp_ws_f64 *a, const mlp_ws_f64 *b, size_t batch)
{
    const mlp_shape *s = &a->shape;
    size_t flips = 0;
    for (size_t l = 1; l < s->n_layers; l++)
        for (size_t k = 0; k < batch * s->dims[l]; k++)
            flips += (a->act[l][k] > 0) != (b->act[l][k] > 0);
    return flips;
}

static double heldout_loss(slot *s, const theorem_config *c, const double *params)
{
    const mlp_shape *sh = &s->wsw.shape;
    size_t n_out = sh->dims[sh->n_layers];
    const double *z = mlp_forward_f64(&s->wsw, params, s->xh, c->heldout);
    return loss_ce_f64(NULL, NULL, s->dlog, z, s->yh, c->heldout, n_out, THEOREM_CLASSES);
}

typedef struct {
    const theorem_config *cfg;
    const dataset *train, *heldout;
    theorem_result *res;
    slot *slots;
    size_t n_slots;
} job;

/* The trial's batches, drawn from its seed: the teacher digits (Δθ_T), the
 * held-out digits (L_T change) and the imitation inputs. */
static void prepare_batches(slot *s, const job *j, uint64_t seed)
{
    const theorem_config *c = j->cfg;
    size_t N = c->input_batch;
    sample_indices(s->index, c->teacher_batch, j->train->n, seed, SUB_TEACHER_DIGITS);
    batch_digits_f64(NULL, s->xt, j->train, s->index, c->teacher_batch);
    take_labels(s->yt, j->train, s->index, c->teacher_batch);
    sample_indices(s->index, c->heldout, j->heldout->n, seed, SUB_HELDOUT_DIGITS);
    batch_digits_f64(NULL, s->xh, j->heldout, s->index, c->heldout);
    take_labels(s->yh, j->heldout, s->index, c->heldout);
    if (c->inputs == THEOREM_INPUTS_DIGITS) {
        sample_indices(s->index, N, j->train->n, seed, SUB_INPUT_DIGITS);
        batch_digits_f64(NULL, s->x, j->train, s->index, N);
    } else {
        uint32_t w[4];
        rng_block(seed, RNG_THEOREM, SUB_NOISE_SEED, 0, w);
        uint64_t noise_seed = (uint64_t)w[0] | (uint64_t)w[1] << 32;
        for (size_t r = 0; r < N; r++)
            s->index[r] = r;
        batch_noise_f64(NULL, s->x, noise_seed, c->noise, s->index, N, j->train->pixels);
    }
}

/* Δθ_T into s->dir and its norm: the teacher's gradient step direction
 * -∇L_T(θ0), CE over the regular logits; or a random unit direction. */
static void teacher_direction(slot *s, const theorem_config *c, uint64_t seed)
{
    const mlp_shape *shape = &s->wsw.shape;
    size_t P = mlp_n_params(shape), n_out = shape->dims[shape->n_layers];
    if (c->direction == THEOREM_DIR_GRADIENT) {
        const double *z = mlp_forward_f64(&s->wsw, s->theta0, s->xt, c->teacher_batch);
        loss_ce_f64(NULL, NULL, s->dlog, z, s->yt, c->teacher_batch, n_out, THEOREM_CLASSES);
        mlp_backward_f64(&s->wsw, s->theta0, s->grad, s->xt, s->dlog, c->teacher_batch);
        for (size_t k = 0; k < P; k++)
            s->dir[k] = -s->grad[k];
    } else {
        for (size_t k = 0; k < P; k++)
            s->dir[k] = rng_normal(seed, RNG_THEOREM, SUB_DIRECTION, k);
        double norm = sqrt(dot(s->dir, s->dir, P));
        for (size_t k = 0; k < P; k++)
            s->dir[k] /= norm;
    }
    s->dir_norm = sqrt(dot(s->dir, s->dir, P));
}

/* Where a one-step student starts: θ0 (same_init) or θ0' (cross_init). */
typedef struct {
    mlp_ws_f64 *ws;      /* holds the start's forward pass on the imitation inputs */
    const double *theta;
    double lt;           /* the start's held-out L_T */
    double *d;           /* out: the step Δθ_S [n_params] */
} student_start;

/* The numbers of the student θ_S = from->theta + d: Δθ_S·Δθ_T (Δθ_S = d),
 * its cosine and the change of the held-out L_T; predicted and relu_flips
 * as given. */
static void observe(slot *s, const theorem_config *c, const student_start *from,
                    const double *d, double predicted, size_t flips, theorem_obs *o)
{
    size_t P = mlp_n_params(&s->wsw.shape);
    o->inner = dot(d, s->dir, P);
    o->cos = cosine(o->inner, sqrt(dot(d, d, P)), s->dir_norm);
    o->predicted = predicted;
    o->relu_flips = flips;
    axpy_to(s->tmp, from->theta, 1, d, P);
    o->loss_change = heldout_loss(s, c, s->tmp) - from->lt;
}

/* One gradient step of size η on the imitation loss toward the teacher's
 * logits s->tlog, from `from`: Δθ_S into from->d, its numbers into o. */
static void one_step(slot *s, const theorem_config *c, const student_start *from,
                     double predicted, size_t flips, theorem_obs *o)
{
    const mlp_shape *shape = &s->wsw.shape;
    size_t P = mlp_n_params(shape), L = shape->n_layers, n_out = shape->dims[L];
    size_t N = c->input_batch;
    double eta = c->lr;
    imitation_grad(c, s->dlog, from->ws->act[L], s->tlog, N, n_out);
    mlp_backward_f64(from->ws, from->theta, s->grad, s->x, s->dlog, N);
    for (size_t k = 0; k < P; k++)
        from->d[k] = -eta * s->grad[k];
    observe(s, c, from, from->d, predicted, flips, o);
}

/* same_init_k<K>: K steps toward the fixed teacher from `from`, the first
 * being the one already taken (from->d, observed in first).  Cosines per
 * step into sc[K], the K-th step's numbers into o.  The displacement
 * θ_S,k - θ0 is accumulated on its own, so tiny steps are not rounded away
 * against θ0. */
static void k_steps(slot *s, const theorem_config *c, const student_start *from,
                    const theorem_obs *first, double *sc, theorem_obs *o)
{
    const mlp_shape *shape = &s->wsw.shape;
    size_t P = mlp_n_params(shape), n_out = shape->dims[shape->n_layers];
    size_t N = c->input_batch;
    double eta = c->lr;
    memcpy(s->d_steps, from->d, P * sizeof(double));
    sc[0] = first->cos;
    for (size_t k = 1; k < c->steps; k++) {
        axpy_to(s->tmp, from->theta, 1, s->d_steps, P);
        const double *zs = mlp_forward_f64(&s->wsw, s->tmp, s->x, N);
        imitation_grad(c, s->dlog, zs, s->tlog, N, n_out);
        mlp_backward_f64(&s->wsw, s->tmp, s->grad, s->x, s->dlog, N);
        for (size_t q = 0; q < P; q++)
            s->d_steps[q] -= eta * s->grad[q];
        sc[k] = cosine(dot(s->d_steps, s->dir, P), sqrt(dot(s->d_steps, s->d_steps, P)),
                       s->dir_norm);
    }
    /* o->cos comes out as sc[K - 1], bit for bit: the same dot products. */
    observe(s, c, from, s->d_steps, 0, first->relu_flips, o);
}

static void run_trial(slot *s, const job *j, size_t t)
{
    const theorem_config *c = j->cfg;
    const mlp_shape *shape = &s->wsw.shape;
    size_t P = mlp_n_params(shape), L = shape->n_layers, n_out = shape->dims[L];
    size_t N = c->input_batch;
    uint64_t seed = c->seed + t;

    mlp_init_params_f64(s->theta0, shape, c->init, seed, 0);
    mlp_init_params_f64(s->theta0x, shape, c->init, seed, 1);
    prepare_batches(s, j, seed);
    teacher_direction(s, c, seed);

    /* θ0 on the inputs with the tangent J Δθ_T (forward mode, exact): the
     * prediction's E_x[(JΔθ_T)ᵀ H (JΔθ_T)], independent of ε.  ws0 keeps
     * θ0's activations for every same-init step below; wsx, likewise, those
     * of θ0' for every cross-init step. */
    const double *v = mlp_jvp_f64(&s->ws0, s->theta0, s->dir, s->x, N);
    double quad = quad_form_mean(c, s->ws0.act[L], v, N, n_out);
    mlp_forward_f64(&s->wsx, s->theta0x, s->x, N);
    const student_start same = {&s->ws0, s->theta0, heldout_loss(s, c, s->theta0), s->d_same};
    const student_start cross = {&s->wsx, s->theta0x, heldout_loss(s, c, s->theta0x),
                                 s->d_cross};

    for (size_t ie = 0; ie < c->n_eps; ie++) {
        double eps = c->eps[ie];
        /* The teacher θ_T = θ0 + ε Δθ_T: its logits on the inputs, and where
         * its ReLUs differ from θ0's (read now: the steps reuse wsw). */
        axpy_to(s->theta_t, s->theta0, eps, s->dir, P);
        const double *zt = mlp_forward_f64(&s->wsw, s->theta_t, s->x, N);
        memcpy(s->tlog, zt, N * n_out * sizeof(double));
        size_t flips = relu_flips(&s->ws0, &s->wsw, N);

        /* same_init, the theorem's setting: Δθ_S·Δθ_T is predicted as
         * η ε E_x[(JΔθ_T)ᵀ H (JΔθ_T)] (Cloud et al. 2025, Theorem 1).
         * cross_init, a control: no prediction, either sign. */
        theorem_obs *o_same = theorem_obs_at(j->res, THEOREM_SAME, ie, t);
        one_step(s, c, &same, c->lr * eps * quad, flips, o_same);
        one_step(s, c, &cross, 0, 0, theorem_obs_at(j->res, THEOREM_CROSS, ie, t));
        if (c->steps > 1)
            k_steps(s, c, &same, o_same, theorem_step_cos_at(j->res, ie, t),
                    theorem_obs_at(j->res, THEOREM_STEPS, ie, t));
    }
}

/* ---- running the trials ---- */

/* Worker k runs trials k, k + n_slots, ...: every trial's numbers depend
 * on the trial alone, never on which worker ran it. */
static void run_slot(void *ctx, size_t k)
{
    const job *j = ctx;
    for (size_t t = k; t < j->cfg->trials; t += j->n_slots)
        run_trial(&j->slots[k], j, t);
}

int theorem_result_init(theorem_result *r, const theorem_config *c, err *e)
{
    memset(r, 0, sizeof *r);
    r->trials = c->trials;
    r->n_eps = c->n_eps;
    r->steps = c->steps;
    r->obs = calloc(THEOREM_N_VARIANTS * c->n_eps * c->trials, sizeof *r->obs);
    r->step_cos = calloc(c->n_eps * c->trials * c->steps, sizeof *r->step_cos);
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
    if (res->trials != c->trials || res->n_eps != c->n_eps || res->steps != c->steps)
        return err_set(e, "the result was sized for another configuration");
    mlp_shape shape;
    if (mlp_shape_make(&shape, train->pixels, c->width, c->hidden_layers,
                       THEOREM_CLASSES + c->m, e))
        return -1;
    size_t n_slots = pool_threads(p);
    if (n_slots > c->trials)
        n_slots = c->trials;
    slot *slots = calloc(n_slots, sizeof *slots);
    if (!slots)
        return err_set(e, "out of memory for %zu workers", n_slots);
    /* One worker: its kernels use the pool.  Several: each is one thread. */
    int rc = 0;
    for (size_t k = 0; k < n_slots && rc == 0; k++)
        rc = slot_init(&slots[k], c, &shape, train->pixels, n_slots == 1 ? p : NULL, e);
    if (rc == 0) {
        job j = {c, train, heldout, res, slots, n_slots};
        if (n_slots == 1)
            run_slot(&j, 0);
        else
            pool_run(p, run_slot, &j, n_slots);
    }
    for (size_t k = 0; k < n_slots; k++)
        if (slots[k].ready)
            slot_free(&slots[k]);
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
            row->eps = c->eps[ie];
            row->trials = T;
            row->has_prediction = v == THEOREM_SAME;
            row->cos_min = INFINITY;
            row->cos_max = -INFINITY;
            size_t aligned = 0, drops = 0, kinked = 0;
            double cos_sum = 0, inner_sum = 0, pred_sum = 0, ratio_sum = 0, flip_sum = 0;
            double dev_max = 0, smooth_dev_max = 0;
            int dev_nan = 0, smooth_nan = 0; /* a zero prediction: no ratio */
            for (size_t t = 0; t < T; t++) {
                const theorem_obs *o = theorem_obs_at(r, (enum theorem_variant)v, ie, t);
                aligned += o->inner > 0;
                drops += o->loss_change < 0;
                cos_sum += o->cos;
                inner_sum += o->inner;
                row->cos_min = fmin(row->cos_min, o->cos);
                row->cos_max = fmax(row->cos_max, o->cos);
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

int theorem_check(const theorem_result *r, const theorem_config *c, err *e)
{
    char msg[sizeof e->msg];
    size_t used = 0, failures = 0;
    msg[0] = '\0';
    for (size_t ie = 0; ie < r->n_eps; ie++) {
        if (!(c->eps[ie] <= THEOREM_CHECK_MAX_EPS))
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
        char one[256] = "";
        if (bad)
            snprintf(one, sizeof one,
                     "%sat eps=%g, %zu trial(s) have a non-positive inner product "
                     "(first: trial %zu, %.3g)", failures ? "; " : "", c->eps[ie], bad,
                     first_bad, theorem_obs_at(r, THEOREM_SAME, ie, first_bad)->inner);
        if (!(fabs(ratio - 1) <= THEOREM_CHECK_RATIO_TOL))
            snprintf(one + strlen(one), sizeof one - strlen(one),
                     "%sat eps=%g, mean ratio measured/predicted %.9g is outside 1 ± %g",
                     (failures || bad) ? "; " : "", c->eps[ie], ratio,
                     THEOREM_CHECK_RATIO_TOL);
        if (one[0]) {
            failures++;
            int w = snprintf(msg + used, sizeof msg - used, "%s", one);
            used += w > 0 ? (size_t)w : 0;
            if (used >= sizeof msg)
                used = sizeof msg - 1;
        }
    }
    if (failures)
        return err_set(e, "same_init: %s", msg);
    return 0;
}
