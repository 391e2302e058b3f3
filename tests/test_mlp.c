/* Tests of the MLP: arena layout, initialisation, the forward pass against a
 * hand-written loop, the backward pass and the JVP against central finite
 * differences in double, and float against double. */
#include "testutil.h"

#include <math.h>
#include "nn/kernels.h"
#include "nn/loss.h"
#include "nn/mlp.h"
#include "base/pool.h"
#include "base/rng.h"

/* ---- layout ---- */

static void arena_layout(void **state)
{
    (void)state;
    mlp_shape s;
    err e;
    assert_int_equal(mlp_shape_make(&s, 784, 256, 2, 13, &e), 0);
    assert_int_equal(s.n_layers, 3);
    assert_int_equal(s.dims[0], 784);
    assert_int_equal(s.dims[1], 256);
    assert_int_equal(s.dims[2], 256);
    assert_int_equal(s.dims[3], 13);
    /* W1 b1 W2 b2 W3 b3, back to back. */
    assert_int_equal(mlp_weight_offset(&s, 1), 0);
    assert_int_equal(mlp_bias_offset(&s, 1), 784 * 256);
    assert_int_equal(mlp_weight_offset(&s, 2), 784 * 256 + 256);
    assert_int_equal(mlp_bias_offset(&s, 2), 784 * 256 + 256 + 256 * 256);
    assert_int_equal(mlp_weight_offset(&s, 3), 784 * 256 + 256 + 256 * 256 + 256);
    assert_int_equal(mlp_bias_offset(&s, 3), 784 * 256 + 256 + 256 * 256 + 256 + 256 * 13);
    assert_int_equal(mlp_n_params(&s), 784 * 256 + 256 + 256 * 256 + 256 + 256 * 13 + 13);
    assert_int_equal(mlp_n_params(&s), 270093);
    assert_int_equal(mlp_max_dim(&s), 784);

    assert_int_equal(mlp_shape_make(&s, 5, 4, 0, 3, &e), 0); /* no hidden layer */
    assert_int_equal(s.n_layers, 1);
    assert_int_equal(mlp_n_params(&s), 5 * 3 + 3);

    assert_int_equal(mlp_shape_make(&s, 0, 4, 1, 3, &e), -1);
    assert_int_equal(mlp_shape_make(&s, 5, 0, 1, 3, &e), -1);
    assert_int_equal(mlp_shape_make(&s, 5, 4, 1, 0, &e), -1);
    assert_int_equal(mlp_shape_make(&s, 5, 4, MLP_MAX_LAYERS, 3, &e), -1);
    tu_assert_contains(e.msg, "hidden layers");
    assert_int_equal(mlp_shape_make(&s, 5, 4, MLP_MAX_LAYERS - 1, 3, &e), 0);
}

/* ---- initialisation ---- */

typedef struct {
    double mean, sd, max_abs;
    size_t n;
} moments;

static moments moments_of(const double *x, size_t n)
{
    moments m = {0, 0, 0, n};
    for (size_t i = 0; i < n; i++) {
        m.mean += x[i];
        m.max_abs = fabs(x[i]) > m.max_abs ? fabs(x[i]) : m.max_abs;
    }
    m.mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        m.sd += (x[i] - m.mean) * (x[i] - m.mean);
    m.sd = sqrt(m.sd / (double)n);
    return m;
}

/* The parameters of the experiment's 784-256-256-13 network as kind
 * initializes them for seed 7, into *s's shape; free() them. */
static double *init_mnist_net(mlp_shape *s, enum mlp_init kind)
{
    assert_int_equal(mlp_shape_make(s, 784, 256, 2, 13, NULL), 0);
    double *p = mlp_arena_new_f64(s);
    assert_non_null(p);
    mlp_init_params_f64(p, s, kind, 7, 0);
    return p;
}

