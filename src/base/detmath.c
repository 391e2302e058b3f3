/* detmath: exp, log, cos(2πu) and x^n from +, -, *, / alone (see
 * detmath.h).  Each function reduces its argument exactly (or in
 * double-double, to ~2^-100) to a small interval, evaluates a Taylor
 * polynomial there, and adds the large leading terms in double-double, so
 * that the only sizable error left is the final rounding. */
#include "base/detmath.h"
#include <float.h>
#include <math.h> /* INFINITY and NAN only: no libm function is called */
#include <string.h>

#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
#error "detmath needs double arithmetic rounded to double (FLT_EVAL_METHOD 0): on 32-bit x86 build with -msse2 -mfpmath=sse"
#endif

/* ---- bits and double-double ---- */

static uint64_t bits_of(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static double of_bits(uint64_t b)
{
    double x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/* 2^e for -1022 <= e <= 1023, exactly. */
static double pow2(int e)
{
    return of_bits((uint64_t)(e + 1023) << 52);
}

/* An unevaluated sum hi + lo, |lo| at most about an ulp of hi. */
typedef struct {
    double hi, lo;
} dd;

/* a + b = hi + lo exactly (Knuth's two-sum, any order of magnitude). */
static dd two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

/* a + b = hi + lo exactly, for |a| >= |b| (Dekker's fast two-sum). */
static dd fast_two_sum(double a, double b)
{
    double s = a + b;
    return (dd){s, b - (s - a)};
}

/* a = hi + lo with 26-bit halves (Veltkamp), for |a| < 2^995. */
static dd split(double a)
{
    double c = 134217729.0 * a; /* 2^27 + 1 */
    double hi = c - (c - a);
    return (dd){hi, a - hi};
}

/* a * b = hi + lo exactly (Dekker's product), barring under/overflow. */
static dd two_prod(double a, double b)
{
    dd x = split(a), y = split(b);
    double p = a * b;
    return (dd){p, ((x.hi * y.hi - p) + x.hi * y.lo + x.lo * y.hi) + x.lo * y.lo};
}

static dd dd_mul(dd a, dd b)
{
    dd p = two_prod(a.hi, b.hi);
    return fast_two_sum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/* a / d for a small integer d (exact in double). */
static dd dd_div(dd a, double d)
{
    double q = a.hi / d;
    dd p = two_prod(q, d);
    return fast_two_sum(q, (((a.hi - p.hi) - p.lo) + a.lo) / d);
}

/* ---- exp ---- */

/* 2^(j/128) = hi + lo for j = 0..127: hi the nearest double to 2^(j/128),
 * lo the nearest to the rest (mpmath at 300 bits).  tests/test_detmath.c
 * checks exp at every node, where an entry off by an ulp shows. */
static const double EXP2_TABLE[128][2] = {
    {0x1.0000000000000p+0, 0x0.0p+0}, {0x1.0163da9fb3335p+0, 0x1.b61299ab8cdb7p-54},
    {0x1.02c9a3e778061p+0, -0x1.19083535b085dp-56}, {0x1.04315e86e7f85p+0, -0x1.0a31c1977c96ep-54},
    {0x1.059b0d3158574p+0, 0x1.d73e2a475b465p-55}, {0x1.0706b29ddf6dep+0, -0x1.c91dfe2b13c27p-55},
    {0x1.0874518759bc8p+0, 0x1.186be4bb284ffp-57}, {0x1.09e3ecac6f383p+0, 0x1.1487818316136p-54},
    {0x1.0b5586cf9890fp+0, 0x1.8a62e4adc610bp-54}, {0x1.0cc922b7247f7p+0, 0x1.01edc16e24f71p-54},
    {0x1.0e3ec32d3d1a2p+0, 0x1.03a1727c57b53p-59}, {0x1.0fb66affed31bp+0, -0x1.b9bedc44ebd7bp-57},
    {0x1.11301d0125b51p+0, -0x1.6c51039449b3ap-54}, {0x1.12abdc06c31ccp+0, -0x1.1b514b36ca5c7p-58},
    {0x1.1429aaea92de0p+0, -0x1.32fbf9af1369ep-54}, {0x1.15a98c8a58e51p+0, 0x1.2406ab9eeab0ap-55},
    {0x1.172b83c7d517bp+0, -0x1.19041b9d78a76p-55}, {0x1.18af9388c8deap+0, -0x1.11023d1970f6cp-54},
    {0x1.1a35beb6fcb75p+0, 0x1.e5b4c7b4968e4p-55}, {0x1.1bbe084045cd4p+0, -0x1.95386352ef607p-54},
    {0x1.1d4873168b9aap+0, 0x1.e016e00a2643cp-54}, {0x1.1ed5022fcd91dp+0, -0x1.1df98027bb78cp-54},
    {0x1.2063b88628cd6p+0, 0x1.dc775814a8495p-55}, {0x1.21f49917ddc96p+0, 0x1.2a97e9494a5eep-55},
    {0x1.2387a6e756238p+0, 0x1.9b07eb6c70573p-54}, {0x1.251ce4fb2a63fp+0, 0x1.ac155bef4f4a4p-55},
    {0x1.26b4565e27cddp+0, 0x1.2bd339940e9d9p-55}, {0x1.284dfe1f56381p+0, -0x1.a4c3a8c3f0d7ep-54},
    {0x1.29e9df51fdee1p+0, 0x1.612e8afad1255p-55}, {0x1.2b87fd0dad990p+0, -0x1.10adcd6381aa4p-59},
    {0x1.2d285a6e4030bp+0, 0x1.0024754db41d5p-54}, {0x1.2ecafa93e2f56p+0, 0x1.1ca0f45d52383p-56},
    {0x1.306fe0a31b715p+0, 0x1.6f46ad23182e4p-55}, {0x1.32170fc4cd831p+0, 0x1.a9ce78e18047cp-55},
    {0x1.33c08b26416ffp+0, 0x1.32721843659a6p-54}, {0x1.356c55f929ff1p+0, -0x1.b5cee5c4e4628p-55},
    {0x1.371a7373aa9cbp+0, -0x1.63aeabf42eae2p-54}, {0x1.38cae6d05d866p+0, -0x1.e958d3c9904bdp-54},
    {0x1.3a7db34e59ff7p+0, -0x1.5e436d661f5e3p-56}, {0x1.3c32dc313a8e5p+0, -0x1.efff8375d29c3p-54},
    {0x1.3dea64c123422p+0, 0x1.ada0911f09ebcp-55}, {0x1.3fa4504ac801cp+0, -0x1.7d023f956f9f3p-54},
    {0x1.4160a21f72e2ap+0, -0x1.ef3691c309278p-58}, {0x1.431f5d950a897p+0, -0x1.1c7dde35f7999p-55},
    {0x1.44e086061892dp+0, 0x1.89b7a04ef80d0p-59}, {0x1.46a41ed1d0057p+0, 0x1.c944bd1648a76p-54},
    {0x1.486a2b5c13cd0p+0, 0x1.3c1a3b69062f0p-56}, {0x1.4a32af0d7d3dep+0, 0x1.9cb62f3d1be56p-54},
    {0x1.4bfdad5362a27p+0, 0x1.d4397afec42e2p-56}, {0x1.4dcb299fddd0dp+0, 0x1.8ecdbbc6a7833p-54},
    {0x1.4f9b2769d2ca7p+0, -0x1.4b309d25957e3p-54}, {0x1.516daa2cf6642p+0, -0x1.f768569bd93efp-55},
    {0x1.5342b569d4f82p+0, -0x1.07abe1db13cadp-55}, {0x1.551a4ca5d920fp+0, -0x1.d689cefede59bp-55},
    {0x1.56f4736b527dap+0, 0x1.9bb2c011d93adp-54}, {0x1.58d12d497c7fdp+0, 0x1.295e15b9a1de8p-55},
    {0x1.5ab07dd485429p+0, 0x1.6324c054647adp-54}, {0x1.5c9268a5946b7p+0, 0x1.c4b1b816986a2p-60},
    {0x1.5e76f15ad2148p+0, 0x1.ba6f93080e65ep-54}, {0x1.605e1b976dc09p+0, -0x1.3e2429b56de47p-54},
    {0x1.6247eb03a5585p+0, -0x1.383c17e40b497p-54}, {0x1.6434634ccc320p+0, -0x1.c483c759d8933p-55},
    {0x1.6623882552225p+0, -0x1.bb60987591c34p-54}, {0x1.68155d44ca973p+0, 0x1.038ae44f73e65p-57},
    {0x1.6a09e667f3bcdp+0, -0x1.bdd3413b26456p-54}, {0x1.6c012750bdabfp+0, -0x1.2895667ff0b0dp-56},
    {0x1.6dfb23c651a2fp+0, -0x1.bbe3a683c88abp-57}, {0x1.6ff7df9519484p+0, -0x1.83c0f25860ef6p-55},
    {0x1.71f75e8ec5f74p+0, -0x1.16e4786887a99p-55}, {0x1.73f9a48a58174p+0, -0x1.0a8d96c65d53cp-54},
    {0x1.75feb564267c9p+0, -0x1.0245957316dd3p-54}, {0x1.780694fde5d3fp+0, 0x1.866b80a02162dp-54},
    {0x1.7a11473eb0187p+0, -0x1.41577ee04992fp-55}, {0x1.7c1ed0130c132p+0, 0x1.f124cd1164dd6p-54},
    {0x1.7e2f336cf4e62p+0, 0x1.05d02ba15797ep-56}, {0x1.80427543e1a12p+0, -0x1.27c86626d972bp-54},
    {0x1.82589994cce13p+0, -0x1.d4c1dd41532d8p-54}, {0x1.8471a4623c7adp+0, -0x1.8d684a341cdfbp-55},
    {0x1.868d99b4492edp+0, -0x1.fc6f89bd4f6bap-54}, {0x1.88ac7d98a6699p+0, 0x1.994c2f37cb53ap-54},
    {0x1.8ace5422aa0dbp+0, 0x1.6e9f156864b27p-54}, {0x1.8cf3216b5448cp+0, -0x1.0d55e32e9e3aap-56},
    {0x1.8f1ae99157736p+0, 0x1.5cc13a2e3976cp-55}, {0x1.9145b0b91ffc6p+0, -0x1.dd6792e582524p-54},
    {0x1.93737b0cdc5e5p+0, -0x1.75fc781b57ebcp-57}, {0x1.95a44cbc8520fp+0, -0x1.64b7c96a5f039p-56},
    {0x1.97d829fde4e50p+0, -0x1.d185b7c1b85d1p-54}, {0x1.9a0f170ca07bap+0, -0x1.173bd91cee632p-54},
    {0x1.9c49182a3f090p+0, 0x1.c7c46b071f2bep-56}, {0x1.9e86319e32323p+0, 0x1.824ca78e64c6ep-56},
    {0x1.a0c667b5de565p+0, -0x1.359495d1cd533p-54}, {0x1.a309bec4a2d33p+0, 0x1.6305c7ddc36abp-54},
    {0x1.a5503b23e255dp+0, -0x1.d2f6edb8d41e1p-54}, {0x1.a799e1330b358p+0, 0x1.bcb7ecac563c7p-54},
    {0x1.a9e6b5579fdbfp+0, 0x1.0fac90ef7fd31p-54}, {0x1.ac36bbfd3f37ap+0, -0x1.f9234cae76cd0p-55},
    {0x1.ae89f995ad3adp+0, 0x1.7a1cd345dcc81p-54}, {0x1.b0e07298db666p+0, -0x1.bdef54c80e425p-54},
    {0x1.b33a2b84f15fbp+0, -0x1.2805e3084d708p-57}, {0x1.b59728de5593ap+0, -0x1.c71dfbbba6de3p-54},
    {0x1.b7f76f2fb5e47p+0, -0x1.5584f7e54ac3bp-56}, {0x1.ba5b030a1064ap+0, -0x1.efcd30e54292ep-54},
    {0x1.bcc1e904bc1d2p+0, 0x1.23dd07a2d9e84p-55}, {0x1.bf2c25bd71e09p+0, -0x1.efdca3f6b9c73p-54},
    {0x1.c199bdd85529cp+0, 0x1.11065895048ddp-55}, {0x1.c40ab5fffd07ap+0, 0x1.b4537e083c60ap-54},
    {0x1.c67f12e57d14bp+0, 0x1.2884dff483cadp-54}, {0x1.c8f6d9406e7b5p+0, 0x1.1acbc48805c44p-56},
    {0x1.cb720dcef9069p+0, 0x1.503cbd1e949dbp-56}, {0x1.cdf0b555dc3fap+0, -0x1.dd83b53829d72p-55},
    {0x1.d072d4a07897cp+0, -0x1.cbc3743797a9cp-54}, {0x1.d2f87080d89f2p+0, -0x1.d487b719d8578p-54},
    {0x1.d5818dcfba487p+0, 0x1.2ed02d75b3707p-55}, {0x1.d80e316c98398p+0, -0x1.11ec18beddfe8p-54},
    {0x1.da9e603db3285p+0, 0x1.c2300696db532p-54}, {0x1.dd321f301b460p+0, 0x1.2da5778f018c3p-54},
    {0x1.dfc97337b9b5fp+0, -0x1.1a5cd4f184b5cp-54}, {0x1.e264614f5a129p+0, -0x1.7b627817a1496p-54},
    {0x1.e502ee78b3ff6p+0, 0x1.39e8980a9cc8fp-55}, {0x1.e7a51fbc74c83p+0, 0x1.2d522ca0c8de2p-54},
    {0x1.ea4afa2a490dap+0, -0x1.e9c23179c2893p-54}, {0x1.ecf482d8e67f1p+0, -0x1.c93f3b411ad8cp-54},
    {0x1.efa1bee615a27p+0, 0x1.dc7f486a4b6b0p-54}, {0x1.f252b376bba97p+0, 0x1.3a1a5bf0d8e43p-54},
    {0x1.f50765b6e4540p+0, 0x1.9d3e12dd8a18bp-54}, {0x1.f7bfdad9cbe14p+0, -0x1.dbb12d006350ap-54},
    {0x1.fa7c1819e90d8p+0, 0x1.74853f3a5931ep-55}, {0x1.fd3c22b8f71f1p+0, 0x1.2eb74966579e7p-57},
};

#define EXP_N 128                            /* table entries per octave */
#define EXP_N_OVER_LN2 0x1.71547652b82fep+7  /* 128 / ln 2 */
#define EXP_LN2_N_HI 0x1.62e42fef80000p-8    /* ln 2 / 128, 35 bits: k * it is exact */
#define EXP_LN2_N_LO 0x1.1cf79abc9e3b4p-43   /* ln 2 / 128 - EXP_LN2_N_HI */
#define ROUND_SHIFT 0x1.8p52                 /* (z + it) - it: z to the nearest integer */

/* (hi + lo) * 2^e rounded once, for hi + lo in [0.99, 2) (exp's result
 * before scaling): exact scaling where the result is normal; where it is
 * subnormal, adding c = 2^(-1022-e), whose ulp is the subnormal spacing
 * once scaled, rounds hi + lo straight to that spacing (rounding it to 53
 * bits first and then to the subnormal spacing would round twice). */
static double exp_scale(double hi, double lo, int e)
{
    double y = hi + lo;
    if (e > 1023)
        return y * 2 * pow2(e - 1); /* e = 1024: +inf exactly when y >= 1 */
    if (e > -1022 || (e == -1022 && y >= 1))
        return y * pow2(e);
    double c = pow2(-1022 - e); /* 1 <= c <= 2^55 */
    dd s = two_sum(c, hi);
    double sum = s.hi + (s.lo + lo); /* in [c, 2c]: rounded to ulp(c) */
    /* sum - c is exact and a multiple of ulp(c); scaled in two exact steps */
    return (sum - c) * pow2(e + 64) * 0x1p-64;
}

/* Tang's method (ACM TOMS 15(2), 1989): x = (128 e + j) ln2/128 + r with
 * |r| <= ln2/256, e^x = 2^e 2^(j/128) e^r. */
double detmath_exp(double x)
{
    if (x != x)
        return x + x;
    if (x > 709.8) /* ln(DBL_MAX) = 709.78...: overflow */
        return INFINITY;
    if (x < -746.0) /* below ln(2^-1075) = -745.13...: rounds to +0 */
        return 0;
    double kd = (x * EXP_N_OVER_LN2 + ROUND_SHIFT) - ROUND_SHIFT;
    /* x - kd * HI is exact (Sterbenz); |r| <= 0.00271 */
    double r = (x - kd * EXP_LN2_N_HI) - kd * EXP_LN2_N_LO;
    /* e^r - 1 to r^6: the next term is below 2^-70 */
    double p = r + r * r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 +
                                                                             r * (1.0 / 720)))));
    int k = (int)kd + EXP_N * 2048; /* biased positive: / and % floor */
    const double *t = EXP2_TABLE[k % EXP_N];
    return exp_scale(t[0], t[1] + t[0] * p, k / EXP_N - 2048);
}

