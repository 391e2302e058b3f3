/* stats: mean and 95% confidence interval of a handful of numbers; extremes. */
#ifndef SUBLIM_STATS_H
#define SUBLIM_STATS_H

#include <stddef.h>

typedef struct {
    size_t n;
    double mean;
    double sd;    /* sample standard deviation (n - 1); 0 when n < 2 */
    double ci95;  /* half-width: t(0.975, n-1) * sd / sqrt(n); 0 when n < 2 */
} stats_summary;

stats_summary stats_summarize(const double *x, size_t n);

/* The smaller and the larger of a and b, NaN when either is NaN (fmin
 * and fmax drop a NaN, so a minimum over numbers some of which could not
 * be computed would look whole). */
double stats_min(double a, double b);
double stats_max(double a, double b);

/* The 0.975 quantile of Student's t with df degrees of freedom (df >= 1). */
double stats_t975(size_t df);

#endif
