/* kernels_neon: the NEON path of the dense-layer products (arm64, where
 * NEON is part of the base instruction set), kernels_simd_impl.h in float
 * and double, and its tables.  vfmaq_* rounds once, like the x86 FMAs, so
 * this path gives the same bits as every other. */
#include "nn/kernels_ops.h"

#ifdef KERNELS_NEON
#include <arm_neon.h>

/* Register tile 8 rows x 3 vectors (8x12 floats, 8x6 doubles): 24 of the
 * 32 vector registers hold C; dy^T is copied panel by panel (pack_a), as
 * for AVX2's short k step. */
#define KS_TARGET
#define KS_MR 8
#define KS_NVMAX 3
#define KS_PACK_A 1

/* NEON has no masked loads or stores: a ragged last vector goes through a
 * small buffer (KS_MASK is the number of lanes kept). */
static inline float32x4_t neon_loadm_f32(const float *p, size_t lanes)
{
    float t[4] = {0};
    for (size_t i = 0; i < lanes; i++)
        t[i] = p[i];
    return vld1q_f32(t);
}

static inline void neon_storem_f32(float *p, size_t lanes, float32x4_t v)
{
    float t[4];
    vst1q_f32(t, v);
    for (size_t i = 0; i < lanes; i++)
        p[i] = t[i];
}

static inline float64x2_t neon_loadm_f64(const double *p, size_t lanes)
{
    double t[2] = {0};
    for (size_t i = 0; i < lanes; i++)
        t[i] = p[i];
    return vld1q_f64(t);
}

static inline void neon_storem_f64(double *p, size_t lanes, float64x2_t v)
{
    double t[2];
    vst1q_f64(t, v);
    for (size_t i = 0; i < lanes; i++)
        p[i] = t[i];
}

/* d[c][r] = s[r][c] for a 4 x 4 (float) or 2 x 2 (double) block, rows
 * r >= nrows read as zero.  Only the forward product's weight packing uses
 * it (once per task and K block), so plain C is enough. */
static inline void transpose_f32(float *d, size_t ldd, const float *s, size_t lds,
                                 size_t nrows)
{
    for (size_t c = 0; c < 4; c++)
        for (size_t r = 0; r < 4; r++)
            d[c * ldd + r] = r < nrows ? s[r * lds + c] : 0;
}

static inline void transpose_f64(double *d, size_t ldd, const double *s, size_t lds,
                                 size_t nrows)
{
    for (size_t c = 0; c < 2; c++)
        for (size_t r = 0; r < 2; r++)
            d[c * ldd + r] = r < nrows ? s[r * lds + c] : 0;
}

/* simd_dense_forward_f32, simd_dense_backward_input_f32,
 * simd_dense_backward_weights_f32 (static: gathered in kern_neon_f32 below) */
#define REAL float
#define SFX(name) name##_f32
#define KS_VEC float32x4_t
#define KS_VL 4
#define KS_MASK size_t
#define KS_TAILMASK(n) ((n) >= 4 ? (size_t)4 : (size_t)(n))
#define KS_ZERO() vdupq_n_f32(0)
#define KS_LOAD(p) vld1q_f32(p)
#define KS_LOADM(p, k) neon_loadm_f32(p, k)
#define KS_STORE(p, v) vst1q_f32(p, v)
#define KS_STOREM(p, k, v) neon_storem_f32(p, k, v)
#define KS_BCAST(p) vld1q_dup_f32(p)
#define KS_FMA(a, b, c) vfmaq_f32(c, a, b)
#define KS_ADD(a, b) vaddq_f32(a, b)
#define KS_KEEPGT0(v, t) \
    vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(v), vcgtq_f32(t, vdupq_n_f32(0))))
#include "nn/kernels_simd_impl.h"

/* simd_dense_forward_f64, simd_dense_backward_input_f64,
 * simd_dense_backward_weights_f64 (static: gathered in kern_neon_f64 below) */
#define REAL double
#define SFX(name) name##_f64
#define KS_VEC float64x2_t
#define KS_VL 2
#define KS_MASK size_t
#define KS_TAILMASK(n) ((n) >= 2 ? (size_t)2 : (size_t)(n))
#define KS_ZERO() vdupq_n_f64(0)
#define KS_LOAD(p) vld1q_f64(p)
#define KS_LOADM(p, k) neon_loadm_f64(p, k)
#define KS_STORE(p, v) vst1q_f64(p, v)
#define KS_STOREM(p, k, v) neon_storem_f64(p, k, v)
#define KS_BCAST(p) vld1q_dup_f64(p)
#define KS_FMA(a, b, c) vfmaq_f64(c, a, b)
#define KS_ADD(a, b) vaddq_f64(a, b)
#define KS_KEEPGT0(v, t) \
    vreinterpretq_f64_u64(vandq_u64(vreinterpretq_u64_f64(v), vcgtq_f64(t, vdupq_n_f64(0))))
#include "nn/kernels_simd_impl.h"

const kern_ops_f32 kern_neon_f32 = {
    .dense_forward = simd_dense_forward_f32,
    .dense_backward_input = simd_dense_backward_input_f32,
    .dense_backward_weights = simd_dense_backward_weights_f32,
};

const kern_ops_f64 kern_neon_f64 = {
    .dense_forward = simd_dense_forward_f64,
    .dense_backward_input = simd_dense_backward_input_f64,
    .dense_backward_weights = simd_dense_backward_weights_f64,
};

#else
typedef int kernels_neon_unused; /* ISO C: a translation unit is not empty */
#endif
