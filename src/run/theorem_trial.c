/* theorem_trial: one trial of the theorem check (run/theorem.h): its
 * batches, Δθ_T, the exact first-order prediction and, per ε, the teacher
 * θ_T = θ0 + ε Δθ_T and the students' steps toward it (Cloud et al. 2025,
 * Theorem 1).  Sections: sampling, arena arithmetic, the workspace, what a
 * trial measures, one trial. */
#include "run/theorem_trial.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "nn/loss.h"
#include "base/detmath.h"
#include "base/rng.h"

/* RNG_THEOREM sub-streams, one per purpose, so that changing how one is
 * drawn never shifts another (the key is the trial's seed). */
enum {
    SUB_TEACHER_DIGITS = 1, /* which training digits give Δθ_T */
    SUB_HELDOUT_DIGITS,     /* which held-out digits measure the L_T change */
    SUB_INPUT_DIGITS,       /* which training digits are imitated (--inputs mnist) */
    SUB_NOISE_SEED,         /* the seed of the imitated noise images */
    SUB_DIRECTION,          /* the entries of a random Δθ_T */
};

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

/* Σ (sa a_k)(sb b_k) in four interleaved partial sums (k mod 4), added in
 * a fixed order: the same bits on every run, and four times fewer
 * dependent adds than one running sum over a 270k-number arena.  sa and sb
 * are powers of two (1 for a plain dot product), so scaling is exact. */
static double dot_scaled(const double *a, double sa, const double *b, double sb, size_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t k = 0;
    for (; k + 4 <= n; k += 4) {
        s0 += (sa * a[k]) * (sb * b[k]);
        s1 += (sa * a[k + 1]) * (sb * b[k + 1]);
        s2 += (sa * a[k + 2]) * (sb * b[k + 2]);
        s3 += (sa * a[k + 3]) * (sb * b[k + 3]);
    }
    for (; k < n; k++)
        s0 += (sa * a[k]) * (sb * b[k]);
    return (s0 + s1) + (s2 + s3);
}

static double dot(const double *a, const double *b, size_t n)
{
    return dot_scaled(a, 1, b, 1, n);
}

/* y = a + s * x */
static void axpy_to(double *y, const double *a, double s, const double *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        y[k] = a[k] + s * x[k];
}

/* x's norm, scale-free: x scaled by the power of two 2^-e that brings its
 * largest entry into [0.5, 1).  A step of size η = 1e-160 has entries near
 * 1e-162 whose squares underflow to 0, so |x| itself would be 0; scaled,
 * they are near 1 and nothing underflows. */
static scaled_norm norm_of(const double *x, size_t n)
{
    double biggest = 0;
    for (size_t k = 0; k < n; k++) {
        double a = fabs(x[k]);
        if (!(a <= DBL_MAX))
            return (scaled_norm){0, NAN}; /* not finite */
        biggest = a > biggest ? a : biggest;
    }
    if (biggest < DBL_MIN) /* zero, or so small that its digits are gone */
        return (scaled_norm){0, NAN};
    int e;
    frexp(biggest, &e);
    double scale = ldexp(1, -e);
    return (scaled_norm){scale, sqrt(dot_scaled(x, scale, x, scale, n))};
}

/* The cosine of a and b, scale-free: (sa a)·(sb b) / (|sa a| |sb b|), sa
 * and sb from norm_of, NaN when either has none.  Scaling by powers of two
 * is exact wherever nothing underflows, so there it gives the bits of
 * a·b / (|a| |b|); where the plain formula underflows (to 0, as it did for
 * η below about 1e-155) this one does not. */
static double cosine(const double *a, scaled_norm na, const double *b, scaled_norm nb,
                     size_t n)
{
    if (na.scale == 0 || nb.scale == 0)
        return NAN;
    return dot_scaled(a, na.scale, b, nb.scale, n) / (na.norm * nb.norm);
}

/* ---- the workspace ---- */

enum { MAX_ARENAS = 16 };

/* The workspace's arenas, [n_params] each: their number, and where each
 * is kept in slots (one list for allocating, freeing and counting them). */
