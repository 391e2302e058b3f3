/* theorem_trial: one trial of the theorem check, in a worker's own
 * workspace.  The module's inside, for run/theorem.c (theorem_run) alone:
 * everything else uses run/theorem.h. */
#ifndef SUBLIM_THEOREM_TRIAL_H
#define SUBLIM_THEOREM_TRIAL_H

#include <stddef.h>
#include <stdint.h>
#include "base/err.h"
#include "base/pool.h"
#include "nn/idx.h"
#include "nn/mlp.h"
#include "run/theorem.h"

/* A vector's norm, taken scale-free for cosines (theorem_trial.c's
 * cosine): scale is the power of two that brings its largest entry into
 * [0.5, 1), norm the norm of the vector so scaled. */
typedef struct {
    double scale; /* 0: no cosine (the vector is zero, below DBL_MIN, or not finite) */
    double norm;
} scaled_norm;

/* Everything one worker needs, allocated before any trial runs; it runs
 * one trial at a time. */
typedef struct {
    mlp_ws_f64 ws0;   /* θ0 on the imitation inputs; kept for every same-init backward */
    mlp_ws_f64 wsx;   /* θ0' on the imitation inputs; kept for every cross-init backward */
    mlp_ws_f64 wsw;   /* work: Δθ_T, teacher forwards, held-out losses, K steps */
    /* arenas, [n_params] each */
    double *theta0, *theta0x, *dir, *theta_t, *grad, *d_same, *d_cross, *d_steps, *tmp;
    double *x;        /* imitation inputs [input_batch][pixels] */
    double *xt;       /* teacher digits [teacher_batch][pixels] */
    double *xh;       /* held-out digits [heldout][pixels] */
    uint8_t *yt, *yh; /* their labels */
    size_t *index;    /* [max batch] */
    double *tlog;     /* teacher logits on x [input_batch][n_out] */
    double *dlog;     /* d loss / d logits [max batch][n_out] */
    scaled_norm dir_norm; /* |Δθ_T| of the trial being run */
    int ready;
} theorem_trial_ws;

/* Allocates everything for cfg's batches and a network of this shape on
 * images of `pixels` pixels; p (may be NULL) runs the kernels. */
int theorem_trial_ws_init(theorem_trial_ws *s, const theorem_config *cfg,
                          const mlp_shape *shape, size_t pixels, pool *p, err *e);
void theorem_trial_ws_free(theorem_trial_ws *s);
/* Bytes theorem_trial_ws_init allocates (for the memory estimate). */
size_t theorem_trial_ws_bytes(const theorem_config *cfg, const mlp_shape *shape, size_t pixels);

/* Trial t (seed cfg->seed + t): its numbers at every ε into res.  They
 * depend on t alone, not on the workspace or what it ran before. */
void theorem_trial_run(theorem_trial_ws *s, const theorem_config *cfg, const dataset *train,
                       const dataset *heldout, theorem_result *res, size_t t);

#endif
