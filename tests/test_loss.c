/* Tests of the losses: values and gradients worked out by hand, stability
 * at extreme logits, and the same bits on any number of threads. */
#include "testutil.h"

#include <math.h>
#include "base/pool.h"
#include "base/rng.h"
#include "nn/loss.h"

/* ---- softmax ---- */

/* log-softmax at logits of +-1000 (double and float): finite, normalised,
 * and equal to the closed form; a naive exp would overflow. */
static void log_softmax_is_stable(void **state)
{
    (void)state;
    const double z[4] = {1000, 0, -1000, 999};
    double out[4];
    loss_log_softmax_f64(out, z, 4);
    double sum = 0;
    for (int j = 0; j < 4; j++) {
        assert_true(isfinite(out[j]));
        assert_true(out[j] <= 0);
        sum += exp(out[j]);
    }
    tu_assert_close(sum, 1.0, 1e-12, 1); /* z - lse at |z| = 1000: 1e-13 */
    /* log(1 + e^-1) is the normaliser of the top two. */
    tu_assert_close(out[0], -log1p(exp(-1.0)), 1e-12, 1);
    tu_assert_close(out[3], -1 - log1p(exp(-1.0)), 1e-12, 1);
    tu_assert_close(out[1], -1000 - log1p(exp(-1.0)), 1e-12, 1);

    const float zf[3] = {-1000.0f, -1000.0f, -1000.0f};
    float of[3];
    loss_log_softmax_f32(of, zf, 3);
    for (int j = 0; j < 3; j++)
        tu_assert_close(of[j], -log(3.0), 1e-6, 1);
    const float big[2] = {1000.0f, 1000.0f};
    loss_log_softmax_f32(of, big, 2);
    tu_assert_close(of[0], -log(2.0), 1e-6, 1);
    tu_assert_close(of[1], -log(2.0), 1e-6, 1);
}

/* ---- cross-entropy ---- */

/* Cross-entropy over the class logits only: loss and gradient by hand. */
static void ce_hand_values(void **state)
{
    (void)state;
    /* n_out 4 = 3 classes + 1 auxiliary logit, which CE must ignore (even
     * when it is the largest by far). */
    const double z[2 * 4] = {1, 2, 3, 500, 0, 0, 0, -7};
    const uint8_t labels[2] = {2, 0};
    double d[8];
    memset(d, 0xff, sizeof d); /* NaN: every entry must be written */
    double loss = loss_ce_f64(NULL, NULL, d, z, labels, 2, 4, 3);
    /* row 0: log(e + e^2 + e^3) - 3; row 1: log 3. */
    tu_assert_close(loss, (0.40760596444438013 + 1.0986122886681098) / 2, 1e-14, 1);
    const double p0[3] = {0.09003057317038046, 0.24472847105479767, 0.6652409557748219};
    tu_assert_close(d[0], p0[0] / 2, 1e-13, 1e-3);
    tu_assert_close(d[1], p0[1] / 2, 1e-13, 1e-3);
    tu_assert_close(d[2], (p0[2] - 1) / 2, 1e-13, 1e-3);
    assert_true(d[3] == 0.0);
    tu_assert_close(d[4], (1.0 / 3 - 1) / 2, 1e-13, 1e-3);
    tu_assert_close(d[5], 1.0 / 6, 1e-13, 1e-3);
    tu_assert_close(d[6], 1.0 / 6, 1e-13, 1e-3);
    assert_true(d[7] == 0.0);

    /* The float build: same numbers to float precision. */
    const float zf[8] = {1, 2, 3, 500, 0, 0, 0, -7};
    float df[8];
    double lf = loss_ce_f32(NULL, NULL, df, zf, labels, 2, 4, 3);
    tu_assert_close(lf, loss, 1e-6, 1);
    for (int j = 0; j < 8; j++)
        tu_assert_close(df[j], d[j], 1e-6, 1e-3);
}

/* Cross-entropy at logits of +-1000: the exact loss, a finite gradient. */
static void ce_is_stable(void **state)
{
    (void)state;
    const double z[3] = {1000, -1000, 0};
    const uint8_t wrong = 1, right = 0;
    double d[3];
    double loss = loss_ce_f64(NULL, NULL, d, z, &wrong, 1, 3, 3);
    tu_assert_close(loss, 2000.0, 1e-12, 1);
    tu_assert_close(d[0], 1.0, 1e-12, 1);
    tu_assert_close(d[1], -1.0, 1e-12, 1);
    assert_true(fabs(d[2]) < 1e-300);
    loss = loss_ce_f64(NULL, NULL, d, z, &right, 1, 3, 3);
    assert_true(loss >= 0 && loss < 1e-300);
    const float zf[3] = {1000, -1000, 0};
    float df[3];
    double lf = loss_ce_f32(NULL, NULL, df, zf, &wrong, 1, 3, 3);
    tu_assert_close(lf, 2000.0, 1e-6, 1);
    for (int j = 0; j < 3; j++)
        assert_true(isfinite(df[j]));
}

