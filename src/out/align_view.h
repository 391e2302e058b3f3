/* align_view: alignment.csv's rows as the figure and the report read them:
 * per student arm, per epoch and per part, means over seeds of
 *   - the displacement cosine at the epoch's end, and
 *   - the mean cosine of the epoch's steps (every seed's steps pooled:
 *     each row's update_cos weighted by its update_steps). */
#ifndef SUBLIM_ALIGN_VIEW_H
#define SUBLIM_ALIGN_VIEW_H

#include <stddef.h>
#include "base/err.h"
#include "nn/alignment.h"
#include "out/align_csv.h"
#include "run/experiment.h"

enum align_measure { ALIGN_DISPLACEMENT, ALIGN_UPDATE, ALIGN_N_MEASURES };

typedef struct {
    size_t n_epochs;                   /* epochs 1..n_epochs */
    size_t n_parts;                    /* the most any row has */
    size_t seeds[EXPERIMENT_MAX_ARMS]; /* seeds with rows, per arm (0: not measured) */
    /* [measure][arm][epoch - 1][part]: mean over seeds; NaN where none,
     * and sd over seeds of the displacement at each epoch's end. */
    double *mean, *sd;
} align_view;

/* rows sorted (align_rows_sort). */
int align_view_make(const align_row *rows, size_t n, align_view *v, err *e);
void align_view_free(align_view *v);
double align_view_mean(const align_view *v, enum align_measure m, size_t arm, size_t epoch,
                       size_t part);
/* The sd over seeds of the displacement cosine at the end of epoch. */
double align_view_sd(const align_view *v, size_t arm, size_t epoch, size_t part);

#endif
