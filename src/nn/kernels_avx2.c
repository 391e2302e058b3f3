/* kernels_avx2: the AVX2+FMA path of the dense-layer products,
 * kernels_simd_impl.h in float and double, and its tables.  Each function
 * carries its own target attribute, so this file builds without -march and
 * runs only where kernels.c chose it. */
#include "nn/kernels_ops.h"

#ifdef KERNELS_X86
#include <immintrin.h>

/* Register tile 6 rows x 2 vectors (6x16 floats, 6x8 doubles); dy^T is
 * copied panel by panel (pack_a), which pays off for AVX2's short k step. */
#define KS_TARGET __attribute__((target("avx2,fma")))
#define KS_MR 6
#define KS_NVMAX 2
#define KS_PACK_A 1

/* Lane masks for maskload/maskstore: a window of 8 (or 4) lanes. */
static const int avx2_mask32[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                    0,  0,  0,  0,  0,  0,  0,  0};
static const long long avx2_mask64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};

/* 8 x 8 floats: unpack pairs, then quads, then swap 128-bit halves. */
KS_TARGET static inline void transpose_f32(float *d, size_t ldd, const float *s,
                                           size_t lds, size_t nrows)
{
    __m256 r[8], t[8];
    for (size_t i = 0; i < 8; i++)
        r[i] = i < nrows ? _mm256_loadu_ps(s + i * lds) : _mm256_setzero_ps();
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    /* r[4i+j], 128-bit lane L: column 4L+j of rows 4i..4i+3 */
    for (int i = 0; i < 2; i++) {
        r[4 * i] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int j = 0; j < 4; j++) {
        _mm256_storeu_ps(d + (size_t)j * ldd, _mm256_permute2f128_ps(r[j], r[4 + j], 0x20));
        _mm256_storeu_ps(d + (size_t)(j + 4) * ldd, _mm256_permute2f128_ps(r[j], r[4 + j], 0x31));
    }
}

/* 4 x 4 doubles. */
KS_TARGET static inline void transpose_f64(double *d, size_t ldd, const double *s,
                                           size_t lds, size_t nrows)
{
    __m256d z = _mm256_setzero_pd();
    __m256d r0 = nrows > 0 ? _mm256_loadu_pd(s) : z;
    __m256d r1 = nrows > 1 ? _mm256_loadu_pd(s + lds) : z;
    __m256d r2 = nrows > 2 ? _mm256_loadu_pd(s + 2 * lds) : z;
    __m256d r3 = nrows > 3 ? _mm256_loadu_pd(s + 3 * lds) : z;
    __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
    __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
    _mm256_storeu_pd(d, _mm256_permute2f128_pd(t0, t2, 0x20));
    _mm256_storeu_pd(d + ldd, _mm256_permute2f128_pd(t1, t3, 0x20));
    _mm256_storeu_pd(d + 2 * ldd, _mm256_permute2f128_pd(t0, t2, 0x31));
    _mm256_storeu_pd(d + 3 * ldd, _mm256_permute2f128_pd(t1, t3, 0x31));
}

/* simd_dense_forward_f32, simd_dense_backward_input_f32,
 * simd_dense_backward_weights_f32 (static: gathered in kern_avx2_f32 below) */
#define REAL float
#define SFX(name) name##_f32
#define KS_VEC __m256
#define KS_VL 8
#define KS_MASK __m256i
#define KS_TAILMASK(n) \
    _mm256_loadu_si256((const __m256i *)(avx2_mask32 + 8 - ((n) >= 8 ? 8 : (n))))
#define KS_ZERO() _mm256_setzero_ps()
#define KS_LOAD(p) _mm256_loadu_ps(p)
#define KS_LOADM(p, k) _mm256_maskload_ps(p, k)
#define KS_STORE(p, v) _mm256_storeu_ps(p, v)
#define KS_STOREM(p, k, v) _mm256_maskstore_ps(p, k, v)
#define KS_BCAST(p) _mm256_broadcast_ss(p)
#define KS_FMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#define KS_ADD(a, b) _mm256_add_ps(a, b)
#define KS_KEEPGT0(v, t) \
    _mm256_and_ps(v, _mm256_cmp_ps(t, _mm256_setzero_ps(), _CMP_GT_OQ))
#include "nn/kernels_simd_impl.h"

/* simd_dense_forward_f64, simd_dense_backward_input_f64,
 * simd_dense_backward_weights_f64 (static: gathered in kern_avx2_f64 below) */
#define REAL double
#define SFX(name) name##_f64
#define KS_VEC __m256d
#define KS_VL 4
#define KS_MASK __m256i
#define KS_TAILMASK(n) \
    _mm256_loadu_si256((const __m256i *)(avx2_mask64 + 4 - ((n) >= 4 ? 4 : (n))))
#define KS_ZERO() _mm256_setzero_pd()
#define KS_LOAD(p) _mm256_loadu_pd(p)
#define KS_LOADM(p, k) _mm256_maskload_pd(p, k)
#define KS_STORE(p, v) _mm256_storeu_pd(p, v)
#define KS_STOREM(p, k, v) _mm256_maskstore_pd(p, k, v)
#define KS_BCAST(p) _mm256_broadcast_sd(p)
#define KS_FMA(a, b, c) _mm256_fmadd_pd(a, b, c)
#define KS_ADD(a, b) _mm256_add_pd(a, b)
#define KS_KEEPGT0(v, t) \
    _mm256_and_pd(v, _mm256_cmp_pd(t, _mm256_setzero_pd(), _CMP_GT_OQ))
#include "nn/kernels_simd_impl.h"

const kern_ops_f32 kern_avx2_f32 = {
    .dense_forward = simd_dense_forward_f32,
    .dense_backward_input = simd_dense_backward_input_f32,
    .dense_backward_weights = simd_dense_backward_weights_f32,
};

const kern_ops_f64 kern_avx2_f64 = {
    .dense_forward = simd_dense_forward_f64,
    .dense_backward_input = simd_dense_backward_input_f64,
    .dense_backward_weights = simd_dense_backward_weights_f64,
};

#else
typedef int kernels_avx2_unused; /* ISO C: a translation unit is not empty */
#endif
