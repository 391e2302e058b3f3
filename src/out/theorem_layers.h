/* theorem_layers: theorem_layers.csv, written by `sublim theorem` beside
 * theorem.csv: the cosine of the student's move with the teacher's,
 * Δθ_S · Δθ_T / (|Δθ_S| |Δθ_T|), over the whole network and over each
 * layer alone, mean over trials, per variant and ε:
 *   variant,eps,part,cos_mean
 * part: all, or layer1 ... layerL (alignment.csv's names), so the one-step
 * theorem, its K-step control and the experiment's students read side by
 * side.  An undefined mean is an empty cell. */
#ifndef SUBLIM_THEOREM_LAYERS_H
#define SUBLIM_THEOREM_LAYERS_H

#include <stddef.h>
#include <stdio.h>
#include "base/err.h"
#include "nn/alignment.h"
#include "run/theorem.h"

#define THEOREM_LAYERS_CSV_HEADER "variant,eps,part,cos_mean"

/* One variant at one ε: its cosines, part 0 the whole network. */
typedef struct {
    char variant[32];
    double eps;
    size_t n_parts;
    double cos_mean[ALIGN_MAX_PARTS]; /* NaN: undefined */
} theorem_layers_row;

int theorem_layers_write(const char *path, const theorem_row *rows, size_t n_rows, err *e);
/* *rows malloc'ed (never NULL on success), in the file's order. */
int theorem_layers_read(const char *path, theorem_layers_row **rows, size_t *n_rows, err *e);
/* The cosines per layer as a small table under `sublim theorem`'s. */
void theorem_layers_print(FILE *f, const theorem_row *rows, size_t n_rows);

#endif