/* ---- log ---- */

#define LN2_HI 0x1.62e42fefa3800p-1  /* ln 2, 42 bits: k * it is exact */
#define LN2_LO 0x1.ef35793c76730p-45 /* ln 2 - LN2_HI */
#define LOG_STEP 32                  /* the nodes c = 1 + i/32, i = -8..16 */

/* ln(1 + i/32) = hi + lo for i = -8..16 (row i + 8): hi the nearest
 * double, lo the nearest to the rest (mpmath at 300 bits). */
static const double LOG_TABLE[25][2] = {
    {-0x1.269621134db92p-2, -0x1.e0efadd9db02bp-56}, {-0x1.f991c6cb3b379p-3, -0x1.f665066f980a2p-57},
    {-0x1.a93ed3c8ad9e3p-3, -0x1.bcafa9de97203p-57}, {-0x1.5bf406b543db2p-3, 0x1.1f5b44c0df7e7p-61},
    {-0x1.1178e8227e47cp-3, 0x1.0e63a5f01c691p-58}, {-0x1.9335e5d594989p-4, 0x1.478a85704ccb7p-58},
    {-0x1.08598b59e3a07p-4, 0x1.dd7009902bf32p-58}, {-0x1.0415d89e74444p-5, -0x1.c05cf1d753622p-59},
    {0x0.0p+0, 0x0.0p+0}, {0x1.f829b0e783300p-6, 0x1.33e3f04f1ef23p-60},
    {0x1.f0a30c01162a6p-5, 0x1.85f325c5bbacdp-59}, {0x1.6f0d28ae56b4cp-4, -0x1.906d99184b992p-58},
    {0x1.e27076e2af2e6p-4, -0x1.61578001e0162p-60}, {0x1.29552f81ff523p-3, 0x1.301771c407dbfp-57},
    {0x1.5ff3070a793d4p-3, -0x1.bc60efafc6f6ep-58}, {0x1.9525a9cf456b4p-3, 0x1.d904c1d4e2e26p-57},
    {0x1.c8ff7c79a9a22p-3, -0x1.4f689f8434012p-57}, {0x1.fb9186d5e3e2bp-3, -0x1.caaae64f21acbp-57},
    {0x1.1675cababa60ep-2, 0x1.ce63eab883717p-61}, {0x1.2e8e2bae11d31p-2, -0x1.8f4cdb95ebdf9p-56},
    {0x1.4618bc21c5ec2p-2, 0x1.f42decdeccf1dp-56}, {0x1.5d1bdbf5809cap-2, 0x1.4236383dc7fe1p-56},
    {0x1.739d7f6bbd007p-2, -0x1.8c76ceb014b04p-56}, {0x1.89a3386c1425bp-2, -0x1.29639dfbbf0fbp-56},
    {0x1.9f323ecbf984cp-2, -0x1.a92e513217f5cp-59},
};