static void init_normal(void **state)
{
    (void)state;
    mlp_shape s;
    double *p = init_mnist_net(&s, MLP_INIT_NORMAL);
    for (size_t l = 1; l <= s.n_layers; l++) {
        size_t fan_in = s.dims[l - 1], n_w = s.dims[l] * fan_in;
        double want = 1 / sqrt((double)fan_in);
        moments m = moments_of(p + mlp_weight_offset(&s, l), n_w);
        /* relative sd of a sample sd is 1/sqrt(2n): 3328 weights in layer 3 */
        double tol = 5 / sqrt(2.0 * (double)n_w);
        if (fabs(m.sd / want - 1) > tol)
            fail_msg("layer %zu: weight sd %g, want 1/sqrt(%zu) = %g", l, m.sd, fan_in, want);
        assert_true(fabs(m.mean) < 5 * want / sqrt((double)n_w));
        assert_true(m.max_abs > 2.5 * want); /* a normal, not a narrow uniform */
        const double *b = p + mlp_bias_offset(&s, l);
        for (size_t k = 0; k < s.dims[l]; k++)
            assert_true(b[k] == 0.0);
    }
    free(p);
}

static void init_uniform(void **state)
{
    (void)state;
    mlp_shape s;
    double *p = init_mnist_net(&s, MLP_INIT_UNIFORM);
    for (size_t l = 1; l <= s.n_layers; l++) {
        size_t fan_in = s.dims[l - 1], n_w = s.dims[l] * fan_in;
        double bound = 1 / sqrt((double)fan_in);
        moments m = moments_of(p + mlp_weight_offset(&s, l), n_w);
        assert_true(m.max_abs <= bound);
        assert_true(m.max_abs > 0.99 * bound);
        /* U(-a, a) has sd a / sqrt(3). */
        assert_true(fabs(m.sd / (bound / sqrt(3.0)) - 1) < 5 / sqrt((double)n_w));
        moments mb = moments_of(p + mlp_bias_offset(&s, l), s.dims[l]);
        assert_true(mb.max_abs <= bound);
        assert_true(mb.max_abs > 0.5 * bound); /* biases drawn, not zero */
    }
    free(p);
}

static void init_f32_is_rounded_f64_and_ids_differ(void **state)
{
    (void)state;
    mlp_shape s;
    assert_int_equal(mlp_shape_make(&s, 30, 20, 2, 13, NULL), 0);
    size_t P = mlp_n_params(&s);
    double *d = mlp_arena_new_f64(&s), *d2 = mlp_arena_new_f64(&s);
    float *f = mlp_arena_new_f32(&s), *f2 = mlp_arena_new_f32(&s);
    assert_non_null(d);
    assert_non_null(d2);
    assert_non_null(f);
    assert_non_null(f2);
    for (int kind = 0; kind < 2; kind++) {
        mlp_init_params_f64(d, &s, (enum mlp_init)kind, 3, 0);
        mlp_init_params_f32(f, &s, (enum mlp_init)kind, 3, 0);
        for (size_t k = 0; k < P; k++)
            if (f[k] != (float)d[k])
                fail_msg("kind %d param %zu: f32 %.9g != (float) %.17g", kind, k,
                         (double)f[k], d[k]);
        /* Deterministic. */
        mlp_init_params_f32(f2, &s, (enum mlp_init)kind, 3, 0);
        assert_memory_equal(f, f2, P * sizeof *f);
        /* Another init id (θ0 vs θ0') or seed: another network, weight by weight. */
        size_t same = 0;
        mlp_init_params_f64(d2, &s, (enum mlp_init)kind, 3, 1);
        for (size_t k = 0; k < P; k++)
            same += d2[k] == d[k];
        size_t zero_biases = kind == MLP_INIT_NORMAL ? 20 + 20 + 13 : 0;
        assert_int_equal(same, zero_biases);
        same = 0;
        mlp_init_params_f64(d2, &s, (enum mlp_init)kind, 4, 0);
        for (size_t k = 0; k < P; k++)
            same += d2[k] == d[k];
        assert_int_equal(same, zero_biases);
    }
    free(d);
    free(d2);
    free(f);
    free(f2);
}

/* ---- a tiny network in double ---- */

enum { IN = 5, WIDTH = 6, HIDDEN = 2, CLASSES = 3, AUX = 2, OUT = CLASSES + AUX, B = 4 };

