/* kernels_ref_impl: plain reference loops for the dense-layer products,
 * written once over REAL.  Sums run over the shared index in increasing
 * order, in the precision of REAL.
 *
 * kernels_ref.c includes this twice: REAL float with SFX(name) name##_f32,
 * then REAL double with SFX(name) name##_f64; each inclusion defines the
 * kern_ref_* functions kernels_decl.h declares and ends by undefining REAL
 * and SFX. */

/* ---- once, whatever the precision ---- */
#ifndef SUBLIM_KERNELS_REF_IMPL_ONCE
#define SUBLIM_KERNELS_REF_IMPL_ONCE
#include "nn/kernels.h"
#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX)
#error "nn/kernels_ref_impl.h: define REAL and SFX(name) first"
#endif

/* y[b][o] = b[o] + sum_i x[b][i] w[o][i]; relu clamps at 0. */
void SFX(kern_ref_dense_forward)(REAL *y, const REAL *x, const REAL *w, const REAL *bias,
                                 size_t batch, size_t in, size_t out, int relu)
{
    for (size_t r = 0; r < batch; r++) {
        for (size_t o = 0; o < out; o++) {
            REAL s = 0;
            for (size_t i = 0; i < in; i++)
                s += x[r * in + i] * w[o * in + i];
            s += bias ? bias[o] : 0;
            y[r * out + o] = (relu && !(s > 0)) ? 0 : s;
        }
    }
}

/* dx[b][i] = sum_o dy[b][o] w[o][i], zeroed where mask[b][i] <= 0. */
void SFX(kern_ref_dense_backward_input)(REAL *dx, const REAL *dy, const REAL *w,
                                        const REAL *mask, size_t batch, size_t in,
                                        size_t out)
{
    for (size_t r = 0; r < batch; r++) {
        for (size_t i = 0; i < in; i++) {
            REAL s = 0;
            for (size_t o = 0; o < out; o++)
                s += dy[r * out + o] * w[o * in + i];
            if (mask && !(mask[r * in + i] > 0))
                s = 0;
            dx[r * in + i] = s;
        }
    }
}

/* dw[o][i] = sum_b dy[b][o] x[b][i];  db[o] = sum_b dy[b][o]. */
void SFX(kern_ref_dense_backward_weights)(REAL *dw, REAL *db, const REAL *dy,
                                          const REAL *x, size_t batch, size_t in,
                                          size_t out)
{
    for (size_t o = 0; o < out; o++) {
        for (size_t i = 0; i < in; i++) {
            REAL s = 0;
            for (size_t r = 0; r < batch; r++)
                s += dy[r * out + o] * x[r * in + i];
            dw[o * in + i] = s;
        }
        if (db) {
            REAL s = 0;
            for (size_t r = 0; r < batch; r++)
                s += dy[r * out + o];
            db[o] = s;
        }
    }
}

#undef REAL
#undef SFX
