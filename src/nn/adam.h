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

/* PyTorch's defaults, which the paper's code keeps; sublim sets only lr. */
#define ADAM_BETA1 0.9
#define ADAM_BETA2 0.999
#define ADAM_EPS 1e-8
#define ADAM_STR_(x) #x
#define ADAM_STR(x) ADAM_STR_(x)
/* The optimizer as config.txt records it, spelled from the numbers above:
 * "adam(beta1=0.9, beta2=0.999, eps=1e-8)". */
#define ADAM_DESCRIPTION                                                   \
    "adam(beta1=" ADAM_STR(ADAM_BETA1) ", beta2=" ADAM_STR(ADAM_BETA2) \
    ", eps=" ADAM_STR(ADAM_EPS) ")"

/* Adam with learning rate lr and the defaults above. */
static inline adam_config adam_defaults(double lr)
{
    return (adam_config){lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS};
}

typedef struct {
    adam_config cfg;
    size_t n;    /* numbers in the arena */
    long step;   /* steps taken so far */
    float *m;    /* first moment, [n], same layout as the parameters */
    float *v;    /* second moment, [n] */
} adam;

int adam_init(adam *a, size_t n, adam_config cfg, err *e);
/* Bytes adam_init allocates for n numbers (both moments). */
size_t adam_bytes(size_t n);
void adam_free(adam *a);
/* Forget all history: moments to zero, step to 0 (a fresh optimizer). */
void adam_reset(adam *a);
/* params -= lr * mhat / (sqrt(vhat) + eps), after updating the moments. */
void adam_step(adam *a, pool *p, float *params, const float *grads);

#endif
