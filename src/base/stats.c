#include "base/stats.h"
#include <math.h>

/* t(0.975, df) for df = 1..30, from the standard tables. */
static const double T975[30] = {
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624,
    2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787,
    2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614,
    2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407,
    2.045230, 2.042272,
};

double stats_min(double a, double b)
{
    return isnan(a) || a < b ? a : b;
}

double stats_max(double a, double b)
{
    return isnan(a) || a > b ? a : b;
}

double stats_t975(size_t df)
{
    if (df == 0)
        return INFINITY;
    if (df <= 30)
        return T975[df - 1];
    /* Cornish-Fisher expansion around z = 1.959964 (error < 1e-6 for df > 30). */
    double z = 1.959963984540054, z2 = z * z, d = (double)df;
    double g1 = (z2 + 1) * z / 4;
    double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
    double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
    return z + g1 / d + g2 / (d * d) + g3 / (d * d * d);
}

stats_summary stats_summarize(const double *x, size_t n)
{
    stats_summary s = {n, 0, 0, 0};
    if (n == 0)
        return s;
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    s.mean = sum / (double)n;
    if (n < 2)
        return s;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - s.mean) * (x[i] - s.mean);
    s.sd = sqrt(ss / (double)(n - 1));
    s.ci95 = stats_t975(n - 1) * s.sd / sqrt((double)n);
    return s;
}
