/* kernels: run-time choice of the vector path, and the public products that
 * follow it.
 *
 * Paths, best first: "avx512" (AVX-512F/BW/DQ/VL, kernels_avx512.c), "avx2"
 * (AVX2+FMA, kernels_avx2.c) and "portable" (plain C, kernels_portable.c);
 * each offers its products as a table (kernels_ops.h).  The best path the CPU
 * supports is used; SUBLIM_KERNELS=portable|avx2|avx512 asks for another
 * (a path the CPU lacks falls back to the best one it has below it).  The
 * choice is recomputed on every call -- a getenv and a cpuid-table lookup,
 * negligible next to a matrix product -- so there is no cached global state.
 *
 * Results are a function of the sizes and the path only:
 *   portable     each sum is the reference loop's: a multiply then an add,
 *                k increasing (bit-identical to kern_ref_*);
 *   avx2/avx512  each sum is a fused multiply-add chain, k increasing (the
 *                two vector paths agree bit for bit).
 * Work is split over outputs only, so the thread count never matters. */
#include "nn/kernels.h"
#include "nn/kernels_path.h"
#include "nn/kernels_ops.h"

#include <stdlib.h>
#include <string.h>

/* ---- choosing a path ---- */

static enum kern_path best_supported(void)
{
#ifdef KERNELS_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return KERN_PATH_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return KERN_PATH_AVX2;
#endif
    return KERN_PATH_PORTABLE;
}

int kern_path_supported(enum kern_path path)
{
    return path <= best_supported();
}

enum kern_path kern_path_active(void)
{
    enum kern_path best = best_supported();
    const char *want = getenv("SUBLIM_KERNELS");
    if (!want)
        return best;
    for (int q = 0; q <= (int)KERN_PATH_AVX512; q++)
        if (strcmp(want, kern_path_str((enum kern_path)q)) == 0)
            return (enum kern_path)q < best ? (enum kern_path)q : best;
    return best;
}

const char *kern_path_str(enum kern_path path)
{
    switch (path) {
    case KERN_PATH_AVX512: return "avx512";
    case KERN_PATH_AVX2: return "avx2";
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
