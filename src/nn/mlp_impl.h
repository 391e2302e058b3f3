/* mlp_impl: the MLP's numerics, written once over REAL.
 *
 * mlp.c includes this twice: REAL float with SFX(name) name##_f32, then
 * REAL double with SFX(name) name##_f64.  Each inclusion defines the
 * functions mlp_decl.h declares, calling the kernels of its own precision,
 * and ends by undefining REAL and SFX. */

/* ---- once, whatever the precision ---- */
#ifndef SUBLIM_MLP_IMPL_ONCE
#define SUBLIM_MLP_IMPL_ONCE

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "nn/mlp.h"
#include "nn/kernels.h"
#include "base/rng.h"

/* n rounded up to a multiple of 16 numbers (64 bytes of float). */
static size_t mlp_align_up(size_t n) { return (n + 15) & ~(size_t)15; }

#endif

/* ---- per precision ---- */
#if !defined(REAL) || !defined(SFX)
#error "nn/mlp_impl.h: define REAL and SFX(name) first"
#endif

int SFX(mlp_ws_init)(SFX(mlp_ws) *ws, const mlp_shape *s, size_t max_batch, pool *p,
                     err *e)
{
    memset(ws, 0, sizeof *ws);
    ws->shape = *s;
    ws->max_batch = max_batch;
    ws->pool = p;
    size_t L = s->n_layers;
    size_t bytes = mlp_ws_numbers(s, max_batch) * sizeof(REAL);
    bytes = (bytes + 63) & ~(size_t)63;
    REAL *block = aligned_alloc(64, bytes ? bytes : 64);
    if (!block)
        return err_set(e, "out of memory for an MLP workspace (%zu bytes)", bytes);
    memset(block, 0, bytes);
    ws->block = block;
    for (size_t l = 1; l <= L; l++) {
        size_t n = mlp_align_up(max_batch * s->dims[l]);
        ws->act[l] = block; block += n;
        ws->grad[l] = block; block += n;
        ws->tan[l] = block; block += n;
    }
    ws->scratch = block;
    return 0;
}

void SFX(mlp_ws_free)(SFX(mlp_ws) *ws)
{
    free(ws->block);
    memset(ws, 0, sizeof *ws);
}

REAL *SFX(mlp_arena_new)(const mlp_shape *s)
{
    size_t bytes = (mlp_n_params(s) * sizeof(REAL) + 63) & ~(size_t)63;
    REAL *a = aligned_alloc(64, bytes);
    if (a)
        memset(a, 0, bytes);
    return a;
}

void SFX(mlp_init_params)(REAL *params, const mlp_shape *s, enum mlp_init kind,
                          uint64_t seed, uint32_t init_id)
{
    /* Each number is drawn in double at its own arena index, so the float
     * and double networks of one seed are the same network, rounded. */
    for (size_t l = 1; l <= s->n_layers; l++) {
        size_t fan_in = s->dims[l - 1], n_out = s->dims[l];
        double bound = 1.0 / sqrt((double)fan_in);
        size_t w0 = mlp_weight_offset(s, l), b0 = mlp_bias_offset(s, l);
        for (size_t k = w0; k < w0 + n_out * fan_in; k++)
            params[k] = (REAL)(kind == MLP_INIT_NORMAL
                                   ? bound * rng_normal(seed, RNG_INIT, init_id, k)
                                   : bound * (2 * rng_uniform(seed, RNG_INIT, init_id, k) - 1));
        for (size_t k = b0; k < b0 + n_out; k++)
            params[k] = (REAL)(kind == MLP_INIT_NORMAL
                                   ? 0.0
                                   : bound * (2 * rng_uniform(seed, RNG_INIT, init_id, k) - 1));
    }
}