/* x = 2^k m with m in [0.75, 1.5], m within 1/64 of a node c = 1 + i/32:
 * ln x = k ln2 + ln c + 2 atanh(s), s = (m - c) / (m + c), |s| <= 0.0105,
 *   2 atanh(s) = 2s + 2s^3/3 + ... + 2s^9/9 (the next term below 2^-68),
 * s in double-double, the leading sums in double-double.  Near x = 1 the
 * node is c = 1 (ln c = 0, k = 0), so ln x keeps its relative accuracy. */
double detmath_log(double x)
{
    if (x != x)
        return x + x;
    if (x < 0)
        return NAN;
    if (x == 0)
        return -INFINITY;
    if (x == INFINITY)
        return x;
    int k = 0;
    if (x < DBL_MIN) { /* subnormal: scale into the normal range, exactly */
        x *= 0x1p54;
        k = -54;
    }
    uint64_t b = bits_of(x);
    k += (int)(b >> 52) - 1023;
    double m = of_bits((b & 0x000fffffffffffffu) | (uint64_t)1023 << 52); /* [1, 2) */
    if (m > 1.5) {
        m *= 0.5;
        k++;
    }
    double id = ((m - 1) * LOG_STEP + ROUND_SHIFT) - ROUND_SHIFT; /* -8 .. 16 */
    double c = 1 + id / LOG_STEP, d = m - c; /* both exact */
    dd sum = two_sum(m, c);
    double inv = 1 / sum.hi, s = d * inv;
    dd p = two_prod(s, sum.hi); /* d - s (m + c), nearly exact: s's correction */
    double s_lo = (((d - p.hi) - p.lo) - s * sum.lo) * inv;
    double z = s * s;
    double tail = s * z * (2.0 / 3 + z * (2.0 / 5 + z * (2.0 / 7 + z * (2.0 / 9))));
    const double *lc = LOG_TABLE[(int)id + 8];
    double kd = k;
    dd a = two_sum(kd * LN2_HI, lc[0]);
    dd r = two_sum(a.hi, 2 * s);
    return r.hi + ((r.lo + a.lo) + ((kd * LN2_LO + lc[1]) + (2 * s_lo + tail)));
}