/* ---- imitation losses ---- */

/* KL(teacher || student) over a block of outputs: loss and gradient by
 * hand; outputs outside the block get exactly zero gradient. */
static void kl_hand_values(void **state)
{
    (void)state;
    /* Outputs [2, 4) of 5: teacher {0, ln 3} -> p_T = {1/4, 3/4}; student
     * {0, 0} -> p_S = {1/2, 1/2}.  KL = 1/4 ln(1/2) + 3/4 ln(3/2).
     * The unselected logits are wild and must not matter. */
    const double s[2 * 5] = {900, -900, 0, 0, 55, 3, 1, 0, 0, -4};
    const double t[2 * 5] = {-900, 900, 0, log(3.0), -55, 8, 8, 0, log(3.0), 8};
    double d[10];
    memset(d, 0xff, sizeof d);
    double loss = loss_kl_f64(NULL, NULL, d, s, t, 2, 5, (loss_outputs){2, 4});
    tu_assert_close(loss, 0.13081203594113697, 1e-14, 1);
    const double want[10] = {0, 0, 0.125, -0.125, 0, 0, 0, 0.125, -0.125, 0};
    for (int j = 0; j < 10; j++)
        tu_assert_close(d[j], want[j], 1e-14, 1e-3);
    for (int j = 0; j < 10; j++)
        if (want[j] == 0)
            assert_true(d[j] == 0.0);

    /* KL is not symmetric: swapping gives KL(p_S || p_T), another number. */
    double swapped = loss_kl_f64(NULL, NULL, d, t, s, 2, 5, (loss_outputs){2, 4});
    tu_assert_close(swapped, 0.5 * log(0.5 / 0.25) + 0.5 * log(0.5 / 0.75), 1e-14, 1);

    float sf[10], tf[10], df[10];
    for (int j = 0; j < 10; j++) {
        sf[j] = (float)s[j];
        tf[j] = (float)t[j];
    }
    tu_assert_close(loss_kl_f32(NULL, NULL, df, sf, tf, 2, 5, (loss_outputs){2, 4}),
                    0.13081203594113697, 1e-6, 1);
    tu_assert_close(df[2], 0.125, 1e-6, 1);
}

/* A student equal to its teacher has KL 0 and gradient 0; one that differs
 * has KL > 0 and a gradient whose rows sum to 0. */
static void kl_of_identical_logits_is_zero(void **state)
{
    (void)state;
    double z[3 * 13], d[3 * 13];
    for (int k = 0; k < 3 * 13; k++)
        z[k] = 5 * rng_normal(1, RNG_THEOREM, 0, (uint64_t)k);
    z[5] = 1000; /* extremes too */
    z[20] = -1000;
    double loss = loss_kl_f64(NULL, NULL, d, z, z, 3, 13, (loss_outputs){0, 13});
    assert_true(fabs(loss) < 1e-15);
    for (int k = 0; k < 3 * 13; k++)
        assert_true(d[k] == 0.0);

    /* And positive, finite, with a finite gradient, when they differ. */
    double t[3 * 13];
    for (int k = 0; k < 3 * 13; k++)
        t[k] = z[k] + rng_normal(1, RNG_THEOREM, 1, (uint64_t)k);
    t[7] = -1000;
    loss = loss_kl_f64(NULL, NULL, d, z, t, 3, 13, (loss_outputs){0, 13});
    assert_true(isfinite(loss) && loss > 0);
    for (int r = 0; r < 3; r++) {
        double row = 0;
        for (int j = 0; j < 13; j++) {
            assert_true(isfinite(d[r * 13 + j]));
            row += d[r * 13 + j];
        }
        assert_true(fabs(row) < 1e-15); /* p_S - p_T sums to zero */
    }
}

