/* kernels_fma: the portable path's plain C (kernels_portable_impl.h) built
 * for x86 CPUs with FMA, and its tables.
 *
 * The same source as kernels_portable.c, compiled with target("fma") so
 * that fmaf/fma become instructions the compiler can vectorize: the path of
 * x86 CPUs with FMA but no AVX2 (AMD Piledriver, 2012), and the honest
 * measure, on any FMA machine, of what a compiler makes of the portable
 * code on a CPU with vector FMA, such as an arm64 laptop. */
#include "nn/kernels_ops.h"

#ifdef KERNELS_X86

#define PORT_TARGET __attribute__((target("fma")))

/* port_dense_forward_f32, port_dense_backward_input_f32,
 * port_dense_backward_weights_f32 (static: kern_fma_f32 below) */
#define REAL float
#define SFX(name) name##_f32
#define PORT_FMA(a, b, c) fmaf(a, b, c)
#include "nn/kernels_portable_impl.h"

/* port_dense_forward_f64, port_dense_backward_input_f64,
 * port_dense_backward_weights_f64 (static: kern_fma_f64 below) */
#define REAL double
#define SFX(name) name##_f64
#define PORT_FMA(a, b, c) fma(a, b, c)
#include "nn/kernels_portable_impl.h"

const kern_ops_f32 kern_fma_f32 = {
    .dense_forward = port_dense_forward_f32,
    .dense_backward_input = port_dense_backward_input_f32,
    .dense_backward_weights = port_dense_backward_weights_f32,
};

const kern_ops_f64 kern_fma_f64 = {
    .dense_forward = port_dense_forward_f64,
    .dense_backward_input = port_dense_backward_input_f64,
    .dense_backward_weights = port_dense_backward_weights_f64,
};

#else
typedef int kernels_fma_unused; /* ISO C: a translation unit is not empty */
#endif
