/* kernels_portable_impl: the portable path of the dense-layer products,
 * written once over REAL in plain C.
 *
 * Tasks are blocks of output rows.  Every sum runs k = 0, 1, ... from 0 in
 * plain multiply and add, exactly as the reference loops (kern_ref_*), so
 * this path's results are the reference's, bit for bit.
 *
 * kernels_portable.c includes this twice: REAL float with SFX(name)
 * name##_f32, then REAL double with SFX(name) name##_f64.  Each inclusion
 * defines static functions only: SFX(port_dense_forward),
 * SFX(port_dense_backward_input) and SFX(port_dense_backward_weights),
 * gathered in the kern_portable_* tables; it ends by undefining REAL and
 * SFX. */

/* ---- once, whatever the precision ---- */
#ifndef SUBLIM_KERNELS_PORTABLE_IMPL_ONCE
#define SUBLIM_KERNELS_PORTABLE_IMPL_ONCE

#include <stddef.h>
#include "base/pool.h"

#define PORT_ROWS 16 /* output rows per task */
#define PORT_WROWS 4 /* backward_weights: rows of dw per task (kept in L1) */

#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX)
#error "nn/kernels_portable_impl.h: define REAL and SFX(name) first"
#endif

typedef struct {
    REAL *c, *db;
    const REAL *x, *w, *b, *dy, *mask;
    size_t batch, in, out;
    int relu;
} SFX(port_job);

/* y[r][o] = x[r] . w[o] + b[o]: both rows contiguous.  Four outputs at
 * a time share the loads of x[r] and keep four chains in flight; each
 * chain is still its own sum in increasing i. */
static void SFX(port_forward_task)(void *ctx, size_t t)
{
    const SFX(port_job) *j = ctx;
    size_t r1 = (t + 1) * PORT_ROWS < j->batch ? (t + 1) * PORT_ROWS : j->batch;
    size_t in = j->in;
    for (size_t r = t * PORT_ROWS; r < r1; r++) {
        const REAL *xr = j->x + r * in;
        REAL *yr = j->c + r * j->out;
        size_t o = 0;
        for (; o + 4 <= j->out; o += 4) {
            const REAL *w0 = j->w + o * in, *w1 = w0 + in, *w2 = w1 + in,
                       *w3 = w2 + in;
            REAL s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (size_t i = 0; i < in; i++) {
                s0 += xr[i] * w0[i];
                s1 += xr[i] * w1[i];
                s2 += xr[i] * w2[i];
                s3 += xr[i] * w3[i];
            }
            yr[o] = s0;
            yr[o + 1] = s1;
            yr[o + 2] = s2;
            yr[o + 3] = s3;
        }
        for (; o < j->out; o++) {
            const REAL *wo = j->w + o * in;
            REAL s = 0;
            for (size_t i = 0; i < in; i++)
                s += xr[i] * wo[i];
            yr[o] = s;
        }
        for (o = 0; o < j->out; o++) {
            REAL s = yr[o] + (j->b ? j->b[o] : 0);
            yr[o] = (j->relu && !(s > 0)) ? 0 : s;
        }
    }
}

/* dx[r][:] = sum_o dy[r][o] w[o][:], accumulated row by row. */
static void SFX(port_backward_input_task)(void *ctx, size_t t)
{
    const SFX(port_job) *j = ctx;
    size_t r1 = (t + 1) * PORT_ROWS < j->batch ? (t + 1) * PORT_ROWS : j->batch;
    for (size_t r = t * PORT_ROWS; r < r1; r++) {
        REAL *dxr = j->c + r * j->in;
        for (size_t i = 0; i < j->in; i++)
            dxr[i] = 0;
        for (size_t o = 0; o < j->out; o++) {
            REAL g = j->dy[r * j->out + o];
            const REAL *wo = j->w + o * j->in;
            for (size_t i = 0; i < j->in; i++)
                dxr[i] += g * wo[i];
        }
        if (j->mask)
            for (size_t i = 0; i < j->in; i++)
                if (!(j->mask[r * j->in + i] > 0))
                    dxr[i] = 0;
    }
}

/* dw[o][:] = sum_r dy[r][o] x[r][:] for a block of o. */
static void SFX(port_backward_weights_task)(void *ctx, size_t t)
{
    const SFX(port_job) *j = ctx;
    size_t o0 = t * PORT_WROWS;
    size_t o1 = o0 + PORT_WROWS < j->out ? o0 + PORT_WROWS : j->out;
    for (size_t o = o0; o < o1; o++) {
        for (size_t i = 0; i < j->in; i++)
            j->c[o * j->in + i] = 0;
        if (j->db)
            j->db[o] = 0;
    }
    for (size_t r = 0; r < j->batch; r++) {
        const REAL *xr = j->x + r * j->in;
        for (size_t o = o0; o < o1; o++) {
            REAL g = j->dy[r * j->out + o];
            REAL *dwo = j->c + o * j->in;
            for (size_t i = 0; i < j->in; i++)
                dwo[i] += g * xr[i];
            if (j->db)
                j->db[o] += g;
        }
    }
}

static void SFX(port_dense_forward)(pool *p, REAL *y, const REAL *x, const REAL *w,
                                   const REAL *b, size_t batch, size_t in, size_t out,
                                   int relu)
{
    SFX(port_job) j = {.c = y, .x = x, .w = w, .b = b, .batch = batch,
                       .in = in, .out = out, .relu = relu};
    pool_run(p, SFX(port_forward_task), &j, (batch + PORT_ROWS - 1) / PORT_ROWS);
}

static void SFX(port_dense_backward_input)(pool *p, REAL *dx, const REAL *dy,
                                           const REAL *w, const REAL *mask, size_t batch,
                                           size_t in, size_t out)
{
    SFX(port_job) j = {.c = dx, .dy = dy, .w = w, .mask = mask,
                       .batch = batch, .in = in, .out = out};
    pool_run(p, SFX(port_backward_input_task), &j, (batch + PORT_ROWS - 1) / PORT_ROWS);
}

static void SFX(port_dense_backward_weights)(pool *p, REAL *dw, REAL *db, const REAL *dy,
                                             const REAL *x, size_t batch, size_t in,
                                             size_t out)
{
    SFX(port_job) j = {.c = dw, .db = db, .dy = dy, .x = x, .batch = batch,
                       .in = in, .out = out};
    pool_run(p, SFX(port_backward_weights_task), &j, (out + PORT_WROWS - 1) / PORT_WROWS);
}

#undef REAL
#undef SFX
