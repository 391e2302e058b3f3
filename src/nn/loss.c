/* loss: the float and double builds of the losses (loss_impl.h). */

/* loss_log_softmax_f32, loss_ce_f32, loss_kl_f32, loss_mse_f32, loss_correct_f32 */
#define REAL float
#define SFX(name) name##_f32
#include "nn/loss_impl.h"

/* loss_log_softmax_f64, loss_ce_f64, loss_kl_f64, loss_mse_f64, loss_correct_f64 */
#define REAL double
#define SFX(name) name##_f64
#include "nn/loss_impl.h"
