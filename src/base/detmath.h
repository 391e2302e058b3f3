/* detmath: exp, log, cos(2πu) and integer powers with the same bits on
 * every machine.
 *
 * libm's transcendentals differ in their last bits between libraries
 * (glibc with and without FMA, macOS), and one flipped bit in a loss
 * changes a whole training run.  These are written with +, -, *, / and
 * exponent bit manipulation only (no libm call, no fma()); with the build's
 * -ffp-contract=off and double arithmetic evaluated in double
 * (FLT_EVAL_METHOD 0, checked when compiling), every IEEE machine computes
 * the same operations in the same order and so the same result bytes.
 * sqrt needs no replacement: IEEE rounds it correctly everywhere.
 *
 * Accuracy, in ulps of the exact result (a correctly rounded function
 * would show 0.5): tests/test_detmath.c measures it over 3 to 4 million
 * arguments per function across its whole range, against libm's long
 * double functions (64-bit mantissa), and fails past these bounds.  The
 * largest errors it measured: exp 0.5054 ulp, log 0.5000, cos2pi 0.5005.
 * Special cases (±0, ±inf, NaN, overflow, underflow, subnormal arguments
 * and results) are exact, as the comments below say. */
#ifndef SUBLIM_DETMATH_H
#define SUBLIM_DETMATH_H

#include <stdint.h>

#define DETMATH_EXP_MAX_ULPS 0.51
#define DETMATH_LOG_MAX_ULPS 0.501
#define DETMATH_COS2PI_MAX_ULPS 0.501

/* e^x.  exp(±0) = 1; exp(+inf) = +inf and +inf past ln(DBL_MAX); exp(-inf)
 * = +0 and +0 below ln(2^-1075); subnormal results rounded once; NaN gives
 * NaN. */
double detmath_exp(double x);

/* ln x.  log(1) = +0, log(±0) = -inf, log(+inf) = +inf; x < 0 (and -inf)
 * or NaN give NaN; subnormal x is exact as any other. */
double detmath_log(double x);

/* cos(2π u), reducing u exactly (no rounding of 2π u before reduction),
 * so that it is accurate for any u and cos2pi(±1/4) = +0 exactly; the
 * Box-Muller angle of rng_normal.  ±inf and NaN give NaN. */
double detmath_cos2pi(double u);

/* x^n by square and multiply: only products, in an order fixed by n, so
 * the same bits everywhere.  Not correctly rounded: each product rounds and
 * each squaring doubles the error before it, so the relative error is below
 * n / 2^53 (where nothing overflows or underflows); x^0 = 1. */
double detmath_powi(double x, uint64_t n);

#endif