typedef struct {
    mlp_shape s;
    size_t P;
    double *params;
    double *x;       /* [B][IN] */
    double *teacher; /* [B][OUT] targets for the imitation losses */
    uint8_t labels[B];
    mlp_ws_f64 ws;
} tiny;

/* Pre-activations of every hidden layer, by a plain loop independent of the
 * kernels; returns min |z| over them. */
static double min_abs_preactivation(const tiny *t, const double *params)
{
    double a[B][16], z[B][16], m = INFINITY;
    for (size_t r = 0; r < B; r++)
        for (size_t i = 0; i < IN; i++)
            a[r][i] = t->x[r * IN + i];
    for (size_t l = 1; l < t->s.n_layers; l++) {
        size_t n_in = t->s.dims[l - 1], n_out = t->s.dims[l];
        const double *w = params + mlp_weight_offset(&t->s, l);
        const double *b = params + mlp_bias_offset(&t->s, l);
        for (size_t r = 0; r < B; r++)
            for (size_t o = 0; o < n_out; o++) {
                double sum = b[o];
                for (size_t i = 0; i < n_in; i++)
                    sum += w[o * n_in + i] * a[r][i];
                z[r][o] = sum;
                m = fabs(sum) < m ? fabs(sum) : m;
            }
        for (size_t r = 0; r < B; r++)
            for (size_t o = 0; o < n_out; o++)
                a[r][o] = z[r][o] > 0 ? z[r][o] : 0;
    }
    return m;
}

/* A tiny network of width × hidden (width at most 16). */
static void tiny_make(tiny *t, uint64_t seed, pool *p, size_t width, size_t hidden)
{
    memset(t, 0, sizeof *t);
    assert_true(width <= 16);
    assert_int_equal(mlp_shape_make(&t->s, IN, width, hidden, OUT, NULL), 0);
    t->P = mlp_n_params(&t->s);
    t->params = mlp_arena_new_f64(&t->s);
    t->x = malloc(B * IN * sizeof *t->x);
    t->teacher = malloc(B * OUT * sizeof *t->teacher);
    assert_non_null(t->params);
    assert_non_null(t->x);
    assert_non_null(t->teacher);
    /* Uniform init gives non-zero biases, so bias gradients are tested
     * at a generic point. */
    mlp_init_params_f64(t->params, &t->s, MLP_INIT_UNIFORM, seed, 0);
    for (size_t k = 0; k < B * IN; k++)
        t->x[k] = 2 * rng_uniform(seed, RNG_THEOREM, 1, k) - 1;
    for (size_t k = 0; k < B * OUT; k++)
        t->teacher[k] = 3 * rng_normal(seed, RNG_THEOREM, 2, k);
    for (size_t r = 0; r < B; r++)
        t->labels[r] = (uint8_t)(r % CLASSES);
    assert_int_equal(mlp_ws_init_f64(&t->ws, &t->s, B, p, NULL), 0);
}

static void tiny_free(tiny *t)
{
    free(t->params);
    free(t->x);
    free(t->teacher);
    mlp_ws_free_f64(&t->ws);
}

/* Picks the first seed from `from` whose hidden pre-activations all stay
 * 0.01 away from the ReLU kink, so a finite-difference step cannot cross it. */
static void tiny_make_smooth(tiny *t, uint64_t from, pool *p, size_t width, size_t hidden)
{
    for (uint64_t seed = from; seed < from + 100; seed++) {
        tiny_make(t, seed, p, width, hidden);
        if (min_abs_preactivation(t, t->params) > 0.01)
            return;
        tiny_free(t);
    }
    fail_msg("no seed with pre-activations away from 0");
}

enum which_loss { CE, KL, MSE };
static const loss_outputs KL_SEL = {2, 5}, MSE_SEL = {0, 5};

static double loss_at(tiny *t, const double *params, enum which_loss which, double *dlogits)
{
    const double *z = mlp_forward_f64(&t->ws, params, t->x, B);
    switch (which) {
    case CE: return loss_ce_f64(NULL, NULL, dlogits, z, t->labels, B, OUT, CLASSES);
    case KL: return loss_kl_f64(NULL, NULL, dlogits, z, t->teacher, B, OUT, KL_SEL);
    case MSE: return loss_mse_f64(NULL, NULL, dlogits, z, t->teacher, B, OUT, MSE_SEL);
    }
    return NAN;
}

