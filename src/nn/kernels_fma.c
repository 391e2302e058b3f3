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

/* kern_fma_f32 and kern_fma_f64 */
#define PORT_TARGET __attribute__((target("fma")))
#define PORT_TABLE(sfx) kern_fma_##sfx
#include "nn/kernels_portable_path.h"

#else
typedef int kernels_fma_unused; /* ISO C: a translation unit is not empty */
#endif
