/* loss: the training and imitation losses, on logits [batch][n_out].
 *
 * Each returns the mean loss over the batch (summed in double) and writes
 * dlogits = d(mean loss)/d logits, zero outside the outputs it uses.
 * Softmaxes subtract the maximum first, so logits of ±1000 are safe.
 *
 * Rows are computed on pool p when p has several threads and terms (room
 * for batch * n_out doubles) is given; else on the calling thread.  Either
 * way the loss terms are summed in row order: the same bits. */
#ifndef SUBLIM_LOSS_H
#define SUBLIM_LOSS_H

#include <stddef.h>
#include <stdint.h>
#include "base/pool.h"

/* A contiguous block of outputs [begin, end) that a loss looks at. */
typedef struct {
    size_t begin, end;
} loss_outputs;

/* Both precisions' declarations (loss_decl.h), saving any REAL/SFX an includer
 * is in the middle of (an *_impl.h that includes this header). */
#pragma push_macro("REAL")
#pragma push_macro("SFX")
#undef REAL
#undef SFX

/* loss_log_softmax_f32, loss_ce_f32, loss_kl_f32, loss_mse_f32, loss_argmax_f32,
 * loss_correct_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/loss_decl.h"

/* loss_log_softmax_f64, loss_ce_f64, loss_kl_f64, loss_mse_f64, loss_argmax_f64,
 * loss_correct_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/loss_decl.h"

#pragma pop_macro("REAL")
#pragma pop_macro("SFX")

/* The largest number of outputs a softmax here may span. */
#define LOSS_MAX_OUTPUTS 1024

#endif
