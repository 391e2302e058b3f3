#include "nn/alignment.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sums of n numbers in ALIGN_LANES interleaved partial sums, added up in
 * lane order at the end: independent chains keep the adder busy, and the
 * order is fixed by the index alone. */
#define ALIGN_LANES 4

/* The lanes added up in lane order. */
static double lanes_total(const double *lane)
{
    double sum = 0;
    for (size_t j = 0; j < ALIGN_LANES; j++)
        sum += lane[j];
    return sum;
}

static align_sums lanes_sum(const double *dot, const double *aa, const double *bb)
{
    return (align_sums){lanes_total(dot), lanes_total(aa), lanes_total(bb)};
}

/* align_sums_<sfx> over type T: each layer's sums, its numbers in
 * ALIGN_LANES interleaved lanes, then the whole arena as the layers' sum
 * in layer order. */
#define ALIGN_SUMS(T, sfx)                                                               \
    static align_sums range_##sfx(const T *a1, const T *a0, const T *b1, const T *b0,    \
                                  size_t begin, size_t end)                              \
    {                                                                                    \
        double dot[ALIGN_LANES] = {0}, aa[ALIGN_LANES] = {0}, bb[ALIGN_LANES] = {0};     \
        size_t k = begin;                                                                \
        for (; k + ALIGN_LANES <= end; k += ALIGN_LANES)                                 \
            for (size_t j = 0; j < ALIGN_LANES; j++) {                                   \
                double a = (double)a1[k + j] - (double)a0[k + j];                        \
                double b = (double)b1[k + j] - (double)b0[k + j];                        \
                dot[j] += a * b;                                                         \
                aa[j] += a * a;                                                          \
                bb[j] += b * b;                                                          \
            }                                                                            \
        for (size_t j = 0; k < end; k++, j++) {                                          \
            double a = (double)a1[k] - (double)a0[k], b = (double)b1[k] - (double)b0[k]; \
            dot[j] += a * b;                                                             \
            aa[j] += a * a;                                                              \
            bb[j] += b * b;                                                              \
        }                                                                                \
        return lanes_sum(dot, aa, bb);                                                   \
    }                                                                                    \
    void align_sums_##sfx(const mlp_shape *s, const T *a1, const T *a0, const T *b1,     \
                          const T *b0, align_sums out[ALIGN_MAX_PARTS])                  \
    {                                                                                    \
        align_sums all = {0, 0, 0};                                                      \
        for (size_t l = 1; l <= s->n_layers; l++) {                                      \
            out[l] = range_##sfx(a1, a0, b1, b0, mlp_weight_offset(s, l),                \
                                 mlp_weight_offset(s, l + 1));                           \
            all.dot += out[l].dot;                                                       \
            all.aa += out[l].aa;                                                         \
            all.bb += out[l].bb;                                                         \
        }                                                                                \
        out[0] = all;                                                                    \
    }

ALIGN_SUMS(float, f32)
ALIGN_SUMS(double, f64)

double align_cos(align_sums s)
{
    if (!(s.aa > 0) || !(s.bb > 0))
        return NAN;
    return s.dot / (sqrt(s.aa) * sqrt(s.bb));
}

int align_tracker_init(align_tracker *t, const mlp_shape *s, err *e)
{
    memset(t, 0, sizeof *t);
    t->shape = *s;
    size_t n = mlp_n_params(s);
    t->prev = malloc((n ? n : 1) * sizeof *t->prev);
    if (!t->prev) {
        align_tracker_free(t);
        return err_set(e, "out of memory for the alignment of a student");
    }
    return 0;
}

void align_tracker_free(align_tracker *t)
{
    free(t->prev);
    memset(t, 0, sizeof *t);
}

size_t align_tracker_bytes(const mlp_shape *s)
{
    return mlp_n_params(s) * sizeof(float);
}

static void new_interval(align_tracker *t)
{
    memset(t->update_sum, 0, sizeof t->update_sum);
    memset(t->update_n, 0, sizeof t->update_n);
}

void align_move(double *move, const float *to, const float *from, size_t n)
{
    for (size_t k = 0; k < n; k++)
        move[k] = (double)to[k] - (double)from[k];
}

