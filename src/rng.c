#include "rng.h"
#include <math.h>

#define RNG_TWO_PI 6.283185307179586476925286766559

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
 * other (about three times the speed of one block at a time), and the
 * lanes vectorize: target_clones builds AVX-512 and AVX2 versions, picked
 * when the program loads.  Integer arithmetic: every clone gives the same
 * words. */
#define RNG_LANES 16

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void rng_blocks(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t first,
                size_t n, uint32_t *out)
{
    for (size_t done = 0; done < n; done += RNG_LANES) {
        uint32_t c0[RNG_LANES], c1[RNG_LANES], c2[RNG_LANES], c3[RNG_LANES];
        for (size_t l = 0; l < RNG_LANES; l++) {
            uint64_t index = first + done + l;
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
        for (size_t l = 0; l < RNG_LANES && done + l < n; l++) {
            uint32_t *o = out + 4 * (done + l);
            o[0] = c0[l]; o[1] = c1[l]; o[2] = c2[l]; o[3] = c3[l];
        }
    }
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
    return sqrt(-2.0 * log(u1)) * cos(RNG_TWO_PI * u2);
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
