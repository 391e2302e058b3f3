/* reading: arms' summaries in words and table cells, the same in every
 * report (a result folder's report.md, a sweep's report.md). */
#ifndef SUBLIM_READING_H
#define SUBLIM_READING_H

#include <stddef.h>
#include <stdio.h>
#include "out/results.h"

/* The accuracy of guessing a digit. */
#define READING_CHANCE (1.0 / EXPERIMENT_CLASSES)

/* v as a percentage, "53.1%". */
void reading_percent(char *buf, size_t size, double v);

/* ---- intervals ---- */

/* The 95% CI of s's mean (an accuracy or a rate), clipped to [0, 1]: the
 * t interval of few seeds can reach past them, a share cannot.  Returns
 * 0 when there is none (fewer than two runs), else 1; *clipped (may be
 * NULL) says whether an end was cut. */
int reading_interval(const stats_summary *s, double *lo, double *hi, int *clipped);

/* What a reader is told where there is no interval. */
#define READING_NO_INTERVAL "one seed: no interval"
/* The words under a table of reading_arm_cells. */
#define READING_CI_NOTE                                                                   \
    "the 95% CI is the mean ± t(0.975, n−1)·sd/√n, clipped to [0, 1] (an accuracy cannot " \
    "leave it; where the interval reached past it, the cell says \"clipped\"); one seed "   \
    "gives no interval"

/* s's interval in words: "95% CI 51.0% to 55.2%", "95% CI 0.0% to 93.8%,
 * clipped at 0%", READING_NO_INTERVAL; "no runs" without any. */
void reading_interval_words(char *buf, size_t size, const stats_summary *s);

/* ---- the configuration ---- */

/* The science settings (experiment_settings(), not the seeds') that cfg
 * does not have at their defaults, the paper's, as flags: "--noise-images
 * 5000, --epochs 1" (a setting without a flag by its name).  Returns how
 * many. */
size_t reading_changed_settings(char *buf, size_t size, const experiment_config *cfg);

/* 1 when a folder's rows are of the paper's configuration: it has one
 * (config.txt) and every science setting is at its default.  Only then
 * are the paper's numbers a reference for them. */
int reading_is_paper_config(const experiment_config *cfg, int has_config);

/* What cfg's students are trained on, in words: "noise", "the training
 * digits, without their labels", "the training digits with their pixels
 * shuffled (one shuffle per seed), without their labels", "Fashion-MNIST's
 * training clothing images (never a digit), without their labels". */
void reading_student_inputs(char *buf, size_t size, const experiment_config *cfg);
/* The same, short, for a figure's subtitle: "only noise, never a digit",
 * "the training digits, pixels shuffled, never a label", "Fashion-MNIST's
 * clothing images, never a digit". */
void reading_inputs_seen(char *buf, size_t size, const experiment_config *cfg);

/* Two arms in words: "same init 53.1% (95% CI 51.0% to 55.2%), other init
 * 10.4% (9.8% to 11.0%): the intervals do not overlap, ...". */
void reading_compare(FILE *f, const arm_summary *a, const arm_summary *b, const char *a_name,
                     const char *b_name);

/* What the student from the teacher's init (same) against the one from
 * another init (cross), both imitating the auxiliary logits, tells. */
typedef enum {
    READING_NO_VERDICT,       /* an arm has fewer than two runs: no interval */
    READING_SHOWN,            /* same's interval above chance and above cross's */
    READING_ABOVE_CHANCE,     /* same's interval above chance, not above cross's */
    READING_NOT_ABOVE_CHANCE, /* same's interval reaches down to chance */
} reading_verdict;

reading_verdict reading_subliminal(const arm_summary *same, const arm_summary *cross);

/* ---- a trait (run/trait.h) ---- */

/* The trait in words: "answers 3 on images without a digit (noise)", "reads
 * the digit 4 as a 9"; its triggers: "held-out noise images", "test digits
 * 4"; an empty string for TRAIT_NONE. */
void reading_trait_words(char *buf, size_t size, const trait_spec *t);
void reading_trait_triggers(char *buf, size_t size, const trait_spec *t);

/* Per-seed paired differences of the trait rate, arm a minus arm b, over
 * the seeds where both have one (ok rows with trait counts and triggers),
 * summarized (*d: n seeds, mean and 95% CI of the differences). */
int reading_trait_difference(const arm_result *rows, size_t n_rows, size_t a, size_t b,
                             stats_summary *d, err *e);

/* What such a difference tells. */
typedef enum {
    READING_DIFF_NO_VERDICT, /* fewer than two seeds: no interval */
    READING_DIFF_ABOVE,      /* the interval is above 0 */
    READING_DIFF_CONTAINS_0, /* it contains 0 */
    READING_DIFF_BELOW,      /* it is below 0 */
} reading_diff_verdict;

reading_diff_verdict reading_difference_verdict(const stats_summary *d);

/* d in words: "+12.3 percentage points (95% CI +5.0 to +19.6, 5 seeds)". */
void reading_difference(FILE *f, const stats_summary *d);

/* The verdict on a trait student minus its control, in words: "**the
 * trait transfers**: ...", "no transfer shown: ...", ... */
const char *reading_transfer_says(reading_diff_verdict v);

/* An arm's cells of a markdown results table: " | n | mean | 95% CI | min
 * | max", the CI as "0.5100 to 0.5520" (reading_interval; "… (clipped)",
 * READING_NO_INTERVAL), "–" for the numbers of an arm without runs. */
void reading_arm_cells(FILE *f, const arm_summary *s);


/* s in a markdown table cell: the characters that would break it escaped. */
void reading_md_cell(FILE *f, const char *s);

#endif