void align_tracker_start(align_tracker *t, const float *start, const double *move)
{
    const mlp_shape *shape = &t->shape;
    memcpy(t->prev, start, mlp_n_params(shape) * sizeof *start);
    t->start = start;
    t->move = move;
    /* |m|² per layer, in the lanes of every other sum here */
    t->move_norm2[0] = 0;
    for (size_t l = 1; l <= shape->n_layers; l++) {
        double mm[ALIGN_LANES] = {0};
        size_t begin = mlp_weight_offset(shape, l), end = mlp_weight_offset(shape, l + 1);
        for (size_t k = begin; k < end; k++)
            mm[(k - begin) % ALIGN_LANES] += move[k] * move[k];
        t->move_norm2[l] = lanes_total(mm);
        t->move_norm2[0] += t->move_norm2[l];
    }
    t->step = 0;
    new_interval(t);
}

/* Σ d·m and Σ d² over [begin, end), d = params - base and m the
 * teacher's move, in one pass over the numbers (the whole per-step cost
 * of the measurement); with keep, base (then the tracker's prev) becomes
 * params on the way: the step's start moves to its end.  keep is a
 * constant at each call, so each call's loop is compiled without the
 * test. */
static inline align_sums move_sums(const float *params, float *base, const double *move,
                                   double move_norm2, size_t begin, size_t end, int keep)
{
    double dot[ALIGN_LANES] = {0}, dd[ALIGN_LANES] = {0};
    size_t k = begin;
    for (; k + ALIGN_LANES <= end; k += ALIGN_LANES)
        for (size_t j = 0; j < ALIGN_LANES; j++) {
            double d = (double)params[k + j] - (double)base[k + j];
            if (keep)
                base[k + j] = params[k + j];
            dot[j] += d * move[k + j];
            dd[j] += d * d;
        }
    for (size_t j = 0; k < end; k++, j++) {
        double d = (double)params[k] - (double)base[k];
        if (keep)
            base[k] = params[k];
        dot[j] += d * move[k];
        dd[j] += d * d;
    }
    return (align_sums){lanes_total(dot), lanes_total(dd), move_norm2};
}

/* Per layer into s[1..L], their sum into s[0]: the step since prev
 * (which moves to params), or the displacement since start. */
static void move_parts(align_tracker *t, const float *params, int step,
                       align_sums s[ALIGN_MAX_PARTS])
{
    const mlp_shape *shape = &t->shape;
    s[0] = (align_sums){0, 0, t->move_norm2[0]};
    for (size_t l = 1; l <= shape->n_layers; l++) {
        size_t begin = mlp_weight_offset(shape, l), end = mlp_weight_offset(shape, l + 1);
        double m2 = t->move_norm2[l];
        /* start is only read: keep 0 never writes through the cast */
        s[l] = step ? move_sums(params, t->prev, t->move, m2, begin, end, 1)
                    : move_sums(params, (float *)t->start, t->move, m2, begin, end, 0);
        s[0].dot += s[l].dot;
        s[0].aa += s[l].aa;
    }
}

void align_tracker_step(align_tracker *t, const float *params)
{
    const mlp_shape *shape = &t->shape;
    align_sums s[ALIGN_MAX_PARTS];
    move_parts(t, params, 1, s);
    for (size_t p = 0; p < align_parts(shape); p++) {
        double c = align_cos(s[p]);
        if (!isnan(c)) {
            t->update_sum[p] += c;
            t->update_n[p]++;
        }
    }
    t->step++;
}

void align_tracker_point(align_tracker *t, const float *params, align_point *pt)
{
    align_sums s[ALIGN_MAX_PARTS];
    move_parts(t, params, 0, s);
    memset(pt, 0, sizeof *pt);
    pt->step = t->step;
    for (size_t p = 0; p < ALIGN_MAX_PARTS; p++) {
        int here = p < align_parts(&t->shape);
        /* At step 0 the student has not moved: no direction, no cosine. */
        pt->displacement[p] = here && t->step > 0 ? align_cos(s[p]) : NAN;
        pt->update[p] = here && t->update_n[p] ? t->update_sum[p] / (double)t->update_n[p]
                                               : NAN;
        pt->update_steps[p] = here ? t->update_n[p] : 0;
    }
    new_interval(t);
}
