/* kernels_ref: the float and double builds of the reference loops
 * (kernels_ref_impl.h). */

/* kern_ref_dense_forward_f32, kern_ref_dense_backward_input_f32,
 * kern_ref_dense_backward_weights_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/kernels_ref_impl.h"

/* kern_ref_dense_forward_f64, kern_ref_dense_backward_input_f64,
 * kern_ref_dense_backward_weights_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/kernels_ref_impl.h"
