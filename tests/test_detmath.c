/* Tests of detmath: the error of exp, log and cos(2πu) in ulps over
 * millions of arguments across their whole ranges, against libm's long
 * double functions (a reference ~2^11 times finer than a double's ulp
 * where long double has a 64-bit or wider mantissa; where it is no wider
 * than double, the reference is libm's double result and the bound is
 * loosened by its own error); the special cases, exactly; and x^n against
 * powl. */
#include "testutil.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include "base/detmath.h"

#if LDBL_MANT_DIG >= 64
#define REFERENCE_SLACK 0.0 /* long double: the reference's error is negligible */
#else
#define REFERENCE_SLACK 2.0 /* the reference is a double computation (cos2pi's rounds 2πa) */
#endif

/* Arguments per sweep; a 113-bit long double (aarch64) is computed in
 * software, some ten times slower, so it gets fewer. */
#if LDBL_MANT_DIG > 64
#define SAMPLES 400000
#else
#define SAMPLES 2000000
#endif

/* ---- arguments: splitmix64, state passed by pointer ---- */

static uint64_t next_u64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static double uniform(uint64_t *state, double lo, double hi)
{
    return lo + (hi - lo) * (double)(next_u64(state) >> 11) * 0x1p-53;
}

/* A positive double with its bits uniform between those of lo and hi:
 * every binade between them equally often, subnormals included. */
static double any_double(uint64_t *state, double lo, double hi)
{
    uint64_t a, b, x;
    memcpy(&a, &lo, sizeof a);
    memcpy(&b, &hi, sizeof b);
    x = a + next_u64(state) % (b - a);
    double d;
    memcpy(&d, &x, sizeof d);
    return d;
}

/* ---- error in ulps ---- */

/* The spacing of doubles at v: below 2^e, the ulp of [2^(e-1), 2^e); the
 * subnormal spacing below DBL_MIN. */
static long double ulp_at(long double v)
{
    v = fabsl(v);
    if (v < DBL_MIN)
        return 0x1p-1074L;
    int e;
    frexpl(v, &e);
    return ldexpl(1, e - 53);
}

typedef struct {
    const char *name;
    double bound;    /* ulps, from detmath.h */
    double worst;    /* the largest error seen, in ulps */
    double worst_at; /* its argument */
    size_t n;        /* arguments measured */
} error_tally;

/* got against the exact value ref (long double): an error in ulps, or the
 * exact double expected where the result overflows or underflows to 0. */
static void tally(error_tally *t, double x, double got, long double ref)
{
    double rounded = (double)ref;
    if (isinf(rounded) || rounded == 0) {
        if (got != rounded)
            fail_msg("%s(%a) = %a, want %a", t->name, x, got, rounded);
        return;
    }
    double e = (double)(fabsl((long double)got - ref) / ulp_at(ref));
    if (!(e <= t->worst)) {
        t->worst = e;
        t->worst_at = x;
    }
    t->n++;
}

static void assert_within(const error_tally *t)
{
    print_message("%s: %zu arguments, max error %.4f ulp at %a (bound %.3f)\n", t->name, t->n,
                  t->worst, t->worst_at, t->bound);
    if (!(t->worst <= t->bound + REFERENCE_SLACK))
        fail_msg("%s: error %.4f ulp at %a exceeds the documented %.3f", t->name, t->worst,
                 t->worst_at, t->bound);
}

/* ---- exp ---- */

static void exp_error_bound(void **state)
{
    (void)state;
    error_tally t = {"exp", DETMATH_EXP_MAX_ULPS, 0, 0, 0};
    uint64_t s = 1;
    for (size_t i = 0; i < SAMPLES; i++) { /* the whole finite range, subnormal results too */
        double x = uniform(&s, -745.2, 709.8);
        tally(&t, x, detmath_exp(x), expl(x));
    }
    for (size_t i = 0; i < SAMPLES / 2; i++) { /* every magnitude below 2^10, both signs */
        double x = any_double(&s, 0x1p-1074, 0x1p10);
        x = next_u64(&s) & 1 ? -x : x;
        tally(&t, x, detmath_exp(x), expl(x));
    }
    for (size_t i = 0; i < SAMPLES / 4; i++) { /* near the smallest normal result */
        double x = uniform(&s, -709.0, -707.5);
        tally(&t, x, detmath_exp(x), expl(x));
    }
    assert_within(&t);
}

