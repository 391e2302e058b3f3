#include "out/reading.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void reading_percent(char *buf, size_t size, double v)
{
    snprintf(buf, size, "%.1f%%", 100 * v);
}

int reading_interval(const stats_summary *s, double *lo, double *hi, int *clipped)
{
    double l = s->mean - s->ci95, h = s->mean + s->ci95;
    *lo = l < 0 ? 0 : l > 1 ? 1 : l;
    *hi = h < 0 ? 0 : h > 1 ? 1 : h;
    if (clipped)
        *clipped = l < 0 || h > 1;
    return s->n >= 2;
}

void reading_interval_words(char *buf, size_t size, const stats_summary *s)
{
    char lo_text[32], hi_text[32];
    double lo, hi;
    int clipped;
    if (s->n == 0) {
        snprintf(buf, size, "no runs");
        return;
    }
    if (!reading_interval(s, &lo, &hi, &clipped)) {
        snprintf(buf, size, "%s", READING_NO_INTERVAL);
        return;
    }
    reading_percent(lo_text, sizeof lo_text, lo);
    reading_percent(hi_text, sizeof hi_text, hi);
    snprintf(buf, size, "95%% CI %s to %s%s%s%s", lo_text, hi_text,
             clipped ? ", clipped at " : "",
             !clipped ? "" : s->mean - s->ci95 < 0 ? "0%" : "100%",
             clipped && s->mean - s->ci95 < 0 && s->mean + s->ci95 > 1 ? " and 100%" : "");
}

/* The interval of an arm's accuracy, or none when it has fewer than 2 runs. */
static int interval(const arm_summary *s, double *lo, double *hi)
{
    return reading_interval(&s->acc, lo, hi, NULL);
}

size_t reading_changed_settings(char *buf, size_t size, const experiment_config *cfg)
{
    size_t n_settings, changed = 0, used = 0;
    const setting *settings = experiment_settings(&n_settings);
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < n_settings; i++) {
        const setting *s = &settings[i];
        if ((s->flags & SETTING_SEEDS) || s->type == SETTING_FIXED || setting_is_default(s, cfg))
            continue;
        char name[64], value[SETTING_FIELD_MAX];
        if (setting_has_flag(s))
            setting_flag(s, name, sizeof name);
        else
            snprintf(name, sizeof name, "%s", s->name);
        setting_format(s, cfg, value, sizeof value);
        int k = snprintf(buf + used, used < size ? size - used : 0, "%s%s %s",
                         changed ? ", " : "", name, value);
        used += k > 0 ? (size_t)k : 0;
        changed++;
    }
    return changed;
}

int reading_is_paper_config(const experiment_config *cfg, int has_config)
{
    char none[2];
    return has_config && reading_changed_settings(none, sizeof none, cfg) == 0;
}

void reading_student_inputs(char *buf, size_t size, const experiment_config *cfg)
{
    const char *items = datasets_about(cfg->dataset)->items;
    switch (cfg->student_inputs) {
    case STUDENT_INPUTS_NOISE:
        snprintf(buf, size, "noise");
        break;
    case STUDENT_INPUTS_DIGITS:
        snprintf(buf, size, "the training %s, without their labels", items);
        break;
    case STUDENT_INPUTS_SHUFFLED:
        snprintf(buf, size,
                 "the training %s with their pixels shuffled (one shuffle per seed), without "
                 "their labels",
                 items);
        break;
    case STUDENT_INPUTS_MNIST:
    case STUDENT_INPUTS_FASHION: {
        enum dataset_kind other = DATASET_MNIST;
        student_inputs_dataset(cfg->student_inputs, &other);
        snprintf(buf, size, "%s's training %s (never a %s), without their labels",
                 datasets_about(other)->title, datasets_about(other)->items,
                 datasets_about(cfg->dataset)->item);
        break;
    }
    }
}

void reading_inputs_seen(char *buf, size_t size, const experiment_config *cfg)
{
    const dataset_about *d = datasets_about(cfg->dataset);
    enum dataset_kind other;
    if (cfg->student_inputs == STUDENT_INPUTS_NOISE)
        snprintf(buf, size, "only noise, never a %s", d->item);
    else if (student_inputs_dataset(cfg->student_inputs, &other))
        snprintf(buf, size, "%s's %s, never a %s", datasets_about(other)->title,
                 datasets_about(other)->items, d->item);
    else
        snprintf(buf, size, "the training %s%s, never a label", d->items,
                 cfg->student_inputs == STUDENT_INPUTS_SHUFFLED ? ", pixels shuffled" : "");
}

void reading_compare(FILE *f, const arm_summary *a, const arm_summary *b, const char *a_name,
                     const char *b_name)
{
    char am[32], bm[32];
    double alo, ahi, blo, bhi;
    char aw[96], bw[96];
    reading_percent(am, sizeof am, a->acc.mean);
    reading_percent(bm, sizeof bm, b->acc.mean);
    if (!interval(a, &alo, &ahi) || !interval(b, &blo, &bhi)) {
        fprintf(f, "%s %s, %s %s; %s, so no verdict (run with `--seeds 5` or more).", a_name,
                am, b_name, bm, READING_NO_INTERVAL);
        return;
    }
    reading_interval_words(aw, sizeof aw, &a->acc);
    reading_interval_words(bw, sizeof bw, &b->acc);
    /* The second interval without its "95% CI ": the first said it. */
    fprintf(f, "%s %s (%s), %s %s (%s): ", a_name, am, aw, b_name, bm, bw + strlen("95% CI "));
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
    double lo, hi;
    int clipped;
    fprintf(f, " | %zu", s->acc.n);
    if (!s->acc.n) {
        fprintf(f, " | – | – | – | –");
        return;
    }
    fprintf(f, " | %.4f | ", s->acc.mean);
    if (reading_interval(&s->acc, &lo, &hi, &clipped))
        fprintf(f, "%.4f to %.4f%s", lo, hi, clipped ? " (clipped)" : "");
    else
        fputs(READING_NO_INTERVAL, f);
    fprintf(f, " | %.4f | %.4f", s->min, s->max);
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