/* Mean squared error over a block of outputs: loss and gradient by hand. */
static void mse_hand_values(void **state)
{
    (void)state;
    const double s[2 * 3] = {1, 2, 100, -1, 0, 7};
    const double t[2 * 3] = {0, 4, -100, 2, 0, 7};
    double d[6];
    memset(d, 0xff, sizeof d);
    /* Outputs [0, 2): row 0: (1 + 4) / 2, row 1: 9 / 2; mean over 2 rows. */
    double loss = loss_mse_f64(NULL, NULL, d, s, t, 2, 3, (loss_outputs){0, 2});
    tu_assert_close(loss, (2.5 + 4.5) / 2, 1e-15, 1);
    const double want[6] = {0.5, -1, 0, -1.5, 0, 0};
    for (int j = 0; j < 6; j++)
        assert_true(d[j] == want[j]);
}

/* Accuracy counts the first maximum among the class logits (ties, an
 * auxiliary logit larger than every class, negative logits). */
static void correct_counts_first_max(void **state)
{
    (void)state;
    /* 3 classes + 1 auxiliary output that argmax must ignore. */
    const double z[4 * 4] = {
        1, 3, 3, 0,      /* tie: the first maximum (1) wins */
        1, 3, 3, 0,
        0, 1, 0.5, 99,   /* aux is largest but not a class: 1 */
        -5, -6, -7, 0,   /* all negative: 0 */
    };
    const uint8_t labels[4] = {1, 2, 1, 0};
    assert_int_equal(loss_correct_f64(z, labels, 4, 4, 3), 3);
    const uint8_t all_wrong[4] = {2, 2, 2, 1};
    assert_int_equal(loss_correct_f64(z, all_wrong, 4, 4, 3), 0);
    float zf[16];
    for (int k = 0; k < 16; k++)
        zf[k] = (float)z[k];
    assert_int_equal(loss_correct_f32(zf, labels, 4, 4, 3), 3);
    /* With the aux output counted as a class, rows 2 and 3 argmax to 3. */
    const uint8_t four[4] = {1, 1, 3, 3};
    assert_int_equal(loss_correct_f64(z, four, 4, 4, 4), 4);
}

/* The three losses on pools of 1, 2 and 3 threads (rows in parallel, terms
 * summed in row order) and without a pool: the same loss and gradient,
 * bit for bit.  300 rows: several tasks and a ragged last one. */
static void losses_bits_independent_of_threads(void **state)
{
    (void)state;
    enum { ROWS = 300, OUT = 13, CLASSES = 10 };
    float *z = malloc(ROWS * OUT * sizeof *z), *t = malloc(ROWS * OUT * sizeof *t);
    float *d[4];
    double *terms = malloc(ROWS * OUT * sizeof *terms);
    uint8_t labels[ROWS];
    assert_non_null(z);
    assert_non_null(t);
    assert_non_null(terms);
    for (size_t k = 0; k < ROWS * OUT; k++) {
        z[k] = (float)(3 * rng_normal(6, RNG_THEOREM, 0, k));
        t[k] = (float)(3 * rng_normal(6, RNG_THEOREM, 1, k));
    }
    for (size_t r = 0; r < ROWS; r++)
        labels[r] = (uint8_t)(r * 7 % CLASSES);
    pool *pools[4] = {NULL, pool_create(1), pool_create(2), pool_create(3)};
    for (int c = 0; c < 4; c++) {
        d[c] = malloc(ROWS * OUT * sizeof *d[c]);
        assert_non_null(d[c]);
    }
    for (int kind = 0; kind < 3; kind++) {
        double loss[4];
        for (int c = 0; c < 4; c++) {
            double *scratch = c ? terms : NULL;
            loss_outputs aux = {CLASSES, OUT};
            loss[c] = kind == 0   ? loss_ce_f32(pools[c], scratch, d[c], z, labels, ROWS, OUT,
                                                CLASSES)
                      : kind == 1 ? loss_kl_f32(pools[c], scratch, d[c], z, t, ROWS, OUT, aux)
                                  : loss_mse_f32(pools[c], scratch, d[c], z, t, ROWS, OUT, aux);
        }
        assert_true(loss[0] > 0);
        for (int c = 1; c < 4; c++) {
            assert_true(loss[c] == loss[0]);
            assert_memory_equal(d[c], d[0], ROWS * OUT * sizeof(float));
        }
    }
    for (int c = 0; c < 4; c++) {
        pool_free(pools[c]);
        free(d[c]);
    }
    free(z);
    free(t);
    free(terms);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(log_softmax_is_stable),
        cmocka_unit_test(ce_hand_values),
        cmocka_unit_test(ce_is_stable),
        cmocka_unit_test(kl_hand_values),
        cmocka_unit_test(kl_of_identical_logits_is_zero),
        cmocka_unit_test(mse_hand_values),
        cmocka_unit_test(correct_counts_first_max),
        cmocka_unit_test(losses_bits_independent_of_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