static void check_gradient(enum which_loss which, pool *p, size_t width, size_t hidden)
{
    static const char *names[] = {"CE", "KL", "MSE"};
    tiny t;
    tiny_make_smooth(&t, 100, p, width, hidden);
    double dl[B * OUT], scratch[B * OUT];
    double *g = mlp_arena_new_f64(&t.s), *q = mlp_arena_new_f64(&t.s);
    assert_non_null(g);
    assert_non_null(q);
    loss_at(&t, t.params, which, dl);
    mlp_backward_f64(&t.ws, t.params, g, t.x, dl, B);

    double gmax = 0;
    for (size_t k = 0; k < t.P; k++)
        gmax = fabs(g[k]) > gmax ? fabs(g[k]) : gmax;
    assert_true(gmax > 1e-3); /* guard: not trivially zero */

    const double h = 1e-5;
    size_t nonzero = 0;
    memcpy(q, t.params, t.P * sizeof *q);
    for (size_t k = 0; k < t.P; k++) {
        q[k] = t.params[k] + h;
        assert_true(min_abs_preactivation(&t, q) > 0.005);
        double up = loss_at(&t, q, which, scratch);
        q[k] = t.params[k] - h;
        double down = loss_at(&t, q, which, scratch);
        q[k] = t.params[k];
        double fd = (up - down) / (2 * h);
        /* Central differences: O(h^2) truncation, O(eps / h) rounding. */
        double tol = 1e-6 * fmax(fabs(fd), fabs(g[k])) + 1e-9 * gmax;
        if (!(fabs(fd - g[k]) <= tol))
            fail_msg("%s: d loss / d param %zu: backward %.12g, finite difference %.12g",
                     names[which], k, g[k], fd);
        nonzero += fabs(g[k]) > 1e-6 * gmax;
    }
    /* Many parameters matter (a unit off for all B inputs or an unused
     * output zeroes some: more of them in deeper networks). */
    if (nonzero < t.P / 3)
        fail_msg("%s: only %zu of %zu gradients are non-zero", names[which], nonzero, t.P);

    /* What the losses ignore gets exactly zero gradient: CE ignores the
     * auxiliary outputs (rows 3 and 4 of the last W and b), KL {2,5} the
     * first two. */
    size_t L = t.s.n_layers;
    size_t w3 = mlp_weight_offset(&t.s, L), b3 = mlp_bias_offset(&t.s, L);
    for (size_t o = 0; o < OUT; o++) {
        int ignored = (which == CE && o >= CLASSES) || (which == KL && o < KL_SEL.begin);
        for (size_t i = 0; i < width; i++)
            if (ignored)
                assert_true(g[w3 + o * width + i] == 0.0);
        if (ignored)
            assert_true(g[b3 + o] == 0.0);
        else
            assert_true(g[b3 + o] != 0.0);
    }
    free(g);
    free(q);
    tiny_free(&t);
}

static void gradient_ce(void **state) { (void)state; check_gradient(CE, NULL, WIDTH, HIDDEN); }
static void gradient_kl(void **state) { (void)state; check_gradient(KL, NULL, WIDTH, HIDDEN); }
static void gradient_mse(void **state) { (void)state; check_gradient(MSE, NULL, WIDTH, HIDDEN); }
static void gradient_kl_threaded(void **state)
{
    (void)state;
    pool *p = pool_create(3);
    assert_non_null(p);
    check_gradient(KL, p, WIDTH, HIDDEN);
    pool_free(p);
}

/* Students of another shape (--student-width, --student-depth) train
 * through the same code: narrower, wider, shallower and deeper networks'
 * gradients match finite differences too. */
static void gradient_other_shapes(void **state)
{
    (void)state;
    static const size_t shapes[][2] = {{3, 2}, {11, 2}, {6, 1}, {6, 3}, {9, 4}};
    for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
        check_gradient(KL, NULL, shapes[k][0], shapes[k][1]);
        check_gradient(CE, NULL, shapes[k][0], shapes[k][1]);
    }
}

