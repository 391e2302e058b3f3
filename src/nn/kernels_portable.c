/* kernels_portable: the portable path of the dense-layer products, plain C
 * for any C11 compiler (kernels_portable_impl.h in float and double), and
 * its tables kern_portable_f32 and kern_portable_f64. */
#include "nn/kernels_ops.h"

#define PORT_TARGET
#define PORT_TABLE(sfx) kern_portable_##sfx
#include "nn/kernels_portable_path.h"
