/* Interim kernels: the reference loops.  Replaced by tuned, threaded ones. */
#include "kernels.h"

#define FORWARD(real, sfx)                                                        \
    void kern_dense_forward_##sfx(pool *p, real *y, const real *x, const real *w, \
                                  const real *b, size_t batch, size_t in,         \
                                  size_t out, int relu)                           \
    {                                                                             \
        (void)p;                                                                  \
        kern_ref_dense_forward_##sfx(y, x, w, b, batch, in, out, relu);           \
    }                                                                             \
    void kern_dense_backward_input_##sfx(pool *p, real *dx, const real *dy,       \
                                         const real *w, const real *mask,         \
                                         size_t batch, size_t in, size_t out)     \
    {                                                                             \
        (void)p;                                                                  \
        kern_ref_dense_backward_input_##sfx(dx, dy, w, mask, batch, in, out);     \
    }                                                                             \
    void kern_dense_backward_weights_##sfx(pool *p, real *dw, real *db,           \
                                           const real *dy, const real *x,         \
                                           size_t batch, size_t in, size_t out)   \
    {                                                                             \
        (void)p;                                                                  \
        kern_ref_dense_backward_weights_##sfx(dw, db, dy, x, batch, in, out);     \
    }
FORWARD(float, f32)
FORWARD(double, f64)

const char *kern_path_name(void) { return "reference"; }
