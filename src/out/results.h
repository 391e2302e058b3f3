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

/* Writes rows to path as CSV. */
int results_write_csv(const char *path, const arm_result *rows, size_t n_rows, err *e);
/* One row as results_write_csv writes it (the RESULTS_CSV_HEADER columns
 * and the line break), for files that quote the rows with more columns. */
void results_write_row(FILE *f, const arm_result *r);

/* Reads a results.csv written by results_write_csv; *rows is malloc'ed.
 * Refuses, naming the line, what results_write_csv would not write: a
 * malformed row, a test_acc other than test_correct/test_total, rows of
 * different test_total, a (seed, arm) twice. */
int results_read_csv(const char *path, arm_result **rows, size_t *n_rows, err *e);

/* Refuses rows (read from path) of an arm cfg does not run, and where a
 * seed lacks some of the arms cfg runs, naming
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
} arm_summary;

/* summaries[a] for every arm a of experiment_arms(): stats_summarize of
 * the accuracies of its successful rows, in row order. */
int results_summarize(const arm_result *rows, size_t n_rows, arm_summary *summaries, err *e);

/* Writes summary.json: configuration, n/mean/sd/ci95 of each arm cfg runs, and how the
 * run went (threads, kernel path, wall time). */
int results_write_summary(const char *path, const experiment_config *cfg,
                          const arm_summary *summaries, size_t threads,
                          const char *kernels, double wall_seconds, err *e);

/* The readable table of the arms cfg runs. */
void results_print_table(FILE *f, const experiment_config *cfg, const arm_summary *summaries);

#endif
