/* align_csv: alignment.csv, the students' alignment with their teacher
 * through training (nn/alignment.h), one row per point and part:
 *   seed,arm,epoch,step,part,displacement_cos,update_cos,update_steps
 * epoch: the student epoch the step ends (0 at step 0); part: all, or
 * layer1 ... layerL; displacement_cos: cos(θ_S(t) - θ_S(0), θ_T - θ0);
 * update_cos: the mean over the update_steps steps since the row before of
 * cos(θ_S(s) - θ_S(s-1), θ_T - θ0).  An undefined cosine (step 0, or no
 * step that moved the part) is an empty cell.  Rows sorted by (seed, arm,
 * step, part). */
#ifndef SUBLIM_ALIGN_CSV_H
#define SUBLIM_ALIGN_CSV_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"

#define ALIGN_CSV_HEADER \
    "seed,arm,epoch,step,part,displacement_cos,update_cos,update_steps"

typedef struct {
    uint64_t seed;
    size_t arm;            /* index into experiment_arms() */
    size_t epoch, step;
    size_t part;           /* 0: the whole arena; l: layer l */
    double displacement;   /* NaN: undefined */
    double update;         /* NaN: undefined */
    size_t update_steps;
} align_row;

/* A growing list of rows. */
typedef struct {
    align_row *rows;
    size_t n, cap;
} align_rows;

int align_rows_add(align_rows *t, const align_row *r, err *e);
void align_rows_free(align_rows *t);
/* Sorts by (seed, arm, step, part), the order every writer uses. */
void align_rows_sort(align_row *rows, size_t n);
/* Drops the rows whose seed is not among seeds[0..n_seeds) (sorted): a
 * seed whose results were never saved. */
void align_rows_keep_seeds(align_row *rows, size_t *n, const uint64_t *seeds, size_t n_seeds);

int align_csv_write(const char *path, const align_row *rows, size_t n, err *e);
/* t gets the file's rows (t->rows is never NULL on success). */
int align_csv_read(const char *path, align_rows *t, err *e);

#endif
