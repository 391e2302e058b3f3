#include "base/rng.h"
#include <math.h>
#include "base/detmath.h"

/* Philox4x32-10 constants (Salmon, Moraes, Dror, Shaw 2011). */
#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void mulhilo(uint32_t a, uint32_t b, uint32_t *hi, uint32_t *lo)
{
    uint64_t p = (uint64_t)a * b;
    *hi = (uint32_t)(p >> 32);
    *lo = (uint32_t)p;
}

void rng_block(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t index,
               uint32_t out[4])
{
    uint32_t c0 = (uint32_t)index, c1 = (uint32_t)(index >> 32);
    uint32_t c2 = sub, c3 = stream;
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        uint32_t hi0, lo0, hi1, lo1;
        mulhilo(PHILOX_M0, c0, &hi0, &lo0);
        mulhilo(PHILOX_M1, c2, &hi1, &lo1);
        uint32_t n0 = hi1 ^ c1 ^ k0, n1 = lo1, n2 = hi0 ^ c3 ^ k1, n3 = lo0;
        c0 = n0; c1 = n1; c2 = n2; c3 = n3;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
}

/* Blocks are computed RNG_LANES at a time, round by round, so the
 * multiplies of independent blocks overlap instead of waiting on each
 * other (about three times the speed of one block at a time). */
#define RNG_LANES 16

/* RNG_LANES blocks at counters first, first+1, ... into out[4 * count]
 * (count <= RNG_LANES), in plain C (vectorized by the compiler where it
 * can: integer arithmetic, so every clone gives the same words). */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void blocks_portable(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t first,
                            size_t count, uint32_t *out)
{
    uint32_t c0[RNG_LANES], c1[RNG_LANES], c2[RNG_LANES], c3[RNG_LANES];
    for (size_t l = 0; l < RNG_LANES; l++) {
        uint64_t index = first + l;
        c0[l] = (uint32_t)index;
        c1[l] = (uint32_t)(index >> 32);
        c2[l] = sub;
        c3[l] = stream;
    }
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        for (size_t l = 0; l < RNG_LANES; l++) {
            uint64_t p0 = (uint64_t)PHILOX_M0 * c0[l], p1 = (uint64_t)PHILOX_M1 * c2[l];
            uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1[l] ^ k0, n1 = (uint32_t)p1;
            uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3[l] ^ k1, n3 = (uint32_t)p0;
            c0[l] = n0; c1[l] = n1; c2[l] = n2; c3[l] = n3;
        }
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    for (size_t l = 0; l < count; l++) {
        uint32_t *o = out + 4 * l;
        o[0] = c0[l]; o[1] = c1[l]; o[2] = c2[l]; o[3] = c3[l];
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define RNG_AVX512 __attribute__((target("avx512f")))

/* hi:lo = m * c in each of 16 lanes: even lanes multiply in place, odd ones
 * shifted down, and the halves are blended back into their lanes. */
RNG_AVX512 static inline void mulhilo16(__m512i m, __m512i c, __m512i *hi, __m512i *lo)
{
    __m512i even = _mm512_mul_epu32(m, c);
    __m512i odd = _mm512_mul_epu32(m, _mm512_srli_epi64(c, 32));
    *lo = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
    *hi = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 32), odd);
}

