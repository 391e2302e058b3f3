#include "out/reading.h"

void reading_percent(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.1f%%", 100 * v);
}

/* The interval of an arm's mean, or none when it has fewer than 2 runs. */
static int interval(const arm_summary *s, double *lo, double *hi)
{
    *lo = s->acc.mean - s->acc.ci95;
    *hi = s->acc.mean + s->acc.ci95;
    return s->acc.n >= 2;
}

void reading_compare(FILE *f, const arm_summary *a, const arm_summary *b, const char *a_name,
                     const char *b_name)
{
    char am[32], bm[32], al[32], ah[32], bl[32], bh[32];
    double alo, ahi, blo, bhi;
    reading_percent(am, sizeof am, a->acc.mean);
    reading_percent(bm, sizeof bm, b->acc.mean);
    if (!interval(a, &alo, &ahi) || !interval(b, &blo, &bhi)) {
        fprintf(f, "%s %s, %s %s; with fewer than two seeds there is no confidence interval, "
                   "so no verdict (run with `--seeds 5` or more).",
                a_name, am, b_name, bm);
        return;
    }
    reading_percent(al, sizeof al, alo);
    reading_percent(ah, sizeof ah, ahi);
    reading_percent(bl, sizeof bl, blo);
    reading_percent(bh, sizeof bh, bhi);
    fprintf(f, "%s %s (95%% CI %s to %s), %s %s (%s to %s): ", a_name, am, al, ah, b_name, bm,
            bl, bh);
    if (alo > bhi)
        fprintf(f, "the intervals do not overlap, %s is clearly higher.", a_name);
    else if (ahi < blo)
        fprintf(f, "the intervals do not overlap, %s is clearly *lower*.", a_name);
    else
        fprintf(f, "the intervals overlap, so this run does not tell them apart.");
}

reading_verdict reading_subliminal(const arm_summary *same, const arm_summary *cross)
{
    double lo, hi, cross_lo, cross_hi;
    if (!interval(same, &lo, &hi) || !interval(cross, &cross_lo, &cross_hi))
        return READING_NO_VERDICT;
    if (lo > READING_CHANCE && lo > cross_hi)
        return READING_SHOWN;
    return lo > READING_CHANCE ? READING_ABOVE_CHANCE : READING_NOT_ABOVE_CHANCE;
}

void reading_arm_cells(FILE *f, const arm_summary *s)
{
    fprintf(f, " | %zu", s->acc.n);
    if (s->acc.n)
        fprintf(f, " | %.4f | ±%.4f | %.4f | %.4f", s->acc.mean, s->acc.ci95, s->min, s->max);
    else
        fprintf(f, " | – | – | – | –");
}

void reading_md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
}