static void exp_special_cases(void **state)
{
    (void)state;
    assert_true(detmath_exp(0.0) == 1 && detmath_exp(-0.0) == 1);
    assert_true(detmath_exp(0x1p-1074) == 1 && detmath_exp(-0x1p-1074) == 1);
    assert_true(isinf(detmath_exp(INFINITY)) && detmath_exp(INFINITY) > 0);
    assert_true(detmath_exp(-INFINITY) == 0 && !signbit(detmath_exp(-INFINITY)));
    assert_true(isnan(detmath_exp(NAN)));
    assert_true(isinf(detmath_exp(1000)) && detmath_exp(-1000) == 0);
    /* the edges of the range: within the bound, and +inf or +0 exactly
     * where the exact value rounds to it */
    error_tally t = {"exp at the edges", DETMATH_EXP_MAX_ULPS, 0, 0, 0};
    const double edges[] = {709.782712893383973096, 709.7827128933841, 709.78271289338397,
                            -708.3964185322641, -708.39641853226408, -745.1332191019411,
                            -745.1332191019412, -745.13321910194122, -744.44007192138122,
                            -740.0, 1.0, -1.0, 0.5, 88.72283905206835};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        tally(&t, edges[i], detmath_exp(edges[i]), expl(edges[i]));
    assert_within(&t);
    assert_true(detmath_exp(-745.1332191019411) == 0x1p-1074); /* the smallest subnormal */
    assert_true(isinf(detmath_exp(nextafter(709.782712893384, 1000))));
    assert_true(detmath_exp(709.782712893384) <= DBL_MAX);
}

/* ---- log ---- */

static void log_error_bound(void **state)
{
    (void)state;
    error_tally t = {"log", DETMATH_LOG_MAX_ULPS, 0, 0, 0};
    uint64_t s = 2;
    for (size_t i = 0; i < SAMPLES; i++) { /* every positive finite double */
        double x = any_double(&s, 0x1p-1074, DBL_MAX);
        tally(&t, x, detmath_log(x), logl(x));
    }
    for (size_t i = 0; i < SAMPLES / 2; i++) { /* around 1, where log cancels */
        double x = uniform(&s, 0.5, 2.0);
        tally(&t, x, detmath_log(x), logl(x));
    }
    for (size_t i = 0; i < SAMPLES / 4; i++) { /* 1 ± tiny */
        double d = any_double(&s, 0x1p-60, 0x1p-4), x = next_u64(&s) & 1 ? 1 - d : 1 + d;
        tally(&t, x, detmath_log(x), logl(x));
    }
    for (size_t i = 0; i < SAMPLES / 4; i++) { /* the softmax sums: 1 to 13 */
        double x = uniform(&s, 1.0, 13.0);
        tally(&t, x, detmath_log(x), logl(x));
    }
    assert_within(&t);
}

static void log_special_cases(void **state)
{
    (void)state;
    assert_true(detmath_log(1) == 0 && !signbit(detmath_log(1)));
    assert_true(isinf(detmath_log(0.0)) && detmath_log(0.0) < 0);
    assert_true(isinf(detmath_log(-0.0)) && detmath_log(-0.0) < 0);
    assert_true(isinf(detmath_log(INFINITY)) && detmath_log(INFINITY) > 0);
    assert_true(isnan(detmath_log(-1)) && isnan(detmath_log(-INFINITY)));
    assert_true(isnan(detmath_log(-0x1p-1074)) && isnan(detmath_log(NAN)));
    error_tally t = {"log at the edges", DETMATH_LOG_MAX_ULPS, 0, 0, 0};
    const double edges[] = {0x1p-1074, 0x1.8p-1070, DBL_MIN, DBL_MAX, 2, 0.5, 10, 0x1p1023,
                            1.5, 0x1.8000000000001p+0, 0x1.fffffffffffffp-1, 0x1.0000000000001p+0};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
        tally(&t, edges[i], detmath_log(edges[i]), logl(edges[i]));
    assert_within(&t);
}

/* ---- cos(2πu) ---- */

#define TWO_PI_L 6.283185307179586476925286766559005768L

/* cos 2πu with its own exact reduction: u minus the nearest integer is
 * exact in long double, and cos 2πa = sin 2π(1/4 - a) for a in [0, 1/2]
 * keeps sinl's argument within ±π/2 and exact up to the product. */
static long double cos2pi_reference(double u)
{
    long double a = fabsl((long double)u - roundl((long double)u));
    return sinl(TWO_PI_L * (0.25L - a));
}

