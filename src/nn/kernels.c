/* kernels: run-time choice of the vector path, and the public products that
 * follow it.
 *
 * Paths (kernels_path.h): "portable" (plain C, kernels_portable.c), "fma"
 * (the same C built for x86 FMA, kernels_fma.c), "neon" (arm64,
 * kernels_neon.c), "avx2" (AVX2+FMA, kernels_avx2.c) and "avx512"
 * (AVX-512F/BW/DQ/VL, kernels_avx512.c); each offers its products as a
 * table (kernels_ops.h).  The best path the CPU supports is used;
 * SUBLIM_KERNELS names another (a path the CPU lacks falls back to the best
 * supported one below it).  The choice is recomputed on every call -- a
 * getenv and a cpuid-table lookup, negligible next to a matrix product --
 * so there is no cached global state.
 *
 * Every path computes each output as the same fused multiply-add chain, k
 * increasing, then bias and ReLU or mask, so results are a function of the
 * sizes alone: the same bits on every path, CPU and thread count (work is
 * split over outputs only). */
#include "nn/kernels.h"
#include "nn/kernels_path.h"
#include "nn/kernels_ops.h"

#include <stdlib.h>
#include <string.h>

/* ---- choosing a path ---- */

int kern_path_supported(enum kern_path path)
{
    switch (path) {
    case KERN_PATH_PORTABLE: return 1;
#ifdef KERNELS_X86
    case KERN_PATH_FMA:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx") && __builtin_cpu_supports("fma");
    case KERN_PATH_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case KERN_PATH_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
#ifdef KERNELS_NEON
    case KERN_PATH_NEON: return 1;
#endif
    default: return 0;
    }
}

/* The best supported path at or below `want` (the portable one at worst). */
static enum kern_path best_at_most(enum kern_path want)
{
    int q = (int)want;
    while (q > 0 && !kern_path_supported((enum kern_path)q))
        q--;
    return (enum kern_path)q;
}

enum kern_path kern_path_active(void)
{
    const char *want = getenv("SUBLIM_KERNELS");
    if (want)
        for (int q = 0; q < (int)KERN_PATH_COUNT; q++)
            if (strcmp(want, kern_path_str((enum kern_path)q)) == 0)
                return best_at_most((enum kern_path)q);
    return best_at_most((enum kern_path)(KERN_PATH_COUNT - 1));
}

const char *kern_path_str(enum kern_path path)
{
    switch (path) {
    case KERN_PATH_AVX512: return "avx512";
    case KERN_PATH_AVX2: return "avx2";
    case KERN_PATH_NEON: return "neon";
    case KERN_PATH_FMA: return "fma";
    default: return "portable";
    }
}

const char *kern_path_name(void) { return kern_path_str(kern_path_active()); }

/* ---- the products: each call goes to the active path's table ---- */

/* kern_dense_forward_f32, kern_dense_backward_input_f32,
 * kern_dense_backward_weights_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/kernels_dispatch_impl.h"

/* kern_dense_forward_f64, kern_dense_backward_input_f64,
 * kern_dense_backward_weights_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/kernels_dispatch_impl.h"