int SFX(mlp_embed)(REAL *wide, const mlp_shape *ws, const REAL *src, const mlp_shape *ns,
                   err *e)
{
    size_t L = ns->n_layers;
    int fits = ws->n_layers == L && ws->dims[0] == ns->dims[0] && ws->dims[L] == ns->dims[L];
    for (size_t l = 1; fits && l < L; l++)
        fits = ws->dims[l] >= ns->dims[l];
    if (!fits)
        return err_set(e, "a network cannot be embedded in one of another depth, other "
                          "inputs or outputs, or narrower layers");
    for (size_t l = 1; l <= L; l++) {
        size_t rows = ns->dims[l], cols = ns->dims[l - 1], wide_cols = ws->dims[l - 1];
        REAL *w = wide + mlp_weight_offset(ws, l), *b = wide + mlp_bias_offset(ws, l);
        const REAL *sw = src + mlp_weight_offset(ns, l), *sb = src + mlp_bias_offset(ns, l);
        for (size_t i = 0; i < rows; i++) {
            memcpy(w + i * wide_cols, sw + i * cols, cols * sizeof *w);
            for (size_t j = cols; j < wide_cols; j++)
                w[i * wide_cols + j] = 0; /* the new units' outgoing weights */
            b[i] = sb[i];
        }
    }
    return 0;
}

const REAL *SFX(mlp_forward)(SFX(mlp_ws) *ws, const REAL *params, const REAL *x,
                             size_t batch)
{
    const mlp_shape *s = &ws->shape;
    size_t L = s->n_layers;
    const REAL *in = x;
    for (size_t l = 1; l <= L; l++) {
        SFX(kern_dense_forward)(ws->pool, ws->act[l], in, params + mlp_weight_offset(s, l),
                                params + mlp_bias_offset(s, l), batch, s->dims[l - 1],
                                s->dims[l], l < L);
        in = ws->act[l];
    }
    return ws->act[L];
}

void SFX(mlp_backward)(SFX(mlp_ws) *ws, const REAL *params, REAL *grads, const REAL *x,
                       const REAL *dlogits, size_t batch)
{
    const mlp_shape *s = &ws->shape;
    const REAL *g = dlogits; /* d loss / d (pre-activation of layer l) */
    for (size_t l = s->n_layers; l >= 1; l--) {
        const REAL *in = l > 1 ? ws->act[l - 1] : x;
        SFX(kern_dense_backward_weights)(ws->pool, grads + mlp_weight_offset(s, l),
                                         grads + mlp_bias_offset(s, l), g, in, batch,
                                         s->dims[l - 1], s->dims[l]);
        if (l == 1)
            break; /* the input gradient is never needed */
        /* ReLU'(z) = [act > 0], fused into the product. */
        SFX(kern_dense_backward_input)(ws->pool, ws->grad[l - 1], g,
                                       params + mlp_weight_offset(s, l), ws->act[l - 1],
                                       batch, s->dims[l - 1], s->dims[l]);
        g = ws->grad[l - 1];
    }
}

const REAL *SFX(mlp_jvp)(SFX(mlp_ws) *ws, const REAL *params, const REAL *dir,
                         const REAL *x, size_t batch)
{
    const mlp_shape *s = &ws->shape;
    size_t L = s->n_layers;
    SFX(mlp_forward)(ws, params, x, batch);
    /* z_l = W_l a_{l-1} + b_l  =>  dz_l = dW_l a_{l-1} + db_l + W_l da_{l-1};
     * a_l = relu(z_l)          =>  da_l = [a_l > 0] dz_l.  (da_0 = 0.) */
    for (size_t l = 1; l <= L; l++) {
        size_t n_in = s->dims[l - 1], n_out = s->dims[l];
        const REAL *in = l > 1 ? ws->act[l - 1] : x;
        REAL *t = ws->tan[l];
        SFX(kern_dense_forward)(ws->pool, t, in, dir + mlp_weight_offset(s, l),
                                dir + mlp_bias_offset(s, l), batch, n_in, n_out, 0);
        if (l > 1) {
            SFX(kern_dense_forward)(ws->pool, ws->scratch, ws->tan[l - 1],
                                    params + mlp_weight_offset(s, l), NULL, batch, n_in,
                                    n_out, 0);
            for (size_t k = 0; k < batch * n_out; k++)
                t[k] += ws->scratch[k];
        }
        if (l < L)
            for (size_t k = 0; k < batch * n_out; k++)
                if (!(ws->act[l][k] > 0))
                    t[k] = 0;
    }
    return ws->tan[L];
}

#undef REAL
#undef SFX
