/* adam: the Adam optimizer (Kingma & Ba 2015) over a flat parameter arena,
 * step for step as PyTorch's torch.optim.Adam (no weight decay, no amsgrad). */
#ifndef SUBLIM_ADAM_H
#define SUBLIM_ADAM_H

#include <stddef.h>
#include "base/err.h"
#include "base/pool.h"

typedef struct {
    double lr, beta1, beta2, eps;
} adam_config;

typedef struct {
    adam_config cfg;
    size_t n;    /* numbers in the arena */
    long step;   /* steps taken so far */
    float *m;    /* first moment, [n], same layout as the parameters */
    float *v;    /* second moment, [n] */
} adam;

int adam_init(adam *a, size_t n, adam_config cfg, err *e);
void adam_free(adam *a);
/* Forget all history: moments to zero, step to 0 (a fresh optimizer). */
void adam_reset(adam *a);
/* params -= lr * mhat / (sqrt(vhat) + eps), after updating the moments. */
void adam_step(adam *a, pool *p, float *params, const float *grads);

#endif
