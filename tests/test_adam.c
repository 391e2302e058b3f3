/* Tests of Adam: steps worked out by hand with PyTorch's formula, many steps
 * against a double implementation, reset, independence of the thread count,
 * and the defaults config.txt records. */
#include "testutil.h"

#include <math.h>
#include "base/pool.h"
#include "base/rng.h"
#include "nn/adam.h"

/* PyTorch's defaults with a large lr, so that a step is easy to see. */
static adam_config CFG;

static int setup_cfg(void **state)
{
    (void)state;
    CFG = adam_defaults(0.1);
    return 0;
}

/* Adam's float moments round (1 - beta) differently from PyTorch's float
 * tensors (1e-5 relative): compare to within 1e-4 of a step. */
#define assert_step_close(p, want) tu_assert_close((p) - 1, (want) - 1, 1e-4, CFG.lr)

/* Two steps of Adam on five numbers, against PyTorch's formula worked out
 * by hand (including g = 0 and g far below eps). */
static void adam_two_steps_by_hand(void **state)
{
    (void)state;
    adam a;
    err e;
    assert_int_equal(adam_init(&a, 5, CFG, &e), 0);
    float p[5] = {1, 1, 1, 1, 1};
    /* g = 1e-8: mhat = g, vhat = g^2, so the step is lr g / (|g| + eps) =
     * lr / 2.  It tells PyTorch's eps (after the bias correction) from
     * the paper's "eps hat" form. */
    const float g1[5] = {0.5f, -2.0f, 1e-3f, 0, 1e-8f};
    const float g2[5] = {-0.5f, 1.0f, 1e-3f, 0, 1e-8f};
    adam_step(&a, NULL, p, g1);
    assert_int_equal(a.step, 1);
    /* The first step moves every parameter by about lr * sign(g). */
    assert_step_close(p[0], 0.900000002);
    assert_step_close(p[1], 1.0999999995);
    assert_step_close(p[2], 0.90000099999);
    assert_true(p[3] == 1.0f); /* g = 0: m = 0, no move */
    assert_step_close(p[4], 1 - 0.1 / 2);
    tu_assert_close(a.m[0], 0.05, 1e-5, 1e-3);
    tu_assert_close(a.v[0], 0.00025, 1e-4, 1e-6);

    adam_step(&a, NULL, p, g2);
    assert_int_equal(a.step, 2);
    /* m2 = 0.9 * 0.05 - 0.05 = -0.005, v2 = 0.00049975, bc1 = 0.19,
     * bc2 = 0.001999 (v2 / bc2 = 1/4 exactly): p += 0.1 / 0.19 * 0.005 / 0.5. */
    assert_step_close(p[0], 0.9052631597894736);
    assert_step_close(p[1], 1.1266337032975684);
    assert_step_close(p[2], 0.8000019999800009);
    assert_true(p[3] == 1.0f);
    assert_step_close(p[4], 1 - 0.1);
    adam_free(&a);
}

/* Many steps of Adam against a direct double implementation of PyTorch's
 * formula, over more numbers than one work chunk. */
static void adam_many_steps_match_formula(void **state)
{
    (void)state;
    const size_t n = 40000, steps = 5;
    const adam_config cfg = {3e-3, 0.8, 0.99, 1e-6};
    adam a;
    assert_int_equal(adam_init(&a, n, cfg, NULL), 0);
    float *p = malloc(n * sizeof *p), *g = malloc(n * sizeof *g);
    double *pd = malloc(n * sizeof *pd), *md = calloc(n, sizeof *md), *vd = calloc(n, sizeof *vd);
    assert_non_null(p);
    assert_non_null(g);
    assert_non_null(pd);
    assert_non_null(md);
    assert_non_null(vd);
    for (size_t k = 0; k < n; k++)
        pd[k] = p[k] = (float)rng_normal(3, RNG_THEOREM, 0, k);
    for (size_t t = 1; t <= steps; t++) {
        for (size_t k = 0; k < n; k++)
            g[k] = (float)rng_normal(3, RNG_THEOREM, (uint32_t)t, k);
        adam_step(&a, NULL, p, g);
        double bc1 = 1 - pow(cfg.beta1, (double)t), bc2 = 1 - pow(cfg.beta2, (double)t);
        for (size_t k = 0; k < n; k++) {
            md[k] = cfg.beta1 * md[k] + (1 - cfg.beta1) * g[k];
            vd[k] = cfg.beta2 * vd[k] + (1 - cfg.beta2) * (double)g[k] * g[k];
            pd[k] -= cfg.lr / bc1 * md[k] / (sqrt(vd[k]) / sqrt(bc2) + cfg.eps);
        }
    }
    double moved = 0;
    for (size_t k = 0; k < n; k++) {
        /* float rounding of p (1e-7 |p|) plus a little of each step */
        if (!(fabs(p[k] - pd[k]) <= 1e-6 * fabs(pd[k]) + 1e-4 * cfg.lr))
            fail_msg("param %zu: adam %.9g, formula %.12g", k, (double)p[k], pd[k]);
        moved += fabs(pd[k] - rng_normal(3, RNG_THEOREM, 0, k));
    }
    assert_true(moved / (double)n > 0.5 * cfg.lr); /* the steps did something */
    adam_free(&a);
    free(p);
    free(g);
    free(pd);
    free(md);
    free(vd);
}

/* After adam_reset the optimizer steps exactly as a new one would: a
 * teacher's moments must not leak into the students' training. */