static size_t arena_slots(theorem_trial_ws *s, double **slots[MAX_ARENAS])
{
    double **all[] = {&s->theta0, &s->theta0x, &s->dir,  &s->theta_t, &s->grad,
                      &s->d_same, &s->d_cross,  &s->d_steps, &s->tmp};
    size_t n = sizeof all / sizeof all[0];
    for (size_t k = 0; k < n; k++)
        slots[k] = all[k];
    return n;
}

void theorem_trial_ws_free(theorem_trial_ws *s)
{
    mlp_ws_free_f64(&s->ws0);
    mlp_ws_free_f64(&s->wsx);
    mlp_ws_free_f64(&s->wsw);
    double **arenas[MAX_ARENAS];
    for (size_t k = 0, n = arena_slots(s, arenas); k < n; k++)
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

size_t theorem_trial_ws_bytes(const theorem_config *c, const mlp_shape *shape, size_t pixels)
{
    theorem_trial_ws none;
    double **arenas[MAX_ARENAS];
    size_t n_out = shape->dims[shape->n_layers];
    size_t big = max3(c->input_batch, c->teacher_batch, c->heldout);
    size_t doubles = mlp_ws_numbers(shape, c->input_batch) * 2 + /* ws0, wsx */
                     mlp_ws_numbers(shape, big) +                /* wsw */
                     arena_slots(&none, arenas) * mlp_n_params(shape) +
                     (c->input_batch + c->teacher_batch + c->heldout) * pixels + /* x, xt, xh */
                     (c->input_batch + big) * n_out;             /* tlog, dlog */
    return doubles * sizeof(double) + c->teacher_batch + c->heldout + /* yt, yh */
           big * sizeof(size_t);                                      /* index */
}

int theorem_trial_ws_init(theorem_trial_ws *s, const theorem_config *c, const mlp_shape *shape,
                          size_t pixels, pool *p, err *e)
{
    memset(s, 0, sizeof *s);
    size_t n_out = shape->dims[shape->n_layers];
    size_t big = max3(c->input_batch, c->teacher_batch, c->heldout);
    if (mlp_ws_init_f64(&s->ws0, shape, c->input_batch, p, e) ||
        mlp_ws_init_f64(&s->wsx, shape, c->input_batch, p, e) ||
        mlp_ws_init_f64(&s->wsw, shape, big, p, e)) {
        theorem_trial_ws_free(s);
        return -1;
    }
    double **arenas[MAX_ARENAS];
    int ok = 1;
    for (size_t k = 0, n = arena_slots(s, arenas); k < n; k++)
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
        theorem_trial_ws_free(s);
        return err_set(e, "out of memory for the theorem's networks and batches");
    }
    s->ready = 1;
    return 0;
}

/* ---- what a trial measures ---- */

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
                double pj = detmath_exp(lp[j]);
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

static double heldout_loss(theorem_trial_ws *s, const theorem_config *c, const double *params)
{
    const mlp_shape *sh = &s->wsw.shape;
    size_t n_out = sh->dims[sh->n_layers];
    const double *z = mlp_forward_f64(&s->wsw, params, s->xh, c->heldout);
    return loss_ce_f64(NULL, NULL, s->dlog, z, s->yh, c->heldout, n_out, THEOREM_CLASSES);
}

/* ---- one trial ---- */

/* The trial's batches, drawn from its seed: the teacher digits (Δθ_T), the
 * held-out digits (L_T change) and the imitation inputs. */
static void prepare_batches(theorem_trial_ws *s, const theorem_config *c, const dataset *train,
                            const dataset *heldout, uint64_t seed)
{
    size_t N = c->input_batch;
    sample_indices(s->index, c->teacher_batch, train->n, seed, SUB_TEACHER_DIGITS);
    batch_digits_f64(NULL, s->xt, train, s->index, c->teacher_batch);
    take_labels(s->yt, train, s->index, c->teacher_batch);
    sample_indices(s->index, c->heldout, heldout->n, seed, SUB_HELDOUT_DIGITS);
    batch_digits_f64(NULL, s->xh, heldout, s->index, c->heldout);
    take_labels(s->yh, heldout, s->index, c->heldout);
    if (c->inputs == THEOREM_INPUTS_DIGITS) {
        sample_indices(s->index, N, train->n, seed, SUB_INPUT_DIGITS);
        batch_digits_f64(NULL, s->x, train, s->index, N);
    } else {
        uint32_t w[4];
        rng_block(seed, RNG_THEOREM, SUB_NOISE_SEED, 0, w);
        uint64_t noise_seed = (uint64_t)w[0] | (uint64_t)w[1] << 32;
        for (size_t r = 0; r < N; r++)
            s->index[r] = r;
        batch_noise_f64(NULL, s->x, noise_seed, c->noise, s->index, N, train->pixels);
    }
}

