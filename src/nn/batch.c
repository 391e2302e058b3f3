/* batch: four noise pixels (the same numbers for both precisions), then
 * the float and double builds of batch_impl.h. */
#include "nn/batch.h"
#include "base/rng.h"

const char *const NOISE_NAMES[] = {"uniform", "normal", NULL};

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

/* batch_digits_f32, batch_noise_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/batch_impl.h"

/* batch_digits_f64, batch_noise_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/batch_impl.h"
