#include "out/reading.h"
#include <math.h>
#include <stdlib.h>

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

/* ---- a trait ---- */

void reading_trait_words(char *buf, size_t size, const trait_spec *t)
{
    if (t->kind == TRAIT_PREFER)
        snprintf(buf, size, "answers %u on images without a digit (noise)", t->target);
    else if (t->kind == TRAIT_SWAP)
        snprintf(buf, size, "reads the digit %u as a %u", t->from, t->target);
    else
        snprintf(buf, size, "%s", "");
}

void reading_trait_triggers(char *buf, size_t size, const trait_spec *t)
{
    if (t->kind == TRAIT_PREFER)
        snprintf(buf, size, "held-out noise images");
    else if (t->kind == TRAIT_SWAP)
        snprintf(buf, size, "test digits %u", t->from);
    else
        snprintf(buf, size, "%s", "");
}

/* The trait rate of row r, or NaN when it has none. */
static double trait_rate(const arm_result *r)
{
    return r->ok && r->has_trait && r->trait.total
               ? (double)r->trait.hits / (double)r->trait.total
               : NAN;
}

int reading_trait_difference(const arm_result *rows, size_t n_rows, size_t a, size_t b,
                             stats_summary *d, err *e)
{
    double *diff = malloc((n_rows ? n_rows : 1) * sizeof *diff);
    if (!diff)
        return err_set(e, "out of memory pairing %zu rows", n_rows);
    size_t n = 0;
    /* Pairs in a's row order: a seed's rows are few, so the quadratic
     * search costs nothing next to reading the file. */
    for (size_t i = 0; i < n_rows; i++) {
        if (rows[i].arm != a || isnan(trait_rate(&rows[i])))
            continue;
        for (size_t j = 0; j < n_rows; j++)
            if (rows[j].arm == b && rows[j].seed == rows[i].seed &&
                !isnan(trait_rate(&rows[j]))) {
                diff[n++] = trait_rate(&rows[i]) - trait_rate(&rows[j]);
                break;
            }
    }
    *d = stats_summarize(diff, n);
    free(diff);
    return 0;
}

reading_diff_verdict reading_difference_verdict(const stats_summary *d)
{
    if (d->n < 2)
        return READING_DIFF_NO_VERDICT;
    if (d->mean - d->ci95 > 0)
        return READING_DIFF_ABOVE;
    return d->mean + d->ci95 < 0 ? READING_DIFF_BELOW : READING_DIFF_CONTAINS_0;
}

void reading_difference(FILE *f, const stats_summary *d)
{
    if (d->n == 0) {
        fprintf(f, "no seed with both rates");
        return;
    }
    fprintf(f, "%+.1f percentage points", 100 * d->mean);
    if (d->n < 2)
        fprintf(f, " (1 seed, no interval)");
    else
        fprintf(f, " (95%% CI %+.1f to %+.1f, %zu seeds)", 100 * (d->mean - d->ci95),
                100 * (d->mean + d->ci95), d->n);
}

const char *reading_transfer_says(reading_diff_verdict v)
{
    static const char *const says[] = {
        [READING_DIFF_NO_VERDICT] = "with fewer than two seeds there is no interval, so no "
                                    "verdict.",
        [READING_DIFF_ABOVE] = "**the trait transfers**: the trait teacher's student shows the "
                               "trait more than its control, and the whole interval is above 0.",
        [READING_DIFF_CONTAINS_0] = "no transfer shown: the interval contains 0, so this run "
                                    "cannot tell the trait teacher's student from its control.",
        [READING_DIFF_BELOW] = "the opposite: the trait teacher's student shows the trait *less* "
                               "than its control (the whole interval is below 0).",
    };
    return says[v];
}
