/* theorem_out: the output of `sublim theorem` (run/theorem.h holds the
 * science).
 *
 * OUT/theorem.csv   one row per variant × ε (theorem_row), read back by
 *                   `sublim report`;
 * OUT/theorem.json  the configuration, the same rows, the K-step control's
 *                   cosine per step, every trial's numbers and how the run
 *                   went;
 * OUT/theorem.txt   the configuration as key=value lines (like config.txt),
 *                   for `sublim report` (a folder from before it was
 *                   written has none: its report says so);
 * and the table and its legend printed by the command.  Both files are
 * written atomically; numbers are exact (they read back as the same
 * double), NaN and infinities empty in CSV and null in JSON. */
#ifndef SUBLIM_THEOREM_OUT_H
#define SUBLIM_THEOREM_OUT_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"
#include "base/pool.h"
#include "nn/idx.h"
#include "out/folder.h"
#include "run/experiment.h"
#include "run/theorem.h"

#define THEOREM_CSV_HEADER                                                       \
    "variant,eps,trials,aligned_frac,cos_mean,ratio_mean,ratio_maxdev,"          \
    "loss_drop_frac,inner_mean,predicted_mean,cos_min,cos_max,relu_flips_mean,"  \
    "kinked_frac,ratio_maxdev_smooth"

/* The rows (theorem_summarize) to path as CSV. */
int theorem_out_write_csv(const char *path, const theorem_row *rows, size_t n_rows, err *e);
/* theorem.csv back into rows (*rows malloc'ed, *n_rows of them), columns
 * found by name: NaN where a cell is empty, has_prediction where the
 * ratio is there. */
int theorem_out_read_csv(const char *path, theorem_row **rows, size_t *n_rows, err *e);

/* theorem.txt: every setting of cfg (theorem_settings(), seeds and trials
 * included) as key=value lines, like config.txt; and back, checked like
 * its flag (an unknown key is an error; a missing one keeps its default). */
int theorem_out_write_config(const char *path, const theorem_config *cfg, err *e);
int theorem_out_read_config(const char *path, theorem_config *cfg, err *e);

/* Configuration, rows, per-step cosines of the K-step variant, per-trial
 * numbers, and how the run went (threads, kernels, wall time). */
int theorem_out_write_json(const char *path, const theorem_config *cfg,
                           const theorem_result *r, const theorem_row *rows,
                           size_t n_rows, size_t threads, const char *kernels,
                           double wall_seconds, err *e);

/* A theorem run: every trial's numbers, the summary rows, the time. */
typedef struct {
    theorem_result res;
    theorem_row *rows; /* [n_rows] */
    size_t n_rows;
    double wall_seconds;
} theorem_record;

/* Runs every trial of cfg on p (theorem_run), then puts theorem.csv,
 * theorem.json and theorem.txt into f in one step.  Free r with theorem_out_free, whatever the result. */
int theorem_out_record(const folder *f, const theorem_config *cfg, const dataset *train,
                       const dataset *heldout, pool *p, theorem_record *r, err *e);
void theorem_out_free(theorem_record *r);

/* The rows as a table, one block per variant. */
void theorem_out_print_table(FILE *f, const theorem_row *rows, size_t n_rows);

/* What the table's columns mean, after a blank line: printed under it. */
void theorem_out_print_legend(FILE *f);

/* The table's columns, for another format of it (report.md, report.html):
 * how many, column c's title, what it means (the legend; NULL: its title
 * says it), and row r's cell in column c as the table prints it. */
size_t theorem_out_columns(void);
const char *theorem_out_column_title(size_t c);
const char *theorem_out_column_meaning(size_t c);
void theorem_out_cell(char *buf, size_t size, const theorem_row *r, size_t c);

/* Where the theorem's network and imitation (t) differ from the
 * experiment's (x): "--width 32 (the experiment: 256), --loss mse (the
 * experiment: kl)" into buf.  Returns how many. */
size_t theorem_out_differences(char *buf, size_t size, const theorem_config *t,
                               const experiment_config *x);

#endif
