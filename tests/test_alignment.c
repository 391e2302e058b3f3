/* Tests of nn/alignment.c: the cosines per layer and over the whole arena
 * equal an independent long-double computation on a tiny network whose
 * layers are cut out by hand; a cosine with a zero vector is NaN, never 0;
 * and a tracker's points (step 0 undefined, then the displacement and the
 * mean of the step cosines) equal the same computation over a made-up
 * training path. */
#include "testutil.h"
#include <math.h>

#include "base/rng.h"
#include "nn/alignment.h"

/* 3 -> 4 -> 2: W1 [4][3] (12), b1 (4), W2 [2][4] (8), b2 (2); 26 numbers. */
#define TINY_N 26
static const size_t LAYER_BEGIN[] = {0, 16, 26}; /* layer l: [LAYER_BEGIN[l-1], LAYER_BEGIN[l]) */

static mlp_shape tiny(void)
{
    mlp_shape s;
    assert_int_equal(mlp_shape_make(&s, 3, 4, 1, 2, NULL), 0);
    assert_int_equal(mlp_n_params(&s), TINY_N);
    return s;
}

/* cos(a1 - a0, b1 - b0) over [begin, end), in long double. */
static double reference_cos(const float *a1, const float *a0, const float *b1, const float *b0,
                            size_t begin, size_t end)
{
    long double dot = 0, aa = 0, bb = 0;
    for (size_t k = begin; k < end; k++) {
        long double a = (long double)a1[k] - (long double)a0[k];
        long double b = (long double)b1[k] - (long double)b0[k];
        dot += a * b;
        aa += a * a;
        bb += b * b;
    }
    return (double)(dot / sqrtl(aa * bb));
}

/* n numbers of N(0, scale²)-ish spread, from seed. */
static void fill(float *x, size_t n, uint64_t seed, float scale)
{
    for (size_t k = 0; k < n; k++)
        x[k] = scale * (float)(rng_uniform(seed, 0, 0, k) - 0.5);
}

static void check_parts(const align_sums *s, const float *a1, const float *a0, const float *b1,
                        const float *b0)
{
    assert_true(tu_reldiff(align_cos(s[0]), reference_cos(a1, a0, b1, b0, 0, TINY_N), 0) < 1e-12);
    for (size_t l = 1; l <= 2; l++)
        assert_true(tu_reldiff(align_cos(s[l]),
                               reference_cos(a1, a0, b1, b0, LAYER_BEGIN[l - 1], LAYER_BEGIN[l]),
                               0) < 1e-12);
}

static void cosines_equal_a_long_double_computation(void **state)
{
    (void)state;
    mlp_shape s = tiny();
    float a1[TINY_N], a0[TINY_N], b1[TINY_N], b0[TINY_N];
    fill(a1, TINY_N, 1, 2), fill(a0, TINY_N, 2, 2), fill(b1, TINY_N, 3, 2), fill(b0, TINY_N, 4, 2);
    align_sums parts[ALIGN_MAX_PARTS];
    align_sums_f32(&s, a1, a0, b1, b0, parts);
    check_parts(parts, a1, a0, b1, b0);
    /* The double version agrees. */
    double d1[TINY_N], d2[TINY_N], dzero[TINY_N] = {0};
    float zero[TINY_N] = {0};
    for (size_t k = 0; k < TINY_N; k++)
        d1[k] = a1[k], d2[k] = b1[k];
    align_sums dparts[ALIGN_MAX_PARTS];
    align_sums_f64(&s, d1, dzero, d2, dzero, dparts);
    align_sums_f32(&s, a1, zero, b1, zero, parts);
    for (size_t p = 0; p < 3; p++)
        assert_true(tu_reldiff(align_cos(dparts[p]), align_cos(parts[p]), 0) < 1e-15);
    check_parts(dparts, a1, zero, b1, zero);
    /* The same vector: cosine 1; its negative: -1. */
    align_sums_f32(&s, a1, a0, a1, a0, parts);
    assert_true(fabs(align_cos(parts[0]) - 1) < 1e-15);
    align_sums_f32(&s, a0, a1, a1, a0, parts);
    assert_true(fabs(align_cos(parts[2]) + 1) < 1e-15);
}