/* --student-init embed: a network put inside a wider one computes the
 * same logits bit for bit, in float on the vector kernels (widths off the
 * vector length, a pool) and in double; the wide one's other parameters
 * are its own draw, but for the zero weights from the new units; shapes
 * that do not fit are refused. */
static void embed_computes_the_same_function(void **state)
{
    (void)state;
    enum { N = 37, D0 = 100 };
    mlp_shape narrow, wide;
    assert_int_equal(mlp_shape_make(&narrow, D0, 30, 2, 13, NULL), 0);
    assert_int_equal(mlp_shape_make(&wide, D0, 47, 2, 13, NULL), 0);
    pool *p = pool_create(3);
    assert_non_null(p);
    float *small = mlp_arena_new_f32(&narrow), *big = mlp_arena_new_f32(&wide);
    float *fresh = mlp_arena_new_f32(&wide), *x = malloc(N * D0 * sizeof *x);
    assert_non_null(small);
    assert_non_null(big);
    assert_non_null(fresh);
    assert_non_null(x);
    mlp_init_params_f32(small, &narrow, MLP_INIT_UNIFORM, 3, 0);
    mlp_init_params_f32(big, &wide, MLP_INIT_UNIFORM, 3, 2);
    memcpy(fresh, big, mlp_n_params(&wide) * sizeof *fresh);
    for (size_t k = 0; k < N * D0; k++)
        x[k] = (float)(2 * rng_uniform(9, RNG_THEOREM, 0, k) - 1);
    err e;
    assert_int_equal(mlp_embed_f32(big, &wide, small, &narrow, &e), 0);
    mlp_ws_f32 ws_small, ws_big;
    assert_int_equal(mlp_ws_init_f32(&ws_small, &narrow, N, p, NULL), 0);
    assert_int_equal(mlp_ws_init_f32(&ws_big, &wide, N, p, NULL), 0);
    const float *a = mlp_forward_f32(&ws_small, small, x, N);
    const float *b = mlp_forward_f32(&ws_big, big, x, N);
    assert_memory_equal(a, b, N * 13 * sizeof *a);
    /* Layer 2: the old units' weights from the new units are zero; the new
     * units keep their own incoming weights and biases. */
    size_t w2 = mlp_weight_offset(&wide, 2), b2 = mlp_bias_offset(&wide, 2);
    for (size_t i = 0; i < 47; i++) {
        for (size_t j = 0; j < 47; j++) {
            float got = big[w2 + i * 47 + j];
            if (i >= 30)
                assert_true(got == fresh[w2 + i * 47 + j]);
            else if (j >= 30)
                assert_true(got == 0);
            else
                assert_true(got == small[mlp_weight_offset(&narrow, 2) + i * 30 + j]);
        }
        if (i >= 30)
            assert_true(big[b2 + i] == fresh[b2 + i]);
    }
    /* Not wider, or another depth: refused. */
    assert_int_equal(mlp_embed_f32(small, &narrow, big, &wide, &e), -1);
    tu_assert_contains(e.msg, "narrower layers");
    mlp_shape deep;
    assert_int_equal(mlp_shape_make(&deep, D0, 47, 3, 13, NULL), 0);
    assert_int_equal(mlp_embed_f32(big, &deep, small, &narrow, &e), -1);

    /* Double: the same. */
    double *ds = mlp_arena_new_f64(&narrow), *db = mlp_arena_new_f64(&wide);
    double *dx = malloc(N * D0 * sizeof *dx);
    assert_non_null(ds);
    assert_non_null(db);
    assert_non_null(dx);
    mlp_init_params_f64(ds, &narrow, MLP_INIT_NORMAL, 4, 0);
    mlp_init_params_f64(db, &wide, MLP_INIT_NORMAL, 4, 2);
    for (size_t k = 0; k < N * D0; k++)
        dx[k] = x[k];
    assert_int_equal(mlp_embed_f64(db, &wide, ds, &narrow, &e), 0);
    mlp_ws_f64 wd_small, wd_big;
    assert_int_equal(mlp_ws_init_f64(&wd_small, &narrow, N, p, NULL), 0);
    assert_int_equal(mlp_ws_init_f64(&wd_big, &wide, N, p, NULL), 0);
    const double *da = mlp_forward_f64(&wd_small, ds, dx, N);
    const double *dbb = mlp_forward_f64(&wd_big, db, dx, N);
    assert_memory_equal(da, dbb, N * 13 * sizeof *da);

    mlp_ws_free_f32(&ws_small);
    mlp_ws_free_f32(&ws_big);
    mlp_ws_free_f64(&wd_small);
    mlp_ws_free_f64(&wd_big);
    free(small);
    free(big);
    free(fresh);
    free(x);
    free(ds);
    free(db);
    free(dx);
    pool_free(p);
}

