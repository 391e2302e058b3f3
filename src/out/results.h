/* results: the experiment's output files and table.
 *
 * OUT/results.csv (one row per seed × arm) is the source of truth; the
 * summary and the table are derived from its rows alone.  Every file is
 * written atomically. */
#ifndef SUBLIM_RESULTS_H
#define SUBLIM_RESULTS_H

#include <stdio.h>
#include "base/err.h"
#include "run/experiment.h"
#include "base/stats.h"

#define RESULTS_CSV_HEADER "seed,arm,test_acc,test_correct,test_total,final_loss,status"
/* The columns after those when the rows carry trait counts (a run with
 * --trait; run/trait.h): the trait's triggers classified as its target
 * (rate, hits, total), and the test digits classified as the target (rate,
 * hits of test_total).  Rates have six decimals; a diverged row leaves
 * them empty. */
#define RESULTS_CSV_TRAIT_COLUMNS "trait_rate,trait_hits,trait_total,target_rate,target_hits"

/* 1 when some row carries trait counts: its file has the trait columns. */
int results_have_trait(const arm_result *rows, size_t n_rows);

/* Writes rows to path as CSV (with the trait columns when some row has
 * trait counts: results_have_trait). */
int results_write_csv(const char *path, const arm_result *rows, size_t n_rows, err *e);
/* One row as results_write_csv writes it (the RESULTS_CSV_HEADER columns,
 * then RESULTS_CSV_TRAIT_COLUMNS' when with_trait, and the line break),
 * for files that quote the rows with more columns. */
void results_write_row(FILE *f, const arm_result *r, int with_trait);

/* Reads a results.csv written by results_write_csv; *rows is malloc'ed.
 * Refuses, naming the line, what results_write_csv would not write: a
 * malformed row, a test_acc other than test_correct/test_total, rows of
 * different test_total, a (seed, arm) twice; with the trait columns, a
 * rate other than its hits over its total, more hits than cases, rows of
 * different trait_total, an ok row without counts. */
int results_read_csv(const char *path, arm_result **rows, size_t *n_rows, err *e);

/* Refuses rows (read from path) of an arm cfg does not run, ok rows with
 * trait counts when cfg has no trait or without them when it has one, and
 * where a seed lacks some of the arms cfg runs, naming
 * the line of its first row.  Statistics pair arms over the same seeds, so
 * report and merge need whole seeds; resume instead runs such a seed again
 * (it can, and a run writes seeds whole). */
int results_check_whole_seeds(const char *path, const experiment_config *cfg,
                              const arm_result *rows, size_t n_rows, err *e);

/* Per-arm summary over the successful rows. */
typedef struct {
    stats_summary acc;
    size_t failed;
    double min, max;
    /* Over its successful rows with trait counts (n = 0 without a trait):
     * the trait rate (hits/total; rows without triggers left out) and the
     * share of test digits classified as the trait's target. */
    stats_summary trait, target;
} arm_summary;

/* summaries[a] for every arm a of experiment_arms(): stats_summarize of
 * the accuracies of its successful rows, in row order (and of their trait
 * and target rates). */
int results_summarize(const arm_result *rows, size_t n_rows, arm_summary *summaries, err *e);

/* Writes summary.json: configuration, n/mean/sd/ci95 of each arm cfg runs (with a
 * trait, n/mean/ci95 of its trait_rate and target_rate too), and how the
 * run went (threads, kernel path, wall time). */
int results_write_summary(const char *path, const experiment_config *cfg,
                          const arm_summary *summaries, size_t threads,
                          const char *kernels, double wall_seconds, err *e);

/* The readable table of the arms cfg runs (with a trait, a column of the
 * trait rate's mean ± 95% CI). */
void results_print_table(FILE *f, const experiment_config *cfg, const arm_summary *summaries);

#endif
