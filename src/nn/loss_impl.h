/* loss_impl: the losses, written once over REAL.
 *
 * loss.c includes this twice: REAL float with SFX(name) name##_f32, then
 * REAL double with SFX(name) name##_f64; each inclusion defines the
 * functions loss_decl.h declares and ends by undefining REAL and SFX.
 * Per-row work is in double: rows are short (13 logits) and double keeps
 * the float and double builds comparable; exp and log are detmath's, so
 * the losses are the same bits on every libm. */

/* ---- once, whatever the precision ---- */
#ifndef SUBLIM_LOSS_IMPL_ONCE
#define SUBLIM_LOSS_IMPL_ONCE

#include <string.h>
#include "base/detmath.h"
#include "nn/loss.h"

enum loss_kind { LOSS_CE, LOSS_KL, LOSS_MSE };

/* Rows per pool task: a row costs a few exp calls. */
#define LOSS_TASK_ROWS 64

#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX)
#error "nn/loss_impl.h: define REAL and SFX(name) first"
#endif

/* log softmax of z[0..n) in double, into out. */
static void SFX(log_softmax_d)(double *out, const REAL *z, size_t n)
{
    double m = z[0], sum = 0;
    for (size_t j = 1; j < n; j++)
        if (z[j] > m)
            m = z[j];
    for (size_t j = 0; j < n; j++)
        sum += detmath_exp((double)z[j] - m);
    double lse = m + detmath_log(sum);
    for (size_t j = 0; j < n; j++)
        out[j] = (double)z[j] - lse;
}

/* The same, rounded to REAL (n <= LOSS_MAX_OUTPUTS, as for every loss). */
void SFX(loss_log_softmax)(REAL *out, const REAL *z, size_t n)
{
    double d[LOSS_MAX_OUTPUTS];
    SFX(log_softmax_d)(d, z, n);
    for (size_t j = 0; j < n; j++)
        out[j] = (REAL)d[j];
}

/* One call of a loss: its operands and, for a parallel run, where each row
 * leaves its loss terms. */
typedef struct {
    enum loss_kind kind;
    REAL *dlogits;
    const REAL *z;       /* logits (CE) or the student's (KL, MSE) */
    const REAL *teacher; /* KL, MSE */
    const uint8_t *labels; /* CE */
    size_t batch, n_out;
    loss_outputs sel;    /* CE: [0, n_classes) */
    size_t per_row;      /* loss terms per row */
    double *terms;       /* [batch][per_row], parallel runs only */
} SFX(loss_job);

/* Row r of a loss: writes its gradient row and its loss terms, in the
 * order they are summed, to terms[0 .. j->per_row). */
static void SFX(loss_row)(const SFX(loss_job) *j, size_t r, double *terms)
{
    double ls[LOSS_MAX_OUTPUTS], lt[LOSS_MAX_OUTPUTS];
    size_t n = j->sel.end - j->sel.begin;
    const REAL *s = j->z + r * j->n_out + j->sel.begin;
    REAL *d = j->dlogits + r * j->n_out;
    for (size_t k = 0; k < j->n_out; k++)
        d[k] = 0;
    d += j->sel.begin;
    if (j->kind == LOSS_CE) {
        SFX(log_softmax_d)(ls, s, n);
        size_t label = j->labels[r];
        terms[0] = -ls[label];
        /* d CE / d z_k = softmax_k - [k = label], averaged over the batch. */
        for (size_t k = 0; k < n; k++)
            d[k] = (REAL)((detmath_exp(ls[k]) - (k == label)) / (double)j->batch);
        return;
    }
    const REAL *t = j->teacher + r * j->n_out + j->sel.begin;
    if (j->kind == LOSS_KL) {
        /* KL(p_T || p_S) = sum p_T (log p_T - log p_S); d/d s = p_S - p_T. */
        SFX(log_softmax_d)(ls, s, n);
        SFX(log_softmax_d)(lt, t, n);
        for (size_t k = 0; k < n; k++) {
            double pt = detmath_exp(lt[k]);
            terms[k] = pt * (lt[k] - ls[k]);
            d[k] = (REAL)((detmath_exp(ls[k]) - pt) / (double)j->batch);
        }
        return;
    }
    for (size_t k = 0; k < n; k++) {
        double diff = (double)s[k] - (double)t[k];
        terms[k] = 0.5 * diff * diff;
        d[k] = (REAL)(diff / (double)j->batch);
    }
}

static void SFX(loss_task)(void *ctx, size_t task)
{
    const SFX(loss_job) *j = ctx;
    for (size_t r = task * LOSS_TASK_ROWS; r < (task + 1) * LOSS_TASK_ROWS && r < j->batch; r++)
        SFX(loss_row)(j, r, j->terms + r * j->per_row);
}

/* Runs a loss and sums its terms in row order, whichever thread made them,
 * so the mean is the same bits on any number of threads. */
static double SFX(loss_run)(pool *p, double *terms, SFX(loss_job) *j)
{
    double total = 0;
    if (p && terms && pool_threads(p) > 1) {
        j->terms = terms;
        pool_run(p, SFX(loss_task), j, (j->batch + LOSS_TASK_ROWS - 1) / LOSS_TASK_ROWS);
        for (size_t k = 0; k < j->batch * j->per_row; k++)
            total += terms[k];
    } else {
        double row[LOSS_MAX_OUTPUTS];
        for (size_t r = 0; r < j->batch; r++) {
            SFX(loss_row)(j, r, row);
            for (size_t k = 0; k < j->per_row; k++)
                total += row[k];
        }
    }
    return total / (double)j->batch;
}

double SFX(loss_ce)(pool *p, double *terms, REAL *dlogits, const REAL *logits,
                    const uint8_t *labels, size_t batch, size_t n_out, size_t n_classes)
{
    SFX(loss_job) j = {LOSS_CE, dlogits, logits, NULL, labels, batch, n_out,
                       {0, n_classes}, 1, NULL};
    return SFX(loss_run)(p, terms, &j);
}

double SFX(loss_kl)(pool *p, double *terms, REAL *dlogits, const REAL *student,
                    const REAL *teacher, size_t batch, size_t n_out, loss_outputs sel)
{
    SFX(loss_job) j = {LOSS_KL, dlogits, student, teacher, NULL, batch, n_out,
                       sel, sel.end - sel.begin, NULL};
    return SFX(loss_run)(p, terms, &j);
}

double SFX(loss_mse)(pool *p, double *terms, REAL *dlogits, const REAL *student,
                     const REAL *teacher, size_t batch, size_t n_out, loss_outputs sel)
{
    SFX(loss_job) j = {LOSS_MSE, dlogits, student, teacher, NULL, batch, n_out,
                       sel, sel.end - sel.begin, NULL};
    return SFX(loss_run)(p, terms, &j);
}

size_t SFX(loss_argmax)(const REAL *z, size_t n_classes)
{
    size_t best = 0; /* first maximum wins, as torch.argmax */
    for (size_t j = 1; j < n_classes; j++)
        if (z[j] > z[best])
            best = j;
    return best;
}

size_t SFX(loss_correct)(const REAL *logits, const uint8_t *labels, size_t batch,
                         size_t n_out, size_t n_classes)
{
    size_t correct = 0;
    for (size_t r = 0; r < batch; r++)
        correct += SFX(loss_argmax)(logits + r * n_out, n_classes) == labels[r];
    return correct;
}

#undef REAL
#undef SFX
