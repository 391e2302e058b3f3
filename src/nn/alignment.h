/* alignment: how far a student's training points the way its teacher's did.
 *
 * Two displacements in parameter space, a = a1 - a0 and b = b1 - b0, are
 * compared by their cosine, over the whole arena and over each layer
 * (a layer: its W_l and b_l, mlp.h's arena order).  Every difference and
 * sum is taken in double, one layer after another, in a fixed order, so
 * the numbers never depend on threads or on the vector unit.
 *
 * A tracker follows one student through training (Kitkana & Arora 2026
 * measure the same on this MNIST setup): after every optimizer step, the
 * cosine of that step's update θ(t) - θ(t-1) with the teacher's
 * displacement θ_T - θ0; at points the caller picks (epoch ends, every K
 * steps), the cosine of the student's whole displacement θ(t) - θ(0) with
 * it, and the mean of the step cosines since the last point. */
#ifndef SUBLIM_ALIGNMENT_H
#define SUBLIM_ALIGNMENT_H

#include <stddef.h>
#include "base/err.h"
#include "nn/mlp.h"

/* Part 0 is the whole arena, part l (1..L) layer l. */
#define ALIGN_MAX_PARTS (MLP_MAX_LAYERS + 1)

static inline size_t align_parts(const mlp_shape *s) { return s->n_layers + 1; }

/* Σ a·b, Σ a², Σ b² over one part. */
typedef struct {
    double dot, aa, bb;
} align_sums;

/* out[part] for part < align_parts(s). */
void align_sums_f32(const mlp_shape *s, const float *a1, const float *a0, const float *b1,
                    const float *b0, align_sums out[ALIGN_MAX_PARTS]);
void align_sums_f64(const mlp_shape *s, const double *a1, const double *a0,
                    const double *b1, const double *b0, align_sums out[ALIGN_MAX_PARTS]);

/* dot / (|a| |b|); NaN when either is zero (a cosine with nothing is
 * undefined, never 0). */
double align_cos(align_sums s);

/* What a tracker reports at one point of training. */
typedef struct {
    size_t step;                           /* optimizer steps taken */
    double displacement[ALIGN_MAX_PARTS];  /* cos(θ(t) - θ(0), θ_T - θ0); NaN at step 0 */
    double update[ALIGN_MAX_PARTS];        /* mean cos(θ(s) - θ(s-1), θ_T - θ0) over the
                                              steps since the last point; NaN: none */
    size_t update_steps[ALIGN_MAX_PARTS];  /* steps in that mean (a step that moved a
                                              part not at all has no cosine there) */
} align_point;

/* move[k] = to[k] - from[k] for k < n, exact in double: a teacher's move
 * θ_T - θ0, the direction every tracker of its students reads. */
void align_move(double *move, const float *to, const float *from, size_t n);

typedef struct {
    mlp_shape shape;
    float *prev;                        /* owned: θ(t-1) */
    const float *start;                 /* borrowed: θ(0) */
    const double *move;                 /* borrowed: θ_T - θ0 (align_move) */
    double move_norm2[ALIGN_MAX_PARTS]; /* |θ_T - θ0|² per part */
    size_t step;
    double update_sum[ALIGN_MAX_PARTS]; /* since the last point */
    size_t update_n[ALIGN_MAX_PARTS];
} align_tracker;

int align_tracker_init(align_tracker *t, const mlp_shape *s, err *e);
void align_tracker_free(align_tracker *t);
/* Bytes align_tracker_init allocates. */
size_t align_tracker_bytes(const mlp_shape *s);
/* A student about to train from start (its parameters now, which must
 * stay as they are: they are read at every point) toward its teacher's
 * move (align_move; also read until the next start). */
void align_tracker_start(align_tracker *t, const float *start, const double *move);
/* After each optimizer step. */
void align_tracker_step(align_tracker *t, const float *params);
/* The point at the current step; starts a new interval. */
void align_tracker_point(align_tracker *t, const float *params, align_point *p);

#endif
