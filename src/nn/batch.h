/* batch: building one batch of network inputs, digits or noise.
 *
 * Digits stay uint8 in the dataset and are scaled here, batch by batch, to
 * [-1, 1] as torchvision's ToTensor + Normalize(0.5, 0.5) would.  Noise is
 * never stored: pixel j of noise image i is a pure function of
 * (seed, i, j), so a batch can be rebuilt anywhere, in any order, on any
 * thread, and the float and double builds see the very same numbers. */
#ifndef SUBLIM_BATCH_H
#define SUBLIM_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "nn/idx.h"
#include "base/pool.h"

enum noise_kind {
    NOISE_UNIFORM, /* i.i.d. U[-1, 1): the paper's noise */
    NOISE_NORMAL,  /* i.i.d. N(0, 1) */
};

/* Pixels 4*quad .. 4*quad+3 of noise image `image` (an image of `pixels`
 * pixels; entries past its end are computed but belong to no pixel). */
void batch_noise_quad(float q[4], uint64_t seed, enum noise_kind kind,
                      size_t image, size_t quad, size_t pixels);

#define BATCH_DECLARE(real, sfx)                                                 \
    /* out[r] = scaled pixels of d->images[index[r]], r < n; built on p. */    \
    void batch_digits_##sfx(pool *p, real *out, const dataset *d,               \
                            const size_t *index, size_t n);                      \
    /* out[r] = noise image index[r], r < n; rows built in parallel on p. */     \
    void batch_noise_##sfx(pool *p, real *out, uint64_t seed,                    \
                           enum noise_kind kind, const size_t *index, size_t n,  \
                           size_t pixels);

BATCH_DECLARE(float, f32)
BATCH_DECLARE(double, f64)

#endif
