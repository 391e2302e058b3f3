/* rng: counter-based random numbers.
 *
 * Every random number sublim uses is a pure function of
 * (seed, stream, sub, index): Philox4x32-10 (Salmon et al., SC'11) keyed by
 * the seed, counting over (index, sub, stream).  So noise image i, the
 * shuffle of epoch e and the init of layer l never depend on thread count,
 * batch order or on what was drawn before.  There is no generator state to
 * pass around or to share. */
#ifndef SUBLIM_RNG_H
#define SUBLIM_RNG_H

#include <stddef.h>
#include <stdint.h>

/* One stream per purpose: changing how one is used never shifts another. */
enum rng_stream {
    RNG_INIT = 1,          /* sub = init id (0: θ0, 1: θ0'), index over params */
    RNG_SHUFFLE_TEACHER,   /* sub = epoch */
    RNG_SHUFFLE_STUDENT,   /* sub = epoch */
    RNG_NOISE,             /* sub = 0, index = image * pixels + pixel */
    RNG_THEOREM,           /* sub = purpose within a theorem trial */
    RNG_SHUFFLE_TRAIT,     /* sub = epoch: the trait teacher's fine-tuning */
    RNG_PIXELS,            /* sub = 0: the students' shuffled pixels (--student-inputs) */
};

/* The four 32-bit words of Philox4x32-10 at counter (index, sub, stream). */
void rng_block(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t index,
               uint32_t out[4]);

/* The blocks at indices first .. first+n-1, four words each, into
 * out[4n]: the same words as n calls of rng_block, only faster. */
void rng_blocks(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t first,
                size_t n, uint32_t *out);

/* Uniform double in [0, 1) with 53 random bits; draws words 0-1 of the block. */
double rng_uniform(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t index);

/* Standard normal (Box-Muller on one block's two 53-bit uniforms). */
double rng_normal(uint64_t seed, uint32_t stream, uint32_t sub, uint64_t index);

/* Uniform float in [-1, 1), 24 random bits: exact in float, no rounding. */
static inline float rng_sym_f32(uint32_t word)
{
    /* 24-bit integer in [0, 2^24) mapped to [-1, 1) with step 2^-23
     * (inline: the noise loops call it once per pixel). */
    return (float)(word >> 8) * 0x1.0p-23f - 1.0f;
}

/* Fisher-Yates permutation of perm[0..n) (filled with 0..n-1 first),
 * driven by (seed, stream, sub); each swap scales a 53-bit uniform, so the
 * bias is at most n / 2^53, far below anything measurable. */
void rng_permutation(size_t *perm, size_t n, uint64_t seed, uint32_t stream,
                     uint32_t sub);

#endif
