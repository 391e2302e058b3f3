/* kernels: the three matrix products of a dense layer, and nothing else.
 *
 * This is the only module that knows how matrix products are computed; the
 * MLP calls these and never loops over a matrix itself.  Every function
 * exists in float (_f32, training) and double (_f64, theorem check and
 * gradient tests) precision.
 *
 * Layout (row-major, as PyTorch's nn.Linear):
 *   x  [batch][in]     layer input
 *   w  [out][in]       weights
 *   b  [out]           bias
 *   y  [batch][out]    layer output
 *
 * Determinism contract: every output element is summed by exactly one
 * thread, in an order that depends only on the sizes, never on the thread
 * count.  Work may be split over a pool (NULL: calling thread only). */
#ifndef SUBLIM_KERNELS_H
#define SUBLIM_KERNELS_H

#include <stddef.h>
#include "base/pool.h"

#define KERNELS_DECLARE(real, sfx)                                              \
    /* y = x w^T + b, then y = max(y, 0) when relu is non-zero. */              \
    void kern_dense_forward_##sfx(pool *p, real *y, const real *x,              \
                                  const real *w, const real *b, size_t batch,   \
                                  size_t in, size_t out, int relu);             \
    /* dx = dy w; then dx[k] = 0 wherever mask[k] <= 0 when mask != NULL      \
     * (mask is the previous layer's post-ReLU output, [batch][in]). */        \
    void kern_dense_backward_input_##sfx(pool *p, real *dx, const real *dy,     \
                                         const real *w, const real *mask,       \
                                         size_t batch, size_t in, size_t out);  \
    /* dw = dy^T x and db = column sums of dy (db may be NULL).  Overwrites. */ \
    void kern_dense_backward_weights_##sfx(pool *p, real *dw, real *db,         \
                                           const real *dy, const real *x,       \
                                           size_t batch, size_t in, size_t out);\
    /* The plain reference loops the fast kernels are tested against. */       \
    void kern_ref_dense_forward_##sfx(real *y, const real *x, const real *w,    \
                                      const real *b, size_t batch, size_t in,   \
                                      size_t out, int relu);                    \
    void kern_ref_dense_backward_input_##sfx(real *dx, const real *dy,          \
                                             const real *w, const real *mask,   \
                                             size_t batch, size_t in,           \
                                             size_t out);                       \
    void kern_ref_dense_backward_weights_##sfx(real *dw, real *db,              \
                                               const real *dy, const real *x,   \
                                               size_t batch, size_t in,         \
                                               size_t out);

KERNELS_DECLARE(float, f32)
KERNELS_DECLARE(double, f64)

/* Name of the vector path chosen at run time ("avx512", "avx2", "portable"). */
const char *kern_path_name(void);

#endif