static void adam_reset_is_a_fresh_optimizer(void **state)
{
    (void)state;
    const size_t n = 1000;
    adam a, fresh;
    assert_int_equal(adam_init(&a, n, CFG, NULL), 0);
    assert_int_equal(adam_init(&fresh, n, CFG, NULL), 0);
    float *p = malloc(n * sizeof *p), *q = malloc(n * sizeof *q), *g = malloc(n * sizeof *g);
    assert_non_null(p);
    assert_non_null(q);
    assert_non_null(g);
    for (size_t k = 0; k < n; k++) {
        p[k] = 0;
        g[k] = (float)rng_normal(4, RNG_THEOREM, 0, k);
    }
    for (int t = 0; t < 3; t++)
        adam_step(&a, NULL, p, g);
    adam_reset(&a);
    assert_int_equal(a.step, 0);
    for (size_t k = 0; k < n; k++)
        assert_true(a.m[k] == 0 && a.v[k] == 0);
    memcpy(q, p, n * sizeof *p);
    adam_step(&a, NULL, p, g);
    adam_step(&fresh, NULL, q, g);
    assert_memory_equal(p, q, n * sizeof *p);
    assert_memory_equal(a.m, fresh.m, n * sizeof *a.m);
    assert_memory_equal(a.v, fresh.v, n * sizeof *a.v);
    adam_free(&a);
    adam_free(&fresh);
    free(p);
    free(q);
    free(g);
}

/* The update on pools of 1, 2 and 3 threads gives the same bits (each
 * thread owns a chunk of the arena), up to the ragged last number. */
static void adam_bits_independent_of_threads(void **state)
{
    (void)state;
    const size_t n = 50001; /* several chunks and a ragged end */
    float *p[3], *g = malloc(n * sizeof *g);
    adam a[3];
    assert_non_null(g);
    pool *pools[3] = {NULL, pool_create(2), pool_create(3)};
    assert_non_null(pools[1]);
    assert_non_null(pools[2]);
    for (int c = 0; c < 3; c++) {
        p[c] = malloc(n * sizeof *p[c]);
        assert_non_null(p[c]);
        for (size_t k = 0; k < n; k++)
            p[c][k] = (float)rng_normal(5, RNG_THEOREM, 0, k);
        assert_int_equal(adam_init(&a[c], n, CFG, NULL), 0);
    }
    for (uint32_t t = 1; t <= 3; t++) {
        for (size_t k = 0; k < n; k++)
            g[k] = (float)rng_normal(5, RNG_THEOREM, t, k);
        for (int c = 0; c < 3; c++)
            adam_step(&a[c], pools[c], p[c], g);
    }
    for (int c = 1; c < 3; c++) {
        assert_memory_equal(p[0], p[c], n * sizeof(float));
        assert_memory_equal(a[0].m, a[c].m, n * sizeof(float));
        assert_memory_equal(a[0].v, a[c].v, n * sizeof(float));
    }
    /* ... and every number was updated, up to the last one. */
    assert_true(p[0][n - 1] != (float)rng_normal(5, RNG_THEOREM, 0, n - 1));
    assert_true(a[0].v[n - 1] > 0);
    for (int c = 0; c < 3; c++) {
        adam_free(&a[c]);
        free(p[c]);
        pool_free(pools[c]);
    }
    free(g);
}


/* config.txt records the optimizer as ADAM_DESCRIPTION: it must read
 * exactly as documented, and its numbers must be the ones adam_defaults
 * uses, or a folder would record an optimizer that never ran. */
static void adam_description_matches_constants(void **state)
{
    (void)state;
    assert_string_equal(ADAM_DESCRIPTION, "adam(beta1=0.9, beta2=0.999, eps=1e-8)");
    double b1, b2, eps;
    char end;
    assert_int_equal(sscanf(ADAM_DESCRIPTION, "adam(beta1=%lf, beta2=%lf, eps=%lf%c", &b1, &b2,
                            &eps, &end),
                     4);
    assert_int_equal(end, ')');
    assert_true(b1 == ADAM_BETA1);
    assert_true(b2 == ADAM_BETA2);
    assert_true(eps == ADAM_EPS);

    adam_config c = adam_defaults(3e-4);
    assert_true(c.lr == 3e-4);
    assert_true(c.beta1 == b1);
    assert_true(c.beta2 == b2);
    assert_true(c.eps == eps);
}

/* adam_init sizes the moments for the arena and starts them at zero. */
static void adam_init_starts_at_zero(void **state)
{
    (void)state;
    adam a;
    err e = {{0}};
    assert_int_equal(adam_init(&a, 777, CFG, &e), 0);
    assert_int_equal(a.n, 777);
    assert_int_equal(a.step, 0);
    assert_true(a.cfg.lr == CFG.lr && a.cfg.eps == CFG.eps);
    for (size_t k = 0; k < a.n; k++)
        assert_true(a.m[k] == 0 && a.v[k] == 0);
    adam_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(adam_two_steps_by_hand),
        cmocka_unit_test(adam_many_steps_match_formula),
        cmocka_unit_test(adam_reset_is_a_fresh_optimizer),
        cmocka_unit_test(adam_bits_independent_of_threads),
        cmocka_unit_test(adam_description_matches_constants),
        cmocka_unit_test(adam_init_starts_at_zero),
    };
    return cmocka_run_group_tests(tests, setup_cfg, NULL);
}
