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

/* Both precisions' declarations (kernels_decl.h), saving any REAL/SFX an
 * includer is in the middle of (an *_impl.h that includes this header). */
#pragma push_macro("REAL")
#pragma push_macro("SFX")
#undef REAL
#undef SFX

/* kern_dense_forward_f32, kern_dense_backward_input_f32,
 * kern_dense_backward_weights_f32, kern_ref_dense_forward_f32,
 * kern_ref_dense_backward_input_f32, kern_ref_dense_backward_weights_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/kernels_decl.h"

/* kern_dense_forward_f64, kern_dense_backward_input_f64,
 * kern_dense_backward_weights_f64, kern_ref_dense_forward_f64,
 * kern_ref_dense_backward_input_f64, kern_ref_dense_backward_weights_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/kernels_decl.h"

#pragma pop_macro("REAL")
#pragma pop_macro("SFX")

/* Name of the kernel path chosen at run time (kern_path_str in kernels_path.h). */
const char *kern_path_name(void);

#endif