/* The forward pass against a plain loop over the same arena layout. */
static void forward_matches_plain_loop(void **state)
{
    (void)state;
    tiny t;
    tiny_make(&t, 5, NULL, WIDTH, HIDDEN);
    const double *z = mlp_forward_f64(&t.ws, t.params, t.x, B);
    for (size_t r = 0; r < B; r++) {
        double a[16], next[16];
        for (size_t i = 0; i < IN; i++)
            a[i] = t.x[r * IN + i];
        for (size_t l = 1; l <= t.s.n_layers; l++) {
            size_t n_in = t.s.dims[l - 1], n_out = t.s.dims[l];
            const double *w = t.params + mlp_weight_offset(&t.s, l);
            const double *b = t.params + mlp_bias_offset(&t.s, l);
            for (size_t o = 0; o < n_out; o++) {
                double sum = b[o];
                for (size_t i = 0; i < n_in; i++)
                    sum += w[o * n_in + i] * a[i];
                next[o] = (l < t.s.n_layers && sum < 0) ? 0 : sum;
            }
            memcpy(a, next, n_out * sizeof *a);
        }
        for (size_t o = 0; o < OUT; o++)
            tu_assert_close(z[r * OUT + o], a[o], 1e-12, 1); /* logits are O(1) */
    }
    /* A row's logits do not depend on the other rows of the batch. */
    double first[OUT];
    memcpy(first, z + 2 * OUT, sizeof first);
    const double *z1 = mlp_forward_f64(&t.ws, t.params, t.x + 2 * IN, 1);
    for (size_t o = 0; o < OUT; o++)
        tu_assert_close(z1[o], first[o], 1e-12, 1);
    tiny_free(&t);
}

/* Float backward vs double backward on the same (float-representable)
 * network: the float build is the double one, rounded. */
