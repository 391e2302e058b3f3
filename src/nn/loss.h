/* loss: the training and imitation losses, on logits [batch][n_out].
 *
 * Each returns the mean loss over the batch (summed in double) and writes
 * dlogits = d(mean loss)/d logits, zero outside the outputs it uses.
 * Softmaxes subtract the maximum first, so logits of ±1000 are safe.
 *
 * Rows are computed on pool p when p has several threads and terms (room
 * for batch * n_out doubles) is given; else on the calling thread.  Either
 * way the loss terms are summed in row order: the same bits. */
#ifndef SUBLIM_LOSS_H
#define SUBLIM_LOSS_H

#include <stddef.h>
#include <stdint.h>
#include "base/pool.h"

/* A contiguous block of outputs [begin, end) that a loss looks at. */
typedef struct {
    size_t begin, end;
} loss_outputs;

#define LOSS_DECLARE(real, sfx)                                                  \
    /* out = log softmax(z) over n entries. */                                   \
    void loss_log_softmax_##sfx(real *out, const real *z, size_t n);             \
    /* Cross-entropy of softmax over outputs [0, n_classes) with labels. */      \
    double loss_ce_##sfx(pool *p, double *terms, real *dlogits,                  \
                         const real *logits, const uint8_t *labels,             \
                         size_t batch, size_t n_out, size_t n_classes);          \
    /* KL(softmax(teacher) || softmax(student)) over the selected outputs:       \
     * the paper's distillation loss at temperature 1. */                        \
    double loss_kl_##sfx(pool *p, double *terms, real *dlogits,                  \
                         const real *student, const real *teacher,              \
                         size_t batch, size_t n_out, loss_outputs sel);          \
    /* 1/2 * squared distance of the selected logits (Hessian = identity). */    \
    double loss_mse_##sfx(pool *p, double *terms, real *dlogits,                 \
                          const real *student, const real *teacher,             \
                          size_t batch, size_t n_out, loss_outputs sel);         \
    /* Number of rows whose argmax over [0, n_classes) equals the label. */      \
    size_t loss_correct_##sfx(const real *logits, const uint8_t *labels,          \
                              size_t batch, size_t n_out, size_t n_classes);

LOSS_DECLARE(float, f32)
LOSS_DECLARE(double, f64)

/* The largest number of outputs a softmax here may span. */
#define LOSS_MAX_OUTPUTS 1024

#endif
