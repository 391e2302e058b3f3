/* kernels_portable_path: one path of the portable kernels, both precisions
 * of kernels_portable_impl.h and the path's two tables.
 *
 * Included once by kernels_portable.c and once by kernels_fma.c, which
 * define first PORT_TARGET (the function attribute of the build) and
 * PORT_TABLE(sfx), the name of the path's table for a precision. */
#if !defined(PORT_TARGET) || !defined(PORT_TABLE)
#error "nn/kernels_portable_path.h: define PORT_TARGET and PORT_TABLE(sfx) first"
#endif

/* port_dense_forward_f32, port_dense_backward_input_f32,
 * port_dense_backward_weights_f32 (static: gathered in the table below) */
#define REAL float
#define SFX(name) name##_f32
#define PORT_FMA(a, b, c) fmaf(a, b, c)
#include "nn/kernels_portable_impl.h"

/* port_dense_forward_f64, port_dense_backward_input_f64,
 * port_dense_backward_weights_f64 (static: gathered in the table below) */
#define REAL double
#define SFX(name) name##_f64
#define PORT_FMA(a, b, c) fma(a, b, c)
#include "nn/kernels_portable_impl.h"

const kern_ops_f32 PORT_TABLE(f32) = {
    .dense_forward = port_dense_forward_f32,
    .dense_backward_input = port_dense_backward_input_f32,
    .dense_backward_weights = port_dense_backward_weights_f32,
};

const kern_ops_f64 PORT_TABLE(f64) = {
    .dense_forward = port_dense_forward_f64,
    .dense_backward_input = port_dense_backward_input_f64,
    .dense_backward_weights = port_dense_backward_weights_f64,
};