static void float_backward_matches_double(void **state)
{
    (void)state;
    mlp_shape s;
    assert_int_equal(mlp_shape_make(&s, 64, 32, 2, 13, NULL), 0);
    const size_t batch = 16, n_out = 13, P = mlp_n_params(&s);
    float *pf = mlp_arena_new_f32(&s), *gf = mlp_arena_new_f32(&s);
    double *pd = mlp_arena_new_f64(&s), *gd = mlp_arena_new_f64(&s);
    float *xf = malloc(batch * 64 * sizeof *xf);
    double *xd = malloc(batch * 64 * sizeof *xd);
    float tf[16 * 13], df[16 * 13];
    double td[16 * 13], dd[16 * 13];
    assert_non_null(pf);
    assert_non_null(gf);
    assert_non_null(pd);
    assert_non_null(gd);
    assert_non_null(xf);
    assert_non_null(xd);
    mlp_init_params_f32(pf, &s, MLP_INIT_NORMAL, 1, 0);
    for (size_t k = 0; k < P; k++)
        pd[k] = pf[k];
    for (size_t k = 0; k < batch * 64; k++)
        xd[k] = xf[k] = rng_sym_f32((uint32_t)(k * 2654435761u));
    for (size_t k = 0; k < batch * n_out; k++)
        td[k] = tf[k] = (float)rng_normal(1, RNG_THEOREM, 3, k);

    mlp_ws_f32 wf;
    mlp_ws_f64 wd;
    assert_int_equal(mlp_ws_init_f32(&wf, &s, batch, NULL, NULL), 0);
    assert_int_equal(mlp_ws_init_f64(&wd, &s, batch, NULL, NULL), 0);
    const float *zf = mlp_forward_f32(&wf, pf, xf, batch);
    const double *zd = mlp_forward_f64(&wd, pd, xd, batch);
    double zmax = 0;
    for (size_t k = 0; k < batch * n_out; k++)
        zmax = fmax(zmax, fabs(zd[k]));
    for (size_t k = 0; k < batch * n_out; k++)
        tu_assert_close(zf[k], zd[k], 1e-4, zmax);
    double lf = loss_kl_f32(NULL, NULL, df, zf, tf, batch, n_out, (loss_outputs){10, 13});
    double ld = loss_kl_f64(NULL, NULL, dd, zd, td, batch, n_out, (loss_outputs){10, 13});
    tu_assert_close(lf, ld, 1e-4, 1e-6);
    mlp_backward_f32(&wf, pf, gf, xf, df, batch);
    mlp_backward_f64(&wd, pd, gd, xd, dd, batch);
    double gmax = 0;
    for (size_t k = 0; k < P; k++)
        gmax = fmax(gmax, fabs(gd[k]));
    assert_true(gmax > 1e-3);
    size_t differ = 0;
    for (size_t k = 0; k < P; k++) {
        if (!(fabs(gf[k] - gd[k]) <= 1e-4 * fabs(gd[k]) + 1e-5 * gmax))
            fail_msg("param %zu: float gradient %.9g, double %.17g", k, (double)gf[k], gd[k]);
        differ += (double)gf[k] != gd[k];
    }
    assert_true(differ > 0); /* really two precisions, not one */
    mlp_ws_free_f32(&wf);
    mlp_ws_free_f64(&wd);
    free(pf);
    free(gf);
    free(pd);
    free(gd);
    free(xf);
    free(xd);
}

/* The JVP against central differences of the logits along a direction. */
static void jvp_matches_finite_differences(void **state)
{
    (void)state;
    tiny t;
    tiny_make_smooth(&t, 300, NULL, WIDTH, HIDDEN);
    double *dir = mlp_arena_new_f64(&t.s), *q = mlp_arena_new_f64(&t.s);
    assert_non_null(dir);
    assert_non_null(q);
    for (size_t k = 0; k < t.P; k++)
        dir[k] = rng_normal(9, RNG_THEOREM, 4, k);
    double jvp[B * OUT], logits[B * OUT], up[B * OUT], down[B * OUT];
    memcpy(jvp, mlp_jvp_f64(&t.ws, t.params, dir, t.x, B), sizeof jvp);
    memcpy(logits, t.ws.act[t.s.n_layers], sizeof logits);
    const double *z = mlp_forward_f64(&t.ws, t.params, t.x, B);
    for (size_t k = 0; k < B * OUT; k++)
        assert_true(logits[k] == z[k]); /* the JVP leaves the logits too */

    const double h = 1e-6;
    for (size_t k = 0; k < t.P; k++)
        q[k] = t.params[k] + h * dir[k];
    assert_true(min_abs_preactivation(&t, q) > 0.005);
    memcpy(up, mlp_forward_f64(&t.ws, q, t.x, B), sizeof up);
    for (size_t k = 0; k < t.P; k++)
        q[k] = t.params[k] - h * dir[k];
    assert_true(min_abs_preactivation(&t, q) > 0.005);
    memcpy(down, mlp_forward_f64(&t.ws, q, t.x, B), sizeof down);
    double jmax = 0;
    for (size_t k = 0; k < B * OUT; k++)
        jmax = fmax(jmax, fabs(jvp[k]));
    assert_true(jmax > 0.1);
    for (size_t k = 0; k < B * OUT; k++) {
        double fd = (up[k] - down[k]) / (2 * h);
        if (!(fabs(fd - jvp[k]) <= 1e-6 * fabs(jvp[k]) + 1e-8 * jmax))
            fail_msg("logit %zu: jvp %.12g, finite difference %.12g", k, jvp[k], fd);
    }

    /* Linear in the direction: J (2 d) = 2 J d exactly, and J 0 = 0. */
    for (size_t k = 0; k < t.P; k++)
        q[k] = 2 * dir[k];
    const double *j2 = mlp_jvp_f64(&t.ws, t.params, q, t.x, B);
    for (size_t k = 0; k < B * OUT; k++)
        tu_assert_close(j2[k], 2 * jvp[k], 1e-12, jmax);
    memset(q, 0, t.P * sizeof *q);
    const double *j0 = mlp_jvp_f64(&t.ws, t.params, q, t.x, B);
    for (size_t k = 0; k < B * OUT; k++)
        assert_true(j0[k] == 0.0);

    /* Inner-product identity: <J d, g_z> = <d, J^T g_z> = <d, backward(g_z)>. */
    double gz[B * OUT], lhs = 0, rhs = 0;
    for (size_t k = 0; k < B * OUT; k++)
        gz[k] = rng_normal(9, RNG_THEOREM, 5, k);
    const double *jd = mlp_jvp_f64(&t.ws, t.params, dir, t.x, B);
    for (size_t k = 0; k < B * OUT; k++)
        lhs += jd[k] * gz[k];
    mlp_backward_f64(&t.ws, t.params, q, t.x, gz, B);
    for (size_t k = 0; k < t.P; k++)
        rhs += dir[k] * q[k];
    tu_assert_close(lhs, rhs, 1e-10, 1e-6);

    free(dir);
    free(q);
    tiny_free(&t);
}

