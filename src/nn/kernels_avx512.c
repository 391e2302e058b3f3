/* kernels_avx512: the AVX-512 path of the dense-layer products
 * (AVX-512F/BW/DQ/VL), kernels_simd_impl.h in float and double, and its
 * tables.  Each function carries its own target attribute, so this file
 * builds without -march and runs only where kernels.c chose it. */
#include "nn/kernels_ops.h"

#ifdef KERNELS_X86
#include <immintrin.h>

/* Register tile 8 rows x 3 vectors (8x48 floats, 8x24 doubles); dy^T is
 * read in place, prefetched (copying it does not pay off here: pack_a). */
#define KS_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")))
#define KS_MR 8
#define KS_NVMAX 3
#define KS_PACK_A 0

/* The transposes: d[c][r] = s[r][c] for a block of KS_VL x KS_VL, source
 * rows r >= nrows read as zero.  16 x 16 floats: unpack pairs of rows, then
 * quads, then gather the 128-bit lanes of four quads. */
KS_TARGET static inline void transpose_f32(float *d, size_t ldd, const float *s,
                                           size_t lds, size_t nrows)
{
    __m512 r[16], t[16];
    for (size_t i = 0; i < 16; i++)
        r[i] = i < nrows ? _mm512_loadu_ps(s + i * lds) : _mm512_setzero_ps();
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    /* r[4i+j], 128-bit lane L: column 4L+j of rows 4i..4i+3 */
    for (int i = 0; i < 4; i++) {
        r[4 * i] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        r[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        r[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int j = 0; j < 4; j++) {
        __m512 a0 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0x88);
        __m512 b0 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0x88);
        __m512 a1 = _mm512_shuffle_f32x4(r[j], r[4 + j], 0xdd);
        __m512 b1 = _mm512_shuffle_f32x4(r[8 + j], r[12 + j], 0xdd);
        _mm512_storeu_ps(d + (size_t)j * ldd, _mm512_shuffle_f32x4(a0, b0, 0x88));
        _mm512_storeu_ps(d + (size_t)(j + 8) * ldd, _mm512_shuffle_f32x4(a0, b0, 0xdd));
        _mm512_storeu_ps(d + (size_t)(j + 4) * ldd, _mm512_shuffle_f32x4(a1, b1, 0x88));
        _mm512_storeu_ps(d + (size_t)(j + 12) * ldd, _mm512_shuffle_f32x4(a1, b1, 0xdd));
    }
}

/* 8 x 8 doubles: unpack pairs of rows, then gather 128-bit lanes. */
KS_TARGET static inline void transpose_f64(double *d, size_t ldd, const double *s,
                                           size_t lds, size_t nrows)
{
    __m512d r[8], t[8];
    for (size_t i = 0; i < 8; i++)
        r[i] = i < nrows ? _mm512_loadu_pd(s + i * lds) : _mm512_setzero_pd();
    /* t[2i+j], 128-bit lane L: column 2L+j of rows 2i, 2i+1 */
    for (int i = 0; i < 4; i++) {
        t[2 * i] = _mm512_unpacklo_pd(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_pd(r[2 * i], r[2 * i + 1]);
    }
    for (int j = 0; j < 2; j++) {
        __m512d a0 = _mm512_shuffle_f64x2(t[j], t[2 + j], 0x88);
        __m512d b0 = _mm512_shuffle_f64x2(t[4 + j], t[6 + j], 0x88);
        __m512d a1 = _mm512_shuffle_f64x2(t[j], t[2 + j], 0xdd);
        __m512d b1 = _mm512_shuffle_f64x2(t[4 + j], t[6 + j], 0xdd);
        _mm512_storeu_pd(d + (size_t)j * ldd, _mm512_shuffle_f64x2(a0, b0, 0x88));
        _mm512_storeu_pd(d + (size_t)(j + 4) * ldd, _mm512_shuffle_f64x2(a0, b0, 0xdd));
        _mm512_storeu_pd(d + (size_t)(j + 2) * ldd, _mm512_shuffle_f64x2(a1, b1, 0x88));
        _mm512_storeu_pd(d + (size_t)(j + 6) * ldd, _mm512_shuffle_f64x2(a1, b1, 0xdd));
    }
}

/* simd_dense_forward_f32, simd_dense_backward_input_f32,
 * simd_dense_backward_weights_f32 (static: gathered in kern_avx512_f32 below) */
#define REAL float
#define SFX(name) name##_f32
#define KS_VEC __m512
#define KS_VL 16
#define KS_MASK __mmask16
#define KS_TAILMASK(n) ((__mmask16)((n) >= 16 ? 0xFFFFu : (1u << (n)) - 1u))
#define KS_ZERO() _mm512_setzero_ps()
#define KS_LOAD(p) _mm512_loadu_ps(p)
#define KS_LOADM(p, k) _mm512_maskz_loadu_ps(k, p)
#define KS_STORE(p, v) _mm512_storeu_ps(p, v)
#define KS_STOREM(p, k, v) _mm512_mask_storeu_ps(p, k, v)
#define KS_BCAST(p) _mm512_set1_ps(*(p))
#define KS_FMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#define KS_ADD(a, b) _mm512_add_ps(a, b)
#define KS_KEEPGT0(v, t) \
    _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(t, _mm512_setzero_ps(), _CMP_GT_OQ), v)
#include "nn/kernels_simd_impl.h"

/* simd_dense_forward_f64, simd_dense_backward_input_f64,
 * simd_dense_backward_weights_f64 (static: gathered in kern_avx512_f64 below) */
#define REAL double
#define SFX(name) name##_f64
#define KS_VEC __m512d
#define KS_VL 8
#define KS_MASK __mmask8
#define KS_TAILMASK(n) ((__mmask8)((n) >= 8 ? 0xFFu : (1u << (n)) - 1u))
#define KS_ZERO() _mm512_setzero_pd()
#define KS_LOAD(p) _mm512_loadu_pd(p)
#define KS_LOADM(p, k) _mm512_maskz_loadu_pd(k, p)
#define KS_STORE(p, v) _mm512_storeu_pd(p, v)
#define KS_STOREM(p, k, v) _mm512_mask_storeu_pd(p, k, v)
#define KS_BCAST(p) _mm512_set1_pd(*(p))
#define KS_FMA(a, b, c) _mm512_fmadd_pd(a, b, c)
#define KS_ADD(a, b) _mm512_add_pd(a, b)
#define KS_KEEPGT0(v, t) \
    _mm512_maskz_mov_pd(_mm512_cmp_pd_mask(t, _mm512_setzero_pd(), _CMP_GT_OQ), v)
#include "nn/kernels_simd_impl.h"

const kern_ops_f32 kern_avx512_f32 = {
    .dense_forward = simd_dense_forward_f32,
    .dense_backward_input = simd_dense_backward_input_f32,
    .dense_backward_weights = simd_dense_backward_weights_f32,
};

const kern_ops_f64 kern_avx512_f64 = {
    .dense_forward = simd_dense_forward_f64,
    .dense_backward_input = simd_dense_backward_input_f64,
    .dense_backward_weights = simd_dense_backward_weights_f64,
};

#else
typedef int kernels_avx512_unused; /* ISO C: a translation unit is not empty */
#endif