/* ---- cos(2πu) ---- */

#define TWO_PI_HI 0x1.921fb54442d18p+2
#define TWO_PI_LO 0x1.1a62633145c07p-52 /* 2π - TWO_PI_HI */

/* 2πb in double-double, for |b| <= 1/8 */
static dd two_pi_times(double b)
{
    dd t = two_prod(TWO_PI_HI, b);
    return fast_two_sum(t.hi, t.lo + TWO_PI_LO * b);
}

/* cos t, |t| <= π/4: 1 - t^2/2 + t^4/24 in double-double, then the
 * terms to t^18 (the next is below 2^-70). */
static double cos_kernel(dd t)
{
    dd t2 = dd_mul(t, t);
    dd t4 = dd_div(dd_mul(t2, t2), 24);
    double z = t2.hi;
    double tail = t4.hi * z * (-24.0 / 720 + z * (24.0 / 40320 + z * (-24.0 / 3628800 +
                  z * (24.0 / 479001600 + z * (-24.0 / 87178291200.0 +
                  z * (24.0 / 20922789888000.0 + z * (-24.0 / 6402373705728000.0)))))));
    dd a = fast_two_sum(1, -0.5 * t2.hi);
    dd c = two_sum(a.hi, t4.hi);
    return c.hi + ((c.lo + a.lo) + ((-0.5 * t2.lo + t4.lo) + tail));
}

