#include "nn/batch.h"
#include "base/rng.h"

/* Noise blocks made per call of rng_blocks (4 pixels each). */
#define BATCH_NOISE_CHUNK 256

/* Digit rows per pool task: enough to amortize claiming a task. */
#define BATCH_DIGIT_ROWS 16

/* How many rows ahead a digit row is prefetched. */
#define BATCH_PREFETCH_AHEAD 2

/* The per-pixel loops are built for AVX-512 and AVX2 besides plain x86-64,
 * picked when the program loads. */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define BATCH_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BATCH_VECTOR_CLONES
#endif

void batch_noise_quad(float q[4], uint64_t seed, enum noise_kind kind,
                      size_t image, size_t quad, size_t pixels)
{
    size_t quads = (pixels + 3) / 4;
    if (kind == NOISE_UNIFORM) {
        /* One Philox block gives the four pixels. */
        uint32_t w[4];
        rng_block(seed, RNG_NOISE, 0, (uint64_t)image * quads + quad, w);
        for (size_t k = 0; k < 4; k++)
            q[k] = rng_sym_f32(w[k]);
    } else {
        for (size_t k = 0; k < 4; k++)
            q[k] = (float)rng_normal(seed, RNG_NOISE, 1,
                                     (uint64_t)image * pixels + 4 * quad + k);
    }
}

#define real float
#define SFX(name) name##_f32
#include "nn/batch_impl.h"
#undef real
#undef SFX

#define real double
#define SFX(name) name##_f64
#include "nn/batch_impl.h"
#undef real
#undef SFX