static void a_cosine_with_nothing_is_undefined(void **state)
{
    (void)state;
    mlp_shape s = tiny();
    float a[TINY_N], b[TINY_N];
    fill(a, TINY_N, 5, 1), fill(b, TINY_N, 6, 1);
    align_sums parts[ALIGN_MAX_PARTS];
    float zero[TINY_N] = {0};
    align_sums_f32(&s, a, a, b, zero, parts); /* a - a = 0 */
    for (size_t p = 0; p < 3; p++)
        assert_true(isnan(align_cos(parts[p])));
    /* Only layer 2 moved: layer 1 undefined, the whole arena is layer 2's. */
    float moved[TINY_N];
    memcpy(moved, a, sizeof moved);
    moved[20] += 0.5f;
    align_sums_f32(&s, moved, a, b, zero, parts);
    assert_true(isnan(align_cos(parts[1])));
    assert_false(isnan(align_cos(parts[2])));
    assert_true(align_cos(parts[0]) == align_cos((align_sums){parts[2].dot, parts[2].aa,
                                                              parts[0].bb}));
}

/* A made-up path of 7 steps, the third of which moves nothing. */
static void tracker_points_equal_the_reference(void **state)
{
    (void)state;
    mlp_shape s = tiny();
    float teacher[TINY_N], init[TINY_N], path[8][TINY_N];
    fill(init, TINY_N, 7, 2), fill(teacher, TINY_N, 8, 2), fill(path[0], TINY_N, 9, 2);
    for (size_t t = 1; t < 8; t++) {
        float step[TINY_N];
        fill(step, TINY_N, 100 + t, 0.1f);
        for (size_t k = 0; k < TINY_N; k++)
            path[t][k] = path[t - 1][k] + (t == 3 ? 0 : step[k]);
    }
    align_tracker tr;
    assert_int_equal(align_tracker_init(&tr, &s, NULL), 0);
    double move[TINY_N];
    align_move(move, teacher, init, TINY_N);
    align_tracker_start(&tr, path[0], move);
    align_point pt;
    align_tracker_point(&tr, path[0], &pt);
    assert_int_equal(pt.step, 0);
    for (size_t p = 0; p < 3; p++) { /* step 0: nothing moved, nothing to average */
        assert_true(isnan(pt.displacement[p]));
        assert_true(isnan(pt.update[p]));
        assert_int_equal(pt.update_steps[p], 0);
    }
    /* Points after steps 4 and 7: intervals (0, 4] and (4, 7]. */
    size_t at[2] = {4, 7}, from = 1;
    for (size_t i = 0; i < 2; i++) {
        for (size_t t = from; t <= at[i]; t++)
            align_tracker_step(&tr, path[t]);
        align_tracker_point(&tr, path[at[i]], &pt);
        assert_int_equal(pt.step, at[i]);
        for (size_t p = 0; p < 3; p++) {
            size_t b = p ? LAYER_BEGIN[p - 1] : 0, e = p ? LAYER_BEGIN[p] : TINY_N;
            double mean = 0;
            size_t n = 0;
            for (size_t t = from; t <= at[i]; t++)
                if (t != 3) {
                    mean += reference_cos(path[t], path[t - 1], teacher, init, b, e);
                    n++;
                }
            assert_int_equal(pt.update_steps[p], n);
            assert_true(tu_reldiff(pt.update[p], mean / (double)n, 0) < 1e-12);
            assert_true(tu_reldiff(pt.displacement[p],
                                   reference_cos(path[at[i]], path[0], teacher, init, b, e), 0) <
                        1e-12);
        }
        from = at[i] + 1;
    }
    align_tracker_free(&tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cosines_equal_a_long_double_computation),
        cmocka_unit_test(a_cosine_with_nothing_is_undefined),
        cmocka_unit_test(tracker_points_equal_the_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