/* sin t, |t| <= π/4: t - t^3/6 + t^5/120 in double-double, then the terms
 * to t^19 (the next is below 2^-70). */
static double sin_kernel(dd t)
{
    dd t2 = dd_mul(t, t);
    dd t3 = dd_div(dd_mul(t2, t), 6);
    dd t5 = dd_div(dd_mul(t3, t2), 20);
    double z = t2.hi;
    double tail = t5.hi * z * (-120.0 / 5040 + z * (120.0 / 362880 + z * (-120.0 / 39916800 +
                  z * (120.0 / 6227020800.0 + z * (-120.0 / 1307674368000.0 +
                  z * (120.0 / 355687428096000.0 + z * (-120.0 / 121645100408832000.0)))))));
    dd a = fast_two_sum(t.hi, -t3.hi);
    dd c = two_sum(a.hi, t5.hi);
    return c.hi + ((c.lo + a.lo) + (((t.lo - t3.lo) + t5.lo) + tail));
}

/* |u| reduced exactly to a in [0, 1/2] (cos is even and of period 1 in
 * u), then to an argument of at most π/4 by the symmetries
 * cos 2πa = sin 2π(1/4 - a) = -cos 2π(1/2 - a), each difference exact. */
double detmath_cos2pi(double u)
{
    if (u - u != 0) /* ±inf, NaN */
        return NAN;
    double a = u < 0 ? -u : u;
    if (a >= 0x1p52) /* an integer */
        return 1;
    a -= (a + 0x1p52) - 0x1p52; /* minus the nearest integer: exact */
    a = a < 0 ? -a : a;
    if (a <= 0.125)
        return cos_kernel(two_pi_times(a));
    if (a < 0.375)
        return sin_kernel(two_pi_times(0.25 - a));
    return -cos_kernel(two_pi_times(0.5 - a));
}

/* ---- integer powers ---- */

double detmath_powi(double x, uint64_t n)
{
    double result = 1;
    for (; n; n >>= 1) {
        if (n & 1)
            result *= x;
        if (n > 1)
            x *= x;
    }
    return result;
}