static void cos2pi_error_bound(void **state)
{
    (void)state;
    error_tally t = {"cos2pi", DETMATH_COS2PI_MAX_ULPS, 0, 0, 0};
    uint64_t s = 3;
    for (size_t i = 0; i < SAMPLES; i++) { /* Box-Muller's u: 53-bit uniforms in [0, 1) */
        double u = (double)(next_u64(&s) >> 11) * 0x1p-53;
        tally(&t, u, detmath_cos2pi(u), cos2pi_reference(u));
    }
    for (size_t i = 0; i < SAMPLES / 4; i++) { /* near the zeros, 1/4 and 3/4 */
        double d = any_double(&s, 0x1p-70, 0x1p-5);
        double u = (next_u64(&s) & 1 ? 0.25 : 0.75) + (next_u64(&s) & 1 ? d : -d);
        tally(&t, u, detmath_cos2pi(u), cos2pi_reference(u));
    }
    for (size_t i = 0; i < SAMPLES / 4; i++) { /* every magnitude, both signs */
        double u = any_double(&s, 0x1p-1074, 0x1p60);
        u = next_u64(&s) & 1 ? -u : u;
        tally(&t, u, detmath_cos2pi(u), cos2pi_reference(u));
    }
    assert_within(&t);
}

static void cos2pi_special_cases(void **state)
{
    (void)state;
    assert_true(detmath_cos2pi(0) == 1 && detmath_cos2pi(-0.0) == 1);
    assert_true(detmath_cos2pi(0.5) == -1 && detmath_cos2pi(-0.5) == -1);
    assert_true(detmath_cos2pi(1) == 1 && detmath_cos2pi(3) == 1 && detmath_cos2pi(2.5) == -1);
    assert_true(detmath_cos2pi(0.25) == 0 && !signbit(detmath_cos2pi(0.25)));
    assert_true(detmath_cos2pi(0.75) == 0 && detmath_cos2pi(-0.25) == 0);
    assert_true(detmath_cos2pi(0x1p52 + 1) == 1 && detmath_cos2pi(0x1p51 + 0.5) == -1);
    assert_true(detmath_cos2pi(DBL_MAX) == 1 && detmath_cos2pi(0x1p-1074) == 1);
    assert_true(isnan(detmath_cos2pi(INFINITY)) && isnan(detmath_cos2pi(-INFINITY)));
    assert_true(isnan(detmath_cos2pi(NAN)));
    error_tally t = {"cos2pi at the octants' edges", DETMATH_COS2PI_MAX_ULPS, 0, 0, 0};
    const double some[] = {0.125, 0.375, 1.0 / 3, 1.0 / 6, 0.1, 0.9, 0x1p-30, 0.25 - 0x1p-54};
    for (size_t i = 0; i < sizeof some / sizeof some[0]; i++) {
        double got = detmath_cos2pi(some[i]);
        tally(&t, some[i], got, cos2pi_reference(some[i]));
        if (detmath_cos2pi(-some[i]) != got)
            fail_msg("cos2pi(%a): not even", some[i]);
        if ((some[i] + 7) - 7 == some[i] && detmath_cos2pi(some[i] + 7) != got)
            fail_msg("cos2pi(%a): not of period 1", some[i]);
    }
    assert_within(&t);
}

/* ---- the exp table ---- */

/* exp at the table's nodes x = (128 e + j) ln2/128, where e^x is about
 * 2^e (hi + lo) of entry j: an entry off by an ulp fails here by name. */
static void exp_table_entries(void **state)
{
    (void)state;
    const long double ln2 = 0.693147180559945309417232121458176568L;
    error_tally t = {"exp at the table's nodes", DETMATH_EXP_MAX_ULPS, 0, 0, 0};
    for (int k = -3 * 128; k < 3 * 128; k++) {
        double x = (double)(k * ln2 / 128);
        tally(&t, x, detmath_exp(x), expl(x));
    }
    assert_within(&t);
}

/* ---- x^n ---- */

static void powi_products(void **state)
{
    (void)state;
    assert_true(detmath_powi(0.999, 0) == 1 && detmath_powi(0, 0) == 1);
    assert_true(detmath_powi(2, 10) == 1024 && detmath_powi(10, 22) == 1e22);
    assert_true(detmath_powi(-3, 3) == -27 && detmath_powi(0.5, 1074) == 0x1p-1074);
    assert_true(isinf(detmath_powi(10, 400)) && detmath_powi(0.1, 400) == 0);
    const double bases[] = {0.9, 0.999, 0.99999, 1.5, 1.1, 7.0 / 3};
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
        for (uint64_t n = 1; n <= 5000; n++) {
            long double ref = powl(bases[b], (long double)n);
            if (ref > DBL_MAX)
                break;
            long double rel = fabsl((long double)detmath_powi(bases[b], n) - ref) / ref;
            if (!(rel < (long double)n * 0x1p-53L))
                fail_msg("powi(%a, %" PRIu64 "): relative error %Lg over n / 2^53", bases[b], n,
                         rel);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exp_error_bound),    cmocka_unit_test(exp_special_cases),
        cmocka_unit_test(exp_table_entries),  cmocka_unit_test(log_error_bound),
        cmocka_unit_test(log_special_cases),  cmocka_unit_test(cos2pi_error_bound),
        cmocka_unit_test(cos2pi_special_cases), cmocka_unit_test(powi_products),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
