/* batch: building one batch of network inputs, digits (their pixels in
 * place or moved by a permutation) or noise.
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
/* Their names on the command line and in result files, in enum order
 * (NULL-terminated). */
extern const char *const NOISE_NAMES[];

/* Pixels 4*quad .. 4*quad+3 of noise image `image` (an image of `pixels`
 * pixels; entries past its end are computed but belong to no pixel). */
void batch_noise_quad(float q[4], uint64_t seed, enum noise_kind kind,
                      size_t image, size_t quad, size_t pixels);

/* Both precisions' declarations (batch_decl.h), saving any REAL/SFX an
 * includer is in the middle of (an *_impl.h that includes this header). */
#pragma push_macro("REAL")
#pragma push_macro("SFX")
#undef REAL
#undef SFX

/* batch_digits_f32, batch_noise_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/batch_decl.h"

/* batch_digits_f64, batch_noise_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/batch_decl.h"

#pragma pop_macro("REAL")
#pragma pop_macro("SFX")

#endif