/* The same 16 blocks as blocks_portable (count = 16), one lane each. */
RNG_AVX512 static void blocks_avx512(uint64_t seed, uint32_t stream, uint32_t sub,
                                     uint64_t first, uint32_t *out)
{
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                           14, 15);
    __m512i lo = _mm512_set1_epi32((int)(uint32_t)first);
    __m512i c0 = _mm512_add_epi32(lo, lane);
    /* the index's high word, plus the carry where the low word wrapped */
    __m512i c1 = _mm512_mask_add_epi32(_mm512_set1_epi32((int)(uint32_t)(first >> 32)),
                                       _mm512_cmplt_epu32_mask(c0, lo),
                                       _mm512_set1_epi32((int)(uint32_t)(first >> 32)),
                                       _mm512_set1_epi32(1));
    __m512i c2 = _mm512_set1_epi32((int)sub), c3 = _mm512_set1_epi32((int)stream);
    const __m512i m0 = _mm512_set1_epi32((int)PHILOX_M0), m1 = _mm512_set1_epi32((int)PHILOX_M1);
    uint32_t k0 = (uint32_t)seed, k1 = (uint32_t)(seed >> 32);
    for (int round = 0; round < 10; round++) {
        __m512i hi0, lo0, hi1, lo1;
        mulhilo16(m0, c0, &hi0, &lo0);
        mulhilo16(m1, c2, &hi1, &lo1);
        c0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), _mm512_set1_epi32((int)k0));
        c1 = lo1;
        c2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), _mm512_set1_epi32((int)k1));
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    /* Interleave to block order: u_j holds, in 128-bit lane L, block 4L+j;
     * then a 4 x 4 transpose of 128-bit lanes. */
    __m512i t0 = _mm512_unpacklo_epi32(c0, c1), t1 = _mm512_unpackhi_epi32(c0, c1);
    __m512i t2 = _mm512_unpacklo_epi32(c2, c3), t3 = _mm512_unpackhi_epi32(c2, c3);
    __m512i u0 = _mm512_unpacklo_epi64(t0, t2), u1 = _mm512_unpackhi_epi64(t0, t2);
    __m512i u2 = _mm512_unpacklo_epi64(t1, t3), u3 = _mm512_unpackhi_epi64(t1, t3);
    __m512i v0 = _mm512_shuffle_i32x4(u0, u1, 0x44), v1 = _mm512_shuffle_i32x4(u2, u3, 0x44);
    __m512i v2 = _mm512_shuffle_i32x4(u0, u1, 0xEE), v3 = _mm512_shuffle_i32x4(u2, u3, 0xEE);
    _mm512_storeu_si512(out, _mm512_shuffle_i32x4(v0, v1, 0x88));
    _mm512_storeu_si512(out + 16, _mm512_shuffle_i32x4(v0, v1, 0xDD));
    _mm512_storeu_si512(out + 32, _mm512_shuffle_i32x4(v2, v3, 0x88));
    _mm512_storeu_si512(out + 48, _mm512_shuffle_i32x4(v2, v3, 0xDD));
}
#endif

void rng_blocks(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t first,
                size_t n, uint32_t *out)
{
    size_t done = 0;
#if defined(__GNUC__) && defined(__x86_64__)
    if (__builtin_cpu_supports("avx512f"))
        for (; done + RNG_LANES <= n; done += RNG_LANES)
            blocks_avx512(seed, stream, sub, first + done, out + 4 * done);
#endif
    for (; done < n; done += RNG_LANES)
        blocks_portable(seed, stream, sub, first + done,
                        n - done < RNG_LANES ? n - done : RNG_LANES, out + 4 * done);
}

static double u53(uint32_t hi, uint32_t lo)
{
    uint64_t bits = ((uint64_t)hi << 21) ^ (lo >> 11); /* 53 bits */
    return (double)bits * 0x1.0p-53;
}

double rng_uniform(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t index)
{
    uint32_t w[4];
    rng_block(seed, stream, sub, index, w);
    return u53(w[0], w[1]);
}

double rng_normal(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t index)
{
    uint32_t w[4];
    rng_block(seed, stream, sub, index, w);
    double u1 = 1.0 - u53(w[0], w[1]); /* (0, 1]: log is finite */
    double u2 = u53(w[2], w[3]);
    /* detmath: the same normals on every libm (sqrt is exact everywhere) */
    return sqrt(-2.0 * detmath_log(u1)) * detmath_cos2pi(u2);
}

void rng_permutation(size_t *perm, size_t n, uint64_t seed, uint32_t stream,
                     uint32_t sub)
{
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    for (size_t i = n; i > 1; i--) {
        uint32_t w[4];
        rng_block(seed, stream, sub, i, w);
        /* j uniform in [0, i); the clamp only guards the last rounding. */
        size_t j = (size_t)(u53(w[0], w[1]) * (double)i);
        if (j >= i)
            j = i - 1;
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}
