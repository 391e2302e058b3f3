/* kernels_x86: instantiates kernels_simd_impl.h for AVX-512 and AVX2+FMA,
 * in float and double.  Each function carries its own target attribute, so
 * this file builds without -march and runs only where kernels.c chose it. */
#include "nn/kernels_x86.h"

#ifdef KERNELS_X86
#include <immintrin.h>
#include <string.h>

/* Bytes of packed B per task (on the running thread's stack), and the
 * preferred K block. */
#ifndef KS_BUF_BYTES
#define KS_BUF_BYTES (192u * 1024u)
#endif
#ifndef KS_KC
#define KS_KC 512
#endif
#ifndef KS_L2_BYTES
#define KS_L2_BYTES (256u * 1024u)
#endif
#define KS_PF 16

/* ---- AVX-512: 8 rows x 3 vectors (8x48 floats, 8x24 doubles) ---- */
#define KS_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")))
#define KS_MR 8
#define KS_NVMAX 3
#define KS_PACK_A 0

/* The transposes: d[c][r] = s[r][c] for a block of KS_VL x KS_VL, source
 * rows r >= nrows read as zero.  16 x 16 floats: unpack pairs of rows, then
 * quads, then gather the 128-bit lanes of four quads. */
KS_TARGET static inline void kern_avx512_transpose_f32(float *d, size_t ldd, const float *s,
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
KS_TARGET static inline void kern_avx512_transpose_f64(double *d, size_t ldd, const double *s,
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

#define KS_REAL float
#define KS_NAME(x) kern_avx512_##x##_f32
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
#undef KS_REAL
#undef KS_NAME
#undef KS_VEC
#undef KS_VL
#undef KS_MASK
#undef KS_TAILMASK
#undef KS_ZERO
#undef KS_LOAD
#undef KS_LOADM
#undef KS_STORE
#undef KS_STOREM
#undef KS_BCAST
#undef KS_FMA
#undef KS_ADD
#undef KS_KEEPGT0

#define KS_REAL double
#define KS_NAME(x) kern_avx512_##x##_f64
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
#undef KS_REAL
#undef KS_NAME
#undef KS_VEC
#undef KS_VL
#undef KS_MASK
#undef KS_TAILMASK
#undef KS_ZERO
#undef KS_LOAD
#undef KS_LOADM
#undef KS_STORE
#undef KS_STOREM
#undef KS_BCAST
#undef KS_FMA
#undef KS_ADD
#undef KS_KEEPGT0

#undef KS_TARGET
#undef KS_MR
#undef KS_NVMAX
#undef KS_PACK_A

/* ---- AVX2+FMA: 6 rows x 2 vectors (6x16 floats, 6x8 doubles) ---- */
#define KS_TARGET __attribute__((target("avx2,fma")))
#define KS_MR 6
#define KS_NVMAX 2
#define KS_PACK_A 1

/* Lane masks for maskload/maskstore: a window of 8 (or 4) lanes. */
static const int kx86_mask32[16] = {-1, -1, -1, -1, -1, -1, -1, -1,
                                    0,  0,  0,  0,  0,  0,  0,  0};
static const long long kx86_mask64[8] = {-1, -1, -1, -1, 0, 0, 0, 0};

/* 8 x 8 floats: unpack pairs, then quads, then swap 128-bit halves. */
KS_TARGET static inline void kern_avx2_transpose_f32(float *d, size_t ldd, const float *s,
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
KS_TARGET static inline void kern_avx2_transpose_f64(double *d, size_t ldd, const double *s,
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

#define KS_REAL float
#define KS_NAME(x) kern_avx2_##x##_f32
#define KS_VEC __m256
#define KS_VL 8
#define KS_MASK __m256i
#define KS_TAILMASK(n) \
    _mm256_loadu_si256((const __m256i *)(kx86_mask32 + 8 - ((n) >= 8 ? 8 : (n))))
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
#undef KS_REAL
#undef KS_NAME
#undef KS_VEC
#undef KS_VL
#undef KS_MASK
#undef KS_TAILMASK
#undef KS_ZERO
#undef KS_LOAD
#undef KS_LOADM
#undef KS_STORE
#undef KS_STOREM
#undef KS_BCAST
#undef KS_FMA
#undef KS_ADD
#undef KS_KEEPGT0

#define KS_REAL double
#define KS_NAME(x) kern_avx2_##x##_f64
#define KS_VEC __m256d
#define KS_VL 4
#define KS_MASK __m256i
#define KS_TAILMASK(n) \
    _mm256_loadu_si256((const __m256i *)(kx86_mask64 + 4 - ((n) >= 4 ? 4 : (n))))
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

#else
typedef int kernels_x86_unused; /* ISO C: a translation unit is not empty */
#endif
