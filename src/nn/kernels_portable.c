/* kernels_portable: the portable path of the dense-layer products, plain C
 * for any C11 compiler (kernels_portable_impl.h in float and double), and
 * its tables. */
#include "nn/kernels_ops.h"

#define PORT_TARGET

/* port_dense_forward_f32, port_dense_backward_input_f32,
 * port_dense_backward_weights_f32 (static: kern_portable_f32 below) */
#define REAL float
#define SFX(name) name##_f32
#define PORT_FMA(a, b, c) fmaf(a, b, c)
#include "nn/kernels_portable_impl.h"

/* port_dense_forward_f64, port_dense_backward_input_f64,
 * port_dense_backward_weights_f64 (static: kern_portable_f64 below) */
#define REAL double
#define SFX(name) name##_f64
#define PORT_FMA(a, b, c) fma(a, b, c)
#include "nn/kernels_portable_impl.h"

const kern_ops_f32 kern_portable_f32 = {
    .dense_forward = port_dense_forward_f32,
    .dense_backward_input = port_dense_backward_input_f32,
    .dense_backward_weights = port_dense_backward_weights_f32,
};

const kern_ops_f64 kern_portable_f64 = {
    .dense_forward = port_dense_forward_f64,
    .dense_backward_input = port_dense_backward_input_f64,
    .dense_backward_weights = port_dense_backward_weights_f64,
};