/* Δθ_T into s->dir and its norm: the teacher's gradient step direction
 * -∇L_T(θ0), CE over the regular logits; or a random unit direction. */
static void teacher_direction(theorem_trial_ws *s, const theorem_config *c, uint64_t seed)
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
    s->dir_norm = norm_of(s->dir, P);
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
static void observe(theorem_trial_ws *s, const theorem_config *c, const student_start *from,
                    const double *d, double predicted, size_t flips, theorem_obs *o)
{
    size_t P = mlp_n_params(&s->wsw.shape);
    o->inner = dot(d, s->dir, P);
    o->cos = cosine(d, norm_of(d, P), s->dir, s->dir_norm, P);
    const mlp_shape *shape = &s->wsw.shape;
    for (size_t l = 1; l <= shape->n_layers; l++) {
        size_t b = mlp_weight_offset(shape, l), n = mlp_weight_offset(shape, l + 1) - b;
        o->layer_cos[l - 1] = cosine(d + b, norm_of(d + b, n), s->dir + b,
                                     norm_of(s->dir + b, n), n);
    }
    o->predicted = predicted;
    o->relu_flips = flips;
    axpy_to(s->tmp, from->theta, 1, d, P);
    o->loss_change = heldout_loss(s, c, s->tmp) - from->lt;
}

/* One gradient step of size η on the imitation loss toward the teacher's
 * logits s->tlog, from `from`: Δθ_S into from->d, its numbers into o. */
static void one_step(theorem_trial_ws *s, const theorem_config *c, const student_start *from,
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
static void k_steps(theorem_trial_ws *s, const theorem_config *c, const student_start *from,
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
        sc[k] = cosine(s->d_steps, norm_of(s->d_steps, P), s->dir, s->dir_norm, P);
    }
    /* o->cos comes out as sc[K - 1], bit for bit: the same dot products. */
    observe(s, c, from, s->d_steps, 0, first->relu_flips, o);
}

void theorem_trial_run(theorem_trial_ws *s, const theorem_config *c, const dataset *train,
                       const dataset *heldout, theorem_result *res, size_t t)
{
    const mlp_shape *shape = &s->wsw.shape;
    size_t P = mlp_n_params(shape), L = shape->n_layers, n_out = shape->dims[L];
    size_t N = c->input_batch;
    uint64_t seed = c->seed + t;

    mlp_init_params_f64(s->theta0, shape, c->init, seed, 0);
    mlp_init_params_f64(s->theta0x, shape, c->init, seed, 1);
    prepare_batches(s, c, train, heldout, seed);
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

    for (size_t ie = 0; ie < c->eps.n; ie++) {
        double eps = c->eps.v[ie];
        /* The teacher θ_T = θ0 + ε Δθ_T: its logits on the inputs, and where
         * its ReLUs differ from θ0's (read now: the steps reuse wsw). */
        axpy_to(s->theta_t, s->theta0, eps, s->dir, P);
        const double *zt = mlp_forward_f64(&s->wsw, s->theta_t, s->x, N);
        memcpy(s->tlog, zt, N * n_out * sizeof(double));
        size_t flips = relu_flips(&s->ws0, &s->wsw, N);

        /* same_init, the theorem's setting: Δθ_S·Δθ_T is predicted as
         * η ε E_x[(JΔθ_T)ᵀ H (JΔθ_T)] (Cloud et al. 2025, Theorem 1).
         * cross_init, a control: no prediction, either sign. */
        theorem_obs *o_same = theorem_obs_at(res, THEOREM_SAME, ie, t);
        one_step(s, c, &same, c->lr * eps * quad, flips, o_same);
        one_step(s, c, &cross, 0, 0, theorem_obs_at(res, THEOREM_CROSS, ie, t));
        if (c->steps > 1)
            k_steps(s, c, &same, o_same, theorem_step_cos_at(res, ie, t),
                    theorem_obs_at(res, THEOREM_STEPS, ie, t));
    }
}