/* The whole pass on a pool of 1, 2 or 3 threads gives the same bits. */
static void thread_count_does_not_change_bits(void **state)
{
    (void)state;
    mlp_shape s;
    assert_int_equal(mlp_shape_make(&s, 100, 64, 2, 13, NULL), 0);
    const size_t batch = 37, P = mlp_n_params(&s);
    float *p = mlp_arena_new_f32(&s), *g[3];
    float *x = malloc(batch * 100 * sizeof *x), dl[37 * 13];
    assert_non_null(p);
    assert_non_null(x);
    mlp_init_params_f32(p, &s, MLP_INIT_NORMAL, 2, 0);
    for (size_t k = 0; k < batch * 100; k++)
        x[k] = rng_sym_f32((uint32_t)(k * 2246822519u));
    float logits[3][37 * 13];
    for (size_t n = 1; n <= 3; n++) {
        pool *pl = n == 1 ? NULL : pool_create(n);
        mlp_ws_f32 ws;
        assert_int_equal(mlp_ws_init_f32(&ws, &s, batch, pl, NULL), 0);
        g[n - 1] = mlp_arena_new_f32(&s);
        assert_non_null(g[n - 1]);
        memcpy(logits[n - 1], mlp_forward_f32(&ws, p, x, batch), sizeof logits[0]);
        for (size_t k = 0; k < batch * 13; k++)
            dl[k] = (float)((double)logits[n - 1][k] / (double)batch);
        mlp_backward_f32(&ws, p, g[n - 1], x, dl, batch);
        mlp_ws_free_f32(&ws);
        pool_free(pl);
    }
    for (size_t n = 1; n < 3; n++) {
        assert_memory_equal(logits[0], logits[n], sizeof logits[0]);
        assert_memory_equal(g[0], g[n], P * sizeof(float));
    }
    for (size_t n = 0; n < 3; n++)
        free(g[n]);
    free(p);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_layout),
        cmocka_unit_test(init_normal),
        cmocka_unit_test(init_uniform),
        cmocka_unit_test(init_f32_is_rounded_f64_and_ids_differ),
        cmocka_unit_test(forward_matches_plain_loop),
        cmocka_unit_test(gradient_ce),
        cmocka_unit_test(gradient_kl),
        cmocka_unit_test(gradient_mse),
        cmocka_unit_test(gradient_kl_threaded),
        cmocka_unit_test(gradient_other_shapes),
        cmocka_unit_test(embed_computes_the_same_function),
        cmocka_unit_test(float_backward_matches_double),
        cmocka_unit_test(jvp_matches_finite_differences),
        cmocka_unit_test(thread_count_does_not_change_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
